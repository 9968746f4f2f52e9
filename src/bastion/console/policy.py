"""The running policy: its hash and load time, each guard's mode, reload, and the explain form."""

from __future__ import annotations

import asyncio
from typing import Any

from bastion.console import actions
from bastion.console.app import Console
from bastion.console.sessions import Session
from bastion.engine import Engine
from bastion.explain import Explanation, explain, parse_headers
from bastion.hosts.admin import AdminRequest, AdminResponse
from bastion.hosts.runtime import ReloadError
from bastion.stages import STAGES


def guard_modes(engine: Engine) -> list[tuple[str, str]]:
    """(guard, enforce|monitor|off) for every request-phase stage of the table, in pipeline order.

    A stage is off when its section is absent or says `mode: off` (the stage table's own rule), or
    when its section asks for nothing (no limits, no spec to validate against).
    """
    running = set(engine.pipeline.guard_names)
    modes: dict[str, str] = {}
    for stage in STAGES:
        if stage.phase != "request" or stage.name in modes:
            continue
        section = getattr(engine.config, stage.section) if stage.section is not None else None
        mode = str(getattr(section, "mode", "enforce")) if section is not None or stage.section is None else "off"
        modes[stage.name] = mode if stage.name in running else "off"
    return list(modes.items())


class _ExplainEngines:
    """Explain runs on an engine of its own, built from the running policy: a made-up request must
    not spend the real rate limits or feed the detectors. Rebuilt when the policy changes."""

    def __init__(self) -> None:
        self._engine: Engine | None = None
        self._hash = ""

    async def get(self, running: Engine) -> Engine:
        if self._engine is None or self._hash != running.config_hash:
            self._engine = await asyncio.to_thread(Engine, running.config, source=running.source)
            self._hash = running.config_hash
        return self._engine


_ENGINES = _ExplainEngines()


async def policy(console: Console, request: AdminRequest, session: Session) -> AdminResponse:
    query = request.query
    result: Explanation | None = None
    error = None
    if query.get("target"):
        try:
            headers = parse_headers([h for h in query.get("headers", "").splitlines() if h.strip()])
            engine = await _ENGINES.get(console.engine)
            result = await explain(
                engine,
                query.get("method", "GET") or "GET",
                query["target"][:2000],
                identity_text=query.get("as") or None,
                headers=headers,
                body=query.get("body") or None,
            )
        except ValueError as exc:
            error = str(exc)
    return _render(console, session, result=result, error=error, form=query, reload=query.get("reload"))


def _render(console: Console, session: Session, **context: Any) -> AdminResponse:
    engine, runtime = console.engine, console.runtime
    return console.web.page(
        "policy.html.j2",
        session=session,
        nav="policy",
        config_hash=engine.config_hash,
        loaded_at=runtime.loaded_at,
        reloads=runtime.reloads,
        source=str(engine.source) if engine.source else None,
        can_reload=runtime.can_reload,
        modes=guard_modes(engine),
        operations=len(engine.router.operations),
        **context,
    )


async def reload(console: Console, request: AdminRequest, session: Session) -> AdminResponse:
    try:
        engine = await console.runtime.reload()
        outcome, status = f"reloaded: config {engine.config_hash}", 200
    except ReloadError as exc:
        outcome, status = f"reload refused, the running policy stays: {exc}", 422
    actions.record(
        console.engine, operator=session.operator, method=session.method, client=request.client,
        action="reload", template="/console/policy/reload", params={}, status=status,
    )  # fmt: skip
    return _render(console, session, result=None, error=None, form={}, reload=outcome, reload_status=status)
