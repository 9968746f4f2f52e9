"""What a handler does with a request, and what it may ask of the connection that read it.

The connection (framing, limits, timers) knows nothing of forwarding or deciding; a handler knows
nothing of parsing. The proxy forwarder and the ext-authz decision service are two handlers of the
same connection class.
"""

from __future__ import annotations

from typing import Protocol

from bastion.core.pipeline import ResponseHead
from bastion.core.request import TLSInfo
from bastion.hosts.http1.incoming import Incoming
from bastion.hosts.http1.unparsed import Unparsed


class Source(Protocol):
    """What streams to the client (an upstream connection): slowed down when the client reads slower
    than it produces, cut when the client goes away."""

    def pause_reading(self) -> None: ...

    def resume_reading(self) -> None: ...

    def abort(self) -> None: ...


class Receiver(Protocol):
    """What takes a connection's byte stream over after an upgrade (a WebSocket relay)."""

    def data_received(self, data: bytes) -> None: ...

    def eof_received(self) -> None: ...

    def connection_lost(self) -> None: ...

    def going_away(self) -> None:
        """The server is shutting down: close soon, politely."""
        ...


class Wire(Protocol):
    """The connection as a handler sees it."""

    peer: str
    scheme: str
    tls: TLSInfo | None

    @property
    def closed(self) -> bool: ...

    @property
    def draining(self) -> bool: ...

    async def read_body(self, incoming: Incoming) -> bytes: ...

    async def next_chunk(self, incoming: Incoming) -> bytes | None: ...

    async def prefetch_body(self, incoming: Incoming, size: int) -> None: ...

    async def send_response(self, incoming: Incoming, head: ResponseHead, body: bytes, *, keep: bool) -> None: ...

    async def send(self, data: bytes) -> None: ...

    def write(self, data: bytes) -> None: ...

    def couple(self, source: Source | None) -> None: ...

    def hand_over(self, incoming: Incoming, receiver: Receiver) -> bytes: ...

    def pause_reading(self) -> None: ...

    def resume_reading(self) -> None: ...

    def close(self) -> None: ...


class Handler(Protocol):
    def accepts_upgrade(self, protocol: str) -> bool:
        """Whether an upgrade to `protocol` (websocket, h2c) is this handler's to answer; the
        connection refuses any other with 501."""
        ...

    async def handle(self, wire: Wire, incoming: Incoming) -> bool:
        """Answer one request; True when the connection may carry another."""
        ...

    async def refuse_unparsed(self, wire: Wire, refusal: Unparsed) -> None:
        """Answer (and audit) a refusal made before a request existed; the connection closes after."""
        ...
