"""One client connection of the reverse proxy: parse, check, forward, stream back.

The parser is llhttp (httptools), which already refuses the request-smuggling shapes (Content-Length
with Transfer-Encoding, duplicate or invalid lengths, bad chunking, obsolete line folding) and
unknown methods. This module adds what the parser leaves to its user: bounds on the head (431/414),
the body (413, counted while it arrives), and time (slowloris, idle keep-alive, body stalls).
Any protocol error answers 400-class and closes the connection; nothing here may raise into the
event loop.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import re
import time
from http import HTTPStatus
from typing import TYPE_CHECKING, cast

import httptools

from bastion.core.context import Context
from bastion.core.pipeline import Outcome, ResponseHead, StreamCut
from bastion.core.problem import CONTENT_TYPE, problem_body
from bastion.core.request import Headers, Request, TLSInfo
from bastion.core.request_id import accept_request_id, new_request_id
from bastion.core.verdict import Finding, Verdict
from bastion.egress.hygiene import HOP_BY_HOP
from bastion.hosts.forwarding import forwarded_element
from bastion.hosts.proxy.filtered import FilteredSink
from bastion.hosts.proxy.timers import LazyTimer
from bastion.hosts.proxy.upstream import UpstreamConnection, UpstreamError, UpstreamResponse

if TYPE_CHECKING:
    from bastion.core.pipeline import Pipeline
    from bastion.hosts.proxy.server import ProxyServer

log = logging.getLogger("bastion.proxy")

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
# Framing the proxy redoes itself on the way back to the client.
_DROP_DOWNSTREAM = HOP_BY_HOP | {"content-length"}
_REASONS = {s.value: s.phrase.encode() for s in HTTPStatus}
_HIGH_WATER = 256 * 1024
_METHOD_TOKEN = re.compile(rb"(?:^|\n)[A-Z][A-Z_-]{0,31} \S")


class _HeadLimit(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


class _ClientGone(Exception):
    pass


class _BodyRefused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


class Exchange:
    """A request read from the client; its body arrives through `feed` and is read with `read`."""

    __slots__ = (
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
        self.error: _BodyRefused | _ClientGone | None = None
        self.waiter: asyncio.Future[None] | None = None
        self.expect_continue = False
        self.continue_sent = False

    def wake(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)


class ClientConnection(asyncio.Protocol):
    def __init__(self, server: ProxyServer) -> None:
        self.server = server
        self.loop = server.loop
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpRequestParser(self)
        self.peer = ""
        self.tls: TLSInfo | None = None
        self.scheme = "http"
        self._parsing: Exchange | None = None
        self._pending: collections.deque[Exchange] = collections.deque()
        self._task: asyncio.Task[None] | None = None
        self._head_bytes = 0
        self._header_count = 0
        self._in_head = True
        self._timer = LazyTimer(self.loop, self._on_timeout)
        self._closed = False
        self._write_paused = False
        self._drain: asyncio.Future[None] | None = None
        self._reading_paused = False
        self._upstream: UpstreamConnection | None = None  # streaming from it; paused with our writes
        self._head_sent = False
        self._broken = False  # a framing error: no further request can be read from this stream
        self._eof = False
        self.busy = False

    # -- asyncio.Protocol -------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's transports do not subclass asyncio's
        peername = transport.get_extra_info("peername")
        self.peer = peername[0] if isinstance(peername, tuple) else "127.0.0.1"
        ssl_object = transport.get_extra_info("ssl_object")
        if ssl_object is not None:
            self.scheme = "https"
            cipher = ssl_object.cipher()
            self.tls = TLSInfo(
                version=ssl_object.version(),
                cipher=cipher[0] if cipher else None,
                peer_cert=ssl_object.getpeercert(binary_form=True),
            )
        if not self.server.admit(self):
            self._answer_and_close(503, "too many connections")
            return
        self._timer.arm(self.server.header_timeout)

    def data_received(self, data: bytes) -> None:
        if self._closed or self._broken:
            return
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._on_upgrade()
        except httptools.HttpParserCallbackError as exc:
            cause = exc.__context__
            if isinstance(cause, _HeadLimit):
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
                if self._head_bytes > self.server.max_head_bytes * 2 + self.server.max_url:
                    self._answer_and_close(431, "request head too large")
            else:
                self._head_bytes = 0

    def eof_received(self) -> bool | None:
        """The client half-closed: finish answering what it already sent, then close."""
        self._eof = True
        for exchange in self._pending:
            if not exchange.body_done and exchange.error is None:
                exchange.error = _BodyRefused(400, "request body truncated")
                exchange.wake()
        if self._task is not None or self._pending:
            return True
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self._closed = True
        self._timer.close()
        self.server.forget(self)
        for exchange in (self._parsing, *self._pending):
            if exchange is not None and not exchange.body_done:
                exchange.error = _ClientGone()
                exchange.wake()
        if self._drain is not None and not self._drain.done():
            self._drain.set_exception(_ClientGone())
            self._drain.exception()
        if self._upstream is not None:
            self._upstream.abort()

    def pause_writing(self) -> None:
        self._write_paused = True
        if self._upstream is not None:
            self._upstream.pause_reading()

    def resume_writing(self) -> None:
        self._write_paused = False
        if self._upstream is not None:
            self._upstream.resume_reading()
        if self._drain is not None and not self._drain.done():
            self._drain.set_result(None)

    # -- llhttp callbacks ---------------------------------------------------------------------------
    def on_message_begin(self) -> None:
        self._parsing = Exchange()
        self._in_head = True
        self._header_count = 0
        if not self.busy:
            self._timer.arm(self.server.header_timeout)

    def on_url(self, url: bytes) -> None:
        exchange = self._parsing
        assert exchange is not None
        exchange.url += url
        if len(exchange.url) > self.server.max_url:
            raise _HeadLimit(414, "request target too long")

    def on_header(self, name: bytes, value: bytes) -> None:
        exchange = self._parsing
        assert exchange is not None
        self._header_count += 1
        if self._header_count > self.server.max_header_count:
            raise _HeadLimit(431, "too many header fields")
        exchange.headers.append((name, value))

    def on_headers_complete(self) -> None:
        exchange = self._parsing
        assert exchange is not None
        self._in_head = False
        size = sum(len(n) + len(v) + 4 for n, v in exchange.headers)
        if size > self.server.max_head_bytes:
            raise _HeadLimit(431, "request header fields too large")
        parser = self.parser
        exchange.method = parser.get_method().decode("ascii", "replace")
        exchange.http_version = parser.get_http_version()
        exchange.keep_alive = parser.should_keep_alive()
        if exchange.method == "CONNECT":
            raise _HeadLimit(405, "CONNECT is not allowed")
        if parser.should_upgrade():
            # Upgrades (WebSocket, h2c) would tunnel a protocol the pipeline cannot inspect.
            raise _HeadLimit(501, "protocol upgrades are not supported")
        for name, value in exchange.headers:
            lower = name.lower()
            if lower == b"content-length":
                if int(value) > self.server.max_body:
                    exchange.error = _BodyRefused(413, "declared body exceeds the limit")
            elif lower == b"expect" and value.lower() == b"100-continue":
                exchange.expect_continue = True
        self._pending.append(exchange)
        if len(self._pending) > 1 or self._task is not None:
            # A pipelined request: stop reading until the one in progress is answered.
            self._pause_reading()
        if self._task is None:
            self._timer.cancel()
            self.busy = True
            self._task = self.loop.create_task(self._serve_all())

    def on_body(self, body: bytes) -> None:
        exchange = self._parsing
        if exchange is None or exchange.error is not None:
            return
        exchange.body_size += len(body)
        if exchange.body_size > self.server.max_body:
            exchange.error = _BodyRefused(413, "body exceeds the limit")
            exchange.chunks.clear()
            self._pause_reading()
        else:
            exchange.chunks.append(body)
            if exchange.body_size > _HIGH_WATER and len(exchange.chunks) > 1:
                self._pause_reading()
        exchange.wake()

    def on_message_complete(self) -> None:
        exchange = self._parsing
        if exchange is not None:
            exchange.body_done = True
            exchange.wake()
        self._parsing = None
        self._in_head = True
        self._head_bytes = 0

    # -- serving ------------------------------------------------------------------------------------
    async def _serve_all(self) -> None:
        try:
            while self._pending and not self._closed:
                exchange = self._pending[0]
                keep_alive = await self._serve(exchange)
                self._pending.popleft()
                if not keep_alive or self.server.draining or ((self._broken or self._eof) and not self._pending):
                    self._close()
                    return
                self._resume_reading()
        except _ClientGone:
            self._close()
        except Exception:
            log.exception("connection handler failed")
            self._close()
        finally:
            self._task = None
            self.busy = False
            if not self._closed:
                if self.server.draining:
                    self._close()
                else:
                    self._timer.arm(self.server.keep_alive_timeout)

    async def _serve(self, exchange: Exchange) -> bool:
        """Handle one exchange; True when the connection may carry another request."""
        server = self.server
        self._head_sent = False
        engine = server.engine  # a reload swaps server.engine; this exchange keeps its policy
        pipeline = engine.pipeline
        raw_headers = exchange.headers
        headers = Headers.from_raw(raw_headers)
        url = exchange.url.decode("latin-1")
        path, _, query = url.partition("?")
        client = self.peer
        if server.client_resolver.enabled:
            client = server.client_resolver.resolve(self.peer, headers.get_all("x-forwarded-for"))
        ctx = Context(accept_request_id(headers.get("x-request-id")))
        has_body = exchange.body_size > 0 or not exchange.body_done or exchange.error is not None
        body: bytes | None = None
        if pipeline.needs_body and has_body:
            try:
                body = await self._read_body(exchange)
            except _BodyRefused as refused:
                request = self._request(exchange, path, query, headers, client, None)
                return await self._refuse_local(exchange, request, ctx, pipeline, refused.status, str(refused))
            except _ClientGone:
                return False
            has_body = bool(body)
        elif pipeline.needs_body:
            body = b""
        request = self._request(exchange, path, query, headers, client, body)
        if exchange.error is not None and isinstance(exchange.error, _BodyRefused):
            error = exchange.error
            return await self._refuse_local(exchange, request, ctx, pipeline, error.status, str(error))

        decision = await pipeline.check(request, ctx)
        if decision.refusal is not None:
            head, problem = pipeline.refusal(request, ctx, decision.refusal)
            # An unread body would be parsed as the next request: close instead of draining it.
            keep = exchange.keep_alive and (exchange.body_done or body is not None)
            outcome = Outcome(head.status, exchange.body_size, len(problem))
            if pipeline.commits:
                await pipeline.commit(request, ctx, outcome)
            await self._send_local(exchange, head, problem, keep)
            pipeline.finish(request, ctx, outcome)
            return keep and not self._closed

        if body is None and has_body and exchange.body_done and exchange.error is None:
            # The whole body is already here (the usual case for small bodies): send it in one
            # write with its length rather than re-chunking it.
            body = b"".join(exchange.chunks)
            exchange.chunks.clear()
        return await self._forward(exchange, request, ctx, pipeline, body, has_body)

    def _request(
        self, exchange: Exchange, path: str, query: str, headers: Headers, client: str, body: bytes | None
    ) -> Request:
        return Request(
            method=exchange.method,
            path=path,
            query=query,
            headers=headers,
            client=client,
            scheme=self.scheme,
            body=body,
            tls=self.tls,
            http_version=exchange.http_version,
            peer=self.peer,
        )

    async def _forward(
        self,
        exchange: Exchange,
        request: Request,
        ctx: Context,
        pipeline: Pipeline,
        body: bytes | None,
        has_body: bool,
    ) -> bool:
        server = self.server
        pool = server.pool
        assert pool is not None  # the reverse proxy always has one; the decision service never forwards
        upstream_started = time.perf_counter()
        streaming = has_body and body is None
        method = pipeline.upstream_method(request)  # BASTION-22: HEAD is asked as GET when responses are inspected
        head = self._upstream_head(exchange, method, request, ctx, body, streaming, pipeline.inspects_responses)
        try:
            conn = await pool.acquire()
        except UpstreamError as error:
            return await self._upstream_failed(exchange, request, ctx, pipeline, error)
        response: UpstreamResponse | None = None
        outcome = Outcome(0, exchange.body_size)
        try:
            response = conn.start(head, body, is_head=method == "HEAD")
            if streaming:
                await self._stream_body(exchange, conn)
            await response.head
            outcome.upstream_seconds = time.perf_counter() - upstream_started
            keep = await self._relay(exchange, request, ctx, pipeline, response, conn, outcome)
        except UpstreamError as error:
            pool.release(conn)
            if self._head_sent:
                # The head was already relayed: the client cannot be told; cut the connection.
                self._close()
                outcome.upstream_error = error.reason
                pipeline.finish(request, ctx, outcome)
                return False
            return await self._upstream_failed(exchange, request, ctx, pipeline, error)
        except _BodyRefused as refused:
            conn.abort()
            pool.release(conn)
            return await self._refuse_local(exchange, request, ctx, pipeline, refused.status, str(refused))
        except _ClientGone:
            conn.abort()
            pool.release(conn)
            outcome.status = 499
            pipeline.finish(request, ctx, outcome)
            return False
        except BaseException:
            conn.abort()
            pool.release(conn)
            raise
        pool.release(conn)
        pipeline.finish(request, ctx, outcome)
        return keep

    def _upstream_head(
        self,
        exchange: Exchange,
        method: str,
        request: Request,
        ctx: Context,
        body: bytes | None,
        streaming: bool,
        pipeline_inspects: bool,
    ) -> bytes:
        server = self.server
        out = [
            method.encode("ascii"),
            b" ",
            server.upstream_prefix,
            exchange.url,
            b" HTTP/1.1\r\nhost: ",
            server.upstream_host_header,
            b"\r\n",
        ]
        connection_tokens: set[bytes] = set()
        for name, value in exchange.headers:
            if name.lower() == b"connection":
                connection_tokens.update(t.strip().lower() for t in value.split(b","))
        drop = _DROP_UPSTREAM | connection_tokens if connection_tokens else _DROP_UPSTREAM
        if pipeline_inspects:
            drop = drop | {b"accept-encoding"}  # inspected responses must arrive uncompressed
        trusted_chain = request.client != request.peer or server.client_resolver.enabled
        prior_for: list[bytes] = []
        for name, value in exchange.headers:
            lower = name.lower()
            if lower in drop or lower.startswith(b"x-bastion-"):
                if lower == b"x-forwarded-for" and trusted_chain:
                    prior_for.append(value)
                continue
            out += [name, b": ", value, b"\r\n"]
        forwarded_for = b", ".join([*prior_for, self.peer.encode()]) if prior_for else self.peer.encode()
        host = request.host
        out += [
            b"x-forwarded-for: ",
            forwarded_for,
            b"\r\n",
            b"x-forwarded-proto: ",
            self.scheme.encode(),
            b"\r\n",
            b"forwarded: ",
            forwarded_element(request.client, self.scheme, host).encode("latin-1"),
            b"\r\n",
            b"x-request-id: ",
            ctx.request_id.encode(),
            b"\r\n",
        ]
        if host:
            out += [b"x-forwarded-host: ", host.encode("latin-1"), b"\r\n"]
        for name, value in ctx.extras.get("upstream_headers", ()):
            out += [name.encode("latin-1"), b": ", value.encode("latin-1"), b"\r\n"]
        if streaming:
            out.append(b"transfer-encoding: chunked\r\n\r\n")
        elif body:
            out.append(b"content-length: %d\r\n\r\n" % len(body))
        elif exchange.method in ("POST", "PUT", "PATCH"):
            out.append(b"content-length: 0\r\n\r\n")
        else:
            out.append(b"\r\n")
        return b"".join(out)

    async def _stream_body(self, exchange: Exchange, conn: UpstreamConnection) -> None:
        """Pass the request body on as it arrives, chunk-encoded, within the size limit."""
        self._send_continue(exchange)
        while True:
            while exchange.chunks:
                chunk = exchange.chunks.popleft()
                await conn.write_body(b"%x\r\n%b\r\n" % (len(chunk), chunk))
            if exchange.error is not None:
                raise exchange.error
            if exchange.body_done:
                await conn.write_body(b"0\r\n\r\n")
                return
            self._resume_reading()
            await self._wait_body(exchange)

    async def _read_body(self, exchange: Exchange) -> bytes:
        """Collect the whole body for inspection; the size limit applies while it arrives."""
        if exchange.error is not None:
            raise exchange.error
        self._send_continue(exchange)
        while not exchange.body_done:
            self._resume_reading()
            await self._wait_body(exchange)
            if exchange.error is not None:
                raise exchange.error
        body = b"".join(exchange.chunks)
        exchange.chunks.clear()
        return body

    async def _wait_body(self, exchange: Exchange) -> None:
        exchange.waiter = self.loop.create_future()
        try:
            await asyncio.wait_for(exchange.waiter, self.server.body_timeout)
        except TimeoutError:
            raise _BodyRefused(408, "request body stalled") from None
        finally:
            exchange.waiter = None
        if exchange.error is not None:
            raise exchange.error

    def _send_continue(self, exchange: Exchange) -> None:
        if exchange.expect_continue and not exchange.continue_sent and self.transport is not None:
            exchange.continue_sent = True
            self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    async def _relay(
        self,
        exchange: Exchange,
        request: Request,
        ctx: Context,
        pipeline: Pipeline,
        response: UpstreamResponse,
        conn: UpstreamConnection,
        outcome: Outcome,
    ) -> bool:
        headers = [(name.decode("latin-1").lower(), value.decode("latin-1")) for name, value in response.headers]
        headers = [(k, v) for k, v in headers if k not in _DROP_DOWNSTREAM]
        head = pipeline.respond(request, ctx, ResponseHead(response.status, headers, length=response.length))

        head.headers.extend(ctx.response_headers)
        outcome.status = head.status
        if pipeline.commits:
            outcome.bytes_out = response.length or 0
            await pipeline.commit(request, ctx, outcome)
        is_head = exchange.method == "HEAD"
        asked_get = is_head and pipeline.upstream_method(request) != "HEAD"  # BASTION-22
        keep = exchange.keep_alive and not self.server.draining

        if head.stream is not None and head.replace_body is None:
            return await self._relay_stream(exchange, ctx, pipeline, request, head, response, conn, outcome, keep)
        if head.replace_body is not None or head.transforms:
            limit = head.capture_original if head.replace_body is not None else head.transform_limit
            collector = _Collector(limit)
            response.attach(collector)
            await response.done
            if head.replace_body is not None:
                body = head.replace_body
                if collector.data:
                    log.warning(
                        "upstream answered %d to request %s; body hidden from the client: %s",
                        response.status,
                        ctx.request_id,
                        head.hidden_excerpt(bytes(collector.data)),
                    )
            else:
                if collector.overflow:
                    raise UpstreamError("upstream response too large to inspect")
                body = head.transform(bytes(collector.data))
            head_bytes = self._encode_head(head, exchange, length=len(body), keep=keep)
            await self._send(head_bytes if is_head else head_bytes + body)
            outcome.status = head.status
            outcome.bytes_out = len(body)
            return keep

        bodyless = is_head or response.status in (204, 304) or 100 <= response.status < 200
        if bodyless:
            length: int | None = response.length if is_head else None
            await self._send(self._encode_head(head, exchange, length=length, keep=keep, bodyless=True))
            if asked_get and not response.complete:
                conn.abort()  # BASTION-22: the GET body asked for a HEAD is not needed: do not read it
                return keep
            await response.done
            return keep
        if response.complete:
            # The whole body came with the head (the usual case for API responses): one write, with
            # its length known even when the upstream chunked it.
            body = response.take_body()
            await self._send(self._encode_head(head, exchange, length=len(body), keep=keep) + body)
            outcome.bytes_out = len(body)
            return keep
        chunked = response.length is None
        if chunked and exchange.http_version == "1.0":
            keep = False  # an HTTP/1.0 client can only learn the end of an unsized body from EOF
        await self._send(self._encode_head(head, exchange, length=response.length, keep=keep))
        sink = _ChunkedSink(self) if chunked and exchange.http_version != "1.0" else _PlainSink(self)
        self._upstream = conn
        try:
            response.attach(sink)
            await response.done
        finally:
            self._upstream = None
            if self._write_paused:
                conn.resume_reading()
        if isinstance(sink, _ChunkedSink):
            self._write(b"0\r\n\r\n")
        outcome.bytes_out = sink.size
        if self._write_paused:
            await self._wait_drain()
        return keep

    async def _relay_stream(
        self,
        exchange: Exchange,
        ctx: Context,
        pipeline: Pipeline,
        request: Request,
        head: ResponseHead,
        response: UpstreamResponse,
        conn: UpstreamConnection,
        outcome: Outcome,
        keep: bool,
    ) -> bool:
        """BASTION-22: the response phase filters the body as it streams (ResponseHead.stream).

        The head goes out just before the filter's first bytes, or at the end with the length of
        what the filter returned; a StreamCut before the head is a 502, after it a cut connection.
        A HEAD stops reading once its head is known.
        """
        assert head.stream is not None
        if exchange.http_version == "1.0":
            keep = False  # an HTTP/1.0 client can only learn the end of an unsized body from EOF
        sink = FilteredSink(self, head.stream, head, exchange, keep, conn)
        self._upstream = conn
        try:
            response.attach(sink)
            try:
                await response.done
            except UpstreamError:
                if sink.cut is None and not sink.stopped:
                    raise
        finally:
            self._upstream = None
            if self._write_paused and not conn.closed:
                conn.resume_reading()
        final = b""
        if sink.cut is None and not sink.stopped:
            try:
                final = head.stream.close()
            except StreamCut as cut:
                sink.cut = cut
        if sink.cut is not None:
            log.warning("request %s: response cut by the response filter: %s", ctx.request_id, sink.cut)
            verdict = Verdict.refuse(502, "responses.stream_cut", str(sink.cut)[:200], category="oversharing")
            ctx.findings.append(Finding("responses", "enforce", verdict))
            outcome.bytes_out = sink.size
            if sink.head_sent:
                self._close()
                return False
            error_head, body = pipeline.error(request, ctx, 502)
            outcome.status = 502
            await self._send_local(exchange, error_head, body, keep)
            return keep
        outcome.status = head.status
        if not sink.head_sent:
            head_bytes = self._encode_head(head, exchange, length=len(final), keep=keep)
            await self._send(head_bytes if exchange.method == "HEAD" else head_bytes + final)
            outcome.bytes_out = len(final)
            return keep
        if not sink.stopped:
            sink.send(final)
            if exchange.http_version != "1.0":
                self._write(b"0\r\n\r\n")
        outcome.bytes_out = sink.size
        if self._write_paused:
            await self._wait_drain()
        return keep

    async def _upstream_failed(
        self, exchange: Exchange, request: Request, ctx: Context, pipeline: Pipeline, error: UpstreamError
    ) -> bool:
        log.warning("request %s: upstream failure: %s", ctx.request_id, error.reason)
        head, body = pipeline.error(request, ctx, error.status)
        keep = exchange.keep_alive and exchange.body_done
        outcome = Outcome(error.status, exchange.body_size, len(body), upstream_error=error.reason)
        if pipeline.commits:
            await pipeline.commit(request, ctx, outcome)
        await self._send_local(exchange, head, body, keep)
        pipeline.finish(request, ctx, outcome)
        return keep

    async def _refuse_local(
        self, exchange: Exchange, request: Request, ctx: Context, pipeline: Pipeline, status: int, reason: str
    ) -> bool:
        verdict = Verdict.refuse(status, "ingress.body", reason, category="ingress")
        ctx.findings.append(Finding("ingress", "enforce", verdict))
        head, body = pipeline.refusal(request, ctx, verdict)
        outcome = Outcome(status, exchange.body_size, len(body))
        if pipeline.commits:
            await pipeline.commit(request, ctx, outcome)
        await self._send_local(exchange, head, body, keep=False)
        pipeline.finish(request, ctx, outcome)
        return False

    async def _send_local(self, exchange: Exchange, head: ResponseHead, body: bytes, keep: bool) -> None:
        head_bytes = self._encode_head(head, exchange, length=len(body), keep=keep)
        await self._send(head_bytes if exchange.method == "HEAD" else head_bytes + body)

    def _encode_head(
        self, head: ResponseHead, exchange: Exchange, *, length: int | None, keep: bool, bodyless: bool = False
    ) -> bytes:
        status = head.status
        self._head_sent = True
        out = [b"HTTP/1.1 %d %b\r\n" % (status, _REASONS.get(status, b"Unknown"))]
        for name, value in head.headers:
            out += [name.encode("latin-1"), b": ", value.encode("latin-1"), b"\r\n"]
        if length is not None:
            out.append(b"content-length: %d\r\n" % length)
        elif not bodyless and exchange.http_version != "1.0":
            out.append(b"transfer-encoding: chunked\r\n")
        if not keep:
            out.append(b"connection: close\r\n")
        elif exchange.http_version == "1.0":
            out.append(b"connection: keep-alive\r\n")
        out.append(b"\r\n")
        return b"".join(out)

    async def _send(self, data: bytes) -> None:
        self._write(data)
        if self._write_paused:
            await self._wait_drain()

    def _write(self, data: bytes) -> None:
        if self._closed or self.transport is None:
            raise _ClientGone()
        self.transport.write(data)

    async def _wait_drain(self) -> None:
        if self._drain is None or self._drain.done():
            self._drain = self.loop.create_future()
        await self._drain

    # -- errors and timers --------------------------------------------------------------------------
    def _on_upgrade(self) -> None:
        exchange = self._pending[-1] if self._pending else None
        if exchange is not None and exchange.method == "CONNECT":
            self._answer_and_close(405, "CONNECT is not allowed")
        else:
            self._answer_and_close(501, "protocol upgrades are not supported")

    def _protocol_error(self, status: int, reason: str) -> None:
        """The byte stream broke: stop parsing, answer once, close after any response in progress."""
        self._broken = True
        self._pause_reading()
        exchange = self._parsing
        if exchange is not None and exchange in self._pending and not exchange.body_done:
            # The head was accepted and is being served: its body reader reports the error.
            exchange.error = _BodyRefused(status, reason)
            exchange.wake()
            return
        if self._task is not None:
            return  # answer the request in progress; the connection closes after it
        self._answer_and_close(status, reason)

    def _answer_and_close(self, status: int, reason: str) -> None:
        """Answer a request that never became a Request (bad framing, limits) and close."""
        if self._closed or self.transport is None:
            return
        if self._task is not None:
            # A response is in progress on this connection: a second one would interleave.
            self._close()
            return
        request_id = new_request_id()
        body = problem_body(status, request_id)
        head = (
            b"HTTP/1.1 %d %b\r\ncontent-type: %b\r\ncontent-length: %d\r\nx-request-id: %b\r\n"
            b"x-content-type-options: nosniff\r\nconnection: close\r\n\r\n"
            % (status, _REASONS.get(status, b"Error"), CONTENT_TYPE.encode(), len(body), request_id.encode())
        )
        log.info("refused connection from %s: %d %s", self.peer, status, reason)
        self.server.count_protocol_error(status)
        self.transport.write(head + body)
        self._close()

    def _close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._timer.close()
        if self.transport is not None:
            self.transport.close()

    def close_idle(self) -> None:
        """Shutdown: close now if between requests; a busy connection closes after its response."""
        if not self.busy:
            self._close()

    def abort(self) -> None:
        self._closed = True
        if self.transport is not None:
            self.transport.abort()

    def _pause_reading(self) -> None:
        if not self._reading_paused and self.transport is not None and not self._closed:
            self._reading_paused = True
            self.transport.pause_reading()

    def _resume_reading(self) -> None:
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
            self._close()


class _PlainSink:
    __slots__ = ("_conn", "size")

    def __init__(self, conn: ClientConnection) -> None:
        self._conn = conn
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if not self._conn._closed and self._conn.transport is not None:
            self._conn.transport.write(chunk)


class _ChunkedSink(_PlainSink):
    __slots__ = ()

    def write(self, chunk: bytes) -> None:
        if chunk:
            self.size += len(chunk)
            if not self._conn._closed and self._conn.transport is not None:
                self._conn.transport.write(b"%x\r\n%b\r\n" % (len(chunk), chunk))


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
