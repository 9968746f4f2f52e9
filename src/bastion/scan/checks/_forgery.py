"""Shared by the JWT forgery checks: send a forged token in place of a user's and judge the answer."""

from __future__ import annotations

from bastion.scan import tokens
from bastion.scan.accounts import Session, session
from bastion.scan.compare import similar
from bastion.scan.context import ScanContext
from bastion.scan.findings import Confidence
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange


def jwt_session(ctx: ScanContext, report: Reporter) -> tuple[Session, tokens.ParsedToken] | None:
    found = session(ctx)
    if found is None:
        report.skip("no protected GET operation that refuses anonymous requests and accepts a test user")
        return None
    parsed = tokens.parse(found.identity.token or "")
    if parsed is None:
        report.skip("the test users' credentials are not JSON Web Tokens")
        return None
    report.tested(found.op.key)
    return found, parsed


def try_forged(ctx: ScanContext, report: Reporter, found: Session, forged: str, description: str) -> Exchange | None:
    """Report and return the answer when the API accepts `forged` like the genuine token."""
    ctx.masker.public(forged)
    exchange = ctx.request(found.op, ctx.anonymous, headers=found.header_with(ctx, forged))
    if exchange.ok and similar(exchange, found.accepted):
        report.finding(
            found.op.key,
            f"{found.op.method} {found.op.path} accepted {description}: anyone can mint tokens for any subject.",
            [(exchange, description), (found.refused, "the same request without credentials")],
            confidence=Confidence.CERTAIN,
        )
        return exchange
    return None
