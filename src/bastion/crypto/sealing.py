"""Encryption at rest: AES-256-GCM with keys derived from the server secret, and rotation.

A sealed value reads `v1.<secret id>.<base64url(nonce + ciphertext)>`: the secret id says which
secret's key opens it, so values sealed before a rotation (`secrets.previous`) still open while new
ones are sealed with the current secret. The associated data binds a value to where it belongs (a
value moved to another field or record does not open).
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from bastion.crypto.keyring import Keyring

_PURPOSE = "encryption-at-rest"


class SealError(ValueError):
    pass


class Sealer:
    def __init__(self, keyring: Keyring) -> None:
        self._keyring = keyring

    @property
    def available(self) -> bool:
        return self._keyring.available

    def seal(self, plaintext: bytes, associated: bytes = b"") -> str:
        key = self._keyring.current(_PURPOSE)
        nonce = os.urandom(12)
        sealed = AESGCM(key.key).encrypt(nonce, plaintext, associated)
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
        raw = base64.urlsafe_b64decode(data)
        try:
            return AESGCM(key).decrypt(raw[:12], raw[12:], associated)
        except InvalidTag:
            raise SealError("sealed value was altered or belongs elsewhere") from None
