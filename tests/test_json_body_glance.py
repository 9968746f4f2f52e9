"""The strict JSON parse's shortcut (core/json_body.py `_passes_at_a_glance`) passes only bodies the
exact text checks pass: it reads the whole body, strings included, where each count can only be higher."""

from __future__ import annotations

import json
import re

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.core.json_body import BodyError, JSONLimits, _count_keys

# Strings that look like what the checks count: colons, brackets, digits, exponents, escapes.
_TEXT = st.text(alphabet='ab:{}[],0123456789.eE-"\\ é', max_size=24)
_NUMBER = st.one_of(
    st.integers(min_value=-999, max_value=999),
    st.integers(min_value=10**4, max_value=10**25),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["150.00000000000001", "1e-400", "1.0000000000000001", "12345678901234567890", "1E5"]).map(
        "~raw~".__add__
    ),
)
_LEAF = st.one_of(_TEXT, _NUMBER, st.booleans(), st.none())
_DOCUMENT = st.recursive(
    _LEAF,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(_TEXT, inner, max_size=5)),
    max_leaves=30,
)


def _text(value: object) -> bytes:
    """JSON text, with the number tokens drawn as "~raw~<token>" strings written bare."""
    return re.sub(rb'"~raw~([^"]*)"', rb"\1", json.dumps(value).encode())


@pytest.mark.parametrize(
    "limits",
    [
        JSONLimits(),
        JSONLimits(max_string=8),
        JSONLimits(max_elements=12),
        JSONLimits(max_depth=2),
        JSONLimits(max_number_digits=4),
    ],
    ids=["default limits", "short strings", "few elements", "shallow", "short numbers"],
)
@settings(max_examples=400)
@given(document=_DOCUMENT, duplicate=st.booleans())
def test_a_body_passed_at_a_glance_passes_the_exact_checks(
    limits: JSONLimits, document: object, duplicate: bool
) -> None:
    body = _text(document)
    if duplicate and isinstance(document, dict) and document:
        key = json.dumps(next(iter(document)))
        body = body[:-1] + b", " + key.encode() + b": 1}"  # the same key again, which orjson drops
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        return
    if not isinstance(value, dict | list) or not limits._passes_at_a_glance(body, _count_keys(value)):
        return
    assert limits._checked(body, _count_keys(value)) is False  # no refusal, no imprecise number


def test_bodies_the_glance_leaves_to_the_exact_checks() -> None:
    limits = JSONLimits()
    for body in (
        b'{"a": 1, "a": 2}',  # a duplicate key: the colons outnumber the keys parsed
        b'{"at": "10:30", "b": 1}',  # a colon in a string: counted, so the exact path decides
        b'{"price": 150.00000000000001}',  # more precise than its double
        b'{"n": 1e-400}',
        b'{"n": 12345678901234567890}',
    ):
        assert not limits._passes_at_a_glance(body, _count_keys(orjson.loads(body))), body
    assert not JSONLimits(max_number_digits=4)._passes_at_a_glance(b'{"n": 12345}', 1)
    with pytest.raises(BodyError) as refused:
        limits.parse_noting_precision(b'{"a": 1, "a": 2}')
    assert refused.value.rule == "validation.json.duplicate_key"
    assert limits.parse_noting_precision(b'{"at": "10:30", "b": 1}') == ({"at": "10:30", "b": 1}, False)
    assert limits.parse_noting_precision(b'{"price": 150.00000000000001}')[1] is True
    assert limits.parse_noting_precision(b'{"sku": "SKU-1", "qty": 2, "tags": ["a"]}') == (
        {"sku": "SKU-1", "qty": 2, "tags": ["a"]},
        False,
    )
