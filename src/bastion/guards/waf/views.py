"""The views of a value: the other ways an application, a database or a shell may read it.

A value is matched as decoded text (decode.py) and, where they differ, as each view that feeds its
own rules: comment-free SQL with single spaces, glued shell words (shell_words.py), a file path as
the most lenient file API reads it, comment-free PHP, and the reading cut at a decoded NUL. Each
view is skipped when substring tests show it could not differ, so a clean value costs a few
membership tests.
"""

from __future__ import annotations

import bisect
import re
from typing import Literal

from bastion.guards.waf.decode import normalize, percent_decode
from bastion.guards.waf.shell_words import shell_candidate, shell_view

_PATH_JUNK = re.compile("[\ufffd\x01-\x08\x0b\x0c\x0e-\x1f\x80-\xa0]")

# Separators as lenient decoders (IIS "best fit", UTF-16 narrowing) understand them: private-use
# characters used for '/', look-alike slashes, literal 0x2f/0x5c/0x2e, and leftover invalid escapes.
_PATH_SLASHES = re.compile(
    r"[\ue000-\uf8ff\u2215\u2044\u29f5\u29f8\u2571\u3033]|0x(?:2f|5c)|%[g-z][0-9a-z]|%[0-9a-f][g-z]"
)
# Both open with a character, their look-behind after it: Python's engine then skips to that
# character, where a leading look-behind made it try every position (1 ms on 30 KB of `/*x*/`).
# A segment of wildcards with a `?` (`??`, `?*`): what FindFirstFile-style APIs match `..` with. Stars
# alone (`**/.git`) are a glob's "any directories" in settings and ignore files, and SQL's `/**/`.
_WILDCARD_DOTS = re.compile(r"[?*](?:(?<=^[?*])|(?<=/[?*]))[?*]{1,2}(?=/)")
_SAME_DIRECTORY = re.compile(r"(?:/\.)+(?=/)")

_NIBBLES = re.compile(r"%([0-9a-f])%([0-9a-f])")


def path_view(text: str) -> str:
    """A normalised value as a file path, the way the most lenient file API would read it.

    Backslashes are separators; bytes that decoded to nothing useful (invalid UTF-8, control
    characters) vanish; look-alike and private-use slashes and literal `0x2f` are slashes; `0x2e` is
    a dot; double-encoded nibbles (`%%32%%65` decodes to `%2%e`) are joined.
    """
    if "%" in text and _NIBBLES.search(text):
        text = _NIBBLES.sub(lambda m: chr(int(m.group(1) + m.group(2), 16)).lower(), text)  # views are lower-case
    plain = text.isascii()  # then only `0x..` and `%..` can be slashes, and printable text has no junk
    if not (plain and text.isprintable()):
        text = _PATH_JUNK.sub("", text)
    if "0x2e" in text:
        text = text.replace("0x2e", ".")
    if not plain or "0x" in text or "%" in text:
        text = _PATH_SLASHES.sub("/", text)
    if "\\" in text:
        text = text.replace("\\", "/")
    if "?" in text or "*" in text:
        text = _WILDCARD_DOTS.sub(_wildcard_dots, text)  # `??\??\etc`: Windows wildcards standing for `..`
    if "/./" in text:
        text = _SAME_DIRECTORY.sub("", text)  # `/./\/./windows` is `/windows`
    if "//" in text:
        unc = text.startswith("//") and not text.startswith("///")  # a leading `//` (a UNC host) stays
        text = "/" + _single_slashes(text[1:]) if unc else _single_slashes(text)
    return text


def _wildcard_dots(found: re.Match[str]) -> str:
    return ".." if "?" in found.group(0) else found.group(0)


def _single_slashes(text: str) -> str:
    """Runs of `/` as one; each pass of a replacement halves the longest run."""
    while "//" in text:
        text = text.replace("//", "/")
    return text


_BLOCK_COMMENT = re.compile(r"/\*[^*]*\*+(?:[^/*][^*]*\*+)*/")  # the unrolled C-comment pattern


def without_block_comments(text: str) -> str:
    """`/* ... */` comments become spaces; an unterminated one runs to the end, as in SQL and PHP.

    Closed comments go in one linear regex pass over the text up to the last `*/` (every `/*` there
    has a `*/` after it, so no attempt runs away); the tail after it is cut at its first `/*`.
    """
    last_close = text.rfind("*/")
    head, tail = (text[: last_close + 2], text[last_close + 2 :]) if last_close >= 0 else ("", text)
    if head:
        head = _BLOCK_COMMENT.sub(" ", head)
    opening = tail.find("/*")
    if opening >= 0:
        tail = tail[:opening] + " "
    return head + tail


_SPACES = re.compile(r"\s+")
# A run of `+` next to something other than a digit, a space or another `+`; it opens with the `+`
# itself (the looks behind come after it), so the search skips from `+` to `+`.
_PLUS_SPACE = re.compile(r"\+(?:(?<=[^\d\s+]\+)\+*|\+*(?=[^\d\s+]))")
_VERSION_COMMENT = re.compile(r"/\*!\d{0,6}")


def sql_view(text: str) -> str:
    """Inline comments become spaces (`un/**/ion`), runs of whitespace one space.

    MySQL executes the content of version comments (`/*!50000select*/`), so that content is kept.
    Comments are removed by a linear scan (a lazy regex would be quadratic on `/*/*/*...`).
    The last view made is kept by its text's identity: the SQL check asks again for the view that
    the value's views were just made with (0.7 ms per 30 KB of `1.e(` copies).
    """
    last_text, last_view = _LAST_SQL_VIEW[0]
    if last_text is text:
        return last_view
    view = _sql_view(text)
    _LAST_SQL_VIEW[0] = (text, view)
    return view


_LAST_SQL_VIEW: list[tuple[str, str]] = [("", "")]  # one cell, replaced whole


def _sql_view(text: str) -> str:
    if ("\n" in text or "\r" in text) and ("--" in text or "#" in text):
        text = _without_inner_line_comments(text)
    if "/*" in text:
        text = without_block_comments(_VERSION_COMMENT.sub(" ", text)).replace("*/", " ")
    if "+" in text:
        text = _PLUS_SPACE.sub(" ", text)  # `'+or+1=1` encoded once too often: `+` still means space
    if _EMPTY_EXPONENT_HINT.search(text):
        # MySQL reads a number with an empty exponent before `(`, `)` or `,` as nothing: `1.e(` is `(`
        text = _EMPTY_EXPONENT.sub("", text)
    return single_spaced(text)


_SQL_LINE_COMMENT = re.compile(r"(?:--|#)[^\r\n]*[\r\n]")


def _without_inner_line_comments(text: str) -> str:
    """A `--` or `#` comment ends at the line's end: what follows on the next lines is read (`1'#
    <LF>UNION<LF>SELECT ...`). Whitespace becomes one space in this view, so such a comment is taken
    out here, as block comments are; one with nothing but whitespace after it stays, since a comment
    that ends the value is part of how an injection reads (`' or 1=1--`)."""
    last = len(text.rstrip())
    pieces: list[str] = []
    start = 0
    for comment in _SQL_LINE_COMMENT.finditer(text):
        if comment.end() > last:
            break
        pieces.append(text[start : comment.start()])
        pieces.append(" ")
        start = comment.end()
    if not pieces:
        return text
    pieces.append(text[start:])
    return "".join(pieces)


_EMPTY_EXPONENT_HINT = re.compile(r"\.[eE][(),]")  # opens with a literal: 19 us per 30 KB of links, not 210
# Whitespace other than a lone space; `\s` in a str pattern also covers these Unicode spaces.
_OTHER_WHITESPACE = "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"


def single_spaced(text: str) -> str:
    """Runs of whitespace as one space. Most text has only lone spaces: it is returned as it is,
    found with substring tests, where a substitution would replace every space by itself."""
    if "  " in text or not text.isascii() or any(space in text for space in _OTHER_WHITESPACE):
        return _SPACES.sub(" ", text)
    return text


_EMPTY_EXPONENT = re.compile(r"\s*\b\d+\.[eE](?=[(),])")


_LINE_COMMENT = re.compile(r"(?://|#)[^\n]*")


def php_view(text: str) -> str:
    """A value as PHP would tokenize it: block, `//` and `#` comments removed, whitespace collapsed,
    so `$a/*x*/()` and `$a //x<newline>()` read as the call `$a ()` they are."""
    if "/*" in text:
        text = without_block_comments(text)
    if "//" in text or "#" in text:
        text = _LINE_COMMENT.sub(" ", text)
    return single_spaced(text)


# -- which views a value needs --------------------------------------------------------------------

Variant = Literal["text", "sql", "path", "shell", "php"]

_NEEDS_DECODING = re.compile(r"[%&\\+\x00]|=\?")  # `=?`: an RFC 2047 encoded word (decode.py)
_CONTROL = re.compile(r"[\x01-\x1f]")


def path_candidate(text: str) -> bool:
    """Whether the path view (separators and dots as lenient decoders read them) can differ."""
    return (
        not text.isascii()
        or "\\" in text
        or "%" in text
        or "0x" in text
        or "/." in text
        or "//" in text
        or "?" in text
        or "*" in text
        or _CONTROL.search(text) is not None
    )


def views(raw: str, form: bool = False) -> list[tuple[Variant, str]]:
    """_views (below), the last few long values' kept: the glance reads a long JSON string's views to
    know whether it may settle it, the full path reads them again to scan them (1.1 ms each for 31
    KB). The list is shared: callers read it, never change it. Kept in one cell that is replaced
    whole, so another thread sees an old tuple or a new one."""
    if len(raw) < _KEEP_FROM:
        return _views(raw, form)
    recent = _RECENT_VIEWS[0]
    for kept, kept_form, found in recent:
        if kept_form is form and (kept is raw or kept == raw):
            return found
    found = _views(raw, form)
    _RECENT_VIEWS[0] = ((raw, form, found), *recent[: _KEPT_VIEWS - 1])
    return found


_KEEP_FROM = 256  # shorter values cost less to read again than to look up
_KEPT_VIEWS = 4
_RECENT_VIEWS: list[tuple[tuple[str, bool, list[tuple[Variant, str]]], ...]] = [()]


def _views(raw: str, form: bool = False) -> list[tuple[Variant, str]]:
    """A value's normalised text, then each alternative view that differs from it: comment-free
    SQL, glued shell words, lenient file paths, comment-free PHP. Each view feeds only its own rules.

    A value holding a NUL (`%00`, `\\0`, `\\x00`, `\\u0000`) has two readings: NULs dropped, as
    lenient parsers do, and cut at the first NUL, as a C-string API (an include, fopen, a mail
    library) reads it: `http://evil/c99.php%00` and `/etc/passwd%00.png` each end where the file
    name the application opens ends. The cut reading is a text of its own, read by every rule; it
    keeps the NUL that ends it, so a rule can tell a value cut short (`x.php\\0`) from a whole one.
    """
    if _NEEDS_DECODING.search(raw) or not raw.isascii():
        text = normalize(raw, form=form, keep_nul=True)
        if "\x00" in text:
            cut = text[: text.index("\x00") + 1]
            text = text.replace("\x00", "")
            found = _views_of(text)
            if cut.strip("\x00 "):
                found.extend(view for view in _views_of(cut) if view not in found)
        else:
            found = _views_of(text)
        if "\\" in raw or "%5c" in raw or "%5C" in raw:
            _add_literal_views(found, raw, form)
        return found
    return _views_of(raw.lower())


def _add_literal_views(found: list[tuple[Variant, str]], raw: str, form: bool) -> None:
    """A shell reads `ca\\t` as `cat`, not as `ca` and a tab, and Windows reads `\\\\host\\tpl\\x.php`
    as a share's path, not as `tpl` after a tab: the shell and path views of a value with
    backslashes are also taken before backslash escapes are decoded (`;ca\\t /et\\c/pas\\swd`)."""
    literal = raw.replace("+", " ") if form else raw
    literal = (percent_decode(literal) if "%" in literal else literal).lower()
    if "\\" not in literal:
        return
    readings: list[tuple[Variant, str]] = []
    if shell_candidate(literal):
        readings.append(("shell", shell_view(literal)))
    if path_candidate(literal):
        readings.append(("path", path_view(literal)))
    for view in readings:
        if view not in found and all(text != view[1] for _, text in found):
            found.append(view)


def _views_of(text: str) -> list[tuple[Variant, str]]:
    found: list[tuple[Variant, str]] = [("text", text)]
    if "/*" in text or "+" in text or ".e" in text:
        _differing(found, "sql", sql_view(text), text)
        glued, split = _SPLIT_WORD.subn("", text) if "/*" in text else (text, 0)
        if split:
            _differing(found, "sql", sql_view(glued), text)
    if shell_candidate(text):
        _differing(found, "shell", shell_view(text), text)
    if path_candidate(text):
        _differing(found, "path", path_view(text), text)
    if ("\t" in text or "\n" in text or "\r" in text) and _SPLIT_SCHEME.match(text):
        _differing(found, "text", _URL_NOISE.sub("", text), text)
    if ("//" in text or "/*" in text or "#" in text) and ("$" in text or "(" in text):
        _differing(found, "php", php_view(text), text)
    return found


# URL parsers of the WHATWG kind drop every tab and line break in a URL: `ht\ttp://evil/x.txt` opens
# `http://evil/x.txt`. A value that opens with a scheme split that way is also read without them.
_SPLIT_SCHEME = re.compile(r"\s*[a-z][a-z0-9+.\t\r\n-]{0,40}:[\t\r\n]*[/\\][\t\r\n]*[/\\]")
_URL_NOISE = re.compile(r"[\t\r\n]")


# A comment inside a word (`un/**/ion sel/**/ect`): SQL reads a space there, a filter that strips
# comments reads the word whole, and so does the view of what the value was written to get past.
_SPLIT_WORD = re.compile(r"/(?<=[a-z_]/)\*(?!!)[^*]{0,64}\*/(?=[a-z_])")  # opens with its slash, as above


def _differing(found: list[tuple[Variant, str]], variant: Variant, view: str, text: str) -> None:
    if view != text:
        found.append((variant, view))


# Values made only of these characters decode to themselves and have no other view.
_NOT_PLAIN_SEARCH = re.compile(r"[^A-Za-z0-9_ .,:@=/\x00-]").search


def needing_views(raws: list[str]) -> set[int]:
    """Which values may decode to something else or read differently in another view; the others
    are only lower-cased. Found by searching all of them joined, skipping to the next value at each
    hit, so a clean request costs a handful of searches whatever its number of values."""
    special: set[int] = set()
    joined = "\x00".join(raws)
    if joined.count("\x00") != len(raws) - 1:
        special = {index for index, raw in enumerate(raws) if _NOT_PLAIN_SEARCH(raw) or "\x00" in raw}
    else:
        # The separator counts as plain, so a search runs to the next special character of any value.
        ends: list[int] = []
        offset = -1
        for raw in raws:
            offset += len(raw) + 1
            ends.append(offset)  # where the separator after each value sits
        position = 0
        while (found := _NOT_PLAIN_SEARCH(joined, position)) is not None:
            index = bisect.bisect_left(ends, found.start())
            special.add(index)
            position = ends[index] + 1
    for index, raw in enumerate(raws):
        if index not in special and (("/" in raw and ("/." in raw or "//" in raw)) or "0x" in raw or "0X" in raw):
            special.add(index)
    return special
