"""Where audit events go. Each sink writes a batch in one transaction (or one write) from the
writer thread; the database sinks also read events back for `bastion audit verify` and `search`.

A batch may reach a sink twice (the sink committed but the acknowledgement was lost, or a process
was killed between delivering spooled events and forgetting them): the database sinks ignore an
event whose (stream, seq) they already hold, so delivery is at least once and storage exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from bastion.audit.chain import Checkpoint


@dataclass(frozen=True, slots=True)
class Row:
    stream: str
    seq: int
    event: dict[str, Any]
    body: bytes  # canonical JSON of `event`, what the hash covers
    prev: str
    digest: str


class Sink(Protocol):
    name: str  # stable across restarts: names the sink's part of the spool and its metrics

    def write(self, rows: list[Row], checkpoints: list[Checkpoint]) -> None: ...

    def close(self) -> None: ...
