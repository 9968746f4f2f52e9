"""Audit events in PostgreSQL (psycopg 3), for fleets: batches go in with COPY.

The sink holds one connection, opened on first use and dropped on any error, so the next write
connects again: a PostgreSQL restart costs the writes made while it is down (they wait in the spool,
see `delivery.py`), never the sink. The writer thread decides when to try again, on its own
schedule (a pool's reconnect backoff grows without bound and would leave events waiting long after
the database is back). Every network step is bounded: connecting by `timeout`, an unanswered write
by TCP_USER_TIMEOUT, a statement the server sits on by `statement_timeout`.

A batch written again after a lost acknowledgement meets its own rows: COPY refuses them, and the
batch goes in row by row with ON CONFLICT DO NOTHING instead.

Commits are synchronous in both durabilities: a batch PostgreSQL acknowledged is in its WAL. With
`synchronous_commit = off` (once used for batched mode) a PostgreSQL crash lost batches it had
already acknowledged, which no retry could notice; one WAL flush per batch is cheap on this thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg import sql

from bastion.audit.chain import Checkpoint, StoredEvent
from bastion.audit.columns import FILTERED, SEARCHABLE, Found, columns, hashed_matches
from bastion.audit.sinks import Row

_EVENT_COLUMNS = ("stream", "seq", *SEARCHABLE, "event", "body", "prev", "hash")


def _schema(table: str) -> list[sql.Composed]:
    events, checkpoints = sql.Identifier(table), sql.Identifier(f"{table}_checkpoints")
    return [
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (stream text NOT NULL, seq bigint NOT NULL, ts double precision NOT NULL, "
            "request_id text, client text, subject text, method text, path text, operation text, status integer, "
            "decision text, rules text, event jsonb NOT NULL, body text NOT NULL, prev text NOT NULL, "
            "hash text NOT NULL, PRIMARY KEY (stream, seq))"
        ).format(events),
        sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (ts)").format(sql.Identifier(f"{table}_ts"), events),
        sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (client, ts)").format(sql.Identifier(f"{table}_client"), events),
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (stream text NOT NULL, seq bigint NOT NULL, hash text NOT NULL, "
            "secret_id text NOT NULL, mac text NOT NULL, "
            "ts double precision NOT NULL DEFAULT extract(epoch from now()), PRIMARY KEY (stream, seq))"
        ).format(checkpoints),
    ]


def connect(dsn: str, timeout: float, **kwargs: Any) -> psycopg.Connection[Any]:
    """A connection whose every wait is bounded by `timeout` seconds."""
    return psycopg.connect(
        dsn,
        connect_timeout=max(2, round(timeout)),  # libpq counts whole seconds, at least 2
        tcp_user_timeout=round(timeout * 1000),
        keepalives=1,
        keepalives_idle=max(1, round(timeout)),
        keepalives_interval=1,
        keepalives_count=3,
        **kwargs,
    )


class PostgresSink:
    name = "postgres"

    def __init__(self, dsn: str, table: str, *, timeout: float = 5.0) -> None:
        self._dsn = dsn
        self._table = table
        self._timeout = timeout
        self._db: psycopg.Connection[Any] | None = None
        events = sql.Identifier(table)
        self._copy = sql.SQL("COPY {} ({}) FROM STDIN").format(
            events, sql.SQL(", ").join(map(sql.Identifier, _EVENT_COLUMNS))
        )
        self._insert = sql.SQL("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT (stream, seq) DO NOTHING").format(
            events,
            sql.SQL(", ").join(map(sql.Identifier, _EVENT_COLUMNS)),
            sql.SQL(", ").join(sql.Placeholder() * len(_EVENT_COLUMNS)),
        )
        self._checkpoint = sql.SQL(
            "INSERT INTO {} (stream, seq, hash, secret_id, mac) VALUES (%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING"
        ).format(sql.Identifier(f"{table}_checkpoints"))

    def _connection(self) -> psycopg.Connection[Any]:
        if self._db is not None and not self._db.closed and not self._db.broken:
            return self._db
        self._drop()
        db = connect(self._dsn, self._timeout, autocommit=False)
        try:
            with db.cursor() as cursor:
                for statement in _schema(self._table):
                    cursor.execute(statement)
                cursor.execute(sql.SQL("SET statement_timeout = {}").format(round(self._timeout * 1000)))
            db.commit()
        except BaseException:
            db.close()
            raise
        self._db = db
        return db

    def write(self, rows: list[Row], checkpoints: list[Checkpoint]) -> None:
        db = self._connection()
        try:
            try:
                self._write(db, rows, checkpoints, copy=True)
            except psycopg.errors.UniqueViolation:
                db.rollback()  # some of these rows are already stored: a retried batch
                self._write(db, rows, checkpoints, copy=False)
        except BaseException:
            self._drop()
            raise

    def _write(
        self, db: psycopg.Connection[Any], rows: list[Row], checkpoints: list[Checkpoint], *, copy: bool
    ) -> None:
        values = [(row.stream, row.seq, *columns(row.event), row.body.decode(), row.body.decode(), row.prev,
                   row.digest) for row in rows]  # fmt: skip
        with db.cursor() as cursor:
            if copy:
                with cursor.copy(self._copy) as stream:
                    for value in values:
                        stream.write_row(value)
            elif values:
                cursor.executemany(self._insert, values)
            if checkpoints:
                cursor.executemany(
                    self._checkpoint, [(c.stream, c.seq, c.digest, c.secret_id, c.mac) for c in checkpoints]
                )
        db.commit()

    def _drop(self) -> None:
        if self._db is not None:
            with contextlib.suppress(Exception):  # already broken: nothing more to release
                self._db.close()
            self._db = None

    def close(self) -> None:
        self._drop()


class PostgresReader:
    def __init__(self, dsn: str, table: str, timeout: float = 10.0) -> None:
        self._db = connect(dsn, timeout)
        self._table = table

    def events(self) -> Iterator[StoredEvent]:
        stored = sql.SQL(", ").join(map(sql.Identifier, SEARCHABLE))
        with self._db.cursor(name="audit_verify") as cursor:
            cursor.execute(
                sql.SQL("SELECT stream, seq, body, prev, hash, event, {} FROM {} ORDER BY stream, seq").format(
                    stored, sql.Identifier(self._table)
                )
            )
            for stream, seq, body, prev, digest, document, *values in cursor:
                yield StoredEvent(stream, int(seq), body.encode(), prev, digest, tuple(values), document)

    def checkpoints(self) -> list[Checkpoint]:
        rows = self._db.execute(
            sql.SQL("SELECT stream, seq, hash, secret_id, mac FROM {} ORDER BY stream, seq").format(
                sql.Identifier(f"{self._table}_checkpoints")
            )
        ).fetchall()
        return [Checkpoint(stream, int(seq), digest, sid, mac) for stream, seq, digest, sid, mac in rows]

    def search(self, since: float, filters: dict[str, Any], limit: int) -> Found:
        clauses: list[sql.Composable] = [sql.SQL("ts >= %s")]
        values: list[Any] = [since]
        for column in FILTERED:
            if filters.get(column) is not None:
                clauses.append(sql.SQL("{} = %s").format(sql.Identifier(column)))
                values.append(filters[column])
        if filters.get("rule"):
            clauses.append(sql.SQL("(' ' || rules || ' ') LIKE %s"))
            values.append(f"% {filters['rule']}%")
        query = sql.SQL("SELECT stream, seq, body, {} FROM {} WHERE {} ORDER BY ts DESC LIMIT %s").format(
            sql.SQL(", ").join(map(sql.Identifier, SEARCHABLE)),
            sql.Identifier(self._table),
            sql.SQL(" AND ").join(clauses),
        )
        return hashed_matches(self._db.execute(query, (*values, limit)).fetchall())

    def close(self) -> None:
        self._db.close()
