"""Promise, batched durability, while PostgreSQL (the audit sink) is down: answers go on; events
wait in the local spool (its depth in the metrics) and reach PostgreSQL in order once it is back,
none lost while the spool has room; past the spool, drops are counted exactly
(`bastion_audit_dropped_events`), logged and sent to the webhooks; readiness is false while events
cannot be made durable; the hash chain verifies afterwards.

Two gateways share the outage: one with the default spool, one with a 32 KiB spool and a queue of
100, which must drop. Outage length as in test_postgres_outage.py.
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any

import orjson
import psycopg

from tests.faults.processes import (
    Gateway,
    Load,
    RestartablePostgres,
    eventually,
    gateways,
    postgres_events,
    postgres_sink,
    seconds,
)
from tests.servers import ThreadedUvicorn

OUTAGE = seconds("BASTION_FAULT_OUTAGE", 4)


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
            eventually(lambda: roomy.metric("bastion_audit_spool_events") == 0, 30 + OUTAGE, "the spool delivered")
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
