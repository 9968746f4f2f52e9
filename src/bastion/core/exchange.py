"""One request's life, the same in every host: check, then refuse, answer or forward, settle, commit, close.

Hosts (the reverse proxy, the ext-authz decision service, ASGI and WSGI) differ only in their I/O.
Each builds the engine's `Request`, opens an `Exchange` with a `send` function that writes one whole
response its native way, and lets the exchange decide the order of things:

- the audit event is committed *before* any answer leaves (strict durability: an answer the client
  saw always has its durable event), whichever path produced the answer: a guard's refusal, a body
  refused while it arrived, Bastion's own 5xx, an upstream answer or an ext-authz allow;
- every answer passes the response phase (security headers, request id, response filtering);
- `close()` hands the outcome to the audit trail exactly once, however the exchange ended.

A host written against this class cannot forget a commit or build its own refusal; that drift is
what this module exists to prevent.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bastion.core.context import Context
from bastion.core.pipeline import Outcome, Pipeline, ResponseHead
from bastion.core.request import Request
from bastion.core.tunnel import TunnelRecord
from bastion.core.verdict import Decision, Finding, Verdict

# Writes one whole response: the head (its `length` set to the body's size; the head's headers carry
# no framing) and the body, which is empty for a HEAD request. The host frames it its own way
# (HTTP/1 bytes, ASGI messages, WSGI start_response).
Send = Callable[[ResponseHead, bytes], Awaitable[None]]


def body_refusal(status: int, reason: str) -> Verdict:
    """The refusal of a body that broke a limit while it arrived (413 too large, 408 stalled, 400)."""
    return Verdict.refuse(status, "ingress.body", reason, category="ingress")


class Exchange:
    __slots__ = ("_closed", "_committed", "ctx", "head_sent", "honoured", "outcome", "pipeline", "request", "send")

    def __init__(self, pipeline: Pipeline, request: Request, ctx: Context, send: Send, *, bytes_in: int = 0) -> None:
        self.pipeline = pipeline
        self.request = request
        self.ctx = ctx
        self.send = send
        self.outcome = Outcome(0, bytes_in)
        self.head_sent = False  # a response head left: nothing else may be answered on this exchange
        self.honoured: str | None = None  # a method-override header the policy let through
        self._closed = False
        self._committed = False

    async def check(self) -> Decision:
        # a method override the policy honours is the method routing and authorization judge
        self.request, self.honoured = self.pipeline.headers.effective(self.request)
        return await self.pipeline.check(self.request, self.ctx)

    # -- answers made by Bastion ---------------------------------------------------------------------
    async def refuse(self, verdict: Verdict) -> None:
        """Answer a refusal (problem+json, or an empty local answer such as a CORS preflight)."""
        head, body = self.pipeline.refusal(self.request, self.ctx, verdict)
        await self._answer(head, body)

    async def refuse_body(self, status: int, reason: str) -> None:
        """The body broke a limit while it arrived: recorded as the ingress guard's refusal."""
        await self.refuse_for("ingress", body_refusal(status, reason))

    async def refuse_for(self, guard: str, verdict: Verdict) -> None:
        """A refusal a host decided outside the request phase, recorded as that guard's."""
        self.ctx.findings.append(Finding(guard, "enforce", verdict))
        await self.refuse(verdict)

    async def fail(self, status: int, reason: str | None = None) -> None:
        """Bastion's own 5xx when the upstream or the application could not answer."""
        self.outcome.upstream_error = reason
        head, body = self.pipeline.error(self.request, self.ctx, status)
        await self._answer(head, body)

    async def answer_local(self, head: ResponseHead, body: bytes = b"") -> None:
        """An answer Bastion makes itself that is not a refusal (an ext-authz allow)."""
        await self._answer(head, body)

    # -- answers from the upstream -------------------------------------------------------------------
    async def settle(self, head: ResponseHead) -> ResponseHead:
        """The upstream's response head through the response phase.

        When the head says the body must be buffered (`buffered(head)`), the host collects it, up to
        `head.transform_limit` or `head.capture_original` bytes, and calls `settle_body`; otherwise
        the event is committed here and the host sends the head and streams the body as it comes.
        """
        ctx = self.ctx
        head = self.pipeline.respond(self.request, ctx, head)
        head.headers.extend(ctx.response_headers)
        self.outcome.status = head.status
        if not buffered(head):
            self.outcome.bytes_out = head.length or 0
            if refused := await self._commit():  # not durable in time: this 503 replaces the upstream's answer
                head = refused[0]
                head.replace_body = refused[1]  # buffered now: the host drops the upstream body, calls settle_body
                return head
            # The host writes it now; an upstream failure from here on cuts the stream. A head whose
            # body is filtered as it streams (`head.stream`) leaves with the filter's first bytes
            # instead, and the host says so.
            self.head_sent = head.stream is None
        return head

    async def settle_body(self, head: ResponseHead, body: bytes, *, overflow: bool = False) -> None:
        """A whole upstream body: replaced, transformed, filtered (`head.stream`, whole) or refused (too
        large: 502) when the response phase asked for it, then sent with its length."""
        if not buffered(head) and head.stream is None:
            await self._answer(head, body)  # settle() committed before the head was final
            return
        if overflow and head.replace_body is None:
            head, body = self.pipeline.error(self.request, self.ctx, 502)
        else:
            head, body = self.pipeline.settle(self.request, self.ctx, head, body)
        await self._answer(head, body)

    async def send_filtered(self, head: ResponseHead, body: bytes) -> None:
        """All a `head.stream` filter let through, when nothing was sent before its end:
        one answer with its length (the event was committed at settle())."""
        await self._answer(head, body)

    def streamed(self, size: int) -> None:
        """The host relayed a streamed body of `size` bytes."""
        self.outcome.bytes_out = size

    # -- a WebSocket: the upgrade answer, then events while it stays open, then its close ------------
    async def upgrade(self, head: ResponseHead, subprotocol: str | None) -> ResponseHead:
        """The upstream (or the application) accepted the upgrade: its 101 through the response phase,
        and the upgrade event committed (strict durability) or recorded before the head leaves. The
        exchange stays open until `close_tunnel()`."""
        ctx = self.ctx
        head = self.pipeline.respond(self.request, ctx, head)
        head.headers.extend(ctx.response_headers)
        self.outcome.status = 101
        self.outcome.websocket = TunnelRecord("upgrade", subprotocol)
        if self.pipeline.commits:
            await self._commit()
        else:
            self.pipeline.record(self.request, ctx, self.outcome)
        self.head_sent = True
        return head

    def tunnel_event(self, record: TunnelRecord, findings: list[Finding]) -> None:
        """One more event while the socket is open: a message refused or monitored."""
        self.pipeline.record(self.request, self.ctx.for_event(findings), self._tunnel_outcome(record))

    def close_tunnel(self, record: TunnelRecord, findings: list[Finding] | None = None) -> None:
        """The socket closed: its close event (duration, messages and bytes each way, close code and
        reason), once; what the handshake held for the socket's life (a connection slot) is released."""
        if self._closed:
            return
        self._closed = True
        event = self.ctx.for_event(findings or [])
        event.on_finish, self.ctx.on_finish = self.ctx.on_finish, []
        self.pipeline.finish(self.request, event, self._tunnel_outcome(record))

    def _tunnel_outcome(self, record: TunnelRecord) -> Outcome:
        outcome = Outcome(101, record.bytes_in, record.bytes_out)
        outcome.websocket = record
        return outcome

    # -- the end -------------------------------------------------------------------------------------
    def close(self, status: int | None = None, *, upstream_error: str | None = None) -> None:
        """Hand the outcome to the audit trail, once. `status` overrides it (499: the client left)."""
        if self._closed:
            return
        if self.outcome.websocket is not None:
            # upgraded, then cut before the relay could account for it
            self.close_tunnel(TunnelRecord("close", self.outcome.websocket.subprotocol, code=1006, reason="abnormal"))
            return
        self._closed = True
        if status is not None:
            self.outcome.status = status
        if upstream_error is not None:
            self.outcome.upstream_error = upstream_error
        self.pipeline.finish(self.request, self.ctx, self.outcome)

    async def _answer(self, head: ResponseHead, body: bytes) -> None:
        outcome = self.outcome
        outcome.status = head.status
        outcome.bytes_out = len(body)
        if refused := await self._commit():
            head, body = refused
            outcome.bytes_out = len(body)
        head.length = len(body)
        self.head_sent = True
        await self.send(head, b"" if self.request.method == "HEAD" else body)

    async def _commit(self) -> tuple[ResponseHead, bytes] | None:
        """Once per exchange: None when the answer may leave, else the refusal (503) to send instead."""
        if self._committed or not self.pipeline.commits:
            return None
        self._committed = True
        return await self.pipeline.commit(self.request, self.ctx, self.outcome)


def buffered(head: ResponseHead) -> bool:
    """The response phase must see the whole body before anything is sent."""
    return head.replace_body is not None or bool(head.transforms)
