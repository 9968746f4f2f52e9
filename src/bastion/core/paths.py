"""The request target in the one form the gateway and the upstream both read the same way.

RFC 3986 §6.2.2: percent-encoded unreserved characters are the characters themselves (`%41dmin` is
`Admin`), and escapes are case-insensitive (`%2f` is `%2F`). The gateway routes on the decoded
segments; forwarding the target with unreserved escapes decoded and the others upper-cased means the
upstream never gets a spelling of the path that the gateway did not consider. Reserved escapes
(`%2F`, `%3B`, `%25`) stay escaped: decoding them would change the path's structure.
"""

from __future__ import annotations

import functools
import re

_ESCAPE = re.compile(rb"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Character classes only (linear time); label structure is checked apart.
_HOST = re.compile(r"(?:[A-Za-z0-9_.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?")


def _canonical_escape(match: re.Match[bytes]) -> bytes:
    byte = int(match.group(1), 16)
    return bytes((byte,)) if byte in _UNRESERVED else b"%" + match.group(1).upper()


def normalize_target(target: bytes) -> bytes:
    """The request target with its path's escapes in canonical form; the query is left as sent."""
    path, separator, query = target.partition(b"?")
    if b"%" not in path:
        return target
    return _ESCAPE.sub(_canonical_escape, path) + separator + query


def valid_host(host: str) -> bool:
    """A Host header an origin server can have (RFC 9110 §7.2: uri-host[:port]), read strictly: DNS
    labels or an IP literal, an optional port, nothing else (no userinfo, path, quotes or spaces)."""
    return len(host) <= 260 and _valid_host(host)  # the length first: only short values are remembered


@functools.lru_cache(maxsize=1024)  # a service sees a handful of Host values; checking costs 2 us
def _valid_host(host: str) -> bool:
    if _HOST.fullmatch(host) is None:
        return False
    if host.startswith("["):
        return True
    name = host.rsplit(":", 1)[0]
    return not (name.startswith((".", "-")) or ".." in name or ".-" in name or "-." in name)
