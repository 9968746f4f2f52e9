"""Authorization: privilege escalation by mass assignment (BOPLA) on every write a user may call.

Privileged properties are learned from the spec (response properties named like `role`, `is_admin`,
`permissions`, `balance`, readOnly ones) and from the answers (a `role` field the admin's `/me` shows,
with the admin's value), plus a short list of names APIs commonly trust by mistake. They are smuggled
into every write a user may call:

- registration: an account registered with them;
- updates of one's own record (`PATCH /profile`, `PUT /users/{me}`), and role-change operations
  (`PUT /users/{me}/role {"role": "admin"}`), always on an account the scan registered for the purpose;
- creates (`POST /orders` with `status: paid`), as a test user, of a new object.

Nothing counts until it is read back: the account's own `/me`, or the created object fetched again,
must show the smuggled value. When the account then succeeds at an operation only the admin could
call, the finding is a privilege escalation (critical).
"""

from __future__ import annotations

import re
from typing import Any

from bastion.scan.accounts import Account, as_identity, register, registration_op, registration_refused
from bastion.scan.checks._references import is_credential_write, reference
from bastion.scan.context import Actor, ScanContext
from bastion.scan.discover import create, is_credential_flow, self_readers
from bastion.scan.findings import CheckInfo, Confidence, Severity
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
    remediation="Bind request bodies to an allow-list of writable properties per operation and role; refuse "
    "undeclared and readOnly properties instead of ignoring or storing them; only admins change roles.",
    bastion="authz:\n  privileged_fields: {fields: [role, roles, is_admin, admin, balance, permissions, verified], "
    "read_only: true, roles: [admin]}",
)
COMMON: dict[str, Any] = {
    "role": "admin",
    "roles": ["admin"],
    "is_admin": True,
    "isAdmin": True,
    "admin": True,
    "is_staff": True,
    "is_superuser": True,
    "permissions": ["*"],
    "group": "admin",
    "user_type": "admin",
    "account_type": "admin",
    "verified": True,
    "email_verified": True,
    "approved": True,
    "balance": 31337,
    "credit": 31337,
    "plan": "enterprise",
}
PRIVILEGED = re.compile(
    r"(?i)^(is_?)?(admin|administrator|super_?user|staff|root|moderator|verified|approved)$|"
    r"^(user_?)?(role|roles|type|group|groups|permissions?|privileges?|scopes?|access_?level|tier|plan)$|"
    r"^(balance|credits?|wallet|account_?type|email_?verified)$"
)
_ADMIN_VALUE = re.compile(r"(?i)admin|root|super|owner|staff|manager|enterprise|premium|pro$")


def candidates(ctx: ScanContext, op: Operation) -> dict[str, Any]:
    """Privileged properties to smuggle into `op`, with an elevated value for each."""
    schemas = [s for s in (op.success_schema(), *(r.success_schema() for r in self_readers(ctx))) if s]
    declared = (op.body_schema or {}).get("properties") or {}
    out: dict[str, Any] = {}
    for schema in [*schemas, {"properties": declared}]:
        for name, sub in (schema.get("properties") or {}).items():
            if isinstance(sub, dict) and (PRIVILEGED.match(name) or (sub.get("readOnly") and name in COMMON)):
                out.setdefault(name, _elevated(ctx, name, sub))
    for name in _seen_privileged(ctx):
        out.setdefault(name, _elevated(ctx, name, {}))
    for name, value in COMMON.items():
        out.setdefault(name, value)
    return out


def _seen_privileged(ctx: ScanContext) -> list[str]:
    names = set()
    for identity in ctx.identities:
        for key in ctx.harvest.selves.get(identity.name, {}):
            if PRIVILEGED.match(key):
                names.add(key)
    for exchange in ctx.baselines.values():
        if exchange.ok and isinstance(exchange.json, dict):
            names.update(k for k in exchange.json if PRIVILEGED.match(str(k)))
    return sorted(names)


def _elevated(ctx: ScanContext, name: str, schema: dict[str, Any]) -> Any:
    """The admin's own value when an answer showed it, else an admin-like enum value, else a guess."""
    for admin in ctx.admins:
        value = ctx.harvest.field(name, admin.name)
        if value and all(value[0] not in ctx.harvest.field(name, u.name) for u in ctx.users):
            return value[0]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return next((v for v in enum if isinstance(v, str) and _ADMIN_VALUE.search(v)), enum[-1])
    if name in COMMON:
        return COMMON[name]
    kind = schema_type(schema) if schema else "string"
    return {"boolean": True, "integer": 31337, "number": 31337, "array": ["admin"]}.get(kind, "admin")


def applied(exchange: Exchange | None, smuggled: dict[str, Any]) -> dict[str, Any]:
    """Smuggled properties that came back with our value (at the top level or one object down)."""
    data = exchange.json if exchange is not None and exchange.ok else None
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


def _read_self(ctx: ScanContext, actor: Actor) -> Exchange | None:
    for op in self_readers(ctx):
        answer = ctx.request(op, actor)
        if answer.ok:
            return answer
    return None


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    _registration(ctx, report)
    _own_record_updates(ctx, report)
    _creates(ctx, report)


def _registration(ctx: ScanContext, report: Reporter) -> None:
    found = registration_op(ctx)
    if found is None:
        return
    op = found[0]
    report.tested(op.key)
    smuggled = candidates(ctx, op)
    account = register(ctx, smuggled)
    identity = as_identity(ctx, account, "mass-assignment") if account else None
    if account is None or identity is None:
        return
    hits = applied(_read_self(ctx, identity), smuggled)
    if hits:
        _report(ctx, report, op, hits, account.registration, identity, "registration")


def _updates(ctx: ScanContext) -> list[Operation]:
    """Writes to the caller's own record: no path parameter, or one that names a user."""
    out = []
    for op in ctx.spec.operations:
        if op.method not in ("PUT", "PATCH", "POST") or not op.secured or not op.json_body or is_credential_flow(op):
            continue
        if is_credential_write(op):
            continue  # a password change proves nothing about privileges, and would lock our account out
        own = not op.path_params and (op.method != "POST" or op.path.rstrip("/").split("/")[-1] in ("me", "profile"))
        if own or (op.path_params and all(reference(p.name) == "user" for p in op.path_params)):
            out.append(op)
    return out


def _own_record_updates(ctx: ScanContext, report: Reporter) -> None:
    updates = _updates(ctx)
    if not updates:
        return
    victim: tuple[Account, Actor] | None = None
    for op in updates:
        report.tested(op.key)
        smuggled = candidates(ctx, op)
        if victim is None or applied(_read_self(ctx, victim[1]), smuggled):
            victim = _fresh_victim(ctx)  # a clean account for each change that might stick
        if victim is None:
            report.skip(f"updates are only ever tried on an account the scan registered: {registration_refused(ctx)}")
            return
        account, identity = victim
        values = {p.name: _own_value(ctx, identity, account, p.name) for p in op.path_params}
        body = ctx.filler.body(op, identity.name)
        body = body if isinstance(body, dict) else {}
        attempt = ctx.request(op, identity, path_values=values, body={**body, **smuggled})
        if not attempt.ok:
            # An API that refuses unknown properties may still take the one a role-change op declares.
            declared = {k: v for k, v in smuggled.items() if k in _declared(op)}
            if not declared:
                continue
            attempt = ctx.request(op, identity, path_values=values, body={**body, **declared})
            if not attempt.ok:
                continue
        hits = applied(_read_self(ctx, identity), smuggled)
        if hits:
            kind = (
                "role change" if any(k in ((op.body_schema or {}).get("properties") or {}) for k in hits) else "update"
            )
            _report(ctx, report, op, hits, attempt, identity, kind)
            victim = None


def _declared(op: Operation) -> dict[str, Any]:
    properties: dict[str, Any] = (op.body_schema or {}).get("properties") or {}
    return properties


def _fresh_victim(ctx: ScanContext) -> tuple[Account, Actor] | None:
    account = register(ctx)
    identity = as_identity(ctx, account, "mass-assignment-update") if account else None
    return (account, identity) if account and identity else None


def _own_value(ctx: ScanContext, identity: Actor, account: Account, name: str) -> str:
    if name.lower().endswith("id"):
        data = (_read_self(ctx, identity) or account.registration).json
        if isinstance(data, dict) and data.get("id") is not None:
            return str(data["id"])
    return account.username


def _creates(ctx: ScanContext, report: Reporter) -> None:
    """New objects as a test user, with privileged properties their schema shows; read back by id."""
    if not ctx.users:
        return
    user = ctx.users[0]
    for op in ctx.spec.operations:
        if op.method != "POST" or not op.secured or not op.json_body or is_credential_flow(op) or op in _updates(ctx):
            continue
        shown = {**((op.success_schema() or {}).get("properties") or {})}
        smuggled = {
            name: _elevated(ctx, name, sub)
            for name, sub in shown.items()
            if isinstance(sub, dict)
            and PRIVILEGED.match(name)
            and name not in ((op.body_schema or {}).get("properties") or {})
        }
        if not smuggled:
            continue
        report.tested(op.key)
        body = ctx.filler.body(op, user.name)
        attempt = create(ctx, op, user, {**(body if isinstance(body, dict) else {}), **smuggled})
        created = attempt.json if attempt.ok and isinstance(attempt.json, dict) else None
        if created is None or created.get("id") is None:
            continue
        reader = ctx.spec.find("GET", f"{op.path.rstrip('/')}/{created['id']}")
        back = (
            ctx.request(reader, user, path_values={p.name: str(created["id"]) for p in reader.path_params})
            if reader
            else None
        )
        hits = applied(back, smuggled)
        if hits and back is not None:
            _report(ctx, report, op, hits, attempt, None, "create", back)


def _report(  # noqa: PLR0913  one finding's evidence: the hits, the exchange, the read-back
    ctx: ScanContext,
    report: Reporter,
    op: Operation,
    hits: dict[str, Any],
    exchange: Exchange,
    identity: Actor | None,
    kind: str,
    back: Exchange | None = None,
) -> None:
    evidence = [(exchange, f"{kind} with {', '.join(f'{k}={v!r}' for k, v in hits.items())}")]
    read = back or (_read_self(ctx, identity) if identity is not None else None)
    if read is not None:
        evidence.append((read, "read back: the values stuck"))
    severity = Severity.HIGH
    detail = f"The {kind} {op.method} {op.path} stored client-chosen {', '.join(f'{k}={v!r}' for k, v in hits.items())}"
    detail += " (read back afterwards)."
    escalation = _escalation(ctx, identity) if identity is not None else None
    if escalation is not None:
        evidence.append((escalation, "the account now succeeds at an admin-only operation"))
        severity = Severity.CRITICAL
        detail += (
            f" The account then succeeded at {escalation.method} {escalation.path}, which only the admin could "
            "call: privilege escalation."
        )
    title = "Privilege escalation through a role-change operation" if kind == "role change" else None
    report.finding(op.key, detail, evidence, severity=severity, confidence=Confidence.CERTAIN, title=title)


def _escalation(ctx: ScanContext, identity: Actor) -> Exchange | None:
    """An operation the admin succeeded at and the users were refused, now answered to this account."""
    identity.invalidate()  # a token minted before the change may still carry the old role
    for op in ctx.spec.operations:
        if op.path_params or op.method not in ("GET", "POST") or not op.secured:
            continue
        admin_ok = any((a := ctx.baselines.get((op.key, i.name))) is not None and a.ok for i in ctx.admins)
        users_refused = all(
            (u := ctx.baselines.get((op.key, i.name))) is not None and u.status in (401, 403) for i in ctx.users
        )
        declared = op.admin_by_declaration and op.method == "GET"
        if not ((admin_ok and users_refused) or declared):
            continue
        attempt = ctx.request(op, identity) if op.method == "GET" else create(ctx, op, identity)
        if attempt.ok:
            return attempt
    return None
