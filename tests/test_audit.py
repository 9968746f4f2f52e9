"""The audit trail: one event per request, redaction, the hash chain against tampering, search,
the sinks (SQLite, PostgreSQL, JSON lines), a full queue, and what a kill -9 loses."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
import psycopg
import pytest
import yaml
from typer.testing import CliRunner

from bastion.audit.chain import GENESIS, canonical, link
from bastion.audit.health import AuditUnavailable, unavailable
from bastion.audit.sinks import Row
from bastion.audit.sinks.files import JSONLSink
from bastion.audit.sinks.postgres import PostgresReader, PostgresSink
from bastion.audit.sinks.sqlite import SQLiteReader, SQLiteSink
from bastion.audit.writer import AuditLog
from bastion.cli import app
from bastion.config import parse_config
from bastion.config.audit import AuditConfig
from bastion.config.secrets import SecretsConfig
from bastion.core.clock import SYSTEM_CLOCK, Clock, ManualClock
from bastion.core.context import Context
from bastion.core.pipeline import Outcome
from bastion.core.request import Headers, Request
from bastion.core.verdict import Finding
from bastion.crypto.keyring import Keyring
from bastion.engine import Engine
from bastion.hosts.proxy.server import ProxyServer
from bastion.metrics import Metrics
from tests.proxy_harness import running_proxy
from tests.servers import PostgresServer, ThreadedUvicorn, free_port, wait_port

SECRET = "audit-test-secret-0123456789-abcdefghijkl"


def policy(tmp_path: Path, upstream: str, **sections: Any) -> Path:
    doc: dict[str, Any] = {
        "listen": {"host": "127.0.0.1", "port": 0},
        "upstream": {"url": upstream},
        "routes": [{"path": "/**", "methods": ["*"]}],
        "store": {"path": str(tmp_path / "bastion.db")},
        "secrets": {"key": SECRET},
        "audit": {"flush_interval": "50ms", "checkpoint_every": 10},
        **sections,
    }
    path = tmp_path / "bastion.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def events(db: Path) -> list[dict[str, Any]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT event FROM audit_events ORDER BY stream, seq").fetchall()
    return [orjson.loads(row[0]) for row in rows]


async def serve(config_path: Path, requests: list[tuple[str, str, dict[str, Any]]]) -> list[httpx.Response]:
    config = parse_config(config_path.read_text(), base_dir=config_path.parent)
    engine = Engine(config)

    server = ProxyServer(engine, asyncio.get_running_loop())
    port = (await server.start())[0][1]
    responses = []
    async with httpx.AsyncClient() as client:
        for method, path, options in requests:
            responses.append(await client.request(method, f"http://127.0.0.1:{port}{path}", **options))
    await server.shutdown()
    return responses


async def test_one_event_per_request_with_the_decision_and_no_secrets(
    tmp_path: Path, upstream: ThreadedUvicorn
) -> None:
    path = policy(tmp_path, upstream.url)
    await serve(
        path,
        [
            (
                "GET",
                "/items/7?api_key=sk_live_should_not_appear",
                {"headers": {"authorization": "Bearer secret-token"}},
            ),
            ("POST", "/login", {"json": {"username": "alice", "password": "' or 1=1--"}}),
        ],
    )
    found = events(tmp_path / "bastion.db")
    assert len(found) == 2
    allowed, refused = found
    assert allowed["status"] == 200
    assert allowed["decision"] == "allowed"
    assert allowed["method"] == "GET"
    assert allowed["path"] == "/items/7"
    assert allowed["client"] == "127.0.0.1"
    assert allowed["latency_ms"] > 0
    assert allowed["upstream_ms"] > 0
    assert allowed["bytes_out"] > 0
    assert refused["status"] == 403
    assert refused["decision"] == "refused"
    assert refused["rules"][0]["rule"].startswith("waf.sqli")
    assert refused["rules"][0]["location"] == "body.password"
    assert refused["rules"][0]["reason"] == "(redacted: sensitive field)"
    raw = (tmp_path / "bastion.db").read_bytes()
    assert b"sk_live_should_not_appear" not in raw
    assert b"secret-token" not in raw
    assert b"1=1" not in raw


async def test_verify_names_the_deleted_modified_and_inserted_event(tmp_path: Path, upstream: ThreadedUvicorn) -> None:
    path = policy(tmp_path, upstream.url)
    await serve(path, [("GET", f"/items/{i}", {}) for i in range(30)])
    assert cli("audit", "verify", "--config", str(path)) == (0, "ok: 30 events, chain and checkpoints intact\n")
    db = sqlite3.connect(tmp_path / "bastion.db")
    stream = db.execute("SELECT stream FROM audit_events LIMIT 1").fetchone()[0]

    body = db.execute("SELECT event FROM audit_events WHERE seq = 12").fetchone()[0]
    db.execute("UPDATE audit_events SET event = ? WHERE seq = 12", (body.replace('"status":200', '"status":201'),))
    db.commit()
    code, output = cli("audit", "verify", "--config", str(path))
    assert code == 1
    assert f"stream {stream}, event 12: its content does not match its hash (modified)" in output
    db.execute("UPDATE audit_events SET event = ? WHERE seq = 12", (body,))

    db.execute("DELETE FROM audit_events WHERE seq = 17")
    db.commit()
    code, output = cli("audit", "verify", "--config", str(path))
    assert code == 1
    assert "event 18: events 17 are missing before it (deleted)" in output

    # A careful attacker re-links the chain after the deletion: the next signed checkpoint notices.
    rows = db.execute("SELECT seq, event FROM audit_events WHERE seq > 16 ORDER BY seq").fetchall()
    prev = db.execute("SELECT hash FROM audit_events WHERE seq = 16").fetchone()[0]
    for seq, event in rows:
        digest = link(prev, event.encode())
        db.execute("UPDATE audit_events SET seq = ?, prev = ?, hash = ? WHERE seq = ?", (seq - 1, prev, digest, seq))
        prev = digest
    db.commit()
    code, output = cli("audit", "verify", "--config", str(path))
    assert code == 1
    assert "event 20: the chain differs from the signed checkpoint (rewritten)" in output


async def test_search_filters_events(tmp_path: Path, upstream: ThreadedUvicorn) -> None:
    path = policy(tmp_path, upstream.url)
    await serve(path, [("GET", "/a", {}), ("GET", "/b", {"params": {"q": "<script>alert(1)</script>"}})])
    code, output = cli("audit", "search", "--config", str(path), "--since", "1h", "--status", "403", "--json")
    assert code == 0
    found = [json.loads(line) for line in output.splitlines()]
    assert [e["path"] for e in found] == ["/b"]
    code, output = cli("audit", "search", "--config", str(path), "--client", "127.0.0.1", "--rule", "waf.")
    assert code == 0
    assert "1 event(s)" in output


def rows(n: int) -> list[Row]:
    out, prev = [], GENESIS
    for seq in range(1, n + 1):
        event = {"ts": time.time(), "request_id": f"r{seq}", "client": "10.0.0.1", "subject": None, "method": "GET",
                 "path": f"/x/{seq}", "operation": None, "status": 200, "decision": "allowed", "rules": []}  # fmt: skip
        body = canonical(event)
        digest = link(prev, body)
        out.append(Row("s1", seq, event, body, prev, digest))
        prev = digest
    return out


def test_postgres_sink_round_trip(postgres_server: PostgresServer) -> None:
    sink = PostgresSink(postgres_server.dsn, "audit_rt")
    batch = rows(50)
    sink.write(batch[:25], [])
    sink.write(batch[25:], [])
    sink.close()
    reader = PostgresReader(postgres_server.dsn, "audit_rt")
    stored = list(reader.events())
    assert [(e.seq, e.digest) for e in stored] == [(r.seq, r.digest) for r in batch]
    assert len(reader.search(0, {"client": "10.0.0.1"}, 10).events) == 10
    with psycopg.connect(postgres_server.dsn) as conn:
        assert conn.execute("SELECT count(*) FROM audit_rt WHERE event->>'path' = '/x/7'").fetchone() == (1,)


def test_jsonl_sink_rotates(tmp_path: Path) -> None:
    sink = JSONLSink(tmp_path / "audit.jsonl", max_size=2000, keep=2)
    for start in range(0, 60, 10):
        sink.write(rows(60)[start : start + 10], [])
    sink.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["audit.jsonl", "audit.jsonl.1", "audit.jsonl.2"]
    assert all(
        json.loads(line)["event"]["status"] == 200 for line in (tmp_path / "audit.jsonl").read_text().splitlines()
    )


async def test_a_full_queue_drops_with_a_count_or_refuses(tmp_path: Path, upstream: ThreadedUvicorn) -> None:
    def config(db: str, **audit: Any) -> Any:
        doc = {"upstream": {"url": upstream.url}, "routes": [{"path": "/**"}], "store": {"path": str(tmp_path / db)}}
        return parse_config(yaml.safe_dump({**doc, "audit": {"queue": 100, **audit}}))

    engine = Engine(config("d.db"))  # never started: the writer does not drain, the queue fills

    request = Request(method="GET", path="/x", query="", headers=Headers([("host", "a")]), client="1.1.1.1")
    assert engine.audit is not None
    for _ in range(150):
        engine.audit.finish(request, Context("audit-test-0001"), Outcome(200))
    assert engine.audit.dropped == 50
    strict_engine = Engine(config("r.db", on_full="refuse"))
    assert strict_engine.audit is not None
    for _ in range(100):
        strict_engine.audit.finish(request, Context("audit-test-0002"), Outcome(200))
    decision = await strict_engine.pipeline.check(request, Context("audit-test-0003"))
    assert decision.refusal is not None
    assert decision.refusal.status == 503


@pytest.mark.parametrize("durability", ["batched", "strict"])
def test_kill_9_under_load(tmp_path: Path, upstream: ThreadedUvicorn, durability: str) -> None:
    """Answered requests whose event is missing after a kill -9: counted (batched), none (strict)."""
    path = policy(tmp_path, upstream.url, audit={"durability": durability, "flush_interval": "200ms"})
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bastion", "serve", "--config", str(path), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_port(port, timeout=30)
        answered = asyncio.run(_load_then_kill(port, proc.pid))
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    recorded = {e["request_id"] for e in events(tmp_path / "bastion.db")}
    lost = [rid for rid in answered if rid not in recorded]
    print(f"{durability}: {len(answered)} answered, {len(lost)} without an event after kill -9")
    assert len(answered) >= 50
    if durability == "strict":
        assert lost == []


async def _load_then_kill(port: int, pid: int) -> list[str]:
    answered: list[str] = []
    stop = asyncio.Event()

    async def client() -> None:
        async with httpx.AsyncClient(timeout=5) as http:
            while not stop.is_set():
                try:
                    response = await http.get(f"http://127.0.0.1:{port}/items")
                except httpx.HTTPError:
                    return
                if response.status_code == 200:
                    answered.append(response.headers["x-request-id"])

    tasks = [asyncio.create_task(client()) for _ in range(16)]
    deadline = asyncio.get_running_loop().time() + 20
    while len(answered) < 500 and asyncio.get_running_loop().time() < deadline:  # load, then the crash
        await asyncio.sleep(0.02)
    os.kill(pid, signal.SIGKILL)
    stop.set()
    await asyncio.gather(*tasks)
    return answered


async def test_the_engine_writes_nothing_until_started(tmp_path: Path, upstream: ThreadedUvicorn) -> None:
    async with running_proxy(upstream.url, store={"path": str(tmp_path / "p.db")}) as proxy:
        await httpx.AsyncClient().get(f"{proxy.url}/x")
    assert len(events(tmp_path / "p.db")) == 1
    never = {"upstream": {"url": upstream.url}, "routes": [{"path": "/**"}], "store": {"path": str(tmp_path / "n.db")}}
    Engine(parse_config(yaml.safe_dump(never)))

    assert not (tmp_path / "n.db").exists()


def test_sqlite_reader_on_a_direct_write(tmp_path: Path) -> None:
    sink = SQLiteSink(tmp_path / "s.db")
    sink.write(rows(5), [])
    sink.close()
    assert [e.seq for e in SQLiteReader(tmp_path / "s.db").events()] == [1, 2, 3, 4, 5]


def _event_rows(db: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT seq, request_id FROM audit_events ORDER BY seq").fetchall()


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
async def test_verify_names_an_edited_search_column(
    tmp_path: Path, upstream: ThreadedUvicorn, store: str, request: pytest.FixtureRequest
) -> None:
    """Issue 22 item 9: the columns search filters on are checked against the hashed event."""
    audit: dict[str, Any] = {"flush_interval": "50ms", "checkpoint_every": 10}
    table = f"audit_edit_{int(time.time() * 1000)}"
    if store == "postgres":
        dsn = request.getfixturevalue("postgres_server").dsn
        audit["sinks"] = [{"postgres": {"dsn": dsn, "table": table}}]
    path = policy(tmp_path, upstream.url, audit=audit)
    await serve(path, [("GET", "/a", {}), ("GET", "/b", {"params": {"q": "<script>alert(1)</script>"}})])
    assert cli("audit", "verify", "--config", str(path))[0] == 0
    code, output = cli("audit", "search", "--config", str(path), "--status", "403", "--json")
    assert [json.loads(line)["path"] for line in output.splitlines()] == ["/b"]

    edits = ["UPDATE {t} SET status = 200 WHERE status = 403", "UPDATE {t} SET client = '10.9.9.9' WHERE path = '/a'"]
    if store == "postgres":
        edits.append("""UPDATE {t} SET event = jsonb_set(event, '{{path}}', '"/c"') WHERE path = '/a'""")
        with psycopg.connect(dsn) as conn:
            for edit in edits:
                conn.execute(edit.format(t=table))  # type: ignore[arg-type]
    else:
        with sqlite3.connect(tmp_path / "bastion.db") as conn:
            for edit in edits:
                conn.execute(edit.format(t="audit_events"))
    code, output = cli("audit", "verify", "--config", str(path))
    assert code == 1
    assert "event 2: its status column was edited: 200 stored, 403 in the hashed event" in output
    assert "event 1: its client column was edited: '10.9.9.9' stored, '127.0.0.1' in the hashed event" in output
    if store == "postgres":
        assert "event 1: its event column differs from the hashed event (edited)" in output
    # search answers from the hashed record: the edited event is left out, and said to be
    result = CliRunner().invoke(app, ["audit", "search", "--config", str(path), "--status", "200", "--json"])
    assert "left out" in result.output
    assert all(json.loads(line)["status"] == 200 for line in result.stdout.splitlines() if line.startswith("{"))


class _Crash(BaseException):
    """What no `except Exception` stops: the writer thread's death."""


class _Sink:
    def __init__(self, name: str = "test") -> None:
        self.name = name
        self.up = True
        self.rows: list[Row] = []
        self.crash = False

    def write(self, rows: list[Row], checkpoints: list[Any]) -> None:
        if self.crash:
            raise _Crash("boom")
        if not self.up:
            raise OSError("the sink is down")
        self.rows.extend(rows)

    def close(self) -> None:
        return None


def _audit_log(tmp_path: Path, sink: _Sink, clock: Clock = SYSTEM_CLOCK, **audit: Any) -> Any:
    settings: dict[str, Any] = {"flush_interval": 0.01, **audit}
    config = AuditConfig(spool={"path": tmp_path / "spool"}, **settings)  # type: ignore[arg-type]
    return AuditLog(config, lambda: [sink], Keyring(SecretsConfig(key=SECRET)), clock)


async def _until(condition: Any, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


def _exchange(n: int) -> tuple[Any, Any, Any]:
    request = Request(method="GET", path=f"/x/{n}", query="", headers=Headers([("host", "a")]), client="10.0.0.1")
    return request, Context(f"audit-unit-{n:06d}"), Outcome(200)


async def test_a_writer_that_dies_is_loud(tmp_path: Path) -> None:
    sink = _Sink()
    log = _audit_log(tmp_path, sink, durability="strict", commit_timeout=5)
    await log.start()
    await log.commit(*_exchange(1))
    sink.crash = True
    with pytest.raises(AuditUnavailable):  # the waiting request is refused at once, not after the timeout
        await log.commit(*_exchange(2))
    assert log.health.alive is False
    assert "the audit writer stopped: _Crash: boom" in log.problems()[0]
    assert log.refusing().rule == "audit.unavailable"  # the audit guard refuses new requests (503)
    with pytest.raises(AuditUnavailable):
        await log.commit(*_exchange(3))
    log.finish(*_exchange(4))
    assert log.dropped >= 2
    metrics = Metrics()
    metrics.sample_audit(log)
    text = metrics.render().decode()
    assert "bastion_audit_writer_up 0.0" in text
    assert f"bastion_audit_dropped_events {float(log.dropped)}" in text
    await log.stop()


def _refusal(n: int) -> tuple[Any, Any, Any]:
    """An exchange the audit guard refused because the trail was unavailable."""
    request, ctx, _ = _exchange(n)
    ctx.findings.append(Finding("audit", "enforce", unavailable("an audit sink is not taking events")))
    return request, ctx, Outcome(503)


async def test_refusals_wait_behind_served_requests_and_take_half_the_queue_at_most(tmp_path: Path) -> None:
    """A flood of cheap refusals (the trail was unavailable) must not hold back the event of a
    request that was served once the sink is back: it once kept strict commits waiting for seconds."""
    sink = _Sink()
    log = _audit_log(tmp_path, sink, queue=100, batch=10)
    for n in range(80):  # not started: everything stays queued
        log.finish(*_refusal(n))
    assert (log.queued, log.dropped) == (50, 30)  # refusals stop at half of `queue`
    for n in range(80, 130):
        log.finish(*_exchange(n))
    assert (log.queued, log.dropped) == (100, 30)  # the served requests' half is theirs
    log.finish(*_exchange(130))
    assert log.dropped == 31
    await log.start()
    await _until(lambda: len(sink.rows) == 100)
    await log.stop()
    served = [row.stream == log.stream for row in sink.rows]
    assert served == [True] * 50 + [False] * 50  # every served request's event before any refusal


class _GatedSink(_Sink):
    """Holds its first write until `gate` opens (real time), and records the size of each write."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.writing = threading.Event()
        self.sizes: list[int] = []

    def write(self, rows: list[Row], checkpoints: list[Any]) -> None:
        if not self.sizes:
            self.writing.set()
            assert self.gate.wait(10), "the test never opened the gate"
        self.sizes.append(len(rows))
        super().write(rows, checkpoints)


async def test_events_that_arrive_while_a_batch_is_written_wait_for_a_full_batch(tmp_path: Path) -> None:
    """Batched durability: what trickles in while a batch is written is not written at once in a
    transaction of its own (under a POST load, transactions of 7.5 events instead of 100, at 4x the
    SQLite cost per event); it waits for a full batch or the flush interval."""
    sink = _GatedSink()
    log = _audit_log(tmp_path, sink, batch=10, flush_interval=5.0)
    await log.start()
    for n in range(10):
        log.finish(*_exchange(n))
    await _until(sink.writing.is_set)  # a full batch woke the writer; its write is held
    for n in range(10, 13):
        log.finish(*_exchange(n))
    sink.gate.set()
    await _until(lambda: len(sink.rows) == 10)
    assert log.queued == 3  # the trickle waits (the flush interval is 5 s)
    for n in range(13, 20):
        log.finish(*_exchange(n))
    await _until(lambda: len(sink.rows) == 20)
    assert sink.sizes == [10, 10]
    await log.stop()


class _SlowSink(_Sink):
    """A sink that takes a while per write (10 ms on the writer's clock), as a PostgreSQL just out
    of crash recovery does. After its first write it waits for `gate` (real time): the test then
    knows the backlog is still on its way when it sends a new event, whatever the machine's speed
    (without the gate the writer thread sometimes delivered all 600 rows first, on an idle VM)."""

    def __init__(self, clock: ManualClock) -> None:
        super().__init__()
        self.clock = clock
        self.gate = threading.Event()

    def write(self, rows: list[Row], checkpoints: list[Any]) -> None:
        if self.rows:
            assert self.gate.wait(10), "the test never opened the gate"
        super().write(rows, checkpoints)
        self.clock.advance(0.01)


async def test_a_served_request_is_not_held_behind_the_refusals_backlog_once_the_sink_is_back(
    tmp_path: Path,
) -> None:
    """Refusals spooled during an outage are delivered after new events, not before: a strict
    commit once waited for the whole backlog and was refused at `commit_timeout` (CI, PostgreSQL)."""
    clock = ManualClock()
    sink = _SlowSink(clock)
    sink.up = False
    log = _audit_log(tmp_path, sink, clock, durability="strict", commit_timeout=5, queue=2000, batch=10)
    await log.start()
    for n in range(600):
        log.finish(*_refusal(n))
    await _until(lambda: log.queued == 0 and log.health.spooled == 600)
    sink.up = True
    clock.advance(1.0)  # past any retry delay
    await _until(lambda: sink.rows)  # the sink takes writes again and its backlog is on its way
    commit = asyncio.create_task(log.commit(*_exchange(1000)))
    await _until(lambda: log.queued > 0)  # the served event waits beside the backlog, the sink held
    sink.gate.set()
    await commit
    refusals_delivered = sum(1 for row in sink.rows if row.stream != log.stream)
    await log.stop()
    assert refusals_delivered < 600, "the served request's event waited for every spooled refusal"
    assert sum(1 for row in sink.rows if row.stream != log.stream) == 600


async def test_a_spool_outlives_its_writer_and_reaches_the_sink_in_order(tmp_path: Path) -> None:
    sink = _Sink()
    sink.up = False
    first = _audit_log(tmp_path, sink, stop_timeout=0)
    await first.start()
    for n in range(30):
        first.finish(*_exchange(n))
    await _until(lambda: first.health.spooled == 30)
    assert first.problems()[0].startswith("audit sink test failing for")
    await first.stop()  # the sink is still down: the spool stays on disk
    assert [p.suffix for p in (tmp_path / "spool").iterdir() if p.suffix == ".spool"] == [".spool"]

    sink.up = True
    second = _audit_log(tmp_path, sink)
    await second.start()
    for n in range(30, 40):
        second.finish(*_exchange(n))
    await _until(lambda: len(sink.rows) == 40)
    await second.stop()
    mine = [r.seq for r in sink.rows if r.stream == first.stream]
    assert mine == list(range(1, 31))
    assert [r.event["request_id"] for r in sink.rows if r.stream == first.stream] == [
        f"audit-unit-{n:06d}" for n in range(30)
    ]
    assert not list((tmp_path / "spool").glob("*.spool"))


def test_relative_audit_paths_resolve_beside_the_policy(tmp_path: Path) -> None:
    """Unset or not, the spool and JSON-lines paths are the policy's, not the working directory's
    (a spool in the working directory was adopted by every gateway started from it)."""
    for doc in ({}, {"audit": {}}, {"audit": {"sinks": ["sqlite", {"jsonl": "logs/a.jsonl"}]}}):
        config = parse_config(yaml.safe_dump({"routes": [{"path": "/**"}], **doc}), base_dir=tmp_path)
        assert config.audit is not None
        assert config.audit.spool.path == tmp_path / "audit-spool"
        assert config.audit.jsonl.path.parent in (tmp_path, tmp_path / "logs")
