"""The admin listener: Prometheus metrics (and the admin API), apart from the traffic port."""

from __future__ import annotations

from pydantic import Field, field_validator

from bastion.config.base import Section


class AdminConfig(Section):
    """Served on its own address; keep it on loopback or a management network."""

    host: str = Field("127.0.0.1", description="Address to bind.")
    port: int = Field(
        9090, ge=0, le=65535, description="Port (0: any free port). Worker N of --workers listens on port + N."
    )
    token: str | None = Field(None, description="Bearer token required on every admin request; from ${ENV}.")

    @field_validator("token")
    @classmethod
    def _long_enough(cls, value: str | None) -> str | None:
        if value is not None and len(value) < 24:
            raise ValueError("the admin token must be at least 24 characters")
        return value
