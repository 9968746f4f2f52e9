"""Server-side request forgery: URLs that point the server at itself, its network or its cloud.

The host of every URL in a value is parsed the way URL libraries and resolvers parse it, alternate
IPv4 spellings included (decimal `2130706433`, hexadecimal `0x7f000001`, octal `0177.0.0.1`, short
`127.1`), IPv6 and IPv4-mapped IPv6, and classified: loopback, private, link-local (cloud metadata
lives at 169.254.169.254), unspecified, or a name known to resolve there (localhost, metadata
services, wildcard DNS such as 127.0.0.1.nip.io). Schemes that reach beyond HTTP (file, gopher,
dict, ldap, tftp, jar, netdoc, php wrappers) are refused on their own.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

DANGEROUS_SCHEMES = frozenset(
    {
        "file",
        "gopher",
        "dict",
        "ldap",
        "ldaps",
        "tftp",
        "jar",
        "netdoc",
        "phar",
        "expect",
        "glob",
        "sftp",
        "smb",
        "ssh2.shell",
        "ssh2.exec",
        "ogg",
        "rar",
        "zip",
        "compress.zlib",
        "compress.bzip2",
    }
)
INTERNAL_NAMES = re.compile(
    r"^(?:localhost|localhost\.localdomain|ip6-localhost|ip6-loopback|metadata|metadata\.google\.internal"
    r"|instance-data|instance-data\.ec2\.internal|metadata\.azure\.com|kubernetes\.default(?:\.svc)?"
    r"|[a-z0-9-]+\.localhost|metadata\.packet\.net|169\.254\.169\.254\.[a-z.]+)\.?$"
)
WILDCARD_DNS = re.compile(r"(?:^|\.)((?:\d{1,3}[.-]){3}\d{1,3})\.(?:nip\.io|xip\.io|sslip\.io|localtest\.me)$")
_URL = re.compile(r"([a-z][a-z0-9+.\-]{0,30}):(//?)([^\s\"'<>\\^`{|}]{0,2048})|(?<![a-z0-9.])//([^\s/\"'<>]{1,255})")


def parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Parse IPv4 the permissive way inet_aton does: 1 to 4 parts, each decimal, 0x-hex or 0-octal."""
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or any(p == "" for p in parts):
        return None
    numbers = []
    for part in parts:
        try:
            if part.startswith(("0x", "0X")):
                numbers.append(int(part[2:] or "0", 16))
            elif len(part) > 1 and part.startswith("0"):
                numbers.append(int(part, 8))
            else:
                numbers.append(int(part, 10))
        except ValueError:
            return None
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (5 - len(numbers)):
        return None
    value = 0
    for n in leading:
        value = value * 256 + n
    value = value * 256 ** (5 - len(numbers)) + last
    return ipaddress.IPv4Address(value) if value < 2**32 else None


def internal_address(host: str) -> str | None:
    """Why `host` points inside (loopback, private, link-local...), or None for a public host."""
    host = host.strip("[]").rstrip(".")
    if not host:
        return None
    address: Any = None
    if ":" in host:
        try:
            address = ipaddress.IPv6Address(host.split("%")[0])
        except ValueError:
            return None
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            address = mapped
    else:
        address = parse_ipv4(host)
        if address is None:
            if INTERNAL_NAMES.match(host):
                return "internal name"
            wildcard = WILDCARD_DNS.search(host)
            if wildcard:
                return internal_address(wildcard.group(1).replace("-", "."))
            return None
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local (cloud metadata)"
    if address.is_unspecified:
        return "unspecified"
    if address.is_private:
        return "private network"
    if address.is_reserved or address.is_multicast:
        return "reserved"
    return None


def _host_of(rest: str) -> str:
    authority = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    authority = authority.rsplit("@", 1)[-1]  # user:password@host
    if authority.startswith("["):
        return authority[: authority.find("]") + 1] if "]" in authority else authority
    return authority.rsplit(":", 1)[0] if authority.count(":") == 1 else authority


def ssrf(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    for match in _URL.finditer(text[:8192]):
        scheme, slashes, rest, bare = match.groups()
        if bare is not None:
            host = _host_of(bare)
            reason = internal_address(host)
            if reason:
                return 5, f"scheme-relative URL to {reason} host"
            continue
        if scheme in DANGEROUS_SCHEMES:
            return 5, f"{scheme}: URL"
        if slashes != "//" and scheme not in ("http", "https"):
            continue
        reason = internal_address(_host_of(rest))
        if reason:
            return 5, f"{scheme} URL to {reason} host"
    return 0, ""
