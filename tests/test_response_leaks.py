"""Issue 22, items 13-17: what a hostile upstream's responses leak through the proxy.

A raw-request table against `bastion serve` (in-process, real sockets) in front of an upstream that
records every byte it receives and answers with undeclared fields, a password hash, an SSN, a card
number, an AWS key and a stack trace; mislabeled content types, charset=utf-16, NDJSON, SSE,
undeclared statuses and HEAD. Each row asserts what the client got and what the upstream got.
"""

from __future__ import annotations

import asyncio
import codecs
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

from tests.hostile_upstream import (
    ARGON_HASH,
    AWS_KEY,
    CARD,
    FILTERED_JSON,
    HOSTILE_JSON,
    HOSTILE_USER,
    SECRETS,
    SSN,
    TRACE,
    USER,
    Answer,
    Canned,
    gzipped,
    json_answer,
    parse_answer,
    recording_upstream,
)
from tests.proxy_harness import raw_request, running_proxy

USER_SCHEMA = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}
PATH_PARAM = {"in": "path", "required": True, "schema": {"type": "string"}}


def _json_response(schema: dict[str, Any] | None = USER_SCHEMA, media: str = "application/json") -> dict[str, Any]:
    return {"description": "ok", "content": {media: {"schema": schema} if schema is not None else {}}}


def _get(responses: dict[str, Any], param: str | None = None) -> dict[str, Any]:
    operation: dict[str, Any] = {"responses": responses}
    if param is not None:
        operation["parameters"] = [{"name": param, **PATH_PARAM}]
    return {"get": operation}


SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "hostile", "version": "1"},
    "paths": {
        "/users/{id}": _get({"200": _json_response()}, "id"),
        "/labels/{kind}": _get({"200": _json_response()}, "kind"),
        "/anything/{kind}": _get({"200": _json_response(None, "*/*")}, "kind"),
        "/teapot/{code}": _get({"200": _json_response()}, "code"),
        "/kettle/{code}": _get({"200": _json_response(), "default": _json_response()}, "code"),
        "/export": _get({"200": _json_response(USER_SCHEMA, "application/x-ndjson")}),
        "/events": _get({"200": {"description": "events", "content": {"text/event-stream": {}}}}),
        "/trace": _get({"200": _json_response()}),
        "/boom": _get({"200": _json_response()}),
        "/leak": _get({"200": _json_response()}),
        "/big/{kind}": _get({"200": _json_response(None, "*/*")}, "kind"),
        "/bigjson": _get({"200": _json_response()}),
    },
}

SECRET_TEXT = f"user alice\npassword_hash: {ARGON_HASH}\nssn {SSN}, paid with {CARD}\n".encode()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"tEXt comment 078-05" + bytes(range(256))
PNG_SSN = PNG + f"tEXt {SSN}".encode()
NDJSON_LINES = [orjson.dumps({**HOSTILE_USER, "id": i}) + b"\n" for i in range(3)]
EVENTS = [
    b"event: user\ndata: " + HOSTILE_JSON + b"\n\n",
    b"data: " + TRACE.splitlines()[0].encode() + b"\n\n",
    b"id: 3\ndata: key " + AWS_KEY.encode() + b"\n\n",
    b": note ssn " + SSN.encode() + b"\ndata: last\n\n",
]


def _routes() -> dict[str, Canned]:
    utf16 = codecs.BOM_UTF16_LE + HOSTILE_JSON.decode().encode("utf-16-le")
    return {
        "/users/7": json_answer(),
        "/users/chunked": Canned(200, [("content-type", "application/json")], [HOSTILE_JSON[:20], HOSTILE_JSON[20:]]),
        "/labels/json": json_answer(),
        "/labels/octet": json_answer(content_type="application/octet-stream"),
        "/labels/none": json_answer(content_type=None),
        "/labels/plain": json_answer(content_type="text/plain"),
        "/labels/html": json_answer(content_type="text/html; charset=utf-8"),
        "/labels/utf16": json_answer(utf16, content_type="application/json; charset=utf-16"),
        "/labels/utf16-undeclared": json_answer(HOSTILE_JSON.decode().encode("utf-16-le")),
        "/labels/klingon": json_answer(content_type="application/json; charset=x-klingon"),
        "/labels/bad-utf16": json_answer(b"{\x00\x00\xd8", content_type="application/json; charset=utf-16-le"),
        "/labels/gzip": Canned(
            200, [("content-type", "application/json"), ("content-encoding", "gzip")], gzipped(HOSTILE_JSON)
        ),
        "/labels/br": Canned(200, [("content-type", "application/json"), ("content-encoding", "br")], b"\x1b\x00"),
        "/labels/empty-unlabelled": Canned(200, [], b""),
        "/anything/octet": json_answer(content_type="application/octet-stream"),
        "/anything/text": Canned(200, [("content-type", "text/plain")], SECRET_TEXT),
        "/anything/utf16": Canned(
            200,
            [("content-type", "text/plain; charset=utf-16")],
            codecs.BOM_UTF16_BE + SECRET_TEXT.decode().encode("utf-16-be"),
        ),
        "/anything/png": Canned(200, [("content-type", "image/png")], PNG),
        "/anything/png-key": Canned(200, [("content-type", "image/png")], PNG + AWS_KEY.encode()),
        "/anything/png-ssn": Canned(200, [("content-type", "image/png")], PNG_SSN),
        "/teapot/418": json_answer(status=418),
        "/teapot/201": json_answer(status=201),
        "/teapot/302": Canned(302, [("content-type", "application/json"), ("location", "/users/7")], HOSTILE_JSON),
        "/kettle/418": json_answer(status=418),
        "/export": Canned(
            200,
            [("content-type", "application/x-ndjson")],
            [
                NDJSON_LINES[0],
                NDJSON_LINES[1][:30],
                NDJSON_LINES[1][30:] + b'{"id": 9, "key": "' + AWS_KEY.encode() + b'"}\n',
                NDJSON_LINES[2],
            ],
            gate=1,
        ),
        "/events": Canned(200, [("content-type", "text/event-stream")], EVENTS, gate=1),
        "/trace": Canned(200, [("content-type", "application/json")], orjson.dumps({**HOSTILE_USER, "error": TRACE})),
        "/boom": Canned(
            500, [("content-type", "text/plain")], SECRET_TEXT + AWS_KEY.encode() + b"\n" + TRACE.encode() * 200
        ),
        "/leak": json_answer(orjson.dumps({**USER, "aws": AWS_KEY})),
        "/big/text": Canned(200, [("content-type", "text/plain")], [SECRET_TEXT * 400] * 3),
        "/big/binary": Canned(
            200, [("content-type", "application/zip")], [b"PK\x03\x04" + b"\x00" * 70_000, b"\x01" * 70_000]
        ),
        "/bigjson": Canned(200, [("content-type", "application/json")], [b"[" + b"1," * 60_000, b"1]"]),
    }


def get(path: str, method: str = "GET") -> bytes:
    return f"{method} {path} HTTP/1.1\r\nHost: api.example\r\nConnection: close\r\n\r\n".encode()


def no_secret(answer: Answer) -> bool:
    return not any(secret.encode() in answer.raw for secret in SECRETS) and b"Traceback" not in answer.raw


def json_body(answer: Answer) -> Any:
    return orjson.loads(answer.body)


@dataclass
class Row:
    path: str
    status: int
    check: Callable[[Answer], bool] = no_secret
    method: str = "GET"
    upstream_method: str | None = "GET"  # what the upstream must have been asked (None: nothing)


def _masked(answer: Answer) -> bool:
    body = json_body(answer)
    return no_secret(answer) and body["password_hash"] == body["ssn"] == body["card"] == "***" and body["id"] == 7


ROWS = [
    # the common case: only declared fields, with an exact length
    Row("/users/7", 200, lambda a: a.body == FILTERED_JSON and a.headers["content-length"] == str(len(FILTERED_JSON))),
    Row(
        "/users/chunked",
        200,
        lambda a: a.body == FILTERED_JSON and a.headers["content-length"] == str(len(FILTERED_JSON)),
    ),
    # 13: the label is not what counts; a content type the spec does not declare is refused
    Row("/labels/json", 200, lambda a: a.body == FILTERED_JSON),
    Row("/labels/octet", 502, lambda a: no_secret(a) and a.headers["content-type"] == "application/problem+json"),
    Row("/labels/none", 502),
    Row("/labels/plain", 502),
    Row("/labels/html", 502),
    Row("/labels/empty-unlabelled", 200, lambda a: a.body == b""),
    Row("/labels/utf16", 200, lambda a: a.body == FILTERED_JSON and "charset=utf-8" in a.headers["content-type"]),
    Row("/labels/utf16-undeclared", 200, lambda a: a.body == FILTERED_JSON),
    Row("/labels/klingon", 502),
    Row("/labels/bad-utf16", 502),
    Row("/labels/gzip", 200, lambda a: a.body == FILTERED_JSON and "content-encoding" not in a.headers),
    Row("/labels/br", 502),
    # 13: where the spec leaves the body open, what it is decides: sniffed JSON, text, charsets, binary
    Row("/anything/octet", 200, _masked),
    Row("/anything/text", 200, lambda a: no_secret(a) and b"password_hash: ***" in a.body and b"user alice" in a.body),
    Row("/anything/utf16", 200, lambda a: no_secret(a) and a.body.startswith(b"user alice\npassword_hash: ***")),
    Row("/anything/png", 200, lambda a: a.body == PNG),  # a binary file is passed, not broken by masking
    Row("/anything/png-key", 502),  # and withheld when it carries what cannot be masked in it
    Row("/anything/png-ssn", 502),
    # 15: undeclared statuses keep nothing undeclared; `default` is the fallback when there is one
    Row("/teapot/418", 418, lambda a: json_body(a) == {}),
    Row("/teapot/201", 201, lambda a: json_body(a) == {}),
    Row("/teapot/302", 302, lambda a: json_body(a) == {} and a.headers["location"] == "/users/7"),
    Row("/kettle/418", 418, lambda a: a.body == FILTERED_JSON),
    # 16: HEAD answers with GET's filtered head, asked upstream as GET
    Row("/users/7", 200, lambda a: a.headers["content-length"] == str(len(FILTERED_JSON)) and a.body == b"", "HEAD"),
    Row("/trace", 500, lambda a: a.headers["content-type"] == "application/problem+json" and a.body == b"", "HEAD"),
    Row("/trace", 500, lambda a: no_secret(a) and a.headers["content-type"] == "application/problem+json"),
    Row("/leak", 502),
    Row("/leak", 502, lambda a: a.body == b"", "HEAD"),
    Row("/boom", 500, lambda a: no_secret(a) and json_body(a)["status"] == 500),
]


@pytest.fixture
def spec_dir(tmp_path: Path) -> Path:
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(SPEC))
    return tmp_path


def _sections(**responses: Any) -> dict[str, Any]:
    return {"openapi": "spec.yaml", "routes": None, "store": {"path": "b.db"}, "responses": responses}


async def test_hostile_responses_table(spec_dir: Path) -> None:
    async with recording_upstream(_routes()) as upstream, running_proxy(upstream.url, spec_dir, **_sections()) as proxy:
        for row in ROWS:
            before = len(upstream.received)
            answer = parse_answer(await raw_request(proxy.port, get(row.path, row.method), timeout=5))
            asked = [raw.split(b" ", 2)[:2] for raw in upstream.received[before:]]
            assert answer.status == row.status, (row, answer.raw[:400])
            assert row.check(answer), (row, answer.raw[:600])
            assert no_secret(answer), (row, answer.raw[:600])
            assert asked == [[row.upstream_method.encode(), row.path.encode()]], (row, asked)
            if "content-length" in answer.headers and row.method == "GET":
                assert int(answer.headers["content-length"]) == len(answer.body)


async def test_head_never_tells_more_than_get(spec_dir: Path) -> None:
    async with recording_upstream(_routes()) as upstream, running_proxy(upstream.url, spec_dir, **_sections()) as proxy:
        for path in ("/users/7", "/labels/utf16", "/teapot/418", "/trace", "/leak", "/anything/octet"):
            got = parse_answer(await raw_request(proxy.port, get(path)))
            head = parse_answer(await raw_request(proxy.port, get(path, "HEAD")))
            assert (head.status, head.headers["content-length"]) == (got.status, str(len(got.body))), path
            assert head.body == b""
        assert set(upstream.methods_for("/")) == {"GET"}


async def _read_until(reader: asyncio.StreamReader, marker: bytes) -> bytes:
    data = b""
    while marker not in data:
        chunk = await asyncio.wait_for(reader.read(65536), 5)
        assert chunk, data
        data += chunk
    return data


async def _first_then_rest(spec_dir: Path, path: str, marker: bytes) -> tuple[bytes, Answer]:
    """What arrives while the upstream holds the rest of a stream back, then the whole answer."""
    async with recording_upstream(_routes()) as upstream, running_proxy(upstream.url, spec_dir, **_sections()) as proxy:
        reader, writer = await asyncio.open_connection("127.0.0.1", proxy.port)
        writer.write(get(path))
        first = await _read_until(reader, marker)  # nothing waits for the whole body
        upstream.release.set()
        rest = first + await asyncio.wait_for(reader.read(), 5)
        writer.close()
    return first, parse_answer(rest)


async def test_ndjson_is_filtered_line_by_line_as_it_streams(spec_dir: Path) -> None:
    first, answer = await _first_then_rest(spec_dir, "/export", b'"alice"}\n')
    assert b'{"id":0,"name":"alice"}\n' in first
    assert answer.status == 200
    assert "content-length" not in answer.headers
    lines = answer.body.splitlines()
    assert [orjson.loads(line) for line in lines] == [
        {"id": 0, "name": "alice"},
        {"id": 1, "name": "alice"},
        {"id": 2, "name": "alice"},
    ]
    assert no_secret(answer)


async def test_server_sent_events_are_masked_event_by_event(spec_dir: Path) -> None:
    first, answer = await _first_then_rest(spec_dir, "/events", b"\n\n")
    assert b"event: user\ndata: " in first
    events = answer.body.split(b"\n\n")
    assert events[0].startswith(b"event: user\ndata: {")
    data = orjson.loads(events[0].split(b"data: ", 1)[1])
    assert data["password_hash"] == data["ssn"] == data["card"] == "***"
    assert events[1] == b": note ssn ***\ndata: last"  # the trace and the AWS key events were dropped whole
    assert no_secret(answer)


async def test_streams_that_cannot_be_inspected_are_cut(spec_dir: Path) -> None:
    long_line = Canned(200, [("content-type", "application/x-ndjson")], [b'{"id": 1}\n', b"x" * 5000])
    routes = {"/export": long_line}
    sections = _sections(max_stream_part="4KiB")
    async with recording_upstream(routes) as upstream, running_proxy(upstream.url, spec_dir, **sections) as proxy:
        raw = await raw_request(proxy.port, get("/export"))
    assert raw.startswith(b"HTTP/1.1 200")
    assert b'{"id": 1}\n' in raw
    assert not raw.endswith(b"0\r\n\r\n")  # cut: the client can tell the message is incomplete
    assert b"xxxx" not in raw


async def test_bodies_over_the_inspection_limit(spec_dir: Path) -> None:
    sections = _sections(max_inspected="64KiB")
    async with recording_upstream(_routes()) as upstream, running_proxy(upstream.url, spec_dir, **sections) as proxy:
        text = parse_answer(await raw_request(proxy.port, get("/big/text"), timeout=5))
        binary = parse_answer(await raw_request(proxy.port, get("/big/binary"), timeout=5))
        schema = parse_answer(await raw_request(proxy.port, get("/bigjson"), timeout=5))
    # text past the limit is masked line by line as it streams
    assert text.status == 200
    assert text.body.count(b"password_hash: ***") == 1200
    assert no_secret(text)
    # a binary file streams through, scanned for credentials only
    assert binary.status == 200
    assert len(binary.body) == 140_004
    # what the schema must filter cannot be streamed: refused rather than passed unfiltered
    assert schema.status == 502


async def test_bastion_log_keeps_only_a_masked_bounded_excerpt(
    spec_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with recording_upstream(_routes()) as upstream, running_proxy(upstream.url, spec_dir, **_sections()) as proxy:
        with caplog.at_level(logging.INFO):
            for path in ("/boom", "/trace", "/anything/png-key"):
                await raw_request(proxy.port, get(path))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "body hidden from the client" in logged
    assert "password_hash: ***" in logged  # the excerpt is there for the developers, masked
    for secret in SECRETS:
        assert secret not in logged
    hidden = [r.getMessage() for r in caplog.records if "hidden" in r.getMessage()]
    assert hidden
    assert all(len(message) < 2048 * 4 + 400 for message in hidden)  # bounded: max_logged_error, escaped


async def test_without_a_spec_bodies_are_still_sniffed_and_masked() -> None:
    routes = {
        "/a": json_answer(content_type="text/plain"),
        "/b": json_answer(content_type=None),
        "/c": json_answer(HOSTILE_JSON.decode().encode("utf-16"), content_type="text/html; charset=utf-16"),
        "/d": Canned(
            200,
            [("content-type", "application/x-www-form-urlencoded")],
            f"name=alice&ssn={SSN}&password_hash=x".encode(),
        ),
    }
    async with recording_upstream(routes) as upstream, running_proxy(upstream.url) as proxy:
        answers = {path: parse_answer(await raw_request(proxy.port, get(path))) for path in routes}
    for path in ("/a", "/b", "/c"):
        assert answers[path].status == 200
        assert _masked(answers[path]), answers[path].raw
    assert answers["/d"].body == b"name=alice&ssn=***&password_hash=***"
