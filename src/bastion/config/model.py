"""The whole policy file as one typed tree; every feature adds its section here."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from bastion.config.admin import AdminConfig
from bastion.config.audit import AuditConfig
from bastion.config.authn import AuthnConfig
from bastion.config.authz import AuthzConfig
from bastion.config.base import ConfigPath, Section
from bastion.config.cors import CORSConfig
from bastion.config.detect import DetectConfig
from bastion.config.extauthz import ExtAuthzConfig
from bastion.config.graphql import GraphQLConfig
from bastion.config.ingress import IngressConfig
from bastion.config.listen import ListenConfig
from bastion.config.ratelimit import RateLimitConfig
from bastion.config.responses import ResponsesConfig
from bastion.config.routes import RouteConfig
from bastion.config.secrets import SecretsConfig
from bastion.config.state import StateConfig, StoreConfig
from bastion.config.upstream import UpstreamConfig
from bastion.config.validation import ValidationConfig
from bastion.config.waf import WAFConfig
from bastion.config.websocket import WebSocketConfig


class LogConfig(Section):
    """Bastion's own log (not the audit trail)."""

    level: Literal["debug", "info", "warning", "error"] = "info"
    format: Literal["text", "json"] = Field("text", description="json for log pipelines.")


class BastionConfig(Section):
    """Root of bastion.yaml."""

    listen: ListenConfig = Field(default_factory=ListenConfig)
    workers: int = Field(1, ge=1, le=256, description="Gateway processes sharing the listening socket.")
    mode: Literal["proxy", "ext-authz"] = Field(
        "proxy", description="proxy: forward to upstream; ext-authz: answer nginx auth_request / Envoy ext_authz."
    )
    extauthz: ExtAuthzConfig = Field(default_factory=ExtAuthzConfig)
    upstream: UpstreamConfig | None = Field(None, description="The API to protect (reverse-proxy mode).")
    openapi: ConfigPath | None = Field(
        None, description="OpenAPI 3.0/3.1 description: routes, operation names, validation."
    )
    routes: list[RouteConfig] | None = Field(
        None, description="Known routes when no OpenAPI description is given; anything else gets 404."
    )
    secrets: SecretsConfig = Field(default_factory=SecretsConfig)
    state: StateConfig = Field(default_factory=StateConfig)
    store: StoreConfig = Field(default_factory=lambda: StoreConfig.model_validate({}))

    @model_validator(mode="before")
    @classmethod
    def _store_beside_the_policy(cls, data: object) -> object:
        # Validate the default store and audit sections too, so their relative paths (the store, the
        # audit spool and JSON lines) resolve beside the policy file, not in the working directory.
        if isinstance(data, dict):
            data = {"store": {}, "audit": {}, **data}
        return data

    ingress: IngressConfig = Field(default_factory=IngressConfig)
    authn: AuthnConfig | None = Field(None, description="Authentication; absent means no identities at all.")
    authz: AuthzConfig | None = Field(None, description="Authorization; absent means any identity may call any route.")
    validation: ValidationConfig | None = Field(
        default_factory=ValidationConfig, description="Request validation against the spec (needs openapi)."
    )
    ratelimit: RateLimitConfig | None = Field(None, description="Rate limits, quotas and concurrency limits.")
    waf: WAFConfig | None = Field(
        default_factory=WAFConfig, description="Attack detection; null turns it off (mode: off does too)."
    )
    cors: CORSConfig | None = Field(None, description="Cross-origin policy; absent means no CORS headers at all.")
    graphql: GraphQLConfig | None = Field(None, description="GraphQL endpoints: limits, introspection, field rules.")
    websocket: WebSocketConfig | None = Field(
        None, description="WebSocket upgrades and the limits on their messages; absent: every upgrade is refused (501)."
    )

    responses: ResponsesConfig = Field(default_factory=ResponsesConfig)
    audit: AuditConfig | None = Field(
        default_factory=AuditConfig, description="The audit trail (one event per request); null turns it off."
    )
    admin: AdminConfig | None = Field(None, description="Admin listener (metrics); absent: none.")
    detect: DetectConfig | None = Field(
        None, description="Detectors on the audit stream and their responses (bans, revocations, webhooks, incidents)."
    )
    log: LogConfig = Field(default_factory=LogConfig)

    @model_validator(mode="after")
    def _knows_routes(self) -> BastionConfig:
        if self.openapi is None and self.routes is None:
            raise ValueError(
                "set openapi or routes: Bastion refuses routes it does not know "
                "(use routes: [{path: '/**', methods: ['*']}] to pass every path)"
            )
        if self.listen.tls and self.listen.tls.client_cert != "none" and not self.listen.tls.client_ca:
            raise ValueError("listen.tls.client_ca is required when client_cert is optional or required")
        if self.authz and not self.authn:
            raise ValueError("authz grants to identities: configure authn too")
        if self.authn and any(m.api_key for m in self.authn.methods) and not self.secrets.key:
            raise ValueError("secrets.key is required for API keys (their hashes are keyed with it)")
        return self
