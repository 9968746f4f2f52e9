"""No GraphQL cost limit: one document asks for far more work than any client needs.

Two probes. Nested lists with large page sizes: one document asks for two nested lists of 500 items
(an estimated 250,000 objects), sent once and only when the API's lists accept a size argument.
Expensive resolvers: each root field without arguments is timed once; one that takes five times the
others (and 150 ms at least) is timed again, then asked for a few times in one document (aliases), as
many as fit in two seconds. An answer with data that took longer than half-way between once and that
many times shows that nothing weighs the document before running it; half-way, because the single
timings run long on a loaded machine, and a server that memoizes the field answers in about one.
A server with a cost limit refuses both.
"""

from __future__ import annotations

from graphql import GraphQLObjectType, GraphQLSchema, get_named_type, get_nullable_type, is_list_type

from bastion.scan import graphql
from bastion.scan.context import Actor, ScanContext
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
SLOW = 0.15
MAX_PREDICTED = 2.0
MAX_TIMED = 12


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
    actor = ctx.users[0] if ctx.users else ctx.anonymous
    nested = _nested_lists(ctx, report, schema, actor)
    expensive = _expensive_resolver(ctx, report, schema, actor)
    if not nested and not expensive:
        report.skip("no nested lists with a size argument, and no root field slow enough to weigh")


def _nested_lists(ctx: ScanContext, report: Reporter, schema: GraphQLSchema, actor: Actor) -> bool:
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
        return True
    return False


def _expensive_resolver(ctx: ScanContext, report: Reporter, schema: GraphQLSchema, actor: Actor) -> bool:
    timed: list[tuple[float, str, str]] = []
    for root in graphql.root_fields(schema):
        if root.required or len(timed) >= MAX_TIMED:
            continue
        selection = f"{root.name}{graphql.selection(root.returns)}"
        exchange = graphql.send(ctx, f"query BastionTime {{ {selection} }}", actor=actor)
        if graphql.executed(exchange) and not graphql.errors(exchange):
            timed.append((exchange.elapsed, root.name, selection))
    if len(timed) < 2:
        return False
    report.tested(graphql.OPERATION)
    timed.sort()
    typical = timed[len(timed) // 2][0]
    elapsed, name, selection = timed[-1]
    if elapsed < max(SLOW, 5 * typical):
        return True
    again = graphql.send(ctx, f"query BastionTime {{ {selection} }}", actor=actor)
    single = min(elapsed, again.elapsed)
    count = min(5, int(MAX_PREDICTED / max(single, 1e-3)))
    if single < SLOW or count < 3:
        return True  # not reliably slow, or too slow to ask for even three times safely
    aliased = " ".join(f"a{i}: {selection}" for i in range(count))
    exchange = graphql.send(ctx, f"query BastionCost {{ {aliased} }}", actor=actor, retry_429=False)
    answered = graphql.data(exchange) or {}
    if not graphql.errors(exchange) and len(answered) == count and exchange.elapsed >= (count + 1) / 2 * single:
        report.finding(
            name,
            f"{name} takes {single * 1000:.0f} ms (the other root fields about {typical * 1000:.0f} ms); one document "
            f"asking for it {count} times was executed in {exchange.elapsed * 1000:.0f} ms: nothing weighs a "
            "document before running it.",
            [(again, f"{name} once"), (exchange, f"{name} {count} times in one document")],
            confidence=Confidence.FIRM,
        )
    return True
