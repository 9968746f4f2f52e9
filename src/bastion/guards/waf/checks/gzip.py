"""Base64 of gzip: what frameworks put in cookies and view state, and how Java objects are smuggled.

A serialized Java object in base64 starts `rO0AB` and is read as such (java.yaml); compressed first,
it starts `H4sI` (gzip's magic, 1f 8b 08) and shows nothing. The value is decoded and inflated, at
most a few kilobytes of output (a bomb inflates no further), and the stream's own start is read.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib

from bastion.guards.waf.inspected import as_sent

_INFLATED = 4096  # bytes of output looked at: the stream header and the first class names
_JAVA_STREAM = b"\xac\xed\x00\x05"
_GADGETS = re.compile(
    rb"org\.apache\.commons\.collections|java\.lang\.reflect|java\.lang\.Runtime|sun\.reflect|ysoserial|TemplatesImpl"
)


def gzip_java_object(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    """java-gzip-serialized-object: base64 of gzip that inflates to a Java object stream or names
    classes of its gadgets."""
    raw = str(getattr(target, "raw", text)).strip()
    if "%" in raw:  # a query or form value as sent: `+`, `/` and `=` come percent-encoded (JSF's ViewState)
        raw = as_sent(target, text).strip()
    try:
        compressed = base64.b64decode(raw + "=" * (-len(raw) % 4), altchars=b"-_" if "-" in raw or "_" in raw else None)
        inflated = _inflated(compressed)
    except (binascii.Error, ValueError, zlib.error):
        return 0, ""
    if inflated.startswith(_JAVA_STREAM) or _GADGETS.search(inflated):
        return 5, "base64 of gzip holding a serialized Java object"
    return 0, ""


def _inflated(compressed: bytes) -> bytes:
    """The stream's first bytes, as a reader that streams them sees them: the gzip trailer's checksum
    is only checked at the end, after ObjectInputStream has read (and run) the object, so a stream
    with a wrong one is read as raw deflate past a plain ten-byte header."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(compressed, _INFLATED)
    except zlib.error:
        if compressed[3:4] != b"\x00":  # a header with optional fields: not worth parsing for a broken stream
            raise
        return zlib.decompressobj(-zlib.MAX_WBITS).decompress(compressed[10:], _INFLATED)
