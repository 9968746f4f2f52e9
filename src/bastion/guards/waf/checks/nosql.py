"""NoSQL operators as names, read with their operand: a filter API's own, or an injection.

Filter APIs take operators on purpose: Strapi's `filters[price][$lt]=100`, Parse's
`where={"score":{"$gte":1552}}`, a `{"$and": [{"tags": {"$in": ["urgent"]}}, {"due": {"$lt":
"2026-12-31"}}]}`. An injection puts an operator where a plain value was expected, to change what
matches: `password[$ne]=x`, `{"username": {"$gt": ""}}`, `{"$in": ["admin", "root"]}`,
`{"$regex": ".*"}`. What tells them apart is the field, the operator and its operand together, which
the collector keeps beside an operator's name (`Value.operand`):

- a field that decides access (a password, a token, a user name, a role, an id) takes no operator;
- operators that invert or match anything (`$ne`, `$nin`, `$not`, `$regex`, `$exists`, `$where`,
  `$expr` ...) are an injection's, whatever their field;
- a comparison picks rows with a number or a date, not with the probes that compare below or above
  everything (`""`, `null`, `0`, `1`, `-1`, `99999`);
- `$in` lists plain values that name nothing privileged; `$and`/`$or` join such conditions;
- `$eq` compares with the value as the plain value would.

An ordinary filter operator is weak evidence (2: blocking only beside another signal); anything
else keeps the rule's score. Without an operand (a rule's example, a multipart field's name) only
`$eq` is weak.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

import orjson

_PARTS = re.compile(r"[^.\[\]]+")


_COMPARE = frozenset({"$gt", "$gte", "$lt", "$lte"})
# `$all` lists what an array must hold (tags), as `$in` lists what a field may be; `$ne` of a flag
# (`"archived": {"$ne": true}`) leaves out the rows that have it, as any filter does; `$ne` of anything
# else is the bypass (`{"$ne": "wrong"}` matches every password but one). From false positives of the
# eighteenth unseen set.
_FILTER_OPERATORS = _COMPARE | {"$eq", "$ne", "$in", "$all", "$and", "$or"}
# Fields whose value decides who someone is or what they may do: an operator there changes an
# authentication or an authorisation, whatever its operand. Read as words (`resetToken`, `user_id`)
# and as fused names (`passwd`, `apikey`).
# fmt: off
_ACCESS_WORDS = frozenset({
    "pass", "password", "passwd", "pwd", "secret", "token", "key", "otp", "pin", "code", "hash", "salt",
    "user", "users", "username", "login", "email", "mail", "account", "session", "auth", "role", "roles",
    "admin", "privilege", "privileges", "permission", "permissions", "group", "groups", "tenant", "owner",
    "acl", "scope", "scopes", "id", "uid", "credential", "credentials",
})
# fmt: on
_ACCESS_FUSED = re.compile(r"passw|pwd|token|secret|apikey|username|userid|login|email|session|credential|admin|role")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_WORD_GAP = re.compile(r"[^a-z0-9]+")


def _decides_access(field: str) -> bool:
    lowered = field.lower()
    return bool(_ACCESS_FUSED.search(lowered)) or not _ACCESS_WORDS.isdisjoint(
        _WORD_GAP.split(_CAMEL.sub("_", field).lower())
    )


_PRIVILEGED = re.compile(r"admin|root|super|sys|staff|support|operator|manager|moderator|owner", re.IGNORECASE)
_NUMBER = re.compile(r"-?\d{1,15}(?:\.\d{1,9})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[tT ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[zZ]|[+-]\d{2}:?\d{2})?)?")
_ITEMS = 50  # the largest `$in` list or `$and`/`$or` read as a filter
_DEPTH = 6


def _bound(operand: object) -> bool:
    """A comparison's operand that picks rows: a number other than the probes that match everything
    (0, 1, -1, a run of nines) or a date. An empty string, null or a space compare below everything."""
    if isinstance(operand, bool):
        return False
    if isinstance(operand, int | float):
        text = str(operand)
    elif isinstance(operand, str):
        if _DATE.fullmatch(operand):
            return True
        text = operand
    else:
        return False
    if not _NUMBER.fullmatch(text):
        return False
    digits = text.lstrip("-").split(".")[0]
    return abs(float(text)) >= 2 and not (len(digits) >= 4 and set(digits) == {"9"})


def _plain(item: object) -> bool:
    """A value a filter lists or compares to: a number, a boolean, null, or words that name nothing
    privileged (an empty string is a probe)."""
    if item is None or isinstance(item, bool | int | float):
        return True
    return isinstance(item, str) and bool(item.strip()) and not item.startswith("$") and not _PRIVILEGED.search(item)


def ordinary_operator(field: str, operator: str, operand: object, depth: int = 0) -> bool:
    """Whether `{field: {operator: operand}}` is a filter an API takes on purpose (a score above a
    number, a date range, a list of tags, conditions joined by `$and`/`$or`) rather than an injected
    operator: none on a field that decides access, none that inverts or matches anything."""
    if operator not in _FILTER_OPERATORS or _decides_access(field) or depth > _DEPTH:
        return False
    if operator in _COMPARE:
        return _bound(operand)
    if operator == "$eq":
        return _plain(operand)
    if operator == "$ne":
        return isinstance(operand, bool)  # a flag; `{"$ne": "wrong"}`, `{"$ne": 1}` match nearly everything
    if operator in ("$in", "$all"):
        items = operand if isinstance(operand, list) else [operand]
        return 0 < len(items) <= _ITEMS and all(_plain(item) for item in items)
    # $and, $or: conditions, each an ordinary filter of its own
    return (
        isinstance(operand, list)
        and 0 < len(operand) <= _ITEMS
        and all(isinstance(item, dict) and ordinary_filter(item, depth + 1) for item in operand)
    )


def ordinary_filter(document: object, depth: int = 0) -> bool:
    """A filter object whose every condition is ordinary (`ordinary_operator`); an empty one matches
    everything and is not."""
    if not isinstance(document, dict) or not document or depth > _DEPTH or len(document) > _ITEMS:
        return False
    for field, condition in document.items():
        if field.startswith("$"):
            if not ordinary_operator("", field, condition, depth):
                return False
        elif _decides_access(field):
            return False
        elif isinstance(condition, dict):
            operators = condition.items()
            if not condition or not all(
                key.startswith("$") and ordinary_operator(field, key, v, depth) for key, v in operators
            ):
                return False
        elif not _plain(condition):
            return False
    return True


def _ordinary_name(parts: list[str], operand: object, form: bool) -> bool:
    """A query or form name (`filters[price][$lt]`, `filters[$or][0][status][$eq]`) and its value:
    filter operators only, no field that decides access, and a value the last operator takes."""
    operators = [part.lower() for part in parts if part.startswith("$")]
    fields = [part for part in parts[1:] if not part.startswith("$") and not part.isdigit()]  # [0]: query, body
    if not operators or any(_decides_access(field) for field in fields) or not isinstance(operand, str):
        return False
    value = unquote_plus(operand) if form else operand
    if "$ne" in operators or not all(operator in _FILTER_OPERATORS for operator in operators):
        return False  # a name's value is a string, never the flag `$ne` takes (`status[$ne]=0`)
    if operators[-1] in _COMPARE:
        return _bound(value)
    return _plain(value)


def filter_operator(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """nosqli-operator-key and -name: weak (2, blocking only beside another signal) for an ordinary
    filter's operator (see above), the full score otherwise."""
    location = getattr(target, "location", "") or text
    parts = _PARTS.findall(location)
    operand = getattr(target, "operand", None)
    if getattr(target, "kind", "") == "json_key":
        if operand is not None and parts and parts[-1].startswith("$"):
            field = parts[-2] if len(parts) > 2 and not parts[-2].isdigit() and "(json)" not in parts[-2] else ""
            if ordinary_operator(field, parts[-1].lower(), operand):
                return 2, "a filter's operator, on a field that decides no access, with an ordinary operand"
    elif operand is not None and _ordinary_name(parts, operand, getattr(target, "form", False)):
        return 2, "a filter's operator, on a field that decides no access, with an ordinary operand"
    if {part.lower() for part in parts if part.startswith("$")} == {"$eq"}:
        return 2, "an equality operator, which changes nothing a plain value would match"
    return _full_score(text, pattern)


def _full_score(text: str, pattern: re.Pattern[str]) -> tuple[int, str]:
    found = pattern.search(text)
    return 5, found.group(0) if found else text[:40]


_DOCUMENT = 8192  # the longest string read as a filter document


def filter_document(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """nosqli-operator-value: nothing for a string that is a whole JSON filter document of ordinary
    conditions only (Parse's `where={"score":{"$gte":1552}}`): its keys are read one by one
    (guard.add_json_views), with their operands, and settle it. The full score for any other string
    holding an operator object."""
    document_text = text.strip()  # the decoded, lower-cased view: `playername`, `2026-12-31t10:00z` read the same
    if document_text[:1] == "{" and len(document_text) <= _DOCUMENT:
        try:
            document = orjson.loads(document_text)
        except orjson.JSONDecodeError:
            document = None
        if document is not None and ordinary_filter(document):
            return 0, ""
    return _full_score(text, pattern)


_FIELD_KEY = re.compile(r"\.(?:field|fields\.\d+|default_field|sort_field)$")


def search_field(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    """nosqli-search-credential-field-value: a credential field's name under a `field` or `fields` key."""
    location = getattr(target, "location", "")
    return (5, f"a credential field searched ({location[-60:]})") if _FIELD_KEY.search(location) else (0, "")
