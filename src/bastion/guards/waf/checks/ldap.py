"""LDAP filter injection read with the filter grammar (RFC 4515), not from samples.

An application builds a filter item `(attribute=VALUE)`, often inside a composite
`(&(uid=VALUE)(userPassword=...))`, with the value pasted in. Read from inside that item, a value is
an injection when it closes the item (a `)` that no `(` of its own opened) and goes on with filter
syntax: another item `(attr=...`, `(attr:oid:=...`, a composite `(&`, `(|`, `(!`, the absolute
filters `(&)` and `(|)`, or an operator between items (`)|(`, `)!(`); or when a wildcard closes it
(`*)`, `*))` with a NUL cutting off the rest: every entry matches). A value that is a whole
composite filter holding a presence test (`(|(uid=*)(...))`, true for every entry) or a constant
item (`(&(uid=admin)(!(&(1=0)(...))))`, whose result does not depend on the entry) where a plain
value is expected is one as well; one without them is what a directory search sends. Prose with
parentheses has none of these shapes: `(see above)` holds no `attribute=`, and `f(x)=(y)` closes only
what it opened.
"""

from __future__ import annotations

import re

# An attribute description: a name or an OID, with options (`cn;lang-en`).
_ATTRIBUTE = r"(?:[a-z][\w-]{0,62}|\d+(?:\.\d+)+)(?:;[\w-]+)*"
# An item's opening: `(attr=`, `(attr>=`, `(attr~=`, `(attr:dn:2.5.13.5:=`, `(:dn:oid:=`.
_ASSERTION = _ATTRIBUTE + r"\s*(?::dn)?(?::[\w.-]+)?\s*:?[~<>]?="
# A `)` followed by filter syntax: an optional operator, then an item, a composite or an empty filter.
_BREAKOUT = re.compile(r"\)(?=\s*(?:[&|!]\s*)?\(+\s*(?:[&|!]|\)|" + _ASSERTION + r"|:dn:))|(?<=\*)\s*\)")
# A value with more candidate break-outs than this is dense with filter syntax: no prose or code
# reads like that, and reading further would cost more than the inspection budget allows.
_MOST_CANDIDATES = 512
# A whole composite filter with an item whose result does not depend on the entry inside: a presence
# test, or a comparison of constants (no attribute is named `1`).
_COMPOSITE = re.compile(r"[\s*]*\(\s*[&|!]\s*\(\s*" + _ASSERTION)
_CONSTANT_ITEM = re.compile(_ATTRIBUTE + r"\s*=\s*\*\s*\)|\(\s*\d+\s*=\s*\d+\s*\)")


# RFC 4515's escapes of the filter's own characters, read as what they stand for where a value holds them.
_ESCAPED = re.compile(r"\\(2[189a]|26|7c)")
_UNESCAPED = {"28": "(", "29": ")", "2a": "*", "26": "&", "7c": "|", "21": "!"}


def ldap_filter(text: str, target: object = None, pattern: object = None) -> tuple[int, str]:
    if "\\2" in text or "\\7" in text:
        text = _ESCAPED.sub(lambda escape: _UNESCAPED[escape.group(1)], text)
    # A candidate `)` breaks out when the value opened no more parentheses than it closed before it;
    # parentheses are counted between candidates, so the whole value is read once (in C).
    opened = closed = position = 0
    for count, candidate in enumerate(_BREAKOUT.finditer(text)):
        if count == _MOST_CANDIDATES:
            return 5, "a value dense with LDAP filter syntax"
        opened += text.count("(", position, candidate.start())
        closed += text.count(")", position, candidate.start())
        position = candidate.start()
        if opened <= closed:
            return 5, "closes an LDAP filter item and opens filter syntax of its own"
    if _COMPOSITE.match(text) and _CONSTANT_ITEM.search(text):
        return 5, "a composite LDAP filter with a presence test or a constant item where a value is expected"
    return 0, ""
