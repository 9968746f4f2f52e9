"""The console's read access to the audit trail and alerts, off the event loop.

Searches run on a worker thread against the SQLite trail through `bastion.store.audit_queries`
(indexed, keyset-paginated). A policy whose trail is only in PostgreSQL is searched through that
sink's reader: filters work, but only the newest page is shown.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from bastion.config.model import BastionConfig
from bastion.store import audit_queries
from bastion.store.audit_queries import AuditQuery, Page

T = TypeVar("T")
TOP_TTL = 10.0


class TrailUnavailable(Exception):
    pass


class Trail:
    def __init__(self, config: BastionConfig) -> None:
        audit = config.audit
        self._path: Path | None = None
        self._postgres: tuple[str, str] | None = None
        self.reason = ""
        if audit is None:
            self.reason = "the audit trail is turned off (audit: null)"
        elif "sqlite" in audit.sinks:
            self._path = Path(config.store.path)
        elif "postgres" in audit.sinks and audit.postgres is not None:
            self._postgres = (audit.postgres.dsn, audit.postgres.table)
        else:
            self.reason = "the policy writes the trail to neither sqlite nor postgres"
        self._store_path = Path(config.store.path)
        self._db: sqlite3.Connection | None = None
        self._indexed = False
        self._tops: dict[tuple[str, str], tuple[float, list[tuple[str, int]]]] = {}
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return self._path is not None or self._postgres is not None

    @property
    def pages(self) -> bool:
        """Whether older pages can be reached (keyset pagination needs the SQLite trail)."""
        return self._path is not None

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            path = self._path or self._store_path
            if not path.exists():
                raise TrailUnavailable(f"no events yet ({path} does not exist)")
            self._db = audit_queries.connect(path)
            self._indexed = audit_queries.ensure_indexes(self._db)
        elif not self._indexed:
            self._indexed = audit_queries.ensure_indexes(self._db)  # the trail may have appeared since
        return self._db

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        def locked() -> T:
            with self._lock:
                return work(self._connection())

        return await asyncio.to_thread(locked)

    async def search(self, query: AuditQuery) -> Page:
        if self._postgres is not None:
            return await asyncio.to_thread(self._postgres_search, query)
        if self._path is None:
            raise TrailUnavailable(self.reason)
        return await self._run(lambda db: audit_queries.search(db, query))

    def _postgres_search(self, query: AuditQuery) -> Page:
        from bastion.audit.sinks.postgres import PostgresReader  # noqa: PLC0415  lazy: psycopg only when the trail is in PostgreSQL

        assert self._postgres is not None
        reader = PostgresReader(*self._postgres)
        try:
            return Page(reader.search(query.since, query.filters, query.limit).events, None)
        finally:
            reader.close()

    async def event(self, stream: str, seq: int) -> dict[str, Any] | None:
        if self._path is None:
            page = await self.search(AuditQuery(since=0, filters={}, limit=1))
            return next((e for e in page.events if e["stream"] == stream and e["seq"] == seq), None)
        return await self._run(lambda db: audit_queries.event(db, stream, seq))

    async def top(self, column: str, since: float, window: str = "") -> list[tuple[str, int]]:
        """The top list; the day's is reused for TOP_TTL seconds (a day of a busy trail takes a
        moment to count, and a few seconds more or less do not change it), shorter windows are fresh."""
        if self._path is None:
            return []
        key = (column, window)
        cached = self._tops.get(key)
        now = time.monotonic()
        if window == "24h" and cached is not None and now - cached[0] < TOP_TTL:
            return cached[1]
        rows = await self._run(lambda db: audit_queries.top(db, column, since))
        self._tops[key] = (now, rows)
        return rows

    async def alerts_since(self, since: float) -> list[tuple[str, float, str, str, str]]:
        def read(db: sqlite3.Connection) -> list[tuple[str, float, str, str, str]]:
            return audit_queries.alerts_since(db, since)

        if not self._store_path.exists():
            return []

        def locked() -> list[tuple[str, float, str, str, str]]:
            with self._lock:
                db = self._db if self._path is not None and self._db is not None else None
                if db is None:
                    db = audit_queries.connect(self._store_path)
                    if self._path is not None:
                        self._db = db
                    else:
                        try:
                            return read(db)
                        finally:
                            db.close()
                return read(db)

        return await asyncio.to_thread(locked)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
