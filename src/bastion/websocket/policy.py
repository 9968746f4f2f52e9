"""What a WebSocket message must pass: the policy's limits, the WAF and the graphql guard.

Built once per engine from the websocket section and the guards the HTTP side already built: the
WAF and the graphql guard are the same objects that check requests, reached through their message
entry points, so a rule, an exclusion or a field grant means the same thing on both transports.

A check yields findings, as guards do on the request phase: in enforce mode the first one closes
the socket (1008 policy violation, 1009 too big), in monitor mode it is recorded and the message
goes on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from bastion.config.base import Mode
from bastion.config.websocket import WebSocketConfig
from bastion.core.clock import Clock
from bastion.core.context import Context
from bastion.core.identity import Identity
from bastion.core.request import Request
from bastion.core.verdict import Finding, Verdict

if TYPE_CHECKING:
    from bastion.guards.graphql.guard import GraphQLGuard
    from bastion.guards.waf.guard import WAFGuard
    from bastion.revocations import RevocationList

POLICY_VIOLATION = 1008
TOO_BIG = 1009
GOING_AWAY = 1001
# graphql-transport-ws carries an operation in `subscribe`, the older graphql-ws (subscriptions-transport-ws)
# in `start`: both are read, or the older protocol would be a way around the guard.
OPERATION_MESSAGES = {"graphql-transport-ws": "subscribe", "graphql-ws": "start"}


def violation(rule: str, reason: str, *, status: int = 403, category: str = "websocket") -> Verdict:
    return Verdict.refuse(status, rule, reason, category=category, location="message")


@dataclass(frozen=True, slots=True)
class Objection:
    """A message the policy objects to: the findings to record, and the close code when enforced."""

    findings: list[Finding]
    code: int | None  # None: monitored only, the message goes on

    @property
    def reason(self) -> str:
        verdict = self.findings[-1].verdict
        return verdict.rule


class MessagePolicy:
    def __init__(  # noqa: PLR0913  built once; keyword-only: the guards messages reuse and their modes
        self,
        config: WebSocketConfig,
        clock: Clock,
        *,
        waf: WAFGuard | None = None,
        waf_mode: Mode = "off",
        graphql: GraphQLGuard | None = None,
        graphql_mode: Mode = "off",
        revocations: RevocationList | None = None,
    ) -> None:
        self.config = config
        self.clock = clock
        self.mode = config.mode
        self.max_frame = config.max_frame
        self.max_message = config.max_message
        if config.rate is not None:
            count, period = config.rate
            self.rate: float | None = count / period
            self.burst = float(config.burst or max(1.0, self.rate))
        else:
            self.rate, self.burst = None, 0.0
        self._waf = waf if waf_mode != "off" else None
        self._waf_mode = waf_mode
        self._graphql = graphql if graphql_mode != "off" and config.graphql == "on" else None
        self._graphql_mode = graphql_mode
        self._revocations = revocations

    @property
    def inspects_text(self) -> bool:
        return self._waf is not None or self._graphql is not None

    def objection(self, guard: str, mode: Mode, verdict: Verdict, code: int) -> Objection:
        enforce = mode == "enforce"
        return Objection([Finding(guard, "enforce" if enforce else "monitor", verdict)], code if enforce else None)

    def too_big(self, what: str, size: int, limit: int) -> Objection:
        # Sizes bound Bastion's own memory: enforced in every mode.
        verdict = violation(f"websocket.{what}", f"{what} of {size}+ bytes, more than {limit}", status=413)
        return Objection([Finding("websocket", "enforce", verdict)], TOO_BIG)

    def text(self, text: str, subprotocol: str | None, request: Request, ctx: Context) -> Objection | None:
        """A whole text message from the client: a GraphQL operation through the graphql guard, and
        its values (or the message itself) through the WAF."""
        event = ctx.for_event([])
        findings: list[Finding] = []
        kind = OPERATION_MESSAGES.get(subprotocol or "")
        if kind is not None:
            verdict, guard, mode = self._graphql_message(text, kind, event)
            if verdict is not None:
                found = self.objection(guard, mode, verdict, POLICY_VIOLATION)
                if found.code is not None:
                    return found
                findings.extend(found.findings)
        if self._waf is not None:
            verdict = self._waf.check_message(text, request, event)
            if verdict is not None:
                found = self.objection("waf", self._waf_mode, verdict, POLICY_VIOLATION)
                if found.code is not None:
                    return Objection([*findings, *found.findings], found.code)
                findings.extend(found.findings)
        return Objection(findings, None) if findings else None

    def _graphql_message(self, text: str, kind: str, event: Context) -> tuple[Verdict | None, str, Mode]:
        try:
            message: Any = orjson.loads(text)
        except orjson.JSONDecodeError:
            message = None
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            return (
                violation("websocket.graphql.message", "not a GraphQL over WebSocket message"),
                "websocket",
                self.mode,
            )
        if message["type"] != kind or self._graphql is None:
            return None, "graphql", self._graphql_mode
        return self._graphql.check_message(message.get("payload"), event), "graphql", self._graphql_mode

    def revoked(self, identity: Identity | None) -> str | None:
        """Why a socket's identity no longer holds: its credential expired or was revoked."""
        if identity is None:
            return None
        now = self.clock.wall()
        if identity.expires_at is not None and identity.expires_at <= now:
            return f"{identity.method}: credential expired"
        return self._revocations.revoked(identity, now) if self._revocations is not None else None
