"""Non-ASCII text that every reading of the WAF sees as it is (the glance's test, glance.py).

`decode.normalize` folds full-width forms and compatibility characters (NFKC), maps the best-fit
table's look-alikes, lower-cases; the path view drops junk and turns look-alike slashes into `/`.
A text none of that changes reads as its raw characters, so the glance may judge it as it judges
ASCII.
"""

from __future__ import annotations

import re
import unicodedata

from bastion.guards.waf.decode import BEST_FIT_CHARACTERS

# Non-ASCII characters that a view reads as something else: path junk (dropped), look-alike and
# private-use slashes (made `/`), every character of the best-fit table (taken from it, so that a
# character added there leaves the glance too: the modifier apostrophe and the dotless i did not);
# and lone surrogates (bytes that were not UTF-8, kept by surrogateescape), which only the full path encodes.
_NOT_ITSELF = re.compile(
    r"[\ud800-\udfff\ufffd\x80-\xa0\ue000-\uf8ff\u2215\u2044\u29f5\u29f8\u2571\u3033"
    + re.escape(BEST_FIT_CHARACTERS)
    + "]"
)


def reads_as_itself(text: str) -> bool:
    """Whether every non-ASCII character of `text` stays itself in `normalize` and every view: NFKC
    leaves it alone, lower-casing keeps it one non-ASCII character, and neither the best-fit table
    nor the path view replaces or drops it. Such a text (an accented name, Hindi, Japanese) reads
    as its raw characters, so the glance (glance.py) may judge it as it judges ASCII."""
    if text.isascii():
        return True
    if _NOT_ITSELF.search(text) is not None or not unicodedata.is_normalized("NFKC", text):
        return False
    for char in set(text):
        if char >= "\x80":
            lower = char.lower()
            if len(lower) != 1 or lower.isascii():
                return False
    return True
