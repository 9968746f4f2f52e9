"""Shared by the authorization checks: which request values name an object or a user, and whose they are.

An object reference can sit anywhere: a path segment (`/orders/{order_id}`), a query parameter
(`?user_id=`), a header (`X-Account-Id`) or a body field (`{"username": ...}` in an update). A parameter
is a reference when its name says so (`*_id`, `owner`, `username`, `account` ...); the value that names
someone's object comes from the harvest: the identity's own id or name for a user reference, an object
it owns for any other resource.
"""

from __future__ import annotations

import re
from typing import Any

from bastion.scan.context import Actor, ScanContext
from bastion.scan.discover import self_readers
from bastion.scan.harvest import OWNER_KEY
from bastion.scan.operations import Operation, id_resource
from bastion.scan.target import Exchange
from bastion.scan.values import schema_type, unique_text

USER_RESOURCES = frozenset({"user", "owner", "account", "customer", "member", "profile", "author", "uid"})
_CREDENTIAL = re.compile(r"(?i)(pass(word|wd)?|secret|token|otp|pin|key)")
_MARKABLE_SKIP = re.compile(r"(?i)(pass|secret|token|role|admin|perm|id$|_id|uuid|url|uri|link|status|type|state)")


def normalized(name: str) -> str:
    """`X-Account-Id`, `accountId` and `account_id` are the same reference."""
    name = re.sub(r"(?i)^x-", "", name)
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower().replace("-", "_")


def user_reference(name: str) -> bool:
    """Names a user (or account) rather than some other object: `user_id`, `username`, `owner`, `account`."""
    plain = normalized(name)
    return bool(OWNER_KEY.match(plain)) or id_resource(plain) in USER_RESOURCES or plain in USER_RESOURCES


def reference(name: str) -> str | None:
    """The resource a parameter refers to (`order_id` -> order, `X-Account-Id` -> user), or None."""
    if user_reference(name):
        return "user"
    return id_resource(normalized(name)) or None


def self_value(ctx: ScanContext, identity: str, name: str) -> Any:
    """This identity's own id or name, as the parameter `name` expects it."""
    known = ctx.harvest.selves.get(identity, {})
    plain = normalized(name)
    wants_id = plain.endswith(("id", "uuid")) or plain in ("account", "uid")
    order = ("id", "user_id", "uid", "account_id") if wants_id else ("username", "login", "name", "email")
    for key in order:
        if key in known:
            return known[key]
    return None


def value_for(ctx: ScanContext, op: Operation, name: str, owner: str, other: str) -> Any:
    """A value of parameter `name` that names `owner`'s object (or `owner` itself), never `other`'s."""
    resource = reference(name)
    if resource is None:
        return None
    if resource == "user":
        value = self_value(ctx, owner, name)
        return None if value is None or value == self_value(ctx, other, name) else value
    owned = ctx.harvest.owned(resource, owner, other)
    return owned[0] if owned else None


def marker_field(properties: dict[str, Any], skip: set[str]) -> tuple[str, str] | None:
    """A body property that can carry a recognisable value without changing anything that matters:
    free text first, then an email or a name (fresh), never a credential, a role or a reference."""
    ranked: list[tuple[int, str, str]] = []
    for name, schema in properties.items():
        if name in skip or not isinstance(schema, dict) or schema_type(schema) != "string":
            continue
        if any(k in schema for k in ("enum", "const")) or _MARKABLE_SKIP.search(name) or _CREDENTIAL.search(name):
            continue
        high = int(schema.get("maxLength", 64) or 64)
        if schema.get("format") == "email" or "email" in name.lower():
            ranked.append((2, name, f"{unique_text('bola')}@example.com"))
        elif schema.get("format") or "pattern" in schema:
            continue
        elif user_reference(name) or name.lower() in ("name", "title", "username"):
            ranked.append((3, name, unique_text("bola")[:high]))
        else:
            ranked.append((1, name, unique_text("bola")[:high]))
    if not ranked:
        return None
    _, name, value = min(ranked)
    return name, value


def read_back(
    ctx: ScanContext, actor: Actor, op: Operation, path_values: dict[str, str], marker: str
) -> Exchange | None:
    """The first answer, as `actor`, that shows `marker`: the object's own GET, then `/me`-like reads,
    then reads without parameters the actor could already make."""
    readers: list[tuple[Operation, dict[str, str]]] = []
    same = ctx.spec.find("GET", op.render_path(path_values)) if op.path_params else None
    if same is not None:
        readers.append((same, path_values))
    readers += [(r, {}) for r in self_readers(ctx)]
    for candidate in ctx.spec.operations:
        seen = ctx.baselines.get((candidate.key, actor.name))
        if candidate.method == "GET" and not candidate.path_params and seen is not None and seen.ok:
            readers.append((candidate, {}))
    done: set[str] = set()
    for reader, values in readers[:8]:
        if reader.key in done:
            continue
        done.add(reader.key)
        answer = ctx.request(reader, actor, path_values=values)
        if answer.ok and marker in answer.text:
            return answer
    return None


def is_credential_write(op: Operation) -> bool:
    """Changes a password, a token or a key: only ever tried on the scan's own throwaway account."""
    properties = (op.body_schema or {}).get("properties") or {}
    last = op.path.rstrip("/").split("/")[-1]
    return bool(_CREDENTIAL.search(last)) or any(_CREDENTIAL.search(str(p)) for p in properties)
