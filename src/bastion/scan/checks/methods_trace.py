"""Unhandled HTTP methods: TRACE echoing the request, headers included (cross-site tracing)."""

from __future__ import annotations

from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.values import unique_text

INFO = CheckInfo(
    id="methods.trace",
    title="TRACE echoes the request (cross-site tracing)",
    severity=Severity.MEDIUM,
    cwe=693,
    owasp="API8",
    remediation="Disable TRACE (and TRACK) on the API and on every proxy in front of it.",
    bastion="ingress:\n  methods: [GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS]   # TRACE refused by default",
)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    paths = [op.render_path(ctx.filler.path_values(op, None)) for op in ctx.spec.operations[:1]] + ["/"]
    for concrete in paths:
        marker = unique_text("trace")
        exchange = ctx.target.send(
            "TRACE", concrete, headers={"X-Bst-Trace": marker, "Cookie": f"bst={marker}"}, operation="TRACE"
        )
        report.tested("TRACE")
        if exchange.ok and marker in exchange.text:
            report.finding(
                "TRACE",
                f"TRACE {concrete} answered {exchange.status} and echoed the request's headers, cookies included.",
                [(exchange, "our marker header and cookie came back in the body")],
                confidence=Confidence.CERTAIN,
            )
            return
