"""Request validation and response filtering costs (pytest-benchmark): targets 30 us and 100 us."""

from __future__ import annotations

import json
import os
from pathlib import Path

import orjson
import pytest
import yaml

from bastion.config import load_config, parse_config
from bastion.config.responses import ResponsesConfig
from bastion.core.context import Context
from bastion.core.pipeline import ResponseHead
from bastion.core.request import Headers, Request
from bastion.egress.inspection import ResponseInspection
from bastion.engine import Engine

ROOT = Path(__file__).resolve().parent.parent

ORDER_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["customer", "items"],
    "properties": {
        "customer": {"type": "string", "maxLength": 40, "pattern": "^c-[0-9]+$"},
        "note": {"type": "string", "maxLength": 500},
        "email": {"type": "string", "format": "email"},
        "items": {
            "type": "array",
            "maxItems": 100,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["sku", "qty", "price"],
                "properties": {
                    "sku": {"type": "string", "maxLength": 20},
                    "qty": {"type": "integer", "minimum": 1},
                    "price": {"type": "number", "minimum": 0},
                    "gift": {"type": "boolean"},
                },
            },
        },
    },
}


def _order_body() -> bytes:
    items = [
        {"sku": f"SKU-{i:05d}", "qty": i % 7 + 1, "price": round(i * 1.25, 2), "gift": i % 2 == 0} for i in range(14)
    ]
    body = json.dumps(
        {"customer": "c-1234", "note": "leave it at the door", "email": "a@example.com", "items": items}
    ).encode()
    assert 900 <= len(body) <= 1100
    return body


@pytest.fixture(scope="module")
def order_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    tmp = tmp_path_factory.mktemp("val")
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "b", "version": "1"},
        "paths": {
            "/orders": {
                "post": {
                    "operationId": "createOrder",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": ORDER_SCHEMA}}},
                    "responses": {"201": {"description": "ok"}},
                }
            }
        },
    }
    (tmp / "spec.yaml").write_text(yaml.safe_dump(spec))
    return Engine(parse_config("openapi: spec.yaml\nstore: {path: b.db}\n", base_dir=tmp))


def test_validate_1kb_json_body(benchmark, order_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    guard = order_engine.pipeline.guard("validate")
    body = _order_body()
    headers = Headers([("host", "a"), ("content-type", "application/json"), ("content-length", str(len(body)))])
    route = order_engine.router.match("POST", "/orders")

    def validate() -> None:
        request = Request(method="POST", path="/orders", query="", headers=headers, client="1.1.1.1", body=body)
        ctx = Context("bench-validation-1")
        ctx.route = route
        assert guard.check(request, ctx) is None

    benchmark(validate)


@pytest.fixture(scope="module")
def demo_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    os.environ.setdefault("DEMO_JWT_SECRET", "x" * 40)
    os.environ.setdefault("BASTION_SECRET", "y" * 40)
    return Engine(load_config(ROOT / "examples/demo.yaml", {"store.path": str(tmp_path_factory.mktemp("f") / "b.db")}))


def test_filter_10kb_json_response(benchmark, demo_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    orders = [
        {
            "id": i,
            "user_id": 1,
            "product_id": i % 9 + 1,
            "quantity": i % 5 + 1,
            "note": f"order number {i}",
            "created": 1795800000.0 + i,
            "internal_margin": 0.42,
            "warehouse": "OSL-3",
        }
        for i in range(74)
    ]
    body = orjson.dumps(orders)
    assert 9_000 <= len(body) <= 11_000
    request = Request(
        method="GET", path="/api/users/1/orders", query="", headers=Headers([("host", "a")]), client="1.1.1.1"
    )
    ctx = Context("bench-filter-00001")
    ctx.route = demo_engine.router.match("GET", request.path)
    inspection = demo_engine.pipeline._response_filters[0]

    def filter_response() -> bytes:
        head = ResponseHead(200, [("content-type", "application/json")], length=len(body))
        inspection.on_head(request, ctx, head)
        return head.transform(body)

    filtered = benchmark(filter_response)
    assert b"internal_margin" not in filtered


@pytest.mark.parametrize("secrets", ["clean", "ssn_every_10th_line"])
def test_mask_ndjson_stream(benchmark, secrets: str) -> None:  # type: ignore[no-untyped-def]
    """An NDJSON stream (74 lines, 4 KiB chunks) masked line by line: no spec, default sensitive data."""
    lines = [orjson.dumps({"id": i, "note": f"order number {i}", "city": "Oslo"}) for i in range(74)]
    if secrets != "clean":
        lines[1::10] = [orjson.dumps({"id": i, "note": "order", "ssn": "078-05-1120"}) for i in range(1, 74, 10)]
    body = b"\n".join(lines) + b"\n"
    chunks = [body[i : i + 4096] for i in range(0, len(body), 4096)]
    inspection = ResponseInspection(ResponsesConfig(), None)
    request = Request(method="GET", path="/export", query="", headers=Headers([("host", "a")]), client="1.1.1.1")

    def filter_stream() -> bytes:
        ctx = Context("bench-stream-00001")
        head = ResponseHead(200, [("content-type", "application/x-ndjson")])
        inspection.on_head(request, ctx, head)
        stream = head.stream
        assert stream is not None
        return b"".join(stream.feed(chunk) for chunk in chunks) + stream.close()

    filtered = benchmark(filter_stream)
    assert b"078-05-1120" not in filtered
