"""GraphQL field duplication: one document repeating the same field hundreds of times is accepted.

Duplicated fields merge into one result, so a server that does not limit them parses and validates an
arbitrarily large document for a one-line answer: cheap for the client, costly for the server (field
merging is quadratic). One document repeats a cheap scalar root field 1,000 times (a few KB); executed
without refusal, it is a finding. Recent graphql-core and graphql-js refuse it on their own.
"""

from __future__ import annotations

from graphql import is_scalar_type

from bastion.scan import graphql
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="graphql.field-duplication",
    title="GraphQL accepts a field repeated hundreds of times",
    severity=Severity.LOW,
    cwe=770,
    owasp="API4",
    needs_graphql=True,
    remediation="Limit document size (tokens or bytes) and refuse selection sets that repeat a field, before "
    "validating and executing the document.",
    bastion="graphql:\n  limits: {max_tokens: 2000, max_fields: 200}",
)
REPEATS = 1000


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    schema = graphql.schema(ctx)
    field = "__typename"
    if schema is not None:
        field = next(
            (f.name for f in graphql.root_fields(schema) if not f.field.args and is_scalar_type(f.returns)),
            field,
        )
    actor = ctx.users[0] if ctx.users else ctx.anonymous
    exchange = graphql.send(ctx, "query BastionDuplicates { " + " ".join([field] * REPEATS) + " }", actor=actor)
    report.tested(graphql.OPERATION)
    result = graphql.data(exchange)
    if exchange.ok and result and field in result and not graphql.errors(exchange):
        report.finding(
            graphql.OPERATION,
            f"A document selecting {field} {REPEATS} times was parsed, validated and executed "
            f"({len(exchange.request_body or b''):,} bytes for a one-field answer, {exchange.elapsed * 1000:.0f} ms): "
            "nothing limits duplicated fields.",
            [(exchange, f"{field} x {REPEATS} answered")],
            confidence=Confidence.CERTAIN,
        )
