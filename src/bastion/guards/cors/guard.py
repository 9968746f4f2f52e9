"""CORS at the gateway: preflights answered here, allowed origins echoed, everything else stripped.

The upstream's own Access-Control-* headers are removed so that one strict policy holds: an explicit
origin allow-list, never `*` together with credentials, and `Vary: Origin` whenever the answer
depends on the origin.
"""

from __future__ import annotations

from bastion.config.cors import CORSConfig
from bastion.core.context import Context
from bastion.core.pipeline import ResponseHead
from bastion.core.request import Request
from bastion.core.verdict import Verdict


class CORSPolicy:
    """The preflight guard (first in the pipeline) and the response filter, sharing one policy."""

    needs_body = False

    def __init__(self, config: CORSConfig) -> None:
        self._any = "*" in config.origins
        self._origins = frozenset(o.rstrip("/").lower() for o in config.origins if o != "*")
        self._methods = frozenset(m.upper() for m in config.methods)
        self._headers = frozenset(h.lower() for h in config.headers)
        self._credentials = config.credentials
        self._allow_methods = ", ".join(sorted(self._methods))
        self._allow_headers = ", ".join(sorted(self._headers))
        self._expose = ", ".join(config.expose_headers)
        self._max_age = str(int(config.max_age))

    def allowed_origin(self, origin: str | None) -> str | None:
        if not origin:
            return None
        if origin.rstrip("/").lower() in self._origins:
            return origin
        return "*" if self._any else None

    def check(self, request: Request, ctx: Context) -> Verdict | None:
        """Answer preflights here: they carry no credentials and must not reach authn or the API."""
        if request.method != "OPTIONS" or "access-control-request-method" not in request.headers:
            return None
        origin = request.headers.get("origin")
        allowed = self.allowed_origin(origin)
        wanted_method = (request.headers.get("access-control-request-method") or "").upper()
        wanted_headers = {
            h.strip().lower()
            for h in (request.headers.get("access-control-request-headers") or "").split(",")
            if h.strip()
        }
        if allowed is None or wanted_method not in self._methods or not wanted_headers <= self._headers:
            return Verdict.refuse(
                403,
                "cors.preflight",
                f"preflight refused for origin {str(origin)[:100]!r}",
                category="cors",
                headers=(("Vary", "Origin"),),
            )
        headers = [
            ("Access-Control-Allow-Origin", allowed),
            ("Access-Control-Allow-Methods", self._allow_methods),
            ("Access-Control-Allow-Headers", self._allow_headers),
            ("Access-Control-Max-Age", self._max_age),
            ("Vary", "Origin"),
        ]
        if self._credentials and allowed != "*":
            headers.append(("Access-Control-Allow-Credentials", "true"))
        return Verdict(
            status=204, rule="cors.preflight", reason="preflight answered", category="cors", headers=tuple(headers)
        )

    def on_head(self, request: Request, ctx: Context, head: ResponseHead) -> None:
        if request.method == "OPTIONS" and "access-control-request-method" in request.headers and head.local:
            return  # a preflight: check() already answered it, with headers only when it was allowed

        head.headers = [(k, v) for k, v in head.headers if not k.startswith("access-control-")]
        allowed = self.allowed_origin(request.headers.get("origin"))
        vary = head.get("vary")
        if not vary:
            head.headers.append(("vary", "Origin"))
        elif "origin" not in vary.lower():
            head.set("vary", f"{vary}, Origin")
        if allowed is None:
            return
        head.headers.append(("access-control-allow-origin", allowed))
        if self._credentials and allowed != "*":
            head.headers.append(("access-control-allow-credentials", "true"))
        if self._expose:
            head.headers.append(("access-control-expose-headers", self._expose))
