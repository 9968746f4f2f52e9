"""WebSocket in the ASGI host: BastionMiddleware around a Starlette app (and an ariadne GraphQL app),
served by uvicorn, with the `websockets` library as the client."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from websockets.asyncio.client import connect

from bastion.engine import Engine
from bastion.hosts.asgi import BastionMiddleware
from bastion.revocations import token_revocation
from bastion.store import open_store
from tests.proxy_harness import make_config
from tests.servers import ThreadedUvicorn
from tests.test_websocket import GRAPHQL, bearer, closed_with, refused_status, sections, token
from tests.ws_upstream import app as ws_app


@pytest.fixture
def protected(tmp_path: Path) -> Iterator[tuple[ThreadedUvicorn, Engine]]:
    config = make_config("http://127.0.0.1:9", None, **sections(tmp_path, graphql=GRAPHQL))
    engine = Engine(config)
    with ThreadedUvicorn(BastionMiddleware(ws_app, engine)) as server:
        yield server, engine


def url(server: ThreadedUvicorn, path: str = "/ws/echo") -> str:
    return f"ws://127.0.0.1:{server.port}{path}"


def events(engine: Engine, predicate: Any, count: int = 1, timeout: float = 5.0) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        with sqlite3.connect(engine.config.store.path) as conn:
            rows = conn.execute("SELECT event FROM audit_events ORDER BY stream, seq").fetchall()
        found = [e for e in (orjson.loads(row[0]) for row in rows) if predicate(e)]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.02)


def kind(event: dict[str, Any]) -> str | None:
    return (event.get("websocket") or {}).get("event")


async def test_an_authenticated_socket_streams_through_the_middleware(
    protected: tuple[ThreadedUvicorn, Engine],
) -> None:
    server, engine = protected
    async with connect(url(server), additional_headers=bearer()) as ws:
        await ws.send("hello")
        assert await ws.recv() == "hello"
        await ws.send("burst:50")
        assert [await ws.recv() for _ in range(50)] == [f"burst {i}" for i in range(50)]
    closes = events(engine, lambda e: kind(e) == "close")
    upgrades = events(engine, lambda e: kind(e) == "upgrade")
    assert upgrades[0]["subject"] == "alice"
    assert closes[0]["websocket"]["messages_in"] == 2
    assert closes[0]["websocket"]["messages_out"] == 51


async def test_refused_handshakes(protected: tuple[ThreadedUvicorn, Engine]) -> None:
    server, _ = protected
    assert await refused_status(connect(url(server))) in (401, 403)
    assert await refused_status(connect(url(server), additional_headers=bearer(), origin="https://evil.test")) == 403  # type: ignore[arg-type]
    assert await refused_status(connect(url(server, "/ws/other"), additional_headers=bearer())) in (403, 501)


async def test_hostile_and_oversized_messages_close_the_socket(protected: tuple[ThreadedUvicorn, Engine]) -> None:
    server, engine = protected
    async with connect(url(server), additional_headers=bearer()) as ws:
        await ws.send("'; DROP TABLE users; --")
        assert (await closed_with(ws))[0] == 1008
    async with connect(url(server), additional_headers=bearer(), max_size=None) as ws:
        await ws.send("x" * (2 * 1024 * 1024))
        assert (await closed_with(ws))[0] == 1009
    refused = events(engine, lambda e: kind(e) == "message", count=2)
    assert {e["rules"][0]["guard"] for e in refused} == {"waf", "websocket"}


async def test_subscriptions_through_the_middleware(protected: tuple[ThreadedUvicorn, Engine]) -> None:
    server, _ = protected
    async with connect(
        url(server, "/graphql/"), additional_headers=bearer(), subprotocols=["graphql-transport-ws"]
    ) as ws:  # type: ignore[list-item]
        await ws.send(orjson.dumps({"type": "connection_init"}).decode())
        assert orjson.loads(await ws.recv())["type"] == "connection_ack"
        query = "subscription { ticks(count: 2) { n } }"
        await ws.send(orjson.dumps({"id": "a", "type": "subscribe", "payload": {"query": query}}).decode())
        assert [orjson.loads(await ws.recv())["type"] for _ in range(3)] == ["next", "next", "complete"]
        deep = "subscription { ticks(count: 1) { next { next { next { n } } } } }"
        await ws.send(orjson.dumps({"id": "b", "type": "subscribe", "payload": {"query": deep}}).decode())
        assert (await closed_with(ws))[0] == 1008


async def test_a_revoked_token_closes_the_socket(protected: tuple[ThreadedUvicorn, Engine]) -> None:
    server, engine = protected
    tok = token("carol")
    async with connect(url(server), additional_headers=bearer(tok)) as ws:
        await ws.send("open")
        assert await ws.recv() == "open"
        open_store(engine.config.store).add_revocation(token_revocation(tok, expires_at=None, reason="test"))
        assert (await closed_with(ws, timeout=3))[0] == 1008
