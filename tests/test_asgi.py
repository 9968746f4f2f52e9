"""The ASGI middleware host runs the same pipeline inside a Starlette application."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bastion.config import parse_config
from bastion.hosts.asgi import BastionMiddleware
from tests.servers import ThreadedUvicorn

POLICY = """
routes:
  - {path: /items, methods: [GET, POST]}
  - {path: /crash, methods: [GET]}
  - {path: /state, methods: [GET]}
ingress: {max_body: 1KiB}
"""


async def items(request: Request) -> Response:
    body = await request.body()
    return JSONResponse({"method": request.method, "length": len(body)}, headers={"Server": "gunicorn/19.0"})


async def crash(request: Request) -> Response:
    raise RuntimeError("database password is hunter2")


async def state(request: Request) -> Response:
    return PlainTextResponse(request.state.bastion["request_id"])


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    policy = tmp_path_factory.mktemp("asgi") / "bastion.yaml"
    policy.write_text(POLICY)
    app = Starlette(
        routes=[
            Route("/items", items, methods=["GET", "POST"]),
            Route("/crash", crash),
            Route("/state", state),
            Route("/hidden", items),
        ]
    )
    app.add_middleware(BastionMiddleware, config=str(policy))
    with ThreadedUvicorn(app) as server:
        yield server.url


def test_allowed_request_reaches_the_app_with_hygiene(app_url: str) -> None:
    response = httpx.get(f"{app_url}/items")
    assert response.status_code == 200
    assert response.json() == {"method": "GET", "length": 0}
    assert "gunicorn" not in response.headers.get("server", "")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_unknown_route_and_method_never_reach_the_app(app_url: str) -> None:
    assert httpx.get(f"{app_url}/hidden").status_code == 404
    refused = httpx.delete(f"{app_url}/items")
    assert refused.status_code == 405
    assert refused.headers["allow"] == "GET, HEAD, POST"
    assert refused.headers["content-type"] == "application/problem+json"


def test_body_limit(app_url: str) -> None:
    response = httpx.post(f"{app_url}/items", content=b"x" * 5000, headers={"content-type": "text/plain"})
    assert response.status_code == 413
    ok = httpx.post(f"{app_url}/items", content=b"x" * 500, headers={"content-type": "text/plain"})
    assert ok.json()["length"] == 500


def test_application_crash_is_hidden(app_url: str) -> None:
    response = httpx.get(f"{app_url}/crash")
    assert response.status_code == 500
    assert b"hunter2" not in response.content
    assert response.json()["request_id"] == response.headers["x-request-id"]


def test_request_id_reaches_the_app(app_url: str) -> None:
    response = httpx.get(f"{app_url}/state", headers={"X-Request-Id": "abcdefgh-1234"})
    assert response.text == "abcdefgh-1234"


def test_config_object_accepted(tmp_path: Path) -> None:
    middleware = BastionMiddleware(lambda s, r, se: None, config=parse_config(POLICY))  # type: ignore[arg-type,return-value]
    assert "ingress" in middleware.engine.pipeline.guard_names
