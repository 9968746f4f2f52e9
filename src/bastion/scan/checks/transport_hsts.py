"""Transport: HTTPS answers without Strict-Transport-Security (passive)."""

from __future__ import annotations

from bastion.scan.checks._passive import exchanges
from bastion.scan.context import ScanContext
from bastion.scan.findings import Confidence, Severity
from bastion.scan.registry import CheckInfo, Phase, check

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
def run(ctx: ScanContext) -> None:
    if ctx.target.scheme != "https":
        ctx.skip(INFO.id, "the target is not https")
        return
    ctx.tested(INFO.id, "*")
    for _, exchange in exchanges(ctx):
        value = exchange.header("strict-transport-security") or ""
        if "max-age=" not in value.lower() or value.lower().replace(" ", "").startswith("max-age=0"):
            ctx.report(
                INFO.id,
                "*",
                f"{exchange.method} {exchange.path} answered over HTTPS without HSTS.",
                [(exchange, "no Strict-Transport-Security")],
                confidence=Confidence.CERTAIN,
            )
            return
