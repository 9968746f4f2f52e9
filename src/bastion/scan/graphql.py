"""The GraphQL endpoint under test: sending operations as an identity, reading answers, knowing the schema.

The schema comes from `--graphql-schema` (SDL) or, failing that, from introspection as each identity in
turn (an API that hides it from strangers may show it to its users). Checks that need types (field
authorization, injection, depth) say so and are skipped when neither works.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import (
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    build_client_schema,
    build_schema,
    get_introspection_query,
    get_named_type,
    get_nullable_type,
    is_enum_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
    is_scalar_type,
)
from graphql.pyutils import Undefined

from bastion.scan.context import Actor, ScanContext
from bastion.scan.target import Exchange

OPERATION = "graphql"
SENSITIVE = ("email", "phone", "token", "secret", "password", "ssn", "address", "birth", "salary", "iban", "card")
LOGIN_NAMES = ("login", "signin", "signIn", "logIn", "authenticate", "createToken", "tokenAuth", "obtainToken")


def endpoint(ctx: ScanContext) -> str:
    assert ctx.options.graphql is not None
    return ctx.options.graphql


def send(  # noqa: PLR0913  keyword-only: every part of a GraphQL request a check may set
    ctx: ScanContext,
    query: str,
    variables: dict[str, Any] | None = None,
    actor: Actor | None = None,
    *,
    method: str = "POST",
    operation_name: str | None = None,
    batch: list[dict[str, Any]] | None = None,
    retry_429: bool = True,
    timeout: float | None = None,
    headers: dict[str, str] | None = None,
) -> Exchange:
    actor = actor or ctx.anonymous
    headers = {**actor.headers(), **(headers or {})}
    if method == "GET":
        params = [("query", query)]
        if variables:
            params.append(("variables", orjson.dumps(variables).decode()))
        return ctx.target.send(
            "GET",
            endpoint(ctx),
            query=params,
            headers=headers,
            identity=actor.name,
            operation=OPERATION,
            retry_429=retry_429,
            timeout=timeout,
        )
    payload: Any = batch
    if payload is None:
        payload = {"query": query, **({"variables": variables} if variables else {})}
        if operation_name:
            payload["operationName"] = operation_name
    return ctx.target.send(
        "POST",
        endpoint(ctx),
        json=payload,
        headers=headers,
        identity=actor.name,
        operation=OPERATION,
        retry_429=retry_429,
        timeout=timeout,
    )


def data(exchange: Exchange) -> dict[str, Any] | None:
    body = exchange.json
    value = body.get("data") if isinstance(body, dict) else None
    return value if isinstance(value, dict) else None


def errors(exchange: Exchange) -> list[dict[str, Any]]:
    body = exchange.json
    found = body.get("errors") if isinstance(body, dict) else None
    return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []


def messages(exchange: Exchange) -> str:
    return " | ".join(str(e.get("message", "")) for e in errors(exchange))


def executed(exchange: Exchange) -> bool:
    """The operation ran: data came back, or a resolver failed (its error carries a `path`)."""
    if not exchange.ok and exchange.status not in (400, 500):
        return False
    return bool(data(exchange)) or any("path" in e for e in errors(exchange))


def refused(exchange: Exchange) -> bool:
    """The server (or a gateway) refused the document before running it."""
    return not executed(exchange)


def schema(ctx: ScanContext) -> GraphQLSchema | None:
    if "graphql_schema" in ctx.facts:
        cached: GraphQLSchema | None = ctx.facts["graphql_schema"]
        return cached
    found: GraphQLSchema | None = None
    if ctx.options.graphql_schema is not None:
        try:
            found = build_schema(ctx.options.graphql_schema.read_text(encoding="utf-8"))
        except (OSError, GraphQLError, TypeError):
            found = None
    if found is None:
        query = get_introspection_query(descriptions=False)
        actors: list[Actor] = [ctx.anonymous, *ctx.identities]
        for actor in actors:
            exchange = send(ctx, query, actor=actor)
            result = data(exchange)
            if result and "__schema" in result:
                try:
                    found = build_client_schema(result)  # type: ignore[arg-type]
                    ctx.facts["graphql_introspection"] = (actor, exchange)
                    break
                except (GraphQLError, TypeError, KeyError):
                    continue
    ctx.facts["graphql_schema"] = found
    return found


@dataclass(frozen=True)
class RootField:
    kind: str  # query or mutation
    name: str
    field: GraphQLField

    @property
    def returns(self) -> GraphQLNamedType:
        return get_named_type(self.field.type)

    @property
    def required(self) -> list[str]:
        return [n for n, a in self.field.args.items() if is_required(a)]


def is_required(argument: Any) -> bool:
    """Non-null and without a default (graphql-core marks "no default" as Undefined or None by version)."""
    return is_non_null_type(argument.type) and argument.default_value in (None, Undefined)


def root_fields(found: GraphQLSchema, kind: str = "query") -> Iterator[RootField]:
    root = found.query_type if kind == "query" else found.mutation_type
    if root is None:
        return
    for name, definition in root.fields.items():
        if not name.startswith("__"):
            yield RootField(kind, name, definition)


def scalar_fields(type_: GraphQLNamedType, *, with_args: bool = False) -> list[str]:
    """Scalar fields of an object type that can be selected without arguments."""
    if not isinstance(type_, GraphQLObjectType):
        return []
    names = []
    for name, definition in type_.fields.items():
        leaf = get_named_type(definition.type)
        needs_args = any(is_required(a) for a in definition.args.values())
        if (is_scalar_type(leaf) or is_enum_type(leaf)) and (with_args or not needs_args):
            names.append(name)
    return names


def selection(type_: GraphQLNamedType) -> str:
    """A minimal valid selection for a value of this type ("" for scalars)."""
    if not is_object_type(type_):
        return "" if not hasattr(type_, "fields") else " { __typename }"
    scalars = scalar_fields(type_)
    return " { " + " ".join(scalars[:6] or ["__typename"]) + " }"


_SCALAR_LITERALS = {"Int": "1", "Float": "1.0", "Boolean": "false"}


def placeholder(type_: Any, name: str) -> str | None:
    """A literal for a required argument, or None when we cannot make one up."""
    named = get_named_type(type_)
    nullable = get_nullable_type(type_)
    if is_list_type(nullable):
        return "[]"
    if named.name in ("ID", "String"):
        return '"1"' if named.name == "ID" or name.lower().endswith("id") else '"bastion"'
    literal = _SCALAR_LITERALS.get(named.name)
    if literal is not None:
        return literal
    if is_enum_type(named):
        values = list(named.values)
        return values[0] if values else None
    return None


def call(field: RootField, overrides: dict[str, str] | None = None) -> str | None:
    """`name(arg: value ...)` with required arguments filled, or None when one cannot be."""
    parts = []
    for arg_name, arg in field.field.args.items():
        if overrides and arg_name in overrides:
            parts.append(f"{arg_name}: {overrides[arg_name]}")
        elif arg_name in field.required:
            value = placeholder(arg.type, arg_name)
            if value is None:
                return None
            parts.append(f"{arg_name}: {value}")
    return f"{field.name}({', '.join(parts)})" if parts else field.name


def login_mutation(found: GraphQLSchema | None) -> RootField | None:
    if found is None:
        return None
    for field in root_fields(found, "mutation"):
        names = {n.lower() for n in field.field.args}
        known = field.name in LOGIN_NAMES or field.name.lower() in {n.lower() for n in LOGIN_NAMES}
        if known and any("pass" in n for n in names):
            return field
    return None


def string(value: str) -> str:
    """A GraphQL string literal (JSON's string syntax is GraphQL's)."""
    return orjson.dumps(value).decode()
