"""Detection and response, wired to the audit log.

The detectors run on the audit writer thread, as an observer of each written batch (the request
path never waits for them). An alert is handed to the event loop, where it is recorded (sealed) in
the store and, for detectors in `enforce` mode, answered: a ban (escalating, shared), a revocation
(API key or token), a webhook notification, an incident that groups alerts about one offender.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from concurrent.futures import Future

import orjson

from bastion.audit.sinks import Row
from bastion.audit.writer import AuditLog
from bastion.config.detect import DetectConfig
from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.crypto.keyring import Keyring
from bastion.crypto.sealing import Sealer
from bastion.detect.detectors import Alert, Detector, traits
from bastion.respond.bans import BanList
from bastion.respond.notify import Notifier
from bastion.store import Store
from bastion.store.records import AlertRecord, Revocation

log = logging.getLogger("bastion.detect")


class DetectionService:
    def __init__(  # noqa: PLR0913  built once: the detectors' config and the services they act through
        self,
        config: DetectConfig,
        audit: AuditLog,
        store: Store,
        bans: BanList,
        keyring: Keyring,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._clock = clock
        self._detectors = [Detector(detector, config.max_keys) for detector in config.detectors]
        self._responses = {detector.id: detector.respond for detector in config.detectors}
        self._store = store
        self._bans = bans
        self._sealer = Sealer(keyring)
        self._notifier = Notifier(config.webhooks)
        self._loop: asyncio.AbstractEventLoop | None = None
        self.pending: set[Future[None]] = set()
        self.alerts = 0
        audit.observers.append(self._observe)

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()

    async def stop(self) -> None:
        await self._notifier.stop()

    def _observe(self, rows: list[Row]) -> None:
        """On the audit writer thread."""
        loop = self._loop
        for row in rows:
            reference = f"{row.stream}:{row.seq}"
            event_traits = traits(row.event)  # once per event, not once per detector
            for detector in self._detectors:
                if detector.trait not in event_traits:
                    continue
                alert = detector.observe(row.event, reference, event_traits)
                if alert is not None and loop is not None:
                    self.alerts += 1
                    future = asyncio.run_coroutine_threadsafe(self.handle(alert), loop)
                    self.pending.add(future)
                    future.add_done_callback(self.pending.discard)

    async def handle(self, alert: Alert) -> None:
        try:
            await self._handle(alert)
        except Exception:
            log.exception("handling alert %s (%s) failed", alert.id, alert.detector)

    async def _handle(self, alert: Alert) -> None:
        log.warning("alert %s [%s, %s]: %s", alert.id, alert.detector, alert.mode, alert.summary)
        lookup = self._bans.lookup(alert.offender_kind, alert.offender)
        details = orjson.dumps(
            {"offender": alert.offender, "summary": alert.summary, "evidence": alert.evidence, "count": alert.count}
        )
        sealed = self._sealer.seal(details, alert.id.encode())
        responses: list[str] = []
        if alert.mode == "enforce":
            for response in self._responses[alert.detector]:
                done = await self._respond(response, alert)
                if done:
                    responses.append(done)
        record = AlertRecord(
            alert.id,
            alert.ts,
            alert.detector,
            alert.kind,
            alert.mode,
            alert.offender_kind,
            lookup,
            sealed,
            responses=tuple(responses),
        )
        await asyncio.to_thread(self._store.add_alert, record)
        if alert.mode == "enforce" and "incident" in self._responses[alert.detector]:
            title = self._sealer.seal(alert.summary.encode(), b"incident-title")
            incident = await asyncio.to_thread(self._store.attach_to_incident, record, title, uuid.uuid4().hex[:12])
            log.warning("alert %s is part of incident %s", alert.id, incident)

    async def _respond(self, response: str, alert: Alert) -> str | None:
        if response == "ban":
            if alert.offender_kind not in ("ip", "subject", "key"):
                return None
            ban = await self._bans.ban(alert.offender_kind, alert.offender, f"{alert.detector}: {alert.summary}")
            return f"ban:{ban.id}:{ban.until - ban.created_at:.0f}s"
        if response == "revoke":
            if alert.offender_kind != "key":
                return None
            for kind in ("key", "token"):
                await asyncio.to_thread(
                    self._store.add_revocation,
                    Revocation(kind, alert.offender, None, f"{alert.detector} alert {alert.id}", self._clock.wall()),
                )
            return f"revoke:{alert.offender}"
        if response == "notify":
            payload = {
                "alert": alert.id,
                "detector": alert.detector,
                "kind": alert.kind,
                "offender": {"kind": alert.offender_kind, "value": alert.offender},
                "summary": alert.summary,
                "evidence": alert.evidence,
                "ts": alert.ts,
            }
            await self._notifier.notify(payload, f"Bastion alert ({alert.detector}): {alert.summary}")
            return "notify"
        return None  # incident: recorded after the alert itself
