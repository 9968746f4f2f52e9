"""Rate-limit decision cost (pytest-benchmark). Target: a memory-backend decision in <= 5 us."""

from __future__ import annotations

import asyncio
import time

import pytest

from bastion.config.ratelimit import LimitConfig, RateLimitConfig
from bastion.core.context import Context
from bastion.core.identity import Identity
from bastion.core.request import Headers, Request
from bastion.guards.ratelimit.guard import RateLimitGuard
from bastion.guards.ratelimit.memory import MemoryLimiter
from bastion.guards.ratelimit.policy import Limit

REQUEST = Request(method="GET", path="/api/items", query="", headers=Headers([("host", "a")]), client="10.1.2.3")
IDENTITY = Identity("alice", "api_key", key_id="k-123")


@pytest.fixture
def limiter() -> MemoryLimiter:
    return MemoryLimiter()


def test_memory_decision_one_rate(benchmark, limiter: MemoryLimiter) -> None:  # type: ignore[no-untyped-def]
    limit = Limit(LimitConfig(id="per-ip", key=["ip"], rate="1000000/s", burst=10))
    ask = limit.ask(REQUEST, Context("bench-rl-0000001"), time.time())
    assert ask is not None
    assert benchmark(limiter.decide_now, [ask]).admitted


def test_memory_decision_rate_quota_and_concurrency(benchmark, limiter: MemoryLimiter) -> None:  # type: ignore[no-untyped-def]
    ctx = Context("bench-rl-0000002")
    ctx.identity = IDENTITY
    now = time.time()
    asks = [
        Limit(LimitConfig(id="per-key", key=["api_key"], rate="1000000/s", burst=10)).ask(REQUEST, ctx, now),
        Limit(LimitConfig(id="daily", key=["api_key"], quota="1000000000/day")).ask(REQUEST, ctx, now),
        Limit(LimitConfig(id="per-ip", key=["ip"], rate="1000000/s", burst=10)).ask(REQUEST, ctx, now),
    ]

    def decide() -> bool:
        return limiter.decide_now(asks).admitted  # type: ignore[arg-type]

    assert benchmark(decide)


def test_guard_check_with_key_building(benchmark) -> None:  # type: ignore[no-untyped-def]
    """The whole step: scope, key parts hashed, decision, headers (one rate limit per IP)."""
    config = RateLimitConfig(limits=[LimitConfig(id="per-ip", key=["ip"], rate="1000000/s", burst=10)])
    guard = RateLimitGuard(config, MemoryLimiter())
    loop = asyncio.new_event_loop()

    def check() -> object:
        coroutine = guard.check(REQUEST, Context("bench-rl-0000003"))
        try:
            coroutine.send(None)
        except StopIteration as done:
            return done.value
        raise AssertionError("the memory limiter never waits")

    assert benchmark(check) is None
    loop.close()
