"""WebSocket in the ASGI host: the handshake through the request phase, every message through the
session, before the application sees it.

The ASGI server (uvicorn, hypercorn) parses frames and reassembles messages, so this host sees
whole messages: `max_message` applies (set the server's own limit, e.g. uvicorn `--ws-max-size`,
for frames), and pings are the server's (uvicorn `--ws-ping-interval`). Everything else is the
proxy's policy: the same guard on the handshake, the same session for rate, WAF, GraphQL, idle
and revoked credentials, and the same audit events.

A refused handshake is answered with the problem+json response when the server offers the
`websocket.http.response` extension, and with a close before accept (the server answers 403)
when it does not.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from bastion.core.exchange import Exchange
from bastion.core.pipeline import ResponseHead
from bastion.core.verdict import Verdict
from bastion.egress.hygiene import HOP_BY_HOP
from bastion.websocket.handshake import offer
from bastion.websocket.policy import Objection
from bastion.websocket.service import WebSocketService
from bastion.websocket.session import Session

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

_NOT_FORWARDED = HOP_BY_HOP | {"content-length", "sec-websocket-accept", "sec-websocket-protocol"}


def denial(scope: MutableMapping[str, Any], send: Send) -> Callable[[ResponseHead, bytes], Awaitable[None]]:
    """The exchange's `send` before accept: the HTTP answer instead of the upgrade."""

    async def send_whole(head: ResponseHead, body: bytes) -> None:
        if "websocket.http.response" in (scope.get("extensions") or {}):
            head.set("content-length", str(len(body)))
            headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in head.headers]
            await send({"type": "websocket.http.response.start", "status": head.status, "headers": headers})
            await send({"type": "websocket.http.response.body", "body": body})
        else:
            await send({"type": "websocket.close", "code": 1008})

    return send_whole


class ASGISocket:
    """One accepted socket between the server and the application (the session's Endpoint)."""

    def __init__(self, exchange: Exchange, service: WebSocketService, receive: Receive, send: Send) -> None:
        self.exchange = exchange
        self.service = service
        self._receive = receive
        self._send = send
        self._inbox: asyncio.Queue[Message] = asyncio.Queue()
        self._pump: asyncio.Task[None] | None = None
        self.session: Session | None = None
        self.closed = False
        self._tasks: set[asyncio.Task[None]] = set()

    # -- what the application calls ------------------------------------------------------------
    async def receive(self) -> Message:
        if self.session is None:
            return await self._receive()  # before accept: websocket.connect, or a disconnect
        if self._pump is None:
            self._pump = asyncio.get_running_loop().create_task(self._read())
        return await self._inbox.get()

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "websocket.accept":
            await self._accept(message)
            return
        session = self.session
        if kind == "websocket.send" and session is not None:
            if self.closed:
                return
            text = message.get("text")
            data = text.encode() if text is not None else message.get("bytes") or b""
            session.outbound(len(data))
        elif kind == "websocket.close":
            if session is None:
                # the application refused the handshake itself
                self.exchange.outcome.status = 403
            else:
                session.closing()
                self._finish(message.get("code", 1000), message.get("reason") or "", "upstream")
        await self._send(message)

    # -- the session's Endpoint ----------------------------------------------------------------
    def close(self, code: int, reason: str) -> None:
        if self.closed:
            return
        self._spawn(self._send({"type": "websocket.close", "code": code, "reason": reason}))
        self._inbox.put_nowait({"type": "websocket.disconnect", "code": code})
        self._finish(code, reason, "gateway")

    def ping(self, payload: bytes) -> bool:
        return False  # ASGI has no ping message: the server pings

    def abort(self) -> None:
        self.close(1006, "closing handshake timed out")

    # -- internals ---------------------------------------------------------------------------------
    async def _accept(self, message: Message) -> None:
        subprotocol = message.get("subprotocol")
        _, allowed = offer(self.exchange.request.headers, self.service.subprotocols)
        if subprotocol is not None and subprotocol not in allowed:
            # the application chose what the policy does not allow: refuse rather than accept
            await self._send({"type": "websocket.close", "code": 1008})
            self.exchange.outcome.status = 403
            return
        head = ResponseHead(
            101, [(k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in message.get("headers") or ()]
        )
        head = await self.exchange.upgrade(head, subprotocol)
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in head.headers if k not in _NOT_FORWARDED]
        self.session = self.service.open(self.exchange, self, subprotocol)
        await self._send({**message, "headers": headers})

    async def _read(self) -> None:
        """Messages from the server, through the session, into what the application receives."""
        policy = self.service.messages
        while not self.closed:
            message = await self._receive()
            session = self.session
            assert session is not None
            if message["type"] == "websocket.disconnect":
                self._finish(message.get("code", 1005), message.get("reason") or "", "client")
                self._inbox.put_nowait(message)
                return
            if message["type"] != "websocket.receive":
                continue
            text = message.get("text")
            payload: str | bytes = text if text is not None else message.get("bytes") or b""
            size = len(payload) if isinstance(payload, bytes) or payload.isascii() else len(payload.encode())
            objection: Objection | None
            if size > policy.max_message:
                objection = session.too_big("message", size, policy.max_message)
            else:
                objection = session.inbound(payload, size)
            if objection is not None and objection.code is not None:
                self.close(objection.code, objection.reason)
                return
            self._inbox.put_nowait(message)

    def _finish(self, code: int | None, reason: str, by: str) -> None:
        if self.closed:
            return
        self.closed = True
        if self.session is not None:
            self.session.finish(code, reason, by)

    def _spawn(self, coroutine: Awaitable[None]) -> None:
        async def run() -> None:
            with contextlib.suppress(Exception):
                await coroutine

        task = asyncio.get_running_loop().create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def end(self) -> None:
        """The application returned: whatever is still open is accounted for, once."""
        if self._pump is not None:
            self._pump.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._pump
        if self.session is not None and not self.closed:
            self._finish(1006, "application returned without closing", "upstream")
        for task in list(self._tasks):
            with contextlib.suppress(Exception):
                await task
        if self.session is None:
            self.exchange.close()


def unsupported(service: WebSocketService | None, path: str) -> Verdict | None:
    """Without a websocket section no socket is accepted, as the proxy refuses every upgrade."""
    if service is None:
        return Verdict.refuse(501, "websocket.path", "the policy has no websocket section", category="websocket")
    return service.refusal(path)


async def run_socket(  # noqa: PLR0913  one socket's parts: the ASGI triple, the exchange and the service
    app: App,
    scope: MutableMapping[str, Any],
    connect: Message,
    exchange: Exchange,
    service: WebSocketService,
    receive: Receive,
    send: Send,
) -> None:
    """The application with one accepted handshake: it sees only the allowed subprotocols, and every
    message it receives or sends passes the session."""
    socket = ASGISocket(exchange, service, receive, send)
    replayed = False

    async def app_receive() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return connect
        return await socket.receive()

    _, allowed = offer(exchange.request.headers, service.subprotocols)
    try:
        await app({**scope, "subprotocols": allowed}, app_receive, socket.send)
    except Exception:
        if socket.session is None and not exchange.head_sent:
            await exchange.fail(500, "application failed")
        raise
    finally:
        await socket.end()
