"""Request validation against the demo API's spec: parameter tampering is refused with the right status."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bastion.config import load_config
from bastion.core.context import Context
from bastion.core.identity import Identity
from bastion.core.request import Headers, Request
from bastion.core.verdict import Decision
from bastion.engine import Engine
from bastion.guards.validation.guard import _JSON_CONTROL_HINT, _may_hint_control
from tests.servers import ROOT

ENV = {"DEMO_JWT_SECRET": "demo-jwt-secret-for-the-tests-0123456789", "BASTION_SECRET": "s" * 40}
ALICE = Identity("1", "jwt", roles=frozenset({"user"}))


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    os.environ.update(ENV)
    tmp = tmp_path_factory.mktemp("validation")
    return Engine(load_config(ROOT / "examples/demo.yaml", {"store.path": str(tmp / "b.db"), "authz.mode": "off"}))


async def decide(  # noqa: PLR0913  keyword-only: the request parts a test varies
    engine: Engine,
    method: str,
    target: str,
    body: Any = None,
    *,
    raw: bytes | None = None,
    content_type: str = "application/json",
) -> Decision:
    path, _, query = target.partition("?")
    headers = [("host", "shop.test")]
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    if data is not None:
        headers += [("content-type", content_type), ("content-length", str(len(data)))]
    request = Request(method=method, path=path, query=query, headers=Headers(headers), client="10.0.0.1", body=data)
    ctx = Context("validation-test-01")
    ctx.identity = ALICE
    return await engine.pipeline.check(request, ctx, skip=frozenset({"authn"}))


def refusal(decision: Decision) -> tuple[int, list[str]]:
    if decision.refusal is None:
        return 200, []
    errors = (decision.refusal.extra or {}).get("errors", [])
    return decision.refusal.status, [f"{e['location']}:{e['rule']}" for e in errors]


GOOD_ORDER = {"product_id": 1, "quantity": 2, "note": "ring twice"}


async def test_a_valid_request_passes(engine: Engine) -> None:
    assert refusal(await decide(engine, "POST", "/api/orders", GOOD_ORDER)) == (200, [])
    assert refusal(await decide(engine, "GET", "/api/products/search?q=widget")) == (200, [])


@pytest.mark.parametrize(
    ("name", "method", "target", "body", "expected"),
    [
        ("wrong type in body", "POST", "/api/orders", {**GOOD_ORDER, "product_id": "abc"}, "body/product_id:type"),
        ("wrong type in path", "GET", "/api/orders/abc", None, "path/order_id:type"),
        ("negative number", "POST", "/api/orders", {**GOOD_ORDER, "quantity": -1}, "body/quantity:minimum"),
        ("huge number", "POST", "/api/orders", {**GOOD_ORDER, "quantity": 10**12}, "body/quantity:maximum"),
        ("huge path id", "GET", "/api/orders/99999999999", None, "path/order_id:maximum"),
        ("overlong string", "POST", "/api/orders", {**GOOD_ORDER, "note": "x" * 501}, "body/note:maxLength"),
        ("overlong query", "GET", "/api/products/search?q=" + "a" * 65, None, "query/q:maxLength"),
        ("extra query parameter", "GET", "/api/products/search?q=a&debug=1", None, "query/debug:unknownParameter"),
        ("extra body property", "POST", "/api/orders", {**GOOD_ORDER, "discount": 100}, "body:additionalProperties"),
        ("array for a scalar (query)", "GET", "/api/products/search?q=a&q=b", None, "query/q:type"),
        ("array for a scalar (body)", "POST", "/api/orders", {**GOOD_ORDER, "product_id": [1]}, "body/product_id:type"),
        ("missing required field", "POST", "/api/orders", {"quantity": 1}, "body:required"),
        ("missing required query", "GET", "/api/products/search", None, "query/q:required"),
        ("null byte in body", "POST", "/api/orders", {**GOOD_ORDER, "note": "a\u0000b"}, "body:controlCharacters"),
        ("null byte in query", "GET", "/api/products/search?q=a%00b", None, "query/q:controlCharacters"),
        ("bidi override", "POST", "/api/orders", {**GOOD_ORDER, "note": "abc\u202egnp.exe"}, "body:controlCharacters"),
        (
            "prototype pollution",
            "POST",
            "/api/orders",
            {**GOOD_ORDER, "__proto__": {"admin": True}},
            "body:additionalProperties",
        ),
        (
            "constructor pollution",
            "POST",
            "/api/register",
            {"username": "eve", "password": "long-password", "constructor": {"prototype": {}}},
            "body:additionalProperties",
        ),
        (
            "bad email format",
            "POST",
            "/api/register",
            {"username": "eve", "password": "long-password", "email": "nope"},
            "body/email:format",
        ),
        (
            "pattern",
            "POST",
            "/api/register",
            {"username": "eve<script>", "password": "long-password"},
            "body/username:pattern",
        ),
        ("required body absent", "POST", "/api/orders", None, "body:required"),
    ],
)
async def test_parameter_tampering_is_refused_with_422(  # noqa: PLR0913  a parametrized case: the engine fixture and the table's columns
    engine: Engine, name: str, method: str, target: str, body: Any, expected: str
) -> None:
    status, errors = refusal(await decide(engine, method, target, body))
    assert status == 422, name
    assert expected in errors, (name, errors)


@pytest.mark.parametrize(
    ("name", "raw", "content_type", "status"),
    [
        ("malformed JSON", b'{"product_id": 1,', "application/json", 400),
        ("duplicate keys", b'{"product_id": 1, "quantity": 1, "quantity": 100000}', "application/json", 400),
        ("escaped duplicate key", b'{"product_id": 1, "quantity": 1, "quantit\\u0079": 5}', "application/json", 400),
        ("long number", b'{"product_id": 12345678901234567890123, "quantity": 1}', "application/json", 422),
        (
            "deep nesting",
            b'{"note": ' + b"[" * 40 + b"]" * 40 + b', "product_id": 1, "quantity": 1}',
            "application/json",
            422,
        ),
        ("undeclared content type", b"product_id=1", "application/x-www-form-urlencoded", 415),
        ("xml instead of json", b"<order/>", "application/xml", 415),
        ("invalid utf-8", b'{"note": "\xff\xfe", "product_id": 1, "quantity": 1}', "application/json", 400),
        ("lone surrogate", b'{"note": "\\ud800", "product_id": 1, "quantity": 1}', "application/json", 400),
    ],
)
async def test_malformed_bodies(engine: Engine, name: str, raw: bytes, content_type: str, status: int) -> None:
    got, _ = refusal(await decide(engine, "POST", "/api/orders", raw=raw, content_type=content_type))
    assert got == status, name


async def test_refusals_echo_at_most_64_characters(engine: Engine) -> None:
    decision = await decide(
        engine, "POST", "/api/register", {"username": "<b>" + "x" * 500, "password": "long-password"}
    )
    assert decision.refusal is not None
    values = [e.get("value") for e in (decision.refusal.extra or {})["errors"]]
    assert all(v is None or len(str(v)) <= 64 for v in values)
    assert all("x" * 65 not in e["message"] for e in decision.refusal.extra["errors"])  # type: ignore[index]


async def test_bodies_on_operations_without_one_are_refused(engine: Engine) -> None:
    status, _ = refusal(await decide(engine, "GET", "/api/products", {"x": 1}))
    assert status == 415


async def test_monitor_mode_records_but_passes(tmp_path: Path) -> None:
    os.environ.update(ENV)
    monitor = Engine(
        load_config(
            ROOT / "examples/demo.yaml",
            {"store.path": str(tmp_path / "b.db"), "authz.mode": "off", "validation.mode": "monitor"},
        )
    )
    decision = await decide(monitor, "POST", "/api/orders", {**GOOD_ORDER, "quantity": -5})
    assert decision.allowed
    assert [(f.guard, f.mode, f.verdict.status) for f in decision.findings] == [("validate", "monitor", 422)]


async def test_form_fields_are_checked(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "forms", "version": "1"},
        "paths": {
            "/upload": {
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "title": {"type": "string"},
                                        "file": {"type": "string", "format": "binary"},
                                    },
                                }
                            },
                            "application/x-www-form-urlencoded": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "count": {"type": "integer", "maximum": 5},
                                        "title": {"type": "string"},
                                    },
                                }
                            },
                        },
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(spec))
    (tmp_path / "b.yaml").write_text("openapi: spec.yaml\nstore: {path: b.db}\n")
    forms = Engine(load_config(tmp_path / "b.yaml"))

    async def post(raw: bytes, content_type: str) -> tuple[int, list[str]]:
        request = Request(
            method="POST",
            path="/upload",
            query="",
            client="1.1.1.1",
            body=raw,
            headers=Headers([("host", "a"), ("content-type", content_type)]),
        )
        return refusal(await forms.pipeline.check(request, Context("forms-test-000001")))

    boundary = "XyZ"
    multipart = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nhi\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\ndata\r\n'
        f"--{boundary}--\r\n"
    ).encode()
    assert (await post(multipart, f"multipart/form-data; boundary={boundary}"))[0] == 200
    sneaky = multipart.replace(b'name="title"', b'name="is_admin"')
    assert (await post(sneaky, f"multipart/form-data; boundary={boundary}")) == (422, ["body/is_admin:unknownField"])
    assert (await post(b"garbage", f"multipart/form-data; boundary={boundary}"))[0] == 400
    assert (await post(b"count=3&title=x", "application/x-www-form-urlencoded"))[0] == 200  # coerced to 3
    assert (await post(b"count=9&title=x", "application/x-www-form-urlencoded")) == (422, ["body/count:maximum"])
    assert (await post(b"count=three", "application/x-www-form-urlencoded")) == (422, ["body/count:type"])

    assert (await post(b"title=x&role=admin", "application/x-www-form-urlencoded")) == (422, ["body/role:unknownField"])


_HINT_PIECES = [
    b"a",
    b"\\",
    b"b",
    b"f",
    b"u00",
    b"u20",
    b"2",
    b"6",
    b"9f",
    b"\x7f",
    b"\xc2",
    b"\x85",
    b"\xe2",
    b"\x80",
    b"\x81",
    b"\xaa",
    b"\xa6",
    b'"',
]


@given(st.lists(st.sampled_from(_HINT_PIECES), max_size=10).map(b"".join))
def test_the_control_hint_is_only_skipped_where_it_cannot_match(body: bytes) -> None:
    if _JSON_CONTROL_HINT.search(body) is not None:
        assert _may_hint_control(body)
