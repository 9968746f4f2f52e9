"""Compiled Hyperscan databases: from this process's memo, the on-disk cache, or a compile.

Compiling the WAF's rule set takes tens of seconds (large alternations of function names, bounded
repeats); loading its serialized form takes milliseconds. A serving process does not wait for a
compile: with `compile_in_background()` a set that is not cached is compiled on a worker thread
(Hyperscan releases the GIL while it compiles, so the event loop keeps serving), and until it is
ready the caller matches the same patterns with Python's `re` (patterns.py): slower, never
different. Processes that need the same database take turns on a lock beside its cache entry, so
N workers starting together compile it once and the others load it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import platform
import queue
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bastion import cache

log = logging.getLogger("bastion.patterns")

try:  # pragma: no cover - which branch runs depends on the platform
    import hyperscan

    HYPERSCAN = True
except ImportError:  # pragma: no cover
    HYPERSCAN = False

_MEMO: dict[str, Any] = {}


def key(expressions: tuple[bytes, ...], flags: tuple[int, ...]) -> str:
    """Covers every expression and flag, the Hyperscan version and the machine."""
    digest = hashlib.sha256()
    digest.update(f"{getattr(hyperscan, '__version__', '?')}|{platform.machine()}|".encode())
    for expression, flag in zip(expressions, flags, strict=True):
        digest.update(b"%d\x00%s\x00" % (flag, expression))
    return digest.hexdigest()


def cached(expressions: tuple[bytes, ...], flags: tuple[int, ...]) -> Any | None:
    """The database if this process or the on-disk cache has it; None when it must be compiled."""
    name = key(expressions, flags)
    if name in _MEMO:
        return _MEMO[name]
    path = cache.entry("hyperscan", name, "db")
    db = _load(path) if path is not None else None
    if db is not None:
        _MEMO[name] = db
    return db


def database(expressions: tuple[bytes, ...], flags: tuple[int, ...]) -> Any:
    """The database, compiled now if nothing has it (the caller waits), and kept in memory."""
    db = cached(expressions, flags)
    if db is None:
        db = _compile_shared(expressions, flags)
        _MEMO[key(expressions, flags)] = db
    return db


def warm(expressions: tuple[bytes, ...], flags: tuple[int, ...]) -> None:
    """Have a database that is built later, on first need, ready on disk without holding it in
    memory now. With the cache turned off it is compiled and kept in memory instead."""
    name = key(expressions, flags)
    path = cache.entry("hyperscan", name, "db")
    if name in _MEMO or (path is not None and path.is_file()):
        return
    if path is None:
        database(expressions, flags)
    elif _background.enabled:
        _background.submit(expressions, flags, None)
    else:
        _store(expressions, flags)


def compile_in_background(enabled: bool = True) -> None:
    """From now on, `later` compiles on a worker thread instead of making its caller wait."""
    _background.enabled = enabled


def later(expressions: tuple[bytes, ...], flags: tuple[int, ...], ready: Callable[[Any], None]) -> bool:
    """Hand `ready` the database once compiled, on the worker thread; False (nothing started) when
    background compiling is off and the caller should compile now."""
    if not _background.enabled:
        return False
    _background.submit(expressions, flags, ready)
    return True


def wait_idle(timeout: float) -> bool:
    """Whether every background compile finished within `timeout` seconds (tests, tools)."""
    return _background.idle.wait(timeout)


def compile_now(expressions: tuple[bytes, ...], flags: tuple[int, ...]) -> Any:
    db = hyperscan.Database()
    try:
        db.compile(
            expressions=list(expressions),
            ids=list(range(len(expressions))),
            elements=len(expressions),
            flags=list(flags),
        )
    except hyperscan.error as exc:
        raise ValueError(f"patterns do not compile for Hyperscan: {exc}") from None
    return db


def _load(path: Path) -> Any | None:
    if not path.is_file():
        return None
    try:
        db = hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
    except (OSError, hyperscan.error, TypeError, ValueError):
        return None  # a damaged or foreign entry is simply compiled again
    cache.used(path)
    return db


def _store(expressions: tuple[bytes, ...], flags: tuple[int, ...]) -> None:
    path = cache.entry("hyperscan", key(expressions, flags), "db")
    if path is not None and not path.is_file():
        _compile_shared(expressions, flags)


def _compile_shared(expressions: tuple[bytes, ...], flags: tuple[int, ...]) -> Any:
    """Compile and store, unless another process did while this one waited for the lock."""
    path = cache.entry("hyperscan", key(expressions, flags), "db")
    if path is None:
        return compile_now(expressions, flags)
    with _exclusive(path.with_suffix(".lock")):
        db = _load(path)
        if db is None:
            db = compile_now(expressions, flags)
            cache.write(path, hyperscan.dumpb(db))
    return db


@contextlib.contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    """A POSIX record lock: per process (a forked worker does not inherit its parent's), released
    when the process dies. Without a writable cache folder each process compiles on its own."""
    try:
        lock.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield
        return
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX)
        yield
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()  # a process that opened it meanwhile only compiles once more, at worst
        os.close(fd)


class _Background:
    """One worker thread compiling one set at a time, in the order asked (so the set a request
    needs first is ready first), without taking a second core from the serving one for long."""

    def __init__(self) -> None:
        self.enabled = False
        self.idle = threading.Event()
        self.idle.set()
        self._jobs: queue.SimpleQueue[tuple[tuple[bytes, ...], tuple[int, ...], Callable[[Any], None] | None]]
        self._jobs = queue.SimpleQueue()
        self._pending = 0
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def submit(
        self, expressions: tuple[bytes, ...], flags: tuple[int, ...], ready: Callable[[Any], None] | None
    ) -> None:
        with self._lock:
            if self._pending == 0:
                log.info(
                    "compiling pattern databases in the background (the first start with these rules); "
                    "Python's re matches the same patterns until they are ready"
                )
            self._pending += 1
            self.idle.clear()
            self._jobs.put((expressions, flags, ready))
            if self._worker is None:
                self._worker = threading.Thread(target=self._run, name="bastion-hyperscan", daemon=True)
                self._worker.start()

    def _run(self) -> None:
        started = time.monotonic()
        while True:
            expressions, flags, ready = self._jobs.get()
            try:
                if ready is None:
                    _store(expressions, flags)  # warmed: on disk only, unless an earlier job made it
                else:
                    ready(database(expressions, flags))
            except Exception:  # a compile error here means the caller keeps Python's re: slower, same answers
                log.exception("a pattern database did not compile; Python's re keeps matching these patterns")
            with self._lock:
                self._pending -= 1
                if self._pending == 0:
                    log.info("pattern databases ready (%.1f s)", time.monotonic() - started)
                    self.idle.set()
                    started = time.monotonic()

    def after_fork(self) -> None:
        """A forked child has no worker thread, and none of its parent's jobs: its own start one."""
        enabled = self.enabled
        self.__init__()  # type: ignore[misc]
        self.enabled = enabled


_background = _Background()
os.register_at_fork(after_in_child=_background.after_fork)
