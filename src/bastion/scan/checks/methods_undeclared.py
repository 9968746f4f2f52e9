"""Unhandled HTTP methods: methods the spec does not declare for a path, answered with success."""

from __future__ import annotations

from bastion.scan.context import Actor, ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.operations import Operation
from bastion.scan.points import actor_for
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="methods.undeclared",
    title="Undeclared HTTP method answered with success",
    severity=Severity.MEDIUM,
    cwe=650,
    owasp="API9",
    remediation="Route only the methods the contract declares and answer others 405 with an Allow header; "
    "disable framework defaults that map every method to one handler.",
    bastion="ingress:\n  methods: [GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS]\nopenapi: openapi.yaml   "
    "# undeclared methods get 405",
)
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "FOO")


def by_path(ctx: ScanContext) -> dict[str, list[Operation]]:
    paths: dict[str, list[Operation]] = {}
    for op in ctx.spec.operations:
        paths.setdefault(op.path, []).append(op)
    return paths


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for path, ops in by_path(ctx).items():
        declared = {op.method for op in ops}
        model = next((op for op in ops if op.method == "GET"), ops[0])
        actor: Actor = actor_for(ctx, model)
        report.tested(path)
        for method in METHODS:
            if method in declared or (method == "DELETE" and ctx.safe):
                continue
            exchange = ctx.request(model, actor, method=method, body=None)
            if exchange.ok:
                report.finding(
                    path,
                    f"{method} {path} answered {exchange.status} although the spec declares only "
                    f"{', '.join(sorted(declared))}.",
                    [(exchange, f"undeclared {method}")],
                    confidence=Confidence.CERTAIN,
                    severity=Severity.LOW if method in ("CONNECT", "FOO") else Severity.MEDIUM,
                )
