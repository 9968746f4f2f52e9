"""HTTP Basic for legacy clients, with Argon2id password hashes.

Argon2 is deliberately slow (tens of milliseconds), so verification runs in worker threads, a few at
a time, never on the event loop. Unknown users are verified against a dummy hash so that they take
as long as known ones (no user enumeration by timing). A verified password is remembered for a short
time under a keyed hash, because legacy clients send it with every request.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import secrets
from collections import OrderedDict

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bastion.config.authn import BasicMethod
from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.core.context import Context
from bastion.core.identity import Identity
from bastion.core.request import Request
from bastion.guards.authn.base import Attempt

_HASHER = PasswordHasher()
_CACHE_SIZE = 10_000


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


class BasicAuthenticator:
    def __init__(self, config: BasicMethod, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock
        self.config = config
        self.challenge = f'Basic realm="{config.realm}", charset="UTF-8"'
        self._dummy = _HASHER.hash(secrets.token_urlsafe(16))
        self._slots = asyncio.Semaphore(config.max_concurrent)
        self._cache_key = secrets.token_bytes(32)
        self._cache: OrderedDict[bytes, tuple[Identity, float]] = OrderedDict()

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def authenticate(self, request: Request, ctx: Context) -> Attempt | None:
        header = request.headers.get("authorization")
        if not header:
            return None
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            username, sep, password = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
        except ValueError:
            # binascii.Error, UnicodeDecodeError, and the ValueError b64decode raises for non-ASCII
            # text (`Basic \xff\xfe`): all one undecodable credential, a failed attempt like any other
            return Attempt.failed("basic: undecodable credentials")
        if not sep or len(username) > 256 or len(password) > 1024:
            return Attempt.failed("basic: malformed credentials", account=username[:256] or None)
        return await self.check(username, password)

    async def check(self, username: str, password: str) -> Attempt:
        now = self._clock.wall()
        cache_key = hmac.new(self._cache_key, f"{username}\x00{password}".encode(), hashlib.sha256).digest()
        cached = self._cache.get(cache_key)
        if cached is not None and cached[1] > now:
            return Attempt(cached[0])
        user = self.config.users.get(username)
        stored = user.password_hash if user is not None else self._dummy
        async with self._slots:
            ok = await asyncio.to_thread(_verify, stored, password)
        if user is None or not ok:
            return Attempt.failed("basic: wrong username or password", account=username)
        identity = Identity(
            subject=username,
            method="basic",
            roles=frozenset(user.roles),
            scopes=frozenset(user.scopes),
            key_id=f"basic:{username}",
        )
        if self.config.cache > 0:
            self._cache[cache_key] = (identity, now + self.config.cache)
            if len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return Attempt(identity)


def _verify(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
