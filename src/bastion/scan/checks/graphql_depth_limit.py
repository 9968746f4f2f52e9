"""No GraphQL depth limit: a self-referencing type nests as deep as a client asks.

The probe follows a cycle in the schema (User.friends -> User) with lists sized to one element, at
growing depths, and stops at the first refusal: a server that answers a depth-15 document with data
has no limit worth the name. It sends at most five documents.
"""

from __future__ import annotations

from graphql import GraphQLObjectType, get_named_type

from bastion.scan import graphql
from bastion.scan.context import Actor, ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="graphql.depth-limit",
    title="GraphQL queries nest without a depth limit",
    severity=Severity.MEDIUM,
    cwe=770,
    owasp="API4",
    needs_graphql=True,
    remediation="Refuse documents deeper than the deepest one your clients send (10 to 15 is typical), "
    "before executing them.",
    bastion="graphql:\n  limits: {max_depth: 12}",
)
DEPTHS = (4, 8, 15, 25)


def cycle(ctx: ScanContext) -> tuple[str, str, str] | None:
    """(root call, its type's selection opener, recursive field) for the first recursive path found."""
    schema = graphql.schema(ctx)
    if schema is None:
        return None
    for root in graphql.root_fields(schema):
        start = root.returns
        if not isinstance(start, GraphQLObjectType):
            continue
        root_call = graphql.call(root)
        if root_call is None:
            continue
        for name, definition in start.fields.items():
            if get_named_type(definition.type) is start and not any(
                graphql.is_required(a) for a in definition.args.values()
            ):
                sized = next((a for a in ("first", "limit", "last") if a in definition.args), None)
                return root_call, name, f"{name}({sized}: 1)" if sized else name
    return None


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    found = cycle(ctx)
    if found is None:
        report.skip("no schema, or no self-referencing type reachable from the query root")
        return
    root_call, name, step = found
    deepest = None
    for depth in DEPTHS:
        inner = "__typename"
        for _ in range(depth - 1):
            inner = f"{step} {{ {inner} }}"
        exchange = graphql.send(ctx, f"query BastionDepth {{ {root_call} {{ {inner} }} }}", actor=_actor(ctx))
        report.tested(graphql.OPERATION)
        result = graphql.data(exchange)
        if graphql.errors(exchange) or not result or all(v is None for v in result.values()):
            break  # a limit (or the server's own failure, or nothing to nest into): stop early
        deepest = (depth, exchange)
    if deepest is not None and deepest[0] >= 15:
        report.finding(
            graphql.OPERATION,
            f"A document nesting {name} {deepest[0]} levels deep was executed and answered with data.",
            [(deepest[1], f"depth {deepest[0]} answered")],
            confidence=Confidence.CERTAIN,
        )


def _actor(ctx: ScanContext) -> Actor:
    return ctx.users[0] if ctx.users else ctx.anonymous
