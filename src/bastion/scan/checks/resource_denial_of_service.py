"""Resource consumption: one request that left the API unable to answer anyone (denial of service).

The liveness watch (scan/watch.py) notices the outage while the scan runs: two requests in a row
without an answer, then no answer to a request that worked at the start either. This check reports
each outage with the request sent just before it, whose `curl` line reproduces the hang, and whether
the target came back within --recovery-wait.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Phase, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="resource.denial-of-service",
    title="A single request stopped the API from answering (denial of service)",
    severity=Severity.HIGH,
    cwe=400,
    owasp="API4",
    phase=Phase.PASSIVE,
    remediation="Bound the work one request can cause (input lengths, linear-time regular expressions, timeouts "
    "on handlers and queries) and serve with more than one worker, so that one slow request cannot hold "
    "every other client.",
    bastion="validation:\n  mode: enforce        # maxLength and patterns enforced before the API\n"
    "upstream:\n  timeouts: {read: 10s}",
)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    report.tested("*")
    for outage in ctx.watch.outages:
        culprit = outage.culprit
        operation = culprit.operation or urlsplit(culprit.url).path
        if outage.recovered_after is None:
            after = f"it did not come back within {outage.recovery_wait:g} s, so the scan stopped its active checks"
        else:
            after = f"it came back after {outage.recovered_after:.0f} s"
        report.finding(
            operation,
            f"After request {culprit.number} ({culprit.method} {urlsplit(culprit.url).path}, sent by "
            f"{outage.check}) the target stopped answering: that request got {culprit.error or 'no answer'}, the "
            f"next one none either, and a request that worked at the start got none; {after}.",
            [
                (culprit, "the request sent just before the target stopped answering"),
                (outage.probe, "a request that worked at the start: no answer any more"),
            ],
            severity=Severity.CRITICAL if outage.recovered_after is None else Severity.HIGH,
            confidence=Confidence.FIRM,
        )
