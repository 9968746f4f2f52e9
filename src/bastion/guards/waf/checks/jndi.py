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

# The innermost lookups: no `$`, `{` or `}` inside, so each is found in one linear pass.
_INNERMOST = re.compile(r"\$\{([^${}]*)\}")
_CASE = re.compile(r"(?:lower|upper):(.*)", re.DOTALL)
_DATE = re.compile(r"date:'([^']*)'")
_EMPTY_PROVIDER = re.compile(
    r"(?:env|sys|ctx|main|base64|web|k8s|docker|spring|bundle|java|jvmrunargs|marker|map|sd|event):"
)
_JNDI = re.compile(r"\$\{\s*jndi\s*:|jndi\s*:\s*(?:ldaps?|rmi|dns|iiop|corba|nds|nis|http|https)\b")


def _resolve(match: re.Match[str]) -> str:
    """What Log4j makes of one innermost lookup, when that is only text; else the lookup unchanged.

    A default follows the first `:-` in the lookup (`${x-y(z:k:-j}` is `j`: Log4j takes the text
    before it as the variable's name, whatever characters that holds, and an unknown name reads as
    its default)."""
    body = match.group(1)
    case = _CASE.fullmatch(body)
    if case is not None:
        return case.group(1)
    _, delimiter, default = body.partition(":-")
    if delimiter:
        return default
    date = _DATE.fullmatch(body)
    if date is not None:
        return date.group(1)
    if _EMPTY_PROVIDER.match(body):
        return ""
    return match.group(0)


def jndi(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    candidate = text
    for _ in range(8):
        if _JNDI.search(candidate):
            return 5, "JNDI lookup"
        resolved = _INNERMOST.sub(_resolve, candidate)
        if resolved == candidate:
            break
        candidate = resolved
    if _JNDI.search(candidate):
        return 5, "JNDI lookup"
    if "${" in candidate and re.search(r"\$\{[^}]{0,64}\$\{", candidate):
        return 4, "nested lookups"
    return 0, ""
