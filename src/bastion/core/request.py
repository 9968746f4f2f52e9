"""The engine's view of an HTTP request, the same whichever host received it.

A host (reverse proxy, ASGI, WSGI, ext-authz) builds one `Request` per exchange; guards only read it.
Derived views (query pairs, cookies, the parsed JSON body) are computed at most once, on first use,
so no guard parses what another guard already parsed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, unquote

from bastion.core.forms import FormError, FormField, parse_multipart, parse_urlencoded
from bastion.core.json_body import DEFAULT_LIMITS, BodyError, JSONLimits, exact_value

__all__ = ["BodyError", "FormError", "FormField", "Headers", "Request", "TLSInfo"]


@dataclass(frozen=True, slots=True)
class TLSInfo:
    """What the TLS handshake established: facts mTLS and HSTS decisions rely on."""

    version: str | None = None
    cipher: str | None = None
    peer_cert: bytes | None = None  # DER of the verified client certificate, when one was sent


class Headers:
    """Read-only header fields: lower-case names, latin-1 values, order and duplicates kept.

    Latin-1 maps every byte to one character, so no header byte is lost or reinterpreted and
    inspection sees exactly what the client sent.
    """

    __slots__ = ("_first", "_items")

    def __init__(self, items: Iterable[tuple[str, str]]) -> None:
        self._items = tuple(items)
        first: dict[str, str] = {}
        for name, value in self._items:
            first.setdefault(name, value)
        self._first = first

    @classmethod
    def from_raw(cls, raw: Iterable[tuple[bytes, bytes]]) -> Headers:
        return cls((name.decode("latin-1").lower(), value.decode("latin-1")) for name, value in raw)

    def get(self, name: str, default: str | None = None) -> str | None:
        return self._first.get(name, default)

    def get_all(self, name: str) -> list[str]:
        return [value for key, value in self._items if key == name]

    def count(self, name: str) -> int:
        return sum(1 for key, _ in self._items if key == name)

    def __contains__(self, name: object) -> bool:
        return name in self._first

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def items(self) -> tuple[tuple[str, str], ...]:
        return self._items

    def __repr__(self) -> str:
        return f"Headers({len(self._items)} fields)"


_UNSET: Any = object()


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str  # as received: still percent-encoded, never normalised by the host
    query: str  # raw query string without '?', bytes preserved
    headers: Headers
    client: str  # the client IP address (after trusted-proxy resolution)
    scheme: str = "http"
    body: bytes | None = None  # None when the body is streamed and not inspected
    tls: TLSInfo | None = None
    http_version: str = "1.1"
    peer: str = ""  # the address of the TCP peer, which may be a trusted proxy
    body_withheld: bool = False  # ext-authz: the proxy asked about a request without sending its body
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def host(self) -> str:
        return (self.headers.get("host") or "").lower()

    @property
    def target(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path

    @property
    def segments(self) -> tuple[str, ...]:
        """Path segments, each percent-decoded on its own so %2F never becomes a separator."""
        cached = self._cache.get("segments")
        if cached is None:
            cached = tuple(unquote(s, errors="surrogateescape") for s in self.path.split("/")[1:])
            self._cache["segments"] = cached
        return cached

    @property
    def query_params(self) -> list[tuple[str, str]]:
        cached = self._cache.get("query_params")
        if cached is None:
            cached = parse_qsl(self.query, keep_blank_values=True, errors="surrogateescape") if self.query else []
            self._cache["query_params"] = cached
        return cached

    @property
    def cookies(self) -> dict[str, str]:
        cached = self._cache.get("cookies")
        if cached is None:
            cached = {}
            for header in self.headers.get_all("cookie"):
                jar: SimpleCookie = SimpleCookie()
                try:
                    jar.load(header)
                except CookieError:
                    continue
                cached.update({name: morsel.value for name, morsel in jar.items()})
            self._cache["cookies"] = cached
        return cached

    @property
    def content_type(self) -> str:
        """Media type without parameters, lower-cased; empty when absent."""
        cached = self._cache.get("content_type")
        if cached is None:
            raw = self.headers.get("content-type") or ""
            cached = raw.split(";", 1)[0].strip().lower()
            self._cache["content_type"] = cached
        return cached

    @property
    def is_json(self) -> bool:
        ct = self.content_type
        return ct == "application/json" or (ct.startswith("application/") and ct.endswith("+json"))

    def json(self, limits: JSONLimits = DEFAULT_LIMITS) -> Any:
        """The JSON body, parsed once and strictly (duplicate keys, depth, sizes); raises BodyError.

        Every guard reads the body through here, so none can be fooled by a duplicate key that
        another parser would resolve differently.
        """
        cached = self._cache.get("json", _UNSET)
        if cached is not _UNSET and self._cache.get("json_limits") == limits.key:
            if isinstance(cached, BodyError):
                raise cached
            return cached
        try:
            value, inexact = limits.parse_noting_precision(self.body or b"")
        except BodyError as error:
            self._cache["json"], self._cache["json_limits"] = error, limits.key
            raise
        self._cache["json"], self._cache["json_limits"] = value, limits.key
        self._cache["json_inexact"] = inexact
        return value

    def exact_json(self, limits: JSONLimits = DEFAULT_LIMITS) -> Any:
        """`json()`, with Decimals where the text is more precise than a double (for schema checks)."""
        value = self.json(limits)
        if not self._cache.get("json_inexact"):
            return value
        cached = self._cache.get("json_exact", _UNSET)
        if cached is _UNSET:
            cached = self._cache["json_exact"] = exact_value(self.body or b"")
        return cached

    def form(self, max_fields: int = 256) -> list[FormField]:
        """A form or multipart body's fields, parsed once (validation and the WAF share the parse);
        raises FormError, or FormError with `too_many` past `max_fields`."""
        cached = self._cache.get("form")
        if cached is not None:
            limit, outcome = cached
            if isinstance(outcome, list):
                if len(outcome) <= max_fields:
                    return outcome
                raise FormError(f"more than {max_fields} fields", too_many=True)
            if not outcome.too_many or limit >= max_fields:
                raise outcome
        body = self.body or b""
        try:
            if self.content_type == "multipart/form-data":
                fields = parse_multipart(body, self.headers.get("content-type") or "", max_fields)
            else:
                fields = parse_urlencoded(body, max_fields)
        except FormError as error:
            self._cache["form"] = (max_fields, error)
            raise
        self._cache["form"] = (max_fields, fields)
        return fields

    def text(self) -> str:
        """The body as text for inspection: UTF-8 where valid, bytes kept as surrogates otherwise."""
        cached = self._cache.get("text")
        if cached is None:
            cached = (self.body or b"").decode("utf-8", errors="surrogateescape")
            self._cache["text"] = cached
        return cached
