"""Every check registers here with its `CheckInfo` (the run order lives in `scan/checks/__init__.py`).

A check is a function `run(ctx, report)`: the scan's context, and a reporter already bound to the
check's own info (see `scan/reporter.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bastion.scan.context import ScanContext
from bastion.scan.findings import CheckInfo
from bastion.scan.reporter import Reporter

CheckFunction = Callable[[ScanContext, Reporter], None]


@dataclass(frozen=True)
class RegisteredCheck:
    info: CheckInfo
    run: CheckFunction
    module: str


REGISTRY: dict[str, RegisteredCheck] = {}


def check(info: CheckInfo) -> Callable[[CheckFunction], CheckFunction]:
    def register(func: CheckFunction) -> CheckFunction:
        if info.id in REGISTRY:
            raise ValueError(f"check {info.id} registered twice")
        REGISTRY[info.id] = RegisteredCheck(info, func, func.__module__.rsplit(".", 1)[-1])
        return func

    return register
