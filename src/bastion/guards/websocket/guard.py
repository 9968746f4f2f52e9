"""The websocket guard: handshake hygiene for upgrade requests (checklist: authorization, CSRF).

An upgrade request has already passed everything an HTTP request passes (ingress, authentication,
authorization on its route, rate limits); this guard adds what only a handshake needs:

- RFC 6455 version 13 only (426 with the version it speaks), and a well-formed key;
- `Origin` from the allow-list: a browser sends cookies with a cross-site handshake, and nothing
  else stops another site from opening a socket as the user (cross-site WebSocket hijacking);
- subprotocols from the policy's allow-list, or none;
- open sockets per identity (per client address when anonymous): a slot is taken here and given
  back when the socket closes, or at once when the handshake goes no further.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from bastion.config.cors import CORSConfig
from bastion.core.context import Context
from bastion.core.request import Request
from bastion.core.tunnel import websocket_upgrade
from bastion.core.verdict import Verdict
from bastion.websocket.handshake import offer, valid_key
from bastion.websocket.service import WebSocketService

_DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443"}


class WebSocketGuard:
    needs_body = False

    def __init__(self, service: WebSocketService, cors: CORSConfig | None) -> None:
        config = service.config
        self._service = service
        origins = config.origins
        if origins is None and cors is not None:
            origins = [o for o in cors.origins if o != "*"]
        # None: same origin only (the Origin names the host the client asked for)
        self._origins = frozenset(_origin_key(o) for o in origins) if origins is not None else None
        self._require_origin = config.require_origin
        self._max_per_identity = config.max_per_identity

    def check(self, request: Request, ctx: Context) -> Verdict | None:  # noqa: PLR0911  one refusal per handshake rule (RFC 6455 section 4.2.1)
        if not websocket_upgrade(request):
            return None
        service = self._service
        headers = request.headers
        if request.method != "GET":
            return _refuse(400, "websocket.method", f"a WebSocket handshake is a GET, not {request.method}")
        if (headers.get("sec-websocket-version") or "").strip() != "13" or headers.count("sec-websocket-version") != 1:
            return _refuse(
                426,
                "websocket.version",
                "only WebSocket version 13 is spoken",
                headers=(("Sec-WebSocket-Version", "13"),),
            )
        if headers.count("sec-websocket-key") != 1 or not valid_key(headers.get("sec-websocket-key")):
            return _refuse(400, "websocket.key", "Sec-WebSocket-Key is not base64 of 16 bytes")
        verdict = self._origin(request)
        if verdict is not None:
            return verdict
        offered, allowed = offer(headers, service.subprotocols)
        if offered and not allowed:
            listed = ", ".join(offered)[:100]
            return _refuse(400, "websocket.subprotocol", f"no offered subprotocol is allowed: {listed}")
        return self._reserve(request, ctx)

    def _origin(self, request: Request) -> Verdict | None:
        origins = request.headers.get_all("origin")
        if not origins:
            if self._require_origin:
                return _refuse(403, "websocket.origin", "no Origin header", category="csrf")
            return None
        origin = origins[0].strip()
        if len(origins) > 1 or origin.lower() == "null":
            return _refuse(403, "websocket.origin", f"origin {origin[:100]!r} cannot be trusted", category="csrf")
        if self._origins is None:
            same = _origin_key(origin).split("://", 1)[-1] == _host_key(request.host)
            if same:
                return None
        elif _origin_key(origin) in self._origins:
            return None
        return _refuse(403, "websocket.origin", f"cross-origin handshake from {origin[:100]!r}", category="csrf")

    def _reserve(self, request: Request, ctx: Context) -> Verdict | None:
        limit = self._max_per_identity
        if limit is None:
            return None
        identity = ctx.identity
        if identity is not None:
            key = f"key:{identity.key_id}" if identity.key_id else f"sub:{identity.subject}"
        else:
            key = f"ip:{request.client}"
        registry = self._service.registry
        if not registry.reserve(key, limit):
            return _refuse(
                429, "websocket.connections", f"{limit} sockets already open for this identity", category="ratelimit"
            )
        ctx.on_finish.append(lambda: registry.release(key))
        return None


def _origin_key(origin: str) -> str:
    """scheme://host[:port], lower-case, without a default port."""
    parts = urlsplit(origin.strip().rstrip("/").lower())
    host = parts.hostname or ""
    try:
        port = parts.port
    except ValueError:
        return "(malformed)"
    if port is not None and str(port) == _DEFAULT_PORTS.get(parts.scheme):
        port = None
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port is not None else "")


def _host_key(host: str) -> str:
    host = host.strip().lower()
    for default in (":80", ":443"):
        if host.endswith(default):
            return host[: -len(default)]
    return host


def _refuse(
    status: int, rule: str, reason: str, *, category: str = "websocket", headers: tuple[tuple[str, str], ...] = ()
) -> Verdict:
    return Verdict.refuse(status, rule, reason, category=category, location="handshake", headers=headers)
