from tests.conftest import pytest_asyncio_loop_factories  # noqa: F401 - same loop as the tests
