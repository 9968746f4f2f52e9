"""Closing after a refusal without destroying it: shut the sending side, drain, then close.

A socket closed with unread input makes the kernel send a reset, and a reset that reaches the client
before it has read the refusal destroys the refusal: the client sees "connection reset" instead of
the 503 or 413 (RFC 9112 §9.6; nginx's lingering close). After a refusal the connection therefore
half-closes, reads and discards what the client still sends, and closes when the client does, or
after `LINGER_BYTES` or `LINGER_SECONDS`, whichever comes first. Discarding costs little; the time
bound is what limits a client that keeps sending.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

LINGER_SECONDS = 2.0
LINGER_BYTES = 16 * 1024 * 1024


class Lingering:
    """Takes a refused connection's input (as a `Receiver`) and drops it."""

    __slots__ = ("_budget", "_close", "_deadline")

    def __init__(self, loop: asyncio.AbstractEventLoop, close: Callable[[], None]) -> None:
        self._budget = LINGER_BYTES
        self._close = close
        self._deadline = loop.call_later(LINGER_SECONDS, close)

    def data_received(self, data: bytes) -> None:
        self._budget -= len(data)
        if self._budget <= 0:
            self._finish()

    def eof_received(self) -> None:
        self._finish()

    def connection_lost(self) -> None:
        self._deadline.cancel()

    def going_away(self) -> None:
        self._finish()

    def _finish(self) -> None:
        self._deadline.cancel()
        self._close()


def linger(
    transport: asyncio.Transport | None, loop: asyncio.AbstractEventLoop, close: Callable[[], None], status: int
) -> Lingering | None:
    """Half-close `transport` after a refusal with `status` and return what drains it. None, and
    closed at once: after a 408 (a client too slow to send its head has had its time; lingering
    would hold a slowloris connection longer), under TLS (no half-close) or when already gone."""
    if status == 408 or transport is None or transport.is_closing() or not transport.can_write_eof():
        close()
        return None
    transport.write_eof()
    return Lingering(loop, close)
