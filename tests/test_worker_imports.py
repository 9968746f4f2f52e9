"""A worker with the full policy loads only what the policy uses (issue 19: memory per worker).

Each heavy package the full policy has no use for costs a worker megabytes of resident memory;
this starts `bastion serve` with that policy and checks that the process that serves imported none
of them, nor the command line's own libraries.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import yaml
from bench.pipeline_load import full_policy

# the scanner, GraphQL, fleets' Redis and PostgreSQL, the HTTP client, the terminal renderer, the
# spec validator and its jsonschema stack, the WebSocket stack, the scanner's property testing, and
# the metrics (only an admin listener serves them; this policy has none), and joserfc and
# cryptography (its JWT issuer has only an HS256 secret; sealing uses libsodium, through PyNaCl)
NOT_FOR_THIS_POLICY = (
    "bastion.scan.engine",
    "bastion.scan.checks",
    "graphql",
    "redis",
    "psycopg",
    "httpx",
    "rich",
    "openapi_spec_validator",
    "jsonschema",
    "referencing",
    "wsproto",
    "hypothesis",
    "jinja2",
    "prometheus_client",
    "joserfc",
    "cryptography",
)

# Not in a serving process either: the command line (Typer, Click, the other commands' modules)
THE_COMMAND_LINE = ("typer", "click", "bastion.cli", "argon2", "shellingham")


def policy_file(tmp_path: Path) -> Path:
    """bench/pipeline's full policy, as `make bench-pipeline` writes it, on a port the OS picks."""
    doc = full_policy(8001, tmp_path)
    doc["listen"]["port"] = 0
    path = tmp_path / "bastion.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def _serving_modules(tmp_path: Path) -> tuple[set[str], str]:
    """Every module the `bastion serve` process imported until it listened (`-X importtime`, which
    the command line passes on to the process image that serves), and that image's command line."""
    log = tmp_path / "imports.log"
    with log.open("w") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-X", "importtime", "-m", "bastion", "serve", "--config", str(policy_file(tmp_path))],
            stderr=stderr,
            cwd=tmp_path,
        )
        try:
            deadline = time.monotonic() + 60
            while "listening on" not in log.read_text() and time.monotonic() < deadline:
                assert proc.poll() is None, log.read_text()[-2000:]
                time.sleep(0.1)
            assert "listening on" in log.read_text()
            serving_command = Path(f"/proc/{proc.pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    # each interpreter start prints this header: the last part is the process that served
    last_start = log.read_text().split("import time: self [us] | cumulative | imported package")[-1]
    modules = {line.split("|")[-1].strip() for line in last_start.splitlines() if line.startswith("import time:")}
    return modules, serving_command


def test_the_full_policy_worker_imports_nothing_it_does_not_use(tmp_path: Path) -> None:
    loaded, serving_command = _serving_modules(tmp_path)
    assert "bastion.hosts.proxy.serve" in serving_command  # the same process, its image replaced
    assert "bastion.guards.waf" in loaded  # the policy's own stack did load
    assert "jsonschema_rs" in loaded
    unwanted = sorted(
        name
        for name in loaded
        if any(name == top or name.startswith(top + ".") for top in NOT_FOR_THIS_POLICY + THE_COMMAND_LINE)
    )
    assert unwanted == []
