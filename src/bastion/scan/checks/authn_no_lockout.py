"""Authentication: no lockout, throttling or other friction after many failed logins."""

from __future__ import annotations

from bastion.scan.accounts import login_attempt, throwaway
from bastion.scan.auth import LoginFailed
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Phase, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.values import unique_text

INFO = CheckInfo(
    id="authn.no-lockout",
    title="No brute-force protection on login",
    severity=Severity.HIGH,
    cwe=307,
    owasp="API2",
    phase=Phase.STATEFUL,
    remediation="Slow down or refuse repeated failed logins per client and per account (429 with Retry-After), "
    "with growing cool-downs; alert on credential stuffing.",
    bastion="authn:\n  brute_force: {threshold: 10, window: 300, cooldown: [60, 300, 1800]}\nratelimit:\n  limits:\n"
    "    - {id: login, operations: [login], key: [ip], rate: 10/min, burst: 10}",
)
ATTEMPTS = 25
FRICTION_HEADERS = ("retry-after", "ratelimit", "ratelimit-remaining", "x-ratelimit-remaining", "x-ratelimit-limit")


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    if ctx.login is None:
        report.skip("the auth file has no login request")
        return
    account = throwaway(ctx)  # never the auth file's users: the scan must not lock itself out
    username = account.username if account else unique_text("nouser")
    report.tested("login")
    first = None
    for _ in range(ATTEMPTS):
        exchange = login_attempt(ctx, username, "Bst-wrong-" + unique_text(), retry_429=False)
        first = first or exchange
        if exchange.status in (403, 423, 429, 503) or any(exchange.header(h) for h in FRICTION_HEADERS):
            return  # refused, throttled or banned: that is protection (403: the client is blocked)
    assert first is not None
    evidence = [(first, "first failed login"), (exchange, f"failed login number {ATTEMPTS}, same answer")]
    # The proof: a correct login from the same client works at once. With our own account, that shows
    # no account lockout; with a test user (whose password is never sent wrong), no client throttling.
    if account is not None:
        correct = login_attempt(ctx, account.username, account.password, retry_429=False)
        what = "the right password for the attacked account still works at once: no lockout"
    elif ctx.identities and ctx.identities[0].can_log_in:
        user = ctx.identities[0]
        try:
            correct = user.log_in()
        except LoginFailed:
            return  # throttled or blocked: protection
        what = f"{user.name} still logs in at once from the same client: no throttling of the client"
    else:
        return
    if not correct.ok:
        return  # locked or throttled: protection, silent but real
    evidence.append((correct, what))
    report.finding(
        "login",
        f"{ATTEMPTS} failed logins in a row drew no refusal, delay or rate-limit header, and {what}.",
        evidence,
        confidence=Confidence.CERTAIN,
    )
