"""Mapping the API before attacking it: every identity walks the read operations, creates one object of
each kind it may create, then reads again, so that checks know which IDs exist and whose they are."""

from __future__ import annotations

import re

from bastion.scan.auth import LoginFailed
from bastion.scan.context import Actor, ScanContext
from bastion.scan.operations import Operation

_CREDENTIAL_FLOW = re.compile(r"(?i)(log_?in|sign_?in|sign_?up|register|token|session|password|auth)")


def is_credential_flow(op: Operation) -> bool:
    """Login, registration, password and token operations: not mapped by ordinary traffic."""
    return bool(_CREDENTIAL_FLOW.search(op.path + " " + (op.operation_id or "")))


def discover(ctx: ScanContext) -> None:
    actors: list[Actor] = [*ctx.identities, ctx.anonymous] if ctx.identities else [ctx.anonymous]
    reads = sorted((op for op in ctx.spec.operations if op.method == "GET"), key=lambda o: len(o.path_params))
    for actor in actors:
        for op in reads:
            _read(ctx, op, actor)
    for actor in ctx.identities:
        for op in ctx.spec.operations:
            if op.method == "POST" and op.secured and op.json_body and not is_credential_flow(op):
                try:
                    exchange = ctx.request(op, actor)
                except LoginFailed:
                    continue
                if exchange.ok and exchange.json is not None:
                    ctx.harvest.record(actor.name, op, exchange.json)
                    ctx.baselines[(op.key, actor.name)] = exchange
    # Read everything again: lists now show what each identity created, so an object someone else can
    # list (a public post) is not mistaken for a private one.
    for actor in actors:
        for op in reads:
            _read(ctx, op, actor)


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
