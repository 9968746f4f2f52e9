"""Authentication: an HS* JWT secret found in a list of common secrets, proven by a forged token."""

from __future__ import annotations

import re
import time

from bastion.scan import tokens
from bastion.scan.checks._forgery import jwt_session, try_forged
from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="authn.jwt-weak-secret",
    title="JWT HMAC secret is guessable",
    severity=Severity.CRITICAL,
    cwe=521,
    owasp="API2",
    needs_users=1,
    remediation="Sign with a random secret of at least 32 bytes (or an asymmetric key) kept out of the code; "
    "rotate it now, since every token ever issued can be forged.",
    bastion='authn:\n  methods:\n    - jwt: {issuer: ..., algorithms: [HS256], secret: "${JWT_SECRET}"}   '
    "# 32+ bytes, refused otherwise",
)


def candidates(ctx: ScanContext) -> list[str]:
    """The built-in list, plus words from the API's own title and host (teams name secrets after apps)."""
    words = tokens.common_secrets()
    title = str((ctx.spec.data.get("info") or {}).get("title", ""))
    parts = [p.lower() for p in re.findall(r"[A-Za-z0-9]+", title) + ctx.target.host.split(".") if len(p) > 2]
    for joined in {"".join(parts), "-".join(parts), "_".join(parts), *parts}:
        words += [joined, f"{joined}-secret", f"{joined}_secret", f"{joined}secret", f"{joined}-jwt", f"{joined}123"]
    return words


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    found = jwt_session(ctx, report)
    if found is None:
        return
    session, parsed = found
    if parsed.alg not in tokens.HMAC_HASHES:
        report.skip(f"the tokens are {parsed.alg or 'unsigned'}, not HMAC-signed")
        return
    secret = tokens.crack(session.identity.token or "", candidates(ctx))
    if secret is None:
        return
    ctx.facts["jwt_secret"] = secret
    # Not added to the masker: a dictionary word would be masked in every text of the report. The secret
    # itself never appears; the forged token's signature is masked like every JWT's.
    now = int(time.time())
    claims = {**parsed.claims, "iat": now, "exp": now + 600}
    if "jti" in claims:
        claims["jti"] = f"bst-{now}"
    forged = tokens.sign_hmac(parsed.header, claims, secret.encode())
    description = (
        f"a token forged with the HMAC secret cracked offline: a {len(secret)}-character entry of the list of "
        f"{len(candidates(ctx))} common secrets, starting with {secret[0]!r}"
    )
    try_forged(ctx, report, session, forged, description)
