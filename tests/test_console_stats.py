"""The overview's in-process counters: windows, percentiles, refusals by guard and rule, bounds."""

from __future__ import annotations

import asyncio

from bastion.audit.sinks import Row
from bastion.console.stats import SAMPLES_PER_MINUTE, Feed, LiveStats
from bastion.core.clock import ManualClock


def _row(ts: float, *, refused: bool = False, latency: float = 1.0, rule: str = "waf.sqli") -> Row:
    rules = [{"guard": rule.split(".", maxsplit=1)[0], "rule": rule, "mode": "enforce"}] if refused else []
    event = {"ts": ts, "decision": "refused" if refused else "allowed", "latency_ms": latency, "rules": rules}
    return Row("s", 1, event, b"", "", "")


def test_windows_count_what_happened_in_them() -> None:
    clock = ManualClock(wall=1_800_000_000.0)
    stats = LiveStats(clock, seed=1)
    now = clock.wall()
    stats.observe([_row(now - 7200 + i) for i in range(30)])  # two hours ago
    stats.observe([_row(now - 1800 + i) for i in range(20)])  # half an hour ago
    stats.observe([_row(now - 10 + i % 10, refused=i % 2 == 0, latency=float(i)) for i in range(10)])
    five = stats.summary("5m")
    assert (five.requests, five.refused) == (10, 5)
    assert five.per_second == 10 / 300
    assert sum(five.series) == 10
    assert sum(five.refused_series) == 5
    assert five.by_guard == [("waf", 5)]
    assert five.by_rule == [("waf.sqli", 5)]
    hour = stats.summary("1h")
    assert hour.requests == 30
    assert sum(hour.series) == 30
    day = stats.summary("24h")
    assert day.requests == 60
    assert day.bucket_seconds == 900
    assert len(day.series) == 96


def test_percentiles_come_from_a_bounded_reservoir() -> None:
    clock = ManualClock(wall=1_800_000_000.0)
    stats = LiveStats(clock, seed=3)
    now = clock.wall()
    stats.observe([_row(now - 5, latency=float(i % 100)) for i in range(20_000)])
    summary = stats.summary("5m")
    assert summary.requests == 20_000
    assert summary.p50_ms is not None
    assert summary.p99_ms is not None
    assert 35 <= summary.p50_ms <= 65  # uniform 0..99: the reservoir's median is near 50
    assert summary.p99_ms >= 90
    assert len(stats._minutes[-1].latencies) == SAMPLES_PER_MINUTE


def test_old_buckets_are_forgotten() -> None:
    clock = ManualClock(wall=1_800_000_000.0)
    stats = LiveStats(clock)
    stats.observe([_row(clock.wall())])
    clock.advance(2 * 86400)
    stats.observe([_row(clock.wall())])
    assert len(stats._minutes) == 1
    assert len(stats._seconds) == 1
    assert stats.summary("24h").requests == 1


async def test_the_live_feed_hands_refusals_to_listeners_and_drops_for_slow_ones() -> None:
    feed = Feed()
    queue = feed.listen()
    assert queue is not None
    rows = [_row(1.0, refused=True)] + [_row(2.0)] + [_row(3.0, refused=True) for _ in range(Feed.QUEUE + 50)]
    await asyncio.to_thread(feed.observe, rows)  # the audit writer's thread
    for _ in range(100):
        if queue.qsize() == Feed.QUEUE:
            break
        await asyncio.sleep(0.01)
    assert queue.qsize() == Feed.QUEUE  # bounded: the rest were dropped, the writer never waited
    first = queue.get_nowait()
    assert first["decision"] == "refused"
    assert first["ts"] == 1.0
    feed.leave(queue)
    others = [feed.listen() for _ in range(Feed.MAX_LISTENERS)]
    assert None not in others
    assert feed.listen() is None
