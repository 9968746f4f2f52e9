"""Resource consumption: response time growing super-linearly with input length (ReDoS, quadratic code).

A cheap screen first (one long and one backtracking-shaped input per field); only a field that slows
down gets the series: several lengths, three timings each (the minimum, which noise can only raise),
and the slope of log(time) against log(length). Linear work has slope ~1; a finding needs a slope of 2
or more *and* a large absolute time, so a merely slow endpoint is not reported.
"""

from __future__ import annotations

from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.points import AnyPoint, all_points
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange
from bastion.scan.timing import growth_exponent

INFO = CheckInfo(
    id="resource.redos",
    title="Response time grows super-linearly with input length (ReDoS / algorithmic complexity)",
    severity=Severity.MEDIUM,
    cwe=1333,
    owasp="API4",
    remediation="Bound input lengths, use linear-time regular expressions (RE2, Hyperscan, or patterns without "
    "nested quantifiers) and avoid quadratic algorithms on request data.",
    bastion="validation:\n  mode: enforce        # maxLength from the spec is enforced before the API\nwaf:\n"
    "  max_value: 32768",
)
# (alphabet unit, trailer that makes a match fail late, lengths of the series)
SHAPES = [
    ("a", "!", [18, 20, 22, 24]),
    ("a ", "!", [9, 10, 11, 12]),
    ("0", "x", [18, 20, 22, 24]),
    ("a", "!", [4000, 8000, 16000, 32000]),
    (" ", "x", [4000, 8000, 16000, 32000]),
]
SLOW = 0.25
MIN_SLOPE = 2.0


def _timed(ctx: ScanContext, point: AnyPoint, text: str) -> Exchange:
    return point.send(ctx, text, timeout=min(ctx.target.timeout, 8.0))


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for point in all_points(ctx, strings_only=True):
        report.tested(point.operation)
        base = min(_timed(ctx, point, str(point.original)).elapsed for _ in range(2))
        for unit, trailer, lengths in SHAPES:
            screen = _timed(ctx, point, unit * lengths[-1] + trailer)
            if screen.elapsed < base + SLOW and screen.error != "timeout":
                continue
            series: list[float] = []
            shown: list[Exchange] = []
            for length in lengths:
                runs = [_timed(ctx, point, unit * length + trailer) for _ in range(3)]
                series.append(min(r.elapsed for r in runs) - base * 0.5)
                shown.append(min(runs, key=lambda r: r.elapsed))
                if series[-1] > 6.0:
                    break
            slope = growth_exponent(lengths[: len(series)], series)
            if slope >= MIN_SLOPE and series[-1] >= base + SLOW:
                pairs = ", ".join(f"{n}: {t * 1000:.0f} ms" for n, t in zip(lengths, series, strict=False))
                report.finding(
                    point.operation,
                    f"{point.label} of {point.where}: time grows as length^{slope:.1f} "
                    f"for {unit!r}*n+{trailer!r} ({pairs}).",
                    [(shown[0], f"length {lengths[0]}"), (shown[-1], f"length {lengths[len(shown) - 1]}")],
                    confidence=Confidence.FIRM,
                )
                break
