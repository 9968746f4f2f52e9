"""The audit event of one exchange: captured cheaply on the request path, rendered off it.

`capture()` runs when the exchange ends, on the event loop: it only gathers references into a
tuple (a few microseconds). `render()` runs on the writer thread: it builds the JSON-ready event,
redacting anything sensitive — values never enter an event when their field, parameter or header
name is a sensitive one, and a login's account name is kept only as a keyed hash.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any

from bastion.core.context import Context
from bastion.core.pipeline import Outcome
from bastion.core.request import Request
from bastion.core.verdict import Finding

Captured = tuple[Any, ...]


def capture(request: Request, ctx: Context, outcome: Outcome, now: float, account: str | None = None) -> Captured:
    identity = ctx.identity
    route = ctx.route
    return (
        now,
        ctx.request_id,
        request.client,
        identity.subject if identity is not None else None,
        identity.key_id if identity is not None else None,
        request.method,
        request.path,
        ctx.operation,
        route.route.template if route is not None else None,
        route.params if route is not None else None,
        outcome.status,
        tuple(ctx.findings),
        outcome.bytes_in,
        outcome.bytes_out,
        time.perf_counter() - ctx.started,
        outcome.upstream_seconds,
        outcome.upstream_error,
        account,
        outcome.websocket,
    )


_SEEN_LOCATIONS = 4096


class Renderer:
    def __init__(self, sensitive: list[str], account_key: bytes) -> None:
        self._sensitive = frozenset(name.lower() for name in sensitive)
        self._account_key = account_key
        self._seen: dict[str, bool] = {}  # the same few locations recur on every request

    def _is_sensitive(self, location: str | None) -> bool:
        if not location:
            return False
        known = self._seen.get(location)
        if known is None:
            known = any(part.lower() in self._sensitive for part in location.replace("[", ".").split("."))
            if len(self._seen) >= _SEEN_LOCATIONS:
                self._seen.clear()  # locations come from requests: the memo stays bounded
            self._seen[location] = known
        return known

    def render(self, captured: Captured) -> dict[str, Any]:
        (ts, request_id, client, subject, key_id, method, path, operation, template, params, status, findings,
         bytes_in, bytes_out, latency, upstream, upstream_error, account, websocket) = captured  # fmt: skip
        rules = []
        refused = monitored = False
        for finding in findings:
            verdict = finding.verdict
            location = verdict.location or None
            reason = "(redacted: sensitive field)" if self._is_sensitive(location) else verdict.reason[:500]
            rules.append(
                {
                    "guard": finding.guard,
                    "rule": verdict.rule,
                    "mode": finding.mode,
                    "category": verdict.category,
                    "status": verdict.status,
                    "location": location,
                    "reason": reason,
                }
            )
            if finding.mode == "enforce":
                refused = True
            else:
                monitored = True
        decision = "refused" if refused else "error" if upstream_error else "monitored" if monitored else "allowed"
        event: dict[str, Any] = {
            "ts": round(ts, 6),
            "request_id": request_id,
            "client": client,
            "subject": subject,
            "key_id": key_id,
            "method": method,
            "path": path if not params or not any(self._is_sensitive(name) for name in params) else template,
            "route": template,
            "operation": operation,
            "params": {k: ("(redacted)" if self._is_sensitive(k) else v) for k, v in params.items()}
            if params
            else None,
            "status": status,
            "decision": decision,
            "rules": rules,
            "bytes_in": bytes_in,
            "bytes_out": bytes_out,
            "latency_ms": round(latency * 1000, 3),
            "upstream_ms": round(upstream * 1000, 3) if upstream is not None else None,
            "upstream_error": upstream_error,
        }
        if websocket is not None:
            event["websocket"] = websocket.as_event()
        if account:
            event["account"] = hmac.new(self._account_key, account.encode(), hashlib.sha256).hexdigest()[:24]
        return event


def answered_instead(captured: Captured, status: int, finding: Finding) -> Captured:
    """The same exchange, answered `status` for `finding` instead (strict: its event was late)."""
    return (*captured[:10], status, (*captured[11], finding), *captured[12:])


def minimal(captured: Captured, why: str) -> dict[str, Any]:
    """The event of an exchange whose full rendering failed: what was captured as plain values."""
    event: dict[str, Any] = dict.fromkeys(("client", "subject", "method", "path", "operation"))
    for name, index in (("client", 2), ("method", 5), ("path", 6)):
        if isinstance(captured[index], str):
            event[name] = captured[index]
    event.update(ts=captured[0], request_id=captured[1], status=captured[10], rules=[], decision="unrenderable")
    event["error"] = why[:200]
    return event
