"""The WAF guard on labelled traffic, in process: fast feedback, and the generalisation figures.

    python bench/waf_eval.py [--corpus ../shared/corpus/dev.jsonl] [--paranoia 1] [--show fp|miss]
                             [--category sqli] [--loso [--strict-tags]] [--source NAME]

It builds each row's request as the proxy would (raw path and query, headers, body bytes) and runs
only the WAF guard, so its figures are the WAF's alone. The end-to-end figure, through the real
gateway and the corpus's own replay.py, comes from `make bench-waf`.

`--loso` (leave one source out): for each source that has attack rows, detection on that source's
attacks alone, by the rule set without the rules written from that source's rows (rules carry a
`source` tag naming the sources they were written from), and false positives of the same rule set
on every benign row. It reports each fold, the mean and the worst fold: how the WAF does on a kind
of traffic it was not written from, which is the figure to raise, not the full-corpus one.
`--strict-tags` also leaves a rule out of a fold when one of its examples is a row of that source
(the tagging convention applied mechanically, see sources_by_example): the lower bound.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bastion.config.waf import WAFConfig
from bastion.core.context import Context
from bastion.core.request import Headers, Request
from bastion.guards.waf import WAFGuard
from bastion.guards.waf.rules import Rule, load_rules

ROOT = Path(__file__).resolve().parent.parent
_ORDINARY_HEADERS = {"accept", "user-agent", "content-type", "accept-encoding", "connection"}


def request_of(row: dict[str, Any]) -> Request:
    sent = row.get("headers") or {}
    host = row.get("host") or next((value for name, value in sent.items() if name.lower() == "host"), "localhost:8080")
    headers = [("host", host)]  # the row's own Host: an attack may be written there
    for name, value in sent.items():
        if name.lower() not in ("host", "content-length", "connection", "transfer-encoding"):
            headers.append((name.lower(), value))
    body = row.get("body")
    if isinstance(body, str):
        data: bytes | None = body.encode("utf-8", "surrogateescape")
    elif body is not None:
        data = bytes(body)
    else:
        data = None
    return Request(
        method=row["method"],
        path=row["path"] or "/",
        query=row.get("query") or "",
        headers=Headers(headers),
        client="127.0.0.1",
        body=data,
    )


def source_of(row: dict[str, Any]) -> str:
    return str(row.get("source") or "unknown").split(":", 1)[0]


def load(corpus: Path) -> list[dict[str, Any]]:
    with corpus.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def blocked_rows(guard: WAFGuard, rows: Iterable[dict[str, Any]]) -> list[bool]:
    out = []
    for row in rows:
        verdict = guard.check(request_of(row), Context("eval-0000000001"))
        out.append(verdict is not None and verdict.status == 403)
    return out


def sources_by_example(rules: list[Rule], rows: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Each rule's `source:` tags, plus every source in whose attack rows one of the rule's match
    examples (16 characters or more) appears verbatim, raw or URL-decoded, when one or two sources
    hold it (a textbook payload in three or more is no evidence that rows were looked at). This is
    the tagging convention applied mechanically: it also counts rules written from a technique's
    reference whose textbook example happens to be a row of one source (Shellshock's `() { :;};`)."""
    texts: dict[str, list[str]] = collections.defaultdict(list)
    for row in rows:
        if row["label"] == "attack":
            blob = " ".join([row.get("path") or "", row.get("query") or "", str(row.get("body") or ""),
                             json.dumps(row.get("headers") or {})])  # fmt: skip
            texts[source_of(row)].append(f"{blob} {unquote_plus(blob)}")
    tagged: dict[str, set[str]] = {}
    for rule in rules:
        found = set(rule.sources)
        for example in rule.examples_match:
            if len(example) >= 16:
                holding = {source for source, blobs in texts.items() if any(example in blob for blob in blobs)}
                if len(holding) <= 2:
                    found |= holding
        tagged[rule.id] = found
    return tagged


def leave_one_source_out(rows: list[dict[str, Any]], paranoia: int, strict: bool = False) -> list[dict[str, Any]]:
    """One fold per source with attack rows: its attacks, and every benign row, by the rules not
    written from it (`strict`: nor holding an example found in its rows, see sources_by_example)."""
    rules = load_rules()
    tags = sources_by_example(rules, rows) if strict else {rule.id: set(rule.sources) for rule in rules}
    benign = [row for row in rows if row["label"] == "benign"]
    folds = []
    for source in sorted({source_of(row) for row in rows if row["label"] == "attack"}):
        kept: list[Rule] = [rule for rule in rules if source not in tags[rule.id]]
        guard = WAFGuard(WAFConfig(paranoia=paranoia), rules=kept)
        attacks = [row for row in rows if row["label"] == "attack" and source_of(row) == source]
        caught = blocked_rows(guard, attacks)
        false = blocked_rows(guard, benign)
        by_category: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
        for row, hit in zip(attacks, caught, strict=True):
            by_category[row["category"]][0] += int(hit)
            by_category[row["category"]][1] += 1
        folds.append(
            {
                "source": source,
                "rules_left_out": len(rules) - len(kept),
                "attacks": len(attacks),
                "detection": 100 * sum(caught) / len(attacks),
                "false_positives": 100 * sum(false) / max(1, len(benign)),
                "weakest": sorted(
                    ((100 * b / n, c, n) for c, (b, n) in by_category.items() if n >= 5), key=lambda x: x[0]
                )[:3],
            }
        )
    return folds


def print_loso(folds: list[dict[str, Any]]) -> None:
    print(f"\n{'leave one source out':28s} {'rules out':>9s} {'attacks':>8s} {'detect':>8s} {'FP':>7s}  weakest")
    for fold in folds:
        weakest = ", ".join(f"{c} {rate:.0f}% (n={n})" for rate, c, n in fold["weakest"])
        print(
            f"{fold['source']:28s} {fold['rules_left_out']:9d} {fold['attacks']:8d} "
            f"{fold['detection']:7.2f}% {fold['false_positives']:6.2f}%  {weakest}"
        )
    mean = sum(f["detection"] for f in folds) / len(folds)
    worst = min(folds, key=lambda f: f["detection"])
    fp = max(f["false_positives"] for f in folds)
    print(
        f"LOSO mean detection {mean:.2f}%, worst fold {worst['source']} {worst['detection']:.2f}%, FP at most {fp:.2f}%"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/dev.jsonl")
    parser.add_argument("--paranoia", type=int, default=1)
    parser.add_argument("--show", choices=["fp", "miss"], help="print false positives or missed attacks")
    parser.add_argument("--category", action="append", help="only these corpus categories")
    parser.add_argument("--source", help="only this source's rows, by the rules not written from it")
    parser.add_argument("--loso", action="store_true", help="leave-one-source-out folds")
    parser.add_argument(
        "--strict-tags",
        action="store_true",
        help="with --loso: also leave out rules whose examples are in a fold's rows",
    )
    parser.add_argument("--limit", type=int, default=40)
    args = parser.parse_args()

    rows = load(args.corpus)
    if args.loso:
        print_loso(leave_one_source_out(rows, args.paranoia, strict=args.strict_tags))
        return 0
    rules = load_rules()
    if args.source:
        rows = [r for r in rows if source_of(r) == args.source or r["label"] == "benign"]
        rules = [rule for rule in rules if args.source not in rule.sources]
    guard = WAFGuard(WAFConfig(paranoia=args.paranoia), rules=rules)
    if args.category:
        rows = [r for r in rows if r["category"] in args.category]
    counts: dict[tuple[str, str], list[int]] = collections.defaultdict(lambda: [0, 0])
    shown = 0
    started = time.perf_counter()
    for row in rows:
        verdict = guard.check(request_of(row), Context("eval-0000000001"))
        blocked = verdict is not None and verdict.status == 403
        counts[(row["label"], row["category"])][0] += int(blocked)
        counts[(row["label"], row["category"])][1] += 1
        wanted = (args.show == "fp" and row["label"] == "benign" and blocked) or (
            args.show == "miss" and row["label"] == "attack" and not blocked
        )
        if wanted and shown < args.limit:
            shown += 1
            where = row.get("payload") or f"{row['path']}?{row.get('query', '')} {str(row.get('body'))[:200]}"
            unusual = {k: v[:80] for k, v in row["headers"].items() if k.lower() not in _ORDINARY_HEADERS}
            print(f"[{row['category']}/{row['placement']}] {str(where)[:220]!r} {unusual if unusual else ''}")
            if verdict is not None:
                print(f"     -> {verdict.rule} {verdict.reason[:200]}")
    elapsed = time.perf_counter() - started
    totals = {"attack": [0, 0], "benign": [0, 0]}
    print(f"\n{'category':32s} {'n':>6s} {'blocked':>8s} {'rate':>8s}")
    for (label, category), (blocked, total) in sorted(counts.items()):
        totals[label][0] += blocked
        totals[label][1] += total
        print(f"{label + '/' + category:32s} {total:6d} {blocked:8d} {100 * blocked / total:7.2f}%")
    for label, (blocked, total) in totals.items():
        if total:
            print(f"{label}: {blocked}/{total} = {100 * blocked / total:.2f}%")
    print(
        f"{len(rows)} rows in {elapsed:.2f} s ({1e6 * elapsed / max(1, len(rows)):.0f} us per row), "
        f"backend {guard.engine.backend}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
