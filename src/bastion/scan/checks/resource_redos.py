"""Resource consumption: response time that grows super-linearly with input length (ReDoS, quadratic work).

Inputs start small and grow step by step, so that the check finds the flaw without taking the API down:
backtracking shapes (`aaaa…!`, `0000…x`: runs that a nested quantifier can split in exponentially many
ways) by four characters at a time from 8, linear ones by doubling from 1,000 (not for fields whose
declared maxLength is below that). Each step's extra time over the field's baseline is compared with the
step before. The series stops as soon as one request takes over a second, and no input is sent whose
time, extrapolated from the last two steps, would exceed two seconds. Growth counts when the last step
multiplies the extra time of the step before (by 2.5 for four more characters, by 3 for twice the
length: more than linear work can explain), the last three steps rise, and both stand out from the
field's own jitter (twice the gap between the fastest and the median of three baseline requests, 5 ms
at least; the last 100 ms at least and four times that); the last length is then measured again and
must agree, so one slow answer from a busy server is not enough. A field measured flat is cleared: the
fuzzer and the tampering check may then send it long strings (scan/fragile.py).
"""

from __future__ import annotations

from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.fragile import cleared, field_name
from bastion.scan.points import AnyPoint, all_points
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange

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
BACKTRACKING = [("a", "!"), ("0", "x")]
BACKTRACKING_LENGTHS = [8, 12, 16, 20, 24, 28, 32]
LINEAR = [("a", "!"), (" ", "x")]
LINEAR_LENGTHS = [1000, 2000, 4000, 8000, 16000, 32000]
SLOWEST = 1.0  # no series goes on past a request this slow
MAX_PREDICTED = 2.0  # and no input is sent that should take longer
GROWTH = {"add": 2.5, "double": 3.0}
NOISE = 0.005
MEASURABLE = 0.1


class Series:
    """One shape's lengths and extra times (over the field's baseline)."""

    def __init__(self, unit: str, trailer: str, steps: str, noise: float) -> None:
        self.unit, self.trailer, self.steps, self.noise = unit, trailer, steps, noise
        self.lengths: list[int] = []
        self.extra: list[float] = []
        self.shown: list[Exchange] = []

    def predicted(self) -> float:
        """The next step's extra time, extrapolated from the last two (0 while there is no growth yet)."""
        if len(self.extra) < 2 or self.extra[-2] <= 0.005:
            return 0.0
        return self.extra[-1] * max(1.0, self.extra[-1] / self.extra[-2])

    def growing(self) -> bool:
        """The last three steps rise, and the last multiplies the one before, both above the noise."""
        if len(self.extra) < 3:
            return False
        first, before, last = self.extra[-3:]
        rising = first < before < last
        clear = before >= self.noise and last >= max(MEASURABLE, 4 * self.noise)
        return rising and clear and last >= GROWTH[self.steps] * before


def _timed(ctx: ScanContext, point: AnyPoint, text: str) -> Exchange:
    return point.send(ctx, text, timeout=min(ctx.target.timeout, MAX_PREDICTED + 1.0))


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for point in all_points(ctx, strings_only=True):
        report.tested(point.operation)
        samples = sorted(_timed(ctx, point, str(point.original)).elapsed for _ in range(3))
        base = samples[0]
        # A slow, jittery endpoint needs a clearer signal; the median, not the slowest sample, so one pause
        # of a busy machine does not hide a real growth.
        noise = max(NOISE, 2 * (samples[1] - base))
        found = _grows(ctx, point, base, noise)
        field = (point.operation, point.location, field_name(point.name))
        if found is None:
            cleared(ctx).add(field)
            continue
        series, confirm = found
        pairs = ", ".join(f"{n}: {(t + base) * 1000:.0f} ms" for n, t in zip(series.lengths, series.extra, strict=True))
        report.finding(
            point.operation,
            f"{point.label} of {point.where}: the time for {series.unit!r}*n+{series.trailer!r} multiplies at every "
            f"step ({pairs}); the series stopped before any input expected to take over {MAX_PREDICTED:g} s.",
            [
                (series.shown[0], f"length {series.lengths[0]}"),
                (confirm, f"length {series.lengths[-1]}, measured again"),
            ],
            confidence=Confidence.FIRM,
        )


def _grows(ctx: ScanContext, point: AnyPoint, base: float, noise: float) -> tuple[Series, Exchange] | None:
    shapes = [(s, BACKTRACKING_LENGTHS, "add") for s in BACKTRACKING]
    bound = point.schema.get("maxLength")
    if not isinstance(bound, int) or bound >= LINEAR_LENGTHS[0]:
        shapes += [(s, LINEAR_LENGTHS, "double") for s in LINEAR]  # a short declared bound: no kilobyte inputs
    for (unit, trailer), lengths, steps in shapes:
        series = Series(unit, trailer, steps, noise)
        for length in lengths:
            if base + series.predicted() > MAX_PREDICTED:
                break  # the next step could hold the server for too long: what was measured must do
            exchange = _timed(ctx, point, unit * (length // len(unit)) + trailer)
            series.lengths.append(length)
            series.extra.append(max(0.0, exchange.elapsed - base))
            series.shown.append(exchange)
            if series.growing() or exchange.elapsed > SLOWEST or exchange.error == "timeout":
                break
        if series.growing():
            confirm = _timed(ctx, point, unit * (series.lengths[-1] // len(unit)) + trailer)
            if confirm.elapsed - base >= 0.5 * series.extra[-1]:
                return series, confirm
    return None
