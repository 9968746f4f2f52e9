"""The ingress guard on its own: methods, hosts, content types, framing, path normalisation."""

from __future__ import annotations

from typing import Any

import pytest

from bastion.config.ingress import IngressConfig
from bastion.core.context import Context
from bastion.core.request import Headers, Request
from bastion.core.routing import Operation, Router, RouteSpec
from bastion.guards.ingress.guard import IngressGuard

ROUTER = Router(
    [
        RouteSpec("/items", (Operation("listItems", "GET", "/items"), Operation("addItem", "POST", "/items"))),
        RouteSpec("/items/{id}", (Operation("getItem", "GET", "/items/{id}"),)),
    ]
)


def check(
    method: str = "GET",
    path: str = "/items",
    headers: list[tuple[str, str]] | None = None,
    body: bytes | None = None,
    **config: Any,
) -> int | None:
    guard = IngressGuard(IngressConfig(**config))
    headers = headers if headers is not None else [("host", "api.test")]
    request = Request(method=method, path=path, query="", headers=Headers(headers), client="1.2.3.4", body=body)
    ctx = Context("test-request-0001")
    ctx.route = ROUTER.match(method, path, request.segments)
    verdict = guard.check(request, ctx)
    return verdict.status if verdict else None


def test_known_route_passes() -> None:
    assert check() is None
    assert check("HEAD") is None


@pytest.mark.parametrize(("method", "status"), [("FOO", 501), ("TRACE", 405), ("TRACK", 405), ("CONNECT", 405)])
def test_unknown_and_dangerous_methods(method: str, status: int) -> None:
    assert check(method) == status


def test_trace_can_be_allowed_explicitly_but_still_needs_a_route() -> None:
    assert check("TRACE", methods=["GET", "TRACE"]) == 405  # no route declares TRACE


def test_unknown_route_404_and_undeclared_method_405() -> None:
    assert check(path="/nope") == 404
    assert check("DELETE", "/items/3") == 405


def test_host_allow_list() -> None:
    assert check(hosts=["api.test"]) is None
    assert check(headers=[("host", "api.test:8443")], hosts=["api.test"]) is None
    assert check(headers=[("host", "x.api.test")], hosts=["*.api.test"]) is None
    assert check(headers=[("host", "evil.test")], hosts=["api.test"]) == 421


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("application/json", None),
        ("application/json; charset=utf-8", None),
        ("application/merge-patch+json", None),
        ("text/html", 415),
        ("", 415),
        ("image/svg+xml", 415),
    ],
)
def test_content_type_allow_list(content_type: str, status: int | None) -> None:
    headers = [("host", "a"), ("content-length", "2")] + ([("content-type", content_type)] if content_type else [])
    assert check("POST", headers=headers, body=b"{}") == status


def test_content_type_wildcards() -> None:
    headers = [("host", "a"), ("content-length", "2"), ("content-type", "image/png")]
    assert check("POST", headers=headers, body=b"..", content_types=["image/*"]) is None


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ([("content-length", "3"), ("transfer-encoding", "chunked")], 400),
        ([("content-length", "3"), ("content-length", "3")], 400),
        ([("content-length", "+3")], 400),
        ([("transfer-encoding", "gzip")], 501),
        ([("transfer-encoding", "chunked"), ("transfer-encoding", "chunked")], 400),  # a duplicate singleton
        ([("x-a", "b\r\nInjected: 1")], 400),
    ],
)
def test_smuggling_shapes_are_refused(headers: list[tuple[str, str]], status: int) -> None:
    assert check("POST", headers=[("host", "a"), ("content-type", "text/plain"), *headers]) == status


@pytest.mark.parametrize(
    "path",
    ["/items/../admin", "/items/%2e%2e/admin", "/items//x", "/items/a%2fb", "/items\\x", "/items/%00", "/items/."],
)
def test_unnormalised_paths_are_refused(path: str) -> None:
    assert check(path=path) == 400


def test_path_normalisation_can_be_disabled() -> None:
    assert check(path="/items/a%2fb", normalized_paths=False) is None


def test_header_count_limit() -> None:
    headers = [("host", "a")] + [(f"x-{i}", "1") for i in range(20)]
    assert check(headers=headers, max_header_count=10) == 431
