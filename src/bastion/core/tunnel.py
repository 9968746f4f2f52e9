"""What the audit trail records about a WebSocket: its upgrade, a refused message, its close."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from bastion.core.request import Request

TunnelEvent = Literal["upgrade", "message", "close"]


@dataclass(slots=True)
class TunnelRecord:
    """Carried by an exchange's `Outcome` when the exchange became a WebSocket.

    `messages_*` and `bytes_*` count data messages and their payload bytes, `in` from the client
    to the upstream, `out` back; a message event counts the one message it is about.
    """

    event: TunnelEvent
    subprotocol: str | None = None
    duration: float = 0.0
    messages_in: int = 0
    messages_out: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    code: int | None = None  # the close code sent, or received from the side that closed
    reason: str = ""
    closed_by: str | None = None  # client, upstream or gateway
    size: int | None = None  # a message event: the message's size in bytes

    def as_event(self) -> dict[str, Any]:
        event: dict[str, Any] = {"event": self.event, "subprotocol": self.subprotocol}
        if self.event == "message":
            event.update(size=self.size, code=self.code)
        elif self.event == "close":
            event.update(
                duration_ms=round(self.duration * 1000, 3),
                messages_in=self.messages_in,
                messages_out=self.messages_out,
                bytes_in=self.bytes_in,
                bytes_out=self.bytes_out,
                code=self.code,
                reason=self.reason[:123],
                closed_by=self.closed_by,
            )
        return event


def websocket_upgrade(request: Request) -> bool:
    """The request asks to become a WebSocket (`Upgrade: websocket` with `Connection: upgrade`): the
    handshake, whose messages are inspected one by one later, not a GraphQL call or a body."""
    upgrade = request.headers.get("upgrade")
    if upgrade is None or upgrade.strip().lower() != "websocket":
        return False
    return any(
        token.strip().lower() == "upgrade"
        for value in request.headers.get_all("connection")
        for token in value.split(",")
    )
