"""Reading, cracking and forging JSON Web Tokens, as an attacker would (never used to trust a token).

The gateway verifies tokens with joserfc; this module does the opposite job: it builds the malformed
and forged tokens a careful attacker tries (`alg: none`, a stripped signature, an HMAC signed with the
server's public key, an embedded key) and tries a list of common secrets against an HS* signature.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from importlib import resources
from typing import Any

import orjson
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

HMAC_HASHES = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class ParsedToken:
    header: dict[str, Any]
    claims: dict[str, Any]
    signing_input: bytes
    signature: bytes

    @property
    def alg(self) -> str:
        return str(self.header.get("alg", ""))


def parse(token: str) -> ParsedToken | None:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header = orjson.loads(unb64(parts[0]))
        claims = orjson.loads(unb64(parts[1]))
        signature = unb64(parts[2])
    except (ValueError, orjson.JSONDecodeError):
        return None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return None
    return ParsedToken(header, claims, f"{parts[0]}.{parts[1]}".encode(), signature)


def encode(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    return f"{b64(orjson.dumps(header))}.{b64(orjson.dumps(claims))}.{b64(signature)}"


def sign_hmac(header: dict[str, Any], claims: dict[str, Any], key: bytes) -> str:
    alg = str(header.get("alg", "HS256"))
    signing_input = f"{b64(orjson.dumps(header))}.{b64(orjson.dumps(claims))}"
    digest = hmac.new(key, signing_input.encode(), HMAC_HASHES.get(alg, hashlib.sha256)).digest()
    return f"{signing_input}.{b64(digest)}"


def sign_rs256(header: dict[str, Any], claims: dict[str, Any], key: rsa.RSAPrivateKey) -> str:
    signing_input = f"{b64(orjson.dumps(header))}.{b64(orjson.dumps(claims))}"
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64(signature)}"


def public_jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, str]:
    numbers = key.public_key().public_numbers()
    return {
        "kty": "RSA",
        "kid": kid,
        "use": "sig",
        "alg": "RS256",
        "n": b64(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
        "e": b64(numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")),
    }


def common_secrets() -> list[str]:
    text = resources.files("bastion.scan").joinpath("data/jwt-secrets.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def crack(token: str, candidates: list[str]) -> str | None:
    """The HMAC secret among `candidates` that signed `token`, if any (offline: no request is sent)."""
    parsed = parse(token)
    if parsed is None or parsed.alg not in HMAC_HASHES:
        return None
    digest = HMAC_HASHES[parsed.alg]
    for candidate in candidates:
        for variant in (candidate, candidate.upper(), candidate.capitalize()):
            mac = hmac.new(variant.encode(), parsed.signing_input, digest).digest()
            if hmac.compare_digest(mac, parsed.signature):
                return variant
    return None
