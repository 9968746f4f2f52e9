"""Where Bastion keeps shared hot state (counters, bans) and durable records (keys, events)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from bastion.config.base import ConfigPath, Section
from bastion.config.units import Duration


class StateConfig(Section):
    """Hot shared state: rate-limit counters, bans, failure counters. memory is per process."""

    backend: Literal["memory"] = "memory"
    max_keys: int = Field(100_000, ge=100, description="Keys kept in memory (LRU) per process.")
    sync_interval: Duration = Field(0.5, description="How often bans and revocations are re-read.")


class StoreConfig(Section):
    """Durable records: API keys, revocations, audit events, alerts, incidents."""

    backend: Literal["sqlite"] = "sqlite"
    path: ConfigPath = Field(
        default=Path("bastion.db"), validate_default=True, description="SQLite file, relative to the policy file."
    )
