"""Authorization: ordinary users succeed at admin operations (BFLA).

Admin operations are known two ways. Declared: an admin tag, an /admin path segment or an admin scope;
a user who simply calls one and succeeds is a finding. Learned by comparing identities: operations
(without object IDs, so that object-level rules cannot be the reason) where the admin succeeds and a
user is refused; for those, the user tries the usual ways around a path- or method-based check —
trailing slash, case, duplicate slashes, a `;` suffix, rewrite and method-override headers.

Writes: a resource only the admin may create (users were refused its POST) is admin-only; the updates
of such an object are tried by a user on an object the admin created during the scan, after the admin
has made the same kind of change, and count when the admin reads the user's change back. With
--allow-destructive the user also tries to DELETE such an object. Nothing else is ever changed.
"""

from __future__ import annotations

from bastion.scan.auth import Identity
from bastion.scan.checks._references import marker_field, read_back
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
        if op.method in ("PUT", "PATCH", "DELETE") and (op.path_params or ctx.safe):
            continue  # changes: only to objects the admin created during the scan (below)
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

    _admin_writes(ctx, report)


def _report(  # noqa: PLR0913  one finding's evidence: who tried what, and the admin's answer
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


def admin_resources(ctx: ScanContext) -> set[str]:
    """Resources only the admin could create: its POST succeeded for the admin, every user was refused."""
    out = set()
    for op in ctx.spec.operations:
        if op.method != "POST" or op.path_params or not op.resource:
            continue
        admin_ok = any((a := ctx.baselines.get((op.key, i.name))) is not None and a.ok for i in ctx.admins)
        refused = [ctx.baselines.get((op.key, i.name)) for i in ctx.users]
        if admin_ok and refused and all(r is not None and r.status in (401, 403) for r in refused):
            out.add(op.resource)
    return out


def _admin_writes(ctx: ScanContext, report: Reporter) -> None:
    if not ctx.admins:
        return
    admin, user = ctx.admins[0], ctx.users[0]
    resources = admin_resources(ctx)
    for op in ctx.spec.operations:
        if op.method not in ("PUT", "PATCH", "DELETE") or not op.path_params or not op.secured:
            continue
        if op.resource not in resources and not op.admin_by_declaration:
            continue
        if op.method == "DELETE" and ctx.safe:
            continue
        values = {}
        for param in op.path_params:
            owned = ctx.harvest.owned(op.resource_of(param.name), admin.name, user.name, created_only=True)
            if not owned:
                break
            values[param.name] = str(owned[0])
        else:
            report.tested(op.key)
            if op.method == "DELETE":
                _delete(ctx, report, op, (admin, user), values)
            else:
                _update(ctx, report, op, (admin, user), values)


def _update(
    ctx: ScanContext, report: Reporter, op: Operation, pair: tuple[Identity, Identity], values: dict[str, str]
) -> None:
    admin, user = pair
    chosen = marker_field((op.body_schema or {}).get("properties") or {}, set())
    body = ctx.filler.body(op, admin.name)
    if chosen is None or not isinstance(body, dict):
        return
    name, admin_marker = chosen
    if not ctx.request(op, admin, path_values=values, body={**body, name: admin_marker}).ok:
        return  # the admin cannot make this change either: nothing to compare with
    user_marker = marker_field((op.body_schema or {}).get("properties") or {}, set())
    assert user_marker is not None
    attempt = ctx.request(op, user, path_values=values, body={**body, name: user_marker[1]})
    back = read_back(ctx, admin, op, values, user_marker[1]) if attempt.ok else None
    if back is not None:
        report.finding(
            op.key,
            f"{user.name}, role {user.role}, changed {name} of an object only the admin may create, through "
            f"{op.method} {op.render_path(values)} (on an object the admin created during the scan); the admin "
            "reads the change back.",
            [(attempt, f"{user.name} (role {user.role}) updates it"), (back, "the admin reads the change back")],
            severity=Severity.CRITICAL,
            confidence=Confidence.CERTAIN,
        )


def _delete(
    ctx: ScanContext, report: Reporter, op: Operation, pair: tuple[Identity, Identity], values: dict[str, str]
) -> None:
    admin, user = pair
    reader = ctx.spec.find("GET", op.render_path(values))
    if reader is None or not ctx.request(reader, admin, path_values=values).ok:
        return
    attempt = ctx.request(op, user, path_values=values)
    after = ctx.request(reader, admin, path_values=values)
    if attempt.ok and not after.ok:
        report.finding(
            op.key,
            f"{user.name}, role {user.role}, deleted an object only the admin may create, through DELETE "
            f"{op.render_path(values)} (an object the admin created during the scan).",
            [(attempt, f"{user.name} deletes it"), (after, "the admin finds it gone")],
            severity=Severity.CRITICAL,
            confidence=Confidence.CERTAIN,
        )
