"""WAF rules are data: YAML files in bastion/guards/waf/rule_files/, one per attack category.

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
      source: [coreruleset]         # corpus sources whose rows the rule was written from (a leave-
                                    # one-source-out evaluation leaves it out of those sources' folds)
      examples:
        match: [...]                # values the rule must flag (checked by the test suite)
        clean: [...]                # values it must not flag

A rule's examples are run by tests/test_waf_rules.py for every rule, so a rule cannot be added
without showing what it catches and what it leaves alone.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from bastion.errors import StartupError

SEVERITY = {"critical": 5, "error": 4, "warning": 3, "notice": 2}
VIEWS = frozenset({"text", "sql", "path", "shell", "php"})

VALUE_KINDS = frozenset(
    {"path", "query", "header", "cookie", "json", "form", "multipart", "filename", "xml", "xml_text", "raw"}
)
KEY_KINDS = frozenset({"query_key", "json_key", "json_path", "form_key"})
ALL_KINDS = VALUE_KINDS | KEY_KINDS | {"header_plumbing"}
# What a rule reads when it names no targets: values and names alike (a JSON key or a query
# parameter's name reaches the application as surely as a value does).
DEFAULT_KINDS = VALUE_KINDS | KEY_KINDS


# A rule that reads values somewhere reads the names there too: a JSON key, a query parameter's or
# a form field's name reaches the application as surely as its value.
_NAMES_OF = {"json": "json_key", "query": "query_key", "form": "form_key", "multipart": "form_key"}


def with_names(kinds: frozenset[str]) -> frozenset[str]:
    return kinds | {_NAMES_OF[kind] for kind in kinds if kind in _NAMES_OF}


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
    scan_patterns: tuple[str, ...]  # what stands for `pattern` in the multi-pattern scan
    view: str

    targets: frozenset[str]
    check: str | None
    sources: frozenset[str]  # corpus sources the rule was written from (see bench/waf_eval.py --loso)
    examples_match: tuple[str, ...]
    examples_clean: tuple[str, ...]


_LIST = re.compile(r"\{list:([a-z0-9-]+)\}")


_SCAN_PATTERN_LIMIT = 8000  # Hyperscan refuses one pattern longer than about 16,000 characters


def _patterns(value: Any, source: str) -> tuple[str, tuple[str, ...]]:
    """The rule's pattern, and the one or more patterns that stand for it in the Hyperscan scan.

    A pattern is one string, or a list of fragments written on several lines and concatenated.
    `{list:NAME}` stands for the alternation of the words in data/NAME.txt (one per line, `#`
    comments): language facts such as PHP's function names, kept as data rather than in a regex.
    A long list is split over several scan patterns, each with a slice of the words.
    """
    template = "".join(str(fragment) for fragment in value) if isinstance(value, list) else str(value)
    full = _LIST.sub(lambda m: _alternation(_words(m.group(1), source)), template)
    if len(full) <= _SCAN_PATTERN_LIMIT:
        return full, (full,)
    lists = _LIST.findall(template)
    if len(lists) != 1:
        raise RuleError(f"{source}: a pattern over {_SCAN_PATTERN_LIMIT} characters may use one long word list")
    words = _words(lists[0], source)
    chunks: list[str] = []
    chunk: list[str] = []
    size = len(template)
    for word in words:
        if chunk and size + len(word) + 1 > _SCAN_PATTERN_LIMIT:
            chunks.append(_LIST.sub(lambda m, c=tuple(chunk): _alternation(c), template))  # type: ignore[misc]
            chunk, size = [], len(template)
        chunk.append(word)
        size += len(re.escape(word)) + 1
    chunks.append(_LIST.sub(lambda m, c=tuple(chunk): _alternation(c), template))  # type: ignore[misc]
    return full, tuple(chunks)


@functools.cache
def word_list(name: str) -> tuple[str, ...]:
    path = resources.files("bastion.guards.waf") / "data" / f"{name}.txt"
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.append(word.lower())
    return tuple(words)


def _words(name: str, source: str) -> tuple[str, ...]:
    try:
        return word_list(name)
    except FileNotFoundError:
        raise RuleError(f"{source}: unknown word list {name!r}") from None


@functools.cache
def _alternation(words: tuple[str, ...]) -> str:
    """The words as one alternation, written as a trie (`p(?:open|roc_open|assthru)`): Python's
    engine then rules a position out on its first character, where a flat list of 2,400 PHP
    function names had it try each name in turn (2 ms -> 0.06 ms for 2 KB of `/pg_con `; Hyperscan
    reads both forms alike). Under a shared prefix the longer words come first and a word that is a
    prefix of others last: the same order of attempts as the flat list sorted longest first."""
    return "(?:" + _trie(sorted(set(words)), 0) + ")"


def _trie(words: list[str], depth: int) -> str:
    """The alternation of `words` (sorted, distinct, sharing their first `depth` characters) after
    that shared part."""
    branches: list[str] = []
    ends_here = False
    for character, grouped in itertools.groupby(words, key=lambda word: word[depth : depth + 1]):
        group = list(grouped)
        if not character:
            ends_here = True  # the shared part is a word of its own: tried after every longer one
        elif len(group) == 1:
            branches.append(re.escape(group[0][depth:]))
        else:
            shared = _shared_length(group[0], group[-1])  # sorted: the first and the last bound the rest
            branches.append(re.escape(group[0][depth:shared]) + "(?:" + _trie(group, shared) + ")")
    if ends_here:
        branches.append("")
    return "|".join(branches)


def _shared_length(first: str, last: str) -> int:
    for index, (a, b) in enumerate(zip(first, last, strict=False)):
        if a != b:
            return index
    return min(len(first), len(last))


def _parse(entry: dict[str, Any], category: str, source: str) -> Rule:

    try:
        rule_id = str(entry["id"])
        severity = SEVERITY[entry.get("severity", "critical")]
        targets = entry.get("targets")
        kinds = with_names(frozenset(targets)) if targets else DEFAULT_KINDS
        unknown = kinds - ALL_KINDS
        if unknown:
            raise RuleError(f"{source}: rule {rule_id}: unknown targets {sorted(unknown)}")
        view = entry.get("view", "text")
        if view not in VIEWS:
            raise RuleError(f"{source}: rule {rule_id}: unknown view {view!r}")
        examples = entry.get("examples") or {}
        pattern, scan_patterns = _patterns(entry["pattern"], source)
        if "prefilter" in entry:
            # A cheaper expression implied by the pattern stands for it in the scan (a superset:
            # every match of the pattern contains one of it, tests/test_waf_prefilters.py), so
            # Hyperscan can start from a literal; each hit is still confirmed by the pattern itself.
            _, scan_patterns = _patterns(entry["prefilter"], source)
        return Rule(
            id=rule_id,
            category=category,
            severity=severity,
            paranoia=int(entry.get("paranoia", 1)),
            description=str(entry.get("description", "")),
            pattern=pattern,
            scan_patterns=scan_patterns,
            view=view,
            targets=kinds,
            check=entry.get("check"),
            sources=frozenset(str(s) for s in entry.get("source") or ()),
            examples_match=tuple(str(e) for e in examples.get("match") or ()),
            examples_clean=tuple(str(e) for e in examples.get("clean") or ()),
        )
    except KeyError as exc:
        raise RuleError(f"{source}: a rule lacks {exc}") from None


# libyaml's safe loader when PyYAML was built with it: the rule files parse ten times faster
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_rules() -> list[Rule]:
    rules: list[Rule] = []
    seen: set[str] = set()
    folder = resources.files("bastion.guards.waf") / "rule_files"
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".yaml"):
            continue
        category = item.name[: -len(".yaml")]
        entries = yaml.load(item.read_text(encoding="utf-8"), Loader=_LOADER) or []  # noqa: S506  a safe loader
        for entry in entries:
            rule = _parse(entry, category, item.name)
            if rule.id in seen:
                raise RuleError(f"{item.name}: rule id {rule.id} is used twice")
            seen.add(rule.id)
            rules.append(rule)
    return rules
