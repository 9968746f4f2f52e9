"""A lab API that one request takes down: http.server without threads, in a process of its own.

`GET /items?q=` "unescapes" doubled quotes in a loop that never ends on a lone quote, so the first SQL
injection probe keeps the only thread spinning for good (`--hang forever`). With `--hang N` only the
first such request is slow, for N seconds, and the server answers again afterwards: an outage the
target recovers from. NEVER run outside a test.

Run: python -m tests.scan_lab.hanging --port N [--hang forever|SECONDS]
"""

from __future__ import annotations

import argparse
import json
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

SPEC = Path(__file__).with_name("hanging.yaml")
ITEMS = ["apple", "pear", "plum"]


def handler(hang: float | None) -> type[BaseHTTPRequestHandler]:
    hung = [False]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/health":
                self._json(200, {"status": "ok"})
            elif url.path == "/items":
                q = parse_qs(url.query).get("q", [""])[0]
                if "'" in q and hang is None:
                    while "'" in q:  # FLAW: '' becomes ', and a lone ' stays: the loop never ends
                        q = q.replace("''", "'")
                if "'" in q and not hung[0]:
                    hung[0] = True
                    time.sleep(hang or 0)  # FLAW (--hang N): the first quote holds the server for N s
                self._json(200, [item for item in ITEMS if q.replace("'", "") in item])
            elif url.path == "/openapi.yaml":
                self._send(200, SPEC.read_bytes(), "application/yaml")
            else:
                self._json(404, {"error": "not found"})

        def _json(self, status: int, body: object) -> None:
            self._send(status, json.dumps(body).encode(), "application/json")

        def _send(self, status: int, body: bytes, media: str) -> None:
            self.send_response(status)
            self.send_header("content-type", media)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return None

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--hang", default="forever")
    args = parser.parse_args()
    hang = None if args.hang == "forever" else float(args.hang)
    HTTPServer(("127.0.0.1", args.port), handler(hang)).serve_forever()  # one request at a time


if __name__ == "__main__":
    main()
