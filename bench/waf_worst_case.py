"""Search for slow WAF inputs: every rule's examples, repeated to fill one value of max_value.

    python bench/waf_worst_case.py [--size 31000] [--top 15] [--budget-ms 5]

The adversarial inputs of bench/test_waf_bench.py are the ones someone thought of. A reading is
slow when a value is full of what it starts on and nothing settles it early; each rule's examples
are what its pattern and its check start on. So each example (and each example cut short by its
last character, a near miss that settles nothing) is repeated, with a space and a running number
so that no two copies are alike, into one JSON string of `--size` characters, and the WAF's time
on it is taken (best of three). The slowest are printed with the verdict; the exit status is 1
when one is over the budget, so the search can gate a change.

The count over budget follows the machine's speed (on one VM on one day: 395, then 569 an hour
later, when the same 30 KB page of links went from 4.4 to 6.7 ms), so the run first prints a
reference: the WAF's time on the 1 KB order of bench/test_waf_bench.py and on a page of links. Compare
two runs by their references before comparing their counts.

`--decoys` builds another family: what could start a match, repeated, and then a match. For each
rule, each of its match examples comes after copies of a near miss (the example cut by its last
character, or by half) or of one of its clean examples. A reading that tries every near miss before
it reaches the match pays for each (2 KB of `perl -e 'exe ` before `perl -e 'exec "/bin/sh"'` took
18 ms). The inputs that pass although their match alone is blocked are listed too, to be read one
by one: most are by design (a rule about what a whole value is, `/etc/passwd` or `ls -la`, does not
hold once words come before it), some were blind spots (`127.0.0.1; a; whoami` passed).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bastion.config.waf import WAFConfig
from bastion.guards.waf import WAFGuard
from bastion.guards.waf.rules import load_rules
from bench.test_waf_bench import check, make, order_body


def filled(piece: str, size: int, numbered: bool) -> str:
    parts: list[str] = []
    total = 0
    while total < size:
        part = f"{piece} {len(parts)} " if numbered else f"{piece} "
        parts.append(part)
        total += len(part)
    return "".join(parts)[:size]


def seeds() -> dict[str, str]:
    seeds: dict[str, str] = {}
    for rule in load_rules():
        for kind, examples in (("match", rule.examples_match), ("clean", rule.examples_clean)):
            for index, example in enumerate(examples):
                seeds[f"{rule.id}:{kind}{index}"] = example
                if len(example) > 3:
                    seeds[f"{rule.id}:{kind}{index}-cut"] = example[:-1]
    return seeds


def decoyed() -> dict[str, tuple[str, str]]:
    """name -> (decoy, match): what each rule's reading starts on, then one of its matches."""
    found: dict[str, tuple[str, str]] = {}
    for rule in load_rules():
        for index, match in enumerate(rule.examples_match):
            decoys = {"cut": match[:-1], "half": match[: len(match) // 2] if len(match) > 6 else ""}
            decoys.update({f"clean{i}": clean for i, clean in enumerate(rule.examples_clean)})
            for kind, decoy in decoys.items():
                if decoy.strip():
                    found[f"{rule.id}:match{index} after {kind}"] = (decoy, match)
    return found


def _best(guard: WAFGuard, body: bytes) -> tuple[float, bool]:
    request = make("POST", "/api/v1/x", body=body, media="application/json")
    blocked = check(guard, request) is not None
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        check(guard, request)
        best = min(best, time.perf_counter() - started)
    return best, blocked


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=31_000, help="characters of the one JSON string")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--budget-ms", type=float, default=5.0)
    parser.add_argument("--decoys", action="store_true", help="near misses repeated, then a match")
    args = parser.parse_args()
    guard = WAFGuard(WAFConfig())
    links = json.dumps({"a": '<a href="https://x.example/">x</a> ' * (args.size // 37)}).encode()
    order, page = _best(guard, order_body("gift wrap, please, thank you")), _best(guard, links)
    kilobytes = len(links) // 1000
    print(f"reference: the 1 KB order {order[0] * 1e6:.0f} us, {kilobytes} KB of links {page[0] * 1000:.2f} ms")
    timings: list[tuple[float, bool, str]] = []
    let_through: list[str] = []
    if args.decoys:
        for name, (decoy, match) in decoyed().items():
            copies = max(1, (args.size - len(match)) // (len(decoy) + 1))
            seconds, blocked = _best(guard, json.dumps({"a": f"{decoy} " * copies + match}).encode())
            timings.append((seconds, blocked, name))
            if not blocked and _best(guard, json.dumps({"a": match}).encode())[1]:
                let_through.append(name)
    else:
        for name, seed in seeds().items():
            for numbered in (False, True):
                body = json.dumps({"a": filled(seed, args.size, numbered)}).encode()
                seconds, blocked = _best(guard, body)
                timings.append((seconds, blocked, f"{name}{' (numbered)' if numbered else ''}"))
    timings.sort(reverse=True)
    print(f"{len(timings)} inputs of up to {args.size} characters; the slowest:")
    for seconds, blocked, name in timings[: args.top]:
        print(f"  {seconds * 1000:6.2f} ms  {'blocked' if blocked else 'passed':7}  {name}")
    over = [t for t in timings if t[0] * 1000 > args.budget_ms]
    print(f"{len(over)} over the {args.budget_ms} ms budget")
    if args.decoys:
        print(f"{len(let_through)} passed although their match alone is blocked (to read):")
        print(*(f"  {name}" for name in let_through[: args.top]), sep="\n")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
