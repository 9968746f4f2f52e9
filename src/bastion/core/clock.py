"""Time as a parameter: everything with a deadline (limits, bans, revocations, cooldowns) takes a Clock.

Two readings, because they answer different questions: `monotonic()` measures intervals and never
jumps (deadlines, windows, timeouts); `wall()` is the epoch time that is stored or shared between
processes (ban expiry in the event store, revocation timestamps, Redis TTLs). Tests hand a
`ManualClock` to the component and move it, instead of sleeping until a deadline passes.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float: ...

    def wall(self) -> float: ...


class SystemClock:
    """The real clocks; stateless, so one shared instance serves every component."""

    __slots__ = ()

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()


SYSTEM_CLOCK = SystemClock()


class ManualClock:
    """A clock that moves only when told to; both readings advance together."""

    __slots__ = ("_monotonic", "_wall")

    def __init__(self, wall: float = 1_800_000_000.0, monotonic: float = 1_000.0) -> None:
        self._wall = wall
        self._monotonic = monotonic

    def monotonic(self) -> float:
        return self._monotonic

    def wall(self) -> float:
        return self._wall

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock does not go back")
        self._wall += seconds
        self._monotonic += seconds
