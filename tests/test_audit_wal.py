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


def test_past_the_limit_the_writer_rewinds_the_wal_while_it_keeps_appending(tmp_path: Path) -> None:
    """PASSIVE checkpoints alone never rewind a WAL that a writer appends to back to back: it would
    grow with everything ever written. A RESTART from the checkpoint thread was starved by that
    writer (33 of 35 MiB stayed in the WAL on a loaded CI machine); the writer rewinds it itself."""
    path = tmp_path / "c.db"
    limit = 256 * 1024
    sink = SQLiteSink(path, wal_interval=0.005, wal_limit=limit)
    db = _connection(path)
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    wal = path.with_name(path.name + "-wal")
    done = threading.Event()
    highest = 0

    def append() -> None:
        prev = GENESIS
        for start in range(1, 8001, 50):  # about 35 MB, back to back: 50 rows (100 KB) per commit
            batch, prev = _rows(start, 50, prev)
            sink.write(batch, [])
        done.set()

    writer = threading.Thread(target=append)
    writer.start()
    while not done.is_set():
        # a rewound WAL is overwritten from its start: its file stops growing
        highest = max(highest, wal.stat().st_size if wal.exists() else 0)
        time.sleep(0.005)
    writer.join()
    written = db.execute("PRAGMA page_count").fetchone()[0] * page_size
    sink.close()
    db.close()
    assert written > 16 * 1024 * 1024
    assert highest < written / 4, f"the WAL file reached {highest >> 20} MiB of a {written >> 20} MiB table"


def test_a_reader_holding_the_wal_does_not_stall_the_writer(tmp_path: Path) -> None:
    """The writer's rewind never waits: with a reader's snapshot open (a console search, an audit
    verify) it gives up at once and tries again after a later commit."""
    path = tmp_path / "r.db"
    sink = SQLiteSink(path, wal_interval=IDLE, wal_limit=64 * 1024)
    batch, _ = _rows(1, 100, GENESIS)
    sink.write(batch, [])
    reader = _connection(path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM audit_events").fetchone()  # holds its snapshot of the WAL
    checkpointer = WalCheckpointer(path, interval=IDLE, limit=64 * 1024)
    probe = _connection(path)
    checkpointer.checkpoint(probe)
    assert checkpointer.over_limit
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA busy_timeout=30000")
    started = time.monotonic()
    checkpointer.restart_if_over(writer)
    assert time.monotonic() - started < 1.0
    assert checkpointer.over_limit
    assert checkpointer.restarts == 0
    assert writer.execute("PRAGMA busy_timeout").fetchone() == (30000,)
    reader.execute("COMMIT")
    checkpointer.restart_if_over(writer)
    assert not checkpointer.over_limit
    assert checkpointer.restarts == 1
    for db in (reader, probe, writer):
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
