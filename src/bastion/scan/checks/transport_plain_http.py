"""Transport: the API answers over plain HTTP where TLS is expected."""

from __future__ import annotations

from urllib.parse import urlsplit

from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.network import is_loopback
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="transport.plain-http",
    title="API served over plain HTTP",
    severity=Severity.HIGH,
    cwe=319,
    owasp="API8",
    remediation="Serve the API over TLS only (1.2 or newer); if port 80 must stay open, only redirect, and send HSTS.",
    bastion='listen:\n  tls: {cert: ..., key: ..., min_version: "1.2", redirect_http_port: 80}',
)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    report.tested("*")
    if ctx.target.scheme != "http":
        return
    probe = ctx.target.send("GET", ctx.spec.operations[0].render_path({}) if ctx.spec.operations else "/")
    if probe.status is None:
        return
    expects_tls = any(urlsplit(url).scheme == "https" for url in ctx.spec.servers)
    if is_loopback(ctx.target.host):
        severity = Severity.INFO  # a developer's own machine: transport is judged on the real endpoint
        detail = "The target is on loopback over plain HTTP" + (
            ", while the spec's servers are https: scan the TLS endpoint to test transport security."
            if expects_tls
            else "; transport security was not tested (give an https:// target to test it)."
        )
    else:
        severity = Severity.HIGH
        detail = f"{ctx.target.origin} answers API requests over plain HTTP: credentials and data travel in clear."
    report.finding(
        "*", detail, [(probe, "plain HTTP request answered")], severity=severity, confidence=Confidence.CERTAIN
    )
