"""A bare `<script>` that runs nothing: a body of words, or one that cannot compile.

A browser compiles a script element's whole body before running any of it, and one early
`SyntaxError` anywhere means none of it runs. Prose after a `<script>` it mentions ("input like
<script> is rendered without escaping") is such a body: two names side by side on one line, neither a
keyword that takes an operand (`return x`, `new X`, `typeof x`, `x in y`), is not JavaScript. The
body is read only up to the first character that could start a string, a template, a comment, a
regular expression, a tag, an escape or a legacy HTML comment (`-->` at a line's start, `#!` at the
body's start), so a pair inside any of those is never taken for one outside them; a body with no such
pair before them stays dangerous.
"""

from __future__ import annotations

import re

# Keywords and contextual keywords: a name beside one of these may be valid code.
# fmt: off
_KEYWORDS = frozenset({
    "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else",
    "enum", "export", "extends", "false", "finally", "for", "function", "if", "implements", "import", "in",
    "instanceof", "interface", "let", "new", "null", "package", "private", "protected", "public", "return",
    "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield",
    "async", "await", "static", "get", "set", "of", "as", "from", "target", "meta", "accessor",
})
# fmt: on
_BEFORE_CODE = re.compile(r"[^'\"`/<\\#\-]{0,2048}")
_PAIR = re.compile(r"(?<![\w$.])([A-Za-z_$][\w$]*)[ \t]+(?=([A-Za-z_$][\w$]*))")
_SCRIPT_END = re.compile(r"<\s*/\s*script\s*>")


def syntax_error_end(text: str, body: int) -> int:
    """Where the script element whose body starts at `body` ends (after its end tag, or at the
    value's end) when that body is a syntax error before anything could hide one; 0 otherwise."""
    prefix = _BEFORE_CODE.match(text, body).group(0)  # type: ignore[union-attr]  # `{0,n}` always matches
    if not any(first not in _KEYWORDS and second not in _KEYWORDS for first, second in _PAIR.findall(prefix)):
        return 0
    closing = _SCRIPT_END.search(text, body)
    return closing.end() if closing is not None else len(text)


# A `<script>` with no attribute, then words and sentence punctuation only, up to its end tag or the
# value's end: "how to prevent <script> injection", "<script> tag cheatsheet.pdf". Nothing in it can
# run: every payload needs a call, an assignment, an index, a block, a template, an escape, a
# comment (`/*` across a page, `<!--`) or a statement end, and none of those characters is there.
# At least two words: an empty `<script>` (the opening half of a payload split over two parameters)
# and `<script>test</script>` (a probe for reflection) stay refused.
_BARE_SCRIPT = re.compile(r"<\s*script\s*>")
_SCRIPT_WORDS = re.compile(r"[\w\s.,?:'-]*+")
_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")
_MAX_SCRIPT_WORDS = 512


def inert_script_end(text: str, start: int) -> int:
    """Where a bare `<script>` of two words or more opening at `start` ends (after its end tag, or
    the value's end); 0 when it may hold code or is a probe."""
    opening = _BARE_SCRIPT.match(text, start)
    if opening is None:
        return 0
    return _words_end(text, opening.end()) or syntax_error_end(text, opening.end())


def _words_end(text: str, body: int) -> int:
    end = _SCRIPT_WORDS.match(text, body).end()  # type: ignore[union-attr]  # `*+` always matches
    if end - body > _MAX_SCRIPT_WORDS:
        return 0
    if sum(1 for word in text[body:end].split() if _TWO_LETTERS.search(word)) < 2:
        return 0
    if end == len(text):
        return end
    closing = _SCRIPT_END.match(text, end)
    return closing.end() if closing is not None else 0
