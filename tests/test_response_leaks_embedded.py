"""Issue 22, items 13-16 in the embedded hosts: a Starlette app behind the ASGI middleware (uvicorn)
and a Flask app behind the WSGI middleware (werkzeug), both on loopback sockets.

The applications play the hostile upstream and record the method they were asked with.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import orjson
import pytest
import yaml
from flask import Flask
from flask import Response as FlaskResponse
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from bastion.hosts.asgi import BastionMiddleware
from bastion.hosts.wsgi import BastionWSGIMiddleware
from tests.hostile_upstream import AWS_KEY, FILTERED_JSON, HOSTILE_JSON, HOSTILE_USER, SECRETS, TRACE
from tests.servers import ThreadedUvicorn, threaded_wsgi
from tests.test_response_leaks import SPEC

LINES = [orjson.dumps({**HOSTILE_USER, "id": i}) + b"\n" for i in range(2)]
KEY_LINE = orjson.dumps({"id": 9, "key": AWS_KEY}) + b"\n"
EVENTS = [b"data: " + HOSTILE_JSON + b"\n\n", b"data: " + TRACE.encode().splitlines()[0] + b"\n\n", b"data: end\n\n"]


class Recorder:
    def __init__(self) -> None:
        self.methods: list[str] = []
        self.release = threading.Event()


def _policy(tmp: Path) -> Path:
    (tmp / "spec.yaml").write_text(yaml.safe_dump(SPEC))
    policy = tmp / "bastion.yaml"
    policy.write_text(yaml.safe_dump({"openapi": str(tmp / "spec.yaml"), "store": {"path": str(tmp / "b.db")}}))
    return policy


def _clean(response: httpx.Response) -> bool:
    raw = response.content + str(response.headers).encode()
    return not any(secret.encode() in raw for secret in SECRETS) and b"Traceback" not in raw


# -- ASGI ---------------------------------------------------------------------------------------


def _starlette(recorder: Recorder) -> Starlette:
    async def user(request: Request) -> Response:
        recorder.methods.append(request.method)
        return JSONResponse(HOSTILE_USER)

    async def label(request: Request) -> Response:
        recorder.methods.append(request.method)
        return Response(HOSTILE_JSON, media_type=request.path_params["kind"].replace("-", "/"))

    async def teapot(request: Request) -> Response:
        return JSONResponse(HOSTILE_USER, status_code=int(request.path_params["code"]))

    async def trace(request: Request) -> Response:
        recorder.methods.append(request.method)
        return JSONResponse({**HOSTILE_USER, "error": TRACE})

    async def held_back(parts: list[bytes]) -> AsyncIterator[bytes]:
        yield parts[0]
        await anyio.to_thread.run_sync(recorder.release.wait, 5)
        for part in parts[1:]:
            yield part

    async def export(request: Request) -> Response:
        return StreamingResponse(held_back([LINES[0], KEY_LINE, LINES[1]]), media_type="application/x-ndjson")

    async def events(request: Request) -> Response:
        recorder.methods.append(request.method)
        return StreamingResponse(held_back(EVENTS), media_type="text/event-stream")

    return Starlette(
        routes=[
            Route("/users/{id}", user),
            Route("/labels/{kind}", label),
            Route("/teapot/{code}", teapot),
            Route("/trace", trace),
            Route("/export", export),
            Route("/events", events),
        ]
    )


@pytest.fixture(scope="module")
def asgi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder()
    app = _starlette(recorder)
    app.add_middleware(BastionMiddleware, config=str(_policy(tmp_path_factory.mktemp("asgi-leaks"))))
    with ThreadedUvicorn(app) as server:
        yield server.url, recorder


def test_asgi_filters_what_the_body_is(asgi: tuple[str, Recorder]) -> None:
    url, _ = asgi
    assert httpx.get(f"{url}/users/7").content == FILTERED_JSON
    for kind in ("text-plain", "application-octet-stream", "text-html"):
        response = httpx.get(f"{url}/labels/{kind}")
        assert response.status_code == 502, kind
        assert _clean(response)
    teapot = httpx.get(f"{url}/teapot/418")
    assert (teapot.status_code, teapot.json()) == (418, {})
    trace = httpx.get(f"{url}/trace")
    assert trace.status_code == 500
    assert _clean(trace)


def test_asgi_head_answers_like_get(asgi: tuple[str, Recorder]) -> None:
    url, recorder = asgi
    recorder.methods.clear()
    head = httpx.head(f"{url}/users/7")
    assert (head.status_code, head.headers["content-length"], head.content) == (200, str(len(FILTERED_JSON)), b"")
    trace = httpx.head(f"{url}/trace")
    assert trace.status_code == 500
    assert trace.headers["content-length"] == httpx.get(f"{url}/trace").headers["content-length"]
    assert recorder.methods == ["GET", "GET", "GET"]


def test_asgi_streams_are_filtered_as_they_come(asgi: tuple[str, Recorder]) -> None:
    url, recorder = asgi
    recorder.release.clear()
    with httpx.Client(timeout=5) as client, client.stream("GET", f"{url}/export") as response:
        lines = response.iter_lines()
        assert orjson.loads(next(lines)) == {"id": 0, "name": "alice"}  # before the app sends the rest
        recorder.release.set()
        rest = list(lines)
    assert [orjson.loads(line) for line in rest if line] == [{"id": 1, "name": "alice"}]  # the key line dropped
    recorder.release.clear()
    with httpx.Client(timeout=5) as client, client.stream("GET", f"{url}/events") as response:
        chunks = response.iter_raw()
        first = next(chunks)
        assert first.startswith(b"data: {")
        assert b'"password_hash":"***"' in first
        recorder.release.set()
        body = first + b"".join(chunks)
    assert body.endswith(b"data: end\n\n")
    assert b"Traceback" not in body


def test_asgi_head_of_a_stream_stops_at_its_head(asgi: tuple[str, Recorder]) -> None:
    url, recorder = asgi
    recorder.release.clear()  # the app would hold the rest of its events back until released
    head = httpx.head(f"{url}/events", timeout=5)
    assert head.status_code == 200
    assert head.content == b""
    recorder.release.set()


# -- WSGI ---------------------------------------------------------------------------------------


def _flask(recorder: Recorder) -> Flask:
    app = Flask(__name__)

    @app.route("/users/<id>", methods=["GET"])
    def user(id: str) -> Any:
        from flask import request  # noqa: PLC0415  flask's request proxy kept local: `request` is a Starlette handler parameter above

        recorder.methods.append(request.method)
        return FlaskResponse(HOSTILE_JSON, mimetype="application/json")

    @app.route("/labels/<kind>")
    def label(kind: str) -> Any:
        return FlaskResponse(HOSTILE_JSON, mimetype=kind.replace("-", "/"))

    @app.route("/teapot/<code>")
    def teapot(code: str) -> Any:
        return FlaskResponse(HOSTILE_JSON, status=int(code), mimetype="application/json")

    @app.route("/export")
    def export() -> Any:
        return FlaskResponse(iter([LINES[0], KEY_LINE, LINES[1]]), mimetype="application/x-ndjson")

    return app


@pytest.fixture(scope="module")
def wsgi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder()
    app = _flask(recorder)
    middleware = BastionWSGIMiddleware(app.wsgi_app, config=str(_policy(tmp_path_factory.mktemp("wsgi-leaks"))))
    app.wsgi_app = middleware  # type: ignore[method-assign]
    try:
        with threaded_wsgi(app) as url:
            yield url, recorder
    finally:
        middleware.close()


def test_wsgi_filters_what_the_body_is(wsgi: tuple[str, Recorder]) -> None:
    url, recorder = wsgi
    recorder.methods.clear()
    assert httpx.get(f"{url}/users/7").content == FILTERED_JSON
    head = httpx.head(f"{url}/users/7")
    assert (head.status_code, head.headers["content-length"], head.content) == (200, str(len(FILTERED_JSON)), b"")
    assert recorder.methods == ["GET", "GET"]  # Flask was asked GET for the HEAD
    for kind in ("text-plain", "application-octet-stream"):
        assert httpx.get(f"{url}/labels/{kind}").status_code == 502
    teapot = httpx.get(f"{url}/teapot/201")
    assert (teapot.status_code, teapot.json()) == (201, {})
    export = httpx.get(f"{url}/export")
    assert [orjson.loads(line) for line in export.content.splitlines()] == [
        {"id": 0, "name": "alice"},
        {"id": 1, "name": "alice"},
    ]
    assert _clean(export)
