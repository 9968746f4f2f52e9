"""What this process has seen, for the console's overview and live tail: counted from the audit
stream as it is written (an audit observer on the writer thread), never on the request path.

Bounded memory whatever the traffic: per-second buckets for the last five minutes, per-minute
buckets for the last day, at most `SAMPLES_PER_MINUTE` latency samples per minute (a uniform
reservoir), and refusal counts keyed by guard and rule, which are Bastion's own bounded names.
"""

from __future__ import annotations

import asyncio
import random
import threading
from array import array
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from bastion.audit.sinks import Row
from bastion.core.clock import SYSTEM_CLOCK, Clock

SECONDS = 300
MINUTES = 1440
SAMPLES_PER_MINUTE = 240
WINDOWS = {"5m": 300, "1h": 3600, "24h": 86400}


@dataclass(slots=True)
class _Minute:
    start: int
    requests: int = 0
    refused: int = 0
    seen: int = 0  # latencies offered to the reservoir this minute
    latencies: array[float] = field(default_factory=lambda: array("f"))
    rules: Counter[tuple[str, str]] = field(default_factory=Counter)


@dataclass(frozen=True, slots=True)
class Summary:
    window: str
    requests: int
    refused: int
    per_second: float
    p50_ms: float | None
    p99_ms: float | None
    by_guard: list[tuple[str, int]]
    by_rule: list[tuple[str, int]]
    series: list[int]  # requests per bucket, oldest first
    refused_series: list[int]
    bucket_seconds: int


class LiveStats:
    def __init__(self, clock: Clock = SYSTEM_CLOCK, seed: int | None = None) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._seconds: deque[tuple[int, int, int]] = deque()  # (second, requests, refused)
        self._minutes: deque[_Minute] = deque()
        self._random = random.Random(seed)

    def observe(self, rows: list[Row]) -> None:
        """The audit observer: runs on the writer thread after each batch is written."""
        with self._lock:
            for row in rows:
                event = row.event
                when = float(event.get("ts") or self._clock.wall())
                refused = event.get("decision") == "refused"
                self._count_second(int(when), refused)
                minute = self._minute(int(when) // 60 * 60)
                minute.requests += 1
                latency = event.get("latency_ms")
                if isinstance(latency, int | float):
                    minute.seen += 1
                    if len(minute.latencies) < SAMPLES_PER_MINUTE:
                        minute.latencies.append(latency)
                    else:
                        slot = self._random.randrange(minute.seen)
                        if slot < SAMPLES_PER_MINUTE:
                            minute.latencies[slot] = latency
                if refused:
                    minute.refused += 1
                    for rule in event.get("rules") or ():
                        if rule.get("mode") == "enforce":
                            minute.rules[(str(rule.get("guard")), str(rule.get("rule")))] += 1
                            break  # the first enforcing rule is the one that refused

    def _count_second(self, second: int, refused: bool) -> None:
        seconds = self._seconds
        if seconds and seconds[-1][0] == second:
            _, requests, refusals = seconds[-1]
            seconds[-1] = (second, requests + 1, refusals + refused)
        elif not seconds or second > seconds[-1][0]:
            seconds.append((second, 1, int(refused)))
            while seconds and seconds[0][0] <= second - SECONDS:
                seconds.popleft()
        else:  # a late event from an earlier second: find it (rare, bounded by SECONDS)
            for index, (at, requests, refusals) in enumerate(seconds):
                if at == second:
                    seconds[index] = (at, requests + 1, refusals + refused)
                    return

    def _minute(self, start: int) -> _Minute:
        minutes = self._minutes
        if minutes and minutes[-1].start == start:
            return minutes[-1]
        if not minutes or start > minutes[-1].start:
            minutes.append(_Minute(start))
            while minutes and minutes[0].start <= start - MINUTES * 60:
                minutes.popleft()
            return minutes[-1]
        for minute in minutes:
            if minute.start == start:
                return minute
        return _Minute(start)  # older than the day kept: counted nowhere

    def summary(self, window: str) -> Summary:
        seconds_back = WINDOWS[window]
        now = int(self._clock.wall())
        with self._lock:
            minutes = [m for m in self._minutes if m.start > now - seconds_back - 60]
            if window == "5m":
                counts = {s: (r, f) for s, r, f in self._seconds}
                bucket = 5
                starts = range(now - seconds_back + 1, now + 1)
                per_bucket: dict[int, list[int]] = {}
                for second in starts:
                    r, f = counts.get(second, (0, 0))
                    totals = per_bucket.setdefault((second - starts[0]) // bucket, [0, 0])
                    totals[0] += r
                    totals[1] += f
                series = [per_bucket[i][0] for i in sorted(per_bucket)]
                refused_series = [per_bucket[i][1] for i in sorted(per_bucket)]
                requests = sum(r for s, r, _ in self._seconds if s > now - seconds_back)
                refused = sum(f for s, _, f in self._seconds if s > now - seconds_back)
            else:
                bucket = 60 if window == "1h" else 900
                first = now - seconds_back
                buckets = seconds_back // bucket
                series = [0] * buckets
                refused_series = [0] * buckets
                for m in minutes:
                    index = min(buckets - 1, max(0, (m.start - first) // bucket))
                    series[index] += m.requests
                    refused_series[index] += m.refused
                requests = sum(m.requests for m in minutes if m.start > first - 60)
                refused = sum(m.refused for m in minutes if m.start > first - 60)
            samples = sorted(x for m in minutes for x in m.latencies)
            rules: Counter[tuple[str, str]] = Counter()
            for m in minutes:
                rules.update(m.rules)
        guards: Counter[str] = Counter()
        for (guard, _), n in rules.items():
            guards[guard] += n
        return Summary(
            window=window,
            requests=requests,
            refused=refused,
            per_second=requests / seconds_back,
            p50_ms=_percentile(samples, 0.50),
            p99_ms=_percentile(samples, 0.99),
            by_guard=guards.most_common(8),
            by_rule=[(rule, n) for (_, rule), n in rules.most_common(8)],
            series=series,
            refused_series=refused_series,
            bucket_seconds=bucket,
        )


def _percentile(samples: list[float], q: float) -> float | None:
    if not samples:
        return None
    return round(float(samples[min(len(samples) - 1, int(q * len(samples)))]), 3)


class Feed:
    """The live tail: refused and monitored events, handed from the writer thread to each console
    page that listens (a bounded queue each: a slow browser loses lines, never slows the writer)."""

    MAX_LISTENERS = 32
    QUEUE = 200

    def __init__(self) -> None:
        self._listeners: dict[asyncio.Queue[dict[str, Any]], asyncio.AbstractEventLoop] = {}
        self._lock = threading.Lock()

    def listen(self) -> asyncio.Queue[dict[str, Any]] | None:
        with self._lock:
            if len(self._listeners) >= self.MAX_LISTENERS:
                return None
            queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(self.QUEUE)
            self._listeners[queue] = asyncio.get_running_loop()
            return queue

    def leave(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        with self._lock:
            self._listeners.pop(queue, None)

    def observe(self, rows: list[Row]) -> None:
        events = [
            {"stream": row.stream, "seq": row.seq, **row.event}
            for row in rows
            if row.event.get("decision") in ("refused", "monitored")
        ]
        if not events:
            return
        with self._lock:
            listeners = list(self._listeners.items())
        for queue, loop in listeners:
            for event in events:
                try:
                    loop.call_soon_threadsafe(_offer, queue, event)
                except RuntimeError:
                    self.leave(queue)  # its loop is closed
                    break


def _offer(queue: asyncio.Queue[dict[str, Any]], event: dict[str, Any]) -> None:
    if not queue.full():
        queue.put_nowait(event)
