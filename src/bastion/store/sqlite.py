"""The embedded durable store: one SQLite file in WAL mode, nothing to install.

Calls are synchronous and short; the gateway makes them from a worker thread, never on the event
loop. Each thread gets its own connection (sqlite3 connections are not shared across threads).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

from bastion.store.records import APIKeyRecord, Revocation

SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    environment TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    secret_id TEXT NOT NULL,
    roles TEXT NOT NULL,
    scopes TEXT NOT NULL,
    tenant TEXT,
    created_at REAL NOT NULL,
    expires_at REAL,
    revoked_at REAL,
    last_used_at REAL,
    replaced_by TEXT
);
CREATE TABLE IF NOT EXISTS revocations (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    expires_at REAL,
    reason TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS revocations_value ON revocations (kind, value);
"""


class SQLiteStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._ready = False  # the file is created on first use, so `bastion check` writes nothing
        self._lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            db.execute("PRAGMA busy_timeout=10000")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
            with self._lock:
                if not self._ready:
                    db.executescript(SCHEMA)
                    self._ready = True
        return db

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # -- API keys ------------------------------------------------------------------------------------
    def create_key(self, record: APIKeyRecord) -> None:
        self._connection().execute(
            "INSERT INTO api_keys VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                record.key_id,
                record.name,
                record.environment,
                record.key_hash,
                record.secret_id,
                json.dumps(record.roles),
                json.dumps(record.scopes),
                record.tenant,
                record.created_at,
                record.expires_at,
                record.revoked_at,
                record.last_used_at,
                record.replaced_by,
            ),
        )

    def list_keys(self) -> list[APIKeyRecord]:
        rows = self._connection().execute("SELECT * FROM api_keys ORDER BY created_at").fetchall()
        return [_key_record(row) for row in rows]

    def get_key(self, key_id: str) -> APIKeyRecord | None:
        row = self._connection().execute("SELECT * FROM api_keys WHERE key_id = ?", (key_id,)).fetchone()
        return _key_record(row) if row else None

    def set_key_state(
        self,
        key_id: str,
        *,
        revoked_at: float | None = None,
        expires_at: float | None = None,
        replaced_by: str | None = None,
    ) -> bool:
        sets, values = [], []
        for column, value in (("revoked_at", revoked_at), ("expires_at", expires_at), ("replaced_by", replaced_by)):
            if value is not None:
                sets.append(f"{column} = ?")
                values.append(value)
        if not sets:
            return False
        cursor = self._connection().execute(
            f"UPDATE api_keys SET {', '.join(sets)} WHERE key_id = ?",  # noqa: S608 - fixed column names
            (*values, key_id),
        )
        return cursor.rowcount > 0

    def touch_keys(self, last_used: dict[str, float]) -> None:
        if last_used:
            self._connection().executemany(
                "UPDATE api_keys SET last_used_at = MAX(COALESCE(last_used_at, 0), ?) WHERE key_id = ?",
                [(when, key_id) for key_id, when in last_used.items()],
            )

    # -- revocations ---------------------------------------------------------------------------------
    def add_revocation(self, revocation: Revocation) -> int:
        cursor = self._connection().execute(
            "INSERT INTO revocations (kind, value, expires_at, reason, created_at) VALUES (?,?,?,?,?)",
            (
                revocation.kind,
                revocation.value,
                revocation.expires_at,
                revocation.reason,
                revocation.created_at or time.time(),
            ),
        )
        return int(cursor.lastrowid or 0)

    def revocations_since(self, seq: int, now: float | None = None) -> list[Revocation]:
        now = time.time() if now is None else now
        rows = (
            self._connection()
            .execute(
                "SELECT seq, kind, value, expires_at, reason, created_at FROM revocations "
                "WHERE seq > ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY seq",
                (seq, now),
            )
            .fetchall()
        )
        return [
            Revocation(kind=r[1], value=r[2], expires_at=r[3], reason=r[4], created_at=r[5], seq=r[0]) for r in rows
        ]

    def latest_revocation_seq(self) -> int:
        row = self._connection().execute("SELECT COALESCE(MAX(seq), 0) FROM revocations").fetchone()
        return int(row[0])


def _key_record(row: tuple[object, ...]) -> APIKeyRecord:
    (key_id, name, env, key_hash, secret_id, roles, scopes, tenant, created, expires, revoked, used, replaced) = row
    return APIKeyRecord(
        key_id=str(key_id),
        name=str(name),
        environment=str(env),
        key_hash=str(key_hash),
        secret_id=str(secret_id),
        roles=tuple(json.loads(str(roles))),
        scopes=tuple(json.loads(str(scopes))),
        tenant=str(tenant) if tenant is not None else None,
        created_at=float(created),  # type: ignore[arg-type]
        expires_at=float(expires) if expires is not None else None,  # type: ignore[arg-type]
        revoked_at=float(revoked) if revoked is not None else None,  # type: ignore[arg-type]
        last_used_at=float(used) if used is not None else None,  # type: ignore[arg-type]
        replaced_by=str(replaced) if replaced is not None else None,
    )
