"""Shared by the JWT forgery checks: send a forged token in place of a user's and judge the answer."""

from __future__ import annotations

from bastion.scan import tokens
from bastion.scan.compare import similar
from bastion.scan.context import ScanContext
from bastion.scan.findings import Confidence
from bastion.scan.reporter import Reporter
from bastion.scan.sessions import Session, sessions
from bastion.scan.target import Exchange


def jwt_sessions(ctx: ScanContext, report: Reporter) -> list[tuple[Session, tokens.ParsedToken]]:
    """Every session whose token is a JWT; a skip reason when there is none."""
    found = sessions(ctx)
    if not found:
        report.skip(
            "no request accepts a test user's token and refuses it without (a secured REST GET, or a GraphQL field "
            "answered with the token in a header or an argument)"
        )
        return []
    out = [(session, parsed) for session in found if (parsed := tokens.parse(session.token)) is not None]
    if not out:
        report.skip("the test users' credentials are not JSON Web Tokens")
    for session, _ in out:
        report.tested(session.where)
    return out


def try_forged(ctx: ScanContext, report: Reporter, session: Session, forged: str, description: str) -> Exchange | None:
    """Report and return the answer when the API accepts `forged` like the genuine token."""
    ctx.masker.public(forged)
    exchange = session.send(forged)
    if exchange.ok and similar(exchange, session.accepted) and not similar(exchange, session.refused):
        report.finding(
            session.where,
            f"{session.description} accepted {description}: anyone can mint tokens for any subject.",
            [(exchange, description), (session.refused, "the same request without a valid token")],
            confidence=Confidence.CERTAIN,
        )
        return exchange
    return None
