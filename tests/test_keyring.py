"""The keyring's HKDF is RFC 5869's, byte for byte: keys derived before it left cryptography still open
what they sealed, verify the audit chains they signed and match the API-key hashes they made."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bastion.config.secrets import SecretsConfig
from bastion.crypto.keyring import Keyring, hkdf_sha256
from bastion.crypto.sealing import Sealer, SealError

# RFC 5869 appendix A, test cases 1 and 3 (SHA-256): the first 32 bytes of each OKM
RFC_5869 = [
    (
        bytes.fromhex("0b" * 22),
        bytes.fromhex("000102030405060708090a0b0c"),
        bytes.fromhex("f0f1f2f3f4f5f6f7f8f9"),
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf",
    ),
    (bytes.fromhex("0b" * 22), b"", b"", "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"),
]


@pytest.mark.parametrize(("key_material", "salt", "info", "okm"), RFC_5869)
def test_hkdf_matches_the_rfc_test_vectors(key_material: bytes, salt: bytes, info: bytes, okm: str) -> None:
    assert hkdf_sha256(key_material, salt=salt, info=info).hex() == okm


@pytest.mark.parametrize("purpose", ["audit-chain", "audit-account", "encryption-at-rest", "api-keys", "ü"])
def test_keys_are_those_cryptography_derived(purpose: str) -> None:
    secret = "an-operator-secret-0123456789-abcdefghij"
    expected = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"bastion-keyring-v1", info=purpose.encode()).derive(
        secret.encode()
    )
    keyring = Keyring(SecretsConfig(key=secret))
    assert keyring.current(purpose).key == expected
    assert keyring.all(purpose) == {keyring.current(purpose).secret_id: expected}


def test_a_value_sealed_with_a_cryptography_derived_key_still_opens() -> None:
    """A sealed value written by an earlier release (its key from cryptography's HKDF) opens."""
    secret = "an-operator-secret-0123456789-abcdefghij"
    keyring = Keyring(SecretsConfig(key=secret))
    old_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"bastion-keyring-v1", info=b"encryption-at-rest").derive(
        secret.encode()
    )
    nonce = bytes(12)
    sealed = AESGCM(old_key).encrypt(nonce, b"203.0.113.9", b"ban")
    token = f"v1.{keyring.current('encryption-at-rest').secret_id}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"
    assert Sealer(keyring).open(token, b"ban") == b"203.0.113.9"


def _sealer() -> Sealer:
    return Sealer(Keyring(SecretsConfig(key="an-operator-secret-0123456789-abcdefghij")))


def test_what_the_sealer_seals_opens_with_cryptography() -> None:
    """The bytes are AES-256-GCM's as cryptography reads them: nonce, ciphertext, 16-byte tag."""
    sealer = _sealer()
    token = sealer.seal(b"alert details: 198.51.100.7", b"alert-1")
    raw = base64.urlsafe_b64decode(token.split(".", 2)[2])
    key = Keyring(SecretsConfig(key="an-operator-secret-0123456789-abcdefghij")).current("encryption-at-rest").key
    assert AESGCM(key).decrypt(raw[:12], raw[12:], b"alert-1") == b"alert details: 198.51.100.7"
    assert sealer.open(token, b"alert-1") == b"alert details: 198.51.100.7"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda token: token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1], "altered"),  # the tag
        (lambda token: token.rsplit(".", 1)[0] + ".AAAA", "not a sealed value"),  # shorter than nonce + tag
        (lambda token: token.rsplit(".", 1)[0] + ".%%%", "not a sealed value"),  # not base64
        (lambda token: "v2" + token[2:], "unknown sealing version"),
        (lambda token: "v1.nosuchsecret." + token.split(".", 2)[2], "no longer configured"),
    ],
)
def test_a_changed_sealed_value_is_refused_by_name(change: Callable[[str], str], message: str) -> None:
    sealer = _sealer()
    token = sealer.seal(b"203.0.113.9", b"ban")
    with pytest.raises(SealError, match=message):
        sealer.open(change(token), b"ban")


def test_a_sealed_value_moved_elsewhere_does_not_open() -> None:
    sealer = _sealer()
    with pytest.raises(SealError, match="belongs elsewhere"):
        sealer.open(sealer.seal(b"203.0.113.9", b"ban"), b"incident-note")
