"""Resource consumption: sensitive operations (login, registration, password and token flows) that a
bounded burst can hammer without drawing a 429 or any rate-limit header."""

from __future__ import annotations

from bastion.scan.accounts import login_attempt
from bastion.scan.context import ScanContext
from bastion.scan.discover import is_credential_flow
from bastion.scan.findings import CheckInfo, Confidence, Phase, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange
from bastion.scan.values import unique_text

INFO = CheckInfo(
    id="resource.no-rate-limit",
    title="No rate limiting on a sensitive operation",
    severity=Severity.MEDIUM,
    cwe=770,
    owasp="API4",
    phase=Phase.STATEFUL,
    remediation="Rate-limit sensitive operations per client (and per account where one is named), answer 429 "
    "with Retry-After, and advertise the policy with RateLimit headers.",
    bastion="ratelimit:\n  limits:\n    - {id: login, operations: [login], key: [ip], rate: 10/min, burst: 10}",
)
BURST = 30
LIMIT_HEADERS = (
    "retry-after",
    "ratelimit",
    "ratelimit-policy",
    "ratelimit-remaining",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-rate-limit-limit",
)


def limited(exchange: Exchange) -> bool:
    return exchange.status in (429, 503) or any(exchange.header(h) is not None for h in LIMIT_HEADERS)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    login_path = ctx.login.request.path if ctx.login else None
    for op in ctx.spec.operations:
        is_login = op.path == login_path and op.method == (ctx.login.request.method if ctx.login else "")
        if not (is_login or (is_credential_flow(op) and op.method == "POST" and not op.secured)):
            continue
        report.tested(op.key)
        seen: list[Exchange] = []
        for _ in range(BURST):
            if is_login:
                exchange = login_attempt(ctx, unique_text("nouser"), "Bst-wrong-" + unique_text(), retry_429=False)
            else:
                exchange = ctx.request(op, ctx.anonymous, body={}, retry_429=False)  # invalid: creates nothing
            seen.append(exchange)
            if limited(exchange):
                break
        else:
            if all(e.status in (None, 403) for e in seen):
                continue  # every request refused outright (a ban, a firewall): the operation was never reached
            report.finding(
                op.key,
                f"{BURST} requests to {op.method} {op.path} in {sum(e.elapsed for e in seen):.1f} s of server time "
                "drew no 429 and no RateLimit or Retry-After header.",
                [(seen[0], "first request of the burst"), (seen[-1], f"request {BURST}: same answer")],
                confidence=Confidence.FIRM,
            )
