"""Opaque bearer tokens checked with the issuer's RFC 7662 introspection endpoint.

Answers are cached by token hash: positive ones until min(exp, ttl), negative ones briefly, in a
bounded LRU. Concurrent requests with the same token share one call. Any failure to get an answer
(timeout, error status, malformed document) fails closed.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from bastion import outbound
from bastion.config.authn import IntrospectionMethod
from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.core.context import Context
from bastion.core.identity import Identity
from bastion.core.request import Request
from bastion.core.tokens import looks_like_jwt
from bastion.guards.authn.base import Attempt, bearer_token, identity_from_claims
from bastion.revocations import token_hash

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("bastion.authn.introspection")
_MAX_ANSWER = 64 * 1024


class IntrospectionAuthenticator:
    def __init__(self, config: IntrospectionMethod, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock
        self.config = config
        self.challenge = 'Bearer realm="bastion"'
        self._cache: OrderedDict[bytes, tuple[Identity | None, float]] = OrderedDict()
        self._inflight: dict[bytes, asyncio.Future[Identity | None]] = {}
        self._client: httpx.AsyncClient | None = None
        self.calls = 0

    async def start(self) -> None:
        self._client = self._new_client()

    async def stop(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _new_client(self) -> httpx.AsyncClient:
        client = self.config.client
        auth = outbound.basic_auth(client.client_id, client.client_secret) if client.method == "basic" else None
        return outbound.client(timeout=self.config.timeout, follow_redirects=False, auth=auth)

    async def authenticate(self, request: Request, ctx: Context) -> Attempt | None:
        token = bearer_token(request)
        if token is None or (looks_like_jwt(token) and not self.config.jwt_tokens):
            return None
        if len(token) > self.config.max_token_size:
            return Attempt.failed("introspection: token larger than max_token_size")
        digest = hashlib.sha256(token.encode("latin-1", "replace")).digest()
        now = self._clock.wall()
        cached = self._cache.get(digest)
        if cached is not None and cached[1] > now:
            self._cache.move_to_end(digest)
            identity = cached[0]
        else:
            try:
                identity = await self._introspect_once(digest, token)
            except IntrospectionUnavailable as exc:
                return Attempt(None, f"introspection unavailable: {exc}", unavailable=True)
        if identity is None:
            return Attempt.failed("introspection: token inactive")
        return Attempt(identity)

    async def _introspect_once(self, digest: bytes, token: str) -> Identity | None:
        pending = self._inflight.get(digest)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[Identity | None] = asyncio.get_running_loop().create_future()
        self._inflight[digest] = future
        try:
            identity, until = await self._introspect(token)
            self._cache[digest] = (identity, until)
            if len(self._cache) > self.config.cache.size:
                self._cache.popitem(last=False)
            future.set_result(identity)
            return identity
        except IntrospectionUnavailable as exc:
            future.set_exception(exc)
            future.exception()  # other waiters may not exist: do not warn
            raise
        finally:
            del self._inflight[digest]

    async def _introspect(self, token: str) -> tuple[Identity | None, float]:
        if self._client is None:
            self._client = self._new_client()
        client = self.config.client
        form = {"token": token, "token_type_hint": "access_token"}
        if client.method == "post":
            form |= {"client_id": client.client_id, "client_secret": client.client_secret}
        self.calls += 1
        try:
            response = await self._client.post(self.config.url, data=form, headers={"accept": "application/json"})
        except outbound.http_error() as exc:
            raise IntrospectionUnavailable(exc.__class__.__name__) from None
        if response.status_code != 200 or len(response.content) > _MAX_ANSWER:
            raise IntrospectionUnavailable(f"HTTP {response.status_code}")
        try:
            answer: Any = response.json()
        except ValueError:
            raise IntrospectionUnavailable("answer is not JSON") from None
        if not isinstance(answer, dict) or not isinstance(answer.get("active"), bool):
            raise IntrospectionUnavailable("answer has no boolean 'active'")
        now = self._clock.wall()
        negative = (None, now + self.config.cache.negative_ttl)
        if not answer["active"]:
            return negative
        exp = answer.get("exp")
        if isinstance(exp, int | float) and exp <= now:
            return negative
        if self.config.audience is not None:
            aud = answer.get("aud")
            auds = {aud} if isinstance(aud, str) else set(aud) if isinstance(aud, list) else set()
            if self.config.audience not in auds:
                return negative
        identity = identity_from_claims(
            answer,
            self.config.claims,
            method="introspection",
            key_id=token_hash(token),
            expires_at=float(exp) if isinstance(exp, int | float) else None,
        )
        if identity is None:
            return negative
        until = now + self.config.cache.ttl
        if isinstance(exp, int | float):
            until = min(until, float(exp))
        return identity, until


class IntrospectionUnavailable(Exception):
    pass
