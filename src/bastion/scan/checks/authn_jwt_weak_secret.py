"""Authentication: an HS* JWT secret guessed offline, proven by a forged token the API accepts.

First a list of common secrets and words from the API's own title and host; then whole key spaces
(every number of up to 8 digits, short lowercase words) on every core, for at most 10 s
(scan/crack.py). No request is sent while cracking; one forged token (fresh `iat`/`exp`,
signed with the secret found) is then sent where the user's token is accepted, and only its acceptance
makes a finding.
"""

from __future__ import annotations

import re
import time

from bastion.scan import tokens
from bastion.scan.checks._forgery import jwt_sessions, try_forged
from bastion.scan.context import ScanContext
from bastion.scan.crack import crack_spaces, summary
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
CRACK_SECONDS = 10.0


def candidates(ctx: ScanContext) -> list[str]:
    """The built-in list, plus words from the API's own title and host (teams name secrets after apps)."""
    words = tokens.common_secrets()
    title = str((ctx.spec.data.get("info") or {}).get("title", ""))
    parts = [p.lower() for p in re.findall(r"[A-Za-z0-9]+", title) + ctx.target.host.split(".") if len(p) > 2]
    for joined in {"".join(parts), "-".join(parts), "_".join(parts), *parts}:
        words += [joined, f"{joined}-secret", f"{joined}_secret", f"{joined}secret", f"{joined}-jwt", f"{joined}123"]
    return words


def crack(ctx: ScanContext, token: str) -> tuple[str | None, str]:
    """(the secret, how it was found or how far the search went), once per token."""
    cache: dict[str, tuple[str | None, str]] = ctx.facts.setdefault("cracked", {})
    if token in cache:
        return cache[token]
    words = candidates(ctx)
    secret = tokens.crack(token, words)
    if secret is not None:
        result: tuple[str | None, str] = (secret, f"an entry of a list of {len(words)} common secrets")
    else:
        parsed = tokens.parse(token)
        assert parsed is not None
        left = ctx.target.time_left()
        budget = min(CRACK_SECONDS, ctx.options.crack_time, max(0.0, left - 5.0) if left is not None else CRACK_SECONDS)
        found = crack_spaces(parsed.signing_input, parsed.signature, parsed.alg, budget)
        how = (
            f"{found.tried:,} keys in {found.seconds:.1f} s ({summary(found.covered)}, "
            f"after {len(words)} common secrets)"
        )
        result = (found.secret, how)
    cache[token] = result
    return result


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    hmac_sessions = [(s, p) for s, p in jwt_sessions(ctx, report) if p.alg in tokens.HMAC_HASHES]
    if not hmac_sessions:
        if not ctx.findings.notes.get(INFO.id):
            report.skip("the tokens are not HMAC-signed (HS256/384/512)")
        return
    for session, parsed in hmac_sessions:
        secret, how = crack(ctx, session.token)
        if secret is None:
            continue
        ctx.facts["jwt_secret"] = secret
        # Not added to the masker: a dictionary word would be masked in every text of the report. The secret
        # itself never appears; the forged token's signature is masked like every JWT's.
        now = int(time.time())
        claims = {**parsed.claims, "iat": now, "exp": now + 600}
        if "jti" in claims:
            claims["jti"] = f"bst-{now}"
        forged = tokens.sign_hmac(parsed.header, claims, secret.encode())
        description = (
            f"a token forged with the HMAC secret cracked offline ({how}): {len(secret)} characters, "
            f"starting with {secret[0]!r}"
        )
        try_forged(ctx, report, session, forged, description)
