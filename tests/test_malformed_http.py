"""No malformed request makes Bastion answer 5xx or crash: it answers 4xx/501 and closes."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.proxy_harness import (
    RunningProxy,
    ThreadedProxy,
    blocking_request,
    raw_request,
    running_proxy,
    status_of,
)
from tests.servers import ThreadedUvicorn

CASES = {
    "cl and te": (
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        400,
    ),
    "duplicate cl": (b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
    "invalid cl": (b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3x\r\n\r\nabc", 400),
    "negative cl": (b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400),
    "bad chunk size": (b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 400),
    "chunk overrun": (b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcdef\r\n0\r\n\r\n", 400),
    "obsolete folding": (b"GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", 400),
    "te not chunked": (b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", 400),
    "te gzip chunked": (b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
    "space before colon": (b"GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
    "invalid utf-8 in path": (b"GET /\xff\xfe HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    "nul in header": (b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n", 400),
    "bare lf": (b"GET / HTTP/1.1\nHost: a\n\n", 400),
    "unknown method": (b"FOO / HTTP/1.1\r\nHost: a\r\n\r\n", 501),
    "connect": (b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 405),
    "h2c upgrade": (b"GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n\r\n", 501),
    "no host": (b"GET / HTTP/1.1\r\n\r\n", 400),
    "two hosts": (b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
    "garbage": (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 400),
    "absolute form to elsewhere": (b"GET http://169.254.169.254/latest HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    "dot segments": (b"GET /a/../../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    "encoded slash": (b"GET /a%2f..%2fadmin HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    "version 2.0 text": (b"GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
}


@pytest.fixture
async def proxy(upstream: ThreadedUvicorn):  # type: ignore[no-untyped-def]
    async with running_proxy(upstream.url) as running:
        yield running


@pytest.mark.parametrize("name", list(CASES))
async def test_malformed_request_gets_a_4xx_and_the_server_lives(proxy: RunningProxy, name: str) -> None:
    data, expected = CASES[name]
    response = await raw_request(proxy.port, data, timeout=1)
    status = status_of(response)
    if expected:
        assert status == expected, response[:200]
    assert status < 500 or status in (501, 505)  # 501/505: a protocol feature this gateway does not speak
    async with httpx.AsyncClient() as client:
        assert (await client.get(f"{proxy.url}/still-alive")).status_code == 200


async def test_truncated_requests(proxy: RunningProxy) -> None:
    full = b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\n0123456789"
    for cut in range(1, len(full), 7):
        response = await raw_request(proxy.port, full[:cut], timeout=0.3, half_close=True)
        assert status_of(response) in (0, 400, 408), (cut, response[:100])


async def test_many_connections_with_absurd_header_counts(proxy: RunningProxy) -> None:
    data = b"GET / HTTP/1.1\r\nHost: a\r\n" + b"X: y\r\n" * 5000 + b"\r\n"
    results = await asyncio.gather(*(raw_request(proxy.port, data, timeout=2) for _ in range(20)))
    assert {status_of(r) for r in results} == {431}


@pytest.fixture(scope="module")
def threaded_proxy(upstream: ThreadedUvicorn) -> Iterator[ThreadedProxy]:
    with ThreadedProxy(upstream.url) as proxy:
        yield proxy


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    method=st.sampled_from([b"GET", b"POST", b"PUT", b"G\x00T", b"", b"get", b"OPTIONS"]),
    target=st.binary(max_size=40),
    headers=st.lists(st.tuples(st.binary(max_size=20), st.binary(max_size=60)), max_size=8),
    body=st.binary(max_size=100),
)
def test_fuzzed_requests_never_5xx(
    threaded_proxy: ThreadedProxy, method: bytes, target: bytes, headers: list[tuple[bytes, bytes]], body: bytes
) -> None:
    data = method + b" /" + target + b" HTTP/1.1\r\nHost: a\r\n"
    data += b"".join(name + b": " + value + b"\r\n" for name, value in headers) + b"\r\n" + body
    response = blocking_request(threaded_proxy.port, data, timeout=2)
    # several responses may come back on one connection (the fuzzed bytes may hold two requests);
    # 501 and 505 are the answers for what Bastion does not support (a coding, a version: a target
    # holding a bare LF ends the request line early, `GET /` with no version, read as HTTP/0.9)
    for part in response.split(b"HTTP/1.1 ")[1:]:
        status = int(part[:3])
        assert status < 500 or status in (501, 505), part[:300]
        if status == 505:
            assert b"\n" in target or b"\r" in target or b" " in target, part[:300]
    assert status_of(blocking_request(threaded_proxy.port, b"GET /ok HTTP/1.1\r\nHost: a\r\n\r\n")) == 200
