"""Whether a statement keyword in a long value can open the shape it is read for (checks/sqli.py).

The SQL check reads every UNION, `; statement` and `(select` of a value as tokens from the token
before it, wherever it stands, so that no part of a value goes unread. A reading costs a dozen
tokens of Python; a value of decoys (`1; drop b1 `, `union b2 `, `f(select 3` ... over 30 KB) made
thousands of them. Each keyword is first tested here on the characters around it, with what a
reading would need for its own shape to match:

    union ... select    only keywords and parentheses between (`union all (select`)
    x; statement        x a number, a string, `)`, true/false/null; a statement that names what it
                        changes names it next (`drop table`, `delete from`)
    x (select           x `=`, `<`, `!`, `&&`, `||`, and/or/not, a comparison word, a keyword, union
    1; union            a stacked union, whatever follows it (or a union as above)

A test may say yes where the reading then finds nothing (it only looks at characters), never no
where the reading would find the shape: each errs towards reading.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bastion.guards.waf.checks.sql_tokens import ARITHMETIC, COMPARISONS, KEYWORDS, LOGIC, UNARY

# Words a reading gives the letter `k` (keywords that are not operators, literals, UNION or SELECT).
_PLAIN_KEYWORDS = KEYWORDS - LOGIC - UNARY - ARITHMETIC - COMPARISONS - {"union", "select", "true", "false", "null"}
_KEYWORD_ALTERNATIVES = "|".join(sorted(_PLAIN_KEYWORDS, key=len, reverse=True))
# Up to eleven keywords, parentheses, casts, ODBC braces or punctuation, then SELECT (SELECTCHAR( too).
_UNION_SELECT = re.compile(
    r"(?:\s?(?:\(|(?:" + _KEYWORD_ALTERNATIVES + r")(?![\w$])|(?:::|\{)\s*[a-z_]\w*|[^\w\s'\"`]+)){0,11}\s?select"
)
# What a stacked statement's keyword is followed by (None: the keyword alone is a statement).
STATEMENT_OBJECTS: dict[str, frozenset[str] | None] = {
    "drop": frozenset({"table", "database", "schema", "view", "index", "user", "procedure", "function", "trigger"}),
    "create": frozenset({"table", "database", "schema", "view", "user", "login", "procedure", "function", "trigger"}),
    "alter": frozenset({"table", "database", "user", "login", "view"}),
    "truncate": frozenset({"table"}),
    "delete": frozenset({"from"}),
    "insert": frozenset({"into"}),
    "grant": frozenset({"all", "select", "insert", "update", "delete", "execute"}),
    "exec": None,
    "execute": None,
    "declare": None,
    "shutdown": None,
    "waitfor": None,
    "select": None,
}
# Statements that name their object next; update, whose SET comes later, is always read.
_OBJECTS = {keyword: objects for keyword, objects in STATEMENT_OBJECTS.items() if objects is not None}
_OBJECT_WORDS = "|".join(sorted(frozenset().union(*_OBJECTS.values()), key=len, reverse=True))
# The keywords the SQL check reads statements at. Before a `;`, what a literal can end with
# (_literal_before's characters and words); after a statement that names its object, a word of
# those objects or no word: a search over a value of `a; drop b1 a; drop b2 ...` stops at none.
_STATEMENT_KEYWORD = re.compile(
    r"\bunion\b"
    r"|(?:[\d'\"`).}\]]|true|false|null|precision|0x[\w$]*|(?:::|\{)\s*[\w$]+)\s?(?P<semicolon>;)\s*(?P<statement>"
    r"(?:select|exec|execute|declare|shutdown|waitfor|update|union)\b"
    r"|(?:drop|create|alter|truncate|delete|insert|grant)\b(?=\s?+(?![a-z_$])|\s(?:" + _OBJECT_WORDS + r")\b))"
    r"|\(\s*select\b"
)
# What every match of the expression above contains. Each branch opens with a literal, so a search
# skips from `u` to `;` to `(`: a value without a statement keyword costs 0.1 ms per 30 KB, not 1.6.
_ANY_STATEMENT_KEYWORD = re.compile(
    r"union|;\s*(?:select|exec|execute|declare|shutdown|waitfor|update|union|drop|create|alter|truncate|delete"
    r"|insert|grant)|\(\s*select"
)
_WORD_AT = re.compile(r"\s?([a-z_][\w$]*)")
_WORD_BEFORE = re.compile(r"[\w$]+$")
_OPERATOR_CHARACTERS = frozenset("=<>!&|")
# and UNION: `union (select` is the union's shape, read here too when a comment cut the union's reading
_BEFORE_A_SUBSELECT = LOGIC | UNARY | COMPARISONS | _PLAIN_KEYWORDS | {"is", "union"}
_LITERAL_ENDINGS = ("true", "false", "null")


def statement_keywords(text: str) -> Iterator[tuple[int, re.Match[str]]]:
    """Each UNION, `; statement` and `(select` of `text` that its shape may follow, and where its
    keyword stands (the `;` of a stacked statement)."""
    first = _ANY_STATEMENT_KEYWORD.search(text)
    if first is None:
        return
    # A match opens at most two words before its keyword (`'1':: int; drop`)
    start = text.rfind(" ", 0, max(0, text.rfind(" ", 0, first.start()))) + 1
    for found in _STATEMENT_KEYWORD.finditer(text, start):
        yield (found.start("semicolon") if found.group("semicolon") else found.start()), found


def may_open_statement(text: str, keyword: re.Match[str], position: int, start: int) -> bool:
    """Whether the reading from `start` (the token before `keyword`, a match of statement_keywords
    in comment-free, single-spaced text, at `position`) can find the shape that keyword opens."""
    if keyword.group("semicolon"):
        if keyword.group("statement") == "union" and _UNION_SELECT.match(text, keyword.end()) is not None:
            return True  # `x; union select`: the union's own shape, in this reading
        return _literal_before(text, position, start) and _names_its_object(text, keyword)
    if keyword.group(0).startswith("union"):
        return _UNION_SELECT.match(text, keyword.end()) is not None
    return _operator_before(text, position, start)


def _token_end_before(text: str, index: int) -> int:
    """Where the token before `index` ends: one space back at most (the text is single-spaced)."""
    return index - 1 if index > 0 and text[index - 1] == " " else index


def _literal_before(text: str, index: int, start: int) -> bool:
    """A number, a string, `)` or a literal word could end right before `index` (the reading
    starts at `start`, perhaps inside a long word, whose tail it then reads as a token)."""
    end = _token_end_before(text, index)
    if end <= start:
        return False
    last = text[end - 1]
    if last.isdigit() or last in "'\"`).}]":
        return True
    word = _WORD_BEFORE.search(text, start, end)
    if word is None:
        return False
    name = word.group(0)
    return "0x" in name or name.endswith(_LITERAL_ENDINGS) or name == "precision" or _skipped(text, word.start(), start)


def _skipped(text: str, index: int, start: int) -> bool:
    """A word the reading takes as space: a cast's type (`'1'::int`), an ODBC escape (`{fn `)."""
    before = text[max(start, index - 3) : index]
    return "::" in before or "{" in before


def _names_its_object(text: str, keyword: re.Match[str]) -> bool:
    objects = _OBJECTS.get(keyword.group("statement"))
    if objects is None:
        return True  # select, exec, waitfor ... are statements alone; update is read
    word = _WORD_AT.match(text, keyword.end("statement"))
    if word is None:
        return True  # not a word next (a cast, a brace): read it
    return word.group(1) in objects


def _operator_before(text: str, index: int, start: int) -> bool:
    """An operator or a keyword could come right before the parentheses that open at `index`."""
    end = index
    while end > start and text[end - 1] in "( ":
        end -= 1
    if end <= start:
        return False
    if text[end - 1] in _OPERATOR_CHARACTERS:
        return True
    word = _WORD_BEFORE.search(text, start, end)
    if word is None:
        return False
    if _skipped(text, word.start(), start):
        return True
    inside = word.start() == start and start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_$")
    if inside:  # the reading starts inside the word and reads its tail
        return any(word.group(0).endswith(other) for other in _BEFORE_A_SUBSELECT)
    return word.group(0) in _BEFORE_A_SUBSELECT
