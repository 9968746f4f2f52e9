"""Promise: every answered request leaves its event, whatever bytes it carries, and no single event
stops the audit writer.

Bytes that are not UTF-8 reach the event through decoded route parameters, queries and rule reasons
as lone surrogates, which JSON cannot carry (orjson refused them and the writer thread died, so
every later event was lost while the gateway kept answering). They are escaped (`\\xNN`), and the
event lists the fields escaped under `escaped`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import orjson

from tests.faults.processes import Gateway, eventually, gateways, sqlite_events

BAD = ["%ed%a0%80", "%ff", "%c0%af", "%ed%b3%bf", "%f4%90%80%80", "%00", "%fe%ff%00%d8"]


def test_undecodable_bytes_are_escaped_and_the_writer_lives_on(tmp_path: Path, upstream_url: str) -> None:
    gateway = Gateway(
        tmp_path,
        upstream_url,
        routes=[{"path": "/items/{item_id}", "methods": ["GET"]}, {"path": "/**", "methods": ["*"]}],
        waf={"mode": "monitor"},
        audit={"flush_interval": "20ms"},
    )
    sent: dict[str, str] = {}
    with gateways(gateway), httpx.Client(timeout=10) as client:
        for bad in BAD:
            for target, extra in (
                (f"/items/{bad}", {}),
                (f"/search?q={bad}&{bad}=1", {}),
                ("/items/header", {"headers": {"x-probe": bad, "referer": f"/x?{bad}"}}),
                ("/items/raw", {"headers": {"x-raw": bad.replace("%", "").encode("latin-1")[:8] or b"x"}}),
            ):
                response = client.get(gateway.url + target, **extra)  # type: ignore[arg-type]
                sent[response.headers["x-request-id"]] = target
        after = [client.get(f"{gateway.url}/items/ok-{n}").headers["x-request-id"] for n in range(20)]

        def recorded() -> set[str]:
            return {request_id for _, _, request_id, _ in sqlite_events(tmp_path / "bastion.db")}

        answered = set(sent) | set(after)
        eventually(lambda: answered <= recorded(), 10, "every answered request has its event")
        assert gateway.ready().status_code == 200
        assert gateway.metric("bastion_audit_writer_up") == 1
        assert gateway.metric("bastion_audit_escaped_events") > 0
        assert gateway.metric("bastion_audit_dropped_events") == 0

    with sqlite3.connect(tmp_path / "bastion.db") as db:
        events = {
            e["request_id"]: e for e in (orjson.loads(row[0]) for row in db.execute("SELECT event FROM audit_events"))
        }
    ff = next(e for rid, e in events.items() if sent.get(rid) == "/items/%ff")
    assert ff["params"] == {"item_id": "\\xff"}
    assert "params.item_id" in ff["escaped"]
    surrogate = next(e for rid, e in events.items() if sent.get(rid) == "/items/%ed%a0%80")
    assert surrogate["params"] == {"item_id": "\\xed\\xa0\\x80"}
    nul = next(e for rid, e in events.items() if sent.get(rid) == "/items/%00")
    assert nul["params"] == {"item_id": "\\x00"}
    assert gateway.cli("audit", "verify").returncode == 0
