"""Purpose-bound keys derived from the server secret, with rotation.

One operator secret (`secrets.key`) is stretched with HKDF into independent keys per purpose, so
that the API-key hashes, the audit chain and the encryption at rest never share key material.
Older secrets (`secrets.previous`) still verify and decrypt; only the current one signs and encrypts.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from bastion.config.secrets import SecretsConfig


class MissingSecret(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class PurposeKey:
    secret_id: str  # public: which operator secret it came from
    key: bytes


def secret_id(secret: bytes) -> str:
    return hashlib.sha256(b"bastion-secret-id:" + secret).hexdigest()[:12]


class Keyring:
    def __init__(self, config: SecretsConfig) -> None:
        secrets = [s.encode() for s in ([config.key] if config.key else []) + list(config.previous)]
        self._secrets = secrets
        self._ids = [secret_id(s) for s in secrets]

    @property
    def available(self) -> bool:
        return bool(self._secrets)

    def current(self, purpose: str) -> PurposeKey:
        if not self._secrets:
            raise MissingSecret("secrets.key is not set")
        return PurposeKey(self._ids[0], _derive(self._secrets[0], purpose))

    def all(self, purpose: str) -> dict[str, bytes]:
        """Every usable key for a purpose by secret id: the current first, then the previous ones."""
        return {sid: _derive(secret, purpose) for sid, secret in zip(self._ids, self._secrets, strict=True)}

    def mac(self, purpose: str, data: bytes) -> tuple[str, str]:
        key = self.current(purpose)
        return key.secret_id, hmac.new(key.key, data, hashlib.sha256).hexdigest()


def _derive(secret: bytes, purpose: str) -> bytes:
    return hkdf_sha256(secret, salt=b"bastion-keyring-v1", info=purpose.encode())


def hkdf_sha256(key_material: bytes, *, salt: bytes, info: bytes) -> bytes:
    """HKDF-SHA256 (RFC 5869) of one 32-byte key: one extract and one expand block.

    Written with the standard library's HMAC because importing cryptography for these two HMACs
    costs every worker about 10 MB of resident memory; tests/test_keyring.py checks it against
    RFC 5869's test vectors and against cryptography's HKDF.
    """
    pseudorandom_key = hmac.new(salt, key_material, hashlib.sha256).digest()
    return hmac.new(pseudorandom_key, info + b"\x01", hashlib.sha256).digest()
