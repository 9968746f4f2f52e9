"""The admin listener (admin API and console) of an engine, in the test's event loop on loopback."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from bastion.engine import Engine
from bastion.hosts.admin import AdminServer
from bastion.hosts.admin_api import admin_routes
from bastion.hosts.runtime import Runtime


@contextlib.asynccontextmanager
async def admin_listener(config: Any) -> AsyncIterator[tuple[str, Engine]]:
    """(base URL, started engine) for a policy with an `admin` section (port 0: any free port)."""
    engine = Engine(config)
    await engine.start()
    server = AdminServer(config.admin, admin_routes(Runtime(engine)))
    await server.start()
    try:
        yield f"http://127.0.0.1:{server.port}", engine
    finally:
        await server.stop()
        await engine.stop()
