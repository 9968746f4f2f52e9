"""The engine: the policy compiled into a pipeline, plus the services it needs at run time.

Built once per policy version. Hosts hold a reference to the current engine; a reload builds a new
one and swaps the reference, so requests in flight finish under the policy they started with.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Protocol

import orjson

from bastion.audit import AuditCapacity, AuditLog, open_sinks
from bastion.audit.alarms import AuditAlarms
from bastion.config.loader import load_config
from bastion.config.model import BastionConfig
from bastion.core.pipeline import Committer, Finisher, Guard, Pipeline, ResponseFilter
from bastion.core.routing import Router
from bastion.crypto.keyring import Keyring
from bastion.detect.service import DetectionService
from bastion.egress.cors import CORSPolicy
from bastion.egress.errors import ErrorSanitizer
from bastion.egress.hygiene import ResponseHygiene
from bastion.egress.inspection import ResponseInspection
from bastion.guards.authn import AuthnGuard
from bastion.guards.authz import AuthzGuard, HideExistence
from bastion.guards.graphql import GraphQLGuard
from bastion.guards.graphql.errors import GraphQLErrorFilter
from bastion.guards.ingress import IngressGuard
from bastion.guards.validation import ValidationGuard
from bastion.guards.waf import WAFGuard
from bastion.metrics import Metrics
from bastion.openapi.document import OpenAPIDocument, load_document
from bastion.openapi.spec import CompiledSpec
from bastion.ratelimit import MemoryLimiter, RateLimitGuard
from bastion.ratelimit.guard import Limiter
from bastion.ratelimit.redis import RedisLimiter
from bastion.respond.bans import BanGuard, BanList
from bastion.respond.notify import Notifier
from bastion.revocations import RevocationList
from bastion.routes import build_router
from bastion.state.backend import StateBackend
from bastion.state.memory import MemoryBackend
from bastion.state.redis import RedisBackend
from bastion.store import Store, open_store

log = logging.getLogger("bastion.engine")


class Service(Protocol):
    """Something with background work (key refresh, sync loops) started and stopped with the engine."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class Engine:
    def __init__(self, config: BastionConfig, *, source: Path | None = None, metrics: Metrics | None = None) -> None:
        self.config = config
        self.source = source
        self.document: OpenAPIDocument | None = load_document(config.openapi) if config.openapi else None
        self.spec: CompiledSpec | None = None
        if self.document is not None:
            formats = config.validation.formats if config.validation is not None else True
            self.spec = CompiledSpec(self.document, formats=formats)
        self.router = build_router(config, self.document)
        self.keyring = Keyring(config.secrets)
        self.state: StateBackend = (
            RedisBackend(config.state.redis, config.state.max_keys)
            if config.state.backend == "redis"
            else MemoryBackend(config.state.max_keys)
        )
        self.store: Store = open_store(config.store)
        self.revocations: RevocationList | None = None
        self.services: list[Service] = []

        steps: list[tuple[str, Guard, str]] = []
        cors = CORSPolicy(config.cors) if config.cors is not None else None
        if cors is not None:
            steps.append(("cors", cors, "enforce"))  # preflights are answered before anything else
        steps.append(("ingress", IngressGuard(config.ingress), config.ingress.mode))
        self.bans: BanList | None = None
        if config.detect is not None:
            self.bans = BanList(self.store, config.state, config.detect.bans, self.keyring)
            self.services.append(self.bans)
            steps.append(("bans", BanGuard(self.bans, ("ip",)), "enforce"))  # addresses, before any other work
        self.public_operations = public_operations(config, self.router, self.document)
        response_filters: list[ResponseFilter] = []
        if config.authn is not None:
            shared = config.state.redis if config.state.backend == "redis" else None
            self.revocations = RevocationList(self.store, config.state.sync_interval, shared)
            self.services.append(self.revocations)
            authn = AuthnGuard(
                config.authn,
                public_operations=self.public_operations,
                keyring=self.keyring,
                key_store=self.store,
                revocations=self.revocations,
                state=self.state,
            )
            self.services.append(authn)
            steps.append(("authn", authn, config.authn.mode))
        if self.bans is not None:
            steps.append(("bans", BanGuard(self.bans, ("subject", "key")), "enforce"))  # identities, once known
        graphql_errors: GraphQLErrorFilter | None = None
        if config.graphql is not None and config.graphql.mode != "off":
            # Before the rate limiter and the WAF: they read the operation names, cost and argument values.
            graphql = GraphQLGuard(config.graphql, config.authz, config.upstream.url if config.upstream else None)
            steps.append(("graphql", graphql, config.graphql.mode))
            graphql_errors = GraphQLErrorFilter(
                graphql.paths, suggestions=config.graphql.strip_suggestions, debug=config.responses.hide_errors
            )
        if config.ratelimit is not None and config.ratelimit.limits:
            steps.append(("ratelimit", RateLimitGuard(config.ratelimit, self._limiter(config)), config.ratelimit.mode))
        if config.authz is not None:
            authz = AuthzGuard(config.authz, self.router, self.document, self.public_operations)
            self.services.append(authz)
            steps.append(("authz", authz, config.authz.mode))
            if config.authz.hide_existence:
                response_filters.append(HideExistence(authz.object_level_operations))
        if config.validation is not None and self.spec is not None:
            steps.append(("validate", ValidationGuard(config.validation, self.spec), config.validation.mode))
        if config.waf is not None and config.waf.mode != "off":
            steps.append(("waf", WAFGuard(config.waf), config.waf.mode))

        inspection = ResponseInspection(config.responses, self.spec)
        if inspection.active:
            response_filters.insert(0, inspection)
        if graphql_errors is not None:
            response_filters.insert(0, graphql_errors)  # before inspection: a cleaned error is no leak
        if config.responses.hide_errors:
            response_filters.append(ErrorSanitizer(config.responses))
        response_filters.append(ResponseHygiene(config.responses))
        if cors is not None:
            response_filters.append(cors)
        finishers: list[Finisher] = []
        committers: list[Committer] = []
        self.audit: AuditLog | None = None
        self.metrics: Metrics | None = None
        self.detection: DetectionService | None = None
        if config.audit is not None:
            self.audit = AuditLog(config.audit, lambda: open_sinks(config), self.keyring)
            self.services.append(self.audit)
            finishers.append(self.audit)
            if self.audit.strict:
                committers.append(self.audit)
            if config.audit.on_full == "refuse" or self.audit.strict:
                steps.insert(0, ("audit", AuditCapacity(self.audit), "enforce"))
            self.metrics = metrics or Metrics()  # a reload keeps counting where the last policy stopped
            self.audit.observers.append(self.metrics.observe)
            if config.detect is not None and config.detect.webhooks:
                self.services.append(AuditAlarms(self.audit, Notifier(config.detect.webhooks)))
            if config.detect is not None and self.bans is not None:
                self.detection = DetectionService(config.detect, self.audit, self.store, self.bans, self.keyring)
                self.services.append(self.detection)
        self.pipeline = Pipeline(
            self.router,
            steps,
            response_filters,
            finishers,
            inspects_responses=inspection.active or graphql_errors is not None,
            committers=committers,
        )
        self._started = False

    def render_metrics(self) -> bytes | None:
        """Prometheus text, or None when there is no audit stream to count from."""
        if self.metrics is None:
            return None
        if self.audit is not None:
            self.metrics.sample_audit(self.audit)
        if self.detection is not None:
            self.metrics.alerts.set(self.detection.alerts)
        return self.metrics.render()

    def readiness(self) -> list[str]:
        """Why this process should not be sent traffic now (events cannot be made durable); empty when ready."""
        return self.audit.problems() if self.audit is not None else []

    @property
    def alive(self) -> bool:
        """False when this process can no longer do its job and should be restarted (a dead audit writer)."""
        return self.audit is None or self.audit.health.alive

    def _limiter(self, config: BastionConfig) -> Limiter:
        if config.state.backend == "redis":
            limiter = RedisLimiter(config.state.redis, config.state.max_keys)
            self.services.append(limiter)
            return limiter
        return MemoryLimiter(config.state.max_keys)

    @property
    def config_hash(self) -> str:
        """Identifies the running policy (admin API, audit) without revealing it."""
        blob = orjson.dumps(self.config.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS)
        return hashlib.sha256(blob).hexdigest()[:16]

    async def start(self) -> None:
        if self._started:
            return
        self._started = True
        for service in self.services:
            await service.start()

    async def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        for service in reversed(self.services):
            try:
                await service.stop()
            except Exception:
                log.exception("stopping %s failed", type(service).__name__)
        await self.state.close()


def engine_for(config: str | Path | BastionConfig | Engine) -> Engine:
    """What an embedded host (ASGI, WSGI) is handed: an engine, a parsed policy, or a policy file."""
    if isinstance(config, Engine):
        return config
    if isinstance(config, BastionConfig):
        return Engine(config)
    return Engine(load_config(config), source=Path(config))


def public_operations(config: BastionConfig, router: Router, document: OpenAPIDocument | None) -> set[str]:
    """Operations that need no identity: listed in authn.public, or declared so by the spec.

    Only an explicit `security: []` (or a requirement list holding `{}`) makes a spec operation
    public; an operation that says nothing requires authentication (deny by default).
    """
    if config.authn is None:
        return set()
    public = set(config.authn.public)
    unknown = public - set(router.operations)
    if unknown:
        log.warning("authn.public names operations the routes do not have: %s", ", ".join(sorted(unknown)))
    if config.authn.spec_security and document is not None:
        global_security = document.data.get("security")
        for op in router.operations.values():
            security = op.spec.get("security", global_security) if op.spec is not None else None
            if isinstance(security, list) and (not security or {} in security):
                public.add(op.id)
    return public
