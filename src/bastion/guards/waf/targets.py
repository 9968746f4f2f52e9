"""Everything a client controls, as a list of inspectable values with their locations.

The path, query names and values, headers, cookies, JSON keys and values at any depth, form fields,
multipart field names, filenames and values, and XML bodies (as text, with their text nodes and
attribute values). Sizes are bounded: a value is inspected up to `max_value` characters and a
request up to `max_total`, so inspection cost has a ceiling whatever the request.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

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
_MULTIPART_FILENAME = re.compile(r"filename\*?=\s*\"([^\"\r\n]{1,1024})\"", re.IGNORECASE)

_PATH_CANDIDATE = re.compile(r"[\\%\x01-\x1f]|0x|[^\x00-\x7f]")
_SHELL_CANDIDATE = re.compile(r"[a-z0-9/](?:\\|['\"$])[a-z0-9/@*{]")
_PHP_CANDIDATE = re.compile(r"[$(].*(?:/\*|//|#)|(?:/\*|//|#).*[$(]", re.DOTALL)
# Upload APIs that take the file name in a header (X-Filename, X_File_Name, X.Filename ...).
_FILENAME_HEADER = re.compile(r"^(?:x[-_.])?(?:up)?file[-_.]?name$")


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


class TargetCollector:
    def __init__(self, limits: Limits, inspect_plumbing: bool = False) -> None:
        self._limits = limits
        self._plumbing = inspect_plumbing
        self.targets: list[Target] = []
        self._budget = limits.max_total

    def add(self, location: str, kind: str, raw: str, *, form: bool = False) -> None:
        if not raw or self._budget <= 0 or len(self.targets) >= _MAX_TARGETS:
            return
        raw = raw[: self._limits.max_value]
        self._budget -= len(raw)
        text = normalize(raw, form=form)
        self.targets.append(Target(location, kind, raw, text, "text", form))
        # Alternative views only when they differ: comment-free SQL, slash-normalised paths.
        if "/*" in text or "+" in text:
            sql = sql_view(text)
            if sql != text:
                self.targets.append(Target(location, kind, raw, sql, "sql"))
        if _SHELL_CANDIDATE.search(text):
            shell = shell_view(text)
            if shell != text:
                self.targets.append(Target(location, kind, raw, shell, "shell"))
        if _PATH_CANDIDATE.search(text):
            path = path_view(text)
            if path != text:
                self.targets.append(Target(location, kind, raw, path, "path"))
        if ("//" in text or "/*" in text or "#" in text) and _PHP_CANDIDATE.search(text):
            php = php_view(text)
            if php != text:
                self.targets.append(Target(location, kind, raw, php, "php"))


def collect(request: Request, limits: Limits) -> list[Target]:
    collector = TargetCollector(limits)
    collector.add("path", "path", request.path)
    if request.query:
        for name, value in _pairs(request.query):
            collector.add(f"query.{name[:64]}", "query_key", name)
            collector.add(f"query.{name[:64]}", "query", value, form=True)
    for name, value in request.headers:
        if name in PLUMBING_HEADERS:
            if name == "cookie":
                for cookie_name, cookie_value in _cookie_pairs(value):
                    collector.add(f"cookie.{cookie_name[:64]}", "cookie", cookie_value)
                    collector.add(f"cookie.{cookie_name[:64]}", "query_key", cookie_name)
            elif name not in ("host", "content-length"):
                collector.add(f"header.{name}", "header_plumbing", value)
            continue
        collector.add(f"header.{name}", "filename" if _FILENAME_HEADER.match(name) else "header", value)

    body = request.body
    if body:
        _body(request, body, collector)
    return collector.targets


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
    media = request.content_type
    text = body[: collector._limits.max_total].decode("utf-8", "surrogateescape")
    if request.is_json or (not media and text.lstrip()[:1] in ("{", "[")):
        try:
            value = request.json()
        except BodyError:
            collector.add("body", "raw", text)
            return
        _walk_json(value, "body", collector, 0)
        return
    if media == "application/x-www-form-urlencoded" or (not media and "=" in text and "<" not in text[:1]):
        for name, value in _pairs(text):
            collector.add(f"body.{name[:64]}", "form_key", name)
            collector.add(f"body.{name[:64]}", "form", value, form=True)
        return
    if media == "multipart/form-data":
        try:
            fields = parse_multipart(body, request.headers.get("content-type") or "", 512)
        except FormError:
            # Unparseable here may still be parsed by the application's lenient parser (bare LF
            # line ends, say): inspect the raw body and the file names it declares.
            collector.add("body", "raw", text)
            for match in _MULTIPART_FILENAME.finditer(text[:65536]):
                collector.add("body.filename", "filename", match.group(1))
            return
        for field in fields:
            collector.add(f"body.{field.name[:64]}", "form_key", field.name)
            if field.filename is not None:
                collector.add(f"body.{field.name[:64]}.filename", "filename", field.filename)
            collector.add(f"body.{field.name[:64]}", "multipart", field.value)
        return
    if "xml" in media or text.lstrip()[:1] == "<":
        collector.add("body", "xml", text)
        for match in _XML_TEXT.finditer(text[:65536]):
            collector.add("body.text", "xml_text", match.group(1))
        for match in _XML_ATTRIBUTE.finditer(text[:65536]):
            collector.add("body.attribute", "xml_text", match.group(1) or match.group(2) or "")
        return
    collector.add("body", "raw", text)


def _walk_json(value: Any, path: str, collector: TargetCollector, depth: int) -> None:
    if depth > 64:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}"[:256]
            collector.add(child, "json_key", str(key))
            if isinstance(item, str):
                collector.add(child, "json", item)
            elif isinstance(item, dict | list):
                _walk_json(item, child, collector, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                collector.add(f"{path}.{index}", "json", item)
            elif isinstance(item, dict | list):
                _walk_json(item, f"{path}.{index}", collector, depth + 1)
    elif isinstance(value, str):
        collector.add(path, "json", value)
