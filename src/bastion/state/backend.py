"""The state backend protocol: the primitives guards need, with no HTTP in sight."""

from __future__ import annotations

from typing import Protocol


class StateBackend(Protocol):
    """Counters and deadlines shared by every gateway process using the same backend."""

    async def incr(self, key: str, window: float) -> int:
        """Add one to a counter that lives `window` seconds from its first increment; return it."""
        ...

    async def get_until(self, key: str) -> float | None:
        """The deadline stored at `key` if it is still in the future."""
        ...

    async def set_until(self, key: str, until: float) -> None:
        """Store a deadline (e.g. the end of a cooldown or a ban)."""
        ...

    async def incr_strikes(self, key: str, ttl: float) -> int:
        """Count escalations (cooldowns, bans) for a key; the count is forgotten after `ttl`."""
        ...

    async def delete(self, key: str) -> None: ...

    async def close(self) -> None: ...
