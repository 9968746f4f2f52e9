"""Where the target is, as far as the scanner's manners go: this machine, a private network, or the world.

The answer sets the default request rate (a loopback API is the developer's own; a public one is
someone's production), and tells the probes that need the target to call back (the `jku` JWKS, the
SSRF canary) which local address the target can reach.
"""

from __future__ import annotations

import ipaddress
import socket

LOOPBACK_RATE = 200.0
PRIVATE_RATE = 100.0
PUBLIC_RATE = 25.0


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    address = _address(host)
    return address is not None and address.is_loopback


def is_private(host: str) -> bool:
    """RFC 1918/4193 and link-local addresses, and single-label or `.internal`/`.local` names."""
    if is_loopback(host):
        return True
    address = _address(host)
    if address is not None:
        return address.is_private or address.is_link_local
    name = host.lower().rstrip(".")
    return "." not in name or name.endswith((".internal", ".local", ".lan", ".home.arpa"))


def default_rate(host: str) -> float:
    """Requests per second when --rate is not given: generous on this machine, polite elsewhere."""
    if is_loopback(host):
        return LOOPBACK_RATE
    if is_private(host):
        return PRIVATE_RATE
    return PUBLIC_RATE


def local_address_towards(host: str, port: int) -> str | None:
    """The local address the OS would use to reach `host` (a UDP connect sends no packet)."""
    if is_loopback(host):
        return "127.0.0.1"
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)
        family, _, _, _, address = infos[0]
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect(address)
            return str(probe.getsockname()[0])
    except (OSError, IndexError):
        return None
