"""`bastion scan --graphql`: each GraphQL check finds its flaw in examples/graphql_api, and none fires
once Bastion's graphql policy (examples/graphql.yaml) stands in front of it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from examples.graphql_api.app import create_app

from bastion.config.loader import load_model
from bastion.scan.auth import AuthFile
from bastion.scan.context import ScanOptions
from bastion.scan.engine import ScanResult, run_scan
from bastion.scan.findings import Severity
from tests.graphql_harness import SECRET
from tests.servers import ROOT, ThreadedUvicorn, bastion_process, listening_port

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
AUTH = ROOT / "examples/scan/graphql-auth.yaml"
SCHEMA = ROOT / "examples/graphql_api/schema.graphql"
GRAPHQL_CHECKS = [
    "graphql.introspection",
    "graphql.suggestions",
    "graphql.get-mutation",
    "graphql.field-authz",
    "graphql.depth-limit",
    "graphql.cost-limit",
    "graphql.field-duplication",
    "graphql.circular-fragments",
    "graphql.ide",
    "graphql.stored-xss",
    "graphql.verbose-errors",
    "graphql.alias-amplification",
    "graphql.batch-amplification",
    "injection.sql",
]
# Every flaw planted in examples/graphql_api, by check id and operation.
PLANTED = [
    ("graphql.introspection", "graphql"),
    ("graphql.suggestions", "graphql"),
    ("graphql.get-mutation", "graphql"),
    ("graphql.field-authz", "User.email"),
    ("graphql.field-authz", "User.apiToken"),
    ("injection.sql", "search(text)"),
    ("graphql.depth-limit", "graphql"),
    ("graphql.cost-limit", "graphql"),
    ("graphql.verbose-errors", "graphql"),
    ("graphql.alias-amplification", "graphql"),
    ("graphql.batch-amplification", "graphql"),
]


def graphql_scan(url: str, **kwargs: object) -> ScanResult:
    options = ScanOptions(
        target=url,
        spec=None,
        graphql=f"{url}/graphql",
        auth=load_model(AuthFile, AUTH),
        rate=300,
        only=["graphql", "injection.sql"],
        **kwargs,  # type: ignore[arg-type]
    )
    return run_scan(options)


@pytest.fixture(scope="module")
def example() -> Iterator[ThreadedUvicorn]:
    with ThreadedUvicorn(create_app()) as server:
        yield server


@pytest.fixture(scope="module")
def direct_scan(example: ThreadedUvicorn) -> ScanResult:
    return graphql_scan(example.url)


@pytest.mark.parametrize(("check_id", "operation"), PLANTED)
def test_every_planted_graphql_flaw_is_found(direct_scan: ScanResult, check_id: str, operation: str) -> None:
    assert (check_id, operation) in {(f.check_id, f.operation) for f in direct_scan.findings}


def test_every_graphql_check_ran_and_stayed_in_budget(direct_scan: ScanResult) -> None:
    assert {run.info.id for run in direct_scan.checks if run.status == "ran"} == set(GRAPHQL_CHECKS)
    assert direct_scan.requests < 400


def test_injection_evidence_has_two_pieces(direct_scan: ScanResult) -> None:
    finding = next(f for f in direct_scan.findings if f.check_id == "injection.sql")
    assert [e.note for e in finding.evidence][:2] == ["one ': database error", "'': no error"]


def test_without_a_schema_the_schema_checks_say_why(example: ThreadedUvicorn, tmp_path: Path) -> None:
    """Introspection refused by Bastion and no --graphql-schema: the checks that need types skip, saying so."""
    with gateway(example, tmp_path) as url:
        result = graphql_scan(url)
    reasons = {run.info.id: run.reason for run in result.checks if run.status == "skipped"}
    for check_id in ("graphql.field-authz", "injection.sql", "graphql.cost-limit"):
        assert "schema" in reasons.get(check_id, ""), reasons


def test_behind_bastion_no_graphql_flaw_is_reachable(example: ThreadedUvicorn, tmp_path: Path) -> None:
    with gateway(example, tmp_path) as url:
        result = graphql_scan(url, graphql_schema=SCHEMA)
    assert [(f.check_id, f.operation, f.detail) for f in result.findings if f.severity >= Severity.LOW] == []
    assert {run.info.id for run in result.checks if run.status == "ran"} == set(GRAPHQL_CHECKS)


def test_cli_scans_a_graphql_endpoint(example: ThreadedUvicorn, tmp_path: Path) -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bastion",
            "scan",
            "--graphql",
            f"{example.url}/graphql",
            "--auth",
            str(AUTH),
            "--only",
            "graphql.introspection,graphql.get-mutation",
            "--fail-on",
            "medium",
            "--format",
            "json",
            "--output-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert completed.returncode == 1, completed.stderr  # two medium findings, and --fail-on medium
    assert (tmp_path / "bastion-scan.json").exists()


class gateway:
    """`bastion serve --config examples/graphql.yaml` in front of the example, as a real process."""

    def __init__(self, example: ThreadedUvicorn, tmp_path: Path) -> None:
        self.example, self.tmp_path = example, tmp_path
        self.env = {
            "GRAPHQL_DEMO_JWT_SECRET": SECRET,
            "BASTION_SECRET": "graphql-scan-tests-bastion-secret-0123456789",
            "BASTION_STATE_DIR": str(tmp_path),
        }

    def __enter__(self) -> str:
        self._process = bastion_process(
            ROOT / "examples/graphql.yaml", "--port", "0", "--upstream", self.example.url, env=self.env
        )
        port = listening_port(self._process.__enter__(), timeout=10)
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self._process.__exit__(None, None, None)
