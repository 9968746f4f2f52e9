"""The authz guard: may this identity perform this operation on this object? Deny by default.

Order of decisions for one request:
1. function level (BFLA): an admin operation needs an admin role, whatever generic rules say;
2. grants: the rules for this operation, indexed at start-up; a rule applies when the identity has
   one of its roles (with inheritance) and all of its scopes, and its `where` condition holds
   (object level, BOLA), ownership lookups resolved first;
3. field level (BOPLA, mass assignment): a write that sets a readOnly or privileged property needs
   a privileged role.

Rules compile into closures over dictionaries and frozensets: a decision touches only the rules of
its operation, so its cost does not grow with the size of the policy. Cedar (cedarpy) was considered:
its per-call translation of the request and entities from Python costs more than the whole decision
here, and this policy language is small enough to stay readable as plain predicates.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bastion.config.authz import AuthzConfig
from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.core.context import Context
from bastion.core.identity import Identity
from bastion.core.pipeline import ResponseHead
from bastion.core.problem import CONTENT_TYPE, problem_body
from bastion.core.request import BodyError, Request
from bastion.core.routing import Operation, Router
from bastion.core.verdict import Verdict
from bastion.errors import StartupError
from bastion.guards.authz.declared import DeclaredInputs
from bastion.guards.authz.expressions import Condition, Facts, compile_condition
from bastion.guards.authz.lookups import LookupUnavailable, OwnershipLookup
from bastion.guards.authz.roles import RoleExpander
from bastion.openapi.document import OpenAPIDocument
from bastion.openapi.refs import deref

log = logging.getLogger("bastion.authz")

_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
_MAX_WALK = 10_000


@dataclass(frozen=True, slots=True)
class CompiledRule:
    id: str
    roles: frozenset[str]
    any_identity: bool
    scopes: frozenset[str]
    condition: Condition | None

    def grants(self, roles: frozenset[str], scopes: frozenset[str]) -> bool:
        if self.scopes and not self.scopes <= scopes:
            return False
        return self.any_identity or not self.roles or not self.roles.isdisjoint(roles)


class AuthzGuard:
    def __init__(  # noqa: PLR0912  compiles every rule at start-up (lookups, declared inputs, grants)
        self,
        config: AuthzConfig,
        router: Router,
        document: OpenAPIDocument | None,
        public_operations: Iterable[str] = (),
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._public = frozenset(public_operations)
        self._hide = config.hide_existence
        self._roles = RoleExpander(config.roles).expand
        self._lookups = {name: OwnershipLookup(name, lookup, clock) for name, lookup in config.lookups.items()}
        by_op: dict[str, list[CompiledRule]] = {op: [] for op in router.operations}
        reads_body = False
        declared = DeclaredInputs(router.operations.values(), document)
        undeclared: list[str] = []
        for index, rule in enumerate(config.rules):
            rule_id = rule.id or f"rule-{index + 1}"
            condition = compile_condition(rule.where) if rule.where else None
            rule_ops = _operations(rule.allow, router, rule_id)
            if condition is not None:
                missing = condition.lookups - set(self._lookups)
                if missing:
                    raise StartupError(f"authz rule {rule_id}: unknown lookup(s) {', '.join(sorted(missing))}")
                reads_body |= "body" in condition.sources
                refs = set(condition.references)
                for lookup in condition.lookups:
                    refs.update(self._lookups[lookup].references)
                undeclared += declared.problems(rule_id, condition.text, refs, rule_ops)
            compiled = CompiledRule(
                id=rule_id,
                roles=frozenset(r for r in rule.roles if r != "*"),
                any_identity="*" in rule.roles,
                scopes=frozenset(rule.scopes),
                condition=condition,
            )
            for op_id in rule_ops:
                by_op[op_id].append(compiled)
        if undeclared:
            raise StartupError("\n".join(undeclared))
        self._rules = {op: tuple(rules) for op, rules in by_op.items()}
        self._object_level_ops = frozenset(op for op, rules in self._rules.items() if any(r.condition for r in rules))

        self._admin_ops: frozenset[str] = frozenset()
        self._admin_roles: frozenset[str] = frozenset()
        self._admin_paths: tuple[str, ...] = ()
        if config.admin is not None:
            admin = config.admin
            self._admin_roles = frozenset(admin.roles)
            # Matched on the request path too, in any case: a wildcard route must not hide an admin path.
            self._admin_paths = tuple(prefix.lower() for prefix in admin.paths)
            marked = set(admin.operations)
            for op in router.operations.values():
                if op.tags & set(admin.tags) or any(op.template.startswith(prefix) for prefix in admin.paths):
                    marked.add(op.id)
            self._admin_ops = frozenset(marked)

        self._field_roles: frozenset[str] = frozenset()
        self._privileged: frozenset[str] = frozenset()
        self._privileged_bytes: tuple[bytes, ...] = ()
        self._read_only: dict[str, tuple[tuple[str, ...], ...]] = {}
        if config.privileged_fields is not None:
            fields = config.privileged_fields
            self._field_roles = frozenset(fields.roles)
            self._privileged = frozenset(f.lower() for f in fields.fields)
            self._privileged_bytes = _shortest_names(self._privileged)
            if fields.read_only and document is not None:
                for op in router.operations.values():
                    paths = _read_only_paths(document, op)
                    if paths:
                        self._read_only[op.id] = paths
        self.needs_body = reads_body or bool(self._privileged) or bool(self._read_only)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        for lookup in self._lookups.values():
            await lookup.close()

    def _on_admin_path(self, request: Request) -> bool:
        """The request path as routing reads it (segments decoded), lower-cased."""
        path = ("/" + "/".join(request.segments)).lower() if "%" in request.path else request.path.lower()
        return path.startswith(self._admin_paths)

    @property
    def object_level_operations(self) -> frozenset[str]:
        return self._object_level_ops

    async def check(self, request: Request, ctx: Context) -> Verdict | None:  # noqa: PLR0911, PLR0912  hot path: function level, anonymous, rules, object level, each an early exit
        op = ctx.operation
        if op is None:
            return _refuse(403, "authz.route", "no known operation to authorize", "authz")
        identity = ctx.identity
        facts: Facts | None = None
        if self._admin_paths and self._on_admin_path(request):
            roles = self._roles(identity.roles) if identity is not None else frozenset()
            if roles.isdisjoint(self._admin_roles):
                return _refuse(403, "authz.function_level", "the path is an admin path", "bfla")
        if op in self._public:
            ctx.trace.append(("authz", "public", f"{op} is public"))
        else:
            if identity is None:
                return _refuse(403, "authz.anonymous", f"{op} needs an identity and none was established", "authz")
            roles = self._roles(identity.roles)
            if op in self._admin_ops and roles.isdisjoint(self._admin_roles):
                return _refuse(403, "authz.function_level", f"{op} is an admin operation", "bfla")
            granted: CompiledRule | None = None
            refused_by: CompiledRule | None = None
            for rule in self._rules.get(op, ()):
                if not rule.grants(roles, identity.scopes):
                    continue
                if rule.condition is None:
                    granted = rule
                    break
                facts = facts or self._facts(request, ctx)
                try:
                    await self._resolve_lookups(rule.condition, facts)
                except LookupUnavailable as exc:
                    return Verdict.refuse(
                        503,
                        "authz.lookup",
                        f"ownership lookup failed: {exc}",
                        category="authz",
                        detail="Authorization is temporarily unavailable.",
                        headers=(("Retry-After", "5"),),
                    )
                if rule.condition(facts):
                    granted = rule
                    break
                refused_by = refused_by or rule
            if granted is None:
                if refused_by is not None:
                    reason = f"object-level condition of rule {refused_by.id} failed: {refused_by.condition.text}"  # type: ignore[union-attr]
                    if self._hide:
                        return _refuse(404, f"authz.object.{refused_by.id}", reason, "bola")
                    return _refuse(403, f"authz.object.{refused_by.id}", reason, "bola")
                return _refuse(403, "authz.no_rule", f"no rule grants {op} to roles {sorted(roles)}", "authz")
            ctx.trace.append(("authz", granted.id, f"rule {granted.id} grants {op}"))
        return self._fields(request, ctx, op, identity)

    def _fields(self, request: Request, ctx: Context, op: str, identity: Identity | None) -> Verdict | None:
        """Mass assignment: properties a client may only set with a privileged role."""
        if request.method not in _WRITE_METHODS or not request.body or not request.is_json:
            return None
        if identity is not None and not self._roles(identity.roles).isdisjoint(self._field_roles):
            return None
        try:
            body = request.json()
        except BodyError:
            return None  # the validation guard answers malformed bodies
        for path in self._read_only.get(op, ()):
            if _present(body, path):
                where = "/".join(path)
                return _refuse(
                    403,
                    "authz.field.read_only",
                    f"body sets read-only property {where}",
                    "bopla",
                    location=f"body/{where}",
                )
        if self._privileged and _may_name(request.body, self._privileged_bytes):
            found = _find_names(body, self._privileged)
            if found is not None:
                return _refuse(
                    403,
                    "authz.field.privileged",
                    f"body sets privileged property {found}",
                    "bopla",
                    location=f"body/{found}",
                )
        return None

    def _facts(self, request: Request, ctx: Context) -> Facts:
        body: Any = None
        if request.body and request.is_json:
            try:
                body = request.json()
            except BodyError:
                body = None
        query: dict[str, str] = {}
        for name, value in request.query_params:
            query.setdefault(name, value)
        params = dict(ctx.route.params) if ctx.route else {}
        return Facts(params, query, body, request.headers, request.cookies, ctx.identity)

    async def _resolve_lookups(self, condition: Condition, facts: Facts) -> None:
        for name in condition.lookups:
            if name not in facts.lookups:
                facts.lookups[name] = await self._lookups[name].resolve(facts)


def _refuse(status: int, rule: str, reason: str, category: str, location: str | None = None) -> Verdict:
    """403 (or 404) that reveals neither the rule nor whether the object exists."""
    return Verdict.refuse(status, rule, reason, category=category, location=location)


def _operations(allow: list[str] | str, router: Router, rule_id: str) -> list[str]:
    if allow == "*":
        return list(router.operations)
    by_signature = {f"{op.method} {op.template}": op.id for op in router.operations.values()}
    found = []
    for name in allow:
        if name in router.operations:
            found.append(name)
        elif name in by_signature:
            found.append(by_signature[name])
        else:
            raise StartupError(f"authz rule {rule_id}: unknown operation {name!r}")
    return found


def _read_only_paths(document: OpenAPIDocument, op: Operation) -> tuple[tuple[str, ...], ...]:
    if op.spec is None:
        return ()
    body = deref(document.data, op.spec.get("requestBody"))
    if not isinstance(body, dict):
        return ()
    content = body.get("content") or {}
    schema = None
    for media, entry in content.items():
        if "json" in media and isinstance(entry, dict):
            schema = entry.get("schema")
            break
    paths: list[tuple[str, ...]] = []
    _collect_read_only(document.data, schema, (), paths, depth=0)
    return tuple(paths)


def _collect_read_only(data: Any, schema: Any, prefix: tuple[str, ...], out: list[tuple[str, ...]], depth: int) -> None:
    schema = deref(data, schema)
    if not isinstance(schema, dict) or depth > 8:
        return
    for combinator in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(combinator) or ():
            _collect_read_only(data, sub, prefix, out, depth + 1)
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for name, prop in properties.items():
            resolved = deref(data, prop)
            if isinstance(resolved, dict) and resolved.get("readOnly") is True:
                out.append((*prefix, str(name)))
            else:
                _collect_read_only(data, resolved, (*prefix, str(name)), out, depth + 1)


def _present(body: Any, path: tuple[str, ...]) -> bool:
    node = body
    for part in path:
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True


def _shortest_names(names: frozenset[str]) -> tuple[bytes, ...]:
    """The names `_may_name` searches for: a body without `role` has no `roles` either, so a name
    that holds another (`roles`, `is_admin`) adds nothing to the search and is left out of it."""
    ordered = sorted((name.encode() for name in names), key=len)
    return tuple(name for index, name in enumerate(ordered) if not any(other in name for other in ordered[:index]))


def _may_name(raw: bytes, names: tuple[bytes, ...]) -> bool:
    """Whether a JSON body could hold one of `names` as a key. In ASCII without escapes a key is
    its own bytes, so a name absent from the lower-cased body is absent from its keys, and the walk
    is spared; a `\\u` escape or a non-ASCII key (`\\u212a`, the Kelvin sign, lower-cases to `k`)
    needs the walk."""
    if b"\\" in raw or not raw.isascii():
        return True
    lowered = raw.lower()
    return any(name in lowered for name in names)


def _find_names(body: Any, names: frozenset[str]) -> str | None:
    """The path of the first key in `names` at any depth (bounded walk), else None."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(body, ())]
    visited = 0
    while stack and visited < _MAX_WALK:
        node, path = stack.pop()
        visited += 1
        if isinstance(node, dict):
            for key, value in node.items():
                if key.lower() in names:  # JSON keys are strings
                    return "/".join((*path, key))
                if isinstance(value, dict | list):
                    stack.append((value, (*path, key)))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                if isinstance(value, dict | list):
                    stack.append((value, (*path, str(index))))
    return None


class HideExistence:
    """With `hide_existence`, the upstream's own 404s on object-level operations get the same
    generic body as Bastion's "not yours" refusals, so the two cannot be told apart."""

    def __init__(self, operations: frozenset[str]) -> None:
        self._operations = operations

    def on_head(self, request: Request, ctx: Context, head: ResponseHead) -> None:
        if head.status == 404 and not head.local and ctx.operation in self._operations:
            head.replace_body = problem_body(404, ctx.request_id)
            head.capture_original = 0
            head.transforms = []
            head.stream = None
            head.headers = [(k, v) for k, v in head.headers if k not in ("content-type", "content-length", "etag")]
            head.headers.append(("content-type", CONTENT_TYPE))
