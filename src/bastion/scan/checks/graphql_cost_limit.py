"""No GraphQL cost limit: nested lists with large page sizes multiply into millions of resolved fields.

One document asks for two nested lists of 500 items (an estimated 250,000 objects). A server with a
cost limit refuses it before running it; one without runs it, and the answer (or the time it takes)
shows it. The probe is sent once, and only when the API's lists accept a size argument.
"""

from __future__ import annotations

from graphql import GraphQLObjectType, get_named_type, get_nullable_type, is_list_type

from bastion.scan import graphql
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="graphql.cost-limit",
    title="GraphQL queries have no cost limit",
    severity=Severity.MEDIUM,
    cwe=770,
    owasp="API4",
    needs_graphql=True,
    remediation="Estimate each document's cost before running it (field weights times list sizes) and refuse "
    "those above a budget; cap page-size arguments.",
    bastion="graphql:\n  limits: {max_cost: 5000}\n  max_list_size: 100",
)
SIZES = ("first", "limit", "last", "pageSize", "perPage", "take")
PAGE = 500


def _sized_list(type_: object) -> tuple[str, str, GraphQLObjectType] | None:
    for name, definition in getattr(type_, "fields", {}).items():
        size = next((a for a in SIZES if a in definition.args), None)
        target = get_named_type(definition.type)
        if size and isinstance(target, GraphQLObjectType) and is_list_type(get_nullable_type(definition.type)):
            return name, size, target
    return None


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    schema = graphql.schema(ctx)
    if schema is None:
        report.skip("needs the schema (introspection or --graphql-schema)")
        return
    for root in graphql.root_fields(schema):
        outer = root.returns
        size = next((a for a in SIZES if a in root.field.args), None)
        inner = _sized_list(outer) if size and isinstance(outer, GraphQLObjectType) else None
        if size is None or inner is None or not is_list_type(get_nullable_type(root.field.type)):
            continue
        call = graphql.call(root, {size: str(PAGE)})
        if call is None:
            continue
        name, inner_size, target = inner
        leaf = graphql.selection(target)
        query = f"query BastionCost {{ {call} {{ {name}({inner_size}: {PAGE}){leaf} }} }}"
        actor = ctx.users[0] if ctx.users else ctx.anonymous
        exchange = graphql.send(ctx, query, actor=actor, retry_429=False)
        report.tested(graphql.OPERATION)
        if graphql.executed(exchange) and not graphql.errors(exchange):
            report.finding(
                graphql.OPERATION,
                f"A document asking for {PAGE} x {PAGE} {target.name} objects ({root.name} then {name}) was "
                f"executed without refusal (answered in {exchange.elapsed * 1000:.0f} ms).",
                [(exchange, "estimated cost 250,000 answered")],
                confidence=Confidence.FIRM,
            )
        return
    report.skip("no nested lists with a size argument under the query root")
