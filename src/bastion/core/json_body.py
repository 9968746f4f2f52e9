"""A JSON body parsed once, with the limits that hold even where the schema says nothing.

orjson parses (fast, and strict about UTF-8, surrogates, NaN and infinities); then the text outside
string literals and a walk over the parsed containers enforce what orjson does not:
- duplicate keys are refused: orjson keeps the last one, another parser might keep the first, and
  the gateway and the API would then see different requests. The number of keys in the text (one
  `:` per key outside strings) must equal the number of keys parsed;
- nesting depth, number of values and string lengths are bounded (string lengths are measured on the
  raw text, escapes included, so the limit can only be met early, never late);
- long digit runs are refused: beyond 64-bit integers, parsers silently round or overflow
  differently (orjson turns 123456789012345678901234567890 into a float).
"""

from __future__ import annotations

from typing import Any

import orjson

_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")
_CONTAINERS = (dict, list)


class BodyError(ValueError):
    """A body that cannot be used; `status` 400 (malformed) or 422 (over a limit)."""

    def __init__(self, status: int, reason: str, rule: str, location: str = "body") -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.rule = rule
        self.location = location


class JSONLimits:
    def __init__(
        self, max_depth: int = 32, max_elements: int = 10_000, max_string: int = 1_000_000, max_number_digits: int = 18
    ) -> None:
        self.max_depth = max_depth
        self.max_elements = max_elements
        self.max_string = max_string
        self._long_number = b"0" * (max_number_digits + 1)
        self.key = (max_depth, max_elements, max_string, max_number_digits)

    def parse(self, body: bytes) -> Any:
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise BodyError(400, f"malformed JSON at character {exc.pos}", "validation.json.malformed") from None
        if type(value) in _CONTAINERS:
            keys_in_text = self._check_text(body)
            if _count_keys(value) != keys_in_text:
                raise BodyError(400, "duplicate key in a JSON object", "validation.json.duplicate_key")
        elif isinstance(value, str) and len(value) > self.max_string:
            raise BodyError(422, "string longer than the limit", "validation.json.string_length")
        return value

    def _check_text(self, body: bytes) -> int:
        """Check the limits readable off the text; return the number of keys it holds.

        Each check is skipped when the body is too short to break it (a 900-byte body cannot hold a
        string longer than 1 MB, nor more nesting levels than it has brackets).
        """
        if b"\\" in body:
            # An escaped quote or backslash is not a string boundary; drop escapes pairwise.
            body = body.replace(b"\\\\", b"").replace(b'\\"', b"")
        parts = body.split(b'"')
        if len(body) > self.max_string:
            strings = parts[1::2]
            if strings and max(map(len, strings)) > self.max_string:
                raise BodyError(422, "string longer than the limit", "validation.json.string_length")
        outside = b"".join(parts[0::2])
        if self._long_number in outside.translate(_DIGITS_TO_ZERO):
            raise BodyError(422, "number with more digits than the limit", "validation.json.number_length")
        containers = outside.count(b"[") + outside.count(b"{")
        if len(outside) > self.max_elements and outside.count(b",") + containers > self.max_elements:
            raise BodyError(422, "more values than the limit", "validation.json.elements")
        if containers > self.max_depth:
            brackets = outside.translate(None, _NOT_BRACKETS)
            for _ in range(self.max_depth):
                if not brackets:
                    break
                # Each pass removes the innermost level of nesting everywhere.
                brackets = brackets.replace(b"[]", b"").replace(b"{}", b"")
            if brackets:
                raise BodyError(422, f"nesting deeper than {self.max_depth}", "validation.json.depth")
        return outside.count(b":")


def _count_keys(node: Any) -> int:
    if type(node) is dict:
        keys = len(node)
        node = node.values()
    else:
        keys = 0
    for value in node:
        if type(value) in _CONTAINERS:
            keys += _count_keys(value)
    return keys


DEFAULT_LIMITS = JSONLimits()
