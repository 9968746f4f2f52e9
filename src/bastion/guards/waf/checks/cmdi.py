"""Command injection: is the chained command the point of the value, or a line of prose or code?

The pattern has found a shell metacharacter followed by a command name. An injection puts that chain
where the application's own value ends: at the start of the value, or after one token (`127.0.0.1;
cat /etc/passwd`, `x|id`, `';ls`). A command line pasted into a ticket or a code review starts with
a command and chains others further on (`ls -la /var/log | grep error`, `pip install -r x && python
manage.py migrate`): that earns a warning, unless what it runs is itself dangerous (a reverse shell,
a system file, a download piped into a shell), which other rules score.
"""

from __future__ import annotations

import re

_COMMAND = re.compile(r"(?:[;|&`\n]|\$\(|\|\||&&)\s*(?:\{\s*)?(?:/(?:usr/)?(?:local/)?s?bin/)?([a-z][\w.-]*)")
# what may precede the injected chain: nothing, quotes and brackets, or one token without spaces
_LEAD = re.compile(r"\s*(?:['\"`)(\]}>;]*|[^\s;|&`]+)\s*['\"`)\]}]*\s*(?:[;|&`\n]|\$\(|\|\||&&)")
_DANGEROUS_TAIL = re.compile(
    r"/etc/(?:passwd|shadow|hosts|group|issue)|/bin/(?:ba|z|k|c)?sh\b|/dev/tcp/|\b(?:nc|ncat|netcat)\b[^\n]{0,40}\s-[a-z]*e"
    r"|\|\s*(?:ba|z|k|da)?sh\b|\$\{ifs\}|[a-z]:\\\\windows|/tmp/[\w.-]+\s*(?:;|&&|\|)|\brm\s+-[a-z]*[rf][a-z]*\s+/"
    # a machine pinging itself ten times or more: the delay a blind injection measures (people check with 3-5)
    r"|\bping\s+(?:-[a-z]+\s+)*-[nc]\s*\d{2,}\s+(?:127\.0\.0\.1|localhost|::1)\b"
)


# Words and list punctuation only, between the chain the value starts with and a later command:
# shell syntax there ($, [, =, quotes, brackets) is what makes the later command part of one script.
_PROSE_GAP = re.compile(r"[\w\s;,.|&!?:-]*\w[\w\s;,.|&!?:-]*")
_SHELLS = frozenset({"sh", "bash", "zsh", "ksh", "dash", "csh"})


def cmdi(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """`pattern` is the rule's own: each of its matches is a metacharacter and a known command."""
    path = getattr(target, "kind", "") == "path"
    for match in pattern.finditer(text):
        named = _COMMAND.match(text, match.start())
        command = named.group(1) if named else "?"
        # Whatever its length, one token before the chain is the application's own value (each
        # path segment is a value of its own); read in place, never copied.
        start = text.rfind("/", 0, match.start()) + 1 if path else 0
        lead = _LEAD.match(text, start, match.end())
        if lead and lead.end() < match.start() and _PROSE_GAP.fullmatch(text, lead.end(), match.start()):
            lead = None  # "salt; pepper; more", "Tom & Jerry; find out": a list, not a chain into `more`
        if lead and not (text[lead.end() - 1] == "`" and _markdown_code(text, lead.end() - 1)):
            return 5, f"the value starts a command chain ({command})"
        if match.start() and text[match.start()] in "`$" and text[match.start() - 1] in "|;&":
            return 5, f"a command substituted straight after a shell operator ({command})"  # x||`id`
        if command in _SHELLS and "|" in match.group(0):
            return 5, f"output piped into a shell ({command})"
        if _DANGEROUS_TAIL.search(text, match.start(), match.end() + 240):
            return 5, f"a chained command with a dangerous argument ({command})"
    return 3, "a command mentioned after a shell operator"


_WORD = re.compile(r"\b[a-z]{2,}\b")


def _markdown_code(text: str, tick: int) -> bool:
    """Whether the backtick at `tick` opens Markdown code, not a substitution: a fence or a double
    backtick (an empty substitution to a shell), or a span set in prose like a word ("Try `ls -la`
    to see where you are"). The span's content is still read for dangerous arguments."""
    if text.startswith("``", tick) or text[tick - 1 : tick] == "`":
        return True
    close = text.find("`", tick + 1, tick + 120)
    if close < 0 or (tick and not text[tick - 1].isspace() and text[tick - 1] not in "(\"'"):
        return False
    after = text[close + 1 : close + 2]
    if after and not (after.isspace() or after in ".,;:!?)\"'"):
        return False
    return len(_WORD.findall(text, 0, tick)) + len(_WORD.findall(text, close + 1)) >= 3


_METACHARACTERS = frozenset(";|&`$<>(){}\\")


def metacharacter_density(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    """Four or more different kinds of metacharacter in one value: the texture of injected code."""
    kinds = _METACHARACTERS.intersection(text)
    return (5, "metacharacters " + "".join(sorted(kinds))) if len(kinds) >= 4 else (0, "")
