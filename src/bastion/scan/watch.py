"""Watching the target while the checks run: a target that stopped answering, a gateway that started blocking.

A scan that takes its target down, or that a gateway bans after three seconds, must neither hang nor
come back looking clean. The watch sees every answer the checks get:

- **Liveness.** After two consecutive requests without an answer, it replays a cheap request that
  worked at the start (a health operation, or the base URL). If that gets no answer either, the
  request sent just before is recorded as the cause of an outage (the `resource.denial-of-service`
  check reports it), and the watch waits up to --recovery-wait for the target to come back: if it does,
  the check that was running stops (`CheckAborted`) and the others go on; if not, the scan stops its
  active checks (`TargetDown`).
- **Blocking.** The same refusal (403/406/429/451/503 with the same body once numbers and request ids
  are removed) for several requests in a row to different routes is a suspicion, not a proof: a WAF
  answers every attack payload alike. It is confirmed when a request that worked at the start now gets
  that same refusal. Then the scan slows down (half the rate), waits out the Retry-After (up to a minute
  in all; without one, a third then two thirds of --recovery-wait, 15 s at most) and looks again; still
  blocked, it stops (`ScanBlocked`).

Every outcome is sticky: once the target is down or the scan blocked, every later send raises at once,
so a check that swallows the exception cannot make the scan wait twice.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import orjson

from bastion.scan.stops import CheckAborted, ScanBlocked, TargetDown
from bastion.scan.target import Exchange, Target

BLOCK_STATUSES = frozenset({403, 406, 429, 451, 503})
BLOCK_RUN = 6  # identical refusals in a row that make a block worth confirming
THROTTLE_RUN = 8  # the same for 429s, which a rate-limited burst produces on purpose
CONFIRM_COOLDOWN = 25  # requests before another confirmation, after one that found no block
MAX_BLOCK_WAIT = 60.0
MAX_UNBLOCK_WAIT = 15.0
PROBE_TIMEOUT = 5.0
RECOVERY_PROBE_TIMEOUT = 2.0
_VOLATILE = frozenset(
    {"request_id", "requestid", "trace_id", "traceid", "correlation_id", "instance", "timestamp", "time", "date"}
)
_NUMBERS = re.compile(r"\d+")
_TITLE = re.compile(r"(?is)<title>(.{1,120}?)</title>")


@dataclass
class Outage:
    """The target stopped answering after `culprit`; `recovered_after` is None when it never came back."""

    culprit: Exchange
    probe: Exchange
    check: str
    recovery_wait: float
    recovered_after: float | None = None


@dataclass
class Block:
    """From `first_request` on, the target answered every request with the same refusal."""

    first_request: int
    status: int
    what: str
    retry_after: float | None = None
    last_request: int | None = None  # None: blocked until the scan stopped
    affected: list[str] = field(default_factory=list)

    def describe(self) -> str:
        line = f"the scan was blocked from request {self.first_request} on: {self.what}"
        if self.last_request is not None:
            line += f" (lifted by request {self.last_request}, after slowing down)"
        return line


def refusal_signature(exchange: Exchange) -> str | None:
    """What makes two refusals the same refusal: status and body, without numbers and request ids."""
    if exchange.status not in BLOCK_STATUSES:
        return None
    data = exchange.json
    if isinstance(data, dict):
        kept = {str(k): v for k, v in data.items() if str(k).lower() not in _VOLATILE}
        text = orjson.dumps(kept, option=orjson.OPT_SORT_KEYS).decode()
    else:
        text = exchange.text[:2000]
    return f"{exchange.status} {_NUMBERS.sub('#', text)[:400]}"


def describe_refusal(exchange: Exchange) -> str:
    """`403 urn:...:forbidden — ip banned for 293s more`, or the block page's title."""
    data = exchange.json
    if isinstance(data, dict):
        kind = str(data.get("type") or data.get("title") or data.get("error") or data.get("message") or "")
        detail = str(data.get("detail") or "")
        return f"{exchange.status} {kind}" + (f" — {detail}" if detail else "")
    title = _TITLE.search(exchange.text)
    text = title.group(1) if title else " ".join(exchange.text.split())[:80]
    return f"{exchange.status} {text}".strip()


class Watch:
    def __init__(self, recovery_wait: float = 30.0) -> None:
        self.recovery_wait = recovery_wait
        self.reference: list[Exchange] = []  # requests that worked at the start, replayed as probes
        self.outages: list[Outage] = []
        self.blocks: list[Block] = []
        self.check = "discovery"  # what is running (set by the engine), for attribution
        self._unanswered: list[Exchange] = []
        self._recent: deque[tuple[str | None, str, int]] = deque(maxlen=64)
        self._quiet_until = 0
        self._down: str | None = None
        self._blocked: str | None = None
        self._aborted: tuple[str, str] | None = None

    def begin(self, check: str) -> None:
        self.check = check  # unanswered requests carry over: a hang caused by one check shows in the next

    def before_send(self) -> None:
        if self._down is not None:
            raise TargetDown(self._down)
        if self._blocked is not None:
            raise ScanBlocked(self._blocked)
        if self._aborted is not None and self._aborted[0] == self.check:
            raise CheckAborted(self._aborted[1])

    def observe(self, target: Target, exchange: Exchange) -> None:
        if exchange.unanswered:
            self._liveness(target, exchange)
            return
        self._unanswered.clear()
        self._blocking(target, exchange)

    # -- liveness --------------------------------------------------------------------------------------------

    def _liveness(self, target: Target, exchange: Exchange) -> None:
        self._unanswered.append(exchange)
        if len(self._unanswered) < 2 or not self.reference:
            return
        probe = target.replay(self.reference[0], min(target.timeout, PROBE_TIMEOUT))
        if not probe.unanswered:
            self._unanswered.clear()  # slow requests, a live target
            return
        culprit = self._unanswered[0]
        outage = Outage(culprit, probe, self.check, self.recovery_wait)
        self.outages.append(outage)
        self._unanswered.clear()
        where = f"request {culprit.number} ({culprit.method} {urlsplit(culprit.url).path})"
        started = target.clock.monotonic()
        while (elapsed := target.clock.monotonic() - started) < self.recovery_wait:
            left = target.time_left()
            if left is not None and left <= 0:
                break
            target.wait(min(1.0, self.recovery_wait - elapsed))
            if not target.replay(self.reference[0], RECOVERY_PROBE_TIMEOUT).unanswered:
                outage.recovered_after = target.clock.monotonic() - started
                reason = (
                    f"the target stopped answering after {where} and came back after "
                    f"{outage.recovered_after:.0f} s; this check was stopped so as not to take it down again"
                )
                self._aborted = (self.check, reason)
                raise CheckAborted(reason)
        self._down = f"the target stopped answering after {where} and did not come back within {self.recovery_wait:g} s"
        raise TargetDown(self._down)

    # -- blocking --------------------------------------------------------------------------------------------

    def _blocking(self, target: Target, exchange: Exchange) -> None:
        signature = refusal_signature(exchange)
        route = f"{exchange.method} {urlsplit(exchange.url).path}"
        self._recent.append((signature, route, exchange.number))
        if signature is None or exchange.number < self._quiet_until:
            return
        run = []
        for entry in reversed(self._recent):
            if entry[0] != signature:
                break
            run.append(entry)
        needed = THROTTLE_RUN if exchange.status == 429 else BLOCK_RUN
        if len(run) < needed or len({route for _, route, _ in run}) < 2:
            return
        confirmed = next((ref for ref in self.reference if self._refused_now(target, ref, signature)), None)
        if confirmed is None:
            self._quiet_until = exchange.number + CONFIRM_COOLDOWN  # a WAF refusing attacks, not a ban
            return
        block = Block(run[-1][2], exchange.status or 0, describe_refusal(exchange), _retry_after(exchange))
        self.blocks.append(block)
        self._wait_for_unblock(target, block, confirmed, signature)

    @staticmethod
    def _refused_now(target: Target, reference: Exchange, signature: str) -> bool:
        if refusal_signature(reference) == signature:
            return False  # it was refused like this from the start: proves nothing
        return refusal_signature(target.replay(reference, min(target.timeout, PROBE_TIMEOUT))) == signature

    def _wait_for_unblock(self, target: Target, block: Block, reference: Exchange, signature: str) -> None:
        target.rate = max(1.0, target.rate / 2)
        if block.retry_after is not None:
            waits: tuple[float, ...] = (block.retry_after + 0.5,) if block.retry_after <= MAX_BLOCK_WAIT else ()
        else:
            total = min(self.recovery_wait, MAX_UNBLOCK_WAIT)
            waits = (total / 3, 2 * total / 3)
        for wait in waits:
            target.wait(wait)
            probe = target.replay(reference, min(target.timeout, PROBE_TIMEOUT))
            if refusal_signature(probe) != signature and not probe.unanswered:
                block.last_request = probe.number
                self._recent.clear()
                return
        self._blocked = block.describe()
        raise ScanBlocked(self._blocked)


def _retry_after(exchange: Exchange) -> float | None:
    value = exchange.header("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
