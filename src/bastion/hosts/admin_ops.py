"""What an operator can do to a running gateway, shared by the admin API (JSON) and the console
(HTML): list and lift bans, list and add revocations, list, show and resolve incidents.

Store calls are short and synchronous: they run on a worker thread, never on the event loop.
Sealed values (ban targets, incident titles and notes, alert evidence) are opened here with the
policy's key, so neither front end handles ciphertext.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson

from bastion.crypto.sealing import Sealer, SealError
from bastion.engine import Engine
from bastion.revocations import revoke_key, token_revocation


class NotFound(Exception):
    pass


def open_sealed(sealer: Sealer, sealed: str | None, associated: bytes) -> str:
    if not sealed:
        return ""
    try:
        return sealer.open(sealed, associated).decode()
    except SealError:
        return "(sealed)"


async def bans(engine: Engine, *, active_only: bool) -> list[dict[str, Any]]:
    sealer, now = Sealer(engine.keyring), engine.clock.wall()
    rows = await asyncio.to_thread(engine.store.bans, active_only=active_only)
    return [
        {
            "id": ban.id,
            "kind": ban.kind,
            "value": open_sealed(sealer, ban.value_sealed, ban.lookup.encode()),
            "created_at": ban.created_at,
            "until": ban.until,
            "offence": ban.level,
            "reason": ban.reason,
            "state": "lifted" if ban.lifted_at else "active" if ban.until > now else "expired",
        }
        for ban in rows
    ]


async def lift_ban(engine: Engine, ban_id: int) -> None:
    record = await asyncio.to_thread(engine.store.lift_ban, ban_id)
    if record is None:
        raise NotFound(f"no active ban {ban_id}")
    if engine.bans is not None:
        await engine.bans.lifted(record)  # every gateway, through the shared state


async def revocations(engine: Engine) -> list[dict[str, Any]]:
    rows = await asyncio.to_thread(engine.store.revocations_since, 0)
    return [
        {"kind": r.kind, "value": r.value, "expires_at": r.expires_at, "reason": r.reason, "created_at": r.created_at}
        for r in rows
    ]


async def revoke(engine: Engine, kind: str, value: str, ttl: int | None, reason: str) -> str:
    """Revoke a token (JWT, jti or hash) or an API key by id; the stored value is returned."""
    if kind == "key":
        if not await asyncio.to_thread(revoke_key, engine.store, value, reason):
            raise NotFound("no API key with that id")
        return value
    expires = engine.clock.wall() + ttl if ttl else None
    revocation = token_revocation(value, expires_at=expires, reason=reason)
    if engine.revocations is not None:
        await engine.revocations.revoke("token", revocation.value, expires_at=expires, reason=reason)
    else:
        await asyncio.to_thread(engine.store.add_revocation, revocation)
    return revocation.value


async def incidents(engine: Engine, status: str | None) -> list[dict[str, Any]]:
    sealer = Sealer(engine.keyring)
    rows = await asyncio.to_thread(engine.store.incidents, status)
    return [
        {
            "id": r.id,
            "status": r.status,
            "opened_at": r.opened_at,
            "updated_at": r.updated_at,
            "alerts": r.alerts,
            "title": open_sealed(sealer, r.title_sealed, b"incident-title"),
        }
        for r in rows
    ]


async def incident(engine: Engine, incident_id: str) -> dict[str, Any]:
    found = await asyncio.to_thread(engine.store.incident, incident_id)
    if found is None:
        raise NotFound("no such incident")
    record, alerts = found
    sealer = Sealer(engine.keyring)
    details = []
    for alert in alerts:
        opened = open_sealed(sealer, alert.sealed, alert.id.encode())
        parsed = orjson.loads(opened) if opened.startswith("{") else {"summary": opened}
        details.append(
            {
                "id": alert.id,
                "ts": alert.ts,
                "detector": alert.detector,
                "mode": alert.mode,
                "summary": parsed.get("summary", ""),
                "evidence": parsed.get("evidence", [])[:100],
                "responses": list(alert.responses),
            }
        )
    return {
        "id": record.id,
        "status": record.status,
        "opened_at": record.opened_at,
        "resolved_at": record.resolved_at,
        "title": open_sealed(sealer, record.title_sealed, b"incident-title"),
        "note": open_sealed(sealer, record.note_sealed, b"incident-note"),
        "alerts": details,
    }


async def resolve_incident(engine: Engine, incident_id: str, note: str) -> None:
    sealer = Sealer(engine.keyring)
    sealed = sealer.seal(note.encode(), b"incident-note") if note and sealer.available else None
    if not await asyncio.to_thread(engine.store.resolve_incident, incident_id, sealed):
        raise NotFound("no open incident with that id")
