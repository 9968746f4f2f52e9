"""Prototype pollution: a property path that reaches Object.prototype, read the way JavaScript
merge and set helpers walk it.

`a[__proto__][x]`, `a.__proto__.x` and `{"__proto__": {...}}` write through `__proto__`;
`constructor[prototype][x]` and `{"constructor": {"prototype": {...}}}` reach the same object through
the constructor. A JSON key is read with the keys above it (its location), so a nested object is
one path; a query or form name is read as the path its parser (qs) builds from brackets and dots.
The word "prototype" in prose, or a key named `prototype` alone, is no such path.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\[\]'\"`/]+")  # `/`: routers hand path segments over as keys (`/:key/:value`)


def prototype_path(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    kind = getattr(target, "kind", "")
    if kind == "json_key":
        path = getattr(target, "location", text).lower()
    elif kind in ("json", "query", "form", "cookie"):
        # A value is read only when it is itself a path (`constructor.prototype.x`), not prose.
        if " " in text.strip():
            return 0, ""
        path = text
    else:
        path = text
    parts = [part for part in _SEPARATORS.split(path) if part]
    if "__proto__" in parts:
        return 5, "a property path through __proto__"
    for index, part in enumerate(parts[:-1]):
        if part == "constructor" and parts[index + 1] == "prototype":
            return 5, "a property path through constructor.prototype"
    return 0, ""
