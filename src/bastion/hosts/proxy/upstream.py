"""A pooled keep-alive HTTP/1.1 client for the one upstream the proxy protects.

Written on asyncio protocols with llhttp (httptools) rather than aiohttp because the general-purpose
client capped the proxy at about 11k req/s on one core, against 41k for this one (measurement in
docs/architecture.md). It does only what a reverse proxy needs: one request at a time per connection,
bounded pool, timeouts, and response bodies handed to a sink as they arrive (no buffering).
"""

from __future__ import annotations

import asyncio
import collections
import socket
import ssl
from collections.abc import Callable
from typing import ClassVar, Protocol, TypeVar, cast

import httptools

from bastion.hosts.http1.timers import LazyTimer

P = TypeVar("P", bound=asyncio.BaseProtocol)


_QUICKACK = getattr(socket, "TCP_QUICKACK", None)  # Linux only


class UpstreamError(Exception):
    """The upstream could not answer; `status` is what the client gets (502, 503 or 504)."""

    status: ClassVar[int] = 502

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ConnectFailed(UpstreamError):
    status: ClassVar[int] = 502


class PoolExhausted(UpstreamError):
    status: ClassVar[int] = 503


class UpstreamTimeout(UpstreamError):
    status: ClassVar[int] = 504


class ProtocolFailure(UpstreamError):
    status: ClassVar[int] = 502


class BodySink(Protocol):
    def write(self, chunk: bytes) -> None: ...


class UpstreamResponse:
    """One response being received; body chunks wait in a buffer until a sink is attached."""

    __slots__ = (
        "_buffer",
        "_sink",
        "chunked",
        "complete",
        "done",
        "eof_framed",
        "head",
        "headers",
        "keep_alive",
        "length",
        "status",
    )

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.head: asyncio.Future[None] = loop.create_future()
        self.done: asyncio.Future[None] = loop.create_future()
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.keep_alive = False
        self.length: int | None = None
        self.chunked = False
        self.eof_framed = False  # body ends when the upstream closes the connection
        self.complete = False
        self._buffer: list[bytes] | None = []
        self._sink: BodySink | None = None

    def attach(self, sink: BodySink) -> None:
        buffered, self._buffer = self._buffer, None
        self._sink = sink
        for chunk in buffered or ():
            sink.write(chunk)

    def take_body(self) -> bytes:
        """The buffered body of a response that completed before any sink was attached."""
        buffered, self._buffer = self._buffer, None
        return b"".join(buffered or ())

    def feed(self, chunk: bytes) -> None:
        if self._sink is not None:
            self._sink.write(chunk)
        elif self._buffer is not None:
            self._buffer.append(chunk)


class UpstreamConnection(asyncio.Protocol):
    def __init__(self, pool: UpstreamPool) -> None:
        self._pool = pool
        self._loop = pool.loop
        self.transport: asyncio.Transport | None = None
        self._parser = httptools.HttpResponseParser(self)
        self._response: UpstreamResponse | None = None
        self._head_method = False
        self._head_bytes = 0  # header fields of the response head being read
        self._raw_head = 0  # raw bytes received while that head is incomplete
        self._timer = LazyTimer(self._loop, self._on_timeout)
        self._deadline = 0.0
        self._write_ready: asyncio.Future[None] | None = None
        self.closed = False
        self.reusable = False
        self.discarded = False  # the pool has stopped counting it

    # -- asyncio.Protocol -------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's transports do not subclass asyncio's

    def data_received(self, data: bytes) -> None:
        response = self._response
        if response is None:
            # Bytes nobody asked for: the connection is out of step, never reuse it.
            self._abort()
            return
        self._touch()
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserCallbackError as exc:
            cause = exc.__context__
            self._fail(cause if isinstance(cause, UpstreamError) else ProtocolFailure("malformed upstream response"))
            return
        except httptools.HttpParserError as exc:
            self._fail(ProtocolFailure(f"malformed upstream response: {exc}"))
            return
        if not response.head.done() and self._response is response:
            # Raw bytes bound a head still arriving (one endless header line calls nothing back);
            # the fields themselves are counted in on_header, whatever the reads that carried them.
            self._raw_head += len(data)
            if self._raw_head > self._pool.max_head:
                self._fail(ProtocolFailure("upstream response head too large"))
        if not response.complete:
            self._ack_now()

    def _ack_now(self) -> None:
        """Acknowledge what arrived at once while a response is incomplete.

        Servers that write a response's head and body in two writes without TCP_NODELAY (Werkzeug,
        http.server, many small frameworks) hold the body back under Nagle until the head is
        acknowledged, and Linux delays that ACK by up to 40 ms: every such response would stall.
        TCP_QUICKACK (not sticky: set again after each read) makes the kernel acknowledge at once.
        A complete response, the usual case, costs nothing.
        """
        sock = self.transport.get_extra_info("socket") if self.transport is not None else None
        if sock is not None and _QUICKACK is not None:
            try:
                sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
            except OSError:
                pass

    def eof_received(self) -> bool | None:
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.reusable = False
        self._timer.close()
        self._pool.discard(self)
        response = self._response
        if response is not None and not response.complete:
            if response.head.done() and response.eof_framed:
                self._complete(response)
            else:
                self._fail(ProtocolFailure("upstream closed the connection"))
        if self._write_ready is not None and not self._write_ready.done():
            self._write_ready.set_exception(ProtocolFailure("upstream closed the connection"))

    def pause_writing(self) -> None:
        if self._write_ready is None or self._write_ready.done():
            self._write_ready = self._loop.create_future()

    def resume_writing(self) -> None:
        if self._write_ready is not None and not self._write_ready.done():
            self._write_ready.set_result(None)

    # -- llhttp callbacks ---------------------------------------------------------------------------
    def on_header(self, name: bytes, value: bytes) -> None:
        if self._response is not None:
            self._head_bytes += len(name) + len(value) + 4
            if self._head_bytes > self._pool.max_head:
                raise ProtocolFailure("upstream response head too large")
            self._response.headers.append((name, value))

    def on_headers_complete(self) -> None:
        response = self._response
        if response is None:
            return
        status = self._parser.get_status_code()
        if 100 <= status < 200:
            # Informational answers (100, 103) are not the response: keep waiting for the real one.
            response.headers = []
            self._head_bytes = self._raw_head = 0
            return
        response.status = status
        response.keep_alive = self._parser.should_keep_alive()
        for name, value in response.headers:
            lower = name.lower()
            if lower == b"content-length":
                response.length = int(value)
            elif lower == b"transfer-encoding":
                response.chunked = True
        bodyless = self._head_method or status in (204, 304)
        response.eof_framed = not bodyless and response.length is None and not response.chunked
        response.head.set_result(None)
        if self._head_method:
            # llhttp cannot be told a response answers HEAD and would wait for Content-Length bytes;
            # the response is complete at its head, and a fresh parser reads the next one.
            self._parser = httptools.HttpResponseParser(self)
            self._complete(response)

    def on_body(self, body: bytes) -> None:
        if self._response is not None:
            self._response.feed(body)

    def on_message_complete(self) -> None:
        response = self._response
        if response is not None and response.head.done() and not response.complete:
            self._complete(response)

    # -- used by the proxy ------------------------------------------------------------------------
    def start(self, head: bytes, body: bytes | None, *, is_head: bool) -> UpstreamResponse:
        assert self.transport is not None
        response = UpstreamResponse(self._loop)
        self._response = response
        self._head_method = is_head
        self._head_bytes = self._raw_head = 0
        self.reusable = False
        self._deadline = self._loop.time() + self._pool.total_timeout
        self._touch()
        self.transport.write(head + body if body else head)
        return response

    async def write_body(self, chunk: bytes) -> None:
        assert self.transport is not None
        if self.closed:
            raise ProtocolFailure("upstream closed the connection")
        self.transport.write(chunk)
        if self._write_ready is not None and not self._write_ready.done():
            await self._write_ready

    def pause_reading(self) -> None:
        if self.transport is not None and not self.closed:
            self.transport.pause_reading()

    def resume_reading(self) -> None:
        if self.transport is not None and not self.closed:
            self.transport.resume_reading()

    def abort(self) -> None:
        self._abort()

    # -- internals --------------------------------------------------------------------------------
    def _complete(self, response: UpstreamResponse) -> None:
        response.complete = True
        self._timer.cancel()
        self._response = None
        self.reusable = response.keep_alive and not self.closed and not response.eof_framed
        if not response.done.done():
            response.done.set_result(None)

    def _fail(self, error: UpstreamError) -> None:
        response = self._response
        self._response = None
        self._timer.cancel()
        for future in (response.head, response.done) if response else ():
            if not future.done():
                future.set_exception(error)
                future.exception()  # a waiter may not exist yet: do not warn about an unread error
        self._abort()

    def _abort(self) -> None:
        self.reusable = False
        self.closed = True
        if self.transport is not None:
            self.transport.abort()

    def _touch(self) -> None:
        """Re-arm the read timeout, never beyond the exchange's total deadline."""
        self._timer.arm_at(min(self._loop.time() + self._pool.read_timeout, self._deadline))

    def _on_timeout(self) -> None:
        if self._response is not None:
            self._fail(UpstreamTimeout("upstream did not answer in time"))


class UpstreamPool:
    def __init__(  # noqa: PLR0913  built once per upstream: keyword-only timeouts and limits
        self,
        host: str,
        port: int,
        *,
        ssl_context: ssl.SSLContext | None,
        server_hostname: str | None,
        size: int,
        connect_timeout: float,
        read_timeout: float,
        total_timeout: float,
        pool_timeout: float,
        max_head: int,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        self.host, self.port = host, port
        self._ssl = ssl_context
        self._server_hostname = server_hostname
        self.size = size
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.total_timeout = total_timeout
        self.pool_timeout = pool_timeout
        self.max_head = max_head
        self.loop = loop
        self._idle: collections.deque[UpstreamConnection] = collections.deque()
        self._open = 0
        # None handed to a waiter: a slot reserved for it; a connection: that connection
        self._waiters: collections.deque[asyncio.Future[UpstreamConnection | None]] = collections.deque()
        self._closing = False

    @property
    def open_connections(self) -> int:
        return self._open

    async def acquire(self) -> UpstreamConnection:  # noqa: PLR0912  hot path: idle reuse, free slot, fair wait and deadline in one loop
        """A connection, first come first served: once anyone waits, a released connection or a freed
        slot is handed to the oldest waiter, so a burst of newcomers cannot starve it into a 503."""
        deadline: float | None = None
        while True:
            if not self._waiters:
                while self._idle:
                    conn = self._idle.pop()  # most recently used: the least likely to have timed out
                    if not conn.closed:
                        return conn
                if self._closing:
                    raise PoolExhausted("gateway is shutting down")
                if self._open < self.size:
                    self._open += 1
                    return await self._connect_reserved()
            if self._closing:
                raise PoolExhausted("gateway is shutting down")
            if deadline is None:
                deadline = self.loop.time() + self.pool_timeout
            remaining = deadline - self.loop.time()
            if remaining <= 0:
                raise PoolExhausted("all upstream connections are busy")
            waiter: asyncio.Future[UpstreamConnection | None] = self.loop.create_future()
            self._waiters.append(waiter)
            try:
                handed = await asyncio.wait_for(waiter, remaining)
            except TimeoutError:
                raise PoolExhausted("all upstream connections are busy") from None
            except BaseException:
                self._give_back(waiter)  # cancelled (the client left) after something was handed to it
                raise
            finally:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
            if handed is None:  # a slot was reserved for this waiter
                return await self._connect_reserved()
            if not handed.closed:
                return handed

    async def _connect_reserved(self) -> UpstreamConnection:
        """Open a connection in a slot already counted in `_open`."""
        try:
            return await self._connect()
        except BaseException:
            self._open -= 1
            self._wake()
            raise

    def _give_back(self, waiter: asyncio.Future[UpstreamConnection | None]) -> None:
        if not waiter.done() or waiter.cancelled():
            return
        handed = waiter.result()
        if handed is None:
            self._open -= 1
            self._wake()
        else:
            self.release(handed)

    async def _connect(self) -> UpstreamConnection:
        return await self.connect(lambda: UpstreamConnection(self))

    async def connect(self, factory: Callable[[], P]) -> P:
        """A new connection to the upstream speaking `factory`'s protocol, outside the pool (a
        WebSocket holds its connection for its whole life and must not starve requests)."""
        try:
            _, conn = await asyncio.wait_for(
                self.loop.create_connection(
                    factory,
                    self.host,
                    self.port,
                    ssl=self._ssl,
                    server_hostname=self._server_hostname if self._ssl else None,
                ),
                self.connect_timeout,
            )
        except TimeoutError:
            raise ConnectFailed("connecting to the upstream timed out") from None
        except (OSError, ssl.SSLError) as exc:
            raise ConnectFailed(f"cannot connect to the upstream: {exc.__class__.__name__}") from None
        return conn

    def release(self, conn: UpstreamConnection) -> None:
        if conn.reusable and not conn.closed and not self._closing:
            while self._waiters:
                waiter = self._waiters.popleft()
                if not waiter.done():
                    waiter.set_result(conn)  # straight to the oldest waiter
                    return
            self._idle.append(conn)
        elif not conn.closed:
            conn.abort()  # connection_lost will discard it
        else:
            self.discard(conn)

    def discard(self, conn: UpstreamConnection) -> None:
        """A connection has closed: forget it once, and let a waiter open a new one."""
        if conn.discarded:
            return
        conn.discarded = True
        self._open -= 1
        try:
            self._idle.remove(conn)
        except ValueError:
            pass
        self._wake()

    def _wake(self) -> None:
        """A slot is free: reserve it for the oldest waiter, which then opens a connection."""
        while self._waiters and self._open < self.size:
            waiter = self._waiters.popleft()
            if not waiter.done():
                self._open += 1
                waiter.set_result(None)
                return

    async def close(self) -> None:
        self._closing = True
        while self._idle:
            self._idle.pop().abort()
