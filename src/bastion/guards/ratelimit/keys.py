"""What a limit counts: the parts of a request that make up its key, hashed.

Keys are hashed (BLAKE2b, 96 bits) so that no key grows with the input (an attacker's 8 KB header
costs the same as an IP address), and no personal data (IP addresses, user names) sits in Redis.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from bastion.core.context import Context
from bastion.core.json_body import BodyError
from bastion.core.request import Request

Part = Callable[[Request, Context], str | None]


def _ip(request: Request, ctx: Context) -> str | None:
    return request.client or None


def _subject(request: Request, ctx: Context) -> str | None:
    return ctx.identity.subject if ctx.identity is not None else None


def _api_key(request: Request, ctx: Context) -> str | None:
    identity = ctx.identity
    return identity.key_id if identity is not None and identity.method == "api_key" else None


def _client(request: Request, ctx: Context) -> str | None:
    return ctx.identity.client_id if ctx.identity is not None else None


def _tenant(request: Request, ctx: Context) -> str | None:
    return ctx.identity.tenant if ctx.identity is not None else None


def _template(request: Request, ctx: Context) -> str:
    return ctx.route.route.template if ctx.route is not None else request.path


def _operation(request: Request, ctx: Context) -> str | None:
    return ctx.operation or _template(request, ctx)


def _route(request: Request, ctx: Context) -> str | None:
    return f"{request.method} {_template(request, ctx)}"


def _method(request: Request, ctx: Context) -> str | None:
    return request.method


def _header(name: str) -> Part:
    def part(request: Request, ctx: Context) -> str | None:
        return request.headers.get(name)

    return part


def _query(name: str) -> Part:
    def part(request: Request, ctx: Context) -> str | None:
        return next((value for key, value in request.query_params if key == name), None)

    return part


def _claim(path: str) -> Part:
    def part(request: Request, ctx: Context) -> str | None:
        if ctx.identity is None:
            return None
        value = ctx.identity.attribute(path)
        return None if value is None else str(value)

    return part


def _body(path: str) -> Part:
    """A JSON field (dotted path) or a form field; user names on login are the usual case."""
    steps = path.split(".")

    def part(request: Request, ctx: Context) -> str | None:
        if not request.body:
            return None
        if request.content_type == "application/x-www-form-urlencoded":
            fields = parse_qsl(request.body[:65536].decode("utf-8", "replace"), keep_blank_values=True)
            field = next((v for k, v in fields if k == path), None)
            return field.strip().lower() if field else None
        try:
            value: Any = request.json()
        except BodyError:
            return None
        for step in steps:
            if not isinstance(value, dict):
                return None
            value = value.get(step)
        if value is None or isinstance(value, dict | list):
            return None
        return str(value).strip().lower()  # Alice and alice are one account to most applications

    return part


_NAMED: dict[str, Part] = {
    "ip": _ip,
    "subject": _subject,
    "api_key": _api_key,
    "client": _client,
    "tenant": _tenant,
    "operation": _operation,
    "route": _route,
    "method": _method,
}


def compile_part(spec: str) -> Part:
    if spec in _NAMED:
        return _NAMED[spec]
    kind, _, name = spec.partition(".")
    if kind == "header":
        return _header(name.lower())
    if kind == "query":
        return _query(name)
    if kind == "claim":
        return _claim(name)
    if kind == "body":
        return _body(name)
    raise ValueError(f"unknown key part {spec!r}")


_MEMO_KEYS = 1024  # a key's digest is remembered per value: the same client asks again and again
_MEMO_VALUE = 256  # values longer than this are hashed every time (and never held in memory)


class KeyBuilder:
    """Builds a limit's key for a request, or None when a part is missing (the limit does not apply).

    The digest of a one-part key (an address, a subject: the usual case) is remembered per value, in
    a table cleared when full: a client rotating values costs what hashing each one did."""

    __slots__ = ("_memo", "_parts", "_salt", "_single", "needs_body")

    def __init__(self, limit_id: str, parts: list[str]) -> None:
        self._parts = [compile_part(part) for part in parts]
        self._single = self._parts[0] if len(self._parts) == 1 else None
        self._salt = limit_id.encode()
        self._memo: dict[str, str] = {}
        self.needs_body = any(part.startswith("body.") for part in parts)

    def __call__(self, request: Request, ctx: Context) -> str | None:
        single = self._single
        if single is None:
            values: list[str] = []
            for part in self._parts:
                value = part(request, ctx)
                if not value:
                    return None
                values.append(value)
            return self._digest(values)
        value = single(request, ctx)
        if not value:
            return None
        known = self._memo.get(value)
        if known is None:
            known = self._digest([value])
            if len(value) <= _MEMO_VALUE:
                if len(self._memo) >= _MEMO_KEYS:
                    self._memo.clear()
                self._memo[value] = known
        return known

    def _digest(self, values: list[str]) -> str:
        digest = hashlib.blake2b(self._salt, digest_size=12)
        for value in values:
            digest.update(b"\x00")
            digest.update(value.encode("utf-8", "surrogatepass")[:4096])
        return digest.hexdigest()
