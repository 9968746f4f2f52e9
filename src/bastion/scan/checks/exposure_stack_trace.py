"""Oversharing: stack traces and framework debug pages in responses (passive, on all traffic)."""

from __future__ import annotations

from bastion.scan import signatures
from bastion.scan.checks._passive import exchanges
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Phase, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="exposure.stack-trace",
    title="Stack trace or debug page in a response",
    severity=Severity.MEDIUM,
    cwe=209,
    owasp="API8",
    phase=Phase.PASSIVE,
    remediation="Turn debug mode off in production and answer errors with a generic problem description; log "
    "the details server-side with a correlation id.",
    bastion="responses:\n  hide_errors: true      # upstream 5xx bodies replaced\n  debug_pages: true      "
    "# stack traces removed from any response",
)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for operation, exchange in exchanges(ctx, report):
        if report.has(operation):
            continue
        found = signatures.stack_trace(exchange.text)
        if found:
            report.finding(
                operation,
                f"A {found[0]} was returned to the client (status {exchange.status}): {found[1]!r}.",
                [(exchange, found[0])],
                confidence=Confidence.CERTAIN,
            )
