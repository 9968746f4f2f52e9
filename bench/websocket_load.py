"""WebSocket relay benchmark: messages per second and added latency, Bastion against nginx, one run.

One upstream (the `websockets` library echoing every message) runs on loopback; the same client
drives it directly, through nginx proxying WebSocket (`proxy_pass` with the Upgrade headers), and
through `bastion serve` (one worker) with the WAF on every text message and without it. Server under
test on core 0, upstream and client on core 1 (bench/harness.py).

- throughput: `--connections` sockets, each keeping `--window` messages in flight, for `--seconds`;
  reported as echoed messages per second (each one relayed twice: in and out);
- latency: one socket, one message at a time, `--rounds` round trips; p50 and p99, and what each
  proxy adds to the direct round trip.

The machine is shared: the load average is printed before and after, and numbers are only
comparable within one run. Writes bench/results/websocket_load.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import ROOT, PeakRSS, bastion, cpu_seconds, cpus, free_port, nginx, pinned, wait_port

MESSAGE = '{"type":"next","id":"1","payload":{"data":{"ticks":{"n":42,"label":"tick 42"}}}}'

NGINX_WS = """
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://127.0.0.1:{upstream};
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_read_timeout 300s;
    }}
  }}
"""

POLICY = """
listen: {host: 127.0.0.1, port: {port}}
upstream: {url: "http://127.0.0.1:UPSTREAM"}
routes: [{path: /ws, methods: [GET]}]
log: {level: warning}
websocket:
  paths: [/ws]
  rate: 1000000/s
  max_per_identity: 10000
  waf: "WAF_MODE"
"""

ECHO = """
import asyncio, sys
from websockets.asyncio.server import serve

async def echo(ws):
    async for message in ws:
        await ws.send(message)

async def main():
    async with serve(echo, "127.0.0.1", int(sys.argv[1]), compression=None, max_size=None):
        await asyncio.Future()

asyncio.run(main())
"""


async def throughput(url: str, connections: int, window: int, seconds: float) -> float:
    stop = time.monotonic() + seconds
    counts = [0] * connections

    async def one(index: int) -> None:
        async with connect(url, compression=None, max_size=None, ping_interval=None) as ws:
            while time.monotonic() < stop:
                for _ in range(window):
                    await ws.send(MESSAGE)
                for _ in range(window):
                    await ws.recv()
                counts[index] += window

    started = time.monotonic()
    await asyncio.gather(*(one(i) for i in range(connections)))
    return sum(counts) / (time.monotonic() - started)


async def latency(url: str, rounds: int) -> tuple[float, float]:
    samples = []
    async with connect(url, compression=None, ping_interval=None) as ws:
        for _ in range(50):  # warm-up
            await ws.send(MESSAGE)
            await ws.recv()
        for _ in range(rounds):
            started = time.perf_counter()
            await ws.send(MESSAGE)
            await ws.recv()
            samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def measure(url: str, args: argparse.Namespace) -> dict[str, float]:
    asyncio.run(throughput(url, 4, 4, 1.0))  # warm-up
    rate = asyncio.run(throughput(url, args.connections, args.window, args.seconds))
    p50, p99 = asyncio.run(latency(url, args.rounds))
    return {"messages_per_second": round(rate), "p50_ms": round(p50, 3), "p99_ms": round(p99, 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--window", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3000)
    args = parser.parse_args()

    server_core, load_core = (0, 1) if cpus() >= 2 else (None, None)
    if load_core is not None:
        os.sched_setaffinity(0, {load_core})  # this process is the client
    load_before = os.getloadavg()
    results: dict[str, Any] = {}
    upstream_port = free_port()
    echo = subprocess.Popen(pinned([sys.executable, "-c", ECHO, str(upstream_port)], load_core))
    try:
        wait_port(upstream_port)
        results["direct"] = measure(f"ws://127.0.0.1:{upstream_port}/ws", args)
        nginx_port = free_port()
        with nginx(NGINX_WS.format(port=nginx_port, upstream=upstream_port), server_core):
            wait_port(nginx_port)
            results["nginx"] = measure(f"ws://127.0.0.1:{nginx_port}/ws", args)
        for name, waf in (("bastion", "enforce"), ("bastion (no WAF on messages)", "off")):
            policy = POLICY.replace("UPSTREAM", str(upstream_port)).replace("WAF_MODE", waf)
            with bastion(policy, server_core) as (port, proc), PeakRSS(proc.pid) as rss:
                cpu_before = cpu_seconds(proc.pid)
                results[name] = measure(f"ws://127.0.0.1:{port}/ws", args)
                results[name]["cpu_seconds"] = round(cpu_seconds(proc.pid) - cpu_before, 2)
                results[name]["peak_rss_mib"] = round(rss.peak_mib, 1)
    finally:
        echo.terminate()
        echo.wait(timeout=10)
    direct = results["direct"]
    for name, row in results.items():
        if name != "direct":
            row["added_p50_ms"] = round(row["p50_ms"] - direct["p50_ms"], 3)
            row["added_p99_ms"] = round(row["p99_ms"] - direct["p99_ms"], 3)
    load_after = os.getloadavg()
    print(
        f"load average before {load_before[0]:.2f} {load_before[1]:.2f}, after {load_after[0]:.2f} {load_after[1]:.2f}"
    )
    print(f"{'':32} {'msg/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'+p50 ms':>8} {'+p99 ms':>8}")
    for name, row in results.items():
        print(
            f"{name:32} {row['messages_per_second']:>9} {row['p50_ms']:>8.3f} {row['p99_ms']:>8.3f}"
            f" {row.get('added_p50_ms', 0):>8.3f} {row.get('added_p99_ms', 0):>8.3f}"
        )
    out = ROOT / "bench/results/websocket_load.json"
    out.parent.mkdir(exist_ok=True)
    results["load_average"] = {"before": load_before, "after": load_after}
    results["settings"] = vars(args)
    out.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
