"""SARIF 2.1.0 for code-scanning upload: one rule per check, one result per finding.

Findings are about a running API, not a source line, so each result's location is the spec file with a
logical location naming the operation; code-scanning tools need a physical location to show a result.
"""

from __future__ import annotations

from typing import Any

import orjson

from bastion import __version__
from bastion.scan.findings import Finding, Severity
from bastion.scan.result import ScanResult

LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}


def _result(finding: Finding, rule_index: dict[str, int], spec_uri: str) -> dict[str, Any]:
    message = finding.detail
    if finding.reproduction:
        message += f"\n\nReproduce: {finding.reproduction}"
    return {
        "ruleId": finding.check_id,
        "ruleIndex": rule_index[finding.check_id],
        "level": LEVEL[finding.severity],
        "message": {"text": message},
        "locations": [
            {
                "physicalLocation": {"artifactLocation": {"uri": spec_uri}},
                "logicalLocations": [{"name": finding.operation, "kind": "function"}],
            }
        ],
        "partialFingerprints": {"bastionFinding/v1": f"{finding.check_id}:{finding.operation}"},
        "properties": {
            "severity": finding.severity.label,
            "confidence": finding.confidence.label,
            "security-severity": SECURITY_SEVERITY[finding.severity],
            "occurrences": finding.occurrences,
        },
    }


def as_dict(result: ScanResult, spec_uri: str = "openapi.yaml") -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    for run in result.checks:
        info = run.info
        rule_index[info.id] = len(rules)
        rules.append(
            {
                "id": info.id,
                "name": "".join(part.capitalize() for part in info.id.replace("-", ".").split(".")),
                "shortDescription": {"text": info.title},
                "fullDescription": {"text": f"{info.title}. {info.owasp_name}."},
                "help": {"text": info.remediation + (f"\n\nBastion policy:\n{info.bastion}" if info.bastion else "")},
                "defaultConfiguration": {"level": LEVEL[info.severity]},
                "properties": {
                    "tags": ["security", f"external/cwe/cwe-{info.cwe}", info.owasp],
                    "security-severity": SECURITY_SEVERITY[info.severity],
                    "precision": "high",
                },
            }
        )
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "bastion-scan",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": [_result(f, rule_index, spec_uri) for f in result.findings if f.check_id in rule_index],
                "invocations": [
                    {
                        "executionSuccessful": not result.incomplete,
                        "toolExecutionNotifications": _notifications(result),
                    }
                ],
                "properties": {
                    "target": result.target,
                    "requests": result.requests,
                    "complete": not result.incomplete,
                    "stopReason": result.stop_reason,
                    "coverage": result.coverage.to_dict(),
                },
            }
        ],
    }


def _notifications(result: ScanResult) -> list[dict[str, Any]]:
    """What a code-scanning reader must know before trusting the results: early stops, blocks, coverage."""
    notes: list[tuple[str, str]] = []
    if result.stop_reason:
        notes.append(("error", f"The scan is incomplete: {result.stop_reason}."))
    notes += [
        ("error", block.describe() + f"; affected checks: {', '.join(block.affected)}") for block in result.blocks
    ]
    notes += [("warning", f"Coverage below --min-coverage: {gap}.") for gap in result.coverage.shortfalls()]
    notes.append(("note", result.coverage.summary()))
    return [{"level": level, "message": {"text": text}} for level, text in notes]


def render(result: ScanResult) -> str:
    return orjson.dumps(as_dict(result), option=orjson.OPT_INDENT_2).decode()
