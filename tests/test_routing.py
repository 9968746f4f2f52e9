"""Route matching: literal beats template, 405 for known paths, HEAD follows GET, /** tails."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from bastion.core.routing import Operation, RouteConflict, Router, RouteSpec


def _router(*routes: tuple[str, str | list[str]]) -> Router:
    specs = []
    for template, given in routes:
        methods = [given] if isinstance(given, str) else given
        ops = tuple(Operation(id=f"{m} {template}", method=m, template=template) for m in methods)
        specs.append(RouteSpec(template, ops))
    return Router(specs)


def _match(router: Router, method: str, path: str):  # type: ignore[no-untyped-def]

    segments = tuple(unquote(s) for s in path.split("/")[1:])
    return router.match(method, path, segments)


def test_literal_segment_wins_over_template() -> None:
    router = _router(("/users/{id}", "GET"), ("/users/me", "GET"))
    assert _match(router, "GET", "/users/me").route.template == "/users/me"
    found = _match(router, "GET", "/users/42")
    assert found.route.template == "/users/{id}"
    assert found.params == {"id": "42"}


def test_backtracks_from_a_literal_dead_end() -> None:
    router = _router(("/a/b/c", "GET"), ("/a/{x}/d", "GET"))
    found = _match(router, "GET", "/a/b/d")
    assert found.route.template == "/a/{x}/d"
    assert found.params == {"x": "b"}


def test_unknown_path_and_known_path_wrong_method() -> None:
    router = _router(("/orders/{id}", ["GET", "DELETE"]))
    assert _match(router, "GET", "/nope") is None
    wrong = _match(router, "POST", "/orders/1")
    assert wrong.operation is None
    assert wrong.route.allow == "DELETE, GET, HEAD"


def test_head_is_allowed_exactly_where_get_is() -> None:
    router = _router(("/a", "GET"), ("/b", "POST"))
    assert _match(router, "HEAD", "/a").operation.method == "GET"
    assert _match(router, "HEAD", "/b").operation is None


def test_params_are_percent_decoded_per_segment() -> None:
    router = _router(("/files/{name}", "GET"))
    assert _match(router, "GET", "/files/a%20b").params == {"name": "a b"}


def test_empty_segment_does_not_fill_a_parameter() -> None:
    router = _router(("/users/{id}", "GET"))
    assert _match(router, "GET", "/users/") is None


def test_mixed_segment_templates() -> None:
    router = _router(("/reports/{id}.{format}", "GET"))
    found = _match(router, "GET", "/reports/7.csv")
    assert found.params == {"id": "7", "format": "csv"}


def test_tail_routes_match_any_remainder() -> None:
    router = _router(("/static/**", "GET"), ("/**", ["*"]))
    assert _match(router, "GET", "/static/css/site.css").route.template == "/static/**"
    assert _match(router, "PATCH", "/anything/else").operation.method == "*"


def test_duplicate_routes_and_operation_names_are_refused() -> None:
    with pytest.raises(RouteConflict):
        _router(("/a/{x}", "GET"), ("/a/{y}", "POST"))
    op = Operation(id="same", method="GET", template="/a")
    other = Operation(id="same", method="GET", template="/b")
    with pytest.raises(RouteConflict):
        Router([RouteSpec("/a", (op,)), RouteSpec("/b", (other,))])
