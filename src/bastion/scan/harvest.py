"""What the API showed each identity: IDs per resource, field values, whole objects, and whose they are.

A check that wants to probe `PATCH /orders/{id}` needs an order that exists and belongs to someone. The
harvest remembers, per identity, every identifier and scalar field the API returned, and the objects
themselves (their scalar fields), marked when the identity created them. Who owns an object is read from
it: the identity that created it, or an owner-like field (`owner`, `user_id`, `username` ...) holding an
identity's own name or id (learned from `/me`-like answers and the auth file). That is how BOLA knows
that Alice owns a note both users can list, and that Bob reading its secret is a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bastion.scan.operations import Operation, id_resource, singular

_MAX_WALK = 400
_MAX_OBJECTS = 300
ID_KEYS = frozenset({"id", "uuid", "_id", "key", "slug"})
OWNER_KEY = re.compile(
    r"(?i)^(owner|owner_?(id|name)|user|user_?(id|name)|username|author|author_?id|created_?by|creator|"
    r"account_?(id)?|customer_?(id)?|member_?id|profile_?id)$"
)


@dataclass
class SeenObject:
    identity: str
    fields: dict[str, Any]
    created: bool = False
    listed: bool = False  # shown by a read without path parameters (a list, `/me`), not fetched by its id


class Harvest:
    def __init__(self) -> None:
        # resource -> identity -> ordered unique values
        self._ids: dict[str, dict[str, list[Any]]] = {}
        self._fields: dict[str, dict[str, list[Any]]] = {}
        self._objects: dict[str, list[SeenObject]] = {}
        self.selves: dict[str, dict[str, Any]] = {}  # identity -> its own id, username, email ...

    def record(self, identity: str, op: Operation, data: Any, *, created: bool = False) -> None:
        budget = [_MAX_WALK]
        listed = op.method == "GET" and not op.path_params
        self._walk(identity, op.resource, data, 0, budget, created, listed)

    def learn_self(self, identity: str, data: Any) -> None:
        """An answer describing the caller (`/me`): its scalar fields name this identity from now on."""
        if isinstance(data, dict):
            known = self.selves.setdefault(identity, {})
            for key, value in data.items():
                if _usable(value) and (str(key).lower() in ID_KEYS or OWNER_KEY.match(str(key)) or "name" in key):
                    known.setdefault(str(key), value)

    def _walk(  # noqa: PLR0913  recursive walk: position, budget and provenance threaded through
        self, identity: str, resource: str, node: Any, depth: int, budget: list[int], created: bool, listed: bool
    ) -> None:
        if depth > 6 or budget[0] <= 0:
            return
        budget[0] -= 1
        if isinstance(node, list):
            for item in node[:50]:
                self._walk(identity, resource, item, depth + 1, budget, False, listed)
            return
        if not isinstance(node, dict):
            return
        scalars: dict[str, Any] = {}
        for key, value in node.items():
            key_text = str(key)
            if isinstance(value, dict | list):
                child = singular(key_text) if isinstance(value, dict) else resource
                self._walk(identity, child, value, depth + 1, budget, False, listed)
                continue
            if not _usable(value):
                continue
            scalars[key_text] = value
            _add(self._fields, key_text.lower(), identity, value)
            if key_text.lower() in ID_KEYS and resource:
                _add(self._ids, resource, identity, value)
            named = id_resource(key_text)
            if named:
                _add(self._ids, named, identity, value)
        if resource and scalars:
            objects = self._objects.setdefault(resource, [])
            if len(objects) < _MAX_OBJECTS:
                objects.append(SeenObject(identity, scalars, created, listed))

    # -- lookups ---------------------------------------------------------------------------------------------

    def ids(self, resource: str, identity: str | None = None) -> list[Any]:
        by_identity = self._ids.get(resource, {})
        if identity is not None:
            return list(by_identity.get(identity, []))
        return _merged(by_identity)

    def field(self, name: str, identity: str | None = None) -> list[Any]:
        by_identity = self._fields.get(name.lower(), {})
        if identity is not None:
            return list(by_identity.get(identity, []))
        return _merged(by_identity)

    def listed_values(self, identity: str) -> set[str]:
        """Every scalar value `identity` was shown by lists and `/me`-like reads (not by fetching one
        object by its id), as text: what it may know without any object-level access."""
        return {
            str(v)
            for objects in self._objects.values()
            for obj in objects
            if obj.identity == identity and (obj.listed or obj.created)
            for v in obj.fields.values()
        }

    def shown(self, resource: str, key: str | None, value: Any, identity: str) -> bool:
        """`identity` was shown the object of `resource` whose `key` (or id) is `value` by a list."""
        text = str(value)
        for obj in self._objects.get(resource, []):
            if obj.identity != identity or not (obj.listed or obj.created):
                continue
            found = obj.fields.get(key) if key else _object_id(obj.fields, resource)
            if found is not None and str(found) == text:
                return True
        return False

    def objects(self, resource: str) -> list[SeenObject]:
        return list(self._objects.get(resource, []))

    def owner_of(self, obj: SeenObject, identities: list[str]) -> str | None:
        """The identity an object belongs to: its creator, or the one an owner-like field names."""
        if obj.created:
            return obj.identity
        for key, value in obj.fields.items():
            if not OWNER_KEY.match(key):
                continue
            for identity in identities:
                if str(value) in {str(v) for v in self.selves.get(identity, {}).values()}:
                    return identity
        return None

    def owned(
        self, resource: str, owner: str, other: str, key: str | None = None, *, created_only: bool = False
    ) -> list[Any]:
        """Values of `key` (or the resource's id) naming objects that are `owner`'s: created by or assigned to
        `owner`, or shown to `owner` and never to `other`; objects that are `other`'s are left out.
        `created_only`: only objects `owner` created during the scan (the only ones a DELETE may touch)."""
        out: list[Any] = []
        theirs: set[str] = set()
        for obj in self._objects.get(resource, []):
            value = obj.fields.get(key) if key else _object_id(obj.fields, resource)
            if value is None or (created_only and not obj.created):
                continue
            whose = self.owner_of(obj, [owner, other])
            if whose == other:
                theirs.add(str(value))
            elif whose == owner and value not in out:
                out.append(value)
        if key is None and not created_only:
            seen_by_other = {str(v) for v in self._ids.get(resource, {}).get(other, [])}
            for value in self._ids.get(resource, {}).get(owner, []):
                if str(value) not in seen_by_other and value not in out:
                    out.append(value)
        return [v for v in out if str(v) not in theirs]

    def resources(self) -> list[str]:
        return sorted(set(self._ids) | set(self._objects))


def _object_id(fields: dict[str, Any], resource: str) -> Any:
    for key, value in fields.items():
        if key.lower() in ID_KEYS or id_resource(key) == resource:
            return value
    return None


def _usable(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and 0 < len(value) <= 128


def _add(table: dict[str, dict[str, list[Any]]], key: str, identity: str, value: Any) -> None:
    values = table.setdefault(key, {}).setdefault(identity, [])
    if value not in values and len(values) < 200:
        values.append(value)


def _merged(by_identity: dict[str, list[Any]]) -> list[Any]:
    out: list[Any] = []
    for values in by_identity.values():
        out.extend(v for v in values if v not in out)
    return out
