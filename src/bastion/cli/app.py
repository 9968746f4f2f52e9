"""The `bastion` command line: the Typer app, its shared helpers, and the core commands.

The command modules import what a command needs when it runs: starting the command line costs
Typer and little else (`bastion --help` in 0.2-0.3 s, not 0.75), and `bastion serve` hands over to a
process that loads only what serving needs (hosts/proxy/serve.py).
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import orjson
import typer

from bastion import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from bastion.config import BastionConfig
    from bastion.engine import Engine
    from bastion.store import Store

app = typer.Typer(
    name="bastion",
    help="API security gateway and API security tester.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, PowerShell
    pretty_exceptions_enable=False,
)


class LazyConsole:
    """A rich Console made at its first use. `bastion serve` shares this module: a worker that has
    nothing to report never loads rich (1.3 MiB) nor fills its rendering tables (1.1 MiB)."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console  # noqa: PLC0415  lazy: see the class docstring

            self._console = Console(**self._options)
        return self._console

    def print(self, *objects: Any, **options: Any) -> None:
        self.console.print(*objects, **options)


err = LazyConsole(stderr=True, highlight=False)
out = LazyConsole(highlight=False, soft_wrap=True)

ConfigOption = Annotated[Path, typer.Option("--config", "-c", help="Policy file (bastion.yaml).")]


def fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", markup=True, soft_wrap=True)
    raise typer.Exit(code)


def load_or_exit(path: Path, overrides: dict[str, Any] | None = None) -> BastionConfig:
    from bastion.config import ConfigError, load_config  # noqa: PLC0415  lazy: see the module docstring

    try:
        return load_config(path, overrides)
    except ConfigError as exc:
        err.print(exc.render(), markup=False, soft_wrap=True)
        raise typer.Exit(2) from None


@app.command()
def version() -> None:
    """Print Bastion's version and build (plain Python, or the request path compiled)."""
    from bastion.build import compiled  # noqa: PLC0415  the other commands do not need the pipeline

    build = "request path compiled with mypyc" if compiled() else "plain Python"
    out.print(f"bastion {__version__} ({build})", markup=False)


class SchemaFormat(StrEnum):
    json = "json"
    markdown = "markdown"


@app.command()
def schema(
    format: Annotated[SchemaFormat, typer.Option("--format", help="json (JSON Schema) or markdown.")] = (
        SchemaFormat.json
    ),
) -> None:
    """Print the JSON Schema of bastion.yaml, for editor completion and validation."""
    from bastion.config.reference import json_schema, markdown_reference  # noqa: PLC0415  lazy: see the module docstring

    if format is SchemaFormat.markdown:
        sys.stdout.write(markdown_reference())
    else:
        sys.stdout.write(orjson.dumps(json_schema(), option=orjson.OPT_INDENT_2).decode() + "\n")


def store_of(config: BastionConfig) -> Store:
    """The policy's store (keys, incidents, bans, revocations)."""
    from bastion.store import open_store  # noqa: PLC0415  lazy: see the module docstring

    return open_store(config.store)


def compile_or_exit(path: Path) -> Engine:
    """The policy at `path` parsed and compiled as `bastion serve` would (spec, rules, keys), or exit 2."""
    from bastion.engine import Engine  # noqa: PLC0415  lazy: see the module docstring
    from bastion.errors import StartupError  # noqa: PLC0415

    cfg = load_or_exit(path)
    try:
        return Engine(cfg, source=path)
    except StartupError as exc:
        fail(f"{path}: {exc}")


@app.command()
def check(config: ConfigOption) -> None:
    """Validate a policy file (and the OpenAPI description it names); exit 2 on any problem.

    Also compiles and caches the WAF's pattern databases, so a `bastion serve` that follows starts with them."""
    engine = compile_or_exit(config)
    out.print(
        f"[green]ok[/] {config}: {len(engine.router.operations)} operation(s), "
        f"guards: {', '.join(engine.pipeline.guard_names) or 'none'}"
    )
    admin = engine.config.admin
    if admin is not None and not admin.authenticated and not admin.loopback:
        out.print(
            f"[yellow]warning:[/] admin.host {admin.host} is reachable from other machines without credentials: "
            "/metrics and /openapi.json answer anyone (admin.allow_unauthenticated_metrics: true); "
            "the admin API and the console stay closed until admin.token or admin.tls is set"
        )


@app.command()
def serve(  # noqa: PLR0913  one parameter per `bastion serve` option (typer)
    config: ConfigOption,
    host: Annotated[str | None, typer.Option(help="Address to bind (overrides listen.host).")] = None,
    port: Annotated[int | None, typer.Option(min=0, max=65535, help="Port to bind (overrides listen.port).")] = None,
    upstream: Annotated[str | None, typer.Option(help="Upstream base URL (overrides upstream.url).")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (overrides workers).")] = None,
    mode: Annotated[
        str | None, typer.Option(help="proxy, or ext-authz: the decision service for nginx/Envoy (overrides mode).")
    ] = None,
) -> None:
    """Run the reverse proxy in front of the upstream API (or the ext-authz decision service)."""
    overrides: dict[str, Any] = {}
    if host is not None:
        overrides["listen.host"] = host
    if port is not None:
        overrides["listen.port"] = port
    if upstream is not None:
        overrides["upstream.url"] = upstream
    if workers is not None:
        overrides["workers"] = workers
    if mode is not None:
        overrides["mode"] = mode
    if sys.executable and sys.argv[1:2] == ["serve"]:
        # started as `bastion serve`: serve from a process image without the command line (serve.py)
        command = _serving_command(config, overrides)
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(command[0], command)  # noqa: S606  our own interpreter and module, no shell, no user input as code
    from bastion.hosts.proxy.serve import serve as serve_policy  # noqa: PLC0415  called from Python (a test runner)

    raise typer.Exit(serve_policy(config, overrides))


def _serving_command(config: Path, overrides: dict[str, Any]) -> list[str]:
    """`bastion serve`'s process image: this interpreter with its options (`-X importtime`, `-W error`
    ...) and hosts/proxy/serve.py; the environment (PYTHONPATH among it) is inherited as it is."""
    options = sys.orig_argv[1 : len(sys.orig_argv) - len(sys.argv)]
    if options[-1:] in (["-m"], ["-c"]):  # `python -m bastion`, `python -c "..."`: not options to keep
        options = options[:-1]
    if _optimized_bytecode():
        options.append("-OO")
    module = "bastion.hosts.proxy.serve"
    return [sys.executable, *options, "-m", module, str(config), orjson.dumps(overrides).decode()]


def _optimized_bytecode() -> bool:
    """Whether this installation holds the `-OO` bytecode of the standard library and of Bastion
    (`make install` compiles Bastion's and its dependencies'). The serving process then runs without
    docstrings (1.8 MiB less per worker; Bastion's asserts only narrow types); without that bytecode
    every start would compile it again, half a second or more, so it runs as it is."""
    import importlib.util  # noqa: PLC0415  only `bastion serve` asks

    serving = Path(__file__).resolve().parent.parent / "hosts" / "proxy" / "serve.py"
    probes = (os.__file__, str(serving))  # one module of the standard library, one of Bastion's
    return all(Path(importlib.util.cache_from_source(probe, optimization=2)).is_file() for probe in probes)
