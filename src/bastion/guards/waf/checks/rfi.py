"""Remote file inclusion: a URL given to a parameter whose name says it names a file to load.

`?page=https://evil/shell.txt` and `?include=...` are the classic shapes; an ordinary URL parameter
(`?next=`, `?url=`, `?redirect=`) is not an include and is left to the SSRF check. Names are read in
every spelling APIs use: `template_url`, `template-url` (a header's `X-Template-Path`), `templateUrl`.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

_INCLUDE_NAMES = re.compile(
    r"(?:^|[._\[-])(?:file|filename|page|path|include|inc|incl|template|tpl|tmpl|dir|folder|doc|document|root"
    r"|conf|config|style|skin|theme|plugin|lang|language|module|mod|view|layout|load|read|show|pg|cat|action"
    r"|board|mosconfig|abspath|basepath|base_path|main|home|body|content|site)(?:$|[\]._-])",
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def rfi(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    location = getattr(target, "location", "")
    name = location.split(".", 1)[1] if "." in location else location
    words = _CAMEL.sub("_", name).lower()
    # a cookie that is itself the include (`lang=http://...`, PHP's include($_COOKIE['lang'])); a
    # site's own cookies keep URLs under longer names (`last_page`, `return_to`)
    cookie = getattr(target, "kind", "") == "cookie"
    if (_INCLUDE_NAMES.fullmatch(words) if cookie else _INCLUDE_NAMES.search(words)) is not None:
        return 5, f"URL given to an include-like parameter ({name[:40]})"
    return 0, ""


_ENCODED_SLASH = ("%2f", "%5c", "%252f", "%255c", "\\u002f", "\\u005c", "%c0%af", "%e0%80%af")


def authority_confusion(text: str, target: object, pattern: re.Pattern[str]) -> tuple[int, str]:
    """rfi-authority-confusion: credentials with two `@` or an escaped one always; a slash then `@`
    (`http://good.example%2f@evil.example/`) only when the slash came encoded: written as is, it
    starts a path, and `https://medium.com/@jane.doe/post` is a profile's page on medium.com."""
    raw = str(getattr(target, "raw", text)).lower()
    if getattr(target, "form", False) and "%" in raw:
        raw = unquote_plus(raw)  # the query string's own encoding: `%2F` there is a plain slash
    for found in pattern.finditer(text):
        shape = found.group(0)
        if shape.count("@") >= 2 or "\\@" in shape or any(encoded in raw for encoded in _ENCODED_SLASH):
            return 5, shape[:80]
        after = _HOST_AFTER_AT.search(shape)
        if after is not None and (after.group(2) in _TOP_LEVEL or len(after.group(2)) == 2):
            return 5, shape[:80]  # `/@evil.com/`: a host after the `@` (a profile is `/@jane.doe/`)
    return 0, ""


_HOST_AFTER_AT = re.compile(r"@([a-z0-9-]+(?:\.[a-z0-9-]+)*)\.([a-z]{2,24})(?::\d+)?(?:[/?#]|$)")
_TOP_LEVEL = frozenset(
    {"com", "net", "org", "io", "dev", "app", "gov", "edu", "info", "biz", "xyz", "top", "site", "online", "cloud"}
    | {"tech"}
)
