"""The open sockets of one engine: connections per identity, and one sweep for all their deadlines.

One background task visits every open session each `check_interval` rather than one timer per
socket: it closes the ones whose identity expired or was revoked (so the revocation latency is the
revocation list's sync interval plus this one), the idle ones and the ones that left a ping
unanswered, cuts the ones whose closing handshake stalled, and adds what they relayed to the
metrics. Deadlines are read on the injected clock; tests move it and wait for the next sweep.

When the engine stops (shutdown, or a reload retiring the old policy) its sockets are closed with
1012 (service restart): every socket runs under the policy in force, and clients reconnect.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from bastion.core.clock import Clock

if TYPE_CHECKING:
    from bastion.metrics import Metrics
    from bastion.websocket.session import Session

log = logging.getLogger("bastion.websocket")

SERVICE_RESTART = 1012


class SessionRegistry:
    def __init__(self, interval: float, clock: Clock) -> None:
        self.interval = max(interval, 0.01)
        self.clock = clock
        self.sessions: set[Session] = set()
        self.metrics: Metrics | None = None
        self._counts: dict[str, int] = {}
        self._task: asyncio.Task[None] | None = None

    # -- connections per identity ----------------------------------------------------------------
    def reserve(self, key: str, limit: int) -> bool:
        count = self._counts.get(key, 0)
        if count >= limit:
            return False
        self._counts[key] = count + 1
        return True

    def release(self, key: str) -> None:
        count = self._counts.get(key, 0) - 1
        if count > 0:
            self._counts[key] = count
        else:
            self._counts.pop(key, None)

    # -- open sessions -----------------------------------------------------------------------------
    def add(self, session: Session) -> None:
        self.sessions.add(session)

    def discard(self, session: Session) -> None:
        self.sessions.discard(session)
        self._flush(session)

    def sweep(self) -> None:
        now = self.clock.monotonic()
        for session in list(self.sessions):
            try:
                session.tick(now)
            except Exception:
                log.exception("checking a WebSocket failed; closing it")
                session.endpoint.abort()
            self._flush(session)
        if self.metrics is not None:
            self.metrics.websocket_open.set(len(self.sessions))

    def _flush(self, session: Session) -> None:
        metrics = self.metrics
        if metrics is None:
            return
        counts = (session.messages_in, session.messages_out, session.bytes_in, session.bytes_out)
        before = session.flushed
        if counts == before:
            return
        session.flushed = counts
        metrics.websocket_messages.labels("in").inc(counts[0] - before[0])
        metrics.websocket_messages.labels("out").inc(counts[1] - before[1])
        metrics.websocket_bytes.labels("in").inc(counts[2] - before[2])
        metrics.websocket_bytes.labels("out").inc(counts[3] - before[3])

    # -- the service -------------------------------------------------------------------------------
    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            self.sweep()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for session in list(self.sessions):
            session.close(SERVICE_RESTART, "gateway restarting")
