"""PHP calls whose callee is built from strings or expressions rather than written as a name.

`(system)(ls)`, `"\\x73ystem"('id')`, `('sys'.'tem')(...)`, `[system][0](...)` and
`define('x', 'sys'.'tem'); (x)(...)` all run `system`. The rule's pattern finds a call whose callee
ends in `)`, `]`, `}` or a quote; this check rebuilds the callee the way PHP evaluates it (casts,
concatenation, array wrapping and indexing removed) and confirms it is a function that runs code or
commands. A parenthesised aside followed by another, as prose has, rebuilds to no such name.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, unquote_plus

from bastion.patterns import Pattern, PatternSet

DANGEROUS = frozenset(
    [
        "system",
        "exec",
        "shell_exec",
        "passthru",
        "popen",
        "proc_open",
        "pcntl_exec",
        "assert",
        "eval",
        "create_function",
        "call_user_func",
        "call_user_func_array",
        "phpinfo",
        "include",
        "include_once",
        "require",
        "require_once",
        "file_put_contents",
        "file_get_contents",
        "fopen",
        "readfile",
        "unlink",
        "base64_decode",
        "preg_replace",
        "putenv",
        "ini_set",
        "dl",
        "show_source",
        "highlight_file",
        "mail",
        "fsockopen",
        "curl_exec",
    ]
)
_CALL = re.compile(r"[)\]}'\"]\s*\(")
_DEFINE = re.compile(r"\bdefine\s*\(\s*['\"][^'\"]{1,64}['\"]\s*,\s*([^)]{1,200})\)")
_CAST = re.compile(r"\(\s*(?:string|array|object|binary)\s*\)")
_CONCAT = re.compile(r"['\"]\s*\.\s*['\"]")
_INDEX = re.compile(r"\[\s*\d+\s*\]|\{\s*\d+\s*\}")
_NOISE = re.compile(r"[\s'\"()\[\]{}]+")


def rebuilt_name(expression: str) -> str:
    """The function name an expression evaluates to, as far as strings and brackets go. Each step
    runs only where what it removes can be (this runs for every call-like `)(` of a value)."""
    if "(" in expression and any(cast in expression for cast in _CASTS):
        expression = _CAST.sub(" ", expression)
    if "." in expression:
        expression = _CONCAT.sub("", expression)
    if "[" in expression or "{" in expression:
        expression = _INDEX.sub("", expression)
    # The name is the last word once the noise is gone: the letters after the last character that
    # is neither a letter nor noise, read from the end (the reversed expression) and then squeezed.
    tail = _WORD_OR_NOISE.match(expression[::-1])
    squeezed = _NOISE.sub("", tail.group(0)[::-1]) if tail else ""
    name = _NAME_START.search(squeezed)
    return name.group(0) if name else ""


_CASTS = ("string", "array", "object", "binary")
_WORD_OR_NOISE = re.compile(r"[\w\s'\"()\[\]{}]+")
_NAME_START = re.compile(r"[a-z_]\w*")


# A safe prefilter (it can only answer "maybe" too often, never "no" wrongly): whatever a callee
# expression rebuilds to, its letters are in the value once quotes, dots, brackets and spaces are gone.
_SQUEEZE = re.compile(r"[\s'\"()\[\]{}.]+")
# The names in one multi-pattern scan, built on first use: Python's engine tried the 32-way
# alternation at nearly every character of a squeezed 30 KB value (0.85 ms, twice per request for a
# flood of `(document/*x*/)['cookie'`). Kept in a one-item list, not a global statement.
_NAMES: list[PatternSet] = []


def _names() -> PatternSet:
    if not _NAMES:
        _NAMES.append(PatternSet([Pattern(f"php-name:{name}", re.escape(name)) for name in sorted(DANGEROUS)]))
    return _NAMES[0]


def php_dynamic_call(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    if not _names().scan(_SQUEEZE.sub("", text).encode("utf-8", "surrogatepass")):
        return 0, ""
    read: set[str] = set()  # a callee written like an earlier one rebuilds to the same name
    for call in _CALL.finditer(text):
        expression = text[max(0, call.start() - 80) : call.start() + 1]
        if expression in read:
            continue
        read.add(expression)
        callee = rebuilt_name(expression)
        if callee in DANGEROUS:
            return 5, f"{callee} called through an expression"
    for define in _DEFINE.finditer(text):
        value = rebuilt_name(define.group(1))
        if value in DANGEROUS:
            return 5, f"constant defined as {value}"
    return 0, ""


# a string, a variable, or another call (`var_dump(scandir('/'))`): the argument of code, not of a name
_ARGUMENT = re.compile(r"\s*(?:[\'\"$`]|\\?[a-z_][\w\\]*\s*\()")


def php_builtin_call(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """A call to a PHP built-in; in a file name only with a string, variable or call argument,
    because `copy (2).docx` or `date(1).pdf` name ordinary files. A name after `|` inside a
    template's `{{ ... }}` is a filter (Twig's `{{ price|number_format(2) }}`), which the engine
    looks up among its registered filters, not among PHP's functions."""
    filename = getattr(target, "kind", "") == "filename"
    for match in pattern.finditer(text):
        if _template_filter(text, match.start()):
            continue
        if not filename:
            return 5, "a call to a PHP built-in function"
        if _ARGUMENT.match(text, match.end()):
            return 5, "a file name that is a PHP call with a string, variable or call argument"
    return 0, ""


def _template_filter(text: str, start: int) -> bool:
    """The match opens with the `|` of a filter in an unclosed `{{` before it on the same line."""
    if text[start : start + 1] != "|":
        return False
    line_start = text.rfind("\n", 0, start) + 1
    opened = text.rfind("{{", line_start, start)
    return opened >= 0 and text.find("}}", opened, start) < 0


# A class by its namespace (`\think\app`), then `/method`, opening the value or a path segment.
_NAMESPACED_ROUTE = re.compile(r"(?:^|/)\s*\\+[a-z_]\w{0,40}(?:\\+[a-z_]\w{0,40})+\s*/\s*[a-z_]\w{0,40}", re.IGNORECASE)


def namespaced_route(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    """php-namespaced-route, on the value as sent: the escape reading of the normalised text turns
    `\think` into a tab and `hink`, so the namespace is only whole in the raw value."""
    raw = getattr(target, "raw", text)
    sent = unquote_plus(raw) if getattr(target, "form", False) else unquote(raw)  # raw is still percent-encoded
    found = _NAMESPACED_ROUTE.search(sent)
    return (5, f"a route naming a PHP class by namespace: {found.group(0)[:60]}") if found else (0, "")
