"""GraphQL batching: a JSON array of operations runs them all, each a login attempt if the attacker likes."""

from __future__ import annotations

from bastion.scan import graphql
from bastion.scan.checks.graphql_alias_amplification import login_document
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Phase, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="graphql.batch-amplification",
    title="GraphQL batches run many operations in one request",
    severity=Severity.MEDIUM,
    cwe=799,
    owasp="API4",
    phase=Phase.STATEFUL,
    needs_graphql=True,
    remediation="Turn batching off, or cap the operations per batch and count each one against rate limits.",
    bastion="graphql:\n  limits: {max_operations: 5}",
)
SIZE = 20


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    built = login_document(ctx, 1)
    document = built[0] if built else "query BastionBatch { __typename }"
    what = "login attempts" if built else "operations"
    exchange = graphql.send(ctx, "", batch=[{"query": document}] * SIZE, retry_429=False)
    report.tested(graphql.OPERATION)
    results = exchange.json if isinstance(exchange.json, list) else []
    ran = sum(
        1
        for r in results
        if isinstance(r, dict)
        and (r.get("data") or any("path" in e for e in r.get("errors") or [] if isinstance(e, dict)))
    )
    if ran == SIZE:
        report.finding(
            graphql.OPERATION,
            f"A batch of {SIZE} {what} in one HTTP request was run in full.",
            [(exchange, f"{SIZE} results")],
            severity=INFO.severity if built else Severity.LOW,
            confidence=Confidence.CERTAIN,
        )
