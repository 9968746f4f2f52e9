"""What the protocol fuzzer holds every answer to.

For one fuzz case (the bytes a client sent on one connection) and what came back:

- **No 5xx from Bastion** other than 501 and 505. The echo upstream never answers 5xx, so any other
  5xx was made by the gateway.
- **Every refusal is problem+json** (status, request id; the content type alone for HEAD), or the
  connection is closed with no answer.
- **No hang**: the connection ends, or every expected answer is complete, within 10 s.
- **Nothing reaches the upstream that Bastion's parser would not have accepted.** Bastion's parser
  is llhttp; the oracle re-parses the client's bytes with llhttp (strict flags, as the gateway uses
  it) to get the requests the gateway read. Each answer the upstream made (it echoes the bytes it
  received) is then re-parsed with h11, an independent strict RFC 9112 parser, and must be exactly one
  complete request, with nothing after it (a second request there would be smuggled), whose method is
  the client's, whose target is the client's in the canonical form the gateway forwards, whose body
  is the body llhttp decoded from the client's bytes, and which carries no client-supplied
  `X-Bastion-*` identity header. The n-th upstream answer must answer the n-th request llhttp read.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import h11
import httptools

from bastion.core.paths import normalize_target
from tests.faults.harness import RawResponse

HANG_SECONDS = 10.0


@dataclass
class ClientRequest:
    method: bytes = b""
    url: bytes = b""
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytearray = field(default_factory=bytearray)
    complete: bool = False


@dataclass
class ClientParse:
    """The requests Bastion's parser reads from what the client sent."""

    requests: list[ClientRequest]
    error: str | None  # the parser refused the stream here
    partial: bool  # bytes of an unfinished request remain

    @property
    def complete(self) -> list[ClientRequest]:
        return [r for r in self.requests if r.complete]

    @property
    def methods(self) -> list[bytes]:
        """The method of each request as the client knows it; b"?" where the line broke before the
        method was certainly read (packetisation decides whether the gateway saw it)."""
        return [r.method or b"?" for r in self.requests]


class _RequestReader:
    def __init__(self) -> None:
        self.requests: list[ClientRequest] = []
        self.parser = httptools.HttpRequestParser(self)

    def on_message_begin(self) -> None:
        self.requests.append(ClientRequest())

    def on_url(self, url: bytes) -> None:
        if not self.requests[-1].url:
            self.requests[-1].method = self.parser.get_method()  # as the gateway: known once the target starts
        self.requests[-1].url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self.requests[-1].headers.append((name, value))

    def on_headers_complete(self) -> None:
        self.requests[-1].method = self.parser.get_method()

    def on_body(self, body: bytes) -> None:
        self.requests[-1].body += body

    def on_message_complete(self) -> None:
        self.requests[-1].complete = True


def parse_client(data: bytes) -> ClientParse:
    reader = _RequestReader()
    error = None
    try:
        reader.parser.feed_data(data)
    except httptools.HttpParserUpgrade:
        error = "upgrade"
    except httptools.HttpParserError as exc:
        error = str(exc) or exc.__class__.__name__
    partial = bool(reader.requests) and not reader.requests[-1].complete
    if not reader.requests and data and error is None:
        partial = True
    return ClientParse(reader.requests, error, partial)


@dataclass
class Violation:
    kind: str
    detail: str
    data: bytes  # the client's bytes: a reproducer


@dataclass
class Verdict:
    violations: list[Violation] = field(default_factory=list)
    forwarded: int = 0
    statuses: list[int] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # status and detail of each refusal
    forwarded_ids: list[str] = field(default_factory=list)  # request ids of the upstream's answers


def strict_parse(raw: bytes) -> tuple[h11.Request, bytes, bytes]:
    """One request by h11; raises h11.RemoteProtocolError, or ValueError if it is incomplete."""
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=256 * 1024)
    conn.receive_data(raw)
    conn.receive_data(b"")  # the echo holds everything received: end of input
    request: h11.Request | None = None
    body = bytearray()
    while True:
        event = conn.next_event()
        if isinstance(event, h11.Request):
            request = event
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, h11.EndOfMessage):
            break
        else:
            raise ValueError(f"incomplete request ({event!r})")
    assert request is not None
    leftover, _ = conn.trailing_data
    return request, bytes(body), bytes(leftover)


def echoed(response: RawResponse) -> bytes:
    raw = response.header("x-echo-raw")
    return base64.b64decode(raw) if raw is not None else bytes(response.body)


def check(  # noqa: PLR0912  the oracle: one independent check per property of the responses
    data: bytes, responses: list[RawResponse], stream_error: str | None, *, ended: bool, seconds: float
) -> Verdict:
    verdict = Verdict()
    parsed = parse_client(data)

    def fail(kind: str, detail: str) -> None:
        verdict.violations.append(Violation(kind, detail, data))

    if not ended and seconds >= HANG_SECONDS:
        fail("hang", f"no end after {seconds:.1f}s")
    if stream_error is not None:
        fail("unreadable response", stream_error)
    final = [r for r in responses if not 100 <= r.status < 200]
    if len(final) > len(parsed.requests) + 1:
        fail("extra response", f"{len(final)} answers to {len(parsed.requests)} requests")
    for index, response in enumerate(final):
        verdict.statuses.append(response.status)
        request = parsed.requests[index] if index < len(parsed.requests) else None
        if not response.complete:
            if ended:
                fail("torn response", f"answer {index} ({response.status}) cut short")
            continue
        if response.header("x-echo") == "1":
            verdict.forwarded += 1
            verdict.forwarded_ids.append(response.header("x-request-id") or "")
            raw = echoed(response)
            if raw or request is None or request.method != b"HEAD":  # a long echo to HEAD cannot be seen
                _check_forwarded(request, raw, fail)
            continue
        if response.status >= 500 and response.status not in (501, 505):
            fail("bastion 5xx", f"{response.status}: {bytes(response.body)[:200]!r}")
        elif response.status >= 400:
            verdict.reasons.append(f"{response.status} {_detail(response)}")
            head_only = request is not None and (
                request.method == b"HEAD" or (not request.method and not response.body)
            )
            if head_only and response.header("content-type") != "application/problem+json":
                fail("refusal not problem+json", f"{response.status} (HEAD)")
            elif not head_only and not response.is_problem:
                fail("refusal not problem+json", f"{response.status}: {bytes(response.body)[:200]!r}")
        else:
            fail("local answer", f"{response.status} not from the upstream and not a refusal")
    return verdict


def _check_forwarded(request: ClientRequest | None, raw: bytes, report: Callable[[str, str], None]) -> None:
    if request is None or not request.complete:
        report("forwarded unparsed", f"the upstream got {raw[:200]!r} for no complete request")
        return
    try:
        strict, body, leftover = strict_parse(raw)
    except (h11.RemoteProtocolError, ValueError) as exc:
        report("upstream got invalid HTTP", f"{exc}: {raw[:300]!r}")
        return
    if leftover:
        report("smuggled", f"bytes after the request reached the upstream: {leftover[:200]!r}")
    # a HEAD may be asked as a GET when the response phase inspects bodies (the client still gets no body)
    if strict.method != request.method and not (request.method == b"HEAD" and strict.method == b"GET"):
        report("method changed", f"{request.method!r} -> {strict.method!r}")
    expected = normalize_target(request.url)
    if strict.target != expected:
        report("target changed", f"{request.url!r} -> {strict.target!r} (expected {expected!r})")
    if body != bytes(request.body):
        report("body changed", f"{len(request.body)} bytes sent, {len(body)} forwarded")
    for name, _ in strict.headers:
        if name.replace(b"_", b"-").startswith(b"x-bastion-"):
            report("identity header passed", name.decode("latin-1"))


def _detail(response: RawResponse) -> str:
    try:
        doc = json.loads(bytes(response.body))
    except ValueError:
        return ""
    detail = str(doc.get("detail", "")) if isinstance(doc, dict) else ""
    return detail.split(":", 1)[0][:60]
