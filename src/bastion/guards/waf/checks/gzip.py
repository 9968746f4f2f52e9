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
from urllib.parse import unquote, unquote_plus

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
        raw = unquote_plus(raw) if getattr(target, "form", False) else unquote(raw)
    try:
        compressed = base64.b64decode(raw + "=" * (-len(raw) % 4), altchars=b"-_" if "-" in raw or "_" in raw else None)
        inflated = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(compressed, _INFLATED)
    except (binascii.Error, ValueError, zlib.error):
        return 0, ""
    if inflated.startswith(_JAVA_STREAM) or _GADGETS.search(inflated):
        return 5, "base64 of gzip holding a serialized Java object"
    return 0, ""
