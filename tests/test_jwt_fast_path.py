"""The HS* fast path must agree with joserfc on every token: valid, tampered or malformed."""

from __future__ import annotations

import asyncio
import base64
import random
import time

import pytest
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from joserfc.jws import deserialize_compact

from bastion.config.authn import JWTMethod
from bastion.guards.authn.jwt import JWTAuthenticator, _verify_hmac
from bastion.guards.authn.keyset import SharedSecret
from bastion.revocations import token_hash

SECRET = OctKey.import_key(b"fast-path-secret-0123456789abcdefghij")
OTHER = OctKey.import_key(b"another-secret-0123456789abcdefghijkl")


def _joserfc(token: str, key: OctKey, alg: str) -> bytes | None:
    try:
        return deserialize_compact(token, key, algorithms=[alg]).payload
    except (JoseError, ValueError, TypeError):
        return None


def _mutations(token: str, rng: random.Random) -> list[str]:
    header, payload, signature = token.split(".")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    out = [
        token,
        f"{header}.{payload}.",
        f"{header}.{payload}.{signature[:-1]}",
        f"{header}.{payload}.{signature}A",
        f"{header}.{payload}x.{signature}",
        f"{header}.{payload}.{signature}==",
        f"{header}.{payload}.{signature.replace('-', '+').replace('_', '/')}",
        f"{header}..{signature}",
        f"{header}.{base64.urlsafe_b64encode(b'{}').decode().rstrip('=')}.{signature}",
    ]
    for _ in range(20):
        position = rng.randrange(len(token))
        if token[position] != ".":
            out.append(token[:position] + rng.choice(alphabet) + token[position + 1 :])
    return out


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_fast_path_agrees_with_joserfc(alg: str) -> None:
    rng = random.Random(7)
    now = int(time.time())
    for i in range(30):
        claims = {"sub": f"user-{i}", "exp": now + i, "n": "x" * rng.randrange(50)}
        token = jwt.encode({"alg": alg}, claims, SECRET, algorithms=[alg])
        for candidate in _mutations(token, rng):
            for key in (SECRET, OTHER):
                ours = _verify_hmac(candidate, SharedSecret(key.raw_value), alg)
                assert ours == _joserfc(candidate, key, alg), candidate


def test_identity_key_id_is_the_token_hash() -> None:
    secret = "key-id-secret-0123456789abcdefghijklmn"
    verifier = JWTAuthenticator(JWTMethod(issuer="i", algorithms=["HS256"], secret=secret), sole_jwt_method=True)
    token = jwt.encode(
        {"alg": "HS256"}, {"iss": "i", "sub": "s", "exp": int(time.time()) + 60}, OctKey.import_key(secret.encode())
    )
    identity = asyncio.run(verifier.verify(token))
    assert identity.key_id == token_hash(token)
