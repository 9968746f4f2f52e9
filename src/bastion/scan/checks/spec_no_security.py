"""Spec audit: operations that declare no security at all (static, no traffic); an explicit `security: []`
(on the operation, or for the whole API) says "public by design" and is respected."""

from __future__ import annotations

from bastion.scan.context import ScanContext
from bastion.scan.discover import is_credential_flow
from bastion.scan.findings import CheckInfo, Confidence, Phase, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="spec.no-security",
    title="Operation declares no security requirement",
    severity=Severity.MEDIUM,
    cwe=306,
    owasp="API2",
    phase=Phase.STATIC,
    remediation="Declare a security requirement for every operation (globally or per operation); mark the few "
    "truly public ones with an explicit `security: []` after review.",
    bastion="authn:\n  mode: enforce        # operations without `security: []` need a credential",
)
_PUBLIC_READ = ("health", "status", "ping", "version", "openapi", "docs", "metrics")


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for op in ctx.spec.operations:
        report.tested(op.key)
        declared = op.raw["security"] if "security" in op.raw else ctx.spec.data.get("security")
        explicit_public = declared == []  # `security: []` on the operation, or for the whole API
        if op.secured or explicit_public:
            continue
        if any(word in op.path.lower() for word in _PUBLIC_READ) or is_credential_flow(op):
            continue
        severity = Severity.MEDIUM if op.method != "GET" else Severity.LOW
        report.finding(
            op.key,
            f"{op.method} {op.path} has no security requirement and no explicit `security: []`: whether it "
            "is public by design cannot be told from the contract.",
            severity=severity,
            confidence=Confidence.CERTAIN,
        )
