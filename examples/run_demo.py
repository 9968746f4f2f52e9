"""`make demo`: the demo shop on 127.0.0.1:8001 and Bastion in front of it on 127.0.0.1:8080.

Starts both, shows a request passing and attacks refused, then keeps running until Ctrl-C.
Everything the demo keeps (its databases, the API's log, its secrets) is in one git-ignored folder,
`.demo/` in the checkout, reused by the next run: `. .demo/env` in a second terminal gives the
`bastion` commands the same secrets and state, so `bastion audit verify`, `keys`, `incidents` and
`bans` read what the running demo wrote.
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = Path(os.environ.get("DEMO_DIR") or ROOT / ".demo")
SECRETS = ("BASTION_SECRET", "DEMO_JWT_SECRET", "BASTION_ADMIN_TOKEN")
API_PORT = int(os.environ.get("DEMO_API_PORT", "8001"))
GATEWAY_PORT = int(os.environ.get("DEMO_GATEWAY_PORT", "8080"))
GATEWAY = f"http://127.0.0.1:{GATEWAY_PORT}"

# {"alg":"none"} . {"sub":"3","role":"admin","iss":"demo-api","aud":"demo-api","exp":4102444800} . (no signature)
FORGED_NONE = (
    "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIzIiwicm9sZSI6ImFkbWluIiwiaXNzIjoiZGVtby1hcGkiLCJhdWQiOiJk"
    "ZW1vLWFwaSIsImV4cCI6NDEwMjQ0NDgwMH0."
)

TRIES = [
    ("a normal request passes", "GET", "/api/products", None, {}),
    ("an undocumented debug endpoint does not exist behind Bastion", "GET", "/api/debug/users", None, {}),
    ("TRACE (cross-site tracing) is refused", "TRACE", "/api/products", None, {}),
    ("path traversal is refused", "GET", "/api/products/../debug/users", None, {}),
    (
        "SQL injection in the product search (the demo API pastes it into SQL) is refused by the WAF",
        "GET",
        "/api/products/search?q=x%25%27%20UNION%20SELECT%20id,username,password_hash,4%20FROM%20users--",
        None,
        {},
    ),
    ("an ordinary search passes", "GET", "/api/products/search?q=lamp", None, {}),
    ("a protected operation without credentials is refused", "GET", "/api/users/me", None, {}),
    (
        "a forged token (alg: none, role admin) is refused",
        "GET",
        "/api/users/me",
        None,
        {"authorization": "Bearer " + FORGED_NONE},
    ),
    ("a real token passes", "GET", "/api/users/me", None, {"authorization": "Bearer {token}"}),
    (
        "the API's stack trace (an order for a product that does not exist) stays hidden",
        "POST",
        "/api/orders",
        b'{"product_id": 999, "quantity": 1}',
        {"content-type": "application/json", "authorization": "Bearer {token}"},
    ),
]


def curl_line(method: str, path: str, body: bytes | None, headers: dict[str, str]) -> str:
    args = ["curl", "-s"] + (["-X", method] if method not in ("GET", "POST") else [])
    if ".." in path:
        args.append("--path-as-is")
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    if body is not None:
        args += ["-d", body.decode()]
    # double quotes where the shell must expand $TOKEN
    return shlex.join([*args, GATEWAY + path]).replace(
        "'authorization: Bearer $TOKEN'", '"authorization: Bearer $TOKEN"'
    )


def wait_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"a demo process exited early with code {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def send(method: str, path: str, body: bytes | None, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(GATEWAY + path, data=body, method=method, headers=headers)  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def demo_env() -> dict[str, str]:
    """The demo's settings, from .demo/env (written on the first run with fresh strong secrets).

    Environment variables already set win, so a CI job or a user can pin any of them.
    """
    DEMO_DIR.mkdir(mode=0o700, exist_ok=True)
    env_file = DEMO_DIR / "env"
    kept: dict[str, str] = {}
    if env_file.exists():
        for line in env_file.read_text().splitlines():
            name, sep, value = line.removeprefix("export ").partition("=")
            if sep and name in SECRETS:
                kept[name] = shlex.split(value)[0] if value else ""
    values = {name: os.environ.get(name) or kept.get(name) or secrets.token_urlsafe(32) for name in SECRETS}
    settings = {
        **values,
        "BASTION_STATE_DIR": str(DEMO_DIR),
        "DEMO_DB": str(DEMO_DIR / "shop.db"),
        "DEMO_ADMIN_PORT": os.environ.get("DEMO_ADMIN_PORT", "9090"),
    }
    lines = ["# make demo: the demo's secrets and state. `. .demo/env` before running bastion commands."]
    lines += [f"export {name}={shlex.quote(value)}" for name, value in settings.items()]
    env_file.touch(mode=0o600)
    env_file.write_text("\n".join(lines) + "\n")
    return settings


def main() -> int:
    for port in (API_PORT, GATEWAY_PORT):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise SystemExit(f"port {port} is already in use; set DEMO_API_PORT / DEMO_GATEWAY_PORT")
    settings = demo_env()
    # The demo API on its own defaults to a weak JWT secret (a planted flaw); the demo runs it with a strong one.
    env = {**os.environ, **settings}
    api_log = DEMO_DIR / "demo-api.log"
    with api_log.open("wb") as log:  # the demo API's own tracebacks go here, not over the walkthrough
        api = subprocess.Popen(
            [sys.executable, "-m", "examples.demo_api", "--port", str(API_PORT)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    gateway = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bastion",
            "serve",
            "--config",
            str(ROOT / "examples/demo.yaml"),
            "--port",
            str(GATEWAY_PORT),
            "--upstream",
            f"http://127.0.0.1:{API_PORT}",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_port(API_PORT, api)
        wait_port(GATEWAY_PORT, gateway)
        admin = f"http://127.0.0.1:{env['DEMO_ADMIN_PORT']}"
        print(f"\n  demo API (deliberately vulnerable): http://127.0.0.1:{API_PORT}  (its log: {api_log})")
        print(f"  Bastion in front of it:             {GATEWAY}")
        print(f"  operator console:                   {admin}/console/  (admin token: in {DEMO_DIR}/env)")
        print(f"  state and secrets of the demo:      {DEMO_DIR}/\n")

        _, login = send(
            "POST",
            "/api/login",
            b'{"username": "alice", "password": "alice-password-1"}',
            {"content-type": "application/json"},
        )
        token = json.loads(login).get("access_token", "")
        for title, method, path, body, template in TRIES:
            headers = {k: v.replace("{token}", token) for k, v in template.items()}
            status, text = send(method, path, body, headers)
            shown = {k: v.replace("{token}", "$TOKEN") for k, v in template.items()}
            try:
                text = json.dumps(json.loads(text))
            except ValueError:
                pass
            print(f"# {title}\n$ {curl_line(method, path, body, shown)}\n  -> {status} {text[:160]}\n")
        print(
            "To get $TOKEN: curl -s -X POST -H 'content-type: application/json' "
            f'-d \'{{"username": "alice", "password": "alice-password-1"}}\' {GATEWAY}/api/login'
        )
        print(
            "\nIn a second terminal, from this folder:\n"
            "  . .venv/bin/activate && . .demo/env     # bastion on the PATH, with the demo's secrets\n"
            "  bastion audit verify --config examples/demo.yaml\n"
            "  bastion incidents list --config examples/demo.yaml\n"
            "  bastion keys create --config examples/demo.yaml --name alice --role user\n"
            f'  curl -s -H "x-api-key: $KEY" {GATEWAY}/api/users/me   # KEY: the line keys create printed\n'
            f"  echo $BASTION_ADMIN_TOKEN                # log in at {admin}/console/\n"
        )
        print("Try those yourself. Press Ctrl-C to stop both.")
        if os.environ.get("DEMO_EXIT_AFTER_TRIES") != "1":
            while gateway.poll() is None and api.poll() is None:
                time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        _stop_all(gateway, api)
    return 0


def _stop_all(*procs: subprocess.Popen[bytes]) -> None:
    for stop in (signal.SIGINT, signal.SIGTERM):  # a second Ctrl-C must not cut the shutdown short
        signal.signal(stop, signal.SIG_IGN)
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    print("stopped.")


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _stop)
    sys.exit(main())
