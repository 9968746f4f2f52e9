"""An issuer's verification keys, each bound to the algorithms it may verify.

Kept apart from the public-key parsing in `jwks.py` so that an issuer with only a shared secret
(HS*) never imports joserfc and, through it, cryptography: together about 100 modules and 10 MB of
resident memory per worker that an HMAC check does not need.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from joserfc.jwk import ECKey, OKPKey, RSAKey


@dataclass(frozen=True, slots=True)
class SharedSecret:
    """An HS* key: the issuer's secret bytes (never logged, never in a repr)."""

    raw_value: bytes

    def __repr__(self) -> str:
        return "SharedSecret(<redacted>)"

    def thumbprint(self) -> str:
        return hashlib.sha256(b"bastion-hmac-key:" + self.raw_value).hexdigest()


@dataclass(frozen=True, slots=True)
class VerifyKey:
    kid: str | None
    key: SharedSecret | RSAKey | ECKey | OKPKey
    algorithms: frozenset[str]  # what this key may verify, and nothing else


class KeySet:
    def __init__(self, keys: Iterable[VerifyKey] = ()) -> None:
        self.by_kid: dict[str | None, list[VerifyKey]] = {}
        self.all: list[VerifyKey] = []
        for key in keys:
            self.by_kid.setdefault(key.kid, []).append(key)
            self.all.append(key)

    def candidates(self, kid: str | None, alg: str) -> list[VerifyKey] | None:
        """Keys that may verify this token; None when the kid is unknown (a refetch may help)."""
        if kid is None:
            return [k for k in self.all if alg in k.algorithms]
        keys = self.by_kid.get(kid)
        if keys is None:
            return None
        return [k for k in keys if alg in k.algorithms]

    @property
    def fingerprint(self) -> frozenset[tuple[str | None, str]]:
        return frozenset((k.kid, k.key.thumbprint()) for k in self.all)
