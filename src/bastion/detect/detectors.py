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


def _auth_failure(event: Event) -> bool:
    return event["status"] == 401 or any(r["category"] in ("authn", "brute_force") for r in event["rules"])


def _client(event: Event) -> tuple[str, str] | None:
    return ("ip", event["client"]) if event.get("client") else None


def _identity(event: Event) -> tuple[str, str] | None:
    if event.get("key_id"):
        return ("key", event["key_id"])
    if event.get("subject"):
        return ("subject", event["subject"])
    return _client(event)


# kind -> (does the event count, who is the offender, what distinct value it touched or None, wording)
Rule = tuple[
    Callable[[Event], bool],
    Callable[[Event], tuple[str, str] | None],
    Callable[[Event], Any] | None,
    str,
]
RULES: dict[str, Rule] = {
    "brute_force": (_auth_failure, _client, None, "authentication failures"),
    "stuffing_accounts": (
        lambda e: _auth_failure(e) and bool(e.get("account")),
        _client,
        lambda e: e["account"],
        "accounts tried",
    ),
    "stuffing_clients": (
        lambda e: _auth_failure(e) and bool(e.get("account")),
        lambda e: ("account", e["account"]),
        lambda e: e["client"],
        "clients failing on one account",
    ),
    "error_burst": (lambda e: e["status"] in (404, 405, 501), _client, None, "requests for what does not exist"),
    "path_scan": (lambda e: e["status"] >= 400, _client, lambda e: e["path"], "distinct paths refused or unknown"),
    "object_sweep": (
        lambda e: bool(e.get("params")) and e["status"] < 500,
        _identity,
        lambda e: (e.get("route"), tuple(sorted(e["params"].items()))),
        "distinct objects touched",
    ),
    "bola_refusals": (
        lambda e: any(r["category"] == "bola" for r in e["rules"]),
        _identity,
        None,
        "object-level refusals",
    ),
    "waf_burst": (lambda e: any(r["guard"] == "waf" for r in e["rules"]), _client, None, "attack payloads"),
    "smuggling": (
        lambda e: any(r["category"] == "smuggling" for r in e["rules"]),
        _client,
        None,
        "malformed or ambiguous requests",
    ),
    "volume": (lambda e: True, _identity, None, "requests"),
}


class Detector:
    def __init__(self, config: DetectorConfig, max_keys: int) -> None:
        self.config = config
        self._counts, self._offender, self._distinct, self._wording = RULES[config.kind]
        self._windows: BoundedMap[Any] = BoundedMap(max_keys)
        self._quiet: BoundedMap[float] = BoundedMap(max_keys)

    def observe(self, event: Event, reference: str) -> Alert | None:
        if not self._counts(event):
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
            values.pop(self._distinct(event), None)
            values[self._distinct(event)] = (now, reference)
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
