"""The audit trail: one tamper-evident event per request, written off the hot path."""

from __future__ import annotations

from bastion.audit.health import AuditUnavailable
from bastion.audit.sinks import Sink
from bastion.audit.sinks.files import JSONLSink, StdoutSink
from bastion.audit.sinks.sqlite import SQLiteSink
from bastion.audit.writer import AuditLog
from bastion.config.model import BastionConfig


def open_sinks(config: BastionConfig) -> list[Sink]:
    audit = config.audit
    assert audit is not None
    strict = audit.durability == "strict"
    sinks: list[Sink] = []
    for name in audit.sinks:
        if name == "sqlite":
            sinks.append(SQLiteSink(config.store.path, strict=strict))
        elif name == "postgres":
            from bastion.audit.sinks.postgres import PostgresSink  # noqa: PLC0415  lazy: psycopg only when the trail goes to PostgreSQL

            postgres = audit.postgres
            if postgres is None:
                raise ValueError("audit.sinks has postgres but audit.postgres is not configured")
            sinks.append(PostgresSink(postgres.dsn, postgres.table, timeout=postgres.timeout))
        elif name == "jsonl":
            sinks.append(JSONLSink(audit.jsonl.path, audit.jsonl.max_size, audit.jsonl.keep))
        else:
            sinks.append(StdoutSink())
    return sinks


__all__ = ["AuditLog", "AuditUnavailable", "open_sinks"]
