"""Ext-authz decision cost in process (pytest-benchmark): what Bastion does for one nginx auth_request.

Target (issue 11): under 150 us of Bastion CPU for a decision with a JWT (RS256), a role rule and the
WAF on a GET. Measured here: reading the proxy's description of the request (X-Original-URI ...),
the whole pipeline (ingress, authn, authz, WAF, audit event) and the identity headers of the answer.
The HTTP parsing around it is in the load benchmark's CPU-per-request figure (bench/extauthz_load.py).
"""

from __future__ import annotations

import asyncio

import pytest

from bastion.config import parse_config
from bastion.core.context import Context
from bastion.core.request import Headers, Request
from bastion.core.request_id import accept_request_id
from bastion.engine import Engine
from bastion.hosts.extauthz import describe, described_headers
from bench.extauthz_policy import policy_text, token


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    directory = tmp_path_factory.mktemp("extauthz")
    return Engine(parse_config(policy_text(directory), base_dir=directory))


def subrequest(bearer: str) -> list[tuple[bytes, bytes]]:
    return [
        (b"host", b"shop.example.com"),
        (b"user-agent", b"Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0"),
        (b"accept", b"application/json"),
        (b"authorization", f"Bearer {bearer}".encode()),
        (b"x-original-uri", b"/items/1234?fields=name,price&currency=EUR"),
        (b"x-original-method", b"GET"),
        (b"x-forwarded-for", b"203.0.113.7"),
        (b"x-request-id", b"0f6c3d8f2a1b4c5d6e7f8091a2b3c4d5"),
    ]


def decide(engine: Engine, raw: list[tuple[bytes, bytes]], loop: asyncio.AbstractEventLoop) -> list[tuple[str, str]]:
    headers = Headers.from_raw(raw)
    _, method, path, query = describe("GET", "/_bastion/authz", headers, "")
    request = Request(method=method, path=path, query=query, headers=described_headers(headers, False),
                      client="203.0.113.7", peer="127.0.0.1")  # fmt: skip
    ctx = Context(accept_request_id(headers.get("x-request-id")))
    decision = loop.run_until_complete(engine.pipeline.check(request, ctx))
    assert decision.refusal is None, decision.refusal
    return list(ctx.upstream_headers)  # what the answer carries for the upstream


def test_extauthz_decision_jwt_rbac_waf(benchmark, engine: Engine) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.new_event_loop()
    loop.run_until_complete(engine.start())
    raw = subrequest(token())
    try:
        answer = benchmark(decide, engine, raw, loop)
        assert ("x-bastion-subject", "42") in answer
    finally:
        loop.run_until_complete(engine.stop())
        loop.close()
