"""GraphQL alias amplification: one request carries dozens of login attempts (or any costly field),
so a per-request rate limit counts a brute-force run as one request.

With a login mutation in the schema, 20 aliased attempts with wrong passwords for one of the scan's
own users are sent in one document (its right password is never among them); every attempt that
ran and answered on its own shows the amplification. Without one, 50 aliases of a cheap root field.
"""

from __future__ import annotations

from bastion.scan import graphql
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Phase, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange
from bastion.scan.values import unique_text

INFO = CheckInfo(
    id="graphql.alias-amplification",
    title="GraphQL aliases multiply operations in one request",
    severity=Severity.HIGH,
    cwe=307,
    owasp="API4",
    phase=Phase.STATEFUL,
    needs_graphql=True,
    remediation="Limit aliases per document, give costly fields (login) a weight in a cost budget, and rate-limit "
    "login attempts by account, not by HTTP request.",
    bastion="graphql:\n  limits: {max_aliases: 10}\n  weights: {Mutation.login: 50}\nratelimit:\n  limits:\n"
    "    - {id: cost, key: [ip], rate: 5000/min, cost: graphql}",
)
ATTEMPTS = 20


def login_document(ctx: ScanContext, count: int) -> tuple[str, str] | None:
    """A document with `count` aliased wrong-password logins, and the user it targets."""
    field = graphql.login_mutation(graphql.schema(ctx))
    if field is None:
        return None
    args = list(field.field.args)
    user_arg = next((a for a in args if "user" in a.lower() or "email" in a.lower() or "login" in a.lower()), None)
    pass_arg = next((a for a in args if "pass" in a.lower()), None)
    if user_arg is None or pass_arg is None:
        return None
    username = next((u.user.username for u in ctx.identities if u.user.username), None) or "bastion-scan"
    selection = graphql.selection(field.returns)
    attempts = " ".join(
        f"a{i}: {field.name}({user_arg}: {graphql.string(username)}, {pass_arg}: "
        f"{graphql.string(unique_text('wrong'))}){selection}"
        for i in range(count)
    )
    return f"mutation BastionAliases {{ {attempts} }}", username


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    built = login_document(ctx, ATTEMPTS)
    if built is not None:
        document, username = built
        exchange = graphql.send(ctx, document, retry_429=False)
        report.tested(graphql.OPERATION)
        ran = _answered(exchange, ATTEMPTS)
        if ran >= ATTEMPTS // 2:
            report.finding(
                graphql.OPERATION,
                f"One request ran {ran} login attempts for {username!r} through aliases; a per-request limit "
                "sees one request.",
                [(exchange, f"{ran} aliased logins answered")],
                confidence=Confidence.CERTAIN,
            )
        return
    schema = graphql.schema(ctx)
    cheap = next((graphql.call(f) for f in graphql.root_fields(schema) if not f.required), None) if schema else None
    field = cheap or "__typename"
    selection = ""
    if schema is not None and cheap is not None:
        root = next(f for f in graphql.root_fields(schema) if graphql.call(f) == cheap)
        selection = graphql.selection(root.returns)
    document = "query BastionAliases { " + " ".join(f"a{i}: {field}{selection}" for i in range(50)) + " }"
    exchange = graphql.send(ctx, document)
    report.tested(graphql.OPERATION)
    if _answered(exchange, 50) == 50:
        report.finding(
            graphql.OPERATION,
            f"A document with 50 aliases of {field} was executed in full: nothing limits aliases.",
            [(exchange, "50 aliases answered")],
            severity=Severity.LOW,
            confidence=Confidence.CERTAIN,
        )


def _answered(exchange: Exchange, count: int) -> int:
    result = graphql.data(exchange) or {}
    keys = {f"a{i}" for i in range(count)}
    answered = {k for k in result if k in keys}
    answered |= {str(e["path"][0]) for e in graphql.errors(exchange) if isinstance(e.get("path"), list) and e["path"]}
    return len(answered & keys)
