"""Promise: in strict durability the ASGI host answers nothing before its event is written, its own
refusals (413) and an application's crash (500) included: a kill -9 right after such an answer
loses none of their events.

The writer's flush interval is set long (10 s), so only the strict commit can have written an event
by the time of the kill: an answer sent before its commit shows as a missing event.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml

from tests.faults.processes import SECRET, sqlite_events
from tests.servers import ROOT, free_port, wait_port


@pytest.mark.parametrize("inspects_body", [True, False], ids=["body-read-first", "body-read-by-the-app"])
def test_strict_asgi_answers_only_what_is_recorded(tmp_path: Path, inspects_body: bool) -> None:
    policy: dict[str, object] = {
        "routes": [{"path": "/upload", "methods": ["POST"]}, {"path": "/crash", "methods": ["GET"]}],
        "ingress": {"max_body": "1KiB"},
        "store": {"path": str(tmp_path / "bastion.db")},
        "secrets": {"key": SECRET},
        "audit": {"durability": "strict", "flush_interval": "10s"},
        "waf": {"mode": "enforce" if inspects_body else "off"},
    }
    path = tmp_path / "bastion.yaml"
    path.write_text(yaml.safe_dump(policy))
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "tests.faults.asgi_app:app", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, "BASTION_FAULT_POLICY": str(path)},
    )
    answered: dict[str, int] = {}
    try:
        wait_port(port, timeout=30)
        text = {"content-type": "text/plain"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10, headers=text) as client:
            for response in (  # the kill comes right after the last three: nothing later writes them
                client.post("/upload", content=b"hello"),
                client.post("/upload", content=b"x" * 4096),  # declared too large
                client.post("/upload", content=iter([b"x" * 800, b"x" * 800])),  # chunked, too large
                client.get("/crash"),
            ):
                answered[response.headers["x-request-id"]] = response.status_code
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert sorted(answered.values()) == [200, 413, 413, 500]
    recorded = {request_id: status for _, _, request_id, status in sqlite_events(tmp_path / "bastion.db")}
    assert {rid: recorded.get(rid) for rid in answered} == answered
