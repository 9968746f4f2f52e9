"""WebSocket endpoints that accept a handshake without credentials, or from any Origin.

A WebSocket handshake is a GET that a browser sends with the user's cookies from any page, and most
servers accept it without looking at `Origin`: another site can then open a socket as the user and
read what it streams (cross-site WebSocket hijacking, CWE-1385). Servers also often authenticate
HTTP routes but forget the socket beside them.

Endpoints come from an AsyncAPI document (`--asyncapi`: its ws/wss channels, 2.x or 3.x), and from
upgrade probes on the spec's GET paths and the usual socket paths. A probe is a real RFC 6455
handshake on its own connection, closed as soon as the answer's head is read; only a `101
Switching Protocols` counts as accepted.
"""

from __future__ import annotations

import base64
import os
import socket
import ssl
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from bastion.scan.context import Actor, ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange

INFO = CheckInfo(
    id="transport.websocket-handshake",
    title="WebSocket handshake accepted without credentials or from any origin",
    severity=Severity.HIGH,
    cwe=1385,
    owasp="API2",
    remediation="Authenticate the handshake like any request, and accept it only from the origins of your own "
    "front ends (compare Origin with an allow-list; a missing Origin is not a browser).",
    bastion="websocket:\n  paths: [/ws]   # handshakes pass authn and authz; Origin checked against cors.origins",
)
COMMON_PATHS = [
    "/ws",
    "/websocket",
    "/socket",
    "/graphql",
    "/subscriptions",
    "/cable",
    "/live",
    "/realtime",
    "/stream",
    "/api/ws",
    "/socket.io/?EIO=4&transport=websocket",
]
FOREIGN_ORIGIN = "https://attacker.bastion-scan.invalid"
MAX_PROBED = 40
_HEAD_LIMIT = 16 * 1024


def asyncapi_paths(path: Path) -> list[str]:
    """Channel paths of an AsyncAPI 2.x or 3.x document served over ws or wss."""
    document: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        return []
    servers = document.get("servers") or {}
    prefixes = [""]
    if isinstance(servers, dict):
        for server in servers.values():
            if isinstance(server, dict) and str(server.get("protocol", "")).lower() in ("ws", "wss"):
                pathname = server.get("pathname") or urlsplit(str(server.get("url", ""))).path
                prefixes.append(str(pathname or "").rstrip("/"))
    channels = document.get("channels") or {}
    found: list[str] = []
    for name, channel in channels.items() if isinstance(channels, dict) else ():
        address = channel.get("address", name) if isinstance(channel, dict) else name
        if isinstance(address, str) and address.startswith("/") and "{" not in address:
            found.extend(prefix + address for prefix in dict.fromkeys(prefixes))
    return found


def candidates(ctx: ScanContext) -> list[str]:
    declared: list[str] = []
    if ctx.options.asyncapi is not None:
        declared = asyncapi_paths(Path(ctx.options.asyncapi))
    from_spec = [op.path for op in ctx.spec.operations if op.method == "GET" and "{" not in op.path]
    seen = dict.fromkeys([*declared, *from_spec, *COMMON_PATHS])
    return list(seen)[:MAX_PROBED]


def probe(ctx: ScanContext, path: str, headers: dict[str, str], identity: str) -> Exchange | None:
    """One handshake on a fresh connection; None when the budget is spent."""
    target = ctx.target
    if target.remaining <= 0:
        return None
    target.sent += 1
    url = target.url(path.split("?", 1)[0], path.split("?", 1)[1] if "?" in path else None)
    parts = urlsplit(url)
    key = base64.b64encode(os.urandom(16)).decode()
    request = [
        ("Host", parts.netloc),
        ("Connection", "Upgrade"),
        ("Upgrade", "websocket"),
        ("Sec-WebSocket-Version", "13"),
        ("Sec-WebSocket-Key", key),
        *headers.items(),
    ]
    target_line = parts.path + (f"?{parts.query}" if parts.query else "")
    raw = f"GET {target_line} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in request) + "\r\n"
    started = time.perf_counter()
    status: int | None = None
    answer: list[tuple[str, str]] = []
    error = None
    try:
        with socket.create_connection((target.host, target.port), timeout=ctx.options.timeout) as plain:
            conn: socket.socket = plain
            if target.scheme == "https":
                context = ssl.create_default_context()
                if not ctx.options.verify_tls:
                    context.check_hostname = False
                    context.verify_mode = ssl.CERT_NONE
                conn = context.wrap_socket(plain, server_hostname=target.host)
            conn.sendall(raw.encode("latin-1"))
            head = b""
            while b"\r\n\r\n" not in head and len(head) < _HEAD_LIMIT:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                head += chunk
        lines = head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        if lines and lines[0].startswith("HTTP/1."):
            status = int(lines[0].split(" ", 2)[1])
            answer = [(n.strip(), v.strip()) for n, _, v in (line.partition(":") for line in lines[1:]) if n]
    except (OSError, ssl.SSLError, ValueError) as exc:
        error = f"{exc.__class__.__name__}: {exc}"[:200]
    exchange = Exchange("GET", url, request, None, status, answer, b"", time.perf_counter() - started, error=error)
    exchange.identity, exchange.operation = identity, path
    target.history.append(exchange)
    return exchange


def _credentials(ctx: ScanContext) -> tuple[dict[str, str], Actor]:
    for identity in ctx.identities:
        headers = identity.headers()
        if headers:
            return headers, identity
    return {}, ctx.anonymous


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    report.tested("inventory")
    credentials, actor = _credentials(ctx)
    for path in candidates(ctx):
        anonymous = probe(ctx, path, {}, "anonymous")
        if anonymous is None:
            return
        if anonymous.status == 101:
            report.finding(
                path,
                f"GET {path} upgraded to a WebSocket (101) without credentials.",
                [(anonymous, "no credentials, no Origin")],
                title="WebSocket handshake accepted without credentials",
                severity=Severity.HIGH if credentials else Severity.MEDIUM,
                confidence=Confidence.CERTAIN,
            )
        elif credentials and anonymous.status not in (401, 403, 426) and anonymous.status is not None:
            # refused for another reason than credentials (wrong path, 404): not a socket, move on
            continue
        foreign = probe(ctx, path, {**credentials, "Origin": FOREIGN_ORIGIN}, actor.name)
        if foreign is None:
            return
        if foreign.status == 101:
            report.finding(
                f"{path} (origin)",
                f"GET {path} upgraded to a WebSocket (101) for a page on {FOREIGN_ORIGIN}: any site can open this "
                "socket with the user's cookies (cross-site WebSocket hijacking).",
                [(foreign, f"Origin: {FOREIGN_ORIGIN}")],
                title="WebSocket handshake accepted from any origin",
                confidence=Confidence.CERTAIN,
            )
