"""Bearer JWTs verified locally: signature with an algorithm-bound key, then the claims.

Refused outright: `alg: none` (never in an allow-list), algorithms the issuer does not allow, keys of
the wrong family (HS/RS confusion), headers that ask the verifier to fetch or trust a key (`jku`,
`x5u`, an embedded `jwk`) or to understand an extension (`crit`), oversized tokens.

A verified token is remembered (bounded LRU keyed by its SHA-256) until it expires or the key set
changes, because clients send the same token on request after request; revocation is still checked
on every request, after the cache.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import orjson

from bastion.config.authn import HMAC_ALGORITHMS, JWTMethod
from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.core.context import Context
from bastion.core.identity import Identity
from bastion.core.request import Request
from bastion.core.tokens import looks_like_jwt
from bastion.guards.authn.base import Attempt, bearer_token, identity_from_claims
from bastion.guards.authn.keyset import KeySet, SharedSecret, VerifyKey

if TYPE_CHECKING:
    from bastion.guards.authn.jwks import JWKSFetcher

_UNTRUSTED_HEADERS = ("jku", "x5u", "jwk", "crit")
_HMAC_DIGESTS = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}
_CACHE_SIZE = 10_000
_CACHE_MAX_SECONDS = 300.0


class InvalidToken(Exception):
    """The precise reason, for the audit trail; the client only ever sees a generic 401."""


def _b64json(segment: str) -> Any:
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        return orjson.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise InvalidToken(f"undecodable segment: {exc.__class__.__name__}") from None


def _verify_hmac(token: str, key: Any, alg: str) -> bytes | None:
    """HS* verification with the standard library: the payload if the MAC matches, else None.

    joserfc does the same computation with about 12 µs of generic plumbing around it, and importing
    it loads cryptography (about 10 MB per worker) that an HMAC does not need. Safety does not
    depend on this path: the algorithm was checked against the issuer's allow-list and the key is a
    shared secret bound to HS* before we get here, and tests/test_jwt_fast_path.py checks it agrees
    with joserfc on valid, tampered and malformed tokens.
    """
    if not isinstance(key, SharedSecret):
        return None
    signing_input, _, signature = token.rpartition(".")
    try:
        mac = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    except (binascii.Error, ValueError):
        return None
    if base64.urlsafe_b64encode(mac).rstrip(b"=") != signature.encode("latin-1", "replace"):
        # padding, the standard alphabet, stray characters or trailing bits: only the canonical
        # base64url spelling of a signature is accepted (the header and payload are under the MAC)
        return None
    expected = hmac.new(key.raw_value, signing_input.encode("latin-1", "replace"), _HMAC_DIGESTS[alg]).digest()
    if not hmac.compare_digest(expected, mac):
        return None
    payload_segment = signing_input.partition(".")[2]
    try:
        return base64.urlsafe_b64decode(payload_segment + "=" * (-len(payload_segment) % 4))
    except (binascii.Error, ValueError):
        return None


def unverified_issuer(token: str) -> str | None:
    """The `iss` a token claims, to pick the issuer whose keys will verify it (never trusted)."""
    try:
        payload = _b64json(token.split(".")[1])
    except InvalidToken:
        return None
    iss = payload.get("iss") if isinstance(payload, dict) else None
    return iss if isinstance(iss, str) else None


class JWTAuthenticator:
    def __init__(self, config: JWTMethod, *, sole_jwt_method: bool, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock
        self.config = config
        self.challenge = 'Bearer realm="bastion"'
        self._allowed = frozenset(config.algorithms)
        self._sole = sole_jwt_method
        self._audiences = (
            frozenset([config.audience] if isinstance(config.audience, str) else config.audience)
            if config.audience is not None
            else None
        )
        self._required = tuple(config.required_claims)
        self._typ = config.typ.lower() if config.typ else None
        static: list[VerifyKey] = []
        self.fetcher: JWKSFetcher | None = None
        self._verify_public: Callable[[str, Any, str], bytes | None] | None = None
        if config.keys or config.jwks_url:
            from bastion.guards.authn import jwks  # noqa: PLC0415  public keys: joserfc and cryptography, only for issuers that have them

            self._verify_public = jwks.verified_payload
            static = jwks.static_keys(config.keys, self._allowed)
            if config.jwks_url:
                self.fetcher = jwks.JWKSFetcher(
                    config.jwks_url, config.jwks, self._allowed, on_change=self.clear_cache, clock=clock
                )
        if config.secret:  # the config allows a secret only with HS* algorithms
            static.append(VerifyKey(None, SharedSecret(config.secret.encode()), self._allowed & HMAC_ALGORITHMS))
        self._static = KeySet(static)
        self._cache: OrderedDict[bytes, tuple[Identity, float]] = OrderedDict()

    async def start(self) -> None:
        if self.fetcher is not None:
            await self.fetcher.start()

    async def stop(self) -> None:
        if self.fetcher is not None:
            await self.fetcher.stop()

    def clear_cache(self) -> None:
        self._cache.clear()

    async def authenticate(self, request: Request, ctx: Context) -> Attempt | None:
        token = bearer_token(request)
        if token is None or not looks_like_jwt(token):
            return None
        if not self._sole and unverified_issuer(token) != self.config.issuer:
            return None  # another configured issuer's token
        try:
            identity = await self.verify(token, request)
        except InvalidToken as exc:
            return Attempt.failed(f"jwt: {exc}")
        return Attempt(identity)

    async def verify(self, token: str, request: Request | None = None, now: float | None = None) -> Identity:  # noqa: PLR0912, PLR0915  the uncached verification in one frame: header, key, signature, claims, cache
        if len(token) > self.config.max_token_size:
            raise InvalidToken("token larger than max_token_size")
        now = self._clock.wall() if now is None else now
        digest = hashlib.sha256(token.encode("latin-1", "replace")).digest()  # also its token_hash()
        cached = self._cache.get(digest)
        if cached is not None:
            identity, valid_until = cached
            if now < valid_until:
                self._check_binding(identity, request)
                return identity
            del self._cache[digest]
        header_segment = token.split(".", 1)[0]
        header = _b64json(header_segment)
        if not isinstance(header, dict):
            raise InvalidToken("header is not an object")
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in self._allowed:
            raise InvalidToken(f"algorithm {str(alg)[:16]!r} not allowed")
        for name in _UNTRUSTED_HEADERS:
            if name in header:
                raise InvalidToken(f"header {name!r} is not accepted")
        if self._typ is not None:
            typ = str(header.get("typ", "")).lower()
            if typ.removeprefix("application/") != self._typ.removeprefix("application/"):
                raise InvalidToken("unexpected typ")
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise InvalidToken("kid is not a string")
        keys = await self._keys_for(kid, alg)
        if not keys:
            raise InvalidToken("no key of this issuer can verify this algorithm")
        payload: bytes | None = None
        for candidate in keys:
            try:
                if alg in _HMAC_DIGESTS:
                    payload = _verify_hmac(token, candidate.key, alg)
                elif self._verify_public is not None and not isinstance(candidate.key, SharedSecret):
                    payload = self._verify_public(token, candidate.key, alg)
            except (ValueError, TypeError) as exc:
                raise InvalidToken(f"malformed token: {exc.__class__.__name__}") from None
            if payload is not None:
                break
        if payload is None:
            raise InvalidToken("bad signature")
        try:
            claims = orjson.loads(payload)
        except orjson.JSONDecodeError:
            raise InvalidToken("payload is not JSON") from None
        if not isinstance(claims, dict):
            raise InvalidToken("payload is not an object")
        valid_until = self._check_claims(claims, now)
        verified = identity_from_claims(
            claims, self.config.claims, method="jwt", key_id=digest.hex()[:32], expires_at=claims.get("exp")
        )
        if verified is None:
            raise InvalidToken("no subject claim")
        self._check_binding(verified, request)
        self._cache[digest] = (verified, min(valid_until, now + _CACHE_MAX_SECONDS))
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return verified

    async def _keys_for(self, kid: str | None, alg: str) -> list[VerifyKey]:
        keys = self._static.candidates(kid, alg)
        if keys:
            return keys
        if self.fetcher is None:
            return keys or []
        keys = self.fetcher.keys.candidates(kid, alg)
        # An unknown kid may be a rotation the background refresh has not seen yet.
        if (keys is None or (not keys and kid is None)) and await self.fetcher.refresh():
            keys = self.fetcher.keys.candidates(kid, alg)
        return keys or []

    def _check_claims(self, claims: dict[str, Any], now: float) -> float:  # noqa: PLR0912  one independent check per registered claim (RFC 7519 section 4.1)
        """Validate registered claims; return until when the token may be considered valid."""
        skew = self.config.clock_skew
        for name in self._required:
            if name not in claims:
                raise InvalidToken(f"required claim {name!r} missing")
        if claims.get("iss") != self.config.issuer:
            raise InvalidToken("wrong issuer")
        if self._audiences is not None:
            aud = claims.get("aud")
            auds = {aud} if isinstance(aud, str) else set(aud) if isinstance(aud, list) else set()
            if not auds & self._audiences:
                raise InvalidToken("wrong audience")
        valid_until = now + _CACHE_MAX_SECONDS
        exp = claims.get("exp")
        if exp is not None:
            if not isinstance(exp, int | float) or isinstance(exp, bool):
                raise InvalidToken("exp is not a number")
            if now > exp + skew:
                raise InvalidToken("expired")
            valid_until = min(valid_until, exp + skew)
        nbf = claims.get("nbf")
        if nbf is not None:
            if not isinstance(nbf, int | float) or isinstance(nbf, bool):
                raise InvalidToken("nbf is not a number")
            if now + skew < nbf:
                raise InvalidToken("not yet valid")
        iat = claims.get("iat")
        if iat is not None:
            if not isinstance(iat, int | float) or isinstance(iat, bool):
                raise InvalidToken("iat is not a number")
            if iat > now + skew:
                raise InvalidToken("issued in the future")
            if self.config.max_age is not None:
                if now - iat > self.config.max_age + skew:
                    raise InvalidToken("too old (max_age)")
                valid_until = min(valid_until, iat + self.config.max_age + skew)
        elif self.config.max_age is not None:
            raise InvalidToken("iat missing and max_age set")
        return valid_until

    @staticmethod
    def _check_binding(identity: Identity, request: Request | None) -> None:
        """RFC 8705: a token bound to a client certificate is only good with that certificate."""
        cnf = identity.claims.get("cnf")
        if not isinstance(cnf, dict) or "x5t#S256" not in cnf:
            return
        cert = request.tls.peer_cert if request is not None and request.tls is not None else None
        if cert is None:
            raise InvalidToken("certificate-bound token without a client certificate")
        thumbprint = base64.urlsafe_b64encode(hashlib.sha256(cert).digest()).rstrip(b"=").decode()
        if thumbprint != cnf["x5t#S256"]:
            raise InvalidToken("certificate-bound token presented with another certificate")
