"""Several workers on one machine, sharing Redis: req/s with 2 workers vs 1, and Redis's share of a request.

A fast upstream (nginx) on loopback; Bastion with the Redis state backend, an API-key-free policy with
a per-client rate limit decided in Redis on every request (the part of the state a fleet shares), the
WAF and the audit trail; wrk with 64 connections. Bastion is run with 1 and then 2 workers, unpinned
(workers need cores), and once more with one worker on the memory backend: the share of a worker's
time per request that Redis takes is 1 - (req/s on Redis) / (req/s on memory). The round trip of a
single decision made alone is measured in process against the same Redis (concurrent decisions share
one pipeline, so under load a request waits less than that). Writes bench/results/fleet_load.json.
Needs nginx, wrk and redis-server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

from bastion.guards.ratelimit.policy import Ask

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.servers import RedisServer

from bastion.config import parse_config
from bastion.guards.ratelimit.policy import Limit
from bastion.guards.ratelimit.redis import RedisLimiter
from bench.harness import ROOT, bastion, upstream_nginx, wrk

POLICY = """
listen: {{host: 127.0.0.1, port: {{port}}}}
upstream: {{url: "http://127.0.0.1:UPSTREAM", pool_size: 64}}
routes: [{{path: "/items/{{item_id}}", methods: [GET], operation: getItem}}]
state: {{backend: redis, redis: {{url: "{redis}", prefix: bench}}}}
ratelimit:
  limits: [{{id: per-client, key: [ip], rate: 1000000/s, burst: 1000000}}]
log: {{level: warning}}
"""


async def redis_round_trip(redis_url: str, count: int = 3000) -> float:
    """Mean seconds of one rate-limit decision in Redis (one Lua script call), as a worker makes it."""
    config = parse_config(POLICY.format(redis=redis_url).replace("UPSTREAM", "9").replace("{port}", "0"))
    assert config.ratelimit is not None
    limiter = RedisLimiter(config.state.redis, config.state.max_keys)
    await limiter.start()
    limit = Limit(config.ratelimit.limits[0])
    try:
        asks = [Ask(limit, "bench-client", 1, 0.0)]
        for _ in range(200):
            await limiter.decide(asks)
        started = time.perf_counter()
        for _ in range(count):
            await limiter.decide(asks)
        return (time.perf_counter() - started) / count
    finally:
        await limiter.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    results: dict[str, float] = {}
    with RedisServer() as redis, upstream_nginx(None) as upstream_port:
        policy = POLICY.format(redis=redis.url).replace("UPSTREAM", str(upstream_port))
        memory_policy = policy.replace(f'state: {{backend: redis, redis: {{url: "{redis.url}", prefix: bench}}}}', "")
        for label, text, workers in (("1", policy, 1), ("2", policy, 2), ("memory", memory_policy, 1)):
            with bastion(text, None, workers=workers) as (port, _proc):
                url = f"http://127.0.0.1:{port}/items/1"
                wrk(url, seconds=2, connections=args.connections, core=None)
                result = wrk(url, seconds=args.seconds, connections=args.connections, core=None)
                assert result.errors + result.non_2xx == 0, result.raw
                results[label] = result.requests_per_second
        round_trip = asyncio.run(redis_round_trip(redis.url))
    work_share = 1 - results["1"] / results["memory"]  # the part of a worker's time per request Redis takes
    print(f"\n{args.connections} connections, {args.seconds}s per run, Redis state, rate limit decided in Redis\n")
    print(f"1 worker, Redis:   {results['1']:>10,.0f} req/s")
    print(f"2 workers, Redis:  {results['2']:>10,.0f} req/s  ({results['2'] / results['1']:.2f}x)")
    print(f"1 worker, memory:  {results['memory']:>10,.0f} req/s")
    print(f"Redis round trip of one decision made alone: {round_trip * 1e6:.0f} us")
    print(f"share of a worker's time per request that Redis takes (1 worker, Redis vs memory): {work_share:.0%}")
    out = ROOT / "bench/results"
    out.mkdir(parents=True, exist_ok=True)
    doc = {"rps": results, "redis_round_trip_us": round_trip * 1e6, "redis_worker_share": work_share}
    (out / "fleet_load.json").write_text(json.dumps(doc, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
