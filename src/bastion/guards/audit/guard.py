"""The audit guard: no request is served that the trail could not record."""

from __future__ import annotations

from bastion.audit.writer import AuditLog
from bastion.core.context import Context
from bastion.core.request import Request
from bastion.core.verdict import Verdict


class AuditCapacity:
    """No request is served that the trail could not record: with `audit.on_full: refuse` while the
    queue is full or the writer is gone, and in strict durability also while a sink is failing
    (refused at once, before the upstream acts on the request, rather than after a timeout)."""

    needs_body = False

    def __init__(self, audit: AuditLog) -> None:
        self._audit = audit

    def check(self, request: Request, ctx: Context) -> Verdict | None:
        return self._audit.refusing()
