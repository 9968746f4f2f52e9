"""A JSON body parsed once, with the limits that hold even where the schema says nothing.

orjson parses (fast, and strict about UTF-8, surrogates, NaN and infinities); then the text outside
string literals and a walk over the parsed containers enforce what orjson does not:
- duplicate keys are refused: orjson keeps the last one, another parser might keep the first, and
  the gateway and the API would then see different requests. The number of keys in the text (one
  `:` per key outside strings) must equal the number of keys parsed;
- nesting depth, number of values and string lengths are bounded (string lengths are measured on the
  raw text, escapes included, so the limit can only be met early, never late);
- long digit runs are refused: beyond 64-bit integers, parsers silently round or overflow
  differently (orjson turns 123456789012345678901234567890 into a float);
- numbers whose text holds more precision than a double (`150.00000000000001`, `1e-400`,
  `1.0000000000000001`) are noted: the API behind may read them exactly (BigDecimal, Decimal,
  numeric), so schema validation must judge the exact decimal (`exact_value()`), not the rounded double.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import orjson

_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")
# Digits and the decimal point alike, to find mantissas long enough to lose precision in a double.
_MANTISSA_TO_ZERO = bytes.maketrans(b"123456789.", b"0000000000")
# A decimal with at most 15 significant digits (DBL_DIG) is recovered exactly from its double; 16
# digits and a point are 17 characters. An exponent can reach outside the double's range.
_LONG_MANTISSA = b"0" * 17
_NUMBER = re.compile(rb"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
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
        # The shorter of a number too long and a mantissa too precise: the shortcut looks for either.
        self._long_run = min(self._long_number, _LONG_MANTISSA, key=len)
        self.key = (max_depth, max_elements, max_string, max_number_digits)

    def parse(self, body: bytes) -> Any:
        return self.parse_noting_precision(body)[0]

    def parse_noting_precision(self, body: bytes) -> tuple[Any, bool]:
        """The value, and whether a number in the text is more precise than its double (`exact_value()`)."""
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise BodyError(400, f"malformed JSON at character {exc.pos}", "validation.json.malformed") from None
        if type(value) in _CONTAINERS:
            keys = _count_keys(value)
            if self._passes_at_a_glance(body, keys):
                return value, False
            return value, self._checked(body, keys)
        if isinstance(value, str) and len(value) > self.max_string:
            raise BodyError(422, "string longer than the limit", "validation.json.string_length")
        return value, type(value) is float and _has_inexact_number(body.strip())

    def _passes_at_a_glance(self, body: bytes, keys: int) -> bool:
        """The text checks read off the whole body, strings included. Each can only over-count there
        (a bracket, a colon or a digit inside a string), so a body within every limit read this way
        is within them read exactly, and holds no duplicate key: its colons, all of them, are as many
        as the keys parsed. Any other body takes `_checked`. Splitting on quotes cost 4.6 µs of the
        10 µs a 1 KB order took to parse; this costs about 1."""
        if len(body) > self.max_string or len(body) > self.max_elements:
            return False
        if body.count(b"[") + body.count(b"{") > self.max_depth:
            return False
        shape = body.translate(_MANTISSA_TO_ZERO)  # digits and points: long numbers, precise mantissas
        if self._long_run in shape or b"0e" in shape or b"0E" in shape:
            return False
        return body.count(b":") == keys

    def _checked(self, body: bytes, keys: int) -> bool:
        """The exact checks, on the text outside strings; whether a number is more precise than its double."""
        keys_in_text, outside = self._check_text(body)
        if keys != keys_in_text:
            raise BodyError(400, "duplicate key in a JSON object", "validation.json.duplicate_key")
        return _has_inexact_number(outside)

    def _check_text(self, body: bytes) -> tuple[int, bytes]:
        """Check the limits readable off the text; return the number of keys and the text outside strings.

        Each check is skipped when the body is too short to break it (a 900-byte body cannot hold a
        string longer than 1 MB, nor more nesting levels than it has brackets).
        """
        parts = _unescaped(body).split(b'"')
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
        return outside.count(b":"), outside


def has_duplicate_keys(text: bytes, value: Any) -> bool:
    """Whether parsing `text` into `value` dropped a key (orjson keeps the last of duplicates): the
    colons outside strings count the keys written, the parsed containers the keys kept."""
    return b"".join(_unescaped(text).split(b'"')[0::2]).count(b":") != _count_keys(value)


def _unescaped(text: bytes) -> bytes:
    """An escaped quote or backslash is not a string boundary: escapes dropped pairwise."""
    return text.replace(b"\\\\", b"").replace(b'\\"', b"") if b"\\" in text else text


def _count_keys(node: object) -> int:
    """Keys in the parsed containers. Exact type tests (orjson makes plain dicts and lists): the
    fastest form in Python, and pointer comparisons in the compiled build."""
    values: Iterable[object]
    if type(node) is dict:
        keys = len(node)
        values = node.values()
    elif type(node) is list:
        keys = 0
        values = node
    else:
        return 0
    for value in values:
        kind = type(value)
        if kind is dict or kind is list:
            keys += _count_keys(value)
    return keys


def _has_inexact_number(outside: bytes) -> bool:
    """Whether a number token in this text (strings removed) means more than its double says.

    Fast path: a body without a 16-digit mantissa or an exponent cannot hold such a number (any
    decimal of at most 15 significant digits round-trips through a double). Otherwise each token
    with a fraction or exponent is compared, exactly, with the shortest decimal of its double.
    """
    shape = outside.translate(_MANTISSA_TO_ZERO)
    if _LONG_MANTISSA not in shape and b"0e" not in shape and b"0E" not in shape:
        return False
    for match in _NUMBER.finditer(outside):
        token = match.group()
        if (b"." in token or b"e" in token or b"E" in token) and not _round_trips(token.decode()):
            return True
    return False


def _round_trips(text: str) -> bool:
    return Decimal(repr(float(text))) == Decimal(text)


def _exact_float(text: str) -> float | Decimal:
    number = float(text)
    return number if Decimal(repr(number)) == Decimal(text) else Decimal(text)


def exact_value(body: bytes) -> Any:
    """The body's value with a `Decimal` wherever a double would round the text (`1e-400`).

    Only called for a body `parse_noting_precision` accepted and flagged, so the strict checks
    (duplicate keys, NaN, depth, sizes) have already passed; jsonschema-rs compares Decimals exactly.
    """
    return json.loads(body, parse_float=_exact_float)


DEFAULT_LIMITS = JSONLimits()
