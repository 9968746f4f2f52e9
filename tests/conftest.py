from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import uvloop

from tests.servers import PostgresServer, RedisServer, ThreadedUvicorn
from tests.upstream_app import app as echo_app


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Callable[[], object]]:
    """Test on uvloop, the loop `bastion serve` runs on."""
    return {"uvloop": uvloop.new_event_loop}


@pytest.fixture(scope="session")
def upstream() -> Iterator[ThreadedUvicorn]:
    with ThreadedUvicorn(echo_app) as server:
        yield server


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    with RedisServer() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    with PostgresServer() as server:
        yield server
