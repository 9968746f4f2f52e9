"""Frames relayed between a client and the upstream after the handshake (sans-IO).

Two wsproto connections back to back: one speaks to the client as the server (it reads masked
frames and checks them), one to the upstream as the client (it masks with fresh keys). The frame
parsing, masking, UTF-8 validation of text and close-frame rules are wsproto's; this module adds
what a gateway must:

- a client message is reassembled (bounded by `max_frame` and `max_message`: 1009 past either)
  and handed whole to the session, which counts it, holds it to the rate and inspects text; only
  then is it sent on, as one frame (RFC 6455 section 5.4 lets an intermediary refragment);
- upstream messages stream to the client frame by frame, counted as they finish;
- pings and pongs pass through, except the answers to the gateway's own pings;
- a close from either side is passed to the other and its answer passed back (the closing
  handshake stays end to end); a close the gateway decides (a violation, a deadline, a revoked
  token) sends the code to the client and going-away (1001) to the upstream;
- a protocol error from the client closes it with wsproto's code (1002, 1007), one from the
  upstream with 1014 (bad gateway).

The host gives it how to write each way and how to cut both connections, and feeds it bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from wsproto.connection import Connection, ConnectionState, ConnectionType
from wsproto.events import BytesMessage, CloseConnection, Event, Message, Ping, Pong, TextMessage

from bastion.core.verdict import Finding
from bastion.websocket.policy import GOING_AWAY, MessagePolicy, Objection, violation

if TYPE_CHECKING:
    from bastion.websocket.session import Session

BAD_GATEWAY = 1014
ABNORMAL = 1006
_OPEN = ConnectionState.OPEN
_CLOSED = ConnectionState.CLOSED
# What the client is told; the audit trail keeps the rule.
_PUBLIC_REASON = {1008: "policy violation", 1009: "message too big", 1001: "going away", 1012: "service restart"}

Write = Callable[[bytes], None]


class Relay:
    def __init__(
        self, policy: MessagePolicy, write_client: Write, write_upstream: Write, cut: Callable[[], None]
    ) -> None:
        self.policy = policy
        self.session: Session | None = None  # set by the host before any byte is fed
        self.client = Connection(ConnectionType.SERVER)
        self.upstream = Connection(ConnectionType.CLIENT)
        self._write_client = write_client
        self._write_upstream = write_upstream
        # frames for each side, written once per batch of input: one write (one syscall) per read
        self._for_client: list[bytes] = []
        self._for_upstream: list[bytes] = []
        self._cut = cut
        self._parts: list[str | bytes] = []
        self._size = 0  # bytes of the client message being reassembled
        self._frame = 0  # bytes of the client frame being received
        self._out = 0  # bytes of the upstream message being relayed
        self._closing = False  # a close handshake is under way: client data is no longer relayed
        self.done = False
        self.code: int | None = None
        self.reason = ""
        self.closed_by: str | None = None

    # -- from the client ---------------------------------------------------------------------------
    def from_client(self, data: bytes) -> None:
        if self.done:
            return
        client = self.client
        if client.state is _CLOSED:
            return
        client.receive_data(data)
        try:
            self._client_events()
        finally:
            self._flush()

    def _client_events(self) -> None:
        for event in self.client.events():
            if isinstance(event, (TextMessage, BytesMessage)):
                if not self._closing:
                    self._client_message(event)
            elif isinstance(event, Ping):
                self._to_upstream(Ping(event.payload))
            elif isinstance(event, Pong):
                session = self.session
                if session is None or not session.pong(event.payload):
                    self._to_upstream(Pong(event.payload))
            elif isinstance(event, CloseConnection):
                self._client_close(event)
                break

    def _client_message(self, event: TextMessage | BytesMessage) -> None:
        session = self.session
        assert session is not None
        data: str | bytes = event.data if isinstance(event.data, str) else bytes(event.data)
        size = len(data) if isinstance(data, bytes) or data.isascii() else len(data.encode())
        policy = self.policy
        self._frame += size
        if self._frame > policy.max_frame:
            self._refuse(session.too_big("frame", self._frame, policy.max_frame))
            return
        if event.frame_finished:
            self._frame = 0
        self._size += size
        if self._size > policy.max_message:
            self._refuse(session.too_big("message", self._size, policy.max_message))
            return
        self._parts.append(data)
        if not event.message_finished:
            return
        parts, size, self._parts, self._size = self._parts, self._size, [], 0
        message: str | bytes
        if len(parts) == 1:
            message = parts[0]
        elif isinstance(data, str):
            message = "".join(part for part in parts if isinstance(part, str))
        else:
            message = b"".join(part for part in parts if isinstance(part, bytes))
        objection = session.inbound(message, size)
        if objection is not None and objection.code is not None:
            self._refuse(objection)
            return
        self._to_upstream(TextMessage(message) if isinstance(message, str) else BytesMessage(message))

    def _client_close(self, event: CloseConnection) -> None:
        client = self.client
        if client.state is _OPEN or client.state is ConnectionState.LOCAL_CLOSING:
            # wsproto reports a frame it could not parse as a close it did not receive
            verdict = violation("websocket.protocol", f"client broke the protocol: {event.reason}", status=400)
            self._refuse(Objection([Finding("websocket", "enforce", verdict)], event.code), internal=event.reason)
            return
        self._peer_close(event, "client")

    # -- from the upstream -------------------------------------------------------------------------
    def from_upstream(self, data: bytes) -> None:
        if self.done:
            return
        upstream = self.upstream
        if upstream.state is _CLOSED:
            return
        upstream.receive_data(data)
        try:
            self._upstream_events()
        finally:
            self._flush()

    def _upstream_events(self) -> None:
        for event in self.upstream.events():
            if isinstance(event, Message):
                data_ = event.data
                self._out += len(data_) if isinstance(data_, bytes) or data_.isascii() else len(data_.encode())
                if event.message_finished:
                    if self.session is not None:
                        self.session.outbound(self._out)
                    self._out = 0
                self._to_client(event)
            elif isinstance(event, Ping):
                self._to_client(Ping(event.payload))
            elif isinstance(event, Pong):
                self._to_client(Pong(event.payload))
            elif isinstance(event, CloseConnection):
                self._upstream_close(event)
                break

    def _upstream_close(self, event: CloseConnection) -> None:
        upstream = self.upstream
        if upstream.state is _OPEN or upstream.state is ConnectionState.LOCAL_CLOSING:
            self._record(BAD_GATEWAY, f"upstream broke the protocol: {event.reason}", "upstream")
            self.close(BAD_GATEWAY, "bad gateway")
            return
        self._peer_close(event, "upstream")

    def _peer_close(self, event: CloseConnection, side: str) -> None:
        """A close frame from `side`: passed to the other side, whose answer is passed back."""
        if side == "client":
            this, other, to_this, to_other = self.client, self.upstream, self._to_client, self._to_upstream
        else:
            this, other, to_this, to_other = self.upstream, self.client, self._to_upstream, self._to_client
        close = CloseConnection(event.code, event.reason)
        if this.state is _CLOSED:  # the answer to a close sent to this side
            if other.state is ConnectionState.REMOTE_CLOSING:
                to_other(close)
            self._maybe_done()
            return
        self._record(event.code, event.reason, side)
        self._closing = True
        if self.session is not None:
            self.session.closing()
        if other.state is _OPEN:
            to_other(close)
        else:
            to_this(close)  # the other side is already closing: answer this one
        self._maybe_done()

    # -- the gateway's own (the session's Endpoint) ------------------------------------------------
    def close(self, code: int, reason: str) -> None:
        """Close the client with `code` and tell the upstream the client is going away."""
        if self.done:
            return
        self._record(code, reason, "gateway")
        self._closing = True
        if self.session is not None:
            self.session.closing()
        self._to_client(CloseConnection(code, _PUBLIC_REASON.get(code, "")))
        self._to_upstream(CloseConnection(GOING_AWAY, "client going away"))
        self._flush()
        self._maybe_done()

    def ping(self, payload: bytes) -> bool:
        if self.client.state is not _OPEN:
            return False
        self._to_client(Ping(payload))
        self._flush()
        return True

    def abort(self) -> None:
        """The closing handshake did not finish in time, or a connection is gone: cut both."""
        self._record(ABNORMAL, "closing handshake timed out", None)
        self._finish()

    def lost(self, side: str) -> None:
        """One side's connection closed under the relay."""
        if not self.done:
            self._record(ABNORMAL, f"{side} connection lost", side)
            self._finish()

    # -- internals ---------------------------------------------------------------------------------
    def _refuse(self, objection: Objection, *, internal: str | None = None) -> None:
        self._parts, self._size = [], 0
        code = objection.code or 1008
        self._record(code, internal or objection.reason, "gateway")
        self.close(code, objection.reason)

    def _record(self, code: int | None, reason: str | None, by: str | None) -> None:
        if self.closed_by is None and self.code is None:
            self.code, self.reason, self.closed_by = int(code) if code is not None else None, reason or "", by

    def _to_client(self, event: Event) -> None:
        state = self.client.state
        if state is _OPEN or (isinstance(event, CloseConnection) and state is ConnectionState.REMOTE_CLOSING):
            self._for_client.append(self.client.send(event))

    def _to_upstream(self, event: Event) -> None:
        state = self.upstream.state
        if state is _OPEN or (isinstance(event, CloseConnection) and state is ConnectionState.REMOTE_CLOSING):
            self._for_upstream.append(self.upstream.send(event))

    def _flush(self) -> None:
        if self._for_client:
            frames, self._for_client = self._for_client, []
            self._write_client(b"".join(frames))
        if self._for_upstream:
            frames, self._for_upstream = self._for_upstream, []
            self._write_upstream(b"".join(frames))

    def _maybe_done(self) -> None:
        if self.client.state is _CLOSED and self.upstream.state is _CLOSED:
            self._finish()

    def _finish(self) -> None:
        if self.done:
            return
        self.done = True
        self._flush()
        if self.session is not None:
            self.session.finish(self.code, self.reason, self.closed_by)
        self._cut()
