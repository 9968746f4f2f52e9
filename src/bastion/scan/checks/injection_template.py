"""Injection: server-side templates evaluating input, shown with arithmetic probes.

Each syntax (`{{a*b}}`, `${a*b}`, `<%= a*b %>` ...) is tried with random operands; the product never
appears in the payload, so only evaluation can put it in the answer. A second, different product in the
same syntax is the second piece of evidence.
"""

from __future__ import annotations

import random

from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.points import all_points
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="injection.template",
    title="Server-side template injection",
    severity=Severity.CRITICAL,
    cwe=1336,
    owasp="API8",
    remediation="Never compile templates from input: pass input as template *data*; if users must write "
    "templates, use a sandboxed engine with no access to objects or code.",
    bastion="waf:\n  mode: enforce      # template injection rules ({{ }}, ${ }, <% %> ...)",
)
SYNTAXES = [
    "{{{{{a}*{b}}}}}",
    "${{{a}*{b}}}",
    "<%= {a}*{b} %>",
    "#{{{a}*{b}}}",
    "{{{{={a}*{b}}}}}",
    "*{{{a}*{b}}}",
    "@({a}*{b})",
    "{{% print({a}*{b}) %}}",
]


def _pair() -> tuple[int, int]:
    return random.randint(1000, 9999), random.randint(1000, 9999)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for point in all_points(ctx, strings_only=True):
        report.tested(point.operation)
        for syntax in SYNTAXES:
            a, b = _pair()
            first = point.send(ctx, f"bst{syntax.format(a=a, b=b)}")
            if str(a * b) not in first.text:
                continue
            c, d = _pair()
            second = point.send(ctx, f"bst{syntax.format(a=c, b=d)}")
            if str(c * d) in second.text:
                shown = syntax.format(a="a", b="b")
                report.finding(
                    point.operation,
                    f"Template injection in {point.label} of {point.where}: {shown} is evaluated "
                    f"({a}*{b} came back as {a * b}, then {c}*{d} as {c * d}).",
                    [(first, f"{a}*{b} = {a * b}"), (second, f"{c}*{d} = {c * d}")],
                    confidence=Confidence.CERTAIN,
                )
                break
