"""Everything a client controls, collected as values with their locations.

The path, the Host header, query names and values, headers, cookies, JSON keys and values at any
depth, form fields, multipart field names, filenames and values, and XML bodies (as text, with their
text nodes and attribute values). Sizes are bounded: a value is inspected up to `max_value`
characters and a request up to `max_total`, so inspection cost has a ceiling whatever the request.
Whatever does not fit marks the request oversized, and the guard's oversize policy decides.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Callable, Iterator
from typing import Protocol

from bastion.core.request import Request
from bastion.guards.waf.bodies import name_label, pairs, read_body
from bastion.guards.waf.checks.forwarded import FORWARDING_HEADERS, forwarded_host
from bastion.guards.waf.checks.ssrf import internal_address
from bastion.guards.waf.inspected import Collector, Inspected, Limits, Value

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
# Plumbing headers are only read for lookups and function definitions hidden in them (JNDI, shellshock),
# for a parent directory (`Accept-Language: ../../../etc/passwd`, which a locale loader may open) and
# for a scheme's colon (`Accept-Language: data://text/plain;base64,...`, which a locale loader may
# include): none of their grammars has one but a date's (If-Modified-Since, read in full then).
PLUMBING_SUSPECT = re.compile(r"[${(%\\:]|\.\.")
# ... as long as they are what their field's grammar allows (RFC 9110 lists of tokens, media types,
# quoted strings and parameters; a scheme and its credentials). A value outside it (a Content-Type
# carrying an OGNL expression, as Struts' S2-045 reads it) is a payload, inspected like any header.
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"  # noqa: S105  RFC 9110's token grammar, not a credential
_QUOTED = r'(?:[Ww]/)?"(?:[^"\\\r\n]|\\[^\r\n])*"'
_VALUE = rf"(?:{_TOKEN}|{_QUOTED})"
_ELEMENT = rf"(?:{_TOKEN}(?:/{_TOKEN})?(?:\s*=\s*{_VALUE})?|{_QUOTED})(?:\s*;\s*{_TOKEN}\s*=\s*{_VALUE})*"
_CREDENTIALS = rf"{_TOKEN}\s+(?:[A-Za-z0-9._~+/-]+=*|{_TOKEN}\s*=\s*{_VALUE}(?:\s*,\s*{_TOKEN}\s*=\s*{_VALUE})*)"
_PLUMBING_GRAMMAR_MAX = 1024  # longer plumbing values with such characters are inspected in full
WELL_FORMED_PLUMBING = re.compile(rf"\s*(?:{_ELEMENT}(?:\s*,\s*{_ELEMENT})*|{_CREDENTIALS})\s*")
# Basic credentials are input: the user name is looked up in a directory or a table (an LDAP filter
# `(uid=<user>)`, a SQL `WHERE name = '<user>'`). One that is a plain login needs no reading; the
# password is free text and never read.
_BASIC = re.compile(r"\s*basic\s+([A-Za-z0-9+/]+={0,2})\s*", re.IGNORECASE)
_PLAIN_LOGIN = re.compile(r"[\w.@+-]{0,256}")
_BASIC_READ = 1400  # base64 characters decoded: the user name comes first, a long password does not hide it


def basic_user(value: str) -> str | None:
    """The user name of Basic credentials when it is more than a plain login (it then gets every
    reading a header value gets); None otherwise, or for any other scheme."""
    credentials = _BASIC.fullmatch(value)
    if credentials is None:
        return None
    token = credentials.group(1)[:_BASIC_READ]
    try:
        decoded = binascii.a2b_base64(token[: len(token) // 4 * 4] or "====").decode("utf-8", "surrogateescape")
    except (ValueError, UnicodeError):
        return None
    user = decoded.partition(":")[0]
    return None if _PLAIN_LOGIN.fullmatch(user) else user


# A Host that is a host name or address and a port: nothing in it to inspect. Anything else (a
# lookup, a quote, a tag, a path) is a payload, inspected like any header.
PLAIN_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?")

GRAPHQL_PARAMETERS = frozenset({"query", "variables", "operationName", "extensions"})


class GraphQLValues(Protocol):
    """What the graphql guard hands the WAF (guards.graphql.GraphQLInfo)."""

    values: list[tuple[str, str]]
    carrier: str


# Forwarding headers hold addresses a proxy wrote; a value that is only a list of IP addresses is not a
# payload (a loopback address there is the proxy, not a request forgery). Anything else in them, an
# injection through X-Forwarded-For included, is inspected like any other header.
_ADDRESS_LIST = re.compile(r"[0-9A-Fa-f.:\[\] ,]{1,1024}")


def only_addresses(name: str, value: str) -> bool:
    return name in FORWARDING_HEADERS and _ADDRESS_LIST.fullmatch(value) is not None


_PLAIN_SEGMENT = re.compile(r"[A-Za-z0-9._~-]*")


def path_segments(path: str) -> list[tuple[int, str]]:
    """Path segments that could carry a payload, each also read as a value of its own: routers hand
    `/items/{id}` to the application as a parameter, so a segment gets the readings a value gets
    (a SQL reading from its start, say). Plain segments (letters, digits, `._~-`) carry none."""
    if _PLAIN_SEGMENT.fullmatch(path.replace("/", "")):
        return []
    return [
        (index, segment) for index, segment in enumerate(path.split("/")[1:65]) if not _PLAIN_SEGMENT.fullmatch(segment)
    ]


def plain_host(value: str) -> bool:
    """A Host header with nothing to read: a name or an address and a port, that no client is served
    from only when it names cloud metadata, a link-local or unspecified address, a rebinding name
    (`Host: 169.254.169.254`: what a proxy that routes by Host forwards to, ssrf-forwarded-host)."""
    known = _PLAIN_HOSTS.get(value)
    if known is None:
        known = PLAIN_HOST.fullmatch(value) is not None and not forwarded_host(value, None)[0]
        if len(_PLAIN_HOSTS) >= _KEPT_HOSTS:
            _PLAIN_HOSTS.clear()  # a client picks the Host: the memo stays bounded
        _PLAIN_HOSTS[value] = known
    return known


_PLAIN_HOSTS: dict[str, bool] = {}  # a gateway answers a few hosts: each read once
_KEPT_HOSTS = 256


# Origin and Referer are written by the browser: where the page that sent the request came from. A
# plain origin or URL there (a developer's http://localhost:3000, a WebSocket opened from
# http://127.0.0.1:8080) names no resource for the server to fetch: it is not a request forgery nor a
# remote include. Only such a header that carries more (quotes, encodings, a payload in its query)
# or a host no browser writes for a page (a metadata or link-local address, an obfuscated number,
# a rebinding name), or a page of another host that no browser would name whole (`plain_browser_url`)
# is inspected, like any other header.
BROWSER_URL_HEADERS = frozenset({"origin", "referer"})
_PLAIN_BROWSER_URL = re.compile(
    r"null|https?://" + PLAIN_HOST.pattern + r"(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*/?(?:\?[A-Za-z0-9._~=&-]*)?"
)


_PAGE_HOSTS = frozenset({None, "loopback", "private network"})


# A query value this long in a page address may carry what needs no special character: a base64
# payload, a serialized object in hex, a Java class name. Such a referer is read like any header.
_PLAIN_QUERY_VALUE = 24
_QUERY_PARTS = re.compile(r"[?&=]")


def plain_browser_url(name: str, value: str, request_host: str = "", origin: str = "") -> bool:
    """`value` of Origin or Referer names the page a browser sent the request from, nothing to fetch.

    A Referer that names a page by more than its origin, for another host than the request's and
    without that page's Origin beside it, is read like any header. Since 2020 browsers send another
    origin only the page's origin (the default `strict-origin-when-cross-origin` policy); a page that
    allows more sends its Origin too on the requests that reach an API (CORS, POST, WebSocket). So
    `Referer: http://127.0.0.1:8080/actuator/env` or `http://evil.example/shell.txt?` alone was
    written by hand, for an application that fetches, includes or logs its referers."""
    if name not in BROWSER_URL_HEADERS or _PLAIN_BROWSER_URL.fullmatch(value) is None or ".." in value:
        return False
    if "?" in value and max(map(len, _QUERY_PARTS.split(value.split("?", 1)[1]))) >= _PLAIN_QUERY_VALUE:
        return False
    if value == "null":
        return True
    authority, _, path = value.split("://", 1)[1].partition("/")
    authority = authority.split("?", 1)[0]
    host = authority[: authority.index("]") + 1] if authority.startswith("[") else authority.split(":", 1)[0]
    if not (host == "localhost" or host.endswith(".localhost") or internal_address(host.lower()) in _PAGE_HOSTS):
        return False
    if name != "referer" or not path.strip("/") or authority.lower() == request_host.lower():
        return True
    return origin.lower().rstrip("/") == value.lower().split("://", 1)[0] + "://" + authority.lower()


# A URL in a header (Referer, X-Original-URL, a callback address) carries a query that applications
# read too: analytics and logs store a referer's search terms, a redirect follows a return address.
# Its parameters are inspected like the request's own, beside the header's whole value.
_URL_WITH_QUERY = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]{0,20}://[^?#\s]*|/[^?#\s]*)\?([^#]*)(?:#.*)?", re.DOTALL)


def header_url_query(value: str) -> str | None:
    """The query of a header value that is a URL or a path with one, else None."""
    if "?" not in value:
        return None
    found = _URL_WITH_QUERY.fullmatch(value)
    return found.group(1) if found else None


# Upload APIs that take the file name in a header (X-Filename, X_File_Name, X.Filename ...).
FILENAME_HEADER = re.compile(r"^(?:x[-_.])?(?:up)?file[-_.]?name$")


def collect(  # noqa: PLR0912  one branch per request location, all of them on every request
    request: Request, limits: Limits, *, refuse_oversized: bool = False, graphql: GraphQLValues | None = None
) -> Inspected:
    """The request's values, decoded. With `refuse_oversized`, a request with more content than the
    limits comes back empty and marked oversized, without spending time on decoding it.

    For a GraphQL request the document itself is not inspected (its syntax is not an attack): the
    graphql guard's argument values and variables take the place of the body or query string.
    """
    collector = Collector(limits)
    add = collector.pending.append
    if request.path:
        add(Value("path", None, "path", request.path))
        for index, segment in path_segments(request.path):
            add(Value("path", index, "path", segment))
    if graphql is not None:
        for where, value in graphql.values:
            add(Value("graphql", where, "json", value))
    if request.query:
        skipped = GRAPHQL_PARAMETERS if graphql is not None and graphql.carrier == "query" else frozenset()
        _add_query(add, "", request.query, skipped)
    host, origin = request.headers.get("host") or "", request.headers.get("origin") or ""
    for name, value in request.headers:
        if name not in PLUMBING_HEADERS:
            if not only_addresses(name, value) and not plain_browser_url(name, value, host, origin):
                add(Value("header", name, "filename" if FILENAME_HEADER.match(name) else "header", value))
                query = header_url_query(value)
                if query:
                    _add_query(add, f"{name}?", query)
        elif name == "cookie":
            for cookie_name, cookie_value in _cookie_pairs(value):
                leaf = cookie_name[:64]
                if cookie_value:
                    add(Value("cookie", leaf, "cookie", cookie_value))
                add(Value("cookie", leaf, "query_key", cookie_name))
        elif name == "host":
            if not plain_host(value):
                add(Value("header", name, "header", value))
        elif name == "authorization" and (user := basic_user(value)) is not None:
            add(Value("header", "authorization.user", "header", user))
        elif name != "content-length" and PLUMBING_SUSPECT.search(value):
            plain = len(value) <= _PLUMBING_GRAMMAR_MAX and WELL_FORMED_PLUMBING.fullmatch(value) is not None
            add(Value("header", name, "header_plumbing" if plain else "header", value))
    body = request.body
    if body and (graphql is None or graphql.carrier != "body"):
        read_body(request, body, collector)
    if refuse_oversized and collector.exceeds_limits():
        inspected = Inspected()
        inspected.oversized = True
        return inspected
    return collector.finish()


def _add_query(add: Callable[[Value], None], prefix: str, query: str, skipped: frozenset[str] = frozenset()) -> None:
    """A query's names and values: the request's own (`prefix` empty: `query.<name>`), or the query
    of a URL in a header (`header.<header>?<name>`)."""
    parent = "header" if prefix else "query"
    for name, value in pairs(query):
        label = name_label(name)
        if label in skipped:
            continue
        leaf = prefix + label
        add(Value(parent, leaf, "query_key", name, True, value))
        if value:
            add(Value(parent, leaf, "query", value, True))


def _cookie_pairs(header: str) -> Iterator[tuple[str, str]]:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            yield name, value
