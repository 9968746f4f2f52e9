"""Spec audit: request bodies that accept properties nobody declared (mass-assignment surface; static)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Phase, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.values import schema_type

INFO = CheckInfo(
    id="spec.open-object",
    title="Write operation accepts undeclared properties (additionalProperties left open)",
    severity=Severity.LOW,
    cwe=915,
    owasp="API3",
    phase=Phase.STATIC,
    remediation="Set `additionalProperties: false` on request body objects, so that extra properties such as "
    "`role` or `is_admin` are refused instead of reaching the data layer.",
    bastion="authz:\n  privileged_fields: {fields: [role, is_admin, balance], roles: [admin]}",
)


def open_objects(schema: Any, where: str, depth: int = 0) -> Iterator[str]:
    if not isinstance(schema, dict) or depth > 8:
        return
    for key in ("oneOf", "anyOf", "allOf"):
        for part in schema.get(key) or []:
            yield from open_objects(part, where, depth + 1)
    kind = schema_type(schema)
    if kind == "object" and "properties" in schema:
        closed = schema.get("additionalProperties", True) is False or "unevaluatedProperties" in schema
        if not closed and "allOf" not in schema:
            yield where or "body"
        for name, sub in (schema.get("properties") or {}).items():
            yield from open_objects(sub, f"{where}.{name}" if where else name, depth + 1)
    elif kind == "array":
        yield from open_objects(schema.get("items"), f"{where}[]", depth + 1)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for op in ctx.spec.operations:
        if not op.is_write or op.body_schema is None:
            continue
        report.tested(op.key)
        places = list(open_objects(op.body_schema, ""))
        if places:
            report.finding(
                op.key,
                f"Objects that accept any extra property: {', '.join(places[:8])}.",
                confidence=Confidence.CERTAIN,
            )
