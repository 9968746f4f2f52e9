"""Oversharing: headers that advertise software and versions (Server, X-Powered-By ...; passive)."""

from __future__ import annotations

import re

from bastion.scan.checks._passive import exchanges
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Phase, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="exposure.banner",
    title="Software version banner in response headers",
    severity=Severity.LOW,
    cwe=200,
    owasp="API8",
    phase=Phase.PASSIVE,
    remediation="Remove Server version details and X-Powered-By/X-AspNet-Version headers; attackers use them "
    "to pick known exploits.",
    bastion="responses:\n  strip_headers: [server, x-powered-by, x-aspnet-version, x-runtime, via]",
)
ALWAYS = ("x-powered-by", "x-aspnet-version", "x-aspnetmvc-version", "x-runtime", "x-generator")
VERSION = re.compile(r"\d+\.\d+")


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    report.tested("*")
    for _, exchange in exchanges(ctx, report):
        shown = [
            (k, v)
            for k, v in exchange.headers
            if k.lower() in ALWAYS or (k.lower() in ("server", "via") and VERSION.search(v))
        ]
        if shown:
            report.finding(
                "*",
                "The API advertises its software: " + ", ".join(f"{k}: {v}" for k, v in shown) + ".",
                [(exchange, "response headers")],
                confidence=Confidence.CERTAIN,
            )
            return
