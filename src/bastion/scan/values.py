"""Filling requests: values that satisfy a schema, preferring what the API itself returned.

A check that tampers with one field needs every other field valid, or the API refuses for the wrong
reason; an order needs a product that exists. `Filler` builds schema-valid values: harvested IDs for
references (scan/harvest.py), then the spec's examples, defaults and enums, then generated values.
Fields that are usually unique (username, email, phone, title ...) always get a fresh value in the shape
of the example, so that a second registration is not refused as "phone already registered".
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from bastion.scan.harvest import Harvest
from bastion.scan.operations import Operation, id_resource


def unique_text(prefix: str = "bst") -> str:
    return f"{prefix}{secrets.token_hex(4)}"


class Filler:
    """Schema-valid values; `identity` prefers what that identity was shown, so requests are its own."""

    def __init__(self, harvest: Harvest) -> None:
        self.harvest = harvest

    def path_values(self, op: Operation, identity: str | None) -> dict[str, str]:
        values = {}
        for p in op.path_params:
            resource = op.resource_of(p.name)
            keyed = self.keyed(resource, p.name, p.schema, identity)
            values[p.name] = str(
                keyed
                if keyed is not None
                else self.value(p.schema, name=p.name, resource=resource, identity=identity, fresh=False)
            )
        return values

    def keyed(self, resource: str, key: str, schema: dict[str, Any], identity: str | None) -> Any:
        """A value of field `key` of a `resource` object the API showed (`/notes/{title}` takes a title)."""
        if not resource or key.lower() in ("id", "uuid", "_id") or id_resource(key):
            return None
        objects = self.harvest.objects(resource)
        for who in (identity, None):
            for obj in objects:
                value = obj.fields.get(key)
                if value is not None and (who is None or obj.identity == who) and _fits(value, schema):
                    return value
        return None

    def query(self, op: Operation, identity: str | None, *, all_params: bool = False) -> list[tuple[str, str]]:
        params = []
        for p in op.query_params:
            if p.required or all_params:
                params.append(
                    (
                        p.name,
                        _as_text(
                            self.value(
                                p.schema, name=p.name, resource=id_resource(p.name), identity=identity, fresh=False
                            )
                        ),
                    )
                )
        return params

    def body(self, op: Operation, identity: str | None) -> Any:
        if op.body_schema is None:
            return None
        return self.value(op.body_schema, name="", resource="", identity=identity)

    def value(  # noqa: PLR0913  keyword-only: the field being filled (name, resource, owner) and the recursion's depth
        self, schema: Any, *, name: str, resource: str, identity: str | None, depth: int = 0, fresh: bool = True
    ) -> Any:
        """`fresh`: unique-looking fields get new values (a record to create), not the example (a filter)."""
        if not isinstance(schema, dict) or depth > 6:
            return unique_text()
        known = self._known(schema, name=name, resource=resource, identity=identity, fresh=fresh)
        if known is not _NOTHING:
            return known
        combined = _combined(schema)
        if combined is not _NOTHING:
            return self.value(combined, name=name, resource=resource, identity=identity, depth=depth + 1, fresh=fresh)
        kind = schema_type(schema)
        if kind == "object":
            out: dict[str, Any] = {}
            for prop, sub in (schema.get("properties") or {}).items():
                if isinstance(sub, dict) and sub.get("readOnly"):
                    continue
                out[prop] = self.value(
                    sub, name=prop, resource=id_resource(prop), identity=identity, depth=depth + 1, fresh=fresh
                )
            return out
        if kind == "array":
            items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
            count = max(1, int(schema.get("minItems", 1) or 1))
            return [
                self.value(items, name=name, resource=resource, identity=identity, depth=depth + 1, fresh=fresh)
                for _ in range(min(count, 5))
            ]
        return _scalar(kind, schema, name, fresh=fresh)

    def _known(self, schema: dict[str, Any], *, name: str, resource: str, identity: str | None, fresh: bool) -> Any:
        """A harvested ID, or the schema's const, example, default or enum; `_NOTHING` when none fits."""
        if resource:
            for who in (identity, None):
                found = [v for v in self.harvest.ids(resource, who) if _fits(v, schema)]
                if found:
                    return found[0]
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("examples"), list) and schema["examples"] and not (fresh and wants_unique(name)):
            return schema["examples"][0]
        if "default" in schema and not (fresh and wants_unique(name)):
            return schema["default"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return next((v for v in schema["enum"] if v is not None), schema["enum"][0])
        return _NOTHING


_NOTHING: Any = object()  # "no value from here": None is a value a schema may declare


def _combined(schema: dict[str, Any]) -> Any:
    """The first non-null oneOf/anyOf option, or allOf merged with the rest; `_NOTHING` without combinators."""
    for combinator in ("oneOf", "anyOf"):
        options = schema.get(combinator)
        if isinstance(options, list) and options:
            return next((o for o in options if isinstance(o, dict) and o.get("type") != "null"), options[0])
    if isinstance(schema.get("allOf"), list):
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            if isinstance(part, dict):
                merged = merge_schemas(merged, part)
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        return merge_schemas(merged, rest)
    return _NOTHING


def _scalar(kind: str, schema: dict[str, Any], name: str, *, fresh: bool) -> Any:
    if kind == "integer":
        return int(_number(schema, integer=True))
    if kind == "number":
        return _number(schema, integer=False)
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    return string_for(schema, name, fresh=fresh)


def schema_type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if isinstance(kind, str):
        return kind
    if "properties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return "string"


def merge_schemas(left: dict[str, Any], right: dict[str, Any]) -> dict[str, Any]:
    out = {**left, **right}
    if "properties" in left or "properties" in right:
        out["properties"] = {**(left.get("properties") or {}), **(right.get("properties") or {})}
    if "required" in left or "required" in right:
        out["required"] = sorted({*(left.get("required") or []), *(right.get("required") or [])})
    return out


def _number(schema: dict[str, Any], *, integer: bool) -> float:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    value: float = 1
    if isinstance(low, int | float) and value <= low:
        value = low + (1 if "exclusiveMinimum" in schema or integer else 0)
    if isinstance(high, int | float) and value >= high:
        value = high - (1 if "exclusiveMaximum" in schema else 0)
    return int(value) if integer else float(value)


_UNIQUE = re.compile(
    r"(?i)(user(_?name)?|login|e_?mail|handle|slug|phone(_?number)?|mobile|tel(ephone)?|title|name|sku|serial)$"
)


def wants_unique(name: str) -> bool:
    """Fields that APIs usually keep unique: a reused example would be refused as already taken."""
    return bool(_UNIQUE.search(name))


def fresh_like(text: str, high: int = 64) -> str:
    """A new value in the shape of `text`: its digits drawn again when it has several (a phone number),
    else a short unique suffix."""
    if sum(c.isdigit() for c in text) >= 4:
        first = next(i for i, c in enumerate(text) if c.isdigit())
        return "".join(
            (secrets.choice("123456789") if i == first else secrets.choice("0123456789")) if c.isdigit() else c
            for i, c in enumerate(text)
        )
    suffix = secrets.token_hex(4)
    separator = "_" if re.fullmatch(r"[\w]*", text) else " "
    return (text[: max(0, high - len(suffix) - 1)] + separator + suffix) if text else "bst" + suffix


_FORMAT_TEXT: dict[str, Callable[[], str]] = {
    "uuid": lambda: str(uuid.uuid4()),
    "date": lambda: datetime.now(UTC).date().isoformat(),
    "date-time": lambda: datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    "uri": lambda: "https://example.com/",
    "url": lambda: "https://example.com/",
    "iri": lambda: "https://example.com/",
    "ipv4": lambda: "192.0.2.10",
    "ipv6": lambda: "2001:db8::10",
    "hostname": lambda: "example.com",
}


def string_for(schema: dict[str, Any], name: str, *, fresh: bool = True) -> str:
    fmt = str(schema.get("format", ""))
    low = int(schema.get("minLength", 0) or 0)
    high = int(schema.get("maxLength", 64) or 64)
    examples = schema.get("examples")
    example = examples[0] if isinstance(examples, list) and examples and isinstance(examples[0], str) else None
    unique = fresh and wants_unique(name)
    by_format = _FORMAT_TEXT.get(fmt)
    if fmt == "email" or "email" in name.lower():
        text = f"{unique_text()}@example.com"
    elif by_format is not None:
        text = by_format()
    elif fmt == "password" or "password" in name.lower():
        text = "Bst-" + secrets.token_hex(8)
    elif unique and example:
        text = fresh_like(example, high)
    else:
        text = unique_text()
    if len(text) < low:
        text += "x" * (low - len(text))
    text = text[: max(high, low)] if high >= low else text
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and not _matches(pattern, text):
        candidate = pattern_example(pattern, low, high) or text
        renewed = fresh_like(candidate, high) if unique else candidate
        text = renewed if _matches(pattern, renewed) else candidate
    return text


def _matches(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return True


def pattern_example(pattern: str, low: int, high: int) -> str | None:
    """A string for a `pattern`: simple candidates first, then Hypothesis's regex strategy, shrunk."""
    for candidate in ("bst" + secrets.token_hex(3), "abc", "123", "a", "A1", "bst_1"):
        if low <= len(candidate) <= high and _matches(pattern, candidate):
            return candidate
    try:
        from hypothesis import HealthCheck, find, settings  # noqa: PLC0415  lazy: Hypothesis only when a pattern needs a generated example
        from hypothesis import strategies as st  # noqa: PLC0415  lazy: Hypothesis only when a pattern needs a generated example

        return find(
            st.from_regex(pattern, fullmatch=True),
            lambda s: low <= len(s) <= high,
            settings=settings(database=None, max_examples=200, suppress_health_check=list(HealthCheck)),
        )
    except Exception:  # an unusual pattern only costs us one valid example
        return None


def _fits(value: Any, schema: dict[str, Any]) -> bool:
    kind = schema_type(schema)
    if kind == "integer":
        return isinstance(value, int) or (isinstance(value, str) and value.isdigit())
    if kind == "number":
        return isinstance(value, int | float)
    if kind == "string":
        return isinstance(value, str | int)
    return False


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def walk_strings(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every scalar leaf of a JSON value with its path, for checks that mutate one field at a time."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk_strings(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk_strings(value, (*path, index))
    else:
        yield path, node


def replace_at(node: Any, path: tuple[Any, ...], value: Any) -> Any:
    """A copy of `node` with the leaf at `path` replaced (or removed when value is REMOVE)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(node, dict):
        copy = dict(node)
        if not rest and value is REMOVE:
            copy.pop(head, None)
        else:
            copy[head] = replace_at(node[head], rest, value)
        return copy
    if isinstance(node, list):
        items = list(node)
        items[head] = replace_at(node[head], rest, value)
        return items
    return node


REMOVE: Any = object()
