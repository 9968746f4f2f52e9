"""Encryption at rest: AES-256-GCM with keys derived from the server secret, and rotation.

A sealed value reads `v1.<secret id>.<base64url(nonce + ciphertext)>`: the secret id says which
secret's key opens it, so values sealed before a rotation (`secrets.previous`) still open while new
ones are sealed with the current secret. The associated data binds a value to where it belongs (a
value moved to another field or record does not open).
"""

from __future__ import annotations

import base64
import os
from typing import TYPE_CHECKING

from bastion.crypto.keyring import Keyring

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_PURPOSE = "encryption-at-rest"
_NONCE = 12
_TAG = 16


class SealError(ValueError):
    pass


def _cipher(key: bytes) -> AESGCM:
    """cryptography is imported on the first seal or open: a worker that never records an alert or
    a ban does not carry it (about 10 MB resident)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: PLC0415  see above

    return AESGCM(key)


class Sealer:
    def __init__(self, keyring: Keyring) -> None:
        self._keyring = keyring

    @property
    def available(self) -> bool:
        return self._keyring.available

    def seal(self, plaintext: bytes, associated: bytes = b"") -> str:
        key = self._keyring.current(_PURPOSE)
        nonce = os.urandom(_NONCE)
        sealed = _cipher(key.key).encrypt(nonce, plaintext, associated)
        return f"v1.{key.secret_id}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def open(self, token: str, associated: bytes = b"") -> bytes:
        try:
            version, secret_id, data = token.split(".", 2)
        except ValueError:
            raise SealError("not a sealed value") from None
        if version != "v1":
            raise SealError(f"unknown sealing version {version}")
        key = self._keyring.all(_PURPOSE).get(secret_id)
        if key is None:
            raise SealError(f"sealed with secret {secret_id}, which is no longer configured")
        try:
            raw = base64.urlsafe_b64decode(data)
        except ValueError:
            raise SealError("not a sealed value") from None
        if len(raw) < _NONCE + _TAG:
            raise SealError("not a sealed value")
        from cryptography.exceptions import InvalidTag  # noqa: PLC0415  see _cipher

        try:
            return _cipher(key).decrypt(raw[:_NONCE], raw[_NONCE:], associated)
        except InvalidTag:
            raise SealError("sealed value was altered or belongs elsewhere") from None
