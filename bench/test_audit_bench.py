"""Audit costs. Targets: <= 10 us on the request path; SQLite sink >= 20,000 events/s; PostgreSQL
sink >= 10,000 events/s with batching (render, hash chain and write, on the writer thread)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from tests.servers import PostgresServer

from bastion.audit.sinks.postgres import PostgresSink
from bastion.audit.sinks.sqlite import SQLiteSink
from bastion.audit.writer import AuditLog
from bastion.config.audit import AuditConfig
from bastion.config.secrets import SecretsConfig
from bastion.core.context import Context
from bastion.core.identity import Identity
from bastion.core.pipeline import Outcome
from bastion.core.request import Headers, Request
from bastion.core.verdict import Finding, Verdict
from bastion.crypto.keyring import Keyring

KEYRING = Keyring(SecretsConfig(key="bench-audit-secret-0123456789-abcdefghij"))
REQUEST = Request(
    method="POST", path="/api/orders/42", query="", headers=Headers([("host", "a")]), client="10.1.2.3", body=b"{}"
)


def context(index: int = 0) -> Context:
    ctx = Context(f"bench-audit-{index:06d}")
    ctx.identity = Identity("alice", "api_key", key_id="k-1")
    ctx.findings.append(Finding("waf", "monitor", Verdict.refuse(403, "waf.xss-html", "tag", category="xss")))
    return ctx


def test_request_path_cost(benchmark) -> None:  # type: ignore[no-untyped-def]
    """What the request path pays: capture the exchange into a tuple and queue it."""
    log = AuditLog(AuditConfig(queue=10_000_000), list, KEYRING)
    ctx = context()
    outcome = Outcome(201, 2, 512, upstream_seconds=0.003)
    benchmark(log.finish, REQUEST, ctx, outcome)
    assert log.dropped == 0


def _throughput(log: AuditLog, n: int) -> float:
    ctx, outcome = context(), Outcome(201, 2, 512, upstream_seconds=0.003)
    for _ in range(n):
        log.finish(REQUEST, ctx, outcome)
    started = time.perf_counter()
    while log._queue:
        log._write_batch(final=False)
    return n / (time.perf_counter() - started)


def test_sqlite_sink_throughput(tmp_path: Path, benchmark) -> None:  # type: ignore[no-untyped-def]
    log = AuditLog(AuditConfig(queue=1_000_000, batch=1000), list, KEYRING)
    log._attach([SQLiteSink(tmp_path / "audit.db")])
    rate = benchmark.pedantic(_throughput, args=(log, 50_000), rounds=3, iterations=1)
    benchmark.extra_info["events_per_second"] = round(rate)
    print(f"SQLite sink: {rate:,.0f} events/s")


@pytest.fixture(scope="module")
def postgres() -> PostgresServer:
    server = PostgresServer()
    server.start()
    yield server  # type: ignore[misc]
    server.stop()


def test_postgres_sink_throughput(postgres: PostgresServer, benchmark) -> None:  # type: ignore[no-untyped-def]
    log = AuditLog(AuditConfig(queue=1_000_000, batch=1000), list, KEYRING)
    log._attach([PostgresSink(postgres.dsn, "bench_audit")])
    rate = benchmark.pedantic(_throughput, args=(log, 50_000), rounds=3, iterations=1)
    benchmark.extra_info["events_per_second"] = round(rate)
    print(f"PostgreSQL sink: {rate:,.0f} events/s")
