"""Spec audit: strings, arrays and numbers without bounds, which let a client send anything (static)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Phase, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.values import schema_type

INFO = CheckInfo(
    id="spec.unbounded-input",
    title="Request input without bounds (string length, array size or number range)",
    severity=Severity.LOW,
    cwe=770,
    owasp="API4",
    phase=Phase.STATIC,
    remediation="Give every request string a maxLength (and a pattern or format where one exists), every "
    "array a maxItems and every number a minimum and maximum.",
    bastion="validation:\n  mode: enforce        # the spec's bounds are enforced before the API sees the request",
)
_SAFE_STRING_FORMATS = frozenset({"date", "date-time", "time", "uuid", "ipv4", "ipv6", "byte", "binary"})


def unbounded(schema: Any, where: str, depth: int = 0) -> Iterator[str]:
    if not isinstance(schema, dict) or depth > 8 or schema.get("readOnly"):
        return
    if "enum" in schema or "const" in schema:
        return
    combined = [part for key in ("oneOf", "anyOf", "allOf") for part in schema.get(key) or []]
    for part in combined:
        yield from unbounded(part, where, depth + 1)
    if combined and "type" not in schema:
        return  # the parts carry the types and bounds
    kind = schema_type(schema)
    if kind == "string" and "maxLength" not in schema and "pattern" not in schema:
        if schema.get("format") not in _SAFE_STRING_FORMATS:
            yield f"{where} (string without maxLength)"
    elif kind == "array":
        if "maxItems" not in schema:
            yield f"{where} (array without maxItems)"
        yield from unbounded(schema.get("items"), f"{where}[]", depth + 1)
    elif kind in ("integer", "number") and (
        ("minimum" not in schema and "exclusiveMinimum" not in schema)
        or ("maximum" not in schema and "exclusiveMaximum" not in schema)
    ):
        yield f"{where} ({kind} without minimum and maximum)"
    elif kind == "object":
        for name, sub in (schema.get("properties") or {}).items():
            yield from unbounded(sub, f"{where}.{name}" if where else name, depth + 1)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for op in ctx.spec.operations:
        report.tested(op.key)
        places = [p for param in op.parameters for p in unbounded(param.schema, f"{param.location}:{param.name}")]
        places += list(unbounded(op.body_schema, "body")) if op.body_schema else []
        if places:
            shown = ", ".join(places[:8]) + (f" and {len(places) - 8} more" if len(places) > 8 else "")
            report.finding(op.key, f"Unbounded input: {shown}.", confidence=Confidence.CERTAIN)
