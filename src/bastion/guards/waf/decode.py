"""Decoding and normalisation before matching: what the application will eventually see.

Every step is bounded (a fixed number of rounds, linear in the input) and skipped when the input
cannot need it, so clean values cost a few membership tests. The result is lower-cased text in which
the encodings attackers use to slip past signatures have been undone:

- percent-encoding, repeated (up to 3 rounds), `+` as space in form values, `%uXXXX`;
- overlong and invalid UTF-8 sequences (`%c0%af` is `/` to some decoders) mapped to the ASCII
  character they smuggle, and the "best fit" CJK characters some servers truncate to a byte
  (U+560A to LF);
- HTML entities (`&lt;`, `&#x3c;`, `&#60`) and backslash escapes (`\\x3c`, `\\u003c`);
- Unicode NFKC (full-width less-than is `<`) and case folding;
- path separators: backslashes become slashes.
"""

from __future__ import annotations

import binascii
import bisect
import codecs
import html
import itertools
import re
import unicodedata
from typing import Literal
from urllib.parse import unquote_to_bytes

from bastion.guards.waf.shell_words import shell_candidate, shell_view

_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")
_PERCENT_U = re.compile(r"%u([0-9a-fA-F]{4})", re.IGNORECASE)
# An escape after an even run of backslashes: the pairs are escaped backslashes, kept as written, so
# in `\\203.0.113.50` (a UNC host) no octal 203 follows a lone backslash. Runs of pairs alone do not
# match at all: a value of 32,000 backslashes costs one scan, not a callback per pair.
_BACKSLASH_ESCAPE = re.compile(
    r"(?<!\\)((?:\\\\)*)\\(?:x([0-9a-fA-F]{2})|u\{?([0-9a-fA-F]{4})\}?|([0-7]{3})|([nrt]|0(?![0-9a-zA-Z])))"
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
# Overlong encodings of ASCII: 2-byte C0/C1 xx, 3-byte E0 80-9F xx, 4-byte F0 80-8F xx xx, and the
# longer (invalid) 5- and 6-byte forms, which permissive decoders still fold to one character.
_OVERLONG = re.compile(
    rb"[\xc0\xc1][\x80-\xbf]|\xe0[\x80-\x9f][\x80-\xbf]|\xf0[\x80-\x8f][\x80-\xbf]{2}"
    rb"|[\xf8-\xfb][\x80-\xbf]{4}|[\xfc\xfd][\x80-\xbf]{5}"
)
# Characters whose low byte some servers keep when they narrow UTF-16 to bytes ("best fit"); and
# the line separators that end a line for Python's splitlines() and for Java's and JavaScript's
# line terminators (NEL, U+2028, U+2029): a mail or log header split there is split as at a CRLF.
_BEST_FIT = str.maketrans(
    {
        "\u560a": "\n",
        "\u560d": "\r",
        "\u563c": "<",
        "\u563e": ">",
        "\u5c0d": "\r",
        "\x85": "\n",
        "\u2028": "\n",
        "\u2029": "\n",
    }
)
_ROUNDS = 3


def _overlong(match: re.Match[bytes]) -> bytes:
    raw = match.group(0)
    lead = raw[0]
    if lead in (0xC0, 0xC1):
        value = ((lead & 0x1F) << 6) | (raw[1] & 0x3F)
    elif lead == 0xE0:
        value = ((raw[1] & 0x3F) << 6) | (raw[2] & 0x3F)
    elif lead == 0xF0:
        value = ((raw[2] & 0x3F) << 6) | (raw[3] & 0x3F)
    else:
        value = ((raw[-2] & 0x3F) << 6) | (raw[-1] & 0x3F)
    return bytes([value & 0x7F])


_ESCAPE_DECODABLE = re.compile(r"%(?![0-9a-fA-F]{2})")


def _unquote_to_bytes(text: str) -> bytes:
    """urllib's unquote_to_bytes, in C when every `%` starts an escape (long runs of `%25` cost a
    Python step each otherwise)."""
    if text.isascii() and _ESCAPE_DECODABLE.search(text) is None:
        return codecs.escape_decode(text.replace("\\", "\\\\").replace("%", "\\x").encode("ascii"))[0]
    # Text made from bytes that were not UTF-8 holds lone surrogates, which urllib cannot encode:
    # give it back its original bytes (surrogateescape), or any surrogate as such (surrogatepass).
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "surrogatepass")
    return unquote_to_bytes(raw)


_LONE_PERCENT_U = re.compile(r"%[uU](?![0-9a-fA-F]{4})")


def _percent_u(text: str) -> str:
    """IIS's `%uXXXX`, decoded in C when every `%u` is followed by four hex digits."""
    if text.isascii() and "\\" not in text and _LONE_PERCENT_U.search(text) is None:
        escaped = text.replace("%u", "\\u").replace("%U", "\\u")
        return escaped.encode("ascii").decode("unicode_escape", "surrogatepass")
    return _PERCENT_U.sub(lambda m: chr(int(m.group(1), 16)), text)


def percent_decode(text: str, *, plus: bool = False) -> str:
    """Decode percent-encoding (and %uXXXX), up to three nested rounds, folding overlong UTF-8."""
    for _ in range(_ROUNDS):
        if "%" not in text:
            break
        if plus:
            text = text.replace("+", " ")
        if "%u" in text or "%U" in text:
            text = _percent_u(text)
        if not _PERCENT.search(text):
            break
        raw = _unquote_to_bytes(text)
        if _OVERLONG.search(raw):
            raw = _OVERLONG.sub(_overlong, raw)
        decoded = _bytes_to_text(raw)
        if decoded == text:
            break
        text = decoded
    return text


# Stray continuation bytes read as Latin-1 (`%a0` is a no-break space to MySQL's latin1 client);
# stray lead bytes (`%c0` alone) become U+FFFD, which lenient path decoders drop.
_STRAY_BYTES = {0xDC00 + byte: chr(byte) if byte < 0xC0 else "\ufffd" for byte in range(0x80, 0x100)}


def _bytes_to_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "surrogateescape").translate(_STRAY_BYTES)


def _backslash(match: re.Match[str]) -> str:
    pairs, hex_byte, hex_unit, octal, control = match.groups()
    if hex_byte:
        return pairs + chr(int(hex_byte, 16))
    if hex_unit:
        return pairs + chr(int(hex_unit, 16))
    if control:
        return pairs + {"n": "\n", "r": "\r", "t": "\t", "0": "\x00"}[control]
    return pairs + chr(int(octal, 8) & 0xFF)


# UTF-7 runs that encode plain ASCII (`+ADw-script+AD4-` is `<script>`): what a page or XML parser
# declared as UTF-7 reads. Runs that decode to anything else are left alone.
_UTF7_ASCII = re.compile(r"\+(A[A-H][A-Za-z0-9+/]+)-?")


def _utf7(match: re.Match[str]) -> str:
    try:
        decoded = f"+{match.group(1)}-".encode("ascii").decode("utf-7")
    except (UnicodeError, ValueError):
        return match.group(0)
    return decoded if decoded and decoded.isascii() and decoded.isprintable() else match.group(0)


def normalize(value: str, *, form: bool = False, fold: bool = True, keep_nul: bool = False) -> str:
    """The canonical view of one client-controlled value, for matching (`fold`: lower-cased;
    `keep_nul`: decoded NULs stay, for the reading cut at the first one, see `views`)."""
    text = value
    if form and "+" in text:
        text = text.replace("+", " ")
    if "%" in text:
        text = percent_decode(text, plus=form)

    if "+A" in text and _UTF7_ASCII.search(text):
        text = _UTF7_ASCII.sub(_utf7, text)
    for _ in range(2):  # entities and escapes can wrap each other once more
        changed = False
        if "&" in text and _ENTITY.search(text):
            unescaped = html.unescape(text)
            changed |= unescaped != text
            text = unescaped
        if "\\" in text and _BACKSLASH_ESCAPE.search(text):
            text = _BACKSLASH_ESCAPE.sub(_backslash, text)
            changed = True
        if "%" in text and _PERCENT.search(text):
            text = percent_decode(text)
            changed = True
        if not changed:
            break
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text.translate(_BEST_FIT))
    if "\x00" in text and not keep_nul:
        text = text.replace("\x00", "")  # NUL is dropped by many parsers: match what they see
    return text.lower() if fold else text


_PATH_JUNK = re.compile("[\ufffd\x01-\x08\x0b\x0c\x0e-\x1f\x80-\xa0]")

# Separators as lenient decoders (IIS "best fit", UTF-16 narrowing) understand them: private-use
# characters used for '/', look-alike slashes, literal 0x2f/0x5c/0x2e, and leftover invalid escapes.
_PATH_SLASHES = re.compile(
    r"[\ue000-\uf8ff\u2215\u2044\u29f5\u29f8\u2571\u3033]|0x(?:2f|5c)|%[g-z][0-9a-z]|%[0-9a-f][g-z]"
)
_WILDCARD_DOTS = re.compile(r"(?:(?<=^)|(?<=/))[?*]{2,3}(?=/)")
_SAME_DIRECTORY = re.compile(r"(?:/\.)+(?=/)")

_NIBBLES = re.compile(r"%([0-9a-f])%([0-9a-f])")


def path_view(text: str) -> str:
    """A normalised value as a file path, the way the most lenient file API would read it.

    Backslashes are separators; bytes that decoded to nothing useful (invalid UTF-8, control
    characters) vanish; look-alike and private-use slashes and literal `0x2f` are slashes; `0x2e` is
    a dot; double-encoded nibbles (`%%32%%65` decodes to `%2%e`) are joined.
    """
    if "%" in text and _NIBBLES.search(text):
        text = _NIBBLES.sub(lambda m: chr(int(m.group(1) + m.group(2), 16)), text)
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
        text = _WILDCARD_DOTS.sub("..", text)  # `??\??\etc`: Windows wildcards standing for `..`
    if "/./" in text:
        text = _SAME_DIRECTORY.sub("", text)  # `/./\/./windows` is `/windows`
    if "//" in text:
        unc = text.startswith("//") and not text.startswith("///")  # a leading `//` (a UNC host) stays
        text = "/" + _single_slashes(text[1:]) if unc else _single_slashes(text)
    return text


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
    """
    if "/*" in text:
        text = without_block_comments(_VERSION_COMMENT.sub(" ", text)).replace("*/", " ")
    if "+" in text:
        text = _PLUS_SPACE.sub(" ", text)  # `'+or+1=1` encoded once too often: `+` still means space
    if _EMPTY_EXPONENT_HINT.search(text):
        # MySQL reads a number with an empty exponent before `(`, `)` or `,` as nothing: `1.e(` is `(`
        text = _EMPTY_EXPONENT.sub("", text)
    return single_spaced(text)


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


_BASE64_SHAPE = re.compile(r"[A-Za-z0-9+/_-]{8,}={0,2}")
# Cheap pre-test on a raw value: base64 characters, possibly percent-encoded or escaped.
_BASE64_CANDIDATE = re.compile(r"\s*[A-Za-z0-9+/_%\\-]{8,}(?:=|%3[dD]){0,2}\s*").fullmatch
_BASE64_SEGMENT = re.compile(r"[A-Za-z0-9+_-]{8,}(?:=|%3[dD]){0,2}").fullmatch
_DATA_URI = re.compile(r"data:[\w/+.-]{0,64}(?:;[\w=.-]{1,64}){0,4};base64,([A-Za-z0-9+/_-]{8,}={0,2})", re.IGNORECASE)
MIN_BASE64_TEXT = 5


def base64_text(value: str) -> str | None:
    """The readable text a base64 value encodes, or None (binary, too short, not base64).

    Readable: nearly all printable characters and a third of them letters or symbols of code, so
    that random tokens and hashes, which decode to noise, are not mistaken for smuggled payloads.
    Padding is optional (many encoders drop it), and the URL-safe alphabet is read too.
    """
    if not _BASE64_SHAPE.fullmatch(value):
        return None
    data = value.encode("ascii")  # the shape admits ASCII only
    if b"=" not in data:
        if len(data) % 4 == 1:
            return None  # no base64 has that length (and the decoder's error costs more than this test)
        data += b"=" * (-len(data) % 4)
    try:  # what base64.b64decode does, without its per-call overhead (this runs per value)
        decoded = binascii.a2b_base64(data.translate(_URL_SAFE))
    except binascii.Error:
        return None
    return _readable(decoded) if len(decoded) >= MIN_BASE64_TEXT else None


def _readable(decoded: bytes) -> str | None:
    if decoded.isascii():  # the common case, counted in C
        size = len(decoded)
        printable = size - len(decoded.translate(None, _PRINTABLE_ASCII))
        code = size - len(decoded.translate(None, _CODE_ASCII))
        return decoded.decode("ascii") if printable / size > 0.97 and code >= size // 3 else None
    # Random bytes (tokens, hashes) are rarely valid UTF-8. Invalid bytes become U+FFFD without the
    # cost of an exception; only a text that holds U+FFFD itself needs the strict decoding.
    text = decoded.decode("utf-8", "replace")
    if "\ufffd" in text and (b"\xef\xbf\xbd" not in decoded or not _valid_utf8(decoded)):
        return None
    if len(text) < MIN_BASE64_TEXT:
        return None
    printable = sum(1 for c in text if c.isprintable() or c in "\r\n\t")
    if printable / len(text) > 0.97 and sum(c.isalnum() or c in _CODE_SYMBOLS for c in text) >= len(text) // 3:
        return text
    return None


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except ValueError:
        return False
    return True


_CODE_SYMBOLS = frozenset("{}()<>[]$;|&'\"=/*%#!`\\.:")
_URL_SAFE = bytes.maketrans(b"-_", b"+/")
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\r\n\t"
_CODE_ASCII = bytes(c for c in range(128) if chr(c).isalnum() or chr(c) in _CODE_SYMBOLS)


def base64_decodings(raw: str, kind: str, form: bool) -> list[str]:
    """What a value may carry in base64 (case matters in base64: decoded unfolded): the whole value,
    each path segment of a path, and the payload of every `data:...;base64,` URI in it."""
    found: list[str] = []
    if kind == "path":
        for segment in raw.split("/")[:64]:
            if len(segment) >= 8 and _BASE64_SEGMENT(segment):
                text = base64_text(normalize(segment, fold=False))
                if text is not None:
                    found.append(text)
    elif len(raw) >= 8 and _BASE64_CANDIDATE(raw):
        text = base64_text(normalize(raw, form=form, fold=False).strip())
        if text is not None:
            found.append(text)
    if ";base64," in raw or ";BASE64," in raw or "%3bbase64" in raw.lower():
        for match in itertools.islice(_DATA_URI.finditer(normalize(raw, form=form, fold=False)), 16):
            text = base64_text(match.group(1))
            if text is not None:
                found.append(text)
    return found


# -- which views a value needs --------------------------------------------------------------------

Variant = Literal["text", "sql", "path", "shell", "php"]

_NEEDS_DECODING = re.compile(r"[%&\\+\x00]")
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
            _add_literal_shell_view(found, raw, form)
        return found
    return _views_of(raw.lower())


def _add_literal_shell_view(found: list[tuple[Variant, str]], raw: str, form: bool) -> None:
    """A shell reads `ca\\t` as `cat`, not as `ca` and a tab: its view of a value with backslashes
    is taken before backslash escapes are decoded (`;ca\\t /et\\c/pas\\swd`)."""
    literal = raw.replace("+", " ") if form else raw
    literal = (percent_decode(literal) if "%" in literal else literal).lower()
    if "\\" in literal and shell_candidate(literal):
        view: tuple[Variant, str] = ("shell", shell_view(literal))
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
_SPLIT_WORD = re.compile(r"(?<=[a-z_])/\*(?!!)[^*]{0,64}\*/(?=[a-z_])")


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
