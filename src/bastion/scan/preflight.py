"""Before any check: is the target there, and can the test users log in?

A scan of nothing must not pass. Nothing listening, a DNS name that does not resolve, a TLS handshake
that fails, or probes that all time out end the scan at once with one clear line (exit 2) and no
report that could be mistaken for a clean result. The same goes for a spec that declares security
when no test user can log in: the checks would only ever see refusals (unless --allow-anonymous).
"""

from __future__ import annotations

import re

from bastion.scan.operations import Operation, Spec
from bastion.scan.target import Exchange, Target

PROBE_TIMEOUT = 8.0
_HEALTH = re.compile(r"(?i)^(health|healthz|healthcheck|status|ping|alive|live|livez|ready|readyz|heartbeat)$")


class Unreachable(Exception):
    """The target cannot be reached at all."""


def failure(exchange: Exchange, timeout: float) -> str:
    """A short, plain reason for a request that got no answer."""
    error = exchange.error or "no answer"
    lower = error.lower()
    if error == "timeout":
        return f"no answer within {timeout:g} s"
    if "refused" in lower:
        return "connection refused"
    if "name or service not known" in lower or "nodename nor servname" in lower or "name resolution" in lower:
        return "the host name does not resolve (DNS)"
    if "ssl" in lower or "certificate" in lower or "tls" in lower:
        return f"TLS handshake failed ({error.split(':', 1)[-1].strip()[:120]})"
    if "unreachable" in lower:
        return "no route to the host"
    return error[:160]


def reach(target: Target) -> Exchange:
    """The base URL, asked twice at most: the first answer of any status proves the target is there."""
    timeout = min(target.timeout, PROBE_TIMEOUT)
    exchange = target.send("GET", "/", timeout=timeout, retry_429=False, operation="preflight")
    if exchange.unanswered and exchange.error == "timeout":
        exchange = target.send("GET", "/", timeout=timeout, retry_429=False, operation="preflight")
    if exchange.unanswered:
        raise Unreachable(f"cannot reach {target.base_url}: {failure(exchange, timeout)}")
    return exchange


def health_operation(spec: Spec) -> Operation | None:
    """A cheap GET without required parameters that says whether the API is alive (for liveness probes)."""
    for op in spec.operations:
        last = [s for s in op.path.split("/") if s][-1:] or [""]
        simple = op.method == "GET" and not op.path_params and not any(p.required for p in op.parameters)
        if simple and _HEALTH.match(last[0]):
            return op
    return None
