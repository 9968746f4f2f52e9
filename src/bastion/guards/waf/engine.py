"""Rules compiled once into one multi-pattern scan; matches confirmed, scored per category.

All inspected values of a request are joined (NUL-separated) into one buffer and scanned once by
Hyperscan; each match is attributed to its value by offset, then confirmed with Python's `re` on that
value alone (so no match can straddle two values, and Hyperscan's missing start offsets do not
matter), then by the rule's technique check when it has one. Without Hyperscan, or when a buffer
produces too many matches to attribute, each value is scanned on its own: slower, same answers.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bastion.guards.waf.checks import CHECKS, Check
from bastion.guards.waf.rules import Rule
from bastion.guards.waf.targets import Target
from bastion.patterns import Pattern, PatternSet

_SEPARATOR = b"\x00"


@dataclass(frozen=True, slots=True)
class Match:
    rule: Rule
    target: Target
    score: int
    detail: str


class WAFEngine:
    def __init__(self, rules: Iterable[Rule], paranoia: int) -> None:
        self.rules = [r for r in rules if r.paranoia <= paranoia]
        for rule in self.rules:
            if rule.check is not None and rule.check not in CHECKS:
                raise ValueError(f"rule {rule.id}: unknown check {rule.check!r}")
        self._scan_rule: list[int] = []  # scan pattern index -> rule index
        scan: list[Pattern] = []
        for index, rule in enumerate(self.rules):
            for part, pattern in enumerate(rule.scan_patterns):
                scan.append(Pattern(f"{rule.id}#{part}", joined_buffer_form(pattern), caseless=True))
                self._scan_rule.append(index)
        self._rule_by_scan_id = {pattern.id: self._scan_rule[i] for i, pattern in enumerate(scan)}
        self._patterns = PatternSet(scan, every_match=True)
        self._confirm = {r.id: re.compile(r.pattern, re.IGNORECASE | re.DOTALL) for r in self.rules}
        self._checks: dict[str, Check | None] = {r.id: (CHECKS[r.check] if r.check else None) for r in self.rules}

    @property
    def backend(self) -> str:
        return self._patterns.backend

    def inspect(self, targets: list[Target]) -> list[Match]:
        candidates = self._candidates(targets)
        matches: list[Match] = []
        for rule_index, target_index in sorted(candidates):
            rule = self.rules[rule_index]
            target = targets[target_index]
            if not _applies(rule, target):
                continue
            found = self._confirm[rule.id].search(target.text)
            if found is None:
                continue
            check = self._checks[rule.id]
            if check is None:
                matches.append(Match(rule, target, rule.severity, found.group(0)[:80]))
                continue
            score, detail = check(target.text, target, self._confirm[rule.id])
            if score > 0:
                matches.append(Match(rule, target, score, detail))
        return matches

    def _candidates(self, targets: list[Target]) -> set[tuple[int, int]]:
        if not targets:
            return set()
        parts = [t.text.encode("utf-8", "surrogatepass") for t in targets]
        starts: list[int] = []
        offset = 0
        for part in parts:
            starts.append(offset)
            offset += len(part) + 1
        hits = self._patterns.scan_all(_SEPARATOR.join(parts))
        rule_of = self._scan_rule
        if hits is not None:
            return {(rule_of[index], bisect.bisect_right(starts, end - 1) - 1) for index, end in hits}
        # No Hyperscan, or too many matches to attribute: value by value.
        found: set[tuple[int, int]] = set()
        for target_index, part in enumerate(parts):
            for hit in self._patterns.scan(part):
                found.add((self._rule_by_scan_id[hit.id], target_index))

        return found


def joined_buffer_form(pattern: str) -> str:
    """Anchors for a buffer of NUL-separated values: `^` and `$` also match at a separator.

    Hyperscan's `^` and `$` only see the ends of the whole buffer; a value in the middle of the
    joined buffer starts right after a NUL and ends right before one. The confirmation that follows
    runs the original pattern on the value alone.
    """
    out: list[str] = []
    escaped = in_class = False
    for index, char in enumerate(pattern):
        if escaped:
            escaped = False
            out.append(char)
        elif char == "\\":
            escaped = True
            out.append(char)
        elif in_class:
            in_class = char != "]" or pattern[index - 1] == "["
            out.append(char)
        elif char == "[":
            in_class = True
            out.append(char)
        elif char == "^":
            out.append("(?:^|\\x00)")
        elif char == "$":
            out.append("(?:$|\\x00)")
        else:
            out.append(char)
    return "".join(out)


def _applies(rule: Rule, target: Target) -> bool:

    if target.kind not in rule.targets:
        return False
    if target.variant == "text":
        return True
    return rule.view == target.variant  # a comment-free or slash-normalised twin only feeds its own rules
