"""Every audit event encodes: what JSON cannot carry is escaped, and the event says where.

Paths, route parameters and rule reasons can hold lone surrogates: bytes that were not UTF-8, kept
by `surrogateescape` so the guards still inspect them (`%ff`, `%c0%af`), or UTF-16 halves decoded
from escapes (`%ed%a0%80`, `\\ud800`). orjson refuses them, and an event that cannot be encoded
once stopped the whole trail. So a string that does not encode is rewritten, character by
character: a smuggled byte (U+DC80..U+DCFF) becomes the text `\\xNN`, any other lone surrogate
`\\uNNNN`, and NUL `\\x00` (valid JSON, but PostgreSQL stores it neither in text nor in jsonb:
one such event would stop that sink for good). The event lists the fields rewritten under
`escaped`, so a reader knows that `\\x` there is Bastion's notation, not what the client sent.
Only events that fail the fast path pay.
"""

from __future__ import annotations

from typing import Any

from bastion.audit.chain import canonical

MAX_ESCAPED_FIELDS = 16
_INT_MIN, _INT_MAX = -(2**63), 2**64 - 1  # what orjson encodes as a JSON integer


def encode_event(event: dict[str, Any]) -> tuple[bytes, dict[str, Any]]:
    """(canonical JSON, the event it encodes): `event` itself, or an escaped copy of it."""
    try:
        body = canonical(event)
        if b"\\u0000" not in body:
            return body, event
    except TypeError:  # orjson.JSONEncodeError: a surrogate, an oversized integer, an unknown type
        pass
    escaped: list[str] = []
    safe = _clean(event, "", escaped)
    assert isinstance(safe, dict)
    if escaped:
        safe["escaped"] = escaped[:MAX_ESCAPED_FIELDS]
    return canonical(safe), safe


def escape_text(text: str) -> str:
    """`text` with its lone surrogates written out as `\\xNN` (a smuggled byte) or `\\uNNNN`."""
    out = []
    for char in text:
        code = ord(char)
        if code == 0:
            out.append("\\x00")
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def _encodable(text: str) -> bool:
    if "\x00" in text:
        return False
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _clean(value: Any, path: str, escaped: list[str]) -> Any:  # noqa: PLR0911  one return per JSON type: the walk that makes any value encodable
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, str):
        if _encodable(value):
            return value
        escaped.append(path or "(event)")
        return escape_text(value)
    if isinstance(value, int):
        if _INT_MIN <= value <= _INT_MAX:
            return value
        escaped.append(path)
        return str(value)
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            name = key if isinstance(key, str) and _encodable(key) else escape_text(str(key))
            if name != key:
                escaped.append(f"{path}.(key)" if path else "(key)")
            out[name] = _clean(item, f"{path}.{name}" if path else name, escaped)
        return out
    if isinstance(value, list | tuple):
        return [_clean(item, f"{path}[{index}]", escaped) for index, item in enumerate(value)]
    escaped.append(path)
    return escape_text(repr(value)[:200])


__all__ = ["MAX_ESCAPED_FIELDS", "encode_event", "escape_text"]
