"""In-process state: the default, exact for one process, bounded so it cannot be grown by attackers.

Every map is an LRU bounded by `max_keys`: an attacker rotating client addresses or account names
only evicts old entries, never grows memory.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

from bastion.core.clock import SYSTEM_CLOCK, Clock

V = TypeVar("V")


class BoundedMap(Generic[V]):
    __slots__ = ("_data", "_max")

    def __init__(self, max_keys: int) -> None:
        self._data: OrderedDict[str, V] = OrderedDict()
        self._max = max_keys

    def get(self, key: str) -> V | None:
        value = self._data.get(key)
        if value is not None:
            self._data.move_to_end(key)
        return value

    def put(self, key: str, value: V) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        if len(self._data) > self._max:
            self._data.popitem(last=False)

    def pop(self, key: str) -> V | None:
        return self._data.pop(key, None)

    def __len__(self) -> int:
        return len(self._data)


class MemoryBackend:
    def __init__(self, max_keys: int = 100_000, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock
        self._counters: BoundedMap[list[float]] = BoundedMap(max_keys)  # key -> [count, expires]
        self._deadlines: BoundedMap[float] = BoundedMap(max_keys)
        self._strikes: BoundedMap[list[float]] = BoundedMap(max_keys)

    def _now(self) -> float:
        return self._clock.wall()

    async def incr(self, key: str, window: float) -> int:
        return self._bump(self._counters, key, window)

    async def incr_strikes(self, key: str, ttl: float) -> int:
        return self._bump(self._strikes, key, ttl)

    def _bump(self, table: BoundedMap[list[float]], key: str, ttl: float) -> int:
        now = self._now()
        entry = table.get(key)
        if entry is None or entry[1] <= now:
            entry = [0.0, now + ttl]
            table.put(key, entry)
        entry[0] += 1
        return int(entry[0])

    async def get_until(self, key: str) -> float | None:
        until = self._deadlines.get(key)
        if until is None:
            return None
        if until <= self._now():
            self._deadlines.pop(key)
            return None
        return until

    async def set_until(self, key: str, until: float) -> None:
        self._deadlines.put(key, until)

    async def delete(self, key: str) -> None:
        self._deadlines.pop(key)
        self._counters.pop(key)
        self._strikes.pop(key)

    async def close(self) -> None:
        return None
