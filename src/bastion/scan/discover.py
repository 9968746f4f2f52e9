"""Mapping the API before attacking it: every identity walks the read operations, learns who it is from
`/me`-like answers, creates one object of each kind it may create, then reads again, so that checks know
which IDs exist and whose they are.

Objects are created with the spec's examples, enums and defaults, references to objects that exist
(an order names a product the API listed), and fresh values for fields that must be unique. A creation
refused as a duplicate is tried once more with every text field fresh; one that still fails is kept
with the API's answer, so that a check with nothing to test can say why.
"""

from __future__ import annotations

import re
from typing import Any

from bastion.scan.auth import LoginFailed
from bastion.scan.context import Actor, ScanContext
from bastion.scan.operations import Operation
from bastion.scan.target import Exchange
from bastion.scan.values import fresh_like, replace_at, walk_strings

_CREDENTIAL_FLOW = re.compile(r"(?i)(log_?in|sign_?in|sign_?up|register|token|session|password|auth)")
DUPLICATE = re.compile(r"(?i)(already|exists|taken|duplicate|in use|unique|registered|conflict)")
SELF_WORDS = frozenset({"me", "self", "current", "profile", "account", "whoami", "current_user", "currentuser"})


def is_credential_flow(op: Operation) -> bool:
    """Login, registration, password and token operations: not mapped by ordinary traffic."""
    return bool(_CREDENTIAL_FLOW.search(op.path + " " + (op.operation_id or "")))


def self_readers(ctx: ScanContext) -> list[Operation]:
    """Secured GETs without parameters that describe the caller (`/me`, `/users/me`, `/profile` ...)."""
    out = []
    for op in ctx.spec.operations:
        last = op.path.rstrip("/").split("/")[-1].lower()
        if op.method == "GET" and op.secured and not op.path_params and last in SELF_WORDS:
            out.append(op)
    return out


def discover(ctx: ScanContext) -> None:
    actors: list[Actor] = [*ctx.identities, ctx.anonymous] if ctx.identities else [ctx.anonymous]
    reads = sorted((op for op in ctx.spec.operations if op.method == "GET"), key=lambda o: len(o.path_params))
    for actor in actors:
        for op in reads:
            _read(ctx, op, actor)
    _learn_selves(ctx)
    for actor in ctx.identities:
        for op in ctx.spec.operations:
            if op.method == "POST" and op.secured and op.json_body and not is_credential_flow(op):
                try:
                    create(ctx, op, actor)
                except LoginFailed:
                    continue
    # Read everything again: lists now show what each identity created, so an object someone else can
    # list (a public post) is not mistaken for a private one.
    for actor in actors:
        for op in reads:
            _read(ctx, op, actor)


def create(ctx: ScanContext, op: Operation, actor: Actor, body: Any = None) -> Exchange:
    """POST one object as `actor`; on a duplicate refusal, once more with every text field fresh."""
    body = body if body is not None else ctx.filler.body(op, actor.name)
    exchange = ctx.request(op, actor, body=body)
    if not exchange.ok and exchange.status in (400, 409, 422) and DUPLICATE.search(exchange.text[:2000]):
        exchange = ctx.request(op, actor, body=freshened(body))
    if exchange.ok:
        if exchange.json is not None:
            ctx.harvest.record(actor.name, op, exchange.json, created=True)
        ctx.baselines[(op.key, actor.name)] = exchange
        ctx.creation_failures.pop(op.key, None)
    else:
        if (op.key, actor.name) not in ctx.baselines:
            ctx.baselines[(op.key, actor.name)] = exchange
        excerpt = " ".join(ctx.masker.body(exchange.text).split())[:120]
        ctx.creation_failures[op.key] = f"{exchange.status or exchange.error} {excerpt}".strip()
    return exchange


def freshened(body: Any) -> Any:
    """Every free-text string of a body drawn again in its own shape (emails stay emails)."""
    if not isinstance(body, dict):
        return body
    out: Any = body
    for path, value in walk_strings(body):
        if isinstance(value, str) and path and not value.startswith(("http://", "https://")):
            fresh = fresh_like(value.split("@", 1)[0], 64) + ("@" + value.split("@", 1)[1] if "@" in value else "")
            out = replace_at(out, path, fresh)
    return out


def _learn_selves(ctx: ScanContext) -> None:
    for identity in ctx.identities:
        login_name = identity.user.username
        if login_name:
            ctx.harvest.selves.setdefault(identity.name, {})["login"] = login_name
        for op in self_readers(ctx):
            answer = ctx.baselines.get((op.key, identity.name))
            if answer is not None and answer.ok:
                ctx.harvest.learn_self(identity.name, answer.json)


def _read(ctx: ScanContext, op: Operation, actor: Actor) -> None:
    try:
        exchange = ctx.request(op, actor)
    except LoginFailed:
        return  # the session could not be renewed (the API may have banned us): nothing to map with it
    if exchange.ok:
        ctx.baselines[(op.key, actor.name)] = exchange
        if exchange.json is not None:
            ctx.harvest.record(actor.name, op, exchange.json)
    elif (op.key, actor.name) not in ctx.baselines:
        ctx.baselines[(op.key, actor.name)] = exchange
