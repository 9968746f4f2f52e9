"""A large audit trail made quickly: real events, chained and written through the real SQLite sink."""

from __future__ import annotations

import random
from pathlib import Path

from bastion.audit.chain import GENESIS, canonical, link
from bastion.audit.sinks import Row
from bastion.audit.sinks.sqlite import SQLiteSink

_OPERATIONS = ["listProducts", "getProduct", "getMe", "createOrder", "getOrder", "login", "searchProducts", None]
_RULES = [
    ("waf", "waf.sqli.union", "sqli", 403),
    ("authn", "authn.missing", "authn", 401),
    ("authz", "authz.denied", "authz", 403),
    ("ratelimit", "ratelimit.per-ip", "ratelimit", 429),
    ("validate", "validation.body", "validation", 422),
]


def fill(path: Path, count: int, *, now: float, span: float = 86_400.0, seed: int = 7, batch: int = 20_000) -> None:
    """`count` events spread evenly over the `span` seconds before `now`, about one in ten refused.

    Client, subject and operation are drawn from a few thousand values, as real traffic is; the rare
    ones (`client 10.9.9.9`, `subject needle`) appear exactly once, in the oldest hour, so a search
    for them must walk an index, not the table.
    """
    rng = random.Random(seed)
    sink = SQLiteSink(path)
    prev = GENESIS
    step = span / count
    try:
        for start in range(0, count, batch):
            rows: list[Row] = []
            for seq in range(start + 1, min(count, start + batch) + 1):
                refused = rng.random() < 0.1
                rule = _RULES[rng.randrange(len(_RULES))] if refused else None
                needle = seq == 1
                event = {
                    "ts": round(now - span + seq * step, 6),
                    "request_id": f"r{seq:08x}",
                    "client": "10.9.9.9" if needle else f"10.0.{rng.randrange(16)}.{rng.randrange(250)}",
                    "subject": "needle" if needle else (f"user-{rng.randrange(3000)}" if rng.random() < 0.6 else None),
                    "key_id": None,
                    "method": "GET",
                    "path": "/api/products",
                    "route": "/api/products",
                    "operation": _OPERATIONS[rng.randrange(len(_OPERATIONS))],
                    "params": None,
                    "status": rule[3] if rule else 200,
                    "decision": "refused" if rule else "allowed",
                    "rules": [
                        {"guard": rule[0], "rule": rule[1], "mode": "enforce", "category": rule[2],
                         "status": rule[3], "location": None, "reason": "generated"}  # fmt: skip
                    ]
                    if rule
                    else [],
                    "bytes_in": 0,
                    "bytes_out": 120,
                    "latency_ms": round(rng.random() * 5, 3),
                    "upstream_ms": None,
                    "upstream_error": None,
                }
                body = canonical(event)
                digest = link(prev, body)
                rows.append(Row("bulk", seq, event, body, prev, digest))
                prev = digest
            sink.write(rows, [])
    finally:
        sink.close()
