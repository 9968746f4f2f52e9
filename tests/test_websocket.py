"""WebSocket through `bastion serve`, against real upstreams (Starlette under uvicorn, ariadne's
graphql-transport-ws), with the `websockets` library as the client."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from joserfc import jwt as joserfc_jwt
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from bastion.core.clock import SYSTEM_CLOCK, Clock, ManualClock
from bastion.engine import Engine
from bastion.hosts.proxy.server import ProxyServer
from bastion.revocations import token_hash, token_revocation
from bastion.store import open_store
from tests.idp import hs_key
from tests.proxy_harness import make_config, raw_request, status_of
from tests.servers import ThreadedUvicorn
from tests.ws_upstream import app as ws_app

SECRET = "websocket-tests-hs256-secret-0123456789abcdef"
BASTION_SECRET = "websocket-tests-bastion-secret-0123456789abcdef"
KEY = "dGhlIHNhbXBsZSBub25jZQ=="


@pytest.fixture(scope="module")
def ws_upstream() -> Iterator[ThreadedUvicorn]:
    with ThreadedUvicorn(ws_app) as server:
        yield server


def token(subject: str = "alice", clock: Clock = SYSTEM_CLOCK, ttl: float = 600, **claims: Any) -> str:
    now = int(clock.wall())
    body = {"iss": "https://ws.test/", "sub": subject, "iat": now, "exp": now + int(ttl), **claims}
    return joserfc_jwt.encode({"alg": "HS256"}, body, hs_key(SECRET))


def bearer(value: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {value or token()}"}


def sections(tmp: Path, **overrides: Any) -> dict[str, Any]:
    extra = overrides.pop("websocket", {})
    websocket = (
        None
        if extra is None
        else {"paths": ["/ws/echo", "/graphql/", "/graphql-ws/"], "check_interval": "20ms", **extra}
    )
    doc: dict[str, Any] = {
        "store": {"path": str(tmp / "bastion.db")},
        "secrets": {"key": BASTION_SECRET},
        "state": {"sync_interval": "50ms"},
        "authn": {"methods": [{"jwt": {"issuer": "https://ws.test/", "algorithms": ["HS256"], "secret": SECRET}}]},
        "audit": {"flush_interval": "10ms"},
        "websocket": websocket,
    }
    doc.update(overrides)
    return {k: v for k, v in doc.items() if v is not None}


@contextlib.asynccontextmanager
async def gateway(upstream: str, tmp: Path, clock: Clock = SYSTEM_CLOCK, **overrides: Any) -> AsyncIterator[Gateway]:
    engine = Engine(make_config(upstream, None, **sections(tmp, **overrides)), clock=clock)
    server = ProxyServer(engine, asyncio.get_running_loop())
    port = (await server.start())[0][1]
    try:
        yield Gateway(server, port, tmp / "bastion.db")
    finally:
        await server.shutdown()


class Gateway:
    def __init__(self, server: ProxyServer, port: int, db: Path) -> None:
        self.server = server
        self.port = port
        self.db = db

    @property
    def engine(self) -> Engine:
        return self.server.engine

    def url(self, path: str = "/ws/echo") -> str:
        return f"ws://127.0.0.1:{self.port}{path}"

    def connect(self, path: str = "/ws/echo", **kwargs: Any) -> Any:
        kwargs.setdefault("additional_headers", bearer())
        return connect(self.url(path), open_timeout=5, close_timeout=2, **kwargs)

    def events(self) -> list[dict[str, Any]]:
        with sqlite3.connect(self.db) as conn:
            rows = conn.execute("SELECT event FROM audit_events ORDER BY stream, seq").fetchall()
        return [orjson.loads(row[0]) for row in rows]

    async def wait_events(self, predicate: Any, count: int = 1, timeout: float = 5.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while True:
            found = [e for e in self.events() if predicate(e)]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            await asyncio.sleep(0.02)


async def closed_with(ws: ClientConnection, timeout: float = 5.0) -> tuple[int | None, str]:
    """Read until the gateway closes the socket; the close code and reason it sent."""
    with contextlib.suppress(ConnectionClosed):
        async with asyncio.timeout(timeout):
            while True:
                await ws.recv()
    assert ws.close_code is not None, "the socket is still open"
    return ws.close_code, ws.close_reason or ""


async def refused_status(attempt: Any) -> int:
    with pytest.raises(InvalidStatus) as refused:
        async with attempt:
            pass
    return refused.value.response.status_code


# -- proxying ---------------------------------------------------------------------------------------
async def test_an_authenticated_socket_relays_both_ways_and_is_audited(
    ws_upstream: ThreadedUvicorn, tmp_path: Path
) -> None:
    async with gateway(ws_upstream.url, tmp_path) as gw:
        async with gw.connect() as ws:
            await ws.send("hello")
            assert await ws.recv() == "hello"
            await ws.send(b"\x00\xff binary")
            assert await ws.recv() == b"\x00\xff binary"
            await ws.send("burst:500")
            assert [await ws.recv() for _ in range(500)] == [f"burst {i}" for i in range(500)]
            await ws.send("headers")
            seen = orjson.loads(await ws.recv())
        assert ws.close_code == 1000
        # the upstream saw the handshake as Bastion rewrote it: no extension offered, no credentials
        # smuggled in X-Bastion-*, the forwarding facts stated by the gateway
        assert "sec-websocket-extensions" not in seen
        assert seen["x-forwarded-for"] == "127.0.0.1"
        closes = await gw.wait_events(lambda e: (e.get("websocket") or {}).get("event") == "close")
    upgrade = [e for e in gw.events() if (e.get("websocket") or {}).get("event") == "upgrade"]
    assert len(upgrade) == 1
    assert upgrade[0]["status"] == 101
    assert upgrade[0]["subject"] == "alice"
    close = closes[0]["websocket"]
    assert closes[0]["request_id"] == upgrade[0]["request_id"]
    assert close["code"] == 1000
    assert close["closed_by"] == "client"
    assert close["messages_in"] == 4
    assert close["messages_out"] == 503
    assert close["bytes_in"] == len("hello") + len(b"\x00\xff binary") + len("burst:500") + len("headers")
    assert close["duration_ms"] > 0


async def test_metrics_count_open_sockets_and_messages(ws_upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    admin = {"host": "127.0.0.1", "port": 0}  # metrics are counted for the admin listener that serves them
    async with gateway(ws_upstream.url, tmp_path, admin=admin) as gw:
        async with gw.connect() as ws:
            for _ in range(3):
                await ws.send("ping")
                await ws.recv()
            deadline = time.monotonic() + 5
            while b'bastion_websocket_messages_total{direction="in"} 3.0' not in (gw.engine.render_metrics() or b""):
                assert time.monotonic() < deadline
                await asyncio.sleep(0.02)
            assert b"bastion_websocket_open 1.0" in (gw.engine.render_metrics() or b"")
        deadline = time.monotonic() + 5
        while b'bastion_websocket_closes_total{code="1000"} 1.0' not in (gw.engine.render_metrics() or b""):
            assert time.monotonic() < deadline
            await asyncio.sleep(0.02)


async def test_closes_pass_end_to_end(ws_upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    async with gateway(ws_upstream.url, tmp_path) as gw:
        async with gw.connect() as ws:
            await ws.send("close:4000")
            assert await closed_with(ws) == (4000, "upstream closes")
        async with gw.connect() as ws:
            await ws.close(4001, "client done")
        closes = await gw.wait_events(lambda e: (e.get("websocket") or {}).get("event") == "close", count=2)
    records = sorted((c["websocket"]["code"], c["websocket"]["closed_by"]) for c in closes)
    assert records == [(4000, "upstream"), (4001, "client")]


async def test_upstream_refusing_the_upgrade_is_relayed(ws_upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    async with gateway(ws_upstream.url, tmp_path, websocket={"paths": ["/ws/missing"]}) as gw:
        assert await refused_status(gw.connect("/ws/missing")) in (403, 404)


# -- handshake hygiene --------------------------------------------------------------------------------
async def test_unauthenticated_handshake_is_refused(ws_upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    async with gateway(ws_upstream.url, tmp_path) as gw:
        assert await refused_status(gw.connect(additional_headers={})) == 401
        assert await refused_status(gw.connect(additional_headers=bearer("not-a-token"))) == 401
        refused = await gw.wait_events(lambda e: e["status"] == 401)
    assert refused[0]["rules"][0]["rule"].startswith("authn.")
    assert not [e for e in gw.events() if e.get("websocket")]


async def test_cross_origin_handshake_is_refused(ws_upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    cors = {"origins": ["https://app.example.com"]}
    async with gateway(ws_upstream.url, tmp_path, cors=cors) as gw:
        assert await refused_status(gw.connect(origin="https://evil.example")) == 403  # type: ignore[arg-type]
        assert await refused_status(gw.connect(origin="null")) == 403  # type: ignore[arg-type]
        async with gw.connect(origin="https://app.example.com") as ws:  # type: ignore[arg-type]
            await ws.send("ok")
            assert await ws.recv() == "ok"
        async with gw.connect() as ws:  # no Origin: not a browser
            await ws.send("ok")
            assert await ws.recv() == "ok"
        refused = await gw.wait_events(lambda e: e["status"] == 403, count=2)
    assert {r["rules"][0]["rule"] for r in refused} == {"websocket.origin"}
    async with gateway(ws_upstream.url, tmp_path / "same") as gw:
        # no cors section: only the gateway's own origin (a host name: the WAF reads an IP-address URL
        # in any header as a remote file inclusion)
        assert await refused_status(gw.connect(origin="http://elsewhere.test")) == 403  # type: ignore[arg-type]
        own = (
            f"GET /ws/echo HTTP/1.1\r\nHost: api.example.test\r\nOrigin: https://api.example.test\r\n"
            f"Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {KEY}\r\n"
            f"Authorization: Bearer {token()}\r\n\r\n"
        )
        assert status_of(await raw_request(gw.port, own.encode(), timeout=1)) == 101


async def test_version_key_and_subprotocols(ws_upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    async with gateway(ws_upstream.url, tmp_path, websocket={"subprotocols": ["chat.v2"]}) as gw:

        def handshake(version: str = "13", key: str = KEY, extra: str = "") -> bytes:
            return (
                f"GET /ws/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                f"Sec-WebSocket-Version: {version}\r\nSec-WebSocket-Key: {key}\r\nAuthorization: Bearer {token()}\r\n"
                f"{extra}\r\n"
            ).encode()

        old = await raw_request(gw.port, handshake("8"), timeout=2)
        assert status_of(old) == 426
        assert b"sec-websocket-version: 13" in old.lower()
        assert status_of(await raw_request(gw.port, handshake(key="short"), timeout=2)) == 400
        offered_unlisted = handshake(extra="Sec-WebSocket-Protocol: mqtt\r\n")
        assert status_of(await raw_request(gw.port, offered_unlisted, timeout=2)) == 400
        accepted = await raw_request(gw.port, handshake(extra="Sec-WebSocket-Protocol: mqtt, chat.v2\r\n"), timeout=1)
        assert status_of(accepted) == 101
        assert b"sec-websocket-protocol: chat.v2" in accepted.lower()
        assert b"sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo=" in accepted.lower()
        assert b"x-content-type-options: nosniff" in accepted.lower()  # the response phase ran on the 101
        async with gw.connect(subprotocols=["mqtt", "chat.v2"]) as ws:  # type: ignore[list-item]
            assert ws.subprotocol == "chat.v2"


async def test_other_upgrades_and_paths_stay_refused(ws_upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    h2c = (
        b"GET /ws/echo HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
        b"HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n"
    )
    async with gateway(ws_upstream.url, tmp_path) as gw:
        assert status_of(await raw_request(gw.port, h2c, timeout=2)) == 501
        assert await refused_status(gw.connect("/ws/other")) == 501
        post = (
            b"POST /ws/echo HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nContent-Length: 0\r\n\r\n"
        )
        assert status_of(await raw_request(gw.port, post, timeout=2)) == 501
    async with gateway(ws_upstream.url, tmp_path / "off", websocket=None) as gw:
        assert await refused_status(gw.connect()) == 501


async def test_connections_per_identity(ws_upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    async with gateway(ws_upstream.url, tmp_path, websocket={"max_per_identity": 2}) as gw:
        async with gw.connect() as first, gw.connect() as second:
            assert await refused_status(gw.connect()) == 429
            async with gw.connect(additional_headers=bearer(token("bob"))) as other:
                await other.send("bob")
                assert await other.recv() == "bob"
            await first.send("still open")
            assert await first.recv() == "still open"
            await second.close()
        # a closed socket gives its slot back
        async with gw.connect() as third:
            await third.send("again")
            assert await third.recv() == "again"


# -- messages -------------------------------------------------------------------------------------------
async def test_oversized_message_and_frame_close_with_1009(ws_upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    limits = {"max_message": "8KiB", "max_frame": "1KiB"}
    async with gateway(ws_upstream.url, tmp_path, websocket=limits) as gw:
        async with gw.connect() as ws:
            await ws.send("x" * 900)
            assert await ws.recv() == "x" * 900
            # fragments within the frame limit add up past the message limit
            await ws.send(iter(["y" * 1000] * 9))
            assert (await closed_with(ws))[0] == 1009
        async with gw.connect() as ws:
            await ws.send(b"z" * 2000)  # one frame past max_frame
            assert await closed_with(ws) == (1009, "message too big")
        refused = await gw.wait_events(lambda e: (e.get("websocket") or {}).get("event") == "message", count=2)
    assert {e["rules"][0]["rule"] for e in refused} == {"websocket.message", "websocket.frame"}


async def test_hostile_message_closes_with_1008(ws_upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    async with gateway(ws_upstream.url, tmp_path) as gw:
        async with gw.connect() as ws:
            await ws.send('{"search": "shoes"}')
            assert await ws.recv() == '{"search": "shoes"}'
            await ws.send('{"search": "x\' UNION SELECT password FROM users--"}')
            assert await closed_with(ws) == (1008, "policy violation")
        refused = await gw.wait_events(lambda e: (e.get("websocket") or {}).get("event") == "message")
        closes = await gw.wait_events(lambda e: (e.get("websocket") or {}).get("event") == "close")
    rule = refused[0]["rules"][0]
    assert rule["guard"] == "waf"
    assert rule["category"] == "sqli"
    assert rule["location"].startswith("message.search")
    assert refused[0]["decision"] == "refused"
    assert closes[0]["websocket"]["code"] == 1008
    assert closes[0]["websocket"]["closed_by"] == "gateway"
    assert closes[0]["websocket"]["reason"].startswith("waf.")


async def test_waf_in_monitor_mode_records_and_relays(ws_upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    async with gateway(ws_upstream.url, tmp_path, websocket={"waf": "monitor"}) as gw:
        async with gw.connect() as ws:
            attack = "<script>alert(document.cookie)</script>"
            await ws.send(attack)
            assert await ws.recv() == attack
        monitored = await gw.wait_events(lambda e: (e.get("websocket") or {}).get("event") == "message")
    assert monitored[0]["decision"] == "monitored"
    assert monitored[0]["rules"][0]["category"] == "xss"


async def test_message_rate_per_connection(ws_upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    clock = ManualClock()
    settings = {"rate": "5/s", "burst": 5, "max_per_identity": None}
    async with gateway(ws_upstream.url, tmp_path, clock=clock, websocket=settings) as gw:
        tok = token(clock=clock)
        async with gw.connect(additional_headers=bearer(tok)) as ws:
            for index in range(5):
                await ws.send(f"m{index}")
                assert await ws.recv() == f"m{index}"
            clock.advance(0.2)  # one more message's worth
            await ws.send("m5")
            assert await ws.recv() == "m5"
            await ws.send("m6")
            assert await closed_with(ws) == (1008, "policy violation")
        async with gw.connect(additional_headers=bearer(tok)) as ws:  # the rate is per connection
            await ws.send("fresh")
            assert await ws.recv() == "fresh"


# -- time and identity ------------------------------------------------------------------------------------
async def test_revoked_token_closes_an_open_socket(ws_upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    async with gateway(ws_upstream.url, tmp_path) as gw:
        tok = token()
        other_token = bearer(token("bob"))
        async with (
            gw.connect(additional_headers=bearer(tok)) as ws,
            gw.connect(additional_headers=other_token) as other,
        ):
            await ws.send("before")
            assert await ws.recv() == "before"
            revocations = gw.engine.revocations
            assert revocations is not None
            await revocations.revoke("token", token_hash(tok), reason="stolen")
            assert await closed_with(ws, timeout=2) == (1008, "policy violation")
            await other.send("unaffected")
            assert await other.recv() == "unaffected"
        closes = await gw.wait_events(
            lambda e: (e.get("websocket") or {}).get("reason") == "credential no longer valid"
        )
    assert closes[0]["rules"][0]["rule"] == "websocket.identity"


async def test_revocation_from_another_process_closes_within_the_sync_interval(
    ws_upstream: ThreadedUvicorn, tmp_path: Path
) -> None:
    async with gateway(ws_upstream.url, tmp_path) as gw:
        tok = token()
        async with gw.connect(additional_headers=bearer(tok)) as ws:
            await ws.send("open")
            await ws.recv()
            # `bastion revoke` in another process writes the durable store; this one reads it every sync interval
            store = open_store(gw.engine.config.store)
            store.add_revocation(token_revocation(tok, expires_at=None, reason="incident"))
            started = time.monotonic()
            assert (await closed_with(ws, timeout=3))[0] == 1008
            assert time.monotonic() - started < 1.0  # the HTTP side's promise: within a second


async def test_expired_token_and_idle_socket_close_on_the_clock(ws_upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    clock = ManualClock(wall=time.time())
    settings = {"idle_timeout": "60s", "ping_interval": 0}
    async with gateway(ws_upstream.url, tmp_path, clock=clock, websocket=settings) as gw:
        async with gw.connect(additional_headers=bearer(token(clock=clock, ttl=30))) as expiring:
            await expiring.send("x")
            await expiring.recv()
            clock.advance(31)
            assert await closed_with(expiring) == (1008, "policy violation")
        async with gw.connect(additional_headers=bearer(token(clock=clock, ttl=600))) as idle:
            clock.advance(59)
            await idle.send("still here")
            assert await idle.recv() == "still here"
            clock.advance(61)
            assert await closed_with(idle) == (1001, "going away")


async def test_unanswered_ping_closes(ws_upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    clock = ManualClock(wall=time.time())
    settings = {"ping_interval": "10s", "ping_timeout": "5s", "idle_timeout": "1h"}
    async with gateway(ws_upstream.url, tmp_path, clock=clock, websocket=settings) as gw:
        headers = bearer(token(clock=clock))
        # the websockets client answers pings by itself: the socket stays
        async with gw.connect(additional_headers=headers, ping_interval=None) as answering:
            for _ in range(3):
                clock.advance(11)
                await asyncio.sleep(0.1)
            await answering.send("alive")
            assert await answering.recv() == "alive"
        # a peer that never reads cannot answer
        reader, writer = await asyncio.open_connection("127.0.0.1", gw.port)
        writer.write(
            f"GET /ws/echo HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {KEY}\r\n"
            f"Authorization: {headers['Authorization']}\r\n\r\n".encode()
        )
        head = await reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101")
        clock.advance(11)
        await asyncio.sleep(0.1)
        ping = await asyncio.wait_for(reader.read(2), 2)
        assert ping[0] == 0x89  # a ping frame, unanswered
        clock.advance(6)
        data = b""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(3):
                while b"\x88" not in data:
                    data += await reader.read(100)
        assert b"\x88" in data  # a close frame
        writer.close()


# -- GraphQL over WebSocket ---------------------------------------------------------------------------------
GRAPHQL = {"paths": ["/graphql"], "limits": {"max_depth": 3}}


async def graphql_session(ws: ClientConnection) -> None:
    await ws.send(orjson.dumps({"type": "connection_init", "payload": {}}).decode())
    assert orjson.loads(await ws.recv())["type"] == "connection_ack"


async def test_an_authenticated_subscription_streams(ws_upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    async with (
        gateway(ws_upstream.url, tmp_path, graphql=GRAPHQL) as gw,
        gw.connect("/graphql/", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        assert ws.subprotocol == "graphql-transport-ws"
        await graphql_session(ws)
        query = "subscription Ticks { ticks(count: 3) { n label } }"
        await ws.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}).decode())
        messages = [orjson.loads(await ws.recv()) for _ in range(4)]
    assert [m["payload"]["data"]["ticks"]["n"] for m in messages[:3]] == [0, 1, 2]
    assert messages[3] == {"type": "complete", "id": "1"}


async def test_a_subscription_past_the_depth_limit_is_refused(ws_upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    async with gateway(ws_upstream.url, tmp_path, graphql=GRAPHQL) as gw:
        async with gw.connect("/graphql/", subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            await graphql_session(ws)
            deep = "subscription { ticks(count: 1) { next { next { next { n } } } } }"
            await ws.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": {"query": deep}}).decode())
            assert await closed_with(ws) == (1008, "policy violation")
        async with gw.connect("/graphql-ws/", subprotocols=["graphql-ws"]) as ws:  # type: ignore[list-item]
            # the older protocol's `start` is read the same way: no way around the guard
            await ws.send(orjson.dumps({"type": "connection_init", "payload": {}}).decode())
            assert orjson.loads(await ws.recv())["type"] == "connection_ack"
            deep = "subscription { ticks(count: 1) { next { next { next { n } } } } }"
            await ws.send(orjson.dumps({"id": "1", "type": "start", "payload": {"query": deep}}).decode())
            assert (await closed_with(ws))[0] == 1008
        async with gw.connect("/graphql/", subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            await ws.send("not json at all")
            assert (await closed_with(ws))[0] == 1008
        refused = await gw.wait_events(lambda e: (e.get("websocket") or {}).get("event") == "message", count=3)
    rules = [e["rules"][0]["rule"] for e in refused]
    assert rules[:2] == ["graphql.depth", "graphql.depth"]
    assert "websocket.graphql.message" in rules


async def test_graphql_values_go_through_the_waf(ws_upstream: ThreadedUvicorn, tmp_path: Path) -> None:
    async with gateway(ws_upstream.url, tmp_path, graphql={**GRAPHQL, "introspection": "off"}) as gw:
        async with gw.connect("/graphql/", subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            await graphql_session(ws)
            introspect = "subscription { __schema { types { name } } }"
            await ws.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": {"query": introspect}}).decode())
            assert (await closed_with(ws))[0] == 1008
        async with gw.connect("/graphql/", subprotocols=["graphql-transport-ws"]) as ws:  # type: ignore[list-item]
            await graphql_session(ws)
            payload = {"query": "subscription T($c: Int!) { ticks(count: $c) { n } }", "variables": {"c": 1}}
            await ws.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": payload}).decode())
            assert orjson.loads(await ws.recv())["type"] == "next"
            hostile = {"query": "subscription { ticks(count: 1) { label } } # <script>alert(1)</script>"}
            await ws.send(orjson.dumps({"id": "2", "type": "subscribe", "payload": hostile}).decode())
            # a comment in the document is syntax, not a value: it is not what the WAF reads
            received = orjson.loads(await ws.recv())
            assert received["type"] in ("next", "complete")


async def test_an_upstream_choosing_what_was_not_offered_is_a_bad_gateway(
    ws_upstream: ThreadedUvicorn, tmp_path: Path
) -> None:
    # ariadne's graphql-transport-ws handler answers with its protocol whatever the client offered
    async with gateway(ws_upstream.url, tmp_path, graphql=GRAPHQL) as gw:
        assert await refused_status(gw.connect("/graphql/", subprotocols=["graphql-ws"])) == 502  # type: ignore[list-item]
        failed = await gw.wait_events(lambda e: e["status"] == 502)
    assert "not offered" in failed[0]["upstream_error"]


async def test_strict_durability_commits_the_upgrade_before_the_101(
    ws_upstream: ThreadedUvicorn, tmp_path: Path
) -> None:
    strict = {"durability": "strict", "flush_interval": "1s"}
    async with gateway(ws_upstream.url, tmp_path, audit=strict) as gw, gw.connect() as ws:
        # no waiting: the event was on disk before the 101 reached the client
        assert [e["status"] for e in gw.events() if (e.get("websocket") or {}).get("event") == "upgrade"] == [101]
        await ws.send("x")
        assert await ws.recv() == "x"
