"""The reverse-proxy host (`bastion serve`): listeners, connection bookkeeping, graceful shutdown."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import ssl
from collections.abc import Callable
from typing import cast
from urllib.parse import urlsplit

import httptools

from bastion.engine import Engine
from bastion.hosts.extauthz import DecisionService
from bastion.hosts.forwarding import ClientAddressResolver
from bastion.hosts.http1.connection import HTTP1Connection
from bastion.hosts.http1.state import Limits, ServerState
from bastion.hosts.proxy.forward import Forwarder, UpstreamTarget
from bastion.hosts.proxy.upstream import UpstreamPool
from bastion.hosts.tls import client_context, server_context

log = logging.getLogger("bastion.proxy")


class ProxyServer:
    """Listeners and lifecycle of `bastion serve`; each connection gets the mode's handler."""

    def __init__(self, engine: Engine, loop: asyncio.AbstractEventLoop) -> None:
        config = engine.config
        self.mode = config.mode
        if config.upstream is None and self.mode == "proxy":
            raise ValueError("upstream.url is required to run the reverse proxy (or pass --upstream)")
        self.loop = loop
        self.engine = engine
        self.state = ServerState(Limits.of(config))
        self.drain_timeout = config.listen.timeouts.drain
        resolver = ClientAddressResolver(config.listen.trusted_proxies)
        self._servers: list[asyncio.AbstractServer] = []
        self.pool: UpstreamPool | None = None
        self.handler: Forwarder | DecisionService
        if config.upstream is None or self.mode != "proxy":
            self.handler = DecisionService(engine, resolver)  # the decision service forwards nothing
            return
        upstream = config.upstream
        parts = urlsplit(upstream.url)
        host = parts.hostname or "127.0.0.1"
        secure = parts.scheme == "https"
        self.pool = UpstreamPool(
            host,
            parts.port or (443 if secure else 80),
            ssl_context=client_context() if secure else None,
            server_hostname=host,
            size=upstream.pool_size,
            connect_timeout=upstream.timeouts.connect,
            read_timeout=upstream.timeouts.read,
            total_timeout=upstream.timeouts.total,
            pool_timeout=upstream.timeouts.pool,
            max_head=upstream.max_response_headers,
            loop=loop,
        )
        self.handler = Forwarder(engine, UpstreamTarget(upstream, self.pool), resolver)

    @property
    def draining(self) -> bool:
        return self.state.draining

    async def start(self, sockets: list[socket.socket] | None = None) -> list[tuple[str, int]]:
        """Listen; `sockets` are inherited from a parent process when several workers share them."""
        listen = self.engine.config.listen
        ssl_context: ssl.SSLContext | None = server_context(listen.tls) if listen.tls else None
        await self.engine.start()
        factory: Callable[[], asyncio.Protocol] = lambda: HTTP1Connection(self.state, self.handler, self.loop)  # noqa: E731
        if sockets:
            main = await self.loop.create_server(factory, sock=sockets[0], ssl=ssl_context, backlog=listen.backlog)
        else:
            main = await self.loop.create_server(
                factory, listen.host, listen.port, ssl=ssl_context, backlog=listen.backlog, reuse_address=True
            )
        self._servers.append(main)
        if listen.tls and listen.tls.redirect_http_port:
            https_port = _bound_address(main)[1]
            redirect_factory: Callable[[], asyncio.Protocol] = lambda: _RedirectToHTTPS(https_port)  # noqa: E731
            if sockets and len(sockets) > 1:
                redirect = await self.loop.create_server(redirect_factory, sock=sockets[1])
            else:
                redirect = await self.loop.create_server(
                    redirect_factory, listen.host, listen.tls.redirect_http_port, reuse_address=True
                )
            self._servers.append(redirect)
        return [_bound_address(s) for s in self._servers]

    def swap_engine(self, engine: Engine) -> Engine:
        """Hot reload: new requests use the new policy; requests in flight keep theirs."""
        old, self.engine = self.engine, engine
        self.handler.engine = engine
        return old

    async def shutdown(self) -> None:
        """Stop accepting, let in-flight requests finish within the drain timeout, then close."""
        if self.state.draining:
            return
        for server in self._servers:
            server.close()
        if not await self.state.drain(self.drain_timeout):
            log.warning("drain timeout: closing %d connection(s) with requests in flight", len(self.state.connections))
        self.state.abort_all()
        if self.pool is not None:
            await self.pool.close()
        await self.engine.stop()

    async def serve_until_signal(self, on_drain: Callable[[], None] | None = None) -> None:
        """Run until SIGTERM or SIGINT, then shut down gracefully."""
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            self.loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        log.info("shutting down: draining in-flight requests")
        if on_drain is not None:
            on_drain()  # readiness turns 503 so load balancers stop sending
        await self.shutdown()


def _bound_address(server: asyncio.AbstractServer) -> tuple[str, int]:
    # uvloop's Server is not an asyncio.Server subclass but has the same `sockets` attribute.
    sockets: list[socket.socket] = list(getattr(server, "sockets", None) or [])
    host, port = sockets[0].getsockname()[:2]
    return str(host), int(port)


class _RedirectToHTTPS(asyncio.Protocol):
    """Plain-HTTP listener that only ever redirects to HTTPS; it forwards nothing."""

    def __init__(self, https_port: int) -> None:
        self._port = https_port
        self._host = b""
        self._url = b""
        self._parser = httptools.HttpRequestParser(self)
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)  # uvloop's transports do not subclass asyncio's

    def data_received(self, data: bytes) -> None:
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError:
            self._reply(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")

    def on_url(self, url: bytes) -> None:
        if len(self._url) < 8192:
            self._url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        if name.lower() == b"host":
            self._host = value

    def on_message_complete(self) -> None:
        host = self._host.split(b":")[0]
        if not host or not all(c in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-" for c in host):
            self._reply(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            return
        port = b"" if self._port == 443 else b":%d" % self._port
        location = b"https://" + host + port + (self._url if self._url.startswith(b"/") else b"/")
        self._reply(
            b"HTTP/1.1 308 Permanent Redirect\r\nlocation: " + location + b"\r\ncontent-length: 0\r\n"
            b"connection: close\r\n\r\n"
        )

    def _reply(self, data: bytes) -> None:
        if self._transport is not None and not self._transport.is_closing():
            self._transport.write(data)
            self._transport.close()
