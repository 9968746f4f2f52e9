"""Promises while PostgreSQL, the audit sink, is down, and after it comes back.

- strict: a request is answered 200 only once its event is in PostgreSQL; while that cannot be, it
  is refused with 503 problem+json (`urn:bastion:problem:unavailable`) within `commit_timeout`,
  never left hanging; readiness is false; within a second of PostgreSQL's return, 200s again.
- batched: see test_postgres_spool.py.
- SIGTERM during an outage leaves the spool on disk and says so; the next process delivers it.
- The hash chain verifies afterwards.

Outage length: BASTION_FAULT_OUTAGE seconds (CI: 4; the issue's campaign: 60, `make faults`). Four
are enough for CI: what an outage does is set within its first 0.4 s (the first failed write spools;
the retry delay reaches its 0.25 s cap), and a longer one only spools more events.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.faults.processes import (
    Answer,
    Gateway,
    Load,
    RestartablePostgres,
    eventually,
    gateways,
    postgres_events,
    postgres_sink,
    seconds,
)

OUTAGE = seconds("BASTION_FAULT_OUTAGE", 4)
UNAVAILABLE = "urn:bastion:problem:unavailable"


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
