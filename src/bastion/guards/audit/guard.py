"""The audit capacity guard: with `audit.on_full: refuse`, no request is served that the trail could not record."""

from __future__ import annotations

from bastion.audit.writer import AuditLog
from bastion.core.context import Context
from bastion.core.request import Request
from bastion.core.verdict import Verdict


class AuditCapacity:
    """With `audit.on_full: refuse`, no request is served that the trail could not record."""

    needs_body = False

    def __init__(self, audit: AuditLog) -> None:
        self._audit = audit

    def check(self, request: Request, ctx: Context) -> Verdict | None:
        if self._audit.full:
            return Verdict.refuse(503, "audit.full", "the audit queue is full", category="audit")
        return None
