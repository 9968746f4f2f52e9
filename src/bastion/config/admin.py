"""The admin listener: health, metrics and the admin API, apart from the traffic port."""

from __future__ import annotations

import ipaddress

from pydantic import Field, field_validator, model_validator

from bastion.config.base import Section
from bastion.config.listen import TLSConfig


class AdminConfig(Section):
    """Served on its own address; keep it on loopback or a management network.

    Health (/healthz, /readyz) is always open, for load balancers. Everything else needs `token`
    (Authorization: Bearer) or a client certificate (`tls` with client_ca); with neither, only
    /metrics and /openapi.json are served besides health, and the management API answers 401.
    A listener off loopback with neither is refused, unless `allow_unauthenticated_metrics` says
    that /metrics may answer anyone who reaches the address.
    """

    host: str = Field("127.0.0.1", description="Address to bind.")
    port: int = Field(
        9090, ge=0, le=65535, description="Port (0: any free port). Worker N of --workers listens on port + N."
    )
    token: str | None = Field(None, description="Bearer token for the admin API and metrics; from ${ENV}.")
    tls: TLSConfig | None = Field(
        None, description="Serve over TLS; with client_ca and client_cert: required, a client certificate admits."
    )
    allow_unauthenticated_metrics: bool = Field(
        False,
        description="Let a listener off loopback run without token or client certificates: /metrics and "
        "/openapi.json then answer anyone who can reach it (the management API and console stay closed).",
    )

    @field_validator("token", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        # `token: "${ADMIN_TOKEN:-}"` with the variable unset: no token, rather than a too-short one
        return None if value == "" else value

    @field_validator("token")
    @classmethod
    def _long_enough(cls, value: str | None) -> str | None:
        if value is not None and len(value) < 24:
            raise ValueError("the admin token must be at least 24 characters")
        return value

    @model_validator(mode="after")
    def _client_ca_with_client_cert(self) -> AdminConfig:
        if self.tls is not None and self.tls.client_cert != "none" and self.tls.client_ca is None:
            raise ValueError("admin.tls.client_ca is required when client_cert is optional or required")
        return self

    @model_validator(mode="after")
    def _exposed_needs_credentials(self) -> AdminConfig:
        # An admin plane on every interface with no credentials hands /metrics (routes, volumes,
        # refusal patterns) to anyone on the network: refuse it unless the operator says so.
        if not self.authenticated and not self.loopback and not self.allow_unauthenticated_metrics:
            raise ValueError(
                f"admin.host {self.host} is not a loopback address and the admin listener has no credentials: "
                "set admin.token (or admin.tls with client_cert: required), keep admin.host on 127.0.0.1, "
                "or set admin.allow_unauthenticated_metrics: true to serve /metrics to anyone who reaches it"
            )
        return self

    @property
    def loopback(self) -> bool:
        """Whether only this machine can reach the listener."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host.strip("[]")).is_loopback
        except ValueError:
            return False  # a host name other than localhost may resolve anywhere

    @property
    def authenticated(self) -> bool:
        """Whether a caller can prove itself: the management API is off otherwise."""
        return self.token is not None or (self.tls is not None and self.tls.client_cert == "required")
