"""TLS contexts: termination for clients (TLS 1.2+, modern AEAD suites, optional mTLS)."""

from __future__ import annotations

import ssl

from bastion.config.listen import TLSConfig
from bastion.core.request import TLSInfo
from bastion.errors import StartupError

# Forward-secret AEAD suites only; TLS 1.3 suites are always modern and not configured here.
MODERN_CIPHERS = ":".join(
    [
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        "ECDHE-RSA-CHACHA20-POLY1305",
    ]
)


class TLSSetupError(StartupError):
    pass


def server_context(config: TLSConfig) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_3 if config.min_version == "1.3" else ssl.TLSVersion.TLSv1_2
    context.set_ciphers(MODERN_CIPHERS)
    context.options |= ssl.OP_NO_COMPRESSION | ssl.OP_CIPHER_SERVER_PREFERENCE | ssl.OP_NO_RENEGOTIATION
    try:
        context.load_cert_chain(str(config.cert), str(config.key))
    except (OSError, ssl.SSLError) as exc:
        raise TLSSetupError(f"listen.tls: cannot load cert/key: {exc.__class__.__name__}: {exc}") from None
    if config.client_cert != "none" and config.client_ca is not None:
        try:
            context.load_verify_locations(cafile=str(config.client_ca))
        except (OSError, ssl.SSLError) as exc:
            raise TLSSetupError(f"listen.tls.client_ca: cannot load: {exc}") from None
        context.verify_mode = ssl.CERT_REQUIRED if config.client_cert == "required" else ssl.CERT_OPTIONAL
    context.set_alpn_protocols(["http/1.1"])
    return context


def client_context() -> ssl.SSLContext:
    """For an https:// upstream: verified against the system trust store, TLS 1.2+."""
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def tls_info(ssl_object: ssl.SSLObject | None) -> TLSInfo | None:
    """What a terminated connection's TLS tells the pipeline (version, cipher, the client's certificate)."""
    if ssl_object is None:
        return None
    cipher = ssl_object.cipher()
    return TLSInfo(
        version=ssl_object.version(),
        cipher=cipher[0] if cipher else None,
        peer_cert=ssl_object.getpeercert(binary_form=True),
    )
