"""Shared state in Redis: the counters and deadlines of every gateway process and host.

Each operation is one command (or one MULTI) on keys under the `{prefix}` hash tag. When Redis
cannot be reached the operation falls back to this process's memory without waiting (logged once per
outage), so a Redis outage degrades sharing, not the gateway; Redis is used again as soon as it
answers (`link.py`).
"""

from __future__ import annotations

from redis.exceptions import RedisError

from bastion.config.state import RedisConfig
from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.state.link import RedisLink, redis_client
from bastion.state.memory import MemoryBackend


class RedisBackend:
    def __init__(self, config: RedisConfig, max_keys: int, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock
        self._client = redis_client(config)
        self._prefix = "{" + config.prefix + "}:st:"
        self._fallback = MemoryBackend(max_keys, clock)
        self._link = RedisLink(self._client, config.url, "shared counters", "counting in this process meanwhile", clock)

    def _key(self, key: str) -> str:
        return self._prefix + key

    def _usable(self) -> bool:
        return self._link.up

    def _failed(self, exc: Exception) -> None:
        self._link.failed(exc)

    async def incr(self, key: str, window: float) -> int:
        if self._usable():
            try:
                async with self._client.pipeline(transaction=True) as pipe:
                    pipe.incr(self._key(key))
                    pipe.expire(self._key(key), max(1, round(window)), nx=True)
                    count, _ = await pipe.execute()
                return int(count)
            except (RedisError, OSError) as exc:
                self._failed(exc)
        return await self._fallback.incr(key, window)

    async def incr_strikes(self, key: str, ttl: float) -> int:
        return await self.incr("strikes:" + key, ttl)

    async def get_until(self, key: str) -> float | None:
        if self._usable():
            try:
                value = await self._client.get(self._key("until:" + key))
                if value is None:
                    return None
                until = float(value)
                return until if until > self._clock.wall() else None
            except (RedisError, OSError, ValueError) as exc:
                self._failed(exc)
        return await self._fallback.get_until(key)

    async def set_until(self, key: str, until: float) -> None:
        await self._fallback.set_until(key, until)
        if self._usable():
            try:
                ttl = max(1, round(until - self._clock.wall()))
                await self._client.set(self._key("until:" + key), repr(until), ex=ttl)
            except (RedisError, OSError) as exc:
                self._failed(exc)

    async def delete(self, key: str) -> None:
        await self._fallback.delete(key)
        if self._usable():
            try:
                await self._client.delete(self._key(key), self._key("until:" + key), self._key("strikes:" + key))
            except (RedisError, OSError) as exc:
                self._failed(exc)

    async def close(self) -> None:
        await self._link.close()
        await self._client.aclose()
