"""A large audit trail made quickly: real events, chained and written through the real SQLite sink."""

from __future__ import annotations

import random
import sqlite3
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


def fill(path: Path, count: int, *, now: float, span: float = 86_400.0, seed: int = 7, batch: int = 20_000) -> None:  # noqa: PLR0913  keyword-only: the shape of the generated trail
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


def fill_fast(path: Path, count: int, *, now: float, span: float = 86_400.0) -> None:
    """The same kind of trail as `fill`, generated inside SQLite (seconds for a million events).

    The table comes from the real sink's schema; rows are made by a recursive query with values
    spread by arithmetic (deterministic), and the event JSON by SQLite's json_object, in the shape
    the writer renders. The chain columns hold placeholders: searches never read them.
    """
    SQLiteSink(path).close()  # creates the schema
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("BEGIN")
        db.execute(
            """
            WITH RECURSIVE n(seq) AS (SELECT 1 UNION ALL SELECT seq + 1 FROM n WHERE seq < :count),
            drawn AS (
                SELECT seq,
                       round(:start + seq * :step, 6) AS ts,
                       CASE WHEN seq = 1 THEN '10.9.9.9'
                            ELSE '10.0.' || (seq * 7 % 16) || '.' || (seq * 13 % 250) END AS client,
                       CASE WHEN seq = 1 THEN 'needle'
                            WHEN seq % 5 < 3 THEN 'user-' || (seq * 31 % 3000) END AS subject,
                       CASE seq * 11 % 8 WHEN 0 THEN 'listProducts' WHEN 1 THEN 'getProduct' WHEN 2 THEN 'getMe'
                            WHEN 3 THEN 'createOrder' WHEN 4 THEN 'getOrder' WHEN 5 THEN 'login'
                            WHEN 6 THEN 'searchProducts' END AS operation,
                       CASE WHEN seq % 10 = 3 THEN seq / 10 % 5 END AS refusal
                FROM n
            ),
            ruled AS (
                SELECT *,
                       CASE refusal WHEN 0 THEN 'waf' WHEN 1 THEN 'authn' WHEN 2 THEN 'authz' WHEN 3 THEN 'ratelimit'
                            WHEN 4 THEN 'validate' END AS guard,
                       CASE refusal WHEN 0 THEN 'waf.sqli.union' WHEN 1 THEN 'authn.missing' WHEN 2 THEN 'authz.denied'
                            WHEN 3 THEN 'ratelimit.per-ip' WHEN 4 THEN 'validation.body' END AS rule,
                       CASE refusal WHEN 0 THEN 403 WHEN 1 THEN 401 WHEN 2 THEN 403 WHEN 3 THEN 429 WHEN 4 THEN 422
                            ELSE 200 END AS status
                FROM drawn
            )
            INSERT INTO audit_events
                (stream, seq, ts, request_id, client, subject, method, path, operation, status, decision, rules,
                 event, prev, hash)
            SELECT 'bulk', seq, ts, printf('r%08x', seq), client, subject, 'GET', '/api/products', operation, status,
                   CASE WHEN rule IS NULL THEN 'allowed' ELSE 'refused' END, COALESCE(rule, ''),
                   json_object(
                       'ts', ts, 'request_id', printf('r%08x', seq), 'client', client, 'subject', subject,
                       'key_id', NULL, 'method', 'GET', 'path', '/api/products', 'route', '/api/products',
                       'operation', operation, 'params', NULL, 'status', status,
                       'decision', CASE WHEN rule IS NULL THEN 'allowed' ELSE 'refused' END,
                       'rules', CASE WHEN rule IS NULL THEN json_array() ELSE json_array(json_object(
                           'guard', guard, 'rule', rule, 'mode', 'enforce', 'category', guard, 'status', status,
                           'location', NULL, 'reason', 'generated')) END,
                       'bytes_in', 0, 'bytes_out', 120, 'latency_ms', (seq * 37 % 5000) / 1000.0,
                       'upstream_ms', NULL, 'upstream_error', NULL),
                   '', ''
            FROM ruled
            """,
            {"count": count, "start": now - span, "step": span / count},
        )
        db.execute("COMMIT")
    finally:
        db.close()
