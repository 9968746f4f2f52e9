"""Promises while PostgreSQL, the audit sink, is down, and after it comes back.

- strict: a request is answered 200 only once its event is in PostgreSQL; while that cannot be, it
  is refused with 503 problem+json (`urn:bastion:problem:unavailable`) within `commit_timeout`,
  never left hanging; readiness is false; within a second of PostgreSQL's return, 200s again.
- batched: answers go on; events wait in the local spool (its depth in the metrics) and reach
  PostgreSQL in order once it is back, none lost while the spool has room; past the spool, drops
  are counted exactly (`bastion_audit_dropped_events`), logged and sent to the webhooks; readiness
  is false while events cannot be made durable.
- SIGTERM during an outage leaves the spool on disk and says so; the next process delivers it.
- The hash chain verifies afterwards.

Outage length: BASTION_FAULT_OUTAGE seconds (CI: 6; the issue's campaign: 60). Six are enough for CI:
what an outage does is set within its first 1.6 s (the first failed write spools; the retry delay
reaches its 0.5 s cap), and a longer one only spools more events.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import psycopg

from tests.faults.harness import Answer, Gateway, Load, RestartablePostgres, eventually, postgres_events, seconds
from tests.servers import ThreadedUvicorn

OUTAGE = seconds("BASTION_FAULT_OUTAGE", 6)
UNAVAILABLE = "urn:bastion:problem:unavailable"


def postgres_sink(postgres: RestartablePostgres, table: str = "bastion_audit") -> dict[str, Any]:
    return {"postgres": {"dsn": postgres.dsn, "table": table, "timeout": "2s"}}


@contextlib.contextmanager
def gateways(*items: Gateway) -> Iterator[None]:
    try:
        for gateway in items:
            gateway.start()
        yield
    finally:
        for gateway in items:
            gateway.stop()


def first_success_after(answers: list[Answer], moment: float) -> float:
    return min(a.received for a in answers if a.status == 200 and a.sent >= moment)


def test_strict_refuses_with_503_while_postgres_is_down(
    tmp_path: Path, upstream_url: str, postgres: RestartablePostgres
) -> None:
    commit_timeout = 1.0
    gateway = Gateway(tmp_path, upstream_url, audit={"durability": "strict", "commit_timeout": f"{commit_timeout}s",
                                                     "sinks": [postgres_sink(postgres)]})  # fmt: skip
    with gateways(gateway), Load(gateway.url, connections=16, timeout=30) as load:
        load.wait_for(300, timeout=30)
        assert gateway.ready().status_code == 200
        halted = time.monotonic()
        postgres.halt()
        eventually(lambda: gateway.ready().status_code == 503, 5, "readiness turns false")
        reason = gateway.ready().json()["detail"]
        time.sleep(OUTAGE)  # the outage itself
        assert "audit sink postgres failing" in reason
        assert gateway.metric("bastion_audit_sink_up") == 0
        assert gateway.metric("bastion_audit_spool_events") > 0
        resumed = time.monotonic()
        postgres.resume()
        back = time.monotonic()
        eventually(lambda: any(a.status == 200 and a.sent >= back for a in load.answers), 10, "200s again")
        eventually(lambda: gateway.ready().status_code == 200, 10, "readiness back")
        load.wait_for(len(load.answers) + 300, timeout=30)
    assert gateway.exit_code == 0

    answers = load.answers
    during = [a for a in answers if halted + 0.1 < a.sent < resumed]
    assert not [a for a in answers if a.status == 0], "every request got an answer"
    assert {(a.status, a.rule) for a in during} <= {(200, ""), (503, UNAVAILABLE)}
    refused = [a for a in answers if a.status == 503]
    assert refused
    assert all(a.rule == UNAVAILABLE and a.content_type == "application/problem+json" for a in refused)
    slowest = max(a.elapsed for a in answers)
    assert slowest < commit_timeout + 1.0, f"an answer took {slowest:.2f}s"

    stored = {request_id: status for _, _, request_id, status in postgres_events(postgres.dsn)}
    ok = [a.request_id for a in answers if a.status == 200]
    assert [rid for rid in ok if rid not in stored] == [], "every 200 has its event in PostgreSQL"
    refused_recorded = sum(1 for a in refused if stored.get(a.request_id) == 503)
    recovery = first_success_after(answers, back) - back
    print(f"strict, PostgreSQL down {resumed - halted:.1f}s: {len(ok)} answered 200 (0 without an event), "
          f"{len(refused)} refused 503 ({refused_recorded} of them recorded as such once it was back), "
          f"slowest answer {slowest * 1000:.0f} ms, first 200 {recovery * 1000:.0f} ms after PostgreSQL "
          "accepted connections")  # fmt: skip
    assert recovery < 1.0
    verify = gateway.cli("audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr


class Hooks:
    """A webhook receiver: what the gateway notifies."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.received.append(orjson.loads(body))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def test_batched_spools_in_order_and_counts_what_it_drops(
    tmp_path: Path, upstream_url: str, postgres: RestartablePostgres
) -> None:
    hooks = Hooks()
    with ThreadedUvicorn(hooks) as receiver:
        roomy = Gateway(tmp_path / "roomy", upstream_url, audit={"sinks": [postgres_sink(postgres, "audit_roomy")]})
        tight = Gateway(
            tmp_path / "tight",
            upstream_url,
            audit={"sinks": [postgres_sink(postgres, "audit_tight")], "queue": 100, "batch": 50,
                   "spool": {"max_size": "32KiB"}},
            detect={"detectors": [], "webhooks": [{"url": receiver.url, "attempts": 1}]},
        )  # fmt: skip
        with gateways(roomy, tight), Load(roomy.url, 8) as roomy_load, Load(tight.url, 8) as tight_load:
            roomy_load.wait_for(200, timeout=30)
            tight_load.wait_for(200, timeout=30)
            halted = time.monotonic()
            postgres.halt()
            eventually(lambda: roomy.ready().status_code == 503, 5, "readiness turns false")
            time.sleep(OUTAGE)  # the outage itself
            spooled = roomy.metric("bastion_audit_spool_events")
            assert spooled > 0
            assert tight.metric("bastion_audit_dropped_events") > 0
            eventually(lambda: [h for h in hooks.received if h["kind"] == "audit.dropped"], 5, "a drop alert")
            resumed = time.monotonic()
            postgres.resume()
            eventually(lambda: roomy.ready().status_code == 200, 10, "readiness back")
            eventually(lambda: roomy.metric("bastion_audit_spool_events") == 0, 30, "the spool delivered")
            delivered_in = time.monotonic() - resumed
            roomy_load.stop()
            tight_load.stop()
            eventually(lambda: tight.ready().status_code == 200, 10, "the tight spool delivered")
            dropped = int(tight.metric("bastion_audit_dropped_events"))
        assert (roomy.exit_code, tight.exit_code) == (0, 0)

    # roomy: every event, in order, each stream delivered in the order it was chained
    answered = [a.request_id for a in roomy_load.answers if a.status == 200]
    assert not [a for a in roomy_load.answers if a.status != 200]
    events = postgres_events(postgres.dsn, "audit_roomy")
    stored = {request_id for _, _, request_id, _ in events}
    assert [rid for rid in answered if rid not in stored] == []
    with psycopg.connect(postgres.dsn) as conn:
        order = conn.execute("SELECT stream, seq, xmin::text::bigint FROM audit_roomy ORDER BY stream, seq").fetchall()
    for (stream_a, seq_a, tx_a), (stream_b, seq_b, tx_b) in itertools.pairwise(order):
        if stream_a == stream_b:
            assert seq_b == seq_a + 1
            assert tx_b >= tx_a, f"event {seq_b} committed before event {seq_a}"
    assert roomy.cli("audit", "verify").returncode == 0

    # tight: what the spool could not hold was dropped before it was chained, and counted exactly
    tight_answered = {a.request_id for a in tight_load.answers if a.status == 200}
    tight_stored = {request_id for _, _, request_id, _ in postgres_events(postgres.dsn, "audit_tight")}
    lost = tight_answered - tight_stored
    assert len(lost) == dropped
    assert "audit events dropped" in tight.output() or "dropped so far" in tight.output()
    assert tight.cli("audit", "verify").returncode == 0, "drops happen before chaining: no gap"
    print(f"batched, PostgreSQL down {resumed - halted:.1f}s: {len(answered)} answered, {spooled:.0f} events "
          f"spooled at the end of the outage, all delivered in order {delivered_in:.2f}s after PostgreSQL "
          f"returned, 0 lost; with a 32 KiB spool: {dropped} dropped, counted and alerted, "
          f"{len(tight_stored)} stored")  # fmt: skip


def test_sigterm_during_an_outage_leaves_the_spool_to_the_next_process(
    tmp_path: Path, upstream_url: str, postgres: RestartablePostgres
) -> None:
    spool = tmp_path / "audit-spool"
    audit = {"sinks": [postgres_sink(postgres)], "stop_timeout": "1s", "spool": {"path": str(spool)}}
    gateway = Gateway(tmp_path / "first", upstream_url, audit=audit)
    with gateways(gateway), Load(gateway.url, 8) as load:
        load.wait_for(100, timeout=30)
        eventually(lambda: postgres_events(postgres.dsn), 10, "events reach PostgreSQL")
        postgres.halt()
        load.wait_for(len(load.answers) + 500, timeout=30)
        load.stop()
        assert gateway.terminate() == 0
    assert "stay in the spool" in gateway.output()
    assert list(spool.glob("*.spool"))
    postgres.resume()
    answered = [a.request_id for a in load.answers if a.status == 200]

    successor = Gateway(tmp_path / "next", upstream_url, audit=audit)  # another process, the same spool directory
    with gateways(successor):

        def delivered() -> bool:
            stored = {request_id for _, _, request_id, _ in postgres_events(postgres.dsn)}
            return all(rid in stored for rid in answered)

        eventually(delivered, 15, "the spool left at SIGTERM is delivered by the next process")
        eventually(lambda: not list(spool.glob("*.spool")), 10, "the spool file removed")
    assert "left in the spool" in successor.output()
    assert successor.cli("audit", "verify").returncode == 0
