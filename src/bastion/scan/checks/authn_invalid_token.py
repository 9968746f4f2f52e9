"""Authentication: invalid, expired or malformed credentials accepted."""

from __future__ import annotations

import time

import orjson

from bastion.scan import tokens
from bastion.scan.compare import similar
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.sessions import sessions

INFO = CheckInfo(
    id="authn.invalid-token",
    title="Invalid, expired or malformed credential accepted",
    severity=Severity.CRITICAL,
    cwe=287,
    owasp="API2",
    needs_users=1,
    remediation="Verify every credential completely: signature, expiry (exp/nbf), issuer and audience for "
    "tokens; the exact stored key for API keys. Refuse anything that does not parse.",
    bastion="authn:\n  methods:\n    - jwt: {issuer: ..., audience: ..., algorithms: [RS256], clock_skew: 60}",
)


def variants(token: str, secret: str | None, expired: str | None = None) -> list[tuple[str, str]]:
    """(description, credential) pairs that a correct verifier must all refuse."""
    out = [
        ("a random string", "bst" + "x" * 40),
        (
            "the real credential with its last characters changed",
            token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB"),
        ),
    ]
    if expired:
        out.append(("the user's expired token (from the auth file)", expired))
    parsed = tokens.parse(token)
    if parsed is not None:
        header_b64, _, signature_b64 = token.split(".")
        out.append(("three dot-separated segments that are not base64url", "a.b.c"))
        claims = dict(parsed.claims)
        if "sub" in claims:
            claims["sub"] = str(claims["sub"]) + "0"
        else:
            claims["bst"] = 1
        out.append(
            (
                "a token whose claims were changed without re-signing",
                f"{header_b64}.{tokens.b64(orjson.dumps(claims))}.{signature_b64}",
            )
        )
        if secret is not None:
            stale = dict(parsed.claims, exp=int(time.time()) - 3600, iat=int(time.time()) - 7200)
            out.append(
                (
                    "a correctly signed token that expired an hour ago",
                    tokens.sign_hmac(parsed.header, stale, secret.encode()),
                )
            )
    return out


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    found = sessions(ctx)
    if not found:
        report.skip("no request accepts a test user's token and refuses it without")
        return
    for session in found:
        report.tested(session.where)
        expired = session.identity.user.expired_token
        for description, credential in variants(session.token, ctx.facts.get("jwt_secret"), expired):
            ctx.masker.public(credential)
            exchange = session.send(credential)
            if exchange.ok and similar(exchange, session.accepted) and not similar(exchange, session.refused):
                report.finding(
                    session.where,
                    f"{session.description} accepted {description} (status {exchange.status}), answering like the "
                    f"genuine token, where a request without one gets {session.refused.status}.",
                    [(exchange, description), (session.refused, "the same request without a valid token")],
                    confidence=Confidence.CERTAIN,
                )
                break
