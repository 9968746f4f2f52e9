"""No oversharing in headers: strip software banners, add the browser-facing security headers.

Checklist items: "no oversharing" (Server, X-Powered-By advertise versions to attackers) and
"encryption in transit" (HSTS keeps browsers on TLS once they have seen it).
"""

from __future__ import annotations

from bastion.config.responses import ResponsesConfig
from bastion.core.context import Context
from bastion.core.pipeline import ResponseHead
from bastion.core.request import Request

# Hop-by-hop fields (RFC 9110 7.6.1) never cross the proxy; the host re-frames the message itself.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "proxy-authenticate",
        "proxy-authorization",
    }
)


class ResponseHygiene:
    def __init__(self, config: ResponsesConfig) -> None:
        self._strip = frozenset(h.lower() for h in config.strip_headers)
        sec = config.security_headers
        always: list[tuple[str, str]] = []
        if sec.nosniff:
            always.append(("x-content-type-options", "nosniff"))
        if sec.referrer_policy:
            always.append(("referrer-policy", sec.referrer_policy))
        self._always = tuple(always)
        self._csp = sec.csp
        self._frame_options = sec.frame_options
        self._hsts = None
        if sec.hsts:
            self._hsts = f"max-age={int(sec.hsts)}" + ("; includeSubDomains" if sec.hsts_include_subdomains else "")
        self._no_store = sec.no_store_authenticated
        # Names removed from the upstream response: banners, and what Bastion always sets itself.
        self._replaced = self._strip | {name for name, _ in self._always}

    def on_head(self, request: Request, ctx: Context, head: ResponseHead) -> None:
        # One pass over the upstream's headers: drop banners and anything Bastion sets itself.
        replaced = self._replaced
        headers = [(k, v) for k, v in head.headers if k not in replaced]
        headers.extend(self._always)
        content_type = ""
        present = set()
        for name, value in headers:
            if name == "content-type":
                content_type = value.lower()
            elif name in _DEFAULTED:
                present.add(name)
        if self._csp and "content-security-policy" not in present and ("json" in content_type or not content_type):
            # JSON is never meant to be rendered: a strict CSP disarms it if a browser tries.
            headers.append(("content-security-policy", self._csp))
        if self._frame_options and "x-frame-options" not in present:
            headers.append(("x-frame-options", self._frame_options))
        if self._hsts and request.scheme == "https" and "strict-transport-security" not in present:
            headers.append(("strict-transport-security", self._hsts))
        if self._no_store and ctx.identity is not None:
            headers = [(k, v) for k, v in headers if k != "cache-control"]
            headers.append(("cache-control", "no-store"))
        head.headers = headers


_DEFAULTED = frozenset({"content-security-policy", "x-frame-options", "strict-transport-security"})
