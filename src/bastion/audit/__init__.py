"""The audit trail: one tamper-evident event per request, written off the hot path."""

from __future__ import annotations

from bastion.audit.sinks import Sink
from bastion.audit.writer import AuditLog
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
            sinks.append(PostgresSink(audit.postgres.dsn, audit.postgres.table, strict=strict))
        elif name == "jsonl":
            sinks.append(JSONLSink(audit.jsonl.path, audit.jsonl.max_size, audit.jsonl.keep))
        else:
            sinks.append(StdoutSink())
    return sinks


class AuditCapacity:
    """With `audit.on_full: refuse`, no request is served that the trail could not record."""

    needs_body = False

    def __init__(self, audit: AuditLog) -> None:
        self._audit = audit

    def check(self, request: Request, ctx: Context) -> Verdict | None:
        if self._audit.full:
            return Verdict.refuse(503, "audit.full", "the audit queue is full", category="audit")
        return None


__all__ = ["AuditCapacity", "AuditLog", "open_sinks"]
