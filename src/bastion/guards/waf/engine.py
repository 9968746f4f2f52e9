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
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from bastion.guards.waf.checks import CHECKS, Check
from bastion.guards.waf.inspected import Inspected, Target, Value
from bastion.guards.waf.markers import GLANCE_MARKERS
from bastion.guards.waf.rules import SEVERITY, Rule
from bastion.guards.waf.views import Variant
from bastion.patterns import Pattern, PatternSet, warm

_SEPARATOR = b"\x00"


@dataclass(frozen=True, slots=True)
class Match:
    rule: Rule
    target: Target
    score: int
    detail: str


# The most points one rule adds to its category: a critical rule's severity, which no check's score
# passes either (tests/test_waf_settled.py holds them to it).
MOST_POINTS = max(SEVERITY.values())


class Settled(Protocol):
    """What `WAFEngine.inspect` tells of its progress, to stop reading once the verdict is known
    (scoring.Scores)."""

    def add(self, match: Match, rule_index: int) -> bool:
        """Count a match of the rule at `rule_index` (rule order); True when some category is now refused."""
        ...

    def reached(self, pending: Iterable[tuple[int, Rule]]) -> bool:
        """Whether rules still to be read (rule index and rule; each adds at most MOST_POINTS to its
        category) could no longer change the category or the rule the refusal names."""
        ...


class _Expressions(dict[str, re.Pattern[str]]):
    """Rule expressions compiled on first use: most never run in a process's life (their prefilter
    never fires), and compiling all of them was most of the startup time. The shipped rules are
    compiled once by the test suite (tests/test_waf_rules.py).

    Without IGNORECASE: every text they read is lower-cased (decode.normalize, views.py), and
    Python's engine compares a caseless pattern letter by letter through case folding, without its
    literal and character-set fast scans: `cmdi-chained-command` took 9.3 ms on 30 KB of `;phpinfo `
    caseless, 1.6 ms not."""

    def __init__(self, sources: dict[str, str]) -> None:
        super().__init__()
        self._sources = sources

    def __missing__(self, rule_id: str) -> re.Pattern[str]:
        compiled = self[rule_id] = re.compile(self._sources[rule_id], re.DOTALL)
        return compiled


class WAFEngine:
    def __init__(self, rules: Iterable[Rule], paranoia: int, *, force_python: bool = False) -> None:
        """`force_python`: use the pure-Python matcher even where Hyperscan is installed (tests)."""
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
        # The same rules over a whole request at once, where a value may also start or end at a
        # JSON quote: a superset of what the value-by-value scan finds (see fastpath.py).
        glance = [
            Pattern(p.id, joined_buffer_form(rule_pattern, '[\\x00"]'), caseless=True)
            for p, rule_pattern in zip(scan, (q for r in self.rules for q in r.scan_patterns), strict=True)
        ]
        self._marker_names = [name for name, _ in GLANCE_MARKERS]
        markers = [Pattern(f"marker:{name}", regex, caseless=True, single=True) for name, regex in GLANCE_MARKERS]
        self._glance = PatternSet([*glance, *markers], every_match=True, force_python=force_python)
        self._glance_rules = len(glance)
        shell = [i for i, rule_index in enumerate(self._scan_rule) if self.rules[rule_index].view == "shell"]
        self._glance_shell = PatternSet([glance[i] for i in shell], every_match=True, force_python=force_python)
        self._glance_shell_rule = [self._scan_rule[i] for i in shell]
        self._scan = scan
        self._force_python = force_python
        # Built on first need, not with functools.cached_property: the compiled build (mypyc) would
        # build those again on every call.
        self._single: list[PatternSet] | None = None
        self._single_views: dict[str, PatternSet] | None = None
        if not force_python:
            for group in _single_groups(scan):  # `_single_patterns()` then loads them from the cache
                warm(group)
            for patterns in self._view_patterns().values():
                warm(patterns)
                warm(patterns, every_match=True)
        self._every_views: dict[str, tuple[PatternSet, list[int]] | None] = {}
        self._confirm = _Expressions({r.id: r.pattern for r in self.rules})
        self._checks: dict[str, Check | None] = {r.id: (CHECKS[r.check] if r.check else None) for r in self.rules}
        self._checked = [r.check is not None for r in self.rules]

    @property
    def backend(self) -> str:
        return self._glance.backend

    def _single_patterns(self) -> list[PatternSet]:
        """For a buffer with too many matches to attribute (floods of `../` or `<a `): one report per
        pattern and value, so the cost follows the number of values, not the number of matches; in
        the groups of _single_groups.

        Built on first need: their databases (about 5 MiB) are only in the memory of a worker that
        met such a flood, or that runs without Hyperscan."""
        if self._single is None:
            self._single = [PatternSet(group, force_python=self._force_python) for group in _single_groups(self._scan)]
        return self._single

    def _view_patterns(self) -> dict[str, list[Pattern]]:
        by_view: dict[str, list[Pattern]] = {}
        for index, pattern in enumerate(self._scan):
            view = self.rules[self._scan_rule[index]].view
            if view != "text":
                by_view.setdefault(view, []).append(pattern)
        return by_view

    def _single_view_patterns(self) -> dict[str, PatternSet]:
        """A view of a value (comment-free SQL, glued shell words, a lenient path, comment-free PHP)
        feeds only the rules written for that view, so only they scan it: every rule scanning
        every view read a 31 KB value five times over (6 ms for a JNDI flood). Built on first need."""
        if self._single_views is None:
            self._single_views = {
                view: PatternSet(patterns, force_python=self._force_python)
                for view, patterns in self._view_patterns().items()
            }
        return self._single_views

    def may_match(  # noqa: PLR0913  keyword-only: what the glance passes in and what it learns back
        self,
        sections: list[tuple[frozenset[str], str]],
        *,
        shell_view_only: bool = False,
        values: dict[int, list[Value]] | None = None,
        markers: set[str] | None = None,
        unsettled: set[int] | None = None,
        settled: set[tuple[int, int, int]] | None = None,
    ) -> bool:
        """Whether any rule could match in these sections of a request, each holding values of the
        given kinds separated by NUL (JSON bodies: whole); a cheap superset test, see
        glance.py. `shell_view_only`: the sections are shell views, read by the rules written for
        them. `values`: for some sections (by index), the plain values their text joins, in order: a
        hit there is settled on its value exactly as the value-by-value path would settle it.
        `markers`: receives the names of the glance markers (markers.py) seen in the same scan; only
        complete when the answer is False. `unsettled`: receives the sections without `values`
        where a rule hit; given, every hit is read (True with it empty: a held value matched, or
        too many hits to tell), so the caller can settle those sections value by value and ask again.
        `settled`: the (rule, section, value) hits found harmless, kept between two calls on sections
        that only gained values."""
        patterns, rule_of = (
            (self._glance_shell, self._glance_shell_rule) if shell_view_only else (self._glance, self._scan_rule)
        )
        # UTF-8, as the value-by-value scan reads a non-ASCII value (the glance only lets through
        # characters that read as themselves: plain_text.reads_as_itself); offsets are in bytes
        encoded = [text.encode("utf-8") for _, text in sections]
        starts: list[int] = []
        offset = 0
        for part in encoded:
            starts.append(offset)
            offset += len(part) + 1
        hits = patterns.scan_all(b"\x00".join(encoded), limit=64)
        if hits is None:
            return True
        if settled is None:
            settled = set()  # (rule, section, value): Hyperscan reports every match end
        for index, end in hits:
            if index >= self._glance_rules and not shell_view_only:
                if markers is not None:
                    markers.add(self._marker_names[index - self._glance_rules])
                continue
            section = bisect.bisect_right(starts, end - 1) - 1
            rule = self.rules[rule_of[index]]
            if rule.targets.isdisjoint(sections[section][0]):
                continue
            held = values.get(section) if values is not None and not shell_view_only else None
            if held is None:
                if unsettled is None:
                    return True
                unsettled.add(section)
                continue
            position = encoded[section].count(b"\x00", 0, max(0, end - 1 - starts[section]))
            if (rule_of[index], section, position) in settled:
                continue
            settled.add((rule_of[index], section, position))
            if self._plain_value_matches(rule, held[position]):
                if unsettled is not None:
                    unsettled.clear()
                return True
        return bool(unsettled)

    def _plain_value_matches(self, rule: Rule, value: Value) -> bool:
        """What `inspect` decides for this rule on a value with no view but its lower-cased text."""
        if value.kind not in rule.targets:
            return False
        text = value.raw.lower()
        if len(text) > 2 * _WINDOW:
            return True  # a long value is read in windows near each hit: left to the full path
        pattern = self._confirm[rule.id]
        if pattern.search(text) is None:
            return False
        check = self._checks[rule.id]
        if check is None:
            return True
        target = Target(value.location, value.kind, value.raw, text, "text", value.form, value.operand)
        return check(text, target, pattern)[0] > 0

    def inspect(self, inspected: Inspected, settled: Settled | None = None) -> list[Match]:
        """Every confirmed match, in rule order; with `settled`, only those read until the refusal,
        its category and its leading rule are known. Then the rules without a check are read first
        (their pattern is all they cost) and the checks after: 30 KB of `bob)(|(mail=*))` copies was
        refused by its first LDAP rule, then read for 5 ms more by rules that could only add
        points to the same refusal (6.6 -> 1.7 ms)."""
        candidates = self._candidates(inspected.texts, inspected.variants)
        confirmed: list[tuple[tuple[int, int], Match]] = []
        order = sorted(candidates) if settled is None else sorted(candidates, key=self._pattern_only_first)
        unread: Counter[int] | None = None  # from the first refusal on: rule index -> its candidates left
        for position, key in enumerate(order):
            rule_index, text_index = key
            if unread is not None:
                if settled is not None and settled.reached(self._unread_rules(unread)):
                    break
                unread[rule_index] -= 1
            match = self._confirmed(inspected, rule_index, text_index, candidates[key])
            if match is None:
                continue
            confirmed.append((key, match))
            if settled is not None and settled.add(match, rule_index) and unread is None:
                unread = Counter(later for later, _ in order[position + 1 :])
        if settled is not None:
            confirmed.sort(key=_first)  # rule order, as a full reading lists them
        return [match for _, match in confirmed]

    def _confirmed(
        self, inspected: Inspected, rule_index: int, text_index: int, seen: tuple[int, int | None]
    ) -> Match | None:
        """The rule's match in the text where the scan saw one (`seen`: the first and last match's
        end), confirmed by its pattern and then by its check, or None."""
        rule = self.rules[rule_index]
        if inspected.kind_of(text_index) not in rule.targets:
            return None
        if inspected.variants[text_index] not in ("text", rule.view):
            return None  # a comment-free or slash-normalised twin only feeds its own rules
        text = inspected.texts[text_index]
        end, last = seen
        # In a long value, confirm near where the scan saw the match: Python's regex engine
        # would otherwise try every position of the value, for every candidate rule. Every
        # match contains a scan hit, so none starts past the last hit (when the scan saw them
        # all): a loose prefilter's early hit in 30 KB of what the pattern never matches no
        # longer leads the confirmation to the value's end.
        start = max(0, end - _WINDOW) if len(text) > 2 * _WINDOW else 0
        stop = len(text) if last is None else min(len(text), last + _REACH)
        expression = self._confirm[rule.id]
        found = expression.search(text, start, stop)
        if found is not None and stop < len(text) and expression.match(text, found.start()) is None:
            found = expression.search(text, found.start())  # `$` or a look-ahead met the cut: read on
        if found is None:
            return None
        target = inspected.target(text_index)
        check = self._checks[rule.id]
        if check is None:
            return Match(rule, target, rule.severity, found.group(0)[:80])
        if start and rule.check in POSITION_INDEPENDENT:
            score, detail = _windows(check, expression, text, target, found)
        else:
            score, detail = check(text, target, expression)
        return Match(rule, target, score, detail) if score > 0 else None

    def _pattern_only_first(self, key: tuple[int, int]) -> tuple[bool, int, int]:
        return self._checked[key[0]], key[0], key[1]

    def _unread_rules(self, unread: Counter[int]) -> Iterable[tuple[int, Rule]]:
        return ((rule_index, self.rules[rule_index]) for rule_index, count in unread.items() if count)

    def _candidates(self, texts: list[str], variants: list[Variant]) -> dict[tuple[int, int], tuple[int, int | None]]:
        """(rule index, text index) -> where in the text (character offsets) the first match was
        seen, and the last (None when the scan reported only the first).

        The value's own texts are scanned by every rule, and each view (comment-free SQL, glued shell
        words, a lenient path, comment-free PHP) only by the rules written for it, the only ones
        `inspect` lets read it: a 30 KB value whose end has a view of its own was read three times
        over by all 172 patterns (8 ms of Hyperscan for a JNDI payload after `${name}` placeholders)."""
        if not texts:
            return {}
        ascii_only = all(text.isascii() for text in texts)
        parts = None if ascii_only else [text.encode("utf-8", "surrogatepass") for text in texts]
        groups: dict[Variant, list[int]] = {}
        for index, variant in enumerate(variants):
            groups.setdefault(variant, []).append(index)
        found: dict[tuple[int, int], tuple[int, int | None]] = {}
        for variant, indexes in groups.items():
            if variant == "text":
                # The glance database serves here too (one database, not two): its patterns also
                # match at a JSON quote, a superset of the NUL-bounded forms, and every candidate is
                # confirmed on its value by the rule's own pattern. Its markers are not rules.
                scanned = _every_match(self._glance, self._scan_rule, self._glance_rules, texts, parts, indexes)
            elif view := self._every_view(variant):
                scanned = _every_match(view[0], view[1], len(view[1]), texts, parts, indexes)
            else:
                continue  # no rule reads this view
            if scanned is None:  # too many matches to attribute, or no Hyperscan
                found = self._value_by_value(texts, variants, parts)
                break
            found.update(scanned)
        if parts is not None:
            for key, (first, last) in found.items():  # byte offsets to character offsets
                part = parts[key[1]]
                found[key] = (
                    len(part[:first].decode("utf-8", "ignore")),
                    None if last is None else len(part[:last].decode("utf-8", "ignore")),
                )
        return found

    def _every_view(self, view: str) -> tuple[PatternSet, list[int]] | None:
        """A view's rules, every match reported, and the rule of each pattern (`_candidates`); None
        when no rule reads the view. Each is loaded on its view's first need (0.2-1.2 MiB of
        database each, the PHP view's the largest), from the cache that start-up warmed."""
        if view not in self._every_views:
            patterns = self._view_patterns().get(view)
            self._every_views[view] = (
                (
                    PatternSet(patterns, every_match=True, force_python=self._force_python),
                    [self._rule_by_scan_id[pattern.id] for pattern in patterns],
                )
                if patterns
                else None
            )
        return self._every_views[view]

    def _value_by_value(
        self, texts: list[str], variants: list[Variant], parts: list[bytes] | None
    ) -> dict[tuple[int, int], tuple[int, int | None]]:
        """No Hyperscan, or too many matches to attribute: one report per pattern and value, each
        view read by its own rules only."""
        found: dict[tuple[int, int], tuple[int, int | None]] = {}
        for text_index, text in enumerate(texts):
            variant = variants[text_index]
            if variant == "text":
                groups = self._single_patterns()
            elif view := self._single_view_patterns().get(variant):
                groups = [view]
            else:
                continue  # no rule reads this view
            part = parts[text_index] if parts is not None else text.encode("ascii")
            for patterns in groups:
                for hit in patterns.scan(part):
                    key = (self._rule_by_scan_id[hit.id], text_index)
                    seen = found.get(key)
                    if seen is None or hit.end < seen[0]:  # a rule's first match, whichever group saw it
                        found[key] = (hit.end, None)
        return found


_BRACE_GROUPS, _OTHER_GROUPS = 4, 2


def _single_groups(scan: list[Pattern]) -> list[list[Pattern]]:
    """The patterns that read a literal brace in four databases, the others in two. In one
    database, a flood of `${` kept the partial matches of all 44 brace patterns (`${jndi:`,
    `${env:`, `${system(`, `#{`, `{{`...) alive in the same automata: 31 KB of `${env` copies
    scanned in 4.8 ms, in 2.7 ms so (the patterns one by one sum to 2.1 ms); the other floods scan
    as fast or faster. The others are in two because in one, the bundled Vectorscan lost
    `shell. jspx` after other values (tests/test_waf_hyperscan_parity.py); it lost it again in one of
    the two once the tenth unseen set's rules were in, and `upload-script-extension` now scans with a
    prefilter that it finds. It lost it a third time when an LDAP rule came in before it and moved
    every later pattern to the other group: the patterns of _ALONE_IN_FLOODS now have a database of
    their own, which no rule coming or going changes. bench/waf_pattern_cost.py finds the costly patterns."""
    alone = [pattern for pattern in scan if pattern.id.partition("#")[0] in _ALONE_IN_FLOODS]
    braces = [pattern for pattern in scan if "\\{" in pattern.regex and pattern not in alone]
    others = [pattern for pattern in scan if "\\{" not in pattern.regex and pattern not in alone]
    groups = [
        *(braces[i::_BRACE_GROUPS] for i in range(_BRACE_GROUPS)),
        *(others[i::_OTHER_GROUPS] for i in range(_OTHER_GROUPS)),
        alone,
    ]
    return [group for group in groups if group]


# Rules the bundled Vectorscan 5.4.12 lost matches of in a flood database, depending on which other
# patterns shared it (tests/test_waf_hyperscan_parity.py)
_ALONE_IN_FLOODS = frozenset({"upload-script-extension"})


def _every_match(  # noqa: PLR0913  one group of a request's texts and the database that reads it
    patterns: PatternSet,
    rule_of: list[int],
    rules: int,
    texts: list[str],
    parts: list[bytes] | None,
    indexes: list[int],
) -> dict[tuple[int, int], tuple[int, int | None]] | None:
    """(rule index, text index) -> the first and last match's byte offset in that text, for the
    texts at `indexes` joined by NUL and scanned at once; None past 256 matches or without
    Hyperscan. Patterns past `rules` (the glance's markers) are not rules."""
    pieces = [parts[i] if parts is not None else texts[i].encode("ascii") for i in indexes]
    hits = patterns.scan_all(_SEPARATOR.join(pieces), limit=256)
    if hits is None:
        return None
    starts: list[int] = []
    offset = 0
    for piece in pieces:
        starts.append(offset)
        offset += len(piece) + 1
    found: dict[tuple[int, int], tuple[int, int | None]] = {}
    for index, end in hits:
        if index >= rules:
            continue
        position = bisect.bisect_right(starts, end - 1) - 1
        key = (rule_of[index], indexes[position])
        offset = end - starts[position]
        seen = found.get(key)
        found[key] = (offset, offset) if seen is None else (seen[0], offset)
    return found


def _first(item: tuple[tuple[int, int], Match]) -> tuple[int, int]:
    return item[0]


# Checks that look for something anywhere in a value, and may read a long one in windows.
POSITION_INDEPENDENT = frozenset({"html_injection", "js_sink", "php_dynamic_call", "jndi", "hidden_segment"})
_WINDOW = 2048
_REACH = 4096  # how far past its last scan hit a match of a rule's pattern may end, at most
_OVERLAP = 256  # longer than any match of a position-independent rule's pattern


def _windows(
    check: Check, pattern: re.Pattern[str], text: str, target: Target, found: re.Match[str]
) -> tuple[int, str]:
    """A long value read by a position-independent check in windows that start at a match of the
    rule's pattern, from the first match to the last: no part of the value goes unread.

    A window runs from _OVERLAP characters before a match to 2 * _WINDOW after it; the next search
    starts _OVERLAP characters before this window's end, so a match cut by the edge is read whole in
    the next one. Windows tile the value: about len(text) / (2 * _WINDOW) of them, each read once.
    """
    match: re.Match[str] | None = found
    while match is not None:
        low, high = max(0, match.start() - _OVERLAP), match.start() + 2 * _WINDOW
        score, detail = check(text[low:high], target, pattern)
        if score > 0:
            return score, detail
        if high >= len(text):
            break
        match = pattern.search(text, max(match.end(), high - _OVERLAP))
    return 0, ""


def joined_buffer_form(pattern: str, boundary: str = "\\x00") -> str:
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
            out.append(f"(?:^|{boundary})")
        elif char == "$":
            out.append(f"(?:$|{boundary})")
        else:
            out.append(char)
    return "".join(out)
