"""The proxy's I/O for a WebSocket: the upgrade sent upstream on a connection of its own, the 101
passed back through the exchange, then the two byte streams handed to the relay.

The request phase has already run on the handshake (forward.py). The upstream's answer is either
a 101 that accepts exactly what was asked (websocket/handshake.py), or any other response, which
is relayed like a normal one and ends the connection. After the 101, the client connection hands
its stream over (`Wire.hand_over`) and both directions flow through `websocket.relay.Relay` with
backpressure: a client that reads slowly pauses the upstream, an upstream that reads slowly pauses
the client.
"""

from __future__ import annotations

import asyncio
import logging
from typing import cast

import httptools

from bastion.core.exchange import Exchange
from bastion.core.pipeline import ResponseHead
from bastion.core.request import Headers
from bastion.egress.hygiene import HOP_BY_HOP
from bastion.hosts.http1.framing import encode_head
from bastion.hosts.http1.handler import Wire
from bastion.hosts.http1.incoming import Incoming
from bastion.hosts.http1.reply import Reply
from bastion.hosts.proxy.upstream import ProtocolFailure, UpstreamError, UpstreamPool, UpstreamTimeout
from bastion.websocket.handshake import HandshakeError, check_answer
from bastion.websocket.relay import Relay
from bastion.websocket.service import WebSocketService

log = logging.getLogger("bastion.proxy")

_MAX_REFUSAL_BODY = 64 * 1024  # an upstream's non-101 answer to an upgrade, relayed whole
_DROP_DOWNSTREAM = HOP_BY_HOP | {"content-length", "sec-websocket-accept", "sec-websocket-protocol"}


class UpstreamTunnel(asyncio.Protocol):
    """The upstream side of one WebSocket: the answer to the upgrade, then raw bytes for the relay."""

    def __init__(self, loop: asyncio.AbstractEventLoop, max_head: int) -> None:
        self._loop = loop
        self._max_head = max_head
        self.transport: asyncio.Transport | None = None
        self._parser: httptools.HttpResponseParser | None = httptools.HttpResponseParser(self)
        self.answered: asyncio.Future[None] = loop.create_future()
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.body = bytearray()
        self._head_bytes = 0
        self._early = bytearray()  # frames that came with the 101, before the relay took over
        self.relay: Relay | None = None
        self._wire: Wire | None = None  # the client, paused while the upstream cannot take more

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's transports do not subclass asyncio's

    def data_received(self, data: bytes) -> None:
        if self.relay is not None:
            self.relay.from_upstream(data)
            return
        parser = self._parser
        if parser is None:
            self._early += data
            return
        self._head_bytes += len(data)
        try:
            parser.feed_data(data)
        except httptools.HttpParserUpgrade as upgrade:
            self._parser = None
            self._early += data[upgrade.args[0] :] if upgrade.args else b""
            self._answer()
        except httptools.HttpParserError as exc:
            self._fail(ProtocolFailure(f"malformed upstream answer to the upgrade: {exc}"))
        else:
            if not self.status and self._head_bytes > self._max_head:
                self._fail(ProtocolFailure("upstream response head too large"))

    def connection_lost(self, exc: Exception | None) -> None:
        if self.relay is not None:
            self.relay.lost("upstream")
        elif self.status and self.status != 101:
            self._answer()  # a body framed by the connection's end
        else:
            self._fail(ProtocolFailure("upstream closed the connection"))

    def pause_writing(self) -> None:
        if self._wire is not None:
            self._wire.pause_reading()

    def resume_writing(self) -> None:
        if self._wire is not None:
            self._wire.resume_reading()

    # -- llhttp callbacks ---------------------------------------------------------------------------
    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        assert self._parser is not None
        status = self._parser.get_status_code()
        if 100 <= status < 200 and status != 101:
            self.headers = []
            return
        self.status = status

    def on_body(self, body: bytes) -> None:
        room = _MAX_REFUSAL_BODY - len(self.body)
        if room > 0:
            self.body += body[:room]

    def on_message_complete(self) -> None:
        if self.status and self.status != 101:
            self._answer()

    # -- used by the proxy --------------------------------------------------------------------------
    def attach(self, relay: Relay, wire: Wire) -> None:
        self.relay, self._wire = relay, wire
        early, self._early = bytes(self._early), bytearray()
        if early:
            relay.from_upstream(early)

    def write(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    def pause_reading(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.pause_reading()

    def resume_reading(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.resume_reading()

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def _answer(self) -> None:
        if not self.answered.done():
            self.answered.set_result(None)

    def _fail(self, error: UpstreamError) -> None:
        self._parser = None
        if not self.answered.done():
            self.answered.set_exception(error)
            self.answered.exception()
        self.abort()


class ClientSide:
    """The client's stream after the 101 (the connection's `Receiver`)."""

    __slots__ = ("_relay",)

    def __init__(self, relay: Relay) -> None:
        self._relay = relay

    def data_received(self, data: bytes) -> None:
        self._relay.from_client(data)

    def eof_received(self) -> None:
        self._relay.lost("client")

    def connection_lost(self) -> None:
        self._relay.lost("client")

    def going_away(self) -> None:
        session = self._relay.session
        if session is not None:
            session.close(1001, "gateway shutting down")


async def tunnel(  # noqa: PLR0913, PLR0915  one WebSocket's life: handshake, relay both ways, close, audit, in one frame
    wire: Wire,
    incoming: Incoming,
    exchange: Exchange,
    reply: Reply,
    pool: UpstreamPool,
    service: WebSocketService,
    upstream_head: bytes,
    offered: list[str],
) -> bool:
    """Relay one WebSocket until it closes; the client connection is never reused afterwards."""
    reply.keep = False
    key = exchange.request.headers.get("sec-websocket-key") or ""
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        upstream = await pool.connect(lambda: UpstreamTunnel(loop, pool.max_head))
        upstream.write(upstream_head)
        await asyncio.wait_for(asyncio.shield(upstream.answered), pool.read_timeout)
    except TimeoutError:
        upstream.abort()
        return await _failed(exchange, UpstreamTimeout("upstream did not answer the upgrade in time"))
    except UpstreamError as error:
        return await _failed(exchange, error)
    exchange.outcome.upstream_seconds = loop.time() - started
    headers = Headers.from_raw(upstream.headers)
    if upstream.status != 101:
        upstream.close()
        kept = [(k, v) for k, v in headers if k not in _DROP_DOWNSTREAM]
        head = await exchange.settle(ResponseHead(upstream.status, kept, length=len(upstream.body)))
        await exchange.settle_body(head, bytes(upstream.body))
        exchange.close()
        return False
    try:
        subprotocol = check_answer(headers, key, offered)
    except HandshakeError as error:
        upstream.abort()
        return await _failed(exchange, ProtocolFailure(str(error)))

    answer = [("sec-websocket-accept", headers.get("sec-websocket-accept") or "")]
    if subprotocol is not None:
        answer.append(("sec-websocket-protocol", subprotocol))
    head = await exchange.upgrade(ResponseHead(101, answer), subprotocol)
    raw = encode_head(head, "1.1", length=None, keep=True, bodyless=True)
    status_line = raw.index(b"\r\n") + 2
    if wire.closed:
        upstream.close()
        exchange.close()  # upgraded, then gone: recorded as an abnormal close
        return False
    wire.write(raw[:status_line] + b"upgrade: websocket\r\nconnection: Upgrade\r\n" + raw[status_line:])

    finished: asyncio.Future[None] = loop.create_future()

    def to_client(data: bytes) -> None:
        if not wire.closed:
            wire.write(data)

    def cut() -> None:
        upstream.close()
        wire.close()
        if not finished.done():
            finished.set_result(None)

    relay = Relay(service.messages, to_client, upstream.write, cut)
    relay.session = service.open(exchange, relay, subprotocol)
    early = wire.hand_over(incoming, ClientSide(relay))
    upstream.attach(relay, wire)
    wire.couple(upstream)
    try:
        if early:
            relay.from_client(early)
        await finished
    finally:
        wire.couple(None)
        if not relay.done:
            relay.lost("gateway")
    return False


async def _failed(exchange: Exchange, error: UpstreamError) -> bool:
    log.warning("request %s: upstream failure on a WebSocket upgrade: %s", exchange.ctx.request_id, error.reason)
    await exchange.fail(error.status, error.reason)
    exchange.close()
    return False
