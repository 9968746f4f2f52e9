"""Outbound HTTP (webhooks, JWKS, token introspection, ownership lookups), imported on first use.

httpx costs a tenth of a second and several megabytes to import; a policy that never calls out
(no JWKS URL, no introspection, no HTTP lookup, no webhook) never loads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx


def client(**options: Any) -> httpx.AsyncClient:
    import httpx  # noqa: PLC0415  lazy: httpx only on the first outbound call

    return httpx.AsyncClient(**options)


def basic_auth(user: str, password: str) -> httpx.BasicAuth:
    import httpx  # noqa: PLC0415  lazy: httpx only on the first outbound call

    return httpx.BasicAuth(user, password)


def http_error() -> type[Exception]:
    """What a failed call raises (for `except outbound.http_error()`: evaluated only on an exception)."""
    import httpx  # noqa: PLC0415  lazy: httpx only on the first outbound call

    return httpx.HTTPError
