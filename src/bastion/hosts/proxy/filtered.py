"""BASTION-22: a response body filtered as it streams from the upstream to the client.

The response phase may ask for a body to be filtered chunk by chunk (`ResponseHead.stream`: NDJSON
lines, server-sent events, bodies larger than can be held). This sink sits between the upstream
connection and the client: each chunk goes through the filter, the head is written just before the
filter's first bytes (so a filter that holds the body back may still turn the head into a 502),
and a HEAD stops after its head. The lead's hosts/http1 rewrite can carry it as it is.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bastion.core.pipeline import BodyStream, ResponseHead, StreamCut

if TYPE_CHECKING:
    from bastion.hosts.proxy.connection import ClientConnection, Exchange
    from bastion.hosts.proxy.upstream import UpstreamConnection

log = logging.getLogger("bastion.proxy")


class FilteredSink:
    """BASTION-22: upstream chunks through the response filter's stream, the head sent before its
    first bytes. Called from the upstream connection's data callback: it never raises."""

    __slots__ = (
        "_client",
        "_exchange",
        "_head",
        "_keep",
        "_stream",
        "_upstream",
        "cut",
        "head_sent",
        "size",
        "stopped",
    )

    def __init__(
        self,
        client: ClientConnection,
        stream: BodyStream,
        head: ResponseHead,
        exchange: Exchange,
        keep: bool,
        upstream: UpstreamConnection,
    ) -> None:
        self._client = client
        self._stream = stream
        self._head = head
        self._exchange = exchange
        self._keep = keep
        self._upstream = upstream
        self.cut: StreamCut | None = None
        self.head_sent = False
        self.stopped = False  # a HEAD has its head: nothing more is read
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
        client = self._client
        if client._closed or client.transport is None:
            self.stopped = True
            self._upstream.abort()
            return
        if not self.head_sent:
            self.head_sent = True
            client.transport.write(client._encode_head(self._head, self._exchange, length=None, keep=self._keep))
            if self._exchange.method == "HEAD":
                self.stopped = True
                self._upstream.abort()
                return
        if not data:
            return
        self.size += len(data)
        if self._exchange.http_version == "1.0":
            client.transport.write(data)
        else:
            client.transport.write(b"%x\r\n%b\r\n" % (len(data), data))
