"""`bastion serve` as users run it: a real process, several workers, SIGTERM drains in-flight requests."""

from __future__ import annotations

import concurrent.futures
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from tests.servers import ROOT, ThreadedUvicorn, bastion_process, listening_port


def _policy(tmp_path: Path, upstream: str, port: int = 0, **extra: object) -> Path:
    """A policy serving on `port`: 0, a port the server picks and says (`listening_port`)."""
    doc = {"listen": {"port": port}, "upstream": {"url": upstream}, "routes": [{"path": "/**", "methods": ["*"]}]}
    doc.update(extra)
    path = tmp_path / "bastion.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def test_sigterm_drains_in_flight_requests(tmp_path: Path, upstream: ThreadedUvicorn) -> None:
    policy = _policy(tmp_path, upstream.url)
    with bastion_process(policy) as proc:
        port = listening_port(proc, timeout=10)
        with concurrent.futures.ThreadPoolExecutor() as pool:
            slow = pool.submit(httpx.get, f"http://127.0.0.1:{port}/slow?delay=1", timeout=10)
            time.sleep(0.3)
            proc.send_signal(signal.SIGTERM)
            assert slow.result().status_code == 200
        assert proc.wait(timeout=10) == 0


def test_several_workers_share_the_socket(tmp_path: Path, upstream: ThreadedUvicorn) -> None:
    policy = _policy(tmp_path, upstream.url, workers=3)
    with bastion_process(policy) as proc:
        port = listening_port(proc, timeout=10)
        pids = set()
        for _ in range(60):
            with httpx.Client() as client:  # a new connection each time, so the kernel spreads them
                response = client.get(f"http://127.0.0.1:{port}/a")
            assert response.status_code == 200
            pids.add(response.headers["x-request-id"][:12])  # each worker has its own id prefix
        assert len(pids) >= 2
        children = [p for p in os.listdir("/proc") if p.isdigit() and _parent(int(p)) == proc.pid]
        assert len(children) == 3
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0


def _parent(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return -1
    return int(stat.rsplit(")", 1)[1].split()[1])


def test_cli_flags_override_the_file(tmp_path: Path, upstream: ThreadedUvicorn) -> None:
    with socket.socket() as busy:  # the file's port is taken: serving at all shows --port was applied
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        policy = _policy(tmp_path, "http://127.0.0.1:1", port=taken)
        with bastion_process(policy, "--port", "0", "--upstream", upstream.url) as proc:
            port = listening_port(proc, timeout=10)
            assert port != taken
            assert httpx.get(f"http://127.0.0.1:{port}/a").status_code == 200


@pytest.mark.skipif(sys.platform != "linux", reason="uses /proc")
def test_version_command() -> None:
    result = subprocess.run([sys.executable, "-m", "bastion", "version"], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.startswith("bastion ")


def test_the_serving_image_refuses_a_malformed_hand_over(tmp_path: Path) -> None:
    """`bastion serve` hands its parsed options over as JSON (hosts/proxy/serve.py); anything else is
    refused with a message, not a traceback."""
    policy = _policy(tmp_path, "http://127.0.0.1:9")
    for overrides, message in (("[1]", "not a JSON object"), ("{", "not a JSON object")):
        done = subprocess.run(
            [sys.executable, "-m", "bastion.hosts.proxy.serve", str(policy), overrides],
            capture_output=True, text=True, timeout=60, cwd=ROOT,
        )  # fmt: skip
        assert done.returncode == 2
        assert message in done.stderr
        assert "Traceback" not in done.stderr


def test_serve_options_reach_the_serving_image(tmp_path: Path) -> None:
    """--port and --upstream are applied by the process that serves, and its errors name the option."""
    policy = _policy(tmp_path, "http://127.0.0.1:9")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "bastion", "serve", "--config", str(policy), "--port", str(taken)],
            capture_output=True, text=True, timeout=60, cwd=ROOT,
        )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "error: --port: cannot listen on" in done.stderr
    assert f":{taken}: " in done.stderr


def test_the_serving_image_runs_with_its_optimized_bytecode_only_where_it_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """-OO where the installation holds that bytecode (make install compiles it): without it each
    start would compile the standard library and Bastion again."""
    import importlib.util  # noqa: PLC0415

    from bastion.cli.app import _serving_command  # noqa: PLC0415

    started = [sys.executable, "-X", "importtime", "-m", "bastion", "serve", "-c", "b.yaml"]
    monkeypatch.setattr(sys, "orig_argv", started)
    monkeypatch.setattr(sys, "argv", ["/x/bastion/__main__.py", "serve", "-c", "b.yaml"])
    compiled = tmp_path / "compiled.pyc"
    compiled.write_bytes(b"")
    monkeypatch.setattr(importlib.util, "cache_from_source", lambda path, optimization=None: str(compiled))
    command = _serving_command(Path("b.yaml"), {"listen.port": 8080})
    assert command == [
        sys.executable, "-X", "importtime", "-OO", "-m", "bastion.hosts.proxy.serve", "b.yaml", '{"listen.port":8080}'
    ]  # fmt: skip
    compiled.unlink()
    assert "-OO" not in _serving_command(Path("b.yaml"), {})
    # started as `python -c "from bastion.cli import main; main()" serve ...`: the code is not an option
    monkeypatch.setattr(sys, "orig_argv", [sys.executable, "-I", "-c", "main()", "serve", "-c", "b.yaml"])
    monkeypatch.setattr(sys, "argv", ["-c", "serve", "-c", "b.yaml"])
    assert _serving_command(Path("b.yaml"), {})[:4] == [sys.executable, "-I", "-m", "bastion.hosts.proxy.serve"]
