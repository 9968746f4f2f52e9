"""The WAF stops reading a request once its refusal is known, and refuses exactly as a full reading would.

`WAFGuard.check` hands the engine the request's scores (scoring.Scores): the engine reads rules
without a check first, and stops when a category is refused and no unread rule could change the
category or the rule the refusal names. These tests hold the shortcut to the full reading
(`WAFGuard.inspect` then `WAFGuard.verdict`) on a blind set's every row, under the default
thresholds, per-category thresholds and exclusions.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench.waf_eval import request_of

from bastion.config.waf import WAFConfig, WAFExclusion
from bastion.core.context import Context
from bastion.core.request import Request
from bastion.core.verdict import Verdict
from bastion.guards.waf import WAFGuard
from bastion.guards.waf.engine import MOST_POINTS, Match
from bastion.guards.waf.inspected import Target
from bastion.guards.waf.rules import Rule
from bastion.guards.waf.scoring import Scores

SET = Path(__file__).parent / "data" / "waf_unseen_seventh.jsonl"


def _rows() -> list[dict[str, object]]:
    return [json.loads(line) for line in SET.read_text().split("\n") if line.strip()]


def _full_reading(guard: WAFGuard, request: Request) -> Verdict | None:
    ctx = Context("settled-00000001")
    matches, oversized = guard.inspect(request, ctx)
    assert not oversized
    if guard._exclusions:
        matches = [m for m in matches if not guard._excluded(m, request, ctx)]
    return guard.verdict(matches)


def _named(verdict: Verdict | None) -> tuple[object, ...] | None:
    return None if verdict is None else (verdict.status, verdict.rule, verdict.category, verdict.location)


CONFIGS = {
    "defaults": WAFConfig(),
    "per-category thresholds": WAFConfig(thresholds={"code": 15, "sqli": 10, "xss": 10, "php": 10}),
    "exclusions": WAFConfig(
        exclusions=[
            WAFExclusion(categories=["ssrf"]),
            WAFExclusion(field="query.*", rules=["code-exec-string", "xss-js-sinks"]),
        ]
    ),
}


@pytest.mark.parametrize("name", CONFIGS)
def test_the_refusal_is_the_full_readings(name: str) -> None:
    guard = WAFGuard(CONFIGS[name])
    stopped = 0
    for row in _rows():
        request = request_of(row)
        settled = guard.check(request, Context("settled-00000001"))
        full = _full_reading(guard, request)
        assert _named(settled) == _named(full), row
        if settled is not None and full is not None and settled.reason != full.reason:
            stopped += 1
    assert stopped > 50  # the shortcut is taken: fewer rules read on a good share of the refusals


def test_reading_stops_once_the_refusal_is_known() -> None:
    """`__import__('os').system('id')`: the code category is refused by its first rule, and the
    Python rules after it could only add points to the same refusal."""
    guard = WAFGuard(WAFConfig())
    query = "expr=__import__('os').system('id')"
    request = request_of({"method": "GET", "path": "/calc", "query": query, "headers": {}})
    settled = guard.check(request, Context("settled-00000001"))
    full = _full_reading(guard, request)
    assert settled is not None
    assert full is not None
    assert (settled.rule, settled.category) == (full.rule, full.category) == ("waf.code-exec-string", "code")
    assert settled.reason.startswith("code score 5: code-exec-string")
    assert full.reason.startswith("code score 20:")
    assert "code-python" in full.reason
    assert "code-python" not in settled.reason


def test_a_category_that_could_still_tie_earlier_is_read() -> None:
    """JNDI after a PHP-looking `${$`: both categories score 5 and the earlier rule (log4shell's)
    names the refusal; the reading goes on until no unread rule could take that place."""
    guard = WAFGuard(WAFConfig())
    value = "${${::-j}${::-n}${::-d}${::-i}:rmi://x/y}"
    request = request_of({"method": "GET", "path": "/", "query": "", "headers": {"X-Api-Version": value}})
    settled = guard.check(request, Context("settled-00000001"))
    assert _named(settled) == _named(_full_reading(guard, request))
    assert settled is not None
    assert settled.category == "log4shell"


def _tally() -> tuple[Scores, list[tuple[int, Rule]], Target]:
    guard = WAFGuard(WAFConfig())
    sqli = [(index, rule) for index, rule in enumerate(guard.engine.rules) if rule.category == "sqli"]
    return Scores({}, 5, 8), sqli, Target("query.q", "query", "1", "1", "text", True)


def test_a_leading_rule_under_full_points_waits_for_every_rule_of_its_category() -> None:
    """Two 3-point findings refuse the category, but an unread rule of it, even a later one,
    could score 5 and name the refusal instead."""
    tally, sqli, target = _tally()
    (first, rule_a), (second, rule_b) = sqli[:2]
    assert not tally.add(Match(rule_a, target, 3, "a"), first)
    assert tally.add(Match(rule_b, target, 3, "b"), second)
    assert not tally.reached([sqli[2]])
    assert tally.reached([])


def test_a_leading_rule_at_full_points_waits_only_for_earlier_rules() -> None:
    tally, sqli, target = _tally()
    (first, _), (second, rule_b), (third, _) = sqli[:3]
    assert tally.add(Match(rule_b, target, MOST_POINTS, "b"), second)
    assert tally.reached([sqli[2]])  # later: at most a tie, which the earlier rule wins
    assert not tally.reached([sqli[0]])  # earlier: a tie it would win
    assert first < second < third


def test_no_match_scores_more_than_a_rule_can_add() -> None:
    """The early stop bounds what an unread rule can add by MOST_POINTS: a check scoring more would
    let it stop before a category that would have led."""
    guard = WAFGuard(WAFConfig())
    for row in _rows():
        matches, _ = guard.inspect(request_of(row), Context("settled-00000001"))
        assert all(0 < match.score <= MOST_POINTS for match in matches), row
