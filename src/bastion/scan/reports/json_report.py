"""The JSON report: a stable, documented shape (docs/scan.md; schema in scan/reports/report.schema.json)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson

from bastion import __version__
from bastion.scan.findings import Severity
from bastion.scan.result import ScanResult

SCHEMA_VERSION = 2


def summary(result: ScanResult) -> dict[str, int]:
    counts = {s.label: 0 for s in sorted(Severity, reverse=True)}
    for finding in result.findings:
        counts[finding.severity.label] += 1
    return counts


def as_dict(result: ScanResult) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "bastion scan", "version": __version__},
        "target": result.target,
        "api": result.spec_title,
        "started": datetime.fromtimestamp(result.started, UTC).isoformat().replace("+00:00", "Z"),
        "duration_seconds": round(result.duration, 2),
        "requests": result.requests,
        "budget": result.budget,
        "budget_exhausted": result.budget_exhausted,
        "summary": summary(result),
        "findings": [f.to_dict() for f in result.findings],
        "checks": [
            {
                "id": run.info.id,
                "title": run.info.title,
                "severity": run.info.severity.label,
                "cwe": run.info.cwe,
                "owasp": run.info.owasp_name,
                "status": run.status,
                "reason": run.reason,
                "requests": run.requests,
                "seconds": round(run.seconds, 2),
                "operations_tested": sorted(result.tested.get(run.info.id, ())),
            }
            for run in result.checks
        ],
        "complete": not result.incomplete,
        "stop_reason": result.stop_reason,
        "coverage": result.coverage.to_dict(),
        "blocked": [
            {
                "message": block.describe(),
                "first_request": block.first_request,
                "last_request": block.last_request,
                "status": block.status,
                "answer": block.what,
                "retry_after": block.retry_after,
                "affected_checks": block.affected,
            }
            for block in result.blocks
        ],
        "outages": [
            {
                "request": outage.culprit.number,
                "check": outage.check,
                "recovered_after_seconds": None if outage.recovered_after is None else round(outage.recovered_after, 1),
            }
            for outage in result.outages
        ],
        "warnings": result.warnings,
    }


def render(result: ScanResult) -> str:
    return orjson.dumps(as_dict(result), option=orjson.OPT_INDENT_2).decode()
