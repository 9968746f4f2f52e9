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
    clients = [f"10.0.{a}.{b}" for a in range(16) for b in range(250)]
    subjects: list[str | None] = [f"user-{n}" for n in range(3000)] + [None] * 2000
    rule_sets = [[{"guard": g, "rule": r, "mode": "enforce", "category": c, "status": s, "location": None,
                   "reason": "generated"}] for g, r, c, s in _RULES]  # fmt: skip
    try:
        for start in range(0, count, batch):
            size = min(count, start + batch) - start
            # Drawn a batch at a time: a million single draws would cost most of the fill.
            picks = zip(
                rng.choices(clients, k=size),
                rng.choices(subjects, k=size),
                rng.choices(_OPERATIONS, k=size),
                rng.choices(range(10 * len(_RULES)), k=size),  # below len(_RULES): refused (one in ten)
                rng.choices(range(5000), k=size),
                strict=True,
            )
            rows: list[Row] = []
            for seq, (client, subject, operation, refusal, latency) in enumerate(picks, start + 1):
                rules = rule_sets[refusal] if refusal < len(_RULES) else []
                needle = seq == 1
                event = {
                    "ts": round(now - span + seq * step, 6),
                    "request_id": f"r{seq:08x}",
                    "client": "10.9.9.9" if needle else client,
                    "subject": "needle" if needle else subject,
                    "key_id": None,
                    "method": "GET",
                    "path": "/api/products",
                    "route": "/api/products",
                    "operation": operation,
                    "params": None,
                    "status": _RULES[refusal][3] if rules else 200,
                    "decision": "refused" if rules else "allowed",
                    "rules": rules,
                    "bytes_in": 0,
                    "bytes_out": 120,
                    "latency_ms": latency / 1000,
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
