"""OpenAPI schema objects as JSON Schema 2020-12, one view per direction.

OpenAPI 3.0 schemas are a dialect (`nullable`, boolean `exclusiveMinimum`, no type arrays); 3.1
schemas are JSON Schema already. Either way, `readOnly` properties may not be required of a request
and `writeOnly` ones may not be required of a response, so each direction gets its own converted
copy of the schemas. References keep working because every `#/components/schemas/X` is rewritten to
the same place in the converted copy.
"""

from __future__ import annotations

from typing import Any

_SCHEMA_KEYS_DICT = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_SCHEMA_KEYS_SINGLE = (
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
)
_SCHEMA_KEYS_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")
_ANNOTATIONS_30 = ("discriminator", "xml", "externalDocs", "example")


def convert(schema: Any, *, openapi30: bool, direction: str, depth: int = 0) -> Any:
    """A converted deep copy of one schema object; `direction` is "request" or "response"."""
    if depth > 200:
        raise ValueError("schema nesting too deep")
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _SCHEMA_KEYS_DICT and isinstance(value, dict):
            out[key] = {
                k: convert(v, openapi30=openapi30, direction=direction, depth=depth + 1) for k, v in value.items()
            }
        elif key in _SCHEMA_KEYS_SINGLE and isinstance(value, dict):
            out[key] = convert(value, openapi30=openapi30, direction=direction, depth=depth + 1)
        elif key in _SCHEMA_KEYS_LIST and isinstance(value, list):
            out[key] = [convert(v, openapi30=openapi30, direction=direction, depth=depth + 1) for v in value]
        elif key == "$ref" and isinstance(value, str):
            out[key] = view_ref(value, direction)
        elif openapi30 and key in _ANNOTATIONS_30:
            continue
        else:
            out[key] = value
    if openapi30:
        _from_30(out)
    _directional_required(out, direction)
    return out


def view_ref(ref: str, direction: str) -> str:
    """Where a reference points in the converted document of one direction."""
    if ref.startswith("#/components/"):
        return f"#/{direction}/" + ref[len("#/components/") :]
    return ref


def _from_30(out: dict[str, Any]) -> None:
    if out.pop("nullable", False) is True:
        kind = out.get("type")
        if isinstance(kind, str):
            out["type"] = [kind, "null"]
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        if "$ref" in out:
            out["anyOf"] = [{"$ref": out.pop("$ref")}, {"type": "null"}]
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if out.get(exclusive) is True and bound in out:
            out[exclusive] = out.pop(bound)
        elif out.get(exclusive) is False:
            out.pop(exclusive)


def _directional_required(out: dict[str, Any], direction: str) -> None:
    properties = out.get("properties")
    required = out.get("required")
    if not isinstance(properties, dict) or not isinstance(required, list):
        return
    skip = "readOnly" if direction == "request" else "writeOnly"
    kept = [name for name in required if not (isinstance(properties.get(name), dict) and properties[name].get(skip))]
    if len(kept) != len(required):
        out["required"] = kept
