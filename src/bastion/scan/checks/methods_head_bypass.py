"""Unhandled HTTP methods: HEAD answered with success where GET requires authentication."""

from __future__ import annotations

from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="methods.head-auth-bypass",
    title="HEAD bypasses authentication",
    severity=Severity.HIGH,
    cwe=650,
    owasp="API2",
    remediation="Apply authentication to the resource, not to a method list: HEAD must be refused wherever GET is.",
    bastion="authn:\n  mode: enforce      # every method of a protected operation needs a credential",
)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for op in ctx.spec.operations:
        if op.method != "GET" or not op.secured:
            continue
        owner = next((i for i in ctx.users + ctx.admins if (b := ctx.baselines.get((op.key, i.name))) and b.ok), None)
        values = ctx.filler.path_values(op, owner.name if owner else None)
        get = ctx.request(op, ctx.anonymous, path_values=values)
        if get.status not in (401, 403):
            continue
        report.tested(op.key)
        head = ctx.request(op, ctx.anonymous, method="HEAD", path_values=values)
        if head.ok:
            report.finding(
                op.key,
                f"HEAD {op.render_path(values)} answered {head.status} without credentials, where GET answers "
                f"{get.status}.",
                [(head, "HEAD without credentials"), (get, "GET without credentials")],
                confidence=Confidence.CERTAIN,
            )
