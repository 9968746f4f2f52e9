"""The columns a database sink stores beside each event, for `bastion audit search` to filter on.

They are copies of fields of the hashed event, so the hash covers them only through the event:
`bastion audit verify` recomputes them from the hashed JSON and names any column that differs (an
event whose `status` column was edited from 400 to 200 no longer matches `search --status 400`, and
verify says which column was changed). Sinks and verify build them with the same function.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

SEARCHABLE = ("ts", "request_id", "client", "subject", "method", "path", "operation", "status", "decision", "rules")


def columns(event: dict[str, Any]) -> tuple[Any, ...]:
    """The searchable columns of `event`, in `SEARCHABLE` order."""
    return (
        event.get("ts"),
        event.get("request_id"),
        event.get("client"),
        event.get("subject"),
        event.get("method"),
        event.get("path"),
        event.get("operation"),
        event.get("status"),
        event.get("decision"),
        " ".join(str(rule.get("rule", "")) for rule in event.get("rules") or ()),
    )


FILTERED = ("client", "subject", "status", "decision", "operation", "method", "request_id")


@dataclass(frozen=True, slots=True)
class Found:
    events: list[dict[str, Any]]
    edited: int  # rows the filters matched whose columns disagree with their hashed event: left out


def hashed_matches(rows: Iterable[Sequence[Any]]) -> Found:
    """Search answers from the hashed event, never from the columns alone.

    `rows` are (stream, seq, hashed JSON, *SEARCHABLE columns). A row whose columns no longer agree
    with its event was edited after it was written: it is left out and counted, and `verify` names it.
    """
    events: list[dict[str, Any]] = []
    edited = 0
    for stream, seq, body, *stored in rows:
        event = orjson.loads(body)
        if tuple(stored) != columns(event):
            edited += 1
            continue
        events.append({"stream": stream, "seq": seq, **event})
    return Found(events, edited)
