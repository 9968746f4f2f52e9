"""A FRAGILE lab API: a small Flask app served by wsgiref, one request at a time, in a process of its own.

Its email check is a backtracking regular expression with nested quantifiers (a shape found in real user
APIs): a 30-character string without an `@` keeps the only thread busy for minutes, and every other
client waits. `--fixed` swaps in a linear-time expression. The scan must find the flaw without ever
sending such a string, and leave the server answering. NEVER run outside a test.

Run: python -m tests.scan_lab.fragile --port N [--fixed]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

from flask import Flask, Response, jsonify, request

SPEC = Path(__file__).with_name("fragile.yaml")
# FLAW: `([-.\w]*[0-9a-zA-Z])*` can split a run of letters in exponentially many ways before failing.
BACKTRACKING = re.compile(r"^([0-9a-zA-Z]([-.\w]*[0-9a-zA-Z])*@{1}([0-9a-zA-Z][-\w]*[0-9a-zA-Z]\.)+[a-zA-Z]{2,9})$")
LINEAR = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}$")


def create_app(fixed: bool = False) -> Flask:
    app = Flask("scan-lab-fragile")
    email_re = LINEAR if fixed else BACKTRACKING
    users: dict[str, dict[str, Any]] = {"alice": {"username": "alice", "email": "alice@example.org"}}

    def valid(email: str) -> bool:
        return bool(email_re.match(email))

    def body() -> dict[str, Any]:
        data = request.get_json(silent=True)
        return data if isinstance(data, dict) else {}

    @app.get("/health")
    def health() -> Any:
        return {"status": "ok"}

    @app.get("/users")
    def list_users() -> Any:
        return jsonify(list(users.values()))

    @app.post("/users")
    def create_user() -> Any:
        data = body()
        username, email = str(data.get("username", "")), str(data.get("email", ""))
        if not re.fullmatch(r"[a-z0-9_]{3,30}", username) or username in users:
            return {"message": "invalid or taken username"}, 400
        if not valid(email):
            return {"message": "invalid email"}, 400
        users[username] = {"username": username, "email": email}
        return users[username], 201

    @app.put("/users/<username>/email")
    def update_email(username: str) -> Any:
        if username not in users:
            return {"message": "no such user"}, 404
        email = str(body().get("email", ""))
        if not valid(email):
            return {"message": "invalid email"}, 400
        users[username]["email"] = email
        return users[username]

    @app.get("/openapi.yaml")
    def spec() -> Any:
        return Response(SPEC.read_bytes(), mimetype="application/yaml")

    return app


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--fixed", action="store_true")
    args = parser.parse_args()
    # wsgiref's server handles one request at a time: a request stuck in the regex holds everyone.
    make_server("127.0.0.1", args.port, create_app(args.fixed), handler_class=QuietHandler).serve_forever()


if __name__ == "__main__":
    main()
