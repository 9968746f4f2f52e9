"""Who the client is, and what the upstream is told about it.

X-Forwarded-For is only believed from peers listed as trusted proxies: anyone else could write any
address there and walk around IP bans and per-IP rate limits.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from functools import lru_cache

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
_PLAIN_HOST = re.compile(r"[A-Za-z0-9.\-:\[\]]{1,255}")


class ClientAddressResolver:
    def __init__(self, trusted_proxies: Sequence[str]) -> None:
        self._trusted: tuple[IPNetwork, ...] = tuple(
            ipaddress.ip_network(cidr, strict=False) for cidr in trusted_proxies
        )

    @property
    def enabled(self) -> bool:
        return bool(self._trusted)

    def resolve(self, peer: str, forwarded_for: Sequence[str]) -> str:
        """The rightmost address in X-Forwarded-For that is not a trusted proxy, else the peer."""
        if not self._trusted or not forwarded_for or not self._is_trusted(peer):
            return peer
        hops = [hop.strip() for value in forwarded_for for hop in value.split(",")]
        client = peer
        for hop in reversed(hops):
            address = _parse_ip(hop)
            if address is None:
                break  # garbage in the chain: stop at the last address we could vouch for
            client = address
            if not self._is_trusted(address):
                break
        return client

    def _is_trusted(self, address: str) -> bool:
        return _is_in(address, self._trusted)


@lru_cache(maxsize=4096)
def _is_in(address: str, networks: tuple[IPNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _parse_ip(text: str) -> str | None:
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def forwarded_element(client: str, proto: str, host: str) -> str:
    """One RFC 7239 Forwarded element; IPv6 addresses are quoted and bracketed as it requires."""
    node = f'"[{client}]"' if ":" in client else client
    parts = [f"for={node}", f"proto={proto}"]
    if host and _PLAIN_HOST.fullmatch(host):
        parts.append(f'host="{host}"')
    return ";".join(parts)
