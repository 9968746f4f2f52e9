"""The upstream the proxy tests talk to: it echoes what it received and misbehaves on request."""

from __future__ import annotations

import asyncio
import json
from typing import Any

Scope = dict[str, Any]


async def app(scope: Scope, receive: Any, send: Any) -> None:
    assert scope["type"] == "http"
    path = scope["path"]
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    query = scope["query_string"].decode("latin-1")

    if path.startswith("/status/"):
        code = int(path.rsplit("/", 1)[1])
        await _reply(send, code, b"Traceback (most recent call last):\n  secret internals\n", "text/plain")
        return
    if path == "/slow":
        await asyncio.sleep(float(dict(p.split("=") for p in query.split("&") if "=" in p).get("delay", "1")))
        await _reply(send, 200, b'{"slow":true}')
        return
    if path == "/banner":
        await _reply(send, 200, b"{}", extra=[(b"server", b"Apache/2.4.1"), (b"x-powered-by", b"PHP/5.6")])
        return
    if path == "/stream":
        size = int(query.split("=")[1]) if "=" in query else 1_000_000
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        chunk = b"x" * 65536
        sent = 0
        while sent < size:
            part = chunk[: min(len(chunk), size - sent)]
            sent += len(part)
            await send({"type": "http.response.body", "body": part, "more_body": sent < size})
        return
    doc = {
        "method": scope["method"],
        "path": path,
        "raw_path": (scope.get("raw_path") or b"").decode("latin-1"),
        "query": query,
        "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in scope["headers"]],
        "body_length": len(body),
        "body": body[:2000].decode("utf-8", "replace"),
    }
    await _reply(send, 200, json.dumps(doc).encode())


async def _reply(send: Any, status: int, body: bytes, content_type: str = "application/json", extra: Any = ()) -> None:
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode()), *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
