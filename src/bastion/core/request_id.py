"""Request ids tie a client's refusal to the audit event and the upstream's logs."""

from __future__ import annotations

import itertools
import os
import re

_WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{7,127}")
_prefix = os.urandom(6).hex()
_counter = itertools.count(1)


def new_request_id() -> str:
    """Unique per process start (random prefix) and cheap (a counter): ids are labels, not secrets."""
    return f"{_prefix}{next(_counter):010x}"


def reseed() -> None:
    """Give a forked worker its own prefix so two workers never hand out the same id."""
    global _prefix, _counter
    _prefix = os.urandom(6).hex()
    _counter = itertools.count(1)


def accept_request_id(value: str | None) -> str:
    """Propagate a caller's id only when it is a plain token, so it cannot inject into logs."""
    if value and _WELL_FORMED.fullmatch(value):
        return value
    return new_request_id()
