"""Every `bastion scan` check against a real target: the demo shop's planted flaws, the lab's, and the
hardened API, which must come out without a single high-severity finding."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import ssl
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme
import yaml

from bastion.scan.engine import ScanResult
from bastion.scan.findings import Severity
from tests.scan_lab.app import HS_SECRET
from tests.scan_targets import (
    DEMO_AUTH,
    DEMO_SPEC,
    HARDENED_AUTH,
    LAB_AUTH,
    LAB_SPEC,
    demo_api,
    found,
    hardened_api,
    lab,
    monitored_config,
    scan,
)
from tests.servers import ROOT, bastion_process, free_port, listening_port, wait_port

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# Every flaw planted in examples/demo_api (see the FLAW comments there), by check id and operation.
DEMO_FLAWS = [
    ("injection.sql", "searchProducts"),
    ("authz.bola", "getUser"),
    ("authz.bola", "listUserOrders"),
    ("authz.bola", "getOrder"),
    ("authz.bola", "updateOrder"),
    ("authz.mass-assignment", "register"),
    ("authz.mass-assignment", "updateMe"),
    ("exposure.stack-trace", "createOrder"),
    ("exposure.debug-endpoint", "/api/debug/users"),
    ("authn.no-lockout", "login"),
    ("resource.no-rate-limit", "login"),
    ("authn.user-enumeration", "login"),
    ("exposure.sensitive-data", "getMe"),
    ("exposure.undocumented-field", "getUser"),
    ("authz.bfla", "adminStats"),
    ("authn.jwt-weak-secret", "getMe"),
    ("methods.trace", "TRACE"),
    ("exposure.banner", "*"),
    ("input.tampering", "createOrder"),
    ("fuzz.server-error", "createOrder"),
]


@pytest.fixture(scope="module")
def demo_scan(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    with demo_api(tmp_path_factory.mktemp("demo") / "shop.db") as server:
        return scan(server.url, DEMO_SPEC, DEMO_AUTH, rate=300)


@pytest.mark.parametrize(("check_id", "operation"), DEMO_FLAWS)
def test_every_planted_demo_flaw_is_found(demo_scan: ScanResult, check_id: str, operation: str) -> None:
    assert operation in found(demo_scan, check_id), f"{check_id} missed {operation}; found {found(demo_scan, check_id)}"


def test_demo_scan_has_no_injection_false_positives(demo_scan: ScanResult) -> None:
    # The shop is vulnerable to SQL injection in one place only, and to no other injection at all.
    assert found(demo_scan, "injection.sql") == ["searchProducts"]
    for check_id in ("injection.nosql", "injection.os-command", "injection.ldap", "injection.template"):
        assert found(demo_scan, check_id) == []
    assert found(demo_scan, "authz.bfla") == ["adminStats"]  # adminListUsers checks the role


def test_demo_findings_carry_masked_evidence_and_reproduction(demo_scan: ScanResult) -> None:
    bola = next(f for f in demo_scan.findings if f.key == ("authz.bola", "getUser"))
    assert bola.cwe == 639
    assert bola.owasp.startswith("API1:2023")
    assert bola.reproduction is not None
    assert bola.reproduction.startswith("curl ")
    rendered = json.dumps([f.to_dict() for f in demo_scan.findings])
    for secret in ("alice-password-1", "bob-password-1", "admin-password-1"):
        assert secret not in rendered
    assert re.search(r"eyJ[\w-]+\.[\w-]+\.[\w-]{20,}", rendered) is None  # no usable JWT anywhere
    leak = next(f for f in demo_scan.findings if f.key == ("exposure.sensitive-data", "getMe"))
    alice_hash = hashlib.sha256(b"alice-password-1").hexdigest()
    assert alice_hash not in rendered
    assert "password_hash" in leak.detail


def test_destructive_mode_finds_bola_on_delete(tmp_path: Path) -> None:
    with demo_api(tmp_path / "shop.db") as server:
        safe = scan(server.url, DEMO_SPEC, DEMO_AUTH, only=["authz.bola"])
        destructive = scan(server.url, DEMO_SPEC, DEMO_AUTH, only=["authz.bola"], allow_destructive=True)
    assert "deleteOrder" not in found(safe, "authz.bola")  # safe mode: no DELETE is ever sent
    assert "deleteOrder" in found(destructive, "authz.bola")


def test_hardened_api_has_no_high_findings() -> None:
    with hardened_api() as server:
        result = scan(server.url, f"{server.url}/openapi.json", HARDENED_AUTH, rate=300)
    serious = [(f.check_id, f.operation, f.detail) for f in result.findings if f.severity >= Severity.MEDIUM]
    assert serious == []
    ran = {run.info.id for run in result.checks if run.status == "ran"}
    assert {"authz.bola", "authz.bfla", "authz.mass-assignment", "injection.sql", "fuzz.server-error"} <= ran


# -- the lab: one flaw per endpoint, for the checks the demo shop has nothing for -----------------------------

LAB_CASES = [
    ("strict", "injection.sql", "items"),
    ("strict", "injection.nosql", "docs"),
    ("strict", "injection.os-command", "ping"),
    ("strict", "injection.ldap", "people"),
    ("strict", "injection.template", "greet"),
    ("strict", "authn.missing", "profile"),
    ("strict", "authn.user-enumeration", "login"),
    ("strict", "methods.head-auth-bypass", "secret"),
    ("strict", "methods.undeclared", "/lab/thing"),
    ("strict", "transport.cors", "me"),
    ("strict", "resource.redos", "validate"),
    ("strict", "exposure.verbose-error", "broken"),
    ("none", "authn.jwt-alg-none", "me"),
    ("noverify", "authn.jwt-signature-not-verified", "me"),
    ("noverify", "authn.invalid-token", "me"),
    ("kid", "authn.jwt-header-injection", "me"),
    ("jwk", "authn.jwt-header-injection", "me"),
    ("jku", "authn.jwt-header-injection", "me"),
    ("confusion", "authn.jwt-key-confusion", "me"),
]


@pytest.mark.parametrize(("mode", "check_id", "operation"), LAB_CASES)
def test_lab_flaw_is_found(mode: str, check_id: str, operation: str) -> None:
    with lab(mode) as server:
        result = scan(server.url, LAB_SPEC, LAB_AUTH, only=[check_id])
    assert operation in found(result, check_id), [(f.check_id, f.operation) for f in result.findings]


@pytest.mark.parametrize("check_id", ["authn.jwt-*", "authn.invalid-token"])
def test_jwt_checks_stay_quiet_on_a_correct_verifier(check_id: str) -> None:
    with lab("strict") as server:
        result = scan(server.url, LAB_SPEC, LAB_AUTH, only=[check_id], crack_time=1.0)
    assert result.findings == []


def _expired_token(user: str) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    signing = f"{header}.{b64(json.dumps({'sub': user, 'exp': 1000}).encode())}"
    return f"{signing}.{b64(hmac.new(HS_SECRET, signing.encode(), hashlib.sha256).digest())}"


@pytest.mark.parametrize(("mode", "expected"), [("noexp", ["me"]), ("strict", [])])
def test_expired_token_from_the_auth_file(tmp_path: Path, mode: str, expected: list[str]) -> None:
    auth = yaml.safe_load(LAB_AUTH.read_text())
    auth["users"][0]["expired_token"] = _expired_token("alice")
    auth_file = tmp_path / "auth.yaml"
    auth_file.write_text(yaml.safe_dump(auth))
    with lab(mode) as server:
        result = scan(server.url, LAB_SPEC, auth_file, only=["authn.invalid-token"])
    assert found(result, "authn.invalid-token") == expected


# -- the spec audit: no traffic at all --------------------------------------------------------------------------


def test_spec_audit_checks() -> None:
    result = scan("http://127.0.0.1:9", ROOT / "tests/specs/scan_audit.yaml", None, only=["spec"])
    assert result.requests == 0
    assert found(result, "spec.no-security") == ["createItem", "listItems"]
    assert found(result, "spec.unbounded-input") == ["createItem", "listItems"]
    assert found(result, "spec.open-object") == ["createItem"]
    assert found(result, "spec.http-server") == ["servers"]
    assert "createItem" in found(result, "spec.missing-error-responses")
    secret = found(result, "spec.secret-in-example")
    assert len(secret) == 1
    assert "api_key" in secret[0]
    rendered = json.dumps([f.to_dict() for f in result.findings])
    assert "AKIAIOSFODNN7EXAMPLE" not in rendered


# -- transport: a TLS server that still speaks TLS 1.0, and one that does not ----------------------------------


def _tls_server(tmp_path: Path, *, legacy: bool) -> tuple[ThreadingHTTPServer, str]:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    chain, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.private_key_pem.write_to_path(key)
    cert.cert_chain_pems[0].write_to_path(chain)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(chain, key)
    if legacy:
        context.minimum_version = ssl.TLSVersion.TLSv1
        context.set_ciphers("ALL:@SECLEVEL=0")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b'{"ok": true}'
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def end_headers(self) -> None:  # every answer, errors included, carries HSTS on the modern server
            if not legacy:
                self.send_header("strict-transport-security", "max-age=63072000")
            super().end_headers()

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"https://127.0.0.1:{server.server_address[1]}"


@pytest.mark.parametrize("legacy", [True, False])
def test_transport_checks_over_tls(tmp_path: Path, legacy: bool) -> None:
    server, url = _tls_server(tmp_path, legacy=legacy)
    try:
        result = scan(url, LAB_SPEC, None, only=["transport"], verify_tls=False, allow_anonymous=True)
    finally:
        server.shutdown()
        server.server_close()
    if legacy:
        assert found(result, "transport.weak-tls") == ["*"]
        assert "TLS 1.0" in next(f.detail for f in result.findings if f.check_id == "transport.weak-tls")
        assert found(result, "transport.hsts") == ["*"]
    else:
        assert found(result, "transport.weak-tls") == []
        assert found(result, "transport.hsts") == []
    assert found(result, "transport.plain-http") == []


# -- the same shop behind Bastion -------------------------------------------------------------------------------

BLOCKED_BY_BASTION = [
    "injection.sql",
    "authz.bola",
    "authz.bfla",
    "authz.mass-assignment",
    "exposure.debug-endpoint",
    "exposure.sensitive-data",
    "exposure.stack-trace",
    "methods.trace",
    "exposure.banner",
    "authn.no-lockout",
    "resource.no-rate-limit",
]


@pytest.mark.slow
def test_behind_bastion_the_planted_flaws_are_not_exploitable(tmp_path: Path) -> None:
    """examples/demo.yaml with the detectors only watching, so every guard is judged on its own (with them
    enforcing, the scanner is banned within seconds, which proves less)."""
    env = {
        "DEMO_JWT_SECRET": "demo-jwt-secret-for-the-tests-0123456789",
        "BASTION_SECRET": "x" * 40,
        "DEMO_DB": str(tmp_path / "shop.db"),
        "BASTION_STATE_DIR": str(tmp_path),
    }
    api_port = free_port()
    api = subprocess.Popen(
        [sys.executable, "-m", "examples.demo_api", "--port", str(api_port)],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_port(api_port)
        config = monitored_config(tmp_path)
        with bastion_process(config, "--port", "0", "--upstream", f"http://127.0.0.1:{api_port}", env=env) as process:
            gateway_port = listening_port(process, timeout=10)
            result = scan(
                f"http://127.0.0.1:{gateway_port}", DEMO_SPEC, DEMO_AUTH, only=BLOCKED_BY_BASTION, rate=18
            )  # under the demo policy's 20/s per-client limit
    finally:
        api.terminate()
        api.wait(timeout=10)
    assert [(f.check_id, f.operation) for f in result.findings if f.severity >= Severity.LOW] == []
    assert {run.info.id for run in result.checks if run.status == "ran"} >= set(BLOCKED_BY_BASTION)
