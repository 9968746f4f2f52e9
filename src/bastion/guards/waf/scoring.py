"""Anomaly scoring: the points a request's matches add up to, and the refusal they make.

Each rule adds its best match's points to its category, once. A category at its threshold is
refused; failing that, all categories together past the combined threshold (a shell reading
/etc/passwd is both). The refusal names the category with the most points and, in it, the rule
with the most; ties go to what comes first in rule order.

One arithmetic serves both ends of a request's reading: the engine asks it, match by match, whether
the refusal is already known (`WAFEngine.inspect`'s `settled`), and the guard reads the verdict from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bastion.core.verdict import Verdict
from bastion.guards.waf.engine import MOST_POINTS, Match
from bastion.guards.waf.rules import Rule


class Scores:
    """Matches counted as they are found. `order` is a match's place in rule order (the engine's
    rule index, or its place in a list of matches in rule order): ties go to the smaller."""

    __slots__ = ("_best", "_combined", "_excluded", "_first", "_threshold", "_thresholds", "_totals")

    def __init__(
        self,
        thresholds: dict[str, int],
        threshold: int,
        combined: int,
        excluded: Callable[[Match], bool] | None = None,
    ) -> None:
        self._thresholds = thresholds
        self._threshold = threshold
        self._combined = combined
        self._excluded = excluded  # matches that exclusions take out count for nothing
        self._best: dict[str, tuple[Match, int]] = {}  # rule id -> its best match and its rule's place
        self._totals: dict[str, int] = {}  # category -> points
        self._first: dict[str, int] = {}  # category -> the place of its first rule

    def add(self, match: Match, order: int) -> bool:
        """Count a match; True when some category is refused (counting it)."""
        if self._excluded is not None and self._excluded(match):
            return False
        rule = match.rule
        category = rule.category
        kept = self._best.get(rule.id)
        if kept is None or match.score > kept[0].score:
            self._best[rule.id] = (match, order if kept is None else kept[1])
            self._totals[category] = (
                self._totals.get(category, 0) + match.score - (0 if kept is None else kept[0].score)
            )
        self._first[category] = min(order, self._first.get(category, order))
        return any(total >= self._limit(category) for category, total in self._totals.items())

    def reached(self, pending: Iterable[tuple[int, Rule]]) -> bool:
        """Whether rules still to be read (each with its place; each adds at most MOST_POINTS to its
        category) could no longer change the category or the rule the refusal names:
        - no other category could reach as many points, or as many with a place before it;
        - the leading rule has MOST_POINTS, and no unread rule of its category comes before it
          (with fewer, any unread rule of the category could outscore it)."""
        refused = [(total, -self._first[c], c) for c, total in self._totals.items() if total >= self._limit(c)]
        if not refused:
            return False
        lead_total, lead_first, lead = max(refused)
        lead_match, lead_place = self._leading(lead)
        reach = dict(self._totals)
        first = dict(self._first)
        for place, rule in pending:
            category = rule.category
            if category == lead and (lead_match.score < MOST_POINTS or place < lead_place):
                return False
            reach[category] = reach.get(category, 0) + MOST_POINTS - self._score_of(rule.id)
            first[category] = min(place, first.get(category, place))
        return all(
            total < lead_total or (total == lead_total and first[category] > -lead_first)
            for category, total in reach.items()
            if category != lead
        )

    def verdict(self) -> Verdict | None:
        """The refusal the counted matches add up to, or None."""
        by_category: dict[str, list[tuple[Match, int]]] = {}
        for match, place in sorted(self._best.values(), key=_place):
            by_category.setdefault(match.rule.category, []).append((match, place))
        blocking: list[tuple[int, int, str, list[Match]]] = []
        overall = 0
        for category, kept in by_category.items():
            total = self._totals[category]
            overall += total
            if total >= self._limit(category):
                blocking.append((total, self._first[category], category, _strongest_first(kept)))
        if not blocking and overall >= self._combined:
            every = _strongest_first([item for kept in by_category.values() for item in kept])
            blocking.append((overall, 0, every[0].rule.category, every))
        if not blocking:
            return None
        total, _, category, top = min(blocking, key=lambda item: (-item[0], item[1]))
        lead = top[0]
        reasons = "; ".join(f"{m.rule.id} at {m.target.location}: {m.detail[:80]}" for m in top[:5])
        related = tuple(sorted({m.rule.id for *_, ms in blocking for m in ms} - {lead.rule.id}))
        return Verdict.refuse(
            403,
            f"waf.{lead.rule.id}",
            f"{category} score {total}: {reasons}",
            category=category,
            location=lead.target.location,
            related=related,
        )

    def _limit(self, category: str) -> int:
        return self._thresholds.get(category, self._threshold)

    def _leading(self, category: str) -> tuple[Match, int]:
        kept = [item for item in self._best.values() if item[0].rule.category == category]
        return min(kept, key=lambda item: (-item[0].score, item[1]))

    def _score_of(self, rule_id: str) -> int:
        kept = self._best.get(rule_id)
        return 0 if kept is None else kept[0].score


def _place(item: tuple[Match, int]) -> int:
    return item[1]


def _strongest_first(kept: list[tuple[Match, int]]) -> list[Match]:
    """Matches by points, then by place (`kept` is in place order already)."""
    return [match for match, _ in sorted(kept, key=lambda item: -item[0].score)]
