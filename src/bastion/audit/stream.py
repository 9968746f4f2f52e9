"""One stream of the trail: its hash chain, its checkpoints and its deliveries, one per sink.

A writer keeps two. The main stream holds every exchange's event. The second holds only the events
of requests refused *because* the trail could not record them durably (strict durability while a
sink is down: `audit.unavailable`): a client retrying at full speed during a database outage makes
thousands of those a second, and in the main stream they would all have to reach the database,
in order, before any new request could be answered again. In a stream of their own they are
delivered in order too, but behind nothing and holding back nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from bastion.audit.chain import GENESIS, Checkpoint, checkpoint_mac, link
from bastion.audit.delivery import Delivery
from bastion.audit.sinks import Row, Sink
from bastion.audit.spool import Spool
from bastion.core.clock import Clock

log = logging.getLogger("bastion.audit")


class Stream:
    def __init__(self, checkpoint_every: int, chain_key: tuple[str, bytes] | None, lane: str = "") -> None:
        self.id = uuid.uuid4().hex[:16]
        self.lane = lane
        self.seq = 0
        self.prev = GENESIS
        self.deliveries: list[Delivery] = []
        self._since_checkpoint = 0
        self._checkpoint_every = checkpoint_every
        self._chain_key = chain_key

    def open(
        self, sinks: list[Sink], spools: Callable[[], list[Spool]], own: Callable[[], Spool], clock: Clock, chunk: int
    ) -> None:
        self.deliveries = [Delivery(sink, self.id, spools, own, clock, chunk, lane=self.lane) for sink in sinks]

    def chain(
        self, encoded: list[tuple[bytes, dict[str, object]]], *, final: bool
    ) -> tuple[list[Row], list[Checkpoint]]:
        """Number and link `encoded` (canonical JSON, event) after the stream's last event."""
        rows: list[Row] = []
        checkpoints: list[Checkpoint] = []
        for body, event in encoded:
            self.seq += 1
            digest = link(self.prev, body)
            rows.append(Row(self.id, self.seq, event, body, self.prev, digest))
            self.prev = digest
            self._since_checkpoint += 1
            if self._since_checkpoint >= self._checkpoint_every:
                checkpoints.extend(self._checkpoint())
        if final and self._since_checkpoint:
            checkpoints.extend(self._checkpoint())
        return rows, checkpoints

    def _checkpoint(self) -> list[Checkpoint]:
        """A signed checkpoint at the current end of the chain (none without secrets.key)."""
        self._since_checkpoint = 0
        if self._chain_key is None or not self.seq:
            return []
        secret_id, key = self._chain_key
        return [Checkpoint(self.id, self.seq, self.prev, secret_id, checkpoint_mac(key, self.id, self.seq, self.prev))]

    def deliver(self, rows: list[Row], checkpoints: list[Checkpoint]) -> bool:
        """Hand a chained batch to every sink (or its spool); False when some sink lost it."""
        if not rows and not checkpoints:
            return True
        kept = True
        for delivery in self.deliveries:
            try:
                delivery.offer(rows, checkpoints)
            except Exception:
                log.exception("audit sink %s failed and the spool could not keep its events: lost", delivery.name)
                kept = False
        return kept

    @property
    def durable(self) -> int:
        """The highest sequence number every sink holds."""
        return min((d.durable for d in self.deliveries), default=self.seq)

    @property
    def behind(self) -> bool:
        return any(d.behind for d in self.deliveries)
