"""Transport: TLS versions older than 1.2, or weak cipher suites, accepted by the server."""

from __future__ import annotations

import socket
import ssl

from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter

INFO = CheckInfo(
    id="transport.weak-tls",
    title="Weak TLS version or cipher accepted",
    severity=Severity.MEDIUM,
    cwe=326,
    owasp="API8",
    remediation="Accept TLS 1.2 and 1.3 only, with AEAD cipher suites (AES-GCM, ChaCha20-Poly1305) and "
    "forward secrecy.",
    bastion='listen:\n  tls: {cert: ..., key: ..., min_version: "1.2"}   # Bastion never offers weaker suites',
)
VERSIONS = [("TLS 1.0", ssl.TLSVersion.TLSv1), ("TLS 1.1", ssl.TLSVersion.TLSv1_1)]
WEAK_CIPHERS = ["RC4", "3DES", "DES", "NULL", "EXPORT", "aNULL", "MD5"]


def handshake(host: str, port: int, *, version: ssl.TLSVersion | None = None, ciphers: str | None = None) -> str | None:
    """The negotiated version/cipher if the server accepts this offer; None when it refuses."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # we test what the server accepts, not who it is
    try:
        if version is not None:
            context.minimum_version = version
            context.maximum_version = version
        context.set_ciphers((ciphers or "DEFAULT") + ":@SECLEVEL=0")
    except (ssl.SSLError, ValueError):
        return None  # this OpenSSL cannot even offer it: untestable here
    try:
        with (
            socket.create_connection((host, port), timeout=5) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            cipher = tls.cipher()
            return f"{tls.version()} {cipher[0] if cipher else ''}".strip()
    except (OSError, ssl.SSLError):
        return None


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    if ctx.target.scheme != "https":
        report.skip("the target is not https")
        return
    report.tested("*")
    host, port = ctx.target.host, ctx.target.port
    accepted = []
    for name, version in VERSIONS:
        result = handshake(host, port, version=version)
        if result:
            accepted.append(f"{name} ({result})")
    for cipher in WEAK_CIPHERS:
        result = handshake(host, port, version=ssl.TLSVersion.TLSv1_2, ciphers=cipher)
        if result:
            accepted.append(f"{cipher} cipher suite ({result})")
    if accepted:
        report.finding(
            "*",
            f"{host}:{port} accepts {', '.join(accepted)}.",
            confidence=Confidence.CERTAIN,
        )
