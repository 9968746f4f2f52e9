"""What every connection of one listener shares: its limits, the open connections, draining."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

from bastion.config.model import BastionConfig
from bastion.hosts.http1.unparsed import RefusalBudget


@dataclass(frozen=True, slots=True)
class Limits:
    header_timeout: float  # slowloris: the whole head must arrive in time (408)
    body_timeout: float  # a body that stalls this long is refused (408)
    body_total_timeout: float  # a body not complete this long after its head is refused (408)
    keep_alive_timeout: float
    max_connections: int
    max_head_bytes: int  # 431
    max_header_count: int  # 431
    max_url: int  # 414
    max_body: int  # 413

    @classmethod
    def of(cls, config: BastionConfig) -> Limits:
        listen, ingress = config.listen, config.ingress
        return cls(
            header_timeout=listen.timeouts.header,
            body_timeout=listen.timeouts.body,
            body_total_timeout=listen.timeouts.body_total,
            keep_alive_timeout=listen.timeouts.keep_alive,
            max_connections=listen.max_connections,
            max_head_bytes=ingress.max_headers,
            max_header_count=ingress.max_header_count,
            max_url=ingress.max_url,
            max_body=ingress.max_body,
        )


class Closable(Protocol):
    def close_idle(self) -> None: ...

    def abort(self) -> None: ...


class ServerState:
    """Like uvicorn's ServerState: the facts a connection needs about its server, and nothing else."""

    def __init__(self, limits: Limits, budget: RefusalBudget | None = None) -> None:
        self.limits = limits
        self.refusals = budget or RefusalBudget()  # audited refusals made before a request existed
        self.connections: set[Closable] = set()
        self.draining = False
        self.protocol_errors: Counter[int] = Counter()
        self._all_closed: asyncio.Event | None = None

    def admit(self, conn: Closable) -> bool:
        if len(self.connections) >= self.limits.max_connections or self.draining:
            return False
        self.connections.add(conn)
        return True

    def forget(self, conn: Closable) -> None:
        self.connections.discard(conn)
        if self._all_closed is not None and not self.connections:
            self._all_closed.set()

    def count_protocol_error(self, status: int) -> None:
        self.protocol_errors[status] += 1

    async def drain(self, grace: float) -> bool:
        """Stop taking requests; close idle connections now and busy ones after their response.
        True when every connection closed within `grace` seconds."""
        self.draining = True
        self._all_closed = asyncio.Event()
        for conn in list(self.connections):
            conn.close_idle()
        if not self.connections:
            return True
        try:
            await asyncio.wait_for(self._all_closed.wait(), grace)
        except TimeoutError:
            return False
        return True

    def abort_all(self) -> None:
        for conn in list(self.connections):
            conn.abort()
