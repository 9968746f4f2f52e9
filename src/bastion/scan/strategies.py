"""Hypothesis strategies from JSON Schemas, for the fuzzer.

hypothesis-jsonschema would be the obvious choice, but its last release (0.23.1) calls Hypothesis
internals that current Hypothesis versions removed (`many.more`), and pinning an old Hypothesis for it
would hold the whole project back. The fuzzer needs far less than full JSON Schema semantics: values of
the declared shape, mostly within bounds, so that a request reaches the code behind validation. What is
not understood here becomes "any JSON value", which a fuzzer is happy to send.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from bastion.scan.values import merge_schemas, schema_type

_MAX_DEPTH = 6
_JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40)
ANY_JSON = st.recursive(
    _JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
_FORMATS: dict[str, st.SearchStrategy[str]] = {
    "email": st.emails().map(str),
    "uuid": st.uuids().map(str),
    "date": st.dates().map(lambda d: d.isoformat()),
    "date-time": st.datetimes().map(lambda d: d.isoformat() + "Z"),
    "ipv4": st.ip_addresses(v=4).map(str),
    "ipv6": st.ip_addresses(v=6).map(str),
    "uri": st.sampled_from(["https://example.com/", "http://127.0.0.1/", "ftp://x/", "urn:x"]),
}


def from_schema(schema: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    if not isinstance(schema, dict) or depth > _MAX_DEPTH or not schema:
        return ANY_JSON
    if "const" in schema:
        return st.just(schema["const"])
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return st.sampled_from(schema["enum"])
    combined = _combined(schema, depth)
    if combined is not None:
        return combined
    build = _BY_TYPE.get(schema_type(schema))
    return build(schema, depth) if build is not None else ANY_JSON


def _combined(schema: dict[str, Any], depth: int) -> st.SearchStrategy[Any] | None:
    """anyOf/oneOf (one branch each), allOf (merged) and a list of types (one branch each), or None."""
    for key in ("anyOf", "oneOf"):
        options = [o for o in schema.get(key) or [] if isinstance(o, dict)]
        if options:
            return st.one_of(
                [
                    from_schema(merge_schemas({k: v for k, v in schema.items() if k != key}, o), depth + 1)
                    for o in options
                ]
            )
    if isinstance(schema.get("allOf"), list):
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            if isinstance(part, dict):
                merged = merge_schemas(merged, part)
        return from_schema(merged, depth + 1)
    kinds = schema.get("type")
    if isinstance(kinds, list) and len(kinds) > 1:
        return st.one_of([from_schema({**schema, "type": k}, depth + 1) for k in kinds])
    return None


def _array(schema: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
    items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
    low = int(schema.get("minItems", 0) or 0)
    high = int(schema.get("maxItems", low + 3) or low + 3)
    return st.lists(from_schema(items, depth + 1), min_size=low, max_size=max(low, min(high, low + 5)))


def _object(schema: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
    properties = schema.get("properties") or {}
    required = [name for name in schema.get("required") or [] if name in properties]
    optional = [name for name in properties if name not in required]
    return st.fixed_dictionaries(
        {name: from_schema(properties[name], depth + 1) for name in required},
        optional={name: from_schema(properties[name], depth + 1) for name in optional},
    )


def _number(schema: dict[str, Any], *, integer: bool) -> st.SearchStrategy[Any]:
    low = schema.get("minimum")
    high = schema.get("maximum")
    if isinstance(schema.get("exclusiveMinimum"), int | float):
        low = schema["exclusiveMinimum"] + (1 if integer else 1e-9)
    if isinstance(schema.get("exclusiveMaximum"), int | float):
        high = schema["exclusiveMaximum"] - (1 if integer else 1e-9)
    if integer:
        return st.integers(
            min_value=int(low) if low is not None else None, max_value=int(high) if high is not None else None
        )
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)


def _string(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    low = int(schema.get("minLength", 0) or 0)
    high = schema.get("maxLength")
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt in _FORMATS:
        return _FORMATS[fmt]
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        try:
            return st.from_regex(pattern, fullmatch=True).filter(
                lambda s: low <= len(s) <= (high if isinstance(high, int) else 10_000)
            )
        except Exception:  # noqa: S110 - a pattern Python cannot compile: plain text instead
            pass
    return st.text(min_size=low, max_size=int(high) if isinstance(high, int) else max(low, 64))


_BY_TYPE: dict[str, Callable[[dict[str, Any], int], st.SearchStrategy[Any]]] = {
    "null": lambda schema, depth: st.none(),
    "boolean": lambda schema, depth: st.booleans(),
    "integer": lambda schema, depth: _number(schema, integer=True),
    "number": lambda schema, depth: _number(schema, integer=False),
    "string": lambda schema, depth: _string(schema),
    "array": _array,
    "object": _object,
}
