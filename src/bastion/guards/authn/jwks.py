"""Public verification keys for one issuer: static keys or a JWKS fetched in the background.

Each key is bound to the algorithm family its type allows (RSA: RS/PS, EC: ES on its curve, OKP:
EdDSA; a shared secret, in keyset.py: HS), intersected with the issuer's allow-list. That binding is
what makes HS/RS key confusion impossible: an RSA public key can never be used as an HMAC secret.
Only issuers with public keys import this module, and joserfc and cryptography with it.

Unknown `kid`s trigger a refetch, but at most once per cooldown and never concurrently, so an
attacker sending random kids cannot make Bastion hammer the identity provider. A failed fetch keeps
the last good keys.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, OKPKey, RSAKey
from joserfc.jws import deserialize_compact

from bastion import outbound
from bastion.config.authn import JWKSConfig
from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.errors import StartupError
from bastion.guards.authn.keyset import KeySet, VerifyKey

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("bastion.authn.jwks")

Key = RSAKey | ECKey | OKPKey

_EC_ALGS = {"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}
_RSA_ALGS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})


class KeyLoadError(StartupError):
    pass


def allowed_for(key: Key, declared_alg: str | None, allowed: frozenset[str]) -> frozenset[str]:
    if isinstance(key, RSAKey):
        family = _RSA_ALGS
    elif isinstance(key, ECKey):
        family = frozenset({_EC_ALGS.get(str(key.get("crv")), "")})
    else:
        family = frozenset({"EdDSA"})
    if declared_alg:
        family = family & {declared_alg}
    return family & allowed


def verified_payload(token: str, key: Key, alg: str) -> bytes | None:
    """The payload of a token signed by this public key with this algorithm, else None."""
    try:
        return deserialize_compact(token, key, algorithms=[alg]).payload
    except JoseError:
        return None


def key_from_jwk(jwk: Mapping[str, Any], allowed: frozenset[str]) -> VerifyKey | None:
    """A JWKS entry as a verification key; symmetric and encryption keys are never taken from a JWKS."""
    kty = jwk.get("kty")
    if jwk.get("use") == "enc" or kty not in ("RSA", "EC", "OKP"):
        return None
    public = {k: v for k, v in jwk.items() if k not in ("d", "p", "q", "dp", "dq", "qi", "oth", "k")}
    try:
        key: Key
        if kty == "RSA":
            key = RSAKey.import_key(public)
        elif kty == "EC":
            key = ECKey.import_key(public)
        else:
            key = OKPKey.import_key(public)
    except Exception as exc:  # a malformed entry must not take the other keys down
        log.warning("skipping an unusable JWKS key (kid %r): %s", jwk.get("kid"), exc)
        return None
    algorithms = allowed_for(key, jwk.get("alg"), allowed)
    if not algorithms:
        return None
    kid = jwk.get("kid")
    return VerifyKey(str(kid) if kid is not None else None, key, algorithms)


def keys_from_jwks(document: Any, allowed: frozenset[str]) -> list[VerifyKey]:
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JWKS document (no 'keys' list)")
    return [k for jwk in document["keys"] if isinstance(jwk, dict) and (k := key_from_jwk(jwk, allowed))]


def static_keys(sources: list[str], allowed: frozenset[str]) -> list[VerifyKey]:
    """Keys from PEM text, a PEM certificate, a JWK or JWKS document, inline or in a file."""
    keys: list[VerifyKey] = []
    for source in sources:
        text = source.strip()
        if not text.startswith(("-----BEGIN", "{")):
            try:
                text = Path(text).read_text()
            except OSError as exc:
                raise KeyLoadError(f"authn jwt key file {source}: {exc.strerror or exc}") from None
        try:
            keys += _parse_key_text(text.strip(), allowed)
        except (ValueError, TypeError) as exc:
            raise KeyLoadError(f"authn jwt key {source[:40]!r}: {exc}") from None
    return keys


def _parse_key_text(text: str, allowed: frozenset[str]) -> list[VerifyKey]:
    if text.startswith("{"):
        document = orjson.loads(text)
        if "keys" in document:
            return keys_from_jwks(document, allowed)
        single = key_from_jwk(document, allowed)
        if single is None:
            raise ValueError("the JWK is not a usable public verification key for the allowed algorithms")
        return [single]
    if "BEGIN CERTIFICATE" in text:
        cert = x509.load_pem_x509_certificate(text.encode())
        text = (
            cert.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode()
        )
    if "PRIVATE KEY" in text:
        raise ValueError("give Bastion the public key, not the private key")
    for cls in (RSAKey, ECKey, OKPKey):
        try:
            key: Key = cls.import_key(text)
        except Exception:  # noqa: S112 - try the next key type
            continue
        algorithms = allowed_for(key, None, allowed)
        if not algorithms:
            raise ValueError(f"a {key.key_type} key cannot verify any of {sorted(allowed)}")
        return [VerifyKey(None, key, algorithms)]
    raise ValueError("not a PEM public key, certificate, JWK or JWKS")


class JWKSFetcher:
    """Keeps an issuer's JWKS fresh: background refresh, cooled-down refetch on unknown kids."""

    def __init__(
        self,
        url: str,
        config: JWKSConfig,
        allowed: frozenset[str],
        on_change: Any = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._clock = clock
        self._url = url
        self._config = config
        self._allowed = allowed
        self._on_change = on_change
        self.keys = KeySet()
        self.fetches = 0
        self._last_attempt = 0.0
        self._inflight: asyncio.Task[bool] | None = None
        self._task: asyncio.Task[None] | None = None
        self._client: httpx.AsyncClient | None = None

    async def start(self) -> None:
        self._client = outbound.client(timeout=self._config.timeout, follow_redirects=False)
        await self.refresh(force=True)
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._config.refresh)
            await self.refresh(force=True)

    async def refresh(self, *, force: bool = False) -> bool:
        """Fetch now unless one ran within the cooldown; concurrent callers share one fetch."""
        if self._inflight is not None:
            return await asyncio.shield(self._inflight)
        now = self._clock.monotonic()
        if not force and now - self._last_attempt < self._config.cooldown:
            return False
        self._last_attempt = now
        self._inflight = asyncio.get_running_loop().create_task(self._fetch())
        try:
            return await asyncio.shield(self._inflight)
        finally:
            self._inflight = None

    async def _fetch(self) -> bool:
        if self._client is None:
            self._client = outbound.client(timeout=self._config.timeout, follow_redirects=False)
        self.fetches += 1
        try:
            async with self._client.stream("GET", self._url, headers={"accept": "application/json"}) as response:
                if response.status_code != 200:
                    raise ValueError(f"HTTP {response.status_code}")
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > self._config.max_bytes:
                        raise ValueError("JWKS document too large")
            keys = keys_from_jwks(orjson.loads(bytes(body)), self._allowed)
        except Exception as exc:
            log.error("fetching JWKS from %s failed, keeping the last good keys: %s", self._url, exc)
            return False
        fresh = KeySet(keys)
        changed = fresh.fingerprint != self.keys.fingerprint
        self.keys = fresh
        if changed and self._on_change is not None:
            self._on_change()
        return True
