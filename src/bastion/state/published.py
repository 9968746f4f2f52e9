"""Entries every gateway must know (bans, revocations), mirrored in a Redis sorted set, and put back
when Redis loses them.

An entry is a member with a deadline (its score; +inf for never). Each process publishes what its
own durable store holds and Redis lacks, and reads the set back when it changed (a version counter
bumped by every publication, so an idle fleet reads one small key per sync). While Redis is
unreachable, what was last read is kept: a ban learned from another host stays enforced.

A Redis restarted empty forgets entries whose only other copy is in another host's store, and the
hosts would read the empty set as "lifted". So Redis also holds an epoch: a random id that the first
process to find it missing sets. A process that sees a new epoch first publishes everything it
knows, what its store holds and what it last read from Redis, and only then reads the set: no
process forgets an entry in between, and each host's own entries come back from its store.
"""

from __future__ import annotations

import uuid

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.state.link import RedisLink

INFINITE = float("inf")


class PublishedSet:
    def __init__(
        self, client: aioredis.Redis, link: RedisLink, key: str, epoch_key: str, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        self._client = client
        self._link = link
        self._key = key
        self._version_key = key + ":version"
        self._epoch_key = epoch_key
        self._clock = clock
        self._epoch: bytes | str | None = None
        self._version: bytes | str | None = None
        self.entries: dict[str, float] = {}  # as last read from Redis

    async def publish(self, entries: dict[str, float]) -> bool:
        """Add `entries` (a deadline is only ever extended); False while Redis is unreachable."""
        if not entries:
            return True
        if not self._link.up:
            return False
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                pipe.zadd(self._key, entries, gt=True)
                pipe.incr(self._version_key)
                await pipe.execute()
        except (RedisError, OSError) as exc:
            self._link.failed(exc)
            return False
        return True

    async def remove(self, member: str) -> None:
        if not self._link.up:
            return
        try:
            async with self._client.pipeline(transaction=False) as pipe:
                pipe.zrem(self._key, member)
                pipe.incr(self._version_key)
                await pipe.execute()
        except (RedisError, OSError) as exc:
            self._link.failed(exc)
        self.entries.pop(member, None)

    async def refresh(self, known: dict[str, float], own: dict[str, float]) -> dict[str, float] | None:
        """The set as Redis holds it now, after giving back what Redis lacks: `own` (this host's
        store) always, and all of `known` when Redis lost its data. None while Redis is unreachable."""
        if not self._link.up:
            return None
        try:
            epoch, version = await self._client.mget(self._epoch_key, self._version_key)
            if epoch is None or epoch != self._epoch:
                if epoch is None:
                    await self._client.set(self._epoch_key, uuid.uuid4().hex, nx=True)
                    epoch = await self._client.get(self._epoch_key)
                if self._epoch is not None and not await self.publish({**self.entries, **known}):
                    return None
                self._epoch, self._version = epoch, None
                version = await self._client.get(self._version_key)
            if version != self._version or version is None:
                await self._read()
                self._version = version
            missing = {member: until for member, until in own.items() if self.entries.get(member, 0.0) < until}
            if missing and await self.publish(missing):
                self.entries.update(missing)
        except (RedisError, OSError) as exc:
            self._link.failed(exc)
            return None
        return self.entries

    async def close(self) -> None:
        await self._link.close()
        await self._client.aclose()

    async def _read(self) -> None:
        now = self._clock.wall()
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.zremrangebyscore(self._key, "-inf", now)
            pipe.zrangebyscore(self._key, now, "+inf", withscores=True)
            _, found = await pipe.execute()
        self.entries = {(m.decode() if isinstance(m, bytes) else str(m)): float(score) for m, score in found}
