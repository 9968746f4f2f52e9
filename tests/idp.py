"""A small identity provider for the tests: a JWKS endpoint and an RFC 7662 introspection endpoint."""

from __future__ import annotations

import asyncio
import base64
import time
from typing import Any
from urllib.parse import parse_qs

from joserfc import jwt
from joserfc.jwk import ECKey, OctKey, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

ISSUER = "https://id.test/"
AUDIENCE = "orders-api"


class IdentityProvider:
    def __init__(self) -> None:
        self.rsa = RSAKey.generate_key(2048, parameters={"kid": "rsa-1"}, private=True)
        self.ec = ECKey.generate_key("P-256", parameters={"kid": "ec-1"}, private=True)
        self.published: list[Any] = [self.rsa, self.ec]
        self.jwks_hits = 0
        self.introspection_hits = 0
        self.active_tokens: dict[str, dict[str, Any]] = {}
        self.client_id, self.client_secret = "bastion", "introspection-secret"
        self.introspection_delay = 0.0
        self.introspection_broken = False

    # -- tokens ------------------------------------------------------------------------------------
    def claims(self, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "sub": "user-42",
            "exp": now + 600,
            "iat": now,
            "scope": "orders:read orders:write",
            "realm_access": {"roles": ["user"]},
            "jti": f"j{now}{id(overrides)}",
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def token(self, key: Any = None, alg: str = "RS256", header: dict[str, Any] | None = None, **claims: Any) -> str:
        key = key or self.rsa
        head = {"alg": alg, "typ": "JWT"}
        if key is not None and key.kid and alg != "HS256":
            head["kid"] = key.kid
        head.update(header or {})
        return jwt.encode(head, self.claims(**claims), key, algorithms=[alg])

    # -- the app -----------------------------------------------------------------------------------
    def app(self) -> Starlette:
        async def jwks(request: Request) -> Response:
            self.jwks_hits += 1
            return JSONResponse({"keys": [k.as_dict(private=False) for k in self.published]})

        async def introspect(request: Request) -> Response:
            self.introspection_hits += 1
            if self.introspection_delay:
                await asyncio.sleep(self.introspection_delay)
            if self.introspection_broken:
                return Response("boom", status_code=500)
            expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
            if request.headers.get("authorization") != f"Basic {expected}":
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            form = parse_qs((await request.body()).decode())
            claims = self.active_tokens.get(form.get("token", [""])[0])
            if claims is None:
                return JSONResponse({"active": False})
            return JSONResponse({"active": True, **claims})

        return Starlette(routes=[Route("/jwks.json", jwks), Route("/introspect", introspect, methods=["POST"])])


def hs_key(secret: str) -> OctKey:
    return OctKey.import_key(secret.encode())
