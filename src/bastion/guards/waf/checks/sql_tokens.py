"""A value read as SQL tokens, one letter each: what the SQL injection check (checks/sqli.py) judges.

That check reads a value as the continuation of a statement, so the reading has to be the database's:
where a literal ends (a doubled quote is an escaped one), where a comment cuts the rest off, which
words are keywords, operators or calls. Each token becomes one letter of a fingerprint:

    s string  n number  k keyword  U union  S select  & and/or/xor  ! not  o operator  = comparison
    f function call  v @variable  b bare word  ( ) , ;  c comment  ? anything else

PostgreSQL's casts (`'1'::int`, `x::double precision`) and the JSON accessors of PostgreSQL, MySQL and
SQLite (`data->>'role'`, `doc->'$.a'`, `tags->0`) are read as part of their operand. An ODBC escape's
opening (`{fn `, `{d `, and MySQL's `{anything expr}`, which evaluates expr) and its `}` are read as spaces:
`1 or {x length(...)>0}` is `1 or length(...)>0`. PostgreSQL's containment operators compare like `=`:
`' or '{"a":1}'::jsonb @> '{"a":1}'::jsonb--` is a tautology as `' or 'a'='a'--` is.
"""

from __future__ import annotations

import re

KEYWORDS = frozenset(
    [
        "select",
        "insert",
        "update",
        "delete",
        "drop",
        "from",
        "where",
        "having",
        "group",
        "order",
        "by",
        "limit",
        "offset",
        "into",
        "values",
        "set",
        "table",
        "exec",
        "execute",
        "declare",
        "create",
        "alter",
        "truncate",
        "join",
        "case",
        "when",
        "then",
        "else",
        "end",
        "null",
        "is",
        "not",
        "like",
        "rlike",
        "regexp",
        "between",
        "in",
        "exists",
        "all",
        "any",
        "distinct",
        "waitfor",
        "delay",
        "shutdown",
        "procedure",
        "outfile",
        "dumpfile",
        "load_file",
        "as",
        "on",
        "grant",
        "revoke",
        "union",
        "sounds",
        "collate",
        "escape",
        "top",
        "cast",
        "convert",
    ]
)
LOGIC = frozenset({"and", "or", "xor"})
ARITHMETIC = frozenset({"div", "mod"})
# Prefixes that leave their operand's shape alone: `not 1=2`, `!(1=2)`, MySQL's `binary 'a'='a'`.
UNARY = frozenset({"not", "!", "binary"})
# Comparison operators spelled as words: `x LIKE '%a%'`, `1 IN (SELECT ...)`, `a GLOB b` compare like `=`.
COMPARISONS = frozenset({"like", "rlike", "regexp", "glob", "sounds", "between", "in"})
_TOKEN = re.compile(
    r"""
    (?P<space>\s+|::\s*[a-z_]\w*(?:\s+precision)?(?:\[\])?|(?:->|\#>)>?\s*(?:'[^']{0,64}'|\d{1,9})|\{\s*[a-z_]\w*\s|\}|\d+\.e(?=[(),]))
  | (?P<comment>--(?:\s|$|-)|\#|/\*|;\s*--)
  | (?P<string>'(?:[^'\\]|\\.|'')*'?|"(?:[^"\\]|\\.|"")*"?|`[^`]*`?
                # PostgreSQL's dollar quoting: $$text$$, $tag$text$tag$
                |\$\$.*?(?:\$\$|$)|\$(?P<tag>[a-z_]\w{0,15})\$.*?(?:\$(?P=tag)\$|$))
  | (?P<number>0x[0-9a-f]+|\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+)
  | (?P<variable>@@?[a-z_][\w.$]*)
  | (?P<word>[a-z_][\w$]*)
  | (?P<cmp><=>|<>|!=|>=|<=|@>|<@|=|<|>)  # and PostgreSQL's containment, `@>` and `<@` (jsonb, arrays, ranges)
  | (?P<logic>\|\||&&)
  | (?P<op>[-+*/%^~|&!])
  | (?P<open>\()
  | (?P<close>\))
  | (?P<comma>,)
  | (?P<semicolon>;)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_MAX_TOKENS = 24

_UNION = frozenset({"union"})
_SELECT = frozenset({"select"})
_LITERAL_WORDS = frozenset({"true", "false", "null"})

_PAREN_AHEAD = re.compile(r"\s*\(")
_NULL_TEST = frozenset({"is"})
_CONCATENATION = frozenset({"||"})
_IS_LITERAL = re.compile(r"\s+(?:not\s+)?(?:null|true|false|unknown)\b")
_LETTERS = {
    "string": "s",
    "number": "n",
    "variable": "v",
    "cmp": "=",
    "logic": "&",
    "op": "o",
    "open": "(",
    "close": ")",
    "comma": ",",
    "semicolon": ";",
    "other": "?",
}


def fingerprint(text: str, start: int = 0, limit: int = _MAX_TOKENS, closing: str = "") -> tuple[str, list[str]]:
    """Token letters and token values of `text` from `start` (at most `limit` tokens). Reads in
    place, never copying the rest of the value, so it costs the same anywhere in a long value.

    `closing`: the quote of the literal the value broke out of. The application's own closing quote
    ends an unterminated string of that quote; one of another quote stays open, which no statement
    survives (`fix ' and " in CSV export`), so it reads as `?`."""
    letters, values, _ = read_tokens(text, start, limit, closing)
    return letters, values


# How far past its last token a reading looks, in text whose whitespace runs are single spaces
# (sql_view's): `is not unknown` and a `(` after a name are the longest looks ahead.
LOOK_AHEAD = 16


def read_tokens(text: str, start: int, limit: int, closing: str = "") -> tuple[str, list[str], int]:
    """fingerprint's letters and values, and where in `text` the reading ended: nothing at or past
    that index (a comment's value runs 256 characters, every token may look LOOK_AHEAD further)
    changed what it read."""
    letters: list[str] = []
    values: list[str] = []
    reach = start
    for match in _TOKEN.finditer(text, start):
        reach = match.end()
        kind = match.lastgroup
        if kind == "space":
            continue
        token = match.group(0)
        if kind == "comment":
            letters.append("c")
            values.append(text[match.start() : match.start() + 256])
            reach = max(reach, match.start() + 256)
            break  # the rest of the statement is commented out
        if kind == "word":
            letter = _word_letter(token, text, match.end())
            if letter == "Sf":  # UNION ALL SELECTCHAR(88): the keyword glued to a function
                letters.append("S")
                values.append("select")
                letter = "f"
        elif kind == "string" and closing and token[0] != closing and unterminated(token):
            letter = "?"
        elif token in UNARY:
            letter = "!"  # !(1=2)
        elif token in _CONCATENATION and letters[-1:] == ["s"]:
            letter = "o"  # 'adm'||'in': concatenation in Oracle, PostgreSQL and SQLite, not "or"
        else:
            letter = _LETTERS[kind or "other"]
        letters.append(letter)
        values.append(token)
        if len(letters) >= limit:
            break
    return "".join(letters), values, reach + LOOK_AHEAD


def _word_letter(token: str, text: str, end: int) -> str:  # noqa: PLR0911  one letter per word class
    after = text[end : end + 1]
    if token in LOGIC:
        return "&"
    if token in UNARY:
        return "!"
    if token in ARITHMETIC:
        return "o"
    if token in _NULL_TEST and _IS_LITERAL.match(text, end):
        return "="  # x is not null: a comparison with a literal
    if token in COMPARISONS:
        return "="
    if token in _UNION:
        return "U"
    if token in _SELECT:
        return "S"
    if token.startswith("select") and after == "(":
        return "Sf"
    if token in _LITERAL_WORDS:
        return "n"
    if token in KEYWORDS:
        return "k"
    if after == "(" or _PAREN_AHEAD.match(text, end) is not None:
        return "f"
    return "b"


def unterminated(string: str) -> bool:
    """Whether a string token lacks its closing quote: the value ended first, or its last quote is escaped."""
    return len(string) < 2 or string[-1] != string[0] or string[-2] == "\\"


def break_out(text: str, quote: str) -> int:
    """Where a value pasted inside a `quote`-delimited literal closes it: the first quote that is not
    doubled (a doubled quote is an escaped one, still inside the literal), wherever it is."""
    position = text.find(quote)
    while position >= 0 and text.startswith(quote, position + 1):
        position = text.find(quote, position + 2)
    return position
