"""Temporary bans of a client address, an identity or an API key, escalating and shared.

A ban is a record in the store (so `bastion bans list|lift` see it and it survives restarts) and,
with `state.backend: redis`, an entry in a Redis sorted set (so gateways on other hosts, with other
stores, see it too; `state/published.py`: a Redis restarted empty gets every ban back from the hosts
that know it, and a Redis outage keeps the bans last read). Every gateway process keeps the active
bans in memory, re-reads them every `state.sync_interval`, and adds its own at once: checking a
request costs dictionary lookups.

Values are matched by keyed hash (`lookup`); the value itself is sealed (crypto/sealing.py) in the record.
Offences escalate: the first ban of a value lasts `durations[0]`, the next `durations[1]`, ...
counting the bans of the last `forget_after`.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from typing import TYPE_CHECKING

from bastion.config.detect import BanConfig
from bastion.config.state import StateConfig
from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.crypto.keyring import Keyring, MissingSecret
from bastion.crypto.sealing import Sealer
from bastion.store import Store
from bastion.store.records import BanRecord

if TYPE_CHECKING:
    from bastion.state.published import PublishedSet

log = logging.getLogger("bastion.bans")


class BanList:
    def __init__(
        self, store: Store, state: StateConfig, config: BanConfig, keyring: Keyring, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        self.clock = clock
        self._store = store
        self._config = config
        self._interval = state.sync_interval
        self._sealer = Sealer(keyring)
        try:
            self._lookup_key = keyring.current("ban-lookup").key
        except MissingSecret:
            self._lookup_key = b"bastion-ban-lookup"
        self._active: dict[str, float] = {}
        self._task: asyncio.Task[None] | None = None
        self._shared: PublishedSet | None = None
        if state.backend == "redis":
            from bastion.state.published import shared_set  # noqa: PLC0415  lazy: the Redis client only for fleets

            self._shared = shared_set(state.redis, "bans", "bans from other hosts are the ones last read", clock)

    def lookup(self, kind: str, value: str) -> str:
        return hmac.new(self._lookup_key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:32]

    def banned(self, kind: str, value: str | None) -> float | None:
        if not value or not self._active:
            return None
        until = self._active.get(self.lookup(kind, value))
        return until if until is not None and until > self.clock.wall() else None

    async def ban(self, kind: str, value: str, reason: str) -> BanRecord:
        lookup = self.lookup(kind, value)
        now = self.clock.wall()
        level = await asyncio.to_thread(self._store.offences, lookup, now - self._config.forget_after)
        duration = self._config.durations[min(level, len(self._config.durations) - 1)]
        sealed = self._sealer.seal(value.encode(), lookup.encode()) if self._sealer.available else "(unsealed)"
        record = BanRecord(0, kind, lookup, sealed, now, now + duration, level + 1, reason[:300])
        ban_id = await asyncio.to_thread(self._store.add_ban, record)
        self._active[lookup] = max(self._active.get(lookup, 0.0), record.until)
        await self._publish(lookup, record.until)
        log.warning("banned %s for %gs (offence %d): %s", kind, duration, level + 1, reason[:200])
        return BanRecord(ban_id, kind, lookup, sealed, now, record.until, level + 1, record.reason)

    async def _publish(self, lookup: str, until: float) -> None:
        if self._shared is not None and not await self._shared.publish({lookup: until}):
            log.error("publishing a ban to redis failed; it is published when redis answers again")

    async def sync(self) -> None:
        now = self.clock.wall()
        own: dict[str, float] = {}
        for record in await asyncio.to_thread(self._store.bans, now=now):
            own[record.lookup] = max(own.get(record.lookup, 0.0), record.until)
        active = dict(own)
        if self._shared is not None:
            shared = await self._shared.refresh(self._active, own)
            for name, until in (shared if shared is not None else self._shared.entries).items():
                active[name] = max(active.get(name, 0.0), until)
        self._active = {name: until for name, until in active.items() if until > now}

    async def lifted(self, record: BanRecord) -> None:
        """Called after the store marked a ban lifted: forget it here and in Redis."""
        self._active.pop(record.lookup, None)
        if self._shared is not None:
            await self._shared.remove(record.lookup)

    async def start(self) -> None:
        await self.sync()
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.sync()
            except Exception:
                log.exception("syncing bans failed")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self._shared is not None:
            await self._shared.close()
