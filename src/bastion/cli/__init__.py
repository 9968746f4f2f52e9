"""The `bastion` command line: the app, with every module's commands registered on it."""

from __future__ import annotations

from bastion.cli import audit, explain, init, keys, reload, scan  # noqa: F401  (each registers its commands)
from bastion.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app()
