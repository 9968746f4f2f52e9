"""The ratelimit guard: every limit a request falls under, decided together, then refuse (429),
hold (throttling) or admit with the remaining allowance in headers.

Two shapes of one guard. `RateLimitGuard` awaits its limiter (Redis, throttling). `InstantRateLimitGuard`
decides in process without a coroutine: with the memory limiter and no throttling nothing waits,
and the pipeline runs a synchronous step for a fraction of an awaited one's cost.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Protocol

from bastion.config.ratelimit import RateLimitConfig
from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.core.context import Context
from bastion.core.request import Request
from bastion.core.verdict import Verdict
from bastion.guards.ratelimit.decision import Outcome
from bastion.guards.ratelimit.headers import headers_for, policy_header
from bastion.guards.ratelimit.memory import MemoryLimiter
from bastion.guards.ratelimit.policy import Ask, Limit


class Limiter(Protocol):
    async def decide(self, asks: list[Ask], *, allow_delay: bool = True) -> Outcome: ...

    async def release(self, ask: Ask, token: str) -> None: ...


class _Limits:
    """What both shapes share: which limits apply, and what an outcome means for the request."""

    def __init__(self, config: RateLimitConfig, clock: Clock) -> None:
        self._clock = clock
        self._limits = [Limit(limit) for limit in config.limits]
        self._policy = policy_header(self._limits)  # RateLimit-Policy when every limit applies
        self._headers = config.headers
        self.needs_body = any(limit.key.needs_body for limit in self._limits)
        self._calendar = any(limit.calendar for limit in self._limits)  # only calendar windows read the wall clock

    def _asks(self, request: Request, ctx: Context) -> tuple[list[Ask], list[Limit]]:
        now = self._clock.wall() if self._calendar else 0.0
        asks: list[Ask] = []
        applied: list[Limit] = []
        for limit in self._limits:
            if limit.everywhere or limit.applies(request, ctx):
                ask = limit.ask(request, ctx, now)
                if ask is not None:
                    asks.append(ask)
                    applied.append(limit)
        return asks, applied

    def _refusal(self, outcome: Outcome, applied: list[Limit]) -> Verdict | None:
        if outcome.unavailable:
            return Verdict.refuse(
                503, "ratelimit.unavailable", "the shared rate-limit state is unreachable", category="ratelimit"
            )
        if outcome.admitted:
            return None
        refused = [s.limit_id for s in outcome.standings if s.retry_after > 0]
        return Verdict.refuse(
            429,
            f"ratelimit.{refused[0] if refused else applied[0].id}",
            f"limits exceeded: {', '.join(refused)}; retry after {outcome.retry_after:.3f}s",
            category="ratelimit",
            headers=tuple(headers_for(applied, outcome)),
        )

    def _admit(self, outcome: Outcome, applied: list[Limit], ctx: Context) -> None:
        if self._headers:
            policy = self._policy if len(applied) == len(self._limits) else None
            ctx.response_headers.extend(headers_for(applied, outcome, policy))


class RateLimitGuard(_Limits):
    def __init__(
        self,
        config: RateLimitConfig,
        limiter: Limiter,
        clock: Clock = SYSTEM_CLOCK,
        hold: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(config, clock)
        self._hold = hold  # throttling waits here; tests pass one that moves their clock
        self._limiter = limiter
        self._queue = config.queue
        self._waiting = 0  # requests held by throttling in this process

    async def check(self, request: Request, ctx: Context) -> Verdict | None:
        asks, applied = self._asks(request, ctx)
        if not asks:
            return None
        outcome = await self._limiter.decide(asks, allow_delay=self._waiting < self._queue)
        if (refusal := self._refusal(outcome, applied)) is not None:
            return refusal
        for ask, token in outcome.slots:
            ctx.on_finish.append(self._releaser(ask, token))
        self._admit(outcome, applied, ctx)
        if outcome.delay > 0:
            ctx.trace.append(("ratelimit", "throttled", f"held {outcome.delay:.3f}s"))
            self._waiting += 1
            try:
                await self._hold(outcome.delay)
            finally:
                self._waiting -= 1
        return None

    def _releaser(self, ask: Ask, token: str) -> Callable[[], None]:
        def release() -> None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                return
            task = loop.create_task(self._limiter.release(ask, token))
            _BACKGROUND.add(task)
            task.add_done_callback(_BACKGROUND.discard)

        return release


class InstantRateLimitGuard(_Limits):
    """The memory limiter's guard when no limit throttles: decided and released without awaiting."""

    def __init__(self, config: RateLimitConfig, limiter: MemoryLimiter, clock: Clock = SYSTEM_CLOCK) -> None:
        if any(limit.delay for limit in config.limits):
            raise ValueError("throttling waits: a limit with a delay needs RateLimitGuard")
        super().__init__(config, clock)
        self._limiter = limiter

    def check(self, request: Request, ctx: Context) -> Verdict | None:
        asks, applied = self._asks(request, ctx)
        if not asks:
            return None
        outcome = self._limiter.decide_now(asks, allow_delay=False)
        if not outcome.admitted or outcome.unavailable:
            return self._refusal(outcome, applied)
        for ask, _ in outcome.slots:
            ctx.on_finish.append(self._releaser(ask))
        self._admit(outcome, applied, ctx)
        return None

    def _releaser(self, ask: Ask) -> Callable[[], None]:
        limiter = self._limiter

        def release() -> None:
            limiter.release_now(ask)

        return release


_BACKGROUND: set[asyncio.Task[None]] = set()
