"""Prometheus metrics, counted from the audit stream (off the request path).

Labels are bounded: routes are the policy's templates (or `unmatched`), statuses are HTTP codes,
categories and guards are Bastion's own names. Nothing a client sends becomes a label.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from bastion.audit.sinks import Row

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
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
        self.audit_dropped = Gauge("bastion_audit_dropped_events", "Audit events dropped (queue full).", registry=r)
        self.audit_queue = Gauge("bastion_audit_queue_depth", "Audit events waiting for the writer.", registry=r)
        self.alerts = Gauge("bastion_alerts", "Alerts raised by the detectors since start.", registry=r)

    def observe(self, rows: list[Row]) -> None:
        """An audit observer: runs on the audit writer thread."""
        for row in rows:
            event = row.event
            route = event.get("route") or "unmatched"
            self.requests.labels(route, str(event["status"]), event["decision"]).inc()
            self.latency.labels(route).observe(event.get("latency_ms", 0.0) / 1000)
            if event.get("upstream_ms") is not None:
                self.upstream_latency.observe(event["upstream_ms"] / 1000)
            if event.get("upstream_error"):
                self.upstream_errors.labels(str(event["status"])).inc()
            for rule in event.get("rules") or ():
                if rule["mode"] == "enforce":
                    self.blocks.labels(rule["guard"], rule["category"] or "none").inc()
                    if rule["guard"] == "ratelimit":
                        self.ratelimited.labels(rule["rule"].removeprefix("ratelimit.")).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
