"""What `bastion serve` runs once its options are parsed: a process image of its own.

The command line replaces itself with `python -m bastion.hosts.proxy.serve CONFIG OVERRIDES` (same
process id, same standard streams) instead of serving from the process that parsed the options. A
worker then holds none of Typer, Click and the other commands' modules, nor what they built at
start-up: 2.6 MiB less resident memory per worker with the full policy (issue 19). The price is the
command line's own start before this one (0.3 s, most of it Typer's option coercion on pydantic;
the command line no longer imports what serving needs): 0.81 -> 0.98 s to a listening socket.

Messages are plain `error: ...` lines on stderr, as the command line prints them without a terminal.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import orjson

from bastion import __version__
from bastion.config import BastionConfig, ConfigError, load_config
from bastion.errors import StartupError
from bastion.hosts.proxy.runner import run_proxy
from bastion.logs import configure_logging


def serve(config: Path, overrides: dict[str, Any]) -> int:
    """Load the policy (with the command line's overrides), then serve until told to stop."""
    try:
        cfg = load_config(config, overrides)
    except ConfigError as exc:
        return _error(exc.render(), 2)
    if cfg.upstream is None and cfg.mode == "proxy":
        missing = "the reverse proxy needs upstream.url (or --upstream, or --mode ext-authz)"
        return _error(f"error: {config}: upstream: {missing}")
    configure_logging(cfg.log.level, cfg.log.format)

    def ready(addresses: list[tuple[str, int]]) -> None:
        listening = ", ".join(f"{h}:{p}" for h, p in addresses)
        target = cfg.upstream.url if cfg.mode == "proxy" and cfg.upstream else "ext-authz decisions"
        sys.stderr.write(f"bastion {__version__} listening on {listening} -> {target}\n")
        sys.stderr.flush()

    def reload() -> BastionConfig:
        return load_config(config, overrides)

    try:
        return run_proxy(cfg, source=config, reload=reload, on_ready=ready)
    except StartupError as exc:
        return _error(f"error: {config}: {exc}")
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        where = "--port" if "listen.port" in overrides else "listen.port"
        return _error(f"error: {where}: cannot listen on {cfg.listen.host}:{cfg.listen.port}: {reason}", 1)


def _error(message: str, code: int = 2) -> int:
    sys.stderr.write(message.rstrip("\n") + "\n")
    sys.stderr.flush()
    return code


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        return _error(f"usage: {argv[0]} CONFIG OVERRIDES-JSON (run by `bastion serve`)")
    try:
        overrides = orjson.loads(argv[2])
    except orjson.JSONDecodeError:
        overrides = None
    if not isinstance(overrides, dict):
        return _error("error: the overrides argument is not a JSON object")
    try:
        return serve(Path(argv[1]), overrides)
    except KeyboardInterrupt:  # Ctrl-C before the server took over the signal (while compiling the policy)
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv))
