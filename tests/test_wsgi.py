"""The WSGI middleware host runs the same pipeline inside a Flask application, served over loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from flask import Flask, jsonify, request

from bastion.guards.authn.basic import hash_password
from bastion.hosts.wsgi import BastionWSGIMiddleware
from tests.servers import threaded_wsgi

POLICY = """
routes:
  - {path: /items, methods: [GET, POST]}
  - {path: /crash, methods: [GET]}
  - {path: /whoami, methods: [GET]}
  - {path: /streamed, methods: [GET]}
ingress: {max_body: 1KiB}
secrets: {key: wsgi-tests-secret-0123456789abcdef0123}
authn:
  methods: [{basic: {users: {alice: {password_hash: "HASH", roles: [user]}}}}]
  public: ["GET /items", "POST /items", "GET /crash", "GET /streamed"]
ratelimit:
  limits: [{id: per-ip, key: [ip], operations: ["GET /streamed"], rate: 3/min, burst: 3}]
store: {path: STORE}
"""


def create_app() -> Flask:
    app = Flask(__name__)

    @app.route("/items", methods=["GET", "POST"])
    def items():  # type: ignore[no-untyped-def]
        response = jsonify({"method": request.method, "length": len(request.get_data()), "q": request.args.get("q")})
        response.headers["Server"] = "gunicorn/19.0"
        response.headers["X-Powered-By"] = "Flask"
        return response

    @app.route("/crash")
    def crash():  # type: ignore[no-untyped-def]
        raise RuntimeError("database password is hunter2")

    @app.route("/whoami")
    def whoami():  # type: ignore[no-untyped-def]
        identity = request.environ["bastion.identity"]
        return jsonify({"subject": identity.subject, "request_id": request.environ["bastion.request_id"]})

    @app.route("/streamed")
    def streamed():  # type: ignore[no-untyped-def]
        return app.response_class((part for part in (b"one,", b"two")), mimetype="text/plain")

    @app.route("/hidden")
    def hidden():  # type: ignore[no-untyped-def]
        return "the policy does not know this route"

    return app


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("wsgi")
    policy = tmp / "bastion.yaml"
    policy.write_text(
        POLICY.replace("HASH", hash_password("correct horse battery")).replace("STORE", str(tmp / "b.db"))
    )
    app = create_app()
    middleware = BastionWSGIMiddleware(app.wsgi_app, config=str(policy))
    app.wsgi_app = middleware  # type: ignore[method-assign]
    try:
        with threaded_wsgi(app) as url:
            yield url
    finally:
        middleware.close()


def test_allowed_request_reaches_flask_with_hygiene(app_url: str) -> None:
    response = httpx.get(f"{app_url}/items", params={"q": "lamp"})
    assert response.status_code == 200
    assert response.json() == {"method": "GET", "length": 0, "q": "lamp"}
    assert "x-powered-by" not in response.headers
    assert response.headers.get("server", "").find("gunicorn") == -1
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-request-id"]


def test_post_body_is_read_once_and_replayed_to_flask(app_url: str) -> None:
    response = httpx.post(f"{app_url}/items", json={"name": "lamp"})
    assert response.status_code == 200
    assert response.json()["length"] == len(b'{"name":"lamp"}')


def test_attack_is_refused_before_flask(app_url: str) -> None:
    response = httpx.get(f"{app_url}/items", params={"q": "1' UNION SELECT password FROM users --"})
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 403


def test_unknown_route_and_oversized_body(app_url: str) -> None:
    assert httpx.get(f"{app_url}/hidden").status_code == 404
    too_big = httpx.post(f"{app_url}/items", content=b"x" * 2048, headers={"content-type": "text/plain"})
    assert too_big.status_code == 413


def test_authentication_and_identity_reach_flask(app_url: str) -> None:
    assert httpx.get(f"{app_url}/whoami").status_code == 401
    response = httpx.get(f"{app_url}/whoami", auth=("alice", "correct horse battery"))
    assert response.status_code == 200
    assert response.json()["subject"] == "alice"
    assert response.json()["request_id"] == response.headers["x-request-id"]


def test_application_crash_is_hidden(app_url: str) -> None:
    response = httpx.get(f"{app_url}/crash")
    assert response.status_code == 500
    assert "hunter2" not in response.text
    assert response.headers["content-type"] == "application/problem+json"


def test_rate_limit_holds_in_the_wsgi_host(app_url: str) -> None:
    statuses = [httpx.get(f"{app_url}/streamed").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert httpx.get(f"{app_url}/streamed").headers.get("retry-after")


def test_middleware_accepts_a_config_path(tmp_path: Path) -> None:
    policy = tmp_path / "bastion.yaml"
    policy.write_text(f"routes: [{{path: /ok}}]\nstore: {{path: {tmp_path / 'b.db'}}}\n")
    middleware = BastionWSGIMiddleware(create_app().wsgi_app, config=policy)
    try:
        assert middleware.engine.router.operations
    finally:
        middleware.close()
