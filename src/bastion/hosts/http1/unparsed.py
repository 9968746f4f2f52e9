"""Refusals made before a request existed (bad framing, oversized heads, slowloris, floods), audited.

The parser refuses these before the pipeline could see a request, yet they are what request
smuggling scans and floods look like, so each becomes an audit event like any refusal: the client
address, the reason, and the first bytes of the request line (escaped and bounded). A flood of them
must not fill the audit store: each client gets a small budget of recorded refusals
(`RefusalBudget`); past it a refusal is still answered, only not recorded (and counted).
"""

from __future__ import annotations

from dataclasses import dataclass

from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.core.context import Context
from bastion.core.exchange import Exchange, Send
from bastion.core.pipeline import Pipeline
from bastion.core.request import Headers, Request
from bastion.core.request_id import new_request_id
from bastion.core.verdict import Finding, Verdict
from bastion.state.memory import BoundedMap

_RULES = {
    400: ("ingress.protocol.malformed", "smuggling"),
    405: ("ingress.protocol.connect", "ingress"),
    408: ("ingress.protocol.head_timeout", "ingress"),
    414: ("ingress.protocol.target_too_long", "ingress"),
    431: ("ingress.protocol.head_too_large", "ingress"),
    501: ("ingress.protocol.unsupported", "smuggling"),
    503: ("ingress.protocol.capacity", "ingress"),
    505: ("ingress.protocol.version", "smuggling"),
}
PREVIEW = 64  # bytes of the request line kept in the event


@dataclass(frozen=True, slots=True)
class Unparsed:
    status: int
    reason: str
    peer: str
    preview: bytes  # the start of the request line as received
    method: str  # what the parser had read of it, if anything
    target: str
    recorded: bool  # within the client's budget: make an audit event


class RefusalBudget:
    """A token bucket per client address: `burst` recorded refusals, then `per_second`."""

    def __init__(
        self, burst: float = 20, per_second: float = 1.0, max_clients: int = 10_000, clock: Clock = SYSTEM_CLOCK
    ) -> None:
        self._burst = burst
        self._rate = per_second
        self._clock = clock
        self._buckets: BoundedMap[list[float]] = BoundedMap(max_clients)
        self.unrecorded = 0

    def take(self, client: str) -> bool:
        now = self._clock.monotonic()
        bucket = self._buckets.get(client)
        if bucket is None:
            bucket = [self._burst, now]
            self._buckets.put(client, bucket)
        tokens = min(self._burst, bucket[0] + (now - bucket[1]) * self._rate)
        bucket[1] = now
        if tokens < 1:
            bucket[0] = tokens
            self.unrecorded += 1
            return False
        bucket[0] = tokens - 1
        return True


async def refuse_unparsed(pipeline: Pipeline, refusal: Unparsed, send: Send) -> None:
    """Answer the refusal with the response phase applied, and record it when within budget."""
    rule, category = _RULES.get(refusal.status, ("ingress.protocol.refused", "ingress"))
    verdict = Verdict.refuse(refusal.status, rule, f"{refusal.reason}: {refusal.preview!r}", category=category)
    request = Request(
        method=refusal.method or "-",
        path=refusal.target[:256],
        query="",
        headers=Headers(()),
        client=refusal.peer,
        peer=refusal.peer,
    )
    ctx = Context(new_request_id())
    ctx.findings.append(Finding("ingress", "enforce", verdict))
    if not refusal.recorded:
        head, body = pipeline.refusal(request, ctx, verdict)
        head.length = len(body)
        await send(head, b"" if request.method == "HEAD" else body)  # as Exchange does: a HEAD answer has no body
        return
    exchange = Exchange(pipeline, request, ctx, send)
    try:
        await exchange.refuse(verdict)
    finally:
        exchange.close()
