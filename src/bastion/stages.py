"""The pipeline's stages as one table: which guard runs, in which order, configured by which section.

Adding a guard means one row here and its own folder under `guards/`. A row names the policy section
that configures it (its `mode`, when it has one, is the step's mode; an absent section or `mode: off`
leaves the stage out, decided here and nowhere else) and a factory that builds the guard or response
filter from `Parts`, the engine's shared services. A factory returns None when its section is present
but asks for nothing (no limits, no spec to validate against).

Order matters and is the point of the table:
- `audit` first: with `on_full: refuse` or strict durability, nothing is worth doing if the trail
  cannot record it;
- `cors` answers preflights before any other work;
- address bans before authentication (cheap, and a banned client gets nothing), identity bans after;
- `graphql` right after authentication: the rate limiter (operation names, cost) and the WAF
  (argument values rather than document syntax) read what it learned;
- `websocket` after authorization: a handshake's socket slot is taken only for an identity allowed
  on the route, and given back when a later guard refuses it;
- response filters: GraphQL errors are cleaned before inspection (a cleaned error is no leak),
  security headers and CORS headers last.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Literal, TypeVar, cast

from bastion.audit import AuditLog, open_sinks
from bastion.config.model import BastionConfig
from bastion.core.clock import SYSTEM_CLOCK, Clock
from bastion.core.pipeline import Guard, ResponseFilter
from bastion.core.routing import Router
from bastion.crypto.keyring import Keyring
from bastion.egress.errors import ErrorSanitizer
from bastion.egress.hygiene import ResponseHygiene
from bastion.egress.inspection import ResponseInspection
from bastion.guards.audit.guard import AuditCapacity
from bastion.guards.authn.guard import AuthnGuard
from bastion.guards.authz.guard import AuthzGuard, HideExistence
from bastion.guards.bans.guard import BanGuard
from bastion.guards.cors.guard import CORSPolicy
from bastion.guards.ingress.guard import IngressGuard
from bastion.guards.ratelimit.guard import InstantRateLimitGuard, Limiter, RateLimitGuard
from bastion.guards.ratelimit.memory import MemoryLimiter
from bastion.guards.validation.guard import ValidationGuard
from bastion.guards.waf import WAFGuard
from bastion.openapi.document import OpenAPIDocument
from bastion.openapi.spec import CompiledSpec
from bastion.respond.bans import BanList
from bastion.revocations import RevocationList
from bastion.services import Service
from bastion.state.backend import StateBackend
from bastion.store import Store

if TYPE_CHECKING:
    from bastion.guards.graphql.guard import GraphQLGuard
    from bastion.websocket.service import WebSocketService

log = logging.getLogger("bastion.engine")

Phase = Literal["request", "response"]
StepMode = Literal["enforce", "monitor"]
S = TypeVar("S", bound=Service)


class Parts:
    """What stages are built from: the policy and the services the engine shares between them.

    Shared services are made on first use (a ban list only when detection is configured), in the
    order the table asks for them, and registered so that the engine starts and stops them.
    """

    def __init__(  # noqa: PLR0913  built once: the parts every stage factory draws from
        self,
        config: BastionConfig,
        router: Router,
        document: OpenAPIDocument | None,
        spec: CompiledSpec | None,
        keyring: Keyring,
        store: Store,
        state: StateBackend,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self.clock = clock
        self.config = config
        self.router = router
        self.document = document
        self.spec = spec
        self.keyring = keyring
        self.store = store
        self.state = state
        self.services: list[Service] = []
        self.public_operations = public_operations(config, router, document)

    def service(self, service: S) -> S:
        self.services.append(service)
        return service

    @cached_property
    def bans(self) -> BanList | None:
        config = self.config
        if config.detect is None:
            return None
        return self.service(BanList(self.store, config.state, config.detect.bans, self.keyring, self.clock))

    @cached_property
    def revocations(self) -> RevocationList:
        state = self.config.state
        shared = state.redis if state.backend == "redis" else None  # hosts with stores of their own share them
        return self.service(RevocationList(self.store, state.sync_interval, self.clock, shared))

    @cached_property
    def audit(self) -> AuditLog | None:
        config = self.config
        if config.audit is None:
            return None
        return self.service(AuditLog(config.audit, lambda: open_sinks(config), self.keyring, self.clock))

    @cached_property
    def cors(self) -> CORSPolicy | None:
        return CORSPolicy(self.config.cors) if self.config.cors is not None else None

    @cached_property
    def graphql(self) -> GraphQLGuard:
        config = self.config
        assert config.graphql is not None
        from bastion.guards.graphql.guard import GraphQLGuard  # noqa: PLC0415  lazy: graphql-core only when the policy has graphql:

        upstream = config.upstream.url if config.upstream else None
        return GraphQLGuard(config.graphql, config.authz, upstream)

    @cached_property
    def authz(self) -> AuthzGuard:
        assert self.config.authz is not None
        return self.service(
            AuthzGuard(self.config.authz, self.router, self.document, self.public_operations, self.clock)
        )

    @cached_property
    def waf(self) -> WAFGuard:
        config = self.config.waf
        assert config is not None
        return WAFGuard(config)

    @cached_property
    def websocket(self) -> WebSocketService:
        """The sockets' message policy reuses the guards the HTTP side built (same WAF, same graphql guard)."""
        config = self.config
        assert config.websocket is not None
        from bastion.websocket.policy import MessagePolicy  # noqa: PLC0415  lazy: the WebSocket stack only when the policy has websocket:
        from bastion.websocket.registry import SessionRegistry  # noqa: PLC0415  lazy: the WebSocket stack only when the policy has websocket:
        from bastion.websocket.service import WebSocketService  # noqa: PLC0415  lazy: the WebSocket stack only when the policy has websocket:

        waf_mode = config.websocket.waf or (config.waf.mode if config.waf is not None else "off")
        graphql_mode = config.graphql.mode if config.graphql is not None else "off"
        messages = MessagePolicy(
            config.websocket,
            self.clock,
            waf=self.waf if config.waf is not None and waf_mode != "off" else None,
            waf_mode=waf_mode,
            graphql=self.graphql if graphql_mode != "off" else None,
            graphql_mode=graphql_mode,
            revocations=self.revocations if config.authn is not None else None,
        )
        registry = SessionRegistry(config.websocket.check_interval, self.clock)
        return self.service(WebSocketService(config.websocket, messages, registry))

    @cached_property
    def inspection(self) -> ResponseInspection:
        return ResponseInspection(self.config.responses, self.spec)

    def limiter(self) -> Limiter:
        config = self.config
        if config.state.backend == "redis":
            from bastion.guards.ratelimit.redis import RedisLimiter  # noqa: PLC0415  lazy: the Redis client only for fleets

            return self.service(RedisLimiter(config.state.redis, config.state.max_keys, self.clock))
        return MemoryLimiter(config.state.max_keys, self.clock)


# -- request phase ---------------------------------------------------------------------------------
def _audit_capacity(parts: Parts) -> Guard | None:
    audit = parts.audit
    if audit is None or parts.config.audit is None or (parts.config.audit.on_full != "refuse" and not audit.strict):
        return None
    return AuditCapacity(audit)


def _cors(parts: Parts) -> CORSPolicy | None:
    return parts.cors


def _ingress(parts: Parts) -> Guard:
    authn = parts.config.authn
    keys = [m.api_key.header for m in authn.methods if m.api_key is not None] if authn is not None else []
    return IngressGuard(parts.config.ingress, credential_headers=keys)


def _address_bans(parts: Parts) -> Guard | None:
    return BanGuard(parts.bans, ("ip",)) if parts.bans is not None else None


def _identity_bans(parts: Parts) -> Guard | None:
    if parts.bans is None or parts.config.authn is None:
        return None
    return BanGuard(parts.bans, ("subject", "key"))


def _authn(parts: Parts) -> Guard:
    config = parts.config
    assert config.authn is not None
    return parts.service(
        AuthnGuard(
            config.authn,
            public_operations=parts.public_operations,
            keyring=parts.keyring,
            key_store=parts.store,
            revocations=parts.revocations,
            state=parts.state,
            clock=parts.clock,
        )
    )


def _graphql(parts: Parts) -> Guard:
    return parts.graphql


def _ratelimit(parts: Parts) -> Guard | None:
    config = parts.config.ratelimit
    assert config is not None
    if not config.limits:
        return None
    limiter = parts.limiter()
    if isinstance(limiter, MemoryLimiter) and not any(limit.delay for limit in config.limits):
        return InstantRateLimitGuard(config, limiter, parts.clock)  # nothing awaits: a synchronous step
    return RateLimitGuard(config, limiter, parts.clock)


def _authz(parts: Parts) -> Guard:
    return parts.authz


def _validation(parts: Parts) -> Guard | None:
    config = parts.config.validation
    assert config is not None
    return ValidationGuard(config, parts.spec) if parts.spec is not None else None


def _waf(parts: Parts) -> Guard:
    return parts.waf


def _websocket(parts: Parts) -> Guard:
    from bastion.guards.websocket.guard import WebSocketGuard  # noqa: PLC0415  lazy: wsproto only when the policy has websocket:

    return WebSocketGuard(parts.websocket, parts.config.cors)


# -- response phase --------------------------------------------------------------------------------
def _graphql_errors(parts: Parts) -> ResponseFilter:
    config = parts.config
    assert config.graphql is not None
    from bastion.guards.graphql.errors import GraphQLErrorFilter  # noqa: PLC0415  lazy: only a policy with graphql: filters GraphQL errors

    return GraphQLErrorFilter(
        parts.graphql.paths, suggestions=config.graphql.strip_suggestions, debug=config.responses.hide_errors
    )


def _inspection(parts: Parts) -> ResponseFilter | None:
    return parts.inspection if parts.inspection.active else None


def _hide_existence(parts: Parts) -> ResponseFilter | None:
    config = parts.config.authz
    assert config is not None
    return HideExistence(parts.authz.object_level_operations) if config.hide_existence else None


def _error_sanitizer(parts: Parts) -> ResponseFilter | None:
    responses = parts.config.responses
    return ErrorSanitizer(responses) if responses.hide_errors else None


def _hygiene(parts: Parts) -> ResponseFilter:
    return ResponseHygiene(parts.config.responses)


def _cors_headers(parts: Parts) -> ResponseFilter | None:
    return parts.cors


@dataclass(frozen=True, slots=True)
class Stage:
    name: str
    section: str | None  # the policy section that turns it on and sets its mode; None: always there
    build: Callable[[Parts], object]  # a Guard (request phase) or a ResponseFilter (response phase), or None
    phase: Phase = "request"


STAGES: tuple[Stage, ...] = (
    Stage("audit", "audit", _audit_capacity),
    Stage("cors", "cors", _cors),
    Stage("ingress", "ingress", _ingress),
    Stage("bans", "detect", _address_bans),
    Stage("authn", "authn", _authn),
    Stage("bans", "detect", _identity_bans),
    Stage("graphql", "graphql", _graphql),
    Stage("ratelimit", "ratelimit", _ratelimit),
    Stage("authz", "authz", _authz),
    Stage("websocket", "websocket", _websocket),
    Stage("validate", "validation", _validation),
    Stage("waf", "waf", _waf),
    Stage("graphql-errors", "graphql", _graphql_errors, "response"),
    Stage("inspection", "responses", _inspection, "response"),
    Stage("hide-existence", "authz", _hide_existence, "response"),
    Stage("errors", "responses", _error_sanitizer, "response"),
    Stage("hygiene", None, _hygiene, "response"),
    Stage("cors", "cors", _cors_headers, "response"),
)


@dataclass(frozen=True, slots=True)
class BuiltStages:
    steps: list[tuple[str, Guard, StepMode]]
    response_filters: list[ResponseFilter]


def build_stages(parts: Parts, stages: tuple[Stage, ...] = STAGES) -> BuiltStages:
    """Every stage whose section is present and not `off`, built in table order."""
    steps: list[tuple[str, Guard, StepMode]] = []
    filters: list[ResponseFilter] = []
    for stage in stages:
        section = getattr(parts.config, stage.section) if stage.section is not None else None
        if stage.section is not None and section is None:
            continue
        mode = getattr(section, "mode", "enforce") if stage.phase == "request" else "enforce"
        if mode == "off":
            continue
        built = stage.build(parts)
        if built is None:
            continue
        if stage.phase == "response":
            if not hasattr(built, "on_head"):
                raise TypeError(f"stage {stage.name} built {type(built).__name__}, not a response filter")
            filters.append(cast(ResponseFilter, built))
        else:
            if not hasattr(built, "check"):
                raise TypeError(f"stage {stage.name} built {type(built).__name__}, not a guard")
            steps.append((stage.name, cast(Guard, built), "monitor" if mode == "monitor" else "enforce"))
    return BuiltStages(steps, filters)


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
