"""One sink's copy of the trail, delivered in order whatever happens to the sink.

While the sink takes writes and nothing of it waits in a spool, a batch goes straight in. When a
write fails, that batch and every later one for this sink go to the spool instead (in order), and
the writer retries on a short, capped schedule: the first retry after 50 ms, then doubling up to
`RETRY_CAP`, so a database that comes back is written to again within that cap. Each retry
delivers the oldest spooled events first; once the spool holds nothing for the sink, batches go
straight in again. `durable` is the highest sequence number of the writer's own stream the sink
holds: strict commits wait for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bastion.audit.chain import Checkpoint
from bastion.audit.sinks import Row, Sink
from bastion.audit.spool import Spool
from bastion.core.clock import Clock

log = logging.getLogger("bastion.audit")

RETRY_FIRST = 0.05
RETRY_CAP = 0.25


class Delivery:
    def __init__(self, sink: Sink, stream: str, spools: Callable[[], list[Spool]], own: Callable[[], Spool],  # noqa: PLR0913  built once per writer: its sink, stream, spools, clock, batch size and lane
                 clock: Clock, chunk: int, *, lane: str = "") -> None:  # fmt: skip
        """`spools`: every spool this writer delivers (adopted ones first, its own last); `own`: its
        own spool, created on first need; `lane`: which of the writer's streams (its spool key)."""
        self.sink = sink
        self.name = sink.name
        self.key = f"{sink.name}:{lane}" if lane else sink.name
        self._stream = stream
        self._spools = spools
        self._own = own
        self._clock = clock
        self._chunk = chunk
        self.durable = 0
        self.failing: str | None = None  # the last error, while the sink fails
        self.failing_since = 0.0
        self._retry_at = 0.0
        self._delay = RETRY_FIRST

    @property
    def behind(self) -> bool:
        """Part of this sink's trail waits in a spool (or the sink is failing)."""
        return self.failing is not None or any(spool.pending(self.key) for spool in self._spools())

    def offer(self, rows: list[Row], checkpoints: list[Checkpoint]) -> None:
        """A new batch: straight to the sink when nothing waits, else after what waits (spooled).
        Raises when the batch can be neither written nor spooled (the caller counts it lost)."""
        if not self.behind:
            try:
                self.sink.write(rows, checkpoints)
            except Exception as exc:
                self._failed(exc)
            else:
                self._delivered(rows)
                return
        self._own().append(self.key, rows, checkpoints)

    def due(self) -> float | None:
        """When this delivery wants to run again (monotonic), None when nothing waits."""
        if not self.behind:
            return None
        return self._retry_at

    def pump(self) -> bool:
        """Deliver the oldest spooled chunk if a retry is due; True when something was delivered."""
        if not self.behind or self._clock.monotonic() < self._retry_at:
            return False
        for spool in self._spools():
            if not spool.pending(self.key):
                continue
            taken = spool.take(self.key, self._chunk)
            try:
                self.sink.write(taken.rows, taken.checkpoints)
            except Exception as exc:
                self._failed(exc)
                return False
            spool.forget(self.key, taken)
            self._delivered(taken.rows)
            return True
        self._recovered()  # nothing waited: the sink failed on a batch the spool then took, and is fine now
        return False

    def _delivered(self, rows: list[Row]) -> None:
        for row in reversed(rows):
            if row.stream == self._stream:
                self.durable = max(self.durable, row.seq)
                break
        if self.failing is not None:
            self._recovered()

    def _recovered(self) -> None:
        if self.failing is not None:
            down = self._clock.monotonic() - self.failing_since
            log.warning("audit sink %s writes again after %.1fs; delivering what was spooled", self.name, down)
        self.failing = None
        self._delay = RETRY_FIRST
        self._retry_at = 0.0

    def _failed(self, exc: Exception) -> None:
        now = self._clock.monotonic()
        reason = f"{type(exc).__name__}: {str(exc).strip()[:200]}"
        if self.failing is None:
            self.failing_since = now
            log.error("audit sink %s failed (%s): events are spooled until it takes writes again", self.name, reason)
        self.failing = reason
        self._retry_at = now + self._delay
        self._delay = min(self._delay * 2, RETRY_CAP)
