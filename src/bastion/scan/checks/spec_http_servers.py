"""Spec audit: server URLs over plain HTTP (static)."""

from __future__ import annotations

from urllib.parse import urlsplit

from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Phase, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="spec.http-server",
    title="Server URL uses plain HTTP",
    severity=Severity.MEDIUM,
    cwe=319,
    owasp="API8",
    phase=Phase.STATIC,
    remediation="List only https:// servers; clients generated from the spec will otherwise send credentials "
    "in clear text.",
    bastion="listen:\n  tls: {cert: /etc/bastion/tls.crt, key: /etc/bastion/tls.key}   # TLS 1.2+ only",
)
_LOCAL = ("localhost", "127.0.0.1", "::1", "0.0.0.0")  # noqa: S104 - names compared, nothing bound


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    report.tested("servers")
    for url in ctx.spec.servers:
        parts = urlsplit(url)
        if parts.scheme == "http":
            local = (parts.hostname or "") in _LOCAL
            report.finding(
                "servers",
                f"Server {url} is plain HTTP" + (" (a local development address)." if local else "."),
                severity=Severity.INFO if local else Severity.MEDIUM,
                confidence=Confidence.CERTAIN,
            )
