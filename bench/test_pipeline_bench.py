"""Cost of the request phase per request (pytest-benchmark): `make bench-functions`."""

from __future__ import annotations

from pathlib import Path

import pytest

from bastion.config import load_config
from bastion.core.context import Context
from bastion.core.request import Headers, Request
from bastion.engine import Engine

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo_engine() -> Engine:
    return Engine(load_config(ROOT / "examples/demo.yaml"))


def _get() -> Request:
    headers = Headers(
        [
            ("host", "api.example.com"),
            ("user-agent", "bench/1.0"),
            ("accept", "application/json"),
            ("authorization", "Bearer abc.def.ghi"),
            ("x-request-id", "bench-request-0001"),
        ]
    )
    return Request(
        method="GET", path="/api/users/42/orders", query="limit=10&offset=0", headers=headers, client="203.0.113.7"
    )


def test_pipeline_check_get(benchmark, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    pipeline = demo_engine.pipeline

    def run() -> None:
        # No guard of this policy awaits anything: drive the coroutine by hand, without a loop.
        coro = pipeline.check(_get(), Context("bench-request-0001"))
        try:
            coro.send(None)
        except StopIteration:
            pass

    benchmark(run)
