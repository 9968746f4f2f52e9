"""System file names reached through encoded separators.

The path view has already turned lenient encodings (overlong UTF-8, %u, 0x2f, look-alike slashes)
into slashes. This check asks whether that happened on the way to the match: the same file name
spelled with plain slashes in the raw value is ordinary text (a manual page, a log line), spelled
with encodings it is a traversal attempt aimed at decoders.
"""

from __future__ import annotations

import re
from typing import Any

_ENCODED = ("%c0", "%c1", "%e0", "%f0", "%f8", "%fc", "%u", "0x2f", "0x5c", "0x2e", "%%", "%25", "%bg", "%qf", "%01")


def encoded_path(text: str, target: Any, pattern: object = None) -> tuple[int, str]:
    raw = str(getattr(target, "raw", "")).lower()
    if any(marker in raw for marker in _ENCODED) or ".." in text or "?./" in text or "./?" in text:
        return 5, "system file behind encoded separators"
    return 0, ""


def hidden_segment(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """A hidden path segment other than `/.well-known/` (RFC 8615's public metadata)."""
    for match in pattern.finditer(text):
        segment = match.group(0)[1:]
        if segment != ".well-known" and not segment.startswith(".well-known"):
            return 5, f"hidden path segment {segment[:40]}"
    return 0, ""
