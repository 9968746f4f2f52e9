"""What the hosts and the websocket guard share for one engine: the paths that may upgrade, the
message policy, and the open sockets."""

from __future__ import annotations

from bastion.config.websocket import WebSocketConfig
from bastion.core.exchange import Exchange
from bastion.core.verdict import Verdict
from bastion.websocket.policy import MessagePolicy
from bastion.websocket.registry import SessionRegistry
from bastion.websocket.session import Endpoint, Session


class WebSocketService:
    def __init__(self, config: WebSocketConfig, messages: MessagePolicy, registry: SessionRegistry) -> None:
        self.config = config
        self.messages = messages
        self.registry = registry
        self.subprotocols = frozenset(config.subprotocols)
        self._exact = frozenset(p for p in config.paths if not p.endswith("/*"))
        self._prefixes = tuple(p[:-1] for p in config.paths if p.endswith("/*"))

    def accepts(self, path: str) -> bool:
        return path in self._exact or (bool(self._prefixes) and path.startswith(self._prefixes))

    def refusal(self, path: str) -> Verdict | None:
        """An upgrade to a path the policy does not list: refused in every mode, as the gateway
        refuses every upgrade it does not speak (the list is the opt-in, not a check to monitor)."""
        if self.accepts(path):
            return None
        reason = f"{path[:100]} is not a WebSocket endpoint of the policy"
        return Verdict.refuse(501, "websocket.path", reason, category="websocket", location="handshake")

    def open(self, exchange: Exchange, endpoint: Endpoint, subprotocol: str | None) -> Session:
        session = Session(exchange, self.messages, endpoint, subprotocol, self.registry.discard)
        self.registry.add(session)
        return session

    async def start(self) -> None:
        await self.registry.start()

    async def stop(self) -> None:
        await self.registry.stop()
