"""Fixtures of the fault tests: an upstream in a process of its own (the load generator in the test
process must not share a GIL with it), and databases each test may stop and start."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.processes import RestartablePostgres, RestartableRedis
from tests.servers import ROOT, free_port, wait_port


@pytest.fixture(scope="module")
def upstream_url() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "tests.upstream_app:app", "--port", str(port), "--log-level", "warning",
         "--no-access-log", "--lifespan", "off"],
        cwd=ROOT,
    )  # fmt: skip
    try:
        wait_port(port, timeout=30)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def postgres() -> Iterator[RestartablePostgres]:
    server = RestartablePostgres()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_restartable(tmp_path: Path) -> Iterator[RestartableRedis]:
    server = RestartableRedis(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.stop(keep=False)
