"""What each step of the full policy costs in process, per request, without sockets.

`make bench-pipeline` measures the server under load; this drives the same policy's `Exchange`
(request phase, response phase, the audit hand-over) in a loop, so that a guard's cost can be read
and compared between two trees without the kernel, wrk or the other core in the figure. With
`--audit` the audit writer thread runs beside the loop as it does in `bastion serve`: its work then
lands on whatever call lets go of the GIL, so the per-step figures are only clean without it.

    python bench/pipeline_steps.py [--requests 3000] [--audit] [--users N] [--profile out.prof]

`--users N` spreads the requests over N subjects, each with its own token and its own order
(`/orders/<sub>`): what recurs from request to request is then only what N users share, as in
production, where the default (one user, one order) repeats every request exactly.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import dataclasses
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

import yaml
from joserfc import jwt
from joserfc.jwk import OctKey

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bastion.config import load_config
from bastion.core.context import Context
from bastion.core.exchange import Exchange
from bastion.core.pipeline import ResponseHead, Step
from bastion.core.request import Headers, Request
from bastion.engine import Engine
from bench.harness import SMALL_JSON, one_kb_json
from bench.pipeline_load import JWT_SECRET, full_policy

Timings = defaultdict[str, list[int]]
ORDER = one_kb_json().encode()  # built once: the figures are Bastion's, not the driver's


def timed_step(step: Step, timings: Timings) -> Step:
    """The same step, its check timed into `timings[step.name]`."""
    if step.check is not None:
        check = step.check

        def timed(request: Request, ctx: Context) -> Any:
            start = time.perf_counter_ns()
            try:
                return check(request, ctx)
            finally:
                timings[step.name].append(time.perf_counter_ns() - start)

        return dataclasses.replace(step, check=timed)
    assert step.check_async is not None
    check_async = step.check_async

    async def timed_async(request: Request, ctx: Context) -> Any:
        start = time.perf_counter_ns()
        try:
            return await check_async(request, ctx)
        finally:
            timings[step.name].append(time.perf_counter_ns() - start)

    return dataclasses.replace(step, check_async=timed_async)


def token(subject: int) -> str:
    claims = {"iss": "bench", "sub": str(subject), "roles": ["user"], "exp": int(time.time()) + 86400}
    return jwt.encode({"alg": "HS256"}, claims, OctKey.import_key(JWT_SECRET.encode()))


def request(method: str, subject: int, bearer: str) -> Request:
    """What wrk sends in `make bench-pipeline`, as the proxy host hands it to the engine."""
    body = ORDER if method == "POST" else None
    pairs = [("host", "127.0.0.1:8080"), ("authorization", f"Bearer {bearer}")]
    if body is not None:
        pairs += [("content-type", "application/json"), ("content-length", str(len(body)))]
    path = "/orders" if method == "POST" else f"/orders/{subject}"
    headers = Headers(pairs)
    return Request(method=method, path=path, query="", headers=headers, client="127.0.0.1", body=body, peer="127.0.0.1")


async def one_exchange(engine: Engine, method: str, user: tuple[int, str], timings: Timings) -> int:
    async def send(head: ResponseHead, body: bytes) -> None:
        return None

    pipeline = engine.pipeline
    start = time.perf_counter_ns()
    exchange = Exchange(pipeline, request(method, *user), Context("bench-request-0001"), send)
    decision = await exchange.check()
    after_check = time.perf_counter_ns()
    if decision.refusal is not None:
        raise SystemExit(f"the full policy refused the benchmark's {method}: {decision.refusal.reason}")
    body = SMALL_JSON.replace('"id":1', f'"id":{user[0]}').encode()
    head = ResponseHead(
        200, [("content-type", "application/json"), ("content-length", str(len(body)))], length=len(body)
    )
    head = await exchange.settle(head)
    await exchange.settle_body(head, body)  # as the proxy does when the body came with the head
    after_response = time.perf_counter_ns()
    exchange.close()
    end = time.perf_counter_ns()
    timings["(request phase, all steps)"].append(after_check - start)
    timings["(response phase)"].append(after_response - after_check)
    timings["(close: audit hand-over, finishers)"].append(end - after_response)
    timings["(whole exchange)"].append(end - start)
    return exchange.outcome.status


async def run(engine: Engine, method: str, count: int, users: int, timings: Timings) -> None:
    pool = [(subject, token(subject)) for subject in range(1, users + 1)]
    for i in range(count // 5):  # warm-up: caches, first compiles, memoised readings
        await one_exchange(engine, method, pool[i % users], defaultdict(list))
    for i in range(count):
        status = await one_exchange(engine, method, pool[i % users], timings)
        if status != 200:
            raise SystemExit(f"the benchmark's {method} came out {status}")


def report(method: str, timings: Timings) -> None:
    print(f"\n{method}: median µs per request ({len(timings['(whole exchange)'])} requests)")
    for name, values in timings.items():
        print(f"  {name:40s} {statistics.median(values) / 1000:8.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--audit", action="store_true", help="keep the audit trail on (its writer thread runs)")
    parser.add_argument("--method", choices=["GET", "POST", "both"], default="both")
    parser.add_argument("--users", type=int, default=1, help="subjects (tokens, orders) the requests cycle through")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the measured loop here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bastion-steps-") as tmp:
        doc = full_policy(9, Path(tmp))
        doc["listen"]["port"] = 8080
        if not args.audit:
            doc["audit"] = None
            doc.pop("detect", None)
        policy = Path(tmp) / "bastion.yaml"
        policy.write_text(yaml.safe_dump(doc, sort_keys=False))
        engine = Engine(load_config(policy), source=policy)
        methods = ["GET", "POST"] if args.method == "both" else [args.method]

        async def measure() -> dict[str, Timings]:
            await engine.start()
            results: dict[str, Timings] = {}
            try:
                for method in methods:
                    timings: Timings = defaultdict(list)
                    steps = engine.pipeline._steps
                    engine.pipeline._steps = tuple(timed_step(step, timings) for step in steps)
                    try:
                        await _profiled(args.profile, run(engine, method, args.requests, args.users, timings))
                    finally:
                        engine.pipeline._steps = steps
                    results[method] = timings
            finally:
                await engine.stop()
            return results

        for method, timings in asyncio.run(measure()).items():
            report(method, timings)
    return 0


async def _profiled(path: Path | None, work: Awaitable[None]) -> None:
    if path is None:
        await work
        return
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        await work
    finally:
        profiler.disable()
        profiler.dump_stats(str(path))


if __name__ == "__main__":
    raise SystemExit(main())
