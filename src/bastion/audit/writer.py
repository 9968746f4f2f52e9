"""The audit log: events queued on the request path, written in batches by one thread.

The request path only captures a tuple and appends it to a bounded queue. A writer thread renders,
chains and writes batches (up to `batch` events, or what arrived within `flush_interval`) to every
sink, signs a checkpoint every `checkpoint_every` events and on shutdown, then hands the rendered
events to observers (the detectors, the metrics). When the queue is full, events are dropped and
counted (`on_full: drop`, logged at most every 10 s) or new requests are refused (`refuse`).

With `durability: strict` a response waits for its event: the host awaits `commit()` before
sending the head, and the batch that holds the event is on disk (fsync) before the future resolves,
so no answered request is missing from the trail, whatever happens to the process afterwards.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable

from bastion.audit.chain import GENESIS, Checkpoint, canonical, checkpoint_mac, link
from bastion.audit.event import Captured, Renderer, capture
from bastion.audit.sinks import Row, Sink
from bastion.config.audit import AuditConfig
from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.core.context import Context
from bastion.core.pipeline import Outcome
from bastion.core.request import Request
from bastion.crypto.keyring import Keyring, MissingSecret
from bastion.guards.ratelimit.keys import compile_part

log = logging.getLogger("bastion.audit")

Observer = Callable[[list[Row]], None]


class AuditLog:
    def __init__(
        self,
        config: AuditConfig,
        open_sinks: Callable[[], list[Sink]],
        keyring: Keyring,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        """`open_sinks` runs at start: an engine that never starts (checks, tests) writes nothing."""
        self._clock = clock  # event timestamps: the detectors' windows are measured on them
        self._config = config
        self._open_sinks = open_sinks
        self._sinks: list[Sink] = []
        self._queue: deque[tuple[Captured, asyncio.Future[None] | None]] = deque()
        self._max = config.queue
        self._batch = config.batch
        self._interval = config.flush_interval
        self._strict = config.durability == "strict"
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.stream = uuid.uuid4().hex[:16]
        self._seq = 0
        self._prev = GENESIS
        self._since_checkpoint = 0
        self.dropped = 0
        self.written = 0
        self._last_drop_log = 0.0
        self.observers: list[Observer] = []
        try:
            chain_key = keyring.current("audit-chain")
            self._chain_key: tuple[str, bytes] | None = (chain_key.secret_id, chain_key.key)
            account_key = keyring.current("audit-account").key
        except MissingSecret:
            self._chain_key = None
            account_key = b"bastion-audit-account"
            log.warning("secrets.key is not set: audit checkpoints are not signed, account names not keyed")
        self._renderer = Renderer(config.sensitive_fields, account_key)
        self._account = compile_part(config.account_field) if config.account_field else None

    # -- the request path -------------------------------------------------------------------------

    @property
    def full(self) -> bool:
        return len(self._queue) >= self._max

    @property
    def queued(self) -> int:
        """Events waiting for the writer thread (a gauge: a soak shows whether it keeps up)."""
        return len(self._queue)

    @property
    def strict(self) -> bool:
        return self._strict

    def finish(self, request: Request, ctx: Context, outcome: Outcome) -> None:
        """The Finisher hook: queue the exchange's event (batched durability)."""
        if self._strict and ctx.committed:
            return
        self._enqueue(self._capture(request, ctx, outcome), None)

    async def commit(self, request: Request, ctx: Context, outcome: Outcome) -> None:
        """Strict durability: queue the event and wait until it is written, before answering."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        ctx.committed = True
        if not self._enqueue(self._capture(request, ctx, outcome), future):
            return
        await future

    def _capture(self, request: Request, ctx: Context, outcome: Outcome) -> Captured:
        account = None
        if self._account is not None and outcome.status in (401, 403) and request.body:
            account = self._account(request, ctx)
        return capture(request, ctx, outcome, self._clock.wall(), account)

    def _enqueue(self, captured: Captured, future: asyncio.Future[None] | None) -> bool:
        if len(self._queue) >= self._max:
            self.dropped += 1
            now = time.monotonic()
            if now - self._last_drop_log > 10:
                self._last_drop_log = now
                log.error("audit queue full (%d events): %d events dropped so far", self._max, self.dropped)
            if future is not None:
                future.set_result(None)
            return False
        self._queue.append((captured, future))
        if future is not None or len(self._queue) >= self._batch:
            self._wake.set()
        return True

    # -- the writer thread ------------------------------------------------------------------------

    async def start(self) -> None:
        if self._thread is None:
            self._sinks = await asyncio.get_running_loop().run_in_executor(None, self._open_sinks)
            self._thread = threading.Thread(target=self._run, name="bastion-audit", daemon=True)
            self._thread.start()

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            await asyncio.get_running_loop().run_in_executor(None, self._thread.join, 30)
            self._thread = None

    def _run(self) -> None:
        while True:
            self._wake.wait(self._interval)
            self._wake.clear()
            while self._queue:
                self._write_batch(final=False)
            if self._stopping:
                self._write_batch(final=True)
                for sink in self._sinks:
                    sink.close()
                return

    def _write_batch(self, *, final: bool) -> None:
        items: list[tuple[Captured, asyncio.Future[None] | None]] = []
        while self._queue and len(items) < self._batch:
            items.append(self._queue.popleft())
        rows: list[Row] = []
        checkpoints: list[Checkpoint] = []
        for captured, _ in items:
            try:
                event = self._renderer.render(captured)
            except Exception:
                log.exception("rendering an audit event failed; recorded as unrenderable")
                event = dict.fromkeys(("client", "subject", "method", "path", "operation"))
                event.update(ts=captured[0], request_id=captured[1], status=captured[10], rules=[])
                event["decision"] = "unrenderable"
            self._seq += 1
            body = canonical(event)
            digest = link(self._prev, body)
            rows.append(Row(self.stream, self._seq, event, body, self._prev, digest))
            self._prev = digest
            self._since_checkpoint += 1
            if self._since_checkpoint >= self._config.checkpoint_every:
                checkpoints.extend(self._checkpoint())
        if final and self._since_checkpoint:
            checkpoints.extend(self._checkpoint())
        if not rows and not checkpoints:
            return
        for sink in self._sinks:
            self._write_with_retry(sink, rows, checkpoints)
        self.written += len(rows)
        for _, future in items:
            if future is not None:
                future.get_loop().call_soon_threadsafe(_resolve, future)
        for observer in self.observers:
            try:
                observer(rows)
            except Exception:
                log.exception("an audit observer failed")

    def _checkpoint(self) -> list[Checkpoint]:
        """A signed checkpoint at the current end of the chain (none without secrets.key)."""
        self._since_checkpoint = 0
        if self._chain_key is None or not self._seq:
            return []
        secret_id, key = self._chain_key
        mac = checkpoint_mac(key, self.stream, self._seq, self._prev)
        return [Checkpoint(self.stream, self._seq, self._prev, secret_id, mac)]

    def _write_with_retry(self, sink: Sink, rows: list[Row], checkpoints: list[Checkpoint]) -> None:
        delay = 0.1
        while True:
            try:
                sink.write(rows, checkpoints)
                return
            except Exception as exc:
                if self._stopping and delay > 5:
                    log.error("audit sink %s failed at shutdown: %d events lost", type(sink).__name__, len(rows))
                    return
                log.error("audit sink %s failed (%s); retrying in %.1fs", type(sink).__name__, exc, delay)
                time.sleep(delay)
                delay = min(delay * 2, 10.0)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
