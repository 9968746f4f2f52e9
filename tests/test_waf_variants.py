"""Hand-written technique variants in every place a client controls (issue 17: no blind spots).

tests/data/waf_technique_variants.txt holds attack variants written from technique knowledge (not
corpus rows); each is sent in 14 places: the query (value and name), a path segment, a JSON value,
key and nested value, a form field, a multipart field and file name, an XML text node, a cookie,
the User-Agent, a Referer's query and a text/plain body. tests/data/waf_technique_benign.txt holds
values dense with SQL words, shell, paths, code and markup that must pass everywhere.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from bastion.config.waf import WAFConfig
from bastion.core.context import Context
from bastion.core.request import Headers, Request
from bastion.guards.waf import WAFGuard

DATA = Path(__file__).parent / "data"
# File names get fewer techniques than values (a name like `system(1).pdf` is ordinary), so a few
# code-shaped variants pass there; every other place must block nearly all.
FLOORS = {"multipart-filename": 0.97}
FLOOR = 0.99


def lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("# ")]


def request(
    method: str, path: str, query: str = "", headers: dict[str, str] | None = None, body: str | None = None
) -> Request:
    fields = [("host", "api.test"), *(headers or {}).items()]
    return Request(
        method=method,
        path=path,
        query=query,
        headers=Headers([(k.lower(), v) for k, v in fields]),
        client="127.0.0.1",
        body=body.encode("utf-8") if body is not None else None,
    )


def placements(value: str) -> Iterator[tuple[str, Request]]:
    q = quote(value, safe="")
    flat = value.replace("\r", "").replace("\n", " ")
    # a file name as browsers send it (the HTML standard's multipart/form-data encoding): `"` as %22,
    # line breaks as %0D and %0A
    filename = value.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
    json_type = {"content-type": "application/json"}
    part = 'Content-Disposition: form-data; name="note"\r\n\r\n'
    file_part = f'Content-Disposition: form-data; name="f"; filename="{filename}"\r\n\r\nhello'
    multipart = {"content-type": "multipart/form-data; boundary=XyZ"}
    xml_text = value.replace("&", "&amp;").replace("<", "&lt;")
    yield "query", request("GET", "/api/items", f"q={q}")
    yield "query-name", request("GET", "/api/items", f"{q}=1")
    yield "path", request("GET", "/api/items/" + q)
    yield "json", request("POST", "/api/items", headers=json_type, body=json.dumps({"note": value}))
    yield "json-key", request("POST", "/api/items", headers=json_type, body=json.dumps({value: 1}))
    yield "json-nested", request("POST", "/api/items", headers=json_type, body=json.dumps({"a": [{"b": {"c": value}}]}))
    yield (
        "form",
        request(
            "POST",
            "/api/items",
            headers={"content-type": "application/x-www-form-urlencoded"},
            body="note=" + quote_plus(value),
        ),
    )
    yield "multipart", request("POST", "/upload", headers=multipart, body=f"--XyZ\r\n{part}{value}\r\n--XyZ--\r\n")
    yield (
        "multipart-filename",
        request("POST", "/upload", headers=multipart, body=f"--XyZ\r\n{file_part}\r\n--XyZ--\r\n"),
    )
    yield (
        "xml",
        request(
            "POST",
            "/api/items",
            headers={"content-type": "application/xml"},
            body=f"<item><note>{xml_text}</note></item>",
        ),
    )
    yield "cookie", request("GET", "/api/items", headers={"cookie": "pref=" + q})
    yield "user-agent", request("GET", "/api/items", headers={"user-agent": flat})
    yield "referer", request("GET", "/api/items", headers={"referer": "https://shop.example.com/?q=" + q})
    yield "text-plain", request("POST", "/api/items", headers={"content-type": "text/plain"}, body=value)


@pytest.fixture(scope="module")
def guard() -> WAFGuard:
    return WAFGuard(WAFConfig())


def blocked(guard: WAFGuard, req: Request) -> bool:
    verdict = guard.check(req, Context("waf-variant-0001"))
    return verdict is not None and verdict.status == 403


def test_technique_variants_are_blocked_in_every_place(guard: WAFGuard) -> None:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missed: dict[str, list[str]] = defaultdict(list)
    for value in lines("waf_technique_variants.txt"):
        for place, req in placements(value):
            hit = blocked(guard, req)
            counts[place][0] += hit
            counts[place][1] += 1
            if not hit:
                missed[place].append(value)
    assert len(counts) == 14
    below = {
        place: (f"{caught}/{total}", missed[place])
        for place, (caught, total) in counts.items()
        if caught / total < FLOORS.get(place, FLOOR)
    }
    assert below == {}


# Benign text goes where free text goes. A path segment, a query name or a file name made of prose
# is already odd, and there `../`, `/etc/hosts` or a Windows path's `\r` is what attacks look like.
NAME_PLACES = frozenset({"path", "query-name", "multipart-filename"})


def test_technique_benign_values_pass_wherever_free_text_goes(guard: WAFGuard) -> None:
    wrongly = [
        (place, value)
        for value in lines("waf_technique_benign.txt")
        for place, req in placements(value)
        if place not in NAME_PLACES and blocked(guard, req)
    ]
    assert wrongly == []
