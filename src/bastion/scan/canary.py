"""The scanner's own HTTP listener: a request that reaches it proves the target fetched a URL we chose.

SSRF is shown by a call-back, not by guessing from answers: each probe carries a URL with a fresh token
(`http://<canary>/bst-<token>`), and a request for that path arriving here is the proof. The canary
only listens; the scanner still contacts nothing but the target. It also serves documents a probe
needs the target to fetch (the `jku` JWKS).

Where it listens: 127.0.0.1 when the target is on loopback; on a private network, the local address
the OS uses towards the target; anywhere else only with --callback-host (an address of this machine
the target can reach), since a public target cannot call back into a private one.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bastion.scan.network import is_loopback, is_private, local_address_towards

MAX_HITS = 200


@dataclass(frozen=True)
class Hit:
    path: str
    method: str
    client: str
    user_agent: str


class Canary:
    def __init__(self, bind: str, advertised: str, port: int = 0) -> None:
        self.hits: list[Hit] = []
        self.documents: dict[str, tuple[bytes, str]] = {}
        canary = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                if len(canary.hits) < MAX_HITS:
                    canary.hits.append(
                        Hit(self.path, self.command, self.client_address[0], self.headers.get("user-agent", ""))
                    )
                body, media = canary.documents.get(self.path.split("?", 1)[0], (b"ok", "text/plain"))
                self.send_response(200)
                self.send_header("content-type", media)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_GET = do_POST = do_HEAD = do_PUT = _answer

            def log_message(self, *args: object) -> None:
                return None

        self._server = ThreadingHTTPServer((bind, port), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        host = f"[{advertised}]" if ":" in advertised else advertised
        self.base = f"http://{host}:{self.port}"
        self.host = advertised
        self._worker = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._worker.start()

    def token(self, label: str = "ssrf") -> tuple[str, str]:
        """(path, URL) of a fresh token."""
        path = f"/bst-{label}-{secrets.token_hex(6)}"
        return path, self.base + path

    def serve(self, path: str, body: bytes, media: str = "application/json") -> str:
        self.documents[path] = (body, media)
        return self.base + path

    def hits_for(self, path: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.path.split("?", 1)[0] == path]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def placement(target_host: str, target_port: int, callback: str | None) -> tuple[str, str, int] | str:
    """(bind address, advertised host, port) for the canary, or why there is none."""
    if callback:
        host, _, port = callback.rpartition(":") if callback.count(":") == 1 else (callback, "", "")
        return "0.0.0.0", host or callback, int(port) if port.isdigit() else 0  # noqa: S104 - asked for
    if is_loopback(target_host):
        return "127.0.0.1", "127.0.0.1", 0
    if is_private(target_host):
        local = local_address_towards(target_host, target_port)
        if local:
            return local, local, 0
    return (
        "the target is not on this machine or its private network: give --callback-host, an address of this "
        "machine the target can reach"
    )
