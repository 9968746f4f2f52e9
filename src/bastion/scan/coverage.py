"""How much of the API the scan actually reached: part of the result, and a CI gate of its own.

A scan that could not log in, or whose requests were all refused, finds nothing, and "nothing found"
must not read as "nothing there". Coverage counts the checks by how they ended, the operations that
answered 2xx at least once, and the identities that logged in; `--min-coverage` turns a thin scan into
a failure: by default, every test user must log in and at least half the operations must be reached.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bastion.scan.target import Exchange

DEFAULT_MIN_COVERAGE = 50.0


@dataclass
class Coverage:
    checks: dict[str, int]  # status -> count
    operations: list[str]
    reached: list[str]
    identities: list[str]  # logged in (or static credentials that were accepted)
    identities_failed: dict[str, str]  # name -> what the login answered
    min_coverage: float = DEFAULT_MIN_COVERAGE
    traffic: bool = True  # False for a spec audit alone, which sends nothing and reaches nothing

    @property
    def share(self) -> float:
        """Percentage of operations that answered 2xx at least once (100 when there is none to reach)."""
        return 100.0 * len(self.reached) / len(self.operations) if self.operations else 100.0

    @property
    def unreached(self) -> list[str]:
        reached = set(self.reached)
        return [op for op in self.operations if op not in reached]

    def shortfalls(self) -> list[str]:
        """Why the coverage is below --min-coverage (empty when it is enough, or when the gate is off)."""
        if self.min_coverage <= 0 or not self.traffic:
            return []
        out = [f"user {name} did not log in: {why}" for name, why in self.identities_failed.items()]
        if self.share < self.min_coverage:
            out.append(
                f"only {len(self.reached)} of {len(self.operations)} operations answered 2xx "
                f"({self.share:.0f} % < --min-coverage {self.min_coverage:g} %)"
            )
        return out

    def summary(self) -> str:
        checks = ", ".join(f"{n} {status}" for status, n in self.checks.items() if n)
        who = ", ".join(self.identities) or "none"
        line = (
            f"coverage: checks {checks or 'none'}; operations reached {len(self.reached)}/{len(self.operations)} "
            f"({self.share:.0f} %); identities {who}"
        )
        if self.identities_failed:
            line += f"; failed: {', '.join(self.identities_failed)}"
        return line

    def to_dict(self) -> dict[str, object]:
        return {
            "checks": dict(self.checks),
            "operations_total": len(self.operations),
            "operations_reached": sorted(self.reached),
            "operations_unreached": sorted(self.unreached),
            "reached_percent": round(self.share, 1),
            "identities": list(self.identities),
            "identities_failed": dict(self.identities_failed),
            "min_coverage": self.min_coverage,
            "sufficient": not self.shortfalls(),
            "shortfalls": self.shortfalls(),
        }


@dataclass
class CoverageInputs:
    operations: list[str]
    history: Iterable[Exchange]
    statuses: Iterable[str]
    identities: list[str]
    identities_failed: dict[str, str] = field(default_factory=dict)
    traffic: bool = True


def measure(inputs: CoverageInputs, min_coverage: float = DEFAULT_MIN_COVERAGE) -> Coverage:
    wanted = set(inputs.operations)
    reached = sorted({e.operation for e in inputs.history if e.ok and e.operation in wanted and e.operation})
    checks = dict.fromkeys(("ran", "skipped", "error", "budget"), 0)
    for status in inputs.statuses:
        checks[status] = checks.get(status, 0) + 1
    return Coverage(
        checks=checks,
        operations=list(inputs.operations),
        reached=reached,
        identities=list(inputs.identities),
        identities_failed=dict(inputs.identities_failed),
        min_coverage=min_coverage,
        traffic=inputs.traffic,
    )
