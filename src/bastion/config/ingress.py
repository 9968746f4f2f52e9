"""Ingress hygiene: which methods, hosts, content types and sizes a request may have."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from bastion.config.base import Mode, Section
from bastion.config.routes import KNOWN_METHODS
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


class MethodOverride(Section):
    """A method-override header honoured on some paths (legacy clients that cannot send PATCH)."""

    header: Literal["x-http-method-override", "x-http-method", "x-method-override"] = Field(
        "x-http-method-override", description="The header that carries the method."
    )
    paths: list[str] = Field(description="Path globs (fnmatch) where it is honoured, e.g. /legacy/**.")
    methods: list[str] = Field(
        default_factory=lambda: ["PUT", "PATCH", "DELETE"], description="Methods it may turn a POST into."
    )

    @field_validator("header", mode="before")
    @classmethod
    def _lower_header(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("methods")
    @classmethod
    def _upper_methods(cls, value: list[str]) -> list[str]:
        methods = [m.upper() for m in value]
        unknown = [m for m in methods if m not in KNOWN_METHODS]
        if unknown:
            raise ValueError(f"not HTTP methods: {', '.join(unknown)}")
        return methods


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

    path_case: Literal["insensitive", "sensitive"] = Field(
        "insensitive",
        description="How the upstream matches path case. insensitive (the safe default): a path that matches "
        "a route in any case is that route, as Express, ASP.NET and IIS would read it; sensitive: only the "
        "exact case matches (Starlette, Flask, Spring by default).",
    )
    matrix_params: bool = Field(
        False,
        description="Accept path segments with ;parameters (/a;v=1/b). Off: refused (400), since Spring, "
        "Tomcat and Jetty strip them and would route /admin;x/users to /admin/users.",
    )
    underscore_headers: Literal["drop", "refuse"] = Field(
        "drop",
        description="Header names with an underscore: drop them (as nginx does), or refuse the request (400). "
        "WSGI/CGI servers read X_User and X-User as the same variable.",
    )
    allow_underscore_headers: list[str] = Field(
        default_factory=list, description="Underscore header names passed on anyway (exact, case-insensitive)."
    )
    method_override: list[MethodOverride] = Field(
        default_factory=list,
        description="Method-override headers let through for some paths; everywhere else X-HTTP-Method-Override, "
        "X-HTTP-Method, X-Method-Override and the URL-rewrite headers (X-Original-URL, X-Rewrite-URL, "
        "X-Override-URL) are stripped. Where one is let through, routing and authorization use its method.",
    )

    @field_validator("methods")
    @classmethod
    def _upper(cls, value: list[str]) -> list[str]:
        return [m.upper() for m in value]

    @field_validator("allow_underscore_headers")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        return [h.lower() for h in value]

    @field_validator("hosts")
    @classmethod
    def _hosts(cls, value: list[str]) -> list[str]:
        return [h.lower() for h in value]
