"""Which client headers may reach the API, the same rule for every host.

Three kinds of header never pass by default:
- **identity**: `X-Bastion-*` in any spelling. Only the gateway may assert who the client is; WSGI and
  CGI servers read `X_Bastion_Subject` and `X-Bastion-Subject` as the same variable, so the
  underscore spelling is the gateway's too;
- **underscores**: `X_User` means `X-User` to many frameworks but not to the gateway, which inspected
  and authorized a request without that header (dropped, as nginx's `underscores_in_headers off`,
  or refused, per `ingress.underscore_headers`);
- **method override and URL rewrite**: `X-HTTP-Method-Override: PATCH` makes some frameworks run a
  PATCH handler for a request the gateway authorized as a POST; `X-Original-URL` makes IIS and some
  Symfony setups route to another path. A policy may let a method-override header through on paths
  that need it (`ingress.method_override`); routing and authorization then use the overriding method.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from fnmatch import fnmatchcase

from bastion.core.identity import Identity
from bastion.core.request import Request

# What the gateway tells the upstream about the identity it verified (authn.forward_identity), and
# what ext-authz answers with: one list, stripped from every client request in every spelling.
IDENTITY_HEADERS = (
    "x-bastion-subject",
    "x-bastion-auth-method",
    "x-bastion-roles",
    "x-bastion-scopes",
    "x-bastion-client",
    "x-bastion-tenant",
    "x-bastion-key-id",
)
GATEWAY_PREFIX = "x-bastion-"
METHOD_OVERRIDE_HEADERS = frozenset({"x-http-method-override", "x-http-method", "x-method-override"})
URL_REWRITE_HEADERS = frozenset({"x-original-url", "x-rewrite-url", "x-override-url"})
_CACHE_LIMIT = 4096


_UNSAFE = str.maketrans(dict.fromkeys("\r\n\x00,", "_"))


_asserted: dict[tuple[object, ...], tuple[tuple[str, str], ...]] = {}


def identity_headers(identity: Identity) -> tuple[tuple[str, str], ...]:
    """What the gateway asserts to the upstream about a verified identity, in IDENTITY_HEADERS names.

    Kept per identity (its fields before the claims, which the headers do not read): a client's
    cached token gives the same identity request after request. Emptied when full."""
    key = identity[:7]
    known = _asserted.get(key)
    if known is None:
        if len(_asserted) >= _CACHE_LIMIT:
            _asserted.clear()
        known = _asserted[key] = tuple(_identity_headers(identity))
    return known


def _identity_headers(identity: Identity) -> list[tuple[str, str]]:
    headers = [("x-bastion-subject", _header_value(identity.subject)), ("x-bastion-auth-method", identity.method)]
    if identity.roles:
        # each role cleaned on its own (a comma inside a name becomes `_`), then listed with commas
        roles = ",".join(sorted(_header_value(role) for role in identity.roles))
        headers.append(("x-bastion-roles", roles[:256]))
    if identity.scopes:
        headers.append(("x-bastion-scopes", _header_value(" ".join(sorted(identity.scopes)))))
    if identity.client_id:
        headers.append(("x-bastion-client", _header_value(identity.client_id)))
    if identity.tenant:
        headers.append(("x-bastion-tenant", _header_value(identity.tenant)))
    if identity.method == "api_key" and identity.key_id:
        headers.append(("x-bastion-key-id", _header_value(identity.key_id)))
    return headers


def _header_value(value: str) -> str:
    """Identity values go upstream in headers: no CR, LF, NUL or comma, latin-1 only, bounded."""
    cleaned = value.translate(_UNSAFE)[:256]
    return cleaned.encode("latin-1", "replace").decode("latin-1")


def canonical(name: str) -> str:
    """A header name as servers that fold `_` into `-` read it."""
    return name.lower().replace("_", "-")


def gateway_owned(name: str) -> bool:
    return canonical(name).startswith(GATEWAY_PREFIX)


Override = tuple[str, Sequence[str], Iterable[str]]  # (header, path globs, methods it may name)


class HeaderPolicy:
    def __init__(
        self,
        *,
        refuse_underscores: bool = False,
        allow_underscore: Iterable[str] = (),
        overrides: Iterable[Override] = (),
    ) -> None:
        self.refuse_underscores = refuse_underscores
        self._allowed_underscore = frozenset(name.lower() for name in allow_underscore)
        self._overrides = tuple((header, tuple(paths), frozenset(methods)) for header, paths, methods in overrides)
        self._verdicts: dict[str, bool] = {}
        self._raw_verdicts: dict[bytes, bool] = {}

    def forwardable(self, name: str) -> bool:
        """May a client header of this (lower-case) name reach the upstream? Per-route method
        overrides are decided by `override_for`; this answers for every other path."""
        known = self._verdicts.get(name)
        if known is None:
            known = self._judge(name)
            if len(self._verdicts) < _CACHE_LIMIT:
                self._verdicts[name] = known
        return known

    def forwardable_raw(self, name: bytes) -> bool:
        """`forwardable` for a lower-case name as the HTTP/1 parser read it (the proxy's hot path)."""
        known = self._raw_verdicts.get(name)
        if known is None:
            known = self._judge(name.decode("latin-1"))
            if len(self._raw_verdicts) < _CACHE_LIMIT:
                self._raw_verdicts[name] = known
        return known

    def _judge(self, name: str) -> bool:
        if gateway_owned(name) or name in URL_REWRITE_HEADERS:
            return False
        if canonical(name) in METHOD_OVERRIDE_HEADERS:
            return False
        return "_" not in name or name in self._allowed_underscore

    def underscore_names(self, request: Request) -> list[str]:
        """Header names the policy refuses (underscore_headers: refuse)."""
        return [name for name, _ in request.headers if "_" in name and name not in self._allowed_underscore]

    def override_for(self, request: Request) -> tuple[str, str] | None:
        """(header, method) of a method override the policy honours for this request, if any."""
        if not self._overrides or request.method != "POST":
            return None
        for header, paths, methods in self._overrides:
            value = request.headers.get(header)
            if value is None:
                continue
            method = value.strip().upper()
            if method in methods and any(fnmatchcase(request.path, p) for p in paths):
                return header, method
        return None

    def effective(self, request: Request) -> tuple[Request, str | None]:
        """The request as routing and authorization must see it (with an honoured override's method),
        and the override header that may then pass to the upstream."""
        found = self.override_for(request)
        if found is None:
            return request, None
        return replace(request, method=found[1], _cache={}), found[0]
