"""The shell view of a value: words as a shell reads them (OS command injection, checklist: injection).

Quotes, backslashes and empty expansions inside a word do not split it for a shell, so filters that
look for `whoami` miss `w'h'o'am'i`, `c\\at`, `c$@at` or `wh$()oami`; the shell view glues them back.
"""

from __future__ import annotations

import re

# A quote, backslash or empty expansion (`$@`, `${}`, an empty command substitution `$()` or
# ``, a positional parameter `$1` or a braced variable `${u}` that the attacker left unset; not
# `${IFS}`, which is a space), or cmd.exe's escape `^` (`c^m^d /c who^ami`), with a word character
# on each side (one pass, linear).
_SHELL_GLUE = re.compile(
    r"[a-z0-9/](\\|''|\"\"|``|'|\"|\^|\$[@*1-9]|\$\{(?!ifs\})[a-z_]?[a-z0-9_]{0,15}\}|\$\(\))(?=[a-z0-9/])"
)


# A word that is an English contraction (`I'd`, `it's`, `don't`, `we're`): its one apostrophe opens,
# to a shell, a string that runs on past the spaces (`I'd like to move ...` is no command `id`), or
# is never closed; prose has them everywhere. Glue has more quotes (`c'a't`, `w'h'o'a'm'i`).
_CONTRACTION = re.compile(r"(?<![\w'\"])[a-z]+(')(?:d|s|t|ll|re|ve|m)(?![\w'\"])")


def shell_view(text: str) -> str:
    """A value as a shell would read its words: quotes, backslashes and empty expansions inside a
    word do not split it (`w'h'o'am'i`, `c\\at`, `c$@at`, `wh$()oami`, `c${u}at` all run the same
    command), nor do cmd.exe's carets (`who^ami`)."""
    prose = {found.start(1) for found in _CONTRACTION.finditer(text)} if "'" in text else ()
    pieces: list[str] = []
    position = 0
    for glue in _SHELL_GLUE.finditer(text):
        start, stop = glue.span(1)
        if start in prose:
            continue
        pieces.append(text[position:start])
        position = stop
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


# Shell views are for words glued from pieces: `c\at`, `wh''oami`, `c$@at`, `w'h'o'am'i` always; a
# single apostrophe inside a word ("it's") only when the value also has a shell metacharacter.
# Both open with the glue character and look behind for the word character before it: a search
# then skips from one quote, backslash or `$` to the next instead of trying every letter.
_SHELL_GLUE_STRONG = re.compile(
    r"[\\'\"`$](?<=[a-z0-9/][\\'\"`$])"
    r"(?:(?:(?<=\\)|(?<=')'|(?<=\")\"|(?<=`)`|(?<=\$)[@*]|(?<=\$)\{\}|(?<=\$)\(\))[a-z0-9/@*{]"
    r"|(?<=['\"])[a-z0-9/]+['\"][a-z0-9/])"
)
_SHELL_GLUE_ANY = re.compile(  # markers.py's `glue`
    r"[\\'\"`$^](?<=[a-z0-9/][\\'\"`$^])(?:(?<=')'|(?<=\")\"|(?<=`)`)?[a-z0-9/@*{(`]"
)
_SHELL_METACHARACTER = re.compile(r"[;|&`$<>\n]")


def shell_candidate(text: str) -> bool:
    """Whether the shell view (words glued from quoted or escaped pieces) can differ, and matter."""
    if _SHELL_GLUE_ANY.search(text) is None:
        return False
    return _SHELL_METACHARACTER.search(text) is not None or _SHELL_GLUE_STRONG.search(text) is not None
