"""Fuzzing: schema-aware random and hostile input; any 5xx or timeout is a finding, shrunk to a minimal case.

Hypothesis draws requests from each operation's schemas, mixes in hostile
values (format strings, control characters, huge and negative numbers, type confusion) and, when the API
fails, shrinks the request to the smallest one that still fails: that is the reproduction in the report.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException

from bastion.scan.context import Actor, ScanContext
from bastion.scan.findings import CheckInfo, Confidence, Severity
from bastion.scan.fragile import SHORT, must_stay_short, shortened
from bastion.scan.operations import Operation
from bastion.scan.points import actor_for
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.strategies import from_schema
from bastion.scan.target import Exchange, dump_json

INFO = CheckInfo(
    id="fuzz.server-error",
    title="Server error or timeout on fuzzed input",
    severity=Severity.MEDIUM,
    cwe=755,
    owasp="API8",
    remediation="Validate input before use and handle every error path: unexpected input must produce a 4xx "
    "with a problem description, never a crash.",
    bastion="validation:\n  mode: enforce\nresponses:\n  hide_errors: true    # upstream 5xx bodies never reach "
    "clients",
)
HOSTILE_TEXT = [
    "",
    " ",
    "\x00",
    "%00",
    "%s%s%s%n",
    "{{",
    "${",
    "'",
    '"',
    "\\",
    "../../../../etc/passwd",
    "A" * 5000,
    "\U0001f600" * 64,
    "\u202e",
    "\ufeff",
    "\r\n",
    "-1",
    "1e309",
    "NaN",
    "null",
    "[]",
    "<x>",
    "\ud7ff",
]
HOSTILE_ANY: list[Any] = [None, 0, -1, 2**31, 2**63, -(2**63) - 1, 1e308, -1.5, True, [], {}, [None], {"": None}]
EXAMPLES = 20  # per operation; derandomized, so two scans of the same API send the same inputs
MAX_CALLS = 40


def _strategy(schema: dict[str, Any], short: bool = False) -> st.SearchStrategy[Any]:
    texts = [t for t in HOSTILE_TEXT if len(t) <= SHORT] if short else HOSTILE_TEXT
    hostile = st.sampled_from(texts) | st.sampled_from(HOSTILE_ANY)
    valid = from_schema(schema)
    return st.one_of(valid, valid, hostile)


def request_strategy(ctx: ScanContext, op: Operation) -> st.SearchStrategy[dict[str, Any]]:
    """Parameters and body drawn from their schemas, with regex-ish fields kept short until cleared."""
    params = {
        f"{p.location}:{p.name}": _strategy(
            shortened(ctx, op.key, p.location, p.schema, p.name),
            must_stay_short(ctx, (op.key, p.location, p.name), p.schema),
        )
        for p in op.parameters
        if p.location in ("path", "query")
    }
    parts: dict[str, st.SearchStrategy[Any]] = {"params": st.fixed_dictionaries(params)}
    if op.json_body and op.body_schema is not None:
        parts["body"] = _strategy(shortened(ctx, op.key, "body", op.body_schema))
    return st.fixed_dictionaries(parts)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return dump_json(value).decode()


def send(ctx: ScanContext, op: Operation, actor: Actor, drawn: dict[str, Any]) -> Exchange:
    path_values = {k.split(":", 1)[1]: _text(v) for k, v in drawn["params"].items() if k.startswith("path:")}
    query = [(k.split(":", 1)[1], _text(v)) for k, v in drawn["params"].items() if k.startswith("query:")]
    if "body" in drawn:
        return ctx.request(op, actor, path_values=path_values, query=query, body=drawn["body"])
    return ctx.request(op, actor, path_values=path_values, query=query, body=None)


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    for op in ctx.spec.operations:
        if op.method == "DELETE" and ctx.safe:
            continue
        if not op.parameters and not op.json_body:
            continue
        actor = actor_for(ctx, op)
        report.tested(op.key)
        calls = [0]
        failures: list[tuple[int, dict[str, Any]]] = []  # (size, request), should Hypothesis give up early

        def fails(
            drawn: dict[str, Any],
            op: Operation = op,
            actor: Actor = actor,
            calls: list[int] = calls,
            failures: list[tuple[int, dict[str, Any]]] = failures,
        ) -> bool:
            if calls[0] >= MAX_CALLS or ctx.target.remaining < 50:
                return False
            calls[0] += 1
            exchange = send(ctx, op, actor, drawn)
            failed = exchange.server_error or exchange.error == "timeout"
            if failed:
                failures.append((len(dump_json(drawn)), drawn))
            return failed

        try:
            minimal = find(
                request_strategy(ctx, op),
                fails,
                settings=settings(
                    max_examples=EXAMPLES,
                    database=None,
                    deadline=None,
                    derandomize=True,
                    phases=[Phase.generate, Phase.shrink],
                    suppress_health_check=list(HealthCheck),
                ),
            )
        except HypothesisException:
            if not failures:
                continue  # nothing failed
            # The call budget ran out while shrinking: the smallest failure seen is the reproduction.
            minimal = min(failures, key=lambda f: f[0])[1]
        exchange = send(ctx, op, actor, minimal)
        if not (exchange.server_error or exchange.error == "timeout"):
            continue  # failed once, not again: flaky, not reproducible, not reported
        shown = dump_json(minimal).decode()[:600]
        report.finding(
            op.key,
            f"{op.method} {op.path} answered {exchange.status or exchange.error} to fuzzed input; the smallest "
            f"failing request found has {shown}.",
            [(exchange, "minimal failing input (shrunk by Hypothesis)")],
            confidence=Confidence.CERTAIN,
        )
