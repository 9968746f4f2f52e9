"""An upstream that records every byte it receives and answers with hostile responses, byte for byte.

Written on raw asyncio streams rather than a framework so that a test decides every byte of the
answer: mislabeled or missing Content-Types, charsets, compressed bodies, chunked streams released
part by part, statuses the spec never declares. It serves keep-alive connections like a real one.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import orjson

ARGON_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$9sKy0Yp2F1m0Qbq5pR6bLw"
SSN = "078-05-1120"
CARD = "4111 1111 1111 1111"
AWS_KEY = "AKIA" + "IOSFODNN7EXAMPLE"
TRACE = (
    "Traceback (most recent call last):\n"
    '  File "/srv/app/views.py", line 41, in get_user\n'
    "    row = db.execute(query).one()\n"
    "sqlalchemy.exc.NoResultFound: No row was found when one was required\n"
)
SECRETS = [ARGON_HASH, SSN, CARD, AWS_KEY, "4111111111111111"]

USER = {"id": 7, "name": "alice"}
HOSTILE_USER = {
    **USER,
    "password_hash": ARGON_HASH,
    "ssn": SSN,
    "card": CARD,
    "internal": {"role": "admin", "db_host": "10.0.0.12"},
}
HOSTILE_JSON = orjson.dumps(HOSTILE_USER)
FILTERED_JSON = orjson.dumps(USER)


@dataclass
class Canned:
    """One answer: a status, headers as sent, and a body (a list of parts is sent chunked)."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes | list[bytes] = b""
    gate: int | None = None  # chunked: wait for `release` before sending the part at this index
    reason: str = "X"


@dataclass
class RecordingUpstream:
    routes: dict[str, Canned]
    received: list[bytes] = field(default_factory=list)  # every request, raw, in order
    release: asyncio.Event = field(default_factory=asyncio.Event)
    port: int = 0
    _server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def requests_for(self, path: str) -> list[bytes]:
        """The raw requests whose target starts with `path`."""
        return [raw for raw in self.received if raw.split(b" ", 2)[1].startswith(path.encode())]

    def methods_for(self, path: str) -> list[str]:
        return [raw.split(b" ", 1)[0].decode() for raw in self.requests_for(path)]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                body = await _read_body(reader, head)
                self.received.append(head + body)
                method, target = head.split(b" ", 2)[:2]
                canned = self.routes.get(target.decode().partition("?")[0]) or Canned(404, [], b"")
                await self._answer(writer, canned, head_only=method == b"HEAD")
        except ConnectionError:
            return
        finally:
            writer.close()

    async def _answer(self, writer: asyncio.StreamWriter, canned: Canned, *, head_only: bool) -> None:
        lines = [f"HTTP/1.1 {canned.status} {canned.reason}".encode()]
        lines += [f"{name}: {value}".encode("latin-1") for name, value in canned.headers]
        parts = canned.body if isinstance(canned.body, list) else None
        if parts is None:
            assert isinstance(canned.body, bytes)
            lines.append(b"content-length: %d" % len(canned.body))
        else:
            lines.append(b"transfer-encoding: chunked")
        writer.write(b"\r\n".join(lines) + b"\r\n\r\n")
        if head_only:
            await writer.drain()
            return
        if parts is None:
            assert isinstance(canned.body, bytes)
            writer.write(canned.body)
            await writer.drain()
            return
        for index, part in enumerate(parts):
            if canned.gate == index:
                await asyncio.wait_for(self.release.wait(), 10)
            writer.write(b"%x\r\n%b\r\n" % (len(part), part))
            await writer.drain()
        writer.write(b"0\r\n\r\n")
        await writer.drain()


async def _read_body(reader: asyncio.StreamReader, head: bytes) -> bytes:
    lower = head.lower()
    if b"transfer-encoding: chunked" in lower:
        body = b""
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.strip(), 16)
            chunk = await reader.readexactly(size + 2)
            body += chunk[:-2]
            if size == 0:
                return body
    for line in lower.split(b"\r\n"):
        if line.startswith(b"content-length:"):
            return await reader.readexactly(int(line.split(b":", 1)[1]))
    return b""


@contextlib.asynccontextmanager
async def recording_upstream(routes: dict[str, Canned]) -> AsyncIterator[RecordingUpstream]:
    upstream = RecordingUpstream(routes)
    server = await asyncio.start_server(upstream._serve, "127.0.0.1", 0)
    upstream.port = server.sockets[0].getsockname()[1]
    try:
        yield upstream
    finally:
        upstream.release.set()
        server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(server.wait_closed(), 2)


def json_answer(body: bytes = HOSTILE_JSON, status: int = 200, content_type: str | None = "application/json") -> Canned:
    headers = [("content-type", content_type)] if content_type is not None else []
    return Canned(status, headers, body)


def gzipped(body: bytes) -> bytes:
    return gzip.compress(body)


@dataclass
class Answer:
    """A response as the client received it (chunked bodies joined)."""

    status: int
    headers: dict[str, str]
    body: bytes
    raw: bytes


def parse_answer(raw: bytes) -> Answer:
    """Parse one raw HTTP/1.1 response (Content-Length, chunked, or up to the connection's end)."""
    head, _, rest = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.decode().strip().lower()] = value.decode("latin-1").strip()
    if "content-length" in headers:
        body = rest[: int(headers["content-length"])]
    elif headers.get("transfer-encoding") == "chunked":
        body = b""
        while rest:
            size_line, _, rest = rest.partition(b"\r\n")
            size = int(size_line, 16)
            if size == 0:
                break
            body += rest[:size]
            rest = rest[size + 2 :]
    else:
        body = rest
    return Answer(status, headers, body, raw)
