"""What the fault tests share: Bastion as `bastion serve` processes, a load that records every answer,
databases that can be stopped and started again, and the audit trail read back by request id.

Durations come from the environment so the same tests run as longer campaigns
(`BASTION_FAULT_OUTAGE=60 make faults`); the CI defaults are stated where they are used.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson
import psycopg
import redis
import yaml

from tests.servers import ROOT, PostgresServer, RedisServer, free_consecutive_ports, free_port, wait_port


def _accepts(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
        return True
    return False


SECRET = "fault-tests-secret-0123456789abcdef0123456789"
ADMIN_TOKEN = "fault-admin-token-0123456789abcdef"
ADMIN = {"authorization": f"Bearer {ADMIN_TOKEN}"}


def seconds(name: str, default: float) -> float:
    """A duration a campaign may lengthen through the environment."""
    return float(os.environ.get(name, default))


def eventually(condition: Callable[[], Any], timeout: float, what: str, every: float = 0.05) -> Any:
    """Poll `condition` until it is truthy (and return it) or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s: {what}")
        time.sleep(every)


# -- Bastion ------------------------------------------------------------------------------------------


class Gateway:
    """`bastion serve` in its own process group (so a kill -9 reaches the supervisor and every worker)."""

    def __init__(self, directory: Path, upstream: str, *, workers: int = 1, **sections: Any) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.port = free_port()
        self.admin_port = free_consecutive_ports(workers)
        self.workers = workers
        doc: dict[str, Any] = {
            "listen": {"host": "127.0.0.1", "port": self.port, "timeouts": {"drain": "2s"}},
            "workers": workers,
            "upstream": {"url": upstream},
            "routes": [{"path": "/**", "methods": ["*"]}],
            "store": {"path": str(directory / "bastion.db")},
            "secrets": {"key": SECRET},
            "admin": {"host": "127.0.0.1", "port": self.admin_port, "token": ADMIN_TOKEN},
            "log": {"level": "info"},
        }
        for key, value in sections.items():
            doc[key] = {**doc[key], **value} if isinstance(value, dict) and isinstance(doc.get(key), dict) else value
        self._doc = doc
        self.policy = directory / "bastion.yaml"
        self.policy.write_text(yaml.safe_dump(doc))
        self.log = directory / "bastion.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def _new_ports(self) -> None:
        """Other ports, for a start that found one taken since it was chosen (a free port is only
        free until someone binds it: another test's server, or an outgoing connection's port)."""
        self.port = free_port()
        self.admin_port = free_consecutive_ports(self.workers)
        self._doc["listen"]["port"] = self.port
        self._doc["admin"]["port"] = self.admin_port
        self.policy.write_text(yaml.safe_dump(self._doc))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def admin(self, worker: int = 0) -> str:
        return f"http://127.0.0.1:{self.admin_port + worker}"

    def start(self) -> Gateway:
        """Start and wait until the proxy and every worker's admin listener accept; a start that
        found a port taken is retried on other ports, any other failure shows the gateway's log."""
        for attempt in range(3):
            logged = self.log.stat().st_size if self.log.exists() else 0
            with self.log.open("ab") as out:
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", "bastion", "serve", "--config", str(self.policy)],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    cwd=ROOT,
                    start_new_session=True,
                )
            if self._listening(logged, time.monotonic() + 30):
                return self
            with self.log.open("rb") as log:
                log.seek(logged)
                text = log.read().decode(errors="replace")
            self.stop()
            if "cannot listen" not in text or attempt == 2:
                raise TimeoutError(f"bastion did not start listening; its log says:\n{text[-3000:]}")
            self._new_ports()
        raise AssertionError("unreachable")

    def _listening(self, logged: int, deadline: float) -> bool:
        ports = [self.port, *(self.admin_port + worker for worker in range(self.workers))]
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                return False
            with self.log.open("rb") as log:
                log.seek(logged)
                if b"cannot listen" in log.read():
                    return False  # checked first: another process may be the one accepting there
            if all(_accepts(port) for port in ports):
                time.sleep(0.1)  # a worker that failed to bind says so at once
                with self.log.open("rb") as log:
                    log.seek(logged)
                    return b"cannot listen" not in log.read()
            time.sleep(0.05)
        return False

    def pids(self) -> list[int]:
        assert self.proc is not None
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        found = [int(p) for p in children.read_text().split()] if children.exists() else []
        return [self.proc.pid, *found]

    def kill9(self) -> float:
        """SIGKILL to every process of the gateway at once; the monotonic time it was sent."""
        assert self.proc is not None
        when = time.monotonic()
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        return when

    def terminate(self, timeout: float = 30) -> int:
        """SIGTERM (graceful: drain, flush the audit trail); the exit code."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def stop(self) -> None:
        """SIGTERM, and SIGKILL to the whole group if it is not gone within 30 s."""
        if self.proc is None:
            return
        try:
            self.terminate()
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    @property
    def exit_code(self) -> int | None:
        return self.proc.poll() if self.proc is not None else None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def ready(self, worker: int = 0) -> httpx.Response:
        return httpx.get(f"{self.admin(worker)}/readyz", timeout=5)

    def metric(self, name: str, worker: int = 0) -> float:
        """The sum of a metric's samples on one worker (labels ignored)."""
        text = httpx.get(f"{self.admin(worker)}/metrics", headers=ADMIN, timeout=5).text
        values = [float(m.group(1)) for m in re.finditer(rf"^{re.escape(name)}(?:\{{[^}}]*\}})? (\S+)$", text, re.M)]
        return sum(values)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bastion", *args, "--config", str(self.policy)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )


@contextlib.contextmanager
def gateways(*items: Gateway) -> Iterator[None]:
    try:
        for gateway in items:
            gateway.start()
        yield
    finally:
        for gateway in items:
            gateway.stop()


# -- load ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answer:
    request_id: str
    status: int  # 0: no answer (connection failed, or no answer within the client timeout)
    content_type: str
    sent: float  # monotonic
    received: float
    rule: str = ""  # for a problem+json answer, its type
    error: str = ""

    @property
    def elapsed(self) -> float:
        return self.received - self.sent


@dataclass
class Load:
    """`connections` keep-alive clients sending GETs back to back from a thread of their own, each
    answer recorded. A small HTTP/1.1 client of its own: a general-purpose one costs more per request
    than the gateway under test, and the load must not be what limits the measurement."""

    url: str
    connections: int = 16
    path: Callable[[int], str] = lambda n: f"/items/{n}"
    headers: dict[str, str] = field(default_factory=dict)
    timeout: float = 30.0
    answers: list[Answer] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)
        self._count = 0
        host, _, port = self.url.removeprefix("http://").partition(":")
        self._address = (host, int(port))
        self._extra = "".join(f"{k}: {v}\r\n" for k, v in self.headers.items())

    def __enter__(self) -> Load:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.timeout + 10)

    def wait_for(self, count: int, timeout: float) -> None:
        eventually(lambda: len(self.answers) >= count, timeout, f"{count} answers (have {len(self.answers)})")

    async def _run(self) -> None:
        await asyncio.gather(*(self._client() for _ in range(self.connections)))

    async def _client(self) -> None:
        streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        while not self._stop.is_set():
            self._count += 1
            sent = time.monotonic()
            try:
                if streams is None:
                    streams = await asyncio.wait_for(asyncio.open_connection(*self._address), self.timeout)
                answer, keep = await asyncio.wait_for(self._exchange(*streams, self.path(self._count)), self.timeout)
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
                self.answers.append(Answer("", 0, "", sent, time.monotonic(), error=type(exc).__name__))
                if streams is not None:
                    streams[1].close()
                streams = None
                await asyncio.sleep(0.01)
                continue
            self.answers.append(Answer(answer[0], answer[1], answer[2], sent, time.monotonic(), answer[3]))
            if not keep:
                streams[1].close()
                streams = None
        if streams is not None:
            streams[1].close()

    async def _exchange(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str
    ) -> tuple[tuple[str, int, str, str], bool]:
        writer.write(f"GET {path} HTTP/1.1\r\nhost: {self._address[0]}\r\n{self._extra}\r\n".encode("latin-1"))
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        status_line, *lines = head.split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers = {}
        for line in lines:
            if ":" in line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                body += (await reader.readexactly(size + 2))[:-2]
            await reader.readuntil(b"\r\n")
        else:
            body = await reader.read()
        kind = headers.get("content-type", "")
        rule = orjson.loads(body).get("type", "") if kind == "application/problem+json" else ""
        keep = headers.get("connection", "").lower() != "close"
        return (headers.get("x-request-id", ""), status, kind, rule), keep


# -- databases ----------------------------------------------------------------------------------------


class RestartablePostgres(PostgresServer):
    """A PostgreSQL cluster of its own that can be stopped (as a crash: `-m immediate`) and started again."""

    def _options(self) -> str:
        return f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off -c full_page_writes=off"

    def halt(self) -> None:
        self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already halted by the test
            super().stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def resume(self) -> None:
        self._run(self.pg_ctl, "-D", str(self.data), "-o", self._options(), "-w", "-l", str(self.dir / "log"), "start")
        wait_port(self.port)


class RestartableRedis(RedisServer):
    """redis-server on a fixed port that keeps its data across a restart (RDB) unless told to forget it."""

    def __init__(self, directory: Path) -> None:
        super().__init__()
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
             "--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_port(self.port)

    def stop(self, *, keep: bool = True) -> None:
        """Stop; with `keep`, as a clean shutdown that saves the data set (restarted with it)."""
        if self.proc is not None and self.proc.poll() is None:
            client = redis.Redis(port=self.port)
            with contextlib.suppress(redis.ConnectionError):
                client.shutdown(save=keep, nosave=not keep)
            self.proc.wait(timeout=10)
        if not keep:
            (self.directory / "dump.rdb").unlink(missing_ok=True)
        self.proc = None


def postgres_sink(postgres: PostgresServer, table: str = "bastion_audit") -> dict[str, Any]:
    return {"postgres": {"dsn": postgres.dsn, "table": table, "timeout": "2s"}}


def sqlite_events(db: Path) -> list[tuple[str, int, str, int]]:
    """(stream, seq, request_id, status) of every stored event."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT stream, seq, request_id, status FROM audit_events ORDER BY stream, seq").fetchall()


def postgres_events(dsn: str, table: str = "bastion_audit") -> list[tuple[str, int, str, int]]:
    """Ditto in PostgreSQL; none while the sink has not yet created its table."""
    with psycopg.connect(dsn) as conn:
        query = f"SELECT stream, seq, request_id, status FROM {table} ORDER BY stream, seq"  # noqa: S608
        try:
            return [(s, int(q), r, int(c)) for s, q, r, c in conn.execute(query).fetchall()]
        except psycopg.errors.UndefinedTable:
            return []
