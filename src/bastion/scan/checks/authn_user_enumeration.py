"""Authentication: login answers that tell an unknown user from a wrong password (body, status or time).

The known account is one the scan registered for the purpose, or else a username the API itself showed
that is not a test user (one wrong password, never more, for an account that is not ours). Timing is
only measured on the scan's own account: pairs of failed logins, a known and an unknown user in random
order within each pair, so that a load spike hits both sides alike; the two series are compared by rank
(Mann-Whitney U, one-sided p < 0.1 %) and the medians must lie at least 25 ms apart. A series that shows
no gap after a few pairs stops early.
"""

from __future__ import annotations

import random
import statistics

from bastion.scan.accounts import login_attempt, registration_refused, throwaway
from bastion.scan.compare import similar
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange
from bastion.scan.timing import mann_whitney_p
from bastion.scan.values import unique_text

INFO = CheckInfo(
    id="authn.user-enumeration",
    title="Login reveals whether an account exists",
    severity=Severity.MEDIUM,
    cwe=204,
    owasp="API2",
    remediation="Answer every failed login identically (same status, body and headers), and spend the same "
    "time on unknown users (verify against a dummy hash).",
    bastion="authn:\n  brute_force: {threshold: 10, window: 300, cooldown: [60, 300, 1800]}",
)
PAIRS = 12
EARLY_PAIRS = 4
MIN_TIMING_GAP = 0.025
MAX_P = 0.001


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    if ctx.login is None:
        report.skip("the auth file has no login request")
        return
    account = throwaway(ctx)
    known = account.username if account else _someone_else(ctx)
    if known is None:
        report.skip(f"no account to compare with that is not a test user ({registration_refused(ctx)})")
        return
    operation = "login"
    report.tested(operation)
    wrong = "Bst-wrong-" + unique_text()
    existing = login_attempt(ctx, known, wrong)
    unknown = login_attempt(ctx, unique_text("nouser"), wrong)
    if existing.ok or unknown.ok or existing.status == 429 or unknown.status == 429:
        return
    if not similar(existing, unknown, echoes=(known,)):
        what = "status" if existing.status != unknown.status else "body"
        report.finding(
            operation,
            f"A wrong password for an existing account and an unknown account get a different {what} "
            f"({existing.status} vs {unknown.status}).",
            [(existing, "existing account, wrong password"), (unknown, "account that does not exist")],
            confidence=Confidence.CERTAIN,
        )
        return
    if account is None:
        report.skip(
            f"timing needs many wrong passwords, only ever for an account of the scan's own: "
            f"{registration_refused(ctx)}"
        )
        return
    _timing(ctx, report, known, wrong, existing, unknown)


def _someone_else(ctx: ScanContext) -> str | None:
    """A username the API showed that is not one of the auth file's users."""
    ours = {i.user.username for i in ctx.identities} | {i.name for i in ctx.identities}
    for name in ("username", "user_name", "login", "email"):
        for value in ctx.harvest.field(name):
            if isinstance(value, str) and value not in ours:
                return value
    return None


def _timing(ctx: ScanContext, report: Reporter, known: str, wrong: str, existing: Exchange, unknown: Exchange) -> None:  # noqa: PLR0913  the known username, the wrong password and the two reference exchanges
    known_times: list[float] = []
    unknown_times: list[float] = []
    shown: dict[str, Exchange] = {}
    for pair in range(PAIRS):
        order = [True, False]
        random.shuffle(order)
        for is_known in order:
            name = known if is_known else unique_text("nouser")
            exchange = login_attempt(ctx, name, wrong, retry_429=False)
            if exchange.status == 429 or exchange.status is None or exchange.ok:
                return  # throttled or broken: no clean series
            (known_times if is_known else unknown_times).append(exchange.elapsed)
            shown.setdefault("known" if is_known else "unknown", exchange)
        gap = abs(statistics.median(known_times) - statistics.median(unknown_times))
        if pair + 1 == EARLY_PAIRS and gap < MIN_TIMING_GAP / 2:
            return  # no sign of a difference: stop early
    slow, fast = (
        (known_times, unknown_times)
        if statistics.median(known_times) > statistics.median(unknown_times)
        else (unknown_times, known_times)
    )
    gap = statistics.median(slow) - statistics.median(fast)
    p = mann_whitney_p(slow, fast)
    if gap >= MIN_TIMING_GAP and p < MAX_P:
        report.finding(
            "login",
            f"Failed logins take {statistics.median(known_times) * 1000:.0f} ms for an existing account and "
            f"{statistics.median(unknown_times) * 1000:.0f} ms for an unknown one (medians of {len(known_times)} "
            f"interleaved pairs; Mann-Whitney p = {p:.1e}).",
            [
                (shown.get("known", existing), "existing account, wrong password"),
                (shown.get("unknown", unknown), "unknown account"),
            ],
            confidence=Confidence.FIRM,
        )
