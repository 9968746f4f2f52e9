"""One HTTP/1.1 client connection: parse, bound, time, and hand each request to a handler.

The parser is llhttp (httptools), which already refuses the request-smuggling shapes (Content-Length
with Transfer-Encoding, duplicate or invalid lengths, bad chunking, obsolete line folding) and
unknown methods. This module adds what the parser leaves to its user: bounds on the head (431/414),
the body (413, counted while it arrives), and time (slowloris, idle keep-alive, body stalls), and
flow control in both directions. Any protocol error answers 400-class and closes the connection;
nothing here may raise into the event loop. What to do with a request is the handler's job.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import re
from typing import cast

import httptools

from bastion.core.pipeline import ResponseHead
from bastion.core.request import TLSInfo
from bastion.hosts.http1.errors import BodyRefused, ClientGone
from bastion.hosts.http1.framing import bare_problem, encode_head
from bastion.hosts.http1.handler import Handler, Receiver, Source
from bastion.hosts.http1.head import HeadLimit, check_fields, check_request_line, upgrade_protocol
from bastion.hosts.http1.incoming import Incoming
from bastion.hosts.http1.linger import linger
from bastion.hosts.http1.state import ServerState
from bastion.hosts.http1.timers import LazyTimer
from bastion.hosts.http1.unparsed import PREVIEW, Unparsed
from bastion.hosts.tls import tls_info

log = logging.getLogger("bastion.proxy")

_HIGH_WATER = 256 * 1024
_METHOD_TOKEN = re.compile(rb"(?:^|\n)[A-Z][A-Z_-]{0,31} \S")
_UPGRADE_BUFFER = 64 * 1024  # bytes a client may send after its upgrade request before the 101


class HTTP1Connection(asyncio.Protocol):
    def __init__(self, state: ServerState, handler: Handler, loop: asyncio.AbstractEventLoop) -> None:
        self.state = state
        self.limits = state.limits
        self.handler = handler
        self.loop = loop
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpRequestParser(self)
        self.peer = ""
        self.tls: TLSInfo | None = None
        self.scheme = "http"
        self._parsing: Incoming | None = None
        self._pending: collections.deque[Incoming] = collections.deque()
        self._task: asyncio.Task[None] | None = None
        self._head_bytes = 0
        self._header_count = 0
        self._in_head = True
        self._timer = LazyTimer(loop, self._on_timeout)
        self._closed = False
        self._write_paused = False
        self._drain: asyncio.Future[None] | None = None
        self._reading_paused = False
        self._source: Source | None = None  # what is streaming to the client; paused with our writes
        self._broken = False  # a framing error: no further request can be read from this stream
        self._eof = False
        self._refusing: asyncio.Task[None] | None = None
        # Request lines are checked in the raw bytes (llhttp accepts `GET  /x  HTTP/1.1`): `_window` is the data
        # being parsed, with any head carried over; `_scan_from`, the end of the last request line checked.
        self._window = b""
        self._scan_from = 0
        self._carry = b""
        self.busy = False
        # An accepted upgrade: bytes after its head wait in `_tunnel` until a receiver takes the stream.
        self._tunnel: bytearray | None = None
        self._receiver: Receiver | None = None

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def draining(self) -> bool:
        return self.state.draining

    # -- asyncio.Protocol -------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's transports do not subclass asyncio's
        peername = transport.get_extra_info("peername")
        self.peer = peername[0] if isinstance(peername, tuple) else "127.0.0.1"
        self.tls = tls_info(transport.get_extra_info("ssl_object"))
        if self.tls is not None:
            self.scheme = "https"
        if not self.state.admit(self):
            self._answer_and_close(503, "too many connections")
            return
        self._timer.arm(self.limits.header_timeout)

    def data_received(self, data: bytes) -> None:  # noqa: PLR0912  hot path: the connection's receive state machine (tunnel, upgrade, parse errors)
        if self._receiver is not None:
            self._receiver.data_received(data)
            return
        if self._tunnel is not None:
            self._tunnel += data
            if len(self._tunnel) > _UPGRADE_BUFFER:
                self.pause_reading()
            return
        if self._closed or self._broken:
            return
        window = self._carry + data if self._carry else data
        self._window, self._scan_from = window, 0
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade as upgrade:
            self._on_upgrade(data[upgrade.args[0] :] if upgrade.args else b"")
        except httptools.HttpParserCallbackError as exc:
            cause = exc.__context__
            if isinstance(cause, HeadLimit):
                self._protocol_error(cause.status, str(cause))
            else:
                log.error("request callback failed", exc_info=cause)
                self._protocol_error(400, "malformed request")
        except httptools.HttpParserInvalidMethodError:
            # A well-formed but unknown method token (FOO) is 501; bytes that are not HTTP are 400.
            if _METHOD_TOKEN.search(data):
                self._protocol_error(501, "unknown method")
            else:
                self._protocol_error(400, "not an HTTP request")
        except httptools.HttpParserError as exc:
            self._protocol_error(400, f"malformed request: {exc}")
        else:
            if self._in_head and self._parsing is not None:
                # A coarse bound on raw bytes while a head is incomplete caps memory even when the
                # parser is accumulating one endless header line and calls nothing back.
                self._head_bytes += len(data)
                if self._head_bytes > self.limits.max_head_bytes * 2 + self.limits.max_url:
                    self._answer_and_close(431, "request head too large")
                self._carry = window[self._scan_from :]  # holds the start of the head in progress
                return
            self._head_bytes = 0
        self._carry = b""

    def eof_received(self) -> bool | None:
        """The client half-closed: finish answering what it already sent, then close."""
        self._eof = True
        if self._receiver is not None:
            self._receiver.eof_received()
            return True
        for incoming in self._pending:
            if not incoming.body_done and incoming.error is None:
                incoming.error = BodyRefused(400, "request body truncated")
                incoming.wake()
        if self._task is not None or self._pending:
            return True
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self._closed = True
        self._timer.close()
        self.state.forget(self)
        for incoming in (self._parsing, *self._pending):
            if incoming is not None and not incoming.body_done:
                incoming.error = ClientGone()
                incoming.wake()
        if self._drain is not None and not self._drain.done():
            self._drain.set_exception(ClientGone())
            self._drain.exception()
        if self._source is not None:
            self._source.abort()
        if self._receiver is not None:
            self._receiver.connection_lost()

    def pause_writing(self) -> None:
        self._write_paused = True
        if self._source is not None:
            self._source.pause_reading()

    def resume_writing(self) -> None:
        self._write_paused = False
        if self._source is not None:
            self._source.resume_reading()
        if self._drain is not None and not self._drain.done():
            self._drain.set_result(None)

    # -- llhttp callbacks ---------------------------------------------------------------------------
    def on_message_begin(self) -> None:
        self._parsing = Incoming()
        self._in_head = True
        self._header_count = 0
        if not self.busy:
            self._timer.arm(self.limits.header_timeout)

    def on_url(self, url: bytes) -> None:
        incoming = self._parsing
        assert incoming is not None
        if not incoming.url:  # the method is known: a refusal of this head (414, 431) must know HEAD
            incoming.method = self.parser.get_method().decode("ascii", "replace")
        incoming.url += url
        if len(incoming.url) > self.limits.max_url:
            raise HeadLimit(414, "request target too long")

    def on_header(self, name: bytes, value: bytes) -> None:
        incoming = self._parsing
        assert incoming is not None
        self._header_count += 1
        if self._header_count > self.limits.max_header_count:
            raise HeadLimit(431, "too many header fields")
        incoming.headers.append((name, value))

    def on_headers_complete(self) -> None:
        incoming = self._parsing
        assert incoming is not None
        self._in_head = False
        size = sum(len(n) + len(v) + 4 for n, v in incoming.headers)
        if size > self.limits.max_head_bytes:
            raise HeadLimit(431, "request header fields too large")
        parser = self.parser
        method = parser.get_method()
        incoming.method = method.decode("ascii", "replace")
        incoming.http_version = version = parser.get_http_version()
        incoming.keep_alive = parser.should_keep_alive()
        if version not in ("1.1", "1.0"):
            raise HeadLimit(505, f"HTTP/{version} in an HTTP/1 request line")
        self._scan_from = check_request_line(self._window, self._scan_from, method, incoming.url, version)
        if incoming.method == "CONNECT":
            raise HeadLimit(405, "CONNECT is not allowed")
        if parser.should_upgrade():
            # An upgrade tunnels a protocol the pipeline cannot inspect, unless the handler speaks it
            # (WebSocket, when the policy has a websocket section); h2c and the rest are refused.
            protocol = upgrade_protocol(incoming)
            if method != b"GET" or version != "1.1" or protocol is None or not self.handler.accepts_upgrade(protocol):
                raise HeadLimit(501, "protocol upgrades are not supported")
            incoming.upgrade = protocol
        check_fields(incoming, version, self.limits.max_body)
        incoming.body_deadline = self.loop.time() + self.limits.body_total_timeout
        self._pending.append(incoming)
        if len(self._pending) > 1 or self._task is not None:
            # A pipelined request: stop reading until the one in progress is answered.
            self.pause_reading()
        if self._task is None:
            self._timer.cancel()
            self.busy = True
            self._task = self.loop.create_task(self._serve_all())

    def on_body(self, body: bytes) -> None:
        incoming = self._parsing
        if incoming is None or incoming.error is not None:
            return
        incoming.body_size += len(body)
        if incoming.body_size > self.limits.max_body:
            incoming.error = BodyRefused(413, "body exceeds the limit")
            incoming.chunks.clear()
            self.pause_reading()
        else:
            incoming.chunks.append(body)
            if incoming.body_size > _HIGH_WATER and len(incoming.chunks) > 1:
                self.pause_reading()
        incoming.wake()

    def on_message_complete(self) -> None:
        incoming = self._parsing
        if incoming is not None:
            incoming.body_done = True
            incoming.wake()
        self._parsing = None
        self._in_head = True
        self._head_bytes = 0

    # -- serving ------------------------------------------------------------------------------------
    async def _serve_all(self) -> None:
        try:
            while self._pending and not self._closed:
                incoming = self._pending[0]
                keep_alive = await self.handler.handle(self, incoming)
                self._pending.popleft()
                if not keep_alive or self.state.draining or ((self._broken or self._eof) and not self._pending):
                    self._close_answered(incoming)
                    return
                self.resume_reading()
                if self._pending:  # a pipelined batch answered without waiting would starve others
                    await asyncio.sleep(0)
        except ClientGone:
            self.close()
        except Exception:
            log.exception("connection handler failed")
            self.close()
        finally:
            self._task = None
            self.busy = False
            if not self._closed and self._receiver is None:
                if self.state.draining:
                    self.close()
                else:
                    self._timer.arm(self.limits.keep_alive_timeout)

    def _close_answered(self, last: Incoming) -> None:
        """Close after the answer to `last`; a client that has not half-closed may still be sending
        (the rest of a broken stream, a request pipelined after `Connection: close`)."""
        if self._eof or self._closed:
            self.close()
        else:
            self._timer.close()
            self._linger(at_once=isinstance(last.error, BodyRefused) and last.error.status == 408)

    def _linger(self, *, at_once: bool) -> None:
        """Half-close and drain: unread input would reset the connection and destroy the last answer
        before the client reads it (linger.py). `at_once`: a 408, whose client has had its time."""
        if (receiver := linger(self.transport, self.loop, self.close, at_once=at_once)) and not self._closed:
            self._receiver = receiver
            self.resume_reading()

    # -- what a handler may ask (the Wire protocol) -----------------------------------------------
    async def read_body(self, incoming: Incoming) -> bytes:
        """Collect the whole body for inspection; the size limit applies while it arrives."""
        await self.prefetch_body(incoming, self.limits.max_body + 1)
        return incoming.take_body()

    async def next_chunk(self, incoming: Incoming) -> bytes | None:
        """The next piece of a body passed on as it arrives; None at its end."""
        self._send_continue(incoming)
        while True:
            if incoming.chunks:
                return incoming.chunks.popleft()
            if incoming.error is not None:
                raise incoming.error
            if incoming.body_done:
                return None
            self.resume_reading()
            await self._wait_body(incoming)

    async def send_response(self, incoming: Incoming, head: ResponseHead, body: bytes, *, keep: bool) -> None:
        """A whole response; `head.length` is the size a GET would carry (HEAD sends no body)."""
        head_bytes = encode_head(head, incoming.http_version, length=head.length, keep=keep)
        await self.send(head_bytes + body if body else head_bytes)

    async def send(self, data: bytes) -> None:
        self.write(data)
        if self._write_paused:
            await self.wait_drain()

    def write(self, data: bytes) -> None:
        if self._closed or self.transport is None:
            raise ClientGone()
        self.transport.write(data)

    async def wait_drain(self) -> None:
        if self._drain is None or self._drain.done():
            self._drain = self.loop.create_future()
        await self._drain

    def hand_over(self, incoming: Incoming, receiver: Receiver) -> bytes:
        """After a 101 for `incoming`'s upgrade the stream is no longer HTTP: what arrives from now on
        goes to `receiver`; returns the bytes that arrived after the upgrade request's head."""
        early, self._tunnel = bytes(self._tunnel or b""), None
        self._receiver = receiver
        self._timer.close()
        self.resume_reading()
        return early

    def couple(self, source: Source | None) -> None:
        """While `source` streams to the client, pause it whenever the client's buffer is full;
        `None` ends the coupling and lets a source paused by it read again."""
        previous, self._source = self._source, source
        if source is not None and self._write_paused:
            source.pause_reading()
        elif source is None and previous is not None and self._write_paused:
            previous.resume_reading()

    async def prefetch_body(self, incoming: Incoming, size: int) -> None:
        """Wait (within the body timeouts) for the whole body or its first `size` bytes."""
        if incoming.error is None:
            self._send_continue(incoming)
        while not incoming.body_done and incoming.body_size < size and incoming.error is None:
            self.resume_reading()
            await self._wait_body(incoming)
        if incoming.error is not None:
            raise incoming.error

    async def _wait_body(self, incoming: Incoming) -> None:  # bounded by the stall timeout and body_total
        left = incoming.body_deadline - self.loop.time()  # past it, the wait below times out at once
        incoming.waiter = self.loop.create_future()
        try:
            await asyncio.wait_for(incoming.waiter, min(self.limits.body_timeout, left))
        except TimeoutError:
            stalled = left > self.limits.body_timeout
            reason = "request body stalled" if stalled else "request body not received in time"
            incoming.error = BodyRefused(408, reason)  # kept: the close after the 408 does not linger
            raise incoming.error from None
        finally:
            incoming.waiter = None
        if incoming.error is not None:
            raise incoming.error

    def _send_continue(self, incoming: Incoming) -> None:
        if incoming.expect_continue and not incoming.continue_sent and self.transport is not None:
            incoming.continue_sent = True
            self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    # -- errors and timers --------------------------------------------------------------------------
    def _on_upgrade(self, early: bytes) -> None:
        incoming = self._pending[-1] if self._pending else None
        if incoming is not None and incoming.upgrade is not None:
            # The handler answers the upgrade; until it takes the stream, what follows waits here.
            self._tunnel = bytearray(early)
            self.pause_reading()
            self._carry = b""
        elif incoming is not None and incoming.method == "CONNECT":
            self._answer_and_close(405, "CONNECT is not allowed")
        else:
            self._answer_and_close(501, "protocol upgrades are not supported")

    def _protocol_error(self, status: int, reason: str) -> None:
        """The byte stream broke: stop parsing, answer once, close after any response in progress."""
        self._broken = True
        self.pause_reading()
        incoming = self._parsing
        if incoming is not None and incoming in self._pending and not incoming.body_done:
            # The head was accepted and is being served: its body reader reports the error.
            incoming.error = BodyRefused(status, reason)
            incoming.wake()
            return
        if self._task is not None:
            return  # answer the request in progress; the connection closes after it
        self._answer_and_close(status, reason)

    def _answer_and_close(self, status: int, reason: str) -> None:
        """Answer a request that never became a Request (bad framing, limits), audited, and close."""
        if self._closed or self.transport is None or self._refusing is not None:
            return
        if self._task is not None:
            # A response is in progress on this connection: it is finished, then the connection
            # closes (a second answer would interleave with it).
            self._broken = True
            self.pause_reading()
            return
        log.info("refused connection from %s: %d %s", self.peer, status, reason)
        self.state.count_protocol_error(status)
        self._broken = True
        self.pause_reading()
        self._timer.close()
        incoming = self._parsing
        refusal = Unparsed(
            status=status,
            reason=reason,
            peer=self.peer or "unknown",
            preview=self._window[self._scan_from : self._scan_from + PREVIEW].split(b"\n", 1)[0],
            method=incoming.method if incoming is not None else "",
            target=incoming.url[:256].decode("latin-1") if incoming is not None else "",
            recorded=self.state.refusals.take(self.peer),
        )
        self._refusing = self.loop.create_task(self._refuse(refusal))

    async def _refuse(self, refusal: Unparsed) -> None:
        try:
            await asyncio.wait_for(self.handler.refuse_unparsed(self, refusal), self.limits.header_timeout)
        except Exception:
            log.exception("refusing an unparsed request failed; answering without the response phase")
            if not self._closed and self.transport is not None:
                self.transport.write(bare_problem(refusal.status))
        finally:
            self._linger(at_once=refusal.status == 408)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._timer.close()
        if self.transport is not None:
            self.transport.close()

    def close_idle(self) -> None:
        """Shutdown: close now if between requests; a busy connection closes after its response, and
        a tunnel is told the server is going away."""
        if self._receiver is not None:
            self._receiver.going_away()
        elif not self.busy:
            self.close()

    def abort(self) -> None:
        self._closed = True
        if self.transport is not None:
            self.transport.abort()

    def pause_reading(self) -> None:
        if not self._reading_paused and self.transport is not None and not self._closed:
            self._reading_paused = True
            self.transport.pause_reading()

    def resume_reading(self) -> None:
        if self._reading_paused and self.transport is not None and not self._closed:
            self._reading_paused = False
            self.transport.resume_reading()

    def _on_timeout(self) -> None:
        """Head not received in time (slowloris: 408), or an idle keep-alive connection (close)."""
        if self.busy:
            return
        if self._parsing is not None or self._head_bytes:
            self._answer_and_close(408, "request head not received in time")
        else:
            self.close()
