"""Injection points: every place in a request where a check may put a payload.

A point is one query parameter, one path parameter or one scalar inside the JSON body of one operation,
or one String/ID argument of a GraphQL root field (scan/graphql_points.py); `send` replaces that value
only and keeps the rest of the request valid, so that the API reaches the code that uses the value
instead of refusing the request for another reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bastion.scan.context import Actor, ScanContext
from bastion.scan.graphql_points import GraphQLPoint, graphql_points
from bastion.scan.operations import Operation
from bastion.scan.target import Exchange, encode_query
from bastion.scan.values import replace_at, walk_strings, wants_unique

MAX_POINTS_PER_OPERATION = 12


@dataclass
class Point:
    op: Operation
    location: str  # query, path, body
    name: str
    original: Any
    actor: Actor
    body: Any = None
    body_path: tuple[Any, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.location} parameter {self.name!r}" if self.location != "body" else f"body field {self.name!r}"

    @property
    def operation(self) -> str:
        return self.op.key

    @property
    def where(self) -> str:
        return f"{self.op.method} {self.op.path}"

    @property
    def reads(self) -> bool:
        """A read: an always-true SQL condition only widens what comes back, it changes no row."""
        return self.op.method == "GET"

    @property
    def schema(self) -> dict[str, Any]:
        """The JSON Schema of this value (a parameter's, or the body property's), {} when unknown."""
        if self.location != "body":
            param = next((p for p in self.op.parameters if p.name == self.name), None)
            return param.schema if param is not None else {}
        node: Any = self.op.body_schema or {}
        for step in self.body_path:
            if isinstance(step, int):
                node = node.get("items") if isinstance(node, dict) else None
            else:
                node = ((node or {}).get("properties") or {}).get(step) if isinstance(node, dict) else None
        return node if isinstance(node, dict) else {}

    def send(self, ctx: ScanContext, value: str | Any, *, timeout: float | None = None) -> Exchange:
        body = self._fresh_body(ctx)
        if self.location == "query":
            query = [(k, v) for k, v in ctx.filler.query(self.op, self.actor.name, all_params=False) if k != self.name]
            query.append((self.name, str(value)))
            return ctx.request(self.op, self.actor, query=query, timeout=timeout, body=body)
        if self.location == "path":
            return ctx.request(self.op, self.actor, path_values={self.name: str(value)}, timeout=timeout, body=body)
        return ctx.request(self.op, self.actor, body=replace_at(body, self.body_path, value), timeout=timeout)

    def _fresh_body(self, ctx: ScanContext) -> Any:
        """For a create, unique fields (username, email ...) drawn again each time: a repeated one would be
        refused as taken before the value under test is even looked at."""
        if self.op.method != "POST" or not isinstance(self.body, dict):
            return self.body
        properties = (self.op.body_schema or {}).get("properties") or {}
        fresh = dict(self.body)
        for name, schema in properties.items():
            if name in fresh and wants_unique(name) and (not self.body_path or self.body_path[0] != name):
                fresh[name] = ctx.filler.value(schema, name=name, resource="", identity=self.actor.name)
        return fresh

    def send_raw_query(self, ctx: ScanContext, encoded: str) -> Exchange:
        """Query parameters encoded by the caller (`name[$ne]=x`), the rest as usual."""
        rest = [(k, v) for k, v in ctx.filler.query(self.op, self.actor.name) if k != self.name]
        query = encoded + ("&" + encode_query(rest) if rest else "")
        return ctx.request(self.op, self.actor, query=query, body=self.body)


def actor_for(ctx: ScanContext, op: Operation) -> Actor:
    """The identity whose request to `op` worked during discovery; else the first user; else nobody."""
    candidates: list[Actor] = [*ctx.users, *ctx.admins, ctx.anonymous]
    for actor in candidates:
        baseline = ctx.baselines.get((op.key, actor.name))
        if baseline is not None and baseline.ok:
            return actor
    if op.secured and ctx.identities:
        return (ctx.users or ctx.admins)[0]
    return ctx.anonymous


def points(ctx: ScanContext, op: Operation, *, strings_only: bool = False) -> Iterator[Point]:
    actor = actor_for(ctx, op)
    body = ctx.filler.body(op, actor.name) if op.json_body and op.is_write else None
    found = 0
    for param in op.parameters:
        if param.location not in ("query", "path"):
            continue
        if strings_only and param.schema.get("type") not in (None, "string"):
            continue
        original = ctx.filler.value(
            param.schema,
            name=param.name,
            resource=op.resource_of(param.name) if param.location == "path" else "",
            identity=actor.name,
            fresh=False,
        )
        yield Point(op, param.location, param.name, original, actor, body=body)
        found += 1
    if body is not None:
        for path, value in walk_strings(body):
            if found >= MAX_POINTS_PER_OPERATION or not path:
                break
            if isinstance(value, bool) or value is None or (strings_only and not isinstance(value, str)):
                continue
            name = ".".join(str(p) for p in path)
            yield Point(op, "body", name, value, actor, body=body, body_path=path)
            found += 1


AnyPoint = Point | GraphQLPoint


def all_points(ctx: ScanContext, *, strings_only: bool = False) -> Iterator[AnyPoint]:
    """REST points of every operation (DELETE only when destructive), then GraphQL arguments."""
    for op in ctx.spec.operations:
        if op.method == "DELETE" and ctx.safe:
            continue
        yield from points(ctx, op, strings_only=strings_only)
    yield from graphql_points(ctx)
