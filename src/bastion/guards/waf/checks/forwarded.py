"""Hosts named by the headers that carry one: X-Forwarded-Host and its kin, X-Forwarded-For and its.

Applications build their own links and callbacks from X-Forwarded-Host; logs, geolocation and
analytics read the client's address from X-Forwarded-For. A header that is just a metadata or
link-local host, or a URL where a client's address belongs, is a request aimed past the gateway.
"""

from __future__ import annotations

import re

from bastion.guards.waf.checks.ssrf import host_reason

# What no client is ever served from, and numeric hosts in obfuscated spellings. Loopback and
# private addresses are left alone: a development proxy in front of a local gateway sends
# `X-Forwarded-Host: localhost:3000`, an internal load balancer its own address.
_NEVER_A_CLIENTS_HOST = ("link-local", "cloud metadata", "unspecified", "DNS rebinding", "name spelling", "obfuscated")


_HOST_HEADER = re.compile(
    r"host|forward|origin|url|uri|server|proxy|backend|upstream|target|dest|endpoint|callback|redirect|addr|\bip\b|-ip$"
)


def forwarded_host(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    """A header that is one host and names cloud metadata, a link-local or unspecified address or
    a name spelling an internal address: X-Forwarded-Host and its kin are what applications build
    their own links and callbacks from (host header poisoning, SSRF), and no other header is ever
    just such a host."""
    host = text.strip()
    if host.startswith("["):
        host = host[: host.find("]") + 1]
    elif host.count(":") == 1:
        host = host.rsplit(":", 1)[0]
    if host == "0" and not _HOST_HEADER.search(getattr(target, "location", "")):
        return 0, ""  # `0` is 0.0.0.0 to a URL parser, and a count, an index or a flag anywhere else
    reason = host_reason(host)
    if reason is None or not reason.startswith(_NEVER_A_CLIENTS_HOST):
        return 0, ""
    return 5, f"a header naming a {reason} host"


FORWARDING_HEADERS = frozenset({"x-forwarded-for", "x-real-ip", "x-client-ip", "true-client-ip"})


def forwarding_header_url(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    """A URL in a header that holds the client's address: X-Forwarded-For and its kin name hosts a
    proxy saw, never a resource, and what reads them (logs, geolocation, analytics that resolve or
    fetch the client) takes a URL there for a host to reach."""
    name = getattr(target, "location", "").removeprefix("header.")
    return (5, f"a URL in {name}") if name in FORWARDING_HEADERS else (0, "")
