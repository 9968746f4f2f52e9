"""System file names reached through encoded separators.

The path view has already turned lenient encodings (overlong UTF-8, %u, 0x2f, look-alike slashes)
into slashes. This check asks whether that happened on the way to the match: the same file name
spelled with plain slashes in the raw value is ordinary text (a manual page, a log line), spelled
with encodings it is a traversal attempt aimed at decoders.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

_ENCODED = ("%c0", "%c1", "%e0", "%f0", "%f8", "%fc", "%u", "0x2f", "0x5c", "0x2e", "%%", "%25", "%bg", "%qf", "%01")


def encoded_path(text: str, target: Any, pattern: object = None) -> tuple[int, str]:
    raw = str(getattr(target, "raw", "")).lower()
    if any(marker in raw for marker in _ENCODED) or ".." in text or "?./" in text or "./?" in text:
        return 5, "system file behind encoded separators"
    return 0, ""


# What a repository commits for everyone to read: its CI workflows and its formatting settings (a
# repository browser's or a code host API's path: `/contents/.github/workflows/ci.yml`). No tool keeps
# a secret there; `.git/`, `.gitignore` (a scanner's map of what else to fetch) and the rest stay hidden.
_PUBLIC_REPOSITORY_FILES = re.compile(
    r"\.(?:well-known|github|gitlab|gitlab-ci\.yml|editorconfig|gitattributes|nvmrc|dockerignore"
    r"|prettierrc|eslintrc)(?:\.(?:json|ya?ml|js|cjs))?$"
)


def hidden_segment(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """A hidden path segment other than `/.well-known/` (RFC 8615's public metadata) and what a
    repository commits for everyone to read (`_PUBLIC_REPOSITORY_FILES`)."""
    for match in pattern.finditer(text):
        segment = match.group(0)[1:]
        if not _PUBLIC_REPOSITORY_FILES.match(segment):
            return 5, f"hidden path segment {segment[:40]}"
    return 0, ""


# A relative link in a Markdown or HTML document, to another page or an image of the same docs: in a
# link's target (`[FAQ](../../faq.md#proxy)`, `<a href="../../benefits/index.html">`) or set as code
# in prose (`` see `../../docs/config.md` ``). Nothing on the server opens it; a system file reached
# that way is the other rules' to read.
_DOC_FILE = re.compile(
    r"(?:\.\./+)+(?:[\w-][\w.-]*/+)*[\w-][\w.-]*\.(?:md|markdown|mdx|rst|adoc|txt|html?|png|jpe?g|gif|svg|webp|css|scss|less|js|ts|tsx|jsx|json|ya?ml|toml|pdf)(?:#[\w.=%-]*)?"
)
_PROSE_WORD = re.compile(r"[a-z]{3,}")
# what opens a link's target, and what closes it: Markdown's `](...)` and code span, HTML's attributes
_LINK_QUOTES = (("](", ")"), ("`", "`"), ('href="', '"'), ("href='", "'"), ('src="', '"'), ("src='", "'"))


def parent_steps(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """traversal-dot-dot: two parent steps or more, unless each run is a Markdown or HTML document's
    relative link to a page or an asset of the same docs (with at least five words of prose around)."""
    for match in pattern.finditer(text):
        start = match.start()
        before = text[max(0, start - 6) : start]
        link = _DOC_FILE.match(text, start)
        closer = next((close for opener, close in _LINK_QUOTES if before.endswith(opener)), None)
        if link is None or closer is None or text[link.end() : link.end() + 1] != closer:
            return 5, match.group(0)
    words = sum(1 for _ in itertools.islice(_PROSE_WORD.finditer(text), 5))
    return (0, "") if words >= 5 else (5, "parent steps")
