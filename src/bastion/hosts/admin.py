"""The admin listener: a small HTTP/1.1 server on its own port for health, metrics, the admin API
and the operator console.

One request per connection, read with size limits and a timeout, then the connection is closed: an
operator's tool, not a traffic path. Callers prove themselves with `admin.token` (compared in
constant time) or a client certificate (`admin.tls`); health checks are always answered. A route may
answer with a stream (the console's server-sent events): the head is written at once, then each
chunk as it comes, until the stream ends or the client goes away.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
import re
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import orjson

from bastion.config.admin import AdminConfig
from bastion.core.problem import CONTENT_TYPE, problem_body, status_title
from bastion.errors import StartupError
from bastion.hosts.tls import server_context

log = logging.getLogger("bastion.admin")

_MAX_HEAD = 16 * 1024
_MAX_BODY = 64 * 1024
_TIMEOUT = 5.0


@dataclass(slots=True)
class AdminRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    params: dict[str, str] = field(default_factory=dict)  # from the route's {name} segments
    client: str = ""  # the peer's address
    peer_cert: dict[str, Any] | None = None  # the verified client certificate (admin.tls), if any
    tls: bool = False

    def form(self) -> dict[str, str]:
        """An application/x-www-form-urlencoded body (HTML forms); the last value of a repeated name wins."""
        if not self.body:
            return {}
        if self.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
            raise AdminError(415, "send application/x-www-form-urlencoded")
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))

    def json(self) -> object:
        if not self.body:
            return {}
        if self.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            raise AdminError(415, "send application/json")
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError:
            raise AdminError(400, "the body is not valid JSON") from None


@dataclass(slots=True)
class AdminResponse:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: list[tuple[str, str]] = field(default_factory=list)
    stream: AsyncIterator[bytes] | None = None  # sent after the head, unframed (connection: close)

    @classmethod
    def json(cls, value: object, status: int = 200) -> AdminResponse:
        return cls(status, orjson.dumps(value))


class AdminError(Exception):
    """An answer other than success; becomes a problem+json body."""

    def __init__(self, status: int, detail: str, headers: list[tuple[str, str]] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or []


Handler = Callable[[AdminRequest], Awaitable[AdminResponse]]


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    handler: Handler
    public: bool = False  # health checks: no credentials
    read_only: bool = False  # served without credentials when the listener has no way to authenticate
    own_auth: bool = False  # the route checks its callers itself (the console: session cookie or certificate)
    pattern: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # /v1/bans/{ban_id} -> ^/v1/bans/(?P<ban_id>[A-Za-z0-9_.-]{1,128})$, compiled once
        segments = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[A-Za-z0-9_.-]{1,128})", re.escape(self.template))
        object.__setattr__(self, "pattern", re.compile(f"^{segments}$"))

    def match(self, path: str) -> dict[str, str] | None:
        found = self.pattern.match(path)
        return found.groupdict() if found else None


class AdminServer:
    def __init__(self, config: AdminConfig, routes: list[Route]) -> None:
        self._config = config
        self._routes = routes
        # "/console" -> "/console/": a route template ending in "/" is also reached without it
        self._redirects = {r.template.rstrip("/"): r.template for r in routes if r.template.endswith("/")}
        self._server: asyncio.base_events.Server | None = None
        self._ssl: ssl.SSLContext | None = server_context(config.tls) if config.tls else None
        self._streams: set[asyncio.Task[Any]] = set()
        self.port = 0

    async def start(self) -> None:
        """Bind; a port that cannot be had is a StartupError naming `admin.port`, not the traffic port."""
        port = self._config.port
        if port:
            port += int(os.environ.get("BASTION_WORKER", "0"))
        try:
            self._server = await asyncio.start_server(
                self._serve, self._config.host, port, reuse_address=True, ssl=self._ssl
            )
        except OSError as exc:
            reason = os.strerror(exc.errno) if exc.errno else str(exc)
            raise StartupError(
                f"admin.port: the admin listener cannot listen on {self._config.host}:{port}: {reason}"
            ) from None
        self.port = self._server.sockets[0].getsockname()[1]
        log.info("admin listener on %s:%d", self._config.host, self.port)

    async def stop(self) -> None:
        for task in list(self._streams):
            task.cancel()  # open event streams would otherwise hold wait_closed() forever
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            response = await asyncio.wait_for(self._answer(reader, writer), _TIMEOUT)
        except AdminError as exc:
            response = _problem(exc.status, exc.detail, exc.headers)
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, UnicodeError):
            response = _problem(400, "malformed request")
        except Exception:
            log.exception("admin request failed")
            response = _problem(500, "the admin request failed")
        head = [
            f"HTTP/1.1 {response.status} {status_title(response.status)}",
            "cache-control: no-store",
            "x-content-type-options: nosniff",
            "connection: close",
        ]
        if response.stream is None:
            head.insert(1, f"content-length: {len(response.body)}")
        if response.status != 204:
            head.insert(1, f"content-type: {response.content_type}")
        if not any(name == "content-security-policy" for name, _ in response.headers):
            head.append("content-security-policy: default-src 'none'; frame-ancestors 'none'")  # JSON, text, problems
        head.extend(f"{name}: {value}" for name, value in response.headers)
        try:
            writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + response.body)
            await writer.drain()
            if response.stream is not None:
                await self._send_stream(response.stream, writer)
        except (ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()

    async def _send_stream(self, stream: AsyncIterator[bytes], writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._streams.add(task)
        try:
            async for chunk in stream:
                if writer.is_closing():
                    break
                writer.write(chunk)
                await writer.drain()
        except asyncio.CancelledError:
            pass  # the listener is stopping
        finally:
            if task is not None:
                self._streams.discard(task)
            close = getattr(stream, "aclose", None)
            if close is not None:
                await close()

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> AdminResponse:
        raw = await reader.readuntil(b"\r\n\r\n")
        if len(raw) > _MAX_HEAD:
            raise AdminError(400, "head too large")
        lines = raw.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if "transfer-encoding" in headers:
            raise AdminError(400, "send the body with a Content-Length")
        length = int(headers.get("content-length") or 0)
        if length < 0 or length > _MAX_BODY:
            raise AdminError(413, f"the body is limited to {_MAX_BODY} bytes")
        body = await reader.readexactly(length) if length else b""
        path, _, query = target.partition("?")
        peer = writer.get_extra_info("peername")
        request = AdminRequest(
            method,
            path,
            dict(parse_qsl(query)),
            headers,
            body,
            client=str(peer[0]) if peer else "",
            peer_cert=writer.get_extra_info("peercert") or None,
            tls=self._ssl is not None,
        )
        allowed: list[str] = []
        for route in self._routes:
            params = route.match(path)
            if params is None:
                continue
            if route.method != method:
                allowed.append(route.method)
                continue
            self._authorize(route, request, writer)
            request.params = params
            return await route.handler(request)
        if method == "GET" and path in self._redirects:
            return AdminResponse(308, b"", "text/plain", [("location", self._redirects[path])])
        if allowed:
            raise AdminError(405, f"{method} is not allowed here", [("allow", ", ".join(sorted(set(allowed))))])
        raise AdminError(404, "no such admin resource")

    def _authorize(self, route: Route, request: AdminRequest, writer: asyncio.StreamWriter) -> None:
        if route.public or route.own_auth:
            return
        config = self._config
        if config.tls is not None and config.tls.client_cert == "required" and writer.get_extra_info("peercert"):
            return  # the TLS handshake verified the client certificate against client_ca
        if config.token is not None:
            given = request.headers.get("authorization", "")
            scheme, _, credential = given.partition(" ")
            if scheme.lower() == "bearer" and hmac.compare_digest(credential.strip().encode(), config.token.encode()):
                return
            raise AdminError(
                401, "a valid admin token is required", [("www-authenticate", 'Bearer realm="bastion-admin"')]
            )
        if route.read_only and not config.authenticated:
            return
        raise AdminError(
            401,
            "the admin API needs admin.token or admin.tls with client certificates",
            [("www-authenticate", 'Bearer realm="bastion-admin"')],
        )


def _problem(status: int, detail: str, headers: list[tuple[str, str]] | None = None) -> AdminResponse:
    return AdminResponse(status, problem_body(status, "admin", detail=detail), CONTENT_TYPE, headers or [])
