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
from bastion.core.exchange import Exchange, buffered
from bastion.core.pipeline import BodyStream, ResponseHead, StreamCut
from bastion.core.request import Headers, Request, TLSInfo
from bastion.core.request_id import accept_request_id
from bastion.core.verdict import Finding
from bastion.egress.hygiene import HOP_BY_HOP
from bastion.engine import Engine, engine_for
from bastion.hosts.admin import AdminServer
from bastion.hosts.admin_api import start_admin
from bastion.hosts.asgi_websocket import denial, run_socket, unsupported
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
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if not self._started:
            await self._start()
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
            return
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

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A WebSocket: the handshake through the request phase, then the socket (asgi_websocket.py)."""
        connect = await receive()
        if connect["type"] != "websocket.connect":
            return
        raw = list(scope.get("headers") or [])
        names = {name.lower() for name, _ in raw}
        # the handshake as the client sent it: servers may leave the hop-by-hop pair out of the scope
        raw += [(n, v) for n, v in ((b"upgrade", b"websocket"), (b"connection", b"Upgrade")) if n not in names]
        fields, ctx = self._request_fields(scope, Headers.from_raw(raw), "GET")
        fields["scheme"] = "https" if scope.get("scheme") == "wss" else "http"
        fields["tls"] = TLSInfo() if scope.get("scheme") == "wss" else None
        exchange = Exchange(self.engine.pipeline, Request(**fields), ctx, denial(scope, send))
        service = self.engine.websocket
        refusal = unsupported(service, fields["path"])
        if refusal is None:
            refusal = (await exchange.check()).refusal
        else:
            ctx.findings.append(Finding("websocket", "enforce", refusal))
        if refusal is not None or service is None:
            if refusal is not None:
                await exchange.refuse(refusal)
            exchange.close()
            return
        await run_socket(self.app, _for_app(scope, exchange), connect, exchange, service, receive, send)

    def _request_fields(self, scope: Scope, headers: Headers, method: str) -> tuple[dict[str, Any], Context]:
        peer = (scope.get("client") or ("127.0.0.1", 0))[0]
        client = self._resolver.resolve(peer, headers.get_all("x-forwarded-for")) if self._resolver.enabled else peer
        raw_path = scope.get("raw_path")
        path = raw_path.decode("latin-1") if raw_path else quote(scope.get("path", "/"), safe="/:@!$&'()*+,;=-._~")
        path = _within_root(path.partition("?")[0], scope.get("root_path") or "")
        ctx = Context(accept_request_id(headers.get("x-request-id")))
        fields: dict[str, Any] = {
            "method": method,
            "path": path,
            "query": (scope.get("query_string") or b"").decode("latin-1"),
            "headers": headers,
            "client": client,
            "scheme": scope.get("scheme", "http"),
            "tls": TLSInfo() if scope.get("scheme") == "https" else None,
            "http_version": scope.get("http_version", "1.1"),
            "peer": peer,
        }
        return fields, ctx

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        pipeline = self.engine.pipeline
        headers = Headers.from_raw(list(scope.get("headers") or []))
        fields, ctx = self._request_fields(scope, headers, scope["method"].upper())

        async def send_whole(head: ResponseHead, body: bytes) -> None:
            head.set("content-length", str(head.length or 0))
            await send({"type": "http.response.start", "status": head.status, "headers": _encode(head.headers)})
            await send({"type": "http.response.body", "body": body})

        body: bytes | None = None
        if pipeline.needs_body:
            try:
                body = await self._read_body(receive)
            except _TooLarge:
                refused = Exchange(pipeline, Request(**fields), ctx, send_whole)
                await refused.refuse_body(413, "body exceeds the limit")
                refused.close()
                return
        exchange = Exchange(pipeline, Request(**fields, body=body), ctx, send_whole, bytes_in=len(body or b""))
        decision = await exchange.check()
        if decision.refusal is not None:
            await exchange.refuse(decision.refusal)
            exchange.close()
            return

        app_receive = _replay(body, receive) if body is not None else self._bounded(receive)
        responder = _Responder(exchange, send)
        app_scope = _for_app(scope, exchange)
        method = pipeline.upstream_method(exchange.request)
        if method != exchange.request.method:
            app_scope["method"] = method  # BASTION-22: a HEAD is asked as GET; only its head is sent
        started = time.perf_counter()
        try:
            await self.app(app_scope, app_receive, responder.send)
        except _Answered:
            pass
        except _TooLarge:
            if not exchange.head_sent:
                await exchange.refuse_body(413, "body exceeds the limit")
        except Exception:
            # The application crashed: answer like an upstream 500, without its traceback.
            log.exception("application failed on request %s", ctx.request_id)
            if exchange.head_sent:
                exchange.close(upstream_error="application failed mid-response")
                raise
            await exchange.fail(500, "application failed")
        finally:
            exchange.outcome.upstream_seconds = time.perf_counter() - started
            exchange.close()

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


def _within_root(path: str, root_path: str) -> str:
    """The path the application routes on: below its mount point (uvicorn --root-path, Starlette
    mounts put the prefix in the path, and applications route on what follows it)."""
    if root_path and (path == root_path or path.startswith(root_path + "/")):
        return path[len(root_path) :] or "/"
    return path


def _for_app(scope: Scope, exchange: Exchange) -> Scope:
    """The scope the application sees: the client's headers as the header policy lets them through
    (no X-Bastion-* in any spelling, no underscores, no method override the policy does not honour),
    and Bastion's conclusions in scope["state"]["bastion"]."""
    ctx, policy = exchange.ctx, exchange.pipeline.headers
    honoured = exchange.honoured.encode() if exchange.honoured else None
    headers = [
        (name, value)
        for name, value in scope.get("headers") or ()
        if policy.forwardable_raw(name.lower()) or name.lower() == honoured
    ]
    state = dict(scope.get("state") or {})
    state["bastion"] = {"request_id": ctx.request_id, "identity": ctx.identity, "operation": ctx.operation}
    return {**scope, "headers": headers, "state": state}


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
    """Wraps the application's `send`: the response head passes through the response phase, and a
    body the phase must see whole is collected (bounded) before anything is sent."""

    def __init__(self, exchange: Exchange, send: Send) -> None:
        self._exchange = exchange
        self._send = send
        self._head: ResponseHead | None = None
        self._buffer: bytearray | None = None
        self._overflow = False
        self._streamed = 0

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            headers = [
                (name.decode("latin-1").lower(), value.decode("latin-1")) for name, value in message.get("headers", [])
            ]
            headers = [(k, v) for k, v in headers if k not in HOP_BY_HOP]
            declared = dict(headers).get("content-length")
            length = int(declared) if declared is not None and declared.isdigit() else None
            head = await self._exchange.settle(ResponseHead(message["status"], headers, length=length))
            self._head = head
            if buffered(head):
                self._buffer = bytearray()
                return
            if head.stream is not None:
                head.remove("content-length")  # BASTION-22: filtered as it streams, sent when it has bytes
                return
            await self._send({"type": "http.response.start", "status": head.status, "headers": _encode(head.headers)})
        elif kind == "http.response.body":
            chunk = message.get("body", b"")
            more = message.get("more_body", False)
            if self._head is not None and self._head.stream is not None and self._buffer is None:
                await self._filtered(self._head, self._head.stream, chunk, more)
                return
            if self._buffer is not None:
                collected = self._head
                assert collected is not None
                limit = collected.capture_original if collected.replace_body is not None else collected.transform_limit
                room = limit - len(self._buffer)
                self._buffer += chunk[: max(room, 0)]
                self._overflow = self._overflow or len(chunk) > room
                if not more:
                    await self._exchange.settle_body(collected, bytes(self._buffer), overflow=self._overflow)
                return
            if self._exchange.request.method == "HEAD" and chunk:
                message = {**message, "body": b""}  # BASTION-22: the application was asked GET
            self._streamed += len(chunk)
            self._exchange.streamed(self._streamed)
            await self._send(message)
        else:
            await self._send(message)

    async def _filtered(self, head: ResponseHead, stream: BodyStream, chunk: bytes, more: bool) -> None:
        """BASTION-22: the body through the response filter's stream (see core.pipeline.BodyStream)."""
        exchange = self._exchange
        try:
            data = stream.feed(chunk)
            if not more:
                data += stream.close()
        except StreamCut as cut:
            log.warning("request %s: response cut by the response filter: %s", exchange.ctx.request_id, cut)
            if exchange.head_sent:
                raise  # the client has a head: the server ends the connection
            await exchange.fail(502, f"response filter: {cut}")
            raise _Answered() from None
        if not exchange.head_sent:
            if more and not data:
                return  # held back: the head may still change
            if not more:
                await exchange.send_filtered(head, data)  # the whole filtered body, with its length
                return
            exchange.head_sent = True
            exchange.outcome.status = head.status
            await self._send({"type": "http.response.start", "status": head.status, "headers": _encode(head.headers)})
        if exchange.request.method == "HEAD":
            # the head is all a HEAD gets; the application (asked with GET) is stopped here
            await self._send({"type": "http.response.body", "body": b"", "more_body": False})
            raise _Answered()
        self._streamed += len(data)
        exchange.streamed(self._streamed)
        await self._send({"type": "http.response.body", "body": data, "more_body": more})


def _encode(headers: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
