"""Cross-origin resource sharing, decided at the gateway."""

from __future__ import annotations

from pydantic import Field, model_validator

from bastion.config.base import Section
from bastion.config.units import Duration


class CORSConfig(Section):
    """A strict CORS policy: an allow-list of origins, preflight answered at the gateway."""

    origins: list[str] = Field(default_factory=list, description="Allowed origins, e.g. https://app.example.com.")
    methods: list[str] = Field(default_factory=lambda: ["GET", "POST", "PUT", "PATCH", "DELETE"])
    headers: list[str] = Field(
        default_factory=lambda: ["authorization", "content-type", "x-request-id"],
        description="Request headers a browser may send.",
    )
    expose_headers: list[str] = Field(default_factory=lambda: ["x-request-id", "retry-after"])
    credentials: bool = Field(False, description="Allow cookies and Authorization from browsers.")
    max_age: Duration = Field(600.0, description="How long browsers may cache a preflight answer.")

    @model_validator(mode="after")
    def _no_wildcard_with_credentials(self) -> CORSConfig:
        if "*" in self.origins and self.credentials:
            raise ValueError('"*" origins with credentials would let any site act as the user; list origins')
        if "null" in self.origins:
            raise ValueError('the "null" origin is sent by sandboxed pages and files: it cannot be trusted')
        for origin in self.origins:
            if origin != "*" and not origin.startswith(("https://", "http://")):
                raise ValueError(f"{origin!r} is not an origin such as https://app.example.com")
        return self
