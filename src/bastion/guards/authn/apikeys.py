"""API keys: `bst_<environment>_<key id>_<secret>`, stored only as a keyed hash.

The key id is a public lookup handle; the secret half carries 256 bits of entropy. The store holds
HMAC-SHA256(server secret, whole key): a stolen database reveals no usable key, and without the
server secret the hashes cannot even be brute-forced offline. Lookup is by id, comparison in
constant time. The environment in the prefix keeps a test key from working against production.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
import re
import secrets
import time
from typing import Protocol

from bastion.config.authn import APIKeyMethod
from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.core.context import Context
from bastion.core.identity import Identity
from bastion.core.request import Request
from bastion.crypto.keyring import Keyring
from bastion.guards.authn.base import Attempt
from bastion.store.records import APIKeyRecord

log = logging.getLogger("bastion.authn.apikeys")

PURPOSE = "api-key-hash"
_KEY = re.compile(r"bst_([a-z0-9]{1,16})_([a-z2-7]{12})_([A-Za-z0-9_-]{43})")


class KeyStore(Protocol):
    def list_keys(self) -> list[APIKeyRecord]: ...

    def create_key(self, record: APIKeyRecord) -> None: ...

    def touch_keys(self, last_used: dict[str, float]) -> None: ...


def new_key(  # noqa: PLR0913  keyword-only: the fields of a new key record
    keyring: Keyring,
    *,
    name: str,
    environment: str,
    roles: tuple[str, ...],
    scopes: tuple[str, ...] = (),
    expires_at: float | None = None,
    tenant: str | None = None,
) -> tuple[str, APIKeyRecord]:
    """A fresh key and the record to store; the key itself is returned once and never stored."""
    key_id = base64.b32encode(secrets.token_bytes(10)).decode().lower()[:12]
    secret = secrets.token_urlsafe(32)
    key = f"bst_{environment}_{key_id}_{secret}"
    secret_id, digest = keyring.mac(PURPOSE, key.encode())
    record = APIKeyRecord(
        key_id=key_id,
        name=name,
        environment=environment,
        key_hash=digest,
        secret_id=secret_id,
        roles=roles,
        scopes=scopes,
        created_at=time.time(),
        expires_at=expires_at,
        tenant=tenant,
    )
    return key, record


def parse_key(key: str) -> tuple[str, str] | None:
    """(environment, key id) of a well-formed key, else None."""
    match = _KEY.fullmatch(key)
    return (match.group(1), match.group(2)) if match else None


class APIKeyAuthenticator:
    def __init__(self, config: APIKeyMethod, keyring: Keyring, store: KeyStore, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock
        self.config = config
        self.challenge = f'ApiKey header="{config.header}"'
        self._keys_by_secret = keyring.all(PURPOSE)
        self._store = store
        self._records: dict[str, APIKeyRecord] = {}
        self._used: dict[str, float] = {}
        self._task: asyncio.Task[None] | None = None
        self._loaded = False

    async def start(self) -> None:
        await asyncio.to_thread(self.reload)
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        await asyncio.to_thread(self._flush_used)

    def reload(self) -> None:
        self._records = {r.key_id: r for r in self._store.list_keys()}
        self._loaded = True

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.config.refresh)
            try:
                await asyncio.to_thread(self._refresh_and_flush)
            except Exception as exc:
                log.error("refreshing API keys failed, keeping the last known keys: %s", exc)

    def _refresh_and_flush(self) -> None:
        self._flush_used()
        self.reload()

    def _flush_used(self) -> None:
        used, self._used = self._used, {}
        if used:
            self._store.touch_keys(used)

    def credential(self, request: Request) -> str | None:
        value = request.headers.get(self.config.header)
        if value:
            return value.strip()
        auth = request.headers.get("authorization")
        if auth:
            scheme, _, rest = auth.partition(" ")
            if scheme.lower() == "apikey":
                return rest.strip()
        if self.config.query:
            for name, param in request.query_params:
                if name == self.config.query:
                    return param
        return None

    async def authenticate(self, request: Request, ctx: Context) -> Attempt | None:
        key = self.credential(request)
        if key is None:
            return None
        if not self._loaded:
            await asyncio.to_thread(self.reload)
        return self.check(key, self._clock.wall())

    def check(self, key: str, now: float) -> Attempt:  # noqa: PLR0911  one refusal per way a key fails, each named for the audit trail
        parsed = parse_key(key)
        if parsed is None:
            return Attempt.failed("api_key: malformed key")
        environment, key_id = parsed
        if environment != self.config.environment:
            return Attempt.failed(f"api_key: key of environment {environment!r}", account=key_id)
        record = self._records.get(key_id)
        if record is None:
            _burn(key)  # same work as a real comparison: do not reveal which ids exist
            return Attempt.failed("api_key: unknown key id", account=key_id)
        secret = self._keys_by_secret.get(record.secret_id)
        if secret is None:
            return Attempt.failed("api_key: hashed under a retired server secret", account=key_id)
        digest = hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(digest, record.key_hash):
            return Attempt.failed("api_key: wrong secret", account=key_id)
        if record.revoked_at is not None:
            return Attempt.failed("api_key: revoked", account=key_id)
        if record.expires_at is not None and record.expires_at <= now:
            return Attempt.failed("api_key: expired", account=key_id)
        self._used[key_id] = now
        return Attempt(
            Identity(
                subject=f"key:{record.name}",
                method="api_key",
                roles=frozenset(record.roles),
                scopes=frozenset(record.scopes),
                key_id=key_id,
                tenant=record.tenant,
                claims={"key_id": key_id, "name": record.name},
            )
        )


_BURN_KEY = secrets.token_bytes(32)


def _burn(key: str) -> None:
    hmac.compare_digest(hmac.new(_BURN_KEY, key.encode(), hashlib.sha256).hexdigest(), "0" * 64)
