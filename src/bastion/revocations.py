"""Revoked tokens and keys, honoured by every gateway process within one sync interval.

Revocations are written to the durable store (they must survive restarts: a stolen key must stay
revoked) and mirrored in each process's memory, which the request path consults with one dict
lookup. A background task reads new entries every `state.sync_interval` (0.5 s by default), so a
revocation made by the CLI, the admin API or incident response in another process takes effect
everywhere within a second. With `state.backend: redis` each process also publishes its store's
revocations to Redis and reads the others' from it, so hosts with stores of their own share them;
a Redis restarted empty gets them back from the hosts (`state/published.py`).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from typing import TYPE_CHECKING, Protocol

from bastion.config.state import RedisConfig
from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.core.identity import Identity
from bastion.core.tokens import looks_like_jwt
from bastion.store.records import Revocation

INFINITE = float("inf")  # a revocation without expiry, as Redis scores it (state.published)

if TYPE_CHECKING:
    from bastion.state.published import PublishedSet

log = logging.getLogger("bastion.revocations")


class RevocationStore(Protocol):
    def add_revocation(self, revocation: Revocation) -> int: ...

    def revocations_since(self, seq: int, now: float | None = None) -> list[Revocation]: ...


class KeyRevocationStore(RevocationStore, Protocol):
    def set_key_state(self, key_id: str, *, revoked_at: float | None = None) -> bool: ...


def token_hash(token: str) -> str:
    """How a token is named in logs, audit events and revocations: never the token itself."""
    return hashlib.sha256(token.encode("latin-1", "replace")).hexdigest()[:32]


class RevocationList:
    def __init__(
        self,
        store: RevocationStore,
        interval: float = 0.5,
        clock: Clock = SYSTEM_CLOCK,
        redis: RedisConfig | None = None,
    ) -> None:
        self._clock = clock
        self._store = store
        self._interval = interval
        self._entries: dict[tuple[str, str], float | None] = {}
        self._own: dict[str, float] = {}  # this store's revocations, as Redis members
        self._seq = 0
        self._task: asyncio.Task[None] | None = None
        self._shared: PublishedSet | None = None
        if redis is not None:
            from bastion.state.published import shared_set  # noqa: PLC0415  lazy: the Redis client only for fleets

            self._shared = shared_set(
                redis, "revocations", "revocations from other hosts are the ones last read", clock
            )

    def is_revoked(self, kind: str, value: str | None, now: float) -> bool:
        if value is None:
            return False
        key = (kind, value)
        if key not in self._entries:
            return False
        expires = self._entries[key]
        return expires is None or expires > now

    def revoked(self, identity: Identity, now: float) -> str | None:
        """Why an identity's credential is revoked (its API key, its token by hash or by jti), or None."""
        if identity.method == "api_key":
            return "api_key: revoked" if self.is_revoked("key", identity.key_id, now) else None
        jti = identity.claims.get("jti") if identity.claims else None
        if self.is_revoked("token", identity.key_id, now) or (
            isinstance(jti, str) and self.is_revoked("token", jti, now)
        ):
            return f"{identity.method}: token revoked"
        return None

    def revoke_local(self, revocation: Revocation) -> None:
        self._entries[(revocation.kind, revocation.value)] = revocation.expires_at

    async def revoke(self, kind: str, value: str, *, expires_at: float | None = None, reason: str = "") -> None:
        """Revoke at once in this process, durably for every other (the Python API incident response uses)."""
        revocation = Revocation(
            kind=kind, value=value, expires_at=expires_at, reason=reason, created_at=self._clock.wall()
        )
        self.revoke_local(revocation)
        await asyncio.to_thread(self._store.add_revocation, revocation)

    def sync_once(self) -> int:
        """Read new revocations from the store (runs in a worker thread); returns how many arrived."""
        fresh = self._store.revocations_since(self._seq)
        for revocation in fresh:
            self.revoke_local(revocation)
            self._own[f"{revocation.kind}:{revocation.value}"] = revocation.expires_at or INFINITE
            self._seq = max(self._seq, revocation.seq)
        now = self._clock.wall()
        expired = [k for k, exp in self._entries.items() if exp is not None and exp <= now]
        for key in expired:
            del self._entries[key]
        self._own = {member: until for member, until in self._own.items() if until > now}
        return len(fresh)

    async def sync(self) -> None:
        """The store's new revocations, then (with Redis) the other hosts' ones."""
        await asyncio.to_thread(self.sync_once)
        if self._shared is None:
            return
        known = {f"{kind}:{value}": until or INFINITE for (kind, value), until in self._entries.items()}
        shared = await self._shared.refresh(known, self._own)
        for member, until in (shared or {}).items():
            kind, _, value = member.partition(":")
            if value and (kind, value) not in self._entries:
                self._entries[(kind, value)] = None if until == INFINITE else until

    async def start(self) -> None:
        await self.sync()
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.sync()
            except Exception as exc:  # keep the last known list; say so loudly
                log.error("reading revocations failed, keeping the last known list: %s", exc)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self._shared is not None:
            await self._shared.close()


def token_revocation(value: str, *, expires_at: float | None, reason: str) -> Revocation:
    """A token named by itself (hashed: the token is never stored), its hash, or its jti."""
    name = token_hash(value) if looks_like_jwt(value) or len(value) > 64 else value
    return Revocation(kind="token", value=name, expires_at=expires_at, reason=reason, created_at=time.time())


def revoke_key(store: KeyRevocationStore, key_id: str, reason: str) -> bool:
    """Mark an API key revoked and publish the revocation; False when there is no such key."""
    now = time.time()
    if not store.set_key_state(key_id, revoked_at=now):
        return False
    store.add_revocation(Revocation(kind="key", value=key_id, expires_at=None, reason=reason, created_at=now))
    return True
