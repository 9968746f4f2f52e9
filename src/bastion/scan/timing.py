"""Deciding from response times with statistics, not a single slow answer.

Time-based injection and complexity checks are the easiest to get wrong: a loaded server or a GC pause
looks like a successful `sleep`. A delay only counts when it stands out from the baseline by many
standard deviations, when the same probe without the delay is fast again, and when it repeats.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable

from bastion.scan.target import Exchange


def stands_out(baseline: list[float], elapsed: float, delay: float) -> bool:
    """`elapsed` reflects an injected `delay`: at least the delay on top of the fastest baseline, and
    far outside the baseline's spread (7 sigma, the bound sqlmap also uses)."""
    mean = statistics.fmean(baseline)
    spread = statistics.pstdev(baseline) if len(baseline) > 1 else 0.0
    return elapsed >= min(baseline) + 0.85 * delay and elapsed > mean + max(7 * spread, 0.5 * delay)


def confirm_delay(
    send: Callable[[float], Exchange], baseline: list[float], delay: float
) -> tuple[bool, list[Exchange]]:
    """delay, no delay, delay again: all three must behave, or it was noise."""
    seen: list[Exchange] = []
    first = send(delay)
    seen.append(first)
    if not stands_out(baseline, first.elapsed, delay):
        return False, seen
    quick = send(0)
    seen.append(quick)
    if stands_out(baseline, quick.elapsed, delay * 0.5):
        return False, seen
    second = send(delay * 1.5)
    seen.append(second)
    return stands_out(baseline, second.elapsed, delay * 1.5), seen


def growth_exponent(sizes: list[int], times: list[float]) -> float:
    """Slope of log(time) against log(size): 1 is linear, 2 quadratic; exponential blows past both."""
    points = [(math.log(s), math.log(max(t, 1e-4))) for s, t in zip(sizes, times, strict=True) if s > 0]
    if len(points) < 2:
        return 0.0
    mean_x = statistics.fmean(p[0] for p in points)
    mean_y = statistics.fmean(p[1] for p in points)
    numerator = sum((x - mean_x) * (y - mean_y) for x, y in points)
    denominator = sum((x - mean_x) ** 2 for x, _ in points)
    return numerator / denominator if denominator else 0.0


def mann_whitney_p(slow: list[float], fast: list[float]) -> float:
    """One-sided p-value that `slow` tends to be larger than `fast` (Mann-Whitney U, normal approximation
    with tie correction). Ranks, not means: a few outliers from a busy machine cannot make the case."""
    n1, n2 = len(slow), len(fast)
    if not n1 or not n2:
        return 1.0
    ranked = sorted([(v, 0) for v in slow] + [(v, 1) for v in fast])
    ranks: list[float] = [0.0] * len(ranked)
    ties = 0.0
    index = 0
    while index < len(ranked):
        end = index
        while end + 1 < len(ranked) and ranked[end + 1][0] == ranked[index][0]:
            end += 1
        for k in range(index, end + 1):
            ranks[k] = (index + end) / 2 + 1
        size = end - index + 1
        ties += size**3 - size
        index = end + 1
    rank_sum = sum(r for r, (_, group) in zip(ranks, ranked, strict=True) if group == 0)
    u = rank_sum - n1 * (n1 + 1) / 2
    total = n1 + n2
    variance = n1 * n2 / 12 * ((total + 1) - ties / (total * (total - 1)))
    if variance <= 0:
        return 1.0
    z = (u - n1 * n2 / 2 - 0.5) / math.sqrt(variance)
    return 0.5 * math.erfc(z / math.sqrt(2))
