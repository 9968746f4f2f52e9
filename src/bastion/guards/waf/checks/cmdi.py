"""Command injection: is the chained command the point of the value, or a line of prose or code?

The pattern has found a shell metacharacter followed by a command name. An injection puts that chain
where the application's own value ends: at the start of the value, or after one token (`127.0.0.1;
cat /etc/passwd`, `x|id`, `';ls`). A command line pasted into a ticket or a code review starts with
a command and chains others further on (`ls -la /var/log | grep error`, `pip install -r x && python
manage.py migrate`): that earns a warning, unless what it runs is itself dangerous (a reverse shell,
a system file, a download piped into a shell), which other rules score.
"""

from __future__ import annotations

import bisect
import itertools
import re

from bastion.guards.waf.checks.php import php_presentation_file
from bastion.guards.waf.checks.ssrf import OUT_OF_BAND_DOMAINS

# A shell operator and what may stand between it and the command it runs: a brace group, a bin path
_CHAIN = r"(?:[;|&`\n]|\$\(|\|\||&&)\s*(?:\{\s*)?(?:/(?:usr/)?(?:local/)?s?bin/)?"
_COMMAND = re.compile(_CHAIN + r"([a-z][\w.-]*)")
# what may precede the injected chain: nothing, quotes and brackets, or one token without spaces;
# then up to three redirections that silence the application's own command (`x >/dev/null 2>&1;`):
# to a descriptor, an absolute path or a file name, not a number (`sales > 5; cat lovers`)
_LEAD = re.compile(
    r"\s*(?:-{1,2}[a-z][\w-]{0,30}\s+)?(?:['\"`)(\]}>;]+\s*|[^\s;|&`]+\s*)?(?:['\"`)\]}]+\s*)?"
    r"(?:\d?>{1,2}\s*(?:&\d|/[^\s;|&`<>]*|[\w-]+\.[a-z]{1,5})\s*){0,3}"
    # an empty comment, that silences the rest of the application's line, and the line break after it
    r"(?:(?<=\s)#[ \t]*(?=\n))?"
    r"(?:[;|&`\n]|\$\(|\|\||&&)"
)
# Every branch opens with a literal character (a word boundary is checked behind the first letter,
# `n(?<!\wn)` for `\bn`), so Python's engine skips, in C, every position where none can start: a
# branch opening with `\b` or a class was tried at each of a 30 KB value's characters (7 ms).
_DANGEROUS_TAIL = re.compile(
    r"/etc/(?:passwd|shadow|hosts|group|issue)|/bin/(?:ba|z|k|c)?sh\b|/dev/tcp/|n(?<!\wn)(?:c|cat|etcat)\b[^\n]{0,40}\s-[a-z]*e"
    r"|\|\s*(?:ba|z|k|da)?sh\b|\$\{ifs\}|:(?<=[a-z]:)\\\\windows|/tmp/[\w.-]+\s*(?:;|&&|\|)|r(?<!\wr)m\s+-[a-z]*[rf][a-z]*\s+/"
    # a machine pinging itself ten times or more: the delay a blind injection measures (people check with 3-5)
    r"|p(?<!\wp)ing\s+(?:-[a-z]+\s+)*-[nc]\s*\d{2,}\s+(?:127\.0\.0\.1|localhost|::1)\b"
    # a name under an out-of-band interaction service: what a blind injection pings, resolves or fetches
    rf"|[a-z0-9-]\.{OUT_OF_BAND_DOMAINS}\b"
)


# Words and list punctuation only, between the chain the value starts with and a later command:
# shell syntax there ($, [, =, quotes, brackets) is what makes the later command part of one script.
_NOT_PROSE = re.compile(r"[^\w\s;,.|&!?:-]")
_WORD_CHARACTER = re.compile(r"\w")


class _Lead:
    """What follows the chain a value starts with (its metacharacter ends at `end`)."""

    def __init__(self, text: str, end: int) -> None:
        shell = _NOT_PROSE.search(text, end)
        word = _WORD_CHARACTER.search(text, end)
        self._shell = shell.start() if shell else len(text)
        self._word = word.start() if word else len(text)
        self.markdown = (text[end - 1] == "`" and _markdown_code(text, end - 1)) or _opens_markdown_block(text, end)

    def prose_until(self, position: int) -> bool:
        """Words and list punctuation up to `position` ("salt; pepper; more", "Tom & Jerry; find
        out"): a list, not a chain into `more` or `find`. Nothing in between is a chain."""
        return self._word < position <= self._shell

    def prose_from(self, position: int, length: int) -> bool:
        """`prose_until` for every position from `position` to the end of the value."""
        return self._word < position and self._shell >= length


_SHELLS = frozenset({"sh", "bash", "zsh", "ksh", "dash", "csh"})


def _command(text: str, match: re.Match[str]) -> str:
    named = _COMMAND.match(text, match.start())
    return named.group(1) if named else "?"


# A frame of a JavaScript or Java stack trace: `at render (app.js:42:17)`, `at Object.<anonymous>
# (/srv/x.js:1:2)`, `at com.acme.Foo.bar(Foo.java:42)`, `at /srv/app.js:10:5`; the scheduler's `at`
# takes a time (`at now + 1 minute`), never a call with a source position.
_FRAME = re.compile(
    r"at[ \t]+(?:(?:async|new)[ \t]+)?"
    r"(?:[\w$.<>\[\]/-]{1,200}[ \t]*\([^()\n]{0,200}\)|[^\s()]{1,200}:\d{1,9}:\d{1,9})[ \t\r]*(?:\n|$)"
)


def _stack_frame(text: str, match: re.Match[str]) -> bool:
    named = _COMMAND.match(text, match.start())
    return named is not None and named.group(1) == "at" and _FRAME.match(text, named.start(1)) is not None


_TAIL_REACH = 240  # how far after a chained command its dangerous argument is looked for
_LONGEST_TAIL = 64  # longer than any match of _DANGEROUS_TAIL: the overlap between two reads
_CHUNK = 2048


class _Tails:
    """Dangerous arguments, each part of the value read once however many chains it has (a value of
    6,000 `|ls` read 240 characters after each took 200 ms)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._read_until = 0
        self._starts: list[int] = []  # of the arguments found so far, in order
        self._ends: list[int] = []

    def within(self, start: int, end: int) -> bool:
        """Whether a dangerous argument lies entirely in text[start:end] (searched from `start`)."""
        end = min(end, len(self._text))
        if end > self._read_until:  # read on in chunks: their overlap is read twice, not each chain's window
            begin = max(start, self._read_until - _LONGEST_TAIL)
            until = min(len(self._text), max(end, begin + _CHUNK))
            for found in _DANGEROUS_TAIL.finditer(self._text, begin, until):
                if not self._starts or found.start() > self._starts[-1]:  # the overlap, read again
                    self._starts.append(found.start())
                    self._ends.append(found.end())
            self._read_until = until
        index = bisect.bisect_left(self._starts, start)
        return index < len(self._starts) and self._ends[index] <= end


# A base64 value that decodes to a script file: an interpreter's line and two lines or more after it
# (EC2 and cloud-init user data, a CI step, a deploy hook sent as base64). Base64 is how such a file
# travels as data, as it is for an XML or HTML document; the commands in it are what it is for, and
# weigh as a mention. `#!/bin/sh<LF>id`, a comment then one command, is a value's injection.
_SCRIPT_FILE = re.compile(
    r"#![ \t]*/[\w/.-]{1,64}(?:[ \t]+[\w.-]{1,32}){0,2}[ \t]*\r?\n"  # `#!/usr/bin/env bash`
    r"(?:[ \t]*+\r?\n)*+[ \t]*+\S[^\r\n]*+\r?\n(?:[ \t]*+\r?\n)*+[ \t]*+\S"  # two lines that are not blank
)


def _script_file(text: str, target: object) -> bool:
    return getattr(target, "location", "").endswith("(base64)") and _SCRIPT_FILE.match(text) is not None


def cmdi(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """`pattern` is the rule's own: each of its matches is a metacharacter and a known command."""
    if _script_file(text, target):
        return 3, "a command in a script file sent as base64"
    if php_presentation_file(text):
        return 3, "a command word in PHP that only presents its variables"
    score, detail = _chains(text, target, pattern)
    if score < 5 and _RECONNAISSANCE_LAST_LINE.search(text, max(0, len(text) - 64)):
        return 5, "a command that asks the machine about itself, alone on the value's last line"
    return score, detail


def _chains(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """A value can hold thousands of chains: each part of it is read a bounded number of times."""
    path = getattr(target, "kind", "") == "path"
    leads: dict[int, _Lead] = {}  # what follows each lead, read once
    tails = _Tails(text)
    lead: re.Match[str] | None = None
    config: bool | None = None  # whether the value is a configuration file, read once if asked
    for count, match in enumerate(pattern.finditer(text)):
        if count == _MANY and not path and _nothing_can_follow(text, match.start(), lead, leads):
            break  # thousands of harmless chains: what could still decide is looked for once, ahead
        if _stack_frame(text, match):
            continue  # a line of a stack trace pasted into a report, not the `at` scheduler
        if path or not count:  # the value's lead is read at its first chain (the lead ends at or before it)
            # Whatever its length, one token before the chain is the application's own value (each
            # path segment is a value of its own); read in place, never copied.
            start = text.rfind("/", 0, match.start()) + 1 if path else 0
            lead = _LEAD.match(text, start, match.end())
        if lead:
            after = leads.get(lead.end())
            if after is None:
                after = leads[lead.end()] = _Lead(text, lead.end())
            if not after.markdown and (
                not after.prose_until(match.start()) or _command(text, match) in _RECONNAISSANCE
            ):
                if config is None:
                    config = _config_document(text)
                if not config:
                    return 5, f"the value starts a command chain ({_command(text, match)})"
        if match.start() and text[match.start()] in "`$" and text[match.start() - 1] in "|;&":
            return 5, f"a command substituted straight after a shell operator ({_command(text, match)})"  # x||`id`
        if "|" in match.group(0) and "sh" in match.group(0) and _command(text, match) in _SHELLS:
            return 5, f"output piped into a shell ({_command(text, match)})"
        if tails.within(match.start(), match.end() + _TAIL_REACH):
            return 5, f"a chained command with a dangerous argument ({_command(text, match)})"
    return 3, "a command mentioned after a shell operator"


# A line of a configuration file: a section header (`[tool.poetry]`), a comment, or a key and its
# value (`python = "^3.11"`, `level: info`) with no shell operator in it.
_CONFIG_LINE = re.compile(
    r"[ \t]*(?:\[[\w.:\\\" -]{1,200}\][ \t]*|#[^\r\n]*|[\w.\-\"']{1,100}[ \t]*[=:](?:[^\r\n;|&`$]|\$(?!\())*)\r?"
)
_CONFIG_LINES = 500


def _config_document(text: str) -> bool:
    """Every line of the value, two or more, is a line of a configuration file (TOML, INI, .env,
    YAML's simple mappings). A line break there separates settings, not commands: `python = "^3.11"` under
    `[tool.poetry.dependencies]` names a key. A command given dangerous arguments in such a line
    (`cat = /etc/passwd`) is still read by the dangerous-argument reading."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not 2 <= len(lines) <= _CONFIG_LINES:
        return False
    return all(_CONFIG_LINE.fullmatch(line) for line in lines)


_MANY = 64  # chains read one by one before looking ahead once for anything that could still decide
# Commands that ask the machine about itself, and that no list of words holds: after the chain a value
# starts with, a run of words and separators before them is filler, not prose (`127.0.0.1; a;
# whoami`, `x; true; id`), where "salt; pepper; more" stays a list.
_RECONNAISSANCE = frozenset(
    [
        "id",
        "whoami",
        "uname",
        "ifconfig",
        "ipconfig",
        "netstat",
        "hostname",
        "pwd",
        "ls",
        "systeminfo",
        "tasklist",
        "printenv",
        "getent",
        "lastlog",
    ]
)
_RECONNAISSANCE_CHAIN = re.compile(
    _CHAIN + "(?:" + "|".join(sorted(_RECONNAISSANCE)) + r")(?:\.exe)?(?:\s|$|[;|&`)'\"<>$/])"
)
# ... alone on the value's last line, after text a shell fails on line by line (`<review>\n\nid`)
_RECONNAISSANCE_LAST_LINE = re.compile(
    r"(?:\r?\n|\r)[ \t]*(?:"
    + "|".join(sorted(_RECONNAISSANCE - {"ls", "pwd"}))
    + r")(?:\.exe)?(?:[ \t]+-[a-z]{1,4})?[ \t]*\Z"
)
_GLUED = re.compile(r"[|;&](?:`|\$\()")
_PIPE_TO_SHELL = re.compile(r"\|\s*(?:\{\s*)?(?:/(?:usr/)?(?:local/)?s?bin/)?(?:ba|z|k|da|c)?sh\b")


def _nothing_can_follow(text: str, position: int, lead: re.Match[str] | None, leads: dict[int, _Lead]) -> bool:
    """Whether no chain from `position` on can be scored 5: the value's lead (if any) is followed by
    nothing but prose to its end, and no glued substitution, pipe into a shell or dangerous argument
    lies ahead. A superset of what each chain's reading asks, read in one pass each. A lead that
    opens Markdown code scores no chain at all, so what the reconnaissance commands ahead are is not
    asked then (30 KB of `uname -a` spans were read chain by chain: 8 ms)."""
    reconnaissance = False
    if lead is not None:
        after = leads.get(lead.end())
        if after is None or not (after.markdown or after.prose_from(position, len(text))):
            return False
        reconnaissance = not after.markdown
    return not (
        _GLUED.search(text, position)
        or _PIPE_TO_SHELL.search(text, position)
        or _DANGEROUS_TAIL.search(text, position)
        or (reconnaissance and _RECONNAISSANCE_CHAIN.search(text, position))
    )


_WORD = re.compile(r"\b[a-z]{2,}\b")
# A value that opens with a Markdown code fence (its line break is no command separator) or with a
# table, a header row and its delimiter row (`| a | b |` then `|---|---|`: pipes between cells).
_FENCE_LINE = re.compile(r"\s*(?:`{3,}|~{3,})[\w+.-]*[ \t]*\r?\n")
_TABLE_HEAD = re.compile(
    r"\s*\|[^\n]{0,400}\|[ \t]*\r?\n[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)+\|?[ \t]*(?:\r?\n|$)"
)


def _opens_markdown_block(text: str, end: int) -> bool:
    """Whether the lead ending at `end` is a Markdown fence's line or a table's first pipe. The block's
    content is still read: a pipe into a shell, a substitution glued to an operator, a dangerous argument."""
    if text[end - 1] == "\n":
        fence = _FENCE_LINE.match(text)
        return fence is not None and fence.end() == end
    return text[end - 1] == "|" and not text[: end - 1].strip() and _TABLE_HEAD.match(text) is not None


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
    # three words around the span, counted until the third: never the whole of a long value
    words = sum(1 for _ in itertools.islice(_WORD.finditer(text, 0, tick), 3))
    return words + sum(1 for _ in itertools.islice(_WORD.finditer(text, close + 1), 3 - words)) >= 3


_METACHARACTERS = frozenset(";|&`$<>(){}\\")


def metacharacter_density(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    """Four or more different kinds of metacharacter in one value: the texture of injected code."""
    kinds = _METACHARACTERS.intersection(text)
    return (5, "metacharacters " + "".join(sorted(kinds))) if len(kinds) >= 4 else (0, "")
