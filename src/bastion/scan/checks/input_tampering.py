"""Parameter tampering: wrong types, out-of-range and overlong values, extra and missing fields.

A well-behaved API answers such input with a 4xx. A 5xx means the bad value reached code that did not
expect it; a 2xx on a write that then shows the bad value means it was stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.fragile import SHORT, must_stay_short
from bastion.scan.operations import Operation
from bastion.scan.points import actor_for
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange
from bastion.scan.values import REMOVE, replace_at, schema_type

INFO = CheckInfo(
    id="input.tampering",
    title="Invalid input not refused (server error or stored)",
    severity=Severity.MEDIUM,
    cwe=20,
    owasp="API8",
    remediation="Validate every parameter and body against its declared type, range, length and required "
    "fields before using it, and answer 4xx with a problem description.",
    bastion="validation:\n  mode: enforce     # requests are checked against the OpenAPI schemas",
)


def mutations(schema: dict[str, Any], short: bool = False) -> Iterator[tuple[str, Any]]:  # noqa: PLR0912  one branch per JSON Schema constraint a mutation breaks
    """(description, bad value) pairs that the schema forbids; `short`: no long strings (a field that may
    hide a backtracking regular expression, not cleared by the growth check)."""
    kind = schema_type(schema)
    if isinstance(schema.get("enum"), list):
        yield "a value outside the enum", "bst-not-in-enum"
    if kind in ("integer", "number"):
        yield "a string where a number is expected", "bst-not-a-number"
        low, high = schema.get("minimum"), schema.get("maximum")
        if isinstance(low, int | float):
            yield f"below the minimum ({low})", low - 1
        elif kind == "integer":
            yield "a negative number", -1
        if isinstance(high, int | float):
            yield f"above the maximum ({high})", high + 1
        yield "a 64-bit overflow", 2**64
        if kind == "integer":
            yield "a fraction where an integer is expected", 1.5
    elif kind == "string":
        yield "a number where a string is expected", 12345
        max_length = schema.get("maxLength")
        if isinstance(max_length, int) and (not short or max_length < SHORT):
            yield f"one character over maxLength ({max_length})", "x" * (max_length + 1)
        elif not short:
            yield "a 100 kB string", "x" * 100_000
        if isinstance(schema.get("minLength"), int) and schema["minLength"] > 0:
            yield "an empty string", ""
    elif kind == "boolean":
        yield "a string where a boolean is expected", "bst-not-a-boolean"
    elif kind == "array":
        yield "an object where an array is expected", {"bst": 1}
        if isinstance(schema.get("maxItems"), int):
            yield f"one item over maxItems ({schema['maxItems']})", [None] * (schema["maxItems"] + 1)
    elif kind == "object":
        yield "an array where an object is expected", [1, 2]


def _stored(exchange: Exchange, field: str, value: Any) -> bool:
    data = exchange.json
    if isinstance(data, dict):
        return field in data and data[field] == value and value is not None
    return False


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for op in ctx.spec.operations:
        if op.method == "DELETE" or (not op.parameters and op.body_schema is None):
            continue
        actor = actor_for(ctx, op)
        if op.secured and actor is ctx.anonymous:
            continue
        report.tested(op.key)
        for exchange, description, field, value in _attempts(ctx, op, actor):
            if exchange.server_error or exchange.error == "timeout":
                report.finding(
                    op.key,
                    f"{op.method} {op.path} answered {exchange.status or exchange.error} to {description} in {field}.",
                    [(exchange, description)],
                    confidence=Confidence.CERTAIN,
                )
                break
            if exchange.ok and op.is_write and _stored(exchange, field.split(".")[-1], value):
                report.finding(
                    op.key,
                    f"{op.method} {op.path} accepted and stored {description} in {field} ({value!r}).",
                    [(exchange, description)],
                    confidence=Confidence.CERTAIN,
                )
                break


def _attempts(ctx: ScanContext, op: Operation, actor: Any) -> Iterator[tuple[Exchange, str, str, Any]]:  # noqa: PLR0912  tampered in turn: each query/path parameter, then each body field
    for param in op.parameters:
        if param.location not in ("query", "path"):
            continue
        short = must_stay_short(ctx, (op.key, param.location, param.name), param.schema)
        for description, value in mutations(param.schema, short):
            if param.location == "path":
                yield ctx.request(op, actor, path_values={param.name: str(value)}), description, param.name, value
            else:
                query = [(k, v) for k, v in ctx.filler.query(op, actor.name) if k != param.name]
                yield ctx.request(op, actor, query=[*query, (param.name, str(value))]), description, param.name, value
    if not op.json_body or not op.is_write:
        return
    body = ctx.filler.body(op, actor.name)
    schema = op.body_schema or {}
    if not isinstance(body, dict):
        return
    properties = schema.get("properties") or {}
    for name in schema.get("required") or []:
        if name in body:
            yield ctx.request(op, actor, body=replace_at(body, (name,), REMOVE)), "a missing required field", name, None
    if schema.get("additionalProperties") is False:
        extra = {**body, "bst_extra": "bst"}
        yield ctx.request(op, actor, body=extra), "an undeclared property", "bst_extra", "bst"
    for name, sub in properties.items():
        if not isinstance(sub, dict) or sub.get("readOnly") or name not in body:
            continue
        for description, value in mutations(sub, must_stay_short(ctx, (op.key, "body", name), sub)):
            yield (
                ctx.request(op, actor, body={**ctx.filler.body(op, actor.name), name: value}),
                description,
                name,
                value,
            )
