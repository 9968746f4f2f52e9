"""Oversharing: error answers that reveal internals (SQL, file paths, exception classes) without a full
stack trace (passive)."""

from __future__ import annotations

from urllib.parse import unquote_plus

from bastion.scan import signatures
from bastion.scan.checks._passive import exchanges
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Phase, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange

INFO = CheckInfo(
    id="exposure.verbose-error",
    title="Verbose error reveals internals",
    severity=Severity.LOW,
    cwe=209,
    owasp="API8",
    phase=Phase.PASSIVE,
    remediation="Map internal exceptions to generic error messages; never return SQL text, server paths or "
    "exception names to clients.",
    bastion="responses:\n  hide_errors: true",
)


def echoed(exchange: Exchange, text: str) -> bool:
    """The match is only our own input repeated back (a validation message quoting the bad value)."""
    sent = unquote_plus(exchange.url) + (exchange.request_body or b"").decode("utf-8", errors="replace")
    return text in sent


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for operation, exchange in exchanges(ctx, report):
        if exchange.status is None or exchange.status < 400:
            continue
        if signatures.stack_trace(exchange.text):
            continue  # reported as exposure.stack-trace
        found = signatures.sql_error(exchange.text) or signatures.first_match(signatures.INTERNALS, exchange.text)
        if found and not echoed(exchange, found[1]):
            report.finding(
                operation,
                f"An error answer ({exchange.status}) contains {found[0]}: {found[1]!r}.",
                [(exchange, found[0])],
                confidence=Confidence.FIRM,
            )
