"""The graphql guard: GraphQL requests parsed once, held to limits, authorized field by field.

For a request to a GraphQL path it reads the calls (POST JSON, batches, application/graphql, GET),
finds each document's shape (cached by document text: clients repeat their documents, and parsing
is the expensive part), and refuses what breaks a limit, introspects without the right role, is not
on the persisted allow-list, runs a mutation over GET, or selects a field no rule grants. What it
learned is left in `ctx.graphql` for later guards: the rate limiter reads the operation
names and cost, the WAF reads argument values and variables instead of the raw document text.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bastion.config.authz import AuthzConfig
from bastion.config.graphql import GraphQLConfig
from bastion.core.context import Context
from bastion.core.graphql_info import GraphQLInfo
from bastion.core.identity import Identity
from bastion.core.request import Request
from bastion.core.tunnel import websocket_upgrade
from bastion.core.verdict import Verdict
from bastion.errors import StartupError
from bastion.guards.authz.expressions import Condition, Facts, compile_condition
from bastion.guards.authz.roles import RoleExpander
from bastion.guards.graphql.calls import Call, CallError, message_call, read_calls
from bastion.guards.graphql.persisted import document_hash, load_manifest
from bastion.guards.graphql.schema import load_schema
from bastion.guards.graphql.shape import Analyzer, DocumentShape, FieldUse, OperationShape, ShapeError
from graphql import GraphQLSchema
from graphql.utilities import value_from_ast_untyped

log = logging.getLogger("bastion.graphql")

__all__ = ["GraphQLGuard"]


@dataclass(frozen=True, slots=True)
class FieldRule:
    id: str
    roles: frozenset[str]
    any_identity: bool
    scopes: frozenset[str]
    condition: Condition | None

    def grants(
        self, identity: Identity | None, roles: frozenset[str], use: FieldUse, variables: dict[str, Any]
    ) -> bool:
        if identity is None:
            return False
        if self.scopes and not self.scopes <= identity.scopes:
            return False
        if self.roles and not self.any_identity and self.roles.isdisjoint(roles):
            return False
        if self.condition is None:
            return True
        args = {name: value_from_ast_untyped(node, variables) for name, node in use.arguments}
        path = {"root": use.route.split(".", 1)[0], "field": use.route}
        return self.condition(Facts(path, {}, None, {}, {}, identity, args=args))


class GraphQLGuard:
    needs_body = True

    def __init__(self, config: GraphQLConfig, authz: AuthzConfig | None, upstream: str | None) -> None:
        self.paths = frozenset(config.paths)
        self._config = config
        self._limits = config.limits
        endpoint = upstream.rstrip("/") + config.paths[0] if upstream and config.paths else None
        self.schema: GraphQLSchema | None = load_schema(config.schema_, endpoint) if config.schema_ else None
        self._roles = RoleExpander(authz.roles if authz else {}).expand
        self._rules: dict[str, list[FieldRule]] = {}
        for index, rule in enumerate(config.rules):
            if rule.allow == "*":
                raise StartupError("graphql.rules: a rule names fields, types or mutations, not '*'")
            compiled = FieldRule(
                id=rule.id or f"graphql-rule-{index + 1}",
                roles=frozenset(r for r in rule.roles if r != "*"),
                any_identity="*" in rule.roles,
                scopes=frozenset(rule.scopes),
                condition=compile_condition(rule.where) if rule.where else None,
            )
            for name in rule.allow:
                self._rules.setdefault(name, []).append(compiled)
        self._mutations_need_rule = config.mutations_need_rule and authz is not None
        self._introspection_roles = frozenset(config.introspection_roles)
        self._persisted = load_manifest(config.persisted.file) if config.persisted else None
        self._public = frozenset(config.public)
        self._named = self._public | frozenset(self._rules)
        self._analyzer = Analyzer(config, self.schema, frozenset(self._rules))
        self._cache: OrderedDict[str, DocumentShape | ShapeError] = OrderedDict()

    def check(self, request: Request, ctx: Context) -> Verdict | None:
        if request.path not in self.paths or websocket_upgrade(request):
            return None  # a handshake carries no operation: its messages are checked one by one
        try:
            calls, over_get = read_calls(request, self._limits.max_operations)
        except CallError as exc:
            return _refuse(exc.status, exc.rule, exc.reason)
        info = GraphQLInfo(carrier="query" if over_get else "body")
        ctx.graphql = info
        return self._check_calls(calls, over_get, ctx, info)

    def check_message(self, payload: object, ctx: Context) -> Verdict | None:
        """One operation sent over a WebSocket (the payload of a graphql-transport-ws `subscribe` or a
        graphql-ws `start`): the same limits, persisted-query allow-list, introspection and field
        rules as over HTTP. What was learned is left in `ctx.graphql` for the WAF."""
        try:
            call = message_call(payload)
        except CallError as exc:
            return _refuse(exc.status, exc.rule, exc.reason)
        info = GraphQLInfo(carrier="message")
        ctx.graphql = info
        return self._check_calls([call], False, ctx, info)

    def _check_calls(self, calls: list[Call], over_get: bool, ctx: Context, info: GraphQLInfo) -> Verdict | None:
        try:
            for index, call in enumerate(calls):
                verdict = self._call(call, index if len(calls) > 1 else None, over_get, ctx, info)
                if verdict is not None:
                    return verdict
        except ShapeError as exc:
            return _refuse(exc.status, exc.rule, exc.reason)
        if info.cost > self._limits.max_cost:
            return _refuse(400, "graphql.cost", f"estimated cost {info.cost}, more than {self._limits.max_cost}")
        ctx.trace.append(("graphql", ",".join(info.operations) or "-", f"cost {info.cost}"))
        return None

    def _call(self, call: Call, index: int | None, over_get: bool, ctx: Context, info: GraphQLInfo) -> Verdict | None:
        text = call.query
        if self._persisted is not None:
            digest = document_hash(text) if text is not None else call.persisted_hash
            if digest is None or digest not in self._persisted:
                return _refuse(403, "graphql.persisted", "document not on the persisted-query allow-list")
            text = self._persisted[digest]
        elif text is None:
            return _refuse(400, "graphql.persisted", "persisted queries are not configured: send the document")
        operation = self._shape(text).select(call.operation_name)
        prefix = f"graphql[{index}]" if index is not None else "graphql"
        if operation.kind == "mutation" and over_get and not self._config.get_mutations:
            return _refuse(
                405,
                "graphql.get_mutation",
                "mutation over GET (cross-site request forgery)",
                headers=(("Allow", "POST"),),
            )
        identity = ctx.identity
        if (
            operation.introspection
            and self._config.introspection == "off"
            and (identity is None or self._introspection_roles.isdisjoint(self._roles(identity.roles)))
        ):
            return _refuse(403, "graphql.introspection", "introspection is off")
        verdict = self._authorize(operation, call.variables, identity, ctx)
        if verdict is not None:
            return verdict
        info.cost += operation.cost(call.variables, self._config.max_list_size)
        if operation.name:
            info.operations.append(operation.name)
        info.kinds.add(operation.kind)
        for qualified in operation.root_fields:
            info.fields.add(qualified)
            info.fields.add(qualified.rsplit(".", 1)[-1])
        info.values.extend((f"{prefix}.{where}", text) for where, text in operation.strings)
        info.values.extend(_variables(call.variables, f"{prefix}.variables"))
        return None

    def _shape(self, text: str) -> DocumentShape:
        cache = self._cache
        shape = cache.get(text)
        if shape is None:
            try:
                shape = self._analyzer.analyze(text)
            except ShapeError as exc:
                shape = exc
            if self._config.cache_size:
                cache[text] = shape
                if len(cache) > self._config.cache_size:
                    cache.popitem(last=False)
        else:
            cache.move_to_end(text)  # least recently used goes first
        if isinstance(shape, ShapeError):
            raise shape
        return shape

    def _authorize(
        self, operation: OperationShape, variables: dict[str, Any], identity: Identity | None, ctx: Context
    ) -> Verdict | None:
        roles = self._roles(identity.roles) if identity is not None else frozenset()
        if self._mutations_need_rule and operation.kind == "mutation":
            for qualified in operation.root_fields:
                bare = qualified.rsplit(".", 1)[-1]
                if not ({bare, qualified} & self._named):
                    return _refuse(403, "graphql.mutation", f"no rule grants mutation {bare}", category="authz")
        for use in operation.watched:
            if use.name in self._public or use.type_name in self._public or (use.root and use.bare in self._public):
                continue
            rules = [
                *self._rules.get(use.name, ()),
                *self._rules.get(use.type_name, ()),
                *(self._rules.get(use.bare, ()) if use.root else ()),
            ]
            granted = next((rule for rule in rules if rule.grants(identity, roles, use, variables)), None)
            if granted is None:
                return _refuse(
                    403, "graphql.field", f"no rule grants {use.name} (at {use.location[:120]})", category="authz"
                )
            ctx.trace.append(("graphql", granted.id, f"rule {granted.id} grants {use.name}"))
        return None


def _variables(value: Any, where: str, depth: int = 0) -> Iterator[tuple[str, str]]:
    if depth > 32:
        return
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield f"{where}.{key}"[:256], str(key)
            yield from _variables(item, f"{where}.{key}"[:256], depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _variables(item, f"{where}.{index}"[:256], depth + 1)


def _refuse(
    status: int, rule: str, reason: str, *, category: str = "graphql", headers: tuple[tuple[str, str], ...] = ()
) -> Verdict:
    return Verdict.refuse(status, rule, reason, category=category, location="graphql", headers=headers)
