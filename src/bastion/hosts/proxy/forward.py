"""The reverse proxy's handler: check each request, forward what passes, relay the answer back.

A request's life (refuse, settle the response, commit, close) is `core.exchange.Exchange`; this
module supplies the proxy's I/O: reading or streaming the request body, the upstream request head,
and relaying the upstream's response with backpressure.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bastion.core.context import Context
from bastion.core.exchange import Exchange, buffered
from bastion.core.paths import normalize_target, valid_host
from bastion.core.pipeline import ResponseHead
from bastion.core.request import Headers, Request
from bastion.core.request_id import accept_request_id
from bastion.egress.hygiene import HOP_BY_HOP
from bastion.hosts.forwarding import ClientAddressResolver, forwarded_element
from bastion.hosts.http1.errors import BodyRefused, ClientGone
from bastion.hosts.http1.framing import encode_head
from bastion.hosts.http1.handler import Wire
from bastion.hosts.http1.incoming import Incoming
from bastion.hosts.http1.reply import Reply, closing_reply
from bastion.hosts.http1.unparsed import Unparsed, refuse_unparsed
from bastion.hosts.proxy.filtered import relay_filtered
from bastion.hosts.proxy.upstream import UpstreamConnection, UpstreamError, UpstreamPool, UpstreamResponse
from bastion.websocket.handshake import offer

if TYPE_CHECKING:
    from bastion.config.upstream import UpstreamConfig
    from bastion.engine import Engine

log = logging.getLogger("bastion.proxy")

PREFETCH = 64 * 1024  # body bytes read before an upstream connection is taken for a streamed body
_HOP_BY_HOP_BYTES = frozenset(name.encode() for name in HOP_BY_HOP)
# Never passed upstream from the client: framing is redone, forwarding facts are Bastion's to state,
# and X-Bastion-* carries identity that only the gateway may assert.
_DROP_UPSTREAM = _HOP_BY_HOP_BYTES | {
    b"host",
    b"content-length",
    b"expect",
    b"x-forwarded-for",
    b"x-forwarded-proto",
    b"x-forwarded-host",
    b"forwarded",
    b"x-request-id",
    b"x-real-ip",
}
# A handshake's offer is redone: subprotocols from the allow-list, no extension (docs/websocket.md).
_WEBSOCKET_OFFER = frozenset({b"sec-websocket-protocol", b"sec-websocket-extensions"})
# Framing the proxy redoes itself on the way back to the client.
_DROP_DOWNSTREAM = HOP_BY_HOP | {"content-length"}


class UpstreamTarget:
    """Where the proxy forwards: the pool, and the Host and path prefix the upstream expects."""

    def __init__(self, config: UpstreamConfig, pool: UpstreamPool) -> None:
        parts = urlsplit(config.url)
        secure = parts.scheme == "https"
        port = parts.port or (443 if secure else 80)
        host = parts.hostname or "127.0.0.1"
        default_port = port == (443 if secure else 80)
        self.pool = pool
        self.host_header = (host if default_port else f"{host}:{port}").encode("idna")
        self.prefix = parts.path.rstrip("/").encode()


def request_of(wire: Wire, incoming: Incoming, resolver: ClientAddressResolver, body: bytes | None) -> Request:
    """The engine's Request for what the connection read."""
    headers = Headers.from_raw(incoming.headers)
    path, _, query = incoming.url.decode("latin-1").partition("?")
    client = wire.peer
    if resolver.enabled:
        client = resolver.resolve(wire.peer, headers.get_all("x-forwarded-for"))
    return Request(
        method=incoming.method,
        path=path,
        query=query,
        headers=headers,
        client=client,
        scheme=wire.scheme,
        body=body,
        tls=wire.tls,
        http_version=incoming.http_version,
        peer=wire.peer,
    )


def open_exchange(
    wire: Wire, incoming: Incoming, resolver: ClientAddressResolver, engine: Engine, body: bytes | None
) -> tuple[Exchange, Reply]:
    request = request_of(wire, incoming, resolver, body)
    reply = Reply(wire, incoming)
    ctx = Context(accept_request_id(request.headers.get("x-request-id")))
    return Exchange(engine.pipeline, request, ctx, reply, bytes_in=incoming.body_size), reply


async def refuse_body(
    wire: Wire, incoming: Incoming, resolver: ClientAddressResolver, engine: Engine, refused: BodyRefused
) -> bool:
    """A body that broke a limit: answered and recorded like any refusal, then the connection closes
    (what is left of the body would be read as the next request)."""
    exchange, reply = open_exchange(wire, incoming, resolver, engine, None)
    reply.keep = False
    await exchange.refuse_body(refused.status, refused.reason)
    exchange.close()
    return False


class Forwarder:
    def __init__(self, engine: Engine, target: UpstreamTarget, resolver: ClientAddressResolver) -> None:
        self.engine = engine  # a reload swaps it; an exchange in flight keeps the policy it started with
        self.target = target
        self.resolver = resolver

    def accepts_upgrade(self, protocol: str) -> bool:
        return protocol == "websocket" and self.engine.websocket is not None

    async def refuse_unparsed(self, wire: Wire, refusal: Unparsed) -> None:
        await refuse_unparsed(self.engine.pipeline, refusal, closing_reply(wire))

    async def handle(self, wire: Wire, incoming: Incoming) -> bool:
        engine = self.engine
        has_body = incoming.has_body
        body: bytes | None = None
        if engine.pipeline.needs_body:
            try:
                body = await wire.read_body(incoming) if has_body else b""
            except BodyRefused as refused:
                return await refuse_body(wire, incoming, self.resolver, engine, refused)
            has_body = bool(body)
        elif isinstance(incoming.error, BodyRefused):
            return await refuse_body(wire, incoming, self.resolver, engine, incoming.error)
        exchange, reply = open_exchange(wire, incoming, self.resolver, engine, body)
        if incoming.upgrade is not None:
            return await self._upgrade(wire, incoming, exchange, reply)

        decision = await exchange.check()
        if decision.refusal is not None:
            # An unread body would be parsed as the next request: close instead of draining it.
            reply.keep = incoming.keep_alive and (incoming.body_done or body is not None)
            await exchange.refuse(decision.refusal)
            exchange.close()
            return reply.keep and not wire.closed

        if body is None and has_body and not incoming.body_done:
            # Nothing of the upstream is taken before the body is whole or PREFETCH bytes of it are
            # here: a flood of slow bodies then holds client connections, not the upstream pool.
            try:
                await wire.prefetch_body(incoming, PREFETCH)
            except BodyRefused as refused:
                reply.keep = False
                await exchange.refuse_body(refused.status, refused.reason)
                exchange.close()
                return False
        if body is None and has_body and incoming.body_done and incoming.error is None:
            # The whole body is already here (the usual case for small bodies): send it in one
            # write with its length rather than re-chunking it.
            body = incoming.take_body()
        return await self._forward(wire, incoming, exchange, reply, body, has_body)

    async def _upgrade(self, wire: Wire, incoming: Incoming, exchange: Exchange, reply: Reply) -> bool:
        """A WebSocket handshake: the whole request phase, then the tunnel (tunnel.py)."""
        reply.keep = False  # refused or relayed, nothing follows an upgrade request on this connection
        service = self.engine.websocket
        assert service is not None  # accepts_upgrade() said so
        refusal = service.refusal(exchange.request.path)
        if refusal is not None:
            await exchange.refuse_for("websocket", refusal)
            exchange.close()
            return False
        decision = await exchange.check()
        if decision.refusal is not None:
            await exchange.refuse(decision.refusal)
            exchange.close()
            return False
        _, allowed = offer(exchange.request.headers, service.subprotocols)
        head = self._upstream_head(wire, incoming, exchange, incoming.method, None, False, websocket=allowed)
        from bastion.hosts.proxy.tunnel import tunnel  # noqa: PLC0415  lazy: wsproto only when a socket upgrades

        return await tunnel(wire, incoming, exchange, reply, self.target.pool, service, head, allowed)

    async def _forward(  # noqa: PLR0913  hot path: one exchange's parts passed, not bundled per request
        self, wire: Wire, incoming: Incoming, exchange: Exchange, reply: Reply, body: bytes | None, has_body: bool
    ) -> bool:
        pool = self.target.pool
        started = time.perf_counter()
        streaming = has_body and body is None
        method = exchange.pipeline.upstream_method(exchange.request)  # BASTION-22: HEAD asked as GET when inspected
        upstream_head = self._upstream_head(wire, incoming, exchange, method, body, streaming)
        try:
            conn = await pool.acquire()
        except UpstreamError as error:
            return await _failed(incoming, exchange, reply, error)
        try:
            response = conn.start(upstream_head, body, is_head=method == "HEAD")
            if streaming:
                await _stream_body(wire, incoming, conn)
            await response.head
            failure = response.done.exception() if response.done.done() else None
            if failure is not None:
                # The rest of the answer arrived with its head and was invalid (bad chunking, a reset):
                # nothing has been relayed yet, so the client can still get a 502 instead of a torn body.
                raise failure
            exchange.outcome.upstream_seconds = time.perf_counter() - started
            keep = await _relay(wire, incoming, exchange, reply, response, conn)
        except UpstreamError as error:
            pool.release(conn)
            if exchange.head_sent:
                # The head was already relayed: the client cannot be told; cut the connection.
                wire.close()
                exchange.close(upstream_error=error.reason)
                return False
            return await _failed(incoming, exchange, reply, error)
        except BodyRefused as refused:
            conn.abort()
            pool.release(conn)
            reply.keep = False
            await exchange.refuse_body(refused.status, refused.reason)
            exchange.close()
            return False
        except ClientGone:
            conn.abort()
            pool.release(conn)
            exchange.close(499)
            return False
        except BaseException:
            conn.abort()
            pool.release(conn)
            exchange.close()
            raise
        pool.release(conn)
        exchange.close()
        return keep

    def _upstream_head(  # noqa: PLR0912, PLR0913  hot path: the upstream head written in one pass over the request's headers
        self,
        wire: Wire,
        incoming: Incoming,
        exchange: Exchange,
        method: str,
        body: bytes | None,
        streaming: bool,
        *,
        websocket: list[str] | None = None,
    ) -> bytes:
        """`websocket`: the handshake of an upgrade, with these subprotocols offered and no extension."""
        target = self.target
        request = exchange.request
        out = [
            method.encode("ascii"),
            b" ",
            target.prefix,
            normalize_target(incoming.url),
            b" HTTP/1.1\r\nhost: ",
            target.host_header,
            b"\r\n",
        ]
        connection_tokens: set[bytes] = set()
        for name, value in incoming.headers:
            if name.lower() == b"connection":
                connection_tokens.update(t.strip().lower() for t in value.split(b","))
        drop = _DROP_UPSTREAM | connection_tokens if connection_tokens else _DROP_UPSTREAM
        if exchange.pipeline.inspects_responses:
            drop = drop | {b"accept-encoding"}  # inspected responses must arrive uncompressed
        if websocket is not None:
            drop = drop | _WEBSOCKET_OFFER
        trusted_chain = request.client != request.peer or self.resolver.enabled
        policy = exchange.pipeline.headers
        honoured = exchange.honoured.encode() if exchange.honoured else None
        prior_for: list[bytes] = []
        for name, value in incoming.headers:
            lower = name.lower()
            if lower in drop:
                if lower == b"x-forwarded-for" and trusted_chain:
                    prior_for.append(value)
                continue
            if not policy.forwardable_raw(lower) and lower != honoured:
                continue
            out += [name, b": ", value, b"\r\n"]
        peer = wire.peer.encode()
        forwarded_for = b", ".join([*prior_for, peer]) if prior_for else peer
        host = request.host
        out += [
            b"x-forwarded-for: ",
            forwarded_for,
            b"\r\nx-forwarded-proto: ",
            wire.scheme.encode(),
            b"\r\nforwarded: ",
            forwarded_element(request.client, wire.scheme, host).encode("latin-1"),
            b"\r\nx-request-id: ",
            exchange.ctx.request_id.encode(),
            b"\r\n",
        ]
        if host and valid_host(host):  # never a Host the gateway would not accept as one
            out += [b"x-forwarded-host: ", host.encode("latin-1"), b"\r\n"]
        for header, text in exchange.ctx.upstream_headers:
            out += [header.encode("latin-1"), b": ", text.encode("latin-1"), b"\r\n"]
        if websocket is not None:
            out.append(b"connection: Upgrade\r\nupgrade: websocket\r\n")
            if websocket:
                out += [b"sec-websocket-protocol: ", ", ".join(websocket).encode("latin-1"), b"\r\n"]
        if streaming:
            out.append(b"transfer-encoding: chunked\r\n\r\n")
        elif body:
            out.append(b"content-length: %d\r\n\r\n" % len(body))
        elif incoming.method in ("POST", "PUT", "PATCH"):
            out.append(b"content-length: 0\r\n\r\n")
        else:
            out.append(b"\r\n")
        return b"".join(out)


async def _relay(  # noqa: PLR0913  hot path: one exchange's parts passed, not bundled per request
    wire: Wire,
    incoming: Incoming,
    exchange: Exchange,
    reply: Reply,
    response: UpstreamResponse,
    conn: UpstreamConnection,
) -> bool:
    headers = [(name.decode("latin-1").lower(), value.decode("latin-1")) for name, value in response.headers]
    headers = [(k, v) for k, v in headers if k not in _DROP_DOWNSTREAM]
    keep = reply.keep = incoming.keep_alive and not wire.draining
    is_head = incoming.method == "HEAD"
    head = await exchange.settle(ResponseHead(response.status, headers, length=response.length))
    if head.stream is not None and not buffered(head):  # BASTION-22: filtered as it streams
        return await relay_filtered(wire, incoming, exchange, reply, head, response, conn)
    if buffered(head):
        limit = head.capture_original if head.replace_body is not None else head.transform_limit
        collector = _Collector(limit)
        response.attach(collector)
        await response.done
        await exchange.settle_body(head, bytes(collector.data), overflow=collector.overflow)
        return keep

    if is_head or response.status in (204, 304) or 100 <= response.status < 200:
        length = response.length if is_head else None
        await wire.send(encode_head(head, incoming.http_version, length=length, keep=keep, bodyless=True))
        if is_head and not response.complete and exchange.pipeline.upstream_method(exchange.request) != "HEAD":
            conn.abort()  # BASTION-22: the GET body asked for a HEAD is not needed: do not read it
            return keep
        await response.done
        return keep
    if response.complete:
        # The whole body came with the head (the usual case for API responses): one write, with
        # its length known even when the upstream chunked it.
        await exchange.settle_body(head, response.take_body())
        return keep
    chunked = response.length is None
    if chunked and incoming.http_version == "1.0":
        keep = False  # an HTTP/1.0 client can only learn the end of an unsized body from EOF
    await wire.send(encode_head(head, incoming.http_version, length=response.length, keep=keep))
    sink = _ChunkedSink(wire) if chunked and incoming.http_version != "1.0" else _PlainSink(wire)
    wire.couple(conn)
    try:
        response.attach(sink)
        await response.done
    finally:
        wire.couple(None)
    if isinstance(sink, _ChunkedSink):
        wire.write(b"0\r\n\r\n")
    exchange.streamed(sink.size)
    await wire.send(b"")  # wait until the client has taken what was relayed
    return keep


async def _failed(incoming: Incoming, exchange: Exchange, reply: Reply, error: UpstreamError) -> bool:
    log.warning("request %s: upstream failure: %s", exchange.ctx.request_id, error.reason)
    reply.keep = incoming.keep_alive and incoming.body_done
    await exchange.fail(error.status, error.reason)
    exchange.close()
    return reply.keep


async def _stream_body(wire: Wire, incoming: Incoming, conn: UpstreamConnection) -> None:
    """Pass the request body on as it arrives, chunk-encoded, within the size limit."""
    while (chunk := await wire.next_chunk(incoming)) is not None:
        await conn.write_body(b"%x\r\n%b\r\n" % (len(chunk), chunk))
    await conn.write_body(b"0\r\n\r\n")


class _PlainSink:
    __slots__ = ("_wire", "size")

    def __init__(self, wire: Wire) -> None:
        self._wire = wire
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if not self._wire.closed:
            self._wire.write(chunk)


class _ChunkedSink(_PlainSink):
    __slots__ = ()

    def write(self, chunk: bytes) -> None:
        if chunk:
            self.size += len(chunk)
            if not self._wire.closed:
                self._wire.write(b"%x\r\n%b\r\n" % (len(chunk), chunk))


class _Collector:
    __slots__ = ("_limit", "data", "overflow")

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self.data = bytearray()
        self.overflow = False

    def write(self, chunk: bytes) -> None:
        room = self._limit - len(self.data)
        if room > 0:
            self.data += chunk[:room]
        if len(chunk) > room:
            self.overflow = True
