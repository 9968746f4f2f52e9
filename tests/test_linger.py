"""Lingering after a refusal is bounded: past MAX_LINGERING connections close at once (real sockets)."""

from __future__ import annotations

import asyncio
from typing import cast

import pytest

from bastion.hosts.http1 import linger as lingering


async def test_lingering_connections_are_bounded_and_counted_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lingering, "MAX_LINGERING", 1)
    loop = asyncio.get_running_loop()
    transports: list[asyncio.Transport] = []
    accepted = asyncio.Event()

    class Server(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            transports.append(cast(asyncio.Transport, transport))  # uvloop's transports are not subclasses
            if len(transports) == 2:
                accepted.set()

    server = await loop.create_server(Server, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    clients = [await asyncio.open_connection("127.0.0.1", port) for _ in range(2)]
    try:
        await asyncio.wait_for(accepted.wait(), 5)
        first = lingering.linger(transports[0], loop, transports[0].close)
        second = lingering.linger(transports[1], loop, transports[1].close)
        assert first is not None
        assert lingering.Lingering.active == 1
        assert second is None
        assert transports[1].is_closing()
        assert await asyncio.wait_for(clients[0][0].read(), 5) == b""  # the half-close reached the client
        first.eof_received()  # the client closes: the lingering one is done and counted back
        assert lingering.Lingering.active == 0
        assert transports[0].is_closing()
        assert lingering.linger(transports[0], loop, transports[0].close, at_once=True) is None  # a 408 never lingers
    finally:
        for _, writer in clients:
            writer.close()
        server.close()
