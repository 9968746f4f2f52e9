"""GraphQL introspection open: the whole schema, hidden fields and mutations included, for the asking."""

from __future__ import annotations

from bastion.scan import graphql
from bastion.scan.context import Actor, ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="graphql.introspection",
    title="GraphQL introspection is enabled",
    severity=Severity.MEDIUM,
    cwe=200,
    owasp="API8",
    needs_graphql=True,
    remediation="Turn introspection off in production (or allow it to a developer role only); publish the "
    "schema to the clients that need it instead.",
    bastion="graphql:\n  introspection: off          # the default\n  introspection_roles: [developer]",
)
PROBE = "query BastionProbe { __schema { queryType { name } mutationType { name } types { name } } }"


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    actors: list[Actor] = [ctx.anonymous, *ctx.identities]
    for actor in actors:
        exchange = graphql.send(ctx, PROBE, actor=actor)
        report.tested(graphql.OPERATION)
        result = graphql.data(exchange)
        schema = result.get("__schema") if result else None
        if isinstance(schema, dict) and isinstance(schema.get("types"), list):
            who = "anyone, without credentials" if actor is ctx.anonymous else f"the ordinary user {actor.name}"
            report.finding(
                graphql.OPERATION,
                f"The schema's {len(schema['types'])} types were listed to {who} by an introspection query.",
                [(exchange, "__schema answered")],
                confidence=Confidence.CERTAIN,
                severity=INFO.severity if actor is ctx.anonymous else Severity.LOW,
            )
            return
