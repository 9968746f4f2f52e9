"""The console's audit search on a trail of one million events: every filter walks an index and
answers one page in under 500 ms (the target of issue 20).

Making the trail costs most of this file's time (1M events generated inside SQLite in the real
sink's table, then the search indexes built: about 15 s on the 2-core CI machine, more when the
suite is busy); the searches themselves take milliseconds. Timings on a shared machine are noisy; the query plans are
what keeps them low, so they are asserted too.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from bastion.store import audit_queries
from bastion.store.audit_queries import AuditQuery
from tests.servers import ROOT

pytestmark = pytest.mark.timeout(600)  # the fixture builds a million events
EVENTS = 1_000_000
NOW = 1_800_000_000.0
TARGET_MS = 500.0

FILTERS: list[dict[str, Any]] = [
    {},
    {"client": "10.9.9.9"},
    {"subject": "needle"},
    {"decision": "refused"},
    {"status": 422},
    {"operation": "login"},
    {"request_id": "r00000001"},
    {"rule": "waf."},
    {"rule": "no.such.rule"},
    {"decision": "refused", "subject": "user-5"},
    {"client": "10.0.3.7", "operation": "getMe"},
]


@pytest.fixture(scope="module")
def trail(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path = tmp_path_factory.mktemp("scale") / "bastion.db"
    # Built at low priority in a process of its own: half a minute of CPU that timing-sensitive tests
    # running beside this one on the other core should not have to share.
    build = (
        "import sys; from pathlib import Path; from tests.audit_bulk import fill_fast; "
        "from bastion.store import audit_queries as q; path = Path(sys.argv[1]); "
        f"fill_fast(path, {EVENTS}, now={NOW}); assert q.ensure_indexes(q.connect(path))"
    )
    subprocess.run(["nice", "-n", "15", sys.executable, "-c", build, str(path)], cwd=ROOT, check=True, timeout=540)
    db = audit_queries.connect(path)
    assert audit_queries.ensure_indexes(db)  # already there: nothing to do
    yield db
    db.close()


@pytest.mark.slow
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "none")
def test_every_search_walks_an_index_and_answers_quickly(trail: sqlite3.Connection, filters: dict[str, Any]) -> None:
    query = AuditQuery(since=NOW - 2 * 86400, filters=filters, limit=50)
    sql, values = audit_queries.search_sql(query)
    plan = " ".join(row[-1] for row in trail.execute("EXPLAIN QUERY PLAN " + sql, values))
    assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
    started = time.perf_counter()
    page = audit_queries.search(trail, query)
    elapsed_ms = (time.perf_counter() - started) * 1000
    assert elapsed_ms < TARGET_MS, f"{filters}: {elapsed_ms:.0f} ms"
    assert all(all(event[k] == v for k, v in filters.items() if k != "rule") for event in page.events)
    if "rule" in filters:
        assert all(any(r["rule"].startswith(filters["rule"]) for r in e["rules"]) for e in page.events)
    if filters in ({"client": "10.9.9.9"}, {"subject": "needle"}, {"request_id": "r00000001"}):
        assert [e["seq"] for e in page.events] == [1]  # the one event, from the oldest hour


@pytest.mark.slow
def test_the_last_page_costs_what_the_first_does(trail: sqlite3.Connection) -> None:
    query = AuditQuery(since=NOW - 2 * 86400, filters={"decision": "refused"}, limit=200)
    cursor = None
    for _ in range(50):  # 10,000 events deep
        page = audit_queries.search(trail, AuditQuery(query.since, filters=query.filters, before=cursor, limit=200))
        cursor = page.next
    deep_query = AuditQuery(query.since, filters=query.filters, before=cursor, limit=200)
    sql, values = audit_queries.search_sql(deep_query)
    plan = " ".join(row[-1] for row in trail.execute("EXPLAIN QUERY PLAN " + sql, values))
    assert "MULTI-INDEX OR" not in plan, plan  # the cursor must bound the index walk, not start a sort
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
    started = time.perf_counter()
    deep = audit_queries.search(trail, deep_query)
    assert (time.perf_counter() - started) * 1000 < TARGET_MS
    assert len(deep.events) == 200
    assert deep.events[0]["ts"] <= cursor.ts


@pytest.mark.slow
def test_overview_tops_over_a_day_of_a_million_events_read_only_an_index(trail: sqlite3.Connection) -> None:
    """The overview's top lists count from a covering index, never the table (timing: docs/console.md)."""
    for column in ("client", "subject", "operation"):
        sql = audit_queries.TOP_SQL.format(column=column)
        plan = " ".join(row[-1] for row in trail.execute("EXPLAIN QUERY PLAN " + sql, (NOW - 86400, 5)))
        assert "USING COVERING INDEX" in plan, plan
        rows = audit_queries.top(trail, column, NOW - 86400)
        assert len(rows) == 5
        assert rows[0][1] >= rows[-1][1]
