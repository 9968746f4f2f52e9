"""What a scan produced: findings, how each check ended, coverage, blocking, outages, and whether it finished.

Report formats read only this; they know nothing of checks or of the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bastion.scan.coverage import Coverage
from bastion.scan.findings import CheckInfo, Finding
from bastion.scan.watch import Block, Outage

STATUSES = ("ran", "skipped", "error", "budget")


@dataclass
class CheckRun:
    info: CheckInfo
    status: str  # ran, skipped, error, budget
    reason: str = ""
    requests: int = 0
    seconds: float = 0.0
    first_request: int = 0  # the range of request numbers it sent, for attributing blocks and outages
    last_request: int = 0


@dataclass
class ScanResult:
    target: str
    spec_title: str
    started: float
    duration: float
    requests: int
    budget: int
    findings: list[Finding]
    checks: list[CheckRun]
    coverage: Coverage
    tested: dict[str, set[str]]  # check id -> operations it tested
    operations: list[str]
    budget_exhausted: bool = False
    warnings: list[str] = field(default_factory=list)
    stop_reason: str | None = None  # why the scan did not finish (deadline, signal, target down, blocked ...)
    blocks: list[Block] = field(default_factory=list)
    outages: list[Outage] = field(default_factory=list)

    @property
    def incomplete(self) -> bool:
        return self.stop_reason is not None
