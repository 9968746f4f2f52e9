"""Durable records: API keys, revocations, audit events, alerts and incidents."""

from __future__ import annotations

from bastion.config.state import StoreConfig
from bastion.store.sqlite import SQLiteStore

Store = SQLiteStore


def open_store(config: StoreConfig) -> Store:
    return SQLiteStore(config.path)
