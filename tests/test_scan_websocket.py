"""`bastion scan`'s WebSocket check: an open socket server is found, the same server behind Bastion is not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bastion.scan.checks.websocket_handshake import asyncapi_paths
from tests.proxy_harness import ThreadedProxy
from tests.scan_targets import found, scan
from tests.servers import ROOT, ThreadedUvicorn
from tests.test_websocket import SECRET
from tests.ws_upstream import app as ws_app

SPEC = ROOT / "tests/specs/ws_api.yaml"
ASYNCAPI = ROOT / "tests/specs/ws_asyncapi.yaml"
CHECK = "transport.websocket-handshake"


@pytest.fixture(scope="module")
def open_sockets() -> Iterator[ThreadedUvicorn]:
    with ThreadedUvicorn(ws_app) as server:
        yield server


def test_asyncapi_channels_are_read() -> None:
    assert asyncapi_paths(ASYNCAPI) == ["/ws/echo"]


def test_an_open_socket_server_is_reported(open_sockets: ThreadedUvicorn) -> None:
    result = scan(open_sockets.url, SPEC, None, only=[CHECK], asyncapi=ASYNCAPI)
    reported = found(result, CHECK)
    assert "/ws/echo" in reported  # declared in AsyncAPI, no credentials needed
    assert "/ws/echo (origin)" in reported  # and any origin accepted
    finding = next(f for f in result.findings if f.operation == "/ws/echo (origin)")
    assert "attacker.bastion-scan.invalid" in finding.detail


def test_the_same_server_behind_bastion_is_not(open_sockets: ThreadedUvicorn, tmp_path: Path) -> None:
    sections = {
        "store": {"path": str(tmp_path / "bastion.db")},
        "authn": {
            "methods": [{"jwt": {"issuer": "https://ws.test/", "algorithms": ["HS256"], "secret": SECRET}}],
            "public": ["GET /health"],
        },
        "websocket": {"paths": ["/ws/echo"]},
    }
    with ThreadedProxy(open_sockets.url, **sections) as proxy:
        result = scan(proxy.url, SPEC, None, only=[CHECK], asyncapi=ASYNCAPI)
    assert found(result, CHECK) == []
