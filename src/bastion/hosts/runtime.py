"""One process's current policy, and replacing it: SIGHUP and the admin API's reload both come here.

A reload builds the new engine completely (config parsed and validated, spec compiled, services
started) before anything changes; any failure leaves the running policy in place and is reported.
Then the hosts swap their reference: requests already in flight finish under the engine they
started with, which is stopped once they have had the drain timeout to finish.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from pathlib import Path

from bastion.config import BastionConfig, ConfigError
from bastion.engine import Engine

log = logging.getLogger("bastion.reload")


class ReloadError(Exception):
    pass


class Runtime:
    def __init__(
        self,
        engine: Engine,
        load: Callable[[], BastionConfig] | None = None,
        source: Path | None = None,
        drain: float = 30.0,
    ) -> None:
        self.engine = engine
        self.loaded_at = time.time()
        self.reloads = 0
        self.draining = False
        self._load = load
        self._source = source
        self._drain = drain
        self._swapped: list[Callable[[Engine], object]] = []
        self._lock = asyncio.Lock()
        self._retiring: set[asyncio.Task[None]] = set()

    @property
    def can_reload(self) -> bool:
        """Whether a policy file can be read again (the console offers reload only then)."""
        return self._load is not None

    def on_swap(self, callback: Callable[[Engine], object]) -> None:
        self._swapped.append(callback)

    async def reload(self) -> Engine:
        """The new engine, now serving; ReloadError (with the reason) when the running one stays."""
        if self._load is None:
            raise ReloadError("this host was not started from a policy file it can read again")
        async with self._lock:
            load = self._load
            try:
                # Parsing, compiling the spec and the rules is CPU work: off the event loop.
                engine = await asyncio.to_thread(
                    lambda: Engine(load(), source=self._source, metrics=self.engine.metrics)
                )
                await engine.start()
            except ConfigError as exc:
                log.error("reload refused, the running policy stays:\n%s", exc.render())
                raise ReloadError(exc.render()) from None
            except Exception as exc:
                log.error("reload refused, the running policy stays: %s", exc)
                raise ReloadError(str(exc)) from None
            old, self.engine = self.engine, engine
            for callback in self._swapped:
                callback(engine)
            self.loaded_at = time.time()
            self.reloads += 1
            log.info("policy reloaded (config %s)", engine.config_hash)
            task = asyncio.get_running_loop().create_task(self._retire(old))
            self._retiring.add(task)
            task.add_done_callback(self._retiring.discard)
            return engine

    async def _retire(self, old: Engine) -> None:
        await asyncio.sleep(self._drain)
        await old.stop()

    async def stop(self) -> None:
        for task in list(self._retiring):
            task.cancel()
        await self.engine.stop()
