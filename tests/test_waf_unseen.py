"""The WAF on its own unseen set (tests/data/waf_unseen.jsonl, written by make_waf_unseen.py from
attack techniques, not from any corpus), with per-category floors.

Issue 17's target for this set is >= 95 % of attacks blocked at <= 2 % false positives, every
category >= 90 %. The floors below are what the WAF reached when the set was last scored (see
docs/waf.md), so a change that loses detection or adds false positives fails here.
"""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest
from bench.waf_eval import request_of

from bastion.config.waf import WAFConfig
from bastion.core.context import Context
from bastion.guards.waf import WAFGuard

DATA = Path(__file__).resolve().parent / "data" / "waf_unseen.jsonl"
ROWS = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
OVERALL_FLOOR = 99.8  # reached 99.85 % (667/668); the issue asks >= 95 %
FALSE_POSITIVE_CEILING = 0.25  # reached 0.00 % (0/1210); the issue allows <= 2 %
CATEGORY_FLOOR = 90.0
# Categories still below the 90 % target, with the floor they hold (the target is not met there);
# none since RFI reached 97.06 % (33/34) with the NUL-cut reading.
BELOW_TARGET: dict[str, float] = {}


@pytest.fixture(scope="module")
def outcome() -> dict[tuple[str, str], list[int]]:
    guard = WAFGuard(WAFConfig())
    counts: dict[tuple[str, str], list[int]] = collections.defaultdict(lambda: [0, 0])
    for row in ROWS:
        verdict = guard.check(request_of(row), Context("waf-unseen-0001"))
        counts[(row["label"], row["category"])][0] += int(verdict is not None and verdict.status == 403)
        counts[(row["label"], row["category"])][1] += 1
    return counts


def test_the_set_covers_what_the_issue_asks() -> None:
    attacks = [row for row in ROWS if row["label"] == "attack"]
    benign = [row for row in ROWS if row["label"] == "benign"]
    assert len(attacks) >= 500
    assert len(benign) >= 1000
    categories = {row["category"] for row in attacks}
    assert {
        "code_injection",
        "php_injection",
        "sqli",
        "rfi",
        "ssrf",
        "cmdi",
        "crlf",
        "ssti",
        "mail_header",
        "ldapi",
        "rce",
        "xss",
        "path_traversal",
        "nosqli",
        "xxe",
        "log4shell",
    } <= categories
    placements = {row["placement"] for row in attacks}
    assert {"query", "path", "json", "json_key", "form", "multipart", "header", "cookie", "host"} <= placements


def test_attacks_blocked_overall(outcome: dict[tuple[str, str], list[int]]) -> None:
    blocked = sum(b for (label, _), (b, _n) in outcome.items() if label == "attack")
    total = sum(n for (label, _), (_b, n) in outcome.items() if label == "attack")
    assert 100 * blocked / total >= OVERALL_FLOOR


def test_false_positives(outcome: dict[tuple[str, str], list[int]]) -> None:
    blocked = sum(b for (label, _), (b, _n) in outcome.items() if label == "benign")
    total = sum(n for (label, _), (_b, n) in outcome.items() if label == "benign")
    assert 100 * blocked / total <= FALSE_POSITIVE_CEILING


@pytest.mark.parametrize("category", sorted({row["category"] for row in ROWS if row["label"] == "attack"}))
def test_every_category(outcome: dict[tuple[str, str], list[int]], category: str) -> None:
    blocked, total = outcome[("attack", category)]
    assert 100 * blocked / total >= BELOW_TARGET.get(category, CATEGORY_FLOOR)
