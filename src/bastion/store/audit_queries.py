"""Read-side queries over the SQLite audit trail for the operator console: paginated search, one
event, and the top-N tables of the overview.

Checklist item: activity logging is only useful if the person on call can find an event in a large
trail quickly. Every search is ordered by `ts` and walks an index that starts with the filtered
column, then stops after one page (keyset pagination: the cursor is the last event's (ts, stream,
seq), so page 1,000 costs what page 1 does). The indexes are created here, apart from the sink's
schema, the first time the console opens the trail.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from bastion.audit.columns import SEARCHABLE, hashed_matches

# One (column, ts) index per equality filter of `bastion audit search`: the planner walks the one
# that matches, in ts order, and stops at the page size.
SEARCH_INDEXES = (
    "CREATE INDEX IF NOT EXISTS audit_events_subject_ts ON audit_events (subject, ts)",
    "CREATE INDEX IF NOT EXISTS audit_events_status_ts ON audit_events (status, ts)",
    "CREATE INDEX IF NOT EXISTS audit_events_decision_ts ON audit_events (decision, ts)",
    "CREATE INDEX IF NOT EXISTS audit_events_operation_ts ON audit_events (operation, ts)",
    "CREATE INDEX IF NOT EXISTS audit_events_request_id ON audit_events (request_id)",
    # Only refused and monitored events carry rules: a rule search walks these alone, newest first.
    "CREATE INDEX IF NOT EXISTS audit_events_ruled_ts ON audit_events (ts, rules) "
    "WHERE decision IN ('refused', 'monitored')",
)

EQUALITY_FILTERS = ("client", "subject", "status", "decision", "operation", "method", "request_id")
TOP_COLUMNS = frozenset({"client", "subject", "operation", "path"})
MAX_PAGE = 200
# Counted from the (column, ts) index alone: a covering index, the table is never read.
TOP_SQL = (
    "SELECT {column}, COUNT(*) AS n FROM audit_events WHERE ts >= ? AND {column} IS NOT NULL "
    "GROUP BY {column} ORDER BY n DESC LIMIT ?"
)


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where the next (older) page starts: just below this event in (ts, stream, seq) order."""

    ts: float
    stream: str
    seq: int

    def encode(self) -> str:
        return f"{self.ts!r}:{self.stream}:{self.seq}"

    @classmethod
    def decode(cls, text: str) -> Cursor | None:
        parts = text.split(":")
        if len(parts) != 3 or len(text) > 100:
            return None
        try:
            return cls(float(parts[0]), parts[1], int(parts[2]))
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class AuditQuery:
    since: float
    until: float | None = None
    filters: dict[str, Any] = field(default_factory=dict)  # EQUALITY_FILTERS plus "rule" (a prefix)
    before: Cursor | None = None
    limit: int = 50


@dataclass(frozen=True, slots=True)
class Page:
    events: list[dict[str, Any]]
    next: Cursor | None  # None: this is the oldest page
    edited: int = 0  # rows left out because their columns no longer match their hashed event


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the trail for searching; `ensure_indexes` before the first search."""
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA busy_timeout=30000")
    return db


def ensure_indexes(db: sqlite3.Connection) -> bool:
    """Create the search indexes (once: later calls find them); False while there is no trail yet."""
    exists = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_events'").fetchone()
    if exists is None:
        return False  # nothing written yet: the sink creates the table, a later call adds the indexes
    for statement in SEARCH_INDEXES:
        db.execute(statement)
    # The planner picks the most selective index only if it knows the columns' spread (a subject has
    # a few hundred events, a decision hundreds of thousands): gather it once, it stays roughly true.
    stats = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'").fetchone()
    if stats is None or db.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = 'audit_events'").fetchone() is None:
        db.execute("ANALYZE audit_events")
    return True


def search_sql(query: AuditQuery) -> tuple[str, list[Any]]:
    """The statement and parameters of one page (one more row than the page: is there an older one?)."""
    clauses = ["ts >= ?"]
    values: list[Any] = [query.since]
    if query.until is not None:
        clauses.append("ts < ?")
        values.append(query.until)
    for column in EQUALITY_FILTERS:
        value = query.filters.get(column)
        if value is not None and value != "":
            clauses.append(f"{column} = ?")
            values.append(value)
    rule = query.filters.get("rule")
    if rule:
        # Only refused and monitored events carry rules: the partial index holds those alone (about
        # a tenth of a real trail), in ts order, and each one's rule list is tested on the way.
        clauses.append("decision IN ('refused', 'monitored') AND (' ' || rules) LIKE ? ESCAPE '\\'")
        values.append(f"% {_escape_like(rule)}%")
    if query.before is not None:
        cursor = query.before
        # "Below the cursor" as a plain upper bound on ts (which the index walks in order) minus the
        # events of the cursor's own instant that were already shown: an OR here would make the
        # planner collect and sort everything older instead.
        clauses.append("ts <= ? AND NOT (ts = ? AND (stream > ? OR (stream = ? AND seq >= ?)))")
        values.extend([cursor.ts, cursor.ts, cursor.stream, cursor.stream, cursor.seq])
    # A rule search with nothing narrower walks the refused and monitored events, newest first, and
    # stops at a page; the planner prefers the decision index and a sort of all of them otherwise.
    narrower = any(query.filters.get(column) for column in ("client", "subject", "request_id"))
    source = "audit_events INDEXED BY audit_events_ruled_ts" if rule and not narrower else "audit_events"
    sql = (
        f"SELECT ts, stream, seq, event, {', '.join(SEARCHABLE)} FROM {source} "  # noqa: S608 - fixed names
        f"WHERE {' AND '.join(clauses)} "
        "ORDER BY ts DESC, stream DESC, seq DESC LIMIT ?"
    )
    return sql, [*values, _page_size(query) + 1]


def _page_size(query: AuditQuery) -> int:
    return max(1, min(query.limit, MAX_PAGE))


def search(db: sqlite3.Connection, query: AuditQuery) -> Page:
    """One page of events matching every filter, newest first."""
    sql, values = search_sql(query)
    limit = _page_size(query)
    rows = db.execute(sql, values).fetchall()
    # Answered from the hashed event: a row whose stored columns were edited after it was written is
    # left out (and `bastion audit verify` names the column), so an edit cannot move an event into or
    # out of a search.
    found = hashed_matches((stream, seq, body, *stored) for _, stream, seq, body, *stored in rows[:limit])
    following = None
    if len(rows) > limit:
        ts, stream, seq = rows[limit - 1][:3]
        following = Cursor(ts, stream, seq)
    return Page(found.events, following, found.edited)


def event(db: sqlite3.Connection, stream: str, seq: int) -> dict[str, Any] | None:
    row = db.execute("SELECT event FROM audit_events WHERE stream = ? AND seq = ?", (stream, seq)).fetchone()
    return {"stream": stream, "seq": seq, **orjson.loads(row[0])} if row else None


def top(db: sqlite3.Connection, column: str, since: float, limit: int = 5) -> list[tuple[str, int]]:
    """The most frequent values of `column` since `since` (empty values left out)."""
    if column not in TOP_COLUMNS:
        raise ValueError(f"no top list for {column}")
    sql = TOP_SQL.format(column=column)
    return [(str(value), int(n)) for value, n in db.execute(sql, (since, limit))]


def decisions(db: sqlite3.Connection, since: float) -> dict[str, int]:
    """Events per decision (allowed, refused, monitored, error) since `since`."""
    rows = db.execute("SELECT decision, COUNT(*) FROM audit_events WHERE ts >= ? GROUP BY decision", (since,))
    return {str(decision): int(n) for decision, n in rows}


def refusing_rules(db: sqlite3.Connection, since: float, limit: int = 8) -> list[tuple[str, int]]:
    """Refused events by the first rule they name (the one that decided), most frequent first."""
    rows = db.execute(
        "SELECT rules, COUNT(*) AS n FROM audit_events WHERE decision = 'refused' AND ts >= ? "
        "GROUP BY rules ORDER BY n DESC LIMIT ?",
        (since, limit * 4),
    ).fetchall()
    counts: dict[str, int] = {}
    for rules, n in rows:
        first = str(rules or "").split(" ")[0] or "(none)"
        counts[first] = counts.get(first, 0) + int(n)
    return sorted(counts.items(), key=lambda item: -item[1])[:limit]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def alerts_since(db: sqlite3.Connection, since: float, limit: int = 50) -> list[tuple[str, float, str, str, str]]:
    """(id, ts, detector, mode, sealed) of alerts raised after `since`, oldest first (the live tail)."""
    exists = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alerts'").fetchone()
    if exists is None:
        return []
    rows = db.execute(
        "SELECT id, ts, detector, mode, sealed FROM alerts WHERE ts > ? ORDER BY ts LIMIT ?", (since, limit)
    )
    return [(str(a), float(b), str(c), str(d), str(e)) for a, b, c, d, e in rows]
