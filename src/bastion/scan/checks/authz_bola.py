"""Authorization: one user reads, changes or deletes another user's objects (BOLA / IDOR).

Two test users own objects (created during discovery, or named theirs by an owner field). For every
secured operation, each user in turn tries the other's objects wherever a reference can sit:

- path: `GET /orders/{id}` answered like the owner's own request. When the attacker could already list
  the object (a title, an owner), the answer must also reveal something the lists never showed it (a
  note's secret), so that public objects are not reported;
- query and header: `?user_id=`, `X-Account-Id:` naming the owner get the owner's data, which the
  attacker's own value does not;
- body: an update naming the owner (`PUT /profile {"username": <owner>, "bio": <marker>}`) whose marker
  the owner then reads back;
- writes through the path leave a marker the owner reads back; with --allow-destructive, a DELETE of an
  object the owner created during the scan leaves the owner unable to read it.

Writes to a user's own record (`/users/{name}/email`, `/users/{name}/password`) are only ever tried
against an account the scan registered itself, and a password change is confirmed by logging in with it.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from bastion.scan.accounts import as_identity, login_attempt, registration_refused, throwaway
from bastion.scan.checks._references import (
    is_credential_write,
    marker_field,
    read_back,
    reference,
    value_for,
)
from bastion.scan.compare import similar
from bastion.scan.context import Actor, ScanContext
from bastion.scan.discover import self_readers
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.operations import Operation
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange
from bastion.scan.values import unique_text

INFO = CheckInfo(
    id="authz.bola",
    title="Broken object level authorization: another user's object is accessible",
    severity=Severity.HIGH,
    cwe=639,
    owasp="API1",
    needs_users=2,
    remediation="Check on every request that the caller owns (or may access) the object the ID names, wherever "
    "the ID comes from (path, query, header or body); an ID from the client is a claim, not a permission.",
    bastion='authz:\n  rules:\n    - {allow: [getOrder, updateOrder], roles: [user], where: "lookup.order_owner == '
    'identity.sub"}\n  lookups:\n    order_owner: {sql: {dsn: ..., query: "SELECT user_id FROM orders WHERE id = '
    ':path.order_id"}}',
)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    if not ctx.spec.operations:
        report.skip("no REST operations (GraphQL objects between users: graphql.field-authz)")
        return
    users = ctx.users
    pairs = [(users[0], users[1]), (users[1], users[0])]
    for op in ctx.spec.operations:
        if not op.secured or (op.method == "DELETE" and ctx.safe):
            continue
        for owner, attacker in pairs:
            user_write = op.method != "GET" and _user_record(op)  # on the scan's own account, below
            if op.path_params and not user_write and _by_path(ctx, report, op, owner, attacker):
                break
            if op.method == "GET" and _by_parameter(ctx, report, op, owner, attacker):
                break
            if op.is_write and op.json_body and not op.path_params and _by_body(ctx, report, op, owner, attacker):
                break
    _user_records(ctx, report)
    if not ctx.findings.coverage.get(INFO.id):
        failures = "; ".join(f"{k}: {v}" for k, v in list(ctx.creation_failures.items())[:3])
        report.skip(
            "no object of one test user was found for the other to try"
            + (f" (creating objects failed: {failures})" if failures else "")
        )


class Trial(NamedTuple):
    """One operation, the user whose object it is, and the user who tries it."""

    op: Operation
    owner: Actor
    attacker: Actor


def _user_record(op: Operation) -> bool:
    """`/users/{name}/...`: the object is a user account itself."""
    return any(reference(p.name) == "user" or op.resource_of(p.name) == "user" for p in op.path_params)


# -- references in the path ------------------------------------------------------------------------------------


def _path_values(ctx: ScanContext, op: Operation, owner: str, attacker: str, *, created: bool) -> dict[str, str] | None:
    values: dict[str, str] = {}
    owned_any = False
    for param in op.path_params:
        resource = op.resource_of(param.name)
        keyed = param.name.lower() not in ("id", "uuid", "_id") and not reference(param.name)
        owned = (
            ctx.harvest.owned(resource, owner, attacker, param.name if keyed else None, created_only=created)
            if resource
            else []
        )
        if owned:
            values[param.name] = str(owned[0])
            owned_any = True
        else:
            values[param.name] = str(
                ctx.filler.value(param.schema, name=param.name, resource=resource, identity=owner, fresh=False)
            )
    return values if owned_any else None


def _by_path(ctx: ScanContext, report: Reporter, op: Operation, owner: Actor, attacker: Actor) -> bool:
    values = _path_values(ctx, op, owner.name, attacker.name, created=op.method == "DELETE")
    if values is None:
        return False
    report.tested(op.key)
    if op.method == "GET":
        return _read(ctx, report, Trial(op, owner, attacker), values)
    if op.method in ("PUT", "PATCH"):
        return _write(ctx, report, Trial(op, owner, attacker), values)
    if op.method == "DELETE":
        return _delete(ctx, report, Trial(op, owner, attacker), values)
    return False


def _read(ctx: ScanContext, report: Reporter, trial: Trial, values: dict[str, str]) -> bool:
    op, owner, attacker = trial
    mine = ctx.request(op, owner, path_values=values)
    if not mine.ok:
        return False
    theirs = ctx.request(op, attacker, path_values=values)
    if not (theirs.ok and (similar(mine, theirs) or _same_object(mine, theirs))):
        return False
    listed = ctx.harvest.listed_values(attacker.name)
    revealed = _revealed(theirs, listed, values)
    if _listed_to(ctx, op, attacker.name, values) and not revealed:
        return False  # an object the attacker could already list, and nothing more: public by design
    extra = f"; it reveals {', '.join(revealed[:3])}, which no list showed {attacker.name}" if revealed else ""
    report.finding(
        op.key,
        f"{attacker.name} read {owner.name}'s object through {op.method} {op.render_path(values)} "
        f"(status {theirs.status}, the content the owner gets){extra}.",
        [(theirs, f"{attacker.name} asks for {owner.name}'s object"), (mine, f"{owner.name}, the owner")],
        confidence=Confidence.CERTAIN,
    )
    return True


def _listed_to(ctx: ScanContext, op: Operation, attacker: str, values: dict[str, str]) -> bool:
    """Some object the path names was in a list the attacker could read."""
    for param in op.path_params:
        keyed = param.name.lower() not in ("id", "uuid", "_id") and not reference(param.name)
        resource = op.resource_of(param.name)
        if resource and ctx.harvest.shown(resource, param.name if keyed else None, values[param.name], attacker):
            return True
    return False


def _revealed(exchange: Exchange, listed: set[str], sent: dict[str, str]) -> list[str]:
    """Fields of the answer whose values the attacker was never shown by a list (a note's `secret`)."""
    data = exchange.json
    objects = (
        [data]
        if isinstance(data, dict)
        else [d for d in data[:50] if isinstance(d, dict)]
        if isinstance(data, list)
        else []
    )
    out: list[str] = []
    for obj in objects:
        for key, value in obj.items():
            if isinstance(value, bool) or value is None or isinstance(value, dict | list):
                continue
            text = str(value)
            if len(text) >= 3 and text not in listed and text not in sent.values() and str(key) not in out:
                out.append(str(key))
    return out


def _write(ctx: ScanContext, report: Reporter, trial: Trial, values: dict[str, str]) -> bool:
    op, owner, attacker = trial
    properties = (op.body_schema or {}).get("properties") or {}
    chosen = marker_field(properties, set())
    body = ctx.filler.body(op, owner.name)
    if chosen is None or not isinstance(body, dict):
        return False
    name, marker = chosen
    attempt = ctx.request(op, attacker, path_values=values, body={**body, name: marker})
    if not attempt.ok:
        return False
    back = read_back(ctx, owner, op, values, marker)
    if back is None:
        return False
    report.finding(
        op.key,
        f"{attacker.name} changed {owner.name}'s object through {op.method} {op.render_path(values)} ({name}).",
        [
            (attempt, f"{attacker.name} updates {owner.name}'s object"),
            (back, f"{owner.name} reads it back: the change is there"),
        ],
        severity=Severity.CRITICAL,
        confidence=Confidence.CERTAIN,
    )
    return True


def _delete(ctx: ScanContext, report: Reporter, trial: Trial, values: dict[str, str]) -> bool:
    op, owner, attacker = trial
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


# -- references in the query, a header or the body --------------------------------------------------------------


def _send_with(ctx: ScanContext, op: Operation, actor: Actor, location: str, name: str, value: Any) -> Exchange:  # noqa: PLR0913  one tampered request: where the value goes and what it is
    if location == "header":
        return ctx.request(op, actor, headers={name: str(value)})
    rest = [(k, v) for k, v in ctx.filler.query(op, actor.name) if k != name]
    return ctx.request(op, actor, query=[*rest, (name, str(value))])


def _by_parameter(ctx: ScanContext, report: Reporter, op: Operation, owner: Actor, attacker: Actor) -> bool:
    for param in op.parameters:
        if param.location not in ("query", "header") or reference(param.name) is None:
            continue
        theirs = value_for(ctx, op, param.name, owner.name, attacker.name)
        if theirs is None:
            continue
        report.tested(op.key)
        owner_view = _send_with(ctx, op, owner, param.location, param.name, theirs)
        if not owner_view.ok or (owner_view.json in ([], {}, None) and not owner_view.text.strip()):
            continue
        if owner_view.json in ([], {}):
            continue  # nothing of the owner's to see: proves nothing either way
        attempt = _send_with(ctx, op, attacker, param.location, param.name, theirs)
        mine = value_for(ctx, op, param.name, attacker.name, owner.name)
        own = _send_with(ctx, op, attacker, param.location, param.name, mine) if mine is not None else None
        own = own if own is not None else ctx.request(op, attacker)
        if attempt.ok and similar(attempt, owner_view) and not similar(own, owner_view):
            where = f"{param.location} {param.name}={theirs}"
            report.finding(
                op.key,
                f"{attacker.name} got {owner.name}'s data from {op.method} {op.path} by naming {owner.name} in the "
                f"{where}.",
                [
                    (attempt, f"{attacker.name} names {owner.name} in the {param.location}"),
                    (owner_view, f"{owner.name}'s own answer"),
                    (own, f"{attacker.name}'s own data, for comparison"),
                ],
                confidence=Confidence.CERTAIN,
            )
            return True
    return False


def _by_body(ctx: ScanContext, report: Reporter, op: Operation, owner: Actor, attacker: Actor) -> bool:
    properties = (op.body_schema or {}).get("properties") or {}
    references = [name for name in properties if reference(name) is not None]
    chosen = marker_field(properties, set(references))
    if not references or chosen is None or is_credential_write(op):
        return False
    field, marker = chosen
    for name in references:
        theirs = value_for(ctx, op, name, owner.name, attacker.name)
        body = ctx.filler.body(op, attacker.name)
        if theirs is None or not isinstance(body, dict):
            continue
        report.tested(op.key)
        attempt = ctx.request(op, attacker, body={**body, name: theirs, field: marker})
        if not attempt.ok:
            continue
        back = read_back(ctx, owner, op, {}, marker)
        if back is not None:
            report.finding(
                op.key,
                f"{attacker.name} changed {owner.name}'s data through {op.method} {op.path} by naming "
                f"{owner.name} in the body field {name!r} ({field} set to a marker {owner.name} then read).",
                [
                    (attempt, f"{attacker.name} sends {name}={theirs!r}"),
                    (back, f"{owner.name} reads the marker back"),
                ],
                severity=Severity.CRITICAL,
                confidence=Confidence.CERTAIN,
            )
            return True
    return False


# -- a user's own record, on the scan's own account ----------------------------------------------------------------


def _user_records(ctx: ScanContext, report: Reporter) -> None:
    """`PUT /users/{name}/email|password` by another user, against the account the scan registered."""
    writes = [op for op in ctx.spec.operations if op.secured and op.method in ("PUT", "PATCH", "POST")]
    writes = [op for op in writes if op.path_params and _user_record(op) and op.json_body]
    if not writes:
        return
    account = throwaway(ctx)
    victim = as_identity(ctx, account, "bola-victim") if account else None
    if account is None or victim is None:
        for op in writes:
            report.tested(op.key)
        report.skip(f"writes to another user's account need an account of the scan's own: {registration_refused(ctx)}")
        return
    attacker = ctx.users[0]
    for op in writes:
        values = {p.name: _account_value(ctx, victim, account.username, p.name) for p in op.path_params}
        report.tested(op.key)
        properties = (op.body_schema or {}).get("properties") or {}
        body = ctx.filler.body(op, attacker.name)
        if not isinstance(body, dict):
            continue
        if is_credential_write(op):
            _password_change(ctx, report, op, attacker, account.username, values, properties, body)
            continue
        chosen = marker_field(properties, set())
        if chosen is None:
            continue
        attempt = ctx.request(op, attacker, path_values=values, body={**body, chosen[0]: chosen[1]})
        back = read_back(ctx, victim, op, values, chosen[1]) if attempt.ok else None
        if back is not None:
            report.finding(
                op.key,
                f"{attacker.name} changed another user's {chosen[0]} through {op.method} {op.render_path(values)} "
                "(the account the scan registered for the purpose).",
                [(attempt, f"{attacker.name} writes to another account"), (back, "that account reads it back")],
                severity=Severity.CRITICAL,
                confidence=Confidence.CERTAIN,
            )


def _account_value(ctx: ScanContext, victim: Actor, username: str, name: str) -> str:
    """The registered account's name, or its id when the parameter wants one (read from its `/me`)."""
    if name.lower().endswith("id"):
        for op in self_readers(ctx)[:1]:
            data = ctx.request(op, victim).json
            if isinstance(data, dict) and data.get("id") is not None:
                return str(data["id"])
    return username


def _password_change(  # noqa: PLR0913  one attempt's facts: attacker, victim name, the form and its schema
    ctx: ScanContext,
    report: Reporter,
    op: Operation,
    attacker: Actor,
    username: str,
    values: dict[str, str],
    properties: dict[str, Any],
    body: dict[str, Any],
) -> None:
    password = "Bst-" + unique_text("new") + "-Aa1!"
    ctx.masker.public(password)
    changed = {k: password for k in properties if "pass" in k.lower() and "old" not in k.lower()}
    if not changed or ctx.login is None:
        return
    attempt = ctx.request(op, attacker, path_values=values, body={**body, **changed})
    if not attempt.ok:
        return
    login = login_attempt(ctx, username, password)
    if login.ok:
        report.finding(
            op.key,
            f"{attacker.name} set another user's password through {op.method} {op.render_path(values)}, and the "
            "new password logs that account in (the account the scan registered for the purpose).",
            [(attempt, f"{attacker.name} changes another account's password"), (login, "login with it works")],
            severity=Severity.CRITICAL,
            confidence=Confidence.CERTAIN,
        )
