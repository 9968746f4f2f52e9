"""The audit trail: one tamper-evident event per request, written off the hot path."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from bastion.config.base import ConfigPath, Section
from bastion.config.units import Duration, Size

DEFAULT_SENSITIVE = [
    "password",
    "passwd",
    "pass",
    "secret",
    "token",
    "access_token",
    "refresh_token",
    "api_key",
    "apikey",
    "authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "client_secret",
    "otp",
    "pin",
    "card",
    "cvv",
    "ssn",
]


SinkName = Literal["sqlite", "postgres", "jsonl", "stdout"]


def _sqlite() -> list[SinkName]:
    return ["sqlite"]


class JSONLSinkConfig(Section):
    path: ConfigPath = Field(
        default=Path("audit.jsonl"), validate_default=True, description="File, relative to the policy."
    )
    max_size: Size = Field(100 * 1024 * 1024, description="Rotate when the file reaches this size.")
    keep: int = Field(10, ge=1, description="Rotated files kept (audit.jsonl.1 ... .N).")


class PostgresSinkConfig(Section):
    dsn: str = Field(description="postgresql://user:${PGPASSWORD}@host/db")
    table: str = Field("bastion_audit", pattern=r"^[a-z_][a-z0-9_]{0,62}$")


class AuditConfig(Section):
    """Every request leaves one structured event: who, what, the decision and its reasons, sizes and
    timings. Events carry a hash chain with HMAC-signed checkpoints (`bastion audit verify`)."""

    sinks: list[SinkName] = Field(
        default_factory=_sqlite, description="Where events go (the store's SQLite file by default)."
    )
    postgres: PostgresSinkConfig | None = None
    jsonl: JSONLSinkConfig = Field(default_factory=JSONLSinkConfig)
    queue: int = Field(50_000, ge=100, description="Events waiting to be written, at most.")
    batch: int = Field(1000, ge=1, description="Events written per transaction, at most.")
    flush_interval: Duration = Field(0.1, description="A partial batch is written after this long.")
    on_full: Literal["drop", "refuse"] = Field(
        "drop",
        description="When the queue is full: drop events (counted in metrics and logged) or refuse requests (503).",
    )
    durability: Literal["batched", "strict"] = Field(
        "batched",
        description=(
            "batched: events are written shortly after the response (a crash loses the last batch); "
            "strict: the response waits until its event is on disk (group commit)."
        ),
    )
    checkpoint_every: int = Field(1000, ge=1, description="Events between two HMAC-signed checkpoints.")
    sensitive_fields: list[str] = Field(
        default_factory=lambda: list(DEFAULT_SENSITIVE),
        description="Names (fields, headers, parameters) whose values never reach an event.",
    )
    account_field: str | None = Field(
        "body.username",
        description="Where a login names the account (hashed into events, for credential-stuffing detection).",
    )

    @model_validator(mode="after")
    def _postgres_configured(self) -> AuditConfig:
        if "postgres" in self.sinks and self.postgres is None:
            raise ValueError("audit.sinks lists postgres: set audit.postgres.dsn")
        return self
