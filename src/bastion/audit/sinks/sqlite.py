"""Audit events in SQLite (WAL): the embedded default, in the store's file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bastion.audit.chain import Checkpoint, StoredEvent
from bastion.audit.columns import FILTERED, SEARCHABLE, Found, columns, hashed_matches
from bastion.audit.sinks import Row
from bastion.audit.sinks.wal import BUSY_TIMEOUT_MS, WalCheckpointer
from bastion.audit.sinks.wal import INTERVAL as WAL_INTERVAL
from bastion.audit.sinks.wal import LIMIT as WAL_LIMIT
from bastion.core.sqlite_wal import use_wal

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_events (
    stream TEXT NOT NULL,
    seq INTEGER NOT NULL,
    ts REAL NOT NULL,
    request_id TEXT,
    client TEXT,
    subject TEXT,
    method TEXT,
    path TEXT,
    operation TEXT,
    status INTEGER,
    decision TEXT,
    rules TEXT,
    event TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (stream, seq)
);
CREATE INDEX IF NOT EXISTS audit_events_ts ON audit_events (ts);
CREATE INDEX IF NOT EXISTS audit_events_client ON audit_events (client, ts);
CREATE TABLE IF NOT EXISTS audit_checkpoints (
    stream TEXT NOT NULL,
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL,
    secret_id TEXT NOT NULL,
    mac TEXT NOT NULL,
    ts REAL NOT NULL,
    PRIMARY KEY (stream, seq)
);
"""


def _connect(path: Path, strict: bool = False) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    use_wal(db)
    db.execute(f"PRAGMA synchronous={'FULL' if strict else 'NORMAL'}")
    # 128 KiB: an append touches only the rightmost pages of the table and its two indexes (a few
    # dozen 4 KiB pages); a larger cache only holds memory (2 MiB default, 512 KiB: the same 10-11 us
    # per event written, 0.4 MiB more resident in a serving worker)
    db.execute("PRAGMA cache_size=-128")
    db.execute(f"PRAGMA journal_size_limit={WAL_LIMIT}")  # once restarted, the WAL file shrinks back to this
    db.executescript(SCHEMA)
    return db


_EVENTS = "INSERT INTO audit_events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
_CHECKPOINTS = "INSERT INTO audit_checkpoints VALUES (?,?,?,?,?,strftime('%s','now'))"
_IGNORE = " ON CONFLICT (stream, seq) DO NOTHING"
_INSERTS = {False: (_EVENTS, _CHECKPOINTS), True: (_EVENTS + _IGNORE, _CHECKPOINTS + _IGNORE)}


class SQLiteSink:
    name = "sqlite"

    def __init__(
        self, path: Path, *, strict: bool = False, wal_interval: float = WAL_INTERVAL, wal_limit: int = WAL_LIMIT
    ) -> None:
        self._db = _connect(path, strict)
        # The append path never checkpoints: a checkpoint's fsyncs would stall the audit queue (wal.py)
        self._db.execute("PRAGMA wal_autocheckpoint=0")
        self._checkpointer = WalCheckpointer(path, interval=wal_interval, limit=wal_limit)

    def write(self, rows: list[Row], checkpoints: list[Checkpoint]) -> None:
        try:
            self._write(rows, checkpoints, redelivered=False)
        except sqlite3.IntegrityError:  # some of these rows are already stored: a redelivered batch
            self._write(rows, checkpoints, redelivered=True)

    def _write(self, rows: list[Row], checkpoints: list[Checkpoint], *, redelivered: bool) -> None:
        insert_events, insert_checkpoints = _INSERTS[redelivered]
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany(
                insert_events,
                [(row.stream, row.seq, *columns(row.event), row.body.decode(), row.prev, row.digest) for row in rows],
            )
            if checkpoints:
                db.executemany(
                    insert_checkpoints,
                    [(c.stream, c.seq, c.digest, c.secret_id, c.mac) for c in checkpoints],
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self._checkpointer.restart_if_over(db)

    def close(self) -> None:
        self._checkpointer.close()
        self._db.close()


_COLUMNS = ", ".join(SEARCHABLE)


class SQLiteReader:
    def __init__(self, path: Path) -> None:
        self._db = _connect(path)

    def events(self) -> Iterator[StoredEvent]:
        query = f"SELECT stream, seq, event, prev, hash, {_COLUMNS} FROM audit_events ORDER BY stream, seq"  # noqa: S608
        for stream, seq, body, prev, digest, *stored in self._db.execute(query):
            yield StoredEvent(stream, seq, body.encode(), prev, digest, tuple(stored))

    def checkpoints(self) -> list[Checkpoint]:
        rows = self._db.execute("SELECT stream, seq, hash, secret_id, mac FROM audit_checkpoints ORDER BY stream, seq")
        return [Checkpoint(*row) for row in rows]

    def search(self, since: float, filters: dict[str, Any], limit: int) -> Found:
        clauses: list[str] = ["ts >= ?"]
        values: list[Any] = [since]
        for column in FILTERED:
            if filters.get(column) is not None:
                clauses.append(f"{column} = ?")
                values.append(filters[column])
        if filters.get("rule"):
            clauses.append("(' ' || rules || ' ') LIKE ?")
            values.append(f"% {filters['rule']}%")
        where = " AND ".join(clauses)
        sql = f"SELECT stream, seq, event, {_COLUMNS} FROM audit_events WHERE {where} ORDER BY ts DESC LIMIT ?"  # noqa: S608
        return hashed_matches(self._db.execute(sql, (*values, limit)).fetchall())

    def close(self) -> None:
        self._db.close()
