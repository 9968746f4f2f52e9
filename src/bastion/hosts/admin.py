"""The admin listener: a small HTTP/1.1 server on its own port (GET /metrics, GET /healthz).

Requests are read with a size limit and a timeout, answered, and the connection closed; with
`admin.token` every request must carry `Authorization: Bearer <token>` (compared in constant time).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
from collections.abc import Awaitable, Callable

from bastion.config.admin import AdminConfig

log = logging.getLogger("bastion.admin")

Handler = Callable[[str, str, dict[str, str], bytes], Awaitable[tuple[int, str, bytes]]]
_MAX_HEAD = 16 * 1024
_TIMEOUT = 5.0
_REASONS = {200: "OK", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed", 400: "Bad Request"}


class AdminServer:
    def __init__(self, config: AdminConfig, routes: dict[tuple[str, str], Handler]) -> None:
        self._config = config
        self._routes = routes
        self._server: asyncio.base_events.Server | None = None
        self.port = 0

    async def start(self) -> None:
        port = self._config.port
        if port:
            port += int(os.environ.get("BASTION_WORKER", "0"))
        self._server = await asyncio.start_server(self._serve, self._config.host, port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]
        log.info("admin listener on %s:%d", self._config.host, self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            status, content_type, body = await asyncio.wait_for(self._answer(reader), _TIMEOUT)
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            status, content_type, body = 400, "text/plain", b"bad request\n"
        head = (
            f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\ncontent-type: {content_type}\r\n"
            f"content-length: {len(body)}\r\ncache-control: no-store\r\nconnection: close\r\n\r\n"
        )
        try:
            writer.write(head.encode() + body)
            await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def _answer(self, reader: asyncio.StreamReader) -> tuple[int, str, bytes]:
        raw = await reader.readuntil(b"\r\n\r\n")
        if len(raw) > _MAX_HEAD:
            return 400, "text/plain", b"head too large\n"
        lines = raw.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length") or 0)
        if length > 1024 * 1024:
            return 400, "text/plain", b"body too large\n"
        body = await reader.readexactly(length) if length else b""
        token = self._config.token
        if token is not None:
            given = headers.get("authorization", "").removeprefix("Bearer ").strip()
            if not hmac.compare_digest(given.encode(), token.encode()):
                return 401, "text/plain", b"unauthorized\n"
        path = target.split("?", 1)[0]
        handler = self._routes.get((method, path))
        if handler is None:
            known = any(p == path for _, p in self._routes)
            return (405 if known else 404), "text/plain", b"not here\n"
        return await handler(method, target, headers, body)
