"""GraphQL circular fragments: two fragments that spread each other must be refused before anything runs.

The GraphQL specification forbids fragment cycles (`fragment A { ...B } fragment B { ...A }`) and a
compliant server refuses them in validation ("Cannot spread fragment ..."). A server whose own code walks
the document first (a depth counter, a logger, a cost estimator that follows spreads) recurses without
end: the answer is a crash (5xx, a recursion error, a stack trace), no answer at all, or an execution as
if nothing were wrong. Each of those is a finding; the refusal is not.
"""

from __future__ import annotations

import re

from graphql import GraphQLObjectType

from bastion.scan import graphql, signatures
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="graphql.circular-fragments",
    title="GraphQL circular fragments are not refused before use",
    severity=Severity.MEDIUM,
    cwe=674,
    owasp="API4",
    needs_graphql=True,
    remediation="Validate every document (fragment cycles included) before any other code walks it; keep depth "
    "counters and cost estimators cycle-safe.",
    bastion="graphql:\n  mode: enforce      # documents are parsed and validated at the gateway, cycles refused",
)
REFUSED = re.compile(r"(?i)cannot spread fragment|fragment cycle|circular|cyclic|spreads? itself|recursive fragment")
CRASHED = re.compile(r"(?i)recursion|stack ?overflow|maximum call stack|too much recursion|stack level too deep")


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    schema = graphql.schema(ctx)
    root = None
    if schema is not None:
        root = next(
            (f for f in graphql.root_fields(schema) if isinstance(f.returns, GraphQLObjectType) and graphql.call(f)),
            None,
        )
    type_name = (
        root.returns.name if root is not None else (schema.query_type.name if schema and schema.query_type else "Query")
    )
    selection = f"{graphql.call(root)} {{ ...BstA }}" if root is not None else "...BstA"
    document = (
        f"query BastionCycle {{ {selection} }} "
        f"fragment BstA on {type_name} {{ __typename ...BstB }} fragment BstB on {type_name} {{ __typename ...BstA }}"
    )
    actor = ctx.users[0] if ctx.users else ctx.anonymous
    exchange = graphql.send(ctx, document, actor=actor, retry_429=False)
    report.tested(graphql.OPERATION)
    text = graphql.messages(exchange) or exchange.text[:4000]
    if REFUSED.search(text):
        return
    if exchange.unanswered:
        what = f"no answer ({exchange.error})"
    elif exchange.server_error or CRASHED.search(text) or signatures.stack_trace(exchange.text):
        what = f"a crash ({exchange.status}: {text[:120]!r})"
    elif graphql.executed(exchange):
        what = "an execution, as if the cycle were allowed"
    else:
        return
    report.finding(
        graphql.OPERATION,
        f"A document whose two fragments spread each other drew {what} instead of a validation refusal.",
        [(exchange, "fragment BstA spreads BstB, which spreads BstA")],
        severity=Severity.HIGH if exchange.unanswered or exchange.server_error else Severity.MEDIUM,
        confidence=Confidence.CERTAIN,
    )
