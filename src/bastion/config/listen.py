"""Where Bastion listens, TLS termination, and which peers may speak for a client."""

from __future__ import annotations

import ipaddress
from typing import Literal

from pydantic import Field, field_validator

from bastion.config.base import ConfigPath, Section
from bastion.config.units import Duration


class TLSConfig(Section):
    """TLS termination: certificate, minimum version, client certificates (mTLS)."""

    cert: ConfigPath = Field(description="PEM certificate chain presented to clients.")
    key: ConfigPath = Field(description="PEM private key of the certificate.")
    min_version: Literal["1.2", "1.3"] = Field("1.2", description="Oldest TLS version accepted.")
    client_ca: ConfigPath | None = Field(None, description="PEM CA bundle that signs client certificates (mTLS).")
    client_cert: Literal["none", "optional", "required"] = Field(
        "none", description="Whether a client certificate is asked for; needs client_ca unless none."
    )
    redirect_http_port: int | None = Field(
        None, ge=1, le=65535, description="Also listen in plain HTTP on this port and redirect to HTTPS."
    )


class ListenTimeouts(Section):
    """Client-side time limits (slowloris, idle keep-alive, shutdown drain)."""

    header: Duration = Field(10.0, description="Time allowed to receive a request's head (slowloris).")
    body: Duration = Field(30.0, description="Time allowed between two chunks of a request body.")
    body_total: Duration = Field(
        60.0, description="Time allowed for a whole request body, however it trickles (slow POST)."
    )
    keep_alive: Duration = Field(15.0, description="How long an idle client connection stays open.")
    drain: Duration = Field(30.0, description="On SIGTERM, how long in-flight requests may finish.")


class ListenConfig(Section):
    """Where Bastion listens for clients, and which peers may speak for a client."""

    host: str = Field("127.0.0.1", description="Address to bind.")
    port: int = Field(8080, ge=0, le=65535, description="Port to bind (0 picks a free port).")
    tls: TLSConfig | None = Field(None, description="Terminate TLS on this listener.")
    timeouts: ListenTimeouts = Field(default_factory=ListenTimeouts)
    max_connections: int = Field(10_000, ge=1, description="Open client connections per worker.")
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="CIDRs of proxies whose X-Forwarded-For is believed; empty trusts nobody.",
    )
    backlog: int = Field(1024, ge=1)

    @field_validator("trusted_proxies")
    @classmethod
    def _cidrs(cls, value: list[str]) -> list[str]:
        for cidr in value:
            try:
                ipaddress.ip_network(cidr, strict=False)
            except ValueError:
                raise ValueError(f"{cidr!r} is not an IP network such as 10.0.0.0/8") from None
        return value
