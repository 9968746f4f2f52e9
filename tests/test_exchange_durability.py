"""Strict audit durability holds in every host: no answer leaves before its event is in the store.

Each host runs for real on loopback (the reverse proxy and the ext-authz service in this loop, the
ASGI middleware under uvicorn, the WSGI middleware under werkzeug). For every kind of answer a host
can give (an upstream's answer, a guard's refusal, a body refused while it arrives, Bastion's own
5xx, an ext-authz allow or deny), the test reads the SQLite store the moment the response arrives
and expects the event with the response's request id already there. The batched control shows the
check can fail: with a long flush interval the event is not there yet.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from flask import Flask
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from werkzeug.serving import make_server

from bastion.config import parse_config
from bastion.hosts.asgi import BastionMiddleware
from bastion.hosts.wsgi import BastionWSGIMiddleware
from tests.proxy_harness import serving
from tests.servers import ThreadedUvicorn, free_port

ROUTES = [{"path": "/items", "methods": ["GET", "POST"]}, {"path": "/crash", "methods": ["GET"]}]


def policy(store: Path, durability: str = "strict", **extra: object) -> dict[str, object]:
    return {
        "listen": {"host": "127.0.0.1", "port": 0},
        "routes": ROUTES,
        "ingress": {"max_body": 1024},
        "store": {"path": str(store)},
        "audit": {"durability": durability, "flush_interval": 30 if durability == "batched" else 0.1},
        **extra,
    }


def durable(store: Path, request_id: str) -> bool:
    with sqlite3.connect(store) as db:
        return db.execute("SELECT 1 FROM audit_events WHERE request_id = ?", (request_id,)).fetchone() is not None


def assert_durable_on_arrival(store: Path, response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert durable(store, response.headers["x-request-id"]), f"{status} answered before its event was stored"


async def items(request: Request) -> Response:
    return JSONResponse({"length": len(await request.body())})


async def crash(request: Request) -> Response:
    raise RuntimeError("the application failed")


STARLETTE_ROUTES = [Route("/items", items, methods=["GET", "POST"]), Route("/crash", crash)]


@pytest.fixture(scope="module")
def upstream() -> Iterator[ThreadedUvicorn]:
    with ThreadedUvicorn(Starlette(routes=STARLETTE_ROUTES)) as server:
        yield server


@pytest.fixture
async def proxy_store(tmp_path: Path, upstream: ThreadedUvicorn) -> AsyncIterator[tuple[str, Path]]:
    store = tmp_path / "events.db"
    config = parse_config(yaml.safe_dump({**policy(store), "upstream": {"url": upstream.url}}))
    async with serving(config) as proxy:
        yield proxy.url, store


async def test_proxy_answers_only_durable_events(proxy_store: tuple[str, Path]) -> None:
    url, store = proxy_store
    async with httpx.AsyncClient(base_url=url) as client:
        assert_durable_on_arrival(store, await client.get("/items"), 200)
        assert_durable_on_arrival(store, await client.get("/unknown"), 404)
        assert_durable_on_arrival(store, await client.post("/items", content=b"x" * 5000), 413)

        async def chunked() -> AsyncIterator[bytes]:
            for _ in range(5):
                yield b"y" * 400

        assert_durable_on_arrival(store, await client.post("/items", content=chunked()), 413)


async def test_proxy_upstream_failure_is_durable_before_its_502(tmp_path: Path) -> None:
    store = tmp_path / "events.db"
    config = parse_config(yaml.safe_dump({**policy(store), "upstream": {"url": f"http://127.0.0.1:{free_port()}"}}))
    async with serving(config) as proxy, httpx.AsyncClient(base_url=proxy.url) as client:
        assert_durable_on_arrival(store, await client.get("/items"), 502)


async def test_ext_authz_allow_and_deny_are_durable(tmp_path: Path) -> None:
    store = tmp_path / "events.db"
    config = parse_config(yaml.safe_dump({**policy(store), "mode": "ext-authz"}))
    async with serving(config) as service, httpx.AsyncClient(base_url=service.url) as client:
        assert_durable_on_arrival(store, await client.get("/items"), 200)
        assert_durable_on_arrival(store, await client.get("/items", params={"q": "1' OR '1'='1"}), 403)
        nginx = {"x-original-uri": "/unknown", "x-original-method": "GET"}
        assert_durable_on_arrival(store, await client.get("/auth", headers=nginx), 403)


def test_asgi_answers_only_durable_events(tmp_path: Path) -> None:
    store = tmp_path / "events.db"
    app = Starlette(routes=STARLETTE_ROUTES)
    app.add_middleware(BastionMiddleware, config=parse_config(yaml.safe_dump(policy(store))))
    with ThreadedUvicorn(app) as server, httpx.Client(base_url=server.url) as client:
        assert_durable_on_arrival(store, client.get("/items"), 200)
        assert_durable_on_arrival(store, client.get("/unknown"), 404)
        assert_durable_on_arrival(store, client.post("/items", content=b"x" * 5000), 413)
        assert_durable_on_arrival(store, client.get("/crash"), 500)


def test_asgi_streamed_body_refusal_is_durable(tmp_path: Path) -> None:
    """No guard reads the body here, so the application reads it and the limit stops it mid-way."""
    store = tmp_path / "events.db"
    config = parse_config(yaml.safe_dump(policy(store, waf=None, validation=None)))
    app = Starlette(routes=STARLETTE_ROUTES)
    app.add_middleware(BastionMiddleware, config=config)
    with ThreadedUvicorn(app) as server, httpx.Client(base_url=server.url) as client:
        body = iter([b"z" * 600, b"z" * 600])
        refused = client.post("/items", content=body, headers={"content-type": "text/plain"})
        assert_durable_on_arrival(store, refused, 413)


def test_wsgi_answers_only_durable_events(tmp_path: Path) -> None:
    store = tmp_path / "events.db"
    flask = Flask(__name__)
    flask.add_url_rule("/items", "items", lambda: {"ok": True}, methods=["GET", "POST"])

    def fail() -> str:
        raise RuntimeError("the application failed")

    flask.add_url_rule("/crash", "crash", fail)
    middleware = BastionWSGIMiddleware(flask.wsgi_app, parse_config(yaml.safe_dump(policy(store))))
    flask.wsgi_app = middleware  # type: ignore[method-assign]
    port = free_port()
    server = make_server("127.0.0.1", port, flask, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            assert_durable_on_arrival(store, client.get("/items"), 200)
            assert_durable_on_arrival(store, client.get("/unknown"), 404)
            assert_durable_on_arrival(store, client.post("/items", content=b"x" * 5000), 413)
            assert_durable_on_arrival(store, client.get("/crash"), 500)
    finally:
        server.shutdown()
        middleware.close()


async def test_batched_durability_answers_first(tmp_path: Path, upstream: ThreadedUvicorn) -> None:
    """The control: the same check fails when events are written after the answer, as batched allows."""
    store = tmp_path / "events.db"
    config = parse_config(yaml.safe_dump({**policy(store, "batched"), "upstream": {"url": upstream.url}}))
    async with serving(config) as proxy, httpx.AsyncClient(base_url=proxy.url) as client:
        response = await client.get("/unknown")
        assert response.status_code == 404
        assert not durable(store, response.headers["x-request-id"])
