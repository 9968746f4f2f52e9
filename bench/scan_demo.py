"""`make bench-scan`: scan the demo shop directly, then behind Bastion (examples/demo.yaml), and print
the before/after table and how long the direct scan took (target: under 60 s with default settings).

Both scans use the scanner's defaults (budget 5000, the loopback rate of 200 requests/s, safe mode) and
the same test users. The demo API behind Bastion runs with a strong JWT secret, because Bastion refuses
to start with a weak one (the planted `secret` is itself a finding of the direct scan).

The table compares only the checks that ran on both sides: a check the gateway kept from running (it
banned the scanner, say) proves nothing about the flaw, so it is listed apart with the reason, never
counted as "not exploitable".
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.scan_targets import monitored_config  # noqa: E402
from tests.servers import free_port, wait_port  # noqa: E402

from bastion.config.loader import load_model  # noqa: E402
from bastion.scan.auth import AuthFile  # noqa: E402
from bastion.scan.context import ScanOptions  # noqa: E402
from bastion.scan.engine import ScanResult, run_scan  # noqa: E402

AUTH = ROOT / "examples/scan/demo-auth.yaml"
SPEC = ROOT / "examples/demo_api/openapi.yaml"


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def stop(*procs: subprocess.Popen[bytes]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def scan(target: str, rate: float | None) -> ScanResult:
    return run_scan(ScanOptions(target=target, spec=str(SPEC), auth=load_model(AuthFile, AUTH), rate=rate))


def ran(result: ScanResult) -> set[str]:
    return {run.info.id for run in result.checks if run.status == "ran"}


def table(before: ScanResult, after: ScanResult) -> str:
    def by_check(result: ScanResult) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for finding in result.findings:
            if finding.severity.label != "info":
                out.setdefault(finding.check_id, []).append(f"{finding.operation} ({finding.severity.label})")
        return out

    both = ran(before) & ran(after)
    left, right = by_check(before), by_check(after)
    lines = ["| check | demo API directly | behind Bastion |", "|---|---|---|"]
    for check_id in sorted((set(left) | set(right)) & both):
        lines.append(
            f"| {check_id} | {', '.join(left.get(check_id, [])) or '—'} | "
            f"{', '.join(right.get(check_id, [])) or 'not exploitable'} |"
        )
    count = lambda r: sum(1 for f in r.findings if f.severity.label != "info" and f.check_id in both)  # noqa: E731
    lines.append(
        f"| **findings (low and above), checks that ran on both sides** | **{count(before)}** | **{count(after)}** |"
    )
    reasons = {run.info.id: f"{run.status}: {run.reason}" for run in after.checks if run.status != "ran"}
    left_out = sorted(set(left) - both)
    if left_out:
        lines.append("")
        lines.append("Not compared (the check did not run behind Bastion):")
        lines += [f"- {check_id}: {reasons.get(check_id, 'did not run')}" for check_id in left_out]
    for block in after.blocks:
        lines.append(f"\nBLOCKED: {block.describe()}; affected checks: {', '.join(block.affected)}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=None, help="default: the scanner's own (200/s on loopback)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bastion-scan-bench-"))
    weak_port, strong_port, gateway_port = free_port(), free_port(), free_port()
    base = {**os.environ, "PYTHONPATH": str(ROOT)}
    weak = start(
        ["examples.demo_api", "--port", str(weak_port)], {**base, "DEMO_DB": str(work / "weak.db")}, work / "weak.log"
    )
    strong_env = {
        **base,
        "DEMO_DB": str(work / "strong.db"),
        "BASTION_STATE_DIR": str(work),
        "DEMO_JWT_SECRET": secrets.token_urlsafe(32),
        "BASTION_SECRET": secrets.token_urlsafe(32),
    }
    strong = start(["examples.demo_api", "--port", str(strong_port)], strong_env, work / "strong.log")
    monitored_port, monitored_api_port = free_port(), free_port()
    monitored_env = {**strong_env, "DEMO_DB": str(work / "monitored.db"), "BASTION_STATE_DIR": str(work / "m")}
    (work / "m").mkdir()
    monitored_api = start(["examples.demo_api", "--port", str(monitored_api_port)], monitored_env, work / "m.log")
    gateway = start(
        [
            "bastion",
            "serve",
            "--config",
            str(ROOT / "examples/demo.yaml"),
            "--port",
            str(gateway_port),
            "--upstream",
            f"http://127.0.0.1:{strong_port}",
        ],
        strong_env,
        work / "gateway.log",
    )
    monitored = start(
        [
            "bastion",
            "serve",
            "--config",
            str(monitored_config(work)),
            "--port",
            str(monitored_port),
            "--upstream",
            f"http://127.0.0.1:{monitored_api_port}",
        ],
        monitored_env,
        work / "mgw.log",
    )
    try:
        for port in (weak_port, strong_port, gateway_port, monitored_api_port, monitored_port):
            wait_port(port, timeout=30)
        started = time.monotonic()
        before = scan(f"http://127.0.0.1:{weak_port}", args.rate)
        direct_seconds = time.monotonic() - started
        started = time.monotonic()
        after = scan(f"http://127.0.0.1:{gateway_port}", args.rate)
        gateway_seconds = time.monotonic() - started
        guards = scan(f"http://127.0.0.1:{monitored_port}", args.rate)
    finally:
        stop(gateway, monitored, strong, monitored_api, weak)
    print("## Behind Bastion with examples/demo.yaml as shipped (detectors ban the scanner)\n")
    print(table(before, after))
    print("\n## Behind Bastion with the detectors in monitor mode (every guard judged on its own)\n")
    print(table(before, guards))
    for finding in guards.findings:
        if finding.check_id in ("exposure.verbose-error", "fuzz.server-error", "authn.user-enumeration"):
            print(f"\n{finding.check_id} {finding.operation}: {finding.detail}")
    print(
        f"\ndirect scan: {direct_seconds:.1f} s, {before.requests} requests (rate {args.rate or 'default'}); "
        f"behind Bastion: {gateway_seconds:.1f} s, {after.requests} requests"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
