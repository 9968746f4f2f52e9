"""Switching an SQLite file to WAL when several processes open it at once.

`PRAGMA journal_mode=WAL` needs the file to itself for a moment, and SQLite answers "locked" at once
for it instead of running the busy handler: workers or gateway processes that start together on one
store, audit database or spool, each converting the file, had one of them exit at start-up. WAL is a
property of the file, so once any of them converted it the others only read the mode; the one that
still finds another mode retries, bounded, until the file is WAL.
"""

from __future__ import annotations

import sqlite3
import time

_ATTEMPTS = 100  # about 5 s of waiting, at most
_PAUSE = 0.01  # seconds, times one to five: the processes that collided do not retry in step


def use_wal(db: sqlite3.Connection) -> None:
    for attempt in range(_ATTEMPTS):
        try:
            if _mode(db, "PRAGMA journal_mode") == "wal" or _mode(db, "PRAGMA journal_mode=WAL") == "wal":
                return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
        if attempt + 1 < _ATTEMPTS:
            time.sleep(_PAUSE * (1 + attempt % 5))
    raise sqlite3.OperationalError(f"the database stayed locked: no switch to WAL in {_ATTEMPTS} attempts")


def _mode(db: sqlite3.Connection, statement: str) -> str:
    return str(db.execute(statement).fetchone()[0]).lower()
