"""Upstream faults: whatever the upstream does, the client gets the documented answer in bounded time.

Promise (docs/reliability.md, "Upstream faults"): an upstream that cannot be reached, stays silent past
`upstream.timeouts.read`, answers something that is not HTTP, answers a head over
`upstream.max_response_headers`, or frames its answer ambiguously gets a 502 or 504 problem+json
before any of its response reaches the client. When it fails after its head was relayed (a body that
stalls or is reset), the client's connection is cut within the timeout, so the client sees a truncated
body rather than waiting. Bastion never crashes, no pooled connection is leaked, and the next request
succeeds as soon as the upstream behaves again.

Every upstream here is a real server on loopback (raw asyncio, or uvicorn in its own process for
SIGSTOP); timeouts are configured short (300 ms read, 1.5 s total) so nothing waits for long.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import time

import pytest

from tests.faults.harness import (
    FaultyUpstream,
    Timed,
    answer_ok,
    exchange_raw,
    final_responses,
    get,
    poll,
    read_request,
    reset,
    uvicorn_upstream,
)
from tests.proxy_harness import RunningProxy, running_proxy
from tests.servers import free_port

READ = 0.3
TOTAL = 1.5
POOL = 2  # small, so that one leaked connection slot per fault would exhaust it
# The client must have its answer within the timeout that applies plus scheduling slack on a shared
# 2-core machine; this bounds "left waiting", it is not a performance figure.
SLACK = 1.5


def upstream_section(url: str, **extra: object) -> dict[str, object]:
    timeouts = {"connect": "300ms", "read": f"{int(READ * 1000)}ms", "total": f"{TOTAL}s", "pool": "300ms"}
    return {"url": url, "pool_size": POOL, "timeouts": timeouts, **extra}


def assert_problem(result: Timed, status: int) -> None:
    responses = final_responses(result.data)
    assert len(responses) == 1, result.data[:400]
    response = responses[0]
    assert response.status == status, result.data[:400]
    assert response.complete
    assert response.is_problem, result.data[:400]


def assert_problem_or_cut(result: Timed, status: int) -> None:
    """A failure after the head: a problem+json if the response phase was still holding the response
    (inspecting it), or else the relayed 200 cut short and the connection closed."""
    response = final_responses(result.data)[0]
    if response.status == status:
        assert_problem(result, status)
        return
    assert response.status == 200
    assert not response.complete  # the only honest signal left once the head was relayed
    assert result.closed


async def assert_recovers(proxy: RunningProxy, upstream: FaultyUpstream) -> None:
    """The upstream behaves again: the next requests succeed and no pooled connection was leaked."""
    upstream.behaviour = answer_ok
    for _ in range(POOL + 2):
        result = await exchange_raw(proxy.port, get(), timeout=TOTAL + SLACK)
        responses = final_responses(result.data)
        assert responses, result.data
        assert responses[0].status == 200, result.data[:300]
    pool = proxy.server.pool
    assert pool is not None
    assert pool.open_connections <= POOL


async def faulted(proxy: RunningProxy, request: bytes = b"") -> Timed:
    return await exchange_raw(proxy.port, request or get(), timeout=TOTAL + 3 * SLACK)


# -- the upstream never answers the head ------------------------------------------------------------------


async def never_answers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await read_request(reader)
    await reader.read()  # hold the connection open, silent, until the gateway gives up


async def test_silent_upstream_is_504_within_the_read_timeout() -> None:
    async with (
        FaultyUpstream(never_answers) as upstream,
        running_proxy(upstream.url, upstream=upstream_section(upstream.url)) as proxy,
    ):
        for _ in range(POOL + 1):  # more faults than pooled connections
            result = await faulted(proxy)
            assert_problem(result, 504)
            assert result.seconds < READ + SLACK
        await assert_recovers(proxy, upstream)


async def test_head_trickled_slower_than_the_total_timeout_is_504() -> None:
    """Bytes every 100 ms keep the read timeout alive; the total timeout still ends the exchange."""

    async def trickles(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        for byte in b"HTTP/1.1 200 OK\r\nx-slow: " + b"a" * 1000:
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(0.1)

    async with (
        FaultyUpstream(trickles) as upstream,
        running_proxy(upstream.url, upstream=upstream_section(upstream.url)) as proxy,
    ):
        result = await faulted(proxy)
        assert_problem(result, 504)
        assert TOTAL - 0.2 < result.seconds < TOTAL + SLACK
        await assert_recovers(proxy, upstream)


# -- the upstream fails after its head -------------------------------------------------------------------


def head_then(body_part: bytes, length: int) -> bytes:
    """A head and the start of its body: text lines, larger than `responses.max_inspected` (set to
    64 KiB below), so the response is inspected as it streams and its head relayed before its end."""
    return b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: %d\r\n\r\n%b" % (
        length,
        body_part,
    )


STREAMED = {"max_inspected": "64KiB"}


async def test_slow_body_cuts_the_client_within_the_read_timeout() -> None:
    async def stalls(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(head_then(b"line\n" * 20, 100_000))
        await writer.drain()
        await reader.read()

    async with (
        FaultyUpstream(stalls) as upstream,
        running_proxy(upstream.url, upstream=upstream_section(upstream.url), responses=STREAMED) as proxy,
    ):
        for _ in range(POOL + 1):
            result = await faulted(proxy)
            assert_problem_or_cut(result, 504)
            assert result.seconds < READ + SLACK
        await assert_recovers(proxy, upstream)


async def test_slow_body_of_an_inspected_response_is_504() -> None:
    """When the response phase must see the whole body (filtering), nothing has been sent yet: 504."""

    async def stalls(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        body = b'{"name": "x", "password": "' + b"p" * 50
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 10000\r\n\r\n" + body)
        await writer.drain()
        await reader.read()

    async with (
        FaultyUpstream(stalls) as upstream,
        running_proxy(upstream.url, upstream=upstream_section(upstream.url), responses={"mode": "filter"}) as proxy,
    ):
        result = await faulted(proxy)
        assert_problem(result, 504)
        assert result.seconds < READ + SLACK
        await assert_recovers(proxy, upstream)


async def test_body_dripping_past_the_total_timeout_is_cut() -> None:
    async def drips(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(head_then(b"", 100_000))
        while True:
            writer.write(b"x\n")
            await writer.drain()
            await asyncio.sleep(0.1)

    async with (
        FaultyUpstream(drips) as upstream,
        running_proxy(upstream.url, upstream=upstream_section(upstream.url), responses=STREAMED) as proxy,
    ):
        result = await faulted(proxy)
        assert_problem_or_cut(result, 504)
        assert result.seconds < TOTAL + SLACK
        await assert_recovers(proxy, upstream)


async def test_reset_mid_body_cuts_the_client() -> None:
    async def resets(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(head_then(b"line\n" * 200, 100_000))
        await writer.drain()
        await asyncio.sleep(0.05)
        reset(writer)

    async with (
        FaultyUpstream(resets) as upstream,
        running_proxy(upstream.url, upstream=upstream_section(upstream.url), responses=STREAMED) as proxy,
    ):
        for _ in range(POOL + 1):
            result = await faulted(proxy)
            assert_problem_or_cut(result, 502)
            assert result.seconds < SLACK
        await assert_recovers(proxy, upstream)


async def test_reset_mid_body_of_an_inspected_response_is_502() -> None:
    async def resets(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 5000\r\n\r\n{"a": ')
        await writer.drain()
        await asyncio.sleep(0.05)
        reset(writer)

    async with (
        FaultyUpstream(resets) as upstream,
        running_proxy(upstream.url, upstream=upstream_section(upstream.url), responses={"mode": "filter"}) as proxy,
    ):
        result = await faulted(proxy)
        assert_problem(result, 502)
        await assert_recovers(proxy, upstream)


async def test_reset_before_the_head_is_502() -> None:
    async def resets(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        reset(writer)

    async with (
        FaultyUpstream(resets) as upstream,
        running_proxy(upstream.url, upstream=upstream_section(upstream.url)) as proxy,
    ):
        for _ in range(POOL + 1):
            assert_problem(await faulted(proxy), 502)
        await assert_recovers(proxy, upstream)


# -- the upstream answers something that is not a valid response ------------------------------------------

BAD_ANSWERS = {
    "garbage": b"\x00\x01\x02 this is not HTTP\r\n\r\n",
    "tls to a plain client": b"\x16\x03\x03\x00\x2a\x02\x00\x00\x26\x03\x03" + b"\x00" * 40,
    "bad status line": b"HTTP/1.1 2OO OK\r\ncontent-length: 0\r\n\r\n",
    "bad header": b"HTTP/1.1 200 OK\r\nbad header\r\ncontent-length: 0\r\n\r\n",
    "negative length": b"HTTP/1.1 200 OK\r\ncontent-length: -5\r\n\r\n",
    "two lengths": b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nabc",
    "length and chunked": (
        b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    ),
    "chunked and length": (
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-length: 40\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    ),
    "bad chunk size": b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
    "header with nul": b"HTTP/1.1 200 OK\r\nx-a: a\x00b\r\ncontent-length: 0\r\n\r\n",
    "obs-fold": b"HTTP/1.1 200 OK\r\nx-a: a\r\n b\r\ncontent-length: 0\r\n\r\n",
    "oversized head in one write": (
        b"HTTP/1.1 200 OK\r\n" + b"x-big: " + b"a" * 100_000 + b"\r\ncontent-length: 0\r\n\r\n"
    ),
    "too many headers in one write": b"HTTP/1.1 200 OK\r\n" + b"x-h: v\r\n" * 20_000 + b"content-length: 0\r\n\r\n",
    "closed before the head": b"",
    "truncated head": b"HTTP/1.1 200 OK\r\ncontent-le",
}


@pytest.mark.parametrize("name", list(BAD_ANSWERS))
async def test_invalid_response_is_502(name: str) -> None:
    answer = BAD_ANSWERS[name]

    async def answers_badly(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(answer)
        await writer.drain()
        writer.close()

    async with (
        FaultyUpstream(answers_badly) as upstream,
        running_proxy(upstream.url, upstream=upstream_section(upstream.url)) as proxy,
    ):
        for _ in range(POOL + 1):
            result = await faulted(proxy)
            assert_problem(result, 502)
            assert result.seconds < READ + SLACK
        await assert_recovers(proxy, upstream)


async def test_oversized_head_trickled_is_502_before_it_is_whole() -> None:
    """The bound holds while the head arrives: the upstream is cut off long before it finishes."""
    sent = 0

    async def endless_head(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal sent
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\n")
        while sent < 10_000_000:
            writer.write(b"x-h: " + b"a" * 1000 + b"\r\n")
            sent += 1007
            await writer.drain()
            await asyncio.sleep(0)  # drain() does not yield while the socket takes everything

    async with (
        FaultyUpstream(endless_head) as upstream,
        running_proxy(upstream.url, upstream=upstream_section(upstream.url, max_response_headers="16KiB")) as proxy,
    ):
        result = await faulted(proxy)
        assert_problem(result, 502)
        assert sent < 2_000_000
        await assert_recovers(proxy, upstream)


# -- the upstream is not there, or is frozen -------------------------------------------------------------


async def test_connection_refused_is_502_and_recovers_when_the_upstream_starts() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    async with running_proxy(url, upstream=upstream_section(url)) as proxy:
        for _ in range(POOL + 1):
            result = await faulted(proxy)
            assert_problem(result, 502)
            assert result.seconds < SLACK
        server = await asyncio.start_server(answer_ok, "127.0.0.1", port)
        try:
            for _ in range(POOL + 2):
                responses = final_responses((await faulted(proxy)).data)
                assert responses[0].status == 200
        finally:
            server.close()


async def test_unroutable_connect_is_502_within_the_connect_timeout() -> None:
    """A SYN nobody answers: the listen backlog of a server that stopped accepting is full."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    try:
        for _ in range(8):  # fill the accept queue so the next SYN is dropped, not refused
            filler = socket.socket()
            filler.setblocking(False)
            try:
                filler.connect(("127.0.0.1", port))
            except BlockingIOError:
                pass
            fillers.append(filler)
        url = f"http://127.0.0.1:{port}"
        async with running_proxy(url, upstream=upstream_section(url)) as proxy:
            result = await faulted(proxy)
            assert_problem(result, 502)
            assert result.seconds < 0.3 + SLACK
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


async def test_frozen_upstream_process_is_504_and_recovers_when_it_resumes() -> None:
    """Half-open: SIGSTOP keeps the upstream's sockets open (the kernel still accepts connections)
    while nothing answers; SIGCONT brings it back."""
    with uvicorn_upstream() as upstream:
        url = f"http://127.0.0.1:{upstream.port}"  # type: ignore[attr-defined]
        async with running_proxy(url, upstream=upstream_section(url)) as proxy:
            assert final_responses((await faulted(proxy, get("/a"))).data)[0].status == 200  # pooled now
            os.kill(upstream.pid, signal.SIGSTOP)
            try:
                started = time.monotonic()
                results = await asyncio.gather(*(faulted(proxy, get("/a")) for _ in range(POOL + 2)))
                for result in results:
                    status = final_responses(result.data)[0].status
                    assert status in (503, 504)  # 503: the pool stayed full of frozen connections
                    assert_problem(result, status)
                    assert result.seconds < READ + 0.3 + SLACK
                assert time.monotonic() - started < READ + 0.3 + 2 * SLACK
            finally:
                os.kill(upstream.pid, signal.SIGCONT)

            async def recovered() -> bool:
                result = await faulted(proxy, get("/a"))
                return bool(final_responses(result.data)) and final_responses(result.data)[0].status == 200

            deadline = time.monotonic() + 5
            while not await recovered():
                assert time.monotonic() < deadline, "the proxy did not recover after SIGCONT"
            for _ in range(POOL + 2):
                assert await recovered()
            assert await poll(lambda: proxy.server.pool is not None and proxy.server.pool.open_connections <= POOL, 2)
