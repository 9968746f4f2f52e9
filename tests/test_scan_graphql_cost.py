"""graphql.cost-limit's timing judgement, against GraphQL servers whose timing is not the lab's steady 250 ms:
one whose first answers are slow (a loaded machine: the scan's own measurements run long) and one that
memoizes its expensive field within a document (asking five times costs it once: no amplification)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from graphql import build_schema, graphql_sync
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.scan_targets import found, scan
from tests.servers import ThreadedUvicorn

SDL = "type Query { health: String! version: String! status: String! report: String! }"
COST = 0.25
LOADED = 0.36  # the first two report calls: 110 ms of noise on each of the scan's single measurements


def create_app(*, memoized: bool) -> Starlette:
    schema = build_schema(SDL)
    lock = threading.Lock()
    calls = [0]

    def report(info: Any) -> str:  # the default resolver calls a root callable with (info, **args)
        cache: dict[str, str] = info.context
        if memoized and "report" in cache:
            return cache["report"]
        with lock:
            calls[0] += 1
            first = calls[0] <= 2
        time.sleep(LOADED if first else COST)
        cache["report"] = "all systems nominal"
        return cache["report"]

    root = {"health": "ok", "version": "1.0", "status": "green", "report": report}

    async def endpoint(request: Request) -> JSONResponse:
        body = await request.json()
        result = graphql_sync(schema, body["query"], root_value=root, context_value={})
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            payload["errors"] = [{"message": e.message} for e in result.errors]
        return JSONResponse(payload)

    return Starlette(routes=[Route("/graphql", endpoint, methods=["POST"])])


@pytest.mark.parametrize("memoized", [False, True])
def test_cost_limit_judges_amplification_not_noise(memoized: bool) -> None:
    with ThreadedUvicorn(create_app(memoized=memoized)) as server:
        result = scan(server.url, None, None, graphql=f"{server.url}/graphql", only=["graphql.cost-limit"])
    assert {run.info.id for run in result.checks if run.status == "ran"} == {"graphql.cost-limit"}
    assert found(result, "graphql.cost-limit") == ([] if memoized else ["report"])
