"""Authorization: ordinary users succeed at admin operations (BFLA).

Admin operations are known two ways. Declared: an admin tag, an /admin path segment or an admin scope;
a user who simply calls one and succeeds is a finding. Learned by comparing identities: operations
(without object IDs, so that object-level rules cannot be the reason) where the admin succeeds and a
user is refused; for those, the user tries the usual ways around a path- or method-based check —
trailing slash, case, duplicate slashes, a `;` suffix, rewrite and method-override headers.
"""

from __future__ import annotations

from bastion.scan.compare import similar
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.operations import Operation
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange

INFO = CheckInfo(
    id="authz.bfla",
    title="Broken function level authorization: a non-admin succeeds at an admin operation",
    severity=Severity.HIGH,
    cwe=285,
    owasp="API5",
    needs_users=1,
    remediation="Declare admin operations in one place and check the role on each of them, deny by default; "
    "never rely on the client not knowing the URL.",
    bastion="authz:\n  admin: {tags: [admin], paths: [/api/admin], roles: [admin]}",
)


def learned(ctx: ScanContext) -> list[Operation]:
    """Operations without object IDs that the admin succeeds at and the first user is refused."""
    if not ctx.admins:
        return []
    admin, user = ctx.admins[0], ctx.users[0]
    out = []
    for op in ctx.spec.operations:
        if op.path_params or not op.secured:
            continue
        a, u = ctx.baselines.get((op.key, admin.name)), ctx.baselines.get((op.key, user.name))
        if a is not None and a.ok and u is not None and u.status in (401, 403):
            out.append(op)
    return out


def bypasses(ctx: ScanContext, op: Operation) -> list[tuple[str, dict[str, str], str]]:
    """(path, extra headers, description) variants a path- or method-keyed check may not recognise."""
    path = op.render_path({})
    upper = "/".join(s.upper() if s and not s.startswith("{") else s for s in path.split("/"))
    return [
        (path + "/", {}, "a trailing slash"),
        (upper, {}, "the path in upper case"),
        (path.replace("/", "//"), {}, "doubled slashes"),
        (path + ";bst", {}, "a `;` path parameter"),
        (path + "%20", {}, "an encoded space after the path"),
        ("/", {"X-Original-URL": path, "X-Rewrite-URL": path}, "X-Original-URL / X-Rewrite-URL headers"),
        (path, {"X-HTTP-Method-Override": op.method, "X-Forwarded-For": "127.0.0.1"}, "override/forwarding headers"),
    ]


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    admin = ctx.admins[0] if ctx.admins else None
    for op in ctx.spec.operations:
        if not (op.secured and op.admin_by_declaration) or (op.method == "DELETE" and ctx.safe):
            continue
        report.tested(op.key)
        admin_answer = ctx.request(op, admin) if admin is not None else None
        if admin_answer is not None and not admin_answer.ok:
            continue  # the admin cannot do it either: nothing to compare with
        for user in ctx.users:
            attempt = ctx.request(op, user)
            if attempt.ok:
                _report(
                    ctx,
                    report,
                    op,
                    user.name,
                    user.role,
                    attempt,
                    admin_answer,
                    "an operation declared admin-only (tag, path or scope)",
                )
                break
    for op in learned(ctx):
        if op.method == "DELETE" and ctx.safe:
            continue
        report.tested(op.key)
        assert admin is not None
        admin_answer = ctx.baselines[(op.key, admin.name)]
        user = ctx.users[0]
        for path, headers, description in bypasses(ctx, op):
            attempt = ctx.target.send(
                op.method, path, headers={**user.headers(), **headers}, identity=user.name, operation=op.key
            )
            if attempt.ok and similar(attempt, admin_answer, threshold=0.9):
                _report(
                    ctx,
                    report,
                    op,
                    user.name,
                    user.role,
                    attempt,
                    admin_answer,
                    f"an operation only the admin succeeds at, reached with {description}",
                )
                break


def _report(
    ctx: ScanContext,
    report: Reporter,
    op: Operation,
    name: str,
    role: str,
    attempt: Exchange,
    admin: Exchange | None,
    how: str,
) -> None:
    evidence = [(attempt, f"{name} (role {role})")]
    if admin is not None:
        evidence.append((admin, "the admin's answer"))
    report.finding(
        op.key,
        f"{name}, role {role}, succeeded at {op.method} {op.path}, {how}.",
        evidence,
        confidence=Confidence.CERTAIN if admin is not None else Confidence.FIRM,
        severity=Severity.HIGH if op.method == "GET" else Severity.CRITICAL,
    )
