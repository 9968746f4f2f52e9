"""The `bastion` command line: the Typer app, its shared helpers, and the core commands."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import orjson
import typer

from bastion import __version__
from bastion.config import BastionConfig, ConfigError, load_config
from bastion.config.reference import json_schema, markdown_reference
from bastion.engine import Engine
from bastion.errors import StartupError
from bastion.logs import configure_logging

if TYPE_CHECKING:
    from rich.console import Console

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
    try:
        return load_config(path, overrides)
    except ConfigError as exc:
        err.print(exc.render(), markup=False, soft_wrap=True)
        raise typer.Exit(2) from None


@app.command()
def version() -> None:
    """Print Bastion's version."""
    out.print(f"bastion {__version__}")


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
    if format is SchemaFormat.markdown:
        sys.stdout.write(markdown_reference())
    else:
        sys.stdout.write(orjson.dumps(json_schema(), option=orjson.OPT_INDENT_2).decode() + "\n")


def compile_or_exit(path: Path) -> Engine:
    """The policy at `path` parsed and compiled as `bastion serve` would (spec, rules, keys), or exit 2."""
    cfg = load_or_exit(path)
    try:
        return Engine(cfg, source=path)
    except StartupError as exc:
        fail(f"{path}: {exc}")


@app.command()
def check(config: ConfigOption) -> None:
    """Validate a policy file (and the OpenAPI description it names); exit 2 on any problem."""
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
    from bastion.hosts.proxy.runner import run_proxy  # noqa: PLC0415  lazy: the proxy, admin and console hosts load only for `bastion serve`

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
    cfg = load_or_exit(config, overrides)
    if cfg.upstream is None and cfg.mode == "proxy":
        fail(f"{config}: upstream: the reverse proxy needs upstream.url (or --upstream, or --mode ext-authz)")
    configure_logging(cfg.log.level, cfg.log.format)

    def ready(addresses: list[tuple[str, int]]) -> None:
        listening = ", ".join(f"{h}:{p}" for h, p in addresses)
        target = cfg.upstream.url if cfg.mode == "proxy" and cfg.upstream else "ext-authz decisions"
        sys.stderr.write(f"bastion {__version__} listening on {listening} -> {target}\n")  # plain: no rich in a worker
        sys.stderr.flush()

    def reload() -> BastionConfig:
        return load_config(config, overrides)

    try:
        code = run_proxy(cfg, source=config, reload=reload, on_ready=ready)
    except StartupError as exc:
        fail(f"{config}: {exc}")
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        where = "--port" if port is not None else "listen.port"
        fail(f"{where}: cannot listen on {cfg.listen.host}:{cfg.listen.port}: {reason}", 1)
    raise typer.Exit(code)
