"""Parameters as the spec declares them: extracted by style and explode, coerced to their types.

Query `?ids=1&ids=2` (form, exploded) and `?ids=1,2` (form, not exploded) both become [1, 2] for an
integer array; `?filter[status]=open` (deepObject) becomes {"status": "open"}. A value that does not
coerce stays a string, so the schema check reports the wrong type at its location. Only the styles
OpenAPI defines for each location are understood; anything else is compared as a plain string.
"""

from __future__ import annotations

import math
import re
from typing import Any

from bastion.openapi.spec import ParameterSpec

_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def coerce(value: str, kind: str) -> Any:
    if kind == "integer" and _INTEGER.fullmatch(value) and len(value) <= 19:
        return int(value)
    if kind == "number" and _NUMBER.fullmatch(value) and len(value) <= 40:
        number = float(value)
        return number if math.isfinite(number) else value
    if kind == "boolean" and value in ("true", "false"):
        return value == "true"
    if kind == "null" and value in ("", "null"):
        return None
    return value


def query_value(param: ParameterSpec, pairs: list[tuple[str, str]]) -> tuple[bool, Any]:  # noqa: PLR0911  one exit per OpenAPI style/explode combination
    """(present, value) of one query parameter among the raw pairs."""
    name = param.name
    if param.kind == "object" and param.style == "deepObject":
        prefix = name + "["
        found = {k[len(prefix) : -1]: v for k, v in pairs if k.startswith(prefix) and k.endswith("]")}
        return bool(found), found
    values = [v for k, v in pairs if k == name]
    if not values:
        return False, None
    if param.kind == "array":
        if param.explode:
            items = values
        else:
            separator = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(param.style, ",")
            items = [item for v in values for item in v.split(separator)]
        return True, [coerce(item, param.item_kind) for item in items]
    if param.kind == "object":
        if param.explode:
            return True, dict(pairs)  # form-exploded objects spread over the query: the schema decides
        flat = values[0].split(",")
        return True, dict(zip(flat[0::2], flat[1::2], strict=False))
    if len(values) > 1:
        return True, values  # a scalar sent twice: let the schema refuse the array
    return True, coerce(values[0], param.kind)


def simple_value(param: ParameterSpec, raw: str) -> Any:
    """Path and header parameters: `simple` style (comma-separated arrays)."""
    if param.kind == "array":
        return [coerce(item, param.item_kind) for item in raw.split(",")] if raw else []
    if param.kind == "object":
        if param.explode:
            return dict(item.split("=", 1) for item in raw.split(",") if "=" in item)
        flat = raw.split(",")
        return dict(zip(flat[0::2], flat[1::2], strict=False))
    return coerce(raw, param.kind)
