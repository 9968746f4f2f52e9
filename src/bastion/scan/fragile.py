"""Fields that may hide a backtracking regular expression, and which ones the growth check has cleared.

An email checked with a nested-quantifier regex can hold a single-process server for minutes on a
30-character string. Until `resource.redos` has measured a field and found its time flat, the fuzzer
and the tampering check keep strings short in fields whose schema or name suggests a pattern (format
email/uri/hostname, a `pattern`, names like email, url, phone); a field where growth was super-linear
stays short for the rest of the scan.
"""

from __future__ import annotations

import re
from typing import Any

from bastion.scan.context import ScanContext

SHORT = 16
_FORMATS = frozenset({"email", "idn-email", "uri", "url", "iri", "uri-reference", "hostname", "idn-hostname"})
_NAMES = re.compile(r"(?i)(e_?mail|url|uri|link|host|domain|phone|mobile|regex|pattern|expr|zip|postcode)")

Field = tuple[str, str, str]  # operation, location, name


def regexish(schema: dict[str, Any], name: str) -> bool:
    return (
        str(schema.get("format", "")).lower() in _FORMATS
        or isinstance(schema.get("pattern"), str)
        or bool(_NAMES.search(name.rsplit(".", maxsplit=1)[-1]))
    )


def cleared(ctx: ScanContext) -> set[Field]:
    found: set[Field] = ctx.facts.setdefault("regex_cleared", set())
    return found


def must_stay_short(ctx: ScanContext, field: Field, schema: dict[str, Any]) -> bool:
    return regexish(schema, field[2]) and field not in cleared(ctx)


def field_name(name: str) -> str:
    """`items.0.email` and `items.email` are one field."""
    return re.sub(r"\.\d+(?=\.|$)", "", name)


def shortened(ctx: ScanContext, operation: str, location: str, schema: Any, path: str = "") -> Any:
    """A copy of a schema with maxLength <= SHORT on the regex-ish strings not cleared yet."""
    if not isinstance(schema, dict):
        return schema
    out = dict(schema)
    properties = schema.get("properties")
    if isinstance(properties, dict):
        out["properties"] = {
            name: shortened(ctx, operation, location, sub, f"{path}.{name}" if path else name)
            for name, sub in properties.items()
        }
    if isinstance(schema.get("items"), dict):
        out["items"] = shortened(ctx, operation, location, schema["items"], path)
    if path and schema.get("type") in (None, "string") and must_stay_short(ctx, (operation, location, path), schema):
        out.pop("format", None)
        out.pop("pattern", None)
        out["maxLength"] = min(int(schema.get("maxLength", SHORT) or SHORT), SHORT)
        out["minLength"] = min(int(schema.get("minLength", 0) or 0), SHORT)
    return out
