"""WSGI middleware host: the same pipeline inside Flask or Django.

    app.wsgi_app = BastionWSGIMiddleware(app.wsgi_app, config="bastion.yaml")      # Flask
    application = BastionWSGIMiddleware(get_wsgi_application(), "bastion.yaml")   # Django wsgi.py

WSGI is synchronous and the pipeline is asynchronous (key refresh, Redis, lookups), so the engine
lives on its own event loop in a daemon thread; each request thread hands its decision to that loop
and waits for it, bounded by `timeout`. The application plays the upstream: refused requests never
reach it, and its responses go through the same response phase as the proxy's. The identity and the
request id are in `environ["bastion.identity"]` and `environ["bastion.request_id"]`.
"""

from __future__ import annotations

import asyncio
import io
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bastion.config import BastionConfig
from bastion.core.context import Context
from bastion.core.exchange import Exchange
from bastion.core.pipeline import ResponseHead
from bastion.core.problem import status_title
from bastion.core.request import Headers, Request, TLSInfo
from bastion.core.request_id import accept_request_id
from bastion.core.verdict import Decision
from bastion.egress.hygiene import HOP_BY_HOP
from bastion.engine import Engine, engine_for
from bastion.hosts.admin import AdminServer
from bastion.hosts.admin_api import start_admin
from bastion.hosts.forwarding import ClientAddressResolver

log = logging.getLogger("bastion.wsgi")

Environ = dict[str, Any]
StartResponse = Callable[..., Callable[[bytes], object]]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]


class BastionWSGIMiddleware:
    def __init__(self, app: WSGIApp, config: str | Path | BastionConfig | Engine, *, timeout: float = 30.0) -> None:
        self.app = app
        self.engine = engine_for(config)
        self._resolver = ClientAddressResolver(self.engine.config.listen.trusted_proxies)
        self._max_body = self.engine.config.ingress.max_body
        self._timeout = timeout
        self._loop = asyncio.new_event_loop()
        self._worker = threading.Thread(target=self._loop.run_forever, name="bastion-wsgi", daemon=True)
        self._worker.start()
        self._admin: AdminServer | None = start_admin(self.engine)
        self._run(self._start())

    async def _start(self) -> None:
        await self.engine.start()
        if self._admin is not None:
            await self._admin.start()

    def close(self) -> None:
        """Stop the engine's background work and its loop (tests, or an application's shutdown hook)."""

        async def stop() -> None:
            if self._admin is not None:
                await self._admin.stop()
            await self.engine.stop()

        self._run(stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._worker.join(timeout=5)

    def _run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(self._timeout)

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        pipeline = self.engine.pipeline
        headers = _headers(environ)
        peer = environ.get("REMOTE_ADDR") or "127.0.0.1"
        client = self._resolver.resolve(peer, headers.get_all("x-forwarded-for")) if self._resolver.enabled else peer
        ctx = Context(accept_request_id(headers.get("x-request-id")))
        scheme = environ.get("wsgi.url_scheme", "http")
        raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
        path = (
            raw.partition("?")[0]
            if raw
            else quote(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "/"), safe="/:@!$&'()*+,;=-._~")
        )
        fields: dict[str, Any] = {
            "method": str(environ.get("REQUEST_METHOD", "GET")).upper(),
            "path": path or "/",
            "query": environ.get("QUERY_STRING", ""),
            "headers": headers,
            "client": client,
            "scheme": scheme,
            "tls": TLSInfo() if scheme == "https" else None,
            "http_version": str(environ.get("SERVER_PROTOCOL", "HTTP/1.1")).rpartition("/")[2],
            "peer": peer,
        }
        answer = _Answer()
        try:
            body = _read_body(environ, self._max_body)
        except _TooLarge:
            refused = Exchange(pipeline, Request(**fields), ctx, answer)
            self._run(refused.refuse_body(413, "body exceeds the limit"))
            return self._reply(start_response, refused, answer)
        exchange = Exchange(pipeline, Request(**fields, body=body), ctx, answer, bytes_in=len(body))
        try:
            decision: Decision = self._run(exchange.check())
        except FutureTimeout:
            log.error("request %s: no decision within %.0f s", ctx.request_id, self._timeout)
            self._run(exchange.fail(503, "no decision in time"))
            return self._reply(start_response, exchange, answer)
        if decision.refusal is not None:
            self._run(exchange.refuse(decision.refusal))
            return self._reply(start_response, exchange, answer)
        _strip(environ, exchange)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ["REQUEST_METHOD"] = pipeline.upstream_method(exchange.request)  # BASTION-22: HEAD asked as GET
        environ["bastion.identity"] = ctx.identity
        environ["bastion.request_id"] = ctx.request_id
        self._forward(environ, exchange)
        return self._reply(start_response, exchange, answer)

    def _forward(self, environ: Environ, exchange: Exchange) -> None:
        """Run the application; its whole response passes the response phase like an upstream's."""
        captured: dict[str, Any] = {}

        def capture(
            status: str, response_headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            captured["status"] = int(status.split(" ", 1)[0])
            captured["headers"] = [(k.lower(), v) for k, v in response_headers if k.lower() not in HOP_BY_HOP]
            return lambda data: captured.setdefault("written", []).append(data)

        started = time.perf_counter()
        try:
            result = self.app(environ, capture)
            chunks = list(captured.pop("written", [])) + list(result)  # the response phase may need the whole body
            if hasattr(result, "close"):
                result.close()
        except Exception:
            log.exception("application failed on request %s", exchange.ctx.request_id)
            exchange.outcome.upstream_seconds = time.perf_counter() - started
            self._run(exchange.fail(500, "application failed"))
            return
        exchange.outcome.upstream_seconds = time.perf_counter() - started
        body = b"".join(chunks)

        async def settle() -> None:
            head = ResponseHead(captured.get("status", 500), captured.get("headers", []), length=len(body))
            head = await exchange.settle(head)
            await exchange.settle_body(head, body)

        self._run(settle())

    def _reply(self, start_response: StartResponse, exchange: Exchange, answer: _Answer) -> Iterator[bytes]:
        """Hand the settled answer to the WSGI server; the event was committed before this, if strict."""
        head = answer.head
        assert head is not None
        head.set("content-length", str(head.length or 0))
        start_response(f"{head.status} {status_title(head.status)}", head.headers)
        self._loop.call_soon_threadsafe(exchange.close)  # the audit queue lives on the loop
        return iter([answer.body])


class _Answer:
    """The exchange's `send` for WSGI: the answer is kept until the request thread returns it."""

    __slots__ = ("body", "head")

    def __init__(self) -> None:
        self.head: ResponseHead | None = None
        self.body = b""

    async def __call__(self, head: ResponseHead, body: bytes) -> None:
        self.head, self.body = head, body


def _strip(environ: Environ, exchange: Exchange) -> None:
    """Remove what the header policy keeps from the application. In the environ `X_Bastion_Roles` and
    `X-Bastion-Roles` are the same HTTP_X_BASTION_ROLES, so every spelling of a gateway header goes."""
    policy = exchange.pipeline.headers
    for key in [k for k in environ if k.startswith("HTTP_")]:
        name = key[5:].lower().replace("_", "-")
        if not policy.forwardable(name) and name != exchange.honoured:
            del environ[key]


class _TooLarge(Exception):
    pass


def _headers(environ: Environ) -> Headers:
    items = []
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            items.append((key[5:].replace("_", "-").lower(), str(value)))
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH") and value:
            items.append((key.replace("_", "-").lower(), str(value)))
    return Headers(items)


def _read_body(environ: Environ, limit: int) -> bytes:
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    declared = environ.get("CONTENT_LENGTH") or ""
    if declared.isdigit():
        if int(declared) > limit:
            raise _TooLarge()
        return bytes(stream.read(int(declared))) if int(declared) else b""
    if environ.get("HTTP_TRANSFER_ENCODING", "").lower() != "chunked" and not environ.get("wsgi.input_terminated"):
        return b""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise _TooLarge()
    return bytes(data)
