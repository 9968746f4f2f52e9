"""Telling responses apart: the same answer, a different answer, or the same answer with noise.

Boolean and operator-injection checks compare the API's answers to a true and a false condition.
Dynamic parts (timestamps, request ids, the payload echoed back) are removed first, so only a difference
in what the API *did* counts.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from bastion.scan.target import Exchange

_NOISE = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?"
    r"|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"
    r"|\b\d{10}(?:\.\d+)?\b|\b[0-9a-f]{32,64}\b"
)
_MAX = 8_000


def normalized(exchange: Exchange, echoes: tuple[str, ...] = ()) -> str:
    text = exchange.text[:_MAX]
    for echo in echoes:
        if echo:
            text = text.replace(echo, "")
    return _NOISE.sub("#", text)


def similar(a: Exchange, b: Exchange, echoes: tuple[str, ...] = (), threshold: float = 0.98) -> bool:
    """Same status and (nearly) the same body once noise and echoed payloads are removed."""
    if a.status != b.status or a.status is None:
        return False
    left, right = normalized(a, echoes), normalized(b, echoes)
    if left == right:
        return True
    if not left or not right:
        return False
    matcher = SequenceMatcher(None, left, right, autojunk=False)
    return matcher.quick_ratio() >= threshold and matcher.ratio() >= threshold


def differs(a: Exchange, b: Exchange, echoes: tuple[str, ...] = ()) -> bool:
    return not similar(a, b, echoes, threshold=0.9)
