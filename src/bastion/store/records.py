"""The shapes of durable records, independent of the database holding them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class APIKeyRecord:
    key_id: str  # public lookup id, part of the key itself
    name: str
    environment: str
    key_hash: str  # hex HMAC-SHA256 of the whole key under the server secret `secret_id`
    secret_id: str  # which server secret keyed the hash (rotation)
    roles: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    created_at: float = 0.0
    expires_at: float | None = None
    revoked_at: float | None = None
    last_used_at: float | None = None
    replaced_by: str | None = None
    tenant: str | None = None


@dataclass(frozen=True, slots=True)
class Revocation:
    kind: str  # "token" (by jti or token hash) or "key" (by key id)
    value: str
    expires_at: float | None  # when the entry may be forgotten (a token's own expiry); None: never
    reason: str = ""
    created_at: float = 0.0
    seq: int = field(default=0, compare=False)
