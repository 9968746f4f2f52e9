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
from typing import Any

from bastion.core.sqlite_wal import use_wal
from bastion.store.records import AlertRecord, APIKeyRecord, BanRecord, IncidentRecord, Revocation

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
CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY,
    ts REAL NOT NULL,
    detector TEXT NOT NULL,
    kind TEXT NOT NULL,
    mode TEXT NOT NULL,
    offender_kind TEXT NOT NULL,
    offender_lookup TEXT NOT NULL,
    sealed TEXT NOT NULL,
    incident_id TEXT,
    responses TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS alerts_incident ON alerts (incident_id);
CREATE TABLE IF NOT EXISTS incidents (
    id TEXT PRIMARY KEY,
    opened_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    status TEXT NOT NULL,
    offender_kind TEXT NOT NULL,
    offender_lookup TEXT NOT NULL,
    title_sealed TEXT NOT NULL,
    alerts INTEGER NOT NULL DEFAULT 0,
    resolved_at REAL,
    note_sealed TEXT
);
CREATE INDEX IF NOT EXISTS incidents_open ON incidents (status, offender_kind, offender_lookup);
CREATE TABLE IF NOT EXISTS bans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    lookup TEXT NOT NULL,
    value_sealed TEXT NOT NULL,
    created_at REAL NOT NULL,
    until REAL NOT NULL,
    level INTEGER NOT NULL,
    reason TEXT NOT NULL,
    lifted_at REAL
);
CREATE INDEX IF NOT EXISTS bans_lookup ON bans (lookup, created_at);
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
            use_wal(db)
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

    # -- alerts, incidents, bans ------------------------------------------------------------------
    def add_alert(self, row: AlertRecord) -> None:
        self._connection().execute(
            "INSERT INTO alerts VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                row.id,
                row.ts,
                row.detector,
                row.kind,
                row.mode,
                row.offender_kind,
                row.offender_lookup,
                row.sealed,
                row.incident_id,
                " ".join(row.responses),
            ),
        )

    def attach_to_incident(self, alert: AlertRecord, title_sealed: str, incident_id: str) -> str:
        """The open incident about this offender (or a new one), with the alert attached."""
        db = self._connection()
        with self._lock:
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute(
                    "SELECT id FROM incidents WHERE status = 'open' AND offender_kind = ? AND offender_lookup = ?",
                    (alert.offender_kind, alert.offender_lookup),
                ).fetchone()
                if row is None:
                    db.execute(
                        "INSERT INTO incidents (id, opened_at, updated_at, status, offender_kind, offender_lookup, "
                        "title_sealed, alerts) VALUES (?,?,?,'open',?,?,?,0)",
                        (incident_id, alert.ts, alert.ts, alert.offender_kind, alert.offender_lookup, title_sealed),
                    )
                else:
                    incident_id = str(row[0])
                db.execute(
                    "UPDATE incidents SET alerts = alerts + 1, updated_at = ? WHERE id = ?", (alert.ts, incident_id)
                )
                db.execute("UPDATE alerts SET incident_id = ? WHERE id = ?", (incident_id, alert.id))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return incident_id

    def incidents(self, status: str | None = None) -> list[IncidentRecord]:
        sql = "SELECT * FROM incidents " + ("WHERE status = ? " if status else "") + "ORDER BY opened_at DESC"  # noqa: S608
        rows = self._connection().execute(sql, (status,) if status else ()).fetchall()
        return [IncidentRecord(*row) for row in rows]

    def incident(self, incident_id: str) -> tuple[IncidentRecord, list[AlertRecord]] | None:
        db = self._connection()
        row = db.execute("SELECT * FROM incidents WHERE id = ?", (incident_id,)).fetchone()
        if row is None:
            return None
        alerts = db.execute("SELECT * FROM alerts WHERE incident_id = ? ORDER BY ts", (incident_id,)).fetchall()
        return IncidentRecord(*row), [_alert_record(a) for a in alerts]

    def resolve_incident(self, incident_id: str, note_sealed: str | None) -> bool:
        cursor = self._connection().execute(
            "UPDATE incidents SET status = 'resolved', resolved_at = ?, note_sealed = ? "
            "WHERE id = ? AND status = 'open'",
            (time.time(), note_sealed, incident_id),
        )
        return cursor.rowcount > 0

    def add_ban(self, ban: BanRecord) -> int:
        cursor = self._connection().execute(
            "INSERT INTO bans (kind, lookup, value_sealed, created_at, until, level, reason) VALUES (?,?,?,?,?,?,?)",
            (ban.kind, ban.lookup, ban.value_sealed, ban.created_at, ban.until, ban.level, ban.reason),
        )
        return int(cursor.lastrowid or 0)

    def offences(self, lookup: str, since: float) -> int:
        row = (
            self._connection()
            .execute("SELECT COUNT(*) FROM bans WHERE lookup = ? AND created_at >= ?", (lookup, since))
            .fetchone()
        )
        return int(row[0])

    def bans(self, *, active_only: bool = True, now: float | None = None) -> list[BanRecord]:
        now = time.time() if now is None else now
        sql = "SELECT * FROM bans"
        if active_only:
            sql += " WHERE until > ? AND lifted_at IS NULL"
        rows = self._connection().execute(sql + " ORDER BY id", (now,) if active_only else ()).fetchall()
        return [BanRecord(*row) for row in rows]

    def lift_ban(self, ban_id: int) -> BanRecord | None:
        db = self._connection()
        cursor = db.execute("UPDATE bans SET lifted_at = ? WHERE id = ? AND lifted_at IS NULL", (time.time(), ban_id))
        if cursor.rowcount == 0:
            return None
        row = db.execute("SELECT * FROM bans WHERE id = ?", (ban_id,)).fetchone()
        return BanRecord(*row)


def _alert_record(row: tuple[Any, ...]) -> AlertRecord:
    alert_id, ts, detector, kind, mode, offender_kind, lookup, sealed, incident_id, responses = row
    return AlertRecord(
        alert_id, ts, detector, kind, mode, offender_kind, lookup, sealed, incident_id, tuple(str(responses).split())
    )


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
