"""Transport: CORS that lets any web page read the API with the user's credentials."""

from __future__ import annotations

from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.points import actor_for
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.values import unique_text

INFO = CheckInfo(
    id="transport.cors",
    title="CORS allows arbitrary or null origins",
    severity=Severity.HIGH,
    cwe=942,
    owasp="API8",
    remediation="Allow only an explicit list of trusted origins; never reflect the Origin header, never allow "
    "`null`, and allow credentials only for those trusted origins.",
    bastion="cors:\n  origins: [https://app.example.com]\n  credentials: true",
)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    op = next((o for o in ctx.spec.operations if o.method == "GET" and not o.path_params), None)
    if op is None:
        op = next((o for o in ctx.spec.operations if o.method == "GET"), None)
    if op is None:
        return
    actor = actor_for(ctx, op)
    report.tested(op.key)
    evil = f"https://{unique_text('evil')}.example"
    for origin, label in ((evil, "an arbitrary origin"), ("null", "the null origin")):
        simple = ctx.request(op, actor, headers={"Origin": origin})
        preflight = ctx.request(
            op,
            actor,
            method="OPTIONS",
            body=None,
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization",
            },
        )
        for exchange, kind in ((simple, "request"), (preflight, "preflight")):
            allowed = exchange.header("access-control-allow-origin")
            credentials = (exchange.header("access-control-allow-credentials") or "").lower() == "true"
            if allowed == origin:
                report.finding(
                    op.key,
                    f"The API allows {label} ({origin}) in a {kind}"
                    + (
                        " with credentials: any web page can read a logged-in user's data."
                        if credentials
                        else " (without credentials)."
                    ),
                    [(exchange, f"Origin: {origin}")],
                    severity=Severity.HIGH if credentials else Severity.LOW,
                    confidence=Confidence.CERTAIN,
                )
                return
            if allowed == "*" and credentials:
                report.finding(
                    op.key,
                    "The API answers `*` with Access-Control-Allow-Credentials: true.",
                    [(exchange, f"Origin: {origin}")],
                    severity=Severity.MEDIUM,
                    confidence=Confidence.CERTAIN,
                )
                return
