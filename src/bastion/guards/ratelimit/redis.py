"""Limits decided in Redis (or Valkey), shared by every gateway process and host.

One Lua script per request decides all the limits the request falls under, atomically and in one
round trip: it reads each key, decides, and only if every limit admits the request writes the new
state (all or nothing, as in the memory limiter). Time comes from the Redis server (TIME), so hosts
with skewed clocks still share one timeline. Every key carries the `{prefix}` hash tag: in Redis
Cluster they all live in one slot, which a multi-key script needs.

When Redis cannot be reached the limiter logs it loudly, then either decides with a per-process
memory limiter (on_failure: open) or reports itself unavailable (closed: the guard answers 503),
without waiting on Redis; a probe pings Redis every 0.2 s and the limiter uses it again as soon as
it answers (`state/link.py`).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

from redis.exceptions import RedisError

from bastion.config.state import RedisConfig
from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.guards.ratelimit.decision import Outcome, Standing, refused
from bastion.guards.ratelimit.memory import MemoryLimiter
from bastion.guards.ratelimit.policy import CONCURRENCY, QUOTA, RATE, Ask
from bastion.state.link import RedisLink, redis_client

_MAX_BATCH = 256  # decisions sent in one pipeline

log = logging.getLogger("bastion.guards.ratelimit")

# KEYS: one per ask. ARGV: allow_delay, then 5 values per ask: kind, a, b, c, d
#   rate:        interval_us, tolerance_us, cost, max_delay_us
#   quota:       allowance, cost, ttl_ms, 0
#   concurrency: limit, token, stale_us, 0
# Returns: admitted, delay_us, then per ask: remaining, reset_us, retry_us
SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local allow_delay = tonumber(ARGV[1]) == 1
local admitted = 1
local delay = 0
local out = {}
local writes = {}
for i = 1, #KEYS do
  local base_arg = 1 + (i - 1) * 5
  local kind = tonumber(ARGV[base_arg + 1])
  local a, b, c, d = ARGV[base_arg + 2], ARGV[base_arg + 3], ARGV[base_arg + 4], ARGV[base_arg + 5]
  if kind == 1 then
    local interval, tolerance, cost, max_delay = tonumber(a), tonumber(b), tonumber(c), tonumber(d)
    local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
    local base = tat
    if base < now then base = now end
    local new_tat = base + cost * interval
    local wait = new_tat - tolerance - now
    if wait > 0 and not (allow_delay and wait <= max_delay) then
      admitted = 0
      local remaining = math.floor((now - (base - tolerance)) / interval)
      if remaining < 0 then remaining = 0 end
      table.insert(out, remaining); table.insert(out, base - now); table.insert(out, wait)
    else
      if wait > delay then delay = wait end
      local w = wait
      if w < 0 then w = 0 end
      local remaining = math.floor((now + w - (new_tat - tolerance)) / interval)
      if remaining < 0 then remaining = 0 end
      table.insert(out, remaining); table.insert(out, new_tat - now); table.insert(out, 0)
      table.insert(writes, {1, i, new_tat, math.ceil((new_tat - now) / 1000) + 1000})
    end
  elseif kind == 2 then
    local allowance, cost, ttl = tonumber(a), tonumber(b), tonumber(c)
    local used = tonumber(redis.call('GET', KEYS[i]) or '0')
    if used + cost > allowance then
      admitted = 0
      local left = allowance - used
      if left < 0 then left = 0 end
      table.insert(out, left); table.insert(out, ttl * 1000); table.insert(out, ttl * 1000)
    else
      table.insert(out, allowance - used - cost); table.insert(out, ttl * 1000); table.insert(out, 0)
      table.insert(writes, {2, i, cost, ttl})
    end
  else
    local limit, token, stale = tonumber(a), b, tonumber(c)
    redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - stale)
    local count = redis.call('ZCARD', KEYS[i])
    if count + 1 > limit then
      admitted = 0
      table.insert(out, 0); table.insert(out, 1000000); table.insert(out, 1000000)
    else
      table.insert(out, limit - count - 1); table.insert(out, 0); table.insert(out, 0)
      table.insert(writes, {3, i, token, math.ceil(stale / 1000)})
    end
  end
end
if admitted == 1 then
  for _, w in ipairs(writes) do
    local key = KEYS[w[2]]
    if w[1] == 1 then
      redis.call('SET', key, string.format('%d', w[3]), 'PX', w[4])
    elseif w[1] == 2 then
      local used = redis.call('INCRBY', key, w[3])
      if used == w[3] then redis.call('PEXPIRE', key, w[4]) end
    else
      redis.call('ZADD', key, now, w[3])
      redis.call('PEXPIRE', key, w[4])
    end
  end
else
  delay = 0
end
local result = {admitted, delay}
for _, v in ipairs(out) do table.insert(result, v) end
return result
"""

_STALE_IN_FLIGHT = 600.0  # a request still "in flight" after this long crashed before releasing


class RedisLimiter:
    def __init__(self, config: RedisConfig, max_keys: int = 100_000, clock: Clock = SYSTEM_CLOCK) -> None:
        self._config = config
        self._clock = clock
        self._client = redis_client(config, decode_responses=False)
        self._script = self._client.register_script(SCRIPT)
        self._fallback = MemoryLimiter(max_keys, clock)
        action = (
            "deciding with a per-process limiter meanwhile (fail open)"
            if config.on_failure == "open"
            else "refusing rate-limited requests with 503 meanwhile (fail closed)"
        )
        self._link = RedisLink(self._client, config.url, "rate limits", action, clock)
        self._prefix = "{" + config.prefix + "}:rl:"
        self._pending: list[tuple[list[str], list[int | float | str], asyncio.Future[list[Any]]]] = []
        self._sending: set[asyncio.Task[None]] = set()

    def _key(self, ask: Ask) -> str:
        return f"{self._prefix}{ask.limit.id}:{ask.key}"

    async def decide(self, asks: list[Ask], *, allow_delay: bool = True) -> Outcome:
        if not self._link.up:
            return self._degraded(asks, allow_delay)
        args: list[int | float | str] = [1 if allow_delay else 0]
        tokens: list[tuple[Ask, str]] = []
        wall = self._clock.wall()
        for ask in asks:
            limit = ask.limit
            if limit.kind == RATE:
                interval = round(limit.interval * 1_000_000)
                args += [RATE, interval, interval * limit.burst, ask.cost, round(limit.delay * 1_000_000)]
            elif limit.kind == QUOTA:
                args += [QUOTA, int(limit.count), ask.cost, max(1, round((ask.reset_at - wall) * 1000)), 0]
            else:
                token = uuid.uuid4().hex
                tokens.append((ask, token))
                args += [CONCURRENCY, limit.concurrency, token, round(_STALE_IN_FLIGHT * 1_000_000), 0]
        try:
            reply = await self._batched([self._key(ask) for ask in asks], args)
        except (RedisError, OSError) as exc:
            self._link.failed(exc)
            return self._degraded(asks, allow_delay)
        admitted, delay_us, *values = (int(v) for v in reply)
        standings = [
            Standing(ask.limit.id, values[3 * i], values[3 * i + 1] / 1e6, values[3 * i + 2] / 1e6)
            for i, ask in enumerate(asks)
        ]
        if not admitted:
            return Outcome(False, 0.0, refused(standings, asks))
        return Outcome(True, delay_us / 1e6, standings, slots=tokens)

    async def _batched(self, keys: list[str], args: list[int | float | str]) -> list[Any]:
        """One decision's script call, sent with the others made in the same loop turn.

        Concurrent requests each need a round trip to Redis; their scripts go out together in one
        pipeline (not a transaction: each script is atomic on its own, as a single call is), so a busy
        worker pays one write and one read for a whole batch rather than one per request.
        """
        future: asyncio.Future[list[Any]] = asyncio.get_running_loop().create_future()
        self._pending.append((keys, args, future))
        if len(self._pending) == 1:
            asyncio.get_running_loop().call_soon(self._flush)
        return await future

    def _flush(self) -> None:
        batch, self._pending = self._pending[:_MAX_BATCH], self._pending[_MAX_BATCH:]
        if self._pending:
            asyncio.get_running_loop().call_soon(self._flush)
        task = asyncio.get_running_loop().create_task(self._send(batch))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send(self, batch: list[tuple[list[str], list[int | float | str], asyncio.Future[list[Any]]]]) -> None:
        try:
            if len(batch) == 1:
                keys, args, future = batch[0]
                replies: list[Any] = [await self._script(keys=keys, args=args)]
            else:
                pipe = self._client.pipeline(transaction=False)
                for keys, args, _ in batch:
                    await self._script(keys=keys, args=args, client=pipe)
                replies = await pipe.execute(raise_on_error=False)
        except BaseException as exc:  # the connection failed: every waiting decision degrades
            for _, _, future in batch:
                if not future.done():
                    future.set_exception(exc if isinstance(exc, Exception) else ConnectionError("cancelled"))
            if not isinstance(exc, Exception):
                raise
            return
        for (_, _, future), reply in zip(batch, replies, strict=True):
            if future.done():
                continue
            if isinstance(reply, Exception):
                future.set_exception(reply)
            else:
                future.set_result(reply)

    async def release(self, ask: Ask, token: str) -> None:
        if not token:  # taken from the per-process fallback while Redis was down
            self._fallback.release_now(ask)
            return
        try:
            await self._client.zrem(self._key(ask), token)
        except (RedisError, OSError) as exc:
            log.warning("releasing a concurrency slot in redis failed (%s); it expires on its own", type(exc).__name__)

    def _degraded(self, asks: list[Ask], allow_delay: bool) -> Outcome:
        if self._config.on_failure == "closed":
            return Outcome(False, 0.0, [], unavailable=True)
        return self._fallback.decide_now(asks, allow_delay=allow_delay)

    async def start(self) -> None:
        if not await self.ping():
            self._link.failed(ConnectionError("no answer at start-up"))

    async def stop(self) -> None:
        await self._link.close()
        await self._client.aclose()

    async def ping(self) -> bool:
        try:
            return bool(await self._client.ping())
        except (RedisError, OSError):
            return False
