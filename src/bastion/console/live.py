"""The live tail: refusals, monitored findings and alerts as server-sent events.

The page's script opens an EventSource on /console/live/stream and can pause (it stops adding
lines; the stream keeps its place). The stream sends a comment every 15 s so proxies keep it open,
ends after `MAX_SECONDS` (the browser reconnects by itself) and when the operator's session ends.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import orjson

from bastion.console.app import Console
from bastion.console.search import mask
from bastion.console.sessions import Session
from bastion.crypto.sealing import Sealer
from bastion.hosts.admin import AdminError, AdminRequest, AdminResponse
from bastion.hosts.admin_ops import open_sealed

MAX_SECONDS = 600.0
KEEPALIVE = 15.0
ALERT_POLL = 1.0


async def page(console: Console, request: AdminRequest, session: Session) -> AdminResponse:
    return console.web.page("live.html.j2", session=session, nav="live")


async def stream(console: Console, request: AdminRequest, session: Session) -> AdminResponse:
    queue = console.feed.listen()
    if queue is None:
        raise AdminError(503, "too many live tails are open; close one")
    return AdminResponse(
        200,
        b"retry: 3000\n\n",
        "text/event-stream",
        [*console.web.security, ("x-accel-buffering", "no")],
        stream=_events(console, session, queue),
    )


def _line(event: dict[str, Any]) -> dict[str, Any]:
    rules = event.get("rules") or []
    first = rules[0] if rules else {}
    return {
        "kind": "event",
        "ts": event.get("ts"),
        "decision": event.get("decision"),
        "status": event.get("status"),
        "client": event.get("client"),
        "subject": event.get("subject"),
        "request": f"{event.get('method')} {mask(event.get('path'))}",
        "rule": first.get("rule"),
        "reason": mask(first.get("reason")),
        "link": f"/console/audit/{event.get('stream')}/{event.get('seq')}",
    }


async def _events(console: Console, session: Session, queue: asyncio.Queue[dict[str, Any]]) -> AsyncIterator[bytes]:
    clock = console.clock
    started = clock.monotonic()
    last_alert = clock.wall()
    last_sent = started
    sealer = Sealer(console.engine.keyring)
    try:
        while clock.monotonic() - started < MAX_SECONDS and console.sessions.find(session.id) is not None:
            with contextlib.suppress(TimeoutError):
                event = await asyncio.wait_for(queue.get(), ALERT_POLL)
                yield _sse(_line(event))
                last_sent = clock.monotonic()
                continue
            for alert_id, ts, detector, mode, sealed in await console.trail.alerts_since(last_alert):
                last_alert = max(last_alert, ts)
                opened = open_sealed(sealer, sealed, alert_id.encode())
                summary = orjson.loads(opened).get("summary", "") if opened.startswith("{") else opened
                yield _sse({"kind": "alert", "ts": ts, "detector": detector, "mode": mode, "summary": mask(summary)})
                last_sent = clock.monotonic()
            if clock.monotonic() - last_sent > KEEPALIVE:
                yield b": keepalive\n\n"
                last_sent = clock.monotonic()
    finally:
        console.feed.leave(queue)


def _sse(data: dict[str, Any]) -> bytes:
    return b"data: " + orjson.dumps(data) + b"\n\n"
