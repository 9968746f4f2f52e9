"""The hash chain over a stream of events, and its HMAC-signed checkpoints.

Each gateway process writes its own stream: events numbered 1, 2, 3 ... each carrying the hash of
the previous one (`prev`) and its own (`hash` = SHA-256 of prev and the event's canonical JSON).
Deleting, inserting or editing an event breaks the numbering or the links; rewriting the whole tail
consistently is caught by the next checkpoint, an HMAC (keyed from secrets.key) over the stream, the
sequence number and the hash at that point, which cannot be forged without the key. The columns a
database keeps beside the event for search are checked against the hashed event (`columns.py`).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from bastion.audit.columns import SEARCHABLE, columns

GENESIS = "0" * 64


def canonical(event: Mapping[str, Any]) -> bytes:
    return orjson.dumps(event, option=orjson.OPT_SORT_KEYS)


def link(prev: str, body: bytes) -> str:
    return hashlib.sha256(prev.encode() + body).hexdigest()


def checkpoint_mac(key: bytes, stream: str, seq: int, digest: str) -> str:
    return hmac.new(key, f"{stream}:{seq}:{digest}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredEvent:
    stream: str
    seq: int
    body: bytes  # the canonical JSON as stored
    prev: str
    digest: str
    columns: tuple[Any, ...] | None = None  # the stored searchable columns, in SEARCHABLE order
    document: Any = None  # a stored parsed copy of the event (PostgreSQL's jsonb), when there is one


@dataclass(frozen=True, slots=True)
class Checkpoint:
    stream: str
    seq: int
    digest: str
    secret_id: str
    mac: str


@dataclass(frozen=True, slots=True)
class Problem:
    stream: str
    seq: int
    what: str

    def __str__(self) -> str:
        return f"stream {self.stream}, event {self.seq}: {self.what}"


def verify(
    events: Iterable[StoredEvent], checkpoints: Iterable[Checkpoint], keys: Mapping[str, bytes]
) -> tuple[int, list[Problem]]:
    """(events checked, problems found). `events` must come ordered by stream then sequence."""
    problems: list[Problem] = []
    hashes: dict[tuple[str, int], str] = {}
    checked = 0
    stream = None
    expected_seq = 1
    prev = GENESIS
    for event in events:
        checked += 1
        if event.stream != stream:
            stream, expected_seq, prev = event.stream, 1, GENESIS
        if event.seq != expected_seq:
            if event.seq > expected_seq:
                missing = f"{expected_seq}" if event.seq == expected_seq + 1 else f"{expected_seq}..{event.seq - 1}"
                problems.append(Problem(event.stream, event.seq, f"events {missing} are missing before it (deleted)"))
            else:
                problems.append(Problem(event.stream, event.seq, "appears twice or out of order (inserted)"))
        if event.prev != prev:
            problems.append(
                Problem(event.stream, event.seq, "does not link to the event before it (inserted or reordered)")
            )
        if link(event.prev, event.body) != event.digest:
            problems.append(Problem(event.stream, event.seq, "its content does not match its hash (modified)"))
        elif event.columns is not None or event.document is not None:
            problems.extend(_copies_edited(event))
        hashes[(event.stream, event.seq)] = event.digest
        prev = event.digest
        expected_seq = event.seq + 1
    problems += _checkpoint_problems(checkpoints, hashes, keys)
    return checked, problems


def _checkpoint_problems(
    checkpoints: Iterable[Checkpoint], hashes: Mapping[tuple[str, int], str], keys: Mapping[str, bytes]
) -> list[Problem]:
    """Checkpoints signed with an unknown key or a wrong MAC, or that no longer match the chain they sign."""
    problems: list[Problem] = []
    for point in checkpoints:
        key = keys.get(point.secret_id)
        if key is None:
            problems.append(
                Problem(point.stream, point.seq, f"checkpoint signed with an unknown secret {point.secret_id}")
            )
            continue
        if not hmac.compare_digest(checkpoint_mac(key, point.stream, point.seq, point.digest), point.mac):
            problems.append(
                Problem(point.stream, point.seq, "checkpoint signature is wrong (checkpoint forged or edited)")
            )
            continue
        actual = hashes.get((point.stream, point.seq))
        if actual is None:
            problems.append(Problem(point.stream, point.seq, "the event a checkpoint signs is missing"))
        elif actual != point.digest:
            problems.append(
                Problem(point.stream, point.seq, "the chain differs from the signed checkpoint (rewritten)")
            )
    return problems


def _copies_edited(event: StoredEvent) -> list[Problem]:
    """The stored copies of the hashed event's fields (search columns, a jsonb copy) that differ."""
    try:
        hashed = orjson.loads(event.body)
    except orjson.JSONDecodeError:
        return [Problem(event.stream, event.seq, "its stored JSON does not parse (modified)")]
    problems = []
    if event.columns is not None:
        for name, stored, expected in zip(SEARCHABLE, event.columns, columns(hashed), strict=True):
            if stored != expected:
                problems.append(
                    Problem(
                        event.stream,
                        event.seq,
                        f"its {name} column was edited: {stored!r} stored, {expected!r} in the hashed event",
                    )
                )
    if event.document is not None and event.document != hashed:
        problems.append(Problem(event.stream, event.seq, "its event column differs from the hashed event (edited)"))
    return problems
