"""Authentication: operations that declare security but answer without any credential."""

from __future__ import annotations

from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="authn.missing",
    title="Protected operation answers without credentials",
    severity=Severity.HIGH,
    cwe=306,
    owasp="API2",
    remediation="Authenticate every request to an operation that declares security, before any handler runs; "
    "deny by default.",
    bastion="authn:\n  mode: enforce\n  methods:\n    - jwt: {issuer: https://idp.example, algorithms: [RS256], "
    "jwks_url: https://idp.example/jwks.json}",
)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for op in ctx.spec.operations:
        if not op.secured or (op.method == "DELETE" and ctx.safe):
            continue
        report.tested(op.key)
        # Path values that exist (a user's), so that a refusal cannot hide behind a 404.
        owner = next((i for i in ctx.users + ctx.admins if ctx.baselines.get((op.key, i.name))), None)
        values = ctx.filler.path_values(op, owner.name if owner else None)
        anonymous = ctx.request(op, ctx.anonymous, path_values=values)
        if not anonymous.ok:
            continue
        note = "no credential was sent"
        evidence = [(anonymous, note)]
        if owner is not None and ctx.baselines.get((op.key, owner.name)) is not None:
            evidence.append(
                (ctx.baselines[(op.key, owner.name)], f"the same operation with {owner.name}'s credentials")
            )
        report.finding(
            op.key,
            f"{op.method} {op.path} declares security but answered {anonymous.status} to a request without any "
            "credential.",
            evidence,
            confidence=Confidence.CERTAIN,
            severity=Severity.HIGH if op.method == "GET" else Severity.CRITICAL,
        )
