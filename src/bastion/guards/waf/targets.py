"""Everything a client controls, as a list of inspectable values with their locations.

The path, query names and values, headers, cookies, JSON keys and values at any depth, form fields,
multipart field names, filenames and values, and XML bodies (as text, with their text nodes and
attribute values). Sizes are bounded: a value is inspected up to `max_value` characters and a
request up to `max_total`, so inspection cost has a ceiling whatever the request.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from bastion.core.json_body import BodyError
from bastion.core.request import Request
from bastion.guards.validation.forms import FormError, parse_multipart
from bastion.guards.waf.decode import normalize, path_view, php_view, shell_view, sql_view

# Headers whose values carry protocol plumbing, not client data worth matching (still checked for
# shellshock and JNDI lookups, which hide anywhere).
PLUMBING_HEADERS = frozenset(
    {
        "host",
        "content-length",
        "content-type",
        "connection",
        "accept",
        "accept-encoding",
        "accept-language",
        "cache-control",
        "pragma",
        "upgrade-insecure-requests",
        "te",
        "dnt",
        "if-none-match",
        "if-modified-since",
        "sec-fetch-site",
        "sec-fetch-mode",
        "sec-fetch-dest",
        "sec-fetch-user",
        "sec-ch-ua",
        "sec-ch-ua-mobile",
        "sec-ch-ua-platform",
        "priority",
        "authorization",
        "cookie",
        "expect",
    }
)
_XML_TEXT = re.compile(r">([^<>]{1,4096})<")
_XML_ATTRIBUTE = re.compile(r"=\s*\"([^\"]{0,4096})\"|=\s*'([^']{0,4096})'")
_MAX_TARGETS = 2000
# Plumbing headers are only read for lookups and function definitions hidden in them (JNDI, shellshock).
PLUMBING_SUSPECT = re.compile(r"[${(%\\]")

# Values made only of these characters decode to themselves and have no other view.
# Where one of these occurs, a value needs decoding or may read differently in another view.
_NOT_PLAIN_SEARCH = re.compile(r"[^A-Za-z0-9_ .,:@=/\x00-]").search


_BINARY = re.compile(r"[\x00-\x08\x0e-\x1a\udc80-\udcff]")
_MULTIPART_FILENAME = re.compile(r"filename\*?=\s*\"([^\"\r\n]{1,1024})\"", re.IGNORECASE)

_NEEDS_DECODING = re.compile(r"[%&\\+\x00]")
_CONTROL = re.compile(r"[\x01-\x1f]")
# Shell views are for words glued from pieces: `c\at`, `wh''oami`, `c$@at`, `w'h'o'am'i` always; a
# single apostrophe inside a word ("it's") only when the value also has a shell metacharacter.
_SHELL_GLUE_STRONG = re.compile(
    r"[a-z0-9/](?:\\|''|\"\"|\$@|\$\*|\$\{\})[a-z0-9/@*{]|[a-z0-9/]['\"][a-z0-9/]+['\"][a-z0-9/]"
)
_SHELL_GLUE = re.compile(r"[a-z0-9/](?:\\|['\"$])[a-z0-9/@*{]")
_SHELL_METACHARACTER = re.compile(r"[;|&`$<>\n]")


def shell_candidate(text: str) -> bool:
    """Whether the shell view (words glued from quoted or escaped pieces) can differ, and matter."""
    if _SHELL_GLUE.search(text) is None:
        return False
    return _SHELL_METACHARACTER.search(text) is not None or _SHELL_GLUE_STRONG.search(text) is not None


def _path_candidate(text: str) -> bool:
    """Whether the path view (separators and dots as lenient decoders read them) can differ."""
    return (
        not text.isascii()
        or "\\" in text
        or "%" in text
        or "0x" in text
        or "/." in text
        or "//" in text
        or "?" in text
        or "*" in text
        or _CONTROL.search(text) is not None
    )


GRAPHQL_PARAMETERS = frozenset({"query", "variables", "operationName", "extensions"})


class GraphQLValues(Protocol):
    """What the graphql guard hands the WAF (guards.graphql.GraphQLInfo)."""

    values: list[tuple[str, str]]
    carrier: str


# Forwarding headers hold addresses a proxy wrote; a value that is only a list of IP addresses is not a
# payload (a loopback address there is the proxy, not a request forgery). Anything else in them, an
# injection through X-Forwarded-For included, is inspected like any other header.
FORWARDING_HEADERS = frozenset({"x-forwarded-for", "x-real-ip", "x-client-ip", "true-client-ip"})
_ADDRESS_LIST = re.compile(r"[0-9A-Fa-f.:\[\] ,]{1,1024}")


def only_addresses(name: str, value: str) -> bool:
    return name in FORWARDING_HEADERS and _ADDRESS_LIST.fullmatch(value) is not None


# Upload APIs that take the file name in a header (X-Filename, X_File_Name, X.Filename ...).
FILENAME_HEADER = re.compile(r"^(?:x[-_.])?(?:up)?file[-_.]?name$")


@dataclass(slots=True)
class Target:
    location: str  # path, query.q, header.user-agent, cookie.sid, body.items.0.note, body.<key>...
    kind: str  # path query query_key header header_plumbing cookie json json_key form form_key
    # multipart filename xml xml_text raw
    raw: str
    text: str  # normalised view used for matching
    variant: str = "text"  # text, sql, path, shell or php: which view of the value `text` is
    form: bool = False  # decoded as a form value (`+` is a space)


@dataclass(frozen=True, slots=True)
class Limits:
    max_value: int = 64 * 1024
    max_total: int = 1024 * 1024


class Inspected:
    """A request's values and their views, as the flat list of texts one scan reads.

    Target objects (and location strings) are only built for the texts a rule matched: most values
    of most requests match nothing, and they cost a list entry, not an object.
    """

    __slots__ = ("_targets", "items", "oversized", "owners", "texts", "variants")

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.variants: list[str] = []
        self.owners: list[int] = []
        self.items: list[Item] = []
        self.oversized = False  # some client content was beyond the inspection limits
        self._targets: dict[int, Target] = {}

    def target(self, index: int) -> Target:
        target = self._targets.get(index)
        if target is None:
            parent, leaf, kind, raw, form = self.items[self.owners[index]]
            target = Target(location(parent, leaf), kind, raw, self.texts[index], self.variants[index], form)
            self._targets[index] = target
        return target

    def add_plain(self, item: Item) -> None:
        self.owners.append(len(self.items))
        self.items.append(item)
        self.texts.append(item[3].lower())
        self.variants.append("text")

    def add_decoded(self, item: Item) -> None:
        """A value that needs decoding: its normalised text and every view that differs from it."""
        owner = len(self.items)
        self.items.append(item)
        raw = item[3]
        text = normalize(raw, form=item[4]) if _NEEDS_DECODING.search(raw) or not raw.isascii() else raw.lower()
        self._view(owner, text, "text")
        # Alternative views only when they differ: comment-free SQL, slash-normalised paths...
        if "/*" in text or "+" in text:
            self._view(owner, sql_view(text), "sql", text)
        if shell_candidate(text):
            self._view(owner, shell_view(text), "shell", text)
        if _path_candidate(text):
            self._view(owner, path_view(text), "path", text)
        if ("//" in text or "/*" in text or "#" in text) and ("$" in text or "(" in text):
            self._view(owner, php_view(text), "php", text)

    def _view(self, owner: int, text: str, variant: str, base: str | None = None) -> None:
        if text != base:
            self.texts.append(text)
            self.variants.append(variant)
            self.owners.append(owner)


# A value as collected: (parent location, leaf name or index or None, kind, raw text, form-decoded).
Item = tuple[str, "str | int | None", str, str, bool]


def location(parent: str, leaf: str | int | None) -> str:
    return parent if leaf is None else f"{parent}.{leaf}"[:256]


class TargetCollector:
    """Gathers values cheaply while a request is walked, then decodes them in one batch."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.pending: list[Item] = []
        self.oversized = False
        self.file_characters = 0  # uploaded text files, inspected as a prefix outside the limits

    def add(self, parent: str, leaf: str | int | None, kind: str, raw: str, *, form: bool = False) -> None:
        if raw:
            self.pending.append((parent, leaf, kind, raw, form))

    def add_document(self, parent: str, leaf: str | int | None, kind: str, text: str) -> None:
        """A file or opaque body: binary ones are skipped (bytes to store, not to parse); text ones
        (XML, SVG, CSV, logs) are read from their start, up to max_value characters for all such
        documents together, outside the request's limits (which are for what applications parse)."""
        if not text or _BINARY.search(text[:1024]):
            return
        room = self.limits.max_value - self.file_characters
        if room > 0:
            content = text[:room]
            self.file_characters += len(content)
            self.pending.append((parent, leaf, kind, content, False))

    def exceeds_limits(self) -> bool:
        if self.oversized or len(self.pending) > _MAX_TARGETS:
            return True
        max_value = self.limits.max_value
        total = 0
        for item in self.pending:
            size = len(item[3])
            if size > max_value:
                return True
            total += size
        return total - self.file_characters > self.limits.max_total

    def finish(self) -> Inspected:
        """Plain values (nothing to decode, no view that could differ) are only lower-cased; the
        others are decoded one by one. Size limits apply here, to the values in collection order.
        Which values are plain is found by searching all of them joined, skipping to the next value
        at each hit, so a clean request costs a handful of searches whatever its number of values."""
        inspected = Inspected()
        inspected.oversized = self.oversized
        items = self.pending
        if len(items) > _MAX_TARGETS:
            items = items[:_MAX_TARGETS]
            inspected.oversized = True
        budget = self.limits.max_total + self.file_characters
        max_value = self.limits.max_value
        kept: list[Item] = []
        for parent, leaf, kind, value, form in items:
            room = min(max_value, budget)
            if len(value) > room:
                # What does not fit is not inspected: the guard decides (oversize policy) whether a
                # request with uninspected content may pass.
                inspected.oversized = True
                if room <= 0:
                    break
            raw = value[:room]
            budget -= len(raw)
            kept.append((parent, leaf, kind, raw, form))

        if not kept:
            return inspected
        joined = "\x00".join([item[3] for item in kept])
        special: set[int] = set()
        if joined.count("\x00") != len(kept) - 1:
            special = {index for index, item in enumerate(kept) if _NOT_PLAIN_SEARCH(item[3]) or "\x00" in item[3]}
        else:
            # The separator counts as plain, so a search runs to the next special character of any value.
            ends: list[int] = []
            offset = -1
            for item in kept:
                offset += len(item[3]) + 1
                ends.append(offset)  # where the separator after each value sits
            position = 0
            while (found := _NOT_PLAIN_SEARCH(joined, position)) is not None:
                index = bisect.bisect_left(ends, found.start())
                special.add(index)
                position = ends[index] + 1
        for index, item in enumerate(kept):
            raw = item[3]
            if index in special or ("/" in raw and ("/." in raw or "//" in raw)) or "0x" in raw or "0X" in raw:
                inspected.add_decoded(item)
            else:
                inspected.add_plain(item)
        return inspected


def collect(
    request: Request, limits: Limits, *, refuse_oversized: bool = False, graphql: GraphQLValues | None = None
) -> Inspected:
    """The request's values, decoded. With `refuse_oversized`, a request with more content than the
    limits comes back empty and marked oversized, without spending time on decoding it.

    For a GraphQL request the document itself is not inspected (its syntax is not an attack): the
    graphql guard's argument values and variables take the place of the body or query string.
    """
    collector = TargetCollector(limits)
    add = collector.pending.append
    if request.path:
        add(("path", None, "path", request.path, False))
    if graphql is not None:
        for where, value in graphql.values:
            add(("graphql", where, "json", value, False))
    if request.query:
        for name, value in _pairs(request.query):
            if graphql is not None and graphql.carrier == "query" and name in GRAPHQL_PARAMETERS:
                continue
            leaf = name[:64]
            add(("query", leaf, "query_key", name, False))
            if value:
                add(("query", leaf, "query", value, True))
    for name, value in request.headers:
        if name not in PLUMBING_HEADERS:
            if not only_addresses(name, value):
                add(("header", name, "filename" if FILENAME_HEADER.match(name) else "header", value, False))
        elif name == "cookie":
            for cookie_name, cookie_value in _cookie_pairs(value):
                leaf = cookie_name[:64]
                if cookie_value:
                    add(("cookie", leaf, "cookie", cookie_value, False))
                add(("cookie", leaf, "query_key", cookie_name, False))
        elif name not in ("host", "content-length") and PLUMBING_SUSPECT.search(value):
            add(("header", name, "header_plumbing", value, False))
    body = request.body
    if body and (graphql is None or graphql.carrier != "body"):
        _body(request, body, collector)
    if refuse_oversized and collector.exceeds_limits():
        inspected = Inspected()
        inspected.oversized = True
        return inspected
    return collector.finish()


def _pairs(query: str) -> Iterator[tuple[str, str]]:
    """Query or form pairs with their raw (still percent-encoded) values, for normalize() to decode."""
    for piece in query.split("&")[:1000]:
        # a body's trailing newline is not part of its last bare name
        part = piece if "=" in piece else piece.rstrip("\r\n")
        if not part:
            continue
        name, equals, value = part.partition("=")
        # A bare name (`?<payload>` or a form body without `=`) is read by applications as a value too.
        yield _unplus(name), value if equals else part


def _unplus(name: str) -> str:
    return normalize(name, form=True) if ("%" in name or "+" in name) else name.lower()


def _cookie_pairs(header: str) -> Iterator[tuple[str, str]]:
    for part in header.split(";")[:200]:
        name, _, value = part.strip().partition("=")
        if name:
            yield name, value


def _body(request: Request, body: bytes, collector: TargetCollector) -> None:
    """Structured bodies (JSON, forms, XML) are read whole, within the limits; a multipart body's
    fields likewise, its text files and any other body (text, octet streams) from their start."""
    media = request.content_type
    structured = (
        request.is_json
        or media in ("application/x-www-form-urlencoded", "multipart/form-data")
        or "xml" in media
        or (not media and body.lstrip()[:1] in (b"{", b"[", b"<"))
        or (not media and b"=" in body[:4096])
    )
    if not structured:
        collector.add_document(
            "body", None, "raw", body[: collector.limits.max_value * 4].decode("utf-8", "surrogateescape")
        )
        return
    if len(body) > collector.limits.max_total and media != "multipart/form-data":
        collector.oversized = True
    text = body[: collector.limits.max_total].decode("utf-8", "surrogateescape")
    add = collector.add
    if request.is_json or (not media and text.lstrip()[:1] in ("{", "[")):
        try:
            value = request.json()
        except BodyError:
            add("body", None, "raw", text)
            return
        _walk_json(value, "body", collector.pending.append, 0)
        return
    if media == "application/x-www-form-urlencoded" or (not media and "=" in text and "<" not in text[:1]):
        for name, value in _pairs(text):
            add("body", name[:64], "form_key", name)
            add("body", name[:64], "form", value, form=True)
        return
    if media == "multipart/form-data":
        try:
            fields = parse_multipart(body, request.headers.get("content-type") or "", 512)
        except FormError:
            # Unparseable here may still be parsed by the application's lenient parser (bare LF
            # line ends, say): inspect the raw body and the file names it declares.
            add("body", None, "raw", text)
            for match in _MULTIPART_FILENAME.finditer(text[:65536]):
                add("body", "filename", "filename", match.group(1))
            return
        for field in fields:
            leaf = field.name[:64]
            add("body", leaf, "form_key", field.name)
            if field.filename is not None:
                add("body", f"{leaf}.filename", "filename", field.filename)
                collector.add_document("body", leaf, "multipart", field.value)
                continue
            add("body", leaf, "multipart", field.value)
        return
    if "xml" in media or text.lstrip()[:1] == "<":
        add("body", None, "xml", text)
        for match in itertools.islice(_XML_TEXT.finditer(text[:65536]), _MAX_TARGETS):
            add("body", "text", "xml_text", match.group(1))
        for match in itertools.islice(_XML_ATTRIBUTE.finditer(text[:65536]), _MAX_TARGETS):
            add("body", "attribute", "xml_text", match.group(1) or match.group(2) or "")
        return
    add("body", None, "raw", text)


def _walk_json(value: Any, path: str, add: Callable[[Item], None], depth: int) -> None:
    """Keys and string values at any depth; a location string is only built for containers."""
    if depth > 64:
        return
    if type(value) is dict:
        for key, item in value.items():
            add((path, key, "json_key", key, False))
            kind = type(item)
            if kind is str:
                if item:
                    add((path, key, "json", item, False))
            elif kind is dict or kind is list:
                _walk_json(item, f"{path}.{key}"[:256], add, depth + 1)
    elif type(value) is list:
        for index, item in enumerate(value):
            kind = type(item)
            if kind is str:
                if item:
                    add((path, index, "json", item, False))
            elif kind is dict or kind is list:
                _walk_json(item, f"{path}.{index}"[:256], add, depth + 1)
    elif type(value) is str and value:
        add((path, None, "json", value, False))
