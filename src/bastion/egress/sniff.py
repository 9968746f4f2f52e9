"""What a response body is, whatever its headers claim: its bytes decoded to UTF-8 text, or binary.

A response labelled `application/octet-stream`, `text/html` or nothing at all can carry the same
JSON as one labelled `application/json`, and `charset=utf-16` hides every byte pattern a scanner
looks for. So before anything is filtered or scanned:
- a Content-Encoding is undone (gzip and deflate, bounded: a small compressed body may expand to
  gigabytes); any other coding cannot be read, and the response is refused;
- the text is decoded from its byte-order mark or declared charset into UTF-8; a charset Python
  does not know, or bytes that are not in it, are refused (nothing undecodable leaves inspected);
- a body that starts with a known binary signature (PNG, JPEG, PDF, ZIP...) is binary: it cannot
  be masked without breaking it, so a sensitive value found in it withholds it whole;
- anything else is text, and JSON if it parses as JSON. Invalid UTF-8 without a declared charset
  is kept byte for byte (surrogateescape), so masking changes nothing but what it masks.
"""

from __future__ import annotations

import codecs
import zlib

UTF8 = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})
DECODABLE_CODINGS = frozenset({"gzip", "x-gzip", "deflate"})
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# File signatures at offset 0 (and ISO-BMFF's `ftyp` at offset 4): formats whose bytes are not text.
_SIGNATURES = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"%PDF-",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"7z\xbc\xaf\x27\x1c",
    b"(\xb5/\xfd",  # zstd
    b"RIFF",
    b"OggS",
    b"fLaC",
    b"ID3",
    b"wOFF",
    b"wOF2",
    b"\x00\x01\x00\x00\x00",
    b"OTTO",
    b"II*\x00",
    b"MM\x00*",
    b"SQLite format 3\x00",
    b"PAR1",
    b"Obj\x01",
    b"\x1aE\xdf\xa3",  # Matroska, WebM
)


class Undecodable(ValueError):
    """The body cannot be turned into inspectable text; `reason` goes to the audit trail."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def media_and_charset(content_type: str | None) -> tuple[str, str | None]:
    """(media type lower-cased, declared charset lower-cased or None) of a Content-Type value."""
    if not content_type:
        return "", None
    media, _, params = content_type.partition(";")
    charset = None
    if params:
        for param in params.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset":
                charset = value.strip().strip('"').lower() or None
    return media.strip().lower(), charset


def known_charset(charset: str) -> bool:
    try:
        info = codecs.lookup(charset)
    except LookupError:
        return False
    return not info.name.startswith(("rot", "base64", "hex", "zlib", "bz2", "quopri", "uu"))


def is_binary(body: bytes) -> bool:
    """A body that starts like a binary file format (an image, an archive, a PDF, a font...)."""
    return body.startswith(_SIGNATURES) or body[4:8] == b"ftyp"


def bom_charset(body: bytes) -> str | None:
    """The encoding a byte-order mark names, or that the NULs of ASCII text in UTF-16/32 betray
    (the detection of RFC 4627 section 3): `{\x00"\x00` is UTF-16LE whatever the headers say."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    head = body[:4]
    if len(head) == 4 and b"\x00" in head:
        candidate = _NUL_PATTERNS.get((head[0] == 0, head[1] == 0, head[2] == 0, head[3] == 0))
        # only when it reads as the start of JSON: other bytes with NULs in them are binary data
        if candidate is not None and head.decode(candidate, "ignore")[:1] in _JSON_STARTS:
            return candidate
    return None


_JSON_STARTS = frozenset('{["')

_NUL_PATTERNS = {
    (True, True, True, False): "utf-32-be",
    (False, True, True, True): "utf-32-le",
    (True, False, True, False): "utf-16-be",
    (False, True, False, True): "utf-16-le",
}


def as_utf8(body: bytes, charset: str | None) -> tuple[bytes, bool]:
    """The body as UTF-8 (bytes kept as they are where they were not UTF-8 and nothing was declared),
    and whether it was re-encoded (its Content-Type must then say charset=utf-8)."""
    source = bom_charset(body) or charset
    if source is None or source in UTF8:
        return body, False
    if is_binary(body):
        raise Undecodable(f"binary body declared as {source} text")
    try:
        text = body.decode(source)
    except (UnicodeDecodeError, LookupError):
        raise Undecodable(f"body is not valid {source}") from None
    return text.removeprefix("\ufeff").encode("utf-8", "surrogatepass"), True


def decode_content(body: bytes, coding: str, limit: int) -> bytes:
    """A gzip or deflate body expanded, never past `limit` bytes (a compression bomb stops there)."""
    coding = coding.strip().lower()
    if coding not in DECODABLE_CODINGS:
        raise Undecodable(f"content coding {coding[:32]!r} cannot be inspected")
    # wbits 47 reads gzip and zlib headers alike; raw deflate (no header) is what some servers send.
    for wbits in (47, -15):
        decoder = zlib.decompressobj(wbits)
        try:
            out = decoder.decompress(body, limit + 1)
        except zlib.error:
            continue
        if len(out) > limit or decoder.unconsumed_tail:
            raise Undecodable("decompressed body larger than max_inspected")
        return out
    raise Undecodable(f"body is not valid {coding}")


def starts_like_json(body: bytes) -> bool:
    """Whether the first non-blank byte opens a JSON object or array (the cheap test before a parse)."""
    first = body[:1]
    if first in (b"{", b"["):
        return True
    if first in (b" ", b"\t", b"\r", b"\n"):
        return body[:4096].lstrip(b" \t\r\n")[:1] in (b"{", b"[")
    return False


def set_charset_utf8(content_type: str) -> str:
    """The Content-Type with its charset parameter replaced by utf-8 (after re-encoding)."""
    media, _, params = content_type.partition(";")
    kept = [p.strip() for p in params.split(";") if p.strip() and p.partition("=")[0].strip().lower() != "charset"]
    return "; ".join([media.strip(), *kept, "charset=utf-8"])
