"""Authorization: privilege escalation by mass assignment (BOPLA) on registration and updates.

The scan registers an account of its own with extra properties (`role: admin`, `is_admin: true`, a
balance ...), updates that account's own profile the same way, and then checks the effect: the
properties in the answer or in a later read, and, when an admin operation is known, whether the new
account can now call it. Candidate properties come from the spec (readOnly ones, those only responses
carry) and from a list of names APIs commonly trust by mistake.
"""

from __future__ import annotations

from typing import Any

from bastion.scan.accounts import as_identity, register, registration_op
from bastion.scan.context import Actor, ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Phase, Severity
from bastion.scan.operations import Operation
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange
from bastion.scan.values import schema_type

INFO = CheckInfo(
    id="authz.mass-assignment",
    title="Mass assignment: a client sets properties it must not (role, admin flag, balance ...)",
    severity=Severity.HIGH,
    cwe=915,
    owasp="API3",
    phase=Phase.STATEFUL,
    remediation="Bind request bodies to an allow-list of writable properties per operation and role; refuse "
    "undeclared and readOnly properties instead of ignoring or storing them.",
    bastion="authz:\n  privileged_fields: {fields: [role, roles, is_admin, admin, balance, permissions, verified], "
    "read_only: true, roles: [admin]}",
)
COMMON = {
    "role": "admin",
    "roles": ["admin"],
    "is_admin": True,
    "isAdmin": True,
    "admin": True,
    "is_staff": True,
    "is_superuser": True,
    "permissions": ["*"],
    "group": "admin",
    "groups": ["admin"],
    "user_type": "admin",
    "account_type": "admin",
    "verified": True,
    "is_verified": True,
    "email_verified": True,
    "approved": True,
    "balance": 31337,
    "credit": 31337,
    "credits": 31337,
    "plan": "enterprise",
    "tier": "enterprise",
}
_SKIP = ("pass", "hash", "salt", "token", "secret", "id", "created", "updated", "modified")


def candidates(ctx: ScanContext, op: Operation, reader: Operation | None) -> dict[str, Any]:
    """Properties to smuggle into `op`: readOnly ones from the responses, and the common list."""
    writable = set(((op.body_schema or {}).get("properties") or {}).keys())
    out: dict[str, Any] = {}
    schemas = [s for s in (op.success_schema(), reader.success_schema() if reader else None) if s]
    for schema in schemas:
        for name, sub in (schema.get("properties") or {}).items():
            if name in writable or not isinstance(sub, dict) or any(s in name.lower() for s in _SKIP):
                continue
            if not sub.get("readOnly") and name not in COMMON:
                continue  # e.g. a username: changing it proves nothing and may collide
            out[name] = _value_for(name, sub)
    for name, value in COMMON.items():
        if name not in writable:
            out.setdefault(name, value)
    return out


def _value_for(name: str, schema: dict[str, Any]) -> Any:
    if name in COMMON:
        return COMMON[name]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return next((v for v in enum if isinstance(v, str) and "admin" in v.lower()), enum[-1])
    kind = schema_type(schema)
    return {"boolean": True, "integer": 31337, "number": 31337, "array": ["admin"]}.get(kind, "admin")


def applied(exchange: Exchange, smuggled: dict[str, Any]) -> dict[str, Any]:
    """Smuggled properties that came back with our value (at the top level or one object down)."""
    data = exchange.json
    objects = [data] if isinstance(data, dict) else []
    objects += [v for v in (data.values() if isinstance(data, dict) else []) if isinstance(v, dict)]
    hits = {}
    for obj in objects:
        for name, value in smuggled.items():
            if name in obj and _equal(obj[name], value):
                hits[name] = obj[name]
    return hits


def _equal(stored: Any, sent: Any) -> bool:
    if isinstance(sent, bool):
        return stored is True or stored in (1, "true")
    if isinstance(sent, list):
        return stored == sent or (isinstance(stored, str) and stored in sent)
    return bool(stored == sent)


def self_reader(ctx: ScanContext) -> Operation | None:
    """A secured GET without parameters that describes the caller (`/me`-like), if the API has one."""
    for op in ctx.spec.operations:
        if (
            op.method == "GET"
            and op.secured
            and not op.parameters
            and op.path.rstrip("/").split("/")[-1].lower()
            in (
                "me",
                "self",
                "current",
                "profile",
                "account",
                "whoami",
            )
        ):
            return op
    return None


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    me = self_reader(ctx)
    found = registration_op(ctx)
    if found is not None:
        op = found[0]
        report.tested(op.key)
        smuggled = candidates(ctx, op, me)
        account = register(ctx, smuggled)
        if account is not None:
            hits = applied(account.registration, smuggled)
            identity = as_identity(ctx, account, "mass-assignment")
            if identity is not None and me is not None:
                read = ctx.request(me, identity)
                hits |= applied(read, smuggled)
            if hits:
                _report(ctx, report, op, hits, account.registration, identity, "registration")
    account = register(ctx)  # a fresh, ordinary account for the updates
    victim = as_identity(ctx, account, "mass-assignment-update") if account else None
    if victim is None:
        return  # updates are only ever tried on an account the scan registered itself
    for op in ctx.spec.operations:
        if op.method not in ("PUT", "PATCH") or not op.secured or not op.json_body or op.path_params:
            continue
        report.tested(op.key)
        smuggled = candidates(ctx, op, me)
        body = ctx.filler.body(op, victim.name) or {}
        if not isinstance(body, dict):
            continue
        attempt = ctx.request(op, victim, body={**body, **smuggled})
        if not attempt.ok:
            continue
        hits = applied(attempt, smuggled)
        if me is not None:
            hits |= applied(ctx.request(me, victim), smuggled)
        if hits:
            _report(ctx, report, op, hits, attempt, victim, "update")


def _report(
    ctx: ScanContext,
    report: Reporter,
    op: Operation,
    hits: dict[str, Any],
    exchange: Exchange,
    identity: Actor | None,
    kind: str,
) -> None:
    evidence = [(exchange, f"{kind} with extra properties {sorted(hits)}")]
    severity = Severity.HIGH
    detail = (
        f"The {kind} {op.method} {op.path} stored client-chosen {', '.join(f'{k}={v!r}' for k, v in hits.items())}."
    )
    escalation = _escalation(ctx, identity) if identity is not None else None
    if escalation is not None:
        evidence.append((escalation, "the new account now succeeds at an admin operation"))
        severity = Severity.CRITICAL
        detail += " The account then succeeded at an admin-only operation: privilege escalation."
    report.finding(op.key, detail, evidence, severity=severity, confidence=Confidence.CERTAIN)


def _escalation(ctx: ScanContext, identity: Actor) -> Exchange | None:
    for op in ctx.spec.operations:
        if op.method == "GET" and op.secured and op.admin_by_declaration and not op.path_params:
            user = ctx.users[0] if ctx.users else None
            if user is not None and ctx.request(op, user).ok:
                continue  # an ordinary user succeeds too: that would prove nothing
            attempt = ctx.request(op, identity)
            if attempt.ok:
                return attempt
    return None
