"""Authentication cost per request (pytest-benchmark): `make bench-functions`.

"cold" verifies the signature and claims every time (the verified-token cache emptied before each
round); "repeat" is a client sending the same token again, which the cache answers.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from bastion.config.authn import APIKeyMethod, JWTMethod
from bastion.config.secrets import SecretsConfig
from bastion.crypto.keyring import Keyring
from bastion.guards.authn.apikeys import APIKeyAuthenticator, new_key
from bastion.guards.authn.jwt import JWTAuthenticator
from bastion.store.sqlite import SQLiteStore

HS_SECRET = "benchmark-hs256-secret-0123456789abcdef"
ISSUER = "https://id.bench/"


def _claims() -> dict[str, object]:
    now = int(time.time())
    return {
        "iss": ISSUER,
        "aud": "api",
        "sub": "user-1",
        "exp": now + 3600,
        "iat": now,
        "scope": "read write",
        "realm_access": {"roles": ["user"]},
    }


def _run(coro):  # type: ignore[no-untyped-def]
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value
    raise AssertionError("the verification awaited something")


@pytest.fixture(scope="module")
def rs256() -> tuple[JWTAuthenticator, str]:
    key = RSAKey.generate_key(2048, private=True)
    method = JWTMethod(issuer=ISSUER, audience="api", algorithms=["RS256"], keys=[key.as_pem(private=False).decode()])
    return JWTAuthenticator(method, sole_jwt_method=True), jwt.encode({"alg": "RS256"}, _claims(), key)


@pytest.fixture(scope="module")
def hs256() -> tuple[JWTAuthenticator, str]:
    method = JWTMethod(issuer=ISSUER, audience="api", algorithms=["HS256"], secret=HS_SECRET)
    token = jwt.encode({"alg": "HS256"}, _claims(), OctKey.import_key(HS_SECRET.encode()))
    return JWTAuthenticator(method, sole_jwt_method=True), token


def test_jwt_rs256_cold(benchmark, rs256) -> None:  # type: ignore[no-untyped-def]
    verifier, token = rs256

    def verify() -> None:
        verifier.clear_cache()
        _run(verifier.verify(token))

    benchmark(verify)


def test_jwt_hs256_cold(benchmark, hs256) -> None:  # type: ignore[no-untyped-def]
    verifier, token = hs256

    def verify() -> None:
        verifier.clear_cache()
        _run(verifier.verify(token))

    benchmark(verify)


def test_jwt_rs256_repeat(benchmark, rs256) -> None:  # type: ignore[no-untyped-def]
    verifier, token = rs256
    benchmark(lambda: _run(verifier.verify(token)))


def test_jwt_hs256_repeat(benchmark, hs256) -> None:  # type: ignore[no-untyped-def]
    verifier, token = hs256
    benchmark(lambda: _run(verifier.verify(token)))


def test_api_key_check(benchmark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    keyring = Keyring(SecretsConfig(key="benchmark-server-secret-0123456789abcdef"))
    store = SQLiteStore(tmp_path / "keys.db")
    for i in range(1000):
        store.create_key(new_key(keyring, name=f"k{i}", environment="live", roles=("user",))[1])
    key, record = new_key(keyring, name="bench", environment="live", roles=("user",))
    store.create_key(record)
    checker = APIKeyAuthenticator(APIKeyMethod(), keyring, store)
    checker.reload()
    now = time.time()
    result = benchmark(lambda: checker.check(key, now))
    assert result.identity is not None
    asyncio.run(asyncio.sleep(0))
