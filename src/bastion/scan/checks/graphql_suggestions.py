"""GraphQL field suggestions: "Did you mean ...?" errors let a stranger rebuild a hidden schema."""

from __future__ import annotations

import re

from bastion.scan import graphql
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="graphql.suggestions",
    title="GraphQL errors suggest field names",
    severity=Severity.LOW,
    cwe=209,
    owasp="API8",
    needs_graphql=True,
    remediation="Disable field suggestions in production (most servers have a setting), so that a hidden "
    "schema cannot be guessed letter by letter.",
    bastion="graphql:\n  strip_suggestions: true     # the default",
)
SUGGESTED = re.compile(r"Did you mean (?:to use an inline fragment on )?['\"]([A-Za-z_][\w]*)['\"]")
# Near-misses of names most schemas have: a server that suggests answers "Did you mean 'user'?".
GUESSES = ("use", "userz", "mee", "viewr", "node_", "post_", "login_", "searc", "item_", "product_")


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    schema = graphql.schema(ctx)
    typos = [f.name[:-1] for f in graphql.root_fields(schema)][:3] if schema else []
    for typo in [*typos, *GUESSES][:8]:
        exchange = graphql.send(ctx, f"query BastionProbe {{ {typo} }}")
        report.tested(graphql.OPERATION)
        text = graphql.messages(exchange)
        suggested = [name for name in SUGGESTED.findall(text) if name != typo]
        if suggested:
            report.finding(
                graphql.OPERATION,
                f"Asking for the unknown field {typo!r} got a suggestion back: {text[:160]!r}.",
                [(exchange, "the error names real fields")],
                confidence=Confidence.CERTAIN,
            )
            return
