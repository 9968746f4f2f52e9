"""Ingress hygiene: unhandled methods, unknown routes and hosts, content types, request smuggling.

Checklist items: "unhandled HTTP methods" and "validate every request" at the protocol level.
The reverse proxy's HTTP parser already refuses most smuggling shapes before a Request exists; this
guard repeats the checks so that hosts whose front end parsed the request (ASGI, WSGI, ext-authz)
get the same protection.
"""

from __future__ import annotations

from collections.abc import Iterable

from bastion.config.ingress import IngressConfig
from bastion.config.routes import KNOWN_METHODS
from bastion.core.context import Context
from bastion.core.paths import valid_host
from bastion.core.request import Request
from bastion.core.verdict import Verdict

# Methods a client can use to reflect credentials (TRACE/TRACK) or tunnel through the gateway (CONNECT).
DANGEROUS_METHODS = frozenset({"TRACE", "TRACK", "CONNECT"})
# Headers a request may carry once: with two, the gateway and the upstream may each read another one
# (the first Authorization verified, the second one used).
SINGLETON_HEADERS = ("host", "authorization", "content-type", "content-length", "transfer-encoding")
_CONTROL = frozenset(chr(c) for c in (*range(0x20), 0x7F))


class IngressGuard:
    needs_body = False

    def __init__(self, config: IngressConfig, credential_headers: Iterable[str] = ()) -> None:
        """`credential_headers`: where authentication reads credentials (API key headers): once only."""
        self._singletons = tuple(dict.fromkeys((*SINGLETON_HEADERS, *(h.lower() for h in credential_headers))))
        self._matrix = config.matrix_params
        self._refuse_underscores = config.underscore_headers == "refuse"
        self._underscores_allowed = frozenset(config.allow_underscore_headers)
        self._allowed = frozenset(config.methods)
        self._allow_header = ", ".join(sorted(self._allowed))
        self._exact_hosts = frozenset(h for h in config.hosts if not h.startswith("*."))
        self._host_suffixes = tuple(h[1:] for h in config.hosts if h.startswith("*."))
        self._check_hosts = bool(config.hosts)
        exact, prefixes, suffixes = set(), [], []
        for configured in config.content_types:
            media = configured.lower()
            if media.endswith("/*"):
                prefixes.append(media[:-1])
            elif "/*+" in media:
                main, _, suffix = media.partition("/*+")
                suffixes.append((main + "/", "+" + suffix))
            else:
                exact.add(media)
        self._media_exact = frozenset(exact)
        self._media_prefixes = tuple(prefixes)
        self._media_suffixes = tuple(suffixes)
        self._max_headers = config.max_header_count
        self._normalized = config.normalized_paths

    def check(self, request: Request, ctx: Context) -> Verdict | None:  # noqa: PLR0911  hot path: one early refusal per ingress rule, in order
        method = request.method
        if method not in KNOWN_METHODS:
            return Verdict.refuse(501, "ingress.method.unknown", f"unknown method {method[:32]!r}", category="ingress")
        if method not in self._allowed:
            allow = ctx.route.route.allow if ctx.route else self._allow_header
            return Verdict.refuse(
                405,
                "ingress.method.refused",
                f"method {method} is not allowed",
                category="ingress",
                headers=(("Allow", allow),),
            )
        if len(request.headers) > self._max_headers:
            return Verdict.refuse(431, "ingress.headers.count", "too many header fields", category="ingress")
        verdict = self._framing(request)
        if verdict is not None:
            return verdict
        if self._normalized and (verdict := self._path(request)) is not None:
            return verdict
        if self._check_hosts and not self._host_allowed(request):
            return Verdict.refuse(421, "ingress.host", "Host is not served here", category="ingress")
        if ctx.route is None:
            return Verdict.refuse(404, "ingress.route.unknown", "no route matches the path", category="ingress")
        if ctx.route.operation is None:
            return Verdict.refuse(
                405,
                "ingress.route.method",
                f"{method} is not declared on {ctx.route.route.template}",
                category="ingress",
                headers=(("Allow", ctx.route.route.allow),),
            )
        if self._has_body(request) and not self._media_allowed(request.content_type):
            return Verdict.refuse(
                415,
                "ingress.content_type",
                f"content type {request.content_type[:64]!r} is not accepted",
                category="ingress",
            )
        return None

    def _framing(self, request: Request) -> Verdict | None:  # noqa: PLR0911, PLR0912  hot path: one refusal per smuggling ambiguity, each its own rule
        """Refuse message framings and header sets that two HTTP parsers could read differently."""
        headers = request.headers
        hosts = headers.count("host")
        if hosts > 1 or (hosts == 0 and request.http_version == "1.1"):
            return Verdict.refuse(400, "ingress.host.count", "HTTP/1.1 needs exactly one Host", category="smuggling")
        host = headers.get("host")
        if host is not None and not valid_host(host):
            return Verdict.refuse(400, "ingress.host.invalid", "Host is not a host[:port]", category="smuggling")
        for name in self._singletons:
            if name in headers and headers.count(name) > 1:
                return Verdict.refuse(
                    400, "ingress.header.duplicate", f"{name} appears more than once", category="smuggling"
                )
        if self._refuse_underscores:
            for name, _ in headers:
                if "_" in name and name not in self._underscores_allowed:
                    return Verdict.refuse(
                        400, "ingress.header.underscore", f"underscore in header name {name[:64]}", category="ingress"
                    )
        lengths = headers.get_all("content-length")
        codings = headers.get_all("transfer-encoding")
        if lengths and codings:
            return Verdict.refuse(
                400,
                "ingress.smuggling.cl_te",
                "both Content-Length and Transfer-Encoding",
                category="smuggling",
            )
        if len(lengths) > 1:
            return Verdict.refuse(400, "ingress.smuggling.cl_dup", "duplicate Content-Length", category="smuggling")
        if lengths and not (lengths[0].isascii() and lengths[0].isdigit()):
            return Verdict.refuse(400, "ingress.smuggling.cl_invalid", "invalid Content-Length", category="smuggling")
        if codings and (len(codings) > 1 or codings[0].strip().lower() != "chunked"):
            return Verdict.refuse(
                501,
                "ingress.smuggling.te",
                "only Transfer-Encoding: chunked is supported",
                category="smuggling",
            )
        for name, value in headers:
            if "\r" in value or "\n" in value or "\x00" in value:
                return Verdict.refuse(
                    400, "ingress.header.control", f"control character in {name[:64]}", category="smuggling"
                )
        return None

    def _path(self, request: Request) -> Verdict | None:
        path = request.path
        if not path.startswith("/"):
            return Verdict.refuse(400, "ingress.path.form", "request target is not an origin path", category="ingress")
        if "#" in path or "#" in request.query:
            # RFC 9112 §3.2: a request target never carries a fragment; frameworks would cut the path there
            return Verdict.refuse(400, "ingress.path.fragment", "fragment in the request target", category="ingress")
        if "\\" in path or "//" in path:
            return Verdict.refuse(400, "ingress.path.unnormalized", "backslash or empty segment", category="ingress")
        if "%" in path:
            lowered = path.lower()
            if "%2f" in lowered or "%5c" in lowered or "%00" in lowered:
                return Verdict.refuse(
                    400,
                    "ingress.path.encoded_separator",
                    "encoded slash, backslash or NUL in path",
                    category="ingress",
                )
        if "." in path or "%" in path or ";" in path:  # each shape below needs one of these, literal or encoded
            for segment in request.segments:
                verdict = self._segment(segment)
                if verdict is not None:
                    return verdict
        return None

    def _segment(self, segment: str) -> Verdict | None:
        """Segments that servers read differently: Spring, Tomcat and IIS route `/admin;x/users`,
        `/admin./users` and `/admin%20/users` to `/admin/users`; the gateway would not."""
        if segment in (".", "..") or "\\" in segment or "\x00" in segment:
            return Verdict.refuse(400, "ingress.path.dot_segment", "dot segment in path", category="ingress")
        if not _CONTROL.isdisjoint(segment):
            return Verdict.refuse(400, "ingress.path.control", "control character in path", category="ingress")
        if segment.endswith((".", " ")):
            return Verdict.refuse(400, "ingress.path.trailing", "segment ends with a dot or space", category="ingress")
        if ";" in segment and not self._matrix:
            return Verdict.refuse(400, "ingress.path.matrix", "path parameters (;) in a segment", category="ingress")
        return None

    def _host_allowed(self, request: Request) -> bool:
        host = request.host
        if host.startswith("["):
            host = host.partition("]")[0] + "]"
        else:
            host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return host in self._exact_hosts or any(host.endswith(suffix) for suffix in self._host_suffixes)

    @staticmethod
    def _has_body(request: Request) -> bool:
        if request.body:
            return True
        length = request.headers.get("content-length")
        if length is not None:
            return length.strip() not in ("", "0")
        return "transfer-encoding" in request.headers

    def _media_allowed(self, media: str) -> bool:
        if media in self._media_exact:
            return True
        if any(media.startswith(prefix) for prefix in self._media_prefixes):
            return True
        return any(media.startswith(main) and media.endswith(suffix) for main, suffix in self._media_suffixes)
