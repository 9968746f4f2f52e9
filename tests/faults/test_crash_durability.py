"""Promise: with `audit.durability: strict`, a kill -9 of every Bastion process under load loses no
event of an answered request (counted by request id), in SQLite and in PostgreSQL. With `batched`,
what a kill -9 loses is the events of the last moments before it: measured and bounded here.

The load: 16 connections sending GETs back to back (CI: until 3,000 answers; a campaign raises
BASTION_FAULT_REQUESTS), through two workers, then SIGKILL to the supervisor and both workers at once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.processes import Gateway, Load, RestartablePostgres, postgres_events, seconds, sqlite_events

REQUESTS = int(seconds("BASTION_FAULT_REQUESTS", 3000))


def _killed_under_load(gateway: Gateway) -> tuple[list, float]:  # type: ignore[type-arg]
    with Load(gateway.url, connections=16, timeout=10) as load:
        load.wait_for(REQUESTS, timeout=120)
        killed = gateway.kill9()
    return load.answers, killed


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_strict_kill_9_loses_no_answered_event(
    tmp_path: Path, upstream_url: str, store: str, request: pytest.FixtureRequest
) -> None:
    audit: dict[str, object] = {"durability": "strict"}
    if store == "postgres":
        postgres: RestartablePostgres = request.getfixturevalue("postgres")
        audit["sinks"] = [{"postgres": {"dsn": postgres.dsn}}]
    gateway = Gateway(tmp_path, upstream_url, workers=2, audit=audit)
    gateway.start()
    try:
        answers, _ = _killed_under_load(gateway)
    finally:
        gateway.stop()
    stored = postgres_events(postgres.dsn) if store == "postgres" else sqlite_events(tmp_path / "bastion.db")
    recorded = {request_id for _, _, request_id, _ in stored}
    answered = [a for a in answers if a.status and a.rule != "urn:bastion:problem:unavailable"]
    refused = [a for a in answers if a.rule == "urn:bastion:problem:unavailable"]
    missing = [a.request_id for a in answered if a.request_id not in recorded]
    print(f"strict/{store}: {len(answered)} answered, {len(missing)} without an event after kill -9, "
          f"{len(refused)} refused as not durable in time, {len(recorded)} events stored")  # fmt: skip
    assert len(answered) >= REQUESTS
    assert missing == []


def test_batched_kill_9_loses_only_the_last_moments(tmp_path: Path, upstream_url: str) -> None:
    """What batched durability gives up: the events of answers sent within the last flush (100 ms by
    default, plus the batch in the writer's hands) before the kill. Bounded here at one second."""
    gateway = Gateway(tmp_path, upstream_url, workers=2, audit={"durability": "batched"})
    gateway.start()
    try:
        answers, killed = _killed_under_load(gateway)
    finally:
        gateway.stop()
    recorded = {request_id for _, _, request_id, _ in sqlite_events(tmp_path / "bastion.db")}
    answered = [a for a in answers if a.status]
    missing = [a for a in answered if a.request_id not in recorded]
    window = max((killed - a.received for a in missing), default=0.0)
    print(f"batched/sqlite: {len(answered)} answered, {len(missing)} without an event after kill -9; "
          f"the oldest of them was answered {window * 1000:.0f} ms before the kill")  # fmt: skip
    assert len(answered) >= REQUESTS
    assert window < 1.0
