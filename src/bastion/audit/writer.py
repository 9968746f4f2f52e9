"""The audit log: events queued on the request path, chained and delivered by one writer thread.

The request path only captures a tuple and appends it to a bounded queue. A writer thread renders,
chains and hands batches (up to `batch` events, or what arrived within `flush_interval`) to every
sink, signs a checkpoint every `checkpoint_every` events and on shutdown, then hands the rendered
events to observers (the detectors, the metrics). A sink that fails does not stop the others: its
batches wait in a local spool and reach it in order once it takes writes again (`delivery.py`).

What can go wrong, and what is done about it:
- an event that does not encode (a lone surrogate in a path) is escaped and says so (`encoding.py`);
  one whose rendering raises is recorded in a minimal form; no single event stops the writer;
- events of requests refused because the trail was unavailable wait in a queue of their own, at
  most half of `queue`, written after the served requests' events: a flood of cheap refusals never
  holds a served request's strict commit behind it, nor keeps a sink that came back from its retry;
- a full queue drops new events, counted (`bastion_audit_dropped_events`) and logged at most every
  10 s (`on_full: drop`), or refuses requests with 503 (`refuse`); a full spool stops the writer
  from taking events, so the queue fills: a loss is always counted, never a gap in a chain;
- if the writer thread itself dies, that is logged as critical, counted, readiness and health turn
  false, strict commits are refused and `on_full` applies to every later event.

With `durability: strict` a response waits for its event: the host awaits `commit()` before
sending the head, and the future resolves once every sink holds the event (SQLite fsync,
PostgreSQL commit), so no answered request is missing from the trail whatever happens to the
process afterwards. The wait is bounded by `commit_timeout`: past it, or at once while a sink is
known to be failing, the request is refused with 503 (`AuditUnavailable`), and its event still
says so when it is written.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path

from bastion.audit.delivery import Delivery
from bastion.audit.encoding import encode_event
from bastion.audit.event import Captured, Renderer, answered_instead, capture, minimal
from bastion.audit.health import AuditUnavailable, Health, unavailable
from bastion.audit.sinks import Row, Sink
from bastion.audit.spool import Spools
from bastion.audit.stream import Stream
from bastion.config.audit import AuditConfig
from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.core.context import Context
from bastion.core.pipeline import Outcome
from bastion.core.request import Request
from bastion.core.verdict import Finding, Verdict
from bastion.crypto.keyring import Keyring, MissingSecret
from bastion.guards.ratelimit.keys import compile_part

log = logging.getLogger("bastion.audit")

Observer = Callable[[list[Row]], None]
ADOPT_EVERY = 5.0  # seconds between looks for spools other writers left behind
CATCH_UP_SLICE = 0.25  # seconds of back-to-back spool delivery before the queue is seen to again
REFUSALS_SLICE = 0.05  # ditto for the refusals' stream, whose backlog must not delay served requests
WRITE_SLICE = 0.25  # seconds of back-to-back batches before a failing sink's retry gets its turn


class _Strict:
    """A strict event between the request path and the writer. `rendered` and `late` are handed
    over under the log's lock, so exactly one side records that the answer was a 503."""

    __slots__ = ("future", "late", "rendered", "seq")

    def __init__(self, future: asyncio.Future[None]) -> None:
        self.future = future
        self.rendered = False
        self.late = False
        self.seq = 0


class AuditLog:
    def __init__(
        self,
        config: AuditConfig,
        open_sinks: Callable[[], list[Sink]],
        keyring: Keyring,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        """`open_sinks` runs at start: an engine that never starts (checks, tests) writes nothing."""
        self._config = config
        self._open_sinks = open_sinks
        self._clock = clock  # deadlines, and event timestamps: the detectors' windows are measured on them
        self._queue: deque[tuple[Captured, _Strict | None]] = deque()  # served requests' events
        self._refused: deque[Captured] = deque()  # requests refused because the trail was unavailable
        self._waiting: deque[_Strict] = deque()  # strict events chained, not yet in every sink
        self._handoff = threading.Lock()
        self._max = config.queue
        self._batch = config.batch
        self._interval = config.flush_interval
        self._strict = config.durability == "strict"
        self._wake = threading.Event()
        self._stopping = False
        self._worker: threading.Thread | None = None
        try:
            chain_key = keyring.current("audit-chain")
            signing: tuple[str, bytes] | None = (chain_key.secret_id, chain_key.key)
            account_key = keyring.current("audit-account").key
        except MissingSecret:
            signing = None
            account_key = b"bastion-audit-account"
            log.warning("secrets.key is not set: audit checkpoints are not signed, account names not keyed")
        self._main = Stream(config.checkpoint_every, signing)
        self._refusals = Stream(config.checkpoint_every, signing, lane="unavailable")
        self._streams = (self._main, self._refusals)
        self._spools = Spools(Path(config.spool.path), self._main.id)
        self._next_adopt = 0.0
        self._paused = False
        # events lost, counted by the thread that lost them (no += shared between threads)
        self._dropped_on_loop = 0
        self._dropped_by_writer = 0
        self.escaped = 0
        self.written = 0
        self.late = 0  # strict answers refused because their event was not durable in time
        self.refusals_dropped = 0  # of `dropped`: events of requests refused because the trail was unavailable
        self._last_refusals_log = -1e9
        self.health = Health()
        self._last_drop_log = -1e9
        self.observers: list[Observer] = []
        self._renderer = Renderer(config.sensitive_fields, account_key)
        self._account = compile_part(config.account_field) if config.account_field else None

    @property
    def dropped(self) -> int:
        """Events lost since start: queue full or writer stopped, refusals past their share of the
        spool, or a batch neither a sink nor the spool could keep."""
        return self._dropped_on_loop + self._dropped_by_writer

    @property
    def stream(self) -> str:
        """The id of this writer's main stream."""
        return self._main.id

    # -- the request path -------------------------------------------------------------------------

    @property
    def full(self) -> bool:
        return self.queued >= self._max or not self.health.alive

    @property
    def queued(self) -> int:
        """Events captured and not yet written (the metrics read it)."""
        return len(self._queue) + len(self._refused)

    @property
    def strict(self) -> bool:
        return self._strict

    def refusing(self) -> Verdict | None:
        """Why a new request must be refused now (the `audit` guard), or None."""
        health = self.health
        if not health.alive:
            return unavailable(f"the audit writer stopped: {health.dead}")
        if self.queued >= self._max:
            return Verdict.refuse(503, "audit.full", "the audit queue is full", category="audit",
                                  headers=(("retry-after", "1"),))  # fmt: skip
        if self._strict and health.behind:
            return unavailable("an audit sink is not taking events: they cannot be made durable now")
        return None

    def finish(self, request: Request, ctx: Context, outcome: Outcome) -> None:
        """The Finisher hook: queue the exchange's event (batched durability)."""
        if self._strict and ctx.committed:
            return
        self._enqueue(self._capture(request, ctx, outcome), None, _refused_by_audit(ctx))

    async def commit(self, request: Request, ctx: Context, outcome: Outcome) -> None:
        """Strict durability: queue the event and wait until every sink holds it, at most
        `commit_timeout`; AuditUnavailable (the host answers 503) when it could not be made durable."""
        ctx.committed = True
        if _refused_by_audit(ctx):
            # the answer already says the trail is unavailable: record it when possible, do not wait
            self._enqueue(self._capture(request, ctx, outcome), None, True)
            return
        if not self.health.alive:
            self._count_drop()
            raise AuditUnavailable(f"the audit writer stopped: {self.health.dead}")
        strict = _Strict(asyncio.get_running_loop().create_future())
        if not self._enqueue(self._capture(request, ctx, outcome), strict, False):
            raise AuditUnavailable("the audit queue is full")
        try:
            await asyncio.wait_for(strict.future, self._config.commit_timeout)  # cancelled when late
        except TimeoutError:
            self._late(strict, request, ctx, outcome)
            raise AuditUnavailable(
                f"the event was not durable within {self._config.commit_timeout:g}s (audit.commit_timeout)"
            ) from None

    def _late(self, strict: _Strict, request: Request, ctx: Context, outcome: Outcome) -> None:
        """The answer will be a 503: make the trail say so, in the event itself if it is not yet
        rendered, else in a second event for the same request id."""
        self.late += 1
        with self._handoff:
            strict.late = True
            rendered = strict.rendered
        if rendered:
            ctx.findings.append(Finding("audit", "enforce", unavailable("the event was not durable in time")))
            instead = Outcome(503, outcome.bytes_in, 0, outcome.upstream_seconds, outcome.upstream_error)
            self._enqueue(self._capture(request, ctx, instead), None, False)

    def _capture(self, request: Request, ctx: Context, outcome: Outcome) -> Captured:
        account = None
        if self._account is not None and outcome.status in (401, 403) and request.body:
            account = self._account(request, ctx)
        return capture(request, ctx, outcome, self._clock.wall(), account)

    def _enqueue(self, captured: Captured, strict: _Strict | None, refused: bool) -> bool:
        if self.queued >= self._max or not self.health.alive or (refused and len(self._refused) >= self._max // 2):
            self._count_drop()
            return False
        if refused:
            self._refused.append(captured)
        else:
            self._queue.append((captured, strict))
        if strict is not None or self.queued >= self._batch:
            self._wake.set()
        return True

    def _count_drop(self) -> None:
        self._dropped_on_loop += 1
        now = self._clock.monotonic()
        if now - self._last_drop_log > 10:
            self._last_drop_log = now
            why = "the audit writer stopped" if not self.health.alive else f"audit queue full ({self._max} events)"
            log.error("%s: %d events dropped so far", why, self.dropped)

    # -- health -----------------------------------------------------------------------------------

    def problems(self) -> list[str]:
        """Why events cannot be made durable now (readiness); empty when they can."""
        health = self.health
        if not health.alive:
            return [f"the audit writer stopped: {health.dead}"]
        now = self._clock.monotonic()
        found = [
            f"audit sink {sink} failing for {now - since:.0f}s ({error}); {health.spooled} events spooled"
            for sink, error, since in health.failing
        ]
        if health.spool_full:
            found.append(f"the audit spool is full ({health.spool_bytes} bytes): new events wait in the queue")
        if self.queued >= self._max:
            found.append("the audit queue is full")
        return found

    def _deliveries(self) -> list[Delivery]:
        return [*self._main.deliveries, *self._refusals.deliveries]

    def _publish(self) -> None:
        spools = self._spools.all()
        failing = tuple((d.name, d.failing, d.failing_since) for d in self._main.deliveries if d.failing is not None)
        self.health = Health(
            failing=failing,
            behind=self._main.behind,
            spooled=sum(s.events for s in spools),
            spool_bytes=sum(s.size for s in spools),
            spool_full=self._paused,
            sinks=tuple((d.name, d.failing is None) for d in self._main.deliveries),
        )

    # -- the writer thread ------------------------------------------------------------------------

    async def start(self) -> None:
        if self._worker is None:
            self._attach(await asyncio.get_running_loop().run_in_executor(None, self._open_sinks))
            self._worker = threading.Thread(target=self._run, name="bastion-audit", daemon=True)
            self._worker.start()

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._worker is not None:
            await asyncio.get_running_loop().run_in_executor(None, self._worker.join, self._config.stop_timeout + 30)
            self._worker = None

    def _attach(self, sinks: list[Sink]) -> None:
        for stream in self._streams:
            stream.open(sinks, self._spools.all, self._spools.own, self._clock, self._batch)
        self.health = Health(sinks=tuple((sink.name, True) for sink in sinks))

    def _run(self) -> None:
        try:
            while True:
                self._wake.wait(self._pause())
                self._wake.clear()
                self._cycle()
                if self._stopping:
                    break
            self._shut_down()
        except BaseException as exc:
            self._died(exc)

    def _pause(self) -> float:
        """How long the writer may sleep: until the next batch is due or a sink's retry is."""
        if self.queued >= self._batch and not self._paused:
            return 0.0
        wait = self._interval
        now = self._clock.monotonic()
        for delivery in self._deliveries():
            due = delivery.due()
            if due is not None:
                wait = min(wait, max(0.0, due - now))
        return wait

    def _cycle(self) -> None:
        # New events for at most a slice, or until a failing sink's retry is due: under a flood the
        # queues refill as fast as they are written, and a sink that came back must still be retried.
        budget = self._clock.monotonic() + WRITE_SLICE
        while (self._queue or self._refused) and self._has_room() and not self._retry_due(budget):
            self._write_batch(final=False)
            self._settle()
            if not self._strict and self.queued < self._batch:
                # a trickle waits for a full batch or the interval (docs/audit.md); strict commits do not
                break
        # Catching up: the main stream first, back to back for a while, and its strict commits
        # resolved at once; then the refusals' stream in a short slice, so its backlog (however
        # large) never keeps a served request waiting more than that slice.
        self._catch_up(self._main, CATCH_UP_SLICE)
        self._settle()
        self._publish()
        self._catch_up(self._refusals, REFUSALS_SLICE)
        keys = {d.key for d in self._deliveries()}
        self._spools.release_delivered(keys)
        if self._clock.monotonic() >= self._next_adopt:
            self._next_adopt = self._clock.monotonic() + ADOPT_EVERY
            self._spools.adopt(keys)
        self._settle()
        self._publish()

    def _retry_due(self, budget: float) -> bool:
        """The slice is spent, or a failing sink's retry is due. A sink that takes writes and is
        only behind does not count: its backlog is delivered after the new events, never before."""
        now = self._clock.monotonic()
        return now >= budget or any(
            d.failing is not None and (due := d.due()) is not None and now >= due for d in self._deliveries()
        )

    def _catch_up(self, stream: Stream, seconds: float) -> None:
        """Deliver spooled chunks of `stream` back to back for at most about `seconds`."""
        budget = self._clock.monotonic() + seconds
        for delivery in stream.deliveries:
            while delivery.pump() and self._clock.monotonic() < budget:
                pass

    def _has_room(self) -> bool:
        """False while a sink is behind and the spool is past its size: new events wait in the queue."""
        size = self._spools.own_size
        full = size >= self._config.spool.max_size and self._main.behind
        if full != self._paused:
            self._paused = full
            if full:
                log.error("audit spool full (%d bytes): new events wait in the queue (on_full applies when it fills)",
                          size)  # fmt: skip
        return not full

    def _write_batch(self, *, final: bool) -> None:  # noqa: PLR0912  one batch: hand-off, split main/refusals, spool budget, deliver, observers, in order
        items: list[tuple[Captured, _Strict | None, bool]] = []  # (event, strict waiter, refused)
        while self._queue and len(items) < self._batch:
            items.append((*self._queue.popleft(), False))
        while self._refused and len(items) < self._batch:  # what the served requests leave of the batch
            items.append((self._refused.popleft(), None, True))
        late: set[int] = set()
        if self._strict:
            with self._handoff:
                for index, (_, strict, _) in enumerate(items):
                    if strict is not None:
                        strict.rendered = True
                        if strict.late:
                            late.add(index)
        main: list[tuple[bytes, dict[str, object]]] = []
        refusals: list[tuple[bytes, dict[str, object]]] = []
        for index, (captured, strict, refused) in enumerate(items):
            encoded = self._encode(captured, index in late)
            if refused:
                refusals.append(encoded)
                continue
            main.append(encoded)
            if strict is not None:  # the main stream numbers its events on from its last one
                strict.seq = self._main.seq + len(main)
                self._waiting.append(strict)
        if refusals and self._refusals.behind and self._spools.own_size >= self._config.spool.max_size // 2:
            # Refusals may take half the spool, never the room the main stream needs: past it they
            # are dropped (counted) rather than holding back the events of requests that were served.
            self._dropped_by_writer += len(refusals)
            self._count_refusals_dropped(len(refusals))
            refusals = []
        written: list[Row] = []
        for stream, encoded_events in ((self._main, main), (self._refusals, refusals)):
            rows, checkpoints = stream.chain(encoded_events, final=final)
            if not stream.deliver(rows, checkpoints):
                self._dropped_by_writer += len(rows)
            written.extend(rows)
        self.written += len(written)
        for observer in self.observers:
            try:
                observer(written)
            except Exception:
                log.exception("an audit observer failed")

    def _count_refusals_dropped(self, count: int) -> None:
        self.refusals_dropped += count
        now = self._clock.monotonic()
        if now - self._last_refusals_log > 10:
            self._last_refusals_log = now
            log.error("audit spool half full of refusals (requests refused because the trail was unavailable): "
                      "%d such events dropped so far", self.refusals_dropped)  # fmt: skip

    def _encode(self, captured: Captured, late: bool) -> tuple[bytes, dict[str, object]]:
        """The event's canonical JSON and the event it encodes; never raises."""
        try:
            if late:
                finding = Finding("audit", "enforce", unavailable("the event was not durable in time"))
                captured = answered_instead(captured, 503, finding)
            body, event = encode_event(self._renderer.render(captured))
        except Exception as exc:
            log.exception("rendering an audit event failed; recorded in a minimal form")
            body, event = encode_event(minimal(captured, f"{type(exc).__name__}: {exc}"))
        if "escaped" in event:
            self.escaped += 1
        return body, event

    def _settle(self) -> None:
        """Resolve the strict commits whose events every sink now holds."""
        durable = self._main.durable
        done: list[asyncio.Future[None]] = []
        while self._waiting and self._waiting[0].seq <= durable:
            done.append(self._waiting.popleft().future)
        _resolve_all(done, None)

    def _shut_down(self) -> None:
        """Write what is queued and last checkpoints, offer the spool to its sinks for at most
        `stop_timeout`, then leave what is left in the spool file and say so. The spool's size
        bound does not apply here: what is queued at shutdown is kept rather than lost."""
        while self._queue or self._refused:
            self._write_batch(final=False)
        self._write_batch(final=True)
        deadline = self._clock.monotonic() + self._config.stop_timeout
        deliveries = self._deliveries()
        while any(d.behind for d in deliveries) and self._clock.monotonic() < deadline:
            if not any(d.pump() for d in deliveries):
                self._wake.wait(min(self._pause(), max(0.0, deadline - self._clock.monotonic())))
        self._settle()
        _resolve_all([s.future for s in self._waiting], AuditUnavailable("the gateway is shutting down"))
        self._waiting.clear()
        for sink in {id(d.sink): d.sink for d in deliveries}.values():
            try:
                sink.close()
            except Exception:
                log.exception("closing audit sink %s failed", sink.name)
        self._spools.close()

    def _died(self, exc: BaseException) -> None:
        reason = f"{type(exc).__name__}: {exc}"[:300]
        self.health = Health(alive=False, dead=reason, sinks=tuple((d.name, False) for d in self._main.deliveries))
        log.critical("the audit writer stopped (%s): events are no longer recorded; readiness and health say so",
                     reason, exc_info=exc)  # fmt: skip
        stranded = [s.future for s in self._waiting]
        self._waiting.clear()
        while True:  # the request path no longer appends (health says dead); pop what it did append
            try:
                _, strict = self._queue.popleft()
            except IndexError:
                break
            self._dropped_by_writer += 1
            if strict is not None:
                stranded.append(strict.future)
        self._dropped_by_writer += len(self._refused)
        self._refused.clear()
        _resolve_all(stranded, AuditUnavailable(f"the audit writer stopped: {reason}"))


def _refused_by_audit(ctx: Context) -> bool:
    """The exchange was refused because the trail could not take its event (the `audit` guard)."""
    return bool(ctx.findings) and ctx.findings[-1].verdict.rule == "audit.unavailable"


def _resolve_all(futures: list[asyncio.Future[None]], error: Exception | None) -> None:
    """Settle futures of the event loop(s) from the writer thread, one loop call per loop."""
    by_loop: dict[asyncio.AbstractEventLoop, list[asyncio.Future[None]]] = {}
    for future in futures:
        by_loop.setdefault(future.get_loop(), []).append(future)
    for loop, group in by_loop.items():
        try:
            loop.call_soon_threadsafe(_settle_futures, group, error)
        except RuntimeError:  # that loop is closed: nobody waits any more
            pass


def _settle_futures(futures: list[asyncio.Future[None]], error: Exception | None) -> None:
    for future in futures:
        if not future.done():
            if error is None:
                future.set_result(None)
            else:
                future.set_exception(error)
