"""Prometheus metrics, counted from the audit stream (off the request path).

Labels are bounded: routes are the policy's templates (or `unmatched`), statuses are HTTP codes,
categories and guards are Bastion's own names. Nothing a client sends becomes a label.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from bastion.audit.sinks import Row

if TYPE_CHECKING:
    from bastion.audit.writer import AuditLog

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        # children by label values (routes are the policy's, statuses and decisions few): the
        # prometheus children exist for as long as the registry anyway
        self._requests_by: dict[tuple[str, int, str], Any] = {}
        self._latency_by: dict[str, Any] = {}
        self.requests = Counter(
            "bastion_requests", "Requests by route, status and decision.", ["route", "status", "decision"], registry=r
        )
        self.blocks = Counter(
            "bastion_blocks", "Refusals by guard and rule category.", ["guard", "category"], registry=r
        )
        self.latency = Histogram(
            "bastion_request_seconds", "Time in the gateway, request to response end.", ["route"],
            buckets=_LATENCY_BUCKETS, registry=r,
        )  # fmt: skip
        self.upstream_latency = Histogram(
            "bastion_upstream_seconds", "Upstream time to the response head.", buckets=_LATENCY_BUCKETS, registry=r
        )
        self.ratelimited = Counter("bastion_ratelimit_refusals", "Requests refused by a limit.", ["limit"], registry=r)
        self.upstream_errors = Counter("bastion_upstream_errors", "Upstream failures.", ["status"], registry=r)
        self.audit_dropped = Gauge(
            "bastion_audit_dropped_events",
            "Audit events lost since start: queue full, writer stopped, or neither a sink nor the spool took them.",
            registry=r,
        )
        self.audit_queue = Gauge("bastion_audit_queue_depth", "Audit events waiting for the writer.", registry=r)
        self.audit_spooled = Gauge(
            "bastion_audit_spool_events", "Audit events waiting in the local spool for a failing sink.", registry=r
        )
        self.audit_spool_bytes = Gauge("bastion_audit_spool_bytes", "Size of the spooled audit events.", registry=r)
        self.audit_escaped = Gauge(
            "bastion_audit_escaped_events",
            "Audit events with fields escaped to be encodable (since start).",
            registry=r,
        )
        self.audit_late = Gauge(
            "bastion_audit_commit_refusals",
            "strict: answers refused with 503 because their event was not durable within commit_timeout.",
            registry=r,
        )
        self.audit_writer_up = Gauge("bastion_audit_writer_up", "1 while the audit writer thread runs.", registry=r)
        self.audit_sink_up = Gauge(
            "bastion_audit_sink_up", "1 while the sink takes writes, 0 while it fails.", ["sink"], registry=r
        )
        self.alerts = Gauge("bastion_alerts", "Alerts raised by the detectors since start.", registry=r)
        # Read when /metrics is scraped (the admin listener sets them), not counted from events.
        self.audit_queue = Gauge("bastion_audit_queue_events", "Audit events waiting to be written.", registry=r)
        self.audit_written = Gauge("bastion_audit_written_events", "Audit events written since start.", registry=r)
        self.bans_active = Gauge("bastion_bans_active", "Bans in force, from the event store.", registry=r)
        self.incidents_open = Gauge("bastion_incidents_open", "Open incidents, from the event store.", registry=r)
        self.state_up = Gauge(
            "bastion_state_backend_up", "1 when the shared state backend answers (memory: always).", ["backend"],
            registry=r,
        )  # fmt: skip
        # WebSocket: the open count and relayed totals come from the sockets' sweep (websocket/registry.py),
        # closes from their audit events
        self.websocket_open = Gauge("bastion_websocket_open", "Open WebSocket connections.", registry=r)
        self.websocket_messages = Counter(
            "bastion_websocket_messages", "WebSocket data messages relayed.", ["direction"], registry=r
        )
        self.websocket_bytes = Counter(
            "bastion_websocket_bytes", "WebSocket message payload bytes relayed.", ["direction"], registry=r
        )
        self.websocket_closes = Counter(
            "bastion_websocket_closes", "WebSocket connections closed, by close code.", ["code"], registry=r
        )

    def observe(self, rows: list[Row]) -> None:
        """An audit observer: runs on the audit writer thread."""
        for row in rows:
            event = row.event
            websocket = event.get("websocket")
            if websocket is None or websocket["event"] == "upgrade":
                self._request(event)
            elif websocket["event"] == "close":  # a socket's later events are not requests
                self.websocket_closes.labels(str(websocket.get("code") or 1006)).inc()
            for rule in event.get("rules") or ():
                if rule["mode"] == "enforce":
                    self.blocks.labels(rule["guard"], rule["category"] or "none").inc()
                    if rule["guard"] == "ratelimit":
                        self.ratelimited.labels(rule["rule"].removeprefix("ratelimit.")).inc()

    def sample_audit(self, audit: AuditLog) -> None:
        """The audit writer's own state, read when metrics are scraped."""
        health = audit.health
        self.audit_dropped.set(audit.dropped)
        self.audit_queue.set(audit.queued)
        self.audit_spooled.set(health.spooled)
        self.audit_spool_bytes.set(health.spool_bytes)
        self.audit_escaped.set(audit.escaped)
        self.audit_late.set(audit.late)
        self.audit_writer_up.set(1 if health.alive else 0)
        for sink, up in health.sinks:
            self.audit_sink_up.labels(sink).set(1 if up else 0)

    def _request(self, event: dict[str, Any]) -> None:
        route = event.get("route") or "unmatched"
        labels = (route, event["status"], event["decision"])
        counted = self._requests_by.get(labels)
        if counted is None:  # `labels()` validates and locks on every call: once per label set
            counted = self._requests_by[labels] = self.requests.labels(route, str(event["status"]), event["decision"])
            self._latency_by[route] = self.latency.labels(route)
        counted.inc()
        self._latency_by[route].observe(event.get("latency_ms", 0.0) / 1000)
        if event.get("upstream_ms") is not None:
            self.upstream_latency.observe(event["upstream_ms"] / 1000)
        if event.get("upstream_error"):
            self.upstream_errors.labels(str(event["status"])).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
