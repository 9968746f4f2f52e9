"""Floods: idle connections, slowloris, slow request bodies and a burst from one client.

Promise (docs/reliability.md, "Floods"): while each flood runs, requests from other clients on other
connections are still answered (p99 under 50 ms, measured on this shared 2-core machine), the
gateway's memory stays within the bound stated per test, connections past `listen.max_connections`
get a 503 problem+json and are closed, and every slow client is cut off by its timeout. The p99 is
printed in CI and asserted only by `make floods` (wall-clock figures are not unit-test assertions here).

Bastion runs as `bastion serve` (one worker, so its RSS is the figure) in front of the echo
upstream. CI uses the counts below; `make floods` sets BASTION_FLOOD_FULL=1 for the issue's figures
(5,000 idle connections are the same in both; the burst is 10,000 in CI and 50,000 in full).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvloop
import yaml

from tests.faults.harness import final_responses, percentile, raised_nofile, read_responses, rss_kib
from tests.servers import ROOT, free_port, wait_port

FULL = os.environ.get("BASTION_FLOOD_FULL") == "1"
IDLE = 5000
SLOW_CLIENTS = 2000 if FULL else 300
BURST = 50_000 if FULL else 10_000
P99_MS = 50.0

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


@contextlib.contextmanager
def gateway(**sections: object) -> Iterator[tuple[int, int]]:
    """The echo upstream and `bastion serve` (one worker); yields (port, bastion pid)."""
    with tempfile.TemporaryDirectory(prefix="bastion-flood-") as tmp:
        work = Path(tmp)
        upstream_port, port = free_port(), free_port()
        echo = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.echo_upstream", str(upstream_port), str(work / "stats.json")],
            cwd=ROOT,
        )
        policy: dict[str, object] = {
            "listen": {"host": "127.0.0.1", "port": port, "backlog": 4096, "trusted_proxies": ["127.0.0.1/32"]},
            "upstream": {"url": f"http://127.0.0.1:{upstream_port}", "pool_size": 32},
            "routes": [{"path": "/**", "methods": ["*"]}],
            "store": {"path": str(work / "bastion.db")},
            "log": {"level": "warning"},
        }
        for key, value in sections.items():
            current = policy.get(key)
            policy[key] = {**current, **value} if isinstance(current, dict) and isinstance(value, dict) else value
        (work / "bastion.yaml").write_text(yaml.safe_dump(policy))
        with (work / "bastion.log").open("wb") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "bastion", "serve", "--config", str(work / "bastion.yaml")],
                cwd=ROOT,
                stdout=log,
                stderr=log,
            )
        try:
            wait_port(upstream_port)
            wait_port(port, timeout=30)
            yield port, proc.pid
            assert proc.poll() is None, (work / "bastion.log").read_text()[-3000:]
            assert "Traceback" not in (work / "bastion.log").read_text()
        finally:
            for p in (proc, echo):
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()


def assert_latency(p99: float) -> None:
    """p99 < 50 ms is a performance figure: reported in CI, asserted by `make floods` (docs/reliability.md)."""
    if FULL:
        assert p99 < P99_MS


LEGIT = b"GET /legit HTTP/1.1\r\nHost: gw\r\nX-Forwarded-For: 10.9.9.9\r\n\r\n"


async def legit_latencies(port: int, count: int, connections: int = 4) -> list[float]:
    """Milliseconds for `count` requests of a well-behaved client, on its own keep-alive connections."""
    latencies: list[float] = []

    async def one_connection(n: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for _ in range(n):
                started = time.perf_counter()
                writer.write(LEGIT)
                data = b""
                while not final_responses(data) or not final_responses(data)[0].complete:
                    chunk = await asyncio.wait_for(reader.read(65536), 10)
                    assert chunk, "the gateway closed a legitimate connection"
                    data += chunk
                assert final_responses(data)[0].status == 200, data
                latencies.append((time.perf_counter() - started) * 1000)
                await asyncio.sleep(0.005)  # a steady client, not a second flood
        finally:
            writer.close()

    await asyncio.gather(*(one_connection(count // connections) for _ in range(connections)))
    return latencies


def accepted(port: int, clients: set[int]) -> int:
    """How many of these client ports the gateway has accepted: a server-side socket in /proc/net/tcp
    has an inode only once accept() took it off the backlog."""
    count = 0
    with open("/proc/net/tcp") as table:
        next(table)
        for line in table:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            remote_port = int(fields[2].rsplit(":", 1)[1], 16)
            if local_port == port and remote_port in clients and fields[3] == "01" and fields[9] != "0":
                count += 1
    return count


def open_idle(port: int, count: int, step: int = 50) -> list[socket.socket]:
    """`count` idle connections, each `step` accepted before the next are opened: a connection past
    a full accept backlog (net.core.somaxconn may be 128) is dropped by the kernel without the
    client knowing, and would never be the gateway's."""
    sockets: list[socket.socket] = []
    clients: set[int] = set()
    while len(sockets) < count:
        for _ in range(min(step, count - len(sockets))):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sockets.append(sock)
            clients.add(sock.getsockname()[1])
        deadline = time.monotonic() + 30
        while accepted(port, clients) < len(sockets):
            assert time.monotonic() < deadline, f"the gateway accepted {accepted(port, clients)} of {len(sockets)}"
            time.sleep(0.005)
    return sockets


async def test_five_thousand_idle_connections_cost_bounded_memory_and_the_cap_refuses_cleanly() -> None:
    cap = IDLE + 10
    with (
        raised_nofile(3 * IDLE + 2000),
        gateway(listen={"max_connections": cap, "timeouts": {"header": "60s"}}) as (
            port,
            pid,
        ),
    ):
        await legit_latencies(port, 40)  # warm up
        before = rss_kib(pid)
        idle = await asyncio.to_thread(open_idle, port, IDLE)  # every one accepted before the cap is tested
        try:
            grown = rss_kib(pid) - before
            latencies = await legit_latencies(port, 400)
            # past the cap: each extra connection gets a 503 problem+json, then is closed
            extra = await held_exchanges(port, 100)
        finally:
            for sock in idle:
                sock.close()
        answered = [final_responses(data)[0] for data in extra if final_responses(data)]
        refused = [r for r in answered if r.status == 503]
        p99 = percentile(latencies, 99)
        print(
            f"{IDLE} idle connections: RSS +{grown / 1024:.1f} MiB ({grown * 1024 / IDLE:.0f} B each); p99 {p99:.1f} ms"
        )
        assert grown < 40 * 1024  # 8 KiB per idle connection at most (measured about 3 KiB)
        assert_latency(p99)
        # the legitimate connections have closed by now: 10 more fit under the cap, the rest are refused
        assert {r.status for r in answered} <= {200, 503}
        assert len(refused) >= 70  # 10 fit under the cap, and a few more as connections close meanwhile
        assert all(r.is_problem for r in refused)
        assert all(r.header("connection") == "close" for r in refused)


async def held_exchanges(port: int, count: int) -> list[bytes]:
    """`count` connections that each send a request and read its answer, all held open until every
    one has been answered: one answered and closed early would free a slot for a later one."""
    opened = [await asyncio.open_connection("127.0.0.1", port) for _ in range(count)]

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
        data = b""
        with contextlib.suppress(ConnectionError, TimeoutError):
            writer.write(LEGIT)
            while not (final_responses(data) and final_responses(data)[0].complete):
                chunk = await asyncio.wait_for(reader.read(65536), 5)
                if not chunk:
                    break
                data += chunk
        return data

    try:
        return await asyncio.gather(*(answer(reader, writer) for reader, writer in opened))
    finally:
        for _, writer in opened:
            writer.close()


async def slowloris(port: int, count: int, stop: asyncio.Event) -> list[float]:
    """`count` clients each sending a head one byte every 100 ms; seconds until each was answered."""

    async def one() -> float:
        started = time.monotonic()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for byte in b"GET /slow HTTP/1.1\r\nHost: gw\r\nX-A: " + b"a" * 10_000:
                if stop.is_set():
                    break
                writer.write(bytes([byte]))
                await asyncio.sleep(0.1)
                if reader.at_eof() or writer.is_closing():
                    break
        except (ConnectionError, RuntimeError):
            pass
        try:
            data = await reader.read()
        except ConnectionError:  # the gateway closed while bytes were in flight: a reset may follow the answer
            data = b""
        writer.close()
        assert not data or final_responses(data)[0].status == 408
        return time.monotonic() - started

    return await asyncio.gather(*(one() for _ in range(count)))


async def test_slowloris_clients_are_cut_at_the_header_timeout_and_others_are_served() -> None:
    with raised_nofile(4 * SLOW_CLIENTS + 2000), gateway(listen={"timeouts": {"header": "1s"}}) as (port, pid):
        before = rss_kib(pid)
        stop = asyncio.Event()
        flood = asyncio.create_task(slowloris(port, SLOW_CLIENTS, stop))
        await asyncio.sleep(0.3)
        latencies = await legit_latencies(port, 200)
        cut = await flood
        grown = rss_kib(pid) - before
    p99 = percentile(latencies, 99)
    print(
        f"slowloris x{SLOW_CLIENTS}: cut after {max(cut):.2f}s at most; p99 {p99:.1f} ms; RSS +{grown / 1024:.1f} MiB"
    )
    assert max(cut) < 1 + 2.0  # the header timeout, plus scheduling slack on a shared machine
    assert_latency(p99)
    assert grown < 32 * 1024


async def slow_bodies(port: int, count: int) -> list[tuple[int, float]]:
    """`count` POSTs announcing 1 MB and sending one byte every 100 ms: (status, seconds) each."""

    async def one() -> tuple[int, float]:
        started = time.monotonic()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /upload HTTP/1.1\r\nHost: gw\r\nContent-Type: application/octet-stream\r\n")
        writer.write(b"X-Forwarded-For: 10.6.6.6\r\nContent-Length: 1000000\r\n\r\n")
        try:
            while not reader.at_eof():
                writer.write(b"x")
                await writer.drain()
                await asyncio.sleep(0.1)
                if time.monotonic() - started > 30:
                    break
        except (ConnectionError, RuntimeError):
            pass
        try:
            data = await reader.read()
        except ConnectionError:
            data = b""
        writer.close()
        responses, _ = read_responses(data, [b"POST"])
        return (responses[0].status if responses else 0), time.monotonic() - started

    return await asyncio.gather(*(one() for _ in range(count)))


@pytest.mark.parametrize("inspected", [False, True], ids=["streamed to the upstream", "read whole for the waf"])
async def test_slow_request_bodies_are_cut_and_do_not_starve_the_upstream_pool(inspected: bool) -> None:
    waf: object = {} if inspected else None
    timeouts = {"header": "2s", "body": "500ms", "body_total": "2s"}
    with raised_nofile(4 * SLOW_CLIENTS + 2000), gateway(listen={"timeouts": timeouts}, waf=waf) as (port, pid):
        before = rss_kib(pid)
        flood = asyncio.create_task(slow_bodies(port, SLOW_CLIENTS))
        await asyncio.sleep(0.5)
        latencies = await legit_latencies(port, 200)
        cut = await flood
        grown = rss_kib(pid) - before
    p99 = percentile(latencies, 99)
    statuses = {status for status, _ in cut}
    print(
        f"slow bodies x{SLOW_CLIENTS}: statuses {statuses}, cut after {max(s for _, s in cut):.2f}s at most; "
        f"p99 {p99:.1f} ms; RSS +{grown / 1024:.1f} MiB"
    )
    # 408, or nothing when the client was still sending as the gateway closed: the kernel then resets
    # the connection and the answer can be lost (a 408 is not lingered over; see docs/reliability.md)
    assert statuses <= {408, 0}
    assert max(seconds for _, seconds in cut) < 2 + 2.0
    assert_latency(p99)
    assert grown < 32 * 1024


def burst(port: int, per_connection: int, connections: int) -> list[int]:
    """One client's burst: `connections` keep-alive connections, each sending its next request as
    soon as the previous answer arrived (as wrk does)."""
    request = b"GET /burst HTTP/1.1\r\nHost: gw\r\nX-Forwarded-For: 10.6.6.6\r\n\r\n"

    async def one() -> list[int]:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        statuses = []
        for _ in range(per_connection):
            writer.write(request)
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 60)
            statuses.append(int(head.split(b" ", 2)[1]))
            length = int(head.lower().split(b"content-length: ", 1)[1].split(b"\r\n", 1)[0])
            await reader.readexactly(length)
        writer.close()
        return statuses

    async def everyone() -> list[int]:
        return [s for batch in await asyncio.gather(*(one() for _ in range(connections))) for s in batch]

    return uvloop.run(everyone())


async def test_a_burst_from_one_client_is_rate_limited_and_others_are_served() -> None:
    limit = {"limits": [{"id": "per-ip", "key": ["ip"], "rate": "100/s", "burst": 200}]}
    with raised_nofile(4000), gateway(ratelimit=limit) as (port, pid):
        before = rss_kib(pid)
        per_connection = BURST // 50
        started = time.monotonic()
        # the attacker runs on its own thread and loop: its reading must not delay the measuring loop
        flood = asyncio.create_task(asyncio.to_thread(burst, port, per_connection, 50))
        await asyncio.sleep(0.2)
        latencies = await legit_latencies(port, 200)
        statuses = await flood
        seconds = time.monotonic() - started
        grown = rss_kib(pid) - before
    p99 = percentile(latencies, 99)
    print(
        f"burst of {BURST} in {seconds:.1f}s: {statuses.count(429)} x 429, {statuses.count(200)} x 200; "
        f"legit p99 {p99:.1f} ms; RSS +{grown / 1024:.1f} MiB"
    )
    assert len(statuses) == BURST
    assert set(statuses) <= {200, 429}
    assert statuses.count(200) <= 200 + 100 * seconds + 50
    assert_latency(p99)
    assert grown < 32 * 1024
