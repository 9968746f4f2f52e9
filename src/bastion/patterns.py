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

import hashlib
import logging
import platform
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bastion import cache

log = logging.getLogger("bastion.patterns")

try:  # pragma: no cover - which branch runs depends on the platform
    import hyperscan

    HYPERSCAN = True
except ImportError:  # pragma: no cover
    HYPERSCAN = False


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


class PatternSet:
    def __init__(self, patterns: Sequence[Pattern], *, force_python: bool = False, every_match: bool = False) -> None:
        """`every_match` reports each match (scan_all), not only the first of each pattern."""
        self.patterns = list(patterns)
        self._by_index = dict(enumerate(self.patterns))
        self._db = None
        self._python: list[tuple[Pattern, re.Pattern[bytes], bytes | None]] = []
        if not (HYPERSCAN and not force_python and self.patterns):
            self._python = [
                (
                    p,
                    re.compile(p.regex.encode(), re.DOTALL | (re.IGNORECASE if p.caseless else 0)),
                    _required_literal(p),
                )
                for p in self.patterns
            ]
        else:
            self._db = _database(*_expressions(self.patterns, every_match))
            self._scratch = hyperscan.Scratch(self._db)

    @property
    def backend(self) -> str:
        return "hyperscan" if self._db is not None else "python"

    def scan(self, data: bytes) -> list[Hit]:
        """Every pattern that matches somewhere in `data`, once each, with where its first match ends."""
        if not data:
            return []
        if self._db is not None:
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
        found = []
        lowered = data.lower() if any(p.caseless for p in self.patterns) else data
        for pattern, compiled, literal in self._python:
            if literal is not None and literal not in (lowered if pattern.caseless else data):
                continue
            match = compiled.search(data)
            if match is not None:
                found.append(Hit(pattern.id, match.end()))
        return found

    def scan_all(self, data: bytes, limit: int = 4096) -> list[tuple[int, int]] | None:
        """(pattern index, end offset) of every match, or None past `limit` matches (Hyperscan only).

        Callers scan many values joined in one buffer and attribute each match to its value by offset.
        """
        if self._db is None:
            return None  # without Hyperscan the caller scans value by value
        if not data:
            return []
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


_DATABASES: dict[str, Any] = {}


def _database(expressions: tuple[bytes, ...], flags: tuple[int, ...]) -> Any:
    """A compiled Hyperscan database, from this process's memo or the on-disk cache when it can.

    Compiling a large rule set takes seconds; its serialized form loads in milliseconds. The cache
    key covers every expression, flag, the Hyperscan version and the machine, and a file that fails
    to load is simply recompiled.
    """
    key = _key(expressions, flags)
    if key in _DATABASES:
        return _DATABASES[key]
    path = cache.entry("hyperscan", key, "db")
    db = None
    if path is not None and path.is_file():
        try:
            db = hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
            cache.used(path)
        except (OSError, hyperscan.error, TypeError, ValueError):
            db = None
    if db is None:
        db = _compile(expressions, flags)
        if path is not None:
            cache.write(path, hyperscan.dumpb(db))
    _DATABASES[key] = db
    return db


def warm(patterns: Sequence[Pattern], *, every_match: bool = False) -> None:
    """Have the database of a set that is built later, on first need, ready to load in milliseconds.

    The database goes to the on-disk cache without staying in memory, so the first request that
    needs the set does not stall the event loop for the seconds a compile takes. With the cache
    turned off it is compiled now and kept in memory. Without Hyperscan there is nothing to do.
    """
    if not (HYPERSCAN and patterns):
        return
    expressions, flags = _expressions(patterns, every_match)
    key = _key(expressions, flags)
    path = cache.entry("hyperscan", key, "db")
    if key in _DATABASES or (path is not None and path.is_file()):
        return
    if path is None:
        _database(expressions, flags)
        return
    cache.write(path, hyperscan.dumpb(_compile(expressions, flags)))


def _expressions(patterns: Sequence[Pattern], every_match: bool) -> tuple[tuple[bytes, ...], tuple[int, ...]]:
    flags = tuple(
        (hyperscan.HS_FLAG_SINGLEMATCH if p.single or not every_match else 0)
        | (hyperscan.HS_FLAG_CASELESS if p.caseless else 0)
        | hyperscan.HS_FLAG_DOTALL
        for p in patterns
    )
    return tuple(p.regex.encode() for p in patterns), flags


def _key(expressions: tuple[bytes, ...], flags: tuple[int, ...]) -> str:
    digest = hashlib.sha256()
    digest.update(f"{getattr(hyperscan, '__version__', '?')}|{platform.machine()}|".encode())
    for expression, flag in zip(expressions, flags, strict=True):
        digest.update(b"%d\x00%s\x00" % (flag, expression))
    return digest.hexdigest()


def _compile(expressions: tuple[bytes, ...], flags: tuple[int, ...]) -> Any:
    db = hyperscan.Database()
    try:
        db.compile(
            expressions=list(expressions),
            ids=list(range(len(expressions))),
            elements=len(expressions),
            flags=list(flags),
        )
    except hyperscan.error as exc:
        raise ValueError(f"patterns do not compile for Hyperscan: {exc}") from None
    return db
