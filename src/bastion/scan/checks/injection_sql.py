"""Injection: SQL, shown by at least two independent pieces of evidence.

Pieces: a database error that a quote causes and a doubled quote cures (error-based); two pairs of
true/false conditions that the answers follow (boolean-based); a delay the database sleeps on request,
confirmed statistically (time-based). One piece alone is noise as often as not; it is not reported.
"""

from __future__ import annotations

from bastion.scan import signatures
from bastion.scan.compare import differs, similar
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.points import AnyPoint, all_points
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange
from bastion.scan.timing import confirm_delay

INFO = CheckInfo(
    id="injection.sql",
    title="SQL injection",
    severity=Severity.CRITICAL,
    cwe=89,
    owasp="API8",
    remediation="Use parameterised queries (placeholders) for every value; never build SQL text from input. "
    "Give the database account only the privileges the API needs.",
    bastion="waf:\n  mode: enforce      # sqli rules on every parameter and JSON field\nvalidation:\n  mode: enforce",
)
# (prefix closing the context, suffix neutralising the rest of the statement)
BOUNDARIES = [("'", " -- "), ("", " -- "), ("%'", " -- "), ("')", " -- "), ('"', " -- ")]
DELAYS = [
    "' AND SLEEP({d}) -- ",
    "' AND 1=(SELECT 1 FROM pg_sleep({d})) -- ",
    "'; WAITFOR DELAY '0:0:{d}' -- ",
    " AND SLEEP({d})",
    " AND 1=(SELECT 1 FROM pg_sleep({d}))",
]
DELAY = 2.0


class Evidence:
    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.exchanges: list[tuple[Exchange, str]] = []

    def add(self, piece: str, *exchanges: tuple[Exchange, str]) -> None:
        self.pieces.append(piece)
        self.exchanges.extend(exchanges)


def error_based(ctx: ScanContext, point: AnyPoint, base: Exchange, found: Evidence) -> None:
    if signatures.sql_error(base.text):
        return
    original = str(point.original)
    for quote in ("'", '"'):
        broken = point.send(ctx, original + quote)
        matched = signatures.sql_error(broken.text)
        if matched is None:
            continue
        balanced = point.send(ctx, original + quote + quote)
        found.add(f"a {matched[0]} error ({matched[1]!r}) after one {quote}", (broken, f"one {quote}: database error"))
        if signatures.sql_error(balanced.text) is None:
            found.add(f"no error once the {quote} is doubled", (balanced, f"{quote}{quote}: no error"))
        return


def boolean_based(ctx: ScanContext, point: AnyPoint, base: Exchange, found: Evidence) -> None:
    original = str(point.original)
    connectors = ["AND", "OR"] if point.reads else ["AND"]  # OR could touch every row of a write
    numeric = isinstance(point.original, int | float) or original.isdigit()
    boundaries = [b for b in BOUNDARIES if (b[0] in ("", "'")) == numeric or b[0] == "'"]
    for prefix, suffix in boundaries:
        for connector in connectors:

            def probe(condition: str, p: str = prefix, s: str = suffix, c: str = connector) -> Exchange:
                return point.send(ctx, f"{original}{p} {c} {condition}{s}")

            true1, false1 = probe("7=7"), probe("7=8")
            if not differs(true1, false1) or true1.server_error or false1.server_error:
                continue
            # One of the two must look like the untouched request, as a working condition would.
            if not (similar(true1, base) or similar(false1, base)):
                continue
            true2, false2 = probe("8>1"), probe("1>8")
            if similar(true2, true1) and similar(false2, false1):
                found.add(
                    f"answers follow injected conditions ({connector} 7=7 vs 7=8, {connector} 8>1 vs 1>8) "
                    f"after {prefix or 'a bare value'!r}",
                    (true1, "true condition"),
                    (false1, "false condition"),
                )
                return


def time_based(ctx: ScanContext, point: AnyPoint, found: Evidence) -> None:
    original = str(point.original)
    baseline = [point.send(ctx, original).elapsed for _ in range(3)]
    for template in DELAYS:

        def send(delay: float, t: str = template) -> Exchange:
            return point.send(ctx, original + t.format(d=f"{delay:g}"), timeout=ctx.target.timeout + delay * 2)

        first = send(DELAY)
        if first.elapsed < min(baseline) + DELAY * 0.85:
            continue
        confirmed, seen = confirm_delay(send, baseline, DELAY)
        if confirmed:
            found.add(
                f"the response waits as long as an injected sleep asks ({template.format(d='N').strip()}: "
                f"{seen[0].elapsed:.1f} s, {seen[1].elapsed:.1f} s without, {seen[2].elapsed:.1f} s for 1.5 N)",
                (seen[0], f"sleep {DELAY:g} s"),
                (seen[1], "sleep 0"),
            )
            return


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for point in all_points(ctx):
        report.tested(point.operation)
        base = point.send(ctx, str(point.original))
        if base.status == 429:
            continue
        found = Evidence()
        error_based(ctx, point, base, found)
        boolean_based(ctx, point, base, found)
        if len(found.pieces) < 2:
            time_based(ctx, point, found)
        if len(found.pieces) >= 2:
            report.finding(
                point.operation,
                f"SQL injection in {point.label} of {point.where}: " + "; ".join(found.pieces) + ".",
                found.exchanges,
                confidence=Confidence.CERTAIN if len(found.pieces) >= 3 else Confidence.FIRM,
            )
