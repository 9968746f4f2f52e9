"""A request as the connection read it: its head, and its body as it arrives."""

from __future__ import annotations

import asyncio
import collections

from bastion.hosts.http1.errors import BodyRefused, ClientGone


class Incoming:
    """The head is complete when a handler sees it; body chunks arrive through the connection."""

    __slots__ = (
        "body_deadline",
        "body_done",
        "body_size",
        "chunks",
        "continue_sent",
        "error",
        "expect_continue",
        "headers",
        "http_version",
        "keep_alive",
        "method",
        "upgrade",
        "url",
        "waiter",
    )

    def __init__(self) -> None:
        self.method = ""
        self.url = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.http_version = "1.1"
        self.keep_alive = True
        self.chunks: collections.deque[bytes] = collections.deque()
        self.body_size = 0
        self.body_done = False
        self.body_deadline = 0.0  # loop time by which the whole body must have arrived
        self.error: BodyRefused | ClientGone | None = None
        self.waiter: asyncio.Future[None] | None = None
        self.expect_continue = False
        self.continue_sent = False
        self.upgrade: str | None = None  # the protocol an accepted upgrade asks for (websocket)

    @property
    def has_body(self) -> bool:
        """A body was announced or has (partly) arrived; False for a complete empty body."""
        return self.body_size > 0 or not self.body_done or self.error is not None

    def wake(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    def take_body(self) -> bytes:
        """What has arrived so far, removed from the buffer."""
        body = b"".join(self.chunks)
        self.chunks.clear()
        return body
