"""What the WAF inspects: client-controlled values with their location, and the views read by rules.

The `Collector` gathers values while a request is walked (collect.py, bodies.py) and applies the
size limits in one batch, decoding only the values that need it.

A `Value` is one thing a client sent (a query value, a JSON key, a header, a multipart part...) as it
was collected; `Inspected` holds a request's values and the texts one scan reads (each value's
normalised text and the alternative views that differ from it); a `Target` is built for a text only
when a rule matched it, for the rule's check and the audit trail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple
from urllib.parse import unquote, unquote_plus

from bastion.guards.waf.views import Variant, needing_views, views

Kind = Literal[
    "path",
    "query",
    "query_key",
    "header",
    "header_plumbing",
    "cookie",
    "json",
    "json_key",
    "form",
    "form_key",
    "multipart",
    "filename",
    "xml",
    "xml_text",
    "raw",
]


class Value(NamedTuple):
    """One client-controlled value as collected (a tuple: a request has many, most never matched)."""

    parent: str  # where its container sits: path, query, header, cookie, body, body.items.0 ...
    leaf: str | int | None  # its name or index inside the container, None for the container itself
    kind: Kind
    raw: str  # as sent: still percent-encoded, escaped, possibly base64
    form: bool = False  # decoded as a form value (`+` is a space)
    # A query operator's operand, for a name that is one (`$gt` in JSON: its value; `price[$lt]`: the
    # pair's value): what tells a filter API's `{"$gte": 1552}` from an injected `{"$ne": null}`
    operand: Any = None  # Any, not object: the compiled build looks a NamedTuple's annotations up by name

    @property
    def location(self) -> str:
        return location(self.parent, self.leaf)


def location(parent: str, leaf: str | int | None) -> str:
    return parent if leaf is None else f"{parent}.{leaf}"[:256]


@dataclass(slots=True)
class Target:
    """A matched text with what a check or an audit entry needs to know about it."""

    location: str  # path, query.q, header.user-agent, cookie.sid, body.items.0.note, body.<key>...
    kind: Kind
    raw: str
    text: str  # normalised view used for matching
    variant: Variant = "text"  # which view of the value `text` is
    form: bool = False
    operand: Any = None  # Value.operand


def as_sent(target: object, text: str) -> str:
    """A matched value as the application received it, before any escape is read: its raw form
    percent-decoded once (`+` a space in a form value). For checks that need what the lower-cased,
    escape-decoded text has lost: case (base64), backslashes (a PHP namespace)."""
    raw = str(getattr(target, "raw", "") or text)
    return unquote_plus(raw) if getattr(target, "form", False) else unquote(raw)


@dataclass(frozen=True, slots=True)
class Limits:
    max_value: int = 64 * 1024
    max_total: int = 1024 * 1024


class Inspected:
    """A request's values and their views, as the flat list of texts one scan reads.

    Target objects (and location strings) are only built for the texts a rule matched: most values
    of most requests match nothing, and they cost a list entry, not an object.
    """

    __slots__ = ("_targets", "_views", "oversized", "owners", "texts", "values", "variants")

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.variants: list[Variant] = []
        self.owners: list[int] = []  # text index -> index of its value
        self.values: list[Value] = []
        self.oversized = False  # some client content was beyond the inspection limits
        self._targets: dict[int, Target] = {}
        self._views: dict[tuple[str, bool], list[tuple[Variant, str]]] = {}  # a value repeated is read once

    def kind_of(self, index: int) -> Kind:
        return self.values[self.owners[index]].kind

    def target(self, index: int) -> Target:
        target = self._targets.get(index)
        if target is None:
            value = self.values[self.owners[index]]
            text, variant = self.texts[index], self.variants[index]
            target = Target(value.location, value.kind, value.raw, text, variant, value.form, value.operand)
            self._targets[index] = target
        return target

    def add_plain(self, value: Value) -> None:
        """A value that decodes to itself and has no other view: its lower-cased text is enough."""
        self.owners.append(len(self.values))
        self.values.append(value)
        self.texts.append(value.raw.lower())
        self.variants.append("text")

    def add_decoded(self, value: Value) -> None:
        """A value that needs decoding: its normalised text and every view that differs from it."""
        owner = len(self.values)
        self.values.append(value)
        key = (value.raw, value.form)
        found = self._views.get(key)
        if found is None:
            found = self._views[key] = views(value.raw, value.form)
        for variant, view in found:
            self.texts.append(view)
            self.variants.append(variant)
            self.owners.append(owner)


MAX_VALUES = 2000
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1a\udc80-\udcff]")


class Collector:
    """Gathers values cheaply while a request is walked, then decodes them in one batch."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.pending: list[Value] = []
        self.oversized = False
        self.file_characters = 0  # uploaded text files and opaque bodies, inspected outside max_total

    def add(  # noqa: PLR0913  keyword-only past the value: how it decodes, and a name's operand
        self, parent: str, leaf: str | int | None, kind: Kind, raw: str, *, form: bool = False, operand: object = None
    ) -> None:
        if raw:
            self.pending.append(Value(parent, leaf, kind, raw, form, operand))

    def add_document(self, parent: str, leaf: str | int | None, kind: Kind, text: str, *, longer: bool = False) -> None:
        """A file or opaque body: binary ones are skipped (bytes to store, not to parse); text ones
        (XML, SVG, CSV, logs) are read whole up to max_value characters for all such documents
        together, outside the request's max_total (which is for what applications parse). A text
        document past that (or `longer` than what was kept of it) is oversized content."""
        if not text or _BINARY.search(text[:1024]):
            return
        room = self.limits.max_value - self.file_characters
        if len(text) > room or longer:
            self.oversized = True
        if room > 0:
            content = text[:room]
            self.file_characters += len(content)
            self.pending.append(Value(parent, leaf, kind, content))

    def exceeds_limits(self) -> bool:
        if self.oversized or len(self.pending) > MAX_VALUES:
            return True
        max_value = self.limits.max_value
        total = 0
        for value in self.pending:
            size = len(value.raw)
            if size > max_value:
                return True
            total += size
        return total - self.file_characters > self.limits.max_total

    def finish(self) -> Inspected:
        """The values within the limits, in collection order: plain ones (nothing to decode, no
        view that could differ) only lower-cased, the others decoded with all their views."""
        inspected = Inspected()
        inspected.oversized = self.oversized
        values = self.pending
        if len(values) > MAX_VALUES:
            values = values[:MAX_VALUES]
            inspected.oversized = True
        budget = self.limits.max_total + self.file_characters
        max_value = self.limits.max_value
        kept: list[Value] = []
        for value in values:
            room = min(max_value, budget)
            fitting = value
            if len(value.raw) > room:
                # What does not fit is not inspected: the guard decides (oversize policy) whether a
                # request with uninspected content may pass.
                inspected.oversized = True
                if room <= 0:
                    break
                fitting = value._replace(raw=value.raw[:room])
            budget -= len(fitting.raw)
            kept.append(fitting)
        if not kept:
            return inspected
        special = needing_views([value.raw for value in kept])
        for index, value in enumerate(kept):
            if index in special:
                inspected.add_decoded(value)
            else:
                inspected.add_plain(value)
        return inspected
