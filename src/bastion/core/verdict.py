"""What a guard concludes about a request, and what the pipeline decides from all guards."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Verdict:
    """One guard's objection to a request.

    `reason` and `location` are for the audit trail only; the client sees `title`/`detail`, which
    must never reveal rule internals, matched payloads or whether an object exists.
    """

    status: int
    rule: str  # stable id, e.g. "ingress.method", "waf.sqli.942100"
    reason: str = ""  # internal: why, for the audit event and `bastion explain`
    category: str = ""  # e.g. "ingress", "authn", "sqli"; drives metrics and detectors
    title: str | None = None  # public; defaults to the status's title
    detail: str | None = None  # public and safe to show
    headers: tuple[tuple[str, str], ...] = ()  # e.g. Allow, Retry-After, WWW-Authenticate
    extra: Mapping[str, Any] | None = None  # problem+json extension members, e.g. "errors"
    location: str | None = None  # where in the request, e.g. "query.q" or "body/items/3"
    related: tuple[str, ...] = ()  # further rule ids that contributed

    @classmethod
    def refuse(cls, status: int, rule: str, reason: str = "", **kwargs: Any) -> Verdict:
        return cls(status=status, rule=rule, reason=reason, **kwargs)


@dataclass(frozen=True, slots=True)
class Finding:
    """A verdict as recorded: which guard raised it and whether it blocked (enforce) or not (monitor)."""

    guard: str
    mode: str
    verdict: Verdict


@dataclass(slots=True)
class Decision:
    """The pipeline's answer: allowed, or the refusal the host must send instead of forwarding."""

    refusal: Verdict | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return self.refusal is None
