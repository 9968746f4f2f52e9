"""The audit trail: one tamper-evident event per request, written off the hot path."""

from __future__ import annotations

from bastion.audit.sinks import Sink
from bastion.audit.writer import AuditLog, AuditUnavailable
from bastion.config.model import BastionConfig
from bastion.core.context import Context
from bastion.core.request import Request
from bastion.core.verdict import Verdict


def open_sinks(config: BastionConfig) -> list[Sink]:
    from bastion.audit.sinks.files import JSONLSink, StdoutSink
    from bastion.audit.sinks.sqlite import SQLiteSink

    audit = config.audit
    assert audit is not None
    strict = audit.durability == "strict"
    sinks: list[Sink] = []
    for name in audit.sinks:
        if name == "sqlite":
            sinks.append(SQLiteSink(config.store.path, strict=strict))
        elif name == "postgres":
            from bastion.audit.sinks.postgres import PostgresSink

            if audit.postgres is None:
                raise ValueError("audit.sinks has postgres but audit.postgres is not configured")
            postgres = audit.postgres
            sinks.append(PostgresSink(postgres.dsn, postgres.table, timeout=postgres.timeout))
        elif name == "jsonl":
            sinks.append(JSONLSink(audit.jsonl.path, audit.jsonl.max_size, audit.jsonl.keep))
        else:
            sinks.append(StdoutSink())
    return sinks


class AuditCapacity:
    """No request is served that the trail could not record: with `audit.on_full: refuse` while the
    queue is full or the writer is gone, and in strict durability also while a sink is failing
    (refused at once, before the upstream acts on the request, rather than after a timeout)."""

    needs_body = False

    def __init__(self, audit: AuditLog) -> None:
        self._audit = audit

    def check(self, request: Request, ctx: Context) -> Verdict | None:
        return self._audit.refusing()


__all__ = ["AuditCapacity", "AuditLog", "AuditUnavailable", "open_sinks"]
