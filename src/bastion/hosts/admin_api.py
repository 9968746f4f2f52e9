"""The admin API: health, readiness, metrics, the running policy and its reload, bans, revocations
and incidents. Described by admin-openapi.yaml (served at /openapi.json), which the test suite
hands to `bastion scan`."""

from __future__ import annotations

import os
from importlib import resources
from typing import Literal, TypeVar

import orjson
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bastion.engine import Engine
from bastion.hosts import admin_ops as ops
from bastion.hosts.admin import AdminError, AdminRequest, AdminResponse, AdminServer, Route
from bastion.hosts.admin_metrics import refresh_gauges
from bastion.hosts.runtime import ReloadError, Runtime


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


BodyModel = TypeVar("BodyModel", bound=_Body)


class RevocationIn(_Body):
    kind: Literal["token", "key"]
    value: str = Field(min_length=1, max_length=8192, description="A JWT, a jti or token hash, or an API key id.")
    ttl: int | None = Field(None, ge=1, le=10 * 365 * 86400, description="Seconds until the entry is forgotten.")
    reason: str = Field("admin API", max_length=200)


class ResolutionIn(_Body):
    note: str = Field("", max_length=2000)


def start_admin(engine: Engine) -> AdminServer | None:
    """The admin listener of an embedded host (ASGI, WSGI), which cannot reload: its application owns the policy."""
    if engine.config.admin is None:
        return None
    return AdminServer(engine.config.admin, admin_routes(Runtime(engine)))


def admin_routes(runtime: Runtime, *, console: bool = True) -> list[Route]:
    """The admin API's routes, and the operator console's under /console/ (on the same listener)."""
    api = _AdminAPI(runtime)
    pages: list[Route] = []
    admin = runtime.engine.config.admin
    if console and admin is not None:
        from bastion.console import console_routes  # noqa: PLC0415  lazy: the console (Jinja2 pages) only when an admin listener serves it

        pages = console_routes(runtime, admin)
    return [
        *pages,
        Route("GET", "/healthz", api.healthz, public=True),
        Route("GET", "/readyz", api.readyz, public=True),
        Route("GET", "/metrics", api.metrics, read_only=True),
        Route("GET", "/openapi.json", api.openapi, public=True),  # the description is published anyway
        Route("GET", "/v1/config", api.config),
        Route("POST", "/v1/reload", api.reload),
        Route("GET", "/v1/bans", api.bans),
        Route("DELETE", "/v1/bans/{ban_id}", api.lift_ban),
        Route("GET", "/v1/revocations", api.revocations),
        Route("POST", "/v1/revocations", api.revoke),
        Route("GET", "/v1/incidents", api.incidents),
        Route("GET", "/v1/incidents/{incident_id}", api.incident),
        Route("POST", "/v1/incidents/{incident_id}/resolve", api.resolve),
    ]


class _AdminAPI:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._spec: bytes | None = None

    async def healthz(self, request: AdminRequest) -> AdminResponse:
        if not self.runtime.engine.alive:
            raise AdminError(503, "; ".join(self.runtime.engine.readiness()))
        return AdminResponse(200, b"ok\n", "text/plain")

    async def readyz(self, request: AdminRequest) -> AdminResponse:
        engine = self.runtime.engine
        if self.runtime.draining:
            raise AdminError(503, "draining: this process is shutting down")
        if problems := engine.readiness():
            raise AdminError(503, "; ".join(problems))
        return AdminResponse.json({"ready": True, "config": engine.config_hash})

    async def metrics(self, request: AdminRequest) -> AdminResponse:
        await refresh_gauges(self.runtime.engine)
        text = self.runtime.engine.render_metrics()
        if text is None:
            raise AdminError(404, "metrics come from the audit stream: turn audit on")
        return AdminResponse(200, text, "text/plain; version=0.0.4; charset=utf-8")

    async def openapi(self, request: AdminRequest) -> AdminResponse:
        if self._spec is None:
            text = resources.files("bastion.hosts").joinpath("admin-openapi.yaml").read_text(encoding="utf-8")
            self._spec = orjson.dumps(yaml.safe_load(text))
        return AdminResponse(200, self._spec)

    async def config(self, request: AdminRequest) -> AdminResponse:
        engine = self.runtime.engine
        return AdminResponse.json(
            {
                "config": engine.config_hash,
                "source": str(engine.source) if engine.source else None,
                "loaded_at": self.runtime.loaded_at,
                "reloads": self.runtime.reloads,
                "guards": list(engine.pipeline.guard_names),
                "operations": len(engine.router.operations),
                "worker": int(os.environ.get("BASTION_WORKER", "0")),
                "workers": engine.config.workers,
                "state": engine.config.state.backend,
            }
        )

    async def reload(self, request: AdminRequest) -> AdminResponse:
        try:
            engine = await self.runtime.reload()
        except ReloadError as exc:
            raise AdminError(422, f"reload refused, the running policy stays: {exc}") from None
        return AdminResponse.json({"reloaded": True, "config": engine.config_hash})

    async def bans(self, request: AdminRequest) -> AdminResponse:
        state = request.query.get("state", "active")
        if state not in ("active", "all"):
            raise AdminError(400, "state is active or all")
        return AdminResponse.json(await ops.bans(self.runtime.engine, active_only=state == "active"))

    async def lift_ban(self, request: AdminRequest) -> AdminResponse:
        ban_id = _number(request.params["ban_id"], "ban id")
        try:
            await ops.lift_ban(self.runtime.engine, ban_id)
        except ops.NotFound as exc:
            raise AdminError(404, str(exc)) from None
        return AdminResponse.json({"lifted": ban_id})

    async def revocations(self, request: AdminRequest) -> AdminResponse:
        return AdminResponse.json(await ops.revocations(self.runtime.engine))

    async def revoke(self, request: AdminRequest) -> AdminResponse:
        body = _read(RevocationIn, request)
        try:
            value = await ops.revoke(self.runtime.engine, body.kind, body.value, body.ttl, body.reason)
        except ops.NotFound as exc:
            raise AdminError(404, str(exc)) from None
        return AdminResponse.json({"revoked": body.kind, "value": value}, status=201)

    async def incidents(self, request: AdminRequest) -> AdminResponse:
        status = request.query.get("status", "open")
        if status not in ("open", "resolved", "all"):
            raise AdminError(400, "status is open, resolved or all")
        return AdminResponse.json(await ops.incidents(self.runtime.engine, None if status == "all" else status))

    async def incident(self, request: AdminRequest) -> AdminResponse:
        try:
            return AdminResponse.json(await ops.incident(self.runtime.engine, request.params["incident_id"]))
        except ops.NotFound as exc:
            raise AdminError(404, str(exc)) from None

    async def resolve(self, request: AdminRequest) -> AdminResponse:
        body = _read(ResolutionIn, request)
        incident_id = request.params["incident_id"]
        try:
            await ops.resolve_incident(self.runtime.engine, incident_id, body.note)
        except ops.NotFound as exc:
            raise AdminError(404, str(exc)) from None
        return AdminResponse.json({"resolved": incident_id})


def _read(model: type[BodyModel], request: AdminRequest) -> BodyModel:
    """The JSON body as `model`, or 422 naming each field and what is wrong with it."""
    try:
        return model.model_validate(request.json())
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors())
        raise AdminError(422, problems) from None


def _number(text: str, what: str) -> int:
    if not text.isdigit() or len(text) > 18:
        raise AdminError(404, f"no {what} {text[:20]!r}")
    return int(text)
