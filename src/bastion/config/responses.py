"""Egress hygiene: what leaves the gateway towards the client."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from bastion.config.base import Section
from bastion.config.units import Duration, Size

Action = Literal["mask", "block", "off"]

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


class SensitiveDataConfig(Section):
    """Values that must not leave in a response, found by name or by shape."""

    fields: list[str] = Field(
        default_factory=lambda: [
            "password",
            "password_hash",
            "hashed_password",
            "passwd",
            "pwd",
            "private_key",
            "ssn",
            "cvv",
            "cvc",
        ],
        description="Property names whose values are masked (case-insensitive, any depth). Token and key names "
        "are not in the default list: login and key-issuing operations return them on purpose.",
    )
    field_action: Action = "mask"
    card_numbers: Action = Field("mask", description="Payment card numbers (Luhn-checked).")
    national_ids: Action = Field("mask", description="US social security numbers.")
    private_keys: Action = Field("block", description="PEM private keys.")
    cloud_keys: Action = Field("block", description="AWS, GCP, GitHub, Slack, Stripe secret keys.")
    mask: str = Field("***", description="What a masked value becomes.")


class ResponsesConfig(Section):
    """What leaves the gateway: only declared fields, no secrets, no stack traces, no banners."""

    mode: Literal["filter", "validate", "off"] = Field(
        "filter",
        description="filter: keep only fields the response schema declares; validate: record mismatches; "
        "off: neither (needs openapi).",
    )
    sensitive: SensitiveDataConfig | None = Field(default_factory=SensitiveDataConfig)
    debug_pages: bool = Field(
        True, description="Replace stack traces and framework debug pages in any response with a generic problem."
    )
    max_inspected: Size = Field(
        8 * 1024 * 1024,
        description="Largest response filtered and inspected whole. A larger one is refused with 502 when its "
        "schema must filter it (or it is compressed); otherwise it is inspected as it streams, line by line.",
    )
    max_stream_part: Size = Field(
        1024 * 1024,
        description="Longest line (NDJSON, text) or server-sent event inspected in a stream; a longer one cuts "
        "the stream.",
    )

    strip_headers: list[str] = Field(
        default_factory=lambda: list(DEFAULT_BANNERS),
        description="Upstream response headers removed because they advertise software and versions.",
    )
    security_headers: SecurityHeadersConfig = Field(default_factory=SecurityHeadersConfig)
    hide_errors: bool = Field(
        True,
        description="Replace upstream 5xx bodies with a generic problem+json; an excerpt of the original is "
        "logged, masked.",
    )
    max_logged_error: int = Field(
        2048, ge=0, description="Bytes of a hidden upstream body kept in the log (masked like any response)."
    )
