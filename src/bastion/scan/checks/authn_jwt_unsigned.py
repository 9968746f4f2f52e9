"""Authentication: JWTs whose signature was removed or replaced, still accepted."""

from __future__ import annotations

from bastion.scan import tokens
from bastion.scan.checks._forgery import jwt_sessions, try_forged
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.sessions import Session

INFO = CheckInfo(
    id="authn.jwt-signature-not-verified",
    title="JWT accepted without a valid signature",
    severity=Severity.CRITICAL,
    cwe=347,
    owasp="API2",
    needs_users=1,
    remediation="Verify the signature of every token before reading its claims (decode-without-verify is for "
    "debugging only).",
    bastion="authn:\n  methods:\n    - jwt: {issuer: ..., algorithms: [RS256], jwks_url: ...}",
)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for session, parsed in jwt_sessions(ctx, report):
        _attack(ctx, report, session, parsed)


def _attack(ctx: ScanContext, report: Reporter, session: Session, parsed: tokens.ParsedToken) -> None:
    claims = dict(parsed.claims)
    attempts = [
        (tokens.encode(parsed.header, claims), "the token with its signature stripped"),
        (
            tokens.encode(parsed.header, claims, b"\x00" * max(16, len(parsed.signature))),
            "a token with a zeroed signature",
        ),
    ]
    for forged, description in attempts:
        if try_forged(ctx, report, session, forged, description):
            return
