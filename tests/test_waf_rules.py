"""Every WAF rule's own examples: each `match` example is flagged by that rule, no `clean` one is.

The rules are data (guards/waf/rule_files/*.yaml); these tests are what keeps a rule honest about what it
catches and what it leaves alone. They run on both matchers: Hyperscan and the pure-Python fallback
must give the same answers.
"""

from __future__ import annotations

import re

import pytest

from bastion.guards.waf.engine import WAFEngine
from bastion.guards.waf.inspected import Collector as TargetCollector
from bastion.guards.waf.inspected import Limits
from bastion.guards.waf.rules import Rule, RuleError, _parse, load_rules
from bastion.patterns import HYPERSCAN

RULES = load_rules()
PREFERRED_KINDS = ("query", "json", "filename", "path", "query_key", "header")


@pytest.fixture(scope="module", params=["hyperscan", "python"])
def engine(request: pytest.FixtureRequest) -> WAFEngine:
    if request.param == "hyperscan" and not HYPERSCAN:
        pytest.fail("the hyperscan wheel is a dependency: it should be installed")
    return WAFEngine(RULES, paranoia=3, force_python=request.param == "python")


def flagged_by(engine: WAFEngine, rule_id: str, kind: str, value: str) -> bool:
    collector = TargetCollector(Limits())
    collector.add("query" if kind.startswith("query") else "body", "x", kind, value)
    return any(match.rule.id == rule_id for match in engine.inspect(collector.finish()))


def kind_for(rule_targets: frozenset[str]) -> str:
    return next((kind for kind in PREFERRED_KINDS if kind in rule_targets), sorted(rule_targets)[0])


CASES = [
    pytest.param(rule.id, kind_for(rule.targets), example, expected, id=f"{rule.id}-{label}{index}")
    for rule in RULES
    for label, expected, examples in (("match", True, rule.examples_match), ("clean", False, rule.examples_clean))
    for index, example in enumerate(examples)
]


@pytest.mark.parametrize(("rule_id", "kind", "example", "expected"), CASES)
def test_rule_examples(engine: WAFEngine, rule_id: str, kind: str, example: str, expected: bool) -> None:
    assert flagged_by(engine, rule_id, kind, example) is expected


NAME_READING_CHECKS = frozenset({"rfi", "forwarding_header_url", "search_field"})


def test_every_rule_shows_what_it_catches() -> None:
    # checks that read the name a value came with show their catches in their own tests
    without = [rule.id for rule in RULES if not rule.examples_match and rule.check not in NAME_READING_CHECKS]
    assert without == []
    assert all(rule.examples_clean for rule in RULES), "each rule also shows what it leaves alone"


def test_rule_ids_are_unique_and_categories_are_file_names() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert {rule.category for rule in RULES} >= {"sqli", "xss", "cmdi", "traversal", "nosqli", "ldapi", "ssti"}


def test_a_malformed_rule_is_refused_with_its_file_and_id() -> None:
    with pytest.raises(RuleError, match=r"x\.yaml: rule r1: unknown targets"):
        _parse({"id": "r1", "pattern": "a", "targets": ["nowhere"]}, "x", "x.yaml")
    with pytest.raises(RuleError, match="unknown view"):
        _parse({"id": "r1", "pattern": "a", "view": "sideways"}, "x", "x.yaml")
    with pytest.raises(RuleError, match="lacks 'pattern'"):
        _parse({"id": "r1"}, "x", "x.yaml")
    with pytest.raises(RuleError, match="unknown word list"):
        _parse({"id": "r1", "pattern": "{list:nothing-here}"}, "x", "x.yaml")


def test_word_lists_split_over_several_scan_patterns() -> None:
    rule = next(rule for rule in RULES if rule.id == "php-function-call")
    assert len(rule.scan_patterns) > 1
    assert all(len(pattern) <= 8000 for pattern in rule.scan_patterns)
    # every word of the list is in the expression and in one of the scan patterns (written as tries)
    for word in ("array_diff", "preg_replace", "zlib_decode"):
        assert re.search(rule.pattern, f"/{word}(x)"), word
        assert sum(bool(re.search(pattern, f"/{word}(x)")) for pattern in rule.scan_patterns) >= 1, word


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_every_shipped_rule_expression_compiles(rule: Rule) -> None:
    """The engine compiles a rule's expression on first use: the shipped ones must all compile."""
    compiled = re.compile(rule.pattern, re.DOTALL)
    assert compiled.pattern == rule.pattern


def test_no_rule_expression_has_a_capital_letter_it_would_never_match() -> None:
    # The expressions read lower-cased text and are compiled without IGNORECASE (engine.py).
    escapes = re.compile(r"\\(?:[SWDBAZ]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|N\{[^}]*\})")
    for rule in load_rules():
        for pattern in (rule.pattern, *rule.scan_patterns):
            assert not re.search(r"[A-Z]", escapes.sub("", pattern)), (rule.id, pattern)
