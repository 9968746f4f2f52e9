"""Run the reverse proxy in the test's event loop on a real loopback socket."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import tempfile
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvloop
import yaml

from bastion.config import parse_config
from bastion.engine import Engine
from bastion.hosts.proxy.server import ProxyServer

PERMISSIVE_ROUTES = [{"path": "/**", "methods": ["*"]}]


@dataclass
class RunningProxy:
    server: ProxyServer
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


# the throwaway stores of one test run, removed when the run ends (a finalizer of TemporaryDirectory)
_STORES = tempfile.TemporaryDirectory(prefix="bastion-test-")


def make_config(upstream_url: str, base_dir: Path | None = None, **sections: Any) -> Any:
    doc: dict[str, Any] = {
        "listen": {"host": "127.0.0.1", "port": 0},
        "upstream": {"url": upstream_url},
        "routes": PERMISSIVE_ROUTES,
    }
    if "store" not in sections:
        # the audit trail and keys go to a throwaway file, not to bastion.db in the working directory
        doc["store"] = {"path": str(Path(tempfile.mkdtemp(dir=_STORES.name)) / "bastion.db")}
    for key, value in sections.items():
        if isinstance(value, dict) and isinstance(doc.get(key), dict):
            doc[key] = {**doc[key], **value}
        else:
            doc[key] = value
    return parse_config(yaml.safe_dump(doc), base_dir=base_dir)


@contextlib.asynccontextmanager
async def running_proxy(
    upstream_url: str, base_dir: Path | None = None, **sections: Any
) -> AsyncIterator[RunningProxy]:
    async with serving(make_config(upstream_url, base_dir, **sections)) as proxy:
        yield proxy


@contextlib.asynccontextmanager
async def serving(config: Any) -> AsyncIterator[RunningProxy]:
    """`bastion serve` with a given policy (proxy or ext-authz mode), in this event loop."""
    server = ProxyServer(Engine(config), asyncio.get_running_loop())
    addresses = await server.start()
    try:
        yield RunningProxy(server, addresses[0][1])
    finally:
        await server.shutdown()


async def raw_request(port: int, data: bytes, *, timeout: float = 3.0, half_close: bool = False) -> bytes:
    """Send raw bytes, read until the server closes or stays silent for `timeout` seconds."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        await writer.drain()
        if half_close:
            writer.write_eof()
        chunks = []
        while True:
            try:
                chunk = await asyncio.wait_for(reader.read(65536), timeout)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


def status_of(response: bytes) -> int:
    if not response.startswith(b"HTTP/1."):
        return 0
    return int(response.split(b" ", 2)[1])


class ThreadedProxy:
    """The proxy on its own uvloop loop in a thread, for synchronous tests (hypothesis, load)."""

    def __init__(self, upstream_url: str, **sections: Any) -> None:
        self._config = make_config(upstream_url, None, **sections)
        self._loop = uvloop.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.port = 0
        self.server: ProxyServer | None = None

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self.server = ProxyServer(Engine(self._config), self._loop)
        self.port = self._loop.run_until_complete(self.server.start())[0][1]
        self._ready.set()
        self._loop.run_forever()

    def __enter__(self) -> ThreadedProxy:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.server is not None
        asyncio.run_coroutine_threadsafe(self.server.shutdown(), self._loop).result(15)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def blocking_request(port: int, data: bytes, timeout: float = 2.0) -> bytes:
    """Send raw bytes, half-close, and read until the server closes (or stays silent)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
        return b"".join(chunks)
