"""Audit events as JSON lines: a file with size-based rotation, or standard output."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import orjson

from bastion.audit.chain import Checkpoint
from bastion.audit.sinks import Row


def _line(row: Row) -> bytes:
    return (
        orjson.dumps({"stream": row.stream, "seq": row.seq, "prev": row.prev, "hash": row.digest, "event": row.event})
        + b"\n"
    )


class JSONLSink:
    name = "jsonl"

    def __init__(self, path: Path, max_size: int, keep: int) -> None:
        self._path = path
        self._max = max_size
        self._keep = keep
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(path, "ab")  # noqa: SIM115 - kept open across batches
        self._size = self._file.tell()

    def write(self, rows: list[Row], checkpoints: list[Checkpoint]) -> None:
        data = b"".join(_line(row) for row in rows)
        for point in checkpoints:
            data += orjson.dumps({"checkpoint": {"stream": point.stream, "seq": point.seq, "hash": point.digest,
                                                 "secret_id": point.secret_id, "mac": point.mac}}) + b"\n"  # fmt: skip
        if self._size and self._size + len(data) > self._max:
            self._rotate()
        self._file.write(data)
        self._file.flush()
        self._size += len(data)

    def _rotate(self) -> None:
        self._file.close()
        for index in range(self._keep - 1, 0, -1):
            older = self._path.with_name(f"{self._path.name}.{index}")
            if older.exists():
                os.replace(older, self._path.with_name(f"{self._path.name}.{index + 1}"))
        os.replace(self._path, self._path.with_name(f"{self._path.name}.1"))
        self._file = open(self._path, "ab")  # noqa: SIM115
        self._size = 0

    def close(self) -> None:
        self._file.close()


class StdoutSink:
    name = "stdout"

    def write(self, rows: list[Row], checkpoints: list[Checkpoint]) -> None:
        sys.stdout.buffer.write(b"".join(_line(row) for row in rows))
        sys.stdout.buffer.flush()

    def close(self) -> None:
        return None
