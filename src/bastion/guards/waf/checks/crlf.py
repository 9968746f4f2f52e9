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


_NAME_LINE = re.compile(r"[\w.@+/-]{0,64}")  # a name, or nothing: a value that opens with the line break
# The line break and the terminal escapes (which clear the screen or move the cursor) after it
_BREAK_AND_ESCAPES = re.compile(r"((?:\r?\n|\r)[\t ]*)(?:\x1b\[[0-9;?]{0,16}[a-z][\t ]*){1,16}")
_NEXT_LINE = 512  # characters after the name read for the forged line


def log_forging_after_a_name(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """crlf-log-forging-after-a-name: the value opens with one name and the line after it with a
    log line's start (the rule's own pattern, read with the escapes after the line break taken out);
    or with two short words (`order 4411`, `Payment ok`) and a line that opens with a timestamp or
    an access log's address, user and date: the fields a forged line copies to pass for real."""
    name = _NAME_LINE.match(text)
    if name is None:
        return 0, ""
    line = text[name.end() : name.end() + _NEXT_LINE]
    escaped = _BREAK_AND_ESCAPES.match(line)
    if escaped is not None:
        line = escaped.group(1) + line[escaped.end() :]
    if line.lstrip("\r\n\t ").startswith("\x1b") or pattern.match(line) is None:
        short = _SHORT_LEAD.match(text)
        if short is not None and _STAMPED_LINE.match(text, short.end()):
            return 5, text[: short.end() + 24]
        return 0, ""  # an escape left there is not one a terminal reads: no log line follows it
    return 5, text[: name.end() + 24]


# Two short words, not a sentence nor an introduction (`Steps to reproduce:`, `Build log:`)
_SHORT_LEAD = re.compile(r"[\w.@+/#-]{1,32}[ \t]+[\w.@+/#-]{1,32}[ \t]*(?=\r?\n|\r)")
_STAMPED_LINE = re.compile(
    r"(?:\r?\n|\r)[\t ]*"
    r"(?:\d{1,3}(?:\.\d{1,3}){3}[\t ]+-[\t ]+[^\s\[]{1,64}[\t ]+\[|\[?\d{4}-\d{2}-\d{2}[tT ]\d{2}:\d{2})"
)


_ENCODED_LINE_BREAK = re.compile(r"%(?:25)*0[ad]", re.IGNORECASE)


def sent_line_break(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """crlf-in-cookie: a line break the client sent, raw or percent-encoded (`%0d%0a`, `%250a`), not
    one the WAF's reading of backslash escapes makes (`C:\\Users\\ana\\report.docx` holds `\\r`)."""
    raw = getattr(target, "raw", text)
    if "\r" in raw or "\n" in raw or _ENCODED_LINE_BREAK.search(raw):
        return 5, "a line break in a cookie's value"
    return 0, ""


_ADDRESSES = re.compile(r"@([a-z0-9.-]+)")
_QUOTED_THEN_DOMAIN = re.compile(r'"[^"\s@]{1,64}@[a-z0-9-]+(?:\.[a-z0-9-]+)+"\s*@')


def split_address(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """mail-address-split: a quoted local part holding an address, or a source route, always; a
    display name that is an address only when its domain is not the one in angle brackets (a client
    writing `"ops@acme.com" <alerts@acme.com>` names its own domain)."""
    harmless: set[str] = set()  # a page of contacts repeats its few names: each judged once
    for found in pattern.finditer(text):
        shape = found.group(0)
        if shape in harmless:
            continue
        if shape.lstrip().startswith("@") or _QUOTED_THEN_DOMAIN.match(shape):
            return 5, shape[:80]
        harmless.add(shape)
        domains = _ADDRESSES.findall(shape)
        if len(domains) >= 2 and _registered(domains[0]) != _registered(domains[-1]):
            return 5, shape[:80]
    return 0, ""


def _registered(domain: str) -> str:
    """The last two labels of a domain: `mail.acme.com` and `acme.com` are one sender's."""
    return ".".join(domain.strip(".").split(".")[-2:])
