"""In-process fuzzing of the parsers and inspectors (targets in `inprocess_targets`).

Promise: no exception escapes any of them, whatever the input; each refuses bad input in its own
terms (BodyError, ShapeError, ExpressionError, a 4xx verdict). Time per input is measured by the
campaign under `make fuzz` (`inprocess_timing.py`), not asserted here. The regressions found by
fuzzing are kept as explicit examples.
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bastion.core.problem import problem_body
from bastion.core.request import Headers, Request
from tests.faults.inprocess_targets import TARGETS, pipeline_request, waf_views

EXAMPLES = 300


@pytest.mark.parametrize("name", list(TARGETS))
def test_no_exception_escapes(name: str) -> None:
    strategy, target = TARGETS[name]

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(strategy)
    def run(args: tuple[Any, ...]) -> None:
        target(*args)

    run()


@pytest.mark.parametrize(
    ("path", "query", "body", "ctype"),
    [
        ("/items/rt4lg7B%ffzc", "", None, None),  # found by the protocol fuzzer: 500 from the validator
        ("/items", "q=%c0%af&limit=1", None, None),
        ("/items/%ff", "q=%ff", None, None),
        ("/login", "", b"username=%ff&password=%c0%af", "application/x-www-form-urlencoded"),
    ],
)
def test_bytes_that_are_not_utf8_are_refused_not_failed(
    path: str, query: str, body: bytes | None, ctype: str | None
) -> None:
    headers = [("host", "gw")] + ([("content-type", ctype)] if ctype else [])
    method = "POST" if body is not None else "GET"
    pipeline_request(
        Request(method=method, path=path, query=query, headers=Headers(headers), client="127.0.0.1", body=body)
    )


@given(st.binary(max_size=32))
@example(b"\xff")
@settings(max_examples=50, deadline=None)
def test_header_values_of_any_bytes(raw: bytes) -> None:
    value = raw.decode("latin-1")
    request = Request(
        method="GET", path="/items", query="", headers=Headers([("host", "gw"), ("x-a", value)]), client="127.0.0.1"
    )
    pipeline_request(request)


@pytest.mark.parametrize("text", ["%\n\x00\n\n1.^%22\udcff\udcff", "a%27\ud800", "%c0%af\udcc0"])
def test_waf_decodes_text_that_was_not_utf8(text: str) -> None:
    """Found by atheris: percent-decoding raised UnicodeEncodeError on lone surrogates (the issue's
    first fuzz run saw the same 500 through urllib.parse)."""
    waf_views(text)


def test_a_problem_quoting_bytes_that_were_not_utf8_encodes() -> None:
    """Found by the protocol fuzzer: a 422 listing a query parameter named with such bytes could not
    be encoded, and the connection was dropped without an answer."""
    body = problem_body(422, "fuzz-0001", extra={"errors": [{"location": "query/a\udcff"}]})
    assert orjson.loads(body)["errors"][0]["location"] == "query/a\\udcff"
