"""What each operation declares as inputs, so that a `where` naming something else fails at start-up.

A condition such as `path.usr_id == identity.sub` (a typo for `user_id`) reads a value that never
exists: at run time it refuses every user, and nothing but the complaints says why. `bastion check`
(and every start or reload, which build the same engine) refuses such a rule instead, naming the
operations it applies to and the names they do declare.

What counts as declared:
- path: the `{names}` of the operation's route template (with or without a spec);
- query: the operation's query parameters in the spec (path-item parameters included);
- body: a property path through the operation's JSON request body schema (`properties`, `items`
  for numeric parts, `allOf`/`anyOf`/`oneOf`, `additionalProperties`). A schema that leaves an
  object open (no `properties`, or `additionalProperties: true` or a schema) declares any name
  below it.
Without a spec the query and body of an operation are unknown, and any name is accepted for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from bastion.core.routing import Operation
from bastion.openapi.document import OpenAPIDocument, SpecOperation
from bastion.openapi.refs import deref

CHECKED_SOURCES = ("path", "query", "body")
_TEMPLATE_NAME = re.compile(r"\{([^{}]+)\}")
_MAX_DEPTH = 32
_MAX_LISTED = 8


class DeclaredInputs:
    """The inputs of every operation of the router, described by the spec where there is one."""

    def __init__(self, operations: Iterable[Operation], document: OpenAPIDocument | None) -> None:
        self._data: dict[str, Any] = document.data if document is not None else {}
        described: dict[tuple[str, str], SpecOperation] = {}
        if document is not None:
            described = {(op.method, op.template): op for op in document.operations()}
        self._path: dict[str, frozenset[str]] = {}
        self._query: dict[str, frozenset[str] | None] = {}
        self._body: dict[str, Any] = {}  # operation -> JSON body schema; absent: no body; None: unknown
        for op in operations:
            self._path[op.id] = frozenset(_TEMPLATE_NAME.findall(op.template))
            spec_op = described.get((op.method, op.template))
            if spec_op is None:
                self._query[op.id] = None
                self._body[op.id] = None
                continue
            self._query[op.id] = frozenset(self._parameters(spec_op, "query"))
            schema = self._json_body_schema(spec_op)
            if schema is not _NO_BODY:
                self._body[op.id] = schema

    def declares(self, op_id: str, source: str, name: str) -> bool:
        if source == "path":
            return name in self._path.get(op_id, frozenset())
        if source == "query":
            names = self._query.get(op_id)
            return names is None or name in names
        if op_id not in self._body:
            return False  # described, and takes no JSON body
        schema = self._body[op_id]
        return schema is None or self._schema_declares(schema, name.split("."), 0)

    def names(self, op_id: str, source: str) -> list[str]:
        """What an operation declares, for the error message ("?" where it is not described)."""
        if source == "path":
            return sorted(self._path.get(op_id, ()))
        if source == "query":
            names = self._query.get(op_id)
            return ["?"] if names is None else sorted(names)
        if op_id not in self._body:
            return []
        schema = self._body[op_id]
        return ["?"] if schema is None else self._top_properties(schema)

    def problems(self, rule_id: str, text: str, refs: Iterable[tuple[str, str]], op_ids: list[str]) -> list[str]:
        """One line per reference that none of the rule's operations declares."""
        lines = []
        for source, name in sorted(set(refs)):
            if source not in CHECKED_SOURCES or any(self.declares(op, source, name) for op in op_ids):
                continue
            listed = [f"{op} ({', '.join(self.names(op, source)) or 'none'})" for op in op_ids[:_MAX_LISTED]]
            more = f" and {len(op_ids) - _MAX_LISTED} more" if len(op_ids) > _MAX_LISTED else ""
            lines.append(
                f"authz rule {rule_id}: where {text!r} reads {source}.{name}, which none of its operations "
                f"declares; {source} names declared: {'; '.join(listed) or 'no operation'}{more}"
            )
        return lines

    # -- the spec ------------------------------------------------------------------------------------
    def _parameters(self, spec_op: SpecOperation, location: str) -> list[str]:
        names = []
        for raw in [*(spec_op.path_item.get("parameters") or []), *(spec_op.node.get("parameters") or [])]:
            param = deref(self._data, raw)
            if isinstance(param, Mapping) and param.get("in") == location and isinstance(param.get("name"), str):
                names.append(param["name"])
        return names

    def _json_body_schema(self, spec_op: SpecOperation) -> Any:
        body = deref(self._data, spec_op.node.get("requestBody"))
        if not isinstance(body, Mapping):
            return _NO_BODY
        for media, entry in (body.get("content") or {}).items():
            if "json" in str(media).lower() and isinstance(entry, Mapping):
                return entry.get("schema", {})
        return _NO_BODY

    def _schema_declares(self, schema: Any, parts: list[str], depth: int) -> bool:  # noqa: PLR0911  one exit per JSON Schema keyword that can declare the field
        schema = deref(self._data, schema)
        if not parts or depth > _MAX_DEPTH or not isinstance(schema, Mapping):
            return True  # reached, or a schema too deep or not an object to say anything about
        for combinator in ("allOf", "anyOf", "oneOf"):
            for sub in schema.get(combinator) or ():
                if self._schema_declares(sub, parts, depth + 1):
                    return True
        head, rest = parts[0], parts[1:]
        properties = schema.get("properties")
        if isinstance(properties, Mapping) and head in properties:
            return self._schema_declares(properties[head], rest, depth + 1)
        items = schema.get("items")
        if head.isdigit() and isinstance(items, Mapping):
            return self._schema_declares(items, rest, depth + 1)
        extra = schema.get("additionalProperties")
        if isinstance(extra, Mapping):
            return self._schema_declares(extra, rest, depth + 1)
        if extra is True or schema.get("patternProperties"):
            return True
        combined = any(schema.get(c) for c in ("allOf", "anyOf", "oneOf"))
        if properties is None and items is None and extra is None and not combined:
            kind = schema.get("type")
            kinds = kind if isinstance(kind, list) else [kind]
            return None in kinds or "object" in kinds  # an open object: any name may be in it
        return False

    def _top_properties(self, schema: Any, depth: int = 0) -> list[str]:
        schema = deref(self._data, schema)
        if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
            return []
        names = [str(n) for n in (schema.get("properties") or {})]
        for combinator in ("allOf", "anyOf", "oneOf"):
            for sub in schema.get(combinator) or ():
                names.extend(self._top_properties(sub, depth + 1))
        return sorted(set(names))


_NO_BODY = object()
