"""Where Bastion keeps shared hot state (counters, bans) and durable records (keys, events)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from bastion.config.base import ConfigPath, Section
from bastion.config.units import Duration


class RedisConfig(Section):
    """A Redis (or Valkey) server shared by every gateway process and host."""

    url: str = Field("redis://127.0.0.1:6379/0", description="redis:// or rediss:// URL; ${ENV} for passwords.")
    prefix: str = Field(
        "bastion", pattern=r"^[A-Za-z0-9_.:-]{1,40}$", description="Key prefix, and the Redis Cluster hash tag."
    )
    timeout: Duration = Field(0.25, description="Connect and command timeout.")
    on_failure: Literal["open", "closed"] = Field(
        "open",
        description=(
            "When Redis cannot be reached: open (decide with a per-process limiter meanwhile) or closed "
            "(answer 503), without waiting on Redis. Logged either way; a probe pings Redis every 0.2 s and it is used "
            "again as soon as it answers."
        ),
    )


class StateConfig(Section):
    """Hot shared state: rate-limit counters, bans, failure counters. memory is per process."""

    backend: Literal["memory", "redis"] = "memory"
    redis: RedisConfig = Field(default_factory=RedisConfig)
    max_keys: int = Field(100_000, ge=100, description="Keys kept in memory (LRU) per process.")
    sync_interval: Duration = Field(0.5, description="How often bans and revocations are re-read.")


class StoreConfig(Section):
    """Durable records: API keys, revocations, audit events, alerts, incidents."""

    backend: Literal["sqlite"] = "sqlite"
    path: ConfigPath = Field(
        default=Path("bastion.db"), validate_default=True, description="SQLite file, relative to the policy file."
    )
