"""HTML answers for the console: templates, the security headers, redirects.

Pages get a strict Content-Security-Policy (scripts and styles only from /console/static/, no inline
script, no framing, forms only to this origin) plus the headers Bastion adds to the API's responses,
taken from the policy's `responses.security_headers` (HSTS only over TLS).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from bastion.config.responses import SecurityHeadersConfig
from bastion.hosts.admin import AdminResponse

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HTML = "text/html; charset=utf-8"


def _when(ts: float | None) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S") if ts else ""


class Web:
    def __init__(self, headers: SecurityHeadersConfig, *, tls: bool) -> None:
        self.env = Environment(
            loader=PackageLoader("bastion.console", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["when"] = _when
        security = [
            ("content-security-policy", CSP),
            ("cross-origin-opener-policy", "same-origin"),
            ("cross-origin-resource-policy", "same-origin"),
            ("permissions-policy", "camera=(), microphone=(), geolocation=()"),
            ("x-frame-options", headers.frame_options or "DENY"),
            ("referrer-policy", headers.referrer_policy or "no-referrer"),
        ]
        if tls and headers.hsts:
            suffix = "; includeSubDomains" if headers.hsts_include_subdomains else ""
            security.append(("strict-transport-security", f"max-age={int(headers.hsts)}{suffix}"))
        self.security = security

    def page(self, template: str, /, *, http_status: int = 200, **context: Any) -> AdminResponse:
        body = self.env.get_template(template).render(**context).encode()
        return AdminResponse(http_status, body, HTML, list(self.security))

    def redirect(self, location: str, headers: list[tuple[str, str]] | None = None) -> AdminResponse:
        return AdminResponse(303, b"", "text/plain", [*self.security, ("location", location), *(headers or [])])
