"""Encryption at rest: XChaCha20-Poly1305 with keys derived from the server secret, and rotation.

A sealed value reads `v2.<secret id>.<base64url(nonce + ciphertext + tag)>`: the secret id says
which secret's key opens it, so values sealed before a rotation (`secrets.previous`) still open
while new ones are sealed with the current secret. The associated data binds a value to where it
belongs (a value moved to another field or record does not open).

Why XChaCha20-Poly1305 (libsodium, through PyNaCl) and not AES-GCM (cryptography), which sealed
`v1` values until 2026-12: its 24-byte nonce can be drawn at random for every value with no limit
worth counting (a 12-byte random nonce wears a key out after about 2^32 values), and libsodium's
extension pages in 0.8 MiB where cryptography's single Rust extension paged in 6.5 MiB of a
worker's 80 MB on the first alert. `v1` values still open: cryptography is then imported, once.
"""

from __future__ import annotations

import base64
import os

from bastion.crypto.keyring import Keyring

_PURPOSE = "encryption-at-rest/xchacha20poly1305"  # its own key: never one key for two ciphers
_V1_PURPOSE = "encryption-at-rest"
_NONCE = 24
_V1_NONCE = 12
_TAG = 16


class SealError(ValueError):
    pass


class Sealer:
    def __init__(self, keyring: Keyring) -> None:
        self._keyring = keyring

    @property
    def available(self) -> bool:
        return self._keyring.available

    def seal(self, plaintext: bytes, associated: bytes = b"") -> str:
        from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_encrypt  # noqa: PLC0415  only once a value is sealed

        key = self._keyring.current(_PURPOSE)
        nonce = os.urandom(_NONCE)
        sealed = crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, associated, nonce, key.key)
        return f"v2.{key.secret_id}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def open(self, token: str, associated: bytes = b"") -> bytes:
        try:
            version, secret_id, data = token.split(".", 2)
        except ValueError:
            raise SealError("not a sealed value") from None
        if version not in ("v1", "v2"):
            raise SealError(f"unknown sealing version {version}")
        key = self._keyring.all(_PURPOSE if version == "v2" else _V1_PURPOSE).get(secret_id)
        if key is None:
            raise SealError(f"sealed with secret {secret_id}, which is no longer configured")
        try:
            raw = base64.urlsafe_b64decode(data)
        except ValueError:
            raise SealError("not a sealed value") from None
        if len(raw) < (_NONCE if version == "v2" else _V1_NONCE) + _TAG:
            raise SealError("not a sealed value")
        opened = _open_v2(key, raw, associated) if version == "v2" else _open_v1(key, raw, associated)
        if opened is None:
            raise SealError("sealed value was altered or belongs elsewhere")
        return opened


def _open_v2(key: bytes, raw: bytes, associated: bytes) -> bytes | None:
    from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_decrypt  # noqa: PLC0415  see seal
    from nacl.exceptions import CryptoError  # noqa: PLC0415

    try:
        return crypto_aead_xchacha20poly1305_ietf_decrypt(raw[_NONCE:], associated, raw[:_NONCE], key)
    except CryptoError:
        return None


def _open_v1(key: bytes, raw: bytes, associated: bytes) -> bytes | None:
    """AES-256-GCM, as values were sealed before `v2`."""
    from cryptography.exceptions import InvalidTag  # noqa: PLC0415  only for values sealed before v2
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: PLC0415

    try:
        return AESGCM(key).decrypt(raw[:_V1_NONCE], raw[_V1_NONCE:], associated)
    except InvalidTag:
        return None
