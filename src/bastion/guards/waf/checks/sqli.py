"""SQL injection by syntax, not by sample: the libinjection idea in a small tokenizer.

A value is an injection when, read as the continuation of a SQL statement, it changes the statement's
structure. The value is tokenized in the contexts an application might paste it into: as it is (a
number or identifier), and after each quote that could close a string literal (`'`, `"`, backtick).
Each context becomes a fingerprint, one letter per token:

    s string  n number  k keyword  U union  S select  & and/or/xor  o operator  = comparison
    f function call  v @variable  b bare word  ( ) , ;  c comment

and the fingerprint's opening is matched against the shapes injections take: a tautology (`&n=n`),
a comment cutting the statement short (`c` right after the break-out), a stacked query (`;k`),
`UNION SELECT`, a function call or sub-select joined with a logical operator, clauses appended to a
number (`n k` for ORDER BY, GROUP BY, HAVING, PROCEDURE). Prose with apostrophes does not produce
these shapes: its words are bare words, its "or" is followed by more words.
"""

from __future__ import annotations

import re

from bastion.guards.waf.decode import sql_view

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
LOGIC = frozenset({"and", "or", "xor", "div", "mod"})
# Comparison operators spelled as words: `x LIKE '%a%'`, `1 IN (SELECT ...)`, `a GLOB b` compare like `=`.
COMPARISONS = frozenset({"like", "rlike", "regexp", "glob", "sounds", "between", "in"})
STRONG_FUNCTIONS = frozenset(
    [
        "sleep",
        "benchmark",
        "pg_sleep",
        "waitfor",
        "load_file",
        "extractvalue",
        "updatexml",
        "xp_cmdshell",
        "sys_eval",
        "sys_exec",
        "dbms_pipe",
        "utl_inaddr",
        "utl_http",
        "ctxsys",
        "randomblob",
        "exp",
        "polygon",
        "geometrycollection",
        "multipoint",
        "linestring",
        "name_const",
        "get_lock",
    ]
)
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>--(?:\s|$|-)|\#|/\*|;\s*--)
  | (?P<string>'(?:[^'\\]|\\.|'')*'?|"(?:[^"\\]|\\.|"")*"?|`[^`]*`?)
  | (?P<number>0x[0-9a-f]+|\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+)
  | (?P<variable>@@?[a-z_][\w.$]*)
  | (?P<word>[a-z_][\w$]*)
  | (?P<cmp><=>|<>|!=|>=|<=|=|<|>)
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
_OPERAND_TAIL = r"(?:[nsvb]=|[nsv](?:c|$|;)|f\(|\(+[Sfnsv(]|[nsv]o[nsv])"
# In the direct context a lone operand at the end ("1 and 2") is also how people write: not enough.
_DIRECT_TAIL = r"(?:[nsvb]=|[nsv](?:c|;)|f\(|\(+[Sfnsv(]|[nsv]o[nsv])"
_CONTEXT_SHAPES = re.compile(
    r"^\)*(?:"
    r"&"
    + _OPERAND_TAIL  # ' or 'a'='a   ' or 1--   ' and sleep(   ' or (select
    + r"|c"  # admin'--   (the rest of the statement cut off)
    r"|;[kSU]"  # '; drop table
    r"|U"  # ' union select
    r"|k"  # ' order by 1 / ' having 1=1 (checked by _plausible)
    r"|=[nsv(f]"  # '='   (a comparison glued to the break-out)
    r"|o[nsf(]&"  # '+1 or ...
    r")"
)
_NUMERIC_SHAPES = re.compile(
    r"^(?:o?n\)*(?:"
    r"&"
    + _DIRECT_TAIL  # 1 or 1=1   1 and sleep(   1) and (select
    + r"|;[kSU]"  # 1; drop table
    r"|U"  # -1 union select
    r"|k"  # 1 order by 3 (checked by _plausible)
    r")|\(+[nsf]\)+&" + _DIRECT_TAIL + r"|[snb]?\)+&" + _DIRECT_TAIL + r")"
)
_LEADING_CLAUSE = re.compile(r"^\)*k(?:[nsvb]=|[nsv]&|\()")  # ` WHERE 1=1 AND 1=0`  (keyword checked by _plausible)
_LEADING_LOGIC = re.compile(r"^\)*&(?:[nsvb]=|[nsv](?:c|$|;|&)|f\(|\(+[Sfnsv(]|[nsv]o[nsv])")  # ` AND 1=0--`
_EXPRESSION_COMMENT = re.compile(r"^\(+[^c]*(?:&[nsvf(]|S|U|f\()[^c]*\)c")  # ( binary cos(1 or 'b') ) --
_DESTRUCTIVE = frozenset({"drop", "delete", "truncate", "alter", "shutdown", "insert", "update", "create", "grant"})
_WEAK_NUMERIC = re.compile(r"^o?n\)*c")  # 1--  1#: a classic probe, but also how some people write
_ANYWHERE = re.compile(
    r"U(?:k|\()*S"  # union [all] (select
    r"|[ns)];[kSU]"  # 1; drop table   '; select   ); drop   (not "issue; select 'Other'")
    r"|[&=k]\(+S"  # and (select ...   = (select ...   in (select ...
)


_UNION = frozenset({"union"})
_SELECT = frozenset({"select"})
_LITERAL_WORDS = frozenset({"true", "false", "null"})


def fingerprint(text: str) -> tuple[str, list[str]]:
    """Token letters and token values of `text` (at most 24 tokens)."""
    letters: list[str] = []
    values: list[str] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        token = match.group(0)
        if kind == "space":
            continue
        if kind == "comment":
            letters.append("c")
            values.append(text[match.start() :])
            break  # the rest of the statement is commented out
        if kind == "word":
            if token in LOGIC:
                letter = "&"
            elif token in COMPARISONS:
                letter = "="
            elif token in _UNION:
                letter = "U"
            elif token in _SELECT:
                letter = "S"
            elif token.startswith("select") and text[match.end() : match.end() + 1] == "(":
                letters.append("S")  # UNION ALL SELECTCHAR(88): the keyword glued to a function
                values.append("select")
                letter = "f"
            elif token in _LITERAL_WORDS:
                letter = "n"
            elif token in KEYWORDS:
                letter = "k"
            elif text[match.end() : match.end() + 1] == "(" or text[match.end() :].lstrip()[:1] == "(":
                letter = "f"
            else:
                letter = "b"
        else:
            letter = {
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
            }[kind or "other"]
        letters.append(letter)
        values.append(token)
        if len(letters) >= _MAX_TOKENS:
            break
    return "".join(letters), values


def _contexts(text: str) -> list[tuple[str, str, str]]:
    """(context, prefix, suffix): the value as is, and split at each quote that may close a literal."""
    contexts = [("direct", "", text)]
    for quote in ("'", '"', "`"):
        index = text.find(quote)
        if 0 <= index < 200:
            contexts.append((quote, text[:index], text[index + 1 :]))
    return contexts


def sqli_score(raw: str) -> tuple[int, str]:
    """A score (0, or 3 to 5) and the shape that earned it."""
    text = sql_view(raw)[:4096]
    best = (0, "")
    for context, prefix, suffix in _contexts(text):
        letters, values = fingerprint(suffix)
        if not letters:
            continue
        shape = f"{context}:{letters[:12]}"
        if context == "direct":
            leading = _NUMERIC_SHAPES.match(letters) or _LEADING_LOGIC.match(letters) or _LEADING_CLAUSE.match(letters)
            if leading and _plausible(letters, values):
                return 5, shape
            if _EXPRESSION_COMMENT.match(letters) or _destroys(letters, values):
                return 5, shape
        elif _CONTEXT_SHAPES.match(letters) and _plausible(letters, values):
            if not letters.lstrip(")").startswith("c"):
                return 5, shape
            if len(prefix.split()) <= 1 and _idle_comment(values[-1]):
                return 5, shape  # admin'--   (not: 7" #2 circular needle)
        if _ANYWHERE.search(letters):
            best = max(best, (5, shape))
        elif context == "direct" and _WEAK_NUMERIC.match(letters):
            best = max(best, (3, shape))
        elif context == "direct" and letters.startswith("S") and ("kb" in letters or "k?" in letters):
            best = max(best, (3, f"statement:{letters[:12]}"))  # a whole statement: code, or an injection
    for function in STRONG_FUNCTIONS:
        # MySQL only reads a built-in function when `(` follows its name directly: "sleep (8 hours)" is prose
        if function in text and re.search(rf"\b{function}\(", text):
            best = max(best, (5, f"function:{function}"))
            break
    return best  # catalog reads, server variables and dynamic SQL: the sqli-catalog rule


def _idle_comment(comment: str) -> bool:
    """A comment that only cuts the statement short (`#`, `-- `, `/*`), not one that carries prose."""
    if comment.startswith("#"):
        return not comment[1:].strip()
    if comment.startswith("--"):
        return len(comment[2:].split()) <= 1
    return True


def _destroys(letters: str, values: list[str]) -> bool:
    """A data-changing statement cut short by a comment: `DROP sampletable;--`."""
    return (
        letters[:1] == "k"
        and values[0] in _DESTRUCTIVE
        and letters.endswith("c")
        and _idle_comment(values[-1])
        and "?" not in letters
    )


def _plausible(letters: str, values: list[str]) -> bool:
    """Reject shapes prose can form: "or" followed by a word-led sentence, a lone trailing keyword."""
    first_logic = letters.find("&")
    if first_logic >= 0 and first_logic + 1 < len(letters):
        after = letters[first_logic + 1 :]
        # "... or n" then more bare words is a sentence ("1 or 2 items"); SQL has an operator next
        if after[:1] == "n" and after[1:2] == "b":
            return False
    if letters.lstrip(")o").startswith("nk") or letters.lstrip(")").startswith("k"):
        keyword_index = letters.find("k")
        keyword = values[keyword_index] if keyword_index < len(values) else ""
        follow = values[keyword_index + 1] if keyword_index + 1 < len(values) else ""
        if keyword in ("order", "group"):
            return follow == "by"
        if keyword == "into":
            return follow in ("outfile", "dumpfile") or follow.startswith("@")
        return keyword in ("having", "procedure", "limit", "where")
    return True
