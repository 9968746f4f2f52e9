"""JSON that always encodes: what a client sent ends up in problem bodies and audit events.

Bytes that were not UTF-8 reach strings as lone surrogates (surrogateescape), which JSON cannot
carry; orjson refuses them. A refusal or an audit event must never fail to encode because of what
it describes (the handler would die, or the audit writer thread), so such characters are written
as `\\udcNN` escapes instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson


def dumps(value: Any, option: int = 0) -> bytes:
    try:
        return orjson.dumps(value, option=option)
    except TypeError:
        return orjson.dumps(escaped(value), option=option)


def escaped(value: Any) -> Any:
    """`value` with every string's lone surrogates written as backslash escapes."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, Mapping):
        return {escaped(k): escaped(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [escaped(v) for v in value]
    return value
