"""The protocol fuzzing campaign: grammar-generated requests against a running `bastion serve`.

`python -m tests.faults.fuzz_campaign --cases 1000000` (what `make fuzz` runs) prints a summary;
`tests/faults/test_protocol_fuzz.py` runs 30,000 cases in CI and asserts the promises.

It starts the echo upstream and `bastion serve --workers 2` (the fuzz API's spec, validation, the
WAF, a rate limit, the audit trail to SQLite and JSON lines), generates cases with Hypothesis in a
thread (rounds of 10,000 examples, so Hypothesis's record of explored choices stays small), sends
each case on its own connection from many concurrent clients, and checks every answer with
`fuzz_oracle`. Around the run it samples the workers' RSS, and at the end it checks that the workers
are the ones it started, that the upstream saw exactly the requests the clients were answered for and
could parse all of them, that the audit trail still records (events for the last requests arrive),
and that the gateway logged no traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvloop
import yaml
from hypothesis import HealthCheck, Phase, given, settings

from tests.faults.fuzz_oracle import HANG_SECONDS, Violation, check, parse_client
from tests.faults.harness import children_of, read_responses, rss_kib
from tests.faults.http_grammar import FuzzCase, fuzz_case
from tests.servers import ROOT, free_port, wait_port

HERE = Path(__file__).resolve().parent
ROUND = 10_000
PROBES = 5
VARIANTS = 3  # havoc mutations sent for each Hypothesis-generated case


@dataclass
class Summary:
    cases: int = 0
    tagged: int = 0  # the next case number: taken when a case is sent, so concurrent clients never share one
    requests: int = 0  # complete requests Bastion's parser read in the cases
    forwarded: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    forwarded_ids: set[str] = field(default_factory=set)
    sent: dict[int, bytes] = field(default_factory=dict)  # case number -> bytes, to name what reached the upstream
    received: dict[int, bytes] = field(default_factory=dict)  # case number -> the start of what came back
    closed_without_answer: int = 0
    violations: dict[str, list[Violation]] = field(default_factory=dict)
    slowest: float = 0.0
    slow_cases: list[tuple[float, bytes]] = field(default_factory=list)  # over 5 s, for the report
    rules: Counter[str] = field(default_factory=Counter)  # refusals by status and rule, from the audit trail
    seconds: float = 0.0
    rss_kib: list[tuple[float, int]] = field(default_factory=list)  # (elapsed, sum of the workers' RSS)
    workers_before: list[int] = field(default_factory=list)
    workers_after: list[int] = field(default_factory=list)
    upstream: dict[str, Any] = field(default_factory=dict)
    audit_alive: bool = False
    probes: int = 0  # the clean requests sent after the campaign to see the audit trail record them
    tracebacks: int = 0
    exit_code: int | None = None

    @property
    def violation_count(self) -> int:
        return sum(len(v) for v in self.violations.values())

    def rss_growth_kib(self) -> int:
        """RSS at the end minus RSS once the first fifth of the run warmed the caches."""
        if len(self.rss_kib) < 2:
            return 0
        warm = self.rss_kib[max(1, len(self.rss_kib) // 5)][1]
        return self.rss_kib[-1][1] - warm

    def report(self) -> str:
        lines = [
            f"cases {self.cases:,} (complete requests read by llhttp: {self.requests:,}) in {self.seconds:.1f}s "
            f"({self.cases / max(self.seconds, 1e-9):,.0f} cases/s); slowest case {self.slowest:.2f}s",
            f"forwarded {self.forwarded:,}; upstream received {self.upstream.get('requests')}, "
            f"could not parse {len(self.upstream.get('parse_errors', []))}",
            "statuses: " + ", ".join(f"{s}: {n:,}" for s, n in sorted(self.statuses.items())),
            f"closed without an answer: {self.closed_without_answer:,}",
            "most frequent refusals recorded (protocol refusals are sampled): "
            + "; ".join(f"{r} ({n:,})" for r, n in self.rules.most_common(15)),
            f"workers before {self.workers_before} after {self.workers_after}; exit code {self.exit_code}",
            f"RSS (sum of workers): first {self.rss_kib[0][1] / 1024 if self.rss_kib else 0:.1f} MiB, "
            f"max {max((r for _, r in self.rss_kib), default=0) / 1024:.1f} MiB, "
            f"last {self.rss_kib[-1][1] / 1024 if self.rss_kib else 0:.1f} MiB, "
            f"growth after warm-up {self.rss_growth_kib() / 1024:+.1f} MiB",
            f"audit trail still recording: {self.audit_alive}; tracebacks in the gateway's log: {self.tracebacks}",
            f"violations: {self.violation_count}",
        ]
        for seconds, data in self.slow_cases[:5]:
            lines.append(f"  slow case ({seconds:.1f}s): {data[:300]!r}")
        for kind, found in sorted(self.violations.items()):
            lines.append(f"  {kind}: {len(found)}")
            for violation in found[:3]:
                limit = {"traceback in log": 6000, "unanswered upstream request": 1400}.get(kind, 300)
                lines.append(f"    {violation.detail[:limit]}")
                if violation.data:
                    lines.append(f"      reproduce with: {violation.data[:400]!r}")
        return "\n".join(lines)


POLICY = {
    "workers": 2,
    "openapi": str(HERE / "fuzz_api.yaml"),
    "ratelimit": {"limits": [{"id": "per-ip", "key": ["ip"], "rate": "1000000/s", "burst": 1000000}]},
    "log": {"level": "warning"},
}


@contextlib.contextmanager
def fuzz_target(workdir: Path) -> Iterator[tuple[int, subprocess.Popen[bytes], Path, Path, Path]]:
    """The echo upstream and `bastion serve` as processes; yields (port, bastion, log, jsonl, stats)."""
    upstream_port, port = free_port(), free_port()
    stats = workdir / "upstream-stats.json"
    echo = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.echo_upstream", str(upstream_port), str(stats)], cwd=ROOT
    )
    jsonl = workdir / "audit.jsonl"
    policy = {
        **POLICY,
        "listen": {"host": "127.0.0.1", "port": port, "max_connections": 20000},
        "upstream": {"url": f"http://127.0.0.1:{upstream_port}", "pool_size": 64},
        "store": {"path": str(workdir / "bastion.db")},
        "audit": {"sinks": ["sqlite", "jsonl"], "jsonl": {"path": str(jsonl)}},
    }
    config = workdir / "bastion.yaml"
    config.write_text(yaml.safe_dump(policy))
    log = workdir / "bastion.log"
    with log.open("wb") as out:
        bastion = subprocess.Popen(
            [sys.executable, "-m", "bastion", "serve", "--config", str(config)], cwd=ROOT, stdout=out, stderr=out
        )
    try:
        wait_port(upstream_port)
        wait_port(port, timeout=30)
        yield port, bastion, log, jsonl, stats
    finally:
        for proc in (bastion, echo):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def produce(cases: int, out: queue.Queue[FuzzCase | None], stop: threading.Event) -> None:
    """Hypothesis generates the cases, in rounds (a fresh record of explored choices for each)."""
    left = -(-cases // (VARIANTS + 1))  # generated cases, each sent with its variants
    while left > 0 and not stop.is_set():
        batch = min(ROUND, left)

        @settings(
            max_examples=batch,
            phases=[Phase.generate],
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(fuzz_case())
        def generate(case: FuzzCase) -> None:
            for variant in case.variants(VARIANTS):
                if stop.is_set():
                    return
                out.put(variant)

        generate()
        left -= batch
    out.put(None)


def tagged(case: FuzzCase, number: int) -> FuzzCase:
    """The case with `X-Fuzz-Case: N` after its first line, so the upstream's record names it."""
    at = case.data.find(b"\r\n")
    if at < 0:
        return case
    tag = b"\r\nX-Fuzz-Case: %d" % number
    return dataclasses.replace(case, data=case.data[:at] + tag + case.data[at:], splits=())


async def send_case(port: int, case: FuzzCase) -> tuple[bytes, bool, float]:
    """(what came back, whether the exchange ended, seconds)."""
    parsed = parse_client(case.data)
    expected = len(parsed.complete)
    half_close = case.half_close or parsed.partial or parsed.error is not None or not expected
    methods = parsed.methods
    started = time.monotonic()
    chunks: list[bytes] = []
    ended = False
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return b"", False, 0.0
    try:
        sock = writer.get_extra_info("socket")
        if sock is not None and case.splits:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        at = 0
        for split in (*case.splits, len(case.data)):
            writer.write(case.data[at:split])
            at = split
            await writer.drain()
            if split != len(case.data):
                await asyncio.sleep(0.002)
        if half_close:
            writer.write_eof()
        deadline = started + HANG_SECONDS + 2
        while (left := deadline - time.monotonic()) > 0:
            try:
                chunk = await asyncio.wait_for(reader.read(65536), left)
            except TimeoutError:
                break
            if not chunk:
                ended = True
                break
            chunks.append(chunk)
            if not half_close:
                done = [r for r in read_responses(b"".join(chunks), methods)[0] if r.complete and r.status >= 200]
                if len(done) >= expected:
                    ended = True
                    break
    except (OSError, RuntimeError):  # reset, or closed before the client finished sending (uvloop: RuntimeError)
        ended = True
    finally:
        writer.transport.abort()
    return b"".join(chunks), ended, time.monotonic() - started


async def run_cases(port: int, cases: int, concurrency: int, summary: Summary, pids: list[int]) -> None:  # noqa: PLR0915  the campaign loop: producer, workers, progress and stop share its state
    feed: queue.Queue[FuzzCase | None] = queue.Queue(maxsize=2000)
    stop = threading.Event()
    producer = threading.Thread(target=produce, args=(cases, feed, stop), daemon=True)
    producer.start()
    started = time.monotonic()
    finished = False

    async def sample_rss() -> None:
        while not finished:
            with contextlib.suppress(OSError):
                summary.rss_kib.append((time.monotonic() - started, sum(rss_kib(pid) for pid in pids)))
            await asyncio.sleep(1.0)

    async def client() -> None:
        nonlocal finished
        while not finished:
            try:
                case = feed.get_nowait()
            except queue.Empty:
                await asyncio.sleep(0.002)
                continue
            if case is None or summary.cases >= cases:
                finished = True
                feed.put(None)
                return
            number = summary.tagged
            summary.tagged += 1
            case = tagged(case, number)
            if len(summary.sent) < 200_000:
                summary.sent[number] = case.data
            data, ended, seconds = await send_case(port, case)
            if number in summary.sent:
                summary.received[number] = data[:600]
            responses, error = read_responses(data, parse_client(case.data).methods)
            verdict = check(case.data, responses, error, ended=ended, seconds=seconds)
            summary.cases += 1
            summary.requests += len(parse_client(case.data).complete)
            summary.forwarded += verdict.forwarded
            summary.statuses.update(verdict.statuses)
            summary.reasons.update(verdict.reasons)
            summary.forwarded_ids.update(verdict.forwarded_ids)
            summary.slowest = max(summary.slowest, seconds)
            if seconds > 5 and len(summary.slow_cases) < 20:
                summary.slow_cases.append((seconds, case.data))
            if not verdict.statuses:
                summary.closed_without_answer += 1
            for violation in verdict.violations:
                summary.violations.setdefault(violation.kind, []).append(violation)

    sampler = asyncio.create_task(sample_rss())
    try:
        await asyncio.gather(*(client() for _ in range(concurrency)))
    finally:
        finished = True
        stop.set()
        with contextlib.suppress(queue.Empty):
            while True:
                feed.get_nowait()
        await sampler
    summary.seconds = time.monotonic() - started


async def audit_records(port: int, jsonl: Path) -> bool:
    """A few clean requests after the campaign must reach the audit trail: the writer is alive.

    Only the newest part of the trail is read: after a million cases it holds hundreds of megabytes,
    and the JSON-lines sink rotates (`audit.jsonl.1`, ...), possibly between the probes."""
    marker = f"fuzz-final-{os.getpid()}"
    for n in range(PROBES):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            f"GET /echo HTTP/1.1\r\nHost: gw\r\nx-request-id: {marker}-{n}\r\nConnection: close\r\n\r\n".encode()
        )
        await reader.read()
        writer.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        text = "".join(_tail(path, 16 << 20) for path in (jsonl, jsonl.with_name(jsonl.name + ".1")))
        if all(f"{marker}-{n}" in text for n in range(PROBES)):
            return True
        await asyncio.sleep(0.2)
    return False


def _tail(path: Path, size: int) -> str:
    with contextlib.suppress(OSError), path.open("rb") as trail:
        trail.seek(max(0, trail.seek(0, os.SEEK_END) - size))
        return trail.read().decode(errors="replace")
    return ""


def run(cases: int, concurrency: int = 64, keep: bool = False) -> Summary:
    """`keep`: leave the work directory (gateway log, audit trail, upstream stats) when something
    failed, to diagnose what a long run found; its path is printed."""
    summary = Summary()
    with tempfile.TemporaryDirectory(prefix="bastion-fuzz-") as tmp:
        stats = _run_against(Path(tmp), cases, concurrency, summary)
        with contextlib.suppress(OSError, json.JSONDecodeError):
            summary.upstream = json.loads(stats.read_text())  # written when the upstream stopped
        seen: dict[str, str] = summary.upstream.pop("seen", {})
        for rid, raw in seen.items():
            if rid not in summary.forwarded_ids and not rid.startswith("fuzz-final-"):
                number = raw.lower().split("x-fuzz-case: ", 1)[-1].split("\r\n", 1)[0]
                case = int(number) if number.isdigit() else -1
                sent, got = summary.sent.get(case, b""), summary.received.get(case, b"")
                summary.violations.setdefault("unanswered upstream request", []).append(
                    Violation("unanswered upstream request", f"{rid}: {raw!r}; the client got {got!r}", sent)
                )
        if keep and (summary.violation_count or not summary.audit_alive):
            kept = Path(tempfile.mkdtemp(prefix="bastion-fuzz-kept-"))
            shutil.copytree(tmp, kept, dirs_exist_ok=True)
            print(f"work directory kept for diagnosis: {kept}")
    return summary


def _run_against(workdir: Path, cases: int, concurrency: int, summary: Summary) -> Path:
    with fuzz_target(workdir) as (port, bastion, log, jsonl, stats):
        deadline = time.monotonic() + 10
        while len(children_of(bastion.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        summary.workers_before = children_of(bastion.pid)
        uvloop.run(run_cases(port, cases, concurrency, summary, summary.workers_before))
        summary.audit_alive = uvloop.run(audit_records(port, jsonl))
        summary.probes = PROBES
        summary.workers_after = [pid for pid in children_of(bastion.pid) if Path(f"/proc/{pid}").exists()]
        bastion.send_signal(signal.SIGTERM)
        summary.exit_code = bastion.wait(timeout=30)
        with contextlib.suppress(OSError), jsonl.open("rb") as events:
            for line in events:
                with contextlib.suppress(ValueError, KeyError, TypeError):
                    for rule in json.loads(line)["event"]["rules"] or ():
                        summary.rules[f"{rule['status']} {rule['rule']} ({rule['reason'].split(':')[0][:50]})"] += 1
        text = log.read_text(errors="replace")
        summary.tracebacks = text.count("Traceback")
        if summary.tracebacks:
            first = text.index("Traceback")
            summary.violations.setdefault("traceback in log", []).append(
                Violation("traceback in log", text[max(0, first - 300) : first + 5000], b"")
            )
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--keep", action="store_true", help="keep the work directory when something failed")
    args = parser.parse_args()
    summary = run(args.cases, args.concurrency, args.keep)
    print(summary.report())
    return 1 if summary.violation_count or not summary.audit_alive else 0


if __name__ == "__main__":
    sys.exit(main())
