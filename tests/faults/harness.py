"""Shared pieces of the fault, flood and fuzz tests: misbehaving upstreams, raw HTTP/1 reading, and
what a process costs (RSS, open file descriptors, its workers).

The upstreams here are written on raw asyncio streams on purpose: a well-behaved framework cannot
be told to stall in the middle of a head, reset a connection half-way through a body or send both
Content-Length and Transfer-Encoding, and those are the answers a gateway must survive.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import socket
import struct
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httptools
import orjson

from tests.servers import ROOT, free_port, wait_port

Behaviour = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]

# -- reading HTTP/1 responses ------------------------------------------------------------------------


@dataclass
class RawResponse:
    status: int = 0
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytearray = field(default_factory=bytearray)
    complete: bool = False

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key == name:
                return value
        return None

    @property
    def is_problem(self) -> bool:
        """An RFC 9457 answer whose body states the same status as the response line."""
        if self.header("content-type") != "application/problem+json":
            return False
        try:
            doc = orjson.loads(bytes(self.body))
        except orjson.JSONDecodeError:
            return False
        return isinstance(doc, dict) and doc.get("status") == self.status and bool(doc.get("request_id"))


class _ResponseReader:
    """Responses in a byte stream as a client reads them (llhttp); the last may be incomplete."""

    def __init__(self, head_only: bool = False) -> None:
        self.responses: list[RawResponse] = []
        self.error: str | None = None
        self._parser = httptools.HttpResponseParser(self)
        self._head_only = head_only

    def feed(self, data: bytes) -> None:
        if self.error is not None:
            return
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self.error = "upgrade"
        except httptools.HttpParserError as exc:
            self.error = str(exc)

    def on_message_begin(self) -> None:
        self.responses.append(RawResponse())

    def on_header(self, name: bytes, value: bytes) -> None:
        self.responses[-1].headers.append((name.decode("latin-1").lower(), value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        response = self.responses[-1]
        response.status = self._parser.get_status_code()
        if 100 <= response.status < 200:
            response.complete = True

    def on_body(self, body: bytes) -> None:
        self.responses[-1].body += body

    def on_message_complete(self) -> None:
        self.responses[-1].complete = True


def parse_responses(data: bytes) -> tuple[list[RawResponse], str | None]:
    """Every response in `data` (interim 1xx included), and the parse error if the stream broke."""
    reader = _ResponseReader()
    reader.feed(data)
    return reader.responses, reader.error


def read_responses(data: bytes, methods: list[bytes]) -> tuple[list[RawResponse], str | None]:  # noqa: PLR0911, PLR0912  a client's response framing (RFC 9112 section 6.3), rule by rule
    """Responses in `data` framed as a client that sent `methods` frames them: an answer to HEAD, a
    1xx, 204 or 304 has no body (llhttp's response parser cannot be told which answers HEAD)."""
    responses: list[RawResponse] = []
    at = 0
    finals = 0
    while at < len(data):
        end = data.find(b"\r\n\r\n", at)
        if end < 0:
            responses.append(RawResponse())
            return responses, None if data[at:].startswith(b"HTTP/1.") or len(data) - at < 8 else "not HTTP"
        lines = data[at:end].split(b"\r\n")
        parts = lines[0].split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
            return responses, f"bad status line {lines[0][:80]!r}"
        response = RawResponse(status=int(parts[1]))
        for line in lines[1:]:
            name, sep, value = line.partition(b":")
            if not sep:
                return responses, f"bad header line {line[:80]!r}"
            response.headers.append((name.decode("latin-1").strip().lower(), value.decode("latin-1").strip()))
        responses.append(response)
        at = end + 4
        informational = 100 <= response.status < 200
        method = methods[finals] if finals < len(methods) else b""
        if not informational:
            finals += 1
        # b"?": a request whose method the client cannot be sure the server read (its line broke off
        # where packetisation decides whether the method was seen): a bodyless answer is framed too.
        unsure_head = method == b"?" and at == len(data)
        if informational or method == b"HEAD" or unsure_head or response.status in (204, 304):
            response.complete = True
            continue
        length = response.header("content-length")
        if response.header("transfer-encoding") == "chunked":
            while True:
                line_end = data.find(b"\r\n", at)
                if line_end < 0:
                    return responses, None
                try:
                    size = int(data[at:line_end].split(b";")[0], 16)
                except ValueError:
                    return responses, f"bad chunk size {data[at:line_end][:40]!r}"
                if line_end + 2 + size + 2 > len(data):
                    response.body += data[line_end + 2 : line_end + 2 + size]
                    return responses, None
                response.body += data[line_end + 2 : line_end + 2 + size]
                at = line_end + 2 + size + 2
                if size == 0:
                    response.complete = True
                    break
        elif length is not None:
            response.body += data[at : at + int(length)]
            at += int(length)
            response.complete = len(response.body) == int(length)
        else:
            response.body += data[at:]  # framed by the close
            response.complete = True
            at = len(data)
    return responses, None


def final_responses(data: bytes) -> list[RawResponse]:
    return [r for r in parse_responses(data)[0] if not 100 <= r.status < 200]


@dataclass
class Timed:
    data: bytes
    seconds: float
    closed: bool  # the server closed the connection (as opposed to the read timing out)


async def exchange_raw(
    port: int, data: bytes, *, timeout: float = 5.0, half_close: bool = False, responses: int = 1
) -> Timed:
    """Send `data`, read until `responses` final responses are complete, the server closes, or
    `timeout` passes; how long it took."""
    started = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    chunks: list[bytes] = []
    closed = False
    try:
        writer.write(data)
        await writer.drain()
        if half_close:
            writer.write_eof()
        deadline = started + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                chunk = await asyncio.wait_for(reader.read(65536), left)
            except TimeoutError:
                break
            except ConnectionError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            chunks.append(chunk)
            done = [r for r in parse_responses(b"".join(chunks))[0] if r.complete and r.status >= 200]
            if len(done) >= responses:
                break
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()
    return Timed(b"".join(chunks), time.monotonic() - started, closed)


def get(path: str = "/a", host: str = "gw") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()


# -- misbehaving upstreams -----------------------------------------------------------------------------


async def read_request(reader: asyncio.StreamReader) -> bytes | None:
    """One request as the gateway forwards it (Content-Length or chunked framing); None at EOF."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    lower = head.lower()
    body = b""
    if b"\r\ntransfer-encoding: chunked" in lower:
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            body += chunk[:-2]
            if size == 0:
                break
    elif b"\r\ncontent-length: " in lower:
        length = int(lower.split(b"\r\ncontent-length: ", 1)[1].split(b"\r\n", 1)[0])
        body = await reader.readexactly(length)
    return head + body


def ok_response(body: bytes = b'{"ok":true}') -> bytes:
    return b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%b" % (len(body), body)


async def answer_ok(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A healthy keep-alive upstream."""
    while await read_request(reader) is not None:
        writer.write(ok_response())
        await writer.drain()


def reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP RST (SO_LINGER 0), not a FIN: what a crashed process or a middlebox sends."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


class FaultyUpstream:
    """An upstream on a loopback port in the test's loop; `behaviour` handles each new connection
    and may be swapped at any time (the fault starts or ends for connections opened after)."""

    def __init__(self, behaviour: Behaviour = answer_ok) -> None:
        self.behaviour = behaviour
        self.port = 0
        self.connections = 0
        self.requests = 0
        self._server: asyncio.AbstractServer | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> FaultyUpstream:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._writers.add(writer)
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self.behaviour(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._tasks.discard(task)
            self._writers.discard(writer)
            writer.transport.abort()


# -- processes -------------------------------------------------------------------------------------------


def rss_kib(pid: int) -> int:
    """Resident memory of one process, from /proc (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def children_of(pid: int) -> list[int]:
    """Direct children of `pid` (the workers of `bastion serve --workers N`)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{entry}/stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return sorted(found)


@contextlib.contextmanager
def raised_nofile(wanted: int) -> Iterator[int]:
    """Raise this process's soft open-file limit (children inherit it); the limit reached is yielded."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = min(wanted, hard) if hard != resource.RLIM_INFINITY else wanted
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, target), hard))
    try:
        yield max(soft, target)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@contextlib.contextmanager
def uvicorn_upstream(app: str = "tests.upstream_app:app", port: int | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """An ASGI app served by uvicorn in its own process (so it can be stopped with SIGSTOP)."""
    port = port or free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_port(port)
        proc.port = port  # type: ignore[attr-defined]
        yield proc
    finally:
        proc.kill()
        proc.wait()


async def poll(condition: Callable[[], bool], timeout: float, interval: float = 0.02) -> bool:
    """Wait for a condition with a deadline (never a sleep standing in for one)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(interval)
    return condition()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


@contextlib.asynccontextmanager
async def faulty_upstream(behaviour: Behaviour = answer_ok) -> AsyncIterator[FaultyUpstream]:
    async with FaultyUpstream(behaviour) as upstream:
        yield upstream
