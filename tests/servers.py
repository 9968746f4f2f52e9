"""Real servers on loopback for the tests: free ports, uvicorn in a thread, process helpers."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("BASTION_CI") == "1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def free_consecutive_ports(count: int) -> int:
    """The first of `count` consecutive free ports (worker n's admin listener is on admin.port + n)."""
    for _ in range(200):
        first = free_port()
        sockets = []
        try:
            for offset in range(count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", first + offset))
            return first
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError(f"no {count} consecutive free ports")


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


@contextlib.contextmanager
def threaded_wsgi(app: Any) -> Iterator[str]:
    """A WSGI app served by werkzeug's threaded server on a loopback port; yields its URL."""
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()


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


_LISTENING = re.compile(r" listening on [^ ]*?:(\d+)")
_ADMIN_LISTENING = re.compile(r"\badmin listener on [^ ]*?:(\d+)")  # logged at info, text or JSON


def listening_port(process: subprocess.Popen[str], timeout: float = 30.0) -> int:
    """The port a `bastion serve --port 0` process listens on, read off its listening line. A port
    picked free beforehand (`free_port`) can be taken before the server binds it, by any process's
    outgoing connection: the server then exits and nothing ever listens there. The process's output
    goes on being read, so that it never blocks on a full pipe; a process that exits without saying
    fails at once."""
    (port,) = _ports_said(process, (_LISTENING,), timeout)
    return port


def listening_and_admin_ports(process: subprocess.Popen[str], timeout: float = 30.0) -> tuple[int, int]:
    """The traffic port and the admin listener's port of a `bastion serve --port 0` process whose
    admin.port is 0, the second read off the admin listener's log line (log.level info or debug). One
    worker only: with several, each worker's admin listener says where it is, in no particular order.
    Read like `listening_port`, which must not also be called on the same process."""
    port, admin = _ports_said(process, (_LISTENING, _ADMIN_LISTENING), timeout)
    return port, admin


def _ports_said(process: subprocess.Popen[str], patterns: tuple[re.Pattern[str], ...], timeout: float) -> list[int]:
    """The first port each pattern finds in the process's output, in the patterns' order (the lines
    may come in any order); one thread reads the output to its end."""
    found: dict[int, int] = {}
    complete = threading.Event()
    said: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if len(said) < 50:
                said.append(line.rstrip())
            for index, pattern in enumerate(patterns):
                match = pattern.search(line)
                if match and index not in found:
                    found[index] = int(match.group(1))
            if len(found) == len(patterns):
                complete.set()
        complete.set()  # the end of its output: a process that exited says nothing more

    threading.Thread(target=read, daemon=True).start()
    ended = complete.wait(timeout)
    if len(found) == len(patterns):
        return [found[index] for index in range(len(patterns))]
    if ended:  # its output ended: the process is exiting, if not gone already
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)
    state = "still running" if process.poll() is None else f"exited with {process.returncode}"
    when = "before its output ended" if ended else f"in {timeout}s"
    missing = ", ".join(repr(pattern.pattern) for index, pattern in enumerate(patterns) if index not in found)
    output = "\n".join(said) or "(nothing)"
    raise TimeoutError(
        f"bastion serve (pid {process.pid}, {state}) did not say where it listens {when}"
        f" (no line matched {missing}); it said:\n{output}"
    )


def nginx_extauthz_conf(api: int, bastion: int, nginx: int) -> str:
    """examples/nginx/nginx.conf with the ports of this run (the example's 8001, 8090 and 8088),
    put in one pass: one at a time, a port put in earlier (38088) would have a later one's digits."""
    ports = {"8001": str(api), "8090": str(bastion), "8088": str(nginx)}
    conf = (ROOT / "examples/nginx/nginx.conf").read_text()
    return re.sub(r"(?<=127\.0\.0\.1:)(8001|8090|8088)\b", lambda match: ports[match.group(1)], conf)


@contextlib.contextmanager
def demo_api_process(port: int, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """The demo shop (examples/demo_api) as a real process on `port`, stopped at the end."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "examples.demo_api", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_port(port)
        yield proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


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


class PostgresServer:
    """A throwaway PostgreSQL cluster on a free loopback port (trust auth, no fsync: tests only).

    PostgreSQL refuses to run as root: as root, the cluster is created and run as `postgres`.
    """

    def __init__(self) -> None:
        self.initdb = require_binary("initdb", "postgresql")
        self.pg_ctl = str(Path(self.initdb).with_name("pg_ctl"))
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="bastion-pg-"))
        self.data = self.dir / "data"

    @property
    def dsn(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)

    def start(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(self.initdb, "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync")
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off -c full_page_writes=off"
        self._run(self.pg_ctl, "-D", str(self.data), "-o", options, "-w", "-l", str(self.dir / "log"), "start")
        wait_port(self.port)

    def stop(self) -> None:
        try:
            self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
