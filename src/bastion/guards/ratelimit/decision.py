"""What a limiter answers: admitted or not, after how long, and what remains of each limit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Standing:
    """One limit after the decision: units remaining, seconds until it is whole again, and (when
    refused) seconds until this request would be admitted."""

    limit_id: str
    remaining: int
    reset: float
    retry_after: float = 0.0


@dataclass(slots=True)
class Outcome:
    admitted: bool
    delay: float = 0.0  # seconds to hold an admitted request (throttling)
    standings: list[Standing] = field(default_factory=list)
    unavailable: bool = False  # the shared backend could not be asked and the policy is to fail closed
    # concurrency slots taken: what to hand back to the limiter's release() when the request ends
    slots: list[tuple[Any, str]] = field(default_factory=list)

    @property
    def retry_after(self) -> float:
        return max((s.retry_after for s in self.standings), default=0.0)


def refused(standings: list[Standing], asks: list[Any]) -> list[Standing]:
    """A refused request consumes nothing: the limits that would have admitted it keep their units."""
    for standing, ask in zip(standings, asks, strict=True):
        if standing.retry_after <= 0:
            standing.remaining += ask.cost
    return standings
