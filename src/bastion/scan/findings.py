"""What a check is and what it reports: its classification, and findings with evidence and a reproduction."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class Severity(IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r}; use one of {names}") from None


class Confidence(IntEnum):
    TENTATIVE = 0
    FIRM = 1
    CERTAIN = 2

    @property
    def label(self) -> str:
        return self.name.lower()


OWASP_2023 = {
    "API1": "API1:2023 Broken Object Level Authorization",
    "API2": "API2:2023 Broken Authentication",
    "API3": "API3:2023 Broken Object Property Level Authorization",
    "API4": "API4:2023 Unrestricted Resource Consumption",
    "API5": "API5:2023 Broken Function Level Authorization",
    "API6": "API6:2023 Unrestricted Access to Sensitive Business Flows",
    "API7": "API7:2023 Server Side Request Forgery",
    "API8": "API8:2023 Security Misconfiguration",
    "API9": "API9:2023 Improper Inventory Management",
    "API10": "API10:2023 Unsafe Consumption of APIs",
}


class Phase(IntEnum):
    STATIC = 0  # reads the spec, sends nothing
    ACTIVE = 1  # probes that leave the API as it was
    STATEFUL = 2  # creates data, bursts requests or changes a test user: run after the others
    PASSIVE = 3  # reads every exchange the scan made


@dataclass(frozen=True)
class CheckInfo:
    """A check's identity and classification; every finding it reports inherits them."""

    id: str
    title: str
    severity: Severity
    cwe: int
    owasp: str
    remediation: str
    bastion: str | None = None
    phase: Phase = Phase.ACTIVE
    needs_users: int = 0  # test identities needed (non-admin), e.g. 2 for BOLA
    needs_admin: bool = False
    needs_graphql: bool = False  # runs only with --graphql

    def __post_init__(self) -> None:
        if self.owasp not in OWASP_2023:
            raise ValueError(f"{self.id}: unknown OWASP category {self.owasp}")

    @property
    def owasp_name(self) -> str:
        return OWASP_2023[self.owasp]


@dataclass(frozen=True)
class Evidence:
    """One request and what came back, already masked; `note` says why this exchange matters."""

    method: str
    url: str
    request_headers: tuple[tuple[str, str], ...]
    request_body: str | None
    status: int | None
    response_headers: tuple[tuple[str, str], ...]
    response_excerpt: str
    elapsed_ms: float
    note: str = ""

    def curl(self) -> str:
        parts = ["curl", "-i", "-X", self.method]
        for name, value in self.request_headers:
            if name.lower() in ("host", "content-length", "accept-encoding", "connection", "user-agent"):
                continue
            parts += ["-H", f"{name}: {value}"]
        if self.request_body is not None:
            parts += ["--data-binary", self.request_body]
        parts.append(self.url)
        return " ".join(shlex.quote(p) for p in parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "note": self.note,
            "request": {
                "method": self.method,
                "url": self.url,
                "headers": dict(self.request_headers),
                "body": self.request_body,
            },
            "response": {
                "status": self.status,
                "headers": dict(self.response_headers),
                "excerpt": self.response_excerpt,
                "elapsed_ms": round(self.elapsed_ms, 1),
            },
            "curl": self.curl(),
        }


@dataclass
class Finding:
    check_id: str
    title: str
    severity: Severity
    confidence: Confidence
    cwe: int
    owasp: str
    operation: str
    detail: str
    remediation: str
    bastion: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    occurrences: int = 1

    @property
    def key(self) -> tuple[str, str]:
        return (self.check_id, self.operation)

    @property
    def reproduction(self) -> str | None:
        return self.evidence[0].curl() if self.evidence else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check_id,
            "title": self.title,
            "severity": self.severity.label,
            "confidence": self.confidence.label,
            "cwe": self.cwe,
            "owasp": self.owasp,
            "operation": self.operation,
            "detail": self.detail,
            "occurrences": self.occurrences,
            "evidence": [e.to_dict() for e in self.evidence],
            "reproduction": self.reproduction,
            "remediation": self.remediation,
            "bastion_policy": self.bastion,
        }
