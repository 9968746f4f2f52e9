"""Transport: HTTPS answers without Strict-Transport-Security (passive)."""

from __future__ import annotations

from bastion.scan.checks._passive import exchanges
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Phase, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="transport.hsts",
    title="HTTPS responses without Strict-Transport-Security",
    severity=Severity.LOW,
    cwe=319,
    owasp="API8",
    phase=Phase.PASSIVE,
    remediation="Send `Strict-Transport-Security: max-age=63072000; includeSubDomains` on every HTTPS response.",
    bastion="responses:\n  security_headers: {hsts: 2y, hsts_include_subdomains: true}",
)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    if ctx.target.scheme != "https":
        report.skip("the target is not https")
        return
    report.tested("*")
    for _, exchange in exchanges(ctx, report):
        value = exchange.header("strict-transport-security") or ""
        if "max-age=" not in value.lower() or value.lower().replace(" ", "").startswith("max-age=0"):
            report.finding(
                "*",
                f"{exchange.method} {exchange.path} answered over HTTPS without HSTS.",
                [(exchange, "no Strict-Transport-Security")],
                confidence=Confidence.CERTAIN,
            )
            return
