"""Server secrets: the key behind API-key hashes, the audit chain and encryption at rest."""

from __future__ import annotations

from pydantic import Field, field_validator

from bastion.config.base import Section


class SecretsConfig(Section):
    """Server secrets; take them from ${ENV} or ${file:...}, never inline."""

    key: str | None = Field(
        None, description="Current server secret (32+ bytes): HMAC of API keys, audit chain, encryption."
    )
    previous: list[str] = Field(
        default_factory=list, description="Older secrets still accepted for decryption and verification."
    )

    @field_validator("key")
    @classmethod
    def _long_enough(cls, value: str | None) -> str | None:
        if value is not None and len(value.encode()) < 32:
            raise ValueError("the server secret must be at least 32 bytes (e.g. `openssl rand -base64 48`)")
        return value
