"""Ingress hygiene: which methods, hosts, content types and sizes a request may have."""

from __future__ import annotations

from pydantic import Field, field_validator

from bastion.config.base import Mode, Section
from bastion.config.units import Size

DEFAULT_CONTENT_TYPES = [
    "application/json",
    "application/*+json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/xml",
    "text/xml",
    "text/plain",
    "application/graphql",
    "application/octet-stream",
]


class IngressConfig(Section):
    """Protocol hygiene: methods, hosts, content types, sizes, smuggling, path normalisation."""

    mode: Mode = Field("enforce", description="enforce refuses, monitor records, off skips the checks.")
    methods: list[str] = Field(
        default_factory=lambda: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        description="Methods accepted at all; TRACE, TRACK and CONNECT stay refused unless listed.",
    )
    hosts: list[str] = Field(
        default_factory=list,
        description="Allowed Host values (exact, or *.example.com); empty accepts any Host.",
    )
    content_types: list[str] = Field(
        default_factory=lambda: list(DEFAULT_CONTENT_TYPES),
        description="Media types a request body may have; type/* and type/*+suffix wildcards work.",
    )
    max_body: Size = Field(1024 * 1024, description="Largest request body (413), enforced while reading.")
    max_headers: Size = Field(16 * 1024, description="Largest request head in bytes (431).")
    max_header_count: int = Field(100, ge=1, le=10_000, description="Most header fields (431).")
    max_url: Size = Field(8 * 1024, description="Longest request target (414).")
    normalized_paths: bool = Field(
        True,
        description="Refuse paths with dot segments, empty segments, backslashes or encoded slashes (400), "
        "so the gateway and the API cannot disagree about which route was asked for.",
    )

    @field_validator("methods")
    @classmethod
    def _upper(cls, value: list[str]) -> list[str]:
        return [m.upper() for m in value]

    @field_validator("hosts")
    @classmethod
    def _hosts(cls, value: list[str]) -> list[str]:
        return [h.lower() for h in value]
