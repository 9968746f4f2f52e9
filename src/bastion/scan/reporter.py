"""Where checks report: one store of findings per scan, and a reporter bound to each check.

The engine hands every check a `Reporter` already bound to its `CheckInfo`, so a check never names
itself when it reports, and nothing here needs the registry. Evidence is masked as it is recorded:
a finding never holds a credential the scan used.
"""

from __future__ import annotations

from bastion.scan.findings import CheckInfo, Confidence, Evidence, Finding, Severity
from bastion.scan.masking import Masker
from bastion.scan.target import Exchange

EXCERPT_CHARS = 1200
MAX_EVIDENCE = 4


class Findings:
    """Every finding of a scan by (check, operation), the operations each check tested, and why a
    check could not test anything."""

    def __init__(self, masker: Masker) -> None:
        self.masker = masker
        self.by_key: dict[tuple[str, str], Finding] = {}
        self.coverage: dict[str, set[str]] = {}
        self.notes: dict[str, str] = {}

    def evidence(self, exchange: Exchange, note: str = "") -> Evidence:
        m = self.masker
        body = None
        if exchange.request_body is not None:
            body = m.body(exchange.request_body.decode("utf-8", errors="replace"))[:4000]
        excerpt = m.body(exchange.text)[:EXCERPT_CHARS] if exchange.body else (exchange.error or "")
        if exchange.truncated or len(exchange.text) > EXCERPT_CHARS:
            excerpt += " …"
        return Evidence(
            method=exchange.method,
            url=m.text(exchange.url),
            request_headers=tuple((k, m.header(k, v)) for k, v in exchange.request_headers),
            request_body=body,
            status=exchange.status,
            response_headers=tuple((k, m.header(k, v)) for k, v in exchange.headers),
            response_excerpt=excerpt,
            elapsed_ms=exchange.elapsed * 1000,
            note=note,
        )

    def sorted(self) -> list[Finding]:
        return sorted(self.by_key.values(), key=lambda f: (-f.severity, f.check_id, f.operation))


class Reporter:
    """One check's view of the findings: what it found, what it tested, and why it could not run."""

    def __init__(self, info: CheckInfo, findings: Findings) -> None:
        self.info = info
        self._findings = findings

    def tested(self, operation: str) -> None:
        self._findings.coverage.setdefault(self.info.id, set()).add(operation)

    def skip(self, reason: str) -> None:
        """The check could not do its job (no object to test, a registration refused ...): say why."""
        self._findings.notes[self.info.id] = reason

    def has(self, operation: str) -> bool:
        return (self.info.id, operation) in self._findings.by_key

    def finding(  # noqa: PLR0913  keyword-only past the evidence: severity, confidence, title overrides
        self,
        operation: str,
        detail: str,
        evidence: list[tuple[Exchange, str]] | None = None,
        *,
        severity: Severity | None = None,
        confidence: Confidence = Confidence.FIRM,
        title: str | None = None,
    ) -> Finding:
        """Record a finding; a second one for the same operation only counts an occurrence."""
        info = self.info
        self.tested(operation)
        key = (info.id, operation)
        existing = self._findings.by_key.get(key)
        if existing is not None:
            existing.occurrences += 1
            if severity is not None and severity > existing.severity:
                existing.severity = severity
            return existing
        finding = Finding(
            check_id=info.id,
            title=title or info.title,
            severity=severity if severity is not None else info.severity,
            confidence=confidence,
            cwe=info.cwe,
            owasp=info.owasp_name,
            operation=operation,
            detail=self._findings.masker.text(detail),
            remediation=info.remediation,
            bastion=info.bastion,
            evidence=[self._findings.evidence(ex, note) for ex, note in (evidence or [])[:MAX_EVIDENCE]],
        )
        self._findings.by_key[key] = finding
        return finding
