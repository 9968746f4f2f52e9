"""Every check registers here with its id and classification; the engine runs them in phase order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from bastion.scan.findings import OWASP_2023, Severity

if TYPE_CHECKING:
    from bastion.scan.context import ScanContext


class Phase(IntEnum):
    STATIC = 0  # reads the spec, sends nothing
    ACTIVE = 1  # probes that leave the API as it was
    STATEFUL = 2  # creates data, bursts requests or changes a test user: run after the others
    PASSIVE = 3  # reads every exchange the scan made


@dataclass(frozen=True)
class CheckInfo:
    id: str
    title: str
    severity: Severity
    cwe: int
    owasp: str
    remediation: str
    bastion: str | None = None
    phase: Phase = Phase.ACTIVE
    needs_users: int = 0  # test identities needed (non-admin), e.g. 2 for BOLA
    needs_admin: bool = False
    needs_graphql: bool = False  # runs only with --graphql

    @property
    def owasp_name(self) -> str:
        return OWASP_2023[self.owasp]


@dataclass(frozen=True)
class RegisteredCheck:
    info: CheckInfo
    run: Callable[[ScanContext], None]
    module: str


REGISTRY: dict[str, RegisteredCheck] = {}


def check(info: CheckInfo) -> Callable[[Callable[[ScanContext], None]], Callable[[ScanContext], None]]:
    if info.owasp not in OWASP_2023:
        raise ValueError(f"{info.id}: unknown OWASP category {info.owasp}")

    def register(func: Callable[[ScanContext], None]) -> Callable[[ScanContext], None]:
        if info.id in REGISTRY:
            raise ValueError(f"check {info.id} registered twice")
        REGISTRY[info.id] = RegisteredCheck(info, func, func.__module__.rsplit(".", 1)[-1])
        return func

    return register


def selected(only: list[str], skip: list[str]) -> list[RegisteredCheck]:
    """Checks in run order; `only`/`skip` take ids, id prefixes (`injection`) or globs (`authn.jwt-*`)."""
    from bastion.scan.checks import MODULES  # importing registers every check

    def matches(check_id: str, patterns: list[str]) -> bool:
        return any(
            check_id == p or check_id.startswith(p.rstrip(".") + ".") or fnmatchcase(check_id, p) for p in patterns
        )

    unknown = [p for p in [*only, *skip] if not any(matches(c, [p]) for c in REGISTRY)]
    if unknown:
        raise ValueError(f"no check matches {', '.join(unknown)} (see `bastion scan --list-checks`)")
    chosen = [c for c in REGISTRY.values() if (not only or matches(c.info.id, only)) and not matches(c.info.id, skip)]
    return sorted(chosen, key=lambda c: (c.info.phase, MODULES.index(c.module)))
