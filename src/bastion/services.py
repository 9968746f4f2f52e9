"""Background work started and stopped with an engine (key refresh, sync loops, the audit writer)."""

from __future__ import annotations

from typing import Protocol


class Service(Protocol):
    async def start(self) -> None: ...

    async def stop(self) -> None: ...
