"""Oversharing: passwords, hashes, secrets, keys and card numbers in responses (passive).

A field name alone is not enough where the contract promises it (a login returns an `access_token` on
purpose): names are reported when the operation's response schema does not declare them, never for a
token handed out by a login, registration or token operation, and never for a value the request itself
sent (a note's `secret` echoed to the client who wrote it); values with an unmistakable shape (a card
number passing Luhn, a PEM private key, a cloud key) always are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import orjson

from bastion.scan.checks._passive import exchanges
from bastion.scan.checks.spec_secret_examples import SECRET_SHAPES
from bastion.scan.context import ScanContext
from bastion.scan.discover import is_credential_flow
from bastion.scan.findings import CheckInfo, Confidence, Phase, Severity
from bastion.scan.registry import check
from bastion.scan.reporter import Reporter
from bastion.scan.target import Exchange

INFO = CheckInfo(
    id="exposure.sensitive-data",
    title="Sensitive data in a response",
    severity=Severity.HIGH,
    cwe=200,
    owasp="API3",
    phase=Phase.PASSIVE,
    remediation="Return explicit response models that leave out credentials, hashes and secrets; never "
    "serialise storage objects directly.",
    bastion="responses:\n  mode: filter           # only fields the spec declares leave\n  sensitive:\n"
    "    fields: [password, password_hash, secret, private_key]\n    field_action: mask",
)
CRITICAL_NAME = re.compile(
    r"(?i)(pass(word|wd)?(_?hash)?|hashed_?password|secret|private_?key|salt|ssn|cvv|cvc|pin_?code)$"
)
TOKEN_NAME = re.compile(r"(?i)(api_?key|access_?key|token|refresh_?token|session_?id)$")
CARD = re.compile(r"\b(?:\d[ -]?){13,19}\b")


def luhn(digits: str) -> bool:
    total, parity = 0, len(digits) % 2
    for index, char in enumerate(digits):
        value = int(char)
        if index % 2 == parity:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def leaves(node: Any, depth: int = 0) -> Iterator[tuple[str, Any]]:
    if depth > 12:
        return
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, dict | list):
                yield from leaves(value, depth + 1)
            else:
                yield str(key), value
    elif isinstance(node, list):
        for item in node[:200]:
            yield from leaves(item, depth + 1)


def declared_names(schema: Any, depth: int = 0) -> set[str]:
    names: set[str] = set()
    if not isinstance(schema, dict) or depth > 12:
        return names
    for key in ("properties",):
        for name, sub in (schema.get(key) or {}).items():
            names.add(name)
            names |= declared_names(sub, depth + 1)
    for key in ("items", "additionalProperties"):
        names |= declared_names(schema.get(key), depth + 1)
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key) or []:
            names |= declared_names(sub, depth + 1)
    return names


@check(INFO)
def run(ctx: ScanContext, report: Reporter) -> None:
    operations = {op.key: op for op in ctx.spec.operations}
    for operation, exchange in exchanges(ctx, report):
        if not exchange.ok or report.has(operation):
            continue
        op = operations.get(operation)
        declared = declared_names(op.responses.get(str(exchange.status)) if op else None)
        hits = []
        sent = _sent_values(exchange)
        issues_tokens = op is not None and is_credential_flow(op)
        for key, value in leaves(exchange.json):
            if (
                not isinstance(value, str)
                or not value
                or value in sent
                or any(value in v for v in sent if len(value) >= 8)
            ):
                continue
            if CRITICAL_NAME.search(key) and key not in declared:
                hits.append((key, Severity.HIGH))
            elif TOKEN_NAME.search(key) and key not in declared and op is not None and not issues_tokens:
                hits.append((key, Severity.MEDIUM))
        text = exchange.text
        for match in CARD.finditer(text[:200_000]):
            digits = re.sub(r"\D", "", match.group(0))
            if 13 <= len(digits) <= 19 and luhn(digits) and len(set(digits)) > 2:
                hits.append(("a payment card number", Severity.HIGH))
                break
        for name, pattern in SECRET_SHAPES.items():
            if name != "JSON Web Token" and pattern.search(text):
                hits.append((f"a {name}", Severity.HIGH))
        if hits:
            names = sorted({h[0] for h in hits})
            report.finding(
                operation,
                f"{exchange.method} {exchange.path} returned {', '.join(names)} (status {exchange.status}).",
                [(exchange, "response with sensitive values (masked here)")],
                severity=max(h[1] for h in hits),
                confidence=Confidence.CERTAIN,
            )


def _echoed(value: str, sent: set[str]) -> bool:
    return value in sent or (len(value) >= 8 and any(value in text for text in sent))


def _sent_values(exchange: Exchange) -> set[str]:
    """The strings the request itself carried (decoded): a value the client sent is not a leak."""
    raw = exchange.request_body or b""
    try:
        data = orjson.loads(raw) if raw[:1] in (b"{", b"[") else None
    except orjson.JSONDecodeError:
        data = None
    out = {v for _, v in leaves(data) if isinstance(v, str)} if data is not None else set()
    if raw:
        out.add(raw.decode("utf-8", errors="replace"))
    return out
