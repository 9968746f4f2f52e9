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
- base64 of readable text, in whole values, path segments and `data:` URIs.

The other readings of a decoded value (comment-free SQL, shell words, a lenient file path, PHP)
are its views, in views.py.
"""

from __future__ import annotations

import binascii
import codecs
import html
import itertools
import re
import unicodedata

_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")
_PERCENT_U = re.compile(r"%u([0-9a-fA-F]{4})", re.IGNORECASE)
# An escape after an even run of backslashes: the pairs are escaped backslashes, kept as written, so
# in `\\203.0.113.50` (a UNC host) no octal 203 follows a lone backslash. The reading of record:
# `_decode_backslashes` finds the escapes with `_BACKSLASH_SPLIT` and parses each with this.
_BACKSLASH_ESCAPE = re.compile(
    r"(?<!\\)((?:\\\\)*)\\(?:x([0-9a-fA-F]{2})|u\{?([0-9a-fA-F]{4})\}?|([0-7]{3})|([nrt]|0(?![0-9a-zA-Z])))"
)
# The same reading for re.split, opening with a literal backslash so that Python's engine skips to
# the next one (a look-behind first made it try every position: 0.8 ms per 31 KB): a run of escaped
# backslashes is a token of its own, kept as written, and a lone backslash left after it opens an
# escape. `_ANY_ESCAPE` says whether splitting is worth it (a pair before it is the split's to read).
_ESCAPE_BODY = r"(?:x[0-9a-fA-F]{2}|u\{?[0-9a-fA-F]{4}\}?|[0-7]{3}|[nrt]|0(?![0-9a-zA-Z]))"
_BACKSLASH_SPLIT = re.compile(r"(\\(?:\\(?:\\\\)*|" + _ESCAPE_BODY + "))")
_ANY_ESCAPE = re.compile(r"\\" + _ESCAPE_BODY)
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
        "\u2215": "/",  # division slash and set minus: Windows' best-fit narrows them to `/` and `\`
        "\u2216": "\\",
        "\u02bc": "'",  # modifier letter apostrophe: SQL Server's best fit to varchar makes it a quote
        "\u0131": "i",  # dotless i: Java's and JavaScript's toUpperCase() make it `I` (NFKC makes the long s an `s`)
    }
)
BEST_FIT_CHARACTERS = "".join(chr(code) for code in _BEST_FIT)  # plain_text.py: none reads as itself
_BEST_FIT_CHARACTER = re.compile("[" + re.escape(BEST_FIT_CHARACTERS) + "]")
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


_LONE_PERCENT = re.compile(rb"%(?![0-9a-fA-F]{2})")


def _unquote_to_bytes(text: str) -> bytes:
    """urllib's unquote_to_bytes, in C (long runs of `%25` cost urllib a Python step each): a `%`
    that starts no escape is written as one first, and the text may hold anything else (30 KB of
    `%c0%2e` copies cut in the middle of an escape took urllib 1.2 ms)."""
    if text.isascii():
        raw = text.encode("ascii")
    else:
        # Text made from bytes that were not UTF-8 holds lone surrogates, which urllib cannot
        # encode: give it back its original bytes (surrogateescape), or any surrogate as such.
        try:
            raw = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            raw = text.encode("utf-8", "surrogatepass")
    raw = _LONE_PERCENT.sub(b"%25", raw)  # one scan, whether or not a lone `%` is there
    return codecs.escape_decode(raw.replace(b"\\", b"\\\\").replace(b"%", b"\\x"))[0]


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


# When no byte above 0x7f is part of a UTF-8 character, all of them are stray: continuation bytes read
# as Latin-1, lead bytes (0xc0 and up, mapped to 0xff first) become U+FFFD, all in C. `str.translate`
# looks every character up in the table (1.5 ms for 30 KB of `%c0%2e` copies).
_LEADS_TO_FF = bytes.maketrans(bytes(range(0xC0, 0x100)), b"\xff" * 0x40)


def _bytes_to_text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", "surrogateescape")
        if len(text) == len(raw):  # one character per byte: no UTF-8 character of two bytes or more
            return raw.translate(_LEADS_TO_FF).decode("latin-1").replace("\xff", "\ufffd")
        return text.translate(_STRAY_BYTES)


def _decode_backslashes(text: str) -> str:
    """Each escape replaced by its character, looked up by how it is written: a flood repeats a few
    escapes (30 KB of `top['al\\x65rt']` copies: 1,500 escapes, one of them distinct). The text is
    split at the escapes and the kept ones looked up by `map` over `dict.get`, all in C; `re.sub`
    with a Python callback cost 0.6 µs per escape (1.05 -> 0.18 ms for those copies)."""
    parts = _BACKSLASH_SPLIT.split(text)
    escapes = parts[1::2]
    decoded = list(map(_DECODED_ESCAPES.get, escapes))
    if None in decoded:
        decoded = [
            known if known is not None else _parsed_escape(escape)
            for known, escape in zip(decoded, escapes, strict=True)
        ]
    parts[1::2] = decoded
    return "".join(parts)


def _parsed_escape(escape: str) -> str:
    match = _BACKSLASH_ESCAPE.fullmatch(escape)
    decoded = escape if match is None else _decoded_escape(match)
    if len(escape) <= _KEPT_ESCAPE_LENGTH and len(_DECODED_ESCAPES) < _MOST_ESCAPES_KEPT:
        _DECODED_ESCAPES[escape] = decoded
    return decoded


# What is kept is bounded: escapes of up to 12 characters (`\\\\\u{0041}` and shorter), 1,024 of
# them (about 130 KiB); once that is full, escapes not kept are parsed as before.
_DECODED_ESCAPES: dict[str, str] = {}
_KEPT_ESCAPE_LENGTH = 12
_MOST_ESCAPES_KEPT = 1024


def _decoded_escape(match: re.Match[str]) -> str:
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


# RFC 2047 encoded words (`=?UTF-8?Q?Hi=0D=0ABcc=3A_x?=`, `=?utf-8?B?SGkNCkJjYzo=?=`): what a mail
# library decodes in a header field, so a value spliced into a subject or a name carries its line
# breaks there. Bounded: a charset token and at most 1,000 characters of text each.
_ENCODED_WORD = re.compile(r"=\?([A-Za-z0-9_.:-]{1,40})(?:\*[A-Za-z-]{1,20})?\?([BbQq])\?([^?\s]{0,1000})\?=")
_Q_HEX = re.compile(rb"=([0-9A-Fa-f]{2})")


def _encoded_word(match: re.Match[str]) -> str:
    charset, encoding, text = match.groups()
    try:
        if encoding in "Bb":
            data = binascii.a2b_base64(text + "=" * (-len(text) % 4))
        else:
            data = _Q_HEX.sub(lambda byte: bytes([int(byte.group(1), 16)]), text.replace("_", " ").encode("ascii"))
        return data.decode(charset if _known_codec(charset) else "latin-1", errors="replace")
    except (ValueError, UnicodeError):
        return match.group(0)


def _known_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


# A real tag, and a less-than sign written as a character reference. In an HTML document the
# references in text between tags are text: `<pre><code>&lt;script&gt;</code></pre>` shows a tag and
# makes none, so those stay a look-alike (U+2039) when the rest is decoded; inside a tag (an attribute's
# value: `srcdoc="&lt;script&gt;"`) and in a value without a tag they decode as always.
_TAG = re.compile(r"<[a-zA-Z/!?][^<>]{0,4096}>")
_ESCAPED_LESS_THAN = re.compile(r"&(?:lt|LT|#0*60(?!\d)|#[xX]0*3[cC](?![0-9a-fA-F]));?")
TEXT_LESS_THAN = "\u2039"
_TEXT_ESCAPES = 256  # escaped `<` in one value read this way, at most: past it all of them decode


def _text_escapes_kept(text: str) -> str:
    """`text` with each escaped `<` between an HTML value's tags replaced by a look-alike.

    Walks from one escape to the next (never the tags one by one): whether an escape stands inside a
    tag is whether a `<` or a `>` came last before it, which the stretch since the previous escape
    decides unless it holds neither."""
    if "<" not in text or _TAG.search(text) is None:
        return text
    escapes = list(itertools.islice(_ESCAPED_LESS_THAN.finditer(text), _TEXT_ESCAPES + 1))
    if not escapes or len(escapes) > _TEXT_ESCAPES:
        return text
    pieces: list[str] = []
    position = 0
    inside = False
    for escape in escapes:
        opened, closed = text.rfind("<", position, escape.start()), text.rfind(">", position, escape.start())
        if opened > closed:
            inside = _TAG.match(text, opened) is not None  # a `<` that opens no tag is text
        elif closed > opened:
            inside = False
        pieces.append(text[position : escape.start()])
        pieces.append(escape.group(0) if inside else TEXT_LESS_THAN)
        position = escape.end()
    pieces.append(text[position:])
    return "".join(pieces)


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
    if "=?" in text and "?=" in text:
        text = _ENCODED_WORD.sub(_encoded_word, text)
    for _ in range(2):  # entities and escapes can wrap each other once more
        changed = False
        if "&" in text and _ENTITY.search(text):
            unescaped = html.unescape(_text_escapes_kept(text))
            changed |= unescaped != text
            text = unescaped
        if "\\" in text and _ANY_ESCAPE.search(text):
            decoded = _decode_backslashes(text)
            changed |= decoded != text
            text = decoded
        if "%" in text and _PERCENT.search(text):
            text = percent_decode(text)
            changed = True
        if not changed:
            break
    if not text.isascii():
        if _BEST_FIT_CHARACTER.search(text):  # translate looks every character up (1.1 ms per 30 KB)
            text = text.translate(_BEST_FIT)
        text = unicodedata.normalize("NFKC", text)
    if "\x00" in text and not keep_nul:
        text = text.replace("\x00", "")  # NUL is dropped by many parsers: match what they see
    return text.lower() if fold else text


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
    printable = sum(1 for c in text if c.isprintable() or c in "\r\n\t\x00")
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
# NUL counts with the printable bytes: in ASCII text it is deliberate, as in PHP's serialized objects
# (`s:9:"\0*\0events"` names a protected property) and C strings; noise is not ASCII in the first place.
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\r\n\t\x00"
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
    lowered = raw.lower()
    # `;base64,` as sent, or percent-encoded letter by letter (`%3B%62%61%73%65%36%34%2C`)
    if ";base64," in lowered or ("%" in raw and ("%3b" in lowered or ";" in raw)):
        unfolded = normalize(raw, form=form, fold=False)
        if ";base64," not in unfolded.lower():
            return found
        for match in itertools.islice(_DATA_URI.finditer(unfolded), 16):
            text = base64_text(match.group(1))
            if text is not None:
                found.append(text)
    return found
