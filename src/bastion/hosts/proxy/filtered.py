"""BASTION-22: a response body filtered as it streams from the upstream to the client.

The response phase may ask for a body to be filtered chunk by chunk (`ResponseHead.stream`: NDJSON
lines, server-sent events, bodies larger than can be held). This relay sits between the upstream
connection and the client: each chunk goes through the filter, the head is written just before the
filter's first bytes (so a filter that holds the body back may still turn the head into a 502), and
a HEAD stops reading once its head is written. A StreamCut before the head is a 502; after it, the
connection is cut without the final chunk, so the client can tell the message is incomplete.
"""

from __future__ import annotations

import logging

from bastion.core.exchange import Exchange
from bastion.core.pipeline import BodyStream, ResponseHead, StreamCut
from bastion.core.verdict import Finding, Verdict
from bastion.hosts.http1.framing import encode_head
from bastion.hosts.http1.handler import Wire
from bastion.hosts.http1.incoming import Incoming
from bastion.hosts.http1.reply import Reply
from bastion.hosts.proxy.upstream import UpstreamConnection, UpstreamError, UpstreamResponse

log = logging.getLogger("bastion.proxy")


async def relay_filtered(  # noqa: PLR0913  hot path: one exchange's parts passed, not bundled per request
    wire: Wire,
    incoming: Incoming,
    exchange: Exchange,
    reply: Reply,
    head: ResponseHead,
    response: UpstreamResponse,
    conn: UpstreamConnection,
) -> bool:
    stream = head.stream
    assert stream is not None
    if incoming.http_version == "1.0":
        reply.keep = False  # an HTTP/1.0 client can only learn the end of an unsized body from EOF
    sink = FilteredSink(wire, incoming, exchange, head, stream, reply.keep, conn)
    wire.couple(conn)
    try:
        response.attach(sink)
        try:
            await response.done
        except UpstreamError:
            if sink.cut is None and not sink.stopped:
                raise
    finally:
        wire.couple(None)
    final = b""
    if sink.cut is None and not sink.stopped:
        try:
            final = stream.close()
        except StreamCut as cut:
            sink.cut = cut
    if sink.cut is not None:
        log.warning("request %s: response cut by the response filter: %s", exchange.ctx.request_id, sink.cut)
        verdict = Verdict.refuse(502, "responses.stream_cut", str(sink.cut)[:200], category="oversharing")
        exchange.ctx.findings.append(Finding("responses", "enforce", verdict))
        exchange.streamed(sink.size)
        if exchange.head_sent:
            wire.close()
            return False
        await exchange.fail(502, f"response filter: {sink.cut}")
        return reply.keep
    if not exchange.head_sent:
        await exchange.send_filtered(head, final)  # the head with the length of what the filter returned
        return reply.keep
    if not sink.stopped:
        sink.send(final)
        if incoming.http_version != "1.0":
            wire.write(b"0\r\n\r\n")
    exchange.streamed(sink.size)
    await wire.send(b"")  # wait until the client has taken what was relayed
    return reply.keep


class FilteredSink:
    """Upstream chunks through the filter. Called from the upstream connection's data callback: it
    never raises; a cut or a gone client aborts the upstream instead."""

    __slots__ = ("_exchange", "_head", "_incoming", "_keep", "_stream", "_upstream", "_wire", "cut", "size", "stopped")

    def __init__(  # noqa: PLR0913  hot path: one exchange's parts passed, not bundled per request
        self,
        wire: Wire,
        incoming: Incoming,
        exchange: Exchange,
        head: ResponseHead,
        stream: BodyStream,
        keep: bool,
        upstream: UpstreamConnection,
    ) -> None:
        self._wire = wire
        self._incoming = incoming
        self._exchange = exchange
        self._head = head
        self._stream = stream
        self._keep = keep
        self._upstream = upstream
        self.cut: StreamCut | None = None
        self.stopped = False  # a HEAD has its head, or the client left: nothing more is read
        self.size = 0

    def write(self, chunk: bytes) -> None:
        if self.cut is not None or self.stopped:
            return
        try:
            out = self._stream.feed(chunk)
        except StreamCut as cut:
            self.cut = cut
        except Exception:
            log.exception("response filter failed")
            self.cut = StreamCut("the response filter failed")
        if self.cut is not None:
            self._upstream.abort()
            return
        if out:
            self.send(out)

    def send(self, data: bytes) -> None:
        wire = self._wire
        if wire.closed:
            self.stopped = True
            self._upstream.abort()
            return
        exchange = self._exchange
        if not exchange.head_sent:
            exchange.head_sent = True
            exchange.outcome.status = self._head.status
            wire.write(encode_head(self._head, self._incoming.http_version, length=None, keep=self._keep))
            if self._incoming.method == "HEAD":
                self.stopped = True  # the head is all a HEAD gets: the GET body asked for it is not read
                self._upstream.abort()
                return
        if not data:
            return
        self.size += len(data)
        if self._incoming.http_version == "1.0":
            wire.write(data)
        else:
            wire.write(b"%x\r\n%b\r\n" % (len(data), data))
