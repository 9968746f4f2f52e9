"""Upstreams for hardening tests: one that records every byte it receives, and routers of other people.

`RecordingUpstream` answers every request 200 and keeps the raw bytes of each request (head and
body), so a test can assert exactly what passed the gateway. `LenientRouter` reads paths the way
permissive frameworks do, which is what the gateway must defend against: case-insensitive (Express,
ASP.NET), percent-decoding before matching, `;parameters` stripped from segments (Spring, Tomcat,
Jetty), trailing dots and spaces trimmed (IIS, Windows), a `#` ending the path (any framework that
splits the target as a URL), and the method taken from `X-HTTP-Method-Override` (Express's
method-override middleware). It records which handler ran.
"""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass, field
from urllib.parse import unquote

import httptools

from tests.servers import free_port, wait_port


@dataclass
class Received:
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes
    raw: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class _Parsing:
    target: bytes = b""
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytearray = field(default_factory=bytearray)


class _Protocol(asyncio.Protocol):
    def __init__(self, upstream: RecordingUpstream) -> None:
        self._upstream = upstream
        self._parser = httptools.HttpRequestParser(self)
        self._raw = bytearray()
        self._current = _Parsing()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self._raw += data
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError:
            if self._transport is not None:
                self._transport.close()

    def on_url(self, url: bytes) -> None:
        self._current.target += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self._current.headers.append((name, value))

    def on_body(self, body: bytes) -> None:
        self._current.body += body

    def on_message_complete(self) -> None:
        parsing, self._current = self._current, _Parsing()
        received = Received(
            method=self._parser.get_method().decode(),
            target=parsing.target.decode("latin-1"),
            headers=[(n.decode("latin-1"), v.decode("latin-1")) for n, v in parsing.headers],
            body=bytes(parsing.body),
            raw=bytes(self._raw),
        )
        self._raw = bytearray()
        answer = self._upstream.answer(received)
        body = json.dumps(answer).encode()
        if self._transport is not None:
            self._transport.write(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%b" % (len(body), body)
            )


class RecordingUpstream:
    """An HTTP/1.1 server on a loopback port, in its own thread, recording what it receives."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._server: asyncio.AbstractServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer(self, received: Received) -> object:
        with self._lock:
            self.received.append(received)
        return {"target": received.target}

    def take(self) -> list[Received]:
        with self._lock:
            taken, self.received = self.received, []
        return taken

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            self._loop.create_server(lambda: _Protocol(self), "127.0.0.1", self.port)
        )
        self._loop.run_forever()

    def __enter__(self) -> RecordingUpstream:
        self._thread.start()
        wait_port(self.port)
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)


class LenientRouter(RecordingUpstream):
    """Routes as permissive frameworks do and says which handler ran: `admin` or `public`."""

    def answer(self, received: Received) -> object:
        super().answer(received)
        path = received.target.split("#", 1)[0].split("?", 1)[0]
        segments = [unquote(segment).split(";", 1)[0].rstrip(". \t").lower() for segment in path.split("/")]
        method = (received.header("x-http-method-override") or received.method).upper()
        handler = "admin" if segments[:3] == ["", "api", "admin"] else "public"
        return {"handler": handler, "method": method, "target": received.target}
