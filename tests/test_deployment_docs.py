"""docs/deployment.md against the product: every YAML snippet in it loads with the config loader,
and `bastion reload` sends nothing for a file that `bastion check` refuses, as the page says."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from bastion.cli import app
from bastion.config import parse_config
from tests.servers import ROOT, ThreadedUvicorn

DOC = ROOT / "docs" / "deployment.md"
FENCED = re.compile(r"```yaml\n(.*?)```", re.S)
INLINE = re.compile(r"`([a-z_]+: \{[^`]*\})`")  # a top-level key with a flow mapping, in running text
PLACEHOLDER = re.compile(r"\$\{([A-Z0-9_]+)\}")
VALUES = {"BASTION_PG_DSN": "postgresql://bastion@db.internal/bastion"}


def snippets() -> list[str]:
    text = DOC.read_text()
    return [*FENCED.findall(text), *INLINE.findall(text)]


def test_the_page_has_snippets() -> None:
    found = snippets()
    assert len(found) >= 4
    assert any("postgres" in snippet for snippet in found)


@pytest.mark.parametrize("snippet", snippets(), ids=lambda s: s.split("\n", 1)[0][:40])
def test_every_yaml_snippet_loads(snippet: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in PLACEHOLDER.findall(snippet):
        monkeypatch.setenv(name, VALUES.get(name, "placeholder-value-0123456789abcdef"))
    doc = yaml.safe_load(snippet)
    assert isinstance(doc, dict), snippet
    base: dict[str, Any] = {"routes": [{"path": "/**", "methods": ["*"]}], "upstream": {"url": "http://127.0.0.1:9"}}
    parse_config(yaml.safe_dump({**base, **doc}), base_dir=tmp_path)


class _Admin:
    """Stands in for a worker's admin API: records what it is asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.asked.append(f"{scope['method']} {scope['path']}")
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b'{"config": "0123456789abcdef"}'})


def test_reload_sends_nothing_for_a_file_check_refuses(tmp_path: Path) -> None:
    admin = _Admin()
    with ThreadedUvicorn(admin) as server:
        policy: dict[str, Any] = {
            "upstream": {"url": "http://127.0.0.1:9"},
            "routes": [{"path": "/**"}],
            "admin": {"host": "127.0.0.1", "port": server.port, "token": "reload-test-token-0123456789"},
        }
        good = tmp_path / "good.yaml"
        good.write_text(yaml.safe_dump(policy))
        result = CliRunner().invoke(app, ["reload", "--config", str(good)])
        assert result.exit_code == 0, result.output
        assert admin.asked == ["POST /v1/reload"]

        # parses, but does not compile (its OpenAPI description is missing): refused here, nothing sent
        bad = tmp_path / "bad.yaml"
        bad.write_text(yaml.safe_dump({**policy, "openapi": "missing-spec.yaml"}))
        result = CliRunner().invoke(app, ["reload", "--config", str(bad)])
        assert result.exit_code == 2
        assert "missing-spec.yaml" in result.output
        broken = tmp_path / "broken.yaml"
        broken.write_text(yaml.safe_dump(policy) + "ratelimit: {limits: [{rate: nonsense}]}\n")
        assert CliRunner().invoke(app, ["reload", "--config", str(broken)]).exit_code == 2
        assert admin.asked == ["POST /v1/reload"]
