"""One engine for every host: guards on the way in, response filters on the way out.

The pipeline is built once from the policy (guards compile their rules at construction) and then
only called. A host turns its native request into a `Request`, awaits `check()`, and either sends the
refusal it gets back or forwards the request and passes the upstream's response head through
`respond()`. `finish()` closes the exchange for the audit trail and releases per-request resources.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, cast

from bastion.core.context import Context
from bastion.core.header_policy import HeaderPolicy
from bastion.core.problem import CONTENT_TYPE, problem_body, verdict_body
from bastion.core.request import Request
from bastion.core.routing import Router
from bastion.core.tunnel import TunnelRecord
from bastion.core.verdict import Decision, Finding, Verdict

log = logging.getLogger("bastion.pipeline")


BodyTransform = Callable[["ResponseHead", bytes], bytes]


class StreamCut(Exception):
    """A streamed body must not go on: before its head is sent the host answers 502 instead, after
    it the host ends the connection without completing the message (the client sees it cut)."""


class BodyStream(Protocol):
    """A response body filtered as it passes, chunk by chunk, in bounded memory (NDJSON lines, SSE
    events, bodies too large to hold). The host feeds every upstream chunk and sends what comes back.
    Until `feed` first returns bytes the head may still change (a stream that holds the body back
    can turn it into a 502); the host sends the head, without a length, just before those first
    bytes. `close` returns the rest; when nothing was sent before, the host sends the head with the
    length of what `close` returned. Either may raise StreamCut."""

    def feed(self, chunk: bytes) -> bytes: ...

    def close(self) -> bytes: ...


class Guard(Protocol):
    """A request-phase check with one job; `check` may be a coroutine function."""

    needs_body: bool

    def check(self, request: Request, ctx: Context) -> Verdict | Awaitable[Verdict | None] | None: ...


StepMode = Literal["enforce", "monitor"]
SyncCheck = Callable[[Request, Context], "Verdict | None"]
AsyncCheck = Callable[[Request, Context], Awaitable["Verdict | None"]]


class ResponseHead:
    """The response about to leave: status and headers, and what to do with the body."""

    __slots__ = (
        "capture_original",
        "describe_hidden",
        "headers",
        "length",
        "local",
        "replace_body",
        "status",
        "stream",
        "transform_limit",
        "transforms",
    )

    def __init__(
        self, status: int, headers: list[tuple[str, str]], *, local: bool = False, length: int | None = None
    ) -> None:
        self.status = status
        self.length = length  # the body's length when the upstream announced it; None when streamed

        self.local = local  # made by Bastion (a refusal or gateway error), not by the upstream
        self.headers = headers  # lower-case names
        self.replace_body: bytes | None = None  # send this instead of the upstream body
        self.capture_original = 0  # bytes of a replaced upstream body to keep for the log
        # Buffer the whole upstream body and pass it through these, in order, before sending. A
        # transform may change the status and headers too (it runs before the head is written).
        self.transforms: list[BodyTransform] = []
        self.transform_limit = 16 * 1024 * 1024  # a larger body cannot be transformed: 502 (fail closed)
        # Or: filter the body as it streams (see BodyStream); a host applies `stream` when it is set.
        self.stream: BodyStream | None = None
        # How a hidden upstream body may appear in Bastion's log: masked and bounded, never raw.
        self.describe_hidden: Callable[[bytes], str] | None = None

    def hidden_excerpt(self, body: bytes) -> str:
        """What the log may say about a body withheld from the client (never the raw bytes)."""
        if self.describe_hidden is None:
            return f"<{len(body)} bytes withheld>"
        return self.describe_hidden(body)

    def transform(self, body: bytes) -> bytes:
        for step in self.transforms:
            body = step(self, body)
        return body

    def get(self, name: str) -> str | None:
        for key, value in self.headers:
            if key == name:
                return value
        return None

    def set(self, name: str, value: str) -> None:
        self.remove(name)
        self.headers.append((name, value))

    def remove(self, name: str) -> None:
        self.headers = [(k, v) for k, v in self.headers if k != name]


class ResponseFilter(Protocol):
    def on_head(self, request: Request, ctx: Context, head: ResponseHead) -> None: ...


class Finisher(Protocol):
    """Runs when an exchange is over, e.g. the audit trail; must not block."""

    def finish(self, request: Request, ctx: Context, outcome: Outcome) -> None: ...


class Committer(Protocol):
    """Runs before an answer leaves, e.g. the audit trail in strict durability; may wait, and raises
    CommitRefused when the answer must not leave."""

    async def commit(self, request: Request, ctx: Context, outcome: Outcome) -> None: ...


class CommitRefused(Exception):
    """A committer could not make the exchange durable in time: `verdict` is answered instead."""

    def __init__(self, verdict: Verdict) -> None:
        super().__init__(verdict.reason)
        self.verdict = verdict


@dataclass(slots=True)
class Outcome:
    status: int
    bytes_in: int = 0
    bytes_out: int = 0
    upstream_seconds: float | None = None
    upstream_error: str | None = None
    websocket: TunnelRecord | None = None  # the exchange became a WebSocket: its upgrade, a message or its close


@dataclass(frozen=True, slots=True)
class Step:
    """One guard of the request phase; exactly one of `check`/`check_async` is set."""

    name: str
    guard: Guard
    mode: StepMode
    needs_body: bool
    check: SyncCheck | None
    check_async: AsyncCheck | None

    @classmethod
    def of(cls, name: str, guard: Guard, mode: StepMode) -> Step:
        if inspect.iscoroutinefunction(guard.check):
            return cls(name, guard, mode, guard.needs_body, None, cast(AsyncCheck, guard.check))
        return cls(name, guard, mode, guard.needs_body, cast(SyncCheck, guard.check), None)


class Pipeline:
    def __init__(  # noqa: PLR0913  built once from the stage table; keyword-only past the steps
        self,
        router: Router,
        steps: Sequence[tuple[str, Guard, StepMode]],
        response_filters: Sequence[ResponseFilter] = (),
        finishers: Sequence[Finisher] = (),
        *,
        inspects_responses: bool = False,
        committers: Sequence[Committer] = (),
        headers: HeaderPolicy | None = None,
    ) -> None:
        self.router = router
        self.headers = headers or HeaderPolicy()  # which client headers may reach the upstream
        # response bodies are read (filtered, masked, scanned): ask the upstream not to compress them
        self.inspects_responses = inspects_responses
        self._steps = tuple(Step.of(name, guard, mode) for name, guard, mode in steps)
        self._response_filters = tuple(response_filters)
        self._finishers = tuple(finishers)
        self._committers = tuple(committers)
        self.commits = bool(committers)  # hosts await commit() before answering only when needed
        self.needs_body = any(step.needs_body for step in self._steps)

    @property
    def guard_names(self) -> tuple[str, ...]:
        return tuple(step.name for step in self._steps)

    def guard(self, name: str) -> Guard:
        """The first guard of that stage (tests, benchmarks and `bastion explain` look inside)."""
        for step in self._steps:
            if step.name == name:
                return step.guard
        raise KeyError(name)

    async def check(self, request: Request, ctx: Context, skip: frozenset[str] = frozenset()) -> Decision:
        """Run the request phase; `skip` names guards to leave out (`bastion explain` skips authn)."""
        path = request.path
        ctx.route = self.router.match(request.method, path, request.segments if "%" in path else None)
        decision = Decision(findings=ctx.findings)
        for step in self._steps:
            if skip and step.name in skip:
                continue
            try:
                if step.check is not None:
                    result = step.check(request, ctx)
                else:
                    assert step.check_async is not None
                    result = await step.check_async(request, ctx)
            except Exception:
                # A guard bug must not let the request through, nor leak a traceback to the client.
                log.exception("guard %s failed on request %s", step.name, ctx.request_id)
                result = Verdict.refuse(500, f"{step.name}.internal", "guard raised an exception")
                ctx.findings.append(Finding(step.name, "enforce", result))
                decision.refusal = result
                return decision
            if result is None:
                continue
            ctx.findings.append(Finding(step.name, step.mode, result))
            if step.mode == "enforce":
                decision.refusal = result
                return decision
        return decision

    def upstream_method(self, request: Request) -> str:
        """The method to ask the upstream (or application) with.

        HEAD must not reveal what GET hides: when responses are inspected, a HEAD is asked as GET,
        the response phase filters that body like GET's, and the host answers with the head only
        (the filtered status and Content-Length) and no body.
        """
        if request.method == "HEAD" and self.inspects_responses:
            return "GET"
        return request.method

    def respond(self, request: Request, ctx: Context, head: ResponseHead) -> ResponseHead:
        """Apply the response phase to an upstream (or locally made) response head."""
        for response_filter in self._response_filters:
            response_filter.on_head(request, ctx, head)
        head.set("x-request-id", ctx.request_id)
        return head

    def refusal(self, request: Request, ctx: Context, verdict: Verdict) -> tuple[ResponseHead, bytes]:
        """The problem+json answer for a refusal, with the same response hygiene as any response.

        A verdict below 400 is an answer the gateway gives itself (a CORS preflight): no body.
        """
        if verdict.status < 400:
            head = self.respond(
                request, ctx, ResponseHead(verdict.status, [(k.lower(), v) for k, v in verdict.headers], local=True)
            )
            return head, b""
        body = verdict_body(verdict, ctx.request_id)
        headers = [("content-type", CONTENT_TYPE), *((k.lower(), v) for k, v in verdict.headers)]
        headers.extend(ctx.response_headers)
        head = self.respond(request, ctx, ResponseHead(verdict.status, headers, local=True))
        return head, body

    def settle(self, request: Request, ctx: Context, head: ResponseHead, body: bytes) -> tuple[ResponseHead, bytes]:
        """The body to send for a head whose body was buffered (replaced or transformed), and its head.

        Embedded hosts (ASGI, WSGI) buffer the application's body when the response phase asked for
        it; the proxy does the same while streaming from the upstream.
        """
        if head.replace_body is not None:
            if head.capture_original:
                log.warning(
                    "application answered %d to request %s; body hidden from the client: %s",
                    head.status,
                    ctx.request_id,
                    head.hidden_excerpt(body[: head.capture_original]),
                )
            body = head.replace_body
        elif head.stream is not None:
            try:
                body = head.stream.feed(body) + head.stream.close()
            except StreamCut as cut:
                log.warning("application response to request %s refused while filtered: %s", ctx.request_id, cut)
                head, body = self.error(request, ctx, 502)
        elif len(body) > head.transform_limit:
            log.warning("application response to request %s too large to inspect: refused", ctx.request_id)
            head, body = self.error(request, ctx, 502)
        else:
            body = head.transform(body)
        head.length = len(body)
        return head, body

    def error(
        self, request: Request, ctx: Context, status: int, detail: str | None = None
    ) -> tuple[ResponseHead, bytes]:
        """Bastion's own answer when the upstream fails (502/503/504)."""
        body = problem_body(status, ctx.request_id, detail=detail)
        head = self.respond(request, ctx, ResponseHead(status, [("content-type", CONTENT_TYPE)], local=True))
        return head, body

    async def commit(self, request: Request, ctx: Context, outcome: Outcome) -> tuple[ResponseHead, bytes] | None:
        """Before the answer leaves: what must be durable first (the audit event, strict mode).

        None when the answer may leave; otherwise the refusal (503) the host sends in its place.
        """
        for committer in self._committers:
            try:
                await committer.commit(request, ctx, outcome)
            except CommitRefused as refused:
                outcome.status = refused.verdict.status
                return self.refusal(request, ctx, refused.verdict)
            except Exception:
                log.exception("committing request %s failed", ctx.request_id)
        return None

    def finish(self, request: Request, ctx: Context, outcome: Outcome) -> None:
        try:
            ctx.finish()
        except Exception:
            log.exception("finishing request %s failed", ctx.request_id)
        self.record(request, ctx, outcome)

    def record(self, request: Request, ctx: Context, outcome: Outcome) -> None:
        """Hand one event to the finishers (the audit trail) without ending the exchange: a WebSocket
        records its upgrade and its refused messages while it stays open."""
        try:
            for finisher in self._finishers:
                finisher.finish(request, ctx, outcome)
        except Exception:
            log.exception("finishing request %s failed", ctx.request_id)
