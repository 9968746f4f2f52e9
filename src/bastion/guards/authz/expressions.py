"""The `where` language of authorization rules, compiled once into plain Python closures.

    path.user_id == identity.sub
    body.owner_id == identity.sub or identity.tenant == "ops"
    query.account in identity.accounts and not header.x-impersonate == "yes"
    lookup.order_owner == identity.sub

A tiny recursive-descent parser (no eval, no regex backtracking on input: it only ever parses the
policy file) turns a condition into a predicate over a `Facts` object. References name where a value
comes from: the request (path, query, body, header, cookie) or the identity; `lookup.<name>` is an
ownership lookup resolved before the predicate runs. Values compare as strings when one side is a
string, so `path.user_id == identity.sub` holds for "42" and 42 alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bastion.errors import StartupError

SOURCES = frozenset({"path", "query", "body", "header", "cookie", "identity", "lookup", "args"})
_TOKEN = re.compile(
    r"""\s*(?:
        (?P<op>==|!=|\(|\)|\[|\]|,)
      | (?P<string>"[^"\\]*(?:\\.[^"\\]*)*"|'[^'\\]*(?:\\.[^'\\]*)*')
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?:\.[A-Za-z0-9_\-]+)*)
    )""",
    re.VERBOSE,
)
_MISSING = object()


class ExpressionError(StartupError):
    pass


class Facts:
    """What a condition may read about one request; lookups are filled in before evaluation."""

    __slots__ = ("args", "body", "cookies", "headers", "identity", "lookups", "path", "query")

    def __init__(  # noqa: PLR0913  the facts a condition reads: one per source it may name
        self,
        path: dict[str, str],
        query: dict[str, str],
        body: Any,
        headers: Any,
        cookies: dict[str, str],
        identity: Any,
        lookups: dict[str, Any] | None = None,
        args: dict[str, Any] | None = None,
    ) -> None:
        self.path = path
        self.query = query
        self.body = body
        self.headers = headers
        self.cookies = cookies
        self.identity = identity
        self.lookups = lookups or {}
        self.args = args or {}  # a GraphQL field's arguments (field rules)


Getter = Callable[[Facts], Any]
Predicate = Callable[[Facts], bool]


@dataclass(frozen=True)
class Condition:
    text: str
    predicate: Predicate
    lookups: frozenset[str]  # lookup names the condition reads
    sources: frozenset[str]  # request parts it reads (e.g. "body" makes the guard buffer bodies)
    references: frozenset[tuple[str, str]] = frozenset()  # (source, name) of each request value it reads

    def __call__(self, facts: Facts) -> bool:
        try:
            return self.predicate(facts)
        except (TypeError, ValueError, AttributeError):
            return False  # a condition that cannot be evaluated never grants


def compile_condition(text: str) -> Condition:
    tokens = _tokenize(text)
    parser = _Parser(tokens, text)
    predicate = parser.expression()
    if parser.position != len(tokens):
        raise ExpressionError(f"where {text!r}: unexpected {tokens[parser.position][1]!r}")
    return Condition(
        text, predicate, frozenset(parser.lookups), frozenset(parser.sources), frozenset(parser.references)
    )


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    stripped = text.rstrip()
    while position < len(stripped):
        match = _TOKEN.match(stripped, position)
        if match is None or match.end() == position:
            raise ExpressionError(f"where {text!r}: cannot read {stripped[position : position + 12]!r}")
        kind = match.lastgroup
        assert kind is not None
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], text: str) -> None:
        self.tokens = tokens
        self.text = text
        self.position = 0
        self.lookups: set[str] = set()
        self.sources: set[str] = set()
        self.references: set[tuple[str, str]] = set()

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExpressionError(f"where {self.text!r}: ends too early")
        self.position += 1
        return token

    def expect(self, value: str) -> None:
        token = self.take()
        if token[1] != value:
            raise ExpressionError(f"where {self.text!r}: expected {value!r}, found {token[1]!r}")

    def expression(self) -> Predicate:
        left = self.conjunction()
        while (token := self.peek()) and token == ("word", "or"):
            self.take()
            right = self.conjunction()
            left = _or(left, right)
        return left

    def conjunction(self) -> Predicate:
        left = self.negation()
        while (token := self.peek()) and token == ("word", "and"):
            self.take()
            right = self.negation()
            left = _and(left, right)
        return left

    def negation(self) -> Predicate:
        token = self.peek()
        if token == ("word", "not"):
            self.take()
            inner = self.negation()
            return lambda facts: not inner(facts)
        if token == ("op", "("):
            self.take()
            inner = self.expression()
            self.expect(")")
            return inner
        return self.comparison()

    def comparison(self) -> Predicate:
        left = self.operand()
        token = self.take()
        if token == ("op", "=="):
            right = self.operand()
            return lambda facts: _equal(left(facts), right(facts))
        if token == ("op", "!="):
            right = self.operand()
            return lambda facts: not _equal(left(facts), right(facts))
        if token == ("word", "in"):
            right = self.operand()
            return lambda facts: _contains(right(facts), left(facts))
        raise ExpressionError(f"where {self.text!r}: expected ==, != or in, found {token[1]!r}")

    def operand(self) -> Getter:
        kind, value = self.take()
        if kind == "string":
            literal = value[1:-1].encode().decode("unicode_escape")
            return lambda facts: literal
        if kind == "number":
            number = float(value) if "." in value else int(value)
            return lambda facts: number
        if kind == "op" and value == "[":
            items: list[Getter] = []
            while self.peek() != ("op", "]"):
                items.append(self.operand())
                if self.peek() == ("op", ","):
                    self.take()
            self.expect("]")
            return lambda facts: [item(facts) for item in items]
        if kind == "word":
            if value in ("true", "false"):
                flag = value == "true"
                return lambda facts: flag
            if value == "null":
                return lambda facts: None
            return self.reference(value)
        raise ExpressionError(f"where {self.text!r}: unexpected {value!r}")

    def reference(self, dotted: str) -> Getter:  # noqa: PLR0911  one getter per reference source, bound once when the rule compiles
        source, _, rest = dotted.partition(".")
        if source not in SOURCES or not rest:
            raise ExpressionError(
                f"where {self.text!r}: {dotted!r} is not path./query./body./header./cookie./identity./lookup./args."
            )
        self.sources.add(source)
        self.references.add((source, rest))
        if source == "path":
            return lambda facts: facts.path.get(rest)
        if source == "query":
            return lambda facts: facts.query.get(rest)
        if source == "header":
            name = rest.lower()
            return lambda facts: facts.headers.get(name)
        if source == "cookie":
            return lambda facts: facts.cookies.get(rest)
        if source == "args":
            return lambda facts: facts.args.get(rest)
        if source == "lookup":
            self.lookups.add(rest)
            return lambda facts: facts.lookups.get(rest)
        if source == "identity":
            return lambda facts: facts.identity.attribute(rest) if facts.identity is not None else None
        parts = rest.split(".")
        return lambda facts: _dig(facts.body, parts)


def compile_reference(dotted: str) -> Getter:
    """A getter for one reference (path.user_id, identity.sub, ...), validated like in conditions."""
    parser = _Parser([], dotted)
    return parser.reference(dotted)


def _dig(value: Any, parts: list[str]) -> Any:
    for part in parts:
        if isinstance(value, dict):
            value = value.get(part, _MISSING)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
        if value is _MISSING:
            return None
    return value


def _equal(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return False  # a missing value never matches anything, not even another missing value
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if isinstance(left, str) or isinstance(right, str):
        return str(left) == str(right)
    return bool(left == right)


def _contains(container: Any, item: Any) -> bool:
    if item is None or container is None:
        return False
    if isinstance(container, str):
        return str(item) in container.split()
    if isinstance(container, list | tuple | set | frozenset):
        return any(_equal(item, element) for element in container)
    return False


def _and(left: Predicate, right: Predicate) -> Predicate:
    return lambda facts: left(facts) and right(facts)


def _or(left: Predicate, right: Predicate) -> Predicate:
    return lambda facts: left(facts) or right(facts)
