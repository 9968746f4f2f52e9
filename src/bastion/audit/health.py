"""What the audit trail says about itself: its health as the writer last published it, and the
refusal answered when an exchange's event cannot be made durable (strict durability)."""

from __future__ import annotations

from dataclasses import dataclass

from bastion.core.pipeline import CommitRefused
from bastion.core.verdict import Verdict


def unavailable(reason: str) -> Verdict:
    return Verdict.refuse(
        503,
        "audit.unavailable",
        reason,
        category="audit",
        detail="The request could not be recorded in the audit trail; try again shortly.",
        headers=(("retry-after", "1"),),
    )


class AuditUnavailable(CommitRefused):
    """The exchange's event cannot be made durable now (strict durability): answer 503 instead."""

    def __init__(self, reason: str) -> None:
        super().__init__(unavailable(reason))


@dataclass(frozen=True, slots=True)
class Health:
    """What the writer last published about itself (read from other threads, replaced whole)."""

    alive: bool = True
    dead: str | None = None
    failing: tuple[tuple[str, str, float], ...] = ()  # (sink, error, since: monotonic)
    behind: bool = False  # some event is not yet in every sink
    spooled: int = 0
    spool_bytes: int = 0
    spool_full: bool = False
    sinks: tuple[tuple[str, bool], ...] = ()
