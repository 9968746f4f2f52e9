"""Transport: CORS that lets other web pages read the API with the user's credentials.

Origins tried: an arbitrary one, `null`, and look-alikes of the origins the API is likely to trust (the
one it names in Access-Control-Allow-Origin, the spec's servers, the target itself, and their parent
domain): the trusted name with an attacker prefix (`https://attackerexample.com`) or suffix
(`https://example.com.attacker.net`), and the trusted host over another scheme. An origin that comes back
in Access-Control-Allow-Origin is allowed; with Access-Control-Allow-Credentials: true, any such page can
read a logged-in user's data.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from bastion.scan.context import Actor, ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.operations import Operation
from bastion.scan.points import actor_for
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange
from bastion.scan.values import unique_text

INFO = CheckInfo(
    id="transport.cors",
    title="CORS allows untrusted origins",
    severity=Severity.HIGH,
    cwe=942,
    owasp="API8",
    remediation="Allow only an explicit list of trusted origins, compared exactly (no substring or unanchored "
    "regular expression); never reflect the Origin header, never allow `null`, and allow credentials only for "
    "those trusted origins.",
    bastion="cors:\n  origins: [https://app.example.com]\n  credentials: true",
)
MAX_BASES = 3


def trusted_hosts(ctx: ScanContext, seen: Exchange) -> list[tuple[str, str]]:
    """(scheme, host) pairs the API probably trusts, most likely first."""
    out: list[tuple[str, str]] = []
    named = seen.header("access-control-allow-origin")
    urls = [named] if named and named not in ("*", "null") else []
    urls += [*ctx.spec.servers, ctx.target.origin]
    for url in urls:
        parts = urlsplit(url or "")
        if parts.hostname and (parts.scheme, parts.hostname) not in out:
            out.append((parts.scheme or "https", parts.hostname))
            labels = parts.hostname.split(".")
            parent = ".".join(labels[-2:])
            if len(labels) > 2 and not parent.replace(".", "").isdigit() and (parts.scheme, parent) not in out:
                out.append((parts.scheme or "https", parent))
    return out[: MAX_BASES * 2]


def origins(ctx: ScanContext, seen: Exchange) -> list[tuple[str, str]]:
    nonce = unique_text("evil")
    out = [(f"https://{nonce}.example", "an arbitrary origin"), ("null", "the null origin")]
    for scheme, host in trusted_hosts(ctx, seen):
        out.append((f"{scheme}://{nonce}{host}", f"a look-alike of {host} with an attacker prefix"))
        out.append((f"{scheme}://{host}.{nonce}.net", f"a look-alike of {host} with an attacker suffix"))
        other = "http" if scheme == "https" else "https"
        out.append((f"{other}://{host}", f"{host} over {other}"))
    return out


def _request(ctx: ScanContext, op: Operation, actor: Actor, origin: str, preflight: bool) -> Exchange:
    if not preflight:
        return ctx.request(op, actor, headers={"Origin": origin})
    return ctx.request(
        op,
        actor,
        method="OPTIONS",
        body=None,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    op = next((o for o in ctx.spec.operations if o.method == "GET" and not o.path_params), None)
    if op is None:
        op = next((o for o in ctx.spec.operations if o.method == "GET"), None)
    if op is None:
        report.skip("no GET operation to ask")
        return
    actor = actor_for(ctx, op)
    report.tested(op.key)
    seen = ctx.request(op, actor)
    for origin, label in origins(ctx, seen):
        preflights = (False, True) if label in ("an arbitrary origin", "the null origin") else (False,)
        for preflight in preflights:
            exchange = _request(ctx, op, actor, origin, preflight)
            kind = "preflight" if preflight else "request"
            allowed = exchange.header("access-control-allow-origin")
            credentials = (exchange.header("access-control-allow-credentials") or "").lower() == "true"
            if allowed == origin:
                downgrade = " over " in label
                severity = (
                    Severity.HIGH if credentials and not downgrade else Severity.MEDIUM if credentials else Severity.LOW
                )
                report.finding(
                    op.key,
                    f"The API allows {label} ({origin}) in a {kind}"
                    + (
                        " with credentials: a page there can read a logged-in user's data."
                        if credentials
                        else " (without credentials)."
                    ),
                    [(exchange, f"Origin: {origin}")],
                    severity=severity,
                    confidence=Confidence.CERTAIN,
                )
                return
            if allowed == "*" and credentials:
                report.finding(
                    op.key,
                    "The API answers `*` with Access-Control-Allow-Credentials: true.",
                    [(exchange, f"Origin: {origin}")],
                    severity=Severity.MEDIUM,
                    confidence=Confidence.CERTAIN,
                )
                return
