"""Spec audit: operations that do not declare the refusals a protected API must give (static)."""

from __future__ import annotations

from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Phase, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="spec.missing-error-responses",
    title="Operation does not declare 401, 403 or 429 responses",
    severity=Severity.INFO,
    cwe=1059,
    owasp="API9",
    phase=Phase.STATIC,
    remediation="Declare 401 and 403 on protected operations and 429 on every operation, so clients and "
    "gateways know the refusals are part of the contract.",
)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for op in ctx.spec.operations:
        report.tested(op.key)
        missing = []
        if op.secured:
            missing += [str(s) for s in (401, 403) if not op.declares_status(s)]
        if not op.declares_status(429):
            missing.append("429")
        if missing:
            report.finding(
                op.key,
                f"{op.method} {op.path} does not declare: {', '.join(missing)}.",
                confidence=Confidence.CERTAIN,
            )
