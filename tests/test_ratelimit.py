"""Rate limits, quotas, concurrency and throttling: in memory, in a real Redis, and across four
gateway processes sharing that Redis."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from bastion.config import parse_config
from bastion.config.ratelimit import LimitConfig, RateLimitConfig
from bastion.config.state import RedisConfig
from bastion.core.clock import ManualClock
from bastion.core.context import Context
from bastion.core.identity import Identity
from bastion.core.request import Headers, Request
from bastion.engine import Engine
from bastion.guards.ratelimit.guard import InstantRateLimitGuard, RateLimitGuard
from bastion.guards.ratelimit.memory import MemoryLimiter
from bastion.guards.ratelimit.policy import Limit, calendar_window
from bastion.guards.ratelimit.redis import RedisLimiter
from bastion.state.redis import RedisBackend
from tests.proxy_harness import running_proxy
from tests.servers import RedisServer, ThreadedUvicorn, bastion_process, free_port, listening_port


async def eventually_async(
    attempt: Callable[[], Awaitable[list[int]]], expected: list[int], timeout: float = 5.0
) -> None:
    """Poll a condition that depends on a clock the test does not own (Redis's), with a deadline."""
    deadline = time.monotonic() + timeout
    while (result := await attempt()) != expected:
        assert time.monotonic() < deadline, f"still {result} after {timeout}s"
        await asyncio.sleep(0.01)


def request(
    client: str = "10.0.0.1", method: str = "GET", path: str = "/api/items", body: Any = None, **headers: str
) -> Request:
    fields = [("host", "api.test"), *((k.replace("_", "-"), v) for k, v in headers.items())]
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        fields.append(("content-type", "application/json"))
    return Request(method=method, path=path, query="", headers=Headers(fields), client=client, body=data)


async def _yield(delay: float) -> None:
    """A throttling hold that lets other requests run but does not wait on a real clock."""
    await asyncio.sleep(0)


class Instant:
    """The synchronous shape behind the awaited shape's interface, so one test reads both."""

    def __init__(self, inner: InstantRateLimitGuard) -> None:
        self.inner = inner

    async def check(self, req: Request, ctx: Context) -> Any:
        return self.inner.check(req, ctx)


@pytest.fixture(params=["awaited", "instant"])
def shape(request: pytest.FixtureRequest) -> str:
    """Both shapes of the guard: the awaited one (Redis, throttling) and the memory limiter's instant one."""
    return str(request.param)


def guard(
    *limits: dict[str, Any],
    limiter: Any = None,
    clock: ManualClock | None = None,
    hold: Callable[[float], Awaitable[None]] = _yield,
    shape: str = "awaited",
    **options: Any,
) -> Any:
    config = RateLimitConfig(limits=[LimitConfig(**limit) for limit in limits], **options)
    clock = clock or ManualClock()
    if shape == "instant":
        return Instant(InstantRateLimitGuard(config, limiter or MemoryLimiter(clock=clock), clock))
    return RateLimitGuard(config, limiter or MemoryLimiter(clock=clock), clock, hold)


def waiting(clock: ManualClock, held: list[float]) -> Callable[[float], Awaitable[None]]:
    """A throttling hold during which the test's clock moves by the time held."""

    async def hold(delay: float) -> None:
        held.append(delay)
        clock.advance(delay)
        await asyncio.sleep(0)

    return hold


async def admitted(g: Any, req: Request, n: int, identity: Identity | None = None) -> list[int]:
    statuses = []
    for _ in range(n):
        ctx = Context("ratelimit-test-01")
        ctx.identity = identity
        verdict = await g.check(req, ctx)
        statuses.append(200 if verdict is None else verdict.status)
    return statuses


# -- the arithmetic ---------------------------------------------------------------------------------


async def test_gcra_admits_the_burst_then_the_pace(shape: str) -> None:
    clock = ManualClock()
    g = guard({"id": "per-ip", "key": ["ip"], "rate": "10/s", "burst": 5}, clock=clock, shape=shape)
    assert await admitted(g, request(), 7) == [200] * 5 + [429] * 2
    clock.advance(0.21)  # two emission intervals of 100 ms
    assert await admitted(g, request(), 3) == [200, 200, 429]
    assert await admitted(g, request("10.0.0.2"), 1) == [200]  # another key, its own allowance


async def test_a_refusal_carries_retry_after_and_ratelimit_headers(shape: str) -> None:
    g = guard(
        {"id": "slow", "key": ["ip"], "rate": "1/min", "burst": 2},
        {"id": "daily", "key": ["ip"], "quota": "100/day"},
        shape=shape,
    )
    ok_ctx = Context("ratelimit-test-02")
    assert await g.check(request(), ok_ctx) is None
    headers = dict(ok_ctx.response_headers)
    assert headers["ratelimit-policy"] == '"slow";q=2;w=120, "daily";q=100;w=86400'
    assert headers["ratelimit"].startswith('"slow";r=1;t=')
    await g.check(request(), Context("ratelimit-test-03"))
    verdict = await g.check(request(), Context("ratelimit-test-04"))
    assert verdict is not None
    assert verdict.status == 429
    assert verdict.rule == "ratelimit.slow"
    refused = dict(verdict.headers)
    assert 50 <= int(refused["retry-after"]) <= 60
    # A refused request consumes nothing: the daily quota still has 98 of 100.
    assert '"daily";r=98;' in refused["ratelimit"]


async def test_quotas_count_per_calendar_window_and_report_what_remains(shape: str) -> None:
    g = guard({"id": "daily", "key": ["ip"], "quota": "3/day"}, shape=shape)
    assert await admitted(g, request(), 4) == [200, 200, 200, 429]
    window, reset = calendar_window(86400.0, 1_700_000_000.0)
    assert (window, reset) == (19675, 19676 * 86400.0)
    month, month_end = calendar_window(30 * 86400.0, time.mktime((2026, 12, 15, 12, 0, 0, 0, 0, 0)))
    assert month == 2026 * 12 + 12
    assert time.gmtime(month_end)[:3] == (2027, 1, 1)


async def test_rolling_quotas_refill_continuously(shape: str) -> None:
    clock = ManualClock()
    g = guard({"id": "rolling", "key": ["ip"], "quota": "4/2s", "period": "rolling"}, clock=clock, shape=shape)
    assert await admitted(g, request(), 5) == [200] * 4 + [429]
    clock.advance(0.55)  # one unit every 500 ms
    assert await admitted(g, request(), 2) == [200, 429]


async def test_several_limits_are_all_or_nothing(shape: str) -> None:
    g = guard(
        {"id": "per-ip", "key": ["ip"], "rate": "1/min", "burst": 3},
        {"id": "per-user", "key": ["body.username"], "rate": "1/min", "burst": 2, "operations": []},
        shape=shape,
    )
    login = lambda user: request("10.0.0.9", "POST", "/login", {"username": user})  # noqa: E731
    assert await admitted(g, login("alice"), 3) == [200, 200, 429]  # per-user refuses the third...
    assert await admitted(g, login("bob"), 1) == [200]  # ...without spending per-ip: bob gets the third slot
    assert await admitted(g, login("carol"), 1) == [429]


async def test_weighted_costs(shape: str) -> None:
    g = guard({"id": "units", "key": ["ip"], "rate": "1/min", "burst": 10, "cost": {"POST": 4}}, shape=shape)
    assert await admitted(g, request(method="POST"), 3) == [200, 200, 429]
    assert await admitted(g, request(method="GET"), 2) == [200, 200]


async def test_concurrency_slots_are_released_when_the_request_ends(shape: str) -> None:
    g = guard({"id": "in-flight", "key": ["ip"], "concurrency": 2}, shape=shape)
    contexts = [Context(f"ratelimit-test-c{i}") for i in range(3)]
    results = [await g.check(request(), ctx) for ctx in contexts]
    assert [r is None for r in results] == [True, True, False]
    contexts[0].finish()  # the first request ends
    await asyncio.sleep(0)
    assert await g.check(request(), Context("ratelimit-test-c9")) is None


async def test_throttling_holds_instead_of_refusing_within_the_bound() -> None:
    clock, held = ManualClock(), []
    g = guard({"id": "paced", "key": ["ip"], "rate": "20/s", "burst": 1, "delay": "200ms"}, clock=clock)
    g._hold = waiting(clock, held)
    assert await admitted(g, request(), 4) == [200] * 4  # one at once, then one every 50 ms
    assert held == pytest.approx([0.05, 0.05, 0.05])


async def test_throttling_holds_requests_arriving_together_up_to_the_bound() -> None:
    held: list[float] = []

    async def record(delay: float) -> None:
        held.append(delay)
        await asyncio.sleep(0)

    g = guard({"id": "paced", "key": ["ip"], "rate": "20/s", "burst": 1, "delay": "200ms"}, hold=record)

    async def one() -> int:
        verdict = await g.check(request(), Context("ratelimit-test-t1"))
        return 200 if verdict is None else verdict.status

    # Arriving together: held 0, 50, 100, 150 and 200 ms; the others would wait past the bound.
    statuses = await asyncio.gather(*(one() for _ in range(8)))
    assert statuses.count(200) == 5
    assert statuses.count(429) == 3
    assert sorted(held) == pytest.approx([0.05, 0.1, 0.15, 0.2])


async def test_the_throttling_queue_is_bounded() -> None:
    g = guard({"id": "paced", "key": ["ip"], "rate": "10/s", "burst": 1, "delay": "5s"}, queue=2)

    async def one() -> int:
        verdict = await g.check(request(), Context("ratelimit-test-q1"))
        return 200 if verdict is None else verdict.status

    statuses = await asyncio.gather(*(one() for _ in range(6)))
    assert statuses.count(200) == 3  # one immediately, two held
    assert statuses.count(429) == 3


async def test_key_parts() -> None:
    alice = Identity("alice", "api_key", key_id="k1", tenant="acme", client_id="app")
    g = guard(
        {"id": "per-key", "key": ["api_key"], "rate": "1/min", "burst": 1},
        {"id": "per-tenant", "key": ["tenant", "operation"], "rate": "1/min", "burst": 5},
        {"id": "by-header", "key": ["header.x-device"], "rate": "1/min", "burst": 1},
    )
    assert await admitted(g, request(), 1, alice) == [200]
    assert await admitted(g, request(), 1, alice) == [429]
    assert await admitted(g, request(), 3) == [200, 200, 200]  # anonymous: no key part, no limit
    assert await admitted(g, request(x_device="d1"), 2) == [200, 429]


async def test_scope_by_operation_path_and_method(shape: str) -> None:
    g = guard(
        {"id": "login", "key": ["ip"], "rate": "5/min", "methods": ["post"], "paths": ["/api/login"]}, shape=shape
    )
    assert await admitted(g, request(method="POST", path="/api/login"), 2) == [200, 429]
    assert await admitted(g, request(method="GET", path="/api/login"), 3) == [200] * 3
    assert await admitted(g, request(method="POST", path="/api/other"), 3) == [200] * 3


def test_the_memory_limiter_runs_as_a_synchronous_step_unless_a_limit_throttles(tmp_path: Path) -> None:
    """A coroutine per request buys nothing when nothing waits; throttling and Redis still await."""

    def ratelimit_step(limit: dict[str, Any], **extra: Any) -> Any:
        doc = {"upstream": {"url": "http://127.0.0.1:9"}, "routes": [{"path": "/**", "methods": ["*"]}]}
        doc |= {"store": {"path": str(tmp_path / "s.db")}, "ratelimit": {"limits": [limit]}, **extra}
        engine = Engine(parse_config(yaml.safe_dump(doc), base_dir=tmp_path))
        return next(step for step in engine.pipeline._steps if step.name == "ratelimit")

    step = ratelimit_step({"id": "per-ip", "key": ["ip"], "rate": "10/s"})
    assert isinstance(step.guard, InstantRateLimitGuard)
    assert step.check is not None
    assert step.check_async is None
    held = ratelimit_step({"id": "per-ip", "key": ["ip"], "rate": "10/s", "delay": "1s"})
    assert isinstance(held.guard, RateLimitGuard)
    assert held.check_async is not None
    shared = ratelimit_step(
        {"id": "per-ip", "key": ["ip"], "rate": "10/s"},
        state={"backend": "redis", "redis": {"url": "redis://127.0.0.1:9"}},
    )
    assert isinstance(shared.guard, RateLimitGuard)
    with pytest.raises(ValueError, match="throttling waits"):
        InstantRateLimitGuard(
            RateLimitConfig(limits=[LimitConfig(id="x", key=["ip"], rate="1/s", delay=1.0)]), MemoryLimiter()
        )


def test_memory_is_bounded_whatever_the_number_of_keys() -> None:
    limiter = MemoryLimiter(max_keys=100)
    limit = Limit(LimitConfig(id="x", key=["ip"], rate="1/s"))
    for i in range(10_000):
        ask = limit.ask(
            request(f"10.{i // 65536}.{i // 256 % 256}.{i % 256}"), Context("ratelimit-test-m1"), time.time()
        )
        assert ask is not None
        limiter.decide_now([ask])
    assert len(limiter._tat) == 100


async def test_two_limits_on_the_same_key_parts_keep_apart(shape: str) -> None:
    """A limit's state is named by its key, which is salted with the limit's id: a lax limit using
    up its allowance never spends a strict one's over the same parts."""
    clock = ManualClock()
    limiter = MemoryLimiter(clock=clock)
    shared = {"limiter": limiter, "clock": clock, "shape": shape}
    lax = guard({"id": "lax", "key": ["ip"], "rate": "1/min", "burst": 3}, **shared)
    strict = guard({"id": "strict", "key": ["ip"], "rate": "1/min", "burst": 1}, **shared)
    assert await admitted(lax, request(), 4) == [200, 200, 200, 429]
    assert await admitted(strict, request(), 2) == [200, 429]
    ctx = Context("ratelimit-test-k1")
    both = guard(
        {"id": "strict", "key": ["ip"], "rate": "1/min", "burst": 2},
        {"id": "lax", "key": ["ip"], "rate": "1/min", "burst": 3},
        {"id": "concurrent", "key": ["ip"], "concurrency": 5},
        shape=shape,
    )
    assert await both.check(request(), ctx) is None
    assert dict(ctx.response_headers)["ratelimit"] == '"strict";r=1;t=60, "lax";r=2;t=60, "concurrent";r=4;t=0'


def test_a_key_is_the_same_whether_its_digest_was_remembered_or_not() -> None:
    limit = Limit(LimitConfig(id="x", key=["ip"], rate="1/s"))
    other = Limit(LimitConfig(id="y", key=["ip"], rate="1/s"))
    ctx = Context("ratelimit-test-k2")
    first = limit.key(request("10.0.0.1"), ctx)
    assert first is not None
    assert limit.key(request("10.0.0.1"), ctx) == first  # from the table
    assert Limit(LimitConfig(id="x", key=["ip"], rate="1/s")).key(request("10.0.0.1"), ctx) == first  # fresh
    assert other.key(request("10.0.0.1"), ctx) != first  # salted with the limit's id
    assert limit.key(request("10.0.0.2"), ctx) != first
    # Bounded: a client rotating values never grows the table past its size; long values are not kept.
    for i in range(5_000):
        limit.key(request(f"10.{i // 65536}.{i // 256 % 256}.{i % 256}"), ctx)
    assert 0 < len(limit.key._memo) <= 1024
    header = Limit(LimitConfig(id="h", key=["header.x-user"], rate="1/s"))
    long_value = "u" * 300
    assert header.key(request(x_user=long_value), ctx) == header.key(request(x_user=long_value), ctx)
    assert long_value not in header.key._memo
    assert header.key(request(x_user=""), ctx) is None  # an empty part: the limit does not apply


async def test_the_memory_backend_is_exact_under_concurrency(shape: str) -> None:
    g = guard({"id": "burst", "key": ["ip"], "rate": "1/min", "burst": 50}, shape=shape)

    async def one() -> int:
        await asyncio.sleep(0)
        verdict = await g.check(request(), Context("ratelimit-test-x1"))
        return 200 if verdict is None else 429

    statuses = await asyncio.gather(*(one() for _ in range(1000)))
    assert statuses.count(200) == 50


def test_limits_refuse_bad_configuration() -> None:
    with pytest.raises(ValueError, match="exactly one of rate, quota or concurrency"):
        LimitConfig(id="x", key=["ip"], rate="1/s", quota="5/day")
    with pytest.raises(ValueError, match="unknown key part 'ipaddress'"):
        LimitConfig(id="x", key=["ipaddress"], rate="1/s")
    with pytest.raises(ValueError, match="expected a rate"):
        LimitConfig(id="x", key=["ip"], rate="fast")
    with pytest.raises(ValueError, match="limit ids must be unique"):
        RateLimitConfig(limits=[{"id": "a", "key": ["ip"], "rate": "1/s"}, {"id": "a", "key": ["ip"], "rate": "2/s"}])


# -- through the proxy ------------------------------------------------------------------------------


async def test_429_is_problem_json_with_retry_after(upstream: ThreadedUvicorn) -> None:
    policy = {"limits": [{"id": "per-ip", "key": ["ip"], "rate": "1/min", "burst": 2}]}
    async with running_proxy(upstream.url, ratelimit=policy) as proxy, httpx.AsyncClient() as client:
        responses = [await client.get(f"{proxy.url}/items") for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]
    assert responses[0].headers["ratelimit-policy"] == '"per-ip";q=2;w=120'
    refused = responses[2]
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.json()["status"] == 429
    assert refused.json()["request_id"] == refused.headers["x-request-id"]


# -- Redis ------------------------------------------------------------------------------------------


@pytest.fixture
def redis_guard(redis_server: RedisServer) -> Iterator[Any]:
    limiters: list[RedisLimiter] = []

    def make(
        *limits: dict[str, Any],
        on_failure: str = "open",
        url: str | None = None,
        clock: ManualClock | None = None,
        **options: Any,
    ) -> RateLimitGuard:
        prefix = f"t{len(limiters)}{time.monotonic_ns()}"
        clock = clock or ManualClock()
        config = RedisConfig(url=url or redis_server.url, prefix=prefix, on_failure=on_failure)
        limiter = RedisLimiter(config, clock=clock)
        limiters.append(limiter)
        return guard(*limits, limiter=limiter, clock=clock, **options)

    return make


async def test_redis_batches_concurrent_decisions_and_stays_exact(redis_guard: Any, monkeypatch: Any) -> None:
    """Decisions made in the same loop turn go to Redis in one pipeline; each script stays atomic."""
    g = redis_guard({"id": "burst", "key": ["ip"], "rate": "1/min", "burst": 50})
    limiter = g._limiter
    batches: list[int] = []
    send = limiter._send

    async def counting(batch: Any) -> None:
        batches.append(len(batch))
        await send(batch)

    monkeypatch.setattr(limiter, "_send", counting)

    async def one() -> int:
        verdict = await g.check(request(), Context("ratelimit-test-b1"))
        return 200 if verdict is None else 429

    statuses = await asyncio.gather(*(one() for _ in range(1000)))
    assert statuses.count(200) == 50
    assert sum(batches) == 1000
    assert len(batches) < 50  # hundreds of decisions per round trip, not one each


async def test_redis_decides_rates_quotas_and_concurrency(redis_guard: Any) -> None:
    g = redis_guard(
        {"id": "per-ip", "key": ["ip"], "rate": "10/s", "burst": 3},
        {"id": "daily", "key": ["ip"], "quota": "4/day"},
        {"id": "in-flight", "key": ["ip"], "concurrency": 10},
    )
    assert await admitted(g, request(), 4) == [200, 200, 200, 429]
    # Redis keeps the time (TIME, shared by every host): wait for its next 100 ms interval.
    await eventually_async(lambda: admitted(g, request(), 1), [200])
    assert await admitted(g, request(), 1) == [429]  # the daily quota (4) is spent now
    c = redis_guard({"id": "in-flight", "key": ["ip"], "concurrency": 1})
    first = Context("ratelimit-test-r1")
    assert await c.check(request(), first) is None
    assert (await c.check(request(), Context("ratelimit-test-r2"))).status == 429
    first.finish()
    await eventually_async(lambda: admitted(c, request(), 1), [200])  # the slot is released in the background


async def test_redis_throttling_reserves_a_slot(redis_guard: Any) -> None:
    held: list[float] = []

    async def record(delay: float) -> None:
        held.append(delay)

    g = redis_guard({"id": "paced", "key": ["ip"], "rate": "20/s", "burst": 1, "delay": "200ms"}, hold=record)
    assert await admitted(g, request(), 3) == [200] * 3
    # Not waited for: each hold reserved its slot, so the next one waits behind it.
    assert held[0] == pytest.approx(0.05, abs=0.01)
    assert held[1] == pytest.approx(0.1, abs=0.01)


async def test_redis_unreachable_fails_open_or_closed_and_recovers(
    redis_guard: Any, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    limit = {"id": "per-ip", "key": ["ip"], "rate": "1/min", "burst": 2}
    clock = ManualClock()
    down_open = redis_guard(limit, url=f"redis://127.0.0.1:{port}/0", on_failure="open")
    down_closed = redis_guard(limit, url=f"redis://127.0.0.1:{port}/0", on_failure="closed", clock=clock)
    with caplog.at_level(logging.WARNING, logger="bastion.state"):
        assert await admitted(down_open, request(), 3) == [200, 200, 429]  # the per-process fallback decides
        assert await admitted(down_closed, request(), 1) == [503]
        assert any("unreachable" in r.message and "fail open" in r.message for r in caplog.records)
        with RedisServer(port):
            # a probe pings Redis every 0.2 s while it is down: poll for the first shared decision
            deadline = asyncio.get_running_loop().time() + 5
            while await admitted(down_closed, request(), 1) == [503]:
                assert asyncio.get_running_loop().time() < deadline, "the limiter did not use Redis again"
                await asyncio.sleep(0.02)
            assert await admitted(down_closed, request(), 2) == [200, 429]
        assert any("answers again" in r.message for r in caplog.records)
    assert all("password" not in r.message for r in caplog.records)


# -- four gateway processes, one Redis --------------------------------------------------------------


def test_four_processes_sharing_redis_admit_exactly_the_limit(
    tmp_path: Path, redis_server: RedisServer, upstream: ThreadedUvicorn
) -> None:
    """Concurrent requests spread over four `bastion serve` processes: per key, the number admitted
    never exceeds burst + rate x elapsed, and reaches it (no more than 1 % under)."""
    prefix = f"fleet{time.monotonic_ns()}"
    policy = {
        "listen": {"host": "127.0.0.1", "port": 0},
        "upstream": {"url": upstream.url},
        "routes": [{"path": "/**", "methods": ["*"]}],
        "state": {"backend": "redis", "redis": {"url": redis_server.url, "prefix": prefix}},
        "ratelimit": {
            "limits": [
                {"id": "burst", "key": ["header.x-tenant"], "rate": "6/min", "burst": 100},
                {"id": "quota", "key": ["header.x-user"], "quota": "60/day"},
            ]
        },
        "store": {"path": str(tmp_path / "b.db")},
    }
    config = tmp_path / "fleet.yaml"
    config.write_text(yaml.safe_dump(policy))
    with contextlib_exit_stack() as stack:
        processes = [stack.enter_context(bastion_process(config, "--port", "0")) for _ in range(4)]
        ports = [listening_port(process) for process in processes]
        started = time.monotonic()
        statuses = asyncio.run(_fire(ports))
        elapsed = time.monotonic() - started
    by_tenant = Counter(tenant for tenant, status in statuses if status == 200 and tenant.startswith("t"))
    by_user = Counter(user for user, status in statuses if status == 200 and user.startswith("u"))
    print(f"admitted per tenant {dict(by_tenant)}, per user {dict(by_user)} in {elapsed:.2f}s")
    assert {s for _, s in statuses} <= {200, 429}

    ceiling = 100 + 6 * elapsed / 60
    for tenant in ("t1", "t2"):
        assert 0.99 * 100 <= by_tenant[tenant] <= ceiling, (by_tenant, elapsed)
    for user in ("u1", "u2"):
        assert 0.99 * 60 <= by_user[user] <= 60, by_user


def contextlib_exit_stack() -> Any:
    return contextlib.ExitStack()


async def _fire(ports: list[int]) -> list[tuple[str, int]]:
    """600 requests for two tenants (burst 100 each) and 300 for two users (60 a day each), spread
    over the four gateways, 64 in flight at a time."""
    jobs = [("t1" if i % 2 else "t2", {"x-tenant": "t1" if i % 2 else "t2"}) for i in range(600)]
    jobs += [("u1" if i % 2 else "u2", {"x-user": "u1" if i % 2 else "u2"}) for i in range(300)]
    semaphore = asyncio.Semaphore(64)
    limits = httpx.Limits(max_connections=64)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:

        async def one(index: int, label: str, headers: dict[str, str]) -> tuple[str, int]:
            async with semaphore:
                port = ports[index % len(ports)]
                response = await client.get(f"http://127.0.0.1:{port}/items", headers=headers)
                return label, response.status_code

        return await asyncio.gather(*(one(i, label, headers) for i, (label, headers) in enumerate(jobs)))


async def test_redis_decides_a_request_in_one_script_call(redis_guard: Any) -> None:
    g = redis_guard(
        {"id": "per-ip", "key": ["ip"], "rate": "100/s", "burst": 100},
        {"id": "daily", "key": ["ip"], "quota": "1000/day"},
        {"id": "per-route", "key": ["ip", "route"], "rate": "100/s", "burst": 100},
    )
    await admitted(g, request(), 1)  # loads the script
    client = g._limiter._client
    sent: list[str] = []
    execute = client.execute_command

    async def counting(*args: Any, **options: Any) -> Any:
        sent.append(str(args[0]))
        return await execute(*args, **options)

    client.execute_command = counting
    await admitted(g, request(), 20)
    assert sent == ["EVALSHA"] * 20  # three limits, one round trip per request


async def test_redis_state_backend_shares_counters_and_deadlines(redis_server: RedisServer) -> None:
    prefix = f"st{time.monotonic_ns()}"
    one = RedisBackend(RedisConfig(url=redis_server.url, prefix=prefix), 1000)
    two = RedisBackend(RedisConfig(url=redis_server.url, prefix=prefix), 1000)
    assert [await one.incr("fail:1.2.3.4", 60), await two.incr("fail:1.2.3.4", 60)] == [1, 2]
    until = time.time() + 30
    await one.set_until("cooldown:alice", until)
    assert await two.get_until("cooldown:alice") == pytest.approx(until)
    await two.delete("cooldown:alice")
    assert await one.get_until("cooldown:alice") is None
    await one.close()
    await two.close()
    down = RedisBackend(RedisConfig(url=f"redis://127.0.0.1:{free_port()}/0", prefix=prefix), 1000)
    assert [await down.incr("x", 60), await down.incr("x", 60)] == [1, 2]  # counted in this process meanwhile
