"""Who sent a request, as established by authentication and used by every later decision."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

_NO_CLAIMS: Mapping[str, Any] = MappingProxyType({})


class Identity(NamedTuple):
    """Immutable; a NamedTuple because one is built per authenticated request and it costs a third
    of a frozen dataclass to construct (measured in bench/test_authn_bench.py)."""

    subject: str
    method: str  # how it was proven: jwt, introspection, api_key, basic, mtls
    roles: frozenset[str] = frozenset()
    scopes: frozenset[str] = frozenset()
    client_id: str | None = None
    tenant: str | None = None
    key_id: str | None = None  # API key id or token hash: what the audit trail may show
    claims: Mapping[str, Any] = _NO_CLAIMS
    expires_at: float | None = None

    def attribute(self, name: str) -> Any:
        """Resolve `identity.<name>` in rules: well-known attributes first, then claims (dotted)."""
        if name in ("sub", "subject"):
            return self.subject
        if name in ("tenant", "client_id", "key_id", "method"):
            return getattr(self, name)
        if name in ("roles", "scopes"):
            return sorted(getattr(self, name))
        value: Any = self.claims
        for part in name.split("."):
            if not isinstance(value, Mapping) or part not in value:
                return None
            value = value[part]
        return value
