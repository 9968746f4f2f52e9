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


@dataclass(frozen=True, slots=True)
class AlertRecord:
    id: str
    ts: float
    detector: str
    kind: str
    mode: str
    offender_kind: str
    offender_lookup: str  # keyed hash of the offender: lets alerts of one offender be grouped
    sealed: str  # crypto/sealing.py: offender, summary, evidence (event references)
    incident_id: str | None = None
    responses: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IncidentRecord:
    id: str
    opened_at: float
    updated_at: float
    status: str  # open, resolved
    offender_kind: str
    offender_lookup: str
    title_sealed: str
    alerts: int
    resolved_at: float | None
    note_sealed: str | None


@dataclass(frozen=True, slots=True)
class BanRecord:
    id: int
    kind: str  # ip, subject, key
    lookup: str  # keyed hash of the value: what the gateway matches requests against
    value_sealed: str
    created_at: float
    until: float
    level: int
    reason: str
    lifted_at: float | None = None
