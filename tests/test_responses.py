"""Responses that do not overshare: schema filtering, sensitive data, debug pages, CORS."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from bastion.config import ConfigError, parse_config
from tests.proxy_harness import running_proxy
from tests.servers import ThreadedUvicorn

AWS_KEY = "AKIA" + "ABCDEFGHIJKLMNOP"
PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"


async def user(request: Request) -> Response:
    return JSONResponse(
        {
            "id": 7,
            "name": "alice",
            "email": "a@example.com",
            "password_hash": "5e884898da28",
            "internal_note": "VIP",
            "profile": {"city": "Oslo", "ssn_last4": "1234"},
            "orders": [{"id": 1, "total": 3.5, "card_token": "tok_1"}],
        }
    )


async def cards(request: Request) -> Response:
    return JSONResponse(
        {
            "paid_with": "4111 1111 1111 1111",
            "reference": "1234 5678 9012 3456",
            "applicant": {"ssn": "123-45-6789", "tax_id": "078-05-1120"},
        }
    )


async def leak(request: Request) -> Response:
    kind = request.path_params["kind"]
    value = {"aws": f"key={AWS_KEY}", "pem": PEM, "github": "ghp_" + "a" * 36}[kind]
    return JSONResponse({"config": value})


async def debug(request: Request) -> Response:
    kind = request.path_params["kind"]
    bodies = {
        "python": ("text/plain", 'Traceback (most recent call last):\n  File "app.py", line 3\nKeyError: x', 200),
        "sql": ("application/json", json.dumps({"error": "You have an error in your SQL syntax near ''"}), 400),
        "java": (
            "text/html",
            "<pre>java.lang.NullPointerException\n\tat com.shop.Orders.get(Orders.java:42)</pre>",
            200,
        ),
        "django": ("text/html", "<p>You're seeing this error because you have <code>DEBUG = True</code></p>", 404),
    }
    media, body, status = bodies[kind]
    return Response(body, status_code=status, media_type=media)


async def events(request: Request) -> Response:
    async def stream():  # type: ignore[no-untyped-def]
        for i in range(3):
            yield f"data: {i} Traceback (most recent call last):\n\n" if i == 1 else f"data: {i} ok\n\n"

    return StreamingResponse(stream(), media_type="text/event-stream")


async def compressed(request: Request) -> Response:
    body = gzip.compress(json.dumps({"id": 1, "password_hash": "x"}).encode())
    return Response(body, media_type="application/json", headers={"content-encoding": "gzip"})


async def plain(request: Request) -> Response:
    return PlainTextResponse("card 4111-1111-1111-1111 on file", headers={"Access-Control-Allow-Origin": "*"})


def _schema(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties}


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "responses", "version": "1"},
    "paths": {
        "/users/{id}": {
            "get": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "a user",
                        "content": {
                            "application/json": {
                                "schema": _schema(
                                    {
                                        "id": {"type": "integer"},
                                        "name": {"type": "string"},
                                        "email": {"type": "string"},
                                        "profile": _schema({"city": {"type": "string"}}),
                                        "orders": {
                                            "type": "array",
                                            "items": _schema({"id": {"type": "integer"}, "total": {"type": "number"}}),
                                        },
                                    }
                                )
                            }
                        },
                    }
                },
            }
        },
        "/cards": {
            "get": {
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"type": "object", "additionalProperties": True}}},
                    }
                }
            }
        },
        "/leak/{kind}": {
            "get": {
                "parameters": [{"name": "kind", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}},
            }
        },
        "/debug/{kind}": {
            "get": {
                "parameters": [{"name": "kind", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"default": {"description": "any"}},
            }
        },
        "/events": {"get": {"responses": {"200": {"description": "sse"}}}},
        "/compressed": {
            "get": {
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": _schema({"id": {"type": "integer"}})}},
                    }
                }
            }
        },
        "/plain": {"get": {"responses": {"200": {"description": "ok"}}}},
    },
}


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    app = Starlette(
        routes=[
            Route("/users/{id}", user),
            Route("/cards", cards),
            Route("/leak/{kind}", leak),
            Route("/debug/{kind}", debug),
            Route("/events", events),
            Route("/compressed", compressed),
            Route("/plain", plain),
        ]
    )
    with ThreadedUvicorn(app) as server:
        yield server.url


@pytest.fixture
def spec_dir(tmp_path: Path) -> Path:
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(SPEC))
    return tmp_path


def sections(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"openapi": "spec.yaml", "routes": None, "store": {"path": "b.db"}}
    base.update(overrides)
    return base


async def test_filter_mode_drops_undeclared_fields(app_url: str, spec_dir: Path) -> None:
    async with running_proxy(app_url, spec_dir, **sections()) as proxy, httpx.AsyncClient() as client:
        response = await client.get(f"{proxy.url}/users/7")
    assert response.status_code == 200
    assert response.json() == {
        "id": 7,
        "name": "alice",
        "email": "a@example.com",
        "profile": {"city": "Oslo"},
        "orders": [{"id": 1, "total": 3.5}],
    }
    assert int(response.headers["content-length"]) == len(response.content)


async def test_validate_mode_keeps_the_body_and_records(app_url: str, spec_dir: Path) -> None:
    async with (
        running_proxy(app_url, spec_dir, **sections(responses={"mode": "validate"})) as proxy,
        httpx.AsyncClient() as client,
    ):
        response = await client.get(f"{proxy.url}/users/7")

    assert "internal_note" in response.json()
    assert response.json()["password_hash"] == "***"  # sensitive names are masked in any mode


async def test_card_numbers_and_ssns_are_masked(app_url: str, spec_dir: Path) -> None:
    async with running_proxy(app_url, spec_dir, **sections()) as proxy, httpx.AsyncClient() as client:
        body = (await client.get(f"{proxy.url}/cards")).json()
    assert body["paid_with"] == "***"
    assert body["reference"] == "1234 5678 9012 3456"  # fails the Luhn check: not a card
    assert body["applicant"] == {"ssn": "***", "tax_id": "***"}


@pytest.mark.parametrize("kind", ["aws", "pem", "github"])
async def test_credentials_on_their_way_out_are_blocked(app_url: str, spec_dir: Path, kind: str) -> None:
    async with running_proxy(app_url, spec_dir, **sections()) as proxy, httpx.AsyncClient() as client:
        response = await client.get(f"{proxy.url}/leak/{kind}")
    assert response.status_code == 502
    assert response.headers["content-type"] == "application/problem+json"
    assert AWS_KEY not in response.text
    assert "PRIVATE KEY" not in response.text


@pytest.mark.parametrize(("kind", "status"), [("python", 500), ("sql", 400), ("java", 500), ("django", 404)])
async def test_debug_output_is_replaced_whatever_the_status(
    app_url: str, spec_dir: Path, kind: str, status: int
) -> None:
    async with running_proxy(app_url, spec_dir, **sections()) as proxy, httpx.AsyncClient() as client:
        response = await client.get(f"{proxy.url}/debug/{kind}")
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["request_id"] == response.headers["x-request-id"]


async def test_event_streams_are_inspected_event_by_event(app_url: str, spec_dir: Path) -> None:
    async with running_proxy(app_url, spec_dir, **sections()) as proxy, httpx.AsyncClient() as client:
        response = await client.get(f"{proxy.url}/events")
    assert response.status_code == 200
    assert response.text == "data: 0 ok\n\ndata: 2 ok\n\n"  # the event with a stack trace is dropped


async def test_compressed_response_is_decoded_and_filtered(app_url: str, spec_dir: Path) -> None:
    async with running_proxy(app_url, spec_dir, **sections()) as proxy, httpx.AsyncClient() as client:
        response = await client.get(f"{proxy.url}/compressed", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert "content-encoding" not in response.headers
    assert response.json() == {"id": 1}


async def test_masking_in_text_responses(app_url: str, spec_dir: Path) -> None:
    async with running_proxy(app_url, spec_dir, **sections()) as proxy, httpx.AsyncClient() as client:
        response = await client.get(f"{proxy.url}/plain")
    assert response.text == "card *** on file"


CORS = {"origins": ["https://app.example.com"], "credentials": True}


async def test_cors_preflight_answered_at_the_gateway(app_url: str, spec_dir: Path) -> None:
    async with running_proxy(app_url, spec_dir, **sections(cors=CORS)) as proxy, httpx.AsyncClient() as client:
        allowed = await client.options(
            f"{proxy.url}/users/7",
            headers={
                "Origin": "https://app.example.com",
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization",
            },
        )
        evil = await client.options(
            f"{proxy.url}/users/7", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
        )
        null = await client.options(
            f"{proxy.url}/users/7", headers={"Origin": "null", "Access-Control-Request-Method": "GET"}
        )
        bad_header = await client.options(
            f"{proxy.url}/users/7",
            headers={
                "Origin": "https://app.example.com",
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "x-internal-admin",
            },
        )
    assert allowed.status_code == 204
    assert allowed.content == b""
    assert allowed.headers["access-control-allow-origin"] == "https://app.example.com"
    assert allowed.headers["access-control-allow-credentials"] == "true"
    assert "authorization" in allowed.headers["access-control-allow-headers"]
    for refused in (evil, null, bad_header):
        assert refused.status_code == 403
        assert "access-control-allow-origin" not in refused.headers


async def test_cors_actual_requests(app_url: str, spec_dir: Path) -> None:
    async with running_proxy(app_url, spec_dir, **sections(cors=CORS)) as proxy, httpx.AsyncClient() as client:
        ok = await client.get(f"{proxy.url}/plain", headers={"Origin": "https://app.example.com"})
        evil = await client.get(f"{proxy.url}/plain", headers={"Origin": "https://evil.example"})
    assert ok.headers["access-control-allow-origin"] == "https://app.example.com"
    assert "Origin" in ok.headers["vary"]
    assert "access-control-allow-origin" not in evil.headers  # the upstream's `*` was removed


def test_cors_refuses_wildcard_with_credentials() -> None:
    with pytest.raises(ConfigError, match="credentials"):
        parse_config("routes: []\ncors: {origins: ['*'], credentials: true}\n")
    with pytest.raises(ConfigError, match="null"):
        parse_config("routes: []\ncors: {origins: ['null']}\n")
