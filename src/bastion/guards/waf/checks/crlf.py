"""A line break that only appears once a server keeps the low byte of each character.

Node.js before 10 wrote header values with the latin1 encoding, which keeps each UTF-16 code unit's
low byte; IIS-style "best fit" narrowing does the same for some. `ċ` (U+010B, which the lower-cased
text holds for the `Ċ`, U+010A, that was sent) and `č` (U+010D) then arrive as LF and CR. The rule's
pattern has found a non-ASCII character right before a header name; this confirms that the
character, or its capital, narrows to CR or LF.
"""

from __future__ import annotations

import re

_LINE_BREAK_BYTES = frozenset({0x0A, 0x0D})


def _narrows_to_line_break(character: str) -> bool:
    return any(ord(c) > 0xFF and ord(c) & 0xFF in _LINE_BREAK_BYTES for c in {character, *character.upper()})


def narrowed_line_break(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    for match in pattern.finditer(text):
        character = text[match.start()]
        if _narrows_to_line_break(character):
            return 5, f"U+{ord(character):04X} narrows to a line break before a header name"
    return 0, ""


_NAME_LINE = re.compile(r"[\w.@+-]{1,64}")
# A line break, terminal escapes (which clear the screen or move the cursor), then a log line's start
_FORGED_LINE = re.compile(
    r"(?:\r?\n|\r)[\t ]*(?:\x1b\[[0-9;?]{0,16}[a-z][\t ]*){0,16}(?:\[?\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}"
    r"|\[?\d{2}/[a-z]{3}/\d{4}:\d{2}:\d{2}"
    r"|\[?(?:info|warn|warning|error|debug|fatal|notice|trace|crit|critical|audit)\]?[\t ]*[:\]-]?[\t ]+\w)"
)


def log_forging_after_a_name(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """crlf-log-forging-after-a-name: the value opens with one name and the line after it with a
    log line's start, behind terminal escapes or not (the rule's pattern only finds where to look)."""
    name = _NAME_LINE.match(text)
    if name is None or _FORGED_LINE.match(text, name.end()) is None:
        return 0, ""
    return 5, text[: name.end() + 24]
