"""Server-side request forgery: the API fetches a URL the client names, shown by a call-back.

Fields that are URL-typed (`format: uri`) or URL-named (`url`, `*_url`, `callback`, `webhook`, `import`,
`source`, `avatar` ...), in REST parameters and bodies and in GraphQL arguments, get a URL of the scanner's
own canary (scan/canary.py) with a fresh token; so do GraphQL fields that take a host and a port
(`importPaste(host:, port:, path:, scheme:)`). A request for that token arriving at the canary is the
proof, whatever the API answered. Requests that reach the canary late (a queue, a background job) are
waited for, two seconds at most, after the last probe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graphql import get_named_type

from bastion.scan import graphql
from bastion.scan.canary import Canary
from bastion.scan.context import Actor, ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.graphql_points import DESTRUCTIVE
from bastion.scan.points import AnyPoint, all_points
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange

INFO = CheckInfo(
    id="injection.ssrf",
    title="Server-side request forgery: the API fetches a URL the client chooses",
    severity=Severity.HIGH,
    cwe=918,
    owasp="API7",
    remediation="Never fetch a URL taken from a request as is: allow-list schemes, hosts and ports, resolve the "
    "host and refuse private, loopback and link-local addresses, do not follow redirects, and fetch "
    "from a network segment that reaches nothing internal.",
    bastion="waf:\n  mode: enforce      # ssrf rules: private, loopback, metadata and encoded-IP hosts in URLs",
)
URLISH = re.compile(
    r"(?i)(^|[_-])(url|uri|link|href|callback|webhook|hook|endpoint|feed|import|source|src|image|img|avatar|icon|"
    r"photo|picture|redirect|remote|fetch|proxy|website|site)$|^(url|uri|callback|webhook|import|source)"
)
HOSTISH = re.compile(r"(?i)^(host|hostname|server|domain|addr|address|ip|target)$")
LATE_WAIT = 2.0


@dataclass
class Probe:
    where: str
    operation: str
    label: str
    exchange: Exchange


def _urlish(point: AnyPoint) -> bool:
    fmt = str(point.schema.get("format", "")).lower()
    last = str(point.name).split(".")[-1]
    return (
        fmt in ("uri", "url", "iri", "uri-reference")
        or bool(URLISH.search(last))
        or (isinstance(point.original, str) and point.original.startswith(("http://", "https://")))
    )


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    canary = ctx.canary()
    if isinstance(canary, str):
        report.skip(canary)
        return
    pending: dict[str, Probe] = {}
    for point in all_points(ctx, strings_only=True):
        if not _urlish(point):
            continue
        report.tested(point.operation)
        path, url = canary.token()
        exchange = point.send(ctx, url)
        pending[path] = Probe(point.where, point.operation, point.label, exchange)
    pending.update(_host_and_port(ctx, report, canary))
    if not pending:
        report.skip("no URL-typed or URL-named field to try")
        return
    waited = 0.0
    while any(not canary.hits_for(p) for p in pending) and waited < LATE_WAIT:
        ctx.target.wait(0.1)
        waited += 0.1
    for path, probe in pending.items():
        hits = canary.hits_for(path)
        if not hits:
            continue
        hit = hits[0]
        report.finding(
            probe.operation,
            f"{probe.label} of {probe.where} made the API fetch a URL the scanner chose: the canary at "
            f"{canary.base} received {hit.method} {hit.path} from {hit.client}"
            + (f" (User-Agent {hit.user_agent!r})" if hit.user_agent else "")
            + ".",
            [(probe.exchange, f"the request naming {canary.base}{path}")],
            confidence=Confidence.CERTAIN,
        )


def _host_and_port(ctx: ScanContext, report: Reporter, canary: Canary) -> dict[str, Probe]:
    """GraphQL fields that build the URL from parts: host, port, path and scheme point at the canary."""
    found = graphql.schema(ctx) if ctx.options.graphql else None
    if found is None:
        return {}
    actor: Actor = ctx.users[0] if ctx.users else ctx.anonymous
    out: dict[str, Probe] = {}
    for kind in ("query", "mutation"):
        for field in graphql.root_fields(found, kind):
            if kind == "mutation" and ctx.safe and DESTRUCTIVE.search(field.name):
                continue
            args = field.field.args
            host = next((a for a in args if HOSTISH.match(a)), None)
            port = next((a for a in args if a.lower() == "port"), None)
            if host is None:
                continue
            path, _ = canary.token()
            overrides = {host: graphql.string(canary.host)}
            if port is not None:
                numeric = get_named_type(args[port].type).name == "Int"
                overrides[port] = str(canary.port) if numeric else graphql.string(str(canary.port))
            for name in args:
                if name.lower() in ("path", "uri", "resource"):
                    overrides[name] = graphql.string(path)
                elif name.lower() in ("scheme", "protocol"):
                    overrides[name] = graphql.string("http")
            call = graphql.call(field, overrides)
            if call is None:
                continue
            operation = f"{field.name}({host})"
            report.tested(operation)
            keyword = "mutation" if kind == "mutation" else "query"
            exchange = graphql.send(
                ctx, f"{keyword} BastionSsrf {{ {call}{graphql.selection(field.returns)} }}", actor=actor
            )
            out[path if any(n.lower() in ("path", "uri", "resource") for n in args) else "/"] = Probe(
                f"GraphQL {kind} {field.name}", operation, f"arguments {host!r}/{port!r}", exchange
            )
    return out
