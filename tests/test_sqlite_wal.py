"""Processes that open one SQLite file together all get it in WAL mode (core/sqlite_wal.py).

`PRAGMA journal_mode=WAL` does not wait for the busy handler: four `bastion serve` processes sharing
one audit database once lost one of them at start-up to "database is locked".
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from bastion.audit.sinks.sqlite import SQLiteSink
from bastion.core import sqlite_wal
from bastion.core.sqlite_wal import use_wal
from bastion.store.sqlite import SQLiteStore


def _open_together(path: str, barrier: Any, which: int) -> None:
    barrier.wait(timeout=30)
    if which % 2:
        SQLiteSink(Path(path)).close()
    else:
        store = SQLiteStore(path)
        store.bans()
        store.close()


def test_processes_opening_a_new_file_at_once_all_start(tmp_path: Path) -> None:
    path = tmp_path / "bastion.db"
    context = multiprocessing.get_context("spawn")
    for _round in range(3):
        path.unlink(missing_ok=True)
        barrier = context.Barrier(8)
        processes = [context.Process(target=_open_together, args=(str(path), barrier, i)) for i in range(8)]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=60)
        assert [process.exitcode for process in processes] == [0] * 8
        assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_switch_waits_for_a_process_that_holds_the_file(tmp_path: Path) -> None:
    path = tmp_path / "held.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(0.3, lambda: holder.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    db = sqlite3.connect(path, timeout=0, isolation_level=None)
    use_wal(db)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert time.monotonic() - started >= 0.25
    release.join()


def test_a_file_locked_for_good_is_a_clear_error_not_a_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite_wal, "_ATTEMPTS", 5)
    path = tmp_path / "stuck.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    db = sqlite3.connect(path, timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="stayed locked"):
        use_wal(db)
    holder.execute("COMMIT")
