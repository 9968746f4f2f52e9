"""GraphQL mutations over GET: a link or an image tag makes a signed-in browser change data (CSRF)."""

from __future__ import annotations

from bastion.scan import graphql
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="graphql.get-mutation",
    title="GraphQL mutations run over GET (CSRF)",
    severity=Severity.MEDIUM,
    cwe=352,
    owasp="API8",
    needs_graphql=True,
    remediation="Run mutations only for POST requests with a JSON (or application/graphql) body.",
    bastion="graphql:\n  get_mutations: false        # the default",
)
# Touches nothing: a mutation operation that only asks for the type name.
PROBE = "mutation BastionGet { __typename }"


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    actor = ctx.users[0] if ctx.users else ctx.anonymous
    exchange = graphql.send(ctx, PROBE, actor=actor, method="GET")
    report.tested(graphql.OPERATION)
    result = graphql.data(exchange)
    if exchange.ok and result and result.get("__typename"):
        report.finding(
            graphql.OPERATION,
            f"A mutation operation sent as GET {graphql.endpoint(ctx)}?query=... was executed "
            f"(__typename {result['__typename']!r}): a cross-site link can run mutations as a signed-in user.",
            [(exchange, "mutation executed over GET")],
            confidence=Confidence.CERTAIN,
        )
