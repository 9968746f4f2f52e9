"""One open WebSocket as the gateway accounts for it, whichever host carries its bytes.

A `Session` counts messages and bytes each way, holds the message rate (a token bucket on the
injected clock), watches its deadlines (idle, ping answered, closing handshake finished) and the
identity it was opened with (expired or revoked: closed), and writes the audit events of the
socket's life through its exchange: refused messages while it is open, and the close event once.

The host supplies an `Endpoint`: how to close the socket (a close code to the client, going-away
to the upstream), how to ping the client, and how to cut the connection when a close handshake
does not finish.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Protocol

from bastion.core.exchange import Exchange
from bastion.core.tunnel import TunnelRecord
from bastion.core.verdict import Finding
from bastion.websocket.policy import GOING_AWAY, POLICY_VIOLATION, MessagePolicy, Objection, violation


class Endpoint(Protocol):
    def close(self, code: int, reason: str) -> None:
        """Start the closing handshake with the client (`code`) and tell the upstream the client is going."""
        ...

    def ping(self, payload: bytes) -> bool:
        """Ping the client; False when the host cannot (an ASGI server pings on its own)."""
        ...

    def abort(self) -> None:
        """Cut both connections now: the closing handshake did not finish in time."""
        ...


class Session:
    __slots__ = (
        "_closing_since",
        "_findings",
        "_forget",
        "_ping",
        "_ping_sent",
        "_stamp",
        "_tokens",
        "bytes_in",
        "bytes_out",
        "closed",
        "endpoint",
        "exchange",
        "flushed",
        "last_activity",
        "messages_in",
        "messages_out",
        "opened",
        "policy",
        "subprotocol",
    )

    def __init__(
        self,
        exchange: Exchange,
        policy: MessagePolicy,
        endpoint: Endpoint,
        subprotocol: str | None,
        forget: Callable[[Session], None],
    ) -> None:
        """`forget`: called once when the socket is closed (the registry of open sockets)."""
        self.exchange = exchange
        self.policy = policy
        self.endpoint = endpoint
        self.subprotocol = subprotocol
        self._forget = forget
        now = policy.clock.monotonic()
        self.opened = self.last_activity = self._stamp = self._ping_sent = now
        self._tokens = policy.burst
        self._ping: bytes | None = None
        self._closing_since: float | None = None
        self._findings: list[Finding] = []  # why the gateway closed it, for the close event
        self.messages_in = self.messages_out = self.bytes_in = self.bytes_out = 0
        self.flushed = (0, 0, 0, 0)  # counts already added to the metrics
        self.closed = False

    # -- messages ------------------------------------------------------------------------------------
    def inbound(self, message: str | bytes, size: int) -> Objection | None:
        """A whole message from the client: counted, held to the rate, and a text one inspected.
        None or a monitored objection: forward it; an objection with a code: close with it."""
        policy = self.policy
        now = policy.clock.monotonic()
        self.last_activity = now
        self.messages_in += 1
        self.bytes_in += size
        found: list[Finding] = []
        if policy.rate is not None and policy.mode != "off":
            tokens = min(policy.burst, self._tokens + (now - self._stamp) * policy.rate)
            self._stamp = now
            if tokens < 1.0:
                verdict = violation("websocket.rate", f"more than {policy.rate:g} messages/s", status=429)
                objection = policy.objection("websocket", policy.mode, verdict, POLICY_VIOLATION)
                if objection.code is not None:
                    return self._refused(objection, size)
                found.extend(objection.findings)
            else:
                tokens -= 1.0
            self._tokens = tokens
        if isinstance(message, str) and policy.inspects_text:
            exchange = self.exchange
            inspected = policy.text(message, self.subprotocol, exchange.request, exchange.ctx)
            if inspected is not None:
                found.extend(inspected.findings)
                if inspected.code is not None:
                    return self._refused(Objection(found, inspected.code), size)
        if found:
            self._refused(Objection(found, None), size)
        return None

    def outbound(self, size: int) -> None:
        """A whole message from the upstream, relayed."""
        self.last_activity = self.policy.clock.monotonic()
        self.messages_out += 1
        self.bytes_out += size

    def too_big(self, what: str, size: int, limit: int) -> Objection:
        return self._refused(self.policy.too_big(what, size, limit), size)

    def _refused(self, objection: Objection, size: int) -> Objection:
        record = TunnelRecord("message", self.subprotocol, size=size, code=objection.code)
        self.exchange.tunnel_event(record, objection.findings)
        return objection

    # -- time ----------------------------------------------------------------------------------------
    def pong(self, payload: bytes) -> bool:
        """True when this answers the gateway's own ping (not relayed to the upstream)."""
        if self._ping is None or payload != self._ping:
            return False
        self._ping = None
        return True

    def closing(self) -> None:
        if self._closing_since is None:
            self._closing_since = self.policy.clock.monotonic()

    def tick(self, now: float) -> None:
        """The registry's sweep: deadlines, and the identity the socket was opened with."""
        if self.closed:
            return
        config = self.policy.config
        if self._closing_since is not None:
            if now - self._closing_since >= config.close_timeout:
                self.endpoint.abort()
            return
        revoked = self.policy.revoked(self.exchange.ctx.identity)
        if revoked is not None:
            verdict = violation("websocket.identity", revoked, status=401, category="authn")
            self._findings.append(Finding("websocket", "enforce", verdict))
            self.close(POLICY_VIOLATION, "credential no longer valid")
        elif now - self.last_activity >= config.idle_timeout:
            self.close(GOING_AWAY, "idle timeout")
        elif self._ping is not None:
            if now - self._ping_sent >= config.ping_timeout:
                self.close(GOING_AWAY, "ping timeout")
        elif config.ping_interval and now - self._ping_sent >= config.ping_interval:
            payload = os.urandom(8).hex().encode()
            if self.endpoint.ping(payload):
                self._ping = payload
            self._ping_sent = now

    def close(self, code: int, reason: str) -> None:
        """The gateway closes the socket (a violation, a deadline, shutdown)."""
        if self._closing_since is None and not self.closed:
            self.closing()
            self.endpoint.close(code, reason)

    # -- the end -------------------------------------------------------------------------------------
    def finish(self, code: int | None, reason: str, closed_by: str | None) -> None:
        """The socket is closed: its close event, once, and the registry forgets it."""
        if self.closed:
            return
        self.closed = True
        self._forget(self)
        record = TunnelRecord(
            "close",
            self.subprotocol,
            duration=self.policy.clock.monotonic() - self.opened,
            messages_in=self.messages_in,
            messages_out=self.messages_out,
            bytes_in=self.bytes_in,
            bytes_out=self.bytes_out,
            code=code,
            reason=reason,
            closed_by=closed_by,
        )
        self.exchange.close_tunnel(record, self._findings)
