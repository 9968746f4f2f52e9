"""Which WAF patterns make Hyperscan slow on an adversarial input, one pattern at a time.

    python bench/waf_pattern_cost.py [NAME ...] [--top 5]

A flood (31 KB of `{`, of `<a `) can make a Hyperscan database scan at a few hundred ns per byte
when a pattern keeps many partial matches alive at once (an unbounded `\\s*` behind a bounded run
that the flood's own character satisfies). The request path scans a request twice (the glance,
then the value-by-value scan), so such a pattern costs twice. This compiles every scan pattern on
its own, one report per pattern (as the value-by-value scan compiles it), times it on each input of
bench/test_waf_bench.py's ADVERSARIAL (best of five scans), or on a rule example repeated into one
value as bench/waf_worst_case.py builds it (`log4shell-jndi:match2`, or with --decoys
`"log4shell-jndi:match2 after clean0"`), and prints the worst, so a
rewrite or a prefilter can be aimed and checked.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import hyperscan

from bastion import hyperscan_db
from bastion.config.waf import WAFConfig
from bastion.guards.waf import WAFGuard
from bastion.patterns import Pattern, _expressions
from bench.test_waf_bench import ADVERSARIAL
from bench.waf_worst_case import decoyed, filled, seeds


def _database(pattern: Pattern) -> tuple[object, object]:
    """The pattern alone, one report per scan (as `_single_patterns()` compiles it), not kept in the cache."""
    database = hyperscan_db.compile_now(*_expressions([pattern], every_match=False))
    return database, hyperscan.Scratch(database)


def _best(database: object, scratch: object, data: bytes) -> float:
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        database.scan(data, match_event_handler=lambda *_: None, scratch=scratch)  # type: ignore[attr-defined]
        best = min(best, time.perf_counter() - started)
    return best


def _input(name: str) -> bytes:
    if name in ADVERSARIAL:
        return ADVERSARIAL[name][0]
    if " after " in name:  # waf_worst_case.py --decoys: near misses repeated, then the match
        decoy, match = decoyed()[name]
        return (f"{decoy} " * ((31_000 - len(match)) // (len(decoy) + 1)) + match).lower().encode()
    return filled(seeds()[name], 31_000, False).lower().encode()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "names",
        nargs="*",
        help="ADVERSARIAL inputs or waf_worst_case.py names: RULE:KIND, 'RULE:matchN after KIND'",
    )
    parser.add_argument("--top", type=int, default=5)
    args = parser.parse_args()
    engine = WAFGuard(WAFConfig()).engine
    patterns: list[Pattern] = engine._scan
    compiled = [(p, *_database(p)) for p in patterns]
    for name in args.names or sorted(ADVERSARIAL):
        data = _input(name)
        costs = sorted(((_best(db, scratch, data), p) for p, db, scratch in compiled), key=lambda c: -c[0])
        total = sum(cost for cost, _ in costs)
        print(f"{name}: {total * 1000:.2f} ms summed over {len(costs)} patterns")
        for cost, pattern in costs[: args.top]:
            print(f"  {cost * 1000:7.3f} ms  {pattern.id}  {pattern.regex[:90]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
