"""Egress hygiene: what leaves the gateway towards the client."""

from __future__ import annotations

from pydantic import Field

from bastion.config.base import Section
from bastion.config.units import Duration

DEFAULT_BANNERS = [
    "server",
    "x-powered-by",
    "x-aspnet-version",
    "x-aspnetmvc-version",
    "x-runtime",
    "x-generator",
    "x-drupal-cache",
    "x-varnish",
    "via",
]


class SecurityHeadersConfig(Section):
    """Browser-facing security headers added to every response."""

    hsts: Duration | None = Field(
        63072000.0, description="Strict-Transport-Security max-age, sent only over TLS; null disables."
    )
    hsts_include_subdomains: bool = True
    nosniff: bool = Field(True, description="X-Content-Type-Options: nosniff.")
    csp: str | None = Field(
        "default-src 'none'; frame-ancestors 'none'",
        description="Content-Security-Policy for JSON and problem responses; null disables.",
    )
    frame_options: str | None = Field("DENY", description="X-Frame-Options; null disables.")
    referrer_policy: str | None = Field("no-referrer", description="Referrer-Policy; null disables.")
    no_store_authenticated: bool = Field(
        True, description="Cache-Control: no-store on responses to authenticated requests."
    )


class ResponsesConfig(Section):
    """What leaves the gateway: banners stripped, errors hidden, security headers added."""

    strip_headers: list[str] = Field(
        default_factory=lambda: list(DEFAULT_BANNERS),
        description="Upstream response headers removed because they advertise software and versions.",
    )
    security_headers: SecurityHeadersConfig = Field(default_factory=SecurityHeadersConfig)
    hide_errors: bool = Field(
        True, description="Replace upstream 5xx bodies with a generic problem+json; the original is logged."
    )
    max_logged_error: int = Field(2048, ge=0, description="Bytes of a hidden upstream error kept in the log.")
