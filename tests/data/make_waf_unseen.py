"""Write tests/data/waf_unseen.jsonl: the WAF's own unseen set (issue 17), deterministic (seeded).

    python tests/data/make_waf_unseen.py

Attack techniques (waf_unseen_payloads.py, written from the techniques, not from any corpus) are
placed in every request location (query, path, JSON body and keys, form, multipart, header, cookie,
Host) with the evasions attackers use: percent-encoding once, twice or mixed, case, comments and
whitespace substitutes, string concatenation, quote and backslash splitting of shell words, HTML
entities, JSON unicode escapes and base64 (padding dropped). The benign side is ordinary API
traffic dense with what looks like attacks: prose, code snippets, rich text, searches, GraphQL,
file names, URLs, base64 blobs, JWTs and names in many scripts. Rows have the corpus's format.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

from waf_unseen_payloads import (
    ATTACKS,
    BENIGN_CODE,
    BENIGN_FILES,
    BENIGN_GRAPHQL,
    BENIGN_NAMES,
    BENIGN_PROSE,
    BENIGN_RICH,
    BENIGN_SEARCH,
    BENIGN_URLS,
    BROWSER_ORIGINS,
    ONLY_IN,
)

OUT = Path(__file__).resolve().parent / "waf_unseen.jsonl"
LOCATIONS = ("query", "path", "json", "json_key", "form", "multipart", "header", "cookie", "host")
PARAMETER = {
    "rfi": ["file", "page", "include", "template", "path", "lang"],
    "ssrf": ["url", "callback", "webhook", "image_url", "target", "feed"],
    "mail_header": ["email", "to", "reply_to", "contact"],
    "path_traversal": ["file", "download", "doc", "attachment", "path"],
    "ldapi": ["user", "uid", "filter", "login"],
    "crlf": ["next", "lang", "redirect", "ref"],
}
DEFAULT_PARAMETERS = ["q", "search", "id", "name", "comment", "value", "input", "sort", "filter", "title"]
BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15",
    "okhttp/4.12.0",
    "python-requests/2.32.3",
]


# -- evasions ----------------------------------------------------------------------------------------


def case_mix(text: str, rng: random.Random) -> str:
    return "".join(c.upper() if c.isalpha() and rng.random() < 0.5 else c for c in text)


def sql_comments(text: str, rng: random.Random) -> str:
    return re.sub(r" ", lambda _: rng.choice(["/**/", "/*x*/", "\t", "\n", " "]), text)


def sql_version_comment(text: str, rng: random.Random) -> str:
    return re.sub(r"\b(UNION|SELECT|AND|OR)\b", r"/*!50000\1*/", text, count=2, flags=re.IGNORECASE)


def shell_ifs(text: str, rng: random.Random) -> str:
    return re.sub(r"(?<=[a-z]) (?=[-/a-z])", lambda _: rng.choice(["${IFS}", "$IFS$9", "\t"]), text, count=3)


def shell_split(text: str, rng: random.Random) -> str:
    def split(match: re.Match[str]) -> str:
        word = match.group(0)
        glue = rng.choice(["''", '""', "\\"])
        return word[0] + glue + word[1:]

    return re.sub(r"\b(?:cat|id|whoami|uname|ls|curl|wget|bash|sh|ping|sleep|nc)\b", split, text, count=2)


def js_concat(text: str, rng: random.Random) -> str:
    return re.sub(r"\balert\b", lambda _: rng.choice(["self['al'+'ert']", "window['ale'+'rt']", "(alert)"]), text)


def html_entities(text: str, rng: random.Random) -> str:
    return re.sub(r"javascript", lambda _: "jav&#x61;script" if rng.random() < 0.5 else "&#106;avascript", text)


def tab_in_scheme(text: str, rng: random.Random) -> str:
    return text.replace("javascript:", "java\tscript:")


def php_concat(text: str, rng: random.Random) -> str:
    return re.sub(r"\b(system|passthru|shell_exec)\(", lambda m: f"('{m.group(1)[:3]}'.'{m.group(1)[3:]}')(", text)


def unchanged(text: str, rng: random.Random) -> str:
    return text


Evasion = Callable[[str, random.Random], str]
EVASIONS: dict[str, list[Evasion]] = {
    "sqli": [unchanged, case_mix, sql_comments, sql_version_comment],
    "cmdi": [unchanged, shell_ifs, shell_split, case_mix],
    "rce": [unchanged, shell_ifs, shell_split],
    "xss": [unchanged, case_mix, js_concat, html_entities, tab_in_scheme],
    "php_injection": [unchanged, php_concat, case_mix],
    "log4shell": [unchanged, case_mix],
    "ssti": [unchanged],
    "code_injection": [unchanged],
}
# Transport encodings, applied on top where the location carries them (query, form, path, cookie).
ENCODINGS = ("once", "once", "twice", "mixed", "none")


def percent(text: str, how: str, rng: random.Random) -> str:
    if how == "none":
        return quote(text, safe="/:=&?@!$'()*+,;%{}[]<>\"|`\\^ ").replace(" ", "%20").replace("\n", "%0A")
    if how == "twice":
        return quote(quote(text, safe=""), safe="")
    if how == "mixed":
        return "".join(quote(c, safe="") if (not c.isalnum() or rng.random() < 0.3) else c for c in text)
    return quote(text, safe="")


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


# -- requests ----------------------------------------------------------------------------------------


def row(  # noqa: PLR0913  keyword-only: every field of one corpus row
    label: str,
    category: str,
    placement: str,
    *,
    method: str = "GET",
    path: str = "/api/v1/items",
    query: str = "",
    headers: dict[str, str] | None = None,
    body: str | None = None,
    host: str | None = None,
    payload: str | None = None,
    rng: random.Random,
) -> dict[str, Any]:
    fields = {"User-Agent": rng.choice(BROWSERS), "Accept": "application/json"}
    fields.update(headers or {})
    data = {
        "label": label,
        "category": category,
        "method": method,
        "path": path,
        "query": query,
        "headers": fields,
        "body": body,
        "placement": placement,
        "payload": payload,
        "source": "bastion-unseen",
    }
    if host is not None:
        data["host"] = host
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]
    data["id"] = f"{label[0]}-{category}-{digest}"
    return data


def headerable(text: str) -> str:
    """What a header can carry: no raw CR, LF or NUL (they would end the field), percent-encoded."""
    return text.replace("\r", "%0d").replace("\n", "%0a").replace("\x00", "%00")


def place(category: str, payload: str, location: str, rng: random.Random, *, base64_it: bool = False) -> dict[str, Any]:  # noqa: PLR0911, PLR0912  one branch per placement of a payload in a request
    name = rng.choice(PARAMETER.get(category, DEFAULT_PARAMETERS))
    value = b64(payload) if base64_it else payload
    how = "none" if base64_it else rng.choice(ENCODINGS)
    common = {"payload": payload, "rng": rng}
    if location == "query":
        return row("attack", category, location, query=f"{name}={percent(value, how, rng)}&page=1", **common)
    if location == "path":
        segment = value if base64_it else percent(value, "once" if how == "none" else how, rng)
        return row("attack", category, location, path=f"/api/v1/{name}/{segment}", **common)
    if location == "json":
        document: Any = {name: value, "locale": "en-GB"}
        if rng.random() < 0.3:
            document = {"data": {"attributes": document}, "meta": {"page": 2}}
        text = json.dumps(document, ensure_ascii=rng.random() < 0.5)
        if rng.random() < 0.3:
            text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("'", "\\u0027")
        return row(
            "attack",
            category,
            location,
            method="POST",
            body=text,
            headers={"Content-Type": "application/json"},
            **common,
        )
    if location == "json_key":
        text = json.dumps({"filters": {value: "1"}, "limit": 10})
        return row(
            "attack",
            category,
            location,
            method="POST",
            body=text,
            headers={"Content-Type": "application/json"},
            **common,
        )
    if location == "json_raw":
        return row(
            "attack",
            category,
            "json",
            method="POST",
            body=payload,
            headers={"Content-Type": "application/json"},
            **common,
        )
    if location == "form":
        body = f"{name}={percent(value, 'once' if how == 'none' else how, rng)}&submit=Send"
        return row(
            "attack",
            category,
            location,
            method="POST",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            **common,
        )
    if location == "multipart":
        boundary = "----form" + "".join(rng.choice("abcdef0123456789") for _ in range(12))
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nthanks\r\n--{boundary}--\r\n'
        )
        return row(
            "attack",
            category,
            location,
            method="POST",
            body=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
            **common,
        )
    if location == "header":
        header = rng.choice(["X-Search", "X-Forwarded-Host", "Referer", "User-Agent", "X-Api-Filter", "X-Callback"])
        return row("attack", category, location, headers={header: headerable(value)}, **common)
    if location == "cookie":
        return row(
            "attack", category, location, headers={"Cookie": f"sid=4f9a1c; pref={percent(value, how, rng)}"}, **common
        )
    if location == "host":
        return row("attack", category, location, host=headerable(value), **common)
    if location == "xml":
        return row(
            "attack",
            category,
            location,
            method="POST",
            body=payload,
            headers={"Content-Type": rng.choice(["application/xml", "text/xml"])},
            **common,
        )
    raise ValueError(location)


def attacks(rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    for category, payloads in ATTACKS.items():
        allowed = ONLY_IN.get(category, LOCATIONS)
        # Every location this category fits gets at least one row, then each payload two placements.
        cycle = list(allowed)
        rng.shuffle(cycle)
        for index, payload in enumerate(payloads):
            for round_ in range(2):
                location = cycle[(2 * index + round_) % len(cycle)]
                evasion = rng.choice(EVASIONS.get(category, [unchanged]))
                text = evasion(payload, rng)
                base64_it = category in ("ssti", "xss", "sqli", "cmdi", "code_injection") and rng.random() < 0.12
                if base64_it and location not in ("path", "json", "cookie", "header", "query"):
                    base64_it = False
                rows.append(place(category, text, location, rng, base64_it=base64_it))
    return rows


# -- benign traffic ----------------------------------------------------------------------------------


def jwt(rng: random.Random) -> str:
    header = b64(
        json.dumps({"alg": rng.choice(["RS256", "ES256", "HS256"]), "typ": "JWT", "kid": f"{rng.getrandbits(40):x}"})
    )
    claims = {
        "sub": f"{rng.getrandbits(64):x}",
        "name": rng.choice(BENIGN_NAMES),
        "scope": rng.choice(["read:orders write:orders", "openid profile email", "admin:read"]),
        "iat": 1717000000 + rng.randrange(10**7),
        "iss": "https://auth.example.com/",
    }
    payload = b64(json.dumps(claims, ensure_ascii=False))
    signature = b64(bytes(rng.getrandbits(8) for _ in range(rng.choice([32, 64, 256]))).decode("latin-1"))
    return f"{header}.{payload}.{signature}"


def blob(rng: random.Random) -> str:
    raw = bytes(rng.getrandbits(8) for _ in range(rng.randrange(24, 400)))
    return base64.b64encode(raw).decode()


def benign(rng: random.Random, count: int) -> list[dict[str, Any]]:  # noqa: PLR0912, PLR0915  one generator per benign kind, in one seeded sequence (reordering changes the set)
    texts = {
        "benign_prose": BENIGN_PROSE,
        "benign_code": BENIGN_CODE,
        "benign_richtext": BENIGN_RICH,
        "benign_search": BENIGN_SEARCH,
        "benign_names": BENIGN_NAMES,
        "benign_files": BENIGN_FILES,
        "benign_urls": BENIGN_URLS,
    }
    rows: list[dict[str, Any]] = []
    kinds = [*texts, "benign_graphql", "benign_jwt", "benign_base64", "benign_browser"]
    while len(rows) < count:
        kind = kinds[len(rows) % len(kinds)]
        auth = {"Authorization": f"Bearer {jwt(rng)}"} if rng.random() < 0.5 else {}
        cookie = {"Cookie": f"session={rng.getrandbits(128):032x}; theme=dark; consent=%7B%22ads%22%3Afalse%7D"}
        common: dict[str, Any] = {"rng": rng}
        if kind == "benign_graphql":
            body = json.dumps(
                {"query": rng.choice(BENIGN_GRAPHQL), "variables": {"q": rng.choice(BENIGN_SEARCH), "id": "42"}}
            )
            rows.append(
                row(
                    "benign",
                    kind,
                    "json",
                    method="POST",
                    path="/graphql",
                    body=body,
                    headers={"Content-Type": "application/json", **auth},
                    **common,
                )
            )
            continue
        if kind == "benign_jwt":
            token = jwt(rng)
            rows.append(
                row(
                    "benign",
                    kind,
                    "header",
                    headers={"Authorization": f"Bearer {token}", **cookie},
                    query=f"id_token_hint={token}" if rng.random() < 0.3 else "",
                    **common,
                )
            )
            continue
        if kind == "benign_browser":
            origin = rng.choice(BROWSER_ORIGINS)
            page = "" if origin == "null" else f"{origin}/{rng.choice(['', 'app/orders', 'chat/room-7', 'settings/'])}"
            browser = {"Origin": origin, **({"Referer": page} if page else {})}
            if rng.random() < 0.5:
                browser.update({"Upgrade": "websocket", "Sec-WebSocket-Version": "13"})
                rows.append(row("benign", kind, "header", path="/ws/notifications", headers=browser, **common))
            else:
                browser["Access-Control-Request-Method"] = "POST"
                preflight = {"method": "OPTIONS", "path": "/api/v1/orders"}
                rows.append(row("benign", kind, "header", headers=browser, **preflight, **common))
            continue
        if kind == "benign_base64":
            body = json.dumps({"filename": rng.choice(BENIGN_FILES), "content": blob(rng), "encoding": "base64"})
            rows.append(
                row(
                    "benign",
                    kind,
                    "json",
                    method="POST",
                    path="/api/v1/uploads",
                    body=body,
                    headers={"Content-Type": "application/json", **auth},
                    **common,
                )
            )
            continue
        text = rng.choice(texts[kind])
        location = rng.choice(["query", "json", "json", "form", "multipart", "header", "cookie", "path"])
        if kind == "benign_code" and location in ("path", "cookie", "header"):
            location = "json"
        if location == "query":
            name = {"benign_search": "q", "benign_urls": "next", "benign_files": "file"}.get(kind, "comment")
            rows.append(
                row("benign", kind, location, query=f"{name}={quote(text, safe='')}&limit=20", headers=auth, **common)
            )
        elif location == "json":
            document = {
                "name": rng.choice(BENIGN_NAMES),
                "email": "someone@example.com",
                {"benign_code": "snippet", "benign_richtext": "html", "benign_urls": "website"}.get(kind, "note"): text,
                "tags": ["a", "b"],
                "count": rng.randrange(100),
            }
            rows.append(
                row(
                    "benign",
                    kind,
                    location,
                    method="POST",
                    body=json.dumps(document, ensure_ascii=False),
                    headers={"Content-Type": "application/json", **auth},
                    **common,
                )
            )
        elif location == "form":
            rows.append(
                row(
                    "benign",
                    kind,
                    location,
                    method="POST",
                    body=f"message={quote(text)}&name={quote(rng.choice(BENIGN_NAMES))}",
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                    **common,
                )
            )
        elif location == "multipart":
            boundary = "----b" + f"{rng.getrandbits(48):012x}"
            filename = rng.choice(BENIGN_FILES)
            body = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="description"\r\n\r\n{text}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n\x89PNG\x00\x01\x02binary\r\n--{boundary}--\r\n"
            )
            rows.append(
                row(
                    "benign",
                    kind,
                    location,
                    method="POST",
                    path="/api/v1/uploads",
                    body=body,
                    headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
                    **common,
                )
            )
        elif location == "header":
            rows.append(
                row(
                    "benign",
                    kind,
                    location,
                    headers={"X-Comment": quote(text, safe=" '(),;:/@&?=#!*+$"), **auth},
                    **common,
                )
            )
        elif location == "cookie":
            rows.append(
                row(
                    "benign",
                    kind,
                    location,
                    headers={"Cookie": f"last_search={quote(text, safe='')}; lang=en"},
                    **common,
                )
            )
        else:
            rows.append(row("benign", kind, location, path=f"/api/v1/search/{quote(text, safe='')}", **common))
    return rows


def main() -> int:
    rng = random.Random(17)
    rows = attacks(rng) + benign(rng, 1210)
    with OUT.open("w", encoding="utf-8") as out:
        for item in rows:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    labels = {label: sum(1 for r in rows if r["label"] == label) for label in ("attack", "benign")}
    print(f"{OUT}: {labels}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
