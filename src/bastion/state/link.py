"""One process's connection to Redis: quick to fail, quick to come back, loud on both.

A client made here never waits long: commands and connects are bounded by `state.redis.timeout`,
and a failed command is retried once, at once (a connection left stale by a Redis restart is
replaced; redis-py's default of ten retries with backoff kept a request waiting for seconds on a
Redis that was down). A `RedisLink` then says whether Redis is usable: the first failure marks it
down, logged once with what that means (`on_down`), and from then on callers skip Redis without
waiting while a probe pings it every `PROBE_EVERY` seconds; the first answer marks it up again,
logged with the outage's length. So a Redis that comes back is used again within `PROBE_EVERY`
plus one round trip, and no request pays for finding out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from bastion.config.state import RedisConfig
from bastion.core.clock import SYSTEM_CLOCK, Clock

log = logging.getLogger("bastion.state")

PROBE_EVERY = 0.2


def redis_client(config: RedisConfig, **options: Any) -> aioredis.Redis:
    return aioredis.Redis.from_url(
        config.url,
        socket_timeout=config.timeout,
        socket_connect_timeout=config.timeout,
        retry=Retry(NoBackoff(), 1),
        **options,
    )


def safe_url(url: str) -> str:
    """The URL without its password, for logs."""
    if "@" in url:
        scheme, _, rest = url.partition("://")
        return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"
    return url


class RedisLink:
    def __init__(
        self, client: aioredis.Redis, url: str, purpose: str, on_down: str, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        self._client = client
        self._url = safe_url(url)
        self._purpose = purpose
        self._on_down = on_down
        self._clock = clock
        self.up = True
        self._down_since = 0.0
        self._probe: asyncio.Task[None] | None = None

    def failed(self, exc: BaseException) -> None:
        """A command failed: Redis is down for this process until the probe hears it again."""
        if not self.up:
            return
        self.up = False
        self._down_since = self._clock.monotonic()
        log.error("redis at %s is unreachable for %s (%s): %s", self._url, self._purpose, type(exc).__name__,
                  self._on_down)  # fmt: skip
        with contextlib.suppress(RuntimeError):  # no running loop: the next call in one starts it
            self._probe = asyncio.get_running_loop().create_task(self._wait_for_redis())

    async def _wait_for_redis(self) -> None:
        while not self.up:
            await asyncio.sleep(PROBE_EVERY)
            try:
                await self._client.ping()
            except (RedisError, OSError):
                continue
            self.up = True
            down = self._clock.monotonic() - self._down_since
            log.warning("redis at %s answers again after %.1fs: %s use it again", self._url, down, self._purpose)

    async def close(self) -> None:
        if self._probe is not None:
            self._probe.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._probe
            self._probe = None
