"""No GraphQL depth limit: a cycle in the schema lets a client nest as deep as it likes.

The probe looks for a cycle of any length reachable from the query root (`User.friends -> User`, or
`Post.author -> User.posts -> Post`), follows it with lists sized to one element where the field takes
a size, at growing depths (3, 6, 10, 15), and stops at the first refusal: a server that answers a
document 15 levels deep with data has no limit worth the name. Lists without a size argument multiply
the work at every level, so the series also stops when an answer takes over a second or grows past
256 KiB, or when the next one, extrapolated from the last two, would take over two seconds.
"""

from __future__ import annotations

from graphql import GraphQLField, GraphQLObjectType, GraphQLSchema, get_named_type

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
DEPTHS = (3, 6, 10, 15)
SLOWEST = 1.0
MAX_PREDICTED = 2.0
MAX_BYTES = 256 * 1024
MAX_CYCLE = 4
SIZES = ("first", "limit", "last", "take", "pageSize")


def _step(name: str, field: GraphQLField) -> str:
    sized = next((a for a in SIZES if a in field.args), None)
    return f"{name}({sized}: 1)" if sized else name


def _edges(type_: GraphQLObjectType) -> list[tuple[str, GraphQLField, GraphQLObjectType]]:
    out = []
    for name, field in type_.fields.items():
        target = get_named_type(field.type)
        if isinstance(target, GraphQLObjectType) and not any(graphql.is_required(a) for a in field.args.values()):
            out.append((name, field, target))
    return out


def find_cycle(start: GraphQLObjectType) -> tuple[list[str], list[str]] | None:
    """(steps from `start` to the cycle, steps around the cycle), the shortest cycle first."""
    frontier: list[list[tuple[str, GraphQLObjectType]]] = [[("", start)]]
    for _ in range(MAX_CYCLE + 2):
        grown = []
        for path in frontier:
            for name, field, target in _edges(path[-1][1]):
                types = [t for _, t in path]
                step = _step(name, field)
                if target in types:
                    index = types.index(target)
                    steps = [s for s, _ in path[1:]] + [step]
                    cycle = steps[index:]
                    if len(cycle) <= MAX_CYCLE:
                        return steps[:index], cycle
                grown.append([*path, (step, target)])
        frontier = grown[:200]
    return None


def cycle(schema: GraphQLSchema) -> tuple[str, list[str], list[str]] | None:
    """(root call, steps to the cycle, steps around it) for the first recursive path from the query root."""
    for root in graphql.root_fields(schema):
        start = root.returns
        call = graphql.call(root)
        if not isinstance(start, GraphQLObjectType) or call is None:
            continue
        sized = next((a for a in SIZES if a in root.field.args), None)
        call = graphql.call(root, {sized: "1"}) if sized else call
        found = find_cycle(start)
        if found is not None and call is not None:
            return call, *found
    return None


def document(call: str, prefix: list[str], around: list[str], depth: int) -> str:
    steps = list(prefix)
    while len(steps) < depth - 1:
        steps += around
    inner = "__typename"
    for step in reversed(steps[: depth - 1]):
        inner = f"{step} {{ {inner} }}"
    return f"query BastionDepth {{ {call} {{ {inner} }} }}"


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    schema = graphql.schema(ctx)
    found = cycle(schema) if schema is not None else None
    if found is None:
        report.skip("no schema, or no cycle between types reachable from the query root")
        return
    call, prefix, around = found
    deepest = None
    times: list[float] = []
    for depth in DEPTHS:
        if len(times) >= 2 and times[-1] * max(1.0, times[-1] / max(times[-2], 1e-3)) > MAX_PREDICTED:
            break  # the next depth could hold the server too long
        exchange = graphql.send(ctx, document(call, prefix, around, depth), actor=_actor(ctx))
        report.tested(graphql.OPERATION)
        result = graphql.data(exchange)
        if graphql.errors(exchange) or not result or all(v is None for v in result.values()):
            break  # a limit (or the server's own failure, or nothing to nest into): stop early
        deepest = (depth, exchange)
        times.append(exchange.elapsed)
        if exchange.elapsed > SLOWEST or len(exchange.body) >= MAX_BYTES:
            break
    if deepest is not None and deepest[0] >= 15:
        names = " -> ".join(step.split("(")[0] for step in around)
        report.finding(
            graphql.OPERATION,
            f"A document nesting the cycle {names} {deepest[0]} levels deep was executed and answered with data.",
            [(deepest[1], f"depth {deepest[0]} answered")],
            confidence=Confidence.CERTAIN,
        )


def _actor(ctx: ScanContext) -> Actor:
    return ctx.users[0] if ctx.users else ctx.anonymous
