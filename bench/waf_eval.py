"""The WAF guard on a labelled corpus, in process: fast feedback while working on rules.

    python bench/waf_eval.py [--corpus ../shared/corpus/dev.jsonl] [--paranoia 1] [--show fp|miss] [--category sqli]

It builds each row's request as the proxy would (raw path and query, headers, body bytes) and runs
only the WAF guard, so its figures are the WAF's alone. The end-to-end figure, through the real
gateway and the corpus's own replay.py, comes from `make bench-waf`.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bastion.config.waf import WAFConfig
from bastion.core.context import Context
from bastion.core.request import Headers, Request
from bastion.guards.waf import WAFGuard

ROOT = Path(__file__).resolve().parent.parent


_ORDINARY_HEADERS = {"accept", "user-agent", "content-type", "accept-encoding", "connection"}


def request_of(row: dict[str, Any]) -> Request:
    headers = [("host", "localhost:8080")]
    for name, value in (row.get("headers") or {}).items():
        if name.lower() not in ("host", "content-length", "connection", "transfer-encoding"):
            headers.append((name.lower(), value))
    body = row.get("body")
    data = body.encode("utf-8", "surrogateescape") if body is not None else None
    return Request(
        method=row["method"],
        path=row["path"] or "/",
        query=row.get("query") or "",
        headers=Headers(headers),
        client="127.0.0.1",
        body=data,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/dev.jsonl")
    parser.add_argument("--paranoia", type=int, default=1)
    parser.add_argument("--show", choices=["fp", "miss"], help="print false positives or missed attacks")
    parser.add_argument("--category", action="append", help="only these corpus categories")
    parser.add_argument("--limit", type=int, default=40)
    args = parser.parse_args()

    guard = WAFGuard(WAFConfig(paranoia=args.paranoia))
    with args.corpus.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
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
            unusual = {k: v for k, v in row["headers"].items() if k.lower() not in _ORDINARY_HEADERS}
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
