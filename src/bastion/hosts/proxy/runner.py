"""Process model of `bastion serve`: one worker in-process, or N forked workers on one socket.

With several workers the parent binds the listening socket(s) once and forks; the kernel spreads
accepted connections over the workers. The parent only supervises: it forwards SIGTERM (graceful
drain) and SIGHUP (reload) and restarts a worker that dies unexpectedly.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bastion import hyperscan_db
from bastion.config.model import BastionConfig
from bastion.core import request_id
from bastion.engine import Engine
from bastion.hosts.admin import AdminServer
from bastion.hosts.admin_api import admin_routes
from bastion.hosts.proxy.server import ProxyServer
from bastion.hosts.runtime import ReloadError, Runtime
from bastion.hosts.tls import server_context

log = logging.getLogger("bastion.proxy")


def new_event_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop  # noqa: PLC0415  optional: uvloop where it builds, asyncio otherwise
    except ImportError:  # pragma: no cover - uvloop is a dependency where it builds
        return asyncio.new_event_loop()
    loop: asyncio.AbstractEventLoop = uvloop.new_event_loop()
    return loop


def run_proxy(
    config: BastionConfig,
    *,
    source: Path | None = None,
    reload: Callable[[], BastionConfig] | None = None,
    on_ready: Callable[[list[tuple[str, int]]], None] | None = None,
) -> int:
    hyperscan_db.compile_in_background()  # a first start with new rules serves at once (Python's re meanwhile)
    engine = Engine(config, source=source)  # fail fast on a bad spec or policy, before binding or forking
    if config.listen.tls:
        server_context(config.listen.tls)
    if config.workers == 1:  # no fork: the worker serves with the engine just built
        return _run_worker(config, source, None, reload, on_ready, engine)
    del engine  # each forked worker builds its own (threads and database handles do not survive a fork)
    sockets = _bind(config)
    addresses = [s.getsockname()[:2] for s in sockets]
    if on_ready:
        on_ready(addresses)
    return _supervise(config, source, sockets, reload)


def _bind(config: BastionConfig) -> list[socket.socket]:
    listen = config.listen
    ports = [listen.port]
    if listen.tls and listen.tls.redirect_http_port:
        ports.append(listen.tls.redirect_http_port)
    sockets = []
    for port in ports:
        family = socket.AF_INET6 if ":" in listen.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((listen.host, port))
        sock.listen(listen.backlog)
        sock.setblocking(False)
        sock.set_inheritable(True)
        sockets.append(sock)
    return sockets


def _run_worker(  # noqa: PLR0913  start-up: a worker's settings, once per process
    config: BastionConfig,
    source: Path | None,
    sockets: list[socket.socket] | None,
    reload: Callable[[], BastionConfig] | None,
    on_ready: Callable[[list[tuple[str, int]]], None] | None,
    engine: Engine | None = None,
) -> int:
    loop = new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(_serve(config, source, sockets, reload, on_ready, loop, engine))
    finally:
        loop.close()


async def _serve(  # noqa: PLR0913  one worker's start: config, sockets and the hooks the supervisor gives it
    config: BastionConfig,
    source: Path | None,
    sockets: list[socket.socket] | None,
    reload: Callable[[], BastionConfig] | None,
    on_ready: Callable[[list[tuple[str, int]]], None] | None,
    loop: asyncio.AbstractEventLoop,
    engine: Engine | None,
) -> int:
    runtime = Runtime(engine or Engine(config, source=source), reload, source, drain=config.listen.timeouts.drain)
    gc.collect()
    gc.freeze()  # what start-up built lives for good: later collections no longer walk it
    server = ProxyServer(runtime.engine, loop)
    runtime.on_swap(server.swap_engine)
    addresses = await server.start(sockets)
    admin = AdminServer(config.admin, admin_routes(runtime)) if config.admin is not None else None
    if admin is not None:
        await admin.start()
    if on_ready and sockets is None:
        on_ready(addresses)
    if reload is not None:
        loop.add_signal_handler(signal.SIGHUP, lambda: loop.create_task(_reload(runtime)))
    try:
        await server.serve_until_signal(on_drain=lambda: setattr(runtime, "draining", True))
    finally:
        if admin is not None:
            await admin.stop()
    return 0


async def _reload(runtime: Runtime) -> None:
    """SIGHUP: the same reload as the admin API's; a refusal is logged and the running policy stays."""
    try:
        await runtime.reload()
    except ReloadError:
        pass  # logged by the runtime, with the reason


def _supervise(  # noqa: PLR0915  the supervisor: fork, signals, restarts and reload share its local state
    config: BastionConfig,
    source: Path | None,
    sockets: list[socket.socket],
    reload: Callable[[], BastionConfig] | None,
) -> int:
    children: dict[int, int] = {}  # pid -> slot
    stopping = False
    restarts: list[float] = []

    def spawn(slot: int) -> None:
        pid = os.fork()
        if pid == 0:  # child
            code = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; Ctrl-C reaches everyone
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                request_id.reseed()
                os.environ["BASTION_WORKER"] = str(slot)  # the admin listener of worker N is on port + N
                code = _run_worker(config, source, sockets, reload, None)
            except BaseException:
                log.exception("worker %d failed", slot)
            finally:
                os._exit(code)
        children[pid] = slot

    def forward(sig: int, _frame: object) -> None:
        nonlocal stopping
        if sig in (signal.SIGTERM, signal.SIGINT):
            stopping = True
            sig = signal.SIGTERM
        for pid in list(children):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, forward)
    for slot in range(config.workers):
        spawn(slot)
    log.info("started %d workers", config.workers)
    exit_code = 0
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        if pid not in children:
            continue
        slot = children.pop(pid)
        code = os.waitstatus_to_exitcode(status)
        if stopping:
            continue
        log.error("worker %d (pid %d) exited with %d; restarting", slot, pid, code)
        now = time.monotonic()
        restarts[:] = [t for t in restarts if now - t < 60] + [now]
        if len(restarts) > 5 * config.workers:
            log.critical("workers keep dying; giving up")
            forward(signal.SIGTERM, None)
            exit_code = 1
            stopping = True
            continue
        spawn(slot)
    for sock in sockets:
        sock.close()
    sys.stdout.flush()
    return exit_code
