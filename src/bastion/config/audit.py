"""The audit trail: one tamper-evident event per request, written off the hot path."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, get_args

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
_SINK_ALIASES = {"postgresql": "postgres"}
_SINK_OPTION = {"postgres": "dsn", "jsonl": "path"}  # what a bare string after the sink's name sets


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
    timeout: Duration = Field(
        5.0, description="Bound on connecting and on each write; a write that takes longer fails and is spooled."
    )


class SpoolConfig(Section):
    """Where events wait, on local disk and in order, while a sink cannot take them (a database
    restart); they are delivered when it can, oldest first."""

    path: ConfigPath = Field(
        default=Path("audit-spool"),
        validate_default=True,
        description="Directory, relative to the policy; one file per gateway process, left for the next one at exit.",
    )
    max_size: Size = Field(
        256 * 1024 * 1024,
        description="Event bytes spooled at most; past it the writer takes no new events and on_full applies.",
    )


class AuditConfig(Section):
    """Every request leaves one structured event: who, what, the decision and its reasons, sizes and
    timings. Events carry a hash chain with HMAC-signed checkpoints (`bastion audit verify`)."""

    sinks: list[SinkName] = Field(
        default_factory=_sqlite,
        description=(
            "Where events go (the store's SQLite file by default): names, or {name: options}, e.g. "
            "[sqlite, {postgres: {dsn: ...}}, {jsonl: logs/audit.jsonl}]."
        ),
    )
    postgres: PostgresSinkConfig | None = None
    jsonl: JSONLSinkConfig = Field(default_factory=JSONLSinkConfig)
    queue: int = Field(50_000, ge=100, description="Events waiting to be written, at most.")
    batch: int = Field(100, ge=1, description="Events written per transaction, at most.")
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
    commit_timeout: Duration = Field(
        5.0,
        description=(
            "strict: how long a response waits for its event to be durable before it is refused with 503 instead."
        ),
    )
    spool: SpoolConfig = Field(default_factory=SpoolConfig)
    stop_timeout: Duration = Field(
        5.0,
        description="At shutdown, how long spooled events are offered to their sinks before being left in the spool.",
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

    @model_validator(mode="before")
    @classmethod
    def _inline_sink_options(cls, data: Any) -> Any:
        """`sinks: [sqlite, {postgres: {dsn: ...}}]`: a sink's options may sit in its list item. The
        sections with paths are validated even when absent, so those resolve beside the policy."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if isinstance(data.get("sinks"), list):
            data["sinks"] = [_sink_name(item, data) for item in data["sinks"]]
        return {"jsonl": {}, "spool": {}, **data}

    @model_validator(mode="after")
    def _postgres_configured(self) -> AuditConfig:
        if "postgres" in self.sinks and self.postgres is None:
            raise ValueError("audit.sinks lists postgres: set audit.postgres.dsn")
        if len(set(self.sinks)) != len(self.sinks):
            raise ValueError("audit.sinks names a sink twice")
        return self


def _sink_name(item: Any, data: dict[str, Any]) -> Any:
    """The sink an item of `sinks` names; its inline options, if any, moved to their section in `data`."""
    if not isinstance(item, dict):
        return _SINK_ALIASES.get(item, item) if isinstance(item, str) else item
    if len(item) != 1:
        raise ValueError("each item of sinks is a sink name, or one {name: options} mapping")
    ((given, options),) = item.items()
    name = _SINK_ALIASES.get(given, given)
    if name not in get_args(SinkName):
        return given  # refused by the sinks field, with the names it accepts
    if name in _SINK_OPTION:
        if data.get(name) is not None:
            raise ValueError(f"the {name} sink's options are given twice: in sinks and as audit.{name}")
        data[name] = {_SINK_OPTION[name]: options} if isinstance(options, str) else options
    elif options not in (None, {}):
        raise ValueError(f"the {name} sink takes no options")
    return name
