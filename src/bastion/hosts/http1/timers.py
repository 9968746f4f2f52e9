"""A timeout that is cheap to re-arm: the proxy re-arms its timeouts on every request.

Cancelling and re-creating a loop timer per request cost a measurable share of the proxy's CPU. This
timer only moves a deadline when re-armed; the scheduled callback checks the deadline when it fires
and re-schedules itself if the deadline moved. A timeout therefore fires no earlier than asked
(never a premature 408) and at most one scheduler entry exists per connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class LazyTimer:
    __slots__ = ("_callback", "_deadline", "_fires_at", "_handle", "_loop")

    def __init__(self, loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> None:
        self._loop = loop
        self._callback = callback
        self._deadline: float | None = None
        self._handle: asyncio.TimerHandle | None = None
        self._fires_at = 0.0

    def arm(self, delay: float) -> None:
        self.arm_at(self._loop.time() + delay)

    def arm_at(self, deadline: float) -> None:
        self._deadline = deadline
        if self._handle is None or self._fires_at > deadline:
            if self._handle is not None:
                self._handle.cancel()
            self._fires_at = deadline
            self._handle = self._loop.call_at(deadline, self._fire)

    def cancel(self) -> None:
        self._deadline = None

    def close(self) -> None:
        self._deadline = None
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _fire(self) -> None:
        self._handle = None
        deadline = self._deadline
        if deadline is None:
            return
        if self._loop.time() < deadline:
            self._fires_at = deadline
            self._handle = self._loop.call_at(deadline, self._fire)
            return
        self._deadline = None
        self._callback()
