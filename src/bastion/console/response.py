"""Incident response from the console: incidents (list, timeline, resolve), bans (list, lift) and
revocations (list, add). Each action is audited with the operator's name (`console.actions`)."""

from __future__ import annotations

from bastion.console import actions
from bastion.console.app import Console
from bastion.console.sessions import Session
from bastion.console.trail import TrailUnavailable
from bastion.hosts import admin_ops as ops
from bastion.hosts.admin import AdminError, AdminRequest, AdminResponse


def _audit(console: Console, request: AdminRequest, session: Session, action: str, template: str) -> None:
    actions.record(
        console.engine,
        operator=session.operator,
        method=session.method,
        client=request.client,
        action=action,
        template=template,
        params=request.params,
        status=200,
    )


async def incidents(console: Console, request: AdminRequest, session: Session) -> AdminResponse:
    status = request.query.get("status", "open")
    if status not in ("open", "resolved", "all"):
        status = "open"
    rows = await ops.incidents(console.engine, None if status == "all" else status)
    return console.web.page("incidents.html.j2", session=session, nav="incidents", rows=rows, status=status)


async def incident(console: Console, request: AdminRequest, session: Session) -> AdminResponse:
    try:
        found = await ops.incident(console.engine, request.params["incident_id"])
    except ops.NotFound as exc:
        raise AdminError(404, str(exc)) from None
    # The timeline: each alert, then the events it cites as evidence (stream:seq references).
    timeline = []
    for alert in found["alerts"]:
        events = []
        for ref in alert["evidence"][:20]:
            stream, _, seq = str(ref).partition(":")
            if not seq.isdigit():
                continue
            try:
                event = await console.trail.event(stream, int(seq))
            except TrailUnavailable:
                event = None
            events.append({"ref": ref, "stream": stream, "seq": seq, "event": event})
        timeline.append({**alert, "events": events})
    return console.web.page("incident.html.j2", session=session, nav="incidents", incident=found, timeline=timeline)


async def resolve(console: Console, request: AdminRequest, session: Session) -> AdminResponse:
    incident_id = request.params["incident_id"]
    note = request.form().get("note", "")[:2000]
    try:
        await ops.resolve_incident(console.engine, incident_id, note)
    except ops.NotFound as exc:
        raise AdminError(404, str(exc)) from None
    _audit(console, request, session, "resolve_incident", "/console/incidents/{incident_id}/resolve")
    return console.web.redirect(f"/console/incidents/{incident_id}")


async def bans(console: Console, request: AdminRequest, session: Session) -> AdminResponse:
    show_all = request.query.get("state") == "all"
    rows = await ops.bans(console.engine, active_only=not show_all)
    return console.web.page("bans.html.j2", session=session, nav="bans", rows=rows, show_all=show_all)


async def lift(console: Console, request: AdminRequest, session: Session) -> AdminResponse:
    text = request.params["ban_id"]
    if not text.isdigit() or len(text) > 18:
        raise AdminError(404, "no such ban")
    try:
        await ops.lift_ban(console.engine, int(text))
    except ops.NotFound as exc:
        raise AdminError(404, str(exc)) from None
    _audit(console, request, session, "lift_ban", "/console/bans/{ban_id}/lift")
    return console.web.redirect("/console/bans?lifted=" + text)


async def revocations(console: Console, request: AdminRequest, session: Session) -> AdminResponse:
    rows = await ops.revocations(console.engine)
    return console.web.page("revocations.html.j2", session=session, nav="revocations", rows=rows, error=None, form={})


async def revoke(console: Console, request: AdminRequest, session: Session) -> AdminResponse:
    form = request.form()
    kind, value, reason = form.get("kind", ""), form.get("value", "").strip(), form.get("reason", "").strip()
    ttl_text = form.get("ttl", "").strip()
    error = None
    if kind not in ("token", "key"):
        error = "kind is token or key"
    elif not value or len(value) > 8192:
        error = "give the token (or its jti or hash) or the API key id, at most 8192 characters"
    elif ttl_text and (not ttl_text.isdigit() or not 1 <= int(ttl_text) <= 10 * 365 * 86400):
        error = "ttl is a number of seconds, up to ten years"
    if error is None:
        try:
            await ops.revoke(console.engine, kind, value, int(ttl_text) if ttl_text else None,
                             (reason or f"console: {session.operator}")[:200])  # fmt: skip
        except ops.NotFound as exc:
            error = str(exc)
    if error is not None:
        rows = await ops.revocations(console.engine)
        return console.web.page(
            "revocations.html.j2", http_status=422, session=session, nav="revocations", rows=rows, error=error,
            form={"kind": kind, "reason": reason, "ttl": ttl_text},
        )  # fmt: skip
    _audit(console, request, session, "revoke", "/console/revocations")
    return console.web.redirect("/console/revocations?added=1")
