"""Injection through GraphQL arguments: SQL, shown by two pieces of evidence (as for REST).

Each String argument of the query root's fields is sent with a quote appended: a database error in the
GraphQL errors is the first piece, and the same value with the quote doubled answering without one is
the second. One piece alone is not reported.
"""

from __future__ import annotations

from graphql import get_named_type

from bastion.scan import graphql, signatures
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="graphql.injection",
    title="SQL injection through a GraphQL argument",
    severity=Severity.CRITICAL,
    cwe=89,
    owasp="API8",
    needs_graphql=True,
    remediation="Use parameterised queries in resolvers; never build SQL text from arguments.",
    bastion="waf:\n  mode: enforce               # arguments and variables inspected, not the GraphQL syntax",
)
MAX_ARGUMENTS = 20


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    schema = graphql.schema(ctx)
    if schema is None:
        report.skip("needs the schema (introspection or --graphql-schema)")
        return
    actor = ctx.users[0] if ctx.users else ctx.anonymous
    tried = 0
    for root in graphql.root_fields(schema):
        for name, arg in root.field.args.items():
            if get_named_type(arg.type).name != "String" or tried >= MAX_ARGUMENTS:
                continue
            tried += 1
            call = graphql.call(root, {name: "$v"})
            if call is None:
                continue
            query = f"query BastionInjection($v: String!) {{ {call}{graphql.selection(root.returns)} }}"
            location = f"{root.name}({name})"
            report.tested(location)
            for quote in ("'", '"'):
                broken = graphql.send(ctx, query, {"v": "bastion" + quote}, actor=actor)
                matched = signatures.sql_error(graphql.messages(broken))
                if matched is None:
                    continue
                balanced = graphql.send(ctx, query, {"v": "bastion" + quote + quote}, actor=actor)
                if signatures.sql_error(graphql.messages(balanced)) is None:
                    report.finding(
                        location,
                        f"{location}: a {matched[0]} error ({matched[1]!r}) after one {quote}, and none once "
                        f"the {quote} is doubled.",
                        [(broken, f"one {quote}: database error"), (balanced, f"{quote}{quote}: no error")],
                        confidence=Confidence.CERTAIN,
                    )
                break
