"""Spec audit: real-looking secrets in examples and defaults (static)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Phase, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="spec.secret-in-example",
    title="Secret in the spec's examples",
    severity=Severity.HIGH,
    cwe=798,
    owasp="API8",
    phase=Phase.STATIC,
    remediation="Replace example credentials with obvious placeholders and rotate any real secret that was "
    "published in the spec.",
)
SECRET_SHAPES = {
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abpors]-[A-Za-z0-9-]{10,}\b"),
    "Stripe key": re.compile(r"\b[sr]k_live_[A-Za-z0-9]{16,}\b"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "JSON Web Token": re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,}"),
    "Bastion API key": re.compile(r"\bbst_(?:live|test)_[A-Za-z0-9_-]{20,}"),
}
_SECRET_NAME = re.compile(r"(?i)(password|passwd|secret|api[_-]?key|token|private[_-]?key|client[_-]?secret)")
_PLACEHOLDER = re.compile(r"(?i)^(?:x+|\*+|string|example|changeme|secret|password|your[-_ ].*|<.*>|\$\{.*\}|\.\.\.)$")


def examples(node: Any, path: str, depth: int = 0) -> Iterator[tuple[str, str, str]]:
    """(where, key, value) for every string under an example/examples/default key."""
    if depth > 40:
        return
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}/{key}"
            if key in ("example", "examples", "default", "x-example"):
                yield from _strings(value, here, str(key), 0)
            else:
                yield from examples(value, here, depth + 1)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from examples(item, f"{path}/{index}", depth + 1)


def _strings(node: Any, path: str, key: str, depth: int) -> Iterator[tuple[str, str, str]]:
    if depth > 20:
        return
    if isinstance(node, str):
        yield path, key, node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, f"{path}/{k}", str(k), depth + 1)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _strings(item, f"{path}/{index}", key, depth + 1)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    report.tested("document")
    for where, key, value in examples(ctx.spec.data, "#"):
        shape = next((name for name, pattern in SECRET_SHAPES.items() if pattern.search(value)), None)
        named = _SECRET_NAME.search(key) and len(value) >= 12 and not _PLACEHOLDER.match(value)
        if shape or named:
            ctx.masker.add(value)
            report.finding(
                where,
                f"{shape or 'A value under ' + repr(key)} appears in an example at {where}.",
                confidence=Confidence.FIRM if shape else Confidence.TENTATIVE,
                severity=Severity.HIGH if shape else Severity.MEDIUM,
            )
