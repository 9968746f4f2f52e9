"""Injection: OS commands, shown by output (shell arithmetic) and by time (sleep), benign commands only.

Output: `echo M$((a*b))` prints the product only if a shell evaluated it; the payload itself never
contains the product, so a reflected payload cannot fake it. Two different operand pairs must both
come back. Time (only when no output came back): `sleep N` must delay the answer by N, not when N is 0,
and by 1.5 N when asked.
"""

from __future__ import annotations

import random
import string

from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.points import AnyPoint, all_points
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange
from bastion.scan.timing import confirm_delay

INFO = CheckInfo(
    id="injection.os-command",
    title="OS command injection",
    severity=Severity.CRITICAL,
    cwe=78,
    owasp="API8",
    remediation="Never pass input to a shell: call programs with an argument list (no shell), validate "
    "input against an allow-list, and run the API with least privilege.",
    bastion="waf:\n  mode: enforce      # command injection rules (separators, substitutions, shell builtins)",
)
# {c} is the command; each form closes a different context (bare, single- or double-quoted argument).
FORMS = ["{v};{c};", "{v}|{c}", "{v}&&{c}", "{v}\n{c}\n", "{v}$({c})", "{v}`{c}`", "{v}';{c};'", '{v}";{c};"']
DELAY = 2.0


def _operands() -> tuple[str, int, int]:
    marker = "".join(random.choices(string.ascii_uppercase, k=6))
    return marker, random.randint(1000, 9999), random.randint(1000, 9999)


def output_based(ctx: ScanContext, point: AnyPoint) -> tuple[str, list[tuple[Exchange, str]]] | None:
    original = str(point.original)
    for form in FORMS:
        marker, a, b = _operands()
        first = point.send(ctx, form.format(v=original, c=f"echo {marker}$(({a}*{b}))"))
        if f"{marker}{a * b}" not in first.text:
            continue
        marker2, c, d = _operands()
        second = point.send(ctx, form.format(v=original, c=f"expr {c} + {d} | sed s/^/{marker2}/"))
        if f"{marker2}{c + d}" in second.text:
            return form, [
                (first, f"echo {marker}$(({a}*{b})) printed {marker}{a * b}"),
                (second, f"expr {c} + {d} printed {c + d}"),
            ]
    return None


def time_based(ctx: ScanContext, point: AnyPoint) -> tuple[str, list[tuple[Exchange, str]]] | None:
    original = str(point.original)
    baseline = [point.send(ctx, original).elapsed for _ in range(3)]
    for form in FORMS:

        def send(delay: float, f: str = form) -> Exchange:
            return point.send(ctx, f.format(v=original, c=f"sleep {delay:g}"), timeout=ctx.target.timeout + delay * 2)

        first = send(DELAY)
        if first.elapsed < min(baseline) + DELAY * 0.85:
            continue
        confirmed, seen = confirm_delay(send, baseline, DELAY)
        if confirmed:
            return form, [
                (seen[0], f"sleep {DELAY:g}: {seen[0].elapsed:.1f} s"),
                (seen[1], f"sleep 0: {seen[1].elapsed:.2f} s"),
                (seen[2], f"sleep {DELAY * 1.5:g}: {seen[2].elapsed:.1f} s"),
            ]
    return None


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for point in all_points(ctx, strings_only=True):
        report.tested(point.operation)
        pieces: list[str] = []
        evidence: list[tuple[Exchange, str]] = []
        output = output_based(ctx, point)
        if output is not None:
            pieces.append(f"command output came back (two computations, form {output[0]!r})")
            evidence += output[1]
        timing = time_based(ctx, point) if output is None else None  # two computations already prove it
        if timing is not None:
            pieces.append(f"the answer waits exactly as long as an injected sleep asks (form {timing[0]!r})")
            evidence += timing[1]
        if output is not None or timing is not None:
            report.finding(
                point.operation,
                f"OS command injection in {point.label} of {point.where}: " + "; ".join(pieces) + ".",
                evidence,
                confidence=Confidence.CERTAIN if output is not None or len(pieces) == 2 else Confidence.FIRM,
            )
