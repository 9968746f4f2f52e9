"""What README.md and docs/ show works as shown: `make demo`, then every command and policy snippet.

- `make demo` (examples/run_demo.py) keeps its state and secrets in `.demo/` and prints it, leaves no
  temporary folder, and a second run reuses the same secrets (so the audit chain still verifies).
- Every policy snippet (```yaml blocks that are policies) goes through the config loader.
- Every `bastion ...` line runs against the running demo when it is a complete command (a generic
  `bastion.yaml` stands for the demo's policy), and its output has the expected shape; a synopsis
  line (with `|`, `[...]`, `<...>` or `...`) is checked against `--help`: the command and each option
  it shows exist.
- README's second-terminal block runs exactly as printed (after activating .venv and loading
  .demo/env), including an API key created with `bastion keys create` accepted end to end.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bastion.cli import app
from bastion.config import ConfigError, parse_config
from bastion.config.loader import PolicyLoader, load_model
from bastion.config.model import BastionConfig
from bastion.scan.auth import AuthFile
from tests.doc_snippets import Snippet, commands, snippets
from tests.servers import ROOT, free_port, wait_port

SHELL_BLOCKS = ("sh", "bash", "shell", "console", "")
NOT_POLICIES = {"scrape_configs", "groups", "jobs"}  # Prometheus and GitHub Actions files shown in docs
_RUNNER = CliRunner()
_SYNOPSIS = re.compile(r"\||\[|<|\.\.\.|\bVALUE\b|\bURL\b|--workers N|&$")


@dataclass
class Demo:
    checkout: Path  # a checkout of its own: examples/ and .venv linked, .demo/ its own
    gateway_port: int
    admin_port: int
    printed: str

    @property
    def state(self) -> Path:
        return self.checkout / ".demo"


def _bastion_temp_dirs() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).iterdir() if p.name.startswith("bastion-demo")}


def _start_demo(checkout: Path, api: int, gateway: int, admin: int) -> tuple[subprocess.Popen[str], str]:
    env = {k: v for k, v in os.environ.items() if k not in ("BASTION_SECRET", "DEMO_JWT_SECRET", "BASTION_ADMIN_TOKEN")}
    env.update(DEMO_DIR=str(checkout / ".demo"), DEMO_API_PORT=str(api), DEMO_GATEWAY_PORT=str(gateway),
               DEMO_ADMIN_PORT=str(admin), PYTHONPATH=str(ROOT))  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "examples.run_demo"],
        cwd=checkout,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    printed = []
    deadline = time.monotonic() + 60
    assert proc.stdout is not None
    for line in proc.stdout:
        printed.append(line)
        if "Press Ctrl-C" in line or time.monotonic() > deadline:
            break
    wait_port(gateway)
    return proc, "".join(printed)


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    checkout = tmp_path_factory.mktemp("checkout")
    (checkout / "examples").symlink_to(ROOT / "examples")
    (checkout / ".venv").symlink_to(Path(sys.prefix))
    ports = free_port(), free_port(), free_port()
    before = _bastion_temp_dirs()
    # A first run creates .demo/ and writes events; the second must reuse its secrets and state.
    first, _ = _start_demo(checkout, *ports)
    _stop(first)
    secrets_first = (checkout / ".demo" / "env").read_text()
    proc, printed = _start_demo(checkout, *ports)
    try:
        wait_port(ports[2])
        demo = Demo(checkout, ports[1], ports[2], printed)
        assert (checkout / ".demo" / "env").read_text() == secrets_first
        assert _bastion_temp_dirs() == before
        yield demo
    finally:
        _stop(proc)


def test_make_demo_keeps_state_and_secrets_in_dot_demo(demo: Demo) -> None:
    assert str(demo.state) in demo.printed
    assert ". .venv/bin/activate && . .demo/env" in demo.printed
    env_file = demo.state / "env"
    assert oct(env_file.stat().st_mode & 0o777) == "0o600"
    names = {line.split("=", 1)[0].removeprefix("export ") for line in env_file.read_text().splitlines()[1:]}
    assert {"BASTION_SECRET", "DEMO_JWT_SECRET", "BASTION_ADMIN_TOKEN", "BASTION_STATE_DIR"} <= names
    assert {"bastion-demo.db", "shop.db", "demo-api.log"} <= {p.name for p in demo.state.iterdir()}
    assert "demo-api.log" in demo.printed
    assert "/console/" in demo.printed
    assert ".demo/" in (ROOT / ".gitignore").read_text().splitlines()


# -- commands -----------------------------------------------------------------------------------------


# subcommand -> (exit codes, a line its output must have)
_SHAPES: dict[str, tuple[tuple[int, ...], str]] = {
    "check": ((0,), r"^ok \S+: \d+ operation"),
    "audit verify": ((0,), r"^ok: \d+ events, chain and checkpoints intact"),
    "audit search": ((0,), r"^\d+ event\(s\)"),
    "explain": ((0, 1), r"^decision:  (allowed|\d{3} \(rule \S+\))$"),
    "incidents list": ((0,), r"\bid\b"),
    "bans list": ((0,), r"\bid\b"),
    "keys list": ((0,), r"\bid\b"),
    "keys create": ((0,), r"^created key \S+ for"),
    "version": ((0,), r"^bastion \d+\.\d+"),
    "init": ((0,), r"^openapi: "),
}


def _shape(command: str, output: str, code: int) -> None:
    """What each command is expected to print (and exit with) against the demo."""
    words = command.split()
    sub = " ".join(w for w in words[1:3] if not w.startswith("-"))
    assert "Traceback" not in output
    if sub == "audit search" and "--json" in words:
        assert code == 0, output
        for line in filter(None, output.splitlines()):
            assert "decision" in json.loads(line)
        return
    shape = _SHAPES.get(sub) or _SHAPES.get(words[1])
    assert shape is not None, f"no expected shape for {command!r}"
    codes, pattern = shape
    assert code in codes, f"{command!r} exited {code}: {output}"
    assert re.search(pattern, output, re.M), f"{command!r} printed: {output}"


def _runnable(command: str) -> str | None:
    """The command as run against the demo, or None when it is a synopsis or needs its own process."""
    if _SYNOPSIS.search(command) or not command.startswith("bastion "):
        return None
    words = shlex.split(command)
    if words[1] in ("serve", "reload", "scan", "hash-password", "revoke", "--install-completion", "schema"):
        return None  # long-running, interactive or changing state: covered by their own tests
    if words[1:3] in (["keys", "revoke"], ["keys", "rotate"]):
        return None
    command = re.sub(r"(-c|--config) bastion\.yaml", r"\1 examples/demo.yaml", command)
    return command.replace("spec.yaml", "examples/demo_api/openapi.yaml")


def _help_lists(command: str) -> None:
    words = [w for w in shlex.split(command.replace("|", " | ")) if w]
    path = []
    for word in words[1:]:
        if (
            word.startswith(("-", "[", "<"))
            or word in ("|", "/", "...", ">")
            or (not word.isidentifier() and "-" not in word)
        ):
            break
        path.append(word)
        if len(path) == 2:
            break
    result = _RUNNER.invoke(app, [*path, "--help"], terminal_width=200)
    if result.exit_code != 0 and len(path) == 2:  # "bastion serve --config": the second word was an argument
        path = path[:1]
        result = _RUNNER.invoke(app, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, f"`bastion {' '.join(path)} --help` failed: {result.output}"
    for option in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", command):
        assert option in result.output, f"{command!r}: `bastion {' '.join(path)}` has no {option}"


def _doc_commands() -> list[tuple[str, str]]:
    found = []
    for snippet in snippets(*SHELL_BLOCKS):
        for line, command in commands(snippet):
            if command.startswith("bastion "):
                found.append((f"{snippet.path.relative_to(ROOT)}:{line}", command))
    return found


def _env_of(demo: Demo) -> dict[str, str]:
    env = dict(os.environ)
    for line in (demo.state / "env").read_text().splitlines()[1:]:
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = shlex.split(value)[0]
    return env


@pytest.mark.parametrize(("where", "command"), _doc_commands(), ids=[w for w, _ in _doc_commands()])
def test_every_documented_command(demo: Demo, where: str, command: str) -> None:
    runnable = _runnable(command)
    if runnable is None:
        _help_lists(command)
        return
    if ">" in runnable:
        runnable = runnable.split(">")[0].strip()  # shown redirected to a file: read it from stdout
    result = subprocess.run(
        [sys.executable, "-m", "bastion", *shlex.split(runnable)[1:]],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=demo.checkout,
        env=_env_of(demo),
    )
    _shape(runnable, result.stdout + result.stderr, result.returncode)


def test_the_readme_second_terminal_block_works_as_printed(demo: Demo) -> None:
    readme = next(s for s in snippets("sh") if s.path.name == "README.md" and ". .demo/env" in s.text)
    lines = commands(readme)
    prelude = lines[0][1]
    assert prelude == ". .venv/bin/activate && . .demo/env"
    key = ""

    def run(command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-c", f"{prelude} && {command}"],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=demo.checkout,
            env={**{k: v for k, v in os.environ.items() if not k.startswith(("BASTION_", "DEMO_"))}, "KEY": key},
        )

    for _, shown in lines[1:]:
        command = shown.replace("127.0.0.1:8080", f"127.0.0.1:{demo.gateway_port}")
        result = run(command)
        output = result.stdout + result.stderr
        if command.startswith("curl"):
            # A new key is read from the store within authn's api_key refresh (2 s), as the README says.
            # Asked again with a doubling pause (at most 6 failures in 15 s): each 401 counts towards
            # the brute-force detector's ban (10 a minute), which a loaded machine's slower refresh
            # reached when asked every 0.2 s.
            pause = 0.25
            while json.loads(result.stdout).get("status") == 401 and pause < 16:
                time.sleep(pause)
                pause *= 2
                result = run(command)
            output = result.stdout + result.stderr
            assert json.loads(result.stdout).get("username") == "alice", f"{command}: {output}"  # the key acts as alice
        else:
            _shape(command, output, result.returncode)
        if "keys create" in command:
            key = result.stdout.strip().splitlines()[-1]


# -- policy snippets -----------------------------------------------------------------------------------

_BASE = {
    "listen": {"host": "127.0.0.1", "port": 8080},
    "upstream": {"url": "http://127.0.0.1:8001"},
    "routes": [{"path": "/**", "methods": ["*"]}],
}
_AUTHN = {"methods": [{"jwt": {"issuer": "https://id.example.com/", "audience": "api", "algorithms": ["HS256"],
                                "secret": "x" * 40}}]}  # fmt: skip


def _yaml_snippets() -> list[Snippet]:
    return snippets("yaml", "yml")


@pytest.mark.parametrize("snippet", _yaml_snippets(), ids=lambda s: s.where)
def test_every_policy_snippet_loads(snippet: Snippet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = snippet.text
    for name in set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)(?::-[^}]*)?\}", text)):
        monkeypatch.setenv(name, f"{name.lower()}-from-the-environment-0123456789")
    for path in set(re.findall(r"\$\{file:([^}]+)\}", text)):
        secret = tmp_path / Path(path).name
        secret.write_text("secret-from-a-file-0123456789abcdef0123456789")
        text = text.replace(f"${{file:{path}}}", f"${{file:{secret}}}")
    data = yaml.load(text, Loader=PolicyLoader)  # noqa: S506 - PolicyLoader is a SafeLoader
    if isinstance(data, list) or set(data) & NOT_POLICIES:
        assert isinstance(data, list) or set(data) & NOT_POLICIES  # a CI step or a Prometheus file
        return
    if {"login", "users"} & set(data):
        path = tmp_path / "auth.yaml"
        path.write_text(text)
        load_model(AuthFile, path)
        return
    assert set(data) <= set(BastionConfig.model_fields), f"{snippet.where}: not a policy: {sorted(data)}"
    policy = {**_BASE, **({"authn": _AUTHN} if "authz" in data and "authn" not in data else {}), **data}
    try:
        parse_config(yaml.safe_dump(policy), base_dir=tmp_path)
    except ConfigError as exc:
        raise AssertionError(f"{snippet.where}:\n{exc.render()}") from None
