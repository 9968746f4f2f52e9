"""Real servers on loopback for the tests: free ports, uvicorn in a thread, process helpers."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("BASTION_CI") == "1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = 10.0, host: str = "127.0.0.1") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.2):
            return
        time.sleep(0.02)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout}s")


class ThreadedUvicorn:
    """An ASGI app served by uvicorn on a loopback port, in a daemon thread."""

    def __init__(self, app: Any, port: int | None = None, **kwargs: Any) -> None:
        self.port = port or free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off", **kwargs)
        self.server = uvicorn.Server(config)
        self.server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ThreadedUvicorn:
        self.thread.start()
        wait_port(self.port)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)


def require_binary(name: str, package: str) -> str:
    """The path of a program a test needs; in CI its absence is a failure, elsewhere a skip."""
    path = shutil.which(name)
    if path is None:
        for candidate in Path("/usr/lib/postgresql").glob(f"*/bin/{name}"):
            path = str(candidate)
    if path is None:
        message = f"{name} is not installed (apt-get install {package}); run `make services`"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


@contextlib.contextmanager
def bastion_process(config: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[str]]:
    """`bastion serve` as a real process (the CLI path users run), stopped with SIGTERM."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bastion", "serve", "--config", str(config), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


class RedisServer:
    """A throwaway redis-server on a free loopback port, without persistence."""

    def __init__(self, port: int | None = None) -> None:
        self.binary = require_binary("redis-server", "redis-server")
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_port(self.port)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None

    def __enter__(self) -> RedisServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
