"""Authentication against a real JWKS server and a real introspection endpoint on loopback."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme
import yaml
from cryptography import x509
from joserfc import jwt as joserfc_jwt
from joserfc.jwk import RSAKey

from bastion.config import parse_config
from bastion.core import header_policy
from bastion.core.clock import ManualClock
from bastion.core.context import Context
from bastion.core.identity import Identity
from bastion.core.request import Headers, Request, TLSInfo
from bastion.core.verdict import Decision
from bastion.engine import Engine
from bastion.guards.authn.basic import hash_password
from bastion.revocations import token_hash
from tests.idp import AUDIENCE, ISSUER, IdentityProvider, hs_key
from tests.proxy_harness import running_proxy
from tests.servers import ThreadedUvicorn

SECRET = "server-secret-for-tests-0123456789abcdef"
HS_SECRET = "hs256-shared-secret-for-tests-0123456789"


@pytest.fixture(scope="module")
def idp() -> Iterator[tuple[IdentityProvider, str]]:
    provider = IdentityProvider()
    with ThreadedUvicorn(provider.app()) as server:
        yield provider, server.url


def policy(idp_url: str, tmp: Path, **authn: Any) -> dict[str, Any]:
    methods = authn.pop("methods", None) or [
        {
            "jwt": {
                "issuer": ISSUER,
                "audience": AUDIENCE,
                "algorithms": ["RS256", "ES256"],
                "jwks_url": f"{idp_url}/jwks.json",
                "claims": {"roles": "realm_access.roles"},
                "jwks": {"cooldown": "30s"},
            }
        },
        {"jwt": {"issuer": "https://hs.test/", "algorithms": ["HS256"], "secret": HS_SECRET}},
        {
            "introspection": {
                "url": f"{idp_url}/introspect",
                "client": {"client_id": "bastion", "client_secret": "introspection-secret"},
                "cache": {"negative_ttl": "1s"},
                "claims": {"roles": "roles"},
            }
        },
        {"api_key": {"environment": "live"}},
    ]
    return {
        "routes": [
            {"path": "/orders", "methods": ["GET", "POST"]},
            {"path": "/health", "methods": ["GET"], "operation": "getHealth"},
        ],
        "secrets": {"key": SECRET},
        "store": {"path": str(tmp / "bastion.db")},
        "authn": {"methods": methods, "public": ["getHealth"], **authn},
    }


@pytest.fixture
async def engine(idp: tuple[IdentityProvider, str], tmp_path: Path) -> AsyncIterator[Engine]:
    built = Engine(parse_config(yaml.safe_dump(policy(idp[1], tmp_path))), clock=ManualClock(wall=time.time()))
    await built.start()
    yield built
    await built.stop()


async def decide(  # noqa: PLR0913  keyword-only: the request parts a test varies
    engine: Engine,
    headers: dict[str, str] | None = None,
    *,
    path: str = "/orders",
    query: str = "",
    client: str = "198.51.100.7",
    tls: TLSInfo | None = None,
) -> tuple[Decision, Context]:
    request = Request(
        method="GET",
        path=path,
        query=query,
        client=client,
        tls=tls,
        headers=Headers([("host", "api.test"), *((k.lower(), v) for k, v in (headers or {}).items())]),
    )
    ctx = Context("test-request-000001")
    return await engine.pipeline.check(request, ctx), ctx


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def status(decision: Decision) -> int:
    return decision.refusal.status if decision.refusal else 200


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(header: dict[str, Any], claims: dict[str, Any], secret: bytes | None) -> str:
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest() if secret else b""
    return f"{signing_input}.{_b64(signature)}"


# -- JWT -------------------------------------------------------------------------------------------------


async def test_valid_rs256_and_es256_tokens(engine: Engine, idp: tuple[IdentityProvider, str]) -> None:
    provider, _ = idp
    for key, alg in ((provider.rsa, "RS256"), (provider.ec, "ES256")):
        decision, ctx = await decide(engine, bearer(provider.token(key, alg)))
        assert decision.allowed, decision.refusal
        assert ctx.identity is not None
        assert ctx.identity.subject == "user-42"
        assert ctx.identity.roles == {"user"}
        assert ctx.identity.scopes == {"orders:read", "orders:write"}


async def test_identity_is_forwarded_upstream(engine: Engine, idp: tuple[IdentityProvider, str]) -> None:
    _, ctx = await decide(engine, bearer(idp[0].token()))
    assert ("x-bastion-subject", "user-42") in ctx.upstream_headers
    assert ("x-bastion-roles", "user") in ctx.upstream_headers


async def test_missing_credentials_get_a_challenge(engine: Engine) -> None:
    decision, _ = await decide(engine)
    assert status(decision) == 401
    challenge = dict(decision.refusal.headers)["WWW-Authenticate"]  # type: ignore[union-attr]
    assert 'Bearer realm="bastion"' in challenge
    assert 'ApiKey header="x-api-key"' in challenge


async def test_public_operation_needs_no_identity(engine: Engine) -> None:
    decision, ctx = await decide(engine, path="/health")
    assert decision.allowed
    assert ctx.identity is None


@pytest.mark.parametrize(
    "attack",
    [
        "alg_none",
        "alg_none_upper",
        "hs_with_rsa_public_key",
        "stripped_signature",
        "expired",
        "not_yet_valid",
        "wrong_issuer",
        "wrong_audience",
        "forged_kid",
        "jku_injection",
        "x5u_injection",
        "embedded_jwk",
        "oversized",
        "future_iat",
        "unsigned_payload_swap",
        "no_subject",
    ],
)
async def test_classic_jwt_attacks_are_refused(engine: Engine, idp: tuple[IdentityProvider, str], attack: str) -> None:
    provider, _ = idp
    now = int(time.time())
    claims = provider.claims()
    attacker = RSAKey.generate_key(2048, parameters={"kid": "rsa-1"}, private=True)
    tokens = {
        "alg_none": forge({"alg": "none", "typ": "JWT"}, claims, None),
        "alg_none_upper": forge({"alg": "NONE", "kid": "rsa-1"}, claims, None),
        "hs_with_rsa_public_key": forge({"alg": "HS256", "kid": "rsa-1"}, claims, provider.rsa.as_pem(private=False)),
        "stripped_signature": provider.token().rsplit(".", 1)[0] + ".",
        "expired": provider.token(exp=now - 3600, iat=now - 7200),
        "not_yet_valid": provider.token(nbf=now + 3600),
        "wrong_issuer": provider.token(iss="https://evil.test/"),
        "wrong_audience": provider.token(aud="another-api"),
        "forged_kid": provider.token(attacker, header={"kid": "rsa-1"}),
        "jku_injection": provider.token(attacker, header={"jku": "http://127.0.0.1:9/jwks.json"}),
        "x5u_injection": provider.token(attacker, header={"x5u": "http://127.0.0.1:9/cert.pem"}),
        "embedded_jwk": provider.token(attacker, header={"jwk": attacker.as_dict(private=False)}),
        "oversized": provider.token(padding="x" * 9000),
        "future_iat": provider.token(iat=now + 3600),
        "unsigned_payload_swap": ".".join(
            [
                provider.token().split(".")[0],
                _b64(json.dumps({**claims, "sub": "admin"}).encode()),
                provider.token().split(".")[2],
            ]
        ),
        "no_subject": provider.token(sub=None),
    }
    decision, ctx = await decide(engine, bearer(tokens[attack]))
    assert status(decision) == 401, attack
    assert ctx.identity is None
    # the client learns nothing about which check failed
    assert decision.refusal is not None
    assert decision.refusal.detail == "The credentials are not valid."


async def test_flood_of_unknown_kids_keeps_jwks_fetches_bounded(
    engine: Engine, idp: tuple[IdentityProvider, str]
) -> None:
    provider, _ = idp
    attacker = RSAKey.generate_key(2048, private=True)
    before = provider.jwks_hits
    for i in range(200):
        token = provider.token(attacker, header={"kid": f"random-{i}"})
        decision, _ = await decide(engine, bearer(token), client=f"10.0.{i // 200}.{i % 200}")  # many sources
        assert status(decision) == 401
    assert provider.jwks_hits - before <= 1  # one refetch at most within the 30 s cooldown


async def test_key_rotation_is_picked_up_by_refetch(idp: tuple[IdentityProvider, str], tmp_path: Path) -> None:
    provider, url = idp
    config = policy(url, tmp_path)
    config["authn"]["methods"][0]["jwt"]["jwks"]["cooldown"] = "0s"
    engine = Engine(parse_config(yaml.safe_dump(config)))
    await engine.start()
    try:
        rotated = RSAKey.generate_key(2048, parameters={"kid": "rsa-2"}, private=True)
        provider.published.append(rotated)
        decision, _ = await decide(engine, bearer(provider.token(rotated)))
        assert decision.allowed
    finally:
        provider.published.remove(rotated)
        await engine.stop()


async def test_last_good_keys_survive_a_failed_fetch(tmp_path: Path, idp: tuple[IdentityProvider, str]) -> None:
    provider, url = idp
    config = policy(url, tmp_path)
    engine = Engine(parse_config(yaml.safe_dump(config)))
    await engine.start()
    try:
        jwt_method = engine.pipeline.guard("authn").methods[0]  # type: ignore[attr-defined]
        jwt_method.fetcher._url = "http://127.0.0.1:9/down.json"
        assert not await jwt_method.fetcher.refresh(force=True)
        decision, _ = await decide(engine, bearer(provider.token()))
        assert decision.allowed
    finally:
        await engine.stop()


async def test_hs256_issuer(engine: Engine) -> None:
    now = int(time.time())
    token = joserfc_jwt.encode(
        {"alg": "HS256"}, {"iss": "https://hs.test/", "sub": "svc", "exp": now + 60}, hs_key(HS_SECRET)
    )
    decision, ctx = await decide(engine, bearer(token))
    assert decision.allowed
    assert ctx.identity is not None
    assert ctx.identity.subject == "svc"
    wrong = joserfc_jwt.encode(
        {"alg": "HS256"},
        {"iss": "https://hs.test/", "sub": "svc", "exp": now + 60},
        hs_key("another-secret-that-is-long-enough-0123"),
    )
    assert status((await decide(engine, bearer(wrong)))[0]) == 401


async def test_token_in_query_string_is_refused(engine: Engine, idp: tuple[IdentityProvider, str]) -> None:
    decision, _ = await decide(engine, query=f"access_token={idp[0].token()}")
    assert status(decision) == 401
    assert "query string" in decision.refusal.reason  # type: ignore[union-attr]


async def test_revoked_token_by_jti_and_by_hash(engine: Engine, idp: tuple[IdentityProvider, str]) -> None:
    provider, _ = idp
    by_jti = provider.token(jti="revoke-me-1")
    by_hash = provider.token(jti="other-2")
    assert (await decide(engine, bearer(by_jti)))[0].allowed  # cached as valid...
    assert engine.revocations is not None
    await engine.revocations.revoke("token", "revoke-me-1")
    assert status((await decide(engine, bearer(by_jti)))[0]) == 401  # ...and still refused at once

    await engine.revocations.revoke("token", token_hash(by_hash))
    assert status((await decide(engine, bearer(by_hash)))[0]) == 401


async def test_certificate_bound_token(engine: Engine, idp: tuple[IdentityProvider, str]) -> None:
    provider, _ = idp
    cert = b"pretend DER of the client certificate"
    thumb = _b64(hashlib.sha256(cert).digest())
    token = provider.token(cnf={"x5t#S256": thumb})
    assert (await decide(engine, bearer(token), tls=TLSInfo(peer_cert=cert)))[0].allowed
    assert status((await decide(engine, bearer(token), tls=TLSInfo(peer_cert=b"another")))[0]) == 401
    assert status((await decide(engine, bearer(token)))[0]) == 401


# -- introspection ---------------------------------------------------------------------------------------


async def test_introspection_positive_answers_are_cached(engine: Engine, idp: tuple[IdentityProvider, str]) -> None:
    provider, _ = idp
    provider.active_tokens["opaque-good-1"] = {"sub": "alice", "exp": int(time.time()) + 600, "roles": ["user"]}
    before = provider.introspection_hits
    for _ in range(5):
        decision, ctx = await decide(engine, bearer("opaque-good-1"))
        assert decision.allowed
    assert ctx.identity is not None
    assert ctx.identity.subject == "alice"
    assert provider.introspection_hits - before == 1


async def test_introspection_negative_answers_are_cached_briefly(
    engine: Engine, idp: tuple[IdentityProvider, str]
) -> None:
    provider, _ = idp
    before = provider.introspection_hits
    for _ in range(3):
        assert status((await decide(engine, bearer("opaque-unknown")))[0]) == 401
    assert provider.introspection_hits - before == 1
    assert isinstance(engine.clock, ManualClock)
    engine.clock.advance(1.1)  # past the negative cache's 1 s
    provider.active_tokens["opaque-unknown"] = {"sub": "bob", "exp": int(time.time()) + 60}
    assert (await decide(engine, bearer("opaque-unknown")))[0].allowed


async def test_introspection_failure_is_closed(engine: Engine, idp: tuple[IdentityProvider, str]) -> None:
    provider, _ = idp
    provider.introspection_broken = True
    try:
        decision, _ = await decide(engine, bearer("opaque-while-down"))
    finally:
        provider.introspection_broken = False
    assert status(decision) == 503


async def test_introspection_concurrent_calls_share_one_request(
    engine: Engine, idp: tuple[IdentityProvider, str]
) -> None:
    provider, _ = idp
    provider.active_tokens["opaque-burst"] = {"sub": "carol", "exp": int(time.time()) + 60}
    provider.introspection_delay = 0.2
    before = provider.introspection_hits
    try:
        results = await asyncio.gather(*(decide(engine, bearer("opaque-burst")) for _ in range(10)))
    finally:
        provider.introspection_delay = 0.0
    assert all(d.allowed for d, _ in results)
    assert provider.introspection_hits - before == 1


# -- API keys --------------------------------------------------------------------------------------------


def _bastion(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bastion", *args], capture_output=True, text=True, timeout=60)


@pytest.fixture
def key_policy(tmp_path: Path, idp: tuple[IdentityProvider, str]) -> Path:
    path = tmp_path / "bastion.yaml"
    path.write_text(yaml.safe_dump(policy(idp[1], tmp_path)))
    return path


async def test_api_key_lifecycle_through_the_cli(key_policy: Path) -> None:
    created = _bastion(
        "keys",
        "create",
        "--config",
        str(key_policy),
        "--name",
        "ci-bot",
        "--role",
        "user",
        "--scopes",
        "orders:read",
        "--expires",
        "90d",
    )
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert key.startswith("bst_live_")
    db = Path(str(key_policy).replace("bastion.yaml", "bastion.db")).read_bytes()
    assert key.encode() not in db  # only a keyed hash is stored
    secret = key.split("_", 3)[3]  # bst_<env>_<id>_<secret>; the secret itself may hold "_"
    assert len(secret) == 43
    assert secret.encode() not in db

    engine = Engine(parse_config(key_policy.read_text()))
    await engine.start()
    try:
        decision, ctx = await decide(engine, {"X-API-Key": key})
        assert decision.allowed, decision.refusal
        assert ctx.identity is not None
        assert ctx.identity.roles == {"user"}
        assert ctx.identity.scopes == {"orders:read"}
        assert (await decide(engine, {"Authorization": f"ApiKey {key}"}))[0].allowed
        tampered = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
        assert status((await decide(engine, {"X-API-Key": tampered}))[0]) == 401
        other_env = key.replace("bst_live_", "bst_test_")
        other = await decide(engine, {"X-API-Key": other_env})
        assert status(other[0]) == 401
        assert "environment" in other[0].refusal.reason  # type: ignore[union-attr]
        assert status((await decide(engine, query=f"api_key={key}"))[0]) == 401

        listed = _bastion("keys", "list", "--config", str(key_policy))
        assert "ci-bot" in listed.stdout
        assert key not in listed.stdout
        key_id = key.split("_")[2]
        assert _bastion("keys", "revoke", "--config", str(key_policy), key_id).returncode == 0
        deadline = time.monotonic() + 1.0  # every process honours a revocation within one second
        while time.monotonic() < deadline and (await decide(engine, {"X-API-Key": key}))[0].allowed:
            await asyncio.sleep(0.05)
        assert status((await decide(engine, {"X-API-Key": key}))[0]) == 401
    finally:
        await engine.stop()


async def test_api_key_rotation_keeps_the_old_key_for_the_grace_period(key_policy: Path) -> None:
    old = _bastion("keys", "create", "--config", str(key_policy), "--name", "svc", "--role", "user").stdout.strip()
    rotated = _bastion("keys", "rotate", "--config", str(key_policy), old.split("_")[2], "--grace", "1h")
    assert rotated.returncode == 0, rotated.stderr
    new = rotated.stdout.strip()
    engine = Engine(parse_config(key_policy.read_text()))
    await engine.start()
    try:
        assert (await decide(engine, {"X-API-Key": new}))[0].allowed
        assert (await decide(engine, {"X-API-Key": old}))[0].allowed
    finally:
        await engine.stop()
    immediate = _bastion("keys", "rotate", "--config", str(key_policy), new.split("_")[2], "--grace", "0s")
    engine = Engine(parse_config(key_policy.read_text()))
    await engine.start()
    try:
        assert status((await decide(engine, {"X-API-Key": new}))[0]) == 401
        assert (await decide(engine, {"X-API-Key": immediate.stdout.strip()}))[0].allowed
    finally:
        await engine.stop()


# -- Basic and mTLS --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def basic_hash() -> str:
    return hash_password("correct horse battery")


async def test_basic_auth_and_equal_timing_for_unknown_users(tmp_path: Path, basic_hash: str) -> None:
    config = {
        "routes": [{"path": "/orders", "methods": ["GET"]}],
        "store": {"path": str(tmp_path / "b.db")},
        "authn": {
            "methods": [
                {"basic": {"users": {"alice": {"password_hash": basic_hash, "roles": ["user"]}}, "cache": "0s"}}
            ],
            "brute_force": None,
        },
    }
    engine = Engine(parse_config(yaml.safe_dump(config)))

    def basic(user: str, password: str) -> dict[str, str]:
        return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}

    decision, ctx = await decide(engine, basic("alice", "correct horse battery"))
    assert decision.allowed
    assert ctx.identity is not None
    assert ctx.identity.roles == {"user"}

    async def timed(user: str) -> float:
        started = time.perf_counter()
        decision, _ = await decide(engine, basic(user, "wrong password"))
        assert status(decision) == 401
        return time.perf_counter() - started

    known = sorted([await timed("alice") for _ in range(5)])[2]
    unknown = sorted([await timed("mallory") for _ in range(5)])[2]
    assert 0.5 < unknown / known < 2.0  # unknown users cost a full Argon2 verification too


async def test_mtls_identity_from_the_certificate(tmp_path: Path) -> None:
    ca = trustme.CA()
    cert = ca.issue_cert("payments-service.internal")
    der = cert.cert_chain_pems[0].bytes()

    der = x509.load_pem_x509_certificate(der).public_bytes(
        encoding=__import__("cryptography").hazmat.primitives.serialization.Encoding.DER
    )
    config = {
        "routes": [{"path": "/orders", "methods": ["GET"]}],
        "store": {"path": str(tmp_path / "m.db")},
        "authn": {"methods": [{"mtls": {"identity": "san", "roles": {"payments-service.internal": ["service"]}}}]},
    }
    engine = Engine(parse_config(yaml.safe_dump(config)))
    decision, ctx = await decide(engine, tls=TLSInfo(peer_cert=der))
    assert decision.allowed
    assert ctx.identity is not None
    assert ctx.identity.subject == "payments-service.internal"
    assert ctx.identity.roles == {"service"}
    assert status((await decide(engine))[0]) == 401


# -- brute force -----------------------------------------------------------------------------------------


async def test_brute_force_friction_grows_and_spares_other_clients(tmp_path: Path, basic_hash: str) -> None:
    config = {
        "routes": [{"path": "/orders", "methods": ["GET"]}],
        "store": {"path": str(tmp_path / "bf.db")},
        "authn": {
            "methods": [{"basic": {"users": {"alice": {"password_hash": basic_hash}}}}],
            "brute_force": {"threshold": 3, "window": "1m", "cooldown": ["2s", "10s"]},
        },
    }
    engine = Engine(parse_config(yaml.safe_dump(config)))

    def basic(password: str) -> dict[str, str]:
        return {"Authorization": "Basic " + base64.b64encode(f"alice:{password}".encode()).decode()}

    statuses = [status((await decide(engine, basic("guess"), client="203.0.113.66"))[0]) for _ in range(4)]
    assert statuses == [401, 401, 429, 429]
    refusal = (await decide(engine, basic("correct horse battery"), client="203.0.113.66"))[0].refusal
    assert refusal is not None
    assert refusal.status == 429
    assert int(dict(refusal.headers)["Retry-After"]) >= 1
    # the real user, elsewhere, is not locked out by the attacker's guesses
    assert (await decide(engine, basic("correct horse battery"), client="192.0.2.10"))[0].allowed


# -- modes and the proxy ---------------------------------------------------------------------------------


async def test_monitor_mode_records_but_passes(idp: tuple[IdentityProvider, str], tmp_path: Path) -> None:
    config = policy(idp[1], tmp_path, mode="monitor")
    engine = Engine(parse_config(yaml.safe_dump(config)))
    decision, ctx = await decide(engine, bearer("not-a-valid-token"))
    assert decision.allowed
    assert [f.verdict.rule for f in ctx.findings] == ["authn.invalid"]
    assert ctx.findings[0].mode == "monitor"


async def test_through_the_proxy(upstream: ThreadedUvicorn, idp: tuple[IdentityProvider, str], tmp_path: Path) -> None:
    provider, url = idp
    sections = policy(url, tmp_path)
    sections["routes"] = [{"path": "/**", "methods": ["*"]}]
    async with running_proxy(upstream.url, **sections) as proxy, httpx.AsyncClient() as client:
        await proxy.server.engine.start()
        refused = await client.get(f"{proxy.url}/orders")
        assert refused.status_code == 401
        assert "bearer" in refused.headers["www-authenticate"].lower()
        assert refused.headers["content-type"] == "application/problem+json"
        ok = await client.get(f"{proxy.url}/orders", headers={**bearer(provider.token()), "X-Bastion-Roles": "admin"})
        assert ok.status_code == 200
        received = dict(ok.json()["headers"])
        assert received["x-bastion-subject"] == "user-42"
        assert received["x-bastion-roles"] == "user"  # the client's forged header did not pass
        assert ok.headers["cache-control"] == "no-store"


def test_identity_headers_are_kept_per_identity_and_follow_every_asserted_field() -> None:
    alice = Identity("alice", "jwt", roles=frozenset({"user"}), claims={"exp": 1})
    first = header_policy.identity_headers(alice)
    assert ("x-bastion-subject", "alice") in first
    assert ("x-bastion-roles", "user") in first
    # the same identity from another token (other claims): the same assertion
    assert header_policy.identity_headers(alice._replace(claims={"exp": 2})) == first
    # any field the headers carry changes them
    admin = header_policy.identity_headers(alice._replace(roles=frozenset({"user", "admin"})))
    assert ("x-bastion-roles", "admin,user") in admin
    assert ("x-bastion-tenant", "t1") in header_policy.identity_headers(alice._replace(tenant="t1"))
    assert ("x-bastion-subject", "bob") in header_policy.identity_headers(alice._replace(subject="bob"))
    # a value that would inject a header, or a role name with a comma, is cleaned, seen before or not
    for _ in range(2):
        assert ("x-bastion-subject", "a__b") in header_policy.identity_headers(alice._replace(subject="a\r\nb"))
        odd = header_policy.identity_headers(alice._replace(roles=frozenset({"a,b", "user"})))
        assert ("x-bastion-roles", "a_b,user") in odd
    # bounded: a flood of new subjects never grows the table past its size
    for n in range(header_policy._CACHE_LIMIT + 10):
        header_policy.identity_headers(alice._replace(subject=f"user-{n}"))
        assert len(header_policy._asserted) <= header_policy._CACHE_LIMIT
