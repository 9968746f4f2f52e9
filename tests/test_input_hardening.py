"""Issue 22, items 10, 12, 18, 19 and 21: exact numbers, every script, undecodable credentials,
RateLimit headers that agree, and `where` conditions checked against the spec.

Raw requests against the proxy on real sockets, in front of an upstream that records every byte it
receives; each row asserts what the client got and what reached the upstream.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

from bastion.guards.authn.basic import hash_password
from tests.hostile_upstream import json_answer, parse_answer, recording_upstream
from tests.proxy_harness import raw_request, running_proxy

PEOPLE_SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "people", "version": "1"},
    "paths": {
        "/people": {
            "post": {
                "operationId": "createPerson",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "additionalProperties": False,
                                "properties": {
                                    "name": {"type": "string", "maxLength": 200},
                                    "age": {"type": "number", "minimum": 0, "maximum": 150},
                                    "count": {"type": "integer"},
                                    "tags": {"type": "object", "additionalProperties": {"type": "string"}},
                                },
                            }
                        }
                    },
                },
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {}}}}},
            }
        }
    },
}


def post(body: bytes, path: str = "/people") -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: api.example\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


@pytest.fixture
def people_dir(tmp_path: Path) -> Path:
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(PEOPLE_SPEC))
    return tmp_path


async def _send_all(people_dir: Path, bodies: list[bytes]) -> list[tuple[int, list[bytes], bytes]]:
    """(status, bodies the upstream received, client body) per request body."""
    sections: dict[str, Any] = {"openapi": "spec.yaml", "routes": None, "store": {"path": "b.db"}}
    results = []
    async with (
        recording_upstream({"/people": json_answer(b'{"ok":true}')}) as upstream,
        running_proxy(upstream.url, people_dir, **sections) as proxy,
    ):
        for body in bodies:
            before = len(upstream.received)
            answer = parse_answer(await raw_request(proxy.port, post(body)))
            received = [raw.partition(b"\r\n\r\n")[2] for raw in upstream.received[before:]]
            results.append((answer.status, received, answer.body))
    return results


# -- 18: numbers are judged on their exact decimal text -------------------------------------------

NUMBERS = [
    (b'{"age": 150.00000000000001}', 422),
    (b'{"age": 15000000000000001e-14}', 422),
    (b'{"age": -1e-400}', 422),
    (b'{"count": 1e-400}', 422),
    (b'{"count": 1.0000000000000001}', 422),
    (b'{"count": 12345678901234567.5}', 422),
    (b'{"age": 150}', 200),
    (b'{"age": 150.0}', 200),
    (b'{"age": 1.5e2}', 200),
    (b'{"age": 149.99999999999999999}', 200),
    (b'{"age": 1e-400}', 200),
    (b'{"age": 0.1, "count": 3}', 200),
    (b'{"count": 1.0}', 200),
    (b'{"count": 10e0}', 200),
]


async def test_numbers_are_validated_from_their_exact_text(people_dir: Path) -> None:
    results = await _send_all(people_dir, [body for body, _ in NUMBERS])
    for (body, expected), (status, received, answer) in zip(NUMBERS, results, strict=True):
        assert status == expected, (body, answer)
        assert received == ([body] if expected == 200 else []), body
        if expected == 422:
            assert orjson.loads(answer)["errors"][0]["rule"] in {"maximum", "minimum", "type"}, answer


# -- 19: every script is data; only control characters are refused, raw or escaped ----------------

NAMES = [
    "Zoë Ødegård-Łukasiewicz",
    "Ἀριστοτέλης",
    "Фёдор Михайлович Достоевский",
    "محمد بن موسى الخوارزمي",
    "דוד בן־גוריון",
    "देवनागरी लिपि",  # Devanagari, with a virama and a zero-width joiner sequence below
    "क्‍ष",
    "王小明",
    "김민준",
    "สมชาย ใจดี",
    "Nguyễn Thị Minh Khai",
    "e\u0301 ﬁ",  # a combining accent, a ligature
    "Ada 👩‍💻🙂",
    "non\u00a0breaking\u00adsoft",  # NBSP and soft hyphen are not C1 controls
    "tab\tand\nnew\rline",
]
REFUSED = [
    b'{"name": "next\xc2\x85line"}',  # raw NEL (C1)
    b'{"name": "next\\u0085line"}',  # escaped NEL
    b'{"name": "csi\\u009b31m"}',
    b'{"name": "del\x7f"}',
    b'{"name": "del\\u007F"}',
    b'{"name": "nul\\u0000"}',
    b'{"name": "esc\\u001b[2J"}',
    b'{"name": "back\\bspace"}',
    b'{"name": "form\\ffeed"}',
    b'{"name": "rtl \xe2\x80\xae override"}',
    b'{"name": "rtl \\u202e override"}',
    b'{"tags": {"k\xc2\x9by": "v"}}',  # a C1 character in a key
]


async def test_names_in_every_script_are_accepted_raw_and_escaped(people_dir: Path) -> None:
    bodies = [json.dumps({"name": n}, ensure_ascii=False).encode() for n in NAMES]
    bodies += [json.dumps({"name": n}, ensure_ascii=True).encode() for n in NAMES]
    bodies.append(b'{"name": "a literal \\\\b and \\\\u0085 are text"}')
    results = await _send_all(people_dir, bodies)
    for body, (status, received, answer) in zip(bodies, results, strict=True):
        assert status == 200, (body.decode(), answer)
        assert received == [body]  # byte for byte


async def test_control_characters_are_refused_raw_and_escaped(people_dir: Path) -> None:
    results = await _send_all(people_dir, [*REFUSED, b'{"name": "raw \x01 C0"}'])
    for body, (status, received, answer) in zip([*REFUSED, b"raw C0"], results, strict=True):
        assert received == [], body
        if body == b"raw C0":
            assert status == 400  # not even JSON
        else:
            assert status == 422, (body, answer)
            assert orjson.loads(answer)["errors"][0]["rule"] == "controlCharacters"


# -- 21: an undecodable credential is a 401 and a failed attempt, never a 500 ----------------------


async def test_undecodable_credentials_are_counted_failures(tmp_path: Path) -> None:
    authn = {
        "methods": [
            {"basic": {"users": {"alice": {"password_hash": hash_password("correct horse"), "roles": ["user"]}}}},
            {"jwt": {"issuer": "https://id.test/", "algorithms": ["HS256"], "secret": "s" * 40}},
        ],
        "brute_force": {"threshold": 10, "window": "5m", "cooldown": ["1m"]},
    }
    credentials = [
        b"Basic \xff\xfe",
        b"Basic \xc3\xa9t\xc3\xa9",
        b"Basic !!!!",
        b"Basic " + base64.b64encode(b"\xff\xfe:\xfd"),
        b"Basic " + base64.b64encode(b"no-colon"),
        b"Bearer \xff\xfe.\xfd.\xfc",
        b"Bearer ey\xff.e30.x",
        b"Basic",
        b"\xff\xfe",
    ]
    statuses = []
    async with recording_upstream({"/orders": json_answer(b"{}")}) as upstream:
        async with running_proxy(upstream.url, tmp_path, authn=authn, store={"path": "b.db"}) as proxy:
            for credential in credentials + credentials[:3]:
                raw = (
                    b"GET /orders HTTP/1.1\r\nHost: a\r\nAuthorization: "
                    + credential
                    + b"\r\nConnection: close\r\n\r\n"
                )
                answer = parse_answer(await raw_request(proxy.port, raw))
                statuses.append(answer.status)
                assert answer.headers["content-type"] == "application/problem+json"
        assert upstream.received == []
    assert 500 not in statuses
    # each was a failed attempt: the tenth trips the brute-force cooldown like wrong passwords do
    assert statuses[:9] == [401] * 9
    assert statuses[9:] == [429] * 3


# -- 10: RateLimit and RateLimit-Policy agree --------------------------------------------------------

_ITEM = re.compile(r'"([^"]+)";(?:q=(\d+))?(?:;?w=(\d+))?(?:r=(\d+))?(?:;t=(\d+))?')


async def test_ratelimit_headers_agree_with_their_policy(tmp_path: Path) -> None:
    limits = [
        {"id": "per-ip", "key": ["ip"], "rate": "20/s", "burst": 40},
        {"id": "slow", "key": ["ip"], "rate": "10/min", "burst": 10},
        {"id": "daily", "key": ["ip"], "quota": "1000/day"},
    ]
    seen = []
    sections: dict[str, Any] = {"ratelimit": {"limits": limits}, "store": {"path": "b.db"}}
    request = b"GET /items HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
    async with (
        recording_upstream({"/items": json_answer(b"{}")}) as upstream,
        running_proxy(upstream.url, tmp_path, **sections) as proxy,
    ):
        for _ in range(12):
            seen.append(parse_answer(await raw_request(proxy.port, request)))
    assert seen[0].headers["ratelimit-policy"] == '"per-ip";q=40;w=2, "slow";q=10;w=60, "daily";q=1000;w=86400'
    for answer in seen:
        policy = {
            m[0]: (int(m[1]), int(m[2] or 0))
            for m in re.findall(r'"([^"]+)";q=(\d+)(?:;w=(\d+))?', answer.headers["ratelimit-policy"])
        }
        for name, remaining, reset in re.findall(r'"([^"]+)";r=(\d+);t=(\d+)', answer.headers["ratelimit"]):
            quota, window = policy[name]
            assert int(remaining) <= quota, answer.headers
            assert int(reset) <= window, answer.headers
    assert '"per-ip";r=39;' in seen[0].headers["ratelimit"]
    assert [a.status for a in seen] == [200] * 10 + [429] * 2  # "slow": 10 per minute


# -- 12: a `where` must name what its operations declare --------------------------------------------

OWNERS_SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "owners", "version": "1"},
    "paths": {
        "/users/{user_id}/orders": {
            "parameters": [{"name": "user_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {
                "operationId": "listOrders",
                "parameters": [{"name": "owner", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}},
            },
            "post": {
                "operationId": "createOrder",
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "owner": {"type": "object", "properties": {"id": {"type": "string"}}},
                                    "lines": {
                                        "type": "array",
                                        "items": {"type": "object", "properties": {"sku": {"type": "string"}}},
                                    },
                                    "meta": {"type": "object"},
                                },
                            }
                        }
                    }
                },
                "responses": {"201": {"description": "ok"}},
            },
        },
        "/users/{user_id}": {
            "get": {
                "operationId": "getUser",
                "parameters": [{"name": "user_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok"}},
            }
        },
    },
}


def _check(
    tmp_path: Path, rules: list[dict[str, Any]], lookups: dict[str, Any] | None = None
) -> subprocess.CompletedProcess[str]:
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(OWNERS_SPEC))
    authz: dict[str, Any] = {"rules": rules}
    if lookups:
        authz["lookups"] = lookups
    authn = {"methods": [{"jwt": {"issuer": "https://id.test/", "algorithms": ["HS256"], "secret": "s" * 40}}]}
    policy = {"openapi": "spec.yaml", "store": {"path": "b.db"}, "authn": authn, "authz": authz}
    (tmp_path / "bastion.yaml").write_text(yaml.safe_dump(policy))
    return subprocess.run(
        [sys.executable, "-m", "bastion", "check", "--config", str(tmp_path / "bastion.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "400"},
    )


def _rule(allow: list[str] | str, where: str) -> dict[str, Any]:
    return {"id": "owner", "allow": allow, "roles": ["user"], "where": where}


@pytest.mark.parametrize(
    "where",
    [
        "path.user_id == identity.sub",
        "query.owner == identity.sub or path.user_id == identity.sub",
        "body.owner.id == identity.sub",
        "body.lines.0.sku == 'x'",
        "body.meta.anything == identity.sub",  # an open object declares any name below it
        "header.x-owner == identity.sub",  # headers are not described: not checked
    ],
)
def test_check_accepts_conditions_on_declared_inputs(tmp_path: Path, where: str) -> None:
    result = _check(tmp_path, [_rule(["listOrders", "createOrder", "getUser"], where)])
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("allow", "where", "names"),
    [
        (["getUser", "listOrders"], "path.usr_id == identity.sub", "path.usr_id"),
        (["listOrders"], "query.ownr == identity.sub", "query.ownr"),
        (["createOrder"], "body.owner.idd == identity.sub", "body.owner.idd"),
        (["getUser"], "body.owner.id == identity.sub", "body.owner.id"),  # getUser takes no body
        ("*", "path.usr_id == identity.sub", "path.usr_id"),
    ],
)
def test_check_refuses_conditions_on_inputs_no_operation_declares(
    tmp_path: Path, allow: list[str] | str, where: str, names: str
) -> None:
    result = _check(tmp_path, [_rule(allow, where)])
    assert result.returncode == 2
    message = " ".join(result.stderr.split())
    assert f"reads {names}, which none of its operations declares" in message
    if names.startswith("path"):
        assert "getUser (user_id)" in message  # which operations, and the names they do declare
    if names.startswith("query"):
        assert "listOrders (owner)" in message
    if names == "body.owner.idd":
        assert "createOrder (lines, meta, owner)" in message


def test_check_refuses_a_lookup_reading_an_undeclared_name(tmp_path: Path) -> None:
    lookups = {"order_owner": {"http": {"url": "http://127.0.0.1:9/owners/{path.userid}", "pointer": "/owner"}}}
    result = _check(tmp_path, [_rule(["getUser"], "lookup.order_owner == identity.sub")], lookups)
    assert result.returncode == 2
    assert "reads path.userid" in " ".join(result.stderr.split())
