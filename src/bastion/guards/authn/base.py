"""What every authentication method shares: the attempt result and claim-to-identity mapping."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from bastion.config.authn import ClaimMapping
from bastion.core.context import Context
from bastion.core.identity import Identity
from bastion.core.request import Request


@dataclass(frozen=True, slots=True)
class Attempt:
    """A method recognised the credential: it either proved an identity or failed for `failure`."""

    identity: Identity | None
    failure: str | None = None  # precise reason, for the audit trail only
    account: str | None = None  # the account the credential claimed, for brute-force accounting
    unavailable: bool = False  # the verifier could not decide (e.g. introspection down): fail closed

    @classmethod
    def failed(cls, reason: str, account: str | None = None) -> Attempt:
        return cls(None, reason, account)


class Authenticator(Protocol):
    challenge: str  # its WWW-Authenticate challenge

    async def authenticate(self, request: Request, ctx: Context) -> Attempt | None:
        """None when the request carries no credential of this kind."""
        ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def claim(claims: Mapping[str, Any], path: str | None) -> Any:
    """Read a dotted claim path (realm_access.roles); a literal key with dots wins if present."""
    if path is None:
        return None
    if path in claims:
        return claims[path]
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _names(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset(v for v in value.replace(",", " ").split() if v)
    if isinstance(value, list | tuple):
        return frozenset(str(v) for v in value if isinstance(v, str | int))
    return frozenset()


def identity_from_claims(
    claims: Mapping[str, Any], mapping: ClaimMapping, *, method: str, key_id: str | None, expires_at: float | None
) -> Identity | None:
    subject = claim(claims, mapping.subject)
    if not isinstance(subject, str | int) or subject == "":
        return None
    client = claim(claims, mapping.client_id) or claims.get("client_id")
    tenant = claim(claims, mapping.tenant)
    return Identity(
        subject=str(subject),
        method=method,
        roles=_names(claim(claims, mapping.roles)),
        scopes=_names(claim(claims, mapping.scopes)),
        client_id=str(client) if isinstance(client, str | int) else None,
        tenant=str(tenant) if isinstance(tenant, str | int) else None,
        key_id=key_id,
        claims=claims,
        expires_at=expires_at,
    )


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None
