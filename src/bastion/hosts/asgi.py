"""ASGI middleware host: the same pipeline inside a FastAPI or Starlette application.

    app.add_middleware(BastionMiddleware, config="bastion.yaml")

The application plays the upstream: refused requests never reach it, and its responses go through
the same response phase (banners stripped, 5xx bodies hidden, security headers) as the proxy's.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bastion.config import BastionConfig
from bastion.core.context import Context
from bastion.core.pipeline import Outcome, Pipeline, ResponseHead, StreamCut
from bastion.core.request import Headers, Request, TLSInfo
from bastion.core.request_id import accept_request_id
from bastion.core.verdict import Finding, Verdict
from bastion.egress.hygiene import HOP_BY_HOP
from bastion.engine import Engine, engine_for
from bastion.hosts.admin import AdminServer
from bastion.hosts.admin_api import start_admin
from bastion.hosts.forwarding import ClientAddressResolver

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("bastion.asgi")


class _TooLarge(Exception):
    pass


class _Answered(Exception):
    """The client has its whole answer (a HEAD, or a 502 for a cut stream): the application stops."""


class BastionMiddleware:
    def __init__(self, app: ASGIApp, config: str | Path | BastionConfig | Engine) -> None:
        self.app = app
        self.engine = engine_for(config)
        self._resolver = ClientAddressResolver(self.engine.config.listen.trusted_proxies)
        self._max_body = self.engine.config.ingress.max_body
        self._started = False
        self._start_lock = asyncio.Lock()
        self._admin: AdminServer | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)  # WebSocket: not inspected by this host
            return
        if not self._started:
            await self._start()
        await self._http(scope, receive, send)

    async def _start(self) -> None:
        async with self._start_lock:
            if not self._started:
                await self.engine.start()
                self._admin = start_admin(self.engine)
                if self._admin is not None:
                    await self._admin.start()
                self._started = True

    async def _lifespan(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def wrapped_receive() -> Message:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self._start()
            elif message["type"] == "lifespan.shutdown" and self._started:
                if self._admin is not None:
                    await self._admin.stop()
                await self.engine.stop()
                self._started = False
            return message

        await self.app(scope, wrapped_receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        engine = self.engine
        pipeline = engine.pipeline
        raw_headers: list[tuple[bytes, bytes]] = list(scope.get("headers") or [])
        headers = Headers.from_raw(raw_headers)
        peer = (scope.get("client") or ("127.0.0.1", 0))[0]
        client = self._resolver.resolve(peer, headers.get_all("x-forwarded-for")) if self._resolver.enabled else peer
        raw_path = scope.get("raw_path")
        path = raw_path.decode("latin-1") if raw_path else quote(scope.get("path", "/"), safe="/:@!$&'()*+,;=-._~")
        path = path.partition("?")[0]
        ctx = Context(accept_request_id(headers.get("x-request-id")))
        bytes_in = 0

        body: bytes | None = None
        if pipeline.needs_body:
            try:
                body = await self._read_body(receive)
            except _TooLarge:
                await self._refuse_local(scope, send, ctx, headers, path, client, peer, 413, "body exceeds the limit")
                return
            bytes_in = len(body)
        tls = TLSInfo() if scope.get("scheme") == "https" else None
        request = Request(
            method=scope["method"].upper(),
            path=path,
            query=(scope.get("query_string") or b"").decode("latin-1"),
            headers=headers,
            client=client,
            scheme=scope.get("scheme", "http"),
            body=body,
            tls=tls,
            http_version=scope.get("http_version", "1.1"),
            peer=peer,
        )
        decision = await pipeline.check(request, ctx)
        if decision.refusal is not None:
            head, problem = pipeline.refusal(request, ctx, decision.refusal)
            outcome = Outcome(head.status, bytes_in, len(problem))
            if pipeline.commits:
                await pipeline.commit(request, ctx, outcome)
            await _send_whole(send, head, problem, request.method)
            pipeline.finish(request, ctx, outcome)
            return

        app_receive = _replay(body, receive) if body is not None else self._bounded(receive)
        outcome = Outcome(0, bytes_in)
        responder = _Responder(request, ctx, pipeline, send, outcome)
        started = time.perf_counter()
        app_scope = _with_identity(scope, ctx)
        method = pipeline.upstream_method(request)
        if method != request.method:
            app_scope["method"] = method  # BASTION-22: a HEAD is asked as GET; only its head is sent
        try:
            await self.app(app_scope, app_receive, responder.send)
        except _Answered:
            pass
        except _TooLarge:
            if not responder.started:
                verdict = Verdict.refuse(413, "ingress.body", "body exceeds the limit", category="ingress")
                ctx.findings.append(Finding("ingress", "enforce", verdict))
                head, problem = pipeline.refusal(request, ctx, verdict)
                await _send_whole(send, head, problem, request.method)
                outcome.status = 413
        except Exception:
            # The application crashed: answer like an upstream 500, without its traceback.
            log.exception("application failed on request %s", ctx.request_id)
            if not responder.started:
                head, problem = pipeline.error(request, ctx, 500)
                await _send_whole(send, head, problem, request.method)
                outcome.status = 500
            else:
                raise
        outcome.upstream_seconds = time.perf_counter() - started
        pipeline.finish(request, ctx, outcome)

    async def _read_body(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self._max_body:
                raise _TooLarge()
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    def _bounded(self, receive: Receive) -> Receive:
        """Count body bytes as the application reads them; past the limit, stop it with 413."""
        seen = 0
        limit = self._max_body

        async def bounded_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge()
            return message

        return bounded_receive

    async def _refuse_local(
        self,
        scope: Scope,
        send: Send,
        ctx: Context,
        headers: Headers,
        path: str,
        client: str,
        peer: str,
        status: int,
        reason: str,
    ) -> None:
        request = Request(
            method=scope["method"].upper(),
            path=path,
            query=(scope.get("query_string") or b"").decode("latin-1"),
            headers=headers,
            client=client,
            scheme=scope.get("scheme", "http"),
            peer=peer,
        )
        verdict = Verdict.refuse(status, "ingress.body", reason, category="ingress")
        ctx.findings.append(Finding("ingress", "enforce", verdict))
        head, problem = self.engine.pipeline.refusal(request, ctx, verdict)
        await _send_whole(send, head, problem, request.method)
        self.engine.pipeline.finish(request, ctx, Outcome(status, 0, len(problem)))


def _with_identity(scope: Scope, ctx: Context) -> Scope:
    """Expose Bastion's conclusions to the application as scope["state"]["bastion"]."""
    state = dict(scope.get("state") or {})
    state["bastion"] = {"request_id": ctx.request_id, "identity": ctx.identity, "operation": ctx.operation}
    return {**scope, "state": state}


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay_receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay_receive


class _Responder:
    """Wraps the application's `send`: the response head passes through the response phase."""

    def __init__(self, request: Request, ctx: Context, pipeline: Pipeline, send: Send, outcome: Outcome) -> None:
        self._request = request
        self._ctx = ctx
        self._pipeline = pipeline
        self._send = send
        self._outcome = outcome
        self._head: ResponseHead | None = None
        self._buffer: bytearray | None = None
        self._head_sent = False  # a filtered stream's head (BASTION-22)
        self.started = False

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            headers = [
                (name.decode("latin-1").lower(), value.decode("latin-1")) for name, value in message.get("headers", [])
            ]
            headers = [(k, v) for k, v in headers if k not in HOP_BY_HOP]
            declared = dict(headers).get("content-length")
            length = int(declared) if declared is not None and declared.isdigit() else None
            started = self._pipeline.respond(
                self._request, self._ctx, ResponseHead(message["status"], headers, length=length)
            )

            started.headers.extend(self._ctx.response_headers)
            self._head = started
            self._outcome.status = started.status
            self.started = True
            if self._pipeline.commits:
                self._outcome.bytes_out = length or 0
                await self._pipeline.commit(self._request, self._ctx, self._outcome)
            if started.replace_body is not None or started.transforms:
                self._buffer = bytearray()
                return
            if started.stream is not None:
                started.remove("content-length")  # BASTION-22: filtered as it streams, sent when it has bytes
                return
            await self._send(
                {"type": "http.response.start", "status": started.status, "headers": _encode(started.headers)}
            )
        elif kind == "http.response.body":
            chunk = message.get("body", b"")
            more = message.get("more_body", False)
            if self._head is not None and self._head.stream is not None and self._buffer is None:
                await self._filtered(chunk, more)
                return
            if self._buffer is not None:
                head = self._head
                assert head is not None
                limit = head.capture_original if head.replace_body is not None else head.transform_limit
                if len(self._buffer) <= limit:
                    self._buffer += chunk
                if not more:
                    await self._flush_replaced()
                return
            if self._request.method == "HEAD" and chunk:
                message = {**message, "body": b""}  # BASTION-22: the application was asked GET
            self._outcome.bytes_out += len(message.get("body", b""))
            await self._send(message)
        else:
            await self._send(message)

    async def _filtered(self, chunk: bytes, more: bool) -> None:
        """BASTION-22: the body through the response filter's stream (see core.pipeline.BodyStream)."""
        head = self._head
        assert head is not None
        stream = head.stream
        assert stream is not None
        try:
            data = stream.feed(chunk)
            if not more:
                data += stream.close()
        except StreamCut as cut:
            log.warning("request %s: response cut by the response filter: %s", self._ctx.request_id, cut)
            if self._head_sent:
                raise  # the client has a head: the server ends the connection
            error_head, problem = self._pipeline.error(self._request, self._ctx, 502)
            self._outcome.status = 502
            self._head_sent = True
            await _send_whole(self._send, error_head, problem, self._request.method)
            raise _Answered() from None
        if not self._head_sent:
            if more and not data:
                return  # held back: the head may still change
            if not more:
                head.set("content-length", str(len(data)))
            self._head_sent = True
            self._outcome.status = head.status
            await self._send({"type": "http.response.start", "status": head.status, "headers": _encode(head.headers)})
        if self._request.method == "HEAD":
            # the head is all a HEAD gets; the application (asked with GET) is stopped here
            await self._send({"type": "http.response.body", "body": b"", "more_body": False})
            raise _Answered()
        self._outcome.bytes_out += len(data)
        await self._send({"type": "http.response.body", "body": data, "more_body": more})

    async def _flush_replaced(self) -> None:
        assert self._head is not None
        assert self._buffer is not None
        head, body = self._pipeline.settle(self._request, self._ctx, self._head, bytes(self._buffer))
        self._outcome.status = head.status
        self._outcome.bytes_out = len(body)
        await self._send({"type": "http.response.start", "status": head.status, "headers": _encode(head.headers)})
        await self._send({"type": "http.response.body", "body": body if self._request.method != "HEAD" else b""})


def _encode(headers: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]


async def _send_whole(send: Send, head: ResponseHead, body: bytes, method: str) -> None:
    head.set("content-length", str(len(body)))
    await send({"type": "http.response.start", "status": head.status, "headers": _encode(head.headers)})
    await send({"type": "http.response.body", "body": body if method != "HEAD" else b""})
