"""Scan targets for the tests: the demo shop, the hardened API and the lab, each served on loopback."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from werkzeug.serving import make_server

from bastion.config.detect import DetectConfig
from bastion.config.loader import load_model
from bastion.scan.auth import AuthFile
from bastion.scan.context import ScanOptions
from bastion.scan.engine import ScanResult, run_scan
from tests.scan_lab import graphql_app, rest
from tests.scan_lab.app import create_lab
from tests.servers import ROOT, ThreadedUvicorn, free_port, wait_port

DEMO_SPEC = ROOT / "examples/demo_api/openapi.yaml"
DEMO_AUTH = ROOT / "examples/scan/demo-auth.yaml"
HARDENED_AUTH = ROOT / "examples/scan/hardened-auth.yaml"
LAB_SPEC = ROOT / "tests/scan_lab/openapi.yaml"
LAB_AUTH = ROOT / "tests/scan_lab/auth.yaml"
REST_SPEC = ROOT / "tests/scan_lab/rest.yaml"
REST_AUTH = ROOT / "tests/scan_lab/rest-auth.yaml"
GRAPHQL_AUTH = ROOT / "tests/scan_lab/graphql-auth.yaml"
GRAPHQL_SDL = ROOT / "tests/scan_lab/graphql_lab.graphql"
FRAGILE_SPEC = ROOT / "tests/scan_lab/fragile.yaml"
HANGING_SPEC = ROOT / "tests/scan_lab/hanging.yaml"


class ProcessServer:
    """An example app run as its own process (`python -m MODULE --port N`), with an environment of its own.

    The demo shop reads its settings (database path, JWT secret) from the environment when it is imported;
    serving it in the test process would let whichever test imported it first decide them for every
    later one. Its own process gets exactly the environment given here and nothing another test set.
    """

    def __init__(self, module: str, env: dict[str, str], *args: str) -> None:
        self.port = free_port()
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("DEMO_", "BASTION_"))}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module, "--port", str(self.port), *args],
            cwd=ROOT,
            env={**clean, "PYTHONPATH": str(ROOT), **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ProcessServer:
        try:
            wait_port(self.port, timeout=30)
        except TimeoutError:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)


def demo_api(db: Path) -> ProcessServer:
    """The demo shop as shipped: its weak default JWT secret, a database of its own."""
    return ProcessServer("examples.demo_api", {"DEMO_DB": str(db)})


@contextmanager
def hardened_api() -> Iterator[ThreadedUvicorn]:
    from examples.hardened_api.app import create_app  # noqa: PLC0415  the app reads HARDENED_PASSWORD when imported

    with ThreadedUvicorn(create_app(), server_header=False) as server:
        yield server


@contextmanager
def lab(jwt_mode: str = "strict", **kwargs: object) -> Iterator[ThreadedUvicorn]:
    with ThreadedUvicorn(create_lab(jwt_mode), **kwargs) as server:
        yield server


class WsgiServer:
    """A WSGI app (Flask) on werkzeug's threaded server, in a daemon thread on a loopback port."""

    def __init__(self, app: Any) -> None:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self.port = free_port()
        self.server = make_server("127.0.0.1", self.port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> WsgiServer:
        self.thread.start()
        wait_port(self.port)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


def rest_lab(*, fixed: bool = False) -> WsgiServer:
    return WsgiServer(rest.create_app(fixed))


def graphql_lab(*, fixed: bool = False) -> ThreadedUvicorn:
    return ThreadedUvicorn(graphql_app.create_app(fixed))


def fragile(*, fixed: bool = False) -> ProcessServer:
    """The single-threaded wsgiref app with a backtracking email check, in a process of its own (a regex
    holds the GIL: in the test process it would stall the scanner too)."""
    return ProcessServer("tests.scan_lab.fragile", {}, *(["--fixed"] if fixed else []))


def hanging(hang: str = "forever") -> ProcessServer:
    return ProcessServer("tests.scan_lab.hanging", {}, "--hang", hang)


def scan(
    target: str,
    spec: Path | str | None,
    auth: Path | None,
    *,
    only: list[str] | None = None,
    rate: float | None = 500.0,
    **kwargs: object,
) -> ScanResult:
    options = ScanOptions(
        target=target,
        spec=str(spec) if spec is not None else None,
        auth=load_model(AuthFile, auth) if auth else None,
        rate=rate,
        only=only or [],
        **kwargs,  # type: ignore[arg-type]
    )
    return run_scan(options)


def found(result: ScanResult, check_id: str) -> list[str]:
    """Operations `check_id` reported, for assertions that name both."""
    return sorted(f.operation for f in result.findings if f.check_id == check_id)


def monitored_config(directory: Path) -> Path:
    """examples/demo.yaml with every detector in monitor mode: each guard is judged on its own, instead of
    the detectors banning the scanner's address within seconds (which they do, and which is also shown)."""
    text = (ROOT / "examples/demo.yaml").read_text()
    detectors = [{**d.model_dump(mode="json"), "mode": "monitor"} for d in DetectConfig().detectors]
    data = yaml.safe_load(text)
    data["detect"] = {"detectors": detectors}
    data["openapi"] = str(ROOT / "examples" / data["openapi"])
    path = directory / "demo-monitor.yaml"
    path.write_text(yaml.safe_dump(data))
    return path
