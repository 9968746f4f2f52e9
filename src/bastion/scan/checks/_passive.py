"""Shared by passive checks: every exchange the scan made, grouped by operation, each looked at once."""

from __future__ import annotations

from collections.abc import Iterator

from bastion.scan.context import ScanContext
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange


def exchanges(ctx: ScanContext, report: Reporter) -> Iterator[tuple[str, Exchange]]:
    """(operation key, exchange) for every answered request, the spec-less ones under their path.

    Coverage (JUnit test cases) is recorded for the spec's operations only; a probe of an undocumented
    path appears in the report when it produced a finding, not as one passing test case per probe.
    """
    documented = {op.key for op in ctx.spec.operations}
    for exchange in ctx.target.history:
        if exchange.status is None:
            continue
        operation = exchange.operation or exchange.path
        if operation in documented:
            report.tested(operation)
        yield operation, exchange
