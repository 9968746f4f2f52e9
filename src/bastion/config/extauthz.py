"""External authorization: Bastion decides, nginx (auth_request) or Envoy (ext_authz) forwards."""

from __future__ import annotations

from pydantic import Field, field_validator

from bastion.config.base import Section


class ExtAuthzConfig(Section):
    """`bastion serve --mode ext-authz`: answers 200 (allow, with identity headers) or the refusal.

    nginx sends the original method and URI in X-Original-Method / X-Original-URI; Envoy sends the
    original method and path (after `path_prefix`). Set listen.trusted_proxies to the proxies'
    addresses so X-Forwarded-For names the client.
    """

    path_prefix: str = Field("", description="Envoy's http_service path_prefix, removed from the path it sends.")
    refusal_path: str = Field(
        "/_bastion/refusal",
        description="nginx: where its error_page fetches a refusal's status and problem+json body.",
    )

    @field_validator("path_prefix", "refusal_path")
    @classmethod
    def _path(cls, value: str) -> str:
        if value and (not value.startswith("/") or value.endswith("/")):
            raise ValueError("a path starting with / and not ending with /")
        return value
