"""Limits compiled from the policy: which requests they apply to, their key, and their arithmetic."""

from __future__ import annotations

import calendar
import math
import time
from dataclasses import dataclass
from fnmatch import fnmatchcase

from bastion.config.ratelimit import LimitConfig
from bastion.core.context import Context
from bastion.core.request import Request
from bastion.guards.ratelimit.keys import KeyBuilder

RATE, QUOTA, CONCURRENCY = 1, 2, 3
_MONTH = 30 * 86400.0
_WEEK = 7 * 86400.0


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs three times as much in CPython
class Ask:
    """One limit's question for one request: may `cost` units be consumed for this key?"""

    limit: Limit
    key: str  # the hashed key (salted with the limit's id: unique to it), plus the calendar window for calendar quotas
    cost: int
    reset_at: float  # calendar quotas: when the window ends (wall clock); else 0


class Limit:
    """A compiled LimitConfig. Rates and rolling quotas are GCRA: one timestamp per key (the
    theoretical arrival time), an emission interval T = period / count, and a tolerance of
    burst * T: `burst` requests may come at once, then one every T."""

    __slots__ = (
        "_cost",
        "_cost_by_method",
        "_graphql_cost",
        "_methods",
        "_operations",
        "_paths",
        "burst",
        "calendar",
        "concurrency",
        "config",
        "count",
        "delay",
        "everywhere",
        "id",
        "interval",
        "key",
        "kind",
        "period",
        "policy",
        "policy_field",
    )

    def __init__(self, config: LimitConfig) -> None:
        self.config = config
        self.id = config.id
        self.key = KeyBuilder(config.id, config.key)
        self._operations = frozenset(config.operations)
        self._paths = tuple(glob.replace("**", "*") for glob in config.paths)
        self._methods = frozenset(config.methods)
        self.everywhere = not (self._operations or self._paths or self._methods)  # applies to every request
        self.delay = config.delay
        self.calendar = False
        self.concurrency = config.concurrency or 0
        if config.rate is not None:
            self.kind = RATE
            self.count, self.period = config.rate
            self.burst = config.burst or 1
        elif config.quota is not None:
            self.count, self.period = config.quota
            self.calendar = config.period == "calendar"
            self.kind = QUOTA if self.calendar else RATE  # a rolling allowance is a GCRA of capacity `count`
            self.burst = int(self.count)
        else:
            self.kind = CONCURRENCY
            self.count, self.period, self.burst = float(self.concurrency), 0.0, self.concurrency
        self.interval = self.period / self.count if self.count else 0.0
        self.policy = self._policy()  # every answer's RateLimit headers read it
        quota, window = self.policy
        self.policy_field = f'"{self.id}";q={quota}' + (f";w={window}" if window else "")
        # the cost settled once (per method, or a GraphQL query's estimate), not per request
        self._graphql_cost = config.cost == "graphql"
        self._cost_by_method = config.cost if isinstance(config.cost, dict) else None
        self._cost = config.cost if isinstance(config.cost, int) else 1

    def applies(self, request: Request, ctx: Context) -> bool:
        if self._methods and request.method not in self._methods:
            return False
        if self._operations and ctx.operation not in self._operations:
            graphql = ctx.graphql
            if graphql is None or (
                self._operations.isdisjoint(graphql.fields) and self._operations.isdisjoint(graphql.operations)
            ):
                return False
        return not self._paths or any(fnmatchcase(request.path, glob) for glob in self._paths)

    def ask(self, request: Request, ctx: Context, now: float) -> Ask | None:
        key = self.key(request, ctx)
        if key is None:
            return None
        cost = self._cost if self._cost_by_method is None else self._cost_by_method.get(request.method, 1)
        if self._graphql_cost:
            graphql = ctx.graphql
            cost = max(1, graphql.cost) if graphql is not None else 1
        if self.kind == QUOTA:
            window, reset_at = calendar_window(self.period, now)
            return Ask(self, f"{key}:{window}", cost, reset_at)
        return Ask(self, key, cost, 0.0)

    def _policy(self) -> tuple[int, int]:
        """(quota units, window seconds) for the RateLimit-Policy header, consistent with RateLimit.

        A client reading `q` and `r` must never see more units remaining than the quota: `r` can
        reach the burst, so `q` is the larger of the count and the burst, and `w` the time in which
        `q` units are earned back (q x T). For a burst at most the count that is the configured
        period; for a larger burst (20/s, burst 40: q=40;w=2) it is longer. A fractional window is
        rounded up: pacing at q/w then never exceeds the real rate, and `t` (also rounded up, and
        never above q x T) never exceeds `w`.
        """
        if self.kind == CONCURRENCY:
            return self.concurrency, 0
        count = int(self.count)
        if self.burst <= count:
            return count, max(1, math.ceil(self.period - 1e-9))
        return self.burst, max(1, math.ceil(self.burst * self.interval - 1e-9))


def calendar_window(period: float, now: float) -> tuple[int, float]:
    """The UTC calendar window `now` falls in, and when it ends: days, weeks (from Monday), months
    (a quota per 30 days or per `month` follows the calendar month), or periods since the epoch."""
    if period == _MONTH:
        t = time.gmtime(now)
        year, month = (t.tm_year + 1, 1) if t.tm_mon == 12 else (t.tm_year, t.tm_mon + 1)
        return t.tm_year * 12 + t.tm_mon, float(calendar.timegm((year, month, 1, 0, 0, 0)))
    if period == _WEEK:
        days = int(now // 86400)
        week = (days + 3) // 7  # 1970-01-01 was a Thursday: weeks start on Mondays
        return week, (week * 7 - 3 + 7) * 86400.0
    window = int(now // period)
    return window, (window + 1) * period
