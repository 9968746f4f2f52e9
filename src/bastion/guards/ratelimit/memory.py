"""Limits decided in this process: exact, since a decision runs without awaiting anything.

All the limits a request falls under are decided together: if any refuses, none is consumed. State
is one float per GCRA key, one counter per quota window, one count per concurrency key, each in an
LRU bounded by `max_keys`, so an attacker rotating keys evicts old entries and never grows memory.
"""

from __future__ import annotations

from typing import Any

from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.guards.ratelimit.decision import Outcome, Standing, refused
from bastion.guards.ratelimit.policy import CONCURRENCY, QUOTA, RATE, Ask
from bastion.state.memory import BoundedMap


class MemoryLimiter:
    def __init__(self, max_keys: int = 100_000, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock
        self._tat: BoundedMap[float] = BoundedMap(max_keys)  # GCRA: theoretical arrival time (monotonic)
        self._quota: BoundedMap[list[float]] = BoundedMap(max_keys)  # [used, window end (wall clock)]
        self._in_flight: BoundedMap[list[int]] = BoundedMap(max_keys)

    async def decide(self, asks: list[Ask], *, allow_delay: bool = True) -> Outcome:
        return self.decide_now(asks, allow_delay=allow_delay)

    def decide_now(self, asks: list[Ask], *, allow_delay: bool = True) -> Outcome:  # noqa: PLR0912, PLR0915  GCRA, quota and concurrency decided and committed together, exactly
        """The decision, synchronously: nothing else runs in this process meanwhile, hence exact."""
        now = self._clock.monotonic()
        standings: list[Standing] = []
        commits: list[tuple[int, Ask, str, float]] = []
        admitted = True
        delay = 0.0
        for ask in asks:
            limit = ask.limit
            name = ask.key  # salted with the limit's id (keys.py): no two limits share a name
            if limit.kind == RATE:
                interval = limit.interval
                tolerance = limit.burst * interval
                tat = self._tat.get(name)
                base = now if tat is None or tat < now else tat
                new_tat = base + ask.cost * interval
                allow_at = new_tat - tolerance
                wait = allow_at - now
                if wait > 1e-9 and not (allow_delay and wait <= limit.delay):
                    admitted = False
                    remaining = max(0, int((now - (base - tolerance)) / interval + 1e-6)) if interval else 0
                    standings.append(Standing(limit.id, min(remaining, limit.burst), base - now, wait))
                    continue
                # comparisons rather than min()/max(): a builtin call costs more here, on every admitted request
                if wait > delay:  # noqa: PLR1730
                    delay = wait
                remaining = int((now + (wait if wait > 0.0 else 0.0) - allow_at) / interval + 1e-6) if interval else 0
                if remaining > limit.burst:  # noqa: PLR1730
                    remaining = limit.burst
                standings.append(Standing(limit.id, remaining if remaining > 0 else 0, new_tat - now))
                commits.append((RATE, ask, name, new_tat))
            elif limit.kind == QUOTA:
                wall = self._clock.wall()
                entry = self._quota.get(name)
                used = entry[0] if entry is not None and entry[1] > wall else 0.0
                allowance = limit.count
                if used + ask.cost > allowance:
                    admitted = False
                    standings.append(
                        Standing(limit.id, int(max(0.0, allowance - used)), ask.reset_at - wall, ask.reset_at - wall)
                    )
                    continue
                standings.append(Standing(limit.id, int(allowance - used - ask.cost), ask.reset_at - wall))
                commits.append((QUOTA, ask, name, used + ask.cost))
            else:
                entry_count = self._in_flight.get(name)
                count = entry_count[0] if entry_count is not None else 0
                if count + 1 > limit.concurrency:
                    admitted = False
                    standings.append(Standing(limit.id, 0, 1.0, 1.0))
                    continue
                standings.append(Standing(limit.id, limit.concurrency - count - 1, 0.0))
                commits.append((CONCURRENCY, ask, name, 0.0))
        if not admitted:
            return Outcome(False, 0.0, refused(standings, asks))
        slots: list[tuple[Any, str]] = []
        for kind, ask, name, value in commits:
            if kind == RATE:
                self._tat.put(name, value)
            elif kind == QUOTA:
                self._quota.put(name, [value, ask.reset_at])
            else:
                in_flight = self._in_flight.get(name)
                if in_flight is None:
                    self._in_flight.put(name, [1])
                else:
                    in_flight[0] += 1
                slots.append((ask, ""))
        return Outcome(True, delay, standings, False, slots)

    async def release(self, ask: Ask, token: str = "") -> None:
        self.release_now(ask)

    def release_now(self, ask: Ask) -> None:
        """The end of a request counted by a concurrency limit."""
        entry = self._in_flight.get(ask.key)
        if entry is not None and entry[0] > 0:
            entry[0] -= 1
