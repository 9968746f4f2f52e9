"""The decision the ext-authz benchmarks measure: a JWT (RS256), a role rule and the WAF on a GET."""

from __future__ import annotations

import time
from pathlib import Path

from joserfc import jwt
from joserfc.jwk import RSAKey

KEY = RSAKey.generate_key(2048, private=True)


def token(sub: str = "42") -> str:
    now = int(time.time())
    claims = {"iss": "https://id.bench", "aud": "api", "sub": sub, "roles": ["reader"], "iat": now, "exp": now + 3600}
    return jwt.encode({"alg": "RS256"}, claims, KEY)


def policy_text(directory: Path, port: int | str = 0) -> str:
    pem = directory / "idp.pem"
    pem.write_bytes(KEY.as_pem(private=False))
    return f"""
mode: ext-authz
listen: {{host: 127.0.0.1, port: {port}, trusted_proxies: [127.0.0.1/32]}}
routes:
  - {{path: "/items/{{item_id}}", methods: [GET], operation: getItem}}
store: {{path: {directory / "bastion.db"}}}
authn:
  methods:
    - jwt: {{issuer: "https://id.bench", audience: api, algorithms: [RS256], keys: ["{pem}"],
            claims: {{roles: roles}}}}
authz:
  rules: [{{allow: [getItem], roles: [reader]}}]
waf: {{mode: enforce}}
log: {{level: warning}}
"""
