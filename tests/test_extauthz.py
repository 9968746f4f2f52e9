"""`bastion serve --mode ext-authz`: the decision service for Envoy's ext_authz (HTTP) and nginx's
auth_request, with real nginx in front of the demo shop end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import OctKey

from bastion.config import load_config
from bastion.hosts.extauthz import RefusalSigner
from tests.proxy_harness import serving
from tests.servers import (
    ROOT,
    bastion_process,
    free_port,
    listening_port,
    nginx_extauthz_conf,
    require_binary,
    wait_port,
)

JWT_SECRET = "demo-jwt-secret-for-the-tests-0123456789"
ENV = {"DEMO_JWT_SECRET": JWT_SECRET, "BASTION_SECRET": "extauthz-tests-bastion-secret-0123456789"}
ENVOY_POLICY = ROOT / "examples/envoy/bastion.yaml"
NGINX_POLICY = ROOT / "examples/nginx/bastion.yaml"
PREFIX = "/_bastion/envoy"


def token(sub: str = "1", role: str = "user") -> str:
    now = int(time.time())
    claims = {"sub": sub, "role": role, "iss": "demo-api", "aud": "demo-api", "iat": now, "exp": now + 600}
    return jwt.encode({"alg": "HS256"}, claims, OctKey.import_key(JWT_SECRET))


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("BASTION_STATE_DIR", str(tmp_path))


@asynccontextmanager
async def decision_service(**overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    config = load_config(ENVOY_POLICY, {"listen.port": 0, **overrides})
    async with serving(config) as service, httpx.AsyncClient(base_url=service.url, timeout=10) as client:
        yield client


def envoy_headers(**extra: str) -> dict[str, str]:
    """What Envoy's HTTP ext_authz sends: the client's headers, its own, and the client address."""
    return {"host": "shop.test", "x-forwarded-for": "203.0.113.7", "x-request-id": "envoy-req-0001",
            "x-forwarded-proto": "https", **extra}  # fmt: skip


# -- the Envoy ext_authz HTTP protocol -------------------------------------------------------------------


async def test_envoy_allow_carries_the_identity_for_the_upstream() -> None:
    async with decision_service() as client:
        anonymous = await client.get(f"{PREFIX}/api/products", headers=envoy_headers())
        signed_in = await client.get(f"{PREFIX}/api/users/me", headers=envoy_headers(authorization=f"Bearer {token()}"))
    assert anonymous.status_code == 200
    # every identity header is answered, empty: the proxy overwrites whatever the client sent
    assert anonymous.headers["x-bastion-subject"] == anonymous.headers["x-bastion-roles"] == ""
    assert anonymous.headers["x-request-id"] == "envoy-req-0001"
    assert signed_in.status_code == 200
    assert signed_in.headers["x-bastion-subject"] == "1"
    assert signed_in.headers["x-bastion-roles"] == "user"
    assert signed_in.content == b""


@pytest.mark.parametrize(
    ("method", "path", "headers", "status", "problem_type"),
    [
        ("GET", "/api/users/me", {}, 401, "unauthenticated"),
        ("GET", "/api/users/2", {"authorization": "Bearer {alice}"}, 403, "forbidden"),
        ("GET", "/api/products/search?q=1%27%20UNION%20SELECT%20password%20FROM%20users--", {}, 403, "forbidden"),
        ("GET", "/api/nowhere", {}, 404, "not-found"),
        ("PATCH", "/api/products", {}, 405, "method-not-allowed"),
        ("GET", "/api/products/search", {}, 422, "invalid-request"),
    ],
)
async def test_envoy_deny_is_the_refusal_itself(
    method: str, path: str, headers: dict[str, str], status: int, problem_type: str
) -> None:
    headers = {k: v.replace("{alice}", token("1")) for k, v in headers.items()}
    async with decision_service() as client:
        response = await client.request(method, PREFIX + path, headers=envoy_headers(**headers))
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith(problem_type)
    assert response.json()["request_id"] == "envoy-req-0001"


async def test_envoy_forwarded_bodies_are_inspected() -> None:
    alice = envoy_headers(authorization=f"Bearer {token()}", **{"content-type": "application/json"})
    async with decision_service() as client:
        good = await client.post(
            f"{PREFIX}/api/orders", headers=alice, content=json.dumps({"product_id": 1, "quantity": 2})
        )
        note = "<script>alert(document.cookie)</script>"
        order = json.dumps({"product_id": 1, "quantity": 1, "note": note})
        attack = await client.post(f"{PREFIX}/api/orders", headers=alice, content=order)
        invalid = await client.post(f"{PREFIX}/api/orders", headers=alice, content=json.dumps({"quantity": 500}))
        withheld = await client.post(f"{PREFIX}/api/orders", headers=alice)  # Envoy without with_request_body
    assert good.status_code == 200
    assert attack.status_code == 403
    assert invalid.status_code == 422
    assert withheld.status_code == 200  # nothing to judge the body by: not refused for being absent


async def test_the_client_address_comes_from_the_trusted_proxy() -> None:
    async with decision_service(
        **{"ratelimit.limits": [{"id": "ip", "key": ["ip"], "rate": "2/min", "burst": 2}]}
    ) as client:
        first = [(await client.get(f"{PREFIX}/api/products", headers=envoy_headers())).status_code for _ in range(3)]
        other = await client.get(f"{PREFIX}/api/products", headers=envoy_headers(**{"x-forwarded-for": "198.51.100.9"}))
    assert first == [200, 200, 429]
    assert other.status_code == 200  # another client behind the same proxy has its own allowance


async def test_a_forged_refusal_is_not_replayed() -> None:
    async with decision_service() as client:
        forged = RefusalSigner.__new__(RefusalSigner)
        forged._key = b"not-the-key" * 3  # type: ignore[attr-defined]
        blob = forged.seal(200, [("content-type", "text/html")], b"<h1>hello</h1>")
        response = await client.get("/_bastion/refusal", headers={"x-bastion-refusal": blob})
    assert response.status_code == 403
    assert "hello" not in response.text


# -- nginx auth_request, end to end -----------------------------------------------------------------------


@contextmanager
def nginx_in_front(tmp_path: Path) -> Iterator[str]:
    nginx = require_binary("nginx", "nginx")
    api_port, nginx_port = free_port(), free_port()
    env = {**os.environ, **ENV, "DEMO_DB": str(tmp_path / "shop.db"), "BASTION_STATE_DIR": str(tmp_path)}
    api = subprocess.Popen([sys.executable, "-m", "examples.demo_api", "--port", str(api_port)], cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    web = None
    try:
        with bastion_process(NGINX_POLICY, "--port", "0", env={**ENV, "BASTION_STATE_DIR": str(tmp_path)}) as process:
            wait_port(api_port)
            bastion_port = listening_port(process, timeout=30)  # nginx is told where Bastion listens once it does
            (tmp_path / "nginx.conf").write_text(nginx_extauthz_conf(api_port, bastion_port, nginx_port))
            command = [nginx, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path), "-g", "daemon off;"]
            web = subprocess.Popen(command, stderr=subprocess.PIPE)
            wait_port(nginx_port)
            yield f"http://127.0.0.1:{nginx_port}"
    finally:
        if web is not None:
            web.terminate()
            web.wait(timeout=10)
        api.terminate()
        api.wait(timeout=10)


def test_nginx_auth_request_end_to_end(tmp_path: Path) -> None:
    with nginx_in_front(tmp_path) as url, httpx.Client(base_url=url, timeout=10) as client:
        products = client.get("/api/products")
        assert products.status_code == 200
        assert "name" in products.json()[0]  # the demo API answered through nginx

        attack = client.get("/api/products/search", params={"q": "1' UNION SELECT password_hash FROM users--"})
        assert attack.status_code == 403
        assert attack.headers["content-type"] == "application/problem+json"
        assert attack.json()["status"] == 403

        anonymous = client.get("/api/users/me")
        assert anonymous.status_code == 401
        assert anonymous.json()["status"] == 401

        me = client.get("/api/users/me", headers={"authorization": f"Bearer {token('1')}"})
        assert me.status_code == 200
        assert me.json()["username"] == "alice"

        other = client.get("/api/users/2", headers={"authorization": f"Bearer {token('1')}"})
        assert other.status_code == 403  # object-level rule in Bastion, enforced by nginx

        missing = client.get("/api/nowhere")
        assert missing.status_code == 404  # a refusal other than 401/403 keeps its status through nginx
        assert missing.headers["content-type"] == "application/problem+json"

        logins = [
            client.post("/api/login", json={"username": "alice", "password": "wrong-password"}) for _ in range(11)
        ]
        assert logins[-1].status_code == 429
        assert logins[-1].headers.get("retry-after")
        assert logins[-1].json()["status"] == 429


def test_the_example_policies_validate() -> None:
    for policy in (ENVOY_POLICY, NGINX_POLICY):
        result = subprocess.run([sys.executable, "-m", "bastion", "check", "--config", str(policy)],
                                capture_output=True, text=True, timeout=60, env={**os.environ, **ENV})  # fmt: skip
        assert result.returncode == 0, result.stderr
