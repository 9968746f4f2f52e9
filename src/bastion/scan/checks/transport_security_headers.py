"""Transport: security headers missing from API responses (passive).

For a JSON API the set that matters is small: `X-Content-Type-Options: nosniff` (no content sniffing of
JSON into HTML), `Cache-Control: no-store` on authenticated answers (no user data in shared caches), and
a framing/CSP policy so a browser never renders an API answer as a page.
"""

from __future__ import annotations

from bastion.scan.checks._passive import exchanges
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Phase, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="transport.security-headers",
    title="Security headers missing from API responses",
    severity=Severity.LOW,
    cwe=693,
    owasp="API8",
    phase=Phase.PASSIVE,
    remediation="Send X-Content-Type-Options: nosniff, Cache-Control: no-store on authenticated responses, and "
    "Content-Security-Policy: default-src 'none'; frame-ancestors 'none' (or X-Frame-Options: DENY).",
    bastion='responses:\n  security_headers: {nosniff: true, no_store_authenticated: true, csp: "default-src '
    "'none'; frame-ancestors 'none'\", frame_options: DENY}",
)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    report.tested("*")
    missing: dict[str, int] = {}
    example = None
    for _, exchange in exchanges(ctx, report):
        if not exchange.ok or not (exchange.header("content-type") or "").split(";")[0].endswith("json"):
            continue
        absent = []
        if (exchange.header("x-content-type-options") or "").lower() != "nosniff":
            absent.append("X-Content-Type-Options: nosniff")
        authenticated = exchange.request_header("authorization") or exchange.request_header("cookie")
        if authenticated and "no-store" not in (exchange.header("cache-control") or "").lower():
            absent.append("Cache-Control: no-store (authenticated response)")
        csp = (exchange.header("content-security-policy") or "").lower()
        if "frame-ancestors" not in csp and not exchange.header("x-frame-options"):
            absent.append("Content-Security-Policy frame-ancestors / X-Frame-Options")
        for name in absent:
            missing[name] = missing.get(name, 0) + 1
        if absent and example is None:
            example = exchange
    if missing and example is not None:
        report.finding(
            "*",
            "Missing on JSON responses: " + "; ".join(f"{k} ({n} responses)" for k, n in sorted(missing.items())) + ".",
            [(example, "one response without them")],
            confidence=Confidence.CERTAIN,
        )
