"""Oversharing: response properties the spec does not declare (passive).

Every object in a 2xx JSON answer is compared with the declared response schema; properties the schema
does not list are internal data that leaked (the usual cause: serialising a storage object).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bastion.scan.checks._passive import exchanges
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Phase, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.values import merge_schemas

INFO = CheckInfo(
    id="exposure.undocumented-field",
    title="Response carries undocumented properties",
    severity=Severity.LOW,
    cwe=213,
    owasp="API3",
    phase=Phase.PASSIVE,
    remediation="Serialise responses through models that list exactly the documented properties, and keep "
    "the spec in sync.",
    bastion="responses:\n  mode: filter      # fields the response schema does not declare are removed",
)


def undeclared(data: Any, schema: Any, where: str = "", depth: int = 0) -> Iterator[str]:
    if not isinstance(schema, dict) or depth > 10:
        return
    for key in ("allOf",):
        if isinstance(schema.get(key), list):
            merged: dict[str, Any] = {}
            for part in schema[key]:
                if isinstance(part, dict):
                    merged = merge_schemas(merged, part)
            schema = merge_schemas(merged, {k: v for k, v in schema.items() if k != key})
    if any(k in schema for k in ("anyOf", "oneOf")):
        return  # a union cannot say which branch the object meant: not judged
    if isinstance(data, dict) and isinstance(schema.get("properties"), dict):
        properties = schema["properties"]
        extra = schema.get("additionalProperties")
        for key, value in data.items():
            if key in properties:
                yield from undeclared(value, properties[key], f"{where}.{key}" if where else key, depth + 1)
            elif extra is not True and not isinstance(extra, dict) and "patternProperties" not in schema:
                yield f"{where}.{key}" if where else key
    elif isinstance(data, list) and isinstance(schema.get("items"), dict):
        for item in data[:50]:
            yield from undeclared(item, schema["items"], f"{where}[]", depth + 1)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    operations = {op.key: op for op in ctx.spec.operations}
    for operation, exchange in exchanges(ctx, report):
        op = operations.get(operation)
        if op is None or not exchange.ok or exchange.json is None or report.has(operation):
            continue
        schema = op.responses.get(str(exchange.status)) or op.responses.get("2XX")
        if schema is None:
            continue
        extra = sorted(set(undeclared(exchange.json, schema)))
        if extra:
            report.finding(
                operation,
                f"{op.method} {op.path} returned properties its response schema does not declare: "
                f"{', '.join(extra[:10])}{' …' if len(extra) > 10 else ''}.",
                [(exchange, "undocumented properties")],
                confidence=Confidence.CERTAIN,
            )
