"""The rough edges a new user hit in the first hour (issue 20, section 3) and the exposed admin plane
(issue 22, item 23): each one's regression test."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bastion.cli import app
from bastion.config import ConfigError, load_config, parse_config
from bastion.core.context import Context
from bastion.core.problem import verdict_body
from bastion.core.request import Headers, Request
from bastion.engine import Engine
from tests.servers import ROOT, free_port

RUNNER = CliRunner()
SPEC = ROOT / "examples" / "demo_api" / "openapi.yaml"


def _policy(tmp_path: Path, **sections: object) -> Path:
    doc = {
        "listen": {"host": "127.0.0.1", "port": free_port()},
        "upstream": {"url": "http://127.0.0.1:9"},
        "routes": [{"path": "/**", "methods": ["*"]}],
        "store": {"path": str(tmp_path / "bastion.db")},
        **sections,
    }
    path = tmp_path / "bastion.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def _serve(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bastion", "serve", "--config", str(path), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


# -- serve errors name the right thing ---------------------------------------------------------------


def test_a_busy_admin_port_is_named_as_the_admin_port(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        admin_port = busy.getsockname()[1]
        result = _serve(_policy(tmp_path, admin={"host": "127.0.0.1", "port": admin_port}))
    assert result.returncode == 2
    assert f"admin.port: the admin listener cannot listen on 127.0.0.1:{admin_port}: Address already in use" in (
        result.stderr
    )
    assert "Task was destroyed" not in result.stderr + result.stdout


def test_a_busy_traffic_port_is_named_as_listen_port(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _serve(_policy(tmp_path), "--port", str(port))
    assert result.returncode == 1
    assert f"--port: cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr
    assert "Task was destroyed" not in result.stderr + result.stdout


def test_an_impossible_port_option_blames_the_option(tmp_path: Path) -> None:
    result = _serve(_policy(tmp_path), "--port", "99999")
    assert result.returncode == 2
    assert "--port" in result.stderr
    assert "listen.port" not in result.stderr


# -- init writes a spec path that resolves from the policy ---------------------------------------------


def test_init_output_file_gets_a_spec_path_from_its_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "policies" / "shop"
    elsewhere.mkdir(parents=True)
    policy = elsewhere / "bastion.yaml"
    with policy.open("w") as out:  # `bastion init --openapi spec.yaml > /elsewhere/bastion.yaml`
        subprocess.run(
            [sys.executable, "-m", "bastion", "init", "--openapi", str(SPEC.relative_to(ROOT))],
            cwd=ROOT,
            stdout=out,
            check=True,
            timeout=60,
        )
    written = yaml.safe_load(policy.read_text())["openapi"]
    assert (elsewhere / written).resolve() == SPEC
    check = RUNNER.invoke(app, ["check", "--config", str(policy)], env={"BASTION_SECRET": "s" * 40})
    assert check.exit_code == 0, check.output


def test_init_to_a_pipe_writes_an_absolute_spec_path_and_says_so() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bastion", "init", "--openapi", str(SPEC.relative_to(ROOT))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert yaml.safe_load(result.stdout)["openapi"] == str(SPEC)
    assert "absolute" in result.stderr


# -- modes and switches written as YAML 1.1 booleans ----------------------------------------------------


def test_off_unquoted_means_off() -> None:
    config = parse_config(
        "listen: {port: 8080}\nupstream: {url: 'http://127.0.0.1:1'}\nroutes: [{path: /graphql, methods: [POST]}]\n"
        "graphql:\n  introspection: off\nwaf: {mode: off}\nvalidation: {mode: monitor}\n"
    )
    assert config.graphql is not None
    assert config.graphql.introspection == "off"
    assert config.waf is not None
    assert config.waf.mode == "off"


# -- ban refusals say they are bans ---------------------------------------------------------------------


async def test_a_ban_answers_banned_with_retry_after_and_no_reason(tmp_path: Path) -> None:
    path = _policy(tmp_path, detect={}, secrets={"key": "ban-tests-secret-0123456789abcdefghij"})

    engine = Engine(load_config(path))
    assert engine.bans is not None
    await engine.start()
    try:
        ban = await engine.bans.ban("ip", "198.51.100.7", "brute-force: 10 failures")
        request = Request("GET", "/x", "", Headers([("host", "a")]), "198.51.100.7")
        decision = await engine.pipeline.check(request, Context("r1"))
    finally:
        await engine.stop()
    refusal = decision.refusal
    assert refusal is not None
    assert refusal.status == 403
    body = verdict_body(refusal, "r1").decode()
    assert '"type":"urn:bastion:problem:banned"' in body
    assert "brute" not in body
    assert "failures" not in body
    retry = int(dict(refusal.headers)["retry-after"])
    assert 0 < retry <= ban.until - ban.created_at + 1


# -- the admin plane off loopback ----------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::", "admin.internal"])
def test_an_admin_listener_off_loopback_needs_credentials(host: str) -> None:
    base = "listen: {port: 8080}\nupstream: {url: 'http://127.0.0.1:1'}\nroutes: [{path: /x, methods: [GET]}]\n"
    with pytest.raises(ConfigError) as refused:
        parse_config(base + f"admin: {{host: '{host}'}}\n")
    assert "allow_unauthenticated_metrics" in refused.value.render()
    assert parse_config(base + f"admin: {{host: '{host}', token: '{'t' * 24}'}}\n").admin is not None
    assert parse_config(base + f"admin: {{host: '{host}', allow_unauthenticated_metrics: true}}\n").admin is not None
    for loopback in ("127.0.0.1", "::1", "localhost", "127.0.0.2"):
        assert parse_config(base + f"admin: {{host: '{loopback}'}}\n").admin is not None


def test_check_says_when_metrics_are_open_to_the_network(tmp_path: Path) -> None:
    exposed = _policy(tmp_path, admin={"host": "0.0.0.0", "port": 0})
    refused = RUNNER.invoke(app, ["check", "--config", str(exposed)])
    assert refused.exit_code == 2
    assert "admin.allow_unauthenticated_metrics" in refused.output
    allowed = _policy(tmp_path, admin={"host": "0.0.0.0", "port": 0, "allow_unauthenticated_metrics": True})
    result = RUNNER.invoke(app, ["check", "--config", str(allowed)], terminal_width=300)
    assert result.exit_code == 0
    assert "warning: admin.host 0.0.0.0 is reachable from other machines without credentials" in result.output


# -- shell completion -----------------------------------------------------------------------------------


def test_shell_completion_is_offered() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bastion", "--show-completion", "bash"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"},
    )
    assert result.returncode == 0, result.stderr
    assert "complete" in result.stdout
    assert "_BASTION_COMPLETE" in result.stdout or "bastion" in result.stdout


def test_the_ci_workflow_runs_scan_and_uploads_sarif() -> None:
    workflow = yaml.safe_load((ROOT / "examples" / "ci" / "github-actions-scan.yml").read_text())
    steps = workflow["jobs"]["scan"]["steps"]
    scan = next(step["run"] for step in steps if "bastion scan" in str(step.get("run", "")))
    upload = next(step for step in steps if "upload-sarif" in str(step.get("uses", "")))
    assert "sarif" in scan
    assert "--output-dir bastion-scan" in scan
    assert upload["with"]["sarif_file"] == "bastion-scan/bastion-scan.sarif"
    assert workflow["permissions"]["security-events"] == "write"
    options = RUNNER.invoke(app, ["scan", "--help"], terminal_width=200).output
    for option in ("--spec", "--target", "--auth", "--format", "--output-dir", "--fail-on"):
        assert option in options
