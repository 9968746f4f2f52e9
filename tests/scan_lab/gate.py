"""A gateway in front of a lab API, the way WAFs and API gateways behave toward a scanner (ASGI middleware).

- `ban`: from request `after` on, every request gets the same 403 problem document ("ip banned for Ns
  more"), whatever it asks for, and no Retry-After;
- `throttle`: from request `after` on, for `seconds`, every request gets 429 with a Retry-After of that
  many seconds (too long for the scanner to wait out request by request), then traffic passes again;
- `waf`: requests that look like attacks (quotes, tags, traversal, shell syntax) get the same 403 problem
  document; everything else passes, so ordinary requests keep working: not a block.
NEVER run outside a test.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any
from urllib.parse import unquote

Scope = dict[str, Any]
Receive = Any
Send = Any
ATTACK = re.compile(r"'|<[a-z]|\.\./|\$\(|`|\{\{|\bsleep\b|\bunion\b", re.IGNORECASE)


class Gate:
    def __init__(self, app: Any, mode: str, after: int = 60, seconds: float = 2.0) -> None:
        self.app, self.mode, self.after, self.seconds = app, mode, after, seconds
        self.count = 0
        self.since: float | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.count += 1
        if self.mode == "ban" and self.count > self.after:
            left = 300 - int(self.count / 10)
            await self._problem(send, 403, "urn:example:problem:banned", f"ip banned for {left}s more")
            return
        if self.mode == "throttle" and self.count > self.after:
            self.since = self.since or time.monotonic()
            if time.monotonic() - self.since < self.seconds:
                wait = f"{self.seconds:g}"
                await self._problem(send, 429, "urn:example:problem:rate-limited", "slow down", retry_after=wait)
                return
        if self.mode == "waf":
            body = b""
            more = True
            chunks = []
            while more:
                message = await receive()
                chunks.append(message.get("body", b""))
                more = message.get("more_body", False)
            body = b"".join(chunks)
            seen = unquote(scope.get("query_string", b"").decode("latin-1")) + body.decode("utf-8", "replace")
            if ATTACK.search(seen):
                await self._problem(send, 403, "urn:example:problem:attack", "request blocked")
                return
            replayed = [False]

            async def replay() -> dict[str, Any]:
                if replayed[0]:
                    return {"type": "http.disconnect"}
                replayed[0] = True
                return {"type": "http.request", "body": body, "more_body": False}

            await self.app(scope, replay, send)
            return
        await self.app(scope, receive, send)

    @staticmethod
    async def _problem(send: Send, status: int, kind: str, detail: str, retry_after: str | None = None) -> None:
        body = json.dumps(
            {"type": kind, "title": "Refused", "status": status, "detail": detail, "request_id": str(uuid.uuid4())}
        ).encode()
        headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
        if retry_after is not None:
            headers.append((b"retry-after", retry_after.encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
