"""Events a sink could not take yet, kept on local disk in the order they were chained.

When a sink fails (PostgreSQL restarting, a full disk on the database host), the writer does not
stop for it: the batch goes to the spool, and later batches follow it there until the sink has
taken everything spooled, oldest first, so a sink receives every stream in order. The spool is one
SQLite file per writer, named after its stream, in `audit.spool.path`, next to a lock file that the
writer holds while it lives. A writer that stops with events still spooled (PostgreSQL still down
at shutdown) leaves the file; the next writer that starts or runs in that directory (another
process, a restart, the next policy after a reload) finds the lock free, adopts the file and
delivers what it holds. A kill -9 releases the lock too.

Only the writer thread touches a spool. Sizes are counted in memory (loaded when a file is opened),
so asking for the depth costs nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import orjson

from bastion.audit.chain import Checkpoint
from bastion.audit.sinks import Row
from bastion.core.sqlite_wal import use_wal

log = logging.getLogger("bastion.audit")

SUFFIX = ".spool"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS spooled (
    id INTEGER PRIMARY KEY AUTOINCREMENT, sink TEXT NOT NULL, stream TEXT NOT NULL, seq INTEGER NOT NULL,
    body BLOB NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS spooled_sink ON spooled (sink, id);
CREATE TABLE IF NOT EXISTS spooled_checkpoints (
    id INTEGER PRIMARY KEY AUTOINCREMENT, sink TEXT NOT NULL, after INTEGER NOT NULL, stream TEXT NOT NULL,
    seq INTEGER NOT NULL, hash TEXT NOT NULL, secret_id TEXT NOT NULL, mac TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class Taken:
    """The oldest spooled part of one sink's trail: deliver it, then `forget` it."""

    rows: list[Row]
    checkpoints: list[Checkpoint]
    last_row: int
    last_checkpoint: int
    size: int


class Spool:
    def __init__(self, path: Path, lock_fd: int) -> None:
        self.path = path
        self._lock_fd = lock_fd
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5)
        use_wal(self._db)
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._events: dict[str, int] = {}
        self._sizes: dict[str, int] = {}
        counts = "SELECT sink, count(*), coalesce(sum(length(body)), 0) FROM spooled GROUP BY sink"
        for sink, count, size in self._db.execute(counts):
            self._events[sink], self._sizes[sink] = int(count), int(size)
        for (sink,) in self._db.execute("SELECT DISTINCT sink FROM spooled_checkpoints"):
            self._events.setdefault(sink, 0)

    # -- opening ----------------------------------------------------------------------------------

    @classmethod
    def create(cls, directory: Path, stream: str) -> Spool:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{stream}{SUFFIX}"
        spool = cls.adopt(path, create=True)
        if spool is None:  # pragma: no cover - a stream id is unique to its writer
            raise RuntimeError(f"spool {path} is held by another writer")
        return spool

    @classmethod
    def adopt(cls, path: Path, *, create: bool = False) -> Spool | None:
        """The spool at `path`, locked for this writer; None while another writer holds it."""
        lock_path = path.with_suffix(".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        if not create and not path.exists():  # delivered and removed by its writer meanwhile
            with contextlib.suppress(FileNotFoundError):
                lock_path.unlink()
            os.close(fd)
            return None
        return cls(path, fd)

    @staticmethod
    def others(directory: Path, mine: Path | None) -> list[Path]:
        """Spool files in `directory` other than `mine`, oldest first."""
        if not directory.is_dir():
            return []
        found = [path for path in directory.glob(f"*{SUFFIX}") if path != mine]
        return sorted(found, key=lambda path: path.stat().st_mtime if path.exists() else 0.0)

    # -- depth ------------------------------------------------------------------------------------

    def pending(self, sink: str) -> bool:
        return sink in self._events

    @property
    def events(self) -> int:
        return sum(self._events.values())

    @property
    def size(self) -> int:
        return sum(self._sizes.values())

    @property
    def empty(self) -> bool:
        return not self._events

    # -- the trail ---------------------------------------------------------------------------------

    def append(self, sink: str, rows: list[Row], checkpoints: list[Checkpoint]) -> None:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany(
                "INSERT INTO spooled (sink, stream, seq, body, prev, hash) VALUES (?,?,?,?,?,?)",
                [(sink, r.stream, r.seq, r.body, r.prev, r.digest) for r in rows],
            )
            after = db.execute("SELECT coalesce(max(id), 0) FROM spooled WHERE sink = ?", (sink,)).fetchone()[0]
            db.executemany(
                "INSERT INTO spooled_checkpoints (sink, after, stream, seq, hash, secret_id, mac) "
                "VALUES (?,?,?,?,?,?,?)",
                [(sink, after, c.stream, c.seq, c.digest, c.secret_id, c.mac) for c in checkpoints],
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self._events[sink] = self._events.get(sink, 0) + len(rows)
        self._sizes[sink] = self._sizes.get(sink, 0) + sum(len(r.body) for r in rows)

    def take(self, sink: str, limit: int) -> Taken:
        db = self._db
        found = db.execute(
            "SELECT id, stream, seq, body, prev, hash FROM spooled WHERE sink = ? ORDER BY id LIMIT ?", (sink, limit)
        ).fetchall()
        rows = [Row(stream, seq, orjson.loads(body), bytes(body), prev, digest)
                for _, stream, seq, body, prev, digest in found]  # fmt: skip
        last_row = found[-1][0] if found else 0
        rest = db.execute("SELECT 1 FROM spooled WHERE sink = ? AND id > ? LIMIT 1", (sink, last_row)).fetchone()
        # a checkpoint goes with the last event it follows; when no event is left, the rest go too
        bound = last_row if rest is not None else 2**62
        points = db.execute(
            "SELECT id, stream, seq, hash, secret_id, mac FROM spooled_checkpoints WHERE sink = ? AND after <= ? "
            "ORDER BY id",
            (sink, bound),
        ).fetchall()
        checkpoints = [Checkpoint(stream, seq, digest, sid, mac) for _, stream, seq, digest, sid, mac in points]
        last_checkpoint = points[-1][0] if points else 0
        return Taken(rows, checkpoints, last_row, last_checkpoint, sum(len(r.body) for r in rows))

    def forget(self, sink: str, taken: Taken) -> None:
        """`taken` reached its sink: drop it from the spool."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM spooled WHERE sink = ? AND id <= ?", (sink, taken.last_row))
            db.execute("DELETE FROM spooled_checkpoints WHERE sink = ? AND id <= ?", (sink, taken.last_checkpoint))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        left = self._events.get(sink, 0) - len(taken.rows)
        size = self._sizes.get(sink, 0) - taken.size
        more = db.execute("SELECT 1 FROM spooled_checkpoints WHERE sink = ? LIMIT 1", (sink,)).fetchone()
        if left > 0 or more is not None:
            self._events[sink], self._sizes[sink] = max(left, 0), max(size, 0)
        else:
            self._events.pop(sink, None)
            self._sizes.pop(sink, None)

    def sinks(self) -> list[str]:
        return list(self._events)

    def close(self) -> None:
        """Release the spool: removed when empty, left for the next writer otherwise."""
        self._db.close()
        if self.empty:
            for suffix in ("-wal", "-shm", ""):
                with contextlib.suppress(FileNotFoundError):
                    Path(f"{self.path}{suffix}").unlink()
            with contextlib.suppress(FileNotFoundError):
                self.path.with_suffix(".lock").unlink()
        os.close(self._lock_fd)


class Spools:
    """A writer's spools: its own (created on first need) and the ones it adopted from writers that
    stopped with events still spooled (found in the directory every `adopt_every` seconds)."""

    def __init__(self, directory: Path, stream: str) -> None:
        self._directory = directory
        self._stream = stream
        self._own: Spool | None = None
        self._adopted: list[Spool] = []
        self._foreign: set[Path] = set()  # spools for sinks this policy lacks: left alone

    def own(self) -> Spool:
        if self._own is None:
            self._own = Spool.create(self._directory, self._stream)
        return self._own

    def all(self) -> list[Spool]:
        """Adopted ones first (older), then this writer's own."""
        return [*self._adopted, self._own] if self._own is not None else list(self._adopted)

    @property
    def own_size(self) -> int:
        return self._own.size if self._own is not None else 0

    def adopt(self, keys: set[str]) -> None:
        """Take over the spools that stopped writers left in the directory, to deliver them."""
        held = {spool.path for spool in self.all()}
        for path in Spool.others(self._directory, None):
            if path in held or path in self._foreign:
                continue
            try:
                spool = Spool.adopt(path)
            except Exception:
                log.exception("opening the audit spool %s left by another process failed", path)
                continue
            if spool is None:
                continue
            if spool.empty:
                spool.close()
                continue
            unknown = set(spool.sinks()) - keys
            if unknown:
                log.error("audit spool %s holds events for sinks this policy does not have (%s): they stay there",
                          path, ", ".join(sorted(unknown)))  # fmt: skip
                self._foreign.add(path)
            log.warning("delivering %d audit events left in the spool %s", spool.events, path)
            self._adopted.append(spool)

    def release_delivered(self, keys: set[str]) -> None:
        """Close the adopted spools that hold nothing more this writer can deliver."""
        for spool in [s for s in self._adopted if not set(s.sinks()) & keys]:
            if spool.empty:
                log.warning("the audit spool %s is delivered", spool.path)
            spool.close()
            self._adopted.remove(spool)

    def close(self) -> None:
        for spool in self.all():
            if not spool.empty:
                sinks = ", ".join(spool.sinks())
                log.warning("%d audit events for %s stay in the spool %s: the next Bastion process using "
                            "audit.spool.path delivers them", spool.events, sinks, spool.path)  # fmt: skip
            spool.close()
        self._own, self._adopted = None, []
