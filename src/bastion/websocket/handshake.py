"""The opening handshake (RFC 6455 section 4) as a gateway relays it.

The client's request is checked by the websocket guard; what goes upstream is the same request with
the subprotocol offer cut down to the policy's allow-list and no extensions (Bastion inspects every
message, so it cannot let the two ends agree on a compression it would not read: see
docs/websocket.md). The upstream's 101 is then held to what was offered: the accept token for the
client's key, one of the offered subprotocols, no extension. An answer that breaks any of these is a
broken upstream (502), never passed on.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable

from bastion.core.request import Headers


class HandshakeError(Exception):
    """The upstream's answer to the upgrade is not a valid acceptance of what was asked."""


def tokens(values: Iterable[str]) -> list[str]:
    """Comma-separated tokens across every occurrence of a header, in order."""
    return [token.strip() for value in values for token in value.split(",") if token.strip()]


def valid_key(key: str | None) -> bool:
    """Sec-WebSocket-Key is base64 of 16 bytes (section 4.1)."""
    if key is None or len(key) != 24:
        return False
    try:
        return len(base64.b64decode(key, validate=True)) == 16
    except (binascii.Error, ValueError):
        return False


def accept_token(key: str) -> str:
    from wsproto.utilities import generate_accept_token  # noqa: PLC0415  lazy: wsproto only once a socket upgrades

    return generate_accept_token(key.encode("ascii")).decode("ascii")


def offer(headers: Headers, allowed: frozenset[str]) -> tuple[list[str], list[str]]:
    """(what the client offered, what of it the policy allows), in the client's order of preference."""
    offered = tokens(headers.get_all("sec-websocket-protocol"))
    return offered, [name for name in offered if name in allowed]


def check_answer(headers: Headers, key: str, offered: list[str]) -> str | None:
    """The subprotocol the upstream chose, once its 101 is checked against what was asked."""
    accept = headers.get("sec-websocket-accept")
    if accept is None or accept.strip() != accept_token(key):
        raise HandshakeError("upstream answered the upgrade without the right Sec-WebSocket-Accept")
    chosen = tokens(headers.get_all("sec-websocket-protocol"))
    if len(chosen) > 1 or (chosen and chosen[0] not in offered):
        raise HandshakeError(f"upstream chose a subprotocol that was not offered: {', '.join(chosen)[:80]}")
    if tokens(headers.get_all("sec-websocket-extensions")):
        raise HandshakeError("upstream accepted an extension that was not offered")
    return chosen[0] if chosen else None
