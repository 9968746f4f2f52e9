"""Server-side request forgery: URLs that point the server at itself, its network or its cloud.

The host of every URL in a value is parsed the way URL libraries and resolvers parse it, alternate
IPv4 spellings included (decimal `2130706433`, hexadecimal `0x7f000001`, octal `0177.0.0.1`, short
`127.1`), IPv6 and IPv4-mapped IPv6, and classified: loopback, private, link-local (cloud metadata
lives at 169.254.169.254), unspecified, or a name known to resolve there (localhost, metadata
services, wildcard DNS such as 127.0.0.1.nip.io), or the out-of-band interaction services that blind
SSRF, XXE and injection probes call back (Burp Collaborator, interactsh, dnslog). Schemes that reach
beyond HTTP (file, gopher, dict, ldap, tftp, jar, netdoc, php wrappers) are refused on their own.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

DANGEROUS_SCHEMES = frozenset(
    {
        "file",
        "gopher",
        "dict",
        "ldap",
        "ldaps",
        "tftp",
        "jar",
        "netdoc",
        "phar",
        "expect",
        "glob",
        "sftp",
        "smb",
        "ssh2.shell",
        "ssh2.exec",
        "ogg",
        "rar",
        "zip",
        "compress.zlib",
        "compress.bzip2",
    }
)
INTERNAL_NAMES = re.compile(
    r"^(?:localhost\d?|localhost\.localdomain|ip6-localhost|ipv6-localhost|ip6-loopback|metadata"
    r"|metadata\.google\.internal|instance-data|instance-data\.ec2\.internal|metadata\.azure\.com"
    r"|kubernetes(?:\.default(?:\.svc(?:\.cluster\.local)?)?)?|[\w.-]+\.svc\.cluster\.local|rancher-metadata"
    # Consul's DNS interface (services, nodes, prepared queries), only its agents answer it
    r"|[\w.-]+\.(?:service|node|query|connect|addr|virtual)\.(?:[\w-]+\.)?consul"
    # special-use and never-delegated names that only a local resolver answers: RFC 6761/6762
    # (.localhost, .local), RFC 8375 (home.arpa), ICANN's name-collision list (.corp, .home, .lan)
    r"|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:localhost|internal|localdomain|local|home\.arpa|corp|home|lan|intranet)"
    r"|metadata\.packet\.net|metadata\.platformequinix\.com|metadata\.tencentyun\.com"
    r"|169\.254\.169\.254\.[a-z.]+"
    # public names that resolve to loopback, as DNS-rebinding and SSRF probes use them
    r"|(?:[a-z0-9-]+\.)*(?:localtest\.me|lvh\.me|vcap\.me|lacolhost\.com|fuf\.me|127-0-0-1\.org))\.?$"
)
# Cloud metadata services outside the link-local range: Oracle, Alibaba, Azure's wire server.
METADATA_ADDRESSES = frozenset({"192.0.0.192", "100.100.100.200", "168.63.129.16", "fd00:ec2::254"})
WILDCARD_DNS = re.compile(
    r"(?:^|[.-])((?:\d{1,3}[.-]){3}\d{1,3}|[0-9a-f]{8})\.(?:nip\.io|xip\.io|sslip\.io|localtest\.me|traefik\.me)$"
)
# DNS rebinding services: a name that answers a public address first and an internal one next, or
# names both addresses in hex (`7f000001.c0a80001.rbndr.us`, `make-1.2.3.4-rebind-127.0.0.1-rr.1u.ms`).
REBINDING_DNS = re.compile(r"(?:^|\.)[0-9a-f]{8}\.[0-9a-f]{8}\.rbndr\.us$|(?:^|\.)make-[\w.-]*-rr\.1u\.ms$")
# The same tricks under any domain (wildcard DNS and rebinding servers are easy to run): a name that
# opens with a whole address as its labels (`10.0.0.5.rebind.example`, `127-0-0-1.any.example`), or
# names two addresses in hex side by side (`7f000001.a9fea9fe.rebind.example`). No host name an
# API links to is spelled so; it counts when the address it spells points inside.
ADDRESS_LABELS = re.compile(r"^((?:\d{1,3}[.-]){3}\d{1,3})[.-][a-z0-9-]*[a-z]")
HEX_ADDRESS_PAIR = re.compile(r"(?:^|\.)([0-9a-f]{8})\.([0-9a-f]{8})\.[a-z0-9-]*[a-z]")
# Out-of-band interaction services: a server that calls them has just run an attacker's probe.
OUT_OF_BAND_DOMAINS = (
    r"(?:burpcollaborator\.net|oastify\.com|interact\.sh|oast\.(?:pro|live|site|online|fun|me)"
    r"|dnslog\.cn|ceye\.io|canarytokens\.com|requestrepo\.com)"
)
OUT_OF_BAND_DNS = re.compile(rf"(?:^|\.){OUT_OF_BAND_DOMAINS}$")
# What IDNA reads as a dot in a host name (ideographic and half-width full stops).
_IDNA_DOTS = str.maketrans({"\u3002": ".", "\uff0e": ".", "\uff61": "."})
# The scheme's run is possessive: no `:` can follow a shorter part of it, and trying each length
# back from 31 at every letter of a value cost 1.55 ms per 31 KB of `fetch('//x?'+document.cookie`
# copies (0.78 ms so; the same matches).
_URL = re.compile(
    r"([a-z][a-z0-9+.\-]{0,30}+):(//?|(?=[\d\[]))([^\s\"'<>^`{|}]{0,2048})|(?<![a-z0-9.])//([^\s/\"'<>]{1,255})"
)
# Where a URL can be: a colon that a slash, a digit or a bracket follows, or the first slash of two.
# `_URL` itself opens with a class of letters, so Python's engine tried it at every letter of a value
# and read up to 31 letters on from each (1.3 ms per 30 KB of `${lower:j}`); `urls` goes from these.
_URL_HINT = re.compile(r":(?=/|[\d\[])|/(?=/)")
_SCHEME_BEFORE = re.compile(r"[a-z][a-z0-9+.\-]*\Z")
_DENSE_FROM, _DENSE_SPACING = 32, 64  # past 32 places, more than one per 64 characters so far


def urls(text: str) -> Iterator[re.Match[str]]:
    """The matches of `_URL.finditer(text)`, found from where a URL can be: the leftmost start a
    colon's scheme can have (at most 31 characters of scheme before it, none before the last
    match's end), or a slash; no match of `_URL` starts anywhere else first. Where such places are
    dense (a page of links), `_URL.finditer` goes on from the last match: one C loop beats a Python
    step per place there."""
    end = 0
    for count, hint in enumerate(_URL_HINT.finditer(text), 1):
        position = hint.start()
        if count > _DENSE_FROM and count * _DENSE_SPACING > position:
            yield from _URL.finditer(text, end)
            return
        if position < end:
            continue
        if text[position] == ":":
            scheme = _SCHEME_BEFORE.search(text, max(end, position - 31), position)
            if scheme is None:
                continue
            position = scheme.start()
        found = _URL.match(text, position)
        if found is not None:
            yield found
            end = found.end()


# A bare host (and port) opening a value that names a URL without its scheme: `localhost/`.
_SCHEMELESS = re.compile(r"^\s*([a-z0-9][a-z0-9.-]{0,252}|\[[0-9a-f:.]+\])(?::\d{1,5})?/")
# A network in CIDR notation as a whole value (`192.168.1.0/24`, a device's `static_ip`): an address
# and a prefix length, not a host and a path
_CIDR = re.compile(
    r"\s*(?:(?:\d{1,3}\.){3}\d{1,3}/(?:[0-9]|[12][0-9]|3[0-2])|\[?[0-9a-f:.]+\]?/(?:1[01][0-9]|12[0-8]|[0-9]{1,2}))\s*"
)
# Credentials-and-host tricks: `http://good.example%2f@evil`, `a@b@host`, `\@@host`, ` &@127.0.0.1`.
_AT_HOST = re.compile(r"@\s*((?:\d{1,3}\.){3}\d{1,3}|\[[0-9a-f:.]+\]|0x[0-9a-f]+|\d{8,})")
_ENV_HOST = re.compile(r"://\$\{?[a-z_][a-z0-9_]*\}?")
_METADATA_ADDRESSES = ("169.254.169.254", "fd00:ec2::254")  # substring tests: a regex took 0.2 ms per 30 KB


def parse_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Parse IPv4 the permissive way inet_aton does: 1 to 4 parts, each decimal, 0x-hex or 0-octal."""
    if not host[:1].isdigit():
        return None  # every spelling of a number starts with a digit (0x..., 0..., decimal)
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or any(p == "" for p in parts):
        return None
    numbers = []
    for part in parts:
        try:
            if part.startswith(("0x", "0X")):
                numbers.append(int(part[2:] or "0", 16))
            elif len(part) > 1 and part.startswith("0"):
                numbers.append(int(part, 8))
            else:
                numbers.append(int(part, 10))
        except ValueError:
            return None
    *leading, last = numbers
    if any(n > 255 for n in leading) or last >= 256 ** (5 - len(numbers)):
        return None
    value = 0
    for n in leading:
        value = value * 256 + n
    value = value * 256 ** (5 - len(numbers)) + last
    return ipaddress.IPv4Address(value) if value < 2**32 else None


def internal_address(host: str) -> str | None:  # noqa: PLR0911, PLR0912  one answer per address class, in the order resolvers read a host
    """Why `host` points inside (loopback, private, link-local...), or None for a public host.

    A numeric host spelled any way but the canonical dotted quad (decimal, hex, octal, short form,
    or a decimal past 2**32 that some parsers wrap) is refused whatever it points at: no honest URL
    writes an address that way.
    """
    host = host.translate(_IDNA_DOTS).strip("[]").rstrip(".")
    if not host:
        return None
    address: Any = None
    if ":" in host:
        try:
            address = ipaddress.IPv6Address(host.split("%")[0])
        except ValueError:
            return None
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is not None:
            address = mapped
    else:
        address = parse_ipv4(host)
        if address is None:
            if host.isdigit() and 2**32 <= int(host) < 2**40:
                return "numeric address past 2**32"
            if INTERNAL_NAMES.match(host):
                return "internal name"
            wildcard = WILDCARD_DNS.search(host)
            if wildcard:
                embedded = wildcard.group(1)
                dotted = "." in embedded or "-" in embedded
                return internal_address(embedded.replace("-", ".") if dotted else "0x" + embedded)
            if REBINDING_DNS.search(host):
                return "DNS rebinding name"
            spelled = _spelled_internal_address(host)
            if spelled:
                return spelled
            if OUT_OF_BAND_DNS.search(host):
                return "out-of-band interaction service"
            return None
        if host != str(address) and host.replace(".", "").isalnum() and host[:1].isdigit():
            return "obfuscated numeric address"
    if str(address) in METADATA_ADDRESSES:
        return "cloud metadata"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local (cloud metadata)"
    if address.is_unspecified:
        return "unspecified"
    if address.is_private:
        return "private network"
    if address.is_reserved or address.is_multicast or not address.is_global:
        return "non-public"
    return None


def _spelled_internal_address(host: str) -> str | None:
    labels = ADDRESS_LABELS.match(host)
    if labels is not None and internal_address(labels.group(1).replace("-", ".")):
        return "name spelling an internal address"
    pair = HEX_ADDRESS_PAIR.search(host)
    if pair is not None and any(internal_address(str(ipaddress.IPv4Address(int(half, 16)))) for half in pair.groups()):
        return "DNS rebinding name"
    return None


def _hosts_of(rest: str) -> list[str]:
    """Every host a lenient parser could take from a URL's authority: before and after any `@`."""
    authority = re.split(r"[/?#]", rest.replace("\\", "/"), maxsplit=1)[0]
    hosts = []
    for part in {authority.rsplit("@", 1)[-1], authority.split("@", 1)[0]}:
        if part.startswith("["):
            hosts.append(part[: part.find("]") + 1] if "]" in part else part)
        else:
            hosts.append(part.split(":", 1)[0])
    return hosts


# A base64 value that decodes to a database's connection string with its credentials (a Kubernetes
# Secret's `DATABASE_URL`): base64 is how such settings travel as data, and a database a deployment
# names by its internal host is where it runs; a probe gives no password (eighteenth unseen set).
_CONNECTION_STRING = re.compile(
    r"(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|sqlserver|mssql|redis|rediss|amqps?)://[^\s:@/]{1,64}:[^\s@/]{1,128}@[\w.-]{1,253}(?::\d{1,5})?(?:/[^\s]*)?"
)


def _base64_connection_string(text: str, target: object) -> bool:
    return (
        getattr(target, "location", "").endswith("(base64)") and _CONNECTION_STRING.fullmatch(text.strip()) is not None
    )


def ssrf(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    if _native_app_redirect(text, target):
        return 0, ""
    if _base64_connection_string(text, target):
        return 2, "a connection string with its credentials, sent as base64"
    found = _readings(text, getattr(target, "raw", None))[0]
    if not found[0] and getattr(target, "kind", "") == "path":
        return _metadata_segment(text)
    return found


# A path whose segment is the metadata service's address and goes on: image resizers and proxies
# routed as `/resize/300x200/<host>/<path>` fetch it (`/img/169.254.169.254/latest/meta-data/`); or
# the machine's own address with a port, as an authority is written (`/fetch/127.0.0.1:8080/actuator/
# env`: `/api/hosts/127.0.0.1/status` names a host, it does not reach one).
_METADATA_HOST_SEGMENT = re.compile(
    r"/((?:\d{1,3}\.){3}\d{1,3}|metadata(?:\.google)?\.internal|\[[0-9a-f:.]+\])(:\d{1,5})?/"
)


def _metadata_segment(path: str) -> tuple[int, str]:
    for segment in _METADATA_HOST_SEGMENT.finditer(path):
        reason = host_reason(segment.group(1))
        if reason and ("metadata" in reason or reason.startswith("link-local")):
            return 5, f"a path segment naming a {reason} host"
        if reason and segment.group(2) and reason.startswith(("loopback", "unspecified")):
            return 5, f"a path segment naming a {reason} host and its port"
    return 0, ""


def ssrf_host(text: str, target: object, pattern: object = None) -> tuple[int, str]:
    """Hosts only: a dangerous scheme (`file:`, `ldap:`, `gopher:`) is `ssrf`'s finding. Two rules
    scoring the same `file:` URL would make SSRF outrank what the value really is (an XXE entity,
    a JNDI lookup)."""
    if _native_app_redirect(text, target) or _base64_connection_string(text, target):
        return 0, ""
    return _readings(text, getattr(target, "raw", None))[1]


# OAuth's `redirect_uri` names where the authorisation server sends the browser back, not what a
# server fetches; a native app's is a loopback URL with a port and a path (RFC 8252, section 7.3:
# `http://127.0.0.1:53682/callback`). Loopback only, with no path or one that says it ends a sign-in,
# and nothing after it: the tenth unseen set's sign-in flows; a webhook's `callback_url` to the same
# address, or a redirect_uri to `http://[::1]:6379/admin` (the third set's), is still an SSRF.
_NATIVE_APP_REDIRECT = re.compile(
    r"\s*https?://(?:127\.0\.0\.1|\[::1\]|localhost)(?::\d{1,5})?"
    r"(?:/?|/[\w./-]*(?:callback|redirect|oauth|auth|login|signin|sign-in|complete)[\w./-]*)\s*"
)


def _native_app_redirect(text: str, target: object) -> bool:
    location = getattr(target, "location", "")
    return location.rpartition(".")[2] == "redirect_uri" and _NATIVE_APP_REDIRECT.fullmatch(text) is not None


_METADATA_NAME = re.compile(r"(?:^|\.)(?:metadata|instance-data|rancher-metadata)(?:\.|$)")


def host_reason(host: str) -> str | None:
    """internal_address's answer, with the metadata services' names told from other internal names."""
    reason = internal_address(host)
    if reason == "internal name" and _METADATA_NAME.search(host):
        return "cloud metadata"
    return reason


Readings = tuple[tuple[int, str], tuple[int, str]]  # (ssrf's, ssrf_host's)
_RECENT: list[tuple[tuple[str, object, Readings], ...]] = [()]  # one cell, replaced whole
_KEPT = 4  # values read between the two rules' turns on one value (its views, short values)


def _readings(text: str, raw: object) -> Readings:
    """Both rules' readings of a value, from one pass unless a dangerous scheme came first.

    The two rules read the same value, with other values' readings in between; a page of links
    was read twice (1.5 ms each for 30 KB). Until a dangerous scheme is met both passes are the
    same, so the second is only needed when the first stopped at one. The last few values are kept
    by identity in one cell that is replaced whole, so another thread sees an old list or a new one.
    """
    recent = _RECENT[0]
    for kept, kept_raw, readings in recent:
        if kept is text and kept_raw is raw:
            return readings
    with_schemes = _read_urls(text, raw, schemes=True)
    stopped_at_scheme = with_schemes[1].endswith(_SCHEME_FINDING)
    readings = (with_schemes, _read_urls(text, raw, schemes=False) if stopped_at_scheme else with_schemes)
    _RECENT[0] = ((text, raw, readings), *recent[: _KEPT - 1])
    return readings


_SCHEME_FINDING = ": URL"


def _directory_server(sample: str, match: re.Match[str]) -> bool:
    """A whole value that is an LDAP URL naming a server, alone or with a distinguished name
    (`ldaps://dc1.corp:636`, `ldap://host/dc=corp,dc=example`): a directory setting, not a fetch.
    Its host is still read. An object name after it (`ldap://host:1389/Exploit`) is what a JNDI
    lookup is pointed at, and so is an LDAP URL inside other text (`${jnd..:ldap://host}`)."""
    scheme, slashes, rest, _ = match.groups()
    if (
        scheme not in ("ldap", "ldaps")
        or slashes != "//"
        or sample[: match.start()].strip()
        or sample[match.end() :].strip()
    ):
        return False
    path = rest.partition("/")[2]
    return not path or "=" in path.partition("/")[0].partition("?")[0]


def _read_urls(text: str, raw: object, *, schemes: bool, nested: int = 0) -> tuple[int, str]:  # noqa: PLR0911, PLR0912  every URL form in one pass over the value (scheme, scheme-relative, bare, credentials)
    # URL parsers of the WHATWG kind read `\` as `/` in http(s) URLs: `http:\\127.0.0.1\` is a URL.
    sample = text.replace("\\", "/") if "\\" in text else text
    public: set[str] = set()  # authorities already read in this value: a page of links repeats a few
    public_bare: set[str] = set()  # the same for scheme-relative URLs
    mentioned: tuple[int, str] | None = None  # a local URL in running text: weak unless a stronger one follows
    words: int | None = None
    document: bool | None = None
    carrier: str | None = None  # the first URL's part after its authority that holds another URL
    for match in urls(sample):
        scheme, slashes, rest, bare = match.groups()
        if bare is not None and bare in public_bare:
            continue  # read already: a flood repeats one (30 KB of `fetch('//x?'+...` copies)
        if carrier is None and rest and nested < _MOST_NESTED and ("://" in rest or _NESTED_URL in rest):
            carrier = rest[rest.find("/") + 1 :] if "/" in rest else rest
        authority = (bare or rest).partition("/")[0].partition("?")[0]
        if authority in public and (not schemes or scheme not in DANGEROUS_SCHEMES):
            continue  # its hosts were read (a dangerous scheme is only news to the reading of schemes)
        if bare is not None:
            for host in _hosts_of(bare):
                reason = internal_address(host)
                if reason:
                    return 5, f"scheme-relative URL to {reason} host"
            public_bare.add(bare)
            continue
        if scheme in DANGEROUS_SCHEMES and schemes and not _directory_server(sample, match):
            return 5, f"{scheme}{_SCHEME_FINDING}"
        if (slashes != "//" and scheme not in ("http", "https")) or scheme in _APP_LINKS:
            continue
        for host in _hosts_of(rest):
            reason = internal_address(host)
            if not reason:
                continue
            if _everyday_host(host, reason) and _as_written(host, raw):
                document = _document(sample) if document is None else document  # read once per value
                if _everyday_mention(sample, match.start(), document) and (
                    document or (words := _prose_words(sample) if words is None else words) >= _PROSE
                ):
                    mentioned = mentioned or (2, f"{scheme} URL to {reason} host, mentioned in prose")
                    continue
            return 5, f"{scheme} URL to {reason} host"
        public.add(authority)
    schemeless = None if _CIDR.fullmatch(sample) else _SCHEMELESS.match(sample)
    bare = schemeless.group(1) if schemeless else ""
    # a dotted name or address, an internal name, or a bracketed IPv6 literal (`[::1]:8080/admin`)
    if schemeless and ("." in bare or bare.startswith("[") or INTERNAL_NAMES.match(bare)):
        reason = internal_address(bare)
        if reason and "numeric" not in reason:
            return 5, f"URL without a scheme to {reason} host"
    if "://" in sample:
        for at in _AT_HOST.finditer(sample):
            reason = internal_address(at.group(1))
            if reason:
                return 5, f"credentials trick pointing at {reason} host"
        if _ENV_HOST.search(sample):
            return 5, "URL whose host comes from an environment variable"
        if any(address in sample for address in _METADATA_ADDRESSES):
            return 5, "URL carrying the cloud metadata address"
    if carrier is not None:
        # a URL inside another's query, plain or percent-encoded (the redirect hop of an open-redirect
        # chain): the outer URL's reading took it in as part of its query, so it is read on its own
        inner = unquote(carrier)
        colon = inner.find("://")
        scheme = _SCHEME_BEFORE.search(inner, max(0, colon - 31), max(0, colon))
        score, detail = _read_urls(inner[scheme.start() if scheme else 0 :], raw, schemes=schemes, nested=nested + 1)
        if score >= 5:
            return score, f"{detail}, inside another URL"
    return mentioned or (0, "")


# App links, which Android and iOS send as a Referer: their authority is an app's package name or
# numeric store id (`ios-app://1234567890/...`), not a host anything connects to.
_APP_LINKS = frozenset({"android-app", "ios-app"})
_NESTED_URL = "%3a%2f%2f"  # `://` encoded (values are lower-cased)
_MOST_NESTED = 2  # URLs in URLs read, at most


# A developer's own machine or network named in running text: `open http://localhost:8080` in a
# README, `the router at http://192.168.1.1`. Metadata and obfuscated addresses are never everyday.
_EVERYDAY = frozenset({"loopback", "private network"})
_EVERYDAY_NAMES = re.compile(r"^(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:localhost|local|lan|home\.arpa))\.?$")
_WORD = re.compile(r"[a-z]{2,}[,.;:!?)]?", re.IGNORECASE)  # a word of running text, not a URL or a path
_PROSE = 6  # words of running text around a URL that make the value prose


def _everyday_host(host: str, reason: str) -> bool:
    return reason in _EVERYDAY or (reason == "internal name" and bool(_EVERYDAY_NAMES.match(host)))


def _everyday_mention(text: str, at: int, document: bool) -> bool:
    """A loopback or private URL that text mentions after a space: no server fetches a README.

    The value is a URL (a webhook, an avatar), or a URL opens it, or one stands in markup or a link
    (`src=`, `(http://...)` in Markdown, which renderers and PDF makers fetch): those keep their score.
    Mentioned among `_PROSE` words or more, the finding is weak (2): it blocks only beside another signal.
    So is a URL that does not open a document of two lines or more, whatever stands before it
    (`proxy_pass http://127.0.0.1:8080;`, `REDIS_URL=redis://localhost`): no fetcher takes a value
    of several lines as a URL, and configuration files and logs name local services all the time.
    """
    if at == 0 or text[:at].isspace():
        return False
    if document:
        return True
    if not text[at - 1].isspace():
        return False
    last = at - 1
    while last >= 0 and text[last] in " \t":  # the character before the spaces: not a copy of the text
        last -= 1
    return last >= 0 and text[last] not in "=(\"'`[<:"


def _as_written(host: str, raw: object) -> bool:
    """The host stands after `//` in the value as the client wrote it (percent-decoded once): a URL
    typed in a sentence. Written otherwise, it only reads as that host once decoded (`127。0。0。1`,
    circled or full-width digits, `http:\\localhost\\`): an evasion, never an everyday mention."""
    if not host.isascii():
        return False  # ideographic full stops and the like: read as dots only once the host is parsed
    if not isinstance(raw, str):
        return True  # no written form to compare with (a value built in process)
    written = raw.lower()
    if "%" in written:
        written = unquote(written)
    return f"//{host}" in written


def _document(text: str) -> bool:
    """Two lines with text or more (in the first 4 KB): a file, a log or a note, not a URL."""
    return sum(1 for line in text[:4096].splitlines() if line.strip()) >= 2


def _prose_words(text: str) -> int:
    return sum(1 for token in text[:4096].split() if _WORD.fullmatch(token))
