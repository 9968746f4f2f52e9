"""The JSON report: a stable, documented shape (docs/scan.md; schema in scan/reports/report.schema.json)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson

from bastion import __version__
from bastion.scan.engine import ScanResult
from bastion.scan.findings import Severity

SCHEMA_VERSION = 1


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
                "operations_tested": sorted(result.coverage.get(run.info.id, ())),
            }
            for run in result.checks
        ],
        "warnings": result.warnings,
    }


def render(result: ScanResult) -> str:
    return orjson.dumps(as_dict(result), option=orjson.OPT_INDENT_2).decode()
