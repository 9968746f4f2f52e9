"""The keyring's HKDF is RFC 5869's, byte for byte: keys derived before it left cryptography still open
what they sealed, verify the audit chains they signed and match the API-key hashes they made."""

from __future__ import annotations

import base64
import subprocess
import sys
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


# draft-irtf-cfrg-xchacha-03, appendix A.3.1: AEAD_XChaCha20_Poly1305
XCHACHA_KEY = bytes(range(0x80, 0xA0))
XCHACHA_NONCE = bytes(range(0x40, 0x58))
XCHACHA_AAD = bytes.fromhex("50515253c0c1c2c3c4c5c6c7")
XCHACHA_PLAINTEXT = (
    b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
    b"sunscreen would be it."
)
XCHACHA_SEALED = bytes.fromhex(
    "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216"
    "cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13"
    "b52e"
    "c0875924c1c7987947deafd8780acf49"  # the tag
)


def test_v2_values_are_xchacha20_poly1305_as_the_draft_defines_it() -> None:
    """A token built by hand from the draft's test vector opens: nonce, ciphertext, tag, nothing else."""
    keyring = Keyring(SecretsConfig(key="an-operator-secret-0123456789-abcdefghij"))
    sid = keyring.current("encryption-at-rest/xchacha20poly1305").secret_id

    class VectorKeyring(Keyring):
        def all(self, purpose: str) -> dict[str, bytes]:
            return {sid: XCHACHA_KEY}

    token = f"v2.{sid}.{base64.urlsafe_b64encode(XCHACHA_NONCE + XCHACHA_SEALED).decode()}"
    assert (
        Sealer(VectorKeyring(SecretsConfig(key="an-operator-secret-0123456789-abcdefghij"))).open(token, XCHACHA_AAD)
        == XCHACHA_PLAINTEXT
    )


def test_a_sealed_value_opens_and_carries_a_fresh_nonce() -> None:
    sealer = _sealer()
    first, second = (sealer.seal(b"alert details: 198.51.100.7", b"alert-1") for _ in range(2))
    assert first.startswith("v2.")
    assert first != second
    assert sealer.open(first, b"alert-1") == sealer.open(second, b"alert-1") == b"alert details: 198.51.100.7"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda token: token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1], "altered"),  # the tag
        (lambda token: token.rsplit(".", 1)[0] + ".AAAA", "not a sealed value"),  # shorter than nonce + tag
        (lambda token: token.rsplit(".", 1)[0] + ".%%%", "not a sealed value"),  # not base64
        (lambda token: "v3" + token[2:], "unknown sealing version"),
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


def test_sealing_does_not_import_cryptography() -> None:
    """A worker's first alert is sealed: cryptography's one Rust extension would page in 6.5 MiB of
    its 80 MB; only a value sealed before v2 brings it in."""
    code = (
        "import sys\n"
        "from bastion.config.secrets import SecretsConfig\n"
        "from bastion.crypto.keyring import Keyring\n"
        "from bastion.crypto.sealing import Sealer\n"
        "sealer = Sealer(Keyring(SecretsConfig(key='an-operator-secret-0123456789-abcdefghij')))\n"
        "assert sealer.open(sealer.seal(b'x', b'a'), b'a') == b'x'\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'cryptography'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"
