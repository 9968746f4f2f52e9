"""A rule's `prefilter` stands for its pattern in the Hyperscan scan: it must find every match.

A prefilter is a looser expression (no word boundaries, no length bounds, one branch's literal core)
that Hyperscan scans far faster than the pattern (tens of microseconds less per request). It may
match where the pattern does not (the pattern confirms every hit), never miss where the pattern
matches: that would hide an attack. So within the text of every match of the pattern, the prefilter
must match too, on strings Hypothesis writes from the pattern itself and on every payload and value
of the test sets.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bastion.guards.waf.rules import Rule, load_rules

DATA = Path(__file__).parent / "data"
PREFILTERED = [rule for rule in load_rules() if rule.scan_patterns != (rule.pattern,) and len(rule.scan_patterns) == 1]
# As the scan reads them: Hyperscan (and the fallback, on bytes) give `\d`, `\w` and case their ASCII sense.
FLAGS = re.IGNORECASE | re.DOTALL | re.ASCII


def _samples() -> list[str]:
    samples: list[str] = []
    for name in ("waf_unseen.jsonl", "waf_unseen_second.jsonl", "waf_unseen_third.jsonl"):
        for line in (DATA / name).read_text(encoding="utf-8").split("\n"):  # U+0085 and U+2028 are in rows
            if not line.strip():
                continue
            row = json.loads(line)
            samples += [row["payload"] or "", row["query"] or "", row["body"] or "", *row["headers"].values()]
    for name in ("waf_technique_variants.txt", "waf_technique_benign.txt"):
        samples += [line for line in (DATA / name).read_text().splitlines() if not line.startswith("# ")]
    for rule in load_rules():
        samples += [*rule.examples_match, *rule.examples_clean]
    return samples


SAMPLES = _samples()


def _unfound(rule: Rule, text: str) -> list[str]:
    """The matches of the rule's pattern in `text` in which its prefilter finds nothing."""
    prefilters = [re.compile(p, FLAGS) for p in rule.scan_patterns]
    return [
        found.group(0)
        for found in re.finditer(rule.pattern, text, FLAGS)
        if not any(p.search(found.group(0)) for p in prefilters)
    ]


def test_the_rules_that_matter_most_to_the_scan_have_prefilters() -> None:
    assert {"ssrf-url-host", "ssrf-internal-url", "cmdi-variable-run", "ldapi-filter-grammar"} <= {
        rule.id for rule in PREFILTERED
    }


@pytest.mark.parametrize("rule", PREFILTERED, ids=[rule.id for rule in PREFILTERED])
def test_a_prefilter_finds_every_match_in_the_test_sets(rule: Rule) -> None:
    missed = {text[:120]: unfound for text in SAMPLES if (unfound := _unfound(rule, text))}
    assert missed == {}


@pytest.mark.parametrize("rule", PREFILTERED, ids=[rule.id for rule in PREFILTERED])
def test_a_prefilter_finds_every_match_hypothesis_writes(rule: Rule) -> None:
    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.from_regex(re.compile(rule.pattern, FLAGS)))
    def check(text: str) -> None:
        assert _unfound(rule, text) == []

    check()


def test_a_loose_prefilter_is_caught() -> None:
    """The check can fail: a prefilter that demands more than the pattern does is refused."""
    rule = next(rule for rule in PREFILTERED if rule.id == "cmdi-variable-run")
    narrow = Rule(**{**vars(rule), "scan_patterns": (r";\s*\$\{[a-z_]",)})
    assert any(_unfound(narrow, text) for text in SAMPLES + list(rule.examples_match))
