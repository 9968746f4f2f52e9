"""The SQLite sink's WAL is copied back by a checkpointer thread, never by the audit writer's commit
(a checkpoint's fsyncs on a busy disk stalled the writer for up to a second: audit/sinks/wal.py)."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from bastion.audit.chain import GENESIS, canonical, link
from bastion.audit.sinks import Row
from bastion.audit.sinks.sqlite import SQLiteSink
from bastion.audit.sinks.wal import WalCheckpointer

IDLE = 3600.0  # a checkpointer thread that never wakes on its own: the test calls checkpoint()


def _rows(start: int, count: int, prev: str, size: int = 2000) -> tuple[list[Row], str]:
    out = []
    for seq in range(start, start + count):
        event = {"ts": time.time(), "request_id": f"r{seq}", "client": "10.0.0.1", "method": "POST",
                 "path": "/x/" + "a" * size, "status": 200, "decision": "allowed", "rules": []}  # fmt: skip
        body = canonical(event)
        digest = link(prev, body)
        out.append(Row("s1", seq, event, body, prev, digest))
        prev = digest
    return out, prev


def _connection(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None, timeout=30)
    db.execute("PRAGMA busy_timeout=30000")
    return db


def test_the_writers_commit_leaves_the_wal_to_the_checkpointer(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    sink = SQLiteSink(path, wal_interval=IDLE)
    prev = GENESIS
    for start in range(1, 3001, 500):  # about 6 MB: far past SQLite's 1,000-page auto-checkpoint
        batch, prev = _rows(start, 500, prev)
        sink.write(batch, [])
    before = path.stat().st_size
    assert before < 64 * 1024, "a commit copied the WAL into the database (auto-checkpoint on the append path)"

    checkpointer = WalCheckpointer(path, interval=IDLE)
    db = _connection(path)
    checkpointer.checkpoint(db)
    assert path.stat().st_size > 4 * 1024 * 1024
    assert db.execute("SELECT count(*) FROM audit_events").fetchone() == (3000,)
    db.close()
    checkpointer.close()
    sink.close()


def test_the_checkpointer_thread_copies_the_wal_on_its_own(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    sink = SQLiteSink(path, wal_interval=0.01)
    batch, _ = _rows(1, 1000, GENESIS)
    sink.write(batch, [])
    deadline = time.monotonic() + 10
    while path.stat().st_size < 1024 * 1024 and time.monotonic() < deadline:
        time.sleep(0.01)
    sink.close()
    assert path.stat().st_size >= 1024 * 1024


def test_past_the_limit_the_wal_restarts_while_the_writer_keeps_appending(tmp_path: Path) -> None:
    """PASSIVE checkpoints alone never restart a WAL that a writer appends to back to back: it
    would grow with everything ever written. Past the limit the checkpoint restarts it."""
    path = tmp_path / "c.db"
    sink = SQLiteSink(path, wal_interval=IDLE)
    checkpointer = WalCheckpointer(path, interval=IDLE, limit=256 * 1024)
    db = _connection(path)
    done = threading.Event()

    def append() -> None:
        prev = GENESIS
        for start in range(1, 8001, 50):
            batch, prev = _rows(start, 50, prev)
            sink.write(batch, [])
        done.set()

    writer = threading.Thread(target=append)
    writer.start()
    while not done.is_set():
        checkpointer.checkpoint(db)
        time.sleep(0.005)
    writer.join()
    _, frames, _ = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    written = db.execute("PRAGMA page_count").fetchone()[0] * page_size
    assert frames * page_size < written / 2, f"the WAL holds {frames} frames of a {written >> 20} MiB table"
    db.close()
    checkpointer.close()
    sink.close()


def test_a_failed_checkpoint_is_logged_and_retried_not_raised(tmp_path: Path) -> None:
    checkpointer = WalCheckpointer(tmp_path / "d.db", interval=IDLE)
    db = _connection(tmp_path / "d.db")
    db.close()
    checkpointer.checkpoint(db)  # a closed connection: sqlite3.ProgrammingError
    assert checkpointer.checkpoints == 0
    checkpointer.close()
