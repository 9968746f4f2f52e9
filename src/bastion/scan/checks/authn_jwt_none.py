"""Authentication: JWTs with `alg: none` (no signature at all) accepted."""

from __future__ import annotations

from bastion.scan import tokens
from bastion.scan.checks._forgery import jwt_sessions, try_forged
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.sessions import Session

INFO = CheckInfo(
    id="authn.jwt-alg-none",
    title='JWT with alg "none" accepted',
    severity=Severity.CRITICAL,
    cwe=347,
    owasp="API2",
    needs_users=1,
    remediation="Verify tokens with an explicit allow-list of algorithms per issuer; never accept `none`.",
    bastion="authn:\n  methods:\n    - jwt: {issuer: ..., algorithms: [RS256]}   # alg none is always refused",
)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for session, parsed in jwt_sessions(ctx, report):
        _attack(ctx, report, session, parsed)


def _attack(ctx: ScanContext, report: Reporter, session: Session, parsed: tokens.ParsedToken) -> None:
    for alg in ("none", "None", "NONE", "nOnE"):
        header = {**parsed.header, "alg": alg}
        if try_forged(ctx, report, session, tokens.encode(header, parsed.claims), f'a token with "alg": "{alg}"'):
            return
