"""Audit events in PostgreSQL (psycopg 3), for fleets: batches go in with COPY."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import psycopg
from psycopg import sql

from bastion.audit.chain import Checkpoint, StoredEvent
from bastion.audit.sinks import Row


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


class PostgresSink:
    def __init__(self, dsn: str, table: str, *, strict: bool = False) -> None:
        self._table = table
        self._db = psycopg.connect(dsn, autocommit=False)
        with self._db.cursor() as cursor:
            for statement in _schema(table):
                cursor.execute(statement)
            if not strict:
                cursor.execute("SET synchronous_commit TO off")  # batched durability; strict keeps the default
        self._db.commit()

    def write(self, rows: list[Row], checkpoints: list[Checkpoint]) -> None:
        events = sql.Identifier(self._table)
        with self._db.cursor() as cursor:
            with cursor.copy(
                sql.SQL(
                    "COPY {} (stream, seq, ts, request_id, client, subject, method, path, operation, status, "
                    "decision, rules, event, body, prev, hash) FROM STDIN"
                ).format(events)
            ) as copy:
                for row in rows:
                    event = row.event
                    body = row.body.decode()
                    copy.write_row(
                        (
                            row.stream,
                            row.seq,
                            event["ts"],
                            event["request_id"],
                            event["client"],
                            event["subject"],
                            event["method"],
                            event["path"],
                            event["operation"],
                            event["status"],
                            event["decision"],
                            " ".join(rule["rule"] for rule in event["rules"]),
                            body,
                            body,
                            row.prev,
                            row.digest,
                        )
                    )
            if checkpoints:
                cursor.executemany(
                    sql.SQL("INSERT INTO {} (stream, seq, hash, secret_id, mac) VALUES (%s,%s,%s,%s,%s)").format(
                        sql.Identifier(f"{self._table}_checkpoints")
                    ),
                    [(c.stream, c.seq, c.digest, c.secret_id, c.mac) for c in checkpoints],
                )
        self._db.commit()

    def close(self) -> None:
        self._db.close()


class PostgresReader:
    def __init__(self, dsn: str, table: str) -> None:
        self._db = psycopg.connect(dsn)
        self._table = table

    def events(self) -> Iterator[StoredEvent]:
        with self._db.cursor(name="audit_verify") as cursor:
            cursor.execute(
                sql.SQL("SELECT stream, seq, body, prev, hash FROM {} ORDER BY stream, seq").format(
                    sql.Identifier(self._table)
                )
            )
            for stream, seq, body, prev, digest in cursor:
                yield StoredEvent(stream, int(seq), body.encode(), prev, digest)

    def checkpoints(self) -> list[Checkpoint]:
        rows = self._db.execute(
            sql.SQL("SELECT stream, seq, hash, secret_id, mac FROM {} ORDER BY stream, seq").format(
                sql.Identifier(f"{self._table}_checkpoints")
            )
        ).fetchall()
        return [Checkpoint(stream, int(seq), digest, sid, mac) for stream, seq, digest, sid, mac in rows]

    def search(self, since: float, filters: dict[str, Any], limit: int) -> list[dict[str, Any]]:
        clauses: list[sql.Composable] = [sql.SQL("ts >= %s")]
        values: list[Any] = [since]
        for column in ("client", "subject", "status", "decision", "operation", "method", "request_id"):
            if filters.get(column) is not None:
                clauses.append(sql.SQL("{} = %s").format(sql.Identifier(column)))
                values.append(filters[column])
        if filters.get("rule"):
            clauses.append(sql.SQL("(' ' || rules || ' ') LIKE %s"))
            values.append(f"% {filters['rule']}%")
        query = sql.SQL("SELECT stream, seq, body FROM {} WHERE {} ORDER BY ts DESC LIMIT %s").format(
            sql.Identifier(self._table), sql.SQL(" AND ").join(clauses)
        )
        rows = self._db.execute(query, (*values, limit)).fetchall()
        return [{"stream": stream, "seq": seq, **orjson.loads(body)} for stream, seq, body in rows]

    def close(self) -> None:
        self._db.close()
