"""The policy loader: units, secrets interpolation, precise errors, and `bastion check`/`schema`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bastion.config import ConfigError, parse_config
from bastion.config.reference import markdown_reference
from bastion.config.units import parse_duration, parse_rate, parse_size

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = "routes: [{path: /health}]\n"


def issues(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    return [str(i) for i in caught.value.issues]


def test_units() -> None:
    assert parse_duration("500ms") == 0.5
    assert parse_duration("5m") == 300
    assert parse_duration(3) == 3.0
    assert parse_size("16KiB") == 16384
    assert parse_size("1MB") == 1_000_000
    assert parse_rate("10/s") == (10, 1)
    assert parse_rate("5/min") == (5, 60)
    assert parse_rate("100/10s") == (100, 10)
    for bad in ("abc", "-1s", True):
        with pytest.raises(ValueError):  # noqa: PT011
            parse_duration(bad)


def test_defaults_are_safe() -> None:
    config = parse_config(MINIMAL)
    assert config.listen.host == "127.0.0.1"
    assert "TRACE" not in config.ingress.methods
    assert config.ingress.mode == "enforce"
    assert config.responses.hide_errors


def test_routes_or_openapi_are_required() -> None:
    assert any("set openapi or routes" in i for i in issues("listen: {port: 8080}\n"))


def test_errors_name_the_key_and_line() -> None:
    found = issues(MINIMAL + "listen:\n  port: 99999\n  hots: x\ningress: {max_body: lots}\n")
    assert "listen.port (line 3): Input should be less than or equal to 65535" in found
    assert "listen.hots (line 4): unknown key (check the spelling; see `bastion schema`)" in found
    assert any(i.startswith("ingress.max_body (line 5): expected a size") for i in found)


def test_duplicate_keys_are_refused() -> None:
    assert issues(MINIMAL + "ingress: {mode: monitor}\ningress: {mode: enforce}\n") == [
        "ingress (line 3): key appears twice"
    ]


def test_invalid_yaml_names_the_line() -> None:
    assert issues(MINIMAL + "listen: [unclosed\n")[0].startswith("(top level) (line")


def test_env_and_file_interpolation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "upstream"
    secret.write_text("http://127.0.0.1:9999\n")
    monkeypatch.setenv("BASTION_TEST_HOST", "0.0.0.0")
    config = parse_config(
        MINIMAL + f"listen: {{host: '${{BASTION_TEST_HOST}}'}}\nupstream: {{url: '${{file:{secret}}}'}}\n"
    )
    assert config.listen.host == "0.0.0.0"
    assert config.upstream is not None
    assert config.upstream.url == "http://127.0.0.1:9999"
    assert parse_config(MINIMAL + "listen: {host: '${BASTION_UNSET_VAR:-127.0.0.2}'}\n").listen.host == "127.0.0.2"


def test_missing_secrets_are_named_not_shown(tmp_path: Path) -> None:
    found = issues(MINIMAL + "listen: {host: '${BASTION_SURELY_UNSET}'}\nupstream: {url: '${file:/nonexistent/x}'}\n")
    assert "listen.host (line 2): environment variable BASTION_SURELY_UNSET is not set" in found
    assert any(i.startswith("upstream.url (line 3): cannot read secret file /nonexistent/x") for i in found)


def test_overrides_and_relative_paths(tmp_path: Path) -> None:
    config = parse_config(
        "openapi: specs/api.yaml\n", base_dir=tmp_path, overrides={"listen.port": 9000, "upstream.url": "http://a:1"}
    )
    assert config.listen.port == 9000
    assert config.openapi == tmp_path / "specs/api.yaml"


def test_tls_client_cert_needs_a_ca(tmp_path: Path) -> None:
    found = issues(MINIMAL + "listen: {tls: {cert: a.pem, key: a.key, client_cert: required}}\n")
    assert any("client_ca is required" in i for i in found)


EXAMPLE_ENV = {
    "DEMO_JWT_SECRET": "demo-jwt-secret-for-the-tests-0123456789",
    "GRAPHQL_DEMO_JWT_SECRET": "graphql-demo-jwt-secret-for-the-tests-0123",
    "BASTION_SECRET": "x" * 40,
}


def _bastion(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bastion", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **EXAMPLE_ENV},
    )


def test_check_command_exit_codes(tmp_path: Path) -> None:
    good = _bastion("check", "--config", str(ROOT / "examples/demo.yaml"))
    assert good.returncode == 0, good.stderr
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text("listen: {port: nope}\nroutes: []\nwat: 1\n")
    bad = _bastion("check", "--config", str(bad_file))
    assert bad.returncode == 2
    assert "listen.port (line 1)" in bad.stderr
    assert "wat (line 3): unknown key" in bad.stderr
    missing_spec = tmp_path / "spec.yaml"
    missing_spec.write_text("openapi: nowhere.yaml\n")
    assert _bastion("check", "--config", str(missing_spec)).returncode == 2


def test_serve_refuses_a_bad_file(tmp_path: Path) -> None:
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text("routes: [{path: nope}]\nupstream: {url: 'http://127.0.0.1:1'}\n")
    result = _bastion("serve", "--config", str(bad_file))
    assert result.returncode == 2
    assert "routes.0.path" in result.stderr


def test_schema_command_prints_a_json_schema() -> None:
    result = _bastion("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["additionalProperties"] is False
    assert {"listen", "upstream", "ingress", "responses"} <= set(schema["properties"])


def test_reference_docs_are_in_step_with_the_models() -> None:
    committed = (ROOT / "docs/configuration.md").read_text()
    assert committed == markdown_reference(), "run: bastion schema --format markdown > docs/configuration.md"


def test_examples_validate() -> None:
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        result = _bastion("check", "--config", str(example))
        assert result.returncode == 0, (example, result.stderr)
