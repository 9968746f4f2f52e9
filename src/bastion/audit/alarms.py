"""Telling operators when the audit trail is in trouble, not only the logs and the metrics.

An audit trail that silently loses events is worse than none, so each kind of trouble is a webhook
notification (the `detect.webhooks`, signed like the detectors' alerts) as well as a log line: events
dropped, a sink failing for longer than `FAILING_FOR`, the writer thread stopped. The check runs once
a second on the event loop, reading what the writer publishes; a kind is notified again at most
once a minute while it lasts, with the running totals.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

from bastion.audit.writer import AuditLog
from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.respond.notify import Notifier

log = logging.getLogger("bastion.audit")

CHECK_EVERY = 1.0
FAILING_FOR = 5.0  # a sink failing this long is notified (a database restart usually takes less)
REPEAT_AFTER = 60.0


class AuditAlarms:
    def __init__(self, audit: AuditLog, notifier: Notifier, clock: Clock = SYSTEM_CLOCK) -> None:
        self._audit = audit
        self._notifier = notifier
        self._clock = clock
        self._dropped = 0
        self._last: dict[str, float] = {}
        self._task: asyncio.Task[None] | None = None
        self._sending: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        self._dropped = self._audit.dropped
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self._sending:
            await asyncio.wait(self._sending, timeout=5)
        await self._notifier.stop()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(CHECK_EVERY)
            try:
                self.check()
            except Exception:
                log.exception("checking the audit trail's health failed")

    def check(self) -> None:
        """Notify what is wrong now (called every CHECK_EVERY seconds)."""
        audit, now = self._audit, self._clock.monotonic()
        health = audit.health
        if not health.alive:
            self._raise("audit.writer_stopped", f"the audit writer stopped: {health.dead}; events are not recorded")
        dropped = audit.dropped
        if dropped > self._dropped and self._raise(
            "audit.dropped",
            f"{dropped - self._dropped} audit events dropped ({dropped} since start): the trail has a gap",
            dropped=dropped,
        ):
            self._dropped = dropped
        for sink, error, since in health.failing:
            if now - since >= FAILING_FOR:
                self._raise(
                    "audit.sink_failing",
                    f"audit sink {sink} failing for {now - since:.0f}s ({error}); {health.spooled} events spooled",
                    sink=sink,
                    spooled=health.spooled,
                )

    def _raise(self, kind: str, summary: str, **facts: Any) -> bool:
        now = self._clock.monotonic()
        if now - self._last.get(kind, -REPEAT_AFTER) < REPEAT_AFTER:
            return False
        self._last[kind] = now
        log.error("audit alarm %s: %s", kind, summary)
        payload = {"alert": uuid.uuid4().hex[:12], "detector": "audit", "kind": kind, "summary": summary,
                   "stream": self._audit.stream, "ts": self._clock.wall(), **facts}  # fmt: skip
        task = asyncio.get_running_loop().create_task(self._notifier.notify(payload, f"Bastion: {summary}"))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)
        return True
