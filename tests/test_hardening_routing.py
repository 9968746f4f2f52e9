"""Routing hardening (issue 22, items 1-4): the upstream never runs a handler the gateway did not authorize.

Every request is sent as raw bytes to Bastion in front of three upstreams that read paths in other
people's ways: Starlette (case-sensitive, decodes escapes), Flask/Werkzeug (the same, another
router) and a lenient router that reads like Express, Spring, Tomcat and IIS together
(case-insensitive, `;params` stripped, trailing dots and spaces trimmed, method override honoured).
Each upstream records which handler ran; an admin handler reached with a user's token is the failure.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from flask import Flask
from joserfc import jwt
from joserfc.jwk import OctKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from werkzeug.serving import make_server

from tests.proxy_harness import RunningProxy, raw_request, running_proxy, status_of
from tests.recording_upstream import LenientRouter, RecordingUpstream
from tests.servers import ThreadedUvicorn, free_port, wait_port

SECRET = "hardening-tests-secret-0123456789abcdef"
AUTHN = {
    "methods": [{"jwt": {"issuer": "test", "secret": SECRET, "algorithms": ["HS256"], "claims": {"roles": "roles"}}}]
}


def token(*roles: str) -> str:
    claims = {"iss": "test", "sub": "u1", "roles": list(roles), "exp": int(time.time()) + 600}
    return jwt.encode({"alg": "HS256"}, claims, OctKey.import_key(SECRET.encode()))


USER, ADMIN = token("user"), token("admin")

# (name, raw request line and extra headers, status for a user's token)
ATTACKS: list[tuple[str, bytes, int]] = [
    ("baseline", b"GET /api/admin/users HTTP/1.1\r\n", 403),
    ("upper case", b"GET /api/ADMIN/users HTTP/1.1\r\n", 403),
    ("mixed case", b"GET /api/Admin/Users HTTP/1.1\r\n", 403),
    ("encoded unreserved", b"GET /api/%41dmin/users HTTP/1.1\r\n", 403),
    ("encoded lower", b"GET /api/%61dmin/users HTTP/1.1\r\n", 403),
    ("fragment", b"GET /api/admin#/users HTTP/1.1\r\n", 400),
    ("fragment after public", b"GET /api/public#/../admin/users HTTP/1.1\r\n", 400),
    ("empty matrix", b"GET /api/admin;/users HTTP/1.1\r\n", 400),
    ("matrix", b"GET /api/admin;x=1/users HTTP/1.1\r\n", 400),
    ("encoded matrix", b"GET /api/admin%3Bx=1/users HTTP/1.1\r\n", 400),
    ("trailing dot", b"GET /api/admin./users HTTP/1.1\r\n", 400),
    ("trailing space", b"GET /api/admin%20/users HTTP/1.1\r\n", 400),
    ("trailing tab", b"GET /api/admin%09/users HTTP/1.1\r\n", 400),
    ("control", b"GET /api/ad%01min/users HTTP/1.1\r\n", 400),
    ("method override", b"POST /api/items HTTP/1.1\r\nX-HTTP-Method-Override: PATCH\r\nContent-Length: 0\r\n", 200),
    ("x-http-method", b"POST /api/items HTTP/1.1\r\nX-HTTP-Method: DELETE\r\nContent-Length: 0\r\n", 200),
    ("url rewrite", b"GET /api/items HTTP/1.1\r\nX-Original-URL: /api/admin/users\r\n", 200),
    ("rewrite url", b"GET /api/items HTTP/1.1\r\nX-Rewrite-URL: /api/admin/users\r\n", 200),
]
REWRITE_HEADERS = ("x-http-method-override", "x-http-method", "x-method-override", "x-original-url", "x-rewrite-url")


def raw(line: bytes, bearer: str) -> bytes:
    return line + b"Host: api.test\r\nAuthorization: Bearer " + bearer.encode() + b"\r\nConnection: close\r\n\r\n"


def policy(**extra: Any) -> dict[str, Any]:
    return {
        "routes": [
            {"path": "/api/admin/users", "methods": ["GET", "POST", "PATCH"], "tags": ["admin"]},
            {"path": "/api/**", "methods": ["*"]},
        ],
        "authn": AUTHN,
        "authz": {"rules": [{"allow": "*", "roles": ["user", "admin"]}]},
        "waf": None,
        **extra,
    }


class AdminHits:
    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def hit(self) -> None:
        with self.lock:
            self.count += 1


@pytest.fixture(scope="module")
def starlette_upstream() -> Iterator[tuple[str, AdminHits]]:
    hits = AdminHits()

    async def admin(request: Request) -> JSONResponse:
        hits.hit()
        return JSONResponse({"handler": "admin"})

    async def public(request: Request) -> JSONResponse:
        return JSONResponse({"handler": "public", "method": request.method})

    app = Starlette(routes=[Route("/api/admin/users", admin, methods=["GET", "POST", "PATCH"]),
                            Route("/api/{rest:path}", public, methods=["GET", "POST", "PATCH", "DELETE"])])  # fmt: skip
    with ThreadedUvicorn(app) as server:
        yield server.url, hits


@pytest.fixture(scope="module")
def flask_upstream() -> Iterator[tuple[str, AdminHits]]:
    hits = AdminHits()
    app = Flask(__name__)

    def admin() -> dict[str, str]:
        hits.hit()
        return {"handler": "admin"}

    def public(rest: str) -> dict[str, str]:
        return {"handler": "public"}

    app.add_url_rule("/api/admin/users", "admin", admin, methods=["GET", "POST", "PATCH"])
    app.add_url_rule("/api/<path:rest>", "public", public, methods=["GET", "POST", "PATCH", "DELETE"])
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    wait_port(port)
    try:
        yield f"http://127.0.0.1:{port}", hits
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def lenient() -> Iterator[LenientRouter]:
    with LenientRouter() as upstream:
        yield upstream


@pytest.fixture
async def lenient_proxy(lenient: LenientRouter) -> AsyncIterator[RunningProxy]:
    async with running_proxy(lenient.url, **policy()) as proxy:
        yield proxy


@pytest.mark.parametrize(("name", "line", "status"), ATTACKS, ids=[a[0] for a in ATTACKS])
async def test_a_lenient_router_never_runs_the_admin_handler(
    lenient_proxy: RunningProxy, lenient: LenientRouter, name: str, line: bytes, status: int
) -> None:
    lenient.take()
    response = await raw_request(lenient_proxy.port, raw(line, USER))
    assert status_of(response) == status, response[:300]
    received = lenient.take()
    if status >= 400:
        assert received == [], f"{name}: reached the upstream as {received[0].target!r}"
        return
    (request,) = received
    assert not any(request.header(h) for h in REWRITE_HEADERS), request.headers
    assert b'"handler": "public"' in response
    assert b'"method": "' + request.method.encode() + b'"' in response  # the method Bastion authorized


@pytest.mark.parametrize("framework", ["starlette", "flask"])
async def test_framework_routers_never_run_the_admin_handler(framework: str, request: pytest.FixtureRequest) -> None:
    url, hits = request.getfixturevalue(f"{framework}_upstream")
    async with running_proxy(url, **policy()) as proxy:
        for name, line, status in ATTACKS:
            response = await raw_request(proxy.port, raw(line, USER))
            assert status_of(response) == status, (name, response[:300])
        assert hits.count == 0
        # the same forms with an admin's token reach the admin handler where the framework routes them there
        allowed = await raw_request(proxy.port, raw(b"GET /api/%61dmin/users HTTP/1.1\r\n", ADMIN))
        assert status_of(allowed) == 200
        assert hits.count == 1  # forwarded as /api/admin/users: unreserved escapes decoded


async def test_case_and_escapes_reach_the_upstream_as_routed(lenient: LenientRouter) -> None:
    async with running_proxy(lenient.url, **policy()) as proxy:
        lenient.take()
        response = await raw_request(proxy.port, raw(b"GET /api/%41DMIN/users?q=%41 HTTP/1.1\r\n", ADMIN))
        assert status_of(response) == 200
        (received,) = lenient.take()
        assert received.target == "/api/ADMIN/users?q=%41"  # path escapes canonical, query as sent


async def test_a_case_sensitive_upstream_can_say_so(lenient: LenientRouter) -> None:
    """With `path_case: sensitive` only the exact case is the admin route (for Starlette-like upstreams)."""
    async with running_proxy(lenient.url, **policy(ingress={"path_case": "sensitive"})) as proxy:
        assert status_of(await raw_request(proxy.port, raw(b"GET /api/admin/users HTTP/1.1\r\n", USER))) == 403
        assert status_of(await raw_request(proxy.port, raw(b"GET /api/ADMIN/users HTTP/1.1\r\n", USER))) == 200


async def test_matrix_parameters_can_be_allowed(lenient: LenientRouter) -> None:
    async with running_proxy(lenient.url, **policy(ingress={"matrix_params": True})) as proxy:
        response = await raw_request(proxy.port, raw(b"GET /api/cars;color=red HTTP/1.1\r\n", USER))
        assert status_of(response) == 200


async def test_admin_paths_match_the_request_path_under_a_wildcard_route(lenient: LenientRouter) -> None:
    """Item 3: only a wildcard route, and admin paths in authz: the request path decides, in any case."""
    wildcard = policy(
        routes=[{"path": "/api/**", "methods": ["*"]}],
        authz={"rules": [{"allow": "*", "roles": ["user", "admin"]}], "admin": {"paths": ["/api/admin"]}},
    )
    async with running_proxy(lenient.url, **wildcard) as proxy:
        lenient.take()
        for line in (b"GET /api/admin/users HTTP/1.1\r\n", b"GET /api/Admin/users HTTP/1.1\r\n",
                     b"GET /api/%61dmin/users HTTP/1.1\r\n"):  # fmt: skip
            assert status_of(await raw_request(proxy.port, raw(line, USER))) == 403, line
        assert lenient.take() == []
        assert status_of(await raw_request(proxy.port, raw(b"GET /api/admin/users HTTP/1.1\r\n", ADMIN))) == 200
        assert status_of(await raw_request(proxy.port, raw(b"GET /api/items HTTP/1.1\r\n", USER))) == 200


async def test_a_method_override_let_through_is_the_method_authorized(lenient: LenientRouter) -> None:
    """Item 4: where the policy honours X-HTTP-Method-Override, authorization judges the PATCH."""
    legacy = policy(
        routes=[
            {"path": "/legacy/items", "methods": ["POST"], "operation": "create"},
            {"path": "/legacy/items", "methods": ["PATCH"], "operation": "update"},
        ],
        authz={"rules": [{"allow": ["create"], "roles": ["user"]}, {"allow": ["update"], "roles": ["admin"]}]},
        ingress={"method_override": [{"header": "X-HTTP-Method-Override", "paths": ["/legacy/**"]}]},
    )
    override = b"POST /legacy/items HTTP/1.1\r\nX-HTTP-Method-Override: PATCH\r\nContent-Length: 0\r\n"
    async with running_proxy(lenient.url, **legacy) as proxy:
        lenient.take()
        assert status_of(await raw_request(proxy.port, raw(override, USER))) == 403
        assert lenient.take() == []
        allowed = await raw_request(proxy.port, raw(override, ADMIN))
        assert status_of(allowed) == 200
        (received,) = lenient.take()
        assert received.header("x-http-method-override") == "PATCH"
        assert b'"method": "PATCH"' in allowed
        plain = b"POST /legacy/items HTTP/1.1\r\nContent-Length: 0\r\n"
        assert status_of(await raw_request(proxy.port, raw(plain, USER))) == 200


def test_recording_upstream_records_raw_bytes() -> None:
    with RecordingUpstream() as upstream, socket.create_connection(("127.0.0.1", upstream.port)) as sock:
        sock.sendall(b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc")
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        (received,) = upstream.take()
        assert received.raw.endswith(b"\r\n\r\nabc")
        assert received.body == b"abc"
