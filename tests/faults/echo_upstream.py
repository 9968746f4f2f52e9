"""The upstream of the protocol fuzzer: answers every request 200 with the exact bytes it received.

Run as `python -m tests.faults.echo_upstream PORT STATS_FILE`. Each request, as this server's llhttp
framed it, comes back as the response body with `x-echo: 1`, so the fuzzer can check, request by
request, what passed the gateway. It counts what it received, and every byte stream it could not
parse (which the gateway must never produce); on SIGTERM it writes those counts to STATS_FILE as JSON.
It never answers 5xx: any 5xx the fuzzer sees (other than 501/505) was made by the gateway.
"""

from __future__ import annotations

import asyncio
import base64
import json
import signal
import sys
from typing import Any

import httptools
import uvloop

_ID = b"\r\nx-request-id: "


class Stats:
    def __init__(self) -> None:
        self.requests = 0
        self.connections = 0
        self.parse_errors: list[dict[str, str]] = []
        self.seen: dict[str, str] = {}  # request id -> the start of the request, for the first 200,000

    def record(self, raw: bytes) -> None:
        self.requests += 1
        if len(self.seen) < 200_000:
            at = raw.lower().find(_ID)
            start = at + len(_ID)
            rid = raw[start : raw.find(b"\r\n", start)].decode("latin-1") if at >= 0 else f"none-{self.requests}"
            self.seen[rid] = raw[:300].decode("latin-1")

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "connections": self.connections,
            "parse_errors": self.parse_errors,
            "seen": self.seen,
        }


class EchoProtocol(asyncio.Protocol):
    def __init__(self, stats: Stats) -> None:
        self._stats = stats
        self._parser = httptools.HttpRequestParser(self)
        self._raw = bytearray()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]
        self._stats.connections += 1

    def data_received(self, data: bytes) -> None:
        self._raw += data
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError as exc:
            if len(self._stats.parse_errors) < 100:
                raw = bytes(self._raw[:4096])
                self._stats.parse_errors.append({"error": str(exc), "raw": base64.b64encode(raw).decode()})
            if self._transport is not None:
                self._transport.close()

    def on_message_complete(self) -> None:
        # Everything received since the previous answer: the gateway sends one request at a time on
        # a connection, so a second request in these bytes is a smuggled one, and the fuzzer's strict
        # re-parse of the echo finds it.
        raw, self._raw = bytes(self._raw), bytearray()
        self._stats.record(raw)
        if self._transport is None:
            return
        # The echo travels in a header too (when it fits): the gateway may ask a client's HEAD as a
        # GET (to inspect the body) and then drop the body, but not the header.
        echo = b"x-echo-raw: %b\r\n" % base64.b64encode(raw) if len(raw) <= 30000 else b""
        body = b"" if self._parser.get_method() == b"HEAD" else raw
        self._transport.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\nx-echo: 1\r\n%b"
            b"content-length: %d\r\n\r\n%b" % (echo, len(raw), body)
        )


def main() -> int:
    port, stats_file = int(sys.argv[1]), sys.argv[2]
    stats = Stats()
    loop = uvloop.new_event_loop()
    asyncio.set_event_loop(loop)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)

    async def serve() -> None:
        server = await loop.create_server(lambda: EchoProtocol(stats), "127.0.0.1", port, backlog=4096)
        await stop.wait()
        server.close()

    loop.run_until_complete(serve())
    with open(stats_file, "w") as out:
        json.dump(stats.as_dict(), out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
