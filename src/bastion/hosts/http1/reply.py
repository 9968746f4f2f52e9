"""The `send` an exchange gets from an HTTP/1 handler: whole responses written on the connection."""

from __future__ import annotations

from bastion.core.pipeline import ResponseHead
from bastion.hosts.http1.handler import Wire
from bastion.hosts.http1.incoming import Incoming


class Reply:
    """Sends an exchange's whole responses on the connection; `keep` is decided as the exchange goes."""

    __slots__ = ("incoming", "keep", "wire")

    def __init__(self, wire: Wire, incoming: Incoming) -> None:
        self.wire = wire
        self.incoming = incoming
        self.keep = incoming.keep_alive

    async def __call__(self, head: ResponseHead, body: bytes) -> None:
        await self.wire.send_response(self.incoming, head, body, keep=self.keep)


def closing_reply(wire: Wire) -> Reply:
    """For an answer after which the connection closes (a request that could not be parsed)."""
    incoming = Incoming()
    incoming.keep_alive = False
    return Reply(wire, incoming)
