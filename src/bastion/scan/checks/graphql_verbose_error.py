"""GraphQL verbose errors: exceptions, stack traces and internals in the `errors` of a response."""

from __future__ import annotations

from bastion.scan import graphql, signatures
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange

INFO = CheckInfo(
    id="graphql.verbose-errors",
    title="GraphQL errors carry stack traces or internals",
    severity=Severity.MEDIUM,
    cwe=209,
    owasp="API8",
    needs_graphql=True,
    remediation="Turn the server's debug mode off: errors should carry a message and a code, never the "
    "exception, its stack trace or local variables.",
    bastion="responses:\n  hide_errors: true           # debug extensions removed from GraphQL errors",
)
DEBUG_KEYS = ("exception", "stacktrace", "stackTrace", "traceback", "trace", "debug", "locals")


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    probes = ["query BastionError($n: Int) { __typename(n: $n) }", "query BastionError { __typename }"]
    schema = graphql.schema(ctx)
    if schema is not None:
        for root in graphql.root_fields(schema):
            for name, arg in root.field.args.items():
                # a wrong-typed value through a variable reaches the resolver's coercion or the resolver
                if graphql.placeholder(arg.type, name) not in (None, "[]"):
                    probes.append(
                        f"query BastionError {{ {graphql.call(root, {name: graphql.string('%%%')})}"
                        f"{graphql.selection(root.returns)} }}"
                    )
                    break
            if len(probes) > 5:
                break
    actor = ctx.users[0] if ctx.users else ctx.anonymous
    for probe in probes:
        exchange = graphql.send(ctx, probe, actor=actor)
        report.tested(graphql.OPERATION)
        if _verbose(ctx, report, exchange):
            return
    for exchange in list(ctx.target.history):  # what the other GraphQL checks saw
        if exchange.operation == graphql.OPERATION and _verbose(ctx, report, exchange):
            return


def _verbose(ctx: ScanContext, report: Reporter, exchange: Exchange) -> bool:
    errors = graphql.errors(exchange)
    trace = signatures.stack_trace(exchange.text) if errors else None
    for error in errors:
        extensions = error.get("extensions")
        keys = [k for k in DEBUG_KEYS if isinstance(extensions, dict) and extensions.get(k)]
        if keys or trace is not None:
            what = f"extensions {', '.join(keys)}" if keys or trace is None else f"a {trace[0]}"
            report.finding(
                graphql.OPERATION,
                f"A GraphQL error carried {what}: {str(error.get('message', ''))[:120]!r}.",
                [(exchange, "debug details in errors")],
                confidence=Confidence.CERTAIN,
            )
            return True
    return False
