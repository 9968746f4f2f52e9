"""The engine: the policy compiled into a pipeline, plus the services it needs at run time.

Built once per policy version. Hosts hold a reference to the current engine; a reload builds a new
one and swaps the reference, so requests in flight finish under the policy they started with.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from bastion.audit import AuditLog
from bastion.audit.alarms import AuditAlarms
from bastion.config.ingress import IngressConfig
from bastion.config.loader import load_config
from bastion.config.model import BastionConfig
from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.core.header_policy import HeaderPolicy
from bastion.core.pipeline import Committer, Finisher, Pipeline
from bastion.crypto.keyring import Keyring
from bastion.detect.service import DetectionService
from bastion.openapi.document import OpenAPIDocument, load_document
from bastion.openapi.spec import CompiledSpec
from bastion.respond.bans import BanList
from bastion.respond.notify import Notifier
from bastion.revocations import RevocationList
from bastion.routes import build_router
from bastion.services import Service
from bastion.stages import Parts, build_stages
from bastion.state.backend import StateBackend
from bastion.state.memory import MemoryBackend
from bastion.store import Store, open_store

if TYPE_CHECKING:
    from bastion.metrics import Metrics
    from bastion.websocket.service import WebSocketService

log = logging.getLogger("bastion.engine")


class Engine:
    def __init__(
        self,
        config: BastionConfig,
        *,
        source: Path | None = None,
        metrics: Metrics | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        """`clock`: every deadline of the policy (limits, bans, revocations, cooldowns, detector windows)."""
        self.config = config
        self.clock = clock
        self.source = source
        self.document: OpenAPIDocument | None = load_document(config.openapi) if config.openapi else None
        self.spec: CompiledSpec | None = None
        if self.document is not None:
            formats = config.validation.formats if config.validation is not None else True
            self.spec = CompiledSpec(self.document, formats=formats)
        self.router = build_router(config, self.document)
        self.keyring = Keyring(config.secrets)
        self.state: StateBackend = state_backend(config, clock)
        self.store: Store = open_store(config.store)
        parts = Parts(config, self.router, self.document, self.spec, self.keyring, self.store, self.state, clock)
        built = build_stages(parts)
        self.services: list[Service] = parts.services
        self.public_operations = parts.public_operations
        self.bans: BanList | None = parts.bans
        self.revocations: RevocationList | None = parts.revocations if config.authn is not None else None
        self.audit: AuditLog | None = parts.audit
        # built even with mode: off (sizes still bound memory); absent section: upgrades refused
        self.websocket: WebSocketService | None = parts.websocket if config.websocket is not None else None
        finishers: list[Finisher] = []
        committers: list[Committer] = []
        self.metrics: Metrics | None = None
        self.detection: DetectionService | None = None
        if self.audit is not None:
            finishers.append(self.audit)
            if self.audit.strict:
                committers.append(self.audit)
            if config.admin is not None:  # only the admin listener serves them (prometheus_client: 2.8 MB)
                from bastion.metrics import Metrics  # noqa: PLC0415  imported when a policy can show them

                self.metrics = metrics or Metrics()  # a reload keeps counting where the last policy stopped
                self.audit.observers.append(self.metrics.observe)
                if self.websocket is not None:
                    self.websocket.registry.metrics = self.metrics
            if config.detect is not None and config.detect.webhooks:
                self.services.append(AuditAlarms(self.audit, Notifier(config.detect.webhooks), clock))
            if config.detect is not None and self.bans is not None:
                self.detection = DetectionService(config.detect, self.audit, self.store, self.bans, self.keyring, clock)
                self.services.append(self.detection)
        graphql_errors = config.graphql is not None and config.graphql.mode != "off"  # the graphql-errors stage
        inspects = parts.inspection.active or graphql_errors
        self.pipeline = Pipeline(
            self.router,
            built.steps,
            built.response_filters,
            finishers,
            inspects_responses=inspects,
            committers=committers,
            headers=header_policy(config.ingress),
        )
        self._started = False

    def render_metrics(self) -> bytes | None:
        """Prometheus text; None without an audit stream to count from or an admin listener to serve it."""
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


def header_policy(config: IngressConfig) -> HeaderPolicy:
    return HeaderPolicy(
        refuse_underscores=config.underscore_headers == "refuse",
        allow_underscore=config.allow_underscore_headers,
        overrides=[(rule.header, rule.paths, rule.methods) for rule in config.method_override],
    )


def state_backend(config: BastionConfig, clock: Clock) -> StateBackend:
    if config.state.backend == "redis":
        from bastion.state.redis import RedisBackend  # noqa: PLC0415  lazy: the Redis client only for fleets

        return RedisBackend(config.state.redis, config.state.max_keys, clock)
    return MemoryBackend(config.state.max_keys, clock)
