"""Gauges read when /metrics is scraped: the audit queue, bans in force, open incidents, and whether
the shared state backend answers. Counters come from the audit stream (`bastion.metrics`); these
are states, so they are looked up at scrape time, each bounded by a short timeout."""

from __future__ import annotations

import asyncio

from bastion.engine import Engine

_PING_TIMEOUT = 0.5


async def refresh_gauges(engine: Engine) -> None:
    metrics = engine.metrics
    if metrics is None:
        return
    if engine.audit is not None:
        metrics.audit_queue.set(engine.audit.queued)
        metrics.audit_written.set(engine.audit.written)
    if engine.config.detect is not None:
        now = engine.clock.wall()
        bans, incidents = await asyncio.gather(
            asyncio.to_thread(engine.store.bans, active_only=True, now=now),
            asyncio.to_thread(engine.store.incidents, "open"),
        )
        metrics.bans_active.set(len(bans))
        metrics.incidents_open.set(len(incidents))
    backend = engine.config.state.backend
    metrics.state_up.labels(backend).set(1 if backend != "redis" else await _redis_answers(engine))


async def _redis_answers(engine: Engine) -> int:
    import redis.asyncio as aioredis  # noqa: PLC0415  lazy: redis only for fleets

    client = aioredis.from_url(
        engine.config.state.redis.url, socket_timeout=_PING_TIMEOUT, socket_connect_timeout=_PING_TIMEOUT
    )
    try:
        return 1 if await asyncio.wait_for(client.ping(), _PING_TIMEOUT * 2) else 0
    except (OSError, TimeoutError, aioredis.RedisError):
        return 0
    finally:
        await client.aclose()
