"""Oversharing: undocumented debug, admin and IDE endpoints that answer without credentials.

A bounded list is asked once each, without credentials: the usual framework endpoints (`/debug`,
`/actuator/env`, `/.env`, `/server-status`, `/console`, `/graphiql`, `/swagger.json` ...) and the same
debug and admin words under the API's own prefixes (`/users/v1/_debug` for an API under `/users/v1`).
An answer counts only when it is 2xx, unlike the answer to a sibling path that cannot exist (SPA
fallbacks, catch-all routes), and shows something that should not be public: secrets or password
hashes, an environment dump, a stack trace or debug page, a server-status or actuator page, a git
config, or an in-browser IDE. A plain page at an undocumented path is not reported.
"""

from __future__ import annotations

import re

from bastion.scan import signatures
from bastion.scan.checks.exposure_sensitive_data import CRITICAL_NAME, leaves
from bastion.scan.compare import similar
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange
from bastion.scan.values import unique_text

INFO = CheckInfo(
    id="exposure.debug-endpoint",
    title="Unauthenticated debug, admin or IDE endpoint",
    severity=Severity.HIGH,
    cwe=489,
    owasp="API9",
    remediation="Remove debug endpoints and in-browser IDEs from production builds; put admin and internal "
    "endpoints behind authentication and keep the API inventory (the spec) complete.",
    bastion="openapi: openapi.yaml    # deny by default: paths the spec does not declare get 404",
)
FIXED = [
    "/debug",
    "/_debug",
    "/__debug__/",
    "/debug/vars",
    "/debug/pprof/",
    "/admin",
    "/console",
    "/actuator",
    "/actuator/env",
    "/actuator/heapdump",
    "/actuator/configprops",
    "/.env",
    "/.git/config",
    "/server-status",
    "/server-info",
    "/phpinfo.php",
    "/env",
    "/config",
    "/config.json",
    "/metrics",
    "/trace",
    "/graphiql",
    "/playground",
    "/graphql/playground",
    "/altair",
    "/swagger.json",
    "/swagger-ui.html",
    "/api-docs",
    "/v3/api-docs",
    "/h2-console",
]
WORDS = ["_debug", "debug", "admin", "internal", "config", "env"]
RESOURCE_WORDS = ["debug", "_debug", "internal", "admin"]  # /api/debug/users for an API with /api/users
MAX_CANDIDATES = 150
IDE = re.compile(r"(?i)graphiql|graphql playground|graphql-playground|altair graphql|apollo sandbox|graphql voyager")
ENV_LINE = re.compile(r"(?m)^[A-Z][A-Z0-9_]{2,}=\S")
PAGES = {
    "an Apache server-status page": re.compile(r"Apache Server (?:Status|Information) for"),
    "a phpinfo() page": re.compile(r"phpinfo\(\)|PHP Version \d"),
    "a git config": re.compile(r"\[core\][\s\S]{0,200}repositoryformatversion"),
    "Spring actuator data": re.compile(r'"propertySources"|"activeProfiles"|"_links"\s*:\s*\{\s*"self"[^}]*actuator'),
    "Prometheus metrics": re.compile(r"(?m)^# HELP \w+ .*\n# TYPE \w+ "),
}


def candidates(ctx: ScanContext) -> list[str]:
    prefixes: list[str] = []
    for op in ctx.spec.operations:
        static = []
        for segment in [s for s in op.path.split("/") if s]:
            if segment.startswith("{"):
                break
            static.append(segment)
            prefix = "/" + "/".join(static)
            if prefix not in prefixes:
                prefixes.append(prefix)
    documented = {op.path for op in ctx.spec.operations}
    tops = sorted({p for p in prefixes if p.count("/") == 1 and any(q.startswith(p + "/") for q in prefixes)})
    resources = sorted({op.resource + "s" for op in ctx.spec.operations if op.resource})[:10]
    by_resource = [f"{top}/{word}/{resource}" for top in tops for word in RESOURCE_WORDS for resource in resources]
    out: list[str] = []
    for path in [*FIXED, *(f"{prefix}/{word}" for prefix in prefixes for word in WORDS), *by_resource]:
        if path not in documented and path not in out:
            out.append(path)
    return out[:MAX_CANDIDATES]


def exposed(ctx: ScanContext, exchange: Exchange) -> tuple[str, Severity] | None:
    """What the answer shows that should not be public, and how bad it is."""
    secrets = sorted({k for k, v in leaves(exchange.json) if isinstance(v, str) and v and CRITICAL_NAME.search(k)})
    if secrets:
        return f"exposing {', '.join(secrets[:5])}", Severity.HIGH
    text = exchange.text
    if len(ENV_LINE.findall(text[:20_000])) >= 3:
        return "exposing an environment dump", Severity.HIGH
    trace = signatures.stack_trace(text)
    if trace is not None:
        return f"showing a {trace[0]}", Severity.MEDIUM
    for what, pattern in PAGES.items():
        if pattern.search(text[:50_000]):
            return f"showing {what}", Severity.LOW if "Prometheus" in what else Severity.MEDIUM
    if ctx.options.graphql is None and IDE.search(text[:50_000]) and "<html" in text[:2000].lower():
        return "serving an in-browser GraphQL IDE", Severity.MEDIUM
    return None


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    report.tested("inventory")
    fallbacks: dict[str, Exchange] = {}
    for path in candidates(ctx):
        prefix = path.rsplit("/", 1)[0]
        exchange = ctx.target.send("GET", path, operation=path)
        if not exchange.ok or not exchange.body:
            continue
        if prefix not in fallbacks:
            fallbacks[prefix] = ctx.target.send("GET", f"{prefix}/{unique_text('nothing')}", operation=prefix + "/*")
        if similar(exchange, fallbacks[prefix], threshold=0.9):
            continue
        found = exposed(ctx, exchange)
        if found is None:
            continue
        what, severity = found
        report.finding(
            path,
            f"GET {path} is not in the spec and answered {exchange.status} without credentials, {what}.",
            [(exchange, "no credentials sent")],
            severity=severity,
            confidence=Confidence.CERTAIN if severity >= Severity.HIGH else Confidence.FIRM,
        )
