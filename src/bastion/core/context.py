"""Per-request working state shared by the guards of one pipeline run."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from bastion.core.verdict import Finding

if TYPE_CHECKING:
    from bastion.core.graphql_info import GraphQLInfo
    from bastion.core.identity import Identity
    from bastion.core.routing import RouteMatch


class Context:
    """What guards learn about a request (route, identity, findings) and pass on to later ones.

    Created by the pipeline for each request; guards write their conclusions here rather than on
    the immutable Request, and the audit event is built from it when the exchange ends.
    """

    __slots__ = (
        "committed",
        "findings",
        "graphql",
        "identity",
        "on_finish",
        "request_id",
        "response_headers",
        "route",
        "started",
        "trace",
        "upstream_headers",
    )

    def __init__(self, request_id: str) -> None:
        self.request_id = request_id
        self.started = time.perf_counter()
        self.route: RouteMatch | None = None
        self.identity: Identity | None = None
        self.findings: list[Finding] = []
        self.response_headers: list[tuple[str, str]] = []  # e.g. RateLimit headers on success
        self.on_finish: list[Callable[[], None]] = []  # e.g. release a concurrency slot
        # headers for the upstream that only the gateway may set: the identity it verified
        self.upstream_headers: list[tuple[str, str]] = []
        self.graphql: GraphQLInfo | None = None  # what the GraphQL guard learned, for the guards after it
        self.committed = False  # the audit event is already durable (strict durability)
        # decisions that allowed the request: (guard, rule id, reason), for the audit trail and explain
        self.trace: list[tuple[str, str, str]] = []

    @property
    def operation(self) -> str | None:
        return self.route.operation.id if self.route and self.route.operation else None

    def for_event(self, findings: list[Finding]) -> Context:
        """A context for one more audit event of the same exchange (a WebSocket's refused message, its
        close): same request id, route and identity, only these findings."""
        event = Context(self.request_id)
        event.started = self.started
        event.route = self.route
        event.identity = self.identity
        event.findings = findings
        return event

    def finish(self) -> None:
        callbacks, self.on_finish = self.on_finish, []
        for callback in callbacks:
            callback()
