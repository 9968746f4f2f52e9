"""Many regular expressions scanned over a buffer in one pass.

With the `hyperscan` wheel (Intel's multi-pattern engine) the cost of a scan grows little with the
number of patterns: 10 KB against dozens of patterns takes a few microseconds. Without it, each
pattern runs with Python's `re`, after a cheap literal prefilter when the pattern has a required
literal. Both backends answer the same question with the same patterns (Hyperscan's syntax is the
common subset: no lookaround, no backreferences), which tests/test_patterns.py checks.

Hyperscan reports where a match ends, not where it starts; callers that need the matched text
confirm it with Python's `re` on a window ending there (`PatternSet.confirm`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from bastion import hyperscan_db
from bastion.hyperscan_db import HYPERSCAN

if HYPERSCAN:
    import hyperscan

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Pattern:
    id: str
    regex: str
    caseless: bool = False
    single: bool = False  # reported once even in an every-match set (a marker, not a rule's match)


@dataclass(frozen=True, slots=True)
class Hit:
    id: str
    end: int  # offset just past the match


# Short buffers recur from request to request (a path, a query, a small response body): their answer
# is kept, since a Hyperscan call has a fixed cost of several microseconds in the request path (its
# database out of the CPU caches, the GIL let go and taken back; docs/performance.md). Bounded: the
# table is emptied when full, so a client sending only new values costs one lookup per scan.
_MEMO_BYTES = 256
_MEMO_ENTRIES = 512
_MISSING: Any = object()


def _remembered(table: dict[K, V], key: K, compute: Callable[[], V]) -> V:
    known = table.get(key, _MISSING)
    if known is _MISSING:
        if len(table) >= _MEMO_ENTRIES:
            table.clear()
        known = table[key] = compute()
    return cast(V, known)


class PatternSet:
    def __init__(self, patterns: Sequence[Pattern], *, force_python: bool = False, every_match: bool = False) -> None:
        """`every_match` reports each match (scan_all), not only the first of each pattern.

        While a database compiles in the background (hyperscan_db.py), Python's `re` answers."""
        self._memo: dict[bytes, tuple[Hit, ...]] = {}
        self._memo_all: dict[tuple[bytes, int], tuple[tuple[int, int], ...] | None] = {}
        self.patterns = list(patterns)
        self._by_index = dict(enumerate(self.patterns))
        self._db: Any = None
        self._python: list[tuple[Pattern, re.Pattern[bytes], bytes | None]] = []
        if not (HYPERSCAN and not force_python and self.patterns):
            self._python = self._python_matchers()
            return
        expressions, flags = _expressions(self.patterns, every_match)
        db = hyperscan_db.cached(expressions, flags)
        if db is None:
            self._python = self._python_matchers()
            if hyperscan_db.later(expressions, flags, self._use):
                return
            db = hyperscan_db.database(expressions, flags)
        self._use(db)

    def _python_matchers(self) -> list[tuple[Pattern, re.Pattern[bytes], bytes | None]]:
        return [
            (p, re.compile(p.regex.encode(), re.DOTALL | (re.IGNORECASE if p.caseless else 0)), _required_literal(p))
            for p in self.patterns
        ]

    def _use(self, db: Any) -> None:
        """Switch to the compiled database (maybe from the compiling thread: the scratch is in place
        before a scan can see the database)."""
        self._scratch = hyperscan.Scratch(db)
        self._db = db
        self._python = []

    @property
    def backend(self) -> str:
        return "hyperscan" if self._db is not None else "python"

    def scan(self, data: bytes) -> list[Hit]:
        """Every pattern that matches somewhere in `data`, once each, with where its first match ends."""
        if not data:
            return []
        if self._db is not None:
            if len(data) <= _MEMO_BYTES:

                def scan() -> tuple[Hit, ...]:
                    return tuple(self._scan_hyperscan(data))

                known: tuple[Hit, ...] = _remembered(self._memo, data, scan)
                return list(known)
            return self._scan_hyperscan(data)
        found = []
        lowered = data.lower() if any(p.caseless for p in self.patterns) else data
        for pattern, compiled, literal in self._python:
            if literal is not None and literal not in (lowered if pattern.caseless else data):
                continue
            match = compiled.search(data)
            if match is not None:
                found.append(Hit(pattern.id, match.end()))
        return found

    def _scan_hyperscan(self, data: bytes) -> list[Hit]:
        hits: list[Hit] = []
        by_index = self._by_index

        def on_match(index: int, start: int, end: int, flags: int, context: object) -> None:
            hits.append(Hit(by_index[index].id, end))

        try:
            self._db.scan(data, match_event_handler=on_match, scratch=self._scratch)
        except hyperscan.error:
            # A scratch space is bound to one thread at a time; another thread gets its own.
            self._db.scan(data, match_event_handler=on_match, scratch=hyperscan.Scratch(self._db))
        return hits

    def scan_all(self, data: bytes, limit: int = 4096) -> list[tuple[int, int]] | None:
        """(pattern index, end offset) of every match, or None past `limit` matches (Hyperscan only).

        Callers scan many values joined in one buffer and attribute each match to its value by offset.
        """
        if self._db is None:
            return None  # without Hyperscan the caller scans value by value
        if not data:
            return []
        if len(data) <= _MEMO_BYTES:

            def scan() -> tuple[tuple[int, int], ...] | None:
                found = self._scan_all_hyperscan(data, limit)
                return tuple(found) if found is not None else None

            known = _remembered(self._memo_all, (data, limit), scan)
            return list(known) if known is not None else None
        return self._scan_all_hyperscan(data, limit)

    def _scan_all_hyperscan(self, data: bytes, limit: int) -> list[tuple[int, int]] | None:
        hits: list[tuple[int, int]] = []

        def on_match(index: int, start: int, end: int, flags: int, context: object) -> bool | None:
            hits.append((index, end))
            return True if len(hits) > limit else None  # a true value stops the scan

        try:
            self._db.scan(data, match_event_handler=on_match, scratch=self._scratch)
        except hyperscan.error as exc:
            if "SCAN_TERMINATED" in str(exc) or len(hits) > limit:
                return None
            hits.clear()
            self._db.scan(data, match_event_handler=on_match, scratch=hyperscan.Scratch(self._db))
        return None if len(hits) > limit else hits


_META = set("\\^$.|?*+()[]{}")


def _required_literal(pattern: Pattern) -> bytes | None:
    """The longest run of plain characters the pattern starts with: it must occur in any match.

    Only a prefix before any metacharacter is taken, so the literal is required whatever the rest
    of the pattern does. If the pattern starts with a metacharacter there is no prefilter.
    """
    regex = pattern.regex
    if _has_top_level_alternation(regex):
        return None
    literal: list[str] = []
    for char in regex:
        if char in _META:
            if char in "?*{" and literal:
                literal.pop()  # the last character is optional or repeated: not required as such
            break
        literal.append(char)
    text = "".join(literal)
    if len(text) < 3:
        return None
    return (text.lower() if pattern.caseless else text).encode()


def _has_top_level_alternation(regex: str) -> bool:
    depth = 0
    in_class = False
    escaped = False
    for char in regex:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
    return False


def warm(patterns: Sequence[Pattern], *, every_match: bool = False) -> None:
    """Have the database of a set that is built later, on first need, ready to load in milliseconds
    (on disk, not in memory; see hyperscan_db.warm). Without Hyperscan there is nothing to do."""
    if HYPERSCAN and patterns:
        hyperscan_db.warm(*_expressions(patterns, every_match))


def _expressions(patterns: Sequence[Pattern], every_match: bool) -> tuple[tuple[bytes, ...], tuple[int, ...]]:
    flags = tuple(
        (hyperscan.HS_FLAG_SINGLEMATCH if p.single or not every_match else 0)
        | (hyperscan.HS_FLAG_CASELESS if p.caseless else 0)
        | hyperscan.HS_FLAG_DOTALL
        for p in patterns
    )
    return tuple(p.regex.encode() for p in patterns), flags
