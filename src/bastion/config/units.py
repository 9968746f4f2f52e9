"""Human units in the policy file: durations (`2s`, `5m`), sizes (`1MiB`) and rates (`10/s`).

Operators write limits the way they think about them; the models turn them into seconds and bytes
once, at load, so nothing parses units on the request path.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_DURATION_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}

_SIZE = re.compile(r"^\s*(\d+)\s*(B|KB|KiB|MB|MiB|GB|GiB)?\s*$")
_SIZE_UNITS = {
    None: 1,
    "B": 1,
    "KB": 1000,
    "KiB": 1024,
    "MB": 1000**2,
    "MiB": 1024**2,
    "GB": 1000**3,
    "GiB": 1024**3,
}

_RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*/\s*(\d+)?\s*(ms|s|sec|second|m|min|minute|h|hour|d|day|w|week|month)\s*$")
_RATE_UNITS = {
    "ms": 0.001,
    "s": 1.0,
    "sec": 1.0,
    "second": 1.0,
    "m": 60.0,
    "min": 60.0,
    "minute": 60.0,
    "h": 3600.0,
    "hour": 3600.0,
    "d": 86400.0,
    "day": 86400.0,
    "w": 7 * 86400.0,
    "week": 7 * 86400.0,
    "month": 30 * 86400.0,  # a rolling month; quotas can also follow the calendar month
}


def parse_duration(value: Any) -> float:
    """Seconds from `2s`, `500ms`, `5m`, `1h`, `1d` or a bare number of seconds."""
    if isinstance(value, bool):
        raise ValueError("expected a duration such as 2s, 500ms or 5m")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and (m := _DURATION.match(value)):
        seconds = float(m.group(1)) * _DURATION_UNITS[m.group(2)]
    else:
        raise ValueError(f"expected a duration such as 2s, 500ms or 5m, got {value!r}")
    if seconds < 0:
        raise ValueError("a duration cannot be negative")
    return seconds


def parse_size(value: Any) -> int:
    """Bytes from `1MiB`, `16KiB`, `512KB` or a bare number of bytes."""
    if isinstance(value, bool):
        raise ValueError("expected a size such as 16KiB or 1MiB")
    if isinstance(value, int):
        size = value
    elif isinstance(value, str) and (m := _SIZE.match(value)):
        size = int(m.group(1)) * _SIZE_UNITS[m.group(2)]
    else:
        raise ValueError(f"expected a size such as 16KiB or 1MiB, got {value!r}")
    if size < 0:
        raise ValueError("a size cannot be negative")
    return size


def parse_rate(value: Any) -> tuple[float, float]:
    """(count, period in seconds) from `10/s`, `5/min`, `1000/day` or `100/10s`."""
    if not isinstance(value, str) or not (m := _RATE.match(value)):
        raise ValueError(f"expected a rate such as 10/s, 5/min or 1000/day, got {value!r}")
    count = float(m.group(1))
    period = float(m.group(2) or 1) * _RATE_UNITS[m.group(3)]
    if count <= 0 or period <= 0:
        raise ValueError("a rate needs a positive count and period")
    return count, period


def _duration_text(seconds: float) -> str:
    return f"{seconds:g}s"


Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    PlainSerializer(_duration_text, return_type=str),
    WithJsonSchema({"type": ["string", "number"], "examples": ["2s", "500ms", "5m"]}),
]
Size = Annotated[
    int,
    BeforeValidator(parse_size),
    WithJsonSchema({"type": ["string", "integer"], "examples": ["16KiB", "1MiB"]}),
]


def _rate_text(rate: tuple[float, float]) -> str:
    count, period = rate
    return f"{count:g}/{period:g}s"


Rate = Annotated[
    tuple[float, float],
    BeforeValidator(parse_rate),
    PlainSerializer(_rate_text, return_type=str),
    WithJsonSchema({"type": "string", "examples": ["10/s", "5/min", "1000/day"]}),
]
