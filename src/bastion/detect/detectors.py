"""Detectors: sliding windows over the audit events, with bounded memory.

Each detector picks the events it cares about, groups them by offender (a client address, an
identity, an account) and counts them, or counts the distinct values they touch (accounts, paths,
object ids), over a window. At the threshold it raises an alert carrying the evidence (the events'
stream:sequence references) and stays quiet about that offender for one window.

Memory is bounded twice: offenders live in an LRU of `max_keys` per detector, and an offender's
window is bounded whatever its threshold. A counting window holds counts per step (STEPS steps per
window: a volume threshold of 6,000 costs what a brute-force threshold of 10 does, not 6,000
timestamps) and the last EVIDENCE references; a distinct-values window holds at most `threshold`
values. A step is counted while any part of it is inside the window, so the events that make a count
may span the window and one step (window / STEPS) more.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bastion.config.detect import DetectorConfig
from bastion.state.memory import BoundedMap

Event = dict[str, Any]
STEPS = 64  # a counting window's resolution
EVIDENCE = 20  # the references an alert carries: the most recent events that made its count


@dataclass(slots=True)
class Alert:
    detector: str
    kind: str
    mode: str
    offender_kind: str  # ip, subject, key, account
    offender: str
    count: int
    window: float
    evidence: list[str]  # "stream:seq" of the events that made the count
    summary: str
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    ts: float = 0.0  # when the offending event happened (its audit timestamp)
    responses: list[str] = field(default_factory=list)


# What an event may count towards: each detector counts the events of one trait
ANY, AUTH_FAILURE, ACCOUNT_FAILURE = "any", "auth_failure", "account_failure"
NOT_FOUND, REFUSED, PARAMS = "not_found", "refused", "params"
BOLA, WAF, SMUGGLING = "bola", "waf", "smuggling"


def traits(event: Event) -> frozenset[str]:
    """What about an event a detector may count, read once per event (every detector of one trait
    counts the same events): a served 200 with no finding touches only `volume` and `object_sweep`."""
    status = event["status"]
    rules = event["rules"]
    found: set[str] = {ANY}
    if rules:
        categories = {rule["category"] for rule in rules}
        if "bola" in categories:
            found.add(BOLA)
        if "smuggling" in categories:
            found.add(SMUGGLING)
        if any(rule["guard"] == "waf" for rule in rules):
            found.add(WAF)
        auth_failure = status == 401 or not categories.isdisjoint(("authn", "brute_force"))
    else:
        auth_failure = status == 401
    if auth_failure:
        found.add(AUTH_FAILURE)
        if event.get("account"):
            found.add(ACCOUNT_FAILURE)
    if status >= 400:
        found.add(REFUSED)
        if status in (404, 405, 501):
            found.add(NOT_FOUND)
    if status < 500 and event.get("params"):
        found.add(PARAMS)
    return frozenset(found)


def _client(event: Event) -> tuple[str, str] | None:
    return ("ip", event["client"]) if event.get("client") else None


def _identity(event: Event) -> tuple[str, str] | None:
    if event.get("key_id"):
        return ("key", event["key_id"])
    if event.get("subject"):
        return ("subject", event["subject"])
    return _client(event)


# kind -> (the trait of the events it counts, who is the offender, what distinct value it touched or None, wording)
Rule = tuple[str, Callable[[Event], tuple[str, str] | None], Callable[[Event], Any] | None, str]
RULES: dict[str, Rule] = {
    "brute_force": (AUTH_FAILURE, _client, None, "authentication failures"),
    "stuffing_accounts": (ACCOUNT_FAILURE, _client, lambda e: e["account"], "accounts tried"),
    "stuffing_clients": (
        ACCOUNT_FAILURE,
        lambda e: ("account", e["account"]),
        lambda e: e["client"],
        "clients failing on one account",
    ),
    "error_burst": (NOT_FOUND, _client, None, "requests for what does not exist"),
    "path_scan": (REFUSED, _client, lambda e: e["path"], "distinct paths refused or unknown"),
    "object_sweep": (
        PARAMS,
        _identity,
        lambda e: (e.get("route"), tuple(sorted(e["params"].items()))),
        "distinct objects touched",
    ),
    "bola_refusals": (BOLA, _identity, None, "object-level refusals"),
    "waf_burst": (WAF, _client, None, "attack payloads"),
    "smuggling": (SMUGGLING, _client, None, "malformed or ambiguous requests"),
    "volume": (ANY, _identity, None, "requests"),
}


class Detector:
    def __init__(self, config: DetectorConfig, max_keys: int) -> None:
        self.config = config
        self.trait, self._offender, self._distinct, self._wording = RULES[config.kind]
        self._windows: BoundedMap[Any] = BoundedMap(max_keys)
        self._quiet: BoundedMap[float] = BoundedMap(max_keys)

    def observe(self, event: Event, reference: str, event_traits: frozenset[str] | None = None) -> Alert | None:
        """Count the event if it has this detector's trait (`event_traits`: `traits(event)`, when
        the caller read them already for all its detectors)."""
        if self.trait not in (traits(event) if event_traits is None else event_traits):
            return None
        offender = self._offender(event)
        if offender is None:
            return None
        name = f"{offender[0]}:{offender[1]}"
        now = event["ts"]
        quiet = self._quiet.get(name)
        if quiet is not None and now < quiet:
            return None
        window = self.config.window
        threshold = self.config.threshold
        if self._distinct is None:
            counting: _Counting | None = self._windows.get(name)
            if counting is None:
                counting = _Counting(window, min(threshold, EVIDENCE))
                self._windows.put(name, counting)
            count = counting.add(now, reference)
            if count < threshold:
                return None
            evidence = counting.evidence()
        else:
            values: OrderedDict[Any, tuple[float, str]] | None = self._windows.get(name)
            if values is None:
                values = OrderedDict()
                self._windows.put(name, values)
            value = self._distinct(event)
            values.pop(value, None)
            values[value] = (now, reference)
            while values and next(iter(values.values()))[0] < now - window:
                values.popitem(last=False)
            while len(values) > threshold:
                values.popitem(last=False)
            count = len(values)
            if count < threshold:
                return None
            evidence = [ref for _, ref in values.values()][-EVIDENCE:]
        self._windows.pop(name)
        self._quiet.put(name, now + window)
        return Alert(
            detector=self.config.id,
            kind=self.config.kind,
            mode=self.config.mode,
            offender_kind=offender[0],
            offender=offender[1],
            count=count,
            window=window,
            evidence=evidence,
            summary=f"{threshold} {self._wording} in {window:g}s from {offender[0]} {offender[1]}",
            ts=now,
        )


class _Counting:
    """One offender's counting window: event counts per step of window / STEPS, oldest first, and
    the most recent references. Its size does not grow with the threshold."""

    __slots__ = ("_recent", "_step", "_steps", "_total", "_window")

    def __init__(self, window: float, evidence: int) -> None:
        self._window = window
        self._step = window / STEPS
        self._steps: deque[list[float]] = deque()  # [step start, events in it]
        self._total = 0
        self._recent: deque[tuple[float, str]] = deque(maxlen=evidence)

    def add(self, now: float, reference: str) -> int:
        """Count an event; how many the window now holds."""
        steps = self._steps
        start = now - now % self._step
        if steps and steps[-1][0] == start:
            steps[-1][1] += 1
        else:
            steps.append([start, 1])
        self._total += 1
        horizon = now - self._window
        while steps[0][0] + self._step <= horizon:  # wholly older than the window
            self._total -= int(steps.popleft()[1])
        self._recent.append((now, reference))
        return self._total

    def evidence(self) -> list[str]:
        """The recent references still inside the counted steps."""
        oldest = self._steps[0][0]
        return [reference for ts, reference in self._recent if ts >= oldest]
