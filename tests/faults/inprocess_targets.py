"""In-process fuzz targets: the parsers and inspectors that read what a client controls.

Each target takes one generated input, runs the component the way the gateway does, and returns
normally or raises `Escaped` when an exception other than the component's own refusal escaped. The
CI test (`test_inprocess_fuzz.py`) runs each with Hypothesis; the timing campaign
(`inprocess_timing.py`, under `make fuzz`) steers Hypothesis towards slow inputs with `target()` and
reports the slowest ones.

- WAF decoding and techniques: `decode.views` (every decoded view of a value) and the whole WAF
  guard on a request carrying the value in the query, a header, a cookie and a JSON and form body;
- JSON limits (`core/json_body.JSONLimits.parse`): only `BodyError` may come out;
- the OpenAPI validator (`guards/validation`) through the pipeline of the fuzz API: no guard may
  raise (the pipeline would answer 500);
- GraphQL shape checks (`guards/graphql/shape.Analyzer.analyze`): only `ShapeError`;
- the authz expression parser (`guards/authz/expressions.compile_condition`): only
  `ExpressionError`; a condition that compiles never raises when evaluated on any facts.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from graphql import build_schema
from hypothesis import strategies as st

from bastion.config import parse_config
from bastion.config.graphql import GraphQLConfig
from bastion.config.waf import WAFConfig
from bastion.core.context import Context
from bastion.core.json_body import BodyError, JSONLimits
from bastion.core.request import Headers, Request
from bastion.engine import Engine
from bastion.guards.authz.expressions import ExpressionError, Facts, compile_condition
from bastion.guards.graphql.shape import Analyzer, ShapeError
from bastion.guards.waf.guard import WAFGuard
from bastion.guards.waf.views import views
from tests.faults.http_grammar import ESCAPES, JSON_ODDITIES, JSON_VALUES, UNICODE

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


class Escaped(AssertionError):
    """An exception escaped a component that must refuse bad input in its own terms."""


# -- inputs -----------------------------------------------------------------------------------------------

ATTACK_PIECES = (
    "' OR 1=1--", "<script>alert(1)</script>", "../../etc/passwd", "${jndi:ldap://x}", "{{7*7}}", "; cat /etc/passwd",
    "UNION SELECT", "%27", "%252e%252e%252f", "\\u003cscript", "&#x3c;", "/*!50000union*/", "0x41", "$(id)",
    "javascript:", "data:text/html;base64,PHNjcmlwdD4=", "+ADw-script+AD4-", "%c0%ae%c0%ae/", "\x00", "`id`",
)  # fmt: skip
TEXT = st.lists(
    st.sampled_from(ATTACK_PIECES)
    | st.sampled_from(ESCAPES)
    | UNICODE.map(lambda b: b.decode())
    | st.text(max_size=8)
    | st.binary(max_size=8).map(lambda b: b.decode("utf-8", "surrogateescape")),  # how bytes that are not UTF-8 arrive
    max_size=12,
).map("".join)


@st.composite
def json_text(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 9))
    if kind < 5:
        return json.dumps(draw(JSON_VALUES)).encode()
    if kind < 7:
        return draw(st.sampled_from(JSON_ODDITIES))
    if kind < 8:
        depth = draw(st.integers(1, 200))
        return b"[" * depth + draw(st.sampled_from((b"1", b'"x"', b"{}", b""))) + b"]" * draw(st.integers(0, depth))
    return draw(st.binary(max_size=64))


GRAPHQL_PIECES = (
    "query", "mutation", "subscription", "fragment F on User", "...F", "... on User", "{", "}", "(", ")", ":",
    "user(id: 1)", "posts(first: 1000000)", "friends(first: 100)", "__schema", "__typename", "@include(if: true)",
    "$v: Int", "\"str\"", '"""block"""', "id", "name", "posts", "friends", "search(text: $t)", "# comment\n",
    "alias: me", "login(username: \"a\", password: \"b\")", ",", " ", "\n", "[1, 2]", "{a: 1}",
)  # fmt: skip
GRAPHQL = st.lists(st.sampled_from(GRAPHQL_PIECES) | st.text(max_size=4), max_size=40).map(" ".join)

EXPRESSION_PIECES = (
    "path.user_id", "identity.sub", "identity.roles", "body.owner", "query.x", "headers.x-a", "cookies.s",
    "lookup.order_owner", "args.id", "==", "!=", "in", "and", "or", "not", "(", ")", "'a'", '"b"', "1", "-1",
    "true", "false", "null", "[", "]", ",", "identity", "path", ".", "contains", "startswith", "<", ">=",
)  # fmt: skip
EXPRESSION = st.lists(st.sampled_from(EXPRESSION_PIECES) | st.text(max_size=3), max_size=14).map(" ".join)
FACT_VALUES: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
FACTS = st.builds(
    Facts,
    path=st.dictionaries(st.sampled_from(("user_id", "id")), st.text(max_size=6), max_size=2),
    query=st.dictionaries(st.text(max_size=4), st.text(max_size=6), max_size=2),
    body=FACT_VALUES,
    headers=st.dictionaries(st.text(max_size=4), st.text(max_size=6), max_size=2),
    cookies=st.dictionaries(st.text(max_size=4), st.text(max_size=6), max_size=2),
    identity=st.none() | FACT_VALUES,
    lookups=st.dictionaries(st.sampled_from(("order_owner",)), FACT_VALUES, max_size=1),
    args=st.dictionaries(st.sampled_from(("id",)), FACT_VALUES, max_size=1),
)


@st.composite
def api_request(draw: st.DrawFn) -> Request:
    """A request to the fuzz API as the gateway's Request: what reaches the validator and the WAF."""
    method = draw(st.sampled_from(("GET", "POST", "PUT", "PATCH", "DELETE")))
    path = draw(st.sampled_from(("/items", "/items/1", "/items/", "/login", "/upload", "/echo")))
    if path == "/items/" or draw(st.integers(0, 9)) == 0:
        path = path.rstrip("/") + "/" + draw(TEXT)
    value = draw(TEXT)
    kind = draw(st.sampled_from(("json", "form", "multipart", "raw")))
    if kind == "json":
        ctype, body = (
            "application/json",
            draw(json_text() | st.just(json.dumps({"name": value}).encode("utf-8", "surrogateescape"))),
        )
    elif kind == "form":
        form = f"username={value}&password={draw(TEXT)}"
        ctype, body = "application/x-www-form-urlencoded", form.encode("utf-8", "surrogateescape")
    elif kind == "multipart":
        part = f'--b\r\nContent-Disposition: form-data; name="note"\r\n\r\n{value}\r\n--b--\r\n'
        ctype, body = "multipart/form-data; boundary=b", part.encode("utf-8", "surrogateescape")
    else:
        ctype, body = draw(st.sampled_from(("text/plain", "application/octet-stream"))), draw(st.binary(max_size=64))
    headers = [("host", "gw"), ("content-type", ctype), ("x-note", value.encode("utf-8", "replace").decode("latin-1"))]
    headers.append(("cookie", f"s={draw(TEXT)}".encode("utf-8", "replace").decode("latin-1")))
    query = f"q={draw(TEXT)}&limit={draw(st.sampled_from(('1', '-1', 'x', '1e9', '')))}"
    return Request(
        method=method,
        path=path,
        query=query,
        headers=Headers(headers),
        client="127.0.0.1",
        body=body if method in ("POST", "PUT", "PATCH") else None,
    )


# -- targets --------------------------------------------------------------------------------------------


@cache
def _json_limits() -> JSONLimits:
    return JSONLimits()


def json_limits(body: bytes) -> None:
    try:
        _json_limits().parse(body)
    except BodyError:
        pass
    except Exception as exc:
        raise Escaped(f"JSONLimits.parse({body[:200]!r}) raised {exc!r}") from exc


def waf_views(text: str) -> None:
    try:
        views(text)
        views(text, form=True)
    except Exception as exc:
        raise Escaped(f"views({text[:200]!r}) raised {exc!r}") from exc


@cache
def _waf() -> WAFGuard:
    return WAFGuard(WAFConfig())


def waf_request(request: Request) -> None:
    try:
        _waf().check(request, Context("fuzz-waf-0000000001"))
    except Exception as exc:
        raise Escaped(f"the WAF raised {exc!r} on {request!r}") from exc


@cache
def _engine() -> Engine:
    policy = {
        "openapi": str(HERE / "fuzz_api.yaml"),
        "upstream": {"url": "http://127.0.0.1:9"},
        "store": {"path": ":memory:"},
        "audit": None,
    }
    return Engine(parse_config(json.dumps(policy), base_dir=HERE))


def pipeline_request(request: Request) -> None:
    """The whole request phase (routing, validation, WAF): no guard may raise (it would be a 500)."""
    ctx = Context("fuzz-pipe-0000000001")
    try:
        decision = asyncio.run(_engine().pipeline.check(request, ctx))
    except Exception as exc:
        raise Escaped(f"the pipeline raised {exc!r} on {request!r}") from exc
    if decision.refusal is not None and decision.refusal.status >= 500:
        raise Escaped(f"{decision.refusal.rule} on {request!r}")


@cache
def _analyzer() -> Analyzer:
    schema = build_schema((ROOT / "examples/graphql_api/schema.graphql").read_text())
    return Analyzer(GraphQLConfig(), schema, frozenset())


def graphql_shape(text: str) -> None:
    try:
        shape = _analyzer().analyze(text)
        for operation in shape.operations.values() if hasattr(shape, "operations") else ():
            operation.cost({}, 1000)
    except ShapeError:
        pass
    except Exception as exc:
        raise Escaped(f"analyze({text[:200]!r}) raised {exc!r}") from exc


def authz_expression(text: str, facts: Facts) -> None:
    try:
        condition = compile_condition(text)
    except ExpressionError:
        return
    except Exception as exc:
        raise Escaped(f"compile_condition({text!r}) raised {exc!r}") from exc
    try:
        condition(facts)
    except Exception as exc:
        raise Escaped(f"{text!r} raised {exc!r} when evaluated") from exc


# name -> (strategy of the arguments, target)
TARGETS: dict[str, tuple[st.SearchStrategy[tuple[Any, ...]], Callable[..., None]]] = {
    "json limits": (st.tuples(json_text()), json_limits),
    "waf decoding": (st.tuples(TEXT), waf_views),
    "waf guard": (st.tuples(api_request()), waf_request),
    "validation pipeline": (st.tuples(api_request()), pipeline_request),
    "graphql shape": (st.tuples(GRAPHQL), graphql_shape),
    "authz expressions": (st.tuples(EXPRESSION, FACTS), authz_expression),
}
