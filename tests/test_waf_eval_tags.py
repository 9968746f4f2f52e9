"""bench/waf_eval.py --strict-tags: the tagging convention applied mechanically (issue 17, LOSO)."""

from __future__ import annotations

from typing import Any

from bench.waf_eval import sources_by_example

from bastion.guards.waf.rules import load_rules


def row(source: str, query: str, label: str = "attack") -> dict[str, Any]:
    return {"label": label, "source": f"{source}:file.txt", "path": "/", "query": query, "headers": {}, "body": None}


def test_a_rule_whose_example_is_a_row_of_one_or_two_sources_is_counted_as_written_from_them() -> None:
    rules = [rule for rule in load_rules() if rule.id == "shellshock-function-import"]
    example = next(e for e in rules[0].examples_match if len(e) >= 16)
    one = [row("alpha", "x=" + example), row("beta", "x=1"), row("gamma", example, label="benign")]
    assert sources_by_example(rules, one)[rules[0].id] == {*rules[0].sources, "alpha"}
    encoded = [row("alpha", "x=" + example.replace(" ", "+").replace(";", "%3B"))]
    assert "alpha" in sources_by_example(rules, encoded)[rules[0].id]  # read URL-decoded too
    textbook = [row(source, "x=" + example) for source in ("alpha", "beta", "gamma")]
    assert sources_by_example(rules, textbook)[rules[0].id] == set(rules[0].sources)  # in three: no evidence
