"""Authentication: login answers that tell an unknown user from a wrong password (body, status or time)."""

from __future__ import annotations

import statistics

from bastion.scan.accounts import login_attempt, throwaway
from bastion.scan.compare import similar
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
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
TIMING_SAMPLES = 6
MIN_TIMING_GAP = 0.025


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    if ctx.login is None:
        report.skip("the auth file has no login request")
        return
    account = throwaway(ctx)
    known = account.username if account else next((i.user.username for i in ctx.identities if i.user.username), None)
    if known is None:
        report.skip("no known account to compare with (no registration operation, no user with a username)")
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
        return  # timing needs repeated wrong passwords: only ever against our own throwaway account
    known_times, unknown_times = [], []
    for _ in range(TIMING_SAMPLES):
        known_times.append(login_attempt(ctx, known, wrong).elapsed)
        unknown_times.append(login_attempt(ctx, unique_text("nouser"), wrong).elapsed)
    slow, fast = (
        (known_times, unknown_times)
        if statistics.median(known_times) > statistics.median(unknown_times)
        else (unknown_times, known_times)
    )
    gap = statistics.median(slow) - statistics.median(fast)
    # Every slow sample above every fast one has probability 1/C(12,6) < 0.1% by chance.
    if min(slow) > max(fast) and gap >= MIN_TIMING_GAP:
        report.finding(
            operation,
            f"Failed logins take {statistics.median(known_times) * 1000:.0f} ms for an existing account and "
            f"{statistics.median(unknown_times) * 1000:.0f} ms for an unknown one (medians of {TIMING_SAMPLES}; "
            "no overlap).",
            [(existing, "existing account, wrong password"), (unknown, "unknown account")],
            confidence=Confidence.FIRM,
        )
