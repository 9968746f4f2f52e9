"""CPU cost of relaying one client message through Bastion (pytest-benchmark, in process, no sockets).

A masked text frame is fed to the relay as the client would send it; the relay parses it (wsproto),
the session counts it, holds it to the rate and inspects it, and the frame for the upstream is built
(re-masked). This is the per-message cost the load benchmark (bench/websocket_load.py) pays on top
of the sockets, measured without the noise of a shared machine.
"""

from __future__ import annotations

from typing import Any

import pytest
from wsproto.connection import Connection, ConnectionType
from wsproto.events import TextMessage

from bastion.config import parse_config
from bastion.core.context import Context
from bastion.core.exchange import Exchange
from bastion.core.request import Headers, Request
from bastion.engine import Engine
from bastion.websocket.relay import Relay

MESSAGE = '{"type":"next","id":"1","payload":{"data":{"ticks":{"n":42,"label":"tick 42"}}}}'
POLICY = """
upstream: {url: "http://127.0.0.1:9"}
routes: [{path: /ws, methods: [GET]}]
audit: null
websocket: {paths: [/ws], rate: 1000000/s, waf: "WAF"}
"""


class _Nothing:
    def close(self, code: int, reason: str) -> None: ...

    def ping(self, payload: bytes) -> bool:
        return False

    def abort(self) -> None: ...


def relay(waf: str) -> tuple[Relay, bytes]:
    engine = Engine(parse_config(POLICY.replace("WAF", waf)))
    service = engine.websocket
    assert service is not None
    request = Request(method="GET", path="/ws", query="", headers=Headers([("host", "x")]), client="127.0.0.1")
    exchange = Exchange(engine.pipeline, request, Context("bench"), _send)
    sent: list[bytes] = []
    relay = Relay(service.messages, sent.append, sent.append, lambda: None)
    relay.session = service.open(exchange, relay, None)
    frame = bytes(Connection(ConnectionType.CLIENT).send(TextMessage(MESSAGE)))
    return relay, frame


async def _send(*_: Any) -> None:
    return None


@pytest.mark.parametrize("waf", ["off", "enforce"])
def test_relay_one_client_message(benchmark: Any, waf: str) -> None:
    forward, frame = relay(waf)
    benchmark(forward.from_client, frame)
    assert forward.session is not None
    assert forward.session.messages_in > 0
    assert not forward.done


def test_relay_one_upstream_message(benchmark: Any) -> None:
    forward, _ = relay("off")
    frame = bytes(Connection(ConnectionType.SERVER).send(TextMessage(MESSAGE)))
    benchmark(forward.from_upstream, frame)
    assert forward.session is not None
    assert forward.session.messages_out > 0
