"""A worker with the full policy loads only what the policy uses (issue 19: memory per worker).

Each heavy package the full policy has no use for costs a worker megabytes of resident memory;
this checks, in a fresh interpreter that builds the engine as `bastion serve` does, that none of
them is imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml
from bench.pipeline_load import full_policy

# the scanner, GraphQL, fleets' Redis and PostgreSQL, the HTTP client, the terminal renderer, the
# spec validator and its jsonschema stack, the WebSocket stack, the scanner's property testing
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
)

PROGRAM = """
import json, sys
from pathlib import Path
import bastion.cli
from bastion.config import load_config
from bastion.engine import Engine
from bastion.hosts.proxy import runner
engine = Engine(load_config(Path(sys.argv[1])), source=Path(sys.argv[1]))
print(json.dumps(sorted(sys.modules)))
"""


def policy_file(tmp_path: Path) -> Path:
    """bench/pipeline's full policy, as `make bench-pipeline` writes it, on a port the OS picks."""
    doc = full_policy(8001, tmp_path)
    doc["listen"]["port"] = 0
    path = tmp_path / "bastion.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def test_the_full_policy_worker_imports_nothing_it_does_not_use(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(policy_file(tmp_path))],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=tmp_path,
    )
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "bastion.guards.waf" in loaded  # the policy's own stack did load
    assert "jsonschema_rs" in loaded
    unwanted = sorted(
        name for name in loaded if any(name == top or name.startswith(top + ".") for top in NOT_FOR_THIS_POLICY)
    )
    assert unwanted == []
