"""NoSQL operators as names: `$eq` is the one that changes nothing.

Strapi-style filter APIs take operators on purpose (`filters[slug][$eq]=how-we-ship`). An injection
puts an operator where a plain value was expected, and only an operator other than equality changes
what matches (`password[$ne]=x`, `{"password": {"$gt": ""}}`): `$eq` compares with the value as the
plain value would. A filter API's other operators (`$lt: 50`) have the same shape as an injection's
(`$gt: ""`), and the value that tells them apart is not the name's to read, so they keep their score.
"""

from __future__ import annotations

import re

_PARTS = re.compile(r"[^.\[\]]+")


def equality_operator(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """nosqli-operator-key and -name: weak (2, blocking only beside another signal) when every
    operator in the name is `$eq`; the full score otherwise."""
    location = getattr(target, "location", "") or text
    operators = {part.lower() for part in _PARTS.findall(location) if part.startswith("$")}
    if operators == {"$eq"}:
        return 2, "an equality operator, which changes nothing a plain value would match"
    found = pattern.search(text)
    return 5, found.group(0) if found else text[:40]


_FIELD_KEY = re.compile(r"\.(?:field|fields\.\d+|default_field|sort_field)$")


def search_field(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    """nosqli-search-credential-field-value: a credential field's name under a `field` or `fields` key."""
    location = getattr(target, "location", "")
    return (5, f"a credential field searched ({location[-60:]})") if _FIELD_KEY.search(location) else (0, "")
