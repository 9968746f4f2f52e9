"""Timing campaign of the in-process fuzz targets (`make fuzz`): the slowest inputs found.

For each target of `inprocess_targets`, Hypothesis generates inputs (inside the configured limits)
and is steered towards slow ones with `target()` on the measured time; the slowest inputs are
re-timed (best of 5, so one scheduling hiccup on a shared machine does not count) and reported
against the 5 ms budget.

    python -m tests.faults.inprocess_timing --examples 3000
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings, target

from tests.faults.inprocess_targets import TARGETS

BUDGET_MS = 5.0


def slowest(name: str, examples: int, keep: int = 3) -> list[tuple[float, tuple[Any, ...]]]:
    strategy, function = TARGETS[name]
    found: list[tuple[float, tuple[Any, ...]]] = []

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate, Phase.target],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(args: tuple[Any, ...]) -> None:
        started = time.perf_counter()
        function(*args)
        elapsed = (time.perf_counter() - started) * 1000
        target(elapsed, label="milliseconds")
        found.append((elapsed, args))
        found.sort(key=lambda item: -item[0])
        del found[keep * 4 :]

    run()
    retimed = []
    for _, args in found:
        best = min(_timed(function, args) for _ in range(5))
        retimed.append((best, args))
    return sorted(retimed, key=lambda item: -item[0])[:keep]


def _timed(function: Any, args: tuple[Any, ...]) -> float:
    started = time.perf_counter()
    function(*args)
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=3000)
    args = parser.parse_args()
    over = 0
    for name in TARGETS:
        results = slowest(name, args.examples)
        worst = results[0][0] if results else 0.0
        over += worst > BUDGET_MS
        verdict = "within" if worst <= BUDGET_MS else "OVER"
        print(f"{name}: slowest {worst:.3f} ms ({verdict} the {BUDGET_MS:g} ms budget), {args.examples} examples")
        for elapsed, inputs in results:
            print(f"    {elapsed:.3f} ms  {repr(inputs)[:240]}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
