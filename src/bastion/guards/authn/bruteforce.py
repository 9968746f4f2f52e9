"""Brute-force friction: failed authentications cool a client down, for longer each time.

Failures are counted per client address and per (client, account). Cooling down the pair, never
the account alone, is deliberate: an attacker guessing from elsewhere must not be able to lock the
real user out of their own account. Spreading guesses over many accounts from one address still
trips the per-client count. Keys are hashed, so their size and number stay bounded.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from bastion.config.authn import BruteForceConfig
from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.state.backend import StateBackend


@lru_cache(maxsize=4096)  # asked by every request: one SHA-256 per client, not per request
def _key(*parts: str) -> str:
    return "authn:" + hashlib.sha256("\x00".join(parts).encode("utf-8", "replace")).hexdigest()[:32]


class BruteForceFriction:
    def __init__(self, config: BruteForceConfig, state: StateBackend, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock
        self._config = config
        self._state = state

    async def retry_after(self, client: str, account: str | None = None) -> float | None:
        """Seconds until this client (or this client on this account) may try again, if cooling."""
        now = self._clock.wall()
        until = await self._state.get_until(_key("client", client))
        if account is not None:
            pair = await self._state.get_until(_key("pair", client, account))
            until = max(until or 0.0, pair or 0.0) or None
        return until - now if until is not None and until > now else None

    async def failed(self, client: str, account: str | None) -> float | None:
        """Record a failure; returns the cooldown that just started, if one did."""
        started: float | None = None
        keys = [_key("client", client)] + ([_key("pair", client, account)] if account else [])
        for key in keys:
            count = await self._state.incr(key + ":n", self._config.window)
            if count >= self._config.threshold:
                strikes = await self._state.incr_strikes(key + ":s", 24 * 3600)
                steps = self._config.cooldown
                cooldown = steps[min(strikes, len(steps)) - 1]
                await self._state.set_until(key, self._clock.wall() + cooldown)
                await self._state.delete(key + ":n")
                started = max(started or 0.0, cooldown)
        return started
