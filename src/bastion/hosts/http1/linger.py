"""Closing without destroying the last answer: shut the sending side, drain, then close.

A socket closed with unread input makes the kernel send a reset, and a reset that reaches the client
before it has read the answer destroys it: the client's next write fails, most clients give up
there, and it sees "connection reset" instead of the 503 or 413, or the upstream's 200 when the
stream broke after a request that was served (RFC 9112 §9.6; nginx's lingering close). A connection
closed while the client may still be sending therefore half-closes, reads and discards what the client
still sends, and closes when the client does, or after `LINGER_BYTES` or `LINGER_SECONDS`, whichever
comes first. Discarding costs little; the time bound is what limits a client that keeps sending.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

LINGER_SECONDS = 2.0
LINGER_BYTES = 16 * 1024 * 1024
# Connections lingering at once, per worker: a flood of refused connections (past the cap, say) must
# not hold file descriptors for two more seconds each; past this bound they close at once.
MAX_LINGERING = 256


class Lingering:
    """Takes a refused connection's input (as a `Receiver`) and drops it."""

    __slots__ = ("_budget", "_close", "_deadline", "_done")
    active = 0  # lingering connections in this process

    def __init__(self, loop: asyncio.AbstractEventLoop, close: Callable[[], None]) -> None:
        self._budget = LINGER_BYTES
        self._close = close
        self._done = False
        self._deadline = loop.call_later(LINGER_SECONDS, self._finish)
        Lingering.active += 1

    def data_received(self, data: bytes) -> None:
        self._budget -= len(data)
        if self._budget <= 0:
            self._finish()

    def eof_received(self) -> None:
        self._finish()

    def connection_lost(self) -> None:
        self._end()

    def going_away(self) -> None:
        self._finish()

    def _finish(self) -> None:
        self._end()
        self._close()

    def _end(self) -> None:
        if not self._done:
            self._done = True
            self._deadline.cancel()
            Lingering.active -= 1


def linger(
    transport: asyncio.Transport | None,
    loop: asyncio.AbstractEventLoop,
    close: Callable[[], None],
    *,
    at_once: bool = False,
) -> Lingering | None:
    """Half-close `transport` and return what drains it. None, and closed at once: when `at_once`
    (after a 408: a client too slow to send its head has had its time; lingering would hold a
    slowloris connection longer), past `MAX_LINGERING`, under TLS (no half-close) or when already
    gone."""
    if (
        at_once
        or Lingering.active >= MAX_LINGERING
        or transport is None
        or transport.is_closing()
        or not transport.can_write_eof()
    ):
        close()
        return None
    transport.write_eof()
    return Lingering(loop, close)
