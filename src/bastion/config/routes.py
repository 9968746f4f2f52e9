"""Routes the policy knows when no OpenAPI description is configured (deny by default)."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from bastion.config.base import Section

KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "TRACK"})


class RouteConfig(Section):
    """A route the policy knows when no OpenAPI description is configured."""

    path: str = Field(description="Path template such as /users/{user_id}; a final /** matches any remainder.")
    methods: list[str] = Field(
        default_factory=lambda: ["GET"], description='Methods on this path; ["*"] allows every method.'
    )
    operation: str | None = Field(None, description="Operation name used in rules (default METHOD /path).")
    tags: list[str] = Field(default_factory=list, description="Tags, e.g. admin, as an OpenAPI spec has.")

    @field_validator("path")
    @classmethod
    def _path(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError("a route path starts with /")
        if "/**" in value and not value.endswith("/**"):
            raise ValueError("/** may only end a route path")
        return value

    @field_validator("methods")
    @classmethod
    def _methods(cls, value: list[str]) -> list[str]:
        methods = [m.upper() for m in value]
        for m in methods:
            if m != "*" and not m.isalpha():
                raise ValueError(f"{m!r} is not an HTTP method")
        return methods

    @model_validator(mode="after")
    def _one_operation_one_method(self) -> RouteConfig:
        if self.operation and len(self.methods) != 1:
            raise ValueError("an operation name belongs to one method: list the route once per method")
        return self
