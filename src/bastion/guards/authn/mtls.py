"""Client certificates as identity: verified against listen.tls.client_ca during the handshake.

Only a certificate the TLS layer already verified reaches this method; it maps the certificate's
subject CN, first SAN or SHA-256 fingerprint to an identity and its roles.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from cryptography import x509
from cryptography.x509.oid import NameOID

from bastion.config.authn import MTLSMethod
from bastion.core.context import Context
from bastion.core.identity import Identity
from bastion.core.request import Request
from bastion.guards.authn.base import Attempt


@lru_cache(maxsize=4096)
def certificate_names(der: bytes) -> tuple[str, str | None, str]:
    """(subject CN, first SAN, SHA-256 fingerprint hex) of a DER certificate; cached per certificate."""
    cert = x509.load_der_x509_certificate(der)
    cns = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    cn = str(cns[0].value) if cns else cert.subject.rfc4514_string()
    san: str | None = None
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        for general in names:
            san = str(general.value)
            break
    except x509.ExtensionNotFound:
        pass
    return cn, san, hashlib.sha256(der).hexdigest()


class MTLSAuthenticator:
    def __init__(self, config: MTLSMethod) -> None:
        self.config = config
        self.challenge = ""  # not an HTTP challenge: the client must present a certificate in TLS

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def authenticate(self, request: Request, ctx: Context) -> Attempt | None:
        cert = request.tls.peer_cert if request.tls is not None else None
        if not cert:
            return None
        try:
            cn, san, fingerprint = certificate_names(cert)
        except ValueError:
            return Attempt.failed("mtls: unreadable certificate")
        subject = {"subject": cn, "san": san, "fingerprint": fingerprint}[self.config.identity]
        if not subject:
            return Attempt.failed("mtls: the certificate has no name of the configured kind")
        roles = self.config.roles.get(subject, self.config.default_roles)
        return Attempt(
            Identity(
                subject=subject,
                method="mtls",
                roles=frozenset(roles),
                key_id=f"cert:{fingerprint[:16]}",
                claims={"x5t#S256_hex": fingerprint},
            )
        )
