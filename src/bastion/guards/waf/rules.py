"""WAF rules are data: YAML files in bastion/guards/waf/rules/, one per attack category.

    - id: sqli-100
      severity: critical            # critical 5, error 4, warning 3, notice 2 (anomaly points)
      paranoia: 1                   # active at this paranoia level and above
      description: ...
      pattern: '...'                # matched on the normalised value; Hyperscan's syntax (no lookaround);
                                    # a list of fragments is concatenated (long patterns over several lines)

      view: text                    # text | sql (comments removed) | path (separators normalised)
                                    # | shell (quotes and backslashes inside words removed)

      targets: [query, json, ...]   # kinds it applies to (default: values, not names nor plumbing headers)

      check: sqli                   # optional: a named technique check confirming the match
      examples:
        match: [...]                # values the rule must flag (checked by the test suite)
        clean: [...]                # values it must not flag

A rule's examples are run by tests/test_waf_rules.py for every rule, so a rule cannot be added
without showing what it catches and what it leaves alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from bastion.errors import StartupError

SEVERITY = {"critical": 5, "error": 4, "warning": 3, "notice": 2}
VIEWS = frozenset({"text", "sql", "path", "shell"})

VALUE_KINDS = frozenset(
    {"path", "query", "header", "cookie", "json", "form", "multipart", "filename", "xml", "xml_text", "raw"}
)
KEY_KINDS = frozenset({"query_key", "json_key", "json_path", "form_key"})
ALL_KINDS = VALUE_KINDS | KEY_KINDS | {"header_plumbing"}


class RuleError(StartupError):
    pass


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    severity: int
    paranoia: int
    description: str
    pattern: str
    view: str
    targets: frozenset[str]
    check: str | None
    examples_match: tuple[str, ...]
    examples_clean: tuple[str, ...]


def _pattern(value: Any) -> str:
    """A pattern is one string, or a list of fragments written on several lines and concatenated."""
    if isinstance(value, list):
        return "".join(str(fragment) for fragment in value)
    return str(value)


def _parse(entry: dict[str, Any], category: str, source: str) -> Rule:

    try:
        rule_id = str(entry["id"])
        severity = SEVERITY[entry.get("severity", "critical")]
        targets = entry.get("targets")
        kinds = frozenset(targets) if targets else VALUE_KINDS
        unknown = kinds - ALL_KINDS
        if unknown:
            raise RuleError(f"{source}: rule {rule_id}: unknown targets {sorted(unknown)}")
        view = entry.get("view", "text")
        if view not in VIEWS:
            raise RuleError(f"{source}: rule {rule_id}: unknown view {view!r}")
        examples = entry.get("examples") or {}
        return Rule(
            id=rule_id,
            category=category,
            severity=severity,
            paranoia=int(entry.get("paranoia", 1)),
            description=str(entry.get("description", "")),
            pattern=_pattern(entry["pattern"]),
            view=view,
            targets=kinds,
            check=entry.get("check"),
            examples_match=tuple(str(e) for e in examples.get("match") or ()),
            examples_clean=tuple(str(e) for e in examples.get("clean") or ()),
        )
    except KeyError as exc:
        raise RuleError(f"{source}: a rule lacks {exc}") from None


def load_rules() -> list[Rule]:
    rules: list[Rule] = []
    seen: set[str] = set()
    folder = resources.files("bastion.guards.waf") / "rules"
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".yaml"):
            continue
        category = item.name[: -len(".yaml")]
        entries = yaml.safe_load(item.read_text(encoding="utf-8")) or []
        for entry in entries:
            rule = _parse(entry, category, item.name)
            if rule.id in seen:
                raise RuleError(f"{item.name}: rule id {rule.id} is used twice")
            seen.add(rule.id)
            rules.append(rule)
    return rules
