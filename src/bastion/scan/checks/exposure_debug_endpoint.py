"""Oversharing: undocumented debug, admin and internal endpoints that answer without credentials.

Candidates are the usual framework endpoints plus names derived from the API itself: its path prefixes
combined with debug words and its own resource names (`/api/debug/users` for an API with `/api/users`).
A candidate counts only if it answers 2xx without credentials, is not in the spec, and does not look
like the API's answer to a path that cannot exist (SPA fallbacks and catch-all routes).
"""

from __future__ import annotations

from bastion.scan.checks.exposure_sensitive_data import CRITICAL_NAME, leaves
from bastion.scan.compare import similar
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.values import unique_text

INFO = CheckInfo(
    id="exposure.debug-endpoint",
    title="Unauthenticated debug or admin endpoint",
    severity=Severity.HIGH,
    cwe=489,
    owasp="API9",
    remediation="Remove debug endpoints from production builds; put admin and internal endpoints behind "
    "authentication and keep the API inventory (the spec) complete.",
    bastion="openapi: openapi.yaml    # deny by default: paths the spec does not declare get 404",
)
FIXED = [
    "/debug",
    "/debug/vars",
    "/debug/pprof/",
    "/actuator",
    "/actuator/env",
    "/actuator/heapdump",
    "/.env",
    "/.git/config",
    "/server-status",
    "/console",
    "/admin",
    "/phpinfo.php",
    "/trace",
    "/metrics",
    "/env",
    "/config",
    "/api/swagger.json",
    "/_debug",
    "/__debug__/",
]
WORDS = ["debug", "_debug", "internal", "dev", "test", "admin", "dump", "config", "env", "status"]


def candidates(ctx: ScanContext) -> list[str]:
    prefixes = {""}
    resources: set[str] = set()
    for op in ctx.spec.operations:
        static = op.static_segments
        if static:
            prefixes.add("/" + static[0] if len(static) > 1 else "")
        if op.resource:
            resources.add(op.resource + "s")
    out = list(FIXED)
    for prefix in sorted(prefixes):
        for word in WORDS:
            out.append(f"{prefix}/{word}")
            out.extend(f"{prefix}/{word}/{resource}" for resource in sorted(resources))
    documented = {op.path for op in ctx.spec.operations}
    seen: list[str] = []
    for path in out:
        if path not in documented and path not in seen:
            seen.append(path)
    return seen[:300]


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    report.tested("inventory")
    fallbacks = {}
    for path in candidates(ctx):
        prefix = path.rsplit("/", 1)[0]
        if prefix not in fallbacks:
            fallbacks[prefix] = ctx.target.send("GET", f"{prefix}/{unique_text('nothing')}", operation=prefix + "/*")
        exchange = ctx.target.send("GET", path, operation=path)
        if not exchange.ok or not exchange.body or similar(exchange, fallbacks[prefix], threshold=0.9):
            continue
        secrets = sorted({k for k, v in leaves(exchange.json) if isinstance(v, str) and CRITICAL_NAME.search(k)})
        env_like = b"=" in exchange.body[:2000] and path.endswith(("env", ".env", "config"))
        report.finding(
            path,
            f"GET {path} is not in the spec and answered {exchange.status} without credentials"
            + (f", exposing {', '.join(secrets)}." if secrets else "."),
            [(exchange, "no credentials sent")],
            severity=Severity.HIGH if secrets or env_like else Severity.MEDIUM,
            confidence=Confidence.CERTAIN if secrets else Confidence.FIRM,
        )
