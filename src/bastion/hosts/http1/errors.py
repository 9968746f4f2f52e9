"""Why a request's body could not be read: refused by a limit, or the client went away."""

from __future__ import annotations


class BodyRefused(Exception):
    """The body broke a limit or the framing while it arrived; `status` is the answer (413, 408, 400)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class ClientGone(Exception):
    """The client closed the connection: nothing more can be sent on it."""
