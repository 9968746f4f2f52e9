"""SQL injection by syntax, not by sample: the libinjection idea, on a value's SQL tokens.

A value is an injection when, read as the continuation of a SQL statement, it changes the statement's
structure. The value is read as SQL tokens (sql_tokens.py) in the contexts an application might paste
it into: as it is (a number or identifier), and after each quote that could close a string literal
(`'`, `"`, backtick). Each context's fingerprint, one letter per token, is matched from its opening
against the shapes injections take: a tautology (`&n=n`), a comment cutting the statement short (`c`
right after the break-out), a stacked query (`;k`), `UNION SELECT`, a function call or sub-select
joined with a logical operator, clauses appended to a number or to a tautology (`n k`, `& n k` for
ORDER BY, GROUP BY, HAVING, PROCEDURE), a data-changing statement right after the break-out (SQL
Server runs `' insert into t(a) values(1)` without a `;`). Prose with apostrophes does not produce
these shapes: its words are bare words, its "or" is followed by more words.
"""

from __future__ import annotations

import re

from bastion.guards.waf.checks.sql_statements import STATEMENT_OBJECTS, may_open_statement, statement_keywords
from bastion.guards.waf.checks.sql_tokens import break_out, fingerprint, read_tokens, unterminated
from bastion.guards.waf.views import sql_view

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
# What a sub-select selects: a literal, a call, a variable, `*`, a column from somewhere, `top 1`;
# not "(select this) option" or "(select all)".
_SUBSELECT = r"(?:[nsfvo(]|bk|k[nfv])"
# What UNION SELECT selects: a literal, a call, `*`, a column list or a column from somewhere.
_SELECT_LIST = r"(?:[nsfvo(!c;]|b(?:[,k)c;]|$)|k[nfvb]|$)"
_OPERAND_TAIL = r"!?(?:[nsvb]=|[nsv](?:c|$|;|k)|f\(|\(+[Sfnsv(]|\(+b=|\(+b\)+c|[nsv]o[nsv])"
# In the direct context a lone operand at the end ("1 and 2") is also how people write: not enough.
_DIRECT_TAIL = r"!?(?:[nsvb]=|[nsv](?:c|;|k)|f\(|\(+[Sfnsv(]|[nsv]o[nsv])"
_CONTEXT_SHAPES = re.compile(
    r"^\)*(?:"
    r"&"
    + _OPERAND_TAIL  # ' or 'a'='a   ' or 1--   ' and sleep(   ' or (select
    + r"|;?c|;$"  # admin'--   ';#   admin';   (the statement ended or cut off)
    r"|;[kSU]"  # '; drop table
    r"|U(?!s)"  # ' union select   (not "t eq 'union'": no SQL has a string literal after UNION)
    r"|k"  # ' order by 1 / ' having 1=1 (checked by _plausible)
    r"|=[nsv(f]"  # '='   (a comparison glued to the break-out)
    r"|o[nsf(]&"  # '+1 or ...
    r"|o?\(+S"
    + _SUBSELECT  # '+(select 1)+'   '||(select user from dual)||'   ('+' read as a space)
    + r"|,\(+S"
    + _SUBSELECT  # x', (select password from users))--   (another item of a VALUES list)
    + r")"
)
_NUMERIC_SHAPES = re.compile(
    r"^(?:o?n\)*(?:"
    r"&"
    + _DIRECT_TAIL  # 1 or 1=1   1 and sleep(   1) and (select
    + r"|;[kSU]"  # 1; drop table
    r"|U(?!s)"  # -1 union select
    r"|k"  # 1 order by 3 (checked by _plausible)
    r")|\(+[nsf]\)+&" + _DIRECT_TAIL + r"|[snb]?\)+&" + _DIRECT_TAIL + r")"
)
_LEADING_CLAUSE = re.compile(r"^\)*k(?:[nsvb]=|[nsv]&|\()")  # ` WHERE 1=1 AND 1=0`  (keyword checked by _plausible)
_LEADING_LOGIC = re.compile(r"^\)*&!?(?:[nsvb]=|[nsv](?:c|$|;|&)|f\(|\(+[Sfnsv(]|[nsv]o[nsv])")  # ` AND 1=0--`
_EXPRESSION_COMMENT = re.compile(r"^\(+[^c]*(?:&[nsvf(]|S|U|f\()[^c]*\)c")  # ( binary cos(1 or 'b') ) --
_DESTRUCTIVE = frozenset({"drop", "delete", "truncate", "alter", "shutdown", "insert", "update", "create", "grant"})
_WEAK_NUMERIC = re.compile(r"^o?n\)*c")  # 1--  1#: a classic probe, but also how some people write
_ANYWHERE = re.compile(
    r"U(?:k|\()*S"
    + _SELECT_LIST  # union [all] (select 1,2   union select name from   (not "union select committee")
    + r"|[ns)];[kU]"  # 1; drop table   ); drop   (not "issue; select 'Other'")
    + r"|[ns)];S"
    + _SELECT_LIST  # '; select 1   1; select name from   (not "9:30; select your preferred day")
    + r"|[&=k!f]\(+S"
    + _SUBSELECT  # and (select 1 ...   = (select @@version)   in (select name from ...   if((select
)


_STRONG_CALLS = {
    function: re.compile(rf"(?<![$\w])(?<![\w)\]]\.){function}\(") for function in sorted(STRONG_FUNCTIONS)
}


_ONE_WORD = re.compile(r"\s*\S*\s*")
_COMMENT_NEXT = re.compile(r"\s*\)*\s*/\*(?!!)")
_MID_TOKENS = 12
_READING_KEY = 192  # characters from a reading's start that name it, when it read no further
# Different statement shapes read in one value, each after may_open_statement said it could be one
# and then not one: a value with more is made of decoys, and blocked rather than left half read.
_MAX_READINGS = 128


def sqli_score(raw: str) -> tuple[int, str]:
    """A score (0, or 3 to 5) and the shape that earned it, over the whole value.

    The value is read as it is (from its start), and after the quote that would close a literal of
    each kind, wherever in the value that quote is: an injection after any amount of harmless text
    is read like one at the start. UNION SELECT, stacked statements and sub-selects are read where
    they stand, anywhere. Every reading is a bounded number of tokens from its position.
    """
    text = sql_view(raw)
    if "/*" in raw:
        # `admin'/*`: the comment that cuts the statement short is gone from the comment-free view
        for quote in ("'", '"', "`"):
            index = break_out(raw, quote)
            if index >= 0 and _COMMENT_NEXT.match(raw, index + 1) and _ONE_WORD.fullmatch(raw, 0, index):
                return 5, f"{quote}:c"
    recent = _RECENT[0]
    for kept, score in recent:
        if kept is text or kept == text:
            return score
    score = _view_score(text)
    _RECENT[0] = ((text, score), *recent[: _KEPT - 1])
    return score


# The SQL rule reads a value and its comment-free view, whose own view is the same text: the second
# reading was the first one again (3 ms per 30 KB of blind-extraction copies). The last few readings
# are kept by their text, in one cell that is replaced whole (another thread sees an old list or a new).
_RECENT: list[tuple[tuple[str, tuple[int, str]], ...]] = [()]
_KEPT = 4


def _view_score(text: str) -> tuple[int, str]:
    """sqli_score's readings of the comment-free view."""
    letters, values = fingerprint(text)
    best = _direct(letters, values) if letters else (0, "")
    script = _script(text)
    if script:
        best = _weak(best)
    elif best[0] >= 5:
        return best
    for quote in ("'", '"', "`"):
        index = break_out(text, quote)
        if index < 0:
            continue
        letters, values = fingerprint(text, index + 1, closing=quote)
        if not letters:
            continue
        shape = f"{quote}:{letters[:12]}"
        if (
            _CONTEXT_SHAPES.match(letters)
            and _plausible(letters, values)
            and not _quoted_phrase(letters, values)
            and not _identifiers_compared(quote, letters, values)
        ):
            cut = letters.lstrip(")").removeprefix(";")
            if cut and not cut.startswith("c"):
                return 5, shape
            if _ONE_WORD.fullmatch(text, 0, index) and (not cut or _idle_comment(values[-1])):
                return 5, shape  # admin'--   x';   (not: 7" #2 circular needle)
        best = _anywhere(best, quote, letters, values)
    best = max(best, _weak(_statements(text, (0, "")))) if script else _statements(text, best)
    # MySQL only reads a built-in function when `(` follows its name directly: "sleep (8 hours)" is
    # prose; and a built-in is never a method: `Thread.sleep(1000)`, `Math.exp(2)` are code (a dot
    # after a quote is PHP's or Perl's concatenation: `'.sleep(12).'` is a call)
    for function, call in _STRONG_CALLS.items():
        if function in text and any(not _quoted_call(text, found) for found in call.finditer(text)):
            best = max(best, (5, f"function:{function}"))
            break
    return best  # catalog reads, server variables and dynamic SQL: the sqli-catalog rule


def _direct(letters: str, values: list[str]) -> tuple[int, str]:
    """The value read as SQL from its start: a number, a logic word or a clause that continues a
    statement, or a whole statement of a shape only an injection has."""
    leading = _NUMERIC_SHAPES.match(letters) or _LEADING_LOGIC.match(letters) or _LEADING_CLAUSE.match(letters)
    if (leading and _plausible(letters, values)) or _whole_value_statement(letters, values):
        return 5, f"direct:{letters[:12]}"
    if _condition_then_tautology(letters, values):
        return 5, f"condition:{letters[:12]}"
    best = _anywhere((0, ""), "direct", letters, values)
    if not best[0] and _WEAK_NUMERIC.match(letters):
        return 3, f"direct:{letters[:12]}"
    if not best[0] and letters.startswith("S") and ("kb" in letters or "k?" in letters):
        return 3, f"statement:{letters[:12]}"  # a whole statement: code, or an injection
    return best


# A whole condition, then a comparison that is always true, at the end or before a comment:
# `name = 'a' or 1=1 --`, `status = 'open' or 'a'='a'`, `id = 7 or 2>1`. A filter that an API pastes
# after WHERE returns every row. A condition joined to another real condition (`name = 'a' or
# name = 'b'`) is what such filters are for, and `1 or true` what a number continued by a constant is.
# A comparison that always holds, then a logic word: `1=1 or id`, `'a'='a' and ...` (a whole filter)
_TAUTOLOGY_FIRST = re.compile(r"^([ns])=\1&!?[nsb](?:=[nsb])?(?:c|;|$)")  # and nothing after: not a sentence
_CONDITION_TAUTOLOGY = re.compile(r"^b=[nsb]&(?:([ns])=\1|!?n)(?:c|;|$)|^o?n\)*&!?n(?:c|;|$)")
_ALWAYS = frozenset({"true", "not false", "!false"})


def _condition_then_tautology(letters: str, values: list[str]) -> bool:
    if _TAUTOLOGY_FIRST.match(letters):  # equality only: "5 > 3 and 2 < 4, so ..." is arithmetic in prose
        return values[1].strip() in ("=", "==", "like") and _always_true(values[0], values[1].strip(), values[2])
    shape = _CONDITION_TAUTOLOGY.match(letters)
    if shape is None:
        return False
    if letters.rstrip("c;").endswith("=n") or letters.rstrip("c;").endswith("=s"):
        left, operator, right = values[-3:] if letters[-1] not in "c;" else values[-4:-1]
        return _always_true(left, operator.strip(), right)
    operand = values[-1] if letters[-1] not in "c;" else values[-2]
    negated = "!" in letters[shape.start() : shape.end()]
    return operand.lower() == ("false" if negated else "true")


def _always_true(left: str, operator: str, right: str) -> bool:
    """A comparison of two constants that holds: `1=1`, `'a'='a'`, `2>1`, `'x' like 'x'`."""
    operator = operator.lower()
    if operator in ("=", "==", "like", "<=>", "is", ">=", "<="):
        return left.strip("'\"").lower() == right.strip("'\"").lower()
    try:
        lhs, rhs = float(left), float(right)
    except ValueError:
        return False
    if operator in ("!=", "<>"):
        return lhs != rhs
    return (operator == ">" and lhs > rhs) or (operator == "<" and lhs < rhs)


# A value that is an SQL script: it opens with a statement keyword and ends with `;`. Sent whole,
# it is a query someone shows, keeps or asks about (a snippet, a migration), not an injection: in a
# literal it stays text; after `=`, in `ORDER BY` or `LIMIT`, a statement keyword where a value
# belongs is a syntax error, and in a sub-select's parentheses (`IN (...)`) so is the `;`. Its direct
# and statement readings are weak (3: blocking with another signal); a quote that breaks out of a
# literal inside it, and the strong functions (`sleep(`, `benchmark(`), are read as in any value.
_SCRIPT_OPENS = re.compile(r"\s*(?:select|with|update|delete\s+from|insert\s+into|create|alter|begin|explain)\b", re.I)


def _script(text: str) -> bool:
    # the opening first: most values fail it at once; the end read from its last characters, not copied
    return _SCRIPT_OPENS.match(text) is not None and text[-64:].rstrip().endswith(";")


def _weak(found: tuple[int, str]) -> tuple[int, str]:
    return (min(found[0], 3), found[1]) if found[0] else found


def _statements(text: str, best: tuple[int, str]) -> tuple[int, str]:
    """UNION SELECT, stacked statements and sub-selects, read where they stand, anywhere in the value.

    Every statement is read, however many there are (a count limit was a blind region after it).
    One written like an earlier one, as far as that reading went, is not read again: a value
    repeating `1; drop by ` a thousand times costs one reading.
    """
    read: set[str] = set()
    fresh = 0
    for position, found in statement_keywords(text):
        if best[0] >= 5:
            return best
        # read from the token before: `1 union select`, `'; drop`, `and (select`
        start = text.rfind(" ", 0, max(0, position - 1)) + 1 if position else 0
        start = max(start, position - 24)
        key = text[start : start + _READING_KEY]
        if key in read or not may_open_statement(text, found, position, start):
            continue
        if fresh >= _MAX_READINGS:
            return 5, f"more than {_MAX_READINGS} statement shapes"  # a value of decoys: not read past
        fresh += 1
        letters, values, reach = read_tokens(text, start, _MID_TOKENS)
        if reach <= start + _READING_KEY or start + _READING_KEY >= len(text):
            read.add(key)  # the key holds all the reading saw (or the value ends within it)
        best = _anywhere(best, "statement", letters, values)
    return best


# Words (and commas) only, at least one a keyword or a logic word, then the rest of the value as
# one string literal.
_PHRASE = re.compile(r"[kUb?,&]*[kU&][kUb?,&]*s")


def _quoted_phrase(letters: str, values: list[str]) -> bool:
    """`"union station" parking`, `sql "order by" columns`, `The 'Or' collection`: the quote opens a
    phrase that a second quote closes, with words only between. Read as a break-out, the rest of the
    value would be one literal, spaces and all, that only the application's own quote ends: no
    statement does that. After a logic word that literal is the condition, and one that starts with
    a number is true (`' or ' 1=1` is `' 1=1'`, which MySQL reads as 1), so it is no phrase then."""
    if not _PHRASE.fullmatch(letters):
        return False
    rest = values[-1]
    if "&" in letters and rest[1:].lstrip()[:1] in tuple("0123456789+-."):
        return False
    return unterminated(rest) and any(char.isspace() for char in rest.strip())


def _identifiers_compared(quote: str, letters: str, values: list[str]) -> bool:
    """`` `<` and `>` ``: after a backtick, a comparison with another backtick-quoted name. Backticks
    quote identifiers (MySQL), not literals, so this is no `'='` tautology; it is Markdown's inline code.
    Nor is a data-changing statement straight after one (`` psql: `UPDATE users SET ...` ``): only SQL
    Server runs two statements without a `;`, and it quotes names in brackets or double quotes."""
    if quote != "`":
        return False
    if letters[:2] == "=s" and values[1][:1] == "`":
        return True
    return letters[:1] == "k" and values[0] in _DESTRUCTIVE


_QUOTED_CALL_END = re.compile(r"[^()]{0,40}\)")


def _quoted_call(text: str, found: re.Match[str]) -> bool:
    """`"sleep(5)" in python`: the call is a quoted phrase (a quote right before the name, the same
    quote right after its closing parenthesis, a word boundary around both), not code."""
    start = found.start()
    quote = text[start - 1 : start]
    if quote not in ("'", '"') or text[start - 2 : start - 1].strip():
        return False
    end = _QUOTED_CALL_END.match(text, found.end())
    if end is None:
        return False
    after = end.end()
    return text[after : after + 1] == quote and not text[after + 1 : after + 2].strip()


def _anywhere(best: tuple[int, str], context: str, letters: str, values: list[str]) -> tuple[int, str]:
    for found in _ANYWHERE.finditer(letters):
        if found.group(0)[-1] == "k" and found.group(0)[1] == ";" and not _statement(values, found.end() - 1):
            continue  # "at 5; drop by if you can": a keyword, but not a statement
        return max(best, (5, f"{context}:{letters[:12]}"))
    return best


def _statement(values: list[str], index: int) -> bool:
    """Whether the keyword at `index` starts a statement (`drop table`, `update t set`, `exec ...`)."""
    keyword = values[index] if index < len(values) else ""
    if keyword == "update":
        return "set" in values[index + 2 : index + 4]
    if keyword not in STATEMENT_OBJECTS:
        return False
    objects = STATEMENT_OBJECTS[keyword]
    return objects is None or (index + 1 < len(values) and values[index + 1] in objects)


def _statement_with_object(values: list[str], index: int) -> bool:
    """A statement that names what it changes (`drop table`, `delete from`, `update t set`), not a
    keyword that stands alone (`select`, `exec`), which a word and a semicolon can come before."""
    keyword = values[index] if index < len(values) else ""
    return (keyword == "update" or STATEMENT_OBJECTS.get(keyword) is not None) and _statement(values, index)


def _whole_value_statement(letters: str, values: list[str]) -> bool:
    """Shapes only a whole value can have: an expression cut by a comment, a destructive statement,
    a sort column, with its direction or not, followed by one (`name; drop table users`, `id desc;
    delete from users`), a CASE testing two literals in a sort (`(case when (1=1) then name else id
    end)`)."""
    return bool(
        _EXPRESSION_COMMENT.match(letters)
        or _destroys(letters, values)
        or (letters.startswith("b;k") and _statement_with_object(values, 2))
        or (letters.startswith("bb;k") and values[1] in ("asc", "desc") and _statement_with_object(values, 3))
        or (_CASE_TEST.search(letters) and _literal_case(letters, values))
    )


# CASE WHEN comparing two literals: no sort expression or filter needs it, a boolean-blind probe does
_CASE_TEST = re.compile(r"kk\(*[ns][=o][ns]")


def _literal_case(letters: str, values: list[str]) -> bool:
    for found in _CASE_TEST.finditer(letters):
        if values[found.start()] == "case" and values[found.start() + 1] == "when":
            return True
    return False


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
        operand = first_logic + 2 if letters[first_logic + 1] == "!" else first_logic + 1
        after = letters[operand:]
        # "... or n" then more bare words is a sentence ("1 or 2 items"); SQL has an operator next
        if after[:1] == "n" and after[1:2] == "b":
            return False
        if after[:1] in "nsv" and after[1:2] == "k":
            return _clause(letters, values, operand + 1)  # 1 or 1 group by ...   ' or 1 having 1=1
    if letters.lstrip(")o").startswith("nk") or letters.lstrip(")").startswith("k"):
        keyword_index = letters.find("k")
        return _clause(letters, values, keyword_index) or _stacked_statement(letters, values, keyword_index)
    if letters.lstrip(")").startswith(";k"):
        # `'); drop table x` is a statement, `'); drop-in replacement` a hyphenated word: a statement
        # keyword with no object of its kind after it is no statement (as read anywhere, _anywhere)
        return _statement(values, letters.find("k"))
    return True


# What no WHERE or HAVING condition starts with: a literal of another quote left open, or an operand
# (or a whole comparison) followed by a bare word or a literal. `" Where's the remote?"`, "where it
# always is", "where 1 = 1 sql why" are sentences; `where 1=1--`, `having 1=1`, `where sleep(5)` are not.
_NO_CONDITION = re.compile(r"\?|!?[nsvb][b?s]|!?[nsvb]=[nsv][b?s]")


def _clause(letters: str, values: list[str], index: int) -> bool:
    """Whether the keyword at `index` opens a clause appended to a statement (`order by`, `having`)."""
    keyword = values[index] if index < len(values) else ""
    follow = values[index + 1] if index + 1 < len(values) else ""
    if keyword in ("order", "group"):
        return follow == "by"
    if keyword == "into":
        return follow in ("outfile", "dumpfile") or follow.startswith("@")
    if keyword in ("having", "where"):
        return not _NO_CONDITION.match(letters, index + 1)
    return keyword in ("procedure", "limit")


_SET_VALUE = frozenset(f"{column}={value}" for column in "bs" for value in "nsvbf(!")


def _stacked_statement(letters: str, values: list[str], index: int) -> bool:
    """A data-changing statement with what it changes, straight after the break-out: SQL Server runs
    `' insert into t(a) values(1)` or `' delete from t where ...` without a `;` between statements.
    Only the full form counts; "the 'delete from cart' button" names a statement without its parts."""
    rest = letters[index : index + 6]
    word = [*values[index : index + 4], "", "", "", ""]
    # a table name: bare, followed by its column list, or a quoted identifier (never a '-string)
    if len(rest) < 3 or not (rest[2] in "bf" or (rest[2] == "s" and word[2][:1] in '"`')):
        # `update t set c = ?`: a placeholder is a prepared statement in code, not a value set
        return word[0] == "update" and rest[1:3] in ("bk", "sk") and word[2] == "set" and rest[3:6] in _SET_VALUE
    if word[0] == "insert":
        return word[1] == "into" and (rest[2] == "f" or word[3] in ("values", "select", "set"))
    if word[0] == "delete":
        return word[1] == "from" and word[3] == "where"
    if word[0] in ("drop", "truncate", "alter"):
        objects = STATEMENT_OBJECTS[word[0]]
        return objects is not None and word[1] in objects and rest[3:4] in ("", ";", "c")
    return False
