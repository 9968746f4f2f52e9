"""Where a user's token is accepted: the yardsticks for every check that forges or tampers with tokens.

A session is one request that works with a test user's token and not without it, and a way to send the
same request with another token in its place. Tokens travel in three ways, and each gets its session:

- a REST `Authorization` header, on a secured GET that answers the user and refuses nobody-at-all;
- a GraphQL `Authorization` header on POST, on a root field without arguments (`me`, `viewer` ...) that
  answers the user with data and nobody-at-all without;
- a GraphQL argument that carries the token itself (`me(token: "...")`, `profile(jwt: ...)`), answered
  with data for the user's token and not for a made-up one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from graphql import GraphQLObjectType

from bastion.scan import graphql
from bastion.scan.auth import Identity
from bastion.scan.compare import similar
from bastion.scan.context import ScanContext
from bastion.scan.target import Exchange

TOKEN_ARG = re.compile(r"(?i)^(token|jwt|access_?token|auth_?token|auth|id_?token|bearer|session)$")
MAX_GRAPHQL_SESSIONS = 3


@dataclass
class Session:
    where: str  # the finding's operation: an operationId, or a GraphQL field
    description: str  # "GET /api/me", "GraphQL query me(token:)"
    identity: Identity
    token: str
    accepted: Exchange
    refused: Exchange
    send: Callable[[str], Exchange]  # the same request with another token


def header_with(ctx: ScanContext, token: str) -> dict[str, str]:
    """The credential header with `token` in place of the real one."""
    if ctx.login is not None:
        name, _, template = ctx.login.header.partition(":")
        return {name.strip(): template.strip().replace("{token}", token)}
    return {"authorization": f"Bearer {token}"}


def sessions(ctx: ScanContext) -> list[Session]:
    if "sessions" not in ctx.facts:
        found: list[Session] = []
        rest = _rest(ctx)
        if rest is not None:
            found.append(rest)
        found += _graphql(ctx)
        ctx.facts["sessions"] = found
    result: list[Session] = ctx.facts["sessions"]
    return result


def _identities(ctx: ScanContext) -> list[Identity]:
    out = []
    for identity in [*ctx.users, *ctx.admins]:
        try:
            if identity.token is not None:
                out.append(identity)
        except Exception:  # noqa: S112 - a user that cannot log in has no session to tamper with
            continue
    return out


def _rest(ctx: ScanContext) -> Session | None:
    for identity in _identities(ctx):
        for op in ctx.spec.operations:
            if op.method != "GET" or not op.secured:
                continue
            accepted = ctx.baselines.get((op.key, identity.name))
            refused = ctx.baselines.get((op.key, "anonymous"))
            if accepted is not None and accepted.ok and refused is not None and refused.status in (401, 403):

                def send(token: str, op_key: str = op.key) -> Exchange:
                    operation = next(o for o in ctx.spec.operations if o.key == op_key)
                    return ctx.request(operation, ctx.anonymous, headers=header_with(ctx, token))

                return Session(
                    op.key, f"{op.method} {op.path}", identity, identity.token or "", accepted, refused, send
                )
    return None


def _graphql(ctx: ScanContext) -> list[Session]:
    found = graphql.schema(ctx) if ctx.options.graphql else None
    identities = _identities(ctx)
    if found is None or not identities:
        return []
    identity = identities[0]
    token = identity.token or ""
    out: list[Session] = []
    for field in graphql.root_fields(found):
        if len(out) >= MAX_GRAPHQL_SESSIONS:
            break
        token_arg = next((a for a in field.field.args if TOKEN_ARG.match(a)), None)
        selection = graphql.selection(field.returns)
        if token_arg is not None:
            call = graphql.call(field, {token_arg: "$t"})
            if call is None:
                continue
            document = f"query BastionToken($t: {field.field.args[token_arg].type}) {{ {call}{selection} }}"

            def by_argument(value: str, document: str = document) -> Exchange:
                return graphql.send(ctx, document, {"t": value})

            session = _judge(
                f"{field.name}({token_arg})", f"GraphQL query {field.name}({token_arg}:)", identity, token, by_argument
            )
        elif not field.required and isinstance(field.returns, GraphQLObjectType) and not _has_header_session(out):
            document = f"query BastionViewer {{ {field.name}{selection} }}"

            def by_header(value: str, document: str = document) -> Exchange:
                return graphql.send(ctx, document, headers=header_with(ctx, value))

            session = _judge(
                graphql.OPERATION, f"POST {graphql.endpoint(ctx)} ({field.name})", identity, token, by_header
            )
        else:
            continue
        if session is not None:
            out.append(session)
    return out


def _has_header_session(found: list[Session]) -> bool:
    return any(s.where == graphql.OPERATION for s in found)


def _judge(
    where: str, description: str, identity: Identity, token: str, send: Callable[[str], Exchange]
) -> Session | None:
    """A session only when the user's token gets data and a made-up one does not."""
    accepted = send(token)
    value = graphql.data(accepted)
    if not value or all(v is None for v in value.values()):
        return None
    refused = send("bst-not-a-token")
    refused_value = graphql.data(refused)
    if refused_value and any(v is not None for v in refused_value.values()) and similar(refused, accepted):
        return None  # the token makes no difference here
    return Session(where, description, identity, token, accepted, refused, send)
