"""Injection: NoSQL query operators (`$ne`, `$regex`, `$gt`) passed through to the database.

Two operators that should match everything (`$ne` a random value, `$regex` `.*`) must both change the
answer the same way, and an operator that matches nothing (`$in` an empty list) must not: two
independent operators interpreted is the evidence; an API that merely refuses objects answers the
three alike and is not reported.
"""

from __future__ import annotations

import orjson

from bastion.scan.compare import similar
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.points import AnyPoint, Point, all_points
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange, encode_query
from bastion.scan.values import unique_text

INFO = CheckInfo(
    id="injection.nosql",
    title="NoSQL operator injection",
    severity=Severity.HIGH,
    cwe=943,
    owasp="API8",
    remediation="Accept only scalars where a scalar is expected (validate types), and build queries with "
    "the driver's typed API rather than passing client objects through.",
    bastion="validation:\n  mode: enforce      # an object where the schema says string is refused\n"
    "waf:\n  mode: enforce",
)


def _send(ctx: ScanContext, point: AnyPoint, operator: str, value: object) -> Exchange:
    if point.location == "body":
        return point.send(ctx, {operator: value})
    if isinstance(point, Point) and point.location == "query":
        if isinstance(value, list):
            encoded = "&".join(encode_query([(f"{point.name}[{operator}][]", str(v))]) for v in value) or encode_query(
                [(f"{point.name}[{operator}]", "")]
            )
        else:
            encoded = encode_query([(f"{point.name}[{operator}]", str(value))])
        return point.send_raw_query(ctx, encoded)
    return point.send(ctx, orjson.dumps({operator: value}).decode())  # a string that a server may parse as JSON


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for point in all_points(ctx, strings_only=True):
        if point.location == "path":
            continue
        report.tested(point.operation)
        nonce = unique_text()
        base = point.send(ctx, nonce)  # a value that matches nothing
        if base.status == 429 or base.server_error:
            continue
        ne = _send(ctx, point, "$ne", nonce)
        if similar(ne, base, echoes=(nonce,)):
            continue
        regex = _send(ctx, point, "$regex", ".*")
        none = _send(ctx, point, "$in", [])
        if similar(regex, ne, echoes=(nonce,)) and similar(none, base, echoes=(nonce,)) and not ne.server_error:
            report.finding(
                point.operation,
                f"NoSQL operators are interpreted in {point.label} of {point.where}: "
                f"{{$ne: random}} and {{$regex: .*}} both change the answer ({base.status} → {ne.status}) the "
                "same way, "
                "while {$in: []} leaves it as for a value that matches nothing.",
                [
                    (ne, "$ne: a random value (matches everything)"),
                    (regex, "$regex: .* (matches everything)"),
                    (base, "a random value (matches nothing)"),
                ],
                confidence=Confidence.CERTAIN,
            )
