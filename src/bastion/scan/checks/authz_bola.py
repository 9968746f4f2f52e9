"""Authorization: one user reads, changes or deletes another user's objects (BOLA / IDOR)."""

from __future__ import annotations

from typing import Any

from bastion.scan.compare import similar
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.operations import Operation
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange
from bastion.scan.values import schema_type, unique_text

INFO = CheckInfo(
    id="authz.bola",
    title="Broken object level authorization: another user's object is accessible",
    severity=Severity.HIGH,
    cwe=639,
    owasp="API1",
    needs_users=2,
    remediation="Check on every request that the caller owns (or may access) the object the ID names; "
    "an ID from the client is a claim, not a permission.",
    bastion='authz:\n  rules:\n    - {allow: [getOrder, updateOrder], roles: [user], where: "lookup.order_owner == '
    'identity.sub"}\n  lookups:\n    order_owner: {sql: {dsn: ..., query: "SELECT user_id FROM orders WHERE id = '
    ':path.order_id"}}',
)


def _object_values(op: Operation, ctx: ScanContext, owner: str, other: str) -> dict[str, str] | None:
    """Path values naming objects `owner` was shown and `other` never was; None if there is none."""
    values: dict[str, str] = {}
    owned_any = False
    for param in op.path_params:
        resource = op.resource_of(param.name)
        owned = ctx.harvest.owned(resource, owner, other) if resource else []
        if owned:
            values[param.name] = str(owned[0])
            owned_any = True
        else:
            values[param.name] = str(ctx.filler.value(param.schema, name=param.name, resource=resource, identity=owner))
    return values if owned_any else None


def _marker_body(op: Operation, ctx: ScanContext, owner: str) -> tuple[Any, str] | None:
    """A valid update body with one free-text field set to a marker we can look for afterwards."""
    body = ctx.filler.body(op, owner)
    if not isinstance(body, dict):
        return None
    properties = (op.body_schema or {}).get("properties") or {}
    for name, schema in properties.items():
        if (
            isinstance(schema, dict)
            and schema_type(schema) == "string"
            and not schema.get("format")
            and not any(k in schema for k in ("enum", "pattern", "const"))
            and not any(w in name.lower() for w in ("pass", "secret", "token", "email", "user", "name", "role"))
        ):
            marker = unique_text("bola")
            body[name] = marker[: int(schema.get("maxLength", 64))]
            return body, body[name]
    return None


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    users = ctx.users
    pairs = [(users[0], users[1]), (users[1], users[0])]
    for op in ctx.spec.operations:
        if not op.path_params or not op.secured:
            continue
        if op.method == "DELETE" and ctx.safe:
            continue
        for owner, attacker in pairs:
            values = _object_values(op, ctx, owner.name, attacker.name)
            if values is None:
                continue
            report.tested(op.key)
            if op.method == "GET" and _read(ctx, report, op, owner, attacker, values):
                break
            if op.method in ("PUT", "PATCH") and _write(ctx, report, op, owner, attacker, values):
                break
            if op.method == "DELETE" and _delete(ctx, report, op, owner, attacker, values):
                break


def _read(ctx: ScanContext, report: Reporter, op: Operation, owner: Any, attacker: Any, values: dict[str, str]) -> bool:
    mine = ctx.request(op, owner, path_values=values)
    if not mine.ok:
        return False
    theirs = ctx.request(op, attacker, path_values=values)
    if theirs.ok and (similar(mine, theirs) or _same_object(mine, theirs)):
        report.finding(
            op.key,
            f"{attacker.name} read {owner.name}'s object through {op.method} {op.render_path(values)} "
            f"(status {theirs.status}, same content the owner gets).",
            [(theirs, f"{attacker.name} asks for {owner.name}'s object"), (mine, f"{owner.name}, the owner")],
            confidence=Confidence.CERTAIN,
        )
        return True
    return False


def _write(
    ctx: ScanContext, report: Reporter, op: Operation, owner: Any, attacker: Any, values: dict[str, str]
) -> bool:
    prepared = _marker_body(op, ctx, owner.name)
    if prepared is None:
        return False
    body, marker = prepared
    attempt = ctx.request(op, attacker, path_values=values, body=body)
    if not attempt.ok:
        return False
    reader = ctx.spec.find("GET", op.render_path(values))
    check_read = ctx.request(reader, owner, path_values=values) if reader else None
    changed = (check_read is not None and marker in check_read.text) or marker in attempt.text
    if changed:
        evidence = [(attempt, f"{attacker.name} updates {owner.name}'s object")]
        if check_read is not None and marker in check_read.text:
            evidence.append((check_read, f"{owner.name} reads the object back: the change is there"))
        report.finding(
            op.key,
            f"{attacker.name} changed {owner.name}'s object through {op.method} {op.render_path(values)}.",
            evidence,
            severity=Severity.CRITICAL,
            confidence=Confidence.CERTAIN,
        )
        return True
    return False


def _delete(
    ctx: ScanContext, report: Reporter, op: Operation, owner: Any, attacker: Any, values: dict[str, str]
) -> bool:
    reader = ctx.spec.find("GET", op.render_path(values))
    if reader is None:
        return False
    before = ctx.request(reader, owner, path_values=values)
    if not before.ok:
        return False
    attempt = ctx.request(op, attacker, path_values=values)
    after = ctx.request(reader, owner, path_values=values)
    if attempt.ok and not after.ok:
        report.finding(
            op.key,
            f"{attacker.name} deleted {owner.name}'s object through DELETE {op.render_path(values)}.",
            [(attempt, f"{attacker.name} deletes {owner.name}'s object"), (after, "the owner finds it gone")],
            severity=Severity.CRITICAL,
            confidence=Confidence.CERTAIN,
        )
        return True
    return False


def _same_object(a: Exchange, b: Exchange) -> bool:
    """Both answers describe the same object: equal JSON once volatile top-level keys are ignored."""
    left, right = a.json, b.json
    if isinstance(left, dict) and isinstance(right, dict) and left:
        keys = [k for k in left if not isinstance(left[k], dict | list)]
        return bool(keys) and all(left.get(k) == right.get(k) for k in keys)
    return isinstance(left, list) and left == right and bool(left)
