"""Injection points in GraphQL: every String or ID argument of the query and mutation root fields.

A point sends its value through a variable (`query P($v: String!) { search(text: $v) { id } }`), with
the field's other required arguments filled, so the value reaches the resolver exactly as sent and
the injection checks (SQL, NoSQL, OS command, template, SSRF ...) treat it like a REST parameter. In
safe mode, mutations whose name says they destroy something (delete, remove, purge ...) are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import get_named_type

from bastion.scan import graphql
from bastion.scan.context import Actor, ScanContext
from bastion.scan.target import Exchange

MAX_POINTS = 40
DESTRUCTIVE = re.compile(r"(?i)(delete|remove|destroy|purge|drop|reset|clear|wipe|burn|revoke|ban|disable|truncate)")
_STRINGISH = ("String", "ID")


@dataclass
class GraphQLPoint:
    field: graphql.RootField
    arg: str
    original: Any
    actor: Actor
    location: str = "graphql"

    @property
    def name(self) -> str:
        return self.arg

    @property
    def operation(self) -> str:
        return f"{self.field.name}({self.arg})"

    @property
    def where(self) -> str:
        return f"GraphQL {self.field.kind} {self.field.name}"

    @property
    def label(self) -> str:
        return f"argument {self.arg!r}"

    @property
    def reads(self) -> bool:
        return self.field.kind == "query"

    @property
    def schema(self) -> dict[str, Any]:
        return {"type": "string"}

    def document(self, overrides: dict[str, str] | None = None) -> str | None:
        argument = self.field.field.args[self.arg]
        call = graphql.call(self.field, {**(overrides or {}), self.arg: "$v"})
        if call is None:
            return None
        keyword = "mutation" if self.field.kind == "mutation" else "query"
        return f"{keyword} BastionProbe($v: {argument.type}) {{ {call}{graphql.selection(self.field.returns)} }}"

    def send(self, ctx: ScanContext, value: Any, *, timeout: float | None = None) -> Exchange:
        document = self.document()
        assert document is not None
        text = value if isinstance(value, str) else str(value)
        return graphql.send(ctx, document, {"v": text}, self.actor, timeout=timeout)


def graphql_points(ctx: ScanContext) -> Iterator[GraphQLPoint]:
    """Every String/ID argument of the root fields (needs --graphql and a schema)."""
    if ctx.options.graphql is None:
        return
    found = graphql.schema(ctx)
    if found is None:
        return
    actor: Actor = ctx.users[0] if ctx.users else (ctx.admins[0] if ctx.admins else ctx.anonymous)
    login = graphql.login_mutation(found)
    count = 0
    for kind in ("query", "mutation"):
        for field in graphql.root_fields(found, kind):
            if kind == "mutation" and ctx.safe and DESTRUCTIVE.search(field.name):
                continue
            if login is not None and field.name == login.name:
                continue  # wrong logins are the lockout checks' business
            for arg, definition in field.field.args.items():
                if get_named_type(definition.type).name not in _STRINGISH or count >= MAX_POINTS:
                    continue
                point = GraphQLPoint(field, arg, _original(ctx, arg, definition), actor)
                if point.document() is None:
                    continue
                count += 1
                yield point


def _original(ctx: ScanContext, arg: str, definition: Any) -> str:
    seen = ctx.harvest.field(arg)
    if seen:
        return str(seen[0])
    return "1" if get_named_type(definition.type).name == "ID" or arg.lower().endswith("id") else "bastion"
