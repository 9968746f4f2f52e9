"""The demo: Bastion in front of the deliberately flawed shop, as `make demo` runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from tests.servers import ROOT, bastion_process, free_port, listening_port, wait_port

DEMO_ENV = {"DEMO_JWT_SECRET": "demo-jwt-secret-for-the-tests-0123456789", "BASTION_SECRET": "x" * 40}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    api_port = free_port()
    state = tmp_path_factory.mktemp("demo")
    env = {**os.environ, **DEMO_ENV, "DEMO_DB": str(state / "demo.db"), "BASTION_STATE_DIR": str(state)}
    api = subprocess.Popen(
        [sys.executable, "-m", "examples.demo_api", "--port", str(api_port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_port(api_port)
        with bastion_process(
            ROOT / "examples/demo.yaml",
            "--port",
            "0",
            "--upstream",
            f"http://127.0.0.1:{api_port}",
            env=env,
        ) as process:
            gateway_port = listening_port(process, timeout=10)
            yield f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{gateway_port}"
    finally:
        api.terminate()
        api.wait(timeout=10)


def test_normal_request_passes(demo: tuple[str, str]) -> None:
    _, gateway = demo
    response = httpx.get(f"{gateway}/api/products")
    assert response.status_code == 200
    assert response.json()[0]["name"] == "Widget"
    assert "server" not in response.headers


def test_undocumented_debug_endpoint_is_unreachable(demo: tuple[str, str]) -> None:
    api, gateway = demo
    assert httpx.get(f"{api}/api/debug/users").status_code == 200  # the flaw is real...
    assert httpx.get(f"{gateway}/api/debug/users").status_code == 404  # ...and unreachable behind Bastion


def test_trace_is_refused(demo: tuple[str, str]) -> None:
    api, gateway = demo
    assert httpx.request("TRACE", f"{api}/api/products").status_code == 200
    assert httpx.request("TRACE", f"{gateway}/api/products").status_code == 405


def test_stack_traces_are_hidden(demo: tuple[str, str]) -> None:
    api, gateway = demo
    token = httpx.post(f"{gateway}/api/login", json={"username": "alice", "password": "alice-password-1"}).json()
    headers = {"authorization": f"Bearer {token['access_token']}"}
    direct = httpx.post(f"{api}/api/orders", json={"product_id": 999, "quantity": 1}, headers=headers)
    assert b"Traceback" in direct.content
    hidden = httpx.post(f"{gateway}/api/orders", json={"product_id": 999, "quantity": 1}, headers=headers)
    assert hidden.status_code == 500
    assert b"Traceback" not in hidden.content
    assert hidden.headers["content-type"] == "application/problem+json"


def test_demo_spec_matches_the_app_routes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every documented operation exists in the app; the undocumented ones are the planted flaws."""
    from examples.demo_api.app import create_app  # noqa: PLC0415  the demo app reads its JWT secret from the environment when imported

    spec = yaml.safe_load((ROOT / "examples/demo_api/openapi.yaml").read_text())
    documented = {(p, m.upper()) for p, item in spec["paths"].items() for m in item if m != "parameters"}
    monkeypatch.setenv("DEMO_DB", str(tmp_path / "demo-spec.db"))
    app = create_app()
    served = {(r.path, m) for r in app.routes for m in (getattr(r, "methods", None) or ()) if m != "HEAD"}
    assert documented <= served
    assert served - documented == {("/openapi.yaml", "GET"), ("/api/debug/users", "GET"), ("/{path:path}", "TRACE")}


def test_authentication_is_enforced(demo: tuple[str, str]) -> None:
    api, gateway = demo

    assert httpx.get(f"{gateway}/api/users/me").status_code == 401
    forged = "eyJhbGciOiJub25lIn0.eyJzdWIiOiIzIiwicm9sZSI6ImFkbWluIiwiaXNzIjoiZGVtby1hcGkifQ."
    assert httpx.get(f"{gateway}/api/users/me", headers={"authorization": f"Bearer {forged}"}).status_code == 401
    token = httpx.post(f"{gateway}/api/login", json={"username": "bob", "password": "bob-password-1"}).json()
    me = httpx.get(f"{gateway}/api/users/me", headers={"authorization": f"Bearer {token['access_token']}"})
    assert me.status_code == 200
    assert me.json()["username"] == "bob"
    # the demo API leaks the password hash; the response schema does not declare it, so it never leaves
    assert "password_hash" not in me.json()
    direct = httpx.get(f"{api}/api/users/me", headers={"authorization": f"Bearer {token['access_token']}"})
    assert "password_hash" in direct.json()


def test_sql_injection_is_refused_by_the_waf(demo: tuple[str, str]) -> None:
    api, gateway = demo
    injection = {"q": "x%' UNION SELECT id,username,password_hash,4 FROM users--"}
    leaked = httpx.get(f"{api}/api/products/search", params=injection)
    assert leaked.status_code == 200
    assert "alice" in leaked.text

    refused = httpx.get(f"{gateway}/api/products/search", params=injection)
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert httpx.get(f"{gateway}/api/products/search", params={"q": "lamp"}).status_code == 200
