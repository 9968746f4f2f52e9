"""Keyset pagination of the audit search: every event once, newest first, even when many share an
instant and several processes write streams side by side."""

from __future__ import annotations

import random
from pathlib import Path

from bastion.audit.chain import GENESIS, canonical, link
from bastion.audit.sinks import Row
from bastion.audit.sinks.sqlite import SQLiteSink
from bastion.store import audit_queries
from bastion.store.audit_queries import AuditQuery, Cursor


def test_pages_cover_every_event_once_across_equal_timestamps_and_streams(tmp_path: Path) -> None:
    path = tmp_path / "bastion.db"
    sink = SQLiteSink(path)
    rng = random.Random(5)
    expected = []
    for stream in ("a" * 16, "b" * 16, "c" * 16):
        rows = []
        for seq in range(1, 41):
            ts = 1_800_000_000.0 + rng.choice([0.0, 0.0, 1.0, 2.0])  # most events share an instant
            event = {"ts": ts, "request_id": f"{stream[0]}{seq}", "client": "10.0.0.1", "subject": None,
                     "method": "GET", "path": "/", "operation": None, "status": 200, "decision": "allowed",
                     "rules": []}  # fmt: skip
            body = canonical(event)
            rows.append(Row(stream, seq, event, body, GENESIS, link(GENESIS, body)))
            expected.append((ts, stream, seq))
        sink.write(rows, [])
    sink.close()
    db = audit_queries.connect(path)
    assert audit_queries.ensure_indexes(db)
    seen: list[tuple[float, str, int]] = []
    cursor: Cursor | None = None
    while True:
        page = audit_queries.search(db, AuditQuery(since=0, before=cursor, limit=7))
        seen += [(e["ts"], e["stream"], e["seq"]) for e in page.events]
        if page.next is None:
            break
        cursor = Cursor.decode(page.next.encode())
    assert seen == sorted(expected, reverse=True)


def test_a_cursor_from_the_address_bar_is_checked() -> None:
    assert Cursor.decode("1800000000.5:abc:12") == Cursor(1800000000.5, "abc", 12)
    for bad in ("", "x:y", "1:2:three", "nan-ish:a:1:2", "1:a:" + "9" * 200):
        assert Cursor.decode(bad) is None
