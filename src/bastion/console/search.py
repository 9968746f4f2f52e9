"""Audit search (the filters of `bastion audit search`, paginated) and one event's decision trail."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import urlencode

from bastion.config.units import parse_duration
from bastion.console.app import Console
from bastion.console.sessions import Session
from bastion.console.trail import TrailUnavailable
from bastion.hosts.admin import AdminError, AdminRequest, AdminResponse
from bastion.store.audit_queries import EQUALITY_FILTERS, AuditQuery, Cursor

FILTERS = (*EQUALITY_FILTERS, "rule")
DECISIONS = ("", "allowed", "refused", "monitored", "error")
# Events never hold credentials (the renderer redacts them); this is a second net for anything that
# looks like one in a reason or a path, should a guard ever quote what it saw.
_SECRETS = (
    (re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"), "(masked token)"),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 (masked)"),
    (re.compile(r"\b(?:bst|sk|pk|key)_[A-Za-z0-9_]{16,}"), "(masked key)"),
)


def mask(text: Any) -> Any:
    if not isinstance(text, str):
        return text
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


def _filters(request: AdminRequest) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in FILTERS:
        value = request.query.get(name, "").strip()
        if not value:
            continue
        if len(value) > 200:
            raise AdminError(400, f"{name} is limited to 200 characters")
        if name == "status":
            if not value.isdigit() or not 100 <= int(value) <= 599:
                raise AdminError(400, "status is an HTTP status code")
            found[name] = int(value)
        elif name == "method":
            found[name] = value.upper()
        else:
            found[name] = value
    return found


async def search(console: Console, request: AdminRequest, session: Session) -> AdminResponse:
    since_text = request.query.get("since", "1h") or "1h"
    try:
        since = console.clock.wall() - parse_duration(since_text)
    except ValueError:
        raise AdminError(400, "since is a duration: 15m, 1h, 7d") from None
    filters = _filters(request)
    before = Cursor.decode(request.query["before"]) if request.query.get("before") else None
    page = None
    error = None
    started = time.perf_counter()
    try:
        page = await console.trail.search(AuditQuery(since=since, filters=filters, before=before, limit=50))
    except TrailUnavailable as exc:
        error = str(exc)
    elapsed_ms = (time.perf_counter() - started) * 1000
    kept = {"since": since_text, **{k: str(v) for k, v in filters.items()}}
    older = None
    if page is not None and page.next is not None and console.trail.pages:
        older = "/console/audit?" + urlencode({**kept, "before": page.next.encode()})
    return console.web.page(
        "search.html.j2",
        session=session,
        nav="audit",
        since=since_text,
        filters=filters,
        decisions=DECISIONS,
        events=[_row(e) for e in page.events] if page else [],
        older=older,
        newest="/console/audit?" + urlencode(kept) if before else None,
        error=error,
        elapsed_ms=elapsed_ms,
    )


def _row(event: dict[str, Any]) -> dict[str, Any]:
    rules = " ".join(r.get("rule", "") for r in event.get("rules") or [])
    return {**event, "path": mask(event.get("path")), "rule_list": rules}


async def event(console: Console, request: AdminRequest, session: Session) -> AdminResponse:
    stream, seq_text = request.params["stream"], request.params["seq"]
    if not seq_text.isdigit() or len(seq_text) > 18:
        raise AdminError(404, "no such event")
    try:
        found = await console.trail.event(stream, int(seq_text))
    except TrailUnavailable as exc:
        raise AdminError(404, str(exc)) from None
    if found is None:
        raise AdminError(404, "no such event")
    rules = [{**rule, "reason": mask(rule.get("reason")), "location": mask(rule.get("location"))}
             for rule in found.get("rules") or []]  # fmt: skip
    same = {}
    for name in ("client", "subject"):
        if found.get(name):
            same[name] = "/console/audit?" + urlencode({"since": "24h", name: found[name]})
    return console.web.page(
        "event.html.j2",
        session=session,
        nav="audit",
        event={**found, "path": mask(found.get("path"))},
        rules=rules,
        same=same,
    )
