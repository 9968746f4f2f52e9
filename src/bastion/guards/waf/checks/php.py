"""PHP calls whose callee is built from strings or expressions rather than written as a name.

`(system)(ls)`, `"\\x73ystem"('id')`, `('sys'.'tem')(...)`, `[system][0](...)` and
`define('x', 'sys'.'tem'); (x)(...)` all run `system`. The rule's pattern finds a call whose callee
ends in `)`, `]`, `}` or a quote; this check rebuilds the callee the way PHP evaluates it (casts,
concatenation, array wrapping and indexing removed) and confirms it is a function that runs code or
commands. A parenthesised aside followed by another, as prose has, rebuilds to no such name.
"""

from __future__ import annotations

import base64
import codecs
import re

from bastion.guards.waf.inspected import as_sent
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
    text = _literals_decoded(text, target) or text
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


# A callee made by decoding a literal: `(base64_decode('c3lzdGVt'))('id')` calls system. The literal is
# read from the value as sent (base64 is case-sensitive; the text the rules read is lower-cased).
_DECODERS = ("base64_decode", "str_rot13", "hex2bin", "strrev")
_LITERAL_DECODED = re.compile(r"\b(base64_decode|str_rot13|hex2bin|strrev)\s*\(\s*(['\"])([^'\"]{1,256})\2\s*\)", re.I)


def _literals_decoded(text: str, target: object) -> str | None:
    """The value with each decoder called on a literal replaced by the literal it returns, lower-cased;
    None when it has no such call."""
    if not any(decoder in text for decoder in _DECODERS):
        return None
    sent = as_sent(target, text)
    decoded = _LITERAL_DECODED.sub(_decoded_literal, sent)
    return decoded.lower() if decoded != sent else None


def _decoded_literal(call: re.Match[str]) -> str:
    decoder, quote, literal = call.group(1).lower(), call.group(2), call.group(3)
    try:
        if decoder == "base64_decode":
            value = base64.b64decode(literal + "=" * (-len(literal) % 4)).decode("ascii")
        elif decoder == "str_rot13":
            value = codecs.decode(literal, "rot13")
        elif decoder == "hex2bin":
            value = bytes.fromhex(literal).decode("ascii")
        else:
            value = literal[::-1]
    except (ValueError, UnicodeDecodeError):
        return call.group(0)
    return f"{quote}{value}{quote}" if value.isprintable() else call.group(0)


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
    found = _NAMESPACED_ROUTE.search(as_sent(target, text))
    return (5, f"a route naming a PHP class by namespace: {found.group(0)[:60]}") if found else (0, "")


# What PHP shown as code does that a payload does not need: escape, format and loop over its own
# variables. A tag whose code calls only these, calls no variable and runs no command is a snippet;
# any other name, `include`, a backtick or `${` keeps the tag's score. Request input (`$_GET`...) it
# may read only when it escapes (`_ESCAPES`): the snippet that shows how to print a parameter safely;
# `<?php echo $_GET['x']; ?>`, which only reflects, is the probe that tells whether PHP runs.
# fmt: off
_PRESENTATION = frozenset({
    "htmlspecialchars", "htmlentities", "strip_tags", "nl2br", "esc_html", "esc_attr", "esc_url", "e", "_e",
    "__", "date", "number_format", "sprintf", "strtoupper", "strtolower", "ucfirst", "ucwords", "trim",
    "substr", "strlen", "str_replace", "implode", "count", "isset", "empty", "in_array", "json_encode",
    "prepare", "execute", "fetch", "fetchall", "fetch_assoc", "bind_param", "bindparam", "bindvalue", "array",
    "list", "if", "elseif", "foreach", "for", "while", "switch", "echo", "print", "url", "route", "asset",
    "view",
})
# fmt: on
_PHP_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*|#[^\n\[]*", re.DOTALL)
_CALLED = re.compile(r"([a-z_\\][\w\\]*)\s*\(")
_VARIABLE = re.compile(r"\$[a-z_]\w*")  # a snippet presents variables; a probe echoes a literal
_LAST_FENCE = re.compile(r"\n```[ \t]*\s*\Z")
_CODE_READ = 4096  # a longer snippet keeps the tag's score: its code is not read token by token
# What moves PHP's lexer between code and output: strings (a `?>` inside one ends nothing), block
# comments, line comments (which a `?>` does end), and the closing tag.
_PHP_TOKEN = re.compile(
    r"'(?:[^'\\]|\\.)*'?|\"(?:[^\"\\]|\\.)*\"?"  # strings, closed or not
    r"|/\*.*?(?:\*/|\Z)|(?://|#)(?:[^\n?]|\?(?!>))*"  # block and line comments
    r"|\?>",
    re.DOTALL,
)
_DYNAMIC = re.compile(r"[`]|\$\{|\$\$|\$\w+\s*\(|[)\]}'\"]\s*\(|\b(?:include|require)(?:_once)?\b")
_INPUT = re.compile(r"\$_|\$globals\b")
# ... or binds it to a prepared statement (`$stmt->execute(['id' => $_GET['id']])`: the SQL way to escape)
_ESCAPES = re.compile(
    r"\b(?:htmlspecialchars|htmlentities|strip_tags|esc_html|esc_attr|esc_url|intval|prepare|bind_param|bindvalue|bindparam)\s*\("
)


def php_tag(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """php-tag: weak (2) when the code after every `<?php`/`<?=` is a snippet that only presents its
    variables (`<?php echo htmlspecialchars($title, ENT_QUOTES, 'UTF-8'); ?>`, a template's
    `foreach`), as code shared in a ticket or a post is; the full score for anything else, and for
    what probes write (`<? echo 'hello'; ?>`, `test<?`, `[/php]`: no variable, or a short tag)."""
    found = pattern.search(text)
    if found is None:
        return 0, ""
    pieces = _php_mode(text, found.start()) if found.group(0) in ("<?php", "<?=") else None
    if pieces is None:  # a short tag or a forum's [php], as probes write them; or too long to read
        return 5, found.group(0)
    # A closing Markdown fence as the value's last line, after code that never closed its tag: in PHP
    # an unterminated backtick string, a parse error that runs nothing (a fence with lines after it
    # would be a command, and is read as one).
    if not _presentation(pieces):
        return 5, found.group(0)
    return 2, "PHP that only presents its own variables"


def _presentation(pieces: list[str]) -> bool:
    code = _LAST_FENCE.sub("", _PHP_COMMENT.sub(" ", " ".join(pieces)))
    return not (
        not _VARIABLE.search(code)
        or _DYNAMIC.search(code)
        or (_INPUT.search(code) and not _ESCAPES.search(code))
        or any(name.rsplit("\\", 1)[-1] not in _PRESENTATION for name in _CALLED.findall(code))
    )


_TAG = re.compile(r"<\?(?:php\b|=)")
_OPENING_TAG = re.compile(r"\s*<\?php\b")


def php_presentation_file(text: str) -> bool:
    """The whole value is one PHP block that only presents its variables (`php_tag`'s reading): it
    opens with `<?php` and nothing but space follows its code. Read as a shell's, its lines are not
    commands a payload needs (`echo '<p>' . e($q);`), and nothing stands outside it to run."""
    opening = _OPENING_TAG.match(text)
    if opening is None:
        return False
    start = opening.end() - len("<?php")
    pieces = _php_mode(text, start)
    if pieces is None or len(pieces) != 1 or not _presentation(pieces):
        return False
    return text[start + len(pieces[0]) :].strip() in ("", "?>")  # nothing after the code but its tag


def php_superglobal(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """php-superglobals: weak (2) inside PHP shown as code that escapes what it reads (`php_tag`'s
    reading: `$q = $_GET['q'] ?? ''; echo htmlspecialchars($q);` in a post); the full score elsewhere."""
    found = pattern.search(text)
    if found is None:
        return 0, ""
    tag = _TAG.search(text)
    pieces = _php_mode(text, tag.start()) if tag is not None and tag.start() < found.start() else None
    if pieces is not None and _presentation(pieces):
        return 2, "request input that PHP shown as code escapes"
    return 5, found.group(0)[:80]


def _php_mode(text: str, start: int) -> list[str] | None:
    """The parts of `text` that PHP runs as code, from the tag at `start`: up to each `?>` that is not
    inside a string or a block comment, then again from the next `<?`. What lies between is output
    (HTML, the prose and Markdown fences around a snippet). None when the value is too long to read."""
    if len(text) - start > _CODE_READ:
        return None
    pieces: list[str] = []
    position = start
    while position < len(text):
        token = _PHP_TOKEN.search(text, position)
        if token is None:
            break
        if token.group(0) != "?>":
            position = token.end()
            continue
        pieces.append(text[start : token.start()])
        start = text.find("<?", token.end())
        if start < 0:
            return pieces
        position = start + 2
    pieces.append(text[start:])
    return pieces
