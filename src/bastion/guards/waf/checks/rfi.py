"""Remote file inclusion: a URL given to a parameter whose name says it names a file to load.

`?page=https://evil/shell.txt` and `?include=...` are the classic shapes; an ordinary URL parameter
(`?next=`, `?url=`, `?redirect=`) is not an include and is left to the SSRF check. Names are read in
every spelling APIs use: `template_url`, `template-url` (a header's `X-Template-Path`), `templateUrl`.
"""

from __future__ import annotations

import re

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
