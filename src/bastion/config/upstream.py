"""The protected API behind the gateway."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field, field_validator

from bastion.config.base import Section
from bastion.config.units import Duration, Size


class UpstreamTimeouts(Section):
    """Upstream time limits: 502 when connecting fails, 504 on timeout, 503 when the pool is full."""

    connect: Duration = Field(2.0, description="Opening a connection to the upstream.")
    read: Duration = Field(30.0, description="Silence allowed while waiting for upstream bytes.")
    total: Duration = Field(60.0, description="Whole exchange with the upstream, head to last byte.")
    pool: Duration = Field(1.0, description="Wait for a free pooled connection before answering 503.")


class UpstreamConfig(Section):
    """The protected API behind the gateway."""

    url: str = Field(description="Base URL of the API, e.g. http://127.0.0.1:8001.")
    timeouts: UpstreamTimeouts = Field(default_factory=UpstreamTimeouts)
    pool_size: int = Field(256, ge=1, le=65536, description="Keep-alive connections per worker.")
    max_response_headers: Size = Field(65536, description="Largest upstream response head accepted.")

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("expected an http:// or https:// URL with a host")
        if parts.query or parts.fragment:
            raise ValueError("the upstream URL cannot carry a query or fragment")
        return value.rstrip("/")
